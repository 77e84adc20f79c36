//! The stylesheets of the screens Home does not show (results and report, «Tổng hợp», the
//! criteria sets). They are in the page as `<link … disabled data-on-demand>` (scripts/csp.mjs):
//! a disabled stylesheet is not fetched, so a first visit does not download them before Home
//! can be used. They are enabled with the first part of the module (`ui::on_demand`), whose code
//! is the only one that draws their classes.

use std::cell::RefCell;
use std::future::Future;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Settled once every on-demand stylesheet has loaded or failed; shared by every caller.
    static ENABLED: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Enables the on-demand stylesheets at once (their download starts with the call, beside the
/// part's) and ends when each has loaded or failed. Nothing to report: a sheet that cannot be had
/// leaves its screens plain, never stops them.
pub fn enable_on_demand() -> impl Future<Output = ()> {
    let promise = ENABLED.with(|slot| slot.borrow_mut().get_or_insert_with(enable).clone());
    async move {
        // Promise.all of promises that only resolve: never an error.
        let _ = JsFuture::from(promise).await;
    }
}

fn enable() -> Promise {
    let waits = Array::new();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Promise::all(&waits);
    };
    while let Ok(Some(link)) = document.query_selector("link[data-on-demand][disabled]") {
        let settled = Promise::new(&mut |resolve, _| {
            let _ = link.add_event_listener_with_callback("load", &resolve);
            let _ = link.add_event_listener_with_callback("error", &resolve);
        });
        if link.remove_attribute("disabled").is_err() {
            break;
        }
        // A browser that fetched it while disabled has it already, and fires no event.
        let loaded = Reflect::get(&link, &JsValue::from_str("sheet")).is_ok_and(|s| !s.is_null());
        if !loaded {
            waits.push(&settled);
        }
    }
    Promise::all(&waits)
}
