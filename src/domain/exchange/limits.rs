//! Limits a file and its values must respect.

/// Larger files are refused before parsing: a commune's file is a few kB, a province's few
/// thousand assessments stay well under this.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
// The limits on values are the app's one rule (domain::validation), re-exported for readers of
// the format: the inputs never let a user store what the import would refuse.
pub use crate::domain::validation::{MAX_VALUE, YEAR_MAX, YEAR_MIN};
