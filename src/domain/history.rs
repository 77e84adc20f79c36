//! History inside the file ("lịch sử thay đổi"): every saved change of a record's answers (or of
//! an appraisal) — when, who, which field, old and new value — carried in the exchange record
//! and so covered by its checksum.
//!
//! The entries are the storage's change records as a reader wants them: consecutive edits of
//! one field by one person are one entry (the storage already folds keystrokes; runs are merged
//! again at export), long texts travel as splices (what was removed and inserted where) rather
//! than whole old and new texts, and nothing else (the creation, local deletions) is written.
//! Each entry can be undone from the document's current state, so a reader rebuilds every old
//! and new value by walking the history backwards ([`replay`]) — and that walk checks that the
//! history fits the record it came with.
//!
//! # In the file
//!
//! `history` is an array, oldest first, of objects:
//!
//! | member | type | meaning |
//! |---|---|---|
//! | `at` | date-time | when the change was saved (for a run of edits, the last one) |
//! | `who` | string | the assessor (or reviewer) named in the document at that moment |
//! | `path` | string | the member changed, as a JSON Pointer (RFC 6901) from the document's root: `"/answers/6.1/numerator"` |
//! | `old`, `new` | any JSON, each optional | a value set: before and after; an absent member means the member itself was absent |
//! | `pos`, `removed`, `inserted` | integer, string, string | a splice of a text: at `pos` (in Unicode code points), `removed` became `inserted` |

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use serde_json::{Map, Value};
use std::io;

use super::exchange::{iso_utc, parse_rfc3339};
use super::journal::{apply, diff, merge_runs, value_at as journal_value_at, ApplyError, Change};
use super::journal::{DocState, Record};
use super::numbers::format_number;

/// One saved change.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Milliseconds since the Unix epoch (a run: its last edit).
    pub at: f64,
    pub who: String,
    pub path: Vec<String>,
    pub edit: Edit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// `None`: the member was (or became) absent.
    Set {
        old: Option<Value>,
        new: Option<Value>,
    },
    /// In the text at the path, `removed` at code point `pos` became `inserted`.
    Splice {
        pos: usize,
        removed: String,
        inserted: String,
    },
}

impl HistoryEntry {
    /// The item an entry is about: `answers/<item>/…` in an assessment, `items/<item>/…` in an
    /// appraisal; `None` for the general information.
    pub fn item(&self) -> Option<&str> {
        match self.path.as_slice() {
            [root, item, ..] if root == "answers" || root == "items" => Some(item),
            _ => None,
        }
    }

    /// A change that changes nothing (typed, then erased) is not worth a line.
    pub fn is_noop(&self) -> bool {
        match &self.edit {
            Edit::Set { old, new } => {
                old == new || (is_blank(old.as_ref()) && is_blank(new.as_ref()))
            }
            Edit::Splice {
                removed, inserted, ..
            } => removed == inserted,
        }
    }
}

/// Absent, or holding nothing: `null`, `false`, `""`, `{}`, `[]` (an answer's defaults).
fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Number(_)) | Some(Value::Bool(true)) => false,
    }
}

/// The member layout of an entry in a file (see the module documentation).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    at: String,
    who: String,
    path: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    old: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    new: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pos: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    removed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inserted: Option<String>,
}

/// `["answers", "6.1", "numerator"]` → `"/answers/6.1/numerator"` (RFC 6901: `~` and `/` in a
/// key written `~0` and `~1`).
pub fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The inverse of [`pointer`]; `None` for an empty path or a malformed one.
pub fn parse_pointer(text: &str) -> Option<Vec<String>> {
    let rest = text.strip_prefix('/')?;
    rest.split('/')
        .map(|k| {
            // `~` must be followed by 0 or 1.
            let bad = k
                .match_indices('~')
                .any(|(i, _)| !matches!(k.as_bytes().get(i + 1), Some(b'0' | b'1')));
            (!bad).then(|| k.replace("~1", "/").replace("~0", "~"))
        })
        .collect()
}

