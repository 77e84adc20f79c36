//! What the first screen (Home) does not need stays out of the first download and is fetched
//! when a screen asks for it: the commune list (`data/divisions.json`), the parts of the
//! module split off by wasm-split (screens, charts) and the stylesheets of what they draw
//! (`adapters::styles`). Once the app has started, the service worker fetches all of them in
//! the background (public/sw.js), so after the first visit every screen works offline and an
//! update replaces all parts at once. docs/architecture.md («Tải theo nhu cầu») says how to put
//! a screen or a screen's heavy work in a part.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::thread::LocalKey;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::adapters::data::fetch_text;
use crate::adapters::styles;
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

/// A part of the module could not be fetched (offline before the service worker kept it): the
/// error of every `#[wasm_split]` function of the app.
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// The entry point of a part of the module (`load`, its `#[wasm_split]` function), fetched on the
/// first call, with the stylesheets of what parts draw (`adapters::styles`), and kept in
/// `loaded` for the rest of the visit.
pub async fn part_entry<S, F>(
    loaded: &'static LocalKey<Cell<Option<S>>>,
    load: fn() -> F,
) -> Result<S, NotLoaded>
where
    S: Copy + 'static,
    F: Future<Output = Result<S, NotLoaded>>,
{
    if let Some(entry) = loaded.with(Cell::get) {
        return Ok(entry);
    }
    let styles = styles::enable_on_demand();
    let entry = load().await;
    // Awaited even when the part failed: a sheet that failed too is then asked for again with
    // the part.
    styles.await;
    let entry = entry?;
    loaded.with(|l| l.set(Some(entry)));
    Ok(entry)
}

/// A screen whose code is a part of the module (`load`, its `#[wasm_split]` function, gives
/// the part's entry points, kept in `loaded` for the rest of the visit): `pick` with them; while
/// the part is fetched a status line, and if it cannot be had the reason and «Thử lại».
/// `what` names the screen after «màn hình».
pub fn part_screen<S, F>(
    loaded: &'static LocalKey<Cell<Option<S>>>,
    load: fn() -> F,
    what: &'static str,
    pick: impl Fn(S) -> AnyView + Send + Sync + 'static,
) -> AnyView
where
    S: Copy + Send + Sync + 'static,
    F: Future<Output = Result<S, NotLoaded>> + 'static,
{
    if let Some(part) = loaded.with(Cell::get) {
        return pick(part);
    }
    let pick = Arc::new(pick);
    awaiting(
        format!("Đang tải màn hình {what}…"),
        "Chưa tải được màn hình",
        Arc::new(move || {
            let pick = pick.clone();
            Box::pin(async move {
                let styles = styles::enable_on_demand();
                let part = load().await;
                styles.await;
                match part {
                    Ok(part) => {
                        loaded.with(|l| l.set(Some(part)));
                        Ok(Arc::new(move || pick(part)) as Render)
                    }
                    Err(NotLoaded) => Err(format!(
                        "Không tải được phần ứng dụng của màn hình {what} (có thể do mạng). Dữ \
                         liệu trên máy không bị ảnh hưởng; hãy thử lại khi có mạng."
                    )),
                }
            })
        }),
    )
}

/// `then` with the commune list; while it loads a status line, and if it cannot be had the
/// reason and a button to try again. For the screens that pick or name a commune.
pub fn with_divisions(
    then: impl Fn(&'static Divisions) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if let Some(installed) = divisions::divisions() {
        return then(installed);
    }
    let then = Arc::new(then);
    awaiting(
        "Đang tải danh mục xã, phường, đặc khu…".into(),
        "Chưa tải được dữ liệu",
        Arc::new(move || {
            let then = then.clone();
            Box::pin(async move {
                divisions()
                    .await
                    .map(|installed| Arc::new(move || then(installed)) as Render)
            })
        }),
    )
}

/// What a screen shows once what it waits for has come.
type Render = Arc<dyn Fn() -> AnyView + Send + Sync>;
/// Fetches what a screen waits for, or says in Vietnamese why it cannot.
type Fetch = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Render, String>>>> + Send + Sync>;

#[derive(Clone)]
enum Wait {
    Loading,
    Ready(Render),
    Failed(String),
}

/// The one waiting screen (not generic, so not copied per use): `status` while `fetch` runs,
/// what it gives once it has, or the reason under `failed` with «Thử lại».
fn awaiting(status: String, failed: &'static str, fetch: Fetch) -> AnyView {
    let wait = RwSignal::new(Wait::Loading);
    let fetch = StoredValue::new(fetch);
    let load = move || {
        let Some(fetch) = fetch.try_get_value() else {
            return;
        };
        wait.set(Wait::Loading);
        leptos::task::spawn_local(async move {
            let outcome = match fetch().await {
                Ok(render) => Wait::Ready(render),
                Err(message) => Wait::Failed(message),
            };
            // The screen may be gone by now: then there is nothing to show it on.
            wait.try_set(outcome);
        });
    };
    load();
    (move || match wait.get() {
        Wait::Loading => view! {
            <h1>"Đang tải…"</h1>
            <p role="status">{status.clone()}</p>
        }
        .into_any(),
        Wait::Ready(render) => render(),
        Wait::Failed(message) => view! {
            <h1>{failed}</h1>
            <div class="banner banner-error" role="alert">
                <p>{message}</p>
                <button type="button" on:click=move |_| load()>"Thử lại"</button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
