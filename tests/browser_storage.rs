//! The storage adapter and the app state in a real browser (headless Chromium): round trip,
//! a full quota, an unreadable entry, migration of the previous format, and a second tab.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen_test::*;
use xa_phu_hop_tre_em::adapters::storage::{self, StorageError};
use xa_phu_hop_tre_em::domain::assessment::{
    Answer, Assessment, Assessor, CommuneRef, CriteriaSetRef,
};
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::storage_format::{decode_stored, encode_stored, STORAGE_FORMAT};
use xa_phu_hop_tre_em::ui::state::{keys, AppState, SaveStatus};

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn sample(id: &str) -> Assessment {
    Assessment {
        id: id.into(),
        criteria_set: CriteriaSetRef {
            id: "qd-06-2019".into(),
            version: "1.0.0".into(),
            hash: None,
        },
        commune: CommuneRef {
            code: "00070".into(),
            name: "Phường Hoàn Kiếm".into(),
            province_code: "01".into(),
            province_name: "Thành phố Hà Nội".into(),
        },
        unit_category: "con-lai".into(),
        year: 2026,
        assessor: Assessor {
            name: "Nguyễn Văn A".into(),
            position: "Công chức Văn hóa - Xã hội".into(),
        },
        answers: Default::default(),
        recorded_max: Default::default(),
        created_at: 1.0,
        updated_at: 1.0,
        set_moves: Vec::new(),
    }
}

/// Fills localStorage to the last byte (big chunks, then ever smaller ones); returns the keys
/// written and the browser's refusal.
fn fill_storage() -> (Vec<String>, StorageError) {
    let mut written = Vec::new();
    let mut size = 512 * 1024;
    let mut last_error = None;
    while size >= 1 {
        let key = format!("lap-day/{}", written.len());
        match storage::write(&key, &"x".repeat(size)) {
            Ok(()) => written.push(key),
            Err(e) => {
                last_error = Some(e);
                size /= 2;
            }
        }
    }
    (written, last_error.expect("localStorage never filled up"))
}

fn in_owner<T>(f: impl FnOnce() -> T) -> T {
    Owner::new().with(f)
}

#[wasm_bindgen_test]
fn raw_values_round_trip_and_are_found_by_prefix() {
    local().clear().unwrap();
    storage::probe().expect("localStorage is usable in Chromium");
    storage::write("xa-tre-em/danh-gia/a", "Phú Mỹ — dữ liệu").unwrap();
    storage::write("khac/b", "1").unwrap();
    assert_eq!(
        storage::read("xa-tre-em/danh-gia/a").as_deref(),
        Some("Phú Mỹ — dữ liệu")
    );
    assert_eq!(
        storage::keys_with_prefix("xa-tre-em/"),
        vec!["xa-tre-em/danh-gia/a"]
    );
    storage::remove("xa-tre-em/danh-gia/a");
    assert_eq!(storage::read("xa-tre-em/danh-gia/a"), None);
}

#[wasm_bindgen_test]
fn a_full_quota_is_a_typed_error_and_keeps_what_was_stored() {
    local().clear().unwrap();
    storage::write("giu-lai", "dữ liệu cũ").unwrap();
    let (written, error) = fill_storage();
    assert_eq!(error, StorageError::QuotaExceeded);
    assert!(error.message_vi().contains("đầy"));
    assert_eq!(storage::read("giu-lai").as_deref(), Some("dữ liệu cũ"));
    for key in written {
        storage::remove(&key);
    }
}

#[wasm_bindgen_test]
fn a_change_that_cannot_be_saved_stays_in_memory_and_is_saved_later() {
    local().clear().unwrap();
    in_owner(|| {
        let state = AppState::load(CriteriaRegistry::builtin());
        state.create(sample("day"));
        let (written, _) = fill_storage();
        state.update("day", |a| {
            a.answers.insert(
                "1.1".into(),
                Answer {
                    yes: Some(true),
                    ..Answer::default()
                },
            );
        });
        assert_eq!(
            state.save.get_untracked(),
            SaveStatus::Failed(StorageError::QuotaExceeded)
        );
        assert_eq!(state.unsaved.get_untracked(), vec!["day".to_string()]);
        let in_memory = state.get("day").unwrap();
        assert_eq!(in_memory.assessment.answers["1.1"].yes, Some(true));
        let on_disk = decode_stored(&storage::read(&keys::assessment("day")).unwrap()).unwrap();
        assert!(
            on_disk.assessment.answers.is_empty(),
            "the old copy is intact"
        );

        for key in written {
            storage::remove(&key);
        }
        state.retry_unsaved();
        assert!(matches!(
            state.save.get_untracked(),
            SaveStatus::Saved { .. }
        ));
        let on_disk = decode_stored(&storage::read(&keys::assessment("day")).unwrap()).unwrap();
        assert_eq!(on_disk.assessment.answers["1.1"].yes, Some(true));
    });
}

