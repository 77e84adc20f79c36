//! The appraisals of this browser, provided through context: on the province's side the
//! appraisals it writes (one per commune and year), on the commune's side the appraisals it
//! received. Nothing is read until a screen that needs them asks; the code that reads them is
//! in the screens' part, fetched from Home only once a card or a chosen file needs them.
//!
//! They are stored like assessments, with the same guarantees (`domain::doc_store`,
//! `domain::writer`): every edit becomes a change record, committed at once in IndexedDB (or
//! the fallback the tab uses); a refused write stays waiting and is tried again; the change
//! records are the appraisal's history. A received appraisal is a document of the same store
//! under the id `nhan-<commune>_<year>`, replaced whole when a newer one arrives.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::state::{AppState, Tone};
use super::state_sync::{backend, on_changed, post_changed, Followed};
use crate::adapters::{clock, tick};
use crate::domain::appraisal::Appraisal;
use crate::domain::appraisal_report::AppraisalMark;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::dashboard::row_key;
use crate::domain::doc_store::{decode, Journal, Layout, Loaded};
use crate::domain::history::{from_records, HistoryEntry};
use crate::domain::journal::{diff, to_json, Change};
use crate::domain::store::stores;
use crate::domain::writer::{flush, Current, Outbox, Step};
use crate::ui::on_demand::{part_entry, NotLoaded};

const LAYOUT: Layout = Layout {
    snapshots: stores::APPRAISALS,
    changes: stores::APPRAISAL_CHANGES,
    summaries: None,
};

/// Ids of received appraisals start with this; the province's own never do (clock ids).
const RECEIVED: &str = "nhan-";

/// An appraisal the commune imported from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Received {
    pub appraisal: Appraisal,
    /// The appraisal's own history, as the file carried it.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    pub source_file: String,
    pub received_at: f64,
}

impl Received {
    fn doc_id(&self) -> String {
        format!(
            "{RECEIVED}{}",
            row_key(self.appraisal.commune_code(), self.appraisal.year())
        )
    }
}

/// A stored appraisal, by its side.
enum Entry {
    Own(Appraisal),
    Received(Received),
}

/// What the appraisal's save line says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveLine {
    Idle,
    Saving,
    Saved {
        at_ms: f64,
    },
    /// Kept in this tab only, tried again shortly; the message says why.
    Failed(String),
}

/// A document's writer: what this tab has not committed yet.
type Writer = Rc<RefCell<Outbox>>;

#[derive(Clone, Copy)]
pub struct Appraisals {
    /// The province's appraisals.
    pub own: RwSignal<Vec<Appraisal>>,
    /// The commune's received appraisals, one per commune and year.
    pub received: RwSignal<Vec<Received>>,
    pub ready: RwSignal<bool>,
    pub save: RwSignal<SaveLine>,
    /// The read of every stored appraisal, once started: every caller awaits the same one.
    read: StoredValue<Option<js_sys::Promise>, LocalStorage>,
    /// What read them, to read them again.
    reader: StoredValue<Option<ReadAll>>,
    writers: StoredValue<Vec<(String, Writer)>, LocalStorage>,
    /// For its notices: the reads and writes run in tasks of their own, where the context of
    /// the view that started them is not at hand.
    app: AppState,
}

pub fn use_appraisals() -> Appraisals {
    expect_context::<Appraisals>()
}

impl Appraisals {
    /// The appraisals of this browser, following what the other tabs commit.
    pub fn new(app: AppState) -> Appraisals {
        let appraisals = Appraisals {
            own: RwSignal::new(Vec::new()),
            received: RwSignal::new(Vec::new()),
            ready: RwSignal::new(false),
            save: RwSignal::new(SaveLine::Idle),
            read: StoredValue::new_local(None),
            reader: StoredValue::new(None),
            writers: StoredValue::new_local(Vec::new()),
            app,
        };
        on_changed(Followed::Appraisals, move || {
            // Not read yet: they will be read as they are when a screen needs them. Commits come
            // a keystroke apart: read once for a burst of them.
            if appraisals.reader.with_value(Option::is_some) && !FOLLOWING.replace(true) {
                leptos::task::spawn_local(async move {
                    tick::sleep_ms(FOLLOW_AFTER_MS).await;
                    FOLLOWING.set(false);
                    appraisals.reload().await;
                });
            }
        });
        appraisals
    }

    /// Reads the stored appraisals once, in the background (screens render after the store is
    /// open); `load` gives the code that reads them (see [`LoadReader`]).
    pub fn ensure_loaded(&self, load: LoadReader) {
        let this = *self;
        if this.read.with_value(Option::is_none) {
            leptos::task::spawn_local(async move {
                let _ = this.loaded(load).await;
            });
        }
    }

