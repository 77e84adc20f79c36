//! The rules that keep stored documents safe, written once against [`Backend`]:
//!
//! - **Revisions**: a document is its change records, numbered; a write names the number it
//!   builds on and is refused (a conflict) when the store has moved past it, so no writer ever
//!   overwrites another silently.
//! - **Snapshots** are shortcuts: the records from the `Create` on always rebuild the document,
//!   so an unreadable snapshot loses nothing. Compaction writes a new snapshot and merges runs
//!   of keystrokes into one change, in one transaction.
//! - **Set-aside**: what cannot be read is copied, raw, under a key never used before (a second
//!   damaged copy of one document never overwrites the first), and only then removed.
//! - **Newer formats** are left exactly as they are and reported as such.
//! - **Backups**: whole copies under keys never used before.
//!
//! Documents are JSON values here; [`decode`] turns one into its type.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::journal::{
    apply, edited_at, from_json, merge_runs, Change, DocState, Record, JOURNAL_FORMAT,
};
use super::store::{Backend, Key, Mode, StoreError, Transaction};

/// The stores that hold one kind of document.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub snapshots: &'static str,
    pub changes: &'static str,
    /// Where a small summary of each document is kept, if anywhere.
    pub summaries: Option<Summaries>,
}

/// A summary of each document: a [`Snapshot`] of a few of its top-level members, written in the
/// same transaction as every change to the document, so that a start can list thousands of
/// documents without reading them whole ([`Journal::list`]). A summary that cannot follow a
/// change is removed and written again from the document ([`Journal::summarize_missing`]).
#[derive(Debug, Clone, Copy)]
pub struct Summaries {
    pub store: &'static str,
    pub members: &'static [&'static str],
}

impl Summaries {
    /// The members of `doc` a summary keeps.
    pub fn project(&self, doc: &Value) -> Value {
        let mut kept = serde_json::Map::new();
        if let Value::Object(all) = doc {
            for member in self.members {
                if let Some(v) = all.get(*member) {
                    kept.insert((*member).to_string(), v.clone());
                }
            }
        }
        Value::Object(kept)
    }

    /// The summary of a document in this state.
    pub fn of(&self, state: &DocState) -> DocState {
        DocState {
            seq: state.seq,
            doc: self.project(&state.doc),
            created_at: state.created_at,
            updated_at: state.updated_at,
            deleted_at: state.deleted_at,
        }
    }

    fn text(&self, id: &str, state: &DocState) -> String {
        to_text(&Snapshot::of(id, &self.of(state)))
    }

    /// A summary brought past `records`; `None` when it cannot follow them.
    pub fn follow(&self, summary: DocState, records: &[Record]) -> Option<DocState> {
        let mut state = Some(summary);
        for record in records {
            let kept = |path: &[String]| {
                path.first()
                    .is_some_and(|m| self.members.contains(&m.as_str()))
            };
            match &record.change {
                Change::Create { .. } => return None,
                Change::Replace {
                    doc,
                    reason,
                    edited_at,
                } => {
                    let projected = Record {
                        format: record.format,
                        doc: record.doc.clone(),
                        seq: record.seq,
                        at: record.at,
                        since: record.since,
                        who: String::new(),
                        change: Change::Replace {
                            doc: self.project(doc),
                            reason: reason.clone(),
                            edited_at: *edited_at,
                        },
                    };
                    apply(&mut state, &projected).ok()?;
                }
                Change::Set { path, .. } | Change::Splice { path, .. } if !kept(path) => {
                    let s = state.as_mut()?;
                    s.seq = record.seq;
                    s.updated_at = edited_at(record);
                }
                _ => apply(&mut state, record).ok()?,
            }
        }
        state
    }
}

/// A document's state saved whole, as of record `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub id: String,
    pub seq: u64,
    pub created_at: f64,
    pub updated_at: f64,
    #[serde(default)]
    pub deleted_at: Option<f64>,
    pub doc: Value,
}

impl Snapshot {
    pub fn of(id: &str, state: &DocState) -> Snapshot {
        Snapshot {
            format: JOURNAL_FORMAT,
            id: id.to_string(),
            seq: state.seq,
            created_at: state.created_at,
            updated_at: state.updated_at,
            deleted_at: state.deleted_at,
            doc: state.doc.clone(),
        }
    }

