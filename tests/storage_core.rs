//! The data-safety rules of the storage core, natively, on the memory backend: revisions and
//! conflicts, every failure branch of a write (the write fails, the document was deleted
//! meanwhile, the backup fails too), set-aside that never overwrites, newer formats left alone,
//! compaction that loses nothing, history, moving the localStorage layouts over, and what a
//! closed tab left behind.

mod common;

use std::cell::RefCell;

use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::assessment::Answer;
use xa_phu_hop_tre_em::domain::doc_store::{
    kv_all, kv_put, kv_put_all, Journal, Problem, Snapshot, WriteError,
};
use xa_phu_hop_tre_em::domain::journal::{
    answer_changes, apply_change, Change, Record, JOURNAL_FORMAT,
};
use xa_phu_hop_tre_em::domain::left_behind::{leave, recover, LeftBehind, Recovered};
use xa_phu_hop_tre_em::domain::legacy::{self, migrate_entry, Moved, ASSESSMENTS};
use xa_phu_hop_tre_em::domain::storage_format::{encode_stored, StoredAssessment};
use xa_phu_hop_tre_em::domain::store::{stores, Key, StoreError};
use xa_phu_hop_tre_em::domain::store_memory::{ready, MemoryBackend};
use xa_phu_hop_tre_em::domain::writer::{flush, keep_late_edits, Current, Outbox, Step};

/// One tab's in-memory copy and its outbox, as the UI keeps them.
struct Tab {
    doc: RefCell<Value>,
    outbox: RefCell<Outbox>,
}

impl Tab {
    fn new(id: &str, doc: Value, head: Option<u64>) -> Tab {
        Tab {
            doc: RefCell::new(doc),
            outbox: RefCell::new(Outbox::new(id, head)),
        }
    }

    fn edit(&self, change: Change, at: f64) {
        apply_change(&mut self.doc.borrow_mut(), &change).unwrap();
        self.outbox.borrow_mut().push(change, "Nguyễn Thị Lan", at);
    }

    fn type_into(&self, path: &[&str], text: &str, at: f64) {
        for ch in text.chars() {
            let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            let old = self
                .doc
                .borrow()
                .pointer(&format!("/{}", path.join("/")))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let new = format!("{old}{ch}");
            let change = xa_phu_hop_tre_em::domain::journal::text_change(path, &old, &new).unwrap();
            self.edit(change, at);
        }
    }

    fn flush(&self, backend: &MemoryBackend, now: f64) -> Step {
        let current = || Current {
            doc: self.doc.borrow().clone(),
            who: "Nguyễn Thị Lan".into(),
            created_at: 0.5,
            updated_at: now,
            backup_text: self.doc.borrow().to_string(),
        };
        ready(flush(
            backend,
            ASSESSMENTS,
            stores::BACKUPS,
            &self.outbox,
            &current,
            now,
        ))
    }
}

fn doc() -> Value {
    json!({"id": "a", "assessor": {"name": "Nguyễn Thị Lan"}, "answers": {}, "year": 2026})
}

fn stored_doc(backend: &MemoryBackend, id: &str) -> Value {
    let report = ready(Journal::new(backend, ASSESSMENTS).load_all()).unwrap();
    report
        .docs
        .into_iter()
        .find(|d| d.id == id)
        .map(|d| d.state.doc)
        .expect("document stored")
}

fn created(backend: &MemoryBackend) -> Tab {
    let tab = Tab::new("a", doc(), None);
    assert!(matches!(
        tab.flush(backend, 1.0),
        Step::Saved { head: 1, .. }
    ));
    tab
}

fn set(path: &str, new: Value) -> Change {
    Change::Set {
        path: path.split('/').map(str::to_string).collect(),
        old: None,
        new: Some(new),
    }
}

#[test]
fn a_new_document_is_created_then_its_edits_appended() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.edit(set("year", json!(2027)), 2.0);
    tab.type_into(&["answers", "1.1", "source"], "Sổ hộ tịch", 3.0);
    let Step::Saved { records, head } = tab.flush(&backend, 4.0) else {
        panic!("saved")
    };
    assert_eq!(
        records.len(),
        2,
        "the keystrokes of one field are one change"
    );
    assert_eq!(head, 3);
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
    assert!(!tab.outbox.borrow().unsaved());
    assert_eq!(tab.flush(&backend, 5.0), Step::Idle);
}

#[test]
fn a_failed_write_keeps_every_change_waiting_in_order() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.edit(set("year", json!(2027)), 2.0);
    backend.fail_next_commit(StoreError::QuotaExceeded);
    assert_eq!(
        tab.flush(&backend, 3.0),
        Step::Failed(StoreError::QuotaExceeded)
    );
    assert!(tab.outbox.borrow().unsaved());
    assert_eq!(tab.outbox.borrow().uncommitted().len(), 1);
    tab.edit(set("year", json!(2028)), 4.0);
    tab.edit(set("answers/1.1", json!({"yes": true})), 5.0);
    assert!(matches!(tab.flush(&backend, 6.0), Step::Saved { .. }));
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
}

