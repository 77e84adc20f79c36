//! Editing a criteria set without writing JSON: the draft, its undo history, and the changes
//! an editor offers (new criteria, items and bands with sensible defaults, changing a rule's
//! kind while keeping what still applies, moving things up and down).

use serde::{Deserialize, Serialize};

use crate::domain::assessment::CriteriaSetRef;
use crate::domain::criteria::{
    BelowBands, CriteriaSet, Criterion, Example, Expected, Item, LegalBasis, MaxBand, MinBand,
    PassRule, Provenance, Rule, ZeroDenominator, CRITERIA_FORMAT,
};
use crate::domain::criteria_registry::{next_version, CriteriaRegistry};

/// Undo steps kept; older ones are dropped.
const UNDO_LIMIT: usize = 100;

/// The layout of a stored draft this build writes.
pub const DRAFT_FORMAT: u32 = 1;

/// A set being edited, as kept in the browser between visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub format: u32,
    pub set: CriteriaSet,
    /// The set the draft started from, if any: the comparison shows what changed since.
    pub base: Option<CriteriaSetRef>,
    /// When the draft was last saved (ms since the Unix epoch).
    pub saved_at: f64,
}

/// A draft with its undo history (the history lives only as long as the page).
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub set: CriteriaSet,
    pub base: Option<CriteriaSetRef>,
    undo: Vec<Step>,
    /// The field the last change typed into: further typing there is the same undo step.
    typing_in: Option<String>,
    /// Bumped by every change of structure (a list grows, shrinks or moves, a rule changes
    /// kind, an undo): a view keyed on positions redraws then, and only then.
    pub shape: u64,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    before: CriteriaSet,
    what: String,
}

impl Editor {
    pub fn new(set: CriteriaSet, base: Option<CriteriaSetRef>) -> Editor {
        Editor {
            set,
            base,
            undo: Vec::new(),
            typing_in: None,
            shape: 0,
        }
    }

    pub fn from_draft(draft: Draft) -> Editor {
        Editor::new(draft.set, draft.base)
    }

    pub fn to_draft(&self, now_ms: f64) -> Draft {
        Draft {
            format: DRAFT_FORMAT,
            set: self.set.clone(),
            base: self.base.clone(),
            saved_at: now_ms,
        }
    }

    /// A change typed into one field (`field` names it): consecutive changes of the same field
    /// make one undo step, so undo takes back a word, not a letter.
    pub fn type_into(&mut self, field: &str, what: &str, change: impl FnOnce(&mut CriteriaSet)) {
        if self.typing_in.as_deref() != Some(field) {
            self.push_undo(what);
        }
        self.typing_in = Some(field.to_string());
        change(&mut self.set);
    }

    /// A change of structure or a choice: one undo step, and the views redraw.
    pub fn change(&mut self, what: &str, change: impl FnOnce(&mut CriteriaSet)) {
        self.push_undo(what);
        self.typing_in = None;
        change(&mut self.set);
        self.shape += 1;
    }

    fn push_undo(&mut self, what: &str) {
        if self.undo.len() == UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.undo.push(Step {
            before: self.set.clone(),
            what: what.to_string(),
        });
    }

    /// What [`Self::undo`] would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.what.as_str())
    }

    /// Takes back the last change; returns what it was.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        self.set = step.before;
        self.typing_in = None;
        self.shape += 1;
        Some(step.what)
    }
}

/// A set with nothing in it but the pass rule of 06/QĐ-TTg's kind (both conditions on),
/// for a province that encodes a decision from its signed text.
pub fn blank_set() -> CriteriaSet {
    CriteriaSet {
        format: CRITERIA_FORMAT,
        id: String::new(),
        version: "1.0.0".into(),
        title: String::new(),
        legal_basis: LegalBasis {
            number: String::new(),
            date: String::new(),
            issuer: String::new(),
            title: String::new(),
        },
        valid_from: None,
        valid_to: None,
        total_max: None,
        unit_categories: Vec::new(),
        pass_rule: PassRule {
            all_criteria_required: true,
            no_zero_criterion: true,
        },
        criteria: Vec::new(),
        notes: Vec::new(),
        examples: Vec::new(),
    }
}

