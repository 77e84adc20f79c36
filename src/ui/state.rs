//! The app's state, provided through context from the root: the assessments of this browser
//! (fine-grained, see [`Doc`]), the criteria sets, and the honest status of every save.
//!
//! Storage itself is elsewhere: the rules in the domain (`src/domain/doc_store.rs`,
//! `writer.rs`, `legacy.rs`), the writing, locks and live updates in `state_sync.rs`, the start
//! (migration, loading) in `state_load.rs`. Screens call the methods here.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

pub use super::state_doc::{Access, Doc, Meta};
use crate::adapters::clock;
use crate::domain::assessment::CriteriaSetRef;
use crate::domain::assessment::{Answer, Assessment};
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::doc_store::Typed;
use crate::domain::journal::{
    answer_changes, diff, splice_from_input, text_change, to_json, Change, Record, SPLICE_FROM,
};
use crate::domain::listing::Listed;
pub use crate::domain::notices::{Notices, Tone};
use crate::domain::storage_format::StoredAssessment;
use crate::domain::store::StoreError;
use crate::routes::Route;

/// What the save line says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing changed in this visit.
    Idle,
    Saving,
    /// Every change is committed to the disk.
    Saved {
        at_ms: f64,
    },
    /// Some change is kept in this tab only.
    Failed(StoreError),
}

/// Where this tab keeps its data.
#[derive(Debug, Clone, PartialEq)]
pub enum StorageMode {
    /// Reading what is stored.
    Loading,
    /// IndexedDB.
    Durable,
    /// localStorage, because IndexedDB failed with this: a permanent banner.
    Fallback(StoreError),
    /// Nothing in this browser stores data: the tab is the only copy.
    MemoryOnly(StoreError),
}

/// What Home lists while the start is still reading the assessments whole: their summaries,
/// live ones only, newest first, and when each was last exported.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub rows: Vec<Typed<Listed>>,
    pub marks: HashMap<String, f64>,
    /// The newest page of them, read whole.
    pub first_page: Vec<StoredAssessment>,
}

/// A stored entry this build cannot use.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// Under which key its raw text is kept (in the set-aside store, or where it was found).
    pub key: String,
    pub reason: String,
    /// Written by a later version of the app, left in place: it may not be discarded here.
    pub newer: bool,
    /// The raw text, when it could not be set aside and lives only in this tab.
    pub raw: Option<String>,
}

/// How an edit of an answer came, which decides when it is written: a choice (a radio, the
/// check mark) at once, a number typed key by key with the keys that follow, as text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    Choice,
    Keys,
}

/// An edit of a text box as the browser tells it: the selection before it (UTF-16 offsets), the
/// text it inserted, and the caret after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit<'a> {
    pub selection: (usize, usize),
    pub inserted: &'a str,
    pub caret: usize,
}

/// The text fields of an answer, which are edited by splices once long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerText {
    Source,
    Explanation,
}

impl AnswerText {
    fn name(self) -> &'static str {
        match self {
            AnswerText::Source => "source",
            AnswerText::Explanation => "explanation",
        }
    }

    pub fn get(self, a: &Answer) -> &str {
        match self {
            AnswerText::Source => &a.source,
            AnswerText::Explanation => &a.explanation,
        }
    }

    pub fn get_mut(self, a: &mut Answer) -> &mut String {
        match self {
            AnswerText::Source => &mut a.source,
            AnswerText::Explanation => &mut a.explanation,
        }
    }
}

/// Where this tab's criteria sets stand. They are read through a part of the module
/// (`state_sets.rs`) once something needs them, so that Home does not wait for them on a
/// first visit, when nothing is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetsStatus {
    NotRead,
    Reading,
    /// The built-in sets and those kept in this browser.
    Read,
    /// [`SetsStatus::Read`], and the sets the site publishes checked.
    Published,
    /// Their part of the module could not be fetched (offline before the service worker kept it).
    Failed,
}

