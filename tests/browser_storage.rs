//! The storage adapters in a real browser (headless Chromium): IndexedDB and localStorage behind
//! the storage core's trait (atomic transactions, documents read by id and number, keys that
//! round-trip, a full quota), and the app state on top (a change saved as a small record, read
//! back by a second "tab", the localStorage layouts moved over at start).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::*;
use xa_phu_hop_tre_em::adapters::idb::{self, IdbBackend, DASHBOARD_DOCS, DASHBOARD_ROWS};
use xa_phu_hop_tre_em::adapters::locks::{self, Ask};
use xa_phu_hop_tre_em::adapters::storage::{self, LocalBackend, StorageError};
use xa_phu_hop_tre_em::adapters::tick::{meanwhile, next_task, sleep_ms, yield_now};
use xa_phu_hop_tre_em::domain::assessment::{Assessment, Assessor, CommuneRef, CriteriaSetRef};
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::dashboard::decode_row;
use xa_phu_hop_tre_em::domain::doc_store::Journal;
use xa_phu_hop_tre_em::domain::journal::{Change, Record, JOURNAL_FORMAT};
use xa_phu_hop_tre_em::domain::legacy::{keys, ASSESSMENTS};
use xa_phu_hop_tre_em::domain::storage_format::{encode_stored, StoredAssessment};
use xa_phu_hop_tre_em::domain::store::{stores, Backend, Key, Mode, StoreError, Transaction};
use xa_phu_hop_tre_em::ui::dashboard_state::{Changed, Dashboard};
use xa_phu_hop_tre_em::ui::state::{AnswerText, AppState, SaveStatus, StorageMode};

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh id per test, so that tests sharing the browser's database never meet.
fn fresh(prefix: &str) -> String {
    format!("{prefix}-{}", js_sys::Math::random().to_bits())
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

fn create_record(id: &str) -> Record {
    Record {
        format: JOURNAL_FORMAT,
        doc: id.into(),
        seq: 1,
        at: 10.0,
        since: None,
        who: "A".into(),
        change: Change::Create {
            doc: json!({"t": "Phú Mỹ"}),
        },
    }
}

fn set_record(id: &str, seq: u64, value: &str) -> Record {
    Record {
        seq,
        change: Change::Set {
            path: vec!["t".into()],
            old: None,
            new: Some(json!(value)),
        },
        ..create_record(id)
    }
}

/// The rules every backend must keep, run on one.
async fn backend_contract<B: Backend>(backend: &B) {
    let id = fresh("a");
    let longer = format!("{id}b");
    let journal = Journal::new(backend, ASSESSMENTS);
    journal.create(&create_record(&id)).await.unwrap();
    journal.create(&create_record(&longer)).await.unwrap();
    journal
        .append(&id, 1, &[set_record(&id, 2, "Phù Mỹ")])
        .await
        .unwrap();
    // An id that is a prefix of another keeps its own records only.
    let mut tx = backend
        .begin(&[stores::ASSESSMENT_CHANGES], Mode::Read)
        .await
        .unwrap();
    assert_eq!(
        tx.last_seq(stores::ASSESSMENT_CHANGES, &id).await.unwrap(),
        Some(2)
    );
    assert_eq!(
        tx.last_seq(stores::ASSESSMENT_CHANGES, &longer)
            .await
            .unwrap(),
        Some(1)
    );
    let entries = tx
        .entries(stores::ASSESSMENT_CHANGES, &id, 2)
        .await
        .unwrap();
    assert_eq!(entries.iter().map(|e| e.0).collect::<Vec<_>>(), vec![2]);
    tx.commit().await.unwrap();
    // A stale writer is refused.
    assert!(journal
        .append(&id, 1, &[set_record(&id, 2, "x")])
        .await
        .is_err());
    let loaded = journal.load(&id).await.unwrap().unwrap().unwrap();
    assert_eq!(loaded.state.doc, json!({"t": "Phù Mỹ"}));
    assert_eq!(loaded.state.seq, 2);
    // Keys with slashes and letters survive.
    let odd = format!("{id}/ư/%2F");
    let mut tx = backend
        .begin(&[stores::BACKUPS], Mode::Write)
        .await
        .unwrap();
    tx.put(stores::BACKUPS, Key::name(&odd), "bản sao".into());
    tx.commit().await.unwrap();
    let mut tx = backend.begin(&[stores::BACKUPS], Mode::Read).await.unwrap();
    let all = tx.all(stores::BACKUPS).await.unwrap();
    assert!(
        all.contains(&(Key::name(&odd), "bản sao".to_string())),
        "{all:?}"
    );
    tx.commit().await.unwrap();
    // Deleting a document's records leaves the others.
    let mut tx = backend
        .begin(&[stores::ASSESSMENT_CHANGES], Mode::Write)
        .await
        .unwrap();
    tx.delete_entries(stores::ASSESSMENT_CHANGES, &id);
    tx.commit().await.unwrap();
    let mut tx = backend
        .begin(&[stores::ASSESSMENT_CHANGES], Mode::Read)
        .await
        .unwrap();
    assert_eq!(
        tx.last_seq(stores::ASSESSMENT_CHANGES, &id).await.unwrap(),
        None
    );
    assert_eq!(
        tx.last_seq(stores::ASSESSMENT_CHANGES, &longer)
            .await
            .unwrap(),
        Some(1)
    );
    tx.commit().await.unwrap();
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_the_rules_of_a_backend() {
    backend_contract(&IdbBackend).await;
}

#[wasm_bindgen_test]
async fn localstorage_keeps_the_rules_of_a_backend() {
    backend_contract(&LocalBackend).await;
}

#[wasm_bindgen_test]
async fn an_indexeddb_transaction_with_a_refused_write_stores_nothing() {
    let id = fresh("atomic");
    let mut tx = IdbBackend
        .begin(&[stores::BACKUPS], Mode::Write)
        .await
        .unwrap();
    tx.put(stores::BACKUPS, Key::name(&id), "1".into());
    // Not in this transaction's scope: the browser refuses, and the whole unit with it.
    tx.put(stores::DRAFTS, Key::name(&id), "2".into());
    let error = tx.commit().await.unwrap_err();
    assert!(matches!(error, StoreError::Failed(_)), "{error:?}");
    assert!(
        !error.message_vi().contains("JsValue"),
        "{}",
        error.message_vi()
    );
    let mut tx = IdbBackend
        .begin(&[stores::BACKUPS], Mode::Read)
        .await
        .unwrap();
    assert_eq!(
        tx.get(stores::BACKUPS, &Key::name(&id)).await.unwrap(),
        None
    );
    tx.commit().await.unwrap();
}

/// A row put back beside its document never replaces a row another tab stored meanwhile; the
/// keys of both stores are read at one moment; a removal takes the key out of both.
#[wasm_bindgen_test]
async fn rows_are_put_back_only_where_none_is_stored() {
    let prefix = fresh("dong");
    let key = |i: u8| format!("{prefix}/{i}");
    let text = |t: &str| t.to_string();
    let docs = [
        (key(1), text("bản 1")),
        (key(2), text("bản 2")),
        (key(3), text("bản 3")),
    ];
    let rows = [(key(2), text("dòng mới 2"))];
    idb::put_all(&[(DASHBOARD_DOCS, &docs), (DASHBOARD_ROWS, &rows)])
        .await
        .unwrap();
    let back = [
        (key(1), text("dòng 1")),
        (key(2), text("dòng cũ 2")),
        (key(3), text("dòng 3")),
    ];
    idb::put_absent(DASHBOARD_ROWS, &back).await.unwrap();
    for (i, expected) in [(1, "dòng 1"), (2, "dòng mới 2"), (3, "dòng 3")] {
        let stored = idb::get(DASHBOARD_ROWS, &key(i)).await.unwrap();
        assert_eq!(stored.as_deref(), Some(expected));
    }
    idb::delete(&[DASHBOARD_DOCS, DASHBOARD_ROWS], &key(2))
        .await
        .unwrap();
    let both = idb::keys_together(&[DASHBOARD_DOCS, DASHBOARD_ROWS])
        .await
        .unwrap();
    let ours = |list: &Vec<String>| -> Vec<String> {
        list.iter()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect()
    };
    assert_eq!(both.len(), 2);
    assert_eq!(ours(&both[0]), [key(1), key(3)]);
    assert_eq!(ours(&both[1]), [key(1), key(3)]);
    idb::delete_all(&[DASHBOARD_ROWS], &[key(1), key(3)])
        .await
        .unwrap();
    let rows_left = idb::keys(DASHBOARD_ROWS).await.unwrap();
    assert!(ours(&rows_left).is_empty());
}

/// The dashboard's documents read back in runs of keys, each run read while the one before is
/// decoded (as the table is rebuilt from them, in slices): every text once, in the store's order,
/// and the work done meanwhile given back beside the read.
#[wasm_bindgen_test]
async fn documents_read_in_runs_come_back_whole_and_in_order() {
    let prefix = fresh("tong-hop");
    let entries: Vec<(String, String)> = (0..23)
        .map(|i| (format!("{prefix}/{i:02}"), format!("bản {i}")))
        .collect();
    idb::put_all(&[(DASHBOARD_DOCS, &entries)]).await.unwrap();
    let keys: Vec<String> = idb::keys(DASHBOARD_DOCS)
        .await
        .unwrap()
        .into_iter()
        .filter(|k| k.starts_with(&prefix))
        .collect();
    let expected: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(keys, expected);
    let mut runs = keys.chunks(5);
    let mut texts = idb::get_run(DASHBOARD_DOCS, runs.next().unwrap())
        .await
        .unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let next = runs.next();
        let read = async {
            match next {
                Some(run) => Some(idb::get_run(DASHBOARD_DOCS, run).await.unwrap()),
                None => None,
            }
        };
        // The work gives the page turns, as the decoding does (through messages: timers of a
        // page in the background wait a second): the read ends meanwhile.
        let (read, size) = meanwhile(read, async {
            for (_, text) in &texts {
                seen.push(text.clone());
                yield_now().await;
            }
            texts.len()
        })
        .await;
        sizes.push(size);
        match read {
            Some(read) => texts = read,
            None => break,
        }
    }
    let all: Vec<String> = entries.into_iter().map(|(_, t)| t).collect();
    assert_eq!(seen, all);
    let first = idb::get_run(DASHBOARD_DOCS, &keys[..2]).await.unwrap();
    assert_eq!(
        first,
        [
            (keys[0].clone(), "bản 0".to_string()),
            (keys[1].clone(), "bản 1".to_string())
        ]
    );
    assert_eq!(sizes, [5, 5, 5, 5, 3]);
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

#[wasm_bindgen_test]
async fn a_full_localstorage_refuses_a_transaction_whole() {
    local().clear().unwrap();
    let id = fresh("day");
    let mut tx = LocalBackend
        .begin(&[stores::BACKUPS], Mode::Write)
        .await
        .unwrap();
    tx.put(stores::BACKUPS, Key::name(&id), "cũ".into());
    tx.commit().await.unwrap();
    let (written, error) = fill_storage();
    assert_eq!(error, StorageError::QuotaExceeded);
    let mut tx = LocalBackend
        .begin(&[stores::BACKUPS], Mode::Write)
        .await
        .unwrap();
    tx.put(stores::BACKUPS, Key::name(&id), "mới".into());
    tx.put(stores::BACKUPS, Key::name("lon"), "y".repeat(200_000));
    assert_eq!(tx.commit().await, Err(StoreError::QuotaExceeded));
    let mut tx = LocalBackend
        .begin(&[stores::BACKUPS], Mode::Read)
        .await
        .unwrap();
    assert_eq!(
        tx.get(stores::BACKUPS, &Key::name(&id))
            .await
            .unwrap()
            .as_deref(),
        Some("cũ"),
        "the first write of the refused transaction was undone"
    );
    for key in written {
        storage::remove(&key);
    }
}

async fn started(state: AppState) -> AppState {
    // What mounting the app does first. The app reads everything through the screens' part
    // (`AppState::finish_start`), which a build without the split cannot fetch: read directly.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async move {
        let opened = state.open_store().await;
        state.load_stored(opened).await;
    });
    for _ in 0..500 {
        if state.ready.get_untracked() {
            return state;
        }
        next_task().await;
    }
    panic!("the app never finished reading what is stored");
}

