//! An interactive time-series chart: crosshair with every series' value (binary search, one update per
//! animation frame), wheel/pinch zoom and drag pan on the time axis, range presets, double-click reset, legend
//! toggles, glossary-linked annotations, PNG/CSV export, a text summary and a data table, keyboard crosshair.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::chart_canvas::{DrawFn, paint, use_canvas_size};
use crate::base::calendar::{minute_label as short_time, to_iso8601};
use crate::chart::csv::to_csv;
pub use crate::chart::figure::{ChartMarker, ChartSeries, TimeChartData};
use crate::chart::format::format_value;
use crate::chart::viewport::{RangePreset, Viewport, nearest_index};
use crate::chart::{
    Annotation, ChartLayout, HitKind, SeriesSpec, TimeSeriesSpec, Tone, Unit, ValueAxis,
    draw_time_series,
};
use crate::state::route::Route;
use crate::ui::components::theme_toggle::use_dark_theme;
use crate::ui::download::{save_text, save_url};

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

/// The crosshair's readout at one time: each visible series' nearest value (binary search per series).
pub fn crosshair_readout(
    data: &TimeChartData,
    hidden: &[bool],
    time_ms: i64,
) -> (i64, Vec<(String, String)>) {
    let mut at = time_ms;
    let rows = data
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.get(*i).copied().unwrap_or(false))
        .filter_map(|(_, s)| {
            let i = nearest_index(&s.times_ms, time_ms)?;
            at = s.times_ms[i];
            Some((s.label.clone(), format_value(s.values[i], data.unit_of(s))))
        })
        .collect();
    (at, rows)
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
    let size = use_canvas_size(wrap);
    let dark = use_dark_theme();
    let viewport = RwSignal::new(Viewport::new(0, 1));
    let hidden = RwSignal::new(Vec::<bool>::new());
    let layout = RwSignal::new(None::<ChartLayout>);
    let problem = RwSignal::new(None::<String>);
    let hover = RwSignal::new(None::<i64>);
    let show_table = RwSignal::new(false);
    let pending_hover = StoredValue::new(None::<f64>);
    let frame_requested = StoredValue::new(false);
    let drag = StoredValue::new(None::<f64>);
    let pointers = StoredValue::new(BTreeMap::<i32, f64>::new());

    // New data with a new extent: show all of it; the same extent (a refresh) keeps the zoom.
    Effect::new(move |previous: Option<Option<(i64, i64)>>| {
        let extent = data.with(|d| d.extent());
        if previous.flatten() != extent {
            let (a, b) = extent.unwrap_or((0, 1));
            let mut fresh = Viewport::new(a, b);
            // A range shared in the link is restored (clamped to the data) the first time data arrives.
            if previous.flatten().is_none() {
                let search = window().location().search().unwrap_or_default();
                let shared = url_key.and_then(|key| crate::state::query::param(&search, key));
                if let Some((from, to)) =
                    shared.as_deref().and_then(crate::state::query::parse_range)
                {
                    fresh.show(from, to);
                }
            }
            viewport.set(fresh);
            hidden.set(vec![false; data.with_untracked(|d| d.series.len())]);
        }
        extent
    });

    // The zoomed range goes into the address (replaceState: no history entry per wheel tick).
    Effect::new(move |_| {
        let v = viewport.get();
        let Some(key) = url_key else { return };
        if data.with_untracked(|d| d.extent()).is_none() {
            return;
        }
        let (from, to) = v.visible();
        let value = v.is_zoomed().then(|| format!("{from}~{to}"));
        crate::ui::router::replace_params([(key, value.as_deref())]);
    });

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

    // Pointer position (CSS px from the box's left) → time under it, or None outside the plot.
    let time_at_css_x = move |css_x: f64| -> Option<i64> {
        let dpr = size.dpr.try_get_untracked()?;
        layout
            .try_with_untracked(|l| {
                let l = l.as_ref()?;
                let x = css_x * dpr;
                (x >= f64::from(l.plot.left) && x <= f64::from(l.plot.right))
                    .then(|| l.px_to_x(x).round() as i64)
            })
            .flatten()
    };
    let plot_fraction = move |css_x: f64| -> f64 {
        let dpr = size.dpr.try_get_untracked().unwrap_or(1.0);
        layout
            .try_with_untracked(|l| {
                l.as_ref().map_or(0.5, |l| {
                    (css_x * dpr - f64::from(l.plot.left)) / f64::from(l.plot.width().max(1))
                })
            })
            .unwrap_or(0.5)
    };
    let plot_width_css = move || {
        let dpr = size.dpr.try_get_untracked().unwrap_or(1.0);
        layout
            .try_with_untracked(|l| {
                l.as_ref()
                    .map_or(1.0, |l| f64::from(l.plot.width().max(1)) / dpr)
            })
            .unwrap_or(1.0)
    };
    // Hover updates are coalesced to one per animation frame.
    // The frame callback can run after the chart is gone (a marker click navigates away between the
    // pointer move and the frame), so it only touches reactive values through `try_` accessors.
    let schedule_hover = move |css_x: Option<f64>| {
        pending_hover.set_value(css_x);
        if frame_requested.try_get_value() == Some(false) {
            frame_requested.set_value(true);
            request_animation_frame(move || {
                frame_requested.set_value(false);
                let t = pending_hover
                    .try_get_value()
                    .flatten()
                    .and_then(time_at_css_x);
                hover.set(t);
            });
        }
    };

    // Pointer x in CSS px from the chart box's left edge (offsetX would be relative to whatever overlay is hit).
    let box_x = move |client_x: i32| -> f64 {
        wrap.try_get_untracked().flatten().map_or(0.0, |w| {
            f64::from(client_x) - w.get_bounding_client_rect().left()
        })
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let x = box_x(ev.client_x());
        pointers.update_value(|p| {
            if p.contains_key(&ev.pointer_id()) {
                p.insert(ev.pointer_id(), f64::from(ev.client_x()));
            }
        });
        let active: Vec<f64> = pointers
            .try_with_value(|p| p.values().copied().collect())
            .unwrap_or_default();
        if active.len() == 2 {
            // Pinch: the change in distance between two fingers zooms.
            let distance = (active[0] - active[1]).abs().max(1.0);
            if let Some(previous) = drag.try_get_value().flatten() {
                viewport.update(|v| v.zoom(previous / distance, plot_fraction(x)));
            }
            drag.set_value(Some(distance));
            return;
        }
        if ev.buttons() == 1
            && let Some(start) = drag.try_get_value().flatten()
        {
            let dx = x - start;
            viewport.update(|v| v.pan(-dx / plot_width_css()));
            drag.set_value(Some(x));
        }
        schedule_hover(Some(x));
    };
    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), f64::from(ev.client_x()));
        });
        drag.set_value(Some(box_x(ev.client_x())));
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_pointer_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        drag.set_value(None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() > 0.0 { 1.25 } else { 0.8 };
        viewport.update(|v| v.zoom(factor, plot_fraction(box_x(ev.client_x()))));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = |forward: bool| {
            let (Some((a, b)), Some(hovered)) = (
                viewport.try_get_untracked().map(|v| v.visible()),
                hover.try_get_untracked(),
            ) else {
                return;
            };
            let t = data.try_with_untracked(|d| {
                let times = &d.series.first()?.times_ms;
                let current = hovered.unwrap_or(if forward { a } else { b });
                let i = nearest_index(times, current)?;
                let next = if forward {
                    (i + 1).min(times.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                times.get(next).copied().filter(|t| (a..=b).contains(t))
            });
            hover.set(t.flatten());
        };
        match ev.key().as_str() {
            "ArrowRight" => step(true),
            "ArrowLeft" => step(false),
            "+" | "=" => viewport.update(|v| v.zoom(0.8, 0.5)),
            "-" => viewport.update(|v| v.zoom(1.25, 0.5)),
            "Escape" => hover.set(None),
            _ => return,
        }
        ev.prevent_default();
    };

    let export_png = move |_| {
        if let Some(canvas) = canvas.get_untracked()
            && let Ok(url) = canvas.to_data_url_with_type("image/png")
        {
            save_url(&url, &format!("{id}.png"));
        }
    };
    let export_csv = move |_| {
        let (a, b) = viewport.get_untracked().visible();
        let text = data.with_untracked(|d| csv_of(d, &hidden.get_untracked(), a, b));
        save_text(&format!("{id}.csv"), "text/csv", &text);
    };

    let crosshair = move || {
        let t = hover.get()?;
        let dpr = size.dpr.get();
        let (x, top, bottom) = layout.with(|l| {
            l.as_ref().map(|l| {
                (
                    l.x_to_px(t as f64) / dpr,
                    f64::from(l.plot.top) / dpr,
                    f64::from(l.plot.bottom) / dpr,
                )
            })
        })?;
        let (at, rows) = data.with(|d| hover.with(|_| crosshair_readout(d, &hidden.get(), t)));
        let flip = x > size.css.get().0 * 0.6;
        Some(view! {
            <div class="crosshair" style:left=format!("{x:.1}px") style:top=format!("{top:.1}px") style:height=format!("{:.1}px", bottom - top)></div>
            <div class="chart-tooltip" class:flip=flip style:left=format!("{x:.1}px") style:top=format!("{top:.1}px") role="status">
                <strong>{short_time(at)}</strong>
                {rows.into_iter().map(|(label, value)| view! { <div><span>{label}</span>" "<b>{value}</b></div> }).collect_view()}
            </div>
        })
    };
    // Links over the annotation labels drawn on the canvas, to the glossary term that explains each.
    let marker_links = move || {
        let dpr = size.dpr.get();
        let markers = data.with(|d| d.markers.clone());
        layout.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.hit_targets
                        .iter()
                        .filter_map(|h| match h.kind {
                            HitKind::Annotation(i) => markers.get(i).map(|m| (m.clone(), h.rect)),
                            _ => None,
                        })
                        .map(|(m, r)| {
                            let href = crate::glossary::term(m.term_slug).map(|t| Route::Term(t).href()).unwrap_or_default();
                            // Set through the CSSOM (style:…), which a strict Content-Security-Policy allows.
                            let px = |v: f64| format!("{:.1}px", v / dpr);
                            view! {
                                <a class="marker-link" href=href title=m.label.clone() aria-label=m.label.clone()
                                    style:left=px(f64::from(r.left)) style:top=px(f64::from(r.top))
                                    style:width=px(f64::from(r.width())) style:height=px(f64::from(r.height()))></a>
                            }
                        })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };

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
                    <button type="button" class="button small secondary" on:click=export_png>"PNG"</button>
                    <button type="button" class="button small secondary" on:click=export_csv>"CSV"</button>
                    <button type="button" class="button small secondary" aria-pressed=move || show_table.get().to_string()
                        on:click=move |_| show_table.update(|s| *s = !*s)>"Data table"</button>
                </div>
            </div>
            <div class="chart-box" node_ref=wrap style:height=format!("{height_px}px") tabindex="0"
                data-from=move || viewport.get().visible().0.to_string() data-to=move || viewport.get().visible().1.to_string()
                aria-label="Chart: arrow keys move the crosshair, + and − zoom, double-click or 0 resets"
                on:pointermove=on_pointer_move on:pointerdown=on_pointer_down on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_up on:pointerleave=move |_| schedule_hover(None) on:wheel=on_wheel
                on:dblclick=move |_| viewport.update(|v| v.reset()) on:keydown=on_key>
                <canvas node_ref=canvas role="img" aria-label=move || data.with(|d| d.summary.clone())></canvas>
                {crosshair}
                {marker_links}
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
                        view! { <li><time>{short_time(m.time_ms)}</time>" "{m.label.clone()}" → "<a href=href>{title}</a></li> }
                    }).collect_view()}
                </ul>
            }))}
            {move || show_table.get().then(|| {
                let (a, b) = viewport.get().visible();
                data.with(|d| data_table(d, &hidden.get(), a, b))
            })}
        </figure>
    }
}

