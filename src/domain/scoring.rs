//! The scoring engine: answers → item points → criterion totals → grand total → verdict → gaps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::assessment::{Answer, Assessment};
use crate::domain::criteria::{
    BelowBands, CriteriaSet, Criterion, Item, MaxBand, MinBand, Rule, ZeroDenominator,
};

impl Rule {
    /// The most an item with this rule can earn, or `None` when the rule does not say
    /// (a manual item without a maximum, or a rule whose band list is empty).
    pub fn max_points(&self) -> Option<u32> {
        match self {
            Rule::YesNo { points } => Some(*points),
            Rule::Rate { bands, .. } | Rule::Count { bands, .. } | Rule::Survey { bands, .. } => {
                bands.iter().map(|b| b.points).max()
            }
            Rule::PerPopulation { bands, .. } => bands.iter().map(|b| b.points).max(),
            Rule::Manual { max } => *max,
        }
    }
}

/// Scores one assessment against a criteria set.
///
/// Pure and total: any input, however inconsistent, yields a score whose statuses and reasons
/// say what is wrong; nothing is clamped or guessed.
pub fn score(set: &CriteriaSet, assessment: &Assessment) -> AssessmentScore {
    let default = Answer::default();
    let criteria: Vec<CriterionScore> = set
        .criteria
        .iter()
        .map(|c| {
            let max = criterion_max(c, assessment.recorded_max.get(&c.id).copied());
            let items = c
                .items
                .iter()
                .map(|item| {
                    let answer = assessment.answers.get(&item.id).unwrap_or(&default);
                    score_item_in(c, item, answer, max)
                })
                .collect();
            criterion_from_items(c, max, items)
        })
        .collect();
    score_from_criteria(set, &assessment.unit_category, criteria)
}

/// The grand total, threshold, verdict and gaps from every criterion's score (in set order):
/// the last step of [`score`], on its own so that a screen can keep one score per criterion and
/// redo only what an edit touched.
pub fn score_from_criteria(
    set: &CriteriaSet,
    unit_category: &str,
    criteria: Vec<CriterionScore>,
) -> AssessmentScore {
    let total = saturating_sum(criteria.iter().map(|c| c.points));
    let threshold = set
        .unit_categories
        .iter()
        .find(|u| u.id == unit_category)
        .map(|u| u.min_total);
    let reasons = reasons(set, unit_category, &criteria, total, threshold);
    let verdict = verdict(&reasons);
    let items = || criteria.iter().flat_map(|c| c.items.iter());
    let answered = items().filter(|i| is_settled(&i.status)).count();
    let item_count = items().count();
    let gaps = gaps(&criteria, &reasons);
    AssessmentScore {
        criteria,
        total,
        threshold,
        verdict,
        reasons,
        answered,
        item_count,
        gaps,
    }
}

/// Sums points without overflow: absurd manual points on an unbounded item, or an
/// unvalidated set, must not panic the UI.
fn saturating_sum(points: impl Iterator<Item = u32>) -> u32 {
    points.fold(0, u32::saturating_add)
}

/// Scored and not-applicable items need nothing more from the assessor.
fn is_settled(status: &ItemStatus) -> bool {
    matches!(status, ItemStatus::Scored | ItemStatus::NotApplicable)
}

/// A criterion's maximum: the set's, or else the one the assessor recorded from the official
/// table (the set's wins; the recorded one only fills a gap the set admits to).
pub fn criterion_max(criterion: &Criterion, recorded: Option<u32>) -> Option<u32> {
    criterion.max_points.or(recorded)
}

/// One item of `criterion`, whose maximum is `criterion_max` (see [`criterion_max`]).
pub fn score_item_in(
    criterion: &Criterion,
    item: &Item,
    answer: &Answer,
    criterion_max: Option<u32>,
) -> ItemScore {
    score_item(item, answer, manual_bound(criterion, item, criterion_max))
}

