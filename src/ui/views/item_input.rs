//! One item of a criterion: exactly the inputs its rule needs, validated as the user types,
//! with the computed value and points shown live, and the source, explanation and check mark.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::assessment::Answer;
use crate::domain::criteria::{Item, Rule};
use crate::domain::numbers::{format_number, parse_number};
use crate::domain::scoring::{ItemScore, ItemStatus};
use crate::domain::validation::{check_number, NumberField as Checked, TextField};
use crate::ui::state::{use_app, AnswerText, AppState, Doc, EditKind, TextEdit};
use crate::ui::views::appraisal_received::ReviewNote;
use crate::ui::views::history_view::AssessmentItemHistory;
use crate::ui::views::ProvenanceBadge;

/// Which number of an [`Answer`] an input edits.
#[derive(Clone, Copy)]
enum Field {
    Numerator,
    Denominator,
    Count,
    ManualPoints,
}

impl Field {
    fn get(self, a: &Answer) -> Option<f64> {
        match self {
            Field::Numerator => a.numerator,
            Field::Denominator => a.denominator,
            Field::Count => a.count,
            Field::ManualPoints => a.manual_points,
        }
    }

    fn set(self, a: &mut Answer, v: Option<f64>) {
        match self {
            Field::Numerator => a.numerator = v,
            Field::Denominator => a.denominator = v,
            Field::Count => a.count = v,
            Field::ManualPoints => a.manual_points = v,
        }
    }

    /// The field under the app's one rule for what may be stored.
    fn checked(self) -> Checked {
        match self {
            Field::Numerator => Checked::Numerator,
            Field::Denominator => Checked::Denominator,
            Field::Count => Checked::Count,
            Field::ManualPoints => Checked::ManualPoints,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Field::Numerator => "tu-so",
            Field::Denominator => "mau-so",
            Field::Count => "so-luong",
            Field::ManualPoints => "diem",
        }
    }
}

/// Stable DOM id for an input of an item ("1.2" → "muc-1-2-tu-so").
fn dom_id(item_id: &str, part: &str) -> String {
    let safe: String = item_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("muc-{safe}-{part}")
}

/// Where the edits of an item go.
#[derive(Clone, Copy)]
pub enum Edits {
    /// Into the store, as change records of the assessment (one writer across tabs).
    Stored,
    /// Only to this callback, with the whole answer: the criteria editor's preview of a draft
    /// set, whose throwaway assessment is never stored.
    Preview(Callback<Answer>),
}

