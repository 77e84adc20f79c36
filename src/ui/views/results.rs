//! "Kết quả": the total against the threshold, the verdict with every reason, points per
//! criterion, the items still without data, where points can still be gained, and the charts.
//!
//! The route component only looks the assessment up; [`ResultsView`] takes plain data, so the
//! dashboard can show a loaded file's results the same way.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::assessment::Assessment;
use crate::domain::charts::{self, ChartSpec, YearScore};
use crate::domain::criteria::CriteriaSet;
use crate::domain::numbers::format_number;
use crate::domain::scoring::{score, AssessmentScore, ItemStatus, Verdict};
use crate::routes::Route;
use crate::ui::state::{use_app, AppState};
use crate::ui::views::charts::Charts;
use crate::ui::views::{export, own_with_previous, verdict_class};

/// `Route::Results { id }`.
#[component]
pub fn ResultsScreen(id: String) -> impl IntoView {
    let state = use_app();
    move || {
        let (assessment, set, previous) = match own_with_previous(state, &id) {
            Ok(found) => found,
            Err(instead) => return instead,
        };
        view! {
            <nav class="page-links no-print" aria-label="Bản tự đánh giá này">
                <a href=Route::Criterion { id: id.clone(), number: 1 }.href()>"← Nhập, sửa số liệu"</a>
                <a href=Route::AssessmentInfo { id: id.clone() }.href()>"Thông tin chung"</a>
                <a href=Route::Report { id: id.clone() }.href()>"Báo cáo để in"</a>
            </nav>
            <ResultsView assessment=assessment set=set previous=previous editable=true/>
            <SendPanel id=id.clone()/>
        }
        .into_any()
    }
}

/// Where the official finishes: the file for the province, and the report to print.
#[component]
fn SendPanel(id: String) -> impl IntoView {
    let state = use_app();
    let export_id = id.clone();
    view! {
        <section class="panel no-print" aria-labelledby="gui-ket-qua">
            <h2 id="gui-ket-qua">"Gửi kết quả cho tỉnh"</h2>
            <p>
                "Xuất tệp JSON của bản này để gửi cho tỉnh (Zalo, thư điện tử, USB) và giữ một bản "
                "làm sao lưu; in báo cáo để ký, đóng dấu."
            </p>
            <div class="actions">
                <button type="button" class="primary"
                    on:click=move |_| export::export_one(state, &export_id)>
                    "Xuất tệp JSON"
                </button>
                <a class="button" href=Route::Report { id }.href()>"Báo cáo để in"</a>
            </div>
        </section>
    }
}

/// The results of one assessment against its criteria set; `previous` is the same commune's
/// assessment of an earlier year, for the comparison chart.
#[component]
pub fn ResultsView(
    assessment: Assessment,
    set: Arc<CriteriaSet>,
    previous: Option<Assessment>,
    /// The user's own assessment: items link to their criterion screens to be completed.
    #[prop(optional)]
    editable: bool,
) -> impl IntoView {
    let s = score(&set, &assessment);
    let charts = charts_of(&set, &assessment, &s, previous.as_ref());
    let link = ItemLinks {
        id: editable.then(|| assessment.id.clone()),
        set: set.clone(),
    };
    let heading = format!(
        "{}, {} — năm {}",
        assessment.commune.name, assessment.commune.province_name, assessment.year
    );
    view! {
        <h1>"Kết quả tự đánh giá"</h1>
        <p class="lead">{heading}</p>
        <Conclusion set=set.clone() assessment=assessment.clone() score=s.clone()/>
        <CriteriaTable set=set.clone() score=s.clone() link=link.clone()/>
        <Unfinished score=s.clone() link=link.clone()/>
        <Gaps score=s link=link/>
        <section class="panel" aria-labelledby="bieu-do">
            <h2 id="bieu-do">"Biểu đồ"</h2>
            <div class="charts">
                <Charts request=charts/>
            </div>
        </section>
    }
}

