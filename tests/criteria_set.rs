//! The criteria-set format: the built-in set, the validator (one test per class of bad set),
//! parse errors, and the shipped JSON Schema.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::builtin::{builtin_qd06, builtin_sets};
use xa_phu_hop_tre_em::domain::criteria::{
    BelowBands, CriteriaSet, Provenance, Rule, ZeroDenominator,
};
use xa_phu_hop_tre_em::domain::criteria_validate::{
    criteria_set_schema, load_criteria_set, parse_criteria_set, validate, CriteriaError, Place,
};

const SCHEMA_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/public/schema/criteria-set.schema.json"
);

/// The validator's messages for a set, which must be rejected.
fn rejected(set: &CriteriaSet) -> Vec<String> {
    let errors = validate(set).expect_err("the set should be rejected");
    errors.iter().map(ToString::to_string).collect()
}

fn item_place(criterion: &str, criterion_position: usize, item: &str, position: usize) -> Place {
    Place::Item {
        criterion_position,
        criterion_id: criterion.to_string(),
        position,
        id: item.to_string(),
    }
}

// --- The built-in set ---------------------------------------------------------------------

#[test]
fn builtin_set_passes_the_validator() {
    for set in builtin_sets() {
        assert_eq!(validate(&set), Ok(()), "{}", set.id);
    }
}

#[test]
fn builtin_set_names_the_decision_and_its_13_criteria_verbatim() {
    let set = builtin_qd06();
    assert_eq!(
        (set.id.as_str(), set.version.as_str()),
        ("qd-06-2019", "1.0.0")
    );
    assert_eq!(set.legal_basis.number, "06/QĐ-TTg");
    assert_eq!(set.legal_basis.date, "2019-01-03");
    assert_eq!(set.legal_basis.issuer, "Thủ tướng Chính phủ");
    assert_eq!(
        set.title,
        "Quy định tiêu chuẩn, trình tự đánh giá và công nhận xã, phường, thị trấn phù hợp với trẻ em"
    );
    let names: Vec<(&str, &str)> = set
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("1", "Nguồn lực thực hiện quyền trẻ em"),
            ("2", "Trẻ em được khai sinh đúng quy định"),
            ("3", "Trẻ em bị xâm hại"),
            ("4", "Trẻ em vi phạm pháp luật, nghiện ma túy"),
            ("5", "Trẻ em bị tai nạn, thương tích"),
            ("6", "Trẻ em có hoàn cảnh đặc biệt được trợ giúp"),
            (
                "7",
                "Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin thuộc chương trình \
                 tiêm chủng mở rộng"
            ),
            (
                "8",
                "Trẻ em dưới 5 tuổi bị suy dinh dưỡng thể nhẹ cân và thể thấp còi"
            ),
            ("9", "Trẻ em được khám sức khỏe định kỳ"),
            ("10", "Trẻ em đến trường, lớp mầm non"),
            ("11", "Trẻ em được thực hiện quyền tham gia của trẻ em"),
            (
                "12",
                "Hoạt động vui chơi, giải trí, văn hóa, thể dục, thể thao dành cho trẻ em"
            ),
            (
                "13",
                "Mức độ hài lòng của trẻ em và người dân về việc thực hiện quyền trẻ em"
            ),
        ]
    );
}

