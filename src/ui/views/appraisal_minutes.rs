//! "Biên bản thẩm định" (`Route::AppraisalMinutes`): one commune's appraisal on A4 — the items
//! with both scores, the statuses and comments, what must be supplemented, the conclusion and
//! the signature blocks. [`MinutesView`] takes plain data, so the commune prints the appraisal
//! it received the same way. Print styles: public/report.css (`.report`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::print;
use crate::domain::appraisal::{Appraisal, ReviewStatus};
use crate::domain::appraisal_report::{minutes, Minutes, MinutesCriterion};
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::routes::Route;
use crate::ui::appraisal_state::use_appraisals;
use crate::ui::state::use_app;
use crate::ui::views::verdict_class;

/// The criteria set an appraisal's record uses, if this browser has it.
pub(crate) fn set_of(sets: &CriteriaRegistry, appraisal: &Appraisal) -> Option<Arc<CriteriaSet>> {
    sets.find(&appraisal.reviewed.assessment.criteria_set)
        .map(|r| r.set.clone())
}

#[component]
pub fn AppraisalMinutesScreen(key: String) -> impl IntoView {
    let state = use_app();
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    move || {
        if !appraisals.ready.get() {
            return view! { <p role="status">"Đang mở dữ liệu thẩm định…"</p> }.into_any();
        }
        let links = view! {
            <nav class="page-links no-print" aria-label="Thẩm định">
                <a href=Route::Appraisal { key: key.clone() }.href()>"← Về thẩm định"</a>
                <a href=Route::Dashboard.href()>"Bảng tổng hợp"</a>
            </nav>
        };
        let Some(appraisal) = appraisals.own_for(&key) else {
            return view! {
                {links}
                <h1>"Biên bản thẩm định"</h1>
                <p class="banner banner-warning" role="alert">
                    "Chưa có thẩm định cho đơn vị này trên máy này. Mở «Thẩm định» từ bảng tổng hợp để "
                    "bắt đầu."
                </p>
            }
            .into_any();
        };
        match set_of(&state.sets.get(), &appraisal) {
            Some(set) => view! { {links} <MinutesView appraisal=appraisal set=set/> }.into_any(),
            None => view! {
                {links}
                <h1>"Biên bản thẩm định"</h1>
                <p class="banner banner-warning" role="alert">
                    "Bộ tiêu chí của bản được thẩm định chưa có trên máy này."
                </p>
            }
            .into_any(),
        }
    }
}

