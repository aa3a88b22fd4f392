//! The canvas under every chart: sized to its box × devicePixelRatio (plotters-canvas 0.3.1 knows nothing of
//! dpr, so the backing store is scaled and the draw functions scale fonts and strokes), redrawn in an Effect
//! whenever its size, dpr, theme or the chart's inputs change.

use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use leptos_use_device_pixel_ratio::use_device_pixel_ratio;
use leptos_use_resize_observer::use_resize_observer;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use crate::chart::heatmap::CellImage;
use crate::chart::{ChartError, ChartLayout, ChartTheme, DrawingArea, PixelScale, Shift};
use crate::ui::components::theme_toggle::use_dark_theme;

/// A draw call: the chart's drawing function with its spec already built. The [`CanvasPainter`] offers the
/// canvas's fast paths (a heatmap's cells as one image) to specs that can use them.
pub type DrawFn = Rc<
    dyn Fn(
        &DrawingArea<CanvasBackend, Shift>,
        &ChartTheme,
        PixelScale,
        &CanvasPainter,
    ) -> Result<ChartLayout, ChartError>,
>;

/// Direct access to the canvas for what plotters-canvas does slowly (its `blit_bitmap` sets pixels one by one).
pub struct CanvasPainter {
    canvas: web_sys::HtmlCanvasElement,
}

impl CanvasPainter {
    /// Draws a heatmap raster scaled into its destination, without smoothing (cells stay crisp).
    pub fn paint_cells(&self, image: &CellImage) -> bool {
        let context = |c: &web_sys::HtmlCanvasElement| {
            c.get_context("2d")
                .ok()
                .flatten()
                .and_then(|x| x.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        };
        let painted = || -> Option<()> {
            let scratch: web_sys::HtmlCanvasElement =
                document().create_element("canvas").ok()?.dyn_into().ok()?;
            scratch.set_width(image.columns);
            scratch.set_height(image.rows);
            let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
                wasm_bindgen::Clamped(&image.rgba),
                image.columns,
                image.rows,
            )
            .ok()?;
            context(&scratch)?.put_image_data(&data, 0.0, 0.0).ok()?;
            let ctx = context(&self.canvas)?;
            ctx.set_image_smoothing_enabled(false);
            let d = image.dest;
            ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                &scratch,
                f64::from(d.left),
                f64::from(d.top),
                f64::from(d.width()),
                f64::from(d.height()),
            )
            .ok()
        };
        painted().is_some()
    }
}

/// The size of the chart box in CSS pixels and the device-pixel ratio, kept current.
#[derive(Clone, Copy)]
pub struct CanvasSize {
    pub css: RwSignal<(f64, f64)>,
    /// Follows the ratio itself (zoom, a move to another screen), not window resizes.
    pub dpr: Signal<f64>,
}

/// Watches `target`'s content box (the part the canvas fills, inside the border) and the device-pixel ratio.
pub fn use_canvas_size(target: NodeRef<html::Div>) -> CanvasSize {
    let css = RwSignal::new((0.0, 0.0));
    let measure = move |element: &web_sys::Element| {
        let _ = css.try_set((
            f64::from(element.client_width()),
            f64::from(element.client_height()),
        ));
    };
    // At once, not only when the observer first reports: the first frame is drawn at the right size.
    Effect::new(move |_| {
        if let Some(element) = target.get() {
            measure(&element);
        }
    });
    use_resize_observer(target, move |entries, _| {
        for entry in entries {
            measure(&entry.target());
        }
    });
    CanvasSize {
        css,
        dpr: use_device_pixel_ratio(),
    }
}

/// Draws `draw` on `canvas` at `size`; returns the layout, or why nothing could be drawn.
pub fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    size: (f64, f64),
    dpr: f64,
    dark: bool,
    draw: &DrawFn,
) -> Result<ChartLayout, String> {
    let px = PixelScale::new(dpr);
    let (width, height) = px.backing_size(size.0, size.1);
    if width < 2 || height < 2 {
        return Err("the chart has no room".to_string());
    }
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("this browser cannot draw on a canvas")?;
    let area = backend.into_drawing_area();
    let theme = ChartTheme::for_dark_mode(dark);
    let painter = CanvasPainter {
        canvas: canvas.clone(),
    };
    let layout = draw(&area, &theme, px, &painter).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(layout)
}

pub use crate::chart::figure::ChartTable;

/// A chart that is only drawn (no zoom or crosshair): bars, heatmaps, scatter, curves, networks.
#[component]
pub fn StaticChart(
    /// Re-run whenever the signals it reads change.
    draw: Rc<dyn Fn() -> DrawFn>,
    /// One sentence that says what the chart shows (its text alternative).
    #[prop(into)]
    summary: Signal<String>,
    #[prop(into)] caption: Signal<String>,
    #[prop(default = 280.0)] height_px: f64,
    /// The numbers behind the chart, shown by the "Data table" toggle.
    #[prop(into)]
    table: Signal<ChartTable>,
) -> impl IntoView {
    let show_table = RwSignal::new(false);
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let size = use_canvas_size(wrap);
    let dark = use_dark_theme();
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let draw_fn = draw();
        let (css, dpr, dark) = (size.css.get(), size.dpr.get(), dark.get());
        let Some(canvas) = canvas.get() else { return };
        problem.set(paint(&canvas, css, dpr, dark, &draw_fn).err());
    });
    view! {
        <figure class="chart">
            <div class="chart-box" node_ref=wrap style:height=format!("{height_px}px")>
                <canvas node_ref=canvas role="img" aria-label=move || summary.get()></canvas>
            </div>
            {move || problem.get().map(|p| view! { <p class="message bad">"This chart could not be drawn: "{p}</p> })}
            <figcaption class="chart-caption">
                <span class="chart-summary">{move || summary.get()}</span>
                <span class="muted">{move || caption.get()}</span>
            </figcaption>
            <button type="button" class="button small secondary" aria-pressed=move || show_table.get().to_string()
                on:click=move |_| show_table.update(|s| *s = !*s)>"Data table"</button>
            {move || show_table.get().then(|| table.with(|t| view! {
                <div class="chart-table">
                    <table class="data-table">
                        <thead><tr>{t.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>{t.rows.iter().map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                    </table>
                </div>
            }))}
        </figure>
    }
}
