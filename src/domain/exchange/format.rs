//! Format version 2 as this build writes and reads it, and the JSON Schema generated from it.
//! The specification is `docs/exchange-format.md`; these types follow it member by member:
//! optional members default when absent, and unknown members are ignored (the importer notes
//! them, see [`unknown_members`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::jcs::utf16_order;
use super::time::{iso_utc, parse_rfc3339};
use crate::domain::assessment::{
    Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef, SetMove,
};
use crate::domain::divisions::divisions;
use crate::domain::history::HistoryEntry;
use crate::domain::messages::{describe_path, Segment as Step};
use crate::domain::scoring::{AssessmentScore, Verdict};
use crate::domain::sorting::map_of;

/// The value of `format` in every exchange file, of any version.
pub const FORMAT_MARKER: &str = "xa-phu-hop-tre-em/tu-danh-gia";
/// The version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;
/// The value of `kind` for files of self-assessments, the only kind so far (also when absent).
pub const KIND_SELF_ASSESSMENT: &str = "tu-danh-gia";
/// RFC 3339 date-time, as the schema states it.
const DATE_TIME: &str = r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$";

/// A whole file, as written (reading takes the header and the records apart: see `import`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    title = "Tệp kết quả tự đánh giá xã, phường phù hợp với trẻ em, phiên bản 2",
    description = "Định dạng trao đổi của công cụ tự đánh giá theo Quyết định 06/QĐ-TTg, đặc tả \
                   trong docs/exchange-format.md. Trường `sha256` của mỗi bản ghi là SHA-256 (hex) \
                   của bản ghi đúng như trong tệp, bỏ trường `sha256`, ở dạng chuẩn tắc RFC 8785 \
                   (JCS). Trường không có trong lược đồ được bỏ qua."
)]
pub struct FileV2 {
    #[schemars(extend("const" = FORMAT_MARKER))]
    pub format: String,
    #[schemars(extend("const" = FORMAT_VERSION))]
    pub format_version: u32,
    #[serde(flatten)]
    pub header: HeaderV2,
    #[schemars(length(min = 1))]
    pub assessments: Vec<RecordV2>,
}

/// The members of the top level besides `format`, `format_version` and `assessments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HeaderV2 {
    /// Loại tệp: `"tu-danh-gia"` (mặc định, khi vắng). Loại khác bị từ chối.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Chương trình đã ghi tệp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// Lúc ghi tệp, RFC 3339.
    #[schemars(pattern(DATE_TIME))]
    pub exported_at: String,
    /// Có mặt trong tệp tổng hợp của tỉnh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consolidated: Option<Consolidated>,
}

/// The header of a province's consolidated file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Consolidated {
    /// Mã tỉnh lập tệp, 2 chữ số.
    pub province_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub province_name: String,
    /// Người lập tệp.
    pub made_by: Person,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub position: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organization: String,
}

/// One commune's self-assessment for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordV2 {
    /// SHA-256 của bản ghi (bỏ trường này) ở dạng chuẩn tắc RFC 8785; ghi chữ thường.
    #[schemars(pattern(r"^[0-9a-fA-F]{64}$"))]
    pub sha256: String,
    /// Số lần lưu ở máy gửi (mặc định 1).
    #[serde(default = "first_revision")]
    #[schemars(range(min = 1))]
    pub revision: Whole<u64>,
    pub assessment: AssessmentV2,
    /// Điểm do máy gửi tính, chỉ để xem; người nhận tính lại.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreV2>,
    /// Bản sao lưu giữ bên cạnh bản đang dùng.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backup: bool,
    /// Có mặt khi bản ghi được chuyển từ tệp phiên bản 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<ConvertedFrom>,
    /// Lịch sử thay đổi: mỗi lần lưu một thay đổi, cũ trước mới sau.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
}

