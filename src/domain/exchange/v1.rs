//! Format version 1, which builds up to November 2026 wrote: still read, no longer written. Its
//! types are frozen here (the app's own types move on), with the checksum as version 1 defined
//! it, over the record read into these types (so floats as `5.0`, absent members filled in):
//! that is why no other tool could write a file this app accepted, and why version 2 exists.
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `format` | string | always `"xa-phu-hop-tre-em/tu-danh-gia"` |
//! | `format_version` | integer | `1` |
//! | `app_version` | string | version of the app that wrote the file |
//! | `exported_at` | string | ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` |
//! | `assessments[]` | array, ≥ 1 | `{sha256, revision, assessment, score}`, members as in [`AssessmentV1`], times in ms since the Unix epoch |
//!
//! `sha256`: SHA-256 (lower-case hex) of the record without `sha256`, written with members
//! sorted by name, no whitespace, strings escaped as serde_json does, integers in decimal, the
//! float fields (`numerator`, `denominator`, `count`, `manual_points`, `created_at`,
//! `updated_at`) in serde_json's shortest form with a fraction or exponent (`5.0`, `1e-7`).
//! Unknown members of an assessment were ignored (and not hashed), unknown members elsewhere
//! refused.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::format::{CriterionScoreV2, ScoreV2, VerdictCode, Whole, FORMAT_MARKER};
use crate::domain::assessment::{Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef};
use crate::domain::scoring::AssessmentScore;

/// The value of `format_version` in these files.
pub const FORMAT_VERSION_1: u32 = 1;

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
    #[schemars(extend("const" = FORMAT_VERSION_1))]
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
    pub assessment: AssessmentV1,
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

// The assessment as version 1 wrote it: a frozen copy of what `Assessment` was then, names and
// documentation included so that the schema generated from it is the one published (hence a
// plain comment here: a doc comment would become the schema's description). The app's own
// type moves on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Assessment")]
pub struct AssessmentV1 {
    /// Local identifier, unique in this browser.
    pub id: String,
    pub criteria_set: CriteriaSetRefV1,
    pub commune: CommuneRefV1,
    /// Id of a [`crate::domain::criteria::UnitCategory`] of the set.
    pub unit_category: String,
    pub year: u16,
    pub assessor: AssessorV1,
    /// Keyed by item id.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerV1>,
    /// Criterion maxima recorded by the assessor from the official table, keyed by criterion id,
    /// for criteria whose maximum the set does not know.
    #[serde(default)]
    pub recorded_max: BTreeMap<String, u32>,
    /// Milliseconds since the Unix epoch.
    pub created_at: f64,
    pub updated_at: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CriteriaSetRef")]
pub struct CriteriaSetRefV1 {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CommuneRef")]
pub struct CommuneRefV1 {
    /// Official commune code (mã đơn vị hành chính).
    pub code: String,
    pub name: String,
    pub province_code: String,
    pub province_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Assessor")]
pub struct AssessorV1 {
    pub name: String,
    pub position: String,
}

/// The assessor's answer to one item. Only the fields the item's rule needs are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(rename = "Answer")]
pub struct AnswerV1 {
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

impl ScoreSummary {
    /// The same figures, as a version 2 record carries them.
    pub fn to_v2(&self) -> ScoreV2 {
        let small = |n: usize| Whole(u32::try_from(n).unwrap_or(u32::MAX));
        ScoreV2 {
            total: Some(Whole(self.total)),
            threshold: self.threshold.map(Whole),
            verdict: Some(self.verdict),
            verdict_label: Some(self.verdict_label.clone()),
            answered: Some(small(self.answered)),
            item_count: Some(small(self.item_count)),
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionScoreV2 {
                    id: c.id.clone(),
                    points: Whole(c.points),
                    max: c.max.map(Whole),
                })
                .collect(),
        }
    }
}

/// The JSON Schema of [`ExchangeFile`], as published in `public/schema/export.schema.json`.
pub fn export_schema_v1() -> String {
    let schema = schemars::schema_for!(ExchangeFile);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

impl AssessmentV1 {
    /// The app's assessment: what version 1 carried, the rest empty.
    pub fn into_assessment(self) -> Assessment {
        let AssessmentV1 {
            id,
            criteria_set,
            commune,
            unit_category,
            year,
            assessor,
            answers,
            recorded_max,
            created_at,
            updated_at,
        } = self;
        Assessment {
            id,
            criteria_set: CriteriaSetRef {
                id: criteria_set.id,
                version: criteria_set.version,
                hash: None,
            },
            commune: CommuneRef {
                code: commune.code,
                name: commune.name,
                province_code: commune.province_code,
                province_name: commune.province_name,
            },
            unit_category,
            year,
            assessor: Assessor {
                name: assessor.name,
                position: assessor.position,
            },
            answers: answers
                .into_iter()
                .map(|(item, a)| {
                    let AnswerV1 {
                        yes,
                        numerator,
                        denominator,
                        count,
                        manual_points,
                        source,
                        explanation,
                        checked,
                    } = a;
                    let answer = Answer {
                        yes,
                        numerator,
                        denominator,
                        count,
                        manual_points,
                        source,
                        explanation,
                        checked,
                    };
                    (item, answer)
                })
                .collect(),
            recorded_max,
            created_at,
            updated_at,
            // Version 1 predates versions of sets: nothing was ever moved.
            set_moves: Vec::new(),
        }
    }
}

/// The checksum of `record` as defined in the module documentation (its `sha256` is ignored).
pub fn record_checksum_v1(record: &ExchangeRecord) -> String {
    let mut canonical = Vec::new();
    record.write_canonical(&mut canonical);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Sha256::digest(&canonical)
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The canonical form of the module documentation, written from the typed structure: import
/// checks every record of a province's thousands of files, and going through a
/// `serde_json::Value` and a string per value took most of the import time. The bytes are
/// hashed in one call because feeding the hasher piece by piece cost more than the copy.
///
/// The structs are destructured without `..`, so a field added to a type fails to compile
/// here until it is given its place in the checksum.
trait Canonical {
    fn write_canonical(&self, out: &mut Vec<u8>);
}

/// Writes an object whose members are given in byte order of their keys (checked in debug
/// builds, so by the tests). The keys are plain identifiers: nothing to escape.
macro_rules! write_object {
    ($out:expr, $first:literal => $value:expr $(, $key:literal => $rest:expr)* $(,)?) => {{
        debug_assert!([$first $(, $key)*].is_sorted(), "keys out of order");
        $out.extend_from_slice(concat!("{\"", $first, "\":").as_bytes());
        $value.write_canonical($out);
        $(
            $out.extend_from_slice(concat!(",\"", $key, "\":").as_bytes());
            $rest.write_canonical($out);
        )*
        $out.push(b'}');
    }};
}

/// Scalars exactly as serde_json writes them: the same string escaping, `null` for a
/// non-finite float (as `serde_json::to_value` gives), shortest round-trip floats.
macro_rules! canonical_as_json {
    ($($t:ty),*) => {$(
        impl Canonical for $t {
            fn write_canonical(&self, out: &mut Vec<u8>) {
                serde_json::to_writer(out, self).expect("writing to memory cannot fail");
            }
        }
    )*};
}

canonical_as_json!(String, bool, u16, u32, u64, usize, f64, VerdictCode);

impl<T: Canonical> Canonical for Option<T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => value.write_canonical(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: Canonical> Canonical for Vec<T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_canonical(out);
        }
        out.push(b']');
    }
}

/// `String`'s order is byte order, the order the canonical form asks for.
impl<T: Canonical> Canonical for BTreeMap<String, T> {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key.write_canonical(out);
            out.push(b':');
            value.write_canonical(out);
        }
        out.push(b'}');
    }
}

impl Canonical for ExchangeRecord {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let ExchangeRecord {
            sha256: _,
            revision,
            assessment,
            score,
        } = self;
        write_object!(out, "assessment" => assessment, "revision" => revision, "score" => score);
    }
}

