//! Reading a file: the whole file is checked first (size, text, JSON, format, version, header)
//! and refused as a whole when that fails; then each record on its own — refused alone, or
//! accepted with its score computed again by this build. [`OpenedFile`] gives the records one
//! at a time, so the browser can check a province's thousands in slices between frames;
//! [`import_file`] does it all at once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::canonical_read::{read_record, RecordText};
use super::checks::check_assessment;
use super::errors::{shorten, EntryError, ForeignFile, ImportError, ImportWarning, RejectedRecord};
use super::format::{
    push_member, unknown_members, Consolidated, ConvertedFrom, FieldError, HeaderV2, RecordV2,
    Whole, FORMAT_MARKER, FORMAT_VERSION, KIND_SELF_ASSESSMENT, RECORD,
};
use super::jcs;
use super::json::{
    record_value, syntax_error, top_level, RecordJson, RecordSplitter, Records, Split,
};
use super::limits::MAX_IMPORT_BYTES;
use super::time::{parse_iso_utc, parse_rfc3339};
use super::v1::{record_checksum_v1, ExchangeRecord as RecordV1, FORMAT_VERSION_1};
use crate::domain::assessment::Assessment;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::divisions::divisions;
use crate::domain::history::{replay, HistoryEntry};
use crate::domain::messages::{describe_at, locate, JsonErrorAt, Segment as Step};
use crate::domain::scoring::{score, AssessmentScore};
use crate::domain::storage_format::{StoredAssessment, STORAGE_FORMAT};

/// An assessment read from a file, checked, with its score computed again by this build.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAssessment {
    pub assessment: Assessment,
    pub revision: u64,
    /// Computed here from the answers and the known criteria set.
    pub score: AssessmentScore,
    /// The total the sender's app had computed, when the file gives one.
    pub file_total: Option<u32>,
    /// The sender kept it as a backup beside the copy in use.
    pub backup: bool,
    /// 1-based position in its file.
    pub index: usize,
    pub warnings: Vec<ImportWarning>,
    /// The record as a version 2 file holds it, to be passed on untouched (a consolidated file).
    pub original: OriginalRecord,
    /// Its saved changes as the file carries them, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// A record in the canonical form its checksum is computed on, with that checksum: the record
/// exactly as its file had it (version 2), or rewritten as version 2 with `converted_from`
/// and a checksum of its own (version 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalRecord {
    /// RFC 8785 text of the record without `sha256`.
    #[serde(rename = "c")]
    pub canonical: String,
    /// As the file wrote it (upper-case hex stays upper-case).
    #[serde(rename = "s")]
    pub sha256: String,
}

impl OriginalRecord {
    /// The record of an assessment that came without one (loaded before files had a version 2,
    /// from a version 1 file): written as version 2, marked as converted, with its own checksum.
    pub fn converted(stored: &StoredAssessment) -> OriginalRecord {
        let mut record = RecordV2::new(&stored.assessment, stored.revision.max(1), None, false);
        record.converted_from = Some(ConvertedFrom {
            format_version: Whole(FORMAT_VERSION_1),
            sha256: None,
        });
        OriginalRecord::of(&record)
    }

    /// `record`'s canonical form and checksum (its own `sha256` is ignored).
    pub fn of(record: &RecordV2) -> OriginalRecord {
        let mut value = serde_json::to_value(record).expect("a record serializes");
        if let Value::Object(members) = &mut value {
            members.remove("sha256");
        }
        let canonical = jcs::canonical_text(&value);
        OriginalRecord {
            sha256: jcs::digest(canonical.as_bytes()),
            canonical,
        }
    }

    /// The record as JSON text with its checksum, on one line.
    pub fn to_json(&self) -> String {
        // The canonical text is an object with at least `assessment`: "{…}".
        format!("{{\"sha256\":\"{}\",{}", self.sha256, &self.canonical[1..])
    }
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

    /// "Phường Hoàn Kiếm (mã 00070), năm 2025".
    pub fn label(&self) -> String {
        let a = &self.assessment;
        format!("{} (mã {}), năm {}", a.commune.name, a.commune.code, a.year)
    }
}

/// What the top level of a file says, once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FileHeader {
    pub format_version: u32,
    pub app_version: Option<String>,
    pub exported_at_ms: f64,
    /// The header of a province's consolidated file.
    pub consolidated: Option<Consolidated>,
    pub warnings: Vec<ImportWarning>,
}