#[test]
fn a_full_disk_refuses_and_keeps_what_was_stored() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    let before = stored_doc(&backend, "a");
    backend.set_quota(Some(backend.used()));
    tab.type_into(&["answers", "1.1", "explanation"], "thêm", 2.0);
    assert_eq!(
        tab.flush(&backend, 3.0),
        Step::Failed(StoreError::QuotaExceeded)
    );
    assert_eq!(
        stored_doc(&backend, "a"),
        before,
        "what was stored is intact"
    );
    // Still readable at start, though nothing can be written.
    backend.fail_commits(Some(StoreError::QuotaExceeded));
    assert_eq!(
        ready(Journal::new(&backend, ASSESSMENTS).load_all())
            .unwrap()
            .docs
            .len(),
        1
    );
    backend.fail_commits(None);
    backend.set_quota(None);
    assert!(matches!(tab.flush(&backend, 4.0), Step::Saved { .. }));
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
}

#[test]
fn another_writer_moving_on_sends_this_version_to_a_backup_never_over_theirs() {
    let backend = MemoryBackend::new();
    let mine = created(&backend);
    let theirs = Tab::new("a", doc(), Some(1));
    theirs.edit(set("year", json!(2030)), 2.0);
    assert!(matches!(
        theirs.flush(&backend, 2.5),
        Step::Saved { head: 2, .. }
    ));
    mine.edit(set("year", json!(2031)), 3.0);
    let Step::Diverted { key, head } = mine.flush(&backend, 4.0) else {
        panic!("diverted")
    };
    assert_eq!(head, Some(2));
    assert_eq!(
        stored_doc(&backend, "a")["year"],
        json!(2030),
        "theirs kept"
    );
    let backup: Value =
        serde_json::from_str(&backend.raw_get(stores::BACKUPS, &Key::name(&key)).unwrap()).unwrap();
    assert_eq!(backup["year"], json!(2031), "mine kept as a backup");
    assert!(!mine.outbox.borrow().uncommitted().iter().any(|_| true));
}

#[test]
fn keystrokes_typed_while_the_backup_is_written_are_in_the_backup() {
    let backend = MemoryBackend::new();
    let mine = created(&backend);
    let theirs = Tab::new("a", doc(), Some(1));
    theirs.edit(set("year", json!(2030)), 2.0);
    assert!(matches!(theirs.flush(&backend, 2.5), Step::Saved { .. }));
    mine.type_into(&["answers", "1.1", "source"], " b", 3.0);
    // Each time the backup's text is taken, one more keystroke arrives before the write ends:
    // the first waits alone, the second is folded into it (the number waiting stays one).
    let typed = std::cell::Cell::new(0);
    let current = || {
        let now = Current {
            doc: mine.doc.borrow().clone(),
            who: "Nguyễn Thị Lan".into(),
            created_at: 0.5,
            updated_at: 4.0,
            backup_text: mine.doc.borrow().to_string(),
        };
        let n = typed.get();
        if n < 2 {
            typed.set(n + 1);
            mine.type_into(&["answers", "1.1", "source"], &n.to_string(), 3.5);
        }
        now
    };
    let step = ready(flush(
        &backend,
        ASSESSMENTS,
        stores::BACKUPS,
        &mine.outbox,
        &current,
        4.0,
    ));
    let Step::Diverted { key, .. } = step else {
        panic!("diverted")
    };
    let backup: Value =
        serde_json::from_str(&backend.raw_get(stores::BACKUPS, &Key::name(&key)).unwrap()).unwrap();
    assert_eq!(backup["answers"]["1.1"]["source"], json!(" b01"));
}

/// A tab diverted to a backup, and the store's version (theirs) at head 2.
fn diverted_tab(backend: &MemoryBackend) -> (Tab, String) {
    let mine = created(backend);
    let theirs = Tab::new("a", doc(), Some(1));
    theirs.edit(set("year", json!(2030)), 2.0);
    assert!(matches!(theirs.flush(backend, 2.5), Step::Saved { .. }));
    mine.type_into(&["answers", "1.1", "source"], " b", 3.0);
    let Step::Diverted { key, .. } = mine.flush(backend, 4.0) else {
        panic!("diverted")
    };
    (mine, key)
}

fn backup_source(backend: &MemoryBackend, key: &str) -> Value {
    let backup: Value =
        serde_json::from_str(&backend.raw_get(stores::BACKUPS, &Key::name(key)).unwrap()).unwrap();
    backup["answers"]["1.1"]["source"].clone()
}

fn current_of(tab: &Tab) -> impl Fn() -> Current + '_ {
    move || Current {
        doc: tab.doc.borrow().clone(),
        who: "Nguyễn Thị Lan".into(),
        created_at: 0.5,
        updated_at: 5.0,
        backup_text: tab.doc.borrow().to_string(),
    }
}

#[test]
fn keystrokes_typed_before_the_store_s_version_is_shown_join_the_backup() {
    let backend = MemoryBackend::new();
    let (mine, key) = diverted_tab(&backend);
    // Typed on this tab's version while the store's is being read.
    mine.type_into(&["answers", "1.1", "source"], "0", 4.5);
    let current = current_of(&mine);
    ready(keep_late_edits(
        &backend,
        stores::BACKUPS,
        &mine.outbox,
        &current,
        &key,
    ))
    .unwrap();
    assert_eq!(backup_source(&backend, &key), json!(" b0"));
    assert!(!mine.outbox.borrow().waiting(), "nothing left to append");
    assert_eq!(stored_doc(&backend, "a")["year"], json!(2030));
    assert!(
        stored_doc(&backend, "a")["answers"].get("1.1").is_none(),
        "theirs untouched"
    );
}

