//! The unit categories and their pass thresholds (900 / 850 / 800 in 06/QĐ-TTg).

use leptos::prelude::*;

use crate::domain::criteria::UnitCategory;
use crate::domain::criteria_edit::{move_down, remove_at};
use crate::domain::criteria_validate::Field;
use crate::ui::editor_state::{use_editor, PlaceKey};
use crate::ui::views::criteria_editor::fields::{FieldErrors, ListButtons, NumberInput, TextInput};

#[component]
pub fn Units() -> impl IntoView {
    let editor = use_editor();
    let list = move || {
        editor.shape.get();
        let count = editor
            .editor
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.set.unit_categories.len()));
        (0..count)
            .map(|i| view! { <UnitEditor index=i count=count/> })
            .collect_view()
    };
    view! {
        <section class="panel editor-panel" aria-labelledby="soan-loai">
            <h2 id="soan-loai">"Loại đơn vị và ngưỡng đạt"</h2>
            <p class="hint">
                "Mỗi loại đơn vị có ngưỡng tổng điểm riêng; người đánh giá chọn loại của đơn vị mình."
            </p>
            <FieldErrors id=PlaceKey::Set.dom_id(Field::UnitCategories)
                errors=editor.errors_at(PlaceKey::Set, Field::UnitCategories)/>
            {list}
            <button type="button" id="soan-loai-them" on:click=move |_| editor.change("thêm loại đơn vị", |s| {
                s.unit_categories.push(UnitCategory {
                    id: String::new(),
                    label: String::new(),
                    official_wording: String::new(),
                    min_total: 0,
                });
            })>"Thêm loại đơn vị"</button>
        </section>
    }
}

#[component]
fn UnitEditor(index: usize, count: usize) -> impl IntoView {
    let editor = use_editor();
    let place = PlaceKey::Unit(index + 1);
    let what = format!("loại đơn vị thứ {}", index + 1);
    let text = move |field: Field,
                     label: &'static str,
                     get: fn(&UnitCategory) -> &String,
                     set: fn(&mut UnitCategory) -> &mut String| {
        let id = place.dom_id(field);
        view! {
            <TextInput id=id.clone() label=label
                value=editor.read(move |s| s.unit_categories.get(index).map(|u| get(u).clone()))
                on_input=editor.typed(id, format!("sửa {} của loại đơn vị {}", label.to_lowercase(), index + 1), move |s, v| {
                    if let Some(u) = s.unit_categories.get_mut(index) {
                        *set(u) = v;
                    }
                })
                errors=editor.errors_at(place, field)/>
        }
    };
    view! {
        <fieldset class="list-entry">
            <legend>{format!("Loại đơn vị thứ {}", index + 1)}</legend>
            {text(Field::UnitId, "Mã", |u| &u.id, |u| &mut u.id)}
            {text(Field::UnitLabel, "Nhãn hiển thị cho người đánh giá", |u| &u.label, |u| &mut u.label)}
            {text(Field::UnitWording, "Cách gọi trong văn bản", |u| &u.official_wording, |u| &mut u.official_wording)}
            <NumberInput id=place.dom_id(Field::MinTotal) label="Ngưỡng đạt (tổng điểm tối thiểu)" whole=true
                value=editor.read(move |s| s.unit_categories.get(index).map(|u| Some(f64::from(u.min_total))))
                on_value=editor.typed(place.dom_id(Field::MinTotal), format!("sửa ngưỡng của loại đơn vị {}", index + 1), move |s, v: Option<f64>| {
                    if let (Some(u), Some(v)) = (s.unit_categories.get_mut(index), v) {
                        u.min_total = v as u32;
                    }
                })
                errors=editor.errors_at(place, Field::MinTotal)/>
            <ListButtons what=what list="soan-loai" index=index len=count
                on_move=editor.chosen("đổi thứ tự loại đơn vị".into(), |s, (a, _): (usize, usize)| move_down(&mut s.unit_categories, a))
                on_remove=editor.chosen("xóa loại đơn vị".into(), |s, i: usize| remove_at(&mut s.unit_categories, i))/>
        </fieldset>
    }
}
