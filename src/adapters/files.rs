//! Files in and out: downloads through a Blob URL, uploads through `FileReader`.

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

/// A file chosen or dropped by the user, being read.
pub struct PickedFile {
    pub name: String,
    reader: Result<web_sys::FileReader, JsValue>,
    /// Settles with the reader's `load` (or `error`) event.
    done: wasm_bindgen_futures::JsFuture,
}

impl PickedFile {
    /// The contents as they are on disk: decoding is the caller's (the importer tells a file
    /// that is not UTF-8 text from a damaged one).
    pub async fn bytes(self) -> Result<Vec<u8>, FileError> {
        let fail = |detail: String| FileError::ReadFailed {
            name: self.name.clone(),
            detail,
        };
        let reader = self
            .reader
            .as_ref()
            .map_err(|e| fail(describe(e.clone())))?;
        if self.done.await.is_err() {
            return Err(fail(reader.error().map_or_else(
                || "trình duyệt không cho đọc".to_string(),
                |e| e.message(),
            )));
        }
        let buffer = reader
            .result()
            .map_err(|e| fail(describe(e)))?
            .dyn_into::<js_sys::ArrayBuffer>()
            .map_err(|_| fail("không đọc được nội dung".into()))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

/// Starts reading every file of a list, in order; the caller takes each as it arrives.
/// `FileReader` rather than `File.text()`: for files on disk each `text()` call waits for the
/// browser process before returning (0.2–0.3 ms a file, most of a second for a province's
/// 3,321 files), `FileReader` does not; bytes rather than text spare a decoding to UTF-16 and
/// back. `File.size` is not read either (another wait per file); the importer measures.
pub fn read_all(list: web_sys::FileList) -> Vec<PickedFile> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            let reader = web_sys::FileReader::new();
            let done = js_sys::Promise::new(&mut |resolve, reject| match &reader {
                Ok(r) => {
                    r.set_onload(Some(&resolve));
                    r.set_onerror(Some(&reject));
                    if let Err(e) = r.read_as_array_buffer(&file) {
                        let _ = reject.call1(&JsValue::UNDEFINED, &e);
                    }
                }
                Err(e) => {
                    let _ = reject.call1(&JsValue::UNDEFINED, e);
                }
            });
            PickedFile {
                name: file.name(),
                reader,
                done: wasm_bindgen_futures::JsFuture::from(done),
            }
        })
        .collect()
}
