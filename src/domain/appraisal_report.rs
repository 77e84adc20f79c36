//! What the appraisal prints and what the dashboard shows of it: the "Biên bản thẩm định" of
//! one commune, the province's list of communes by unit category, and the compact mark a
//! dashboard row carries (state, appraised score, items to supplement).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::aggregate::DashboardRow;
use super::appraisal::{Appraisal, AppraisalResult, Figures, Outcome, ReviewStatus};
use super::criteria::{CriteriaSet, Rule};
use super::csv::{Cell, ExtraColumns};
use super::exchange::VerdictCode;
use super::numbers::format_number;
use super::scoring::Verdict;

// ---------------------------------------------------------------------------------------------
// Biên bản thẩm định

/// One commune's appraisal, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    pub commune_name: String,
    pub commune_code: String,
    pub province_name: String,
    pub year: u16,
    pub unit_category: String,
    pub threshold: Option<u32>,
    pub round: u32,
    pub criteria: Vec<MinutesCriterion>,
    pub self_total: u32,
    pub appraised_total: u32,
    pub self_verdict: Verdict,
    pub appraised_verdict: Verdict,
    /// Why the appraised verdict is what it is (criterion at 0, short of the threshold…).
    pub appraised_reasons: Vec<String>,
    pub outcome: Outcome,
    /// Counts of items agreed, needing evidence, not agreed, undecided.
    pub counts: StatusCounts,
    /// "Mục 6.1 …: nhận xét", for the list of what the commune must supplement.
    pub to_supplement: Vec<(String, String)>,
    pub conclusion: String,
    pub reviewer_name: String,
    pub reviewer_position: String,
    pub organization: String,
    /// `DD/MM/YYYY`, empty while not set.
    pub date: String,
    pub assessor_name: String,
    /// Checksum of the record reviewed, shortened for the page.
    pub record_ref: String,
    pub record_revision: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MinutesCriterion {
    pub id: String,
    pub name: String,
    pub max: Option<u32>,
    pub self_points: u32,
    pub appraised_points: u32,
    pub items: Vec<MinutesItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MinutesItem {
    pub id: String,
    pub text: String,
    pub self_figures: String,
    /// Empty when the reviewer kept the commune's figures.
    pub appraised_figures: String,
    pub self_points: u32,
    pub appraised_points: u32,
    pub max: Option<u32>,
    /// "Đồng ý", "Cần bổ sung", "Không đồng ý" or "Chưa có ý kiến".
    pub status: String,
    pub status_code: Option<ReviewStatus>,
    pub comment: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub agreed: usize,
    pub needs_evidence: usize,
    pub not_agreed: usize,
    pub undecided: usize,
}

impl StatusCounts {
    pub fn of(result: &AppraisalResult) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for item in &result.items {
            match item.status {
                Some(ReviewStatus::Agreed) => counts.agreed += 1,
                Some(ReviewStatus::NeedsEvidence) => counts.needs_evidence += 1,
                Some(ReviewStatus::NotAgreed) => counts.not_agreed += 1,
                None => counts.undecided += 1,
            }
        }
        counts
    }
}

