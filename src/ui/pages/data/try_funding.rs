//! "Try it": 30 days of funding from a chosen venue, with the next venue asked when it cannot answer.

use leptos::prelude::*;

use super::tone_class;
use crate::lesson::fetched::latest_funding;
use crate::lesson::live::query_for;
use crate::market::dataset::Item;
use crate::market::model::{Asset, Venue};
use crate::market::venues::{Payload, supports};
use crate::ui::data::{FetchState, use_data};

#[component]
pub(super) fn TryFunding() -> impl IntoView {
    let data = use_data();
    let asset = RwSignal::new("BTC".to_string());
    let venue = RwSignal::new(Venue::Binance);
    let state: RwSignal<Option<RwSignal<FetchState>>> = RwSignal::new(None);
    let fetch = move |_| {
        let Some(asset) = Asset::new(&asset.get_untracked()) else {
            return;
        };
        let Some(query) = query_for(Item::Funding, &asset, js_sys::Date::now() as i64, 30) else {
            return;
        };
        let first = venue.get_untracked();
        // The chosen venue first, then every other venue that has the same data (fallback).
        let mut venues = vec![first];
        venues.extend(
            Venue::ALL
                .into_iter()
                .filter(|v| *v != first && supports(*v, &query)),
        );
        state.set(Some(data.fetch(venues, query, Item::Funding)));
    };
    view! {
        <section class="page-section" aria-labelledby="try-heading">
            <h2 id="try-heading">"Try it: 30 days of funding"</h2>
            <p class="muted">"Asks the chosen venue for its funding history; if it cannot answer, the next venue with the same data is used."</p>
            <div class="form-row">
                <label>"Asset "
                    <select id="try-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                        <option value="BTC" selected>"BTC"</option>
                        <option value="ETH">"ETH"</option>
                    </select>
                </label>
                <label>"Venue "
                    <select id="try-venue" on:change=move |ev| {
                        if let Some(v) = Venue::from_id(&event_target_value(&ev)) {
                            venue.set(v);
                        }
                    }>
                        {Venue::ALL.into_iter().map(|v| view! { <option value=v.id()>{v.display_name()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" id="try-fetch" class="button" on:click=fetch disabled=move || data.config.with(|_| data.client().is_none()) || !data.live_allowed()>
                    "Fetch funding history"
                </button>
            </div>
            {move || (!data.live_allowed()).then(|| view! { <p class="muted off-note">"Disabled: live data is switched off on this site."</p> })}
            <div class="fetch-result" aria-live="polite">
                {move || state.get().map(|s| view! { <FetchResult state=s /> })}
            </div>
        </section>
    }
}

#[component]
pub(super) fn FetchResult(state: RwSignal<FetchState>) -> impl IntoView {
    move || {
        match state.get() {
        FetchState::Loading => view! { <p class="spinner" role="status">"Loading…"</p> }.into_any(),
        FetchState::Failed { reasons } => view! {
            <div class="message bad" role="alert">
                <p>"No venue could answer:"</p>
                <ul>{reasons.into_iter().map(|(v, r)| view! { <li><strong>{v.display_name()}</strong>": "{r}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        FetchState::Done { venue, payload, status, skipped } => {
            let (count, latest) = match &*payload {
                Payload::Funding(rows) => (rows.len(), latest_funding(rows, 8)),
                _ => (0, latest_funding(&[], 8)),
            };
            view! {
                <div class="message good">
                    <p>
                        <strong>{venue.display_name()}</strong>": "{count}" funding payments, "
                        <span class=tone_class(status.tone())>{status.label(js_sys::Date::now())}</span>
                    </p>
                    {(!skipped.is_empty()).then(|| view! {
                        <p class="muted">"Skipped: "{skipped.into_iter().map(|(v, r)| format!("{} ({r})", v.display_name())).collect::<Vec<_>>().join("; ")}</p>
                    })}
                    <table class="data-table">
                        <thead><tr>{latest.headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                        <tbody>{latest.rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    }
    }
}
