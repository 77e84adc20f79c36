//! JSON that could not be read, told in the user's words: the line and column (in characters),
//! the field in the domain's words ("«năm đánh giá» (`year`) của bản đánh giá thứ 2") and what
//! was wrong, in Vietnamese. serde_json's messages are English and name Rust types ("integer
//! `70000`, expected u16"); nothing of them reaches the user untranslated.
//!
//! The field is found from the text itself: the JSON before the error position is scanned for
//! the keys and array positions that lead to it. This costs nothing when parsing succeeds, and
//! gives the same answer for every parse of the same text (a `serde_json::Value`, a typed
//! struct, the importer's header check).

use std::fmt;

use super::text::shorten;
use super::validation::{YEAR_MAX, YEAR_MIN};

/// Where and why a JSON text failed to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonErrorAt {
    pub line: usize,
    /// In characters, counted from 1 (serde_json counts bytes, and Vietnamese letters take 2–3).
    pub column: usize,
    /// The reason, naming the field where one is known.
    pub detail: String,
}

impl JsonErrorAt {
    pub fn new(error: &serde_json::Error, text: &str) -> JsonErrorAt {
        let (line, column, line_start) = position(error, text);
        let byte_column = error.column();
        // A syntax error's column is the offending character, which is left out of the scan;
        // a data error's is the end of the value (or object) that could not be used.
        let at_error = match error.classify() {
            serde_json::error::Category::Syntax => byte_column.saturating_sub(1),
            _ => byte_column,
        };
        let place = line_start.map(|start| {
            let end = floor_char_boundary(text, (start + at_error).min(text.len()));
            locate(&text[..end], end == text.len())
        });
        JsonErrorAt {
            line,
            column,
            detail: describe(&error.to_string(), place.as_ref()),
        }
    }

    /// Where, and the kind of fault, without the field: for data the app wrote itself (an
    /// old build's localStorage entry, a backup), whose readers must not bring [`describe`] —
    /// every field's words and the scan of the text — into the first download.
    pub fn brief(error: &serde_json::Error, text: &str) -> JsonErrorAt {
        use serde_json::error::Category;
        let (line, column, _) = position(error, text);
        let detail = match error.classify() {
            Category::Eof => "dữ liệu dừng giữa chừng",
            Category::Syntax => "sai cú pháp JSON",
            Category::Data => "có trường thiếu hoặc sai kiểu",
            Category::Io => "không đọc được",
        };
        JsonErrorAt {
            line,
            column,
            detail: detail.to_string(),
        }
    }
}

/// The error's line, its column in characters, and the byte offset where the line starts.
fn position(error: &serde_json::Error, text: &str) -> (usize, usize, Option<usize>) {
    let line = error.line();
    let byte_column = error.column();
    let line_start = line_start(text, line);
    let column = line_start.map_or(byte_column, |start| {
        // Count the characters that start within the first `byte_column` bytes.
        text[start..]
            .split('\n')
            .next()
            .unwrap_or_default()
            .char_indices()
            .take_while(|(i, _)| *i < byte_column)
            .count()
    });
    (line, column, line_start)
}

impl fmt::Display for JsonErrorAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "(dòng {}, cột {}): {}",
            self.line, self.column, self.detail
        )
    }
}

/// Byte offset where line `line` (from 1) starts; `None` for line 0 (no position).
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------
// Where in the document

/// One step of the way from the document's top to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where the text stops: the way to the innermost value being read, and whether that value is
/// complete (the error is after it, e.g. a missing comma).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: Vec<Segment>,
    pub after_value: bool,
}

enum Frame {
    Object {
        key: Option<String>,
        /// Between `:` and the end of the value.
        in_value: bool,
        after_value: bool,
    },
    Array {
        /// Position of the current element; `None` before the first.
        index: Option<usize>,
        after_value: bool,
    },
}

