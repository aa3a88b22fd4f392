//! OKX REST bodies → normalised payloads.
//!
//! Units: open interest `oi` and book sizes count contracts; `oiCcy` and candle `volCcy` are the coin (base) figures
//! and are the ones used. Rubik rows are positional: open interest `[ts, oi, oiCcy, oiUsd]`, taker volume
//! `[ts, sellVol, buyVol]` (sell first!), ratios `[ts, ratio]`.

use serde::Deserialize;
use serde_json::Value;

use super::{VENUE, contract_value, instrument, options};
use crate::market::model::{
    FundingRate, FundingSettings, LongShortRatio, OpenInterest, PriceKind, TakerVolume, Ticker,
};
use crate::market::parse::{ParseError, from_json, oldest_first, opt_num, shape, time_ms};
use crate::market::venues::kit::{
    self, cell_num, cell_time, decode, non_negative, opt_time, row_candles, text,
};
use crate::market::venues::{Payload, Query};

/// OKX's standard interval ("currently set at 8 hours"), used when a response does not let us compute one.
const DEFAULT_FUNDING_HOURS: f64 = 8.0;

/// One page's body → payload, for the query that produced the request.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    let data = envelope(body)?;
    match query {
        Query::Ticker { asset } => ticker(funding_snapshot(&instrument(asset), data)?),
        Query::FundingSettings { asset } => {
            funding_settings(funding_snapshot(&instrument(asset), data)?)
        }
        Query::FundingHistory { .. } => funding_history(data),
        Query::OpenInterestHistory { .. } => open_interest(data),
        Query::TakerVolume { .. } => taker_volume(data),
        Query::LongShortRatio { .. } => ratios(data),
        Query::Candles { price, .. } => candles(data, *price),
        Query::OrderBook { asset, depth } => {
            let per_contract = contract_value(asset)
                .ok_or_else(|| shape(VENUE, "contract size of this asset unknown"))?;
            book(data, per_contract, *depth)
        }
        Query::OptionChain { .. } => options::chain(data),
        Query::Basis { .. } | Query::RecentLiquidations { .. } => Err(shape(
            VENUE,
            "OKX has no public REST endpoint for this query",
        )),
    }
}