    /// Every stored appraisal read (once; every caller awaits the same read). A part that could
    /// not be fetched is forgotten, so that asking again tries again.
    pub async fn loaded(&self, load: LoadReader) -> Result<(), NotLoaded> {
        let this = *self;
        let read = match this.read.get_value() {
            Some(read) => read,
            None => {
                let read = future_to_promise(async move {
                    let read_all = load().await.map_err(|NotLoaded| JsValue::NULL)?;
                    this.reader.set_value(Some(read_all));
                    read_all(this).await;
                    this.ready.set(true);
                    Ok(JsValue::UNDEFINED)
                });
                this.read.set_value(Some(read.clone()));
                read
            }
        };
        match JsFuture::from(read).await {
            Ok(_) => Ok(()),
            Err(_) => {
                this.read.set_value(None);
                Err(NotLoaded)
            }
        }
    }

    /// Reads them all again (another tab committed one, or stored this tab's document first;
    /// or a received one is about to be kept): they were read once before, so the code that
    /// reads them is at hand.
    pub(crate) async fn reload(&self) {
        if let Some(read_all) = self.reader.get_value() {
            read_all(*self).await;
        }
    }

    async fn load(&self) {
        let report = match Journal::new(&backend(), LAYOUT).load_all().await {
            Ok(report) => report,
            Err(e) => {
                self.save.set(SaveLine::Failed(e.message_vi()));
                return;
            }
        };
        let (mut own, mut received) = (Vec::new(), Vec::new());
        let mut unreadable = report.problems.len();
        for loaded in report.docs {
            if loaded.state.deleted_at.is_some() {
                continue;
            }
            match self.take(&loaded) {
                Some(Entry::Own(a)) => own.push(a),
                Some(Entry::Received(r)) => received.push(r),
                None => unreadable += 1,
            }
        }
        // What this tab has not committed stays as this tab has it: its writer meets the
        // store's version when it writes, and keeps this one aside if they differ.
        let uncommitted = |id: &str| {
            self.writers
                .with_value(|all| all.iter().any(|(i, w)| i == id && w.borrow().unsaved()))
        };
        self.own.with_untracked(|now| {
            for mine in now.iter().filter(|a| uncommitted(&a.id)) {
                own.retain(|a| a.id != mine.id);
                own.push(mine.clone());
            }
        });
        self.received.with_untracked(|now| {
            for mine in now.iter().filter(|r| uncommitted(&r.doc_id())) {
                received.retain(|r| r.doc_id() != mine.doc_id());
                received.push(mine.clone());
            }
        });
        self.own.set(own);
        self.received.set(received);
        if unreadable > 0 {
            self.app.notify(
                format!(
                    "{unreadable} bản thẩm định lưu trên máy không đọc được (hỏng, hoặc do phiên \
                     bản mới hơn của ứng dụng ghi); chúng được giữ nguyên, không bị xóa."
                ),
                Tone::Warning,
            );
        }
    }

    /// A stored document as an appraisal, its writer brought to the store's head unless this
    /// tab has changes of it to write; `None` if it does not decode.
    fn take(&self, loaded: &Loaded) -> Option<Entry> {
        let entry = if loaded.id.starts_with(RECEIVED) {
            Entry::Received(decode::<Received>(&loaded.state.doc).ok()?)
        } else {
            let mut a = decode::<Appraisal>(&loaded.state.doc).ok()?;
            // The edit time is the last record's, as for assessments.
            a.updated_at = loaded.state.updated_at;
            Entry::Own(a)
        };
        let head = Some(loaded.state.seq);
        let writer = self.writer(&loaded.id, head);
        let mut writer = writer.borrow_mut();
        // Another tab wrote it since this one read it: the next write starts from the store's
        // head.
        if !writer.unsaved() && !writer.busy() {
            writer.reset(head);
        }
        Some(entry)
    }

    /// The writer of document `id`, made on first use (`head`: the last stored record).
    fn writer(&self, id: &str, head: Option<u64>) -> Writer {
        if let Some(w) = self
            .writers
            .with_value(|all| all.iter().find(|(i, _)| i == id).map(|(_, w)| w.clone()))
        {
            return w;
        }
        let w = Rc::new(RefCell::new(Outbox::new(id, head)));
        self.writers
            .update_value(|all| all.push((id.to_string(), w.clone())));
        w
    }

