//! Hyperliquid: every public read is `POST https://api.hyperliquid.xyz/info` with a JSON body naming the
//! request `type`; the live book also streams on `wss://api.hyperliquid.xyz/ws`.
//!
//! Units and conventions (checked against recorded responses of the Python SDK, 2023, and 2025–26 captures):
//! - prices, sizes and rates are decimal strings; times are ms numbers; lists are oldest first;
//! - `openInterest` and candle volume `v` are in base units (one side of the market);
//! - funding is paid every hour and `funding` / `fundingRate` are per hour. History before the switch to
//!   hourly settlement (2023) holds one row per 8 h with 8-hour rates, so the interval of every history row is
//!   read from the spacing of the rows around it (see [`rest::funding_history`]);
//! - funding is capped at 4 % per hour.
//!
//! Limits: `fundingHistory` returns at most 500 rows from `startTime`, so windows are split into 500-hour
//! pages; `candleSnapshot` serves only the newest 5000 candles of an interval, so a longer window is cut to
//! the 5000 periods that end at `to_ms`; `l2Book` has at most 20 levels per side.

mod rest;
mod stream;
#[cfg(test)]
mod tests;

pub use stream::{parse_stream_message, stream_request};

use super::kit::{HOUR_MS, checked_window, short_interval, unsupported, windows};
use super::{Payload, Query, Request, Unsupported};
use crate::market::model::{Asset, FundingSettings, PriceKind, Venue};
use crate::market::parse::{ParseError, shape};

const VENUE: Venue = Venue::Hyperliquid;
const INFO_PATH: &str = "/info";
/// Rows `fundingHistory` returns at most per request (ccxt's figure; hourly rows are the densest there are).
const FUNDING_ROWS: i64 = 500;
/// Only the most recent 5000 candles of each interval can be fetched.
const CANDLES_AVAILABLE: i64 = 5_000;
/// Funding is capped at 4 % per hour either way.
const FUNDING_CAP_PER_HOUR: f64 = 0.04;

/// Coins Hyperliquid lists per 1000 tokens under a lowercase `k` (kPEPE = 1000 PEPE). Their assets are spelt
/// `KPEPE` here (assets are uppercase), and prices and sizes stay per 1000 tokens.
const THOUSAND_UNIT_COINS: [&str; 7] = [
    "KPEPE", "KSHIB", "KBONK", "KFLOKI", "KLUNC", "KDOGS", "KNEIRO",
];

/// The coin name Hyperliquid uses for the asset's perpetual: `BTC`, `ETH`, `kPEPE`.
pub fn instrument(asset: &Asset) -> String {
    let symbol = asset.as_str();
    match symbol.strip_prefix('K') {
        Some(rest) if THOUSAND_UNIT_COINS.contains(&symbol) => format!("k{rest}"),
        _ => symbol.to_string(),
    }
}

/// The `/info` requests for a query (see the module note for paging and history limits).
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let coin = instrument(query.asset());
    match query {
        Query::FundingHistory { from_ms, to_ms, .. } => {
            let pages = windows(VENUE, *from_ms, *to_ms, FUNDING_ROWS, HOUR_MS, None)?;
            Ok(pages
                .into_iter()
                .map(|(start, end)| {
                    info(format!(r#"{{"type":"fundingHistory","coin":"{coin}","startTime":{start},"endTime":{end}}}"#))
                })
                .collect())
        }
        Query::Ticker { .. } | Query::FundingSettings { .. } => {
            Ok(vec![info(r#"{"type":"metaAndAssetCtxs"}"#.into())])
        }
        Query::Candles {
            price: PriceKind::Last,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let (from_ms, to_ms) = checked_window(VENUE, *from_ms, *to_ms)?;
            let oldest_available =
                to_ms.saturating_sub((CANDLES_AVAILABLE - 1).saturating_mul(period.ms()));
            let start = from_ms.max(oldest_available);
            let interval = short_interval(*period);
            Ok(vec![info(format!(
                r#"{{"type":"candleSnapshot","req":{{"coin":"{coin}","interval":"{interval}","startTime":{start},"endTime":{to_ms}}}}}"#
            ))])
        }
        Query::OrderBook { .. } => Ok(vec![info(format!(
            r#"{{"type":"l2Book","coin":"{coin}"}}"#
        ))]),
        _ => Err(unsupported(VENUE, query)),
    }
}

/// One response body for `query` → normalised data. An empty list is `Ok` with no rows.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    match query {
        Query::FundingHistory { .. } => rest::funding_history(body).map(Payload::Funding),
        Query::Ticker { asset } => rest::ticker(body, &instrument(asset)).map(Payload::Ticker),
        Query::FundingSettings { asset } => {
            // The settings are fixed venue-wide; parsing the ticker still checks the coin is listed.
            rest::ticker(body, &instrument(asset))?;
            Ok(Payload::FundingSettings(FundingSettings {
                interval_hours: 1.0,
                cap: Some(FUNDING_CAP_PER_HOUR),
                floor: Some(-FUNDING_CAP_PER_HOUR),
            }))
        }
        Query::Candles {
            price: PriceKind::Last,
            ..
        } => rest::candles(body).map(Payload::Candles),
        Query::OrderBook { depth, .. } => rest::book(body, *depth).map(Payload::Book),
        _ => Err(shape(VENUE, "Hyperliquid has no endpoint for this query")),
    }
}

fn info(body: String) -> Request {
    Request::post_json(VENUE, INFO_PATH, body)
}
