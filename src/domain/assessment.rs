//! One commune's self-assessment: who, which unit, which year, and the raw answers.
//!
//! Inputs are stored raw (as numbers the user typed, possibly inconsistent); scores are always
//! computed from them, never stored as truth.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// Local identifier, unique in this browser.
    pub id: String,
    pub criteria_set: CriteriaSetRef,
    pub commune: CommuneRef,
    /// Id of a [`crate::domain::criteria::UnitCategory`] of the set.
    pub unit_category: String,
    pub year: u16,
    pub assessor: Assessor,
    /// Keyed by item id.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Criterion maxima recorded by the assessor from the official table, keyed by criterion id,
    /// for criteria whose maximum the set does not know.
    #[serde(default)]
    pub recorded_max: BTreeMap<String, u32>,
    /// Milliseconds since the Unix epoch.
    pub created_at: f64,
    pub updated_at: f64,
    /// Every move of the assessment to another version of its set, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_moves: Vec<SetMove>,
}

/// A move of an assessment to another version of its criteria set, kept in the assessment:
/// the record of what was scored by which version, and what undoing the move needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SetMove {
    pub from: CriteriaSetRef,
    pub to: CriteriaSetRef,
    /// Milliseconds since the Unix epoch.
    pub at: f64,
    /// Answers to items the new version does not have, kept so that moving back restores them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_aside: BTreeMap<String, Answer>,
    /// Recorded maxima of criteria the new version does not have, likewise.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_aside_max: BTreeMap<String, u32>,
    /// This move took back the one before it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CriteriaSetRef {
    pub id: String,
    pub version: String,
    /// The set's content hash ([`crate::domain::criteria_registry::content_hash`]), recorded
    /// since sets carry one; absent in assessments made before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl CriteriaSetRef {
    /// The same set version; a reference without a hash (made before sets had one, or by
    /// another tool) matches any content under that id and version, as the registry resolves it.
    pub fn same_set(&self, other: &CriteriaSetRef) -> bool {
        self.id == other.id
            && self.version == other.version
            && (self.hash.is_none() || other.hash.is_none() || self.hash == other.hash)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommuneRef {
    /// Official commune code (mã đơn vị hành chính).
    pub code: String,
    pub name: String,
    pub province_code: String,
    pub province_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Assessor {
    pub name: String,
    pub position: String,
}

/// The assessor's answer to one item. Only the fields the item's rule needs are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Answer {
    /// For yes/no rules.
    pub yes: Option<bool>,
    /// For rate, per-population and survey rules (survey: satisfied).
    pub numerator: Option<f64>,
    /// For rate, per-population and survey rules (survey: asked).
    pub denominator: Option<f64>,
    /// For count rules.
    pub count: Option<f64>,
    /// Points entered by the assessor: manual rules, and rules that fall back to the assessor.
    pub manual_points: Option<f64>,
    /// Nguồn số liệu.
    pub source: String,
    /// Thuyết minh.
    pub explanation: String,
    /// "Đã kiểm tra".
    pub checked: bool,
}
