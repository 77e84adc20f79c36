//! The exchange file: how communes send their self-assessments to the province (Zalo, e-mail,
//! USB), how the province loads them and passes one consolidated file upward. One file holds
//! one or many assessments.
//!
//! The format is specified in `docs/exchange-format.md` (version 2, written by this build; any
//! tool can implement it from that text, and `scripts/exchange_file.py` does) and version 1 in
//! [`v1`] (still read). Where each concept lives:
//!
//! | module | what |
//! |---|---|
//! | `format` | the types of version 2, its JSON Schema, the members it does not know |
//! | [`jcs`] | RFC 8785 canonical form, which a record's checksum is computed on |
//! | [`v1`] | version 1's frozen types and its own checksum |
//! | `export` | writing files: a commune's, a province's consolidated one |
//! | `json`, `import` | reading: the file's top level in one pass, then record by record |
//! | `canonical_read` | a record's text read in one pass, without a `Value`: its canonical form, checksum, unknown members |
//! | `checks` | what a record's assessment must satisfy: set, commune, values |
//! | `errors` | every refusal and remark, with its Vietnamese message |
//! | `conflict` | two copies of one commune's assessment for one year: which is newer |
//!
//! A commune *name* that differs from the official list is only an [`ImportWarning`]: the code
//! identifies the unit, and names are spelled in several ways ("Hoà"/"Hòa"); a province code
//! that does not match the commune code is an error, because the record would be counted under
//! the wrong province. The limits on values (years, numbers, texts, times) are the app's one
//! rule, [`crate::domain::validation`]: the inputs never let a user store what this importer
//! would refuse, and the export never writes it.

mod canonical_read;
mod checks;
mod conflict;
mod errors;
mod export;
mod format;
mod import;
pub mod jcs;
mod json;
mod limits;
mod time;
pub mod v1;

pub use conflict::{
    find_conflict, same_content, settle, Collection, Conflict, Newer, Settle, VersionInfo,
    Versioned,
};
pub use errors::{
    EntryError, ForeignFile, ImportError, ImportWarning, Invalid, NumberField, NumberProblem,
    RejectedRecord,
};
pub use export::{
    consolidated_file, consolidated_file_name, export_file, export_file_name, export_record,
    ConsolidatedText, ExportEntry,
};
pub(crate) use export::{file_name_part, VIETNAM_OFFSET_MS};
pub use format::{
    export_schema, unknown_members, AnswerV2, AssessmentV2, AssessorV2, CommuneV2, Consolidated,
    ConvertedFrom, CriterionScoreV2, FieldError, FileV2, HeaderV2, Members, Num, Person, RecordV2,
    ScoreV2, VerdictCode, Whole, FORMAT_MARKER, FORMAT_VERSION, KIND_SELF_ASSESSMENT, RECORD,
};
pub use import::{
    import_file, FileHeader, ImportedAssessment, ImportedFile, OpenedFile, Opening, OriginalRecord,
};
pub use limits::{MAX_IMPORT_BYTES, MAX_VALUE, YEAR_MAX, YEAR_MIN};
pub use time::{iso_utc, parse_iso_utc, parse_rfc3339};
