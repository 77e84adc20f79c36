//! The province's collection of loaded files ("Tổng hợp"): one entry per commune and year, a
//! compact [`DashboardRow`] for the table and a [`DashboardDoc`] with the whole assessment for
//! its results and report.
//!
//! Rows and documents are kept apart because they live in different browser stores: thousands
//! of rows fit in localStorage (about 5 MiB), thousands of whole documents do not. Each
//! document's row is also stored beside it in IndexedDB, written in the same transaction, for
//! a table too large for localStorage ([`StoredKeys`]).

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::aggregate::DashboardRow;
use super::criteria_registry::CriteriaRegistry;
use super::exchange::{find_conflict, Conflict, ImportedAssessment, Newer, OriginalRecord};
use super::scoring::score;
use super::storage_format::StoredAssessment;

/// Layout of [`DashboardDoc`] this build writes. Format 1 (still read) had no original record.
pub const DOC_FORMAT: u32 = 2;

/// Identifies a loaded assessment: the dashboard keeps one per commune and year. Commune codes
/// are checked against the official list on import, so a key is digits, `_` and digits.
pub fn row_key(commune_code: &str, year: u16) -> String {
    format!("{commune_code}_{year}")
}

/// The commune code and year a [`row_key`] was made of; `None` for any other text.
pub fn parse_row_key(key: &str) -> Option<(&str, u16)> {
    let (code, year) = key.rsplit_once('_')?;
    let year: u16 = year.parse().ok()?;
    let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
    (digits && row_key(code, year) == key).then_some((code, year))
}

impl DashboardRow {
    pub fn key(&self) -> String {
        row_key(&self.commune_code, self.year)
    }
}

/// A test for the row whose [`row_key`] is `key` that makes no key per row: a table of 10,000
/// rows is searched for one on every removal.
pub fn is_row(key: &str) -> impl Fn(&DashboardRow) -> bool + '_ {
    let parsed = parse_row_key(key);
    move |row| match parsed {
        Some((code, year)) => row.year == year && row.commune_code == code,
        None => row.key() == key,
    }
}

/// A loaded assessment in full, with what its row needs besides the assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardDoc {
    #[serde(rename = "v")]
    pub format: u32,
    /// Name of the file it was loaded from.
    #[serde(rename = "f")]
    pub source_file: String,
    /// When it was loaded, ms since the Unix epoch.
    #[serde(rename = "i")]
    pub imported_at: f64,
    #[serde(rename = "d")]
    pub stored: StoredAssessment,
    /// The record as its file had it, with its checksum, passed on untouched in the
    /// province's consolidated file; `None` for documents stored before (format 1).
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub original: Option<OriginalRecord>,
}

impl DashboardDoc {
    pub fn new(
        mut imported: ImportedAssessment,
        source_file: &str,
        imported_at: f64,
    ) -> DashboardDoc {
        let original = Some(std::mem::take(&mut imported.original));
        DashboardDoc {
            format: DOC_FORMAT,
            source_file: source_file.to_string(),
            imported_at,
            stored: imported.into_stored(),
            original,
        }
    }

    /// The record to pass on: as its file had it, or (for a document stored before files had a
    /// version 2) rewritten as version 2 with a checksum of its own.
    pub fn record(&self) -> OriginalRecord {
        self.original
            .clone()
            .unwrap_or_else(|| OriginalRecord::converted(&self.stored))
    }

    pub fn key(&self) -> String {
        let a = &self.stored.assessment;
        row_key(&a.commune.code, a.year)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a dashboard document serializes")
    }

    /// `None` for text that is not a document of a known layout (damaged, or written by a later
    /// build): the caller treats it as missing.
    pub fn decode(raw: &str) -> Option<DashboardDoc> {
        serde_json::from_str::<DashboardDoc>(raw)
            .ok()
            .filter(|d| (1..=DOC_FORMAT).contains(&d.format))
    }

    /// The row again, scored by this build; `None` when its criteria set is not known here.
    pub fn row(&self, known_sets: &CriteriaRegistry) -> Option<DashboardRow> {
        let a = &self.stored.assessment;
        let set = &*known_sets.find(&a.criteria_set)?.set;
        Some(DashboardRow {
            sha256: self
                .original
                .as_ref()
                .map_or_else(String::new, |o| o.sha256.clone()),
            ..DashboardRow::new(
                a,
                &score(set, a),
                Some(set),
                self.stored.revision,
                &self.source_file,
                self.imported_at,
            )
        })
    }
}

