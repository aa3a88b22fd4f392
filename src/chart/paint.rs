//! Small drawing primitives shared by every chart kind, in pixel coordinates of the area: crisp axis-aligned lines,
//! polylines that break at gaps, text with a background plate, and a text width estimate that never asks the
//! browser to lay anything out.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontStyle, RGBAColor, RGBColor, ShapeStyle, TextStyle};

use super::ChartError;
use super::layout::{PixelRect, PixelScale};
use super::theme::ChartTheme;

pub(crate) type Area<DB> = DrawingArea<DB, Shift>;
pub(crate) type Point = (i32, i32);

/// Where a text's anchor point sits relative to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    LeftTop,
    LeftMiddle,
    RightMiddle,
    RightTop,
    RightBottom,
    CenterTop,
    CenterMiddle,
    CenterBottom,
}

impl Anchor {
    fn pos(self) -> Pos {
        let (h, v) = match self {
            Anchor::LeftTop => (HPos::Left, VPos::Top),
            Anchor::LeftMiddle => (HPos::Left, VPos::Center),
            Anchor::RightMiddle => (HPos::Right, VPos::Center),
            Anchor::RightTop => (HPos::Right, VPos::Top),
            Anchor::RightBottom => (HPos::Right, VPos::Bottom),
            Anchor::CenterTop => (HPos::Center, VPos::Top),
            Anchor::CenterMiddle => (HPos::Center, VPos::Center),
            Anchor::CenterBottom => (HPos::Center, VPos::Bottom),
        };
        Pos::new(h, v)
    }
}

