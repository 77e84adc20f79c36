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
    pub errors: Memo<Vec<CriteriaError>>,
    pub runs: Memo<Vec<ExampleRun>>,
    /// The draft's id and version are a released set of this browser with another content.
    pub frozen_clash: Memo<Option<String>>,
    /// Answers typed into the preview, by item id.
    pub preview: RwSignal<BTreeMap<String, Answer>>,
    /// The folded parts the user opened ("tc-3", "vd-2"), kept across redraws.
    pub opened: RwSignal<Vec<String>>,
    /// What each criterion and worked example was at the last change: see [`Part`].
    marks: StoredValue<Marks>,
    /// See [`EditorState::errors_at`].
    field_problems: StoredValue<FieldProblems>,
    /// The set's items and criteria as choices for the worked examples' selects: one list of
    /// each for all of them, set after a change only when it changed (a memo of the draft would
    /// wake the examples' hundred selects at every keystroke).
    pub item_choices: RwSignal<Choices>,
    pub criterion_choices: RwSignal<Choices>,
}

/// A criterion or a worked example of the draft, by position. The fields drawn inside one read
/// the draft only when it changes ([`EditorState::read_in`]), so a keystroke wakes the fields
/// of one part, not the editor's hundreds. (When every field read the whole draft, each
/// keystroke woke about a thousand effects, and each field's memo left and rejoined the draft's
/// list of subscribers, at a cost in the length of that list: two thirds of the time a
/// keystroke spent in the module.)
#[derive(Clone, Copy)]
pub enum Part {
    Criterion(usize),
    Example(usize),
}

/// Per part, a copy of it at the last change and the trigger its fields track. Only grows: a
/// field of a part that went keeps a trigger that is never fired.
#[derive(Default)]
struct Marks {
    criteria: Vec<(Option<Criterion>, ArcTrigger)>,
    examples: Vec<(Option<Example>, ArcTrigger)>,
}

impl Marks {
    fn trigger(&mut self, part: Part) -> ArcTrigger {
        match part {
            Part::Criterion(i) => slot(&mut self.criteria, i).1.clone(),
            Part::Example(i) => slot(&mut self.examples, i).1.clone(),
        }
    }

    /// Records every part of `set` (`None`: no draft), and gives the triggers of those that
    /// changed. Compared, and copied only when changed: writing each part as JSON to compare
    /// it cost a millisecond of every keystroke at 4× CPU.
    fn record(&mut self, set: Option<&CriteriaSet>) -> Vec<ArcTrigger> {
        let mut changed = Vec::new();
        record_list(
            &mut self.criteria,
            set.map_or(&[], |s| &s.criteria),
            &mut changed,
        );
        record_list(
            &mut self.examples,
            set.map_or(&[], |s| &s.examples),
            &mut changed,
        );
        changed
    }
}

fn slot<T>(list: &mut Vec<(Option<T>, ArcTrigger)>, at: usize) -> &mut (Option<T>, ArcTrigger) {
    while list.len() <= at {
        list.push((None, ArcTrigger::new()));
    }
    &mut list[at]
}