#[component]
pub fn MinutesView(appraisal: Appraisal, set: Arc<CriteriaSet>) -> impl IntoView {
    let m = minutes(&set, &appraisal);
    let error = RwSignal::new(None::<String>);
    let title = format!(
        "Biên bản thẩm định kết quả tự đánh giá {} phù hợp với trẻ em năm {}",
        m.commune_name, m.year
    );
    let issuer = if m.organization.is_empty() {
        "CƠ QUAN THẨM ĐỊNH".to_string()
    } else {
        m.organization.to_uppercase()
    };
    let date_line = if m.date.is_empty() {
        "Ngày … tháng … năm …".to_string()
    } else {
        let parts: Vec<&str> = m.date.split('/').collect();
        match parts.as_slice() {
            [d, mo, y] => format!("Ngày {d} tháng {mo} năm {y}"),
            _ => m.date.clone(),
        }
    };
    let criteria = m
        .criteria
        .iter()
        .cloned()
        .map(|c| view! { <CriterionRows criterion=c/> })
        .collect_view();
    let not_closed = m.outcome == crate::domain::appraisal::Outcome::InProgress;
    view! {
        <div class="report-actions no-print">
            <h1>"Biên bản thẩm định"</h1>
            <button type="button" class="primary"
                on:click=move |_| error.set(print::print().err().map(|e| e.message_vi()))>
                "In biên bản / Lưu PDF"
            </button>
            <p class="hint">"Trong hộp thoại in, chọn khổ giấy A4; chọn «Lưu dưới dạng PDF» để có tệp PDF."</p>
            {not_closed.then(|| view! {
                <p class="banner banner-warning">
                    "Lần thẩm định này chưa kết thúc: biên bản in ra là bản nháp."
                </p>
            })}
            {move || error.get().map(|msg| view! { <p class="banner banner-error" role="alert">{msg}</p> })}
        </div>
        <article class="report" aria-label="Biên bản thẩm định">
            <header class="report-header">
                <div class="report-issuer"><p class="report-strong">{issuer}</p></div>
                <div class="report-nation">
                    <p class="report-strong">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</p>
                    <p class="report-motto">"Độc lập - Tự do - Hạnh phúc"</p>
                    <p class="report-date">{date_line}</p>
                </div>
            </header>
            <h2 class="report-title">{title}</h2>
            <Facts m=m.clone()/>
            <section class="report-section">
                <h3>"II. Kết quả thẩm định từng mục"</h3>
                <table class="report-table minutes-table">
                    <colgroup><col/><col/><col/><col/><col/></colgroup>
                    <thead>
                        <tr>
                            <th scope="col">"Tiêu chí, mục"</th>
                            <th scope="col">"Số liệu (xã / thẩm định)"</th>
                            <th scope="col" class="num">"Điểm tự đánh giá"</th>
                            <th scope="col" class="num">"Điểm thẩm định"</th>
                            <th scope="col">"Ý kiến, nhận xét"</th>
                        </tr>
                    </thead>
                    {criteria}
                    <tbody class="report-total">
                        <tr>
                            <th scope="row" colspan="2">"Tổng số điểm"</th>
                            <td class="num" id="bien-ban-tu-danh-gia">{m.self_total}</td>
                            <td class="num" id="bien-ban-tham-dinh">{m.appraised_total}</td>
                            <td></td>
                        </tr>
                    </tbody>
                </table>
            </section>
            <Supplement m=m.clone()/>
            <Conclusion m=m.clone()/>
            <div class="report-signatures">
                <div class="report-signature">
                    <p class="report-strong">"ĐẠI DIỆN ĐƠN VỊ ĐƯỢC THẨM ĐỊNH"</p>
                    <p class="report-sign-note">"(Ký, ghi rõ họ tên)"</p>
                    <p class="report-sign-name">{m.assessor_name.clone()}</p>
                </div>
                <div class="report-signature">
                    <p class="report-strong">"NGƯỜI THẨM ĐỊNH"</p>
                    <p class="report-sign-note">"(Ký, ghi rõ họ tên)"</p>
                    <p class="report-sign-name">{m.reviewer_name.clone()}</p>
                    <p>{m.reviewer_position.clone()}</p>
                </div>
            </div>
        </article>
    }
}

#[component]
fn Facts(m: Minutes) -> impl IntoView {
    let threshold = m
        .threshold
        .map_or("chưa xác định".to_string(), |t| format!("{t} điểm"));
    let reviewer = [m.reviewer_name.as_str(), m.reviewer_position.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <section class="report-section">
            <h3>"I. Thông tin chung"</h3>
            <dl class="report-facts">
                <dt>"Đơn vị được thẩm định"</dt>
                <dd>{format!("{} (mã {}), {}", m.commune_name, m.commune_code, m.province_name)}</dd>
                <dt>"Năm đánh giá"</dt>
                <dd>{m.year}</dd>
                <dt>"Loại đơn vị"</dt>
                <dd>{format!("{} — ngưỡng {threshold}", m.unit_category)}</dd>
                <dt>"Lần thẩm định"</dt>
                <dd>{m.round}</dd>
                <dt>"Bản được thẩm định"</dt>
                <dd>{format!(
                    "lần lưu {} của xã, mã kiểm tra {}…",
                    m.record_revision, m.record_ref
                )}</dd>
                <dt>"Người thẩm định"</dt>
                <dd>{if reviewer.is_empty() { "…".to_string() } else { reviewer }}</dd>
                <dt>"Ý kiến theo mục"</dt>
                <dd>{format!(
                    "đồng ý {}, cần bổ sung {}, không đồng ý {}, chưa có ý kiến {}",
                    m.counts.agreed, m.counts.needs_evidence, m.counts.not_agreed, m.counts.undecided
                )}</dd>
            </dl>
        </section>
    }
}

