//! The criteria, each with its items: ids, names, maxima, provenance, and each item's rule.

use leptos::prelude::*;

use crate::domain::criteria::{CriteriaSet, Criterion, Item, Provenance};
use crate::domain::criteria_edit::{move_down, new_criterion, new_item, remove_at};
use crate::domain::criteria_validate::Field;
use crate::ui::editor_state::{use_editor, Part, PlaceKey};
use crate::ui::views::criteria_editor::fields::{
    Choice, FieldErrors, Fold, ListButtons, NumberInput, TextInput,
};
use crate::ui::views::criteria_editor::rule::RuleEditor;

/// A criterion of the draft, by position.
pub fn criterion_mut(s: &mut CriteriaSet, ci: usize) -> Option<&mut Criterion> {
    s.criteria.get_mut(ci)
}

/// An item of the draft, by positions.
pub fn item_mut(s: &mut CriteriaSet, ci: usize, ii: usize) -> Option<&mut Item> {
    s.criteria.get_mut(ci)?.items.get_mut(ii)
}

pub fn item_ref(s: &CriteriaSet, ci: usize, ii: usize) -> Option<&Item> {
    s.criteria.get(ci)?.items.get(ii)
}

#[component]
pub fn CriteriaList() -> impl IntoView {
    let editor = use_editor();
    let list = move || {
        editor.shape.get();
        let count = editor
            .editor
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.set.criteria.len()));
        (0..count)
            .map(|i| view! { <CriterionEditor index=i count=count/> })
            .collect_view()
    };
    view! {
        <section class="panel editor-panel" aria-labelledby="soan-tieu-chi">
            <h2 id="soan-tieu-chi">"Các tiêu chí"</h2>
            <FieldErrors id=PlaceKey::Set.dom_id(Field::Criteria)
                errors=editor.errors_at(PlaceKey::Set, Field::Criteria)/>
            {list}
            <button type="button" class="primary" id="soan-tc-them" on:click=move |_| {
                let mut count = 0;
                editor.change("thêm tiêu chí", |s| {
                    let criterion = new_criterion(s);
                    s.criteria.push(criterion);
                    count = s.criteria.len();
                });
                editor.set_open(&format!("tc-{count}"), true);
            }>"Thêm tiêu chí"</button>
        </section>
    }
}