async fn saved(state: AppState) {
    for _ in 0..500 {
        if matches!(state.save.get_untracked(), SaveStatus::Saved { .. }) {
            return;
        }
        next_task().await;
    }
    panic!("never saved: {:?}", state.save.get_untracked());
}

#[wasm_bindgen_test]
async fn a_change_is_saved_as_a_small_record_and_read_back_by_another_tab() {
    local().clear().unwrap();
    let owner = Owner::new();
    owner.set();
    let id = fresh("tab");
    let first = started(AppState::new(CriteriaRegistry::builtin())).await;
    assert_eq!(first.storage.get_untracked(), StorageMode::Durable);
    first.create(sample(&id));
    saved(first).await;
    let long = "Thuyết minh dài. ".repeat(20_000);
    first.edit_answer_text(&id, "1.1", AnswerText::Explanation, long.clone());
    saved(first).await;
    first.edit_answer_text(&id, "1.1", AnswerText::Explanation, format!("{long}!"));
    saved(first).await;
    // The last keystroke is one small record, not the whole text again.
    let mut tx = IdbBackend
        .begin(&[stores::ASSESSMENT_CHANGES], Mode::Read)
        .await
        .unwrap();
    let entries = tx
        .entries(stores::ASSESSMENT_CHANGES, &id, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let last = &entries.last().unwrap().1;
    assert!(last.len() < 400, "{} bytes: {last}", last.len());
    assert!(last.contains("\"kind\":\"splice\""), "{last}");

    let second = started(AppState::new(CriteriaRegistry::builtin())).await;
    let copy = second.get(&id).expect("read by another tab");
    assert_eq!(
        copy.assessment.answers["1.1"].explanation,
        format!("{long}!")
    );
    assert_eq!(copy.revision, first.get(&id).unwrap().revision);
}

#[wasm_bindgen_test]
async fn the_localstorage_layouts_move_over_at_start_and_the_old_entries_go_once_stored() {
    local().clear().unwrap();
    let owner = Owner::new();
    owner.set();
    let (v2, v1, bad, newer) = (fresh("v2"), fresh("v1"), fresh("hong"), fresh("moi"));
    let mut stored = StoredAssessment::new(sample(&v2), 5.0);
    stored.revision = 9;
    storage::write(&keys::assessment(&v2), &encode_stored(&stored)).unwrap();
    storage::write(
        &keys::assessment(&v1),
        &serde_json::to_string(&sample(&v1)).unwrap(),
    )
    .unwrap();
    storage::write(&keys::assessment(&bad), "{\"format\": 2, \"revis").unwrap();
    storage::write(&keys::assessment(&newer), "{\"format\": 7}").unwrap();
    storage::write("xa-tre-em/tong-hop/bang", "[]").unwrap();

    let state = started(AppState::new(CriteriaRegistry::builtin())).await;
    assert_eq!(state.get(&v2).unwrap().revision, 9);
    assert_eq!(state.get(&v1).unwrap().assessment, sample(&v1));
    let unreadable = state.unreadable.get_untracked();
    let damaged = unreadable
        .iter()
        .find(|u| u.key.starts_with(&format!("{bad}/")))
        .expect("set aside");
    assert_eq!(
        state.unreadable_raw(&damaged.key).await.as_deref(),
        Some("{\"format\": 2, \"revis"),
        "the raw text is kept"
    );
    let kept = unreadable
        .iter()
        .find(|u| u.key == keys::assessment(&newer))
        .expect("listed");
    assert!(
        kept.newer && kept.reason.contains("phiên bản mới hơn"),
        "{kept:?}"
    );
    assert_eq!(
        storage::read(&keys::assessment(&v2)),
        None,
        "moved, so removed"
    );
    assert_eq!(storage::read(&keys::assessment(&bad)), None);
    assert_eq!(
        storage::read(&keys::assessment(&newer)).as_deref(),
        Some("{\"format\": 7}"),
        "a newer entry stays where it is, untouched"
    );
    assert_eq!(
        storage::read("xa-tre-em/tong-hop/bang").as_deref(),
        Some("[]")
    );
}

/// A section drawn after the table sees the rows a few tasks after each change, not in the task
/// that changed them; a change made before an earlier one was seen is seen with it, once.
#[wasm_bindgen_test]
async fn sections_after_the_table_see_each_change_a_few_tasks_later() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let dashboard = Dashboard::default();
    let later = dashboard.rows_later(2);
    let worked_out = StoredValue::new(0);
    let seen = Memo::new(move |_| {
        worked_out.update_value(|n| *n += 1);
        later.with(Vec::len)
    });
    let shown = RwSignal::new(usize::MAX);
    Effect::new(move |_| shown.set(seen.get()));
    let settle = || async {
        for _ in 0..10 {
            next_task().await;
        }
    };
    settle().await;
    assert_eq!((shown.get_untracked(), worked_out.get_value()), (0, 1));
    let row = |code: &str| {
        decode_row(&format!(
            r#"{{"c":"{code}","n":"Xã","pc":"01","pn":"Hà Nội","u":"t850","ul":"Xã","y":2025,
                "s":"x 1","t":900,"v":"pass","k":[],"a":1,"ic":1,"r":1,"ua":0,"f":"a.json","i":0}}"#
        ))
        .expect("a row")
    };

    dashboard.change_rows(|rows| {
        *rows = vec![row("00070")];
        Changed::Other
    });
    yield_now().await;
    assert_eq!(
        shown.get_untracked(),
        0,
        "not in the task that changed the rows"
    );
    settle().await;
    assert_eq!((shown.get_untracked(), worked_out.get_value()), (1, 2));

    // Two changes, the second before the first is seen: worked out once, with both.
    dashboard.change_rows(|rows| {
        rows.push(row("00004"));
        Changed::AddedAfter(1)
    });
    yield_now().await;
    dashboard.change_rows(|rows| {
        rows.push(row("00008"));
        Changed::AddedAfter(2)
    });
    settle().await;
    assert_eq!((shown.get_untracked(), worked_out.get_value()), (3, 3));
}

