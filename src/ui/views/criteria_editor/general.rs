//! The set's identity and legal basis: id, version, title, the decision it encodes, when it
//! applies, the total maximum, the pass rule and the notes shown to assessors.

use leptos::prelude::*;

use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_validate::Field;
use crate::ui::editor_state::{use_editor, EditorState, PlaceKey};
use crate::ui::views::criteria_editor::fields::{Check, NumberInput, TextInput};

/// A text field of the set's header: `get`/`set` reach the value.
fn header_text(
    editor: EditorState,
    place: PlaceKey,
    field: Field,
    label: &'static str,
    get: fn(&CriteriaSet) -> &String,
    set: fn(&mut CriteriaSet) -> &mut String,
) -> impl IntoView {
    let id = place.dom_id(field);
    view! {
        <TextInput id=id.clone() label=label
            value=editor.read(move |s| Some(get(s).clone()))
            on_input=editor.typed(id, format!("sửa {}", label.to_lowercase()), move |s, v: String| *set(s) = v)
            errors=editor.errors_at(place, field)/>
    }
}

/// An optional date: empty means none.
fn date_field(
    editor: EditorState,
    field: Field,
    label: &'static str,
    get: fn(&CriteriaSet) -> &Option<String>,
    set: fn(&mut CriteriaSet) -> &mut Option<String>,
) -> impl IntoView {
    let id = PlaceKey::Set.dom_id(field);
    view! {
        <TextInput id=id.clone() label=label hint="Dạng năm-tháng-ngày, ví dụ 2019-01-03; để trống nếu không có."
            value=editor.read(move |s| get(s).clone())
            on_input=editor.typed(id, format!("sửa {}", label.to_lowercase()), move |s, v: String| {
                *set(s) = (!v.trim().is_empty()).then(|| v.trim().to_string());
            })
            errors=editor.errors_at(PlaceKey::Set, field)/>
    }
}

#[component]
pub fn General() -> impl IntoView {
    let editor = use_editor();
    let set = PlaceKey::Set;
    let legal = PlaceKey::LegalBasis;
    let version_hint = "Các số cách nhau bởi dấu chấm, ví dụ 1.0.0. Bộ đã phát hành thì không sửa \
        được nữa: mỗi lần sửa phải tăng phiên bản (1.0.0 → 1.0.1 khi sửa lỗi nhỏ, 1.1.0 khi đổi \
        điểm hoặc ngưỡng).";
    view! {
        <section class="panel editor-panel" aria-labelledby="soan-chung">
            <h2 id="soan-chung">"Thông tin chung"</h2>
            {header_text(editor, set, Field::SetId, "Mã bộ tiêu chí", |s| &s.id, |s| &mut s.id)}
            <p class="hint">"Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ qd-06-2019. \
                Giữ nguyên mã khi làm phiên bản mới của cùng một bộ."</p>
            {header_text(editor, set, Field::Version, "Phiên bản", |s| &s.version, |s| &mut s.version)}
            <p class="hint">{version_hint}</p>
            {header_text(editor, set, Field::Title, "Tiêu đề", |s| &s.title, |s| &mut s.title)}
            <fieldset>
                <legend>"Căn cứ pháp lý"</legend>
                {header_text(editor, legal, Field::LegalNumber, "Số văn bản", |s| &s.legal_basis.number, |s| &mut s.legal_basis.number)}
                {header_text(editor, legal, Field::LegalDate, "Ngày ký (năm-tháng-ngày)", |s| &s.legal_basis.date, |s| &mut s.legal_basis.date)}
                {header_text(editor, legal, Field::LegalIssuer, "Cơ quan ban hành", |s| &s.legal_basis.issuer, |s| &mut s.legal_basis.issuer)}
                {header_text(editor, legal, Field::LegalTitle, "Trích yếu", |s| &s.legal_basis.title, |s| &mut s.legal_basis.title)}
            </fieldset>
            {date_field(editor, Field::ValidFrom, "Ngày bắt đầu áp dụng", |s| &s.valid_from, |s| &mut s.valid_from)}
            {date_field(editor, Field::ValidTo, "Ngày hết hiệu lực", |s| &s.valid_to, |s| &mut s.valid_to)}
            <NumberInput id=set.dom_id(Field::TotalMax) label="Tổng điểm tối đa của bộ" whole=true optional=true
                hint="Để trống nếu văn bản không nêu hoặc chưa xác nhận."
                value=editor.read(|s| Some(s.total_max.map(f64::from)))
                on_value=editor.typed(set.dom_id(Field::TotalMax), "sửa tổng điểm tối đa".into(), |s, v: Option<f64>| s.total_max = v.map(|v| v as u32))
                errors=editor.errors_at(set, Field::TotalMax)/>
            <fieldset>
                <legend>"Điều kiện công nhận"</legend>
                <Check id="soan-dat-du".into() label="Phải đánh giá đủ mọi tiêu chí"
                    value=editor.read(|s| Some(s.pass_rule.all_criteria_required))
                    on_change=editor.chosen("đổi điều kiện đánh giá đủ tiêu chí".into(), |s, v| s.pass_rule.all_criteria_required = v)/>
                <Check id="soan-khong-0".into() label="Không tiêu chí nào được 0 điểm"
                    value=editor.read(|s| Some(s.pass_rule.no_zero_criterion))
                    on_change=editor.chosen("đổi điều kiện không tiêu chí nào 0 điểm".into(), |s, v| s.pass_rule.no_zero_criterion = v)/>
                <p class="hint">"Ngưỡng tổng điểm đạt theo từng loại đơn vị nằm ở mục «Loại đơn vị và ngưỡng đạt»."</p>
            </fieldset>
            <TextInput id="soan-ghi-chu".into() label="Ghi chú cho người đánh giá (mỗi dòng một ý)" multiline=true
                value=editor.read(|s| Some(s.notes.join("\n")))
                on_input=editor.typed("ghi-chu".into(), "sửa ghi chú".into(), |s, v: String| {
                    // Split on every newline, so the one just typed stays in the field.
                    s.notes = if v.is_empty() {
                        Vec::new()
                    } else {
                        v.split('\n').map(str::to_string).collect()
                    };
                })/>
        </section>
    }
}