impl SetsStatus {
    pub fn is_read(self) -> bool {
        matches!(self, SetsStatus::Read | SetsStatus::Published)
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub route: RwSignal<Route>,
    /// Every criteria set this browser knows: the one place that says which set an assessment
    /// uses.
    pub sets: RwSignal<CriteriaRegistry>,
    pub sets_status: RwSignal<SetsStatus>,
    pub save: RwSignal<SaveStatus>,
    pub storage: RwSignal<StorageMode>,
    /// `false` until what is stored has been read.
    pub ready: RwSignal<bool>,
    /// Until [`AppState::ready`], what Home may list from the assessments' summaries (`None`
    /// when some assessment has none: then Home waits for everything).
    pub listing: RwSignal<Option<Listing>>,
    pub(super) docs: RwSignal<Vec<Doc>>,
    pub unreadable: RwSignal<Vec<Unreadable>>,
    /// Whole copies kept aside, by key, newest first.
    pub backups: RwSignal<Vec<(String, StoredAssessment)>>,
    /// The assessment deleted last in this tab, for "Hoàn tác".
    pub deleted: RwSignal<Option<String>>,
    pub notices: RwSignal<Notices>,
    /// The answer to `navigator.storage.persist()`: `None` until known or where unsupported.
    pub persisted: RwSignal<Option<bool>>,
    /// When this tab last put its unsaved changes in localStorage, because the store refused
    /// them (a full disk): the save line says so.
    pub rescue: RwSignal<Option<f64>>,
    /// Form drafts by name.
    pub(super) drafts: StoredValue<Vec<(String, String)>>,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// Empty until the start ([`AppState::open_store`], then [`AppState::finish_start`]) has
    /// read what is stored; `sets` are all the sets there are (tests, benchmarks), and the code
    /// that comes with them in the app (the screens' part) is at hand.
    pub fn new(sets: CriteriaRegistry) -> AppState {
        super::state_sets::at_hand();
        AppState::with_sets(sets, SetsStatus::Published)
    }

    /// The app's state before anything is read: the criteria sets too are read on first need
    /// ([`AppState::read_sets`]).
    pub fn before_reading() -> AppState {
        AppState::with_sets(CriteriaRegistry::default(), SetsStatus::NotRead)
    }

    fn with_sets(sets: CriteriaRegistry, status: SetsStatus) -> AppState {
        AppState {
            route: RwSignal::new(Route::Home),
            sets: RwSignal::new(sets),
            sets_status: RwSignal::new(status),
            save: RwSignal::new(SaveStatus::Idle),
            storage: RwSignal::new(StorageMode::Loading),
            ready: RwSignal::new(false),
            listing: RwSignal::new(None),
            docs: RwSignal::new(Vec::new()),
            unreadable: RwSignal::new(Vec::new()),
            backups: RwSignal::new(Vec::new()),
            deleted: RwSignal::new(None),
            notices: RwSignal::new(Notices::default()),
            persisted: RwSignal::new(None),
            rescue: RwSignal::new(None),
            drafts: StoredValue::new(Vec::new()),
        }
    }

    /// The assessments not deleted, in the order they were read (tracked).
    pub fn docs(&self) -> Vec<Doc> {
        self.docs
            .with(|all| all.iter().filter(|d| d.is_live()).cloned().collect())
    }

    /// One assessment, deleted or not (tracked on the list only).
    pub fn doc(&self, id: &str) -> Option<Doc> {
        self.docs
            .with(|all| all.iter().find(|d| d.id() == id).cloned())
    }

    pub(super) fn doc_untracked(&self, id: &str) -> Option<Doc> {
        self.docs
            .with_untracked(|all| all.iter().find(|d| d.id() == id).cloned())
    }

    /// A copy of one assessment not deleted, with its revision and times (tracked).
    pub fn get(&self, id: &str) -> Option<StoredAssessment> {
        self.doc(id).filter(Doc::is_live).map(|d| d.stored())
    }

    /// Copies of every assessment not deleted, newest first (tracked).
    pub fn all_stored(&self) -> Vec<StoredAssessment> {
        let mut all: Vec<StoredAssessment> = self.docs().iter().map(Doc::stored).collect();
        crate::domain::sorting::sort_by(&mut all, |a, b| b.updated_at.total_cmp(&a.updated_at));
        all
    }

    pub fn all_stored_untracked(&self) -> Vec<StoredAssessment> {
        untrack(|| self.all_stored())
    }

    /// The criteria set of one of this browser's assessments.
    pub fn set_for(&self, id: &str) -> Option<Arc<CriteriaSet>> {
        let wanted = self
            .doc_untracked(id)?
            .info()
            .with_untracked(|a| a.criteria_set.clone());
        self.set_of(&wanted)
    }

    /// The set a reference names, when this browser has it.
    pub fn set_of(&self, wanted: &CriteriaSetRef) -> Option<Arc<CriteriaSet>> {
        self.sets
            .with_untracked(|sets| sets.find(wanted).map(|r| r.set.clone()))
    }

    /// Adds a new assessment; it is saved at once.
    pub fn create(&self, assessment: Assessment) {
        self.create_with_revision(assessment, 1);
    }

    /// Adds an assessment whose history starts at `revision` (an imported or restored copy).
    pub(crate) fn create_with_revision(&self, assessment: Assessment, revision: u64) -> Doc {
        let meta = Meta {
            revision: 0,
            updated_at: assessment.updated_at,
            last_exported_at: None,
            deleted_at: None,
        };
        let doc = Doc::new(assessment, meta, None);
        doc.outbox()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .first_seq = revision.max(1);
        self.docs.update(|all| all.insert(0, doc.clone()));
        self.save.set(SaveStatus::Saving);
        self.schedule_flush(doc.clone());
        doc
    }

    /// Changes one item's answer (numbers, choices, the check mark). Ignored while another tab
    /// edits the assessment (the inputs are read-only then).
    pub fn edit_answer(
        &self,
        id: &str,
        item: &str,
        kind: EditKind,
        change: impl FnOnce(&mut Answer),
    ) {
        let Some(doc) = self.doc_untracked(id).filter(|d| untrack(|| d.editable())) else {
            return;
        };
        let signal = doc.answer(item);
        let old = signal.get_untracked();
        let mut new = old.clone().unwrap_or_default();
        change(&mut new);
        let changes = answer_changes(item, old.as_ref(), &new);
        if changes.is_empty() {
            return;
        }
        signal.set(Some(new));
        match kind {
            EditKind::Choice => self.record(&doc, changes),
            EditKind::Keys => self.record_typed(&doc, changes),
        }
    }

    /// Sets one text of an answer. The old text is changed in place and the change recorded as
    /// a splice once long: a keystroke costs the same in a long text as in a short one.
    pub fn edit_answer_text(&self, id: &str, item: &str, field: AnswerText, text: String) {
        let Some(doc) = self.doc_untracked(id).filter(|d| untrack(|| d.editable())) else {
            return;
        };
        let signal = doc.answer(item);
        let same = signal.with_untracked(|a| match a {
            Some(a) => field.get(a) == text,
            None => text.is_empty(),
        });
        if same {
            return;
        }
        let path = vec!["answers".into(), item.to_string(), field.name().to_string()];
        let mut change = None;
        let mut created = false;
        signal.update(|answer| {
            created = answer.is_none();
            let answer = answer.get_or_insert_with(Answer::default);
            let slot = field.get_mut(answer);
            change = text_change(path, slot, &text);
            *slot = text;
        });
        match change {
            // The item's first answer: the whole answer, so that its other fields are there.
            Some(_) if created => {
                let whole = signal.get_untracked().unwrap_or_default();
                self.record(&doc, answer_changes(item, None, &whole));
            }
            Some(change) => self.record(&doc, vec![change]),
            None => {}
        }
    }

    /// Applies an edit of a text box known from the browser's event alone (see
    /// `journal::splice_from_input`), without reading the whole text: a keystroke in a 1 MB
    /// explanation costs what it costs in a short one. `hint` is a `(utf16, byte)` place of the
    /// text (the last edit's), updated here. Returns `false` when the edit cannot be known that
    /// way: then the caller passes the whole text to [`AppState::edit_answer_text`].
    pub fn edit_answer_splice(
        &self,
        id: &str,
        item: &str,
        field: AnswerText,
        edit: TextEdit<'_>,
        hint: &mut (usize, usize),
    ) -> bool {
        let Some(doc) = self.doc_untracked(id).filter(|d| untrack(|| d.editable())) else {
            return true;
        };
        let signal = doc.answer(item);
        let found = signal.with_untracked(|a| {
            let old = field.get(a.as_ref()?);
            let (at, len) =
                splice_from_input(old, edit.selection, edit.inserted, edit.caret, *hint)?;
            Some((
                at,
                old[at..at + len].to_string(),
                old.len() - len + edit.inserted.len(),
            ))
        });
        let Some((at, removed, new_len)) = found else {
            return false;
        };
        let path = vec!["answers".into(), item.to_string(), field.name().to_string()];
        let mut change = None;
        signal.update(|a| {
            let Some(a) = a.as_mut() else { return };
            let text = field.get_mut(a);
            change = if text.len().max(new_len) < SPLICE_FROM {
                let old = text.clone();
                text.replace_range(at..at + removed.len(), edit.inserted);
                text_change(path, &old, text)
            } else {
                text.replace_range(at..at + removed.len(), edit.inserted);
                Some(Change::Splice {
                    path,
                    at,
                    removed,
                    inserted: edit.inserted.to_string(),
                })
            };
        });
        *hint = (edit.caret, at + edit.inserted.len());
        if let Some(change) = change {
            self.record_typed(&doc, vec![change]);
        }
        true
    }

    /// Applies a change to the general information (or anything) of one assessment.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Assessment)) {
        let Some(doc) = self.doc_untracked(id).filter(|d| untrack(|| d.editable())) else {
            return;
        };
        let old = doc.assessment_untracked();
        let mut new = old.clone();
        change(&mut new);
        // The edit time is the records' own, never a change of its own.
        new.updated_at = old.updated_at;
        let (old_v, new_v) = (to_json(&old), to_json(&new));
        let changes = diff(&old_v, &new_v);
        if changes.is_empty() {
            return;
        }
        doc.set_assessment(new);
        self.record(&doc, changes);
    }

