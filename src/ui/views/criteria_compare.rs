//! What changed between two versions of a set, in Vietnamese, on screen and printable: the
//! change log a province publishes with a new version.

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::print;
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_diff::compare_sets;
use crate::routes::Route;
use crate::ui::editor_state::{use_editor, EditorState};
use crate::ui::state::{use_app, AppState};

/// The set a route segment names: `ban-nhap` (the draft), `goc` (what the draft started from)
/// or `<id>@<version>`.
fn find(app: AppState, editor: EditorState, which: &str) -> Option<Arc<CriteriaSet>> {
    match which {
        "ban-nhap" => editor
            .editor
            .with(|e| e.as_ref().map(|e| Arc::new(e.set.clone()))),
        "goc" => {
            let base = editor.editor.with(|e| e.as_ref()?.base.clone())?;
            app.set_of(&base)
        }
        other => {
            let (id, version) = other.split_once('@')?;
            app.sets
                .with(|sets| sets.get(id, version).map(|r| r.set.clone()))
        }
    }
}

fn describe(which: &str, set: Option<&CriteriaSet>) -> String {
    match (which, set) {
        ("ban-nhap", Some(s)) => format!("bản nháp (phiên bản {})", s.version),
        (_, Some(s)) => format!("«{}» phiên bản {}", s.id, s.version),
        ("ban-nhap", None) => "bản nháp (chưa có)".to_string(),
        ("goc", None) => "bộ gốc của bản nháp (bản nháp bắt đầu từ bộ trống hoặc từ tệp)".into(),
        (other, None) => format!("«{other}» (không có trên máy này)"),
    }
}

#[component]
pub fn CriteriaCompare(old: String, new: String) -> impl IntoView {
    let app = use_app();
    let editor = use_editor();
    editor.ensure_loaded();
    let error = RwSignal::new(None::<String>);
    move || {
        let (a, b) = (find(app, editor, &old), find(app, editor, &new));
        let heading = format!(
            "So sánh {} với {}",
            describe(&old, a.as_deref()),
            describe(&new, b.as_deref())
        );
        let body = match (a, b) {
            (Some(a), Some(b)) => {
                let sections = compare_sets(&a, &b);
                let (before, after) = (
                    format!("Phiên bản {}", a.version),
                    format!("Phiên bản {}", b.version),
                );
                if sections.is_empty() {
                    view! { <p class="banner">"Hai bộ giống hệt nhau."</p> }.into_any()
                } else {
                    sections
                        .into_iter()
                        .map(|section| {
                            let (before, after) = (before.clone(), after.clone());
                            view! {
                                <section class="compare-section">
                                    <h2>{section.title}</h2>
                                    <table class="compare-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Nội dung"</th>
                                                <th scope="col">{before}</th>
                                                <th scope="col">{after}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {section.changes.into_iter().map(|c| view! {
                                                <tr>
                                                    <th scope="row">{c.subject}</th>
                                                    <td>{c.before}</td>
                                                    <td>{c.after}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }
            _ => view! {
                <p class="banner banner-warning">
                    "Không tìm thấy một trong hai bộ tiêu chí để so sánh trên máy này."
                </p>
            }
            .into_any(),
        };
        view! {
            <nav class="page-links no-print" aria-label="Bộ tiêu chí">
                <a href=Route::CriteriaSets.href()>"← Các bộ tiêu chí"</a>
                <a href=Route::CriteriaEditor.href()>"Bản nháp"</a>
            </nav>
            <h1>"Thay đổi giữa hai phiên bản bộ tiêu chí"</h1>
            <p class="lead">{heading}</p>
            <div class="actions no-print">
                <button type="button" class="primary"
                    on:click=move |_| error.set(print::print().err().map(|e| e.message_vi()))>
                    "In / Lưu PDF"
                </button>
            </div>
            {move || error.get().map(|m| view! { <p class="banner banner-error" role="alert">{m}</p> })}
            <article class="compare" aria-label="Các thay đổi">{body}</article>
        }
        .into_any()
    }
}
