//! Writing, and the tabs of one browser agreeing on who writes:
//!
//! - each edit goes to its document's outbox (and to the crash screen's mirror) and a flush is
//!   started at once; while one is being written, the next edits wait and go together in the
//!   next transaction. «Đã lưu» is shown only once nothing is left uncommitted;
//! - a write the store refuses stays waiting (retried every few seconds, or at «Thử lưu lại»),
//!   and a copy of the whole assessment goes to localStorage as an emergency backup;
//! - one tab at a time holds the Web Lock of an assessment it shows on an editing screen; the
//!   others show it read-only and follow the owner's committed changes (BroadcastChannel), and
//!   may take it over: the owner is asked to write what it holds and let go;
//! - when the store moved on anyway (no Web Locks, a stolen lock), the domain's `flush` keeps
//!   this tab's version as a backup and the document is read again;
//! - a tab hidden or closed with changes not committed leaves them in localStorage at once
//!   (`leave_behind`): its scripts may never run again. The next tab to hold the lock of that
//!   assessment writes them (`recover_left_behind`, rules in `domain::left_behind`; its code is
//!   in the screens' part of the module, `recover_if_left` fetches it only when something was
//!   left behind).

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::state::{AppState, SaveStatus, StorageMode, Tone};
use super::state_doc::{Access, Doc, Meta};
use super::state_sets::SetsPart;
use crate::adapters::channel::Channel;
use crate::adapters::crash::{forget_unsaved, mirror_unsaved};
use crate::adapters::idb::{IdbBackend, IdbTx};
use crate::adapters::locks::{self, Ask, Held};
use crate::adapters::storage::{self, LocalBackend, LocalTx};
use crate::adapters::{clock, tick};
use crate::domain::assessment::Assessment;
use crate::domain::doc_store::{
    decode, free_key, kv_all, kv_delete, kv_put, put_new, Journal, WriteError,
};
use crate::domain::journal::{edited_at, to_json, Change, Record};
use crate::domain::left_behind::{leave, recover, LeftBehind, Recovered};
use crate::domain::legacy::{export_mark, keys, ASSESSMENTS};
use crate::domain::storage_format::{decode_stored_briefly, encode_stored, StoredAssessment};
use crate::domain::store::{stores, Backend, Key, Mode, StoreError, Transaction};
use crate::domain::writer::{flush, keep_late_edits, Outbox, Step};
use crate::routes::Route;
use crate::ui::on_demand::NotLoaded;

/// How long typing must pause before another tab's version replaces this tab's on screen.
const TYPING_PAUSE_MS: i32 = 400;

/// The least time between the end of one write of a document and the start of the next one
/// that holds only typed text.
const WRITE_GAP_MS: f64 = 200.0;

/// How often typed text waiting for [`WRITE_GAP_MS`] looks whether another edit came.
const WAIT_STEP_MS: i32 = 25;

// ---------------------------------------------------------------------------------------------
// The backend this tab uses, chosen at start.

/// Where nothing stores at all, the IndexedDB backend stays: every write fails and says so.
#[derive(Clone)]
pub(crate) enum AnyBackend {
    Idb(IdbBackend),
    Local(LocalBackend),
}

pub(crate) enum AnyTx {
    Idb(IdbTx),
    Local(LocalTx),
}

impl Backend for AnyBackend {
    type Tx = AnyTx;

    async fn begin(&self, stores: &[&'static str], mode: Mode) -> Result<AnyTx, StoreError> {
        Ok(match self {
            AnyBackend::Idb(b) => AnyTx::Idb(b.begin(stores, mode).await?),
            AnyBackend::Local(b) => AnyTx::Local(b.begin(stores, mode).await?),
        })
    }
}

macro_rules! each {
    ($tx:expr, $t:ident => $e:expr) => {
        match $tx {
            AnyTx::Idb($t) => $e,
            AnyTx::Local($t) => $e,
        }
    };
}

impl Transaction for AnyTx {
    async fn get(&mut self, store: &str, key: &Key) -> Result<Option<String>, StoreError> {
        each!(self, t => t.get(store, key).await)
    }
    async fn all(&mut self, store: &str) -> Result<Vec<(Key, String)>, StoreError> {
        each!(self, t => t.all(store).await)
    }
    async fn keys(&mut self, store: &str) -> Result<Vec<Key>, StoreError> {
        each!(self, t => t.keys(store).await)
    }
    async fn run_of(
        &mut self,
        store: &str,
        keys: &[String],
    ) -> Result<Vec<(Key, String)>, StoreError> {
        each!(self, t => t.run_of(store, keys).await)
    }
    async fn entries(
        &mut self,
        store: &str,
        id: &str,
        from: u64,
    ) -> Result<Vec<(u64, String)>, StoreError> {
        each!(self, t => t.entries(store, id, from).await)
    }
    async fn entries_many(
        &mut self,
        store: &str,
        wanted: &[(String, u64)],
    ) -> Result<Vec<Vec<(u64, String)>>, StoreError> {
        each!(self, t => t.entries_many(store, wanted).await)
    }
    async fn last_seq(&mut self, store: &str, id: &str) -> Result<Option<u64>, StoreError> {
        each!(self, t => t.last_seq(store, id).await)
    }
    fn put(&mut self, store: &str, key: Key, value: String) {
        each!(self, t => t.put(store, key, value))
    }
    fn delete(&mut self, store: &str, key: Key) {
        each!(self, t => t.delete(store, key))
    }
    fn delete_entries(&mut self, store: &str, id: &str) {
        each!(self, t => t.delete_entries(store, id))
    }
    async fn commit(self) -> Result<(), StoreError> {
        each!(self, t => t.commit().await)
    }
}

thread_local! {
    static BACKEND: RefCell<AnyBackend> = const { RefCell::new(AnyBackend::Idb(IdbBackend)) };
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
    /// The assessment this tab shows on an editing screen, and its lock once held.
    static EDITING: RefCell<Option<(String, Option<Held>)>> = const { RefCell::new(None) };
    /// The assessments whose lock this tab is letting go of (writing what waits, then
    /// releasing): coming back to one waits for that instead of finding it held.
    static LETTING_GO: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// How to end the wait of each document whose typed text waits for its turn to be written.
    static WAITING: RefCell<std::collections::HashMap<String, js_sys::Function>> =
        RefCell::new(std::collections::HashMap::new());
    /// The key of this visit's emergency copies in localStorage (see `rescue`).
    static VISIT: f64 = clock::now_ms();
    /// The assessments this visit left something behind for (see `leave_behind`).
    static LEFT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// What this tab does when another one changed what it follows.
    static FOLLOWERS: RefCell<Vec<(Followed, Follower)>> = const { RefCell::new(Vec::new()) };
}

/// What a tab does when another one changed what it follows.
type Follower = Box<dyn Fn()>;

/// What lives in a context of its own, outside the assessments', and is read again when
/// another tab changed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Followed {
    /// The province's appraisals: one was committed.
    Appraisals,
    /// The table of «Tổng hợp»: files loaded, a row removed or everything cleared.
    Dashboard,
}

