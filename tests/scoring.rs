//! Worked examples for the scoring engine: each rule kind, zero denominators, invalid inputs,
//! the pass rule at every threshold, reasons, gaps, and the built-in set.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::assessment::Answer;
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::scoring::{
    score, AssessmentScore, Gap, ItemScore, ItemStatus, Reason, Verdict,
};

fn scored(answers: Vec<(&str, Answer)>) -> AssessmentScore {
    let set = test_set();
    score(&set, &assessment(&set, "t850", answers))
}

/// Scores the test set with one answer and returns that item's score.
fn item_score(id: &str, answer: Answer) -> ItemScore {
    find_item(&scored(vec![(id, answer)]), id)
}

fn find_item(result: &AssessmentScore, id: &str) -> ItemScore {
    let items = result.criteria.iter().flat_map(|c| &c.items);
    items.clone().find(|i| i.item_id == id).cloned().unwrap()
}

/// (status, points, band, value) for compact comparisons.
fn summary(item: &ItemScore) -> (ItemStatus, u32, Option<usize>, Option<f64>) {
    (item.status.clone(), item.points, item.band, item.value)
}

fn invalid(message: &str) -> ItemStatus {
    ItemStatus::Invalid {
        message: message.to_string(),
    }
}

fn missing(needs: &str) -> ItemStatus {
    ItemStatus::Missing {
        needs: needs.to_string(),
    }
}

const BELOW_REASON: &str = "Dưới mức thấp nhất đã biết; các mức điểm thấp hơn chưa đối chiếu văn \
                            bản gốc, người đánh giá nhập điểm theo bảng điểm chính thức";
const ZERO_REASON: &str = "Mẫu số bằng 0; cách chấm trường hợp này chưa đối chiếu văn bản gốc, \
                           người đánh giá nhập điểm theo bảng điểm chính thức";

// --- Yes / no ------------------------------------------------------------------------------

#[test]
fn yes_no_scores_its_points_or_zero() {
    let item = item_score("a.1", yes(true));
    assert_eq!(
        (item.status, item.points, item.max),
        (ItemStatus::Scored, 40, Some(40))
    );
    assert_eq!(item_score("a.1", yes(false)).points, 0);
    assert_eq!(
        item_score("a.1", Answer::default()).status,
        missing("Trả lời Có / Không")
    );
}

// --- Rate (%, higher is better) ----------------------------------------------------------

#[test]
fn rate_takes_the_highest_band_reached() {
    let s = ItemStatus::Scored;
    assert_eq!(
        summary(&item_score("a.2", ratio(19.0, 20.0))),
        (s.clone(), 60, Some(2), Some(95.0))
    );
    assert_eq!(
        summary(&item_score("a.2", ratio(20.0, 20.0))),
        (s.clone(), 60, Some(2), Some(100.0))
    );
    assert_eq!(
        summary(&item_score("a.2", ratio(18.0, 20.0))),
        (s.clone(), 40, Some(1), Some(90.0))
    );
    assert_eq!(
        summary(&item_score("a.2", ratio(17.0, 20.0))),
        (s.clone(), 20, Some(0), Some(85.0))
    );
    // Below the lowest band, this rule gives 0.
    assert_eq!(
        summary(&item_score("a.2", ratio(15.0, 20.0))),
        (s, 0, None, Some(75.0))
    );
}

#[test]
fn rate_band_bounds_are_inclusive_and_exact() {
    // 57/60 is exactly 95%; computed as 0.95 * 100 it would round below 95.
    assert_eq!(item_score("a.2", ratio(57.0, 60.0)).points, 60);
    assert_eq!(
        item_score("a.2", ratio(1899.0, 2000.0)).points,
        40,
        "94.95% is below 95"
    );
    assert_eq!(
        item_score("a.2", ratio(4.0, 5.0)).points,
        20,
        "80% reaches the 80 band"
    );
}

