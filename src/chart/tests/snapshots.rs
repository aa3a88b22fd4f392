//! SVG snapshots of every chart kind, drawn from seeded data and compared byte for byte (see [`super::support`]
//! for the files and `UPDATE_SNAPSHOTS=1`).

use super::data::*;
use super::support::{assert_snapshot, render};
use crate::chart::*;

fn price_and_oi_spec<'a>(
    prices: &'a (Vec<i64>, Vec<f64>),
    oi: &'a (Vec<i64>, Vec<f64>),
    window_ms: Option<(i64, i64)>,
) -> TimeSeriesSpec<'a> {
    let (pt, pv) = prices;
    let (ot, ov) = oi;
    TimeSeriesSpec {
        series: vec![
            SeriesSpec::line("BTC mark price", pt, pv),
            SeriesSpec::area("Open interest", ot, ov).on_right_axis(),
            SeriesSpec::line("Index price", pt, pv).hidden(true),
        ],
        window_ms,
        y_axis: ValueAxis::new("Price, USD", Unit::Usd),
        y2_axis: Some(ValueAxis::new("Open interest, USD", Unit::Usd)),
        time_label: "Time, UTC",
        annotations: vec![
            Annotation {
                time_ms: pt[200],
                value: Some(pv[200]),
                label: "Funding extreme",
                tone: Tone::Warning,
                axis: YAxisSide::Left,
            },
            Annotation {
                time_ms: ot[450],
                value: Some(ov[450]),
                label: "OI flush",
                tone: Tone::Short,
                axis: YAxisSide::Right,
            },
            Annotation {
                time_ms: pt[600],
                value: None,
                label: "Weekend gap",
                tone: Tone::Neutral,
                axis: YAxisSide::Left,
            },
        ],
    }
}

#[test]
fn time_series_with_two_axes_legend_and_annotations() {
    let (prices, oi) = (hourly_prices(), hourly_open_interest());
    let spec = price_and_oi_spec(&prices, &oi, None);
    let (svg, layout) = render(720, 360, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("time_series_light", &svg);
    assert!(layout.y2.is_some());
    assert_eq!(
        layout.hit(layout.plot.left + 12, layout.plot.top + 10),
        Some(HitKind::LegendEntry(0))
    );
    assert!(
        layout
            .hit_targets
            .iter()
            .any(|t| t.kind == HitKind::Annotation(2))
    );
}

#[test]
fn time_series_zoomed_dark_at_dpr_2() {
    let (prices, oi) = (hourly_prices(), hourly_open_interest());
    let from = START_MS + 10 * ONE_DAY_MS + 1_800_000;
    let spec = price_and_oi_spec(&prices, &oi, Some((from, from + 3 * ONE_DAY_MS)));
    let (svg, layout) = render(1440, 720, |a| {
        draw_time_series(a, &spec, &ChartTheme::dark(), PixelScale::new(2.0))
    });
    assert_snapshot("time_series_dark_dpr2", &svg);
    assert_eq!(layout.x.min, from as f64);
    assert!(
        svg.contains("font-size=\"19.35"),
        "fonts are scaled by the dpr (24 px / 1.24 in plotters' SVG)"
    );
}

#[test]
fn a_million_points_are_decimated_and_keep_their_spikes() {
    let (times, values) = million_points();
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("Trade price", &times, &values)],
        window_ms: None,
        y_axis: ValueAxis::new("Price, USD", Unit::Usd),
        y2_axis: None,
        time_label: "Time, UTC",
        annotations: vec![],
    };
    let (svg, layout) = render(600, 300, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("time_series_million_points", &svg);
    assert!(
        svg.len() < 200_000,
        "decimated to about two points per column, not a million"
    );
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(
        layout.y.min < low && layout.y.max > high,
        "both spikes are inside the axis range"
    );
}

fn funding_spec<'a>(funding: &'a (Vec<i64>, Vec<f64>)) -> BarSpec<'a> {
    let max = funding
        .1
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::MIN), |m, (i, v)| if v > m.1 { (i, v) } else { m });
    BarSpec {
        times_ms: &funding.0,
        values: &funding.1,
        bar_ms: Some(8 * 3_600_000),
        window_ms: None,
        y_axis: ValueAxis::new("Funding rate, % per 8h", Unit::Percent),
        time_label: "Time, UTC",
        positive_label: "Longs pay",
        negative_label: "Shorts pay",
        annotations: vec![Annotation {
            time_ms: funding.0[max.0],
            value: Some(max.1),
            label: "Funding extreme",
            tone: Tone::Warning,
            axis: YAxisSide::Left,
        }],
    }
}

