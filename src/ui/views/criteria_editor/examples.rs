//! Worked examples ("ví dụ kiểm tra"): the inputs of an assessment and the points and verdicts
//! the set must give them, each shown as right or wrong, with the difference, on every change.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::adapters::focus;
use crate::domain::criteria::{
    CriteriaSet, Example, ExampleInput, ExpectedItem, ItemOutcome, Rule,
};
use crate::domain::criteria_edit::{move_down, new_example, remove_at};
use crate::domain::criteria_validate::Field;
use crate::domain::scoring::Verdict;
use crate::ui::editor_state::{use_editor, EditorState, Part, PlaceKey};
use crate::ui::views::criteria_editor::fields::{
    Choice, FieldErrors, Fold, ListButtons, NumberInput, TextInput,
};

fn example_mut(s: &mut CriteriaSet, ei: usize) -> Option<&mut Example> {
    s.examples.get_mut(ei)
}

fn example_ref(s: &CriteriaSet, ei: usize) -> Option<&Example> {
    s.examples.get(ei)
}

/// The first id of `ids` not yet a key of `map`.
fn first_free<T>(ids: impl Iterator<Item = String>, map: &BTreeMap<String, T>) -> Option<String> {
    ids.into_iter().find(|id| !map.contains_key(id))
}

fn item_ids(s: &CriteriaSet) -> impl Iterator<Item = String> + '_ {
    s.criteria
        .iter()
        .flat_map(|c| &c.items)
        .map(|i| i.id.clone())
}

/// Renames a key of a map, unless the new one is taken.
fn rename<T>(map: &mut BTreeMap<String, T>, from: &str, to: String) {
    if from != to && !map.contains_key(&to) {
        if let Some(value) = map.remove(from) {
            map.insert(to, value);
        }
    }
}

#[component]
pub fn Examples() -> impl IntoView {
    let editor = use_editor();
    let list = move || {
        editor.shape.get();
        let count = editor
            .editor
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.set.examples.len()));
        (0..count)
            .map(|i| view! { <ExampleEditor index=i count=count/> })
            .collect_view()
    };
    view! {
        <section class="panel editor-panel" aria-labelledby="soan-vi-du">
            <h2 id="soan-vi-du">"Ví dụ kiểm tra"</h2>
            <p class="hint">
                "Mỗi ví dụ là số liệu của một bản tự đánh giá và kết quả văn bản quy định cho số \
                 liệu đó (điểm từng mục, từng tiêu chí, tổng điểm, đạt hay chưa đạt theo loại đơn \
                 vị). Ứng dụng chấm lại mọi ví dụ sau mỗi thay đổi và báo ví dụ nào sai, sai bao \
                 nhiêu điểm. Ví dụ đi kèm tệp bộ tiêu chí, không làm thay đổi mã nội dung của bộ."
            </p>
            {list}
            <button type="button" id="soan-vd-them" on:click=move |_| {
                let mut count = 0;
                editor.change("thêm ví dụ kiểm tra", |s| {
                    let example = new_example(s);
                    s.examples.push(example);
                    count = s.examples.len();
                });
                editor.set_open(&format!("vd-{count}"), true);
            }>"Thêm ví dụ kiểm tra"</button>
        </section>
    }
}

