//! Importing exchange files into the user's own list. An assessment for a commune and year
//! already present never overwrites silently: the copy edited last is used, the other is kept
//! under [`keys::BACKUP`], and the user can switch to it. The decision for each record is the
//! domain's ([`settle`], native-tested with whole round trips); this file carries it out in
//! the browser's storage and tells each record's real outcome.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::adapters::storage::{self, StorageError};
use crate::adapters::{clock, tick::yield_now};
use crate::domain::exchange::{settle, ImportedAssessment, Settle};
use crate::domain::scoring::{score, Verdict};
use crate::domain::storage_format::{decode_stored, encode_stored, StoredAssessment};
use crate::ui::state::{keys, AppState, SaveStatus};

/// Why a record was not stored, and what the user can do: it is still in the file.
fn not_stored(e: &StorageError) -> String {
    match e {
        StorageError::QuotaExceeded => "Chưa lưu: bộ nhớ của trình duyệt dành cho trang này đã \
            đầy (khoảng 5 MB). Bản này vẫn còn nguyên trong tệp. Hãy xuất tệp rồi xóa bớt các bản \
            không cần trên máy này và nhập lại tệp; muốn xem và so sánh nhiều tệp của các xã, hãy \
            dùng màn hình «Tổng hợp» (không giới hạn 5 MB)."
            .into(),
        StorageError::Unavailable => "Chưa lưu: trình duyệt không cho lưu dữ liệu trên máy (chế \
            độ ẩn danh hoặc đã tắt lưu trữ). Bản này vẫn còn nguyên trong tệp; hãy mở ứng dụng \
            trong cửa sổ thường rồi nhập lại tệp."
            .into(),
        StorageError::WriteFailed(detail) => format!(
            "Chưa lưu: trình duyệt từ chối ({detail}). Bản này vẫn còn nguyên trong tệp; hãy thử \
             nhập lại."
        ),
    }
}

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

/// What importing one record did to the list, told as it really happened.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnImport {
    /// Stored and listed.
    Added,
    /// Exactly this content is already on this machine (in use or kept as a backup).
    Unchanged,
    /// The same commune and year was there: both copies kept, the newer in use.
    Conflict(ImportConflict),
    /// A backup the sender kept, stored as a backup here.
    KeptAsBackup,
    /// Not stored: why, and what to do.
    NotStored(String),
    /// The import was stopped before this record.
    NotReached,
}

/// Records stored between two looks at the clock, so the page keeps painting and the user can
/// stop the import.
const SLICE_MS: f64 = 40.0;