#[component]
fn CriterionRows(criterion: MinutesCriterion) -> impl IntoView {
    let max = criterion.max.map(|m| format!("/{m}")).unwrap_or_default();
    let items = criterion
        .items
        .into_iter()
        .map(|i| {
            let max = i.max.map(|m| format!("/{m}")).unwrap_or_default();
            let differs = i.self_points != i.appraised_points;
            let class = match i.status_code {
                Some(ReviewStatus::Agreed) => "minutes-status",
                Some(_) => "minutes-status minutes-flag",
                None => "minutes-status minutes-undecided",
            };
            view! {
                <tr>
                    <td>{format!("{} {}", i.id, i.text)}</td>
                    <td>
                        <span class="report-line">{format!("Xã: {}", i.self_figures)}</span>
                        {(!i.appraised_figures.is_empty()).then(|| view! {
                            <span class="report-line">{format!("Thẩm định: {}", i.appraised_figures)}</span>
                        })}
                    </td>
                    <td class="num">{format!("{}{max}", i.self_points)}</td>
                    <td class="num">
                        {if differs { view! { <strong>{i.appraised_points}</strong> }.into_any() }
                         else { view! { {i.appraised_points} }.into_any() }}
                        {max.clone()}
                    </td>
                    <td>
                        <span class=class>{i.status}</span>
                        {(!i.comment.is_empty()).then(|| view! {
                            <span class="report-line">{i.comment}</span>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tbody class="report-criterion">
            <tr class="report-criterion-row">
                <th scope="rowgroup" colspan="2">
                    {format!("Tiêu chí {}. {}", criterion.id, criterion.name)}
                </th>
                <td class="num">{format!("{}{max}", criterion.self_points)}</td>
                <td class="num">{format!("{}{max}", criterion.appraised_points)}</td>
                <td></td>
            </tr>
            {items}
        </tbody>
    }
}

#[component]
fn Supplement(m: Minutes) -> impl IntoView {
    (!m.to_supplement.is_empty()).then(|| {
        view! {
            <section class="report-section">
                <h3>"III. Nội dung xã cần bổ sung"</h3>
                <ol class="minutes-supplement">
                    {m.to_supplement.into_iter().map(|(item, comment)| view! {
                        <li>
                            <strong>{item}</strong>
                            {(!comment.is_empty()).then(|| view! { ": " {comment} })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn Conclusion(m: Minutes) -> impl IntoView {
    let number = if m.to_supplement.is_empty() {
        "III"
    } else {
        "IV"
    };
    view! {
        <section class="report-section report-conclusion">
            <h3>{format!("{number}. Kết luận")}</h3>
            <p>
                "Tổng điểm tự đánh giá: " <strong>{m.self_total}</strong> " ("
                <span class=verdict_class(m.self_verdict)>{m.self_verdict.label_vi()}</span> "); "
                "tổng điểm thẩm định: " <strong>{m.appraised_total}</strong> " ("
                <span class=verdict_class(m.appraised_verdict)>{m.appraised_verdict.label_vi()}</span> ")."
            </p>
            {(!m.appraised_reasons.is_empty()).then(|| view! {
                <ul class="reasons">
                    {m.appraised_reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                </ul>
            })}
            <p>"Trạng thái: " <strong>{m.outcome.label_vi()}</strong> "."</p>
            <p class="minutes-conclusion">
                {if m.conclusion.is_empty() { "(chưa có kết luận)".to_string() } else { m.conclusion.clone() }}
            </p>
        </section>
    }
}
