//! Appraisal (thẩm định): the province reviews one commune's self-assessment item by item,
//! settles appraised figures where it disagrees, concludes, and sends the result back.
//!
//! An appraisal is bound to the exact record it reviewed: it carries that record's checksum
//! and a copy of its assessment. The appraised score is always computed from that copy with the
//! reviewer's figures put in place of the commune's, by the same engine
//! ([`crate::domain::scoring::score`]); so an appraisal keeps its meaning after the commune
//! changes its answers, and both sides see what changed since.
//!
//! Rounds: a file returned for supplement comes back as a new record; the next round binds the
//! appraisal to it, keeps what the commune did not touch, and asks the reviewer to look again
//! at every item the commune changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assessment::{Answer, Assessment};
use super::criteria::CriteriaSet;
use super::scoring::{score, AssessmentScore, Verdict};

/// One province's review of one commune's record for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appraisal {
    /// Local identifier, unique in this browser.
    pub id: String,
    /// Lần thẩm định: 1 for the first record reviewed, one more for each record that answers a
    /// return for supplement.
    pub round: u32,
    /// The record under review.
    pub reviewed: ReviewedRecord,
    /// By item id; an item absent here is not reviewed yet.
    #[serde(default)]
    pub items: BTreeMap<String, ItemAppraisal>,
    /// Kết luận of the whole file.
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub reviewer: Reviewer,
    /// Ngày thẩm định, `YYYY-MM-DD`; set when the reviewer closes the round.
    #[serde(default)]
    pub date: Option<String>,
    /// What earlier rounds concluded, oldest first.
    #[serde(default)]
    pub earlier_rounds: Vec<EarlierRound>,
    /// Milliseconds since the Unix epoch.
    pub created_at: f64,
    pub updated_at: f64,
}

/// The record an appraisal reviews: its checksum in the file it came in, and its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewedRecord {
    /// `sha256` of the exchange record (lowercase hex).
    pub sha256: String,
    /// The commune's save counter of that record.
    pub revision: u64,
    pub assessment: Assessment,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reviewer {
    pub name: String,
    /// Chức vụ.
    pub position: String,
    /// Cơ quan thẩm định, e.g. "Sở Y tế tỉnh Gia Lai".
    pub organization: String,
}

/// The reviewer's word on one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemAppraisal {
    /// `None` while not decided.
    pub status: Option<ReviewStatus>,
    /// The figures the reviewer settled, where they differ from the commune's; ignored when the
    /// item is agreed (agreeing means the commune's figures stand).
    pub figures: Option<Figures>,
    /// Nhận xét: what is missing, what was found.
    pub comment: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Đồng ý: the figures and evidence hold.
    Agreed,
    /// Cần bổ sung: the commune must supply more evidence or explanation.
    NeedsEvidence,
    /// Không đồng ý: the reviewer settles other figures.
    NotAgreed,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [
        ReviewStatus::Agreed,
        ReviewStatus::NeedsEvidence,
        ReviewStatus::NotAgreed,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            ReviewStatus::Agreed => "Đồng ý",
            ReviewStatus::NeedsEvidence => "Cần bổ sung",
            ReviewStatus::NotAgreed => "Không đồng ý",
        }
    }

    /// The reviewer asks something of the commune.
    pub fn is_flag(self) -> bool {
        !matches!(self, ReviewStatus::Agreed)
    }
}

/// The scored figures of an answer (the texts and the "checked" mark stay the commune's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Figures {
    pub yes: Option<bool>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub count: Option<f64>,
    pub manual_points: Option<f64>,
}

impl Figures {
    pub fn of(answer: &Answer) -> Figures {
        Figures {
            yes: answer.yes,
            numerator: answer.numerator,
            denominator: answer.denominator,
            count: answer.count,
            manual_points: answer.manual_points,
        }
    }

    fn put_into(&self, answer: &mut Answer) {
        let Figures {
            yes,
            numerator,
            denominator,
            count,
            manual_points,
        } = self.clone();
        answer.yes = yes;
        answer.numerator = numerator;
        answer.denominator = denominator;
        answer.count = count;
        answer.manual_points = manual_points;
    }
}

/// What a closed round concluded, kept when the next round begins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierRound {
    pub round: u32,
    /// Checksum of the record that round reviewed.
    pub sha256: String,
    pub outcome: Outcome,
    pub appraised_total: u32,
    /// Items returned for supplement in that round.
    #[serde(default)]
    pub to_supplement: Vec<String>,
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub date: Option<String>,
}