#[test]
fn builtin_set_encodes_only_confirmed_numbers() {
    let set = builtin_qd06();
    assert_eq!(set.total_max, None, "1000 is not confirmed");
    assert!(set.pass_rule.all_criteria_required && set.pass_rule.no_zero_criterion);
    let thresholds: Vec<(&str, u32)> = set
        .unit_categories
        .iter()
        .map(|u| (u.id.as_str(), u.min_total))
        .collect();
    assert_eq!(
        thresholds,
        vec![
            ("phuong-thanh-pho-tw", 900),
            ("mien-nui-hai-dao-dbkk", 800),
            ("con-lai", 850)
        ]
    );
    for c in &set.criteria {
        match c.id.as_str() {
            "1" => assert_eq!(c.max_points, Some(100)),
            "6" => assert_eq!(c.max_points, Some(125)),
            "7" => assert_eq!(c.max_points, Some(50)),
            _ => {
                assert_eq!(c.max_points, None, "criterion {}", c.id);
                assert!(matches!(c.provenance, Provenance::NotEncoded { .. }));
                assert_eq!(c.items.len(), 1);
                assert_eq!(c.items[0].rule, Rule::Manual { max: None });
                assert_eq!(
                    c.items[0].text,
                    "Điểm theo bảng điểm chính thức của tiêu chí"
                );
            }
        }
    }
    let points: Vec<Option<u32>> = set.criteria[0]
        .items
        .iter()
        .map(|i| i.rule.max_points())
        .collect();
    assert_eq!(points, vec![Some(50), Some(15), Some(15), Some(20)]);
    assert!(matches!(
        set.criteria[0].items[3].provenance,
        Provenance::NotEncoded { .. }
    ));
}

#[test]
fn builtin_rates_fall_back_to_the_assessor_where_bands_are_unknown() {
    let set = builtin_qd06();
    let rates: Vec<(&str, f64, u32)> = set
        .criteria
        .iter()
        .flat_map(|c| &c.items)
        .filter_map(|i| match &i.rule {
            Rule::Rate {
                bands,
                below,
                zero_denominator,
                ..
            } => {
                assert_eq!(*below, BelowBands::Manual);
                assert_eq!(*zero_denominator, ZeroDenominator::Manual);
                assert_eq!(bands.len(), 1);
                Some((i.id.as_str(), bands[0].min, bands[0].points))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        rates,
        vec![("6.1", 95.0, 50), ("6.2", 100.0, 75), ("7.1", 98.0, 50)]
    );
}

#[test]
fn test_fixture_set_passes_the_validator() {
    assert_eq!(validate(&test_set()), Ok(()));
}

// --- The shipped JSON Schema --------------------------------------------------------------

/// `UPDATE_SCHEMA=1 cargo test --test criteria_set` rewrites the shipped schema.
#[test]
fn shipped_schema_matches_the_types() {
    let generated = criteria_set_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(SCHEMA_PATH, &generated).expect("write the schema");
    }
    let shipped = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
    assert!(
        shipped == generated,
        "public/schema/criteria-set.schema.json differs from the Rust types; regenerate it \
         with `UPDATE_SCHEMA=1 cargo test --test criteria_set` and commit the result"
    );
}

#[test]
fn schema_describes_rule_kinds() {
    let schema = criteria_set_schema();
    for kind in [
        "yes_no",
        "rate",
        "per_population",
        "count",
        "survey",
        "manual",
    ] {
        assert!(schema.contains(&format!("\"{kind}\"")), "{kind}");
    }
}

// --- Parse errors -------------------------------------------------------------------------

fn builtin_json() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/criteria/qd-06-2019.json"
    ))
    .unwrap()
}

#[test]
fn unknown_rule_kind_is_reported_with_line_and_column() {
    let json = builtin_json().replacen("\"kind\": \"yes_no\"", "\"kind\": \"co_khong\"", 1);
    let err = parse_criteria_set(&json).unwrap_err();
    let CriteriaError::Parse { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(*line > 1 && *column > 0);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("Dòng {line}, cột {column}: ")),
        "{message}"
    );
    assert!(
        message.contains(
            "«loại quy tắc chấm điểm» (`kind`) của cách chấm điểm, mục thứ 1, tiêu chí thứ 1 là \
             \"co_khong\"; chỉ nhận \"yes_no\""
        ),
        "{message}"
    );
}

#[test]
fn missing_field_is_named() {
    let json = builtin_json().replacen("\"issuer\": \"Thủ tướng Chính phủ\",", "", 1);
    let message = parse_criteria_set(&json).unwrap_err().to_string();
    assert!(
        message.contains("thiếu trường `issuer` («cơ quan ban hành») trong «căn cứ pháp lý»"),
        "{message}"
    );
}