/// A criterion's score from its items' scores (in set order).
pub fn criterion_from_items(
    criterion: &Criterion,
    max: Option<u32>,
    items: Vec<ItemScore>,
) -> CriterionScore {
    let points = saturating_sum(items.iter().map(|i| i.points));
    // Items that do not apply count toward neither points nor maximum.
    let not_applicable = saturating_sum(
        items
            .iter()
            .filter(|i| i.status == ItemStatus::NotApplicable)
            .filter_map(|i| i.max),
    );
    let applicable_max = max.map(|m| m.saturating_sub(not_applicable));
    let percent = applicable_max
        .filter(|&m| m > 0)
        .map(|m| f64::from(points) * 100.0 / f64::from(m));
    let complete = items.iter().all(|i| is_settled(&i.status));
    CriterionScore {
        criterion_id: criterion.id.clone(),
        points,
        max,
        applicable_max,
        percent,
        items,
        complete,
    }
}

/// The ceiling for a manual item whose own maximum is unknown: what the criterion maximum
/// leaves after the other items' known maxima. `None` while the criterion maximum is unknown.
fn manual_bound(criterion: &Criterion, item: &Item, criterion_max: Option<u32>) -> Option<u32> {
    let others = saturating_sum(
        criterion
            .items
            .iter()
            .filter(|other| other.id != item.id)
            .filter_map(|other| other.rule.max_points()),
    );
    criterion_max.map(|m| m.saturating_sub(others))
}

/// What a rule produced, before the item's identity and maximum are attached.
struct Outcome {
    status: ItemStatus,
    value: Option<f64>,
    band: Option<usize>,
    points: u32,
}

impl Outcome {
    fn scored(points: u32, band: Option<usize>) -> Self {
        Outcome {
            status: ItemStatus::Scored,
            value: None,
            band,
            points,
        }
    }

    fn unscored(status: ItemStatus) -> Self {
        Outcome {
            status,
            value: None,
            band: None,
            points: 0,
        }
    }

    fn invalid(message: String) -> Self {
        Self::unscored(ItemStatus::Invalid { message })
    }

    fn missing(needs: String) -> Self {
        Self::unscored(ItemStatus::Missing { needs })
    }

    /// Keeps the computed value visible whatever the outcome, to help the assessor.
    fn with_value(mut self, value: f64) -> Self {
        self.value = Some(value);
        self
    }
}

/// `fallback_max` bounds a manual item that has no maximum of its own.
fn score_item(item: &Item, answer: &Answer, fallback_max: Option<u32>) -> ItemScore {
    let max = item.rule.max_points().or(match item.rule {
        Rule::Manual { .. } => fallback_max,
        _ => None,
    });
    let outcome = match &item.rule {
        Rule::YesNo { points } => yes_no(*points, answer),
        Rule::Rate {
            numerator_label,
            denominator_label,
            bands,
            below,
            zero_denominator,
        } => {
            let labels = Labels {
                numerator: numerator_label,
                denominator: denominator_label,
            };
            percentage(&labels, answer, max, *zero_denominator, bands, *below)
        }
        Rule::Survey {
            bands,
            below,
            zero_denominator,
        } => {
            let (numerator, denominator) = item.rule.ratio_labels().unwrap_or_default();
            let labels = Labels {
                numerator,
                denominator,
            };
            percentage(&labels, answer, max, *zero_denominator, bands, *below)
        }
        Rule::PerPopulation {
            numerator_label,
            denominator_label,
            per,
            bands,
            zero_denominator,
        } => {
            let labels = Labels {
                numerator: numerator_label,
                denominator: denominator_label,
            };
            per_population(&labels, *per, answer, max, *zero_denominator, bands)
        }
        Rule::Count {
            label,
            bands,
            below,
        } => count(label, answer, max, bands, *below),
        Rule::Manual { .. } => match answer.manual_points {
            None => Outcome::missing("Điểm do người đánh giá nhập".to_string()),
            Some(p) => manual_points(p, Ceiling::ItemMax(max)),
        },
    };
    ItemScore {
        item_id: item.id.clone(),
        status: outcome.status,
        value: outcome.value,
        band: outcome.band,
        points: outcome.points,
        max,
    }
}

fn yes_no(points: u32, answer: &Answer) -> Outcome {
    match answer.yes {
        Some(true) => Outcome::scored(points, None),
        Some(false) => Outcome::scored(0, None),
        None => Outcome::missing("Trả lời Có / Không".to_string()),
    }
}