#[test]
fn rate_below_bands_falls_back_to_the_assessor() {
    let item = item_score("c.2", ratio(90.0, 100.0));
    assert_eq!(
        summary(&item),
        (
            ItemStatus::NeedsManualPoints {
                reason: BELOW_REASON.to_string()
            },
            0,
            None,
            Some(90.0)
        )
    );
    let item = item_score("c.2", ratio_with_points(90.0, 100.0, 35.0));
    assert_eq!(summary(&item), (ItemStatus::Scored, 35, None, Some(90.0)));
}

#[test]
fn manual_points_below_a_band_cannot_exceed_the_lowest_band() {
    // c.1: ≥70% → 30, so below 70% at most 30.
    assert_eq!(
        item_score("c.1", ratio_with_points(13.0, 20.0, 30.0)).points,
        30
    );
    assert_eq!(
        item_score("c.1", ratio_with_points(13.0, 20.0, 31.0)).status,
        invalid(
            "Điểm nhập (31) vượt quá 30 điểm của ngưỡng thấp nhất đã biết (chưa tới ngưỡng thì \
             không thể được nhiều điểm hơn)"
        )
    );
}

#[test]
fn rate_inputs_missing() {
    assert_eq!(
        item_score("a.2", Answer::default()).status,
        missing("Số trẻ em được trợ giúp; Số trẻ em cần trợ giúp")
    );
    let only_denominator = Answer {
        denominator: Some(20.0),
        ..Answer::default()
    };
    assert_eq!(
        item_score("a.2", only_denominator).status,
        missing("Số trẻ em được trợ giúp")
    );
}

// --- Per population (lower is better) ------------------------------------------------------

#[test]
fn per_population_takes_the_first_band_not_exceeded() {
    let s = ItemStatus::Scored;
    assert_eq!(
        summary(&item_score("b.1", ratio(0.0, 2000.0))),
        (s.clone(), 50, Some(0), Some(0.0))
    );
    assert_eq!(
        summary(&item_score("b.1", ratio(2.0, 2000.0))),
        (s.clone(), 50, Some(0), Some(1.0))
    );
    assert_eq!(
        summary(&item_score("b.1", ratio(6.0, 2000.0))),
        (s.clone(), 30, Some(1), Some(3.0))
    );
    assert_eq!(
        summary(&item_score("b.1", ratio(7.0, 2000.0))),
        (s.clone(), 10, Some(2), Some(3.5))
    );
    assert_eq!(
        summary(&item_score("b.1", ratio(10.0, 2000.0))),
        (s.clone(), 10, Some(2), Some(5.0))
    );
    // Above the last band: nothing.
    assert_eq!(
        summary(&item_score("b.1", ratio(11.0, 2000.0))),
        (s, 0, None, Some(5.5))
    );
}

#[test]
fn per_population_numerator_may_exceed_the_denominator() {
    // Cases, not children: more accidents than children is a bad rate, not an input error.
    let item = item_score("b.1", ratio(30.0, 20.0));
    assert_eq!(summary(&item), (ItemStatus::Scored, 0, None, Some(1500.0)));
}

// --- Count -------------------------------------------------------------------------------------

#[test]
fn count_takes_the_highest_band_reached() {
    let s = ItemStatus::Scored;
    assert_eq!(
        summary(&item_score("b.2", counted(6.0))),
        (s.clone(), 50, Some(1), Some(6.0))
    );
    assert_eq!(
        summary(&item_score("b.2", counted(4.0))),
        (s.clone(), 50, Some(1), Some(4.0))
    );
    assert_eq!(
        summary(&item_score("b.2", counted(3.0))),
        (s.clone(), 20, Some(0), Some(3.0))
    );
    assert_eq!(
        summary(&item_score("b.2", counted(1.0))),
        (s, 0, None, Some(1.0))
    );
    assert_eq!(
        item_score("b.2", Answer::default()).status,
        missing("Số buổi sinh hoạt")
    );
}

