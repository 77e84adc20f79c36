//! The types of an exchange file as this build writes and reads it (format version 1), and the
//! JSON Schema generated from them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::assessment::Assessment;
use crate::domain::scoring::{AssessmentScore, Verdict};

/// The value of `format` in every exchange file.
pub const FORMAT_MARKER: &str = "xa-phu-hop-tre-em/tu-danh-gia";
/// The version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Tệp kết quả tự đánh giá xã, phường phù hợp với trẻ em",
    description = "Định dạng trao đổi của công cụ tự đánh giá theo Quyết định 06/QĐ-TTg. \
                   Trường `sha256` của mỗi bản ghi là SHA-256 của bản ghi (không gồm chính nó) \
                   ở dạng chuẩn hóa: khóa sắp xếp, không khoảng trắng."
)]
pub struct ExchangeFile {
    #[schemars(extend("const" = FORMAT_MARKER))]
    pub format: String,
    #[schemars(extend("const" = FORMAT_VERSION))]
    pub format_version: u32,
    pub app_version: String,
    /// ISO 8601 UTC, e.g. `2025-11-23T01:19:00.000Z`.
    #[schemars(pattern(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$"))]
    pub exported_at: String,
    #[schemars(length(min = 1))]
    pub assessments: Vec<ExchangeRecord>,
}

/// One assessment in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRecord {
    /// SHA-256 (lowercase hex) of this record without this field, in canonical form.
    #[schemars(pattern(r"^[0-9a-f]{64}$"))]
    pub sha256: String,
    /// Save counter of the sender's copy.
    pub revision: u64,
    pub assessment: Assessment,
    /// The sender's computed score, for people reading the file; recomputed on import.
    pub score: Option<ScoreSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreSummary {
    pub total: u32,
    /// Minimum total of the unit category, when known.
    pub threshold: Option<u32>,
    pub verdict: VerdictCode,
    /// "Đạt", "Chưa đạt" or "Chưa đủ dữ liệu".
    pub verdict_label: String,
    /// Items answered / applicable items.
    pub answered: usize,
    pub item_count: usize,
    pub criteria: Vec<CriterionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionSummary {
    pub id: String,
    pub points: u32,
    pub max: Option<u32>,
}

/// A [`Verdict`] that can be read back (files, persisted dashboard rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictCode {
    Pass,
    Fail,
    Incomplete,
}

impl VerdictCode {
    pub fn label(self) -> &'static str {
        Verdict::from(self).label_vi()
    }
}

impl From<Verdict> for VerdictCode {
    fn from(v: Verdict) -> VerdictCode {
        match v {
            Verdict::Pass => VerdictCode::Pass,
            Verdict::Fail => VerdictCode::Fail,
            Verdict::Incomplete => VerdictCode::Incomplete,
        }
    }
}

impl From<VerdictCode> for Verdict {
    fn from(v: VerdictCode) -> Verdict {
        match v {
            VerdictCode::Pass => Verdict::Pass,
            VerdictCode::Fail => Verdict::Fail,
            VerdictCode::Incomplete => Verdict::Incomplete,
        }
    }
}

impl From<&AssessmentScore> for ScoreSummary {
    fn from(s: &AssessmentScore) -> ScoreSummary {
        ScoreSummary {
            total: s.total,
            threshold: s.threshold,
            verdict: s.verdict.into(),
            verdict_label: s.verdict.label_vi().to_string(),
            answered: s.answered,
            item_count: s.item_count,
            criteria: s
                .criteria
                .iter()
                .map(|c| CriterionSummary {
                    id: c.criterion_id.clone(),
                    points: c.points,
                    max: c.max,
                })
                .collect(),
        }
    }
}

/// The JSON Schema of [`ExchangeFile`], as shipped in `public/schema/export.schema.json`.
pub fn export_schema() -> String {
    let schema = schemars::schema_for!(ExchangeFile);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}
