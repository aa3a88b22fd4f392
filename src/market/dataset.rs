//! A data set: everything a view shows, whatever its source (the embedded simulated sample, live venues, or a
//! snapshot file). Pages look data up by (venue, asset, item) and never care where it came from; the origin is
//! kept so every chart can say it.

use serde::{Deserialize, Serialize};

use super::model::{Asset, Point, PriceKind, RatioKind, Venue};
use super::venues::{Payload, StreamEvent};

/// Where a data set came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The seeded market simulator shipped inside the app.
    Sample { seed: u64 },
    /// Fetched from the venues' public APIs.
    Live,
    /// Loaded from a snapshot file someone exported.
    Snapshot { name: String },
}

impl Origin {
    /// Whether this is the embedded simulated sample.
    pub fn is_sample(&self) -> bool {
        matches!(self, Origin::Sample { .. })
    }

    /// The label shown next to data from this origin.
    pub fn label(&self) -> String {
        match self {
            Origin::Sample { .. } => "simulated sample".to_string(),
            Origin::Live => "live".to_string(),
            Origin::Snapshot { name } => format!("snapshot “{name}”"),
        }
    }
}

/// Which data an entry holds: a [`super::venues::Query`] without its time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    Funding,
    FundingSettings,
    Ticker,
    OpenInterest,
    Ratio {
        kind: RatioKind,
    },
    Taker,
    Candles {
        price: PriceKind,
    },
    /// Candles of the spot market the perpetual tracks (for OI ÷ spot volume and basis).
    SpotCandles,
    Basis,
    Book,
    Options,
    Liquidations,
    Quotes,
}

/// One venue's data of one kind for one asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub venue: Venue,
    pub asset: Asset,
    #[serde(flatten)]
    pub item: Item,
    pub payload: Payload,
}

/// Facts about an asset that belong to no venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetFacts {
    pub asset: Asset,
    /// Market capitalisation in USD over time (index × circulating supply).
    #[serde(default)]
    pub market_cap_usd: Vec<Point>,
}

/// Everything a view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSet {
    pub origin: Origin,
    /// The time the data describes ("now" for the data set), ms UTC.
    pub as_of_ms: i64,
    pub entries: Vec<Entry>,
    #[serde(default)]
    pub assets: Vec<AssetFacts>,
}

impl DataSet {
    /// An empty data set.
    pub fn empty(origin: Origin, as_of_ms: i64) -> DataSet {
        DataSet {
            origin,
            as_of_ms,
            entries: Vec::new(),
            assets: Vec::new(),
        }
    }

    /// Venue-independent facts about an asset.
    pub fn facts(&self, asset: &Asset) -> Option<&AssetFacts> {
        self.assets.iter().find(|f| &f.asset == asset)
    }

    pub fn get(&self, venue: Venue, asset: &Asset, item: Item) -> Option<&Payload> {
        self.entries
            .iter()
            .find(|e| e.venue == venue && &e.asset == asset && e.item == item)
            .map(|e| &e.payload)
    }

    /// Venues that have `item` for `asset`, in canonical order.
    pub fn venues_with(&self, asset: &Asset, item: Item) -> Vec<Venue> {
        let mut venues: Vec<Venue> = self
            .entries
            .iter()
            .filter(|e| &e.asset == asset && e.item == item)
            .map(|e| e.venue)
            .collect();
        lens_math::sort::sort(&mut venues);
        venues.dedup();
        venues
    }

    /// Assets present, sorted.
    pub fn assets(&self) -> Vec<Asset> {
        let mut assets: Vec<Asset> = self.entries.iter().map(|e| e.asset.clone()).collect();
        lens_math::sort::sort(&mut assets);
        assets.dedup();
        assets
    }

