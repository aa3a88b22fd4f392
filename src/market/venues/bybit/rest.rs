//! Bybit REST bodies → normalised payloads.
//!
//! Every number and time is a string. Open interest changed meaning in 2026: `openInterest` is now the sum of both
//! sides and `singleOpenInterest` (present alongside) is one side, which is what the model wants; when only
//! `openInterest` is sent it is halved, following the current documentation.

use serde::Deserialize;
use serde_json::Value;

use super::{VENUE, instrument};
use crate::market::model::{
    FundingRate, FundingSettings, LongShortRatio, OpenInterest, PriceKind, Ticker,
};
use crate::market::parse::{ParseError, from_json, num, oldest_first, opt_num, shape, time_ms};
use crate::market::venues::kit::{
    self, decode, non_negative, opt_time, positive, row_candles, text, value_num, value_time,
};
use crate::market::venues::{Payload, Query};

/// Bybit's default funding interval, used when a response does not state one.
const DEFAULT_FUNDING_HOURS: f64 = 8.0;

/// One page's body → payload, for the query that produced the request.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    let (result, time) = envelope(body)?;
    match query {
        Query::Ticker { asset } => ticker(ticker_row(&instrument(asset), result)?, time),
        Query::FundingSettings { asset } => {
            funding_settings(ticker_row(&instrument(asset), result)?)
        }
        Query::FundingHistory { .. } => funding_history(result),
        Query::OpenInterestHistory { .. } => open_interest(result),
        Query::LongShortRatio { .. } => ratios(result),
        Query::Candles { price, .. } => candles(result, *price),
        Query::OrderBook { depth, .. } => book(result, *depth),
        Query::TakerVolume { .. }
        | Query::Basis { .. }
        | Query::OptionChain { .. }
        | Query::RecentLiquidations { .. } => Err(shape(
            VENUE,
            "Bybit has no public REST endpoint for this query",
        )),
    }
}

/// Checks `retCode` (non-zero is the venue's error) and returns `result` with the response's `time`.
fn envelope(body: &[u8]) -> Result<(Value, Option<i64>), ParseError> {
    let mut value: Value = from_json(VENUE, body)?;
    let code = value
        .get("retCode")
        .ok_or_else(|| shape(VENUE, "response without retCode"))?;
    // A number in practice; a string "0" is accepted too.
    if value_num(code) != Some(0.0) {
        let code = text(code);
        let message = value
            .get("retMsg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Err(ParseError::VenueError {
            venue: VENUE,
            code,
            message,
        });
    }
    let time = value.get("time").and_then(value_time);
    let result = value
        .get_mut("result")
        .map(Value::take)
        .ok_or_else(|| shape(VENUE, "response without result"))?;
    Ok((result, time))
}

