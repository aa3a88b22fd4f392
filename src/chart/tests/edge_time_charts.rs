//! Time charts (lines, bars, heatmap) on inputs that break charts elsewhere: empty, single-point, constant, NaN-only, NaN-containing, infinite, huge
//! and contradictory data, and areas too small to draw in. Every chart kind must draw a valid chart or a clear
//! placeholder, never panic, never put NaN into a coordinate or an axis range.

use super::support::{assert_valid, draw_checked};
use crate::chart::*;

const NAN: f64 = f64::NAN;
const T: [i64; 5] = [0, 3_600_000, 7_200_000, 10_800_000, 14_400_000];

fn line_chart(times: &[i64], values: &[f64]) -> Result<(String, ChartLayout), ChartError> {
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("s", times, values)],
        window_ms: None,
        y_axis: ValueAxis::new("Value", Unit::Plain),
        y2_axis: None,
        time_label: "Time, UTC",
        annotations: vec![],
    };
    draw_checked(400, 200, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    })
}

#[test]
fn time_series_edge_cases() {
    let placeholder = |t: &[i64], v: &[f64]| line_chart(t, v).unwrap().1.placeholder;
    assert!(placeholder(&[], &[]).is_some(), "empty");
    assert!(placeholder(&T, &[NAN; 5]).is_some(), "NaN only");
    for (name, values) in [
        ("single", vec![5.0]),
        ("constant", vec![2.0; 5]),
        ("with NaN", vec![1.0, NAN, 3.0, NAN, 5.0]),
        (
            "with infinities",
            vec![1.0, f64::INFINITY, 3.0, f64::NEG_INFINITY, 5.0],
        ),
        (
            "huge magnitudes",
            vec![1e300, -1e300, 0.0, f64::MAX, -f64::MAX],
        ),
        ("zero", vec![0.0; 5]),
    ] {
        let times = &T[..values.len()];
        let (svg, layout) = line_chart(times, &values).unwrap();
        assert_valid(&svg, &layout);
        assert!(layout.placeholder.is_none(), "{name} draws a chart");
    }
    let (svg, layout) = line_chart(&T[..1], &[5.0]).unwrap();
    assert!(
        layout.x.contains(0.0) && layout.y.contains(5.0),
        "a single point gets an axis around it"
    );
    assert!(svg.contains("<circle"), "a single point is drawn as a dot");
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    let times = [i64::MIN, 0, i64::MAX];
    let (svg, layout) = line_chart(&times, &[1.0, 2.0, 3.0]).unwrap();
    assert_valid(&svg, &layout);
    let (svg, layout) = bars(&times, &[1.0, -2.0, 3.0]).unwrap();
    assert_valid(&svg, &layout);
}

#[test]
fn nan_breaks_the_line_into_segments() {
    let (svg, _) = line_chart(&T, &[1.0, 2.0, NAN, 4.0, 5.0]).unwrap();
    assert_eq!(svg.matches("<polyline").count(), 2);
}

#[test]
fn contradictory_time_series_specs_are_errors() {
    assert!(matches!(
        line_chart(&T, &[1.0]),
        Err(ChartError::InvalidSpec(_))
    ));
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("s", &T, &[1.0; 5]).on_right_axis()],
        window_ms: None,
        y_axis: ValueAxis::default(),
        y2_axis: None,
        time_label: "",
        annotations: vec![],
    };
    let result = draw_checked(400, 200, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    });
    assert!(matches!(result, Err(ChartError::InvalidSpec(m)) if m.contains("right axis")));
}

#[test]
fn hidden_series_keep_the_frame_and_the_legend() {
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("Hidden", &T, &[1.0; 5]).hidden(true)],
        window_ms: None,
        y_axis: ValueAxis::new("Value", Unit::Plain),
        y2_axis: None,
        time_label: "Time, UTC",
        annotations: vec![],
    };
    let (svg, layout) = draw_checked(400, 200, |a| {
        draw_time_series(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    })
    .unwrap();
    assert!(layout.placeholder.is_none());
    assert_eq!(layout.hit_targets.len(), 1);
    assert!(!svg.contains("<polyline"));
}

