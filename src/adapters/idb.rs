//! IndexedDB as a plain key → text store, behind a typed error.
//!
//! localStorage holds about 5 MiB per site, too little for the whole documents of thousands
//! of communes; IndexedDB holds hundreds of MiB (a share of the free disk). It is asynchronous
//! only: every call here is a future. One database, one object store, values are strings the
//! caller encodes and decodes, so nothing here knows the domain.

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "xa-tre-em";
/// Version 1 has the one store below; a later layout bumps it and migrates in `upgrade`.
const DB_VERSION: u32 = 1;
/// The dashboard's whole documents, by row key.
pub const DASHBOARD_DOCS: &str = "tong-hop";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdbError {
    /// No IndexedDB: some private modes, storage blocked by policy, very old browsers.
    Unavailable(String),
    /// The site's share of the disk is used up.
    QuotaExceeded,
    /// Any other refusal, with the browser's own words.
    Failed(String),
}

impl IdbError {
    pub fn message_vi(&self) -> String {
        match self {
            IdbError::Unavailable(detail) => format!(
                "Trình duyệt không cho dùng bộ nhớ IndexedDB ({detail}); thường do chế độ ẩn \
                 danh hoặc chính sách của máy."
            ),
            IdbError::QuotaExceeded => "Bộ nhớ IndexedDB của trình duyệt dành cho trang này đã \
                 đầy (máy còn ít dung lượng trống)."
                .into(),
            IdbError::Failed(detail) => {
                format!("Trình duyệt từ chối ghi hoặc đọc bộ nhớ IndexedDB ({detail}).")
            }
        }
    }
}

fn classify(error: &JsValue) -> IdbError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" => IdbError::QuotaExceeded,
        Some(e) if e.name() == "SecurityError" || e.name() == "InvalidStateError" => {
            IdbError::Unavailable(e.name())
        }
        Some(e) => IdbError::Failed(format!("{}: {}", e.name(), e.message())),
        None => IdbError::Failed(format!("{error:?}")),
    }
}

/// An event handler handed to the browser; it must outlive the wait.
type Handler = Closure<dyn FnMut()>;

/// Waits for one request; the handlers live until it settles, then are dropped.
async fn settle(request: &IdbRequest) -> Result<JsValue, IdbError> {
    let mut handlers: Option<[Handler; 2]> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let ok_request = request.clone();
        let on_success = Closure::<dyn FnMut()>::new(move || {
            let value = ok_request.result().unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::UNDEFINED, &value);
        });
        let err_request = request.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            let error = err_request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = Some([on_success, on_error]);
    });
    let result = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(handlers);
    result.map_err(|e| classify(&e))
}

/// Waits until a transaction has written everything (or failed as a whole).
async fn commit(tx: &IdbTransaction) -> Result<(), IdbError> {
    let mut handlers: Option<[Handler; 2]> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::<dyn FnMut()>::new(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let failed_tx = tx.clone();
        // `abort` follows a failed request and a full disk alike; `error` is its cause.
        let on_abort = Closure::<dyn FnMut()>::new(move || {
            let error = failed_tx.error().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        tx.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
        tx.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        handlers = Some([on_complete, on_abort]);
    });
    let result = JsFuture::from(promise).await;
    tx.set_oncomplete(None);
    tx.set_onabort(None);
    drop(handlers);
    result.map(|_| ()).map_err(|e| classify(&e))
}

async fn open() -> Result<IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .ok_or_else(|| IdbError::Unavailable("không có cửa sổ".into()))?
        .indexed_db()
        .map_err(|e| classify(&e))?
        .ok_or_else(|| IdbError::Unavailable("không có IndexedDB".into()))?;
    let request = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| classify(&e))?;
    let upgrading = request.clone();
    let upgrade = Closure::<dyn FnMut()>::new(move || {
        // Only from "no database" to version 1 so far.
        if let Ok(db) = upgrading.result() {
            let db: IdbDatabase = db.unchecked_into();
            let _ = db.create_object_store(DASHBOARD_DOCS);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = settle(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    Ok(db?.unchecked_into())
}

/// Runs `work` on `store` in one transaction and waits for the outcome: for writes, until the
/// transaction is committed; for reads, until the request returned by `work` has its result.
/// The database is closed afterwards (once its transaction ends), so that a later version can
/// open it.
async fn run(
    store: &str,
    mode: IdbTransactionMode,
    work: impl FnOnce(&IdbObjectStore) -> Result<Option<IdbRequest>, JsValue>,
) -> Result<JsValue, IdbError> {
    let db = open().await?;
    let outcome = async {
        let tx = db
            .transaction_with_str_and_mode(store, mode)
            .map_err(|e| classify(&e))?;
        let object_store = tx.object_store(store).map_err(|e| classify(&e))?;
        match work(&object_store).map_err(|e| classify(&e))? {
            Some(read) => settle(&read).await,
            None => commit(&tx).await.map(|()| JsValue::UNDEFINED),
        }
    }
    .await;
    db.close();
    outcome
}

/// Writes every `(key, text)` pair in one transaction: all are stored, or none.
pub async fn put_all(store: &str, entries: &[(String, String)]) -> Result<(), IdbError> {
    run(store, IdbTransactionMode::Readwrite, |s| {
        for (key, text) in entries {
            s.put_with_key(&JsValue::from_str(text), &JsValue::from_str(key))?;
        }
        Ok(None)
    })
    .await
    .map(drop)
}

/// The text under `key`, if any.
pub async fn get(store: &str, key: &str) -> Result<Option<String>, IdbError> {
    let value = run(store, IdbTransactionMode::Readonly, |s| {
        s.get(&JsValue::from_str(key)).map(Some)
    })
    .await?;
    Ok(value.as_string())
}

/// Every text of the store.
pub async fn get_all(store: &str) -> Result<Vec<String>, IdbError> {
    let values = run(store, IdbTransactionMode::Readonly, |s| {
        s.get_all().map(Some)
    })
    .await?;
    let values: js_sys::Array = values.unchecked_into();
    Ok(values.iter().filter_map(|v| v.as_string()).collect())
}

pub async fn delete(store: &str, key: &str) -> Result<(), IdbError> {
    run(store, IdbTransactionMode::Readwrite, |s| {
        s.delete(&JsValue::from_str(key)).map(|_| None)
    })
    .await
    .map(drop)
}

pub async fn clear(store: &str) -> Result<(), IdbError> {
    run(store, IdbTransactionMode::Readwrite, |s| {
        s.clear().map(|_| None)
    })
    .await
    .map(drop)
}