/// Every record of a file, accepted or refused, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    pub header: FileHeader,
    pub records: Vec<Result<ImportedAssessment, RejectedRecord>>,
}

impl ImportedFile {
    pub fn accepted(&self) -> impl Iterator<Item = &ImportedAssessment> {
        self.records.iter().filter_map(|r| r.as_ref().ok())
    }

    pub fn rejected(&self) -> impl Iterator<Item = &RejectedRecord> {
        self.records.iter().filter_map(|r| r.as_ref().err())
    }
}

/// Reads a whole file at once: see [`OpenedFile`] for the steps.
pub fn import_file(
    bytes: &[u8],
    known_sets: &CriteriaRegistry,
) -> Result<ImportedFile, ImportError> {
    let mut opened = OpenedFile::open(bytes)?;
    let mut records = Vec::with_capacity(opened.len());
    while let Some(record) = opened.check_next(known_sets)? {
        records.push(record);
    }
    Ok(ImportedFile {
        header: opened.into_header(),
        records,
    })
}

/// A file being opened in steps: see [`Opening::step`].
pub struct Opening<'t> {
    bytes: &'t [u8],
    stage: Stage,
}

enum Stage {
    Split(RecordSplitter),
    /// Opened the plain way, at once.
    Whole,
}

/// Notepad on Windows adds a byte-order mark when saving.
const BOM: &[u8] = "\u{feff}".as_bytes();

impl<'t> Opening<'t> {
    pub fn new(bytes: &'t [u8]) -> Opening<'t> {
        let stage = if bytes.len() > MAX_IMPORT_BYTES {
            Stage::Whole
        } else {
            Stage::Split(RecordSplitter::new())
        };
        Opening { bytes, stage }
    }

    /// Works through about `budget` more bytes; the outcome once there is one, the same as
    /// [`OpenedFile::open`]'s. A large file of the usual layout is opened in many short
    /// steps, its records cut out of the bytes; each record's UTF-8 is checked when the record
    /// is ([`OpenedFile::check_next`]), so no step reads the whole file. Anything else (a
    /// version 1 file, a damaged one) is opened at the last step, at once.
    pub fn step(&mut self, budget: usize) -> Option<Result<OpenedFile<'t>, ImportError>> {
        let whole = self.bytes;
        let bytes = whole.strip_prefix(BOM).unwrap_or(whole);
        match &mut self.stage {
            Stage::Whole => Some(OpenedFile::open(whole)),
            Stage::Split(splitter) => match splitter.step(bytes, budget) {
                Split::Going => None,
                Split::Unusual => Some(OpenedFile::open(whole)),
                Split::Done { records, array } => Some(
                    OpenedFile::from_split(whole, &records, array)
                        .map_or_else(|| OpenedFile::open(whole), Ok),
                ),
            },
        }
    }
}

/// The records of an opened file: known to be UTF-8 (opened at once), or not yet (cut out of
/// the bytes, see [`Opening::step`]).
enum RecordTexts<'t> {
    Checked(Vec<&'t str>),
    Unchecked(Vec<&'t [u8]>),
}

impl<'t> RecordTexts<'t> {
    fn len(&self) -> usize {
        match self {
            RecordTexts::Checked(r) => r.len(),
            RecordTexts::Unchecked(r) => r.len(),
        }
    }

    /// Record `i`'s text, or where in `bytes` (the file they are cut from) its first byte that
    /// is not UTF-8 lies.
    fn get(&self, i: usize, bytes: &[u8]) -> Option<Result<&'t str, usize>> {
        match self {
            RecordTexts::Checked(r) => r.get(i).map(|t| Ok(*t)),
            RecordTexts::Unchecked(r) => r.get(i).map(|raw| {
                std::str::from_utf8(raw)
                    .map_err(|e| raw.as_ptr() as usize - bytes.as_ptr() as usize + e.valid_up_to())
            }),
        }
    }
}

/// A file whose top level has been checked, its records not yet.
pub struct OpenedFile<'t> {
    /// The file without its byte-order mark, if it had one.
    bytes: &'t [u8],
    /// The length of that mark (positions in errors count from the file's first byte).
    bom: usize,
    header: FileHeader,
    records: RecordTexts<'t>,
    next: usize,
    /// Commune code and year → position of the first record for them.
    seen: HashMap<(String, u16), usize>,
    /// Byte offset up to which lines are counted, and the line there (from 1).
    lines: (usize, usize),
    /// Structure errors given a position so far.
    positioned: usize,
}

