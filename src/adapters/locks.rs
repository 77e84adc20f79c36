//! The Web Locks API: one writer per assessment across the tabs (and windows) of this browser,
//! and the «Tổng hợp» table changed by many tabs together but cleared by one alone.
//! A lock is held until [`Held::release`] or until the tab goes away; another tab may take it
//! over (`steal`), and then the first one is told.
//!
//! web-sys has these bindings only as unstable APIs, so the few calls used are declared here.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type LockManager;

    #[wasm_bindgen(method, catch, js_name = request)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &Function,
    ) -> Result<Promise, JsValue>;
}

fn manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Whether this browser (and page: secure contexts only) has Web Locks.
pub fn supported() -> bool {
    manager().is_some()
}

/// A lock this tab holds.
pub struct Held {
    release: Function,
}

impl Held {
    /// Lets the next tab have it.
    pub fn release(self) {
        let _ = self.release.call0(&JsValue::UNDEFINED);
    }
}

/// How to ask for a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Only if no tab holds it.
    IfFree,
    /// Wait until it is free.
    Wait,
    /// Take it from the tab that holds it.
    Steal,
    /// Hold it alongside the other tabs that share it, once no tab holds it alone: what the
    /// others may do together, and not while one does a thing on its own.
    Shared,
}

/// Asks for the lock `name`. `None` when it is held elsewhere (with [`Ask::IfFree`]) or Web
/// Locks are missing. `on_lost` runs if another tab steals it later.
pub async fn acquire(name: &str, ask: Ask, on_lost: impl FnOnce() + 'static) -> Option<Held> {
    let manager = manager()?;
    let options = Object::new();
    match ask {
        Ask::IfFree => {
            let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
        }
        Ask::Steal => {
            let _ = Reflect::set(&options, &"steal".into(), &JsValue::TRUE);
        }
        Ask::Shared => {
            let _ = Reflect::set(&options, &"mode".into(), &"shared".into());
        }
        Ask::Wait => {}
    }
    // The browser calls `callback` with the lock (or null); the lock is held until the promise
    // it returns settles, and that promise's `resolve` is what `Held::release` calls.
    let release: Rc<RefCell<Option<Function>>> = Rc::default();
    let granted: Rc<RefCell<Option<Function>>> = Rc::default();
    let granted_promise = Promise::new(&mut |resolve, _| {
        *granted.borrow_mut() = Some(resolve);
    });
    let (release_in, granted_in) = (release.clone(), granted.clone());
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> Promise {
        let answer = |v: bool| {
            if let Some(resolve) = granted_in.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_bool(v));
            }
        };
        if lock.is_null() {
            answer(false);
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let hold = Promise::new(&mut |resolve, _| {
            *release_in.borrow_mut() = Some(resolve);
        });
        answer(true);
        hold
    });
    let done = manager
        .request(name, &options, callback.unchecked_ref())
        .ok()?;
    // Rejected with an AbortError when another tab steals the lock.
    let lost = wasm_bindgen::closure::Closure::once(move |_: JsValue| on_lost());
    let _ = done.catch(&lost);
    // Called at most once, whenever the lock is stolen: it must live until then.
    lost.forget();
    let ok = JsFuture::from(granted_promise).await.ok()?.as_bool() == Some(true);
    let release = release.borrow_mut().take();
    match (ok, release) {
        (true, Some(release)) => Some(Held { release }),
        _ => None,
    }
}
