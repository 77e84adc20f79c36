//! Every way a JSON text can fail to read, as the user is told it: in Vietnamese, with the line,
//! and naming the field in the domain's words. Each case is a real file or stored copy broken
//! one way, read by the same code the app uses.
// Native only, like the other integration tests.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{full_marks, test_set};
use serde_json::Value;
use xa_phu_hop_tre_em::domain::assessment::CommuneRef;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, import_file, jcs, EntryError, ExportEntry, FieldError, ImportError, RejectedRecord,
};
use xa_phu_hop_tre_em::domain::messages::{describe_path, locate, JsonErrorAt, Place, Segment};
use xa_phu_hop_tre_em::domain::scoring::score;
use xa_phu_hop_tre_em::domain::storage_format::{decode_stored, encode_stored, StoredAssessment};

fn exported() -> String {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 500.0);
    a.commune = CommuneRef {
        code: "00070".into(),
        name: "Phường Hoàn Kiếm".into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
    };
    let mut next = a.clone();
    next.year = 2026;
    let (s, s_next) = (score(&set, &a), score(&set, &next));
    let entries = [
        ExportEntry {
            assessment: &a,
            revision: 2,
            score: Some(&s),
            backup: false,
            history: &[],
        },
        ExportEntry {
            assessment: &next,
            revision: 1,
            score: Some(&s_next),
            backup: false,
            history: &[],
        },
    ];
    export_file(&entries, 1_763_860_740_000.0)
}

/// The exported file with one value replaced (or added: version 2 leaves out members with
/// nothing in them), written the way the app writes (pretty).
fn with(pointer: &str, value: Value) -> String {
    let mut v: Value = serde_json::from_str(&exported()).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match v.pointer_mut(parent).unwrap() {
        Value::Object(members) => {
            members.insert(key.to_string(), value);
        }
        other => *other.get_mut(key.parse::<usize>().unwrap()).unwrap() = value,
    }
    serde_json::to_string_pretty(&v).unwrap()
}

/// The message a user reads for `text` (the file's, or its one refused record's), and the
/// position and reason behind it.
fn refusal(text: &str) -> (String, JsonErrorAt) {
    let at = |f: &FieldError| JsonErrorAt {
        line: f.line,
        column: f.column,
        detail: f.detail.clone(),
    };
    match import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()])) {
        Err(e @ (ImportError::Syntax(_) | ImportError::Structure(_))) => {
            let position = match &e {
                ImportError::Syntax(at) | ImportError::Structure(at) => at.clone(),
                _ => unreachable!(),
            };
            (e.to_string(), position)
        }
        Err(ref e @ ImportError::Header(ref f)) => (e.to_string(), at(f)),
        Ok(file) => match file.rejected().next() {
            Some(
                refused @ RejectedRecord {
                    error: EntryError::Structure(f),
                    ..
                },
            ) => (refused.to_string(), at(f)),
            other => panic!("expected a parse error, got {other:?}"),
        },
        other => panic!("expected a parse error, got {other:?}"),
    }
}

/// English that serde or serde_json would leak: words of their messages and Rust type names.
const ENGLISH: [&str; 40] = [
    "expected",
    "invalid",
    "integer",
    "floating",
    "point",
    "sequence",
    "string",
    "map",
    "struct",
    "EOF",
    "while",
    "parsing",
    "unknown",
    "missing",
    "field",
    "variant",
    "type",
    "value",
    "escape",
    "hex",
    "number",
    "trailing",
    "control",
    "character",
    "key",
    "unit",
    "boolean",
    "length",
    "duplicate",
    "out of range",
    "found",
    "must",
    "lone",
    "surrogate",
    "recursion",
    "limit",
    "u16",
    "u32",
    "u64",
    "f64",
];

/// No English outside backquotes (code names of fields, shown for technicians) and outside
/// double quotes (what the file holds, quoted as is).
fn assert_vietnamese(message: &str) {
    let mut outside = String::new();
    let mut quote = None;
    for c in message.chars() {
        match (quote, c) {
            (None, '`' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) => outside.push(c),
            _ => {}
        }
    }
    let lower = outside.to_lowercase();
    for word in ENGLISH {
        let w = word.to_lowercase();
        let leaked = lower.match_indices(&w).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        assert!(!leaked, "«{word}» in {message}");
    }
    assert!(
        message
            .chars()
            .any(|c| "ăâđêôơưạảấầẩậắằẳặẹẻếềểệịỉọỏốồổộớờởợụủứừửựỳỷỵáàãéèẽíìĩóòõúùũý".contains(c)),
        "{message}"
    );
}

