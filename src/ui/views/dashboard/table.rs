//! The table of loaded communes: filters, sorting by any column, pages of [`PAGE_SIZE`] rows
//! (thousands of rows stay fast because only one page is in the page), CSV export of what the
//! filters keep, and removing one commune's assessment.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::adapters::focus;
use crate::adapters::table_row::{Shown, Slot};
use crate::adapters::tick::{yield_now, Slice};
use crate::domain::aggregate::{
    criterion_ids, province_choices, year_choices, DashboardRow, Filter, RowIndex, SortKey,
    SortOrder, ZeroFilter,
};
use crate::domain::appraisal_report::{AppraisalColumns, AppraisalFilter, AppraisalMark};
use crate::domain::csv::{Delimiter, ResultsCsv};
use crate::domain::exchange::VerdictCode;
use crate::domain::numbers::format_number;
use crate::domain::scoring::Verdict;
use crate::routes::Route;
use crate::ui::dashboard_state::{use_dashboard, Changed, Dashboard};
use crate::ui::state::{use_app, Tone};
use crate::ui::views::{appraisal_dashboard, export, verdict_class};

/// As on Home: a page a phone scrolls through, and drawn within a few frames on one.
pub const PAGE_SIZE: usize = 25;

/// How many rows of the first page one task draws.
const ROWS_PER_TASK: usize = 5;

