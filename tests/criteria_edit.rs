//! Editing a set without JSON (the undo history, new criteria, items and bands, changing a
//! rule's kind) and the readable comparison of two versions.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::criteria::{BelowBands, MinBand, Provenance, Rule, ZeroDenominator};
use xa_phu_hop_tre_em::domain::criteria_diff::{compare_sets, describe_rule};
use xa_phu_hop_tre_em::domain::criteria_edit::*;
use xa_phu_hop_tre_em::domain::criteria_registry::{CriteriaRegistry, SetOrigin};
use xa_phu_hop_tre_em::domain::criteria_validate::validate;

// --- Undo --------------------------------------------------------------------------------

#[test]
fn typing_in_one_field_is_one_undo_step() {
    let mut editor = Editor::new(test_set(), None);
    for text in ["T", "Tê", "Tên"] {
        editor.type_into("ten", "sửa tên", |s| s.title = text.into());
    }
    editor.type_into("phien-ban", "sửa phiên bản", |s| {
        s.version = "2".into()
    });
    assert_eq!(editor.undo_label(), Some("sửa phiên bản"));
    assert_eq!(editor.undo().as_deref(), Some("sửa phiên bản"));
    assert_eq!(editor.set.title, "Tên");
    assert_eq!(editor.undo().as_deref(), Some("sửa tên"));
    assert_eq!(editor.set, test_set());
    assert_eq!(editor.undo(), None);
}

#[test]
fn structure_changes_are_steps_of_their_own_and_redraw() {
    let mut editor = Editor::new(test_set(), None);
    let shape = editor.shape;
    editor.type_into("ten", "sửa tên", |s| s.title = "A".into());
    assert_eq!(editor.shape, shape, "typing does not redraw");
    editor.change("thêm tiêu chí", |s| {
        let c = new_criterion(s);
        s.criteria.push(c);
    });
    assert!(editor.shape > shape);
    // Typing in the same field after a structure change starts a new step.
    editor.type_into("ten", "sửa tên", |s| s.title = "AB".into());
    editor.undo();
    assert_eq!(editor.set.title, "A");
    assert_eq!(editor.set.criteria.len(), 6);
    editor.undo();
    assert_eq!(editor.set.criteria.len(), 5);
}

#[test]
fn undo_keeps_the_last_hundred_steps() {
    let mut editor = Editor::new(test_set(), None);
    for i in 0..150 {
        editor.change("đổi", |s| s.version = i.to_string());
    }
    let mut steps = 0;
    while editor.undo().is_some() {
        steps += 1;
    }
    assert_eq!(steps, 100);
    assert_eq!(editor.set.version, "49");
}

#[test]
fn a_draft_round_trips_as_stored() {
    let mut editor = Editor::new(builtin_qd06(), None);
    editor.change("đổi", |s| s.version = "1.0.1".into());
    let draft = editor.to_draft(5.0);
    let text = serde_json::to_string(&draft).unwrap();
    let back: Draft = serde_json::from_str(&text).unwrap();
    assert_eq!(back, draft);
    assert_eq!(Editor::from_draft(back).set, editor.set);
}

// --- New parts -----------------------------------------------------------------------------

#[test]
fn a_blank_set_lists_what_is_missing() {
    let messages: Vec<String> = validate(&blank_set())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    for expected in [
        "Bộ tiêu chí: mã bộ tiêu chí (\"id\") đang để trống",
        "Bộ tiêu chí: chưa có loại đơn vị nào (cần ít nhất một ngưỡng điểm đạt)",
        "Bộ tiêu chí: chưa có tiêu chí nào",
    ] {
        assert!(messages.iter().any(|m| m == expected), "{messages:#?}");
    }
}

#[test]
fn new_criteria_and_items_get_free_ids_and_ask_for_their_source() {
    let mut set = blank_set();
    let first = new_criterion(&set);
    assert_eq!(first.id, "1");
    assert_eq!(first.items[0].id, "1.1");
    assert_eq!(
        first.items[0].provenance,
        Provenance::Verified {
            source: String::new()
        }
    );
    set.criteria.push(first);
    let second = new_criterion(&set);
    assert_eq!(second.id, "2");
    set.criteria.push(second);
    // An item added after one was removed does not reuse a taken id.
    let c = &mut set.criteria[0];
    c.items.push(item("1.2", Rule::YesNo { points: 1 }));
    c.items.remove(0);
    let item = new_item(&set.criteria[0], &set);
    assert_eq!(item.id, "1.3");
}

#[test]
fn a_next_version_skips_those_already_known() {
    let mut known = CriteriaRegistry::from_sets([test_set()]);
    let mut taken = test_set();
    taken.version = "1.0.1".into();
    known
        .add(taken, SetOrigin::Imported { file: "x".into() }, 1.0)
        .unwrap();
    assert_eq!(next_version_of(&test_set(), &known).version, "1.0.2");
}

// --- Rules and bands -------------------------------------------------------------------------

