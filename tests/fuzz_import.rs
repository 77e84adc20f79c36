//! Import must never panic, whatever the file: it comes from other people, by Zalo, e-mail or
//! USB stick. Every refusal (of the file, or of one record) must carry a Vietnamese message.
//! 10,000 cases in all over version 2 files, a province's consolidated file and the version 1
//! file the version 1 writer wrote, and 1,000 more on each checksum.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use common::{full_marks, test_set};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use serde_json::Value;
use sha2::{Digest, Sha256};
use xa_phu_hop_tre_em::domain::assessment::{Answer, Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::builtin_sets;
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::v1::{
    record_checksum_v1, AnswerV1, AssessmentV1, AssessorV1, CommuneRefV1, CriteriaSetRefV1,
    CriterionSummary, ExchangeRecord, ScoreSummary,
};
use xa_phu_hop_tre_em::domain::exchange::{
    consolidated_file, export_file, import_file, jcs, Consolidated, ExportEntry, ImportError,
    ImportedAssessment, ImportedFile, Opening, Person, VerdictCode,
};
use xa_phu_hop_tre_em::domain::scoring::score;
use xa_phu_hop_tre_em::domain::storage_format::JsonErrorAt;

const HOSTILE: [&str; 10] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</svg><svg onload=alert(1)>",
    "javascript:alert(1)",
    "=HYPERLINK(\"http://x\")",
    "'; DROP TABLE xa; --",
    "\u{202e}\u{0}\u{1b}[31m\r\n\t",
    "𝕏ã 🙂 Phú Mỹ\u{0301}",
    "{{7*7}} ${7*7} %s %n",
    "\\u0000 \\\" \\\\",
];

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Keep failures in the output, not as files in the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

fn sets() -> &'static CriteriaRegistry {
    static SETS: OnceLock<CriteriaRegistry> = OnceLock::new();
    SETS.get_or_init(|| CriteriaRegistry::from_sets([test_set()].into_iter().chain(builtin_sets())))
}

fn assessment(code: &str, name: &str, province: (&str, &str)) -> Assessment {
    let mut a = full_marks(&test_set(), "t850", 500.0);
    a.commune = CommuneRef {
        code: code.into(),
        name: name.into(),
        province_code: province.0.into(),
        province_name: province.1.into(),
    };
    a.answers.get_mut("a.1").unwrap().explanation = "Có quyết định phân công".into();
    a.updated_at = 1_750_000_000_000.0;
    a
}

fn export(assessments: &[Assessment]) -> String {
    let set = test_set();
    let scores: Vec<_> = assessments.iter().map(|a| score(&set, a)).collect();
    let entries: Vec<ExportEntry> = assessments
        .iter()
        .zip(&scores)
        .enumerate()
        .map(|(i, (a, s))| ExportEntry {
            assessment: a,
            revision: 2,
            score: Some(s),
            backup: i == 2,
            history: &[],
        })
        .collect();
    export_file(&entries, 1_763_860_740_000.0)
}

/// Valid files to mutate: one assessment, three (one a backup), a compact rewrite, a province's
/// consolidated file, and the file the version 1 writer wrote.
const BASES: usize = 5;

fn bases() -> &'static [String] {
    static BASES: OnceLock<Vec<String>> = OnceLock::new();
    BASES.get_or_init(|| {
        let one = export(&[assessment("00070", "Phường Hoàn Kiếm", ("01", "Hà Nội"))]);
        let three = export(&[
            assessment("00070", "Phường Hoàn Kiếm", ("01", "Hà Nội")),
            assessment("32248", "Xã Đất Mũi", ("96", "Cà Mau")),
            assessment("00070", "Phường Hoàn Kiếm", ("01", "Hà Nội")),
        ]);
        let compact =
            serde_json::to_string(&serde_json::from_str::<Value>(&three).unwrap()).unwrap();
        let loaded = import_file(three.as_bytes(), sets()).unwrap();
        let originals: Vec<_> = loaded.accepted().map(|i| &i.original).collect();
        let consolidated = consolidated_file(
            Consolidated {
                province_code: "01".into(),
                province_name: "Thành phố Hà Nội".into(),
                made_by: Person {
                    name: "Lê Văn Tâm".into(),
                    position: "Chuyên viên".into(),
                    organization: String::new(),
                },
            },
            &originals,
            1_764_000_000_000.0,
        );
        let v1 = include_str!("vectors/exchange/v1-cu.json").to_string();
        let bases = vec![one, three, compact, consolidated, v1];
        for b in &bases {
            let file = import_file(b.as_bytes(), sets()).unwrap();
            assert!(file.rejected().next().is_none());
        }
        bases
    })
}

