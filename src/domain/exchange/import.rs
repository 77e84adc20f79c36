//! Reading a file: its header first, then every record, checked and scored again.

use std::collections::HashMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::checks::check_record;
use super::errors::{shorten, ForeignFile, ImportError, ImportWarning};
use super::format::{ExchangeFile, ScoreSummary, FORMAT_MARKER, FORMAT_VERSION};
use super::limits::MAX_IMPORT_BYTES;
use super::time::parse_iso_utc;
use crate::domain::assessment::Assessment;
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::messages::JsonErrorAt;
use crate::domain::scoring::{score, AssessmentScore};
use crate::domain::storage_format::{StoredAssessment, STORAGE_FORMAT};

/// An assessment read from a file, checked, with its score recomputed by this build.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAssessment {
    pub assessment: Assessment,
    pub revision: u64,
    /// Computed here from the answers and the known criteria set.
    pub score: AssessmentScore,
    /// What the sender's app had computed, as written in the file.
    pub file_score: Option<ScoreSummary>,
    pub exported_at_ms: f64,
    /// Version of the app that wrote the file.
    pub app_version: String,
    pub warnings: Vec<ImportWarning>,
}

impl ImportedAssessment {
    /// A local copy: keeps the sender's revision and edit time, never exported from here.
    pub fn into_stored(self) -> StoredAssessment {
        StoredAssessment {
            format: STORAGE_FORMAT,
            revision: self.revision,
            updated_at: self.assessment.updated_at,
            last_exported_at: None,
            assessment: self.assessment,
        }
    }
}

/// Reads an exchange file, checks everything this build can check, and recomputes the scores.
/// The whole file is refused on the first problem, so a province never loads half a file.
pub fn import_file(
    bytes: &[u8],
    known_sets: &CriteriaRegistry,
) -> Result<Vec<ImportedAssessment>, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    // Notepad on Windows adds a byte-order mark when saving.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let top: TopLevel =
        serde_json::from_str(text).map_err(|e| ImportError::Syntax(JsonErrorAt::new(&e, text)))?;
    check_header(top)?;
    let file: ExchangeFile = serde_json::from_str(text)
        .map_err(|e| ImportError::Structure(JsonErrorAt::new(&e, text)))?;
    let exported_at_ms =
        parse_iso_utc(&file.exported_at).ok_or_else(|| ImportError::BadExportedAt {
            found: file.exported_at.clone(),
        })?;
    if file.assessments.is_empty() {
        return Err(ImportError::NoAssessments);
    }
    let mut seen: HashMap<(String, u16), usize> = HashMap::new();
    let mut imported = Vec::with_capacity(file.assessments.len());
    for (i, record) in file.assessments.into_iter().enumerate() {
        let index = i + 1;
        let a = &record.assessment;
        let (set, mut warnings) =
            check_record(&record, known_sets).map_err(|error| ImportError::Entry {
                index,
                label: format!(
                    "{} - mã {}, năm {}",
                    shorten(&a.commune.name),
                    shorten(&a.commune.code),
                    a.year
                ),
                error,
            })?;
        let key = (a.commune.code.clone(), a.year);
        if let Some(&first) = seen.get(&key) {
            return Err(ImportError::Duplicate {
                commune_code: key.0,
                year: key.1,
                first,
                second: index,
            });
        }
        seen.insert(key, index);
        let computed = score(set, a);
        if let Some(in_file) = record.score.as_ref().map(|s| s.total) {
            if in_file != computed.total {
                warnings.push(ImportWarning::ScoreDiffers {
                    in_file,
                    computed: computed.total,
                });
            }
        }
        imported.push(ImportedAssessment {
            assessment: record.assessment,
            revision: record.revision,
            score: computed,
            file_score: record.score,
            exported_at_ms,
            app_version: file.app_version.clone(),
            warnings,
        });
    }
    Ok(imported)
}

