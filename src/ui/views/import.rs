//! "Nhập tệp": exchange files chosen with the picker or dropped on the zone are read, checked
//! by the domain record by record, stored, and listed file by file with what really happened
//! to each record: stored, already there, both copies kept, kept as a backup, not stored (and
//! why, and what to do) or refused (and why). A refused record or file changes nothing stored.
//!
//! Thousands of records (a province's 19 MB file, or 3,321 communes' files) are handled in
//! slices of a few tens of milliseconds, with a progress bar and a button to stop: the page
//! never freezes. Into the user's own list each record is settled by
//! [`AppState::import_own_batch`](crate::ui::state::AppState); into the dashboard, by
//! [`Dashboard::add`](crate::ui::dashboard_state::Dashboard::add). Everything from a file is
//! shown as text.
//!
//! Checking (opening a file, JSON, checksums, rescoring), storing and the list of outcomes are
//! code Home only needs once a file is chosen: they are in the part of the module with the
//! screens (`parts.rs`), fetched then.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::adapters::tick::Slice;
use crate::adapters::{clock, files, focus};
use crate::domain::criteria_registry::CriteriaRegistry;
use crate::domain::dashboard::Merge;
use crate::domain::exchange::{FileHeader, ImportedAssessment, Opening, RejectedRecord};
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::{use_dashboard, Dashboard};
use crate::ui::on_demand::{part_entry, NotLoaded};
use crate::ui::state::{use_app, AppState, Tone};
use crate::ui::state_import::{CopySummary, ImportConflict, OwnImport};
use crate::ui::views::verdict_class;

/// Past this many, files accepted without remark are listed only on demand: a province loads
/// thousands, and what needs reading is the refused ones.
const LISTED_PLAINLY: usize = 20;

/// Bytes of a file read between two looks at the clock while it is opened.
const OPEN_STEP_BYTES: usize = 128 * 1024;

/// Where an import stands, for the progress bar.
#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    storing: bool,
    files: usize,
    files_done: usize,
    /// Records of the files opened so far (a file's count is known once it is opened).
    records: usize,
    records_done: usize,
}

impl Progress {
    /// The bar's value and maximum: records for one file and while storing, files for many.
    fn bar(&self) -> (usize, usize) {
        if self.files <= 1 || self.storing {
            (self.records_done, self.records.max(1))
        } else {
            (self.files_done, self.files)
        }
    }

    fn text(&self) -> String {
        let n = |x: usize| format_number(x as f64, 0);
        if self.storing {
            format!(
                "Đang lưu {}/{} bản đánh giá…",
                n(self.records_done),
                n(self.records)
            )
        } else if self.files <= 1 {
            format!(
                "Đang kiểm tra {}/{} bản đánh giá…",
                n(self.records_done),
                n(self.records)
            )
        } else {
            format!(
                "Đang kiểm tra {}/{} tệp ({} bản đánh giá)…",
                n(self.files_done),
                n(self.files),
                n(self.records_done)
            )
        }
    }
}

/// What became of one chosen file.
#[derive(Clone)]
struct FileOutcome {
    name: String,
    /// What the file says of itself (a province's consolidated file) and its remarks.
    notes: Vec<String>,
    /// Its records, or why the whole file was refused.
    result: Result<Vec<Entry>, String>,
}

impl FileOutcome {
    /// Accepted, and nothing to say about any of its records.
    fn plain(&self) -> bool {
        self.notes.is_empty()
            && self
                .result
                .as_ref()
                .is_ok_and(|entries| entries.iter().all(Entry::plain))
    }
}

#[derive(Clone)]
struct Entry {
    /// "Xã Lý Bôn (mã 01294), năm 2025", as the file names it.
    label: String,
    warnings: Vec<String>,
    effect: Effect,
}