#[test]
fn type_errors_name_the_field_and_the_record() {
    let cases = [
        (
            "/assessments/0/assessment/year",
            Value::from(70_000),
            "«năm đánh giá» (`year`) của bản đánh giá thứ 1 phải là một năm từ 2019 đến 2100, nhưng có số 70000",
        ),
        (
            "/assessments/1/assessment/year",
            Value::from(2025.5),
            "«năm đánh giá» (`year`) của bản đánh giá thứ 2 phải là một năm từ 2019 đến 2100, nhưng có số 2025.5",
        ),
        (
            "/assessments/0/assessment/year",
            Value::from("năm nay"),
            "«năm đánh giá» (`year`) của bản đánh giá thứ 1 phải là một năm từ 2019 đến 2100, nhưng có chuỗi \"năm nay\"",
        ),
        (
            "/assessments/0/revision",
            Value::from(-1),
            "«số lần lưu» (`revision`) của bản đánh giá thứ 1 phải là một số nguyên không âm, nhưng có số -1",
        ),
        (
            "/assessments/1/revision",
            Value::Null,
            "«số lần lưu» (`revision`) của bản đánh giá thứ 2 phải là một số nguyên không âm, nhưng có null (trống)",
        ),
        (
            "/assessments/0/assessment/answers/a.2/numerator",
            Value::from("mười"),
            "«tử số» (`numerator`) của mục a.2, bản đánh giá thứ 1 phải là một số, nhưng có chuỗi \"mười\"",
        ),
        (
            "/assessments/0/assessment/answers/a.1/checked",
            Value::from("có"),
            "«dấu «Đã kiểm tra»» (`checked`) của mục a.1, bản đánh giá thứ 1 phải là true hoặc false",
        ),
        (
            "/assessments/0/assessment/answers",
            Value::from(vec![1, 2]),
            "«các câu trả lời» (`answers`) của bản đánh giá thứ 1 phải là một đối tượng { … }, nhưng có một danh sách [ … ]",
        ),
        (
            "/assessments",
            serde_json::json!({"a": 1}),
            "«danh sách bản đánh giá» (`assessments`) phải là một danh sách [ … ], nhưng có một đối tượng { … }",
        ),
        (
            "/assessments/0/score/total",
            Value::from(5_000_000_000u64),
            "«tổng điểm» (`total`) của điểm đã tính, bản đánh giá thứ 1 phải là một số nguyên từ 0 đến 4.294.967.295, nhưng có số 5000000000",
        ),
        (
            "/assessments/0/score/criteria/2/points",
            Value::from(true),
            "«điểm» (`points`) của tiêu chí thứ 3, điểm đã tính, bản đánh giá thứ 1 phải là một số nguyên từ 0 đến 4.294.967.295, nhưng có giá trị true",
        ),
        (
            "/exported_at",
            Value::from(5),
            "«thời điểm xuất tệp» (`exported_at`) phải là một chuỗi trong ngoặc kép, nhưng có số 5",
        ),
        (
            "/assessments/0/assessment/recorded_max",
            serde_json::json!({"D": -5}),
            "«điểm tối đa ghi cho tiêu chí D» của bản đánh giá thứ 1 phải là một số nguyên từ 0 đến 4.294.967.295, nhưng có số -5",
        ),
        (
            "/assessments/0/assessment/commune/code",
            Value::from(70),
            "«mã đơn vị hành chính» (`code`) của bản đánh giá thứ 1 phải là một chuỗi trong ngoặc kép, nhưng có số 70",
        ),
        (
            "/assessments/0/assessment/criteria_set",
            serde_json::json!(["thu-nghiem"]),
            "sai số phần tử: «bộ tiêu chí» (`criteria_set`) của bản đánh giá thứ 1 phải là một đối tượng { … }, nhưng có 1 phần tử",
        ),
        (
            "/assessments/0/score/verdict",
            Value::from("ok"),
            "giá trị không được phép: «kết quả» (`verdict`) của điểm đã tính, bản đánh giá thứ 1 là \"ok\"; chỉ nhận \"pass\", \"fail\", \"incomplete\"",
        ),
    ];
    for (pointer, value, expected) in cases {
        let text = with(pointer, value);
        let (message, at) = refusal(&text);
        assert!(
            message.contains(expected),
            "{pointer}:\n{message}\nexpected: {expected}"
        );
        // A record's structure is told record by record (version 2), with its line; the top
        // level's, as a whole-file refusal.
        let record =
            message.starts_with("Bản đánh giá thứ ") && message.contains(": Sai cấu trúc (dòng ");
        let header = message.starts_with("Phần đầu tệp không đúng định dạng: ");
        assert!(record || header, "{message}");
        if header {
            assert_vietnamese(&message);
            continue;
        }
        // The line is the value's own line in the file.
        let line = text.lines().nth(at.line - 1).unwrap();
        let key = pointer.rsplit('/').next().unwrap();
        let holder = pointer.rsplit('/').nth(1).unwrap();
        assert!(
            line.contains(key)
                || line.contains(holder)
                || line.trim_start().starts_with([
                    '}', ']', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'n'
                ]),
            "line {} «{line}» for {pointer}",
            at.line
        );
        assert_vietnamese(&message);
    }
}