/// The minutes of `appraisal` against its set.
pub fn minutes(set: &CriteriaSet, appraisal: &Appraisal) -> Minutes {
    let result = appraisal.evaluate(set);
    let a = &appraisal.reviewed.assessment;
    let criteria = set
        .criteria
        .iter()
        .zip(
            result
                .self_score
                .criteria
                .iter()
                .zip(&result.appraised_score.criteria),
        )
        .map(|(c, (cs, ca))| MinutesCriterion {
            id: c.id.clone(),
            name: c.name.clone(),
            max: ca.max,
            self_points: cs.points,
            appraised_points: ca.points,
            items: c
                .items
                .iter()
                .filter_map(|item| {
                    let r = result.items.iter().find(|r| r.item_id == item.id)?;
                    let mine = appraisal.items.get(&item.id);
                    let appraised_figures = mine
                        .and_then(|m| m.effective_figures())
                        .map(|f| describe_figures(&item.rule, f))
                        .unwrap_or_default();
                    Some(MinutesItem {
                        id: item.id.clone(),
                        text: item.text.clone(),
                        self_figures: describe_figures(
                            &item.rule,
                            &appraisal.self_figures(&item.id),
                        ),
                        appraised_figures,
                        self_points: r.self_points,
                        appraised_points: r.appraised_points,
                        max: r.max,
                        status: r
                            .status
                            .map_or("Chưa có ý kiến", ReviewStatus::label_vi)
                            .to_string(),
                        status_code: r.status,
                        comment: r.comment.trim().to_string(),
                    })
                })
                .collect(),
        })
        .collect();
    let to_supplement = result
        .to_supplement()
        .map(|r| {
            let text = set
                .criteria
                .iter()
                .flat_map(|c| &c.items)
                .find(|i| i.id == r.item_id)
                .map_or_else(String::new, |i| i.text.clone());
            (
                format!("Mục {} {}", r.item_id, text),
                r.comment.trim().to_string(),
            )
        })
        .collect();
    let unit_category = set
        .unit_categories
        .iter()
        .find(|u| u.id == a.unit_category)
        .map_or_else(|| a.unit_category.clone(), |u| u.label.clone());
    Minutes {
        commune_name: a.commune.name.clone(),
        commune_code: a.commune.code.clone(),
        province_name: a.commune.province_name.clone(),
        year: a.year,
        unit_category,
        threshold: result.appraised_score.threshold,
        round: appraisal.round,
        criteria,
        self_total: result.self_score.total,
        appraised_total: result.appraised_score.total,
        self_verdict: result.self_score.verdict,
        appraised_verdict: result.appraised_score.verdict,
        appraised_reasons: result
            .appraised_score
            .reasons
            .iter()
            .map(|r| r.message_vi(set))
            .collect(),
        outcome: result.outcome,
        counts: StatusCounts::of(&result),
        to_supplement,
        conclusion: appraisal.conclusion.trim().to_string(),
        reviewer_name: appraisal.reviewer.name.trim().to_string(),
        reviewer_position: appraisal.reviewer.position.trim().to_string(),
        organization: appraisal.reviewer.organization.trim().to_string(),
        date: appraisal.date.as_deref().map(vi_date).unwrap_or_default(),
        assessor_name: a.assessor.name.trim().to_string(),
        record_ref: appraisal.reviewed.sha256.chars().take(12).collect(),
        record_revision: appraisal.reviewed.revision,
    }
}

/// "2025-12-01" → "01/12/2025"; anything else as written.
pub fn vi_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// "1/12/2025" or "01/12/2025" (as typed) → "2025-12-01"; `None` for anything that is not a
/// date of the calendar.
pub fn parse_vi_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (d, m, y) = (number(d, 1..=2)?, number(m, 1..=2)?, number(y, 4..=4)?);
    let iso = format!("{y:04}-{m:02}-{d:02}");
    // The calendar decides (30 February is not a date).
    super::exchange::parse_iso_utc(&format!("{iso}T00:00:00Z")).map(|_| iso)
}

