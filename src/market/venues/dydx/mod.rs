//! dYdX v4 indexer: `GET https://indexer.dydx.trade/v4/…`. Numbers are decimal strings, times ISO-8601 UTC,
//! lists newest first (sorted here); errors are `{"errors":[{"msg": …, "param"|"path": …}]}`.
//!
//! Units and conventions (indexer source `dydxprotocol/v4-chain` `indexer/services/comlink`, recorded bodies):
//! - prices in USD, sizes and `openInterest` / `startingOpenInterest` / `baseTokenVolume` in base units;
//!   `openInterest` is one side of the market (it equals the candles' `startingOpenInterest`);
//!   `baseOpenInterest` is a reference the margin rules use, not the current open interest, and is ignored;
//! - funding is settled hourly; `rate` and `nextFundingRate` are per hour;
//! - margin and liquidations run on the oracle price, so `oraclePrice` is both mark and index;
//! - open-interest history comes from the candles: `startingOpenInterest` is the open interest when each
//!   candle opened; its USD value uses that candle's open price (the only price of the same moment).
//!
//! Limits: every list returns at most 1000 rows (`API_LIMIT_V4`), so funding is paged by 1000-hour windows
//! (`effectiveBeforeOrAt` + `limit`) and candles by 1000 periods (`fromISO`, `toISO`, `limit`); trades give the
//! newest 1000 taker fills, of which the liquidations are kept (see [`rest::liquidations`]).

mod iso_time;
mod rest;
#[cfg(test)]
mod tests;

use super::kit::{HOUR_MS, unsupported, windows};
use super::{Payload, Period, Query, Request, Unsupported};
use crate::market::model::{Asset, FundingSettings, PriceKind, Venue};
use crate::market::parse::{ParseError, shape};
use iso_time::iso8601;

const VENUE: Venue = Venue::Dydx;
/// The indexer's page size limit (`API_LIMIT_V4`).
const MAX_ROWS: i64 = 1_000;

/// The asset's perpetual market ticker: `BTC-USD`.
pub fn instrument(asset: &Asset) -> String {
    format!("{}-USD", asset.as_str())
}

/// The GET requests for a query (see the module note for paging).
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let ticker = instrument(query.asset());
    match query {
        Query::Ticker { .. } | Query::FundingSettings { .. } => Ok(vec![Request::get(
            VENUE,
            "/v4/perpetualMarkets",
            &[("ticker", ticker)],
        )]),
        Query::FundingHistory { from_ms, to_ms, .. } => {
            let path = format!("/v4/historicalFunding/{ticker}");
            Ok(windows(VENUE, *from_ms, *to_ms, MAX_ROWS, HOUR_MS, None)?
                .into_iter()
                .map(|(start, end)| {
                    let params = [
                        ("effectiveBeforeOrAt", iso8601(end)),
                        ("limit", rows_in(start, end, HOUR_MS)),
                    ];
                    Request::get(VENUE, &path, &params)
                })
                .collect())
        }
        Query::Candles {
            price: PriceKind::Last,
            period,
            from_ms,
            to_ms,
            ..
        }
        | Query::OpenInterestHistory {
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let path = format!("/v4/candles/perpetualMarkets/{ticker}");
            let step = period.ms();
            Ok(windows(VENUE, *from_ms, *to_ms, MAX_ROWS, step, None)?
                .into_iter()
                .map(|(start, end)| {
                    let params = [
                        ("resolution", resolution(*period).to_string()),
                        ("fromISO", iso8601(start)),
                        ("toISO", iso8601(end)),
                        ("limit", rows_in(start, end, step)),
                    ];
                    Request::get(VENUE, &path, &params)
                })
                .collect())
        }
        Query::OrderBook { .. } => Ok(vec![Request::get(
            VENUE,
            &format!("/v4/orderbooks/perpetualMarket/{ticker}"),
            &[],
        )]),
        Query::RecentLiquidations { .. } => Ok(vec![Request::get(
            VENUE,
            &format!("/v4/trades/perpetualMarket/{ticker}"),
            &[("limit", MAX_ROWS.to_string())],
        )]),
        _ => Err(unsupported(VENUE, query)),
    }
}

/// One response body for `query` → normalised data. An empty list is `Ok` with no rows.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    let ticker = instrument(query.asset());
    match query {
        Query::Ticker { .. } => rest::ticker(body, &ticker).map(Payload::Ticker),
        Query::FundingSettings { .. } => {
            // Hourly settlement is venue-wide (no cap is published); the ticker checks the market exists.
            rest::ticker(body, &ticker)?;
            Ok(Payload::FundingSettings(FundingSettings {
                interval_hours: 1.0,
                cap: None,
                floor: None,
            }))
        }
        Query::FundingHistory { .. } => rest::funding_history(body).map(Payload::Funding),
        Query::Candles {
            price: PriceKind::Last,
            ..
        } => rest::candles(body).map(Payload::Candles),
        Query::OpenInterestHistory { .. } => {
            rest::open_interest_history(body).map(Payload::OpenInterest)
        }
        Query::OrderBook { depth, .. } => rest::book(body, *depth).map(Payload::Book),
        Query::RecentLiquidations { .. } => rest::liquidations(body).map(Payload::Liquidations),
        _ => Err(shape(VENUE, "dYdX has no endpoint for this query")),
    }
}

fn resolution(period: Period) -> &'static str {
    match period {
        Period::M1 => "1MIN",
        Period::M5 => "5MINS",
        Period::M15 => "15MINS",
        Period::M30 => "30MINS",
        Period::H1 => "1HOUR",
        Period::H4 => "4HOURS",
        Period::D1 => "1DAY",
    }
}

/// How many `step`-long rows start within `[start, end]`, as the `limit` parameter (1 to 1000).
fn rows_in(start: i64, end: i64, step: i64) -> String {
    let span = end.saturating_sub(start).saturating_add(1);
    (span.saturating_add(step - 1) / step)
        .clamp(1, MAX_ROWS)
        .to_string()
}