#[test]
fn late_keystrokes_whose_backup_fails_are_never_appended_to_the_store_s_version() {
    let backend = MemoryBackend::new();
    let (mine, key) = diverted_tab(&backend);
    mine.type_into(&["answers", "1.1", "source"], "0", 4.5);
    backend.fail_next_commit(StoreError::QuotaExceeded);
    let current = current_of(&mine);
    assert_eq!(
        ready(keep_late_edits(
            &backend,
            stores::BACKUPS,
            &mine.outbox,
            &current,
            &key
        )),
        Err(StoreError::QuotaExceeded)
    );
    assert!(mine.outbox.borrow().waiting(), "still waiting");
    // The retry keeps them as a backup of their own: the store's version stays theirs.
    let Step::Diverted { key: again, .. } = mine.flush(&backend, 6.0) else {
        panic!("diverted again, not appended")
    };
    assert_ne!(again, key);
    assert_eq!(backup_source(&backend, &again), json!(" b0"));
    assert!(
        stored_doc(&backend, "a")["answers"].get("1.1").is_none(),
        "theirs untouched"
    );
}

#[test]
fn a_document_deleted_meanwhile_keeps_this_version_as_a_backup() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    backend.raw_delete(stores::ASSESSMENTS, &Key::name("a"));
    backend.raw_delete(stores::ASSESSMENT_CHANGES, &Key::Seq("a".into(), 1));
    tab.type_into(&["answers", "2.1", "source"], "Báo cáo", 2.0);
    let Step::Diverted { key, head } = tab.flush(&backend, 3.0) else {
        panic!("diverted")
    };
    assert_eq!(head, None);
    let backup = backend.raw_get(stores::BACKUPS, &Key::name(&key)).unwrap();
    assert!(backup.contains("Báo cáo"), "{backup}");
}

#[test]
fn when_the_backup_fails_too_nothing_is_dropped() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    let other = Tab::new("a", doc(), Some(1));
    other.edit(set("year", json!(2040)), 2.0);
    other.flush(&backend, 2.0);
    tab.edit(set("year", json!(2041)), 3.0);
    backend.fail_commits(Some(StoreError::QuotaExceeded));
    let step = tab.flush(&backend, 4.0);
    assert_eq!(
        step,
        Step::Stuck {
            head: Some(2),
            error: StoreError::QuotaExceeded
        }
    );
    assert_eq!(tab.outbox.borrow().uncommitted().len(), 1, "still waiting");
    backend.fail_commits(None);
    assert!(matches!(tab.flush(&backend, 5.0), Step::Diverted { .. }));
    assert_eq!(backend.dump(stores::BACKUPS).len(), 1);
}

#[test]
fn creating_over_an_existing_id_is_a_conflict() {
    let backend = MemoryBackend::new();
    created(&backend);
    let record = Record {
        format: JOURNAL_FORMAT,
        doc: "a".into(),
        seq: 1,
        at: 9.0,
        since: None,
        who: "X".into(),
        change: Change::Create { doc: json!({}) },
    };
    assert_eq!(
        ready(Journal::new(&backend, ASSESSMENTS).create(&record)),
        Err(WriteError::Conflict { head: Some(1) })
    );
}

