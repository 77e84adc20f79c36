//! The criteria sets compiled into the app, so that it works offline and without any
//! province publishing a set.

use crate::domain::criteria::CriteriaSet;
use crate::domain::criteria_validate::parse_criteria_set;

/// Quyết định 06/QĐ-TTg as far as it is confirmed; see the set's `notes` for what is not.
const QD06_2019: &str = include_str!("../../public/criteria/qd-06-2019.json");

/// The set for Quyết định số 06/QĐ-TTg ngày 03/01/2019.
pub fn builtin_qd06() -> CriteriaSet {
    // The file ships inside the binary and tests/criteria_set.rs checks it parses and
    // validates, so a failure here is a build defect, not a user error.
    parse_criteria_set(QD06_2019).expect("public/criteria/qd-06-2019.json must be a valid set")
}

/// Every built-in set, newest decision first.
pub fn builtin_sets() -> Vec<CriteriaSet> {
    vec![builtin_qd06()]
}
