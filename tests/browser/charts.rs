//! The chart canvas in a real browser: the backing store follows CSS size × dpr, and something is drawn.

use std::rc::Rc;

use leverage_lens::chart::{SeriesSpec, TimeSeriesSpec, Unit, ValueAxis, draw_time_series};
use leverage_lens::ui::components::chart_canvas::{DrawFn, paint};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

fn draw() -> DrawFn {
    let times: Vec<i64> = (0..500).map(|i| i * 3_600_000).collect();
    let values: Vec<f64> = (0..500)
        .map(|i| (f64::from(i) / 20.0).sin() * 1_000.0 + 60_000.0)
        .collect();
    Rc::new(move |area, theme, px, _| {
        let spec = TimeSeriesSpec {
            series: vec![SeriesSpec::line("price", &times, &values)],
            window_ms: None,
            y_axis: ValueAxis::new("Price, USD", Unit::Usd),
            y2_axis: None,
            time_label: "UTC",
            annotations: Vec::new(),
        };
        draw_time_series(area, &spec, theme, px)
    })
}

fn distinct_colours(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = ctx
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .unwrap()
        .data();
    let mut colours: Vec<u32> = data
        .chunks(4)
        .step_by(31)
        .map(|p| u32::from_be_bytes([p[0], p[1], p[2], p[3]]))
        .collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[wasm_bindgen_test]
fn backing_store_is_css_size_times_dpr_and_not_blank() {
    let document = web_sys::window().unwrap().document().unwrap();
    for dpr in [1.0, 2.0] {
        let canvas: web_sys::HtmlCanvasElement = document
            .create_element("canvas")
            .unwrap()
            .dyn_into()
            .unwrap();
        document.body().unwrap().append_child(&canvas).unwrap();
        let layout = paint(&canvas, (640.0, 300.0), dpr, false, &draw()).unwrap();
        assert_eq!(
            (canvas.width(), canvas.height()),
            ((640.0 * dpr) as u32, (300.0 * dpr) as u32)
        );
        assert!(layout.placeholder.is_none());
        assert!(
            distinct_colours(&canvas) > 3,
            "canvas at dpr {dpr} looks blank"
        );
        canvas.remove();
    }
}

#[wasm_bindgen_test]
fn a_box_with_no_room_is_reported_not_drawn() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(paint(&canvas, (0.0, 0.0), 1.0, true, &draw()).is_err());
    assert!(paint(&canvas, (f64::NAN, 100.0), 1.0, true, &draw()).is_err());
}
