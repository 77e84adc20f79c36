//! What the dashboard shows of the appraisals: the marks of every row (state, appraised score),
//! the filter by state, the row's cell and link, and the CSV columns.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::aggregate::DashboardRow;
use crate::domain::appraisal_report::{
    newer_record, AppraisalFilter, AppraisalMark, AppraisalState,
};
use crate::routes::Route;
use crate::ui::appraisal_state::use_appraisals;
use crate::ui::state::use_app;

/// The marks of every appraisal, by row key, recomputed when an appraisal changes.
pub fn use_marks() -> Memo<HashMap<String, AppraisalMark>> {
    let state = use_app();
    let appraisals = use_appraisals();
    appraisals.ensure_loaded(crate::ui::appraisal_state::at_hand);
    Memo::new(move |_| {
        state
            .sets
            .with(|sets| appraisals.marks(sets))
            .into_iter()
            .collect()
    })
}

/// Whether a row passes the appraisal filter.
pub fn keeps(
    filter: AppraisalFilter,
    marks: &HashMap<String, AppraisalMark>,
    row: &DashboardRow,
) -> bool {
    filter.matches(Some(&row.sha256), marks.get(&row.key()))
}

#[component]
pub fn AppraisalFilterSelect(
    filter: RwSignal<AppraisalFilter>,
    /// Back to the first page when the filter changes.
    page: RwSignal<usize>,
) -> impl IntoView {
    let states = AppraisalState::ALL
        .into_iter()
        .map(|s| view! { <option value=s.code()>{s.label_vi()}</option> })
        .collect_view();
    view! {
        <div class="filters">
            <label for="loc-tham-dinh">"Thẩm định"</label>
            <select id="loc-tham-dinh" on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.set(match v.as_str() {
                    "" => AppraisalFilter::Any,
                    "ban-moi" => AppraisalFilter::NewerRecord,
                    code => AppraisalState::from_code(code).map_or(AppraisalFilter::Any, AppraisalFilter::State),
                });
                page.set(0);
            }>
                <option value="">"Tất cả"</option>
                {states}
                <option value="ban-moi">"Xã đã gửi bản mới sau thẩm định"</option>
            </select>
        </div>
    }
}

/// The row's appraisal: its state and, once closed, the appraised score and verdict. The cell
/// stays while `row` changes (a dashboard row slot, see the table).
#[component]
pub fn AppraisalCell(
    row: Memo<Option<DashboardRow>>,
    marks: Memo<HashMap<String, AppraisalMark>>,
) -> impl IntoView {
    let content = move || {
        row.with(|row| {
            let row = row.as_ref()?;
            marks.with(|m| {
                let mark = m.get(&row.key());
                let state = AppraisalState::of(mark);
                let score = mark.filter(|_| state != AppraisalState::NotAppraised).map(|m| {
                    format!("{} điểm · {}", m.appraised_total, m.appraised_verdict.label())
                });
                let newer = newer_record(Some(&row.sha256), mark);
                Some(view! {
                    {state.label_vi()}
                    {score.map(|s| view! { <span class="muted cell-sub">{s}</span> })}
                    {newer.then(|| view! { <span class="cell-sub appraisal-newer">"xã đã gửi bản mới"</span> })}
                })
            })
        })
    };
    view! { <td class="appraisal-cell">{content}</td> }
}

/// Where the province prints its appraisals.
#[component]
pub fn AppraisalLinks() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="tham-dinh-cac-xa">
            <h2 id="tham-dinh-cac-xa">"Thẩm định"</h2>
            <p>
                "Mở «Thẩm định» ở dòng của từng đơn vị để ghi ý kiến từng mục, kết luận và xuất tệp "
                "kết quả gửi cho xã. Danh sách dưới đây in điểm tự đánh giá, điểm thẩm định và kết "
                "quả của mọi đơn vị đã nạp, theo loại đơn vị."
            </p>
            <a class="button" href=Route::AppraisalList.href()>"Danh sách kết quả thẩm định (để in)"</a>
        </section>
    }
}
