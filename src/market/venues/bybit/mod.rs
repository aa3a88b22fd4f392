//! Bybit v5 (`https://api.bybit.com`): the `<ASSET>USDT` linear perpetual (`category=linear`).
//!
//! Lists come newest first inside `{"retCode":0,"retMsg":"OK","result":{…,"list":[…]},"time":…}`. History endpoints
//! also offer cursor paging, but a cursor needs the previous response; time windows sized to the row limit give the
//! same rows with every request known up front. Liquidations are stream-only (`allLiquidation.<symbol>`).

mod rest;
mod stream;
#[cfg(test)]
mod tests;

pub use rest::parse;
pub use stream::{parse_stream_message, parse_stream_messages, stream_request};

use super::kit::{self, HOUR_MS};
use super::{Period, Query, Request, Unsupported};
use crate::market::model::{Asset, PriceKind, RatioKind, Venue};

const VENUE: Venue = Venue::Bybit;

/// `/v5/market/funding/history` returns at most 200 rows.
const FUNDING_ROWS: i64 = 200;
/// `/v5/market/open-interest` returns at most 200 rows.
const OPEN_INTEREST_ROWS: i64 = 200;
/// `/v5/market/account-ratio` returns at most 500 rows.
const RATIO_ROWS: i64 = 500;
/// Klines of every price kind return at most 1000 rows.
const KLINE_ROWS: i64 = 1000;
/// Linear order books go to 1000 levels a side.
const BOOK_LEVELS: u32 = 1000;
/// The account ratio starts on 2020-07-20T00:00:00Z.
const RATIO_EARLIEST_MS: i64 = 1_595_203_200_000;

/// `BTC` → `BTCUSDT`.
pub fn instrument(asset: &Asset) -> String {
    format!("{}USDT", asset.as_str())
}

/// The request(s) for `query`, oldest page first.
pub fn requests(query: &Query) -> Result<Vec<Request>, Unsupported> {
    let base = vec![
        ("category", "linear".to_string()),
        ("symbol", instrument(query.asset())),
    ];
    match query {
        // One ticker row carries mark, index, last, funding (with its interval and cap) and open interest.
        Query::Ticker { .. } | Query::FundingSettings { .. } => {
            Ok(vec![Request::get(VENUE, "/v5/market/tickers", &base)])
        }
        // Pages sized for the shortest interval Bybit uses (1 h) so no page can exceed the 200-row limit.
        Query::FundingHistory { from_ms, to_ms, .. } => paged(
            "/v5/market/funding/history",
            base,
            ("startTime", "endTime"),
            (*from_ms, *to_ms),
            FUNDING_ROWS,
            HOUR_MS,
        ),
        Query::OpenInterestHistory {
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let mut params = base;
            params.push(("intervalTime", stats_period(*period)?.to_string()));
            let window = (*from_ms, *to_ms);
            paged(
                "/v5/market/open-interest",
                params,
                ("startTime", "endTime"),
                window,
                OPEN_INTEREST_ROWS,
                period.ms(),
            )
        }
        Query::LongShortRatio {
            kind: RatioKind::GlobalAccounts,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            if *to_ms < RATIO_EARLIEST_MS {
                return Err(Unsupported {
                    venue: VENUE,
                    what: "long/short ratios before 2020-07-20",
                });
            }
            let mut params = base;
            params.push(("period", stats_period(*period)?.to_string()));
            let window = ((*from_ms).max(RATIO_EARLIEST_MS), *to_ms);
            paged(
                "/v5/market/account-ratio",
                params,
                ("startTime", "endTime"),
                window,
                RATIO_ROWS,
                period.ms(),
            )
        }
        Query::LongShortRatio { .. } => Err(Unsupported {
            venue: VENUE,
            what: "top-trader long/short ratios (only all accounts are published)",
        }),
        Query::Candles {
            price,
            period,
            from_ms,
            to_ms,
            ..
        } => {
            let path = match price {
                PriceKind::Last => "/v5/market/kline",
                PriceKind::Mark => "/v5/market/mark-price-kline",
                PriceKind::Index => "/v5/market/index-price-kline",
            };
            let mut params = base;
            params.push(("interval", kline_interval(*period).to_string()));
            paged(
                path,
                params,
                ("start", "end"),
                (*from_ms, *to_ms),
                KLINE_ROWS,
                period.ms(),
            )
        }
        Query::OrderBook { depth, .. } => {
            let mut params = base;
            params.push(("limit", (*depth).clamp(1, BOOK_LEVELS).to_string()));
            Ok(vec![Request::get(VENUE, "/v5/market/orderbook", &params)])
        }
        Query::TakerVolume { .. } => Err(Unsupported {
            venue: VENUE,
            what: "taker buy/sell volume (Bybit has no REST aggregate)",
        }),
        Query::Basis { .. } => Err(Unsupported {
            venue: VENUE,
            what: "a basis history",
        }),
        Query::OptionChain { .. } => Err(Unsupported {
            venue: VENUE,
            what: "an option chain (not wired for Bybit)",
        }),
        Query::RecentLiquidations { .. } => Err(Unsupported {
            venue: VENUE,
            what: "recent liquidations over REST (stream only)",
        }),
    }
}

/// One request per time window; `keys` names the window's start and end parameters (klines say `start`/`end`).
fn paged(
    path: &str,
    params: Vec<(&'static str, String)>,
    (start_key, end_key): (&'static str, &'static str),
    (from_ms, to_ms): (i64, i64),
    rows: i64,
    step_ms: i64,
) -> Result<Vec<Request>, Unsupported> {
    let pages = kit::windows(VENUE, from_ms, to_ms, rows, step_ms, None)?;
    Ok(pages
        .into_iter()
        .map(|(start, end)| {
            let mut page = params.clone();
            page.push((start_key, start.to_string()));
            page.push((end_key, end.to_string()));
            page.push(("limit", rows.to_string()));
            Request::get(VENUE, path, &page)
        })
        .collect())
}

fn kline_interval(period: Period) -> &'static str {
    match period {
        Period::M1 => "1",
        Period::M5 => "5",
        Period::M15 => "15",
        Period::M30 => "30",
        Period::H1 => "60",
        Period::H4 => "240",
        Period::D1 => "D",
    }
}

/// Open-interest and account-ratio periods (5 minutes to a day).
fn stats_period(period: Period) -> Result<&'static str, Unsupported> {
    match period {
        Period::M1 => Err(Unsupported {
            venue: VENUE,
            what: "1-minute statistics (the shortest period is 5 minutes)",
        }),
        Period::M5 => Ok("5min"),
        Period::M15 => Ok("15min"),
        Period::M30 => Ok("30min"),
        Period::H1 => Ok("1h"),
        Period::H4 => Ok("4h"),
        Period::D1 => Ok("1d"),
    }
}
