//! The history of an assessment as its file carries it: the history that came with the copy
//! imported from a file (kept in the store `lich-su-nhap`, by assessment id), then the changes
//! saved here since (the storage's change records, `domain::history::from_records`).

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::state::AppState;
use super::state_sync::backend;
use crate::adapters::tick;
use crate::domain::doc_store::{kv_get, kv_put_all};
use crate::domain::history::{from_records, shown, HistoryEntry, Shown};
use crate::domain::journal::to_json;
use crate::domain::store::stores;

/// What `lich-su-nhap` holds for one assessment.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Imported {
    /// When the imported copy came in: the changes saved here after it follow its history.
    since: f64,
    entries: Vec<HistoryEntry>,
}

/// Keeps the histories imported copies carried (`since`: when they were brought in), in one
/// write, awaited before the import says what it stored; a copy without history clears what an
/// earlier one left.
pub async fn keep_imported(histories: Vec<(String, Vec<HistoryEntry>)>, since: f64) {
    let entries: Vec<(String, Option<String>)> = histories
        .into_iter()
        .map(|(id, entries)| {
            let text = (!entries.is_empty()).then(|| {
                serde_json::to_string(&Imported { since, entries })
                    .expect("history entries serialize")
            });
            (id, text)
        })
        .collect();
    // Losing them only shortens the history shown and exported: nothing else depends on it.
    let _ = kv_put_all(&backend(), stores::IMPORTED_HISTORY, &entries).await;
}

/// The whole history of assessment `id`, oldest first.
pub async fn file_history(state: AppState, id: &str) -> Result<Vec<HistoryEntry>, String> {
    let imported = match kv_get(&backend(), stores::IMPORTED_HISTORY, id).await {
        Ok(Some(text)) => serde_json::from_str::<Imported>(&text).unwrap_or_default(),
        Ok(None) => Imported::default(),
        Err(e) => return Err(e.message_vi()),
    };
    let records = state.history(id).await?;
    let local = from_records(&records).map_err(|e| e.to_string())?;
    let mut all = imported.entries;
    all.extend(local.into_iter().filter(|e| e.at > imported.since));
    Ok(all)
}

/// The history of each of `ids`, once their pending edits are committed (waiting a few seconds
/// at most): a history stops at what is committed, and must lead to the content exported. An
/// assessment whose edits cannot be written (a full disk) goes without its history.
pub async fn histories_when_saved(state: AppState, ids: &[String]) -> Vec<Vec<HistoryEntry>> {
    let pending = |id: &str| {
        state.doc_untracked(id).is_some_and(|d| {
            d.outbox()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .unsaved()
        })
    };
    for _ in 0..50 {
        if !ids.iter().any(|id| pending(id)) {
            break;
        }
        tick::sleep_ms(100).await;
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let history = if pending(id) {
            Vec::new()
        } else {
            file_history(state, id).await.unwrap_or_default()
        };
        out.push(history);
    }
    out
}

/// An assessment's history as last read: its id, the revision it was read at, the entries.
type Cached = (String, u64, Rc<Vec<Shown>>);

thread_local! {
    static CACHE: RefCell<Vec<Cached>> = const { RefCell::new(Vec::new()) };
}

/// The history of assessment `id` rebuilt for people (see `history::shown`), read once per
/// revision however many items ask.
pub async fn shown_for(state: AppState, id: &str, revision: u64) -> Rc<Vec<Shown>> {
    let cached = CACHE.with(|c| {
        c.borrow()
            .iter()
            .find(|(i, r, _)| i == id && *r == revision)
            .map(|(_, _, s)| s.clone())
    });
    if let Some(s) = cached {
        return s;
    }
    let entries = file_history(state, id).await.unwrap_or_default();
    let doc = state
        .doc_untracked(id)
        .map(|d| to_json(&d.assessment_untracked()));
    let list = Rc::new(doc.map(|d| shown(&d, &entries)).unwrap_or_default());
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.retain(|(i, _, _)| i != id);
        c.push((id.to_string(), revision, list.clone()));
    });
    list
}
