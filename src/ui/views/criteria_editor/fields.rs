//! The editor's inputs: a label, the control, and the problems the validator finds with it,
//! right under it. Values and changes go through signals and callbacks, so one component
//! serves every field of the set.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::adapters::focus;
use crate::domain::numbers::{format_number, parse_number};
use crate::ui::editor_state::use_editor;

/// The problems of one field, announced as they change.
#[component]
pub fn FieldErrors(id: String, errors: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <div id=id class="field-error" aria-live="polite">
            {move || errors.get().into_iter().map(|e| view! { <p>{e}</p> }).collect_view()}
        </div>
    }
}

#[component]
pub fn TextInput(
    id: String,
    #[prop(into)] label: String,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional)] errors: Option<Signal<Vec<String>>>,
    /// A textarea instead of a line.
    #[prop(optional)]
    multiline: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let errors = errors.unwrap_or_else(|| Signal::derive(Vec::new));
    let error_id = format!("{id}-loi");
    let invalid = move || errors.with(|e| !e.is_empty()).then_some("true");
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows="3" aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" autocomplete="off" aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {control}
            <FieldErrors id=error_id errors=errors/>
        </div>
    }
}

/// A number typed the Vietnamese way. Text that is not an acceptable number is shown with a
/// message and not written to the draft, so the last good value stays.
#[component]
pub fn NumberInput(
    id: String,
    #[prop(into)] label: String,
    value: Signal<Option<f64>>,
    on_value: Callback<Option<f64>>,
    #[prop(optional)] errors: Option<Signal<Vec<String>>>,
    /// Only whole numbers from 0 (points, thresholds).
    #[prop(optional)]
    whole: bool,
    /// An empty field is a value ("chưa rõ").
    #[prop(optional)]
    optional: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let errors = errors.unwrap_or_else(|| Signal::derive(Vec::new));
    let show = move |v: Option<f64>| v.map(|v| format_number(v, 6)).unwrap_or_default();
    let text = RwSignal::new(show(value.get_untracked()));
    let typed_error = RwSignal::new(None::<String>);
    // Follow changes made elsewhere (undo) unless the user is mid-typing a bad value.
    Effect::new(move |_| {
        let v = value.get();
        let typed = parse_number(&text.get_untracked()).ok().flatten();
        if typed_error.get_untracked().is_none() && typed != v {
            text.set(show(v));
        }
    });
    let all_errors = Signal::derive(move || {
        let mut list: Vec<String> = typed_error.get().into_iter().collect();
        list.extend(errors.get());
        list
    });
    let error_id = format!("{id}-loi");
    view! {
        <div class="field field-number">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <input id=id type="text" inputmode=if whole { "numeric" } else { "decimal" }
                autocomplete="off"
                aria-invalid=move || all_errors.with(|e| !e.is_empty()).then_some("true")
                aria-describedby=error_id.clone()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let raw = event_target_value(&ev);
                    text.set(raw.clone());
                    match check_number(&raw, whole, optional) {
                        Ok(v) => {
                            typed_error.set(None);
                            on_value.run(v);
                        }
                        Err(e) => typed_error.set(Some(format!("«{raw}»: {e} Giá trị này chưa được ghi."))),
                    }
                }/>
            <FieldErrors id=error_id errors=all_errors/>
        </div>
    }
}

/// The typed text as a value for the draft, or why it cannot be one.
fn check_number(raw: &str, whole: bool, optional: bool) -> Result<Option<f64>, String> {
    match parse_number(raw).map_err(|e| e.to_string())? {
        None if optional => Ok(None),
        None => Err("Cần nhập một số.".into()),
        Some(v) if whole && (v < 0.0 || v.fract() != 0.0 || v > f64::from(u32::MAX)) => {
            Err("Cần một số nguyên không âm.".into())
        }
        Some(v) => Ok(Some(v)),
    }
}

