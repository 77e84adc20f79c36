//! Where this browser keeps the criteria sets it was given and the editor's draft.
//!
//! The functions are async although localStorage is not: the app's store is moving to
//! IndexedDB, and only this file changes then.

use crate::adapters::storage::{self, StorageError};

const SET_PREFIX: &str = "xa-tre-em/bo-tieu-chi/";
const DRAFT_KEY: &str = "xa-tre-em/ban-nhap-bo-tieu-chi";

/// The raw text of every kept set (decoding and checking are the domain's).
pub async fn load_sets() -> Vec<String> {
    storage::keys_with_prefix(SET_PREFIX)
        .iter()
        .filter_map(|key| storage::read(key))
        .collect()
}

/// Keeps a set under `key` (`<id>@<version>`).
pub async fn save_set(key: &str, text: &str) -> Result<(), StorageError> {
    storage::write(&format!("{SET_PREFIX}{key}"), text)
}

pub async fn remove_set(key: &str) {
    storage::remove(&format!("{SET_PREFIX}{key}"));
}

/// The editor's draft as stored, if any.
pub async fn load_draft() -> Option<String> {
    storage::read(DRAFT_KEY)
}

pub async fn save_draft(text: &str) -> Result<(), StorageError> {
    storage::write(DRAFT_KEY, text)
}

pub async fn clear_draft() {
    storage::remove(DRAFT_KEY);
}