#[test]
fn missing_unknown_and_repeated_fields() {
    let mut v: Value = serde_json::from_str(&exported()).unwrap();
    v["assessments"][1]["assessment"]
        .as_object_mut()
        .unwrap()
        .remove("year");
    let (m, _) = refusal(&serde_json::to_string_pretty(&v).unwrap());
    assert!(
        m.contains("thiếu trường `year` («năm đánh giá») trong «nội dung bản đánh giá» (`assessment`) của bản đánh giá thứ 2"),
        "{m}"
    );
    assert_vietnamese(&m);

    // Version 2 ignores a member it does not define, and says so (a misspelt name would lose
    // its data otherwise); version 1 refused it, naming the members it allows.
    let mut v: Value = serde_json::from_str(&exported()).unwrap();
    let record = &mut v["assessments"][1];
    record["ghi_chu"] = "x".into();
    let mut unsigned = record.clone();
    unsigned.as_object_mut().unwrap().remove("sha256");
    record["sha256"] = jcs::digest(&jcs::canonical(&unsigned)).into();
    let file = import_file(
        serde_json::to_string_pretty(&v).unwrap().as_bytes(),
        &CriteriaRegistry::from_sets([test_set()]),
    )
    .unwrap();
    let m = file.records[1].as_ref().unwrap().warnings[0].to_string();
    assert!(m.contains("Bỏ qua trường không có trong định dạng"), "{m}");
    assert!(m.contains("`ghi_chu`"), "{m}");
    assert_vietnamese(&m);
    let v1 = include_str!("vectors/exchange/v1-cu.json");
    let mut v: Value = serde_json::from_str(v1).unwrap();
    v["assessments"][1]["ghi_chu"] = "x".into();
    let file = import_file(
        serde_json::to_string_pretty(&v).unwrap().as_bytes(),
        &CriteriaRegistry::builtin(),
    )
    .unwrap();
    let m = file.rejected().next().unwrap().to_string();
    assert!(
        m.contains("trường không có trong định dạng: `ghi_chu` trong bản đánh giá thứ 2"),
        "{m}"
    );
    assert!(
        m.contains("các trường được phép: \"sha256\", \"revision\", \"assessment\", \"score\""),
        "{m}"
    );
    assert_vietnamese(&m);

    let text = exported().replacen(
        "\"year\": 2025,",
        "\"year\": 2025,\n      \"year\": 2026,",
        1,
    );
    let (m, at) = refusal(&text);
    assert!(
        m.contains("trường bị lặp: `year` («năm đánh giá») trong «nội dung bản đánh giá» (`assessment`) của bản đánh giá thứ 1"),
        "{m}"
    );
    assert!(text
        .lines()
        .nth(at.line - 1)
        .unwrap()
        .contains("\"year\": 2026"));
    assert_vietnamese(&m);
}