    /// What a page about `asset` shows: once any live entry for the asset has arrived, all of the asset's
    /// entries come from `live` (the sample describes another month, and a chart or a sum that mixed the two
    /// would mean nothing); until then the base set's. Other assets keep the base set's entries. A live asset's
    /// market cap is its latest prices × [`circulating_supply_estimate`].
    pub fn in_view(base: &DataSet, live: &DataSet, asset: &Asset) -> DataSet {
        let live_assets = live.assets();
        if live_assets.is_empty() {
            return base.clone();
        }
        let is_live = |a: &Asset| live_assets.contains(a);
        let mut set = DataSet {
            origin: if is_live(asset) {
                Origin::Live
            } else {
                base.origin.clone()
            },
            as_of_ms: if is_live(asset) {
                live.as_of_ms
            } else {
                base.as_of_ms
            },
            entries: base
                .entries
                .iter()
                .filter(|e| !is_live(&e.asset))
                .cloned()
                .collect(),
            assets: base
                .assets
                .iter()
                .filter(|f| !is_live(&f.asset))
                .cloned()
                .collect(),
        };
        set.entries.extend(live.entries.iter().cloned());
        set.assets
            .extend(live_assets.iter().filter_map(|a| live_market_cap(live, a)));
        set
    }

    /// Adds what a stream delivered: best quotes and liquidations are appended (keeping the newest
    /// `max_rows`), a book snapshot replaces the previous one.
    pub fn absorb_stream_event(
        &mut self,
        venue: Venue,
        asset: &Asset,
        event: StreamEvent,
        max_rows: usize,
    ) {
        fn keep_newest<T>(rows: &mut Vec<T>, max_rows: usize) {
            if rows.len() > max_rows {
                rows.drain(..rows.len() - max_rows);
            }
        }
        let (item, payload) = match event {
            StreamEvent::Quote(q) => {
                let mut rows = match self.get(venue, asset, Item::Quotes) {
                    Some(Payload::Quotes(rows)) => rows.clone(),
                    _ => Vec::new(),
                };
                rows.push(q);
                keep_newest(&mut rows, max_rows);
                (Item::Quotes, Payload::Quotes(rows))
            }
            StreamEvent::Liquidation(l) => {
                let mut rows = match self.get(venue, asset, Item::Liquidations) {
                    Some(Payload::Liquidations(rows)) => rows.clone(),
                    _ => Vec::new(),
                };
                rows.push(l);
                keep_newest(&mut rows, max_rows);
                (Item::Liquidations, Payload::Liquidations(rows))
            }
            StreamEvent::Book(b) => (Item::Book, Payload::Book(b)),
        };
        self.insert(venue, asset.clone(), item, payload);
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, venue: Venue, asset: Asset, item: Item, payload: Payload) {
        match self
            .entries
            .iter_mut()
            .find(|e| e.venue == venue && e.asset == asset && e.item == item)
        {
            Some(entry) => entry.payload = payload,
            None => self.entries.push(Entry {
                venue,
                asset,
                item,
                payload,
            }),
        }
    }
}

/// Coins in circulation, to value a live market (market cap = price × supply) where no venue reports it.
/// Estimates for late 2026, good to about 1 %: Bitcoin's supply grows ~450 BTC a day since the April 2024
/// halving (3.125 BTC × 144 blocks) from 19.8 M at the start of 2025; Ether's has stayed near 120.7 M since
/// the Merge, issuance and burn roughly cancelling.
pub fn circulating_supply_estimate(asset: &Asset) -> Option<f64> {
    match asset.as_str() {
        "BTC" => Some(19_960_000.0),
        "ETH" => Some(120_700_000.0),
        _ => None,
    }
}