#[component]
fn ExampleEditor(index: usize, count: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = index;
    let number = index + 1;
    let place = PlaceKey::Example(number);
    let result = move || {
        editor.runs.with(|runs| {
            runs.get(ei).map(|run| {
                if run.passed() {
                    view! { <p class="example-result example-pass">"Đúng: mọi kết quả mong đợi khớp với cách chấm của bộ."</p> }.into_any()
                } else {
                    view! {
                        <div class="example-result example-fail">
                            <p>"Sai:"</p>
                            <ul>{run.mismatches.iter().map(|m| view! { <li>{m.to_string()}</li> }).collect_view()}</ul>
                        </div>
                    }
                    .into_any()
                }
            })
        })
    };
    let name_id = place.dom_id(Field::ExampleName);
    let summary = editor.read_in(Part::Example(ei), move |s| {
        example_ref(s, ei).map(|e| format!("Ví dụ kiểm tra thứ {number}: {}", e.name))
    });
    let status = Signal::derive(move || {
        editor.runs.with(|runs| {
            runs.get(ei).map(|r| {
                if r.passed() {
                    "Đúng".to_string()
                } else {
                    "Sai".to_string()
                }
            })
        })
    });
    view! {
        <Fold key=format!("vd-{number}") class="list-entry example-editor" summary=summary status=status>
            <div role="status">{result}</div>
            <TextInput id=name_id.clone() label="Tên ví dụ (ví dụ nói lên điều gì)"
                value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| e.name.clone()))
                on_input=editor.typed(name_id, format!("sửa tên ví dụ {number}"), move |s, v: String| {
                    if let Some(e) = example_mut(s, ei) {
                        e.name = v;
                    }
                })
                errors=editor.errors_at(place, Field::ExampleName)/>
            <TextInput id=format!("soan-vd-{number}-nguon") label="Căn cứ của kết quả mong đợi (không bắt buộc)"
                value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| e.source.clone().unwrap_or_default()))
                on_input=editor.typed(format!("vd-nguon-{ei}"), format!("sửa căn cứ của ví dụ {number}"), move |s, v: String| {
                    if let Some(e) = example_mut(s, ei) {
                        e.source = (!v.is_empty()).then_some(v);
                    }
                })/>
            <Inputs example=ei/>
            <RecordedMax example=ei/>
            <ExpectedItems example=ei/>
            <ExpectedCriteria example=ei/>
            <NumberInput id=format!("soan-vd-{number}-tong") label="Tổng điểm mong đợi (để trống nếu không kiểm tra)"
                whole=true optional=true
                value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| e.expected.total.map(f64::from)))
                on_value=editor.typed(format!("vd-tong-{ei}"), format!("sửa tổng điểm của ví dụ {number}"), move |s, v: Option<f64>| {
                    if let Some(e) = example_mut(s, ei) {
                        e.expected.total = v.map(|v| v as u32);
                    }
                })/>
            <Verdicts example=ei/>
            <FieldErrors id=place.dom_id(Field::ExampleExpected) errors=editor.errors_at(place, Field::ExampleExpected)/>
            <ListButtons what=format!("ví dụ thứ {number}") list="soan-vd" fold="vd" index=ei len=count
                on_move=editor.chosen("đổi thứ tự ví dụ".into(), |s, (a, _): (usize, usize)| move_down(&mut s.examples, a))
                on_remove=editor.chosen(format!("xóa ví dụ thứ {number}"), |s, i: usize| remove_at(&mut s.examples, i))/>
        </Fold>
    }
}

/// The keys of one of an example's maps in the order of the set (items or criteria as `order`
/// lists them; ids the set lacks last), read once: changing a key redraws.
fn keys_of(
    editor: EditorState,
    ei: usize,
    map: fn(&Example) -> Vec<String>,
    order: fn(&CriteriaSet) -> Vec<String>,
) -> Vec<String> {
    editor.editor.with_untracked(|e| {
        let Some(e) = e.as_ref() else {
            return Vec::new();
        };
        let mut keys = example_ref(&e.set, ei).map(map).unwrap_or_default();
        let order = order(&e.set);
        crate::domain::sorting::sort_by_key(&mut keys, |k| {
            order.iter().position(|o| o == k).unwrap_or(usize::MAX)
        });
        keys
    })
}

fn item_order(s: &CriteriaSet) -> Vec<String> {
    item_ids(s).collect()
}

fn criterion_order(s: &CriteriaSet) -> Vec<String> {
    s.criteria.iter().map(|c| c.id.clone()).collect()
}

/// Removes a row of an example's part. The part is drawn anew, so the focus goes to the next
/// row's «Xóa», or the previous row's, or the part's «Thêm» button (`add`).
fn remove_row(
    editor: EditorState,
    ev: &web_sys::MouseEvent,
    add: String,
    what: &str,
    change: Box<dyn FnOnce(&mut CriteriaSet)>,
) {
    let button: web_sys::Element = event_target(ev);
    let mut ids: Vec<String> = focus::beside(&button, ".example-row", "button.danger")
        .iter()
        .map(|e| format!("#{}", e.id()))
        .collect();
    ids.push(format!("#{add}"));
    editor.change(what, change);
    focus::later_first(ids, Some(button));
}

