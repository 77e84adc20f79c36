//! The history inside the file: built from the storage's change records of a realistic
//! assessment typed over three weeks, keystroke by keystroke; checked to rebuild every value;
//! and measured against the size of the file without it (the figure in README «Số đo»):
//! `cargo test --release --test history_size -- --nocapture`.

use serde_json::{json, Value};
use xa_phu_hop_tre_em::domain::assessment::{Answer, Assessment};
use xa_phu_hop_tre_em::domain::builtin::builtin_qd06;
use xa_phu_hop_tre_em::domain::exchange::{export_file, ExportEntry};
use xa_phu_hop_tre_em::domain::history::{from_records, replay, HistoryEntry};
use xa_phu_hop_tre_em::domain::journal::{text_change, Change, Record, JOURNAL_FORMAT};
use xa_phu_hop_tre_em::domain::scoring::score;

mod common;

const SECOND: f64 = 1000.0;
const DAY: f64 = 86_400_000.0;
const WHO: &str = "Nguyễn Thị Lan";

/// An assessor at the keyboard: every keystroke becomes the change record the app saves.
struct Typist {
    doc: Value,
    records: Vec<Record>,
    t: f64,
}

impl Typist {
    fn new(a: &Assessment, t: f64) -> Typist {
        let doc = serde_json::to_value(a).unwrap();
        let mut typist = Typist {
            doc: doc.clone(),
            records: Vec::new(),
            t,
        };
        typist.save(Change::Create { doc });
        typist
    }

    fn save(&mut self, change: Change) {
        if !matches!(change, Change::Create { .. }) {
            xa_phu_hop_tre_em::domain::journal::apply_change(&mut self.doc, &change).unwrap();
        }
        self.records.push(Record {
            format: JOURNAL_FORMAT,
            doc: "a".into(),
            seq: self.records.len() as u64 + 1,
            at: self.t,
            since: None,
            who: WHO.into(),
            change,
        });
        // A keystroke every 0.3 s.
        self.t += 0.3 * SECOND;
    }

    fn path(item: &str, field: &str) -> Vec<String> {
        vec!["answers".into(), item.into(), field.into()]
    }

    /// The first touch of an item saves the whole (empty) answer, as the app does.
    fn touch(&mut self, item: &str) {
        if self.doc["answers"].get(item).is_none() {
            let whole = serde_json::to_value(Answer::default()).unwrap();
            self.save(Change::Set {
                path: vec!["answers".into(), item.into()],
                old: None,
                new: Some(whole),
            });
        }
    }

    fn set(&mut self, item: &str, field: &str, value: Value) {
        self.touch(item);
        let path = Self::path(item, field);
        let old = self.doc["answers"][item].get(field).cloned();
        self.save(Change::Set {
            path,
            old,
            new: Some(value),
        });
    }

    /// Digits typed one by one ("4", "45").
    fn number(&mut self, item: &str, field: &str, digits: &str) {
        for i in 1..=digits.len() {
            let n: f64 = digits[..i].parse().unwrap();
            self.set(item, field, json!(n));
        }
    }