#[test]
fn compaction_merges_keystrokes_and_keeps_the_same_document() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    let long = "Đoạn thuyết minh rất dài. ".repeat(30);
    tab.edit(set("answers/1.1", json!({"explanation": long})), 2.0);
    tab.flush(&backend, 2.0);
    for (i, word) in ["một ", "hai ", "ba"].iter().enumerate() {
        tab.type_into(&["answers", "1.1", "explanation"], word, 3.0 + i as f64);
        tab.flush(&backend, 3.0 + i as f64);
    }
    let journal = Journal::new(&backend, ASSESSMENTS);
    let head = tab.outbox.borrow().head.unwrap();
    let before = backend.dump(stores::ASSESSMENT_CHANGES).len();
    assert!(ready(journal.compact("a", head)).unwrap());
    let after = backend.dump(stores::ASSESSMENT_CHANGES);
    assert_eq!(
        after.len(),
        3,
        "create, the answer, one typing run (was {before})"
    );
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
    let snapshot: Snapshot = serde_json::from_str(
        &backend
            .raw_get(stores::ASSESSMENTS, &Key::name("a"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(snapshot.seq, head);
    // A stale head changes nothing.
    assert!(!ready(journal.compact("a", head - 1)).unwrap());
    // The history reads as changes with old and new values.
    let history = ready(journal.history("a")).unwrap().unwrap();
    assert_eq!(history.len(), 3);
    let Change::Splice {
        inserted, removed, ..
    } = &history[2].change
    else {
        panic!("{:?}", history[2].change)
    };
    assert_eq!((inserted.as_str(), removed.as_str()), ("một hai ba", ""));
}

#[test]
fn an_unreadable_snapshot_is_rebuilt_from_the_records() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.edit(set("year", json!(2029)), 2.0);
    tab.flush(&backend, 2.0);
    backend.raw_put(
        stores::ASSESSMENTS,
        Key::name("a"),
        "{\"format\": 3, \"id\"",
    );
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(!report.docs[0].snapshot_ok);
    assert_eq!(report.docs[0].state.doc, *tab.doc.borrow());
}

#[test]
fn repeated_damage_to_one_document_keeps_every_copy_set_aside() {
    let backend = MemoryBackend::new();
    let journal = Journal::new(&backend, ASSESSMENTS);
    let mut keys = Vec::new();
    for (round, junk) in ["{\"format\": 3, \"do", "không phải JSON"]
        .iter()
        .enumerate()
    {
        created(&backend);
        backend.raw_put(stores::ASSESSMENT_CHANGES, Key::Seq("a".into(), 2), junk);
        let report = ready(journal.load_all()).unwrap();
        let [Problem::Unreadable { id, raw, reason }] = &report.problems[..] else {
            panic!("{:?}", report.problems)
        };
        assert!(raw.contains(&junk.replace('"', "\\\"")), "{raw}");
        assert!(reason.contains("thay đổi số 2"), "{reason}");
        // Same millisecond both times: the second copy still gets its own key.
        keys.push(ready(journal.set_aside(stores::SET_ASIDE, id, raw, 1000.0)).unwrap());
        assert!(
            ready(journal.load_all()).unwrap().docs.is_empty(),
            "round {round}"
        );
    }
    assert_eq!(keys, vec!["a/1000".to_string(), "a/1000-1".to_string()]);
    assert_eq!(backend.dump(stores::SET_ASIDE).len(), 2);
}

#[test]
fn a_newer_format_is_reported_as_such_and_never_touched() {
    let backend = MemoryBackend::new();
    let journal = Journal::new(&backend, ASSESSMENTS);
    let newer_snapshot = r#"{"format": 4, "id": "n", "seq": 7, "something": "new"}"#;
    backend.raw_put(stores::ASSESSMENTS, Key::name("n"), newer_snapshot);
    backend.raw_put(
        stores::ASSESSMENT_CHANGES,
        Key::Seq("n".into(), 7),
        r#"{"format": 4}"#,
    );
    let tab = created(&backend);
    backend.raw_put(
        stores::ASSESSMENT_CHANGES,
        Key::Seq("a".into(), 2),
        r#"{"format": 5, "x": 1}"#,
    );
    let report = ready(journal.load_all()).unwrap();
    assert!(report.docs.is_empty());
    let mut found: Vec<_> = report
        .problems
        .iter()
        .map(|p| match p {
            Problem::Newer { id, found } => (id.clone(), *found),
            other => panic!("{other:?}"),
        })
        .collect();
    found.sort();
    assert_eq!(found, vec![("a".into(), 5), ("n".into(), 4)]);
    // This build's writers refuse to go on top of it.
    tab.edit(set("year", json!(1)), 3.0);
    assert!(matches!(tab.flush(&backend, 3.0), Step::Diverted { .. }));
    assert!(!ready(journal.compact("n", 7)).unwrap());
    assert_eq!(
        backend
            .raw_get(stores::ASSESSMENTS, &Key::name("n"))
            .as_deref(),
        Some(newer_snapshot)
    );
    assert!(ready(journal.purge_deleted("n", f64::MAX)).is_ok_and(|purged| !purged));
}

#[test]
fn a_deletion_can_be_undone_until_it_is_purged() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.edit(Change::Delete, 10.0);
    tab.flush(&backend, 10.0);
    let journal = Journal::new(&backend, ASSESSMENTS);
    let loaded = ready(journal.load_all()).unwrap();
    assert_eq!(loaded.docs[0].state.deleted_at, Some(10.0));
    assert!(
        !ready(journal.purge_deleted("a", 5.0)).unwrap(),
        "too recent"
    );
    tab.edit(Change::Restore, 11.0);
    tab.flush(&backend, 11.0);
    assert!(
        !ready(journal.purge_deleted("a", 100.0)).unwrap(),
        "restored"
    );
    tab.edit(Change::Delete, 12.0);
    tab.flush(&backend, 12.0);
    assert!(ready(journal.purge_deleted("a", 100.0)).unwrap());
    assert!(ready(journal.load_all()).unwrap().docs.is_empty());
    assert_eq!(backend.used(), 0);
}

#[test]
fn answers_typed_field_by_field_rebuild_the_same_answer() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    let mut answer: Option<Answer> = None;
    type Step = Box<dyn Fn(&mut Answer)>;
    let steps: Vec<Step> = vec![
        Box::new(|a| a.numerator = Some(3.0)),
        Box::new(|a| a.denominator = Some(4.5)),
        Box::new(|a| a.source = "Sổ".into()),
        Box::new(|a| a.explanation = "x".repeat(400)),
        Box::new(|a| a.explanation.insert_str(200, "chèn giữa")),
        Box::new(|a| a.numerator = None),
        Box::new(|a| a.checked = true),
    ];
    for (i, step) in steps.iter().enumerate() {
        let mut next = answer.clone().unwrap_or_default();
        step(&mut next);
        for change in answer_changes("7.1", answer.as_ref(), &next) {
            tab.edit(change, i as f64);
        }
        answer = Some(next);
        tab.flush(&backend, i as f64);
    }
    let stored = stored_doc(&backend, "a");
    let back: Answer = serde_json::from_value(stored["answers"]["7.1"].clone()).unwrap();
    assert_eq!(Some(back), answer);
}

// ---------------------------------------------------------------------------------------------
// Moving the localStorage layouts over

fn old_entry(id: &str, revision: u64, name: &str) -> (StoredAssessment, String) {
    let set = common::test_set();
    let mut a = common::assessment(&set, "xa", vec![("1.1", common::yes(true))]);
    a.id = id.into();
    a.assessor.name = name.into();
    let mut stored = StoredAssessment::new(a, 500.0);
    stored.revision = revision;
    stored.last_exported_at = Some(400.0);
    let raw = encode_stored(&stored);
    (stored, raw)
}

