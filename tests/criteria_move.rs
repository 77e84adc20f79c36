//! Moving an assessment to a newer version of its set: the before/after of every criterion and
//! the verdict, the move recorded in the assessment, undo, and the record in exchange files.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use xa_phu_hop_tre_em::domain::assessment::CriteriaSetRef;
use xa_phu_hop_tre_em::domain::criteria::{CriteriaSet, Rule};
use xa_phu_hop_tre_em::domain::criteria_move::*;
use xa_phu_hop_tre_em::domain::criteria_registry::{content_hash, CriteriaRegistry};
use xa_phu_hop_tre_em::domain::exchange::{export_file, import_file, ExportEntry};
use xa_phu_hop_tre_em::domain::scoring::{score, Verdict};

/// Version 1.1.0 of the test set: a.1 is worth 30 instead of 40 (criterion A 90), e.1 becomes
/// e.2 (a renamed item), a new criterion F.
fn newer() -> CriteriaSet {
    let mut set = test_set();
    set.version = "1.1.0".into();
    set.criteria[0].items[0].rule = Rule::YesNo { points: 30 };
    set.criteria[0].max_points = Some(90);
    set.criteria[4].items[0].id = "e.2".into();
    set.criteria.push(criterion(
        "F",
        Some(10),
        vec![item("f.1", Rule::YesNo { points: 10 })],
    ));
    set
}

fn reference(set: &CriteriaSet) -> CriteriaSetRef {
    CriteriaSetRef {
        id: set.id.clone(),
        version: set.version.clone(),
        hash: Some(content_hash(set)),
    }
}

#[test]
fn the_preview_shows_every_criterion_and_the_verdict_before_and_after() {
    let (old, new) = (test_set(), newer());
    let a = full_marks(&old, "t800", 500.0);
    assert_eq!(score(&old, &a).total, 850);
    let p = preview_move(&a, &old, &new);
    let ids: Vec<&str> = p.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "F"]);
    let a_row = &p.criteria[0];
    assert_eq!(
        a_row.before,
        Some(Points {
            points: 100,
            max: Some(100)
        })
    );
    assert_eq!(
        a_row.after,
        Some(Points {
            points: 90,
            max: Some(90)
        })
    );
    assert!(a_row.changed());
    assert!(!p.criteria[1].changed());
    // e.1's answer has no place in 1.1.0: criterion E loses its points there.
    assert_eq!(p.criteria[4].after.unwrap().points, 0);
    assert_eq!(p.criteria[5].before, None);
    assert_eq!(p.total, (850, 790));
    assert_eq!(p.verdict, (Verdict::Pass, Verdict::Incomplete));
    assert_eq!(p.set_aside, ["e.1"]);
    assert_eq!(p.new_items, ["e.2", "f.1"]);
}

#[test]
fn a_move_is_recorded_and_can_be_undone() {
    let (old, new) = (test_set(), newer());
    let original = full_marks(&old, "t800", 500.0);
    let mut a = original.clone();
    apply_move(&mut a, &new, reference(&new), 1_000.0);
    assert_eq!(a.criteria_set, reference(&new));
    assert!(!a.answers.contains_key("e.1"));
    assert_eq!(a.set_moves.len(), 1);
    let record = &a.set_moves[0];
    assert_eq!(record.from, original.criteria_set);
    assert_eq!(record.at, 1_000.0);
    assert!(record.set_aside.contains_key("e.1"));
    assert_eq!(score(&new, &a).total, 790);
    assert!(undoable_move(&a).is_some());

    // An answer given under the new version to an item the old one lacks.
    a.answers.insert("f.1".into(), yes(true));
    assert!(undo_move(&mut a, &old, 2_000.0));
    assert_eq!(a.criteria_set, original.criteria_set);
    assert_eq!(a.answers, original.answers, "the set-aside answer is back");
    assert_eq!(score(&old, &a), score(&old, &original));
    assert_eq!(a.set_moves.len(), 2);
    assert!(a.set_moves[1].undo);
    assert!(a.set_moves[1].set_aside.contains_key("f.1"));
    assert!(undoable_move(&a).is_none(), "an undo is not undone");
    assert!(!undo_move(&mut a, &old, 3_000.0));
}

#[test]
fn an_assessment_never_moved_writes_no_record() {
    let a = full_marks(&test_set(), "t800", 500.0);
    let text = serde_json::to_string(&a).unwrap();
    assert!(!text.contains("set_moves"));
}

#[test]
fn a_moved_assessment_travels_in_a_file_with_its_record() {
    let (old, new) = (test_set(), newer());
    let mut a = full_marks(&old, "t800", 500.0);
    a.commune.code = "00070".into();
    a.commune.name = "Phường Hoàn Kiếm".into();
    apply_move(&mut a, &new, reference(&new), 1_000.0);
    let s = score(&new, &a);
    let text = export_file(
        &[ExportEntry {
            assessment: &a,
            revision: 3,
            score: Some(&s),
            backup: false,
            history: &[],
        }],
        5_000.0,
    );
    let registry = CriteriaRegistry::from_sets([old, new]);
    let imported = import_file(text.as_bytes(), &registry).unwrap();
    let back = imported.accepted().next().expect("accepted");
    assert_eq!(back.assessment, a);
    assert_eq!(back.assessment.set_moves.len(), 1);
    assert!(text.contains("\"set_moves\""), "{text}");
    // The checksum covers the record: changing the move breaks it.
    let tampered = text
        .replace("\"undo\"", "\"undo_\"")
        .replace("1970-01-01T00:00:01.000Z", "1970-01-01T00:00:02.000Z");
    assert_ne!(tampered, text);
    let refused = import_file(tampered.as_bytes(), &registry).unwrap();
    assert_eq!(refused.accepted().count(), 0);
}