    /// Replaces one assessment whole (a backup brought back, a newer copy imported); the
    /// history says why.
    pub(crate) fn replace(&self, id: &str, assessment: Assessment, reason: &str) -> bool {
        let Some(doc) = self.doc_untracked(id) else {
            return false;
        };
        let assessment = Assessment {
            id: id.to_string(),
            ..assessment
        };
        let value = to_json(&assessment);
        let edited_at = assessment.updated_at;
        doc.set_assessment(assessment);
        doc.meta().update(|m| m.updated_at = edited_at);
        self.record(
            &doc,
            vec![Change::Replace {
                doc: value,
                reason: reason.to_string(),
                edited_at: Some(edited_at),
            }],
        );
        true
    }

    /// Records that these assessments were exported just now.
    pub fn mark_exported(&self, ids: &[String]) {
        let now = clock::now_ms();
        for id in ids {
            if let Some(doc) = self.doc_untracked(id) {
                doc.meta().update(|m| m.last_exported_at = Some(now));
                self.save_export_mark(&doc, now);
            }
        }
    }

    /// Deletes an assessment (undoable in this visit, see [`AppState::undo_delete`]). Home says
    /// «Đã xóa» once the deletion is recorded (committed, or waiting in the outbox that a closed
    /// tab leaves behind): before, a reload would bring the assessment back.
    pub fn delete(&self, id: &str) {
        let Some(doc) = self.doc_untracked(id) else {
            return;
        };
        doc.meta().update(|m| m.deleted_at = Some(clock::now_ms()));
        let (state, id) = (*self, id.to_string());
        leptos::task::spawn_local(async move {
            state.write_exclusively_now(doc, Change::Delete).await;
            if state.route.get_untracked() == Route::Home {
                state.deleted.set(Some(id));
            }
        });
    }