// --- Survey ------------------------------------------------------------------------------------

#[test]
fn survey_scores_the_satisfied_share() {
    let s = ItemStatus::Scored;
    assert_eq!(
        summary(&item_score("c.1", ratio(17.0, 20.0))),
        (s.clone(), 50, Some(1), Some(85.0))
    );
    assert_eq!(
        summary(&item_score("c.1", ratio(14.0, 20.0))),
        (s, 30, Some(0), Some(70.0))
    );
    assert_eq!(
        item_score("c.1", ratio(13.0, 20.0)).status,
        ItemStatus::NeedsManualPoints {
            reason: BELOW_REASON.to_string()
        }
    );
    assert_eq!(
        item_score("c.1", Answer::default()).status,
        missing("Số người hài lòng; Số người được hỏi")
    );
}

// --- Manual ------------------------------------------------------------------------------------

#[test]
fn manual_points_within_the_item_maximum() {
    assert_eq!(
        summary(&item_score("e.1", manual(50.0))),
        (ItemStatus::Scored, 50, None, None)
    );
    assert_eq!(item_score("e.1", manual(0.0)).points, 0);
    assert_eq!(
        item_score("e.1", Answer::default()).status,
        missing("Điểm do người đánh giá nhập")
    );
}

#[test]
fn manual_without_maximum_is_bounded_by_the_recorded_criterion_maximum() {
    let set = test_set();
    let mut a = assessment(&set, "t850", vec![("d.1", manual(250.0))]);
    let unbounded = score(&set, &a);
    assert_eq!(
        (
            find_item(&unbounded, "d.1").points,
            find_item(&unbounded, "d.1").max
        ),
        (250, None)
    );
    assert_eq!(unbounded.criteria[3].percent, None);

    a.recorded_max.insert("D".to_string(), 300);
    let bounded = score(&set, &a);
    assert_eq!(
        (
            find_item(&bounded, "d.1").points,
            find_item(&bounded, "d.1").max
        ),
        (250, Some(300))
    );
    let d = &bounded.criteria[3];
    assert_eq!((d.max, d.applicable_max), (Some(300), Some(300)));
    assert!((d.percent.unwrap() - 250.0 / 3.0).abs() < 1e-9);

    a.answers.insert("d.1".to_string(), manual(301.0));
    assert_eq!(
        find_item(&score(&set, &a), "d.1").status,
        invalid("Điểm nhập (301) vượt mức tối đa 300 điểm của mục")
    );
}

#[test]
fn the_sets_maximum_wins_over_a_recorded_one() {
    let set = test_set();
    let mut a = assessment(&set, "t850", vec![("e.1", manual(50.0))]);
    a.recorded_max.insert("E".to_string(), 10);
    let result = score(&set, &a);
    assert_eq!(result.criteria[4].max, Some(50));
    assert_eq!(result.criteria[4].points, 50);
}

// --- Zero denominators ---------------------------------------------------------------------

#[test]
fn zero_denominator_not_applicable_leaves_points_and_maximum() {
    let result = scored(vec![("a.1", yes(true)), ("a.2", ratio(0.0, 0.0))]);
    let a = &result.criteria[0];
    assert_eq!(a.items[1].status, ItemStatus::NotApplicable);
    assert_eq!(
        (a.points, a.max, a.applicable_max, a.percent),
        (40, Some(100), Some(40), Some(100.0))
    );
    assert!(a.complete);
    assert!(!result.gaps.iter().any(|g| g.item_id == "a.2"));
}

#[test]
fn zero_denominator_full_points() {
    assert_eq!(
        summary(&item_score("b.1", ratio(0.0, 0.0))),
        (ItemStatus::Scored, 50, None, None)
    );
}

#[test]
fn zero_denominator_zero_points() {
    assert_eq!(
        summary(&item_score("c.2", ratio(0.0, 0.0))),
        (ItemStatus::Scored, 0, None, None)
    );
}