/// A copy of a known set to edit into its next version: the same id, the first version after
/// it that this browser does not know (a released version is frozen).
pub fn next_version_of(set: &CriteriaSet, known: &CriteriaRegistry) -> CriteriaSet {
    let mut copy = set.clone();
    let mut version = set.version.clone();
    while let Some(next) = next_version(&version) {
        version = next;
        if known.get(&set.id, &version).is_none() {
            copy.version = version;
            break;
        }
    }
    copy
}

/// "Verified" with the source still to cite: whoever encodes from the signed text says where.
fn to_cite() -> Provenance {
    Provenance::Verified {
        source: String::new(),
    }
}

/// A new criterion at the end: the next number as id, one yes/no item to start from.
pub fn new_criterion(set: &CriteriaSet) -> Criterion {
    let number = set
        .criteria
        .iter()
        .filter_map(|c| c.id.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        .max(u32::try_from(set.criteria.len()).unwrap_or(u32::MAX))
        .saturating_add(1);
    let mut criterion = Criterion {
        id: number.to_string(),
        name: String::new(),
        max_points: None,
        provenance: to_cite(),
        items: Vec::new(),
    };
    criterion.items.push(new_item(&criterion, set));
    criterion
}

/// A new item at the end of `criterion`: id "<criterion>.<n>", unused in the set.
pub fn new_item(criterion: &Criterion, set: &CriteriaSet) -> Item {
    let taken = |id: &str| {
        set.criteria
            .iter()
            .chain(std::iter::once(criterion))
            .flat_map(|c| &c.items)
            .any(|i| i.id == id)
    };
    let mut n = criterion.items.len() + 1;
    let mut id = format!("{}.{n}", criterion.id);
    while taken(&id) {
        n += 1;
        id = format!("{}.{n}", criterion.id);
    }
    Item {
        id,
        text: String::new(),
        hint: None,
        rule: Rule::YesNo { points: 0 },
        provenance: to_cite(),
    }
}

/// A new worked example: nothing entered, nothing expected yet.
pub fn new_example(set: &CriteriaSet) -> Example {
    Example {
        name: format!("Ví dụ {}", set.examples.len() + 1),
        source: None,
        inputs: Default::default(),
        recorded_max: Default::default(),
        expected: Expected::default(),
    }
}

/// The kinds of rule, in the order an editor lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    YesNo,
    Rate,
    PerPopulation,
    Count,
    Survey,
    Manual,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::YesNo,
        RuleKind::Rate,
        RuleKind::PerPopulation,
        RuleKind::Count,
        RuleKind::Survey,
        RuleKind::Manual,
    ];

    pub fn of(rule: &Rule) -> RuleKind {
        match rule {
            Rule::YesNo { .. } => RuleKind::YesNo,
            Rule::Rate { .. } => RuleKind::Rate,
            Rule::PerPopulation { .. } => RuleKind::PerPopulation,
            Rule::Count { .. } => RuleKind::Count,
            Rule::Survey { .. } => RuleKind::Survey,
            Rule::Manual { .. } => RuleKind::Manual,
        }
    }

    /// The JSON name, also used as the value of the editor's choice.
    pub fn key(self) -> &'static str {
        match self {
            RuleKind::YesNo => "yes_no",
            RuleKind::Rate => "rate",
            RuleKind::PerPopulation => "per_population",
            RuleKind::Count => "count",
            RuleKind::Survey => "survey",
            RuleKind::Manual => "manual",
        }
    }

    pub fn from_key(key: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            RuleKind::YesNo => "Có / không",
            RuleKind::Rate => "Tỷ lệ % (càng cao càng tốt)",
            RuleKind::PerPopulation => "Tỷ suất trên N trẻ em (càng thấp càng tốt)",
            RuleKind::Count => "Số lượng (càng nhiều càng tốt)",
            RuleKind::Survey => "Mức hài lòng % (số người hài lòng / số người được hỏi)",
            RuleKind::Manual => "Người đánh giá nhập điểm",
        }
    }
}

