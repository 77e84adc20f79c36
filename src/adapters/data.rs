//! The app's own data files, fetched next to the page (`data/divisions.json`): they are not in
//! the first download, and the service worker keeps them for offline use.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a data file could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No answer at all: offline before the file was ever kept, or the connection dropped.
    Network,
    /// The site answered with an error status (a file missing from the upload, say).
    Status(u16),
}

impl FetchError {
    pub fn message_vi(&self, what: &str) -> String {
        match self {
            FetchError::Network => format!(
                "Không tải được {what}: không có mạng hoặc mạng bị ngắt. Hãy kiểm tra kết nối \
                 rồi thử lại."
            ),
            FetchError::Status(status) => format!(
                "Không tải được {what}: trang web trả lời lỗi {status}. Có thể bản cài đặt trên \
                 trang thiếu tệp; hãy báo cán bộ quản trị trang."
            ),
        }
    }
}

/// The text of a file under the page's directory (`path` relative, e.g. "data/x.json").
pub async fn fetch_text(path: &str) -> Result<String, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| FetchError::Network)?
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = response.text().map_err(|_| FetchError::Network)?;
    JsFuture::from(text)
        .await
        .map_err(|_| FetchError::Network)?
        .as_string()
        .ok_or(FetchError::Network)
}
