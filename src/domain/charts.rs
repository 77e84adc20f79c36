//! Charts of a score as SVG text, drawn with charts-rs: points against the maximum per
//! criterion, each criterion as a share of its maximum, and the comparison with the commune's
//! previous assessment.
//!
//! charts-rs and the font it embeds are heavy, and the first screen draws no chart, so a chart
//! is made in two steps. The app describes it ([`ChartSpec`]: titles, captions, labels, values;
//! the `*_spec` functions here and in `dashboard_charts`) without charts-rs; [`draw`] turns a
//! description into SVG with charts-rs, in the part of the module fetched when a screen first
//! shows a chart (src/ui/views/charts.rs). `points_chart` and the like do both steps at once.
//!
//! The SVG is meant to be placed into the page as markup, so everything here is built to be
//! safe markup whatever the input: charts-rs escapes its text nodes and attributes, and the
//! only strings that reach it from data (criterion ids of a criteria set, which a province may
//! publish) are neutralised here first, so safety does not rest on charts-rs alone. Commune
//! names, assessor names and notes never reach a chart: titles and captions are page text.

use charts_rs::{
    svg_with_accessibility, BarChart, Box as Margin, Color, LegendCategory, RadarChart,
    RadarIndicator, Series,
};

use crate::domain::assessment::Assessment;
use crate::domain::criteria::CriteriaSet;
use crate::domain::numbers::format_number;
use crate::domain::scoring::AssessmentScore;

/// The page's own font stack (public/app.css `:root`). charts-rs writes `font-family="Roboto"`
/// by default, and a machine without Roboto would draw the labels in a serif fallback; with
/// the page's stack the labels get the same Vietnamese-capable font as the text around them.
/// Text is still measured with charts-rs's embedded Roboto, close enough in width.
pub const PAGE_FONT: &str = "'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";

/// Drawing width in SVG units: about a phone's width, so that at 360 px the labels are shown
/// close to their nominal size; wider screens scale the chart up (see `.chart` in app.css).
const WIDTH: f32 = 400.0;
const HEIGHT: f32 = 300.0;
const FONT_SIZE: f32 = 13.0;

/// The app's palette (public/app.css), so the charts print and read like the rest of the page.
const BLUE: &str = "#0b5394";
const LIGHT_BLUE: &str = "#9fc5e8";
const GREY: &str = "#c9ced6";
const TEXT: &str = "#1a1a1a";

/// A radar of fewer spokes is not a radar (charts-rs refuses it too).
const RADAR_MIN: usize = 3;

/// One chart ready for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Plain text, shown as the figure's heading.
    pub title: String,
    /// Safe SVG markup, or `None` when there is nothing to draw (the caption says why).
    pub svg: Option<String>,
    /// Plain text: what the chart shows and what it leaves out.
    pub caption: String,
}

/// What one chart shows, before charts-rs draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Plain text, shown as the figure's heading and given to the drawing as its name.
    pub title: String,
    /// Plain text: what the chart shows and what it leaves out.
    pub caption: String,
    /// The figures in words: the drawing's accessible description.
    pub desc: String,
    /// `None` when there is nothing to draw (the caption says why).
    pub drawing: Option<Drawing>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Drawing {
    Bars(Bars),
    Radar(Radar),
}

/// Bars per label, one colour per series; `width` and `height` in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub width: f32,
    pub height: f32,
    pub labels: Vec<String>,
    pub series: Vec<BarSeries>,
    pub x_title: String,
    /// A legend naming the series (when there are several).
    pub legend: bool,
    pub y_max: Option<f32>,
    /// Size of the labels along the axes.
    pub axis_font_size: f32,
    /// Size of the figures written on the bars.
    pub value_font_size: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    pub name: String,
    pub color: String,
    /// One per label; `None` draws no bar.
    pub values: Vec<Option<f32>>,
    /// Write each bar's figure on it.
    pub figures: bool,
}

/// One series on spokes from 0 to 100 (%).
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    pub spokes: Vec<String>,
    pub name: String,
    pub values: Vec<Option<f32>>,
}

/// Points earned and the maximum, per criterion. Criteria whose maximum is unknown have a
/// points bar only.
pub fn points_chart(set: &CriteriaSet, score: &AssessmentScore) -> Chart {
    draw(&points_spec(set, score))
}

