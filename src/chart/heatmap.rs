//! Heatmap over time × price (the liquidation map) with the price line on top.
//!
//! Cells are coloured on the theme's ramp after linear or logarithmic scaling. Intensities are quantised to 32
//! levels and neighbouring cells of a row with the same level are drawn as one rectangle; empty cells are not
//! drawn at all. A 500 × 200 grid is therefore far fewer than 100,000 backend calls.

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::decimate::decimate_min_max;
use super::format::{Unit, format_value};
use super::frame::{
    Frame, NO_DATA, XAxis, check_lengths, draw_frame, placeholder_layout, time_range,
};
use super::layout::{ChartLayout, PixelRect, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend};
use super::paint::{Anchor, Area, Painter, segments};
use super::scale::display_range;
use super::{ChartError, ChartTheme, ValueAxis};

const LEVELS: usize = 32;

/// How a cell's value becomes a position on the colour ramp.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntensityScale {
    /// Proportional to the maximum.
    Linear,
    /// Logarithmic over this many powers of ten below the maximum; smaller cells are not drawn. Liquidation
    /// clusters span orders of magnitude, so this is the usual choice.
    Log { decades: f64 },
}

#[derive(Clone)]
pub struct HeatmapSpec<'a> {
    /// Number of time cells.
    pub columns: u32,
    /// Number of price cells.
    pub rows: u32,
    /// `cells[row × columns + column]`: row 0 is the lowest price band, column 0 the earliest time. NaN and
    /// values ≤ 0 are empty.
    pub cells: &'a [f32],
    /// The time the grid covers; each column is an equal share of it.
    pub time_range_ms: (i64, i64),
    /// The prices the grid covers; each row is an equal share of it.
    pub price_range: (f64, f64),
    pub scale: IntensityScale,
    /// The value at the top of the ramp; `None` takes the largest cell (fix it to compare charts).
    pub max_intensity: Option<f32>,
    /// The price line drawn on top (may be empty).
    pub price_times_ms: &'a [i64],
    pub prices: &'a [f64],
    pub price_label: &'a str,
    pub window_ms: Option<(i64, i64)>,
    pub y_axis: ValueAxis<'a>,
    /// What the colours measure ("Liquidations"), shown by the colour scale with the top value in this unit.
    pub intensity_label: &'a str,
    pub intensity_unit: Unit,
    pub time_label: &'a str,
    /// Draws the cells as one image where the backend can (the browser canvas); `None` draws rectangles.
    pub cell_painter: Option<CellPainter<'a>>,
}

fn validate(spec: &HeatmapSpec) -> Result<(), ChartError> {
    let expected = u64::from(spec.columns) * u64::from(spec.rows);
    if spec.cells.len() as u64 != expected {
        return Err(ChartError::InvalidSpec(format!(
            "heatmap: {} cells for a {} × {} grid",
            spec.cells.len(),
            spec.columns,
            spec.rows
        )));
    }
    if spec.time_range_ms.0 >= spec.time_range_ms.1 {
        return Err(ChartError::InvalidSpec(
            "heatmap: the time range is empty".into(),
        ));
    }
    let (lo, hi) = spec.price_range;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(ChartError::InvalidSpec(format!(
            "heatmap: price range {lo}–{hi} is not a range"
        )));
    }
    check_lengths("price line", spec.price_times_ms.len(), spec.prices.len())
}

/// The ramp level (0 = not drawn) of a cell value.
fn level(v: f32, max: f32, scale: IntensityScale) -> usize {
    if !(v > 0.0 && max > 0.0) {
        return 0;
    }
    let ratio = f64::from(v) / f64::from(max);
    let t = match scale {
        IntensityScale::Linear => ratio,
        IntensityScale::Log { decades } => 1.0 + ratio.log10() / decades.max(0.1),
    };
    (t.clamp(0.0, 1.0) * LEVELS as f64).ceil() as usize
}

/// The visible cells as an RGBA raster (top row = highest price, transparent where empty), for a backend that
/// draws images far faster than rectangles: the browser canvas takes 500 × 200 cells as one `drawImage`.
#[derive(Debug, Clone, PartialEq)]
pub struct CellImage {
    pub columns: u32,
    pub rows: u32,
    pub rgba: Vec<u8>,
    /// Where the raster goes, in device pixels of the drawing area.
    pub dest: PixelRect,
}

/// Draws a [`CellImage`]; returns false when it cannot, and the cells are then drawn as rectangles.
pub type CellPainter<'a> = &'a dyn Fn(&CellImage) -> bool;

