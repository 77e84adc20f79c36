//! The summaries Home lists at start (`Journal::list`) always say what reading the documents
//! whole says: after any sequence of writes — creations, keystrokes in and out of the summarized
//! members, whole replacements, deletions, compactions, purges — and they are rebuilt for
//! documents written before summaries existed.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::doc_store::{Journal, Typed};
use xa_phu_hop_tre_em::domain::journal::{text_change, Change, Record, JOURNAL_FORMAT};
use xa_phu_hop_tre_em::domain::legacy::ASSESSMENTS;
use xa_phu_hop_tre_em::domain::listing::Listed;
use xa_phu_hop_tre_em::domain::store::{stores, Key};
use xa_phu_hop_tre_em::domain::store_memory::{ready, MemoryBackend};

fn assessment(id: &str, name: &str, year: u16) -> Value {
    json!({
        "id": id,
        "criteria_set": {"id": "qd-06-2019", "version": "1.0.0"},
        "commune": {"code": "00070", "name": name, "province_code": "01", "province_name": "Hà Nội"},
        "unit_category": "phuong",
        "year": year,
        "assessor": {"name": "Nguyễn Thị Lan", "position": "Công chức"},
        "answers": {},
        "created_at": 1.0,
        "updated_at": 1.0
    })
}

fn record(id: &str, seq: u64, at: f64, change: Change) -> Record {
    Record {
        format: JOURNAL_FORMAT,
        doc: id.into(),
        seq,
        at,
        since: None,
        who: "Nguyễn Thị Lan".into(),
        change,
    }
}

fn set(path: &[&str], new: Value) -> Change {
    Change::Set {
        path: path.iter().map(|s| s.to_string()).collect(),
        old: None,
        new: Some(new),
    }
}