#[test]
fn zero_denominator_manual() {
    assert_eq!(
        item_score("c.1", ratio(0.0, 0.0)).status,
        ItemStatus::NeedsManualPoints {
            reason: ZERO_REASON.to_string()
        }
    );
    // Not below a band: the item maximum bounds the assessor's points.
    assert_eq!(
        item_score("c.1", ratio_with_points(0.0, 0.0, 50.0)).points,
        50
    );
}

// --- Invalid inputs, each with its message ------------------------------------------------

#[test]
fn numerator_above_denominator_is_invalid_for_a_rate() {
    assert_eq!(
        item_score("a.2", ratio(21.0, 20.0)).status,
        invalid("Số trẻ em được trợ giúp (21) lớn hơn Số trẻ em cần trợ giúp (20)")
    );
}

#[test]
fn numerator_above_denominator_is_invalid_for_a_survey() {
    assert_eq!(
        item_score("c.1", ratio(3.0, 0.0)).status,
        invalid("Số người hài lòng (3) lớn hơn Số người được hỏi (0)")
    );
}

#[test]
fn cases_without_children_are_invalid_for_a_per_population_rate() {
    assert_eq!(
        item_score("b.1", ratio(2.0, 0.0)).status,
        invalid("Số trẻ em bị tai nạn là 2 nhưng Tổng số trẻ em bằng 0")
    );
}

#[test]
fn negative_inputs_are_invalid() {
    assert_eq!(
        item_score("a.2", ratio(-1.0, 20.0)).status,
        invalid("Số trẻ em được trợ giúp không được âm (-1)")
    );
    assert_eq!(
        item_score("b.1", ratio(1.0, -20.0)).status,
        invalid("Tổng số trẻ em không được âm (-20)")
    );
    assert_eq!(
        item_score("b.2", counted(-3.0)).status,
        invalid("Số buổi sinh hoạt không được âm (-3)")
    );
}

#[test]
fn fractional_inputs_are_invalid() {
    assert_eq!(
        item_score("a.2", ratio(18.5, 20.0)).status,
        invalid("Số trẻ em được trợ giúp phải là số nguyên (18,5)")
    );
    assert_eq!(
        item_score("b.2", counted(2.5)).status,
        invalid("Số buổi sinh hoạt phải là số nguyên (2,5)")
    );
}

#[test]
fn non_numbers_are_invalid() {
    assert_eq!(
        item_score("b.2", counted(f64::NAN)).status,
        invalid("Số buổi sinh hoạt: không phải là số hợp lệ")
    );
    assert_eq!(
        item_score("c.2", ratio(1.0, f64::INFINITY)).status,
        invalid("Số trẻ em cần trợ giúp: không phải là số hợp lệ")
    );
}

#[test]
fn manual_points_fractional_negative_or_above_maximum_are_invalid() {
    assert_eq!(
        item_score("e.1", manual(12.5)).status,
        invalid("Điểm nhập phải là số nguyên (12,5)")
    );
    assert_eq!(
        item_score("e.1", manual(-5.0)).status,
        invalid("Điểm nhập không được âm (-5)")
    );
    assert_eq!(
        item_score("e.1", manual(51.0)).status,
        invalid("Điểm nhập (51) vượt mức tối đa 50 điểm của mục")
    );
    assert_eq!(
        item_score("d.1", manual(1e12)).status,
        invalid("Điểm nhập (1000000000000) quá lớn")
    );
}

#[test]
fn invalid_items_earn_nothing_and_are_never_clamped() {
    let item = item_score("e.1", manual(51.0));
    assert_eq!((item.points, item.band, item.max), (0, None, Some(50)));
}

// --- Totals, verdict and the pass rule ------------------------------------------------------

