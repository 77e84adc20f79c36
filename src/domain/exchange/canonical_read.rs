//! Telling, in one pass over a record's text and without building a `serde_json::Value`,
//! whether that text is already its own RFC 8785 form (what this app and any tool following
//! the specification write), and which members the format does not define. When it is, the
//! text itself is what the checksum is computed on. Anything else — whitespace, members out of
//! order or twice, an escape or a number written another way, nesting deeper than a record
//! needs — is left to the general reader, which builds the value and says exactly what is wrong.

use super::format::{push_member, Members};
use super::jcs::utf16_order;
use super::json::plain_run;

/// Deeper than any record of the format, well below serde_json's limit of 128 (the general
/// reader then tells the nesting as it always has).
const MAX_DEPTH: usize = 64;

/// The members of `text` (a record without `sha256`) that `shape` does not define, as dotted
/// paths like [`super::unknown_members`] gives them; `None` when `text` is not exactly its
/// canonical form, or names `sha256` at its top.
pub(super) fn canonical_unknown_members(text: &str, shape: &Members) -> Option<Vec<String>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        path: String::new(),
        found: Vec::new(),
    };
    if reader.bytes.first() != Some(&b'{') {
        return None;
    }
    reader.value(Some(shape), 0, true)?;
    (reader.at == reader.bytes.len()).then_some(reader.found)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    path: String,
    found: Vec<String>,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A value; `shape` when its members are to be looked at, `top` for the record itself.
    fn value(&mut self, shape: Option<&Members>, depth: usize, top: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(shape, depth, top),
            b'[' => self.array(shape, depth),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    fn object(&mut self, shape: Option<&Members>, depth: usize, top: bool) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let mut previous: Option<&str> = None;
        loop {
            let name = self.string()?;
            // A name with an escape is rare enough to be left to the general reader, which
            // compares names as they decode.
            if name.contains('\\') {
                return None;
            }
            if previous.is_some_and(|p| utf16_order(p, name).is_ge()) {
                return None;
            }
            if top && name == "sha256" {
                return None;
            }
            previous = Some(name);
            self.eat(b':')?;
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
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
        }
    }

    fn array(&mut self, shape: Option<&Members>, depth: usize) -> Option<()> {
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        let items = match shape {
            Some(Members::List(items)) => Some(*items),
            _ => None,
        };
        loop {
            self.value(items, depth + 1, false)?;
            if self.eat(b',').is_none() {
                return self.eat(b']');
            }
        }
    }

    /// A string written the canonical way; its text between the quotes, escapes as written.
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let (bytes, start) = (self.bytes, self.at);
        let mut at = start;
        loop {
            at += plain_run(&bytes[at..]);
            match *bytes.get(at)? {
                b'"' => break,
                b'\\' => {
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
        Some(&text[start..at])
    }

    /// A number as ECMAScript writes it: a whole number of up to 15 digits is read here, any
    /// other form is compared with the canonical writing of its value.
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        let length = self.bytes[start..]
            .iter()
            .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
            .unwrap_or(self.bytes.len() - start);
        let token = &self.bytes[start..start + length];
        self.at += length;
        let digits = token.strip_prefix(b"-").unwrap_or(token);
        let plain = !digits.is_empty()
            && digits.len() <= 15
            && digits.iter().all(u8::is_ascii_digit)
            && (digits == b"0" || digits[0] != b'0');
        if plain {
            return (token != b"-0").then_some(());
        }
        let token = std::str::from_utf8(token).ok()?;
        let value: serde_json::Value = serde_json::from_str(token).ok()?;
        (value.is_number() && super::jcs::canonical_text(&value) == token).then_some(())
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

    fn read(text: &str) -> Option<Vec<String>> {
        canonical_unknown_members(text, &RECORD)
    }

    #[test]
    fn reads_a_canonical_record_and_names_its_unknown_members() {
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
        let found = read(&text).expect("canonical");
        assert_eq!(found, unknown_members(&record));
        assert_eq!(
            found,
            [
                "assessment.answers[\"6.1\"].nhan_xet",
                "assessment.extra",
                "ghi_chu",
                "score.criteria.muc"
            ]
        );
    }

    #[test]
    fn leaves_every_other_writing_to_the_general_reader() {
        for text in [
            r#"{"a":1,"a":1}"#,
            r#"{"b":1,"a":2}"#,
            r#"{ "a":1}"#,
            r#"{"a":1} "#,
            r#"{"a":[1, 2]}"#,
            r#"{"a":"\u00e9"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"\/"}"#,
            r#"{"a\u0062":1}"#,
            r#"{"a":1.0}"#,
            r#"{"a":1e0}"#,
            r#"{"a":-0}"#,
            r#"{"a":01}"#,
            r#"{"a":1E+21}"#,
            r#"{"a":1e400}"#,
            r#"{"a":-}"#,
            r#"{"a":tru}"#,
            r#"{"a":"b}"#,
            "{\"a\":\"\t\"}",
            r#"{"sha256":"00"}"#,
            r#"{"a":1,}"#,
            r#"{"a":1}{"#,
            "[1]",
            "",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(80), "]".repeat(80));
        assert_eq!(read(&deep), None);
        for text in [
            "{\"a\":\"\\u001f\\b\\t\\n\\f\\r\\\"\\\\é\u{7f}\u{e000}\u{10000}\"}",
            r#"{"a":1e+21,"b":1.5e-7,"c":0.000001,"d":-1234567890123456,"e":12345678901234568}"#,
            r#"{"":{},"a":[],"b":[{}]}"#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(canonical_text(&value), text);
            assert_eq!(read(text), Some(unknown_members(&value)), "{text}");
        }
    }

    /// Native only: proptest does not build for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;
        use serde_json::{json, Value};

        use super::super::super::format::unknown_members;
        use super::super::super::jcs::canonical_text;
        use super::super::super::json::plain_run;
        use super::read;

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

        /// What the general reader would find, found without a value: every canonical text is
            /// read, with the same unknown members.
            #[test]
            fn canonical_texts_are_read_as_the_general_reader_reads_them(value in json_value()) {
                let mut value = value;
                if let Value::Object(members) = &mut value {
                    members.remove("sha256");
                    let text = canonical_text(&value);
                    prop_assert_eq!(read(&text), Some(unknown_members(&value)), "{}", text);
                }
            }

            /// Nothing but a canonical text is read: changed anywhere, a text is either still the
            /// canonical text of its own value or left to the general reader.
            #[test]
            fn only_canonical_texts_are_read(
                value in json_value(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4),
            ) {
                let mut text = canonical_text(&json!({ "a": value })).into_bytes();
                for (at, byte, kind) in edits {
                    let i = at.index(text.len());
                    match kind {
                        0 => text[i] = byte,
                        1 => text.insert(i, byte),
                        _ => { text.remove(i); }
                    }
                }
                let Ok(text) = String::from_utf8(text) else { return Ok(()) };
                if read(&text).is_some() {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    prop_assert_eq!(canonical_text(&value), text);
                }
            }
        }
    }
}
