//! An interactive time-series chart: crosshair with every series' value (binary search, one update per
//! animation frame), wheel/pinch zoom and drag pan on the time axis, range presets, double-click reset, legend
//! toggles, glossary-linked annotations, PNG/CSV export, a text summary and a data table, keyboard crosshair.

mod export;
mod interaction;
mod link;
mod overlay;

use std::rc::Rc;
use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use super::chart_canvas::{CanvasSize, DrawFn, paint, use_canvas_size};
use crate::base::calendar::minute_label;
pub use crate::chart::figure::{ChartMarker, ChartSeries, TimeChartData};
use crate::chart::viewport::{RangePreset, Viewport};
use crate::chart::{
    Annotation, ChartLayout, SeriesSpec, TimeSeriesSpec, Tone, ValueAxis, draw_time_series,
};
use crate::state::route::Route;
use crate::ui::components::theme_toggle::use_dark_theme;
use interaction::Gestures;

/// The chart's state that its parts (gestures, link, overlays, export) share.
#[derive(Clone, Copy)]
struct ChartState {
    data: Signal<Arc<TimeChartData>>,
    viewport: RwSignal<Viewport>,
    /// Per series: hidden by its legend button.
    hidden: RwSignal<Vec<bool>>,
    /// Where the last drawing put the plot and the annotation labels.
    layout: RwSignal<Option<ChartLayout>>,
    /// The time under the crosshair.
    hover: RwSignal<Option<i64>>,
    size: CanvasSize,
    wrap: NodeRef<html::Div>,
}

fn draw_fn(data: Arc<TimeChartData>, hidden: Vec<bool>, window: (i64, i64)) -> DrawFn {
    Rc::new(move |area, theme, px, _canvas| {
        let series = data
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let spec = if s.area {
                    SeriesSpec::area(&s.label, &s.times_ms, &s.values)
                } else {
                    SeriesSpec::line(&s.label, &s.times_ms, &s.values)
                };
                let spec = if s.right_axis {
                    spec.on_right_axis()
                } else {
                    spec
                };
                spec.hidden(hidden.get(i).copied().unwrap_or(false))
            })
            .collect();
        let annotations = data
            .markers
            .iter()
            .map(|m| Annotation {
                time_ms: m.time_ms,
                value: m.value,
                label: &m.label,
                tone: Tone::Warning,
                axis: if m.right_axis {
                    crate::chart::YAxisSide::Right
                } else {
                    crate::chart::YAxisSide::Left
                },
            })
            .collect();
        let spec = TimeSeriesSpec {
            series,
            window_ms: Some(window),
            y_axis: ValueAxis::new(&data.y_label, data.y_unit),
            y2_axis: data
                .y2
                .as_ref()
                .map(|(label, unit)| ValueAxis::new(label, *unit)),
            time_label: "UTC",
            annotations,
        };
        draw_time_series(area, &spec, theme, px)
    })
}

