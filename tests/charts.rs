//! The charts of a score: what they draw, that they scale and use the page's font, and that no
//! hostile text from an assessment or a published criteria set can break out of the SVG that
//! the results screen and the report place into the page as markup.
// Native only: proptest and friends do not build for wasm32; browser tests are browser_*.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{assessment, builtin_full, manual, ratio, test_set, yes};
use xa_phu_hop_tre_em::domain::assessment::Assessment;
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::charts::{
    comparison_chart, draw, percent_chart, percent_spec, points_chart, points_spec,
    previous_assessment, Chart, YearScore, PAGE_FONT,
};
use xa_phu_hop_tre_em::domain::criteria::CriteriaSet;
use xa_phu_hop_tre_em::domain::scoring::score;

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</svg><script>alert(2)</script>",
    "' onload='alert(3)",
];

/// Every chart of an assessment, with a previous one to compare with.
fn all_charts(set: &CriteriaSet, current: &Assessment, previous: &Assessment) -> Vec<Chart> {
    let now = score(set, current);
    let before = score(set, previous);
    vec![
        points_chart(set, &now),
        percent_chart(set, &now),
        comparison_chart(
            set,
            YearScore {
                year: previous.year,
                score: &before,
            },
            YearScore {
                year: current.year,
                score: &now,
            },
        ),
    ]
}

/// Fills every place of an assessment where a user types free text with hostile strings.
fn poisoned(mut a: Assessment, year: u16) -> Assessment {
    a.year = year;
    a.commune.name = HOSTILE.join(" ");
    a.commune.province_name = HOSTILE[1].into();
    a.assessor.name = HOSTILE[0].into();
    a.assessor.position = HOSTILE[2].into();
    for (i, answer) in a.answers.values_mut().enumerate() {
        answer.explanation = HOSTILE[i % HOSTILE.len()].into();
        answer.source = HOSTILE[(i + 1) % HOSTILE.len()].into();
    }
    a
}

/// Parse-level check of one SVG document: one root element that opens first and closes last,
/// no element other than the SVG vocabulary charts-rs draws with, and no event handler or
/// `javascript:` anywhere in a tag.
fn assert_safe_svg(svg: &str) {
    const ALLOWED: [&str; 12] = [
        "svg", "g", "rect", "line", "path", "polyline", "polygon", "circle", "text", "title",
        "desc", "style",
    ];
    assert!(svg.starts_with("<svg "), "starts with the root: {svg:.80}");
    assert!(svg.ends_with("</svg>"), "ends with the root");
    assert_eq!(svg.matches("</svg>").count(), 1, "exactly one </svg>");
    assert_eq!(svg.matches("<svg").count(), 1, "exactly one <svg");
    let lower = svg.to_lowercase();
    assert!(!lower.contains("<script"), "no script element");
    assert!(!lower.contains("<img"), "no img element");
    assert!(!lower.contains("javascript:"), "no javascript: URL");
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("every tag is closed");
        let tag = &after[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            ALLOWED.contains(&name.as_str()),
            "unexpected element <{tag}>"
        );
        // Attribute names only: values are quoted and their quotes escaped, so a quote inside a
        // value would have ended it early and shown up here as a stray attribute.
        let mut in_value = false;
        let mut names = String::new();
        for c in tag.chars() {
            if c == '"' {
                in_value = !in_value;
            } else if !in_value {
                names.push(c);
            }
        }
        assert!(!in_value, "unbalanced quotes in <{tag}>");
        assert!(
            !names.to_lowercase().contains(" on"),
            "event handler in <{tag}>"
        );
        assert!(!names.contains('\''), "single-quoted attribute in <{tag}>");
        rest = &after[end + 1..];
    }
    // Text between tags can only hold escaped markup characters.
    assert!(!svg.contains("<<"), "no stray '<'");
}

/// The check itself must catch what it is there for.
#[test]
fn the_markup_check_catches_injected_markup() {
    let bad = [
        "<svg viewBox=\"0 0 1 1\"><text>a</text></svg><img src=x onerror=alert(1)>",
        "<svg viewBox=\"0 0 1 1\"><script>alert(1)</script></svg>",
        "<svg viewBox=\"0 0 1 1\"><text x=\"1\" onload=\"alert(1)\">a</text></svg>",
        "<svg viewBox=\"0 0 1 1\"><text x=\"\"\" onload=alert(1)>a</text></svg>",
        "<svg viewBox=\"0 0 1 1\"><foreignObject></foreignObject></svg>",
    ];
    for svg in bad {
        let caught = std::panic::catch_unwind(|| assert_safe_svg(svg)).is_err();
        assert!(caught, "not caught: {svg}");
    }
    assert_safe_svg("<svg viewBox=\"0 0 1 1\"><text x=\"1\">&lt;script&gt;</text></svg>");
}

