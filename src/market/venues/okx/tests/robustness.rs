//! Malformed bodies become typed errors; nothing panics on any input.

use proptest::prelude::*;

use super::*;

#[test]
fn malformed_bodies_are_typed_errors() {
    let [oi, _] = series(Period::H1, 0);
    let funding = Query::FundingHistory {
        asset: btc(),
        from_ms: 0,
        to_ms: TO,
    };
    let wrap = |data: &str| format!(r#"{{"code":"0","msg":"","data":{data}}}"#);
    let shape =
        |q: &Query, body: &str| matches!(parse(q, body.as_bytes()), Err(ParseError::Shape { .. }));
    assert!(
        shape(&oi, &wrap(r#"[["1795114800000","3045122.5","30451.225"]]"#)),
        "missing oiUsd"
    );
    assert!(
        shape(&oi, &wrap(r#"[["1795114800000","1","abc","1"]]"#)),
        "word"
    );
    assert!(
        shape(&oi, &wrap(r#"[["1795114800000","1","NaN","1"]]"#)),
        "NaN"
    );
    assert!(shape(&oi, &wrap(r#"[["soon","1","1","1"]]"#)), "bad time");
    assert!(
        shape(&funding, &wrap(r#"[{"fundingTime":"1"}]"#)),
        "no rate"
    );
    assert!(shape(&funding, r#"{"msg":"","data":[]}"#), "no code");
    assert!(
        shape(&Query::Ticker { asset: btc() }, &wrap("[]")),
        "no snapshot row"
    );
    assert!(
        shape(
            &Query::OrderBook {
                asset: btc(),
                depth: 5
            },
            &wrap("[]")
        ),
        "no book"
    );
    assert!(
        shape(
            &Query::OrderBook {
                asset: btc(),
                depth: 5
            },
            &wrap(r#"[{"asks":[["-1","1","0","1"]],"bids":[],"ts":"1"}]"#)
        ),
        "negative price"
    );
    assert_eq!(ok(&oi, &wrap("[]")), Payload::OpenInterest(vec![]));
    assert_eq!(
        ok(&Query::OptionChain { asset: btc() }, &wrap("[]")),
        Payload::Options(vec![])
    );
    assert_eq!(
        parse(&oi, b""),
        Err(ParseError::Empty { venue: Venue::Okx })
    );
    assert!(matches!(
        parse(&oi, b"<html><body><h1>403 Forbidden</h1></body></html>"),
        Err(ParseError::NotJson { .. })
    ));
    assert!(matches!(
        parse(&oi, br#"{"code":"0","data":[["17951"#),
        Err(ParseError::NotJson { .. })
    ));
    assert_eq!(
        parse(&oi, fixture!("error_instrument").as_bytes()),
        Err(ParseError::VenueError {
            venue: Venue::Okx,
            code: "51001".into(),
            message: "Instrument ID does not exist".into()
        })
    );
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_all(parse, parse_stream_messages, &body);
    }

    #[test]
    fn parse_never_panics_on_json_ish(body in json_ish(), data in json_ish()) {
        let wrapped = format!(r#"{{"code":"0","msg":"","data":{data}}}"#);
        parse_all(parse, parse_stream_messages, body.as_bytes());
        parse_every_query(parse, wrapped.as_bytes());
    }

    #[test]
    fn option_rows_never_panic(vol in any::<f64>(), fwd in any::<f64>(), ts in any::<i64>(), strike in 0u64..u64::MAX) {
        let body = format!(
            r#"{{"code":"0","data":[{{"instId":"BTC-USD-261225-{strike}-P","markVol":"{vol}","fwdPx":"{fwd}","ts":"{ts}"}}],"msg":""}}"#
        );
        if let Ok(Payload::Options(quotes)) = parse(&Query::OptionChain { asset: btc() }, body.as_bytes()) {
            prop_assert!(quotes.iter().all(|q| q.mark_price_usd.is_finite() && q.mark_price_usd >= 0.0));
        }
    }

    #[test]
    fn requests_never_panic_and_stay_within_50_pages(from_ms in any::<i64>(), to_ms in any::<i64>()) {
        for period in [Period::M1, Period::M5, Period::H1, Period::D1] {
            let oi = Query::OpenInterestHistory { asset: btc(), period, from_ms, to_ms };
            let candles = Query::Candles { asset: btc(), price: PriceKind::Last, period, from_ms, to_ms };
            for query in [oi, candles, Query::FundingHistory { asset: btc(), from_ms, to_ms }] {
                prop_assert!(testkit::within_page_limit(requests, &query));
            }
        }
    }
}