/// A member that is present holds a value, even `null`; only an absent member is `None`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Serialize for HistoryEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (old, new, pos, removed, inserted) = match &self.edit {
            Edit::Set { old, new } => (old.clone(), new.clone(), None, None, None),
            Edit::Splice {
                pos,
                removed,
                inserted,
            } => (
                None,
                None,
                Some(*pos),
                Some(removed.clone()),
                Some(inserted.clone()),
            ),
        };
        Wire {
            at: iso_utc(self.at),
            who: self.who.clone(),
            path: pointer(&self.path),
            old,
            new,
            pos,
            removed,
            inserted,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for HistoryEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        let time = |s: &str| {
            parse_rfc3339(s).ok_or_else(|| {
                D::Error::custom(format!(
                    "thời điểm «{s}» không theo RFC 3339 (ví dụ 2025-11-23T01:19:00.000Z)"
                ))
            })
        };
        let at = time(&w.at)?;
        let path = parse_pointer(&w.path).ok_or_else(|| {
            D::Error::custom(format!(
                "«path» \"{}\" không phải đường dẫn dạng \"/answers/6.1/numerator\"",
                w.path
            ))
        })?;
        let edit = match (w.pos, w.removed, w.inserted) {
            (None, None, None) => Edit::Set {
                old: w.old,
                new: w.new,
            },
            (Some(pos), Some(removed), Some(inserted)) if w.old.is_none() && w.new.is_none() => {
                Edit::Splice {
                    pos,
                    removed,
                    inserted,
                }
            }
            _ => {
                return Err(D::Error::custom(
                    "một thay đổi hoặc có «old»/«new», hoặc có đủ «pos», «removed», «inserted»",
                ))
            }
        };
        Ok(HistoryEntry {
            at,
            who: w.who,
            path,
            edit,
        })
    }
}

/// What `public/schema/export-v2.schema.json` says of an entry.
impl schemars::JsonSchema for HistoryEntry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HistoryEntry".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Một lần lưu một thay đổi: lúc nào (`at`), ai (`who`), trường nào \
                            (`path`, JSON Pointer), giá trị cũ và mới (`old`, `new`; vắng mặt là \
                            trường vắng mặt) hoặc đoạn văn bản thay tại `pos` (đếm theo ký tự).",
            "type": "object",
            "required": ["at", "who", "path"],
            "properties": {
                "at": { "type": "string", "format": "date-time" },
                "who": { "type": "string" },
                "path": { "type": "string", "pattern": "^(/[^/]*)+$" },
                "old": {},
                "new": {},
                "pos": { "type": "integer", "minimum": 0 },
                "removed": { "type": "string" },
                "inserted": { "type": "string" }
            },
            "additionalProperties": false
        })
    }
}

// ---------------------------------------------------------------------------------------------
// From the storage's change records

/// Members that describe the record rather than its content: the local id and the times, which
/// the records carry themselves.
const METADATA: [&str; 3] = ["id", "created_at", "updated_at"];

/// The history a file carries, from one document's change records (from its `Create`, in
/// order): runs merged, a whole copy brought in turned into the changes it made, nothing local
/// (creation, deletion) and nothing that changes nothing.
pub fn from_records(records: &[Record]) -> Result<Vec<HistoryEntry>, ApplyError> {
    let (merged, _) = merge_runs(None, &by_member(records))?;
    let mut state: Option<DocState> = None;
    let mut out = Vec::new();
    for record in &merged {
        let before = state.as_ref().map_or(Value::Null, |s| s.doc.clone());
        apply(&mut state, record)?;
        let changes = match &record.change {
            Change::Create { .. } | Change::Delete | Change::Restore => continue,
            Change::Replace { doc, .. } => diff(&before, doc),
            other => vec![other.clone()],
        };
        out.extend(
            changes
                .into_iter()
                .filter_map(|change| entry_of(record, change, &before)),
        );
    }
    Ok(out)
}

