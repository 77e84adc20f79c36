//! IndexedDB: the durable store of the app, as a [`Backend`] for the storage core, plus the
//! plain key → text calls of the dashboard.
//!
//! One database ([`DB_NAME`]), its stores listed once in [`STORES`] (src/domain/store.rs): the
//! upgrade creates whatever is missing, so every older layout reaches the current one. One
//! connection per tab, closed when another tab needs to upgrade. Writes of the storage core ask
//! for `durability: "strict"`: `complete` then means written to the disk, which a killed
//! process or a power cut does not undo.

use std::cell::RefCell;

use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbCursorDirection, IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

pub use crate::domain::store::stores::{DASHBOARD_DOCS, DASHBOARD_ROWS};
use crate::domain::store::{
    Backend, Key, Mode, StoreError, Transaction, DB_NAME, DB_VERSION, STORES,
};

/// The dashboard's name for the error type it shows.
pub type IdbError = StoreError;

#[wasm_bindgen]
extern "C" {
    /// `IDBDatabase`, for the one call web-sys offers only as an unstable API:
    /// `transaction(stores, mode, options)`.
    #[wasm_bindgen(js_name = IDBDatabase)]
    type DatabaseWithOptions;

    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &DatabaseWithOptions,
        stores: &Array,
        mode: &str,
        options: &JsValue,
    ) -> Result<IdbTransaction, JsValue>;
}

fn classify(error: &JsValue) -> StoreError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" => StoreError::QuotaExceeded,
        Some(e) if e.name() == "VersionError" => StoreError::NewerVersion,
        Some(e)
            if ["SecurityError", "InvalidStateError", "UnknownError"]
                .contains(&e.name().as_str()) =>
        {
            StoreError::Unavailable(e.name())
        }
        Some(e) => StoreError::Failed(format!("{}: {}", e.name(), e.message())),
        None => StoreError::Failed(
            error
                .as_string()
                .unwrap_or_else(|| "lỗi không rõ của IndexedDB".into()),
        ),
    }
}

/// An event handler handed to the browser; it must outlive the wait.
type Handler = Closure<dyn FnMut()>;

/// A request being waited for: its handlers are set as soon as it is sent, so several can be
/// sent before waiting for the first; they live until it settles (or the wait is dropped).
struct Watch {
    request: IdbRequest,
    promise: Promise,
    _handlers: [Handler; 2],
}

fn watch(request: IdbRequest) -> Watch {
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
    Watch {
        request,
        promise,
        // `Promise::new` runs its closure before returning.
        _handlers: handlers.expect("the promise's executor ran"),
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.request.set_onsuccess(None);
        self.request.set_onerror(None);
    }
}

impl Watch {
    async fn wait(self) -> Result<JsValue, StoreError> {
        JsFuture::from(self.promise.clone())
            .await
            .map_err(|e| classify(&e))
    }
}

/// Waits for one request.
async fn settle(request: &IdbRequest) -> Result<JsValue, StoreError> {
    watch(request.clone()).wait().await
}

/// Waits until a transaction has written everything (or failed as a whole).
async fn completion(tx: &IdbTransaction) -> Result<(), StoreError> {
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
    result.map(drop).map_err(|e| match e.is_undefined() {
        // Aborted without a cause: by this code, after a refused write (reported already).
        true => StoreError::Failed("giao dịch bị hủy".into()),
        false => classify(&e),
    })
}

