//! The Hyperliquid `l2Book` WebSocket stream: every message is a full snapshot of up to 20 levels per side
//! (no diffs to replay), pushed each block while the book changes.

use serde::Deserialize;
use serde_json::Value;

use super::rest::{L2Book, snapshot};
use super::{VENUE, instrument};
use crate::market::model::Asset;
use crate::market::parse::{ParseError, from_json};
use crate::market::venues::kit::{self, decode};
use crate::market::venues::{StreamEvent, StreamKind, StreamRequest, Unsupported};

/// The plain-text greeting the server sends right after the connection opens (the Python SDK skips it too).
const GREETING: &str = "Websocket connection established.";

/// `/ws` with the `l2Book` subscription for the asset's coin. Only [`StreamKind::Book`] is offered: best
/// quotes would be the top of the same book, and liquidations are not public on this stream.
pub fn stream_request(asset: &Asset, kind: StreamKind) -> Result<StreamRequest, Unsupported> {
    match kind {
        StreamKind::Book => Ok(StreamRequest {
            venue: VENUE,
            path: "/ws".into(),
            subscribe_message: Some(format!(
                r#"{{"method":"subscribe","subscription":{{"type":"l2Book","coin":"{}"}}}}"#,
                instrument(asset)
            )),
        }),
        StreamKind::BestQuotes => Err(Unsupported {
            venue: VENUE,
            what: "a best-quote stream (use the book stream)",
        }),
        StreamKind::Liquidations => Err(Unsupported {
            venue: VENUE,
            what: "a liquidation stream",
        }),
    }
}

#[derive(Deserialize)]
struct Message {
    channel: String,
    #[serde(default)]
    data: Value,
}

/// One text frame → a book snapshot, `None` for acknowledgements, pongs, the greeting and other channels, or
/// the venue's error message (e.g. a subscription to an unknown coin).
pub fn parse_stream_message(text: &str) -> Result<Option<StreamEvent>, ParseError> {
    if text.trim() == GREETING {
        return Ok(None);
    }
    let message: Message = from_json(VENUE, text.as_bytes())?;
    match message.channel.as_str() {
        "l2Book" => {
            let book: L2Book = decode(VENUE, message.data)?;
            Ok(Some(StreamEvent::Book(snapshot(book, u32::MAX)?)))
        }
        "error" => Err(ParseError::VenueError {
            venue: VENUE,
            code: "error".into(),
            message: kit::text(&message.data),
        }),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::model::Level;
    use crate::market::venues::kit::testkit::asset;

    const WS_BOOK: &str = include_str!("../../../../tests/fixtures/hyperliquid/ws_l2Book.json");
    const WS_ACK: &str =
        include_str!("../../../../tests/fixtures/hyperliquid/ws_subscriptionResponse.json");

    #[test]
    fn book_stream_subscribes_to_the_coin() {
        let request = stream_request(&asset("KPEPE"), StreamKind::Book).unwrap();
        assert_eq!(request.path, "/ws");
        assert_eq!(
            request.subscribe_message.as_deref(),
            Some(r#"{"method":"subscribe","subscription":{"type":"l2Book","coin":"kPEPE"}}"#)
        );
        assert!(stream_request(&asset("BTC"), StreamKind::BestQuotes).is_err());
        assert!(stream_request(&asset("BTC"), StreamKind::Liquidations).is_err());
    }

    #[test]
    fn stream_books_parse_and_acks_are_skipped() {
        let Ok(Some(StreamEvent::Book(book))) = parse_stream_message(WS_BOOK) else {
            panic!("stream book")
        };
        assert_eq!(book.time_ms, 1_763_717_401_500);
        assert_eq!(
            book.bids[0],
            Level {
                price: 3_017.1,
                size: 41.2201
            }
        );
        assert_eq!(
            book.asks[1],
            Level {
                price: 3_017.4,
                size: 60.1402
            }
        );
        assert_eq!(parse_stream_message(WS_ACK), Ok(None));
        assert_eq!(
            parse_stream_message("Websocket connection established."),
            Ok(None)
        );
        assert_eq!(parse_stream_message(r#"{"channel":"pong"}"#), Ok(None));
        let err = parse_stream_message(r#"{"channel":"error","data":"Invalid subscription"}"#)
            .unwrap_err();
        assert!(matches!(err, ParseError::VenueError { .. }));
        assert!(matches!(
            parse_stream_message("{\"channel\":"),
            Err(ParseError::NotJson { .. })
        ));
    }

    #[test]
    fn stream_parse_never_panics_on_hostile_text() {
        let mut runner = proptest::test_runner::TestRunner::default();
        let outcome = runner.run(&"\\PC{0,300}", |text| {
            let _ = parse_stream_message(&text);
            Ok(())
        });
        assert!(outcome.is_ok());
    }
}
