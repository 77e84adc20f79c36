//! Reading and checking a criteria set before anyone scores with it.
//!
//! A set may come from a province's site rather than from this build, so every problem is
//! reported, all at once, in Vietnamese, naming the place ("Tiêu chí 3, mục 3.2: …"), for the
//! person who edits the JSON.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use crate::domain::criteria::{
    CriteriaSet, Criterion, Example, ExampleInput, Item, MaxBand, MinBand, Provenance, Rule,
    UnitCategory, CRITERIA_FORMAT,
};
use crate::domain::messages::JsonErrorAt;

/// Where in a set a problem lies. Positions are 1-based and name the place when its id is
/// empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Set,
    LegalBasis,
    UnitCategory {
        position: usize,
        id: String,
    },
    Criterion {
        position: usize,
        id: String,
    },
    Item {
        criterion_position: usize,
        criterion_id: String,
        position: usize,
        id: String,
    },
    /// A worked example, named by its `name`.
    Example {
        position: usize,
        name: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Set => write!(f, "Bộ tiêu chí"),
            Place::LegalBasis => write!(f, "Căn cứ pháp lý"),
            Place::UnitCategory { position, id } => named(f, "Loại đơn vị", *position, id),
            Place::Criterion { position, id } => named(f, "Tiêu chí", *position, id),
            Place::Item {
                criterion_position,
                criterion_id,
                position,
                id,
            } => {
                named(f, "Tiêu chí", *criterion_position, criterion_id)?;
                named(f, ", mục", *position, id)
            }
            Place::Example { position, name } if name.trim().is_empty() => {
                write!(f, "Ví dụ kiểm tra thứ {position}")
            }
            Place::Example { position, name } => {
                write!(f, "Ví dụ kiểm tra thứ {position} («{name}»)")
            }
        }
    }
}

/// The field of its place an error is about, so that an editor shows the message next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The document as a whole (syntax, format version).
    Document,
    SetId,
    Version,
    Title,
    ValidFrom,
    ValidTo,
    TotalMax,
    LegalNumber,
    LegalDate,
    LegalIssuer,
    LegalTitle,
    /// The list of unit categories, of criteria, of a criterion's items.
    UnitCategories,
    Criteria,
    Items,
    UnitId,
    UnitLabel,
    UnitWording,
    MinTotal,
    CriterionId,
    CriterionName,
    CriterionMax,
    ProvenanceSource,
    ProvenanceNote,
    ItemId,
    ItemText,
    NumeratorLabel,
    DenominatorLabel,
    CountLabel,
    Per,
    Bands,
    /// The rule as a whole (its maximum against the criterion's).
    Rule,
    ExampleName,
    ExampleInputs,
    ExampleRecordedMax,
    ExampleExpected,
}

impl Field {
    /// The field in Vietnamese with its JSON key, for the person who edits the JSON.
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::Document => "nội dung tệp",
            Field::SetId => "mã bộ tiêu chí (\"id\")",
            Field::Version => "phiên bản (\"version\")",
            Field::Title => "tiêu đề (\"title\")",
            Field::ValidFrom => "ngày bắt đầu áp dụng (\"valid_from\")",
            Field::ValidTo => "ngày hết hiệu lực (\"valid_to\")",
            Field::TotalMax => "tổng điểm tối đa (\"total_max\")",
            Field::LegalNumber => "số văn bản (\"number\")",
            Field::LegalDate => "ngày ký (\"date\")",
            Field::LegalIssuer => "cơ quan ban hành (\"issuer\")",
            Field::LegalTitle => "trích yếu (\"title\")",
            Field::UnitCategories => "danh sách loại đơn vị (\"unit_categories\")",
            Field::Criteria => "danh sách tiêu chí (\"criteria\")",
            Field::Items => "danh sách mục (\"items\")",
            Field::UnitId => "mã (\"id\")",
            Field::UnitLabel => "nhãn (\"label\")",
            Field::UnitWording => "cách gọi trong văn bản (\"official_wording\")",
            Field::MinTotal => "ngưỡng đạt (\"min_total\")",
            Field::CriterionId => "mã tiêu chí (\"id\")",
            Field::CriterionName => "tên tiêu chí (\"name\")",
            Field::CriterionMax => "điểm tối đa (\"max_points\")",
            Field::ProvenanceSource => "nguồn (\"source\")",
            Field::ProvenanceNote => "ghi chú (\"note\")",
            Field::ItemId => "mã mục (\"id\")",
            Field::ItemText => "nội dung (\"text\")",
            Field::NumeratorLabel => "nhãn tử số (\"numerator_label\")",
            Field::DenominatorLabel => "nhãn mẫu số (\"denominator_label\")",
            Field::CountLabel => "nhãn số lượng (\"label\")",
            Field::Per => "cơ số của tỷ suất (\"per\")",
            Field::Bands => "các ngưỡng điểm (\"bands\")",
            Field::Rule => "quy tắc chấm điểm (\"rule\")",
            Field::ExampleName => "tên ví dụ (\"name\")",
            Field::ExampleInputs => "dữ liệu nhập (\"inputs\")",
            Field::ExampleRecordedMax => "điểm tối đa ghi nhận (\"recorded_max\")",
            Field::ExampleExpected => "kết quả mong đợi (\"expected\")",
        }
    }
}

