//! Writing exchange files and naming them.

use super::canonical::record_checksum;
use super::format::{ExchangeFile, ExchangeRecord, ScoreSummary, FORMAT_MARKER, FORMAT_VERSION};
use super::time::iso_utc;
use crate::domain::assessment::Assessment;
use crate::domain::scoring::AssessmentScore;
use crate::domain::storage_format::StoredAssessment;

/// One assessment to export, with its save counter and (optionally) its computed score.
#[derive(Debug, Clone, Copy)]
pub struct ExportEntry<'a> {
    pub assessment: &'a Assessment,
    pub revision: u64,
    pub score: Option<&'a AssessmentScore>,
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
        }
    }
}

/// The exchange file for `entries`, pretty-printed so it can be read in a text editor.
pub fn export_file(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    let file = ExchangeFile {
        format: FORMAT_MARKER.to_string(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: iso_utc(now_ms),
        assessments: entries
            .iter()
            .map(|e| {
                let mut record = ExchangeRecord {
                    sha256: String::new(),
                    revision: e.revision,
                    assessment: e.assessment.clone(),
                    score: e.score.map(ScoreSummary::from),
                };
                record.sha256 = record_checksum(&record);
                record
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file).expect("an exchange file serializes") + "\n"
}

/// `tu-danh-gia_<mã xã>_<năm>.json` for one assessment, `tu-danh-gia_<n>-ban_<ngày>.json` for
/// several (the date in Vietnam time, UTC+7, as the user sees it).
pub fn export_file_name(entries: &[ExportEntry<'_>], now_ms: f64) -> String {
    match entries {
        [one] => format!(
            "tu-danh-gia_{}_{}.json",
            file_name_part(&one.assessment.commune.code),
            one.assessment.year
        ),
        _ => {
            let date = &iso_utc(now_ms + VIETNAM_OFFSET_MS)[..10];
            format!("tu-danh-gia_{}-ban_{date}.json", entries.len())
        }
    }
}

pub(super) const VIETNAM_OFFSET_MS: f64 = 7.0 * 3_600_000.0;

/// Codes come from files written by others: keep file names portable.
fn file_name_part(s: &str) -> String {
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
