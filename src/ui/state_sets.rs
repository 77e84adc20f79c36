//! The criteria sets of this browser: kept across visits, added from the site or a file,
//! removed only when no stored assessment uses them, and newer versions announced.
//!
//! Reading them (the built-in set parsed and checked, the kept ones, the site's) is in the
//! screens' part of the module (`views/parts.rs`), fetched on first need (docs/architecture.md,
//! «Tải theo nhu cầu»): Home needs a set only to score its cards, so a first visit, with nothing
//! stored, never fetches it before Home; every other screen needs that part anyway.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::adapters::{clock, criteria_store, published};
use crate::domain::appraisal::Appraisal;
use crate::domain::assessment::Assessment;
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::{
    store_key, Added, CriteriaRegistry, Refused, RegisteredSet, RemoveRefused, SetOrigin,
};
use crate::domain::scoring::{score, AssessmentScore};
use crate::ui::on_demand::{part_entry, NotLoaded};
use crate::ui::state::{AppState, SetsStatus, Tone};
use crate::ui::state_doc::Doc;
use crate::ui::state_load::Opened;
use crate::ui::state_sync::compact;

type Task = Pin<Box<dyn Future<Output = ()>>>;
/// The entries set aside, with why.
type Recovering = Pin<Box<dyn Future<Output = Vec<(String, String)>>>>;

/// The entry points, in the screens' part, that read criteria sets, and the rest of the start
/// when something is stored (both are needed as soon as Home has an assessment to score) or
/// was left behind by a closed tab, and the writing of changes.
#[derive(Clone, Copy)]
pub struct SetsPart {
    read: fn(AppState) -> Task,
    /// Checks a set file the user chose (its name, its text) and keeps the set.
    pub import_file: fn(AppState, String, String) -> Task,
    /// Reads every stored assessment: [`AppState::load_stored`].
    pub load_stored: fn(AppState, Opened) -> Task,
    /// Writes what closed tabs left behind: [`AppState::recover_left_behind`].
    pub recover_left_behind: fn(AppState, Option<String>, bool) -> Recovering,
    /// Writes a document's waiting changes: [`AppState::flush_loop`].
    pub flush: fn(AppState, Doc) -> Task,
    /// A new snapshot of a document, if worth it: [`compact`].
    pub compact: fn(Doc) -> Task,
    /// Scores an assessment ([`score`]) for Home's cards, which are scored once the sets are read.
    pub score: fn(&CriteriaSet, &Assessment) -> AssessmentScore,
    /// The line of a card about the appraisal received for it
    /// ([`card_line`](crate::ui::views::appraisal_received::card_line)).
    pub appraisal_line: fn(&Appraisal, &CriteriaSet, Option<&Assessment>) -> String,
}

impl SetsPart {
    /// The part, once the sets are read through it (whenever [`SetsStatus::is_read`]).
    pub fn loaded() -> Option<SetsPart> {
        PART.with(Cell::get)
    }

    /// The part for code that the part itself may run (writing, recovering what closed tabs
    /// left): at once when it is there, otherwise fetched with the sets by the main module's
    /// [`AppState::read_sets`], given at the start ([`allow_fetching`]). A part must not call a
    /// `#[wasm_split]` function itself: a build without the split could not link its loader.
    pub async fn get(state: AppState) -> Result<SetsPart, NotLoaded> {
        if let Some(part) = SetsPart::loaded() {
            return Ok(part);
        }
        match FETCH.with(Cell::get) {
            Some(fetch) => fetch(state).await,
            None => Err(NotLoaded),
        }
    }
}

type Fetching = Pin<Box<dyn Future<Output = Result<SetsPart, NotLoaded>>>>;
type Fetch = fn(AppState) -> Fetching;

/// Gives [`SetsPart::get`] the way to fetch the part: called once by the app's root.
pub fn allow_fetching() {
    FETCH.with(|f| {
        f.set(Some(|state| {
            Box::pin(async move { state.read_sets().await })
        }))
    });
}

