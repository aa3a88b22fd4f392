//! Binance USDⓈ-M futures (`https://fapi.binance.com`): the `<ASSET>USDT` perpetual.
//!
//! REST: `/fapi/v1/*` (premium index, funding, klines, depth) and `/futures/data/*` (open-interest, long/short,
//! taker and basis statistics, latest 30 days only). Streams: `<symbol>@bookTicker` and `<symbol>@forceOrder` under
//! `wss://fstream.binance.com`. Liquidations have no public REST endpoint (`/fapi/v1/forceOrders` is signed).

mod rest;
mod stream;
#[cfg(test)]
mod tests;

pub use rest::parse;
pub use stream::{parse_stream_message, parse_stream_messages, stream_request};

use super::kit::{self, DAY_MS, HOUR_MS, short_interval};
use super::{Period, Query, Request, Unsupported};
use crate::market::model::{Asset, PriceKind, RatioKind, Venue};

const VENUE: Venue = Venue::Binance;

/// `/fapi/v1/fundingRate` returns at most 1000 rows.
const FUNDING_ROWS: i64 = 1000;
/// `/futures/data/*` return at most 500 rows.
const STATS_ROWS: i64 = 500;
/// Klines of every price kind return at most 1500 rows.
const KLINE_ROWS: i64 = 1500;
/// `/futures/data/*` only keep the latest 30 days. Measured from `to_ms` (no clock here) and an hour shorter, so a
/// window ending now is not refused for starting a moment too early by the time the request arrives.
const STATS_HISTORY_MS: i64 = 30 * DAY_MS - HOUR_MS;
/// `/fapi/v1/depth` accepts only these `limit` values.
const DEPTH_LIMITS: [u32; 7] = [5, 10, 20, 50, 100, 500, 1000];

/// `BTC` → `BTCUSDT`.
pub fn instrument(asset: &Asset) -> String {
    format!("{}USDT", asset.as_str())
}

/// The request(s) for `query`, oldest page first.
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let symbol = instrument(query.asset());
    match query {
        Query::Ticker { .. } => Ok(vec![Request::get(
            VENUE,
            "/fapi/v1/premiumIndex",
            &[("symbol", symbol)],
        )]),
        // The list holds only symbols whose interval, cap or floor differ from the defaults; the parser looks ours up.
        Query::FundingSettings { .. } => Ok(vec![Request::get(VENUE, "/fapi/v1/fundingInfo", &[])]),
        // Pages sized for the shortest interval Binance uses (1 h): a page never holds more than the 1000 rows the
        // endpoint returns, whatever the symbol's schedule.
        Query::FundingHistory { from_ms, to_ms, .. } => paged(
            "/fapi/v1/fundingRate",
            vec![("symbol", symbol)],
            (*from_ms, *to_ms),
            FUNDING_ROWS,
            HOUR_MS,
            None,
        ),
        Query::OpenInterestHistory {
            period,
            from_ms,
            to_ms,
            ..
        } => stats(
            "/futures/data/openInterestHist",
            "symbol",
            symbol,
            *period,
            (*from_ms, *to_ms),
            vec![],
        ),
        Query::LongShortRatio {
            kind,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let path = match kind {
                RatioKind::GlobalAccounts => "/futures/data/globalLongShortAccountRatio",
                RatioKind::TopAccounts => "/futures/data/topLongShortAccountRatio",
                RatioKind::TopPositions => "/futures/data/topLongShortPositionRatio",
            };
            stats(path, "symbol", symbol, *period, (*from_ms, *to_ms), vec![])
        }
        Query::TakerVolume {
            period,
            from_ms,
            to_ms,
            ..
        } => stats(
            "/futures/data/takerlongshortRatio",
            "symbol",
            symbol,
            *period,
            (*from_ms, *to_ms),
            vec![],
        ),
        Query::Basis {
            period,
            from_ms,
            to_ms,
            ..
        } => stats(
            "/futures/data/basis",
            "pair",
            symbol,
            *period,
            (*from_ms, *to_ms),
            vec![("contractType", "PERPETUAL".to_string())],
        ),
        Query::Candles {
            price,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let (path, key) = match price {
                PriceKind::Last => ("/fapi/v1/klines", "symbol"),
                PriceKind::Mark => ("/fapi/v1/markPriceKlines", "symbol"),
                // Index klines are per pair; for a USDT perpetual the pair is spelled like the symbol.
                PriceKind::Index => ("/fapi/v1/indexPriceKlines", "pair"),
            };
            let params = vec![
                (key, symbol),
                ("interval", short_interval(*period).to_string()),
            ];
            paged(
                path,
                params,
                (*from_ms, *to_ms),
                KLINE_ROWS,
                period.ms(),
                None,
            )
        }
        Query::OrderBook { depth, .. } => {
            let limit = DEPTH_LIMITS
                .into_iter()
                .find(|l| *l >= *depth)
                .unwrap_or(1000);
            Ok(vec![Request::get(
                VENUE,
                "/fapi/v1/depth",
                &[("symbol", symbol), ("limit", limit.to_string())],
            )])
        }
        Query::OptionChain { .. } => Err(Unsupported {
            venue: VENUE,
            what: "an option chain (Binance options are a separate API)",
        }),
        Query::RecentLiquidations { .. } => Err(Unsupported {
            venue: VENUE,
            what: "recent liquidations over REST (stream only)",
        }),
    }
}

/// `GET /fapi/v1/openInterest`: the open interest right now (one row, base units). [`parse`] reads its body for an
/// `OpenInterestHistory` query, so a caller can ask for "now" without the 30-day statistics endpoint.
pub fn current_open_interest_request(asset: &Asset) -> Request {
    Request::get(
        VENUE,
        "/fapi/v1/openInterest",
        &[("symbol", instrument(asset))],
    )
}

/// A `/futures/data/*` statistics series: 5-minute to daily periods, 500 rows a page, latest 30 days.
fn stats(
    path: &str,
    key: &'static str,
    symbol: String,
    period: Period,
    window: (i64, i64),
    extra: Vec<(&'static str, String)>,
) -> Result<Vec<Request>, Unsupported> {
    let name = stats_period(period).ok_or(Unsupported {
        venue: VENUE,
        what: "1-minute statistics (the shortest period is 5 minutes)",
    })?;
    let mut params = vec![(key, symbol)];
    params.extend(extra);
    params.push(("period", name.to_string()));
    paged(
        path,
        params,
        window,
        STATS_ROWS,
        period.ms(),
        Some(STATS_HISTORY_MS),
    )
}

/// One request per time window, each with `startTime`, `endTime` (both inclusive at Binance) and `limit`.
fn paged(
    path: &str,
    params: Vec<(&'static str, String)>,
    (from_ms, to_ms): (i64, i64),
    rows: i64,
    step_ms: i64,
    history_ms: Option<i64>,
) -> Result<Vec<Request>, Unsupported> {
    let pages = kit::windows(VENUE, from_ms, to_ms, rows, step_ms, history_ms)?;
    Ok(pages
        .into_iter()
        .map(|(start, end)| {
            let mut page = params.clone();
            page.push(("startTime", start.to_string()));
            page.push(("endTime", end.to_string()));
            page.push(("limit", rows.to_string()));
            Request::get(VENUE, path, &page)
        })
        .collect())
}

fn stats_period(period: Period) -> Option<&'static str> {
    match period {
        Period::M1 => None,
        other => Some(short_interval(other)),
    }
}
