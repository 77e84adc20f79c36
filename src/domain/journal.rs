//! Change records: every edit of a stored document (an assessment; later an appraisal) is kept as
//! a small record — which document, which field, old and new value or a splice of a long text,
//! when, and who — so that saving a keystroke costs the size of the keystroke, not of the
//! document. The records of a document, from its `Create` on, are its complete history: a
//! snapshot is only a shortcut for reading it (see [`super::doc_store`]).
//!
//! Documents are handled as JSON values here, so the same records serve any document type;
//! [`answer_changes`] is the typed fast path for the answer being typed into.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::assessment::Answer;

/// The layout of snapshots and change records. Formats 1 and 2 were the localStorage layouts
/// of [`super::storage_format`]; a later build that changes this layout writes a higher number,
/// which this build never overwrites.
pub const JOURNAL_FORMAT: u32 = 3;

/// A text at least this long (in bytes) is changed by splices; a shorter one is set whole, so
/// that its history reads as plain old → new values.
pub const SPLICE_FROM: usize = 256;

/// Consecutive edits of one field by one person are one change unless this far apart (ms).
pub const RUN_GAP_MS: f64 = 10.0 * 60.0 * 1000.0;

/// A pending change grows by coalescing only up to this size (bytes of text it carries), so
/// that a keystroke after a large paste never rewrites the paste.
pub const COALESCE_LIMIT: usize = 16 * 1024;

/// Object keys from the document's root, e.g. `["answers", "1.1", "explanation"]`.
pub type Path = Vec<String>;

/// One change of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// [`JOURNAL_FORMAT`] when written by this build.
    pub format: u32,
    /// The document's id.
    pub doc: String,
    /// Strictly increasing per document (gaps allowed: merged runs keep their last number).
    pub seq: u64,
    /// When the change was made (for a merged run, its last edit), ms since the Unix epoch.
    pub at: f64,
    /// When a merged run began; absent for a single edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<f64>,
    /// Who made it: the person the document names (assessor or reviewer) at that moment.
    pub who: String,
    pub change: Change,
}

/// Written as one flat object with a `kind` (see [`ChangeWire`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "ChangeWire", try_from = "ChangeWire")]
pub enum Change {
    /// The document came to be (created, imported, moved from an older layout): all of it.
    Create { doc: Value },
    /// The whole document was replaced (a backup brought back, a newer copy imported).
    /// `edited_at`: when that content was last edited, where it comes from (ms).
    Replace {
        doc: Value,
        reason: String,
        edited_at: Option<f64>,
    },
    /// One value set. `None` means absent: a key added (`old` absent) or removed (`new` absent).
    Set {
        path: Path,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// Bytes `at .. at + removed.len()` of the UTF-8 text at `path` became `inserted`.
    Splice {
        path: Path,
        at: usize,
        removed: String,
        inserted: String,
    },
    /// Deleted by the user (kept until purged, so that it can be brought back).
    Delete,
    /// A deletion undone.
    Restore,
}

/// A key that is present holds a value, even `null`; only an absent key is `None`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// How a [`Change`] is written: `{"kind": "set", "path": […], "old": …, "new": …}` and so on,
/// every member but `kind` present only where the kind has it. A flat struct rather than serde's
/// internally tagged enum, whose buffering code weighs on the wasm.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ChangeWire {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doc: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edited_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<Path>,
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
    at: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    removed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inserted: Option<String>,
}

impl From<Change> for ChangeWire {
    fn from(change: Change) -> ChangeWire {
        let kind = |k: &str| k.to_string();
        match change {
            Change::Create { doc } => ChangeWire {
                kind: kind("create"),
                doc: Some(doc),
                ..ChangeWire::default()
            },
            Change::Replace {
                doc,
                reason,
                edited_at,
            } => ChangeWire {
                kind: kind("replace"),
                doc: Some(doc),
                reason: Some(reason),
                edited_at,
                ..ChangeWire::default()
            },
            Change::Set { path, old, new } => ChangeWire {
                kind: kind("set"),
                path: Some(path),
                old,
                new,
                ..ChangeWire::default()
            },
            Change::Splice {
                path,
                at,
                removed,
                inserted,
            } => ChangeWire {
                kind: kind("splice"),
                path: Some(path),
                at: Some(at),
                removed: Some(removed),
                inserted: Some(inserted),
                ..ChangeWire::default()
            },
            Change::Delete => ChangeWire {
                kind: kind("delete"),
                ..ChangeWire::default()
            },
            Change::Restore => ChangeWire {
                kind: kind("restore"),
                ..ChangeWire::default()
            },
        }
    }
}