/// The rule as another kind, keeping what still means the same: the labels, the bands of
/// higher-is-better kinds, the maximum (as the yes/no points or the manual maximum).
pub fn convert_rule(rule: &Rule, kind: RuleKind) -> Rule {
    if RuleKind::of(rule) == kind {
        return rule.clone();
    }
    let (numerator_label, denominator_label) = rule
        .ratio_labels()
        .map(|(n, d)| (n.to_string(), d.to_string()))
        .unwrap_or_default();
    let max = rule.max_points();
    let min_bands = match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            bands.clone()
        }
        _ => vec![MinBand {
            min: 0.0,
            points: max.unwrap_or(0),
        }],
    };
    let below = match rule {
        Rule::Rate { below, .. } | Rule::Count { below, .. } | Rule::Survey { below, .. } => *below,
        _ => BelowBands::ZeroPoints,
    };
    let zero_denominator = match rule {
        Rule::Rate {
            zero_denominator, ..
        }
        | Rule::PerPopulation {
            zero_denominator, ..
        }
        | Rule::Survey {
            zero_denominator, ..
        } => *zero_denominator,
        _ => ZeroDenominator::Manual,
    };
    match kind {
        RuleKind::YesNo => Rule::YesNo {
            points: max.unwrap_or(0),
        },
        RuleKind::Rate => Rule::Rate {
            numerator_label,
            denominator_label,
            bands: min_bands,
            below,
            zero_denominator,
        },
        RuleKind::PerPopulation => Rule::PerPopulation {
            numerator_label,
            denominator_label,
            per: 1000,
            bands: vec![MaxBand {
                max: 0.0,
                points: max.unwrap_or(0),
            }],
            zero_denominator,
        },
        RuleKind::Count => Rule::Count {
            label: String::new(),
            bands: min_bands,
            below,
        },
        RuleKind::Survey => Rule::Survey {
            bands: min_bands,
            below,
            zero_denominator,
        },
        RuleKind::Manual => Rule::Manual { max },
    }
}

/// Adds a band after the last one: a bound a step further (10 for percentages and counts, 1
/// for per-population rates) and the same points, for the user to correct.
pub fn add_band(rule: &mut Rule) {
    match rule {
        Rule::Rate { bands, .. } | Rule::Survey { bands, .. } => push_min_band(bands, 100.0),
        Rule::Count { bands, .. } => push_min_band(bands, f64::MAX),
        Rule::PerPopulation { bands, .. } => {
            let (max, points) = bands.last().map_or((0.0, 0), |b| (b.max + 1.0, b.points));
            bands.push(MaxBand { max, points });
        }
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
    }
}

fn push_min_band(bands: &mut Vec<MinBand>, ceiling: f64) {
    let (min, points) = bands
        .last()
        .map_or((0.0, 0), |b| ((b.min + 10.0).min(ceiling), b.points));
    bands.push(MinBand { min, points });
}

/// How many bands a rule has (0 for kinds without bands).
pub fn band_count(rule: &Rule) -> usize {
    match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            bands.len()
        }
        Rule::PerPopulation { bands, .. } => bands.len(),
        Rule::YesNo { .. } | Rule::Manual { .. } => 0,
    }
}

/// Removes band `index`, when there is one.
pub fn remove_band(rule: &mut Rule, index: usize) {
    match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            remove_at(bands, index)
        }
        Rule::PerPopulation { bands, .. } => remove_at(bands, index),
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
    }
}

/// Swaps band `index` with the next one.
pub fn move_band_down(rule: &mut Rule, index: usize) {
    match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            move_down(bands, index)
        }
        Rule::PerPopulation { bands, .. } => move_down(bands, index),
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
    }
}

/// Sets the bound and points of band `index`; `None` leaves a value as it is.
pub fn set_band(rule: &mut Rule, index: usize, bound: Option<f64>, points: Option<u32>) {
    match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            if let Some(band) = bands.get_mut(index) {
                band.min = bound.unwrap_or(band.min);
                band.points = points.unwrap_or(band.points);
            }
        }
        Rule::PerPopulation { bands, .. } => {
            if let Some(band) = bands.get_mut(index) {
                band.max = bound.unwrap_or(band.max);
                band.points = points.unwrap_or(band.points);
            }
        }
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
    }
}

/// Band `index` as (bound, points).
pub fn band(rule: &Rule, index: usize) -> Option<(f64, u32)> {
    match rule {
        Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
            bands.get(index).map(|b| (b.min, b.points))
        }
        Rule::PerPopulation { bands, .. } => bands.get(index).map(|b| (b.max, b.points)),
        Rule::YesNo { .. } | Rule::Manual { .. } => None,
    }
}

/// Removes `index` from a list, when it is there.
pub fn remove_at<T>(list: &mut Vec<T>, index: usize) {
    if index < list.len() {
        list.remove(index);
    }
}

/// Swaps `index` with the next element, when both are there.
pub fn move_down<T>(list: &mut [T], index: usize) {
    if index + 1 < list.len() {
        list.swap(index, index + 1);
    }
}