/// Scans `prefix` (a JSON text cut at the error) and returns the way to where it stops;
/// `whole` when the prefix is the whole text, so a number at its very end is complete.
/// Lenient: whatever the prefix, it returns the best guess and never panics.
pub fn locate(prefix: &str, whole: bool) -> Place {
    let bytes = prefix.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                start_value(&mut stack);
                stack.push(if bytes[i] == b'{' {
                    Frame::Object {
                        key: None,
                        in_value: false,
                        after_value: false,
                    }
                } else {
                    Frame::Array {
                        index: None,
                        after_value: false,
                    }
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                end_value(&mut stack);
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object {
                        key,
                        in_value,
                        after_value,
                    }) => {
                        *key = None;
                        *in_value = false;
                        *after_value = false;
                    }
                    Some(Frame::Array { after_value, .. }) => *after_value = false,
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i + 1);
                let is_key = matches!(
                    stack.last(),
                    Some(Frame::Object {
                        in_value: false,
                        ..
                    })
                );
                if is_key {
                    let raw = &prefix[i..end.map_or(bytes.len(), |e| e + 1)];
                    let name = serde_json::from_str::<String>(raw)
                        .unwrap_or_else(|_| raw.trim_matches('"').to_string());
                    if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                        *key = Some(name);
                    }
                } else {
                    start_value(&mut stack);
                    if end.is_some() {
                        end_value(&mut stack);
                    }
                }
                i = end.map_or(bytes.len(), |e| e + 1);
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                // A number, true, false, null, or junk: up to the next delimiter.
                start_value(&mut stack);
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b',' | b'}'
                            | b']'
                            | b':'
                            | b'"'
                            | b'{'
                            | b'['
                            | b' '
                            | b'\t'
                            | b'\n'
                            | b'\r'
                    )
                {
                    i += 1;
                }
                if i < bytes.len() || whole {
                    end_value(&mut stack);
                }
            }
        }
    }
    let after_value = match stack.last() {
        Some(Frame::Object { after_value, .. } | Frame::Array { after_value, .. }) => *after_value,
        None => true,
    };
    let path = stack
        .into_iter()
        .filter_map(|frame| match frame {
            Frame::Object { key, .. } => key.map(Segment::Key),
            Frame::Array { index, .. } => index.map(Segment::Index),
        })
        .collect();
    Place { path, after_value }
}

/// The byte index of the closing quote of a string whose content starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn start_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { index, .. }) = stack.last_mut() {
        *index = Some(index.map_or(0, |i| i + 1));
    }
}

fn end_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Object { after_value, .. } | Frame::Array { after_value, .. }) => {
            *after_value = true
        }
        None => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The field in the domain's words

