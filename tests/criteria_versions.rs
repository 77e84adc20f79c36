//! Versions that never break stored work: the content hash, the registry's rules (a released
//! version is frozen, lookups by id + version + hash, newer versions, removal), and the list of
//! every set file shipped in the repository with its hash.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cmp::Ordering;

use common::*;
use xa_phu_hop_tre_em::domain::assessment::CriteriaSetRef;
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::criteria::CriteriaSet;
use xa_phu_hop_tre_em::domain::criteria_registry::*;
use xa_phu_hop_tre_em::domain::criteria_validate::parse_criteria_set;

/// Every criteria set file in the repository, with its content hash. A released file must never
/// change: a corrected set is a new file with a higher version, added here. If this test fails
/// for a file already listed, undo the change to that file.
const SHIPPED: &[(&str, &str, &str, &str)] = &[(
    "public/criteria/qd-06-2019.json",
    "qd-06-2019",
    "1.0.0",
    "c876cb6bf348a3034137c9cd5219a2f5767125d3045b78b11b978c71fc2de498",
)];

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_shipped_set_file_is_listed_with_its_hash() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join("public/criteria")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name != "index.json" && name.ends_with(".json") {
            found.push(format!("public/criteria/{name}"));
        }
    }
    found.sort();
    let mut listed: Vec<String> = SHIPPED.iter().map(|s| s.0.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "every file in public/criteria/ belongs in SHIPPED"
    );
    for (path, id, version, hash) in SHIPPED {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let set = parse_criteria_set(&text).unwrap();
        assert_eq!(
            (set.id.as_str(), set.version.as_str()),
            (*id, *version),
            "{path}"
        );
        assert_eq!(
            content_hash(&set),
            *hash,
            "{path}: a released set file changed; publish the change as a new version instead"
        );
    }
}

#[test]
fn the_published_index_lists_only_shipped_files() {
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("public/criteria/index.json")).unwrap(),
    )
    .unwrap();
    for file in index["sets"].as_array().unwrap() {
        let path = format!("public/criteria/{}", file.as_str().unwrap());
        assert!(SHIPPED.iter().any(|s| s.0 == path), "{path}");
    }
}

// --- The content hash ----------------------------------------------------------------------

