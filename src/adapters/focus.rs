//! The keyboard focus, when what held it goes: a link or button of a screen left behind, a
//! question answered, a row removed. Without a new place the browser forgets where the user
//! was: the next Tab left the page for the address bar, and a screen reader said nothing.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long, in frames, a move waits for the new screen's heading: about two seconds.
const HEADING_FRAMES: u32 = 120;

/// How long a place chosen by [`later_first`] is kept for an element that goes later than the
/// next frame (a list drawn anew once the work queued before it is done).
const CHOSEN_MS: f64 = 1000.0;

thread_local! {
    /// The selectors [`later_first`] was given, and until when they hold.
    static CHOSEN: std::cell::RefCell<Option<(Vec<String>, f64)>> = const { std::cell::RefCell::new(None) };
}

/// Focuses the first element found by `selectors` that can take the focus; whether one did.
fn first_of(selectors: &[String]) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    selectors
        .iter()
        .filter_map(|s| document.query_selector(s).ok().flatten())
        .any(|element| {
            focus(&element, true);
            current().as_ref() == Some(&element)
        })
}

/// The screen's content, `<main id="noi-dung">`.
fn content() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("noi-dung")
}

/// Whether nothing has the focus: the element that had it was removed or hidden.
pub fn is_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    document
        .active_element()
        .is_none_or(|e| document.body().is_some_and(|body| *body == e))
}

/// The focus (and the view) to the content: the skip link's target.
pub fn to_content() {
    if let Some(main) = content() {
        focus(&main, true);
    }
}

/// Once the next frame is drawn, after a move to another screen or a change that removed the
/// focused element: when nothing has the focus, the screen's heading takes it, or its content
/// until the heading is drawn (a screen may wait for its part of the app or its data). A focus
/// that survived, or that the user moved meanwhile, stays where it is.
pub fn to_heading_if_lost() {
    next_frame(Box::new(|| heading_if_lost(HEADING_FRAMES)));
}

fn heading_if_lost(frames_left: u32) {
    let (Some(document), Some(main)) = (web_sys::window().and_then(|w| w.document()), content())
    else {
        return;
    };
    let lost = is_lost();
    let waiting = document.active_element().as_ref() == Some(&main);
    if lost || waiting {
        match main.query_selector("h1").ok().flatten() {
            Some(heading) => focus(&heading, false),
            None if lost => focus(&main, false),
            None => {}
        }
    }
    // A heading drawn while the screen loads may be replaced by the screen's own.
    let on_heading = document
        .active_element()
        .is_some_and(|e| e.tag_name() == "H1");
    if frames_left > 0 && (lost || waiting || on_heading) {
        next_frame(Box::new(move || heading_if_lost(frames_left - 1)));
    }
}

/// After any `focusout`: when the element left the page or was disabled by a change that no
/// handler foresaw, the screen's heading takes the focus rather than the page's body, from
/// which the next Tab starts over at the top while a screen reader says nothing. It waits a
/// frame longer than the handlers that chose a place, so theirs wins.
pub fn after_focusout(ev: &web_sys::FocusEvent) {
    if ev.related_target().is_some() {
        return;
    }
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    next_frame(Box::new(move || {
        next_frame(Box::new(move || {
            let gone = !target.is_connected() || target.matches(":disabled").unwrap_or(false);
            if is_lost() && gone {
                let chosen = CHOSEN.with(|c| c.borrow_mut().take());
                let fresh = chosen.filter(|(_, until)| crate::adapters::clock::now_ms() < *until);
                if !fresh.is_some_and(|(selectors, _)| first_of(&selectors)) {
                    heading_if_lost(HEADING_FRAMES);
                }
            }
        }));
    }));
}

/// Focuses `element` once the next frame is drawn (it may be hidden until then), unless the
/// user has put the focus elsewhere meanwhile; `from` is the element that had it. When
/// `element` is gone too, the screen's heading takes the focus.
pub fn later(element: web_sys::Element, from: Option<web_sys::Element>) {
    later_found(Box::new(move || Some(element)), from);
}

