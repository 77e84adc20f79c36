//! Charts: a status line while they are being drawn, the figures once they come, and in their
//! place the reason if they cannot be drawn. The drawing (charts-rs and the font it embeds) is
//! a part of the module split off by wasm-split and fetched on first use (docs/architecture.md,
//! «Tải theo nhu cầu»), so it is not in the first download.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::domain::charts::{draw, Chart, ChartSpec};
use crate::ui::on_demand::NotLoaded;

#[leptos::wasm_split::wasm_split(charts, fallible, wasm_split_path = ::leptos::wasm_split)]
fn draw_all(specs: Vec<ChartSpec>) -> Result<Vec<Chart>, NotLoaded> {
    Ok(specs.iter().map(draw).collect())
}

/// `draw_all` as the screens reach it. The screens are a part themselves (`parts.rs`): a direct
/// call from there would link the parts' loader into every binary that keeps that part's entry,
/// the browser tests too, which have no loader and then cannot start. So the main module hands
/// the drawing over (`install`, called by `views::render`) and the screens call it through this.
type Draw = fn(Vec<ChartSpec>) -> Pin<Box<dyn Future<Output = Result<Vec<Chart>, NotLoaded>>>>;

thread_local! {
    static DRAW: Cell<Option<Draw>> = const { Cell::new(None) };
}

pub(super) fn install() {
    DRAW.with(|d| d.set(Some(|specs| Box::pin(draw_all(specs)))));
}

#[component]
pub fn Charts(
    /// What to draw; drawn again whenever it changes.
    #[prop(into)]
    request: Signal<Vec<ChartSpec>>,
    /// The dashboard's charts, wider than a results chart.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let drawn = RwSignal::new(None::<Result<Vec<Chart>, String>>);
    // Only the answer to the latest request is shown: an older one may arrive after it.
    let latest = StoredValue::new(0_u32);
    Effect::new(move |_| {
        let request = request.get();
        let asked = latest.get_value().wrapping_add(1);
        latest.set_value(asked);
        let draw = DRAW.with(Cell::get);
        leptos::task::spawn_local(async move {
            let drawn_all = match draw {
                Some(draw) => draw(request).await,
                None => Err(NotLoaded),
            };
            let result = drawn_all.map_err(|NotLoaded| {
                "Chưa vẽ được biểu đồ: không tải được phần vẽ biểu đồ (có thể do mạng). Các số \
                 liệu trên trang vẫn đầy đủ; hãy mở lại trang này khi có mạng."
                    .to_string()
            });
            // The screen may be gone by now: then there is nothing to show it on.
            if latest.try_get_value() == Some(asked) {
                drawn.try_set(Some(result));
            }
        });
    });
    move || match drawn.get() {
        None => view! { <p class="chart-status" role="status">"Đang vẽ biểu đồ…"</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|chart| view! { <ChartFigure chart=chart wide=wide/> })
            .collect_view()
            .into_any(),
        Some(Err(message)) => {
            view! { <p class="banner banner-warning chart-status">{message}</p> }.into_any()
        }
    }
}

/// One chart with its heading and caption.
#[component]
fn ChartFigure(chart: Chart, wide: bool) -> impl IntoView {
    view! {
        <figure class="chart" class:chart-wide=wide>
            <figcaption class="chart-title">{chart.title}</figcaption>
            // Safe as markup: the SVG comes from `domain::charts` (and `dashboard_charts`), which
            // hand charts-rs only numbers, fixed Vietnamese labels and neutralised criterion ids
            // (no commune, province or assessor name, no note ever reaches a chart), and
            // charts-rs escapes text and attributes as well; tests/charts.rs and
            // tests/dashboard.rs prove it with hostile input.
            {chart.svg.map(|svg| view! { <div class="chart-drawing" inner_html=svg></div> })}
            <p class="chart-caption">{chart.caption}</p>
        </figure>
    }
}
