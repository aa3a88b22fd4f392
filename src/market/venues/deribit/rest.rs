//! Parsers for Deribit's perpetual endpoints: the JSON-RPC envelope, ticker, funding history, chart data and
//! order book. Units are described in the module note of [`super`].

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::VENUE;
use crate::market::model::{Candle, FundingRate, OrderBookSnapshot, Ticker};
use crate::market::parse::{ParseError, from_json, num, oldest_first, opt_num, shape, time_ms};
use crate::market::venues::kit::{self, candle, listed_book, non_negative, positive, text};

/// A number in a column array or a `[price, amount]` pair.
#[derive(Deserialize, Clone, Copy)]
#[serde(transparent)]
pub(super) struct Num(#[serde(deserialize_with = "num")] pub(super) f64);

#[derive(Deserialize, Clone, Copy)]
#[serde(transparent)]
struct TimeMs(#[serde(deserialize_with = "time_ms")] i64);

/// The `result` of a JSON-RPC answer, or its `error` as [`ParseError::VenueError`] (code, message and the
/// `data.param` / `data.reason` Deribit adds to "Invalid params").
pub(super) fn result<T: DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    let mut envelope: Value = from_json(VENUE, body)?;
    if let Some(error) = envelope.get("error").filter(|e| !e.is_null()) {
        let code = error.get("code").map_or_else(String::new, text);
        let mut message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("unknown error")
            .to_string();
        if let Some(data) = error.get("data").filter(|d| !d.is_null()) {
            let field = |key| data.get(key).and_then(Value::as_str).unwrap_or("");
            message = format!("{message} ({}: {})", field("param"), field("reason"));
        }
        return Err(ParseError::VenueError {
            venue: VENUE,
            code,
            message,
        });
    }
    let result = envelope
        .get_mut("result")
        .map(Value::take)
        .filter(|r| !r.is_null());
    let result =
        result.ok_or_else(|| shape(VENUE, "the answer has neither a result nor an error"))?;
    kit::decode(VENUE, result)
}

#[derive(Deserialize)]
struct TickerResult {
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
    #[serde(deserialize_with = "num")]
    mark_price: f64,
    #[serde(default, deserialize_with = "opt_num")]
    index_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    last_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    current_funding: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    open_interest: Option<f64>,
    #[serde(default)]
    stats: Option<Stats>,
}

#[derive(Deserialize)]
struct Stats {
    #[serde(default, deserialize_with = "opt_num")]
    volume: Option<f64>,
}

/// `public/ticker` of an inverse perpetual → ticker. Open interest arrives in USD and is divided by the mark
/// price of the same answer; the funding rate is `current_funding`, the live rate per 8 hours. Funding accrues
/// continuously, so there is no next funding time. The 24 h volume (`stats.volume`) is in the coin.
pub(super) fn ticker(body: &[u8]) -> Result<Ticker, ParseError> {
    let t: TickerResult = result(body)?;
    let mark = positive(VENUE, "mark_price", t.mark_price)?;
    let optional = |v: Option<f64>, what| v.map(|x| non_negative(VENUE, what, x)).transpose();
    let open_interest_usd = optional(t.open_interest, "open_interest")?;
    Ok(Ticker {
        time_ms: t.timestamp,
        mark_price: Some(mark),
        index_price: optional(t.index_price, "index_price")?,
        last_price: optional(t.last_price, "last_price")?,
        funding_rate: t.current_funding,
        funding_interval_hours: t.current_funding.map(|_| 8.0),
        next_funding_time_ms: None,
        open_interest_base: open_interest_usd.map(|usd| usd / mark),
        volume_24h_base: optional(t.stats.and_then(|s| s.volume), "stats.volume")?,
    })
}

#[derive(Deserialize)]
struct FundingRow {
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
    #[serde(deserialize_with = "num")]
    interest_1h: f64,
}

/// `public/get_funding_rate_history` → one row per hour: `interest_1h` is what that hour paid, so the rate is
/// per 1 h (`interest_8h`, the trailing 8-hour sum, would count each hour eight times over a series).
pub(super) fn funding_history(body: &[u8]) -> Result<Vec<FundingRate>, ParseError> {
    let rows: Vec<FundingRow> = result(body)?;
    let rates = rows
        .into_iter()
        .map(|r| FundingRate {
            time_ms: r.timestamp,
            rate: r.interest_1h,
            interval_hours: 1.0,
            mark_price: None,
        })
        .collect();
    Ok(oldest_first(rates, |r| r.time_ms))
}

#[derive(Deserialize)]
struct Chart {
    status: String,
    #[serde(default)]
    ticks: Vec<TimeMs>,
    #[serde(default)]
    open: Vec<Num>,
    #[serde(default)]
    high: Vec<Num>,
    #[serde(default)]
    low: Vec<Num>,
    #[serde(default)]
    close: Vec<Num>,
    #[serde(default)]
    volume: Vec<Num>,
}

/// `public/get_tradingview_chart_data` → candles. The answer is one array per column; `status: no_data`
/// means an empty window. `volume` is in the coin (base), per the docs and recorded answers.
pub(super) fn candles(body: &[u8]) -> Result<Vec<Candle>, ParseError> {
    let chart: Chart = result(body)?;
    if chart.status == "no_data" {
        return Ok(Vec::new());
    }
    let n = chart.ticks.len();
    let columns = [
        &chart.open,
        &chart.high,
        &chart.low,
        &chart.close,
        &chart.volume,
    ];
    if columns.iter().any(|c| c.len() != n) {
        return Err(shape(
            VENUE,
            format!("chart columns differ in length ({n} ticks)"),
        ));
    }
    let candles = chart
        .ticks
        .iter()
        .enumerate()
        .map(|(i, tick)| {
            let [Some(open), Some(high), Some(low), Some(close), Some(volume)] =
                columns.map(|column| column.get(i).map(|v| v.0))
            else {
                return Err(shape(VENUE, "chart columns differ in length"));
            };
            candle(VENUE, tick.0, [open, high, low, close, volume])
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(oldest_first(candles, |c| c.open_time_ms))
}

#[derive(Deserialize)]
struct BookResult {
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
    bids: Vec<(Num, Num)>,
    asks: Vec<(Num, Num)>,
}

/// `public/get_order_book` of an inverse perpetual → book. Each `[price, amount]` has its USD amount divided
/// by its own price, giving the size in coins.
pub(super) fn book(body: &[u8], depth: u32) -> Result<OrderBookSnapshot, ParseError> {
    let b: BookResult = result(body)?;
    let in_coins = |side: Vec<(Num, Num)>| -> Result<Vec<(f64, f64)>, ParseError> {
        side.into_iter()
            .map(|(price, usd)| {
                let price = positive(VENUE, "a book price", price.0)?;
                Ok((price, non_negative(VENUE, "a book amount", usd.0)? / price))
            })
            .collect()
    };
    let (bids, asks) = (in_coins(b.bids)?, in_coins(b.asks)?);
    listed_book(VENUE, b.timestamp, bids, asks, depth)
}