fn migrate(backend: &MemoryBackend, key: &str, raw: &str, now: f64) -> Moved {
    ready(migrate_entry(backend, key, raw, now)).unwrap()
}

#[test]
fn format_2_and_format_1_entries_become_documents_with_their_revision() {
    let backend = MemoryBackend::new();
    let (stored, raw) = old_entry("x2", 7, "Lan");
    assert_eq!(
        migrate(&backend, &legacy::keys::assessment("x2"), &raw, 1.0),
        Moved::Created
    );
    let bare = serde_json::to_string(&old_entry("x1", 1, "Hà").0.assessment).unwrap();
    assert_eq!(
        migrate(&backend, &legacy::keys::assessment("x1"), &bare, 1.0),
        Moved::Created
    );
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all()).unwrap();
    let x2 = report.docs.iter().find(|d| d.id == "x2").unwrap();
    assert_eq!(x2.state.seq, 7, "revision kept");
    assert_eq!(
        x2.state.doc,
        serde_json::to_value(&stored.assessment).unwrap()
    );
    assert_eq!(x2.state.updated_at, 500.0);
    let mark = backend.raw_get(stores::EXPORTS, &Key::name("x2")).unwrap();
    assert_eq!(legacy::read_export_mark(&mark), Some((400.0, 7)));
    // At the next start the same entry is already there.
    assert_eq!(
        migrate(&backend, &legacy::keys::assessment("x2"), &raw, 2.0),
        Moved::Identical
    );
    assert!(Moved::Identical.remove_original());
}

#[test]
fn an_old_tab_writing_after_the_move_has_its_copy_kept_as_a_backup() {
    let backend = MemoryBackend::new();
    let (_, raw) = old_entry("x", 3, "Lan");
    migrate(&backend, &legacy::keys::assessment("x"), &raw, 1.0);
    let (_, changed) = old_entry("x", 4, "Người ở thẻ cũ");
    let Moved::KeptAsBackup(key) = migrate(&backend, &legacy::keys::assessment("x"), &changed, 2.0)
    else {
        panic!()
    };
    assert_eq!(
        backend
            .raw_get(stores::BACKUPS, &Key::name(&key))
            .as_deref(),
        Some(changed.as_str())
    );
}

#[test]
fn damaged_newer_backups_and_set_aside_entries_move_as_the_rules_say() {
    let backend = MemoryBackend::new();
    let newer = r#"{"format": 9, "assessment": {}}"#;
    let moved = migrate(&backend, &legacy::keys::assessment("moi"), newer, 1.0);
    assert_eq!(moved, Moved::LeftNewer(9));
    assert!(!moved.remove_original(), "a newer entry stays where it is");
    assert_eq!(backend.used(), 0, "and nothing is written about it");

    for round in 0..2 {
        let Moved::SetAside { key, reason } = migrate(
            &backend,
            &legacy::keys::assessment("hong"),
            "{\"format\": 2, \"rev",
            5.0,
        ) else {
            panic!()
        };
        assert_eq!(key, if round == 0 { "hong/5" } else { "hong/5-1" });
        assert!(reason.contains("(dòng 1"), "{reason}");
    }
    assert_eq!(
        migrate(&backend, "xa-tre-em/hong/cu", "rác", 5.0),
        Moved::SetAside {
            key: "cu/5".into(),
            reason: "Bản lưu hỏng từ phiên bản trước.".into(),
        }
    );
    assert_eq!(backend.dump(stores::SET_ASIDE).len(), 3);

    let (_, raw) = old_entry("b", 2, "Lan");
    assert_eq!(
        migrate(&backend, "xa-tre-em/sao-luu/b/123", &raw, 5.0),
        Moved::Created
    );
    assert_eq!(
        migrate(&backend, "xa-tre-em/sao-luu/b/123", &raw, 6.0),
        Moved::Identical
    );
    assert_eq!(
        migrate(&backend, "xa-tre-em/sao-luu/b/123", "khác", 6.0),
        Moved::KeptAsBackup("b/123/6".into())
    );
    assert_eq!(
        migrate(&backend, "xa-tre-em/tong-hop/bang", "[]", 6.0),
        Moved::Ignored
    );
    assert_eq!(
        migrate(&backend, "xa-tre-em/danh-gia/", "{}", 6.0),
        Moved::Ignored
    );
}

#[test]
fn a_move_that_cannot_be_written_leaves_the_old_entry_to_keep() {
    let backend = MemoryBackend::new();
    backend.fail_commits(Some(StoreError::QuotaExceeded));
    let (_, raw) = old_entry("x", 3, "Lan");
    assert_eq!(
        ready(migrate_entry(
            &backend,
            &legacy::keys::assessment("x"),
            &raw,
            1.0
        )),
        Err(StoreError::QuotaExceeded)
    );
}

#[test]
fn many_documents_are_created_together_or_not_at_all() {
    let backend = MemoryBackend::new();
    let journal = Journal::new(&backend, ASSESSMENTS);
    let record = |id: &str| Record {
        format: JOURNAL_FORMAT,
        doc: id.into(),
        seq: 3,
        at: 1.0,
        since: None,
        who: "A".into(),
        change: Change::Create {
            doc: json!({"id": id}),
        },
    };
    created(&backend);
    assert_eq!(
        ready(journal.create_all(&[record("b"), record("a")])),
        Err(WriteError::Conflict { head: Some(1) }),
        "a is taken"
    );
    assert!(
        backend
            .raw_get(stores::ASSESSMENTS, &Key::name("b"))
            .is_none(),
        "b not half-made"
    );
    let states = ready(journal.create_all(&[record("b"), record("c")])).unwrap();
    assert_eq!(states.iter().map(|s| s.seq).collect::<Vec<_>>(), vec![3, 3]);
    assert_eq!(ready(journal.load_all()).unwrap().docs.len(), 3);
}