/// The domain's name of a key, given the key that holds it (`parent`); `None` when unknown.
fn key_label(key: &str, parent: Option<&str>) -> Option<&'static str> {
    Some(match (key, parent) {
        ("id", Some("criteria_set")) => "mã bộ tiêu chí",
        ("version", Some("criteria_set")) => "phiên bản bộ tiêu chí",
        ("id", Some("assessment") | None) => "mã bản đánh giá",
        ("id", Some("criteria")) => "mã tiêu chí",
        ("id", Some("items")) => "mã mục",
        ("id", Some("unit_categories")) => "mã loại đơn vị",
        ("id", _) => "mã",
        ("name", Some("commune")) => "tên đơn vị",
        ("name", Some("assessor")) => "họ tên người đánh giá",
        ("name", Some("criteria")) => "tên tiêu chí",
        ("name", Some("examples")) => "tên ví dụ",
        ("name", Some("made_by")) => "họ tên người lập tệp",
        ("name", _) => "tên",
        ("updated_at", None) => "thời điểm lưu",
        ("format", _) => "định dạng",
        ("format_version", _) => "phiên bản định dạng",
        ("app_version", _) => "phiên bản ứng dụng",
        ("exported_at", _) => "thời điểm xuất tệp",
        // Version 2 of the exchange format (docs/exchange-format.md).
        ("kind", None) => "loại tệp",
        ("consolidated", _) => "phần đầu của tệp tổng hợp",
        ("made_by", _) => "người lập tệp",
        ("organization", _) => "cơ quan",
        ("backup", _) => "dấu bản sao lưu",
        ("converted_from", _) => "nguồn chuyển đổi",
        ("hash", Some("criteria_set")) => "mã băm nội dung bộ tiêu chí",
        ("assessments", _) => "danh sách bản đánh giá",
        ("sha256", _) => "mã kiểm tra SHA-256",
        ("revision", _) => "số lần lưu",
        ("assessment", _) => "nội dung bản đánh giá",
        ("last_exported_at", _) => "thời điểm xuất tệp lần cuối",
        ("score", _) => "điểm đã tính",
        ("criteria_set", _) => "bộ tiêu chí",
        ("version", _) => "phiên bản",
        ("commune", _) => "đơn vị",
        ("code", _) => "mã đơn vị hành chính",
        ("province_code", _) => "mã tỉnh",
        ("province_name", _) => "tên tỉnh",
        ("unit_category", _) => "loại đơn vị",
        ("year", _) => "năm đánh giá",
        ("assessor", _) => "người đánh giá",
        ("position", _) => "chức vụ",
        ("answers", _) => "các câu trả lời",
        ("yes", _) => "câu trả lời Có/Không",
        ("numerator", _) => "tử số",
        ("denominator", _) => "mẫu số",
        ("count", _) => "số lượng",
        ("manual_points", _) => "điểm người đánh giá chấm",
        ("source", _) => "nguồn số liệu",
        ("explanation", _) => "thuyết minh",
        ("checked", _) => "dấu «Đã kiểm tra»",
        ("recorded_max", _) => "điểm tối đa ghi theo bảng điểm",
        ("created_at", _) => "thời điểm tạo",
        ("updated_at", _) => "thời điểm sửa",
        ("total", _) => "tổng điểm",
        ("threshold", _) => "ngưỡng điểm",
        ("verdict", _) => "kết quả",
        ("verdict_label", _) => "tên kết quả",
        ("answered", _) => "số mục đã nhập",
        ("item_count", _) => "số mục",
        ("criteria", _) => "các tiêu chí",
        ("points", _) => "điểm",
        ("max", _) => "điểm tối đa",
        // Criteria sets.
        ("title", _) => "tên bộ tiêu chí",
        ("legal_basis", _) => "căn cứ pháp lý",
        ("number", _) => "số văn bản",
        ("date", _) => "ngày ký",
        ("issuer", _) => "cơ quan ban hành",
        ("valid_from", _) => "ngày bắt đầu áp dụng",
        ("valid_to", _) => "ngày hết hiệu lực",
        ("total_max", _) => "tổng điểm tối đa",
        ("unit_categories", _) => "các loại đơn vị",
        ("label", _) => "tên gọi",
        ("official_wording", _) => "cách gọi trong văn bản gốc",
        ("min_total", _) => "ngưỡng điểm",
        ("pass_rule", _) => "điều kiện công nhận",
        ("all_criteria_required", _) => "yêu cầu đủ mọi tiêu chí",
        ("no_zero_criterion", _) => "yêu cầu không tiêu chí nào 0 điểm",
        ("max_points", _) => "điểm tối đa của tiêu chí",
        ("provenance", _) => "nguồn gốc",
        ("items", _) => "các mục",
        ("text", _) => "nội dung mục",
        ("hint", _) => "gợi ý",
        ("rule", _) => "cách chấm điểm",
        ("kind", _) => "loại quy tắc chấm điểm",
        ("bands", _) => "các mức điểm",
        ("min", _) => "mức tối thiểu",
        ("below", _) => "cách chấm dưới mức thấp nhất",
        ("zero_denominator", _) => "cách chấm khi mẫu số bằng 0",
        ("per", _) => "số trẻ em làm cơ sở tỷ suất",
        ("numerator_label", _) => "tên tử số",
        ("denominator_label", _) => "tên mẫu số",
        ("status", _) => "trạng thái nguồn gốc",
        ("note", _) => "ghi chú",
        ("notes", _) => "các ghi chú",
        // The list of published sets (criteria/index.json).
        ("sets", _) => "danh sách tệp bộ tiêu chí",
        // Worked examples of a criteria set.
        ("examples", _) => "các ví dụ kiểm tra",
        ("inputs", _) => "số liệu nhập của ví dụ",
        ("expected", _) => "kết quả mong đợi",
        ("verdicts", _) => "kết quả mong đợi theo loại đơn vị",
        _ => return None,
    })
}

/// Containers whose members have generic names ("điểm", "số văn bản"), so the way to a member
/// says which one is meant.
const NAMED_CONTAINERS: [&str; 6] = [
    "score",
    "legal_basis",
    "pass_rule",
    "rule",
    "provenance",
    "expected",
];

/// The key naming the object a member of `path` would be in: the last key, or the key of
/// the array for a position (`criteria` for `criteria[3]`); `None` at the top level.
fn context_of(path: &[Segment]) -> Option<&str> {
    fn last_key(p: &[Segment]) -> Option<&str> {
        match p.last() {
            Some(Segment::Key(k)) => Some(k.as_str()),
            _ => None,
        }
    }
    match path.last() {
        Some(Segment::Index(_)) => last_key(&path[..path.len() - 1]),
        _ => last_key(path),
    }
}

