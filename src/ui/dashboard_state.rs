//! The province's dashboard ("Tổng hợp"): the files of many communes, kept apart from the
//! user's own assessments, provided through context like [`AppState`](super::state::AppState).
//!
//! Where it lives, and why: the compact rows of the table (about 0.5 kB each) go to
//! localStorage under [`ROWS_KEY`] (in parts of a thousand rows, written one task each, when
//! there are more), read synchronously at once; the whole documents (a few kB
//! each, needed only to open one commune's results or report) go to IndexedDB, which holds
//! far more than localStorage's 5 MiB. Rows can be rebuilt from the documents, so when the
//! rows do not fit in localStorage they are removed from it (never left stale) and rebuilt on
//! the next visit — from each document's row, stored beside it in IndexedDB in the same
//! transaction (documents stored before rows were are read whole once, and their rows put
//! back); when the documents cannot be stored, the rows stay and this tab keeps the
//! documents in memory. The stored rows never name a copy newer than the stored document: a
//! reload while an import is stored rebuilds them from the documents. Other tabs of the app
//! read the table again when one has changed it (see [`Dashboard::follow`]).

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::adapters::idb::{self, IdbError, DASHBOARD_DOCS, DASHBOARD_ROWS};
use crate::adapters::locks::{self, Ask, Held};
use crate::adapters::tick::{self, next_task, yield_now, Slice};
use crate::adapters::{clock, storage, storage::StorageError};
use crate::domain::aggregate::DashboardRow;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::dashboard::{
    decode_row, encode_row, is_row, kept_places, merge_rows, part_key, read_rows, rows_from_docs,
    runs_of, stale_parts, AfterRead, DashboardDoc, KnownStored, Merge, OwnChange, OwnChanges,
    RowParts, RowsMerge, StoredKeys, StoredTable, TableFit, EMPTY_TABLE, ROWS_PER_PART,
};
use crate::domain::exchange::ImportedAssessment;
use crate::ui::state_sync::{on_changed, post_changed, Followed};

/// Under the app's prefix, so the storage line counts it with the rest.
pub const ROWS_KEY: &str = "xa-tre-em/tong-hop/bang";

/// Where the whole documents stand.
#[derive(Debug, Clone, PartialEq)]
pub enum DocsStatus {
    /// Nothing written in this visit.
    Idle,
    Saving,
    Saved,
    /// Everything is being removed ([`Dashboard::clear`]).
    Clearing,
    /// One commune's assessment is being removed ([`Dashboard::remove`]).
    Removing,
    /// The last write or read failed; documents not stored are kept in this tab.
    Failed(IdbError),
}

/// Which change of the rows is the last: what follows them step by step (the table's index)
/// tells a single removal and rows added at the end, which it follows cheaply, from any other
/// change.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowsChange {
    /// Counts every change of the rows.
    pub number: u64,
    pub changed: Changed,
}

/// What a change did to the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Changed {
    /// Anything else: the rows replaced, several removed, one replaced in its place…
    #[default]
    Other,
    /// Removed the one row at this place, and nothing else.
    Removed(usize),
    /// Added rows after the first this many, which it left as they were.
    AddedAfter(usize),
}

#[derive(Clone, Copy)]
pub struct Dashboard {
    /// Changed only through [`Dashboard::change_rows`], which counts the changes.
    pub rows: ReadSignal<Vec<DashboardRow>>,
    write_rows: WriteSignal<Vec<DashboardRow>>,
    change: StoredValue<RowsChange>,
    /// This tab's imports, removals and clearing until their table is written: drawn, since
    /// «Xóa toàn bộ» waits for them.
    own: RwSignal<OwnChanges>,
    /// `false` until the stored rows have been read (on the first dashboard screen).
    pub ready: RwSignal<bool>,
    /// Documents read / stored while the table is rebuilt from them on opening.
    pub rebuilding: RwSignal<Option<(usize, usize)>>,
    /// Why the rows are not in localStorage; `None` when they are.
    pub rows_error: RwSignal<Option<StorageError>>,
    pub docs: RwSignal<DocsStatus>,
    /// Documents the browser would not store, by key, for this tab.
    unsaved_docs: StoredValue<HashMap<String, DashboardDoc>>,
    loading: StoredValue<bool>,
    /// Another tab changed the table and this one has not read it since.
    follow_due: StoredValue<bool>,
    /// The table in localStorage as this tab last wrote or read it.
    known_stored: StoredValue<Option<KnownStored>>,
    /// Whether the table is worth writing into localStorage.
    fit: StoredValue<TableFit>,
    /// The criteria sets, once the table is read: a table rebuilt from the documents needs them.
    sets: StoredValue<Option<RwSignal<CriteriaRegistry>>>,
}

pub fn use_dashboard() -> Dashboard {
    expect_context::<Dashboard>()
}

/// The table's rows as a section drawn after the table sees them: a few tasks after each
/// change. The counts, the charts and the provinces of thousands of rows are then worked out
/// each in a task of its own, not with the table in the task that changed the rows (removing
/// one row of 10,000 held a phone's page for 160–360 ms, adding a file 190–230 ms).
#[derive(Clone, Copy)]
pub struct RowsLater {
    rows: ReadSignal<Vec<DashboardRow>>,
    changed: Trigger,
}

impl RowsLater {
    /// Reads the rows, and tracks them as this section sees them.
    pub fn with<R>(&self, f: impl FnOnce(&Vec<DashboardRow>) -> R) -> R {
        self.changed.track();
        self.rows.with_untracked(f)
    }
}

impl Dashboard {
    /// Changes the rows; every change goes through here, counted. `change` says what it did.
    pub fn change_rows(&self, change: impl FnOnce(&mut Vec<DashboardRow>) -> Changed) {
        let counted = self.change;
        self.write_rows.update(|rows| {
            let changed = change(rows);
            counted.update_value(|c| {
                *c = RowsChange {
                    number: c.number + 1,
                    changed,
                }
            });
        });
    }

