//! localStorage through gloo-storage, behind a typed error.
//!
//! gloo's `LocalStorage::raw()` panics where storage is missing (some private modes, storage
//! disabled by policy), so availability is probed with web-sys first and every call after that
//! goes through gloo only when the probe succeeded.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

/// Why a storage call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// No usable localStorage: private mode, disabled by the browser or by policy.
    Unavailable,
    /// The origin's quota (about 5 MiB) is full.
    QuotaExceeded,
    /// Any other refusal from the browser, with its own words.
    WriteFailed(String),
}

impl StorageError {
    pub fn message_vi(&self) -> String {
        match self {
            StorageError::Unavailable => "Trình duyệt không cho lưu dữ liệu trên máy (chế độ \
                ẩn danh hoặc đã tắt lưu trữ). Mọi thay đổi chỉ nằm trong thẻ này: hãy xuất tệp \
                JSON trước khi đóng thẻ."
                .into(),
            StorageError::QuotaExceeded => "Bộ nhớ của trình duyệt dành cho trang này đã đầy, \
                chưa lưu được thay đổi. Thay đổi vẫn còn trong thẻ này: hãy xuất tệp JSON để \
                giữ lại, rồi xóa bớt các bản không cần."
                .into(),
            StorageError::WriteFailed(detail) => {
                format!("Trình duyệt từ chối lưu dữ liệu ({detail}). Hãy xuất tệp JSON để giữ lại thay đổi.")
            }
        }
    }
}

fn web_storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

/// Checks that localStorage exists and accepts a write.
pub fn probe() -> Result<(), StorageError> {
    const PROBE_KEY: &str = "xa-tre-em/kiem-tra";
    let storage = web_storage()?;
    storage.set_item(PROBE_KEY, "1").map_err(|e| classify(&e))?;
    let _ = storage.remove_item(PROBE_KEY);
    Ok(())
}

fn classify(error: &wasm_bindgen::JsValue) -> StorageError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" || e.code() == 22 => {
            StorageError::QuotaExceeded
        }
        Some(e) if e.name() == "SecurityError" => StorageError::Unavailable,
        Some(e) => StorageError::WriteFailed(e.name()),
        None => StorageError::WriteFailed(format!("{error:?}")),
    }
}

/// Every key that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Ok(storage) = web_storage() else {
        return Vec::new();
    };
    let len = storage.length().unwrap_or(0);
    (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// The raw text under `key`, if any.
pub fn read(key: &str) -> Option<String> {
    web_storage().ok()?;
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Writes `value` as is (callers serialize, so a failed encode never reaches storage).
pub fn write(key: &str, value: &str) -> Result<(), StorageError> {
    web_storage()?;
    LocalStorage::raw()
        .set_item(key, value)
        .map_err(|e| classify(&e))
}

pub fn remove(key: &str) {
    if web_storage().is_ok() {
        LocalStorage::delete(key);
    }
}

/// Bytes used by this app's keys (UTF-16, as browsers count the quota), for the status line.
pub fn used_bytes(prefix: &str) -> usize {
    keys_with_prefix(prefix)
        .iter()
        .map(|k| (k.len() + read(k).map_or(0, |v| v.encode_utf16().count())) * 2)
        .sum()
}

/// Asks the browser not to evict this site's storage (Safari deletes it after 7 days without a
/// visit otherwise). `None` where the browser has no such API.
pub async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let already = wasm_bindgen_futures::JsFuture::from(storage.persisted().ok()?)
        .await
        .ok()?;
    if already.as_bool() == Some(true) {
        return Some(true);
    }
    let granted = wasm_bindgen_futures::JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?;
    granted.as_bool()
}
