//! Moving what the localStorage builds wrote into the journal store, one entry at a time, so
//! that nothing is lost: the caller removes an old entry only after [`migrate_entry`] says the
//! new store has committed it (or that it was already there). Run at every start: entries that
//! an older tab wrote after the first move are handled the same way.
//!
//! | old key | what | goes to |
//! |---|---|---|
//! | `xa-tre-em/danh-gia/<id>` | an assessment, format 1 or 2 | a new document (its revision kept); a copy that differs from the one already moved becomes a backup |
//! | `xa-tre-em/sao-luu/<rest>` | a backup | [`stores::BACKUPS`] under `<rest>` |
//! | `xa-tre-em/hong/<rest>` | raw text set aside | [`stores::SET_ASIDE`], under a new key |
//!
//! A damaged assessment is set aside; one of a newer format is left where it is.

use serde_json::Value;

use super::doc_store::{free_key, Journal, Layout, Snapshot, Summaries};
use super::journal::{apply, to_json, Change, Record, JOURNAL_FORMAT};
use super::listing;
use super::storage_format::{decode_stored_briefly, StoredError};
use super::store::{stores, Backend, Key, Mode, StoreError, Transaction};

/// The keys of the localStorage builds (and of the localStorage fallback's small settings).
pub mod keys {
    pub const PREFIX: &str = "xa-tre-em/";
    pub const ASSESSMENT: &str = "xa-tre-em/danh-gia/";
    pub const UNREADABLE: &str = "xa-tre-em/hong/";
    pub const BACKUP: &str = "xa-tre-em/sao-luu/";
    /// What a tab hidden or closed before its write left (see [`super::super::left_behind`]).
    pub const LEFT_BEHIND: &str = "xa-tre-em/chua-ghi/";

    pub fn assessment(id: &str) -> String {
        format!("{ASSESSMENT}{id}")
    }
}

pub const ASSESSMENTS: Layout = Layout {
    snapshots: stores::ASSESSMENTS,
    changes: stores::ASSESSMENT_CHANGES,
    summaries: Some(Summaries {
        store: stores::ASSESSMENT_SUMMARIES,
        members: listing::SUMMARY_MEMBERS,
    }),
};

/// What an old key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    Assessment(&'a str),
    Backup(&'a str),
    SetAside(&'a str),
    /// Not an assessment's: settings, the dashboard's table, another app's.
    Other,
}

pub fn classify(key: &str) -> Entry<'_> {
    let pick = |prefix: &str| key.strip_prefix(prefix).filter(|rest| !rest.is_empty());
    if let Some(id) = pick(keys::ASSESSMENT) {
        Entry::Assessment(id)
    } else if let Some(rest) = pick(keys::BACKUP) {
        Entry::Backup(rest)
    } else if let Some(rest) = pick(keys::UNREADABLE) {
        Entry::SetAside(rest)
    } else {
        Entry::Other
    }
}

/// What moving one entry did.
#[derive(Debug, Clone, PartialEq)]
pub enum Moved {
    /// Now in the new store.
    Created,
    /// The new store already holds exactly this.
    Identical,
    /// The new store holds another version of this assessment: this one is kept as a backup.
    KeptAsBackup(String),
    /// Unreadable: its raw text is now under this key of [`stores::SET_ASIDE`].
    SetAside { key: String, reason: String },
    /// Written by a later build: left where it is, untouched.
    LeftNewer(u64),
    /// Not an entry to move.
    Ignored,
}

impl Moved {
    /// Whether the old entry may go: the new store has confirmed what it held.
    pub fn remove_original(&self) -> bool {
        !matches!(self, Moved::LeftNewer(_) | Moved::Ignored)
    }
}

/// Moves one old entry into the new store, in one transaction.
pub async fn migrate_entry<B: Backend>(
    backend: &B,
    key: &str,
    raw: &str,
    now_ms: f64,
) -> Result<Moved, StoreError> {
    match classify(key) {
        Entry::Assessment(id) => migrate_assessment(backend, id, raw, now_ms).await,
        Entry::Backup(rest) => {
            let mut tx = backend.begin(&[stores::BACKUPS], Mode::Write).await?;
            let moved = match tx.get(stores::BACKUPS, &Key::name(rest)).await? {
                Some(same) if same == raw => Moved::Identical,
                Some(_) => {
                    let free = free_key(&mut tx, stores::BACKUPS, rest, now_ms).await?;
                    tx.put(stores::BACKUPS, Key::name(&free), raw.to_string());
                    Moved::KeptAsBackup(free)
                }
                None => {
                    tx.put(stores::BACKUPS, Key::name(rest), raw.to_string());
                    Moved::Created
                }
            };
            tx.commit().await?;
            Ok(moved)
        }
        Entry::SetAside(rest) => {
            let mut tx = backend.begin(&[stores::SET_ASIDE], Mode::Write).await?;
            let id = rest.split('/').next().unwrap_or(rest);
            let free = free_key(&mut tx, stores::SET_ASIDE, id, now_ms).await?;
            tx.put(stores::SET_ASIDE, Key::name(&free), raw.to_string());
            tx.commit().await?;
            Ok(Moved::SetAside {
                key: free,
                reason: "Bản lưu hỏng từ phiên bản trước.".into(),
            })
        }
        Entry::Other => Ok(Moved::Ignored),
    }
}

