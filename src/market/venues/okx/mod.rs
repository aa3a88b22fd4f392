//! OKX v5 (`https://www.okx.com`): the `<ASSET>-USDT-SWAP` perpetual, its `<ASSET>-USDT` index and the
//! `<ASSET>-USD` option family.
//!
//! Everything answers `{"code":"0","msg":"","data":[…]}`, lists newest first, numbers as strings. Paging bounds are
//! exclusive (`after`/`end` = "earlier than", `before`/`begin` = "newer than"), so a window `[start, end]` is sent as
//! `before = start − 1`, `after = end + 1`, and pages hold one row fewer than the limit: a boundary row landing exactly
//! on `end + 1` can then never push a wanted row out of a full page.

mod options;
mod rest;
mod stream;
#[cfg(test)]
mod tests;

pub use rest::parse;
pub use stream::{parse_stream_message, parse_stream_messages, stream_request};

use super::kit::{self, DAY_MS, HOUR_MS};
use super::{Period, Query, Request, Unsupported};
use crate::market::model::{Asset, PriceKind, RatioKind, Venue};

const VENUE: Venue = Venue::Okx;

/// `/public/funding-rate-history` returns at most 400 rows and keeps three months (92 days, measured from `to_ms`).
const FUNDING_ROWS: i64 = 400;
const FUNDING_HISTORY_MS: i64 = 92 * DAY_MS;
/// Rubik statistics return at most 100 rows and keep only the latest 1,440 entries.
const RUBIK_ROWS: i64 = 100;
const RUBIK_ENTRIES: i64 = 1440;
/// `/market/history-candles` returns up to 300 rows; the mark and index history endpoints up to 100.
const CANDLE_ROWS: i64 = 300;
const MARK_INDEX_ROWS: i64 = 100;
/// `/market/books` goes to 400 levels a side.
const BOOK_LEVELS: u32 = 400;

/// `BTC` → `BTC-USDT-SWAP`.
pub fn instrument(asset: &Asset) -> String {
    format!("{}-USDT-SWAP", asset.as_str())
}

/// The index the USDT perpetual tracks, e.g. `BTC-USDT`.
fn index_id(asset: &Asset) -> String {
    format!("{}-USDT", asset.as_str())
}

/// Base units per contract of the USDT perpetual (`ctVal` of `/public/instruments`), for endpoints that count
/// contracts without a coin figure (the order book). Only the majors are built in; other assets' books are refused
/// rather than misread.
pub fn contract_value(asset: &Asset) -> Option<f64> {
    match asset.as_str() {
        "BTC" => Some(0.01),
        "ETH" => Some(0.1),
        _ => None,
    }
}

