//! The stylesheets of the screens Home does not show (results and report, «Tổng hợp», the
//! criteria sets). They are in the page as `<link … disabled data-on-demand>` (scripts/csp.mjs):
//! a disabled stylesheet is not fetched, so a first visit does not download them before Home
//! can be used. They are enabled with the first part of the module (`ui::on_demand`), whose code
//! is the only one that draws their classes.

use std::cell::RefCell;
use std::future::Future;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// Marks a sheet whose download failed, to be asked for again.
const FAILED: &str = "data-failed";

thread_local! {
    /// Settled once every on-demand stylesheet has loaded or failed; shared by every caller.
    static ENABLED: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Enables the on-demand stylesheets at once (their download starts with the call, beside the
/// part's) and ends when each has loaded or failed. Nothing to report: a sheet that cannot be had
/// leaves its screens plain, never stops them; it is asked for again on the next call (a part
/// fetched again with «Thử lại»), as the browser never fetches a failed stylesheet again itself.
pub fn enable_on_demand() -> impl Future<Output = ()> {
    let promise = ENABLED.with(|slot| slot.borrow_mut().get_or_insert_with(enable).clone());
    async move {
        // The load or error event of each sheet.
        let Ok(events) = JsFuture::from(promise.clone()).await else {
            return;
        };
        let mut failed = false;
        for event in Array::from(&events).iter() {
            let kind = Reflect::get(&event, &JsValue::from_str("type")).ok();
            if kind.and_then(|k| k.as_string()).as_deref() == Some("error") {
                if let Ok(link) = Reflect::get(&event, &JsValue::from_str("target")) {
                    let _ = link.unchecked_into::<Element>().set_attribute(FAILED, "");
                }
                failed = true;
            }
        }
        if failed {
            ENABLED.with(|slot| {
                let mut slot = slot.borrow_mut();
                if slot.as_ref().is_some_and(|p| Object::is(p, &promise)) {
                    slot.take();
                }
            });
        }
    }
}

fn enable() -> Promise {
    let waits = Array::new();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Promise::all(&waits);
    };
    let selector = "link[data-on-demand][disabled], link[data-on-demand][data-failed]";
    while let Ok(Some(mut link)) = document.query_selector(selector) {
        if link.has_attribute(FAILED) {
            // A new element: the same link, fetched again once in the page.
            let Some(fresh) = link
                .clone_node()
                .ok()
                .and_then(|n| n.dyn_into::<Element>().ok())
            else {
                break;
            };
            let _ = fresh.remove_attribute(FAILED);
            let _ = fresh.set_attribute("disabled", "");
            if link.replace_with_with_node_1(&fresh).is_err() {
                break;
            }
            link = fresh;
        }
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
