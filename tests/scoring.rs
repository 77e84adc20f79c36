//! Worked examples for the scoring engine, one rule kind at a time, then the pass rule.

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::scoring::{score, ItemScore, ItemStatus, Reason, Verdict};

/// Scores the test set with the given answers and returns the named item's score.
fn item_score(
    answers: Vec<(&str, xa_phu_hop_tre_em::domain::assessment::Answer)>,
    id: &str,
) -> ItemScore {
    let set = test_set();
    let result = score(&set, &assessment(&set, "t850", answers));
    result
        .criteria
        .into_iter()
        .flat_map(|c| c.items)
        .find(|i| i.item_id == id)
        .unwrap()
}

#[test]
fn full_marks_at_threshold_pass() {
    let set = test_set();
    let result = score(&set, &full_marks(&set, "t850", 500.0));
    assert_eq!(result.total, 850);
    assert_eq!(result.verdict, Verdict::Pass, "{:?}", result.reasons);
    assert!(result.reasons.is_empty());
}

#[test]
fn yes_no_scores_points_or_zero() {
    let item = item_score(vec![("a.1", yes(true))], "a.1");
    assert_eq!(
        (item.status, item.points, item.max),
        (ItemStatus::Scored, 40, Some(40))
    );
    assert_eq!(item_score(vec![("a.1", yes(false))], "a.1").points, 0);
}

#[test]
fn one_below_threshold_fails() {
    let set = test_set();
    let result = score(&set, &full_marks(&set, "t850", 499.0));
    assert_eq!(result.verdict, Verdict::Fail);
    assert_eq!(
        result.reasons,
        vec![Reason::BelowThreshold {
            total: 849,
            threshold: 850,
            short_by: 1
        }]
    );
}
