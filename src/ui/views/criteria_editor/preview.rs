//! One criterion of the draft exactly as an assessor sees it: the same item inputs, scored
//! live by the draft's rules, with figures typed here only (nothing is stored).

use leptos::prelude::*;

use crate::domain::criteria::Criterion;
use crate::domain::criteria_examples::blank_assessment;
use crate::domain::scoring::{score, AssessmentScore};
use crate::ui::editor_state::{use_editor, Part};
use crate::ui::state::{Doc, Meta};
use crate::ui::views::item_input::{Edits, ItemInput};
use crate::ui::views::ProvenanceBadge;

#[component]
pub fn Preview() -> impl IntoView {
    let editor = use_editor();
    let chosen = RwSignal::new(0usize);
    // One option per criterion, each reading only its criterion: a keystroke elsewhere leaves
    // the list alone (when the list was drawn from the whole draft, every keystroke rebuilt
    // all its options). The list itself follows the draft's structure.
    let options = move || {
        editor.shape.get();
        let count = editor
            .editor
            .with_untracked(|e| e.as_ref().map_or(0, |e| e.set.criteria.len()));
        (0..count)
            .map(|i| {
                let name = editor.read_in(Part::Criterion(i), move |s| {
                    let c = s.criteria.get(i)?;
                    Some(format!("Tiêu chí {}. {}", c.id, c.name))
                });
                view! { <option value=i.to_string() selected=move || chosen.get() == i>{name}</option> }
            })
            .collect_view()
    };
    let criterion: Memo<Option<Criterion>> = Memo::new(move |_| {
        let index = chosen.get();
        editor.with_part(Part::Criterion(index), |s| {
            s.and_then(|s| s.criteria.get(index).cloned())
        })
    });
    // The preview's answers scored by the draft, as an assessment of the set's first category.
    let scores: Memo<Option<AssessmentScore>> = Memo::new(move |_| {
        let answers = editor.preview.get();
        editor.editor.with(|e| {
            let set = &e.as_ref()?.set;
            let mut assessment = blank_assessment(set);
            assessment.answers = answers;
            Some(score(set, &assessment))
        })
    });
    let body = move || {
        let criterion = criterion.get()?;
        let criterion_id = criterion.id.clone();
        let points = move || {
            scores.with(|s| {
                let c = s
                    .as_ref()?
                    .criteria
                    .iter()
                    .find(|c| c.criterion_id == criterion_id)?;
                Some(match c.max {
                    Some(max) => format!("Điểm của tiêu chí: {} / {max}", c.points),
                    None => format!("Điểm của tiêu chí: {} (chưa rõ điểm tối đa)", c.points),
                })
            })
        };
        // The answers typed here live in a throwaway assessment that is never stored.
        let doc = editor.editor.with_untracked(|e| {
            let mut assessment = blank_assessment(&e.as_ref()?.set);
            assessment.answers = editor.preview.get_untracked();
            let meta = Meta {
                revision: 0,
                updated_at: 0.0,
                last_exported_at: None,
                deleted_at: None,
            };
            Some(Doc::new(assessment, meta, None))
        })?;
        let items = criterion
            .items
            .iter()
            .cloned()
            .map(|item| {
                let (id_score, id_edit) = (item.id.clone(), item.id.clone());
                let item_score = Signal::derive(move || {
                    scores.with(|s| {
                        s.as_ref()?
                            .criteria
                            .iter()
                            .flat_map(|c| c.items.iter())
                            .find(|i| i.item_id == id_score)
                            .cloned()
                    })
                });
                let on_edit = Callback::new(move |a| {
                    editor.preview.update(|all| {
                        all.insert(id_edit.clone(), a);
                    })
                });
                view! {
                    <ItemInput doc=doc.clone() item=item score=item_score edits=Edits::Preview(on_edit)/>
                }
            })
            .collect_view();
        Some(view! {
            <article class="criterion preview-frame" aria-labelledby="xem-truoc-tieu-de">
                <p class="preview-title" id="xem-truoc-tieu-de">
                    {format!("Tiêu chí {}. {}", criterion.id, criterion.name)}
                </p>
                <ProvenanceBadge provenance=criterion.provenance.clone()/>
                <p class="criterion-points" aria-live="polite">{points}</p>
                {items}
            </article>
        })
    };
    view! {
        <section class="panel editor-panel" aria-labelledby="soan-xem-truoc">
            <h2 id="soan-xem-truoc">"Xem trước như người đánh giá"</h2>
            <p class="hint">
                "Số liệu nhập ở đây chỉ để thử, không được lưu. Điểm được tính theo bản nháp."
            </p>
            <div class="field">
                <label for="xem-truoc-chon">"Tiêu chí xem trước"</label>
                <select id="xem-truoc-chon" on:change=move |ev| {
                    chosen.set(event_target_value(&ev).parse().unwrap_or(0));
                }>
                    {options}
                </select>
            </div>
            {body}
        </section>
    }
}
