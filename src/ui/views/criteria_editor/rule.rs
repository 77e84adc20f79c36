//! An item's scoring rule: its kind, the figures it reads, its bands as a small table (from …
//! to … → points), and what a value below the bands or a zero denominator means.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::criteria::{BelowBands, CriteriaSet, Rule, ZeroDenominator};
use crate::domain::criteria_edit::{
    add_band, band, band_count, convert_rule, move_band_down, remove_band, set_band, RuleKind,
};
use crate::domain::criteria_validate::Field;
use crate::domain::numbers::{format_number, parse_number};
use crate::ui::editor_state::{use_editor, Part, PlaceKey};
use crate::ui::views::criteria_editor::criterion::{item_mut, item_ref};
use crate::ui::views::criteria_editor::fields::{
    Choice, FieldErrors, ListButtons, NumberInput, TextInput,
};

fn rule_mut(s: &mut CriteriaSet, ci: usize, ii: usize) -> Option<&mut Rule> {
    item_mut(s, ci, ii).map(|i| &mut i.rule)
}

fn rule_ref(s: &CriteriaSet, ci: usize, ii: usize) -> Option<&Rule> {
    item_ref(s, ci, ii).map(|i| &i.rule)
}

/// The JSON name of a unit variant, the value of its choice.
fn key_of<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_key<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