#[test]
fn syntax_errors_say_where_in_the_domain_s_words() {
    let file = exported();
    let year_line = file.lines().position(|l| l.contains("\"year\"")).unwrap() + 1;
    let cases: Vec<(String, &str)> = vec![
        (
            file.replacen("\"year\": 2025", "\"year\": -x", 1),
            "số không hợp lệ (ở «năm đánh giá» (`year`) của bản đánh giá thứ 1)",
        ),
        (
            file.replacen("\"Phường Hoàn Kiếm\"", "\"Phường \\u12\"", 1),
            "chuỗi có ký tự thoát (\\) không hợp lệ (sau «tên đơn vị» (`name`) của bản đánh giá thứ 1)",
        ),
        (
            file.replacen("\"Phường Hoàn Kiếm\"", "\"Phường \\q\"", 1),
            "chuỗi có ký tự thoát (\\) không hợp lệ (ở «tên đơn vị» (`name`) của bản đánh giá thứ 1)",
        ),
        (
            file.replacen("\"Phường Hoàn Kiếm\"", "\"Phường \\ud800 x\"", 1),
            "mã \\u không hợp lệ (cần \\u và đủ 4 chữ số thập lục phân) (ở «tên đơn vị» (`name`)",
        ),
        (
            file.replacen("\"Phường Hoàn Kiếm\"", "\"Phường \\udc00\"", 1),
            "mã Unicode \\u không hợp lệ (cặp mã \\uD800–\\uDFFF không đủ đôi) (ở «tên đơn vị»",
        ),
        (
            file.replacen("\"Phường Hoàn Kiếm\"", "\"Phường\tHoàn\"", 1),
            "chuỗi chứa ký tự điều khiển",
        ),
        (
            file.replacen("\"year\": 2025", "\"year\": 1e999", 1),
            "số quá lớn (ở «năm đánh giá» (`year`) của bản đánh giá thứ 1)",
        ),
        (
            file.replacen("\"year\": 2025", "\"year\": tru", 1),
            "từ khóa không hợp lệ (chỉ có true, false, null) (ở «năm đánh giá» (`year`)",
        ),
        (
            file.replacen("\"year\": 2025", "\"year\": ", 1),
            "cần một giá trị JSON (số, chuỗi, đối tượng…) (ở «năm đánh giá» (`year`)",
        ),
        (
            file.replacen("\"year\": 2025,", "\"year\": 2025", 1),
            "thiếu dấu `,` hoặc `}` (sau «năm đánh giá» (`year`) của bản đánh giá thứ 1)",
        ),
        (
            file.replacen("\"year\": 2025", "\"year\" 2025", 1),
            "thiếu dấu `:`",
        ),
        (
            file.replacen("\"year\": 2025,", "\"year\": 2025,}", 1),
            "dấu phẩy thừa",
        ),
        (
            file.replacen("\"year\": 2025", "year: 2025", 1),
            "tên trường phải là chuỗi trong ngoặc kép",
        ),
        (format!("{file}x"), "có ký tự thừa sau phần JSON"),
        (
            file[..file.find("\"Phường Hoàn").unwrap() + 5].to_string(),
            "tệp kết thúc giữa chừng (bị cắt ngang?) khi đang đọc một chuỗi (ở «tên đơn vị» (`name`) của bản đánh giá thứ 1)",
        ),
        (
            file[..file.find("\"assessments\": [").unwrap() + 16].to_string(),
            "khi đang đọc một danh sách [ … ]",
        ),
        (
            file[..file.find("\"year\": 2025").unwrap() + 12].to_string(),
            "khi đang đọc một đối tượng { … } (sau «năm đánh giá» (`year`) của bản đánh giá thứ 1)",
        ),
        (
            file[..file.find("\"year\":").unwrap() + 7].to_string(),
            "khi đang đọc một giá trị (ở «năm đánh giá» (`year`)",
        ),
        (
            format!("{}{}", "[".repeat(200), "]".repeat(200)),
            "dữ liệu lồng nhau quá sâu",
        ),
        (
            "{\"format\": [1, 2 3]}".to_string(),
            "thiếu dấu `,` hoặc `]` (sau phần tử thứ 2 của «định dạng» (`format`))",
        ),
    ];
    for (text, expected) in cases {
        let (message, at) = refusal(&text);
        assert!(
            message.contains(expected),
            "{message}\nexpected: {expected}"
        );
        assert!(
            message.contains(&format!("(dòng {}, cột ", at.line)),
            "{message}"
        );
        if expected.contains("năm đánh giá") && !expected.contains("sau") {
            assert_eq!(at.line, year_line, "{message}");
        }
        assert_vietnamese(&message);
    }
}