/// A whole object set or removed at once (an item's first answer, an item of an appraisal
/// cleared) becomes one change per member that holds something: a reader sees «tử số: 45»
/// rather than an object, and the typing that follows merges with it.
fn by_member(records: &[Record]) -> Vec<Record> {
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        match &record.change {
            Change::Set { path, old, new } => {
                let mut parts = Vec::new();
                split(path, old.as_ref(), new.as_ref(), &mut parts);
                out.extend(parts.into_iter().map(|change| Record {
                    change,
                    ..record.clone()
                }));
            }
            _ => out.push(record.clone()),
        }
    }
    out
}

fn split(path: &[String], old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let members = match (old, new) {
        (None, Some(Value::Object(m))) => Some((m, true)),
        (Some(Value::Object(m)), None) => Some((m, false)),
        _ => None,
    };
    let Some((members, added)) = members else {
        out.push(Change::Set {
            path: path.to_vec(),
            old: old.cloned(),
            new: new.cloned(),
        });
        return;
    };
    for (key, value) in members.iter().filter(|(_, v)| !is_blank(Some(v))) {
        let mut child = path.to_vec();
        child.push(key.clone());
        if added {
            split(&child, None, Some(value), out);
        } else {
            split(&child, Some(value), None, out);
        }
    }
}

fn entry_of(record: &Record, change: Change, before: &Value) -> Option<HistoryEntry> {
    let (path, edit) = match change {
        Change::Set { path, old, new } => (path, Edit::Set { old, new }),
        Change::Splice {
            path,
            at,
            removed,
            inserted,
        } => {
            let text = journal_value_at(before, &path)
                .and_then(Value::as_str)
                .unwrap_or("");
            let edit = Edit::Splice {
                pos: pos_of(text, at),
                removed,
                inserted,
            };
            (path, edit)
        }
        _ => return None,
    };
    if matches!(path.as_slice(), [only] if METADATA.contains(&only.as_str())) {
        return None;
    }
    let entry = HistoryEntry {
        at: record.at,
        who: record.who.clone(),
        path,
        edit,
    };
    (!entry.is_noop()).then_some(entry)
}

/// The history of an exchange record kept as text (checked when its file was loaded): empty when
/// it has none, or when the text is not a record.
pub fn of_record_text(record: &str) -> Vec<HistoryEntry> {
    #[derive(Deserialize)]
    struct WithHistory {
        #[serde(default)]
        history: Vec<HistoryEntry>,
    }
    serde_json::from_str::<WithHistory>(record)
        .map(|r| r.history)
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Reading a history back

/// One entry with its old and new values rebuilt.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub at: f64,
    pub who: String,
    pub path: Vec<String>,
    /// `None`: absent.
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Shown {
    pub fn item(&self) -> Option<&str> {
        match self.path.as_slice() {
            [root, item, ..] if root == "answers" || root == "items" => Some(item),
            _ => None,
        }
    }
}

/// Why a history does not fit the document it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Position of the entry in the history (from 0).
    pub index: usize,
    pub path: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Lịch sử thay đổi trong tệp không khớp với số liệu (thay đổi thứ {} ở «{}»); lịch sử \
             vẫn được giữ nhưng có thể không đầy đủ.",
            self.index + 1,
            self.path
        )
    }
}

/// Walks the history backwards from `doc` (the document as it stands now, as JSON), undoing
/// each entry, and returns the entries, oldest first, with their old and new values; or the
/// first entry (from the end) that does not fit.
pub fn replay(doc: &Value, history: &[HistoryEntry]) -> Result<Vec<Shown>, Mismatch> {
    let mut doc = doc.clone();
    let mut shown = Vec::with_capacity(history.len());
    for (index, entry) in history.iter().enumerate().rev() {
        let mismatch = || Mismatch {
            index,
            path: entry.path.join("/"),
        };
        let now = value_at(&doc, &entry.path).cloned();
        let old = match &entry.edit {
            Edit::Set { old, new } => {
                if !same_value(now.as_ref(), new.as_ref()) {
                    return Err(mismatch());
                }
                old.clone()
            }
            Edit::Splice {
                pos,
                removed,
                inserted,
            } => {
                let text = match &now {
                    Some(Value::String(t)) => t.as_str(),
                    None => "",
                    Some(_) => return Err(mismatch()),
                };
                Some(Value::String(
                    unsplice(text, *pos, removed, inserted).ok_or_else(mismatch)?,
                ))
            }
        };
        set_at(&mut doc, &entry.path, old.clone()).ok_or_else(mismatch)?;
        shown.push(Shown {
            at: entry.at,
            who: entry.who.clone(),
            path: entry.path.clone(),
            old,
            new: now,
        });
    }
    shown.reverse();
    Ok(shown)
}

