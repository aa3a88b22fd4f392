//! The venues' WebSocket streams, one panel each: start, stop, the last event and the connection's state.

use leptos::prelude::*;

use crate::market::model::{Asset, Venue};
use crate::market::stream::{StreamHandle, StreamStatus, open_stream};
use crate::market::venues::{StreamEvent, StreamKind, stream_request};
use crate::ui::data::{Mode, use_data};

#[component]
pub(super) fn Streams() -> impl IntoView {
    // Every stream an adapter supports, for both assets the sample has.
    let streams: Vec<(Venue, StreamKind, Asset)> = Venue::ALL
        .into_iter()
        .flat_map(|v| StreamKind::ALL.into_iter().map(move |k| (v, k)))
        .flat_map(|(v, k)| {
            ["BTC", "ETH"]
                .into_iter()
                .filter_map(Asset::new)
                .map(move |a| (v, k, a))
        })
        .filter(|(v, k, a)| stream_request(*v, a, *k).is_ok())
        .collect();
    view! {
        <section class="page-section" aria-labelledby="streams-heading">
            <h2 id="streams-heading">"Live streams"</h2>
            <p class="muted">
                "Some data only exists as a stream: best-quote changes (for order-flow imbalance), liquidation "
                "orders and order books. A stream keeps itself alive with each venue's heartbeat, reconnects by "
                "itself when it drops or goes quiet, and closes when you leave this page. What it delivers feeds the "
                "examples in live mode."
            </p>
            {streams.into_iter().map(|(venue, kind, asset)| view! { <StreamPanel venue kind asset /> }).collect_view()}
        </section>
    }
}

#[component]
pub(super) fn StreamPanel(venue: Venue, kind: StreamKind, asset: Asset) -> impl IntoView {
    let data = use_data();
    let id = format!(
        "{}-{}-{}",
        venue.id(),
        kind.id(),
        asset.as_str().to_ascii_lowercase()
    );
    let label = format!("{} {} {}", venue.display_name(), asset, kind.label());
    let status = RwSignal::new("off".to_string());
    let count = RwSignal::new(0u32);
    let last = RwSignal::new(String::new());
    let handle: StoredValue<Option<StreamHandle>, LocalStorage> = StoredValue::new_local(None);
    let running = RwSignal::new(false);
    let start = {
        let asset = asset.clone();
        move |_| {
            if !data.live_allowed() {
                return;
            }
            let config = data.config.get_untracked();
            let Some(ws) = config.endpoint(venue).and_then(|e| e.ws.clone()) else {
                status.set(format!(
                    "{} has no stream address on this site",
                    venue.display_name()
                ));
                return;
            };
            let request = match stream_request(venue, &asset, kind) {
                Ok(request) => request,
                Err(e) => {
                    status.set(e.to_string());
                    return;
                }
            };
            data.set_mode(Mode::Live);
            let for_events = asset.clone();
            let stream = open_stream(
                &ws,
                request,
                move |event| {
                    let _ = count.try_update(|n| *n += 1);
                    let _ = last.try_set(describe_event(&event));
                    data.absorb_stream_event(venue, &for_events, event);
                },
                move |s| {
                    let _ = status.try_set(describe_status(&s));
                },
            );
            handle.set_value(Some(stream));
            running.set(true);
        }
    };
    let stop = move |_| {
        handle.set_value(None);
        running.set(false);
    };
    on_cleanup(move || handle.set_value(None));
    let off = move || !data.live_allowed();
    view! {
        <div class="stream-panel" id=id>
            <strong>{label}</strong>
            <span class="stream-status">{move || if off() { "switched off on this site".to_string() } else { status.get() }}</span>
            <span class="stream-count">{move || format!("{} messages", count.get())}</span>
            <span class="stream-last muted">{move || last.get()}</span>
            {move || if running.get() {
                view! { <button type="button" class="button small secondary" on:click=stop>"Stop"</button> }.into_any()
            } else {
                let start = start.clone();
                view! { <button type="button" class="button small" on:click=start disabled=off
                    title=move || off().then_some("Live data is switched off on this site")>"Start"</button> }.into_any()
            }}
        </div>
    }
}

fn describe_event(event: &StreamEvent) -> String {
    match event {
        StreamEvent::Quote(q) => format!(
            "bid {:.1} × {:.3}, ask {:.1} × {:.3}",
            q.bid_price, q.bid_size, q.ask_price, q.ask_size
        ),
        StreamEvent::Liquidation(l) => format!(
            "{:?} liquidated: {:.3} at {:.1}",
            l.side, l.quantity_base, l.price
        ),
        StreamEvent::Book(b) => format!("book: {} bids, {} asks", b.bids.len(), b.asks.len()),
    }
}

fn describe_status(status: &StreamStatus) -> String {
    match status {
        StreamStatus::Connecting => "connecting…".to_string(),
        StreamStatus::Open => "connected".to_string(),
        StreamStatus::Reconnecting {
            failures,
            retry_in_ms,
            quiet,
        } => {
            format!(
                "{} ({failures}×); reconnecting in {:.1} s",
                if *quiet { "went quiet" } else { "dropped" },
                *retry_in_ms as f64 / 1_000.0
            )
        }
        StreamStatus::BadMessage(why) => format!("connected; a message could not be read: {why}"),
        StreamStatus::Stopped => "off".to_string(),
    }
}