    /// The last change of the rows.
    pub fn last_change(&self) -> RowsChange {
        self.change.get_value()
    }

    /// One of this tab's changes of the table begins (see [`OwnChanges`]).
    fn begin_own(&self) -> Option<OwnChange> {
        let changes = self.last_change().number;
        self.own.try_update(|o| o.begin(changes))
    }

    /// Whether `own`, begun by [`Self::begin_own`], may start from the table as stored.
    fn may_take_stored(&self, own: Option<OwnChange>) -> bool {
        let changes = self.last_change().number;
        own.is_some_and(|own| self.own.with_untracked(|o| o.may_take_stored(own, changes)))
    }

    /// The table as stored, for `own`, a change that found the rows at change `found_at`; `None`
    /// when it starts from the rows of this tab: the stored table is them (this tab wrote or
    /// read it at that change and no tab wrote since), or it may not be taken ([`Self::may_take_stored`]).
    async fn stored_for(&self, own: Option<OwnChange>, found_at: u64) -> Option<Vec<DashboardRow>> {
        let raw = storage::read(ROWS_KEY);
        let ours = self.known_stored.with_value(|w| {
            w.as_ref()
                .is_some_and(|w| w.is_stored(raw.as_deref(), found_at))
        });
        if ours {
            return None;
        }
        let stored = stored_rows_sliced(raw.as_deref()).await;
        // Each a task of its own, as the table's last part decoded: comparing the table or
        // drawing it, then writing it (a removal from 10,000 rows held a phone's page for
        // 110 ms).
        yield_now().await;
        stored.filter(|_| self.may_take_stored(own))
    }

    /// Whether a change of this tab is under way (untracked): another tab's change is read once
    /// none is, since each started from the table as stored.
    fn busy(&self) -> bool {
        self.own.with_untracked(OwnChanges::busy)
    }

    /// Whether «Xóa toàn bộ» may be done now (tracked): not while this tab imports or removes.
    pub fn may_clear(&self) -> bool {
        self.own.with(OwnChanges::may_clear)
    }

    /// The rows seen `turns` tasks after each change, by what the calling section owns; a
    /// change made before an earlier one is seen is seen with it.
    pub fn rows_later(&self, turns: usize) -> RowsLater {
        let rows = self.rows;
        let changed = Trigger::new();
        let latest = StoredValue::new(0u64);
        Effect::new(move |seen: Option<()>| {
            rows.track();
            if seen.is_none() {
                return;
            }
            let Some(this) = latest.try_update_value(|n| {
                *n += 1;
                *n
            }) else {
                return;
            };
            leptos::task::spawn_local(async move {
                for _ in 0..turns {
                    yield_now().await;
                }
                if latest.try_get_value() == Some(this) {
                    changed.notify();
                }
            });
        });
        RowsLater { rows, changed }
    }
}

/// Empty: nothing is read until a dashboard screen asks, so communes never pay for it.
impl Default for Dashboard {
    fn default() -> Dashboard {
        let (rows, write_rows) = signal(Vec::new());
        Dashboard {
            rows,
            write_rows,
            change: StoredValue::new(RowsChange::default()),
            own: RwSignal::new(OwnChanges::default()),
            ready: RwSignal::new(false),
            rebuilding: RwSignal::new(None),
            rows_error: RwSignal::new(None),
            docs: RwSignal::new(DocsStatus::Idle),
            unsaved_docs: StoredValue::new(HashMap::new()),
            loading: StoredValue::new(false),
            follow_due: StoredValue::new(false),
            known_stored: StoredValue::new(None),
            fit: StoredValue::new(TableFit::default()),
            sets: StoredValue::new(None),
        }
    }
}

impl Dashboard {
    /// Reads the rows once: from localStorage, or rebuilt from the stored documents; from then
    /// on, follows the other tabs' changes.
    pub fn ensure_loaded(&self, sets_now: RwSignal<CriteriaRegistry>) {
        if self.loading.get_value() {
            return;
        }
        self.loading.set_value(true);
        self.sets.set_value(Some(sets_now));
        let this = *self;
        on_changed(Followed::Dashboard, move || {
            // Read once for a burst of changes (a removal after another).
            if !this.follow_due.get_value() {
                this.follow_due.set_value(true);
                leptos::task::spawn_local(async move {
                    tick::sleep_ms(FOLLOW_AFTER_MS).await;
                    if !this.busy() {
                        this.follow().await;
                    }
                });
            }
        });
        let sets = sets_now.get_untracked();
        // Up to a part's rows, read at once: the screen opens with them.
        let raw = storage::read(ROWS_KEY);
        let stored = raw.as_deref().and_then(StoredTable::read);
        if let Some(StoredTable::Rows(rows)) = stored {
            self.change_rows(|now| {
                *now = rows;
                Changed::Other
            });
            self.read_whole(raw);
            self.ready.set(true);
            leptos::task::spawn_local(async move { this.add_missing_rows(&sets).await });
            return;
        }
        leptos::task::spawn_local(async move {
            if let Some(StoredTable::Parts(list)) = stored {
                if let Some(rows) = read_parts(&list).await {
                    // The table as read, unless files were loaded meanwhile or another tab
                    // wrote it (a part may then have been read from its table).
                    let whole =
                        this.rows.with_untracked(Vec::is_empty) && storage::read(ROWS_KEY) == raw;
                    this.opened_with(rows);
                    if whole {
                        this.read_whole(raw);
                    }
                    this.ready.set(true);
                    this.add_missing_rows(&sets).await;
                    return;
                }
            }
            // As in `add_missing_rows`, until the rebuilt table is written.
            let hold = TableHold::take(Ask::Shared).await;
            let read = rows_from_store(&sets, &|done, of| {
                let _ = this.rebuilding.try_set(Some((done, of)));
            })
            .await;
            match read {
                Ok(read) if !read.rows.is_empty() => {
                    // The last run's decoding, drawing the table and the first part written
                    // are three tasks, not one (together 210–250 ms at 4× CPU with 15,000 rows).
                    next_task().await;
                    this.opened_with(read.rows);
                    this.ready.set(true);
                    this.rebuilding.set(None);
                    next_task().await;
                    this.save_rows_sliced().await;
                    put_rows_back(read.from_docs, read.orphans).await;
                }
                Ok(read) => put_rows_back(Vec::new(), read.orphans).await,
                Err(e) => this.docs.set(DocsStatus::Failed(e)),
            }
            drop(hold);
            this.ready.set(true);
            this.rebuilding.set(None);
        });
    }

