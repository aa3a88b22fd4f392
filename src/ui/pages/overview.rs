//! The area page: what a leverage imbalance is, and the three facets with their terms.

use leptos::prelude::*;

use crate::glossary::{Facet, OVERVIEW, terms_in};
use crate::ui::components::dynamics_dashboard::DynamicsDashboard;
use crate::ui::components::share::ShareBar;
use crate::ui::components::term_list::TermList;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <article class="page overview">
            <header class="page-header">
                <p class="eyebrow">"Area"</p>
                <h1 tabindex="-1">{OVERVIEW.title}</h1>
                <p class="lead">{OVERVIEW.gist}</p>
                <ShareBar />
            </header>
            <div class="prose" inner_html=OVERVIEW.lead_html></div>
            <DynamicsDashboard />
            <nav class="facet-jump" aria-label="Facets">
                {Facet::ALL
                    .iter()
                    .map(|f| view! { <a href=format!("#{}", f.anchor())>{f.name()}</a> })
                    .collect_view()}
            </nav>
            {Facet::ALL
                .iter()
                .filter_map(|facet| {
                    let section = OVERVIEW.sections.iter().find(|s| s.heading == facet.name())?;
                    Some(view! {
                        <section id=facet.anchor() class="facet" aria-labelledby=format!("{}-heading", facet.anchor())>
                            <h2 id=format!("{}-heading", facet.anchor())>{facet.name()}</h2>
                            <div class="prose" inner_html=section.html></div>
                            <TermList terms=terms_in(*facet).collect() />
                        </section>
                    })
                })
                .collect_view()}
        </article>
    }
}