/// Tells the other tabs that this one changed `what`.
pub(crate) fn post_changed(what: Followed) {
    let kind = match what {
        Followed::Appraisals => Kind::Appraisals,
        Followed::Dashboard => Kind::Dashboard,
    };
    post(&Message::new(kind, ""));
}

/// Sets what this tab does when another one changed `what` (it lives in its own context, the
/// channel in this module).
pub(crate) fn on_changed(what: Followed, then: impl Fn() + 'static) {
    FOLLOWERS.with(|all| {
        let mut all = all.borrow_mut();
        all.retain(|(w, _)| *w != what);
        all.push((what, Box::new(then)));
    });
}

fn changed(what: Followed) {
    FOLLOWERS.with(|all| {
        if let Some((_, then)) = all.borrow().iter().find(|(w, _)| *w == what) {
            then();
        }
    });
}

pub(crate) fn backend() -> AnyBackend {
    BACKEND.with(|b| b.borrow().clone())
}

pub(crate) fn set_backend(backend: AnyBackend) {
    BACKEND.with(|b| *b.borrow_mut() = backend);
}

fn lock(m: &Mutex<Outbox>) -> MutexGuard<'_, Outbox> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The Web Lock of one assessment.
fn lock_name(id: &str) -> String {
    format!("{}{id}", keys::ASSESSMENT)
}

// ---------------------------------------------------------------------------------------------
// Messages between tabs.

/// What one tab tells the others. A flat struct rather than an enum: serde's tagged enums weigh
/// on the wasm.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Message {
    kind: Kind,
    id: String,
    /// With [`Kind::Saved`]: the committed changes of the assessment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    records: Vec<Record>,
    /// With [`Kind::Exported`].
    #[serde(default)]
    at: f64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    /// Committed changes of one assessment.
    Saved,
    /// Read this assessment again from the store.
    #[default]
    Reload,
    /// The tab that edits it is asked to write what it holds and let go of it.
    Release,
    Exported,
    /// The list of backups changed.
    Backups,
    /// An appraisal was committed: read them again.
    Appraisals,
    /// The table of «Tổng hợp» changed: read it again.
    Dashboard,
}

impl Message {
    fn new(kind: Kind, id: &str) -> Message {
        Message {
            kind,
            id: id.to_string(),
            ..Message::default()
        }
    }
}

fn post(message: &Message) {
    // Plain data: serializing cannot fail.
    let text = serde_json::to_string(message).expect("a message serializes");
    CHANNEL.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            channel.post(&text);
        }
    });
}

/// Key of one mirrored edit: `<id>#<n>`.
fn mirror_key(id: &str, n: u64) -> String {
    format!("{id}#{n}")
}

/// The mirror of a document after a flush: what is still uncommitted, nothing more.
fn remirror(doc: &Doc) {
    forget_unsaved(&format!("{}#", doc.id()));
    let uncommitted = lock(doc.outbox()).uncommitted();
    for (i, record) in uncommitted.iter().enumerate() {
        let text = serde_json::to_string(record).expect("records serialize");
        mirror_unsaved(&mirror_key(doc.id(), u64::MAX - i as u64), Some(&text));
    }
}

