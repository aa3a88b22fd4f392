//! A data set: everything a view shows, whatever its source (the embedded simulated sample, live venues, or a
//! snapshot file). Pages look data up by (venue, asset, item) and never care where it came from; the origin is
//! kept so every chart can say it.

use serde::{Deserialize, Serialize};

use super::model::{Asset, Point, PriceKind, RatioKind, Venue};
use super::venues::Payload;

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
        venues.sort();
        venues.dedup();
        venues
    }

    /// Assets present, sorted.
    pub fn assets(&self) -> Vec<Asset> {
        let mut assets: Vec<Asset> = self.entries.iter().map(|e| e.asset.clone()).collect();
        assets.sort();
        assets.dedup();
        assets
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
