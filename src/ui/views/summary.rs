//! What stays visible while filling in: the running total against the threshold, progress,
//! and the list of criteria with their points.

use leptos::prelude::*;

use std::sync::Arc;

use crate::domain::criteria::CriteriaSet;
use crate::domain::scoring::CriterionScore;
use crate::routes::Route;
use crate::ui::state::Doc;
use crate::ui::state_scores::Headline;
use crate::ui::views::verdict_class;

pub use crate::ui::layout::EditingBanner;

#[component]
pub fn SummaryBar(doc: Doc, headline: Memo<Headline>) -> impl IntoView {
    let info = doc.info().clone();
    let title = move || info.with(|a| format!("{} — năm {}", a.commune.name, a.year));
    let id = doc.id().to_string();
    let percent = Memo::new(move |_| {
        headline.with(|s| (s.answered * 100).checked_div(s.item_count).unwrap_or(0))
    });
    view! {
        <div class="summary-bar" role="region" aria-label="Tổng điểm và tiến độ">
            <p class="summary-title">{title}</p>
            // Each figure its own text: an edit changes a few characters, not the whole line.
            <p class="summary-figures">
                <span class="summary-total">
                    "Tổng: " <strong>{move || headline.with(|s| s.total)}</strong>
                    {move || headline.with(|s| match s.threshold {
                        Some(t) => format!(" / ngưỡng {t} điểm"),
                        None => " điểm (chưa chọn loại đơn vị)".into(),
                    })}
                </span>
                <span class=move || headline.with(|s| verdict_class(s.verdict))>
                    {move || headline.with(|s| s.verdict.label_vi())}
                </span>
                <span>
                    <label for="tien-do">
                        {move || headline.with(|s| format!("Đã nhập {}/{} mục", s.answered, s.item_count))}
                    </label>
                    " "
                    <progress id="tien-do" max="100" value=move || percent.get().to_string()>
                        {move || format!("{}%", percent.get())}
                    </progress>
                </span>
            </p>
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
    /// In set order.
    criteria: Vec<Memo<CriterionScore>>,
    headline: Memo<Headline>,
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
                    let score = criteria[number - 1];
                    let blocking = Memo::new(move |_| headline.with(|s| s.is_blocking(&cid)));
                    let status = Memo::new(move |_| score.with(|c| {
                        let points = match c.max {
                            Some(max) => format!("{}/{max}", c.points),
                            None => format!("{} điểm", c.points),
                        };
                        let mark = if blocking.get() {
                            NavMark::Blocking
                        } else if c.complete {
                            NavMark::Done
                        } else {
                            NavMark::Open
                        };
                        (points, mark)
                    }));
                    let mark = move || status.with(|s| s.1);
                    view! {
                        <li>
                            <a href=Route::Criterion { id: id.clone(), number }.href()
                                class:nav-done=move || mark() == NavMark::Done
                                class:nav-blocking=move || mark() == NavMark::Blocking
                                aria-current=(number == current).then_some("page")
                                title=name.clone()>
                                <span class="nav-number">{number}</span>
                                <span class="nav-name">{name.clone()}</span>
                                <span class="nav-points">
                                    <span aria-hidden="true">{move || mark().symbol()}</span>
                                    {move || status.with(|s| s.0.clone())}
                                </span>
                                <span class="visually-hidden">{move || mark().words()}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// How a criterion stands, as the list of criteria marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NavMark {
    /// At 0 points: refuses recognition on its own, never shown as done.
    Blocking,
    /// Every applicable item scored.
    Done,
    Open,
}

impl NavMark {
    fn symbol(self) -> &'static str {
        match self {
            NavMark::Blocking => "✗ ",
            NavMark::Done => "✓ ",
            NavMark::Open => "",
        }
    }

    /// For screen readers, which do not say the symbols the same way.
    fn words(self) -> &'static str {
        match self {
            NavMark::Blocking => " — đang 0 điểm, chưa được công nhận",
            NavMark::Done => " — đã nhập xong",
            NavMark::Open => " — chưa nhập xong",
        }
    }
}
