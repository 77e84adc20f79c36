//! The appraisal file: a version 2 exchange file of kind `"tham-dinh"` that carries one or many
//! appraisals from the province to the communes (see docs/exchange-format.md, "Tệp kết quả
//! thẩm định"). Each record is checked on its own with the same checksum rule as the
//! assessments' records: SHA-256 of the record's canonical form (RFC 8785) without its `sha256`.
//!
//! The record embeds the assessment it reviewed (with that record's own checksum), so the
//! commune sees the appraisal against what was reviewed even after changing its answers.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::appraisal::{Appraisal, EarlierRound, Figures, ItemAppraisal, ReviewStatus};
use super::appraisal::{ReviewedRecord, Reviewer};
use super::criteria::CriteriaSet;
use super::criteria_registry::CriteriaRegistry;
use super::divisions::divisions;
use super::exchange::jcs;
use super::exchange::{
    file_name_part, iso_utc, parse_iso_utc, parse_rfc3339, AssessmentV2, ScoreV2, FORMAT_MARKER,
    MAX_IMPORT_BYTES, VIETNAM_OFFSET_MS,
};
use super::history::{replay, write_file_json, HistoryEntry};
use super::sorting::map_of;
use super::storage_format::JsonErrorAt;
use super::validation::{check_assessment, check_number, NumberField, TextField};

/// `kind` of an appraisal file.
pub const KIND: &str = "tham-dinh";
/// The exchange format version whose envelope the appraisal file uses.
pub const FILE_VERSION: u32 = 2;

/// One appraisal to write, with the history of its edits.
#[derive(Debug, Clone, Copy)]
pub struct ExportAppraisal<'a> {
    pub appraisal: &'a Appraisal,
    pub set: &'a CriteriaSet,
    pub history: &'a [HistoryEntry],
}

// ---------------------------------------------------------------------------------------------
// The layout in the file

#[derive(Serialize, Deserialize)]
struct RecordWire {
    #[serde(default)]
    sha256: String,
    appraisal: AppraisalWire,
    /// The appraised score, for people reading the file; recomputed on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<ScoreV2>,
    /// The score of the reviewed record, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    self_score: Option<ScoreV2>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<HistoryEntry>,
}

#[derive(Serialize, Deserialize)]
struct AppraisalWire {
    #[serde(default)]
    id: String,
    round: u32,
    reviewed: ReviewedWire,
    #[serde(default)]
    items: BTreeMap<String, ItemWire>,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    reviewer: Reviewer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    earlier_rounds: Vec<EarlierRound>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    updated_at: String,
}

#[derive(Serialize, Deserialize)]
struct ReviewedWire {
    sha256: String,
    #[serde(default = "one")]
    revision: u64,
    assessment: AssessmentV2,
}

fn one() -> u64 {
    1
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct ItemWire {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<ReviewStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    figures: Option<FiguresWire>,
    #[serde(skip_serializing_if = "String::is_empty")]
    comment: String,
}

/// Numbers written as people write them (`17`, not `17.0`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct FiguresWire {
    #[serde(skip_serializing_if = "Option::is_none")]
    yes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    numerator: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    denominator: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual_points: Option<Number>,
}

#[derive(Clone, Copy)]
struct Number(f64);

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.007_199_254_740_991e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(Number)
    }
}

impl From<&Figures> for FiguresWire {
    fn from(f: &Figures) -> FiguresWire {
        let n = |x: Option<f64>| x.filter(|x| x.is_finite()).map(Number);
        FiguresWire {
            yes: f.yes,
            numerator: n(f.numerator),
            denominator: n(f.denominator),
            count: n(f.count),
            manual_points: n(f.manual_points),
        }
    }
}

impl From<FiguresWire> for Figures {
    fn from(f: FiguresWire) -> Figures {
        Figures {
            yes: f.yes,
            numerator: f.numerator.map(|n| n.0),
            denominator: f.denominator.map(|n| n.0),
            count: f.count.map(|n| n.0),
            manual_points: f.manual_points.map(|n| n.0),
        }
    }
}

