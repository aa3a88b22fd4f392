//! The frame of a cartesian chart: background, plot rectangle, grid, axes, tick labels and the axis labels that
//! carry the units. Draw functions fit their ranges, call [`draw_frame`] and draw their data into the returned
//! layout.
//!
//! Layout is computed, not measured: the left and right margins fit the longest tick label by its estimated
//! width, tick counts follow the plot size (about one per 80 CSS px across, one per 40 CSS px up).

use plotters::prelude::DrawingBackend;

use super::format::TickFormat;
use super::layout::{AxisRange, ChartLayout, PixelRect};
use super::paint::{Anchor, Painter};
use super::scale::{Decade, display_range, linear_ticks};
use super::time_axis::time_ticks;
use super::{ChartError, Unit, ValueAxis};

/// What the horizontal axis shows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum XAxis<'a> {
    /// ms UTC timestamps, labelled on calendar boundaries; the label names the time zone ("Time, UTC").
    Time {
        label: &'a str,
    },
    Value(&'a ValueAxis<'a>),
}

pub(crate) struct Frame<'a> {
    pub x: AxisRange,
    pub x_axis: XAxis<'a>,
    pub y: AxisRange,
    pub y_axis: &'a ValueAxis<'a>,
    pub y2: Option<(AxisRange, &'a ValueAxis<'a>)>,
}

/// Ticks with their labels.
pub(crate) fn value_ticks(
    range: AxisRange,
    axis: &ValueAxis,
    max_ticks: usize,
) -> Vec<(f64, String)> {
    let (mut ticks, mut decade) = linear_ticks(range, max_ticks);
    if axis.unit == Unit::Count {
        // There is nothing between round 1 and round 2 to put a tick on.
        ticks.retain(|t| t.fract() == 0.0);
        decade = decade.map(|d| Decade(d.0.max(0)));
    }
    let format = TickFormat::for_ticks(axis.unit, &ticks, decade);
    ticks.into_iter().map(|t| (t, format.format(t))).collect()
}

pub(crate) const NO_DATA: &str = "No data in this time range";
/// A window around a single instant, so one point still has an axis around it.
const SINGLE_POINT_PADDING_MS: i64 = 3_600_000;

/// The x range of a time window (ms as f64, exact below 2^53 ms, i.e. for any date in the next 285,000 years).
pub(crate) fn time_range((from_ms, to_ms): (i64, i64)) -> AxisRange {
    display_range(Some((from_ms as f64, to_ms as f64)), None, 0.0, false)
}

/// The message drawn when the area is too small to hold a plot.
pub(crate) const TOO_SMALL: &str = "Chart area too small";

