//! One assessment in this tab, fine-grained: its general information in one signal and each
//! item's answer in a signal of its own, so that a keystroke in one answer wakes only what reads
//! that answer (its item's score, then its criterion's, then the total, each a memo that stops
//! when nothing changed), never the whole list and never a copy of the whole assessment.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use leptos::prelude::*;
use serde_json::Value;

use crate::domain::assessment::{Answer, Assessment};
use crate::domain::journal::{
    apply_change, edited_at, from_json, to_json, ApplyError, Change, Record,
};
use crate::domain::storage_format::{encode_stored, StoredAssessment, STORAGE_FORMAT};
use crate::domain::writer::{Current, Outbox};

/// What the list and the save line show of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// The last committed change (0 while not stored yet).
    pub revision: u64,
    /// The last edit, committed or not (ms since the Unix epoch).
    pub updated_at: f64,
    pub last_exported_at: Option<f64>,
    /// Deleted (by this tab or another), until undone or purged.
    pub deleted_at: Option<f64>,
}

/// Who may write the document now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Not open for editing in this tab (the list, the results), or no Web Locks here.
    Free,
    /// Asking the other tabs for the writer's lock.
    Waiting,
    /// This tab holds the writer's lock.
    Owner,
    /// Another tab edits it: this one shows it read-only and follows its changes.
    OtherTab,
}

#[derive(Clone)]
pub struct Doc(Arc<Inner>);

struct Inner {
    id: String,
    /// Everything but the answers (kept empty here).
    info: ArcRwSignal<Assessment>,
    answers: Mutex<Answers>,
    meta: ArcRwSignal<Meta>,
    access: ArcRwSignal<Access>,
    /// Counts changes that did not come from this tab's own inputs (another tab, a restored
    /// copy): text inputs re-read their value only then, never on their own keystrokes.
    external: ArcRwSignal<u64>,
    outbox: Mutex<Outbox>,
    flushing: AtomicBool,
    /// This tab's version is being kept as a backup after another tab's was stored: until the
    /// store's version is shown, nothing from other tabs is applied to it (the backup is written
    /// again from it with what is typed meanwhile).
    diverting: AtomicBool,
    /// Records written since the last snapshot, to know when compacting is worth it.
    since_snapshot: AtomicUsize,
    /// Bumped by each edit, so that a compaction waits for a quiet moment.
    quiet: AtomicU64,
    /// When this tab's last write of the document ended (`f64` milliseconds, as bits).
    written_at: AtomicU64,
    /// An edit other than a keystroke in a text box is waiting: it is written at once.
    hurry: AtomicBool,
}

/// The answers by item id (a few dozen: a list is enough). Those read from the store wait in
/// `unmade` until first used: a start with thousands of assessments makes no signal for the
/// answers of the ones nobody opens.
struct Answers {
    signals: Vec<(String, ArcRwSignal<Option<Answer>>)>,
    unmade: BTreeMap<String, Answer>,
}

impl Answers {
    fn signals(&mut self) -> &mut Vec<(String, ArcRwSignal<Option<Answer>>)> {
        for (item, answer) in std::mem::take(&mut self.unmade) {
            self.signals.push((item, ArcRwSignal::new(Some(answer))));
        }
        &mut self.signals
    }
}

