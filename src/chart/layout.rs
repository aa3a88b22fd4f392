//! Where things landed: the device-pixel scale, the plot rectangle and the value ↔ pixel mapping a draw function
//! returns for interaction.

/// The device-pixel ratio every CSS-pixel size is multiplied by (fonts, strokes, margins, radii).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelScale {
    dpr: f64,
}

impl Default for PixelScale {
    fn default() -> Self {
        Self::ONE
    }
}

impl PixelScale {
    /// A standard-density screen (and the SVG snapshots).
    pub const ONE: PixelScale = PixelScale { dpr: 1.0 };

    /// The ratio reported by the browser; anything not finite or not positive counts as 1, and extreme zoom levels
    /// are held to 0.25–8 so a bad value cannot ask for a gigapixel canvas.
    pub fn new(dpr: f64) -> Self {
        let dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr.clamp(0.25, 8.0)
        } else {
            1.0
        };
        Self { dpr }
    }

    pub fn dpr(self) -> f64 {
        self.dpr
    }

    /// A length in CSS pixels as whole device pixels.
    pub fn px(self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// A stroke width in CSS pixels as device pixels, at least 1 so thin lines never vanish.
    pub fn stroke(self, css: f64) -> u32 {
        ((css * self.dpr).round() as u32).max(1)
    }

    /// A font size in CSS pixels as device pixels.
    pub fn font(self, css: f64) -> f64 {
        css * self.dpr
    }

    /// The canvas backing store for an element of `css_width` × `css_height` CSS pixels: the canvas's `width` and
    /// `height` attributes, while its style keeps the CSS size.
    pub fn backing_size(self, css_width: f64, css_height: f64) -> (u32, u32) {
        let device = |css: f64| {
            if css.is_finite() && css > 0.0 {
                (css * self.dpr).round().min(16_384.0) as u32
            } else {
                0
            }
        };
        (device(css_width), device(css_height))
    }
}

/// A rectangle in backing-store pixels, relative to the top-left corner of the drawing area that was passed in.
/// `left`/`top` is the first pixel, `right`/`bottom` the last: a value at the axis maximum maps to `right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PixelRect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl PixelRect {
    pub const fn new(left: i32, top: i32, right: i32, bottom: i32) -> Self {
        Self {
            left,
            top,
            right,
            bottom,
        }
    }

    pub fn width(&self) -> i32 {
        self.right - self.left
    }

    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }

    pub fn contains(&self, x: i32, y: i32) -> bool {
        (self.left..=self.right).contains(&x) && (self.top..=self.bottom).contains(&y)
    }
}

/// The value range shown along one axis; `min < max` always holds (constant data gets a padded range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisRange {
    pub min: f64,
    pub max: f64,
}

impl AxisRange {
    /// Position of `v` along the axis: 0 at `min`, 1 at `max` (outside 0–1 beyond the range).
    pub fn fraction(&self, v: f64) -> f64 {
        (v - self.min) / (self.max - self.min)
    }

    pub fn at_fraction(&self, f: f64) -> f64 {
        self.min + f * (self.max - self.min)
    }

    pub fn contains(&self, v: f64) -> bool {
        v >= self.min && v <= self.max
    }
}

/// What sits under a hit target, by index into the spec that was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// `spec.series[i]`'s legend entry: toggles the series.
    LegendEntry(usize),
    /// `spec.annotations[i]`'s label: links to its glossary term.
    Annotation(usize),
    /// `spec.nodes[i]` of a network diagram.
    Node(usize),
}

/// A clickable region the component can overlay with a link or a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HitTarget {
    pub kind: HitKind,
    pub rect: PixelRect,
}

/// Where a chart landed, for the interaction layer: map pointer pixels to values and back, find what was clicked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLayout {
    /// The plot rectangle (inside the axes).
    pub plot: PixelRect,
    /// Horizontal axis: ms since the epoch for time charts, the value otherwise.
    pub x: AxisRange,
    /// Left value axis.
    pub y: AxisRange,
    /// Right value axis, when the chart has one.
    pub y2: Option<AxisRange>,
    pub hit_targets: Vec<HitTarget>,
    /// The message drawn instead of a chart ("No data in this range"), when there was nothing to draw.
    pub placeholder: Option<String>,
}

