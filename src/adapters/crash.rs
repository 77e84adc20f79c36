//! What happens when the app panics. Release builds abort on panic, so after the hook returns
//! the WebAssembly instance is dead and nothing written in Rust runs again: the hook only logs
//! and tells the page, and `public/crash.js` (plain JavaScript) shows the Vietnamese error
//! screen with the download of every stored entry.

use wasm_bindgen::JsValue;

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
