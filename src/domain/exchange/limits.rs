//! Limits a file and its values must respect.

/// Larger files are refused before parsing: a commune's file is a few kB, a province's few
/// thousand assessments stay well under this.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// Years accepted on import: the decision dates from 2019.
pub const YEAR_MIN: u16 = 2019;
pub const YEAR_MAX: u16 = 2100;
/// No count, rate input or score at commune level comes near this; larger means a typo or junk.
pub const MAX_VALUE: f64 = 1e9;
