//! Importing exchange files into the user's own list. An assessment for a commune and year
//! already present never overwrites silently: the copy edited last is used, the other is kept
//! under [`keys::BACKUP`], and the user can switch to it.

use leptos::prelude::*;

use crate::adapters::{clock, storage};
use crate::domain::exchange::{find_conflict, ImportedAssessment, Newer};
use crate::domain::scoring::{score, Verdict};
use crate::domain::storage_format::{decode_stored, encode_stored, StoredAssessment};
use crate::ui::state::{keys, AppState};

/// One copy of an assessment as the choice between two copies shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CopySummary {
    pub revision: u64,
    /// Last edit, ms since the Unix epoch.
    pub updated_at: f64,
    /// `None` while the criteria set is not known here.
    pub total: Option<u32>,
    pub verdict: Option<Verdict>,
}

/// Two copies of one assessment: one in use, one kept as a backup.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportConflict {
    /// Local id, the same whichever copy is in use.
    pub id: String,
    pub backup_key: String,
    pub current: CopySummary,
    pub backup: CopySummary,
    /// Whether the copy in use is the one from the file.
    pub current_is_imported: bool,
}

/// What importing one assessment did to the list.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnImport {
    Added,
    /// Exactly this content is already in the list.
    Unchanged,
    Conflict(ImportConflict),
    /// The copy not chosen could not be kept (storage full…), so nothing was changed.
    NotSaved(String),
}

impl AppState {
    /// Adds an assessment read from a file, or settles it against the copy already present.
    pub fn import_own(&self, imported: ImportedAssessment) -> OwnImport {
        let all = self.assessments.get_untracked();
        let Some(conflict) = find_conflict(&all, &imported) else {
            let mut stored = imported.into_stored();
            // Ids are only unique per browser: another machine may have used this one.
            if all.iter().any(|s| s.assessment.id == stored.assessment.id) {
                stored.assessment.id = clock::new_id();
            }
            let id = stored.assessment.id.clone();
            self.assessments.update(|all| {
                let at = all
                    .iter()
                    .position(|s| s.updated_at < stored.updated_at)
                    .unwrap_or(all.len());
                all.insert(at, stored);
            });
            self.persist(&id, None);
            return OwnImport::Added;
        };
        let existing = all[conflict.existing_index].clone();
        let id = existing.assessment.id.clone();
        let mut incoming = imported.into_stored();
        incoming.assessment.id = id.clone();
        if incoming.assessment == existing.assessment {
            return OwnImport::Unchanged;
        }
        let use_imported = conflict.newer == Newer::Imported;
        let (current, spare) = if use_imported {
            (incoming, existing.clone())
        } else {
            (existing.clone(), incoming)
        };
        let backup_key = self.free_backup_key(&id);
        if let Err(e) = storage::write(&backup_key, &encode_stored(&spare)) {
            let kept = if use_imported {
                "Bản đang có được giữ nguyên, chưa thay bằng bản trong tệp."
            } else {
                "Bản đang có (mới hơn) được giữ nguyên; bản trong tệp vẫn còn trong tệp."
            };
            return OwnImport::NotSaved(format!(
                "Không lưu được bản sao lưu: {} {kept}",
                e.message_vi()
            ));
        }
        let summary = ImportConflict {
            id,
            backup_key,
            current: self.summary(&current),
            backup: self.summary(&spare),
            current_is_imported: use_imported,
        };
        if use_imported {
            self.replace_copy(&existing, current);
        } else {
            // The list is unchanged but a backup was added: Home's list of backups re-reads.
            self.assessments.notify();
        }
        OwnImport::Conflict(summary)
    }

    /// Puts the backup copy in use and keeps the current one as the backup instead.
    pub fn swap_with_backup(&self, c: &ImportConflict) -> Result<ImportConflict, String> {
        let previous = self.restore_backup(&c.backup_key)?.ok_or(
            "Bản đang dùng đã bị xóa khỏi máy; bản sao lưu đã được đưa trở lại danh sách."
                .to_string(),
        )?;
        let now_current = self
            .get(&c.id)
            .ok_or("Bản tự đánh giá này không còn trên máy.".to_string())?;
        Ok(ImportConflict {
            current: self.summary(&now_current),
            backup: self.summary(&previous),
            current_is_imported: !c.current_is_imported,
            ..c.clone()
        })
    }

    /// Brings back the copy kept under `backup_key`. The copy in use until now, if any, takes
    /// its place under the same key, so switching back and forth never loses either; when the
    /// assessment was deleted meanwhile, the backup simply returns to the list.
    pub fn restore_backup(&self, backup_key: &str) -> Result<Option<StoredAssessment>, String> {
        let spare = storage::read(backup_key)
            .ok_or("Không còn bản sao lưu này (có thể đã bị xóa).".to_string())
            .and_then(|raw| decode_stored(&raw).map_err(|e| e.to_string()))?;
        match self.get(&spare.assessment.id) {
            Some(current) => {
                storage::write(backup_key, &encode_stored(&current))
                    .map_err(|e| format!("Chưa đổi được: {}", e.message_vi()))?;
                self.replace_copy(&current, spare);
                Ok(Some(current))
            }
            None => {
                let id = spare.assessment.id.clone();
                self.assessments.update(|all| all.insert(0, spare));
                self.persist(&id, None);
                if self.unsaved.with_untracked(|u| u.contains(&id)) {
                    return Err("Chưa lưu được bản khôi phục; bản sao lưu vẫn được giữ.".into());
                }
                storage::remove(backup_key);
                Ok(None)
            }
        }
    }

    /// Every backup kept in this browser, newest first, with the copies that cannot be read
    /// left out (the crash screen's raw download still includes them).
    pub fn backups(&self) -> Vec<(String, StoredAssessment)> {
        let mut out: Vec<_> = storage::keys_with_prefix(keys::BACKUP)
            .into_iter()
            .filter_map(|key| {
                let stored = decode_stored(&storage::read(&key)?).ok()?;
                Some((key, stored))
            })
            .collect();
        out.sort_by(|a, b| b.1.updated_at.total_cmp(&a.1.updated_at));
        out
    }

    /// `next` takes the place of `base` under the same local id. The revision moves past both
    /// copies, so other tabs see a change and the conflict check of `persist` stays meaningful.
    fn replace_copy(&self, base: &StoredAssessment, next: StoredAssessment) {
        let id = base.assessment.id.clone();
        let next = StoredAssessment {
            revision: base.revision.max(next.revision) + 1,
            last_exported_at: None,
            assessment: crate::domain::assessment::Assessment {
                id: id.clone(),
                ..next.assessment
            },
            ..next
        };
        self.assessments.update(|all| {
            if let Some(s) = all.iter_mut().find(|s| s.assessment.id == id) {
                *s = next;
            }
        });
        self.persist(&id, Some(base.revision));
    }

    fn summary(&self, s: &StoredAssessment) -> CopySummary {
        let scored = self
            .set_of(&s.assessment.criteria_set)
            .map(|set| score(&set, &s.assessment));
        CopySummary {
            revision: s.revision,
            updated_at: s.assessment.updated_at,
            total: scored.as_ref().map(|x| x.total),
            verdict: scored.map(|x| x.verdict),
        }
    }

    /// `<BACKUP><id>/<ms>`, as the conflict between tabs names its backups; never one in use.
    fn free_backup_key(&self, id: &str) -> String {
        let base = format!("{}{}/{}", keys::BACKUP, id, clock::now_ms() as u64);
        let mut key = base.clone();
        let mut n = 1;
        while storage::read(&key).is_some() {
            key = format!("{base}-{n}");
            n += 1;
        }
        key
    }
}
