//! Curve chart: y = f(x) sampled by the caller (P&L against price, elasticity against strike), one or more
//! curves, with labelled vertical markers (entry price, liquidation price) and a zero line.
//!
//! Curves are drawn as given, in the order of their samples; points that are not finite break the curve. Samples
//! that land on the pixel of the previous one are skipped, so a densely sampled curve costs about one vertex per
//! pixel.

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::annotate::{Marker, Placer, draw_markers};
use super::frame::{Frame, XAxis, check_lengths, draw_frame, placeholder_layout};
use super::layout::{ChartLayout, HitKind, PixelRect, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend, hit_targets};
use super::paint::{Area, Painter, segments};
use super::scale::{display_range, finite_extent, union_extent};
use super::{ChartError, ChartTheme, Tone, ValueAxis};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurveSeries<'a> {
    pub label: &'a str,
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    pub hidden: bool,
    /// `None` takes the palette colour for the curve's position.
    pub color: Option<RGBColor>,
}

impl<'a> CurveSeries<'a> {
    pub fn new(label: &'a str, xs: &'a [f64], ys: &'a [f64]) -> Self {
        Self {
            label,
            xs,
            ys,
            hidden: false,
            color: None,
        }
    }
}

/// A vertical line at `x` with a label at the top of the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerticalMarker<'a> {
    pub x: f64,
    pub label: &'a str,
    pub tone: Tone,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CurveSpec<'a> {
    pub curves: Vec<CurveSeries<'a>>,
    /// Always inside the x range: the range widens to show them.
    pub markers: Vec<VerticalMarker<'a>>,
    pub x_axis: ValueAxis<'a>,
    pub y_axis: ValueAxis<'a>,
    /// Draw y = 0 (break-even) when it is in range.
    pub zero_line: bool,
}

/// The samples where both x and y are finite.
fn finite_pairs<'c>(c: &'c CurveSeries) -> impl Iterator<Item = (f64, f64)> + 'c {
    c.xs.iter()
        .zip(c.ys)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
}

pub fn draw_curve<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &CurveSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    for c in &spec.curves {
        check_lengths(&format!("curve \"{}\"", c.label), c.xs.len(), c.ys.len())?;
    }
    let shown = || spec.curves.iter().filter(|c| !c.hidden);
    let x_data = shown()
        .map(|c| finite_extent(finite_pairs(c).map(|p| p.0)))
        .fold(None, union_extent);
    let y_data = shown()
        .map(|c| finite_extent(finite_pairs(c).map(|p| p.1)))
        .fold(None, union_extent);
    // All curves switched off still draws the frame and the legend, so they can be switched back on.
    if spec.curves.is_empty() || (x_data.is_none() && shown().next().is_some()) {
        return placeholder_layout(&p, "Nothing to plot");
    }
    let x_data = union_extent(x_data, finite_extent(spec.markers.iter().map(|m| m.x)));
    let frame = Frame {
        x: display_range(spec.x_axis.range, x_data, 0.04, false),
        x_axis: XAxis::Value(&spec.x_axis),
        y: display_range(spec.y_axis.range, y_data, 0.08, false),
        y_axis: &spec.y_axis,
        y2: None,
    };
    let mut layout = draw_frame(&p, &frame)?;
    if layout.placeholder.is_some() {
        return Ok(layout);
    }
    let plot = layout.plot;
    if spec.zero_line && layout.y.contains(0.0) {
        p.hline(
            layout.y_px_on(false, 0.0),
            plot.left,
            plot.right,
            px.stroke(1.0),
            theme.muted.mix(0.8),
        )?;
    }

    for (i, c) in spec.curves.iter().enumerate().filter(|(_, c)| !c.hidden) {
        let color = c.color.unwrap_or(theme.series_color(i));
        let mut broken = false;
        let runs = segments(c.xs.iter().zip(c.ys).filter_map(|(&x, &y)| {
            if !(x.is_finite() && y.is_finite()) {
                broken = true;
                return None;
            }
            let point = (
                layout.x_px(x),
                layout.y_px_on(false, y).clamp(plot.top, plot.bottom),
            );
            Some((point, std::mem::take(&mut broken)))
        }));
        for run in &runs {
            match run.as_slice() {
                [single] => p.dot(*single, 1.5, color.to_rgba())?,
                _ => p.polyline(run, color.to_rgba(), px.stroke(2.0))?,
            }
        }
    }

    let entries: Vec<LegendEntry> = spec
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| LegendEntry {
            label: c.label,
            color: c.color.unwrap_or(theme.series_color(i)),
            swatch: Swatch::Line,
            hidden: c.hidden,
            hit: Some(HitKind::LegendEntry(i)),
        })
        .collect();
    let legend = draw_legend(&p, plot, &entries)?;
    let occupied: Vec<PixelRect> = legend.iter().map(|(rect, _)| *rect).collect();
    let markers: Vec<Marker> = spec
        .markers
        .iter()
        .filter(|m| m.x.is_finite())
        .map(|m| Marker {
            x: layout.x_px(m.x),
            y: None,
            label: m.label,
            color: m.tone.color(theme),
            hit: None,
        })
        .collect();
    let mut placer = Placer::new(plot, occupied);
    draw_markers(&p, &mut placer, &markers)?;
    layout.hit_targets = hit_targets(&legend);
    Ok(layout)
}