    /// Puts the rows read on opening in place, with the rows of files this tab loaded while they
    /// were read (the import panel works meanwhile): read from a snapshot taken before, the
    /// rows alone would leave those out until the next opening.
    fn opened_with(&self, read: Vec<DashboardRow>) {
        self.change_rows(|rows| {
            let loaded_meanwhile = std::mem::replace(rows, read);
            merge_rows(rows, loaded_meanwhile);
            Changed::Other
        });
    }

    /// Adds the rows of stored documents the table lacks: two tabs storing imports at the very
    /// same moment leave the rows of the last one only. The keys alone are read unless some are
    /// missing; those are read as the table is on opening, in runs and slices (their documents
    /// one transaction each, decoded in one task, held a phone's page for 200 ms for 1,000 and
    /// took four seconds).
    async fn add_missing_rows(&self, sets: &CriteriaRegistry) {
        // Shared from the keys read to the table written: rows of documents another tab
        // cleared meanwhile would come back without them.
        let _hold = TableHold::take(Ask::Shared).await;
        let began_at = self.last_change().number;
        let Ok(keys) = stored_keys().await else {
            return;
        };
        let known: HashSet<String> = self
            .rows
            .with_untracked(|rows| rows.iter().map(DashboardRow::key).collect());
        let keys = keys.lacking(known);
        if keys.count() == 0 {
            return;
        }
        let Ok(read) = rows_of_keys(keys, sets, &|_, _| ()).await else {
            return;
        };
        // Drawn in a task of its own, not with the last run decoded.
        yield_now().await;
        // A change of this tab begun meanwhile starts from the rows as stored and writes them;
        // one over already left this read behind: the next opening adds these.
        let changes = self.last_change().number;
        if self.own.with_untracked(|o| o.after_read(began_at, changes)) != AfterRead::Take {
            return;
        }
        // Counted as a change of this tab while the table is written: an import begun
        // meanwhile starts from these rows, not from the table as stored.
        let own = self.begin_own();
        self.change_rows(|rows| {
            let before = rows.len();
            added_after(before, &merge_rows(rows, read.rows))
        });
        yield_now().await;
        self.save_rows_sliced().await;
        if own.is_some() {
            self.own.update(OwnChanges::end);
        }
        self.follow_if_due();
        put_rows_back(read.from_docs, read.orphans).await;
    }

    /// Adds the assessments of checked files in one batch (one save for thousands of files);
    /// the outcome of each assessment, file by file, in the same order. Thousands of records
    /// are taken in slices of about [`SLICE_MS`], each its own task: the rows are made, merged
    /// into the table (drawn in a task of its own), their documents made, stored and the rows
    /// encoded for storage without a long task; `done(n)` tells how many rows are made. The
    /// outcomes come once everything is stored (or kept in this tab, when it cannot be).
    pub async fn add(
        &self,
        files: Vec<(String, Vec<ImportedAssessment>)>,
        sets: &CriteriaRegistry,
        done: impl Fn(usize),
    ) -> Vec<Vec<Merge>> {
        let _hold = TableHold::take(Ask::Shared).await;
        let found_at = self.last_change().number;
        let own = self.begin_own();
        let now = clock::now_ms();
        let counts: Vec<usize> = files.iter().map(|(_, list)| list.len()).collect();
        let mut incoming = Vec::with_capacity(counts.iter().sum());
        let mut sources = Vec::with_capacity(incoming.capacity());
        let mut slice = Slice::start();
        for (name, list) in files {
            for one in list {
                incoming.push(DashboardRow::from_import(&one, sets, &name, now));
                sources.push((one, name.clone()));
                if slice.over().await {
                    done(incoming.len());
                }
            }
        }
        // The table is redrawn with the new rows in a task of its own.
        yield_now().await;
        let mut merges = Vec::new();
        let mut places = Vec::new();
        let stored = self.stored_for(own, found_at).await;
        let mut replaced = Vec::new();
        self.change_rows(|rows| {
            let whole = stored.is_some();
            if let Some(stored) = stored {
                replaced = std::mem::replace(rows, stored);
            }
            let before = rows.len();
            merges = merge_rows(rows, incoming);
            places = kept_places(before, &merges);
            if whole {
                Changed::Other
            } else {
                added_after(before, &merges)
            }
        });
        yield_now().await;
        // Freed here, not in the task that drew the new rows (10,000 rows: 17 ms at 4× CPU).
        drop(replaced);
        // Only the copies now in the table are stored; a later one of the same key wins.
        // Each document is stored with its row's text, encoded here, after the table is drawn.
        let mut docs: HashMap<String, DashboardDoc> = HashMap::new();
        let mut rows: HashMap<String, String> = HashMap::new();
        let mut slice = Slice::start();
        for ((merge, (one, name)), place) in merges.iter().zip(sources).zip(places) {
            if merge.kept() {
                let doc = DashboardDoc::new(one, &name, now);
                let key = doc.key();
                // A row removed meanwhile moved the others: then none is stored, and the next
                // rebuild reads the document instead.
                let row = place.and_then(|at| {
                    self.rows.with_untracked(|r| {
                        r.get(at).filter(|row| row.key() == key).map(encode_row)
                    })
                });
                match row {
                    Some(text) => rows.insert(key.clone(), text),
                    None => rows.remove(&key),
                };
                docs.insert(key, doc);
            }
            slice.over().await;
        }
        // The rows kept in localStorage never run ahead of the stored documents: they go
        // while the documents are written (a reload meanwhile rebuilds them from what is
        // stored) and come back once the documents are in.
        remove_rows();
        self.store_docs(docs, rows).await;
        self.save_rows_sliced().await;
        self.own.update(OwnChanges::end);
        self.changed();
        let mut merges = merges.into_iter();
        counts
            .into_iter()
            .map(|n| merges.by_ref().take(n).collect())
            .collect()
    }