/// One write a user's actions can make.
#[derive(Debug, Clone)]
enum Op {
    Create(usize),
    Answer(usize, String),
    Rename(usize, String),
    TypeName(usize, String),
    Year(usize, u16),
    Replace(usize, String, Option<f64>),
    Delete(usize),
    Restore(usize),
    Compact(usize),
    Purge(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let doc = 0usize..3;
    let name = "[A-Za-zÀ-ỹ ]{0,12}";
    prop_oneof![
        doc.clone().prop_map(Op::Create),
        (doc.clone(), name).prop_map(|(d, s)| Op::Answer(d, s)),
        (doc.clone(), name).prop_map(|(d, s)| Op::Rename(d, s)),
        (doc.clone(), "[a-zà-ỹ]{1,4}").prop_map(|(d, s)| Op::TypeName(d, s)),
        (doc.clone(), 2019u16..2101).prop_map(|(d, y)| Op::Year(d, y)),
        (doc.clone(), name, proptest::option::of(0.0f64..50.0))
            .prop_map(|(d, s, at)| Op::Replace(d, s, at)),
        doc.clone().prop_map(Op::Delete),
        doc.clone().prop_map(Op::Restore),
        doc.clone().prop_map(Op::Compact),
        doc.prop_map(Op::Purge),
    ]
}

/// Runs `op` the way the app would; an op that does not fit the document's state does nothing.
fn run(backend: &MemoryBackend, op: &Op, at: f64) {
    let journal = Journal::new(backend, ASSESSMENTS);
    let id_of = |d: usize| format!("d{d}");
    let current = |id: &str| match ready(journal.load(id)).unwrap() {
        Some(Ok(loaded)) => Some(loaded.state),
        _ => None,
    };
    let append = |id: &str, change: Change| {
        if let Some(state) = current(id) {
            ready(journal.append(id, state.seq, &[record(id, state.seq + 1, at, change)])).unwrap();
        }
    };
    match op {
        Op::Create(d) => {
            let id = id_of(*d);
            if current(&id).is_none() {
                let doc = assessment(&id, "Phường Hoàn Kiếm", 2025);
                let _ = ready(journal.create(&record(&id, 1, at, Change::Create { doc })));
            }
        }
        Op::Answer(d, text) => append(
            &id_of(*d),
            set(&["answers", "1.1"], json!({"explanation": text})),
        ),
        Op::Rename(d, name) => append(&id_of(*d), set(&["commune", "name"], json!(name))),
        Op::TypeName(d, typed) => {
            let id = id_of(*d);
            if let Some(state) = current(&id) {
                let old = state.doc["commune"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let path = vec!["commune".to_string(), "name".to_string()];
                if let Some(change) = text_change(path, &old, &format!("{old}{typed}")) {
                    append(&id, change);
                }
            }
        }
        Op::Year(d, year) => append(&id_of(*d), set(&["year"], json!(year))),
        Op::Replace(d, name, edited_at) => {
            let id = id_of(*d);
            append(
                &id,
                Change::Replace {
                    doc: assessment(&id, name, 2024),
                    reason: "nhập tệp".into(),
                    edited_at: *edited_at,
                },
            );
        }
        Op::Delete(d) => append(&id_of(*d), Change::Delete),
        Op::Restore(d) => append(&id_of(*d), Change::Restore),
        Op::Compact(d) => {
            let id = id_of(*d);
            if let Some(state) = current(&id) {
                ready(journal.compact(&id, state.seq)).unwrap();
            }
        }
        Op::Purge(d) => {
            ready(journal.purge_deleted(&id_of(*d), at)).unwrap();
        }
    }
}

/// What the summaries say, as (id, listed, seq, updated_at, deleted_at).
type Said = (String, Listed, u64, f64, Option<f64>);

fn said(t: Typed<Listed>) -> Said {
    (t.id, t.doc, t.seq, t.updated_at, t.deleted_at)
}

/// What reading every document whole says, in the same shape.
fn truth(backend: &MemoryBackend) -> Vec<Said> {
    let report =
        ready(Journal::new(backend, ASSESSMENTS).load_all_as::<Listed>(|_, _| Ok(()))).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    report.docs.into_iter().map(said).collect()
}

fn listed(backend: &MemoryBackend) -> Option<Vec<Said>> {
    ready(Journal::new(backend, ASSESSMENTS).list::<Listed>())
        .unwrap()
        .map(|all| all.into_iter().map(said).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_summaries_say_what_the_documents_say(ops in prop::collection::vec(op(), 1..30)) {
        let backend = MemoryBackend::new();
        for (i, op) in ops.iter().enumerate() {
            run(&backend, op, 10.0 + i as f64);
            prop_assert_eq!(listed(&backend), Some(truth(&backend)), "after {:?}", op);
        }
    }
}

#[test]
fn documents_written_before_summaries_are_listed_once_summarized() {
    let backend = MemoryBackend::new();
    let journal = Journal::new(&backend, ASSESSMENTS);
    for (i, name) in ["Xã Phú Mỹ", "Phường Hoàn Kiếm", "Xã Tân Lập"]
        .iter()
        .enumerate()
    {
        let id = format!("d{i}");
        let doc = assessment(&id, name, 2025);
        ready(journal.create(&record(&id, 1, 1.0, Change::Create { doc }))).unwrap();
    }
    ready(journal.append(
        "d1",
        1,
        &[record("d1", 2, 2.0, set(&["year"], json!(2026)))],
    ))
    .unwrap();
    assert_eq!(listed(&backend), Some(truth(&backend)));
    // As a database of the previous version: no summaries at all, or one missing.
    backend.raw_delete(stores::ASSESSMENT_SUMMARIES, &Key::name("d1"));
    assert_eq!(listed(&backend), None, "a start must read everything");
    // A change to a document without a summary does not invent one from the change alone.
    ready(journal.append(
        "d1",
        2,
        &[record("d1", 3, 3.0, set(&["year"], json!(2027)))],
    ))
    .unwrap();
    assert_eq!(listed(&backend), None);
    assert_eq!(ready(journal.summarize_missing(10)).unwrap(), (1, 0));
    let listed = listed(&backend).expect("every document summarized");
    assert_eq!(listed, truth(&backend));
    assert_eq!(listed[1].1.year, 2027);
    assert_eq!(listed[1].1.commune.name, "Phường Hoàn Kiếm");
    // The cards of a page are read whole, those that exist, in order.
    let ids = ["d2".to_string(), "zz".to_string(), "d0".to_string()];
    let page = ready(journal.load_many(&ids)).unwrap();
    let read: Vec<&str> = page
        .iter()
        .map(|r| r.as_ref().unwrap().id.as_str())
        .collect();
    assert_eq!(read, ["d2", "d0"]);
    // Nothing more to do.
    assert_eq!(ready(journal.summarize_missing(10)).unwrap(), (0, 0));
}

#[test]
fn a_summary_keeps_only_what_the_list_shows() {
    let backend = MemoryBackend::new();
    let journal = Journal::new(&backend, ASSESSMENTS);
    let mut doc = assessment("a", "Phường Hoàn Kiếm", 2025);
    doc["answers"] = json!({"1.1": {"explanation": "x".repeat(100_000)}});
    ready(journal.create(&record("a", 1, 1.0, Change::Create { doc }))).unwrap();
    let raw = backend
        .raw_get(stores::ASSESSMENT_SUMMARIES, &Key::name("a"))
        .unwrap();
    assert!(raw.len() < 600, "{} bytes: {raw}", raw.len());
    let summary: Value = serde_json::from_str(&raw).unwrap();
    let mut members: Vec<&str> = summary["doc"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    members.sort_unstable();
    assert_eq!(members, ["commune", "criteria_set", "id", "year"]);
}