impl AppraisalWire {
    fn of(a: &Appraisal) -> AppraisalWire {
        let Appraisal {
            id,
            round,
            reviewed,
            items,
            conclusion,
            reviewer,
            date,
            earlier_rounds,
            created_at,
            updated_at,
        } = a;
        AppraisalWire {
            id: id.clone(),
            round: *round,
            reviewed: ReviewedWire {
                sha256: reviewed.sha256.clone(),
                revision: reviewed.revision,
                assessment: AssessmentV2::from(&reviewed.assessment),
            },
            items: map_of(items.iter().map(|(id, i)| {
                let wire = ItemWire {
                    status: i.status,
                    figures: i.figures.as_ref().map(FiguresWire::from),
                    comment: i.comment.clone(),
                };
                (id.clone(), wire)
            })),
            conclusion: conclusion.clone(),
            reviewer: reviewer.clone(),
            date: date.clone(),
            earlier_rounds: earlier_rounds.clone(),
            created_at: Some(iso_utc(*created_at)),
            updated_at: iso_utc(*updated_at),
        }
    }

    fn into_appraisal(self) -> Result<Appraisal, String> {
        let updated_at = time("appraisal.updated_at", &self.updated_at)?;
        let created_at = match &self.created_at {
            Some(t) => time("appraisal.created_at", t)?,
            None => updated_at,
        };
        let assessment = self
            .reviewed
            .assessment
            .into_assessment()
            .map_err(|e| format!("«appraisal.reviewed.{}»: {}", e.path, e.detail))?;
        Ok(Appraisal {
            id: self.id,
            round: self.round,
            reviewed: ReviewedRecord {
                sha256: self.reviewed.sha256.to_ascii_lowercase(),
                revision: self.reviewed.revision,
                assessment,
            },
            items: map_of(self.items.into_iter().map(|(id, i)| {
                let item = ItemAppraisal {
                    status: i.status,
                    figures: i.figures.map(Figures::from),
                    comment: i.comment,
                };
                (id, item)
            })),
            conclusion: self.conclusion,
            reviewer: self.reviewer,
            date: self.date,
            earlier_rounds: self.earlier_rounds,
            created_at,
            updated_at,
        })
    }
}

fn time(member: &str, text: &str) -> Result<f64, String> {
    parse_rfc3339(text).ok_or_else(|| {
        format!("«{member}»: \"{text}\" không phải thời điểm theo RFC 3339 (ví dụ 2025-11-23T01:19:00.000Z)")
    })
}

/// SHA-256 (lowercase hex) of the canonical form of a record without its `sha256` member.
pub fn record_checksum(record: &Value) -> String {
    let mut record = record.clone();
    if let Value::Object(map) = &mut record {
        map.remove("sha256");
    }
    jcs::digest(&jcs::canonical(&record))
}

// ---------------------------------------------------------------------------------------------
// Export

/// The whole file, in the order a person reads it.
#[derive(Serialize)]
struct FileWire<'a> {
    format: &'a str,
    format_version: u32,
    kind: &'a str,
    app_version: &'a str,
    exported_at: String,
    appraisals: Vec<RecordWire>,
}