    /// Removes one commune's assessment of one year: its document first, then its row in
    /// localStorage — a stored document without its row would come back on the next opening
    /// ([`Self::add_missing_rows`]).
    pub fn remove(&self, key: &str) {
        let found_at = self.last_change().number;
        let this_row = is_row(key);
        self.change_rows(|rows| {
            let at = rows.iter().position(&this_row);
            let before = rows.len();
            rows.retain(|r| !this_row(r));
            at.filter(|_| rows.len() + 1 == before)
                .map_or(Changed::Other, Changed::Removed)
        });
        let own = self.begin_own();
        self.unsaved_docs.update_value(|d| {
            d.remove(key);
        });
        // Said until the row is gone from localStorage too: a reload before brings it back.
        let idle = matches!(
            self.docs.get_untracked(),
            DocsStatus::Idle | DocsStatus::Saved
        );
        if idle {
            self.docs.set(DocsStatus::Removing);
        }
        let (this, key) = (*self, key.to_string());
        leptos::task::spawn_local(async move {
            // Alone: an import of another tab that started from the table with this row would
            // write it back after the removal, without its document.
            let _hold = TableHold::take(Ask::Wait).await;
            let this_row = is_row(&key);
            let deleted = idb::delete(&[DASHBOARD_DOCS, DASHBOARD_ROWS], &key).await;
            let stored = this.stored_for(own, found_at).await;
            let stored = stored.map(|mut rows| {
                rows.retain(|r| !this_row(r));
                rows
            });
            // Drawn again only when the stored table differs (another tab changed it): drawing
            // 10,000 rows again holds a phone's page for 200 ms.
            match stored {
                Some(stored) if this.rows.with_untracked(|now| *now != stored) => {
                    this.change_rows(|rows| {
                        *rows = stored;
                        Changed::Other
                    });
                }
                Some(_) => {}
                None if this.rows.with_untracked(|r| r.iter().any(&this_row)) => {
                    this.change_rows(|rows| {
                        rows.retain(|r| !this_row(r));
                        Changed::Other
                    });
                }
                None => {}
            }
            // Away while the rest is written a part per task (all at once, 10,000 rows held a
            // phone's page for 550 ms): a reload meanwhile reads the table back from IndexedDB,
            // where the row is already gone.
            yield_now().await;
            remove_rows();
            this.save_rows_sliced().await;
            this.own.update(OwnChanges::end);
            match deleted {
                Err(e) => this.docs.set(DocsStatus::Failed(e)),
                Ok(()) if idle => this.docs.set(DocsStatus::Idle),
                Ok(()) => {}
            }
            this.changed();
        });
    }

    /// Forgets everything loaded, unless an import or a removal of this tab or of another is
    /// still writing (see [`Self::may_clear`]): it would store its rows and documents again
    /// after the clear, the rows then back without their documents. Refused, nothing changes.
    pub async fn clear(&self) -> Result<(), ClearRefused> {
        let mut hold = TableHold::take(Ask::IfFree).await;
        // Reading the stored keys after a change holds the lock a moment: asked again for about
        // a second before refusing.
        for _ in 0..5 {
            if hold.0.is_some() || !locks::supported() {
                break;
            }
            tick::sleep_ms(200).await;
            hold = TableHold::take(Ask::IfFree).await;
        }
        if hold.0.is_none() && locks::supported() {
            return Err(ClearRefused);
        }
        if !self
            .own
            .try_update(OwnChanges::begin_clear)
            .unwrap_or(false)
        {
            return Err(ClearRefused);
        }
        self.change_rows(|rows| {
            rows.clear();
            Changed::Other
        });
        self.fit.set_value(TableFit::default());
        self.unsaved_docs.update_value(HashMap::clear);
        // Written as an empty table, not as none (which a table too large for localStorage
        // leaves too): a tab that has not read this clear yet starts its next change from it.
        self.save_rows();
        // Said until the store has let go of them: a reload before would read them again.
        self.docs.set(DocsStatus::Clearing);
        self.docs
            .set(match idb::clear(&[DASHBOARD_DOCS, DASHBOARD_ROWS]).await {
                Ok(()) => DocsStatus::Idle,
                Err(e) => DocsStatus::Failed(e),
            });
        self.own.update(OwnChanges::end_clear);
        self.changed();
        drop(hold);
        Ok(())
    }

    /// This tab's change is over: the other tabs read the table again, and this one reads what
    /// another tab changed meanwhile.
    fn changed(&self) {
        post_changed(Followed::Dashboard);
        self.follow_if_due();
    }

    /// Reads another tab's change put off while this tab changed the table.
    fn follow_if_due(&self) {
        if self.follow_due.get_value() && !self.busy() {
            let this = *self;
            leptos::task::spawn_local(async move { this.follow().await });
        }
    }