fn drawn(chart: &Chart) -> &str {
    chart
        .svg
        .as_deref()
        .unwrap_or_else(|| panic!("{} not drawn: {}", chart.title, chart.caption))
}

#[test]
fn hostile_commune_names_and_notes_stay_out_of_the_markup() {
    let set = builtin_qd06();
    let current = poisoned(builtin_full("con-lai", 40.0), 2026);
    let previous = poisoned(builtin_full("con-lai", 20.0), 2024);
    for chart in all_charts(&set, &current, &previous) {
        let svg = drawn(&chart);
        assert_safe_svg(svg);
        for hostile in HOSTILE {
            assert!(!svg.contains(hostile), "{} carries {hostile}", chart.title);
        }
    }
}

#[test]
fn hostile_criterion_ids_from_a_published_set_are_neutralised() {
    // A province publishes sets next to the app; criterion ids reach the axis labels.
    let mut set = test_set();
    for (criterion, hostile) in set.criteria.iter_mut().zip(HOSTILE.iter().cycle()) {
        criterion.id = format!("{}{hostile}", criterion.id);
        criterion.name = (*hostile).to_string();
    }
    let current = poisoned(common::full_marks(&set, "t850", 30.0), 2026);
    let previous = poisoned(common::full_marks(&set, "t850", 10.0), 2025);
    for chart in all_charts(&set, &current, &previous) {
        let svg = drawn(&chart);
        assert_safe_svg(svg);
        assert!(!svg.contains("alert(1)</script>"), "{}", chart.title);
    }
}

#[test]
fn charts_use_the_page_font_and_scale_to_their_container() {
    let set = builtin_qd06();
    let a = builtin_full("con-lai", 40.0);
    let mut before = a.clone();
    before.year = 2024;
    for chart in all_charts(&set, &a, &before) {
        let svg = drawn(&chart);
        assert!(!svg.contains("font-family=\"Roboto\""), "{}", chart.title);
        assert!(svg.contains(&format!("font-family=\"{PAGE_FONT}\"")));
        let root = &svg[..svg.find('>').unwrap()];
        assert!(root.contains("viewBox=\"0 0 "), "{root}");
        assert!(root.contains("width=\"100%\""), "{root}");
        assert!(!root.contains("height="), "no fixed height: {root}");
        assert!(root.contains("role=\"img\""), "{root}");
        assert!(svg.contains("<title>"), "accessible name");
    }
}

#[test]
fn vietnamese_labels_are_written_as_text() {
    let set = builtin_qd06();
    let a = builtin_full("con-lai", 40.0);
    let chart = points_chart(&set, &score(&set, &a));
    let svg = drawn(&chart);
    for label in ["Điểm đạt được", "Điểm tối đa", "Tiêu chí"] {
        assert!(svg.contains(label), "{label}");
    }
}

#[test]
fn the_bar_chart_has_every_criterion_and_says_which_maxima_are_unknown() {
    let set = builtin_qd06();
    let a = builtin_full("con-lai", 40.0);
    let chart = points_chart(&set, &score(&set, &a));
    let svg = drawn(&chart);
    for c in &set.criteria {
        assert!(svg.contains(&format!(">{}<", c.id)) || svg.contains(&format!(">\n{}\n<", c.id)));
        assert!(
            svg.contains(&format!("Tiêu chí {}:", c.id)),
            "described: {}",
            c.id
        );
    }
    // Criteria 1, 6 and 7 have official maxima; the other ten only points.
    assert!(chart
        .caption
        .contains("tiêu chí 2, 3, 4, 5, 8, 9, 10, 11, 12 và 13"));
    assert!(svg.contains("Tiêu chí 1: 100 trên 100 điểm"));
    assert!(svg.contains("Tiêu chí 2: 40 điểm, chưa biết điểm tối đa"));
}

#[test]
fn the_radar_only_has_criteria_with_a_known_maximum() {
    let set = builtin_qd06();
    let mut a = builtin_full("con-lai", 40.0);
    a.answers.insert("1.3".into(), yes(false));
    let chart = percent_chart(&set, &score(&set, &a));
    let svg = drawn(&chart);
    assert!(svg.contains("Tiêu chí 1: 85%"), "1: 85 of 100");
    assert!(svg.contains("Tiêu chí 6: 100%"));
    assert!(svg.contains("Tiêu chí 7: 100%"));
    assert!(
        !svg.contains("Tiêu chí 2:"),
        "criterion 2 has no known maximum"
    );
    assert!(chart.caption.starts_with("Gồm 3 tiêu chí"));
    assert!(chart.caption.contains("Không có tiêu chí 2, 3, 4,"));
}

