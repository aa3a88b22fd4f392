//! A page's live data: what it asks the venues for, kept current, and whether it is still waiting.
//!
//! `use_live_data` asks for every need of an example (REST where the venue has an endpoint, its stream where only
//! a stream carries the data), and asks again when the data's cache window moves or the visitor presses Retry.
//! `use_live_wait` says whether the page should still hold back the sample (at most [`LIVE_WAIT_MS`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;

use crate::lesson::live::query_for;
use crate::lesson::{Need, Scope};
use crate::market::cache::ttl_ms;
use crate::market::config::SiteConfig;
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, Venue};
use crate::market::stream::{StreamHandle, open_stream};
use crate::market::venues::{StreamKind, stream_request, supports};
use crate::ui::data::{DataContext, Mode, use_data};

/// How long a page waits for live numbers before it shows the sample, labelled with the reason.
pub const LIVE_WAIT_MS: u64 = 1_500;

/// What a page's data depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveParams {
    pub asset: Asset,
    /// The venue the visitor chose, if any.
    pub chosen: Option<Venue>,
    /// Days of history.
    pub days: i64,
}

/// What a page asked the venues for: the venues (for its status line) and how many answers are outstanding.
#[derive(Clone, Copy)]
pub struct LiveRequests {
    pub asked: RwSignal<Vec<Venue>>,
    pub pending: RwSignal<u32>,
}

/// The venues that serve `need` for this example: the chosen one (or the first with the data), or all of them.
fn targets(
    need: &Need,
    serving: Vec<Venue>,
    chosen: Option<Venue>,
    set: &DataSet,
    asset: &Asset,
) -> Vec<Venue> {
    match need.scope {
        Scope::AllVenues => serving,
        Scope::Chosen => chosen
            .or_else(|| set.venues_with(asset, need.item).first().copied())
            .filter(|v| serving.contains(v))
            .or_else(|| serving.first().copied())
            .into_iter()
            .collect(),
    }
}