#[test]
fn missing_rule_kind_is_named() {
    let json = builtin_json().replacen("\"kind\": \"yes_no\",", "", 1);
    let message = parse_criteria_set(&json).unwrap_err().to_string();
    assert!(
        message.contains(
            "thiếu trường `kind` («loại quy tắc chấm điểm») trong «cách chấm điểm» (`rule`) của \
             mục thứ 1, tiêu chí thứ 1"
        ),
        "{message}"
    );
}

#[test]
fn unknown_field_is_named() {
    let json = builtin_json().replacen("\"total_max\": null,", "\"tong_diem\": 1000,", 1);
    let message = parse_criteria_set(&json).unwrap_err().to_string();
    assert!(
        message.contains("trường không có trong định dạng: `tong_diem`"),
        "{message}"
    );
}

#[test]
fn wrong_type_is_explained() {
    let json = builtin_json().replacen("\"max_points\": 100", "\"max_points\": \"100\"", 1);
    let message = parse_criteria_set(&json).unwrap_err().to_string();
    assert!(
        message.contains(
            "sai kiểu dữ liệu: «điểm tối đa của tiêu chí» (`max_points`) của tiêu chí thứ 1 phải \
             là một số nguyên từ 0 đến 4.294.967.295, nhưng có chuỗi \"100\""
        ),
        "{message}"
    );
}

#[test]
fn syntax_errors_are_reported() {
    let err = parse_criteria_set("{\n  \"format\": 1,\n}").unwrap_err();
    assert_eq!(err.to_string(), "Dòng 3, cột 1: dấu phẩy thừa");
    let err = parse_criteria_set("{\"format\": 1,").unwrap_err();
    assert!(
        err.to_string()
            .contains("tệp kết thúc giữa chừng (bị cắt ngang?)"),
        "{err}"
    );
}

#[test]
fn a_newer_format_is_reported_as_such() {
    let json = builtin_json().replacen("\"format\": 1,", "\"format\": 2, \"moi\": true,", 1);
    let err = parse_criteria_set(&json).unwrap_err();
    assert_eq!(
        err,
        CriteriaError::UnsupportedFormat {
            found: 2,
            supported: 1
        }
    );
    assert!(
        err.to_string()
            .contains("định dạng phiên bản 2 không được hỗ trợ"),
        "{err}"
    );
}

#[test]
fn load_parses_then_validates() {
    assert_eq!(load_criteria_set(&builtin_json()), Ok(builtin_qd06()));
    let json = builtin_json().replacen("\"min_total\": 900", "\"min_total\": 0", 1);
    let errors = load_criteria_set(&json).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "Loại đơn vị phuong-thanh-pho-tw: ngưỡng đạt phải lớn hơn 0 điểm"
    );
}

// --- The validator, one class of bad set per test ------------------------------------------

#[test]
fn unsupported_format() {
    let mut set = test_set();
    set.format = 7;
    assert_eq!(
        rejected(&set),
        vec![
            "Bộ tiêu chí: định dạng phiên bản 7 không được hỗ trợ (ứng dụng này đọc định dạng \
              phiên bản 1)"
        ]
    );
}

#[test]
fn duplicate_criterion_id() {
    let mut set = test_set();
    set.criteria[4].id = "A".to_string();
    assert_eq!(
        rejected(&set),
        vec!["Bộ tiêu chí: mã tiêu chí \"A\" bị trùng"]
    );
}

#[test]
fn duplicate_item_id_across_criteria() {
    let mut set = test_set();
    set.criteria[4].items[0].id = "a.1".to_string();
    assert_eq!(
        rejected(&set),
        vec!["Bộ tiêu chí: mã mục \"a.1\" bị trùng (mã mục phải duy nhất trong cả bộ)"]
    );
}