/// What happened to a row offered to the collection.
#[derive(Debug, Clone, PartialEq)]
pub enum Merge {
    /// A commune and year not loaded before.
    Added,
    /// The offered row is newer and took the place of the one loaded before.
    Replaced(Conflict),
    /// The row loaded before is newer, or the same edit: the offered one is left out.
    Skipped(Conflict),
}

impl Merge {
    /// Whether the offered row is now in the collection (its document must be stored).
    pub fn kept(&self) -> bool {
        matches!(self, Merge::Added | Merge::Replaced(_))
    }
}

impl fmt::Display for Merge {
    /// Vietnamese, for the list of loaded files; empty for [`Merge::Added`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Merge::Added => Ok(()),
            Merge::Replaced(c) => write!(f, "{c} Đã dùng bản trong tệp thay cho bản cũ."),
            Merge::Skipped(c) if c.newer == Newer::Same => {
                write!(f, "{c} Giữ bản đã nạp, bỏ qua bản trong tệp.")
            }
            Merge::Skipped(c) => write!(f, "{c} Giữ bản đã nạp, bỏ qua bản cũ hơn trong tệp."),
        }
    }
}

/// Adds each row unless the same commune and year is there already; then the copy edited
/// last (by edit time, then revision) stays, so loading files in any order gives the same
/// table. One outcome per offered row, in order. Linear in the rows: a province loads
/// thousands at once.
pub fn merge_rows(
    rows: &mut Vec<DashboardRow>,
    incoming: impl IntoIterator<Item = DashboardRow>,
) -> Vec<Merge> {
    RowsMerge::new(rows).merge(rows, incoming)
}

/// [`merge_rows`] for a table filled in runs: the index of its communes and years is made once
/// and kept between runs (made again for every run, it cost the most in the last runs of a
/// 15,000-row table). Only `merge` may change the table meanwhile.
pub struct RowsMerge {
    index: HashMap<(String, u16), usize>,
}

impl RowsMerge {
    pub fn new(rows: &[DashboardRow]) -> RowsMerge {
        RowsMerge {
            index: rows
                .iter()
                .enumerate()
                .map(|(i, r)| ((r.commune_code.clone(), r.year), i))
                .collect(),
        }
    }

    pub fn merge(
        &mut self,
        rows: &mut Vec<DashboardRow>,
        incoming: impl IntoIterator<Item = DashboardRow>,
    ) -> Vec<Merge> {
        incoming
            .into_iter()
            .map(|row| {
                let key = (row.commune_code.clone(), row.year);
                match self.index.get(&key) {
                    None => {
                        self.index.insert(key, rows.len());
                        rows.push(row);
                        Merge::Added
                    }
                    Some(&i) => {
                        let mut conflict = find_conflict(std::slice::from_ref(&rows[i]), &row)
                            .expect("the index holds the same commune and year");
                        conflict.existing_index = i;
                        if conflict.newer == Newer::Imported {
                            rows[i] = row;
                            Merge::Replaced(conflict)
                        } else {
                            Merge::Skipped(conflict)
                        }
                    }
                }
            })
            .collect()
    }
}

/// Where each row offered to [`merge_rows`] is in the table after it, if it was kept (`before`:
/// how many rows the table had): a row added goes at the end, a row replacing one takes its
/// place. A row kept then replaced by a later one of the same batch names the later one's place.
pub fn kept_places(before: usize, merges: &[Merge]) -> Vec<Option<usize>> {
    let mut added = before;
    merges
        .iter()
        .map(|merge| match merge {
            Merge::Added => {
                added += 1;
                Some(added - 1)
            }
            Merge::Replaced(conflict) => Some(conflict.existing_index),
            Merge::Skipped(_) => None,
        })
        .collect()
}

/// The rows of stored documents, for when the rows themselves were lost (localStorage full or
/// cleared) but the documents were kept; documents whose set is unknown are counted, not shown.
pub fn rows_from_docs(
    docs: impl IntoIterator<Item = DashboardDoc>,
    known_sets: &CriteriaRegistry,
) -> (Vec<DashboardRow>, usize) {
    let mut unknown_set = 0;
    let known: Vec<DashboardRow> = docs
        .into_iter()
        .filter_map(|doc| {
            let row = doc.row(known_sets);
            unknown_set += usize::from(row.is_none());
            row
        })
        .collect();
    let mut rows = Vec::with_capacity(known.len());
    merge_rows(&mut rows, known);
    (rows, unknown_set)
}

