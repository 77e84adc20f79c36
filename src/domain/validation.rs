//! One rule for what an assessment may hold: the limits the inputs enforce while the user
//! types, that the store keeps, that the export writes and that the import accepts. The app
//! must read back whatever it writes, so every place that takes a value from a user or a file
//! asks this module, and nothing else decides a limit.
//!
//! These limits are plausibility bounds, not official figures: far above anything a commune
//! reports, they catch typing slips ("5.000.000.000") and junk files. Checks that need the
//! criteria set (which items and criteria exist, the unit category) are made by the importer
//! against the set; consistency between numbers (a numerator above its denominator, a fraction
//! of a child) is the scoring engine's, which reports it per item without refusing the data.

use std::fmt;

use super::assessment::Assessment;
use super::numbers::format_number;
use super::text::shorten;

/// The first year an assessment may be for: the decision dates from 2019.
pub const YEAR_MIN: u16 = 2019;
/// The last year an assessment may be for.
pub const YEAR_MAX: u16 = 2100;
/// No count of children, cases or people asked at commune level comes near this.
pub const MAX_VALUE: f64 = 1e9;
/// Points typed by the assessor and criterion maxima read from the official table: a criterion
/// of 06/QĐ-TTg is worth at most a few hundred points, the pass thresholds are 800–900.
pub const MAX_POINTS: u32 = 10_000;

/// Which number of an answer a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    Numerator,
    Denominator,
    Count,
    ManualPoints,
}

impl NumberField {
    /// How messages name the field when the item's own labels are not at hand.
    pub fn label(self) -> &'static str {
        match self {
            NumberField::Numerator => "tử số",
            NumberField::Denominator => "mẫu số",
            NumberField::Count => "số lượng",
            NumberField::ManualPoints => "điểm tự chấm",
        }
    }

    /// The largest value the field may hold.
    pub fn max(self) -> f64 {
        match self {
            NumberField::ManualPoints => f64::from(MAX_POINTS),
            NumberField::Numerator | NumberField::Denominator | NumberField::Count => MAX_VALUE,
        }
    }
}

/// What is wrong with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    Negative,
    NotFinite,
    /// Above [`NumberField::max`].
    TooLarge,
}

impl NumberProblem {
    /// One sentence for the user, e.g. beside the input.
    pub fn message_vi(self, field: NumberField) -> String {
        match self {
            NumberProblem::Negative => "Không được là số âm.".to_string(),
            NumberProblem::NotFinite => "Không phải là số hữu hạn.".to_string(),
            NumberProblem::TooLarge => match field {
                NumberField::ManualPoints => {
                    format!("Quá lớn: điểm tối đa là {}.", format_number(field.max(), 0))
                }
                _ => format!(
                    "Lớn bất thường: tối đa {}. Hãy kiểm tra lại số đã gõ.",
                    format_number(field.max(), 0)
                ),
            },
        }
    }
}

/// Whether `value` may be stored in `field`.
///
/// ```
/// use xa_phu_hop_tre_em::domain::validation::{check_number, NumberField, NumberProblem};
/// assert_eq!(check_number(NumberField::Count, 12.0), Ok(()));
/// assert_eq!(check_number(NumberField::Count, -3.0), Err(NumberProblem::Negative));
/// assert_eq!(check_number(NumberField::Count, 5e9), Err(NumberProblem::TooLarge));
/// ```
pub fn check_number(field: NumberField, value: f64) -> Result<(), NumberProblem> {
    if !value.is_finite() {
        Err(NumberProblem::NotFinite)
    } else if value < 0.0 {
        Err(NumberProblem::Negative)
    } else if value > field.max() {
        Err(NumberProblem::TooLarge)
    } else {
        Ok(())
    }
}

/// A text an assessment holds, with its length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The local identifier (made by the app; from files, anything).
    Id,
    CommuneName,
    ProvinceName,
    AssessorName,
    AssessorPosition,
    /// Nguồn số liệu of an item.
    Source,
    /// Thuyết minh of an item.
    Explanation,
}

