//! Fixtures shared by the integration tests and the benchmark: a small criteria set that
//! exercises every rule kind, and builders for answers and assessments.
//!
//! Each test crate uses a subset of these helpers, hence the allowance below.
#![allow(dead_code)]

use std::collections::BTreeMap;

use xa_phu_hop_tre_em::domain::assessment::{
    Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef,
};
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::criteria::{
    BelowBands, CriteriaSet, Criterion, Item, LegalBasis, MaxBand, MinBand, PassRule, Provenance,
    Rule, UnitCategory, ZeroDenominator, CRITERIA_FORMAT,
};

pub fn min_bands(bands: &[(f64, u32)]) -> Vec<MinBand> {
    bands
        .iter()
        .map(|&(min, points)| MinBand { min, points })
        .collect()
}

pub fn max_bands(bands: &[(f64, u32)]) -> Vec<MaxBand> {
    bands
        .iter()
        .map(|&(max, points)| MaxBand { max, points })
        .collect()
}

pub fn item(id: &str, rule: Rule) -> Item {
    Item {
        id: id.to_string(),
        text: format!("Mục thử {id}"),
        hint: None,
        rule,
        provenance: Provenance::NotEncoded {
            note: "Bộ tiêu chí dùng để kiểm thử".to_string(),
        },
    }
}

pub fn criterion(id: &str, max_points: Option<u32>, items: Vec<Item>) -> Criterion {
    Criterion {
        id: id.to_string(),
        name: format!("Tiêu chí thử {id}"),
        max_points,
        provenance: Provenance::NotEncoded {
            note: "Bộ tiêu chí dùng để kiểm thử".to_string(),
        },
        items,
    }
}

pub fn rate(bands: &[(f64, u32)], below: BelowBands, zero: ZeroDenominator) -> Rule {
    Rule::Rate {
        numerator_label: "Số trẻ em được trợ giúp".to_string(),
        denominator_label: "Số trẻ em cần trợ giúp".to_string(),
        bands: min_bands(bands),
        below,
        zero_denominator: zero,
    }
}

pub fn per_population(per: u32, bands: &[(f64, u32)], zero: ZeroDenominator) -> Rule {
    Rule::PerPopulation {
        numerator_label: "Số trẻ em bị tai nạn".to_string(),
        denominator_label: "Tổng số trẻ em".to_string(),
        per,
        bands: max_bands(bands),
        zero_denominator: zero,
    }
}

pub fn count(bands: &[(f64, u32)], below: BelowBands) -> Rule {
    Rule::Count {
        label: "Số buổi sinh hoạt".to_string(),
        bands: min_bands(bands),
        below,
    }
}

pub fn survey(bands: &[(f64, u32)], below: BelowBands, zero: ZeroDenominator) -> Rule {
    Rule::Survey {
        bands: min_bands(bands),
        below,
        zero_denominator: zero,
    }
}

/// Every rule kind, with maxima: A 100, B 100, C 100, D unknown, E 50.
///
/// - a.1 yes/no 40; a.2 rate ≥80 → 20, ≥90 → 40, ≥95 → 60 (below 0, zero den. not applicable)
/// - b.1 per 1000, ≤1 → 50, ≤3 → 30, ≤5 → 10 (zero den. full points); b.2 count ≥2 → 20,
///   ≥4 → 50 (below 0)
/// - c.1 survey ≥70 → 30, ≥85 → 50 (below manual, zero den. manual); c.2 rate ≥95 → 50
///   (below manual, zero den. 0)
/// - d.1 manual without maximum; e.1 manual up to 50
pub fn test_set() -> CriteriaSet {
    CriteriaSet {
        format: CRITERIA_FORMAT,
        id: "thu-nghiem".to_string(),
        version: "1.0.0".to_string(),
        title: "Bộ tiêu chí thử nghiệm".to_string(),
        legal_basis: LegalBasis {
            number: "00/TEST".to_string(),
            date: "2019-01-03".to_string(),
            issuer: "Kiểm thử".to_string(),
            title: "Bộ tiêu chí dùng để kiểm thử".to_string(),
        },
        valid_from: None,
        valid_to: None,
        total_max: None,
        unit_categories: vec![
            category("t900", 900),
            category("t850", 850),
            category("t800", 800),
        ],
        pass_rule: PassRule {
            all_criteria_required: true,
            no_zero_criterion: true,
        },
        criteria: vec![
            criterion(
                "A",
                Some(100),
                vec![
                    item("a.1", Rule::YesNo { points: 40 }),
                    item(
                        "a.2",
                        rate(
                            &[(80.0, 20), (90.0, 40), (95.0, 60)],
                            BelowBands::ZeroPoints,
                            ZeroDenominator::NotApplicable,
                        ),
                    ),
                ],
            ),
            criterion(
                "B",
                Some(100),
                vec![
                    item(
                        "b.1",
                        per_population(
                            1000,
                            &[(1.0, 50), (3.0, 30), (5.0, 10)],
                            ZeroDenominator::FullPoints,
                        ),
                    ),
                    item(
                        "b.2",
                        count(&[(2.0, 20), (4.0, 50)], BelowBands::ZeroPoints),
                    ),
                ],
            ),
            criterion(
                "C",
                Some(100),
                vec![
                    item(
                        "c.1",
                        survey(
                            &[(70.0, 30), (85.0, 50)],
                            BelowBands::Manual,
                            ZeroDenominator::Manual,
                        ),
                    ),
                    item(
                        "c.2",
                        rate(
                            &[(95.0, 50)],
                            BelowBands::Manual,
                            ZeroDenominator::ZeroPoints,
                        ),
                    ),
                ],
            ),
            criterion("D", None, vec![item("d.1", Rule::Manual { max: None })]),
            criterion(
                "E",
                Some(50),
                vec![item("e.1", Rule::Manual { max: Some(50) })],
            ),
        ],
        notes: vec![],
        examples: vec![],
    }
}

