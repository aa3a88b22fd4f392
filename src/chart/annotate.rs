//! Markers with short labels on top of a chart: annotations at (time, value) on time charts, vertical markers
//! (entry price, liquidation price) on curve charts. The chart only draws what it is given; detecting events is
//! the math crate's job.
//!
//! Labels sit on a background plate above their marker, or below, or stacked higher when that place is taken
//! (by the legend or an earlier label); a label with no free place is left out and its marker still drawn.

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::layout::{ChartLayout, HitKind, HitTarget, PixelRect};
use super::paint::Painter;
use super::{ChartError, Tone, YAxisSide};

pub(crate) struct Marker<'a> {
    pub x: i32,
    /// The marker's height; `None` draws a dashed vertical line across the plot instead of a dot.
    pub y: Option<i32>,
    pub label: &'a str,
    pub color: RGBColor,
    pub hit: Option<HitKind>,
}

/// Places label rectangles without overlaps.
pub(crate) struct Placer {
    plot: PixelRect,
    taken: Vec<PixelRect>,
}

impl Placer {
    pub fn new(plot: PixelRect, taken: Vec<PixelRect>) -> Self {
        Self { plot, taken }
    }

    /// The first candidate top-left corner whose `w` × `h` rectangle lies inside the plot and overlaps nothing
    /// placed so far; records it.
    fn place(
        &mut self,
        w: i32,
        h: i32,
        candidates: impl Iterator<Item = (i32, i32)>,
    ) -> Option<PixelRect> {
        let plot = self.plot;
        for (x, y) in candidates {
            let x = x.clamp(plot.left + 1, (plot.right - w).max(plot.left + 1));
            let rect = PixelRect {
                left: x,
                top: y,
                right: x + w,
                bottom: y + h,
            };
            let inside =
                rect.top > plot.top && rect.bottom < plot.bottom && rect.right <= plot.right;
            if inside && !self.taken.iter().any(|t| overlaps(t, &rect)) {
                self.taken.push(rect);
                return Some(rect);
            }
        }
        None
    }
}

fn overlaps(a: &PixelRect, b: &PixelRect) -> bool {
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}

/// Draws the markers (all of them first, then the labels, so no marker hides a label) and returns the labels'
/// hit targets.
pub(crate) fn draw_markers<DB: DrawingBackend>(
    p: &Painter<DB>,
    placer: &mut Placer,
    markers: &[Marker],
) -> Result<Vec<HitTarget>, ChartError> {
    let plot = placer.plot;
    let visible = |m: &&Marker| (plot.left..=plot.right).contains(&m.x);
    for m in markers.iter().filter(visible) {
        match m.y {
            Some(y) => p.ringed_dot((m.x, y.clamp(plot.top, plot.bottom)), 4.0, m.color)?,
            None => p.dashed_vline(m.x, plot.top, plot.bottom, m.color.mix(0.9))?,
        }
    }
    let font = p.font_px(1.0);
    let pad = p.px.px(3.0);
    let (h, gap, step) = (
        font.ceil() as i32 + 2 * pad,
        p.px.px(8.0),
        font.ceil() as i32 + 2 * pad + p.px.px(2.0),
    );
    let mut targets = Vec::new();
    for m in markers
        .iter()
        .filter(visible)
        .filter(|m| !m.label.is_empty())
    {
        let w = p.text_width(m.label, font) + 2 * pad;
        let rect = match m.y {
            Some(y) => {
                let y = y.clamp(plot.top, plot.bottom);
                let above = |k: i32| (m.x - w / 2, y - gap - h - k * step);
                let below = |k: i32| (m.x - w / 2, y + gap + k * step);
                let candidates = [above(0), below(0), above(1), below(1), above(2), above(3)];
                placer.place(w, h, candidates.into_iter())
            }
            None => {
                let side = if m.x + gap / 2 + w < plot.right {
                    m.x + gap / 2
                } else {
                    m.x - gap / 2 - w
                };
                placer.place(w, h, (0..6).map(|k| (side, plot.top + pad + k * step)))
            }
        };
        let Some(rect) = rect else { continue };
        let drawn = p.label(m.label, (rect.left, rect.top), m.color)?;
        if let Some(kind) = m.hit {
            targets.push(HitTarget { kind, rect: drawn });
        }
    }
    Ok(targets)
}

/// A notable event to mark: a funding extreme, an OI flush, a liquidation burst, a gap-risk window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Annotation<'a> {
    pub time_ms: i64,
    /// Where the marker sits; `None` (or NaN) marks the instant with a vertical line instead.
    pub value: Option<f64>,
    /// A few words; the component links the label's hit target to the glossary term.
    pub label: &'a str,
    pub tone: Tone,
    pub axis: YAxisSide,
}

/// Annotation markers inside the window, labels placed clear of the legend.
pub(crate) fn draw_annotations<DB: DrawingBackend>(
    p: &Painter<DB>,
    layout: &ChartLayout,
    annotations: &[Annotation],
    window: (i64, i64),
    occupied: &[PixelRect],
) -> Result<Vec<HitTarget>, ChartError> {
    let markers: Vec<Marker> = annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| (window.0..=window.1).contains(&a.time_ms))
        .map(|(i, a)| Marker {
            x: layout.x_px(a.time_ms as f64),
            y: a.value
                .filter(|v| v.is_finite())
                .map(|v| layout.y_px_on(a.axis == YAxisSide::Right, v)),
            label: a.label,
            color: a.tone.color(p.theme),
            hit: Some(HitKind::Annotation(i)),
        })
        .collect();
    let mut placer = Placer::new(layout.plot, occupied.to_vec());
    draw_markers(p, &mut placer, &markers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_place_moves_the_next_label_to_the_next_candidate() {
        let plot = PixelRect::new(0, 0, 100, 100);
        let mut placer = Placer::new(plot, vec![]);
        let first = placer.place(20, 10, [(10, 10), (10, 30)].into_iter());
        let second = placer.place(20, 10, [(10, 10), (10, 30)].into_iter());
        assert_eq!(first.map(|r| r.top), Some(10));
        assert_eq!(second.map(|r| r.top), Some(30));
        assert_eq!(placer.place(20, 10, [(10, 10), (10, 30)].into_iter()), None);
    }

    #[test]
    fn labels_are_pulled_inside_the_plot_horizontally() {
        let plot = PixelRect::new(0, 0, 100, 100);
        let mut placer = Placer::new(plot, vec![]);
        let r = placer.place(30, 10, [(90, 20)].into_iter());
        assert_eq!(r.map(|r| r.right), Some(100));
    }
}