/// One item as the assessor answers it. `doc` holds the answers shown: a stored assessment on
/// the criterion screens, a throwaway one in the criteria editor's preview (`edits` says which).
#[component]
pub fn ItemInput(
    doc: Doc,
    item: Item,
    /// This item's score, recomputed only when its answer (or its criterion's maximum) changes.
    score: Signal<Option<ItemScore>>,
    #[prop(default = Edits::Stored)] edits: Edits,
) -> impl IntoView {
    let state = use_app();
    let assessment_id = doc.id().to_string();
    let item_id = item.id.clone();
    let answer = doc.answer(&item_id);
    // Text inputs take their value from the store only when it changed elsewhere (another tab,
    // a restored copy): setting a long text back into its own box on every keystroke would cost
    // as much as the text is long.
    let external = doc.external().clone();
    let readonly = {
        let doc = doc.clone();
        Memo::new(move |_| !doc.editable())
    };
    let edit = {
        let (aid, iid, answer) = (assessment_id.clone(), item_id.clone(), answer.clone());
        move |kind: EditKind, change: Box<dyn FnOnce(&mut Answer)>| match edits {
            Edits::Stored => state.edit_answer(&aid, &iid, kind, change),
            Edits::Preview(on_edit) => {
                let mut next = answer.get_untracked().unwrap_or_default();
                change(&mut next);
                answer.set(Some(next.clone()));
                on_edit.run(next);
            }
        }
    };
    let number = {
        let edit = edit.clone();
        let iid = item_id.clone();
        let answer = answer.clone();
        move |field: Field, label: String| {
            let edit = edit.clone();
            let answer = answer.clone();
            view! {
                <NumberField
                    id=dom_id(&iid, field.slug())
                    field=field.checked()
                    label=label
                    value=Signal::derive(move || answer.with(|a| a.as_ref().and_then(|a| field.get(a))))
                    readonly=readonly
                    on_value=move |v| edit(EditKind::Keys, Box::new(move |a| field.set(a, v)))
                />
            }
        }
    };
    // Each control reads its own field through a memo, so that typing in a text of the same
    // answer never sets the others again.
    let yes_value = {
        let answer = answer.clone();
        Memo::new(move |_| answer.with(|a| a.as_ref().and_then(|a| a.yes)))
    };
    let yes = move |wanted: bool| move || yes_value.get() == Some(wanted);

    let inputs = match &item.rule {
        Rule::YesNo { points } => {
            let name = dom_id(&item_id, "co-khong");
            let (e1, e2) = (edit.clone(), edit.clone());
            view! {
                <div role="radiogroup" class="yes-no" aria-label=format!("Mục {}: có hay không", item.id)>
                    <label class="choice">
                        <input type="radio" name=name.clone()
                            prop:checked=yes(true)
                            prop:disabled=move || readonly.get()
                            on:change=move |_| e1(EditKind::Choice, Box::new(|a| a.yes = Some(true)))/>
                        {format!("Có ({points} điểm)")}
                    </label>
                    <label class="choice">
                        <input type="radio" name=name
                            prop:checked=yes(false)
                            prop:disabled=move || readonly.get()
                            on:change=move |_| e2(EditKind::Choice, Box::new(|a| a.yes = Some(false)))/>
                        "Không (0 điểm)"
                    </label>
                </div>
            }
            .into_any()
        }
        Rule::Rate { .. } | Rule::PerPopulation { .. } | Rule::Survey { .. } => {
            let (numerator, denominator) = item.rule.ratio_labels().unwrap_or_default();
            view! {
                <div class="pair">
                    {number(Field::Numerator, numerator.to_string())}
                    {number(Field::Denominator, denominator.to_string())}
                </div>
            }
            .into_any()
        }
        Rule::Count { label, .. } => number(Field::Count, label.clone()).into_any(),
        Rule::Manual { max } => number(
            Field::ManualPoints,
            match max {
                Some(m) => format!("Điểm (từ 0 đến {m})"),
                None => "Điểm theo bảng điểm chính thức".into(),
            },
        )
        .into_any(),
    };
    // Rules that fall back to the assessor (unknown lower bands or zero-denominator rule) ask for
    // points only once the score says so, and keep the field while points are entered.
    // A memo: each figure typed rescores the item, and a closure reading the score would build
    // the points field anew on every key.
    let wants_points = {
        let is_manual_rule = matches!(item.rule, Rule::Manual { .. });
        let answer = answer.clone();
        Memo::new(move |_| {
            let needs = score.with(|s| {
                matches!(
                    s.as_ref().map(|s| &s.status),
                    Some(ItemStatus::NeedsManualPoints { .. })
                )
            });
            let has_points = answer.with(|a| a.as_ref().is_some_and(|a| a.manual_points.is_some()));
            !is_manual_rule && (needs || has_points)
        })
    };
    let fallback_points = {
        let number = number.clone();
        move || {
            wants_points.get().then(|| {
                number(
                    Field::ManualPoints,
                    "Điểm do người đánh giá chấm theo bảng điểm chính thức".into(),
                )
            })
        }
    };

    // Open from the start when notes exist; never toggled by later edits, which would close
    // the section under the user's fingers.
    let evidence_open = answer.with_untracked(|a| {
        a.as_ref()
            .is_some_and(|a| !a.source.is_empty() || !a.explanation.is_empty())
    });
    let (src_id, exp_id, chk_id) = (
        dom_id(&item_id, "nguon"),
        dom_id(&item_id, "thuyet-minh"),
        dom_id(&item_id, "da-kiem-tra"),
    );
    let text_value = |field: AnswerText| {
        let (answer, external) = (answer.clone(), external.clone());
        move || {
            external.track();
            answer.with_untracked(|a| {
                a.as_ref()
                    .map(|a| field.get(a).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let text_box = |field: AnswerText| TextBox {
        inner: Rc::new(TextBoxInner {
            state,
            assessment_id: assessment_id.clone(),
            item_id: item_id.clone(),
            field,
            selection: Cell::new(None),
            hint: Cell::new((0, 0)),
        }),
        preview: match edits {
            Edits::Stored => None,
            Edits::Preview(on_edit) => Some((answer.clone(), on_edit)),
        },
    };
    let (source_box, explanation_box) = (
        text_box(AnswerText::Source),
        text_box(AnswerText::Explanation),
    );
    let (source_before, source_input) = (source_box.clone(), source_box.clone());
    let (explanation_before, explanation_input) =
        (explanation_box.clone(), explanation_box.clone());
    // The appraisal's note and the item's history belong to a stored assessment, not a preview.
    let stored = matches!(edits, Edits::Stored);
    let checked = {
        let answer = answer.clone();
        Memo::new(move |_| answer.with(|a| a.as_ref().is_some_and(|a| a.checked)))
    };
    view! {
        <section class="item" aria-labelledby=dom_id(&item_id, "ten")>
            <h2 class="item-title" id=dom_id(&item_id, "ten")>
                <span class="item-number">{format!("Mục {}", item.id)}</span> " " {item.text.clone()}
            </h2>
            <ProvenanceBadge provenance=item.provenance.clone()/>
            {stored.then(|| view! {
                <ReviewNote assessment_id=assessment_id.clone() item_id=item_id.clone()/>
            })}
            {item.hint.clone().map(|h| view! { <p class="hint">{h}</p> })}
            {inputs}
            // The line saying why the assessor's points are needed comes before their input.
            <ScoreLine rule=item.rule.clone() score=score/>
            {fallback_points}
            <details class="evidence" open=evidence_open>
                <summary>"Nguồn số liệu, thuyết minh"</summary>
                <label for=src_id.clone()>"Nguồn số liệu"</label>
                <input id=src_id type="text" maxlength=TextField::Source.max_chars()
                    placeholder="Ví dụ: Sổ đăng ký khai sinh năm 2026, báo cáo của trạm y tế"
                    prop:value=text_value(AnswerText::Source)
                    prop:readOnly=move || readonly.get()
                    on:beforeinput=move |ev| source_before.before(&ev)
                    on:input=move |ev| source_input.input(&ev)
                    on:change=move |ev| source_box.check(&ev)/>
                <label for=exp_id.clone()>"Thuyết minh"</label>
                <textarea id=exp_id rows="3" maxlength=TextField::Explanation.max_chars()
                    prop:value=text_value(AnswerText::Explanation)
                    prop:readOnly=move || readonly.get()
                    on:beforeinput=move |ev| explanation_before.before(&ev)
                    on:input=move |ev| explanation_input.input(&ev)
                    on:change=move |ev| explanation_box.check(&ev)></textarea>
            </details>
            <label class="check">
                <input id=chk_id type="checkbox"
                    prop:checked=move || checked.get()
                    prop:disabled=move || readonly.get()
                    on:change=move |ev| {
                        let v = event_target_checked(&ev);
                        edit(EditKind::Choice, Box::new(move |a| a.checked = v));
                    }/>
                "Đã kiểm tra"
            </label>
            {stored.then(|| view! {
                <AssessmentItemHistory assessment_id=assessment_id.clone() item_id=item_id.clone()/>
            })}
        </section>
    }
}

/// One text box of an answer. A keystroke is applied from what the browser's events say (the
/// selection before, the text inserted, the caret after) without reading the whole text, so that
/// it costs the same in a 1 MB explanation as in a short one; what those do not tell (a paste,
/// an input method's composition, a forward delete) reads the text whole, and so does leaving
/// the box, which also corrects anything the events told wrong.
#[derive(Clone)]
struct TextBox {
    inner: Rc<TextBoxInner>,
    /// In the editor's preview: the answer shown and where its edits go, whole.
    preview: Option<(ArcRwSignal<Option<Answer>>, Callback<Answer>)>,
}

/// Plain cells, not arena values: `change` fires on an input removed from the page (the box loses
/// its focus), after its component is gone.
struct TextBoxInner {
    state: AppState,
    assessment_id: String,
    item_id: String,
    field: AnswerText,
    /// The selection at `beforeinput`, used by the next `input` only.
    selection: Cell<Option<(usize, usize)>>,
    /// A known `(utf16, byte)` place in the text: the last edit's.
    hint: Cell<(usize, usize)>,
}

/// The selection of the text box an event is about (UTF-16 offsets).
fn selection_of(ev: &leptos::ev::Event) -> Option<(usize, usize)> {
    let target = ev.target()?;
    let (start, end) = if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        (t.selection_start().ok()??, t.selection_end().ok()??)
    } else {
        let i = target.dyn_ref::<web_sys::HtmlInputElement>()?;
        (i.selection_start().ok()??, i.selection_end().ok()??)
    };
    Some((start as usize, end as usize))
}

impl TextBox {
    fn before(&self, ev: &leptos::ev::Event) {
        self.inner.selection.set(selection_of(ev));
    }

    fn input(&self, ev: &leptos::ev::Event) {
        if self.preview.is_some() {
            return self.whole(ev);
        }
        let b = &self.inner;
        let selection = b.selection.take();
        let told = ev.dyn_ref::<web_sys::InputEvent>().and_then(|input| {
            let inserted = match input.input_type().as_str() {
                "insertText" => input.data()?,
                "insertLineBreak" | "insertParagraph" => "\n".to_string(),
                kind if kind.starts_with("delete") => String::new(),
                _ => return None,
            };
            let caret = selection_of(ev)?.0;
            Some((selection?, inserted, caret))
        });
        let (aid, iid) = (&b.assessment_id, &b.item_id);
        let applied = told.is_some_and(|(selection, inserted, caret)| {
            let edit = TextEdit {
                selection,
                inserted: &inserted,
                caret,
            };
            let mut hint = b.hint.get();
            let done = b
                .state
                .edit_answer_splice(aid, iid, b.field, edit, &mut hint);
            b.hint.set(hint);
            done
        });
        if !applied {
            b.hint.set((0, 0));
            b.state
                .edit_answer_text(aid, iid, b.field, event_target_value(ev));
        }
    }

    /// Leaving the box: the whole text, in case the events told something wrong.
    fn check(&self, ev: &leptos::ev::Event) {
        self.whole(ev);
    }

    fn whole(&self, ev: &leptos::ev::Event) {
        let b = &self.inner;
        let text = event_target_value(ev);
        match &self.preview {
            None => b
                .state
                .edit_answer_text(&b.assessment_id, &b.item_id, b.field, text),
            Some((answer, on_edit)) => {
                let mut next = answer.get_untracked().unwrap_or_default();
                *b.field.get_mut(&mut next) = text;
                answer.set(Some(next.clone()));
                on_edit.run(next);
            }
        }
    }
}

/// The computed value, the band and the points, or what is missing or wrong. The line's kind,
/// its figure and its words are three memos: while the kind stays (a rate typed key by key), an
/// edit changes the texts that moved, not the whole line.
#[component]
fn ScoreLine(rule: Rule, score: Signal<Option<ItemScore>>) -> impl IntoView {
    let kind = Memo::new(move |_| score.with(|s| s.as_ref().map(LineKind::of)));
    let value = Memo::new(move |_| {
        score.with(|s| {
            let v = s.as_ref()?.value?;
            Some(match &rule {
                Rule::PerPopulation { per, .. } => format!(
                    "Tỷ suất: {} trên {} trẻ em. ",
                    format_number(v, 2),
                    format_number(*per as f64, 0)
                ),
                Rule::Count { .. } => format!("Số lượng: {}. ", format_number(v, 0)),
                _ => format!("Tỷ lệ: {}%. ", format_number(v, 1)),
            })
        })
    });
    let words = Memo::new(move |_| {
        score.with(|s| {
            let Some(s) = s else { return String::new() };
            let max = s.max.map_or(String::new(), |m| format!(" / {m}"));
            match &s.status {
                ItemStatus::Scored => format!("{} điểm{max}", s.points),
                ItemStatus::NotApplicable => String::new(),
                ItemStatus::Missing { needs } => needs.clone(),
                ItemStatus::NeedsManualPoints { reason } => reason.clone(),
                ItemStatus::Invalid { message } => message.clone(),
            }
        })
    });
    let full = Memo::new(move |_| {
        score.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.max.is_none_or(|m| s.points >= m))
        })
    });
    let value = move || value.get();
    let words = move || words.get();
    move || match kind.get() {
        None => view! { <p class="score-line">"Chưa tính được."</p> }.into_any(),
        // 0 points is not a success, and partial points are not full marks.
        Some(LineKind::Zero) => view! {
            <p class="score-line score-zero" aria-live="polite">
                {value} <strong>{words}</strong>
                " — mục này không được điểm."
            </p>
        }
        .into_any(),
        Some(LineKind::Scored) => view! {
            <p class="score-line" class:score-ok=move || full.get() aria-live="polite">
                {value} <strong>{words}</strong>
            </p>
        }
        .into_any(),
        Some(LineKind::NotApplicable) => view! {
            <p class="score-line" aria-live="polite">
                "Không áp dụng (không có trường hợp nào): mục này không tính điểm."
            </p>
        }
        .into_any(),
        Some(LineKind::Missing) => view! {
            <p class="score-line score-missing" aria-live="polite">{value} "Còn thiếu: " {words}</p>
        }
        .into_any(),
        Some(LineKind::NeedsPoints) => view! {
            <p class="score-line score-missing" aria-live="polite">{value} {words}</p>
        }
        .into_any(),
        Some(LineKind::Invalid) => view! {
            <p class="score-line score-error" role="alert">{words}</p>
        }
        .into_any(),
    }
}

/// Which score line an item shows: drawn anew only when this changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Zero,
    Scored,
    NotApplicable,
    Missing,
    NeedsPoints,
    Invalid,
}

