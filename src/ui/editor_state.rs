//! The criteria-set editor's state, provided through context: the draft with its undo history,
//! saved after every change; the validator's problems and the worked examples' results,
//! recomputed on every change; the answers typed into the preview.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::{clock, criteria_store, focus};
use crate::domain::assessment::{Answer, CriteriaSetRef};
use crate::domain::criteria::{CriteriaSet, Criterion, Example};
use crate::domain::criteria_edit::{Draft, Editor};
use crate::domain::criteria_examples::{run_examples, ExampleRun};
use crate::domain::criteria_registry::content_hash;
use crate::domain::criteria_validate::{validate, CriteriaError, Field, Place};
use crate::ui::state::AppState;

/// What the editor's save line says.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftSave {
    Idle,
    Saved { at_ms: f64 },
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct EditorState {
    /// `None` while there is no draft.
    pub editor: RwSignal<Option<Editor>>,
    /// The stored draft has been read (or there was none).
    pub loaded: RwSignal<bool>,
    pub save: RwSignal<DraftSave>,
    /// A stored draft that could not be read, kept as is for the user.
    pub unreadable: RwSignal<Option<String>>,
    /// Changes when the structure changes: lists drawn by position redraw on it. They read it
    /// (`get`): a memo only tracked is never computed, and then passes no change on.
    pub shape: Memo<u64>,
    /// Both [`settled`]: hundreds of fields show their errors.
    pub errors: RwSignal<Vec<CriteriaError>>,
    pub runs: RwSignal<Vec<ExampleRun>>,
    /// The draft's id and version are a released set of this browser with another content.
    pub frozen_clash: Memo<Option<String>>,
    /// Answers typed into the preview, by item id.
    pub preview: RwSignal<BTreeMap<String, Answer>>,
    /// The folded parts the user opened ("tc-3", "vd-2"), kept across redraws.
    pub opened: RwSignal<Vec<String>>,
}

/// Where the editor's state is kept: made on first use, under the app's root so that it lasts
/// across screens, by the criteria screens' part (its checks stay out of the first download).
#[derive(Clone)]
pub struct EditorSlot {
    owner: Owner,
    app: AppState,
    made: StoredValue<Option<EditorState>>,
}

impl EditorSlot {
    /// At the app's root.
    pub fn new(app: AppState) -> EditorSlot {
        EditorSlot {
            owner: Owner::current().expect("the editor's slot is made under the app's root"),
            app,
            made: StoredValue::new(None),
        }
    }
}

pub fn use_editor() -> EditorState {
    let slot = expect_context::<EditorSlot>();
    if let Some(made) = slot.made.get_value() {
        return made;
    }
    let made = slot.owner.with(|| EditorState::new(slot.app));
    slot.made.set_value(Some(made));
    made
}

impl EditorState {
    pub fn new(app: AppState) -> EditorState {
        let editor: RwSignal<Option<Editor>> = RwSignal::new(None);
        let shape = Memo::new(move |_| editor.with(|e| e.as_ref().map_or(0, |e| e.shape)));
        let errors = settled(move || {
            editor.with(|e| {
                e.as_ref()
                    .and_then(|e| validate(&e.set).err())
                    .unwrap_or_default()
            })
        });
        let runs = settled(move || {
            editor.with(|e| e.as_ref().map(|e| run_examples(&e.set)).unwrap_or_default())
        });
        let frozen_clash = Memo::new(move |_| {
            editor.with(|e| {
                let set = &e.as_ref()?.set;
                app.sets.with(|sets| {
                    let known = sets.get(&set.id, &set.version)?;
                    // Hashed only for a released id and version: hashing the whole set at every
                    // keystroke cost more than the rest of the keystroke.
                    (known.hash != content_hash(set)).then(|| {
                        format!(
                            "Phiên bản {} của bộ «{}» đã có trên máy này ({}) với nội dung \
                             khác. Một phiên bản đã phát hành thì không được sửa: hãy đặt phiên \
                             bản mới.",
                            set.version,
                            set.id,
                            known.origin.label_vi()
                        )
                    })
                })
            })
        });
        EditorState {
            editor,
            loaded: RwSignal::new(false),
            save: RwSignal::new(DraftSave::Idle),
            unreadable: RwSignal::new(None),
            shape,
            errors,
            runs,
            frozen_clash,
            preview: RwSignal::new(BTreeMap::new()),
            opened: RwSignal::new(Vec::new()),
        }
    }