impl<'t> OpenedFile<'t> {
    /// Checks what concerns the whole file; the records are only cut out.
    pub fn open(bytes: &'t [u8]) -> Result<OpenedFile<'t>, ImportError> {
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(ImportError::TooLarge {
                bytes: bytes.len() as u64,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
            valid_up_to: e.valid_up_to(),
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(ImportError::Empty);
        }
        let top = top_level(text)
            .map_err(ImportError::Syntax)?
            .ok_or(ImportError::NotOurFormat { looks_like: None })?;
        let version = format_version(&top.members)?;
        let (header, records) = if version == FORMAT_VERSION_1 {
            open_v1(text)?
        } else {
            open_v2(top)?
        };
        Ok(OpenedFile {
            bytes: text.as_bytes(),
            bom: bytes.len() - text.len(),
            header,
            records: RecordTexts::Checked(records),
            next: 0,
            seen: HashMap::new(),
            lines: (0, 1),
            positioned: 0,
        })
    }

    /// A version 2 file whose records [`RecordSplitter`] found in `whole` (past its byte-order
    /// mark): the rest of the top level is read without them. `None` when that is not enough
    /// to decide (a version 1 file, any error, bytes that are not UTF-8 outside the records):
    /// the caller opens the whole file, which says exactly what is wrong.
    fn from_split(
        whole: &'t [u8],
        records: &[(usize, usize)],
        (start, end): (usize, usize),
    ) -> Option<OpenedFile<'t>> {
        let bytes = whole.strip_prefix(BOM).unwrap_or(whole);
        let before = std::str::from_utf8(&bytes[..start]).ok()?;
        let after = std::str::from_utf8(&bytes[end..]).ok()?;
        let rest = format!("{before}[]{after}");
        let top = top_level(&rest).ok()??;
        // The empty list left in place of the records must be what `assessments` holds.
        let in_place = matches!(&top.records, Records::Array(r) if r.is_empty());
        if !in_place || format_version(&top.members).ok()? != FORMAT_VERSION {
            return None;
        }
        if records.is_empty() {
            return None;
        }
        // A refusal of the header is told only once the whole text is known to be JSON, as
        // opening it at once does: the caller does that.
        let header = header_v2(top).ok()?;
        Some(OpenedFile {
            bytes,
            bom: whole.len() - bytes.len(),
            header,
            records: RecordTexts::Unchecked(records.iter().map(|&(a, b)| &bytes[a..b]).collect()),
            next: 0,
            seen: HashMap::new(),
            lines: (0, 1),
            positioned: 0,
        })
    }

    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// How many records the file holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// How many have been checked.
    pub fn checked(&self) -> usize {
        self.next
    }

    /// Checks the next record; `Ok(None)` once all are. An error means the record showed that
    /// the file is not JSON after all: the whole file is refused then.
    pub fn check_next(
        &mut self,
        known_sets: &CriteriaRegistry,
    ) -> Result<Option<Result<ImportedAssessment, RejectedRecord>>, ImportError> {
        let raw = match self.records.get(self.next, self.bytes) {
            None => return Ok(None),
            Some(Ok(raw)) => raw,
            // Everything before it is UTF-8: the header and the records before were checked,
            // and between records stand only commas and spaces.
            Some(Err(at)) => {
                return Err(ImportError::NotUtf8 {
                    valid_up_to: self.bom + at,
                })
            }
        };
        self.next += 1;
        let index = self.next;
        let reject = |error| RejectedRecord {
            index,
            label: label_of_text(raw),
            error,
        };
        let version = self.header.format_version;
        let from_text = (version == FORMAT_VERSION)
            .then(|| read_v2_from_text(raw, index))
            .flatten();
        let read = match from_text {
            Some(read) => read,
            None => match record_value(raw) {
                // Read strictly first (no member twice), then from the text.
                Ok(_) if version == FORMAT_VERSION_1 => read_v1(raw),
                Ok(value) => read_v2(value, raw, index),
                Err(RecordJson::Syntax) => {
                    // Opened at once, a file that is not UTF-8 says so first.
                    let text =
                        std::str::from_utf8(self.bytes).map_err(|e| ImportError::NotUtf8 {
                            valid_up_to: self.bom + e.valid_up_to(),
                        })?;
                    let at = syntax_error(text).unwrap_or(JsonErrorAt {
                        line: 0,
                        column: 0,
                        detail: "bản ghi không phải JSON hợp lệ".into(),
                    });
                    return Err(ImportError::Syntax(at));
                }
                Err(RecordJson::Repeated(error)) => {
                    let error = self.positioned(raw, index, &error, true);
                    return Ok(Some(Err(RejectedRecord {
                        index,
                        label: None,
                        error: EntryError::Structure(error),
                    })));
                }
            },
        };
        let record = match read {
            Ok(record) => record,
            Err(Unread::Entry(error)) => return Ok(Some(Err(reject(error)))),
            Err(Unread::Shape) => {
                let error = if version == FORMAT_VERSION_1 {
                    serde_json::from_str::<RecordV1>(raw).err()
                } else {
                    serde_json::from_str::<RecordV2>(raw).err()
                };
                let error = match error {
                    Some(error) => self.positioned(raw, index, &error, false),
                    // The text reads where its value did not: cannot be, but say so plainly.
                    None => FieldError::rule("", &record_steps(index), "không đọc được"),
                };
                return Ok(Some(Err(reject(EntryError::Structure(error)))));
            }
        };
        let (set, mut warnings) = match check_assessment(&record.assessment, known_sets) {
            Ok(checked) => checked,
            Err(error) => return Ok(Some(Err(reject(error)))),
        };
        warnings.splice(0..0, record.warnings);
        let a = &record.assessment;
        if let Some(consolidated) = &self.header.consolidated {
            if a.commune.province_code != consolidated.province_code {
                warnings.push(ImportWarning::OutsideProvince {
                    province_code: a.commune.province_code.clone(),
                    header_province: consolidated.province_code.clone(),
                });
            }
        }
        let key = (a.commune.code.clone(), a.year);
        // A backup beside the copy in use is what «Xuất tất cả» writes: nothing to remark.
        if !record.backup {
            match self.seen.get(&key) {
                Some(&first) => warnings.push(ImportWarning::SameUnitAndYear { first }),
                None => {
                    self.seen.insert(key, index);
                }
            }
        }
        if !record.history.is_empty() {
            let doc = serde_json::to_value(a).expect("an assessment serializes");
            if let Err(mismatch) = replay(&doc, &record.history) {
                warnings.push(ImportWarning::HistoryDoesNotFit(mismatch));
            }
        }
        let computed = score(set, a);
        if let Some(in_file) = record.file_total.filter(|&t| t != computed.total) {
            warnings.push(ImportWarning::ScoreDiffers {
                in_file,
                computed: computed.total,
            });
        }
        Ok(Some(Ok(ImportedAssessment {
            assessment: record.assessment,
            revision: record.revision,
            score: computed,
            file_total: record.file_total,
            backup: record.backup,
            index,
            warnings,
            original: record.original,
            history: record.history,
        })))
    }

    pub fn into_header(self) -> FileHeader {
        self.header
    }

    /// `error`, met reading `raw` (the text of record `index`) on its own, told as a parse of the
    /// whole file would tell it: the field in the domain's words, the line and column in the file.
    /// `wrapped`: the error comes from `record_value`, which reads the record inside "[[…]]",
    /// so its first line is 2 bytes longer.
    fn positioned(
        &mut self,
        text: &str,
        index: usize,
        error: &serde_json::Error,
        wrapped: bool,
    ) -> FieldError {
        let (line, mut column) = (error.line(), error.column());
        if line == 1 && wrapped {
            column = column.saturating_sub(2);
        }
        let line_start = match line {
            0 | 1 => 0,
            n => text
                .match_indices('\n')
                .nth(n - 2)
                .map_or(0, |(i, _)| i + 1),
        };
        // A syntax error's column is the offending byte; a data error's, the end of the value.
        let at = match error.classify() {
            serde_json::error::Category::Data => column,
            _ => column.saturating_sub(1),
        };
        let mut offset = (line_start + at).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let inside = locate(&text[..offset], offset == text.len()).path;
        let mut steps = record_steps(index);
        steps.extend(inside.iter().cloned());
        let (line, column) = self.position(text, offset).unwrap_or((0, 0));
        FieldError {
            path: dotted_steps(&inside),
            line,
            column,
            detail: describe_at(&error.to_string(), &steps),
        }
    }

    /// Line and column (in characters, from 1) in the file of byte `offset` of `record`, a slice
    /// of it. Lines are counted from the last place counted, records being checked in order;
    /// past [`MAX_POSITIONED`] errors a file's later ones go without, as finding the start of a
    /// line in a file written on one line means a long scan.
    fn position(&mut self, record: &str, offset: usize) -> Option<(usize, usize)> {
        if self.positioned >= MAX_POSITIONED {
            return None;
        }
        self.positioned += 1;
        let at = record.as_ptr() as usize - self.bytes.as_ptr() as usize + offset;
        let (counted_to, line) = self.lines;
        if at < counted_to {
            return None;
        }
        let newlines = self.bytes[counted_to..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.lines = (at, line + newlines);
        let line_start = self.bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Characters, counted in text known to be UTF-8 (everything up to this record's error).
        let column = self.bytes[line_start..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Some((line + newlines, column + 1))
    }
}

/// Past this many structure errors in one file, the later ones are told without a position.
const MAX_POSITIONED: usize = 50;

/// The way from the top of the file to record `index` (1-based).
fn record_steps(index: usize) -> Vec<Step> {
    vec![Step::Key("assessments".into()), Step::Index(index - 1)]
}

fn dotted_steps(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) => push_member(&mut out, key),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `format` and `format_version`, read before anything else so that a file of another kind or
/// version gets its own message instead of a list of members it lacks.
fn format_version(members: &Map<String, Value>) -> Result<u32, ImportError> {
    if members.get("format").and_then(Value::as_str) != Some(FORMAT_MARKER) {
        let has = |name: &str| members.contains_key(name);
        let looks_like = if has("criteria") && has("unit_categories") {
            Some(ForeignFile::CriteriaSet)
        } else if has("assessment") || (has("criteria_set") && has("commune")) {
            Some(ForeignFile::StoredCopy)
        } else {
            None
        };
        return Err(ImportError::NotOurFormat { looks_like });
    }
    let version = members.get("format_version");
    // JSON has one kind of number: 2.0 is 2.
    let whole = version.and_then(|v| {
        v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|x| x.fract() == 0.0 && *x >= 0.0)
                .map(|x| x as u64)
        })
    });
    match whole {
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(ImportError::NewerFormat { found: v }),
        Some(v @ 1..) => Ok(v as u32),
        _ => Err(ImportError::BadFormatVersion {
            found: version.map_or_else(|| "không có".to_string(), Value::to_string),
        }),
    }
}

/// Version 1's top level, as strictly as version 1 read it (every member required, no other).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvelopeV1<'t> {
    #[serde(rename = "format")]
    _format: String,
    #[serde(rename = "format_version")]
    _format_version: u32,
    app_version: String,
    exported_at: String,
    #[serde(borrow)]
    assessments: Vec<&'t RawValue>,
}

