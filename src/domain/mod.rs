//! The domain: plain Rust, no browser. Criteria sets, assessments, scoring, exchange formats,
//! migrations and aggregation. The UI calls it; it never calls the UI.

pub mod assessment;
pub mod builtin;
pub mod charts;
pub mod criteria;
pub mod criteria_diff;
pub mod criteria_edit;
pub mod criteria_examples;
pub mod criteria_move;
pub mod criteria_registry;
pub mod criteria_validate;
pub mod numbers;
pub mod scoring;
pub mod sorting;
pub use builtin::builtin_sets;

// Divisions, storage and exchange formats, aggregation.
pub mod aggregate;
pub mod appraisal;
pub mod appraisal_file;
pub mod appraisal_report;
pub mod csv;
pub mod dashboard;
pub mod dashboard_charts;
pub mod divisions;
pub mod exchange;
pub mod history;
pub mod listing;
pub mod messages;
pub mod notices;
pub mod storage_format;
pub mod text;
pub mod validation;

// Durable storage: the trait, the rules that keep data safe, change records, migrations.
pub mod doc_store;
pub mod journal;
pub mod left_behind;
pub mod legacy;
pub mod store;
pub mod store_memory;
pub mod writer;