fn first_revision() -> Whole<u64> {
    Whole(1)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConvertedFrom {
    pub format_version: Whole<u32>,
    /// Mã kiểm tra phiên bản 1 của bản ghi gốc, khi còn biết.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssessmentV2 {
    /// Mã riêng của bản ở máy gửi.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub criteria_set: CriteriaSetRef,
    pub commune: CommuneV2,
    /// Mã loại đơn vị trong bộ tiêu chí.
    pub unit_category: String,
    /// Năm đánh giá.
    pub year: Whole<u16>,
    #[serde(default, skip_serializing_if = "AssessorV2::is_empty")]
    pub assessor: AssessorV2,
    /// Câu trả lời theo mã mục.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, AnswerV2>,
    /// Điểm tối đa của tiêu chí do người đánh giá ghi, theo mã tiêu chí.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recorded_max: BTreeMap<String, Whole<u32>>,
    /// RFC 3339; mặc định bằng `updated_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DATE_TIME))]
    pub created_at: Option<String>,
    /// Lúc sửa lần cuối, RFC 3339.
    #[schemars(pattern(DATE_TIME))]
    pub updated_at: String,
    /// Các lần chuyển sang phiên bản khác của bộ tiêu chí, cũ trước.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_moves: Vec<SetMoveV2>,
}

/// A move of the assessment to another version of its criteria set (see
/// [`crate::domain::assessment::SetMove`]), with its time in RFC 3339 like the file's others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SetMoveV2 {
    pub from: CriteriaSetRef,
    pub to: CriteriaSetRef,
    /// Lúc chuyển, RFC 3339.
    #[schemars(pattern(DATE_TIME))]
    pub at: String,
    /// Câu trả lời của các mục mà phiên bản mới không có, giữ lại để chuyển về.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_aside: BTreeMap<String, AnswerV2>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_aside_max: BTreeMap<String, Whole<u32>>,
    /// Lần chuyển này hoàn tác lần trước.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undo: bool,
}

/// Only the code is required: the names and the province code, when absent, are the official
/// list's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommuneV2 {
    /// Mã đơn vị hành chính cấp xã, 5 chữ số.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Mã tỉnh, 2 chữ số.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssessorV2 {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub position: String,
}

impl AssessorV2 {
    fn is_empty(&self) -> bool {
        self.name.is_empty() && self.position.is_empty()
    }
}

/// Every member optional; absent or `null` numbers are "not entered".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnswerV2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_points: Option<Num>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checked: bool,
}

/// The sender's score, for people reading the file: every member optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScoreV2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Whole<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Whole<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<Whole<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_count: Option<Whole<u32>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionScoreV2>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionScoreV2 {
    pub id: String,
    pub points: Whole<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Whole<u32>>,
}

/// A [`Verdict`] that can be read back (files, persisted dashboard rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictCode {
    Pass,
    Fail,
    Incomplete,
}

impl VerdictCode {
    pub fn label(self) -> &'static str {
        Verdict::from(self).label_vi()
    }
}

impl From<Verdict> for VerdictCode {
    fn from(v: Verdict) -> VerdictCode {
        match v {
            Verdict::Pass => VerdictCode::Pass,
            Verdict::Fail => VerdictCode::Fail,
            Verdict::Incomplete => VerdictCode::Incomplete,
        }
    }
}