fn open_v1(text: &str) -> Result<(FileHeader, Vec<&str>), ImportError> {
    let envelope: EnvelopeV1 = serde_json::from_str(text)
        .map_err(|e| ImportError::Structure(JsonErrorAt::new(&e, text)))?;
    let exported_at_ms =
        parse_iso_utc(&envelope.exported_at).ok_or_else(|| ImportError::BadExportedAt {
            found: envelope.exported_at.clone(),
        })?;
    if envelope.assessments.is_empty() {
        return Err(ImportError::NoAssessments);
    }
    let header = FileHeader {
        format_version: FORMAT_VERSION_1,
        app_version: Some(envelope.app_version),
        exported_at_ms,
        consolidated: None,
        warnings: Vec::new(),
    };
    Ok((
        header,
        envelope.assessments.iter().map(|r| r.get()).collect(),
    ))
}

fn open_v2(mut top: super::json::TopLevel<'_>) -> Result<(FileHeader, Vec<&str>), ImportError> {
    let records = std::mem::replace(&mut top.records, Records::Missing);
    let header = header_v2(top)?;
    let records = match records {
        Records::Array(records) if records.is_empty() => return Err(ImportError::NoAssessments),
        Records::Array(records) => records,
        Records::Missing => {
            return Err(header_error(
                "assessments",
                "là trường bắt buộc (danh sách [ … ] các bản ghi) nhưng không có".into(),
            ))
        }
        Records::NotArray(value) => {
            return Err(header_error(
                "assessments",
                format!("phải là một danh sách [ … ], nhưng có {}", kind_of(&value)),
            ))
        }
    };
    Ok((header, records))
}