async fn migrate_assessment<B: Backend>(
    backend: &B,
    id: &str,
    raw: &str,
    now_ms: f64,
) -> Result<Moved, StoreError> {
    let stored = match decode_stored_briefly(raw) {
        Ok(stored) => stored,
        Err(StoredError::NewerFormat { found }) => return Ok(Moved::LeftNewer(found)),
        Err(e) => {
            let mut tx = backend.begin(&[stores::SET_ASIDE], Mode::Write).await?;
            let key = free_key(&mut tx, stores::SET_ASIDE, id, now_ms).await?;
            tx.put(stores::SET_ASIDE, Key::name(&key), raw.to_string());
            tx.commit().await?;
            return Ok(Moved::SetAside {
                key,
                reason: e.to_string(),
            });
        }
    };
    let doc: Value = to_json(&stored.assessment);
    let mut tx = backend
        .begin(
            &[
                stores::ASSESSMENTS,
                stores::ASSESSMENT_CHANGES,
                stores::ASSESSMENT_SUMMARIES,
                stores::BACKUPS,
                stores::EXPORTS,
            ],
            Mode::Write,
        )
        .await?;
    let head = tx.last_seq(stores::ASSESSMENT_CHANGES, id).await?;
    let snapshot = tx.get(stores::ASSESSMENTS, &Key::name(id)).await?;
    let moved = if head.is_none() && snapshot.is_none() {
        let record = Record {
            format: JOURNAL_FORMAT,
            doc: id.to_string(),
            seq: stored.revision.max(1),
            at: stored.updated_at,
            since: Some(stored.assessment.created_at),
            who: stored.assessment.assessor.name.clone(),
            change: Change::Create { doc },
        };
        let mut state = None;
        apply(&mut state, &record).map_err(|e| StoreError::Failed(e.to_string()))?;
        let state = state.expect("a create record makes a document");
        tx.put(
            stores::ASSESSMENT_CHANGES,
            Key::Seq(id.to_string(), record.seq),
            serde_json::to_string(&record).expect("records serialize"),
        );
        tx.put(
            stores::ASSESSMENTS,
            Key::name(id),
            serde_json::to_string(&Snapshot::of(id, &state)).expect("snapshots serialize"),
        );
        if let Some(summaries) = ASSESSMENTS.summaries {
            let summary = Snapshot::of(id, &summaries.of(&state));
            tx.put(
                stores::ASSESSMENT_SUMMARIES,
                Key::name(id),
                serde_json::to_string(&summary).expect("snapshots serialize"),
            );
        }
        if let Some(at) = stored.last_exported_at {
            tx.put(stores::EXPORTS, Key::name(id), export_mark(at, record.seq));
        }
        Moved::Created
    } else {
        let journal = Journal::new(backend, ASSESSMENTS);
        let same = match journal.read(&mut tx, id, snapshot.as_deref()).await? {
            Ok(current) => current.state.doc == doc,
            Err(_) => false,
        };
        if same {
            Moved::Identical
        } else {
            let key = free_key(&mut tx, stores::BACKUPS, id, now_ms).await?;
            tx.put(stores::BACKUPS, Key::name(&key), raw.to_string());
            Moved::KeptAsBackup(key)
        }
    };
    tx.commit().await?;
    Ok(moved)
}

/// The value of [`stores::EXPORTS`]: when, and which revision was exported.
pub fn export_mark(at_ms: f64, seq: u64) -> String {
    format!("{{\"at\":{},\"seq\":{seq}}}", Value::from(at_ms))
}

/// Reads an export mark: `(at, seq)`.
pub fn read_export_mark(text: &str) -> Option<(f64, u64)> {
    let v: Value = serde_json::from_str(text).ok()?;
    Some((v.get("at")?.as_f64()?, v.get("seq")?.as_u64()?))
}
