//! The printable report (A4): administrative header, the commune's data, the criteria set and
//! its legal basis, every criterion with its items' data, points and sources, the conclusion,
//! the charts, the explanations, and the signature blocks. Print styles: public/report.css.
//!
//! The route component only looks the assessment up; [`ReportView`] takes plain data, so the
//! dashboard can print a loaded file's report the same way.

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::{clock, print};
use crate::domain::assessment::{Answer, Assessment};
use crate::domain::criteria::{CriteriaSet, Criterion, Item, Provenance, Rule};
use crate::domain::divisions::divisions;
use crate::domain::numbers::format_number;
use crate::domain::scoring::{score, AssessmentScore, CriterionScore, ItemScore, ItemStatus};
use crate::routes::Route;
use crate::ui::state::{use_app, AppState};
use crate::ui::views::charts::Charts;
use crate::ui::views::results::charts_of;
use crate::ui::views::{export, own_with_previous, verdict_class};

/// How the report marks what was not checked against the signed text, on screen and on paper.
const NOT_ENCODED: &str = "chưa đối chiếu văn bản gốc";

/// `Route::Report { id }`.
#[component]
pub fn ReportScreen(id: String) -> impl IntoView {
    let state = use_app();
    move || {
        let (assessment, set, previous) = match own_with_previous(state, &id) {
            Ok(found) => found,
            Err(instead) => return instead,
        };
        view! {
            <nav class="page-links no-print" aria-label="Bản tự đánh giá này">
                <a href=Route::Results { id: id.clone() }.href()>"← Về kết quả"</a>
                <a href=Route::Criterion { id: id.clone(), number: 1 }.href()>"Nhập, sửa số liệu"</a>
            </nav>
            <ReportView assessment=assessment set=set previous=previous export_id=id.clone()/>
        }
        .into_any()
    }
}

/// The report of one assessment; `previous` is the same commune's assessment of an earlier
/// year, for the comparison chart.
#[component]
pub fn ReportView(
    assessment: Assessment,
    set: Arc<CriteriaSet>,
    previous: Option<Assessment>,
    /// The user's own assessment, offered as a file next to the print button.
    #[prop(optional, into)]
    export_id: Option<String>,
) -> impl IntoView {
    let state = use_context::<AppState>();
    let s = score(&set, &assessment);
    let charts = charts_of(&set, &assessment, &s, previous.as_ref());
    let error = RwSignal::new(None::<String>);
    let unit = Unit::of(&assessment);
    let title = format!(
        "Báo cáo kết quả tự đánh giá {} phù hợp với trẻ em năm {}",
        unit.kind_and_name, assessment.year
    );
    let explanations = explanations(&set, &assessment, &s);
    view! {
        <div class="report-actions no-print">
            <h1>"Báo cáo để in"</h1>
            <button type="button" class="primary"
                on:click=move |_| error.set(print::print().err().map(|e| e.message_vi()))>
                "In báo cáo / Lưu PDF"
            </button>
            {export_id.zip(state).map(|(id, state)| view! {
                " "
                <button type="button" on:click=move |_| export::export_one(state, &id)>
                    "Xuất tệp JSON"
                </button>
            })}
            <p class="hint">
                "Trong hộp thoại in, chọn khổ giấy A4; chọn «Lưu dưới dạng PDF» để có tệp PDF."
            </p>
            {move || error.get().map(|m| view! { <p class="banner banner-error" role="alert">{m}</p> })}
        </div>
        <article class="report" aria-label="Báo cáo kết quả tự đánh giá">
            <AdministrativeHeader unit=unit.clone()/>
            <h2 class="report-title">{title}</h2>
            <CommuneData set=set.clone() assessment=assessment.clone() score=s.clone()/>
            <CriteriaSetBasis set=set.clone()/>
            <CriteriaDetail set=set.clone() assessment=assessment.clone() score=s.clone()/>
            <ReportConclusion set=set.clone() score=s.clone()/>
            <section class="report-section report-charts">
                <h3>"V. Biểu đồ"</h3>
                <Charts request=charts/>
            </section>
            {(!explanations.is_empty()).then(|| view! {
                <section class="report-section">
                    <h3>"VI. Thuyết minh"</h3>
                    <dl class="report-explanations">
                        {explanations.into_iter().map(|(label, text)| view! {
                            <dt>{label}</dt>
                            <dd>{text}</dd>
                        }).collect_view()}
                    </dl>
                </section>
            })}
            <Signatures assessor=assessment.assessor.name.clone()/>
        </article>
    }
}

