//! Parsers on the fixtures (concrete values, ordering, units) and the stream messages.

use super::*;

#[test]
fn ticker_uses_single_side_open_interest() {
    let Payload::Ticker(t) = ok(&Query::Ticker { asset: btc() }, fixture!("tickers_linear")) else {
        panic!()
    };
    assert_eq!(t.time_ms, 1_795_117_234_881);
    assert_eq!(
        (t.last_price, t.mark_price, t.index_price),
        (Some(96_498.3), Some(96_500.0), Some(96_521.07))
    );
    assert_eq!(
        (t.funding_rate, t.funding_interval_hours),
        (Some(0.000_051_2), Some(8.0))
    );
    assert_eq!(t.next_funding_time_ms, Some(1_795_132_800_000));
    assert_eq!(
        (t.open_interest_base, t.volume_24h_base),
        (Some(52_256.411), Some(90_764.31))
    );
    // Without the single-side field the both-sides figure is halved.
    let legacy = fixture!("tickers_linear").replace("\"singleOpenInterest\"", "\"ignored\"");
    let Payload::Ticker(t) = ok(&Query::Ticker { asset: btc() }, &legacy) else {
        panic!()
    };
    assert_eq!(t.open_interest_base, Some(52_256.411));
    let Payload::FundingSettings(s) = ok(
        &Query::FundingSettings { asset: btc() },
        fixture!("tickers_linear"),
    ) else {
        panic!()
    };
    assert_eq!(
        (s.interval_hours, s.cap, s.floor),
        (8.0, Some(0.005), Some(-0.005))
    );
    let other = Query::Ticker {
        asset: Asset::new("ETH").unwrap(),
    };
    assert!(matches!(
        parse(&other, fixture!("tickers_linear").as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn funding_history_is_reordered_oldest_first() {
    let query = Query::FundingHistory {
        asset: btc(),
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::Funding(rows) = ok(&query, fixture!("funding_history")) else {
        panic!()
    };
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.time_ms, r.rate, r.interval_hours, r.mark_price))
        .collect();
    assert_eq!(
        got,
        [
            (1_795_046_400_000, -0.000_027_41, 8.0, None),
            (1_795_075_200_000, 0.0001, 8.0, None),
            (1_795_104_000_000, 0.000_051_2, 8.0, None)
        ]
    );
}

#[test]
fn open_interest_ratios_and_klines() {
    let oi = Query::OpenInterestHistory {
        asset: btc(),
        period: Period::H1,
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::OpenInterest(rows) = ok(&oi, fixture!("open_interest")) else {
        panic!()
    };
    assert_eq!(
        rows[0],
        OpenInterest {
            time_ms: 1_795_107_600_000,
            base: 52_060.452,
            usd: None
        }
    );
    assert_eq!(rows[2].base, 52_249.056);
    let Payload::Ratios(rows) = ok(
        &ratio(RatioKind::GlobalAccounts, Period::H1, 0, TO),
        fixture!("account_ratio"),
    ) else {
        panic!()
    };
    assert_eq!((rows[0].time_ms, rows[0].ratio), (1_795_111_200_000, 1.0));
    assert_eq!(rows[1].ratio, 0.5512 / 0.4488);
    let Payload::Candles(rows) = ok(
        &candles(PriceKind::Last, Period::H1, 0),
        fixture!("kline_linear"),
    ) else {
        panic!()
    };
    let c = rows[0];
    assert_eq!(
        (c.open_time_ms, c.open, c.high, c.low, c.close),
        (1_795_107_600_000, 96_369.8, 96_510.5, 96_288.1, 96_440.0)
    );
    assert_eq!(
        (c.volume_base, c.taker_buy_base, rows[2].close),
        (2874.316, None, 96_498.3)
    );
    let Payload::Candles(rows) = ok(
        &candles(PriceKind::Mark, Period::H1, 0),
        fixture!("mark_price_kline"),
    ) else {
        panic!()
    };
    assert_eq!(
        (rows[0].open, rows[1].close, rows[1].volume_base),
        (96_372.01, 96_575.8, 0.0)
    );
}

#[test]
fn orderbook_is_sorted_and_cut() {
    let Payload::Book(b) = ok(
        &Query::OrderBook {
            asset: btc(),
            depth: 1,
        },
        fixture!("orderbook_linear"),
    ) else {
        panic!()
    };
    assert_eq!(b.time_ms, 1_795_117_234_870);
    assert_eq!(
        (b.bids.as_slice(), b.asks.as_slice()),
        (
            &[Level {
                price: 96_498.2,
                size: 12.604
            }][..],
            &[Level {
                price: 96_498.3,
                size: 3.118
            }][..]
        )
    );
}

#[test]
fn all_liquidation_stream_keeps_every_row_buy_is_a_long() {
    let request = stream_request(&btc(), StreamKind::Liquidations).unwrap();
    assert_eq!(request.path, "/v5/public/linear");
    assert_eq!(
        request.subscribe_message.as_deref(),
        Some(r#"{"op":"subscribe","args":["allLiquidation.BTCUSDT"]}"#)
    );
    assert!(stream_request(&btc(), StreamKind::BestQuotes).is_err());
    let events = parse_stream_messages(fixture!("ws_all_liquidation")).unwrap();
    let long = Liquidation {
        time_ms: 1_795_117_301_929,
        side: PositionSide::Long,
        price: 95_872.4,
        quantity_base: 0.412,
    };
    let short = Liquidation {
        time_ms: 1_795_117_302_001,
        side: PositionSide::Short,
        price: 97_130.0,
        quantity_base: 1.05,
    };
    assert_eq!(
        events,
        [
            StreamEvent::Liquidation(long),
            StreamEvent::Liquidation(short)
        ]
    );
    assert_eq!(
        parse_stream_message(fixture!("ws_all_liquidation")).unwrap(),
        Some(StreamEvent::Liquidation(long))
    );
    let single = r#"{"topic":"allLiquidation.BTCUSDT","data":{"T":1,"s":"BTCUSDT","S":"Sell","v":"2","p":"96000"}}"#;
    assert_eq!(parse_stream_messages(single).unwrap().len(), 1);
    let ack = r#"{"success":true,"ret_msg":"","conn_id":"d2b1c","req_id":"","op":"subscribe"}"#;
    assert_eq!(parse_stream_message(ack).unwrap(), None);
    assert_eq!(
        parse_stream_message(r#"{"op":"pong","args":["1795117302204"]}"#).unwrap(),
        None
    );
    let refused =
        r#"{"success":false,"ret_msg":"error:handler not found","conn_id":"x","op":"subscribe"}"#;
    assert!(
        matches!(parse_stream_message(refused), Err(ParseError::VenueError { ref message, .. }) if message.contains("handler"))
    );
    for bad in [
        r#"{"topic":"allLiquidation.BTCUSDT","data":[{"T":1,"S":"Long","v":"1","p":"1"}]}"#,
        r#"{"topic":"allLiquidation.BTCUSDT"}"#,
    ] {
        assert!(
            matches!(parse_stream_message(bad), Err(ParseError::Shape { .. })),
            "{bad}"
        );
    }
}
