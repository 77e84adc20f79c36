//! Criteria sets published by the province next to the app (`criteria/index.json` lists the
//! files), so a corrected or newer set needs no new build.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::criteria::CriteriaSet;

/// The list file, relative to the page.
const INDEX: &str = "criteria/index.json";

#[derive(serde::Deserialize)]
struct Index {
    sets: Vec<String>,
}

async fn fetch_text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// Every set listed in the index that passes validation, with its file name; a listed file
/// that fails gets a Vietnamese message naming it. No index (offline, or nothing published) is
/// not an error.
pub async fn load_published_sets() -> Vec<(String, Result<CriteriaSet, String>)> {
    let Some(index) = fetch_text(INDEX).await else {
        return Vec::new();
    };
    let index = match serde_json::from_str::<Index>(&index) {
        Ok(index) => index,
        Err(e) => {
            return vec![(
                INDEX.to_string(),
                Err(format!(
                    "Tệp danh sách bộ tiêu chí «{INDEX}» trên trang không đúng định dạng {} nên \
                     bị bỏ qua.",
                    crate::domain::messages::JsonErrorAt::new(&e, &index)
                )),
            )]
        }
    };
    let mut out = Vec::new();
    for file in index.sets {
        // Only plain file names next to the index: a listed URL must not point elsewhere.
        if file.contains('/') || file.contains('\\') || !file.ends_with(".json") {
            let message = format!("Tên tệp bộ tiêu chí «{file}» không hợp lệ nên bị bỏ qua.");
            out.push((file, Err(message)));
            continue;
        }
        let Some(text) = fetch_text(&format!("criteria/{file}")).await else {
            let message = format!("Không tải được bộ tiêu chí «{file}» do trang đăng tải.");
            out.push((file, Err(message)));
            continue;
        };
        let outcome =
            crate::domain::criteria_validate::load_criteria_set(&text).map_err(|errors| {
                format!(
                    "Bộ tiêu chí «{file}» do trang đăng tải không hợp lệ nên không dùng: {}",
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            });
        out.push((file, outcome));
    }
    out
}
