//! Worked examples carried by a set ("ví dụ kiểm tra"): the runner, the validator's checks on
//! examples, and the examples shipped with the built-in set.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;

use common::*;
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::criteria::{
    CriteriaSet, Example, ExampleInput, Expected, ExpectedItem, ItemOutcome, Rule,
};
use xa_phu_hop_tre_em::domain::criteria_examples::{run_examples, Subject};
use xa_phu_hop_tre_em::domain::criteria_registry::content_hash;
use xa_phu_hop_tre_em::domain::criteria_validate::{
    criteria_set_schema, parse_criteria_set, validate, Field, Place,
};
use xa_phu_hop_tre_em::domain::scoring::Verdict;

fn input(f: impl FnOnce(&mut ExampleInput)) -> ExampleInput {
    let mut i = ExampleInput::default();
    f(&mut i);
    i
}

/// a.1 yes → 40, a.2 19/20 = 95% → 60: criterion A at 100.
fn example_a() -> Example {
    Example {
        name: "Tiêu chí A đủ điểm".into(),
        source: None,
        inputs: BTreeMap::from([
            ("a.1".to_string(), input(|i| i.yes = Some(true))),
            (
                "a.2".to_string(),
                input(|i| {
                    i.numerator = Some(19.0);
                    i.denominator = Some(20.0)
                }),
            ),
        ]),
        recorded_max: BTreeMap::new(),
        expected: Expected {
            items: BTreeMap::from([
                ("a.1".to_string(), ExpectedItem::Points(40)),
                ("a.2".to_string(), ExpectedItem::Points(60)),
                (
                    "b.1".to_string(),
                    ExpectedItem::Outcome(ItemOutcome::Missing),
                ),
            ]),
            criteria: BTreeMap::from([("A".to_string(), 100)]),
            total: Some(100),
            verdicts: BTreeMap::from([("t800".to_string(), Verdict::Incomplete)]),
        },
    }
}

fn with_examples(examples: Vec<Example>) -> CriteriaSet {
    CriteriaSet {
        examples,
        ..test_set()
    }
}

#[test]
fn a_right_example_passes() {
    let set = with_examples(vec![example_a()]);
    assert_eq!(validate(&set), Ok(()));
    let runs = run_examples(&set);
    assert_eq!(runs.len(), 1);
    assert!(runs[0].passed(), "{:?}", runs[0].mismatches);
    assert_eq!(runs[0].position, 1);
    assert_eq!(runs[0].name, "Tiêu chí A đủ điểm");
}

#[test]
fn a_wrong_expectation_fails_with_the_difference() {
    let mut example = example_a();
    example
        .expected
        .items
        .insert("a.1".into(), ExpectedItem::Points(30));
    example.expected.criteria.insert("A".into(), 110);
    example.expected.total = Some(90);
    example
        .expected
        .verdicts
        .insert("t850".into(), Verdict::Pass);
    let runs = run_examples(&with_examples(vec![example]));
    let messages: Vec<String> = runs[0].mismatches.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "Mục a.1: mong đợi 30 điểm, tính được 40 điểm (chênh +10 điểm)",
            "Tiêu chí A: mong đợi 110 điểm, tính được 100 điểm (chênh −10 điểm)",
            "Tổng điểm: mong đợi 90 điểm, tính được 100 điểm (chênh +10 điểm)",
            "Kết quả với loại đơn vị «t850»: mong đợi Đạt, tính được Chưa đủ dữ liệu",
        ]
    );
    assert_eq!(runs[0].mismatches[0].subject, Subject::Item("a.1".into()));
    assert_eq!(runs[0].mismatches[0].difference, Some(10));
}

#[test]
fn a_change_to_the_rules_makes_an_example_fail() {
    let mut set = with_examples(vec![example_a()]);
    if let Rule::Rate { bands, .. } = &mut set.criteria[0].items[1].rule {
        bands[2].min = 96.0;
    }
    let runs = run_examples(&set);
    let messages: Vec<String> = runs[0].mismatches.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "Mục a.2: mong đợi 60 điểm, tính được 40 điểm (chênh −20 điểm)",
            "Tiêu chí A: mong đợi 100 điểm, tính được 80 điểm (chênh −20 điểm)",
            "Tổng điểm: mong đợi 100 điểm, tính được 80 điểm (chênh −20 điểm)",
        ]
    );
}