/// The commune as the report names it.
#[derive(Clone)]
struct Unit {
    /// "xã Phú Mỹ"; the stored name where the code is not in the official list.
    kind_and_name: String,
    /// "UBND XÃ PHÚ MỸ".
    issuer: String,
    /// "Phú Mỹ", for "Phú Mỹ, ngày … tháng … năm …".
    place: String,
}

impl Unit {
    fn of(assessment: &Assessment) -> Unit {
        let stored = &assessment.commune.name;
        // Loaded before the report is drawn (ui::on_demand); the stored names otherwise.
        let official = divisions().and_then(|d| d.commune(&assessment.commune.code));
        Unit {
            kind_and_name: official.map_or_else(
                || stored.clone(),
                |c| format!("{} {}", c.kind.label(), c.short_name),
            ),
            issuer: format!("UBND {}", stored.to_uppercase()),
            place: official.map_or_else(|| stored.clone(), |c| c.short_name.clone()),
        }
    }
}

/// Left: the issuing body; right: the national motto, place and date, as on official papers.
#[component]
fn AdministrativeHeader(unit: Unit) -> impl IntoView {
    let (day, month, year) = clock::today();
    // Days below 10 and the months 1 and 2 take a leading zero on administrative papers.
    let day = format!("{day:02}");
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    view! {
        <header class="report-header">
            <div class="report-issuer">
                <p class="report-strong">{unit.issuer}</p>
            </div>
            <div class="report-nation">
                <p class="report-strong">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</p>
                <p class="report-motto">"Độc lập - Tự do - Hạnh phúc"</p>
                <p class="report-date">
                    {format!("{}, ngày {day} tháng {month} năm {year}", unit.place)}
                </p>
            </div>
        </header>
    }
}

#[component]
fn CommuneData(
    set: Arc<CriteriaSet>,
    assessment: Assessment,
    score: AssessmentScore,
) -> impl IntoView {
    let a = &assessment;
    let category = set.unit_categories.iter().find(|u| u.id == a.unit_category);
    let category_text = match category {
        Some(u) => format!("{} (văn bản gốc: «{}»)", u.label, u.official_wording),
        None => format!("«{}» — không có trong bộ tiêu chí", a.unit_category),
    };
    let threshold = score
        .threshold
        .map_or("chưa xác định".to_string(), |t| format!("{t} điểm"));
    let assessor = if a.assessor.position.trim().is_empty() {
        a.assessor.name.clone()
    } else {
        format!("{} — {}", a.assessor.name, a.assessor.position)
    };
    view! {
        <section class="report-section">
            <h3>"I. Thông tin chung"</h3>
            <dl class="report-facts">
                <dt>"Tỉnh, thành phố"</dt>
                <dd>{format!("{} (mã {})", a.commune.province_name, a.commune.province_code)}</dd>
                <dt>"Đơn vị"</dt>
                <dd>{format!("{} (mã đơn vị hành chính {})", a.commune.name, a.commune.code)}</dd>
                <dt>"Loại đơn vị"</dt>
                <dd>{category_text}</dd>
                <dt>"Ngưỡng điểm phải đạt"</dt>
                <dd>{threshold}</dd>
                <dt>"Năm đánh giá"</dt>
                <dd>{a.year}</dd>
                <dt>"Người đánh giá"</dt>
                <dd>{assessor}</dd>
            </dl>
        </section>
    }
}

#[component]
fn CriteriaSetBasis(set: Arc<CriteriaSet>) -> impl IntoView {
    let basis = &set.legal_basis;
    let legal = format!(
        "Căn cứ: văn bản số {} ngày {} của {} «{}».",
        basis.number,
        vi_date(&basis.date),
        basis.issuer,
        basis.title
    );
    let any_not_encoded = set
        .criteria
        .iter()
        .flat_map(|c| c.items.iter())
        .any(|i| matches!(i.provenance, Provenance::NotEncoded { .. }));
    view! {
        <section class="report-section">
            <h3>"II. Bộ tiêu chí áp dụng"</h3>
            <p>{format!("{} (mã {}, phiên bản {}).", set.title, set.id, set.version)}</p>
            <p>{legal}</p>
            {any_not_encoded.then(|| view! {
                <p>
                    "Các mục ghi " <span class="report-mark">{NOT_ENCODED}</span>
                    " chưa có cách tính điểm được đối chiếu với văn bản đã ký: điểm do người đánh "
                    "giá chấm theo bảng điểm chính thức."
                </p>
            })}
        </section>
    }
}