impl PartialEq for Doc {
    fn eq(&self, other: &Doc) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic aborts the app (release builds), so a poisoned lock holds nothing half-done.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Doc {
    /// `head` is the last record in the store (`None`: not stored yet).
    pub fn new(mut assessment: Assessment, meta: Meta, head: Option<u64>) -> Doc {
        let answers = Answers {
            signals: Vec::new(),
            unmade: std::mem::take(&mut assessment.answers),
        };
        let id = assessment.id.clone();
        Doc(Arc::new(Inner {
            outbox: Mutex::new(Outbox::new(&id, head)),
            id,
            info: ArcRwSignal::new(assessment),
            answers: Mutex::new(answers),
            meta: ArcRwSignal::new(meta),
            access: ArcRwSignal::new(Access::Free),
            external: ArcRwSignal::new(0),
            flushing: AtomicBool::new(false),
            diverting: AtomicBool::new(false),
            since_snapshot: AtomicUsize::new(0),
            quiet: AtomicU64::new(0),
            written_at: AtomicU64::new(0f64.to_bits()),
            hurry: AtomicBool::new(false),
        }))
    }

    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// Commune, year, assessor, set, category, recorded maxima (the answers are not here).
    pub fn info(&self) -> &ArcRwSignal<Assessment> {
        &self.0.info
    }

    pub fn meta(&self) -> &ArcRwSignal<Meta> {
        &self.0.meta
    }

    pub fn access(&self) -> &ArcRwSignal<Access> {
        &self.0.access
    }

    pub fn external(&self) -> &ArcRwSignal<u64> {
        &self.0.external
    }

    /// Whether this tab may change it now.
    pub fn editable(&self) -> bool {
        matches!(self.0.access.get(), Access::Free | Access::Owner) && self.is_live()
    }

    /// Not deleted.
    pub fn is_live(&self) -> bool {
        self.0.meta.with(|m| m.deleted_at.is_none())
    }

    /// The answer of one item (`None`: not answered yet).
    pub fn answer(&self, item: &str) -> ArcRwSignal<Option<Answer>> {
        let mut answers = lock(&self.0.answers);
        let answers = answers.signals();
        if let Some((_, signal)) = answers.iter().find(|(k, _)| k == item) {
            return signal.clone();
        }
        let signal = ArcRwSignal::new(None);
        answers.push((item.to_string(), signal.clone()));
        signal
    }

    pub(crate) fn outbox(&self) -> &Mutex<Outbox> {
        &self.0.outbox
    }

    pub(crate) fn flushing(&self) -> &AtomicBool {
        &self.0.flushing
    }

    pub(crate) fn diverting(&self) -> &AtomicBool {
        &self.0.diverting
    }

    pub(crate) fn since_snapshot(&self) -> &AtomicUsize {
        &self.0.since_snapshot
    }

    pub(crate) fn quiet(&self) -> &AtomicU64 {
        &self.0.quiet
    }

    pub(crate) fn written_at(&self) -> &AtomicU64 {
        &self.0.written_at
    }

    pub(crate) fn hurry(&self) -> &AtomicBool {
        &self.0.hurry
    }

    /// Who edits: the assessor named in it.
    pub fn who(&self) -> String {
        self.0.info.with_untracked(|a| a.assessor.name.clone())
    }

    fn build(&self, tracked: bool) -> Assessment {
        let mut a = if tracked {
            self.0.info.get()
        } else {
            self.0.info.get_untracked()
        };
        let signals: Vec<(String, ArcRwSignal<Option<Answer>>)> = {
            let mut answers = lock(&self.0.answers);
            if !tracked {
                // Nothing to track: copies of the waiting answers will do.
                a.answers.extend(answers.unmade.clone());
            }
            let answers = &mut *answers;
            let made = match tracked {
                true => answers.signals(),
                false => &mut answers.signals,
            };
            made.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        for (item, signal) in signals {
            let answer = if tracked {
                signal.get()
            } else {
                signal.get_untracked()
            };
            if let Some(answer) = answer {
                a.answers.insert(item, answer);
            }
        }
        let meta = if tracked {
            self.0.meta.get()
        } else {
            self.0.meta.get_untracked()
        };
        a.updated_at = meta.updated_at;
        a
    }

    /// The whole assessment (a copy), tracked: for screens that show all of it.
    pub fn assessment(&self) -> Assessment {
        self.build(true)
    }

    pub fn assessment_untracked(&self) -> Assessment {
        self.build(false)
    }

    fn stored_from(&self, assessment: Assessment, meta: Meta) -> StoredAssessment {
        StoredAssessment {
            format: STORAGE_FORMAT,
            revision: meta.revision,
            updated_at: meta.updated_at,
            last_exported_at: meta.last_exported_at,
            assessment,
        }
    }

    /// The assessment with its revision and times, tracked.
    pub fn stored(&self) -> StoredAssessment {
        let a = self.assessment();
        self.stored_from(a, self.0.meta.get())
    }

    pub fn stored_untracked(&self) -> StoredAssessment {
        let a = self.assessment_untracked();
        self.stored_from(a, self.0.meta.get_untracked())
    }

    /// This tab's version, for a creation or a backup (see [`crate::domain::writer`]).
    pub fn current(&self) -> Current {
        let stored = self.stored_untracked();
        Current {
            // Plain data: serializing cannot fail.
            doc: to_json(&stored.assessment),
            who: stored.assessment.assessor.name.clone(),
            created_at: stored.assessment.created_at,
            updated_at: stored.updated_at,
            backup_text: encode_stored(&stored),
        }
    }

    /// Shows `assessment` (read again, or replaced): only the signals whose value differs wake.
    pub fn set_assessment(&self, mut assessment: Assessment) {
        let answers = std::mem::take(&mut assessment.answers);
        if self.0.info.with_untracked(|a| *a != assessment) {
            self.0.info.set(assessment);
        }
        let mut held = lock(&self.0.answers);
        let list = held.signals();
        for (item, signal) in list.iter() {
            let next = answers.get(item);
            if signal.with_untracked(|a| a.as_ref() != next) {
                signal.set(next.cloned());
            }
        }
        for (item, answer) in answers {
            if !list.iter().any(|(k, _)| *k == item) {
                list.push((item, ArcRwSignal::new(Some(answer))));
            }
        }
        drop(held);
        self.0.external.update(|n| *n += 1);
    }

    /// Applies a change another tab committed, to the signals it touches.
    pub fn apply_record(&self, record: &Record) -> Result<(), ApplyError> {
        match &record.change {
            Change::Create { doc } | Change::Replace { doc, .. } => {
                let a = from_json(doc).map_err(|e| ApplyError::BadPath(e.to_string()))?;
                self.set_assessment(a);
            }
            Change::Delete => self.0.meta.update(|m| m.deleted_at = Some(record.at)),
            Change::Restore => self.0.meta.update(|m| m.deleted_at = None),
            change @ (Change::Set { path, .. } | Change::Splice { path, .. }) => {
                match path.as_slice() {
                    [first, item, ..] if first == "answers" => {
                        self.apply_to_answer(item, change)?
                    }
                    [first, ..] if first == "answers" => {
                        let mut whole = to_json(&self.assessment_untracked());
                        apply_change(&mut whole, change)?;
                        let a =
                            from_json(&whole).map_err(|e| ApplyError::BadPath(e.to_string()))?;
                        self.set_assessment(a);
                    }
                    _ => {
                        let mut info = to_json(&self.0.info.get_untracked());
                        apply_change(&mut info, change)?;
                        let a: Assessment =
                            from_json(&info).map_err(|e| ApplyError::BadPath(e.to_string()))?;
                        self.0.info.set(a);
                    }
                }
                self.0.external.update(|n| *n += 1);
            }
        }
        self.0.meta.update(|m| {
            m.revision = record.seq;
            m.updated_at = edited_at(record);
        });
        Ok(())
    }

    fn apply_to_answer(&self, item: &str, change: &Change) -> Result<(), ApplyError> {
        let signal = self.answer(item);
        let mut answers = serde_json::Map::new();
        if let Some(a) = signal.get_untracked() {
            answers.insert(item.to_string(), to_json(&a));
        }
        let mut root = serde_json::Map::new();
        root.insert("answers".into(), Value::Object(answers));
        let mut root = Value::Object(root);
        apply_change(&mut root, change)?;
        let next = match root["answers"].get(item) {
            Some(v) => {
                Some(from_json::<Answer>(v).map_err(|e| ApplyError::BadPath(e.to_string()))?)
            }
            None => None,
        };
        signal.set(next);
        Ok(())
    }

    /// Notes an edit, so that compaction waits for a quiet moment.
    pub(crate) fn touch(&self) {
        self.0.quiet.fetch_add(1, Ordering::Relaxed);
    }
}