    /// Reads the table as another tab left it: the rows as stored, else (everything cleared,
    /// or a table too large for localStorage) rebuilt from the stored documents; the rows of
    /// documents only this tab holds stay. Read again when this tab changed its rows meanwhile
    /// (see [`AfterRead`]).
    async fn follow(&self) {
        let Some(sets) = self.sets.get_value().and_then(|s| s.try_get_untracked()) else {
            return;
        };
        let sets = &sets;
        let (rows, rows_back, raw) = loop {
            self.follow_due.set_value(false);
            let began_at = self.last_change().number;
            let raw = storage::read(ROWS_KEY);
            let mut rows_back = None;
            let rows = match stored_rows_sliced(raw.as_deref()).await {
                Some(rows) => rows,
                // The table is on screen: read again without a progress bar.
                None => match rows_from_store(sets, &|_, _| ()).await {
                    Ok(read) => {
                        rows_back = Some((read.from_docs, read.orphans));
                        read.rows
                    }
                    Err(_) => return,
                },
            };
            // The table is drawn again in a task of its own, not with the last part decoded.
            yield_now().await;
            let changes = self.last_change().number;
            match self.own.with_untracked(|o| o.after_read(began_at, changes)) {
                AfterRead::Take => break (rows, rows_back, raw),
                AfterRead::Again => {}
                AfterRead::AfterOwn => {
                    self.follow_due.set_value(true);
                    return;
                }
            }
        };
        let mut rows = rows;
        let only_here: Vec<DashboardRow> = self.unsaved_docs.with_value(|docs| {
            self.rows.with_untracked(|now| {
                now.iter()
                    .filter(|r| docs.contains_key(&r.key()))
                    .cloned()
                    .collect()
            })
        });
        // The table as stored, when read whole from localStorage, still there, and with no row
        // only this tab holds: the next change of this tab need not read it again.
        let whole = rows_back.is_none() && only_here.is_empty() && storage::read(ROWS_KEY) == raw;
        merge_rows(&mut rows, only_here);
        let mut replaced = Vec::new();
        self.change_rows(|now| {
            replaced = std::mem::replace(now, rows);
            Changed::Other
        });
        if whole {
            self.read_whole(raw);
        }
        // Freed in a task after the one that draws the new rows.
        yield_now().await;
        drop(replaced);
        if let Some((from_docs, orphans)) = rows_back {
            put_rows_back(from_docs, orphans).await;
        }
        self.add_missing_rows(sets).await;
    }

    /// The whole document of a row: from this tab if the browser would not store it, else
    /// from IndexedDB. `Ok(None)` when it is in neither.
    pub async fn doc(&self, key: &str) -> Result<Option<DashboardDoc>, IdbError> {
        if let Some(doc) = self.unsaved_docs.with_value(|d| d.get(key).cloned()) {
            return Ok(Some(doc));
        }
        Ok(idb::get(DASHBOARD_DOCS, key)
            .await?
            .as_deref()
            .and_then(DashboardDoc::decode))
    }

