//! How many loaded communes pass, fail or lack data, and the two charts.

use leptos::prelude::*;

use crate::domain::aggregate::{stats, Stats};
use crate::domain::charts::Chart;
use crate::domain::dashboard_charts::{criteria_chart, totals_chart, BUCKET_WIDTH};
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::use_dashboard;

#[component]
pub fn Overview() -> impl IntoView {
    let dashboard = use_dashboard();
    let stats = Memo::new(move |_| dashboard.rows.with(|rows| stats(rows, BUCKET_WIDTH)));
    let charts = Memo::new(move |_| stats.with(|s| vec![totals_chart(s), criteria_chart(s)]));
    view! {
        <section class="panel" aria-labelledby="so-lieu-chung">
            <h2 id="so-lieu-chung">"Số liệu chung"</h2>
            <p id="tong-hop-so-lieu" role="status">{move || stats.with(sentence)}</p>
            <dl class="dashboard-counts">
                {move || stats.with(|s| counts(s).into_iter().map(|(label, value, class)| view! {
                    <div class=class>
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                    </div>
                }).collect_view())}
            </dl>
        </section>
        <section class="panel" aria-labelledby="bieu-do-tong-hop">
            <h2 id="bieu-do-tong-hop">"Biểu đồ"</h2>
            <div class="charts">
                {move || charts.get().into_iter().map(|c| view! { <DashboardChart chart=c/> }).collect_view()}
            </div>
        </section>
    }
}

fn count(n: usize) -> String {
    format_number(n as f64, 0)
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        return "—".into();
    }
    format!("{}%", format_number(n as f64 * 100.0 / of as f64, 1))
}

/// One sentence a screen reader hears after each load.
fn sentence(s: &Stats) -> String {
    format!(
        "Đã nạp {} đơn vị: {} đạt ({}), {} chưa đạt, {} chưa đủ dữ liệu.",
        count(s.count),
        count(s.passing),
        share(s.passing, s.count),
        count(s.failing),
        count(s.incomplete)
    )
}

fn counts(s: &Stats) -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("Số đơn vị đã nạp", count(s.count), "count"),
        (
            "Đạt",
            format!("{} ({})", count(s.passing), share(s.passing, s.count)),
            "count count-pass",
        ),
        (
            "Chưa đạt",
            format!("{} ({})", count(s.failing), share(s.failing, s.count)),
            "count count-fail",
        ),
        (
            "Chưa đủ dữ liệu",
            format!("{} ({})", count(s.incomplete), share(s.incomplete, s.count)),
            "count count-incomplete",
        ),
    ]
}

#[component]
pub(super) fn DashboardChart(chart: Chart) -> impl IntoView {
    view! {
        <figure class="chart chart-wide">
            <figcaption class="chart-title">{chart.title}</figcaption>
            // Safe as markup: built by `domain::dashboard_charts` from numbers, fixed labels and
            // neutralised criterion ids only (no commune or province name reaches a chart), and
            // charts-rs escapes its text as well; tests/dashboard.rs proves it with hostile rows.
            {chart.svg.map(|svg| view! { <div class="chart-drawing" inner_html=svg></div> })}
            <p class="chart-caption">{chart.caption}</p>
        </figure>
    }
}
