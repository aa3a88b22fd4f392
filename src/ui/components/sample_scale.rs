//! The note beside every view of the simulated sample: its sizes are calibrated to a month's published figures,
//! not measured, and the table of targets and sources is one click away.

use leptos::prelude::*;

use crate::market::sample::{CALIBRATED_MONTH, CALIBRATION_PAGE};

#[component]
pub fn SampleScale() -> impl IntoView {
    view! {
        <span class="sample-scale">
            " Sizes calibrated to " {CALIBRATED_MONTH} ", not measured ("
            <a href=CALIBRATION_PAGE target="_blank" rel="noopener">"sources"</a>
            ")."
        </span>
    }
}
