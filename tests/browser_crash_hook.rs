//! The panic hook hands the panic message to the page, where `public/crash.js` shows the error
//! screen (its own behaviour is tested end to end in e2e/crash.test.mjs).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use xa_phu_hop_tre_em::adapters::crash::{install_panic_hook, report, CRASH_EVENT};

wasm_bindgen_test_configure!(run_in_browser);

type Listener = Closure<dyn Fn(web_sys::CustomEvent)>;

/// Records the `detail` of every crash event until the returned listener is removed.
fn listen() -> (Rc<RefCell<Vec<String>>>, Listener) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener = Listener::new(move |event: web_sys::CustomEvent| {
        sink.borrow_mut()
            .push(event.detail().as_string().unwrap_or_default());
    });
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback(CRASH_EVENT, listener.as_ref().unchecked_ref())
        .unwrap();
    (seen, listener)
}

fn stop(listener: Listener) {
    web_sys::window()
        .unwrap()
        .remove_event_listener_with_callback(CRASH_EVENT, listener.as_ref().unchecked_ref())
        .unwrap();
}

#[wasm_bindgen_test]
fn report_dispatches_the_crash_event_with_the_message() {
    let (seen, listener) = listen();
    report("không đọc được dữ liệu");
    stop(listener);
    assert_eq!(*seen.borrow(), vec!["không đọc được dữ liệu".to_string()]);
}

#[wasm_bindgen_test]
fn a_panic_reaches_the_page_through_the_installed_hook() {
    install_panic_hook();
    let (seen, listener) = listen();
    let panicking = Closure::<dyn Fn()>::new(|| panic!("lỗi thử nghiệm của móc panic"));
    // Called from JavaScript like an event handler: the panic aborts that call (a trap, as in
    // release builds), and the JavaScript caller sees a RuntimeError.
    let call = js_sys::Function::new_with_args(
        "f",
        "try { f(); return 'không lỗi'; } catch (e) { return e.constructor.name; }",
    );
    let outcome = call
        .call1(&JsValue::NULL, panicking.as_ref().unchecked_ref())
        .unwrap();
    stop(listener);
    assert_eq!(outcome.as_string().as_deref(), Some("RuntimeError"));
    let seen = seen.borrow();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].contains("lỗi thử nghiệm của móc panic"),
        "{}",
        seen[0]
    );
}