/// The same commune's assessment of the latest earlier year among the rows, for the comparison
/// chart of a loaded file's results.
pub fn previous_key(rows: &[DashboardRow], commune_code: &str, year: u16) -> Option<String> {
    rows.iter()
        .filter(|r| r.commune_code == commune_code && r.year < year)
        .max_by_key(|r| r.year)
        .map(DashboardRow::key)
}

/// Of `stored` (a store's keys, in its order), the runs of consecutive keys that hold every
/// key `wanted` keeps, each run at most `longest` keys long, from a wanted key to a wanted key,
/// and with at most `gap` unwanted keys in a row within it: a run is read as the range from its
/// first key to its last, in one transaction, and the unwanted entries in it are passed over.
/// A gap of 0 reads nothing unwanted (a province's communes are not one range of codes); a few
/// unwanted entries cost less than a transaction each for keys that alternate with others (the
/// rows a table lacks among those it has: a thousand transactions took three seconds).
pub fn runs_of(
    stored: &[String],
    wanted: impl Fn(&str) -> bool,
    longest: usize,
    gap: usize,
) -> Vec<&[String]> {
    let mut runs = Vec::new();
    // The run under way: its first and last wanted key.
    let mut run: Option<(usize, usize)> = None;
    for (i, key) in stored.iter().enumerate() {
        if !wanted(key) {
            continue;
        }
        run = match run {
            Some((from, last)) if i - from < longest && i - last - 1 <= gap => Some((from, i)),
            Some((from, last)) => {
                runs.push(&stored[from..=last]);
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    if let Some((from, last)) = run {
        runs.push(&stored[from..=last]);
    }
    runs
}

/// This tab's own changes of the table (an import, a removal, clearing it), each from its start
/// until the table is written again. A change starts from the table as stored, which other tabs
/// may have changed, unless another change of this tab is under way or the rows changed since it
/// began: the stored table then lacks what this tab did, and taking it would bring a removed row
/// back (two rows removed one right after the other from a table kept in parts did). Clearing
/// waits until no import or removal is under way: one still writing would store its rows and
/// documents again after the clear, and they would come back.
#[derive(Debug, Default)]
pub struct OwnChanges {
    under_way: usize,
    clearing: bool,
}

/// One change of [`OwnChanges`]: the count of row changes when it began.
#[derive(Debug, Clone, Copy)]
pub struct OwnChange {
    began_at: u64,
}

impl OwnChanges {
    /// A change begins, the rows having changed `changes` times so far.
    pub fn begin(&mut self, changes: u64) -> OwnChange {
        self.under_way += 1;
        OwnChange { began_at: changes }
    }

    /// Whether `change` may take the table as stored, the rows having changed `changes` times.
    pub fn may_take_stored(&self, change: OwnChange, changes: u64) -> bool {
        self.under_way == 1 && changes == change.began_at
    }

    /// A change is over: the table it made is written.
    pub fn end(&mut self) {
        self.under_way = self.under_way.saturating_sub(1);
    }

    /// Whether the whole table may be cleared now: no import or removal is under way.
    pub fn may_clear(&self) -> bool {
        self.under_way == 0
    }

    /// Clearing begins, if it may (see [`Self::may_clear`]).
    pub fn begin_clear(&mut self) -> bool {
        let may = self.may_clear();
        self.clearing |= may;
        may
    }

    /// Clearing is over: the stores have let go of everything.
    pub fn end_clear(&mut self) {
        self.clearing = false;
    }

    /// Whether a change of this tab is under way: another tab's change is read after it.
    pub fn busy(&self) -> bool {
        self.under_way > 0 || self.clearing
    }

    /// What to do with rows read from the stores (the table another tab left, rows the table
    /// lacks), read while the rows of this tab had changed `began_at` times, now `changes`.
    pub fn after_read(&self, began_at: u64, changes: u64) -> AfterRead {
        if self.busy() {
            AfterRead::AfterOwn
        } else if changes != began_at {
            AfterRead::Again
        } else {
            AfterRead::Take
        }
    }
}

/// See [`OwnChanges::after_read`].
#[derive(Debug, PartialEq, Eq)]
pub enum AfterRead {
    /// Put them in the table.
    Take,
    /// A change of this tab is under way: it started from the table as stored and writes it
    /// whole; the table is read again once it is over.
    AfterOwn,
    /// A change of this tab began and ended while they were read (clearing takes a moment):
    /// what was read lacks it, what is stored now has it; read again.
    Again,
}

/// The table in localStorage as this tab last wrote or read it whole: the text under the rows
/// key (the list of parts, or the rows of a one-part table) and the count of row changes then.
/// A change of this tab starts from the table as stored (other tabs may have changed it); when
/// it is still this one, reading and decoding it again (ten parts for 10,000 rows) is spared.
#[derive(Debug, Clone)]
pub struct KnownStored {
    pub list: String,
    pub change: u64,
}

impl KnownStored {
    /// Whether the table stored now (`stored`: the text under the rows key) is the rows of this
    /// tab as they were at change `found_at`: written or read by this tab at that change, and
    /// written by no tab since (a list names parts under keys of its own time, so no other write
    /// gives its text).
    pub fn is_stored(&self, stored: Option<&str>, found_at: u64) -> bool {
        self.change == found_at && stored == Some(self.list.as_str())
    }
}

/// Whether the table is worth writing into localStorage: a table that did not fit is not
/// tried again with as many rows or more — encoding and writing the parts of 15,000 rows only
/// to be refused cost a phone seconds of work at every change — until one of fewer rows, or
/// this tab opened again. The table stays out of localStorage meanwhile, as when it is
/// refused: it is read back from IndexedDB.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TableFit {
    refused_at: Option<usize>,
}

impl TableFit {
    pub fn worth_writing(&self, rows: usize) -> bool {
        self.refused_at.is_none_or(|refused| rows < refused)
    }

    /// A table was written: any size is worth trying again.
    pub fn written(&mut self) {
        self.refused_at = None;
    }

    /// A table of `rows` rows did not fit.
    pub fn refused(&mut self, rows: usize) {
        self.refused_at = Some(rows);
    }
}

/// The keys of the stored documents and of the stored rows, read at one moment, and how the
/// table is read back from them: each document's row where it is stored (a row is written only
/// in the same transaction as its document, so it is never older or newer than it), else the
/// document itself — stored before rows were, or a row that does not read.
#[derive(Debug)]
pub struct StoredKeys {
    docs: Vec<String>,
    rows: Vec<String>,
    has_doc: HashSet<String>,
    has_row: HashSet<String>,
    /// Entries the table already has: not read (see [`StoredKeys::lacking`]).
    known: HashSet<String>,
}

impl StoredKeys {
    /// `docs` and `rows`, each in its store's order.
    pub fn new(docs: Vec<String>, rows: Vec<String>) -> StoredKeys {
        StoredKeys {
            has_doc: docs.iter().cloned().collect(),
            has_row: rows.iter().cloned().collect(),
            docs,
            rows,
            known: HashSet::new(),
        }
    }

    /// Only the entries a table with the rows of `known` keys lacks are read: two tabs storing
    /// imports at the very same moment leave the rows of the last one only.
    pub fn lacking(self, known: HashSet<String>) -> StoredKeys {
        StoredKeys { known, ..self }
    }

    /// How many entries are to be read (one per stored document).
    pub fn count(&self) -> usize {
        self.docs
            .iter()
            .filter(|k| !self.known.contains(*k))
            .count()
    }

    /// The rows to read, in runs of consecutive keys of the rows' store (see [`runs_of`]); a
    /// run may hold rows not to read ([`Self::reads_row`]).
    pub fn row_runs(&self, longest: usize, gap: usize) -> Vec<&[String]> {
        runs_of(&self.rows, |k| self.reads_row(k), longest, gap)
    }

    /// Whether the row of `key` is read: its document is stored and the table lacks it.
    pub fn reads_row(&self, key: &str) -> bool {
        self.has_doc.contains(key) && !self.known.contains(key)
    }

    /// The documents to read, in runs of consecutive keys of the documents' store; a run may
    /// hold documents not to read ([`Self::reads_doc`]).
    pub fn doc_runs(
        &self,
        unreadable: &HashSet<String>,
        longest: usize,
        gap: usize,
    ) -> Vec<&[String]> {
        runs_of(&self.docs, |k| self.reads_doc(k, unreadable), longest, gap)
    }

    /// Whether the document of `key` is read: the table lacks it, and it has no row, or its
    /// row did not read (`unreadable`).
    pub fn reads_doc(&self, key: &str, unreadable: &HashSet<String>) -> bool {
        (!self.has_row.contains(key) || unreadable.contains(key)) && !self.known.contains(key)
    }

    /// Rows whose document is gone (a row put back while another tab removed its document):
    /// never read, to be removed.
    pub fn orphans(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|k| !self.has_doc.contains(*k))
            .cloned()
            .collect()
    }
}

/// One row's text as stored beside its document.
pub fn encode_row(row: &DashboardRow) -> String {
    serde_json::to_string(row).expect("a dashboard row serializes")
}

/// The row of [`encode_row`]'s text; `None` when it does not read (its document is read instead).
pub fn decode_row(text: &str) -> Option<DashboardRow> {
    serde_json::from_str(text).ok()
}

/// How many rows one part of the stored table holds (about 0.5 MB).
pub const ROWS_PER_PART: usize = 1000;

/// The table kept in localStorage when it has more than [`ROWS_PER_PART`] rows: the rows key
/// holds this list of parts, each a JSON array of rows under a key of its own. Parts are
/// written one task each (one `setItem` of 5,000 rows, 2.6 MB, held a phone's page for
/// 200 ms) and the list last, so that it never names a part not written yet; fewer rows are
/// one JSON array under the rows key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowParts {
    pub parts: Vec<String>,
    pub count: usize,
}