/// In live mode, asks the venues for every need of the live example, and asks again whenever the data's cache window
/// has moved (checked every minute) or the visitor pressed Retry. Data that only a stream carries (best
/// quotes, liquidations on most venues) comes from the venue's stream while the page is open.
pub fn use_live_data(
    needs: &'static [Need],
    params: Signal<LiveParams>,
    set: Memo<Arc<DataSet>>,
) -> LiveRequests {
    let data = use_data();
    let live = LiveRequests {
        asked: RwSignal::new(Vec::new()),
        pending: RwSignal::new(0),
    };
    let asked = StoredValue::new(BTreeSet::<(Venue, String, String, i64, u64)>::new());
    let streams: StoredValue<BTreeMap<(Venue, String, &'static str), StreamHandle>, LocalStorage> =
        StoredValue::new_local(BTreeMap::new());
    on_cleanup(move || streams.set_value(BTreeMap::new()));
    Effect::new(move |_| {
        data.tick.track();
        data.retries.track();
        if data.mode.get() != Mode::Live {
            streams.set_value(BTreeMap::new());
            return;
        }
        let config = data.config.get();
        if data.client().is_none() {
            return;
        }
        let LiveParams {
            asset,
            chosen,
            days,
        } = params.get();
        let now = js_sys::Date::now() as i64;
        let mut venues_asked = Vec::new();
        let mut wanted_streams = BTreeSet::new();
        for need in needs {
            let query = query_for(need.item, &asset, now, days);
            let rest: Vec<Venue> = Venue::ALL
                .into_iter()
                .filter(|v| config.endpoint(*v).is_some())
                .filter(|v| query.as_ref().is_some_and(|q| supports(*v, q)))
                .collect();
            let kind = stream_kind(need.item);
            let by_stream: Vec<Venue> = Venue::ALL
                .into_iter()
                .filter(|v| config.endpoint(*v).is_some_and(|e| e.ws.is_some()))
                .filter(|v| !rest.contains(v))
                .filter(|v| kind.is_some_and(|k| stream_request(*v, &asset, k).is_ok()))
                .collect();
            let serving: Vec<Venue> = rest.iter().chain(&by_stream).copied().collect();
            for venue in set.with_untracked(|s| targets(need, serving, chosen, s, &asset)) {
                if !venues_asked.contains(&venue) {
                    venues_asked.push(venue);
                }
                if let (Some(kind), true) = (kind, by_stream.contains(&venue)) {
                    wanted_streams.insert((venue, asset.to_string(), kind));
                    continue;
                }
                let Some(query) = query.clone() else { continue };
                // Asked again once the data's time-to-live has passed: the window key moves.
                let window = now / i64::try_from(ttl_ms(&query)).unwrap_or(i64::MAX).max(1);
                let retries = data.retries.get_untracked();
                let key = (
                    venue,
                    asset.to_string(),
                    format!("{:?}", need.item),
                    window,
                    retries,
                );
                if asked.with_value(|a| a.contains(&key)) {
                    continue;
                }
                asked.update_value(|a| {
                    a.insert(key);
                });
                live.pending.update(|n| *n += 1);
                let _ = data.fetch_then(vec![venue], query, need.item, move || {
                    live.pending.try_update(|n| *n = n.saturating_sub(1));
                });
            }
        }
        live.asked.set(venues_asked);
        open_streams(data, &config, &wanted_streams, streams);
    });
    live
}

/// The stream that carries an item, for items a REST query may not.
fn stream_kind(item: Item) -> Option<StreamKind> {
    match item {
        Item::Quotes => Some(StreamKind::BestQuotes),
        Item::Liquidations => Some(StreamKind::Liquidations),
        Item::Book => Some(StreamKind::Book),
        _ => None,
    }
}

/// Keeps exactly the wanted streams open: new ones are opened, ones no longer wanted are closed (dropped).
fn open_streams(
    data: DataContext,
    config: &SiteConfig,
    wanted: &BTreeSet<(Venue, String, StreamKind)>,
    streams: StoredValue<BTreeMap<(Venue, String, &'static str), StreamHandle>, LocalStorage>,
) {
    streams.update_value(|open| {
        open.retain(|(venue, asset, kind), _| {
            wanted
                .iter()
                .any(|(v, a, k)| v == venue && a == asset && k.id() == *kind)
        });
        for (venue, asset_symbol, kind) in wanted {
            let key = (*venue, asset_symbol.clone(), kind.id());
            if open.contains_key(&key) {
                continue;
            }
            let (Some(asset), Some(ws)) = (
                Asset::new(asset_symbol),
                config.endpoint(*venue).and_then(|e| e.ws.clone()),
            ) else {
                continue;
            };
            let Ok(request) = stream_request(*venue, &asset, *kind) else {
                continue;
            };
            let venue = *venue;
            let handle = open_stream(
                &ws,
                request,
                move |event| data.absorb_stream_event(venue, &asset, event),
                |_| {},
            );
            open.insert(key, handle);
        }
    });
}

/// Whether a page about `asset` should still hold back the sample: live data was asked for, has not arrived,
/// and the page has waited less than [`LIVE_WAIT_MS`]. While it does, the page lays itself out on the sample but
/// hides it behind a loading note, so neither simulated numbers flash nor the layout jumps when live ones come.
pub fn use_live_wait(live: LiveRequests, asset: Signal<Asset>) -> Memo<bool> {
    let data = use_data();
    let waited = RwSignal::new(false);
    set_timeout(
        move || {
            let _ = waited.try_set(true);
        },
        std::time::Duration::from_millis(LIVE_WAIT_MS),
    );
    Memo::new(move |_| {
        let asking = match data.mode.get() {
            Mode::Deciding => true,
            Mode::Live => live.pending.get() > 0,
            Mode::Offline => false,
        };
        asking && !waited.get() && !asset.with(|a| data.has_live(a))
    })
}
