//! Scores kept as memos, one per item, one per criterion and one for the total, each reading
//! only what it depends on: an edit rescores its own item, and goes further only when that
//! item's points or status changed. A keystroke in an explanation stops at its item.

use std::sync::Arc;

use leptos::prelude::*;

use super::state_doc::Doc;
use crate::domain::assessment::Answer;
use crate::domain::criteria::CriteriaSet;
use crate::domain::scoring::{
    criterion_from_items, criterion_max, score_from_criteria, score_item_in, AssessmentScore,
    CriterionScore, ItemScore,
};

#[derive(Clone)]
pub struct DocScores {
    /// By item id.
    pub items: Vec<(String, Memo<ItemScore>)>,
    /// In set order.
    pub criteria: Vec<Memo<CriterionScore>>,
    pub total: Memo<AssessmentScore>,
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
            total,
        }
    }
}