/// The key of part `i` of the table written as `generation`: a new generation never
/// overwrites the parts the list in place still names.
pub fn part_key(rows_key: &str, generation: u64, i: usize) -> String {
    format!("{rows_key}/{generation}/{i}")
}

/// What the rows key holds for a table of no rows. An empty table is written, not removed: no
/// table at all means «read the rows back from the documents» (one too large for localStorage,
/// or being written), so a tab that had not yet read another tab's «Xóa toàn bộ» would start
/// its next change from its own rows and write the cleared ones back.
pub const EMPTY_TABLE: &str = "[]";

/// What the rows key holds: the rows themselves, or the list of the parts that hold them.
#[derive(Debug, PartialEq)]
pub enum StoredTable {
    Rows(Vec<DashboardRow>),
    Parts(RowParts),
}

impl StoredTable {
    /// What `raw` (the rows key's text) holds; `None` when it is unreadable.
    pub fn read(raw: &str) -> Option<StoredTable> {
        if raw.trim_start().starts_with('[') {
            return serde_json::from_str(raw).ok().map(StoredTable::Rows);
        }
        serde_json::from_str(raw).ok().map(StoredTable::Parts)
    }
}

impl RowParts {
    /// The rows of one part's text; `None` when it is unreadable.
    pub fn read_part(text: &str) -> Option<Vec<DashboardRow>> {
        serde_json::from_str(text).ok()
    }

