//! The stylesheets of the screens Home does not show (`adapters::styles`): not downloaded while
//! disabled, enabled and awaited with the first part of the module; one that cannot be had does
//! not hold the screens back, and is asked for again on the next call. In headless Chromium
//! (`make test-browser`).

#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use xa_phu_hop_tre_em::adapters::styles::enable_on_demand;

wasm_bindgen_test_configure!(run_in_browser);

fn sheet_loaded(link: &web_sys::Element) -> bool {
    !Reflect::get(link, &JsValue::from_str("sheet"))
        .expect("a link has a sheet property")
        .is_null()
}

#[wasm_bindgen_test]
async fn on_demand_stylesheets_load_once_enabled_and_a_failed_one_is_asked_for_again() {
    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let link = |href: &str| {
        let link = document.create_element("link").unwrap();
        link.set_attribute("rel", "stylesheet").unwrap();
        link.set_attribute("href", href).unwrap();
        link.set_attribute("disabled", "").unwrap();
        link.set_attribute("data-on-demand", "").unwrap();
        body.append_child(&link).unwrap();
        link
    };
    let present = link("data:text/css,.probe%7Bwidth:3px%7D");
    // Refused at once (nothing listens on port 9): its download fails.
    let missing = link("http://127.0.0.1:9/unreachable.css");
    let eager = document.create_element("link").unwrap();
    eager.set_attribute("rel", "stylesheet").unwrap();
    eager
        .set_attribute("href", "data:text/css,.eager%7Bwidth:1px%7D")
        .unwrap();
    body.append_child(&eager).unwrap();
    // Given time to load, an eager sheet is there; the disabled one was never fetched.
    for _ in 0..100 {
        if sheet_loaded(&eager) {
            break;
        }
        xa_phu_hop_tre_em::adapters::tick::sleep_ms(10).await;
    }
    assert!(sheet_loaded(&eager));
    assert!(
        !sheet_loaded(&present),
        "a disabled stylesheet is not loaded"
    );

    enable_on_demand().await;
    assert!(sheet_loaded(&present), "loaded by the time it settles");
    assert!(!present.has_attribute("disabled"));
    // Its failure settled the wait too, and marked it to be asked for again.
    assert!(!missing.has_attribute("disabled"));
    assert!(missing.has_attribute("data-failed"));
    assert!(!present.has_attribute("data-failed"));

    // Asked again (the part fetched again): the failed one is a new element, fetched again and
    // failing again; the loaded one is left alone.
    enable_on_demand().await;
    assert!(!missing.is_connected(), "replaced");
    let again = document
        .query_selector("link[href='http://127.0.0.1:9/unreachable.css']")
        .unwrap()
        .expect("the same link, in the page");
    assert!(again.has_attribute("data-failed"));
    assert!(!again.has_attribute("disabled"));
    assert!(present.is_connected());
}