impl From<VerdictCode> for Verdict {
    fn from(v: VerdictCode) -> Verdict {
        match v {
            VerdictCode::Pass => Verdict::Pass,
            VerdictCode::Fail => Verdict::Fail,
            VerdictCode::Incomplete => Verdict::Incomplete,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// An integer member. JSON has one kind of number: `2025.0` is read as 2025 (JSON Schema's
/// "integer" means the same), a fraction or a value out of range is refused; written without a
/// fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Whole<T>(pub T);

impl<T: Serialize> Serialize for Whole<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: TryFrom<u64>> Deserialize<'de> for Whole<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Whole<T>, D::Error> {
        struct WholeVisitor<T>(PhantomData<T>);
        impl<T: TryFrom<u64>> Visitor<'_> for WholeVisitor<T> {
            type Value = Whole<T>;
            // The type's name, as serde says it of a plain integer: the messages translate it.
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(std::any::type_name::<T>())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole<T>, E> {
                if v > MAX_SAFE {
                    return Err(E::invalid_value(de::Unexpected::Unsigned(v), &self));
                }
                T::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole<T>, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Whole<T>, E> {
                if v.fract() == 0.0 && (0.0..=MAX_SAFE as f64).contains(&v) {
                    self.visit_u64(v as u64)
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(WholeVisitor(PhantomData))
    }
}

/// 2⁵³ − 1: larger integers are not exact in JSON's number model (I-JSON).
const MAX_SAFE: u64 = (1 << 53) - 1;

impl<T: JsonSchema> JsonSchema for Whole<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A number of an answer (a count of people or cases, or points): any JSON number; a whole one
/// is written without a fraction (`57`, not `57.0`), as people and other tools write them.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.fract() == 0.0 && x.abs() <= MAX_SAFE as f64 {
            serializer.serialize_i64(x as i64)
        } else {
            serializer.serialize_f64(x)
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Num, D::Error> {
        f64::deserialize(deserializer).map(Num)
    }
}

impl JsonSchema for Num {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0 })
    }
}

// ---------------------------------------------------------------------------------------------
// From and to the app's types

/// A member that breaks a rule of the format: which one, and why, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted, as in the specification: `assessment.updated_at` (relative to the record for a
    /// record, to the top level for the header; empty for the whole record or file).
    pub path: String,
    /// Where in the file, when known: line and column (in characters) from 1; 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// The rule broken, naming the member in the domain's words.
    pub detail: String,
}

impl FieldError {
    /// `path` breaks `rule` ("phải là …"), the member named in the domain's words from
    /// `steps`, the way from the top of the file to it.
    pub fn rule(path: &str, steps: &[Step], rule: &str) -> FieldError {
        let named = describe_path(steps).unwrap_or_else(|| "bản ghi".to_string());
        FieldError {
            path: path.to_string(),
            line: 0,
            column: 0,
            detail: format!("{named} {rule}"),
        }
    }
}

/// What a version 2 record holds, in the app's types.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordParts {
    pub assessment: Assessment,
    pub revision: u64,
    pub file_total: Option<u32>,
    pub backup: bool,
    pub history: Vec<HistoryEntry>,
}

impl RecordV2 {
    /// The record of `assessment` (without its checksum, which export computes on the whole).
    pub fn new(
        assessment: &Assessment,
        revision: u64,
        score: Option<&AssessmentScore>,
        backup: bool,
    ) -> RecordV2 {
        RecordV2 {
            sha256: String::new(),
            revision: Whole(revision),
            assessment: AssessmentV2::from(assessment),
            score: score.map(ScoreV2::from),
            backup,
            converted_from: None,
            history: Vec::new(),
        }
    }

    pub fn into_parts(self) -> Result<RecordParts, FieldError> {
        let RecordV2 {
            sha256: _,
            revision,
            assessment,
            score,
            backup,
            converted_from: _,
            history,
        } = self;
        Ok(RecordParts {
            assessment: assessment.into_assessment()?,
            revision: revision.0,
            file_total: score.and_then(|s| s.total).map(|t| t.0),
            backup,
            history,
        })
    }
}