/// No panic (the call returning is the proof), and a refusal explains itself in Vietnamese.
/// A syntax error is reported exactly when, and where, parsing the text into a
/// `serde_json::Value` fails, although the importer does not build one.
fn check(bytes: &[u8]) -> Result<Vec<ImportedAssessment>, String> {
    let result = import_file(bytes, sets());
    // Opened in steps of any size, the file gives the same outcome.
    for budget in [1, 7, 4096] {
        assert_eq!(
            import_in_steps(bytes, budget),
            result,
            "steps of {budget} bytes"
        );
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let syntax = match &result {
            Err(ImportError::Syntax(at)) => Some(at.clone()),
            _ => None,
        };
        let expected = match serde_json::from_str::<Value>(text) {
            Err(e) if !text.trim().is_empty() => Some(JsonErrorAt::new(&e, text)),
            _ => None,
        };
        assert_eq!(syntax, expected, "{text}");
    }
    match result {
        Ok(file) => {
            let accepted: Vec<&ImportedAssessment> = file.accepted().collect();
            let warnings = accepted.iter().flat_map(|i| &i.warnings);
            for w in warnings.chain(&file.header.warnings) {
                assert!(is_vietnamese(&w.to_string()), "{w:?}");
            }
            for r in file.rejected() {
                assert!(is_vietnamese(&r.to_string()), "{r:?}");
                assert!(r.to_string().starts_with("Bản đánh giá thứ "), "{r}");
            }
            // What is accepted can be passed on: its checksum verifies.
            for i in &accepted {
                let computed = jcs::digest(i.original.canonical.as_bytes());
                assert!(i.original.sha256.eq_ignore_ascii_case(&computed));
            }
            if accepted.is_empty() {
                return Err("no record accepted".into());
            }
            Ok(accepted.into_iter().cloned().collect())
        }
        Err(e) => {
            let message = e.to_string();
            assert!(is_vietnamese(&message), "{e:?} → {message:?}");
            Err(message)
        }
    }
}

/// [`import_file`] through [`Opening`], `budget` bytes a step, as the app reads large files.
fn import_in_steps(bytes: &[u8], budget: usize) -> Result<ImportedFile, ImportError> {
    let mut opening = Opening::new(bytes);
    let mut opened = loop {
        if let Some(result) = opening.step(budget) {
            break result?;
        }
    };
    let mut records = Vec::new();
    while let Some(record) = opened.check_next(sets())? {
        records.push(record);
    }
    Ok(ImportedFile {
        header: opened.into_header(),
        records,
    })
}

fn is_vietnamese(message: &str) -> bool {
    const MARKS: &str = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ";
    message.trim().chars().count() > 10 && message.chars().any(|c| MARKS.contains(c))
}