    /// The whole documents of `keys`, all of them, or which are missing and why (a document the
    /// browser would neither store nor keep in this tab must be loaded again from its file).
    pub async fn docs_of(&self, keys: &[String]) -> Result<Vec<DashboardDoc>, String> {
        let mut found: HashMap<String, DashboardDoc> = self.unsaved_docs.with_value(|d| {
            keys.iter()
                .filter_map(|k| d.get(k).map(|doc| (k.clone(), doc.clone())))
                .collect()
        });
        let mut failure = None;
        if found.len() < keys.len() {
            // Only the runs of keys asked for are read, not the whole country's documents.
            let wanted: HashSet<&str> = keys
                .iter()
                .map(String::as_str)
                .filter(|k| !found.contains_key(*k))
                .collect();
            match idb::keys(DASHBOARD_DOCS).await {
                Ok(stored) => {
                    let runs = runs_of(&stored, |k| wanted.contains(k), DOCS_PER_READ, DOCS_GAP);
                    for run in runs {
                        match idb::get_run(DASHBOARD_DOCS, run).await {
                            Ok(texts) => {
                                for (key, text) in texts {
                                    if !wanted.contains(key.as_str()) {
                                        continue;
                                    }
                                    if let Some(doc) = DashboardDoc::decode(&text) {
                                        found.insert(key, doc);
                                    }
                                }
                            }
                            Err(e) => {
                                failure = Some(e.message_vi());
                                break;
                            }
                        }
                    }
                }
                Err(e) => failure = Some(e.message_vi()),
            }
        }
        if found.len() == keys.len() {
            return Ok(keys.iter().filter_map(|k| found.remove(k)).collect());
        }
        let asked: HashSet<&str> = keys.iter().map(String::as_str).collect();
        let missing: Vec<String> = self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| {
                    let key = r.key();
                    asked.contains(key.as_str()) && !found.contains_key(&key)
                })
                .map(|r| {
                    format!(
                        "{} năm {} (tệp «{}»)",
                        r.commune_name, r.year, r.source_file
                    )
                })
                .collect()
        });
        if missing.is_empty() {
            return Ok(keys.iter().filter_map(|k| found.remove(k)).collect());
        }
        Err(format!(
            "Chưa lập được tệp tổng hợp: trình duyệt không còn bản đầy đủ của {} đơn vị{}. Hãy \
             nạp lại tệp của: {}.",
            missing.len(),
            failure.map_or_else(String::new, |f| format!(" ({f})")),
            missing.join("; ")
        ))
    }

    /// A stale copy must not come back on reload: when the rows cannot be written, the old
    /// ones are removed and the next visit rebuilds them from the documents.
    fn save_rows(&self) {
        let parts = self.rows.with_untracked(|rows| {
            rows.chunks(ROWS_PER_PART)
                .map(|part| serde_json::to_string(part).expect("dashboard rows serialize"))
                .collect::<Vec<String>>()
        });
        let count = self.rows.with_untracked(Vec::len);
        let found_at = self.last_change().number;
        // In one task, so nothing reads in between; the old parts go first, or old and new
        // together could exceed localStorage's 5 MiB where the new table alone fits.
        remove_rows();
        let mut writer = RowsWriter::new(count, parts.len());
        for part in &parts {
            if writer.write(part).is_err() {
                break;
            }
        }
        self.after_write(found_at, count, writer.finish());
    }

    /// The rows are the table stored under `raw`, read whole just now.
    fn read_whole(&self, raw: Option<String>) {
        let change = self.last_change().number;
        self.known_stored
            .set_value(raw.map(|list| KnownStored { list, change }));
    }

    /// Says whether the table of `count` rows could be written, and remembers it as written
    /// when it was, with the rows as they were found at change `found_at`.
    fn after_write(
        &self,
        found_at: u64,
        count: usize,
        written: Result<Option<String>, StorageError>,
    ) {
        self.fit.update_value(|fit| match &written {
            Ok(_) => fit.written(),
            Err(StorageError::QuotaExceeded) => fit.refused(count),
            Err(_) => {}
        });
        let same = self.last_change().number == found_at;
        let (known, error) = match written {
            Ok(Some(list)) if same => (
                Some(KnownStored {
                    list,
                    change: found_at,
                }),
                None,
            ),
            Ok(_) => (None, None),
            Err(e) => (None, Some(e)),
        };
        self.known_stored.set_value(known);
        self.rows_error.set(error);
    }

    /// [`Self::save_rows`] for thousands of rows: encoded in slices, each part written in a
    /// task of its own.
    async fn save_rows_sliced(&self) {
        let count = self.rows.with_untracked(Vec::len);
        let found_at = self.last_change().number;
        if !self.fit.with_value(|fit| fit.worth_writing(count)) {
            // As when it is refused: no table, and the notice that it does not fit.
            remove_rows();
            self.known_stored.set_value(None);
            self.rows_error.set(Some(StorageError::QuotaExceeded));
            return;
        }
        let mut writer = RowsWriter::new(count, count.div_ceil(ROWS_PER_PART));
        let mut slice = Slice::start();
        let mut from = 0;
        while from < count {
            let to = (from + ROWS_PER_PART).min(count);
            let mut part = String::from("[");
            for at in (from..to).step_by(ROWS_PER_ENCODE) {
                self.rows.with_untracked(|rows| {
                    for row in rows.iter().take((at + ROWS_PER_ENCODE).min(to)).skip(at) {
                        if part.len() > 1 {
                            part.push(',');
                        }
                        part.push_str(&encode_row(row));
                    }
                });
                slice.over().await;
            }
            part.push(']');
            // Rows removed meanwhile (none can be added: one import at a time): written whole
            // again below.
            if self.rows.with_untracked(Vec::len) != count || writer.write(&part).is_err() {
                break;
            }
            from = to;
            yield_now().await;
        }
        if self.rows.with_untracked(Vec::len) == count {
            self.after_write(found_at, count, writer.finish());
        } else {
            writer.abandon();
            self.save_rows();
        }
    }

    /// Writes the documents, each with its row, in parts, each its own transaction: as many as
    /// are encoded and handed over in one slice of time (at most [`DOCS_PER_WRITE`]), so that
    /// no task runs long on a slow phone.
    /// Those the browser would not store stay in this tab, where they can still be opened.
    async fn store_docs(
        &self,
        docs: HashMap<String, DashboardDoc>,
        mut rows: HashMap<String, String>,
    ) {
        if docs.is_empty() {
            return;
        }
        self.docs.set(DocsStatus::Saving);
        let keys: Vec<String> = docs.keys().cloned().collect();
        self.unsaved_docs.update_value(|u| u.extend(docs));
        // The table is painted before thousands of documents are encoded.
        next_task().await;
        let mut part: Vec<(String, String)> = Vec::new();
        let mut row_part: Vec<(String, String)> = Vec::new();
        let mut slice = Slice::start();
        for (n, key) in keys.iter().enumerate() {
            if let Some(text) = self
                .unsaved_docs
                .with_value(|u| u.get(key).map(|d| d.encode()))
            {
                part.push((key.clone(), text));
                if let Some(row) = rows.remove(key) {
                    row_part.push((key.clone(), row));
                }
            }
            let last = n + 1 == keys.len();
            // Handing a document to IndexedDB takes about twice as long as encoding it
            // (measured at 4× CPU slowdown): a third of the slice encodes.
            let full = part.len() >= DOCS_PER_WRITE || slice.due_by(1.0 / 3.0);
            if !(last || full) || part.is_empty() {
                continue;
            }
            let writes = [(DASHBOARD_DOCS, &part[..]), (DASHBOARD_ROWS, &row_part[..])];
            if let Err(e) = idb::put_all(&writes).await {
                self.docs.set(DocsStatus::Failed(e));
                return;
            }
            self.unsaved_docs.update_value(|u| {
                for (key, _) in &part {
                    u.remove(key);
                }
            });
            part.clear();
            row_part.clear();
            // The write's own wait gave the page its turn.
            slice = Slice::start();
        }
        self.docs.set(DocsStatus::Saved);
    }
}

/// How long after another tab's change the table is read again (more may follow).
const FOLLOW_AFTER_MS: i32 = 300;

/// «Xóa toàn bộ» did nothing: the table is being changed (an import, a removal, rows read back
/// from the documents) in this tab or in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearRefused;

/// The table's lock across tabs (Web Locks): imports and tables rebuilt from the documents
/// share it, a removal holds it alone and clearing only when no tab holds it.
const TABLE_LOCK: &str = ROWS_KEY;

/// This tab's hold of [`TABLE_LOCK`], let go when dropped, however the change ends. Empty
/// where the browser has no Web Locks (a page not served over HTTPS): tabs then change the
/// table unguarded, as before.
struct TableHold(Option<Held>);

impl TableHold {
    async fn take(ask: Ask) -> TableHold {
        TableHold(locks::acquire(TABLE_LOCK, ask, || {}).await)
    }
}

impl Drop for TableHold {
    fn drop(&mut self) {
        if let Some(held) = self.0.take() {
            held.release();
        }
    }
}

