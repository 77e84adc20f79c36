//! "Theo tỉnh": the loaded units counted by province, with the share passing in each — in a
//! table with the country's line, a chart and a CSV for Excel. For a ministry loading the
//! provinces' consolidated files, the national picture (34 provinces, 3,321 units).

use leptos::prelude::*;

use crate::adapters::{clock, files};
use crate::domain::aggregate::{by_province, NationalStats, ProvinceStats};
use crate::domain::csv::provinces_csv;
use crate::domain::dashboard_charts::provinces_spec;
use crate::domain::divisions::divisions;
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::state::{use_app, Tone};
use crate::ui::views::charts::Charts;
use crate::ui::views::export::CsvExport;

#[component]
pub fn Provinces() -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    // After a change, worked out after the table and the counts.
    let later = dashboard.rows_later(3);
    let years = Memo::new(move |_| {
        later.with(|rows| {
            let mut y: Vec<u16> = rows.iter().map(|r| r.year).collect();
            crate::domain::sorting::sort_by(&mut y, |a, b| b.cmp(a));
            y.dedup();
            y
        })
    });
    // A commune counts once per year: the latest year unless another is chosen.
    let picked = RwSignal::new(None::<u16>);
    let year = move || picked.get().or_else(|| years.with(|y| y.first().copied()));
    let grouped = Memo::new(move |_| {
        let wanted = year();
        later.with(|rows| by_province(rows.iter().filter(|r| Some(r.year) == wanted), divisions()))
    });
    let chart = Memo::new(move |_| grouped.with(|(provinces, _)| vec![provinces_spec(provinces)]));
    let export = move |delimiter| {
        let (provinces, national) = grouped.get_untracked();
        let (day, month, y) = clock::today();
        let name = format!(
            "theo-tinh_{}_{y:04}-{month:02}-{day:02}.csv",
            year().map_or_else(String::new, |v| v.to_string())
        );
        let text = provinces_csv(&provinces, &national, delimiter);
        match files::download(&name, "text/csv;charset=utf-8", &text) {
            Ok(()) => state.notify(
                format!("Đã xuất bảng theo tỉnh vào tệp «{name}»; mở bằng Excel."),
                Tone::Info,
            ),
            Err(e) => state.notify(
                format!("Chưa xuất được bảng. {}", e.message_vi()),
                Tone::Error,
            ),
        }
    };
    view! {
        <section class="panel" aria-labelledby="theo-tinh">
            <h2 id="theo-tinh">"Theo tỉnh"</h2>
            <Show when=move || years.with(|y| y.len() > 1)>
                <div class="filters">
                    <div>
                        <label for="theo-tinh-nam">"Năm đánh giá"</label>
                        <select id="theo-tinh-nam" on:change=move |ev| {
                            picked.set(event_target_value(&ev).parse().ok());
                        }>
                            {move || years.get().into_iter().map(|y| view! {
                                <option value=y.to_string() selected=move || year() == Some(y)>{y}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
            </Show>
            <p id="theo-tinh-tong" role="status">
                {move || grouped.with(|(_, national)| sentence(national, year()))}
            </p>
            <div class="table-wrap">
                <table class="data-table provinces-table">
                    <caption class="visually-hidden">
                        "Số đơn vị đã nạp và tỷ lệ đạt theo từng tỉnh, thành phố"
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Tỉnh, thành phố"</th>
                            <th scope="col" class="num">"Số đơn vị"</th>
                            <th scope="col" class="num">"Đã nạp"</th>
                            <th scope="col" class="num">"Đạt"</th>
                            <th scope="col" class="num">"Chưa đạt"</th>
                            <th scope="col" class="num">"Chưa đủ dữ liệu"</th>
                            <th scope="col" class="num">"Tỷ lệ đạt"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || grouped.with(|(provinces, _)| {
                            provinces.iter().cloned().map(|p| view! { <ProvinceRow p=p/> }).collect_view()
                        })}
                    </tbody>
                    <tfoot>
                        {move || grouped.with(|(provinces, national)| {
                            let failing = provinces.iter().map(|p| p.failing).sum::<usize>();
                            let incomplete = provinces.iter().map(|p| p.incomplete).sum::<usize>();
                            view! {
                                <tr>
                                    <th scope="row">"Cả nước"</th>
                                    <td class="num">{national.units.map_or("—".into(), count)}</td>
                                    <td class="num">{count(national.loaded)}</td>
                                    <td class="num">{count(national.passing)}</td>
                                    <td class="num">{count(failing)}</td>
                                    <td class="num">{count(incomplete)}</td>
                                    <td class="num">{share(national.pass_percent)}</td>
                                </tr>
                            }
                        })}
                    </tfoot>
                </table>
            </div>
            <div class="charts">
                <Charts request=chart wide=true/>
            </div>
            <CsvExport label="Xuất bảng theo tỉnh (CSV cho Excel)" on_export=export/>
        </section>
    }
}

#[component]
fn ProvinceRow(p: ProvinceStats) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">
                {p.province_name}
                <span class="muted cell-sub">{format!("Mã {}", p.province_code)}</span>
            </th>
            <td class="num">{p.units.map_or("—".into(), count)}</td>
            <td class="num">{count(p.loaded)}</td>
            <td class="num">{count(p.passing)}</td>
            <td class="num">{count(p.failing)}</td>
            <td class="num">{count(p.incomplete)}</td>
            <td class="num">{share(p.pass_percent)}</td>
        </tr>
    }
}

fn count(n: usize) -> String {
    format_number(n as f64, 0)
}

fn share(percent: Option<f64>) -> String {
    percent.map_or("—".into(), |p| format!("{}%", format_number(p, 1)))
}

/// "Năm 2025: 34/34 tỉnh, 3.321/3.321 đơn vị đã nạp, 2.100 đạt (63,2%)."
fn sentence(national: &NationalStats, year: Option<u16>) -> String {
    let of = |n: usize, total: Option<usize>| match total {
        Some(total) => format!("{}/{}", count(n), count(total)),
        None => count(n),
    };
    format!(
        "{}{} tỉnh, {} đơn vị đã nạp, {} đạt ({}).",
        year.map_or_else(String::new, |y| format!("Năm {y}: ")),
        of(national.provinces_loaded, national.provinces),
        of(national.loaded, national.units),
        count(national.passing),
        share(national.pass_percent)
    )
}
