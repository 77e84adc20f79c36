//! Reading a version 2 record's text in one pass, without building a `serde_json::Value`: its
//! `sha256`, its RFC 8785 text (what the checksum is computed on) and the members the format
//! does not define. The text may be written as this app writes a consolidated file (one line,
//! already canonical), pretty-printed as it writes a commune's file (members in the order of
//! its types, with spaces and line breaks), or in any order and spacing another tool chose:
//! whitespace is dropped, each object's members are put in canonical order, numbers are written
//! as ECMAScript writes them. Anything else — a member twice, an escape not written the
//! canonical way, a name with an escape, nesting deeper than a record needs, a text that is not
//! JSON — is left to the general reader, which builds the value and says exactly what is wrong.

use std::ops::Range;

use super::format::{push_member, Members};
use super::import::is_hex64;
use super::jcs::{canonical_text, utf16_order};
use super::json::{plain_run, space_run};

/// Deeper than any record of the format, well below serde_json's limit of 128 (the general
/// reader then tells the nesting as it always has).
const MAX_DEPTH: usize = 64;

/// What a record's text holds for its checks.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct RecordText<'t> {
    /// The `sha256` given at the record's top, 64 hexadecimal digits.
    pub given: &'t str,
    /// The record without `sha256`, in its canonical form.
    pub canonical: String,
    /// The members `shape` does not define, as dotted paths like [`super::unknown_members`]
    /// gives them, in the same (canonical) order.
    pub unknown: Vec<String>,
}

/// Reads record `text` against `shape`; `None` when the general reader must (see the module).
pub(super) fn read_record<'t>(text: &'t str, shape: &Members) -> Option<RecordText<'t>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        path: String::new(),
        found: Vec::new(),
        out: Vec::with_capacity(text.len()),
        given: None,
        members: Vec::new(),
        scratch: Vec::with_capacity(text.len()),
    };
    reader.skip_space();
    if reader.peek() != Some(b'{') {
        return None;
    }
    reader.value(Some(shape), 0, true)?;
    reader.skip_space();
    if reader.at != reader.bytes.len() {
        return None;
    }
    Some(RecordText {
        given: reader.given?,
        // Whole characters of `text` and ASCII only.
        canonical: String::from_utf8(reader.out).ok()?,
        unknown: reader.found,
    })
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    path: String,
    found: Vec<String>,
    /// The canonical text written so far. Bytes, made a `String` at the end: pushing a byte
    /// is cheaper than pushing a `char` (with `scratch` sized once, a commune's pretty-printed
    /// record reads natively in 16 µs instead of 21).
    out: Vec<u8>,
    given: Option<&'t str>,
    /// The members of the objects being read, innermost last: one list for all of them rather
    /// than one allocated for each object.
    members: Vec<Written<'t>>,
    /// An object's members as first written, while they are written again in canonical order:
    /// one buffer for every object rather than one allocated for each.
    scratch: Vec<u8>,
}