/// Rows encoded between two looks at the clock.
const ROWS_PER_ENCODE: usize = 200;

/// Documents read per IndexedDB transaction when the table is rebuilt from them. Each run is
/// copied into the module in one task (with 250, 110–140 ms at 4× CPU, garbage collection
/// included), then decoded and merged in slices; 125 made the table show later (9.1–11.8 s
/// rather than 8.4–9.3 s for 15,000) without shorter tasks.
const DOCS_PER_READ: usize = 250;

/// Rows read per IndexedDB transaction when the table is read back from them: a run is about
/// 0.5 MB of text, as a part of the table in localStorage.
const ROWS_PER_READ: usize = ROWS_PER_PART;

/// Unwanted rows a run may hold in a row (see [`runs_of`]): 32 rows, about 16 KB, cost less
/// than a transaction more.
const ROWS_GAP: usize = 32;

/// Unwanted documents a run may hold in a row: a document is ten times a row.
const DOCS_GAP: usize = 4;

/// Documents written per IndexedDB transaction at most, however fast they encode.
const DOCS_PER_WRITE: usize = 300;

/// Writes the table into localStorage: one array under [`ROWS_KEY`] when it fits in one part,
/// else its parts one by one and their list last (see [`RowParts`]). Whatever cannot be
/// written leaves no table at all, never a stale or partial one.
struct RowsWriter {
    count: usize,
    generation: u64,
    /// Texts of a table of one part, kept until `finish` writes it under [`ROWS_KEY`].
    single: Option<String>,
    parts: Vec<String>,
    expected: usize,
    error: Option<StorageError>,
}

impl RowsWriter {
    fn new(count: usize, parts: usize) -> RowsWriter {
        RowsWriter {
            count,
            generation: clock::now_ms() as u64,
            single: None,
            parts: Vec::new(),
            expected: parts,
            error: None,
        }
    }

    fn write(&mut self, part: &str) -> Result<(), ()> {
        if self.expected <= 1 {
            self.single = Some(part.to_string());
            return Ok(());
        }
        let key = part_key(ROWS_KEY, self.generation, self.parts.len());
        match storage::write(&key, part) {
            Ok(()) => {
                self.parts.push(key);
                Ok(())
            }
            Err(e) => {
                storage::remove(&key);
                self.error = Some(e);
                Err(())
            }
        }
    }

    /// Puts the table in place (or removes it, when something could not be written) and
    /// removes every part no longer named; the text put under [`ROWS_KEY`], if any, or the
    /// error to show.
    fn finish(self) -> Result<Option<String>, StorageError> {
        let text = match (&self.error, &self.single) {
            (Some(_), _) => None,
            (None, _) if self.count == 0 => Some(EMPTY_TABLE.to_string()),
            (None, Some(single)) => Some(single.clone()),
            (None, None) if self.parts.len() == self.expected => Some(
                serde_json::to_string(&RowParts {
                    parts: self.parts.clone(),
                    count: self.count,
                })
                .expect("a list of parts serializes"),
            ),
            (None, None) => None,
        };
        let written = match text {
            Some(text) => match storage::write(ROWS_KEY, &text) {
                Ok(()) => Ok(Some(text)),
                // No row is lost: only the sign for tabs behind (see `EMPTY_TABLE`).
                Err(_) if self.count == 0 => Ok(None),
                Err(e) => Err(e),
            },
            None => Ok(None),
        };
        if !matches!(written, Ok(Some(_))) {
            storage::remove(ROWS_KEY);
        }
        clean_parts();
        match self.error {
            Some(e) => Err(e),
            None => written,
        }
    }

    /// Stops without putting anything in place: the parts written so far go.
    fn abandon(self) {
        for key in &self.parts {
            storage::remove(key);
        }
    }
}

/// The table as stored, which other tabs of the app may have written since this one read it:
/// a change starts from it rather than from this tab's copy, or it would take back what they
/// loaded or removed. `None` when there is none (nothing loaded, a table too large for
/// localStorage, or another tab storing its import's documents): this tab's copy is all there is.
fn stored_rows() -> Option<Vec<DashboardRow>> {
    storage::read(ROWS_KEY).and_then(|raw| read_rows(&raw, storage::read))
}

/// A table read back from IndexedDB ([`rows_from_store`]).
struct Rebuilt {
    rows: Vec<DashboardRow>,
    /// Rows made from their documents, stored without a row: to be put beside them.
    from_docs: Vec<DashboardRow>,
    /// Rows whose document is gone: to be removed.
    orphans: Vec<String>,
}

/// The table read back from IndexedDB (a table too large for localStorage, or none there):
/// each document's row, else the document itself (stored before rows were). Read in runs, one
/// transaction each, each run handled in slices while the browser reads the next: read and
/// decoded at once, 15,000 documents held a phone's page for 3.6 s (two tasks of 1.5 and 2.1 s
/// at 4× CPU slowdown). `progress` hears the entries read and how many there are.
async fn rows_from_store(
    sets: &CriteriaRegistry,
    progress: &dyn Fn(usize, usize),
) -> Result<Rebuilt, IdbError> {
    rows_of_keys(stored_keys().await?, sets, progress).await
}

/// The keys of the documents and of the rows, read in one transaction.
async fn stored_keys() -> Result<StoredKeys, IdbError> {
    let mut both = idb::keys_together(&[DASHBOARD_DOCS, DASHBOARD_ROWS])
        .await?
        .into_iter();
    Ok(StoredKeys::new(
        both.next().unwrap_or_default(),
        both.next().unwrap_or_default(),
    ))
}

