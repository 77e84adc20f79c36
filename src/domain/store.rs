//! The small storage trait the data-safety rules are written against, the one list of stores
//! (the schema), and the typed error every backend reports.
//!
//! A backend is a set of named stores of text values under keys, with transactions that are
//! atomic: all their writes land, or none. In the browser that is IndexedDB
//! (`src/adapters/idb.rs`), or localStorage where IndexedDB is unavailable
//! (`src/adapters/storage.rs`); natively, and as the last resort in a browser that stores nothing,
//! [`super::store_memory::MemoryBackend`]. The rules themselves (revisions, conflicts, backups,
//! set-aside, migrations) are in [`super::doc_store`], which only sees this trait.

use std::fmt;

/// One IndexedDB database for the whole app.
pub const DB_NAME: &str = "xa-tre-em";

/// The stores. Adding one: append it to [`STORES`] and bump [`DB_VERSION`]; the upgrade creates
/// whatever store is missing, so every older database reaches the current layout in one step.
pub mod stores {
    /// The dashboard's whole documents, by row key (the exchange side owns their content).
    pub const DASHBOARD_DOCS: &str = "tong-hop";
    /// The dashboard's compact row of each document, by the same key, written in the same
    /// transaction as the document: a table too large for localStorage reads these back
    /// instead of every whole document.
    pub const DASHBOARD_ROWS: &str = "tong-hop-dong";
    /// Snapshots of the assessments, by id.
    pub const ASSESSMENTS: &str = "danh-gia";
    /// Change records of the assessments, by (id, seq): their history.
    pub const ASSESSMENT_CHANGES: &str = "danh-gia-thay-doi";
    /// What Home lists of each assessment (unit, year, set, times), by id: written with every
    /// change, so a start lists thousands without reading them whole.
    pub const ASSESSMENT_SUMMARIES: &str = "danh-gia-tom-tat";
    /// Whole copies kept aside (the losing side of a conflict, an import's spare copy), by
    /// `<id>/<ms>[-n]`.
    pub const BACKUPS: &str = "sao-luu";
    /// The raw text of entries that could not be read, by `<id>/<ms>[-n]`, never overwritten.
    pub const SET_ASIDE: &str = "hong";
    /// When each assessment was last exported, by id.
    pub const EXPORTS: &str = "da-xuat";
    /// Unsaved forms (a new assessment, "Thông tin chung", the criteria editor), by form name.
    pub const DRAFTS: &str = "nhap";
    /// Criteria sets this browser has loaded, by `<id>@<version>` (the criteria side owns them).
    pub const CRITERIA_SETS: &str = "bo-tieu-chi";
    /// Snapshots and change records of appraisals, as for assessments.
    pub const APPRAISALS: &str = "tham-dinh";
    pub const APPRAISAL_CHANGES: &str = "tham-dinh-thay-doi";
    /// The history an imported file carried for a document, by document id (the appraisal side
    /// owns its content); removed with the document.
    pub const IMPORTED_HISTORY: &str = "lich-su-nhap";
}

/// How a store is keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A text key ([`Key::Name`]).
    Name,
    /// A document id and a sequence number ([`Key::Seq`]), read by document.
    Seq,
}

/// Version 1 had only the dashboard's store; version 2 had no summaries of the assessments;
/// version 3 had no rows of the dashboard.
pub const DB_VERSION: u32 = 4;

pub const STORES: &[(&str, KeyKind)] = &[
    (stores::DASHBOARD_DOCS, KeyKind::Name),
    (stores::ASSESSMENTS, KeyKind::Name),
    (stores::ASSESSMENT_CHANGES, KeyKind::Seq),
    (stores::BACKUPS, KeyKind::Name),
    (stores::SET_ASIDE, KeyKind::Name),
    (stores::EXPORTS, KeyKind::Name),
    (stores::DRAFTS, KeyKind::Name),
    (stores::CRITERIA_SETS, KeyKind::Name),
    (stores::APPRAISALS, KeyKind::Name),
    (stores::APPRAISAL_CHANGES, KeyKind::Seq),
    (stores::IMPORTED_HISTORY, KeyKind::Name),
    (stores::ASSESSMENT_SUMMARIES, KeyKind::Name),
    (stores::DASHBOARD_ROWS, KeyKind::Name),
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Name(String),
    Seq(String, u64),
}

impl Key {
    pub fn name(name: impl Into<String>) -> Key {
        Key::Name(name.into())
    }