/// A key made safe for a DOM id ("1.2" → "1-2").
fn slug(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[component]
fn Inputs(example: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let number = ei + 1;
    let place = PlaceKey::Example(number);
    let rows = keys_of(
        editor,
        ei,
        |e| e.inputs.keys().cloned().collect(),
        item_order,
    )
    .into_iter()
    .map(|key| view! { <InputRow example=ei key=key/> })
    .collect_view();
    view! {
        <div class="example-part">
            <h3 id=place.dom_id(Field::ExampleInputs) tabindex="-1">"Dữ liệu nhập"</h3>
            {rows}
            <FieldErrors id=format!("{}-loi", place.dom_id(Field::ExampleInputs))
                errors=editor.errors_at(place, Field::ExampleInputs)/>
            <button type="button" id=format!("soan-vd-{number}-nhap-them")
                on:click=move |_| editor.change(&format!("thêm dữ liệu nhập vào ví dụ {number}"), move |s| {
                let free = example_ref(s, ei).and_then(|e| first_free(item_ids(s), &e.inputs));
                if let (Some(id), Some(e)) = (free, example_mut(s, ei)) {
                    e.inputs.insert(id, ExampleInput::default());
                }
            })>"Thêm dữ liệu nhập"</button>
        </div>
    }
}

/// The figures of one item, by the kind of its rule.
#[component]
fn InputRow(example: usize, key: String) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let base = format!("soan-vd-{}-nhap-{}", ei + 1, slug(&key));
    let rule = editor.editor.with_untracked(|e| {
        e.as_ref().and_then(|e| {
            e.set
                .criteria
                .iter()
                .flat_map(|c| &c.items)
                .find(|i| i.id == key)
                .map(|i| i.rule.clone())
        })
    });
    let field = |suffix: &'static str,
                 label: String,
                 get: fn(&ExampleInput) -> Option<f64>,
                 set: fn(&mut ExampleInput, Option<f64>)| {
        let key = key.clone();
        let k2 = key.clone();
        let id = format!("{base}-{suffix}");
        view! {
            <NumberInput id=id.clone() label=label optional=true
                value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).and_then(|e| e.inputs.get(&key)).map(get))
                on_value=editor.typed(id, "sửa dữ liệu nhập của ví dụ".into(), move |s, v: Option<f64>| {
                    if let Some(input) = example_mut(s, ei).and_then(|e| e.inputs.get_mut(&k2)) {
                        set(input, v);
                    }
                })/>
        }
    };
    let figures = match &rule {
        Some(Rule::YesNo { .. }) => {
            let (k1, k2) = (key.clone(), key.clone());
            let options = vec![
                (String::new(), "Chưa trả lời".to_string()),
                ("co".to_string(), "Có".to_string()),
                ("khong".to_string(), "Không".to_string()),
            ];
            view! {
                <Choice id=format!("{base}-co-khong") label="Trả lời" options=options
                    value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).and_then(|e| e.inputs.get(&k1)).map(|i| match i.yes {
                        Some(true) => "co".to_string(),
                        Some(false) => "khong".to_string(),
                        None => String::new(),
                    }))
                    on_change=editor.chosen("sửa câu trả lời của ví dụ".into(), move |s, v: String| {
                        if let Some(input) = example_mut(s, ei).and_then(|e| e.inputs.get_mut(&k2)) {
                            input.yes = match v.as_str() { "co" => Some(true), "khong" => Some(false), _ => None };
                        }
                    })/>
            }
            .into_any()
        }
        Some(rule @ (Rule::Rate { .. } | Rule::PerPopulation { .. } | Rule::Survey { .. })) => {
            let (n, d) = rule.ratio_labels().unwrap_or_default();
            view! {
                {field("tu-so", n.to_string(), |i| i.numerator, |i, v| i.numerator = v)}
                {field("mau-so", d.to_string(), |i| i.denominator, |i, v| i.denominator = v)}
            }
            .into_any()
        }
        Some(Rule::Count { label, .. }) => {
            field("so-luong", label.clone(), |i| i.count, |i, v| i.count = v).into_any()
        }
        _ => ().into_any(),
    };
    let (k_item, k_remove) = (key.clone(), key.clone());
    let manual = field(
        "diem",
        "Điểm người đánh giá nhập (nếu có)".into(),
        |i| i.manual_points,
        |i, v| i.manual_points = v,
    );
    view! {
        <div class="example-row">
            <Choice id=format!("{base}-muc") label="Mục" options=editor.item_choices
                value=Signal::derive(move || k_item.clone())
                on_change=editor.chosen("đổi mục của dữ liệu nhập".into(), move |s, to: String| {
                    if let Some(e) = example_mut(s, ei) {
                        rename(&mut e.inputs, &key, to);
                    }
                })/>
            {figures}
            {manual}
            <button type="button" class="danger" id=format!("{base}-xoa")
                aria-label=format!("Xóa dữ liệu nhập của mục {k_remove}")
                on:click=move |ev| {
                    let k = k_remove.clone();
                    remove_row(editor, &ev, format!("soan-vd-{}-nhap-them", ei + 1), "xóa dữ liệu nhập của ví dụ", Box::new(move |s| {
                        if let Some(e) = example_mut(s, ei) {
                            e.inputs.remove(&k);
                        }
                    }));
                }>"Xóa"</button>
        </div>
    }
}