/// "Tiêu chí 3", or "Tiêu chí thứ 3" when the id is empty.
fn named(f: &mut fmt::Formatter<'_>, what: &str, position: usize, id: &str) -> fmt::Result {
    if id.trim().is_empty() {
        write!(f, "{what} thứ {position}")
    } else {
        write!(f, "{what} {id}")
    }
}

/// One problem with a criteria set.
#[derive(Debug, Clone, PartialEq)]
pub enum CriteriaError {
    /// The JSON does not read as a set: syntax, missing field, unknown rule kind …
    /// `message` is already in Vietnamese.
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    UnsupportedFormat {
        found: u32,
        supported: u32,
    },
    EmptyText {
        place: Place,
        field: Field,
    },
    /// `place` is the second one with the id (likewise below).
    DuplicateCriterionId {
        place: Place,
        id: String,
    },
    /// Item ids must be unique across the whole set: answers are keyed by them.
    DuplicateItemId {
        place: Place,
        id: String,
    },
    DuplicateUnitCategoryId {
        place: Place,
        id: String,
    },
    /// Ids name files and addresses: lowercase ASCII letters, digits and hyphens.
    BadSetId {
        id: String,
    },
    /// Versions are compared as numbers: digits separated by dots.
    BadVersion {
        version: String,
    },
    /// Not an ISO date `YYYY-MM-DD` of the calendar.
    BadDate {
        place: Place,
        field: Field,
        value: String,
    },
    ValidityReversed {
        from: String,
        to: String,
    },
    /// An example names an item the set does not have; `field` says where (inputs, expected).
    ExampleUnknownItem {
        place: Place,
        field: Field,
        item_id: String,
    },
    ExampleUnknownCriterion {
        place: Place,
        field: Field,
        criterion_id: String,
    },
    ExampleUnknownUnitCategory {
        place: Place,
        id: String,
    },
    ExampleNothingExpected {
        place: Place,
    },
    /// An input the item's rule never reads (e.g. a count for a yes/no item).
    ExampleInputNotRead {
        place: Place,
        item_id: String,
        input: &'static str,
    },
    NoCriteria,
    NoUnitCategories,
    NoItems {
        place: Place,
    },
    EmptyBands {
        place: Place,
    },
    /// Band bounds overlap or go backwards.
    BandsNotIncreasing {
        place: Place,
    },
    /// Points go the wrong way as bounds rise: down for a higher-is-better rule, up for a
    /// lower-is-better one.
    BandPointsOutOfOrder {
        place: Place,
        higher_is_better: bool,
    },
    /// A percentage bound outside 0..=100.
    RateOutOfRange {
        place: Place,
        value: f64,
    },
    /// A count or per-population bound below 0.
    NegativeBound {
        place: Place,
        value: f64,
    },
    ZeroPer {
        place: Place,
    },
    ItemAboveCriterionMax {
        place: Place,
        item_max: u32,
        criterion_max: u32,
    },
    ItemsSumMismatch {
        place: Place,
        sum: u32,
        criterion_max: u32,
    },
    CriteriaSumMismatch {
        sum: u32,
        total_max: u32,
    },
    ThresholdAboveTotal {
        place: Place,
        min_total: u32,
        total_max: u32,
    },
    ZeroThreshold {
        place: Place,
    },
}

