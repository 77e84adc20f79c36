//! "Nhận kết quả thẩm định" on Home: the commune imports the appraisal file the province sent;
//! each appraisal is kept beside the assessment of the same commune and year, and the outcome of
//! every record is listed (accepted with a link, or refused with the reason).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::adapters::clock;
use crate::adapters::files::{self, PickedFile};
use crate::domain::appraisal::Appraisal;
use crate::domain::appraisal_file::{import_file, ImportedAppraisal};
use crate::routes::Route;
use crate::ui::appraisal_state::{use_appraisals, Appraisals, Received};
use crate::ui::on_demand::{part_entry, NotLoaded};
use crate::ui::state::{use_app, AppState};

/// What happened to one record of one file.
#[derive(Clone)]
struct Line {
    text: String,
    /// The assessment it belongs to, to open its appraisal.
    open: Option<String>,
    ok: bool,
    notes: Vec<String>,
}

/// What a chosen list of files is received with.
#[derive(Clone, Copy)]
struct Receiving {
    state: AppState,
    appraisals: Appraisals,
    /// Set while what was accepted is being stored.
    saving: RwSignal<bool>,
}

/// Reads the chosen appraisal files, keeps what they hold and says what became of each record:
/// code Home needs only once a file is chosen, in the screens' part.
type Receive = fn(Vec<PickedFile>, Receiving) -> Pin<Box<dyn Future<Output = Vec<Line>>>>;

thread_local! {
    static RECEIVE: Cell<Option<Receive>> = const { Cell::new(None) };
}

#[leptos::wasm_split::wasm_split(man_hinh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn receiving_part() -> Result<Receive, NotLoaded> {
    Ok(|picked, to| Box::pin(receive(picked, to)))
}