impl TryFrom<ChangeWire> for Change {
    type Error = String;

    fn try_from(w: ChangeWire) -> Result<Change, String> {
        let missing = |what: &str| format!("thiếu «{what}» trong thay đổi loại «{}»", w.kind);
        Ok(match w.kind.as_str() {
            "create" => Change::Create {
                doc: w.doc.ok_or_else(|| missing("doc"))?,
            },
            "replace" => Change::Replace {
                doc: w.doc.ok_or_else(|| missing("doc"))?,
                reason: w.reason.unwrap_or_default(),
                edited_at: w.edited_at,
            },
            "set" => Change::Set {
                path: w.path.ok_or_else(|| missing("path"))?,
                old: w.old,
                new: w.new,
            },
            "splice" => Change::Splice {
                path: w.path.ok_or_else(|| missing("path"))?,
                at: w.at.ok_or_else(|| missing("at"))?,
                removed: w.removed.ok_or_else(|| missing("removed"))?,
                inserted: w.inserted.ok_or_else(|| missing("inserted"))?,
            },
            "delete" => Change::Delete,
            "restore" => Change::Restore,
            other => return Err(format!("loại thay đổi không biết: «{other}»")),
        })
    }
}

/// A value as JSON, through its text: the serializers the app already has for texts rather than
/// a second set for [`Value`] (the wasm is smaller). Plain data: it cannot fail.
pub fn to_json<T: Serialize>(value: &T) -> Value {
    let text = serde_json::to_string(value).expect("plain data serializes");
    serde_json::from_str(&text).expect("what serde_json writes, it reads")
}

/// The reverse of [`to_json`].
pub fn from_json<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

impl Change {
    pub fn path(&self) -> Option<&Path> {
        match self {
            Change::Set { path, .. } | Change::Splice { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Bytes of text this change carries, as a bound for coalescing.
    fn weight(&self) -> usize {
        match self {
            Change::Splice {
                removed, inserted, ..
            } => removed.len() + inserted.len(),
            Change::Set { old, new, .. } => {
                let size = |v: &Option<Value>| match v {
                    Some(Value::String(s)) => s.len(),
                    Some(_) => 16,
                    None => 0,
                };
                size(old) + size(new)
            }
            _ => usize::MAX,
        }
    }
}

/// Why a record cannot be applied: the records do not fit together (damaged or foreign data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// A change before the document's `Create`.
    NoDocument,
    /// A second `Create`.
    AlreadyCreated,
    /// The path leads through something that is not an object.
    BadPath(String),
    /// A splice on something that is not a text, or whose removed text is not there.
    SpliceMismatch(String),
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::NoDocument => {
                write!(f, "có thay đổi nhưng thiếu bản ghi tạo tài liệu")
            }
            ApplyError::AlreadyCreated => write!(f, "tài liệu được tạo hai lần"),
            ApplyError::BadPath(p) => write!(f, "thay đổi ở vị trí không tồn tại ({p})"),
            ApplyError::SpliceMismatch(p) => {
                write!(f, "đoạn văn bản cần sửa không khớp ({p})")
            }
        }
    }
}

/// A document as its records have built it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocState {
    /// The last record applied.
    pub seq: u64,
    pub doc: Value,
    pub created_at: f64,
    pub updated_at: f64,
    /// Set while the last word is a `Delete`.
    pub deleted_at: Option<f64>,
}