/// Asks `name` alone if free until granted, for at most a second: a lock let go is free only
/// once the browser has heard of it, a moment later.
async fn alone_when_free(name: &str) -> Option<locks::Held> {
    for _ in 0..20 {
        if let Some(held) = locks::acquire(name, Ask::IfFree, || {}).await {
            return Some(held);
        }
        sleep_ms(50).await;
    }
    None
}

/// The «Tổng hợp» table's lock: imports of several tabs hold it together, and «Xóa toàn bộ»
/// (asking it alone, if free) is kept out until every one has let go; a change asked while it
/// is held alone waits for it.
#[wasm_bindgen_test]
async fn shared_holds_keep_one_asking_alone_out_until_all_let_go() {
    let name = fresh("lock");
    let first = locks::acquire(&name, Ask::Shared, || {})
        .await
        .expect("shared");
    let second = locks::acquire(&name, Ask::Shared, || {})
        .await
        .expect("shared beside the first");
    assert!(locks::acquire(&name, Ask::IfFree, || {}).await.is_none());
    first.release();
    sleep_ms(100).await;
    assert!(
        locks::acquire(&name, Ask::IfFree, || {}).await.is_none(),
        "one still shares it"
    );
    second.release();
    let alone = alone_when_free(&name).await.expect("free once both let go");
    let granted = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = granted.clone();
    let name_again = name.clone();
    leptos::task::spawn_local(async move {
        let held = locks::acquire(&name_again, Ask::Shared, || {}).await;
        flag.set(held.is_some());
        if let Some(held) = held {
            held.release();
        }
    });
    sleep_ms(100).await;
    assert!(
        !granted.get(),
        "a change waits while the table is held alone"
    );
    alone.release();
    for _ in 0..20 {
        if granted.get() {
            break;
        }
        sleep_ms(50).await;
    }
    assert!(granted.get(), "and goes on once it is let go");
}