fn category(id: &str, min_total: u32) -> UnitCategory {
    UnitCategory {
        id: id.to_string(),
        label: format!("Loại {id}"),
        official_wording: format!("Loại {id} theo văn bản"),
        min_total,
    }
}

pub fn yes(yes: bool) -> Answer {
    Answer {
        yes: Some(yes),
        ..Answer::default()
    }
}

pub fn ratio(numerator: f64, denominator: f64) -> Answer {
    Answer {
        numerator: Some(numerator),
        denominator: Some(denominator),
        ..Answer::default()
    }
}

pub fn counted(count: f64) -> Answer {
    Answer {
        count: Some(count),
        ..Answer::default()
    }
}

pub fn manual(points: f64) -> Answer {
    Answer {
        manual_points: Some(points),
        ..Answer::default()
    }
}

/// A ratio answer with the assessor's points for when the rule falls back to them.
pub fn ratio_with_points(numerator: f64, denominator: f64, points: f64) -> Answer {
    Answer {
        manual_points: Some(points),
        ..ratio(numerator, denominator)
    }
}

pub fn assessment(set: &CriteriaSet, category: &str, answers: Vec<(&str, Answer)>) -> Assessment {
    Assessment {
        id: "a-1".to_string(),
        criteria_set: CriteriaSetRef {
            id: set.id.clone(),
            version: set.version.clone(),
            hash: None,
        },
        commune: CommuneRef {
            code: "00001".to_string(),
            name: "Phường Thử".to_string(),
            province_code: "01".to_string(),
            province_name: "Thành phố Hà Nội".to_string(),
        },
        unit_category: category.to_string(),
        year: 2025,
        assessor: Assessor::default(),
        answers: answers
            .into_iter()
            .map(|(id, a)| (id.to_string(), a))
            .collect(),
        recorded_max: BTreeMap::new(),
        created_at: 0.0,
        updated_at: 0.0,
        set_moves: Vec::new(),
    }
}

/// Full marks on the test set except d.1, which gets `d_points`: total = 350 + `d_points`.
pub fn full_marks(set: &CriteriaSet, category: &str, d_points: f64) -> Assessment {
    assessment(
        set,
        category,
        vec![
            ("a.1", yes(true)),
            ("a.2", ratio(19.0, 20.0)),
            ("b.1", ratio(1.0, 1000.0)),
            ("b.2", counted(4.0)),
            ("c.1", ratio(17.0, 20.0)),
            ("c.2", ratio(95.0, 100.0)),
            ("d.1", manual(d_points)),
            ("e.1", manual(50.0)),
        ],
    )
}

/// The built-in set fully answered: criteria 1, 6, 7 at their maxima (275 points) and the
/// ten assessor-scored criteria at `others` points each.
pub fn builtin_full(category: &str, others: f64) -> Assessment {
    let set = builtin_qd06();
    let mut answers = vec![
        ("1.1", yes(true)),
        ("1.2", yes(true)),
        ("1.3", yes(true)),
        ("1.4", manual(20.0)),
        ("6.1", ratio(19.0, 20.0)),
        ("6.2", ratio(3.0, 3.0)),
        ("7.1", ratio(49.0, 50.0)),
    ];
    let manual_ids = [
        "2.1", "3.1", "4.1", "5.1", "8.1", "9.1", "10.1", "11.1", "12.1", "13.1",
    ];
    answers.extend(manual_ids.iter().map(|&id| (id, manual(others))));
    assessment(&set, category, answers)
}