/// "2019-01-03" → "03/01/2019"; anything else as written.
fn vi_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// Every criterion with its applicable items: data, points and source.
#[component]
fn CriteriaDetail(
    set: Arc<CriteriaSet>,
    assessment: Assessment,
    score: AssessmentScore,
) -> impl IntoView {
    let groups = set
        .criteria
        .iter()
        .filter_map(|c| {
            let cs = score.criteria.iter().find(|s| s.criterion_id == c.id)?;
            let blocking = score.is_blocking(&c.id);
            Some(view! {
                <CriterionRows criterion=c.clone() score=cs.clone() assessment=assessment.clone()
                    blocking=blocking/>
            })
        })
        .collect_view();
    let total_max = set.total_max.map(|m| format!(" / {m}")).unwrap_or_default();
    view! {
        <section class="report-section">
            <h3>"III. Kết quả chấm điểm theo tiêu chí"</h3>
            <table class="report-table">
                <colgroup><col/><col/><col/><col/></colgroup>
                <thead>
                    <tr>
                        <th scope="col">"Tiêu chí, mục"</th>
                        <th scope="col">"Số liệu"</th>
                        <th scope="col" class="num">"Điểm"</th>
                        <th scope="col">"Nguồn số liệu"</th>
                    </tr>
                </thead>
                {groups}
                // A body, not a footer: a footer would repeat at the foot of every page.
                <tbody class="report-total">
                    <tr>
                        <th scope="row" colspan="2">"Tổng số điểm"</th>
                        <td class="num">{format!("{}{total_max}", score.total)}</td>
                        <td></td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn CriterionRows(
    criterion: Criterion,
    score: CriterionScore,
    assessment: Assessment,
    /// At 0 points under a rule that then refuses recognition: said on paper too.
    blocking: bool,
) -> impl IntoView {
    let points = match score.max {
        Some(max) => format!("{}/{max}", score.points),
        None => score.points.to_string(),
    };
    let not_encoded = matches!(criterion.provenance, Provenance::NotEncoded { .. });
    let items = criterion
        .items
        .iter()
        .filter_map(|item| {
            let s = score.items.iter().find(|s| s.item_id == item.id)?;
            // Items that do not apply count for nothing and are left out of the report.
            (s.status != ItemStatus::NotApplicable).then(|| {
                let answer = assessment
                    .answers
                    .get(&item.id)
                    .cloned()
                    .unwrap_or_default();
                view! { <ItemRow item=item.clone() score=s.clone() answer=answer/> }
            })
        })
        .collect_view();
    view! {
        <tbody class="report-criterion">
            <tr class="report-criterion-row" class:report-blocking=blocking>
                <th scope="rowgroup" colspan="2">
                    {format!("Tiêu chí {}. {}", criterion.id, criterion.name)}
                    {not_encoded.then(|| view! { " " <span class="report-mark">{NOT_ENCODED}</span> })}
                    {blocking.then(|| view! {
                        " " <span class="report-blocking-mark">
                            "0 điểm: chưa đủ điều kiện công nhận (không tiêu chí nào được 0 điểm)"
                        </span>
                    })}
                </th>
                <td class="num">{points}</td>
                <td></td>
            </tr>
            {items}
        </tbody>
    }
}

#[component]
fn ItemRow(item: Item, score: ItemScore, answer: Answer) -> impl IntoView {
    let not_encoded = matches!(item.provenance, Provenance::NotEncoded { .. });
    let points = match (&score.status, score.max) {
        (ItemStatus::Scored, Some(max)) => format!("{}/{max}", score.points),
        (ItemStatus::Scored, None) => score.points.to_string(),
        _ => "—".into(),
    };
    view! {
        <tr>
            <td>
                {format!("{} {}", item.id, item.text)}
                {not_encoded.then(|| view! { " " <span class="report-mark">{NOT_ENCODED}</span> })}
            </td>
            <td>
                {item_data(&item.rule, &answer, &score).into_iter()
                    .map(|line| view! { <span class="report-line">{line}</span> })
                    .collect_view()}
            </td>
            <td class="num">{points}</td>
            <td>{answer.source}</td>
        </tr>
    }
}

/// What was entered for an item and what was computed from it, one line each.
fn item_data(rule: &Rule, answer: &Answer, score: &ItemScore) -> Vec<String> {
    let n = |v: f64| format_number(v, 2);
    let pair = |label: &str, v: Option<f64>| v.map(|v| format!("{label}: {}", n(v)));
    let mut lines: Vec<String> = match rule {
        Rule::YesNo { .. } => match answer.yes {
            Some(true) => vec!["Có".into()],
            Some(false) => vec!["Không".into()],
            None => vec![],
        },
        Rule::Rate { .. } | Rule::PerPopulation { .. } | Rule::Survey { .. } => {
            let (numerator, denominator) = rule.ratio_labels().unwrap_or_default();
            [
                pair(numerator, answer.numerator),
                pair(denominator, answer.denominator),
            ]
            .into_iter()
            .flatten()
            .collect()
        }
        Rule::Count { label, .. } => pair(label, answer.count).into_iter().collect(),
        Rule::Manual { .. } => vec![],
    };
    // A count's value is the count itself, already on its own line.
    match (rule, score.value) {
        (Rule::PerPopulation { per, .. }, Some(v)) => lines.push(format!(
            "Tỷ suất: {} trên {} trẻ em",
            n(v),
            format_number(f64::from(*per), 0)
        )),
        (Rule::Count { .. }, _) | (_, None) => {}
        (_, Some(v)) => lines.push(format!("Tỷ lệ: {}%", format_number(v, 1))),
    }
    if let Some(p) = answer.manual_points {
        lines.push(format!("Điểm người đánh giá chấm: {}", n(p)));
    }
    match &score.status {
        ItemStatus::Missing { needs } => lines.push(format!("Còn thiếu: {needs}")),
        ItemStatus::NeedsManualPoints { reason } => lines.push(reason.clone()),
        ItemStatus::Invalid { message } => lines.push(format!("Không hợp lệ: {message}")),
        ItemStatus::Scored | ItemStatus::NotApplicable => {}
    }
    lines
}

#[component]
fn ReportConclusion(set: Arc<CriteriaSet>, score: AssessmentScore) -> impl IntoView {
    let threshold = score
        .threshold
        .map_or("chưa xác định".to_string(), |t| format!("{t} điểm"));
    view! {
        <section class="report-section report-conclusion">
            <h3>"IV. Kết luận"</h3>
            <p>"Tổng số điểm: " <strong>{score.total}</strong> "; ngưỡng phải đạt: " {threshold} "."</p>
            <p>
                "Kết quả tự đánh giá: "
                <span class=verdict_class(score.verdict)>{score.verdict.label_vi()}</span>
            </p>
            {(!score.reasons.is_empty()).then(|| view! {
                <ul class="reasons">
                    {score.reasons.iter().map(|r| view! { <li>{r.message_vi(&set)}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// `(label, text)` of every applicable item with an explanation, in set order.
fn explanations(
    set: &CriteriaSet,
    assessment: &Assessment,
    score: &AssessmentScore,
) -> Vec<(String, String)> {
    let not_applicable = |id: &str| {
        score
            .criteria
            .iter()
            .flat_map(|c| c.items.iter())
            .any(|i| i.item_id == id && i.status == ItemStatus::NotApplicable)
    };
    set.criteria
        .iter()
        .flat_map(|c| c.items.iter())
        .filter(|i| !not_applicable(&i.id))
        .filter_map(|i| {
            let text = assessment.answers.get(&i.id)?.explanation.trim();
            (!text.is_empty()).then(|| (format!("Mục {} {}", i.id, i.text), text.to_string()))
        })
        .collect()
}

#[component]
fn Signatures(assessor: String) -> impl IntoView {
    view! {
        <div class="report-signatures">
            <div class="report-signature">
                <p class="report-strong">"Người lập biểu"</p>
                <p class="report-sign-note">"(Ký, ghi rõ họ tên)"</p>
                <p class="report-sign-name">{assessor}</p>
            </div>
            <div class="report-signature">
                <p class="report-strong">"TM. ỦY BAN NHÂN DÂN"</p>
                <p class="report-strong">"CHỦ TỊCH"</p>
                <p class="report-sign-note">"(Ký tên, đóng dấu)"</p>
            </div>
        </div>
    }
}
