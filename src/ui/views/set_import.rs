//! Handing a set out without the website: a commune imports the set file the province sent.
//! The set is checked, kept in this browser (offline too) and listed under «Bộ tiêu chí».

use leptos::prelude::*;

use crate::adapters::files;
use crate::domain::criteria_registry::{Added, SetOrigin};
use crate::domain::criteria_validate::load_criteria_set;
use crate::routes::Route;
use crate::ui::on_demand::NotLoaded;
use crate::ui::state::{use_app, AppState, Tone};

/// What a file that is not a set is, to point to the right place.
fn looks_like_assessments(text: &str) -> bool {
    text.contains("\"xa-phu-hop-tre-em/tu-danh-gia\"")
}

/// In the part that reads sets (`state_sets.rs`): checks the file and keeps the set.
pub(crate) async fn import(app: AppState, name: String, text: String) {
    if looks_like_assessments(&text) {
        app.notify(
            format!(
                "Tệp «{name}» là tệp kết quả tự đánh giá, không phải tệp bộ tiêu chí: hãy nhập nó \
                 ở mục «Nhập tệp tự đánh giá»."
            ),
            Tone::Error,
        );
        return;
    }
    let set = match load_criteria_set(text.trim_start_matches('\u{feff}')) {
        Ok(set) => set,
        Err(errors) => {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            app.notify(
                format!(
                    "Tệp «{name}» không nhận: không phải bộ tiêu chí hợp lệ. {}.",
                    list.join("; ")
                ),
                Tone::Error,
            );
            return;
        }
    };
    let (id, version) = (set.id.clone(), set.version.clone());
    let origin = SetOrigin::Imported { file: name.clone() };
    match app.add_set(set, origin).await {
        Ok(Added::New) => {
            let all = app.all_stored_untracked();
            let movable = app.sets.with_untracked(|sets| {
                all.iter()
                    .filter(|s| {
                        sets.newer_than(&s.assessment.criteria_set)
                            .is_some_and(|n| n.set.id == id && n.set.version == version)
                    })
                    .count()
            });
            let mut message = format!(
                "Đã nhập bộ tiêu chí «{id}» phiên bản {version} từ tệp «{name}»; bộ được giữ \
                 trên máy này và dùng được cho bản tự đánh giá mới."
            );
            if movable > 0 {
                message.push_str(&format!(
                    " {movable} bản tự đánh giá đang dùng phiên bản cũ hơn: mở từng bản để xem \
                     thay đổi và quyết định có chuyển sang phiên bản này hay không."
                ));
            }
            app.notify(message, Tone::Info);
        }
        Ok(Added::AlreadyKnown) => app.notify(
            format!(
                "Bộ tiêu chí «{id}» phiên bản {version} đã có trên máy này, không cần nhập lại."
            ),
            Tone::Info,
        ),
        Err(refused) => app.notify(format!("Tệp «{name}» không nhận. {refused}"), Tone::Error),
    }
}

#[component]
pub fn SetImport() -> impl IntoView {
    let app = use_app();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        // Taken before the input is cleared: clearing it empties its list.
        let picked = files::read_all(list);
        input.set_value("");
        leptos::task::spawn_local(async move {
            for file in picked {
                let name = file.name.clone();
                let text = match file.bytes().await {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => {
                        app.notify(e.message_vi(), Tone::Error);
                        continue;
                    }
                };
                // The sets this browser has come first: the file's set joins them.
                match app.read_sets().await {
                    Ok(part) => (part.import_file)(app, name, text).await,
                    Err(NotLoaded) => app.notify(
                        format!(
                            "Chưa nhập được tệp «{name}»: không tải được phần ứng dụng đọc bộ \
                             tiêu chí (có thể do mạng). Dữ liệu trên máy không bị ảnh hưởng; hãy \
                             thử lại khi có mạng."
                        ),
                        Tone::Error,
                    ),
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="nhap-bo-tieu-chi">
            <h2 id="nhap-bo-tieu-chi">"Nhập tệp bộ tiêu chí"</h2>
            <p>
                "Khi tỉnh gửi tệp bộ tiêu chí (JSON) qua Zalo, thư điện tử hoặc USB, nhập tệp ở đây: "
                "bộ được kiểm tra, giữ lại trên máy này và dùng được cả khi không có mạng. "
                <a href=Route::CriteriaSets.href()>"Xem các bộ tiêu chí trên máy"</a> "."
            </p>
            // The browser's own button speaks the browser's language: hidden, its label is the button.
            <input type="file" id="chon-tep-bo-tieu-chi" accept=".json,application/json"
                class="visually-hidden file-input" on:change=on_change/>
            <label for="chon-tep-bo-tieu-chi" class="button file-button">"Chọn tệp bộ tiêu chí"</label>
        </section>
    }
}