#[test]
fn a_stored_copy_names_its_fields_too() {
    let stored = StoredAssessment::new(full_marks(&test_set(), "t850", 500.0), 10.0);
    let mut v: Value = serde_json::from_str(&encode_stored(&stored)).unwrap();
    v["revision"] = Value::from("một");
    let raw = serde_json::to_string_pretty(&v).unwrap();
    let m = decode_stored(&raw).unwrap_err().to_string();
    assert!(
        m.contains(
            "«số lần lưu» (`revision`) phải là một số nguyên không âm, nhưng có chuỗi \"một\""
        ),
        "{m}"
    );
    assert!(m.contains("(dòng "), "{m}");
    assert_vietnamese(&m);
    v["revision"] = 1.into();
    v["assessment"]["answers"]["b.2"]["count"] = Value::from(vec![4]);
    let m = decode_stored(&serde_json::to_string(&v).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("«số lượng» (`count`) của mục b.2 phải là một số, nhưng có một danh sách [ … ]"),
        "{m}"
    );
    assert_vietnamese(&m);
}

#[test]
fn the_way_to_a_value_is_found_in_any_prefix() {
    let place = |s: &str| locate(s, false);
    assert_eq!(
        place("{\"a\": [1, {\"b\": \"x"),
        Place {
            path: vec![
                Segment::Key("a".into()),
                Segment::Index(1),
                Segment::Key("b".into())
            ],
            after_value: false,
        }
    );
    assert_eq!(
        place("{\"a\": [1, 2"),
        Place {
            path: vec![Segment::Key("a".into()), Segment::Index(1)],
            after_value: false,
        }
    );
    assert_eq!(
        place("{\"a\": [1, 2]"),
        Place {
            path: vec![Segment::Key("a".into())],
            after_value: true,
        }
    );
    assert_eq!(
        place("{\"k\\\"ey\": 1").path,
        vec![Segment::Key("k\"ey".into())]
    );
    assert_eq!(place("").path, vec![]);
    assert!(!place("{\"a\": 12").after_value);
    assert!(locate("{\"a\": 12", true).after_value);
    // Junk never panics.
    for junk in [
        "}}]]", ",,::", "\"", "\\", "{\"a", "[[[", "{\"a\":}", "é\"ổ",
    ] {
        let _ = place(junk);
    }
    assert_eq!(describe_path(&[]), None);
    assert_eq!(
        describe_path(&[
            Segment::Key("unit_categories".into()),
            Segment::Index(2),
            Segment::Key("min_total".into())
        ])
        .unwrap(),
        "«ngưỡng điểm» (`min_total`) của loại đơn vị thứ 3"
    );
}

#[test]
fn other_documents_the_app_reads_fail_in_vietnamese_too() {
    use xa_phu_hop_tre_em::domain::divisions::Divisions;
    // The commune list, fetched on demand: a download cut short.
    let m = Divisions::parse("{\"source\": \"x\", \"provinces\": [").unwrap_err();
    assert!(m.starts_with("(dòng 1, cột "), "{m}");
    assert!(m.contains("khi đang đọc một danh sách"), "{m}");
    assert_vietnamese(&m);
    // A criteria set kept in this browser, damaged.
    let mut registry = CriteriaRegistry::default();
    let e = registry
        .restore("{\"format\": \"một\"}")
        .unwrap_err()
        .to_string();
    assert!(e.contains("«định dạng» (`format`)"), "{e}");
    assert_vietnamese(&e);
}

#[test]
fn a_criteria_set_names_its_fields_too() {
    use xa_phu_hop_tre_em::domain::criteria_validate::parse_criteria_set;
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/criteria/qd-06-2019.json"
    ))
    .unwrap();
    let broken = json.replacen("\"min_total\": 900", "\"min_total\": \"900\"", 1);
    assert_ne!(broken, json);
    let m = parse_criteria_set(&broken).unwrap_err().to_string();
    assert!(
        m.contains("«ngưỡng điểm» (`min_total`) của loại đơn vị thứ 1 phải là một số nguyên"),
        "{m}"
    );
    assert!(m.starts_with("Dòng "), "{m}");
    assert_vietnamese(&m);
}
