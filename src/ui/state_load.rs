//! The start: choose where to store (IndexedDB; localStorage where IndexedDB is unavailable;
//! memory where nothing stores), move what the localStorage builds wrote, list the assessments
//! from their summaries (so Home shows thousands at once), then read everything.
//! Reading never needs a write: on a full or read-only disk the assessments are still listed
//! and can be exported, and what could not be moved stays where it was, listed too.

use std::collections::HashMap;

use leptos::prelude::*;

use super::state::{AppState, Listing, SetsStatus, StorageMode, Tone, Unreadable};
use super::state_doc::{Doc, Meta};
use super::state_sync::{backend, compact, set_backend, AnyBackend};
use crate::adapters::idb::{self, IdbBackend};
use crate::adapters::{clock, storage, tick};
use crate::domain::assessment::Assessment;
use crate::domain::doc_store::{decode, kv_all, kv_delete, Journal, Problem};
use crate::domain::legacy::{
    classify, keys, migrate_entry, read_export_mark, Entry, Moved, ASSESSMENTS,
};
use crate::domain::listing::{Listed, PAGE_SIZE};
use crate::domain::storage_format::{decode_stored, StoredAssessment, StoredError, STORAGE_FORMAT};
use crate::domain::store::{stores, StoreError};

/// Assessments read in one part of the start (about 1 MB: a few tens of milliseconds on a
/// slow phone).
const READ_PART: usize = 250;

/// A deletion stays undoable (from any tab) this long; the next start after it purges.
const PURGE_AFTER_MS: f64 = 60.0 * 60.0 * 1000.0;

/// What the first part of the start found, for the rest of it ([`AppState::load_stored`]).
pub struct Opened {
    unreadable: Vec<Unreadable>,
    /// Set-aside keys and why.
    reasons: Vec<(String, String)>,
    /// localStorage entries that could not be moved: (key, raw).
    unmoved: Vec<(String, String)>,
    /// When each assessment was last exported, by id.
    marks: HashMap<String, f64>,
    /// Nothing is stored at all (a first visit): nothing is left to read.
    nothing: bool,
}

impl AppState {
    /// The rest of the start. With nothing stored there is nothing to read, and the screens'
    /// part is not fetched for it. Otherwise the reading is in that part, fetched with the
    /// criteria sets (Home's cards need both to be scored); if it cannot be had, it is fetched
    /// again when the sets are asked for again («Thử lại»).
    pub async fn finish_start(&self, opened: Opened) {
        if opened.nothing {
            self.start_empty();
            return;
        }
        loop {
            if let Ok(part) = self.read_sets().await {
                (part.load_stored)(*self, opened).await;
                return;
            }
            while self.sets_status.get_untracked() == SetsStatus::Failed {
                tick::sleep_ms(300).await;
            }
        }
    }

    /// The end of the start when nothing is stored: listening to the other tabs, and reading
    /// what one of them stored before this tab listened.
    fn start_empty(&self) {
        self.refresh_backups();
        self.listen();
        self.ready.set(true);
        let state = *self;
        leptos::task::spawn_local(async move {
            if let Ok(heads) = Journal::new(&backend(), ASSESSMENTS).heads().await {
                for id in heads.keys() {
                    state.reload_now(id).await;
                }
            }
        });
    }

    async fn choose_backend(&self) {
        let (backend, mode) = match idb::probe().await {
            Ok(()) => (AnyBackend::Idb(IdbBackend), StorageMode::Durable),
            // A newer build owns the database: nothing here may touch it (every write is refused
            // with that reason).
            Err(e @ StoreError::NewerVersion) => {
                (AnyBackend::Idb(IdbBackend), StorageMode::MemoryOnly(e))
            }
            Err(e) if storage::available() => (
                AnyBackend::Local(storage::LocalBackend),
                StorageMode::Fallback(e),
            ),
            Err(e) => (AnyBackend::Idb(IdbBackend), StorageMode::MemoryOnly(e)),
        };
        set_backend(backend);
        self.storage.set(mode);
    }

