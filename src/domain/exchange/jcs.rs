//! RFC 8785, the JSON Canonicalization Scheme (JCS): the one text of a JSON value that every
//! writer computes alike, so that a record's SHA-256 can be checked by any tool.
//!
//! - objects: members sorted by their names compared as UTF-16 code units, no whitespace;
//! - strings: `"` and `\` escaped with a backslash, U+0008, U+0009, U+000A, U+000C, U+000D as
//!   `\b \t \n \f \r`, the other characters below U+0020 as `\u00xx` (lower-case hex), every other
//!   character as itself in UTF-8;
//! - numbers: IEEE 754 doubles written as ECMAScript's `Number.prototype.toString` writes them
//!   (`57`, `0.5`, `1e+21`, `1e-7`, `-0` as `0`);
//! - `true`, `false`, `null` as such.
//!
//! Written here rather than taken from a crate: the two maintained ones serialize through serde
//! (`canon-json` as a `Formatter`, `serde_json_canonicalizer` with `ryu-js`), while the importer
//! already holds a `serde_json::Value`; the ECMAScript number layout is a few lines over the
//! shortest round-trip digits serde_json's own float writer (`zmij`) gives, and the RFC's test
//! vectors and 15,000 numbers printed by Node.js (tests/jcs.rs) hold it to the letter.

use std::cmp::Ordering;

use serde_json::{Number, Value};
use sha2::{Digest, Sha256};

/// The canonical text of `value`, as bytes.
pub fn canonical(value: &Value) -> Vec<u8> {
    canonical_text(value).into_bytes()
}

/// The canonical text of `value`: written from the value's own strings and ASCII only, so it
/// is text without checking it again.
pub fn canonical_text(value: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_value(value, &mut out);
    out
}

/// Lower-case hex SHA-256 of `bytes` (a canonical text).
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_json_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            // The map mostly iterates in the canonical order already (serde_json keeps names
            // sorted by their UTF-8 bytes): then its members are written without a sorted copy.
            let in_order = map
                .keys()
                .zip(map.keys().skip(1))
                .all(|(a, b)| utf16_order(a, b) == Ordering::Less);
            if in_order {
                write_members(map.iter(), out);
            } else {
                let mut names: Vec<&String> = map.keys().collect();
                names.sort_by(|a, b| utf16_order(a, b));
                write_members(names.into_iter().map(|name| (name, &map[name])), out);
            }
            out.push('}');
        }
    }
}

fn write_members<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut String) {
    for (i, (name, item)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(name, out);
        out.push(':');
        write_value(item, out);
    }
}

/// Names compared as UTF-16 code units (RFC 8785, 3.2.3). UTF-8 byte order is the same order
/// except between a character from U+E000 to U+FFFF (lead byte 0xEE or 0xEF) and one beyond
/// U+FFFF (lead byte from 0xF0, a surrogate pair in UTF-16). Only the first byte where the names
/// differ can tell: before it they hold the same characters, and a difference after a common lead
/// byte is between characters of the same range. Only such a pair takes the slower comparison.
pub fn utf16_order(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let Some(at) = x.iter().zip(y).position(|(p, q)| p != q) else {
        return x.len().cmp(&y.len());
    };
    let (p, q) = (x[at], y[at]);
    if p >= 0xEE && q >= 0xEE && (p >= 0xF0) != (q >= 0xF0) {
        a.encode_utf16().cmp(b.encode_utf16())
    } else {
        p.cmp(&q)
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    // Every byte escaped is ASCII, so the text between two of them is whole characters.
    for (i, byte) in s.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0a => "\\n",
            0x0c => "\\f",
            0x0d => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(DIGITS[usize::from(byte & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Integers up to 2^53 in magnitude are exact doubles whose shortest form is their digits.
const EXACT: u64 = 1 << 53;

fn write_json_number(n: &Number, out: &mut String) {
    if let Some(u) = n.as_u64().filter(|&u| u <= EXACT) {
        out.push_str(itoa::Buffer::new().format(u));
    } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= EXACT) {
        out.push_str(itoa::Buffer::new().format(i));
    } else if let Some(x) = n.as_f64() {
        // Larger integers are doubles in JSON's number model (I-JSON) like every other number.
        out.push_str(&es_number(x));
    }
}

/// `x` as ECMAScript's `Number.prototype.toString(x)` writes it (ECMA-262, Number::toString),
/// for finite `x`; JSON has no NaN nor infinity, and they are written `null` here as
/// `JSON.stringify` does.
pub fn es_number(x: f64) -> String {
    if !x.is_finite() {
        return "null".to_string();
    }
    if x == 0.0 {
        // Also for -0.
        return "0".to_string();
    }
    if x < 0.0 {
        return format!("-{}", es_number(-x));
    }
    if x.fract() == 0.0 && x <= EXACT as f64 {
        return (x as u64).to_string();
    }
    // The shortest digits that read back as `x`, the closest to `x` when several are as short:
    // ECMA-262's `s` (`k` digits) and `n` (`x` = 0.d₁d₂…dₖ × 10ⁿ). serde_json's own float
    // writer gives them (Rust's `{:e}` does not always pick the closest of equally short ones).
    let mut buffer = zmij::Buffer::new();
    let (digits, n) = decimal_digits(buffer.format_finite(x));
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{sign}{}", e.abs())
        }
    }
}

/// The significant digits of a decimal number's text (`"1.25e-7"`, `"0.001"`, `"1500.0"`), and
/// the power of ten `n` with value = 0.digits × 10ⁿ.
fn decimal_digits(text: &str) -> (String, i32) {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string();
    (digits, int.len() as i32 - leading as i32 + exponent)
}
