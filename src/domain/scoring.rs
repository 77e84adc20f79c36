//! The scoring engine: answers → item points → criterion totals → grand total → verdict → gaps.

use serde::Serialize;

/// The outcome for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    pub item_id: String,
    pub status: ItemStatus,
    /// The computed rate (%), or rate per N for per-population rules, when inputs allow.
    pub value: Option<f64>,
    /// Index of the band that applied, in the rule's band list.
    pub band: Option<usize>,
    /// Points earned (0 unless `status` is `Scored`).
    pub points: u32,
    /// The item's maximum, when known.
    pub max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemStatus {
    Scored,
    /// Zero denominator on a not-applicable item.
    NotApplicable,
    /// Inputs still missing; `needs` says which (Vietnamese, for display).
    Missing { needs: String },
    /// The rule falls back to the assessor (unknown lower bands, unknown zero-denominator rule)
    /// and no manual points were entered yet.
    NeedsManualPoints { reason: String },
    /// Inconsistent input; Vietnamese message.
    Invalid { message: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    pub criterion_id: String,
    pub points: u32,
    /// The set's maximum, or the one the assessor recorded; `None` while unknown.
    pub max: Option<u32>,
    /// Points as % of `max`; `None` while the maximum is unknown.
    pub percent: Option<f64>,
    pub items: Vec<ItemScore>,
    /// Every applicable item is scored.
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Đạt.
    Pass,
    /// Chưa đạt.
    Fail,
    /// Chưa đủ dữ liệu.
    Incomplete,
}

/// One reason behind the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    ZeroCriterion { criterion_id: String },
    BelowThreshold { total: u32, threshold: u32, short_by: u32 },
    MissingInputs { item_ids: Vec<String> },
    InvalidInputs { item_ids: Vec<String> },
    UnknownUnitCategory { id: String },
}

/// An item where points can still be gained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub criterion_id: String,
    pub item_id: String,
    /// Points still to gain; `None` where the item's maximum is unknown.
    pub gainable: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentScore {
    pub criteria: Vec<CriterionScore>,
    pub total: u32,
    /// Minimum total for the assessment's unit category.
    pub threshold: Option<u32>,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    /// Items answered (scored, not applicable) / applicable items in all.
    pub answered: usize,
    pub item_count: usize,
    /// Largest gains first.
    pub gaps: Vec<Gap>,
}
