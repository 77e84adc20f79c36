//! On the commune's side (`Route::ReceivedAppraisal`): the appraisal the province sent back for
//! one of this browser's assessments — both scores, what must be supplemented (each a link to
//! its item), every item's status and comment, and a clear note when the appraisal concerns an
//! earlier version of the assessment. [`ReviewNote`] puts the same status and comment on the
//! item's own screen.

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::clock;
use crate::domain::appraisal::{binding, Appraisal, Binding, ReviewStatus};
use crate::domain::assessment::Assessment;
use crate::domain::criteria::CriteriaSet;
use crate::routes::Route;
use crate::ui::appraisal_state::{use_appraisals, Received};
use crate::ui::state::use_app;
use crate::ui::state_sets::SetsPart;
use crate::ui::views::appraisal_minutes::MinutesView;
use crate::ui::views::verdict_class;

/// The received appraisal of one of this browser's assessments, with the assessment's set.
fn received_of(id: &str) -> Option<(Received, Arc<CriteriaSet>)> {
    let state = use_app();
    let appraisals = use_appraisals();
    // Only the commune and year are read (not the answers): the note beside each item must not
    // copy the assessment at every keystroke.
    let (code, year) = state
        .doc(id)?
        .info()
        .with(|a| (a.commune.code.clone(), a.year));
    let received = appraisals.received_for(&code, year)?;
    let set = state.set_for(id)?;
    Some((received, set))
}

/// Where a criterion sits in its set, for the link to its screen (numbered from 1).
fn criterion_number(set: &CriteriaSet, item_id: &str) -> Option<usize> {
    set.criteria
        .iter()
        .position(|c| c.items.iter().any(|i| i.id == item_id))
        .map(|i| i + 1)
}

fn status_class(status: Option<ReviewStatus>) -> &'static str {
    match status {
        Some(ReviewStatus::Agreed) => "review-status review-agreed",
        Some(ReviewStatus::NeedsEvidence) => "review-status review-needs",
        Some(ReviewStatus::NotAgreed) => "review-status review-not-agreed",
        None => "review-status",
    }
}

