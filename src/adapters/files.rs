//! Files in and out: downloads through a Blob URL, uploads through `FileReader`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::exchange::{ImportError, MAX_IMPORT_BYTES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The browser refused to make the download.
    DownloadFailed(String),
    /// A chosen file could not be read (removed, no permission, not text).
    ReadFailed { name: String, detail: String },
    /// A chosen file over the import limit, refused without being read in full.
    TooLarge { bytes: u64 },
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
            // Word for word what the importer says of a file it measured itself.
            FileError::TooLarge { bytes } => ImportError::TooLarge { bytes: *bytes }.to_string(),
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
    // Its UTF-8 bytes, copied as they are: a JavaScript string would be decoded to UTF-16 and
    // encoded back by the Blob (30 ms of the 0.3 s a CSV of 10,000 rows took, CPU slowed 4×).
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(contents.as_bytes()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
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
    file: web_sys::File,
    reader: Result<web_sys::FileReader, JsValue>,
    /// Settles with the reader's `load` (or `error`, or `abort`) event.
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
            // Stopped for its announced size, or refused by the browser (Chromium does not read
            // a file of 2 GB or more at all): the size tells which. Asked only now, it costs the
            // wait `read_all` avoids for this one file alone.
            return Err(over_limit(self.file.size()).unwrap_or_else(|| {
                fail(
                    reader
                        .error()
                        .map_or_else(|| "trình duyệt không cho đọc".to_string(), |e| e.message()),
                )
            }));
        }
        let buffer = reader
            .result()
            .map_err(|e| fail(describe(e)))?
            .dyn_into::<js_sys::ArrayBuffer>()
            .map_err(|_| fail("không đọc được nội dung".into()))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

fn over_limit(bytes: f64) -> Option<FileError> {
    (bytes > MAX_IMPORT_BYTES as f64).then_some(FileError::TooLarge {
        bytes: bytes as u64,
    })
}

thread_local! {
    /// One handler for every reader's `loadstart` and `progress` events, which carry the file's
    /// size (Chromium's `loadstart` already does, 1 ms into the read): a file over the limit is
    /// stopped there instead of being read into memory. Lives as long as the page, so a read
    /// still running when its `PickedFile` is dropped never calls a freed closure.
    static STOP_IF_TOO_LARGE: Closure<dyn Fn(web_sys::ProgressEvent)> =
        Closure::new(|event: web_sys::ProgressEvent| {
            if over_limit(event.total()).is_some() {
                if let Some(reader) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::FileReader>().ok())
                {
                    reader.abort();
                }
            }
        });
}

/// Starts reading every file of a list, in order; the caller takes each as it arrives.
/// `FileReader` rather than `File.text()`: for files on disk each `text()` call waits for the
/// browser process before returning (0.2–0.3 ms a file, most of a second for a province's
/// 3,321 files), `FileReader` does not; bytes rather than text spare a decoding to UTF-16 and
/// back. `File.size` is not read before reading either: it is another wait per file (0.25 ms,
/// 0.9 s for 3,321 files in headless Chromium); a file over the import limit is stopped when
/// its reader announces the size ([`STOP_IF_TOO_LARGE`]).
pub fn read_all(list: web_sys::FileList) -> Vec<PickedFile> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            let reader = web_sys::FileReader::new();
            let done = js_sys::Promise::new(&mut |resolve, reject| match &reader {
                Ok(r) => {
                    r.set_onload(Some(&resolve));
                    r.set_onerror(Some(&reject));
                    r.set_onabort(Some(&reject));
                    STOP_IF_TOO_LARGE.with(|stop| {
                        r.set_onloadstart(Some(stop.as_ref().unchecked_ref()));
                        r.set_onprogress(Some(stop.as_ref().unchecked_ref()));
                    });
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
                file,
                reader,
                done: wasm_bindgen_futures::JsFuture::from(done),
            }
        })
        .collect()
}
