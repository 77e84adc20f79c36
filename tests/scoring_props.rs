//! Properties of the scoring engine over arbitrary (often inconsistent) answers.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use proptest::prelude::*;
use xa_phu_hop_tre_em::domain::assessment::Answer;
use xa_phu_hop_tre_em::domain::scoring::{score, ItemStatus, Verdict};

/// Typed numbers as they come: absent, whole, negative, fractional, huge.
fn typed_number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        (0u32..3000).prop_map(|x| Some(f64::from(x))),
        (-50.0..3000.0f64).prop_map(Some),
        Just(Some(1e15)),
    ]
}

fn any_answer() -> impl Strategy<Value = Answer> {
    (
        any::<Option<bool>>(),
        typed_number(),
        typed_number(),
        typed_number(),
        typed_number(),
    )
        .prop_map(
            |(yes, numerator, denominator, count, manual_points)| Answer {
                yes,
                numerator,
                denominator,
                count,
                manual_points,
                ..Answer::default()
            },
        )
}

const ITEMS: [&str; 8] = ["a.1", "a.2", "b.1", "b.2", "c.1", "c.2", "d.1", "e.1"];

/// Points of one item of the test set for one answer.
fn points(id: &str, answer: Answer) -> u32 {
    let set = test_set();
    let result = score(&set, &assessment(&set, "t850", vec![(id, answer)]));
    let mut items = result.criteria.iter().flat_map(|c| &c.items);
    items.find(|i| i.item_id == id).unwrap().points
}

proptest! {
    #[test]
    fn points_stay_within_each_items_maximum(
        answers in proptest::collection::vec(any_answer(), ITEMS.len()),
        recorded in proptest::option::of(0u32..2000),
    ) {
        let set = test_set();
        let mut a = assessment(&set, "t850", ITEMS.iter().copied().zip(answers).collect());
        if let Some(max) = recorded {
            a.recorded_max.insert("D".to_string(), max);
        }
        let result = score(&set, &a);
        for c in &result.criteria {
            for item in &c.items {
                if let Some(max) = item.max {
                    prop_assert!(item.points <= max, "{} {} > {}", item.item_id, item.points, max);
                }
                if item.status != ItemStatus::Scored {
                    prop_assert_eq!(item.points, 0);
                }
            }
            prop_assert_eq!(c.points, c.items.iter().map(|i| i.points).sum::<u32>());
        }
        prop_assert_eq!(result.total, result.criteria.iter().map(|c| c.points).sum::<u32>());
        if result.verdict == Verdict::Pass {
            prop_assert!(result.reasons.is_empty());
            prop_assert!(result.total >= result.threshold.unwrap());
        }
    }

    #[test]
    fn points_never_fall_as_a_higher_is_better_rate_improves(
        denominator in 1u32..2000,
        a in 0.0..=1.0f64,
        b in 0.0..=1.0f64,
        manual_points in proptest::option::of(0u32..70),
    ) {
        let d = f64::from(denominator);
        let (lo, hi) = ((a.min(b) * d).floor(), (a.max(b) * d).floor());
        for id in ["a.2", "c.1", "c.2"] {
            let answer = |n: f64| Answer {
                manual_points: manual_points.map(f64::from),
                ..ratio(n, d)
            };
            let (worse, better) = (points(id, answer(lo)), points(id, answer(hi)));
            prop_assert!(worse <= better, "{id}: {lo}/{d} → {worse} but {hi}/{d} → {better}");
        }
    }

    #[test]
    fn points_never_rise_as_a_per_population_rate_worsens(
        (n1, d1) in (0u32..100, 1u32..20_000),
        (n2, d2) in (0u32..100, 1u32..20_000),
    ) {
        // Compared exactly, by cross-multiplying, so that float rounding cannot misorder them.
        let first_is_better = u64::from(n1) * u64::from(d2) <= u64::from(n2) * u64::from(d1);
        let (better, worse) =
            if first_is_better { ((n1, d1), (n2, d2)) } else { ((n2, d2), (n1, d1)) };
        let p = |(n, d): (u32, u32)| points("b.1", ratio(f64::from(n), f64::from(d)));
        prop_assert!(p(better) >= p(worse));
    }

    #[test]
    fn counts_never_lose_points_as_they_grow(x in 0u32..10, y in 0u32..10) {
        let (lo, hi) = (x.min(y), x.max(y));
        prop_assert!(points("b.2", counted(f64::from(lo))) <= points("b.2", counted(f64::from(hi))));
    }
}