thread_local! {
    /// The tab's open connection, if any.
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

async fn connect() -> Result<IdbDatabase, StoreError> {
    if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or_else(|| StoreError::Unavailable("không có cửa sổ".into()))?
        .indexed_db()
        .map_err(|e| classify(&e))?
        .ok_or_else(|| StoreError::Unavailable("không có IndexedDB".into()))?;
    let request = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| classify(&e))?;
    let upgrading = request.clone();
    let upgrade = Closure::<dyn FnMut()>::new(move || {
        // The one upgrade path: every store of the list that is missing is created.
        if let Ok(db) = upgrading.result() {
            let db: IdbDatabase = db.unchecked_into();
            let existing = db.object_store_names();
            for (name, _) in STORES {
                if !existing.contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = settle(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    let db: IdbDatabase = db?.unchecked_into();
    // Another tab with a newer build wants to upgrade: let it, and reconnect on the next call.
    let closing = db.clone();
    let on_version_change = Closure::<dyn FnMut()>::new(move || {
        closing.close();
        CONNECTION.with(|c| c.borrow_mut().take());
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    CONNECTION.with(|c| *c.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Checks that IndexedDB opens (creating or upgrading the database).
pub async fn probe() -> Result<(), StoreError> {
    connect().await.map(drop)
}

fn js_key(key: &Key) -> JsValue {
    match key {
        Key::Name(name) => JsValue::from_str(name),
        Key::Seq(id, n) => Array::of2(&JsValue::from_str(id), &JsValue::from_f64(*n as f64)).into(),
    }
}

fn rust_key(value: &JsValue) -> Option<Key> {
    if let Some(name) = value.as_string() {
        return Some(Key::Name(name));
    }
    let pair = value.dyn_ref::<Array>()?;
    Some(Key::Seq(
        pair.get(0).as_string()?,
        pair.get(1).as_f64()? as u64,
    ))
}

/// Every key of document `id` numbered `from` or more.
fn range(id: &str, from: u64) -> Result<IdbKeyRange, StoreError> {
    let id = JsValue::from_str(id);
    IdbKeyRange::bound(
        &Array::of2(&id, &JsValue::from_f64(from as f64)),
        &Array::of2(&id, &JsValue::from_f64(9_007_199_254_740_991.0)),
    )
    .map_err(|e| classify(&e))
}

/// The entries of a store, or of a range of its keys, in key order (keys and values asked for
/// together).
async fn named_entries(
    s: &IdbObjectStore,
    range: Option<&IdbKeyRange>,
) -> Result<Vec<(Key, String)>, StoreError> {
    let (keys, values) = match range {
        None => (s.get_all_keys(), s.get_all()),
        Some(r) => (s.get_all_keys_with_key(r), s.get_all_with_key(r)),
    };
    let keys = watch(keys.map_err(|e| classify(&e))?);
    let values = watch(values.map_err(|e| classify(&e))?);
    let keys: Array = keys.wait().await?.unchecked_into();
    let values: Array = values.wait().await?.unchecked_into();
    Ok(keys
        .iter()
        .zip(values.iter())
        .filter_map(|(k, v)| Some((rust_key(&k)?, v.as_string()?)))
        .collect())
}

/// The records of one document: `[id, n]` keys beside their values.
fn numbered(keys: &Array, values: &Array) -> Vec<(u64, String)> {
    keys.iter()
        .zip(values.iter())
        .filter_map(|(k, v)| match rust_key(&k)? {
            Key::Seq(_, n) => Some((n, v.as_string()?)),
            Key::Name(_) => None,
        })
        .collect()
}

/// The IndexedDB backend of the storage core.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdbBackend;

pub struct IdbTx {
    tx: IdbTransaction,
    /// The first refusal of a write request, reported by `commit`.
    refused: Option<StoreError>,
}

impl IdbTx {
    fn store(&self, name: &str) -> Result<IdbObjectStore, StoreError> {
        self.tx.object_store(name).map_err(|e| classify(&e))
    }

    fn write(
        &mut self,
        work: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
        store: &str,
    ) {
        if self.refused.is_some() {
            return;
        }
        let outcome = self
            .store(store)
            .and_then(|s| work(&s).map_err(|e| classify(&e)));
        if let Err(e) = outcome {
            self.refused = Some(e);
        }
    }
}

impl Backend for IdbBackend {
    type Tx = IdbTx;

    async fn begin(&self, stores: &[&'static str], mode: Mode) -> Result<IdbTx, StoreError> {
        let db = connect().await?;
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        let tx = match mode {
            Mode::Read => {
                db.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readonly)
            }
            Mode::Write => {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
                db.unchecked_ref::<DatabaseWithOptions>()
                    .transaction_with_options(&names, "readwrite", &options)
            }
        };
        match tx {
            Ok(tx) => Ok(IdbTx { tx, refused: None }),
            Err(e) => {
                // A connection closed under us (another tab upgraded): the next call reconnects.
                CONNECTION.with(|c| c.borrow_mut().take());
                Err(classify(&e))
            }
        }
    }
}

impl Transaction for IdbTx {
    async fn get(&mut self, store: &str, key: &Key) -> Result<Option<String>, StoreError> {
        let request = self
            .store(store)?
            .get(&js_key(key))
            .map_err(|e| classify(&e))?;
        Ok(settle(&request).await?.as_string())
    }

    async fn all(&mut self, store: &str) -> Result<Vec<(Key, String)>, StoreError> {
        named_entries(&self.store(store)?, None).await
    }

    async fn run_of(
        &mut self,
        store: &str,
        keys: &[String],
    ) -> Result<Vec<(Key, String)>, StoreError> {
        let (Some(first), Some(last)) = (keys.first(), keys.last()) else {
            return Ok(Vec::new());
        };
        let range = IdbKeyRange::bound(&JsValue::from_str(first), &JsValue::from_str(last))
            .map_err(|e| classify(&e))?;
        named_entries(&self.store(store)?, Some(&range)).await
    }

    async fn keys(&mut self, store: &str) -> Result<Vec<Key>, StoreError> {
        let request = self
            .store(store)?
            .get_all_keys()
            .map_err(|e| classify(&e))?;
        let keys: Array = settle(&request).await?.unchecked_into();
        Ok(keys.iter().filter_map(|k| rust_key(&k)).collect())
    }

    async fn entries(
        &mut self,
        store: &str,
        id: &str,
        from: u64,
    ) -> Result<Vec<(u64, String)>, StoreError> {
        let s = self.store(store)?;
        let range = range(id, from)?;
        let keys = watch(s.get_all_keys_with_key(&range).map_err(|e| classify(&e))?);
        let values = watch(s.get_all_with_key(&range).map_err(|e| classify(&e))?);
        let keys: Array = keys.wait().await?.unchecked_into();
        let values: Array = values.wait().await?.unchecked_into();
        Ok(numbered(&keys, &values))
    }

    async fn entries_many(
        &mut self,
        store: &str,
        wanted: &[(String, u64)],
    ) -> Result<Vec<Vec<(u64, String)>>, StoreError> {
        let s = self.store(store)?;
        let mut sent = Vec::with_capacity(wanted.len());
        for (id, from) in wanted {
            let range = range(id, *from)?;
            let keys = s.get_all_keys_with_key(&range).map_err(|e| classify(&e))?;
            let values = s.get_all_with_key(&range).map_err(|e| classify(&e))?;
            sent.push((watch(keys), watch(values)));
        }
        let mut out = Vec::with_capacity(sent.len());
        for (keys, values) in sent {
            let keys: Array = keys.wait().await?.unchecked_into();
            let values: Array = values.wait().await?.unchecked_into();
            out.push(numbered(&keys, &values));
        }
        Ok(out)
    }

    async fn last_seq(&mut self, store: &str, id: &str) -> Result<Option<u64>, StoreError> {
        let request = self
            .store(store)?
            .open_key_cursor_with_range_and_direction(
                &range(id, 0)?.into(),
                IdbCursorDirection::Prev,
            )
            .map_err(|e| classify(&e))?;
        let cursor = settle(&request).await?;
        let Some(cursor) = cursor.dyn_ref::<web_sys::IdbCursor>() else {
            return Ok(None);
        };
        let key = cursor.key().map_err(|e| classify(&e))?;
        Ok(match rust_key(&key) {
            Some(Key::Seq(_, n)) => Some(n),
            _ => None,
        })
    }

    fn put(&mut self, store: &str, key: Key, value: String) {
        self.write(
            |s| s.put_with_key(&JsValue::from_str(&value), &js_key(&key)),
            store,
        );
    }

    fn delete(&mut self, store: &str, key: Key) {
        self.write(|s| s.delete(&js_key(&key)), store);
    }

    fn delete_entries(&mut self, store: &str, id: &str) {
        match range(id, 0) {
            Ok(range) => self.write(|s| s.delete(&range), store),
            Err(e) => self.refused = self.refused.take().or(Some(e)),
        }
    }

    async fn commit(self) -> Result<(), StoreError> {
        if let Some(e) = self.refused {
            let _ = self.tx.abort();
            return Err(e);
        }
        completion(&self.tx).await
    }
}

// ---------------------------------------------------------------------------------------------
// The dashboard's plain key → text calls.

async fn kv<T>(
    stores: &[&'static str],
    mode: Mode,
    work: impl AsyncFnOnce(&mut IdbTx) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tx = IdbBackend.begin(stores, mode).await?;
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// Writes every `(key, text)` pair of every store named in one transaction: all are stored, or
/// none.
pub async fn put_all(writes: &[(&'static str, &[(String, String)])]) -> Result<(), IdbError> {
    let stores: Vec<&'static str> = writes.iter().map(|(store, _)| *store).collect();
    kv(&stores, Mode::Write, async |tx| {
        for (store, entries) in writes {
            for (key, text) in *entries {
                tx.put(store, Key::name(key), text.clone());
            }
        }
        Ok(())
    })
    .await
}

/// Writes the `(key, text)` pairs (in key order) whose key `store` does not hold, in one
/// transaction: a key another tab wrote meanwhile keeps its text.
pub async fn put_absent(store: &'static str, entries: &[(String, String)]) -> Result<(), IdbError> {
    let (Some((first, _)), Some((last, _))) = (entries.first(), entries.last()) else {
        return Ok(());
    };
    kv(&[store], Mode::Write, async |tx| {
        let range = IdbKeyRange::bound(&JsValue::from_str(first), &JsValue::from_str(last))
            .map_err(|e| classify(&e))?;
        let request = tx
            .store(store)?
            .get_all_keys_with_key(&range)
            .map_err(|e| classify(&e))?;
        let held: Array = settle(&request).await?.unchecked_into();
        let held: std::collections::HashSet<String> =
            held.iter().filter_map(|k| k.as_string()).collect();
        for (key, text) in entries {
            if !held.contains(key) {
                tx.put(store, Key::name(key), text.clone());
            }
        }
        Ok(())
    })
    .await
}

/// The text under `key`, if any.
pub async fn get(store: &'static str, key: &str) -> Result<Option<String>, IdbError> {
    kv(&[store], Mode::Read, async |tx| {
        tx.get(store, &Key::name(key)).await
    })
    .await
}

/// The `(key, text)` pairs from `run`'s first key to its last (`run` a run of what [`keys`]
/// gives, in the store's order), in one transaction.
pub async fn get_run(
    store: &'static str,
    run: &[String],
) -> Result<Vec<(String, String)>, IdbError> {
    kv(&[store], Mode::Read, async |tx| {
        Ok(tx
            .run_of(store, run)
            .await?
            .into_iter()
            .map(|(k, v)| (k.text(), v))
            .collect())
    })
    .await
}

/// Every key of the store.
pub async fn keys(store: &'static str) -> Result<Vec<String>, IdbError> {
    Ok(keys_together(&[store]).await?.concat())
}

/// Every key of each store, read in one transaction: as they all stood at one moment.
pub async fn keys_together(stores: &[&'static str]) -> Result<Vec<Vec<String>>, IdbError> {
    kv(stores, Mode::Read, async |tx| {
        let mut out = Vec::with_capacity(stores.len());
        for store in stores {
            out.push(tx.keys(store).await?.iter().map(Key::text).collect());
        }
        Ok(out)
    })
    .await
}

/// Removes `key` from every store named, in one transaction.
pub async fn delete(stores: &[&'static str], key: &str) -> Result<(), IdbError> {
    delete_all(stores, std::slice::from_ref(&key.to_string())).await
}

/// Removes every key of `keys` from every store named, in one transaction.
pub async fn delete_all(stores: &[&'static str], keys: &[String]) -> Result<(), IdbError> {
    kv(stores, Mode::Write, async |tx| {
        for store in stores {
            for key in keys {
                tx.delete(store, Key::name(key));
            }
        }
        Ok(())
    })
    .await
}

/// Empties every store named, in one transaction.
pub async fn clear(stores: &[&'static str]) -> Result<(), IdbError> {
    kv(stores, Mode::Write, async |tx| {
        for store in stores {
            tx.write(|s| s.clear(), store);
        }
        Ok(())
    })
    .await
}
