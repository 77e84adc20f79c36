//! One loaded commune's results (`Route::DashboardResults`) and printable report
//! (`Route::DashboardReport`), drawn by the same views as the user's own assessments, read-only.
//! The whole document comes from IndexedDB, so it arrives asynchronously.

use leptos::prelude::*;

use crate::adapters::idb::IdbError;
use crate::domain::assessment::Assessment;
use crate::domain::dashboard::{previous_key, DashboardDoc};
use crate::routes::Route;
use crate::ui::dashboard_state::{use_dashboard, Dashboard};
use crate::ui::state::use_app;
use crate::ui::views::report::ReportView;
use crate::ui::views::results::ResultsView;

#[component]
pub fn DashboardResults(key: String) -> impl IntoView {
    view! { <LoadedDoc key=key report=false/> }
}

#[component]
pub fn DashboardReport(key: String) -> impl IntoView {
    view! { <LoadedDoc key=key report=true/> }
}

/// What the screen can show once the document is looked up.
#[derive(Clone)]
enum Loaded {
    Found {
        assessment: Box<Assessment>,
        previous: Option<Assessment>,
    },
    /// Neither this tab nor IndexedDB has it (`error`: IndexedDB could not be read); the row
    /// may still name its file.
    Missing {
        source_file: Option<String>,
        error: Option<IdbError>,
    },
}

async fn look_up(dashboard: Dashboard, key: String) -> Loaded {
    let (doc, error) = match dashboard.doc(&key).await {
        Ok(doc) => (doc, None),
        Err(e) => (None, Some(e)),
    };
    let Some(doc) = doc else {
        let source_file = dashboard.rows.with_untracked(|rows| {
            rows.iter()
                .find(|r| r.key() == key)
                .map(|r| r.source_file.clone())
        });
        return Loaded::Missing { source_file, error };
    };
    let a = &doc.stored.assessment;
    let earlier = dashboard
        .rows
        .with_untracked(|rows| previous_key(rows, &a.commune.code, a.year));
    // The comparison is a bonus: without the earlier document the results still show.
    let previous = match earlier {
        Some(k) => dashboard
            .doc(&k)
            .await
            .ok()
            .flatten()
            .map(|d: DashboardDoc| d.stored.assessment),
        None => None,
    };
    Loaded::Found {
        assessment: Box::new(doc.stored.assessment),
        previous,
    }
}

#[component]
fn LoadedDoc(key: String, report: bool) -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    dashboard.ensure_loaded(state.sets);
    let loaded = RwSignal::new(None::<Loaded>);
    // Wait for the rows (they name the file and the earlier year) before looking up.
    Effect::new({
        let key = key.clone();
        move |done: Option<bool>| {
            if done == Some(true) || !dashboard.ready.get() {
                return done.unwrap_or(false);
            }
            let key = key.clone();
            leptos::task::spawn_local(async move {
                loaded.set(Some(look_up(dashboard, key).await));
            });
            true
        }
    });
    let heading = if report {
        "Báo cáo để in"
    } else {
        "Kết quả tự đánh giá"
    };
    move || match loaded.get() {
        None => view! {
            <h1>{heading}</h1>
            <p role="status">"Đang mở bản đánh giá…"</p>
        }
        .into_any(),
        Some(Loaded::Missing { source_file, error }) => {
            let why = match error {
                Some(e) => format!(
                    "Không đọc được bản đầy đủ từ bộ nhớ trình duyệt. {}",
                    e.message_vi()
                ),
                None => "Bản đầy đủ của đơn vị này không còn trong trình duyệt (chỉ còn dòng \
                         trong bảng)."
                    .to_string(),
            };
            let then = match source_file {
                Some(file) => format!(" Hãy nạp lại tệp «{file}» ở màn hình Tổng hợp."),
                None => " Không có đơn vị này trong dữ liệu tổng hợp (có thể đã bị gỡ).".into(),
            };
            view! {
                <h1>{heading}</h1>
                <p class="banner banner-warning" role="alert">{why}{then}</p>
                <BackLink/>
            }
            .into_any()
        }
        Some(Loaded::Found {
            assessment,
            previous,
        }) => {
            let set = state
                .sets
                .with(|sets| sets.find(&assessment.criteria_set).map(|r| r.set.clone()));
            let Some(set) = set else {
                return view! {
                    <h1>{heading}</h1>
                    <p class="banner banner-warning" role="alert">
                        {format!(
                            "Bản đánh giá này dùng bộ tiêu chí {} phiên bản {}, chưa có trên máy \
                             này.",
                            assessment.criteria_set.id, assessment.criteria_set.version
                        )}
                    </p>
                    <BackLink/>
                }
                .into_any();
            };
            let k = key.clone();
            let body = if report {
                view! { <ReportView assessment=*assessment set=set previous=previous/> }.into_any()
            } else {
                view! { <ResultsView assessment=*assessment set=set previous=previous/> }.into_any()
            };
            view! {
                <nav class="page-links no-print" aria-label="Đơn vị đã nạp">
                    <a href=Route::Dashboard.href()>"← Về bảng tổng hợp"</a>
                    {if report {
                        view! { <a href=Route::DashboardResults { key: k }.href()>"Kết quả"</a> }
                    } else {
                        view! { <a href=Route::DashboardReport { key: k }.href()>"Báo cáo để in"</a> }
                    }}
                </nav>
                {body}
            }
            .into_any()
        }
    }
}

#[component]
fn BackLink() -> impl IntoView {
    view! { <a class="button" href=Route::Dashboard.href()>"Về bảng tổng hợp"</a> }
}