/// What a segment is, in words: as the field an error is about («label» (`key`)), and, for a
/// segment that picks one of several things (a record, an item, a criterion, the score), as a
/// step on the way to a deeper field ("bản đánh giá thứ 2").
fn segment_words(path: &[Segment], at: usize) -> (String, Option<String>) {
    let parent = match at.checked_sub(1).map(|p| &path[p]) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    match &path[at] {
        Segment::Index(n) => {
            let n = n + 1;
            let words = match parent {
                Some("assessments") => format!("bản đánh giá thứ {n}"),
                Some("criteria") => format!("tiêu chí thứ {n}"),
                Some("items") => format!("mục thứ {n}"),
                Some("bands") => format!("mức điểm thứ {n}"),
                Some("unit_categories") => format!("loại đơn vị thứ {n}"),
                Some("notes") => format!("ghi chú thứ {n}"),
                Some("examples") => format!("ví dụ kiểm tra thứ {n}"),
                _ => format!("phần tử thứ {n}"),
            };
            (words.clone(), Some(words))
        }
        Segment::Key(key) => {
            let shown = shorten(key);
            // A key under a map keyed by item ids ("answers"; in an example, "inputs" and the
            // expected "items"), by criterion id or by unit category id.
            let keyed_by_item = matches!(parent, Some("answers" | "inputs"))
                || (parent == Some("items")
                    && at >= 2
                    && path[at - 2] == Segment::Key("expected".into()));
            match parent {
                _ if keyed_by_item => {
                    let words = format!("mục {shown}");
                    (words.clone(), Some(words))
                }
                Some("verdicts") => {
                    let words = format!("loại đơn vị {shown}");
                    (format!("«{words}»"), Some(words))
                }
                Some("recorded_max") => {
                    let words = format!("điểm tối đa ghi cho tiêu chí {shown}");
                    (format!("«{words}»"), Some(words))
                }
                _ => match key_label(key, context_of(&path[..at])) {
                    Some(label) => (
                        format!("«{label}» (`{shown}`)"),
                        NAMED_CONTAINERS
                            .contains(&key.as_str())
                            .then(|| label.to_string()),
                    ),
                    None => (format!("trường `{shown}`"), None),
                },
            }
        }
    }
}

/// "«tử số» (`numerator`) của mục a.2, bản đánh giá thứ 1"; `None` for the top level.
pub fn describe_path(path: &[Segment]) -> Option<String> {
    let last = path.len().checked_sub(1)?;
    let (leaf, _) = segment_words(path, last);
    let mut steps: Vec<String> = Vec::new();
    for i in (0..last).rev() {
        let (words, step) = segment_words(path, i);
        match step {
            Some(step) => steps.push(step),
            // An element of a list is named with its list: "phần tử thứ 2 của «định dạng»".
            None if i + 1 == last && matches!(path[last], Segment::Index(_)) => steps.push(words),
            None => {}
        }
    }
    Some(if steps.is_empty() {
        leaf
    } else {
        format!("{leaf} của {}", steps.join(", "))
    })
}

// ---------------------------------------------------------------------------------------------
// What was wrong

/// serde's message about the value at `path` (found otherwise than from the text: a value read
/// from a `serde_json::Value`), in Vietnamese, with the field named.
pub fn describe_at(message: &str, path: &[Segment]) -> String {
    let place = Place {
        path: path.to_vec(),
        after_value: false,
    };
    describe(message, Some(&place))
}