#[wasm_bindgen_test]
fn an_unreadable_entry_is_set_aside_with_its_raw_text_and_the_others_load() {
    local().clear().unwrap();
    let good = xa_phu_hop_tre_em::domain::storage_format::StoredAssessment::new(sample("tot"), 5.0);
    storage::write(&keys::assessment("tot"), &encode_stored(&good)).unwrap();
    storage::write(&keys::assessment("hong"), "{\"format\": 2, \"revis").unwrap();
    in_owner(|| {
        let state = AppState::load(CriteriaRegistry::builtin());
        assert_eq!(state.assessments.get_untracked().len(), 1);
        let unreadable = state.unreadable.get_untracked();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].key, format!("{}hong", keys::UNREADABLE));
        assert!(!unreadable[0].reason.is_empty());
        assert_eq!(
            storage::read(&unreadable[0].key).as_deref(),
            Some("{\"format\": 2, \"revis"),
            "the raw text is kept"
        );
        assert_eq!(storage::read(&keys::assessment("hong")), None);
    });
}

#[wasm_bindgen_test]
fn the_previous_format_is_migrated_on_load() {
    local().clear().unwrap();
    let bare = serde_json::to_string(&sample("cu")).unwrap();
    storage::write(&keys::assessment("cu"), &bare).unwrap();
    in_owner(|| {
        let state = AppState::load(CriteriaRegistry::builtin());
        let loaded = state.get("cu").expect("format 1 entry loads");
        assert_eq!(loaded.format, STORAGE_FORMAT);
        assert_eq!(loaded.assessment, sample("cu"));
        assert!(state.unreadable.get_untracked().is_empty());
    });
}

#[wasm_bindgen_test]
fn a_newer_save_from_another_tab_is_never_overwritten_silently() {
    local().clear().unwrap();
    in_owner(|| {
        let state = AppState::load(CriteriaRegistry::builtin());
        state.create(sample("hai-the"));
        let mut theirs = state.get("hai-the").unwrap();
        theirs.revision += 5;
        theirs.assessment.assessor.name = "Thẻ khác".into();
        storage::write(&keys::assessment("hai-the"), &encode_stored(&theirs)).unwrap();

        state.update("hai-the", |a| a.assessor.name = "Thẻ này".into());
        let conflict = state
            .conflict
            .get_untracked()
            .expect("a conflict is raised");
        assert_eq!(conflict.theirs.assessment.assessor.name, "Thẻ khác");
        let on_disk = decode_stored(&storage::read(&keys::assessment("hai-the")).unwrap()).unwrap();
        assert_eq!(
            on_disk.assessment.assessor.name, "Thẻ khác",
            "not overwritten"
        );

        state.resolve_conflict(true);
        let on_disk = decode_stored(&storage::read(&keys::assessment("hai-the")).unwrap()).unwrap();
        assert_eq!(on_disk.assessment.assessor.name, "Thẻ này");
        assert!(on_disk.revision > theirs.revision);
        let backups = storage::keys_with_prefix(&format!("{}hai-the/", keys::BACKUP));
        assert_eq!(backups.len(), 1, "the other tab's version is kept");
        let backup = decode_stored(&storage::read(&backups[0]).unwrap()).unwrap();
        assert_eq!(backup.assessment.assessor.name, "Thẻ khác");
    });
}

#[wasm_bindgen_test]
fn a_change_seen_from_another_tab_replaces_an_unchanged_copy() {
    local().clear().unwrap();
    in_owner(|| {
        let state = AppState::load(CriteriaRegistry::builtin());
        state.create(sample("theo-doi"));
        let mut theirs = state.get("theo-doi").unwrap();
        theirs.revision += 1;
        theirs.assessment.year = 2027;
        state.on_external_change(&keys::assessment("theo-doi"), Some(encode_stored(&theirs)));
        assert_eq!(state.get("theo-doi").unwrap().assessment.year, 2027);
        assert!(state.conflict.get_untracked().is_none());
        assert_eq!(state.notices.get_untracked().len(), 1);
    });
}
