//! Every criteria set this browser knows, in one place: "which set does this assessment use" is
//! answered here and nowhere else.
//!
//! A set is identified by its id and version, and its content by a hash. A released version is
//! frozen: a different content under a known id and version is refused, so an assessment (or a
//! file) made with a version always finds that exact content again.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::assessment::CriteriaSetRef;
use crate::domain::builtin::builtin_sets;
use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_validate::{validate, CriteriaError};
use crate::domain::text::shorten;

/// Where a set came from, for the list of sets on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetOrigin {
    /// Compiled into the app.
    BuiltIn,
    /// Listed in `criteria/index.json` on the site hosting the app.
    Published { file: String },
    /// A file the user imported.
    Imported { file: String },
}

impl SetOrigin {
    pub fn label_vi(&self) -> String {
        match self {
            SetOrigin::BuiltIn => "có sẵn trong ứng dụng".into(),
            SetOrigin::Published { file } => format!("do trang web đăng tải (tệp «{file}»)"),
            SetOrigin::Imported { file } => format!("nhập từ tệp «{file}»"),
        }
    }
}

/// One known set: shared, never copied per screen.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisteredSet {
    pub set: Arc<CriteriaSet>,
    /// [`content_hash`] of `set`.
    pub hash: String,
    pub origin: SetOrigin,
    /// When this browser first got the set (ms since the Unix epoch); `None` for built-in sets.
    pub added_at: Option<f64>,
}

impl RegisteredSet {
    /// What an assessment made with this set records.
    pub fn reference(&self) -> CriteriaSetRef {
        CriteriaSetRef {
            id: self.set.id.clone(),
            version: self.set.version.clone(),
            hash: Some(self.hash.clone()),
        }
    }

    /// "qd-06-2019 phiên bản 1.0.0".
    pub fn label(&self) -> String {
        format!("{} phiên bản {}", self.set.id, self.set.version)
    }

    /// The first characters of the hash, enough for a person to compare two copies.
    pub fn short_hash(&self) -> &str {
        short_hash(&self.hash)
    }
}

/// The first 12 hex digits of a content hash.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The SHA-256 (lowercase hex) of the set's canonical JSON: the typed set written with object
/// members sorted by key, no whitespace, numbers as serde_json writes them. `examples` is left
/// out: worked examples test a set, they are not part of what it scores, so adding one needs no
/// new version. Optional fields absent from older sets are skipped when empty, so a field added
/// to the format later leaves the hash of existing sets unchanged.
pub fn content_hash(set: &CriteriaSet) -> String {
    // Through text rather than `to_value`: the app writes sets as text anyway, and a second
    // serializer for every type of the set would weigh on the download.
    let text = serde_json::to_string(set).expect("a criteria set is plain data");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("just written");
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("examples");
    }
    let mut canonical = String::new();
    write_canonical(&value, &mut canonical);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Sha256::digest(canonical.as_bytes())
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// Members sorted explicitly, so the form does not depend on serde_json's map type.
fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            super::sorting::sort_by(&mut members, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(member, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Orders versions made of numbers separated by dots ("1.0.10" after "1.0.9"); a missing part
/// counts as 0. Parts that are not numbers (only in sets that failed validation) compare as
/// text.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (a.split('.'), b.split('.'));
    loop {
        let order = match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => compare_part(x.unwrap_or("0"), y.unwrap_or("0")),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

fn compare_part(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// The version after `version` for a corrected set: its last number plus one ("1.0.0" →
/// "1.0.1"); `None` when the version is not made of numbers.
pub fn next_version(version: &str) -> Option<String> {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    *parts.last_mut()? += 1;
    Some(
        parts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// How [`CriteriaRegistry::add`] took a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// The same id, version and content was already known: nothing changes.
    AlreadyKnown,
}

/// Why a set was not added. Display gives the Vietnamese message.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    Invalid(Vec<CriteriaError>),
    /// A released version is frozen: this id and version are known with another content.
    ChangedContent {
        id: String,
        version: String,
        known_origin: SetOrigin,
    },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Invalid(errors) => {
                write!(f, "Bộ tiêu chí không hợp lệ: ")?;
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                write!(f, "{}.", list.join("; "))
            }
            Refused::ChangedContent {
                id,
                version,
                known_origin,
            } => {
                write!(
                    f,
                    "Bộ tiêu chí «{}» phiên bản {} đã có trên máy này ({}) với nội dung khác. Một \
                     phiên bản đã phát hành thì không được sửa, để các bản tự đánh giá đã làm theo \
                     nó không bị thay đổi: bộ đã sửa phải mang phiên bản mới",
                    shorten(id),
                    shorten(version),
                    known_origin.label_vi()
                )?;
                match next_version(version) {
                    Some(next) => write!(f, " (ví dụ {next})."),
                    None => write!(f, "."),
                }
            }
        }
    }
}

impl std::error::Error for Refused {}

/// Why an assessment's set cannot be found. Display names the set and version and says how to
/// get it.
#[derive(Debug, Clone, PartialEq)]
pub enum Unresolved {
    Missing {
        id: String,
        version: String,
        /// "id phiên bản v" of the sets this browser has.
        known: Vec<String>,
    },
    /// The browser has this id and version with another content than the one the assessment
    /// recorded (only possible with a set edited without a new version elsewhere).
    DifferentContent { id: String, version: String },
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::Missing { id, version, known } => {
                write!(
                    f,
                    "Bộ tiêu chí «{}» phiên bản {} chưa có trên máy này",
                    shorten(id),
                    shorten(version)
                )?;
                if !known.is_empty() {
                    write!(f, " (đang có: {})", known.join(", "))?;
                }
                write!(
                    f,
                    ". Hãy nhập tệp bộ tiêu chí đó ở màn hình «Các bản tự đánh giá» (mục «Nhập tệp \
                     bộ tiêu chí»), hoặc xin tệp từ Sở Y tế tỉnh."
                )
            }
            Unresolved::DifferentContent { id, version } => write!(
                f,
                "Bộ tiêu chí «{}» phiên bản {} trên máy này có nội dung khác với bộ đã dùng để \
                 đánh giá (mã nội dung không khớp). Hãy xin nơi gửi tệp bộ tiêu chí đúng mà họ \
                 đã dùng.",
                shorten(id),
                shorten(version)
            ),
        }
    }
}

