//! The app's data, shared by every page: the data set in view (the embedded sample, or a snapshot), what has
//! been fetched live, the status of every source, and the client that fetches.
//!
//! Pages ask for data by (venue, asset, item). For an asset that has live data they see only live data; until
//! then the base set's, with a label that says why ("simulated sample — Binance unreachable from this
//! browser").

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::market::client::{Client, read_capped};
use crate::market::config::{ConfigProblem, LiveMode, SiteConfig};
use crate::market::dataset::{DataSet, Item, Origin};
use crate::market::model::{Asset, Venue};
use crate::market::policy::FetchFailure;
use crate::market::sample::sample_dataset;
use crate::market::snapshot::{self, Snapshot, SnapshotError, hosted_snapshot_path};
use crate::market::status::{SourceStatus, summary_label};
use crate::market::venues::{Payload, Query, StreamEvent};

/// Where the numbers in view come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nobody chose yet and `config.json` is still on its way: pages wait (briefly) rather than flash the
    /// sample and then live numbers.
    Deciding,
    /// The embedded sample or a loaded snapshot only.
    Offline,
    /// Fetch from venues; the sample shows, labelled, until live data arrives.
    Live,
}

/// The result of a request a page made.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchState {
    Loading,
    Done {
        venue: Venue,
        payload: Arc<Payload>,
        status: SourceStatus,
        skipped: Vec<(Venue, String)>,
    },
    Failed {
        reasons: Vec<(Venue, String)>,
    },
}

/// Shared data state; `Copy`, so closures can hold it freely.
#[derive(Clone, Copy)]
pub struct DataContext {
    /// The sample or a snapshot.
    pub base: RwSignal<Arc<DataSet>>,
    /// Entries fetched live (or streamed) in this session.
    pub live: RwSignal<Arc<DataSet>>,
    pub mode: RwSignal<Mode>,
    /// The last known status of each venue.
    pub venue_status: RwSignal<BTreeMap<Venue, SourceStatus>>,
    /// Requests under way (drives the loading indicator).
    pub in_flight: RwSignal<u32>,
    /// Problems worth telling the visitor once (config, storage, snapshot).
    pub notices: RwSignal<Vec<String>>,
    pub config: RwSignal<Arc<SiteConfig>>,
    /// Ticks once a minute while the tab is visible: pages re-ask for data whose cache window has moved, so a
    /// page left open all day stays current.
    pub tick: RwSignal<u64>,
    /// Bumped by Retry: pages ask again for what failed.
    pub retries: RwSignal<u64>,
    client: StoredValue<Option<Client>, LocalStorage>,
    /// Stream events not yet applied to `live`.
    stream_buffer: StoredValue<Vec<(Venue, Asset, StreamEvent)>, LocalStorage>,
}

/// The visitor's saved choice between live data ("1") and the sample ("0").
const LIVE_KEY: &str = "leverage-lens.live";
/// Rows a stream keeps per (venue, asset, kind): enough for an hour of best quotes at a few per second.
const STREAM_ROWS: usize = 20_000;

impl DataContext {
    /// The data a page about `asset` shows: the asset's live entries once any arrived, else the base set's.
    pub fn in_view(&self, asset: &Asset) -> Arc<DataSet> {
        let base = self.base.get();
        self.live.with(|live| {
            if live.entries.is_empty() {
                base
            } else {
                Arc::new(DataSet::in_view(&base, live, asset))
            }
        })
    }

