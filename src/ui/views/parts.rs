//! The screens Home does not need — making and answering an assessment, its results and report,
//! «Tổng hợp», the appraisal screens — are one part of the module split off by wasm-split (docs/architecture.md, «Tải
//! theo nhu cầu»): fetched when one of them is first opened (from the service worker's copy
//! after the first visit: the worker keeps every part once the app has started), not with the
//! first download. One part rather than one per group of screens: the worker fetches them all
//! anyway, and separate parts measured 23 KB more in all for the same first download (calls
//! between parts go through the function table, small files compress less well). The criteria
//! screens, for provincial staff, are the part in `criteria_part.rs`.

use std::cell::Cell;

use leptos::prelude::*;

use super::{
    appraisal, appraisal_list, appraisal_minutes, appraisal_received, assessment_form, criterion,
    dashboard, not_found, report, results,
};
use crate::routes::Route;
use crate::ui::on_demand::{part_screen, with_divisions, NotLoaded};

/// Renders the routes of the part; any other route is «not found».
type Screens = fn(Route) -> AnyView;

thread_local! {
    static LOADED: Cell<Option<Screens>> = const { Cell::new(None) };
}

/// The screen of `route`, once the part is fetched.
pub fn screen(route: Route) -> AnyView {
    part_screen(&LOADED, screens, name(&route), move |render| {
        render(route.clone())
    })
}

/// What a screen of the part is called after «màn hình», to say it could not be fetched.
pub fn name(route: &Route) -> &'static str {
    match route {
        Route::Results { .. } | Route::Report { .. } => "kết quả",
        Route::Dashboard | Route::DashboardResults { .. } | Route::DashboardReport { .. } => {
            "«Tổng hợp»"
        }
        Route::Appraisal { .. }
        | Route::AppraisalMinutes { .. }
        | Route::AppraisalList
        | Route::ReceivedAppraisal { .. }
        | Route::ReceivedMinutes { .. } => "thẩm định",
        _ => "tự đánh giá",
    }
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn screens() -> Result<Screens, NotLoaded> {
    Ok(|route| match route {
        Route::NewAssessment => with_divisions(|divisions| {
            view! { <assessment_form::AssessmentForm id=None divisions=divisions/> }.into_any()
        }),
        Route::AssessmentInfo { id } => with_divisions(move |divisions| {
            view! { <assessment_form::AssessmentForm id=Some(id.clone()) divisions=divisions/> }
                .into_any()
        }),
        Route::Criterion { id, number } => {
            view! { <criterion::CriterionScreen id=id number=number/> }.into_any()
        }
        Route::Results { id } => view! { <results::ResultsScreen id=id/> }.into_any(),
        // The reports name the commune as the official list does.
        Route::Report { id } => {
            with_divisions(move |_| view! { <report::ReportScreen id=id.clone()/> }.into_any())
        }
        Route::Dashboard => view! { <dashboard::DashboardScreen/> }.into_any(),
        Route::DashboardResults { key } => {
            view! { <dashboard::DashboardResults key=key/> }.into_any()
        }
        Route::DashboardReport { key } => with_divisions(move |_| {
            view! { <dashboard::DashboardReport key=key.clone()/> }.into_any()
        }),
        Route::Appraisal { key } => view! { <appraisal::AppraisalScreen key=key/> }.into_any(),
        Route::AppraisalMinutes { key } => {
            view! { <appraisal_minutes::AppraisalMinutesScreen key=key/> }.into_any()
        }
        Route::AppraisalList => view! { <appraisal_list::AppraisalListScreen/> }.into_any(),
        Route::ReceivedAppraisal { id } => {
            view! { <appraisal_received::ReceivedAppraisalScreen id=id/> }.into_any()
        }
        Route::ReceivedMinutes { id } => {
            view! { <appraisal_received::ReceivedMinutesScreen id=id/> }.into_any()
        }
        _ => view! { <not_found::NotFound/> }.into_any(),
    })
}