/// The figures of an item in the words of its rule: "Có", "19/20", "4", "15 điểm"; "chưa nhập"
/// when nothing is entered (a dash beside the points read as a second dash: «— — 0 điểm»).
pub fn describe_figures(rule: &Rule, f: &Figures) -> String {
    let n = |v: f64| format_number(v, 2);
    let main = match rule {
        Rule::YesNo { .. } => f.yes.map(|y| if y { "Có" } else { "Không" }.to_string()),
        Rule::Rate { .. } | Rule::PerPopulation { .. } | Rule::Survey { .. } => {
            match (f.numerator, f.denominator) {
                (None, None) => None,
                (num, den) => Some(format!(
                    "{}/{}",
                    num.map_or("?".to_string(), n),
                    den.map_or("?".to_string(), n)
                )),
            }
        }
        Rule::Count { .. } => f.count.map(n),
        Rule::Manual { .. } => None,
    };
    let points = f.manual_points.map(|p| format!("{} điểm", n(p)));
    match (main, points) {
        (Some(m), Some(p)) => format!("{m}; {p}"),
        (Some(m), None) => m,
        (None, Some(p)) => p,
        (None, None) => "chưa nhập".to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The dashboard's view of appraisals

/// What a dashboard row shows of its commune's appraisal; kept small, as rows are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppraisalMark {
    /// Checksum of the record reviewed.
    #[serde(rename = "h")]
    pub sha256: String,
    #[serde(rename = "n")]
    pub round: u32,
    #[serde(rename = "o")]
    pub outcome: Outcome,
    #[serde(rename = "t")]
    pub appraised_total: u32,
    #[serde(rename = "v")]
    pub appraised_verdict: VerdictCode,
    /// Items needing more evidence.
    #[serde(rename = "b")]
    pub to_supplement: usize,
    #[serde(rename = "ua")]
    pub updated_at: f64,
}

impl AppraisalMark {
    pub fn of(appraisal: &Appraisal, set: &CriteriaSet) -> AppraisalMark {
        let result = appraisal.evaluate(set);
        AppraisalMark {
            sha256: appraisal.reviewed.sha256.clone(),
            round: appraisal.round,
            outcome: result.outcome,
            appraised_total: result.appraised_score.total,
            appraised_verdict: result.appraised_score.verdict.into(),
            to_supplement: result.to_supplement().count(),
            updated_at: appraisal.updated_at,
        }
    }
}

/// Where a commune stands with the province, as the dashboard filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppraisalState {
    NotAppraised,
    InProgress,
    Returned,
    Appraised,
}

impl AppraisalState {
    pub const ALL: [AppraisalState; 4] = [
        AppraisalState::NotAppraised,
        AppraisalState::InProgress,
        AppraisalState::Returned,
        AppraisalState::Appraised,
    ];

    pub fn of(mark: Option<&AppraisalMark>) -> AppraisalState {
        match mark.map(|m| m.outcome) {
            None => AppraisalState::NotAppraised,
            Some(Outcome::InProgress) => AppraisalState::InProgress,
            Some(Outcome::Returned) => AppraisalState::Returned,
            Some(Outcome::Appraised) => AppraisalState::Appraised,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            AppraisalState::NotAppraised => "Chưa thẩm định",
            AppraisalState::InProgress => "Đang thẩm định",
            AppraisalState::Returned => "Trả lại để bổ sung",
            AppraisalState::Appraised => "Đã thẩm định",
        }
    }

    /// For URLs and form values.
    pub fn code(self) -> &'static str {
        match self {
            AppraisalState::NotAppraised => "chua",
            AppraisalState::InProgress => "dang",
            AppraisalState::Returned => "tra-lai",
            AppraisalState::Appraised => "xong",
        }
    }

    pub fn from_code(code: &str) -> Option<AppraisalState> {
        AppraisalState::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The commune sent a record other than the one appraised (its answer to a return, or a
/// correction): the row's checksum differs from the appraisal's.
pub fn newer_record(row_sha256: Option<&str>, mark: Option<&AppraisalMark>) -> bool {
    match (row_sha256, mark) {
        (Some(row), Some(mark)) => !row.eq_ignore_ascii_case(&mark.sha256),
        _ => false,
    }
}

/// Which rows the appraisal filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppraisalFilter {
    #[default]
    Any,
    State(AppraisalState),
    /// Appraised (or being appraised) on a record the commune has since replaced.
    NewerRecord,
}

impl AppraisalFilter {
    pub fn matches(self, row_sha256: Option<&str>, mark: Option<&AppraisalMark>) -> bool {
        match self {
            AppraisalFilter::Any => true,
            AppraisalFilter::State(s) => AppraisalState::of(mark) == s,
            AppraisalFilter::NewerRecord => newer_record(row_sha256, mark),
        }
    }
}

/// The dashboard CSV's appraisal columns: Thẩm định, Điểm thẩm định, Kết quả thẩm định, Số mục
/// cần bổ sung, Bản mới sau thẩm định — from the marks by row key.
pub struct AppraisalColumns<'a>(pub &'a HashMap<String, AppraisalMark>);

