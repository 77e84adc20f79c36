//! Reading JSON the way the exchange format needs it: a file's top level in one pass, with its
//! records cut out as unparsed text; then each record on its own, strictly (I-JSON: no member
//! twice). A syntax error is reported exactly where parsing the whole text into a
//! `serde_json::Value` would report it, although neither step builds such a value of the file.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::domain::storage_format::JsonErrorAt;

/// A file's top level: the members other than `assessments` as values (they are small), the
/// records as their text.
#[derive(Default)]
pub(super) struct TopLevel<'t> {
    /// For a repeated name the last one counts, as in a `Value`; the names are kept in
    /// `repeated` (a version 2 file may not have any).
    pub members: Map<String, Value>,
    pub repeated: Vec<String>,
    pub records: Records<'t>,
}

#[derive(Default)]
pub(super) enum Records<'t> {
    #[default]
    Missing,
    Array(Vec<&'t str>),
    /// `assessments` is there but is not an array: what it is instead.
    NotArray(Value),
}

/// A file's top level read in steps, each over a bounded part of the text, so that a file of
/// many megabytes is opened without one long task. It only finds where the records of
/// `assessments` lie; the rest of the top level is then read by [`top_level`] with the records
/// left out. It gives up ([`Split::Unusual`]) on anything but the plain layout — a text that is
/// not an object, `assessments` twice or not an array, an empty element, a member name with
/// escapes that might spell `assessments` — and the caller reads the whole text at once,
/// which tells exactly what is wrong.
pub(super) struct RecordSplitter {
    at: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// At depth 1: where the last string started (a member name once `:` follows).
    string_start: usize,
    /// The last member name at depth 1 was `"assessments"`.
    after_assessments_name: bool,
    /// The records: where the array starts, where the element being read starts.
    array_start: Option<usize>,
    element_start: Option<usize>,
    records: Vec<(usize, usize)>,
    array_end: Option<usize>,
    unusual: bool,
}

/// Where the splitter stands after a step.
pub(super) enum Split {
    Going,
    /// The records' spans (byte ranges of the text) and the array's span, `[` to `]`.
    Done {
        records: Vec<(usize, usize)>,
        array: (usize, usize),
    },
    Unusual,
}

impl RecordSplitter {
    pub(super) fn new() -> RecordSplitter {
        RecordSplitter {
            at: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            string_start: 0,
            after_assessments_name: false,
            array_start: None,
            element_start: None,
            records: Vec::new(),
            array_end: None,
            unusual: false,
        }
    }

    /// Reads about `budget` more bytes of `bytes` (always the same bytes). Only ASCII matters
    /// to the structure, so the bytes need not be known to be UTF-8 yet.
    pub(super) fn step(&mut self, bytes: &[u8], budget: usize) -> Split {
        let end = (self.at + budget).min(bytes.len());
        let mut i = self.at;
        while i < end && !self.unusual {
            let b = bytes[i];
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                    // A name with an escape could spell `assessments`.
                    if self.depth == 1 {
                        self.unusual = true;
                    }
                } else if b == b'"' {
                    self.in_string = false;
                } else {
                    // Inside a string only `"` and `\` matter: skip to the next of either.
                    i += plain_run(&bytes[i + 1..end]);
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.start_element(i);
                    if self.depth == 1 {
                        self.string_start = i;
                    }
                }
                b':' if self.depth == 1 => {
                    let is_records = trim_end(&bytes[self.string_start..i]) == b"\"assessments\"";
                    if is_records && self.array_start.is_some() {
                        self.unusual = true;
                    }
                    self.after_assessments_name = is_records;
                }
                b'{' | b'[' => {
                    if self.depth == 0 && b != b'{' {
                        self.unusual = true;
                    }
                    if self.depth == 1 && self.after_assessments_name {
                        if b != b'[' {
                            self.unusual = true;
                        }
                        self.array_start = Some(i);
                        self.after_assessments_name = false;
                    } else {
                        self.start_element(i);
                    }
                    self.depth += 1;
                }
                b'}' | b']' => {
                    if self.depth == 2 && self.in_records() {
                        if b == b'}' {
                            self.unusual = true;
                        }
                        self.end_element(bytes, i, true);
                        self.array_end = Some(i + 1);
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                b',' if self.depth == 2 && self.in_records() => self.end_element(bytes, i, false),
                b' ' => i += space_run(&bytes[i + 1..end]),
                b'\n' | b'\r' | b'\t' => {}
                _ => {
                    if self.depth == 0 {
                        self.unusual = true;
                    }
                    self.start_element(i);
                    if self.depth == 1 && self.after_assessments_name {
                        // `assessments` is not an array.
                        self.unusual = true;
                    }
                }
            }
            i += 1;
        }
        self.at = i;
        if self.unusual {
            return Split::Unusual;
        }
        if self.at < bytes.len() {
            return Split::Going;
        }
        match (self.array_start, self.array_end) {
            (Some(start), Some(end)) if self.depth == 0 && !self.in_string => Split::Done {
                records: std::mem::take(&mut self.records),
                array: (start, end),
            },
            _ => Split::Unusual,
        }
    }

    /// Inside the records' array (and not past it).
    fn in_records(&self) -> bool {
        self.array_start.is_some() && self.array_end.is_none()
    }

    fn start_element(&mut self, i: usize) {
        if self.depth == 2 && self.in_records() && self.element_start.is_none() {
            self.element_start = Some(i);
        }
    }

    /// At `,` or `]` (`last`) of the records' array.
    fn end_element(&mut self, bytes: &[u8], i: usize, last: bool) {
        match self.element_start.take() {
            Some(start) => self
                .records
                .push((start, start + trim_end(&bytes[start..i]).len())),
            // `[]` is an empty list; `[,` or `,,` or `,]` is not JSON.
            None if last && self.records.is_empty() && trim_end(&bytes[..i]).ends_with(b"[") => {}
            None => self.unusual = true,
        }
    }
}

