//! One screen per criterion: its items, the criterion's points, and the way to the next one.

use leptos::prelude::*;

use crate::domain::validation::parse_points;
use crate::routes::Route;
use crate::ui::state::{use_app, Doc};
use crate::ui::state_scores::DocScores;
use crate::ui::views::item_input::ItemInput;
use crate::ui::views::set_version::NewerVersion;
use crate::ui::views::summary::{CriteriaNav, EditingBanner, SummaryBar};
use crate::ui::views::{MissingSet, ProvenanceBadge};

/// From this width (60rem in public/app.css) the criteria are a side list, not above.
const SIDE_LIST_WIDTH: f64 = 960.0;

#[component]
pub fn CriterionScreen(id: String, number: usize) -> impl IntoView {
    let state = use_app();
    let Some(doc) = state.doc(&id) else {
        return view! { <super::not_found::NotFound/> }.into_any();
    };
    let Some(set) = state.set_for(&id) else {
        return view! { <MissingSet id=id/> }.into_any();
    };
    let Some(criterion) = set.criteria.get(number - 1).cloned() else {
        return view! { <super::not_found::NotFound/> }.into_any();
    };
    let count = set.criteria.len();
    // One memo per item and per criterion: an edit wakes only what depends on it.
    let scores = DocScores::new(&doc, set.clone());
    let set = StoredValue::new(set);
    let criterion_score = scores.criteria[number - 1];
    let headline = scores.headline;
    let blocking = {
        let criterion_id = criterion.id.clone();
        Memo::new(move |_| headline.with(|s| s.is_blocking(&criterion_id)))
    };
    // On a phone the grid of criteria sits above the criterion: its heading is brought to the
    // top, so moving to the next criterion does not mean scrolling past the grid every time.
    Effect::new(move |_| {
        request_animation_frame(|| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let narrow = window
                .inner_width()
                .ok()
                .and_then(|w| w.as_f64())
                .is_some_and(|w| w < SIDE_LIST_WIDTH);
            let heading = window
                .document()
                .and_then(|d| d.get_element_by_id("tieu-chi-tieu-de"));
            if let (true, Some(heading)) = (narrow, heading) {
                heading.scroll_into_view();
            }
        });
    });
    let heading = format!("Tiêu chí {}. {}", criterion.id, criterion.name);
    let unknown_max = criterion.max_points.is_none();
    let items = criterion
        .items
        .iter()
        .cloned()
        .map(|item| {
            let score = scores.item(&item.id)?;
            let score = Signal::derive(move || Some(score.get()));
            Some(view! { <ItemInput doc=doc.clone() item=item score=score/> })
        })
        .collect_view();

    view! {
        <SummaryBar doc=doc.clone() headline=headline/>
        <NewerVersion id=id.clone()/>
        <div class="assessment-layout">
            <CriteriaNav id=id.clone() current=number set=set criteria=scores.criteria.clone() headline=headline/>
            <article class="criterion" aria-labelledby="tieu-chi-tieu-de">
                <h1 id="tieu-chi-tieu-de" tabindex="-1">{heading}</h1>
                <EditingBanner doc=doc.clone()/>
                <ProvenanceBadge provenance=criterion.provenance.clone()/>
                <p class="criterion-points" class:criterion-blocking=move || blocking.get() aria-live="polite">
                    {move || criterion_score.with(|c| match c.max {
                        Some(max) => format!("Điểm của tiêu chí: {} / {max}", c.points),
                        None => format!("Điểm của tiêu chí: {} (chưa rõ điểm tối đa)", c.points),
                    })}
                    {move || blocking.get().then(|| view! {
                        <span class="blocking-note">
                            "Tiêu chí đang 0 điểm: chỉ cần một tiêu chí 0 điểm là đơn vị chưa được "
                            "công nhận, dù tổng điểm đạt ngưỡng."
                        </span>
                    })}
                </p>
                {unknown_max.then(|| view! {
                    <RecordedMax doc=doc.clone() criterion_id=criterion.id.clone()/>
                })}
                {items}
                <nav class="prev-next" aria-label="Chuyển tiêu chí">
                    {(number > 1).then(|| view! {
                        <a class="button" href=Route::Criterion { id: id.clone(), number: number - 1 }.href()>
                            {format!("← Tiêu chí {}", number - 1)}
                        </a>
                    })}
                    {if number < count {
                        view! {
                            <a class="button primary" href=Route::Criterion { id: id.clone(), number: number + 1 }.href()>
                                {format!("Tiêu chí {} →", number + 1)}
                            </a>
                        }.into_any()
                    } else {
                        view! {
                            <a class="button primary" href=Route::Results { id: id.clone() }.href()>
                                "Xem kết quả →"
                            </a>
                        }.into_any()
                    }}
                </nav>
            </article>
        </div>
    }
    .into_any()
}

/// Where the set does not know a criterion's maximum, the assessor may record the one printed
/// in the official table, so the criterion can be shown as a percentage.
#[component]
fn RecordedMax(doc: Doc, criterion_id: String) -> impl IntoView {
    let state = use_app();
    let info = doc.info().clone();
    let cid = criterion_id.clone();
    let current = move || info.with(|a| a.recorded_max.get(&cid).copied());
    let error = RwSignal::new(None::<String>);
    let input_id = format!("diem-toi-da-{criterion_id}");
    let (hint_id, error_id) = (format!("{input_id}-giai-thich"), format!("{input_id}-loi"));
    let id = doc.id().to_string();
    let readonly = {
        let doc = doc.clone();
        Memo::new(move |_| !doc.editable())
    };
    view! {
        <div class="field recorded-max">
            <label for=input_id.clone()>
                "Điểm tối đa của tiêu chí theo bảng điểm chính thức (không bắt buộc)"
            </label>
            // Why the field is there, before the field itself.
            <p class="hint" id=hint_id.clone()>
                "Bộ tiêu chí chưa có điểm tối đa chính thức của tiêu chí này. Khi chưa biết, tiêu chí "
                "được thể hiện bằng điểm, không tính phần trăm."
            </p>
            <input id=input_id type="text" inputmode="numeric" autocomplete="off"
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || error.get().is_some().then_some("true")
                prop:readOnly=move || readonly.get()
                prop:value=move || current().map(|m| m.to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let raw = event_target_value(&ev);
                    match parse_points(&raw) {
                        Ok(v) => {
                            error.set(None);
                            let cid = criterion_id.clone();
                            state.update(&id, move |a| match v {
                                Some(v) => { a.recorded_max.insert(cid, v); }
                                None => { a.recorded_max.remove(&cid); }
                            });
                        }
                        Err(message) => error.set(Some(format!("{message} Giá trị này chưa được lưu."))),
                    }
                }/>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