    fn state(self) -> DocState {
        DocState {
            seq: self.seq,
            doc: self.doc,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

fn to_text<T: Serialize>(value: &T) -> String {
    // Plain data structs and JSON values: serializing to a string cannot fail.
    serde_json::to_string(value).expect("stored data serializes")
}

/// One document read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub id: String,
    pub state: DocState,
    /// Records read after the snapshot: the work a compaction would save.
    pub since_snapshot: usize,
    /// `false` when the snapshot was missing or unreadable and the records rebuilt the document.
    pub snapshot_ok: bool,
}

/// A document that is not loaded, and why.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Damaged: its raw entries (a JSON object of the snapshot and records as stored).
    Unreadable {
        id: String,
        raw: String,
        reason: String,
    },
    /// Written by a later build, in a format this one does not know: left untouched.
    Newer { id: String, found: u64 },
}

impl Problem {
    pub fn id(&self) -> &str {
        match self {
            Problem::Unreadable { id, .. } | Problem::Newer { id, .. } => id,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport<D = Loaded> {
    pub docs: Vec<D>,
    pub problems: Vec<Problem>,
}

impl<D> Default for LoadReport<D> {
    fn default() -> Self {
        LoadReport {
            docs: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteError {
    /// The store is at `head`, not at the number the write builds on (or the document exists
    /// where a new one was to be created; or was deleted meanwhile: `head` is `None`).
    Conflict {
        head: Option<u64>,
    },
    Store(StoreError),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        WriteError::Store(e)
    }
}

/// Reads the `format` of a stored text without building the rest.
fn format_of(raw: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Peek {
        format: u64,
    }
    serde_json::from_str::<Peek>(raw).ok().map(|p| p.format)
}

enum Parsed<T> {
    Ok(T),
    Newer(u64),
    Bad(String),
}

fn parse<T: DeserializeOwned>(raw: &str) -> Parsed<T> {
    match format_of(raw) {
        Some(f) if f > u64::from(JOURNAL_FORMAT) => return Parsed::Newer(f),
        Some(f) if f == u64::from(JOURNAL_FORMAT) => {}
        Some(f) => return Parsed::Bad(format!("số hiệu định dạng không hợp lệ ({f})")),
        None => {}
    }
    match serde_json::from_str(raw) {
        Ok(v) => Parsed::Ok(v),
        Err(e) => Parsed::Bad(format!("không đọc được ({e})")),
    }
}

/// A document value as its type; the message names what is wrong.
pub fn decode<T: DeserializeOwned>(doc: &Value) -> Result<T, String> {
    from_json(doc).map_err(|e| format!("nội dung không hợp lệ ({e})"))
}

/// One document read by [`Journal::load_all_as`], its content typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed<T> {
    pub id: String,
    pub doc: T,
    /// The last record applied.
    pub seq: u64,
    pub created_at: f64,
    pub updated_at: f64,
    pub deleted_at: Option<f64>,
    pub since_snapshot: usize,
    pub snapshot_ok: bool,
}

/// The highest record number of each document, from the keys of a records store.
fn heads_of(keys: Vec<Key>) -> HashMap<String, u64> {
    let mut heads: HashMap<String, u64> = HashMap::new();
    for key in keys {
        if let Key::Seq(id, n) = key {
            let head = heads.entry(id).or_insert(n);
            *head = (*head).max(n);
        }
    }
    heads
}

/// The documents with records and no snapshot, in key order.
fn orphans(heads: &HashMap<String, u64>, snapshots: &[String]) -> Vec<String> {
    let with_snapshot: std::collections::HashSet<&str> =
        snapshots.iter().map(String::as_str).collect();
    let mut orphans: Vec<String> = heads
        .keys()
        .filter(|id| !with_snapshot.contains(id.as_str()))
        .cloned()
        .collect();
    super::sorting::sort(&mut orphans);
    orphans
}

fn report_of<D>(read: Vec<Result<D, Problem>>) -> LoadReport<D> {
    let mut report = LoadReport::default();
    for one in read {
        match one {
            Ok(doc) => report.docs.push(doc),
            Err(problem) => report.problems.push(problem),
        }
    }
    report
}

/// A snapshot read straight into its document's type.
#[derive(Deserialize)]
struct SnapshotOf<T> {
    format: u64,
    id: String,
    seq: u64,
    created_at: f64,
    updated_at: f64,
    #[serde(default)]
    deleted_at: Option<f64>,
    doc: T,
}

/// The document a snapshot holds, when nothing was recorded after it and it reads as a `T`
/// of this format; `None` sends it the general way.
fn straight<T: DeserializeOwned>(id: &str, raw: &str, head: Option<u64>) -> Option<Typed<T>> {
    let s: SnapshotOf<T> = serde_json::from_str(raw).ok()?;
    let fits = s.format == u64::from(JOURNAL_FORMAT) && s.id == id;
    (fits && head.is_none_or(|h| h <= s.seq)).then(|| Typed {
        id: s.id,
        doc: s.doc,
        seq: s.seq,
        created_at: s.created_at,
        updated_at: s.updated_at,
        deleted_at: s.deleted_at,
        since_snapshot: 0,
        snapshot_ok: true,
    })
}

/// Where reading a document starts, from its snapshot.
enum Start {
    /// The snapshot is of a later format: nothing more is read.
    Newer(u64),
    /// The state the snapshot holds (`None`: none usable), the first record to read, and what
    /// was wrong with the snapshot.
    Records(Option<DocState>, u64, Option<String>),
}

fn start_of(id: &str, snapshot: Option<&str>) -> Start {
    match snapshot.map(parse::<Snapshot>) {
        Some(Parsed::Newer(found)) => Start::Newer(found),
        Some(Parsed::Ok(s)) if s.id == id => {
            let next = s.seq + 1;
            Start::Records(Some(s.state()), next, None)
        }
        Some(Parsed::Ok(_)) => Start::Records(None, 0, Some("bản chụp mang mã khác".into())),
        Some(Parsed::Bad(reason)) => Start::Records(None, 0, Some(reason)),
        None => Start::Records(None, 0, None),
    }
}

enum Replayed {
    Ok(Loaded),
    Newer(u64),
    Failed(String),
}

/// Applies the records read from where `start` says.
fn replay(id: &str, start: Start, entries: &[(u64, String)]) -> Replayed {
    let (mut state, trouble) = match start {
        Start::Newer(found) => return Replayed::Newer(found),
        Start::Records(state, _, trouble) => (state, trouble),
    };
    let snapshot_ok = state.is_some();
    for (seq, raw) in entries {
        let failure = match parse::<Record>(raw) {
            Parsed::Newer(found) => return Replayed::Newer(found),
            Parsed::Bad(reason) => format!("thay đổi số {seq}: {reason}"),
            Parsed::Ok(record) if record.seq != *seq || record.doc != id => {
                format!("thay đổi số {seq} không thuộc tài liệu này")
            }
            Parsed::Ok(record) => match apply(&mut state, &record) {
                Ok(()) => continue,
                Err(e) => format!("thay đổi số {seq}: {e}"),
            },
        };
        return Replayed::Failed(failure);
    }
    match state {
        Some(state) => Replayed::Ok(Loaded {
            id: id.to_string(),
            state,
            since_snapshot: entries.len(),
            snapshot_ok,
        }),
        None => Replayed::Failed(trouble.unwrap_or_else(|| "thiếu bản ghi tạo tài liệu".into())),
    }
}

/// A document read the general way, as a `T` that `check` accepts, or unreadable.
fn typed<T: DeserializeOwned>(
    loaded: Loaded,
    check: impl Fn(&str, &T) -> Result<(), String>,
) -> Result<Typed<T>, Problem> {
    let Loaded {
        id,
        state,
        since_snapshot,
        snapshot_ok,
    } = loaded;
    match decode::<T>(&state.doc).and_then(|doc| check(&id, &doc).map(|()| doc)) {
        Ok(doc) => Ok(Typed {
            id,
            doc,
            seq: state.seq,
            created_at: state.created_at,
            updated_at: state.updated_at,
            deleted_at: state.deleted_at,
            since_snapshot,
            snapshot_ok,
        }),
        Err(reason) => Err(Problem::Unreadable {
            id,
            raw: state.doc.to_string(),
            reason,
        }),
    }
}

/// A damaged document: its snapshot and every record, raw, and why.
fn unreadable(
    id: String,
    snapshot: Option<&str>,
    all: Vec<(u64, String)>,
    reason: String,
) -> Problem {
    let mut raw = serde_json::Map::new();
    raw.insert(
        "snapshot".into(),
        snapshot.map_or(Value::Null, |s| Value::String(s.to_string())),
    );
    raw.insert(
        "records".into(),
        Value::Array(all.into_iter().map(|(_, r)| Value::String(r)).collect()),
    );
    Problem::Unreadable {
        id,
        raw: Value::Object(raw).to_string(),
        reason,
    }
}

/// The documents of one [`Layout`] in one backend.
pub struct Journal<'a, B: Backend> {
    backend: &'a B,
    layout: Layout,
}

impl<'a, B: Backend> Journal<'a, B> {
    pub fn new(backend: &'a B, layout: Layout) -> Self {
        Journal { backend, layout }
    }

    fn stores(&self) -> [&'static str; 2] {
        [self.layout.snapshots, self.layout.changes]
    }

    /// The stores a change to a document writes: its own and its summary's.
    fn write_stores(&self) -> Vec<&'static str> {
        let mut all = vec![self.layout.snapshots, self.layout.changes];
        all.extend(self.layout.summaries.map(|s| s.store));
        all
    }

    fn put_summary(&self, tx: &mut B::Tx, id: &str, state: &DocState) {
        if let Some(s) = self.layout.summaries {
            tx.put(s.store, Key::name(id), s.text(id, state));
        }
    }

    fn delete_summary(&self, tx: &mut B::Tx, id: &str) {
        if let Some(s) = self.layout.summaries {
            tx.delete(s.store, Key::name(id));
        }
    }

    /// What the summaries say of every document that has a snapshot, read as `T` (the members
    /// the summaries keep), in key order. `None` when some document has no summary this build
    /// reads (written before summaries existed, or one that could not follow a change): then
    /// only reading every document tells what is stored. Only reads; costs a fraction of
    /// [`Journal::load_all_as`].
    pub async fn list<T: DeserializeOwned>(&self) -> Result<Option<Vec<Typed<T>>>, StoreError> {
        let Some(summaries) = self.layout.summaries else {
            return Ok(None);
        };
        let mut tx = self
            .backend
            .begin(&[self.layout.snapshots, summaries.store], Mode::Read)
            .await?;
        let ids = tx.keys(self.layout.snapshots).await?;
        let all = tx.all(summaries.store).await?;
        tx.commit().await?;
        let mut by_id: HashMap<String, String> =
            all.into_iter().map(|(k, raw)| (k.text(), raw)).collect();
        let mut listed = Vec::with_capacity(ids.len());
        for key in ids {
            let id = key.text();
            let Some(found) = by_id
                .remove(&id)
                .and_then(|raw| straight::<T>(&id, &raw, None))
            else {
                return Ok(None);
            };
            listed.push(found);
        }
        Ok(Some(listed))
    }

    /// Writes the summary of up to `limit` documents that have a snapshot and no summary, in one
    /// transaction. Returns how many it wrote and how many still lack one (the unreadable ones
    /// included, which loading reports).
    pub async fn summarize_missing(&self, limit: usize) -> Result<(usize, usize), StoreError> {
        let Some(summaries) = self.layout.summaries else {
            return Ok((0, 0));
        };
        let mut tx = self
            .backend
            .begin(&self.write_stores(), Mode::Write)
            .await?;
        let have: std::collections::HashSet<String> = tx
            .keys(summaries.store)
            .await?
            .iter()
            .map(Key::text)
            .collect();
        let missing: Vec<String> = tx
            .keys(self.layout.snapshots)
            .await?
            .iter()
            .map(Key::text)
            .filter(|id| !have.contains(id))
            .collect();
        let mut written = 0;
        for id in missing.iter().take(limit) {
            let snapshot = tx.get(self.layout.snapshots, &Key::name(id)).await?;
            if let Ok(loaded) = self.read(&mut tx, id, snapshot.as_deref()).await? {
                self.put_summary(&mut tx, id, &loaded.state);
                written += 1;
            }
        }
        tx.commit().await?;
        Ok((written, missing.len() - written))
    }

    /// Reads every document. Only reads: it works on a full or read-only disk. Damaged ones and
    /// newer ones are reported, not touched.
    pub async fn load_all(&self) -> Result<LoadReport, StoreError> {
        let report = self.load_all_as::<Value>(|_, _| Ok(())).await?;
        Ok(LoadReport {
            docs: report
                .docs
                .into_iter()
                .map(|t| Loaded {
                    state: DocState {
                        seq: t.seq,
                        doc: t.doc,
                        created_at: t.created_at,
                        updated_at: t.updated_at,
                        deleted_at: t.deleted_at,
                    },
                    id: t.id,
                    since_snapshot: t.since_snapshot,
                    snapshot_ok: t.snapshot_ok,
                })
                .collect(),
            problems: report.problems,
        })
    }

    /// Reads every document as a `T`, which `check(id, doc)` accepts; one that does not decode
    /// or is refused is reported as unreadable, like a damaged one. Only reads.
    ///
    /// Its cost is what a start with thousands of documents waits for, so: the snapshots in one
    /// request, the records' keys in another, and records only for the documents that have some
    /// after their snapshot (all such reads sent at once); a snapshot with nothing after it
    /// decodes straight into `T`. Anything else takes the general way (a JSON value, then the
    /// records applied), which decides exactly as reading one document does.
    pub async fn load_all_as<T: DeserializeOwned>(
        &self,
        check: impl Fn(&str, &T) -> Result<(), String>,
    ) -> Result<LoadReport<Typed<T>>, StoreError> {
        let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
        let snapshots = tx.all(self.layout.snapshots).await?;
        let heads = heads_of(tx.keys(self.layout.changes).await?);
        let names: Vec<String> = snapshots.iter().map(|(k, _)| k.text()).collect();
        let orphans = orphans(&heads, &names);
        let read = self
            .read_snapshots(&mut tx, snapshots, orphans, &heads, &check)
            .await?;
        tx.commit().await?;
        Ok(report_of(read))
    }

    /// [`Journal::load_all_as`] in parts of `part` documents, each read in its own transaction
    /// after `pause` (the page's turn: thousands of documents are read without freezing it).
    /// A document written meanwhile by another tab may be read as it was when the first part
    /// began: [`Journal::heads`] afterwards tells which ones to read again.
    pub async fn load_all_as_in_parts<T: DeserializeOwned, P: std::future::Future<Output = ()>>(
        &self,
        part: usize,
        check: impl Fn(&str, &T) -> Result<(), String>,
        mut pause: impl FnMut() -> P,
    ) -> Result<LoadReport<Typed<T>>, StoreError> {
        let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
        let names: Vec<String> = tx
            .keys(self.layout.snapshots)
            .await?
            .iter()
            .map(Key::text)
            .collect();
        let heads = heads_of(tx.keys(self.layout.changes).await?);
        tx.commit().await?;
        let orphans = orphans(&heads, &names);
        let mut read = Vec::with_capacity(names.len() + orphans.len());
        for run in names.chunks(part.max(1)) {
            pause().await;
            let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
            let snapshots = tx.run_of(self.layout.snapshots, run).await?;
            read.extend(
                self.read_snapshots(&mut tx, snapshots, Vec::new(), &heads, &check)
                    .await?,
            );
            tx.commit().await?;
        }
        if !orphans.is_empty() {
            let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
            read.extend(
                self.read_snapshots(&mut tx, Vec::new(), orphans, &heads, &check)
                    .await?,
            );
            tx.commit().await?;
        }
        Ok(report_of(read))
    }

    /// The last record's number of every document that has records, by id.
    pub async fn heads(&self) -> Result<HashMap<String, u64>, StoreError> {
        let mut tx = self
            .backend
            .begin(&[self.layout.changes], Mode::Read)
            .await?;
        let heads = heads_of(tx.keys(self.layout.changes).await?);
        tx.commit().await?;
        Ok(heads)
    }

    /// Reads documents from their snapshot texts, and those with records only (`orphans`, in
    /// key order), as [`Journal::load_all_as`] describes.
    async fn read_snapshots<T: DeserializeOwned>(
        &self,
        tx: &mut B::Tx,
        snapshots: Vec<(Key, String)>,
        orphans: Vec<String>,
        heads: &HashMap<String, u64>,
        check: &impl Fn(&str, &T) -> Result<(), String>,
    ) -> Result<Vec<Result<Typed<T>, Problem>>, StoreError> {
        let mut done: Vec<Option<Result<Typed<T>, Problem>>> = Vec::new();
        // The general way: (slot, id, snapshot text, where it starts).
        let mut rest: Vec<(usize, String, Option<String>, Start)> = Vec::new();
        for (key, raw) in snapshots {
            let id = key.text();
            let head = heads.get(&id).copied();
            if let Some(found) =
                straight::<T>(&id, &raw, head).filter(|t| check(&id, &t.doc).is_ok())
            {
                done.push(Some(Ok(found)));
                continue;
            }
            let start = start_of(&id, Some(&raw));
            rest.push((done.len(), id, Some(raw), start));
            done.push(None);
        }
        for id in orphans {
            rest.push((done.len(), id, None, Start::Records(None, 0, None)));
            done.push(None);
        }
        let wanted: Vec<(String, u64)> = rest
            .iter()
            .filter_map(|(_, id, _, start)| match start {
                Start::Records(_, from, _) => Some((id.clone(), *from)),
                Start::Newer(_) => None,
            })
            .collect();
        let mut fetched = tx
            .entries_many(self.layout.changes, &wanted)
            .await?
            .into_iter();
        for (slot, id, snapshot, start) in rest {
            let entries = match start {
                Start::Records(..) => fetched.next().unwrap_or_default(),
                Start::Newer(_) => Vec::new(),
            };
            let read = match replay(&id, start, &entries) {
                Replayed::Ok(loaded) => Ok(typed(loaded, check)),
                Replayed::Newer(found) => Err(Problem::Newer { id, found }),
                Replayed::Failed(reason) => {
                    let all = tx.entries(self.layout.changes, &id, 0).await?;
                    Err(unreadable(id, snapshot.as_deref(), all, reason))
                }
            };
            done[slot] = Some(read.and_then(|r| r));
        }
        Ok(done.into_iter().flatten().collect())
    }

    /// Reads one document (`None` if there is none).
    pub async fn load(&self, id: &str) -> Result<Option<Result<Loaded, Problem>>, StoreError> {
        let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
        let snapshot = tx.get(self.layout.snapshots, &Key::name(id)).await?;
        let empty = snapshot.is_none() && tx.last_seq(self.layout.changes, id).await?.is_none();
        let out = if empty {
            None
        } else {
            Some(self.read(&mut tx, id, snapshot.as_deref()).await?)
        };
        tx.commit().await?;
        Ok(out)
    }

    /// Reads the documents `ids` that exist, in one transaction, in order. Only reads.
    pub async fn load_many(
        &self,
        ids: &[String],
    ) -> Result<Vec<Result<Loaded, Problem>>, StoreError> {
        let mut tx = self.backend.begin(&self.stores(), Mode::Read).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let snapshot = tx.get(self.layout.snapshots, &Key::name(id)).await?;
            if snapshot.is_none() && tx.last_seq(self.layout.changes, id).await?.is_none() {
                continue;
            }
            out.push(self.read(&mut tx, id, snapshot.as_deref()).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Reads one document inside a transaction the caller holds (it must cover both stores).
    pub(crate) async fn read(
        &self,
        tx: &mut B::Tx,
        id: &str,
        snapshot: Option<&str>,
    ) -> Result<Result<Loaded, Problem>, StoreError> {
        let start = start_of(id, snapshot);
        let entries = match &start {
            Start::Records(_, from, _) => tx.entries(self.layout.changes, id, *from).await?,
            Start::Newer(_) => Vec::new(),
        };
        Ok(match replay(id, start, &entries) {
            Replayed::Ok(loaded) => Ok(loaded),
            Replayed::Newer(found) => Err(Problem::Newer {
                id: id.to_string(),
                found,
            }),
            Replayed::Failed(reason) => {
                let all = tx.entries(self.layout.changes, id, 0).await?;
                Err(unreadable(id.to_string(), snapshot, all, reason))
            }
        })
    }

    /// Creates a document from its `Create` record (and its first snapshot), unless one with
    /// this id exists.
    pub async fn create(&self, record: &Record) -> Result<DocState, WriteError> {
        let mut states = self.create_all(std::slice::from_ref(record)).await?;
        Ok(states.remove(0))
    }

    /// Creates several documents in one transaction: all of them, or none (a conflict names
    /// the head of the first id already in use).
    pub async fn create_all(&self, records: &[Record]) -> Result<Vec<DocState>, WriteError> {
        let mut states = Vec::with_capacity(records.len());
        for record in records {
            let mut state = None;
            apply(&mut state, record)
                .map_err(|e| WriteError::Store(StoreError::Failed(e.to_string())))?;
            states.push(state.expect("a create record makes a document"));
        }
        let mut tx = self
            .backend
            .begin(&self.write_stores(), Mode::Write)
            .await?;
        for (record, state) in records.iter().zip(&states) {
            let head = tx.last_seq(self.layout.changes, &record.doc).await?;
            let snapshot = tx
                .get(self.layout.snapshots, &Key::name(&record.doc))
                .await?;
            if head.is_some() || snapshot.is_some() {
                return Err(WriteError::Conflict { head });
            }
            tx.put(
                self.layout.changes,
                Key::Seq(record.doc.clone(), record.seq),
                to_text(record),
            );
            tx.put(
                self.layout.snapshots,
                Key::name(&record.doc),
                to_text(&Snapshot::of(&record.doc, state)),
            );
            self.put_summary(&mut tx, &record.doc, state);
        }
        tx.commit().await?;
        Ok(states)
    }

    /// Appends `records` (numbered from `base + 1` on) to a document whose last record is
    /// `base`; refused if the store holds anything else.
    pub async fn append(&self, id: &str, base: u64, records: &[Record]) -> Result<(), WriteError> {
        let numbered = records
            .iter()
            .zip(base + 1..)
            .all(|(r, n)| r.seq == n && r.doc == id);
        if !numbered {
            return Err(WriteError::Store(StoreError::Failed(
                "thay đổi đánh số sai".into(),
            )));
        }
        let mut stores = vec![self.layout.changes];
        stores.extend(self.layout.summaries.map(|s| s.store));
        let mut tx = self.backend.begin(&stores, Mode::Write).await?;
        let head = tx.last_seq(self.layout.changes, id).await?;
        if head != Some(base) {
            return Err(WriteError::Conflict { head });
        }
        for record in records {
            tx.put(
                self.layout.changes,
                Key::Seq(id.to_string(), record.seq),
                to_text(record),
            );
        }
        if let Some(summaries) = self.layout.summaries {
            let key = Key::name(id);
            let summary = match tx.get(summaries.store, &key).await?.as_deref().map(parse) {
                Some(Parsed::Ok(Snapshot { id: of, seq, .. })) if of != id || seq != base => None,
                Some(Parsed::Ok(s)) => summaries.follow(s.state(), records),
                _ => None,
            };
            match summary {
                Some(state) => tx.put(summaries.store, key, summaries.text(id, &state)),
                None => tx.delete(summaries.store, key),
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes a new snapshot and merges the runs of keystrokes recorded since the last one.
    /// Does nothing to a document that changed meanwhile from `expected_head`, or that cannot
    /// be read (loading reports those). Returns whether it compacted.
    pub async fn compact(&self, id: &str, expected_head: u64) -> Result<bool, StoreError> {
        let mut tx = self
            .backend
            .begin(&self.write_stores(), Mode::Write)
            .await?;
        if tx.last_seq(self.layout.changes, id).await? != Some(expected_head) {
            return Ok(false);
        }
        let snapshot = tx.get(self.layout.snapshots, &Key::name(id)).await?;
        let (start, from) = match snapshot.as_deref().map(parse::<Snapshot>) {
            Some(Parsed::Newer(_)) => return Ok(false),
            Some(Parsed::Ok(s)) if s.id == id => {
                let next = s.seq + 1;
                (Some(s.state()), next)
            }
            _ => (None, 0),
        };
        let mut records = Vec::new();
        for (seq, raw) in tx.entries(self.layout.changes, id, from).await? {
            match parse::<Record>(&raw) {
                Parsed::Ok(r) if r.seq == seq && r.doc == id => records.push(r),
                _ => return Ok(false),
            }
        }
        if records.is_empty() && start.is_some() {
            return Ok(false);
        }
        let Ok((merged, Some(state))) = merge_runs(start, &records) else {
            return Ok(false);
        };
        for old in &records {
            match merged.iter().find(|m| m.seq == old.seq) {
                None => tx.delete(self.layout.changes, Key::Seq(id.to_string(), old.seq)),
                Some(m) if m != old => tx.put(
                    self.layout.changes,
                    Key::Seq(id.to_string(), m.seq),
                    to_text(m),
                ),
                Some(_) => {}
            }
        }
        tx.put(
            self.layout.snapshots,
            Key::name(id),
            to_text(&Snapshot::of(id, &state)),
        );
        self.put_summary(&mut tx, id, &state);
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a document whose last record is a `Delete` made before `deleted_before` (ms):
    /// the deletion is final once no tab can still undo it.
    pub async fn purge_deleted(&self, id: &str, deleted_before: f64) -> Result<bool, StoreError> {
        let mut tx = self
            .backend
            .begin(&self.write_stores(), Mode::Write)
            .await?;
        let Some(head) = tx.last_seq(self.layout.changes, id).await? else {
            return Ok(false);
        };
        let last = tx.entries(self.layout.changes, id, head).await?;
        let deleted = last.first().is_some_and(|(_, raw)| {
            matches!(parse::<Record>(raw), Parsed::Ok(r)
                if r.change == super::journal::Change::Delete && r.at < deleted_before)
        });
        if !deleted {
            return Ok(false);
        }
        tx.delete(self.layout.snapshots, Key::name(id));
        tx.delete_entries(self.layout.changes, id);
        self.delete_summary(&mut tx, id);
        tx.commit().await?;
        Ok(true)
    }

    /// A document's history, from its `Create`, with runs of keystrokes merged into one change
    /// each (see [`merge_runs`]).
    pub async fn history(&self, id: &str) -> Result<Result<Vec<Record>, String>, StoreError> {
        let mut tx = self
            .backend
            .begin(&[self.layout.changes], Mode::Read)
            .await?;
        let entries = tx.entries(self.layout.changes, id, 0).await?;
        tx.commit().await?;
        let mut records = Vec::with_capacity(entries.len());
        for (seq, raw) in &entries {
            match parse::<Record>(raw) {
                Parsed::Ok(r) => records.push(r),
                Parsed::Newer(f) => {
                    return Ok(Err(format!("thay đổi số {seq} có định dạng mới hơn ({f})")))
                }
                Parsed::Bad(reason) => return Ok(Err(format!("thay đổi số {seq}: {reason}"))),
            }
        }
        Ok(merge_runs(None, &records)
            .map(|(merged, _)| merged)
            .map_err(|e| e.to_string()))
    }

    /// Copies a damaged document's raw entries under a key never used before in `set_aside`,
    /// then removes them, in one transaction. Newer-format documents are never passed here.
    pub async fn set_aside(
        &self,
        set_aside: &'static str,
        id: &str,
        raw: &str,
        now_ms: f64,
    ) -> Result<String, StoreError> {
        let mut stores = self.write_stores();
        stores.push(set_aside);
        let mut tx = self.backend.begin(&stores, Mode::Write).await?;
        let key = free_key(&mut tx, set_aside, id, now_ms).await?;
        tx.put(set_aside, Key::name(&key), raw.to_string());
        tx.delete(self.layout.snapshots, Key::name(id));
        tx.delete_entries(self.layout.changes, id);
        self.delete_summary(&mut tx, id);
        tx.commit().await?;
        Ok(key)
    }
}

/// `<id>/<ms>`, or `<id>/<ms>-<n>` with the first `n` not in use.
pub async fn free_key<T: Transaction>(
    tx: &mut T,
    store: &str,
    id: &str,
    now_ms: f64,
) -> Result<String, StoreError> {
    let base = format!("{id}/{}", now_ms.max(0.0) as u64);
    let mut key = base.clone();
    let mut n = 1;
    while tx.get(store, &Key::name(&key)).await?.is_some() {
        key = format!("{base}-{n}");
        n += 1;
    }
    Ok(key)
}

/// Stores `text` in `store` under a key never used before (see [`free_key`]); returns the key.
pub async fn put_new<B: Backend>(
    backend: &B,
    store: &'static str,
    id: &str,
    text: &str,
    now_ms: f64,
) -> Result<String, StoreError> {
    let mut tx = backend.begin(&[store], Mode::Write).await?;
    let key = free_key(&mut tx, store, id, now_ms).await?;
    tx.put(store, Key::name(&key), text.to_string());
    tx.commit().await?;
    Ok(key)
}

/// Plain key → text stores (drafts, export marks, backups): one value per call.
pub async fn kv_get<B: Backend>(
    backend: &B,
    store: &'static str,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let mut tx = backend.begin(&[store], Mode::Read).await?;
    let value = tx.get(store, &Key::name(key)).await?;
    tx.commit().await?;
    Ok(value)
}

pub async fn kv_all<B: Backend>(
    backend: &B,
    store: &'static str,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut tx = backend.begin(&[store], Mode::Read).await?;
    let all = tx.all(store).await?;
    tx.commit().await?;
    Ok(all.into_iter().map(|(k, v)| (k.text(), v)).collect())
}

pub async fn kv_put<B: Backend>(
    backend: &B,
    store: &'static str,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    let mut tx = backend.begin(&[store], Mode::Write).await?;
    tx.put(store, Key::name(key), value.to_string());
    tx.commit().await
}

/// Writes every `(key, value)` in one transaction, deleting the keys whose value is `None`:
/// all of them are stored, or none.
pub async fn kv_put_all<B: Backend>(
    backend: &B,
    store: &'static str,
    entries: &[(String, Option<String>)],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = backend.begin(&[store], Mode::Write).await?;
    for (key, value) in entries {
        match value {
            Some(value) => tx.put(store, Key::name(key), value.clone()),
            None => tx.delete(store, Key::name(key)),
        }
    }
    tx.commit().await
}

pub async fn kv_delete<B: Backend>(
    backend: &B,
    store: &'static str,
    key: &str,
) -> Result<(), StoreError> {
    let mut tx = backend.begin(&[store], Mode::Write).await?;
    tx.delete(store, Key::name(key));
    tx.commit().await
}
