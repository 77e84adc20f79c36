//! What one tab does with its edits of one document until they are committed: they wait in an
//! [`Outbox`] (consecutive keystrokes of one field folded into one change), a [`flush`] writes
//! them in one transaction, and every outcome is decided here:
//!
//! - committed → the status may say «Đã lưu»;
//! - the write failed (full disk…) → the changes stay waiting, in order, for the next flush;
//! - the store moved on meanwhile (another writer, or the document deleted) → this tab's whole
//!   version goes to a backup the user is shown, and the tab reloads what the store holds;
//! - and if even that backup fails → the changes stay waiting, nothing is dropped.

use std::cell::RefCell;
use std::sync::Mutex;

use serde_json::Value;

use super::doc_store::{kv_put, put_new, Journal, Layout, WriteError};
use super::journal::{coalesce, Change, Record, JOURNAL_FORMAT};
use super::store::{Backend, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Unique in its outbox, so that a copy kept elsewhere (the crash screen's) can be updated.
    pub n: u64,
    pub change: Change,
    /// Last edit folded in.
    pub at: f64,
    /// First edit folded in.
    pub since: f64,
    pub who: String,
}

impl Pending {
    /// The record this change will be, once numbered.
    pub fn record(&self, doc: &str, seq: u64) -> Record {
        Record {
            format: JOURNAL_FORMAT,
            doc: doc.to_string(),
            seq,
            at: self.at,
            since: (self.since != self.at).then_some(self.since),
            who: self.who.clone(),
            change: self.change.clone(),
        }
    }
}

/// One document's edits not yet committed by this tab.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbox {
    pub id: String,
    /// The last record of the document in the store as this tab knows it; `None` while the
    /// document is not stored yet (the next flush creates it).
    pub head: Option<u64>,
    /// The number a creation uses (kept from the revision of a moved or restored copy).
    pub first_seq: u64,
    pending: Vec<Pending>,
    in_flight: Vec<Pending>,
    /// A flush has taken the changes above and not finished.
    busy: bool,
    next_n: u64,
    /// Every edit queued, folded or not: what a backup being written may have missed.
    edits: u64,
    /// The waiting changes were made on a version the store no longer has (a backup of them
    /// could not be written): the next flush keeps them as a backup, never appends them.
    stale: bool,
}

impl Outbox {
    pub fn new(id: &str, head: Option<u64>) -> Outbox {
        Outbox {
            id: id.to_string(),
            head,
            first_seq: 1,
            pending: Vec::new(),
            in_flight: Vec::new(),
            busy: false,
            next_n: 0,
            edits: 0,
            stale: false,
        }
    }

    /// Queues a change; a keystroke in the same field as the last queued one is folded into it.
    /// Returns the change as queued.
    pub fn push(&mut self, change: Change, who: &str, at: f64) -> &Pending {
        self.edits += 1;
        let folded = self
            .pending
            .last_mut()
            .is_some_and(|last| last.who == who && coalesce(&mut last.change, &change));
        if folded {
            let last = self.pending.last_mut().expect("folded into the last");
            last.at = at;
            return last;
        }
        self.next_n += 1;
        self.pending.push(Pending {
            n: self.next_n,
            change,
            at,
            since: at,
            who: who.to_string(),
        });
        self.pending.last().expect("just pushed")
    }

    /// Whether anything is not committed yet (waiting, or being written).
    pub fn unsaved(&self) -> bool {
        !self.pending.is_empty() || !self.in_flight.is_empty() || self.head.is_none()
    }

    pub fn busy(&self) -> bool {
        self.busy
    }

    /// Every change not committed yet, oldest first, as the records they would become (for
    /// the crash screen's download).
    pub fn uncommitted(&self) -> Vec<Record> {
        let base = self.head.unwrap_or(0);
        self.in_flight
            .iter()
            .chain(&self.pending)
            .zip(base + 1..)
            .map(|(p, seq)| p.record(&self.id, seq))
            .collect()
    }

    /// Forgets every change (they are in a backup, or the document was reloaded) and starts
    /// again from `head`.
    pub fn reset(&mut self, head: Option<u64>) {
        self.head = head;
        self.pending.clear();
        self.in_flight.clear();
        self.stale = false;
    }

    /// Every edit queued so far, folded or not: unchanged over a while means typing paused.
    pub fn edits(&self) -> u64 {
        self.edits
    }