impl From<&Assessment> for AssessmentV2 {
    fn from(a: &Assessment) -> AssessmentV2 {
        let Assessment {
            id,
            criteria_set,
            commune,
            unit_category,
            year,
            assessor,
            answers,
            recorded_max,
            created_at,
            updated_at,
            set_moves,
        } = a;
        AssessmentV2 {
            id: id.clone(),
            criteria_set: criteria_set.clone(),
            commune: CommuneV2 {
                code: commune.code.clone(),
                name: Some(commune.name.clone()),
                province_code: Some(commune.province_code.clone()),
                province_name: Some(commune.province_name.clone()),
            },
            unit_category: unit_category.clone(),
            year: Whole(*year),
            assessor: AssessorV2 {
                name: assessor.name.clone(),
                position: assessor.position.clone(),
            },
            answers: answers_v2(answers),
            recorded_max: maxima_v2(recorded_max),
            created_at: Some(iso_utc(*created_at)),
            updated_at: iso_utc(*updated_at),
            set_moves: set_moves
                .iter()
                .map(|m| SetMoveV2 {
                    from: m.from.clone(),
                    to: m.to.clone(),
                    at: iso_utc(m.at),
                    set_aside: answers_v2(&m.set_aside),
                    set_aside_max: maxima_v2(&m.set_aside_max),
                    undo: m.undo,
                })
                .collect(),
        }
    }
}

fn answers_v2(answers: &BTreeMap<String, Answer>) -> BTreeMap<String, AnswerV2> {
    let num = |x: &Option<f64>| x.filter(|x| x.is_finite()).map(Num);
    map_of(answers.iter().map(|(item, a)| {
        let Answer {
            yes,
            numerator,
            denominator,
            count,
            manual_points,
            source,
            explanation,
            checked,
        } = a;
        let answer = AnswerV2 {
            yes: *yes,
            numerator: num(numerator),
            denominator: num(denominator),
            count: num(count),
            manual_points: num(manual_points),
            source: source.clone(),
            explanation: explanation.clone(),
            checked: *checked,
        };
        (item.clone(), answer)
    }))
}

fn maxima_v2(maxima: &BTreeMap<String, u32>) -> BTreeMap<String, Whole<u32>> {
    map_of(maxima.iter().map(|(id, max)| (id.clone(), Whole(*max))))
}

fn answers_of(answers: BTreeMap<String, AnswerV2>) -> BTreeMap<String, Answer> {
    map_of(answers.into_iter().map(|(item, a)| {
        let answer = Answer {
            yes: a.yes,
            numerator: a.numerator.map(|n| n.0),
            denominator: a.denominator.map(|n| n.0),
            count: a.count.map(|n| n.0),
            manual_points: a.manual_points.map(|n| n.0),
            source: a.source,
            explanation: a.explanation,
            checked: a.checked,
        };
        (item, answer)
    }))
}

fn maxima_of(maxima: BTreeMap<String, Whole<u32>>) -> BTreeMap<String, u32> {
    map_of(maxima.into_iter().map(|(id, max)| (id, max.0)))
}

impl AssessmentV2 {
    /// The app's assessment; a member breaking a rule the types cannot state (a time) is a
    /// [`FieldError`].
    pub fn into_assessment(self) -> Result<Assessment, FieldError> {
        let AssessmentV2 {
            id,
            criteria_set,
            commune,
            unit_category,
            year,
            assessor,
            answers,
            recorded_max,
            created_at,
            updated_at,
            set_moves,
        } = self;
        let updated_at = time("updated_at", &updated_at)?;
        let created_at = match created_at {
            Some(text) => time("created_at", &text)?,
            None => updated_at,
        };
        Ok(Assessment {
            id,
            criteria_set,
            commune: commune.into_commune_ref(),
            unit_category,
            year: year.0,
            assessor: Assessor {
                name: assessor.name,
                position: assessor.position,
            },
            answers: answers_of(answers),
            recorded_max: maxima_of(recorded_max),
            created_at,
            updated_at,
            set_moves: set_moves
                .into_iter()
                .map(|m| {
                    Ok(SetMove {
                        from: m.from,
                        to: m.to,
                        at: time("set_moves.at", &m.at)?,
                        set_aside: answers_of(m.set_aside),
                        set_aside_max: maxima_of(m.set_aside_max),
                        undo: m.undo,
                    })
                })
                .collect::<Result<_, FieldError>>()?,
        })
    }
}