#[test]
fn the_hash_covers_content_not_layout() {
    let set = builtin_qd06();
    let pretty = serde_json::to_string_pretty(&set).unwrap();
    let compact = serde_json::to_string(&set).unwrap();
    let (a, b) = (
        parse_criteria_set(&pretty).unwrap(),
        parse_criteria_set(&compact).unwrap(),
    );
    assert_eq!(content_hash(&a), content_hash(&b));
    // Members in another order: the same content.
    let mut value: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let map = value.as_object_mut().unwrap();
    let criteria = map.remove("criteria").unwrap();
    let mut reordered = serde_json::Map::new();
    reordered.insert("criteria".into(), criteria);
    reordered.extend(map.clone());
    let c = parse_criteria_set(&serde_json::Value::Object(reordered).to_string()).unwrap();
    assert_eq!(content_hash(&c), content_hash(&set));
    assert_eq!(content_hash(&set).len(), 64);
    assert!(content_hash(&set).bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn the_hash_changes_with_anything_that_scores_or_shows() {
    let base = test_set();
    type Change = Box<dyn Fn(&mut CriteriaSet)>;
    let changes: Vec<(&str, Change)> = vec![
        ("a band's points", Box::new(|s| set_band_points(s, 21))),
        ("a name", Box::new(|s| s.criteria[0].name.push('.'))),
        (
            "a threshold",
            Box::new(|s| s.unit_categories[0].min_total = 901),
        ),
        ("the total", Box::new(|s| s.total_max = Some(1000))),
        ("a note", Box::new(|s| s.notes.push("Ghi chú".into()))),
        ("the version", Box::new(|s| s.version = "1.0.1".into())),
    ];
    for (what, change) in changes {
        let mut set = base.clone();
        change(&mut set);
        assert_ne!(content_hash(&set), content_hash(&base), "{what}");
    }
}

fn set_band_points(set: &mut CriteriaSet, points: u32) {
    use xa_phu_hop_tre_em::domain::criteria::Rule;
    if let Rule::Rate { bands, .. } = &mut set.criteria[0].items[1].rule {
        bands[0].points = points;
    }
}

// --- Versions ------------------------------------------------------------------------------

#[test]
fn versions_compare_as_numbers() {
    assert_eq!(compare_versions("1.0.10", "1.0.9"), Ordering::Greater);
    assert_eq!(compare_versions("2", "1.9.9"), Ordering::Greater);
    assert_eq!(compare_versions("1.0", "1.0.0"), Ordering::Equal);
    assert_eq!(compare_versions("1.0.0", "1.1"), Ordering::Less);
    assert_eq!(next_version("1.0.9").as_deref(), Some("1.0.10"));
    assert_eq!(next_version("2").as_deref(), Some("3"));
    assert_eq!(next_version("bản 1"), None);
}

fn versioned(version: &str) -> CriteriaSet {
    let mut set = test_set();
    set.version = version.into();
    set
}

fn reference(id: &str, version: &str, hash: Option<&str>) -> CriteriaSetRef {
    CriteriaSetRef {
        id: id.into(),
        version: version.into(),
        hash: hash.map(Into::into),
    }
}

#[test]
fn a_released_version_is_frozen() {
    let mut registry = CriteriaRegistry::builtin();
    let imported = SetOrigin::Imported {
        file: "bo-moi.json".into(),
    };
    assert_eq!(
        registry.add(test_set(), imported.clone(), 1.0),
        Ok(Added::New)
    );
    assert_eq!(
        registry.add(test_set(), imported.clone(), 2.0),
        Ok(Added::AlreadyKnown),
        "the same content again changes nothing"
    );
    let mut changed = test_set();
    set_band_points(&mut changed, 21);
    let refused = registry.add(changed, imported, 3.0).unwrap_err();
    assert!(matches!(refused, Refused::ChangedContent { .. }));
    let message = refused.to_string();
    assert!(
        message.contains("«thu-nghiem» phiên bản 1.0.0 đã có"),
        "{message}"
    );
    assert!(message.contains("nhập từ tệp «bo-moi.json»"), "{message}");
    assert!(message.contains("phiên bản mới (ví dụ 1.0.1)"), "{message}");
    // The first content stays.
    let kept = registry.get("thu-nghiem", "1.0.0").unwrap();
    assert_eq!(*kept.set, test_set());
    assert_eq!(kept.added_at, Some(1.0));
}

#[test]
fn the_built_in_set_cannot_be_shadowed() {
    let mut registry = CriteriaRegistry::builtin();
    let mut copy = builtin_qd06();
    copy.criteria[1].max_points = Some(100);
    let published = SetOrigin::Published {
        file: "qd-06-2019.json".into(),
    };
    let refused = registry.add(copy, published.clone(), 1.0).unwrap_err();
    assert!(
        refused.to_string().contains("có sẵn trong ứng dụng"),
        "{refused}"
    );
    assert_eq!(
        registry.add(builtin_qd06(), published, 1.0),
        Ok(Added::AlreadyKnown)
    );
    assert_eq!(registry.iter().count(), 1);
}

#[test]
fn an_invalid_set_is_refused_with_every_problem() {
    let mut registry = CriteriaRegistry::default();
    let mut set = test_set();
    set.title.clear();
    set.unit_categories[0].min_total = 0;
    let refused = registry
        .add(
            set,
            SetOrigin::Imported {
                file: "x.json".into(),
            },
            1.0,
        )
        .unwrap_err();
    let Refused::Invalid(errors) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(registry.is_empty());
}

#[test]
fn an_assessment_finds_its_exact_set() {
    let registry = CriteriaRegistry::from_sets([test_set(), versioned("1.1.0")]);
    let hash = content_hash(&test_set());
    let found = registry
        .resolve(&reference("thu-nghiem", "1.0.0", Some(&hash)))
        .unwrap();
    assert_eq!(found.set.version, "1.0.0");
    assert_eq!(
        found.reference(),
        reference("thu-nghiem", "1.0.0", Some(&hash))
    );
    // Made before sets had a hash: id and version suffice.
    assert!(registry
        .find(&reference("thu-nghiem", "1.0.0", None))
        .is_some());

    let missing = registry
        .resolve(&reference("thu-nghiem", "2.0.0", None))
        .unwrap_err();
    let message = missing.to_string();
    assert!(
        message.contains("«thu-nghiem» phiên bản 2.0.0 chưa có trên máy này"),
        "{message}"
    );
    assert!(
        message.contains("đang có: thu-nghiem phiên bản 1.0.0, thu-nghiem phiên bản 1.1.0"),
        "{message}"
    );
    assert!(message.contains("Nhập tệp bộ tiêu chí"), "{message}");
    assert!(message.contains("Sở Y tế tỉnh"), "{message}");

    let other = "f".repeat(64);
    let different = registry
        .resolve(&reference("thu-nghiem", "1.0.0", Some(&other)))
        .unwrap_err();
    assert!(matches!(different, Unresolved::DifferentContent { .. }));
    assert!(
        different.to_string().contains("nội dung khác"),
        "{different}"
    );
}

#[test]
fn a_newer_version_is_found_by_number_not_by_order_of_arrival() {
    let registry =
        CriteriaRegistry::from_sets([versioned("1.0.10"), test_set(), versioned("1.0.9")]);
    let old = reference("thu-nghiem", "1.0.0", None);
    assert_eq!(registry.newer_than(&old).unwrap().set.version, "1.0.10");
    assert!(registry
        .newer_than(&reference("thu-nghiem", "1.0.10", None))
        .is_none());
    assert!(registry
        .newer_than(&reference("khac", "0.1", None))
        .is_none());
    assert_eq!(registry.default_for_new().unwrap().set.version, "1.0.10");
}

#[test]
fn a_set_in_use_or_built_in_is_never_removed() {
    let mut registry = CriteriaRegistry::builtin();
    let origin = SetOrigin::Imported {
        file: "t.json".into(),
    };
    registry.add(test_set(), origin, 5.0).unwrap();
    assert_eq!(
        registry.remove("qd-06-2019", "1.0.0", 0),
        Err(RemoveRefused::BuiltIn)
    );
    let refused = registry.remove("thu-nghiem", "1.0.0", 2).unwrap_err();
    assert_eq!(refused, RemoveRefused::InUse { assessments: 2 });
    assert!(
        refused.to_string().contains("2 bản tự đánh giá"),
        "{refused}"
    );
    assert!(registry.get("thu-nghiem", "1.0.0").is_some());
    assert_eq!(
        registry.remove("thu-nghiem", "1.0.0", 0).unwrap().set.id,
        "thu-nghiem"
    );
    assert!(registry.get("thu-nghiem", "1.0.0").is_none());
    assert_eq!(
        registry.remove("thu-nghiem", "1.0.0", 0),
        Err(RemoveRefused::NotFound)
    );
}

#[test]
fn a_reference_without_a_hash_is_the_same_set_as_one_with() {
    let hash = content_hash(&test_set());
    let with = reference("thu-nghiem", "1.0.0", Some(&hash));
    let without = reference("thu-nghiem", "1.0.0", None);
    assert!(with.same_set(&without) && without.same_set(&with));
    assert!(!with.same_set(&reference("thu-nghiem", "1.0.0", Some(&"f".repeat(64)))));
    assert!(!with.same_set(&reference("thu-nghiem", "1.0.1", Some(&hash))));
}

#[test]
fn an_export_that_records_the_hash_is_the_same_copy_on_import() {
    use xa_phu_hop_tre_em::domain::exchange::same_content;
    use xa_phu_hop_tre_em::domain::storage_format::StoredAssessment;
    let stored = StoredAssessment::new(full_marks(&test_set(), "t850", 5.0), 1.0);
    let mut exported = stored.clone();
    exported.assessment.criteria_set.hash = Some(content_hash(&test_set()));
    assert!(same_content(&stored, &exported));
}