impl TextField {
    /// The most characters (Unicode scalar values) the field may hold. Inputs set the same
    /// number as `maxlength`, which counts UTF-16 units: never more characters than this.
    pub const fn max_chars(self) -> usize {
        match self {
            TextField::Id => 100,
            TextField::CommuneName
            | TextField::ProvinceName
            | TextField::AssessorName
            | TextField::AssessorPosition => 200,
            TextField::Source => 2_000,
            // A long report pasted whole: issue 10 asks that 1 MB of explanation be typed and
            // pasted at the cost of a short one.
            TextField::Explanation => 1_048_576,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TextField::Id => "Mã bản đánh giá",
            TextField::CommuneName => "Tên đơn vị",
            TextField::ProvinceName => "Tên tỉnh",
            TextField::AssessorName => "Họ tên người đánh giá",
            TextField::AssessorPosition => "Chức vụ người đánh giá",
            TextField::Source => "Nguồn số liệu",
            TextField::Explanation => "Thuyết minh",
        }
    }
}

/// A time of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    CreatedAt,
    UpdatedAt,
}

impl TimeField {
    /// The domain's words, and the field as the file names it.
    pub fn label(self) -> &'static str {
        match self {
            TimeField::CreatedAt => "Thời điểm tạo (created_at)",
            TimeField::UpdatedAt => "Thời điểm sửa (updated_at)",
        }
    }
}

/// Why an assessment may not be stored, exported or imported. Display gives the Vietnamese
/// message.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// Outside [`YEAR_MIN`]..=[`YEAR_MAX`].
    Year { year: u16 },
    Number {
        item_id: String,
        field: NumberField,
        value: f64,
        problem: NumberProblem,
    },
    /// A criterion maximum above [`MAX_POINTS`].
    RecordedMax { criterion_id: String, value: u32 },
    /// Longer than [`TextField::max_chars`]; `item_id` for the texts of an answer.
    Text {
        field: TextField,
        item_id: Option<String>,
        chars: usize,
    },
    /// Not a time: negative or not finite.
    Time { field: TimeField, value: f64 },
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Year { year } => write!(f, "{}", YearProblem::OutOfRange(*year)),
            Invalid::Number {
                item_id,
                field,
                value,
                problem,
            } => {
                let value = if value.is_finite() {
                    format_number(*value, 6)
                } else {
                    value.to_string()
                };
                let what = match problem {
                    NumberProblem::Negative => "là số âm".to_string(),
                    NumberProblem::NotFinite => "không phải số hữu hạn".to_string(),
                    NumberProblem::TooLarge => {
                        format!("lớn bất thường (tối đa {})", format_number(field.max(), 0))
                    }
                };
                write!(
                    f,
                    "Mục \"{}\": {} = {value} {what}.",
                    shorten(item_id),
                    field.label()
                )
            }
            Invalid::RecordedMax {
                criterion_id,
                value,
            } => write!(
                f,
                "Điểm tối đa ghi cho tiêu chí \"{}\" ({}) vượt quá {} điểm.",
                shorten(criterion_id),
                format_number(f64::from(*value), 0),
                format_number(f64::from(MAX_POINTS), 0)
            ),
            Invalid::Text {
                field,
                item_id,
                chars,
            } => {
                if let Some(item) = item_id {
                    write!(f, "Mục \"{}\": ", shorten(item))?;
                }
                write!(
                    f,
                    "{} dài {} ký tự, vượt quá giới hạn {} ký tự.",
                    field.label(),
                    format_number(*chars as f64, 0),
                    format_number(field.max_chars() as f64, 0)
                )
            }
            Invalid::Time { field, value } => {
                write!(
                    f,
                    "{} = {value} không phải một thời điểm hợp lệ.",
                    field.label()
                )
            }
        }
    }
}

impl std::error::Error for Invalid {}