/// Maxima the assessor records for criteria whose maximum the set leaves open.
#[component]
fn RecordedMax(example: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let number = ei + 1;
    let rows = keys_of(editor, ei, |e| e.recorded_max.keys().cloned().collect(), criterion_order)
        .into_iter()
        .map(|key| {
            let base = format!("soan-vd-{number}-toi-da-{}", slug(&key));
            let (k1, k2, k3, k4) = (key.clone(), key.clone(), key.clone(), key.clone());
            view! {
                <div class="example-row">
                    <Choice id=format!("{base}-tieu-chi") label="Tiêu chí" options=editor.criterion_choices
                        value=Signal::derive(move || k1.clone())
                        on_change=editor.chosen("đổi tiêu chí của điểm tối đa ghi nhận".into(), move |s, to: String| {
                            if let Some(e) = example_mut(s, ei) {
                                rename(&mut e.recorded_max, &k2, to);
                            }
                        })/>
                    <NumberInput id=format!("{base}-diem") label="Điểm tối đa ghi nhận" whole=true
                        value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| e.recorded_max.get(&k3).map(|v| f64::from(*v))))
                        on_value=editor.typed(format!("{base}-diem"), "sửa điểm tối đa ghi nhận".into(), move |s, v: Option<f64>| {
                            if let (Some(e), Some(v)) = (example_mut(s, ei), v) {
                                e.recorded_max.insert(k4.clone(), v as u32);
                            }
                        })/>
                    <button type="button" class="danger" id=format!("{base}-xoa")
                        aria-label=format!("Xóa điểm tối đa ghi nhận của tiêu chí {key}")
                        on:click=move |ev| {
                            let k = key.clone();
                            remove_row(editor, &ev, format!("soan-vd-{number}-toi-da-them"), "xóa điểm tối đa ghi nhận", Box::new(move |s| {
                                if let Some(e) = example_mut(s, ei) {
                                    e.recorded_max.remove(&k);
                                }
                            }));
                        }>"Xóa"</button>
                </div>
            }
        })
        .collect_view();
    let place = PlaceKey::Example(number);
    view! {
        <div class="example-part">
            <h3 id=place.dom_id(Field::ExampleRecordedMax) tabindex="-1">
                "Điểm tối đa người đánh giá ghi nhận (tiêu chí bộ chưa có điểm tối đa)"
            </h3>
            {rows}
            <FieldErrors id=format!("{}-loi", place.dom_id(Field::ExampleRecordedMax))
                errors=editor.errors_at(place, Field::ExampleRecordedMax)/>
            <button type="button" id=format!("soan-vd-{number}-toi-da-them")
                on:click=move |_| editor.change("thêm điểm tối đa ghi nhận", move |s| {
                let ids: Vec<String> = s.criteria.iter().map(|c| c.id.clone()).collect();
                if let Some(e) = example_mut(s, ei) {
                    if let Some(id) = first_free(ids.into_iter(), &e.recorded_max) {
                        e.recorded_max.insert(id, 0);
                    }
                }
            })>"Thêm điểm tối đa ghi nhận"</button>
        </div>
    }
}