/// Where an appraisal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Begun, not closed: items undecided, or the conclusion, reviewer or date missing.
    InProgress,
    /// Closed with at least one item needing more evidence: the file goes back to the commune.
    Returned,
    /// Closed with every item agreed or settled.
    Appraised,
}

impl Outcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::InProgress => "Đang thẩm định",
            Outcome::Returned => "Trả lại để bổ sung",
            Outcome::Appraised => "Đã thẩm định",
        }
    }
}

/// Why a round cannot be closed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Items without a status, in set order.
    Undecided(Vec<String>),
    /// Items not agreed for which no other figure was settled.
    NotAgreedWithoutFigures(Vec<String>),
    Conclusion,
    ReviewerName,
    Date,
}

impl Missing {
    pub fn message_vi(&self) -> String {
        match self {
            Missing::Undecided(ids) => format!(
                "Còn {} mục chưa có ý kiến thẩm định: {}",
                ids.len(),
                ids.join(", ")
            ),
            Missing::NotAgreedWithoutFigures(ids) => format!(
                "Mục không đồng ý nhưng chưa nhập số liệu hoặc điểm thẩm định: {}",
                ids.join(", ")
            ),
            Missing::Conclusion => "Chưa có kết luận thẩm định".to_string(),
            Missing::ReviewerName => "Chưa ghi họ tên người thẩm định".to_string(),
            Missing::Date => "Chưa ghi ngày thẩm định".to_string(),
        }
    }
}

/// One item as both sides see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub criterion_id: String,
    pub item_id: String,
    pub status: Option<ReviewStatus>,
    pub self_points: u32,
    pub appraised_points: u32,
    pub max: Option<u32>,
    /// The reviewer settled figures other than the commune's.
    pub figures_differ: bool,
    pub comment: String,
}

/// An appraisal scored: the commune's score of the reviewed record, the appraised score, and
/// where the round stands.
#[derive(Debug, Clone, PartialEq)]
pub struct AppraisalResult {
    pub self_score: AssessmentScore,
    pub appraised_score: AssessmentScore,
    /// Every item of the set, in set order.
    pub items: Vec<ItemResult>,
    pub outcome: Outcome,
    /// Empty once the round can be closed.
    pub missing: Vec<Missing>,
}

impl AppraisalResult {
    /// Items the commune must supplement, in set order.
    pub fn to_supplement(&self) -> impl Iterator<Item = &ItemResult> {
        self.with_status(ReviewStatus::NeedsEvidence)
    }

    pub fn with_status(&self, status: ReviewStatus) -> impl Iterator<Item = &ItemResult> {
        self.items.iter().filter(move |i| i.status == Some(status))
    }

    pub fn appraised_verdict(&self) -> Verdict {
        self.appraised_score.verdict
    }
}

impl Appraisal {
    /// A first round on `record`.
    pub fn new(id: String, record: ReviewedRecord, reviewer: Reviewer, now_ms: f64) -> Appraisal {
        Appraisal {
            id,
            round: 1,
            reviewed: record,
            items: BTreeMap::new(),
            conclusion: String::new(),
            reviewer,
            date: None,
            earlier_rounds: Vec::new(),
            created_at: now_ms,
            updated_at: now_ms,
        }
    }

    pub fn commune_code(&self) -> &str {
        &self.reviewed.assessment.commune.code
    }

    pub fn year(&self) -> u16 {
        self.reviewed.assessment.year
    }

    /// Whether `self` supersedes `other` (the same commune and year received twice): a later
    /// round, or the same round saved later.
    pub fn supersedes(&self, other: &Appraisal) -> bool {
        (self.round, self.updated_at) > (other.round, other.updated_at)
    }

    /// The reviewed assessment with the settled figures of every item not agreed.
    pub fn appraised_assessment(&self) -> Assessment {
        let mut a = self.reviewed.assessment.clone();
        for (item_id, item) in &self.items {
            if let Some(figures) = item.effective_figures() {
                figures.put_into(a.answers.entry(item_id.clone()).or_default());
            }
        }
        a
    }