/// Total and verdict of a complete assessment of the test set totalling `total` (≥ 350).
fn verdict_at(category: &str, total: u32) -> (u32, Verdict, Vec<Reason>) {
    let set = test_set();
    let result = score(&set, &full_marks(&set, category, f64::from(total - 350)));
    (result.total, result.verdict, result.reasons)
}

fn below(total: u32, threshold: u32) -> Vec<Reason> {
    vec![Reason::BelowThreshold {
        total,
        threshold,
        short_by: threshold - total,
    }]
}

#[test]
fn pass_rule_at_850() {
    assert_eq!(
        verdict_at("t850", 849),
        (849, Verdict::Fail, below(849, 850))
    );
    assert_eq!(verdict_at("t850", 850), (850, Verdict::Pass, vec![]));
}

#[test]
fn pass_rule_at_900() {
    assert_eq!(
        verdict_at("t900", 899),
        (899, Verdict::Fail, below(899, 900))
    );
    assert_eq!(verdict_at("t900", 900), (900, Verdict::Pass, vec![]));
}

#[test]
fn pass_rule_at_800() {
    assert_eq!(
        verdict_at("t800", 799),
        (799, Verdict::Fail, below(799, 800))
    );
    assert_eq!(verdict_at("t800", 800), (800, Verdict::Pass, vec![]));
}

#[test]
fn a_criterion_at_zero_fails_whatever_the_total() {
    let set = test_set();
    let mut a = full_marks(&set, "t800", 900.0);
    a.answers.insert("e.1".to_string(), manual(0.0));
    let result = score(&set, &a);
    assert_eq!(result.total, 1200);
    assert_eq!(result.verdict, Verdict::Fail);
    assert_eq!(
        result.reasons,
        vec![Reason::ZeroCriterion {
            criterion_id: "E".to_string()
        }]
    );
    assert_eq!(
        result.reasons[0].message_vi(&set),
        "Tiêu chí E (Tiêu chí thử E) đang 0 điểm"
    );
}

#[test]
fn missing_inputs_make_it_incomplete_but_fail_reasons_still_show() {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 500.0);
    a.answers.remove("a.1");
    a.answers.insert("e.1".to_string(), manual(0.0));
    let result = score(&set, &a);
    assert_eq!(result.verdict, Verdict::Incomplete);
    assert_eq!(
        result.reasons,
        vec![
            Reason::MissingInputs {
                item_ids: vec!["a.1".to_string()]
            },
            Reason::ZeroCriterion {
                criterion_id: "E".to_string()
            },
            Reason::BelowThreshold {
                total: 760,
                threshold: 850,
                short_by: 90
            },
        ]
    );
    assert_eq!((result.answered, result.item_count), (7, 8));
    assert!(!result.criteria[0].complete);
}

#[test]
fn needing_manual_points_makes_it_incomplete() {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 600.0);
    a.answers.insert("c.2".to_string(), ratio(90.0, 100.0));
    let result = score(&set, &a);
    assert_eq!(result.verdict, Verdict::Incomplete);
    assert_eq!(
        result.reasons,
        vec![Reason::MissingInputs {
            item_ids: vec!["c.2".to_string()]
        }]
    );
}

#[test]
fn invalid_inputs_make_it_incomplete() {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 600.0);
    a.answers.insert("b.2".to_string(), counted(-1.0));
    let result = score(&set, &a);
    assert_eq!(result.verdict, Verdict::Incomplete);
    assert_eq!(
        result.reasons,
        vec![Reason::InvalidInputs {
            item_ids: vec!["b.2".to_string()]
        }]
    );
    assert_eq!(
        result.reasons[0].message_vi(&set),
        "Dữ liệu không hợp lệ ở 1 mục: b.2"
    );
}

