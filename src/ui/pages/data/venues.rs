//! Every venue's status in a table, with Retry for a venue that is cooling down.

use leptos::prelude::*;

use super::tone_class;
use crate::market::model::Venue;
use crate::market::status::SourceStatus;
use crate::ui::data::use_data;

#[component]
pub(super) fn VenueTable() -> impl IntoView {
    let data = use_data();
    let now = move || js_sys::Date::now();
    view! {
        <section class="page-section" aria-labelledby="venues-heading">
            <h2 id="venues-heading">"Venues"</h2>
            <table class="data-table venues">
                <thead>
                    <tr><th scope="col">"Venue"</th><th scope="col">"Status"</th><th scope="col">"Details"</th><th scope="col"></th></tr>
                </thead>
                <tbody>
                    {move || {
                        let config = data.config.get();
                        Venue::ALL
                            .into_iter()
                            .map(|venue| {
                                let enabled = config.endpoint(venue).is_some();
                                let status = data.venue_status.with(|s| s.get(&venue).cloned());
                                let in_base = data.base.with(|b| b.entries.iter().any(|e| e.venue == venue));
                                let base = data.base.with(|b| SourceStatus::from_origin(&b.origin));
                                let shown = status.clone().unwrap_or(base);
                                let label = match (enabled, status.is_some(), in_base) {
                                    (false, _, _) => "disabled".to_string(),
                                    (true, false, false) => "not in this data set".to_string(),
                                    _ => shown.label(now()),
                                };
                                let reason = shown.reason().map(str::to_string).unwrap_or_default();
                                let failed = matches!(status, Some(SourceStatus::Failed { .. } | SourceStatus::Stale { .. }));
                                view! {
                                    <tr data-venue=venue.id()>
                                        <th scope="row">{venue.display_name()}</th>
                                        <td><span class=tone_class(shown.tone())>{label}</span></td>
                                        <td class="reason">{reason}</td>
                                        <td>
                                            {failed.then(|| view! {
                                                <button type="button" class="button small retry" on:click=move |_| data.retry(&[venue])>"Retry"</button>
                                            })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </section>
    }
}