#[test]
fn an_outcome_against_points_is_told_in_words() {
    let mut example = example_a();
    example.expected = Expected {
        items: BTreeMap::from([
            (
                "a.1".to_string(),
                ExpectedItem::Outcome(ItemOutcome::NeedsManualPoints),
            ),
            ("b.2".to_string(), ExpectedItem::Points(20)),
        ]),
        ..Expected::default()
    };
    let runs = run_examples(&with_examples(vec![example]));
    let messages: Vec<String> = runs[0].mismatches.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "Mục a.1: mong đợi người đánh giá phải nhập điểm, tính được 40 điểm",
            "Mục b.2: mong đợi 20 điểm, tính được còn thiếu dữ liệu",
        ]
    );
}

#[test]
fn the_runner_survives_examples_that_name_nothing_real() {
    let mut example = example_a();
    example.inputs.insert("z.9".into(), ExampleInput::default());
    example
        .expected
        .items
        .insert("z.9".into(), ExpectedItem::Points(1));
    example.expected.criteria.insert("Z".into(), 1);
    example
        .expected
        .verdicts
        .insert("khong-co".into(), Verdict::Fail);
    let set = with_examples(vec![example]);
    let runs = run_examples(&set);
    assert_eq!(runs[0].mismatches.len(), 3, "{:?}", runs[0].mismatches);
    assert!(runs[0]
        .mismatches
        .iter()
        .all(|m| m.actual == "không có trong bộ tiêu chí"));
    // The validator says the same, next to the fields.
    let errors = validate(&set).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let place = "Ví dụ kiểm tra thứ 1 («Tiêu chí A đủ điểm»)";
    assert_eq!(
        messages,
        vec![
            format!("{place}: dữ liệu nhập (\"inputs\") có mục \"z.9\" không có trong bộ tiêu chí"),
            format!(
                "{place}: kết quả mong đợi (\"expected\") có mục \"z.9\" không có trong bộ tiêu chí"
            ),
            format!(
                "{place}: kết quả mong đợi (\"expected\") có tiêu chí \"Z\" không có trong bộ \
                 tiêu chí"
            ),
            format!("{place}: loại đơn vị \"khong-co\" không có trong bộ tiêu chí"),
        ]
    );
    assert_eq!(
        errors[0].anchor(),
        (
            Place::Example {
                position: 1,
                name: "Tiêu chí A đủ điểm".into()
            },
            Field::ExampleInputs
        )
    );
}

#[test]
fn an_input_the_rule_never_reads_is_refused() {
    let mut example = example_a();
    example.inputs.insert(
        "a.1".into(),
        input(|i| {
            i.yes = Some(true);
            i.count = Some(3.0);
            i.manual_points = Some(10.0)
        }),
    );
    example
        .inputs
        .insert("b.2".into(), input(|i| i.numerator = Some(1.0)));
    let messages: Vec<String> = validate(&with_examples(vec![example]))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        vec![
            "Ví dụ kiểm tra thứ 1 («Tiêu chí A đủ điểm»): mục \"a.1\" không dùng giá trị «count» \
             (quy tắc chấm của mục không đọc giá trị này)",
            "Ví dụ kiểm tra thứ 1 («Tiêu chí A đủ điểm»): mục \"b.2\" không dùng giá trị \
             «numerator» (quy tắc chấm của mục không đọc giá trị này)",
        ]
    );
}

#[test]
fn an_example_needs_a_name_and_an_expectation() {
    let mut example = example_a();
    example.name = " ".into();
    example.expected = Expected::default();
    let messages: Vec<String> = validate(&with_examples(vec![example]))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        vec![
            "Ví dụ kiểm tra thứ 1: tên ví dụ (\"name\") đang để trống",
            "Ví dụ kiểm tra thứ 1: chưa có kết quả mong đợi nào để kiểm tra",
        ]
    );
}

