//! Deribit: `GET https://www.deribit.com/api/v2/public/<method>?…`, answered in a JSON-RPC envelope
//! `{jsonrpc, result, usIn, usOut, usDiff, testnet}` or `{jsonrpc, error: {code, message, data}}`.
//!
//! Only the BTC and ETH perpetuals are offered. They are INVERSE contracts, and their units are not the
//! rest of the app's (Deribit's public/get_order_book and ticker docs, confirmed on recorded bodies):
//! - `open_interest` and order-book amounts are in USD (contracts of $10): divided here by a price from the
//!   same response (the mark for open interest, the level's own price for the book) to get base units;
//! - candle `volume` is in the base coin (`cost` is the USD value: 3.668 × 7834 ≈ 28 740 in ccxt's capture);
//! - funding accrues continuously; history rows are hourly with `interest_1h` (the hour's rate) and
//!   `interest_8h` (the trailing 8 h); the ticker's `current_funding` is the live rate per 8 h;
//! - options (currency BTC or ETH) are priced in the coin: `mark_price × underlying_price` gives USD;
//!   `mark_iv` is in percent; option open interest is in coins. See [`options`].
//!
//! The other Deribit perpetuals (SOL_USDC-PERPETUAL …) are USDC-margined linear contracts whose units the
//! docs describe ambiguously ("for perpetual … in USD"); they are refused rather than guessed.
//!
//! Limits: `get_funding_rate_history` needs a start and end and returns at most 744 rows (one month; ccxt
//! pages it so), so windows are split into 720-hour pages; `get_tradingview_chart_data` returns at most 5000
//! candles and has no 4-hour resolution; `get_order_book` takes depth 1, 5, 10, 20, 50, 100, 1000 or 10000.

mod options;
mod rest;
#[cfg(test)]
mod tests;

use super::kit::{HOUR_MS, unsupported, windows};
use super::{Payload, Period, Query, Request, Unsupported};
use crate::market::model::{Asset, PriceKind, Venue};
use crate::market::parse::{ParseError, shape};

const VENUE: Venue = Venue::Deribit;
/// Hourly funding rows per page: 30 days, under the 744 one response holds.
const FUNDING_ROWS: i64 = 720;
/// Candles `get_tradingview_chart_data` returns at most per request.
const CANDLES_PER_PAGE: i64 = 5_000;
/// The depths `get_order_book` accepts.
const BOOK_DEPTHS: [u32; 8] = [1, 5, 10, 20, 50, 100, 1_000, 10_000];
/// Coins with an inverse perpetual and coin-settled options.
const INVERSE_COINS: [&str; 2] = ["BTC", "ETH"];

/// The asset's inverse perpetual: `BTC-PERPETUAL`, `ETH-PERPETUAL` (the only two [`requests`] accepts).
pub fn instrument(asset: &Asset) -> String {
    format!("{}-PERPETUAL", asset.as_str())
}

/// The GET requests for a query (see the module note for paging and units).
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let refuse = |what| Err(Unsupported { venue: VENUE, what });
    let asset = query.asset();
    if !INVERSE_COINS.contains(&asset.as_str()) {
        return refuse("assets other than BTC and ETH (its other markets are USDC-margined)");
    }
    let name = instrument(asset);
    match query {
        Query::Ticker { .. } => Ok(vec![public("ticker", &[("instrument_name", name)])]),
        Query::FundingHistory { from_ms, to_ms, .. } => {
            let pages = windows(VENUE, *from_ms, *to_ms, FUNDING_ROWS, HOUR_MS, None)?;
            Ok(pages
                .into_iter()
                .map(|(start, end)| windowed("get_funding_rate_history", &name, start, end, None))
                .collect())
        }
        Query::Candles {
            price: PriceKind::Last,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let Some(resolution) = resolution(*period) else {
                return refuse("4-hour candles");
            };
            let pages = windows(VENUE, *from_ms, *to_ms, CANDLES_PER_PAGE, period.ms(), None)?;
            Ok(pages
                .into_iter()
                .map(|(start, end)| {
                    windowed(
                        "get_tradingview_chart_data",
                        &name,
                        start,
                        end,
                        Some(resolution),
                    )
                })
                .collect())
        }
        Query::OrderBook { depth, .. } => {
            let depth = BOOK_DEPTHS
                .into_iter()
                .find(|d| d >= depth)
                .unwrap_or(10_000);
            Ok(vec![public(
                "get_order_book",
                &[("instrument_name", name), ("depth", depth.to_string())],
            )])
        }
        Query::OptionChain { asset } => Ok(vec![public(
            "get_book_summary_by_currency",
            &[
                ("currency", asset.as_str().to_string()),
                ("kind", "option".to_string()),
            ],
        )]),
        Query::FundingSettings { .. } => refuse("funding settings (funding accrues continuously)"),
        _ => Err(unsupported(VENUE, query)),
    }
}

/// One response body for `query` → normalised data. An empty list (or `status: no_data`) is `Ok` and empty.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    match query {
        Query::Ticker { .. } => rest::ticker(body).map(Payload::Ticker),
        Query::FundingHistory { .. } => rest::funding_history(body).map(Payload::Funding),
        Query::Candles {
            price: PriceKind::Last,
            ..
        } => rest::candles(body).map(Payload::Candles),
        Query::OrderBook { depth, .. } => rest::book(body, *depth).map(Payload::Book),
        Query::OptionChain { asset } => options::chain(body, asset).map(Payload::Options),
        _ => Err(shape(VENUE, "Deribit has no endpoint for this query")),
    }
}

fn public(method: &str, params: &[(&str, String)]) -> Request {
    Request::get(VENUE, &format!("/api/v2/public/{method}"), params)
}

/// A request for `[start, end]`. The start is sent 1 ms early, as ccxt does: whether Deribit's
/// `start_timestamp` is inclusive is not documented, rows sit on whole periods so the extra millisecond adds
/// none, and a row shared by two pages is dropped when pages are merged.
fn windowed(method: &str, name: &str, start: i64, end: i64, resolution: Option<&str>) -> Request {
    let mut params = vec![
        ("instrument_name", name.to_string()),
        (
            "start_timestamp",
            start.saturating_sub(1).max(0).to_string(),
        ),
        ("end_timestamp", end.to_string()),
    ];
    params.extend(resolution.map(|r| ("resolution", r.to_string())));
    public(method, &params)
}

/// Deribit's chart resolutions are minutes or `1D`; there is no 4-hour one.
fn resolution(period: Period) -> Option<&'static str> {
    match period {
        Period::M1 => Some("1"),
        Period::M5 => Some("5"),
        Period::M15 => Some("15"),
        Period::M30 => Some("30"),
        Period::H1 => Some("60"),
        Period::H4 => None,
        Period::D1 => Some("1D"),
    }
}
