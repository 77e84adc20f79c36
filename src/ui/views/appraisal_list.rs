//! The province's list (`Route::AppraisalList`): every loaded commune with its self-score, its
//! appraised score and verdict and where its appraisal stands, by unit category; printable.

use leptos::prelude::*;

use crate::adapters::{clock, print};
use crate::domain::appraisal_report::{province_list, verdict_label, ListGroup};
use crate::routes::Route;
use crate::ui::appraisal_state::use_appraisals;
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::state::use_app;

#[component]
pub fn AppraisalListScreen() -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    let appraisals = use_appraisals();
    dashboard.ensure_loaded(state.sets);
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    let error = RwSignal::new(None::<String>);
    let groups = Memo::new(move |_| {
        let marks = appraisals.marks(&state.sets.get());
        dashboard.rows.with(|rows| {
            province_list(
                rows,
                |r| {
                    let key = r.key();
                    marks.iter().find(|(k, _)| *k == key).map(|(_, m)| m)
                },
                |r| Some(r.sha256.as_str()),
            )
        })
    });
    let (day, month, year) = clock::today();
    view! {
        <nav class="page-links no-print" aria-label="Tổng hợp">
            <a href=Route::Dashboard.href()>"← Về bảng tổng hợp"</a>
        </nav>
        <div class="report-actions no-print">
            <h1>"Danh sách kết quả thẩm định"</h1>
            <button type="button" class="primary"
                on:click=move |_| error.set(print::print().err().map(|e| e.message_vi()))>
                "In danh sách / Lưu PDF"
            </button>
            {move || error.get().map(|m| view! { <p class="banner banner-error" role="alert">{m}</p> })}
        </div>
        <Show
            when=move || dashboard.ready.get() && appraisals.ready.get()
            fallback=|| view! { <p role="status">"Đang mở dữ liệu tổng hợp…"</p> }
        >
            <article class="report" aria-label="Danh sách kết quả thẩm định">
                <h2 class="report-title">
                    "Danh sách các xã, phường, đặc khu: điểm tự đánh giá và điểm thẩm định"
                </h2>
                <p class="report-date">{format!("Lập ngày {day:02}/{month:02}/{year}")}</p>
                {move || {
                    let groups = groups.get();
                    if groups.is_empty() {
                        view! { <p>"Chưa nạp tệp nào vào Tổng hợp."</p> }.into_any()
                    } else {
                        groups.into_iter().map(|g| view! { <Group group=g/> }).collect_view().into_any()
                    }
                }}
            </article>
        </Show>
    }
}

#[component]
fn Group(group: ListGroup) -> impl IntoView {
    let threshold = group
        .threshold
        .map(|t| format!(" (ngưỡng {t} điểm)"))
        .unwrap_or_default();
    let heading = format!("{}{threshold}", group.unit_category);
    let count = group.rows.len();
    let rows = group
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let state = if r.newer_record {
                format!("{} (xã đã gửi bản mới)", r.state.label_vi())
            } else {
                r.state.label_vi().to_string()
            };
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td>{format!("{} ({})", r.commune_name, r.commune_code)}</td>
                    <td class="num">{r.year}</td>
                    <td class="num">{r.self_total}</td>
                    <td>{r.self_verdict.label()}</td>
                    <td class="num">{r.appraised_total.map(|t| t.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td>{verdict_label(r.appraised_verdict)}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="report-section">
            <h3>{heading}</h3>
            <p>{format!("{count} đơn vị; {} đạt theo kết quả thẩm định.", group.passing)}</p>
            <div class="table-wrap">
                <table class="report-table appraisal-list-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"TT"</th>
                            <th scope="col">"Đơn vị"</th>
                            <th scope="col" class="num">"Năm"</th>
                            <th scope="col" class="num">"Điểm tự đánh giá"</th>
                            <th scope="col">"Kết quả tự đánh giá"</th>
                            <th scope="col" class="num">"Điểm thẩm định"</th>
                            <th scope="col">"Kết quả thẩm định"</th>
                            <th scope="col">"Trạng thái"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