thread_local! {
    static PART: Cell<Option<SetsPart>> = const { Cell::new(None) };
    static FETCH: Cell<Option<Fetch>> = const { Cell::new(None) };
    /// The read in flight or done, shared by everything that waits for the sets; dropped when
    /// it fails, so that asking again tries again.
    static READ: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn sets_part() -> Result<SetsPart, NotLoaded> {
    Ok(entries())
}

/// For a state whose sets are given rather than read ([`AppState::new`]: tests and benchmarks,
/// whose builds have no split): the part's entry points at hand, as once the sets are read.
pub(super) fn at_hand() {
    PART.with(|p| p.set(Some(entries())));
}

/// The part's entry points, as [`sets_part`] gives them once the part is fetched.
fn entries() -> SetsPart {
    SetsPart {
        read: |state| Box::pin(read_all(state)),
        import_file: |state, name, text| {
            Box::pin(crate::ui::views::set_import::import(state, name, text))
        },
        load_stored: |state, opened| Box::pin(async move { state.load_stored(opened).await }),
        flush: |state, doc| Box::pin(async move { state.flush_loop(&doc).await }),
        compact: |doc| Box::pin(async move { compact(&doc).await }),
        recover_left_behind: |state, only, holding| {
            Box::pin(async move { state.recover_left_behind(only.as_deref(), holding).await })
        },
        score,
        appraisal_line: crate::ui::views::appraisal_received::card_line,
    }
}

impl AppState {
    /// The sets, read once per visit (every caller awaits the same read), and their part.
    pub async fn read_sets(&self) -> Result<SetsPart, NotLoaded> {
        let state = *self;
        let (read, started) = READ.with(|slot| {
            let mut slot = slot.borrow_mut();
            match slot.as_ref() {
                Some(read) => (read.clone(), false),
                None => {
                    let read = future_to_promise(async move {
                        let part = part_entry(&PART, sets_part)
                            .await
                            .map_err(|NotLoaded| JsValue::NULL)?;
                        (part.read)(state).await;
                        Ok(JsValue::UNDEFINED)
                    });
                    *slot = Some(read.clone());
                    (read, true)
                }
            }
        });
        if started {
            self.sets_status.set(SetsStatus::Reading);
        }
        match JsFuture::from(read).await {
            Ok(_) => PART.with(Cell::get).ok_or(NotLoaded),
            Err(_) => {
                READ.with(|slot| slot.borrow_mut().take());
                self.sets_status.set(SetsStatus::Failed);
                Err(NotLoaded)
            }
        }
    }

    /// [`AppState::read_sets`] in the background, for what only has to start it.
    pub fn want_sets(&self) {
        let state = *self;
        if matches!(
            state.sets_status.get_untracked(),
            SetsStatus::NotRead | SetsStatus::Failed
        ) {
            leptos::task::spawn_local(async move {
                let _ = state.read_sets().await;
            });
        }
    }

    /// Adds a set and keeps it in this browser; a set already known is not written again.
    pub async fn add_set(&self, set: CriteriaSet, origin: SetOrigin) -> Result<Added, Refused> {
        let (id, version) = (set.id.clone(), set.version.clone());
        let mut outcome = Ok(Added::AlreadyKnown);
        self.sets
            .update(|sets| outcome = sets.add(set, origin, clock::now_ms()));
        if outcome == Ok(Added::New) {
            let kept = self
                .sets
                .with_untracked(|sets| sets.get(&id, &version).and_then(RegisteredSet::to_stored));
            if let Some(kept) = kept {
                let text = serde_json::to_string(&kept).expect("a set is plain data");
                if let Err(e) = criteria_store::save_set(&store_key(&id, &version), &text).await {
                    self.notify(
                        format!(
                            "Bộ tiêu chí «{id}» phiên bản {version} dùng được trong thẻ này nhưng \
                             chưa lưu được trên máy: {}",
                            e.message_vi()
                        ),
                        Tone::Warning,
                    );
                }
            }
        }
        outcome
    }

    /// Fills in the content hash of an assessment's set when the assessment was made before
    /// sets had one and this browser has the set.
    pub fn record_set_hash(&self, assessment: &mut crate::domain::assessment::Assessment) {
        if assessment.criteria_set.hash.is_none() {
            let hash = self
                .sets
                .with_untracked(|sets| sets.find(&assessment.criteria_set).map(|r| r.hash.clone()));
            assessment.criteria_set.hash = hash;
        }
    }

    /// How many stored assessments use this set version.
    pub fn assessments_using(&self, id: &str, version: &str) -> usize {
        self.docs()
            .iter()
            .filter(|d| {
                d.info()
                    .with(|a| a.criteria_set.id == id && a.criteria_set.version == version)
            })
            .count()
    }

    /// Forgets a set, unless built in or used by a stored assessment.
    pub async fn remove_set(&self, id: &str, version: &str) -> Result<(), RemoveRefused> {
        let in_use = self.assessments_using(id, version);
        let mut outcome = Err(RemoveRefused::NotFound);
        self.sets
            .update(|sets| outcome = sets.remove(id, version, in_use).map(|_| ()));
        if outcome.is_ok() {
            criteria_store::remove_set(&store_key(id, version)).await;
        }
        outcome
    }

    /// Tells the user, once per newer set version, how many assessments still use an older
    /// one: they keep their version and score until the user moves them.
    pub fn announce_newer_versions(&self) {
        let mut counts: Vec<((String, String), usize)> = Vec::new();
        let all = untrack(|| self.docs());
        self.sets.with_untracked(|sets| {
            for doc in &all {
                let wanted = doc.info().with_untracked(|a| a.criteria_set.clone());
                let Some(newer) = sets.newer_than(&wanted) else {
                    continue;
                };
                let key = (newer.set.id.clone(), newer.set.version.clone());
                match counts.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((key, 1)),
                }
            }
        });
        for ((id, version), count) in counts {
            self.notify(
                format!(
                    "Đã có bộ tiêu chí «{id}» phiên bản {version} mới hơn. {count} bản tự đánh giá \
                     trên máy này vẫn chấm theo phiên bản cũ và giữ nguyên điểm; mở từng bản để \
                     xem điểm thay đổi thế nào rồi quyết định có chuyển sang phiên bản mới hay \
                     không."
                ),
                Tone::Info,
            );
        }
    }
}