impl AppState {
    /// Opens the channel to the other tabs.
    pub(super) fn listen(&self) {
        let state = *self;
        let channel = Channel::open(move |text| {
            if let Ok(message) = serde_json::from_str::<Message>(&text) {
                state.on_message(message);
            }
        });
        CHANNEL.with(|c| *c.borrow_mut() = channel);
        // Both live as long as the page, like the channel.
        window_event_listener_untyped("visibilitychange", move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                state.write_waiting_now();
            }
        });
        window_event_listener(leptos::ev::pagehide, move |_| state.write_waiting_now());
    }

    fn on_message(&self, message: Message) {
        let id = &message.id;
        match message.kind {
            Kind::Saved => self.follow(id, &message.records),
            Kind::Reload => self.reload(id),
            Kind::Release => self.release_on_request(id),
            Kind::Exported => {
                if let Some(doc) = self.doc_untracked(id) {
                    doc.meta().update(|m| m.last_exported_at = Some(message.at));
                }
            }
            Kind::Backups => self.refresh_backups(),
            Kind::Appraisals => changed(Followed::Appraisals),
            Kind::Dashboard => changed(Followed::Dashboard),
        }
    }

    /// Shows another tab's committed changes, when they follow what this tab shows.
    fn follow(&self, id: &str, records: &[Record]) {
        let Some(doc) = self.doc_untracked(id) else {
            return self.reload(id);
        };
        let (unsaved, head) = {
            let o = lock(doc.outbox());
            (o.unsaved() && o.head.is_some(), o.head)
        };
        if unsaved {
            // This tab's own flush will meet the conflict and keep its version as a backup.
            return;
        }
        if doc.diverting().load(Ordering::SeqCst) {
            // Its backup is still being written from this tab's version; the store's version,
            // these records included, is read once it is.
            return;
        }
        let follows = records
            .first()
            .zip(head)
            .is_some_and(|(r, h)| r.seq == h + 1);
        if !follows {
            return self.reload(id);
        }
        for record in records {
            if doc.apply_record(record).is_err() {
                return self.reload(id);
            }
        }
        let last = records.last().map(|r| r.seq);
        lock(doc.outbox()).reset(last);
    }

    /// Reads one assessment again from the store (adding it to the list if it is new here).
    pub(super) fn reload(&self, id: &str) {
        let state = *self;
        let id = id.to_string();
        leptos::task::spawn_local(async move {
            state.reload_now(&id).await;
        });
    }

    pub(super) async fn reload_now(&self, id: &str) {
        let diverting = self
            .doc_untracked(id)
            .is_some_and(|d| d.diverting().load(Ordering::SeqCst));
        if !diverting {
            self.read_again(id).await;
        }
    }

    /// [`AppState::reload_now`], also while the document is diverting (which reads the store's
    /// version this way once its backup is written).
    async fn read_again(&self, id: &str) {
        let backend = backend();
        let Ok(found) = Journal::new(&backend, ASSESSMENTS).load(id).await else {
            return;
        };
        let doc = self.doc_untracked(id);
        // Changes of this tab not committed yet: its own flush settles them (one lock at a time:
        // the outbox's mutex is not reentrant).
        let waiting = doc.as_ref().is_some_and(|d| {
            let o = lock(d.outbox());
            o.unsaved() && o.head.is_some()
        });
        if waiting {
            return;
        }
        match found {
            Some(Ok(loaded)) => {
                let Ok(assessment) = decode::<Assessment>(&loaded.state.doc) else {
                    return;
                };
                let meta = Meta {
                    revision: loaded.state.seq,
                    updated_at: loaded.state.updated_at,
                    last_exported_at: doc
                        .as_ref()
                        .and_then(|d| d.meta().with_untracked(|m| m.last_exported_at)),
                    deleted_at: loaded.state.deleted_at,
                };
                match doc {
                    Some(doc) => {
                        doc.set_assessment(assessment);
                        doc.meta().set(meta);
                        lock(doc.outbox()).reset(Some(loaded.state.seq));
                    }
                    None => {
                        let doc = Doc::new(assessment, meta, Some(loaded.state.seq));
                        self.docs.update(|all| all.insert(0, doc));
                    }
                }
            }
            // Gone from the store (deleted for good elsewhere): shown as deleted here.
            None => {
                if let Some(doc) = doc {
                    doc.meta()
                        .update(|m| m.deleted_at = m.deleted_at.or(Some(clock::now_ms())));
                }
            }
            Some(Err(_)) => {}
        }
    }

    // -----------------------------------------------------------------------------------------
    // Writing

    /// Queues changes of one document and starts writing them at once.
    pub(super) fn record(&self, doc: &Doc, changes: Vec<crate::domain::journal::Change>) {
        doc.hurry().store(true, Ordering::Relaxed);
        self.record_typed(doc, changes);
    }

    /// Queues a keystroke's change of a text box and starts writing it, at once after a pause
    /// in the writes or with the keys that follow within [`WRITE_GAP_MS`] of the last write.
    pub(super) fn record_typed(&self, doc: &Doc, changes: Vec<crate::domain::journal::Change>) {
        self.queue(doc, changes);
        self.schedule_flush(doc.clone());
    }

    /// Puts changes in the outbox and its crash mirror, without starting to write them.
    fn queue(&self, doc: &Doc, changes: Vec<crate::domain::journal::Change>) {
        let who = doc.who();
        let now = clock::now_ms();
        doc.touch();
        {
            let mut o = lock(doc.outbox());
            for change in changes {
                let pending = o.push(change, &who, now);
                let text =
                    serde_json::to_string(&pending.record(doc.id(), 0)).expect("records serialize");
                mirror_unsaved(&mirror_key(doc.id(), pending.n), Some(&text));
            }
        }
        if !matches!(
            self.save.get_untracked(),
            SaveStatus::Saving | SaveStatus::Failed(_)
        ) {
            self.save.set(SaveStatus::Saving);
        }
    }

    /// Starts writing a document's waiting changes, unless that is under way or waiting.
    pub(super) fn schedule_flush(&self, doc: Doc) {
        if doc.flushing().swap(true, Ordering::SeqCst) {
            return;
        }
        let state = *self;
        leptos::task::spawn_local(async move {
            // Keystrokes close together go in one write: typed text waits until WRITE_GAP_MS
            // after the last write ended (the first key after a pause goes at once), any other
            // edit ends the wait. One write and its «Đã lưu» per key cost typing about 3 ms a
            // key; meanwhile the status says «Đang lưu…» and the keys wait in the outbox and
            // the crash mirror.
            let until = f64::from_bits(doc.written_at().load(Ordering::Relaxed)) + WRITE_GAP_MS;
            while clock::now_ms() < until && !doc.hurry().load(Ordering::Relaxed) {
                let id = doc.id().to_string();
                tick::sleep_ms_or_woken(WAIT_STEP_MS, |wake| {
                    WAITING.with(|w| w.borrow_mut().insert(id, wake));
                })
                .await;
            }
            WAITING.with(|w| w.borrow_mut().remove(doc.id()));
            doc.hurry().store(false, Ordering::Relaxed);
            state.write_through_part(&doc).await;
        });
    }

    /// [`AppState::flush_loop`], whose code is in the screens' part of the module: every
    /// editing screen is there, and Home's cards can be deleted only once everything is read,
    /// which that part does, so it is fetched already (then nothing is awaited before the write
    /// begins, as a tab being closed needs). If it cannot be had, the changes wait in the outbox
    /// and its crash mirror (in localStorage if the tab closes) and the write is tried again.
    async fn write_through_part(&self, doc: &Doc) {
        match SetsPart::get(*self).await {
            Ok(part) => (part.flush)(*self, doc.clone()).await,
            Err(NotLoaded) => {
                doc.flushing().store(false, Ordering::SeqCst);
                self.failed(doc, StoreError::CodeNotLoaded);
            }
        }
    }

    /// Writes until nothing is left or the store refuses. The caller has set `flushing`.
    pub(super) async fn flush_loop(&self, doc: &Doc) {
        loop {
            let backend = backend();
            let current = || doc.current();
            let step = flush(
                &backend,
                ASSESSMENTS,
                stores::BACKUPS,
                doc.outbox(),
                &current,
                clock::now_ms(),
            )
            .await;
            match step {
                Step::Idle => break,
                Step::Saved { records, head } => {
                    doc.written_at()
                        .store(clock::now_ms().to_bits(), Ordering::Relaxed);
                    self.saved(doc, records, head);
                }
                Step::Failed(e) => {
                    self.failed(doc, e);
                    break;
                }
                Step::Diverted { key, .. } => {
                    self.diverted(doc, &key).await;
                    break;
                }
                Step::Stuck { error, .. } => {
                    self.failed(doc, error);
                    self.notify(
                        "Bản này vừa được lưu ở nơi khác trong khi thẻ này có thay đổi chưa lưu, \
                         và bộ nhớ không nhận thêm bản sao lưu. Thay đổi của thẻ này vẫn còn ở \
                         đây: hãy xuất tệp JSON để giữ lại."
                            .into(),
                        Tone::Error,
                    );
                    break;
                }
            }
        }
        doc.flushing().store(false, Ordering::SeqCst);
    }

    fn saved(&self, doc: &Doc, records: Vec<Record>, head: u64) {
        if let Some(last) = records.last() {
            let at = edited_at(last);
            doc.meta().update(|m| {
                m.revision = head;
                m.updated_at = at;
            });
        }
        doc.since_snapshot()
            .fetch_add(records.len(), Ordering::Relaxed);
        post(&Message {
            records,
            ..Message::new(Kind::Saved, doc.id())
        });
        remirror(doc);
        if !lock(doc.outbox()).unsaved() {
            forget_left_behind(doc.id());
        }
        self.saved_if_all();
        self.compact_later(doc);
    }

    /// «Đã lưu» once nothing of any document waits or is being written.
    fn saved_if_all(&self) {
        let all_saved = self
            .docs
            .with_untracked(|all| all.iter().all(|d| !lock(d.outbox()).unsaved()));
        if all_saved {
            self.save.set(SaveStatus::Saved {
                at_ms: clock::now_ms(),
            });
            self.drop_rescue();
        }
    }

    /// Everything this tab held is stored (or in a backup): its emergency copies can go.
    fn drop_rescue(&self) {
        if self.rescue.get_untracked().is_some() {
            self.rescue.set(None);
            for key in storage::keys_with_prefix(keys::BACKUP) {
                if key.ends_with(&rescue_suffix()) {
                    storage::remove(&key);
                }
            }
        }
    }

    fn failed(&self, doc: &Doc, error: StoreError) {
        self.save.set(SaveStatus::Failed(error));
        remirror(doc);
        self.rescue(doc);
        // Tried again after a while: the disk may have room again, another tab may let go.
        let (state, doc) = (*self, doc.clone());
        leptos::task::spawn_local(async move {
            tick::sleep_ms(5000).await;
            if lock(doc.outbox()).unsaved() {
                state.schedule_flush(doc);
            }
        });
    }

    async fn diverted(&self, doc: &Doc, key: &str) {
        self.notify(
            format!(
                "Bản tự đánh giá của {} vừa được lưu ở nơi khác (thẻ hoặc cửa sổ khác) trong \
                 khi thẻ này có thay đổi chưa lưu. Phiên bản của thẻ này được giữ làm bản sao lưu \
                 (xem «Bản sao lưu» ở màn hình đầu); thẻ này đang hiển thị bản mới nhất.",
                doc.info().with_untracked(|a| a.commune.name.clone())
            ),
            Tone::Warning,
        );
        // Until the store's version is shown, what is typed here is typed on this tab's version:
        // it joins the backup (keep_late_edits), and the store's version is read again. It is
        // shown only once typing pauses, so that a word is never split between the backup and
        // the store's version; meanwhile nothing from other tabs is applied to this version.
        doc.diverting().store(true, Ordering::SeqCst);
        loop {
            loop {
                let seen = lock(doc.outbox()).edits();
                tick::sleep_ms(TYPING_PAUSE_MS).await;
                if lock(doc.outbox()).edits() == seen {
                    break;
                }
            }
            let current = || doc.current();
            let kept =
                keep_late_edits(&backend(), stores::BACKUPS, doc.outbox(), &current, key).await;
            remirror(doc);
            self.refresh_backups();
            post(&Message::new(Kind::Backups, ""));
            if let Err(error) = kept {
                doc.diverting().store(false, Ordering::SeqCst);
                self.failed(doc, error);
                return;
            }
            self.read_again(doc.id()).await;
            if !lock(doc.outbox()).waiting() {
                break;
            }
        }
        doc.diverting().store(false, Ordering::SeqCst);
        // This tab's version is in a backup now.
        forget_left_behind(doc.id());
        // What other tabs stored while the version was read, and their messages set aside.
        self.reload_now(doc.id()).await;
        self.saved_if_all();
    }

    /// A whole copy of `doc` in localStorage, in the backup layout the next start moves into
    /// the store: the changes the store refused are then in a backup the user is shown.
    fn rescue(&self, doc: &Doc) {
        let now = clock::now_ms();
        if self
            .rescue
            .get_untracked()
            .is_some_and(|at| now - at < 2000.0)
        {
            return;
        }
        let key = format!("{}{}/{}", keys::BACKUP, doc.id(), rescue_suffix());
        if storage::write(&key, &encode_stored(&doc.stored_untracked())).is_ok() {
            self.rescue.set(Some(now));
        }
    }

    /// Starts writing, in this very task, the typed text of every document that waits for its
    /// turn: the tab is being hidden or closed, and a timer may never fire again (closed), or
    /// only a second later (hidden; Android may then end the browser).
    fn write_waiting_now(&self) {
        self.leave_behind();
        for doc in self.docs.get_untracked() {
            if lock(doc.outbox()).unsaved() {
                doc.hurry().store(true, Ordering::Relaxed);
            }
        }
        let waiting: Vec<js_sys::Function> =
            WAITING.with(|w| w.borrow_mut().drain().map(|(_, wake)| wake).collect());
        for wake in waiting {
            let _ = wake.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    }

    /// Leaves in localStorage, synchronously, what is not committed of each assessment: a write
    /// begun now may never end (see the module).
    fn leave_behind(&self) {
        if matches!(self.storage.get_untracked(), StorageMode::MemoryOnly(_)) {
            return;
        }
        for doc in self.docs.get_untracked() {
            let left = leave(&lock(doc.outbox()), || doc.current());
            let Some(left) = left else {
                continue;
            };
            let text = serde_json::to_string(&left).expect("records serialize");
            if storage::write(&left_behind_key(doc.id()), &text).is_ok() {
                LEFT.with(|l| {
                    let mut l = l.borrow_mut();
                    if !l.iter().any(|x| x == doc.id()) {
                        l.push(doc.id().to_string());
                    }
                });
            }
        }
    }

    /// [`AppState::recover_left_behind`], whose code is in the screens' part, fetched only when
    /// a tab of another visit left something (localStorage's keys say, no entry is read; the
    /// editing screens are in that part, so it is there already); without the part the entries
    /// stay for the next start or editing screen.
    pub(super) async fn recover_if_left(
        &self,
        only: Option<&str>,
        holding: bool,
    ) -> Vec<(String, String)> {
        if left_by_other_visits().is_empty() {
            return Vec::new();
        }
        match SetsPart::get(*self).await {
            Ok(part) => (part.recover_left_behind)(*self, only.map(str::to_string), holding).await,
            Err(NotLoaded) => Vec::new(),
        }
    }

    /// Writes what closed tabs left behind (of assessment `only`, or of all): each only while
    /// holding its lock, or with `holding` when the caller holds it, so that the tab that left
    /// it is gone. Returns the entries set aside, with why.
    pub(super) async fn recover_left_behind(
        &self,
        only: Option<&str>,
        holding: bool,
    ) -> Vec<(String, String)> {
        let mut set_aside = Vec::new();
        for key in left_by_other_visits() {
            let Some(raw) = storage::read(&key) else {
                continue;
            };
            let id = serde_json::from_str::<LeftBehind>(&raw).ok().map(|l| l.id);
            if only.is_some() && id.as_deref() != only {
                continue;
            }
            let held = match (&id, holding || !locks::supported()) {
                (Some(id), false) => match locks::acquire(&lock_name(id), Ask::IfFree, || {}).await
                {
                    Some(held) => Some(held),
                    // The tab that left it is still open: it writes them itself.
                    None => continue,
                },
                _ => None,
            };
            let done = recover(
                &backend(),
                ASSESSMENTS,
                stores::BACKUPS,
                &raw,
                clock::now_ms(),
            )
            .await;
            if let Some(held) = held {
                held.release();
            }
            // Err: kept for the next start.
            if let Ok(done) = done {
                if done.remove_entry() {
                    storage::remove(&key);
                }
                match done {
                    Recovered::Written(_) => {
                        if let Some(id) = &id {
                            post(&Message::new(Kind::Reload, id));
                        }
                    }
                    Recovered::KeptAsBackup(_) => {
                        self.notify(
                            "Những thay đổi cuối cùng của một thẻ đã đóng khi chưa kịp lưu không \
                             còn nối tiếp bản đang lưu: chúng được giữ nguyên trong một bản sao \
                             lưu (xem «Bản sao lưu» ở màn hình đầu)."
                                .into(),
                            Tone::Warning,
                        );
                        self.refresh_backups();
                        post(&Message::new(Kind::Backups, ""));
                    }
                    Recovered::SetAside(at) => set_aside.push((
                        at,
                        "Thay đổi chưa lưu của một thẻ đã đóng không đọc được.".into(),
                    )),
                    _ => {}
                }
            }
        }
        set_aside
    }

    /// Writes everything waiting now, however long it takes (before letting a lock go).
    pub(super) async fn flush_now(&self, doc: &Doc) {
        // Typed text waiting for its turn (see `schedule_flush`) goes at once.
        doc.hurry().store(true, Ordering::Relaxed);
        for _ in 0..200 {
            if !doc.flushing().swap(true, Ordering::SeqCst) {
                self.write_through_part(doc).await;
                return;
            }
            tick::sleep_ms(25).await;
        }
    }

    /// After a quiet moment, a new snapshot and runs of keystrokes merged.
    fn compact_later(&self, doc: &Doc) {
        if doc.since_snapshot().load(Ordering::Relaxed) < 32 {
            return;
        }
        let quiet = doc.quiet().load(Ordering::Relaxed);
        let doc = doc.clone();
        leptos::task::spawn_local(async move {
            tick::sleep_ms(1500).await;
            if doc.quiet().load(Ordering::Relaxed) == quiet {
                compact(&doc).await;
            }
        });
    }

    pub(super) fn save_export_mark(&self, doc: &Doc, at: f64) {
        let (id, revision) = (
            doc.id().to_string(),
            doc.meta().with_untracked(|m| m.revision),
        );
        leptos::task::spawn_local(async move {
            let _ = kv_put(&backend(), stores::EXPORTS, &id, &export_mark(at, revision)).await;
            post(&Message {
                at,
                ..Message::new(Kind::Exported, &id)
            });
        });
    }

    // -----------------------------------------------------------------------------------------
    // One writer per assessment

    /// Follows the route: the assessment an editing screen shows is held for writing.
    pub(super) fn follow_route(&self, route: &Route) {
        let wanted = match route {
            Route::Criterion { id, .. } | Route::AssessmentInfo { id } => Some(id.clone()),
            _ => None,
        };
        let current = EDITING.with(|e| e.borrow().as_ref().map(|(id, _)| id.clone()));
        if wanted == current {
            return;
        }
        if let Some((old, held)) = EDITING.with(|e| e.borrow_mut().take()) {
            self.let_go(&old, held);
        }
        if let Some(id) = wanted {
            EDITING.with(|e| *e.borrow_mut() = Some((id.clone(), None)));
            self.hold(&id, Ask::IfFree);
        }
    }

    fn let_go(&self, id: &str, held: Option<Held>) {
        let Some(doc) = self.doc_untracked(id) else {
            if let Some(held) = held {
                held.release();
            }
            return;
        };
        doc.access().set(Access::Free);
        let state = *self;
        let id = id.to_string();
        LETTING_GO.with(|l| l.borrow_mut().push(id.clone()));
        leptos::task::spawn_local(async move {
            state.flush_now(&doc).await;
            // Its code is in the screens' part, fetched with the editing screen just left.
            if let Some(part) = SetsPart::loaded() {
                (part.compact)(doc.clone()).await;
            }
            if let Some(held) = held {
                held.release();
            }
            LETTING_GO.with(|l| {
                let mut l = l.borrow_mut();
                if let Some(at) = l.iter().position(|x| *x == id) {
                    l.remove(at);
                }
            });
        });
    }

    /// Asks for the lock of `id` for this tab's editing screen.
    fn hold(&self, id: &str, ask: Ask) {
        let Some(doc) = self.doc_untracked(id) else {
            return;
        };
        if !locks::supported() {
            doc.access().set(Access::Free);
            return;
        }
        doc.access().set(Access::Waiting);
        let state = *self;
        let id = id.to_string();
        leptos::task::spawn_local(async move {
            let held = match ask {
                Ask::IfFree => {
                    // Back on a screen this tab has just left: its own release comes first
                    // (a few seconds at most, as `flush_now` waits).
                    for _ in 0..200 {
                        if !LETTING_GO.with(|l| l.borrow().contains(&id)) {
                            break;
                        }
                        tick::sleep_ms(25).await;
                    }
                    locks::acquire(&lock_name(&id), Ask::IfFree, state.on_lost(&id)).await
                }
                _ => state.take_lock(&id).await,
            };
            let still_here = EDITING.with(|e| e.borrow().as_ref().is_some_and(|(x, _)| *x == id));
            match (held, still_here) {
                (Some(held), true) => {
                    state.recover_if_left(Some(&id), true).await;
                    state.catch_up(&doc).await;
                    EDITING.with(|e| *e.borrow_mut() = Some((id, Some(held))));
                    doc.access().set(Access::Owner);
                }
                (Some(held), false) => held.release(),
                (None, _) => doc.access().set(Access::OtherTab),
            }
        });
    }

    /// What to do if another tab takes the lock: stop editing, write what is waiting (the
    /// store's revision check keeps it from overwriting anything).
    fn on_lost(&self, id: &str) -> impl FnOnce() + 'static {
        let (state, id) = (*self, id.to_string());
        move || {
            EDITING.with(|e| {
                if let Some((x, held)) = e.borrow_mut().as_mut() {
                    if *x == id {
                        held.take();
                    }
                }
            });
            if let Some(doc) = state.doc_untracked(&id) {
                doc.access().set(Access::OtherTab);
                state.schedule_flush(doc);
            }
        }
    }

    /// The lock, from the tab that holds it: asked to let go, then, if it does not answer in
    /// a few seconds (a frozen tab), taken.
    async fn take_lock(&self, id: &str) -> Option<Held> {
        post(&Message::new(Kind::Release, id));
        for _ in 0..30 {
            if let Some(held) = locks::acquire(&lock_name(id), Ask::IfFree, self.on_lost(id)).await
            {
                return Some(held);
            }
            tick::sleep_ms(100).await;
        }
        locks::acquire(&lock_name(id), Ask::Steal, self.on_lost(id)).await
    }

    /// "Sửa ở thẻ này": this tab becomes the one that edits.
    pub fn take_over(&self, id: &str) {
        EDITING.with(|e| *e.borrow_mut() = Some((id.to_string(), None)));
        self.hold(id, Ask::Steal);
    }

    /// Another tab asks for an assessment this one holds: write, then let go.
    fn release_on_request(&self, id: &str) {
        let held = EDITING.with(|e| match e.borrow_mut().as_mut() {
            Some((x, held)) if x == id => held.take(),
            _ => None,
        });
        let Some(held) = held else {
            return;
        };
        let Some(doc) = self.doc_untracked(id) else {
            return held.release();
        };
        doc.access().set(Access::OtherTab);
        let state = *self;
        leptos::task::spawn_local(async move {
            state.flush_now(&doc).await;
            held.release();
        });
    }

    /// Reads the document again if another tab committed changes this one has not seen.
    async fn catch_up(&self, doc: &Doc) {
        let Ok(mut tx) = backend()
            .begin(&[stores::ASSESSMENT_CHANGES], Mode::Read)
            .await
        else {
            return;
        };
        let head = tx
            .last_seq(stores::ASSESSMENT_CHANGES, doc.id())
            .await
            .ok()
            .flatten();
        let _ = tx.commit().await;
        let known = lock(doc.outbox()).head;
        if head.is_some() && head != known {
            self.reload_now(doc.id()).await;
        }
    }

    /// Writes one change (a deletion, a restoration) as the only writer: the tab that edits the
    /// assessment is asked to write what it holds and let go first.
    pub(super) fn write_exclusively(&self, doc: Doc, change: Change) {
        let state = *self;
        leptos::task::spawn_local(async move { state.write_exclusively_now(doc, change).await });
    }

    /// [`AppState::write_exclusively`], done (committed, or left waiting in the outbox) when it
    /// returns.
    pub(super) async fn write_exclusively_now(&self, doc: Doc, change: Change) {
        let editing_here =
            EDITING.with(|e| e.borrow().as_ref().is_some_and(|(x, _)| x == doc.id()));
        let mine = EDITING.with(|e| {
            e.borrow()
                .as_ref()
                .is_some_and(|(x, held)| x == doc.id() && held.is_some())
        });
        let asking = !mine && locks::supported();
        // The screen says the tab is getting the lock, not that another tab edits, until it
        // may type again.
        if asking && editing_here {
            doc.access().set(Access::Waiting);
        }
        let held = if asking {
            self.take_lock(doc.id()).await
        } else {
            None
        };
        if !mine {
            self.catch_up(&doc).await;
        }
        let deleted = change == Change::Delete;
        let at = clock::now_ms();
        // Written here rather than by a scheduled flush, which `flush_now` would have to wait
        // for: the screen stays read-only until it returns.
        self.queue(&doc, vec![change]);
        doc.meta()
            .update(|m| m.deleted_at = deleted.then_some(m.deleted_at.unwrap_or(at)));
        self.flush_now(&doc).await;
        match held {
            Some(held) if editing_here => {
                EDITING.with(|e| *e.borrow_mut() = Some((doc.id().to_string(), Some(held))));
                doc.access().set(Access::Owner);
            }
            Some(held) => held.release(),
            None if asking && editing_here => doc.access().set(Access::OtherTab),
            None => {}
        }
    }

    // -----------------------------------------------------------------------------------------
    // Many at once (imports)

    /// Stores new assessments (an import), a few hundred per transaction, and says for each
    /// what happened: `Ok(id)` once committed and listed (the id is a new one if the file's was
    /// taken here), or why it is not stored. Nothing is listed that is not stored.
    pub async fn add_assessments(
        &self,
        list: Vec<(Assessment, u64)>,
    ) -> Vec<Result<String, StoreError>> {
        let mut out = Vec::with_capacity(list.len());
        for chunk in list.chunks(IMPORT_CHUNK) {
            let records: Vec<Record> = chunk
                .iter()
                .map(|(a, revision)| {
                    let mut a = a.clone();
                    if self.doc_untracked(&a.id).is_some() {
                        a.id = clock::new_id();
                    }
                    creation(a, *revision)
                })
                .collect();
            let backend = backend();
            let journal = Journal::new(&backend, ASSESSMENTS);
            match journal.create_all(&records).await {
                Ok(_) => out.extend(records.iter().map(|r| Ok(self.listed(r)))),
                // One at a time, so that each says what happened to it.
                Err(_) => {
                    for record in records {
                        out.push(self.add_one(record).await);
                    }
                }
            }
            tick::next_task().await;
        }
        out
    }

    async fn add_one(&self, mut record: Record) -> Result<String, StoreError> {
        let backend = backend();
        let journal = Journal::new(&backend, ASSESSMENTS);
        for _ in 0..3 {
            match journal.create(&record).await {
                Ok(_) => return Ok(self.listed(&record)),
                // The id is taken (another tab imported the same file): a new one.
                Err(WriteError::Conflict { .. }) => {
                    let id = clock::new_id();
                    if let Change::Create { doc } = &mut record.change {
                        doc["id"] = id.clone().into();
                    }
                    record.doc = id;
                }
                Err(WriteError::Store(e)) => return Err(e),
            }
        }
        Err(StoreError::Failed(
            "không tạo được mã mới cho bản này".into(),
        ))
    }

    /// A stored creation joins the list here and in the other tabs; returns its id.
    fn listed(&self, record: &Record) -> String {
        if let Change::Create { doc } = &record.change {
            if let Ok(assessment) = decode::<Assessment>(doc) {
                let meta = Meta {
                    revision: record.seq,
                    updated_at: record.at,
                    last_exported_at: None,
                    deleted_at: None,
                };
                let doc = Doc::new(assessment, meta, Some(record.seq));
                self.docs.update(|all| all.insert(0, doc));
                post(&Message::new(Kind::Reload, &record.doc));
            }
        }
        record.doc.clone()
    }

    /// Keeps whole copies aside (an import's spare copies), a few hundred per transaction; says
    /// for each under which key, or why not.
    pub async fn put_backups(
        &self,
        list: Vec<StoredAssessment>,
    ) -> Vec<Result<String, StoreError>> {
        let backend = backend();
        let mut out = Vec::with_capacity(list.len());
        for chunk in list.chunks(IMPORT_CHUNK) {
            let together = async {
                let mut tx = backend.begin(&[stores::BACKUPS], Mode::Write).await?;
                let mut keys = Vec::with_capacity(chunk.len());
                for stored in chunk {
                    let key = free_key(
                        &mut tx,
                        stores::BACKUPS,
                        &stored.assessment.id,
                        clock::now_ms(),
                    )
                    .await?;
                    tx.put(stores::BACKUPS, Key::name(&key), encode_stored(stored));
                    keys.push(key);
                }
                tx.commit().await.map(|()| keys)
            };
            match together.await {
                Ok(keys) => out.extend(keys.into_iter().map(Ok)),
                Err(_) => {
                    for stored in chunk {
                        out.push(
                            put_new(
                                &backend,
                                stores::BACKUPS,
                                &stored.assessment.id,
                                &encode_stored(stored),
                                clock::now_ms(),
                            )
                            .await,
                        );
                    }
                }
            }
            tick::next_task().await;
        }
        self.refresh_backups();
        post(&Message::new(Kind::Backups, ""));
        out
    }

    // -----------------------------------------------------------------------------------------
    // Backups

    /// Reads the list of backups again.
    pub(super) fn refresh_backups(&self) {
        let state = *self;
        leptos::task::spawn_local(async move {
            let Ok(all) = kv_all(&backend(), stores::BACKUPS).await else {
                return;
            };
            let mut list: Vec<(String, StoredAssessment)> = all
                .into_iter()
                .filter_map(|(k, v)| Some((k, decode_stored_briefly(&v).ok()?)))
                .collect();
            // Copies the store would not take yet (a full disk at start) are still listed.
            for key in storage::keys_with_prefix(keys::BACKUP) {
                let rest = key[keys::BACKUP.len()..].to_string();
                if let Some(stored) =
                    storage::read(&key).and_then(|v| decode_stored_briefly(&v).ok())
                {
                    if !list.iter().any(|(k, _)| *k == rest) {
                        list.push((rest, stored));
                    }
                }
            }
            crate::domain::sorting::sort_by(&mut list, |a, b| {
                b.1.updated_at.total_cmp(&a.1.updated_at)
            });
            state.backups.set(list);
        });
    }

    /// Keeps a whole copy aside; returns its key.
    pub async fn put_backup(&self, stored: &StoredAssessment) -> Result<String, StoreError> {
        let key = put_new(
            &backend(),
            stores::BACKUPS,
            &stored.assessment.id,
            &encode_stored(stored),
            clock::now_ms(),
        )
        .await?;
        self.refresh_backups();
        post(&Message::new(Kind::Backups, ""));
        Ok(key)
    }

    /// One backup, if it is still there and readable.
    pub async fn read_backup(&self, key: &str) -> Option<StoredAssessment> {
        if let Some(raw) = storage::read(&format!("{}{key}", keys::BACKUP)) {
            return decode_stored_briefly(&raw).ok();
        }
        let raw = crate::domain::doc_store::kv_get(&backend(), stores::BACKUPS, key)
            .await
            .ok()??;
        decode_stored_briefly(&raw).ok()
    }

    /// Replaces the copy kept under `key`.
    pub async fn write_backup(
        &self,
        key: &str,
        stored: &StoredAssessment,
    ) -> Result<(), StoreError> {
        kv_put(&backend(), stores::BACKUPS, key, &encode_stored(stored)).await?;
        storage::remove(&format!("{}{key}", keys::BACKUP));
        self.refresh_backups();
        post(&Message::new(Kind::Backups, ""));
        Ok(())
    }

    pub async fn remove_backup(&self, key: &str) -> Result<(), StoreError> {
        kv_delete(&backend(), stores::BACKUPS, key).await?;
        storage::remove(&format!("{}{key}", keys::BACKUP));
        self.refresh_backups();
        post(&Message::new(Kind::Backups, ""));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Set-aside entries

    /// The raw text of an unreadable entry, for download.
    pub async fn unreadable_raw(&self, key: &str) -> Option<String> {
        let entry = self
            .unreadable
            .with_untracked(|u| u.iter().find(|x| x.key == key).cloned())?;
        if let Some(raw) = entry.raw {
            return Some(raw);
        }
        if let Some(raw) = storage::read(key) {
            return Some(raw);
        }
        crate::domain::doc_store::kv_get(&backend(), stores::SET_ASIDE, key)
            .await
            .ok()
            .flatten()
    }

    /// Removes a set-aside entry after the user has downloaded or given it up.
    pub fn discard_unreadable(&self, key: &str) {
        self.unreadable.update(|u| u.retain(|x| x.key != key));
        let key = key.to_string();
        leptos::task::spawn_local(async move {
            let _ = kv_delete(&backend(), stores::SET_ASIDE, &key).await;
        });
    }

    /// Tries again to save every change kept in memory (after the user freed space).
    pub fn retry_unsaved(&self) {
        for doc in self.docs.get_untracked() {
            if lock(doc.outbox()).unsaved() {
                self.schedule_flush(doc);
            }
        }
    }
}

