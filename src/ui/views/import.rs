//! "Nhập tệp": exchange files chosen with the picker or dropped on the zone are read, checked
//! by the domain, and listed file by file: accepted (how many assessments, with warnings) or
//! refused with the reason. A refused file changes nothing stored.
//!
//! Into the user's own list, an assessment already present is settled by
//! [`AppState::import_own`](crate::ui::state::AppState); into the dashboard, by
//! [`Dashboard::add`](crate::ui::dashboard_state::Dashboard::add). Everything from a file is
//! shown as text.

use leptos::prelude::*;

use crate::adapters::tick::next_task;
use crate::adapters::{clock, files};
use crate::domain::dashboard::Merge;
use crate::domain::exchange::{import_file, ImportedAssessment, RejectedRecord};
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::state::{use_app, Tone};
use crate::ui::state_import::{CopySummary, ImportConflict, OwnImport};
use crate::ui::views::verdict_class;

/// Past this many, files accepted without remark are listed only on demand: a province loads
/// thousands, and what needs reading is the refused ones.
const LISTED_PLAINLY: usize = 20;

/// Progress is shown, and the page painted, after this many files.
const PROGRESS_EVERY: usize = 250;

/// What became of one chosen file.
#[derive(Clone)]
struct FileOutcome {
    name: String,
    /// The assessments taken from it, or why it was refused.
    result: Result<Vec<Entry>, String>,
}

impl FileOutcome {
    /// Accepted, and nothing to say about any of its assessments.
    fn plain(&self) -> bool {
        self.result.as_ref().is_ok_and(|entries| {
            entries.iter().all(|e| {
                e.warnings.is_empty()
                    && matches!(
                        e.effect,
                        Effect::Dashboard(Merge::Added) | Effect::Own(OwnImport::Added)
                    )
            })
        })
    }
}

#[derive(Clone)]
struct Entry {
    /// "Xã Lý Bôn (mã 01294), năm 2025", as the file names it.
    label: String,
    warnings: Vec<String>,
    effect: Effect,
}

#[derive(Clone)]
enum Effect {
    Own(OwnImport),
    Dashboard(Merge),
    /// A backup the sender kept beside the copy in use: not counted in the dashboard.
    BackupLeftOut,
    /// The record was refused on its own: why.
    Refused(String),
}

