//! OKX public WebSocket (`wss://ws.okx.com:8443/ws/v5/public`). Nothing is wired yet: the liquidation channel counts
//! contracts and the research samples hold no quote or liquidation message to pin the shapes on. The functions
//! exist so the app can dispatch uniformly; error events are still surfaced.

use serde_json::Value;

use super::VENUE;
use crate::market::model::Asset;
use crate::market::parse::{ParseError, from_json};
use crate::market::venues::kit::venue_error;
use crate::market::venues::{StreamEvent, StreamKind, StreamRequest, Unsupported};

pub fn stream_request(_asset: &Asset, _kind: StreamKind) -> Result<StreamRequest, Unsupported> {
    Err(Unsupported {
        venue: VENUE,
        what: "streams (not wired for OKX)",
    })
}

pub fn parse_stream_message(text: &str) -> Result<Option<StreamEvent>, ParseError> {
    Ok(parse_stream_messages(text)?.into_iter().next())
}

/// `{"event":"error","code":"60012","msg":…}` is the venue's error; everything else yields no event.
pub fn parse_stream_messages(text: &str) -> Result<Vec<StreamEvent>, ParseError> {
    // The keep-alive reply to a text "ping" is the bare text "pong".
    if text.trim() == "pong" {
        return Ok(Vec::new());
    }
    let value: Value = from_json(VENUE, text.as_bytes())?;
    if value.get("event").and_then(Value::as_str) == Some("error") {
        return Err(venue_error(VENUE, &value, "code", "msg"));
    }
    Ok(Vec::new())
}