/// One member of an object as written to the canonical text: its name, its `"name":value` in
/// the text written, and the unknown members found in it.
struct Written<'t> {
    name: &'t str,
    text: Range<usize>,
    found: Range<usize>,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    fn skip_space(&mut self) {
        let (bytes, mut at) = (self.bytes, self.at);
        loop {
            match bytes.get(at) {
                Some(b' ') => at += space_run(&bytes[at..]),
                Some(b'\t' | b'\n' | b'\r') => at += 1,
                _ => break,
            }
        }
        self.at = at;
    }

    /// A value; `shape` when its members are to be looked at, `top` for the record itself.
    fn value(&mut self, shape: Option<&Members>, depth: usize, top: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(shape, depth, top),
            b'[' => self.array(shape, depth),
            b'"' => {
                let (text, _) = self.string()?;
                self.write_string(text);
                Some(())
            }
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn write_string(&mut self, text: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)?;
        self.out.extend_from_slice(word.as_bytes());
        Some(())
    }

    fn object(&mut self, shape: Option<&Members>, depth: usize, top: bool) -> Option<()> {
        self.eat(b'{')?;
        let (start, found_start) = (self.out.len(), self.found.len());
        self.out.push(b'{');
        self.skip_space();
        if self.eat(b'}').is_some() {
            self.out.push(b'}');
            return Some(());
        }
        let base = self.members.len();
        let mut in_order = true;
        loop {
            self.skip_space();
            let (name, escaped) = self.string()?;
            // A name with an escape is rare enough to be left to the general reader, which
            // compares names as they decode.
            if escaped {
                return None;
            }
            self.skip_space();
            self.eat(b':')?;
            self.skip_space();
            if top && name == "sha256" {
                // Not part of what it checks; given twice, or not as 64 hex digits, the general
                // reader says so.
                let (given, _) = self.string()?;
                if self.given.is_some() || !is_hex64(given) {
                    return None;
                }
                self.given = Some(given);
            } else {
                if let Some(last) = self.members[base..].last() {
                    in_order &= utf16_order(last.name, name).is_lt();
                    self.out.push(b',');
                }
                let (text_start, member_found) = (self.out.len(), self.found.len());
                self.write_string(name);
                self.out.push(b':');
                let member = match shape {
                    Some(Members::Object(known)) => match known.iter().find(|(k, _)| *k == name) {
                        Some((_, shape)) => Some(*shape),
                        None => {
                            let len = self.path.len();
                            push_member(&mut self.path, name);
                            self.found.push(self.path.clone());
                            self.path.truncate(len);
                            None
                        }
                    },
                    Some(Members::Map(shape)) => Some(*shape),
                    _ => None,
                };
                // As the general walk does: only into members that have members to look at.
                match member.filter(|m| !matches!(m, Members::Leaf | Members::Opaque)) {
                    Some(member) => {
                        let len = self.path.len();
                        push_member(&mut self.path, name);
                        self.value(Some(member), depth + 1, false)?;
                        self.path.truncate(len);
                    }
                    None => self.value(None, depth + 1, false)?,
                }
                self.members.push(Written {
                    name,
                    text: text_start..self.out.len(),
                    found: member_found..self.found.len(),
                });
            }
            self.skip_space();
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                break;
            }
        }
        if !in_order {
            let written = &mut self.members[base..];
            written.sort_by(|a, b| utf16_order(a.name, b.name));
            // A name given twice: the general reader tells which.
            if written.windows(2).any(|w| w[0].name == w[1].name) {
                return None;
            }
            let text = &mut self.scratch;
            text.clear();
            text.extend_from_slice(&self.out[start + 1..]);
            self.out.truncate(start + 1);
            let found = self.found.split_off(found_start);
            for (i, member) in written.iter().enumerate() {
                if i > 0 {
                    self.out.push(b',');
                }
                let at = |r: &Range<usize>, base: usize| r.start - base..r.end - base;
                self.out
                    .extend_from_slice(&text[at(&member.text, start + 1)]);
                self.found
                    .extend_from_slice(&found[at(&member.found, found_start)]);
            }
        }
        self.members.truncate(base);
        self.out.push(b'}');
        Some(())
    }

    fn array(&mut self, shape: Option<&Members>, depth: usize) -> Option<()> {
        self.eat(b'[')?;
        self.out.push(b'[');
        self.skip_space();
        if self.eat(b']').is_some() {
            self.out.push(b']');
            return Some(());
        }
        let items = match shape {
            Some(Members::List(items)) => Some(*items),
            _ => None,
        };
        loop {
            self.skip_space();
            self.value(items, depth + 1, false)?;
            self.skip_space();
            if self.eat(b',').is_none() {
                self.eat(b']')?;
                self.out.push(b']');
                return Some(());
            }
            self.out.push(b',');
        }
    }

    /// A string written the canonical way; its text between the quotes, escapes as written, and
    /// whether it holds any.
    fn string(&mut self) -> Option<(&'t str, bool)> {
        self.eat(b'"')?;
        let (bytes, start) = (self.bytes, self.at);
        let mut at = start;
        let mut escaped = false;
        loop {
            at += plain_run(&bytes[at..]);
            match *bytes.get(at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    let escape = &bytes[at + 1..];
                    match escape.first()? {
                        b'"' | b'\\' | b'b' | b't' | b'n' | b'f' | b'r' => at += 2,
                        b'u' if is_control_escape(escape) => at += 6,
                        _ => return None,
                    }
                }
                // A control character written as itself.
                _ => return None,
            }
        }
        self.at = at + 1;
        // Both ends are ASCII quotes, so the slice is whole characters.
        let text: &'t str = self.text;
        Some((&text[start..at], escaped))
    }

    /// A number, written as ECMAScript writes it: a whole number of up to 15 digits stands as
    /// it is, any other form is read and written again.
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        let length = self.bytes[start..]
            .iter()
            .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
            .unwrap_or(self.bytes.len() - start);
        let token = &self.text[start..start + length];
        self.at += length;
        let digits = token.strip_prefix('-').unwrap_or(token).as_bytes();
        let plain = !digits.is_empty()
            && digits.len() <= 15
            && digits.iter().all(u8::is_ascii_digit)
            && (digits == b"0" || digits[0] != b'0')
            && token != "-0";
        if plain {
            self.out.extend_from_slice(token.as_bytes());
            return Some(());
        }
        let value: serde_json::Value = serde_json::from_str(token).ok()?;
        if !value.is_number() {
            return None;
        }
        self.out
            .extend_from_slice(canonical_text(&value).as_bytes());
        Some(())
    }
}