/// Applies one record to the state built so far (`None` before the `Create`).
pub fn apply(state: &mut Option<DocState>, record: &Record) -> Result<(), ApplyError> {
    if let Change::Create { doc } = &record.change {
        if state.is_some() {
            return Err(ApplyError::AlreadyCreated);
        }
        *state = Some(DocState {
            seq: record.seq,
            doc: doc.clone(),
            created_at: record.since.unwrap_or(record.at),
            updated_at: record.at,
            deleted_at: None,
        });
        return Ok(());
    }
    let s = state.as_mut().ok_or(ApplyError::NoDocument)?;
    apply_change(&mut s.doc, &record.change)?;
    match record.change {
        Change::Delete => s.deleted_at = Some(record.at),
        Change::Restore => s.deleted_at = None,
        _ => {}
    }
    s.seq = record.seq;
    s.updated_at = edited_at(record);
    Ok(())
}

/// When the document's content was last edited once `record` is applied: the record's time,
/// or, for a whole copy brought in from elsewhere, that copy's own edit time.
pub fn edited_at(record: &Record) -> f64 {
    match record.change {
        Change::Replace {
            edited_at: Some(at),
            ..
        } => at,
        _ => record.at,
    }
}

/// Applies a change to a document value (`Create`, `Delete` and `Restore` leave it as is).
pub fn apply_change(doc: &mut Value, change: &Change) -> Result<(), ApplyError> {
    match change {
        Change::Create { .. } | Change::Delete | Change::Restore => Ok(()),
        Change::Replace { doc: new, .. } => {
            *doc = new.clone();
            Ok(())
        }
        Change::Set { path, new, .. } => {
            let (parent, key) = parent_of(doc, path)?;
            match new {
                Some(v) => {
                    parent.insert(key.clone(), v.clone());
                }
                None => {
                    parent.remove(key);
                }
            }
            Ok(())
        }
        Change::Splice {
            path,
            at,
            removed,
            inserted,
        } => {
            let (parent, key) = parent_of(doc, path)?;
            let slot = parent
                .entry(key.clone())
                .or_insert_with(|| Value::String(String::new()));
            let Value::String(text) = slot else {
                return Err(ApplyError::SpliceMismatch(path.join("/")));
            };
            let end = at + removed.len();
            let fits = text.get(*at..end) == Some(removed.as_str());
            if !fits {
                return Err(ApplyError::SpliceMismatch(path.join("/")));
            }
            text.replace_range(*at..end, inserted);
            Ok(())
        }
    }
}

/// The object holding the last key of `path`, created along the way where missing.
fn parent_of<'a>(
    doc: &'a mut Value,
    path: &'a [String],
) -> Result<(&'a mut Map<String, Value>, &'a String), ApplyError> {
    let bad = || ApplyError::BadPath(path.join("/"));
    let (last, parents) = path.split_last().ok_or_else(bad)?;
    let mut here = doc;
    for key in parents {
        let Value::Object(map) = here else {
            return Err(bad());
        };
        here = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match here {
        Value::Object(map) => Ok((map, last)),
        _ => Err(bad()),
    }
}

/// The value at `path`, if there is one.
pub fn value_at<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |here, key| here.get(key))
}

/// The smallest single splice that turns `old` into `new`: `(at, removed, inserted)`, cut on
/// character boundaries.
pub fn splice_between(old: &str, new: &str) -> (usize, String, String) {
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let room = old.len().min(new.len()) - start;
    let mut tail = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - tail) || !new.is_char_boundary(new.len() - tail) {
        tail -= 1;
    }
    (
        start,
        old[start..old.len() - tail].to_string(),
        new[start..new.len() - tail].to_string(),
    )
}

/// Where UTF-16 offset `target` falls in `text`, in bytes, counting from a known place `from`
/// (a `(utf16, byte)` pair on a character boundary, such as the last edit's): typing near the
/// last edit costs a few steps, not a walk through the whole text. `None` when `target` is past
/// the end or inside a character.
pub fn byte_at_utf16(text: &str, target: usize, from: (usize, usize)) -> Option<usize> {
    let (mut u16_at, mut byte) = match from {
        (u, b) if b <= text.len() && text.is_char_boundary(b) && u <= target => (u, b),
        _ => (0, 0),
    };
    let mut chars = text[byte..].chars();
    while u16_at < target {
        let c = chars.next()?;
        u16_at += c.len_utf16();
        byte += c.len_utf8();
    }
    (u16_at == target).then_some(byte)
}