    pub fn is_open(&self, key: &str) -> bool {
        self.opened.with(|o| o.iter().any(|k| k == key))
    }

    pub fn set_open(&self, key: &str, open: bool) {
        if open != self.opened.with_untracked(|o| o.iter().any(|k| k == key)) {
            self.opened.update(|o| {
                o.retain(|k| k != key);
                if open {
                    o.push(key.to_string());
                }
            });
        }
    }

    /// How many problems the validator finds in criterion `number` (1-based) and its items.
    pub fn problems_in_criterion(&self, number: usize) -> usize {
        self.errors.with(|all| {
            all.iter()
                .filter(|e| match PlaceKey::of(&e.anchor().0) {
                    PlaceKey::Criterion(c) | PlaceKey::Item(c, _) => c == number,
                    _ => false,
                })
                .count()
        })
    }

    /// Problems that keep the draft from being exported: the validator's, the worked examples
    /// that fail, a released version edited in place.
    pub fn problem_count(&self) -> usize {
        self.errors.with(Vec::len)
            + self.runs.with(|r| r.iter().filter(|r| !r.passed()).count())
            + usize::from(self.frozen_clash.with(Option::is_some))
    }

    /// Reads the stored draft once.
    pub fn ensure_loaded(&self) {
        if self.loaded.get_untracked() {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if let Some(raw) = criteria_store::load_draft().await {
                match serde_json::from_str::<Draft>(&raw) {
                    Ok(draft) => this.editor.set(Some(Editor::from_draft(draft))),
                    Err(_) => this.unreadable.set(Some(raw)),
                }
            }
            this.loaded.set(true);
        });
    }

    /// Starts a new draft (the caller has confirmed replacing any current one).
    pub fn start(&self, set: CriteriaSet, base: Option<CriteriaSetRef>) {
        self.preview.set(BTreeMap::new());
        self.unreadable.set(None);
        self.editor.set(Some(Editor::new(set, base)));
        self.persist();
    }

    pub fn discard(&self) {
        self.editor.set(None);
        self.preview.set(BTreeMap::new());
        self.unreadable.set(None);
        self.save.set(DraftSave::Idle);
        leptos::task::spawn_local(criteria_store::clear_draft());
    }

    /// A change typed into the field `key`: consecutive ones are one undo step.
    pub fn type_into(&self, key: &str, what: &str, change: impl FnOnce(&mut CriteriaSet)) {
        self.apply(Some(key), what, &mut Some(change));
    }

    /// A change of structure or a choice: one undo step.
    pub fn change(&self, what: &str, change: impl FnOnce(&mut CriteriaSet)) {
        self.apply(None, what, &mut Some(change));
    }

    /// Every change goes through here, through a `dyn`: one copy of the signal's update code
    /// for all the editor's fields rather than one per field, which would weigh on the
    /// download.
    fn apply(&self, typing: Option<&str>, what: &str, change: &mut dyn ChangeOnce) {
        if typing.is_none() {
            // A change of structure redraws the lists, and with them the control that made it
            // (a select, a check box): the focus goes back to the control of the same id.
            if let Some(control) = focus::current().filter(|e| !e.id().is_empty()) {
                focus::later_first(vec![format!("#{}", control.id())], Some(control));
            }
        }
        self.editor.update(|e| {
            if let Some(e) = e {
                match typing {
                    Some(key) => e.type_into(key, what, |s| change.run(s)),
                    None => e.change(what, |s| change.run(s)),
                }
            }
        });
        self.persist();
    }

    pub fn undo(&self) {
        self.editor.update(|e| {
            if let Some(e) = e {
                e.undo();
            }
        });
        self.persist();
    }

    fn persist(&self) {
        let now = clock::now_ms();
        let Some(draft) = self
            .editor
            .with_untracked(|e| e.as_ref().map(|e| e.to_draft(now)))
        else {
            return;
        };
        let text = serde_json::to_string(&draft).expect("a draft is plain data");
        let save = self.save;
        leptos::task::spawn_local(async move {
            save.set(match criteria_store::save_draft(&text).await {
                Ok(()) => DraftSave::Saved { at_ms: now },
                Err(e) => DraftSave::Failed(e.message_vi()),
            });
        });
    }

    /// A value of the draft, for a field; empty while there is no draft.
    pub fn read<T: Clone + Default + PartialEq + Send + Sync + 'static>(
        &self,
        get: impl Fn(&CriteriaSet) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<T> {
        read_dyn(self.editor, Arc::new(get))
    }

    /// Criterion `index` of the draft, for the fields that show it (see [`Part`]).
    pub fn criterion(&self, index: usize) -> Part<Criterion> {
        self.part(move |s| s.criteria.get(index).cloned())
    }

    /// Worked example `index` of the draft, for the fields that show it (see [`Part`]).
    pub fn example(&self, index: usize) -> Part<Example> {
        self.part(move |s| s.examples.get(index).cloned())
    }

    /// What `get` makes of the draft, as a [`Part`].
    pub fn part<P: Clone + PartialEq + Send + Sync + 'static>(
        &self,
        get: impl Fn(&CriteriaSet) -> Option<P> + Send + Sync + 'static,
    ) -> Part<P> {
        let (editor, get): (_, Getter<CriteriaSet, P>) = (self.editor, Arc::new(get));
        let read = get.clone();
        Part {
            value: settled(move || editor.with(|e| e.as_ref().and_then(|e| read(&e.set)))),
            editor,
            get: StoredValue::new(get),
        }
    }

    /// A callback for a field typed into: `key` names the field (consecutive changes there are
    /// one undo step), `what` says what changes.
    pub fn typed<T: 'static>(
        &self,
        key: String,
        what: String,
        set: impl Fn(&mut CriteriaSet, T) + Send + Sync + 'static,
    ) -> Callback<T> {
        let this = *self;
        let set: Setter<T> = Arc::new(set);
        Callback::new(move |value: T| this.type_into(&key, &what, |s| set(s, value)))
    }

    /// A callback for a choice or a number: each change is an undo step of its own.
    pub fn chosen<T: 'static>(
        &self,
        what: String,
        set: impl Fn(&mut CriteriaSet, T) + Send + Sync + 'static,
    ) -> Callback<T> {
        let this = *self;
        let set: Setter<T> = Arc::new(set);
        Callback::new(move |value: T| this.change(&what, |s| set(s, value)))
    }

    /// The validator's messages about one field of one place, without the place (the field
    /// shows it already).
    pub fn errors_at(&self, place: PlaceKey, field: Field) -> Signal<Vec<String>> {
        let errors = self.errors;
        Signal::derive(move || {
            errors.with(|all| {
                all.iter()
                    .filter(|e| {
                        let (p, f) = e.anchor();
                        PlaceKey::of(&p) == place && (f == field || same_field(f, field))
                    })
                    .map(short_message)
                    .collect()
            })
        })
    }
}

