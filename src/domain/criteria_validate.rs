//! Reading and checking a criteria set before anyone scores with it.
//!
//! A set may come from a province's site rather than from this build, so every problem is
//! reported, all at once, in Vietnamese, naming the place ("Tiêu chí 3, mục 3.2: …"), for the
//! person who edits the JSON.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use crate::domain::criteria::{
    CriteriaSet, Criterion, Item, MaxBand, MinBand, Provenance, Rule, UnitCategory, CRITERIA_FORMAT,
};

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
    /// `field` names the field in Vietnamese with its JSON key.
    EmptyText {
        place: Place,
        field: &'static str,
    },
    DuplicateCriterionId {
        id: String,
    },
    /// Item ids must be unique across the whole set: answers are keyed by them.
    DuplicateItemId {
        id: String,
    },
    DuplicateUnitCategoryId {
        id: String,
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
            E::EmptyText { place, field } => write!(f, "{place}: {field} đang để trống"),
            E::DuplicateCriterionId { id } => {
                write!(f, "Bộ tiêu chí: mã tiêu chí \"{id}\" bị trùng")
            }
            E::DuplicateItemId { id } => write!(
                f,
                "Bộ tiêu chí: mã mục \"{id}\" bị trùng (mã mục phải duy nhất trong cả bộ)"
            ),
            E::DuplicateUnitCategoryId { id } => {
                write!(f, "Bộ tiêu chí: mã loại đơn vị \"{id}\" bị trùng")
            }
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

/// Reads a set from JSON. Structural problems (syntax, missing fields, unknown rule kinds)
/// come back as [`CriteriaError::Parse`] with line and column; a set written for another
/// format version is reported as such rather than by whatever field then fails to read.
pub fn parse_criteria_set(json: &str) -> Result<CriteriaSet, CriteriaError> {
    serde_json::from_str(json).map_err(|err| match declared_format(json) {
        Some(found) if found != CRITERIA_FORMAT => CriteriaError::UnsupportedFormat {
            found,
            supported: CRITERIA_FORMAT,
        },
        _ => parse_error(&err),
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

fn parse_error(err: &serde_json::Error) -> CriteriaError {
    let (line, column) = (err.line(), err.column());
    // serde_json appends the position to its message; it is shown in Vietnamese instead.
    let full = err.to_string();
    let raw = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full);
    let message = match err.classify() {
        serde_json::error::Category::Data => data_message(raw),
        serde_json::error::Category::Eof => "JSON bị cắt cụt (kết thúc đột ngột)".to_string(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            syntax_message(raw)
        }
    };
    CriteriaError::Parse {
        line,
        column,
        message,
    }
}

/// The names in backquotes of a serde message, e.g. the variant and the expected ones.
fn quoted(raw: &str) -> Vec<&str> {
    raw.split('`').skip(1).step_by(2).collect()
}

fn data_message(raw: &str) -> String {
    let names = quoted(raw);
    let first = names.first().copied().unwrap_or_default();
    let expected = names.get(1..).unwrap_or_default().join(", ");
    if raw.starts_with("unknown variant") {
        let what = if names.contains(&"yes_no") {
            "loại quy tắc chấm điểm"
        } else if names.contains(&"not_encoded") {
            "trạng thái nguồn gốc"
        } else {
            "giá trị"
        };
        format!("{what} không hợp lệ: \"{first}\" (chỉ nhận: {expected})")
    } else if raw.starts_with("missing field") {
        match first {
            "kind" => "thiếu loại quy tắc chấm điểm (trường \"kind\")".to_string(),
            "status" => "thiếu trạng thái nguồn gốc (trường \"status\")".to_string(),
            _ => format!("thiếu trường \"{first}\""),
        }
    } else if raw.starts_with("unknown field") {
        format!("trường \"{first}\" không có trong định dạng (các trường hợp lệ: {expected})")
    } else if raw.starts_with("duplicate field") {
        format!("trường \"{first}\" bị lặp")
    } else if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "sai kiểu dữ liệu: cần {}, nhận được {found}",
            expected_vi(wanted)
        )
    } else if let Some(rest) = raw.strip_prefix("invalid value: ") {
        let (found, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "giá trị không hợp lệ: cần {}, nhận được {found}",
            expected_vi(wanted)
        )
    } else {
        format!("dữ liệu không hợp lệ ({raw})")
    }
}

/// serde's names for the expected kinds of value, in Vietnamese; others are kept as they are.
fn expected_vi(wanted: &str) -> String {
    const KINDS: [(&str, &str); 6] = [
        ("u32", "số nguyên không âm"),
        ("u16", "số nguyên không âm"),
        ("f64", "một số"),
        ("a string", "chuỗi ký tự"),
        ("a boolean", "true hoặc false"),
        ("a sequence", "danh sách [ … ]"),
    ];
    KINDS
        .iter()
        .find(|(en, _)| *en == wanted)
        .map(|(_, vi)| vi.to_string())
        .unwrap_or_else(|| format!("\"{wanted}\""))
}

fn syntax_message(raw: &str) -> String {
    const SYNTAX: [(&str, &str); 7] = [
        ("trailing comma", "thừa dấu phẩy"),
        ("trailing characters", "có ký tự thừa sau nội dung JSON"),
        ("expected value", "thiếu giá trị"),
        ("expected `,` or `}`", "thiếu dấu phẩy hoặc dấu }"),
        ("expected `,` or `]`", "thiếu dấu phẩy hoặc dấu ]"),
        ("expected `:`", "thiếu dấu hai chấm"),
        (
            "key must be a string",
            "tên trường phải đặt trong ngoặc kép",
        ),
    ];
    match SYNTAX.iter().find(|(en, _)| raw.starts_with(en)) {
        Some((_, vi)) => format!("JSON sai cú pháp: {vi}"),
        None => format!("JSON sai cú pháp ({raw})"),
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
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Pushes an error when `text` is empty or blank.
fn require_text(errors: &mut Vec<CriteriaError>, place: &Place, field: &'static str, text: &str) {
    if text.trim().is_empty() {
        errors.push(CriteriaError::EmptyText {
            place: place.clone(),
            field,
        });
    }
}

fn check_header(set: &CriteriaSet, errors: &mut Vec<CriteriaError>) {
    require_text(errors, &Place::Set, "mã bộ tiêu chí (\"id\")", &set.id);
    require_text(errors, &Place::Set, "phiên bản (\"version\")", &set.version);
    require_text(errors, &Place::Set, "tiêu đề (\"title\")", &set.title);
    let basis = &set.legal_basis;
    let place = Place::LegalBasis;
    require_text(errors, &place, "số văn bản (\"number\")", &basis.number);
    require_text(errors, &place, "ngày ký (\"date\")", &basis.date);
    require_text(
        errors,
        &place,
        "cơ quan ban hành (\"issuer\")",
        &basis.issuer,
    );
    require_text(errors, &place, "trích yếu (\"title\")", &basis.title);
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
    require_text(errors, place, "mã (\"id\")", &category.id);
    require_text(errors, place, "nhãn (\"label\")", &category.label);
    require_text(
        errors,
        place,
        "cách gọi trong văn bản (\"official_wording\")",
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
            errors.push(CriteriaError::DuplicateCriterionId { id: id.to_string() });
        }
        check_criterion(criterion, i + 1, errors);
        for item in &criterion.items {
            if !item.id.trim().is_empty() && !item_ids.insert(item.id.as_str()) {
                errors.push(CriteriaError::DuplicateItemId {
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
    require_text(errors, &place, "mã tiêu chí (\"id\")", &criterion.id);
    require_text(errors, &place, "tên tiêu chí (\"name\")", &criterion.name);
    check_provenance(&criterion.provenance, &place, errors);
    if criterion.items.is_empty() {
        errors.push(CriteriaError::NoItems {
            place: place.clone(),
        });
    }
    for (i, item) in criterion.items.iter().enumerate() {
        let item_place = Place::Item {
            criterion_position: position,
            criterion_id: criterion.id.clone(),
            position: i + 1,
            id: item.id.clone(),
        };
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
            require_text(errors, place, "nguồn (\"source\")", source)
        }
        Provenance::NotEncoded { note } => require_text(errors, place, "ghi chú (\"note\")", note),
    }
}

fn check_item(item: &Item, place: &Place, errors: &mut Vec<CriteriaError>) {
    require_text(errors, place, "mã mục (\"id\")", &item.id);
    require_text(errors, place, "nội dung (\"text\")", &item.text);
    check_provenance(&item.provenance, place, errors);
    if let Some((numerator, denominator)) = item.rule.ratio_labels() {
        require_text(errors, place, "nhãn tử số (\"numerator_label\")", numerator);
        require_text(
            errors,
            place,
            "nhãn mẫu số (\"denominator_label\")",
            denominator,
        );
    }
    match &item.rule {
        Rule::YesNo { .. } | Rule::Manual { .. } => {}
        Rule::Rate { bands, .. } => check_min_bands(bands, true, place, errors),
        Rule::Survey { bands, .. } => check_min_bands(bands, true, place, errors),
        Rule::Count { label, bands, .. } => {
            require_text(errors, place, "nhãn số lượng (\"label\")", label);
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

/// The JSON Schema of the criteria-set format, as shipped in
/// `public/schema/criteria-set.schema.json` for those who write sets by hand.
pub fn criteria_set_schema() -> String {
    let schema = schemars::schema_for!(CriteriaSet);
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    json.push('\n');
    json
}
