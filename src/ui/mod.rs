//! The user interface: thin Leptos components that read signals, call the domain and render.

mod appraisal_state;
pub mod dashboard_state;
mod editor_state;
mod history_store;
mod layout;
pub mod on_demand;
pub mod state;
mod state_doc;
mod state_import;
mod state_load;
mod state_scores;
mod state_sets;
mod state_sync;
mod views;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::routes::Route;
use state::{AppState, SetsStatus};

/// Mounts the app into `#app` and removes the static loading shell.
pub fn mount() {
    // A panic shows the error screen of public/crash.js instead of a frozen page.
    crate::adapters::crash::install_panic_hook();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("trang không có tài liệu");
    let root: web_sys::HtmlElement = document
        .get_element_by_id("app")
        .expect("trang thiếu phần tử #app")
        .unchecked_into();
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to(root, App).forget();
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Moves to a route by changing the hash (the `hashchange` listener updates the view).
pub fn navigate(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::before_reading();
    state.route.set(Route::parse(&current_hash()));
    provide_context(state);
    state_sets::allow_fetching();
    provide_context(dashboard_state::Dashboard::default());
    provide_context(appraisal_state::Appraisals::new(state));
    provide_context(editor_state::EditorSlot::new(state));
    // The assessment on an editing screen is held for writing by this tab (one writer).
    Effect::new(move |_| {
        let route = state.route.get();
        if state.ready.get() {
            state.follow_route(&route);
        }
    });

    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let route = Route::parse(&current_hash());
        if state.route.with_untracked(|r| *r != route) {
            state.notices.update(|n| n.moved_on());
        }
        state.route.set(route);
        scroll_to_top();
        crate::adapters::focus::to_heading_if_lost();
    });
    on_cleanup(move || on_hash.remove());
    let on_focusout = window_event_listener(leptos::ev::focusout, |ev| {
        crate::adapters::focus::after_focusout(&ev);
    });
    on_cleanup(move || on_focusout.remove());

    leptos::task::spawn_local(async move {
        state
            .persisted
            .set(crate::adapters::storage::request_persistence().await);
    });
    leptos::task::spawn_local(async move {
        let opened = state.open_store().await;
        if state.listing.with_untracked(Option::is_some) {
            // Home draws its list from the summaries before the long read below.
            crate::adapters::tick::after_paint().await;
        }
        state.finish_start(opened).await;
        // Otherwise the read of the sets announces them, once the site's are checked.
        if state.sets_status.get_untracked() == SetsStatus::Published {
            state.announce_newer_versions();
        }
    });
    // The criteria sets are read once something needs them: a screen other than Home, or an
    // assessment to score on Home (every screen but Home waits for them, so that an
    // assessment made with an imported or published set never shows as missing its set).
    Effect::new(move |_| {
        let home = state.route.with(|r| *r == Route::Home);
        let listed = state
            .listing
            .with(|l| l.as_ref().is_some_and(|l| !l.rows.is_empty()));
        let stored = state.docs.with(|d| !d.is_empty()) || state.backups.with(|b| !b.is_empty());
        if !home || listed || stored {
            state.want_sets();
        }
    });

    // Home may open on the assessments' summaries; every other screen waits for everything. A
    // memo, so that Home is not drawn again when the rest arrives.
    let open = Memo::new(move |_| {
        let home = state.route.with(|r| *r == Route::Home);
        let listed = state.listing.with(Option::is_some);
        let ready = state.ready.get();
        (home && (ready || listed)) || (ready && state.sets_status.with(|s| s.is_read()))
    });
    view! {
        <layout::Header/>
        <layout::StatusBar/>
        <main id="noi-dung" class="content" tabindex="-1">
            {move || {
                if open.get() {
                    views::render(state.route.get())
                } else if state.sets_status.get() == SetsStatus::Failed {
                    // The sets are read by the screens' part: the screen is what is missing.
                    let what = state.route.with(views::screen_name);
                    view! {
                        <h1>"Chưa tải được màn hình"</h1>
                        <div class="banner banner-error" role="alert">
                            <p>
                                {format!(
                                    "Không tải được phần ứng dụng của màn hình {what} (có thể do \
                                     mạng). Dữ liệu trên máy không bị ảnh hưởng; hãy thử lại khi \
                                     có mạng."
                                )}
                            </p>
                            <button type="button" on:click=move |_| state.want_sets()>"Thử lại"</button>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="loading" role="status">
                            "Đang đọc dữ liệu và các bộ tiêu chí đã lưu trên máy…"
                        </p>
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