/// The entries as a reader sees them: rebuilt by [`replay`] when the history fits `doc`;
/// otherwise each as it stands (a splice shows what it removed and inserted), so that a damaged
/// history is still shown rather than hidden.
pub fn shown(doc: &Value, history: &[HistoryEntry]) -> Vec<Shown> {
    replay(doc, history).unwrap_or_else(|_| {
        history
            .iter()
            .map(|e| {
                let (old, new) = match &e.edit {
                    Edit::Set { old, new } => (old.clone(), new.clone()),
                    Edit::Splice {
                        removed, inserted, ..
                    } => (
                        Some(Value::String(removed.clone())),
                        Some(Value::String(inserted.clone())),
                    ),
                };
                Shown {
                    at: e.at,
                    who: e.who.clone(),
                    path: e.path.clone(),
                    old,
                    new,
                }
            })
            .collect()
    })
}

/// Numbers compare by value (`5` and `5.0` are one number in JSON), and an absent member is
/// the same as `null` (writers may leave out what is not set).
fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (None | Some(Value::Null), None | Some(Value::Null)) => true,
        (a, b) => a == b,
    }
}

/// The text before a splice: `inserted` must stand at code point `pos`.
fn unsplice(text: &str, pos: usize, removed: &str, inserted: &str) -> Option<String> {
    let start = byte_of(text, pos)?;
    let end = start + inserted.len();
    if text.get(start..end) != Some(inserted) {
        return None;
    }
    let mut old = String::with_capacity(text.len() + removed.len());
    old.push_str(&text[..start]);
    old.push_str(removed);
    old.push_str(&text[end..]);
    Some(old)
}

/// Byte offset of code point `pos`; the end of the text counts.
fn byte_of(text: &str, pos: usize) -> Option<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .nth(pos)
}

/// Code point offset of byte `at` (which must be a character boundary).
pub fn pos_of(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |t| t.chars().count())
}

fn value_at<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |here, key| here.get(key))
}