pub fn points_spec(set: &CriteriaSet, score: &AssessmentScore) -> ChartSpec {
    let title = "Điểm đạt được và điểm tối đa theo tiêu chí".to_string();
    let rows = criterion_rows(set, score);
    let unknown: Vec<&str> = rows
        .iter()
        .filter(|r| r.max.is_none())
        .map(|r| r.label.as_str())
        .collect();
    let mut caption = "Cột đậm: điểm đạt được; cột nhạt: điểm tối đa của tiêu chí.".to_string();
    if !unknown.is_empty() {
        caption.push_str(&format!(
            " Chưa biết điểm tối đa của tiêu chí {} nên chỉ có cột điểm đạt được.",
            join_vi(&unknown)
        ));
    }
    let desc = rows
        .iter()
        .map(|r| match r.max {
            Some(max) => format!("Tiêu chí {}: {} trên {max} điểm", r.label, r.points),
            None => format!(
                "Tiêu chí {}: {} điểm, chưa biết điểm tối đa",
                r.label, r.points
            ),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let drawing = Drawing::Bars(Bars {
        series: vec![
            BarSeries {
                name: "Điểm đạt được".into(),
                color: BLUE.into(),
                values: rows.iter().map(|r| Some(r.points as f32)).collect(),
                figures: true,
            },
            BarSeries {
                name: "Điểm tối đa".into(),
                color: GREY.into(),
                values: rows.iter().map(|r| r.max.map(|m| m as f32)).collect(),
                figures: false,
            },
        ],
        ..results_bars(rows.iter().map(|r| r.label.clone()).collect())
    });
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(drawing),
    }
}

/// Each criterion's points as a share of its maximum, for the criteria whose maximum is known.
pub fn percent_chart(set: &CriteriaSet, score: &AssessmentScore) -> Chart {
    draw(&percent_spec(set, score))
}

pub fn percent_spec(set: &CriteriaSet, score: &AssessmentScore) -> ChartSpec {
    let title = "Tỷ lệ điểm đạt được so với điểm tối đa (%)".to_string();
    let rows = criterion_rows(set, score);
    let (known, left_out): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.percent.is_some());
    let left_out: Vec<&str> = left_out.iter().map(|r| r.label.as_str()).collect();
    let mut caption = format!(
        "Gồm {} tiêu chí đã biết điểm tối đa; mép ngoài là 100%.",
        known.len()
    );
    if !left_out.is_empty() {
        caption.push_str(&format!(
            " Không có tiêu chí {} vì chưa biết điểm tối đa (có thể ghi điểm tối đa theo bảng \
             điểm chính thức ở màn hình của tiêu chí).",
            join_vi(&left_out)
        ));
    }
    if known.len() < RADAR_MIN {
        return ChartSpec {
            title,
            caption: format!(
                "Chưa vẽ được: cần ít nhất {RADAR_MIN} tiêu chí đã biết điểm tối đa, hiện có {}. {}",
                known.len(),
                caption
            ),
            desc: String::new(),
            drawing: None,
        };
    }
    let desc = known
        .iter()
        .map(|r| {
            format!(
                "Tiêu chí {}: {}%",
                r.label,
                format_number(r.percent.unwrap_or_default(), 1)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let drawing = Drawing::Radar(Radar {
        spokes: known
            .iter()
            .map(|r| format!("Tiêu chí {}", r.label))
            .collect(),
        name: "Tỷ lệ đạt (%)".into(),
        // The web is fixed at 100%: points above a maximum (an inconsistent recorded maximum)
        // would otherwise stretch one spoke and distort the others. Whole percents, as
        // charts-rs writes a decimal point where Vietnamese has a comma (the description
        // keeps one decimal).
        values: known
            .iter()
            .map(|r| r.percent.map(|p| p.min(100.0).round() as f32))
            .collect(),
    });
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(drawing),
    }
}

/// One assessment's score and its year, for the comparison.
pub struct YearScore<'a> {
    pub year: u16,
    pub score: &'a AssessmentScore,
}

/// Points per criterion in the previous assessment and in this one, side by side. Criteria are
/// those of the current set, matched by id; one the previous set does not have gets no bar.
pub fn comparison_chart(
    set: &CriteriaSet,
    previous: YearScore<'_>,
    current: YearScore<'_>,
) -> Chart {
    draw(&comparison_spec(set, previous, current))
}

pub fn comparison_spec(
    set: &CriteriaSet,
    previous: YearScore<'_>,
    current: YearScore<'_>,
) -> ChartSpec {
    let title = format!(
        "So sánh điểm theo tiêu chí: năm {} và năm {}",
        previous.year, current.year
    );
    let rows = criterion_rows(set, current.score);
    let earlier = |id: &str| {
        previous
            .score
            .criteria
            .iter()
            .find(|c| c.criterion_id == id)
            .map(|c| c.points)
    };
    let before: Vec<Option<u32>> = set.criteria.iter().map(|c| earlier(&c.id)).collect();
    let caption = format!(
        "Tổng điểm năm {}: {} ({}); năm {}: {} ({}).",
        previous.year,
        previous.score.total,
        previous.score.verdict.label_vi(),
        current.year,
        current.score.total,
        current.score.verdict.label_vi()
    );
    let desc = rows
        .iter()
        .zip(&before)
        .map(|(r, b)| match b {
            Some(b) => format!(
                "Tiêu chí {}: {b} điểm năm {}, {} điểm năm {}",
                r.label, previous.year, r.points, current.year
            ),
            None => format!(
                "Tiêu chí {}: {} điểm năm {}",
                r.label, r.points, current.year
            ),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let drawing = Drawing::Bars(Bars {
        series: vec![
            BarSeries {
                name: format!("Năm {}", previous.year),
                color: LIGHT_BLUE.into(),
                values: before.iter().map(|p| p.map(|p| p as f32)).collect(),
                figures: false,
            },
            BarSeries {
                name: format!("Năm {}", current.year),
                color: BLUE.into(),
                values: rows.iter().map(|r| Some(r.points as f32)).collect(),
                figures: false,
            },
        ],
        ..results_bars(rows.iter().map(|r| r.label.clone()).collect())
    });
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(drawing),
    }
}

/// The bars of the results screen: a phone's width, criteria along the axis, with a legend.
fn results_bars(labels: Vec<String>) -> Bars {
    Bars {
        width: WIDTH,
        height: HEIGHT,
        labels,
        series: Vec::new(),
        x_title: "Tiêu chí".into(),
        legend: true,
        y_max: None,
        axis_font_size: FONT_SIZE,
        value_font_size: FONT_SIZE - 2.0,
    }
}

/// The assessment the comparison is made with: the same commune (by official code), the
/// latest earlier year; among several of that year, the one changed last.
pub fn previous_assessment<'a>(
    current: &Assessment,
    all: impl IntoIterator<Item = &'a Assessment>,
) -> Option<&'a Assessment> {
    all.into_iter()
        .filter(|a| {
            a.id != current.id && a.commune.code == current.commune.code && a.year < current.year
        })
        .max_by(|a, b| {
            a.year
                .cmp(&b.year)
                .then(a.updated_at.total_cmp(&b.updated_at))
        })
}

