//! The data page: where the numbers come from, the status of every venue, a live request to try, and
//! snapshot export/import.
//!
//! This file lays the page out; each section is a component in a file of its own.

mod in_view;
mod snapshots;
mod streams;
mod try_funding;
mod venues;

use leptos::prelude::*;

use crate::market::status::Tone;
use crate::ui::data::use_data;
use in_view::InView;
use snapshots::Snapshots;
use streams::Streams;
use try_funding::TryFunding;
use venues::VenueTable;

#[component]
pub fn DataPage() -> impl IntoView {
    let data = use_data();
    view! {
        <article class="page data-page">
            <header class="page-header">
                <p class="eyebrow">"Data"</p>
                <h1 tabindex="-1">"Data sources"</h1>
                <p class="lead">
                    "Every number on this site comes from the simulated sample built into the app, from a "
                    "snapshot file, or straight from an exchange's public API, fetched by your browser."
                </p>
            </header>
            <InView />
            <VenueTable />
            <TryFunding />
            <Streams />
            <Snapshots />
            <Show when=move || data.notices.with(|n| !n.is_empty())>
                <section class="page-section" aria-labelledby="notices-heading">
                    <h2 id="notices-heading">"Notices"</h2>
                    <ul class="notices">
                        {move || data.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                </section>
            </Show>
        </article>
    }
}

/// The CSS class of a status in its tone.
fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Neutral => "status neutral",
        Tone::Good => "status good",
        Tone::Warning => "status warning",
        Tone::Bad => "status bad",
    }
}