fn record_list<T: Clone + PartialEq>(
    marks: &mut Vec<(Option<T>, ArcTrigger)>,
    now: &[T],
    changed: &mut Vec<ArcTrigger>,
) {
    for at in 0..now.len().max(marks.len()) {
        let part = now.get(at);
        let slot = slot(marks, at);
        if slot.0.as_ref() != part {
            slot.0 = part.cloned();
            changed.push(slot.1.clone());
        }
    }
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
        let errors = Memo::new(move |_| {
            editor.with(|e| {
                e.as_ref()
                    .and_then(|e| validate(&e.set).err())
                    .unwrap_or_default()
            })
        });
        let runs = Memo::new(move |_| {
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
        let marks = StoredValue::new(Marks::default());
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
            marks,
            field_problems: StoredValue::new(Vec::new()),
            item_choices: RwSignal::new(Vec::new()),
            criterion_choices: RwSignal::new(Vec::new()),
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
                    Ok(draft) => {
                        this.editor.set(Some(Editor::from_draft(draft)));
                        this.mark_changes();
                    }
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
        self.mark_changes();
        self.persist();
    }

    pub fn discard(&self) {
        self.editor.set(None);
        self.mark_changes();
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
        self.mark_changes();
        self.persist();
    }

    pub fn undo(&self) {
        self.editor.update(|e| {
            if let Some(e) = e {
                e.undo();
            }
        });
        self.mark_changes();
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
        read_dyn(self.editor, None, Arc::new(get))
    }

    /// A value of `part`, for a field drawn inside it: read again only when the part changes.
    /// `get` reads nothing outside the part.
    pub fn read_in<T: Clone + Default + PartialEq + Send + Sync + 'static>(
        &self,
        part: Part,
        get: impl Fn(&CriteriaSet) -> Option<T> + Send + Sync + 'static,
    ) -> Signal<T> {
        read_dyn(self.editor, Some(self.mark(part)), Arc::new(get))
    }

    /// Reads the draft, tracking only `part`: `f` reads nothing outside the part.
    pub fn with_part<R>(&self, part: Part, f: impl FnOnce(Option<&CriteriaSet>) -> R) -> R {
        self.mark(part).track();
        self.editor
            .with_untracked(|e| f(e.as_ref().map(|e| &e.set)))
    }

    /// After every change of the draft (all of them are made here): wakes the fields of the
    /// parts that changed. Done at once rather than in an effect: an effect weighs a KB and a
    /// half of the download.
    fn mark_changes(&self) {
        let changed = self.editor.with_untracked(|e| {
            self.marks
                .try_update_value(|m| m.record(e.as_ref().map(|e| &e.set)))
        });
        changed.iter().flatten().for_each(ArcTrigger::notify);
        self.refresh_field_problems();
        let (items, criteria) = self
            .editor
            .with_untracked(|e| choices(e.as_ref().map(|e| &e.set)));
        for (signal, now) in [
            (self.item_choices, items),
            (self.criterion_choices, criteria),
        ] {
            if signal.with_untracked(|was| *was != now) {
                signal.set(now);
            }
        }
    }

    fn mark(&self, part: Part) -> ArcTrigger {
        // The editor's state lives as long as the app: its marks are always there.
        self.marks
            .try_update_value(|m| m.trigger(part))
            .unwrap_or_default()
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
    /// shows it already). Each field tracks a signal of its own, set after a change only when
    /// its messages changed: when every field followed the validator's list, each keystroke woke
    /// the hundreds of effects that show them (the list and `aria-invalid` of every field), each
    /// only to find its messages unchanged.
    pub fn errors_at(&self, place: PlaceKey, field: Field) -> Signal<Vec<String>> {
        let field = shown_field(field);
        let errors = self.errors;
        let signal = self
            .field_problems
            .try_update_value(|slots| {
                if let Some((.., signal)) =
                    slots.iter().find(|(p, f, _)| *p == place && *f == field)
                {
                    return signal.clone();
                }
                let now = errors.with_untracked(|all| messages_at(&keyed(all), place, field));
                let signal = ArcRwSignal::new(now);
                slots.push((place, field, signal.clone()));
                signal
            })
            .unwrap_or_default();
        Signal::derive(move || signal.get())
    }

    /// After a change: gives each field shown with its problems its new messages, where they
    /// changed.
    fn refresh_field_problems(&self) {
        let all = self.errors.with_untracked(|all| keyed(all));
        let changed: Vec<_> = self.field_problems.with_value(|slots| {
            slots
                .iter()
                .filter_map(|(place, field, signal)| {
                    let now = messages_at(&all, *place, *field);
                    signal
                        .with_untracked(|was| *was != now)
                        .then(|| (signal.clone(), now))
                })
                .collect()
        });
        for (signal, now) in changed {
            signal.set(now);
        }
    }
}

/// Choices for a select: (value, label).
type Choices = Vec<(String, String)>;

/// The items and the criteria of `set`, as choices.
fn choices(set: Option<&CriteriaSet>) -> (Choices, Choices) {
    let criteria = set.map_or(&[][..], |s| &s.criteria);
    let items = criteria
        .iter()
        .flat_map(|c| &c.items)
        .map(|i| (i.id.clone(), format!("Mục {}", i.id)))
        .collect();
    let criteria = criteria
        .iter()
        .map(|c| (c.id.clone(), format!("Tiêu chí {}", c.id)))
        .collect();
    (items, criteria)
}

/// Every field shown with its problems: its place, its field ([`shown_field`]) and its messages.
type FieldProblems = Vec<(PlaceKey, Field, ArcRwSignal<Vec<String>>)>;

/// The validator's messages by place and field ([`shown_field`]).
fn keyed(all: &[CriteriaError]) -> Vec<(PlaceKey, Field, String)> {
    all.iter()
        .map(|e| {
            let (place, field) = e.anchor();
            (PlaceKey::of(&place), shown_field(field), short_message(e))
        })
        .collect()
}

fn messages_at(all: &[(PlaceKey, Field, String)], place: PlaceKey, field: Field) -> Vec<String> {
    all.iter()
        .filter(|(p, f, _)| *p == place && *f == field)
        .map(|(.., message)| message.clone())
        .collect()
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

/// One reading closure type for every field: see [`EditorState::apply`].
type Getter<T> = Arc<dyn Fn(&CriteriaSet) -> Option<T> + Send + Sync>;

/// A memo: a keystroke elsewhere in the draft recomputes it but leaves its field as it is. It
/// tracks the part `changed` when given ([`EditorState::read_in`]), else the whole draft. One
/// function for both, so that each type of field has one copy of it in the download.
fn read_dyn<T: Clone + Default + PartialEq + Send + Sync + 'static>(
    editor: RwSignal<Option<Editor>>,
    changed: Option<ArcTrigger>,
    get: Getter<T>,
) -> Signal<T> {
    Memo::new(move |_| {
        match &changed {
            Some(part) => part.track(),
            None => editor.track(),
        }
        editor.with_untracked(|e| e.as_ref().and_then(|e| get(&e.set)).unwrap_or_default())
    })
    .into()
}

/// The field a problem is shown at: a provenance's source and note are one text field in the
/// editor.
fn shown_field(field: Field) -> Field {
    match field {
        Field::ProvenanceNote => Field::ProvenanceSource,
        other => other,
    }
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
