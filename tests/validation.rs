//! One rule for what may be stored, typed, exported and imported: whatever the rule lets the
//! inputs store, the app's own import reads back, and whatever it refuses, the import refuses
//! with the same reason.
// Native only: proptest does not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use common::{full_marks, test_set};
use proptest::prelude::*;
use proptest::test_runner::Config;
use xa_phu_hop_tre_em::domain::assessment::{Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{export_file, import_file, EntryError, ExportEntry};
use xa_phu_hop_tre_em::domain::numbers::parse_number;
use xa_phu_hop_tre_em::domain::validation::{
    check_assessment, check_number, next_year, parse_points, parse_year, problems, Invalid,
    NumberField, NumberProblem, TextField, YearProblem, MAX_POINTS, MAX_VALUE, YEAR_MAX, YEAR_MIN,
};

fn registry() -> &'static CriteriaRegistry {
    static REGISTRY: OnceLock<CriteriaRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| CriteriaRegistry::from_sets([test_set()]))
}

fn base() -> Assessment {
    let mut a = full_marks(&test_set(), "t850", 500.0);
    a.id = "a-1".into();
    a.commune = CommuneRef {
        code: "00070".into(),
        name: "Phường Hoàn Kiếm".into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
    };
    a.created_at = 1_750_000_000_000.0;
    a.updated_at = 1_750_000_000_000.0;
    a
}

/// Export then import, as a user moving a file between two machines does: the one record read
/// back, or why it was refused.
fn round_trip(a: &Assessment) -> Result<Assessment, EntryError> {
    let entry = ExportEntry {
        assessment: a,
        revision: 1,
        score: None,
        backup: false,
        history: &[],
    };
    let text = export_file(&[entry], 1_763_860_740_000.0);
    let mut file = import_file(text.as_bytes(), registry()).expect("the file itself is read");
    file.records
        .remove(0)
        .map(|one| one.assessment)
        .map_err(|refused| refused.error)
}

fn refused_for(a: &Assessment) -> Invalid {
    match round_trip(a) {
        Err(EntryError::Invalid(invalid)) => invalid,
        other => panic!("expected a refusal by the rule, got {other:?}"),
    }
}

#[test]
fn everything_at_the_limits_is_read_back() {
    let mut a = base();
    a.year = YEAR_MAX;
    a.id = "x".repeat(TextField::Id.max_chars());
    a.commune.name = "Đ".repeat(TextField::CommuneName.max_chars());
    a.assessor.name = "Ắ".repeat(TextField::AssessorName.max_chars());
    a.assessor.position = "ệ".repeat(TextField::AssessorPosition.max_chars());
    let answer = a.answers.get_mut("b.2").unwrap();
    answer.count = Some(MAX_VALUE);
    answer.source = "ồ".repeat(TextField::Source.max_chars());
    answer.explanation = "ữ\n".repeat(TextField::Explanation.max_chars() / 2);
    let ratio = a.answers.get_mut("a.2").unwrap();
    ratio.numerator = Some(MAX_VALUE);
    ratio.denominator = Some(MAX_VALUE);
    a.answers.get_mut("e.1").unwrap().manual_points = Some(f64::from(MAX_POINTS));
    a.recorded_max.insert("D".into(), MAX_POINTS);
    assert_eq!(check_assessment(&a), Ok(()));
    assert_eq!(round_trip(&a).unwrap(), a);
    a.year = YEAR_MIN;
    assert_eq!(round_trip(&a).unwrap(), a);
}

/// One way to break an assessment.
type Change = Box<dyn Fn(&mut Assessment)>;

#[test]
fn one_past_each_limit_is_refused_with_the_rule_s_reason() {
    let cases: Vec<(&str, Change)> = vec![
        ("year 2101", Box::new(|a| a.year = YEAR_MAX + 1)),
        ("year 2018", Box::new(|a| a.year = YEAR_MIN - 1)),
        (
            "negative count",
            Box::new(|a| a.answers.get_mut("b.2").unwrap().count = Some(-1.0)),
        ),
        (
            "count 5,000,000,000",
            Box::new(|a| a.answers.get_mut("b.2").unwrap().count = Some(5e9)),
        ),
        (
            "denominator just past the limit",
            Box::new(|a| a.answers.get_mut("a.2").unwrap().denominator = Some(MAX_VALUE + 1.0)),
        ),
        (
            "manual points past the limit",
            Box::new(|a| {
                a.answers.get_mut("d.1").unwrap().manual_points = Some(f64::from(MAX_POINTS) + 1.0)
            }),
        ),
        (
            "recorded maximum past the limit",
            Box::new(|a| {
                a.recorded_max.insert("D".into(), MAX_POINTS + 1);
            }),
        ),
        (
            "explanation too long",
            Box::new(|a| {
                a.answers.get_mut("a.1").unwrap().explanation =
                    "a".repeat(TextField::Explanation.max_chars() + 1)
            }),
        ),
        (
            "assessor name too long",
            Box::new(|a| a.assessor.name = "n".repeat(TextField::AssessorName.max_chars() + 1)),
        ),
        (
            "id too long",
            Box::new(|a| a.id = "i".repeat(TextField::Id.max_chars() + 1)),
        ),
        ("negative time", Box::new(|a| a.created_at = -1.0)),
    ];
    for (what, change) in cases {
        let mut a = base();
        change(&mut a);
        let expected = check_assessment(&a).expect_err(what);
        assert_eq!(refused_for(&a), expected, "{what}");
        let message = expected.to_string();
        assert!(message.chars().count() > 20, "{what}: {message}");
    }
}

