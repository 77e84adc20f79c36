//! "Tổng hợp" (`Route::Dashboard`): the province loads the files of its communes, sees how
//! many pass, compares them in one table and opens any commune's results and report. The
//! collection is kept apart from the user's own assessments (see `ui::dashboard_state`).

mod consolidated;
mod entry;
mod overview;
mod provinces;
mod table;

pub use entry::{DashboardReport, DashboardResults};

use leptos::prelude::*;

use crate::adapters::focus;
use crate::adapters::storage::StorageError;
use crate::adapters::tick::yield_now;
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::{use_dashboard, DocsStatus};
use crate::ui::state::use_app;
use crate::ui::views::import::{self, ImportPanel};
use crate::ui::views::QuestionFocus;

#[component]
pub fn DashboardScreen() -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    dashboard.ensure_loaded(state.sets);
    // Every file loaded here is checked against the commune list: fetched and read now, while
    // the user picks the files, rather than after (on a weak link, the wait of a download).
    leptos::task::spawn_local(async {
        let _ = crate::ui::on_demand::divisions().await;
    });
    let has_rows = move || dashboard.rows.with(|r| !r.is_empty());
    view! {
        <h1>"Tổng hợp kết quả các xã, phường"</h1>
        <p class="lead">
            "Nạp các tệp JSON do các xã, phường, đặc khu gửi lên để xem, so sánh và đếm số đơn vị "
            "đạt. Dữ liệu tổng hợp được giữ riêng, không lẫn với các bản tự đánh giá của máy này."
        </p>
        <section class="panel" aria-labelledby="nap-tep">
            <h2 id="nap-tep">"Nạp tệp của các đơn vị"</h2>
            <p>
                "Mỗi đơn vị chỉ giữ một bản cho mỗi năm: nạp lại tệp của cùng đơn vị và năm thì bản "
                "sửa sau cùng được giữ."
            </p>
            <ImportPanel for_dashboard=true load=import::at_hand/>
        </section>
        <StorageLine/>
        <Show
            when=move || dashboard.ready.get()
            fallback=|| view! { <Opening/> }
        >
            <Show
                when=has_rows
                fallback=|| view! {
                    <p class="empty">
                        "Chưa nạp tệp nào. Chọn hoặc kéo thả các tệp JSON của các đơn vị vào khung "
                        "ở trên."
                    </p>
                }
            >
                <overview::Overview/>
                <Later>
                    <table::RowsTable/>
                    <Later>
                        <provinces::Provinces/>
                        <crate::ui::views::appraisal_dashboard::AppraisalLinks/>
                        <consolidated::ConsolidatedExport/>
                        <ClearAll/>
                    </Later>
                </Later>
            </Show>
        </Show>
    }
}

/// While the table is read; rebuilt from the stored documents (too large for localStorage, or
/// missing there), it can take seconds on a phone: how many are read so far.
#[component]
fn Opening() -> impl IntoView {
    let dashboard = use_dashboard();
    let read = move || dashboard.rebuilding.get().unwrap_or((0, 1));
    let count = |n: usize| format_number(n as f64, 0);
    view! {
        <Show
            when=move || dashboard.rebuilding.with(Option::is_some)
            fallback=|| view! { <p role="status">"Đang mở dữ liệu tổng hợp…"</p> }
        >
            // Drawn once, its text and bar updated in place.
            <div class="import-progress rebuild-progress" role="status">
                <label for="dung-lai-bang">
                    {move || {
                        let (done, of) = read();
                        format!(
                            "Đang dựng lại bảng từ các bản đã lưu trên máy: {}/{} bản…",
                            count(done),
                            count(of)
                        )
                    }}
                </label>
                <progress id="dung-lai-bang" max=move || read().1.to_string()
                    value=move || read().0.to_string()>
                </progress>
            </div>
        </Show>
    }
}

/// Its children, drawn in a task after the rest: thousands of loaded rows make the counts,
/// the table and the provinces each a few dozen milliseconds to draw on a phone, and drawn
/// together they would hold the page for longer than a user waits for an answer.
#[component]
fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        yield_now().await;
        // Gone already when the user left the screen meanwhile.
        let _ = ready.try_set(true);
    });
    view! { <Show when=move || ready.get()>{children()}</Show> }
}

