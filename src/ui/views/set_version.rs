//! Which version of its criteria set an assessment is scored by, and moving it to a newer one:
//! only when the user asks, after seeing every criterion's points and the verdict before and
//! after; the move is recorded in the assessment and can be undone.

use leptos::prelude::*;

use crate::adapters::clock;
use crate::domain::criteria_move::{apply_move, preview_move, undo_move, undoable_move, Points};
use crate::domain::criteria_registry::short_hash;
use crate::routes::Route;
use crate::ui::state::{use_app, Tone};
use crate::ui::views::verdict_class;

fn show(points: Option<Points>) -> String {
    match points {
        None => "—".to_string(),
        Some(Points {
            points,
            max: Some(max),
        }) => format!("{points} / {max}"),
        Some(Points { points, max: None }) => format!("{points}"),
    }
}

/// A line on the assessment's screens when a newer version of its set is on this machine.
#[component]
pub fn NewerVersion(id: String) -> impl IntoView {
    let app = use_app();
    let link = Route::SetVersion { id: id.clone() }.href();
    // The set named in the assessment's details, not the whole assessment: an answer typed on
    // the same screen does not wake this line.
    let versions = Memo::new(move |_| {
        let doc = app.doc(&id).filter(|d| d.is_live())?;
        let current = doc.info().with(|a| a.criteria_set.clone());
        let newer = app
            .sets
            .with(|sets| sets.newer_than(&current).map(|n| n.set.version.clone()))?;
        Some((current.version, newer))
    });
    move || {
        let (current, newer) = versions.get()?;
        Some(view! {
            <p class="banner no-print" role="note">
                {format!(
                    "Đã có phiên bản {newer} mới hơn của bộ tiêu chí. Bản này vẫn chấm theo phiên \
                     bản {current} và giữ nguyên điểm. "
                )}
                <a href=link.clone()>"Xem điểm thay đổi thế nào và chuyển phiên bản"</a>
            </p>
        })
    }
}

