//! Running a set's worked examples ("ví dụ kiểm tra"): each example's inputs are scored by the
//! same engine the assessors use, and every expected figure that differs is reported with the
//! difference, in Vietnamese.

use std::fmt;

use crate::domain::assessment::{Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef};
use crate::domain::criteria::{CriteriaSet, Example, ExampleInput, ExpectedItem, ItemOutcome};
use crate::domain::scoring::{score, ItemStatus};

/// The outcome of one example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleRun {
    /// 1-based position in the set's list.
    pub position: usize,
    pub name: String,
    pub mismatches: Vec<Mismatch>,
}

impl ExampleRun {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// What an expectation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Item(String),
    Criterion(String),
    Total,
    Verdict { unit_category: String },
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Item(id) => write!(f, "Mục {id}"),
            Subject::Criterion(id) => write!(f, "Tiêu chí {id}"),
            Subject::Total => write!(f, "Tổng điểm"),
            Subject::Verdict { unit_category } => {
                write!(f, "Kết quả với loại đơn vị «{unit_category}»")
            }
        }
    }
}

/// One expected figure the set does not give.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub subject: Subject,
    /// Both in Vietnamese ("50 điểm", "Đạt", "không có trong bộ tiêu chí").
    pub expected: String,
    pub actual: String,
    /// Actual minus expected, when both are points.
    pub difference: Option<i64>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: mong đợi {}, tính được {}",
            self.subject, self.expected, self.actual
        )?;
        match self.difference {
            Some(d) if d > 0 => write!(f, " (chênh +{d} điểm)"),
            Some(d) if d < 0 => write!(f, " (chênh −{} điểm)", d.unsigned_abs()),
            _ => Ok(()),
        }
    }
}

/// Runs every example of the set, in order.
pub fn run_examples(set: &CriteriaSet) -> Vec<ExampleRun> {
    set.examples
        .iter()
        .enumerate()
        .map(|(i, example)| ExampleRun {
            position: i + 1,
            name: example.name.clone(),
            mismatches: run_example(set, example),
        })
        .collect()
}

/// Every expected figure of one example that the set does not give.
pub fn run_example(set: &CriteriaSet, example: &Example) -> Vec<Mismatch> {
    let mut assessment = example_assessment(set, example);
    let scored = score(set, &assessment);
    let mut out = Vec::new();
    for (item_id, expected) in &example.expected.items {
        let actual = scored
            .criteria
            .iter()
            .flat_map(|c| &c.items)
            .find(|i| &i.item_id == item_id);
        let subject = Subject::Item(item_id.clone());
        match actual {
            None => out.push(not_in_set(subject)),
            Some(actual) => {
                let actual = outcome_of(&actual.status, actual.points);
                if actual != *expected {
                    out.push(Mismatch {
                        subject,
                        expected: item_text(*expected),
                        actual: item_text(actual),
                        difference: points_difference(*expected, actual),
                    });
                }
            }
        }
    }
    for (criterion_id, &expected) in &example.expected.criteria {
        let subject = Subject::Criterion(criterion_id.clone());
        match scored
            .criteria
            .iter()
            .find(|c| &c.criterion_id == criterion_id)
        {
            None => out.push(not_in_set(subject)),
            Some(c) => out.extend(points_mismatch(subject, expected, c.points)),
        }
    }
    if let Some(expected) = example.expected.total {
        out.extend(points_mismatch(Subject::Total, expected, scored.total));
    }
    for (category, &expected) in &example.expected.verdicts {
        let subject = Subject::Verdict {
            unit_category: category.clone(),
        };
        if !set.unit_categories.iter().any(|u| &u.id == category) {
            out.push(not_in_set(subject));
            continue;
        }
        assessment.unit_category = category.clone();
        let verdict = score(set, &assessment).verdict;
        if verdict != expected {
            out.push(Mismatch {
                subject,
                expected: expected.label_vi().to_string(),
                actual: verdict.label_vi().to_string(),
                difference: None,
            });
        }
    }
    out
}

