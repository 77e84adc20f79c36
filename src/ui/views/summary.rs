//! What stays visible while filling in: the running total against the threshold, progress,
//! and the list of criteria with their points.

use leptos::prelude::*;

use std::sync::Arc;

use crate::domain::criteria::CriteriaSet;
use crate::domain::scoring::AssessmentScore;
use crate::routes::Route;
use crate::ui::state::use_app;
use crate::ui::views::verdict_class;

#[component]
pub fn SummaryBar(id: String, scores: Memo<Option<AssessmentScore>>) -> impl IntoView {
    let state = use_app();
    let title = {
        let id = id.clone();
        move || {
            state
                .get(&id)
                .map(|s| format!("{} — năm {}", s.assessment.commune.name, s.assessment.year))
        }
    };
    view! {
        <div class="summary-bar" role="region" aria-label="Tổng điểm và tiến độ">
            <p class="summary-title">{title}</p>
            {move || scores.get().map(|s| {
                let percent = (s.answered * 100).checked_div(s.item_count).unwrap_or(0);
                view! {
                    <p class="summary-figures">
                        <span class="summary-total">
                            "Tổng: " <strong>{s.total}</strong>
                            {match s.threshold {
                                Some(t) => format!(" / ngưỡng {t} điểm"),
                                None => " điểm (chưa chọn loại đơn vị)".into(),
                            }}
                        </span>
                        <span class=verdict_class(s.verdict)>{s.verdict.label_vi()}</span>
                        <span>
                            <label for="tien-do">{format!("Đã nhập {}/{} mục", s.answered, s.item_count)}</label>
                            " "
                            <progress id="tien-do" max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
                        </span>
                    </p>
                }
            })}
            <p class="summary-links">
                <a href=Route::AssessmentInfo { id: id.clone() }.href()>"Thông tin chung"</a>
                <a href=Route::Results { id: id.clone() }.href()>"Kết quả"</a>
                <a href=Route::Report { id: id.clone() }.href()>"Báo cáo để in"</a>
            </p>
        </div>
    }
}

#[component]
pub fn CriteriaNav(
    id: String,
    current: usize,
    set: StoredValue<Arc<CriteriaSet>>,
    scores: Memo<Option<AssessmentScore>>,
) -> impl IntoView {
    let entries = set.with_value(|s| {
        s.criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c.id.clone(), c.name.clone()))
            .collect::<Vec<_>>()
    });
    view! {
        <nav class="criteria-nav" aria-label="Các tiêu chí">
            <ol>
                {entries.into_iter().map(|(number, cid, name)| {
                    let points = move || scores.with(|s| {
                        s.as_ref().and_then(|s| s.criteria.iter().find(|c| c.criterion_id == cid).map(|c| {
                            let mark = if c.complete { "✓ " } else { "" };
                            match c.max {
                                Some(max) => format!("{mark}{}/{max}", c.points),
                                None => format!("{mark}{} điểm", c.points),
                            }
                        }))
                    });
                    view! {
                        <li>
                            <a href=Route::Criterion { id: id.clone(), number }.href()
                                aria-current=(number == current).then_some("page")
                                title=name.clone()>
                                <span class="nav-number">{number}</span>
                                <span class="nav-name">{name.clone()}</span>
                                <span class="nav-points">{points}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