/// The names of a ratio's two inputs, as the assessor sees them.
struct Labels<'a> {
    numerator: &'a str,
    denominator: &'a str,
}

/// Rate and survey rules: a share in %, higher is better.
fn percentage(
    labels: &Labels,
    answer: &Answer,
    max: Option<u32>,
    zero: ZeroDenominator,
    bands: &[MinBand],
    below: BelowBands,
) -> Outcome {
    let (n, d) = match ratio_inputs(labels, answer) {
        Ok(inputs) => inputs,
        Err(outcome) => return outcome,
    };
    // A share cannot exceed its whole; saying so beats silently capping at 100%.
    if n > d {
        return Outcome::invalid(format!(
            "{} ({}) lớn hơn {} ({})",
            labels.numerator,
            fmt_num(n),
            labels.denominator,
            fmt_num(d)
        ));
    }
    if d == 0.0 {
        return zero_denominator(zero, answer, max);
    }
    // Multiply first: with whole inputs this gives the correctly rounded share, so a rate of
    // exactly 95% compares equal to a 95 band.
    let value = n * 100.0 / d;
    min_band(bands, below, value, answer, max).with_value(value)
}

/// Per-population rules (tỷ suất): cases per `per` children, lower is better.
fn per_population(
    labels: &Labels,
    per: u32,
    answer: &Answer,
    max: Option<u32>,
    zero: ZeroDenominator,
    bands: &[MaxBand],
) -> Outcome {
    let (n, d) = match ratio_inputs(labels, answer) {
        Ok(inputs) => inputs,
        Err(outcome) => return outcome,
    };
    if d == 0.0 {
        if n > 0.0 {
            return Outcome::invalid(format!(
                "{} là {} nhưng {} bằng 0",
                labels.numerator,
                fmt_num(n),
                labels.denominator
            ));
        }
        return zero_denominator(zero, answer, max);
    }
    let value = n * f64::from(per) / d;
    // Above the last band the rate is too high to earn anything.
    let outcome = match bands.iter().position(|b| value <= b.max) {
        Some(i) => Outcome::scored(bands[i].points, Some(i)),
        None => Outcome::scored(0, None),
    };
    outcome.with_value(value)
}

fn count(
    label: &str,
    answer: &Answer,
    max: Option<u32>,
    bands: &[MinBand],
    below: BelowBands,
) -> Outcome {
    let Some(raw) = answer.count else {
        return Outcome::missing(label.to_string());
    };
    match whole_number(label, raw) {
        Ok(c) => min_band(bands, below, c, answer, max).with_value(c),
        Err(message) => Outcome::invalid(message),
    }
}

/// Both inputs of a ratio, present and whole, or the outcome explaining what is wrong.
fn ratio_inputs(labels: &Labels, answer: &Answer) -> Result<(f64, f64), Outcome> {
    let (n, d) = match (answer.numerator, answer.denominator) {
        (Some(n), Some(d)) => (n, d),
        (n, d) => {
            let needs: Vec<&str> = [(n, labels.numerator), (d, labels.denominator)]
                .into_iter()
                .filter(|(v, _)| v.is_none())
                .map(|(_, label)| label)
                .collect();
            return Err(Outcome::missing(needs.join("; ")));
        }
    };
    let n = whole_number(labels.numerator, n).map_err(Outcome::invalid)?;
    let d = whole_number(labels.denominator, d).map_err(Outcome::invalid)?;
    Ok((n, d))
}

/// Counts of children, cases or people are whole and non-negative.
fn whole_number(label: &str, x: f64) -> Result<f64, String> {
    if !x.is_finite() {
        Err(format!("{label}: không phải là số hợp lệ"))
    } else if x < 0.0 {
        Err(format!("{label} không được âm ({})", fmt_num(x)))
    } else if x.fract() != 0.0 {
        Err(format!("{label} phải là số nguyên ({})", fmt_num(x)))
    } else {
        Ok(x)
    }
}

