//! A link to nothing: an unknown address, or an assessment no longer on this machine.

use leptos::prelude::*;

use crate::routes::Route;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Không tìm thấy trang"</h1>
        <p>
            "Địa chỉ này không dẫn tới màn hình nào, hoặc bản tự đánh giá đã bị xóa khỏi máy này."
        </p>
        <a class="button primary" href=Route::Home.href()>"Về danh sách bản tự đánh giá"</a>
    }
}
