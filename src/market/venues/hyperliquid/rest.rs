//! Parsers for Hyperliquid `/info` responses (and the `data` of `l2Book` stream messages, same shape).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::VENUE;
use crate::market::model::{Candle, FundingRate, OrderBookSnapshot, Ticker};
use crate::market::parse::{ParseError, from_json, num, oldest_first, opt_num, shape, time_ms};
use crate::market::venues::kit::{self, HOUR_MS, candle, listed_book, non_negative, text};

/// Decodes a body into `T` after looking for Hyperliquid's ways of saying no: `null` (what `/info` answers for
/// a coin it does not list), `{"error": …}` and `{"status":"err","response": …}`. Malformed requests get an
/// HTTP 422 with a plain-text body, which [`from_json`] reports as not JSON.
pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    let value: Value = from_json(VENUE, body)?;
    check_error(&value)?;
    kit::decode(VENUE, value)
}

fn check_error(value: &Value) -> Result<(), ParseError> {
    let venue_error = |code: &str, message: String| {
        Err(ParseError::VenueError {
            venue: VENUE,
            code: code.into(),
            message,
        })
    };
    match value {
        Value::Null => venue_error(
            "null",
            "no data for this request (is the coin listed?)".into(),
        ),
        Value::Object(map) => {
            if let Some(error) = map.get("error") {
                return venue_error("error", text(error));
            }
            if map.get("status").and_then(Value::as_str) == Some("err") {
                return venue_error("err", map.get("response").map(text).unwrap_or_default());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingRow {
    #[serde(deserialize_with = "num")]
    funding_rate: f64,
    #[serde(deserialize_with = "time_ms")]
    time: i64,
}

/// `fundingHistory` → funding payments, oldest first.
///
/// The interval of a row is the spacing to its neighbour, rounded to whole hours: 1 h since Hyperliquid
/// settles hourly, 8 h in the 2023 history (rows at 00:00, 08:00, 16:00 with 8-hour rates such as the
/// 0.0001 default). The gap to the previous row is preferred (a payment covers the hours before it), then
/// the gap to the next one; a gap that is neither 1 h nor 8 h (missing rows) says nothing, and a lone row
/// is taken as hourly, the venue's current cadence.
pub(super) fn funding_history(body: &[u8]) -> Result<Vec<FundingRate>, ParseError> {
    let rows = oldest_first(decode::<Vec<FundingRow>>(body)?, |r| r.time);
    let times: Vec<i64> = rows.iter().map(|r| r.time).collect();
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, row)| FundingRate {
            time_ms: row.time,
            rate: row.funding_rate,
            interval_hours: interval_hours(&times, i),
            mark_price: None,
        })
        .collect())
}

fn interval_hours(times: &[i64], i: usize) -> f64 {
    let cadence = |earlier: Option<&i64>, later: Option<&i64>| match (earlier, later) {
        (Some(a), Some(b)) => Some((b.saturating_sub(*a) as f64 / HOUR_MS as f64).round())
            .filter(|h| *h == 1.0 || *h == 8.0),
        _ => None,
    };
    let before = i
        .checked_sub(1)
        .and_then(|p| cadence(times.get(p), times.get(i)));
    let after = cadence(times.get(i), times.get(i + 1));
    before.or(after).unwrap_or(1.0)
}

#[derive(Deserialize)]
struct Meta {
    universe: Vec<UniverseEntry>,
}

#[derive(Deserialize)]
struct UniverseEntry {
    name: String,
}

/// One asset context; `premium`, `impactPxs` and `midPx` are `null` for a market without a book.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssetCtx {
    #[serde(deserialize_with = "num")]
    funding: f64,
    #[serde(deserialize_with = "num")]
    open_interest: f64,
    #[serde(default, deserialize_with = "opt_num")]
    mark_px: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    oracle_px: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    mid_px: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    day_base_vlm: Option<f64>,
}

