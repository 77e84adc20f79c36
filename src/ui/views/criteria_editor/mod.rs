//! "Soạn bộ tiêu chí": everything a criteria set holds, edited as a form, checked on every
//! change by the validator and the set's own worked examples, previewed as an assessor sees
//! it, saved as a draft after every change, and exported as a file only when valid.

mod criterion;
mod examples;
mod fields;
mod general;
mod preview;
mod problems;
mod rule;
mod units;

use leptos::prelude::*;

use crate::adapters::{clock, files};
use crate::routes::Route;
use crate::ui::editor_state::{use_editor, DraftSave};
use crate::ui::state::{use_app, Tone};
use crate::ui::views::QuestionFocus;

#[component]
pub fn EditorScreen() -> impl IntoView {
    let editor = use_editor();
    editor.ensure_loaded();
    // Whether there is a draft, not the draft: every keystroke changes the draft, and redrawing
    // the editor for it would replace the field being typed into.
    let has_draft = Memo::new(move |_| editor.editor.with(Option::is_some));
    move || {
        if !editor.loaded.get() {
            return view! { <h1>"Soạn bộ tiêu chí"</h1><p>"Đang mở bản nháp…"</p> }.into_any();
        }
        if !has_draft.get() {
            return view! {
                <h1>"Soạn bộ tiêu chí"</h1>
                <p class="banner">"Chưa có bản nháp nào. Hãy bắt đầu từ một bộ tiêu chí có sẵn, \
                    từ tệp, hoặc từ một bộ trống."</p>
                <a class="button primary" href=Route::CriteriaSets.href()>"Về danh sách bộ tiêu chí"</a>
            }
            .into_any();
        }
        view! { <Editor/> }.into_any()
    }
}

#[component]
fn Editor() -> impl IntoView {
    let editor = use_editor();
    let heading = move || {
        editor.editor.with(|e| {
            e.as_ref().map(|e| {
                let title = if e.set.title.trim().is_empty() {
                    "(chưa có tiêu đề)".to_string()
                } else {
                    e.set.title.clone()
                };
                format!("{title} — phiên bản {}", e.set.version)
            })
        })
    };
    view! {
        <h1 tabindex="-1">"Soạn bộ tiêu chí"</h1>
        <p class="lead">{heading}</p>
        <Toolbar/>
        <problems::Problems/>
        <general::General/>
        <units::Units/>
        <criterion::CriteriaList/>
        <examples::Examples/>
        <preview::Preview/>
    }
}

/// Save line, undo, export, comparison and discard.
#[component]
fn Toolbar() -> impl IntoView {
    let editor = use_editor();
    let app = use_app();
    let confirm_discard = RwSignal::new(false);
    let question = QuestionFocus::new();
    let save_text = move || match editor.save.get() {
        DraftSave::Idle => "Bản nháp được lưu tự động trên máy này.".to_string(),
        DraftSave::Saved { at_ms } => {
            format!("Đã lưu bản nháp lúc {}", clock::local_time(at_ms))
        }
        DraftSave::Failed(e) => format!("Chưa lưu được bản nháp. {e}"),
    };
    let undo_label = move || {
        editor
            .editor
            .with(|e| e.as_ref().and_then(|e| e.undo_label().map(str::to_string)))
    };
    let problems = move || editor.problem_count();
    let export = move |_| {
        let count = problems();
        if count > 0 {
            app.notify(
                format!(
                    "Bộ tiêu chí còn {count} vấn đề (lỗi hoặc ví dụ kiểm tra sai) nên chưa xuất \
                     được tệp hợp lệ. Hãy sửa theo danh sách ở đầu trang; bản nháp vẫn được lưu \
                     trên máy này."
                ),
                Tone::Error,
            );
            return;
        }
        let Some(set) = editor
            .editor
            .with_untracked(|e| e.as_ref().map(|e| e.set.clone()))
        else {
            return;
        };
        let name = format!("{}_{}.json", set.id, set.version);
        let mut text = serde_json::to_string_pretty(&set).expect("a set is plain data");
        text.push('\n');
        match files::download(&name, "application/json;charset=utf-8", &text) {
            Ok(()) => app.notify(
                format!(
                    "Đã xuất bộ tiêu chí vào tệp «{name}». Để công bố: đặt tệp vào thư mục \
                     criteria/ cạnh ứng dụng trên trang web của tỉnh và thêm tên tệp vào \
                     criteria/index.json; hoặc gửi tệp cho các xã để nhập ở màn hình đầu."
                ),
                Tone::Info,
            ),
            Err(e) => app.notify(
                format!("Chưa xuất được tệp. {}", e.message_vi()),
                Tone::Error,
            ),
        }
    };
    view! {
        <div class="editor-toolbar no-print" role="group" aria-label="Thao tác với bản nháp">
            <p class="save-status" role="status">{save_text}</p>
            <div class="actions">
                <button type="button" prop:disabled=move || undo_label().is_none()
                    on:click=move |_| editor.undo()>
                    {move || match undo_label() {
                        Some(what) => format!("Hoàn tác: {what}"),
                        None => "Hoàn tác".to_string(),
                    }}
                </button>
                <button type="button" class="primary" on:click=export>"Xuất tệp bộ tiêu chí"</button>
                <a class="button" href=Route::CriteriaCompare {
                    old: "goc".into(),
                    new: "ban-nhap".into(),
                }.href()>"So sánh với bộ gốc"</a>
                <button type="button" class="danger" node_ref=question.opener()
                    on:click=move |_| {
                        confirm_discard.set(true);
                        question.ask();
                    }>
                    "Bỏ bản nháp"
                </button>
            </div>
            <Show when=move || confirm_discard.get()>
                <div class="confirm" role="alertdialog" aria-label="Xác nhận bỏ bản nháp">
                    <p>"Bỏ bản nháp này? Những gì đã soạn sẽ mất (trừ khi đã xuất tệp)."</p>
                    <button type="button" class="danger" on:click=move |_| {
                        editor.discard();
                        crate::ui::navigate(&Route::CriteriaSets);
                    }>"Bỏ bản nháp"</button>
                    <button type="button" node_ref=question.keep() on:click=move |_| {
                        confirm_discard.set(false);
                        question.back();
                    }>"Giữ lại"</button>
                </div>
            </Show>
        </div>
    }
}
