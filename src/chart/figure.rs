//! Charts as owned data: what a page or a live example wants drawn, independent of any canvas. Each figure
//! turns into the borrowed spec of its drawing function when it is drawn, so the same figure draws on the
//! browser canvas and into an SVG in native tests.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::format::format_value;
use super::heatmap::CellPainter;
use super::viewport::nearest_index;
use super::{
    BarSpec, ChartError, ChartLayout, ChartTheme, CurveSeries, CurveSpec, HeatmapSpec,
    IntensityScale, LinearFit, NetworkEdge, NetworkNode, NetworkSpec, NodeState, PixelScale,
    ScatterSpec, Tone, Unit, ValueAxis, VerticalMarker, draw_bars, draw_curve, draw_heatmap,
    draw_network, draw_scatter,
};

/// One series of a time chart, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    pub label: String,
    pub times_ms: Vec<i64>,
    pub values: Vec<f64>,
    pub area: bool,
    pub right_axis: bool,
}

/// A marker on a notable event, linked to the glossary term that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartMarker {
    pub time_ms: i64,
    pub value: Option<f64>,
    pub label: String,
    pub term_slug: &'static str,
    pub right_axis: bool,
}

/// Everything a time chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChartData {
    pub series: Vec<ChartSeries>,
    pub y_label: String,
    pub y_unit: Unit,
    pub y2: Option<(String, Unit)>,
    pub markers: Vec<ChartMarker>,
    /// Where the data comes from and its time, written under the chart.
    pub caption: String,
    /// One sentence for screen readers and the summary line.
    pub summary: String,
}

impl TimeChartData {
    pub fn extent(&self) -> Option<(i64, i64)> {
        let first = self
            .series
            .iter()
            .filter_map(|s| s.times_ms.first())
            .min()?;
        let last = self.series.iter().filter_map(|s| s.times_ms.last()).max()?;
        Some((*first, *last))
    }

    pub fn unit_of(&self, series: &ChartSeries) -> Unit {
        match (&self.y2, series.right_axis) {
            (Some((_, unit)), true) => *unit,
            _ => self.y_unit,
        }
    }

    /// The crosshair's readout at `time_ms`: each visible series' nearest value as (label, text), found by binary
    /// search, and the time of the point shown.
    pub fn readout_at(&self, hidden: &[bool], time_ms: i64) -> (i64, Vec<(String, String)>) {
        let mut at = time_ms;
        let rows = self
            .visible(hidden)
            .filter_map(|s| {
                let i = nearest_index(&s.times_ms, time_ms)?;
                at = s.times_ms[i];
                Some((s.label.clone(), format_value(s.values[i], self.unit_of(s))))
            })
            .collect();
        (at, rows)
    }

    /// The data in `a..=b` as rows: the visible series' labels, every time any of them has in the range, and one
    /// column per series (NaN where a series has no value at a time). What the CSV export and the table hold.
    pub fn rows_in_view(
        &self,
        hidden: &[bool],
        a: i64,
        b: i64,
    ) -> (Vec<String>, Vec<i64>, Vec<Vec<f64>>) {
        let mut times: Vec<i64> = self
            .visible(hidden)
            .flat_map(|s| s.times_ms.iter().copied().filter(|t| (a..=b).contains(t)))
            .collect();
        lens_math::sort::sort(&mut times);
        times.dedup();
        let columns = self
            .visible(hidden)
            .map(|s| {
                times
                    .iter()
                    .map(|t| {
                        s.times_ms
                            .binary_search(t)
                            .map_or(f64::NAN, |i| s.values[i])
                    })
                    .collect()
            })
            .collect();
        let labels = self.visible(hidden).map(|s| s.label.clone()).collect();
        (labels, times, columns)
    }