/// The file for `entries`, pretty-printed so it can be read in a text editor.
pub fn export_file(entries: &[ExportAppraisal<'_>], now_ms: f64) -> String {
    let file = FileWire {
        format: FORMAT_MARKER,
        format_version: FILE_VERSION,
        kind: KIND,
        app_version: env!("CARGO_PKG_VERSION"),
        exported_at: iso_utc(now_ms),
        appraisals: entries.iter().map(export_record).collect(),
    };
    write_file_json(&file) + "\n"
}

/// One record, with its checksum.
fn export_record(e: &ExportAppraisal<'_>) -> RecordWire {
    let result = e.appraisal.evaluate(e.set);
    let wire = RecordWire {
        sha256: String::new(),
        appraisal: AppraisalWire::of(e.appraisal),
        score: Some(ScoreV2::from(&result.appraised_score)),
        self_score: Some(ScoreV2::from(&result.self_score)),
        history: e.history.to_vec(),
    };
    let mut wire = wire;
    let value = serde_json::to_value(&wire).expect("an appraisal record serializes");
    wire.sha256 = record_checksum(&value);
    wire
}

/// `tham-dinh_<mã xã>_<năm>.json` for one appraisal, `tham-dinh_<n>-ban_<ngày>.json` for
/// several.
pub fn export_file_name(entries: &[ExportAppraisal<'_>], now_ms: f64) -> String {
    match entries {
        [one] => format!(
            "tham-dinh_{}_{}.json",
            file_name_part(one.appraisal.commune_code()),
            one.appraisal.year()
        ),
        _ => {
            let date = &iso_utc(now_ms + VIETNAM_OFFSET_MS)[..10];
            format!("tham-dinh_{}-ban_{date}.json", entries.len())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Import

/// An appraisal read from a file and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAppraisal {
    pub appraisal: Appraisal,
    pub history: Vec<HistoryEntry>,
    /// The record's own checksum.
    pub sha256: String,
    /// Accepted, but worth telling (Vietnamese).
    pub warnings: Vec<String>,
}

/// A record refused, and why (Vietnamese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedAppraisal {
    /// From 1, as people count.
    pub number: usize,
    /// "Phường Hoàn Kiếm, năm 2025" when it could be read.
    pub label: Option<String>,
    pub reason: String,
}

impl fmt::Display for RejectedAppraisal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kết quả thẩm định thứ {}", self.number)?;
        if let Some(label) = &self.label {
            write!(f, " ({label})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppraisalFileError {
    TooLarge,
    NotUtf8,
    Json(String),
    NotAnAppraisalFile,
    NewerVersion(u64),
    NoAppraisals,
}

impl fmt::Display for AppraisalFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppraisalFileError::TooLarge => write!(
                f,
                "Tệp lớn hơn {} MB, không phải tệp kết quả thẩm định.",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
            AppraisalFileError::NotUtf8 => {
                f.write_str("Tệp không phải văn bản UTF-8, không phải tệp kết quả thẩm định.")
            }
            AppraisalFileError::Json(detail) => {
                write!(f, "Tệp không phải JSON hợp lệ: {detail}")
            }
            AppraisalFileError::NotAnAppraisalFile => {
                f.write_str("Đây không phải tệp kết quả thẩm định của công cụ này.")
            }
            AppraisalFileError::NewerVersion(v) => write!(
                f,
                "Tệp được ghi theo định dạng phiên bản {v}, mới hơn phiên bản ứng dụng này đọc \
                 được. Hãy cập nhật ứng dụng (tải lại trang khi có mạng)."
            ),
            AppraisalFileError::NoAppraisals => f.write_str("Tệp không có kết quả thẩm định nào."),
        }
    }
}

/// Whether parsed JSON is an appraisal file (by its `format` and `kind`), so an import panel
/// can route it here.
pub fn is_appraisal_file(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some(FORMAT_MARKER)
        && value.get("kind").and_then(Value::as_str) == Some(KIND)
}

/// Reads an appraisal file; each record is accepted or refused on its own.
pub fn import_file(
    bytes: &[u8],
    sets: &CriteriaRegistry,
) -> Result<Vec<Result<ImportedAppraisal, RejectedAppraisal>>, AppraisalFileError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(AppraisalFileError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| AppraisalFileError::NotUtf8)?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| AppraisalFileError::Json(JsonErrorAt::new(&e, text).to_string()))?;
    import_value(&value, sets)
}

/// [`import_file`] on JSON already parsed.
pub fn import_value(
    value: &Value,
    sets: &CriteriaRegistry,
) -> Result<Vec<Result<ImportedAppraisal, RejectedAppraisal>>, AppraisalFileError> {
    if !is_appraisal_file(value) {
        return Err(AppraisalFileError::NotAnAppraisalFile);
    }
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(FILE_VERSION) => return Err(AppraisalFileError::NewerVersion(v)),
        Some(v) if v == u64::from(FILE_VERSION) => {}
        _ => return Err(AppraisalFileError::NotAnAppraisalFile),
    }
    let records = match value.get("appraisals") {
        Some(Value::Array(r)) if !r.is_empty() => r,
        _ => return Err(AppraisalFileError::NoAppraisals),
    };
    Ok(records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            import_record(r, sets).map_err(|(label, reason)| RejectedAppraisal {
                number: i + 1,
                label,
                reason,
            })
        })
        .collect())
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A record checked, or its label (when readable) and the reason to refuse it.
fn import_record(
    record: &Value,
    sets: &CriteriaRegistry,
) -> Result<ImportedAppraisal, (Option<String>, String)> {
    let label = label_of(record);
    let refuse = |reason: String| (label.clone(), reason);
    let sha = record.get("sha256").and_then(Value::as_str).unwrap_or("");
    if !is_sha256(sha) {
        return Err(refuse("thiếu mã kiểm tra «sha256» (64 chữ số hex).".into()));
    }
    if !record_checksum(record).eq_ignore_ascii_case(sha) {
        return Err(refuse(
            "mã kiểm tra không khớp: nội dung đã bị sửa hoặc hỏng sau khi xuất tệp.".into(),
        ));
    }
    // Through its text: the wire types then have one deserializer, from text, as the exchange
    // records do, not a second one from `Value` (20 KB of the module's parts). The place an
    // error names would be in that text, not the file's: left out.
    let wire: RecordWire = serde_json::from_str(&record.to_string())
        .map_err(|e| refuse(format!("sai cấu trúc: {}.", without_place(&e))))?;
    let history = wire.history;
    let appraisal = wire.appraisal.into_appraisal().map_err(refuse)?;
    check(&appraisal, sets).map_err(refuse)?;
    let mut warnings = Vec::new();
    if !history.is_empty() {
        let doc = serde_json::to_value(&appraisal).expect("an appraisal serializes");
        if let Err(mismatch) = replay(&doc, &history) {
            warnings.push(mismatch.to_string());
        }
    }
    Ok(ImportedAppraisal {
        appraisal,
        history,
        sha256: sha.to_ascii_lowercase(),
        warnings,
    })
}