/// The choice of an expected item result: points, or an outcome without points.
fn outcome_key(expected: ExpectedItem) -> String {
    match expected {
        ExpectedItem::Points(_) => "diem".into(),
        ExpectedItem::Outcome(o) => serde_json::to_value(o)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}

fn outcome_options() -> Vec<(String, String)> {
    let mut options = vec![("diem".to_string(), "Được số điểm".to_string())];
    options.extend(
        [
            ItemOutcome::NotApplicable,
            ItemOutcome::NeedsManualPoints,
            ItemOutcome::Missing,
            ItemOutcome::Invalid,
        ]
        .into_iter()
        .map(|o| {
            (
                outcome_key(ExpectedItem::Outcome(o)),
                capitalized(o.label_vi()),
            )
        }),
    );
    options
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[component]
fn ExpectedItems(example: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let number = ei + 1;
    let rows = keys_of(editor, ei, |e| e.expected.items.keys().cloned().collect(), item_order)
        .into_iter()
        .map(|key| {
            let base = format!("soan-vd-{number}-muc-{}", slug(&key));
            let (k1, k2, k3, k4, k5) = (key.clone(), key.clone(), key.clone(), key.clone(), key.clone());
            let is_points = editor.editor.with_untracked(|e| {
                e.as_ref()
                    .and_then(|e| example_ref(&e.set, ei))
                    .and_then(|e| e.expected.items.get(&key).copied())
                    .is_some_and(|x| matches!(x, ExpectedItem::Points(_)))
            });
            view! {
                <div class="example-row">
                    <Choice id=format!("{base}-ma") label="Mục" options=editor.item_choices
                        value=Signal::derive(move || k1.clone())
                        on_change=editor.chosen("đổi mục của kết quả mong đợi".into(), move |s, to: String| {
                            if let Some(e) = example_mut(s, ei) {
                                rename(&mut e.expected.items, &k2, to);
                            }
                        })/>
                    <Choice id=format!("{base}-ket-qua") label="Kết quả mong đợi" options=outcome_options()
                        value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).and_then(|e| e.expected.items.get(&k3)).map(|x| outcome_key(*x)))
                        on_change=editor.chosen("đổi kết quả mong đợi của mục".into(), move |s, v: String| {
                            let value = match v.as_str() {
                                "diem" => Some(ExpectedItem::Points(0)),
                                other => serde_json::from_value(serde_json::Value::String(other.to_string()))
                                    .ok()
                                    .map(ExpectedItem::Outcome),
                            };
                            if let (Some(e), Some(value)) = (example_mut(s, ei), value) {
                                e.expected.items.insert(k4.clone(), value);
                            }
                        })/>
                    {is_points.then(|| {
                        let (k6, k7) = (k5.clone(), k5.clone());
                        view! {
                            <NumberInput id=format!("{base}-diem") label="Điểm" whole=true
                                value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).and_then(|e| e.expected.items.get(&k6)).map(|x| match x {
                                    ExpectedItem::Points(p) => Some(f64::from(*p)),
                                    ExpectedItem::Outcome(_) => None,
                                }))
                                on_value=editor.typed(format!("{base}-diem"), "sửa điểm mong đợi của mục".into(), move |s, v: Option<f64>| {
                                    if let (Some(e), Some(v)) = (example_mut(s, ei), v) {
                                        e.expected.items.insert(k7.clone(), ExpectedItem::Points(v as u32));
                                    }
                                })/>
                        }
                    })}
                    <button type="button" class="danger" id=format!("{base}-xoa")
                        aria-label=format!("Xóa kết quả mong đợi của mục {key}")
                        on:click=move |ev| {
                            let k = key.clone();
                            remove_row(editor, &ev, format!("soan-vd-{number}-muc-them"), "xóa kết quả mong đợi", Box::new(move |s| {
                                if let Some(e) = example_mut(s, ei) {
                                    e.expected.items.remove(&k);
                                }
                            }));
                        }>"Xóa"</button>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="example-part">
            <h3>"Điểm mong đợi của từng mục"</h3>
            {rows}
            <button type="button" id=format!("soan-vd-{number}-muc-them")
                on:click=move |_| editor.change("thêm kết quả mong đợi của mục", move |s| {
                let free = example_ref(s, ei).and_then(|e| first_free(item_ids(s), &e.expected.items));
                if let (Some(id), Some(e)) = (free, example_mut(s, ei)) {
                    e.expected.items.insert(id, ExpectedItem::Points(0));
                }
            })>"Thêm điểm mong đợi của một mục"</button>
        </div>
    }
}