    /// The text of a [`Key::Name`]; a `Seq` key reads as `<id>/<seq>`.
    pub fn text(&self) -> String {
        match self {
            Key::Name(n) => n.clone(),
            Key::Seq(id, seq) => format!("{id}/{seq}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// Why the browser's storage refused. Display is not used for users: [`StoreError::message_vi`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No usable storage: private mode, blocked by policy, a very old browser.
    Unavailable(String),
    /// The site's share of the disk (or localStorage's 5 MiB) is used up.
    QuotaExceeded,
    /// The database was upgraded by a newer version of the app: this one must not touch it.
    NewerVersion,
    /// Any other refusal, with the browser's own words.
    Failed(String),
    /// The app's code that writes (a part of its module fetched on first use) could not be
    /// fetched: nothing was asked of the store.
    CodeNotLoaded,
}

impl StoreError {
    pub fn message_vi(&self) -> String {
        match self {
            StoreError::Unavailable(detail) => format!(
                "Trình duyệt không cho lưu dữ liệu trên máy ({detail}); thường do chế độ ẩn danh \
                 hoặc chính sách của máy. Mọi thay đổi chỉ nằm trong thẻ này: hãy xuất tệp JSON \
                 trước khi đóng thẻ."
            ),
            StoreError::QuotaExceeded => "Bộ nhớ của trình duyệt dành cho trang này đã đầy, chưa \
                 lưu được thay đổi. Thay đổi vẫn còn trong thẻ này: hãy xuất tệp JSON để giữ lại, \
                 rồi xóa bớt các bản không cần hoặc giải phóng dung lượng máy."
                .into(),
            StoreError::NewerVersion => "Dữ liệu trên máy đã được một phiên bản mới hơn của ứng \
                 dụng nâng cấp; phiên bản đang chạy không ghi vào đó để khỏi làm hỏng. Hãy tải lại \
                 trang để dùng phiên bản mới."
                .into(),
            StoreError::Failed(detail) => format!(
                "Trình duyệt từ chối ghi hoặc đọc dữ liệu ({detail}). Hãy xuất tệp JSON để giữ lại \
                 thay đổi."
            ),
            StoreError::CodeNotLoaded => "Chưa tải được phần ứng dụng dùng để lưu (có thể do \
                 mạng), chưa lưu được thay đổi. Thay đổi vẫn còn trong thẻ này và được thử lưu lại \
                 sau vài giây."
                .into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_vi())
    }
}

impl std::error::Error for StoreError {}

/// Opens transactions. Single-threaded by design (the browser's main thread), so the futures
/// need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Backend {
    type Tx: Transaction;
    /// Starts one atomic unit of work over `stores`.
    async fn begin(&self, stores: &[&'static str], mode: Mode) -> Result<Self::Tx, StoreError>;
}

/// One transaction. Reads see what was committed before it began and its own writes; writes
/// are kept until [`Transaction::commit`], which stores all of them or none. Between its awaits
/// a caller must not wait for anything else (IndexedDB ends a transaction left idle).
#[allow(async_fn_in_trait)]
pub trait Transaction {
    async fn get(&mut self, store: &str, key: &Key) -> Result<Option<String>, StoreError>;
    /// Every entry of the store, in key order.
    async fn all(&mut self, store: &str) -> Result<Vec<(Key, String)>, StoreError>;
    /// Every key of the store, in order.
    async fn keys(&mut self, store: &str) -> Result<Vec<Key>, StoreError>;
    /// The entries of document `id` numbered `from` or more, in order (a [`KeyKind::Seq`] store).
    async fn entries(
        &mut self,
        store: &str,
        id: &str,
        from: u64,
    ) -> Result<Vec<(u64, String)>, StoreError>;
    /// [`Transaction::entries`] of several documents, `(id, from)` each, in the same order.
    /// A backend with a cost per request sends them all before waiting for the first.
    async fn entries_many(
        &mut self,
        store: &str,
        wanted: &[(String, u64)],
    ) -> Result<Vec<Vec<(u64, String)>>, StoreError> {
        let mut out = Vec::with_capacity(wanted.len());
        for (id, from) in wanted {
            out.push(self.entries(store, id, *from).await?);
        }
        Ok(out)
    }
    /// The entries of a [`KeyKind::Name`] store under `keys`, consecutive keys in the order
    /// [`Transaction::keys`] gave them; those gone meanwhile are left out. A backend that can
    /// read a range of keys reads them in one request.
    async fn run_of(
        &mut self,
        store: &str,
        keys: &[String],
    ) -> Result<Vec<(Key, String)>, StoreError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let key = Key::name(key);
            if let Some(value) = self.get(store, &key).await? {
                out.push((key, value));
            }
        }
        Ok(out)
    }
    /// The highest number of document `id`, if it has any entry.
    async fn last_seq(&mut self, store: &str, id: &str) -> Result<Option<u64>, StoreError>;
    fn put(&mut self, store: &str, key: Key, value: String);
    fn delete(&mut self, store: &str, key: Key);
    /// Removes every entry of document `id` (a [`KeyKind::Seq`] store).
    fn delete_entries(&mut self, store: &str, id: &str);
    /// Stores every write, or none; `Ok` only once the data is committed.
    async fn commit(self) -> Result<(), StoreError>;
}