    /// The province's appraisal of a commune and year (tracked).
    pub fn own_for(&self, key: &str) -> Option<Appraisal> {
        self.own.with(|all| {
            all.iter()
                .find(|a| row_key(a.commune_code(), a.year()) == key)
                .cloned()
        })
    }

    fn own_untracked(&self, id: &str) -> Option<Appraisal> {
        self.own
            .with_untracked(|all| all.iter().find(|a| a.id == id).cloned())
    }

    /// The received appraisal of a commune and year (tracked).
    pub fn received_for(&self, commune_code: &str, year: u16) -> Option<Received> {
        self.received
            .with(|all| find_received(all, commune_code, year))
    }

    /// The received appraisal of a commune and year, as this tab read it last.
    pub fn received_untracked(&self, commune_code: &str, year: u16) -> Option<Received> {
        self.received
            .with_untracked(|all| find_received(all, commune_code, year))
    }

    /// Begins an appraisal, or puts the next round in place of its last one.
    pub fn put(&self, appraisal: Appraisal) {
        let id = appraisal.id.clone();
        match self.own_untracked(&id) {
            None => {
                self.own.update(|all| all.push(appraisal));
                // Not stored yet: the first flush creates it whole.
                self.writer(&id, None);
                self.flush_later(id);
            }
            Some(old) => self.record(&id, &old, appraisal),
        }
    }

    /// One edit by the reviewer, saved at once.
    pub fn edit(&self, id: &str, change: impl FnOnce(&mut Appraisal)) {
        let Some(old) = self.own_untracked(id) else {
            return;
        };
        let mut new = old.clone();
        change(&mut new);
        self.record(id, &old, new);
    }

    /// Shows `new` and queues the changes from `old` to it.
    fn record(&self, id: &str, old: &Appraisal, mut new: Appraisal) {
        // The edit time is the records' own, never a change of its own.
        new.updated_at = old.updated_at;
        let changes = diff(&to_json(old), &to_json(&new));
        if changes.is_empty() {
            return;
        }
        let now = clock::now_ms();
        new.updated_at = now;
        let who = new.reviewer.name.clone();
        self.own.update(|all| {
            if let Some(slot) = all.iter_mut().find(|a| a.id == id) {
                *slot = new;
            }
        });
        let writer = self.writer(id, None);
        for change in changes {
            writer.borrow_mut().push(change, &who, now);
        }
        self.flush_later(id.to_string());
    }

    /// Keeps a received appraisal, in place of the one of the same commune and year.
    pub fn receive(&self, received: Received) {
        let id = received.doc_id();
        let had = self
            .received
            .with_untracked(|all| all.iter().any(|r| r.doc_id() == id));
        self.received.update(|all| {
            all.retain(|r| r.doc_id() != id);
            all.push(received.clone());
        });
        let writer = self.writer(&id, None);
        if had {
            writer.borrow_mut().push(
                Change::Replace {
                    doc: to_json(&received),
                    reason: format!("nhận tệp «{}»", received.source_file),
                    edited_at: Some(received.received_at),
                },
                "",
                received.received_at,
            );
        }
        self.flush_later(id);
    }

    /// Writes what waits for document `id`, in the background, until nothing is left or the
    /// store refuses (then again a few seconds later).
    fn flush_later(&self, id: String) {
        let this = *self;
        self.save.set(SaveLine::Saving);
        leptos::task::spawn_local(async move { this.flush_loop(&id).await });
    }

    async fn flush_loop(&self, id: &str) {
        let writer = self.writer(id, None);
        loop {
            let current = || self.current(id);
            let step = flush(
                &backend(),
                LAYOUT,
                stores::SET_ASIDE,
                &*writer,
                &current,
                clock::now_ms(),
            )
            .await;
            match step {
                Step::Idle => break,
                Step::Saved { .. } => {
                    post_changed(Followed::Appraisals);
                    let all_saved = self
                        .writers
                        .with_value(|all| all.iter().all(|(_, w)| !w.borrow().unsaved()));
                    if all_saved {
                        self.save.set(SaveLine::Saved {
                            at_ms: clock::now_ms(),
                        });
                    }
                }
                Step::Failed(e) | Step::Stuck { error: e, .. } => {
                    self.save.set(SaveLine::Failed(e.message_vi()));
                    let (this, id) = (*self, id.to_string());
                    leptos::task::spawn_local(async move {
                        tick::sleep_ms(5000).await;
                        if this.writer(&id, None).borrow().unsaved() {
                            this.flush_later(id);
                        }
                    });
                    break;
                }
                Step::Diverted { head, .. } => {
                    self.app.notify(
                        "Bản thẩm định này vừa được lưu ở thẻ hoặc cửa sổ khác. Phiên bản của thẻ \
                         này được giữ riêng (mục dữ liệu không đọc được ở màn hình đầu, tải về \
                         được); thẻ này đọc lại bản đã lưu."
                            .into(),
                        Tone::Warning,
                    );
                    writer.borrow_mut().reset(head);
                    self.reload().await;
                    break;
                }
            }
        }
    }