/// Higher-is-better bands: the highest band reached applies.
fn min_band(
    bands: &[MinBand],
    below: BelowBands,
    value: f64,
    answer: &Answer,
    max: Option<u32>,
) -> Outcome {
    match bands.iter().rposition(|b| value >= b.min) {
        Some(i) => Outcome::scored(bands[i].points, Some(i)),
        None => match below {
            BelowBands::ZeroPoints => Outcome::scored(0, None),
            BelowBands::Manual => {
                // Official tables never give more below a band than at it, so the assessor's
                // points stop at the lowest known band's; this keeps points monotonic.
                let ceiling = bands
                    .iter()
                    .map(|b| b.points)
                    .min()
                    .map_or(Ceiling::ItemMax(max), Ceiling::LowestBand);
                fallback_to_assessor(
                    answer,
                    ceiling,
                    "Dưới mức thấp nhất đã biết; các mức điểm thấp hơn chưa đối chiếu văn bản \
                     gốc, người đánh giá nhập điểm theo bảng điểm chính thức",
                )
            }
        },
    }
}

fn zero_denominator(zero: ZeroDenominator, answer: &Answer, max: Option<u32>) -> Outcome {
    match zero {
        ZeroDenominator::NotApplicable => Outcome::unscored(ItemStatus::NotApplicable),
        ZeroDenominator::FullPoints => Outcome::scored(max.unwrap_or(0), None),
        ZeroDenominator::ZeroPoints => Outcome::scored(0, None),
        ZeroDenominator::Manual => fallback_to_assessor(
            answer,
            Ceiling::ItemMax(max),
            "Mẫu số bằng 0; cách chấm trường hợp này chưa đối chiếu văn bản gốc, \
             người đánh giá nhập điểm theo bảng điểm chính thức",
        ),
    }
}

/// Where the encoded rule stops, the assessor's points are used if entered.
fn fallback_to_assessor(answer: &Answer, ceiling: Ceiling, reason: &str) -> Outcome {
    match answer.manual_points {
        Some(p) => manual_points(p, ceiling),
        None => Outcome::unscored(ItemStatus::NeedsManualPoints {
            reason: reason.to_string(),
        }),
    }
}

/// The most the assessor may enter, and why, for the message when exceeded.
#[derive(Clone, Copy)]
enum Ceiling {
    /// The item's maximum (or what the criterion leaves for it); `None` while unknown.
    ItemMax(Option<u32>),
    /// Below the lowest known band, no more than that band earns.
    LowestBand(u32),
}

/// Points typed by the assessor: whole, non-negative, within the ceiling when known.
fn manual_points(p: f64, ceiling: Ceiling) -> Outcome {
    const LABEL: &str = "Điểm nhập";
    let p = match whole_number(LABEL, p) {
        Ok(p) => p,
        Err(message) => return Outcome::invalid(message),
    };
    let limit = match ceiling {
        Ceiling::ItemMax(max) => max,
        Ceiling::LowestBand(points) => Some(points),
    };
    if p > limit.map_or(f64::from(u32::MAX), f64::from) {
        let p = fmt_num(p);
        return Outcome::invalid(match ceiling {
            Ceiling::ItemMax(Some(m)) => format!("{LABEL} ({p}) vượt mức tối đa {m} điểm của mục"),
            Ceiling::ItemMax(None) => format!("{LABEL} ({p}) quá lớn"),
            Ceiling::LowestBand(m) => format!(
                "{LABEL} ({p}) vượt quá {m} điểm của ngưỡng thấp nhất đã biết (chưa tới ngưỡng \
                 thì không thể được nhiều điểm hơn)"
            ),
        });
    }
    // In range and whole, so the conversion is exact.
    Outcome::scored(p as u32, None)
}

/// Vietnamese decimal comma.
fn fmt_num(x: f64) -> String {
    x.to_string().replace('.', ",")
}