/// [`rows_from_store`] of the entries `keys` names.
async fn rows_of_keys(
    keys: StoredKeys,
    sets: &CriteriaRegistry,
    progress: &dyn Fn(usize, usize),
) -> Result<Rebuilt, IdbError> {
    let total = keys.count();
    progress(0, total);
    let mut rows = Vec::with_capacity(total);
    let mut merge = RowsMerge::new(&rows);
    let mut unreadable = HashSet::new();
    let read = read_runs(
        DASHBOARD_ROWS,
        &keys.row_runs(ROWS_PER_READ, ROWS_GAP),
        |entries| {
            let mut found = Vec::with_capacity(entries.len());
            for (key, text) in entries.iter().filter(|(key, _)| keys.reads_row(key)) {
                match decode_row(text) {
                    Some(row) if row.key() == *key => found.push(row),
                    _ => {
                        unreadable.insert(key.clone());
                    }
                }
            }
            merge.merge(&mut rows, found);
        },
        &|n| progress(n.min(total), total),
    )
    .await?;
    let mut from_docs = Vec::new();
    read_runs(
        DASHBOARD_DOCS,
        &keys.doc_runs(&unreadable, DOCS_PER_READ, DOCS_GAP),
        |entries| {
            let (found, _unknown_set) = rows_from_docs(
                entries
                    .iter()
                    .filter(|(key, _)| keys.reads_doc(key, &unreadable))
                    .filter_map(|(_, text)| DashboardDoc::decode(text)),
                sets,
            );
            from_docs.extend(found.iter().cloned());
            merge.merge(&mut rows, found);
        },
        &|n| progress((read + n).min(total), total),
    )
    .await?;
    Ok(Rebuilt {
        rows,
        from_docs,
        orphans: keys.orphans(),
    })
}

/// Entries handled between two looks at the clock while a run is handled.
const ENTRIES_PER_LOOK: usize = 16;

/// Reads `runs` of `store`, each in a transaction of its own while the run before is handled:
/// `handle` takes a run's entries a few at a time, a slice of time per task (the run's copy
/// into the module is a task of its own). `progress` hears how many entries are handled; the
/// count of them all comes back.
async fn read_runs(
    store: &'static str,
    runs: &[&[String]],
    mut handle: impl FnMut(&[(String, String)]),
    progress: &dyn Fn(usize),
) -> Result<usize, IdbError> {
    let mut runs = runs.iter();
    let Some(first) = runs.next() else {
        return Ok(0);
    };
    let mut texts = idb::get_run(store, first).await?;
    let mut done = 0;
    loop {
        let next = runs.next();
        let read = async {
            match next {
                Some(run) => Some(idb::get_run(store, run).await),
                None => None,
            }
        };
        let work = async {
            let mut slice = Slice::start();
            let mut from = 0;
            while from < texts.len() {
                slice.turn().await;
                let start = from;
                while from < texts.len() && (from == start || !slice.due()) {
                    let to = (from + ENTRIES_PER_LOOK).min(texts.len());
                    handle(&texts[from..to]);
                    from = to;
                }
                progress(done + from);
            }
        };
        let (read, ()) = tick::meanwhile(read, work).await;
        done += texts.len();
        match read {
            Some(read) => texts = read?,
            None => return Ok(done),
        }
    }
}

/// Puts the rows made from documents stored without one beside them, so that the next
/// opening reads rows (the first opening after rows began to be stored reads every document
/// once), and removes rows whose document is gone. Each row is written only where its key
/// still has none: a tab that stored the document again meanwhile stored its row with it.
/// Written after the table is shown; a failure leaves the documents to be read next time.
async fn put_rows_back(from_docs: Vec<DashboardRow>, orphans: Vec<String>) {
    if !orphans.is_empty() && idb::delete_all(&[DASHBOARD_ROWS], &orphans).await.is_err() {
        return;
    }
    let mut part: Vec<(String, String)> = Vec::new();
    let mut slice = Slice::start();
    for (n, row) in from_docs.iter().enumerate() {
        part.push((row.key(), encode_row(row)));
        let last = n + 1 == from_docs.len();
        if last || part.len() >= DOCS_PER_WRITE || slice.due_by(1.0 / 3.0) {
            if idb::put_absent(DASHBOARD_ROWS, &part).await.is_err() {
                return;
            }
            part.clear();
            slice = Slice::start();
        }
    }
}

/// [`stored_rows`] from `raw`, the text read under [`ROWS_KEY`], a part per task.
async fn stored_rows_sliced(raw: Option<&str>) -> Option<Vec<DashboardRow>> {
    match StoredTable::read(raw?)? {
        StoredTable::Rows(rows) => Some(rows),
        StoredTable::Parts(list) => read_parts(&list).await,
    }
}

/// The rows of a table stored in parts, a part per task: read at once, the ten parts of 10,000
/// rows held a phone's page for 300 ms. A part gone meanwhile was replaced by another tab's
/// table (written under new keys, then the old ones removed): that one is read, whole.
async fn read_parts(list: &RowParts) -> Option<Vec<DashboardRow>> {
    let mut rows = Vec::with_capacity(list.count);
    for key in &list.parts {
        yield_now().await;
        match storage::read(key) {
            Some(text) => rows.extend(RowParts::read_part(&text)?),
            None => return stored_rows(),
        }
    }
    list.complete(rows)
}

/// Removes the parts of the table the list under [`ROWS_KEY`] does not name.
fn clean_parts() {
    let keys = storage::keys_with_prefix(&format!("{ROWS_KEY}/"));
    for key in stale_parts(keys, storage::read(ROWS_KEY).as_deref()) {
        storage::remove(&key);
    }
}

/// Removes the table from localStorage, parts and all.
fn remove_rows() {
    storage::remove(ROWS_KEY);
    clean_parts();
}

/// What merging `merges` into a table of `before` rows did: added rows after them, unless one
/// took the place of a row there.
fn added_after(before: usize, merges: &[Merge]) -> Changed {
    if merges.iter().any(|m| matches!(m, Merge::Replaced(_))) {
        Changed::Other
    } else {
        Changed::AddedAfter(before)
    }
}
