//! One sort for the whole app. Each `slice::sort_by` of another element type or comparator is
//! one more copy of the standard library's sort in the download (0.5–2.5 KB of brotli each,
//! README «Số đo»). Here the standard sort is instantiated once, for positions compared through
//! a pointer: lists are sorted by ordering their positions, then moved into that order (the
//! dashboard's 10,000 rows sort their positions here too). Three hot paths keep their own sort,
//! for the allocation and the indirect calls this one adds: the canonical reader's members,
//! `jcs::canonical_text`, the commune search per keystroke.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts positions (indexes into some list) by `compare`, equal ones keeping their order: the
/// one copy of the standard library's stable sort that every list shares.
pub fn sort_positions(positions: &mut [u32], compare: &dyn Fn(u32, u32) -> Ordering) {
    positions.sort_by(|&a, &b| compare(a, b));
}

/// Sorts `items` by `compare`, equal items keeping their order (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    // The app's lists are far shorter than `u32::MAX`.
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut order, &|a, b| {
        compare(&items[a as usize], &items[b as usize])
    });
    put_in_order(items, &order);
}

/// Sorts `items` by `key`, equal keys keeping their order (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A map of `pairs`, a later pair of the same key replacing an earlier one (as `collect()`
/// does). Inserted one by one: `collect()` into a `BTreeMap` first sorts the pairs, with one
/// more copy of the standard sort for each key and value type.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Puts the item first at `order[k]` at position `k`, by swaps: each cycle of the permutation
/// is walked once, so the time is linear (following earlier moves from each position instead
/// was quadratic for some orders: 47 ms for a dashboard of 10,000 rows at 4× CPU).
fn put_in_order<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !placed[k] {
            placed[k] = true;
            let from = order[k] as usize;
            if from == start {
                break;
            }
            // Position `k` takes its item; the one it held (the cycle's first) moves on to
            // `from`, the next position of the cycle.
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_sort_does() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        let mut expected = items.clone();
        expected.sort_by_key(|p| p.0);
        sort_by_key(&mut items, |p| p.0);
        assert_eq!(items, expected);
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map_of(pairs), pairs.into_iter().collect());
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    /// Native only: proptest does not build for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Any list, any keys with ties: the same order as `slice::sort_by`, stable.
            #[test]
            fn orders_as_the_stable_standard_sort(keys in prop::collection::vec(0u8..8, 0..200)) {
                let mut items: Vec<(u8, usize)> = keys.into_iter().zip(0..).collect();
                let mut expected = items.clone();
                expected.sort_by_key(|p| std::cmp::Reverse(p.0));
                super::super::sort_by(&mut items, |a, b| b.0.cmp(&a.0));
                prop_assert_eq!(items, expected);
            }
        }
    }
}
