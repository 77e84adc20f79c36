//! The start: choose where to store (IndexedDB; localStorage where IndexedDB is unavailable;
//! memory where nothing stores), move what the localStorage builds wrote, read everything.
//! Reading never needs a write: on a full or read-only disk the assessments are still listed
//! and can be exported, and what could not be moved stays where it was, listed too.

use std::collections::HashMap;

use leptos::prelude::*;

use super::state::{AppState, StorageMode, Tone, Unreadable};
use super::state_doc::{Doc, Meta};
use super::state_sync::{backend, compact, set_backend, AnyBackend};
use crate::adapters::idb::{self, IdbBackend};
use crate::adapters::{clock, storage, tick};
use crate::domain::assessment::Assessment;
use crate::domain::doc_store::{kv_all, kv_delete, Journal, Problem};
use crate::domain::legacy::{
    classify, keys, migrate_entry, read_export_mark, Entry, Moved, ASSESSMENTS,
};
use crate::domain::storage_format::{decode_stored, StoredError};
use crate::domain::store::{stores, StoreError};

/// A deletion stays undoable (from any tab) this long; the next start after it purges.
const PURGE_AFTER_MS: f64 = 60.0 * 60.0 * 1000.0;

impl AppState {
    /// Reads what is stored, in the background; [`AppState::ready`] turns true when done.
    pub fn start(self) {
        leptos::task::spawn_local(async move {
            self.load_stored().await;
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

    /// Reads what is stored (see the module); [`AppState::ready`] turns true when done.
    pub async fn load_stored(&self) {
        self.choose_backend().await;
        let backend = backend();
        let now = clock::now_ms();
        let mut unreadable: Vec<Unreadable> = Vec::new();
        let mut reasons: Vec<(String, String)> = Vec::new();
        // 1. What the localStorage builds wrote (and old tabs may still write).
        let mut unmoved: Vec<(String, String)> = Vec::new();
        if !matches!(self.storage.get_untracked(), StorageMode::MemoryOnly(_)) {
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
        // 2. The store.
        let mut docs: Vec<Doc> = Vec::new();
        let mut maintenance: Vec<Doc> = Vec::new();
        let loaded = Journal::new(&backend, ASSESSMENTS)
            .load_all_as::<Assessment>(|id, a| match a.id == id {
                true => Ok(()),
                false => Err("mã không khớp".into()),
            })
            .await;
        match loaded {
            Ok(report) => {
                let marks: HashMap<String, f64> = kv_all(&backend, stores::EXPORTS)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, read_export_mark(&v)?.0)))
                    .collect();
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
        // 3. What could not be moved (a full disk): listed from where it is.
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
        // 4. Set-aside entries, drafts, backups.
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
        docs.sort_unstable_by(|a, b| {
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
        self.unreadable.set(unreadable);
        self.refresh_backups();
        self.listen();
        self.ready.set(true);
        // 5. Housekeeping, after the list is shown and without holding up what waits for the
        // start (the criteria sets, the first screen): one document at a time, each in its own
        // transaction, only where needed (a deletion past its undo, a long run of records).
        let state = *self;
        leptos::task::spawn_local(async move {
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