    /// Scores both sides and says where the round stands.
    pub fn evaluate(&self, set: &CriteriaSet) -> AppraisalResult {
        let self_score = score(set, &self.reviewed.assessment);
        let appraised_score = score(set, &self.appraised_assessment());
        let none = ItemAppraisal::default();
        let mut items = Vec::new();
        for (c_self, c_appr) in self_score.criteria.iter().zip(&appraised_score.criteria) {
            for (i_self, i_appr) in c_self.items.iter().zip(&c_appr.items) {
                let a = self.items.get(&i_self.item_id).unwrap_or(&none);
                items.push(ItemResult {
                    criterion_id: c_self.criterion_id.clone(),
                    item_id: i_self.item_id.clone(),
                    status: a.status,
                    self_points: i_self.points,
                    appraised_points: i_appr.points,
                    max: i_appr.max,
                    figures_differ: a.effective_figures().is_some(),
                    comment: a.comment.clone(),
                });
            }
        }
        let missing = self.missing(&items);
        let outcome = if !missing.is_empty() {
            Outcome::InProgress
        } else if items
            .iter()
            .any(|i| i.status == Some(ReviewStatus::NeedsEvidence))
        {
            Outcome::Returned
        } else {
            Outcome::Appraised
        };
        AppraisalResult {
            self_score,
            appraised_score,
            items,
            outcome,
            missing,
        }
    }

    fn missing(&self, items: &[ItemResult]) -> Vec<Missing> {
        let ids = |keep: &dyn Fn(&ItemResult) -> bool| -> Vec<String> {
            items
                .iter()
                .filter(|i| keep(i))
                .map(|i| i.item_id.clone())
                .collect()
        };
        let mut missing = Vec::new();
        let undecided = ids(&|i| i.status.is_none());
        if !undecided.is_empty() {
            missing.push(Missing::Undecided(undecided));
        }
        let bare = ids(&|i| i.status == Some(ReviewStatus::NotAgreed) && !i.figures_differ);
        if !bare.is_empty() {
            missing.push(Missing::NotAgreedWithoutFigures(bare));
        }
        if self.conclusion.trim().is_empty() {
            missing.push(Missing::Conclusion);
        }
        if self.reviewer.name.trim().is_empty() {
            missing.push(Missing::ReviewerName);
        }
        if self.date.is_none() {
            missing.push(Missing::Date);
        }
        missing
    }

    /// The commune's figures of an item in the reviewed record.
    pub fn self_figures(&self, item_id: &str) -> Figures {
        self.reviewed
            .assessment
            .answers
            .get(item_id)
            .map(Figures::of)
            .unwrap_or_default()
    }

    /// Sets an item's status. Agreeing drops settled figures: the commune's stand.
    pub fn set_status(&mut self, item_id: &str, status: Option<ReviewStatus>) {
        let item = self.items.entry(item_id.to_string()).or_default();
        item.status = status;
        if status == Some(ReviewStatus::Agreed) {
            item.figures = None;
        }
        self.drop_if_empty(item_id);
    }

    /// Settles figures for an item; figures equal to the commune's are no difference and are
    /// not kept.
    pub fn set_figures(&mut self, item_id: &str, figures: Option<Figures>) {
        let same = figures.as_ref() == Some(&self.self_figures(item_id));
        let item = self.items.entry(item_id.to_string()).or_default();
        item.figures = figures.filter(|_| !same);
        self.drop_if_empty(item_id);
    }

    pub fn set_comment(&mut self, item_id: &str, comment: String) {
        self.items.entry(item_id.to_string()).or_default().comment = comment;
        self.drop_if_empty(item_id);
    }

    /// An item with nothing decided is the same as an item not reviewed: keep one form.
    fn drop_if_empty(&mut self, item_id: &str) {
        if self.items.get(item_id) == Some(&ItemAppraisal::default()) {
            self.items.remove(item_id);
        }
    }

