//! localStorage through gloo-storage, behind a typed error: small settings, the entries of
//! the localStorage builds (read once, to move them to IndexedDB), the dashboard's table, and a
//! [`LocalBackend`] for the storage core where IndexedDB is unavailable.
//!
//! gloo's `LocalStorage::raw()` panics where storage is missing (some private modes, storage
//! disabled by policy), so availability is probed with web-sys first and every call after that
//! goes through gloo only when the probe succeeded.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::domain::store::{Backend, Key, KeyKind, Mode, StoreError, Transaction, STORES};

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

/// Whether localStorage exists (it may still be full).
pub fn available() -> bool {
    web_storage().is_ok()
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
        None => StorageError::WriteFailed(
            error
                .as_string()
                .unwrap_or_else(|| "lỗi không rõ của localStorage".into()),
        ),
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

// ---------------------------------------------------------------------------------------------
// The storage core on localStorage, where IndexedDB is unavailable: less room (about 5 MiB) and
// written to disk lazily by the browser, hence the permanent banner. Every store of the schema
// lives under `xa-tre-em/kho/<store>/`; a transaction's writes are applied one by one and undone
// if one fails, so it still lands whole or not at all.

const CORE_PREFIX: &str = "xa-tre-em/kho/";

fn core_error(e: StorageError) -> StoreError {
    match e {
        StorageError::Unavailable => StoreError::Unavailable("localStorage".into()),
        StorageError::QuotaExceeded => StoreError::QuotaExceeded,
        StorageError::WriteFailed(detail) => StoreError::Failed(detail),
    }
}

/// `%` and `/` escaped, so that one id is never the prefix of another's entries.
fn escape(part: &str) -> String {
    part.replace('%', "%25").replace('/', "%2F")
}

fn unescape(part: &str) -> String {
    part.replace("%2F", "/").replace("%25", "%")
}

fn store_prefix(store: &str) -> String {
    format!("{CORE_PREFIX}{store}/")
}

fn seq_prefix(store: &str, id: &str) -> String {
    format!("{}{}/", store_prefix(store), escape(id))
}

fn local_key(store: &str, key: &Key) -> String {
    match key {
        Key::Name(name) => format!("{}{}", store_prefix(store), escape(name)),
        // Zero-padded so that text order is number order.
        Key::Seq(id, n) => format!("{}{n:020}", seq_prefix(store, id)),
    }
}

fn parse_local_key(store: &str, rest: &str) -> Option<Key> {
    let kind = STORES.iter().find(|(s, _)| *s == store).map(|(_, k)| *k)?;
    match kind {
        KeyKind::Name => Some(Key::Name(unescape(rest))),
        KeyKind::Seq => {
            let (id, n) = rest.rsplit_once('/')?;
            Some(Key::Seq(unescape(id), n.parse().ok()?))
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LocalBackend;

pub struct LocalTx {
    /// This transaction's writes by full key, in order; `None` deletes.
    overlay: Vec<(String, Option<String>)>,
}

impl LocalTx {
    /// Entries under `prefix`, as stored with this transaction's writes on top, in key order.
    fn under(&self, prefix: &str) -> Vec<(String, String)> {
        let mut keys = keys_with_prefix(prefix);
        keys.extend(
            self.overlay
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, _)| k.clone()),
        );
        crate::domain::sorting::sort(&mut keys);
        keys.dedup();
        keys.into_iter()
            .filter_map(|k| {
                let v = self.read(&k)?;
                Some((k, v))
            })
            .collect()
    }

    /// The value under a full key, this transaction's last write first.
    fn read(&self, key: &str) -> Option<String> {
        match self.overlay.iter().rev().find(|(k, _)| k == key) {
            Some((_, v)) => v.clone(),
            None => read(key),
        }
    }

    fn set(&mut self, key: String, value: Option<String>) {
        self.overlay.retain(|(k, _)| *k != key);
        self.overlay.push((key, value));
    }
}

impl Backend for LocalBackend {
    type Tx = LocalTx;

    async fn begin(&self, _stores: &[&'static str], _mode: Mode) -> Result<LocalTx, StoreError> {
        web_storage().map_err(core_error)?;
        Ok(LocalTx {
            overlay: Vec::new(),
        })
    }
}

impl Transaction for LocalTx {
    async fn get(&mut self, store: &str, key: &Key) -> Result<Option<String>, StoreError> {
        Ok(self.read(&local_key(store, key)))
    }

    async fn all(&mut self, store: &str) -> Result<Vec<(Key, String)>, StoreError> {
        let prefix = store_prefix(store);
        Ok(self
            .under(&prefix)
            .into_iter()
            .filter_map(|(k, v)| Some((parse_local_key(store, &k[prefix.len()..])?, v)))
            .collect())
    }

    async fn keys(&mut self, store: &str) -> Result<Vec<Key>, StoreError> {
        Ok(self.all(store).await?.into_iter().map(|(k, _)| k).collect())
    }

    async fn entries(
        &mut self,
        store: &str,
        id: &str,
        from: u64,
    ) -> Result<Vec<(u64, String)>, StoreError> {
        let prefix = seq_prefix(store, id);
        Ok(self
            .under(&prefix)
            .into_iter()
            .filter_map(|(k, v)| Some((k[prefix.len()..].parse::<u64>().ok()?, v)))
            .filter(|(n, _)| *n >= from)
            .collect())
    }

    async fn last_seq(&mut self, store: &str, id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.entries(store, id, 0).await?.last().map(|(n, _)| *n))
    }

    fn put(&mut self, store: &str, key: Key, value: String) {
        self.set(local_key(store, &key), Some(value));
    }

    fn delete(&mut self, store: &str, key: Key) {
        self.set(local_key(store, &key), None);
    }

    fn delete_entries(&mut self, store: &str, id: &str) {
        for (k, _) in self.under(&seq_prefix(store, id)) {
            self.set(k, None);
        }
    }

    async fn commit(self) -> Result<(), StoreError> {
        let mut done: Vec<(String, Option<String>)> = Vec::new();
        for (key, value) in self.overlay {
            let before = read(&key);
            let outcome = match &value {
                Some(v) => write(&key, v),
                None => {
                    remove(&key);
                    Ok(())
                }
            };
            if let Err(e) = outcome {
                // Undo, newest first; putting back what was there takes no more room than now.
                for (k, old) in done.into_iter().rev() {
                    match old {
                        Some(v) => {
                            let _ = write(&k, &v);
                        }
                        None => remove(&k),
                    }
                }
                return Err(core_error(e));
            }
            done.push((key, before));
        }
        Ok(())
    }
}
