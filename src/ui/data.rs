//! The app's data, shared by every page: the data set in view (the embedded sample, or a snapshot), what has
//! been fetched live, the status of every source, and the client that fetches.
//!
//! Pages ask for data by (venue, asset, item); they get the live entry where one was fetched and the base data
//! set's entry otherwise, always with a status that says which.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::market::client::Client;
use crate::market::config::{ConfigProblem, LiveMode, SiteConfig};
use crate::market::dataset::{DataSet, Item, Origin};
use crate::market::model::{Asset, Venue};
use crate::market::policy::FetchFailure;
use crate::market::sample::sample_dataset;
use crate::market::snapshot::{Snapshot, hosted_snapshot_path};
use crate::market::status::SourceStatus;
use crate::market::venues::{Payload, Query};

/// Where the numbers in view come from, as the visitor chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The embedded sample or a loaded snapshot only.
    Offline,
    /// Fetch from venues; keep showing the base data until live data arrives.
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
    /// Entries fetched live in this session, keyed like the base set.
    pub live: RwSignal<Arc<DataSet>>,
    pub mode: RwSignal<Mode>,
    /// The last known status of each venue.
    pub venue_status: RwSignal<BTreeMap<Venue, SourceStatus>>,
    /// Requests under way (drives the loading indicator).
    pub in_flight: RwSignal<u32>,
    /// Problems worth telling the visitor once (config, storage, snapshot).
    pub notices: RwSignal<Vec<String>>,
    pub config: RwSignal<Arc<SiteConfig>>,
    client: StoredValue<Option<Client>, LocalStorage>,
}

const LIVE_KEY: &str = "leverage-lens.live";

impl DataContext {
    /// The data set in view now, for chart captions and snapshot export: the base set with live entries on top.
    pub fn combined(&self) -> DataSet {
        let mut set = (*self.base.get()).clone();
        let live = self.live.get();
        if !live.entries.is_empty() {
            set.origin = Origin::Live;
            set.as_of_ms = live.as_of_ms.max(set.as_of_ms);
            for entry in &live.entries {
                set.insert(
                    entry.venue,
                    entry.asset.clone(),
                    entry.item,
                    entry.payload.clone(),
                );
            }
        }
        set
    }

    /// The label of where the numbers in view come from ("simulated sample", "live", "snapshot …").
    pub fn combined_origin_label(&self) -> String {
        if self.live.with(|l| !l.entries.is_empty()) {
            Origin::Live.label()
        } else {
            self.base.with(|b| b.origin.label())
        }
    }

    /// The entry for (venue, asset, item) and its status: live if fetched, else the base set's.
    pub fn entry(
        &self,
        venue: Venue,
        asset: &Asset,
        item: Item,
    ) -> Option<(Payload, SourceStatus)> {
        if let Some(p) = self.live.with(|l| l.get(venue, asset, item).cloned()) {
            let status = self
                .venue_status
                .with(|s| s.get(&venue).cloned())
                .unwrap_or(SourceStatus::Live { at_ms: 0.0 });
            return Some((p, status));
        }
        self.base.with(|b| {
            b.get(venue, asset, item)
                .cloned()
                .map(|p| (p, SourceStatus::from_origin(&b.origin)))
        })
    }

    pub fn client(&self) -> Option<Client> {
        self.client.get_value()
    }

