//! The data page: where the numbers come from, the status of every venue, a live request to try, and
//! snapshot export/import.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::lesson::live::query_for;
use crate::market::dataset::Item;
use crate::market::model::{Asset, Venue};
use crate::market::snapshot::Snapshot;
use crate::market::status::{SourceStatus, Tone};
use crate::market::stream::{StreamHandle, StreamStatus, open_stream};
use crate::market::venues::{Payload, StreamEvent, StreamKind, stream_request, supports};
use crate::ui::data::{FetchState, Mode, use_data};

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

#[component]
fn InView() -> impl IntoView {
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

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Neutral => "status neutral",
        Tone::Good => "status good",
        Tone::Warning => "status warning",
        Tone::Bad => "status bad",
    }
}

#[component]
fn VenueTable() -> impl IntoView {
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

#[component]
fn TryFunding() -> impl IntoView {
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
fn FetchResult(state: RwSignal<FetchState>) -> impl IntoView {
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
            let rows = match &*payload {
                Payload::Funding(rows) => rows.clone(),
                _ => Vec::new(),
            };
            let count = rows.len();
            let last: Vec<_> = rows.into_iter().rev().take(8).collect();
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
                        <thead><tr><th scope="col">"Time (UTC)"</th><th scope="col">"Rate"</th><th scope="col">"Per 8 h"</th><th scope="col">"APR"</th></tr></thead>
                        <tbody>
                            {last.into_iter().map(|r| {
                                let per_8h = r.rate * 8.0 / r.interval_hours.max(1e-9);
                                view! {
                                    <tr>
                                        <td>{format_time(r.time_ms)}</td>
                                        <td>{format!("{:.4} % / {} h", r.rate * 100.0, r.interval_hours)}</td>
                                        <td>{format!("{:.4} %", per_8h * 100.0)}</td>
                                        <td>{format!("{:.2} %", per_8h * 3.0 * 365.0 * 100.0)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn Streams() -> impl IntoView {
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
fn StreamPanel(venue: Venue, kind: StreamKind, asset: Asset) -> impl IntoView {
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

fn format_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let iso: String = date.to_iso_string().into();
    iso.get(..16).unwrap_or(&iso).replace('T', " ")
}

#[component]
fn Snapshots() -> impl IntoView {
    let data = use_data();
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let dragging = RwSignal::new(false);
    let export = move |_| {
        let view = window().location().search().unwrap_or_default();
        let snapshot = Snapshot::new(data.combined(), view, js_sys::Date::now() as i64);
        match crate::ui::download::save_text(
            &snapshot.file_name(),
            "application/json",
            &snapshot.to_json(),
        ) {
            true => message.set(Some((true, format!("Saved {}.", snapshot.file_name())))),
            false => message.set(Some((
                false,
                "This browser refused the download.".to_string(),
            ))),
        }
    };
    let import = move |file: web_sys::File| {
        let name = file.name();
        // Refused before reading: a huge file must not be pulled into memory just to be rejected.
        if file.size() > crate::market::snapshot::MAX_BYTES as f64 {
            let error = crate::market::snapshot::SnapshotError::TooLarge {
                bytes: file.size() as usize,
            };
            message.set(Some((false, error.to_string())));
            return;
        }
        spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    message.set(Some((false, format!("“{name}” could not be read."))));
                    return;
                }
            };
            match Snapshot::from_json(&bytes, &name) {
                Ok(snapshot) => {
                    data.load_snapshot(snapshot);
                    message.set(Some((true, format!("Loaded snapshot “{name}”."))));
                }
                Err(e) => message.set(Some((false, e.to_string()))),
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        {
            import(file);
        }
        if let Some(input) = input {
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            import(file);
        }
    };
    view! {
        <section class="page-section" aria-labelledby="snapshots-heading">
            <h2 id="snapshots-heading">"Snapshots"</h2>
            <p class="muted">
                "A snapshot freezes the data in view as a JSON file. Load it here to see exactly the same numbers, "
                "or host it next to the site and link to it with ?snapshot=name.json."
            </p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <button type="button" class="button" on:click=export>"Download snapshot"</button>
                <label class="button secondary file-button">
                    "Load snapshot…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_pick />
                </label>
                <span class="muted">" or drop a snapshot file here"</span>
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "message good" } else { "message bad" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
        </section>
    }
}