    /// Brings back the assessment deleted last in this tab.
    pub fn undo_delete(&self) {
        let Some(id) = self.deleted.get_untracked() else {
            return;
        };
        self.deleted.set(None);
        self.restore_deleted(&id);
    }

    /// Brings back a deleted assessment (deleted here or in another tab).
    pub fn restore_deleted(&self, id: &str) {
        if let Some(doc) = self.doc_untracked(id) {
            doc.meta().update(|m| m.deleted_at = None);
            self.write_exclusively(doc, Change::Restore);
        }
    }

    /// [`AppState::restore_deleted`], written (or left waiting in the outbox) when it returns.
    pub async fn restore_deleted_now(&self, id: &str) {
        if let Some(doc) = self.doc_untracked(id) {
            doc.meta().update(|m| m.deleted_at = None);
            self.write_exclusively_now(doc, Change::Restore).await;
        }
    }

    /// A document's history, runs of keystrokes merged (see `domain::journal::merge_runs`):
    /// when, who, which field, old and new value. Changes not committed yet are not in it.
    pub async fn history(&self, id: &str) -> Result<Vec<Record>, String> {
        super::state_sync::history(id).await
    }

    pub fn notify(&self, text: String, tone: Tone) {
        self.notices.update(|n| n.push(text, tone));
    }

    pub fn dismiss(&self, id: u32) {
        self.notices.update(|n| n.dismiss(id));
    }

    /// A form's unsaved content, kept across reloads and updates (see `save_draft`).
    pub fn draft(&self, name: &str) -> Option<String> {
        self.drafts
            .with_value(|d| d.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()))
    }

    /// Keeps a form's content until it is submitted or discarded. `name` says which form, e.g.
    /// `danh-gia-moi`, `thong-tin/<id>`, or the criteria editor's.
    pub fn save_draft(&self, name: &str, text: String) {
        self.drafts
            .update_value(|d| match d.iter_mut().find(|(n, _)| n == name) {
                Some((_, t)) => *t = text.clone(),
                None => d.push((name.to_string(), text.clone())),
            });
        super::state_sync::write_draft(name.to_string(), Some(text));
    }

    pub fn discard_draft(&self, name: &str) {
        let had = self.drafts.try_update_value(|d| {
            let before = d.len();
            d.retain(|(n, _)| n != name);
            d.len() != before
        });
        if had == Some(true) {
            super::state_sync::write_draft(name.to_string(), None);
        }
    }
}