fn reasons(
    set: &CriteriaSet,
    unit_category: &str,
    criteria: &[CriterionScore],
    total: u32,
    threshold: Option<u32>,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if threshold.is_none() {
        reasons.push(Reason::UnknownUnitCategory {
            id: unit_category.to_string(),
        });
    }
    let (missing, invalid) = unfinished_items(set, criteria);
    if !invalid.is_empty() {
        reasons.push(Reason::InvalidInputs { item_ids: invalid });
    }
    if !missing.is_empty() {
        reasons.push(Reason::MissingInputs { item_ids: missing });
    }
    // Reported even while incomplete, so the assessor sees early where the unit stands. A
    // criterion with nothing scored yet is not "at 0": it is missing, reported above.
    if set.pass_rule.no_zero_criterion {
        let zero = criteria
            .iter()
            .filter(|c| c.points == 0 && c.items.iter().any(|i| i.status == ItemStatus::Scored));
        reasons.extend(zero.map(|c| Reason::ZeroCriterion {
            criterion_id: c.criterion_id.clone(),
        }));
    }
    if let Some(threshold) = threshold.filter(|&t| total < t) {
        reasons.push(Reason::BelowThreshold {
            total,
            threshold,
            short_by: threshold - total,
        });
    }
    reasons
}

/// Item ids still missing input and item ids with invalid input, in set order. When the set
/// does not require every criterion, a criterion left wholly untouched is not missing.
fn unfinished_items(set: &CriteriaSet, criteria: &[CriterionScore]) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    for c in criteria {
        let untouched = c.items.iter().all(|i| {
            matches!(
                i.status,
                ItemStatus::Missing { .. } | ItemStatus::NeedsManualPoints { .. }
            )
        });
        let required = set.pass_rule.all_criteria_required || !untouched;
        for item in &c.items {
            match item.status {
                ItemStatus::Missing { .. } | ItemStatus::NeedsManualPoints { .. } if required => {
                    missing.push(item.item_id.clone())
                }
                ItemStatus::Invalid { .. } => invalid.push(item.item_id.clone()),
                _ => {}
            }
        }
    }
    (missing, invalid)
}

/// Lacking data outranks failing: a verdict of "Chưa đạt" must rest on complete input.
fn verdict(reasons: &[Reason]) -> Verdict {
    let incomplete = reasons.iter().any(|r| {
        matches!(
            r,
            Reason::MissingInputs { .. }
                | Reason::InvalidInputs { .. }
                | Reason::UnknownUnitCategory { .. }
        )
    });
    if incomplete {
        Verdict::Incomplete
    } else if reasons.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    }
}

/// Items where points can still be gained: first those of a criterion at 0 points (one such
/// criterion alone refuses recognition), then the rest; in each group largest gains first and
/// items of unknown maximum last (in set order), as nothing says what they could bring.
fn gaps(criteria: &[CriterionScore], reasons: &[Reason]) -> Vec<Gap> {
    let blocking = |id: &str| is_zero_criterion(reasons, id);
    let mut gaps: Vec<Gap> = criteria
        .iter()
        .flat_map(|c| {
            c.items
                .iter()
                .filter(|i| i.status != ItemStatus::NotApplicable)
                .map(|i| Gap {
                    criterion_id: c.criterion_id.clone(),
                    item_id: i.item_id.clone(),
                    gainable: i.max.map(|m| m.saturating_sub(i.points)),
                })
        })
        .filter(|g| g.gainable != Some(0))
        .collect();
    // Stable sort keeps set order among equal gains.
    super::sorting::sort_by_key(&mut gaps, |g| {
        let group = !blocking(&g.criterion_id);
        match g.gainable {
            Some(points) => (group, 0, std::cmp::Reverse(points)),
            None => (group, 1, std::cmp::Reverse(0)),
        }
    });
    gaps
}

fn is_zero_criterion(reasons: &[Reason], criterion_id: &str) -> bool {
    reasons
        .iter()
        .any(|r| matches!(r, Reason::ZeroCriterion { criterion_id: id } if id == criterion_id))
}

impl AssessmentScore {
    /// Whether the criterion is at 0 points under a pass rule that then refuses recognition,
    /// whatever the total: what every screen must flag, never show as done.
    pub fn is_blocking(&self, criterion_id: &str) -> bool {
        is_zero_criterion(&self.reasons, criterion_id)
    }
}