#[component]
pub fn SetVersionScreen(id: String) -> impl IntoView {
    let app = use_app();
    let done = RwSignal::new(None::<String>);
    move || {
        let Some(stored) = app.get(&id) else {
            return view! { <super::not_found::NotFound/> }.into_any();
        };
        let a = stored.assessment;
        let current = a.criteria_set.clone();
        let Some(from) = app.set_of(&current) else {
            return view! { <super::MissingSet id=id.clone()/> }.into_any();
        };
        let hash = app.sets.with(|sets| {
            sets.find(&current)
                .map(|r| short_hash(&r.hash).to_string())
                .unwrap_or_default()
        });
        let newer = app.sets.with(|sets| sets.newer_than(&current).cloned());
        let title = format!("{} — năm {}", a.commune.name, a.year);
        let proposal = newer.map(|target| {
            let p = preview_move(&a, &from, &target.set);
            let to_version = target.set.version.clone();
            let (old_key, new_key) = (
                format!("{}@{}", current.id, current.version),
                format!("{}@{}", target.set.id, target.set.version),
            );
            let rows = p
                .criteria
                .iter()
                .map(|c| {
                    view! {
                        <tr class:move-changed=c.changed()>
                            <th scope="row">{format!("Tiêu chí {}. {}", c.id, c.name)}</th>
                            <td class="num">{show(c.before)}</td>
                            <td class="num">{show(c.after)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let threshold = |t: Option<u32>| t.map_or_else(String::new, |t| format!(" (ngưỡng {t})"));
            let id_move = id.clone();
            let move_now = move |_| {
                let target = target.clone();
                let version = target.set.version.clone();
                app.update(&id_move, |a| {
                    apply_move(a, &target.set, target.reference(), clock::now_ms())
                });
                done.set(Some(format!("Đã chuyển sang phiên bản {version}.")));
                app.notify(
                    format!(
                        "Đã chuyển bản tự đánh giá sang bộ tiêu chí phiên bản {version}; lần chuyển \
                         được ghi lại và có thể hoàn tác ở màn hình «Phiên bản bộ tiêu chí»."
                    ),
                    Tone::Info,
                );
            };
            view! {
                <section class="panel" aria-labelledby="phien-ban-moi">
                    <h2 id="phien-ban-moi">{format!("Phiên bản {to_version} mới hơn")}</h2>
                    <p>
                        "Bảng dưới đây cho biết điểm của bản này nếu chấm theo phiên bản mới. Chỉ khi "
                        "bấm «Chuyển» bản này mới đổi phiên bản; lần chuyển được ghi lại và có thể hoàn tác. "
                        <a href=Route::CriteriaCompare { old: old_key, new: new_key }.href()>
                            "Xem những gì thay đổi giữa hai phiên bản"
                        </a>
                    </p>
                    <table class="move-table">
                        <caption class="visually-hidden">"Điểm trước và sau khi chuyển phiên bản"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Tiêu chí"</th>
                                <th scope="col">{format!("Phiên bản {} (đang dùng)", current.version)}</th>
                                <th scope="col">{format!("Phiên bản {to_version}")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">"Tổng điểm"</th>
                                <td class="num">{format!("{}{}", p.total.0, threshold(p.threshold.0))}</td>
                                <td class="num">{format!("{}{}", p.total.1, threshold(p.threshold.1))}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Kết quả"</th>
                                <td><span class=verdict_class(p.verdict.0)>{p.verdict.0.label_vi()}</span></td>
                                <td><span class=verdict_class(p.verdict.1)>{p.verdict.1.label_vi()}</span></td>
                            </tr>
                        </tfoot>
                    </table>
                    {(!p.set_aside.is_empty()).then(|| view! {
                        <p class="banner banner-warning">
                            {format!(
                                "Phiên bản mới không có các mục {}: số liệu đã nhập ở đó được cất riêng \
                                 trong bản ghi lần chuyển (không mất) và trở lại nếu hoàn tác.",
                                p.set_aside.join(", ")
                            )}
                        </p>
                    })}
                    {(!p.new_items.is_empty()).then(|| view! {
                        <p class="hint">{format!(
                            "Sau khi chuyển, cần nhập số liệu cho các mục: {}.",
                            p.new_items.join(", ")
                        )}</p>
                    })}
                    <div class="actions">
                        <button type="button" class="primary" on:click=move_now>
                            {format!("Chuyển sang phiên bản {to_version}")}
                        </button>
                    </div>
                </section>
            }
        });
        let undo = undoable_move(&a).cloned().and_then(|last| {
            let back = app.set_of(&last.from)?;
            let id_undo = id.clone();
            let when = clock::local_date_time(last.at);
            Some(view! {
                <section class="panel" aria-labelledby="hoan-tac-chuyen">
                    <h2 id="hoan-tac-chuyen">"Lần chuyển gần nhất"</h2>
                    <p>{format!(
                        "Đã chuyển từ phiên bản {} sang phiên bản {} lúc {when}.",
                        last.from.version, last.to.version
                    )}</p>
                    <button type="button" on:click=move |_| {
                        let version = back.version.clone();
                        app.update(&id_undo, |a| {
                            undo_move(a, &back, clock::now_ms());
                        });
                        done.set(Some(format!("Đã hoàn tác: bản này lại chấm theo phiên bản {version}.")));
                    }>"Hoàn tác lần chuyển"</button>
                </section>
            })
        });
        let history = (!a.set_moves.is_empty()).then(|| {
            view! {
                <section class="panel" aria-labelledby="lich-su-phien-ban">
                    <h2 id="lich-su-phien-ban">"Các lần đổi phiên bản"</h2>
                    <ul>
                        {a.set_moves.iter().map(|m| view! {
                            <li>{format!(
                                "{}: từ phiên bản {} sang {}{}",
                                clock::local_date_time(m.at),
                                m.from.version,
                                m.to.version,
                                if m.undo { " (hoàn tác)" } else { "" }
                            )}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        });
        let latest = proposal.is_none().then(|| {
            view! { <p>"Đây là phiên bản mới nhất của bộ này trên máy."</p> }
        });
        view! {
            <nav class="page-links no-print" aria-label="Bản tự đánh giá này">
                <a href=Route::Criterion { id: id.clone(), number: 1 }.href()>"← Nhập, sửa số liệu"</a>
                <a href=Route::Results { id: id.clone() }.href()>"Kết quả"</a>
            </nav>
            <h1>"Phiên bản bộ tiêu chí"</h1>
            <p class="lead">{title}</p>
            <p>
                {format!(
                    "Bản này chấm theo bộ tiêu chí «{}» ({}) phiên bản {}, mã nội dung ",
                    from.title, current.id, current.version
                )}
                <code>{hash}</code> "."
            </p>
            {move || done.get().map(|m| view! { <p class="banner" role="status">{m}</p> })}
            {latest}
            {proposal}
            {undo}
            {history}
        }
        .into_any()
    }
}