#[component]
pub fn RowsTable() -> impl IntoView {
    let dashboard = use_dashboard();
    let filter = RwSignal::new(Filter::default());
    let appraisal = RwSignal::new(AppraisalFilter::default());
    let marks = appraisal_dashboard::use_marks();
    let sort = RwSignal::new((SortKey::CommuneCode, SortOrder::Ascending));
    let page = RwSignal::new(0usize);
    // The rows' folded texts, once per change of the rows; their order, once per change of
    // the order; the positions kept, once per change of a filter (a keystroke filters the
    // sorted order, it never sorts). Only one page of rows is drawn: 10,000 rows stay quick.
    // The index follows the removal of one row, or rows added at the end, from the one before,
    // made for the change before it (a new index of 10,000 rows was a third of the removal's
    // task on a phone).
    let index = Memo::new(move |before: Option<&(u64, RowIndex)>| {
        let change = dashboard.last_change();
        dashboard.rows.with(|rows| {
            let follows = |(number, _): &&(u64, RowIndex)| number + 1 == change.number;
            let index = match (before.filter(follows), change.changed) {
                (Some((_, index)), Changed::Removed(at)) if index.row_count() == rows.len() + 1 => {
                    index.without(at)
                }
                (Some((_, index)), Changed::AddedAfter(from))
                    if index.row_count() == from && from <= rows.len() =>
                {
                    index.with_added(rows)
                }
                _ => RowIndex::new(rows),
            };
            (change.number, index)
        })
    });
    let sorted = Memo::new(move |_| {
        dashboard.rows.with(|rows| {
            index.with(|(_, index)| sort.with(|(key, order)| index.sorted(rows, key, *order)))
        })
    });
    let shown = Memo::new(move |_| {
        dashboard.rows.with(|rows| {
            let mut kept = index.with(|(_, index)| {
                sorted.with(|order| filter.with(|f| index.filter(rows, order, f)))
            });
            let a = appraisal.get();
            if a != AppraisalFilter::Any {
                marks.with(|m| kept.retain(|&i| appraisal_dashboard::keeps(a, m, &rows[i])));
            }
            kept
        })
    });
    // The criteria's columns and the filters' choices follow a change a task after the rows:
    // a row shows its points by criterion id, so a column added a task later is only drawn
    // then (reading every criterion of 10,000 rows took 30–40 ms of the change's task).
    let later = dashboard.rows_later(1);
    let criteria = Memo::new(move |_| later.with(|rows| criterion_ids(rows)));
    // Choices only for what is loaded: a province or a year not present filters nothing.
    let provinces = Memo::new(move |_| later.with(|rows| province_choices(rows)));
    let years = Memo::new(move |_| later.with(|rows| year_choices(rows)));
    let pages = move || shown.with(Vec::len).div_ceil(PAGE_SIZE).max(1);
    // How many rows the page holds: its rows are slots that keep their elements when a sort, a
    // filter or another page changes which row they show (see [`Row`]).
    let on_page = Memo::new(move |_| {
        shown
            .with(Vec::len)
            .saturating_sub(page.get() * PAGE_SIZE)
            .min(PAGE_SIZE)
    });
    // With thousands of rows, the filters' choices, the index and the order are each worked
    // out in a task of their own before the table is drawn (with the drawing, one task of about
    // 200 ms for 15,000 rows at 4× CPU). Then the first page's rows are drawn a few per task:
    // all at once, with the rest of the table, they held a phone's page for a quarter of a
    // second after a big import.
    let worked_out = RwSignal::new(false);
    let drawn = RwSignal::new(ROWS_PER_TASK);
    leptos::task::spawn_local(async move {
        let steps: [&dyn Fn() -> Option<()>; 3] = [
            &|| {
                criteria.try_with_untracked(|_| ())?;
                provinces.try_with_untracked(|_| ())?;
                years.try_with_untracked(|_| ())
            },
            &|| index.try_with_untracked(|_| ()),
            &|| shown.try_with_untracked(|_| ()),
        ];
        for step in steps {
            yield_now().await;
            // Gone when the user left the screen meanwhile.
            if step().is_none() {
                return;
            }
        }
        if worked_out.try_set(true).is_some() {
            return;
        }
        while drawn.try_get_untracked().is_some_and(|n| n < PAGE_SIZE) {
            yield_now().await;
            let _ = drawn.try_update(|n| *n += ROWS_PER_TASK);
        }
    });
    // A filter that keeps fewer rows must not leave the page past the end.
    Effect::new(move |_| {
        let last = pages() - 1;
        if page.get_untracked() > last {
            page.set(last);
        }
    });
    let set_filter = move |change: &dyn Fn(&mut Filter)| {
        filter.update(|f| change(f));
        page.set(0);
    };
    let confirm_remove = RwSignal::new(None::<String>);
    // A pager's button is disabled on the first or last page: the focus goes to the other.
    let (previous, next) = (NodeRef::new(), NodeRef::new());

    view! {
        <section class="panel" aria-labelledby="bang-tong-hop">
            <h2 id="bang-tong-hop">"Bảng kết quả các đơn vị"</h2>
            <Show when=move || worked_out.get()>
            <Filters criteria=criteria provinces=provinces years=years on_change=set_filter/>
            <appraisal_dashboard::AppraisalFilterSelect filter=appraisal page=page/>
            <p class="table-count" role="status">{move || {
                let n = shown.with(Vec::len);
                let total = dashboard.rows.with(Vec::len);
                let from = (page.get() * PAGE_SIZE).min(n);
                let to = (from + PAGE_SIZE).min(n);
                if n == 0 {
                    format!("Không có đơn vị nào khớp bộ lọc (đã nạp {}).", count(total))
                } else {
                    format!(
                        "Hiển thị {}–{} trong {} đơn vị khớp bộ lọc (đã nạp {}).",
                        count(from + 1), count(to), count(n), count(total)
                    )
                }
            }}</p>
            <div class="table-wrap">
                <table class="data-table dashboard-table">
                    <caption class="visually-hidden">
                        "Kết quả tự đánh giá của các đơn vị đã nạp; bấm tiêu đề cột để sắp xếp."
                    </caption>
                    <thead>
                        <tr>
                            <SortHeader label="Xã, phường" key=SortKey::Commune sort=sort page=page/>
                            <SortHeader label="Tỉnh" key=SortKey::Province sort=sort page=page/>
                            <SortHeader label="Loại đơn vị" key=SortKey::UnitCategory sort=sort page=page/>
                            <SortHeader label="Năm" key=SortKey::Year sort=sort page=page/>
                            <SortHeader label="Tổng điểm" key=SortKey::Total sort=sort page=page/>
                            <SortHeader label="Ngưỡng" key=SortKey::Threshold sort=sort page=page/>
                            <SortHeader label="Kết quả" key=SortKey::Verdict sort=sort page=page/>
                            <th scope="col">"Thẩm định"</th>
                            {move || criteria.get().into_iter().map(|id| view! {
                                <SortHeader
                                    label=format!("TC {id}")
                                    spoken=format!("TC {id}: điểm tiêu chí {id}")
                                    key=SortKey::Criterion(id)
                                    sort=sort
                                    page=page
                                />
                            }).collect_view()}
                            <th scope="col">"Xem"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || 0..on_page.get().min(drawn.get()) key=|place| *place let:place>
                            <Row place=place page=page shown=shown criteria=criteria
                                confirm_remove=confirm_remove marks=marks/>
                        </For>
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Phân trang bảng kết quả">
                <button type="button" disabled=move || page.get() == 0 node_ref=previous
                    on:click=move |_| {
                        page.update(|p| *p = p.saturating_sub(1));
                        if page.get_untracked() == 0 {
                            focus_later(next);
                        }
                    }>
                    "← Trang trước"
                </button>
                <span>{move || format!("Trang {}/{}", page.get() + 1, pages())}</span>
                <button type="button" disabled=move || { page.get() + 1 >= pages() } node_ref=next
                    on:click=move |_| {
                        page.update(|p| *p += 1);
                        if page.get_untracked() + 1 >= pages() {
                            focus_later(previous);
                        }
                    }>
                    "Trang sau →"
                </button>
            </nav>
            <ShownRowsCsv shown=shown marks=marks/>
            </Show>
        </section>
    }
}

