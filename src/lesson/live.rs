//! What to ask the venues for when an example runs on live data: one query per data need, covering the
//! example's window, at the hourly resolution the examples read.

use crate::market::dataset::Item;
use crate::market::model::Asset;
use crate::market::venues::{Period, Query};

use super::read::DAY_MS;

/// The query that fills `item` for `asset` over the `days` before `now_ms`; `None` for data that only arrives
/// by stream (best quotes) or with other data (spot candles come with no perpetual query).
pub fn query_for(item: Item, asset: &Asset, now_ms: i64, days: i64) -> Option<Query> {
    let asset = asset.clone();
    let to_ms = now_ms;
    let from_ms = now_ms.saturating_sub(days.clamp(1, 30).saturating_mul(DAY_MS));
    let period = Period::H1;
    Some(match item {
        Item::Funding => Query::FundingHistory {
            asset,
            from_ms,
            to_ms,
        },
        Item::FundingSettings => Query::FundingSettings { asset },
        Item::Ticker => Query::Ticker { asset },
        Item::OpenInterest => Query::OpenInterestHistory {
            asset,
            period,
            from_ms,
            to_ms,
        },
        Item::Ratio { kind } => Query::LongShortRatio {
            asset,
            kind,
            period,
            from_ms,
            to_ms,
        },
        Item::Taker => Query::TakerVolume {
            asset,
            period,
            from_ms,
            to_ms,
        },
        Item::Candles { price } => Query::Candles {
            asset,
            price,
            period,
            from_ms,
            to_ms,
        },
        Item::Basis => Query::Basis {
            asset,
            period,
            from_ms,
            to_ms,
        },
        Item::Book => Query::OrderBook { asset, depth: 100 },
        Item::Options => Query::OptionChain { asset },
        Item::Liquidations => Query::RecentLiquidations { asset },
        Item::SpotCandles | Item::Quotes => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::model::RatioKind;

    #[test]
    fn windows_end_now_and_are_clamped_to_what_venues_keep() {
        let asset = Asset::btc();
        match query_for(Item::OpenInterest, &asset, 100 * DAY_MS, 365) {
            Some(Query::OpenInterestHistory { from_ms, to_ms, .. }) => {
                assert_eq!(to_ms, 100 * DAY_MS);
                assert_eq!(from_ms, 70 * DAY_MS);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            query_for(
                Item::Ratio {
                    kind: RatioKind::TopPositions
                },
                &asset,
                0,
                7
            ),
            Some(Query::LongShortRatio {
                kind: RatioKind::TopPositions,
                ..
            })
        ));
        assert_eq!(query_for(Item::Quotes, &asset, 0, 7), None);
    }
}