impl CommuneV2 {
    /// Members left out are taken from the official list (an unknown code, or the list not
    /// loaded, keeps them empty: the importer refuses such a record).
    fn into_commune_ref(self) -> CommuneRef {
        let d = divisions();
        let official = d.and_then(|d| d.commune(&self.code));
        let province_code = self
            .province_code
            .or_else(|| official.map(|c| c.province_code.clone()))
            .unwrap_or_default();
        let province_name = self.province_name.unwrap_or_else(|| {
            official
                .and_then(|c| d?.province(&c.province_code))
                .map(|p| p.name.clone())
                .unwrap_or_default()
        });
        CommuneRef {
            name: self
                .name
                .or_else(|| official.map(|c| c.name.clone()))
                .unwrap_or_default(),
            province_code,
            province_name,
            code: self.code,
        }
    }
}

fn time(member: &str, text: &str) -> Result<f64, FieldError> {
    parse_rfc3339(text).ok_or_else(|| {
        let steps = [Step::Key("assessment".into()), Step::Key(member.into())];
        FieldError::rule(
            &format!("assessment.{member}"),
            &steps,
            &format!(
                "phải là một thời điểm theo RFC 3339 (ví dụ 2025-11-23T08:19:00+07:00 hoặc \
                 2025-11-23T01:19:00.000Z), nhưng có \"{}\"",
                super::errors::shorten(text)
            ),
        )
    })
}