    /// The data set in view for snapshot export: every live asset's live data, the rest from the base set.
    pub fn combined(&self) -> DataSet {
        let base = self.base.get();
        let live = self.live.get();
        let focus = live
            .assets()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.config.with(|c| c.default_asset.clone()));
        DataSet::in_view(&base, &live, &focus)
    }

    /// What the numbers from `venues` are, for a status line: "live", "cached, 3 min old", or the base set's
    /// label with the reason live data is missing.
    pub fn label_for(&self, venues: &[Venue], base_label: &str) -> String {
        if self.mode.get() == Mode::Offline {
            return base_label.to_string();
        }
        let asked: Vec<(Venue, SourceStatus)> = self.venue_status.with(|s| {
            venues
                .iter()
                .filter_map(|v| s.get(v).map(|st| (*v, st.clone())))
                .collect()
        });
        summary_label(base_label, &asked, js_sys::Date::now())
    }

    /// The header's label: every venue asked so far.
    pub fn header_label(&self) -> String {
        let base_label = self.base.with(|b| b.origin.label());
        let venues: Vec<Venue> = self.venue_status.with(|s| s.keys().copied().collect());
        self.label_for(&venues, &base_label)
    }

    pub fn client(&self) -> Option<Client> {
        self.client.get_value()
    }

    /// Whether the site lets this page fetch at all (`"live": "off"`, or a config.json that could not be read,
    /// says no).
    pub fn live_allowed(&self) -> bool {
        self.config.with(|c| c.live != LiveMode::Off)
    }

    /// [`Self::live_allowed`] for event handlers and tasks, which must not subscribe to the config.
    fn live_allowed_now(&self) -> bool {
        self.config.with_untracked(|c| c.live != LiveMode::Off)
    }

    /// The visitor chose live data or the sample: switch, and remember the choice.
    pub fn set_mode(&self, mode: Mode) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(LIVE_KEY, if mode == Mode::Live { "1" } else { "0" });
        }
        self.use_mode(mode);
    }

    /// Switches without touching the saved choice (a snapshot, a link, the site's own setting).
    fn use_mode(&self, mode: Mode) {
        let mode = if mode == Mode::Live && !self.live_allowed_now() {
            Mode::Offline
        } else {
            mode
        };
        self.mode.set(mode);
        if mode == Mode::Offline {
            self.live.set(Arc::new(DataSet::empty(Origin::Live, 0)));
        }
    }

    /// Lets failed venues be asked again now, and tells the pages to ask.
    pub fn retry(&self, venues: &[Venue]) {
        if let Some(client) = self.client() {
            for venue in venues {
                client.reset_venue(*venue);
            }
        }
        self.venue_status.update(|s| {
            for venue in venues {
                if matches!(
                    s.get(venue),
                    Some(SourceStatus::Failed { .. } | SourceStatus::Stale { .. })
                ) {
                    s.remove(venue);
                }
            }
        });
        self.retries.update(|n| *n += 1);
    }

    /// Fetches `query` from the first of `venues` that answers; the result also lands in the live data set
    /// under `item` so every page sees it.
    ///
    /// Asking for live data is choosing live mode, so the labels never say "offline" next to live numbers; a
    /// site with live data off answers at once, saying so.
    pub fn fetch(&self, venues: Vec<Venue>, query: Query, item: Item) -> RwSignal<FetchState> {
        self.fetch_then(venues, query, item, || {})
    }

    /// [`DataContext::fetch`], calling `on_settled` once the request has an answer or has failed.
    pub fn fetch_then(
        &self,
        venues: Vec<Venue>,
        query: Query,
        item: Item,
        on_settled: impl FnOnce() + 'static,
    ) -> RwSignal<FetchState> {
        let state = RwSignal::new(FetchState::Loading);
        if !self.live_allowed_now() {
            let reasons = venues
                .iter()
                .map(|v| (*v, FetchFailure::LiveOff.message(*v)))
                .collect();
            state.set(FetchState::Failed { reasons });
            on_settled();
            return state;
        }
        if self.mode.get_untracked() != Mode::Live {
            self.set_mode(Mode::Live);
        }
        let Some(client) = self.client() else {
            state.set(FetchState::Failed { reasons: vec![] });
            on_settled();
            return state;
        };
        let ctx = *self;
        let asset = query.asset().clone();
        ctx.in_flight.update(|n| *n += 1);
        for venue in &venues {
            ctx.venue_status.update(|s| {
                // A venue already showing live or cached numbers keeps saying so while it refreshes.
                if !matches!(
                    s.get(venue),
                    Some(SourceStatus::Live { .. } | SourceStatus::Cached { .. })
                ) {
                    s.insert(*venue, SourceStatus::Loading);
                }
            });
        }
        spawn_local(async move {
            let result = client.fetch_first(&venues, &query).await;
            for notice in client.take_storage_notices() {
                ctx.notices.update(|n| n.push(notice));
            }
            match result {
                Ok((fetched, skipped)) => {
                    let status = SourceStatus::from_freshness(&fetched.freshness, fetched.venue);
                    ctx.venue_status.update(|s| {
                        for (v, failure) in &skipped {
                            s.insert(*v, SourceStatus::from_failure(failure, *v));
                        }
                        s.insert(fetched.venue, status.clone());
                    });
                    // The visitor may have switched to the sample meanwhile: then the answer is not shown.
                    if ctx.mode.get_untracked() == Mode::Live {
                        ctx.live.update(|live| {
                            let mut next = (**live).clone();
                            next.as_of_ms = js_sys::Date::now() as i64;
                            next.insert(fetched.venue, asset, item, fetched.payload.clone());
                            *live = Arc::new(next);
                        });
                    }
                    let skipped = skipped.iter().map(|(v, f)| (*v, f.message(*v))).collect();
                    let _ = state.try_set(FetchState::Done {
                        venue: fetched.venue,
                        payload: Arc::new(fetched.payload),
                        status,
                        skipped,
                    });
                }
                Err(failures) => {
                    ctx.venue_status.update(|s| {
                        for (v, failure) in &failures {
                            if *failure == FetchFailure::Aborted {
                                // Cancelled because the page went away: says nothing about the venue.
                                if s.get(v) == Some(&SourceStatus::Loading) {
                                    s.remove(v);
                                }
                            } else if !matches!(
                                s.get(v),
                                Some(SourceStatus::Live { .. } | SourceStatus::Cached { .. })
                            ) || failure.cools_venue_down()
                            {
                                s.insert(*v, SourceStatus::from_failure(failure, *v));
                            }
                        }
                    });
                    let reasons = failures.iter().map(|(v, f)| (*v, f.message(*v))).collect();
                    let _ = state.try_set(FetchState::Failed { reasons });
                }
            }
            ctx.venue_status.update(|s| {
                for v in &venues {
                    if s.get(v) == Some(&SourceStatus::Loading) {
                        s.remove(v);
                    }
                }
            });
            ctx.in_flight.update(|n| *n = n.saturating_sub(1));
            on_settled();
        });
        state
    }

    /// Whether any live entry for `asset` has arrived.
    pub fn has_live(&self, asset: &Asset) -> bool {
        self.live
            .with(|l| l.entries.iter().any(|e| &e.asset == asset))
    }

    /// Adds what a stream delivered to the live data set (bounded per venue, asset and kind). Events are
    /// gathered and applied once a second: a busy quote stream sends dozens a second, and every change of the
    /// live set recomputes the page.
    pub fn absorb_stream_event(&self, venue: Venue, asset: &Asset, event: StreamEvent) {
        if self.mode.get_untracked() != Mode::Live {
            return;
        }
        let first = self.stream_buffer.try_update_value(|b| {
            b.push((venue, asset.clone(), event));
            b.len() == 1
        });
        if first != Some(true) {
            return;
        }
        let ctx = *self;
        set_timeout(
            move || {
                let Some(events) = ctx.stream_buffer.try_update_value(std::mem::take) else {
                    return;
                };
                if ctx.mode.get_untracked() != Mode::Live || events.is_empty() {
                    return;
                }
                let now = js_sys::Date::now();
                ctx.live.update(|live| {
                    let mut next = (**live).clone();
                    for (venue, asset, event) in events.iter().cloned() {
                        next.absorb_stream_event(venue, &asset, event, STREAM_ROWS);
                    }
                    next.as_of_ms = next.as_of_ms.max(now as i64);
                    *live = Arc::new(next);
                });
                ctx.venue_status.update(|s| {
                    for (venue, _, _) in &events {
                        s.insert(*venue, SourceStatus::Live { at_ms: now });
                    }
                });
            },
            std::time::Duration::from_millis(1_000),
        );
    }

    /// Replaces the base data with a snapshot. Live entries are dropped (they belong to another moment); the
    /// visitor's saved choice of live data is left as it was.
    pub fn load_snapshot(&self, snapshot: Snapshot) {
        self.use_mode(Mode::Offline);
        self.base.set(Arc::new(snapshot.data));
    }

    /// Back to the embedded sample.
    pub fn load_sample(&self) {
        self.base.set(Arc::new(sample_dataset()));
    }
}

