//! "Bộ tiêu chí": every set this browser has (built-in, published, imported) with where it came
//! from and when, the editor's draft, and the ways to start one: from a set here, from a file,
//! or blank.

use leptos::prelude::*;

use crate::adapters::{clock, files, focus};
use crate::domain::criteria_edit::{blank_set, next_version_of};
use crate::domain::criteria_registry::{short_hash, RegisteredSet, SetOrigin};
use crate::domain::criteria_validate::parse_criteria_set;
use crate::routes::Route;
use crate::ui::editor_state::use_editor;
use crate::ui::state::{use_app, Tone};
use crate::ui::views::QuestionFocus;

#[component]
pub fn CriteriaSets() -> impl IntoView {
    let app = use_app();
    let editor = use_editor();
    editor.ensure_loaded();
    let list = move || {
        app.sets
            .get()
            .iter()
            .cloned()
            .map(|entry| view! { <SetCard entry=entry/> })
            .collect_view()
    };
    view! {
        <h1>"Bộ tiêu chí"</h1>
        <p class="lead">
            "Các bộ tiêu chí trên máy này: bộ có sẵn trong ứng dụng, bộ do trang web của tỉnh đăng \
             tải và bộ nhập từ tệp. Mọi bộ đã nạp đều được giữ trên máy để dùng khi không có mạng."
        </p>
        <DraftPanel/>
        <ul class="cards" aria-label="Các bộ tiêu chí trên máy này">{list}</ul>
        <StartPanel/>
    }
}

#[component]
fn SetCard(entry: RegisteredSet) -> impl IntoView {
    let app = use_app();
    let editor = use_editor();
    let set = entry.set.clone();
    let (id, version) = (set.id.clone(), set.version.clone());
    let in_use = {
        let (id, version) = (id.clone(), version.clone());
        move || app.assessments_using(&id, &version)
    };
    let added = match entry.added_at {
        Some(at) => format!("Nạp lúc {}", clock::local_date_time(at)),
        None => "Có sẵn trong ứng dụng".to_string(),
    };
    let examples = set.examples.len();
    let built_in = entry.origin == SetOrigin::BuiltIn;
    let confirming = RwSignal::new(false);
    let question = QuestionFocus::new();
    let key = format!("{id}@{version}");
    let newest = app.sets.with_untracked(|sets| {
        sets.newest(&id)
            .filter(|n| n.set.version != version)
            .map(|n| format!("{}@{}", n.set.id, n.set.version))
    });
    let edit = {
        let set = set.clone();
        let base = entry.reference();
        move |_| {
            if editor.editor.with_untracked(Option::is_some) {
                app.notify(
                    "Đang có một bản nháp: hãy xuất tệp hoặc bỏ bản nháp đó trước khi bắt đầu bản \
                     mới."
                        .into(),
                    Tone::Warning,
                );
                return;
            }
            let draft = app.sets.with_untracked(|sets| next_version_of(&set, sets));
            editor.start(draft, Some(base.clone()));
            crate::ui::navigate(&Route::CriteriaEditor);
        }
    };
    let download = {
        let set = set.clone();
        move |_| {
            let name = format!("{}_{}.json", set.id, set.version);
            let mut text = serde_json::to_string_pretty(&*set).expect("a set is plain data");
            text.push('\n');
            if let Err(e) = files::download(&name, "application/json;charset=utf-8", &text) {
                app.notify(e.message_vi(), Tone::Error);
            }
        }
    };
    let remove = {
        let (id, version) = (id.clone(), version.clone());
        move |_| {
            let (id, version) = (id.clone(), version.clone());
            leptos::task::spawn_local(async move {
                match app.remove_set(&id, &version).await {
                    Ok(()) => {
                        app.notify(
                            format!("Đã xóa bộ tiêu chí «{id}» phiên bản {version} khỏi máy này."),
                            Tone::Info,
                        );
                        // The card went, with the focused button.
                        focus::to_heading_if_lost();
                    }
                    Err(e) => app.notify(e.to_string(), Tone::Warning),
                }
            });
        }
    };
    let title = format!("{} — phiên bản {}", set.title, set.version);
    view! {
        <li class="card">
            <h2 class="card-title">{title.clone()}</h2>
            <p class="muted">
                {set.legal_basis.number.clone()} " · mã " {id.clone()} " · mã nội dung "
                <code>{short_hash(&entry.hash).to_string()}</code>
            </p>
            <p>{entry.origin.label_vi()} " · " {added}</p>
            <p>
                {move || match in_use() {
                    0 => "Chưa có bản tự đánh giá nào trên máy này dùng bộ này.".to_string(),
                    n => format!("{n} bản tự đánh giá trên máy này dùng bộ này."),
                }}
                {format!(" {examples} ví dụ kiểm tra.")}
            </p>
            <div class="actions">
                <button type="button" on:click=edit>"Soạn phiên bản mới từ bộ này"</button>
                <button type="button" on:click=download>"Tải tệp"</button>
                {newest.map(|newest| view! {
                    <a class="button" href=Route::CriteriaCompare { old: key.clone(), new: newest }.href()>
                        "So sánh với phiên bản mới nhất"
                    </a>
                })}
                {(!built_in).then(|| view! {
                    <button type="button" class="danger" aria-label=format!("Xóa bộ {title}")
                        node_ref=question.opener()
                        on:click=move |_| {
                            confirming.set(true);
                            question.ask();
                        }>"Xóa khỏi máy"</button>
                })}
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Xác nhận xóa bộ tiêu chí">
                    <p>"Xóa bộ tiêu chí này khỏi máy? Chỉ xóa được khi không bản tự đánh giá nào dùng nó."</p>
                    <button type="button" class="danger" on:click=remove.clone()>"Xóa hẳn"</button>
                    <button type="button" node_ref=question.keep() on:click=move |_| {
                        confirming.set(false);
                        question.back();
                    }>"Không xóa"</button>
                </div>
            </Show>
        </li>
    }
}