/// serde_json's message (with or without its " at line … column …" tail) in Vietnamese, with
/// the field at `place` named.
fn describe(message: &str, place: Option<&Place>) -> String {
    // The position is reported separately.
    let message = message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i]);
    let path: &[Segment] = place.map_or(&[], |p| &p.path);
    let field = describe_path(path);
    let leaf_key = match path.last() {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (unexpected, expected) = split_expected(rest);
        return format!(
            "sai kiểu dữ liệu: {} phải là {}, nhưng có {}",
            field.as_deref().unwrap_or("giá trị"),
            expected_words(expected, leaf_key),
            unexpected_words(unexpected)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (unexpected, expected) = split_expected(rest);
        return format!(
            "giá trị không hợp lệ: {} phải là {}, nhưng có {}",
            field.as_deref().unwrap_or("giá trị"),
            expected_words(expected, leaf_key),
            unexpected_words(unexpected)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (length, expected) = split_expected(rest);
        return format!(
            "sai số phần tử: {} phải là {}, nhưng có {length} phần tử",
            field.as_deref().unwrap_or("danh sách"),
            expected_words(expected, leaf_key)
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (variant, allowed) = split_expected(rest);
        return format!(
            "giá trị không được phép: {} là {}; chỉ nhận {}",
            field.as_deref().unwrap_or("giá trị"),
            quoted_value(variant),
            allowed_words(allowed)
        );
    }
    for (english, vietnamese) in [
        ("missing field ", "thiếu trường "),
        ("unknown field ", "trường không có trong định dạng: "),
        ("duplicate field ", "trường bị lặp: "),
    ] {
        if let Some(rest) = message.strip_prefix(english) {
            let (name, allowed) = split_expected(rest);
            let name = name.trim_matches('`');
            // The scan stops after an unknown or repeated key: its container holds the key.
            let container: &[Segment] = match path.last() {
                Some(Segment::Key(k)) if k == name && english != "missing field " => {
                    &path[..path.len() - 1]
                }
                _ => path,
            };
            let label = key_label(name, context_of(container))
                .map(|l| format!(" («{l}»)"))
                .unwrap_or_default();
            let place = describe_path(container)
                .map(|c| format!(" trong {c}"))
                .unwrap_or_default();
            let allowed = match (english, allowed) {
                ("unknown field ", Some(list)) => {
                    format!("; các trường được phép: {}", allowed_words(Some(list)))
                }
                _ => String::new(),
            };
            return format!("{vietnamese}`{}`{label}{place}{allowed}", shorten(name));
        }
    }
    if let Some(rest) = message.strip_prefix("data did not match any variant of untagged enum ") {
        let expected = match rest {
            "ExpectedItem" => {
                "số điểm (ví dụ 50) hoặc một trong \"not_applicable\", \"needs_manual_points\", \
                 \"missing\", \"invalid\""
            }
            _ => "một trong các dạng được phép",
        };
        return format!(
            "giá trị không hợp lệ: {} phải là {expected}",
            field.as_deref().unwrap_or("giá trị")
        );
    }
    if let Some(reason) = syntax_words(message) {
        let place = match (place, field) {
            (Some(p), Some(f)) if p.after_value => format!(" (sau {f})"),
            (Some(_), Some(f)) => format!(" (ở {f})"),
            _ => String::new(),
        };
        return format!("{reason}{place}");
    }
    match field {
        Some(f) => format!("dữ liệu không đúng định dạng ở {f}"),
        None => "dữ liệu không đúng định dạng".to_string(),
    }
}

/// "string \"x\", expected a number" → ("string \"x\"", Some("a number")).
fn split_expected(rest: &str) -> (&str, Option<&str>) {
    match rest.rfind(", expected ") {
        Some(i) => (&rest[..i], Some(&rest[i + ", expected ".len()..])),
        None => (rest, None),
    }
}

/// What serde's visitors expect, in words: Rust types become kinds of JSON values.
fn expected_words(expected: Option<&str>, key: Option<&str>) -> String {
    if key == Some("year") {
        return format!("một năm từ {YEAR_MIN} đến {YEAR_MAX}");
    }
    let Some(e) = expected else {
        return "một giá trị khác".to_string();
    };
    let integer = |max: &str| format!("một số nguyên từ 0 đến {max}");
    match e {
        "u8" => integer("255"),
        "u16" => integer("65.535"),
        "u32" => integer("4.294.967.295"),
        "u64" | "usize" | "u128" => "một số nguyên không âm".to_string(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "một số nguyên".to_string(),
        "f32" | "f64" => "một số".to_string(),
        "a string" | "a borrowed string" | "string" => "một chuỗi trong ngoặc kép".to_string(),
        "a character" | "char" => "một ký tự trong ngoặc kép".to_string(),
        "a boolean" | "bool" => "true hoặc false".to_string(),
        "a sequence" => "một danh sách [ … ]".to_string(),
        "unit" => "null".to_string(),
        "any JSON value" | "any valid JSON value" => "một giá trị JSON".to_string(),
        _ if e.starts_with("a map")
            || e.starts_with("struct ")
            || e.starts_with("internally tagged enum")
            || e.starts_with("adjacently tagged enum")
            || e.starts_with("enum ") =>
        {
            "một đối tượng { … }".to_string()
        }
        _ if e.starts_with("an array of length ") || e.starts_with("a tuple of size ") => {
            format!(
                "một danh sách {} phần tử",
                e.rsplit(' ').next().unwrap_or_default()
            )
        }
        _ if e.starts_with("a nonzero ") => "một số nguyên khác 0".to_string(),
        _ if e.starts_with('`') => format!("một trong các giá trị {}", allowed_words(Some(e))),
        _ => "một giá trị đúng định dạng".to_string(),
    }
}

/// What the text held, as serde_json describes it.
fn unexpected_words(unexpected: &str) -> String {
    if let Some(n) = unexpected
        .strip_prefix("integer `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("số {n}");
    }
    if let Some(n) = unexpected
        .strip_prefix("floating point `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("số {n}");
    }
    if let Some(b) = unexpected
        .strip_prefix("boolean `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("giá trị {b}");
    }
    if let Some(s) = unexpected.strip_prefix("string ") {
        return format!("chuỗi {}", shorten(s));
    }
    if let Some(c) = unexpected
        .strip_prefix("character `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("ký tự {c}");
    }
    match unexpected {
        "null" | "unit value" => "null (trống)".to_string(),
        "sequence" => "một danh sách [ … ]".to_string(),
        "map" => "một đối tượng { … }".to_string(),
        "Option value" => "một giá trị".to_string(),
        // The length of a list, for "invalid length".
        n if n.bytes().all(|b| b.is_ascii_digit()) => format!("{n} phần tử"),
        _ => "một giá trị khác".to_string(),
    }
}

/// serde's list of names ("`a`, `b`", "one of `a`, `b`", "`a` or `b`", "there are no …").
fn allowed_words(list: Option<&str>) -> String {
    let names: Vec<&str> = list
        .unwrap_or_default()
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    if names.is_empty() {
        "không giá trị nào".to_string()
    } else {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "`verdict_x`" → "\"verdict_x\"".
fn quoted_value(s: &str) -> String {
    format!("\"{}\"", shorten(s.trim_matches('`')))
}

/// serde_json's syntax messages (`ErrorCode`), in Vietnamese.
fn syntax_words(message: &str) -> Option<&'static str> {
    Some(match message {
        "EOF while parsing a list" => {
            "tệp kết thúc giữa chừng (bị cắt ngang?) khi đang đọc một danh sách [ … ]"
        }
        "EOF while parsing an object" => {
            "tệp kết thúc giữa chừng (bị cắt ngang?) khi đang đọc một đối tượng { … }"
        }
        "EOF while parsing a string" => {
            "tệp kết thúc giữa chừng (bị cắt ngang?) khi đang đọc một chuỗi"
        }
        "EOF while parsing a value" => {
            "tệp kết thúc giữa chừng (bị cắt ngang?) khi đang đọc một giá trị"
        }
        "expected `:`" => "thiếu dấu `:`",
        "expected `,` or `]`" => "thiếu dấu `,` hoặc `]`",
        "expected `,` or `}`" => "thiếu dấu `,` hoặc `}`",
        "expected ident" => "từ khóa không hợp lệ (chỉ có true, false, null)",
        "expected value" => "cần một giá trị JSON (số, chuỗi, đối tượng…)",
        "expected `\"`" => "thiếu dấu ngoặc kép `\"`",
        "invalid escape" => "chuỗi có ký tự thoát (\\) không hợp lệ",
        "invalid number" => "số không hợp lệ",
        "number out of range" => "số quá lớn",
        "invalid unicode code point" => "mã Unicode không hợp lệ",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "chuỗi chứa ký tự điều khiển (xuống dòng, tab…) chưa được thoát"
        }
        "key must be a string" => "tên trường phải là chuỗi trong ngoặc kép",
        "invalid value: expected key to be a number in quotes" => {
            "tên trường phải là một số viết trong ngoặc kép"
        }
        "float key must be finite (got NaN or +/-inf)" => "tên trường phải là một số hữu hạn",
        "lone leading surrogate in hex escape" => {
            "mã Unicode \\u không hợp lệ (cặp mã \\uD800–\\uDFFF không đủ đôi)"
        }
        "trailing comma" => "dấu phẩy thừa",
        "trailing characters" => "có ký tự thừa sau phần JSON",
        "unexpected end of hex escape" => {
            "mã \\u không hợp lệ (cần \\u và đủ 4 chữ số thập lục phân)"
        }
        "recursion limit exceeded" => "dữ liệu lồng nhau quá sâu",
        _ => return None,
    })
}