fn header_error(path: &str, rule: String) -> ImportError {
    let steps: Vec<Step> = path.split('.').map(|k| Step::Key(k.to_string())).collect();
    ImportError::Header(FieldError::rule(path, &steps, &rule))
}

/// The header of a version 2 file: every member but `assessments`.
fn header_v2(top: super::json::TopLevel<'_>) -> Result<FileHeader, ImportError> {
    if let Some(name) = top.repeated.first() {
        return Err(header_error(
            name,
            "xuất hiện hai lần ở đầu tệp (I-JSON không cho phép)".into(),
        ));
    }
    let mut members = top.members;
    members.remove("format");
    members.remove("format_version");
    if let Some(kind) = members.get("kind").and_then(Value::as_str) {
        if kind != KIND_SELF_ASSESSMENT {
            return Err(ImportError::UnknownKind {
                found: kind.to_string(),
            });
        }
    }
    let mut warnings = Vec::new();
    let unknown: Vec<String> = members
        .keys()
        .filter(|name| !HEADER_MEMBERS.contains(&name.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        warnings.push(ImportWarning::UnknownMembers { paths: unknown });
    }
    let header = typed_header(&Value::Object(members)).map_err(ImportError::Header)?;
    let exported_at_ms =
        parse_rfc3339(&header.exported_at).ok_or_else(|| ImportError::BadExportedAt {
            found: header.exported_at.clone(),
        })?;
    if let Some(c) = &header.consolidated {
        // Without the list every record is refused anyway (`DivisionsUnavailable`).
        let unknown = divisions().is_some_and(|d| d.province(&c.province_code).is_none());
        if unknown {
            return Err(header_error(
                "consolidated.province_code",
                format!(
                    "phải là mã của một trong 34 tỉnh, thành phố, nhưng có \"{}\"",
                    shorten(&c.province_code)
                ),
            ));
        }
        if c.made_by.name.trim().is_empty() {
            return Err(header_error(
                "consolidated.made_by.name",
                "phải ghi tên người lập tệp tổng hợp, nhưng để trống".into(),
            ));
        }
    }
    Ok(FileHeader {
        format_version: FORMAT_VERSION,
        app_version: header.app_version,
        exported_at_ms,
        consolidated: header.consolidated,
        warnings,
    })
}

/// The top-level members a version 2 file may have besides `format`, `format_version` and
/// `assessments`.
const HEADER_MEMBERS: [&str; 4] = ["kind", "app_version", "exported_at", "consolidated"];

/// What a value is, in the messages' words.
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null (trống)".into(),
        Value::Bool(b) => format!("giá trị {b}"),
        Value::Number(n) => format!("số {n}"),
        Value::String(s) => format!("chuỗi \"{}\"", shorten(s)),
        Value::Array(_) => "một danh sách [ … ]".into(),
        Value::Object(_) => "một đối tượng { … }".into(),
    }
}

