//! Importing exchange files into the user's own list. An assessment for a commune and year
//! already present never overwrites silently: the copy edited last is used, the other is kept
//! as a backup (the store's `sao-luu`), and the user can switch to it. The decision for each
//! record is the domain's ([`settle`], native-tested with whole round trips); this file carries
//! it out in the browser's store and tells each record's real outcome.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::adapters::{clock, tick::yield_now};
use crate::domain::exchange::{settle, ImportedAssessment, Settle};
use crate::domain::history::HistoryEntry;
use crate::domain::scoring::{score, Verdict};
use crate::domain::storage_format::StoredAssessment;
use crate::domain::store::StoreError;
use crate::ui::history_store::keep_imported;
use crate::ui::state::AppState;

/// Why a record was not stored, and what the user can do: it is still in the file.
fn not_stored(e: &StoreError) -> String {
    match e {
        StoreError::QuotaExceeded => "Chưa lưu: bộ nhớ của trình duyệt dành cho trang này đã \
            đầy. Bản này vẫn còn nguyên trong tệp. Hãy xuất tệp rồi xóa bớt các bản không cần \
            trên máy này và nhập lại tệp; muốn xem và so sánh nhiều tệp của các xã, hãy dùng màn \
            hình «Tổng hợp»."
            .into(),
        StoreError::Unavailable(_) => "Chưa lưu: trình duyệt không cho lưu dữ liệu trên máy \
            (chế độ ẩn danh hoặc đã tắt lưu trữ). Bản này vẫn còn nguyên trong tệp; hãy mở ứng \
            dụng trong cửa sổ thường rồi nhập lại tệp."
            .into(),
        StoreError::NewerVersion => "Chưa lưu: dữ liệu trên máy đã được một phiên bản mới hơn \
            của ứng dụng nâng cấp. Bản này vẫn còn nguyên trong tệp; hãy tải lại trang rồi nhập \
            lại tệp."
            .into(),
        StoreError::Failed(detail) => format!(
            "Chưa lưu: trình duyệt từ chối ({detail}). Bản này vẫn còn nguyên trong tệp; hãy thử \
             nhập lại."
        ),
        StoreError::CodeNotLoaded => "Chưa lưu: chưa tải được phần ứng dụng dùng để lưu (có thể \
            do mạng). Bản này vẫn còn nguyên trong tệp; hãy nhập lại khi có mạng."
            .into(),
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

/// Decided but not yet committed: (place in the outcomes, place in the list) of new records,
/// (place in the outcomes, copy) of backups.
#[derive(Default)]
struct Pending {
    adds: Vec<(usize, usize)>,
    spares: Vec<(usize, StoredAssessment)>,
    /// The history each new record's file carried, by place in the list.
    histories: HashMap<usize, Vec<HistoryEntry>>,
}

impl AppState {
    /// Stores the records read from files, one decision each ([`settle`]): added, already
    /// there, or both copies kept (the newer in use, the other as a backup), backups from the
    /// file as backups. A record the browser will not store is said so, with what to do, and
    /// is not listed. Works in slices: `progress(done)` after each, `stop()` asked between them
    /// (the records after the stop are not stored). New records and backups are committed
    /// together, a few hundred per transaction.
    pub async fn import_own_batch(
        &self,
        records: Vec<ImportedAssessment>,
        progress: impl Fn(usize),
        stop: impl Fn() -> bool,
    ) -> Vec<OwnImport> {
        let key_of = |s: &StoredAssessment| (s.assessment.commune.code.clone(), s.assessment.year);
        let mut all = self.all_stored_untracked();
        let mut at: HashMap<(String, u16), usize> = all
            .iter()
            .enumerate()
            .map(|(i, s)| (key_of(s), i))
            .collect();
        // Deleted assessments keep their ids (they can be restored).
        let mut ids: HashSet<String> = self
            .docs
            .with_untracked(|docs| docs.iter().map(|d| d.id().to_string()).collect());
        let mut kept: HashMap<(String, u16), Vec<StoredAssessment>> = HashMap::new();
        for (_, b) in self.backups.get_untracked() {
            kept.entry(key_of(&b)).or_default().push(b);
        }
        let total = records.len();
        let mut outcomes = Vec::with_capacity(total);
        let mut pending = Pending::default();
        let mut slice_start = clock::now_ms();
        for (done, mut imported) in records.into_iter().enumerate() {
            if clock::now_ms() - slice_start > SLICE_MS {
                self.store_pending(&mut pending, &mut outcomes, &mut all, &mut at)
                    .await;
                progress(done);
                yield_now().await;
                slice_start = clock::now_ms();
            }
            if stop() {
                outcomes.extend((done..total).map(|_| OwnImport::NotReached));
                break;
            }
            let backup = imported.backup;
            // The history the file carried stays with the copy it brings in.
            let history = std::mem::take(&mut imported.history);
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
                    ids.insert(incoming.assessment.id.clone());
                    at.insert(unit, all.len());
                    pending.histories.insert(all.len(), history);
                    pending.adds.push((outcomes.len(), all.len()));
                    all.push(incoming);
                    OwnImport::NotReached
                }
                Settle::AddBackup => {
                    if let Some(c) = current {
                        incoming.assessment.id = c.assessment.id.clone();
                    }
                    pending.spares.push((outcomes.len(), incoming.clone()));
                    kept.entry(unit).or_default().push(incoming);
                    OwnImport::NotReached
                }
                Settle::KeepAsBackup | Settle::Replace => {
                    // The copy here may be one of this import's, not yet stored.
                    self.store_pending(&mut pending, &mut outcomes, &mut all, &mut at)
                        .await;
                    match at.get(&unit).copied() {
                        Some(i) => {
                            let existing = all[i].clone();
                            incoming.assessment.id = existing.assessment.id.clone();
                            let use_imported = decision == Settle::Replace;
                            match self.keep_both(&existing, incoming, use_imported).await {
                                Ok((conflict, now_current, spare)) => {
                                    if use_imported {
                                        keep_imported(
                                            vec![(conflict.id.clone(), history)],
                                            clock::now_ms(),
                                        )
                                        .await;
                                    }
                                    all[i] = now_current;
                                    kept.entry(unit).or_default().push(spare);
                                    OwnImport::Conflict(conflict)
                                }
                                Err(message) => OwnImport::NotStored(message),
                            }
                        }
                        // It was refused a moment ago: this one is refused for the same reason.
                        None => OwnImport::NotStored(not_stored(&StoreError::Failed(
                            "bản cùng xã và năm trong tệp cũng chưa lưu được".into(),
                        ))),
                    }
                }
            };
            outcomes.push(outcome);
        }
        self.store_pending(&mut pending, &mut outcomes, &mut all, &mut at)
            .await;
        progress(outcomes.len());
        outcomes
    }

    /// Commits the new records and backups decided since the last call and writes their real
    /// outcomes in place. A new record that is refused leaves its commune and year free again.
    async fn store_pending(
        &self,
        pending: &mut Pending,
        outcomes: &mut [OwnImport],
        all: &mut [StoredAssessment],
        at: &mut HashMap<(String, u16), usize>,
    ) {
        let adds = std::mem::take(&mut pending.adds);
        if !adds.is_empty() {
            let list = adds
                .iter()
                .map(|&(_, i)| (all[i].assessment.clone(), all[i].revision))
                .collect();
            let results = self.add_assessments(list).await;
            let mut histories = Vec::new();
            for ((outcome, i), result) in adds.into_iter().zip(results) {
                let history = pending.histories.remove(&i).unwrap_or_default();
                outcomes[outcome] = match result {
                    Ok(id) => {
                        histories.push((id.clone(), history));
                        all[i].assessment.id = id;
                        OwnImport::Added
                    }
                    Err(e) => {
                        let unit = (
                            all[i].assessment.commune.code.clone(),
                            all[i].assessment.year,
                        );
                        if at.get(&unit) == Some(&i) {
                            at.remove(&unit);
                        }
                        OwnImport::NotStored(not_stored(&e))
                    }
                };
            }
            keep_imported(histories, clock::now_ms()).await;
        }
        let spares = std::mem::take(&mut pending.spares);
        if !spares.is_empty() {
            let (places, list): (Vec<usize>, Vec<StoredAssessment>) = spares.into_iter().unzip();
            let results = self.put_backups(list).await;
            for (outcome, result) in places.into_iter().zip(results) {
                outcomes[outcome] = match result {
                    Ok(_) => OwnImport::KeptAsBackup,
                    Err(e) => OwnImport::NotStored(not_stored(&e)),
                };
            }
        }
    }

    /// Two copies of one assessment: the one not in use is committed as a backup first, then
    /// (when the incoming copy is newer) the incoming one takes the place of the copy in use.
    /// Returns the summary, the copy in use and the backup.
    async fn keep_both(
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
        let backup_key = self.put_backup(&spare).await.map_err(|e| not_stored(&e))?;
        let mut current = shown.clone();
        if use_imported {
            self.replace(
                &id,
                shown.assessment.clone(),
                "Thay bằng bản mới hơn trong tệp nhập",
            );
            if let Some(doc) = self.doc_untracked(&id) {
                self.flush_now(&doc).await;
                let unsaved = doc
                    .outbox()
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .unsaved();
                if unsaved {
                    return Err(
                        "Chưa lưu xong: bản trong tệp đang được giữ trong thẻ này và ứng \
                        dụng sẽ thử lưu lại; bản cũ đã được giữ làm bản sao lưu. Đừng đóng thẻ \
                        trước khi dòng trạng thái báo «Đã lưu»."
                            .into(),
                    );
                }
                current = doc.stored_untracked();
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
    pub async fn swap_with_backup(&self, c: &ImportConflict) -> Result<ImportConflict, String> {
        let previous = self.restore_backup(&c.backup_key).await?.ok_or(
            "Bản đang dùng đã bị xóa khỏi máy; bản sao lưu đã được đưa trở lại danh sách."
                .to_string(),
        )?;
        let now_current = untrack(|| self.get(&c.id))
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
    pub async fn restore_backup(
        &self,
        backup_key: &str,
    ) -> Result<Option<StoredAssessment>, String> {
        let spare = self
            .read_backup(backup_key)
            .await
            .ok_or("Không còn bản sao lưu này (có thể đã bị xóa).".to_string())?;
        let id = spare.assessment.id.clone();
        let live = self.doc_untracked(&id).filter(|d| untrack(|| d.is_live()));
        if let Some(doc) = live {
            let current = doc.stored_untracked();
            self.write_backup(backup_key, &current)
                .await
                .map_err(|e| format!("Chưa đổi được: {}", e.message_vi()))?;
            self.replace(&id, spare.assessment, "Dùng lại bản sao lưu");
            return Ok(Some(current));
        }
        let doc = match self.doc_untracked(&id) {
            Some(doc) => {
                // Awaited: the backup is removed below only once the assessment is back for good.
                self.restore_deleted_now(&id).await;
                self.replace(&id, spare.assessment, "Dùng lại bản sao lưu");
                doc
            }
            None => self.create_with_revision(spare.assessment, spare.revision),
        };
        self.flush_now(&doc).await;
        if doc
            .outbox()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unsaved()
        {
            return Err("Chưa lưu được bản khôi phục; bản sao lưu vẫn được giữ.".into());
        }
        self.remove_backup(backup_key).await.map_err(|e| {
            format!(
                "Đã khôi phục nhưng chưa xóa được bản sao lưu: {}",
                e.message_vi()
            )
        })?;
        Ok(None)
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
}