#[component]
pub fn ImportPanel(
    /// Into the dashboard's collection rather than the user's own list.
    for_dashboard: bool,
) -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    let outcomes = RwSignal::new(Vec::<FileOutcome>::new());
    let busy = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let chosen = RwSignal::new("Chưa chọn tệp nào.".to_string());
    let input_id = if for_dashboard {
        "tep-tong-hop"
    } else {
        "tep-nhap"
    };

    let handle = move |list: web_sys::FileList, input: Option<web_sys::HtmlInputElement>| {
        if list.length() == 0 || busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(format!(
            "Đang đọc và kiểm tra {} tệp…",
            format_number(f64::from(list.length()), 0)
        )));
        leptos::task::spawn_local(async move {
            // Communes are checked against the official list, fetched now if no screen has yet;
            // without it every record is refused with the reason (EntryError).
            let _ = crate::ui::on_demand::divisions().await;
            let picked = files::read_all(list);
            let total = picked.len();
            let sets = state.sets.get_untracked();
            let mut checked: Vec<(String, Result<Records, String>)> = Vec::with_capacity(total);
            // Each file is checked as soon as it is read, while the browser reads the others.
            for (i, file) in picked.into_iter().enumerate() {
                if i > 0 && i % PROGRESS_EVERY == 0 {
                    busy.set(Some(format!(
                        "Đã kiểm tra {}/{} tệp…",
                        format_number(i as f64, 0),
                        format_number(total as f64, 0)
                    )));
                    next_task().await;
                }
                let name = file.name.clone();
                let result = file
                    .bytes()
                    .await
                    .map_err(|e| e.message_vi())
                    .and_then(|b| import_file(&b, &sets).map_err(|e| e.to_string()))
                    .and_then(|file| refused_whole(file.records));
                checked.push((name, result));
            }
            // Choosing the same file again must fire `change` again.
            if let Some(input) = input {
                input.set_value("");
            }
            let done = if for_dashboard {
                into_dashboard(checked, |accepted| dashboard.add(accepted, &sets))
            } else {
                checked
                    .into_iter()
                    .map(|(name, result)| FileOutcome {
                        name,
                        result: result.map(|list| {
                            list.into_iter()
                                .map(|record| match record {
                                    Ok(one) => {
                                        let (label, warnings) = describe(&one);
                                        Entry {
                                            label,
                                            warnings,
                                            effect: Effect::Own(state.import_own(one)),
                                        }
                                    }
                                    Err(refused) => refused_entry(refused),
                                })
                                .collect()
                        }),
                    })
                    .collect()
            };
            outcomes.set(done);
            busy.set(None);
        });
    };

    view! {
        <div
            class="drop-zone"
            class:drop-zone-active=move || dragging.get()
            role="group"
            aria-label="Vùng nhập tệp: chọn tệp, hoặc kéo và thả tệp JSON vào đây"
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
                    chosen.set(describe_choice(&list));
                    handle(list, None);
                }
            }
        >
            // The browser's own button says "Choose Files / No file chosen" in the browser's
            // language: the input is hidden and its label is the button.
            <input
                type="file"
                class="visually-hidden file-input"
                id=input_id
                multiple
                accept=".json,application/json"
                // One batch at a time: the files of the next wait until this one is listed.
                disabled=move || busy.with(Option::is_some)
                on:change=move |ev| {
                    let input = event_target::<web_sys::HtmlInputElement>(&ev);
                    if let Some(list) = input.files() {
                        chosen.set(describe_choice(&list));
                        handle(list, Some(input));
                    }
                }
            />
            <label for=input_id class="button file-button">
                {if for_dashboard { "Chọn các tệp JSON của các xã, phường" } else { "Chọn tệp JSON" }}
            </label>
            <span class="file-chosen">{move || chosen.get()}</span>
            <p class="hint">
                "Có thể chọn nhiều tệp cùng lúc, hoặc kéo và thả tệp vào khung này. Tệp không đúng "
                "sẽ bị từ chối kèm lý do và không làm thay đổi dữ liệu đang có."
            </p>
        </div>
        <p role="status" class="import-busy">{move || busy.get()}</p>
        {move || {
            let done = outcomes.get();
            (!done.is_empty()).then(|| view! { <Outcomes outcomes=done for_dashboard=for_dashboard/> })
        }}
    }
}

/// "Đã chọn: a.json", "Đã chọn 3 tệp", said next to the button instead of the browser's words.
fn describe_choice(list: &web_sys::FileList) -> String {
    match (list.length(), list.get(0)) {
        (0, _) => "Chưa chọn tệp nào.".to_string(),
        (1, Some(file)) => format!("Đã chọn: {}", file.name()),
        (n, _) => format!("Đã chọn {} tệp.", format_number(f64::from(n), 0)),
    }
}

/// Every record of a file, accepted or refused.
type Records = Vec<Result<ImportedAssessment, RejectedRecord>>;

/// The file's own naming of an assessment, and its warnings.
fn describe(one: &ImportedAssessment) -> (String, Vec<String>) {
    (
        one.label(),
        one.warnings.iter().map(ToString::to_string).collect(),
    )
}

/// A file none of whose records was accepted is refused as a whole, with each record's reason.
fn refused_whole(records: Records) -> Result<Records, String> {
    if records.iter().any(Result::is_ok) {
        return Ok(records);
    }
    Err(records
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect::<Vec<_>>()
        .join(" "))
}

fn refused_entry(refused: RejectedRecord) -> Entry {
    Entry {
        label: refused
            .label
            .clone()
            .unwrap_or_else(|| format!("Bản đánh giá thứ {}", refused.index)),
        warnings: Vec::new(),
        effect: Effect::Refused(refused.error.to_string()),
    }
}