impl From<&AssessmentScore> for ScoreV2 {
    fn from(s: &AssessmentScore) -> ScoreV2 {
        let small = |n: usize| Whole(u32::try_from(n).unwrap_or(u32::MAX));
        ScoreV2 {
            total: Some(Whole(s.total)),
            threshold: s.threshold.map(Whole),
            verdict: Some(s.verdict.into()),
            verdict_label: Some(s.verdict.label_vi().to_string()),
            answered: Some(small(s.answered)),
            item_count: Some(small(s.item_count)),
            criteria: s
                .criteria
                .iter()
                .map(|c| CriterionScoreV2 {
                    id: c.criterion_id.clone(),
                    points: Whole(c.points),
                    max: c.max.map(Whole),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schema, and the members it does not know

/// The JSON Schema of [`FileV2`], as shipped in `public/schema/export-v2.schema.json`.
pub fn export_schema() -> String {
    let schema = schemars::schema_for!(FileV2);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

/// What a value of the format is made of, member by member: the table [`unknown_members`] walks
/// (tests/exchange.rs holds it to the schema generated from the types, which the app does not
/// carry: generating it at run time cost 15 KB of the download).
#[derive(Debug)]
pub enum Members {
    /// A number, a string, a boolean…: nothing below.
    Leaf,
    /// A member with a reader of its own (`history`): not looked into here.
    Opaque,
    /// An object with these members, by name.
    Object(&'static [(&'static str, &'static Members)]),
    /// An object whose members are named by the data (item ids, criterion ids), all alike.
    Map(&'static Members),
    List(&'static Members),
}

const LEAF: &Members = &Members::Leaf;

static ANSWER: Members = Members::Object(&[
    ("checked", LEAF),
    ("count", LEAF),
    ("denominator", LEAF),
    ("explanation", LEAF),
    ("manual_points", LEAF),
    ("numerator", LEAF),
    ("source", LEAF),
    ("yes", LEAF),
]);

static ASSESSMENT: Members = Members::Object(&[
    ("answers", &Members::Map(&ANSWER)),
    (
        "assessor",
        &Members::Object(&[("name", LEAF), ("position", LEAF)]),
    ),
    (
        "commune",
        &Members::Object(&[
            ("code", LEAF),
            ("name", LEAF),
            ("province_code", LEAF),
            ("province_name", LEAF),
        ]),
    ),
    ("created_at", LEAF),
    ("criteria_set", SET_REF),
    ("id", LEAF),
    ("recorded_max", &Members::Map(LEAF)),
    ("set_moves", &Members::List(&SET_MOVE)),
    ("unit_category", LEAF),
    ("updated_at", LEAF),
    ("year", LEAF),
]);

const SET_REF: &Members = &Members::Object(&[("hash", LEAF), ("id", LEAF), ("version", LEAF)]);

static SET_MOVE: Members = Members::Object(&[
    ("at", LEAF),
    ("from", SET_REF),
    ("set_aside", &Members::Map(&ANSWER)),
    ("set_aside_max", &Members::Map(LEAF)),
    ("to", SET_REF),
    ("undo", LEAF),
]);

static SCORE: Members = Members::Object(&[
    ("answered", LEAF),
    (
        "criteria",
        &Members::List(&Members::Object(&[
            ("id", LEAF),
            ("max", LEAF),
            ("points", LEAF),
        ])),
    ),
    ("item_count", LEAF),
    ("threshold", LEAF),
    ("total", LEAF),
    ("verdict", LEAF),
    ("verdict_label", LEAF),
]);

/// A record's members.
pub static RECORD: Members = Members::Object(&[
    ("assessment", &ASSESSMENT),
    ("backup", LEAF),
    (
        "converted_from",
        &Members::Object(&[("format_version", LEAF), ("sha256", LEAF)]),
    ),
    ("history", &Members::Opaque),
    ("revision", LEAF),
    ("score", &SCORE),
    ("sha256", LEAF),
]);

/// The members of `record` (a record of a version 2 file) that the format does not define,
/// as dotted paths (`assessment.anwsers`).
pub fn unknown_members(record: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(&RECORD, record, &mut String::new(), &mut found);
    found
}

/// `path.name`, or `path["name"]` when the name holds a dot (item ids: `answers["6.1"]`).
pub(super) fn push_member(path: &mut String, name: &str) {
    if name.contains('.') {
        path.push_str("[\"");
        path.push_str(name);
        path.push_str("\"]");
    } else {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
    }
}

fn walk(shape: &Members, value: &Value, path: &mut String, found: &mut Vec<String>) {
    match (shape, value) {
        (Members::Object(known), Value::Object(members)) => {
            in_canonical_order(members, |name, member| {
                match known.iter().find(|(k, _)| *k == name) {
                    Some((_, shape)) => descend(shape, name, member, path, found),
                    None => {
                        let len = path.len();
                        push_member(path, name);
                        found.push(path.clone());
                        path.truncate(len);
                    }
                }
            });
        }
        (Members::Map(shape), Value::Object(members)) => {
            in_canonical_order(members, |name, member| {
                descend(shape, name, member, path, found)
            });
        }
        (Members::List(shape), Value::Array(items)) => {
            for item in items {
                walk(shape, item, path, found);
            }
        }
        _ => {}
    }
}

/// Calls `each` on the members in the order of the canonical form (and of a file written in
/// it), which the map's own order is unless names hold characters from U+E000 up.
fn in_canonical_order<'v>(
    members: &'v Map<String, Value>,
    mut each: impl FnMut(&'v str, &'v Value),
) {
    let in_order = members
        .keys()
        .zip(members.keys().skip(1))
        .all(|(a, b)| utf16_order(a, b).is_lt());
    if in_order {
        members.iter().for_each(|(name, member)| each(name, member));
    } else {
        let mut sorted: Vec<_> = members.iter().collect();
        crate::domain::sorting::sort_by(&mut sorted, |a, b| utf16_order(a.0, b.0));
        sorted
            .into_iter()
            .for_each(|(name, member)| each(name, member));
    }
}

/// Into `member`, named `name`, when its shape has members to look at: a record has thousands
/// of leaves, and a path is only written where something could be found.
fn descend(
    shape: &Members,
    name: &str,
    member: &Value,
    path: &mut String,
    found: &mut Vec<String>,
) {
    if matches!(shape, Members::Leaf | Members::Opaque) {
        return;
    }
    let len = path.len();
    push_member(path, name);
    walk(shape, member, path, found);
    path.truncate(len);
}
