//! Time-series chart: several lines or areas over a shared time axis, an optional second value axis on the right,
//! a legend whose entries toggle series, and annotation markers on top.
//!
//! Each visible series is decimated to one min/max pair per pixel column before drawing, so the cost does not grow
//! with the series. When the window cuts through the data, the line is continued to the plot edge by interpolating
//! with the first point outside, as a trading chart does while panning.

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use lens_math::series::TimeSeries;

use super::annotate::{Annotation, draw_annotations};
use super::decimate::{DecimatedPoint, decimate_min_max_into, visible_indices};
use super::frame::{
    Frame, NO_DATA, XAxis, check_lengths, data_window, draw_frame, placeholder_layout, time_range,
};
use super::layout::{ChartLayout, HitKind, PixelRect, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend, hit_targets};
use super::paint::{Area, Painter, Point, segments};
use super::scale::{display_range, finite_extent, union_extent};
use super::{ChartError, ChartTheme, ValueAxis, YAxisSide};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesStyle {
    #[default]
    Line,
    /// A line with the area down to zero (or to the bottom of the plot when zero is below it) filled faintly.
    Area,
}

/// One series: sorted ms UTC times and values (NaN for a gap), and how to draw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesSpec<'a> {
    pub label: &'a str,
    pub times_ms: &'a [i64],
    pub values: &'a [f64],
    pub style: SeriesStyle,
    pub axis: YAxisSide,
    /// Switched off in the legend: not drawn and not in the axis range, but its legend entry stays.
    pub hidden: bool,
    /// `None` takes the theme's palette colour for the series' position.
    pub color: Option<RGBColor>,
}

impl<'a> SeriesSpec<'a> {
    pub fn line(label: &'a str, times_ms: &'a [i64], values: &'a [f64]) -> Self {
        Self {
            label,
            times_ms,
            values,
            style: SeriesStyle::Line,
            axis: YAxisSide::Left,
            hidden: false,
            color: None,
        }
    }

    pub fn area(label: &'a str, times_ms: &'a [i64], values: &'a [f64]) -> Self {
        Self {
            style: SeriesStyle::Area,
            ..Self::line(label, times_ms, values)
        }
    }

    /// A line from an indicator's output.
    pub fn from_series(label: &'a str, series: &'a TimeSeries) -> Self {
        Self::line(label, series.times_ms(), series.values())
    }

    pub fn on_right_axis(self) -> Self {
        Self {
            axis: YAxisSide::Right,
            ..self
        }
    }

    pub fn hidden(self, hidden: bool) -> Self {
        Self { hidden, ..self }
    }

    pub fn with_color(self, color: RGBColor) -> Self {
        Self {
            color: Some(color),
            ..self
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeriesSpec<'a> {
    pub series: Vec<SeriesSpec<'a>>,
    /// The visible time range (zoom/pan); `None` shows all data.
    pub window_ms: Option<(i64, i64)>,
    pub y_axis: ValueAxis<'a>,
    /// Required when a series is on the right axis.
    pub y2_axis: Option<ValueAxis<'a>>,
    /// The time axis label, naming the time zone.
    pub time_label: &'a str,
    pub annotations: Vec<Annotation<'a>>,
}

/// Draws the chart; see the module documentation.
pub fn draw_time_series<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &TimeSeriesSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    for s in &spec.series {
        check_lengths(
            &format!("series \"{}\"", s.label),
            s.times_ms.len(),
            s.values.len(),
        )?;
        if s.axis == YAxisSide::Right && spec.y2_axis.is_none() {
            return Err(ChartError::InvalidSpec(format!(
                "series \"{}\" is on the right axis, but the chart has no right axis",
                s.label
            )));
        }
    }
    let Some(window) = data_window(spec.window_ms, spec.series.iter().map(|s| s.times_ms)) else {
        return placeholder_layout(&p, NO_DATA);
    };
    let columns = area.dim_in_pixel().0.max(1);
    let decimated: Vec<Vec<DecimatedPoint>> = spec
        .series
        .iter()
        .map(|s| {
            let mut out = Vec::new();
            if !s.hidden {
                decimate_min_max_into(s.times_ms, s.values, window, columns, &mut out);
            }
            out
        })
        .collect();
    let any_visible = spec.series.iter().any(|s| !s.hidden);
    if any_visible && decimated.iter().all(Vec::is_empty) {
        return placeholder_layout(&p, NO_DATA);
    }
    let extent = |side: YAxisSide| {
        spec.series
            .iter()
            .zip(&decimated)
            .filter(|(s, _)| s.axis == side)
            .map(|(_, d)| finite_extent(d.iter().map(|p| p.value)))
            .fold(None, union_extent)
    };
    let y = display_range(spec.y_axis.range, extent(YAxisSide::Left), 0.08, false);
    let y2 = spec.y2_axis.as_ref().map(|axis| {
        (
            display_range(axis.range, extent(YAxisSide::Right), 0.08, false),
            axis,
        )
    });
    let frame = Frame {
        x: time_range(window),
        x_axis: XAxis::Time {
            label: spec.time_label,
        },
        y,
        y_axis: &spec.y_axis,
        y2,
    };
    let mut layout = draw_frame(&p, &frame)?;
    if layout.placeholder.is_some() {
        return Ok(layout);
    }

    // All fills first, then all lines, so no fill veils another series' line.
    let runs: Vec<Vec<Vec<Point>>> = spec
        .series
        .iter()
        .zip(&decimated)
        .map(|(s, points)| series_runs(&layout, s, points, window))
        .collect();
    for (i, (s, runs)) in spec.series.iter().zip(&runs).enumerate() {
        if s.style == SeriesStyle::Area {
            fill_area(
                &p,
                &layout,
                s,
                runs,
                s.color.unwrap_or(theme.series_color(i)),
            )?;
        }
    }
    for (i, runs) in runs.iter().enumerate() {
        let color = spec.series[i]
            .color
            .unwrap_or(theme.series_color(i))
            .to_rgba();
        for run in runs {
            match run.as_slice() {
                [single] => p.dot(*single, 1.5, color)?,
                _ => p.polyline(run, color, px.stroke(1.5))?,
            }
        }
    }

    let entries: Vec<LegendEntry> = spec
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry {
            label: s.label,
            color: s.color.unwrap_or(theme.series_color(i)),
            swatch: if s.style == SeriesStyle::Area {
                Swatch::Block
            } else {
                Swatch::Line
            },
            hidden: s.hidden,
            hit: Some(HitKind::LegendEntry(i)),
        })
        .collect();
    let legend = draw_legend(&p, layout.plot, &entries)?;
    let mut targets = hit_targets(&legend);
    let occupied: Vec<PixelRect> = legend.iter().map(|(rect, _)| *rect).collect();
    targets.extend(draw_annotations(
        &p,
        &layout,
        &spec.annotations,
        window,
        &occupied,
    )?);
    layout.hit_targets = targets;
    Ok(layout)
}

