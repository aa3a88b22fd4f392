//! What sits over the canvas: the crosshair with its readout, and links over the annotation labels the canvas
//! drew, each to the glossary term that explains it.

use leptos::prelude::*;

use super::ChartState;
use crate::base::calendar::minute_label;
use crate::chart::HitKind;
use crate::state::route::Route;

/// The vertical line and the tooltip at the hovered time; nothing when nothing is hovered.
pub(super) fn crosshair(chart: ChartState) -> impl Fn() -> Option<AnyView> {
    move || {
        let t = chart.hover.get()?;
        let dpr = chart.size.dpr.get();
        let (x, top, bottom) = chart.layout.with(|l| {
            l.as_ref().map(|l| {
                (
                    l.x_to_px(t as f64) / dpr,
                    f64::from(l.plot.top) / dpr,
                    f64::from(l.plot.bottom) / dpr,
                )
            })
        })?;
        let (at, rows) = chart.data.with(|d| d.readout_at(&chart.hidden.get(), t));
        let flip = x > chart.size.css.get().0 * 0.6;
        Some(view! {
            <div class="crosshair" style:left=format!("{x:.1}px") style:top=format!("{top:.1}px") style:height=format!("{:.1}px", bottom - top)></div>
            <div class="chart-tooltip" class:flip=flip style:left=format!("{x:.1}px") style:top=format!("{top:.1}px") role="status">
                <strong>{minute_label(at)}</strong>
                {rows.into_iter().map(|(label, value)| view! { <div><span>{label}</span>" "<b>{value}</b></div> }).collect_view()}
            </div>
        }.into_any())
    }
}

/// Links over the annotation labels drawn on the canvas, placed from the layout's hit targets.
pub(super) fn marker_links(chart: ChartState) -> impl Fn() -> AnyView {
    move || {
        let dpr = chart.size.dpr.get();
        let markers = chart.data.with(|d| d.markers.clone());
        chart.layout.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.hit_targets
                        .iter()
                        .filter_map(|h| match h.kind {
                            HitKind::Annotation(i) => markers.get(i).map(|m| (m.clone(), h.rect)),
                            _ => None,
                        })
                        .map(|(m, r)| {
                            let href = crate::glossary::term(m.term_slug).map(|t| Route::Term(t).href()).unwrap_or_default();
                            // Set through the CSSOM (style:…), which a strict Content-Security-Policy allows.
                            let px = |v: f64| format!("{:.1}px", v / dpr);
                            view! {
                                <a class="marker-link" href=href title=m.label.clone() aria-label=m.label.clone()
                                    style:left=px(f64::from(r.left)) style:top=px(f64::from(r.top))
                                    style:width=px(f64::from(r.width())) style:height=px(f64::from(r.height()))></a>
                            }
                        })
                        .collect_view()
                        .into_any()
                })
                .unwrap_or_else(|| ().into_any())
        })
    }
}
