//! Bars over time from a zero baseline, coloured by sign: funding (positive: longs pay shorts), net taker flow,
//! OI change.
//!
//! While bars are at least 3 pixels wide each is drawn with a one-pixel gap; when they get thinner than that
//! (a long window), the series is decimated per pixel column and every column shows its most positive and most
//! negative value, so an extreme funding print is never averaged away.

use plotters::prelude::DrawingBackend;

use super::annotate::{Annotation, draw_annotations};
use super::decimate::{column_of, decimate_min_max, visible_indices};
use super::frame::{
    Frame, NO_DATA, XAxis, check_lengths, data_window, draw_frame, placeholder_layout, time_range,
};
use super::layout::{ChartLayout, PixelRect, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend};
use super::paint::{Area, Painter};
use super::scale::{display_range, finite_extent};
use super::{ChartError, ChartTheme, ValueAxis};

/// Bars narrower than this many device pixels are drawn per pixel column instead.
const MIN_BAR_PX: f64 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct BarSpec<'a> {
    /// Sorted ms UTC times, one bar centred on each.
    pub times_ms: &'a [i64],
    pub values: &'a [f64],
    /// The time one bar covers (the funding interval); `None` takes the average spacing of the data.
    pub bar_ms: Option<i64>,
    pub window_ms: Option<(i64, i64)>,
    pub y_axis: ValueAxis<'a>,
    pub time_label: &'a str,
    /// Legend text for the two colours ("Longs pay", "Shorts pay"); empty for no legend.
    pub positive_label: &'a str,
    pub negative_label: &'a str,
    pub annotations: Vec<Annotation<'a>>,
}

/// The bar width: as given if positive, else the average spacing, else an hour.
fn bar_width_ms(spec: &BarSpec) -> i64 {
    if let Some(ms) = spec.bar_ms.filter(|&ms| ms > 0) {
        return ms;
    }
    match (spec.times_ms.first(), spec.times_ms.last()) {
        (Some(&a), Some(&b)) if b > a && spec.times_ms.len() > 1 => {
            // i128: the span of arbitrary timestamps can exceed i64.
            let spacing = (i128::from(b) - i128::from(a)) / (spec.times_ms.len() as i128 - 1);
            i64::try_from(spacing).unwrap_or(i64::MAX).max(1)
        }
        _ => 3_600_000,
    }
}

pub fn draw_bars<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &BarSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    check_lengths("bars", spec.times_ms.len(), spec.values.len())?;
    let bar_ms = bar_width_ms(spec);
    let half = bar_ms / 2;
    let window = match spec.window_ms.filter(|(from, to)| from < to) {
        Some(window) => window,
        None => match data_window(None, std::iter::once(spec.times_ms)) {
            Some((from, to)) => (from.saturating_sub(half), to.saturating_add(bar_ms - half)),
            None => return placeholder_layout(&p, NO_DATA),
        },
    };
    // Bars whose centre is just outside the window still reach into it.
    let visible = visible_indices(
        spec.times_ms,
        window.0.saturating_sub(half),
        window.1.saturating_add(half),
    );
    let extent = finite_extent(spec.values[visible.clone()].iter().copied());
    if extent.is_none() {
        return placeholder_layout(&p, NO_DATA);
    }
    let frame = Frame {
        x: time_range(window),
        x_axis: XAxis::Time {
            label: spec.time_label,
        },
        y: display_range(spec.y_axis.range, extent, 0.08, true),
        y_axis: &spec.y_axis,
        y2: None,
    };
    let mut layout = draw_frame(&p, &frame)?;
    if layout.placeholder.is_some() {
        return Ok(layout);
    }
    let plot = layout.plot;
    let zero = layout.y_px_on(false, 0.0).clamp(plot.top, plot.bottom);
    let bar = |x0: i32, x1: i32, v: f64| {
        let y = layout.y_px_on(false, v).clamp(plot.top, plot.bottom);
        let color = if v >= 0.0 { theme.long } else { theme.short };
        let rect = PixelRect {
            left: x0.max(plot.left + 1),
            top: y.min(zero),
            right: x1.min(plot.right),
            bottom: y.max(zero).max(y.min(zero) + 1),
        };
        p.fill_rect(rect, color)
    };

    let bar_px =
        bar_ms as f64 / (window.1 as f64 - window.0 as f64).max(1.0) * f64::from(plot.width());
    if bar_px >= MIN_BAR_PX {
        let gap = px.px(1.0).max(1);
        for i in visible {
            let (t, v) = (spec.times_ms[i], spec.values[i]);
            if v.is_finite() {
                let x0 = layout.x_px(t.saturating_sub(half) as f64) + gap;
                let x1 = layout.x_px(t.saturating_add(bar_ms - half) as f64);
                bar(x0, x1.max(x0 + 1), v)?;
            }
        }
    } else {
        // One-pixel bars at the column the decimation put each point in, so no column is skipped by rounding.
        let columns = u32::try_from(plot.width().max(1)).unwrap_or(1);
        for d in decimate_min_max(spec.times_ms, spec.values, window, columns) {
            if let Some(col) = column_of(d.time_ms, window.0, window.1, columns) {
                let x = plot.left + i32::try_from(col).unwrap_or(0);
                bar(x, x + 1, d.value)?;
            }
        }
    }
    p.hline(zero, plot.left, plot.right, px.stroke(1.0), theme.axis)?;

    let entries = [
        (spec.positive_label, theme.long),
        (spec.negative_label, theme.short),
    ]
    .map(|(label, color)| LegendEntry {
        label,
        color,
        swatch: Swatch::Block,
        hidden: false,
        hit: None,
    });
    let legend: Vec<PixelRect> = draw_legend(&p, plot, &entries)?
        .into_iter()
        .map(|(rect, _)| rect)
        .collect();
    layout.hit_targets = draw_annotations(&p, &layout, &spec.annotations, window, &legend)?;
    Ok(layout)
}