    /// The next round, on the record the commune sent back. Items the commune left as they
    /// were keep their status, figures and comment; items it changed keep the comment (the
    /// reviewer's question stays visible) but must be decided again. The conclusion is kept as
    /// a draft; the date is cleared, as the new round is not closed.
    pub fn next_round(&self, set: &CriteriaSet, record: ReviewedRecord, now_ms: f64) -> Appraisal {
        let result = self.evaluate(set);
        let changes = record_changes(set, &self.reviewed.assessment, &record.assessment);
        // Ticking "đã kiểm tra" alone says nothing new to the reviewer.
        let reopened: Vec<&str> = changes
            .items
            .iter()
            .filter(|c| c.fields.iter().any(|f| *f != AnswerField::Checked))
            .map(|c| c.item_id.as_str())
            .collect();
        let mut items = BTreeMap::new();
        for (id, item) in &self.items {
            let mut item = item.clone();
            if reopened.contains(&id.as_str()) {
                item.status = None;
                item.figures = None;
            }
            if item != ItemAppraisal::default() {
                items.insert(id.clone(), item);
            }
        }
        let mut earlier_rounds = self.earlier_rounds.clone();
        earlier_rounds.push(EarlierRound {
            round: self.round,
            sha256: self.reviewed.sha256.clone(),
            outcome: result.outcome,
            appraised_total: result.appraised_score.total,
            to_supplement: result.to_supplement().map(|i| i.item_id.clone()).collect(),
            conclusion: self.conclusion.clone(),
            date: self.date.clone(),
        });
        Appraisal {
            id: self.id.clone(),
            round: self.round + 1,
            reviewed: record,
            items,
            conclusion: self.conclusion.clone(),
            reviewer: self.reviewer.clone(),
            date: None,
            earlier_rounds,
            created_at: self.created_at,
            updated_at: now_ms,
        }
    }
}

impl ItemAppraisal {
    /// The figures that count: none when agreed.
    pub fn effective_figures(&self) -> Option<&Figures> {
        self.figures
            .as_ref()
            .filter(|_| self.status != Some(ReviewStatus::Agreed))
    }
}

// ---------------------------------------------------------------------------------------------
// What changed between two records

/// A part of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerField {
    Yes,
    Numerator,
    Denominator,
    Count,
    ManualPoints,
    Source,
    Explanation,
    Checked,
}

impl AnswerField {
    /// Vietnamese, in the words of the item screen (ratio rules name their own figures).
    pub fn label_vi(self) -> &'static str {
        match self {
            AnswerField::Yes => "trả lời Có / Không",
            AnswerField::Numerator => "tử số",
            AnswerField::Denominator => "mẫu số",
            AnswerField::Count => "số lượng",
            AnswerField::ManualPoints => "điểm tự chấm",
            AnswerField::Source => "nguồn số liệu",
            AnswerField::Explanation => "thuyết minh",
            AnswerField::Checked => "đánh dấu đã kiểm tra",
        }
    }

    /// The field that carries evidence rather than figures.
    pub fn is_evidence(self) -> bool {
        matches!(self, AnswerField::Source | AnswerField::Explanation)
    }
}

/// The fields of an answer that differ, in a fixed order.
pub fn answer_fields_changed(old: &Answer, new: &Answer) -> Vec<AnswerField> {
    let Answer {
        yes,
        numerator,
        denominator,
        count,
        manual_points,
        source,
        explanation,
        checked,
    } = old;
    [
        (AnswerField::Yes, *yes != new.yes),
        (
            AnswerField::Numerator,
            !same_number(*numerator, new.numerator),
        ),
        (
            AnswerField::Denominator,
            !same_number(*denominator, new.denominator),
        ),
        (AnswerField::Count, !same_number(*count, new.count)),
        (
            AnswerField::ManualPoints,
            !same_number(*manual_points, new.manual_points),
        ),
        (AnswerField::Source, source.trim() != new.source.trim()),
        (
            AnswerField::Explanation,
            explanation.trim() != new.explanation.trim(),
        ),
        (AnswerField::Checked, *checked != new.checked),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect()
}

/// `NaN` never reaches a stored answer, but if one did it must not read as a change forever.
fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
        (x, y) => x.is_none() && y.is_none(),
    }
}

/// One item the commune changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    pub item_id: String,
    pub fields: Vec<AnswerField>,
}

/// A part of the assessment outside the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfoField {
    UnitCategory,
    Assessor,
    RecordedMax,
    CriteriaSet,
}

impl InfoField {
    pub fn label_vi(self) -> &'static str {
        match self {
            InfoField::UnitCategory => "loại đơn vị",
            InfoField::Assessor => "người đánh giá",
            InfoField::RecordedMax => "điểm tối đa ghi theo bảng điểm",
            InfoField::CriteriaSet => "bộ tiêu chí",
        }
    }
}

/// Everything the commune changed between two of its records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordChanges {
    /// In set order; items the set does not know come last, by id.
    pub items: Vec<ItemChange>,
    pub info: Vec<InfoField>,
}

