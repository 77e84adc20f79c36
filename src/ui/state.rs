//! The app's state, provided through context from the root: the assessments of this browser,
//! the criteria sets, and the honest status of every save.

use leptos::prelude::*;

use crate::adapters::{clock, storage, storage::StorageError};
use crate::domain::assessment::Assessment;
use std::sync::Arc;

use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::storage_format::{decode_stored, encode_stored, StoredAssessment};
use crate::routes::Route;

/// Keys of this app in localStorage. One assessment per key keeps each write small and lets a
/// damaged entry be set aside without touching the others.
pub mod keys {
    pub const PREFIX: &str = "xa-tre-em/";
    pub const ASSESSMENT: &str = "xa-tre-em/danh-gia/";
    /// Raw text of entries that could not be read, kept for the user.
    pub const UNREADABLE: &str = "xa-tre-em/hong/";
    /// The losing side of a conflict between tabs, kept for the user.
    pub const BACKUP: &str = "xa-tre-em/sao-luu/";

    pub fn assessment(id: &str) -> String {
        format!("{ASSESSMENT}{id}")
    }
}

/// What the save line says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing changed in this visit.
    Idle,
    Saving,
    Saved {
        at_ms: f64,
    },
    /// The change is kept in memory only.
    Failed(StorageError),
}

/// A message for the user that stays until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: u32,
    pub text: String,
    pub tone: Tone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

/// An entry whose text could not be read, kept under a backup key.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub key: String,
    pub reason: String,
}

/// Another tab saved the same assessment while this one had changes of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub ours: StoredAssessment,
    pub theirs: StoredAssessment,
}

/// A deleted assessment, kept until the user leaves the screen, for "Hoàn tác".
#[derive(Debug, Clone, PartialEq)]
pub struct Deleted(pub StoredAssessment);

#[derive(Clone, Copy)]
pub struct AppState {
    pub route: RwSignal<Route>,
    /// Every criteria set this browser knows: the one place that says which set an assessment
    /// uses.
    pub sets: RwSignal<CriteriaRegistry>,
    pub assessments: RwSignal<Vec<StoredAssessment>>,
    pub save: RwSignal<SaveStatus>,
    /// `Some` when localStorage cannot be used at all: a permanent banner.
    pub storage_unavailable: RwSignal<Option<StorageError>>,
    /// Ids whose latest change is only in memory.
    pub unsaved: RwSignal<Vec<String>>,
    pub unreadable: RwSignal<Vec<Unreadable>>,
    pub conflict: RwSignal<Option<Conflict>>,
    pub deleted: RwSignal<Option<Deleted>>,
    pub notices: RwSignal<Vec<Notice>>,
    /// The answer to `navigator.storage.persist()`: `None` until known or where unsupported.
    pub persisted: RwSignal<Option<bool>>,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// Reads everything stored; entries that cannot be read are set aside, never dropped.
    pub fn load(sets: CriteriaRegistry) -> AppState {
        let state = AppState {
            route: RwSignal::new(Route::Home),
            sets: RwSignal::new(sets),
            assessments: RwSignal::new(Vec::new()),
            save: RwSignal::new(SaveStatus::Idle),
            storage_unavailable: RwSignal::new(None),
            unsaved: RwSignal::new(Vec::new()),
            unreadable: RwSignal::new(Vec::new()),
            conflict: RwSignal::new(None),
            deleted: RwSignal::new(None),
            notices: RwSignal::new(Vec::new()),
            persisted: RwSignal::new(None),
        };
        if let Err(e) = storage::probe() {
            state.storage_unavailable.set(Some(e));
            return state;
        }
        let mut loaded = Vec::new();
        let mut unreadable = Vec::new();
        for key in storage::keys_with_prefix(keys::ASSESSMENT) {
            let Some(raw) = storage::read(&key) else {
                continue;
            };
            match decode_stored(&raw) {
                Ok(stored) => loaded.push(stored),
                Err(e) => unreadable.push(set_aside(&key, &raw, e.to_string())),
            }
        }
        for key in storage::keys_with_prefix(keys::UNREADABLE) {
            if !unreadable.iter().any(|u: &Unreadable| u.key == key) {
                unreadable.push(Unreadable {
                    key,
                    reason: "Bản lưu hỏng từ lần mở trước.".into(),
                });
            }
        }
        sort_newest_first(&mut loaded);
        state.assessments.set(loaded);
        state.unreadable.set(unreadable);
        state
    }