#[component]
fn CriterionEditor(index: usize, count: usize) -> impl IntoView {
    let editor = use_editor();
    let place = PlaceKey::Criterion(index + 1);
    let number = index + 1;
    let summary = editor.read_in(Part::Criterion(index), move |s| {
        s.criteria.get(index).map(|c| {
            let max = c.max_points.map_or_else(
                || "chưa rõ điểm tối đa".to_string(),
                |m| format!("tối đa {m} điểm"),
            );
            format!(
                "Tiêu chí {}. {} — {max}, {} mục",
                c.id,
                c.name,
                c.items.len()
            )
        })
    });
    let status = Signal::derive(move || match editor.problems_in_criterion(number) {
        0 => None,
        n => Some(format!("{n} vấn đề")),
    });
    let items = move || {
        editor.shape.get();
        let count = editor.editor.with_untracked(|e| {
            e.as_ref()
                .and_then(|e| e.set.criteria.get(index))
                .map_or(0, |c| c.items.len())
        });
        (0..count)
            .map(|i| view! { <ItemEditor criterion=index index=i count=count/> })
            .collect_view()
    };
    let text = move |field: Field,
                     label: &'static str,
                     get: fn(&Criterion) -> &String,
                     set: fn(&mut Criterion) -> &mut String| {
        let id = place.dom_id(field);
        view! {
            <TextInput id=id.clone() label=label
                value=editor.read_in(Part::Criterion(index), move |s| s.criteria.get(index).map(|c| get(c).clone()))
                on_input=editor.typed(id, format!("sửa {} của tiêu chí thứ {number}", label.to_lowercase()), move |s, v: String| {
                    if let Some(c) = criterion_mut(s, index) {
                        *set(c) = v;
                    }
                })
                errors=editor.errors_at(place, field)/>
        }
    };
    view! {
        <Fold key=format!("tc-{number}") class="criterion-editor" summary=summary status=status>
            {text(Field::CriterionId, "Mã tiêu chí", |c| &c.id, |c| &mut c.id)}
            {text(Field::CriterionName, "Tên tiêu chí", |c| &c.name, |c| &mut c.name)}
            <NumberInput id=place.dom_id(Field::CriterionMax) label="Điểm tối đa của tiêu chí" whole=true optional=true
                hint="Để trống nếu văn bản chưa xác nhận; khi có, tổng điểm tối đa các mục phải bằng số này."
                value=editor.read_in(Part::Criterion(index), move |s| s.criteria.get(index).map(|c| c.max_points.map(f64::from)))
                on_value=editor.typed(place.dom_id(Field::CriterionMax), format!("sửa điểm tối đa của tiêu chí thứ {number}"), move |s, v: Option<f64>| {
                    if let Some(c) = criterion_mut(s, index) {
                        c.max_points = v.map(|v| v as u32);
                    }
                })
                errors=editor.errors_at(place, Field::CriterionMax)/>
            <ProvenanceEditor place=place criterion=index item=None/>
            <h3>"Các mục"</h3>
            <FieldErrors id=place.dom_id(Field::Items) errors=editor.errors_at(place, Field::Items)/>
            {items}
            <div class="actions">
                <button type="button" id=format!("soan-tc-{number}-muc-them")
                    on:click=move |_| editor.change(&format!("thêm mục vào tiêu chí thứ {number}"), move |s| {
                    let Some(c) = s.criteria.get(index) else { return };
                    let item = new_item(c, s);
                    if let Some(c) = criterion_mut(s, index) {
                        c.items.push(item);
                    }
                })>{format!("Thêm mục vào tiêu chí thứ {number}")}</button>
            </div>
            <ListButtons what=format!("tiêu chí thứ {number}") list="soan-tc" fold="tc" index=index len=count
                on_move=editor.chosen("đổi thứ tự tiêu chí".into(), |s, (a, _): (usize, usize)| move_down(&mut s.criteria, a))
                on_remove=editor.chosen(format!("xóa tiêu chí thứ {number}"), |s, i: usize| remove_at(&mut s.criteria, i))/>
        </Fold>
    }
}

#[component]
fn ItemEditor(criterion: usize, index: usize, count: usize) -> impl IntoView {
    let editor = use_editor();
    let (ci, ii) = (criterion, index);
    let place = PlaceKey::Item(ci + 1, ii + 1);
    let where_ = format!("mục thứ {} của tiêu chí thứ {}", ii + 1, ci + 1);
    let legend = editor.read_in(Part::Criterion(ci), move |s| {
        item_ref(s, ci, ii).map(|i| format!("Mục {}", i.id))
    });
    let text = {
        let where_ = where_.clone();
        move |field: Field,
              label: &'static str,
              get: fn(&Item) -> String,
              set: fn(&mut Item, String)| {
            let id = place.dom_id(field);
            view! {
                <TextInput id=id.clone() label=label
                    value=editor.read_in(Part::Criterion(ci), move |s| item_ref(s, ci, ii).map(get))
                    on_input=editor.typed(id, format!("sửa {} của {where_}", label.to_lowercase()), move |s, v: String| {
                        if let Some(item) = item_mut(s, ci, ii) {
                            set(item, v);
                        }
                    })
                    errors=editor.errors_at(place, field)/>
            }
        }
    };
    view! {
        <fieldset class="item-editor">
            <legend>{legend}</legend>
            {text(Field::ItemId, "Mã mục", |i| i.id.clone(), |i, v| i.id = v)}
            {text(Field::ItemText, "Nội dung", |i| i.text.clone(), |i, v| i.text = v)}
            <TextInput id=format!("soan-tc-{}-muc-{}-huong-dan", ci + 1, ii + 1)
                label="Hướng dẫn cho người đánh giá (không bắt buộc)" multiline=true
                value=editor.read_in(Part::Criterion(ci), move |s| item_ref(s, ci, ii).map(|i| i.hint.clone().unwrap_or_default()))
                on_input=editor.typed(format!("huong-dan-{ci}-{ii}"), format!("sửa hướng dẫn của {where_}"), move |s, v: String| {
                    if let Some(item) = item_mut(s, ci, ii) {
                        item.hint = (!v.is_empty()).then_some(v);
                    }
                })/>
            <RuleEditor criterion=ci item=ii/>
            <ProvenanceEditor place=place criterion=ci item=Some(ii)/>
            <ListButtons what=where_.clone() list=format!("soan-tc-{}-muc", ci + 1) index=ii len=count
                on_move=editor.chosen("đổi thứ tự mục".into(), move |s, (a, _): (usize, usize)| {
                    if let Some(c) = criterion_mut(s, ci) {
                        move_down(&mut c.items, a);
                    }
                })
                on_remove=editor.chosen(format!("xóa {where_}"), move |s, i: usize| {
                    if let Some(c) = criterion_mut(s, ci) {
                        remove_at(&mut c.items, i);
                    }
                })/>
        </fieldset>
    }
}