#[test]
fn an_unknown_unit_category_makes_it_incomplete() {
    let set = test_set();
    let result = score(&set, &full_marks(&set, "quan-cu", 600.0));
    assert_eq!(result.threshold, None);
    assert_eq!(result.verdict, Verdict::Incomplete);
    assert_eq!(
        result.reasons,
        vec![Reason::UnknownUnitCategory {
            id: "quan-cu".to_string()
        }]
    );
    assert_eq!(
        result.reasons[0].message_vi(&set),
        "Loại đơn vị \"quan-cu\" không có trong bộ tiêu chí; hãy chọn lại loại đơn vị"
    );
}

#[test]
fn a_fresh_assessment_is_missing_everything_but_no_criterion_is_called_zero() {
    let set = test_set();
    let result = score(&set, &assessment(&set, "t900", vec![]));
    assert_eq!(result.verdict, Verdict::Incomplete);
    assert_eq!(
        result.reasons,
        vec![
            Reason::MissingInputs {
                item_ids: ["a.1", "a.2", "b.1", "b.2", "c.1", "c.2", "d.1", "e.1"]
                    .map(String::from)
                    .to_vec()
            },
            Reason::BelowThreshold {
                total: 0,
                threshold: 900,
                short_by: 900
            },
        ]
    );
    assert_eq!(
        result.reasons[0].message_vi(&set),
        "Còn thiếu dữ liệu ở 8 mục: a.1, a.2, b.1, b.2, c.1, c.2, d.1, e.1"
    );
    assert_eq!(
        result.reasons[1].message_vi(&set),
        "Còn thiếu 900 điểm so với ngưỡng 900 (tổng hiện tại 0 điểm)"
    );
}

#[test]
fn without_all_criteria_required_an_untouched_criterion_is_not_missing() {
    let mut set = test_set();
    set.pass_rule.all_criteria_required = false;
    let mut a = full_marks(&set, "t800", 600.0);
    a.answers.remove("c.1");
    a.answers.remove("c.2");
    let partly = {
        let mut p = a.clone();
        p.answers.insert("c.1".to_string(), ratio(17.0, 20.0));
        p
    };
    assert_eq!(score(&set, &a).verdict, Verdict::Pass);
    assert_eq!(
        score(&set, &partly).reasons,
        vec![Reason::MissingInputs {
            item_ids: vec!["c.2".to_string()]
        }]
    );
}

#[test]
fn zero_criterion_rule_can_be_switched_off_by_the_set() {
    let mut set = test_set();
    set.pass_rule.no_zero_criterion = false;
    let mut a = full_marks(&set, "t800", 500.0);
    a.answers.insert("e.1".to_string(), manual(0.0));
    assert_eq!(score(&set, &a).verdict, Verdict::Pass);
}

#[test]
fn verdict_labels() {
    assert_eq!(Verdict::Pass.label_vi(), "Đạt");
    assert_eq!(Verdict::Fail.label_vi(), "Chưa đạt");
    assert_eq!(Verdict::Incomplete.label_vi(), "Chưa đủ dữ liệu");
}

#[test]
fn below_threshold_message() {
    let set = test_set();
    let reason = Reason::BelowThreshold {
        total: 838,
        threshold: 850,
        short_by: 12,
    };
    assert_eq!(
        reason.message_vi(&set),
        "Còn thiếu 12 điểm so với ngưỡng 850 (tổng hiện tại 838 điểm)"
    );
    let unknown = Reason::ZeroCriterion {
        criterion_id: "Z".to_string(),
    };
    assert_eq!(unknown.message_vi(&set), "Tiêu chí Z đang 0 điểm");
}

// --- Gaps --------------------------------------------------------------------------------

