//! The legend: one entry per series in the top-left corner of the plot (where a trading chart has it), wrapping
//! onto more rows when the plot is narrow. Hidden series keep their entry, greyed out, so they can be switched
//! back on; every entry is a hit target.

use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor};

use super::ChartError;
use super::layout::{HitKind, HitTarget, PixelRect};
use super::paint::{Anchor, Painter};

/// How an entry's swatch looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Swatch {
    Line,
    Block,
    Dot,
}

pub(crate) struct LegendEntry<'a> {
    pub label: &'a str,
    pub color: RGBColor,
    pub swatch: Swatch,
    pub hidden: bool,
    /// What a click on the entry refers to; `None` for entries that explain but do not toggle.
    pub hit: Option<HitKind>,
}

/// Draws the entries inside `plot` from its top-left corner and returns where each drawn entry landed, with its
/// hit kind (entries that do not fit are left out).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: PixelRect,
    entries: &[LegendEntry],
) -> Result<Vec<(PixelRect, Option<HitKind>)>, ChartError> {
    let font = p.font_px(1.0);
    let (pad, swatch_w, gap) = (p.px.px(4.0), p.px.px(12.0), p.px.px(5.0));
    let row_h = font.ceil() as i32 + 2 * pad;
    let (mut x, mut y) = (plot.left + p.px.px(6.0), plot.top + p.px.px(4.0));
    let mut drawn = Vec::new();
    for entry in entries.iter().filter(|e| !e.label.is_empty()) {
        let width = pad + swatch_w + gap + p.text_width(entry.label, font) + pad;
        if x + width > plot.right && x > plot.left + p.px.px(6.0) {
            x = plot.left + p.px.px(6.0);
            y += row_h + p.px.px(2.0);
        }
        if y + row_h > plot.bottom {
            break;
        }
        let rect = PixelRect {
            left: x,
            top: y,
            right: x + width,
            bottom: y + row_h,
        };
        p.fill_rect(rect, p.theme.background.mix(0.85))?;
        let (color, text_color) = if entry.hidden {
            (p.theme.muted.mix(0.5), p.theme.muted)
        } else {
            (entry.color.mix(1.0), p.theme.text)
        };
        let mid = y + row_h / 2;
        let sx = x + pad;
        match entry.swatch {
            Swatch::Line => p.hline(mid, sx, sx + swatch_w, p.px.stroke(2.0), color)?,
            Swatch::Block => p.fill_rect(
                PixelRect {
                    left: sx,
                    top: mid - swatch_w / 3,
                    right: sx + swatch_w,
                    bottom: mid + swatch_w / 3,
                },
                color,
            )?,
            Swatch::Dot => p.dot((sx + swatch_w / 2, mid), 3.5, color)?,
        }
        p.text(
            entry.label,
            (sx + swatch_w + gap, mid),
            Anchor::LeftMiddle,
            text_color,
            font,
        )?;
        drawn.push((rect, entry.hit));
        x += width + p.px.px(6.0);
    }
    Ok(drawn)
}

/// The clickable entries among those drawn.
pub(crate) fn hit_targets(drawn: &[(PixelRect, Option<HitKind>)]) -> Vec<HitTarget> {
    drawn
        .iter()
        .filter_map(|&(rect, kind)| Some(HitTarget { kind: kind?, rect }))
        .collect()
}