#[test]
fn examples_read_from_json_as_a_person_writes_them() {
    let mut value: serde_json::Value = serde_json::to_value(test_set()).unwrap();
    value["examples"] = serde_json::json!([{
        "name": "Viết tay",
        "inputs": { "a.1": { "yes": true }, "a.2": { "numerator": 0, "denominator": 0 } },
        "expected": {
            "items": { "a.1": 40, "a.2": "not_applicable" },
            "verdicts": { "t900": "incomplete" }
        }
    }]);
    let set = parse_criteria_set(&value.to_string()).unwrap();
    assert_eq!(validate(&set), Ok(()));
    assert!(run_examples(&set)[0].passed(), "{:?}", run_examples(&set));

    value["examples"][0]["expected"]["items"]["a.1"] = "bốn mươi".into();
    let err = parse_criteria_set(&value.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("phải là số điểm (ví dụ 50) hoặc một trong"),
        "{err}"
    );
    value["examples"][0]["expected"]["items"]["a.1"] = 40.into();
    value["examples"][0]["expected"]["verdicts"]["t900"] = "dat".into();
    let err = parse_criteria_set(&value.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "«loại đơn vị t900» của kết quả mong đợi, ví dụ kiểm tra thứ 1 là \"dat\"; chỉ nhận \
             \"pass\", \"fail\", \"incomplete\""
        ),
        "{err}"
    );
    value["examples"][0]["expected"]["verdicts"]["t900"] = "pass".into();
    value["examples"][0]["inputs"]["a.1"]["co"] = true.into();
    let err = parse_criteria_set(&value.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "trường không có trong định dạng: `co` trong mục a.1 của ví dụ kiểm tra thứ 1"
        ),
        "{err}"
    );
}

#[test]
fn examples_are_not_part_of_the_content_hash() {
    let without = test_set();
    let with = with_examples(vec![example_a()]);
    assert_eq!(content_hash(&without), content_hash(&with));
    // And a set without examples writes no `examples` member at all.
    assert!(!serde_json::to_string(&without)
        .unwrap()
        .contains("examples"));
}

#[test]
fn the_schema_describes_examples() {
    let schema = criteria_set_schema();
    for word in [
        "examples",
        "needs_manual_points",
        "verdicts",
        "recorded_max",
    ] {
        assert!(schema.contains(word), "{word}");
    }
}

// --- The built-in set's examples -----------------------------------------------------------

#[test]
fn every_builtin_example_passes() {
    let set = builtin_qd06();
    assert!(!set.examples.is_empty());
    for run in run_examples(&set) {
        assert!(run.passed(), "{}: {:?}", run.name, run.mismatches);
    }
}

/// Examples exist for what is confirmed, and only for that: criteria 1, 6 and 7, the pass rule
/// at each threshold and just below it, and a criterion at 0.
#[test]
fn builtin_examples_cover_what_is_confirmed() {
    let set = builtin_qd06();
    let expected_items: Vec<&str> = set
        .examples
        .iter()
        .flat_map(|e| e.expected.items.keys())
        .map(String::as_str)
        .collect();
    for item in ["1.1", "1.2", "1.3", "6.1", "6.2", "7.1"] {
        assert!(expected_items.contains(&item), "{item}");
    }
    // No example expects points of an item whose rule is not confirmed.
    for example in &set.examples {
        for (id, expected) in &example.expected.items {
            if let ExpectedItem::Points(_) = expected {
                assert!(
                    ["1.1", "1.2", "1.3", "6.1", "6.2", "7.1"].contains(&id.as_str()),
                    "{}: {id}",
                    example.name
                );
            }
        }
    }
    let totals: Vec<u32> = set
        .examples
        .iter()
        .filter_map(|e| e.expected.total)
        .collect();
    for total in [799, 800, 849, 850, 899, 900] {
        assert!(totals.contains(&total), "{total}");
    }
    let verdict = |total: u32, category: &str| {
        set.examples
            .iter()
            .find(|e| e.expected.total == Some(total) && e.expected.criteria.get("2") != Some(&0))
            .and_then(|e| e.expected.verdicts.get(category).copied())
    };
    assert_eq!(verdict(799, "mien-nui-hai-dao-dbkk"), Some(Verdict::Fail));
    assert_eq!(verdict(800, "mien-nui-hai-dao-dbkk"), Some(Verdict::Pass));
    assert_eq!(verdict(849, "con-lai"), Some(Verdict::Fail));
    assert_eq!(verdict(850, "con-lai"), Some(Verdict::Pass));
    assert_eq!(verdict(899, "phuong-thanh-pho-tw"), Some(Verdict::Fail));
    assert_eq!(verdict(900, "phuong-thanh-pho-tw"), Some(Verdict::Pass));
    let zero = set
        .examples
        .iter()
        .find(|e| e.expected.criteria.get("2") == Some(&0))
        .expect("an example with a criterion at 0");
    assert!(zero.expected.total.unwrap() >= 900);
    assert!(zero.expected.verdicts.values().all(|v| *v == Verdict::Fail));
    assert_eq!(zero.expected.verdicts.len(), 3);
}
