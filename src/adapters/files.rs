//! Files in and out: downloads through a Blob URL, uploads through `File.text()`.

use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The browser refused to make the download.
    DownloadFailed(String),
    /// A chosen file could not be read (removed, no permission, not text).
    ReadFailed { name: String, detail: String },
}

impl FileError {
    pub fn message_vi(&self) -> String {
        match self {
            FileError::DownloadFailed(detail) => {
                format!("Trình duyệt không tải xuống được tệp ({detail}).")
            }
            FileError::ReadFailed { name, detail } => {
                format!("Không đọc được tệp «{name}» ({detail}).")
            }
        }
    }
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Offers `contents` as a file named `file_name` to the user.
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), FileError> {
    let fail = |e: JsValue| FileError::DownloadFailed(describe(e));
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| FileError::DownloadFailed("không có tài liệu".into()))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoking at once can cancel the download in some browsers; the URL dies with the page.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// A file chosen or dropped by the user.
pub struct PickedFile {
    pub name: String,
    pub size: f64,
    pub text: Result<String, FileError>,
}

/// Reads every file of a list as text, in order.
pub async fn read_all(list: web_sys::FileList) -> Vec<PickedFile> {
    let mut out = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let name = file.name();
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .map_err(|e| FileError::ReadFailed {
                name: name.clone(),
                detail: describe(e),
            })
            .and_then(|v| {
                v.as_string().ok_or_else(|| FileError::ReadFailed {
                    name: name.clone(),
                    detail: "không phải văn bản".into(),
                })
            });
        out.push(PickedFile {
            name,
            size: file.size(),
            text,
        });
    }
    out
}