impl Entry {
    /// Stored (or added to the dashboard) without a remark.
    fn plain(&self) -> bool {
        self.warnings.is_empty()
            && matches!(
                self.effect,
                Effect::Dashboard(Merge::Added) | Effect::Own(OwnImport::Added)
            )
    }
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

/// A file read and checked: its header and every record, or why it was refused.
struct Checked {
    name: String,
    result: Result<(FileHeader, Records), String>,
}

/// Every record of a file, accepted or refused.
type Records = Vec<Result<ImportedAssessment, RejectedRecord>>;

#[component]
pub fn ImportPanel(
    /// Into the dashboard's collection rather than the user's own list.
    for_dashboard: bool,
    /// Where the import's code comes from: [`fetched`] on Home, [`at_hand`] in the screens' part.
    load: LoadRunner,
) -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    let outcomes = RwSignal::new(Vec::<FileOutcome>::new());
    let progress = RwSignal::new(None::<Progress>);
    let stop = RwSignal::new(false);
    let stopped = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    // Set with the part's code, before any outcome is there to draw.
    let importer = StoredValue::new(None::<Importer>);
    let chosen = RwSignal::new("Chưa chọn tệp nào.".to_string());
    let input_id = if for_dashboard {
        "tep-tong-hop"
    } else {
        "tep-nhap"
    };
    // «Dừng nhập» is disabled, then gone with the progress: the focus goes back to choosing
    // files, once that is possible again (so it does after an import started from the input).
    let refocus_input = StoredValue::new(false);
    leptos::prelude::Effect::new(move |_| {
        if progress.with(Option::is_none) && refocus_input.get_value() {
            refocus_input.set_value(false);
            if let Some(input) = focus::by_id(input_id) {
                // Lost meanwhile, the focus may have been given to the heading.
                focus::later(input, focus::on_heading());
            }
        }
    });