impl RecordChanges {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.info.is_empty()
    }

    pub fn item(&self, item_id: &str) -> Option<&ItemChange> {
        self.items.iter().find(|c| c.item_id == item_id)
    }
}

/// What differs between the record that was reviewed and a later one of the same commune.
pub fn record_changes(
    set: &CriteriaSet,
    reviewed: &Assessment,
    later: &Assessment,
) -> RecordChanges {
    let blank = Answer::default();
    let mut ids: Vec<&str> = set
        .criteria
        .iter()
        .flat_map(|c| c.items.iter().map(|i| i.id.as_str()))
        .collect();
    let mut others: Vec<&str> = reviewed
        .answers
        .keys()
        .chain(later.answers.keys())
        .map(String::as_str)
        .filter(|id| !ids.contains(id))
        .collect();
    super::sorting::sort(&mut others);
    others.dedup();
    ids.extend(others);
    let items = ids
        .into_iter()
        .filter_map(|id| {
            let old = reviewed.answers.get(id).unwrap_or(&blank);
            let new = later.answers.get(id).unwrap_or(&blank);
            let fields = answer_fields_changed(old, new);
            (!fields.is_empty()).then(|| ItemChange {
                item_id: id.to_string(),
                fields,
            })
        })
        .collect();
    let info = [
        (
            InfoField::UnitCategory,
            reviewed.unit_category != later.unit_category,
        ),
        (InfoField::Assessor, reviewed.assessor != later.assessor),
        (
            InfoField::RecordedMax,
            reviewed.recorded_max != later.recorded_max,
        ),
        (
            InfoField::CriteriaSet,
            reviewed.criteria_set != later.criteria_set,
        ),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    RecordChanges { items, info }
}

/// How the commune answered what the reviewer flagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Every flagged item (needs evidence, not agreed), in set order, with what the commune
    /// changed in it (`None`: left as it was).
    pub flagged: Vec<(String, ReviewStatus, Option<ItemChange>)>,
    /// Items changed although not flagged.
    pub unflagged: Vec<ItemChange>,
    pub info: Vec<InfoField>,
}

impl Reply {
    pub fn answered(&self) -> usize {
        self.flagged.iter().filter(|(_, _, c)| c.is_some()).count()
    }
}

/// What the commune did about the flagged items in `later`, a record sent after the appraisal.
pub fn reply(appraisal: &Appraisal, set: &CriteriaSet, later: &Assessment) -> Reply {
    let changes = record_changes(set, &appraisal.reviewed.assessment, later);
    let result = appraisal.evaluate(set);
    let flagged: Vec<(String, ReviewStatus, Option<ItemChange>)> = result
        .items
        .iter()
        .filter_map(|i| i.status.filter(|s| s.is_flag()).map(|s| (i, s)))
        .map(|(i, s)| (i.item_id.clone(), s, changes.item(&i.item_id).cloned()))
        .collect();
    let unflagged = changes
        .items
        .iter()
        .filter(|c| !flagged.iter().any(|(id, _, _)| *id == c.item_id))
        .cloned()
        .collect();
    Reply {
        flagged,
        unflagged,
        info: changes.info,
    }
}

// ---------------------------------------------------------------------------------------------
// Binding to a record

/// How an appraisal relates to a record of the same commune and year.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// The record it reviewed: the same checksum, or (where the checksum differs only because
    /// the copy was saved again) the same content.
    Current,
    /// A later (or other) version: what differs since the review.
    Earlier(RecordChanges),
}

/// Binds by checksum first; by content when the checksums differ, so a commune that saved its
/// record again without changing anything is not told the appraisal is out of date.
pub fn binding(
    appraisal: &Appraisal,
    set: &CriteriaSet,
    record_sha256: Option<&str>,
    record: &Assessment,
) -> Binding {
    if record_sha256.is_some_and(|s| s.eq_ignore_ascii_case(&appraisal.reviewed.sha256)) {
        return Binding::Current;
    }
    let changes = record_changes(set, &appraisal.reviewed.assessment, record);
    if changes.is_empty() {
        Binding::Current
    } else {
        Binding::Earlier(changes)
    }
}

/// Whether an appraisal is about this commune and year at all.
pub fn concerns(appraisal: &Appraisal, record: &Assessment) -> bool {
    appraisal.commune_code() == record.commune.code && appraisal.year() == record.year
}