/// One criterion as the charts need it.
struct Row {
    /// The criterion id, safe to hand to charts-rs.
    label: String,
    points: u32,
    max: Option<u32>,
    percent: Option<f64>,
}

fn criterion_rows(set: &CriteriaSet, score: &AssessmentScore) -> Vec<Row> {
    set.criteria
        .iter()
        .map(|c| {
            let s = score.criteria.iter().find(|s| s.criterion_id == c.id);
            Row {
                label: neutralise(&c.id),
                points: s.map_or(0, |s| s.points),
                max: s.and_then(|s| s.max),
                percent: s.and_then(|s| s.percent),
            }
        })
        .collect()
}

/// A label from data made harmless before it reaches charts-rs (here and on the dashboard):
/// control characters go, the characters that mean something in markup become look-alike
/// full-width forms, and the length is capped so a long id cannot swamp the axis. Replacing
/// rather than entity-escaping keeps charts-rs (which escapes again) from showing "&amp;lt;"
/// to the reader.
pub(crate) fn neutralise(label: &str) -> String {
    const MAX_CHARS: usize = 12;
    let mut out: String = label
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_CHARS)
        .map(|c| match c {
            '<' => '＜',
            '>' => '＞',
            '&' => '＆',
            '"' => '＂',
            '\'' => '＇',
            c => c,
        })
        .collect();
    if label.chars().filter(|c| !c.is_control()).count() > MAX_CHARS {
        out.push('…');
    }
    out
}