impl Verdict {
    pub fn label_vi(&self) -> &'static str {
        match self {
            Verdict::Pass => "Đạt",
            Verdict::Fail => "Chưa đạt",
            Verdict::Incomplete => "Chưa đủ dữ liệu",
        }
    }
}

impl Reason {
    /// One sentence for the assessor; `set` supplies criterion names.
    pub fn message_vi(&self, set: &CriteriaSet) -> String {
        match self {
            Reason::ZeroCriterion { criterion_id } => {
                format!("{} đang 0 điểm", criterion_label(set, criterion_id))
            }
            Reason::BelowThreshold {
                total,
                threshold,
                short_by,
            } => format!(
                "Còn thiếu {short_by} điểm so với ngưỡng {threshold} (tổng hiện tại {total} điểm)"
            ),
            Reason::MissingInputs { item_ids } => {
                format!(
                    "Còn thiếu dữ liệu ở {} mục: {}",
                    item_ids.len(),
                    item_ids.join(", ")
                )
            }
            Reason::InvalidInputs { item_ids } => {
                format!(
                    "Dữ liệu không hợp lệ ở {} mục: {}",
                    item_ids.len(),
                    item_ids.join(", ")
                )
            }
            Reason::UnknownUnitCategory { id } => {
                format!("Loại đơn vị \"{id}\" không có trong bộ tiêu chí; hãy chọn lại loại đơn vị")
            }
        }
    }
}

/// "Tiêu chí 3 (Trẻ em bị xâm hại)", or just "Tiêu chí 3" if the set does not know the id.
fn criterion_label(set: &CriteriaSet, id: &str) -> String {
    match set.criteria.iter().find(|c| c.id == id) {
        Some(c) => format!("Tiêu chí {id} ({})", c.name),
        None => format!("Tiêu chí {id}"),
    }
}

/// The outcome for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    pub item_id: String,
    pub status: ItemStatus,
    /// The computed rate (%), or rate per N for per-population rules, when inputs allow.
    pub value: Option<f64>,
    /// Index of the band that applied, in the rule's band list.
    pub band: Option<usize>,
    /// Points earned (0 unless `status` is `Scored`).
    pub points: u32,
    /// The item's maximum, when known.
    pub max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemStatus {
    Scored,
    /// Zero denominator on a not-applicable item.
    NotApplicable,
    /// Inputs still missing; `needs` says which (Vietnamese, for display).
    Missing {
        needs: String,
    },
    /// The rule falls back to the assessor (unknown lower bands, unknown zero-denominator rule)
    /// and no manual points were entered yet.
    NeedsManualPoints {
        reason: String,
    },
    /// Inconsistent input; Vietnamese message.
    Invalid {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    pub criterion_id: String,
    pub points: u32,
    /// The set's maximum, or the one the assessor recorded; `None` while unknown.
    pub max: Option<u32>,
    /// `max` less the maxima of items that do not apply (zero denominator, not applicable).
    pub applicable_max: Option<u32>,
    /// Points as % of `applicable_max`; `None` while the maximum is unknown (or nothing applies).
    pub percent: Option<f64>,
    pub items: Vec<ItemScore>,
    /// Every applicable item is scored.
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Đạt.
    Pass,
    /// Chưa đạt.
    Fail,
    /// Chưa đủ dữ liệu.
    Incomplete,
}

/// One reason behind the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    ZeroCriterion {
        criterion_id: String,
    },
    BelowThreshold {
        total: u32,
        threshold: u32,
        short_by: u32,
    },
    MissingInputs {
        item_ids: Vec<String>,
    },
    InvalidInputs {
        item_ids: Vec<String>,
    },
    UnknownUnitCategory {
        id: String,
    },
}

/// An item where points can still be gained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub criterion_id: String,
    pub item_id: String,
    /// Points still to gain; `None` where the item's maximum is unknown.
    pub gainable: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentScore {
    pub criteria: Vec<CriterionScore>,
    pub total: u32,
    /// Minimum total for the assessment's unit category.
    pub threshold: Option<u32>,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    /// Items answered (scored, not applicable) / applicable items in all.
    pub answered: usize,
    pub item_count: usize,
    /// Largest gains first.
    pub gaps: Vec<Gap>,
}