/// In the part: the built-in sets and those kept in this browser (a damaged one is reported
/// and left as it is), then, without holding up the screens, the sets the site publishes.
async fn read_all(state: AppState) {
    let mut sets = CriteriaRegistry::builtin();
    for raw in criteria_store::load_sets().await {
        if let Err(e) = sets.restore(&raw) {
            state.notify(e.to_string(), Tone::Warning);
        }
    }
    state.sets.set(sets);
    state.sets_status.set(SetsStatus::Read);
    leptos::task::spawn_local(async move {
        for (file, outcome) in published::load_published_sets().await {
            match outcome {
                Ok(set) => add_published_set(state, set, file).await,
                Err(message) => state.notify(message, Tone::Warning),
            }
        }
        state.sets_status.set(SetsStatus::Published);
        // Otherwise the end of the start announces them, once every assessment is read.
        if state.ready.get_untracked() {
            state.announce_newer_versions();
        }
    });
}

/// A set published on the hosting site joins the known ones. The same id and version with
/// another content is refused out loud: a released version is frozen, so a corrected file must
/// carry a new version.
async fn add_published_set(state: AppState, set: CriteriaSet, file: String) {
    let origin = SetOrigin::Published { file: file.clone() };
    if let Err(refused) = state.add_set(set, origin).await {
        state.notify(
            format!("Bộ tiêu chí «{file}» do trang web đăng tải không được dùng. {refused}"),
            Tone::Warning,
        );
    }
}
