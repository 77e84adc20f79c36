//! Everything the app writes, it reads back (issue 13): «Xuất tất cả» of any stored state — the
//! copies in use, two copies of the same commune and year, the backups — imported into another
//! browser loses nothing, refuses nothing, and restores the backups as backups.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;

use common::{counted, manual, ratio, test_set, yes};
use proptest::prelude::*;
use proptest::test_runner::Config;
use xa_phu_hop_tre_em::domain::assessment::{Answer, Assessment, CommuneRef};
use xa_phu_hop_tre_em::domain::criteria_registry::CriteriaRegistry;
use xa_phu_hop_tre_em::domain::exchange::{
    export_file, import_file, Collection, ExportEntry, Settle,
};
use xa_phu_hop_tre_em::domain::storage_format::StoredAssessment;

/// Units of two provinces, so that duplicates of a commune and year come up often.
const COMMUNES: [(&str, &str, &str, &str); 4] = [
    ("00070", "Phường Hoàn Kiếm", "01", "Thành phố Hà Nội"),
    ("00004", "Phường Ba Đình", "01", "Thành phố Hà Nội"),
    ("32248", "Xã Đất Mũi", "96", "Cà Mau"),
    ("01294", "Xã Lý Bôn", "04", "Cao Bằng"),
];

fn answer() -> impl Strategy<Value = (String, Answer)> {
    let text = prop_oneof![
        Just(String::new()),
        "\\PC{0,30}",
        Just("Số liệu \"quý IV\"\nđã đối chiếu".to_string())
    ];
    (0..6usize, 0u32..2000, 0u32..2000, any::<bool>(), text).prop_map(|(item, n, d, flag, note)| {
        let mut a = match item {
            0 => ("a.1", yes(flag)),
            1 => ("a.2", ratio(f64::from(n), f64::from(d))),
            2 => ("b.2", counted(f64::from(n))),
            3 => ("e.1", manual(f64::from(n % 100))),
            4 => ("a.2", ratio(f64::from(n) + 0.5, f64::from(d))),
            _ => ("d.1", manual(f64::from(n % 1000))),
        };
        a.1.explanation = note;
        a.1.checked = flag;
        (a.0.to_string(), a.1)
    })
}

fn stored() -> impl Strategy<Value = StoredAssessment> {
    (
        0..COMMUNES.len(),
        2023u16..2026,
        prop::collection::vec(answer(), 0..6),
        (1u64..50, 1_700_000_000_000u64..1_800_000_000_000),
        "\\PC{0,20}",
        prop::sample::select(vec!["t900", "t850", "t800"]),
    )
        .prop_map(|(c, year, answers, (revision, at), name, unit)| {
            let (code, commune, province_code, province) = COMMUNES[c];
            let at = at as f64;
            let a = Assessment {
                id: format!("id-{c}-{year}-{revision}"),
                criteria_set: test_set_ref(),
                commune: CommuneRef {
                    code: code.into(),
                    name: commune.into(),
                    province_code: province_code.into(),
                    province_name: province.into(),
                },
                unit_category: unit.into(),
                year,
                assessor: xa_phu_hop_tre_em::domain::assessment::Assessor {
                    name,
                    position: "Công chức văn hóa - xã hội".into(),
                },
                answers: answers.into_iter().collect(),
                recorded_max: [("D".to_string(), 150)].into_iter().collect(),
                created_at: at - 86_400_000.0,
                updated_at: at,
                set_moves: Vec::new(),
            };
            StoredAssessment {
                format: 2,
                revision,
                updated_at: at,
                last_exported_at: None,
                assessment: a,
            }
        })
}

fn test_set_ref() -> xa_phu_hop_tre_em::domain::assessment::CriteriaSetRef {
    let set = test_set();
    xa_phu_hop_tre_em::domain::assessment::CriteriaSetRef {
        id: set.id,
        version: set.version,
        hash: None,
    }
}

/// An assessment's content, whatever local id it has.
fn content(s: &StoredAssessment) -> String {
    let mut a = s.assessment.clone();
    a.id.clear();
    serde_json::to_string(&a).unwrap()
}