/// The `list` array of a result.
fn list<T: serde::de::DeserializeOwned>(mut result: Value) -> Result<Vec<T>, ParseError> {
    let list = result
        .get_mut("list")
        .map(Value::take)
        .ok_or_else(|| shape(VENUE, "result without list"))?;
    decode(VENUE, list)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TickerRow {
    #[serde(default, deserialize_with = "opt_num")]
    last_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    mark_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    index_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    funding_rate: Option<f64>,
    #[serde(default, deserialize_with = "opt_time")]
    next_funding_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    funding_interval_hour: Option<f64>,
    /// One magnitude for both bounds.
    #[serde(default, deserialize_with = "opt_num")]
    funding_cap: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    open_interest: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    single_open_interest: Option<f64>,
    #[serde(rename = "volume24h", default, deserialize_with = "opt_num")]
    volume_24h: Option<f64>,
}

/// Our symbol's row of `/v5/market/tickers` (the list may hold others when a proxy drops the `symbol` filter).
fn ticker_row(symbol: &str, result: Value) -> Result<TickerRow, ParseError> {
    let rows: Vec<Value> = list(result)?;
    let row = rows
        .into_iter()
        .find(|r| r.get("symbol").and_then(Value::as_str) == Some(symbol))
        .ok_or_else(|| shape(VENUE, format!("no ticker for {symbol}")))?;
    decode(VENUE, row)
}

fn ticker(row: TickerRow, time: Option<i64>) -> Result<Payload, ParseError> {
    let check = |what, v: Option<f64>| v.map(|x| positive(VENUE, what, x)).transpose();
    let one_side = match (row.single_open_interest, row.open_interest) {
        (Some(single), _) => Some(single),
        (None, both) => both.map(|b| b / 2.0),
    };
    Ok(Payload::Ticker(Ticker {
        time_ms: time.ok_or_else(|| shape(VENUE, "ticker response without time"))?,
        mark_price: check("mark price", row.mark_price)?,
        index_price: check("index price", row.index_price)?,
        last_price: check("last price", row.last_price)?,
        funding_interval_hours: row
            .funding_rate
            .map(|_| row.funding_interval_hour.unwrap_or(DEFAULT_FUNDING_HOURS)),
        funding_rate: row.funding_rate,
        next_funding_time_ms: row.next_funding_time,
        open_interest_base: one_side
            .map(|v| non_negative(VENUE, "open interest", v))
            .transpose()?,
        volume_24h_base: row
            .volume_24h
            .map(|v| non_negative(VENUE, "24h volume", v))
            .transpose()?,
    }))
}

/// The ticker states the interval (`fundingIntervalHour`) and a symmetric cap (`fundingCap`).
fn funding_settings(row: TickerRow) -> Result<Payload, ParseError> {
    let interval_hours = row.funding_interval_hour.unwrap_or(DEFAULT_FUNDING_HOURS);
    if interval_hours <= 0.0 {
        return Err(shape(
            VENUE,
            format!("funding interval of {interval_hours} hours"),
        ));
    }
    let cap = row
        .funding_cap
        .map(|c| non_negative(VENUE, "funding cap", c))
        .transpose()?;
    Ok(Payload::FundingSettings(FundingSettings {
        interval_hours,
        cap,
        floor: cap.map(|c| -c),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingRow {
    #[serde(deserialize_with = "num")]
    funding_rate: f64,
    #[serde(deserialize_with = "time_ms")]
    funding_rate_timestamp: i64,
}

/// Rows carry no interval: it is inferred from the spacing of the payments (default 8 h).
fn funding_history(result: Value) -> Result<Payload, ParseError> {
    let rows: Vec<FundingRow> = oldest_first(list(result)?, |r| r.funding_rate_timestamp);
    let times: Vec<i64> = rows.iter().map(|r| r.funding_rate_timestamp).collect();
    let intervals = kit::funding_intervals(&times, DEFAULT_FUNDING_HOURS);
    let rows = rows
        .into_iter()
        .zip(intervals)
        .map(|(r, interval_hours)| FundingRate {
            time_ms: r.funding_rate_timestamp,
            rate: r.funding_rate,
            interval_hours,
            mark_price: None,
        })
        .collect();
    Ok(Payload::Funding(rows))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenInterestRow {
    #[serde(deserialize_with = "num")]
    open_interest: f64,
    #[serde(default, deserialize_with = "opt_num")]
    single_open_interest: Option<f64>,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

/// Linear open interest is in base units; no price is in the response, so `usd` stays `None`.
fn open_interest(result: Value) -> Result<Payload, ParseError> {
    let rows: Vec<OpenInterestRow> = list(result)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let one_side = r.single_open_interest.unwrap_or(r.open_interest / 2.0);
            Ok(OpenInterest {
                time_ms: r.timestamp,
                base: non_negative(VENUE, "open interest", one_side)?,
                usd: None,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::OpenInterest(oldest_first(rows, |r| r.time_ms)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RatioRow {
    #[serde(deserialize_with = "num")]
    buy_ratio: f64,
    #[serde(deserialize_with = "num")]
    sell_ratio: f64,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

/// `buyRatio`/`sellRatio` are the shares of accounts net long/short; the model wants long ÷ short.
fn ratios(result: Value) -> Result<Payload, ParseError> {
    let rows: Vec<RatioRow> = list(result)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let long = non_negative(VENUE, "long share", r.buy_ratio)?;
            let short = non_negative(VENUE, "short share", r.sell_ratio)?;
            if short == 0.0 {
                return Err(shape(VENUE, "short share of 0 (no long/short ratio)"));
            }
            Ok(LongShortRatio {
                time_ms: r.timestamp,
                ratio: long / short,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Ratios(oldest_first(rows, |r| r.time_ms)))
}

/// Rows `[start, o, h, l, c, volume, turnover]` (volume in base units for linear); mark and index rows stop after
/// the close.
fn candles(result: Value, kind: PriceKind) -> Result<Payload, ParseError> {
    let rows: Vec<Vec<Value>> = list(result)?;
    let volume = match kind {
        PriceKind::Last => Some(5),
        PriceKind::Mark | PriceKind::Index => None,
    };
    row_candles(VENUE, &rows, "kline", volume, None).map(Payload::Candles)
}

#[derive(Deserialize)]
struct Book {
    #[serde(deserialize_with = "time_ms")]
    ts: i64,
    b: Vec<Vec<Value>>,
    a: Vec<Vec<Value>>,
}

fn book(result: Value, depth: u32) -> Result<Payload, ParseError> {
    let book: Book = decode(VENUE, result)?;
    Ok(Payload::Book(kit::sorted_book(
        VENUE, book.ts, &book.b, &book.a, 1.0, depth,
    )?))
}