    /// The series not hidden by their legend button.
    fn visible<'a>(&'a self, hidden: &'a [bool]) -> impl Iterator<Item = &'a ChartSeries> + 'a {
        self.series
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden.get(*i).copied().unwrap_or(false))
            .map(|(_, s)| s)
    }
}

/// The numbers behind a chart as text, for the "Data table" toggle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl ChartTable {
    pub fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Self {
        Self {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }
}

/// An axis title and how its numbers are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub label: String,
    pub unit: Unit,
}

impl Axis {
    pub fn new(label: impl Into<String>, unit: Unit) -> Self {
        Self {
            label: label.into(),
            unit,
        }
    }

    fn spec(&self) -> ValueAxis<'_> {
        ValueAxis::new(&self.label, self.unit)
    }
}

/// Signed bars over time (funding per period, net flows).
#[derive(Debug, Clone, PartialEq)]
pub struct BarsFigure {
    pub times_ms: Vec<i64>,
    pub values: Vec<f64>,
    pub bar_ms: Option<i64>,
    pub y: Axis,
    pub positive_label: String,
    pub negative_label: String,
}

/// One line of a curve chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveLine {
    pub label: String,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

/// A labelled vertical line on a curve chart (entry, liquidation price).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveMarker {
    pub x: f64,
    pub label: String,
    pub tone: Tone,
}

/// Lines of y against x (P&L against price, a quantity against leverage or strike).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveFigure {
    pub curves: Vec<CurveLine>,
    pub markers: Vec<CurveMarker>,
    pub x: Axis,
    pub y: Axis,
    pub zero_line: bool,
}

/// Points with an optional fitted line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterFigure {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub points_label: String,
    pub fit: Option<LinearFit>,
    pub fit_label: String,
    pub x: Axis,
    pub y: Axis,
}

/// A time × price grid of intensities with a price line on top.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapFigure {
    pub columns: u32,
    pub rows: u32,
    /// `cells[row × columns + column]`, row 0 the lowest price band.
    pub cells: Vec<f32>,
    pub time_range_ms: (i64, i64),
    pub price_range: (f64, f64),
    pub price_times_ms: Vec<i64>,
    pub prices: Vec<f64>,
    pub price_label: String,
    pub y: Axis,
    pub intensity_label: String,
    pub intensity_unit: Unit,
}

/// Nodes (label, state, relative size) and weighted edges.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFigure {
    pub nodes: Vec<(String, NodeState, f64)>,
    pub edges: Vec<NetworkEdge>,
}

/// Anything a live example draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Interactive (zoom, crosshair): drawn by the time-chart component.
    Time(TimeChartData),
    Bars(BarsFigure),
    Curve(CurveFigure),
    Scatter(ScatterFigure),
    Heatmap(HeatmapFigure),
    Network(NetworkFigure),
}