fn below_options() -> Vec<(String, String)> {
    [
        (BelowBands::ZeroPoints, "0 điểm"),
        (
            BelowBands::Manual,
            "Người đánh giá nhập điểm (các mức thấp hơn chưa rõ)",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (key_of(k), v.to_string()))
    .collect()
}

fn zero_options() -> Vec<(String, String)> {
    [
        (
            ZeroDenominator::NotApplicable,
            "Không áp dụng (không tính điểm, không tính vào điểm tối đa)",
        ),
        (ZeroDenominator::FullPoints, "Được đủ điểm"),
        (ZeroDenominator::ZeroPoints, "0 điểm"),
        (
            ZeroDenominator::Manual,
            "Người đánh giá nhập điểm (văn bản chưa nói rõ)",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (key_of(k), v.to_string()))
    .collect()
}

#[component]
pub fn RuleEditor(criterion: usize, item: usize) -> impl IntoView {
    let editor = use_editor();
    let (ci, ii) = (criterion, item);
    let place = PlaceKey::Item(ci + 1, ii + 1);
    // A change of kind redraws the list, so the kind is read once.
    let Some(rule) = editor
        .editor
        .with_untracked(|e| e.as_ref().and_then(|e| rule_ref(&e.set, ci, ii).cloned()))
    else {
        return ().into_any();
    };
    let kind = RuleKind::of(&rule);
    let kinds: Vec<(String, String)> = RuleKind::ALL
        .into_iter()
        .map(|k| (k.key().to_string(), k.label_vi().to_string()))
        .collect();
    let id = |suffix: &str| format!("{}-{suffix}", place.dom_id(Field::Rule));
    let label_field = |field: Field, label: &'static str, numerator: bool| {
        let dom = place.dom_id(field);
        view! {
            <TextInput id=dom.clone() label=label
                value=editor.read_in(Part::Criterion(ci), move |s| rule_ref(s, ci, ii).and_then(|r| {
                    r.ratio_labels().map(|(n, d)| if numerator { n } else { d }.to_string())
                }))
                on_input=editor.typed(dom, format!("sửa {}", label.to_lowercase()), move |s, v: String| {
                    match rule_mut(s, ci, ii) {
                        Some(Rule::Rate { numerator_label, denominator_label, .. })
                        | Some(Rule::PerPopulation { numerator_label, denominator_label, .. }) => {
                            *if numerator { numerator_label } else { denominator_label } = v;
                        }
                        _ => {}
                    }
                })
                errors=editor.errors_at(place, field)/>
        }
    };
    let below = move || {
        view! {
            <Choice id=id("duoi") label="Dưới mức thấp nhất" options=below_options()
                value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                    Some(Rule::Rate { below, .. } | Rule::Count { below, .. } | Rule::Survey { below, .. }) => Some(key_of(*below)),
                    _ => None,
                })
                on_change=editor.chosen("đổi cách chấm dưới mức thấp nhất".into(), move |s, key: String| {
                    if let (Some(Rule::Rate { below, .. } | Rule::Count { below, .. } | Rule::Survey { below, .. }), Some(value)) =
                        (rule_mut(s, ci, ii), from_key(&key))
                    {
                        *below = value;
                    }
                })/>
        }
    };
    let zero = move || {
        view! {
            <Choice id=id("mau-so-0") label="Khi mẫu số bằng 0" options=zero_options()
                value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                    Some(Rule::Rate { zero_denominator, .. } | Rule::PerPopulation { zero_denominator, .. } | Rule::Survey { zero_denominator, .. }) => Some(key_of(*zero_denominator)),
                    _ => None,
                })
                on_change=editor.chosen("đổi cách chấm khi mẫu số bằng 0".into(), move |s, key: String| {
                    if let (Some(Rule::Rate { zero_denominator, .. } | Rule::PerPopulation { zero_denominator, .. } | Rule::Survey { zero_denominator, .. }), Some(value)) =
                        (rule_mut(s, ci, ii), from_key(&key))
                    {
                        *zero_denominator = value;
                    }
                })/>
        }
    };
    let details = match kind {
        RuleKind::YesNo => view! {
            <NumberInput id=id("diem") label="Điểm khi trả lời «Có»" whole=true
                value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                    Some(Rule::YesNo { points }) => Some(Some(f64::from(*points))),
                    _ => None,
                })
                on_value=editor.typed(id("diem"), "sửa điểm".into(), move |s, v: Option<f64>| {
                    if let (Some(Rule::YesNo { points }), Some(v)) = (rule_mut(s, ci, ii), v) {
                        *points = v as u32;
                    }
                })/>
        }
        .into_any(),
        RuleKind::Manual => view! {
            <NumberInput id=id("toi-da") label="Điểm tối đa người đánh giá được nhập" whole=true optional=true
                hint="Để trống nếu chưa rõ; khi đó giới hạn là phần còn lại của điểm tối đa tiêu chí."
                value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                    Some(Rule::Manual { max }) => Some(max.map(f64::from)),
                    _ => None,
                })
                on_value=editor.typed(id("toi-da"), "sửa điểm tối đa của mục".into(), move |s, v: Option<f64>| {
                    if let Some(Rule::Manual { max }) = rule_mut(s, ci, ii) {
                        *max = v.map(|v| v as u32);
                    }
                })/>
        }
        .into_any(),
        RuleKind::Rate => view! {
            {label_field(Field::NumeratorLabel, "Tên tử số (ví dụ: Số trẻ em được trợ giúp)", true)}
            {label_field(Field::DenominatorLabel, "Tên mẫu số (ví dụ: Tổng số trẻ em cần trợ giúp)", false)}
            <Bands criterion=ci item=ii kind=kind/>
            {below()}
            {zero()}
        }
        .into_any(),
        RuleKind::Survey => view! {
            <Bands criterion=ci item=ii kind=kind/>
            {below()}
            {zero()}
        }
        .into_any(),
        RuleKind::Count => {
            let dom = place.dom_id(Field::CountLabel);
            view! {
                <TextInput id=dom.clone() label="Tên số lượng (ví dụ: Số buổi sinh hoạt)"
                    value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                        Some(Rule::Count { label, .. }) => Some(label.clone()),
                        _ => None,
                    })
                    on_input=editor.typed(dom, "sửa tên số lượng".into(), move |s, v: String| {
                        if let Some(Rule::Count { label, .. }) = rule_mut(s, ci, ii) {
                            *label = v;
                        }
                    })
                    errors=editor.errors_at(place, Field::CountLabel)/>
                <Bands criterion=ci item=ii kind=kind/>
                {below()}
            }
            .into_any()
        }
        RuleKind::PerPopulation => view! {
            {label_field(Field::NumeratorLabel, "Tên tử số (ví dụ: Số trẻ em bị tai nạn)", true)}
            {label_field(Field::DenominatorLabel, "Tên mẫu số (ví dụ: Tổng số trẻ em)", false)}
            <NumberInput id=place.dom_id(Field::Per) label="Cơ số: tính trên bao nhiêu trẻ em" whole=true
                value=editor.read_in(Part::Criterion(ci), move |s| match rule_ref(s, ci, ii) {
                    Some(Rule::PerPopulation { per, .. }) => Some(Some(f64::from(*per))),
                    _ => None,
                })
                on_value=editor.typed(place.dom_id(Field::Per), "sửa cơ số".into(), move |s, v: Option<f64>| {
                    if let (Some(Rule::PerPopulation { per, .. }), Some(v)) = (rule_mut(s, ci, ii), v) {
                        *per = v as u32;
                    }
                })
                errors=editor.errors_at(place, Field::Per)/>
            <Bands criterion=ci item=ii kind=kind/>
            {zero()}
        }
        .into_any(),
    };
    view! {
        <div class="rule-editor">
            <Choice id=place.dom_id(Field::Rule) label="Cách chấm điểm" options=kinds
                value=Signal::derive(move || kind.key().to_string())
                on_change=editor.chosen("đổi cách chấm điểm".into(), move |s, key: String| {
                    if let (Some(rule), Some(kind)) = (rule_mut(s, ci, ii), RuleKind::from_key(&key)) {
                        *rule = convert_rule(rule, kind);
                    }
                })
                errors=editor.errors_at(place, Field::Rule)/>
            {details}
        </div>
    }
    .into_any()
}

