//! What a tab leaves behind when it is hidden or closed before its edits are committed.
//!
//! Closing a tab ends its scripts: a write to IndexedDB not begun by then never happens, and
//! one begun may or may not commit. localStorage, written synchronously while the page hides,
//! survives. So at that moment the tab leaves a [`LeftBehind`] there: its uncommitted changes
//! as the records they would become, and its whole version. A later start, holding the
//! document's writer lock (so the tab that left it is gone), [`recover`]s it: the records the
//! store already holds are skipped, the others appended; if they no longer follow what is
//! stored, the whole version becomes a backup. Nothing stored is ever overwritten.

use serde::{Deserialize, Serialize};

use super::doc_store::{free_key, put_new, Journal, Layout, WriteError};
use super::journal::{Change, Record};
use super::store::{stores, Backend, Key, Mode, StoreError, Transaction};
use super::writer::{Current, Outbox};

/// The layout of [`LeftBehind`] this build writes.
pub const LEFT_BEHIND_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftBehind {
    pub format: u32,
    pub id: String,
    /// The document's last record in the store as the tab knew it; `None`: not created yet.
    pub base: Option<u64>,
    /// The changes not committed, numbered from `base + 1`; when the document was not stored
    /// yet, the one record that creates it with every change.
    pub records: Vec<Record>,
    /// The tab's whole version, as a backup holds it.
    pub backup: String,
}

/// What a tab leaves of one document: `None` when everything is committed.
pub fn leave(outbox: &Outbox, current: impl FnOnce() -> Current) -> Option<LeftBehind> {
    if !outbox.unsaved() {
        return None;
    }
    let now = current();
    let backup = now.backup_text.clone();
    let records = match outbox.head {
        Some(_) => outbox.uncommitted(),
        None => vec![now.creation(&outbox.id, outbox.first_seq)],
    };
    Some(LeftBehind {
        format: LEFT_BEHIND_FORMAT,
        id: outbox.id.clone(),
        base: outbox.head,
        records,
        backup,
    })
}

/// What [`recover`] did with one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovered {
    /// The store held every change already.
    AlreadyStored,
    /// The changes the store lacked are written (how many records).
    Written(usize),
    /// They no longer follow what is stored: the tab's version is the backup under this key.
    KeptAsBackup(String),
    /// The entry does not read: its raw text is now under this key of [`stores::SET_ASIDE`].
    SetAside(String),
    /// Written by a later build: to be left where it is.
    LeftNewer(u32),
}

impl Recovered {
    /// Whether the entry may go: what it held is in the store now.
    pub fn remove_entry(&self) -> bool {
        !matches!(self, Recovered::LeftNewer(_))
    }
}

/// Brings what an entry left behind into the store (see the module). `Err` when the store
/// could not be read or written: the entry is to be kept for the next try.
pub async fn recover<B: Backend>(
    backend: &B,
    layout: Layout,
    backups: &'static str,
    raw: &str,
    now_ms: f64,
) -> Result<Recovered, StoreError> {
    let left = match serde_json::from_str::<LeftBehind>(raw) {
        Ok(left) if left.format > LEFT_BEHIND_FORMAT => {
            return Ok(Recovered::LeftNewer(left.format))
        }
        Ok(left) if well_formed(&left) => left,
        _ => {
            let newer = serde_json::from_str::<serde_json::Value>(raw)
                .ok()
                .and_then(|v| v.get("format")?.as_u64())
                .filter(|f| *f > u64::from(LEFT_BEHIND_FORMAT));
            if let Some(found) = newer {
                return Ok(Recovered::LeftNewer(
                    u32::try_from(found).unwrap_or(u32::MAX),
                ));
            }
            let mut tx = backend.begin(&[stores::SET_ASIDE], Mode::Write).await?;
            let key = free_key(&mut tx, stores::SET_ASIDE, "chua-ghi", now_ms).await?;
            tx.put(stores::SET_ASIDE, Key::name(&key), raw.to_string());
            tx.commit().await?;
            return Ok(Recovered::SetAside(key));
        }
    };
    let first = left.records[0].seq;
    let stored = {
        let mut tx = backend.begin(&[layout.changes], Mode::Read).await?;
        let entries = tx.entries(layout.changes, &left.id, first).await?;
        tx.commit().await?;
        entries
    };
    // The records the store holds from the first one on must be the entry's own, in order:
    // those its tab committed before going away.
    let held = stored
        .iter()
        .zip(&left.records)
        .take_while(|((seq, text), mine)| {
            *seq == mine.seq && serde_json::from_str::<Record>(text).is_ok_and(|r| r == **mine)
        })
        .count();
    // All of them held, whatever the store holds after them (the same tab went on writing).
    if held == left.records.len() {
        return Ok(Recovered::AlreadyStored);
    }
    if held == stored.len() {
        let rest = &left.records[held..];
        let journal = Journal::new(backend, layout);
        let written = match left.base {
            Some(base) => journal.append(&left.id, base + held as u64, rest).await,
            None => journal.create(&rest[0]).await.map(|_| ()),
        };
        match written {
            Ok(()) => return Ok(Recovered::Written(rest.len())),
            Err(WriteError::Store(e)) => return Err(e),
            Err(WriteError::Conflict { .. }) => {}
        }
    }
    let key = put_new(backend, backups, &left.id, &left.backup, now_ms).await?;
    Ok(Recovered::KeptAsBackup(key))
}

/// Records of the entry's document, numbered on from its base; a document not stored yet is
/// one creation.
fn well_formed(left: &LeftBehind) -> bool {
    let ours = left.records.iter().all(|r| r.doc == left.id);
    let numbered = match left.base {
        Some(base) => left.records.iter().zip(base + 1..).all(|(r, n)| r.seq == n),
        None => left.records.len() == 1 && matches!(left.records[0].change, Change::Create { .. }),
    };
    !left.records.is_empty() && ours && numbered
}