/// What `compute` gives, kept in a signal that is set only when the value differs. Unlike a
/// memo's, its subscribers are not woken to check it at every change of its sources: with
/// hundreds of them (the editor's fields), waking them cost more than the keystroke's own work.
fn settled<T: Clone + PartialEq + Send + Sync + 'static>(
    compute: impl Fn() -> T + Send + Sync + 'static,
) -> RwSignal<T> {
    let value = RwSignal::new(untrack(&compute));
    Effect::new(move |_| {
        let now = compute();
        if value.with_untracked(|v| *v != now) {
            value.set(now);
        }
    });
    value
}

/// One part of the draft (a criterion, a worked example) as a signal of its own, provided
/// through context to the fields drawn inside it, which read it rather than the whole draft, and
/// [`settled`]: a keystroke then reaches the fields of its own part and no others. (When every
/// field read the draft through its own memo, each keystroke woke all of them — about a
/// thousand effects — and each memo that ran again left and rejoined the draft's list of
/// subscribers, at a cost in the length of that list; a memo per part would still have passed
/// the check on to every field below it.)
pub struct Part<P: Send + Sync + 'static> {
    value: RwSignal<Option<P>>,
    editor: RwSignal<Option<Editor>>,
    get: StoredValue<Getter<CriteriaSet, P>>,
}

impl<P: Send + Sync + 'static> Clone for Part<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: Send + Sync + 'static> Copy for Part<P> {}