/// "2, 3 và 4".
fn join_vi(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} và {last}", init.join(", ")),
    }
}

/// Draws one chart with charts-rs: what the charts worker does for each [`ChartSpec`].
pub fn draw(spec: &ChartSpec) -> Chart {
    let drawn = match &spec.drawing {
        None => {
            return Chart {
                title: spec.title.clone(),
                svg: None,
                caption: spec.caption.clone(),
            }
        }
        Some(Drawing::Bars(bars)) => (draw_bars(bars), bars.width, bars.height),
        Some(Drawing::Radar(radar)) => (draw_radar(radar), WIDTH, HEIGHT),
    };
    match drawn {
        (Ok(svg), width, height) => Chart {
            svg: Some(responsive(
                &svg_with_accessibility(&svg, &spec.title, &spec.desc),
                width,
                height,
            )),
            title: spec.title.clone(),
            caption: spec.caption.clone(),
        },
        (Err(e), ..) => Chart {
            svg: None,
            caption: format!("Không vẽ được biểu đồ ({e}). {}", spec.caption),
            title: spec.title.clone(),
        },
    }
}

fn draw_bars(bars: &Bars) -> charts_rs::Result<String> {
    let mut chart = BarChart::new(
        bars.series
            .iter()
            .map(|s| Series::new_nullable(s.name.clone(), s.values.clone()))
            .collect(),
        bars.labels.clone(),
    );
    chart.width = bars.width;
    chart.height = bars.height;
    chart.font_family = PAGE_FONT.into();
    chart.background_color = Color::white();
    chart.series.colors = bars
        .series
        .iter()
        .map(|s| s.color.as_str().into())
        .collect();
    chart.title.text = String::new();
    if bars.legend {
        chart.legend.category = LegendCategory::Rect;
        chart.legend.font.size = FONT_SIZE;
        chart.legend.font.color = TEXT.into();
        chart.legend.margin = Some(Margin {
            top: 4.0,
            bottom: 8.0,
            ..Default::default()
        });
    } else {
        chart.legend.show = Some(false);
    }
    for (drawn, series) in chart.series_list.iter_mut().zip(&bars.series) {
        drawn.label_show = series.figures;
    }
    chart.x_axis.title = bars.x_title.clone();
    chart.x_axis.font.size = bars.axis_font_size;
    chart.x_axis.font.color = TEXT.into();
    chart.series.label.font.size = bars.value_font_size;
    chart.series.label.font.color = TEXT.into();
    chart.series.label.hide_overlap = true;
    if let Some(y) = chart.y_axis_configs.first_mut() {
        y.font.size = FONT_SIZE;
        y.font.color = TEXT.into();
        y.min = Some(0.0);
        y.max = bars.y_max;
        // charts-rs cuts a fixed top in six (16.7, 33.3 … of 100%): whole steps instead.
        if let Some(top) = bars.y_max {
            y.split_number = [6, 5, 4]
                .into_iter()
                .find(|n| top % *n as f32 == 0.0)
                .unwrap_or(6);
        }
    }
    chart.svg()
}

fn draw_radar(radar: &Radar) -> charts_rs::Result<String> {
    let indicators = radar
        .spokes
        .iter()
        .map(|name| RadarIndicator {
            name: name.clone(),
            min: 0.0,
            max: 100.0,
        })
        .collect();
    let mut chart = RadarChart::new(
        vec![Series::new_nullable(
            radar.name.clone(),
            radar.values.clone(),
        )],
        indicators,
    );
    chart.width = WIDTH;
    chart.height = HEIGHT;
    chart.font_family = PAGE_FONT.into();
    chart.background_color = Color::white();
    chart.series.colors = vec![BLUE.into()];
    chart.legend.show = Some(false);
    chart.title.text = String::new();
    chart.series_list[0].label_show = true;
    chart.series.label.formatter = "{c}%".into();
    chart.series.label.font.size = FONT_SIZE - 1.0;
    chart.series.label.font.color = TEXT.into();
    chart.svg()
}

/// Rewrites the root tag: no fixed size, the view box only, so the chart takes the width of
/// its container (100%) and keeps its proportions at 360 px as on paper.
fn responsive(svg: &str, width: f32, height: f32) -> String {
    let body = svg.find('>').map_or("", |end| &svg[end + 1..]);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" class=\"chart-svg\">{body}"
    )
}