impl AppState {
    /// Stores the records read from files, one decision each ([`settle`]): added, already
    /// there, or both copies kept (the newer in use, the other as a backup), backups from the
    /// file as backups. A record the browser will not store is said so, with what to do, and
    /// is not listed. Works in slices: `progress(done)` after each, `stop()` asked between them
    /// (the records after the stop are not stored).
    pub async fn import_own_batch(
        &self,
        records: Vec<ImportedAssessment>,
        progress: impl Fn(usize),
        stop: impl Fn() -> bool,
    ) -> Vec<OwnImport> {
        let key_of = |s: &StoredAssessment| (s.assessment.commune.code.clone(), s.assessment.year);
        let mut all = self.assessments.get_untracked();
        let mut at: HashMap<(String, u16), usize> = all
            .iter()
            .enumerate()
            .map(|(i, s)| (key_of(s), i))
            .collect();
        let mut ids: HashSet<String> = all.iter().map(|s| s.assessment.id.clone()).collect();
        let mut kept: HashMap<(String, u16), Vec<StoredAssessment>> = HashMap::new();
        for (_, b) in self.backups() {
            kept.entry(key_of(&b)).or_default().push(b);
        }
        let total = records.len();
        let mut outcomes = Vec::with_capacity(total);
        let mut slice_start = clock::now_ms();
        let mut changed = false;
        for (done, imported) in records.into_iter().enumerate() {
            if clock::now_ms() - slice_start > SLICE_MS {
                progress(done);
                yield_now().await;
                slice_start = clock::now_ms();
            }
            if stop() {
                outcomes.extend((done..total).map(|_| OwnImport::NotReached));
                break;
            }
            let backup = imported.backup;
            let mut incoming = imported.into_stored();
            let unit = key_of(&incoming);
            let current = at.get(&unit).map(|&i| &all[i]);
            let backups: Vec<&StoredAssessment> = kept.get(&unit).into_iter().flatten().collect();
            let decision = settle(current, &backups, &incoming, backup);
            let outcome = match decision {
                Settle::Unchanged => OwnImport::Unchanged,
                Settle::Add => {
                    // Ids are only unique per browser: another machine may have used this one.
                    if ids.contains(&incoming.assessment.id) || incoming.assessment.id.is_empty() {
                        incoming.assessment.id = clock::new_id();
                    }
                    let id = incoming.assessment.id.clone();
                    match storage::write(&keys::assessment(&id), &encode_stored(&incoming)) {
                        Ok(()) => {
                            ids.insert(id);
                            at.insert(unit, all.len());
                            all.push(incoming);
                            changed = true;
                            OwnImport::Added
                        }
                        Err(e) => OwnImport::NotStored(not_stored(&e)),
                    }
                }
                Settle::AddBackup => {
                    if let Some(c) = current {
                        incoming.assessment.id = c.assessment.id.clone();
                    }
                    let key = self.free_backup_key(&incoming.assessment.id);
                    match storage::write(&key, &encode_stored(&incoming)) {
                        Ok(()) => {
                            kept.entry(unit).or_default().push(incoming);
                            changed = true;
                            OwnImport::KeptAsBackup
                        }
                        Err(e) => OwnImport::NotStored(not_stored(&e)),
                    }
                }
                Settle::KeepAsBackup | Settle::Replace => {
                    let i = at[&unit];
                    let existing = all[i].clone();
                    incoming.assessment.id = existing.assessment.id.clone();
                    let use_imported = decision == Settle::Replace;
                    match self.keep_both(&existing, incoming, use_imported) {
                        Ok((conflict, now_current, spare)) => {
                            all[i] = now_current;
                            kept.entry(unit).or_default().push(spare);
                            changed = true;
                            OwnImport::Conflict(conflict)
                        }
                        Err(message) => OwnImport::NotStored(message),
                    }
                }
            };
            outcomes.push(outcome);
        }
        progress(outcomes.len());
        if changed {
            all.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
            self.assessments.set(all);
            self.save.set(SaveStatus::Saved {
                at_ms: clock::now_ms(),
            });
        }
        outcomes
    }

    /// Two copies of one assessment: the one not in use is written as a backup first, then (when
    /// the incoming copy is newer) the incoming one as the copy in use. Either both are stored
    /// or nothing changes. Returns the summary, the copy in use and the backup.
    fn keep_both(
        &self,
        existing: &StoredAssessment,
        incoming: StoredAssessment,
        use_imported: bool,
    ) -> Result<(ImportConflict, StoredAssessment, StoredAssessment), String> {
        let id = existing.assessment.id.clone();
        // The copies as they came (the sender's save counter), for the choice shown.
        let (shown, spare) = if use_imported {
            (incoming, existing.clone())
        } else {
            (existing.clone(), incoming)
        };
        let current = if use_imported {
            StoredAssessment {
                // Past both copies, so other tabs see a change.
                revision: existing.revision.max(shown.revision) + 1,
                last_exported_at: None,
                ..shown.clone()
            }
        } else {
            shown.clone()
        };
        let backup_key = self.free_backup_key(&id);
        storage::write(&backup_key, &encode_stored(&spare)).map_err(|e| not_stored(&e))?;
        if use_imported {
            if let Err(e) = storage::write(&keys::assessment(&id), &encode_stored(&current)) {
                storage::remove(&backup_key);
                return Err(not_stored(&e));
            }
        }
        let summary = ImportConflict {
            id,
            backup_key,
            current: self.summary(&shown),
            backup: self.summary(&spare),
            current_is_imported: use_imported,
        };
        Ok((summary, current, spare))
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