    /// The criteria set of one of this browser's assessments.
    pub fn set_for(&self, id: &str) -> Option<Arc<CriteriaSet>> {
        let stored = self.get(id)?;
        self.set_of(&stored.assessment.criteria_set)
    }

    /// The set a reference names, when this browser has it.
    pub fn set_of(
        &self,
        wanted: &crate::domain::assessment::CriteriaSetRef,
    ) -> Option<Arc<CriteriaSet>> {
        self.sets
            .with_untracked(|sets| sets.find(wanted).map(|r| r.set.clone()))
    }

    pub fn get(&self, id: &str) -> Option<StoredAssessment> {
        self.assessments
            .with(|all| all.iter().find(|s| s.assessment.id == id).cloned())
    }

    /// Adds a new assessment and saves it.
    pub fn create(&self, assessment: Assessment) {
        let stored = StoredAssessment::new(assessment, clock::now_ms());
        let id = stored.assessment.id.clone();
        self.assessments.update(|all| all.insert(0, stored));
        self.persist(&id, None);
    }

    /// Applies a change to one assessment and saves it at once.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Assessment)) {
        let mut base = None;
        self.assessments.update(|all| {
            if let Some(s) = all.iter_mut().find(|s| s.assessment.id == id) {
                base = Some(s.revision);
                change(&mut s.assessment);
                s.record_edit(clock::now_ms());
            }
        });
        if base.is_some() {
            self.persist(id, base);
        }
    }

    /// Records that these assessments were exported just now.
    pub fn mark_exported(&self, ids: &[String]) {
        let now = clock::now_ms();
        for id in ids {
            let mut base = None;
            self.assessments.update(|all| {
                if let Some(s) = all.iter_mut().find(|s| &s.assessment.id == id) {
                    base = Some(s.revision);
                    s.last_exported_at = Some(now);
                    s.revision += 1;
                }
            });
            if base.is_some() {
                self.persist(id, base);
            }
        }
    }

    pub fn delete(&self, id: &str) {
        let Some(stored) = self.get(id) else { return };
        self.assessments
            .update(|all| all.retain(|s| s.assessment.id != id));
        self.unsaved.update(|u| u.retain(|x| x != id));
        storage::remove(&keys::assessment(id));
        self.deleted.set(Some(Deleted(stored)));
    }

    /// Brings back the assessment deleted last.
    pub fn undo_delete(&self) {
        let Some(Deleted(stored)) = self.deleted.get_untracked() else {
            return;
        };
        let id = stored.assessment.id.clone();
        self.deleted.set(None);
        self.assessments.update(|all| {
            all.push(stored);
            sort_newest_first(all);
        });
        self.persist(&id, None);
    }

    /// Writes one assessment; `base` is the revision this change started from, so a newer
    /// revision written meanwhile by another tab is never overwritten silently.
    pub(crate) fn persist(&self, id: &str, base: Option<u64>) {
        let Some(ours) = self.get(id) else { return };
        if let Some(e) = self.storage_unavailable.get_untracked() {
            self.mark_unsaved(id, e);
            return;
        }
        let key = keys::assessment(id);
        if let (Some(base), Some(raw)) = (base, storage::read(&key)) {
            if let Ok(theirs) = decode_stored(&raw) {
                if theirs.revision > base {
                    self.mark_unsaved(
                        id,
                        StorageError::WriteFailed("xung đột giữa hai thẻ".into()),
                    );
                    self.conflict.set(Some(Conflict { ours, theirs }));
                    return;
                }
            }
        }
        self.save.set(SaveStatus::Saving);
        match storage::write(&key, &encode_stored(&ours)) {
            Ok(()) => {
                self.unsaved.update(|u| u.retain(|x| x != id));
                self.save.set(SaveStatus::Saved {
                    at_ms: clock::now_ms(),
                });
            }
            Err(e) => self.mark_unsaved(id, e),
        }
    }

    fn mark_unsaved(&self, id: &str, error: StorageError) {
        self.unsaved.update(|u| {
            if !u.iter().any(|x| x == id) {
                u.push(id.to_string());
            }
        });
        self.save.set(SaveStatus::Failed(error));
    }

    /// Tries again to save every change kept in memory (after the user freed space).
    pub fn retry_unsaved(&self) {
        for id in self.unsaved.get_untracked() {
            self.persist(&id, None);
        }
    }

    /// Settles a conflict: the chosen side becomes current, the other is kept as a backup.
    pub fn resolve_conflict(&self, keep_ours: bool) {
        let Some(Conflict { ours, theirs }) = self.conflict.get_untracked() else {
            return;
        };
        self.conflict.set(None);
        let (winner, loser) = if keep_ours {
            (ours, theirs)
        } else {
            (theirs, ours)
        };
        let id = winner.assessment.id.clone();
        let backup_key = format!("{}{}/{}", keys::BACKUP, id, clock::now_ms() as u64);
        if let Err(e) = storage::write(&backup_key, &encode_stored(&loser)) {
            self.notify(
                format!(
                    "Không giữ được bản sao lưu của phiên bản không chọn: {}",
                    e.message_vi()
                ),
                Tone::Error,
            );
        }
        let revision = winner.revision.max(loser.revision) + 1;
        self.assessments.update(|all| {
            if let Some(s) = all.iter_mut().find(|s| s.assessment.id == id) {
                *s = StoredAssessment { revision, ..winner };
            }
        });
        self.persist(&id, None);
    }

    /// Follows a change another tab made to localStorage (the `storage` event).
    pub fn on_external_change(&self, key: &str, new_value: Option<String>) {
        let Some(id) = key.strip_prefix(keys::ASSESSMENT) else {
            return;
        };
        let has_local_changes = self.unsaved.with_untracked(|u| u.iter().any(|x| x == id));
        let Some(raw) = new_value else {
            if !has_local_changes {
                self.assessments
                    .update(|all| all.retain(|s| s.assessment.id != id));
            }
            return;
        };
        let Ok(theirs) = decode_stored(&raw) else {
            return;
        };
        match self.get(id) {
            Some(ours) if ours.revision >= theirs.revision => {}
            Some(ours) if has_local_changes => self.conflict.set(Some(Conflict { ours, theirs })),
            Some(_) => {
                let name = theirs.assessment.commune.name.clone();
                self.assessments.update(|all| {
                    if let Some(s) = all.iter_mut().find(|s| s.assessment.id == id) {
                        *s = theirs;
                    }
                });
                self.notify(
                    format!("Bản tự đánh giá của {name} vừa được cập nhật từ một thẻ khác; đang hiển thị bản mới nhất."),
                    Tone::Info,
                );
            }
            None => self.assessments.update(|all| {
                all.insert(0, theirs);
            }),
        }
    }

    pub fn notify(&self, text: String, tone: Tone) {
        self.notices.update(|n| {
            let id = n.last().map_or(1, |last| last.id + 1);
            n.push(Notice { id, text, tone });
        });
    }

    pub fn dismiss(&self, id: u32) {
        self.notices.update(|n| n.retain(|x| x.id != id));
    }

    /// Removes a set-aside entry after the user has downloaded or given it up.
    pub fn discard_unreadable(&self, key: &str) {
        storage::remove(key);
        self.unreadable.update(|u| u.retain(|x| x.key != key));
    }
}

/// Moves an unreadable entry's raw text under a backup key; if even that fails (storage full),
/// the original stays where it is, so nothing is ever lost.
fn set_aside(key: &str, raw: &str, reason: String) -> Unreadable {
    let id = key.strip_prefix(keys::ASSESSMENT).unwrap_or(key);
    let backup = format!("{}{}", keys::UNREADABLE, id);
    match storage::write(&backup, raw) {
        Ok(()) => {
            storage::remove(key);
            Unreadable {
                key: backup,
                reason,
            }
        }
        Err(_) => Unreadable {
            key: key.to_string(),
            reason,
        },
    }
}

fn sort_newest_first(all: &mut [StoredAssessment]) {
    all.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
}
