//! Two copies of one commune's assessment for one year: which is newer.

use std::fmt;

use super::errors::shorten;
use super::export::VIETNAM_OFFSET_MS;
use super::import::ImportedAssessment;
use super::time::iso_utc;
use crate::domain::storage_format::StoredAssessment;

/// What conflict detection needs to know about a copy of an assessment.
pub trait Versioned {
    fn commune_code(&self) -> &str;
    fn year(&self) -> u16;
    fn revision(&self) -> u64;
    /// Last edit, ms since the Unix epoch.
    fn updated_at(&self) -> f64;
}

impl Versioned for StoredAssessment {
    fn commune_code(&self) -> &str {
        &self.assessment.commune.code
    }
    fn year(&self) -> u16 {
        self.assessment.year
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn updated_at(&self) -> f64 {
        self.updated_at
    }
}

impl Versioned for ImportedAssessment {
    fn commune_code(&self) -> &str {
        &self.assessment.commune.code
    }
    fn year(&self) -> u16 {
        self.assessment.year
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn updated_at(&self) -> f64 {
        self.assessment.updated_at
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VersionInfo {
    pub revision: u64,
    pub updated_at: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newer {
    Existing,
    Imported,
    /// Same edit time and revision: most likely the same file loaded twice.
    Same,
}

/// An imported assessment for a commune and year that is already loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub commune_code: String,
    pub year: u16,
    /// Position of the existing copy in the list given to [`find_conflict`].
    pub existing_index: usize,
    pub existing: VersionInfo,
    pub imported: VersionInfo,
    /// By edit time, then by revision.
    pub newer: Newer,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let describe = |v: &VersionInfo| {
            format!(
                "sửa lần {}, lúc {} (giờ Việt Nam)",
                v.revision,
                iso_utc(v.updated_at + VIETNAM_OFFSET_MS)[..16].replace('T', " ")
            )
        };
        write!(
            f,
            "Đã có bản đánh giá của đơn vị mã {} năm {} ({}); bản trong tệp: {}. ",
            shorten(&self.commune_code),
            self.year,
            describe(&self.existing),
            describe(&self.imported)
        )?;
        match self.newer {
            Newer::Existing => write!(f, "Bản đang có mới hơn."),
            Newer::Imported => write!(f, "Bản trong tệp mới hơn."),
            Newer::Same => write!(f, "Hai bản có cùng thời điểm sửa, có thể là một."),
        }
    }
}

fn version_of(v: &impl Versioned) -> VersionInfo {
    VersionInfo {
        revision: v.revision(),
        updated_at: v.updated_at(),
    }
}

/// The first existing copy with the same commune code and year as `imported`, if any.
pub fn find_conflict<T: Versioned>(existing: &[T], imported: &impl Versioned) -> Option<Conflict> {
    let (existing_index, other) = existing.iter().enumerate().find(|(_, e)| {
        e.commune_code() == imported.commune_code() && e.year() == imported.year()
    })?;
    let existing_info = version_of(other);
    let imported_info = version_of(imported);
    let order = existing_info
        .updated_at
        .total_cmp(&imported_info.updated_at)
        .then(existing_info.revision.cmp(&imported_info.revision));
    Some(Conflict {
        commune_code: imported.commune_code().to_string(),
        year: imported.year(),
        existing_index,
        existing: existing_info,
        imported: imported_info,
        newer: match order {
            std::cmp::Ordering::Greater => Newer::Existing,
            std::cmp::Ordering::Less => Newer::Imported,
            std::cmp::Ordering::Equal => Newer::Same,
        },
    })
}