impl LineKind {
    fn of(s: &ItemScore) -> LineKind {
        match s.status {
            ItemStatus::Scored if s.points == 0 => LineKind::Zero,
            ItemStatus::Scored => LineKind::Scored,
            ItemStatus::NotApplicable => LineKind::NotApplicable,
            ItemStatus::Missing { .. } => LineKind::Missing,
            ItemStatus::NeedsManualPoints { .. } => LineKind::NeedsPoints,
            ItemStatus::Invalid { .. } => LineKind::Invalid,
        }
    }
}

/// A number typed the Vietnamese way; text that is not a number, or a number the app's rule
/// refuses (negative, absurdly large), is shown with a message and never stored, so the last
/// valid value stays saved.
#[component]
pub(crate) fn NumberField(
    id: String,
    /// What the rule allows in this field.
    field: Checked,
    label: String,
    value: Signal<Option<f64>>,
    /// Another tab edits the assessment.
    readonly: Memo<bool>,
    on_value: impl Fn(Option<f64>) + 'static,
) -> impl IntoView {
    let text = RwSignal::new(
        value
            .get_untracked()
            .map(|v| format_number(v, 6))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    // Follow changes made elsewhere (another tab, an import) unless the user is mid-typing.
    Effect::new(move |_| {
        let v = value.get();
        let typed = parse_number(&text.get_untracked()).ok().flatten();
        if error.get_untracked().is_none() && typed != v {
            text.set(v.map(|v| format_number(v, 6)).unwrap_or_default());
        }
    });
    let error_id = format!("{id}-loi");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode="decimal" autocomplete="off"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
                prop:readOnly=move || readonly.get()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let raw = event_target_value(&ev);
                    // The box already shows it: only a change from elsewhere sets it again.
                    text.update_untracked(|t| t.clone_from(&raw));
                    let checked = parse_number(&raw).map_err(|e| e.to_string()).and_then(|v| {
                        match v.map(|v| check_number(field, v)) {
                            Some(Err(problem)) => Err(problem.message_vi(field)),
                            _ => Ok(v),
                        }
                    });
                    match checked {
                        Ok(v) => {
                            if error.with_untracked(Option::is_some) {
                                error.set(None);
                            }
                            on_value(v);
                        }
                        Err(e) => error.set(Some(format!("«{raw}»: {e} Giá trị này chưa được lưu."))),
                    }
                }/>
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
