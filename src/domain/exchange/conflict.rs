//! Two copies of one commune's assessment for one year: which is newer.

use std::fmt;

use super::errors::shorten;
use super::export::VIETNAM_OFFSET_MS;
use super::import::ImportedAssessment;
use super::time::iso_utc;
use crate::domain::assessment::Assessment;
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

/// What importing one record does to the user's own list and its backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// A commune and year not in the list: added.
    Add,
    /// This content is there already, in use or kept as a backup: nothing changes.
    Unchanged,
    /// The copy in use is newer, or the same edit: the incoming one is kept as a backup.
    KeepAsBackup,
    /// The incoming copy is newer: it takes the place of the copy in use, which is kept as a
    /// backup.
    Replace,
    /// A backup the sender kept beside its copy in use: kept as a backup here too.
    AddBackup,
}

/// The decision for `incoming` (a backup when `incoming_backup`), given the copy in use for its
/// commune and year and the backups kept for them. Never a silent overwrite: whatever is not
/// in use afterwards is a backup.
pub fn settle(
    current: Option<&StoredAssessment>,
    backups: &[&StoredAssessment],
    incoming: &StoredAssessment,
    incoming_backup: bool,
) -> Settle {
    let same = |copy: &StoredAssessment| same_content(copy, incoming);
    if current.is_some_and(same) || backups.iter().any(|b| same(b)) {
        return Settle::Unchanged;
    }
    if incoming_backup {
        return Settle::AddBackup;
    }
    match current.and_then(|c| find_conflict(std::slice::from_ref(c), incoming)) {
        None => Settle::Add,
        Some(c) if c.newer == Newer::Imported => Settle::Replace,
        Some(_) => Settle::KeepAsBackup,
    }
}

/// The same assessment, whatever local id each browser gave it.
pub fn same_content(a: &StoredAssessment, b: &StoredAssessment) -> bool {
    // Destructured without `..`: a member added to the assessment must be compared here too.
    let Assessment {
        id: _,
        criteria_set,
        commune,
        unit_category,
        year,
        assessor,
        answers,
        recorded_max,
        created_at,
        updated_at,
        set_moves,
    } = &a.assessment;
    let b = &b.assessment;
    criteria_set.same_set(&b.criteria_set)
        && *commune == b.commune
        && *unit_category == b.unit_category
        && *year == b.year
        && *assessor == b.assessor
        && *answers == b.answers
        && *recorded_max == b.recorded_max
        && *created_at == b.created_at
        && *updated_at == b.updated_at
        && *set_moves == b.set_moves
}

/// The user's own list as an import sees it: the copies in use and the backups. The browser
/// keeps them in its storage and applies the same [`settle`]; this plain form lets the tests
/// run whole round trips (export everything, import it elsewhere) natively.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collection {
    pub current: Vec<StoredAssessment>,
    pub backups: Vec<StoredAssessment>,
}

impl Collection {
    /// Settles one imported record into the collection.
    pub fn import(&mut self, imported: ImportedAssessment) -> Settle {
        let backup = imported.backup;
        let incoming = imported.into_stored();
        let key = |s: &StoredAssessment| (s.assessment.commune.code.clone(), s.assessment.year);
        let wanted = key(&incoming);
        let at = self.current.iter().position(|c| key(c) == wanted);
        let kept: Vec<&StoredAssessment> =
            self.backups.iter().filter(|b| key(b) == wanted).collect();
        let decision = settle(at.map(|i| &self.current[i]), &kept, &incoming, backup);
        match decision {
            Settle::Add => self.current.push(incoming),
            Settle::Unchanged => {}
            Settle::KeepAsBackup | Settle::AddBackup => self.backups.push(incoming),
            // `settle` replaces only a copy in use.
            Settle::Replace => {
                if let Some(i) = at {
                    let previous = std::mem::replace(&mut self.current[i], incoming);
                    self.backups.push(previous);
                }
            }
        }
        decision
    }
}