    /// This tab's version of document `id`, for its creation or a copy kept aside.
    fn current(&self, id: &str) -> Current {
        if id.starts_with(RECEIVED) {
            let r = self
                .received
                .with_untracked(|all| all.iter().find(|r| r.doc_id() == id).cloned());
            let r = r.expect("a received appraisal being written is listed");
            let doc = to_json(&r);
            return Current {
                backup_text: doc.to_string(),
                doc,
                who: String::new(),
                created_at: r.received_at,
                updated_at: r.received_at,
            };
        }
        let a = self
            .own_untracked(id)
            .expect("an appraisal being written is listed");
        let doc = to_json(&a);
        Current {
            backup_text: doc.to_string(),
            doc,
            who: a.reviewer.name.clone(),
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }

    /// The saved changes of appraisal `id`, oldest first, as a file carries them; what this tab
    /// has not committed yet is not in it (export waits for the save).
    pub async fn history_of(&self, id: &str) -> Result<Vec<HistoryEntry>, String> {
        let records = Journal::new(&backend(), LAYOUT)
            .history(id)
            .await
            .map_err(|e| e.message_vi())??;
        from_records(&records).map_err(|e| e.to_string())
    }

    /// Whether every edit is committed.
    pub fn all_saved(&self) -> bool {
        self.writers
            .with_value(|all| all.iter().all(|(_, w)| !w.borrow().unsaved()))
    }

    /// Waits until every edit is committed, or the store refused one (the reason: the edits stay
    /// in this tab and are tried again a few seconds later).
    pub async fn until_saved(&self) -> Result<(), String> {
        while !self.all_saved() {
            if let SaveLine::Failed(why) = self.save.get_untracked() {
                return Err(why);
            }
            tick::sleep_ms(50).await;
        }
        Ok(())
    }

    /// Marks of every appraisal, by row key, for the dashboard.
    pub fn marks(&self, sets: &CriteriaRegistry) -> Vec<(String, AppraisalMark)> {
        self.own.with(|all| {
            all.iter()
                .filter_map(|a| {
                    let set = &sets.find(&a.reviewed.assessment.criteria_set)?.set;
                    Some((
                        row_key(a.commune_code(), a.year()),
                        AppraisalMark::of(a, set),
                    ))
                })
                .collect()
        })
    }
}

fn find_received(all: &[Received], commune_code: &str, year: u16) -> Option<Received> {
    all.iter()
        .find(|r| r.appraisal.commune_code() == commune_code && r.appraisal.year() == year)
        .cloned()
}

/// Reads every stored appraisal into [`Appraisals`]: code of the screens' part.
pub type ReadAll = fn(Appraisals) -> Pin<Box<dyn Future<Output = ()>>>;

/// Gives [`ReadAll`]: [`fetched`] with the screens' part, from Home (the card lines, the receive
/// panel), or [`at_hand`] inside the part. A parameter rather than a call inside
/// [`Appraisals::ensure_loaded`]: code in a part must not reach the part's own loader (a build
/// without the split, as the browser tests', could not link it).
pub type LoadReader = fn() -> Pin<Box<dyn Future<Output = Result<ReadAll, NotLoaded>>>>;

thread_local! {
    static READER: Cell<Option<ReadAll>> = const { Cell::new(None) };
    /// A read of the appraisals is due, for another tab's commit.
    static FOLLOWING: Cell<bool> = const { Cell::new(false) };
}

/// How long after another tab's commit they are read again (more commits may follow).
const FOLLOW_AFTER_MS: i32 = 300;

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn appraisals_part() -> Result<ReadAll, NotLoaded> {
    Ok(read_all())
}

fn read_all() -> ReadAll {
    |appraisals| Box::pin(async move { appraisals.load().await })
}

/// On Home: fetched with the screens' part.
pub fn fetched() -> Pin<Box<dyn Future<Output = Result<ReadAll, NotLoaded>>>> {
    Box::pin(part_entry(&READER, appraisals_part))
}

/// In the screens' part: already there.
pub fn at_hand() -> Pin<Box<dyn Future<Output = Result<ReadAll, NotLoaded>>>> {
    Box::pin(std::future::ready(Ok(read_all())))
}