#[test]
fn funding_bars_coloured_by_sign() {
    let funding = funding_8h();
    let spec = funding_spec(&funding);
    let (svg, layout) = render(720, 300, |a| {
        draw_bars(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("bars_funding", &svg);
    assert!(layout.y.contains(0.0));
}

#[test]
fn dense_bars_are_drawn_per_pixel_column() {
    let (times, values) = random_walk(8, 5_000, 3_600_000, 1.0, 0.5);
    let values: Vec<f64> = values.iter().map(|v| v.ln() * 0.001).collect();
    let spec = BarSpec {
        times_ms: &times,
        values: &values,
        bar_ms: None,
        window_ms: None,
        y_axis: ValueAxis::new("Net taker flow, BTC", Unit::Suffix(" BTC")),
        time_label: "Time, UTC",
        positive_label: "Buying",
        negative_label: "Selling",
        annotations: vec![],
    };
    let (svg, _) = render(480, 240, |a| {
        draw_bars(a, &spec, &ChartTheme::dark(), PixelScale::ONE)
    });
    assert_snapshot("bars_dense", &svg);
}

#[test]
fn liquidation_heatmap_with_price_line() {
    let prices = hourly_prices();
    let cells = liquidation_cells(80, 40);
    let spec = HeatmapSpec {
        columns: 80,
        rows: 40,
        cells: &cells,
        time_range_ms: (START_MS, START_MS + 30 * ONE_DAY_MS),
        price_range: (80_000.0, 110_000.0),
        scale: IntensityScale::Log { decades: 2.0 },
        max_intensity: None,
        price_times_ms: &prices.0,
        prices: &prices.1,
        price_label: "BTC mark price",
        window_ms: None,
        y_axis: ValueAxis::new("Price, USD", Unit::Usd),
        intensity_label: "Liquidations",
        intensity_unit: Unit::Usd,
        time_label: "Time, UTC",
        cell_painter: None,
    };
    let (svg, _) = render(720, 360, |a| {
        draw_heatmap(a, &spec, &ChartTheme::dark(), PixelScale::ONE)
    });
    assert_snapshot("heatmap_liquidations", &svg);
}

#[test]
fn scatter_with_fitted_line() {
    let (xs, ys) = ofi_observations();
    let spec = ScatterSpec {
        xs: &xs,
        ys: &ys,
        points_label: "Hourly observations",
        fit: Some(LinearFit {
            slope: 0.004,
            intercept: 0.0,
        }),
        fit_label: "Fit: ΔP = 0.40 % × OFI",
        x_axis: ValueAxis::new("Order-flow imbalance, σ", Unit::Plain),
        y_axis: ValueAxis::new("Price change next hour, %", Unit::Percent),
    };
    let (svg, _) = render(480, 360, |a| {
        draw_scatter(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("scatter_ofi", &svg);
}

#[test]
fn pnl_curves_with_entry_and_liquidation_markers() {
    let (long, short) = (pnl_curve(10.0, true), pnl_curve(5.0, false));
    let spec = CurveSpec {
        curves: vec![
            CurveSeries::new("Long 10×", &long.0, &long.1),
            CurveSeries::new("Short 5×", &short.0, &short.1),
        ],
        markers: vec![
            VerticalMarker {
                x: 95_000.0,
                label: "Entry",
                tone: Tone::Neutral,
            },
            VerticalMarker {
                x: liquidation_price(10.0, true),
                label: "Long liquidation",
                tone: Tone::Short,
            },
            VerticalMarker {
                x: liquidation_price(5.0, false),
                label: "Short liquidation",
                tone: Tone::Short,
            },
        ],
        x_axis: ValueAxis::new("BTC price, USD", Unit::Usd),
        y_axis: ValueAxis::new("P&L, USD", Unit::Usd),
        zero_line: true,
    };
    let (svg, layout) = render(640, 320, |a| {
        draw_curve(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("curve_pnl", &svg);
    assert!(
        layout.x.contains(liquidation_price(5.0, false)),
        "markers are inside the x range"
    );
}

#[test]
fn network_diagram_of_contagion() {
    let (nodes, edges) = contagion_network();
    let spec = NetworkSpec { nodes, edges };
    let (svg, layout) = render(480, 400, |a| {
        draw_network(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("network_contagion", &svg);
    assert_eq!(layout.hit_targets.len(), 8);
    let top = layout.hit_targets[0].rect;
    assert_eq!(
        layout.hit((top.left + top.right) / 2, (top.top + top.bottom) / 2),
        Some(HitKind::Node(0))
    );
}

#[test]
fn an_empty_chart_shows_a_placeholder() {
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("Funding", &[], &[])],
        window_ms: None,
        y_axis: ValueAxis::new("Funding rate, %", Unit::Percent),
        y2_axis: None,
        time_label: "Time, UTC",
        annotations: vec![],
    };
    let (svg, layout) = render(400, 200, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert_snapshot("placeholder_empty", &svg);
    assert_eq!(
        layout.placeholder.as_deref(),
        Some("No data in this time range")
    );
}