#[component]
pub fn ReceivedAppraisalScreen(id: String) -> impl IntoView {
    let state = use_app();
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    move || {
        let links = view! {
            <nav class="page-links no-print" aria-label="Bản tự đánh giá này">
                <a href=Route::Home.href()>"← Các bản tự đánh giá"</a>
                <a href=Route::Results { id: id.clone() }.href()>"Kết quả tự đánh giá"</a>
                <a href=Route::ReceivedMinutes { id: id.clone() }.href()>"Biên bản thẩm định"</a>
            </nav>
        };
        if !appraisals.ready.get() {
            return view! { <p role="status">"Đang mở kết quả thẩm định…"</p> }.into_any();
        }
        let Some((received, set)) = received_of(&id) else {
            return view! {
                {links}
                <h1>"Kết quả thẩm định"</h1>
                <p class="empty">
                    "Chưa nhận kết quả thẩm định nào cho bản này. Khi tỉnh gửi tệp kết quả thẩm định, "
                    "hãy nhập tệp đó ở màn hình «Các bản tự đánh giá»."
                </p>
            }
            .into_any();
        };
        let Some(current) = state.get(&id) else {
            return view! { <super::not_found::NotFound/> }.into_any();
        };
        let ap = received.appraisal.clone();
        let result = ap.evaluate(&set);
        let bound = binding(&ap, &set, None, &current.assessment);
        let earlier = match &bound {
            Binding::Current => None,
            Binding::Earlier(changes) => {
                let items: Vec<&str> = changes.items.iter().map(|c| c.item_id.as_str()).collect();
                let mut what = Vec::new();
                if !items.is_empty() {
                    what.push(format!("các mục {}", items.join(", ")));
                }
                what.extend(changes.info.iter().map(|f| f.label_vi().to_string()));
                Some(format!(
                    "Kết quả thẩm định này dựa trên phiên bản trước của bản tự đánh giá (lần lưu {}, \
                     sửa lúc {}). Từ đó đến nay, xã đã sửa: {}. Điểm và ý kiến dưới đây là của \
                     phiên bản trước; hãy xuất tệp mới và gửi lại cho tỉnh.",
                    ap.reviewed.revision,
                    clock::local_date_time(ap.reviewed.assessment.updated_at),
                    what.join("; ")
                ))
            }
        };
        let supplement = result
            .to_supplement()
            .map(|i| {
                let text = set
                    .criteria
                    .iter()
                    .flat_map(|c| &c.items)
                    .find(|x| x.id == i.item_id)
                    .map_or_else(String::new, |x| x.text.clone());
                let href = criterion_number(&set, &i.item_id).map(|number| {
                    Route::Criterion {
                        id: id.clone(),
                        number,
                    }
                    .href()
                });
                let changed = match &bound {
                    Binding::Earlier(c) => c.item(&i.item_id).is_some(),
                    Binding::Current => false,
                };
                view! {
                    <li>
                        <a href=href>{format!("Mục {} {}", i.item_id, text)}</a>
                        {(!i.comment.trim().is_empty()).then(|| view! {
                            <span class="review-comment">{format!("Nhận xét: {}", i.comment.trim())}</span>
                        })}
                        {changed.then(|| view! { <span class="badge">"Đã sửa sau thẩm định"</span> })}
                    </li>
                }
            })
            .collect_view();
        let any_supplement = result.to_supplement().next().is_some();
        let rows = result
            .items
            .iter()
            .map(|i| {
                let max = i.max.map(|m| format!(" / {m}")).unwrap_or_default();
                view! {
                    <tr>
                        <th scope="row">{i.item_id.clone()}</th>
                        <td><span class=status_class(i.status)>
                            {i.status.map_or("Chưa có ý kiến", ReviewStatus::label_vi)}
                        </span></td>
                        <td class="num">{format!("{}{max}", i.self_points)}</td>
                        <td class="num">{format!("{}{max}", i.appraised_points)}</td>
                        <td>{i.comment.trim().to_string()}</td>
                    </tr>
                }
            })
            .collect_view();
        let (s, p) = (&result.self_score, &result.appraised_score);
        let reviewer = [
            ap.reviewer.name.trim(),
            ap.reviewer.position.trim(),
            ap.reviewer.organization.trim(),
        ]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        view! {
            {links}
            <h1>"Kết quả thẩm định"</h1>
            <p class="lead">{format!(
                "{} — năm {} · lần thẩm định {} · nhận từ tệp «{}» lúc {}",
                ap.reviewed.assessment.commune.name, ap.year(), ap.round,
                received.source_file, clock::local_date_time(received.received_at)
            )}</p>
            {earlier.map(|note| view! {
                <p class="banner banner-warning" role="note" id="tham-dinh-ban-truoc">{note}</p>
            })}
            <section class="panel appraisal-overview" aria-labelledby="ket-qua-tham-dinh">
                <h2 id="ket-qua-tham-dinh">{result.outcome.label_vi()}</h2>
                <dl class="appraisal-totals">
                    <div>
                        <dt>"Điểm tự đánh giá"</dt>
                        <dd>
                            <span class="appraisal-total">{format!("{} điểm", s.total)}</span> " "
                            <span class=verdict_class(s.verdict)>{s.verdict.label_vi()}</span>
                        </dd>
                    </div>
                    <div>
                        <dt>"Điểm thẩm định"</dt>
                        <dd>
                            <span class="appraisal-total" id="diem-tham-dinh">{format!("{} điểm", p.total)}</span> " "
                            <span class=verdict_class(p.verdict)>{p.verdict.label_vi()}</span>
                        </dd>
                    </div>
                </dl>
                {(!ap.conclusion.trim().is_empty()).then(|| view! {
                    <p><strong>"Kết luận: "</strong>{ap.conclusion.trim().to_string()}</p>
                })}
                <p class="muted">{format!(
                    "Người thẩm định: {}{}",
                    if reviewer.is_empty() { "(không ghi)".to_string() } else { reviewer },
                    ap.date.as_deref().map(|d| format!(" · ngày {}", crate::domain::appraisal_report::vi_date(d))).unwrap_or_default()
                )}</p>
            </section>
            {any_supplement.then(|| view! {
                <section class="panel" aria-labelledby="can-bo-sung">
                    <h2 id="can-bo-sung">"Các mục cần bổ sung"</h2>
                    <p class="hint">
                        "Mở từng mục, bổ sung nguồn số liệu, thuyết minh hoặc sửa số liệu, rồi xuất tệp "
                        "tự đánh giá mới và gửi lại cho tỉnh."
                    </p>
                    <ul class="item-list supplement-list">{supplement}</ul>
                </section>
            })}
            <section class="panel" aria-labelledby="y-kien-tung-muc">
                <h2 id="y-kien-tung-muc">"Ý kiến thẩm định từng mục"</h2>
                <div class="table-wrap">
                    <table class="data-table review-table">
                        <caption class="visually-hidden">"Ý kiến, điểm tự đánh giá và điểm thẩm định của từng mục"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Mục"</th>
                                <th scope="col">"Ý kiến"</th>
                                <th scope="col" class="num">"Tự đánh giá"</th>
                                <th scope="col" class="num">"Thẩm định"</th>
                                <th scope="col">"Nhận xét"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
        .into_any()
    }
}

/// `Route::ReceivedMinutes`: the minutes of the received appraisal, to print.
#[component]
pub fn ReceivedMinutesScreen(id: String) -> impl IntoView {
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    move || {
        let links = view! {
            <nav class="page-links no-print" aria-label="Bản tự đánh giá này">
                <a href=Route::ReceivedAppraisal { id: id.clone() }.href()>"← Kết quả thẩm định"</a>
            </nav>
        };
        match appraisals.ready.get().then(|| received_of(&id)).flatten() {
            Some((received, set)) => view! {
                {links}
                <MinutesView appraisal=received.appraisal set=set/>
            }
            .into_any(),
            None => view! {
                {links}
                <h1>"Biên bản thẩm định"</h1>
                <p class="empty">"Chưa nhận kết quả thẩm định nào cho bản này."</p>
            }
            .into_any(),
        }
    }
}

/// On an item's screen: what the reviewer said about it, if this assessment was appraised.
#[component]
pub fn ReviewNote(assessment_id: String, item_id: String) -> impl IntoView {
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    move || {
        let (received, _) = received_of(&assessment_id)?;
        let mine = received.appraisal.items.get(&item_id)?.clone();
        let status = mine.status?;
        let comment = mine.comment.trim().to_string();
        Some(view! {
            <div class="review-note" role="note">
                <p>
                    <span class="review-label">"Ý kiến thẩm định: "</span>
                    <span class=status_class(Some(status))>{status.label_vi()}</span>
                </p>
                {(!comment.is_empty()).then(|| view! { <p class="review-comment">{comment}</p> })}
            </div>
        })
    }
}

/// The line of [`CardLine`]: the appraisal's round, outcome and scores, what is to supplement,
/// and whether it was made on an earlier version of the assessment (`own`). Code of the
/// screens' part ([`SetsPart::appraisal_line`]).
pub(crate) fn card_line(
    appraisal: &Appraisal,
    set: &CriteriaSet,
    own: Option<&Assessment>,
) -> String {
    let result = appraisal.evaluate(set);
    let to_supplement = result.to_supplement().count();
    let earlier = own.is_some_and(|a| binding(appraisal, set, None, a) != Binding::Current);
    let mut text = format!(
        "Thẩm định lần {}: {} · điểm thẩm định {} (tự đánh giá {})",
        appraisal.round,
        result.outcome.label_vi(),
        result.appraised_score.total,
        result.self_score.total
    );
    if to_supplement > 0 {
        text.push_str(&format!(" · {to_supplement} mục cần bổ sung"));
    }
    if earlier {
        text.push_str(" · dựa trên phiên bản trước");
    }
    text
}

/// On Home, in an assessment's card: the appraisal received for it, in one line.
#[component]
pub fn CardLine(id: String) -> impl IntoView {
    let appraisals = use_appraisals();
    // On Home: the screens' part reads them, fetched once a card is there.
    appraisals.ensure_loaded(crate::ui::appraisal_state::fetched);
    move || {
        // The sets may be read after the card is drawn (their part is fetched on first need).
        use_app().sets_status.track();
        let (received, set) = received_of(&id)?;
        // Received appraisals are known once the sets are read: their part is there.
        let line = SetsPart::loaded()?.appraisal_line;
        let own = use_app().get(&id);
        let text = line(
            &received.appraisal,
            &set,
            own.as_ref().map(|s| &s.assessment),
        );
        Some(view! {
            <p class="card-appraisal">
                {text} " — "
                <a href=Route::ReceivedAppraisal { id: id.clone() }.href()>"Xem kết quả thẩm định"</a>
            </p>
        })
    }
}
