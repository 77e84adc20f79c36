//! The list of assessments on Home, at any size: a search that ignores diacritics and a page of
//! a fixed size, so that a browser holding thousands of assessments (a province officer who
//! imported every commune's file on Home) draws a few cards, not thousands.

use serde::Deserialize;

use super::assessment::{Assessment, CommuneRef, CriteriaSetRef};
use super::text::search_key;

/// Cards drawn at once.
pub const PAGE_SIZE: usize = 20;

/// The members of an assessment its stored summary keeps (see `doc_store::Summaries`): what
/// the list needs before the assessments are read whole.
pub const SUMMARY_MEMBERS: &[&str] = &["id", "year", "commune", "criteria_set"];

/// An assessment as its summary tells it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Listed {
    pub id: String,
    pub year: u16,
    pub commune: CommuneRef,
    pub criteria_set: CriteriaSetRef,
}

impl Listed {
    pub fn search_text(&self) -> String {
        search_text_of(&self.commune, self.year)
    }
}

/// What a search compares: the unit's name, its province, its code and the year.
pub fn search_text(a: &Assessment) -> String {
    search_text_of(&a.commune, a.year)
}

fn search_text_of(commune: &CommuneRef, year: u16) -> String {
    search_key(&format!(
        "{} {} {} {}",
        commune.name, commune.province_name, commune.code, year
    ))
}

/// Positions in `keys` (each a [`search_text`]) that match `query`, in order. Every word of the
/// query must occur, in any order: "hoan kiem 2025" and "2025 hoàn kiếm" find the same.
pub fn matching(keys: &[String], query: &str) -> Vec<usize> {
    let query = search_key(query);
    let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
    keys.iter()
        .enumerate()
        .filter(|(_, key)| words.iter().all(|w| key.contains(w)))
        .map(|(i, _)| i)
        .collect()
}

/// One page of a list of `total` entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// From 0, within `0..count` (0 for an empty list).
    pub index: usize,
    /// Pages in all; at least 1.
    pub count: usize,
    /// The entries of the page: `start..end`.
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Page {
    /// Page `index` (clamped to the last) of `total` entries, `size` per page (at least 1).
    pub fn of(total: usize, index: usize, size: usize) -> Page {
        let size = size.max(1);
        let count = total.div_ceil(size).max(1);
        let index = index.min(count - 1);
        let start = (index * size).min(total);
        Page {
            index,
            count,
            start,
            end: (start + size).min(total),
            total,
        }
    }

    pub fn has_previous(&self) -> bool {
        self.index > 0
    }

    pub fn has_next(&self) -> bool {
        self.index + 1 < self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        assert_eq!(
            Page::of(0, 3, 20),
            Page {
                index: 0,
                count: 1,
                start: 0,
                end: 0,
                total: 0
            }
        );
        let p = Page::of(5000, 0, 20);
        assert_eq!((p.count, p.start, p.end), (250, 0, 20));
        assert!(!p.has_previous() && p.has_next());
        let last = Page::of(5001, 999, 20);
        assert_eq!((last.index, last.start, last.end), (250, 5000, 5001));
        assert!(last.has_previous() && !last.has_next());
        assert_eq!(Page::of(40, 1, 20).end, 40);
        assert_eq!(Page::of(3, 0, 0).count, 3);
    }

    #[test]
    fn search_ignores_diacritics_case_and_word_order() {
        let keys: Vec<String> = [
            "Phường Hoàn Kiếm Thành phố Hà Nội 00070 2025",
            "Xã Phú Mỹ Gia Lai 21610 2025",
            "Phường Hoàn Kiếm Thành phố Hà Nội 00070 2026",
        ]
        .iter()
        .map(|s| search_key(s))
        .collect();
        assert_eq!(matching(&keys, ""), [0, 1, 2]);
        assert_eq!(matching(&keys, "hoan kiem"), [0, 2]);
        assert_eq!(matching(&keys, "2026 HOÀN"), [2]);
        assert_eq!(matching(&keys, "phu my"), [1]);
        assert_eq!(matching(&keys, "00070"), [0, 2]);
        assert!(matching(&keys, "đà nẵng").is_empty());
    }
}