/// Checks `code` (anything but "0" is the venue's error, e.g. 51001 unknown instrument, 50011 rate limit) and
/// returns `data`.
fn envelope(body: &[u8]) -> Result<Value, ParseError> {
    let mut value: Value = from_json(VENUE, body)?;
    let code = value
        .get("code")
        .ok_or_else(|| shape(VENUE, "response without code"))?;
    let code = text(code);
    if code != "0" {
        let message = value
            .get("msg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Err(ParseError::VenueError {
            venue: VENUE,
            code,
            message,
        });
    }
    value
        .get_mut("data")
        .map(Value::take)
        .ok_or_else(|| shape(VENUE, "response without data"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingSnapshot {
    #[serde(default, deserialize_with = "opt_num")]
    funding_rate: Option<f64>,
    /// The coming settlement, which pays `fundingRate`.
    #[serde(default, deserialize_with = "opt_time")]
    funding_time: Option<i64>,
    /// The settlement after it: the gap is the interval.
    #[serde(default, deserialize_with = "opt_time")]
    next_funding_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    max_funding_rate: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    min_funding_rate: Option<f64>,
    #[serde(default, deserialize_with = "opt_time")]
    ts: Option<i64>,
}

impl FundingSnapshot {
    fn interval_hours(&self) -> Option<f64> {
        kit::hours_between(self.funding_time?, self.next_funding_time?)
    }
}

/// Our instrument's row of `/public/funding-rate` (`instId=ANY` would list them all).
fn funding_snapshot(inst_id: &str, data: Value) -> Result<FundingSnapshot, ParseError> {
    let rows: Vec<Value> = decode(VENUE, data)?;
    let row = rows
        .into_iter()
        .find(|r| r.get("instId").and_then(Value::as_str) == Some(inst_id))
        .ok_or_else(|| shape(VENUE, format!("no funding rate for {inst_id}")))?;
    decode(VENUE, row)
}

/// Funding only: OKX's snapshot has no prices or open interest. Older responses lack `ts`; the start of the running
/// period (`fundingTime` − interval) then dates the snapshot.
fn ticker(s: FundingSnapshot) -> Result<Payload, ParseError> {
    let interval = s.interval_hours();
    let period_start = s
        .funding_time
        .zip(interval)
        .map(|(t, h)| t - h as i64 * kit::HOUR_MS);
    let time_ms =
        s.ts.or(period_start)
            .ok_or_else(|| shape(VENUE, "funding rate without a time"))?;
    Ok(Payload::Ticker(Ticker {
        time_ms,
        funding_rate: s.funding_rate,
        funding_interval_hours: s
            .funding_rate
            .map(|_| interval.unwrap_or(DEFAULT_FUNDING_HOURS)),
        next_funding_time_ms: s.funding_time,
        ..Ticker::default()
    }))
}

fn funding_settings(s: FundingSnapshot) -> Result<Payload, ParseError> {
    Ok(Payload::FundingSettings(FundingSettings {
        interval_hours: s.interval_hours().unwrap_or(DEFAULT_FUNDING_HOURS),
        cap: s.max_funding_rate,
        floor: s.min_funding_rate,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingRow {
    #[serde(deserialize_with = "time_ms")]
    funding_time: i64,
    /// The rate as computed before rounding and limits.
    #[serde(default, deserialize_with = "opt_num")]
    funding_rate: Option<f64>,
    /// The rate actually charged: preferred.
    #[serde(default, deserialize_with = "opt_num")]
    realized_rate: Option<f64>,
}

fn funding_history(data: Value) -> Result<Payload, ParseError> {
    let rows: Vec<FundingRow> = oldest_first(decode(VENUE, data)?, |r| r.funding_time);
    let times: Vec<i64> = rows.iter().map(|r| r.funding_time).collect();
    let intervals = kit::funding_intervals(&times, DEFAULT_FUNDING_HOURS);
    rows.into_iter()
        .zip(intervals)
        .map(|(r, interval_hours)| {
            let rate = r
                .realized_rate
                .or(r.funding_rate)
                .ok_or_else(|| shape(VENUE, "funding row without a rate"))?;
            Ok(FundingRate {
                time_ms: r.funding_time,
                rate,
                interval_hours,
                mark_price: None,
            })
        })
        .collect::<Result<_, _>>()
        .map(Payload::Funding)
}

/// Positional rows, decoded leniently as JSON values and checked cell by cell.
fn rows(data: Value) -> Result<Vec<Vec<Value>>, ParseError> {
    decode(VENUE, data)
}

/// `[ts, oi (contracts), oiCcy (base), oiUsd]`.
fn open_interest(data: Value) -> Result<Payload, ParseError> {
    let rows = rows(data)?
        .iter()
        .map(|row| {
            Ok(OpenInterest {
                time_ms: cell_time(VENUE, row, 0, "open interest")?,
                base: non_negative(
                    VENUE,
                    "open interest",
                    cell_num(VENUE, row, 2, "open interest")?,
                )?,
                usd: Some(non_negative(
                    VENUE,
                    "open interest value",
                    cell_num(VENUE, row, 3, "open interest")?,
                )?),
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::OpenInterest(oldest_first(rows, |r| r.time_ms)))
}

/// `[ts, sellVol, buyVol]`, in coin because the request says `unit=0`.
fn taker_volume(data: Value) -> Result<Payload, ParseError> {
    let rows = rows(data)?
        .iter()
        .map(|row| {
            Ok(TakerVolume {
                time_ms: cell_time(VENUE, row, 0, "taker volume")?,
                sell_base: non_negative(
                    VENUE,
                    "taker sell volume",
                    cell_num(VENUE, row, 1, "taker volume")?,
                )?,
                buy_base: non_negative(
                    VENUE,
                    "taker buy volume",
                    cell_num(VENUE, row, 2, "taker volume")?,
                )?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Taker(oldest_first(rows, |r| r.time_ms)))
}

/// `[ts, ratio]`: already long ÷ short for all three kinds.
fn ratios(data: Value) -> Result<Payload, ParseError> {
    let rows = rows(data)?
        .iter()
        .map(|row| {
            Ok(LongShortRatio {
                time_ms: cell_time(VENUE, row, 0, "long/short ratio")?,
                ratio: non_negative(
                    VENUE,
                    "long/short ratio",
                    cell_num(VENUE, row, 1, "long/short ratio")?,
                )?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Ratios(oldest_first(rows, |r| r.time_ms)))
}

/// Traded candles `[ts, o, h, l, c, vol (contracts), volCcy (base), volCcyQuote, confirm]`; mark and index candles
/// `[ts, o, h, l, c, confirm]`. The newest candle may be unfinished (`confirm` "0") and is kept, as on a chart.
fn candles(data: Value, kind: PriceKind) -> Result<Payload, ParseError> {
    let volume = match kind {
        PriceKind::Last => Some(6),
        PriceKind::Mark | PriceKind::Index => None,
    };
    row_candles(VENUE, &rows(data)?, "candle", volume, None).map(Payload::Candles)
}

#[derive(Deserialize)]
struct Book {
    #[serde(deserialize_with = "time_ms")]
    ts: i64,
    /// `[price, contracts, "0" (deprecated), orders]`.
    bids: Vec<Vec<Value>>,
    asks: Vec<Vec<Value>>,
}

fn book(data: Value, per_contract: f64, depth: u32) -> Result<Payload, ParseError> {
    let books: Vec<Book> = decode(VENUE, data)?;
    let book = books
        .into_iter()
        .next()
        .ok_or_else(|| shape(VENUE, "empty order book response"))?;
    Ok(Payload::Book(kit::sorted_book(
        VENUE,
        book.ts,
        &book.bids,
        &book.asks,
        per_contract,
        depth,
    )?))
}