/// The draft being edited, if any: continue, compare, discard.
#[component]
fn DraftPanel() -> impl IntoView {
    let editor = use_editor();
    move || {
        if let Some(raw) = editor.unreadable.get() {
            return Some(
                view! {
                    <section class="banner banner-error" role="alert">
                        <h2>"Bản nháp đã lưu không đọc được"</h2>
                        <p>"Bản nháp được giữ nguyên. Hãy tải nội dung gốc xuống trước khi bắt đầu bản mới."</p>
                        <button type="button" on:click=move |_| {
                            let _ = files::download("ban-nhap-bo-tieu-chi.txt", "text/plain;charset=utf-8", &raw);
                        }>"Tải nội dung gốc"</button>
                    </section>
                }
                .into_any(),
            );
        }
        let (title, version) = editor.editor.with(|e| {
            e.as_ref()
                .map(|e| (e.set.title.clone(), e.set.version.clone()))
        })?;
        let title = if title.trim().is_empty() {
            "(chưa có tiêu đề)".to_string()
        } else {
            title
        };
        Some(
            view! {
                <section class="panel" aria-labelledby="ban-nhap">
                    <h2 id="ban-nhap">"Bản nháp đang soạn"</h2>
                    <p>{title} " — phiên bản " {version} ". "
                        {move || match editor.problem_count() {
                            0 => "Hợp lệ, có thể xuất tệp.".to_string(),
                            n => format!("Còn {n} vấn đề phải sửa."),
                        }}
                    </p>
                    <div class="actions">
                        <a class="button primary" href=Route::CriteriaEditor.href()>"Tiếp tục soạn"</a>
                    </div>
                </section>
            }
            .into_any(),
        )
    }
}

/// Where a new draft starts: blank, or a set file (a draft saved earlier, or someone's set).
#[component]
fn StartPanel() -> impl IntoView {
    let app = use_app();
    let editor = use_editor();
    let busy = move || {
        if editor.editor.with_untracked(Option::is_some) {
            app.notify(
                "Đang có một bản nháp: hãy xuất tệp hoặc bỏ bản nháp đó trước khi bắt đầu bản mới."
                    .into(),
                Tone::Warning,
            );
            true
        } else {
            false
        }
    };
    let blank = move |_| {
        if !busy() {
            editor.start(blank_set(), None);
            crate::ui::navigate(&Route::CriteriaEditor);
        }
    };
    let from_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        // Taken before the input is cleared: clearing it empties its list.
        let picked = files::read_all(list).into_iter().next();
        input.set_value("");
        if busy() {
            return;
        }
        leptos::task::spawn_local(async move {
            let Some(file) = picked else {
                return;
            };
            let name = file.name.clone();
            let text = match file.bytes().await {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    app.notify(e.message_vi(), Tone::Error);
                    return;
                }
            };
            // A file with problems is still a draft to work on: only its shape must read.
            match parse_criteria_set(text.trim_start_matches('\u{feff}')) {
                Ok(set) => {
                    editor.start(set, None);
                    crate::ui::navigate(&Route::CriteriaEditor);
                }
                Err(e) => app.notify(
                    format!("Tệp «{name}» không phải tệp bộ tiêu chí đọc được: {e}"),
                    Tone::Error,
                ),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="bat-dau-soan">
            <h2 id="bat-dau-soan">"Soạn bộ tiêu chí mới"</h2>
            <p>
                "Dành cho cán bộ cấp tỉnh có văn bản đã ký: nhập đúng các mục, mức điểm và ngưỡng, "
                "kiểm tra bằng ví dụ, rồi xuất tệp để đăng lên trang web hoặc gửi cho các xã. Để "
                "sửa một bộ đã có, chọn «Soạn phiên bản mới từ bộ này» ở bộ đó."
            </p>
            <div class="actions">
                <button type="button" on:click=blank>"Bắt đầu từ bộ trống"</button>
                <input type="file" id="mo-tep-bo-tieu-chi" accept=".json,application/json"
                    class="visually-hidden file-input" on:change=from_file/>
                <label for="mo-tep-bo-tieu-chi" class="button file-button">
                    "Mở tệp bộ tiêu chí để soạn tiếp"
                </label>
            </div>
        </section>
    }
}