/// Hands the accepted records to `add` in one batch (one save for thousands of files) and
/// pairs each record with what the collection did with it.
fn into_dashboard(
    checked: Vec<(String, Result<Records, String>)>,
    add: impl FnOnce(Vec<(String, Vec<ImportedAssessment>)>) -> Vec<Vec<Merge>>,
) -> Vec<FileOutcome> {
    let mut described = Vec::with_capacity(checked.len());
    let mut accepted = Vec::new();
    for (name, result) in checked {
        match result {
            Ok(records) => {
                let mut entries = Vec::with_capacity(records.len());
                let mut kept = Vec::new();
                for record in records {
                    match record {
                        Ok(one) if one.backup => {
                            let (label, warnings) = describe(&one);
                            entries.push(Some(Entry {
                                label,
                                warnings,
                                effect: Effect::BackupLeftOut,
                            }));
                        }
                        Ok(one) => {
                            entries.push(None);
                            kept.push(one);
                        }
                        Err(refused) => entries.push(Some(refused_entry(refused))),
                    }
                }
                let labels: Vec<_> = kept.iter().map(describe).collect();
                described.push((name.clone(), Ok((entries, labels))));
                accepted.push((name, kept));
            }
            Err(message) => described.push((name, Err(message))),
        }
    }
    let mut merges = add(accepted).into_iter();
    described
        .into_iter()
        .map(|(name, result)| FileOutcome {
            name,
            result: result.map(|(entries, labels)| {
                let mut kept = labels
                    .into_iter()
                    .zip(merges.next().unwrap_or_default())
                    .map(|((label, warnings), merge)| Entry {
                        label,
                        warnings,
                        effect: Effect::Dashboard(merge),
                    });
                entries
                    .into_iter()
                    .filter_map(|entry| entry.or_else(|| kept.next()))
                    .collect()
            }),
        })
        .collect()
}

#[component]
fn Outcomes(outcomes: Vec<FileOutcome>, for_dashboard: bool) -> impl IntoView {
    let files = outcomes.len();
    let rejected = outcomes.iter().filter(|o| o.result.is_err()).count();
    let assessments: usize = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .map(|entries| {
            entries
                .iter()
                .filter(|e| !matches!(e.effect, Effect::Refused(_)))
                .count()
        })
        .sum();
    let summary = format!(
        "Đã kiểm tra {} tệp: nhận {} tệp ({} bản đánh giá), không nhận {} tệp.",
        format_number(files as f64, 0),
        format_number((files - rejected) as f64, 0),
        format_number(assessments as f64, 0),
        format_number(rejected as f64, 0)
    );
    // Refused files first, then those with something to read, then the rest.
    let (plain, mut listed): (Vec<FileOutcome>, Vec<FileOutcome>) =
        outcomes.into_iter().partition(FileOutcome::plain);
    listed.sort_by_key(|o| o.result.is_ok());
    let (shown, collapsed) = if plain.len() > LISTED_PLAINLY {
        (listed, plain)
    } else {
        (listed.into_iter().chain(plain).collect(), Vec::new())
    };
    let open = RwSignal::new(false);
    let collapsed_count = collapsed.len();
    let heading_id = if for_dashboard {
        "ket-qua-nhap-tong-hop"
    } else {
        "ket-qua-nhap"
    };
    view! {
        <section class="import-results" aria-labelledby=heading_id>
            <h3 id=heading_id>"Kết quả nhập tệp"</h3>
            <p class="import-summary">{summary}</p>
            <ul class="import-list" aria-label="Kết quả từng tệp">
                {shown.into_iter().map(|o| view! { <FileResult outcome=o/> }).collect_view()}
            </ul>
            {(collapsed_count > 0).then(|| view! {
                <details on:toggle=move |_| open.set(true)>
                    <summary>
                        {format!(
                            "Xem {} tệp được nhận không có gì cần lưu ý",
                            format_number(collapsed_count as f64, 0)
                        )}
                    </summary>
                    // Thousands of items are built only when asked for.
                    {move || open.get().then(|| view! {
                        <ul class="import-list">
                            {collapsed.clone().into_iter().map(|o| view! { <FileResult outcome=o/> }).collect_view()}
                        </ul>
                    })}
                </details>
            })}
        </section>
    }
}