#[test]
fn changing_the_kind_keeps_what_still_applies() {
    let rate = rate(
        &[(80.0, 20), (95.0, 60)],
        BelowBands::Manual,
        ZeroDenominator::NotApplicable,
    );
    let survey = convert_rule(&rate, RuleKind::Survey);
    assert_eq!(
        survey,
        Rule::Survey {
            bands: vec![
                MinBand {
                    min: 80.0,
                    points: 20
                },
                MinBand {
                    min: 95.0,
                    points: 60
                }
            ],
            below: BelowBands::Manual,
            zero_denominator: ZeroDenominator::NotApplicable,
        }
    );
    assert_eq!(
        convert_rule(&rate, RuleKind::YesNo),
        Rule::YesNo { points: 60 }
    );
    assert_eq!(
        convert_rule(&rate, RuleKind::Manual),
        Rule::Manual { max: Some(60) }
    );
    let back = convert_rule(
        &convert_rule(&rate, RuleKind::PerPopulation),
        RuleKind::Rate,
    );
    assert_eq!(back.ratio_labels(), rate.ratio_labels(), "labels survive");
    assert_eq!(convert_rule(&rate, RuleKind::Rate), rate);
    for kind in RuleKind::ALL {
        assert_eq!(RuleKind::from_key(kind.key()), Some(kind));
        assert_eq!(RuleKind::of(&convert_rule(&rate, kind)), kind);
    }
}

#[test]
fn bands_are_added_moved_set_and_removed() {
    let mut rule = rate(
        &[(80.0, 20)],
        BelowBands::ZeroPoints,
        ZeroDenominator::Manual,
    );
    add_band(&mut rule);
    assert_eq!(band(&rule, 1), Some((90.0, 20)));
    set_band(&mut rule, 1, Some(95.0), Some(60));
    assert_eq!(band(&rule, 1), Some((95.0, 60)));
    move_band_down(&mut rule, 0);
    assert_eq!(band(&rule, 0), Some((95.0, 60)));
    move_band_down(&mut rule, 1);
    assert_eq!(band_count(&rule), 2, "moving the last down changes nothing");
    remove_band(&mut rule, 0);
    assert_eq!(band(&rule, 0), Some((80.0, 20)));
    assert_eq!(band_count(&rule), 1);
    // A percentage never goes past 100 by adding.
    let mut top = rate(
        &[(95.0, 50)],
        BelowBands::ZeroPoints,
        ZeroDenominator::Manual,
    );
    add_band(&mut top);
    assert_eq!(band(&top, 1), Some((100.0, 50)));
    let mut per = per_population(1000, &[(1.0, 50)], ZeroDenominator::FullPoints);
    add_band(&mut per);
    assert_eq!(band(&per, 1), Some((2.0, 50)));
}

// --- Comparison ------------------------------------------------------------------------------

#[test]
fn two_versions_are_compared_in_words() {
    let old = builtin_qd06();
    let mut new = old.clone();
    new.version = "1.1.0".into();
    new.unit_categories[1].min_total = 820;
    new.criteria[6].items[0].rule = Rule::Rate {
        numerator_label: "Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ".into(),
        denominator_label: "Tổng số trẻ em dưới 1 tuổi".into(),
        bands: vec![
            MinBand {
                min: 90.0,
                points: 25,
            },
            MinBand {
                min: 98.0,
                points: 50,
            },
        ],
        below: BelowBands::ZeroPoints,
        zero_denominator: ZeroDenominator::Manual,
    };
    new.criteria[6].items[0].provenance = Provenance::Verified {
        source: "Văn bản thử".into(),
    };
    new.criteria[1].name = "Trẻ em được khai sinh".into();
    new.criteria.remove(12);
    let sections = compare_sets(&old, &new);
    let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Thông tin chung",
            "Loại đơn vị và ngưỡng đạt",
            "Tiêu chí 2. Trẻ em được khai sinh",
            "Tiêu chí 7. Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin thuộc \
             chương trình tiêm chủng mở rộng",
            "Tiêu chí 13. Mức độ hài lòng của trẻ em và người dân về việc thực hiện quyền trẻ em",
        ]
    );
    let general = &sections[0].changes;
    assert_eq!(general.len(), 1);
    assert_eq!(
        (
            general[0].subject.as_str(),
            general[0].before.as_str(),
            general[0].after.as_str()
        ),
        ("Phiên bản", "1.0.0", "1.1.0")
    );
    let unit = &sections[1].changes[0];
    assert!(unit.before.ends_with("ngưỡng 800 điểm"), "{}", unit.before);
    assert!(unit.after.ends_with("ngưỡng 820 điểm"), "{}", unit.after);
    let seven = &sections[3].changes;
    let rule = seven
        .iter()
        .find(|c| c.subject == "Mục 7.1: cách chấm điểm")
        .unwrap();
    assert!(rule.before.contains("từ 98% → 50 điểm"), "{}", rule.before);
    assert!(
        rule.after
            .contains("từ 90% → 25 điểm, từ 98% → 50 điểm; dưới mức thấp nhất → 0 điểm"),
        "{}",
        rule.after
    );
    assert!(seven
        .iter()
        .any(|c| c.subject == "Mục 7.1: nguồn gốc"
            && c.after == "đã đối chiếu văn bản ký (Văn bản thử)"));
    assert_eq!(sections[4].changes[0].after, "bỏ");
    assert!(compare_sets(&old, &old).is_empty());
}

#[test]
fn rules_read_as_sentences() {
    assert_eq!(
        describe_rule(&per_population(
            1000,
            &[(1.0, 50), (2.5, 30)],
            ZeroDenominator::FullPoints
        )),
        "tỷ suất trên 1.000 (Số trẻ em bị tai nạn / Tổng số trẻ em): đến 1 → 50 điểm, đến 2,5 \
         → 30 điểm; cao hơn → 0 điểm; mẫu số bằng 0 → đủ điểm"
    );
    assert_eq!(
        describe_rule(&Rule::Manual { max: None }),
        "người đánh giá nhập điểm, tối đa chưa rõ"
    );
}
