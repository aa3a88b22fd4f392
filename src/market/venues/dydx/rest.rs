//! Parsers for dYdX v4 indexer responses. Units are described in the module note of [`super`].

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::Value;

use super::VENUE;
use crate::market::model::{
    Candle, FundingRate, Liquidation, OpenInterest, OrderBookSnapshot, PositionSide, Ticker,
};
use crate::market::parse::{ParseError, from_json, iso8601_ms, num, oldest_first, shape};
use crate::market::venues::kit::{self, candle, listed_book, non_negative};

/// Decodes a body into `T` unless it is the indexer's error object, which becomes a
/// [`ParseError::VenueError`] listing each message with the parameter it is about.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    let value: Value = from_json(VENUE, body)?;
    if let Some(errors) = value.get("errors").and_then(Value::as_array) {
        let text = |e: &Value, key| e.get(key).and_then(Value::as_str).map(str::to_string);
        let messages: Vec<String> = errors
            .iter()
            .map(|e| {
                let msg = text(e, "msg").unwrap_or_else(|| e.to_string());
                match text(e, "param").or_else(|| text(e, "path")) {
                    Some(param) => format!("{param}: {msg}"),
                    None => msg,
                }
            })
            .collect();
        return Err(ParseError::VenueError {
            venue: VENUE,
            code: "indexer".into(),
            message: messages.join("; "),
        });
    }
    kit::decode(VENUE, value)
}

/// `#[serde(deserialize_with = "iso_ms")]`: an ISO-8601 UTC time such as `2025-11-20T03:00:00.412Z` in ms.
fn iso_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let text = String::deserialize(d)?;
    iso8601_ms(&text).ok_or_else(|| {
        de::Error::custom(format!(
            "“{}” is not an ISO-8601 UTC time",
            text.chars().take(40).collect::<String>()
        ))
    })
}

