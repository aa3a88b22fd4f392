//! Pointer, wheel and keyboard on the time chart: hover (one update per animation frame), drag to pan, pinch and
//! wheel to zoom, arrow keys to step the crosshair, + and − to zoom, 0 to reset, Escape to hide the crosshair.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::ChartState;
use crate::chart::viewport::nearest_index;

/// The gesture in progress, kept between events.
#[derive(Clone, Copy)]
pub(super) struct Gestures {
    chart: ChartState,
    /// The latest pointer x waiting for the next frame.
    pending_hover: StoredValue<Option<f64>>,
    frame_requested: StoredValue<bool>,
    /// Where a drag was last seen (CSS px), or the last distance between two fingers.
    drag: StoredValue<Option<f64>>,
    /// The pointers down, by id, with their client x.
    pointers: StoredValue<BTreeMap<i32, f64>>,
}

impl Gestures {
    pub(super) fn new(chart: ChartState) -> Self {
        Self {
            chart,
            pending_hover: StoredValue::new(None),
            frame_requested: StoredValue::new(false),
            drag: StoredValue::new(None),
            pointers: StoredValue::new(BTreeMap::new()),
        }
    }

    /// Pointer position (CSS px from the box's left) → the time under it, or None outside the plot.
    fn time_at_css_x(self, css_x: f64) -> Option<i64> {
        let dpr = self.chart.size.dpr.try_get_untracked()?;
        self.chart
            .layout
            .try_with_untracked(|l| {
                let l = l.as_ref()?;
                let x = css_x * dpr;
                (x >= f64::from(l.plot.left) && x <= f64::from(l.plot.right))
                    .then(|| l.px_to_x(x).round() as i64)
            })
            .flatten()
    }

    /// Where `css_x` falls across the plot, 0 at its left edge and 1 at its right (zoom keeps that point still).
    fn plot_fraction(self, css_x: f64) -> f64 {
        let dpr = self.chart.size.dpr.try_get_untracked().unwrap_or(1.0);
        self.chart
            .layout
            .try_with_untracked(|l| {
                l.as_ref().map_or(0.5, |l| {
                    (css_x * dpr - f64::from(l.plot.left)) / f64::from(l.plot.width().max(1))
                })
            })
            .unwrap_or(0.5)
    }

    fn plot_width_css(self) -> f64 {
        let dpr = self.chart.size.dpr.try_get_untracked().unwrap_or(1.0);
        self.chart
            .layout
            .try_with_untracked(|l| {
                l.as_ref()
                    .map_or(1.0, |l| f64::from(l.plot.width().max(1)) / dpr)
            })
            .unwrap_or(1.0)
    }

    /// Moves the crosshair to `css_x` (None hides it) at the next animation frame. The frame can come after the
    /// chart is gone (a marker click navigates away between the move and the frame), so it only touches
    /// reactive values through `try_` accessors.
    pub(super) fn schedule_hover(self, css_x: Option<f64>) {
        self.pending_hover.set_value(css_x);
        if self.frame_requested.try_get_value() == Some(false) {
            self.frame_requested.set_value(true);
            request_animation_frame(move || {
                self.frame_requested.set_value(false);
                let t = self
                    .pending_hover
                    .try_get_value()
                    .flatten()
                    .and_then(|x| self.time_at_css_x(x));
                self.chart.hover.set(t);
            });
        }
    }

    /// Pointer x in CSS px from the chart box's left edge (offsetX would be relative to whatever overlay is hit).
    fn box_x(self, client_x: i32) -> f64 {
        self.chart
            .wrap
            .try_get_untracked()
            .flatten()
            .map_or(0.0, |w| {
                f64::from(client_x) - w.get_bounding_client_rect().left()
            })
    }

    pub(super) fn pointer_move(self, ev: web_sys::PointerEvent) {
        let x = self.box_x(ev.client_x());
        self.pointers.update_value(|p| {
            if p.contains_key(&ev.pointer_id()) {
                p.insert(ev.pointer_id(), f64::from(ev.client_x()));
            }
        });
        let active: Vec<f64> = self
            .pointers
            .try_with_value(|p| p.values().copied().collect())
            .unwrap_or_default();
        if active.len() == 2 {
            // Pinch: the change in distance between two fingers zooms.
            let distance = (active[0] - active[1]).abs().max(1.0);
            if let Some(previous) = self.drag.try_get_value().flatten() {
                let at = self.plot_fraction(x);
                self.chart
                    .viewport
                    .update(|v| v.zoom(previous / distance, at));
            }
            self.drag.set_value(Some(distance));
            return;
        }
        if ev.buttons() == 1
            && let Some(start) = self.drag.try_get_value().flatten()
        {
            let share = (x - start) / self.plot_width_css();
            self.chart.viewport.update(|v| v.pan(-share));
            self.drag.set_value(Some(x));
        }
        self.schedule_hover(Some(x));
    }

    pub(super) fn pointer_down(self, ev: web_sys::PointerEvent) {
        self.pointers.update_value(|p| {
            p.insert(ev.pointer_id(), f64::from(ev.client_x()));
        });
        self.drag.set_value(Some(self.box_x(ev.client_x())));
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    }

    pub(super) fn pointer_up(self, ev: web_sys::PointerEvent) {
        self.pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        self.drag.set_value(None);
    }

    pub(super) fn wheel(self, ev: web_sys::WheelEvent) {
        ev.prevent_default();
        let factor = if ev.delta_y() > 0.0 { 1.25 } else { 0.8 };
        let at = self.plot_fraction(self.box_x(ev.client_x()));
        self.chart.viewport.update(|v| v.zoom(factor, at));
    }

    pub(super) fn key(self, ev: web_sys::KeyboardEvent) {
        let ChartState {
            data,
            viewport,
            hover,
            ..
        } = self.chart;
        let step = |forward: bool| {
            let (Some((a, b)), Some(hovered)) = (
                viewport.try_get_untracked().map(|v| v.visible()),
                hover.try_get_untracked(),
            ) else {
                return;
            };
            let t = data.try_with_untracked(|d| {
                let times = &d.series.first()?.times_ms;
                let current = hovered.unwrap_or(if forward { a } else { b });
                let i = nearest_index(times, current)?;
                let next = if forward {
                    (i + 1).min(times.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                times.get(next).copied().filter(|t| (a..=b).contains(t))
            });
            hover.set(t.flatten());
        };
        match ev.key().as_str() {
            "ArrowRight" => step(true),
            "ArrowLeft" => step(false),
            "+" | "=" => viewport.update(|v| v.zoom(0.8, 0.5)),
            "-" => viewport.update(|v| v.zoom(1.25, 0.5)),
            "0" => viewport.update(|v| v.reset()),
            "Escape" => hover.set(None),
            _ => return,
        }
        ev.prevent_default();
    }
}