/// Records per transaction when many are stored at once.
const IMPORT_CHUNK: usize = 200;

/// The creation record of an assessment brought in whole (imported, restored): its own times,
/// its revision as the first number.
pub(super) fn creation(assessment: Assessment, revision: u64) -> Record {
    Record {
        format: crate::domain::journal::JOURNAL_FORMAT,
        doc: assessment.id.clone(),
        seq: revision.max(1),
        at: assessment.updated_at,
        since: Some(assessment.created_at),
        who: assessment.assessor.name.clone(),
        change: Change::Create {
            doc: to_json(&assessment),
        },
    }
}

/// `tam-<ms>`: this visit's emergency copies.
fn rescue_suffix() -> String {
    format!("tam-{}", visit())
}

/// The keys of what tabs of other visits left behind (this tab writes its own itself).
fn left_by_other_visits() -> Vec<String> {
    let mine = format!("/{}", visit());
    storage::keys_with_prefix(keys::LEFT_BEHIND)
        .into_iter()
        .filter(|key| !key.ends_with(&mine))
        .collect()
}

fn visit() -> u64 {
    VISIT.with(|v| *v) as u64
}

/// Where this visit leaves what it has not committed of assessment `id`.
fn left_behind_key(id: &str) -> String {
    format!("{}{id}/{}", keys::LEFT_BEHIND, visit())
}

