//! Every problem of the draft in one list at the top, each with a way to the field it names:
//! the validator's, the worked examples that fail, and a released version edited in place.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::criteria_validate::Field;
use crate::ui::editor_state::{use_editor, PlaceKey};

/// Opens the folded parts around a field of the form, brings it into view and focuses it.
fn go_to(dom_id: &str) {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(dom_id))
    else {
        return;
    };
    let mut fold = element.closest("details").ok().flatten();
    while let Some(details) = fold {
        let _ = details.set_attribute("open", "");
        fold = details
            .parent_element()
            .and_then(|p| p.closest("details").ok().flatten());
    }
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        element.scroll_into_view();
        let _ = element.focus();
    }
}

#[component]
pub fn Problems() -> impl IntoView {
    let editor = use_editor();
    let count = move || editor.problem_count();
    let examples = move || {
        let runs = editor.runs.get();
        let failed = runs.iter().filter(|r| !r.passed()).count();
        (!runs.is_empty()).then(|| {
            if failed == 0 {
                format!("Cả {} ví dụ kiểm tra đều đúng.", runs.len())
            } else {
                format!("{failed}/{} ví dụ kiểm tra sai.", runs.len())
            }
        })
    };
    view! {
        <section class="panel problems" aria-labelledby="van-de">
            <h2 id="van-de">"Kiểm tra"</h2>
            <p role="status" class=move || if count() == 0 { "check-ok" } else { "check-bad" }>
                {move || match count() {
                    0 => "Bộ tiêu chí hợp lệ: có thể xuất tệp.".to_string(),
                    n => format!("Còn {n} vấn đề phải sửa trước khi xuất tệp."),
                }}
                " " {examples}
            </p>
            <ul class="problem-list">
                {move || editor.frozen_clash.get().map(|message| {
                    let target = PlaceKey::Set.dom_id(Field::Version);
                    view! {
                        <li>
                            {message} " "
                            <button type="button" class="link-button"
                                on:click=move |_| go_to(&target)>"Đến chỗ sửa"</button>
                        </li>
                    }
                })}
                {move || editor.errors.get().into_iter().map(|error| {
                    let (place, field) = error.anchor();
                    let target = PlaceKey::of(&place).dom_id(field);
                    view! {
                        <li>
                            {error.to_string()} " "
                            <button type="button" class="link-button"
                                on:click=move |_| go_to(&target)>"Đến chỗ sửa"</button>
                        </li>
                    }
                }).collect_view()}
                {move || editor.runs.get().into_iter().filter(|r| !r.passed()).map(|run| {
                    let target = PlaceKey::Example(run.position).dom_id(Field::ExampleName);
                    view! {
                        <li>
                            {format!("Ví dụ kiểm tra thứ {} («{}») sai: ", run.position, run.name)}
                            {run.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")}
                            " "
                            <button type="button" class="link-button"
                                on:click=move |_| go_to(&target)>"Đến ví dụ"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
