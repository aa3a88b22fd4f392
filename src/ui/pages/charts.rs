//! The chart gallery: every kind of chart the glossary uses, drawn from the data in view. The numbers come
//! from [`crate::lesson::gallery`]; this page lays the panels out.

use leptos::prelude::*;

use crate::lesson::gallery::{self, LIQUIDATION_MAP_ID, PRICE_CHART_ID};
use crate::ui::components::panel_chart::PanelChart;
use crate::ui::data::use_data;

/// The liquidation map's price axis needs more room than the other charts.
const TALL_PANEL: (&str, f64) = (LIQUIDATION_MAP_ID, 340.0);

#[component]
pub fn ChartsPage() -> impl IntoView {
    let data = use_data();
    let panels = Memo::new(move |_| data.base.with(|set| gallery::panels(set)));
    let sections = panels.with_untracked(|p| {
        p.iter()
            .map(|p| (p.id, p.title.clone()))
            .collect::<Vec<_>>()
    });
    view! {
        <article class="page charts-page">
            <header class="page-header">
                <p class="eyebrow">"Charts"</p>
                <h1 tabindex="-1">"Chart gallery"</h1>
                <p class="lead">"Every kind of chart the glossary uses, drawn from the data in view. Hover for values, scroll to zoom, drag to pan, double-click to reset."</p>
            </header>
            {sections.into_iter().map(|(id, title)| {
                let panel = Memo::new(move |_| panels.with(|p| p.iter().find(|p| p.id == id).cloned()));
                let chart = if id == PRICE_CHART_ID {
                    view! { <PanelChart panel id url_key="range" /> }.into_any()
                } else if id == TALL_PANEL.0 {
                    view! { <PanelChart panel id height_px=TALL_PANEL.1 /> }.into_any()
                } else {
                    view! { <PanelChart panel id /> }.into_any()
                };
                view! { <section class="page-section"><h2>{title}</h2>{chart}</section> }
            }).collect_view()}
        </article>
    }
}