/// The focus to `to` once drawn: the button pressed was hidden or disabled by its own click.
fn focus_later(to: NodeRef<leptos::html::Button>) {
    if let Some(to) = to.get_untracked() {
        focus::later(to.into(), focus::current());
    }
}

fn count(n: usize) -> String {
    format_number(n as f64, 0)
}

#[component]
fn Filters(
    criteria: Memo<Vec<String>>,
    provinces: Memo<Vec<(String, String)>>,
    years: Memo<Vec<u16>>,
    on_change: impl Fn(&dyn Fn(&mut Filter)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="filters">
            <div>
                <label for="loc-ket-qua">"Kết quả"</label>
                <select id="loc-ket-qua" on:change=move |ev| {
                    let verdict = match event_target_value(&ev).as_str() {
                        "dat" => Some(VerdictCode::Pass),
                        "chua-dat" => Some(VerdictCode::Fail),
                        "chua-du" => Some(VerdictCode::Incomplete),
                        _ => None,
                    };
                    on_change(&move |f| f.verdict = verdict);
                }>
                    <option value="">"Tất cả"</option>
                    <option value="dat">"Đạt"</option>
                    <option value="chua-dat">"Chưa đạt"</option>
                    <option value="chua-du">"Chưa đủ dữ liệu"</option>
                </select>
            </div>
            <div>
                <label for="loc-tieu-chi">"Tiêu chí 0 điểm"</label>
                <select id="loc-tieu-chi" on:change=move |ev| {
                    let zero = match event_target_value(&ev).as_str() {
                        "" => ZeroFilter::Any,
                        "*" => ZeroFilter::SomeCriterion,
                        id => ZeroFilter::Criterion(id.to_string()),
                    };
                    on_change(&move |f| f.zero = zero.clone());
                }>
                    <option value="">"Không lọc"</option>
                    <option value="*">"Có ít nhất một tiêu chí 0 điểm"</option>
                    {move || criteria.get().into_iter().map(|id| view! {
                        <option value=id.clone()>{format!("Tiêu chí {id} được 0 điểm")}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || { provinces.with(|p| p.len() > 1) }>
                <div>
                    <label for="loc-tinh">"Tỉnh"</label>
                    <select id="loc-tinh" on:change=move |ev| {
                        let code = event_target_value(&ev);
                        on_change(&move |f| f.province_code = (!code.is_empty()).then(|| code.clone()));
                    }>
                        <option value="">"Tất cả các tỉnh"</option>
                        {move || provinces.get().into_iter().map(|(code, name)| view! {
                            <option value=code>{name}</option>
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=move || { years.with(|y| y.len() > 1) }>
                <div>
                    <label for="loc-nam">"Năm"</label>
                    <select id="loc-nam" on:change=move |ev| {
                        let year = event_target_value(&ev).parse::<u16>().ok();
                        on_change(&move |f| f.year = year);
                    }>
                        <option value="">"Tất cả các năm"</option>
                        {move || years.get().into_iter().map(|y| view! {
                            <option value=y.to_string()>{y}</option>
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <div class="filter-text">
                <label for="tim-don-vi">"Tìm theo tên, mã đơn vị, tỉnh hoặc tên tệp"</label>
                <input type="search" id="tim-don-vi" autocomplete="off"
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        on_change(&move |f| f.text = text.clone());
                    }
                />
                <p class="hint">"Gõ có dấu hoặc không dấu đều được, ví dụ «da nang»."</p>
            </div>
        </div>
    }
}

/// A column heading that sorts by its column; pressed again, it reverses the order.
#[component]
fn SortHeader(
    #[prop(into)] label: String,
    /// The button's accessible name when the visible label is an abbreviation.
    #[prop(optional, into)]
    spoken: Option<String>,
    key: SortKey,
    sort: RwSignal<(SortKey, SortOrder)>,
    page: RwSignal<usize>,
) -> impl IntoView {
    let this = StoredValue::new(key.clone());
    let state = move || sort.with(|(k, o)| this.with_value(|t| k == t).then_some(*o));
    let aria_sort = move || match state() {
        Some(SortOrder::Ascending) => "ascending",
        Some(SortOrder::Descending) => "descending",
        None => "none",
    };
    let arrow = move || match state() {
        Some(SortOrder::Ascending) => " ▲",
        Some(SortOrder::Descending) => " ▼",
        None => "",
    };
    let class = if matches!(
        key,
        SortKey::Commune | SortKey::Province | SortKey::UnitCategory | SortKey::Verdict
    ) {
        ""
    } else {
        "num"
    };
    view! {
        <th scope="col" class=class aria-sort=aria_sort>
            <button type="button" class="sort-button" aria-label=spoken
                on:click=move |_| {
                    sort.update(|(k, o)| {
                        if *k == key {
                            *o = match o {
                                SortOrder::Ascending => SortOrder::Descending,
                                SortOrder::Descending => SortOrder::Ascending,
                            };
                        } else {
                            *k = key.clone();
                            // Highest scores first is what a reviewer looks for.
                            *o = match key {
                                SortKey::Total | SortKey::Criterion(_) => SortOrder::Descending,
                                _ => SortOrder::Ascending,
                            };
                        }
                    });
                    page.set(0);
                }>
                {label}<span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

/// The row at `place` (0-based) of the page. A sort, a filter or another page only changes the texts and
/// links of the slots, in place: over 10,000 rows, building the page's rows again (and the
/// browser styling the new elements) took most of a click's time.
#[component]
fn Row(
    place: usize,
    page: RwSignal<usize>,
    shown: Memo<Vec<usize>>,
    criteria: Memo<Vec<String>>,
    confirm_remove: RwSignal<Option<String>>,
    marks: Memo<HashMap<String, AppraisalMark>>,
) -> impl IntoView {
    let dashboard = use_dashboard();
    let row = Memo::new(move |_| {
        let at = page.get() * PAGE_SIZE + place;
        let i = shown.with(|kept| kept.get(at).copied())?;
        dashboard.rows.with(|rows| rows.get(i).cloned())
    });
    let key = Memo::new(move |_| {
        row.with(|r| r.as_ref().map(DashboardRow::key))
            .unwrap_or_default()
    });
    // A sort, a filter or another page changes every text of the page's slots at once: one
    // effect writes them into cells drawn once (see `adapters::table_row`).
    let tr = NodeRef::<leptos::html::Tr>::new();
    Effect::new(move |slot: Option<Option<Slot>>| {
        let mut slot = slot
            .flatten()
            .or_else(|| tr.get().map(|tr| Slot::new(tr.into())));
        if let Some(slot) = slot.as_mut() {
            criteria.with(|ids| row.with(|r| fill(slot, r.as_ref(), ids)));
        }
        slot
    });
    let confirming = Memo::new(move |_| {
        confirm_remove.with(|k| k.is_some() && key.with(|key| k.as_deref() == Some(key)))
    });
    // The button pressed is hidden with its state: the focus moves to the other state's.
    let remove_button = NodeRef::<leptos::html::Button>::new();
    let keep_button = NodeRef::<leptos::html::Button>::new();
    view! {
        <tr node_ref=tr>
            <th scope="row"><span></span><span class="muted cell-sub"></span></th>
            <td></td>
            <td class="unit-category"></td>
            <td class="num"></td>
            <td class="num"><strong></strong></td>
            <td class="num"></td>
            <td><span></span></td>
            <appraisal_dashboard::AppraisalCell row=row marks=marks/>
            // Both states are drawn once and one is hidden: a sort changes only their
            // attributes, written with the texts.
            <td class="row-actions">
                <span hidden=move || confirming.get()>
                    <a>"Kết quả"</a>
                    " · "
                    <a>"Báo cáo"</a>
                    " · "
                    <a>"Thẩm định"</a>
                    " · "
                    <button type="button" class="link-button" node_ref=remove_button
                        on:click=move |_| {
                            confirm_remove.set(Some(key.get_untracked()));
                            focus_later(keep_button);
                        }>"Gỡ"</button>
                </span>
                <span role="group" hidden=move || !confirming.get()>
                    "Gỡ khỏi bảng? "
                    <button type="button" class="danger" on:click=move |_| {
                        confirm_remove.set(None);
                        dashboard.remove(&key.get_untracked());
                        // The slot shows the next row: the focus stays in the same place.
                        focus_later(remove_button);
                    }>"Gỡ"</button>
                    " "
                    <button type="button" node_ref=keep_button on:click=move |_| {
                        confirm_remove.set(None);
                        focus_later(remove_button);
                    }>"Không"</button>
                </span>
            </td>
        </tr>
    }
}

/// Writes `row`'s texts into the cells of the slot drawn by [`Row`]: the commune's name and
/// code, the six fixed columns, then (after the appraisal cell) one cell for each of `ids`.
fn fill(slot: &mut Slot, row: Option<&DashboardRow>, ids: &[String]) {
    let field = |field: fn(&DashboardRow) -> String| (row.map(field).unwrap_or_default(), None);
    let verdict = row.map_or(Verdict::Incomplete, |r| Verdict::from(r.verdict));
    let lead = [
        field(|r| r.commune_name.clone()),
        field(|r| format!("Mã {}", r.commune_code)),
        field(|r| r.province_name.clone()),
        field(|r| r.unit_category_label.clone()),
        field(|r| r.year.to_string()),
        field(|r| r.total.to_string()),
        field(|r| r.threshold.map_or("—".into(), |t| t.to_string())),
        (verdict.label_vi().into(), Some(verdict_class(verdict))),
    ];
    let cells: Vec<Shown> = ids
        .iter()
        .map(|id| match row.and_then(|r| r.points(id)) {
            Some(0) => ("0".into(), Some("num criterion-zero")),
            Some(p) => (p.to_string(), Some("num")),
            None => ("—".into(), Some("num")),
        })
        .collect();
    let key = row.map(DashboardRow::key).unwrap_or_default();
    let who = row.map_or_else(String::new, |r| {
        format!("{} năm {}", r.commune_name, r.year)
    });
    let link = |route: Route, label: &str| {
        vec![
            ("href", route.href()),
            ("aria-label", format!("{label} {who}")),
        ]
    };
    let actions = [
        vec![],
        link(Route::DashboardResults { key: key.clone() }, "Kết quả của"),
        link(Route::DashboardReport { key: key.clone() }, "Báo cáo của"),
        link(Route::Appraisal { key }, "Thẩm định"),
        vec![("aria-label", format!("Gỡ bản của {who}"))],
        vec![("aria-label", format!("Xác nhận gỡ bản của {who}"))],
    ];
    // Seven cells (the commune, six columns), then the appraisal cell `AppraisalCell` draws.
    slot.fill(7, &lead, 1, &cells, &actions);
}

/// The rows the filters keep, in the shown order, all pages, for Excel.
#[component]
fn ShownRowsCsv(
    shown: Memo<Vec<usize>>,
    marks: Memo<HashMap<String, AppraisalMark>>,
) -> impl IntoView {
    let state = use_app();
    let dashboard = use_dashboard();
    let writing = StoredValue::new(false);
    let run = move |delimiter| {
        if writing.get_value() {
            return;
        }
        writing.set_value(true);
        leptos::task::spawn_local(async move {
            let kept = shown.get_untracked();
            let (day, month, year) = crate::adapters::clock::today();
            let name = format!(
                "tong-hop_{}-don-vi_{year:04}-{month:02}-{day:02}.csv",
                kept.len()
            );
            match shown_csv(dashboard, &kept, marks, delimiter).await {
                Some(text) => export::offer_csv(state, &text, kept.len(), &name),
                None => state.notify(
                    "Chưa xuất bảng: bảng vừa thay đổi trong lúc xuất (có tệp mới nạp, bản bị gỡ \
                     hoặc thẻ khác đổi bảng). Hãy bấm xuất lại."
                        .into(),
                    Tone::Warning,
                ),
            }
            writing.set_value(false);
        });
    };
    view! { <export::CsvExport label="Xuất bảng đang lọc (CSV cho Excel)" on_export=run/> }
}

/// The rows at the positions `kept`, in slices; `None` if the table changed meanwhile (rows
/// added, removed or replaced, or read again from another tab's), since the positions could
/// then name other rows.
async fn shown_csv(
    dashboard: Dashboard,
    kept: &[usize],
    marks: Memo<HashMap<String, AppraisalMark>>,
    delimiter: Delimiter,
) -> Option<String> {
    let rows = dashboard.rows;
    let table = || dashboard.last_change().number;
    let started_with = table();
    // The header (which reads every row for its criteria) counts in the first slice.
    let mut slice = Slice::start();
    let mut csv = rows.with_untracked(|r| {
        marks.with_untracked(|m| {
            ResultsCsv::new(kept.iter().map(|&i| &r[i]), delimiter, &AppraisalColumns(m))
        })
    });
    let mut next = 0;
    while next < kept.len() {
        rows.with_untracked(|r| {
            marks.with_untracked(|m| {
                while next < kept.len() && !slice.due() {
                    csv.push(&r[kept[next]], &AppraisalColumns(m));
                    next += 1;
                }
            })
        });
        if next < kept.len() {
            slice.turn().await;
            if table() != started_with {
                return None;
            }
        }
    }
    Some(csv.finish())
}
