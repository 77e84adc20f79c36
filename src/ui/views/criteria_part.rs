//! The criteria screens (the sets on this machine, the editor, the comparison of two versions,
//! the version of an assessment's set) are for provincial staff and for the rare move to a new
//! version: their code is a part split off the module (docs/architecture.md, «Tải theo nhu
//! cầu»), fetched when one of them is first opened, not with Home.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use super::{criteria_compare, criteria_editor, criteria_sets, set_version};

/// The split-off part could not be fetched (offline before the service worker kept it).
struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// How the part's screens are built: plain function pointers, so the main module calls into
/// the part without knowing its code.
#[derive(Clone, Copy)]
pub struct Screens {
    pub sets: fn() -> AnyView,
    pub editor: fn() -> AnyView,
    pub compare: fn(String, String) -> AnyView,
    pub set_version: fn(String) -> AnyView,
}

#[leptos::wasm_split::wasm_split(bo_tieu_chi, fallible, wasm_split_path = ::leptos::wasm_split)]
fn screens() -> Result<Screens, NotLoaded> {
    Ok(Screens {
        sets: || view! { <criteria_sets::CriteriaSets/> }.into_any(),
        editor: || view! { <criteria_editor::EditorScreen/> }.into_any(),
        compare: |old, new| {
            view! { <criteria_compare::CriteriaCompare old=old new=new/> }.into_any()
        },
        set_version: |id| view! { <set_version::SetVersionScreen id=id/> }.into_any(),
    })
}

thread_local! {
    static LOADED: Cell<Option<Screens>> = const { Cell::new(None) };
}

#[derive(Clone, Copy)]
enum Wait {
    Loading,
    Ready(Screens),
    Failed,
}

/// `pick` with the part's screens; while it loads a status line, and if it cannot be had the
/// reason and a button to try again.
pub fn screen(pick: impl Fn(Screens) -> AnyView + Send + Sync + 'static) -> AnyView {
    if let Some(loaded) = LOADED.with(Cell::get) {
        return pick(loaded);
    }
    let wait = RwSignal::new(Wait::Loading);
    let load = move || {
        wait.set(Wait::Loading);
        leptos::task::spawn_local(async move {
            let outcome = match screens().await {
                Ok(loaded) => {
                    LOADED.with(|l| l.set(Some(loaded)));
                    Wait::Ready(loaded)
                }
                Err(NotLoaded) => Wait::Failed,
            };
            wait.try_set(outcome);
        });
    };
    load();
    (move || match wait.get() {
        Wait::Loading => view! {
            <h1>"Đang tải…"</h1>
            <p role="status">"Đang tải màn hình bộ tiêu chí…"</p>
        }
        .into_any(),
        Wait::Ready(loaded) => pick(loaded),
        Wait::Failed => view! {
            <h1>"Chưa tải được màn hình"</h1>
            <div class="banner banner-error" role="alert">
                <p>
                    "Không tải được phần ứng dụng cho bộ tiêu chí (có thể do mạng). Dữ liệu trên \
                     máy không bị ảnh hưởng; hãy thử lại khi có mạng."
                </p>
                <button type="button" on:click=move |_| load()>"Thử lại"</button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