/// The request(s) for `query`, oldest page first.
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let asset = query.asset();
    let inst = ("instId", instrument(asset));
    match query {
        // The funding-rate snapshot carries the rate, both settlement times (hence the interval) and the cap/floor.
        Query::Ticker { .. } | Query::FundingSettings { .. } => Ok(vec![Request::get(
            VENUE,
            "/api/v5/public/funding-rate",
            &[inst],
        )]),
        // Pages sized for hourly funding so no page exceeds 400 rows whatever the contract's interval.
        Query::FundingHistory { from_ms, to_ms, .. } => Ok(paged(
            "/api/v5/public/funding-rate-history",
            vec![inst],
            ("after", "before"),
            kit::windows(
                VENUE,
                *from_ms,
                *to_ms,
                FUNDING_ROWS - 1,
                HOUR_MS,
                Some(FUNDING_HISTORY_MS),
            )?,
            FUNDING_ROWS,
        )),
        Query::OpenInterestHistory {
            period,
            from_ms,
            to_ms,
            ..
        } => rubik(
            "/api/v5/rubik/stat/contracts/open-interest-history",
            inst,
            vec![],
            *period,
            (*from_ms, *to_ms),
        ),
        Query::TakerVolume {
            period,
            from_ms,
            to_ms,
            ..
        } => {
            // unit=0: volumes in coin (base units), not contracts or USD.
            let unit = vec![("unit", "0".to_string())];
            rubik(
                "/api/v5/rubik/stat/taker-volume-contract",
                inst,
                unit,
                *period,
                (*from_ms, *to_ms),
            )
        }
        Query::LongShortRatio {
            kind,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let path = match kind {
                RatioKind::GlobalAccounts => {
                    "/api/v5/rubik/stat/contracts/long-short-account-ratio-contract"
                }
                RatioKind::TopAccounts => {
                    "/api/v5/rubik/stat/contracts/long-short-account-ratio-contract-top-trader"
                }
                RatioKind::TopPositions => {
                    "/api/v5/rubik/stat/contracts/long-short-position-ratio-contract-top-trader"
                }
            };
            rubik(path, inst, vec![], *period, (*from_ms, *to_ms))
        }
        // The history endpoints serve recent years and the latest candles alike; the plain ones only the latest
        // 1,440, which without a clock cannot be told apart from an old window.
        Query::Candles {
            price,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let (path, id, rows) = match price {
                PriceKind::Last => (
                    "/api/v5/market/history-candles",
                    instrument(asset),
                    CANDLE_ROWS,
                ),
                PriceKind::Mark => (
                    "/api/v5/market/history-mark-price-candles",
                    instrument(asset),
                    MARK_INDEX_ROWS,
                ),
                PriceKind::Index => (
                    "/api/v5/market/history-index-candles",
                    index_id(asset),
                    MARK_INDEX_ROWS,
                ),
            };
            let params = vec![("instId", id), ("bar", bar(*period).to_string())];
            let pages = kit::windows(VENUE, *from_ms, *to_ms, rows - 1, period.ms(), None)?;
            Ok(paged(path, params, ("after", "before"), pages, rows))
        }
        Query::OrderBook { depth, .. } => {
            if contract_value(asset).is_none() {
                return Err(Unsupported {
                    venue: VENUE,
                    what: "the order book of this asset (contract size unknown)",
                });
            }
            let size = ("sz", (*depth).clamp(1, BOOK_LEVELS).to_string());
            Ok(vec![Request::get(
                VENUE,
                "/api/v5/market/books",
                &[inst, size],
            )])
        }
        Query::OptionChain { .. } => Ok(vec![Request::get(
            VENUE,
            "/api/v5/public/opt-summary",
            &[("instFamily", format!("{}-USD", asset.as_str()))],
        )]),
        Query::Basis { .. } => Err(Unsupported {
            venue: VENUE,
            what: "a basis history",
        }),
        Query::RecentLiquidations { .. } => Err(Unsupported {
            venue: VENUE,
            what: "recent liquidations (no documented public endpoint)",
        }),
    }
}

/// A rubik statistics series: 5-minute to daily periods, 100 rows a page, latest 1,440 entries.
fn rubik(
    path: &str,
    inst: (&'static str, String),
    extra: Vec<(&'static str, String)>,
    period: Period,
    (from_ms, to_ms): (i64, i64),
) -> Result<Vec<Request>, Unsupported> {
    let name = rubik_period(period).ok_or(Unsupported {
        venue: VENUE,
        what: "1-minute statistics (the shortest period is 5 minutes)",
    })?;
    let mut params = vec![inst, ("period", name.to_string())];
    params.extend(extra);
    let history = RUBIK_ENTRIES.saturating_mul(period.ms());
    let pages = kit::windows(
        VENUE,
        from_ms,
        to_ms,
        RUBIK_ROWS - 1,
        period.ms(),
        Some(history),
    )?;
    Ok(paged(path, params, ("end", "begin"), pages, RUBIK_ROWS))
}

/// One request per window with exclusive bounds: `older_than` = end + 1, `newer_than` = start − 1.
fn paged(
    path: &str,
    params: Vec<(&'static str, String)>,
    (older_than, newer_than): (&'static str, &'static str),
    pages: Vec<(i64, i64)>,
    limit: i64,
) -> Vec<Request> {
    pages
        .into_iter()
        .map(|(start, end)| {
            let mut page = params.clone();
            page.push((older_than, end.saturating_add(1).to_string()));
            page.push((newer_than, start.saturating_sub(1).max(0).to_string()));
            page.push(("limit", limit.to_string()));
            Request::get(VENUE, path, &page)
        })
        .collect()
}

/// Candle bars; the daily bar is the UTC one (`1D` opens at UTC+8).
fn bar(period: Period) -> &'static str {
    match period {
        Period::M1 => "1m",
        Period::M5 => "5m",
        Period::M15 => "15m",
        Period::M30 => "30m",
        Period::H1 => "1H",
        Period::H4 => "4H",
        Period::D1 => "1Dutc",
    }
}

fn rubik_period(period: Period) -> Option<&'static str> {
    match period {
        Period::M1 => None,
        other => Some(bar(other)),
    }
}