impl ChartLayout {
    pub(crate) fn new(plot: PixelRect, x: AxisRange, y: AxisRange) -> Self {
        Self {
            plot,
            x,
            y,
            y2: None,
            hit_targets: Vec::new(),
            placeholder: None,
        }
    }

    /// The horizontal pixel of an x value (not clamped to the plot).
    pub fn x_to_px(&self, x: f64) -> f64 {
        f64::from(self.plot.left) + self.x.fraction(x) * f64::from(self.plot.width())
    }

    /// The x value under a horizontal pixel.
    pub fn px_to_x(&self, px: f64) -> f64 {
        self.x
            .at_fraction((px - f64::from(self.plot.left)) / f64::from(self.plot.width().max(1)))
    }

    /// The vertical pixel of a left-axis value (pixels grow downwards).
    pub fn y_to_px(&self, y: f64) -> f64 {
        f64::from(self.plot.bottom) - self.y.fraction(y) * f64::from(self.plot.height())
    }

    /// The left-axis value under a vertical pixel.
    pub fn px_to_y(&self, px: f64) -> f64 {
        self.y
            .at_fraction((f64::from(self.plot.bottom) - px) / f64::from(self.plot.height().max(1)))
    }

    /// The vertical pixel of a value on the given axis (the left one when there is no right axis).
    pub fn y_to_px_on(&self, right_axis: bool, y: f64) -> f64 {
        match (right_axis, self.y2) {
            (true, Some(y2)) => {
                f64::from(self.plot.bottom) - y2.fraction(y) * f64::from(self.plot.height())
            }
            _ => self.y_to_px(y),
        }
    }

    /// The first hit target under a pixel.
    pub fn hit(&self, x: i32, y: i32) -> Option<HitKind> {
        self.hit_targets
            .iter()
            .find(|t| t.rect.contains(x, y))
            .map(|t| t.kind)
    }

    /// Integer pixel for drawing, held to a range the backends accept even for values far off the plot.
    pub(crate) fn x_px(&self, x: f64) -> i32 {
        clamp_px(self.x_to_px(x))
    }

    pub(crate) fn y_px_on(&self, right_axis: bool, y: f64) -> i32 {
        clamp_px(self.y_to_px_on(right_axis, y))
    }
}

pub(crate) fn clamp_px(v: f64) -> i32 {
    if v.is_nan() {
        0
    } else {
        v.round().clamp(-1_000_000.0, 1_000_000.0) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> ChartLayout {
        let plot = PixelRect::new(50, 10, 450, 210);
        ChartLayout::new(
            plot,
            AxisRange {
                min: 0.0,
                max: 100.0,
            },
            AxisRange {
                min: -1.0,
                max: 1.0,
            },
        )
    }

    #[test]
    fn pixels_and_values_round_trip() {
        let l = layout();
        assert_eq!(l.x_to_px(0.0), 50.0);
        assert_eq!(l.x_to_px(100.0), 450.0);
        assert_eq!(l.px_to_x(250.0), 50.0);
        assert_eq!(l.y_to_px(1.0), 10.0);
        assert_eq!(l.y_to_px(-1.0), 210.0);
        assert_eq!(l.px_to_y(110.0), 0.0);
    }

    #[test]
    fn backing_store_is_css_size_times_dpr() {
        assert_eq!(PixelScale::new(2.0).backing_size(400.0, 200.0), (800, 400));
        assert_eq!(PixelScale::new(1.5).backing_size(301.0, 0.0), (452, 0));
        assert_eq!(PixelScale::new(f64::NAN).dpr(), 1.0);
        assert_eq!(PixelScale::new(-2.0).dpr(), 1.0);
    }

    #[test]
    fn strokes_never_vanish_and_fonts_scale() {
        assert_eq!(PixelScale::new(0.5).stroke(1.0), 1);
        assert_eq!(PixelScale::new(2.0).stroke(1.5), 3);
        assert_eq!(PixelScale::new(2.0).font(12.0), 24.0);
    }

    #[test]
    fn far_off_values_are_clamped_to_drawable_pixels() {
        let l = layout();
        assert_eq!(l.x_px(1e30), 1_000_000);
        assert_eq!(l.x_px(f64::NAN), 0);
    }
}
