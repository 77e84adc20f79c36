//! Moving an assessment to another version of its criteria set, only when the user asks, after
//! seeing every criterion's points and the verdict before and after; recorded in the
//! assessment and undoable. An assessment otherwise keeps its version and its score forever.

use std::collections::BTreeMap;

use crate::domain::assessment::{Answer, Assessment, CriteriaSetRef, SetMove};
use crate::domain::criteria::CriteriaSet;
use crate::domain::scoring::{score, AssessmentScore, Verdict};

/// A criterion's points and maximum under one version; `None` when that version has no such
/// criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Points {
    pub points: u32,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionChange {
    pub id: String,
    /// The name in the new version (in the old one if the new one dropped it).
    pub name: String,
    pub before: Option<Points>,
    pub after: Option<Points>,
}

impl CriterionChange {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// What a move would change, shown before the user decides.
#[derive(Debug, Clone, PartialEq)]
pub struct MovePreview {
    pub criteria: Vec<CriterionChange>,
    pub total: (u32, u32),
    pub threshold: (Option<u32>, Option<u32>),
    pub verdict: (Verdict, Verdict),
    /// Answered items the new version does not have: their answers are set aside in the record.
    pub set_aside: Vec<String>,
    /// Items of the new version without an answer yet.
    pub new_items: Vec<String>,
}

/// The assessment as it would be under `to`, with what it sets aside.
fn moved(a: &Assessment, to: &CriteriaSet) -> (Assessment, SetMoveParts) {
    let mut next = a.clone();
    let has_item = |id: &str| {
        to.criteria
            .iter()
            .flat_map(|c| &c.items)
            .any(|i| i.id == id)
    };
    let has_criterion = |id: &str| to.criteria.iter().any(|c| c.id == id);
    let (kept, aside): (BTreeMap<_, _>, BTreeMap<_, _>) = std::mem::take(&mut next.answers)
        .into_iter()
        .partition(|(id, _)| has_item(id));
    next.answers = kept;
    let (kept, aside_max): (BTreeMap<_, _>, BTreeMap<_, _>) =
        std::mem::take(&mut next.recorded_max)
            .into_iter()
            .partition(|(id, _)| has_criterion(id));
    next.recorded_max = kept;
    (
        next,
        SetMoveParts {
            set_aside: aside,
            set_aside_max: aside_max,
        },
    )
}

struct SetMoveParts {
    set_aside: BTreeMap<String, Answer>,
    set_aside_max: BTreeMap<String, u32>,
}

/// Every criterion's points and the verdict under the assessment's version (`from`) and under
/// `to`.
pub fn preview_move(a: &Assessment, from: &CriteriaSet, to: &CriteriaSet) -> MovePreview {
    let (next, parts) = moved(a, to);
    let (before, after) = (score(from, a), score(to, &next));
    let points = |s: &AssessmentScore, id: &str| {
        s.criteria
            .iter()
            .find(|c| c.criterion_id == id)
            .map(|c| Points {
                points: c.points,
                max: c.max,
            })
    };
    let mut criteria: Vec<CriterionChange> = to
        .criteria
        .iter()
        .map(|c| CriterionChange {
            id: c.id.clone(),
            name: c.name.clone(),
            before: points(&before, &c.id),
            after: points(&after, &c.id),
        })
        .collect();
    criteria.extend(
        from.criteria
            .iter()
            .filter(|c| !to.criteria.iter().any(|n| n.id == c.id))
            .map(|c| CriterionChange {
                id: c.id.clone(),
                name: c.name.clone(),
                before: points(&before, &c.id),
                after: None,
            }),
    );
    let new_items = to
        .criteria
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| !next.answers.contains_key(&i.id))
        .map(|i| i.id.clone())
        .collect();
    MovePreview {
        criteria,
        total: (before.total, after.total),
        threshold: (before.threshold, after.threshold),
        verdict: (before.verdict, after.verdict),
        set_aside: parts.set_aside.into_keys().collect(),
        new_items,
    }
}

/// Moves the assessment to `to` (referenced as `to_ref`), recording the move.
pub fn apply_move(a: &mut Assessment, to: &CriteriaSet, to_ref: CriteriaSetRef, now_ms: f64) {
    let from = a.criteria_set.clone();
    let (mut next, parts) = moved(a, to);
    next.criteria_set = to_ref.clone();
    next.set_moves.push(SetMove {
        from,
        to: to_ref,
        at: now_ms,
        set_aside: parts.set_aside,
        set_aside_max: parts.set_aside_max,
        undo: false,
    });
    *a = next;
}

/// The move that [`undo_move`] would take back: the last one, unless it was itself an undo.
pub fn undoable_move(a: &Assessment) -> Option<&SetMove> {
    a.set_moves.last().filter(|m| {
        !m.undo && m.to.id == a.criteria_set.id && m.to.version == a.criteria_set.version
    })
}

/// Takes back the last move: the assessment returns to `back` (the set of the move's `from`),
/// with the answers that move set aside; answers given since to items `back` lacks are set
/// aside in turn. Recorded as a move of its own. `false` when there is nothing to undo.
pub fn undo_move(a: &mut Assessment, back: &CriteriaSet, now_ms: f64) -> bool {
    let Some(last) = undoable_move(a).cloned() else {
        return false;
    };
    let (mut next, parts) = moved(a, back);
    for (id, answer) in last.set_aside {
        next.answers.entry(id).or_insert(answer);
    }
    for (id, max) in last.set_aside_max {
        next.recorded_max.entry(id).or_insert(max);
    }
    next.criteria_set = last.from.clone();
    next.set_moves.push(SetMove {
        from: last.to,
        to: last.from,
        at: now_ms,
        set_aside: parts.set_aside,
        set_aside_max: parts.set_aside_max,
        undo: true,
    });
    *a = next;
    true
}