/// Fields worth breaking; the last segment may also be a new key.
const PATHS: [&str; 51] = [
    "",
    "/format",
    "/format_version",
    "/kind",
    "/app_version",
    "/exported_at",
    "/consolidated",
    "/consolidated/province_code",
    "/consolidated/made_by",
    "/consolidated/made_by/name",
    "/assessments",
    "/assessments/0",
    "/assessments/1",
    "/assessments/2/backup",
    "/assessments/0/sha256",
    "/assessments/0/revision",
    "/assessments/0/backup",
    "/assessments/0/history",
    "/assessments/0/converted_from",
    "/assessments/0/score",
    "/assessments/0/score/total",
    "/assessments/0/score/verdict",
    "/assessments/0/score/criteria",
    "/assessments/0/assessment",
    "/assessments/0/assessment/id",
    "/assessments/0/assessment/criteria_set",
    "/assessments/0/assessment/criteria_set/id",
    "/assessments/0/assessment/criteria_set/version",
    "/assessments/0/assessment/commune",
    "/assessments/0/assessment/commune/code",
    "/assessments/0/assessment/commune/name",
    "/assessments/0/assessment/commune/province_code",
    "/assessments/0/assessment/commune/province_name",
    "/assessments/0/assessment/unit_category",
    "/assessments/0/assessment/year",
    "/assessments/0/assessment/assessor/name",
    "/assessments/0/assessment/answers",
    "/assessments/0/assessment/answers/a.1",
    "/assessments/0/assessment/answers/a.1/yes",
    "/assessments/0/assessment/answers/a.1/explanation",
    "/assessments/0/assessment/answers/a.2/numerator",
    "/assessments/0/assessment/answers/a.2/denominator",
    "/assessments/0/assessment/answers/b.2/count",
    "/assessments/0/assessment/answers/e.1/manual_points",
    "/assessments/0/assessment/answers/z.9",
    "/assessments/0/assessment/recorded_max/D",
    "/assessments/0/assessment/recorded_max/Z",
    "/assessments/0/assessment/created_at",
    "/assessments/0/assessment/updated_at",
    "/assessments/1/assessment/commune/code",
    "/assessments/1/assessment/year",
];

/// Replaces (or adds) the value at `path`; a path whose parent is gone is left alone.
fn set(root: &mut Value, path: &str, new: Value) {
    if path.is_empty() {
        *root = new;
        return;
    }
    let (parent, key) = path.rsplit_once('/').unwrap();
    match root.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(key.to_string(), new);
        }
        Some(Value::Array(items)) => {
            if let Some(slot) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = new;
            }
        }
        _ => {}
    }
}

/// Gives every record a correct checksum (version 2: any object; version 1: one that still has
/// the right shape), so that the checks behind the checksum get exercised too.
fn fix_checksums(root: &mut Value) {
    let v1 = root.get("format_version") == Some(&Value::from(1));
    if let Some(Value::Array(records)) = root.get_mut("assessments") {
        for record in records {
            if v1 {
                if let Ok(typed) = serde_json::from_value::<ExchangeRecord>(record.clone()) {
                    record["sha256"] = record_checksum_v1(&typed).into();
                }
            } else if let Value::Object(members) = record {
                members.remove("sha256");
                let sha256 = jcs::digest(&jcs::canonical(record));
                record["sha256"] = sha256.into();
            }
        }
    }
}

/// Mostly ASCII and JSON punctuation, so that flips get past the UTF-8 check and into the
/// parser, the structure and the checksum.
fn flip_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        1 => any::<u8>(),
        3 => 0x20u8..0x7f,
        2 => prop::sample::select(b"{}[]\",:0123456789-.eE \\ntf".to_vec()),
    ]
}

/// A replacement of the same kind as the value it replaces (a number for a number …), to
/// reach the checks behind the typed parse.
#[derive(Debug, Clone)]
struct SameKind {
    number: f64,
    text: String,
    flag: bool,
}

fn same_kind() -> impl Strategy<Value = SameKind> {
    let number = prop_oneof![
        prop::sample::select(vec![
            -1.0, -0.0, 0.0, 0.5, 1.0, 20.0, 2018.0, 2019.0, 2100.0, 2101.0, 65_535.0, 65_536.0,
            1e9, 1.5e9, 1e300,
        ]),
        any::<f64>(),
        (0u32..3000).prop_map(f64::from),
    ];
    (number, hostile_string(), any::<bool>()).prop_map(|(number, text, flag)| SameKind {
        number,
        text,
        flag,
    })
}