impl Canonical for AssessmentV1 {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let AssessmentV1 {
            id,
            criteria_set,
            commune,
            unit_category,
            year,
            assessor,
            answers,
            recorded_max,
            created_at,
            updated_at,
        } = self;
        write_object!(
            out,
            "answers" => answers,
            "assessor" => assessor,
            "commune" => commune,
            "created_at" => created_at,
            "criteria_set" => criteria_set,
            "id" => id,
            "recorded_max" => recorded_max,
            "unit_category" => unit_category,
            "updated_at" => updated_at,
            "year" => year,
        );
    }
}

impl Canonical for CriteriaSetRefV1 {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CriteriaSetRefV1 { id, version } = self;
        write_object!(out, "id" => id, "version" => version);
    }
}

impl Canonical for CommuneRefV1 {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CommuneRefV1 {
            code,
            name,
            province_code,
            province_name,
        } = self;
        write_object!(
            out,
            "code" => code,
            "name" => name,
            "province_code" => province_code,
            "province_name" => province_name,
        );
    }
}

impl Canonical for AssessorV1 {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let AssessorV1 { name, position } = self;
        write_object!(out, "name" => name, "position" => position);
    }
}

impl Canonical for AnswerV1 {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let AnswerV1 {
            yes,
            numerator,
            denominator,
            count,
            manual_points,
            source,
            explanation,
            checked,
        } = self;
        write_object!(
            out,
            "checked" => checked,
            "count" => count,
            "denominator" => denominator,
            "explanation" => explanation,
            "manual_points" => manual_points,
            "numerator" => numerator,
            "source" => source,
            "yes" => yes,
        );
    }
}

impl Canonical for ScoreSummary {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let ScoreSummary {
            total,
            threshold,
            verdict,
            verdict_label,
            answered,
            item_count,
            criteria,
        } = self;
        write_object!(
            out,
            "answered" => answered,
            "criteria" => criteria,
            "item_count" => item_count,
            "threshold" => threshold,
            "total" => total,
            "verdict" => verdict,
            "verdict_label" => verdict_label,
        );
    }
}

impl Canonical for CriterionSummary {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CriterionSummary { id, points, max } = self;
        write_object!(out, "id" => id, "max" => max, "points" => points);
    }
}
