//! A [`Backend`] in memory: what the native tests run the data-safety rules on, with the
//! browser's failures on demand (a full disk, a refused write, storage that is gone), and what
//! a tab uses when the browser stores nothing at all (then the banner says so).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::store::{Backend, Key, Mode, StoreError, Transaction};

type Data = BTreeMap<(String, Key), String>;

#[derive(Default)]
struct Inner {
    data: Data,
    /// Total bytes of keys and values allowed; `None` for no limit.
    quota: Option<usize>,
    /// Every commit fails with this while set.
    failing: Option<StoreError>,
    /// Only the next commit fails with this.
    fail_next: Option<StoreError>,
    /// `begin` fails with this while set.
    closed: Option<StoreError>,
    commits: usize,
    /// Reads of one document's entries ([`Transaction::entries`]): the requests a browser
    /// backend would make per document.
    entry_reads: usize,
}

/// Cheap to clone: clones share the same data, like two tabs of one browser.
#[derive(Clone, Default)]
pub struct MemoryBackend(Rc<RefCell<Inner>>);

fn size(data: &Data) -> usize {
    data.iter()
        .map(|((store, key), value)| store.len() + key.text().len() + value.len())
        .sum()
}

impl MemoryBackend {
    pub fn new() -> MemoryBackend {
        MemoryBackend::default()
    }

    /// Refuses commits that would make the data larger than `bytes` (`None`: no limit).
    pub fn set_quota(&self, bytes: Option<usize>) {
        self.0.borrow_mut().quota = bytes;
    }

    /// Bytes stored now, as the quota counts them.
    pub fn used(&self) -> usize {
        size(&self.0.borrow().data)
    }

    /// Every commit fails with `error` until called again with `None`.
    pub fn fail_commits(&self, error: Option<StoreError>) {
        self.0.borrow_mut().failing = error;
    }

    /// The next commit only fails with `error`.
    pub fn fail_next_commit(&self, error: StoreError) {
        self.0.borrow_mut().fail_next = Some(error);
    }

    /// `begin` fails with `error` until called again with `None`.
    pub fn close(&self, error: Option<StoreError>) {
        self.0.borrow_mut().closed = error;
    }

    pub fn commits(&self) -> usize {
        self.0.borrow().commits
    }

    pub fn entry_reads(&self) -> usize {
        self.0.borrow().entry_reads
    }

    /// What another writer would do behind this one's back.
    pub fn raw_put(&self, store: &str, key: Key, value: &str) {
        self.0
            .borrow_mut()
            .data
            .insert((store.to_string(), key), value.to_string());
    }

    pub fn raw_delete(&self, store: &str, key: &Key) {
        self.0
            .borrow_mut()
            .data
            .remove(&(store.to_string(), key.clone()));
    }

    pub fn raw_get(&self, store: &str, key: &Key) -> Option<String> {
        self.0
            .borrow()
            .data
            .get(&(store.to_string(), key.clone()))
            .cloned()
    }

    /// Every entry of one store.
    pub fn dump(&self, store: &str) -> Vec<(Key, String)> {
        self.0
            .borrow()
            .data
            .iter()
            .filter(|((s, _), _)| s == store)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect()
    }
}

enum Write {
    Put(String, Key, String),
    Delete(String, Key),
    DeleteEntries(String, String),
}

pub struct MemoryTx {
    backend: MemoryBackend,
    mode: Mode,
    /// What this transaction sees: the committed data as it began, with its own writes.
    view: Data,
    writes: Vec<Write>,
}

impl Backend for MemoryBackend {
    type Tx = MemoryTx;

    async fn begin(&self, _stores: &[&'static str], mode: Mode) -> Result<MemoryTx, StoreError> {
        let inner = self.0.borrow();
        if let Some(e) = &inner.closed {
            return Err(e.clone());
        }
        Ok(MemoryTx {
            backend: self.clone(),
            mode,
            view: inner.data.clone(),
            writes: Vec::new(),
        })
    }
}

fn apply(data: &mut Data, write: &Write) {
    match write {
        Write::Put(store, key, value) => {
            data.insert((store.clone(), key.clone()), value.clone());
        }
        Write::Delete(store, key) => {
            data.remove(&(store.clone(), key.clone()));
        }
        Write::DeleteEntries(store, id) => {
            data.retain(|(s, k), _| !(s == store && matches!(k, Key::Seq(i, _) if i == id)));
        }
    }
}

impl MemoryTx {
    fn write(&mut self, write: Write) {
        apply(&mut self.view, &write);
        self.writes.push(write);
    }

    fn seq_entries<'a>(
        &'a self,
        store: &'a str,
        id: &'a str,
    ) -> impl Iterator<Item = (u64, &'a String)> + 'a {
        self.view.iter().filter_map(move |((s, k), v)| match k {
            Key::Seq(i, n) if s == store && i == id => Some((*n, v)),
            _ => None,
        })
    }
}

impl Transaction for MemoryTx {
    async fn get(&mut self, store: &str, key: &Key) -> Result<Option<String>, StoreError> {
        Ok(self.view.get(&(store.to_string(), key.clone())).cloned())
    }

