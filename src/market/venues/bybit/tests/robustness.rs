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
    let wrap = |list: &str| {
        format!(r#"{{"retCode":0,"retMsg":"OK","result":{{"list":{list}}},"time":1}}"#)
    };
    let shape =
        |q: &Query, body: &str| matches!(parse(q, body.as_bytes()), Err(ParseError::Shape { .. }));
    assert!(
        shape(&funding, &wrap(r#"[{"fundingRate":"0.0001"}]"#)),
        "missing time"
    );
    assert!(
        shape(
            &funding,
            &wrap(r#"[{"fundingRate":"abc","fundingRateTimestamp":"1"}]"#)
        ),
        "word"
    );
    assert!(
        shape(
            &funding,
            &wrap(r#"[{"fundingRate":"NaN","fundingRateTimestamp":"1"}]"#)
        ),
        "NaN"
    );
    assert!(
        shape(&funding, r#"{"retMsg":"OK","result":{"list":[]}}"#),
        "no retCode"
    );
    assert!(
        shape(&funding, r#"{"retCode":0,"retMsg":"OK","result":{}}"#),
        "no list"
    );
    let ratios = ratio(RatioKind::GlobalAccounts, Period::H1, 0, TO);
    assert!(
        shape(
            &ratios,
            &wrap(r#"[{"buyRatio":"1","sellRatio":"0","timestamp":"1"}]"#)
        ),
        "zero short share"
    );
    assert!(
        shape(
            &candles(PriceKind::Last, Period::H1, 0),
            &wrap(r#"[["1","1","2","-1","1","5","5"]]"#)
        ),
        "negative low"
    );
    assert!(
        shape(
            &candles(PriceKind::Last, Period::H1, 0),
            &wrap(r#"[["1","1","2","1","1"]]"#)
        ),
        "no volume column"
    );
    assert_eq!(ok(&funding, &wrap("[]")), Payload::Funding(vec![]));
    assert_eq!(ok(&ratios, &wrap("[]")), Payload::Ratios(vec![]));
    assert!(
        shape(&Query::Ticker { asset: btc() }, &wrap("[]")),
        "no ticker row"
    );
    assert_eq!(
        parse(&funding, b"\n"),
        Err(ParseError::Empty {
            venue: Venue::Bybit
        })
    );
    let cloudfront = b"<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD><BODY>403</BODY></HTML>";
    assert!(matches!(
        parse(&funding, cloudfront),
        Err(ParseError::NotJson { .. })
    ));
    assert!(matches!(
        parse(&funding, br#"{"retCode":0,"result":{"list":[{"fund"#),
        Err(ParseError::NotJson { .. })
    ));
    assert_eq!(
        parse(&funding, fixture!("error_params").as_bytes()),
        Err(ParseError::VenueError {
            venue: Venue::Bybit,
            code: "10001".into(),
            message: "params error: symbol invalid".into()
        })
    );
    // retCode as a string is read the same way.
    let text_zero = r#"{"retCode":"0","retMsg":"OK","result":{"list":[]},"time":1}"#;
    assert_eq!(ok(&funding, text_zero), Payload::Funding(vec![]));
    let text_error = r#"{"retCode":"10006","retMsg":"Too many visits!","result":{}}"#;
    assert!(
        matches!(parse(&funding, text_error.as_bytes()), Err(ParseError::VenueError { ref code, .. }) if code == "10006")
    );
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_all(parse, parse_stream_messages, &body);
    }

    #[test]
    fn parse_never_panics_on_json_ish(body in json_ish(), list in json_ish()) {
        let wrapped = format!(r#"{{"retCode":0,"result":{{"list":{list},"ts":{list},"b":{list},"a":[]}},"time":1}}"#);
        parse_all(parse, parse_stream_messages, body.as_bytes());
        parse_every_query(parse, wrapped.as_bytes());
        let _ = parse_stream_messages(&format!(r#"{{"topic":"allLiquidation.BTCUSDT","data":{list}}}"#));
    }

    #[test]
    fn requests_never_panic_and_stay_within_50_pages(from_ms in any::<i64>(), to_ms in any::<i64>(), depth in any::<u32>()) {
        for period in [Period::M1, Period::M5, Period::H1, Period::D1] {
            let oi = Query::OpenInterestHistory { asset: btc(), period, from_ms, to_ms };
            for query in [oi, ratio(RatioKind::GlobalAccounts, period, from_ms, to_ms), Query::FundingHistory { asset: btc(), from_ms, to_ms }] {
                prop_assert!(testkit::within_page_limit(requests, &query));
            }
        }
        prop_assert_eq!(requests(&Query::OrderBook { asset: btc(), depth }).unwrap().len(), 1);
    }
}