impl<P: Clone + PartialEq + Send + Sync + 'static> Part<P> {
    /// The part provided (`<Provider value=part>`) around the caller.
    pub fn current() -> Part<P> {
        expect_context::<Part<P>>()
    }

    /// A value of the part, for a field; empty while there is none.
    pub fn read<T: Clone + Default + PartialEq + Send + Sync + 'static>(
        self,
        get: impl Fn(&P) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<T> {
        read_part(self.value, Arc::new(get))
    }

    /// Reads the part, tracked, as it is now.
    pub fn with<T>(self, f: impl FnOnce(Option<&P>) -> T) -> T {
        self.value.with(|p| f(p.as_ref()))
    }

    /// The whole part, for a component that takes a signal; empty while there is none.
    pub fn whole(self) -> Signal<P>
    where
        P: Default,
    {
        let part = self.value;
        Signal::derive(move || part.get().unwrap_or_default())
    }

    /// Reads the part from the draft as it is now, untracked: for what a component reads once
    /// when drawn, as the signal catches up with the draft only after the change that may have
    /// caused the drawing.
    pub fn with_untracked<T>(self, f: impl FnOnce(Option<&P>) -> T) -> T {
        let get = self.get.get_value();
        self.editor
            .with_untracked(|e| f(e.as_ref().and_then(|e| get(&e.set)).as_ref()))
    }
}

/// See [`read_dyn`].
fn read_part<P, T>(part: RwSignal<Option<P>>, get: Getter<P, T>) -> Signal<T>
where
    P: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + Default + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| part.with(|p| p.as_ref().and_then(|p| get(p)).unwrap_or_default())).into()
}

/// A change applied once, behind a `dyn` (see [`EditorState::apply`]).
trait ChangeOnce {
    fn run(&mut self, set: &mut CriteriaSet);
}

impl<F: FnOnce(&mut CriteriaSet)> ChangeOnce for Option<F> {
    fn run(&mut self, set: &mut CriteriaSet) {
        if let Some(change) = self.take() {
            change(set);
        }
    }
}

/// One writing closure type for every field of a type: see [`EditorState::apply`].
type Setter<T> = Arc<dyn Fn(&mut CriteriaSet, T) + Send + Sync>;

/// One reading closure type for every field of a type, from the draft or a part of it: see
/// [`EditorState::apply`].
type Getter<S, T> = Arc<dyn Fn(&S) -> Option<T> + Send + Sync>;

/// A memo: a keystroke elsewhere in the draft recomputes it but leaves its field as it is.
fn read_dyn<T: Clone + Default + PartialEq + Send + Sync + 'static>(
    editor: RwSignal<Option<Editor>>,
    get: Getter<CriteriaSet, T>,
) -> Signal<T> {
    Memo::new(move |_| editor.with(|e| e.as_ref().and_then(|e| get(&e.set)).unwrap_or_default()))
        .into()
}

/// A provenance's source and note are one text field in the editor.
fn same_field(a: Field, b: Field) -> bool {
    let provenance = [Field::ProvenanceSource, Field::ProvenanceNote];
    provenance.contains(&a) && provenance.contains(&b)
}

/// A message without its leading place ("Tiêu chí 3, mục 3.1: …" → "…").
fn short_message(error: &CriteriaError) -> String {
    let full = error.to_string();
    let place = error.anchor().0.to_string();
    full.strip_prefix(&format!("{place}: "))
        .or_else(|| full.strip_prefix("Bộ tiêu chí: "))
        .map_or_else(|| full.clone(), str::to_string)
}

/// A place by position, stable while the user edits ids and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKey {
    Set,
    LegalBasis,
    Unit(usize),
    Criterion(usize),
    Item(usize, usize),
    Example(usize),
}

impl PlaceKey {
    /// Positions are 1-based, as in the validator's places.
    pub fn of(place: &Place) -> PlaceKey {
        match place {
            Place::Set => PlaceKey::Set,
            Place::LegalBasis => PlaceKey::LegalBasis,
            Place::UnitCategory { position, .. } => PlaceKey::Unit(*position),
            Place::Criterion { position, .. } => PlaceKey::Criterion(*position),
            Place::Item {
                criterion_position,
                position,
                ..
            } => PlaceKey::Item(*criterion_position, *position),
            Place::Example { position, .. } => PlaceKey::Example(*position),
        }
    }

    /// The DOM id of one of its fields, so a problem in the list can take the user there.
    pub fn dom_id(self, field: Field) -> String {
        let place = match self {
            PlaceKey::Set => "bo".to_string(),
            PlaceKey::LegalBasis => "can-cu".to_string(),
            PlaceKey::Unit(u) => format!("loai-{u}"),
            PlaceKey::Criterion(c) => format!("tc-{c}"),
            PlaceKey::Item(c, i) => format!("tc-{c}-muc-{i}"),
            PlaceKey::Example(e) => format!("vd-{e}"),
        };
        format!("soan-{place}-{field:?}")
    }
}