impl fmt::Display for CriteriaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CriteriaError as E;
        match self {
            E::Parse { line, column, message } => write!(f, "Dòng {line}, cột {column}: {message}"),
            E::UnsupportedFormat { found, supported } => write!(
                f,
                "Bộ tiêu chí: định dạng phiên bản {found} không được hỗ trợ \
                 (ứng dụng này đọc định dạng phiên bản {supported})"
            ),
            E::EmptyText { place, field } => {
                write!(f, "{place}: {} đang để trống", field.label_vi())
            }
            E::DuplicateCriterionId { id, .. } => {
                write!(f, "Bộ tiêu chí: mã tiêu chí \"{id}\" bị trùng")
            }
            E::DuplicateItemId { id, .. } => write!(
                f,
                "Bộ tiêu chí: mã mục \"{id}\" bị trùng (mã mục phải duy nhất trong cả bộ)"
            ),
            E::DuplicateUnitCategoryId { id, .. } => {
                write!(f, "Bộ tiêu chí: mã loại đơn vị \"{id}\" bị trùng")
            }
            E::BadSetId { id } => write!(
                f,
                "Bộ tiêu chí: mã bộ tiêu chí \"{id}\" chỉ được gồm chữ thường không dấu (a–z), \
                 chữ số và dấu gạch ngang, ví dụ qd-06-2019"
            ),
            E::BadVersion { version } => write!(
                f,
                "Bộ tiêu chí: phiên bản \"{version}\" phải gồm các số cách nhau bởi dấu chấm, ví \
                 dụ 1.0.0"
            ),
            E::BadDate { place, field, value } => write!(
                f,
                "{place}: {} \"{value}\" không phải một ngày hợp lệ dạng năm-tháng-ngày (ví dụ \
                 2019-01-03)",
                field.label_vi()
            ),
            E::ValidityReversed { from, to } => write!(
                f,
                "Bộ tiêu chí: ngày hết hiệu lực ({to}) trước ngày bắt đầu áp dụng ({from})"
            ),
            E::ExampleUnknownItem { place, field, item_id } => write!(
                f,
                "{place}: {} có mục \"{item_id}\" không có trong bộ tiêu chí",
                field.label_vi()
            ),
            E::ExampleUnknownCriterion {
                place,
                field,
                criterion_id,
            } => write!(
                f,
                "{place}: {} có tiêu chí \"{criterion_id}\" không có trong bộ tiêu chí",
                field.label_vi()
            ),
            E::ExampleUnknownUnitCategory { place, id } => write!(
                f,
                "{place}: loại đơn vị \"{id}\" không có trong bộ tiêu chí"
            ),
            E::ExampleNothingExpected { place } => {
                write!(f, "{place}: chưa có kết quả mong đợi nào để kiểm tra")
            }
            E::ExampleInputNotRead {
                place,
                item_id,
                input,
            } => write!(
                f,
                "{place}: mục \"{item_id}\" không dùng giá trị «{input}» (quy tắc chấm của mục \
                 không đọc giá trị này)"
            ),
            E::NoCriteria => write!(f, "Bộ tiêu chí: chưa có tiêu chí nào"),
            E::NoUnitCategories => write!(
                f,
                "Bộ tiêu chí: chưa có loại đơn vị nào (cần ít nhất một ngưỡng điểm đạt)"
            ),
            E::NoItems { place } => write!(f, "{place}: chưa có mục nào"),
            E::EmptyBands { place } => write!(f, "{place}: chưa có ngưỡng điểm nào"),
            E::BandsNotIncreasing { place } => write!(f, "{place}: các ngưỡng không tăng dần"),
            E::BandPointsOutOfOrder { place, higher_is_better: true } => write!(
                f,
                "{place}: điểm giảm khi ngưỡng tăng (ngưỡng cao hơn phải được điểm bằng hoặc cao hơn)"
            ),
            E::BandPointsOutOfOrder { place, higher_is_better: false } => write!(
                f,
                "{place}: điểm tăng khi ngưỡng tăng (tỷ suất càng cao phải được điểm càng thấp)"
            ),
            E::RateOutOfRange { place, value } => {
                write!(f, "{place}: ngưỡng {value}% nằm ngoài khoảng 0–100")
            }
            E::NegativeBound { place, value } => {
                write!(f, "{place}: ngưỡng {value} không được âm")
            }
            E::ZeroPer { place } => {
                write!(f, "{place}: cơ số của tỷ suất (trường \"per\") phải lớn hơn 0")
            }
            E::ItemAboveCriterionMax { place, item_max, criterion_max } => write!(
                f,
                "{place}: điểm tối đa của mục ({item_max}) lớn hơn điểm tối đa của tiêu chí \
                 ({criterion_max})"
            ),
            E::ItemsSumMismatch { place, sum, criterion_max } => write!(
                f,
                "{place}: tổng điểm tối đa các mục ({sum}) khác điểm tối đa của tiêu chí \
                 ({criterion_max})"
            ),
            E::CriteriaSumMismatch { sum, total_max } => write!(
                f,
                "Bộ tiêu chí: tổng điểm tối đa các tiêu chí ({sum}) khác tổng điểm tối đa của bộ \
                 ({total_max})"
            ),
            E::ThresholdAboveTotal { place, min_total, total_max } => write!(
                f,
                "{place}: ngưỡng đạt {min_total} điểm lớn hơn tổng điểm tối đa ({total_max})"
            ),
            E::ZeroThreshold { place } => write!(f, "{place}: ngưỡng đạt phải lớn hơn 0 điểm"),
        }
    }
}

