//! Scores kept as memos, one per item, one per criterion and one for the total, each reading
//! only what it depends on: an edit rescores its own item, its criterion and the total (which
//! hold the item's rate), and the views around the items read the headline, which changes only
//! when points, the verdict or the progress do. A keystroke in an explanation stops at its item.

use std::sync::Arc;

use leptos::prelude::*;

use super::state_doc::Doc;
use crate::domain::assessment::Answer;
use crate::domain::criteria::CriteriaSet;
use crate::domain::scoring::{
    criterion_from_items, criterion_max, score_from_criteria, score_item_in, AssessmentScore,
    CriterionScore, ItemScore, Verdict,
};

#[derive(Clone)]
pub struct DocScores {
    /// By item id.
    pub items: Vec<(String, Memo<ItemScore>)>,
    /// In set order.
    pub criteria: Vec<Memo<CriterionScore>>,
    /// What the bars around the items show of the total.
    pub headline: Memo<Headline>,
}

/// The total as the summary bar and the list of criteria show it. The total changes with every
/// figure typed (it holds each item's rate); this only when points, the verdict or the progress
/// do, so that the views reading it are not woken by every key.
#[derive(Clone, PartialEq)]
pub struct Headline {
    pub total: u32,
    pub threshold: Option<u32>,
    pub verdict: Verdict,
    pub answered: usize,
    pub item_count: usize,
    /// The criteria at 0 points that refuse recognition on their own.
    pub blocking: Vec<String>,
}

impl Headline {
    fn of(s: &AssessmentScore) -> Headline {
        Headline {
            total: s.total,
            threshold: s.threshold,
            verdict: s.verdict,
            answered: s.answered,
            item_count: s.item_count,
            blocking: s
                .criteria
                .iter()
                .filter(|c| s.is_blocking(&c.criterion_id))
                .map(|c| c.criterion_id.clone())
                .collect(),
        }
    }

    pub fn is_blocking(&self, criterion_id: &str) -> bool {
        self.blocking.iter().any(|c| c == criterion_id)
    }
}

impl DocScores {
    /// The memo of one item (every item of the set has one).
    pub fn item(&self, id: &str) -> Option<Memo<ItemScore>> {
        self.items.iter().find(|(k, _)| k == id).map(|(_, m)| *m)
    }

    /// The memos of one assessment against its set, owned by the calling screen.
    pub fn new(doc: &Doc, set: Arc<CriteriaSet>) -> DocScores {
        let mut items = Vec::new();
        let mut criteria = Vec::with_capacity(set.criteria.len());
        for (index, criterion) in set.criteria.iter().enumerate() {
            let (d, s) = (doc.clone(), set.clone());
            let max = Memo::new(move |_| {
                let c = &s.criteria[index];
                criterion_max(c, d.info().with(|a| a.recorded_max.get(&c.id).copied()))
            });
            let item_memos: Vec<Memo<ItemScore>> = criterion
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let (s, answer) = (set.clone(), doc.answer(&item.id));
                    let memo = Memo::new(move |_| {
                        let c = &s.criteria[index];
                        let default = Answer::default();
                        answer.with(|a| {
                            score_item_in(c, &c.items[i], a.as_ref().unwrap_or(&default), max.get())
                        })
                    });
                    items.push((item.id.clone(), memo));
                    memo
                })
                .collect();
            let s = set.clone();
            criteria.push(Memo::new(move |_| {
                let scored = item_memos.iter().map(|m| m.get()).collect();
                criterion_from_items(&s.criteria[index], max.get(), scored)
            }));
        }
        let d = doc.clone();
        let category = Memo::new(move |_| d.info().with(|a| a.unit_category.clone()));
        let all = criteria.clone();
        let total = Memo::new(move |_| {
            let scored = all.iter().map(|m| m.get()).collect();
            category.with(|c| score_from_criteria(&set, c, scored))
        });
        DocScores {
            items,
            criteria,
            headline: Memo::new(move |_| total.with(Headline::of)),
        }
    }
}