/// The UTF-16 length of a text, as the browser counts offsets in a text box.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// What an edit of a text box did, found from what the browser tells about it — the selection
/// before it (`start..end`, UTF-16), the text it inserted, and the caret after it — without
/// reading the whole text: `(byte at, bytes removed)` of `old`, or `None` when those do not
/// add up (then the whole text must be read). `hint` is a `(utf16, byte)` place known in `old`.
pub fn splice_from_input(
    old: &str,
    selection: (usize, usize),
    inserted: &str,
    caret_after: usize,
    hint: (usize, usize),
) -> Option<(usize, usize)> {
    let (start, end) = selection;
    if end < start {
        return None;
    }
    let (from16, to16) = if !inserted.is_empty() || start != end {
        // Typing, or replacing or deleting a selection: the caret ends after what was inserted.
        (caret_after == start + utf16_len(inserted)).then_some((start, end))?
    } else if caret_after < start {
        // Deleting backward from a caret.
        (caret_after, start)
    } else {
        // Deleting forward from a caret: how much is not told.
        return None;
    };
    let at = byte_at_utf16(old, from16, hint)?;
    let until = byte_at_utf16(old, to16, (from16, at))?;
    Some((at, until - at))
}

/// The change of one text field: set whole while short, a splice once long; `None` if equal.
pub fn text_change(path: Path, old: &str, new: &str) -> Option<Change> {
    if old == new {
        return None;
    }
    if old.len().max(new.len()) < SPLICE_FROM {
        return Some(Change::Set {
            path,
            old: Some(Value::String(old.to_string())),
            new: Some(Value::String(new.to_string())),
        });
    }
    let (at, removed, inserted) = splice_between(old, new);
    Some(Change::Splice {
        path,
        at,
        removed,
        inserted,
    })
}

fn number(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn flag(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// The changes that turn one item's answer into another, field by field, without going through
/// the whole document: what a keystroke costs. `None` is an item not answered yet.
pub fn answer_changes(item: &str, old: Option<&Answer>, new: &Answer) -> Vec<Change> {
    let base = || vec!["answers".to_string(), item.to_string()];
    let Some(old) = old else {
        return vec![Change::Set {
            path: base(),
            old: None,
            new: Some(to_json(new)),
        }];
    };
    let field = |name: &str| {
        let mut p = base();
        p.push(name.to_string());
        p
    };
    let mut out = Vec::new();
    let mut set = |name: &str, o: Value, n: Value| {
        if o != n {
            out.push(Change::Set {
                path: field(name),
                old: Some(o),
                new: Some(n),
            });
        }
    };
    set("yes", flag(old.yes), flag(new.yes));
    set("numerator", number(old.numerator), number(new.numerator));
    set(
        "denominator",
        number(old.denominator),
        number(new.denominator),
    );
    set("count", number(old.count), number(new.count));
    set(
        "manual_points",
        number(old.manual_points),
        number(new.manual_points),
    );
    set(
        "checked",
        Value::Bool(old.checked),
        Value::Bool(new.checked),
    );
    out.extend(text_change(field("source"), &old.source, &new.source));
    out.extend(text_change(
        field("explanation"),
        &old.explanation,
        &new.explanation,
    ));
    out
}

/// The changes that turn one document value into another: objects compared key by key, texts
/// by [`text_change`], anything else set whole.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff_into(&mut Vec::new(), old, new, &mut out);
    out
}

fn diff_into(path: &mut Path, old: &Value, new: &Value, out: &mut Vec<Change>) {
    match (old, new) {
        _ if old == new => {}
        (Value::Object(a), Value::Object(b)) => {
            for (key, av) in a {
                path.push(key.clone());
                match b.get(key) {
                    Some(bv) => diff_into(path, av, bv, out),
                    None => out.push(Change::Set {
                        path: path.clone(),
                        old: Some(av.clone()),
                        new: None,
                    }),
                }
                path.pop();
            }
            for (key, bv) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                path.push(key.clone());
                out.push(Change::Set {
                    path: path.clone(),
                    old: None,
                    new: Some(bv.clone()),
                });
                path.pop();
            }
        }
        (Value::String(a), Value::String(b)) if !path.is_empty() => {
            out.extend(text_change(path.clone(), a, b));
        }
        _ if path.is_empty() => out.push(Change::Replace {
            doc: new.clone(),
            reason: String::new(),
            edited_at: None,
        }),
        _ => out.push(Change::Set {
            path: path.clone(),
            old: Some(old.clone()),
            new: Some(new.clone()),
        }),
    }
}