/// «Xuất tất cả»: the copies in use, then the backups marked as such.
fn export_all(current: &[StoredAssessment], backups: &[StoredAssessment]) -> String {
    let entries: Vec<ExportEntry> = current
        .iter()
        .map(|s| (s, false))
        .chain(backups.iter().map(|s| (s, true)))
        .map(|(s, backup)| ExportEntry {
            backup,
            ..ExportEntry::from_stored(s, None)
        })
        .collect();
    export_file(&entries, 1_763_860_740_000.0)
}

proptest! {
    #![proptest_config(Config { cases: 500, failure_persistence: None, ..Config::default() })]

    #[test]
    fn everything_exported_is_read_back_with_backups_as_backups(
        current in prop::collection::vec(stored(), 1..6),
        backups in prop::collection::vec(stored(), 0..4),
    ) {
        let text = export_all(&current, &backups);
        let file = import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()]))
            .expect("the app reads the file it writes");
        let refused: Vec<String> = file.rejected().map(ToString::to_string).collect();
        prop_assert!(refused.is_empty(), "{:?}", refused);
        let mut elsewhere = Collection::default();
        let decisions: Vec<Settle> =
            file.records.into_iter().map(|r| elsewhere.import(r.unwrap())).collect();
        // Nothing lost: every copy, in use or kept, is there again.
        let before: BTreeSet<String> = current.iter().chain(&backups).map(content).collect();
        let after: BTreeSet<String> =
            elsewhere.current.iter().chain(&elsewhere.backups).map(content).collect();
        prop_assert_eq!(&before, &after);
        // One copy in use per commune and year; the backups of the file stay backups.
        let mut units = BTreeSet::new();
        for c in &elsewhere.current {
            prop_assert!(units.insert((c.assessment.commune.code.clone(), c.assessment.year)));
        }
        for (b, decision) in backups.iter().zip(&decisions[current.len()..]) {
            prop_assert!(
                matches!(decision, Settle::AddBackup | Settle::Unchanged),
                "{:?}", decision
            );
            prop_assert!(elsewhere.backups.iter().chain(&elsewhere.current).any(|k| content(k) == content(b)));
        }
        // The same file again changes nothing.
        let again = import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()])).unwrap();
        let snapshot = elsewhere.clone();
        for r in again.records {
            prop_assert_eq!(elsewhere.import(r.unwrap()), Settle::Unchanged);
        }
        prop_assert_eq!(elsewhere, snapshot);
    }
}

#[test]
fn two_copies_of_one_commune_and_year_and_a_backup() {
    let mut older = StoredAssessment {
        format: 2,
        revision: 3,
        updated_at: 1_750_000_000_000.0,
        last_exported_at: None,
        assessment: common::full_marks(&test_set(), "t850", 100.0),
    };
    older.assessment.updated_at = older.updated_at;
    older.assessment.commune = CommuneRef {
        code: "00070".into(),
        name: "Phường Hoàn Kiếm".into(),
        province_code: "01".into(),
        province_name: "Thành phố Hà Nội".into(),
    };
    let mut newer = older.clone();
    newer.assessment.id = "khac".into();
    newer.updated_at += 60_000.0;
    newer.assessment.updated_at = newer.updated_at;
    newer.assessment.answers.insert("e.1".into(), manual(40.0));
    let mut kept = older.clone();
    kept.assessment.answers.insert("e.1".into(), manual(10.0));
    kept.revision = 2;
    let text = export_all(&[older.clone(), newer.clone()], &[kept.clone()]);
    let file = import_file(text.as_bytes(), &CriteriaRegistry::from_sets([test_set()])).unwrap();
    let mut elsewhere = Collection::default();
    let decisions: Vec<Settle> = file
        .records
        .into_iter()
        .map(|r| elsewhere.import(r.unwrap()))
        .collect();
    assert_eq!(decisions, [Settle::Add, Settle::Replace, Settle::AddBackup]);
    assert_eq!(elsewhere.current.len(), 1);
    assert_eq!(content(&elsewhere.current[0]), content(&newer));
    let backups: BTreeSet<String> = elsewhere.backups.iter().map(content).collect();
    assert_eq!(
        backups,
        [content(&older), content(&kept)].into_iter().collect()
    );
}
