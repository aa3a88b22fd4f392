//! Binance USDⓈ-M WebSocket streams (`wss://fstream.binance.com`): raw single streams under `/ws/<stream>`, where
//! the subscription is the path itself (nothing to send). Messages are the bare event objects; the combined form
//! `{"stream":…,"data":{…}}` is unwrapped too, in case a proxy multiplexes.

use serde::Deserialize;
use serde_json::Value;

use super::{VENUE, instrument};
use crate::market::model::{Asset, Liquidation, PositionSide, Quote};
use crate::market::parse::{ParseError, from_json, num, opt_num, shape, time_ms};
use crate::market::venues::kit::{decode, non_negative, opt_time, positive, venue_error};
use crate::market::venues::{StreamEvent, StreamKind, StreamRequest, Unsupported};

/// `<symbol>@bookTicker` (every best bid/ask change) or `<symbol>@forceOrder` (liquidation orders).
pub fn stream_request(asset: &Asset, kind: StreamKind) -> Result<StreamRequest, Unsupported> {
    let stream = match kind {
        StreamKind::BestQuotes => "bookTicker",
        StreamKind::Liquidations => "forceOrder",
        StreamKind::Book => {
            return Err(Unsupported {
                venue: VENUE,
                what: "an order-book stream (not wired yet)",
            });
        }
    };
    let symbol = instrument(asset).to_ascii_lowercase();
    Ok(StreamRequest {
        venue: VENUE,
        path: format!("/ws/{symbol}@{stream}"),
        subscribe_message: None,
    })
}

/// The first event of a message (Binance sends one event per message); `Ok(None)` for anything else.
pub fn parse_stream_message(text: &str) -> Result<Option<StreamEvent>, ParseError> {
    Ok(parse_stream_messages(text)?.into_iter().next())
}

/// Every event of a message: quotes and liquidations; subscription replies and other events give none.
pub fn parse_stream_messages(text: &str) -> Result<Vec<StreamEvent>, ParseError> {
    let mut value: Value = from_json(VENUE, text.as_bytes())?;
    if value.get("stream").is_some_and(Value::is_string) {
        value = value
            .get_mut("data")
            .map(Value::take)
            .unwrap_or(Value::Null);
    }
    // A reply to a (malformed) control message: {"error":{"code":2,"msg":"Invalid request"},"id":1}.
    if let Some(error) = value.get("error").filter(|e| e.is_object()) {
        return Err(venue_error(VENUE, error, "code", "msg"));
    }
    match value.get("e").and_then(Value::as_str) {
        Some("bookTicker") => Ok(vec![StreamEvent::Quote(quote(value)?)]),
        Some("forceOrder") => Ok(vec![StreamEvent::Liquidation(liquidation(value)?)]),
        _ => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
struct BookTicker {
    #[serde(rename = "T", default, deserialize_with = "opt_time")]
    transaction_time: Option<i64>,
    #[serde(rename = "E", deserialize_with = "time_ms")]
    event_time: i64,
    #[serde(rename = "b", deserialize_with = "num")]
    bid_price: f64,
    #[serde(rename = "B", deserialize_with = "num")]
    bid_size: f64,
    #[serde(rename = "a", deserialize_with = "num")]
    ask_price: f64,
    #[serde(rename = "A", deserialize_with = "num")]
    ask_size: f64,
}

fn quote(value: Value) -> Result<Quote, ParseError> {
    let t: BookTicker = decode(VENUE, value)?;
    Ok(Quote {
        time_ms: t.transaction_time.unwrap_or(t.event_time),
        bid_price: positive(VENUE, "bid", t.bid_price)?,
        bid_size: non_negative(VENUE, "bid size", t.bid_size)?,
        ask_price: positive(VENUE, "ask", t.ask_price)?,
        ask_size: non_negative(VENUE, "ask size", t.ask_size)?,
    })
}

#[derive(Deserialize)]
struct ForceOrderEvent {
    #[serde(rename = "E", deserialize_with = "time_ms")]
    event_time: i64,
    #[serde(rename = "o")]
    order: ForceOrder,
}

#[derive(Deserialize)]
struct ForceOrder {
    /// The liquidation order's side: SELL closes a long.
    #[serde(rename = "S")]
    side: String,
    #[serde(rename = "p", deserialize_with = "num")]
    order_price: f64,
    #[serde(rename = "ap", default, deserialize_with = "opt_num")]
    average_price: Option<f64>,
    #[serde(rename = "q", deserialize_with = "num")]
    order_quantity: f64,
    #[serde(rename = "z", default, deserialize_with = "opt_num")]
    filled_quantity: Option<f64>,
    #[serde(rename = "T", default, deserialize_with = "opt_time")]
    trade_time: Option<i64>,
}

/// A liquidation order. The price is the average fill `ap` (the order price `p` is the IOC limit, worse than the
/// fills) and the size the accumulated filled quantity `z`, falling back to `p`/`q` when nothing filled yet.
fn liquidation(value: Value) -> Result<Liquidation, ParseError> {
    let e: ForceOrderEvent = decode(VENUE, value)?;
    let o = e.order;
    let side = match o.side.as_str() {
        "SELL" => PositionSide::Long,
        "BUY" => PositionSide::Short,
        other => return Err(shape(VENUE, format!("liquidation side {other:?}"))),
    };
    let filled = o.filled_quantity.filter(|z| *z > 0.0);
    let average = o.average_price.filter(|p| *p > 0.0);
    Ok(Liquidation {
        time_ms: o.trade_time.unwrap_or(e.event_time),
        side,
        price: positive(VENUE, "liquidation price", average.unwrap_or(o.order_price))?,
        quantity_base: non_negative(
            VENUE,
            "liquidation quantity",
            filled.unwrap_or(o.order_quantity),
        )?,
    })
}