/// The bands as a table: one row per band, from … to … → points.
#[component]
fn Bands(criterion: usize, item: usize, kind: RuleKind) -> impl IntoView {
    let editor = use_editor();
    let (ci, ii) = (criterion, item);
    let place = PlaceKey::Item(ci + 1, ii + 1);
    let lower_is_better = kind == RuleKind::PerPopulation;
    let unit = match kind {
        RuleKind::Rate | RuleKind::Survey => "%",
        _ => "",
    };
    let count = editor.editor.with_untracked(|e| {
        e.as_ref()
            .and_then(|e| rule_ref(&e.set, ci, ii))
            .map_or(0, band_count)
    });
    let bound = move |i: usize| {
        editor
            .with_part(Part::Criterion(ci), |s| {
                s.and_then(|s| rule_ref(s, ci, ii)).and_then(|r| band(r, i))
            })
            .map(|(b, _)| b)
    };
    // The bound a row does not edit: the next band's (higher is better) or the previous one's.
    // Under its column's name («Từ», «Đến»), which a phone shows before it: not said twice.
    let other_end = move |i: usize| -> String {
        let show = |v: f64| format!("{}{unit}", format_number(v, 2));
        if lower_is_better {
            match i.checked_sub(1).and_then(bound) {
                Some(prev) => format!("trên {}", show(prev)),
                None => format!("0{unit}"),
            }
        } else {
            match bound(i + 1) {
                Some(next) => format!("dưới {}", show(next)),
                None if unit == "%" => "100%".to_string(),
                None => "trở lên".to_string(),
            }
        }
    };
    let (first_head, second_head) = if lower_is_better {
        ("Từ", "Đến (≤)")
    } else {
        ("Từ (≥)", "Đến")
    };
    // The column each cell belongs to, shown above it on a phone where the header is hidden.
    let (bound_head, other_head) = if lower_is_better {
        (second_head, first_head)
    } else {
        (first_head, second_head)
    };
    let rows = (0..count)
        .map(|i| {
            let number = i + 1;
            let (bound_cell, other_cell) = (
                view! {
                    <td data-label=bound_head><BandNumber id=format!("{}-{number}-nguong", place.dom_id(Field::Bands))
                        label=if lower_is_better { format!("Đến (≤), ngưỡng {number}") } else { format!("Từ (≥), ngưỡng {number}") }
                        value=Signal::derive(move || bound(i))
                        on_value=editor.typed(format!("nguong-{ci}-{ii}-{i}"), format!("sửa ngưỡng {number}"), move |s, v: f64| {
                            if let Some(r) = rule_mut(s, ci, ii) {
                                set_band(r, i, Some(v), None);
                            }
                        })/></td>
                },
                view! { <td class="band-derived" data-label=other_head>{move || other_end(i)}</td> },
            );
            let (first, second) = if lower_is_better {
                (other_cell.into_any(), bound_cell.into_any())
            } else {
                (bound_cell.into_any(), other_cell.into_any())
            };
            view! {
                <tr>
                    {first}
                    {second}
                    <td data-label="Điểm"><BandNumber id=format!("{}-{number}-diem", place.dom_id(Field::Bands))
                        label=format!("Điểm, ngưỡng {number}")
                        value=Signal::derive(move || {
                            editor.with_part(Part::Criterion(ci), |s| s.and_then(|s| rule_ref(s, ci, ii)).and_then(|r| band(r, i)))
                                .map(|(_, p)| f64::from(p))
                        })
                        whole=true
                        on_value=editor.typed(format!("diem-{ci}-{ii}-{i}"), format!("sửa điểm của ngưỡng {number}"), move |s, v: f64| {
                            if let Some(r) = rule_mut(s, ci, ii) {
                                set_band(r, i, None, Some(v as u32));
                            }
                        })/></td>
                    <td>
                        <ListButtons what=format!("ngưỡng {number}") list=place.dom_id(Field::Bands) index=i len=count
                            on_move=editor.chosen("đổi thứ tự ngưỡng".into(), move |s, (a, _): (usize, usize)| {
                                if let Some(r) = rule_mut(s, ci, ii) {
                                    move_band_down(r, a);
                                }
                            })
                            on_remove=editor.chosen(format!("xóa ngưỡng {number}"), move |s, i: usize| {
                                if let Some(r) = rule_mut(s, ci, ii) {
                                    remove_band(r, i);
                                }
                            })/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="bands">
            <table id=place.dom_id(Field::Bands) tabindex="-1">
                <caption>{if lower_is_better {
                    "Các ngưỡng điểm (tỷ suất càng thấp càng tốt; cao hơn ngưỡng cuối được 0 điểm)"
                } else {
                    "Các ngưỡng điểm (đạt ngưỡng cao nhất nào thì được điểm của ngưỡng đó)"
                }}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first_head}</th>
                        <th scope="col">{second_head}</th>
                        <th scope="col">"Điểm"</th>
                        <th scope="col"><span class="visually-hidden">"Sắp xếp, xóa"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <FieldErrors id=format!("{}-loi", place.dom_id(Field::Bands))
                errors=editor.errors_at(place, Field::Bands)/>
            <button type="button" id=format!("{}-them", place.dom_id(Field::Bands))
                on:click=move |_| editor.change("thêm ngưỡng", move |s| {
                if let Some(r) = rule_mut(s, ci, ii) {
                    add_band(r);
                }
            })>"Thêm ngưỡng"</button>
        </div>
    }
}

/// A number in a band row: labelled for screen readers by its column and row; a value that is
/// not a number is shown with a message and not written.
#[component]
fn BandNumber(
    id: String,
    label: String,
    value: Signal<Option<f64>>,
    on_value: Callback<f64>,
    #[prop(optional)] whole: bool,
) -> impl IntoView {
    let show = move |v: Option<f64>| v.map(|v| format_number(v, 6)).unwrap_or_default();
    let text = RwSignal::new(show(value.get_untracked()));
    let error = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        let v = value.get();
        if error.get_untracked().is_none()
            && parse_number(&text.get_untracked()).ok().flatten() != v
        {
            text.set(show(v));
        }
    });
    let error_id = format!("{id}-loi");
    view! {
        <input id=id type="text" class="band-input" inputmode="decimal" autocomplete="off"
            aria-label=label aria-describedby=error_id.clone()
            aria-invalid=move || error.get().is_some().then_some("true")
            prop:value=move || text.get()
            on:input=move |ev| {
                let raw = event_target_value(&ev);
                text.set(raw.clone());
                match parse_number(&raw) {
                    Ok(Some(v)) if !whole || (v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)) => {
                        error.set(None);
                        on_value.run(v);
                    }
                    _ => error.set(Some(if whole { "Cần số nguyên không âm." } else { "Cần một số." })),
                }
            }/>
        <span id=error_id class="field-error" aria-live="polite">{move || error.get()}</span>
    }
}