impl std::error::Error for CriteriaError {}

impl CriteriaError {
    /// The place and field the error is about: an editor shows the message next to that field.
    pub fn anchor(&self) -> (Place, Field) {
        use CriteriaError as E;
        let at = |place: &Place, field: Field| (place.clone(), field);
        match self {
            E::Parse { .. } | E::UnsupportedFormat { .. } => (Place::Set, Field::Document),
            E::EmptyText { place, field } | E::BadDate { place, field, .. } => at(place, *field),
            E::DuplicateCriterionId { place, .. } => at(place, Field::CriterionId),
            E::DuplicateItemId { place, .. } => at(place, Field::ItemId),
            E::DuplicateUnitCategoryId { place, .. } => at(place, Field::UnitId),
            E::BadSetId { .. } => (Place::Set, Field::SetId),
            E::BadVersion { .. } => (Place::Set, Field::Version),
            E::ValidityReversed { .. } => (Place::Set, Field::ValidTo),
            E::NoCriteria => (Place::Set, Field::Criteria),
            E::NoUnitCategories => (Place::Set, Field::UnitCategories),
            E::NoItems { place } => at(place, Field::Items),
            E::EmptyBands { place }
            | E::BandsNotIncreasing { place }
            | E::BandPointsOutOfOrder { place, .. }
            | E::RateOutOfRange { place, .. }
            | E::NegativeBound { place, .. } => at(place, Field::Bands),
            E::ZeroPer { place } => at(place, Field::Per),
            E::ItemAboveCriterionMax { place, .. } => at(place, Field::Rule),
            E::ItemsSumMismatch { place, .. } => at(place, Field::CriterionMax),
            E::CriteriaSumMismatch { .. } => (Place::Set, Field::TotalMax),
            E::ThresholdAboveTotal { place, .. } | E::ZeroThreshold { place } => {
                at(place, Field::MinTotal)
            }
            E::ExampleUnknownItem { place, field, .. }
            | E::ExampleUnknownCriterion { place, field, .. } => at(place, *field),
            E::ExampleUnknownUnitCategory { place, .. } | E::ExampleNothingExpected { place } => {
                at(place, Field::ExampleExpected)
            }
            E::ExampleInputNotRead { place, .. } => at(place, Field::ExampleInputs),
        }
    }
}

