//! Chart drawing: pure functions from a chart spec to plotters drawing calls, generic over [`DrawingBackend`].
//!
//! `chart` draws, `ui` composes (ARCHITECTURE.md): a draw function gets already-computed series, draws them on any
//! plotters backend and knows nothing of Leptos, the canvas or the network. Every chart kind has the same shape:
//!
//! ```text
//! fn draw_x<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, spec: &XSpec, theme: &ChartTheme, px: PixelScale)
//!     -> Result<ChartLayout, ChartError>
//! ```
//!
//! The returned [`ChartLayout`] is what interaction needs afterwards: the plot rectangle in pixels, the value ranges
//! on each axis (so a crosshair can map pixels to values and back) and the hit targets of legend entries,
//! annotations and network nodes (so the component can put links and toggles over them).
//!
//! Modules: [`decimate`] (min/max per pixel column), [`scale`], [`time_axis`] and [`format`](mod@format) (ticks and labels
//! with units), [`theme`] (light and dark, from `style/main.css`), and one module per chart kind: [`timeseries`],
//! [`bars`], [`heatmap`], [`scatter`], [`curve`], [`network`]. Captions (source, time of the data) are not drawn on
//! the canvas: the component writes them in HTML under the chart, where they can be read and selected.
//!
//! # Pixels and HiDPI
//! Everything is drawn in backing-store pixels. plotters-canvas 0.3.1 does not know about `devicePixelRatio`, so the
//! component sizes the canvas to CSS size × dpr (see [`PixelScale::backing_size`]), does *not* scale the context,
//! and passes the dpr in [`PixelScale`]: every font size, stroke width, margin and marker radius here is given in CSS
//! pixels and multiplied through it.
//!
//! # Speed
//! Long series are reduced to one min/max pair per pixel column ([`decimate`]) before they reach the backend, so a
//! redraw costs the same for 1e4 and 1e6 points, and spikes are never dropped. Text is never measured (measuring
//! forces a layout in the browser): label widths are estimated from their length, and there are few labels.
//!
//! # Snapshot tests
//! Every chart kind is rendered from seeded data with plotters' SVG backend and compared byte for byte with
//! `tests/snapshots/chart/<name>.svg`. After an intended change, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test -p leverage-lens --lib chart` and review the diff (plain SVG, opens in a browser).
//! Text in the snapshots is laid out without fonts (plotters' `ttf` feature is off), so they are identical on every
//! machine.

pub mod bars;
pub mod csv;
pub mod curve;
pub mod decimate;
pub mod figure;
pub mod format;
pub mod heatmap;
pub mod network;
pub mod scale;
pub mod scatter;
pub mod theme;
pub mod time_axis;
pub mod timeseries;
pub mod viewport;

mod annotate;
mod frame;
mod layout;
mod legend;
mod paint;

#[cfg(test)]
mod tests;

pub use annotate::Annotation;
pub use bars::{BarSpec, draw_bars};
pub use curve::{CurveSeries, CurveSpec, VerticalMarker, draw_curve};
pub use format::Unit;
pub use heatmap::{HeatmapSpec, IntensityScale, draw_heatmap};
pub use layout::{AxisRange, ChartLayout, HitKind, HitTarget, PixelRect, PixelScale};
pub use network::{NetworkEdge, NetworkNode, NetworkSpec, NodeState, draw_network};
pub use scatter::{LinearFit, ScatterSpec, draw_scatter};
pub use theme::ChartTheme;
pub use timeseries::{SeriesSpec, SeriesStyle, TimeSeriesSpec, draw_time_series};

use plotters::drawing::DrawingAreaErrorKind;

// Plotters' types in this module's signatures, re-exported so callers name the same ones (and the same version).
pub use plotters::coord::Shift;
pub use plotters::prelude::{DrawingArea, DrawingBackend};
pub use plotters::style::RGBColor;

/// What a value axis says about its numbers: the label with the unit ("Funding rate, % per 8h") and how tick
/// values are written.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ValueAxis<'a> {
    /// Drawn above the axis; name the quantity and its unit.
    pub label: &'a str,
    pub unit: Unit,
    /// A fixed range; `None` fits the visible data with a little padding.
    pub range: Option<(f64, f64)>,
}

impl<'a> ValueAxis<'a> {
    pub fn new(label: &'a str, unit: Unit) -> Self {
        Self {
            label,
            unit,
            range: None,
        }
    }

    pub fn with_range(self, min: f64, max: f64) -> Self {
        Self {
            range: Some((min, max)),
            ..self
        }
    }
}

/// Which value axis a series or annotation is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YAxisSide {
    #[default]
    Left,
    Right,
}

/// The colour role of a marker or annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Text colour: an event with no side (a gap-risk window).
    #[default]
    Neutral,
    /// Long colour: longs paid, a long squeeze's entry.
    Long,
    /// Short colour: a liquidation price, a liquidation burst, an OI flush.
    Short,
    /// Warning colour: a funding extreme, stress.
    Warning,
}

impl Tone {
    pub fn color(self, theme: &ChartTheme) -> plotters::style::RGBColor {
        match self {
            Tone::Neutral => theme.text,
            Tone::Long => theme.long,
            Tone::Short => theme.short,
            Tone::Warning => theme.warning,
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// The backend refused a drawing call (the canvas went away, the SVG target was borrowed twice, …).
    Backend(String),
    /// The spec contradicts itself (slices of different lengths, an edge to a node that does not exist, …); the
    /// text says which field.
    InvalidSpec(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartError::Backend(e) => write!(f, "the chart could not be drawn: {e}"),
            ChartError::InvalidSpec(e) => write!(f, "invalid chart data: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Backend(e.to_string())
    }
}