/// [`later`], for an element that `find` finds once the next frame is drawn (it may not be
/// there yet).
pub fn later_found(
    find: Box<dyn FnOnce() -> Option<web_sys::Element>>,
    from: Option<web_sys::Element>,
) {
    next_frame(Box::new(move || {
        if is_lost() || (from.is_some() && current() == from) {
            if let Some(element) = find() {
                focus(&element, false);
            }
        }
        if is_lost() {
            heading_if_lost(HEADING_FRAMES);
        }
    }));
}

/// After a change that redraws a list, once the next frame is drawn, unless the user has put the
/// focus elsewhere meanwhile (`from` had it): the first element found by `selectors` that can
/// take it takes it, shown in view (the moved element's button at its new place, the element
/// that took a removed one's place, the list's «Thêm» button). A list drawn anew may keep its
/// elements and change what they show, so `from` may still be there, showing another element;
/// and it may be drawn after that frame, so the place is kept a while for [`after_focusout`],
/// which gives the focus to the heading when none is found.
pub fn later_first(selectors: Vec<String>, from: Option<web_sys::Element>) {
    CHOSEN.with(|c| {
        *c.borrow_mut() = Some((
            selectors.clone(),
            crate::adapters::clock::now_ms() + CHOSEN_MS,
        ))
    });
    next_frame(Box::new(move || {
        if is_lost() || current() == from {
            first_of(&selectors);
        }
    }));
}

/// The elements like `element` (the same selector `like`) in the rows just after and just
/// before its own row (`row`): where the focus goes when its row is removed.
pub fn beside(element: &web_sys::Element, row: &str, like: &str) -> Vec<web_sys::Element> {
    let Some(own) = element.closest(row).ok().flatten() else {
        return Vec::new();
    };
    [own.next_element_sibling(), own.previous_element_sibling()]
        .into_iter()
        .flatten()
        .filter_map(|other| other.query_selector(like).ok().flatten())
        .collect()
}

/// For a click on `element` that removes its row (`row`) from a list whose other rows stay, now
/// or once stored: the focus goes to the same kind of element (`like`) in the next row, or the
/// one before, or else to the screen's heading.
pub fn leaving_row(element: &web_sys::Element, row: &str, like: &str) {
    let from = Some(element.clone());
    match beside(element, row, like).into_iter().next() {
        Some(next) => later(next, from),
        None => later_found(
            Box::new(|| content()?.query_selector("h1").ok().flatten()),
            from,
        ),
    }
}

/// Brings the heading `id` to the top of the view and gives it the focus: where a list
/// continues after its page changed.
pub fn to_heading(id: &str) {
    if let Some(heading) = by_id(id) {
        heading.scroll_into_view();
        focus(&heading, false);
    }
}

/// Gives the focus to the element `id` where it is, without scrolling.
pub fn to_id(id: &str) {
    if let Some(element) = by_id(id) {
        focus(&element, false);
    }
}

/// The element of `id`, to give it the focus [`later`].
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The element that has the focus now.
pub fn current() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

/// The screen's heading, when it has the focus (put there while the element that had it was
/// gone, see [`to_heading_if_lost`]).
pub fn on_heading() -> Option<web_sys::Element> {
    current().filter(|e| e.tag_name() == "H1")
}

fn focus(element: &web_sys::Element, scroll: bool) {
    if matches!(element.tag_name().as_str(), "H1" | "H2") && !element.has_attribute("tabindex") {
        let _ = element.set_attribute("tabindex", "-1");
    }
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(!scroll);
        let _ = element.focus_with_options(&options);
    }
}

/// One closure type for every frame asked for: each would bring its own glue code.
fn next_frame(f: Box<dyn FnOnce()>) {
    if let Some(w) = web_sys::window() {
        let f = Closure::once_into_js(f);
        let _ = w.request_animation_frame(f.unchecked_ref());
    }
}