/// A choice among options: (value, label).
#[component]
pub fn Choice(
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional)] errors: Option<Signal<Vec<String>>>,
) -> impl IntoView {
    let errors = errors.unwrap_or_else(|| Signal::derive(Vec::new));
    let error_id = format!("{id}-loi");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            // The value is set on the select, one effect for it: an effect for each option's
            // `selected` made thousands of them (the examples list every item), all woken at
            // every keystroke. Options drawn later are marked with the value of that moment.
            <select id=id aria-describedby=error_id.clone() prop:value=move || value.get()
                on:change=move |ev| on_change.run(event_target_value(&ev))>
                {move || options.get().into_iter().map(|(key, text)| {
                    let selected = value.with_untracked(|v| *v == key);
                    view! { <option value=key selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <FieldErrors id=error_id errors=errors/>
        </div>
    }
}

#[component]
pub fn Check(
    id: String,
    #[prop(into)] label: String,
    value: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    let for_id = id.clone();
    view! {
        <label class="check" for=for_id>
            <input id=id type="checkbox" prop:checked=move || value.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))/>
            {label}
        </label>
    }
}

/// The small buttons that move or remove one element of a list. The list is drawn anew after
/// either, so the focus is given back: to the moved element's button at its new place, or to
/// the element that took a removed one's place, the one before it, the list's «Thêm» button.
#[component]
pub fn ListButtons(
    /// What the element is, for the buttons' names ("tiêu chí 3").
    #[prop(into)]
    what: String,
    /// The DOM id of the list ("soan-tc-3-muc"): `{list}-{n}` holds the buttons of the element
    /// `n` (1-based), `{list}-them` is the list's «Thêm» button.
    #[prop(into)]
    list: String,
    /// The key its folded part is opened under ("tc" for "tc-3"), when the element folds: a
    /// moved element is shown open where it lands.
    #[prop(optional)]
    fold: Option<&'static str>,
    index: usize,
    len: usize,
    on_move: Callback<(usize, usize)>,
    on_remove: Callback<usize>,
) -> impl IntoView {
    let editor = use_editor();
    let number = index + 1;
    let own = format!("{list}-{number}");
    // One listener for the three buttons; each says what it does in its `value`.
    let on_click = move |ev: web_sys::MouseEvent| {
        let at = |n: usize, button: &str| format!("#{list}-{n}>[value={button}]");
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlButtonElement>().ok())
        else {
            return; // between the buttons
        };
        // Up lands at `number - 1`, down at `number + 1`: the same button there, or the other
        // one when it is disabled at the end of the list.
        let from = Some(web_sys::Element::from(button.clone()));
        let (to, targets) = match button.value().as_str() {
            "len" => {
                on_move.run((index - 1, index));
                (index, [at(index, "len"), at(index, "xuong")])
            }
            "xuong" => {
                on_move.run((index, index + 1));
                (number + 1, [at(number + 1, "xuong"), at(number + 1, "len")])
            }
            "xoa" => {
                on_remove.run(index);
                let [next, before] = [at(number, "xoa"), at(index, "xoa")];
                focus::later_first(vec![next, before, format!("#{list}-them")], from);
                return;
            }
            _ => return,
        };
        if let Some(fold) = fold {
            editor.set_open(&format!("{fold}-{to}"), true);
        }
        focus::later_first(targets.into(), from);
    };
    view! {
        <div class="list-buttons" id=own on:click=on_click>
            <button type="button" class="icon-button" value="len"
                aria-label=format!("Đưa {what} lên trên") disabled={index == 0}>"↑"</button>
            <button type="button" class="icon-button" value="xuong"
                aria-label=format!("Đưa {what} xuống dưới") disabled={index + 1 >= len}>"↓"</button>
            <button type="button" class="icon-button danger" value="xoa"
                aria-label=format!("Xóa {what}")>"✕"</button>
        </div>
    }
}

/// A part of the form that folds away, remembering across redraws whether the user opened it.
#[component]
pub fn Fold(
    /// Names the part in the editor's list of opened parts ("tc-3").
    key: String,
    class: &'static str,
    summary: Signal<String>,
    /// Problems or results shown after the title, on the folded line.
    #[prop(optional, into)]
    status: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let editor = use_editor();
    let k = key.clone();
    view! {
        <details class=class prop:open=move || editor.is_open(&key)
            on:toggle=move |ev| {
                let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                editor.set_open(&k, open);
            }>
            <summary>
                <span class="fold-title">{move || summary.get()}</span>
                {status.map(|s| view! { <span class="fold-status">{move || s.get()}</span> })}
            </summary>
            {children()}
        </details>
    }
}
