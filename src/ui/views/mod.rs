//! One view per file; `render` picks the one for the current route.

mod appraisal;
mod appraisal_dashboard;
mod appraisal_export;
pub mod appraisal_import;
mod appraisal_list;
mod appraisal_minutes;
pub mod appraisal_received;
mod assessment_form;
mod backups;
mod charts;
mod criteria_compare;
mod criteria_editor;
mod criteria_part;
mod criteria_sets;
mod criterion;
mod dashboard;
pub mod export;
pub mod history_view;
mod home;
pub mod import;
mod item_input;
mod not_found;
mod parts;
mod report;
mod results;
pub(crate) mod set_import;
mod set_version;
mod summary;

use std::sync::Arc;

use leptos::prelude::*;

use crate::adapters::focus;
use crate::domain::assessment::Assessment;
use crate::domain::criteria::{CriteriaSet, Provenance};
use crate::domain::scoring::Verdict;
use crate::routes::Route;

pub fn render(route: Route) -> AnyView {
    charts::install();
    match route {
        Route::Home => view! { <home::Home/> }.into_any(),
        Route::NewAssessment
        | Route::AssessmentInfo { .. }
        | Route::Criterion { .. }
        | Route::Results { .. }
        | Route::Report { .. }
        | Route::Dashboard
        | Route::DashboardResults { .. }
        | Route::DashboardReport { .. }
        | Route::Appraisal { .. }
        | Route::AppraisalMinutes { .. }
        | Route::AppraisalList
        | Route::ReceivedAppraisal { .. }
        | Route::ReceivedMinutes { .. } => parts::screen(route),
        Route::SetVersion { id } => criteria_part::screen(move |s| (s.set_version)(id.clone())),
        Route::CriteriaSets => criteria_part::screen(|s| (s.sets)()),
        Route::CriteriaEditor => criteria_part::screen(|s| (s.editor)()),
        Route::CriteriaCompare { old, new } => {
            criteria_part::screen(move |s| (s.compare)(old.clone(), new.clone()))
        }
        Route::NotFound => view! { <not_found::NotFound/> }.into_any(),
    }
}

/// What the screen of `route` is called after «màn hình» when its part cannot be fetched.
pub fn screen_name(route: &Route) -> &'static str {
    match route {
        Route::SetVersion { .. }
        | Route::CriteriaSets
        | Route::CriteriaEditor
        | Route::CriteriaCompare { .. } => "bộ tiêu chí",
        _ => parts::name(route),
    }
}

/// Where the keyboard focus goes around a question asked in place (`role="alertdialog"` under
/// the button that opened it): into the question when it opens ([`QuestionFocus::ask`]), on
/// the answer that loses nothing, and back to the button when that answer is chosen.
/// Otherwise the focus went with the hidden button, or the removed question, and the next Tab
/// started anywhere.
#[derive(Clone, Copy)]
pub struct QuestionFocus {
    opener: NodeRef<leptos::html::Button>,
    keep: NodeRef<leptos::html::Button>,
}

impl QuestionFocus {
    pub fn new() -> QuestionFocus {
        QuestionFocus {
            opener: NodeRef::new(),
            keep: NodeRef::new(),
        }
    }

    /// The question opens: its harmless answer takes the focus once drawn. The answer may be
    /// gone by then with what asked (a card drawn again when another tab saved it): the
    /// focus then goes as when nothing is found, and nothing panics.
    pub fn ask(&self) {
        let keep = self.keep;
        focus::later_found(
            Box::new(move || keep.try_get_untracked().flatten().map(Into::into)),
            focus::current(),
        );
    }

    /// For the button that asks the question.
    pub fn opener(&self) -> NodeRef<leptos::html::Button> {
        self.opener
    }

    /// For the answer that loses nothing.
    pub fn keep(&self) -> NodeRef<leptos::html::Button> {
        self.keep
    }

    /// The question is closed without harm: the focus goes back to the button that asked it.
    pub fn back(&self) {
        if let Some(opener) = self.opener.get_untracked() {
            focus::later(opener.into(), focus::current());
        }
    }
}

/// CSS class of a verdict label.
pub fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "verdict verdict-pass",
        Verdict::Fail => "verdict verdict-fail",
        Verdict::Incomplete => "verdict verdict-incomplete",
    }
}

/// Says how sure the set is of an item or criterion; silent when checked against the signed text.
#[component]
pub fn ProvenanceBadge(provenance: Provenance) -> impl IntoView {
    match provenance {
        Provenance::Verified { .. } => None,
        Provenance::Secondary { source } => Some(
            view! {
                <p class="provenance provenance-secondary">
                    <span class="badge">"Nguồn thứ cấp"</span> " " {source}
                </p>
            }
            .into_any(),
        ),
        Provenance::NotEncoded { note } => Some(
            view! {
                <p class="provenance provenance-missing">
                    <span class="badge badge-warning">"Chưa đối chiếu văn bản gốc"</span> " " {note}
                </p>
            }
            .into_any(),
        ),
    }
}

/// The assessment exists but its criteria set is not known on this machine.
#[component]
pub fn MissingSet(id: String) -> impl IntoView {
    let state = crate::ui::state::use_app();
    // The registry's own words: which set and version, and how to get it.
    let why = state.get(&id).map(|s| {
        state.sets.with_untracked(|sets| {
            sets.resolve(&s.assessment.criteria_set)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        })
    });
    match why {
        None => view! { <not_found::NotFound/> }.into_any(),
        Some(why) => view! {
            <h1>"Chưa có bộ tiêu chí"</h1>
            <p class="banner banner-warning">
                {why} " Dữ liệu của bản tự đánh giá này vẫn được giữ nguyên."
            </p>
            <a class="button" href=Route::Home.href()>"Về danh sách"</a>
        }
        .into_any(),
    }
}

/// One of the user's own assessments with its criteria set and the same commune's latest earlier
/// year (for the comparison chart), or the screen to show instead.
pub(crate) fn own_with_previous(
    state: crate::ui::state::AppState,
    id: &str,
) -> Result<(Assessment, Arc<CriteriaSet>, Option<Assessment>), AnyView> {
    let Some(stored) = state.get(id) else {
        return Err(view! { <not_found::NotFound/> }.into_any());
    };
    let Some(set) = state.set_for(id) else {
        return Err(view! { <MissingSet id=id.to_string()/> }.into_any());
    };
    let all = state.all_stored();
    let previous = crate::domain::charts::previous_assessment(
        &stored.assessment,
        all.iter().map(|s| &s.assessment),
    )
    .cloned();
    Ok((stored.assessment, set, previous))
}