/// The total, the threshold of the unit category and the verdict with every reason.
#[component]
fn Conclusion(
    set: Arc<CriteriaSet>,
    assessment: Assessment,
    score: AssessmentScore,
) -> impl IntoView {
    let category = set
        .unit_categories
        .iter()
        .find(|u| u.id == assessment.unit_category);
    let threshold = match score.threshold {
        Some(t) => format!(" / ngưỡng {t} điểm"),
        None => " điểm (chưa xác định được ngưỡng)".into(),
    };
    let category = category.map(|u| {
        format!(
            "Loại đơn vị: {} — văn bản gốc: «{}».",
            u.label, u.official_wording
        )
    });
    let reasons = score.reasons.iter().map(|r| r.message_vi(&set));
    let passed = (score.verdict == Verdict::Pass).then(|| pass_conditions(&set, &score));
    view! {
        <section class="panel result-conclusion" aria-labelledby="ket-luan">
            <h2 id="ket-luan">"Kết luận"</h2>
            <p class="result-total">
                "Tổng điểm: " <strong id="tong-diem">{score.total}</strong> {threshold}
            </p>
            {category.map(|c| view! { <p class="muted">{c}</p> })}
            <p class="result-verdict">
                "Kết quả: " <span id="ket-qua" class=verdict_class(score.verdict)>{score.verdict.label_vi()}</span>
            </p>
            {passed.map(|p| view! { <p>{p}</p> })}
            <ul class="reasons" aria-label="Lý do">
                {reasons.map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            <p class="muted">{format!("Đã nhập {}/{} mục.", score.answered, score.item_count)}</p>
        </section>
    }
}

/// What a pass means under the set's rule, in one sentence.
fn pass_conditions(set: &CriteriaSet, score: &AssessmentScore) -> String {
    let mut met = Vec::new();
    if set.pass_rule.all_criteria_required {
        met.push(format!("có đủ {} tiêu chí", set.criteria.len()));
    }
    if set.pass_rule.no_zero_criterion {
        met.push("không có tiêu chí nào 0 điểm".to_string());
    }
    if let Some(t) = score.threshold {
        met.push(format!("tổng điểm từ {t} trở lên"));
    }
    format!("Đạt các điều kiện công nhận: {}.", met.join("; "))
}

/// Points against the maximum, and the share where the maximum is known.
#[component]
fn CriteriaTable(set: Arc<CriteriaSet>, score: AssessmentScore, link: ItemLinks) -> impl IntoView {
    let rows = set
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let s = score.criteria.iter().find(|s| s.criterion_id == c.id);
            let points = s.map_or(0, |s| s.points);
            let max = s.and_then(|s| s.max);
            let percent = match s.and_then(|s| s.percent) {
                Some(p) => format!("{}%", format_number(p, 1)),
                None if s.and_then(|s| s.applicable_max) == Some(0) => "không áp dụng".into(),
                None => "—".into(),
            };
            // Items that do not apply leave the share to be taken of a smaller maximum.
            let applicable = s
                .and_then(|s| s.applicable_max.filter(|&a| a > 0 && Some(a) != s.max))
                .map(|a| format!("trên {a} điểm của các mục áp dụng"));
            let name = format!("{}. {}", c.id, c.name);
            let blocking = score.is_blocking(&c.id);
            view! {
                <tr class:row-blocking=blocking>
                    <th scope="row">
                        {link.criterion(i + 1, name)}
                        {blocking.then(|| view! {
                            <span class="badge badge-blocking">"0 điểm — chưa được công nhận"</span>
                        })}
                    </th>
                    <td class="num">{points}</td>
                    <td class="num">{max.map_or("chưa rõ".to_string(), |m| m.to_string())}</td>
                    <td class="num">
                        {percent}
                        {applicable.map(|a| view! { <span class="cell-note">{a}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let total_max = set
        .total_max
        .map_or("chưa rõ".to_string(), |m| m.to_string());
    view! {
        <section class="panel" aria-labelledby="diem-tieu-chi">
            <h2 id="diem-tieu-chi">"Điểm theo tiêu chí"</h2>
            <div class="table-wrap">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Tiêu chí"</th>
                            <th scope="col" class="num">"Điểm"</th>
                            <th scope="col" class="num">"Tối đa"</th>
                            <th scope="col" class="num">"Tỷ lệ"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Tổng cộng"</th>
                            <td class="num">{score.total}</td>
                            <td class="num">{total_max}</td>
                            <td class="num">"—"</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <p class="hint">
                "Tỷ lệ chỉ tính được khi biết điểm tối đa của tiêu chí (theo bộ tiêu chí, hoặc do "
                "người đánh giá ghi theo bảng điểm chính thức)."
            </p>
        </section>
    }
}

/// Items still without data, waiting for the assessor's points, or with invalid data.
#[component]
fn Unfinished(score: AssessmentScore, link: ItemLinks) -> impl IntoView {
    let entries: Vec<_> = score
        .criteria
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter_map(|(c, i)| {
            let (problem, class) = match &i.status {
                ItemStatus::Missing { needs } => (format!("còn thiếu: {needs}"), "score-missing"),
                ItemStatus::NeedsManualPoints { reason } => (reason.clone(), "score-missing"),
                ItemStatus::Invalid { message } => {
                    (format!("không hợp lệ: {message}"), "score-error")
                }
                ItemStatus::Scored | ItemStatus::NotApplicable => return None,
            };
            Some((c.criterion_id.clone(), i.item_id.clone(), problem, class))
        })
        .collect();
    let body = if entries.is_empty() {
        view! { <p>"Mọi mục đã có dữ liệu hợp lệ."</p> }.into_any()
    } else {
        view! {
            <ul class="item-list">
                {entries.into_iter().map(|(cid, iid, problem, class)| view! {
                    <li>
                        {link.item(&cid, &iid)} ": " <span class=class>{problem}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="con-thieu">
            <h2 id="con-thieu">"Mục còn thiếu dữ liệu hoặc không hợp lệ"</h2>
            {body}
        </section>
    }
}

/// Where points can still be gained: the items of a criterion at 0 points first (it refuses
/// recognition on its own), then the largest gains.
#[component]
fn Gaps(score: AssessmentScore, link: ItemLinks) -> impl IntoView {
    let blocking: Vec<String> = score
        .criteria
        .iter()
        .filter(|c| score.is_blocking(&c.criterion_id))
        .map(|c| c.criterion_id.clone())
        .collect();
    let warning = (!blocking.is_empty()).then(|| {
        let which = blocking
            .iter()
            .map(|id| format!("tiêu chí {id}"))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <p class="banner banner-error">
                {format!(
                    "Cần làm trước: {which} đang 0 điểm. Chỉ cần một tiêu chí 0 điểm là đơn vị chưa \
                     được công nhận, dù tổng điểm đạt ngưỡng; các mục của tiêu chí đó được xếp lên đầu."
                )}
            </p>
        }
    });
    let body = if score.gaps.is_empty() {
        view! { <p>"Mọi mục đã đạt điểm tối đa."</p> }.into_any()
    } else {
        view! {
            <ol class="item-list">
                {score.gaps.iter().map(|g| {
                    let gain = match g.gainable {
                        Some(points) => format!("có thể thêm {points} điểm"),
                        None => "chưa biết điểm tối đa của mục".into(),
                    };
                    let first = blocking.contains(&g.criterion_id);
                    view! {
                        <li class:gap-blocking=first>
                            {first.then(|| view! {
                                <span class="badge badge-blocking">"Tiêu chí đang 0 điểm"</span> " "
                            })}
                            {link.item(&g.criterion_id, &g.item_id)} " " {link.item_text(&g.item_id)}
                            " — " <strong>{gain}</strong>
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="co-the-tang">
            <h2 id="co-the-tang">"Có thể tăng điểm ở đâu"</h2>
            {warning}
            <p class="hint">
                "Các mục còn có thể được thêm điểm: mục của tiêu chí đang 0 điểm trước, rồi mục được "
                "nhiều điểm nhất."
            </p>
            {body}
        </section>
    }
}

/// Names criteria and items, as links to their criterion screens when the assessment is the
/// user's own (`id` is set), as plain text otherwise.
#[derive(Clone)]
struct ItemLinks {
    id: Option<String>,
    set: Arc<CriteriaSet>,
}

impl ItemLinks {
    fn criterion(&self, number: usize, text: String) -> AnyView {
        match &self.id {
            Some(id) => view! {
                <a href=Route::Criterion { id: id.clone(), number }.href()>{text}</a>
            }
            .into_any(),
            None => text.into_any(),
        }
    }

    /// "Mục 1.4 (tiêu chí 1)".
    fn item(&self, criterion_id: &str, item_id: &str) -> AnyView {
        let text = format!("Mục {item_id} (tiêu chí {criterion_id})");
        match self.set.criteria.iter().position(|c| c.id == criterion_id) {
            Some(i) => self.criterion(i + 1, text),
            None => text.into_any(),
        }
    }

    fn item_text(&self, item_id: &str) -> Option<String> {
        self.set
            .criteria
            .iter()
            .flat_map(|c| c.items.iter())
            .find(|i| i.id == item_id)
            .map(|i| i.text.clone())
    }
}

/// The three charts: points, percent, and the comparison when there is a previous assessment
/// whose criteria set is known here.
pub(super) fn charts_of(
    set: &CriteriaSet,
    assessment: &Assessment,
    current: &AssessmentScore,
    previous: Option<&Assessment>,
) -> Vec<ChartSpec> {
    let mut out = vec![
        charts::points_spec(set, current),
        charts::percent_spec(set, current),
    ];
    let before = previous.and_then(|p| Some((p.year, score(&*set_of(p)?, p))));
    if let Some((year, before)) = before {
        out.push(charts::comparison_spec(
            set,
            YearScore {
                year,
                score: &before,
            },
            YearScore {
                year: assessment.year,
                score: current,
            },
        ));
    }
    out
}

/// The criteria set of the previous assessment, as known on this machine: a year scored by
/// another set must be scored by that set.
fn set_of(previous: &Assessment) -> Option<Arc<CriteriaSet>> {
    use_context::<AppState>()?.set_of(&previous.criteria_set)
}
