//! Scatter plot with a fitted line: order-flow imbalance against the price change it came with.
//!
//! Points are thinned on a grid of about one marker per marker radius: a marker costs ten line vertices on a
//! canvas, and a thousand overlapping markers look like one. The fit is given (computed by the math crate) and
//! drawn clipped to the plot.

use plotters::prelude::DrawingBackend;
use plotters::style::Color;

use super::frame::{Frame, XAxis, check_lengths, draw_frame, placeholder_layout};
use super::layout::{AxisRange, ChartLayout, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend};
use super::paint::{Area, Painter};
use super::scale::{display_range, finite_extent};
use super::{ChartError, ChartTheme, ValueAxis};

const MARKER_RADIUS: f64 = 2.5;

/// `y = intercept + slope × x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearFit {
    pub slope: f64,
    pub intercept: f64,
}

impl LinearFit {
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// The part of the line inside the x and y ranges, as two (x, y) ends; `None` when it misses the box.
    pub fn clip(&self, x: AxisRange, y: AxisRange) -> Option<((f64, f64), (f64, f64))> {
        if !(self.slope.is_finite() && self.intercept.is_finite()) {
            return None;
        }
        let (mut lo, mut hi) = (x.min, x.max);
        if self.slope != 0.0 {
            let (a, b) = (
                (y.min - self.intercept) / self.slope,
                (y.max - self.intercept) / self.slope,
            );
            lo = lo.max(a.min(b));
            hi = hi.min(a.max(b));
        } else if !y.contains(self.intercept) {
            return None;
        }
        (lo < hi).then(|| ((lo, self.at(lo)), (hi, self.at(hi))))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScatterSpec<'a> {
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    /// Legend text for the points ("Hourly OFI vs return").
    pub points_label: &'a str,
    pub fit: Option<LinearFit>,
    /// Legend text for the fit, with its numbers ("Fit: ΔP = 0.82 × OFI, R² = 0.41").
    pub fit_label: &'a str,
    pub x_axis: ValueAxis<'a>,
    pub y_axis: ValueAxis<'a>,
}

pub fn draw_scatter<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &ScatterSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    check_lengths("scatter", spec.xs.len(), spec.ys.len())?;
    let finite = |i: &usize| spec.xs[*i].is_finite() && spec.ys[*i].is_finite();
    let points = || (0..spec.xs.len()).filter(finite);
    let (Some(x_extent), Some(y_extent)) = (
        finite_extent(points().map(|i| spec.xs[i])),
        finite_extent(points().map(|i| spec.ys[i])),
    ) else {
        return placeholder_layout(&p, "No observations");
    };
    let frame = Frame {
        x: display_range(spec.x_axis.range, Some(x_extent), 0.05, false),
        x_axis: XAxis::Value(&spec.x_axis),
        y: display_range(spec.y_axis.range, Some(y_extent), 0.08, false),
        y_axis: &spec.y_axis,
        y2: None,
    };
    let layout = draw_frame(&p, &frame)?;
    if layout.placeholder.is_some() {
        return Ok(layout);
    }
    let plot = layout.plot;
    let thin = px.stroke(1.0);
    if layout.x.contains(0.0) {
        p.vline(layout.x_px(0.0), plot.top, plot.bottom, thin, theme.axis)?;
    }
    if layout.y.contains(0.0) {
        p.hline(
            layout.y_px_on(false, 0.0),
            plot.left,
            plot.right,
            thin,
            theme.axis,
        )?;
    }

    // One marker per grid cell of a marker radius: a bitset over the plot, indices widened to u64.
    let cell = px.px(MARKER_RADIUS).max(1);
    let grid_w = u64::try_from(plot.width() / cell + 1).unwrap_or(1);
    let grid_h = u64::try_from(plot.height() / cell + 1).unwrap_or(1);
    let mut seen = vec![0u64; usize::try_from((grid_w * grid_h).div_ceil(64)).unwrap_or(0)];
    let color = theme.series_color(0);
    for i in points() {
        let (x, y) = (layout.x_px(spec.xs[i]), layout.y_px_on(false, spec.ys[i]));
        if !plot.contains(x, y) {
            continue;
        }
        let bit = u64::try_from((y - plot.top) / cell).unwrap_or(0) * grid_w
            + u64::try_from((x - plot.left) / cell).unwrap_or(0);
        let (word, mask) = (
            usize::try_from(bit / 64).unwrap_or(usize::MAX),
            1u64 << (bit % 64),
        );
        match seen.get_mut(word) {
            Some(w) if *w & mask == 0 => *w |= mask,
            _ => continue,
        }
        p.dot((x, y), MARKER_RADIUS, color.mix(0.55))?;
    }

    if let Some(((x0, y0), (x1, y1))) = spec.fit.and_then(|f| f.clip(layout.x, layout.y)) {
        let ends = [
            (layout.x_px(x0), layout.y_px_on(false, y0)),
            (layout.x_px(x1), layout.y_px_on(false, y1)),
        ];
        p.polyline(&ends, theme.accent.to_rgba(), px.stroke(2.0))?;
    }
    let entries = [
        LegendEntry {
            label: spec.points_label,
            color,
            swatch: Swatch::Dot,
            hidden: false,
            hit: None,
        },
        LegendEntry {
            label: if spec.fit.is_some() {
                spec.fit_label
            } else {
                ""
            },
            color: theme.accent,
            swatch: Swatch::Line,
            hidden: false,
            hit: None,
        },
    ];
    draw_legend(&p, plot, &entries)?;
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: f64, max: f64) -> AxisRange {
        AxisRange { min, max }
    }

    #[test]
    fn the_fit_is_clipped_to_the_plot_box() {
        let fit = LinearFit {
            slope: 2.0,
            intercept: 0.0,
        };
        assert_eq!(
            fit.clip(range(-10.0, 10.0), range(-4.0, 4.0)),
            Some(((-2.0, -4.0), (2.0, 4.0)))
        );
        assert_eq!(
            fit.clip(range(0.0, 1.0), range(-4.0, 4.0)),
            Some(((0.0, 0.0), (1.0, 2.0)))
        );
    }

    #[test]
    fn a_flat_fit_outside_the_range_and_a_nan_fit_are_not_drawn() {
        let flat = LinearFit {
            slope: 0.0,
            intercept: 9.0,
        };
        assert_eq!(flat.clip(range(0.0, 1.0), range(0.0, 1.0)), None);
        let nan = LinearFit {
            slope: f64::NAN,
            intercept: 0.0,
        };
        assert_eq!(nan.clip(range(0.0, 1.0), range(0.0, 1.0)), None);
    }
}