impl std::error::Error for Unresolved {}

/// Why a set cannot be removed from this browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveRefused {
    BuiltIn,
    InUse { assessments: usize },
    NotFound,
}

impl fmt::Display for RemoveRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoveRefused::BuiltIn => {
                write!(f, "Bộ tiêu chí có sẵn trong ứng dụng không xóa được.")
            }
            RemoveRefused::InUse { assessments } => write!(
                f,
                "Không xóa được: {assessments} bản tự đánh giá trên máy này đang dùng bộ tiêu chí \
                 này."
            ),
            RemoveRefused::NotFound => write!(f, "Bộ tiêu chí này không còn trên máy."),
        }
    }
}

impl std::error::Error for RemoveRefused {}

/// The sets this browser knows, in the order they became known (built-in first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriteriaRegistry {
    entries: Vec<RegisteredSet>,
}

impl CriteriaRegistry {
    /// The sets compiled into the app.
    pub fn builtin() -> CriteriaRegistry {
        CriteriaRegistry::from_sets(builtin_sets())
    }

    /// Sets taken as built-in, without validation (tests and benchmarks build theirs this way);
    /// a later set with an id and version already given is left out.
    pub fn from_sets(sets: impl IntoIterator<Item = CriteriaSet>) -> CriteriaRegistry {
        let mut registry = CriteriaRegistry::default();
        for set in sets {
            if registry.get(&set.id, &set.version).is_none() {
                registry.entries.push(RegisteredSet {
                    hash: content_hash(&set),
                    set: Arc::new(set),
                    origin: SetOrigin::BuiltIn,
                    added_at: None,
                });
            }
        }
        registry
    }

    /// Adds a set after checking it; the same content again changes nothing, another content
    /// under a known id and version is refused.
    pub fn add(
        &mut self,
        set: CriteriaSet,
        origin: SetOrigin,
        now_ms: f64,
    ) -> Result<Added, Refused> {
        validate(&set).map_err(Refused::Invalid)?;
        let hash = content_hash(&set);
        if let Some(known) = self.get(&set.id, &set.version) {
            return if known.hash == hash {
                Ok(Added::AlreadyKnown)
            } else {
                Err(Refused::ChangedContent {
                    id: set.id,
                    version: set.version,
                    known_origin: known.origin.clone(),
                })
            };
        }
        self.entries.push(RegisteredSet {
            set: Arc::new(set),
            hash,
            origin,
            added_at: Some(now_ms),
        });
        Ok(Added::New)
    }

    /// The set an assessment (or a file) was made with: same id and version and, when the
    /// reference recorded it, the same content.
    pub fn resolve(&self, wanted: &CriteriaSetRef) -> Result<&RegisteredSet, Unresolved> {
        let found = self
            .get(&wanted.id, &wanted.version)
            .ok_or_else(|| Unresolved::Missing {
                id: wanted.id.clone(),
                version: wanted.version.clone(),
                known: self.entries.iter().map(RegisteredSet::label).collect(),
            })?;
        match &wanted.hash {
            Some(hash) if *hash != found.hash => Err(Unresolved::DifferentContent {
                id: wanted.id.clone(),
                version: wanted.version.clone(),
            }),
            _ => Ok(found),
        }
    }

