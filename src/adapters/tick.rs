//! Giving the browser a turn: work split into parts awaits [`next_task`] between them, so the
//! page can paint (progress, a result already computed) before the next part runs; [`Slice`]
//! keeps the time between two turns short.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::clock::now_ms;

/// Runs `wait` (a read the browser does elsewhere: its request is sent when first polled) and
/// `work` together, `wait` first, until both are done: a run of reads and decodes overlaps each
/// read with the decoding of the one before. Both are polled at every wake-up, so a read that
/// takes steps (an IndexedDB request after another, in a transaction that ends unless the next
/// is sent in time) goes on while `work` gives the page turns.
pub async fn meanwhile<W: Future, F: Future>(wait: W, work: F) -> (W::Output, F::Output) {
    let (mut wait, mut work) = (pin!(wait), pin!(work));
    let (mut waited, mut worked) = (None, None);
    poll_fn(|cx| {
        if waited.is_none() {
            if let Poll::Ready(out) = wait.as_mut().poll(cx) {
                waited = Some(out);
            }
        }
        if worked.is_none() {
            if let Poll::Ready(out) = work.as_mut().poll(cx) {
                worked = Some(out);
            }
        }
        match (waited.take(), worked.take()) {
            (Some(out), Some(done)) => Poll::Ready((out, done)),
            (out, done) => {
                (waited, worked) = (out, done);
                Poll::Pending
            }
        }
    })
    .await
}

/// Resolves in a later task of the event loop (a zero timeout), after pending rendering.
/// Where there is no window it resolves at once.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            if w.set_timeout_with_callback(&resolve).is_ok() {
                return;
            }
        }
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves in a later task through a message to this page, without the 4 ms floor that
/// nested timeouts get: work done in hundreds of slices (an import of thousands of records)
/// would spend more time waiting than working. The browser still paints between tasks.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let posted = web_sys::MessageChannel::new().is_ok_and(|channel| {
            channel.port1().set_onmessage(Some(&resolve));
            channel.port2().post_message(&JsValue::NULL).is_ok()
        });
        if !posted {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves once the next frame is painted (a task after the next animation frame), or after
/// 100 ms where frames do not come (a tab in the background); at once where there is no window.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(w) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
            return;
        };
        let later = w.clone();
        let after_frame = resolve.clone();
        let frame = Closure::once_into_js(move || {
            let _ = later.set_timeout_with_callback(&after_frame);
        });
        let _ = w.request_animation_frame(frame.unchecked_ref());
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves after `ms` milliseconds (at once where there is no window).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            if w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
            {
                return;
            }
        }
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves after `ms` milliseconds, or earlier when the function handed to `keep` is called
/// (at once where there is no window).
pub async fn sleep_ms_or_woken(ms: i32, keep: impl FnOnce(js_sys::Function)) {
    let mut keep = Some(keep);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            if w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
            {
                if let Some(keep) = keep.take() {
                    keep(resolve);
                }
                return;
            }
        }
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
}

/// Work split into slices runs about this long before the page gets a turn: short enough for
/// the page to paint and answer, long enough that yielding costs little.
pub const SLICE_MS: f64 = 40.0;

/// The clock of a sliced piece of work.
pub struct Slice {
    started: f64,
}

impl Slice {
    pub fn start() -> Slice {
        Slice { started: now_ms() }
    }

    /// Whether this slice has run its time.
    pub fn due(&self) -> bool {
        now_ms() - self.started > SLICE_MS
    }

    /// Whether this slice has run `share` of its time: for work whose other part (writing what
    /// was prepared) must still fit in the slice.
    pub fn due_by(&self, share: f64) -> bool {
        now_ms() - self.started > SLICE_MS * share
    }

    /// Gives the page a turn and starts a new slice.
    pub async fn turn(&mut self) {
        yield_now().await;
        self.started = now_ms();
    }

    /// When due, gives the page a turn and says so.
    pub async fn over(&mut self) -> bool {
        let due = self.due();
        if due {
            self.turn().await;
        }
        due
    }
}
