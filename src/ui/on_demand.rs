//! What the first screen (Home) does not need stays out of the first download and is fetched
//! when a screen asks for it: here, the commune list (`data/divisions.json`). Once the app has
//! started, the service worker fetches every such part in the background (public/sw.js), so
//! after the first visit every screen works offline and an update replaces all parts at once.
//! docs/architecture.md («Tải theo nhu cầu») says how to put a screen's heavy part here.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::adapters::data::fetch_text;
use crate::domain::divisions::{self, Divisions};

/// Relative to the page: Trunk copies public/data/ to dist/data/.
const DIVISIONS_FILE: &str = "data/divisions.json";
const DIVISIONS_WHAT: &str = "danh mục xã, phường, đặc khu";

thread_local! {
    /// The fetch in flight, shared by every screen waiting for the list; dropped when it fails,
    /// so that asking again tries again.
    static DIVISIONS_FETCH: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// The commune list, fetched and installed on first need.
pub async fn divisions() -> Result<&'static Divisions, String> {
    if let Some(installed) = divisions::divisions() {
        return Ok(installed);
    }
    let fetch = DIVISIONS_FETCH.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    fetch_text(DIVISIONS_FILE)
                        .await
                        .map(JsValue::from)
                        .map_err(|e| JsValue::from(e.message_vi(DIVISIONS_WHAT)))
                })
            })
            .clone()
    });
    let installed = match JsFuture::from(fetch).await {
        Ok(text) => divisions::install(&text.as_string().unwrap_or_default()).map_err(|e| {
            format!("Danh mục xã, phường, đặc khu tải về bị hỏng ({e}). Hãy tải lại trang.")
        }),
        Err(message) => Err(message.as_string().unwrap_or_default()),
    };
    if installed.is_err() {
        DIVISIONS_FETCH.with(|slot| slot.borrow_mut().take());
    }
    installed
}

#[derive(Clone)]
enum Wait<T> {
    Loading,
    Ready(T),
    Failed(String),
}

/// `then` with the commune list; while it loads a status line, and if it cannot be had the
/// reason and a button to try again. For the screens that pick or name a commune.
pub fn with_divisions(
    then: impl Fn(&'static Divisions) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if let Some(installed) = divisions::divisions() {
        return then(installed);
    }
    let wait = RwSignal::new(Wait::Loading);
    let load = move || {
        wait.set(Wait::Loading);
        leptos::task::spawn_local(async move {
            wait.set(match divisions().await {
                Ok(installed) => Wait::Ready(installed),
                Err(message) => Wait::Failed(message),
            });
        });
    };
    load();
    (move || match wait.get() {
        Wait::Loading => view! {
            <h1>"Đang tải…"</h1>
            <p role="status">"Đang tải danh mục xã, phường, đặc khu…"</p>
        }
        .into_any(),
        Wait::Ready(installed) => then(installed),
        Wait::Failed(message) => view! {
            <h1>"Chưa tải được dữ liệu"</h1>
            <div class="banner banner-error" role="alert">
                <p>{message}</p>
                <button type="button" on:click=move |_| load()>"Thử lại"</button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
