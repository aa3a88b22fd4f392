//! Binance REST bodies → normalised payloads.
//!
//! Every series endpoint answers a bare JSON array, ascending; errors are `{"code":-1121,"msg":"Invalid symbol."}`
//! (also the HTTP 451 geo-block body, `{"code":0,"msg":"Service unavailable from a restricted location…"}`).
//! Numbers are decimal strings, times are numbers in current responses and digit strings in older docs examples;
//! both are accepted.

use serde::Deserialize;
use serde_json::Value;

use super::{VENUE, instrument};
use crate::market::model::{
    BasisPoint, FundingRate, FundingSettings, LongShortRatio, OpenInterest, PriceKind, TakerVolume,
    Ticker,
};
use crate::market::parse::{ParseError, from_json, num, oldest_first, opt_num, shape, time_ms};
use crate::market::venues::kit::{
    self, decode, non_negative, opt_time, positive, row_candles, venue_error,
};
use crate::market::venues::{Payload, Query};

/// Binance's default funding interval; `/fapi/v1/fundingInfo` lists the symbols that differ.
const DEFAULT_FUNDING_HOURS: f64 = 8.0;

/// One page's body → payload, for the query that produced the request.
pub fn parse(query: &Query, body: &[u8]) -> Result<Payload, ParseError> {
    let value = envelope(body)?;
    match query {
        Query::Ticker { .. } => ticker(value),
        Query::FundingSettings { asset } => funding_settings(&instrument(asset), value),
        Query::FundingHistory { .. } => funding_history(value),
        Query::OpenInterestHistory { .. } => open_interest(value),
        Query::LongShortRatio { .. } => ratios(value),
        Query::TakerVolume { .. } => taker_volume(value),
        Query::Basis { .. } => basis(value),
        Query::Candles { price, .. } => candles(value, *price),
        Query::OrderBook { depth, .. } => book(value, *depth),
        Query::OptionChain { .. } | Query::RecentLiquidations { .. } => Err(shape(
            VENUE,
            "Binance has no public REST endpoint for this query",
        )),
    }
}