impl SameKind {
    fn replacing(self, current: Option<&Value>) -> Option<Value> {
        Some(match current? {
            Value::Number(_) => self.number.into(),
            Value::String(_) => self.text.into(),
            Value::Bool(_) => self.flag.into(),
            _ => return None,
        })
    }
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(HOSTILE.to_vec()).prop_map(String::from),
        "\\PC{0,40}",
        ".{0,20}",
        (prop::sample::select(HOSTILE.to_vec()), "\\PC{0,10}").prop_map(|(h, s)| format!("{s}{h}")),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            -1.0, 0.0, 0.5, 1.0, 2018.0, 2019.0, 2025.0, 2101.0, 65_536.0, 1e9, 1e10, 1e308,
        ])
        .prop_map(Value::from),
        hostile_string().prop_map(Value::from),
        prop::sample::select(vec![
            "00070",
            "01",
            "96",
            "t850",
            "thu-nghiem",
            "1.0.0",
            "xa-phu-hop-tre-em/tu-danh-gia",
            "2025-11-23T01:19:00.000Z",
            "2025-11-23T08:19:00+07:00",
            "tu-danh-gia",
            "qd-06-2019",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    prop::sample::select(vec![
                        "yes",
                        "numerator",
                        "count",
                        "code",
                        "year",
                        "name",
                        "sha256",
                        "assessment",
                        "province_code",
                        "made_by",
                        "history",
                    ])
                    .prop_map(String::from),
                    "\\PC{0,8}",
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn byte_flips(
        base in 0..BASES,
        flips in prop::collection::vec((any::<Index>(), flip_byte()), 1..8),
    ) {
        let mut bytes = bases()[base].clone().into_bytes();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = check(&bytes);
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn truncation(base in 0..BASES, class in 0..4u8, at in any::<Index>()) {
        let text = &bases()[base];
        let len = text.len();
        let cut = match class {
            0 => at.index(16),
            1 => len - 1 - at.index(16),
            2 => at.index(len),
            // Inside a multi-byte Vietnamese letter, which must not panic in slicing.
            _ => {
                let from = at.index(len);
                (from..len).find(|&i| !text.is_char_boundary(i)).unwrap_or(from)
            }
        };
        let result = check(&text.as_bytes()[..cut]);
        // Only dropping the final line break leaves a valid file.
        prop_assert!(result.is_err() || cut + 1 == len, "cut at {} of {}", cut, len);
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn random_values_in_fields(
        base in 0..BASES,
        edits in prop::collection::vec(
            (prop::sample::select(PATHS.to_vec()), json_value(), same_kind(), prop::bool::weighted(0.8)),
            1..4,
        ),
        fix in any::<bool>(),
    ) {
        let mut root: Value = serde_json::from_str(&bases()[base]).unwrap();
        for (path, value, similar, keep_kind) in edits {
            let value = match keep_kind {
                true => similar.replacing(root.pointer(path)).unwrap_or(value),
                false => value,
            };
            set(&mut root, path, value);
        }
        if fix {
            fix_checksums(&mut root);
        }
        let text = if base == 2 {
            serde_json::to_string(&root).unwrap()
        } else {
            serde_json::to_string_pretty(&root).unwrap()
        };
        let _ = check(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn hostile_strings_round_trip(
        name in hostile_string(),
        province_name in hostile_string(),
        assessor in hostile_string(),
        note in hostile_string(),
        id in hostile_string(),
    ) {
        let mut a = assessment("00070", &name, ("01", &province_name));
        a.id = id;
        a.assessor.name = assessor;
        a.answers.get_mut("a.2").unwrap().explanation = note.clone();
        a.answers.get_mut("a.2").unwrap().source = note;
        let imported = check(export(std::slice::from_ref(&a)).as_bytes());
        prop_assert!(imported.is_ok(), "{:?}", imported.err());
        prop_assert_eq!(&imported.unwrap()[0].assessment, &a);
    }
}

/// Version 1's checksum as version 1 documented it, written the plain way: the record as a
/// `serde_json::Value` without `sha256`, keys sorted by bytes, serde_json's text for scalars.
/// The importer writes the same bytes straight into the hasher.
fn documented_checksum(record: &ExchangeRecord) -> String {
    fn canonical(value: &Value, out: &mut String) {
        match value {
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical(item, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut members: Vec<_> = map.iter().collect();
                members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                out.push('{');
                for (i, (key, item)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::from(key.as_str()).to_string());
                    out.push(':');
                    canonical(item, out);
                }
                out.push('}');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut value = serde_json::to_value(record).unwrap();
    value.as_object_mut().unwrap().remove("sha256");
    let mut text = String::new();
    canonical(&value, &mut text);
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Floats where printing could go wrong: integral, tiny, huge, negative zero, non-finite.
fn awkward_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            0.0,
            -0.0,
            5.0,
            0.1,
            1e-7,
            1e15,
            1e16,
            1e21,
            123_456_789.125,
            5e-324,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
        ]),
        any::<f64>(),
    ]
}

fn awkward_answer() -> impl Strategy<Value = AnswerV1> {
    (
        prop::option::of(any::<bool>()),
        prop::array::uniform4(prop::option::of(awkward_float())),
        hostile_string(),
        hostile_string(),
        any::<bool>(),
    )
        .prop_map(
            |(
                yes,
                [numerator, denominator, count, manual_points],
                source,
                explanation,
                checked,
            )| {
                AnswerV1 {
                    yes,
                    numerator,
                    denominator,
                    count,
                    manual_points,
                    source,
                    explanation,
                    checked,
                }
            },
        )
}

fn awkward_score() -> impl Strategy<Value = Option<ScoreSummary>> {
    let criterion = (
        hostile_string(),
        any::<u32>(),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(id, points, max)| CriterionSummary { id, points, max });
    prop::option::of(
        (
            any::<u32>(),
            prop::option::of(any::<u32>()),
            prop::sample::select(vec![
                VerdictCode::Pass,
                VerdictCode::Fail,
                VerdictCode::Incomplete,
            ]),
            hostile_string(),
            any::<usize>(),
            prop::collection::vec(criterion, 0..3),
        )
            .prop_map(
                |(total, threshold, verdict, verdict_label, answered, criteria)| ScoreSummary {
                    total,
                    threshold,
                    verdict,
                    verdict_label,
                    answered,
                    item_count: answered / 2,
                    criteria,
                },
            ),
    )
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn checksum_is_the_documented_one(
        strings in prop::array::uniform8(hostile_string()),
        answers in prop::collection::btree_map(hostile_string(), awkward_answer(), 0..4),
        recorded_max in prop::collection::btree_map(hostile_string(), any::<u32>(), 0..3),
        (year, revision) in (any::<u16>(), any::<u64>()),
        (created_at, updated_at) in (awkward_float(), awkward_float()),
        score in awkward_score(),
    ) {
        let [id, set_id, version, code, name, province, unit, assessor] = strings;
        let a = AssessmentV1 {
            id,
            criteria_set: CriteriaSetRefV1 { id: set_id, version },
            commune: CommuneRefV1 {
                code,
                name,
                province_code: "01".into(),
                province_name: province,
            },
            unit_category: unit,
            year,
            assessor: AssessorV1 { name: String::new(), position: assessor },
            answers,
            recorded_max,
            created_at,
            updated_at,
        };
        let record = ExchangeRecord {
            sha256: "ignored".into(),
            revision,
            assessment: a,
            score,
        };
        prop_assert_eq!(record_checksum_v1(&record), documented_checksum(&record));
    }
}

/// `value` written as another tool might: members in reverse order, numbers spelt otherwise
/// (`57` as `57.0` or `5.7E1`), different whitespace. The same JSON data.
fn respelt(value: &Value, style: u8, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ,\n");
                }
                respelt(item, style, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\t");
            for (i, (name, item)) in map.iter().rev().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(name.as_str()).to_string());
                out.push_str(" : ");
                respelt(item, style, out);
            }
            out.push_str("\r\n}");
        }
        Value::Number(n) => {
            let x = n.as_f64().unwrap();
            match style % 3 {
                0 if x.fract() == 0.0 && x.abs() < 1e15 => out.push_str(&format!("{x:.1}")),
                1 => out.push_str(&format!("{x:E}")),
                _ => out.push_str(&n.to_string()),
            }
        }
        Value::String(text) => {
            // \u escapes for every non-ASCII character.
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            out.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Version 2's checksum is over the data, not the text: written otherwise, a record keeps
    /// it; and the importer passes on the same canonical form.
    #[test]
    fn version_2_checksums_survive_any_spelling_of_the_same_data(
        strings in prop::array::uniform3(hostile_string()),
        answers in prop::collection::btree_map(
            prop::sample::select(vec!["a.1", "a.2", "b.1", "b.2", "e.1"]),
            (prop::option::of(0u32..2000), prop::option::of(0.0f64..1e6), any::<bool>()),
            0..5,
        ),
        style in 0..3u8,
    ) {
        let [name, assessor, note] = strings;
        let mut a = assessment("00070", &name, ("01", "Hà Nội"));
        a.assessor.name = assessor;
        for (item, (count, share, checked)) in answers {
            a.answers.insert(item.to_string(), Answer {
                numerator: count.map(f64::from),
                denominator: share,
                explanation: note.clone(),
                checked,
                ..Answer::default()
            });
        }
        let text = export(std::slice::from_ref(&a));
        let original = check(text.as_bytes()).map_err(TestCaseError::fail)?.remove(0);
        let mut other = String::new();
        respelt(&serde_json::from_str::<Value>(&text).unwrap(), style, &mut other);
        let again = check(other.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{other}")))?;
        prop_assert_eq!(&again[0].original, &original.original);
        prop_assert_eq!(&again[0].assessment, &a);
    }
}

/// Found by `byte_flips`: in the last record of a province's file, an item id changed into one
/// already there (a name twice) before a `:` changed into `#` (a syntax error). Opened in steps,
/// the record was refused for the name; read whole, the file is not JSON — and so it must be
/// both ways.
#[test]
fn a_name_twice_then_a_syntax_error_in_one_record_refuses_the_file() {
    let mut text = bases()[3].clone();
    let twice = text.rfind("\"b.1\":").expect("an item b.1");
    let colon = text.rfind("\"max\":50").expect("a criterion's max") + "\"max\"".len();
    assert!(twice < colon, "both in the last record, the name first");
    text.replace_range(twice + 1..twice + 2, "a");
    text.replace_range(colon..colon + 1, "#");
    assert!(matches!(
        import_file(text.as_bytes(), sets()),
        Err(ImportError::Syntax(_))
    ));
    assert!(check(text.as_bytes()).is_err());
}

/// Opened in steps, a file's records are cut out of its bytes and each record's UTF-8 is
/// checked only when the record is: a byte that is not UTF-8 anywhere — in the header, in any
/// record, between two records, after them, with a byte-order mark or without — is still
/// refused exactly as opening the whole file refuses it, at the same byte.
#[test]
fn a_byte_that_is_not_utf8_is_found_in_steps_where_the_whole_file_finds_it() {
    for base in bases() {
        for bom in [&b""[..], "\u{feff}".as_bytes()] {
            let mut file = bom.to_vec();
            file.extend_from_slice(base.as_bytes());
            let quotes: Vec<usize> = (0..file.len()).filter(|&i| file[i] == b'"').collect();
            let commas: Vec<usize> = (0..file.len()).filter(|&i| file[i] == b',').collect();
            let mut places = vec![
                quotes[0],
                quotes[quotes.len() / 2],
                quotes[quotes.len() - 1],
            ];
            places.extend([commas[commas.len() / 3], file.len() - 1]);
            for at in places {
                for bad in [0xff, 0xc3] {
                    let mut bytes = file.clone();
                    bytes[at] = bad;
                    let whole = import_file(&bytes, sets());
                    assert_eq!(
                        whole.as_ref().err(),
                        Some(&ImportError::NotUtf8 { valid_up_to: at }),
                        "byte {at} of a file of {}",
                        bytes.len()
                    );
                    for budget in [1, 7, 4096, usize::MAX / 2] {
                        assert_eq!(import_in_steps(&bytes, budget), whole, "steps of {budget}");
                    }
                }
            }
        }
    }
}