    /// Switches between live fetching and the offline data, remembering the choice.
    pub fn set_mode(&self, mode: Mode) {
        self.mode.set(mode);
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(LIVE_KEY, if mode == Mode::Live { "1" } else { "0" });
        }
        if mode == Mode::Offline {
            self.live.set(Arc::new(DataSet::empty(Origin::Live, 0)));
        }
    }

    /// Fetches `query` from the first of `venues` that answers; the result also lands in the live data set
    /// under `item` so every page sees it.
    ///
    /// Asking for live data is choosing live mode, so the labels never say "offline" next to live numbers.
    pub fn fetch(&self, venues: Vec<Venue>, query: Query, item: Item) -> RwSignal<FetchState> {
        if self.mode.get_untracked() == Mode::Offline {
            self.set_mode(Mode::Live);
        }
        let state = RwSignal::new(FetchState::Loading);
        let Some(client) = self.client() else {
            state.set(FetchState::Failed { reasons: vec![] });
            return state;
        };
        let ctx = *self;
        let asset = query.asset().clone();
        ctx.in_flight.update(|n| *n += 1);
        for venue in &venues {
            ctx.venue_status.update(|s| {
                s.insert(*venue, SourceStatus::Loading);
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
                    let skipped: Vec<(Venue, String)> =
                        skipped.iter().map(|(v, f)| (*v, f.message(*v))).collect();
                    ctx.venue_status.update(|s| {
                        for (v, failure) in &skipped {
                            s.insert(
                                *v,
                                SourceStatus::Failed {
                                    reason: failure.clone(),
                                },
                            );
                        }
                        s.insert(fetched.venue, status.clone());
                    });
                    ctx.live.update(|live| {
                        let mut next = (**live).clone();
                        next.as_of_ms = js_sys::Date::now() as i64;
                        next.insert(fetched.venue, asset, item, fetched.payload.clone());
                        *live = Arc::new(next);
                    });
                    let _ = state.try_set(FetchState::Done {
                        venue: fetched.venue,
                        payload: Arc::new(fetched.payload),
                        status,
                        skipped,
                    });
                }
                Err(failures) => {
                    let reasons: Vec<(Venue, String)> =
                        failures.iter().map(|(v, f)| (*v, f.message(*v))).collect();
                    ctx.venue_status.update(|s| {
                        for ((v, failure), (_, reason)) in failures.iter().zip(&reasons) {
                            if *failure == FetchFailure::Aborted {
                                // Cancelled because the page went away: says nothing about the venue.
                                s.remove(v);
                            } else {
                                s.insert(
                                    *v,
                                    SourceStatus::Failed {
                                        reason: reason.clone(),
                                    },
                                );
                            }
                        }
                    });
                    let _ = state.try_set(FetchState::Failed { reasons });
                }
            }
            ctx.venue_status
                .update(|s| s.retain(|_, status| *status != SourceStatus::Loading));
            ctx.in_flight.update(|n| *n = n.saturating_sub(1));
        });
        state
    }

    /// Replaces the base data with a snapshot (and drops live entries, which belong to another moment).
    pub fn load_snapshot(&self, snapshot: Snapshot) {
        self.set_mode(Mode::Offline);
        self.base.set(Arc::new(snapshot.data));
    }

    /// Back to the embedded sample.
    pub fn load_sample(&self) {
        self.base.set(Arc::new(sample_dataset()));
    }
}

/// Creates the data context: the sample at once, then `config.json` and a `?snapshot=` in the background.
pub fn provide_data() -> DataContext {
    let search = window().location().search().unwrap_or_default();
    // `?data=live|sample` in a shared link wins over the visitor's remembered choice and the site's "auto",
    // without replacing the remembered choice.
    let from_link = match crate::state::query::param(&search, "data").as_deref() {
        Some("live") => Some(true),
        Some("sample") => Some(false),
        _ => None,
    };
    let stored_live = from_link.unwrap_or_else(|| {
        window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(LIVE_KEY).ok().flatten())
            .is_some_and(|v| v == "1")
    });
    let ctx = DataContext {
        // Filled right after the first paint: simulating the sample takes longer than drawing a glossary page.
        base: RwSignal::new(Arc::new(DataSet::empty(Origin::Sample { seed: 0 }, 0))),
        live: RwSignal::new(Arc::new(DataSet::empty(Origin::Live, 0))),
        mode: RwSignal::new(if stored_live {
            Mode::Live
        } else {
            Mode::Offline
        }),
        venue_status: RwSignal::new(BTreeMap::new()),
        in_flight: RwSignal::new(0),
        notices: RwSignal::new(Vec::new()),
        config: RwSignal::new(Arc::new(SiteConfig::default())),
        client: StoredValue::new_local(None),
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
    spawn_local(async move {
        let (config, problems) = load_config().await;
        for problem in problems {
            ctx.notices.update(|n| n.push(problem.to_string()));
        }
        if config.live == LiveMode::Auto && from_link.is_none() && !stored_live {
            ctx.mode.set(Mode::Live);
        }
        if config.live == LiveMode::Off {
            ctx.mode.set(Mode::Offline);
        }
        ctx.client.set_value(Some(Client::new(config.clone())));
        ctx.config.set(Arc::new(config));
        load_snapshot_from_url(ctx).await;
    });
    ctx
}

/// The data context, or a fresh one for components rendered outside the app (tests).
pub fn use_data() -> DataContext {
    use_context::<DataContext>().unwrap_or_else(provide_data)
}

/// Reads `config.json` next to `index.html`. Missing is normal (defaults); broken is reported.
async fn load_config() -> (SiteConfig, Vec<ConfigProblem>) {
    match gloo_net::http::Request::get("./config.json").send().await {
        Ok(response) if response.ok() => match response.text().await {
            Ok(text) => SiteConfig::from_json(&text),
            Err(_) => (
                SiteConfig::default(),
                vec![ConfigProblem("could not be read".to_string())],
            ),
        },
        _ => (SiteConfig::default(), Vec::new()),
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
        Ok(response) if response.ok() => match response.binary().await {
            Ok(bytes) => Snapshot::from_json(&bytes, &name).map_err(|e| e.to_string()),
            Err(_) => Err(format!("The snapshot “{name}” could not be read.")),
        },
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
