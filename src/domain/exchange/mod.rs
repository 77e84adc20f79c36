//! The exchange file: how communes send their self-assessments to the province (Zalo, e-mail,
//! USB) and how the province loads them back. One file holds one or many assessments.
//!
//! # Format (version 1)
//!
//! A UTF-8 JSON object (a leading BOM is tolerated). JSON Schema:
//! `public/schema/export.schema.json`, generated from these types by [`export_schema`].
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `format` | string | always `"xa-phu-hop-tre-em/tu-danh-gia"` ([`FORMAT_MARKER`]) |
//! | `format_version` | integer | `1` ([`FORMAT_VERSION`]); later versions are refused by this build |
//! | `app_version` | string | version of the app that wrote the file |
//! | `exported_at` | string | ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` |
//! | `assessments` | array, ≥ 1 | one record per assessment: |
//! | `….sha256` | string | 64 lowercase hex digits, SHA-256 of the record (see below) |
//! | `….revision` | integer | save counter of the sender's copy (for conflicts) |
//! | `….assessment` | object | the assessment, as stored by the app: |
//! | `….assessment.id` | string | the sender's local id |
//! | `….assessment.criteria_set` | `{id, version, hash?}` | criteria set the answers belong to; `hash` (its content hash) when recorded |
//! | `….assessment.commune` | `{code, name, province_code, province_name}` | official codes: commune 5 digits, province 2 |
//! | `….assessment.unit_category` | string | id of a unit category of the set (sets the threshold) |
//! | `….assessment.year` | integer | year assessed, 2019–2100 ([`YEAR_MIN`]–[`YEAR_MAX`]) |
//! | `….assessment.assessor` | `{name, position}` | who assessed |
//! | `….assessment.answers` | object | by item id: `{yes, numerator, denominator, count, manual_points, source, explanation, checked}` — raw inputs, numbers from 0 to 10⁹ ([`MAX_VALUE`]; manual points to 10,000) or null; source ≤ 2,000 and explanation ≤ 20,000 characters |
//! | `….assessment.recorded_max` | object | by criterion id: maximum read from the official table by the assessor, 0–10,000 |
//! | `….assessment.created_at`, `updated_at` | number | ms since the Unix epoch |
//! | `….score` | object or null | for people reading the file: `{total, threshold, verdict ("pass"/"fail"/"incomplete"), verdict_label, answered, item_count, criteria: [{id, points, max}]}`; **never trusted**: the importer recomputes it |
//!
//! ## Checksum
//!
//! `sha256` is the SHA-256 (lowercase hex) of the UTF-8 bytes of the record *without* its
//! `sha256` member, written in canonical form: objects with members sorted by key (byte order),
//! no whitespace, strings escaped as serde_json does (`\"`, `\\`, control characters; all other
//! characters literal), integers in decimal, and the fields that are floating-point in the
//! types (`numerator`, `denominator`, `count`, `manual_points`, `created_at`, `updated_at`) in
//! serde_json's shortest round-trip form, always with a fraction or exponent (`5.0`, `0.1`,
//! `1e-7`). The record is first read into the typed structure, so the checksum covers the
//! content, not the layout: re-indenting or reordering keys keeps it valid, changing any value
//! (or adding a member) breaks it. It detects damage and casual edits; it is not a signature.
//!
//! ## Rejections and warnings
//!
//! Every reason to refuse a file is an [`ImportError`] (or an [`EntryError`] for one record),
//! with a Vietnamese message. A commune *name* that differs from the official list is only a
//! [`ImportWarning`]: the code identifies the unit, and names are spelled in several ways
//! ("Hoà"/"Hòa"); a province code that does not match the commune code is an error, because the
//! record would be counted under the wrong province. The limits on values (years, numbers,
//! texts, times) are the app's one rule, [`crate::domain::validation`]: the inputs never let a
//! user store what this importer would refuse.

mod canonical;
mod checks;
mod conflict;
mod errors;
mod export;
mod format;
mod import;
mod limits;
mod time;

pub use canonical::record_checksum;
pub use conflict::{find_conflict, Conflict, Newer, VersionInfo, Versioned};
pub use errors::{
    EntryError, ForeignFile, ImportError, ImportWarning, Invalid, NumberField, NumberProblem,
};
pub use export::{export_file, export_file_name, ExportEntry};
pub use format::{
    export_schema, CriterionSummary, ExchangeFile, ExchangeRecord, ScoreSummary, VerdictCode,
    FORMAT_MARKER, FORMAT_VERSION,
};
pub use import::{import_file, ImportedAssessment};
pub use limits::{MAX_IMPORT_BYTES, MAX_VALUE, YEAR_MAX, YEAR_MIN};
pub use time::{iso_utc, parse_iso_utc};