/// Fills the background and draws the frame; returns the layout data goes into, or a placeholder layout when
/// the area cannot hold a plot.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    p: &Painter<DB>,
    frame: &Frame,
) -> Result<ChartLayout, ChartError> {
    p.area.fill(&p.theme.background)?;
    let (w, h) = p.area.dim_in_pixel();
    let (w, h) = (
        i32::try_from(w).unwrap_or(i32::MAX),
        i32::try_from(h).unwrap_or(i32::MAX),
    );
    let px = p.px;
    let font = p.font_px(1.0);
    let (top, bottom) = (px.px(24.0), px.px(38.0));
    let plot_h = h - top - bottom;
    if plot_h < px.px(24.0) {
        return placeholder_layout(p, TOO_SMALL);
    }

    let y_ticks = value_ticks(
        frame.y,
        frame.y_axis,
        (plot_h / px.px(40.0).max(1)).clamp(2, 8) as usize,
    );
    let y2_ticks = frame.y2.map(|(range, axis)| {
        value_ticks(
            range,
            axis,
            (plot_h / px.px(40.0).max(1)).clamp(2, 8) as usize,
        )
    });
    let widest = |ticks: &[(f64, String)]| {
        ticks
            .iter()
            .map(|(_, l)| p.text_width(l, font))
            .max()
            .unwrap_or(0)
    };
    let left = (widest(&y_ticks) + px.px(14.0)).max(px.px(36.0));
    let right = match &y2_ticks {
        Some(ticks) => (widest(ticks) + px.px(14.0)).max(px.px(36.0)),
        None => px.px(18.0),
    };
    let plot = PixelRect {
        left,
        top,
        right: w - right,
        bottom: h - bottom,
    };
    if plot.width() < px.px(40.0) {
        return placeholder_layout(p, TOO_SMALL);
    }
    let mut layout = ChartLayout::new(plot, frame.x, frame.y);
    layout.y2 = frame.y2.map(|(range, _)| range);

    let max_x_ticks = (plot.width() / px.px(80.0).max(1)).clamp(2, 10) as usize;
    let x_ticks: Vec<(f64, String)> = match frame.x_axis {
        XAxis::Time { .. } => time_ticks(
            frame.x.min.ceil() as i64,
            frame.x.max.floor() as i64,
            max_x_ticks,
        )
        .into_iter()
        .map(|t| (t.time_ms as f64, t.label))
        .collect(),
        XAxis::Value(axis) => value_ticks(frame.x, axis, max_x_ticks),
    };

    let thin = px.stroke(1.0);
    let (grid, axis_color, muted) = (p.theme.grid, p.theme.axis, p.theme.muted);
    for (v, _) in &y_ticks {
        p.hline(layout.y_px_on(false, *v), plot.left, plot.right, thin, grid)?;
    }
    for (v, _) in &x_ticks {
        p.vline(layout.x_px(*v), plot.top, plot.bottom, thin, grid)?;
    }
    p.hline(plot.bottom, plot.left, plot.right, thin, axis_color)?;
    p.vline(plot.left, plot.top, plot.bottom, thin, axis_color)?;
    if frame.y2.is_some() {
        p.vline(plot.right, plot.top, plot.bottom, thin, axis_color)?;
    }

    let gap = px.px(6.0);
    for (v, label) in &y_ticks {
        p.text(
            label,
            (plot.left - gap, layout.y_px_on(false, *v)),
            Anchor::RightMiddle,
            muted,
            font,
        )?;
    }
    if let Some(ticks) = &y2_ticks {
        for (v, label) in ticks {
            p.text(
                label,
                (plot.right + gap, layout.y_px_on(true, *v)),
                Anchor::LeftMiddle,
                muted,
                font,
            )?;
        }
    }
    for (v, label) in &x_ticks {
        let x = layout.x_px(*v);
        let half = p.text_width(label, font) / 2;
        if x - half >= 0 && x + half <= w {
            p.text(
                label,
                (x, plot.bottom + gap),
                Anchor::CenterTop,
                muted,
                font,
            )?;
        }
    }

    let edge = px.px(4.0);
    p.text(
        frame.y_axis.label,
        (edge, edge),
        Anchor::LeftTop,
        muted,
        font,
    )?;
    if let Some((_, axis)) = frame.y2 {
        p.text(axis.label, (w - edge, edge), Anchor::RightTop, muted, font)?;
    }
    let x_label = match frame.x_axis {
        XAxis::Time { label } => label,
        XAxis::Value(axis) => axis.label,
    };
    p.text(
        x_label,
        (w - edge, h - edge),
        Anchor::RightBottom,
        muted,
        font,
    )?;
    Ok(layout)
}

/// Background and a centred message; the layout spans the whole area and says what was drawn instead.
pub(crate) fn placeholder_layout<DB: DrawingBackend>(
    p: &Painter<DB>,
    message: &str,
) -> Result<ChartLayout, ChartError> {
    p.area.fill(&p.theme.background)?;
    p.placeholder(message)?;
    let (w, h) = p.area.dim_in_pixel();
    let plot = PixelRect {
        left: 0,
        top: 0,
        right: i32::try_from(w).unwrap_or(i32::MAX),
        bottom: i32::try_from(h).unwrap_or(i32::MAX),
    };
    let unit = AxisRange { min: 0.0, max: 1.0 };
    let mut layout = ChartLayout::new(plot, unit, unit);
    layout.placeholder = Some(message.to_string());
    Ok(layout)
}

/// The window to show: the requested one if valid, else the span of all given times (a single instant padded
/// by an hour each side); `None` when there are no times at all.
pub(crate) fn data_window<'s>(
    requested: Option<(i64, i64)>,
    times: impl Iterator<Item = &'s [i64]>,
) -> Option<(i64, i64)> {
    if let Some((from, to)) = requested
        && from < to
    {
        return Some((from, to));
    }
    let (from, to) = times
        .filter_map(|t| Some((*t.first()?, *t.last()?)))
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))?;
    if from < to {
        Some((from, to))
    } else {
        Some((
            from.saturating_sub(SINGLE_POINT_PADDING_MS),
            to.saturating_add(SINGLE_POINT_PADDING_MS),
        ))
    }
}

pub(crate) fn check_lengths(what: &str, times: usize, values: usize) -> Result<(), ChartError> {
    if times == values {
        Ok(())
    } else {
        Err(ChartError::InvalidSpec(format!(
            "{what}: {times} times but {values} values"
        )))
    }
}