/// Reads a set from JSON. Structural problems (syntax, missing fields, unknown rule kinds)
/// come back as [`CriteriaError::Parse`] with line and column; a set written for another
/// format version is reported as such rather than by whatever field then fails to read.
pub fn parse_criteria_set(json: &str) -> Result<CriteriaSet, CriteriaError> {
    serde_json::from_str(json).map_err(|err| match declared_format(json) {
        Some(found) if found != CRITERIA_FORMAT => CriteriaError::UnsupportedFormat {
            found,
            supported: CRITERIA_FORMAT,
        },
        _ => parse_error(&err, json),
    })
}

/// Reads and checks a set: what a province-published set goes through before use.
pub fn load_criteria_set(json: &str) -> Result<CriteriaSet, Vec<CriteriaError>> {
    let set = parse_criteria_set(json).map_err(|e| vec![e])?;
    validate(&set)?;
    Ok(set)
}

/// The `format` field of a document that failed to read, if it has a readable one.
fn declared_format(json: &str) -> Option<u32> {
    #[derive(serde::Deserialize)]
    struct Header {
        format: u32,
    }
    serde_json::from_str::<Header>(json).ok().map(|h| h.format)
}

/// The shared translator (`domain::messages`): Vietnamese, with the line, the column in
/// characters and the field in the domain's words («loại quy tắc chấm điểm» (`kind`) của mục
/// thứ 1, tiêu chí thứ 2).
fn parse_error(err: &serde_json::Error, json: &str) -> CriteriaError {
    let at = JsonErrorAt::new(err, json);
    CriteriaError::Parse {
        line: at.line,
        column: at.column,
        message: at.detail,
    }
}