#[component]
fn FileResult(outcome: FileOutcome) -> impl IntoView {
    let name = outcome.name;
    match outcome.result {
        Err(message) => view! {
            <li class="import-rejected">
                <span class="import-file">{name}</span> ": "
                <strong>"không nhận"</strong> " — " {message}
            </li>
        }
        .into_any(),
        Ok(entries) => {
            let accepted = entries
                .iter()
                .filter(|e| !matches!(e.effect, Effect::Refused(_)))
                .count();
            let count = format!("đã nhận {accepted} bản đánh giá");
            view! {
                <li class="import-accepted">
                    <span class="import-file">{name}</span> ": " <strong>{count}</strong>
                    <ul>
                        {entries.into_iter().map(|e| view! { <EntryResult entry=e/> }).collect_view()}
                    </ul>
                </li>
            }
            .into_any()
        }
    }
}

#[component]
fn EntryResult(entry: Entry) -> impl IntoView {
    let effect = match entry.effect {
        Effect::Own(OwnImport::Added) => Some(view! { " — đã thêm vào danh sách." }.into_any()),
        Effect::Own(OwnImport::Unchanged) => {
            Some(view! { " — đã có đúng bản này trên máy, không thay đổi gì." }.into_any())
        }
        Effect::Own(OwnImport::NotSaved(message)) => {
            Some(view! { " — " <span class="score-error">{message}</span> }.into_any())
        }
        Effect::Own(OwnImport::Conflict(c)) => {
            Some(view! { <ConflictChoice conflict=c/> }.into_any())
        }
        Effect::Dashboard(Merge::Added) => None,
        Effect::BackupLeftOut => Some(
            view! { " — bản sao lưu của đơn vị gửi, không đưa vào tổng hợp." }.into_any(),
        ),
        Effect::Refused(message) => Some(
            view! { " — " <strong>"không nhận"</strong> ": " <span class="score-error">{message}</span> }
                .into_any(),
        ),
        Effect::Dashboard(merge) => {
            Some(view! { <p class="import-note">{merge.to_string()}</p> }.into_any())
        }
    };
    view! {
        <li>
            {entry.label}
            {effect}
            {(!entry.warnings.is_empty()).then(|| view! {
                <ul class="import-warnings" aria-label="Lưu ý">
                    {entry.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

/// The two copies of one assessment side by side; the one in use can be switched.
#[component]
fn ConflictChoice(conflict: ImportConflict) -> impl IntoView {
    let state = use_app();
    let current = RwSignal::new(conflict);
    let swap = move |_| match state.swap_with_backup(&current.get_untracked()) {
        Ok(next) => {
            current.set(next);
            state.notify(
                "Đã đổi bản đang dùng; bản kia được giữ làm bản sao lưu.".into(),
                Tone::Info,
            );
        }
        Err(message) => state.notify(message, Tone::Error),
    };
    move || {
        let c = current.get();
        let (in_use, spare) = if c.current_is_imported {
            ("Bản trong tệp", "Bản đã có trên máy")
        } else {
            ("Bản đã có trên máy", "Bản trong tệp")
        };
        view! {
            <div class="import-conflict" role="group" aria-label="Hai bản của cùng đơn vị và năm">
                <p>
                    "Trên máy đã có bản đánh giá của đơn vị này cho năm này. Đang dùng bản sửa sau "
                    "cùng; bản còn lại được giữ làm bản sao lưu."
                </p>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Bản"</th>
                            <th scope="col" class="num">"Lần sửa"</th>
                            <th scope="col">"Sửa lúc"</th>
                            <th scope="col" class="num">"Tổng điểm"</th>
                            <th scope="col">"Kết quả"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <CopyRow label=format!("{in_use} (đang dùng)") copy=c.current.clone()/>
                        <CopyRow label=format!("{spare} (bản sao lưu)") copy=c.backup.clone()/>
                    </tbody>
                </table>
                <button type="button" on:click=swap>
                    {format!("Dùng {} thay thế", spare.to_lowercase())}
                </button>
            </div>
        }
    }
}

#[component]
fn CopyRow(label: String, copy: CopySummary) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td class="num">{copy.revision}</td>
            <td>{clock::local_date_time(copy.updated_at)}</td>
            <td class="num">{copy.total.map_or("—".to_string(), |t| t.to_string())}</td>
            <td>
                {match copy.verdict {
                    Some(v) => view! { <span class=verdict_class(v)>{v.label_vi()}</span> }.into_any(),
                    None => "chưa tính được (chưa có bộ tiêu chí)".into_any(),
                }}
            </td>
        </tr>
    }
}
