//! Files out: the exchange file of the user's own assessments (JSON, with the computed scores)
//! and results tables for Excel (CSV). Every outcome is told in a notice: a download the
//! browser refused must not look like a backup that exists.

use std::cell::Cell;

use leptos::prelude::*;

use crate::adapters::{clock, files};
use crate::domain::aggregate::DashboardRow;
use crate::domain::csv::{results_csv, Delimiter};
use crate::domain::exchange::{export_file, export_file_name, ExportEntry};
use crate::domain::history::HistoryEntry;
use crate::domain::numbers::format_number;
use crate::domain::scoring::{score, AssessmentScore};
use crate::domain::storage_format::StoredAssessment;
use crate::domain::validation::check_assessment;
use crate::ui::history_store::histories_when_saved;
use crate::ui::on_demand::{part_entry, NotLoaded};
use crate::ui::state::{AppState, Tone};

/// The exports Home, the header and the backups offer. Their work (the exchange file, its
/// checksums, the CSV) is in the screens' part (`parts.rs`), fetched on the first export rather
/// than with the first download, and needs the criteria sets (the files carry the scores).
#[derive(Clone, Copy)]
struct Exports {
    all: fn(AppState),
    one: fn(AppState, &str),
    stored: fn(AppState, &StoredAssessment),
    results_csv: fn(AppState, Delimiter),
}