fn not_in_set(subject: Subject) -> Mismatch {
    Mismatch {
        subject,
        expected: "có trong bộ tiêu chí".into(),
        actual: "không có trong bộ tiêu chí".into(),
        difference: None,
    }
}

fn points_mismatch(subject: Subject, expected: u32, actual: u32) -> Option<Mismatch> {
    (expected != actual).then(|| Mismatch {
        subject,
        expected: format!("{expected} điểm"),
        actual: format!("{actual} điểm"),
        difference: Some(i64::from(actual) - i64::from(expected)),
    })
}

fn points_difference(expected: ExpectedItem, actual: ExpectedItem) -> Option<i64> {
    match (expected, actual) {
        (ExpectedItem::Points(e), ExpectedItem::Points(a)) => Some(i64::from(a) - i64::from(e)),
        _ => None,
    }
}

/// An item's score in the terms an example uses.
fn outcome_of(status: &ItemStatus, points: u32) -> ExpectedItem {
    match status {
        ItemStatus::Scored => ExpectedItem::Points(points),
        ItemStatus::NotApplicable => ExpectedItem::Outcome(ItemOutcome::NotApplicable),
        ItemStatus::NeedsManualPoints { .. } => {
            ExpectedItem::Outcome(ItemOutcome::NeedsManualPoints)
        }
        ItemStatus::Missing { .. } => ExpectedItem::Outcome(ItemOutcome::Missing),
        ItemStatus::Invalid { .. } => ExpectedItem::Outcome(ItemOutcome::Invalid),
    }
}

/// "50 điểm", "không áp dụng" …
pub fn item_text(item: ExpectedItem) -> String {
    match item {
        ExpectedItem::Points(p) => format!("{p} điểm"),
        ExpectedItem::Outcome(outcome) => outcome.label_vi().to_string(),
    }
}

impl ItemOutcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            ItemOutcome::NotApplicable => "không áp dụng",
            ItemOutcome::NeedsManualPoints => "người đánh giá phải nhập điểm",
            ItemOutcome::Missing => "còn thiếu dữ liệu",
            ItemOutcome::Invalid => "dữ liệu không hợp lệ",
        }
    }
}

/// An assessment of `set` with nothing answered, of its first unit category: where an
/// example or a preview starts.
pub fn blank_assessment(set: &CriteriaSet) -> Assessment {
    Assessment {
        id: "vi-du".into(),
        criteria_set: CriteriaSetRef {
            id: set.id.clone(),
            version: set.version.clone(),
            hash: None,
        },
        commune: CommuneRef {
            code: String::new(),
            name: String::new(),
            province_code: String::new(),
            province_name: String::new(),
        },
        unit_category: set
            .unit_categories
            .first()
            .map(|u| u.id.clone())
            .unwrap_or_default(),
        year: 0,
        assessor: Assessor::default(),
        answers: Default::default(),
        recorded_max: Default::default(),
        created_at: 0.0,
        updated_at: 0.0,
        set_moves: Vec::new(),
    }
}

/// The assessment an example describes; its unit category is the first the example names, or
/// the set's first (points do not depend on it).
pub fn example_assessment(set: &CriteriaSet, example: &Example) -> Assessment {
    let mut assessment = blank_assessment(set);
    if let Some(category) = example.expected.verdicts.keys().next() {
        assessment.unit_category = category.clone();
    }
    assessment.answers = example
        .inputs
        .iter()
        .map(|(id, input)| (id.clone(), answer_of(input)))
        .collect();
    assessment.recorded_max = example.recorded_max.clone();
    assessment
}

fn answer_of(input: &ExampleInput) -> Answer {
    Answer {
        yes: input.yes,
        numerator: input.numerator,
        denominator: input.denominator,
        count: input.count,
        manual_points: input.manual_points,
        ..Answer::default()
    }
}