    /// [`Self::resolve`] when only success matters.
    pub fn find(&self, wanted: &CriteriaSetRef) -> Option<&RegisteredSet> {
        self.resolve(wanted).ok()
    }

    pub fn get(&self, id: &str, version: &str) -> Option<&RegisteredSet> {
        self.entries
            .iter()
            .find(|e| e.set.id == id && e.set.version == version)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RegisteredSet> {
        self.entries.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The newest version of the same set, when it is newer than the referenced one.
    pub fn newer_than(&self, current: &CriteriaSetRef) -> Option<&RegisteredSet> {
        self.newest(&current.id)
            .filter(|e| compare_versions(&e.set.version, &current.version) == Ordering::Greater)
    }

    /// The highest version known of a set id.
    pub fn newest(&self, id: &str) -> Option<&RegisteredSet> {
        self.entries
            .iter()
            .filter(|e| e.set.id == id)
            .max_by(|a, b| compare_versions(&a.set.version, &b.set.version))
    }

    /// What a new assessment uses unless the user chooses: the newest version of the first
    /// set (the built-in decision).
    pub fn default_for_new(&self) -> Option<&RegisteredSet> {
        self.newest(&self.entries.first()?.set.id)
    }

    /// Forgets a set; `in_use` is how many stored assessments refer to it.
    pub fn remove(
        &mut self,
        id: &str,
        version: &str,
        in_use: usize,
    ) -> Result<RegisteredSet, RemoveRefused> {
        let position = self
            .entries
            .iter()
            .position(|e| e.set.id == id && e.set.version == version)
            .ok_or(RemoveRefused::NotFound)?;
        if self.entries[position].origin == SetOrigin::BuiltIn {
            return Err(RemoveRefused::BuiltIn);
        }
        if in_use > 0 {
            return Err(RemoveRefused::InUse {
                assessments: in_use,
            });
        }
        Ok(self.entries.remove(position))
    }
}

/// The layout of a set kept in the browser.
pub const STORED_SET_FORMAT: u32 = 1;

/// A set as this browser keeps it, so that it stays available offline and across visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSet {
    pub format: u32,
    pub origin: SetOrigin,
    pub added_at: f64,
    /// The content hash when stored: a copy that no longer matches it was damaged.
    pub hash: String,
    pub set: CriteriaSet,
}

/// Why a kept set could not be taken back. Display gives the Vietnamese message.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredSetError {
    /// Not readable (damaged, or written by a later version of the app).
    Unreadable(String),
    /// The content no longer matches the hash written with it.
    Damaged {
        id: String,
        version: String,
    },
    Refused(Refused),
}

impl fmt::Display for StoredSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredSetError::Unreadable(detail) => write!(
                f,
                "Một bộ tiêu chí lưu trên máy không đọc được ({detail}); bản lưu được giữ \
                 nguyên."
            ),
            StoredSetError::Damaged { id, version } => write!(
                f,
                "Bộ tiêu chí «{}» phiên bản {} lưu trên máy đã bị hỏng (mã nội dung không khớp) \
                 nên không dùng; hãy nhập lại tệp bộ tiêu chí đó.",
                shorten(id),
                shorten(version)
            ),
            StoredSetError::Refused(refused) => write!(f, "{refused}"),
        }
    }
}

impl RegisteredSet {
    /// What this browser keeps of a set it was given; `None` for built-in sets, which the app
    /// always has.
    pub fn to_stored(&self) -> Option<StoredSet> {
        (self.origin != SetOrigin::BuiltIn).then(|| StoredSet {
            format: STORED_SET_FORMAT,
            origin: self.origin.clone(),
            added_at: self.added_at.unwrap_or(0.0),
            hash: self.hash.clone(),
            set: (*self.set).clone(),
        })
    }

    /// The key it is kept under: `<id>@<version>`.
    pub fn store_key(&self) -> String {
        store_key(&self.set.id, &self.set.version)
    }
}

pub fn store_key(id: &str, version: &str) -> String {
    format!("{id}@{version}")
}

impl CriteriaRegistry {
    /// Takes back a set kept in this browser, with its origin and date, after the same checks
    /// as any new set plus its stored hash.
    pub fn restore(&mut self, raw: &str) -> Result<Added, StoredSetError> {
        let stored: StoredSet = serde_json::from_str(raw).map_err(|e| {
            StoredSetError::Unreadable(
                crate::domain::messages::JsonErrorAt::new(&e, raw).to_string(),
            )
        })?;
        if stored.format != STORED_SET_FORMAT {
            return Err(StoredSetError::Unreadable(format!(
                "định dạng {}",
                stored.format
            )));
        }
        if content_hash(&stored.set) != stored.hash {
            return Err(StoredSetError::Damaged {
                id: stored.set.id,
                version: stored.set.version,
            });
        }
        self.add(stored.set, stored.origin, stored.added_at)
            .map_err(StoredSetError::Refused)
    }
}
