//! The exchange file: how communes send their self-assessments to the province (Zalo, e-mail,
//! USB) and how the province loads them back. One file holds one or many assessments.
//!
//! # Format (version 1)
//!
//! A UTF-8 JSON object (a leading BOM is tolerated). JSON Schema:
//! `public/schema/export.schema.json`, generated from these types by [`export_schema`].
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `format` | string | always `"xa-phu-hop-tre-em/tu-danh-gia"` ([`FORMAT_MARKER`]) |
//! | `format_version` | integer | `1` ([`FORMAT_VERSION`]); later versions are refused by this build |
//! | `app_version` | string | version of the app that wrote the file |
//! | `exported_at` | string | ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` |
//! | `assessments` | array, ≥ 1 | one record per assessment: |
//! | `….sha256` | string | 64 lowercase hex digits, SHA-256 of the record (see below) |
//! | `….revision` | integer | save counter of the sender's copy (for conflicts) |
//! | `….assessment` | object | the assessment, as stored by the app: |
//! | `….assessment.id` | string | the sender's local id |
//! | `….assessment.criteria_set` | `{id, version}` | criteria set the answers belong to |
//! | `….assessment.commune` | `{code, name, province_code, province_name}` | official codes: commune 5 digits, province 2 |
//! | `….assessment.unit_category` | string | id of a unit category of the set (sets the threshold) |
//! | `….assessment.year` | integer | year assessed, 2019–2100 |
//! | `….assessment.assessor` | `{name, position}` | who assessed |
//! | `….assessment.answers` | object | by item id: `{yes, numerator, denominator, count, manual_points, source, explanation, checked}` — raw inputs, numbers ≥ 0 or null |
//! | `….assessment.recorded_max` | object | by criterion id: maximum read from the official table by the assessor |
//! | `….assessment.created_at`, `updated_at` | number | ms since the Unix epoch |
//! | `….score` | object or null | for people reading the file: `{total, threshold, verdict ("pass"/"fail"/"incomplete"), verdict_label, answered, item_count, criteria: [{id, points, max}]}`; **never trusted**: the importer recomputes it |
//!
//! ## Checksum
//!
//! `sha256` is the SHA-256 (lowercase hex) of the UTF-8 bytes of the record *without* its
//! `sha256` member, written in canonical form: objects with members sorted by key (byte order),
//! no whitespace, strings escaped as serde_json does (`\"`, `\\`, control characters; all other
//! characters literal), integers in decimal, and the fields that are floating-point in the
//! types (`numerator`, `denominator`, `count`, `manual_points`, `created_at`, `updated_at`) in
//! serde_json's shortest round-trip form, always with a fraction or exponent (`5.0`, `0.1`,
//! `1e-7`). The record is first read into the typed structure, so the checksum covers the
//! content, not the layout: re-indenting or reordering keys keeps it valid, changing any value
//! (or adding a member) breaks it. It detects damage and casual edits; it is not a signature.
//!
//! ## Rejections and warnings
//!
//! Every reason to refuse a file is an [`ImportError`] (or an [`EntryError`] for one record),
//! with a Vietnamese message. A commune *name* that differs from the official list is only a
//! [`ImportWarning`]: the code identifies the unit, and names are spelled in several ways
//! ("Hoà"/"Hòa"); a province code that does not match the commune code is an error, because the
//! record would be counted under the wrong province.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use schemars::JsonSchema;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::assessment::{Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef};
use super::criteria::CriteriaSet;
use super::divisions::divisions;
use super::scoring::{score, AssessmentScore, Verdict};
use super::storage_format::{JsonErrorAt, StoredAssessment, STORAGE_FORMAT};
use super::text::search_key;

/// The value of `format` in every exchange file.
pub const FORMAT_MARKER: &str = "xa-phu-hop-tre-em/tu-danh-gia";
/// The version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// Larger files are refused before parsing: a commune's file is a few kB, a province's few
/// thousand assessments stay well under this.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// Years accepted on import: the decision dates from 2019.
pub const YEAR_MIN: u16 = 2019;
pub const YEAR_MAX: u16 = 2100;
/// No count, rate input or score at commune level comes near this; larger means a typo or junk.
pub const MAX_VALUE: f64 = 1e9;

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