impl ExtraColumns for AppraisalColumns<'_> {
    fn headers(&self) -> Vec<String> {
        [
            "Thẩm định",
            "Điểm thẩm định",
            "Kết quả thẩm định",
            "Số mục cần bổ sung",
            "Bản mới sau thẩm định",
        ]
        .map(String::from)
        .to_vec()
    }

    fn cells(&self, row: &DashboardRow) -> Vec<Cell> {
        let mark = self.0.get(&row.key());
        let state = AppraisalState::of(mark);
        let newer = newer_record(Some(&row.sha256), mark);
        vec![
            Cell::Text(state.label_vi().to_string()),
            Cell::Number(mark.map(|m| m.appraised_total)),
            Cell::Text(mark.map_or("", |m| m.appraised_verdict.label()).to_string()),
            Cell::Number(mark.map(|m| u32::try_from(m.to_supplement).unwrap_or(u32::MAX))),
            Cell::Text(if newer { "Có" } else { "" }.to_string()),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// The province's list

/// One commune in the province's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub commune_code: String,
    pub commune_name: String,
    pub year: u16,
    pub self_total: u32,
    pub self_verdict: VerdictCode,
    pub state: AppraisalState,
    /// `None` while not appraised.
    pub appraised_total: Option<u32>,
    pub appraised_verdict: Option<VerdictCode>,
    pub newer_record: bool,
}

/// Communes of one unit category.
#[derive(Debug, Clone, PartialEq)]
pub struct ListGroup {
    pub unit_category: String,
    pub threshold: Option<u32>,
    pub rows: Vec<ListRow>,
    /// Communes whose appraised verdict is a pass (appraisal closed).
    pub passing: usize,
}

/// Groups by unit category, highest threshold first (unknown last), communes by name within.
pub fn province_list<'a>(
    rows: impl IntoIterator<Item = &'a DashboardRow>,
    mark: impl Fn(&'a DashboardRow) -> Option<&'a AppraisalMark>,
    row_sha256: impl Fn(&'a DashboardRow) -> Option<&'a str>,
) -> Vec<ListGroup> {
    let mut groups: Vec<ListGroup> = Vec::new();
    for row in rows {
        let m = mark(row);
        let state = AppraisalState::of(m);
        let closed = matches!(state, AppraisalState::Returned | AppraisalState::Appraised);
        let entry = ListRow {
            commune_code: row.commune_code.clone(),
            commune_name: row.commune_name.clone(),
            year: row.year,
            self_total: row.total,
            self_verdict: row.verdict,
            state,
            appraised_total: m.filter(|_| closed).map(|m| m.appraised_total),
            appraised_verdict: m.filter(|_| closed).map(|m| m.appraised_verdict),
            newer_record: newer_record(row_sha256(row), m),
        };
        let passes = state == AppraisalState::Appraised
            && entry.appraised_verdict == Some(VerdictCode::Pass);
        match groups
            .iter_mut()
            .find(|g| g.unit_category == row.unit_category_label)
        {
            Some(g) => {
                g.rows.push(entry);
                g.passing += usize::from(passes);
            }
            None => groups.push(ListGroup {
                unit_category: row.unit_category_label.clone(),
                threshold: row.threshold,
                rows: vec![entry],
                passing: usize::from(passes),
            }),
        }
    }
    super::sorting::sort_by(&mut groups, |a, b| {
        b.threshold
            .is_some()
            .cmp(&a.threshold.is_some())
            .then(b.threshold.cmp(&a.threshold))
            .then_with(|| a.unit_category.cmp(&b.unit_category))
    });
    for g in &mut groups {
        super::sorting::sort_by(&mut g.rows, |a, b| {
            super::text::search_key(&a.commune_name)
                .cmp(&super::text::search_key(&b.commune_name))
                .then_with(|| a.commune_code.cmp(&b.commune_code))
                .then(a.year.cmp(&b.year))
        });
    }
    groups
}

/// "Đạt" … for an optional verdict; "—" while none.
pub fn verdict_label(v: Option<VerdictCode>) -> &'static str {
    v.map_or("—", VerdictCode::label)
}