/// Where the data lives, and what could not be stored.
#[component]
fn StorageLine() -> impl IntoView {
    let dashboard = use_dashboard();
    let rows_problem = move || {
        dashboard.rows_error.get().map(|e| {
            let why = match e {
                StorageError::QuotaExceeded => {
                    "bộ nhớ localStorage của trang (khoảng 5 MB) không đủ chỗ".to_string()
                }
                StorageError::Unavailable => "trình duyệt không cho lưu dữ liệu".to_string(),
                StorageError::WriteFailed(detail) => format!("trình duyệt từ chối ({detail})"),
            };
            let then = match dashboard.docs.get() {
                DocsStatus::Failed(_) => {
                    "Bảng chỉ còn trong thẻ này: hãy giữ các tệp gốc để nạp lại khi cần."
                }
                _ => "Khi mở lại trang, bảng được đọc lại từ IndexedDB.",
            };
            view! {
                <p class="banner banner-warning" role="alert">
                    {format!("Bảng tổng hợp chưa lưu được vào localStorage: {why}. {then}")}
                </p>
            }
        })
    };
    let docs_line = move || match dashboard.docs.get() {
        DocsStatus::Idle | DocsStatus::Saved => None,
        DocsStatus::Saving => Some(
            view! { <p class="muted" role="status">"Đang lưu bản đầy đủ của các tệp…"</p> }
                .into_any(),
        ),
        DocsStatus::Clearing => Some(
            view! { <p class="muted" role="status">"Đang xóa bản đầy đủ của các tệp…"</p> }
                .into_any(),
        ),
        DocsStatus::Removing => Some(
            view! { <p class="muted" role="status">"Đang gỡ bản đầy đủ khỏi máy…"</p> }.into_any(),
        ),
        DocsStatus::Failed(e) => Some(
            view! {
                <p class="banner banner-warning" role="alert">
                    {format!(
                        "Bộ nhớ cho bản đầy đủ của các tệp không dùng được: {} Bảng kết quả vẫn \
                         được giữ; kết quả chi tiết và báo cáo của từng đơn vị chỉ xem được trong \
                         thẻ đã nạp tệp, sau khi tải lại trang thì cần nạp lại tệp.",
                        e.message_vi()
                    )}
                </p>
            }
            .into_any(),
        ),
    };
    view! {
        <p class="muted">
            "Dữ liệu tổng hợp nằm trong trình duyệt của máy này (bảng trong localStorage, bản đầy đủ "
            "của từng tệp trong IndexedDB) nên vẫn còn khi tải lại trang. Hãy giữ các tệp gốc: "
            "trình duyệt có thể xóa dữ liệu khi máy thiếu bộ nhớ."
        </p>
        {rows_problem}
        {docs_line}
    }
}

/// Forgets every loaded file, after a confirmation.
#[component]
fn ClearAll() -> impl IntoView {
    let dashboard = use_dashboard();
    let confirming = RwSignal::new(false);
    let refused = RwSignal::new(false);
    let question = QuestionFocus::new();
    let count = move || format_number(dashboard.rows.with(Vec::len) as f64, 0);
    // An import or a removal still writing would store its rows again after the clear.
    let may_clear = move || dashboard.may_clear();
    view! {
        <div class="actions">
            <button type="button" class="danger" node_ref=question.opener()
                disabled=move || !may_clear() aria-describedby="cho-xoa-het"
                on:click=move |_| {
                    refused.set(false);
                    confirming.set(true);
                    question.ask();
                }>
                "Xóa toàn bộ dữ liệu tổng hợp"
            </button>
        </div>
        <Show when=move || !may_clear()>
            <p id="cho-xoa-het" class="hint">
                "Đang nạp hoặc gỡ đơn vị: xóa toàn bộ được khi việc đó xong."
            </p>
        </Show>
        <Show when=move || refused.get()>
            <p class="banner banner-error" role="alert">
                "Chưa xóa gì: bảng tổng hợp đang được nạp, gỡ hoặc đọc lại ở thẻ này hay ở một thẻ \
                 khác của trình duyệt. Hãy xóa toàn bộ khi việc đó xong."
            </p>
        </Show>
        <Show when=move || confirming.get()>
            <div class="confirm" role="alertdialog" aria-label="Xác nhận xóa toàn bộ dữ liệu tổng hợp">
                <p>
                    {move || format!(
                        "Xóa toàn bộ {} đơn vị đã nạp khỏi trình duyệt này? Các tệp gốc không bị ảnh \
                         hưởng; có thể nạp lại sau.",
                        count()
                    )}
                </p>
                <button type="button" class="danger" disabled=move || !may_clear()
                    aria-describedby="cho-xoa-het" on:click=move |_| {
                    confirming.set(false);
                    leptos::task::spawn_local(async move {
                        if dashboard.clear().await.is_err() {
                            refused.set(true);
                            question.back();
                        } else {
                            // The table and this question are gone.
                            focus::to_heading_if_lost();
                        }
                    });
                }>"Xóa hết"</button>
                " "
                <button type="button" node_ref=question.keep() on:click=move |_| {
                    confirming.set(false);
                    question.back();
                }>"Không xóa"</button>
            </div>
        </Show>
    }
}