fn in_view_rows(
    d: &TimeChartData,
    hidden: &[bool],
    a: i64,
    b: i64,
) -> (Vec<String>, Vec<i64>, Vec<Vec<f64>>) {
    let visible: Vec<&ChartSeries> = d
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.get(*i).copied().unwrap_or(false))
        .map(|(_, s)| s)
        .collect();
    let mut times: Vec<i64> = visible
        .iter()
        .flat_map(|s| s.times_ms.iter().copied().filter(|t| (a..=b).contains(t)))
        .collect();
    lens_math::sort::sort(&mut times);
    times.dedup();
    let columns = visible
        .iter()
        .map(|s| {
            times
                .iter()
                .map(|t| {
                    s.times_ms
                        .binary_search(t)
                        .map_or(f64::NAN, |i| s.values[i])
                })
                .collect()
        })
        .collect();
    (
        visible.iter().map(|s| s.label.clone()).collect(),
        times,
        columns,
    )
}

fn csv_of(d: &TimeChartData, hidden: &[bool], a: i64, b: i64) -> String {
    let (headers, times, columns) = in_view_rows(d, hidden, a, b);
    to_csv("time (UTC)", &headers, &times, &columns, to_iso8601)
}

/// The data in view as a table (at most 500 rows, evenly thinned, so the DOM stays light).
fn data_table(d: &TimeChartData, hidden: &[bool], a: i64, b: i64) -> AnyView {
    const MAX_ROWS: usize = 500;
    let (headers, times, columns) = in_view_rows(d, hidden, a, b);
    let step = times.len().div_ceil(MAX_ROWS).max(1);
    let units: Vec<Unit> = d
        .series
        .iter()
        .filter(|s| headers.contains(&s.label))
        .map(|s| d.unit_of(s))
        .collect();
    view! {
        <div class="chart-table">
            {(step > 1).then(|| view! { <p class="muted">{format!("Every {step}th of {} rows.", times.len())}</p> })}
            <table class="data-table">
                <thead><tr><th scope="col">"Time (UTC)"</th>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {times.iter().enumerate().step_by(step).map(|(j, t)| view! {
                        <tr><td>{short_time(*t)}</td>
                        {columns.iter().zip(&units).map(|(c, u)| view! { <td>{format_value(c[j], *u)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
