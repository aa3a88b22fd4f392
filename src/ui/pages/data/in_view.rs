//! "In view now": where the numbers on screen come from, and the switch between live data and the sample.

use leptos::prelude::*;

use crate::ui::data::{Mode, use_data};

#[component]
pub(super) fn InView() -> impl IntoView {
    let data = use_data();
    let off = move || !data.live_allowed();
    view! {
        <section class="page-section" aria-labelledby="in-view-heading">
            <h2 id="in-view-heading">"In view now"</h2>
            <p>
                "Source: " <strong class="data-origin">{move || data.header_label()}</strong>
                {move || (data.in_flight.get() > 0).then(|| view! { <span class="spinner" role="status">" loading…"</span> })}
            </p>
            <p class="muted mode-text">
                {move || match (off(), data.mode.get()) {
                    (true, _) => "Live data is switched off on this site (its config.json says so, or could not be read): pages show the data set above and contact no exchange.",
                    (false, Mode::Deciding) => "Reading this site's settings…",
                    (false, Mode::Offline) => "Live data is off: pages show the data set above and contact no exchange.",
                    (false, Mode::Live) => "Live data is on: pages fetch from the venues below and show the sample, labelled, while they cannot.",
                }}
            </p>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| data.set_mode(Mode::Live)
                    disabled=move || off() || data.mode.get() == Mode::Live
                    title=move || off().then_some("Live data is switched off on this site")>
                    "Use live data"
                </button>
                <button type="button" class="button secondary" on:click=move |_| data.set_mode(Mode::Offline) disabled=move || data.mode.get() == Mode::Offline>
                    "Stay offline"
                </button>
                <button type="button" class="button secondary" on:click=move |_| data.load_sample()>
                    "Back to the simulated sample"
                </button>
            </div>
        </section>
    }
}
