//! What happens when the app panics. Release builds abort on panic, so after the hook returns
//! the WebAssembly instance is dead and nothing written in Rust runs again: the hook only logs
//! and tells the page, and `public/crash.js` (plain JavaScript) shows the Vietnamese error
//! screen with the download of every stored entry.

use wasm_bindgen::{JsCast, JsValue};

/// The DOM event `public/crash.js` listens for; `detail` is the panic message.
pub const CRASH_EVENT: &str = "xa-tre-em:su-co";

/// Installs the panic hook: the message goes to the console (with a stack), then to the page.
/// The hook that was installed before keeps running after ours (the test harness records
/// panics through it).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        report(&info.to_string());
        previous(info);
    }));
}

/// Tells the page that the app has stopped, with a description for the error screen.
pub fn report(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(message));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(CRASH_EVENT, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// The global object where the edits not yet committed are mirrored, as JSON texts by key,
/// for `public/crash.js` to include in its download when the app (wasm) is dead.
pub const UNSAVED_GLOBAL: &str = "xaTreEmChuaLuu";

fn unsaved_mirror() -> Option<js_sys::Object> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(UNSAVED_GLOBAL);
    let existing = js_sys::Reflect::get(&window, &key).ok()?;
    if existing.is_object() {
        return Some(existing.unchecked_into());
    }
    let fresh = js_sys::Object::new();
    js_sys::Reflect::set(&window, &key, &fresh).ok()?;
    Some(fresh)
}

/// Mirrors one uncommitted edit (`Some(json)`) or forgets it (`None`).
pub fn mirror_unsaved(key: &str, json: Option<&str>) {
    let Some(mirror) = unsaved_mirror() else {
        return;
    };
    let key = JsValue::from_str(key);
    match json {
        Some(text) => {
            let _ = js_sys::Reflect::set(&mirror, &key, &JsValue::from_str(text));
        }
        None => {
            let _ = js_sys::Reflect::delete_property(&mirror, &key);
        }
    }
}

/// Forgets every mirrored edit whose key starts with `prefix`.
pub fn forget_unsaved(prefix: &str) {
    let Some(mirror) = unsaved_mirror() else {
        return;
    };
    for key in js_sys::Object::keys(&mirror).iter() {
        if key.as_string().is_some_and(|k| k.starts_with(prefix)) {
            let _ = js_sys::Reflect::delete_property(&mirror, &key);
        }
    }
}