/// `\u00xx` with lower-case hex, for a control character that has no short escape.
fn is_control_escape(escape: &[u8]) -> bool {
    let [b'u', b'0', b'0', high @ (b'0' | b'1'), low, ..] = *escape else {
        return false;
    };
    let low = match low {
        b'0'..=b'9' => low - b'0',
        b'a'..=b'f' => low - b'a' + 10,
        _ => return false,
    };
    let code = (high - b'0') * 16 + low;
    !matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::format::{unknown_members, RECORD};
    use super::super::jcs::canonical_text;
    use super::*;

    const SHA256: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// `text`, an object, with a `sha256` put first. Only JSON's own whitespace is passed over:
    /// anything else before the object (a vertical tab…) must stay, for the readers to refuse.
    fn with_sha256(text: &str) -> String {
        let json_space = [' ', '\t', '\n', '\r'];
        match text.trim_start_matches(json_space).strip_prefix('{') {
            Some(rest) if rest.trim_start_matches(json_space).starts_with('}') => {
                format!("{{\"sha256\":\"{SHA256}\"{rest}")
            }
            Some(rest) => format!("{{\"sha256\":\"{SHA256}\",{rest}"),
            None => text.to_string(),
        }
    }

    /// The canonical text and unknown members read from `text` once given a `sha256`.
    fn read(text: &str) -> Option<(String, Vec<String>)> {
        let text = with_sha256(text);
        let read = read_record(&text, &RECORD)?;
        assert_eq!(read.given, SHA256);
        Some((read.canonical, read.unknown))
    }

    /// What the general reader makes of `text`: its value's canonical text and unknown members.
    fn general(text: &str) -> (String, Vec<String>) {
        let value: Value = serde_json::from_str(text).expect("JSON");
        (canonical_text(&value), unknown_members(&value))
    }

    #[test]
    fn reads_a_record_and_names_its_unknown_members() {
        let record = json!({
            "assessment": {
                "answers": {"6.1": {"yes": true, "nhan_xet": "x"}},
                "commune": {"code": "00070"},
                "year": 2025,
                "extra": [1, 2]
            },
            "revision": 3,
            "score": {"criteria": [{"id": "1", "max": 75, "muc": 1}], "total": 12.5},
            "ghi_chu": null
        });
        let text = canonical_text(&record);
        let expected = [
            "assessment.answers[\"6.1\"].nhan_xet",
            "assessment.extra",
            "ghi_chu",
            "score.criteria.muc",
        ];
        assert_eq!(
            read(&text),
            Some((text.clone(), expected.map(String::from).to_vec()))
        );
        // Pretty-printed, members in another order: the same.
        let pretty = serde_json::to_string_pretty(&record).unwrap();
        let reordered = r#" {"score":{"total":12.5,"criteria":[{"muc":1,"max":75,"id":"1"}]},
            "ghi_chu":null,"revision":3,"assessment":{"year":2025,"extra":[1 , 2],
            "commune":{"code":"00070"},"answers":{"6.1":{"nhan_xet":"x","yes":true}}}} "#;
        for other in [pretty.as_str(), reordered] {
            assert_eq!(
                read(other),
                Some((text.clone(), expected.map(String::from).to_vec()))
            );
        }
    }

    #[test]
    fn writes_numbers_as_ecmascript_does() {
        for (written, canonical) in [
            (r#"{"a":1.0}"#, r#"{"a":1}"#),
            (r#"{"a":1e0}"#, r#"{"a":1}"#),
            (r#"{"a":-0}"#, r#"{"a":0}"#),
            (r#"{"a":1E+21}"#, r#"{"a":1e+21}"#),
            (r#"{"a":0.0000001}"#, r#"{"a":1e-7}"#),
            (
                r#"{"a":12345678901234567890}"#,
                r#"{"a":12345678901234567000}"#,
            ),
        ] {
            assert_eq!(
                read(written).map(|r| r.0).as_deref(),
                Some(canonical),
                "{written}"
            );
            assert_eq!(general(written).0, canonical);
        }
    }

    #[test]
    fn leaves_what_it_cannot_read_to_the_general_reader() {
        for text in [
            r#"{"a":1,"a":1}"#,
            r#"{"b":1,"a":2,"b":3}"#,
            r#"{"a":"\u00e9"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"\/"}"#,
            r#"{"a\u0062":1}"#,
            r#"{"a":01}"#,
            r#"{"a":1e400}"#,
            r#"{"a":-}"#,
            r#"{"a":tru}"#,
            r#"{"a":"b}"#,
            "{\"a\":\"\t\"}",
            r#"{"sha256":"00"}"#,
            r#"{"a":1,}"#,
            r#"{"a":1}{"#,
            r#"{"a":1}]"#,
            r#"{"a" 1}"#,
            "{\"a\":\u{a0}1}",
            "[1]",
            "",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(80), "]".repeat(80));
        assert_eq!(read(&deep), None);
        // Without its checksum, or with a second one.
        assert_eq!(read_record(r#"{"a":1}"#, &RECORD), None);
        let twice = with_sha256(&with_sha256(r#"{"a":1}"#));
        assert_eq!(read_record(&twice, &RECORD), None);
        for text in [
            "{\"a\":\"\\u001f\\b\\t\\n\\f\\r\\\"\\\\é\u{7f}\u{e000}\u{10000}\"}",
            r#"{"a":1e+21,"b":1.5e-7,"c":0.000001,"d":-1234567890123456,"e":12345678901234568}"#,
            r#"{"":{},"a":[],"b":[{}]}"#,
            "{\"\u{10000}\":1,\"\u{e000}\":2}",
        ] {
            assert_eq!(read(text), Some(general(text)), "{text}");
        }
    }

    /// Native only: proptest does not build for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;
        use serde_json::{json, Value};

        use super::super::super::json::{plain_run, record_value};
        use super::{general, read, with_sha256};

        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                (0u32..100_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
                "\\PC{0,12}".prop_map(Value::from),
                "[\\x00-\\x20\"\\\\é\u{e000}\u{10000}]{0,4}".prop_map(Value::from),
            ];
            let name = prop_oneof![
                prop::sample::select(vec![
                    "assessment",
                    "answers",
                    "commune",
                    "code",
                    "criteria",
                    "score",
                    "set_moves",
                    "set_aside",
                    "history",
                    "6.1",
                    "yes",
                ])
                .prop_map(String::from),
                "[a-z\u{e000}\u{10000}]{0,3}",
            ];
            leaf.prop_recursive(5, 40, 5, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                    prop::collection::btree_map(name.clone(), inner, 0..5)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        /// `value` written by another tool: members in reverse order, spaces and line breaks
        /// between every token (`space` picks them), numbers as serde_json writes them.
        fn written_otherwise(
            value: &Value,
            space: &mut impl Iterator<Item = &'static str>,
            out: &mut String,
        ) {
            out.push_str(space.next().unwrap());
            match value {
                Value::Array(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        written_otherwise(item, space, out);
                    }
                    out.push_str(space.next().unwrap());
                    out.push(']');
                }
                Value::Object(members) => {
                    out.push('{');
                    for (i, (name, member)) in members.iter().rev().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(space.next().unwrap());
                        out.push_str(&Value::from(name.as_str()).to_string());
                        out.push_str(space.next().unwrap());
                        out.push(':');
                        written_otherwise(member, space, out);
                    }
                    out.push_str(space.next().unwrap());
                    out.push('}');
                }
                _ => out.push_str(&value.to_string()),
            }
            out.push_str(space.next().unwrap());
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Eight bytes at a time, the same stop as one at a time.
            #[test]
            fn plain_runs_stop_where_a_byte_at_a_time_stops(
                bytes in prop::collection::vec(
                    prop_oneof![any::<u8>(), Just(b'"'), Just(b'\\'), 0x1fu8..0x24, 0x5bu8..0x5e, 0x7fu8..0x82],
                    0..40,
                ),
            ) {
                let naive = bytes
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                    .unwrap_or(bytes.len());
                prop_assert_eq!(plain_run(&bytes), naive);
            }

            /// Canonical, pretty-printed, or in reverse order with spaces everywhere: a record
            /// is read as the general reader reads it.
            #[test]
            fn records_are_read_as_the_general_reader_reads_them(
                value in json_value(),
                spaces in prop::collection::vec(prop::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"]), 1..16),
            ) {
                let mut value = value;
                if let Value::Object(members) = &mut value {
                    members.remove("sha256");
                    let expected = general(&value.to_string());
                    let mut otherwise = String::new();
                    written_otherwise(&value, &mut spaces.into_iter().cycle(), &mut otherwise);
                    for text in [expected.0.clone(), serde_json::to_string_pretty(&value).unwrap(), otherwise] {
                        prop_assert_eq!(read(&text), Some(expected.clone()), "{}", text);
                    }
                }
            }

            /// Changed anywhere, a text is either read as the general reader reads it (which
            /// finds no member twice in it), or left to the general reader.
            #[test]
            fn what_is_read_is_what_the_general_reader_reads(
                value in json_value(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4),
            ) {
                let mut text = serde_json::to_string_pretty(&json!({ "a": value })).unwrap().into_bytes();
                for (at, byte, kind) in edits {
                    let i = at.index(text.len());
                    match kind {
                        0 => text[i] = byte,
                        1 => text.insert(i, byte),
                        _ => { text.remove(i); }
                    }
                }
                let Ok(text) = String::from_utf8(text) else { return Ok(()) };
                if let Some(read) = read(&text) {
                    let strict = record_value(&with_sha256(&text));
                    prop_assert!(strict.is_ok(), "{}", text);
                    prop_assert_eq!(Some(read), Some(general(&text)));
                }
            }
        }
    }
}