/// Interpolates the series at `t` between input points `a` and `b`, when both are finite.
fn interpolate(s: &SeriesSpec, a: usize, b: usize, t: i64) -> Option<f64> {
    let (ta, tb, va, vb) = (s.times_ms[a], s.times_ms[b], s.values[a], s.values[b]);
    (va.is_finite() && vb.is_finite() && tb > ta)
        .then(|| va + (vb - va) * ((t as f64 - ta as f64) / (tb as f64 - ta as f64)))
}

/// The series as pixel polylines, broken at gaps and continued to the plot edges.
fn series_runs(
    layout: &ChartLayout,
    s: &SeriesSpec,
    points: &[DecimatedPoint],
    window: (i64, i64),
) -> Vec<Vec<Point>> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let right = s.axis == YAxisSide::Right;
    let plot = layout.plot;
    let at = |t: i64, v: f64| -> Point {
        (
            layout.x_px(t as f64),
            layout.y_px_on(right, v).clamp(plot.top, plot.bottom),
        )
    };
    let visible = visible_indices(s.times_ms, window.0, window.1);
    let lead = (first.index == visible.start && visible.start > 0)
        .then(|| interpolate(s, visible.start - 1, visible.start, window.0))
        .flatten()
        .map(|v| (at(window.0, v), false));
    let tail = (last.index + 1 == visible.end && visible.end < s.times_ms.len())
        .then(|| interpolate(s, visible.end - 1, visible.end, window.1))
        .flatten()
        .map(|v| (at(window.1, v), false));
    let body = points
        .iter()
        .map(|d| (at(d.time_ms, d.value), d.gap_before));
    segments(lead.into_iter().chain(body).chain(tail))
}

/// The faint fill under an area series, down to zero or the bottom of the plot.
fn fill_area<DB: DrawingBackend>(
    p: &Painter<DB>,
    layout: &ChartLayout,
    s: &SeriesSpec,
    runs: &[Vec<Point>],
    color: RGBColor,
) -> Result<(), ChartError> {
    let right = s.axis == YAxisSide::Right;
    let range = if right {
        layout.y2.unwrap_or(layout.y)
    } else {
        layout.y
    };
    let base = layout.y_px_on(right, 0f64.clamp(range.min, range.max));
    for run in runs.iter().filter(|r| r.len() > 1) {
        let (Some(&(x0, _)), Some(&(x1, _))) = (run.first(), run.last()) else {
            continue;
        };
        let mut polygon = run.clone();
        polygon.extend([(x1, base), (x0, base)]);
        p.polygon(polygon, color.mix(0.15))?;
    }
    Ok(())
}