// ---------------------------------------------------------------------------------------------
// Export

/// One assessment to export, with its save counter and (optionally) its computed score.
#[derive(Debug, Clone, Copy)]
pub struct ExportEntry<'a> {
    pub assessment: &'a Assessment,
    pub revision: u64,
    pub score: Option<&'a AssessmentScore>,
}

impl<'a> ExportEntry<'a> {
    pub fn from_stored(
        stored: &'a StoredAssessment,
        score: Option<&'a AssessmentScore>,
    ) -> ExportEntry<'a> {
        ExportEntry {
            assessment: &stored.assessment,
            revision: stored.revision,
            score,
        }
    }
}

/// The exchange file for `entries`, pretty-printed so it can be read in a text editor.
pub fn export_file(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    let file = ExchangeFile {
        format: FORMAT_MARKER.to_string(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: iso_utc(now_ms),
        assessments: entries
            .iter()
            .map(|e| {
                let mut record = ExchangeRecord {
                    sha256: String::new(),
                    revision: e.revision,
                    assessment: e.assessment.clone(),
                    score: e.score.map(ScoreSummary::from),
                };
                record.sha256 = record_checksum(&record);
                record
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file).expect("an exchange file serializes") + "\n"
}

/// `tu-danh-gia_<mã xã>_<năm>.json` for one assessment, `tu-danh-gia_<n>-ban_<ngày>.json` for
/// several (the date in Vietnam time, UTC+7, as the user sees it).
pub fn export_file_name(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    match entries {
        [one] => format!(
            "tu-danh-gia_{}_{}.json",
            file_name_part(&one.assessment.commune.code),
            one.assessment.year
        ),
        _ => {
            let date = &iso_utc(now_ms + VIETNAM_OFFSET_MS)[..10];
            format!("tu-danh-gia_{}-ban_{date}.json", entries.len())
        }
    }
}

const VIETNAM_OFFSET_MS: f64 = 7.0 * 3_600_000.0;

/// Codes come from files written by others: keep file names portable.
fn file_name_part(s: &str) -> String {
    let part: String = s
        .chars()
        .take(20)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if part.is_empty() {
        "khong-ma".to_string()
    } else {
        part
    }
}

/// The checksum of `record` as defined in the module documentation (its `sha256` is ignored).
pub fn record_checksum(record: &ExchangeRecord) -> String {
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

impl Canonical for Assessment {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Assessment {
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

impl Canonical for CriteriaSetRef {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CriteriaSetRef { id, version } = self;
        write_object!(out, "id" => id, "version" => version);
    }
}

impl Canonical for CommuneRef {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let CommuneRef {
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

impl Canonical for Assessor {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Assessor { name, position } = self;
        write_object!(out, "name" => name, "position" => position);
    }
}

impl Canonical for Answer {
    fn write_canonical(&self, out: &mut Vec<u8>) {
        let Answer {
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

// ---------------------------------------------------------------------------------------------
// Time

/// `YYYY-MM-DDTHH:MM:SS.sssZ` for milliseconds since the Unix epoch (UTC). Values outside years
/// 1970–9999, and non-finite ones, are clamped to that range.
pub fn iso_utc(ms: f64) -> String {
    const MAX_MS: f64 = 253_402_300_799_999.0; // 9999-12-31T23:59:59.999Z
    let ms = if ms.is_finite() {
        ms.clamp(0.0, MAX_MS).floor() as i64
    } else {
        0
    };
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// Milliseconds for `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z`; `None` for anything else or an impossible
/// date.
pub fn parse_iso_utc(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0')))
    };
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if punctuation.iter().any(|&(i, c)| b.get(i) != Some(&c)) || b.last() != Some(&b'Z') {
        return None;
    }
    let (y, mo, d) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (h, mi, sec) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    // Between the seconds and the final `Z`: nothing, or `.` and 1–3 digits.
    let millis = match b.len().checked_sub(20)? {
        0 => 0,
        n @ 2..=4 if b[19] == b'.' => digits(20, n - 1)? * 10i64.pow(4 - n as u32),
        _ => return None,
    };
    let month_days = [
        31,
        28 + i64::from(is_leap(y)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || !(1..=month_days[(mo - 1) as usize]).contains(&d)
        || h > 23
        || mi > 59
        || sec > 59
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some((((days * 24 + h) * 60 + mi) * 60 + sec) as f64 * 1000.0 + millis as f64)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// ---------------------------------------------------------------------------------------------
// Import

/// An assessment read from a file, checked, with its score recomputed by this build.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAssessment {
    pub assessment: Assessment,
    pub revision: u64,
    /// Computed here from the answers and the known criteria set.
    pub score: AssessmentScore,
    /// What the sender's app had computed, as written in the file.
    pub file_score: Option<ScoreSummary>,
    pub exported_at_ms: f64,
    /// Version of the app that wrote the file.
    pub app_version: String,
    pub warnings: Vec<ImportWarning>,
}

impl ImportedAssessment {
    /// A local copy: keeps the sender's revision and edit time, never exported from here.
    pub fn into_stored(self) -> StoredAssessment {
        StoredAssessment {
            format: STORAGE_FORMAT,
            revision: self.revision,
            updated_at: self.assessment.updated_at,
            last_exported_at: None,
            assessment: self.assessment,
        }
    }
}

/// Accepted, but worth telling the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportWarning {
    CommuneNameDiffers {
        code: String,
        in_file: String,
        official: String,
    },
    ProvinceNameDiffers {
        code: String,
        in_file: String,
        official: String,
    },
    /// The sender's total differs from the recomputed one (another version of the app or of
    /// the criteria set, or an edited file); the recomputed one is used.
    ScoreDiffers { in_file: u32, computed: u32 },
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportWarning::CommuneNameDiffers {
                code,
                in_file,
                official,
            } => write!(
                f,
                "Tên đơn vị trong tệp \"{}\" khác tên trong danh mục chính thức của mã {code}: \
                 \"{official}\".",
                shorten(in_file)
            ),
            ImportWarning::ProvinceNameDiffers {
                code,
                in_file,
                official,
            } => write!(
                f,
                "Tên tỉnh trong tệp \"{}\" khác tên trong danh mục chính thức của mã {code}: \
                 \"{official}\".",
                shorten(in_file)
            ),
            ImportWarning::ScoreDiffers { in_file, computed } => write!(
                f,
                "Tổng điểm ghi trong tệp ({in_file}) khác tổng điểm tính lại ({computed}); ứng \
                 dụng dùng tổng điểm tính lại."
            ),
        }
    }
}

/// What a refused file resembles, to point the user to the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignFile {
    CriteriaSet,
    /// A localStorage copy (or a bare assessment) rather than an export.
    StoredCopy,
}

/// Why a file was refused. Display gives the Vietnamese message.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Over [`MAX_IMPORT_BYTES`]; `u64` because the browser may report a file's size before
    /// reading it, and a file chosen by mistake can exceed 4 GB (`usize` on wasm32).
    TooLarge {
        bytes: u64,
    },
    Empty,
    /// Not text: `valid_up_to` bytes were UTF-8.
    NotUtf8 {
        valid_up_to: usize,
    },
    Syntax(JsonErrorAt),
    NotOurFormat {
        looks_like: Option<ForeignFile>,
    },
    /// `format_version` missing or not a positive integer.
    BadFormatVersion {
        found: String,
    },
    NewerFormat {
        found: u64,
    },
    /// Valid JSON of our format, but a member is missing, unknown or of the wrong type.
    Structure(JsonErrorAt),
    BadExportedAt {
        found: String,
    },
    NoAssessments,
    /// Two records for the same commune and year (1-based positions).
    Duplicate {
        commune_code: String,
        year: u16,
        first: usize,
        second: usize,
    },
    /// One record is wrong; `index` is 1-based, `label` names the unit and year for the user.
    Entry {
        index: usize,
        label: String,
        error: EntryError,
    },
}

/// Why one record of a file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryError {
    ChecksumMismatch,
    UnknownCriteriaSet {
        id: String,
        version: String,
        known: Vec<String>,
    },
    UnknownCommune {
        code: String,
    },
    ProvinceMismatch {
        commune_code: String,
        in_file: String,
        official: String,
    },
    UnknownUnitCategory {
        id: String,
    },
    YearOutOfRange {
        year: u16,
    },
    UnknownItem {
        item_id: String,
    },
    UnknownCriterion {
        criterion_id: String,
    },
    BadNumber {
        item_id: String,
        field: NumberField,
        value: f64,
        problem: NumberProblem,
    },
    BadTimestamp {
        field: &'static str,
        value: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    Numerator,
    Denominator,
    Count,
    ManualPoints,
}

impl NumberField {
    fn label(self) -> &'static str {
        match self {
            NumberField::Numerator => "tử số",
            NumberField::Denominator => "mẫu số",
            NumberField::Count => "số lượng",
            NumberField::ManualPoints => "điểm tự chấm",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    Negative,
    NotFinite,
    TooLarge,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Vietnamese writes a decimal comma: "21,0 MB".
            ImportError::TooLarge { bytes } => write!(
                f,
                "Tệp quá lớn ({} MB); chỉ nhận tệp đến {} MB.",
                format!("{:.1}", *bytes as f64 / 1_048_576.0).replace('.', ","),
                MAX_IMPORT_BYTES / 1_048_576
            ),
            ImportError::Empty => write!(f, "Tệp trống, không có dữ liệu."),
            ImportError::NotUtf8 { valid_up_to } => write!(
                f,
                "Tệp không phải văn bản UTF-8 (lỗi ở byte {valid_up_to}): có thể đã chọn nhầm \
                 tệp (ảnh, Word, Excel…)."
            ),
            ImportError::Syntax(at) => write!(f, "Tệp không phải JSON hợp lệ {at}"),
            ImportError::NotOurFormat { looks_like } => {
                write!(
                    f,
                    "Tệp không phải tệp kết quả tự đánh giá xuất từ ứng dụng này"
                )?;
                match looks_like {
                    Some(ForeignFile::CriteriaSet) => {
                        write!(f, " (đây là tệp bộ tiêu chí, không phải tệp kết quả).")
                    }
                    Some(ForeignFile::StoredCopy) => write!(
                        f,
                        " (đây là bản sao dữ liệu trình duyệt; hãy dùng nút \"Xuất tệp\" để tạo \
                         tệp gửi đi)."
                    ),
                    None => write!(f, "."),
                }
            }
            ImportError::BadFormatVersion { found } => write!(
                f,
                "Tệp có phiên bản định dạng không hợp lệ ({}).",
                shorten(found)
            ),
            ImportError::NewerFormat { found } => write!(
                f,
                "Tệp được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {found}; phiên bản \
                 đang chạy đọc được tới định dạng {FORMAT_VERSION}). Hãy tải lại trang để cập \
                 nhật ứng dụng rồi nhập lại."
            ),
            ImportError::Structure(at) => write!(f, "Cấu trúc tệp không đúng {at}"),
            ImportError::BadExportedAt { found } => write!(
                f,
                "Thời điểm xuất tệp không hợp lệ (\"{}\").",
                shorten(found)
            ),
            ImportError::NoAssessments => write!(f, "Tệp không chứa bản đánh giá nào."),
            ImportError::Duplicate {
                commune_code,
                year,
                first,
                second,
            } => write!(
                f,
                "Tệp có hai bản đánh giá của cùng đơn vị mã {} năm {year} (bản thứ {first} và \
                 thứ {second}).",
                shorten(commune_code)
            ),
            ImportError::Entry {
                index,
                label,
                error,
            } => write!(f, "Bản đánh giá thứ {index} ({label}): {error}"),
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryError::ChecksumMismatch => write!(
                f,
                "Tệp đã bị sửa hoặc hỏng: mã kiểm tra SHA-256 không khớp. Hãy xin đơn vị gửi \
                 lại tệp xuất từ ứng dụng."
            ),
            EntryError::UnknownCriteriaSet { id, version, known } => {
                write!(
                    f,
                    "Bộ tiêu chí \"{}\" phiên bản \"{}\" không có trong ứng dụng",
                    shorten(id),
                    shorten(version)
                )?;
                if known.is_empty() {
                    write!(f, ".")
                } else {
                    write!(f, " (đang có: {}).", known.join(", "))
                }?;
                write!(f, " Hãy nạp bộ tiêu chí đó hoặc cập nhật ứng dụng.")
            }
            EntryError::UnknownCommune { code } => write!(
                f,
                "Mã đơn vị hành chính \"{}\" không có trong danh mục 3.321 xã, phường, đặc khu \
                 từ 01/07/2025.",
                shorten(code)
            ),
            EntryError::ProvinceMismatch {
                commune_code,
                in_file,
                official,
            } => write!(
                f,
                "Đơn vị mã {commune_code} thuộc tỉnh mã {official}, nhưng tệp ghi mã tỉnh \
                 \"{}\".",
                shorten(in_file)
            ),
            EntryError::UnknownUnitCategory { id } => write!(
                f,
                "Loại đơn vị \"{}\" không có trong bộ tiêu chí.",
                shorten(id)
            ),
            EntryError::YearOutOfRange { year } => write!(
                f,
                "Năm đánh giá {year} không hợp lệ (phải từ {YEAR_MIN} đến {YEAR_MAX})."
            ),
            EntryError::UnknownItem { item_id } => write!(
                f,
                "Có câu trả lời cho mục \"{}\" không có trong bộ tiêu chí.",
                shorten(item_id)
            ),
            EntryError::UnknownCriterion { criterion_id } => write!(
                f,
                "Có điểm tối đa ghi cho tiêu chí \"{}\" không có trong bộ tiêu chí.",
                shorten(criterion_id)
            ),
            EntryError::BadNumber {
                item_id,
                field,
                value,
                problem,
            } => {
                let problem = match problem {
                    NumberProblem::Negative => "số âm",
                    NumberProblem::NotFinite => "không phải số hữu hạn",
                    NumberProblem::TooLarge => "lớn bất thường",
                };
                write!(
                    f,
                    "Mục \"{}\": {} = {value} là {problem}.",
                    shorten(item_id),
                    field.label()
                )
            }
            EntryError::BadTimestamp { field, value } => {
                write!(f, "Thời điểm \"{field}\" = {value} không hợp lệ.")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Strings from other people's files, cut for messages.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        s.chars().take(MAX).collect::<String>() + "…"
    }
}

/// Reads an exchange file, checks everything this build can check, and recomputes the scores.
/// The whole file is refused on the first problem, so a province never loads half a file.
pub fn import_file(
    bytes: &[u8],
    known_sets: &[CriteriaSet],
) -> Result<Vec<ImportedAssessment>, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    // Notepad on Windows adds a byte-order mark when saving.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let top: TopLevel =
        serde_json::from_str(text).map_err(|e| ImportError::Syntax(JsonErrorAt::new(&e, text)))?;
    check_header(top)?;
    let file: ExchangeFile = serde_json::from_str(text)
        .map_err(|e| ImportError::Structure(JsonErrorAt::new(&e, text)))?;
    let exported_at_ms =
        parse_iso_utc(&file.exported_at).ok_or_else(|| ImportError::BadExportedAt {
            found: file.exported_at.clone(),
        })?;
    if file.assessments.is_empty() {
        return Err(ImportError::NoAssessments);
    }
    let mut seen: HashMap<(String, u16), usize> = HashMap::new();
    let mut imported = Vec::with_capacity(file.assessments.len());
    for (i, record) in file.assessments.into_iter().enumerate() {
        let index = i + 1;
        let a = &record.assessment;
        let (set, mut warnings) =
            check_record(&record, known_sets).map_err(|error| ImportError::Entry {
                index,
                label: format!(
                    "{} - mã {}, năm {}",
                    shorten(&a.commune.name),
                    shorten(&a.commune.code),
                    a.year
                ),
                error,
            })?;
        let key = (a.commune.code.clone(), a.year);
        if let Some(&first) = seen.get(&key) {
            return Err(ImportError::Duplicate {
                commune_code: key.0,
                year: key.1,
                first,
                second: index,
            });
        }
        seen.insert(key, index);
        let computed = score(set, a);
        if let Some(in_file) = record.score.as_ref().map(|s| s.total) {
            if in_file != computed.total {
                warnings.push(ImportWarning::ScoreDiffers {
                    in_file,
                    computed: computed.total,
                });
            }
        }
        imported.push(ImportedAssessment {
            assessment: record.assessment,
            revision: record.revision,
            score: computed,
            file_score: record.score,
            exported_at_ms,
            app_version: file.app_version.clone(),
            warnings,
        });
    }
    Ok(imported)
}

/// Marker and version, read before the typed parse so that a file of another kind or a newer
/// version gets its own message instead of a list of unknown fields.
fn check_header(top: TopLevel) -> Result<(), ImportError> {
    let TopLevel::Object(header) = top else {
        return Err(ImportError::NotOurFormat { looks_like: None });
    };
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT_MARKER) {
        let looks_like = if header.criteria && header.unit_categories {
            Some(ForeignFile::CriteriaSet)
        } else if header.assessment || (header.criteria_set && header.commune) {
            Some(ForeignFile::StoredCopy)
        } else {
            None
        };
        return Err(ImportError::NotOurFormat { looks_like });
    }
    let version = header.format_version;
    match version.as_ref().and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        // Version 1 is the first; when a version 2 exists, older files are migrated here.
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(ImportError::NewerFormat { found: v }),
        _ => Err(ImportError::BadFormatVersion {
            found: version.map_or_else(|| "không có".to_string(), |v| v.to_string()),
        }),
    }
}

/// A file's top level as far as [`check_header`] needs it. Reading it checks the whole text
/// exactly as parsing a `serde_json::Value` would (numbers in range, string escapes, nesting
/// depth), so syntax errors are still reported first, but keeps only the few members below:
/// building a `Value` of the whole file cost more than the typed parse after it.
enum TopLevel {
    Object(Header),
    /// An array, a string, a number …
    Other,
}

/// Top-level members; for a repeated key the last one counts, as in a `Value`.
#[derive(Default)]
struct Header {
    format: Option<Value>,
    format_version: Option<Value>,
    /// Present in a criteria set (both) or in a browser's stored copy (the others).
    criteria: bool,
    unit_categories: bool,
    assessment: bool,
    criteria_set: bool,
    commune: bool,
}

/// Any JSON value, read and checked like a `Value` but not kept. serde's `IgnoredAny` skips
/// values without checking numbers or escapes, which would let a file with `1e999` in a
/// member the typed parse ignores through.
struct Checked;

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TopLevel, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Checked, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

/// Every kind of scalar JSON has gives `$value`.
macro_rules! accept_scalars {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

fn check_elements<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<Checked>()?.is_some() {}
    Ok(())
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept_scalars!(Checked);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Checked, A::Error> {
        check_elements(seq).map(|()| Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept_scalars!(TopLevel::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TopLevel, A::Error> {
        check_elements(seq).map(|()| TopLevel::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut header = Header::default();
        while let Some(key) = map.next_key::<HeaderKey>()? {
            match key {
                HeaderKey::Format => header.format = Some(map.next_value()?),
                HeaderKey::FormatVersion => header.format_version = Some(map.next_value()?),
                other => {
                    map.next_value::<Checked>()?;
                    match other {
                        HeaderKey::Criteria => header.criteria = true,
                        HeaderKey::UnitCategories => header.unit_categories = true,
                        HeaderKey::Assessment => header.assessment = true,
                        HeaderKey::CriteriaSet => header.criteria_set = true,
                        HeaderKey::Commune => header.commune = true,
                        HeaderKey::Format | HeaderKey::FormatVersion | HeaderKey::Other => {}
                    }
                }
            }
        }
        Ok(TopLevel::Object(header))
    }
}

/// A top-level key, recognised without allocating a string for it.
enum HeaderKey {
    Format,
    FormatVersion,
    Criteria,
    UnitCategories,
    Assessment,
    CriteriaSet,
    Commune,
    Other,
}

impl<'de> Deserialize<'de> for HeaderKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HeaderKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = HeaderKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, key: &str) -> Result<HeaderKey, E> {
                Ok(match key {
                    "format" => HeaderKey::Format,
                    "format_version" => HeaderKey::FormatVersion,
                    "criteria" => HeaderKey::Criteria,
                    "unit_categories" => HeaderKey::UnitCategories,
                    "assessment" => HeaderKey::Assessment,
                    "criteria_set" => HeaderKey::CriteriaSet,
                    "commune" => HeaderKey::Commune,
                    _ => HeaderKey::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Checks one record; returns its criteria set and the warnings.
fn check_record<'s>(
    record: &ExchangeRecord,
    known_sets: &'s [CriteriaSet],
) -> Result<(&'s CriteriaSet, Vec<ImportWarning>), EntryError> {
    if record_checksum(record) != record.sha256 {
        return Err(EntryError::ChecksumMismatch);
    }
    let a = &record.assessment;
    let set = known_sets
        .iter()
        .find(|s| s.id == a.criteria_set.id && s.version == a.criteria_set.version)
        .ok_or_else(|| EntryError::UnknownCriteriaSet {
            id: a.criteria_set.id.clone(),
            version: a.criteria_set.version.clone(),
            known: known_sets
                .iter()
                .map(|s| format!("{} {}", s.id, s.version))
                .collect(),
        })?;
    let warnings = check_commune(a)?;
    if !set.unit_categories.iter().any(|u| u.id == a.unit_category) {
        return Err(EntryError::UnknownUnitCategory {
            id: a.unit_category.clone(),
        });
    }
    if !(YEAR_MIN..=YEAR_MAX).contains(&a.year) {
        return Err(EntryError::YearOutOfRange { year: a.year });
    }
    for (field, value) in [("created_at", a.created_at), ("updated_at", a.updated_at)] {
        if !value.is_finite() || value < 0.0 {
            return Err(EntryError::BadTimestamp { field, value });
        }
    }
    check_values(set, a)?;
    Ok((set, warnings))
}

fn check_commune(a: &Assessment) -> Result<Vec<ImportWarning>, EntryError> {
    let c = &a.commune;
    let d = divisions();
    let official = d
        .commune(&c.code)
        .ok_or_else(|| EntryError::UnknownCommune {
            code: c.code.clone(),
        })?;
    if c.province_code != official.province_code {
        return Err(EntryError::ProvinceMismatch {
            commune_code: c.code.clone(),
            in_file: c.province_code.clone(),
            official: official.province_code.clone(),
        });
    }
    let mut warnings = Vec::new();
    let name = search_key(&c.name);
    if name != search_key(&official.name) && name != search_key(&official.short_name) {
        warnings.push(ImportWarning::CommuneNameDiffers {
            code: c.code.clone(),
            in_file: c.name.clone(),
            official: official.name.clone(),
        });
    }
    if let Some(province) = d.province(&official.province_code) {
        let in_file = search_key(&c.province_name);
        let in_file = in_file.strip_prefix("tinh ").unwrap_or(&in_file);
        let official_key = search_key(&province.name);
        if in_file != official_key && Some(in_file) != official_key.strip_prefix("thanh pho ") {
            warnings.push(ImportWarning::ProvinceNameDiffers {
                code: province.code.clone(),
                in_file: c.province_name.clone(),
                official: province.name.clone(),
            });
        }
    }
    Ok(warnings)
}

/// Item ids must exist and numbers must be plausible; consistency between numbers
/// (numerator > denominator …) is left to the scoring engine, which reports it per item.
fn check_values(set: &CriteriaSet, a: &Assessment) -> Result<(), EntryError> {
    for (item_id, answer) in &a.answers {
        if !set
            .criteria
            .iter()
            .flat_map(|c| &c.items)
            .any(|i| &i.id == item_id)
        {
            return Err(EntryError::UnknownItem {
                item_id: item_id.clone(),
            });
        }
        let numbers = [
            (NumberField::Numerator, answer.numerator),
            (NumberField::Denominator, answer.denominator),
            (NumberField::Count, answer.count),
            (NumberField::ManualPoints, answer.manual_points),
        ];
        for (field, value) in numbers {
            let Some(value) = value else { continue };
            let problem = if !value.is_finite() {
                NumberProblem::NotFinite
            } else if value < 0.0 {
                NumberProblem::Negative
            } else if value > MAX_VALUE {
                NumberProblem::TooLarge
            } else {
                continue;
            };
            return Err(EntryError::BadNumber {
                item_id: item_id.clone(),
                field,
                value,
                problem,
            });
        }
    }
    if let Some(criterion_id) = a
        .recorded_max
        .keys()
        .find(|id| !set.criteria.iter().any(|c| &c.id == *id))
    {
        return Err(EntryError::UnknownCriterion {
            criterion_id: criterion_id.clone(),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Conflicts

/// What conflict detection needs to know about a copy of an assessment.
pub trait Versioned {
    fn commune_code(&self) -> &str;
    fn year(&self) -> u16;
    fn revision(&self) -> u64;
    /// Last edit, ms since the Unix epoch.
    fn updated_at(&self) -> f64;
}

impl Versioned for StoredAssessment {
    fn commune_code(&self) -> &str {
        &self.assessment.commune.code
    }
    fn year(&self) -> u16 {
        self.assessment.year
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn updated_at(&self) -> f64 {
        self.updated_at
    }
}

impl Versioned for ImportedAssessment {
    fn commune_code(&self) -> &str {
        &self.assessment.commune.code
    }
    fn year(&self) -> u16 {
        self.assessment.year
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn updated_at(&self) -> f64 {
        self.assessment.updated_at
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VersionInfo {
    pub revision: u64,
    pub updated_at: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newer {
    Existing,
    Imported,
    /// Same edit time and revision: most likely the same file loaded twice.
    Same,
}

/// An imported assessment for a commune and year that is already loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub commune_code: String,
    pub year: u16,
    /// Position of the existing copy in the list given to [`find_conflict`].
    pub existing_index: usize,
    pub existing: VersionInfo,
    pub imported: VersionInfo,
    /// By edit time, then by revision.
    pub newer: Newer,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let describe = |v: &VersionInfo| {
            format!(
                "sửa lần {}, lúc {} (giờ Việt Nam)",
                v.revision,
                iso_utc(v.updated_at + VIETNAM_OFFSET_MS)[..16].replace('T', " ")
            )
        };
        write!(
            f,
            "Đã có bản đánh giá của đơn vị mã {} năm {} ({}); bản trong tệp: {}. ",
            shorten(&self.commune_code),
            self.year,
            describe(&self.existing),
            describe(&self.imported)
        )?;
        match self.newer {
            Newer::Existing => write!(f, "Bản đang có mới hơn."),
            Newer::Imported => write!(f, "Bản trong tệp mới hơn."),
            Newer::Same => write!(f, "Hai bản có cùng thời điểm sửa, có thể là một."),
        }
    }
}

fn version_of(v: &impl Versioned) -> VersionInfo {
    VersionInfo {
        revision: v.revision(),
        updated_at: v.updated_at(),
    }
}

/// The first existing copy with the same commune code and year as `imported`, if any.
pub fn find_conflict<T: Versioned>(existing: &[T], imported: &impl Versioned) -> Option<Conflict> {
    let (existing_index, other) = existing.iter().enumerate().find(|(_, e)| {
        e.commune_code() == imported.commune_code() && e.year() == imported.year()
    })?;
    let existing_info = version_of(other);
    let imported_info = version_of(imported);
    let order = existing_info
        .updated_at
        .total_cmp(&imported_info.updated_at)
        .then(existing_info.revision.cmp(&imported_info.revision));
    Some(Conflict {
        commune_code: imported.commune_code().to_string(),
        year: imported.year(),
        existing_index,
        existing: existing_info,
        imported: imported_info,
        newer: match order {
            std::cmp::Ordering::Greater => Newer::Existing,
            std::cmp::Ordering::Less => Newer::Imported,
            std::cmp::Ordering::Equal => Newer::Same,
        },
    })
}