#[derive(Deserialize)]
struct Markets {
    markets: HashMap<String, Market>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Market {
    #[serde(deserialize_with = "num")]
    oracle_price: f64,
    #[serde(deserialize_with = "num")]
    next_funding_rate: f64,
    #[serde(deserialize_with = "num")]
    open_interest: f64,
}

/// `perpetualMarkets` → the market's ticker. `oraclePrice` is mark and index (dYdX margins on it); there is
/// no last trade price nor a timestamp (`time_ms` is 0, the caller stamps the receive time); `volume24H` is in
/// USD and is not turned into base units with a price of another moment, so the volume is left out.
pub(super) fn ticker(body: &[u8], ticker: &str) -> Result<Ticker, ParseError> {
    let mut markets: Markets = decode(body)?;
    let market = markets
        .markets
        .remove(ticker)
        .ok_or_else(|| ParseError::VenueError {
            venue: VENUE,
            code: "unknown-asset".into(),
            message: format!("dYdX lists no perpetual market {ticker}"),
        })?;
    let oracle = non_negative(VENUE, "oraclePrice", market.oracle_price)?;
    Ok(Ticker {
        time_ms: 0,
        mark_price: Some(oracle),
        index_price: Some(oracle),
        last_price: None,
        funding_rate: Some(market.next_funding_rate),
        funding_interval_hours: Some(1.0),
        next_funding_time_ms: None,
        open_interest_base: Some(non_negative(VENUE, "openInterest", market.open_interest)?),
        volume_24h_base: None,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingPage {
    historical_funding: Vec<FundingRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FundingRow {
    #[serde(deserialize_with = "num")]
    rate: f64,
    #[serde(deserialize_with = "num")]
    price: f64,
    #[serde(deserialize_with = "iso_ms")]
    effective_at: i64,
}

/// `historicalFunding/{ticker}` → hourly funding rates, oldest first, with the oracle price of the moment as
/// the mark price. Times keep the block's milliseconds (`…T03:00:00.412Z`).
pub(super) fn funding_history(body: &[u8]) -> Result<Vec<FundingRate>, ParseError> {
    let page: FundingPage = decode(body)?;
    let rates = page
        .historical_funding
        .into_iter()
        .map(|r| {
            Ok(FundingRate {
                time_ms: r.effective_at,
                rate: r.rate,
                interval_hours: 1.0,
                mark_price: Some(non_negative(VENUE, "price", r.price)?),
            })
        })
        .collect::<Result<Vec<_>, ParseError>>()?;
    Ok(oldest_first(rates, |r| r.time_ms))
}

#[derive(Deserialize)]
struct CandlePage {
    candles: Vec<CandleRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CandleRow {
    #[serde(deserialize_with = "iso_ms")]
    started_at: i64,
    #[serde(deserialize_with = "num")]
    open: f64,
    #[serde(deserialize_with = "num")]
    high: f64,
    #[serde(deserialize_with = "num")]
    low: f64,
    #[serde(deserialize_with = "num")]
    close: f64,
    #[serde(deserialize_with = "num")]
    base_token_volume: f64,
    /// Older indexers may not send it; only open-interest history needs it.
    #[serde(default, deserialize_with = "crate::market::parse::opt_num")]
    starting_open_interest: Option<f64>,
}

fn candle_rows(body: &[u8]) -> Result<Vec<CandleRow>, ParseError> {
    let page: CandlePage = decode(body)?;
    Ok(oldest_first(page.candles, |c| c.started_at))
}

/// `candles/perpetualMarkets/{ticker}` → candles of the traded price, volume in base units.
pub(super) fn candles(body: &[u8]) -> Result<Vec<Candle>, ParseError> {
    candle_rows(body)?
        .into_iter()
        .map(|c| {
            candle(
                VENUE,
                c.started_at,
                [c.open, c.high, c.low, c.close, c.base_token_volume],
            )
        })
        .collect()
}

/// The same candles → open interest at each candle's start, in base units and valued at its open price.
pub(super) fn open_interest_history(body: &[u8]) -> Result<Vec<OpenInterest>, ParseError> {
    candle_rows(body)?
        .into_iter()
        .map(|c| {
            let base = c
                .starting_open_interest
                .ok_or_else(|| shape(VENUE, "a candle has no startingOpenInterest"))
                .and_then(|oi| non_negative(VENUE, "startingOpenInterest", oi))?;
            Ok(OpenInterest {
                time_ms: c.started_at,
                base,
                usd: Some(base * non_negative(VENUE, "open", c.open)?),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Book {
    bids: Vec<BookLevel>,
    asks: Vec<BookLevel>,
}

#[derive(Deserialize)]
struct BookLevel {
    #[serde(deserialize_with = "num")]
    price: f64,
    #[serde(deserialize_with = "num")]
    size: f64,
}

/// `orderbooks/perpetualMarket/{ticker}` → book, sizes in base. The answer has no time: `time_ms` is 0.
pub(super) fn book(body: &[u8], depth: u32) -> Result<OrderBookSnapshot, ParseError> {
    let b: Book = decode(body)?;
    let pairs = |side: Vec<BookLevel>| side.into_iter().map(|l| (l.price, l.size));
    listed_book(VENUE, 0, pairs(b.bids), pairs(b.asks), depth)
}

#[derive(Deserialize)]
struct TradePage {
    trades: Vec<Trade>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trade {
    side: String,
    #[serde(deserialize_with = "num")]
    size: f64,
    #[serde(deserialize_with = "num")]
    price: f64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(deserialize_with = "iso_ms")]
    created_at: i64,
}

/// `trades/perpetualMarket/{ticker}` → the liquidations among the newest taker fills, oldest first.
///
/// The endpoint lists taker fills only. A `LIQUIDATED` fill is the taker side of a liquidation, and its
/// subaccount is the liquidated one (`FillType` in the indexer); a `DELEVERAGED` fill is likewise the taker
/// side of a forced closure against an offsetting account. `side` is the order that closed the position:
/// a liquidated long is sold (SELL → [`PositionSide::Long`]), a liquidated short is bought back (BUY →
/// [`PositionSide::Short`]). One liquidation order filled against several makers gives several fills with the
/// same time and side; they are merged into one liquidation at the size-weighted price.
pub(super) fn liquidations(body: &[u8]) -> Result<Vec<Liquidation>, ParseError> {
    let page: TradePage = decode(body)?;
    let mut fills = Vec::new();
    for t in page
        .trades
        .into_iter()
        .filter(|t| t.kind == "LIQUIDATED" || t.kind == "DELEVERAGED")
    {
        let side = match t.side.as_str() {
            "SELL" => PositionSide::Long,
            "BUY" => PositionSide::Short,
            other => {
                return Err(shape(
                    VENUE,
                    format!("a liquidation fill has side “{other}”"),
                ));
            }
        };
        let price = non_negative(VENUE, "price", t.price)?;
        fills.push(Liquidation {
            time_ms: t.created_at,
            side,
            price,
            quantity_base: non_negative(VENUE, "size", t.size)?,
        });
    }
    lens_math::sort::sort_by_key(&mut fills, |l| l.time_ms);
    let mut merged: Vec<Liquidation> = Vec::with_capacity(fills.len());
    for fill in fills {
        match merged.last_mut() {
            Some(last) if last.time_ms == fill.time_ms && last.side == fill.side => {
                let quantity = last.quantity_base + fill.quantity_base;
                if quantity > 0.0 {
                    last.price = (last.price * last.quantity_base
                        + fill.price * fill.quantity_base)
                        / quantity;
                }
                last.quantity_base = quantity;
            }
            _ => merged.push(fill),
        }
    }
    Ok(merged)
}