/// Checks everything serde cannot: ids, text, bands, maxima and thresholds. Returns every
/// problem found, in document order.
pub fn validate(set: &CriteriaSet) -> Result<(), Vec<CriteriaError>> {
    let mut errors = Vec::new();
    if set.format != CRITERIA_FORMAT {
        errors.push(CriteriaError::UnsupportedFormat {
            found: set.format,
            supported: CRITERIA_FORMAT,
        });
    }
    check_header(set, &mut errors);
    check_unit_categories(set, &mut errors);
    check_criteria(set, &mut errors);
    check_examples(set, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Pushes an error when `text` is empty or blank.
fn require_text(errors: &mut Vec<CriteriaError>, place: &Place, field: Field, text: &str) {
    if text.trim().is_empty() {
        errors.push(CriteriaError::EmptyText {
            place: place.clone(),
            field,
        });
    }
}

fn check_header(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    require_text(errors, &Place::Set, Field::SetId, &set.id);
    if !set.id.trim().is_empty() && !is_set_id(&set.id) {
        errors.push(CriteriaError::BadSetId { id: set.id.clone() });
    }
    require_text(errors, &Place::Set, Field::Version, &set.version);
    if !set.version.trim().is_empty() && !is_version(&set.version) {
        errors.push(CriteriaError::BadVersion {
            version: set.version.clone(),
        });
    }
    require_text(errors, &Place::Set, Field::Title, &set.title);
    let basis = &set.legal_basis;
    let place = Place::LegalBasis;
    require_text(errors, &place, Field::LegalNumber, &basis.number);
    require_text(errors, &place, Field::LegalDate, &basis.date);
    check_date(errors, &place, Field::LegalDate, Some(&basis.date));
    require_text(errors, &place, Field::LegalIssuer, &basis.issuer);
    require_text(errors, &place, Field::LegalTitle, &basis.title);
    check_date(
        errors,
        &Place::Set,
        Field::ValidFrom,
        set.valid_from.as_deref(),
    );
    check_date(errors, &Place::Set, Field::ValidTo, set.valid_to.as_deref());
    if let (Some(from), Some(to)) = (&set.valid_from, &set.valid_to) {
        if is_date(from) && is_date(to) && to < from {
            errors.push(CriteriaError::ValidityReversed {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
}

/// `qd-06-2019`: lowercase ASCII letters, digits and hyphens, not starting or ending with one.
fn is_set_id(id: &str) -> bool {
    id.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// `1`, `1.0`, `1.0.0` …: numbers (at most 9 digits each) separated by dots.
pub fn is_version(version: &str) -> bool {
    version
        .split('.')
        .all(|part| (1..=9).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
}

/// An existing day written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1900 && (1..=days).contains(&day)
}

/// A date given (not blank) must be a real one.
fn check_date(errors: &mut Vec<CriteriaError>, place: &Place, field: Field, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty() && !is_date(v)) {
        errors.push(CriteriaError::BadDate {
            place: place.clone(),
            field,
            value: value.to_string(),
        });
    }
}

fn check_unit_categories(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    if set.unit_categories.is_empty() {
        errors.push(CriteriaError::NoUnitCategories);
    }
    let mut seen = HashSet::new();
    for (i, category) in set.unit_categories.iter().enumerate() {
        let place = Place::UnitCategory {
            position: i + 1,
            id: category.id.clone(),
        };
        check_unit_category(category, set.total_max, &place, errors);
        if !category.id.trim().is_empty() && !seen.insert(category.id.as_str()) {
            errors.push(CriteriaError::DuplicateUnitCategoryId {
                place,
                id: category.id.clone(),
            });
        }
    }
}

fn check_unit_category(
    category: &UnitCategory,
    total_max: Option<u32>,
    place: &Place,
    errors: &mut Vec<CriteriaError>,
) {
    require_text(errors, place, Field::UnitId, &category.id);
    require_text(errors, place, Field::UnitLabel, &category.label);
    require_text(
        errors,
        place,
        Field::UnitWording,
        &category.official_wording,
    );
    if category.min_total == 0 {
        errors.push(CriteriaError::ZeroThreshold {
            place: place.clone(),
        });
    }
    if let Some(total_max) = total_max.filter(|&t| category.min_total > t) {
        errors.push(CriteriaError::ThresholdAboveTotal {
            place: place.clone(),
            min_total: category.min_total,
            total_max,
        });
    }
}

fn check_criteria(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    if set.criteria.is_empty() {
        errors.push(CriteriaError::NoCriteria);
    }
    let mut criterion_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    for (i, criterion) in set.criteria.iter().enumerate() {
        let id = criterion.id.as_str();
        if !id.trim().is_empty() && !criterion_ids.insert(id) {
            errors.push(CriteriaError::DuplicateCriterionId {
                place: Place::Criterion {
                    position: i + 1,
                    id: id.to_string(),
                },
                id: id.to_string(),
            });
        }
        check_criterion(criterion, i + 1, errors);
        for (j, item) in criterion.items.iter().enumerate() {
            if !item.id.trim().is_empty() && !item_ids.insert(item.id.as_str()) {
                errors.push(CriteriaError::DuplicateItemId {
                    place: item_place(criterion, i + 1, item, j + 1),
                    id: item.id.clone(),
                });
            }
        }
    }
    check_criteria_sum(set, errors);
}

/// The criteria maxima must add up to the set's total, when all of them are known.
fn check_criteria_sum(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    let maxima: Option<Vec<u32>> = set.criteria.iter().map(|c| c.max_points).collect();
    if let (Some(total_max), Some(maxima)) = (set.total_max, maxima) {
        let sum = maxima.iter().fold(0, |a: u32, &b| a.saturating_add(b));
        if sum != total_max {
            errors.push(CriteriaError::CriteriaSumMismatch { sum, total_max });
        }
    }
}

fn check_criterion(criterion: &Criterion, position: usize, errors: &mut Vec<CriteriaError>) {
    let place = Place::Criterion {
        position,
        id: criterion.id.clone(),
    };
    require_text(errors, &place, Field::CriterionId, &criterion.id);
    require_text(errors, &place, Field::CriterionName, &criterion.name);
    check_provenance(&criterion.provenance, &place, errors);
    if criterion.items.is_empty() {
        errors.push(CriteriaError::NoItems {
            place: place.clone(),
        });
    }
    for (i, item) in criterion.items.iter().enumerate() {
        let item_place = item_place(criterion, position, item, i + 1);
        check_item(item, &item_place, errors);
        let item_max = item.rule.max_points();
        if let (Some(item_max), Some(criterion_max)) = (item_max, criterion.max_points) {
            if item_max > criterion_max {
                errors.push(CriteriaError::ItemAboveCriterionMax {
                    place: item_place,
                    item_max,
                    criterion_max,
                });
            }
        }
    }
    check_items_sum(criterion, &place, errors);
}

fn item_place(
    criterion: &Criterion,
    criterion_position: usize,
    item: &Item,
    position: usize,
) -> Place {
    Place::Item {
        criterion_position,
        criterion_id: criterion.id.clone(),
        position,
        id: item.id.clone(),
    }
}

/// Item maxima must add up to the criterion's, when the criterion's and all items' are known.
fn check_items_sum(criterion: &Criterion, place: &Place, errors: &mut Vec<CriteriaError>) {
    let maxima: Option<Vec<u32>> = criterion
        .items
        .iter()
        .map(|i| i.rule.max_points())
        .collect();
    if let (Some(criterion_max), Some(maxima)) = (criterion.max_points, maxima) {
        let sum = maxima.iter().fold(0, |a: u32, &b| a.saturating_add(b));
        if !maxima.is_empty() && sum != criterion_max {
            errors.push(CriteriaError::ItemsSumMismatch {
                place: place.clone(),
                sum,
                criterion_max,
            });
        }
    }
}

fn check_provenance(provenance: &Provenance, place: &Place, errors: &mut Vec<CriteriaError>) {
    match provenance {
        Provenance::Verified { source } | Provenance::Secondary { source } => {
            require_text(errors, place, Field::ProvenanceSource, source)
        }
        Provenance::NotEncoded { note } => require_text(errors, place, Field::ProvenanceNote, note),
    }
}

fn check_item(item: &Item, place: &Place, errors: &mut Vec<CriteriaError>) {
    require_text(errors, place, Field::ItemId, &item.id);
    require_text(errors, place, Field::ItemText, &item.text);
    check_provenance(&item.provenance, place, errors);
    if let Some((numerator, denominator)) = item.rule.ratio_labels() {
        require_text(errors, place, Field::NumeratorLabel, numerator);
        require_text(errors, place, Field::DenominatorLabel, denominator);
    }
    match &item.rule {
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
        Rule::Rate { bands, .. } => check_min_bands(bands, true, place, errors),
        Rule::Survey { bands, .. } => check_min_bands(bands, true, place, errors),
        Rule::Count { label, bands, .. } => {
            require_text(errors, place, Field::CountLabel, label);
            check_min_bands(bands, false, place, errors);
        }
        Rule::PerPopulation { per, bands, .. } => {
            if *per == 0 {
                errors.push(CriteriaError::ZeroPer {
                    place: place.clone(),
                });
            }
            check_max_bands(bands, place, errors);
        }
    }
}

/// Higher-is-better bands: bounds strictly increasing, points never decreasing; percentages
/// within 0..=100, counts not negative.
fn check_min_bands(
    bands: &[MinBand],
    percent: bool,
    place: &Place,
    errors: &mut Vec<CriteriaError>,
) {
    let bounds: Vec<f64> = bands.iter().map(|b| b.min).collect();
    let points: Vec<u32> = bands.iter().map(|b| b.points).collect();
    check_bands(&bounds, percent, place, errors);
    if points.windows(2).any(|w| w[1] < w[0]) {
        errors.push(CriteriaError::BandPointsOutOfOrder {
            place: place.clone(),
            higher_is_better: true,
        });
    }
}

/// Lower-is-better bands: bounds strictly increasing, points never increasing, not negative.
fn check_max_bands(bands: &[MaxBand], place: &Place, errors: &mut Vec<CriteriaError>) {
    let bounds: Vec<f64> = bands.iter().map(|b| b.max).collect();
    let points: Vec<u32> = bands.iter().map(|b| b.points).collect();
    check_bands(&bounds, false, place, errors);
    if points.windows(2).any(|w| w[1] > w[0]) {
        errors.push(CriteriaError::BandPointsOutOfOrder {
            place: place.clone(),
            higher_is_better: false,
        });
    }
}

/// What both band kinds share: at least one band, bounds strictly increasing and in range.
fn check_bands(bounds: &[f64], percent: bool, place: &Place, errors: &mut Vec<CriteriaError>) {
    if bounds.is_empty() {
        errors.push(CriteriaError::EmptyBands {
            place: place.clone(),
        });
    }
    // Compared with `partial_cmp` so that a NaN bound (possible in a set built in code) fails.
    if bounds
        .windows(2)
        .any(|w| w[0].partial_cmp(&w[1]) != Some(Ordering::Less))
    {
        errors.push(CriteriaError::BandsNotIncreasing {
            place: place.clone(),
        });
    }
    for &value in bounds {
        if percent && !(0.0..=100.0).contains(&value) {
            errors.push(CriteriaError::RateOutOfRange {
                place: place.clone(),
                value,
            });
        } else if !percent && (value.is_nan() || value < 0.0) {
            errors.push(CriteriaError::NegativeBound {
                place: place.clone(),
                value,
            });
        }
    }
}

/// Examples must name items, criteria and unit categories of the set, give only inputs their
/// item's rule reads, and expect something.
fn check_examples(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    for (i, example) in set.examples.iter().enumerate() {
        let place = Place::Example {
            position: i + 1,
            name: example.name.clone(),
        };
        require_text(errors, &place, Field::ExampleName, &example.name);
        check_example(set, example, &place, errors);
    }
}

fn check_example(
    set: &CriteriaSet,
    example: &Example,
    place: &Place,
    errors: &mut Vec<CriteriaError>,
) {
    let item = |id: &str| {
        set.criteria
            .iter()
            .flat_map(|c| &c.items)
            .find(|i| i.id == id)
    };
    let has_criterion = |id: &str| set.criteria.iter().any(|c| c.id == id);
    let unknown_item = |field, item_id: &String| CriteriaError::ExampleUnknownItem {
        place: place.clone(),
        field,
        item_id: item_id.clone(),
    };
    let unknown_criterion = |field, criterion_id: &String| CriteriaError::ExampleUnknownCriterion {
        place: place.clone(),
        field,
        criterion_id: criterion_id.clone(),
    };
    for (item_id, input) in &example.inputs {
        match item(item_id) {
            None => errors.push(unknown_item(Field::ExampleInputs, item_id)),
            Some(found) => {
                for name in inputs_not_read(&found.rule, input) {
                    errors.push(CriteriaError::ExampleInputNotRead {
                        place: place.clone(),
                        item_id: item_id.clone(),
                        input: name,
                    });
                }
            }
        }
    }
    for criterion_id in example.recorded_max.keys() {
        if !has_criterion(criterion_id) {
            errors.push(unknown_criterion(Field::ExampleRecordedMax, criterion_id));
        }
    }
    let expected = &example.expected;
    for item_id in expected.items.keys() {
        if item(item_id).is_none() {
            errors.push(unknown_item(Field::ExampleExpected, item_id));
        }
    }
    for criterion_id in expected.criteria.keys() {
        if !has_criterion(criterion_id) {
            errors.push(unknown_criterion(Field::ExampleExpected, criterion_id));
        }
    }
    for id in expected.verdicts.keys() {
        if !set.unit_categories.iter().any(|u| &u.id == id) {
            errors.push(CriteriaError::ExampleUnknownUnitCategory {
                place: place.clone(),
                id: id.clone(),
            });
        }
    }
    if expected.items.is_empty()
        && expected.criteria.is_empty()
        && expected.total.is_none()
        && expected.verdicts.is_empty()
    {
        errors.push(CriteriaError::ExampleNothingExpected {
            place: place.clone(),
        });
    }
}

/// The JSON names of the inputs given that `rule` never reads; the assessor's points are read
/// by every rule that can fall back to them, so they are always accepted.
fn inputs_not_read(rule: &Rule, input: &ExampleInput) -> Vec<&'static str> {
    let ratio = rule.ratio_labels().is_some();
    let yes_no = matches!(rule, Rule::YesNo { .. });
    let count = matches!(rule, Rule::Count { .. });
    [
        ("yes", input.yes.is_some() && !yes_no),
        ("numerator", input.numerator.is_some() && !ratio),
        ("denominator", input.denominator.is_some() && !ratio),
        ("count", input.count.is_some() && !count),
    ]
    .into_iter()
    .filter_map(|(name, unread)| unread.then_some(name))
    .collect()
}

/// The JSON Schema of the criteria-set format, as shipped in
/// `public/schema/criteria-set.schema.json` for those who write sets by hand.
pub fn criteria_set_schema() -> String {
    let schema = schemars::schema_for!(CriteriaSet);
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    json.push('\n');
    json
}