#[component]
fn ExpectedCriteria(example: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let number = ei + 1;
    let rows = keys_of(editor, ei, |e| e.expected.criteria.keys().cloned().collect(), criterion_order)
        .into_iter()
        .map(|key| {
            let base = format!("soan-vd-{number}-tc-{}", slug(&key));
            let (k1, k2, k3, k4) = (key.clone(), key.clone(), key.clone(), key.clone());
            view! {
                <div class="example-row">
                    <Choice id=format!("{base}-ma") label="Tiêu chí" options=editor.criterion_choices
                        value=Signal::derive(move || k1.clone())
                        on_change=editor.chosen("đổi tiêu chí của kết quả mong đợi".into(), move |s, to: String| {
                            if let Some(e) = example_mut(s, ei) {
                                rename(&mut e.expected.criteria, &k2, to);
                            }
                        })/>
                    <NumberInput id=format!("{base}-diem") label="Điểm của tiêu chí" whole=true
                        value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| e.expected.criteria.get(&k3).map(|v| f64::from(*v))))
                        on_value=editor.typed(format!("{base}-diem"), "sửa điểm mong đợi của tiêu chí".into(), move |s, v: Option<f64>| {
                            if let (Some(e), Some(v)) = (example_mut(s, ei), v) {
                                e.expected.criteria.insert(k4.clone(), v as u32);
                            }
                        })/>
                    <button type="button" class="danger" id=format!("{base}-xoa")
                        aria-label=format!("Xóa điểm mong đợi của tiêu chí {key}")
                        on:click=move |ev| {
                            let k = key.clone();
                            remove_row(editor, &ev, format!("soan-vd-{number}-tc-them"), "xóa điểm mong đợi của tiêu chí", Box::new(move |s| {
                                if let Some(e) = example_mut(s, ei) {
                                    e.expected.criteria.remove(&k);
                                }
                            }));
                        }>"Xóa"</button>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="example-part">
            <h3>"Điểm mong đợi của từng tiêu chí"</h3>
            {rows}
            <button type="button" id=format!("soan-vd-{number}-tc-them")
                on:click=move |_| editor.change("thêm điểm mong đợi của tiêu chí", move |s| {
                let ids: Vec<String> = s.criteria.iter().map(|c| c.id.clone()).collect();
                if let Some(e) = example_mut(s, ei) {
                    if let Some(id) = first_free(ids.into_iter(), &e.expected.criteria) {
                        e.expected.criteria.insert(id, 0);
                    }
                }
            })>"Thêm điểm mong đợi của một tiêu chí"</button>
        </div>
    }
}

/// For each unit category of the draft: the verdict expected, or none.
#[component]
fn Verdicts(example: usize) -> impl IntoView {
    let editor = use_editor();
    let ei = example;
    let number = ei + 1;
    // The set's categories, then any the example names that the set no longer has, so they
    // can be taken out.
    let categories: Vec<(String, String)> = editor.editor.with_untracked(|e| {
        let Some(e) = e.as_ref() else {
            return Vec::new();
        };
        let mut list: Vec<(String, String)> = e
            .set
            .unit_categories
            .iter()
            .map(|u| (u.id.clone(), u.label.clone()))
            .collect();
        if let Some(example) = example_ref(&e.set, ei) {
            for id in example.expected.verdicts.keys() {
                if !list.iter().any(|(k, _)| k == id) {
                    list.push((id.clone(), format!("{id} (không có trong bộ tiêu chí)")));
                }
            }
        }
        list
    });
    let options = vec![
        (String::new(), "Không kiểm tra".to_string()),
        ("pass".to_string(), Verdict::Pass.label_vi().to_string()),
        ("fail".to_string(), Verdict::Fail.label_vi().to_string()),
        (
            "incomplete".to_string(),
            Verdict::Incomplete.label_vi().to_string(),
        ),
    ];
    let rows = categories
        .into_iter()
        .map(|(id, label)| {
            let (k1, k2) = (id.clone(), id.clone());
            view! {
                <Choice id=format!("soan-vd-{number}-ket-luan-{}", slug(&id))
                    label=format!("Kết quả mong đợi với «{}»", if label.is_empty() { id.clone() } else { label })
                    options=options.clone()
                    value=editor.read_in(Part::Example(ei), move |s| example_ref(s, ei).map(|e| {
                        e.expected.verdicts.get(&k1).map(|v| match v {
                            Verdict::Pass => "pass",
                            Verdict::Fail => "fail",
                            Verdict::Incomplete => "incomplete",
                        }).unwrap_or_default().to_string()
                    }))
                    on_change=editor.chosen("đổi kết quả mong đợi theo loại đơn vị".into(), move |s, v: String| {
                        if let Some(e) = example_mut(s, ei) {
                            let verdict = match v.as_str() {
                                "pass" => Some(Verdict::Pass),
                                "fail" => Some(Verdict::Fail),
                                "incomplete" => Some(Verdict::Incomplete),
                                _ => None,
                            };
                            match verdict {
                                Some(v) => { e.expected.verdicts.insert(k2.clone(), v); }
                                None => { e.expected.verdicts.remove(&k2); }
                            }
                        }
                    })/>
            }
        })
        .collect_view();
    view! {
        <div class="example-part">
            <h3>"Đạt hay chưa đạt, theo loại đơn vị"</h3>
            {rows}
        </div>
    }
}