pub fn draw_heatmap<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &HeatmapSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    validate(spec)?;
    if spec.columns == 0 || spec.rows == 0 {
        return placeholder_layout(&p, NO_DATA);
    }
    let window = spec
        .window_ms
        .filter(|(a, b)| a < b)
        .unwrap_or(spec.time_range_ms);
    let frame = Frame {
        x: time_range(window),
        x_axis: XAxis::Time {
            label: spec.time_label,
        },
        y: display_range(spec.y_axis.range, Some(spec.price_range), 0.0, false),
        y_axis: &spec.y_axis,
        y2: None,
    };
    let layout = draw_frame(&p, &frame)?;
    if layout.placeholder.is_some() {
        return Ok(layout);
    }
    let max = spec
        .max_intensity
        .filter(|m| m.is_finite() && *m > 0.0)
        .or_else(|| {
            spec.cells
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .reduce(f32::max)
        })
        .unwrap_or(0.0);
    let painted = spec
        .cell_painter
        .is_some_and(|paint| paint(&cell_image(&p, &layout, spec, window, max)));
    if !painted {
        draw_cells(&p, &layout, spec, window, max)?;
    }
    draw_price_line(&p, &layout, spec, window)?;
    let entry = LegendEntry {
        label: spec.price_label,
        color: theme.accent,
        swatch: Swatch::Line,
        hidden: false,
        hit: None,
    };
    draw_legend(&p, layout.plot, &[entry])?;
    draw_color_scale(&p, spec, max)?;
    Ok(layout)
}