/// Everything of `id` is committed (or in a backup): what this visit left of it can go.
fn forget_left_behind(id: &str) {
    let left = LEFT.with(|l| {
        let mut l = l.borrow_mut();
        let at = l.iter().position(|x| x == id);
        at.map(|at| l.remove(at))
    });
    if left.is_some() {
        storage::remove(&left_behind_key(id));
    }
}

/// A new snapshot of `doc` if worth it (nothing is waiting).
pub(super) async fn compact(doc: &Doc) {
    let head = {
        let o = lock(doc.outbox());
        if o.unsaved() {
            return;
        }
        o.head
    };
    let Some(head) = head else { return };
    if doc.since_snapshot().load(Ordering::Relaxed) == 0 {
        return;
    }
    if let Ok(true) = Journal::new(&backend(), ASSESSMENTS)
        .compact(doc.id(), head)
        .await
    {
        doc.since_snapshot().store(0, Ordering::Relaxed);
    }
}

pub(super) async fn history(id: &str) -> Result<Vec<Record>, String> {
    match Journal::new(&backend(), ASSESSMENTS).history(id).await {
        Ok(result) => result,
        Err(e) => Err(e.message_vi()),
    }
}

/// Writes (or removes) a form's draft.
pub(super) fn write_draft(name: String, text: Option<String>) {
    leptos::task::spawn_local(async move {
        let backend = backend();
        let _ = match text {
            Some(text) => kv_put(&backend, stores::DRAFTS, &name, &text).await,
            None => kv_delete(&backend, stores::DRAFTS, &name).await,
        };
    });
}
