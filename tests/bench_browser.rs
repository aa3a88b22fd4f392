//! Browser benchmarks of the chart layer in headless Chromium (`make bench-browser`; not part of `make test`, since
//! timings are measurements, not pass/fail). Prints a table; the numbers go into README.md.
//!
//! Measured: a full redraw of a time chart (decimation + plotters-canvas drawing) for 1e3…1e6 points, the
//! crosshair update (nearest point by binary search in two 1e6-point series, formatting, and moving the DOM
//! overlay), and a 500 × 200 heatmap redraw. The canvas is 1000 × 400 CSS pixels at the page's dpr.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;

use leverage_lens::chart::{
    HeatmapSpec, IntensityScale, SeriesSpec, TimeSeriesSpec, Unit, ValueAxis, draw_heatmap,
    draw_time_series,
};
use leverage_lens::ui::components::chart_canvas::{DrawFn, paint};
use leverage_lens::ui::components::time_chart::{ChartSeries, TimeChartData};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RUNS: usize = 10;

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn canvas() -> web_sys::HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas
        .set_attribute("style", "width:1000px;height:400px")
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

fn walk(n: usize, seed: u64) -> (Vec<i64>, Vec<f64>) {
    let mut rng = lens_math::rng::SplitMix64::new(seed);
    let mut v = 60_000.0;
    (0..n)
        .map(|i| {
            v += rng.normal() * 20.0;
            (i as i64 * 60_000, v)
        })
        .unzip()
}

/// Median of `RUNS` timings, in ms.
fn median_ms(mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = now();
            f();
            now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

#[wasm_bindgen_test]
fn chart_benchmarks() {
    let canvas = canvas();
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    console_log!("| benchmark | median of {RUNS} (ms) |");
    console_log!("|---|---:|");
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let (t, v) = walk(n, 1);
        let draw: DrawFn = Rc::new(move |area, theme, px, _canvas| {
            let spec = TimeSeriesSpec {
                series: vec![SeriesSpec::line("price", &t, &v)],
                window_ms: None,
                y_axis: ValueAxis::new("Price, USD", Unit::Usd),
                y2_axis: None,
                time_label: "UTC",
                annotations: Vec::new(),
            };
            draw_time_series(area, &spec, theme, px)
        });
        let ms = median_ms(|| {
            paint(&canvas, (1000.0, 400.0), dpr, false, &draw).unwrap();
        });
        console_log!("| time chart redraw, {n} points | {ms:.2} |");
    }

    let (t, v) = walk(1_000_000, 2);
    let (t2, v2) = walk(1_000_000, 3);
    let data = TimeChartData {
        series: vec![
            ChartSeries {
                label: "a".into(),
                times_ms: t,
                values: v,
                area: false,
                right_axis: false,
            },
            ChartSeries {
                label: "b".into(),
                times_ms: t2,
                values: v2,
                area: false,
                right_axis: false,
            },
        ],
        y_label: "y".into(),
        y_unit: Unit::Usd,
        y2: None,
        markers: Vec::new(),
        caption: String::new(),
        summary: String::new(),
    };
    let line = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap();
    let mut k = 0i64;
    let ms = median_ms(|| {
        k += 7_919 * 60_000;
        let (at, rows) = data.readout_at(&[false, false], k % (1_000_000 * 60_000));
        line.set_attribute("style", &format!("left:{}px", at % 1000))
            .unwrap();
        line.set_text_content(Some(
            &rows
                .iter()
                .map(|(l, v)| format!("{l} {v}"))
                .collect::<String>(),
        ));
    });
    console_log!("| crosshair update, 2 series × 1,000,000 points | {ms:.3} |");

    let (w, h) = (500usize, 200usize);
    let mut rng = lens_math::rng::SplitMix64::new(4);
    let cells: Vec<f32> = (0..w * h).map(|_| rng.next_f64() as f32).collect();
    let (pt, pv) = walk(w, 5);
    let draw: DrawFn = Rc::new(move |area, theme, px, _canvas| {
        let spec = HeatmapSpec {
            columns: w as u32,
            rows: h as u32,
            cells: &cells,
            time_range_ms: (0, w as i64 * 60_000),
            price_range: (59_000.0, 61_000.0),
            scale: IntensityScale::Linear,
            max_intensity: None,
            price_times_ms: &pt,
            prices: &pv,
            price_label: "price",
            window_ms: None,
            y_axis: ValueAxis::new("Price, USD", Unit::Usd),
            intensity_label: "mass",
            intensity_unit: Unit::Plain,
            time_label: "UTC",
            cell_painter: Some(&|image| _canvas.paint_cells(image)),
        };
        draw_heatmap(area, &spec, theme, px)
    });
    let ms = median_ms(|| {
        paint(&canvas, (1000.0, 400.0), dpr, false, &draw).unwrap();
    });
    console_log!("| heatmap redraw, 500 × 200 cells | {ms:.2} |");
}

/// The embedded sample's start-up cost in the browser: the simulated month alone, and the data set the app
/// builds from it (the budget is 50 ms native for the simulation).
#[wasm_bindgen_test]
fn sample_benchmarks() {
    let config = lens_math::sim::SimConfig::default();
    let simulate = median_ms(|| {
        std::hint::black_box(lens_math::sim::simulate(&config).unwrap());
    });
    let dataset = median_ms(|| {
        std::hint::black_box(leverage_lens::market::sample::sample_dataset());
    });
    console_log!("| simulate(&SimConfig::default()), wasm | {simulate:.1} |");
    console_log!("| sample_dataset() (simulation + conversion), wasm | {dataset:.1} |");
}

/// One edit of every explorable worked example: setting an input, recomputing every number of the text, and
/// the ladder chart's 81 samples. The target is one frame (16 ms) per edit; the drawing of the ladder is the
/// static-chart redraw measured above.
#[wasm_bindgen_test]
fn worked_example_benchmarks() {
    use leverage_lens::lesson::worked::{MODELS, Values};
    let mut slowest = (0.0, "");
    for model in MODELS {
        let input = model.inputs[0];
        let mut values = Values::defaults(model);
        let mut flip = false;
        let ms = median_ms(|| {
            flip = !flip;
            let v = if flip {
                input.nudge(input.default, 1.0)
            } else {
                input.default
            };
            values.set(input.key, v).unwrap();
            std::hint::black_box(model.render(&values).ok());
            std::hint::black_box(model.ladder_panel(&values));
        });
        if ms > slowest.0 {
            slowest = (ms, model.slug);
        }
    }
    console_log!(
        "| worked example edit (text + ladder), slowest of {} terms: {} | {:.2} |",
        MODELS.len(),
        slowest.1,
        slowest.0
    );
}
