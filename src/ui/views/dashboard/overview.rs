//! How many loaded communes pass, fail or lack data, and the two charts.

use leptos::prelude::*;

use crate::domain::aggregate::{stats, Stats};
use crate::domain::dashboard_charts::{criteria_spec, totals_spec, BUCKET_WIDTH};
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::views::charts::Charts;

#[component]
pub fn Overview() -> impl IntoView {
    let dashboard = use_dashboard();
    // After a change, worked out once the table has its columns (a task after its rows): the
    // count heard by a screen reader is of a table already whole.
    let later = dashboard.rows_later(2);
    let stats = Memo::new(move |_| later.with(|rows| stats(rows, BUCKET_WIDTH)));
    let charts = Memo::new(move |_| stats.with(|s| vec![totals_spec(s), criteria_spec(s)]));
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
                <Charts request=charts wide=true/>
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