impl Figure {
    /// Draws a static figure. A time figure is drawn by its interactive component and is refused here.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &ChartTheme,
        px: PixelScale,
        cell_painter: Option<CellPainter<'_>>,
    ) -> Result<ChartLayout, ChartError> {
        match self {
            Figure::Time(_) => Err(ChartError::InvalidSpec(
                "a time chart is drawn by its interactive component".into(),
            )),
            Figure::Bars(f) => draw_bars(
                area,
                &BarSpec {
                    times_ms: &f.times_ms,
                    values: &f.values,
                    bar_ms: f.bar_ms,
                    window_ms: None,
                    y_axis: f.y.spec(),
                    time_label: "UTC",
                    positive_label: &f.positive_label,
                    negative_label: &f.negative_label,
                    annotations: Vec::new(),
                },
                theme,
                px,
            ),
            Figure::Curve(f) => draw_curve(
                area,
                &CurveSpec {
                    curves: f
                        .curves
                        .iter()
                        .map(|c| CurveSeries::new(&c.label, &c.xs, &c.ys))
                        .collect(),
                    markers: f
                        .markers
                        .iter()
                        .map(|m| VerticalMarker {
                            x: m.x,
                            label: &m.label,
                            tone: m.tone,
                        })
                        .collect(),
                    x_axis: f.x.spec(),
                    y_axis: f.y.spec(),
                    zero_line: f.zero_line,
                },
                theme,
                px,
            ),
            Figure::Scatter(f) => draw_scatter(
                area,
                &ScatterSpec {
                    xs: &f.xs,
                    ys: &f.ys,
                    points_label: &f.points_label,
                    fit: f.fit,
                    fit_label: &f.fit_label,
                    x_axis: f.x.spec(),
                    y_axis: f.y.spec(),
                },
                theme,
                px,
            ),
            Figure::Heatmap(f) => draw_heatmap(
                area,
                &HeatmapSpec {
                    columns: f.columns,
                    rows: f.rows,
                    cells: &f.cells,
                    time_range_ms: f.time_range_ms,
                    price_range: f.price_range,
                    scale: IntensityScale::Log { decades: 3.0 },
                    max_intensity: None,
                    price_times_ms: &f.price_times_ms,
                    prices: &f.prices,
                    price_label: &f.price_label,
                    window_ms: None,
                    y_axis: f.y.spec(),
                    intensity_label: &f.intensity_label,
                    intensity_unit: f.intensity_unit,
                    time_label: "UTC",
                    cell_painter,
                },
                theme,
                px,
            ),
            Figure::Network(f) => draw_network(
                area,
                &NetworkSpec {
                    nodes: f
                        .nodes
                        .iter()
                        .map(|(label, state, size)| NetworkNode {
                            label,
                            state: *state,
                            size: *size,
                        })
                        .collect(),
                    edges: f.edges.clone(),
                },
                theme,
                px,
            ),
        }
    }
}

/// One chart of a live example with its title, text alternative, source line and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Unique on its page; used for element ids and export file names.
    pub id: &'static str,
    pub title: String,
    pub figure: Figure,
    pub summary: String,
    pub caption: String,
    pub table: ChartTable,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: &str, times_ms: Vec<i64>, values: Vec<f64>, right_axis: bool) -> ChartSeries {
        ChartSeries {
            label: label.to_string(),
            times_ms,
            values,
            area: false,
            right_axis,
        }
    }

    fn chart() -> TimeChartData {
        TimeChartData {
            series: vec![
                series("price", vec![0, 10, 20], vec![100.0, 101.0, 102.0], false),
                series("oi", vec![10, 30], vec![5.0, 6.0], true),
            ],
            y_label: "Price".into(),
            y_unit: Unit::Usd,
            y2: Some(("OI".into(), Unit::Plain)),
            markers: Vec::new(),
            caption: String::new(),
            summary: String::new(),
        }
    }

    #[test]
    fn rows_in_view_merge_the_times_and_leave_gaps_as_nan() {
        let (labels, times, columns) = chart().rows_in_view(&[], 5, 30);
        assert_eq!(labels, ["price", "oi"]);
        assert_eq!(times, [10, 20, 30]);
        assert_eq!(columns[0][..2], [101.0, 102.0]);
        assert!(columns[0][2].is_nan() && columns[1][1].is_nan());
        assert_eq!(columns[1][2], 6.0);
        let (labels, _, columns) = chart().rows_in_view(&[true], 0, 30);
        assert_eq!(
            (labels.len(), columns.len()),
            (1, 1),
            "a hidden series leaves the rows"
        );
    }

    #[test]
    fn the_readout_takes_each_visible_series_at_its_nearest_point() {
        let (at, rows) = chart().readout_at(&[], 19);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "price");
        assert_eq!(rows[1].0, "oi");
        // The time shown is that of the last series read (oi's nearest point to 19 is 10 or 30).
        assert!(at == 10 || at == 30, "{at}");
        let (_, rows) = chart().readout_at(&[false, true], 19);
        assert_eq!(rows.len(), 1);
    }
}
