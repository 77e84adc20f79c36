//! One item of a criterion: exactly the inputs its rule needs, validated as the user types,
//! with the computed value and points shown live, and the source, explanation and check mark.

use leptos::prelude::*;

use crate::domain::assessment::Answer;
use crate::domain::criteria::{Item, Rule};
use crate::domain::numbers::{format_number, parse_number};
use crate::domain::scoring::{ItemScore, ItemStatus};
use crate::domain::validation::{check_number, NumberField as Checked, TextField};
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

/// `answer` and `on_edit` connect the item to where its answer lives: a stored assessment on the
/// criterion screens, the editor's preview of a draft set.
#[component]
pub fn ItemInput(
    item: Item,
    /// This item's score, recomputed on every change.
    score: Signal<Option<ItemScore>>,
    answer: Signal<Answer>,
    /// Receives the whole answer after each change.
    on_edit: Callback<Answer>,
) -> impl IntoView {
    let item_id = item.id.clone();
    let edit = move |change: Box<dyn FnOnce(&mut Answer)>| {
        let mut next = answer.get_untracked();
        change(&mut next);
        on_edit.run(next);
    };
    let number = {
        let iid = item_id.clone();
        move |field: Field, label: String| {
            view! {
                <NumberField
                    id=dom_id(&iid, field.slug())
                    field=field.checked()
                    label=label
                    value=Signal::derive(move || field.get(&answer.get()))
                    on_value=move |v| edit(Box::new(move |a| field.set(a, v)))
                />
            }
        }
    };

    let inputs = match &item.rule {
        Rule::YesNo { points } => {
            let name = dom_id(&item_id, "co-khong");
            let (e1, e2) = (edit, edit);
            view! {
                <div role="radiogroup" class="yes-no" aria-label=format!("Mục {}: có hay không", item.id)>
                    <label class="choice">
                        <input type="radio" name=name.clone()
                            prop:checked=move || answer.get().yes == Some(true)
                            on:change=move |_| e1(Box::new(|a| a.yes = Some(true)))/>
                        {format!("Có ({points} điểm)")}
                    </label>
                    <label class="choice">
                        <input type="radio" name=name
                            prop:checked=move || answer.get().yes == Some(false)
                            on:change=move |_| e2(Box::new(|a| a.yes = Some(false)))/>
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
    let fallback_points = {
        let number = number.clone();
        let is_manual_rule = matches!(item.rule, Rule::Manual { .. });
        move || {
            let needs = matches!(
                score.get().map(|s| s.status),
                Some(ItemStatus::NeedsManualPoints { .. })
            );
            (!is_manual_rule && (needs || answer.get().manual_points.is_some())).then(|| {
                number(
                    Field::ManualPoints,
                    "Điểm do người đánh giá chấm theo bảng điểm chính thức".into(),
                )
            })
        }
    };

    // Open from the start when notes exist; never toggled by later edits, which would close
    // the section under the user's fingers.
    let evidence_open =
        answer.with_untracked(|a| !a.source.is_empty() || !a.explanation.is_empty());
    let (e_src, e_exp, e_chk) = (edit, edit, edit);
    let (src_id, exp_id, chk_id) = (
        dom_id(&item_id, "nguon"),
        dom_id(&item_id, "thuyet-minh"),
        dom_id(&item_id, "da-kiem-tra"),
    );
    view! {
        <section class="item" aria-labelledby=dom_id(&item_id, "ten")>
            <h2 class="item-title" id=dom_id(&item_id, "ten")>
                <span class="item-number">{format!("Mục {}", item.id)}</span> " " {item.text.clone()}
            </h2>
            <ProvenanceBadge provenance=item.provenance.clone()/>
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
                    prop:value=move || answer.get().source
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        e_src(Box::new(move |a| a.source = v));
                    }/>
                <label for=exp_id.clone()>"Thuyết minh"</label>
                <textarea id=exp_id rows="3" maxlength=TextField::Explanation.max_chars()
                    prop:value=move || answer.get().explanation
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        e_exp(Box::new(move |a| a.explanation = v));
                    }></textarea>
            </details>
            <label class="check">
                <input id=chk_id type="checkbox"
                    prop:checked=move || answer.get().checked
                    on:change=move |ev| {
                        let v = event_target_checked(&ev);
                        e_chk(Box::new(move |a| a.checked = v));
                    }/>
                "Đã kiểm tra"
            </label>
        </section>
    }
}

/// The computed value, the band and the points, or what is missing or wrong.
#[component]
fn ScoreLine(rule: Rule, score: Signal<Option<ItemScore>>) -> impl IntoView {
    move || {
        let Some(s) = score.get() else {
            return view! { <p class="score-line">"Chưa tính được."</p> }.into_any();
        };
        let max = s.max.map_or(String::new(), |m| format!(" / {m}"));
        let value = s.value.map(|v| match &rule {
            Rule::PerPopulation { per, .. } => {
                format!(
                    "Tỷ suất: {} trên {} trẻ em. ",
                    format_number(v, 2),
                    format_number(*per as f64, 0)
                )
            }
            Rule::Count { .. } => format!("Số lượng: {}. ", format_number(v, 0)),
            _ => format!("Tỷ lệ: {}%. ", format_number(v, 1)),
        });
        match s.status {
            // 0 points is not a success, and partial points are not full marks.
            ItemStatus::Scored if s.points == 0 => view! {
                <p class="score-line score-zero" aria-live="polite">
                    {value} <strong>{format!("0 điểm{max}")}</strong>
                    " — mục này không được điểm."
                </p>
            }
            .into_any(),
            ItemStatus::Scored => view! {
                <p class="score-line" class:score-ok=s.max.is_none_or(|m| s.points >= m)
                    aria-live="polite">
                    {value} <strong>{format!("{} điểm{max}", s.points)}</strong>
                </p>
            }
            .into_any(),
            ItemStatus::NotApplicable => view! {
                <p class="score-line" aria-live="polite">
                    "Không áp dụng (không có trường hợp nào): mục này không tính điểm."
                </p>
            }
            .into_any(),
            ItemStatus::Missing { needs } => view! {
                <p class="score-line score-missing" aria-live="polite">{value} "Còn thiếu: " {needs}</p>
            }
            .into_any(),
            ItemStatus::NeedsManualPoints { reason } => view! {
                <p class="score-line score-missing" aria-live="polite">{value} {reason}</p>
            }
            .into_any(),
            ItemStatus::Invalid { message } => view! {
                <p class="score-line score-error" role="alert">{message}</p>
            }
            .into_any(),
        }
    }
}

/// A number typed the Vietnamese way; text that is not a number, or a number the app's rule
/// refuses (negative, absurdly large), is shown with a message and never stored, so the last
/// valid value stays saved.
#[component]
fn NumberField(
    id: String,
    /// What the rule allows in this field.
    field: Checked,
    label: String,
    value: Signal<Option<f64>>,
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
                prop:value=move || text.get()
                on:input=move |ev| {
                    let raw = event_target_value(&ev);
                    text.set(raw.clone());
                    let checked = parse_number(&raw).map_err(|e| e.to_string()).and_then(|v| {
                        match v.map(|v| check_number(field, v)) {
                            Some(Err(problem)) => Err(problem.message_vi(field)),
                            _ => Ok(v),
                        }
                    });
                    match checked {
                        Ok(v) => {
                            error.set(None);
                            on_value(v);
                        }
                        Err(e) => error.set(Some(format!("«{raw}»: {e} Giá trị này chưa được lưu."))),
                    }
                }/>
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
