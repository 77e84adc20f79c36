//! "Lịch sử thay đổi" of one item: every saved change — when, who, what, old → new — from the
//! assessment's history and the appraisal's, newest first, folded away until asked for.

use leptos::prelude::*;

use crate::adapters::clock;
use crate::domain::history::{change_text_vi, shown, Shown};
use crate::domain::journal::to_json;
use crate::ui::appraisal_state::use_appraisals;
use crate::ui::history_store::shown_for;
use crate::ui::state::use_app;

/// The changes of one item, already rebuilt (see `history::replay`), folded away, with their
/// count; nothing when there are none.
#[component]
pub fn ItemHistory(entries: Signal<Vec<Shown>>) -> impl IntoView {
    move || {
        let list = entries.get();
        (!list.is_empty()).then(|| {
            let count = list.len();
            view! {
                <details class="item-history">
                    <summary>{format!("Lịch sử thay đổi ({count})")}</summary>
                    {history_list(list)}
                </details>
            }
        })
    }
}

/// The changes, newest first: when, who, what.
fn history_list(mut list: Vec<Shown>) -> impl IntoView {
    crate::domain::sorting::sort_by(&mut list, |a, b| b.at.total_cmp(&a.at));
    let rows = list
        .into_iter()
        .map(|s| {
            view! {
                <li>
                    <span class="history-when">
                        {format!("{} · {}", clock::local_date_time(s.at), s.who)}
                    </span>
                    " "
                    <span>{change_text_vi(&s)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="history-list">{rows}</ul> }
}

/// The entries of `shown` about item `item_id` (its answer, or its appraisal).
pub fn of_item(shown: &[Shown], item_id: &str) -> Vec<Shown> {
    shown
        .iter()
        .filter(|s| s.item() == Some(item_id))
        .cloned()
        .collect()
}

/// On an item's screen of the commune's own assessment: the item's changes from the
/// assessment's history and from the appraisal received for it. The history is read only while
/// it is open: rebuilding it costs as much as the assessment's texts are long, which typing
/// must not pay at every keystroke.
#[component]
pub fn AssessmentItemHistory(assessment_id: String, item_id: String) -> impl IntoView {
    let state = use_app();
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    let doc = state.doc(&assessment_id);
    let open = RwSignal::new(false);
    // A new revision is a new commit: an open history is read again then.
    let revision = Memo::new({
        let doc = doc.clone();
        move |_| doc.as_ref().map(|d| d.meta().with(|m| m.revision))
    });
    let unit = Memo::new({
        let doc = doc.clone();
        move |_| {
            doc.as_ref()
                .map(|d| d.info().with(|a| (a.commune.code.clone(), a.year)))
        }
    });
    let own = RwSignal::new(None::<Vec<Shown>>);
    Effect::new({
        let (id, item) = (assessment_id.clone(), item_id.clone());
        move |_| {
            if !open.get() {
                return;
            }
            let Some(rev) = revision.get() else { return };
            let (id, item) = (id.clone(), item.clone());
            leptos::task::spawn_local(async move {
                let all = shown_for(state, &id, rev).await;
                own.try_set(Some(of_item(&all, &item)));
            });
        }
    });
    let content = move || {
        let mut list = own.get()?;
        if let Some((code, year)) = unit.get() {
            if let Some(r) = appraisals.received_for(&code, year) {
                let all = shown(&to_json(&r.appraisal), &r.history);
                list.extend(of_item(&all, &item_id));
            }
        }
        Some(if list.is_empty() {
            view! { <p class="muted">"Chưa có thay đổi nào được lưu."</p> }.into_any()
        } else {
            history_list(list).into_any()
        })
    };
    view! {
        <details class="item-history"
            on:toggle=move |ev| {
                open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))
            }>
            <summary>"Lịch sử thay đổi"</summary>
            {move || open.get().then(|| content().unwrap_or_else(|| {
                view! { <p class="muted">"Đang đọc lịch sử…"</p> }.into_any()
            }))}
        </details>
    }
}