    let handle = move |list: web_sys::FileList, input: Option<web_sys::HtmlInputElement>| {
        if list.length() == 0 || progress.with_untracked(Option::is_some) {
            return;
        }
        // The file input is disabled while it works, which drops the focus: «Dừng nhập» takes it,
        // and the input gets it back at the end.
        if let Some(chooser) = focus::current().filter(|e| e.id() == input_id) {
            refocus_input.set_value(true);
            let stop_id = format!("{input_id}-dung");
            focus::later_found(
                Box::new(move || focus::by_id(&stop_id).or_else(|| focus::by_id(input_id))),
                Some(chooser),
            );
        }
        stop.set(false);
        stopped.set(None);
        outcomes.set(Vec::new());
        progress.set(Some(Progress {
            files: list.length() as usize,
            ..Progress::default()
        }));
        let job = Job {
            list,
            input,
            for_dashboard,
            state,
            dashboard,
            outcomes,
            progress,
            stop,
            stopped,
        };
        leptos::task::spawn_local(async move {
            match load(state).await {
                Ok(loaded) => {
                    importer.set_value(Some(loaded));
                    (loaded.run)(job).await
                }
                Err(NotLoaded) => {
                    job.clear_input();
                    stopped.set(Some(
                        "Không tải được phần ứng dụng dùng để kiểm tra tệp (có thể do mạng). Chưa \
                         nhập gì, dữ liệu trên máy không đổi; hãy chọn lại tệp khi có mạng."
                            .into(),
                    ));
                    progress.set(None);
                }
            }
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
                disabled=move || progress.with(Option::is_some)
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
        // Drawn once per import, its text and bar updated in place: a button redrawn at every
        // slice would never stay long enough under a finger to be tapped.
        <Show when=move || progress.with(Option::is_some)>
            {
                let bar_id = format!("{input_id}-tien-do");
                let bar = move || progress.with(|p| p.as_ref().map(Progress::bar).unwrap_or((0, 1)));
                // Adding to the dashboard is one short step that cannot stop halfway.
                let stoppable = move || {
                    !(for_dashboard && progress.with(|p| p.as_ref().is_some_and(|p| p.storing)))
                };
                view! {
                    <div class="import-progress" role="status">
                        <label for=bar_id.clone()>
                            {move || progress.with(|p| p.as_ref().map(Progress::text))}
                        </label>
                        <progress id=bar_id max=move || bar().1.to_string() value=move || bar().0.to_string()>
                        </progress>
                        <Show when=stoppable>
                            <button type="button" id=format!("{input_id}-dung")
                                disabled=move || stop.get() on:click=move |_| {
                                stop.set(true);
                                refocus_input.set_value(true);
                            }>
                                {move || if stop.get() { "Đang dừng…" } else { "Dừng nhập" }}
                            </button>
                        </Show>
                    </div>
                }
            }
        </Show>
        {move || stopped.get().map(|m| view! { <p class="banner banner-warning" role="status">{m}</p> })}
        {move || {
            let done = outcomes.get();
            let draw = importer.get_value()?.outcomes;
            (!done.is_empty()).then(|| draw(done, for_dashboard))
        }}
    }
}

/// One import, from the files chosen to the outcomes shown.
pub struct Job {
    list: web_sys::FileList,
    input: Option<web_sys::HtmlInputElement>,
    /// Into the dashboard's collection rather than the user's own list.
    for_dashboard: bool,
    state: AppState,
    dashboard: Dashboard,
    outcomes: RwSignal<Vec<FileOutcome>>,
    progress: RwSignal<Option<Progress>>,
    stop: RwSignal<bool>,
    stopped: RwSignal<Option<String>>,
}

impl Job {
    /// Choosing the same file again must fire `change` again.
    fn clear_input(&self) {
        if let Some(input) = &self.input {
            input.set_value("");
        }
    }
}

/// The import's code, as the part of the module gives it: [`run`], and the list of what became
/// of each file and record ([`Outcomes`]), drawn only after an import.
#[derive(Clone, Copy)]
pub struct Importer {
    run: fn(Job) -> Pin<Box<dyn Future<Output = ()>>>,
    outcomes: fn(Vec<FileOutcome>, bool) -> AnyView,
}

/// Gives the import's code. A prop rather than a call inside the panel: the panel is also drawn
/// by the dashboard, inside the part, which must not reach the part's own loader (a build without
/// the split, as the browser tests', could not link it).
pub type LoadRunner = fn(AppState) -> Pin<Box<dyn Future<Output = Result<Importer, NotLoaded>>>>;

thread_local! {
    static IMPORTER: Cell<Option<Importer>> = const { Cell::new(None) };
}

/// On Home: fetched with the screens' part on the first import.
/// The records are checked against the criteria sets this browser has: read first.
pub fn fetched(state: AppState) -> Pin<Box<dyn Future<Output = Result<Importer, NotLoaded>>>> {
    Box::pin(async move {
        state.read_sets().await?;
        part_entry(&IMPORTER, importing_part).await
    })
}

/// In the screens' part (the dashboard): already there.
pub fn at_hand(_: AppState) -> Pin<Box<dyn Future<Output = Result<Importer, NotLoaded>>>> {
    Box::pin(std::future::ready(Ok(runner())))
}

fn runner() -> Importer {
    Importer {
        run: |job| Box::pin(run(job)),
        outcomes: |outcomes, for_dashboard| {
            view! { <Outcomes outcomes=outcomes for_dashboard=for_dashboard/> }.into_any()
        },
    }
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn importing_part() -> Result<Importer, NotLoaded> {
    Ok(runner())
}

/// Checks the files, stores what they hold (or hands it to the dashboard), and shows the
/// outcome of every record.
async fn run(job: Job) {
    let Job {
        for_dashboard,
        state,
        dashboard,
        outcomes,
        progress,
        stop,
        stopped,
        ..
    } = job;
    // Communes are checked against the official list, fetched now if no screen has yet; without
    // it every record is refused with the reason (EntryError).
    let _ = crate::ui::on_demand::divisions().await;
    let sets = state.sets.get_untracked();
    let checked = check_files(job.list.clone(), &sets, progress, stop).await;
    job.clear_input();
    let Some(checked) = checked else {
        stopped.set(Some(
            "Đã dừng nhập tệp khi đang kiểm tra: chưa lưu gì, dữ liệu trên máy không đổi.".into(),
        ));
        progress.set(None);
        return;
    };
    let (described, handed_on) = split(checked, !for_dashboard);
    let storing = |records| {
        progress.update(|p| {
            if let Some(p) = p {
                *p = Progress {
                    storing: true,
                    records,
                    ..Progress::default()
                };
            }
        })
    };
    let done_so_far = |done| {
        progress.update(|p| {
            if let Some(p) = p {
                p.records_done = done;
            }
        })
    };
    let done = if for_dashboard {
        storing(handed_on.iter().map(|(_, list)| list.len()).sum());
        let merges = dashboard.add(handed_on, &sets, done_so_far).await;
        joined(
            described,
            merges.into_iter().flatten().map(Effect::Dashboard),
        )
    } else {
        let records: Vec<ImportedAssessment> =
            handed_on.into_iter().flat_map(|(_, list)| list).collect();
        storing(records.len());
        let effects = state
            .import_own_batch(records, done_so_far, || stop.get_untracked())
            .await;
        if effects.iter().any(|e| matches!(e, OwnImport::NotReached)) {
            stopped.set(Some(
                "Đã dừng nhập tệp khi đang lưu: các bản đã lưu được giữ, các bản sau đó chưa lưu \
                 (xem từng tệp bên dưới)."
                    .into(),
            ));
        }
        joined(described, effects.into_iter().map(Effect::Own))
    };
    outcomes.set(done);
    progress.set(None);
}

/// Reads and checks the files one after the other, record by record, yielding to the page every
/// [`SLICE_MS`]; the browser reads the next files meanwhile. `None` when stopped.
async fn check_files(
    list: web_sys::FileList,
    sets: &CriteriaRegistry,
    progress: RwSignal<Option<Progress>>,
    stop: RwSignal<bool>,
) -> Option<Vec<Checked>> {
    let picked = files::read_all(list);
    let mut checked = Vec::with_capacity(picked.len());
    let mut slice = Slice::start();
    let (mut records_total, mut records_done) = (0, 0);
    let show = |files_done, records_total, records_done| {
        progress.update(|p| {
            if let Some(p) = p {
                p.files_done = files_done;
                p.records = records_total;
                p.records_done = records_done;
            }
        });
    };
    for (i, file) in picked.into_iter().enumerate() {
        let name = file.name.clone();
        let bytes = match file.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                checked.push(Checked {
                    name,
                    result: Err(e.message_vi()),
                });
                continue;
            }
        };
        // A province's file of many megabytes is opened in steps, between which the page
        // gets its turns.
        let mut opening = Opening::new(&bytes);
        let opened = loop {
            if let Some(opened) = opening.step(OPEN_STEP_BYTES) {
                break opened;
            }
            if slice.due() {
                show(i, records_total, records_done);
                slice.turn().await;
                if stop.get_untracked() {
                    return None;
                }
            }
        };
        let mut opened = match opened {
            Ok(opened) => opened,
            Err(e) => {
                checked.push(Checked {
                    name,
                    result: Err(e.to_string()),
                });
                continue;
            }
        };
        records_total += opened.len();
        let mut records = Vec::with_capacity(opened.len());
        let result = loop {
            match opened.check_next(sets) {
                Ok(Some(record)) => records.push(record),
                Ok(None) => break Ok(()),
                Err(e) => break Err(e.to_string()),
            }
            records_done += 1;
            if slice.due() {
                show(i, records_total, records_done);
                slice.turn().await;
                if stop.get_untracked() {
                    return None;
                }
            }
        };
        checked.push(Checked {
            name,
            result: result.map(|()| (opened.into_header(), records)),
        });
    }
    Some(checked)
}

/// "Đã chọn: a.json", "Đã chọn 3 tệp", said next to the button instead of the browser's words.
fn describe_choice(list: &web_sys::FileList) -> String {
    match (list.length(), list.get(0)) {
        (0, _) => "Chưa chọn tệp nào.".to_string(),
        (1, Some(file)) => format!("Đã chọn: {}", file.name()),
        (n, _) => format!("Đã chọn {} tệp.", format_number(f64::from(n), 0)),
    }
}

/// The file's own naming of an assessment, and its warnings.
fn describe(one: &ImportedAssessment) -> (String, Vec<String>) {
    (
        one.label(),
        one.warnings.iter().map(ToString::to_string).collect(),
    )
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

/// What a file says of itself: a province's consolidated file names the province and its
/// maker; remarks on its top level.
fn header_notes(header: &FileHeader) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    if let Some(c) = &header.consolidated {
        let who = [
            &c.made_by.name,
            &c.made_by.position,
            &c.made_by.organization,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
        let province = if c.province_name.is_empty() {
            format!("tỉnh mã {}", c.province_code)
        } else {
            format!("{} (mã {})", c.province_name, c.province_code)
        };
        notes.push(format!(
            "Tệp tổng hợp của {province}, do {who} lập lúc {}.",
            clock::local_date_time(header.exported_at_ms)
        ));
    }
    notes.extend(header.warnings.iter().map(ToString::to_string));
    notes
}

/// A record whose outcome is known now (refused, left out), or that is handed on to be stored.
enum Slot {
    Pending {
        label: String,
        warnings: Vec<String>,
    },
    Done(Entry),
}

/// Each file: its name, its notes, and its records' slots (or why it was refused).
type Described = Vec<(String, Vec<String>, Result<Vec<Slot>, String>)>;

/// Files accepted so far: each file's records to store, by file name.
type HandedOn = Vec<(String, Vec<ImportedAssessment>)>;

/// Splits the checked files into what is told now and what is handed on to be stored, in
/// order. A file none of whose records was accepted is refused as a whole, with each reason.
/// Backups the sender kept are handed on only where backups are kept (`keep_backups`).
fn split(checked: Vec<Checked>, keep_backups: bool) -> (Described, HandedOn) {
    let mut described = Vec::with_capacity(checked.len());
    let mut handed_on = Vec::new();
    for Checked { name, result } in checked {
        let (notes, result) = match result {
            Err(message) => (Vec::new(), Err(message)),
            Ok((header, records)) if records.iter().all(Result::is_err) => {
                let reasons = records
                    .iter()
                    .filter_map(|r| r.as_ref().err().map(ToString::to_string))
                    .collect::<Vec<_>>()
                    .join(" ");
                (header_notes(&header), Err(reasons))
            }
            Ok((header, records)) => {
                let mut slots = Vec::with_capacity(records.len());
                let mut to_store = Vec::new();
                for record in records {
                    match record {
                        Ok(one) => {
                            let (label, warnings) = describe(&one);
                            if one.backup && !keep_backups {
                                slots.push(Slot::Done(Entry {
                                    label,
                                    warnings,
                                    effect: Effect::BackupLeftOut,
                                }));
                            } else {
                                slots.push(Slot::Pending { label, warnings });
                                to_store.push(one);
                            }
                        }
                        Err(refused) => slots.push(Slot::Done(refused_entry(refused))),
                    }
                }
                handed_on.push((name.clone(), to_store));
                (header_notes(&header), Ok(slots))
            }
        };
        described.push((name, notes, result));
    }
    (described, handed_on)
}

/// The described files with each handed-on record's effect put in its place, in order.
fn joined(described: Described, mut effects: impl Iterator<Item = Effect>) -> Vec<FileOutcome> {
    described
        .into_iter()
        .map(|(name, notes, result)| FileOutcome {
            name,
            notes,
            result: result.map(|slots| {
                slots
                    .into_iter()
                    .filter_map(|slot| match slot {
                        Slot::Done(entry) => Some(entry),
                        Slot::Pending { label, warnings } => effects.next().map(|effect| Entry {
                            label,
                            warnings,
                            effect,
                        }),
                    })
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
    let effects = tally(&outcomes, for_dashboard);
    // Refused files first, then those with something to read, then the rest.
    let (plain, mut listed): (Vec<FileOutcome>, Vec<FileOutcome>) =
        outcomes.into_iter().partition(FileOutcome::plain);
    crate::domain::sorting::sort_by_key(&mut listed, |o| o.result.is_ok());
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
            {(!effects.is_empty()).then(|| view! { <p class="import-tally">{effects}</p> })}
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

/// What happened to the records, counted: "Đã lưu 1.200 bản; 3.800 bản chưa lưu được (bộ nhớ
/// đầy); …". Only what happened is said.
fn tally(outcomes: &[FileOutcome], for_dashboard: bool) -> String {
    let entries: Vec<&Effect> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .flatten()
        .map(|e| &e.effect)
        .collect();
    let count = |wanted: fn(&Effect) -> bool| entries.iter().filter(|e| wanted(e)).count();
    let parts: Vec<(usize, &str)> = if for_dashboard {
        vec![
            (
                count(|e| matches!(e, Effect::Dashboard(Merge::Added))),
                "bản được thêm vào bảng",
            ),
            (
                count(|e| matches!(e, Effect::Dashboard(Merge::Replaced(_)))),
                "bản thay cho bản cũ hơn đã nạp",
            ),
            (
                count(|e| matches!(e, Effect::Dashboard(Merge::Skipped(_)))),
                "bản bỏ qua vì đã nạp bản mới hơn hoặc chính bản này",
            ),
            (
                count(|e| matches!(e, Effect::BackupLeftOut)),
                "bản sao lưu của đơn vị gửi, không đưa vào tổng hợp",
            ),
            (count(|e| matches!(e, Effect::Refused(_))), "bản bị từ chối"),
        ]
    } else {
        vec![
            (
                count(|e| matches!(e, Effect::Own(OwnImport::Added))),
                "bản đã lưu vào danh sách",
            ),
            (
                count(|e| matches!(e, Effect::Own(OwnImport::Unchanged))),
                "bản đã có sẵn trên máy",
            ),
            (
                count(|e| matches!(e, Effect::Own(OwnImport::Conflict(_)))),
                "bản trùng đơn vị và năm với bản đã có (giữ cả hai, bản sửa sau cùng được dùng)",
            ),
            (
                count(|e| matches!(e, Effect::Own(OwnImport::KeptAsBackup))),
                "bản sao lưu đã lưu vào mục «Bản sao lưu»",
            ),
            (
                count(|e| matches!(e, Effect::Own(OwnImport::NotStored(_)))),
                "bản CHƯA LƯU ĐƯỢC (xem lý do ở từng bản)",
            ),
            (
                count(|e| matches!(e, Effect::Own(OwnImport::NotReached))),
                "bản chưa lưu vì đã dừng nhập",
            ),
            (count(|e| matches!(e, Effect::Refused(_))), "bản bị từ chối"),
        ]
    };
    let said: Vec<String> = parts
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{} {what}", format_number(n as f64, 0)))
        .collect();
    if said.is_empty() {
        String::new()
    } else {
        format!("{}.", capitalise(&said.join("; ")))
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[component]
fn FileResult(outcome: FileOutcome) -> impl IntoView {
    let name = outcome.name;
    let notes = (!outcome.notes.is_empty()).then(|| {
        view! {
            <ul class="import-notes" aria-label="Về tệp này">
                {outcome.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        }
    });
    match outcome.result {
        Err(message) => view! {
            <li class="import-rejected">
                <span class="import-file">{name}</span> ": "
                <strong>"không nhận"</strong> " — " {message}
                {notes}
            </li>
        }
        .into_any(),
        Ok(entries) => {
            let accepted = entries
                .iter()
                .filter(|e| !matches!(e.effect, Effect::Refused(_)))
                .count();
            let count = format!("đã nhận {accepted} bản đánh giá");
            // A file of thousands of records lists first what needs reading, at most
            // LISTED_PLAINLY lines; the rest is built only when asked for.
            let (mut shown, mut more): (Vec<Entry>, Vec<Entry>) = if entries.len() > LISTED_PLAINLY
            {
                entries.into_iter().partition(|e| !e.plain())
            } else {
                (entries, Vec::new())
            };
            if shown.len() > LISTED_PLAINLY {
                more.splice(0..0, shown.split_off(LISTED_PLAINLY));
            }
            let open = RwSignal::new(false);
            let more_count = more.len();
            view! {
                <li class="import-accepted">
                    <span class="import-file">{name}</span> ": " <strong>{count}</strong>
                    {notes}
                    <ul>
                        {shown.into_iter().map(|e| view! { <EntryResult entry=e/> }).collect_view()}
                    </ul>
                    {(more_count > 0).then(|| view! {
                        <details on:toggle=move |_| open.set(true)>
                            <summary>
                                {format!("Xem {} bản đánh giá khác của tệp này", format_number(more_count as f64, 0))}
                            </summary>
                            {move || open.get().then(|| view! {
                                <ul>
                                    {more.clone().into_iter().map(|e| view! { <EntryResult entry=e/> }).collect_view()}
                                </ul>
                            })}
                        </details>
                    })}
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
        Effect::Own(OwnImport::KeptAsBackup) => Some(
            view! { " — bản sao lưu của máy gửi: đã lưu vào mục «Bản sao lưu»." }.into_any(),
        ),
        Effect::Own(OwnImport::NotStored(message)) => Some(
            view! { " — " <strong class="score-error">{message}</strong> }.into_any(),
        ),
        Effect::Own(OwnImport::NotReached) => Some(
            view! { " — chưa lưu: đã dừng nhập trước bản này (bản này vẫn còn trong tệp)." }
                .into_any(),
        ),
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
    let swap = move |_| {
        leptos::task::spawn_local(async move {
            match state.swap_with_backup(&current.get_untracked()).await {
                Ok(next) => {
                    current.set(next);
                    state.notify(
                        "Đã đổi bản đang dùng; bản kia được giữ làm bản sao lưu.".into(),
                        Tone::Info,
                    );
                }
                Err(message) => state.notify(message, Tone::Error),
            }
        });
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