/// Folds `next` into `last` when both edit the same field one after the other (typing), so
/// that consecutive keystrokes make one change. Returns whether it was folded.
pub fn coalesce(last: &mut Change, next: &Change) -> bool {
    if last.path() != next.path() || last.weight().saturating_add(next.weight()) > COALESCE_LIMIT {
        return false;
    }
    match (last, next) {
        (Change::Set { new, .. }, Change::Set { new: next_new, .. }) => {
            new.clone_from(next_new);
            true
        }
        (
            Change::Splice {
                at,
                removed,
                inserted,
                ..
            },
            Change::Splice {
                at: b,
                removed: r2,
                inserted: i2,
                ..
            },
        ) => {
            let (a, b) = (*at, *b);
            let end = a + inserted.len();
            if b >= a && b + r2.len() <= end {
                // Within (or right after) the text inserted so far.
                let off = b - a;
                inserted.replace_range(off..off + r2.len(), i2);
                true
            } else if b == end {
                // Deleting forward past what was inserted.
                removed.push_str(r2);
                inserted.push_str(i2);
                true
            } else if b < a && b + r2.len() == a {
                // Deleting backward past where the run began.
                removed.insert_str(0, r2);
                inserted.insert_str(0, i2);
                *at = b;
                true
            } else {
                false
            }
        }
        _ => false,
    }
}

/// History as a reader wants it: consecutive changes of one field by one person (less than
/// [`RUN_GAP_MS`] apart) merged into one, whose old and new values are those before and after
/// the run. `records` must be one document's, in order, from its `Create`. Returns the merged
/// list and the state the records build.
pub fn merge_runs(
    start: Option<DocState>,
    records: &[Record],
) -> Result<(Vec<Record>, Option<DocState>), ApplyError> {
    let mut state = start;
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    // The value at the run's path before the run began.
    let mut run_start: Option<Option<Value>> = None;
    for record in records {
        let joins = match (out.last(), record.change.path()) {
            (Some(prev), Some(path)) => {
                prev.change.path() == Some(path)
                    && prev.who == record.who
                    && record.at - prev.at < RUN_GAP_MS
            }
            _ => false,
        };
        let before = record
            .change
            .path()
            .map(|p| state.as_ref().and_then(|s| value_at(&s.doc, p)).cloned());
        apply(&mut state, record)?;
        if joins {
            let prev = out.last_mut().expect("a run has a first record");
            let path = prev.change.path().cloned().unwrap_or_default();
            let old = run_start.clone().flatten();
            let new = state
                .as_ref()
                .and_then(|s| value_at(&s.doc, &path))
                .cloned();
            prev.change = merged_change(path, old, new);
            prev.since = Some(prev.since.unwrap_or(prev.at));
            prev.at = record.at;
            prev.seq = record.seq;
        } else {
            run_start = before;
            out.push(record.clone());
        }
    }
    Ok((out, state))
}