    /// Whether changes wait that no flush has taken yet.
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// Where an outbox lives: borrowed only for short moments, never across an await.
pub trait Shared {
    fn with<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> R;
}

impl Shared for RefCell<Outbox> {
    fn with<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> R {
        f(&mut self.borrow_mut())
    }
}

impl Shared for Mutex<Outbox> {
    fn with<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> R {
        // A panic aborts the app (release builds), so a poisoned lock holds nothing half-done.
        f(&mut self.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// This tab's whole version of the document, asked for only when needed: to create it in the
/// store, or to keep it as a backup.
pub struct Current {
    pub doc: Value,
    pub who: String,
    /// When it was created and last edited: the times its creation record carries.
    pub created_at: f64,
    pub updated_at: f64,
    /// The text a backup of this version holds.
    pub backup_text: String,
}

impl Current {
    /// The record that creates this version as document `id`, numbered `seq`.
    pub fn creation(self, id: &str, seq: u64) -> Record {
        Record {
            format: JOURNAL_FORMAT,
            doc: id.to_string(),
            seq,
            at: self.updated_at,
            since: Some(self.created_at),
            who: self.who,
            change: Change::Create { doc: self.doc },
        }
    }
}

/// What a flush did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Nothing to write, or another flush is writing.
    Idle,
    /// Committed: these records (for the other tabs), the document now at `head`.
    Saved { records: Vec<Record>, head: u64 },
    /// Not written; the changes wait for the next flush.
    Failed(StoreError),
    /// The store had moved on (to `head`; `None`: the document is gone): this tab's version is
    /// kept as the backup `key`, its waiting changes are dropped, and the document must be read
    /// again from the store.
    Diverted { key: String, head: Option<u64> },
    /// The store had moved on and the backup could not be written either: the changes wait.
    Stuck {
        head: Option<u64>,
        error: StoreError,
    },
}

/// Writes what `outbox` holds in one transaction and settles the outcome (see the module).
/// `current` is called only when the whole document is needed. The outbox is borrowed only
/// between awaits, so edits may keep arriving meanwhile.
pub async fn flush<B: Backend>(
    backend: &B,
    layout: Layout,
    backups: &'static str,
    outbox: &impl Shared,
    current: &dyn Fn() -> Current,
    now_ms: f64,
) -> Step {
    let taken = outbox.with(|o| {
        if o.busy || (o.pending.is_empty() && o.head.is_some()) {
            return None;
        }
        o.busy = true;
        o.in_flight = std::mem::take(&mut o.pending);
        Some((o.id.clone(), o.head, o.first_seq, o.uncommitted(), o.stale))
    });
    let Some((id, head, first_seq, records, stale)) = taken else {
        return Step::Idle;
    };
    if stale {
        outbox.with(|o| o.busy = false);
        return divert(backend, backups, outbox, current, &id, head, now_ms).await;
    }
    let journal = Journal::new(backend, layout);
    let (result, records) = match head {
        None => {
            // Not stored yet: the whole document, which already holds every change.
            let record = current().creation(&id, first_seq);
            let result = journal.create(&record).await.map(|_| record.seq);
            (result, vec![record])
        }
        Some(base) => {
            let last = base + records.len() as u64;
            (
                journal.append(&id, base, &records).await.map(|()| last),
                records,
            )
        }
    };
    let settled = outbox.with(|o| {
        o.busy = false;
        match result {
            Ok(new_head) => {
                o.head = Some(new_head);
                o.in_flight.clear();
                Ok(Step::Saved {
                    records,
                    head: new_head,
                })
            }
            Err(WriteError::Store(e)) => {
                restore(o);
                Ok(Step::Failed(e))
            }
            Err(WriteError::Conflict { head }) => Err(head),
        }
    });
    match settled {
        Ok(step) => step,
        Err(theirs) => divert(backend, backups, outbox, current, &id, theirs, now_ms).await,
    }
}

/// Keeps this tab's version as a backup, then forgets its changes. Edits that arrive while the
/// backup is written are in no backup yet: then the same backup is written again with them.
async fn divert<B: Backend>(
    backend: &B,
    backups: &'static str,
    outbox: &impl Shared,
    current: &dyn Fn() -> Current,
    id: &str,
    theirs: Option<u64>,
    now_ms: f64,
) -> Step {
    let mut key: Option<String> = None;
    loop {
        // Counted by edits, not by waiting changes: a keystroke folded into a waiting change
        // leaves their number as it was.
        let seen = outbox.with(|o| o.edits);
        let mine = current();
        let kept = match &key {
            None => put_new(backend, backups, id, &mine.backup_text, now_ms).await,
            Some(k) => kv_put(backend, backups, k, &mine.backup_text)
                .await
                .map(|()| k.clone()),
        };
        let done = outbox.with(|o| match kept {
            Ok(k) if o.edits == seen => {
                o.reset(theirs);
                Some(Step::Diverted {
                    key: k,
                    head: theirs,
                })
            }
            Ok(k) => {
                key = Some(k);
                None
            }
            Err(error) => {
                restore(o);
                Some(Step::Stuck {
                    head: theirs,
                    error,
                })
            }
        });
        if let Some(step) = done {
            return step;
        }
    }
}

/// After [`Step::Diverted`], while the store's version is being read: edits typed meanwhile
/// were made on this tab's version, so they go into its backup `key` too, never onto the
/// store's version. `Ok` once none wait; if the backup cannot be written, they wait marked
/// stale, and the next flush keeps them as a backup of their own.
pub async fn keep_late_edits<B: Backend>(
    backend: &B,
    backups: &'static str,
    outbox: &impl Shared,
    current: &dyn Fn() -> Current,
    key: &str,
) -> Result<(), StoreError> {
    loop {
        let Some(seen) = outbox.with(|o| o.waiting().then_some(o.edits)) else {
            return Ok(());
        };
        let text = current().backup_text;
        if let Err(error) = kv_put(backend, backups, key, &text).await {
            outbox.with(|o| o.stale = true);
            return Err(error);
        }
        let kept = outbox.with(|o| {
            let all = o.edits == seen;
            if all {
                o.pending.clear();
            }
            all
        });
        if kept {
            return Ok(());
        }
    }
}

/// Puts changes that were being written back in front of those that arrived meanwhile.
fn restore(o: &mut Outbox) {
    let mut back = std::mem::take(&mut o.in_flight);
    back.append(&mut o.pending);
    o.pending = back;
}