/// The visitor's choice of live data or the sample, if one was made: a link's `?data=live|sample` first (shown
/// without replacing the saved choice), then the saved one.
fn chosen_mode() -> (Option<bool>, Option<bool>) {
    let search = window().location().search().unwrap_or_default();
    let from_link = match crate::state::query::param(&search, "data").as_deref() {
        Some("live") => Some(true),
        Some("sample") => Some(false),
        _ => None,
    };
    let saved = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LIVE_KEY).ok().flatten())
        .and_then(|v| match v.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        });
    (from_link, saved)
}

/// Creates the data context: the sample at once, then `config.json` and a `?snapshot=` in the background.
pub fn provide_data() -> DataContext {
    let (from_link, saved) = chosen_mode();
    let chosen = from_link.or(saved);
    let ctx = DataContext {
        // Filled right after the first paint: simulating the sample takes longer than drawing a glossary page.
        base: RwSignal::new(Arc::new(DataSet::empty(Origin::Sample { seed: 0 }, 0))),
        live: RwSignal::new(Arc::new(DataSet::empty(Origin::Live, 0))),
        mode: RwSignal::new(match chosen {
            Some(true) => Mode::Live,
            Some(false) => Mode::Offline,
            None => Mode::Deciding,
        }),
        venue_status: RwSignal::new(BTreeMap::new()),
        in_flight: RwSignal::new(0),
        notices: RwSignal::new(Vec::new()),
        config: RwSignal::new(Arc::new(SiteConfig::default())),
        tick: RwSignal::new(0),
        retries: RwSignal::new(0),
        client: StoredValue::new_local(None),
        stream_buffer: StoredValue::new_local(Vec::new()),
    };
    provide_context(ctx);
    set_timeout(
        move || {
            if matches!(
                ctx.base.with_untracked(|b| b.origin.clone()),
                Origin::Sample { .. }
            ) {
                ctx.base.set(Arc::new(sample_dataset()));
            }
        },
        std::time::Duration::from_millis(0),
    );
    let ticker = set_interval_with_handle(
        move || {
            let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
            if visible {
                ctx.tick.update(|t| *t += 1);
            }
        },
        std::time::Duration::from_secs(60),
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    spawn_local(async move {
        let (config, problems) = load_config().await;
        for problem in problems {
            ctx.notices.update(|n| n.push(problem.to_string()));
        }
        ctx.client.set_value(Some(Client::new(config.clone())));
        let live = config.live;
        ctx.config.set(Arc::new(config));
        match (live, chosen) {
            (LiveMode::Off, _) => ctx.use_mode(Mode::Offline),
            (_, Some(true)) => ctx.use_mode(Mode::Live),
            (_, Some(false)) | (LiveMode::Manual, None) => ctx.use_mode(Mode::Offline),
            (LiveMode::Auto, None) => ctx.use_mode(Mode::Live),
        }
        load_snapshot_from_url(ctx).await;
    });
    ctx
}

/// The data context, or a fresh one for components rendered outside the app (tests).
pub fn use_data() -> DataContext {
    use_context::<DataContext>().unwrap_or_else(provide_data)
}

/// The largest `config.json` read: a few hundred bytes is normal.
const MAX_CONFIG_BYTES: u64 = 64_000;

/// Reads `config.json` next to `index.html`. Missing (404) means the defaults; a file that exists but cannot be
/// read or parsed fails closed: live data off, and a notice says why.
async fn load_config() -> (SiteConfig, Vec<ConfigProblem>) {
    let closed = |why: String| (SiteConfig::closed(), vec![ConfigProblem(why)]);
    match gloo_net::http::Request::get("./config.json").send().await {
        Ok(response) if response.status() == 404 => (SiteConfig::default(), Vec::new()),
        Ok(response) if response.ok() => match read_capped(&response, MAX_CONFIG_BYTES).await {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => SiteConfig::from_json(&text),
                Err(_) => closed("is not UTF-8 text; live data is off until it is fixed".into()),
            },
            Err(_) => closed("could not be read whole; live data is off until it is fixed".into()),
        },
        Ok(response) => closed(format!(
            "could not be loaded (HTTP {}); live data is off until it loads",
            response.status()
        )),
        Err(_) => closed("could not be loaded; live data is off until it loads".into()),
    }
}