    fn text(&mut self, item: &str) -> String {
        self.doc["answers"][item]["explanation"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Typed at the end of the field, a character at a time.
    fn append(&mut self, item: &str, field: &str, text: &str) {
        self.touch(item);
        for c in text.chars() {
            let old = self.doc["answers"][item][field]
                .as_str()
                .unwrap()
                .to_string();
            let new = format!("{old}{c}");
            let change = text_change(Self::path(item, field), &old, &new).unwrap();
            self.save(change);
        }
    }

    /// A typo fixed in the middle: `n` characters erased with backspace at `at` (characters),
    /// then `insert` typed.
    fn fix(&mut self, item: &str, field: &str, at: usize, n: usize, insert: &str) {
        let mut cursor = at;
        for _ in 0..n {
            let old = self.doc["answers"][item][field]
                .as_str()
                .unwrap()
                .to_string();
            let mut chars: Vec<char> = old.chars().collect();
            chars.remove(cursor - 1);
            cursor -= 1;
            let new: String = chars.into_iter().collect();
            self.save(text_change(Self::path(item, field), &old, &new).unwrap());
        }
        for c in insert.chars() {
            let old = self.doc["answers"][item][field]
                .as_str()
                .unwrap()
                .to_string();
            let mut chars: Vec<char> = old.chars().collect();
            chars.insert(cursor, c);
            cursor += 1;
            let new: String = chars.into_iter().collect();
            self.save(text_change(Self::path(item, field), &old, &new).unwrap());
        }
    }

    /// The next working session, `days` later.
    fn later(&mut self, days: f64) {
        self.t += days * DAY;
    }
}

const SOURCES: [&str; 5] = [
    "Quyết định phân công của UBND xã",
    "Sổ đăng ký khai sinh năm 2025",
    "Báo cáo của trạm y tế xã",
    "Danh sách trẻ em có hoàn cảnh đặc biệt do công chức văn hóa - xã hội lập",
    "Biên bản họp Ban bảo vệ trẻ em các quý I, II, III",
];

const SENTENCES: [&str; 6] = [
    "Xã đã bố trí công chức văn hóa - xã hội kiêm nhiệm công tác bảo vệ trẻ em theo quyết định của Chủ tịch UBND xã.",
    "Số liệu được tổng hợp từ sổ theo dõi của các thôn, đối chiếu với danh sách hộ gia đình có trẻ em dưới 16 tuổi.",
    "Trong năm, ban bảo vệ trẻ em họp giao ban hằng tháng, có biên bản lưu tại bộ phận một cửa.",
    "Các trường hợp trẻ em có hoàn cảnh đặc biệt đều được lập hồ sơ, đề xuất hỗ trợ kịp thời theo quy định.",
    "Trạm y tế phối hợp với cộng tác viên dân số rà soát, tiêm bù cho trẻ chưa được tiêm đủ mũi.",
    "Tổ chức diễn đàn trẻ em cấp xã, lấy ý kiến của trẻ em về các vấn đề liên quan đến trẻ em.",
];

fn explanation(i: usize, sentences: usize) -> String {
    (0..sentences)
        .map(|k| SENTENCES[(i + k) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Three weeks of work on the built-in set, as a commune official would do it.
fn three_weeks() -> (Assessment, Vec<Record>) {
    let set = builtin_qd06();
    let mut a = common::assessment(&set, "con-lai", vec![]);
    a.assessor.name = WHO.into();
    a.assessor.position = "Công chức văn hóa - xã hội".into();
    let start = 1_762_000_000_000.0;
    a.created_at = start;
    a.updated_at = start;
    let mut w = Typist::new(&a, start);
    let items: Vec<(String, String)> = set
        .criteria
        .iter()
        .flat_map(|c| {
            c.items
                .iter()
                .map(|i| (i.id.clone(), format!("{:?}", i.rule)))
        })
        .collect();
    // Week 1 and 2: every item answered, a few per session, with its source and explanation.
    for (n, (id, rule)) in items.iter().enumerate() {
        if n % 4 == 0 {
            w.later(1.5);
        }
        if rule.starts_with("YesNo") {
            w.set(id, "yes", json!(true));
        } else if rule.starts_with("Rate") {
            w.number(id, "numerator", "45");
            w.number(id, "denominator", "47");
        } else {
            w.number(id, "manual_points", "40");
        }
        w.append(id, "source", SOURCES[n % SOURCES.len()]);
        w.append(id, "explanation", &explanation(n, 1 + n % 3));
    }
    // Week 3: figures corrected, typos fixed, sentences added, every item checked.
    w.later(4.0);
    for (n, (id, rule)) in items.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        if rule.starts_with("Rate") {
            w.number(id, "numerator", "46");
        } else if rule.starts_with("Manual") {
            w.number(id, "manual_points", "45");
        }
        let len = w.text(id).chars().count();
        w.fix(id, "explanation", len / 2, 3, "đã ");
        w.append(
            id,
            "explanation",
            &format!(" {}", SENTENCES[n % SENTENCES.len()]),
        );
    }
    w.later(2.0);
    for (id, _) in &items {
        w.set(id, "checked", json!(true));
    }
    // After the province's return: two items supplemented.
    w.later(5.0);
    for id in ["6.1", "7.1"] {
        w.append(
            id,
            "explanation",
            " Đính kèm danh sách có xác nhận của trạm y tế.",
        );
        w.set(id, "checked", json!(true));
    }
    let mut done: Assessment = serde_json::from_value(w.doc.clone()).unwrap();
    done.updated_at = w.t;
    (done, w.records)
}

/// The exchange file of `a` as the app writes it, with or without its history.
fn file_size(a: &Assessment, history: &[HistoryEntry]) -> usize {
    let set = builtin_qd06();
    let s = score(&set, a);
    export_file(
        &[ExportEntry {
            assessment: a,
            revision: 1,
            score: Some(&s),
            backup: false,
            history,
        }],
        a.updated_at,
    )
    .len()
}

#[test]
fn three_weeks_of_typing_make_a_compact_history_that_rebuilds_every_value() {
    let (a, records) = three_weeks();
    let history = from_records(&records).unwrap();
    // Every value rebuilt backwards from the final document, down to the empty start.
    let mut doc = serde_json::to_value(&a).unwrap();
    let shown = replay(&doc, &history).unwrap();
    assert_eq!(shown.len(), history.len());
    doc["answers"] = json!({});
    let first = &shown[0];
    assert!(
        matches!(first.old, None | Some(Value::Null)),
        "the first answer was empty: {:?}",
        first.old
    );
    // One entry per field and session, not per keystroke.
    assert!(
        records.len() > 10 * history.len(),
        "{} → {}",
        records.len(),
        history.len()
    );
    let without = file_size(&a, &[]);
    let with = file_size(&a, &history);
    let compact: usize = history
        .iter()
        .map(|h| serde_json::to_string(h).unwrap().len() + 1)
        .sum();
    println!(
        "keystrokes saved: {}; history entries: {}; file without history: {} B; with history: \
         {} B (+{:.0}%); the entries alone, compact: {} B",
        records.len(),
        history.len(),
        without,
        with,
        (with - without) as f64 * 100.0 / without as f64,
        compact
    );
}