fn provenance_mut(s: &mut CriteriaSet, ci: usize, ii: Option<usize>) -> Option<&mut Provenance> {
    match ii {
        None => criterion_mut(s, ci).map(|c| &mut c.provenance),
        Some(ii) => item_mut(s, ci, ii).map(|i| &mut i.provenance),
    }
}

fn provenance_ref(s: &CriteriaSet, ci: usize, ii: Option<usize>) -> Option<&Provenance> {
    match ii {
        None => s.criteria.get(ci).map(|c| &c.provenance),
        Some(ii) => item_ref(s, ci, ii).map(|i| &i.provenance),
    }
}

/// (status key, text) of a provenance.
fn provenance_parts(p: &Provenance) -> (&'static str, String) {
    match p {
        Provenance::Verified { source } => ("verified", source.clone()),
        Provenance::Secondary { source } => ("secondary", source.clone()),
        Provenance::NotEncoded { note } => ("not_encoded", note.clone()),
    }
}

fn provenance_of(status: &str, text: String) -> Provenance {
    match status {
        "secondary" => Provenance::Secondary { source: text },
        "not_encoded" => Provenance::NotEncoded { note: text },
        _ => Provenance::Verified { source: text },
    }
}

/// How sure the set is of a criterion or an item, and the citation (or the note of what is
/// missing).
#[component]
fn ProvenanceEditor(place: PlaceKey, criterion: usize, item: Option<usize>) -> impl IntoView {
    let editor = use_editor();
    let ci = criterion;
    let text_id = place.dom_id(Field::ProvenanceSource);
    let status_id = format!("{text_id}-trang-thai");
    let options: Vec<(String, String)> = [
        ("verified", "Đã đối chiếu văn bản đã ký"),
        ("secondary", "Nguồn thứ cấp (báo chí, bản tóm tắt)"),
        (
            "not_encoded",
            "Chưa đối chiếu văn bản gốc (người đánh giá chấm)",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let status = editor.read_in(Part::Criterion(ci), move |s| {
        provenance_ref(s, ci, item).map(|p| provenance_parts(p).0.to_string())
    });
    // A change of status redraws the list, so the label is read once.
    let text_label = if status.get_untracked() == "not_encoded" {
        "Ghi chú: điều gì chưa rõ"
    } else {
        "Trích dẫn nguồn (văn bản, điều, khoản, trang)"
    };
    view! {
        <div class="provenance-editor">
            <Choice id=status_id label="Nguồn gốc" options=options value=status
                on_change=editor.chosen("đổi nguồn gốc".into(), move |s, key: String| {
                    if let Some(p) = provenance_mut(s, ci, item) {
                        let text = provenance_parts(p).1;
                        *p = provenance_of(&key, text);
                    }
                })/>
            <TextInput id=text_id.clone()
                label=text_label
                value=editor.read_in(Part::Criterion(ci), move |s| provenance_ref(s, ci, item).map(|p| provenance_parts(p).1))
                on_input=editor.typed(text_id, "sửa nguồn".into(), move |s, v: String| {
                    if let Some(p) = provenance_mut(s, ci, item) {
                        let key = provenance_parts(p).0;
                        *p = provenance_of(key, v);
                    }
                })
                errors=editor.errors_at(place, Field::ProvenanceSource)/>
        </div>
    }
}
