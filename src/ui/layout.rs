//! What stays on every screen: the header with navigation, the save line with storage
//! warnings, notices, and the dialog for a conflict between two tabs.

use leptos::prelude::*;

use crate::adapters::clock;
use crate::routes::Route;
use crate::ui::state::{use_app, SaveStatus, Tone};

#[component]
pub fn Header() -> impl IntoView {
    let state = use_app();
    let on_dashboard = move || {
        matches!(
            state.route.get(),
            Route::Dashboard | Route::DashboardResults { .. } | Route::DashboardReport { .. }
        )
    };
    let on_criteria = move || {
        matches!(
            state.route.get(),
            Route::CriteriaSets | Route::CriteriaEditor | Route::CriteriaCompare { .. }
        )
    };
    view! {
        <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
        <header class="app-header no-print">
            <a class="app-name" href=Route::Home.href()>
                "Tự đánh giá xã, phường phù hợp với trẻ em"
            </a>
            <nav aria-label="Điều hướng chính">
                <a href=Route::Home.href()
                    aria-current=move || (!on_dashboard() && !on_criteria()).then_some("page")>
                    "Các bản tự đánh giá"
                </a>
                <a href=Route::Dashboard.href()
                    aria-current=move || on_dashboard().then_some("page")>
                    "Tổng hợp"
                </a>
                <a href=Route::CriteriaSets.href()
                    aria-current=move || on_criteria().then_some("page")>
                    "Bộ tiêu chí"
                </a>
            </nav>
        </header>
    }
}

fn save_text(status: &SaveStatus) -> String {
    match status {
        SaveStatus::Idle => "Dữ liệu được lưu trên máy này, trong trình duyệt.".into(),
        SaveStatus::Saving => "Đang lưu…".into(),
        SaveStatus::Saved { at_ms } => format!("Đã lưu lúc {}", clock::local_time(*at_ms)),
        SaveStatus::Failed(e) => format!("Chưa lưu được. {}", e.message_vi()),
    }
}

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_app();
    let failed = move || matches!(state.save.get(), SaveStatus::Failed(_));
    let persisted_text = move || match state.persisted.get() {
        Some(true) => Some("Trình duyệt đã cho phép lưu lâu dài: dữ liệu không bị tự xóa."),
        Some(false) => Some(
            "Trình duyệt chưa cho phép lưu lâu dài: dữ liệu có thể bị xóa khi máy thiếu bộ nhớ \
             hoặc lâu không mở trang. Hãy xuất tệp sao lưu thường xuyên.",
        ),
        None => None,
    };
    view! {
        <section class="status-area no-print" aria-label="Trạng thái lưu dữ liệu">
            {move || state.storage_unavailable.get().map(|e| view! {
                <p class="banner banner-error" role="alert">{e.message_vi()}</p>
            })}
            <p class="save-status" class:save-failed=failed role="status" aria-live="polite">
                {move || save_text(&state.save.get())}
                {move || (failed() && state.storage_unavailable.get().is_none()).then(|| view! {
                    " "
                    <button type="button" class="link-button"
                        on:click=move |_| state.retry_unsaved()>"Thử lưu lại"</button>
                    " · "
                    <button type="button" class="link-button"
                        on:click=move |_| crate::ui::views::export::export_all(state)>
                        "Xuất tệp JSON để giữ lại"
                    </button>
                })}
            </p>
            {move || persisted_text().map(|t| view! { <p class="persist-status">{t}</p> })}
            <ul class="notices" aria-live="polite">
                <For each=move || state.notices.get() key=|n| n.id let:notice>
                    <li class=match notice.tone {
                        Tone::Info => "notice",
                        Tone::Warning => "notice notice-warning",
                        Tone::Error => "notice notice-error",
                    }>
                        <span>{notice.text.clone()}</span>
                        <button type="button" class="link-button"
                            aria-label="Đóng thông báo"
                            on:click=move |_| state.dismiss(notice.id)>"Đóng"</button>
                    </li>
                </For>
            </ul>
        </section>
    }
}

#[component]
pub fn ConflictDialog() -> impl IntoView {
    let state = use_app();
    move || {
        state.conflict.get().map(|c| {
            let theirs_at = clock::local_date_time(c.theirs.updated_at);
            let ours_at = clock::local_date_time(c.ours.updated_at);
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="alertdialog" aria-modal="true"
                        aria-labelledby="xung-dot-tieu-de" aria-describedby="xung-dot-mo-ta">
                        <h2 id="xung-dot-tieu-de">"Bản này vừa được sửa ở nơi khác"</h2>
                        <p id="xung-dot-mo-ta">
                            "Bản tự đánh giá của " {c.ours.assessment.commune.name.clone()}
                            " vừa được lưu từ một thẻ hoặc cửa sổ khác (lúc " {theirs_at}
                            "), trong khi thẻ này cũng có thay đổi (lúc " {ours_at}
                            "). Hãy chọn bản dùng tiếp; bản còn lại được giữ làm bản sao lưu."
                        </p>
                        <div class="actions">
                            <button type="button" class="primary"
                                on:click=move |_| state.resolve_conflict(false)>
                                "Dùng bản của thẻ kia"
                            </button>
                            <button type="button"
                                on:click=move |_| state.resolve_conflict(true)>
                                "Giữ bản của thẻ này"
                            </button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