    /// `rows`, read from every part, if they are as many as the list says.
    pub fn complete(&self, rows: Vec<DashboardRow>) -> Option<Vec<DashboardRow>> {
        (rows.len() == self.count).then_some(rows)
    }
}

/// The rows read back from what the rows key holds, `part` reading a part's text; `None` when
/// anything is missing or unreadable (the table is then rebuilt from the documents).
pub fn read_rows(raw: &str, part: impl Fn(&str) -> Option<String>) -> Option<Vec<DashboardRow>> {
    let list = match StoredTable::read(raw)? {
        StoredTable::Rows(rows) => return Some(rows),
        StoredTable::Parts(list) => list,
    };
    let mut rows = Vec::with_capacity(list.count);
    for key in &list.parts {
        rows.extend(RowParts::read_part(&part(key)?)?);
    }
    list.complete(rows)
}

/// Of the keys under the table's parts (`<rows key>/…`), those the list `raw` does not name.
pub fn stale_parts(keys: Vec<String>, raw: Option<&str>) -> Vec<String> {
    let named = raw
        .and_then(|raw| serde_json::from_str::<RowParts>(raw).ok())
        .map(|list| list.parts)
        .unwrap_or_default();
    keys.into_iter().filter(|k| !named.contains(k)).collect()
}
