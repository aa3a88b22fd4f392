//! What to ask the venues for when an example runs on live data: one query per data need, covering the
//! example's window, at the hourly resolution the examples read.

use crate::market::dataset::Item;
use crate::market::model::Asset;
use crate::market::venues::{Period, Query};

use super::read::DAY_MS;

/// The bar period every live example reads.
pub const BAR_PERIOD: Period = Period::H1;

/// The end of the window that holds `now_ms`: the next whole bar period. Windows move in whole bars, so the
/// same page asked again within the hour sends the same request, and a reload within the data's time-to-live is
/// served from the cache.
pub fn window_end(now_ms: i64) -> i64 {
    let period = BAR_PERIOD.ms();
    now_ms
        .div_euclid(period)
        .saturating_add(1)
        .saturating_mul(period)
}

/// The query that fills `item` for `asset` over the `days` before `now_ms` (aligned to whole bars, see
/// [`window_end`]); `None` for data that only arrives by stream (best quotes) or with other data (spot candles
/// come with no perpetual query).
pub fn query_for(item: Item, asset: &Asset, now_ms: i64, days: i64) -> Option<Query> {
    let asset = asset.clone();
    let to_ms = window_end(now_ms);
    let from_ms = to_ms.saturating_sub(days.clamp(1, 30).saturating_mul(DAY_MS));
    let period = BAR_PERIOD;
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
    fn windows_end_at_the_next_whole_hour_and_are_clamped_to_what_venues_keep() {
        let asset = Asset::btc();
        let hour = 3_600_000;
        match query_for(Item::OpenInterest, &asset, 100 * DAY_MS + 1, 365) {
            Some(Query::OpenInterestHistory { from_ms, to_ms, .. }) => {
                assert_eq!(to_ms, 100 * DAY_MS + hour);
                assert_eq!(from_ms, 70 * DAY_MS + hour);
            }
            other => panic!("{other:?}"),
        }
        // Anywhere within the same hour, the same request: a reload hits the cache.
        let at = |now| query_for(Item::Funding, &asset, now, 7);
        assert_eq!(at(100 * DAY_MS), at(100 * DAY_MS + hour - 1));
        assert_ne!(at(100 * DAY_MS), at(100 * DAY_MS + hour));
        assert_eq!(window_end(i64::MAX), i64::MAX);
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