#[component]
pub fn TimeChart(
    /// The chart's data; a change resets zoom only when the time extent changes.
    #[prop(into)]
    data: Signal<Arc<TimeChartData>>,
    /// Used for element ids and file names.
    id: &'static str,
    #[prop(default = 320.0)] height_px: f64,
    /// Query parameter that shares the zoomed range in the address (`?range=from~to`); `None` keeps it private.
    #[prop(optional)]
    url_key: Option<&'static str>,
) -> impl IntoView {
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let chart = ChartState {
        data,
        viewport: RwSignal::new(Viewport::new(0, 1)),
        hidden: RwSignal::new(Vec::new()),
        layout: RwSignal::new(None),
        hover: RwSignal::new(None),
        size: use_canvas_size(wrap),
        wrap,
    };
    let ChartState {
        viewport,
        hidden,
        layout,
        size,
        ..
    } = chart;
    let dark = use_dark_theme();
    let problem = RwSignal::new(None::<String>);
    let show_table = RwSignal::new(false);
    let gestures = Gestures::new(chart);

    // New data with a new extent: show all of it; the same extent (a refresh) keeps the zoom.
    Effect::new(move |previous: Option<Option<(i64, i64)>>| {
        let extent = data.with(|d| d.extent());
        if previous.flatten() != extent {
            let (a, b) = extent.unwrap_or((0, 1));
            let mut fresh = Viewport::new(a, b);
            // A range shared in the link is restored (clamped to the data) the first time data arrives.
            if previous.flatten().is_none()
                && let Some((from, to)) = link::range_from_link(url_key)
            {
                fresh.show(from, to);
            }
            viewport.set(fresh);
            hidden.set(vec![false; data.with_untracked(|d| d.series.len())]);
        }
        extent
    });
    link::write_range_to_link(chart, url_key);

    Effect::new(move |_| {
        let draw = draw_fn(data.get(), hidden.get(), viewport.get().visible());
        let (css, dpr, dark) = (size.css.get(), size.dpr.get(), dark.get());
        let Some(canvas) = canvas.get() else { return };
        match paint(&canvas, css, dpr, dark, &draw) {
            Ok(l) => {
                layout.set(Some(l));
                problem.set(None);
            }
            Err(e) => problem.set(Some(e)),
        }
    });

    view! {
        <figure class="chart time-chart" id=id>
            <div class="chart-toolbar" role="toolbar" aria-label="Chart controls">
                <div class="chart-legend">
                    {move || data.with(|d| d.series.iter().enumerate().map(|(i, s)| {
                        let on = move || !hidden.with(|h| h.get(i).copied().unwrap_or(false));
                        view! {
                            <button type="button" class="legend-item" class:off=move || !on() aria-pressed=move || on().to_string()
                                on:click=move |_| hidden.update(|h| if let Some(x) = h.get_mut(i) { *x = !*x })>
                                <span class="swatch" data-index=i.to_string()></span>{s.label.clone()}
                            </button>
                        }
                    }).collect_view())}
                </div>
                <div class="chart-ranges">
                    {RangePreset::ALL.into_iter().map(|p| view! {
                        <button type="button" class="button small secondary" on:click=move |_| viewport.update(|v| v.preset(p))>{p.label()}</button>
                    }).collect_view()}
                    <button type="button" class="button small secondary" on:click=move |_| export::save_png(canvas, id)>"PNG"</button>
                    <button type="button" class="button small secondary" on:click=move |_| export::save_csv(chart, id)>"CSV"</button>
                    <button type="button" class="button small secondary" aria-pressed=move || show_table.get().to_string()
                        on:click=move |_| show_table.update(|s| *s = !*s)>"Data table"</button>
                </div>
            </div>
            <div class="chart-box" node_ref=wrap style:height=format!("{height_px}px") tabindex="0"
                data-from=move || viewport.get().visible().0.to_string() data-to=move || viewport.get().visible().1.to_string()
                aria-label="Chart: arrow keys move the crosshair, + and − zoom, double-click or 0 resets"
                on:pointermove=move |ev| gestures.pointer_move(ev) on:pointerdown=move |ev| gestures.pointer_down(ev)
                on:pointerup=move |ev| gestures.pointer_up(ev) on:pointercancel=move |ev| gestures.pointer_up(ev)
                on:pointerleave=move |_| gestures.schedule_hover(None) on:wheel=move |ev| gestures.wheel(ev)
                on:dblclick=move |_| viewport.update(|v| v.reset()) on:keydown=move |ev| gestures.key(ev)>
                <canvas node_ref=canvas role="img" aria-label=move || data.with(|d| d.summary.clone())></canvas>
                {overlay::crosshair(chart)}
                {overlay::marker_links(chart)}
            </div>
            {move || problem.get().map(|p| view! { <p class="message bad">"This chart could not be drawn: "{p}</p> })}
            <figcaption class="chart-caption">
                <span class="chart-summary">{move || data.with(|d| d.summary.clone())}</span>
                <span class="muted">{move || data.with(|d| d.caption.clone())}</span>
            </figcaption>
            {move || data.with(|d| (!d.markers.is_empty()).then(|| view! {
                <ul class="chart-events">
                    {d.markers.iter().map(|m| {
                        let href = crate::glossary::term(m.term_slug).map(|t| Route::Term(t).href()).unwrap_or_default();
                        let title = crate::glossary::term(m.term_slug).map(|t| t.title).unwrap_or_default();
                        view! { <li><time>{minute_label(m.time_ms)}</time>" "{m.label.clone()}" → "<a href=href>{title}</a></li> }
                    }).collect_view()}
                </ul>
            }))}
            {move || show_table.get().then(|| {
                let (a, b) = viewport.get().visible();
                data.with(|d| export::data_table(d, &hidden.get(), a, b))
            })}
        </figure>
    }
}