/// The top level of a version 2 file read into its type; on failure, the member at fault and
/// the rule, in the domain's words.
fn typed_header(value: &Value) -> Result<HeaderV2, FieldError> {
    HeaderV2::deserialize(value).or_else(|_| {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let steps: Vec<Step> = e
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
                    _ => None,
                })
                .collect();
            FieldError {
                path: dotted_steps(&steps),
                line: 0,
                column: 0,
                detail: describe_at(&e.inner().to_string(), &steps),
            }
        })
    })
}

/// Why a record could not be read into the app's types.
enum Unread {
    Entry(EntryError),
    /// Its shape is wrong: the message is made from its text, where the member can be pointed at.
    Shape,
}

/// A record read into the app's types, its checksum verified, before the checks that need
/// the criteria set and the official list.
struct ReadRecord {
    assessment: Assessment,
    revision: u64,
    file_total: Option<u32>,
    backup: bool,
    warnings: Vec<ImportWarning>,
    original: OriginalRecord,
    history: Vec<HistoryEntry>,
}

/// Member `path` of record `index` breaks `rule`.
fn structure(index: usize, path: &[&str], rule: &str) -> Unread {
    let mut steps = record_steps(index);
    steps.extend(path.iter().map(|k| Step::Key(k.to_string())));
    Unread::Entry(EntryError::Structure(FieldError::rule(
        &path.join("."),
        &steps,
        rule,
    )))
}