/// A document as [`Journal::load_all_as`] reads it: the tests' own small type.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct Small {
    id: String,
    year: u32,
}

fn small(id: &str, doc: &Small) -> Result<(), String> {
    match doc.id == id {
        true => Ok(()),
        false => Err("mã không khớp".into()),
    }
}

fn create(backend: &MemoryBackend, id: &str, year: u32) {
    let record = Record {
        format: JOURNAL_FORMAT,
        doc: id.into(),
        seq: 1,
        at: 1.0,
        since: None,
        who: "A".into(),
        change: Change::Create {
            doc: json!({"id": id, "year": year}),
        },
    };
    ready(Journal::new(backend, ASSESSMENTS).create(&record)).unwrap();
}

#[test]
fn a_start_reads_records_only_of_documents_that_have_some_after_their_snapshot() {
    let backend = MemoryBackend::new();
    for n in 0..300 {
        create(&backend, &format!("d{n:03}"), 2000 + n);
    }
    // One edited since its snapshot, one whose snapshot is gone: only these two are read by
    // their records.
    let edit = Tab::new("d007", json!({"id": "d007", "year": 2007}), Some(1));
    edit.edit(set("year", json!(2099)), 2.0);
    assert!(matches!(
        edit.flush(&backend, 2.0),
        Step::Saved { head: 2, .. }
    ));
    backend.raw_delete(stores::ASSESSMENTS, &Key::name("d250"));
    let reads = backend.entry_reads();
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all_as::<Small>(small)).unwrap();
    assert_eq!(backend.entry_reads() - reads, 2);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.docs.len(), 300);
    let by_id = |id: &str| report.docs.iter().find(|d| d.id == id).unwrap();
    let edited = by_id("d007");
    assert_eq!(edited.doc.year, 2099, "what is committed is what is read");
    assert_eq!(
        (edited.seq, edited.since_snapshot, edited.snapshot_ok),
        (2, 1, true)
    );
    let rebuilt = by_id("d250");
    assert_eq!(
        rebuilt.doc,
        Small {
            id: "d250".into(),
            year: 2250
        }
    );
    assert!(!rebuilt.snapshot_ok);
    let plain = by_id("d123");
    assert_eq!(
        (plain.doc.year, plain.seq, plain.since_snapshot),
        (2123, 1, 0)
    );
    // The same documents, the same way, as JSON values.
    let values = ready(Journal::new(&backend, ASSESSMENTS).load_all()).unwrap();
    assert!(values
        .docs
        .iter()
        .map(|d| &d.id)
        .eq(report.docs.iter().map(|d| &d.id)));
}

#[test]
fn a_start_in_parts_reads_what_one_read_does_and_tells_what_was_written_meanwhile() {
    let backend = MemoryBackend::new();
    for n in 0..300 {
        create(&backend, &format!("d{n:03}"), 2000 + n);
    }
    let edit = Tab::new("d007", json!({"id": "d007", "year": 2007}), Some(1));
    edit.edit(set("year", json!(2099)), 2.0);
    edit.flush(&backend, 2.0);
    backend.raw_delete(stores::ASSESSMENTS, &Key::name("d250"));
    // A damaged snapshot (rebuilt from its records) and one refused (unreadable).
    backend.raw_put(stores::ASSESSMENTS, Key::name("d100"), "{hỏng");
    let refused = json!({"format": JOURNAL_FORMAT, "id": "d200", "seq": 1, "created_at": 1.0,
                         "updated_at": 1.0, "doc": {"id": "khác", "year": 2025}});
    backend.raw_put(stores::ASSESSMENTS, Key::name("d200"), &refused.to_string());
    let journal = Journal::new(&backend, ASSESSMENTS);
    let whole = ready(journal.load_all_as::<Small>(small)).unwrap();
    // Another tab writes while the parts are read: after the second pause.
    let pauses = RefCell::new(0);
    let parts = ready(journal.load_all_as_in_parts::<Small, _>(64, small, || {
        *pauses.borrow_mut() += 1;
        if *pauses.borrow() == 2 {
            edit.edit(set("year", json!(2100)), 3.0);
            edit.flush(&backend, 3.0);
        }
        std::future::ready(())
    }))
    .unwrap();
    assert_eq!(*pauses.borrow(), 5, "299 snapshots in parts of 64");
    assert_eq!(parts.problems, whole.problems);
    assert_eq!(parts.problems.len(), 1, "{:?}", parts.problems);
    assert_eq!(
        parts.docs, whole.docs,
        "d007 was read before the other tab wrote"
    );
    assert_eq!(
        parts.docs.len(),
        299,
        "d250 and d100 from their records, d200 refused"
    );
    let heads = ready(journal.heads()).unwrap();
    let read = parts.docs.iter().find(|d| d.id == "d007").unwrap();
    assert_eq!(
        (read.seq, heads["d007"]),
        (2, 3),
        "the heads say what to read again"
    );
}

