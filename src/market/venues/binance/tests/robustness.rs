//! Malformed bodies become typed errors; nothing panics on any input.

use proptest::prelude::*;

use super::*;

#[test]
fn malformed_bodies_are_typed_errors() {
    let funding = Query::FundingHistory {
        asset: btc(),
        from_ms: 0,
        to_ms: TO,
    };
    let ticker = Query::Ticker { asset: btc() };
    let shape =
        |q: &Query, body: &str| matches!(parse(q, body.as_bytes()), Err(ParseError::Shape { .. }));
    assert!(
        shape(&funding, r#"[{"fundingRate":"0.0001"}]"#),
        "missing time"
    );
    assert!(
        shape(&funding, r#"[{"fundingTime":1,"fundingRate":"abc"}]"#),
        "word for number"
    );
    assert!(
        shape(&funding, r#"[{"fundingTime":1,"fundingRate":"NaN"}]"#),
        "NaN"
    );
    assert!(shape(&funding, r#"{"fundingTime":1}"#), "object for array");
    assert!(shape(&ticker, "[]"), "array for object");
    assert!(
        shape(&ticker, r#"{"markPrice":"-5","time":1}"#),
        "negative price"
    );
    assert!(
        shape(
            &candles(PriceKind::Last, Period::H1, 0),
            r#"[[1,"1","2","0.5"]]"#
        ),
        "short kline"
    );
    assert!(
        shape(
            &Query::OrderBook {
                asset: btc(),
                depth: 5
            },
            r#"{"bids":[],"asks":[]}"#
        ),
        "book without time"
    );
    assert_eq!(
        parse(&funding, b""),
        Err(ParseError::Empty {
            venue: Venue::Binance
        })
    );
    assert_eq!(ok(&funding, "[]"), Payload::Funding(vec![]));
    assert_eq!(
        ok(&candles(PriceKind::Last, Period::H1, 0), " [ ] "),
        Payload::Candles(vec![])
    );
    let html = parse(
        &funding,
        b"<html><head><title>403 Forbidden</title></head><body>CloudFront</body></html>",
    );
    assert!(
        matches!(html, Err(ParseError::NotJson { ref starts_with, .. }) if starts_with.starts_with("<html>"))
    );
    assert!(matches!(
        parse(&funding, br#"[{"fundingTime":1,"fund"#),
        Err(ParseError::NotJson { .. })
    ));
    assert_eq!(
        parse(&funding, fixture!("error_invalid_symbol").as_bytes()),
        Err(ParseError::VenueError {
            venue: Venue::Binance,
            code: "-1121".into(),
            message: "Invalid symbol.".into()
        })
    );
    let geo = parse(&ticker, fixture!("error_restricted_location").as_bytes()).unwrap_err();
    assert!(
        matches!(geo, ParseError::VenueError { ref code, ref message, .. } if code == "0" && message.contains("restricted"))
    );
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_all(parse, parse_stream_messages, &body);
    }

    #[test]
    fn parse_never_panics_on_json_ish(body in json_ish()) {
        parse_all(parse, parse_stream_messages, body.as_bytes());
    }

    #[test]
    fn requests_never_panic_and_stay_within_50_pages(from_ms in any::<i64>(), to_ms in any::<i64>(), depth in any::<u32>()) {
        for period in [Period::M1, Period::M5, Period::H1, Period::D1] {
            for query in [oi(btc(), period, from_ms, to_ms), candles(PriceKind::Last, period, from_ms), Query::FundingHistory { asset: btc(), from_ms, to_ms }] {
                prop_assert!(testkit::within_page_limit(requests, &query));
            }
        }
        prop_assert_eq!(requests(&Query::OrderBook { asset: btc(), depth }).unwrap().len(), 1);
    }
}