#[test]
fn gaps_put_the_largest_gains_first_and_unknown_maxima_last() {
    let set = test_set();
    let mut a = full_marks(&set, "t850", 500.0);
    a.answers.insert("a.1".to_string(), yes(false)); // 40 to gain
    a.answers.insert("b.2".to_string(), counted(3.0)); // 50 − 20 = 30
    a.answers
        .insert("c.1".to_string(), ratio_with_points(13.0, 20.0, 10.0)); // 50 − 10 = 40
    a.answers.insert("e.1".to_string(), manual(45.0)); // 5
    let gap = |c: &str, i: &str, g: Option<u32>| Gap {
        criterion_id: c.to_string(),
        item_id: i.to_string(),
        gainable: g,
    };
    assert_eq!(
        score(&set, &a).gaps,
        vec![
            gap("A", "a.1", Some(40)),
            gap("C", "c.1", Some(40)),
            gap("B", "b.2", Some(30)),
            gap("E", "e.1", Some(5)),
            gap("D", "d.1", None),
        ]
    );
}

#[test]
fn gaps_of_a_criterion_at_zero_come_first() {
    // One criterion at 0 refuses recognition whatever the total: its items are the first
    // thing to work on, even where other items would bring more points.
    let set = test_set();
    let mut a = full_marks(&set, "t850", 500.0);
    a.answers.insert("a.1".to_string(), yes(false)); // A: 0 + 0 of 100
    a.answers.insert("a.2".to_string(), ratio(10.0, 20.0));
    a.answers.insert("b.2".to_string(), counted(0.0)); // 50 to gain, more than a.1's 40
    let result = score(&set, &a);
    assert!(result.is_blocking("A"));
    assert!(!result.is_blocking("B"));
    let order: Vec<&str> = result.gaps.iter().map(|g| g.item_id.as_str()).collect();
    assert_eq!(order, ["a.2", "a.1", "b.2", "d.1"]);
    // Not yet scored is not at 0: nothing blocks while a criterion is untouched.
    let untouched = assessment(&set, "t850", vec![]);
    assert!(!score(&set, &untouched).is_blocking("A"));
}

// --- The built-in set -----------------------------------------------------------------------

#[test]
fn builtin_set_worked_example() {
    let set = builtin_qd06();
    let result = score(&set, &builtin_full("con-lai", 60.0));
    assert_eq!(result.total, 275 + 600);
    assert_eq!(result.verdict, Verdict::Pass);
    let c7 = &result.criteria[6];
    assert_eq!((c7.points, c7.max, c7.percent), (50, Some(50), Some(100.0)));
    assert_eq!(
        result.criteria[1].percent, None,
        "criterion 2 has no known maximum"
    );

    let strict = score(&set, &builtin_full("phuong-thanh-pho-tw", 60.0));
    assert_eq!(strict.verdict, Verdict::Fail);
    assert_eq!(
        strict.reasons[0].message_vi(&set),
        "Còn thiếu 25 điểm so với ngưỡng 900 (tổng hiện tại 875 điểm)"
    );
}

#[test]
fn builtin_rates_below_the_known_band_ask_the_assessor() {
    let set = builtin_qd06();
    let mut a = builtin_full("con-lai", 60.0);
    a.answers.insert("7.1".to_string(), ratio(48.0, 50.0));
    let result = score(&set, &a);
    assert_eq!(find_item(&result, "7.1").value, Some(96.0));
    assert!(matches!(
        find_item(&result, "7.1").status,
        ItemStatus::NeedsManualPoints { .. }
    ));
    assert_eq!(result.verdict, Verdict::Incomplete);

    a.answers
        .insert("7.1".to_string(), ratio_with_points(48.0, 50.0, 45.0));
    let result = score(&set, &a);
    assert_eq!(find_item(&result, "7.1").points, 45);
    assert_eq!(result.total, 870);
    assert_eq!(result.verdict, Verdict::Pass);
}

#[test]
fn builtin_zero_denominators_ask_the_assessor() {
    let set = builtin_qd06();
    let mut a = builtin_full("con-lai", 60.0);
    a.answers.insert("6.2".to_string(), ratio(0.0, 0.0));
    let item = find_item(&score(&set, &a), "6.2");
    assert_eq!(
        item.status,
        ItemStatus::NeedsManualPoints {
            reason: ZERO_REASON.to_string()
        }
    );
}