/// `bytes` without the JSON whitespace at its end.
fn trim_end(bytes: &[u8]) -> &[u8] {
    let kept = bytes
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map_or(0, |i| i + 1);
    &bytes[..kept]
}

/// The whole text, or why it is not JSON (or not an object, `Ok(None)`).
pub(super) fn top_level(text: &str) -> Result<Option<TopLevel<'_>>, JsonErrorAt> {
    match serde_json::from_str::<Top>(text) {
        Ok(Top::Object(top)) => Ok(Some(top)),
        Ok(Top::Other) => Ok(None),
        // Cutting the records out skips their contents without checking numbers and escapes:
        // the first error in the text may lie before this one.
        Err(e) => Err(syntax_error(text).unwrap_or_else(|| JsonErrorAt::new(&e, text))),
    }
}

/// Where parsing `text` as a `serde_json::Value` fails, without building the value; `None`
/// when it does not fail.
pub(super) fn syntax_error(text: &str) -> Option<JsonErrorAt> {
    serde_json::from_str::<Checked>(text)
        .err()
        .map(|e| JsonErrorAt::new(&e, text))
}

/// Why one record's text is not a value of its own.
pub(super) enum RecordJson {
    /// Not JSON: the file is not JSON either.
    Syntax,
    /// A member name twice in one object (I-JSON forbids it), with serde_json's position in the
    /// record's text read as `[[record]]`.
    Repeated(serde_json::Error),
}

/// A record's text as a value, with each object's members in the text's order. A record sits
/// two levels deep in its file (the top-level object, the `assessments` array): it is read
/// at that depth, so nesting too deep for the file is too deep here as well.
pub(super) fn record_value(text: &str) -> Result<Value, RecordJson> {
    let mut wrapped = String::with_capacity(text.len() + 4);
    wrapped.push_str("[[");
    wrapped.push_str(text);
    wrapped.push_str("]]");
    match serde_json::from_str::<[[Strict; 1]; 1]>(&wrapped) {
        Ok([[Strict(value)]]) => Ok(value),
        // A name given twice is found first; a syntax error further on still makes the file
        // not JSON, as reading the whole file says.
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            if serde_json::from_str::<de::IgnoredAny>(text).is_ok() {
                Err(RecordJson::Repeated(e))
            } else {
                Err(RecordJson::Syntax)
            }
        }
        Err(_) => Err(RecordJson::Syntax),
    }
}

/// A `Value` that refuses a member name appearing twice in one object.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Strict(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut members = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if members.contains_key(&name) {
                return Err(de::Error::custom(format_args!("duplicate field `{name}`")));
            }
            members.insert(name, value);
        }
        Ok(Strict(Value::Object(members)))
    }
}

enum Top<'t> {
    Object(TopLevel<'t>),
    /// An array, a string, a number …
    Other,
}

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Top<'de>, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

/// Any JSON value, read and checked like a `Value` but not kept. serde's `IgnoredAny` skips
/// values without checking numbers or escapes, which would let a file with `1e999` in a
/// member nobody reads through.
struct Checked;

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

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept_scalars!(Top::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top<'de>, A::Error> {
        check_elements(seq).map(|()| Top::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut top = TopLevel::default();
        while let Some(name) = map.next_key::<String>()? {
            let seen = top.members.contains_key(&name)
                || (name == "assessments" && !matches!(top.records, Records::Missing));
            if seen {
                top.repeated.push(name.clone());
            }
            if name == "assessments" {
                top.records = map.next_value::<RecordsSlot>()?.0;
            } else {
                let value: Value = map.next_value()?;
                top.members.insert(name, value);
            }
        }
        Ok(Top::Object(top))
    }
}

/// `assessments`: the records' text when it is an array.
struct RecordsSlot<'t>(Records<'t>);

impl<'de> Deserialize<'de> for RecordsSlot<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RecordsSlot<'de>, D::Error> {
        deserializer.deserialize_any(RecordsVisitor)
    }
}

struct RecordsVisitor;

impl<'de> Visitor<'de> for RecordsVisitor {
    type Value = RecordsSlot<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RecordsSlot<'de>, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            records.push(raw.get());
        }
        Ok(RecordsSlot(Records::Array(records)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RecordsSlot<'de>, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(RecordsSlot(Records::NotArray(value)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::Bool(v))))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::from(v))))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::from(v))))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::from(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::from(v))))
    }
    fn visit_unit<E>(self) -> Result<RecordsSlot<'de>, E> {
        Ok(RecordsSlot(Records::NotArray(Value::Null)))
    }
}

/// How many bytes at the start of `bytes` stand for themselves in a string: up to the first
/// `"`, `\` or control character. Eight bytes at a time, as one 64-bit word (the texts of a
/// record are mostly long explanations): a word holds none of them when no byte is below
/// 0x20 and none equals 0x22 or 0x5C.
pub(super) fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // Bytes below `n` (n ≤ 0x80) have their high bit set in the result, and maybe bytes after
    // the first such one: the first is always exact.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found =
            below(word, 0x20) | below(word ^ (ONES * 0x22), 1) | below(word ^ (ONES * 0x5c), 1);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - at)
}

/// How many spaces `bytes` starts with. A pretty-printed file is half indentation: eight at a
/// time, as one 64-bit word.
pub(super) fn space_run(bytes: &[u8]) -> usize {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        if u64::from_le_bytes(word.try_into().expect("eight bytes")) != SPACES {
            break;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|&&b| b == b' ').count()
}
