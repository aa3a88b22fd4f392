//! A small network diagram for contagion: institutions on a circle (the first at the top, then clockwise), directed
//! exposures as arrows whose width grows with the weight, node colour by state. Exposures out of a defaulted node
//! are drawn in the short colour: that is where losses travel next.

use plotters::prelude::DrawingBackend;
use plotters::style::Color;

use super::frame::placeholder_layout;
use super::layout::{AxisRange, ChartLayout, HitKind, HitTarget, PixelRect, PixelScale};
use super::legend::{LegendEntry, Swatch, draw_legend};
use super::paint::{Anchor, Area, Painter};
use super::{ChartError, ChartTheme};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeState {
    #[default]
    Solvent,
    /// Losses taken, still standing.
    Stressed,
    Defaulted,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkNode<'a> {
    pub label: &'a str,
    pub state: NodeState,
    /// Relative size in 0–1 (its equity or balance-sheet share); sets the dot radius.
    pub size: f64,
}

/// An exposure of `from` to `to` (an arrow from → to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkEdge {
    pub from: usize,
    pub to: usize,
    /// Positive; edges with a weight that is not positive and finite are not drawn.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSpec<'a> {
    pub nodes: Vec<NetworkNode<'a>>,
    pub edges: Vec<NetworkEdge>,
}

fn validate(spec: &NetworkSpec) -> Result<(), ChartError> {
    let n = spec.nodes.len();
    match spec.edges.iter().find(|e| e.from >= n || e.to >= n) {
        Some(e) => Err(ChartError::InvalidSpec(format!(
            "network: edge {} → {} but there are {n} nodes",
            e.from, e.to
        ))),
        None => Ok(()),
    }
}

pub fn draw_network<DB: DrawingBackend>(
    area: &Area<DB>,
    spec: &NetworkSpec,
    theme: &ChartTheme,
    px: PixelScale,
) -> Result<ChartLayout, ChartError> {
    let p = Painter { area, theme, px };
    validate(spec)?;
    if spec.nodes.is_empty() {
        return placeholder_layout(&p, "No institutions to show");
    }
    area.fill(&theme.background)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let legend_h = f64::from(px.px(30.0));
    let label_room = f64::from(px.px(44.0));
    let radius = ((w.min(h - legend_h) / 2.0) - label_room).max(f64::from(px.px(8.0)));
    let (cx, cy) = (w / 2.0, legend_h + (h - legend_h) / 2.0);
    let n = spec.nodes.len();
    let angle =
        |i: usize| -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let centers: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            if n == 1 {
                (cx, cy)
            } else {
                (cx + radius * angle(i).cos(), cy + radius * angle(i).sin())
            }
        })
        .collect();
    let node_r = |node: &NetworkNode| {
        6.0 + 8.0
            * if node.size.is_finite() {
                node.size.clamp(0.0, 1.0)
            } else {
                0.0
            }
    };
    let state_color = |s: NodeState| match s {
        NodeState::Solvent => theme.long,
        NodeState::Stressed => theme.warning,
        NodeState::Defaulted => theme.short,
    };

    let drawable = |e: &&NetworkEdge| e.from != e.to && e.weight.is_finite() && e.weight > 0.0;
    let max_weight = spec
        .edges
        .iter()
        .filter(drawable)
        .map(|e| e.weight)
        .fold(0.0, f64::max);
    let mut pairs: Vec<(usize, usize)> = spec
        .edges
        .iter()
        .filter(drawable)
        .map(|e| (e.from, e.to))
        .collect();
    lens_math::sort::sort(&mut pairs);
    for e in spec.edges.iter().filter(drawable) {
        let ((x0, y0), (x1, y1)) = (centers[e.from], centers[e.to]);
        let len = (x1 - x0).hypot(y1 - y0);
        if len < 1.0 {
            continue;
        }
        let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
        // Two-way exposures are drawn side by side instead of on top of each other.
        let shift = if pairs.binary_search(&(e.to, e.from)).is_ok() {
            f64::from(px.px(3.0))
        } else {
            0.0
        };
        let (ox, oy) = (-uy * shift, ux * shift);
        let start_gap = f64::from(px.px(node_r(&spec.nodes[e.from]) + 2.0));
        let end_gap = f64::from(px.px(node_r(&spec.nodes[e.to]) + 3.0));
        let width_css = 1.0 + 4.0 * e.weight / max_weight;
        let arrow_len = f64::from(px.px(5.0 + 2.0 * width_css));
        let arrow_half = f64::from(px.px(2.5 + width_css));
        let tip = (x1 - ux * end_gap + ox, y1 - uy * end_gap + oy);
        let base = (tip.0 - ux * arrow_len, tip.1 - uy * arrow_len);
        let start = (x0 + ux * start_gap + ox, y0 + uy * start_gap + oy);
        let color = if spec.nodes[e.from].state == NodeState::Defaulted {
            theme.short.mix(0.75)
        } else {
            theme.muted.mix(0.6)
        };
        let at = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
        p.polyline(&[at(start), at(base)], color, px.stroke(width_css))?;
        p.polygon(
            vec![
                at(tip),
                at((base.0 - uy * arrow_half, base.1 + ux * arrow_half)),
                at((base.0 + uy * arrow_half, base.1 - ux * arrow_half)),
            ],
            color,
        )?;
    }

    let font = p.font_px(1.0);
    let mut targets = Vec::with_capacity(n);
    for (i, (node, &(x, y))) in spec.nodes.iter().zip(&centers).enumerate() {
        let r = node_r(node);
        let at = (x.round() as i32, y.round() as i32);
        p.ringed_dot(at, r, state_color(node.state))?;
        let rp = px.px(r);
        targets.push(HitTarget {
            kind: HitKind::Node(i),
            rect: PixelRect {
                left: at.0 - rp,
                top: at.1 - rp,
                right: at.0 + rp,
                bottom: at.1 + rp,
            },
        });
        let (cos, sin) = if n == 1 {
            (0.0, 1.0)
        } else {
            (angle(i).cos(), angle(i).sin())
        };
        let out = f64::from(rp + px.px(7.0));
        let label_at = (
            (x + cos * out).round() as i32,
            (y + sin * out).round() as i32,
        );
        let anchor = match (cos, sin) {
            (c, _) if c > 0.3 => Anchor::LeftMiddle,
            (c, _) if c < -0.3 => Anchor::RightMiddle,
            (_, s) if s < 0.0 => Anchor::CenterBottom,
            _ => Anchor::CenterTop,
        };
        p.text(node.label, label_at, anchor, theme.text, font)?;
    }

    let entries = [
        ("Solvent", NodeState::Solvent),
        ("Stressed", NodeState::Stressed),
        ("Defaulted", NodeState::Defaulted),
    ]
    .map(|(label, state)| LegendEntry {
        label,
        color: state_color(state),
        swatch: Swatch::Dot,
        hidden: false,
        hit: None,
    });
    let full = PixelRect {
        left: 0,
        top: 0,
        right: w as i32,
        bottom: h as i32,
    };
    draw_legend(&p, full, &entries)?;

    let r = radius.round() as i32;
    let plot = PixelRect {
        left: cx.round() as i32 - r,
        top: cy.round() as i32 - r,
        right: cx.round() as i32 + r,
        bottom: cy.round() as i32 + r,
    };
    let unit = AxisRange {
        min: -1.0,
        max: 1.0,
    };
    let mut layout = ChartLayout::new(plot, unit, unit);
    layout.hit_targets = targets;
    Ok(layout)
}