/// `?snapshot=name.json`: a snapshot hosted next to the site.
async fn load_snapshot_from_url(ctx: DataContext) {
    let search = window().location().search().unwrap_or_default();
    let Some(name) = crate::state::query::param(&search, "snapshot") else {
        return;
    };
    let path = match hosted_snapshot_path(&name) {
        Ok(path) => path,
        Err(e) => {
            ctx.notices.update(|n| n.push(e.to_string()));
            return;
        }
    };
    let result = match gloo_net::http::Request::get(&path).send().await {
        Ok(response) if response.ok() => {
            match read_capped(&response, snapshot::MAX_BYTES as u64).await {
                Ok(bytes) => Snapshot::from_json(&bytes, &name).map_err(|e| e.to_string()),
                Err(crate::market::client::BodyError::TooLarge) => Err(SnapshotError::TooLarge {
                    bytes: snapshot::MAX_BYTES + 1,
                }
                .to_string()),
                Err(_) => Err(format!("The snapshot “{name}” could not be read.")),
            }
        }
        Ok(response) => Err(format!(
            "The snapshot “{name}” was not found (HTTP {}).",
            response.status()
        )),
        Err(_) => Err(format!("The snapshot “{name}” could not be loaded.")),
    };
    match result {
        Ok(snapshot) => ctx.load_snapshot(snapshot),
        Err(message) => ctx.notices.update(|n| n.push(message)),
    }
}
