//! Bybit v5 public stream for linear contracts (`wss://stream.bybit.com/v5/public/linear`): one connection, topics
//! subscribed with `{"op":"subscribe","args":[…]}`. Only liquidations are wired: `allLiquidation.<symbol>`, pushed
//! every 500 ms with every liquidation of that window.

use serde::Deserialize;
use serde_json::Value;

use super::{VENUE, instrument};
use crate::market::model::{Asset, Liquidation, PositionSide};
use crate::market::parse::{ParseError, from_json, num, shape, time_ms};
use crate::market::venues::kit::{decode, non_negative, positive};
use crate::market::venues::{StreamEvent, StreamKind, StreamRequest, Unsupported};

pub fn stream_request(asset: &Asset, kind: StreamKind) -> Result<StreamRequest, Unsupported> {
    match kind {
        StreamKind::Liquidations => Ok(StreamRequest {
            venue: VENUE,
            path: "/v5/public/linear".to_string(),
            subscribe_message: Some(format!(
                r#"{{"op":"subscribe","args":["allLiquidation.{}"]}}"#,
                instrument(asset)
            )),
        }),
        StreamKind::BestQuotes | StreamKind::Book => Err(Unsupported {
            venue: VENUE,
            what: "quote and order-book streams (not wired for Bybit)",
        }),
    }
}

/// The first liquidation of a message. A push may carry several: use [`parse_stream_messages`] to keep them all.
pub fn parse_stream_message(text: &str) -> Result<Option<StreamEvent>, ParseError> {
    Ok(parse_stream_messages(text)?.into_iter().next())
}

/// Every liquidation of a message; subscription acknowledgements, pongs and other topics give none.
pub fn parse_stream_messages(text: &str) -> Result<Vec<StreamEvent>, ParseError> {
    let mut value: Value = from_json(VENUE, text.as_bytes())?;
    // A refused subscription: {"success":false,"ret_msg":"error:handler not found","op":"subscribe",…}.
    if value.get("success").and_then(Value::as_bool) == Some(false) {
        let field = |key| {
            value
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        return Err(ParseError::VenueError {
            venue: VENUE,
            code: field("op"),
            message: field("ret_msg"),
        });
    }
    let topic = value
        .get("topic")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !topic.starts_with("allLiquidation.") {
        return Ok(Vec::new());
    }
    // The docs table calls `data` an object while every example sends an array; accept both.
    let rows = match value.get_mut("data").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        Some(row @ Value::Object(_)) => vec![row],
        _ => return Err(shape(VENUE, "liquidation message without data")),
    };
    rows.into_iter()
        .map(|row| liquidation(row).map(StreamEvent::Liquidation))
        .collect()
}

#[derive(Deserialize)]
struct LiquidationRow {
    #[serde(rename = "T", deserialize_with = "time_ms")]
    time: i64,
    /// The liquidated position's side: `Buy` is a long (Bybit docs: "When you receive a Buy update, this means that
    /// a long position has been liquidated") — the opposite of Binance, whose side is the closing order's.
    #[serde(rename = "S")]
    side: String,
    #[serde(rename = "v", deserialize_with = "num")]
    size: f64,
    /// Bankruptcy price.
    #[serde(rename = "p", deserialize_with = "num")]
    price: f64,
}

fn liquidation(row: Value) -> Result<Liquidation, ParseError> {
    let r: LiquidationRow = decode(VENUE, row)?;
    let side = match r.side.as_str() {
        "Buy" => PositionSide::Long,
        "Sell" => PositionSide::Short,
        other => return Err(shape(VENUE, format!("liquidation side {other:?}"))),
    };
    Ok(Liquidation {
        time_ms: r.time,
        side,
        price: positive(VENUE, "liquidation price", r.price)?,
        quantity_base: non_negative(VENUE, "liquidation size", r.size)?,
    })
}