/// Sets (or, with `None`, removes) the member at `path`, creating objects on the way; `None`
/// when the path runs through something that is not an object.
fn set_at(doc: &mut Value, path: &[String], value: Option<Value>) -> Option<()> {
    let (last, parents) = path.split_last()?;
    let mut here = doc;
    for key in parents {
        here = here
            .as_object_mut()?
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    let map = here.as_object_mut()?;
    match value {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
    Some(())
}

// ---------------------------------------------------------------------------------------------
// Words for people

/// The member a path names, in Vietnamese: "tử số", "nhận xét thẩm định", "loại đơn vị".
pub fn field_label_vi(path: &[String]) -> String {
    let leaf = |key: &str| -> Option<&'static str> {
        Some(match key {
            "yes" => "trả lời Có / Không",
            "numerator" => "tử số",
            "denominator" => "mẫu số",
            "count" => "số lượng",
            "manual_points" => "điểm",
            "source" => "nguồn số liệu",
            "explanation" => "thuyết minh",
            "checked" => "đánh dấu đã kiểm tra",
            "status" => "ý kiến thẩm định",
            "comment" => "nhận xét thẩm định",
            "figures" => "số liệu thẩm định",
            "conclusion" => "kết luận thẩm định",
            "date" => "ngày thẩm định",
            "reviewer" => "người thẩm định",
            "unit_category" => "loại đơn vị",
            "assessor" => "người đánh giá",
            "recorded_max" => "điểm tối đa ghi theo bảng điểm",
            "criteria_set" => "bộ tiêu chí",
            "commune" => "đơn vị",
            "year" => "năm đánh giá",
            "name" => "họ tên",
            "position" => "chức vụ",
            "organization" => "cơ quan",
            _ => return None,
        })
    };
    match path {
        [root, _item] if root == "answers" => "câu trả lời".to_string(),
        [root, _item] if root == "items" => "ý kiến thẩm định".to_string(),
        [root, _item, figures, leaf_key] if root == "items" && figures == "figures" => {
            format!(
                "số liệu thẩm định ({})",
                leaf(leaf_key).unwrap_or("số liệu")
            )
        }
        [root, _item, rest @ ..] if root == "answers" || root == "items" => rest
            .iter()
            .rev()
            .find_map(|k| leaf(k))
            .unwrap_or("số liệu")
            .to_string(),
        [root, rest @ ..] if root == "recorded_max" => match rest {
            [criterion] => format!("điểm tối đa tiêu chí {criterion}"),
            _ => "điểm tối đa ghi theo bảng điểm".to_string(),
        },
        [first, .., last] => match (leaf(first), leaf(last)) {
            (Some(outer), Some(inner)) => format!("{outer} ({inner})"),
            (Some(outer), None) => outer.to_string(),
            (None, Some(inner)) => inner.to_string(),
            (None, None) => path.join("."),
        },
        [only] => leaf(only).map_or_else(|| only.clone(), str::to_string),
        [] => String::new(),
    }
}

/// A value as a person reads it: "(trống)", "Có", "1.250", "Cần bổ sung", a text in quotes.
pub fn value_label_vi(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(trống)".to_string(),
        Some(Value::Bool(true)) => "Có".to_string(),
        Some(Value::Bool(false)) => "Không".to_string(),
        Some(Value::Number(n)) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |x| format_number(x, 2)),
        Some(Value::String(s)) => match s.as_str() {
            "agreed" => "Đồng ý".to_string(),
            "needs_evidence" => "Cần bổ sung".to_string(),
            "not_agreed" => "Không đồng ý".to_string(),
            "" => "(trống)".to_string(),
            _ => format!("«{s}»"),
        },
        Some(Value::Array(_)) | Some(Value::Object(_)) => summarize(value),
    }
}

/// An object as "Không", "Có, tử số 3, mẫu số 4": the set members that mean something alone.
/// The answer Có / Không comes first, bare, and a «Không» counts: appraised figures of
/// `{"yes": false}` are the answer No, not nothing.
fn summarize(value: Option<&Value>) -> String {
    let Some(Value::Object(map)) = value else {
        return "(danh sách)".to_string();
    };
    let answer = map
        .get("yes")
        .and_then(Value::as_bool)
        .map(|yes| value_label_vi(Some(&Value::Bool(yes))));
    let parts: Vec<String> = answer
        .into_iter()
        .chain(
            map.iter()
                .filter(|(k, _)| k.as_str() != "yes")
                .filter(|(_, v)| !matches!(v, Value::Null | Value::Bool(false)))
                .filter(|(_, v)| !matches!(v, Value::String(s) if s.is_empty()))
                .map(|(k, v)| {
                    format!(
                        "{} {}",
                        field_label_vi(std::slice::from_ref(k)),
                        value_label_vi(Some(v))
                    )
                }),
        )
        .collect();
    if parts.is_empty() {
        "(trống)".to_string()
    } else {
        parts.join(", ")
    }
}

// ---------------------------------------------------------------------------------------------
// Writing files

