//! Writing exchange files (version 2) and naming them: a commune's own assessments, and the
//! province's consolidated file, which carries every record as its commune's file had it.

use serde::Serialize;

use super::format::{Consolidated, FileV2, HeaderV2, RecordV2, FORMAT_MARKER, FORMAT_VERSION};
use super::import::OriginalRecord;
use super::time::iso_utc;
use crate::domain::assessment::Assessment;
use crate::domain::history::{write_file_json, HistoryEntry};
use crate::domain::scoring::AssessmentScore;
use crate::domain::storage_format::StoredAssessment;

/// One assessment to export, with its save counter, (optionally) its computed score, and
/// whether it is a backup kept beside the copy in use.
#[derive(Debug, Clone, Copy)]
pub struct ExportEntry<'a> {
    pub assessment: &'a Assessment,
    pub revision: u64,
    pub score: Option<&'a AssessmentScore>,
    pub backup: bool,
    /// Its saved changes, oldest first (see [`crate::domain::history`]).
    pub history: &'a [HistoryEntry],
}

impl<'a> ExportEntry<'a> {
    pub fn from_stored(
        stored: &'a StoredAssessment,
        score: Option<&'a AssessmentScore>,
    ) -> ExportEntry<'a> {
        ExportEntry {
            assessment: &stored.assessment,
            revision: stored.revision,
            score,
            backup: false,
            history: &[],
        }
    }
}

/// The record of `entry`, with its checksum.
pub fn export_record(entry: &ExportEntry<'_>) -> RecordV2 {
    let mut record = RecordV2::new(entry.assessment, entry.revision, entry.score, entry.backup);
    record.history = entry.history.to_vec();
    record.sha256 = OriginalRecord::of(&record).sha256;
    record
}

/// The exchange file for `entries`, pretty-printed so it can be read in a text editor.
pub fn export_file(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    let file = FileV2 {
        format: FORMAT_MARKER.to_string(),
        format_version: FORMAT_VERSION,
        header: header(now_ms, None),
        assessments: entries.iter().map(export_record).collect(),
    };
    write_file_json(&file) + "\n"
}

fn header(now_ms: f64, consolidated: Option<Consolidated>) -> HeaderV2 {
    HeaderV2 {
        kind: None,
        app_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        exported_at: iso_utc(now_ms),
        consolidated,
    }
}

/// A province's consolidated file: the header naming the province and who made it, then each
/// record exactly as it was loaded (one per line), its checksum untouched.
pub fn consolidated_file(
    consolidated: Consolidated,
    records: &[&OriginalRecord],
    now_ms: f64,
) -> String {
    let mut file = ConsolidatedText::start(consolidated, now_ms);
    for record in records {
        file.push(record);
    }
    file.finish()
}

/// [`consolidated_file`] written a record at a time, so that thousands of records can be
/// written in slices of time.
pub struct ConsolidatedText {
    out: String,
    records: usize,
}

impl ConsolidatedText {
    pub fn start(consolidated: Consolidated, now_ms: f64) -> ConsolidatedText {
        #[derive(Serialize)]
        struct Head<'a> {
            format: &'a str,
            format_version: u32,
            #[serde(flatten)]
            header: HeaderV2,
        }
        let head = Head {
            format: FORMAT_MARKER,
            format_version: FORMAT_VERSION,
            header: header(now_ms, Some(consolidated)),
        };
        let mut out = serde_json::to_string_pretty(&head).expect("a header serializes");
        // "{\n  …\n}": the records go before the closing brace.
        let end = out.rfind('}').expect("an object ends with a brace");
        out.truncate(out[..end].trim_end().len());
        out.push_str(",\n  \"assessments\": [");
        ConsolidatedText { out, records: 0 }
    }

    pub fn push(&mut self, record: &OriginalRecord) {
        self.out.push_str(if self.records == 0 {
            "\n    "
        } else {
            ",\n    "
        });
        self.out.push_str(&record.to_json());
        self.records += 1;
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("\n  ]\n}\n");
        self.out
    }
}

/// `tong-hop_<mã tỉnh>_<n>-ban_<ngày>.json` (the date in Vietnam time).
pub fn consolidated_file_name(province_code: &str, count: usize, now_ms: f64) -> String {
    let date = &iso_utc(now_ms + VIETNAM_OFFSET_MS)[..10];
    format!(
        "tong-hop_{}_{count}-ban_{date}.json",
        file_name_part(province_code)
    )
}

/// `tu-danh-gia_<mã xã>_<năm>.json` for one assessment, `tu-danh-gia_<n>-ban_<ngày>.json` for
/// several (the date in Vietnam time, UTC+7, as the user sees it).
pub fn export_file_name(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    match entries {
        [one] => format!(
            "tu-danh-gia_{}_{}{}.json",
            file_name_part(&one.assessment.commune.code),
            one.assessment.year,
            if one.backup { "_ban-sao-luu" } else { "" }
        ),
        _ => {
            let date = &iso_utc(now_ms + VIETNAM_OFFSET_MS)[..10];
            format!("tu-danh-gia_{}-ban_{date}.json", entries.len())
        }
    }
}

pub(crate) const VIETNAM_OFFSET_MS: f64 = 7.0 * 3_600_000.0;

/// Codes come from files written by others: keep file names portable.
pub(crate) fn file_name_part(s: &str) -> String {
    let part: String = s
        .chars()
        .take(20)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if part.is_empty() {
        "khong-ma".to_string()
    } else {
        part
    }
}
