//! The criteria-set model: a versioned JSON document that says what is scored and how.
//!
//! Every official number lives in data, never in code, so a province holding the signed text can
//! publish a corrected or newer set next to the app without a new build.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::scoring::Verdict;

/// The version of the criteria-set document format this build reads.
pub const CRITERIA_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Version of the document format (not of the set); this build reads [`CRITERIA_FORMAT`].
    pub format: u32,
    /// Stable identifier of the set, e.g. `qd-06-2019`.
    pub id: String,
    /// Version of this set's content, e.g. `1.0.0`; a corrected set gets a higher one.
    pub version: String,
    pub title: String,
    pub legal_basis: LegalBasis,
    /// First day the set applies (ISO date `YYYY-MM-DD`).
    pub valid_from: Option<String>,
    /// Last day the set applies, when replaced (ISO date).
    pub valid_to: Option<String>,
    /// Grand-total maximum, or `null` where the official figure is not confirmed.
    pub total_max: Option<u32>,
    pub unit_categories: Vec<UnitCategory>,
    pub pass_rule: PassRule,
    pub criteria: Vec<Criterion>,
    /// Free-text remarks about the set shown to the assessor (what is and is not encoded).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Worked examples ("ví dụ kiểm tra"): inputs and what the set must make of them, run by the
    /// editor on every change. They test the set and are not part of its content hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// e.g. `06/QĐ-TTg`.
    pub number: String,
    /// ISO date of signature.
    pub date: String,
    pub issuer: String,
    pub title: String,
}

/// A kind of unit with its own minimum total (900 / 850 / 800 in 06/QĐ-TTg).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitCategory {
    pub id: String,
    /// Label that makes sense after the 2025 merger.
    pub label: String,
    /// The decision's own wording, kept visible.
    pub official_wording: String,
    pub min_total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PassRule {
    /// Every criterion must be assessed.
    pub all_criteria_required: bool,
    /// No criterion may end at 0 points.
    pub no_zero_criterion: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// `"1"` … `"13"`.
    pub id: String,
    pub name: String,
    /// Official maximum, or `null` where it is not confirmed; the assessor may then record the
    /// maximum read from the official table in the assessment.
    pub max_points: Option<u32>,
    pub provenance: Provenance,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Unique across the set, e.g. `"1.2"`.
    pub id: String,
    pub text: String,
    /// Help for the assessor: where the data usually comes from, what counts.
    #[serde(default)]
    pub hint: Option<String>,
    pub rule: Rule,
    pub provenance: Provenance,
}

/// How sure we are that an item or criterion matches the signed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Provenance {
    /// Checked against the signed text.
    Verified { source: String },
    /// Taken from a secondary source (press, summaries) that quotes the text.
    Secondary { source: String },
    /// The official rule is not encoded: scored by the assessor ("chưa đối chiếu văn bản gốc").
    NotEncoded { note: String },
}

/// What an item scores when its denominator (children concerned, cases, people asked) is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ZeroDenominator {
    /// The item does not apply: it counts toward neither points nor maximum.
    NotApplicable,
    FullPoints,
    ZeroPoints,
    /// The official answer is unknown: the assessor enters the points.
    Manual,
}

/// What scores below the lowest known band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BelowBands {
    ZeroPoints,
    /// The lower bands are not known: the assessor enters the points.
    Manual,
}

/// A band for a higher-is-better value: reaching `min` (inclusive) earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinBand {
    pub min: f64,
    pub points: u32,
}

/// A band for a lower-is-better value: staying at or under `max` (inclusive) earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaxBand {
    pub max: f64,
    pub points: u32,
}

/// One scoring rule per item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Yes → `points`, no → 0.
    YesNo { points: u32 },
    /// A rate numerator / denominator in %, higher is better.
    Rate {
        numerator_label: String,
        denominator_label: String,
        bands: Vec<MinBand>,
        below: BelowBands,
        zero_denominator: ZeroDenominator,
    },
    /// A rate per `per` children (tỷ suất), lower is better; above the last band scores 0.
    PerPopulation {
        numerator_label: String,
        denominator_label: String,
        per: u32,
        bands: Vec<MaxBand>,
        zero_denominator: ZeroDenominator,
    },
    /// A count with bands, higher is better.
    Count {
        label: String,
        bands: Vec<MinBand>,
        below: BelowBands,
    },
    /// Satisfied / asked in %, higher is better.
    Survey {
        bands: Vec<MinBand>,
        below: BelowBands,
        zero_denominator: ZeroDenominator,
    },
    /// Points from 0 to `max` entered by the assessor; `max: null` where even the maximum is
    /// unknown (bounded then by the criterion maximum the assessor recorded, if any).
    Manual { max: Option<u32> },
}

impl Rule {
    /// What the two figures of a ratio rule are called (numerator, denominator), so every screen,
    /// the report and the messages name them alike; `None` for rules without a ratio.
    pub fn ratio_labels(&self) -> Option<(&str, &str)> {
        match self {
            Rule::Rate {
                numerator_label,
                denominator_label,
                ..
            }
            | Rule::PerPopulation {
                numerator_label,
                denominator_label,
                ..
            } => Some((numerator_label, denominator_label)),
            Rule::Survey { .. } => Some(("Số người hài lòng", "Số người được hỏi")),
            Rule::YesNo { .. } | Rule::Count { .. } | Rule::Manual { .. } => None,
        }
    }
}

/// A worked example: the inputs of an assessment and the points and verdicts the set must
/// give them. Only what `expected` states is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows, e.g. "Tiêu chí 7: đạt 98% được 50 điểm".
    pub name: String,
    /// Where the expected figures come from (the text, an official worked case …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Inputs by item id; an item left out is unanswered.
    #[serde(default)]
    pub inputs: BTreeMap<String, ExampleInput>,
    /// Criterion maxima the assessor records, by criterion id, for criteria whose maximum the
    /// set leaves open.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recorded_max: BTreeMap<String, u32>,
    pub expected: Expected,
}

/// The figures an assessor enters for one item; only those its rule reads may be given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleInput {
    /// Yes/no rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<bool>,
    /// Rate, per-population and survey rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
    /// Count rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<f64>,
    /// Points entered by the assessor (manual rules, and where a rule falls back to them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_points: Option<f64>,
}

/// What the set must give the example's inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// By item id: the points, or the outcome when the item is not scored.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, ExpectedItem>,
    /// Points by criterion id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub criteria: BTreeMap<String, u32>,
    /// The grand total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The verdict by unit category id (each category has its own threshold).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub verdicts: BTreeMap<String, Verdict>,
}

/// An item's expected result: points (a number) or an outcome without points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ExpectedItem {
    Points(u32),
    Outcome(ItemOutcome),
}

/// An item that is not scored, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// The item does not apply (zero denominator on a not-applicable item).
    NotApplicable,
    /// The rule stops and the assessor must enter the points.
    NeedsManualPoints,
    /// Inputs are missing.
    Missing,
    /// The inputs are inconsistent.
    Invalid,
}