/// Parses the body and turns Binance's `{"code":…,"msg":…}` error object into a venue error.
fn envelope(body: &[u8]) -> Result<Value, ParseError> {
    let value: Value = from_json(VENUE, body)?;
    if value.get("code").is_some() && value.get("msg").is_some() {
        return Err(venue_error(VENUE, &value, "code", "msg"));
    }
    Ok(value)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PremiumIndex {
    #[serde(default, deserialize_with = "opt_num")]
    mark_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    index_price: Option<f64>,
    /// Despite the name, the rate of the period now running (paid at `nextFundingTime`).
    #[serde(default, deserialize_with = "opt_num")]
    last_funding_rate: Option<f64>,
    #[serde(default, deserialize_with = "opt_time")]
    next_funding_time: Option<i64>,
    #[serde(deserialize_with = "time_ms")]
    time: i64,
}

/// `/fapi/v1/premiumIndex?symbol=`. It does not state the interval: 8 h is assumed (the lead can override it with
/// `FundingSettings`, which reads `/fapi/v1/fundingInfo`). It carries no last price or open interest.
fn ticker(value: Value) -> Result<Payload, ParseError> {
    let p: PremiumIndex = decode(VENUE, value)?;
    let check = |what, v: Option<f64>| v.map(|x| positive(VENUE, what, x)).transpose();
    Ok(Payload::Ticker(Ticker {
        time_ms: p.time,
        mark_price: check("mark price", p.mark_price)?,
        index_price: check("index price", p.index_price)?,
        funding_interval_hours: p.last_funding_rate.map(|_| DEFAULT_FUNDING_HOURS),
        funding_rate: p.last_funding_rate,
        next_funding_time_ms: p.next_funding_time,
        ..Ticker::default()
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingInfo {
    #[serde(default, deserialize_with = "opt_num")]
    adjusted_funding_rate_cap: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    adjusted_funding_rate_floor: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    funding_interval_hours: Option<f64>,
}

/// `/fapi/v1/fundingInfo` lists every adjusted symbol. Only our symbol's row is decoded, so a malformed row of
/// another symbol does not hide ours; a symbol absent from the list runs on the defaults (8 h, no published cap).
fn funding_settings(symbol: &str, value: Value) -> Result<Payload, ParseError> {
    let rows: Vec<Value> = decode(VENUE, value)?;
    let row = rows
        .into_iter()
        .find(|r| r.get("symbol").and_then(Value::as_str) == Some(symbol));
    let Some(row) = row else {
        return Ok(Payload::FundingSettings(FundingSettings {
            interval_hours: DEFAULT_FUNDING_HOURS,
            cap: None,
            floor: None,
        }));
    };
    let info: FundingInfo = decode(VENUE, row)?;
    let interval_hours = info.funding_interval_hours.unwrap_or(DEFAULT_FUNDING_HOURS);
    if interval_hours <= 0.0 {
        return Err(shape(
            VENUE,
            format!("funding interval of {interval_hours} hours"),
        ));
    }
    Ok(Payload::FundingSettings(FundingSettings {
        interval_hours,
        cap: info.adjusted_funding_rate_cap,
        floor: info.adjusted_funding_rate_floor,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingRow {
    #[serde(deserialize_with = "time_ms")]
    funding_time: i64,
    #[serde(deserialize_with = "num")]
    funding_rate: f64,
    /// Present (sometimes as "") on rows since 2024.
    #[serde(default, deserialize_with = "opt_num")]
    mark_price: Option<f64>,
}

/// `/fapi/v1/fundingRate`: the interval of each row is inferred from the spacing of the payments (default 8 h).
fn funding_history(value: Value) -> Result<Payload, ParseError> {
    let rows: Vec<FundingRow> = oldest_first(decode(VENUE, value)?, |r| r.funding_time);
    let times: Vec<i64> = rows.iter().map(|r| r.funding_time).collect();
    let intervals = kit::funding_intervals(&times, DEFAULT_FUNDING_HOURS);
    rows.into_iter()
        .zip(intervals)
        .map(|(r, interval_hours)| {
            // "0" marks an unknown price on some old rows; a negative one is broken data.
            let mark_price = r
                .mark_price
                .filter(|p| *p != 0.0)
                .map(|p| positive(VENUE, "mark price", p))
                .transpose()?;
            Ok(FundingRate {
                time_ms: r.funding_time,
                rate: r.funding_rate,
                interval_hours,
                mark_price,
            })
        })
        .collect::<Result<_, _>>()
        .map(Payload::Funding)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenInterestHistRow {
    #[serde(deserialize_with = "num")]
    sum_open_interest: f64,
    #[serde(default, deserialize_with = "opt_num")]
    sum_open_interest_value: Option<f64>,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenInterestNow {
    #[serde(deserialize_with = "num")]
    open_interest: f64,
    #[serde(deserialize_with = "time_ms")]
    time: i64,
}

/// `/futures/data/openInterestHist` (an array: base units and their USDT value) or `/fapi/v1/openInterest` (one
/// object: base units only, so `usd` stays `None` — no price is in that response).
fn open_interest(value: Value) -> Result<Payload, ParseError> {
    if value.is_object() {
        let now: OpenInterestNow = decode(VENUE, value)?;
        let base = non_negative(VENUE, "open interest", now.open_interest)?;
        return Ok(Payload::OpenInterest(vec![OpenInterest {
            time_ms: now.time,
            base,
            usd: None,
        }]));
    }
    let rows: Vec<OpenInterestHistRow> = decode(VENUE, value)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(OpenInterest {
                time_ms: r.timestamp,
                base: non_negative(VENUE, "open interest", r.sum_open_interest)?,
                usd: r
                    .sum_open_interest_value
                    .map(|v| non_negative(VENUE, "open interest value", v))
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::OpenInterest(oldest_first(rows, |r| r.time_ms)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RatioRow {
    #[serde(deserialize_with = "num")]
    long_short_ratio: f64,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

/// The three long/short endpoints share a shape; `longShortRatio` is already long ÷ short (the `longAccount` and
/// `shortAccount` shares are not re-divided: Binance's own examples are not consistent between them).
fn ratios(value: Value) -> Result<Payload, ParseError> {
    let rows: Vec<RatioRow> = decode(VENUE, value)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(LongShortRatio {
                time_ms: r.timestamp,
                ratio: non_negative(VENUE, "long/short ratio", r.long_short_ratio)?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Ratios(oldest_first(rows, |r| r.time_ms)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TakerRow {
    #[serde(deserialize_with = "num")]
    buy_vol: f64,
    #[serde(deserialize_with = "num")]
    sell_vol: f64,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

/// `/futures/data/takerlongshortRatio`: `buyVol`/`sellVol` are in base units.
fn taker_volume(value: Value) -> Result<Payload, ParseError> {
    let rows: Vec<TakerRow> = decode(VENUE, value)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(TakerVolume {
                time_ms: r.timestamp,
                buy_base: non_negative(VENUE, "taker buy volume", r.buy_vol)?,
                sell_base: non_negative(VENUE, "taker sell volume", r.sell_vol)?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Taker(oldest_first(rows, |r| r.time_ms)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BasisRow {
    #[serde(deserialize_with = "num")]
    futures_price: f64,
    #[serde(deserialize_with = "num")]
    index_price: f64,
    #[serde(deserialize_with = "time_ms")]
    timestamp: i64,
}

fn basis(value: Value) -> Result<Payload, ParseError> {
    let rows: Vec<BasisRow> = decode(VENUE, value)?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(BasisPoint {
                time_ms: r.timestamp,
                futures_price: positive(VENUE, "futures price", r.futures_price)?,
                index_price: positive(VENUE, "index price", r.index_price)?,
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(Payload::Basis(oldest_first(rows, |r| r.time_ms)))
}

/// 12-column kline rows `[openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote,
/// ignore]`. Mark and index klines share the layout but their volume columns carry no trading volume.
fn candles(value: Value, kind: PriceKind) -> Result<Payload, ParseError> {
    let rows: Vec<Vec<Value>> = decode(VENUE, value)?;
    let (volume, taker_buy) = match kind {
        PriceKind::Last => (Some(5), Some(9)),
        PriceKind::Mark | PriceKind::Index => (None, None),
    };
    row_candles(VENUE, &rows, "kline", volume, taker_buy).map(Payload::Candles)
}

#[derive(Deserialize)]
struct Depth {
    /// Transaction time (matching engine), preferred.
    #[serde(rename = "T", default, deserialize_with = "opt_time")]
    transaction_time: Option<i64>,
    /// Message output time.
    #[serde(rename = "E", default, deserialize_with = "opt_time")]
    event_time: Option<i64>,
    bids: Vec<Vec<Value>>,
    asks: Vec<Vec<Value>>,
}

fn book(value: Value, depth: u32) -> Result<Payload, ParseError> {
    let d: Depth = decode(VENUE, value)?;
    let time_ms = d
        .transaction_time
        .or(d.event_time)
        .ok_or_else(|| shape(VENUE, "order book without a time"))?;
    Ok(Payload::Book(kit::sorted_book(
        VENUE, time_ms, &d.bids, &d.asks, 1.0, depth,
    )?))
}