    async fn all(&mut self, store: &str) -> Result<Vec<(Key, String)>, StoreError> {
        Ok(self
            .view
            .iter()
            .filter(|((s, _), _)| s == store)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }

    async fn keys(&mut self, store: &str) -> Result<Vec<Key>, StoreError> {
        Ok(self
            .view
            .keys()
            .filter(|(s, _)| s == store)
            .map(|(_, k)| k.clone())
            .collect())
    }

    async fn entries(
        &mut self,
        store: &str,
        id: &str,
        from: u64,
    ) -> Result<Vec<(u64, String)>, StoreError> {
        self.backend.0.borrow_mut().entry_reads += 1;
        Ok(self
            .seq_entries(store, id)
            .filter(|(n, _)| *n >= from)
            .map(|(n, v)| (n, v.clone()))
            .collect())
    }

    async fn last_seq(&mut self, store: &str, id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.seq_entries(store, id).map(|(n, _)| n).last())
    }

    fn put(&mut self, store: &str, key: Key, value: String) {
        self.write(Write::Put(store.to_string(), key, value));
    }

    fn delete(&mut self, store: &str, key: Key) {
        self.write(Write::Delete(store.to_string(), key));
    }

    fn delete_entries(&mut self, store: &str, id: &str) {
        self.write(Write::DeleteEntries(store.to_string(), id.to_string()));
    }

    async fn commit(self) -> Result<(), StoreError> {
        let mut inner = self.backend.0.borrow_mut();
        if self.writes.is_empty() {
            return Ok(());
        }
        if self.mode == Mode::Read {
            return Err(StoreError::Failed("ghi trong giao dịch chỉ đọc".into()));
        }
        if let Some(e) = inner.fail_next.take().or_else(|| inner.failing.clone()) {
            return Err(e);
        }
        let mut next = inner.data.clone();
        for write in &self.writes {
            apply(&mut next, write);
        }
        if inner.quota.is_some_and(|q| size(&next) > q) {
            return Err(StoreError::QuotaExceeded);
        }
        inner.data = next;
        inner.commits += 1;
        Ok(())
    }
}

/// Runs a future whose every await is ready at once, as the memory backend's are.
///
/// # Panics
/// If the future waits for something (it would never be woken).
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("a memory-backend future waited"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "s";

    #[test]
    fn writes_land_together_or_not_at_all() {
        let b = MemoryBackend::new();
        ready(async {
            let mut tx = b.begin(&[S], Mode::Write).await.unwrap();
            tx.put(S, Key::name("a"), "1".into());
            tx.put(S, Key::Seq("d".into(), 2), "x".into());
            assert_eq!(
                tx.get(S, &Key::name("a")).await.unwrap().as_deref(),
                Some("1")
            );
            tx.commit().await.unwrap();

            b.fail_next_commit(StoreError::QuotaExceeded);
            let mut tx = b.begin(&[S], Mode::Write).await.unwrap();
            tx.put(S, Key::name("a"), "2".into());
            tx.delete_entries(S, "d");
            assert_eq!(tx.commit().await, Err(StoreError::QuotaExceeded));
            let mut tx = b.begin(&[S], Mode::Read).await.unwrap();
            assert_eq!(
                tx.get(S, &Key::name("a")).await.unwrap().as_deref(),
                Some("1")
            );
            assert_eq!(tx.last_seq(S, "d").await.unwrap(), Some(2));
        });
    }

    #[test]
    fn a_quota_refuses_growth() {
        let b = MemoryBackend::new();
        b.set_quota(Some(20));
        ready(async {
            let mut tx = b.begin(&[S], Mode::Write).await.unwrap();
            tx.put(S, Key::name("k"), "x".repeat(100));
            assert_eq!(tx.commit().await, Err(StoreError::QuotaExceeded));
        });
        assert_eq!(b.used(), 0);
    }

    #[test]
    fn entries_are_by_document_and_number() {
        let b = MemoryBackend::new();
        for (id, n) in [("a", 1), ("a", 3), ("ab", 2), ("b", 1)] {
            b.raw_put(S, Key::Seq(id.into(), n), &format!("{id}{n}"));
        }
        ready(async {
            let mut tx = b.begin(&[S], Mode::Read).await.unwrap();
            let a: Vec<u64> = tx
                .entries(S, "a", 2)
                .await
                .unwrap()
                .iter()
                .map(|e| e.0)
                .collect();
            assert_eq!(a, vec![3]);
            assert_eq!(tx.last_seq(S, "ab").await.unwrap(), Some(2));
            assert_eq!(tx.last_seq(S, "c").await.unwrap(), None);
        });
    }
}