#[test]
fn a_document_that_does_not_decode_or_is_refused_at_start_is_unreadable_with_its_content() {
    let backend = MemoryBackend::new();
    create(&backend, "ok", 2025);
    create(&backend, "bad", 2025);
    create(&backend, "other", 2025);
    let snapshot = |id: &str, doc: Value| {
        json!({"format": JOURNAL_FORMAT, "id": id, "seq": 1, "created_at": 1.0,
               "updated_at": 1.0, "doc": doc})
        .to_string()
    };
    backend.raw_put(
        stores::ASSESSMENTS,
        Key::name("bad"),
        &snapshot("bad", json!({"id": "bad", "year": "hai nghìn"})),
    );
    backend.raw_put(
        stores::ASSESSMENTS,
        Key::name("other"),
        &snapshot("other", json!({"id": "khác", "year": 2025})),
    );
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all_as::<Small>(small)).unwrap();
    assert_eq!(report.docs.len(), 1);
    assert_eq!(report.docs[0].id, "ok");
    let mut problems: Vec<(String, String, String)> = report
        .problems
        .into_iter()
        .map(|p| match p {
            Problem::Unreadable { id, raw, reason } => (id, raw, reason),
            other => panic!("{other:?}"),
        })
        .collect();
    problems.sort();
    assert_eq!(problems[0].0, "bad");
    assert!(problems[0].1.contains("hai nghìn"), "{}", problems[0].1);
    assert!(
        problems[0].2.starts_with("nội dung không hợp lệ"),
        "{}",
        problems[0].2
    );
    assert_eq!(problems[1].0, "other");
    assert!(problems[1].1.contains("khác"), "{}", problems[1].1);
    assert_eq!(problems[1].2, "mã không khớp");
}

#[test]
fn a_newer_snapshot_that_reads_as_this_format_would_is_still_left_alone_at_start() {
    let backend = MemoryBackend::new();
    create(&backend, "n", 2025);
    // Every field this build knows, but a later format: never decoded, never set aside.
    let newer = json!({"format": JOURNAL_FORMAT + 1, "id": "n", "seq": 1, "created_at": 1.0,
                       "updated_at": 1.0, "doc": {"id": "n", "year": 2025}})
    .to_string();
    backend.raw_put(stores::ASSESSMENTS, Key::name("n"), &newer);
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all_as::<Small>(small)).unwrap();
    assert!(report.docs.is_empty());
    assert_eq!(
        report.problems,
        vec![Problem::Newer {
            id: "n".into(),
            found: u64::from(JOURNAL_FORMAT) + 1
        }]
    );
}

#[test]
fn a_record_after_a_snapshot_that_does_not_apply_makes_the_document_unreadable_with_every_record() {
    let backend = MemoryBackend::new();
    create(&backend, "a", 2025);
    create(&backend, "b", 2026);
    backend.raw_put(
        stores::ASSESSMENT_CHANGES,
        Key::Seq("a".into(), 2),
        "không phải JSON",
    );
    let report = ready(Journal::new(&backend, ASSESSMENTS).load_all_as::<Small>(small)).unwrap();
    assert_eq!(report.docs.len(), 1);
    assert_eq!(report.docs[0].id, "b");
    let [Problem::Unreadable { id, raw, reason }] = &report.problems[..] else {
        panic!("{:?}", report.problems)
    };
    assert_eq!(id, "a");
    assert!(reason.contains("thay đổi số 2"), "{reason}");
    // The snapshot and both records, the Create included, are in what is set aside.
    assert!(
        raw.contains("không phải JSON") && raw.contains(r#"\"kind\":\"create\""#),
        "{raw}"
    );
}

// -----------------------------------------------------------------------------------------
// What a tab closed before its write left behind

fn left_by(tab: &Tab) -> String {
    let left = leave(&tab.outbox.borrow(), current_of(tab)).expect("something is unsaved");
    serde_json::to_string(&left).unwrap()
}

fn recovered(backend: &MemoryBackend, raw: &str) -> Recovered {
    ready(recover(backend, ASSESSMENTS, stores::BACKUPS, raw, 9.0)).unwrap()
}

#[test]
fn nothing_is_left_behind_once_everything_is_committed() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    assert_eq!(leave(&tab.outbox.borrow(), current_of(&tab)), None);
}

#[test]
fn keys_never_written_are_written_from_what_the_closed_tab_left() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.type_into(&["answers", "1.1", "explanation"], "Biên bản", 2.0);
    tab.edit(set("year", json!(2027)), 2.5);
    let raw = left_by(&tab);
    assert_eq!(recovered(&backend, &raw), Recovered::Written(2));
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
    assert_eq!(
        recovered(&backend, &raw),
        Recovered::AlreadyStored,
        "a second start finds nothing more to write"
    );
}

#[test]
fn the_write_under_way_when_the_tab_closed_is_not_written_twice() {
    // Left while the first change was being written; that write committed, the second never
    // began.
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.type_into(&["answers", "1.1", "explanation"], "Bi", 2.0);
    tab.edit(set("year", json!(2027)), 2.5);
    let raw = left_by(&tab);
    let left: LeftBehind = serde_json::from_str(&raw).unwrap();
    assert_eq!(left.base, Some(1));
    ready(Journal::new(&backend, ASSESSMENTS).append("a", 1, &left.records[..1])).unwrap();
    assert_eq!(recovered(&backend, &raw), Recovered::Written(1));
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
    let history = ready(Journal::new(&backend, ASSESSMENTS).history("a"))
        .unwrap()
        .unwrap();
    assert_eq!(history.len(), 3, "create, the text, the year: {history:?}");

    // And when it all committed, nothing is written.
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.type_into(&["answers", "1.1", "explanation"], "Bi", 2.0);
    let raw = left_by(&tab);
    assert!(matches!(tab.flush(&backend, 3.0), Step::Saved { .. }));
    let commits = backend.commits();
    assert_eq!(recovered(&backend, &raw), Recovered::AlreadyStored);
    assert_eq!(backend.commits(), commits, "nothing written");

    // Left when the tab was hidden; shown again, it went on and wrote more: nothing to do.
    tab.edit(set("year", json!(2028)), 4.0);
    assert!(matches!(tab.flush(&backend, 4.5), Step::Saved { .. }));
    assert_eq!(recovered(&backend, &raw), Recovered::AlreadyStored);
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
}