#[test]
fn duplicate_unit_category_id() {
    let mut set = test_set();
    set.unit_categories[2].id = "t900".to_string();
    assert_eq!(
        rejected(&set),
        vec!["Bộ tiêu chí: mã loại đơn vị \"t900\" bị trùng"]
    );
}

#[test]
fn empty_bands() {
    let mut set = test_set();
    set.criteria[2].items[1].rule = rate(&[], BelowBands::Manual, ZeroDenominator::Manual);
    let errors = validate(&set).unwrap_err();
    assert!(errors.contains(&CriteriaError::EmptyBands {
        place: item_place("C", 3, "c.2", 2)
    }));
    assert!(errors
        .iter()
        .any(|e| e.to_string() == "Tiêu chí C, mục c.2: chưa có ngưỡng điểm nào"));
}

#[test]
fn overlapping_bands() {
    let mut set = test_set();
    set.criteria[0].items[1].rule = rate(
        &[(80.0, 20), (80.0, 40), (95.0, 60)],
        BelowBands::ZeroPoints,
        ZeroDenominator::Manual,
    );
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí A, mục a.2: các ngưỡng không tăng dần"]
    );
}

#[test]
fn decreasing_bands() {
    let mut set = test_set();
    set.criteria[1].items[0].rule = per_population(
        1000,
        &[(3.0, 50), (1.0, 30), (5.0, 10)],
        ZeroDenominator::FullPoints,
    );
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí B, mục b.1: các ngưỡng không tăng dần"]
    );
}

#[test]
fn points_falling_as_a_higher_is_better_rate_rises() {
    let mut set = test_set();
    set.criteria[0].items[1].rule = rate(
        &[(80.0, 40), (90.0, 20), (95.0, 60)],
        BelowBands::ZeroPoints,
        ZeroDenominator::Manual,
    );
    assert_eq!(
        rejected(&set),
        vec![
            "Tiêu chí A, mục a.2: điểm giảm khi ngưỡng tăng (ngưỡng cao hơn phải được điểm bằng \
              hoặc cao hơn)"
        ]
    );
}

#[test]
fn points_rising_as_a_per_population_rate_rises() {
    let mut set = test_set();
    set.criteria[1].items[0].rule = per_population(
        1000,
        &[(1.0, 30), (3.0, 50), (5.0, 10)],
        ZeroDenominator::FullPoints,
    );
    assert_eq!(
        rejected(&set),
        vec![
            "Tiêu chí B, mục b.1: điểm tăng khi ngưỡng tăng (tỷ suất càng cao phải được điểm \
              càng thấp)"
        ]
    );
}

#[test]
fn rate_bound_above_100() {
    let mut set = test_set();
    set.criteria[2].items[0].rule = survey(
        &[(70.0, 30), (105.0, 50)],
        BelowBands::Manual,
        ZeroDenominator::Manual,
    );
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí C, mục c.1: ngưỡng 105% nằm ngoài khoảng 0–100"]
    );
}

#[test]
fn negative_count_bound() {
    let mut set = test_set();
    set.criteria[1].items[1].rule = count(&[(-1.0, 20), (4.0, 50)], BelowBands::ZeroPoints);
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí B, mục b.2: ngưỡng -1 không được âm"]
    );
}

#[test]
fn items_not_adding_up_to_the_criterion_maximum() {
    let mut set = test_set();
    set.criteria[0].items[0].rule = Rule::YesNo { points: 30 };
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí A: tổng điểm tối đa các mục (90) khác điểm tối đa của tiêu chí (100)"]
    );
}

#[test]
fn item_above_the_criterion_maximum() {
    let mut set = test_set();
    set.criteria[4].items[0].rule = Rule::Manual { max: Some(60) };
    assert_eq!(
        rejected(&set),
        vec![
            "Tiêu chí E, mục e.1: điểm tối đa của mục (60) lớn hơn điểm tối đa của tiêu chí (50)",
            "Tiêu chí E: tổng điểm tối đa các mục (60) khác điểm tối đa của tiêu chí (50)",
        ]
    );
}