#[test]
fn a_window_without_data_and_tiny_areas_show_placeholders() {
    let spec = TimeSeriesSpec {
        series: vec![SeriesSpec::line("s", &T, &[1.0; 5])],
        window_ms: Some((100_000_000, 200_000_000)),
        y_axis: ValueAxis::default(),
        y2_axis: None,
        time_label: "",
        annotations: vec![],
    };
    let draw = |w, h, px| {
        draw_checked(w, h, |a| {
            draw_time_series(a, &spec, &ChartTheme::light(), px)
        })
        .unwrap()
        .1
    };
    assert!(draw(400, 200, PixelScale::ONE).placeholder.is_some());
    let all = TimeSeriesSpec {
        window_ms: None,
        ..spec.clone()
    };
    for (w, h, dpr) in [(30, 20, 1.0), (1, 1, 1.0), (400, 200, 8.0)] {
        let layout = draw_checked(w, h, |a| {
            draw_time_series(a, &all, &ChartTheme::light(), PixelScale::new(dpr))
        })
        .unwrap()
        .1;
        assert_eq!(
            layout.placeholder.as_deref(),
            Some("Chart area too small"),
            "{w}×{h} at dpr {dpr}"
        );
    }
}

fn bars(times: &[i64], values: &[f64]) -> Result<(String, ChartLayout), ChartError> {
    let spec = BarSpec {
        times_ms: times,
        values,
        bar_ms: None,
        window_ms: None,
        y_axis: ValueAxis::new("Funding, %", Unit::Percent),
        time_label: "Time, UTC",
        positive_label: "",
        negative_label: "",
        annotations: vec![],
    };
    draw_checked(400, 200, |a| {
        draw_bars(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    })
}

#[test]
fn bar_edge_cases() {
    assert!(bars(&[], &[]).unwrap().1.placeholder.is_some());
    assert!(bars(&T, &[NAN; 5]).unwrap().1.placeholder.is_some());
    assert!(matches!(bars(&T, &[1.0]), Err(ChartError::InvalidSpec(_))));
    for values in [
        vec![0.0001],
        vec![0.0; 5],
        vec![-0.001; 5],
        vec![0.001, NAN, -0.002, f64::INFINITY, 0.0],
    ] {
        let (svg, layout) = bars(&T[..values.len()], &values).unwrap();
        assert_valid(&svg, &layout);
        assert!(layout.placeholder.is_none() && layout.y.contains(0.0));
    }
    let times: Vec<i64> = (0..1_000_000).map(|i| i * 60_000).collect();
    let values: Vec<f64> = (0..1_000_000)
        .map(|i| if i % 7 == 0 { -1.0 } else { f64::from(i % 13) })
        .collect();
    let (svg, layout) = bars(&times, &values).unwrap();
    assert_valid(&svg, &layout);
    assert!(
        svg.len() < 300_000,
        "a million bars are drawn per pixel column"
    );
}

fn heatmap(
    columns: u32,
    rows: u32,
    cells: &[f32],
    price_range: (f64, f64),
) -> Result<(String, ChartLayout), ChartError> {
    let spec = HeatmapSpec {
        columns,
        rows,
        cells,
        time_range_ms: (0, 86_400_000),
        price_range,
        scale: IntensityScale::Linear,
        max_intensity: None,
        price_times_ms: &T,
        prices: &[100.0, NAN, 101.0, 99.0, 100.0],
        price_label: "Price",
        window_ms: None,
        y_axis: ValueAxis::new("Price, USD", Unit::Usd),
        intensity_label: "Liquidations",
        intensity_unit: Unit::Usd,
        time_label: "Time, UTC",
        cell_painter: None,
    };
    draw_checked(400, 200, |a| {
        draw_heatmap(a, &spec, &ChartTheme::dark(), PixelScale::ONE)
    })
}

#[test]
fn heatmap_edge_cases() {
    assert!(
        heatmap(0, 0, &[], (90.0, 110.0))
            .unwrap()
            .1
            .placeholder
            .is_some()
    );
    assert!(matches!(
        heatmap(2, 2, &[1.0; 3], (90.0, 110.0)),
        Err(ChartError::InvalidSpec(_))
    ));
    assert!(matches!(
        heatmap(1, 1, &[1.0], (NAN, 110.0)),
        Err(ChartError::InvalidSpec(_))
    ));
    assert!(matches!(
        heatmap(1, 1, &[1.0], (110.0, 110.0)),
        Err(ChartError::InvalidSpec(_))
    ));
    for (columns, rows, cells) in [
        (1, 1, vec![5.0]),
        (3, 2, vec![f32::NAN; 6]),
        (3, 2, vec![0.0; 6]),
        (2, 2, vec![1.0, f32::NAN, -3.0, f32::INFINITY]),
    ] {
        let (svg, layout) = heatmap(columns, rows, &cells, (90.0, 110.0)).unwrap();
        assert_valid(&svg, &layout);
    }
    let cells: Vec<f32> = (0..100_000).map(|i| (i % 97) as f32).collect();
    let (svg, layout) = heatmap(500, 200, &cells, (90.0, 110.0)).unwrap();
    assert_valid(&svg, &layout);
}