    /// The first part of the start: chooses the store, moves what the localStorage builds
    /// wrote, and, when every assessment has a summary, sets [`AppState::listing`].
    pub async fn open_store(&self) -> Opened {
        self.choose_backend().await;
        let backend = backend();
        let now = clock::now_ms();
        let mut unreadable: Vec<Unreadable> = Vec::new();
        let mut reasons: Vec<(String, String)> = Vec::new();
        // 1. What the localStorage builds wrote (and old tabs may still write).
        let mut unmoved: Vec<(String, String)> = Vec::new();
        if !matches!(self.storage.get_untracked(), StorageMode::MemoryOnly(_)) {
            // What tabs closed before their writes left: first, so that it is listed.
            reasons.extend(self.recover_if_left(None, false).await);
            for key in storage::keys_with_prefix(keys::PREFIX) {
                if classify(&key) == Entry::Other {
                    continue;
                }
                let Some(raw) = storage::read(&key) else {
                    continue;
                };
                match migrate_entry(&backend, &key, &raw, now).await {
                    Ok(moved) => {
                        if moved.remove_original() {
                            storage::remove(&key);
                        }
                        match moved {
                            Moved::SetAside { key, reason } => {
                                reasons.push((key, reason));
                            }
                            Moved::LeftNewer(found) => unreadable.push(newer(&key, found)),
                            Moved::KeptAsBackup(_) => self.notify(
                                "Một bản tự đánh giá do thẻ dùng phiên bản cũ của ứng dụng lưu \
                                 khác với bản đang có: bản đó được giữ làm bản sao lưu (xem «Bản \
                                 sao lưu» bên dưới)."
                                    .into(),
                                Tone::Warning,
                            ),
                            _ => {}
                        }
                    }
                    Err(_) => unmoved.push((key, raw)),
                }
            }
        }
        let marks: HashMap<String, f64> = kv_all(&backend, stores::EXPORTS)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| Some((k, read_export_mark(&v)?.0)))
            .collect();
        // 2. The summaries, unless something is listed from elsewhere (an entry not moved).
        // With none to list, Home waits for the full read, which is then immediate.
        let listed = match unmoved.is_empty() {
            true => Journal::new(&backend, ASSESSMENTS).list::<Listed>().await,
            false => Ok(None),
        };
        // No snapshot (none listed, not even a deleted one), no record, nothing set aside or
        // drafted, nothing found in localStorage.
        let nothing = matches!(&listed, Ok(Some(l)) if l.is_empty())
            && unreadable.is_empty()
            && reasons.is_empty()
            && Journal::new(&backend, ASSESSMENTS)
                .heads()
                .await
                .is_ok_and(|h| h.is_empty())
            && kv_all(&backend, stores::SET_ASIDE)
                .await
                .is_ok_and(|a| a.is_empty())
            && kv_all(&backend, stores::DRAFTS)
                .await
                .is_ok_and(|d| d.is_empty());
        if let Ok(Some(mut listed)) = listed {
            listed.retain(|t| t.deleted_at.is_none() && t.doc.id == t.id);
            if !listed.is_empty() {
                crate::domain::sorting::sort_by(&mut listed, |a, b| {
                    b.updated_at.total_cmp(&a.updated_at)
                });
                let first: Vec<String> = listed
                    .iter()
                    .take(PAGE_SIZE)
                    .map(|t| t.id.clone())
                    .collect();
                self.listing.set(Some(Listing {
                    rows: listed,
                    marks: marks.clone(),
                    first_page: Vec::new(),
                }));
                // The first page's cards are read now: the long read of everything would
                // otherwise come first.
                let first_page = self.read_stored(&first).await;
                self.listing
                    .update(|l| l.iter_mut().for_each(|l| l.first_page = first_page.clone()));
            }
        }
        Opened {
            unreadable,
            reasons,
            unmoved,
            marks,
            nothing,
        }
    }

    /// The assessments `ids` read whole from the store, for the cards Home shows before
    /// everything is read; those that do not read are left out (the full read reports them).
    pub async fn read_stored(&self, ids: &[String]) -> Vec<StoredAssessment> {
        let backend = backend();
        let Ok(loaded) = Journal::new(&backend, ASSESSMENTS).load_many(ids).await else {
            return Vec::new();
        };
        let marks = self
            .listing
            .with_untracked(|l| l.as_ref().map(|l| l.marks.clone()));
        loaded
            .into_iter()
            .flatten()
            .filter_map(|loaded| {
                let assessment: Assessment = decode(&loaded.state.doc).ok()?;
                Some(StoredAssessment {
                    format: STORAGE_FORMAT,
                    revision: loaded.state.seq,
                    updated_at: loaded.state.updated_at,
                    last_exported_at: marks.as_ref().and_then(|m| m.get(&loaded.id).copied()),
                    assessment,
                })
            })
            .collect()
    }

    /// The rest of the start: reads every assessment (see the module); [`AppState::ready`]
    /// turns true when done.
    pub async fn load_stored(&self, opened: Opened) {
        let backend = backend();
        let now = clock::now_ms();
        let Opened {
            mut unreadable,
            mut reasons,
            unmoved,
            marks,
            nothing: _,
        } = opened;
        // 3. The store.
        let mut docs: Vec<Doc> = Vec::new();
        let mut maintenance: Vec<Doc> = Vec::new();
        // In parts, so that Home, already listed from the summaries, stays responsive.
        let loaded = Journal::new(&backend, ASSESSMENTS)
            .load_all_as_in_parts::<Assessment, _>(
                READ_PART,
                |id, a| match a.id == id {
                    true => Ok(()),
                    false => Err("mã không khớp".into()),
                },
                tick::yield_now,
            )
            .await;
        match loaded {
            Ok(report) => {
                docs.reserve(report.docs.len());
                for loaded in report.docs {
                    let meta = Meta {
                        revision: loaded.seq,
                        updated_at: loaded.updated_at,
                        last_exported_at: marks.get(&loaded.id).copied(),
                        deleted_at: loaded.deleted_at,
                    };
                    let doc = Doc::new(loaded.doc, meta, Some(loaded.seq));
                    doc.since_snapshot()
                        .store(loaded.since_snapshot, std::sync::atomic::Ordering::Relaxed);
                    if loaded.since_snapshot >= 32 || !loaded.snapshot_ok {
                        maintenance.push(doc.clone());
                    }
                    docs.push(doc);
                }
                for problem in report.problems {
                    match problem {
                        Problem::Newer { id, found } => unreadable.push(newer(&id, found)),
                        Problem::Unreadable { id, raw, reason } => {
                            let journal = Journal::new(&backend, ASSESSMENTS);
                            match journal.set_aside(stores::SET_ASIDE, &id, &raw, now).await {
                                Ok(key) => {
                                    reasons.push((key, reason));
                                }
                                Err(_) => unreadable.push(Unreadable {
                                    key: format!("{}/{id}", stores::ASSESSMENTS),
                                    reason: format!("Bản lưu {id} không đọc được: {reason}."),
                                    newer: false,
                                    raw: Some(raw),
                                }),
                            }
                        }
                    }
                }
            }
            Err(e) => self.notify(
                format!("Không đọc được dữ liệu đã lưu. {}", e.message_vi()),
                Tone::Error,
            ),
        }
        // 4. What could not be moved (a full disk): listed from where it is.
        for (key, raw) in unmoved {
            match classify(&key) {
                Entry::Assessment(id) => match decode_stored(&raw) {
                    Ok(stored) if !docs.iter().any(|d| d.id() == id) => {
                        let meta = Meta {
                            revision: 0,
                            updated_at: stored.updated_at,
                            last_exported_at: stored.last_exported_at,
                            deleted_at: None,
                        };
                        let doc = Doc::new(stored.assessment, meta, None);
                        doc.outbox()
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .first_seq = stored.revision.max(1);
                        docs.push(doc);
                    }
                    Ok(_) => {}
                    Err(StoredError::NewerFormat { found }) => unreadable.push(newer(&key, found)),
                    Err(e) => unreadable.push(Unreadable {
                        key: key.clone(),
                        reason: e.to_string(),
                        newer: false,
                        raw: Some(raw),
                    }),
                },
                Entry::SetAside(_) => unreadable.push(Unreadable {
                    key: key.clone(),
                    reason: "Bản lưu hỏng từ phiên bản trước.".into(),
                    newer: false,
                    raw: Some(raw),
                }),
                Entry::Backup(_) | Entry::Other => {}
            }
        }
        // 5. Set-aside entries, drafts, backups.
        if let Ok(all) = kv_all(&backend, stores::SET_ASIDE).await {
            for (key, _) in all {
                let reason = match reasons.iter().position(|(k, _)| *k == key) {
                    Some(i) => reasons.swap_remove(i).1,
                    None => "Bản lưu hỏng được để riêng từ lần mở trước.".into(),
                };
                unreadable.push(Unreadable {
                    key,
                    reason,
                    newer: false,
                    raw: None,
                });
            }
        }
        if let Ok(drafts) = kv_all(&backend, stores::DRAFTS).await {
            self.drafts.update_value(|d| d.extend(drafts));
        }
        crate::domain::sorting::sort_by(&mut docs, |a, b| {
            let at = |d: &Doc| d.meta().with_untracked(|m| m.updated_at);
            at(b).total_cmp(&at(a))
        });
        let stale: Vec<Doc> = docs
            .iter()
            .filter(|d| {
                d.meta()
                    .with_untracked(|m| m.deleted_at.is_some_and(|at| now - at > PURGE_AFTER_MS))
            })
            .cloned()
            .collect();
        self.docs.set(docs);
        self.listing.set(None);
        self.unreadable.set(unreadable);
        self.refresh_backups();
        self.listen();
        self.ready.set(true);
        // 6. Housekeeping, after the list is shown and without holding up what waits for the
        // start (the criteria sets, the first screen): one document at a time, each in its own
        // transaction, only where needed (a deletion past its undo, a long run of records).
        let state = *self;
        leptos::task::spawn_local(async move {
            // What other tabs wrote while the parts were read, before this tab listened.
            if let Ok(heads) = Journal::new(&backend, ASSESSMENTS).heads().await {
                let read: HashMap<String, u64> = state.docs.with_untracked(|all| {
                    all.iter()
                        .map(|d| (d.id().to_string(), d.meta().with_untracked(|m| m.revision)))
                        .collect()
                });
                for (id, head) in heads {
                    let behind = read.get(&id).is_none_or(|&revision| revision < head);
                    // (A damaged or newer one reads as such again and is left as it is.)
                    if behind {
                        state.reload_now(&id).await;
                    }
                }
            }
            for doc in stale {
                let journal = Journal::new(&backend, ASSESSMENTS);
                if let Ok(true) = journal.purge_deleted(doc.id(), now - PURGE_AFTER_MS).await {
                    for store in [stores::EXPORTS, stores::IMPORTED_HISTORY] {
                        let _ = kv_delete(&backend, store, doc.id()).await;
                    }
                    state.docs.update(|all| all.retain(|d| d.id() != doc.id()));
                }
                tick::next_task().await;
            }
            for doc in maintenance {
                compact(&doc).await;
                tick::next_task().await;
            }
            // Summaries for what a previous version stored without them, so the next start
            // lists at once.
            let journal = Journal::new(&backend, ASSESSMENTS);
            while let Ok((written, left)) = journal.summarize_missing(200).await {
                if written == 0 || left == 0 {
                    break;
                }
                tick::next_task().await;
            }
        });
    }
}

fn newer(key: &str, found: u64) -> Unreadable {
    Unreadable {
        key: key.to_string(),
        reason: format!(
            "Bản lưu này do phiên bản mới hơn của ứng dụng tạo (định dạng {found}), nên phiên bản \
             đang chạy không mở được. Dữ liệu được giữ nguyên, không bị ghi đè: hãy tải lại trang \
             để cập nhật ứng dụng."
        ),
        newer: true,
        raw: None,
    }
}