/// Market cap over time from the first venue's live traded candles.
fn live_market_cap(live: &DataSet, asset: &Asset) -> Option<AssetFacts> {
    let supply = circulating_supply_estimate(asset)?;
    let item = Item::Candles {
        price: PriceKind::Last,
    };
    let candles =
        live.venues_with(asset, item)
            .into_iter()
            .find_map(|v| match live.get(v, asset, item) {
                Some(Payload::Candles(c)) if !c.is_empty() => Some(c),
                _ => None,
            })?;
    Some(AssetFacts {
        asset: asset.clone(),
        market_cap_usd: candles
            .iter()
            .filter(|c| c.close.is_finite() && c.close > 0.0)
            .map(|c| Point {
                time_ms: c.open_time_ms,
                value: c.close * supply,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::model::FundingRate;

    fn set() -> DataSet {
        let mut d = DataSet::empty(Origin::Sample { seed: 7 }, 1_000);
        let rows = vec![FundingRate {
            time_ms: 0,
            rate: 0.0001,
            interval_hours: 8.0,
            mark_price: None,
        }];
        d.insert(
            Venue::Binance,
            Asset::btc(),
            Item::Funding,
            Payload::Funding(rows),
        );
        d.insert(
            Venue::Bybit,
            Asset::btc(),
            Item::Ratio {
                kind: RatioKind::GlobalAccounts,
            },
            Payload::Ratios(vec![]),
        );
        d
    }

    #[test]
    fn lookup_by_venue_asset_item() {
        let d = set();
        assert!(matches!(
            d.get(Venue::Binance, &Asset::btc(), Item::Funding),
            Some(Payload::Funding(_))
        ));
        assert!(d.get(Venue::Okx, &Asset::btc(), Item::Funding).is_none());
        assert_eq!(
            d.venues_with(&Asset::btc(), Item::Funding),
            vec![Venue::Binance]
        );
        assert_eq!(d.assets(), vec![Asset::btc()]);
    }

    #[test]
    fn a_live_asset_shows_only_live_entries_and_others_stay_on_the_base_set() {
        let mut base = set();
        base.assets.push(AssetFacts {
            asset: Asset::btc(),
            market_cap_usd: vec![Point {
                time_ms: 0,
                value: 1.0,
            }],
        });
        let eth = Asset::new("ETH").unwrap();
        base.insert(
            Venue::Binance,
            eth.clone(),
            Item::Funding,
            Payload::Funding(vec![]),
        );
        let mut live = DataSet::empty(Origin::Live, 5_000);
        let candle = crate::market::model::Candle {
            open_time_ms: 4_000,
            open: 100.0,
            high: 100.0,
            low: 100.0,
            close: 100.0,
            volume_base: 1.0,
            taker_buy_base: None,
        };
        live.insert(
            Venue::Bybit,
            Asset::btc(),
            Item::Candles {
                price: PriceKind::Last,
            },
            Payload::Candles(vec![candle]),
        );
        // Nothing live yet: the base set as it is.
        assert_eq!(
            DataSet::in_view(&base, &DataSet::empty(Origin::Live, 0), &Asset::btc()),
            base
        );
        let view = DataSet::in_view(&base, &live, &Asset::btc());
        assert_eq!(view.origin, Origin::Live);
        // BTC: the sample's Binance funding is gone, the live Bybit candles are there, the cap is price × supply.
        assert!(
            view.get(Venue::Binance, &Asset::btc(), Item::Funding)
                .is_none()
        );
        assert_eq!(
            view.venues_with(
                &Asset::btc(),
                Item::Candles {
                    price: PriceKind::Last
                }
            ),
            vec![Venue::Bybit]
        );
        let cap = &view.facts(&Asset::btc()).unwrap().market_cap_usd;
        assert_eq!(
            cap,
            &vec![Point {
                time_ms: 4_000,
                value: 100.0 * 19_960_000.0
            }]
        );
        // ETH has nothing live: it keeps the base set's entries, and a page about it says where they come from.
        assert!(view.get(Venue::Binance, &eth, Item::Funding).is_some());
        assert_eq!(DataSet::in_view(&base, &live, &eth).origin, base.origin);
    }

    #[test]
    fn json_shape_is_flat_and_round_trips() {
        let d = set();
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            json.contains(r#""origin":{"kind":"sample","seed":7}"#),
            "{json}"
        );
        assert!(
            json.contains(r#""item":"ratio","kind":"global_accounts""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<DataSet>(&json).unwrap(), d);
    }
}