/// "Phường Hoàn Kiếm, năm 2025", read loosely from a record that may be refused.
fn label_of(record: &Value) -> Option<String> {
    let a = record
        .get("appraisal")?
        .get("reviewed")?
        .get("assessment")?;
    let name = a.get("commune")?.get("name")?.as_str()?;
    let year = a.get("year")?.as_u64()?;
    Some(format!("{name}, năm {year}"))
}

/// The checks that do not depend on the layout.
fn check(a: &Appraisal, sets: &CriteriaRegistry) -> Result<(), String> {
    let r = &a.reviewed;
    let x = &r.assessment;
    if !is_sha256(&r.sha256) {
        return Err("mã kiểm tra của bản được thẩm định không phải 64 chữ số hex.".into());
    }
    if a.round == 0 {
        return Err("«round» (lần thẩm định) phải từ 1.".into());
    }
    check_assessment(x).map_err(|e| format!("bản được thẩm định: {e}"))?;
    let Some(list) = divisions() else {
        return Err(
            "danh mục đơn vị hành chính chưa tải được nên chưa kiểm tra được mã đơn vị; hãy thử \
             lại khi có mạng."
                .into(),
        );
    };
    if list.commune(&x.commune.code).is_none() {
        return Err(format!(
            "mã đơn vị «{}» không có trong danh mục đơn vị hành chính cấp xã.",
            x.commune.code
        ));
    }
    let set = &sets
        .resolve(&x.criteria_set)
        .map_err(|e| format!("{e}"))?
        .set;
    let known = |id: &str| {
        set.criteria
            .iter()
            .flat_map(|c| &c.items)
            .any(|i| i.id == id)
    };
    if let Some(id) = a.items.keys().find(|id| !known(id)) {
        return Err(format!(
            "có ý kiến cho mục «{id}» không có trong bộ tiêu chí."
        ));
    }
    for (id, item) in &a.items {
        if let Some(f) = &item.figures {
            let numbers = [
                (NumberField::Numerator, f.numerator),
                (NumberField::Denominator, f.denominator),
                (NumberField::Count, f.count),
                (NumberField::ManualPoints, f.manual_points),
            ];
            for (field, value) in numbers {
                if let Some(problem) = value.and_then(|v| check_number(field, v).err()) {
                    return Err(format!(
                        "{} thẩm định của mục «{id}»: {}",
                        field.label(),
                        problem.message_vi(field)
                    ));
                }
            }
        }
        let chars = item.comment.chars().count();
        if chars > TextField::Explanation.max_chars() {
            return Err(format!("nhận xét của mục «{id}» quá dài ({chars} ký tự)."));
        }
    }
    let long = [
        &a.conclusion,
        &a.reviewer.name,
        &a.reviewer.position,
        &a.reviewer.organization,
    ];
    if long
        .iter()
        .any(|t| t.chars().count() > TextField::Explanation.max_chars())
    {
        return Err("kết luận hoặc thông tin người thẩm định quá dài.".into());
    }
    if let Some(date) = &a.date {
        if parse_iso_utc(&format!("{date}T00:00:00Z")).is_none() {
            return Err(format!(
                "ngày thẩm định «{date}» không đúng dạng YYYY-MM-DD."
            ));
        }
    }
    if a.earlier_rounds.iter().any(|e| e.round >= a.round) {
        return Err("lần thẩm định trước phải có số nhỏ hơn lần hiện tại.".into());
    }
    Ok(())
}

/// What serde says of `e`, without the line and column it appends.
fn without_place(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) if e.line() > 0 => text[..at].to_string(),
        _ => text,
    }
}