/// Every problem of `assessment` under the rule, in a fixed order (year, times, texts,
/// recorded maxima, answers by item id). Empty when it may be stored, exported and imported.
pub fn problems(assessment: &Assessment) -> Vec<Invalid> {
    let a = assessment;
    let mut out = Vec::new();
    if check_year(a.year).is_err() {
        out.push(Invalid::Year { year: a.year });
    }
    for (field, value) in [
        (TimeField::CreatedAt, a.created_at),
        (TimeField::UpdatedAt, a.updated_at),
    ] {
        if !value.is_finite() || value < 0.0 {
            out.push(Invalid::Time { field, value });
        }
    }
    let texts = [
        (TextField::Id, &a.id),
        (TextField::CommuneName, &a.commune.name),
        (TextField::ProvinceName, &a.commune.province_name),
        (TextField::AssessorName, &a.assessor.name),
        (TextField::AssessorPosition, &a.assessor.position),
    ];
    for (field, text) in texts {
        if let Err(chars) = check_text(field, text) {
            out.push(Invalid::Text {
                field,
                item_id: None,
                chars,
            });
        }
    }
    for (criterion_id, &value) in &a.recorded_max {
        if value > MAX_POINTS {
            out.push(Invalid::RecordedMax {
                criterion_id: criterion_id.clone(),
                value,
            });
        }
    }
    for (item_id, answer) in &a.answers {
        let numbers = [
            (NumberField::Numerator, answer.numerator),
            (NumberField::Denominator, answer.denominator),
            (NumberField::Count, answer.count),
            (NumberField::ManualPoints, answer.manual_points),
        ];
        for (field, value) in numbers {
            let Some(value) = value else { continue };
            if let Err(problem) = check_number(field, value) {
                out.push(Invalid::Number {
                    item_id: item_id.clone(),
                    field,
                    value,
                    problem,
                });
            }
        }
        for (field, text) in [
            (TextField::Source, &answer.source),
            (TextField::Explanation, &answer.explanation),
        ] {
            if let Err(chars) = check_text(field, text) {
                out.push(Invalid::Text {
                    field,
                    item_id: Some(item_id.clone()),
                    chars,
                });
            }
        }
    }
    out
}

/// The first problem of `assessment`, if any (see [`problems`]).
pub fn check_assessment(assessment: &Assessment) -> Result<(), Invalid> {
    match problems(assessment).into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// `Err(length in characters)` when `text` is too long for `field`.
pub fn check_text(field: TextField, text: &str) -> Result<(), usize> {
    // A character is at least one byte: most texts are known short without counting, and a
    // text that passes is at most four bytes a character, so counting costs little.
    if text.len() <= field.max_chars() {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars > field.max_chars() {
        Err(chars)
    } else {
        Ok(())
    }
}

/// Why a year cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearProblem {
    Empty,
    NotAYear,
    OutOfRange(u16),
}

impl fmt::Display for YearProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearProblem::Empty => write!(
                f,
                "Chưa nhập năm đánh giá (một năm từ {YEAR_MIN} đến {YEAR_MAX})."
            ),
            YearProblem::NotAYear => write!(
                f,
                "Năm đánh giá phải là một năm từ {YEAR_MIN} đến {YEAR_MAX}, viết bằng 4 chữ số."
            ),
            YearProblem::OutOfRange(year) => write!(
                f,
                "Năm đánh giá {year} không hợp lệ (phải từ {YEAR_MIN} đến {YEAR_MAX})."
            ),
        }
    }
}

/// Whether `year` may be assessed.
pub fn check_year(year: u16) -> Result<u16, YearProblem> {
    if (YEAR_MIN..=YEAR_MAX).contains(&year) {
        Ok(year)
    } else {
        Err(YearProblem::OutOfRange(year))
    }
}

/// A year as typed in the form.
///
/// ```
/// use xa_phu_hop_tre_em::domain::validation::{parse_year, YearProblem};
/// assert_eq!(parse_year(" 2026 "), Ok(2026));
/// assert_eq!(parse_year("2101"), Err(YearProblem::OutOfRange(2101)));
/// assert_eq!(parse_year("năm nay"), Err(YearProblem::NotAYear));
/// ```
pub fn parse_year(text: &str) -> Result<u16, YearProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(YearProblem::Empty);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(YearProblem::NotAYear);
    }
    match t.parse::<u16>() {
        Ok(year) => check_year(year),
        Err(_) => Err(YearProblem::NotAYear),
    }
}

