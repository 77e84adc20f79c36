//! The criteria screens (the sets on this machine, the editor, the comparison of two versions,
//! the version of an assessment's set) are for provincial staff and for the rare move to a new
//! version: their code is a part split off the module (docs/architecture.md, «Tải theo nhu
//! cầu»), fetched when one of them is first opened, not with Home.

use std::cell::Cell;

use leptos::prelude::*;

use super::{criteria_compare, criteria_editor, criteria_sets, set_version};
use crate::ui::on_demand::{part_screen, NotLoaded};

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

/// `pick` with the part's screens, once it is fetched (`on_demand::part_screen`).
pub fn screen(pick: impl Fn(Screens) -> AnyView + Send + Sync + 'static) -> AnyView {
    part_screen(&LOADED, screens, "bộ tiêu chí", pick)
}