#[test]
fn item_above_the_criterion_maximum_even_beside_unknown_maxima() {
    let mut set = test_set();
    set.criteria[4]
        .items
        .push(item("e.2", Rule::YesNo { points: 70 }));
    set.criteria[4].items[0].rule = Rule::Manual { max: None };
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí E, mục e.2: điểm tối đa của mục (70) lớn hơn điểm tối đa của tiêu chí (50)"]
    );
}

#[test]
fn threshold_above_the_total_maximum() {
    let mut set = test_set();
    set.criteria[3].max_points = Some(500);
    set.total_max = Some(850);
    assert_eq!(
        rejected(&set),
        vec!["Loại đơn vị t900: ngưỡng đạt 900 điểm lớn hơn tổng điểm tối đa (850)"]
    );
}

#[test]
fn criteria_not_adding_up_to_the_total_maximum() {
    let mut set = test_set();
    set.criteria[3].max_points = Some(500);
    set.total_max = Some(1000);
    assert_eq!(
        rejected(&set),
        vec![
            "Bộ tiêu chí: tổng điểm tối đa các tiêu chí (850) khác tổng điểm tối đa của bộ (1000)"
        ]
    );
}

#[test]
fn empty_names() {
    let mut set = test_set();
    set.criteria[2].name = "  ".to_string();
    set.criteria[2].items[0].text = String::new();
    set.unit_categories[0].label = String::new();
    assert_eq!(
        rejected(&set),
        vec![
            "Loại đơn vị t900: nhãn (\"label\") đang để trống",
            "Tiêu chí C: tên tiêu chí (\"name\") đang để trống",
            "Tiêu chí C, mục c.1: nội dung (\"text\") đang để trống",
        ]
    );
}

#[test]
fn empty_ids_are_placed_by_position() {
    let mut set = test_set();
    set.criteria[1].id = String::new();
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí thứ 2: mã tiêu chí (\"id\") đang để trống"]
    );
}

#[test]
fn per_population_base_of_zero() {
    let mut set = test_set();
    set.criteria[1].items[0].rule = per_population(
        0,
        &[(1.0, 50), (3.0, 30), (5.0, 10)],
        ZeroDenominator::FullPoints,
    );
    assert_eq!(
        rejected(&set),
        vec!["Tiêu chí B, mục b.1: cơ số của tỷ suất (trường \"per\") phải lớn hơn 0"]
    );
}

#[test]
fn pass_threshold_of_zero() {
    let mut set = test_set();
    set.unit_categories[1].min_total = 0;
    assert_eq!(
        rejected(&set),
        vec!["Loại đơn vị t850: ngưỡng đạt phải lớn hơn 0 điểm"]
    );
}

#[test]
fn no_criteria_no_categories_no_items() {
    let mut set = test_set();
    set.unit_categories.clear();
    set.criteria.truncate(1);
    set.criteria[0].items.clear();
    set.criteria[0].max_points = None;
    assert_eq!(
        rejected(&set),
        vec![
            "Bộ tiêu chí: chưa có loại đơn vị nào (cần ít nhất một ngưỡng điểm đạt)",
            "Tiêu chí A: chưa có mục nào",
        ]
    );
    set.criteria.clear();
    assert!(rejected(&set).contains(&"Bộ tiêu chí: chưa có tiêu chí nào".to_string()));
}

#[test]
fn every_error_is_returned_not_just_the_first() {
    let mut set = test_set();
    set.format = 9;
    set.title = String::new();
    set.unit_categories[0].min_total = 0;
    set.criteria[0].items[1].rule = rate(
        &[(95.0, 20), (90.0, 10)],
        BelowBands::ZeroPoints,
        ZeroDenominator::Manual,
    );
    assert_eq!(rejected(&set).len(), 6, "{:#?}", rejected(&set));
}