/// The year after `year`, for «Nhân bản cho năm sau», if it may still be assessed.
pub fn next_year(year: u16) -> Result<u16, YearProblem> {
    match year.checked_add(1) {
        Some(next) => check_year(next),
        None => Err(YearProblem::OutOfRange(year)),
    }
}

/// A recorded criterion maximum as typed: empty for none, else a whole number of points.
///
/// ```
/// use xa_phu_hop_tre_em::domain::validation::parse_points;
/// assert_eq!(parse_points(""), Ok(None));
/// assert_eq!(parse_points("125"), Ok(Some(125)));
/// assert!(parse_points("-1").is_err());
/// assert!(parse_points("20000").is_err());
/// ```
pub fn parse_points(text: &str) -> Result<Option<u32>, String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    let whole = t.bytes().all(|b| b.is_ascii_digit());
    match t.parse::<u64>() {
        Ok(n) if whole && n <= u64::from(MAX_POINTS) => Ok(Some(n as u32)),
        Ok(_) if whole => Err(format!(
            "Quá lớn: điểm tối đa là {}.",
            format_number(f64::from(MAX_POINTS), 0)
        )),
        _ => Err(format!(
            "Điểm phải là số nguyên từ 0 đến {}.",
            format_number(f64::from(MAX_POINTS), 0)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_within_the_limits() {
        for field in [
            NumberField::Numerator,
            NumberField::Denominator,
            NumberField::Count,
            NumberField::ManualPoints,
        ] {
            assert_eq!(check_number(field, 0.0), Ok(()));
            assert_eq!(check_number(field, field.max()), Ok(()));
            assert_eq!(check_number(field, -0.5), Err(NumberProblem::Negative));
            assert_eq!(
                check_number(field, field.max() + 1.0),
                Err(NumberProblem::TooLarge)
            );
            assert_eq!(check_number(field, f64::NAN), Err(NumberProblem::NotFinite));
            assert_eq!(
                check_number(field, f64::INFINITY),
                Err(NumberProblem::NotFinite)
            );
        }
        assert_eq!(
            check_number(NumberField::Count, 5_000_000_000.0),
            Err(NumberProblem::TooLarge)
        );
        assert_eq!(
            check_number(NumberField::ManualPoints, 10_001.0),
            Err(NumberProblem::TooLarge)
        );
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2019"), Ok(2019));
        assert_eq!(parse_year("2100"), Ok(2100));
        assert_eq!(parse_year("2018"), Err(YearProblem::OutOfRange(2018)));
        assert_eq!(parse_year(""), Err(YearProblem::Empty));
        assert_eq!(parse_year("-2025"), Err(YearProblem::NotAYear));
        assert_eq!(parse_year("2025.5"), Err(YearProblem::NotAYear));
        assert_eq!(parse_year("99999"), Err(YearProblem::NotAYear));
        assert_eq!(next_year(2099), Ok(2100));
        assert_eq!(next_year(2100), Err(YearProblem::OutOfRange(2101)));
        assert_eq!(next_year(u16::MAX), Err(YearProblem::OutOfRange(u16::MAX)));
        for problem in [
            YearProblem::Empty,
            YearProblem::NotAYear,
            YearProblem::OutOfRange(2101),
        ] {
            assert!(
                problem.to_string().contains("từ 2019 đến 2100"),
                "{problem}"
            );
        }
    }

    #[test]
    fn texts_are_counted_in_characters() {
        let max = TextField::AssessorName.max_chars();
        assert_eq!(
            check_text(TextField::AssessorName, &"Đ".repeat(max)),
            Ok(())
        );
        assert_eq!(
            check_text(TextField::AssessorName, &"Đ".repeat(max + 1)),
            Err(max + 1)
        );
    }

    #[test]
    fn points() {
        assert_eq!(parse_points(" 1 000 "), Ok(Some(1000)));
        assert_eq!(parse_points("10000"), Ok(Some(10_000)));
        for bad in ["10001", "99999999999999999999", "12,5", "abc", "-3", "1e3"] {
            let m = parse_points(bad).unwrap_err();
            assert!(m.contains("10.000"), "{bad}: {m}");
        }
    }
}