/// A file's JSON as `serde_json::to_string_pretty` writes it (members in the order of their
/// types), except that each element of a `history` array takes one line: a history of a
/// hundred entries is then a hundred lines a person can scan, and a third smaller than
/// indented member by member.
pub fn write_file_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, HistoryLines::default());
    value.serialize(&mut ser).expect("plain data serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's pretty layout, switched to the compact one inside each element of an array
/// that is the value of a member named `history`.
#[derive(Default)]
struct HistoryLines {
    pretty: PrettyFormatter<'static>,
    /// Arrays and objects open around the current position.
    depth: usize,
    /// The depth of the `history` array being written, if any.
    history_at: Option<usize>,
    /// Inside an element of that array.
    compact: bool,
    /// The member name being written, and the last one written.
    key: Option<String>,
    last_key: String,
    /// The next value is a member's value (not an array element).
    member_value: bool,
}

impl Formatter for HistoryLines {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        let starts_history = !self.compact && self.member_value && self.last_key == "history";
        self.member_value = false;
        self.depth += 1;
        if starts_history {
            self.history_at = Some(self.depth);
        }
        if self.compact {
            CompactFormatter.begin_array(w)
        } else {
            self.pretty.begin_array(w)
        }
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.history_at == Some(self.depth) {
            self.history_at = None;
        }
        self.depth -= 1;
        if self.compact {
            CompactFormatter.end_array(w)
        } else {
            self.pretty.end_array(w)
        }
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.compact {
            return CompactFormatter.begin_array_value(w, first);
        }
        self.pretty.begin_array_value(w, first)?;
        if self.history_at == Some(self.depth) {
            self.compact = true;
        }
        Ok(())
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.history_at == Some(self.depth) {
            self.compact = false;
        }
        if self.compact {
            CompactFormatter.end_array_value(w)
        } else {
            self.pretty.end_array_value(w)
        }
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.member_value = false;
        self.depth += 1;
        if self.compact {
            CompactFormatter.begin_object(w)
        } else {
            self.pretty.begin_object(w)
        }
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.compact {
            CompactFormatter.end_object(w)
        } else {
            self.pretty.end_object(w)
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.key = Some(String::new());
        if self.compact {
            CompactFormatter.begin_object_key(w, first)
        } else {
            self.pretty.begin_object_key(w, first)
        }
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.last_key = self.key.take().unwrap_or_default();
        CompactFormatter.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.member_value = true;
        if self.compact {
            CompactFormatter.begin_object_value(w)
        } else {
            self.pretty.begin_object_value(w)
        }
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.member_value = false;
        if self.compact {
            CompactFormatter.end_object_value(w)
        } else {
            self.pretty.end_object_value(w)
        }
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if let Some(key) = &mut self.key {
            key.push_str(fragment);
        }
        w.write_all(fragment.as_bytes())
    }
}

// ---------------------------------------------------------------------------------------------
// One line per change

/// Texts longer than this are shown by what changed in them, not whole.
const WHOLE_TEXT_UP_TO: usize = 120;
/// How much of a long text's removed or inserted part a line shows.
const EXCERPT: usize = 80;

/// «tử số: 45 → 48», «thuyết minh: thêm «…»», «nguồn số liệu: (trống) → «Sổ hộ tịch»».
pub fn change_text_vi(shown: &Shown) -> String {
    let field = field_label_vi(&shown.path);
    let long = |v: &Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .is_some_and(|s| s.chars().count() > WHOLE_TEXT_UP_TO)
    };
    if long(&shown.old) || long(&shown.new) {
        let text = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).unwrap_or("").to_string();
        let (old, new) = (text(&shown.old), text(&shown.new));
        let (removed, inserted) = changed_parts(&old, &new);
        let part = |s: &str| {
            let mut cut: String = s.chars().take(EXCERPT).collect();
            if s.chars().count() > EXCERPT {
                cut.push('…');
            }
            format!("«{cut}»")
        };
        return match (removed.is_empty(), inserted.is_empty()) {
            (true, false) => format!("{field}: thêm {}", part(&inserted)),
            (false, true) => format!("{field}: bỏ {}", part(&removed)),
            _ => format!("{field}: {} → {}", part(&removed), part(&inserted)),
        };
    }
    format!(
        "{field}: {} → {}",
        value_label_vi(shown.old.as_ref()),
        value_label_vi(shown.new.as_ref())
    )
}

/// What differs between two texts once their common start and end are set aside.
fn changed_parts(old: &str, new: &str) -> (String, String) {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - start;
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[start..a.len() - end].iter().collect(),
        b[start..b.len() - end].iter().collect(),
    )
}