#[component]
pub fn ReceivePanel() -> impl IntoView {
    let state = use_app();
    // The stored appraisals are read when a file is chosen, not with Home.
    let appraisals = use_appraisals();
    let lines = RwSignal::new(Vec::<Line>::new());
    let busy = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(list) = input.files() else { return };
        if list.length() == 0 || busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let sets_read = state.read_sets().await.is_ok();
            let stored_read = appraisals
                .loaded(crate::ui::appraisal_state::fetched)
                .await
                .is_ok();
            let part = part_entry(&RECEIVE, receiving_part).await;
            let (true, true, Ok(receive_all)) = (sets_read, stored_read, part) else {
                input.set_value("");
                lines.set(vec![Line {
                    text: "Không tải được phần ứng dụng dùng để đọc tệp thẩm định (có thể do \
                           mạng). Chưa nhận gì, dữ liệu trên máy không đổi; hãy chọn lại tệp khi \
                           có mạng."
                        .into(),
                    open: None,
                    ok: false,
                    notes: Vec::new(),
                }]);
                busy.set(false);
                return;
            };
            let to = Receiving {
                state,
                appraisals,
                saving,
            };
            let out = receive_all(files::read_all(list), to).await;
            input.set_value("");
            lines.set(out);
            busy.set(false);
        });
    };
    view! {
        <section class="panel" aria-labelledby="nhan-tham-dinh">
            <h2 id="nhan-tham-dinh">"Nhận kết quả thẩm định"</h2>
            <p>
                "Khi tỉnh gửi tệp kết quả thẩm định (tên tệp bắt đầu bằng «tham-dinh»), chọn tệp ở đây "
                "để xem ý kiến từng mục và các mục cần bổ sung."
            </p>
            // The browser's own file chooser speaks the browser's language: hidden, its label is
            // the button.
            <input type="file" class="visually-hidden file-input" id="tep-tham-dinh"
                accept=".json,application/json" multiple
                disabled=move || busy.get() on:change=on_change/>
            <label for="tep-tham-dinh" class="button file-button">"Chọn tệp kết quả thẩm định"</label>
            <p role="status" class="import-busy">
                {move || match (busy.get(), saving.get()) {
                    (true, true) => Some("Đang lưu vào máy…"),
                    (true, false) => Some("Đang đọc và kiểm tra tệp…"),
                    _ => None,
                }}
            </p>
            <Show when=move || lines.with(|l| !l.is_empty())>
                <ul class="import-list" aria-label="Kết quả nhận tệp thẩm định">
                    {move || lines.get().into_iter().map(|l| view! {
                        <li class=if l.ok { "import-accepted" } else { "import-rejected" }>
                            <strong>{l.text}</strong>
                            {l.open.map(|id| view! {
                                " " <a href=Route::ReceivedAppraisal { id }.href()>"Xem kết quả thẩm định"</a>
                            })}
                            {l.notes.into_iter().map(|n| view! { <p class="import-note">{n}</p> }).collect_view()}
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// [`Receive`]: the files one after the other, then the wait for the store.
async fn receive(picked: Vec<PickedFile>, to: Receiving) -> Vec<Line> {
    // Commune codes are checked against the official list.
    let _ = crate::ui::on_demand::divisions().await;
    let sets = to.state.sets.get_untracked();
    let mut read = Vec::new();
    for file in picked {
        let name = file.name.clone();
        let outcome = match file.bytes().await {
            Err(e) => Err(e.message_vi()),
            Ok(bytes) => import_file(&bytes, &sets).map_err(|e| e.to_string()),
        };
        read.push((name, outcome));
    }
    // Another tab may have received an appraisal of the same commune since this one read them:
    // which one to keep is decided on what the store holds, read again once this tab's own
    // changes are in it (so that reading replaces nothing of this tab's).
    if to.appraisals.until_saved().await.is_ok() {
        to.appraisals.reload().await;
    }
    let mut out = Vec::new();
    // The lines that say «đã nhận», with what they kept.
    let mut kept = Vec::new();
    for (name, outcome) in read {
        match outcome {
            Err(why) => out.push(Line {
                text: format!("Tệp «{name}» bị từ chối: {why}"),
                open: None,
                ok: false,
                notes: Vec::new(),
            }),
            Ok(records) => {
                for record in records {
                    out.push(match record {
                        Ok(one) => {
                            let appraisal = one.appraisal.clone();
                            let line = keep(to.state, to.appraisals, one, &name);
                            if line.ok {
                                kept.push((out.len(), appraisal, name.clone()));
                            }
                            line
                        }
                        Err(refused) => Line {
                            text: format!("Tệp «{name}»: {refused}"),
                            open: None,
                            ok: false,
                            notes: Vec::new(),
                        },
                    });
                }
            }
        }
    }
    // «đã nhận» is said once the store holds them: the page may be closed right after.
    if kept.is_empty() {
        return out;
    }
    to.saving.set(true);
    match to.appraisals.until_saved().await {
        Err(why) => {
            for line in out.iter_mut().filter(|l| l.ok) {
                line.notes.push(format!(
                    "Chưa lưu được vào máy ({why}). Kết quả vẫn giữ trong thẻ này và được thử \
                     lưu lại sau vài giây; đừng đóng thẻ, hoặc chọn lại tệp sau."
                ));
            }
        }
        Ok(()) => {
            // Another tab writing the same commune's appraisal at the same moment wins the
            // store (this tab's version is set aside): then the line must not say «đã nhận».
            to.appraisals.reload().await;
            for (n, (at, appraisal, file)) in kept.iter().enumerate() {
                let (code, year) = (appraisal.commune_code(), appraisal.year());
                // A later record of these files for the same commune and year took its place.
                let replaced_here = kept[n + 1..]
                    .iter()
                    .any(|(_, later, _)| later.commune_code() == code && later.year() == year);
                let stored = to.appraisals.received_untracked(code, year);
                if !replaced_here && stored.as_ref().map(|r| &r.appraisal) != Some(appraisal) {
                    out[*at] = not_kept(appraisal, stored.map(|r| r.appraisal.round), file);
                }
            }
        }
    }
    to.saving.set(false);
    out
}

/// The line of an appraisal that another tab's took the place of while it was being stored.
fn not_kept(ap: &Appraisal, stored_round: Option<u32>, file: &str) -> Line {
    let other = match stored_round {
        Some(round) => {
            format!("vừa lưu kết quả thẩm định lần {round} của đơn vị này cùng lúc, máy giữ bản đó")
        }
        None => "vừa thay đổi kết quả thẩm định của đơn vị này cùng lúc".to_string(),
    };
    Line {
        text: format!(
            "{}: một thẻ hoặc cửa sổ khác của ứng dụng {other}. Kết quả lần {} trong tệp «{file}» \
             chưa được nhận: hãy chọn lại tệp nếu vẫn cần.",
            label_of(ap),
            ap.round
        ),
        open: None,
        ok: false,
        notes: Vec::new(),
    }
}

fn label_of(ap: &Appraisal) -> String {
    format!(
        "{} — năm {}",
        ap.reviewed.assessment.commune.name,
        ap.year()
    )
}

/// Keeps an accepted appraisal unless a newer one of the same commune and year is there.
fn keep(state: AppState, appraisals: Appraisals, one: ImportedAppraisal, file: &str) -> Line {
    let ap = &one.appraisal;
    let label = label_of(ap);
    let own = state
        .all_stored_untracked()
        .into_iter()
        .find(|s| s.assessment.commune.code == ap.commune_code() && s.assessment.year == ap.year())
        .map(|s| s.assessment.id);
    let older = appraisals
        .received
        .with_untracked(|all| {
            all.iter()
                .find(|r| {
                    r.appraisal.commune_code() == ap.commune_code()
                        && r.appraisal.year() == ap.year()
                })
                .map(|r| !ap.supersedes(&r.appraisal) && r.appraisal != *ap)
        })
        .unwrap_or(false);
    let mut notes = one.warnings.clone();
    if older {
        return Line {
            text: format!("{label}: máy này đã có kết quả thẩm định mới hơn; giữ bản đó."),
            open: own,
            ok: false,
            notes,
        };
    }
    if own.is_none() {
        notes.push(format!(
            "Máy này chưa có bản tự đánh giá của {label}: kết quả thẩm định vẫn được giữ; hãy nhập \
             tệp tự đánh giá của đơn vị để xem cùng."
        ));
    }
    let text = format!("{label}: đã nhận kết quả thẩm định lần {}.", ap.round);
    appraisals.receive(Received {
        appraisal: one.appraisal,
        history: one.history,
        source_file: file.to_string(),
        received_at: clock::now_ms(),
    });
    Line {
        text,
        open: own,
        ok: true,
        notes,
    }
}