fn merged_change(path: Path, old: Option<Value>, new: Option<Value>) -> Change {
    if let (Some(Value::String(a)), Some(Value::String(b))) = (&old, &new) {
        if let Some(change) = text_change(path.clone(), a, b) {
            return change;
        }
    }
    Change::Set { path, old, new }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(seq: u64, at: f64, who: &str, change: Change) -> Record {
        Record {
            format: JOURNAL_FORMAT,
            doc: "d".into(),
            seq,
            at,
            since: None,
            who: who.into(),
            change,
        }
    }

    fn path(p: &str) -> Path {
        p.split('/').map(str::to_string).collect()
    }

    #[test]
    fn splices_are_minimal_and_cut_on_characters() {
        assert_eq!(
            splice_between("Phú Mỹ", "Phù Mỹ"),
            (2, "ú".into(), "ù".into())
        );
        assert_eq!(splice_between("abc", "abXc"), (2, "".into(), "X".into()));
        assert_eq!(splice_between("aaa", "aa"), (2, "a".into(), "".into()));
        assert_eq!(splice_between("", "x"), (0, "".into(), "x".into()));
        assert_eq!(splice_between("same", "same"), (4, "".into(), "".into()));
        // Two different letters sharing their first UTF-8 byte.
        let (at, r, i) = splice_between("xạy", "xảy");
        assert_eq!((at, r.as_str(), i.as_str()), (1, "ạ", "ả"));
    }

    #[test]
    fn utf16_places_map_to_bytes_from_any_known_place() {
        let text = "aĐ𝄞b"; // 1 + 2 bytes, 1 + 1 units, 4 bytes 2 units, 1 + 1
        assert_eq!(utf16_len(text), 5);
        assert_eq!(byte_at_utf16(text, 0, (0, 0)), Some(0));
        assert_eq!(byte_at_utf16(text, 2, (0, 0)), Some(3));
        assert_eq!(byte_at_utf16(text, 3, (0, 0)), None, "inside 𝄞");
        assert_eq!(byte_at_utf16(text, 4, (2, 3)), Some(7));
        assert_eq!(byte_at_utf16(text, 5, (4, 7)), Some(8));
        assert_eq!(byte_at_utf16(text, 6, (0, 0)), None, "past the end");
        assert_eq!(
            byte_at_utf16(text, 1, (4, 7)),
            Some(1),
            "a hint past the target is ignored"
        );
        assert_eq!(
            byte_at_utf16(text, 4, (1, 2)),
            Some(7),
            "a hint inside a char is ignored"
        );
    }

    #[test]
    fn edits_of_a_text_box_are_found_without_reading_it() {
        let old = "Phú Mỹ xin chào";
        let apply = |sel, ins: &str, caret| {
            let (at, len) = splice_from_input(old, sel, ins, caret, (0, 0))?;
            let mut t = old.to_string();
            t.replace_range(at..at + len, ins);
            Some(t)
        };
        assert_eq!(
            apply((6, 6), "!", 7).as_deref(),
            Some("Phú Mỹ! xin chào"),
            "typed"
        );
        assert_eq!(
            apply((6, 6), "", 5).as_deref(),
            Some("Phú M xin chào"),
            "backspace"
        );
        assert_eq!(
            apply((0, 3), "", 0).as_deref(),
            Some(" Mỹ xin chào"),
            "selection deleted"
        );
        assert_eq!(
            apply((4, 6), "Tân", 7).as_deref(),
            Some("Phú Tân xin chào"),
            "replaced"
        );
        assert_eq!(
            apply((15, 15), "\n", 16).as_deref(),
            Some("Phú Mỹ xin chào\n"),
            "new line"
        );
        assert_eq!(apply((6, 6), "", 6), None, "forward delete: length unknown");
        assert_eq!(apply((6, 6), "ab", 7), None, "caret not where it should be");
        assert_eq!(apply((16, 16), "x", 17), None, "past the end");
    }

    #[test]
    fn a_set_adds_replaces_and_removes_keys() {
        let mut doc = json!({"recorded_max": {"1": 100}});
        let add = Change::Set {
            path: path("recorded_max/2"),
            old: None,
            new: Some(json!(50)),
        };
        apply_change(&mut doc, &add).unwrap();
        let remove = Change::Set {
            path: path("recorded_max/1"),
            old: Some(json!(100)),
            new: None,
        };
        apply_change(&mut doc, &remove).unwrap();
        assert_eq!(doc, json!({"recorded_max": {"2": 50}}));
        let null = Change::Set {
            path: path("answers/1.1/yes"),
            old: None,
            new: Some(Value::Null),
        };
        apply_change(&mut doc, &null).unwrap();
        assert_eq!(doc["answers"]["1.1"], json!({"yes": null}));
        let through_a_number = Change::Set {
            path: path("recorded_max/2/x"),
            old: None,
            new: Some(json!(1)),
        };
        assert!(matches!(
            apply_change(&mut doc, &through_a_number),
            Err(ApplyError::BadPath(_))
        ));
    }

    #[test]
    fn absent_and_null_survive_the_json_round_trip() {
        for (old, new) in [(None, Some(Value::Null)), (Some(Value::Null), None)] {
            let r = record(
                2,
                1.0,
                "A",
                Change::Set {
                    path: path("a/b"),
                    old,
                    new,
                },
            );
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), r, "{text}");
        }
    }

    #[test]
    fn a_splice_whose_text_is_not_there_is_refused() {
        let mut doc = json!({"t": "abc"});
        let wrong = Change::Splice {
            path: path("t"),
            at: 1,
            removed: "x".into(),
            inserted: "y".into(),
        };
        assert!(apply_change(&mut doc, &wrong).is_err());
        let beyond = Change::Splice {
            path: path("t"),
            at: 9,
            removed: "".into(),
            inserted: "y".into(),
        };
        assert!(apply_change(&mut doc, &beyond).is_err());
        assert_eq!(doc, json!({"t": "abc"}), "left as it was");
    }

    #[test]
    fn diff_then_apply_gives_the_new_document() {
        let long = "Thuyết minh dài. ".repeat(40);
        let old = json!({"a": 1, "t": long, "o": {"x": [1], "gone": true}, "s": "ngắn"});
        let new = json!({"a": 2, "t": format!("{long}thêm"), "o": {"x": [1, 2], "new": null}, "s": "ngắn hơn"});
        let changes = diff(&old, &new);
        assert!(changes
            .iter()
            .any(|c| matches!(c, Change::Splice { inserted, .. } if inserted == "thêm")));
        let mut doc = old.clone();
        for c in &changes {
            apply_change(&mut doc, c).unwrap();
        }
        assert_eq!(doc, new);
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn answer_changes_name_only_what_changed() {
        let old = Answer {
            numerator: Some(3.0),
            source: "Sổ".into(),
            ..Answer::default()
        };
        let new = Answer {
            numerator: None,
            source: "Sổ hộ tịch".into(),
            checked: true,
            ..old.clone()
        };
        let changes = answer_changes("1.2", Some(&old), &new);
        assert_eq!(changes.len(), 3, "{changes:?}");
        let mut doc = json!({"answers": {"1.2": serde_json::to_value(&old).unwrap()}});
        for c in &changes {
            apply_change(&mut doc, c).unwrap();
        }
        assert_eq!(doc["answers"]["1.2"], serde_json::to_value(&new).unwrap());
        let first = answer_changes("1.3", None, &new);
        assert!(matches!(&first[..], [Change::Set { old: None, .. }]));
    }

    #[test]
    fn typing_forward_backspacing_and_deleting_coalesce() {
        let p = path("t");
        let splice = |at, removed: &str, inserted: &str| Change::Splice {
            path: p.clone(),
            at,
            removed: removed.into(),
            inserted: inserted.into(),
        };
        let mut last = splice(10, "", "a");
        assert!(coalesce(&mut last, &splice(11, "", "b")));
        assert!(coalesce(&mut last, &splice(12, "", "c")));
        assert!(coalesce(&mut last, &splice(12, "c", "")));
        assert_eq!(last, splice(10, "", "ab"));
        assert!(
            coalesce(&mut last, &splice(9, "x", "")),
            "backspace past the start"
        );
        assert_eq!(last, splice(9, "x", "ab"));
        assert!(coalesce(&mut last, &splice(11, "y", "")), "delete forward");
        assert_eq!(last, splice(9, "xy", "ab"));
        assert!(!coalesce(&mut last, &splice(40, "", "z")), "elsewhere");
        let other = Change::Splice {
            path: path("u"),
            at: 11,
            removed: String::new(),
            inserted: "z".into(),
        };
        assert!(!coalesce(&mut last, &other), "another field");
        let mut big = splice(0, "", &"x".repeat(COALESCE_LIMIT));
        assert!(
            !coalesce(&mut big, &splice(COALESCE_LIMIT, "", "y")),
            "past the limit"
        );
    }

    #[test]
    fn coalesced_splices_apply_like_the_keystrokes() {
        let start = "0123456789abcdefghij".to_string();
        let keystrokes = [
            (10, "", "X"),
            (11, "", "Y"),
            (12, "", "Z"),
            (12, "Z", ""),
            (9, "9", ""),
            (11, "a", ""),
        ];
        let mut one_by_one = json!({ "t": start });
        let mut merged: Option<Change> = None;
        for (at, r, i) in keystrokes {
            let c = Change::Splice {
                path: path("t"),
                at,
                removed: r.into(),
                inserted: i.into(),
            };
            apply_change(&mut one_by_one, &c).unwrap();
            match &mut merged {
                Some(m) => assert!(coalesce(m, &c)),
                None => merged = Some(c),
            }
        }
        let mut at_once = json!({ "t": start });
        apply_change(&mut at_once, &merged.unwrap()).unwrap();
        assert_eq!(at_once, one_by_one);
    }

    #[test]
    fn runs_of_one_field_merge_into_one_change_with_old_and_new() {
        let create = record(
            1,
            0.0,
            "A",
            Change::Create {
                doc: json!({"s": "", "n": 1}),
            },
        );
        let keys = ["x", "xi", "xin"].iter().enumerate().map(|(i, v)| {
            let old = if i == 0 { "" } else { ["x", "xi"][i - 1] };
            record(
                2 + i as u64,
                1000.0 * (i + 1) as f64,
                "A",
                Change::Set {
                    path: path("s"),
                    old: Some(json!(old)),
                    new: Some(json!(v)),
                },
            )
        });
        let mut records = vec![create];
        records.extend(keys);
        records.push(record(
            5,
            5000.0,
            "A",
            Change::Set {
                path: path("n"),
                old: Some(json!(1)),
                new: Some(json!(2)),
            },
        ));
        records.push(record(
            6,
            5000.0 + RUN_GAP_MS + 1.0,
            "A",
            Change::Set {
                path: path("n"),
                old: Some(json!(2)),
                new: Some(json!(3)),
            },
        ));
        let (merged, state) = merge_runs(None, &records).unwrap();
        assert_eq!(
            merged.len(),
            4,
            "create, one run of s, two changes of n far apart"
        );
        assert_eq!(
            merged[1].change,
            Change::Set {
                path: path("s"),
                old: Some(json!("")),
                new: Some(json!("xin"))
            }
        );
        assert_eq!(
            (merged[1].seq, merged[1].since, merged[1].at),
            (4, Some(1000.0), 3000.0)
        );
        let state = state.unwrap();
        assert_eq!(state.doc, json!({"s": "xin", "n": 3}));
        assert_eq!(state.seq, 6);
        // Merged history builds the same document.
        let (again, rebuilt) = merge_runs(None, &merged).unwrap();
        assert_eq!(again, merged);
        assert_eq!(rebuilt.unwrap().doc, state.doc);
    }

    #[test]
    fn another_person_starts_another_change() {
        let records = vec![
            record(
                1,
                0.0,
                "A",
                Change::Create {
                    doc: json!({"s": ""}),
                },
            ),
            record(
                2,
                1.0,
                "A",
                Change::Set {
                    path: path("s"),
                    old: Some(json!("")),
                    new: Some(json!("a")),
                },
            ),
            record(
                3,
                2.0,
                "B",
                Change::Set {
                    path: path("s"),
                    old: Some(json!("a")),
                    new: Some(json!("ab")),
                },
            ),
        ];
        let (merged, _) = merge_runs(None, &records).unwrap();
        assert_eq!(merged.len(), 3);
    }

    #[test]
    fn delete_and_restore_are_remembered() {
        let mut state = None;
        apply(
            &mut state,
            &record(1, 5.0, "A", Change::Create { doc: json!({}) }),
        )
        .unwrap();
        apply(&mut state, &record(2, 6.0, "A", Change::Delete)).unwrap();
        assert_eq!(state.as_ref().unwrap().deleted_at, Some(6.0));
        apply(&mut state, &record(3, 7.0, "A", Change::Restore)).unwrap();
        assert_eq!(state.as_ref().unwrap().deleted_at, None);
        assert_eq!(
            apply(
                &mut state,
                &record(4, 8.0, "A", Change::Create { doc: json!({}) })
            ),
            Err(ApplyError::AlreadyCreated)
        );
        let mut empty = None;
        assert_eq!(
            apply(&mut empty, &record(2, 1.0, "A", Change::Delete)),
            Err(ApplyError::NoDocument)
        );
    }
}