#[test]
fn a_document_never_stored_is_created_from_what_its_tab_left() {
    let backend = MemoryBackend::new();
    let tab = Tab::new("a", doc(), None);
    tab.edit(set("year", json!(2027)), 2.0);
    let raw = left_by(&tab);
    assert_eq!(recovered(&backend, &raw), Recovered::Written(1));
    assert_eq!(stored_doc(&backend, "a"), *tab.doc.borrow());
    assert_eq!(recovered(&backend, &raw), Recovered::AlreadyStored);
}

#[test]
fn what_no_longer_follows_the_store_becomes_a_backup_never_over_theirs() {
    let backend = MemoryBackend::new();
    let mine = created(&backend);
    mine.type_into(&["answers", "1.1", "explanation"], "của tôi", 2.0);
    let raw = left_by(&mine);
    // Another tab took over and wrote first.
    let theirs = Tab::new("a", doc(), Some(1));
    theirs.edit(set("year", json!(2030)), 3.0);
    assert!(matches!(theirs.flush(&backend, 3.5), Step::Saved { .. }));
    let Recovered::KeptAsBackup(key) = recovered(&backend, &raw) else {
        panic!("kept as a backup")
    };
    assert_eq!(
        stored_doc(&backend, "a"),
        *theirs.doc.borrow(),
        "theirs kept"
    );
    let backup: Value =
        serde_json::from_str(&backend.raw_get(stores::BACKUPS, &Key::name(&key)).unwrap()).unwrap();
    assert_eq!(backup, *mine.doc.borrow(), "mine whole, as a backup");

    // A document created meanwhile under the same id is not overwritten either.
    let backend = MemoryBackend::new();
    let never = Tab::new("a", doc(), None);
    never.edit(set("year", json!(2027)), 2.0);
    let raw = left_by(&never);
    created(&backend);
    assert!(matches!(
        recovered(&backend, &raw),
        Recovered::KeptAsBackup(_)
    ));
    assert_eq!(stored_doc(&backend, "a"), doc());
}

#[test]
fn an_entry_that_does_not_read_is_set_aside_and_a_newer_one_left_alone() {
    let backend = MemoryBackend::new();
    for raw in [
        "{\"format\": 1, \"id\": \"a\"",
        "{\"format\": 1, \"id\": \"a\", \"base\": 1, \"records\": [], \"backup\": \"\"}",
    ] {
        let Recovered::SetAside(key) = recovered(&backend, raw) else {
            panic!("set aside: {raw}")
        };
        assert_eq!(
            backend
                .raw_get(stores::SET_ASIDE, &Key::name(&key))
                .as_deref(),
            Some(raw)
        );
    }
    let newer = "{\"format\": 2, \"id\": \"a\", \"other\": true}";
    assert_eq!(recovered(&backend, newer), Recovered::LeftNewer(2));
    assert!(!Recovered::LeftNewer(2).remove_entry());
}

#[test]
fn a_store_that_cannot_be_written_keeps_the_entry_for_the_next_start() {
    let backend = MemoryBackend::new();
    let tab = created(&backend);
    tab.edit(set("year", json!(2027)), 2.0);
    let raw = left_by(&tab);
    backend.fail_commits(Some(StoreError::QuotaExceeded));
    assert!(ready(recover(&backend, ASSESSMENTS, stores::BACKUPS, &raw, 9.0)).is_err());
    backend.fail_commits(None);
    assert_eq!(stored_doc(&backend, "a"), doc());
    assert_eq!(recovered(&backend, &raw), Recovered::Written(1));
}

#[test]
fn many_keys_are_written_in_one_transaction_or_not_at_all() {
    let backend = MemoryBackend::new();
    let store = stores::IMPORTED_HISTORY;
    ready(kv_put(&backend, store, "cu", "cũ")).unwrap();
    let entries = vec![
        ("a".to_string(), Some("một".to_string())),
        ("b".to_string(), Some("hai".to_string())),
        ("cu".to_string(), None),
    ];
    backend.fail_next_commit(StoreError::QuotaExceeded);
    assert_eq!(
        ready(kv_put_all(&backend, store, &entries)),
        Err(StoreError::QuotaExceeded)
    );
    let all = ready(kv_all(&backend, store)).unwrap();
    assert_eq!(all, vec![("cu".to_string(), "cũ".to_string())]);
    ready(kv_put_all(&backend, store, &entries)).unwrap();
    let mut all = ready(kv_all(&backend, store)).unwrap();
    all.sort();
    assert_eq!(
        all,
        vec![
            ("a".to_string(), "một".to_string()),
            ("b".to_string(), "hai".to_string())
        ]
    );
    ready(kv_put_all(&backend, store, &[])).unwrap();
}