/// `raw` is the record's text, `value` what it reads as (strictly: no member twice).
fn read_v2(mut value: Value, raw: &str, index: usize) -> Result<ReadRecord, Unread> {
    let Value::Object(members) = &mut value else {
        let rule = format!(
            "phải là một đối tượng {{ … }}, nhưng có {}",
            kind_of(&value)
        );
        return Err(structure(index, &[], &rule));
    };
    // The checksum is over the record as it stands in the file, without `sha256`.
    let Some(sha256) = members.remove("sha256") else {
        return Err(structure(
            index,
            &["sha256"],
            "(mã kiểm tra) là trường bắt buộc nhưng không có",
        ));
    };
    let Some(given) = sha256.as_str().filter(|s| is_hex64(s)).map(str::to_string) else {
        return Err(structure(
            index,
            &["sha256"],
            "phải là chuỗi 64 chữ số thập lục phân (SHA-256)",
        ));
    };
    let canonical = jcs::canonical_text(&value);
    let unknown = unknown_members(&value);
    // From the text, as the canonical records are: the record types then have one
    // deserializer, not a second one from `Value` (20 KB of the module's parts).
    let record: RecordV2 = serde_json::from_str(raw).map_err(|_| Unread::Shape)?;
    finish_v2(record, canonical, given, unknown, index)
}

/// A record read straight from its text ([`read_record`]): its canonical text, checksum and
/// unknown members found in one pass, with no `Value` built and written again (a commune's
/// pretty-printed file is checked natively in a fifth less time: `cargo bench --bench import`).
/// `None` for a record that pass leaves to [`read_v2`], which reads it and tells what is wrong,
/// with the same outcome for a record both can read.
fn read_v2_from_text(raw: &str, index: usize) -> Option<Result<ReadRecord, Unread>> {
    let RecordText {
        given,
        canonical,
        unknown,
    } = read_record(raw, &RECORD)?;
    let record: RecordV2 = serde_json::from_str(raw).ok()?;
    Some(finish_v2(
        record,
        canonical,
        given.to_string(),
        unknown,
        index,
    ))
}

/// The checks of a version 2 record once it is read: its checksum over `canonical`, then its
/// values.
fn finish_v2(
    record: RecordV2,
    canonical: String,
    given: String,
    unknown: Vec<String>,
    index: usize,
) -> Result<ReadRecord, Unread> {
    let computed = jcs::digest(canonical.as_bytes());
    if !given.eq_ignore_ascii_case(&computed) {
        return Err(Unread::Entry(EntryError::ChecksumMismatch {
            format_version: FORMAT_VERSION,
        }));
    }
    if record.revision.0 == 0 {
        return Err(structure(
            index,
            &["revision"],
            "phải là số nguyên từ 1 trở lên, nhưng có 0",
        ));
    }
    let parts = record
        .into_parts()
        .map_err(|e| Unread::Entry(EntryError::Structure(e)))?;
    let mut warnings = Vec::new();
    if !unknown.is_empty() {
        warnings.push(ImportWarning::UnknownMembers { paths: unknown });
    }
    Ok(ReadRecord {
        assessment: parts.assessment,
        revision: parts.revision,
        file_total: parts.file_total,
        backup: parts.backup,
        warnings,
        original: OriginalRecord {
            canonical,
            sha256: given,
        },
        history: parts.history,
    })
}