/// The drawing context of one chart: the area, the theme and the pixel scale.
pub(crate) struct Painter<'a, DB: DrawingBackend> {
    pub area: &'a Area<DB>,
    pub theme: &'a ChartTheme,
    pub px: PixelScale,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    /// The font size in device pixels for a size relative to the theme's (1.0 = labels).
    pub fn font_px(&self, relative: f64) -> f64 {
        self.px.font(self.theme.font_size * relative)
    }

    /// Estimated width of `text` at `font_px`: 0.6 em per character is close for system sans-serif digits and
    /// lowercase, and measuring for real would force a browser layout per label.
    pub fn text_width(&self, text: &str, font_px: f64) -> i32 {
        (text.chars().count() as f64 * font_px * 0.6).ceil() as i32
    }

    pub fn text(
        &self,
        text: &str,
        at: Point,
        anchor: Anchor,
        color: RGBColor,
        font_px: f64,
    ) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        let style = TextStyle {
            font: FontDesc::new(self.theme.font_family.into(), font_px, FontStyle::Normal),
            color: color.to_backend_color(),
            pos: anchor.pos(),
        };
        self.area.draw(&Text::new(text, at, style))?;
        Ok(())
    }

    /// Text on a plate of the background colour, so it stays legible over lines and heatmap cells. Returns the
    /// plate's rectangle (a hit target). `at` is the plate's top-left corner.
    pub fn label(&self, text: &str, at: Point, color: RGBColor) -> Result<PixelRect, ChartError> {
        let font = self.font_px(1.0);
        let pad = self.px.px(3.0);
        let rect = PixelRect {
            left: at.0,
            top: at.1,
            right: at.0 + self.text_width(text, font) + 2 * pad,
            bottom: at.1 + font.ceil() as i32 + 2 * pad,
        };
        self.fill_rect(rect, self.theme.background.mix(0.85))?;
        self.text(
            text,
            (rect.left + pad, rect.top + pad),
            Anchor::LeftTop,
            color,
            font,
        )?;
        Ok(rect)
    }

    /// A filled rectangle; also how axis-aligned lines are drawn, which keeps them on whole pixels (crisp on a
    /// canvas, where a 1-px stroke centred on a pixel edge is smeared over two).
    pub fn fill_rect(&self, r: PixelRect, color: impl Color) -> Result<(), ChartError> {
        if r.right <= r.left || r.bottom <= r.top {
            return Ok(());
        }
        self.area.draw(&Rectangle::new(
            [(r.left, r.top), (r.right, r.bottom)],
            color.filled(),
        ))?;
        Ok(())
    }

    pub fn hline(
        &self,
        y: i32,
        x0: i32,
        x1: i32,
        width: u32,
        color: impl Color,
    ) -> Result<(), ChartError> {
        let w = width as i32;
        self.fill_rect(
            PixelRect {
                left: x0.min(x1),
                top: y - w / 2,
                right: x0.max(x1) + 1,
                bottom: y - w / 2 + w,
            },
            color,
        )
    }

    pub fn vline(
        &self,
        x: i32,
        y0: i32,
        y1: i32,
        width: u32,
        color: impl Color,
    ) -> Result<(), ChartError> {
        let w = width as i32;
        self.fill_rect(
            PixelRect {
                left: x - w / 2,
                top: y0.min(y1),
                right: x - w / 2 + w,
                bottom: y0.max(y1) + 1,
            },
            color,
        )
    }

    pub fn dashed_vline(
        &self,
        x: i32,
        y0: i32,
        y1: i32,
        color: impl Color,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle::from(color.to_rgba()).stroke_width(self.px.stroke(1.0));
        self.area.draw(&DashedPathElement::new(
            vec![(x, y0), (x, y1)],
            self.px.px(4.0).max(1),
            self.px.px(3.0).max(1),
            style,
        ))?;
        Ok(())
    }

    /// A polyline; single points and empty slices draw nothing (a single point is drawn as a dot by callers).
    pub fn polyline(
        &self,
        points: &[Point],
        color: RGBAColor,
        width: u32,
    ) -> Result<(), ChartError> {
        if points.len() < 2 {
            return Ok(());
        }
        self.area.draw(&PathElement::new(
            points.to_vec(),
            ShapeStyle::from(color).stroke_width(width),
        ))?;
        Ok(())
    }

    pub fn polygon(&self, points: Vec<Point>, color: RGBAColor) -> Result<(), ChartError> {
        if points.len() < 3 {
            return Ok(());
        }
        self.area.draw(&Polygon::new(points, color.filled()))?;
        Ok(())
    }

    pub fn dot(&self, at: Point, radius_css: f64, fill: RGBAColor) -> Result<(), ChartError> {
        self.area.draw(&Circle::new(
            at,
            self.px.px(radius_css).max(1),
            fill.filled(),
        ))?;
        Ok(())
    }

    /// A dot with a ring of the background colour, so it stands out on top of lines.
    pub fn ringed_dot(&self, at: Point, radius_css: f64, fill: RGBColor) -> Result<(), ChartError> {
        self.dot(at, radius_css + 1.5, self.theme.background.to_rgba())?;
        self.dot(at, radius_css, fill.to_rgba())
    }

    /// A centred message instead of a chart.
    pub fn placeholder(&self, message: &str) -> Result<(), ChartError> {
        let (w, h) = self.area.dim_in_pixel();
        let (w, h) = (
            i32::try_from(w).unwrap_or(i32::MAX),
            i32::try_from(h).unwrap_or(i32::MAX),
        );
        self.text(
            message,
            (w / 2, h / 2),
            Anchor::CenterMiddle,
            self.theme.muted,
            self.font_px(1.15),
        )
    }
}

/// Splits a polyline into runs at the points that start a new segment, dropping pixels that repeat the previous
/// one (many points per pixel add nothing but vertices).
pub(crate) fn segments(points: impl Iterator<Item = (Point, bool)>) -> Vec<Vec<Point>> {
    let mut out: Vec<Vec<Point>> = Vec::new();
    for (p, starts_segment) in points {
        match out.last_mut() {
            Some(run) if !starts_segment => {
                if run.last() != Some(&p) {
                    run.push(p);
                }
            }
            _ => out.push(vec![p]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_break_at_gaps_and_skip_repeated_pixels() {
        let pts = [
            ((0, 0), false),
            ((0, 0), false),
            ((1, 1), false),
            ((5, 5), true),
            ((6, 6), false),
        ];
        assert_eq!(
            segments(pts.into_iter()),
            vec![vec![(0, 0), (1, 1)], vec![(5, 5), (6, 6)]]
        );
    }
}