/// The radar of the built-in set fully answered (criterion 2 at 40 points), criterion 2's
/// maximum recorded as `max`.
fn radar_with_criterion_2_of(max: u32) -> Chart {
    let set = builtin_qd06();
    let mut a = builtin_full("con-lai", 40.0);
    a.recorded_max.insert("2".into(), max);
    percent_chart(&set, &score(&set, &a))
}

#[test]
fn a_recorded_maximum_brings_a_criterion_into_the_radar() {
    let chart = radar_with_criterion_2_of(80);
    assert!(drawn(&chart).contains("Tiêu chí 2: 50%"));
    assert!(chart.caption.starts_with("Gồm 4 tiêu chí"));
}

/// The radar's figures are whole percents: charts-rs writes a decimal point («66.7%»), where
/// Vietnamese has a comma; the description keeps one decimal («66,7%»).
#[test]
fn the_radar_writes_whole_percents() {
    let chart = radar_with_criterion_2_of(60);
    let svg = drawn(&chart);
    assert!(svg.contains("Tiêu chí 2: 66,7%"), "description");
    assert!(svg.lines().any(|l| l.trim() == "67%"), "{svg}");
    assert!(!svg.contains("66.7"), "{svg}");
}

#[test]
fn too_few_known_maxima_give_a_caption_instead_of_a_radar() {
    let mut set = builtin_qd06();
    for c in set.criteria.iter_mut().filter(|c| c.id != "1") {
        c.max_points = None;
    }
    let a = builtin_full("con-lai", 40.0);
    let chart = percent_chart(&set, &score(&set, &a));
    assert_eq!(chart.svg, None);
    assert!(
        chart.caption.starts_with("Chưa vẽ được"),
        "{}",
        chart.caption
    );
}

#[test]
fn the_comparison_shows_both_years() {
    let set = builtin_qd06();
    let now = builtin_full("con-lai", 40.0);
    let before = assessment(
        &set,
        "con-lai",
        vec![
            ("1.1", yes(true)),
            ("2.1", manual(10.0)),
            ("6.1", ratio(1.0, 2.0)),
        ],
    );
    let (s_now, s_before) = (score(&set, &now), score(&set, &before));
    let chart = comparison_chart(
        &set,
        YearScore {
            year: 2024,
            score: &s_before,
        },
        YearScore {
            year: 2026,
            score: &s_now,
        },
    );
    let svg = drawn(&chart);
    assert!(svg.contains("Năm 2024") && svg.contains("Năm 2026"));
    assert!(svg.contains("Tiêu chí 1: 50 điểm năm 2024, 100 điểm năm 2026"));
    assert_eq!(
        chart.caption,
        format!(
            "Tổng điểm năm 2024: {} (Chưa đủ dữ liệu); năm 2026: {} (Chưa đạt).",
            s_before.total, s_now.total
        )
    );
}

#[test]
fn the_previous_assessment_is_the_same_commune_in_the_latest_earlier_year() {
    let set = builtin_qd06();
    let make = |id: &str, code: &str, year: u16, updated: f64| {
        let mut a = assessment(&set, "con-lai", vec![]);
        a.id = id.into();
        a.commune.code = code.into();
        a.year = year;
        a.updated_at = updated;
        a
    };
    let current = make("now", "00070", 2026, 5.0);
    let all = [
        make("other-commune", "00073", 2025, 9.0),
        make("older", "00070", 2022, 9.0),
        make("earlier-edit", "00070", 2024, 1.0),
        make("later-edit", "00070", 2024, 2.0),
        make("same-year", "00070", 2026, 9.0),
        make("future", "00070", 2027, 9.0),
        current.clone(),
    ];
    let found = previous_assessment(&current, &all).map(|a| a.id.as_str());
    assert_eq!(found, Some("later-edit"));
    assert_eq!(previous_assessment(&current, &all[..1]), None);
}

/// The screens describe charts and the split-off part draws them: the two steps give exactly
/// the charts of the one-step functions.
#[test]
fn described_then_drawn_is_the_same_chart() {
    let set = builtin_qd06();
    let now = score(&set, &builtin_full("con-lai", 0.0));
    assert_eq!(draw(&points_spec(&set, &now)), points_chart(&set, &now));
    assert_eq!(draw(&percent_spec(&set, &now)), percent_chart(&set, &now));
}