/// `raw` is the record's text, already read strictly (no member twice).
fn read_v1(raw: &str) -> Result<ReadRecord, Unread> {
    // From the text: see `read_v2`.
    let record: RecordV1 = serde_json::from_str(raw).map_err(|_| Unread::Shape)?;
    if record_checksum_v1(&record) != record.sha256 {
        return Err(Unread::Entry(EntryError::ChecksumMismatch {
            format_version: FORMAT_VERSION_1,
        }));
    }
    let RecordV1 {
        sha256,
        revision,
        assessment,
        score: file_score,
    } = record;
    let assessment = assessment.into_assessment();
    // Rewritten as version 2, with a checksum of its own, so it can travel on.
    let mut converted = RecordV2::new(&assessment, revision.max(1), None, false);
    converted.score = file_score.as_ref().map(super::v1::ScoreSummary::to_v2);
    converted.converted_from = Some(ConvertedFrom {
        format_version: Whole(FORMAT_VERSION_1),
        sha256: Some(sha256),
    });
    Ok(ReadRecord {
        assessment,
        revision,
        file_total: file_score.map(|s| s.total),
        backup: false,
        warnings: Vec::new(),
        original: OriginalRecord::of(&converted),
        history: Vec::new(),
    })
}

pub(super) fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The label of record `raw` (see [`label_of`]), read again for a refusal, which is rare.
fn label_of_text(raw: &str) -> Option<String> {
    label_of(&record_value(raw).ok()?)
}

/// "Phường Hoàn Kiếm - mã 00070, năm 2025" as far as the record can be read, for messages about
/// a record that may be broken anywhere.
fn label_of(record: &Value) -> Option<String> {
    let a = record.get("assessment")?;
    let code = a.pointer("/commune/code").and_then(Value::as_str)?;
    let name = a
        .pointer("/commune/name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or_else(|| divisions()?.commune(code).map(|c| c.name.clone()));
    let mut label = match name {
        Some(name) => format!("{} - mã {}", shorten(&name), shorten(code)),
        None => format!("mã {}", shorten(code)),
    };
    if let Some(year) = a.get("year").filter(|y| y.is_number()) {
        label.push_str(&format!(", năm {year}"));
    }
    Some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal record of docs/exchange-format.md, section 6.
    const CANONICAL: &str = r#"{"assessment":{"commune":{"code":"00070"},"criteria_set":{"id":"qd-06-2019","version":"1.0.0"},"unit_category":"con-lai","updated_at":"2025-11-20T03:00:00.000Z","year":2025}}"#;

    fn line(sha256: &str, canonical: &str) -> String {
        format!("{{\"sha256\":\"{sha256}\",{}", &canonical[1..])
    }

    #[test]
    fn a_record_as_the_app_writes_it_is_read_from_its_text() {
        let sha256 = jcs::digest(CANONICAL.as_bytes());
        let Some(Ok(read)) = read_v2_from_text(&line(&sha256, CANONICAL), 1) else {
            panic!("read from its text");
        };
        assert_eq!(read.original.canonical, CANONICAL);
        assert_eq!(read.original.sha256, sha256);
        assert_eq!(read.assessment.year, 2025);
        assert!(read.warnings.is_empty());
        let wrong = jcs::digest(b"{}");
        assert!(matches!(
            read_v2_from_text(&line(&wrong, CANONICAL), 1),
            Some(Err(Unread::Entry(EntryError::ChecksumMismatch { .. })))
        ));
    }

    #[test]
    fn a_record_spaced_or_in_another_order_is_read_from_its_text_alike() {
        let sha256 = jcs::digest(CANONICAL.as_bytes());
        let value: Value = serde_json::from_str(&line(&sha256, CANONICAL)).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let sha256_last = format!(
            "{{ \"assessment\" : {} ,\n\t\"sha256\":\"{sha256}\"\r\n}}",
            &CANONICAL[14..CANONICAL.len() - 1]
        );
        for raw in [pretty.as_str(), sha256_last.as_str()] {
            let Some(Ok(read)) = read_v2_from_text(raw, 1) else {
                panic!("read from its text: {raw}");
            };
            assert_eq!(read.original.canonical, CANONICAL);
            assert_eq!(read.original.sha256, sha256);
        }
    }

    #[test]
    fn a_record_the_text_reader_cannot_read_is_left_to_the_general_reader() {
        let sha256 = jcs::digest(CANONICAL.as_bytes());
        let year_as_text = CANONICAL.replace("2025}", "\"2025\"}");
        for raw in [
            line(&sha256[1..], CANONICAL),
            line(&format!("{}g", &sha256[1..]), CANONICAL),
            line(&sha256, &year_as_text),
            line(&sha256, &line(&sha256, CANONICAL)),
            CANONICAL.to_string(),
        ] {
            assert!(read_v2_from_text(&raw, 1).is_none(), "{raw}");
        }
    }
}
