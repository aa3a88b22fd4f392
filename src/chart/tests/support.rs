//! What the chart tests share: drawing into an SVG string, comparing with a snapshot file, checking that a
//! drawing holds no NaN.
//!
//! Snapshots live in `tests/snapshots/chart/<name>.svg`. After an intended change to the drawing,
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test -p leverage-lens --lib chart
//! ```
//!
//! rewrites them; review them with `git diff` (or open them in a browser) before committing. On a mismatch the test
//! writes what it drew next to the snapshot as `<name>.actual.svg` (git-ignored) for comparison.

use std::path::PathBuf;

use plotters::prelude::{IntoDrawingArea, SVGBackend};

use crate::chart::{AxisRange, ChartError, ChartLayout, DrawingArea, PixelRect, Shift};

/// Draws into an SVG string of `w` × `h` pixels.
pub fn render<F>(w: u32, h: u32, draw: F) -> (String, ChartLayout)
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<ChartLayout, ChartError>,
{
    let mut svg = String::new();
    let layout = {
        let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let layout = draw(&area).unwrap();
        area.present().unwrap();
        layout
    };
    (svg, layout)
}

pub fn assert_snapshot(name: &str, svg: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/chart");
    let path = dir.join(format!("{name}.svg"));
    let actual_path = dir.join(format!("{name}.actual.svg"));
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, svg).unwrap();
        let _ = std::fs::remove_file(&actual_path);
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot at {}: run `UPDATE_SNAPSHOTS=1 cargo test -p leverage-lens --lib chart`",
            path.display()
        )
    });
    if expected != svg {
        std::fs::write(&actual_path, svg).unwrap();
        panic!(
            "chart {name} differs from {}; see {}. If the change is intended, run \
             `UPDATE_SNAPSHOTS=1 cargo test -p leverage-lens --lib chart` and review the diff.",
            path.display(),
            actual_path.display()
        );
    }
    assert!(!svg.contains("NaN"), "{name} has NaN coordinates");
}

pub fn assert_valid(svg: &str, layout: &ChartLayout) {
    assert!(
        !svg.contains("NaN") && !svg.contains("inf"),
        "non-finite number in the SVG"
    );
    for r in [Some(layout.x), Some(layout.y), layout.y2]
        .into_iter()
        .flatten()
    {
        assert!(
            r.min.is_finite() && r.max.is_finite() && r.min < r.max,
            "bad range {r:?}"
        );
    }
}

/// Like `render`, but returns the error instead of failing.
pub fn draw_checked<F>(w: u32, h: u32, draw: F) -> Result<(String, ChartLayout), ChartError>
where
    F: FnOnce(
        &DrawingArea<plotters::prelude::SVGBackend, Shift>,
    ) -> Result<ChartLayout, ChartError>,
{
    let mut error = None;
    let (svg, layout) = render(w, h, |a| {
        draw(a).or_else(|e| {
            error = Some(e);
            Ok(ChartLayout::new(
                PixelRect::default(),
                AxisRange { min: 0.0, max: 1.0 },
                AxisRange { min: 0.0, max: 1.0 },
            ))
        })
    });
    match error {
        Some(e) => Err(e),
        None => Ok((svg, layout)),
    }
}