#[test]
fn messages_name_the_field_in_the_domain_s_words() {
    let mut a = base();
    a.answers.get_mut("b.2").unwrap().count = Some(5e9);
    a.answers.get_mut("a.1").unwrap().explanation =
        "a".repeat(TextField::Explanation.max_chars() + 5);
    a.year = 2101;
    let all: Vec<String> = problems(&a).iter().map(ToString::to_string).collect();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all[0].contains("Năm đánh giá 2101") && all[0].contains("từ 2019 đến 2100"));
    assert!(
        all[1].contains("Mục \"a.1\": Thuyết minh dài 1.048.581 ký tự"),
        "{}",
        all[1]
    );
    assert!(all[1].contains("giới hạn 1.048.576 ký tự"), "{}", all[1]);
    assert!(
        all[2].contains("Mục \"b.2\": số lượng = 5.000.000.000 lớn bất thường"),
        "{}",
        all[2]
    );
}

#[test]
fn the_year_after_the_last_is_not_offered() {
    // «Nhân bản cho năm sau» of a 2100 assessment would make a file the import refuses.
    assert_eq!(
        next_year(YEAR_MAX),
        Err(YearProblem::OutOfRange(YEAR_MAX + 1))
    );
    let mut a = base();
    a.year = next_year(YEAR_MAX - 1).unwrap();
    assert!(round_trip(&a).is_ok());
}

/// What a user types into a number field: the text is parsed the Vietnamese way, then the rule
/// decides whether it may be stored.
fn typed(field: NumberField, text: &str) -> Result<Option<f64>, String> {
    let value = parse_number(text).map_err(|e| e.to_string())?;
    match value {
        Some(v) => check_number(field, v)
            .map(|()| Some(v))
            .map_err(|p| p.message_vi(field)),
        None => Ok(None),
    }
}

#[test]
fn what_the_inputs_refuse() {
    assert_eq!(typed(NumberField::Count, "1.250"), Ok(Some(1250.0)));
    assert_eq!(
        typed(NumberField::Count, "1.000.000.000"),
        Ok(Some(MAX_VALUE))
    );
    for (text, phrase) in [
        ("-3", "số âm"),
        ("5.000.000.000", "tối đa 1.000.000.000"),
        ("5000000000", "tối đa 1.000.000.000"),
    ] {
        let m = typed(NumberField::Count, text).unwrap_err();
        assert!(m.contains(phrase), "{text}: {m}");
    }
    let m = typed(NumberField::ManualPoints, "20.000").unwrap_err();
    assert!(m.contains("10.000"), "{m}");
    assert_eq!(parse_year("2101"), Err(YearProblem::OutOfRange(2101)));
    assert!(parse_points("10001").is_err());
}

fn number_near_limits() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            -1.0,
            -0.0,
            0.0,
            0.5,
            1.0,
            f64::from(MAX_POINTS),
            f64::from(MAX_POINTS) + 1.0,
            MAX_VALUE,
            MAX_VALUE + 1.0,
            5e9,
            f64::MAX,
        ]),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |v| v.is_finite()),
        (0u32..100_000).prop_map(f64::from),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 1000, failure_persistence: None, ..Config::default() })]

    /// Any assessment the rule accepts is read back unchanged; any it refuses is refused by the
    /// import for the same first reason.
    #[test]
    fn the_import_agrees_with_the_rule(
        year in prop_oneof![Just(YEAR_MIN - 1), Just(YEAR_MIN), Just(YEAR_MAX), Just(YEAR_MAX + 1), any::<u16>()],
        count in number_near_limits(),
        numerator in number_near_limits(),
        points in number_near_limits(),
        recorded in prop_oneof![Just(MAX_POINTS), Just(MAX_POINTS + 1), any::<u32>()],
        name_len in prop_oneof![Just(200usize), Just(201usize), 0usize..300],
        // The limit itself (a megabyte: slow to export and import a thousand times) is checked
        // once each side, in `the_explanation_limit_is_the_same_for_input_and_import`.
        explanation_len in 0usize..100,
    ) {
        let mut a = base();
        a.year = year;
        a.answers.get_mut("b.2").unwrap().count = Some(count);
        a.answers.get_mut("a.2").unwrap().numerator = Some(numerator);
        a.answers.get_mut("d.1").unwrap().manual_points = Some(points);
        a.recorded_max.insert("D".into(), recorded);
        a.assessor.name = "ư".repeat(name_len);
        a.answers.get_mut("c.1").unwrap().explanation = "ạ".repeat(explanation_len);
        match check_assessment(&a) {
            Ok(()) => prop_assert_eq!(round_trip(&a).unwrap(), a),
            Err(expected) => prop_assert_eq!(refused_for(&a), expected),
        }
    }
}

#[test]
fn the_explanation_limit_is_the_same_for_input_and_import() {
    for len in [
        TextField::Explanation.max_chars(),
        TextField::Explanation.max_chars() + 1,
    ] {
        let mut a = base();
        a.answers.get_mut("c.1").unwrap().explanation = "ạ".repeat(len);
        match check_assessment(&a) {
            Ok(()) => assert_eq!(round_trip(&a).unwrap(), a, "{len}"),
            Err(expected) => assert_eq!(refused_for(&a), expected, "{len}"),
        }
    }
}

#[test]
fn problems_of_a_number_are_told_per_field() {
    assert_eq!(
        check_number(NumberField::Numerator, -2.0),
        Err(NumberProblem::Negative)
    );
    let m = NumberProblem::TooLarge.message_vi(NumberField::Denominator);
    assert!(m.contains("1.000.000.000"), "{m}");
}