/// `metaAndAssetCtxs` (`[meta, ctxs]`, `ctxs[i]` belongs to `meta.universe[i]`) → the coin's ticker.
///
/// Mark is `markPx`; index is `oraclePx` (the spot oracle funding is measured against); last is `midPx`, the
/// book mid, because the context carries no last trade. Funding is the current hourly rate, paid at the top
/// of the hour. The response has no timestamp: `time_ms` is 0 and the caller stamps the receive time.
pub(super) fn ticker(body: &[u8], coin: &str) -> Result<Ticker, ParseError> {
    let (meta, ctxs): (Meta, Vec<AssetCtx>) = decode(body)?;
    let index = meta
        .universe
        .iter()
        .position(|u| u.name == coin)
        .ok_or_else(|| ParseError::VenueError {
            venue: VENUE,
            code: "unknown-asset".into(),
            message: format!("Hyperliquid lists no perpetual named {coin}"),
        })?;
    let ctx = ctxs.get(index).ok_or_else(|| {
        shape(
            VENUE,
            format!("{coin} is listed at position {index} but has no asset context"),
        )
    })?;
    let price = |v: Option<f64>, what| v.map(|p| non_negative(VENUE, what, p)).transpose();
    Ok(Ticker {
        time_ms: 0,
        mark_price: price(ctx.mark_px, "markPx")?,
        index_price: price(ctx.oracle_px, "oraclePx")?,
        last_price: price(ctx.mid_px, "midPx")?,
        funding_rate: Some(ctx.funding),
        funding_interval_hours: Some(1.0),
        next_funding_time_ms: None,
        open_interest_base: Some(non_negative(VENUE, "openInterest", ctx.open_interest)?),
        volume_24h_base: price(ctx.day_base_vlm, "dayBaseVlm")?,
    })
}

#[derive(Deserialize)]
struct CandleRow {
    #[serde(deserialize_with = "time_ms")]
    t: i64,
    #[serde(deserialize_with = "num")]
    o: f64,
    #[serde(deserialize_with = "num")]
    h: f64,
    #[serde(deserialize_with = "num")]
    l: f64,
    #[serde(deserialize_with = "num")]
    c: f64,
    #[serde(deserialize_with = "num")]
    v: f64,
}

/// `candleSnapshot` → candles of the traded price; `t` is the open time, `v` the volume in base units.
pub(super) fn candles(body: &[u8]) -> Result<Vec<Candle>, ParseError> {
    let rows: Vec<CandleRow> = decode(body)?;
    let candles = rows
        .into_iter()
        .map(|r| candle(VENUE, r.t, [r.o, r.h, r.l, r.c, r.v]))
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(oldest_first(candles, |c| c.open_time_ms))
}

#[derive(Deserialize)]
pub(super) struct L2Book {
    levels: Vec<Vec<L2Level>>,
    #[serde(deserialize_with = "time_ms")]
    time: i64,
}

#[derive(Deserialize)]
struct L2Level {
    #[serde(deserialize_with = "num")]
    px: f64,
    #[serde(deserialize_with = "num")]
    sz: f64,
}

/// `l2Book` → a book snapshot: `levels[0]` are the bids, `levels[1]` the asks, best first, sizes in base.
pub(super) fn book(body: &[u8], depth: u32) -> Result<OrderBookSnapshot, ParseError> {
    snapshot(decode(body)?, depth)
}

pub(super) fn snapshot(book: L2Book, depth: u32) -> Result<OrderBookSnapshot, ParseError> {
    let [bids, asks] = <[Vec<L2Level>; 2]>::try_from(book.levels).map_err(|levels| {
        shape(
            VENUE,
            format!("l2Book has {} sides of levels, not 2", levels.len()),
        )
    })?;
    let pairs = |side: Vec<L2Level>| side.into_iter().map(|l| (l.px, l.sz));
    listed_book(VENUE, book.time, pairs(bids), pairs(asks), depth)
}