thread_local! {
    static EXPORTS: Cell<Option<Exports>> = const { Cell::new(None) };
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn exports() -> Result<Exports, NotLoaded> {
    Ok(Exports {
        all: export_all,
        one: export_one,
        stored: export_stored,
        results_csv: export_results_csv,
    })
}

/// `then` with the exports once their part and the sets are there; if they cannot be had, why.
fn with_exports(state: AppState, then: impl FnOnce(Exports) + 'static) {
    leptos::task::spawn_local(async move {
        let sets = state.read_sets().await;
        match (sets, part_entry(&EXPORTS, exports).await) {
            (Ok(_), Ok(exports)) => then(exports),
            _ => state.notify(
                "Chưa xuất được tệp: không tải được phần ứng dụng dùng để xuất tệp (có thể do \
                 mạng). Dữ liệu trên máy không bị ảnh hưởng; hãy thử lại khi có mạng."
                    .into(),
                Tone::Error,
            ),
        }
    });
}

/// [`export_all`], from outside the screens' part.
pub fn request_export_all(state: AppState) {
    with_exports(state, move |e| (e.all)(state));
}

/// [`export_one`], from outside the screens' part.
pub fn request_export_one(state: AppState, id: &str) {
    let id = id.to_string();
    with_exports(state, move |e| (e.one)(state, &id));
}

/// [`export_stored`], from outside the screens' part.
pub fn request_export_stored(state: AppState, stored: &StoredAssessment) {
    let stored = stored.clone();
    with_exports(state, move |e| (e.stored)(state, &stored));
}

/// [`export_results_csv`], from outside the screens' part.
pub fn request_results_csv(state: AppState, delimiter: Delimiter) {
    with_exports(state, move |e| (e.results_csv)(state, delimiter));
}

/// Every assessment of this browser in one file, and the backups kept beside them, marked as
/// backups: imported elsewhere, the file gives back the same copies in use and the same
/// backups (two copies of one commune and year are never both "in use" in a file).
pub fn export_all(state: AppState) {
    let all: Vec<(StoredAssessment, bool)> = state
        .all_stored_untracked()
        .into_iter()
        .map(|s| (s, false))
        .chain(
            state
                .backups
                .get_untracked()
                .into_iter()
                .map(|(_, s)| (s, true)),
        )
        .collect();
    if all.is_empty() {
        state.notify("Chưa có bản tự đánh giá nào để xuất.".into(), Tone::Warning);
        return;
    }
    export(state, &all, true);
}

/// One assessment, in `tu-danh-gia_<mã xã>_<năm>.json`.
pub fn export_one(state: AppState, id: &str) {
    match untrack(|| state.get(id)) {
        Some(stored) => export(state, &[(stored, false)], true),
        None => state.notify(
            "Không tìm thấy bản tự đánh giá này (có thể vừa bị xóa ở thẻ khác).".into(),
            Tone::Error,
        ),
    }
}

/// A copy that is not in the list (a backup): exported marked as a backup (imported, it is kept
/// as a backup again), without touching the "last exported" mark of the copy in use.
pub fn export_stored(state: AppState, stored: &StoredAssessment) {
    export(state, &[(stored.clone(), true)], false);
}

/// A stored copy, and whether it is a backup.
type Kept = (StoredAssessment, bool);

fn export(state: AppState, copies: &[Kept], mark_exported: bool) {
    // Only what the import reads back leaves the app (data typed before the rule existed may
    // break it); the user is told what to correct.
    let (copies, refused): (Vec<&Kept>, Vec<&Kept>) = copies
        .iter()
        .partition(|(s, _)| check_assessment(&s.assessment).is_ok());
    if !refused.is_empty() {
        let reasons: Vec<String> = refused
            .iter()
            .map(|(s, _)| {
                let a = &s.assessment;
                let problem = check_assessment(a)
                    .err()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                format!("{} năm {}: {problem}", a.commune.name, a.year)
            })
            .collect();
        state.notify(
            format!(
                "Chưa xuất {} bản vì có giá trị ngoài giới hạn, tệp sẽ không nhập lại được. {} \
                 Hãy sửa rồi xuất lại.",
                refused.len(),
                reasons.join(" ")
            ),
            Tone::Error,
        );
    }
    if copies.is_empty() {
        return;
    }
    let copies: Vec<Kept> = copies.into_iter().cloned().collect();
    if !mark_exported {
        let none = vec![Vec::new(); copies.len()];
        write(state, &copies, &none, false);
        return;
    }
    leptos::task::spawn_local(async move {
        // The file carries each copy's history (a backup has none of its own): what is still
        // being written goes in first.
        let ids: Vec<String> = copies
            .iter()
            .filter(|(_, backup)| !backup)
            .map(|(s, _)| s.assessment.id.clone())
            .collect();
        let mut histories = histories_when_saved(state, &ids).await.into_iter();
        let mut with_history = Vec::with_capacity(copies.len());
        let mut kept = Vec::with_capacity(copies.len());
        for (s, backup) in copies {
            if backup {
                kept.push((s, true));
                with_history.push(Vec::new());
                continue;
            }
            // Read again after the wait: the file holds what its history leads to.
            let fresh = untrack(|| state.get(&s.assessment.id)).unwrap_or(s);
            kept.push((fresh, false));
            with_history.push(histories.next().unwrap_or_default());
        }
        write(state, &kept, &with_history, true);
    });
}

fn write(state: AppState, copies: &[Kept], histories: &[Vec<HistoryEntry>], mark_exported: bool) {
    // Assessments made before sets had a hash get it here, so every file records the content
    // it was scored with.
    let stored: Vec<StoredAssessment> = copies
        .iter()
        .map(|(s, _)| {
            let mut s = s.clone();
            state.record_set_hash(&mut s.assessment);
            s
        })
        .collect();
    let stored = stored.as_slice();
    // The score travels with the file for people who read it; the importer recomputes it.
    let scores: Vec<Option<AssessmentScore>> = stored
        .iter()
        .map(|s| {
            let set = state.set_of(&s.assessment.criteria_set)?;
            Some(score(&set, &s.assessment))
        })
        .collect();
    let entries: Vec<ExportEntry> = stored
        .iter()
        .zip(&scores)
        .zip(copies.iter().zip(histories))
        .map(|((s, sc), ((_, backup), history))| ExportEntry {
            backup: *backup,
            history,
            ..ExportEntry::from_stored(s, sc.as_ref())
        })
        .collect();
    let now = clock::now_ms();
    let name = export_file_name(&entries, now);
    let text = export_file(&entries, now);
    match files::download(&name, "application/json;charset=utf-8", &text) {
        Ok(()) => {
            let backups = copies.iter().filter(|(_, backup)| *backup).count();
            if mark_exported {
                let ids: Vec<String> = copies
                    .iter()
                    .filter(|(_, backup)| !backup)
                    .map(|(s, _)| s.assessment.id.clone())
                    .collect();
                state.mark_exported(&ids);
            }
            let what = match stored {
                [one] => format!(
                    "{} của {} năm {}",
                    if backups == 1 {
                        "bản sao lưu"
                    } else {
                        "bản"
                    },
                    one.assessment.commune.name,
                    one.assessment.year
                ),
                _ if backups > 0 => format!(
                    "{} bản tự đánh giá và {backups} bản sao lưu",
                    stored.len() - backups
                ),
                _ => format!("{} bản tự đánh giá", stored.len()),
            };
            state.notify(
                format!(
                    "Đã xuất {what} vào tệp «{name}» (thư mục Tải về của trình duyệt). Hãy gửi \
                     tệp này cho tỉnh và giữ một bản làm sao lưu."
                ),
                Tone::Info,
            );
        }
        Err(e) => state.notify(
            format!("Chưa xuất được tệp. {}", e.message_vi()),
            Tone::Error,
        ),
    }
}

/// The user's own results table: one row per assessment whose criteria set is known here.
pub fn export_results_csv(state: AppState, delimiter: Delimiter) {
    let now = clock::now_ms();
    let all = state.all_stored_untracked();
    let rows: Vec<DashboardRow> = all
        .iter()
        .filter_map(|s| {
            let set = state.set_of(&s.assessment.criteria_set)?;
            Some(DashboardRow::new(
                &s.assessment,
                &score(&set, &s.assessment),
                Some(&set),
                s.revision,
                "",
                now,
            ))
        })
        .collect();
    if rows.is_empty() {
        state.notify(
            "Chưa có bản tự đánh giá nào tính được điểm để đưa vào bảng.".into(),
            Tone::Warning,
        );
        return;
    }
    let left_out = all.len() - rows.len();
    if left_out > 0 {
        state.notify(
            format!(
                "{left_out} bản chưa có bộ tiêu chí trên máy này nên không có trong bảng kết quả."
            ),
            Tone::Warning,
        );
    }
    let (day, month, year) = clock::today();
    let name = format!("ket-qua-tu-danh-gia_{year:04}-{month:02}-{day:02}.csv");
    offer_csv(state, &results_csv(&rows, delimiter), rows.len(), &name);
}

/// A results table button; the separator is asked for only when exporting, where it matters:
/// Excel on Windows set to Vietnamese splits a double-clicked CSV on `;` and puts every row of
/// a comma-separated one into a single column.
#[component]
pub fn CsvExport(
    /// The button's text.
    label: &'static str,
    /// Makes and offers the file with the chosen separator.
    on_export: impl Fn(Delimiter) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let choose = move |delimiter| {
        asking.set(false);
        on_export(delimiter);
    };
    view! {
        <div class="csv-export">
            <button type="button" aria-expanded=move || asking.get().to_string()
                on:click=move |_| asking.update(|a| *a = !*a)>{label}</button>
            <Show when=move || asking.get()>
                <div class="csv-choice" role="group" aria-labelledby="csv-cau-hoi">
                    <p id="csv-cau-hoi">
                        "Chọn dấu phân cách cột. Nếu mở tệp bằng Excel mà mọi cột dồn vào một cột, "
                        "hãy xuất lại với dấu chấm phẩy."
                    </p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=move |_| choose(Delimiter::Comma)>
                            "Tải tệp CSV, dấu phẩy (,)"
                        </button>
                        <button type="button" on:click=move |_| choose(Delimiter::Semicolon)>
                            "Tải tệp CSV, dấu chấm phẩy (;)"
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

/// Offers `text`, a table of `rows` rows, as the CSV file `name` for Excel, and tells the user
/// how it went.
pub fn offer_csv(state: AppState, text: &str, rows: usize, name: &str) {
    match files::download(name, "text/csv;charset=utf-8", text) {
        Ok(()) => state.notify(
            format!(
                "Đã xuất bảng {} dòng vào tệp «{name}»; mở bằng Excel.",
                format_number(rows as f64, 0)
            ),
            Tone::Info,
        ),
        Err(e) => state.notify(
            format!("Chưa xuất được bảng. {}", e.message_vi()),
            Tone::Error,
        ),
    }
}
