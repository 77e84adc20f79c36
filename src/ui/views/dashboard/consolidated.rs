//! "Xuất tệp tổng hợp": the province passes its communes' records upward in one exchange file
//! (docs/exchange-format.md, section 9) — every loaded record of the province exactly as its
//! commune's file had it, its checksum untouched, under a header naming the province and who
//! made the file.

use leptos::prelude::*;

use crate::adapters::tick::Slice;
use crate::adapters::{clock, files, storage};
use crate::domain::aggregate::province_counts;
use crate::domain::exchange::{consolidated_file_name, Consolidated, ConsolidatedText, Person};
use crate::domain::numbers::format_number;
use crate::ui::dashboard_state::use_dashboard;
use crate::ui::state::{use_app, Tone};

/// Who made the last consolidated file, kept for the next one.
const MAKER_KEY: &str = "xa-tre-em/tong-hop/nguoi-lap";

#[component]
pub fn ConsolidatedExport() -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    // The provinces loaded, the one with most rows first: after a change, worked out after
    // the table, the counts and the provinces, in a task of its own.
    let later = dashboard.rows_later(4);
    let provinces = Memo::new(move |_| later.with(|rows| province_counts(rows)));
    let saved: Person = storage::read(MAKER_KEY)
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or(Person {
            name: String::new(),
            position: String::new(),
            organization: String::new(),
        });
    let province = RwSignal::new(None::<String>);
    let name = RwSignal::new(saved.name);
    let position = RwSignal::new(saved.position);
    let organization = RwSignal::new(saved.organization);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let chosen = move || {
        province
            .get()
            .or_else(|| provinces.with(|p| p.first().map(|(code, ..)| code.clone())))
    };
    let write = move |_| {
        let Some(code) = chosen() else { return };
        if name.get_untracked().trim().is_empty() {
            problem.set(Some("Hãy ghi họ tên người lập tệp.".into()));
            return;
        }
        problem.set(None);
        let maker = Person {
            name: name.get_untracked().trim().to_string(),
            position: position.get_untracked().trim().to_string(),
            organization: organization.get_untracked().trim().to_string(),
        };
        // Remembering the maker is a convenience: a failure to store it changes nothing else.
        let _ = storage::write(
            MAKER_KEY,
            &serde_json::to_string(&maker).expect("a person serializes"),
        );
        let keys: Vec<String> = dashboard.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| r.province_code == code)
                .map(|r| r.key())
                .collect()
        });
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = dashboard.docs_of(&keys).await;
            let docs = match outcome {
                Ok(docs) => docs,
                Err(missing) => {
                    problem.set(Some(missing));
                    busy.set(false);
                    return;
                }
            };
            let province_name = crate::domain::divisions::divisions()
                .and_then(|d| d.province(&code))
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let now = clock::now_ms();
            let mut file = ConsolidatedText::start(
                Consolidated {
                    province_code: code.clone(),
                    province_name,
                    made_by: maker,
                },
                now,
            );
            // In slices: at once, 756 records held a phone's page for 0.6 s.
            let mut slice = Slice::start();
            for doc in &docs {
                file.push(&doc.record());
                slice.over().await;
            }
            let file_name = consolidated_file_name(&code, docs.len(), now);
            let written =
                files::download(&file_name, "application/json;charset=utf-8", &file.finish());
            busy.set(false);
            match written {
                Ok(()) => state.notify(
                    format!(
                        "Đã xuất tệp tổng hợp {} bản đánh giá vào tệp «{file_name}». Mỗi bản giữ \
                         nguyên mã kiểm tra của xã gửi lên.",
                        format_number(docs.len() as f64, 0)
                    ),
                    Tone::Info,
                ),
                Err(e) => state.notify(
                    format!("Chưa xuất được tệp tổng hợp. {}", e.message_vi()),
                    Tone::Error,
                ),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="tep-tong-hop-tieu-de">
            <h2 id="tep-tong-hop-tieu-de">"Xuất tệp tổng hợp gửi lên"</h2>
            <p>
                "Một tệp JSON chứa mọi bản đánh giá đã nạp của một tỉnh, giữ nguyên nội dung và mã "
                "kiểm tra của từng xã, kèm tên tỉnh, người lập và thời điểm lập. Cấp trên nạp tệp "
                "này vào màn hình Tổng hợp như nạp tệp của các xã."
            </p>
            <div class="pair">
                <div>
                    <label for="tong-hop-tinh">"Tỉnh, thành phố"</label>
                    <select id="tong-hop-tinh" on:change=move |ev| province.set(Some(event_target_value(&ev)))>
                        {move || provinces.get().into_iter().map(|(code, label, n)| {
                            let value = code.clone();
                            view! {
                                <option value=value selected=move || chosen().as_deref() == Some(code.as_str())>
                                    {format!("{label} ({} bản)", format_number(n as f64, 0))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="tong-hop-nguoi-lap">"Họ và tên người lập"</label>
                    <input id="tong-hop-nguoi-lap" type="text" autocomplete="name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="tong-hop-chuc-vu">"Chức vụ"</label>
                    <input id="tong-hop-chuc-vu" type="text"
                        prop:value=move || position.get()
                        on:input=move |ev| position.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="tong-hop-co-quan">"Cơ quan"</label>
                    <input id="tong-hop-co-quan" type="text" autocomplete="organization"
                        prop:value=move || organization.get()
                        on:input=move |ev| organization.set(event_target_value(&ev))/>
                </div>
            </div>
            {move || problem.get().map(|p| view! { <p class="banner banner-warning" role="alert">{p}</p> })}
            <div class="actions">
                <button type="button" class="primary" disabled=move || busy.get() on:click=write>
                    "Xuất tệp tổng hợp"
                </button>
            </div>
        </section>
    }
}