/// Marker and version, read before the typed parse so that a file of another kind or a newer
/// version gets its own message instead of a list of unknown fields.
fn check_header(top: TopLevel) -> Result<(), ImportError> {
    let TopLevel::Object(header) = top else {
        return Err(ImportError::NotOurFormat { looks_like: None });
    };
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT_MARKER) {
        let looks_like = if header.criteria && header.unit_categories {
            Some(ForeignFile::CriteriaSet)
        } else if header.assessment || (header.criteria_set && header.commune) {
            Some(ForeignFile::StoredCopy)
        } else {
            None
        };
        return Err(ImportError::NotOurFormat { looks_like });
    }
    let version = header.format_version;
    match version.as_ref().and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        // Version 1 is the first; when a version 2 exists, older files are migrated here.
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(ImportError::NewerFormat { found: v }),
        _ => Err(ImportError::BadFormatVersion {
            found: version.map_or_else(|| "không có".to_string(), |v| v.to_string()),
        }),
    }
}

/// A file's top level as far as [`check_header`] needs it. Reading it checks the whole text
/// exactly as parsing a `serde_json::Value` would (numbers in range, string escapes, nesting
/// depth), so syntax errors are still reported first, but keeps only the few members below:
/// building a `Value` of the whole file cost more than the typed parse after it.
enum TopLevel {
    Object(Header),
    /// An array, a string, a number …
    Other,
}

/// Top-level members; for a repeated key the last one counts, as in a `Value`.
#[derive(Default)]
struct Header {
    format: Option<Value>,
    format_version: Option<Value>,
    /// Present in a criteria set (both) or in a browser's stored copy (the others).
    criteria: bool,
    unit_categories: bool,
    assessment: bool,
    criteria_set: bool,
    commune: bool,
}

/// Any JSON value, read and checked like a `Value` but not kept. serde's `IgnoredAny` skips
/// values without checking numbers or escapes, which would let a file with `1e999` in a
/// member the typed parse ignores through.
struct Checked;

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TopLevel, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Checked, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

/// Every kind of scalar JSON has gives `$value`.
macro_rules! accept_scalars {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

fn check_elements<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<Checked>()?.is_some() {}
    Ok(())
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept_scalars!(Checked);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Checked, A::Error> {
        check_elements(seq).map(|()| Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept_scalars!(TopLevel::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TopLevel, A::Error> {
        check_elements(seq).map(|()| TopLevel::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut header = Header::default();
        while let Some(key) = map.next_key::<HeaderKey>()? {
            match key {
                HeaderKey::Format => header.format = Some(map.next_value()?),
                HeaderKey::FormatVersion => header.format_version = Some(map.next_value()?),
                other => {
                    map.next_value::<Checked>()?;
                    match other {
                        HeaderKey::Criteria => header.criteria = true,
                        HeaderKey::UnitCategories => header.unit_categories = true,
                        HeaderKey::Assessment => header.assessment = true,
                        HeaderKey::CriteriaSet => header.criteria_set = true,
                        HeaderKey::Commune => header.commune = true,
                        HeaderKey::Format | HeaderKey::FormatVersion | HeaderKey::Other => {}
                    }
                }
            }
        }
        Ok(TopLevel::Object(header))
    }
}

/// A top-level key, recognised without allocating a string for it.
enum HeaderKey {
    Format,
    FormatVersion,
    Criteria,
    UnitCategories,
    Assessment,
    CriteriaSet,
    Commune,
    Other,
}

impl<'de> Deserialize<'de> for HeaderKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HeaderKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = HeaderKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, key: &str) -> Result<HeaderKey, E> {
                Ok(match key {
                    "format" => HeaderKey::Format,
                    "format_version" => HeaderKey::FormatVersion,
                    "criteria" => HeaderKey::Criteria,
                    "unit_categories" => HeaderKey::UnitCategories,
                    "assessment" => HeaderKey::Assessment,
                    "criteria_set" => HeaderKey::CriteriaSet,
                    "commune" => HeaderKey::Commune,
                    _ => HeaderKey::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}