fn cell_image<DB: DrawingBackend>(
    p: &Painter<DB>,
    layout: &ChartLayout,
    spec: &HeatmapSpec,
    window: (i64, i64),
    max: f32,
) -> CellImage {
    let colors: Vec<RGBColor> = (0..=LEVELS)
        .map(|l| p.theme.heat_color(l as f64 / LEVELS as f64))
        .collect();
    let (t0, t1) = (spec.time_range_ms.0 as f64, spec.time_range_ms.1 as f64);
    let columns = spec.columns as usize;
    let rows = spec.rows as usize;
    let dt = (t1 - t0) / columns as f64;
    let first = ((window.0 as f64 - t0) / dt)
        .floor()
        .clamp(0.0, columns as f64) as usize;
    let last = ((window.1 as f64 - t0) / dt)
        .ceil()
        .clamp(0.0, columns as f64) as usize;
    let width = last.saturating_sub(first);
    let mut rgba = vec![0u8; width * rows * 4];
    for row in 0..rows {
        let out_row = rows - 1 - row;
        for (k, c) in (first..last).enumerate() {
            let lvl = level(spec.cells[row * columns + c], max, spec.scale);
            if lvl > 0 {
                let RGBColor(r, g, b) = colors[lvl];
                let i = (out_row * width + k) * 4;
                rgba[i..i + 4].copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    let plot = layout.plot;
    let (p0, p1) = spec.price_range;
    let dest = PixelRect {
        left: layout
            .x_px(t0 + first as f64 * dt)
            .clamp(plot.left, plot.right),
        right: layout
            .x_px(t0 + last as f64 * dt)
            .clamp(plot.left, plot.right),
        top: layout.y_px_on(false, p1).clamp(plot.top, plot.bottom),
        bottom: layout.y_px_on(false, p0).clamp(plot.top, plot.bottom),
    };
    CellImage {
        columns: u32::try_from(width).unwrap_or(0),
        rows: spec.rows,
        rgba,
        dest,
    }
}

fn draw_cells<DB: DrawingBackend>(
    p: &Painter<DB>,
    layout: &ChartLayout,
    spec: &HeatmapSpec,
    window: (i64, i64),
    max: f32,
) -> Result<(), ChartError> {
    let plot = layout.plot;
    let colors: Vec<RGBColor> = (0..=LEVELS)
        .map(|l| p.theme.heat_color(l as f64 / LEVELS as f64))
        .collect();
    let (t0, t1) = (spec.time_range_ms.0 as f64, spec.time_range_ms.1 as f64);
    let dt = (t1 - t0) / f64::from(spec.columns);
    let (p0, p1) = spec.price_range;
    let dp = (p1 - p0) / f64::from(spec.rows);
    let columns = spec.columns as usize;
    let first = ((window.0 as f64 - t0) / dt)
        .floor()
        .clamp(0.0, columns as f64) as usize;
    let last = ((window.1 as f64 - t0) / dt)
        .ceil()
        .clamp(0.0, columns as f64) as usize;
    let col_x: Vec<i32> = (first..=last)
        .map(|c| layout.x_px(t0 + c as f64 * dt).clamp(plot.left, plot.right))
        .collect();
    for row in 0..spec.rows as usize {
        let bottom = layout
            .y_px_on(false, p0 + row as f64 * dp)
            .clamp(plot.top, plot.bottom);
        let top = layout
            .y_px_on(false, p0 + (row + 1) as f64 * dp)
            .clamp(plot.top, plot.bottom);
        if top >= bottom {
            continue;
        }
        let cells = &spec.cells[row * columns..(row + 1) * columns];
        let mut run_start = first;
        while run_start < last {
            let lvl = level(cells[run_start], max, spec.scale);
            let mut run_end = run_start + 1;
            while run_end < last && level(cells[run_end], max, spec.scale) == lvl {
                run_end += 1;
            }
            if lvl > 0 {
                let rect = PixelRect {
                    left: col_x[run_start - first],
                    top,
                    right: col_x[run_end - first],
                    bottom,
                };
                p.fill_rect(rect, colors[lvl])?;
            }
            run_start = run_end;
        }
    }
    Ok(())
}

fn draw_price_line<DB: DrawingBackend>(
    p: &Painter<DB>,
    layout: &ChartLayout,
    spec: &HeatmapSpec,
    window: (i64, i64),
) -> Result<(), ChartError> {
    let plot = layout.plot;
    let columns = u32::try_from(plot.width().max(1)).unwrap_or(1);
    let points = decimate_min_max(spec.price_times_ms, spec.prices, window, columns);
    let runs = segments(points.iter().map(|d| {
        let y = layout.y_px_on(false, d.value).clamp(plot.top, plot.bottom);
        ((layout.x_px(d.time_ms as f64), y), d.gap_before)
    }));
    // A halo of the background colour keeps the line readable over any cell colour.
    for run in &runs {
        p.polyline(run, p.theme.background.mix(0.9), p.px.stroke(4.0))?;
        p.polyline(run, p.theme.accent.to_rgba(), p.px.stroke(1.75))?;
    }
    Ok(())
}

/// The colour scale in the top margin, right-aligned: "Liquidations ▮▮▮▮▮ $12.5M".
fn draw_color_scale<DB: DrawingBackend>(
    p: &Painter<DB>,
    spec: &HeatmapSpec,
    max: f32,
) -> Result<(), ChartError> {
    let (w, _) = p.area.dim_in_pixel();
    let w = i32::try_from(w).unwrap_or(i32::MAX);
    let font = p.font_px(1.0);
    let (edge, gap, ramp_w, ramp_h) = (p.px.px(4.0), p.px.px(6.0), p.px.px(72.0), p.px.px(8.0));
    let mid = edge + (font / 2.0).round() as i32;
    let top_text = if max > 0.0 {
        format_value(f64::from(max), spec.intensity_unit)
    } else {
        "0".into()
    };
    p.text(
        &top_text,
        (w - edge, mid),
        Anchor::RightMiddle,
        p.theme.muted,
        font,
    )?;
    let ramp_right = w - edge - p.text_width(&top_text, font) - gap;
    let steps = 12;
    for i in 0..steps {
        let rect = PixelRect {
            left: ramp_right - ramp_w + ramp_w * i / steps,
            top: mid - ramp_h / 2,
            right: ramp_right - ramp_w + ramp_w * (i + 1) / steps,
            bottom: mid - ramp_h / 2 + ramp_h,
        };
        p.fill_rect(
            rect,
            p.theme.heat_color((f64::from(i) + 0.5) / f64::from(steps)),
        )?;
    }
    p.text(
        spec.intensity_label,
        (ramp_right - ramp_w - gap, mid),
        Anchor::RightMiddle,
        p.theme.muted,
        font,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_scale_and_empty_cells_are_zero() {
        assert_eq!(level(10.0, 10.0, IntensityScale::Linear), LEVELS);
        assert_eq!(level(5.0, 10.0, IntensityScale::Linear), LEVELS / 2);
        assert_eq!(level(0.0, 10.0, IntensityScale::Linear), 0);
        assert_eq!(level(f32::NAN, 10.0, IntensityScale::Linear), 0);
        assert_eq!(level(-1.0, 10.0, IntensityScale::Linear), 0);
        assert_eq!(level(1.0, 0.0, IntensityScale::Linear), 0);
        let log = IntensityScale::Log { decades: 2.0 };
        assert_eq!(level(1.0, 100.0, log), 0);
        assert_eq!(level(10.0, 100.0, log), LEVELS / 2);
        assert_eq!(level(1e9, 100.0, log), LEVELS);
    }
}
