//! The dashboard's charts as SVG text, drawn with charts-rs: how the loaded communes' totals
//! are spread, and the average share of the maximum reached per criterion. Described here,
//! drawn in the part of the module loaded on demand, like the results charts (see `charts`).
//!
//! The SVG is placed into the page as markup. Only numbers, fixed Vietnamese labels and
//! criterion ids reach charts-rs; ids come from criteria sets (a province may publish its own)
//! and from persisted rows, so they are neutralised first, as on the results charts. Commune
//! and province names never reach a chart: they come from other people's files.

use super::aggregate::{ProvinceStats, Stats};
use super::charts::{draw, neutralise, BarSeries, Bars, Chart, ChartSpec, Drawing};
use super::numbers::format_number;

/// Width of a histogram bucket, in points: the thresholds (800, 850, 900) fall on bucket edges
/// or halves, and a total of about 1,000 gives ten bars.
pub const BUCKET_WIDTH: u32 = 100;

/// Wider than a results chart: up to 13 criteria or a dozen buckets side by side. Narrow
/// screens scale the drawing down (the root has a view box only).
const WIDTH: f32 = 640.0;
const HEIGHT: f32 = 320.0;
const FONT_SIZE: f32 = 13.0;
const BLUE: &str = "#0b5394";

/// How many loaded communes have a total in each bucket of [`BUCKET_WIDTH`] points.
pub fn totals_chart(stats: &Stats) -> Chart {
    draw(&totals_spec(stats))
}

pub fn totals_spec(stats: &Stats) -> ChartSpec {
    let title = "Phân bố tổng điểm của các đơn vị đã nạp".to_string();
    if stats.histogram.is_empty() {
        return nothing_yet(title);
    }
    let labels: Vec<String> = stats
        .histogram
        .iter()
        .map(|b| match b.to {
            Some(to) => format!("{}–{}", b.from, to.saturating_sub(1)),
            None => format!("≥ {}", b.from),
        })
        .collect();
    let counts = stats
        .histogram
        .iter()
        .map(|b| Some(b.count as f32))
        .collect();
    let desc = labels
        .iter()
        .zip(&stats.histogram)
        .map(|(label, b)| format!("{label} điểm: {} đơn vị", b.count))
        .collect::<Vec<_>>()
        .join("; ");
    let caption = format!(
        "Mỗi cột là số đơn vị có tổng điểm trong khoảng {BUCKET_WIDTH} điểm ghi bên dưới; \
         ngưỡng công nhận là 800, 850 hoặc 900 điểm tùy loại đơn vị. Tổng số: {} đơn vị.",
        format_number(stats.count as f64, 0)
    );
    // Below six units in the fullest bar charts-rs steps the axis by tenths (0.2 … 1.2 beside
    // one unit); six as its top gives steps of one.
    let most = stats.histogram.iter().map(|b| b.count).max().unwrap_or(0);
    let y_max = (most < 6).then_some(6.0);
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(bars(labels, "Số đơn vị", counts, "Tổng điểm", y_max)),
    }
}

/// The average, over the loaded communes, of each criterion's points as a share of its
/// maximum; a criterion whose maximum no commune recorded gets no bar.
pub fn criteria_chart(stats: &Stats) -> Chart {
    draw(&criteria_spec(stats))
}

pub fn criteria_spec(stats: &Stats) -> ChartSpec {
    let title = "Tỷ lệ điểm trung bình so với điểm tối đa, theo tiêu chí (%)".to_string();
    if stats.criteria.is_empty() {
        return nothing_yet(title);
    }
    let labels: Vec<String> = stats
        .criteria
        .iter()
        .map(|c| neutralise(&c.criterion_id))
        .collect();
    // Whole percents: the bars are read against each other, decimals only clutter the labels.
    let values = stats
        .criteria
        .iter()
        .map(|c| c.average_percent.map(|p| p.round() as f32))
        .collect();
    let unknown: Vec<&str> = labels
        .iter()
        .zip(&stats.criteria)
        .filter(|(_, c)| c.average_percent.is_none())
        .map(|(l, _)| l.as_str())
        .collect();
    let mut caption = "Trung bình trên các đơn vị đã biết điểm tối đa của tiêu chí (theo bộ \
                       tiêu chí hoặc do đơn vị ghi theo bảng điểm chính thức)."
        .to_string();
    if !unknown.is_empty() {
        caption.push_str(&format!(
            " Không có cột cho tiêu chí {}: chưa đơn vị nào ghi điểm tối đa.",
            unknown.join(", ")
        ));
    }
    let desc = labels
        .iter()
        .zip(&stats.criteria)
        .map(|(label, c)| match c.average_percent {
            Some(p) => format!(
                "Tiêu chí {label}: {}% (trên {} đơn vị)",
                format_number(p, 1),
                c.with_max
            ),
            None => format!("Tiêu chí {label}: chưa biết điểm tối đa"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(bars(
            labels,
            "Tỷ lệ trung bình (%)",
            values,
            "Tiêu chí",
            Some(100.0),
        )),
    }
}

/// The share of loaded units that pass, province by province: codes under the bars (34 names
/// do not fit side by side, and names come from files), the names in the table beside.
pub fn provinces_chart(provinces: &[ProvinceStats]) -> Chart {
    draw(&provinces_spec(provinces))
}

pub fn provinces_spec(provinces: &[ProvinceStats]) -> ChartSpec {
    let title = "Tỷ lệ đơn vị đạt theo tỉnh (%)".to_string();
    if provinces.is_empty() {
        return nothing_yet(title);
    }
    let labels: Vec<String> = provinces
        .iter()
        .map(|p| neutralise(&p.province_code))
        .collect();
    let values = provinces
        .iter()
        .map(|p| p.pass_percent.map(|x| x.round() as f32))
        .collect();
    let desc = labels
        .iter()
        .zip(provinces)
        .map(|(code, p)| {
            format!(
                "Mã tỉnh {code}: {} đạt trên {} đơn vị đã nạp",
                p.passing, p.loaded
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let caption = "Mỗi cột là tỷ lệ đơn vị đạt trên số đơn vị đã nạp của một tỉnh (mã tỉnh ghi \
                   bên dưới; tên tỉnh trong bảng «Theo tỉnh»)."
        .to_string();
    let crowded = provinces.len() > 20;
    let mut drawing = bars(labels, "Tỷ lệ đạt (%)", values, "Mã tỉnh", Some(100.0));
    if let (true, Drawing::Bars(b)) = (crowded, &mut drawing) {
        b.axis_font_size = FONT_SIZE - 3.0;
        b.value_font_size = FONT_SIZE - 4.0;
    }
    ChartSpec {
        title,
        caption,
        desc,
        drawing: Some(drawing),
    }
}

fn nothing_yet(title: String) -> ChartSpec {
    ChartSpec {
        title,
        caption: "Chưa có đơn vị nào.".into(),
        desc: String::new(),
        drawing: None,
    }
}

/// One series of bars, figures on them, no legend.
fn bars(
    labels: Vec<String>,
    name: &str,
    values: Vec<Option<f32>>,
    x_title: &str,
    y_max: Option<f32>,
) -> Drawing {
    Drawing::Bars(Bars {
        width: WIDTH,
        height: HEIGHT,
        labels,
        series: vec![BarSeries {
            name: name.into(),
            color: BLUE.into(),
            values,
            figures: true,
        }],
        x_title: x_title.into(),
        legend: false,
        y_max,
        axis_font_size: FONT_SIZE,
        value_font_size: FONT_SIZE - 1.0,
    })
}
