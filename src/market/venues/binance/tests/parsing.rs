//! Parsers on the fixtures (concrete values, ordering, units) and the stream messages.

use super::*;

#[test]
fn premium_index_becomes_a_ticker() {
    let Payload::Ticker(t) = ok(&Query::Ticker { asset: btc() }, fixture!("premium_index")) else {
        panic!()
    };
    assert_eq!(t.time_ms, 1_795_117_234_005);
    assert_eq!(t.mark_price, Some(96_512.4));
    assert_eq!(t.index_price, Some(96_540.182_345_67));
    assert_eq!(
        (t.funding_rate, t.funding_interval_hours),
        (Some(0.000_072_1), Some(8.0))
    );
    assert_eq!(t.next_funding_time_ms, Some(1_795_132_800_000));
    assert_eq!((t.last_price, t.open_interest_base), (None, None));
}

#[test]
fn funding_info_finds_the_symbol_or_falls_back_to_defaults() {
    let settings = |asset| {
        ok(
            &Query::FundingSettings {
                asset: Asset::new(asset).unwrap(),
            },
            fixture!("funding_info"),
        )
    };
    let Payload::FundingSettings(pepe) = settings("1000pepe") else {
        panic!()
    };
    assert_eq!(
        (pepe.interval_hours, pepe.cap, pepe.floor),
        (4.0, Some(0.02), Some(-0.02))
    );
    let Payload::FundingSettings(btc) = settings("BTC") else {
        panic!()
    };
    assert_eq!((btc.interval_hours, btc.cap, btc.floor), (8.0, None, None));
}

#[test]
fn funding_history_rows_are_8_hourly_with_mark_prices() {
    let query = Query::FundingHistory {
        asset: btc(),
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::Funding(rows) = ok(&query, fixture!("funding_rate")) else {
        panic!()
    };
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (rows[0].time_ms, rows[0].rate, rows[0].mark_price),
        (1_794_960_000_000, 0.0001, Some(95_870.12))
    );
    assert_eq!((rows[2].rate, rows[2].mark_price), (-0.000_012_3, None));
    assert!(rows.iter().all(|r| r.interval_hours == 8.0));
    // A symbol on a 4-hour schedule is recognised from the spacing of its payments.
    let four = r#"[{"fundingTime":1795003200000,"fundingRate":"0.0003"},{"fundingTime":1794988800000,"fundingRate":"0.0002"}]"#;
    let Payload::Funding(rows) = ok(&query, four) else {
        panic!()
    };
    assert_eq!(
        rows.iter()
            .map(|r| (r.time_ms, r.interval_hours))
            .collect::<Vec<_>>(),
        [(1_794_988_800_000, 4.0), (1_795_003_200_000, 4.0)]
    );
}

#[test]
fn open_interest_history_and_current() {
    let query = oi(btc(), Period::H1, 0, TO);
    let Payload::OpenInterest(rows) = ok(&query, fixture!("open_interest_hist")) else {
        panic!()
    };
    assert_eq!(
        rows[0],
        OpenInterest {
            time_ms: 1_795_107_600_000,
            base: 80_911.203,
            usd: Some(7_801_336_826.455_5)
        }
    );
    assert_eq!(rows.len(), 3);
    let Payload::OpenInterest(now) = ok(&query, fixture!("open_interest")) else {
        panic!()
    };
    assert_eq!(
        now,
        [OpenInterest {
            time_ms: 1_795_117_230_511,
            base: 81_234.567,
            usd: None
        }]
    );
}

#[test]
fn ratios_taker_and_basis() {
    let ratio = Query::LongShortRatio {
        asset: btc(),
        kind: RatioKind::TopPositions,
        period: Period::H1,
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::Ratios(rows) = ok(&ratio, fixture!("top_long_short_position_ratio")) else {
        panic!()
    };
    assert_eq!(
        (rows[0].time_ms, rows[0].ratio, rows[1].ratio),
        (1_795_107_600_000, 1.1887, 1.2946)
    );
    let Payload::Ratios(rows) = ok(&ratio, fixture!("global_long_short_account_ratio")) else {
        panic!()
    };
    assert_eq!(rows[1].ratio, 1.571);
    let taker = Query::TakerVolume {
        asset: btc(),
        period: Period::H1,
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::Taker(rows) = ok(&taker, fixture!("taker_long_short_ratio")) else {
        panic!()
    };
    assert_eq!(
        (rows[0].buy_base, rows[0].sell_base, rows[1].time_ms),
        (612.441, 554.589, 1_795_111_200_000)
    );
    let basis = Query::Basis {
        asset: btc(),
        period: Period::H1,
        from_ms: 0,
        to_ms: TO,
    };
    let Payload::Basis(rows) = ok(&basis, fixture!("basis")) else {
        panic!()
    };
    assert_eq!(
        (rows[0].futures_price, rows[0].index_price),
        (96_420.5, 96_401.221_456_7)
    );
}

#[test]
fn klines_keep_volume_and_taker_buy_volume_mark_klines_do_not() {
    let Payload::Candles(rows) = ok(&candles(PriceKind::Last, Period::H1, 0), fixture!("klines"))
    else {
        panic!()
    };
    assert_eq!(rows.len(), 3);
    let c = rows[0];
    assert_eq!(
        (c.open_time_ms, c.open, c.high, c.low, c.close),
        (1_795_107_600_000, 96_380.1, 96_512.0, 96_301.4, 96_455.2)
    );
    assert_eq!((c.volume_base, c.taker_buy_base), (1843.221, Some(951.006)));
    let Payload::Candles(rows) = ok(
        &candles(PriceKind::Mark, Period::H1, 0),
        fixture!("mark_price_klines"),
    ) else {
        panic!()
    };
    assert_eq!(
        (rows[1].close, rows[1].volume_base, rows[1].taker_buy_base),
        (96_590.12, 0.0, None)
    );
}

#[test]
fn depth_is_sorted_best_first_and_cut_to_the_depth_asked() {
    let Payload::Book(b) = ok(
        &Query::OrderBook {
            asset: btc(),
            depth: 2,
        },
        fixture!("depth"),
    ) else {
        panic!()
    };
    assert_eq!(b.time_ms, 1_795_117_234_507);
    assert_eq!(
        b.bids,
        [
            Level {
                price: 96_510.1,
                size: 3.412
            },
            Level {
                price: 96_510.0,
                size: 0.52
            }
        ]
    );
    assert_eq!(
        b.asks,
        [
            Level {
                price: 96_510.2,
                size: 2.118
            },
            Level {
                price: 96_510.5,
                size: 0.04
            }
        ]
    );
}

#[test]
fn streams_are_raw_paths_and_parse_quotes_and_liquidations() {
    let quotes = stream_request(&btc(), StreamKind::BestQuotes).unwrap();
    assert_eq!(
        (quotes.path.as_str(), quotes.subscribe_message),
        ("/ws/btcusdt@bookTicker", None)
    );
    assert_eq!(
        stream_request(&btc(), StreamKind::Liquidations)
            .unwrap()
            .path,
        "/ws/btcusdt@forceOrder"
    );
    assert!(stream_request(&btc(), StreamKind::Book).is_err());
    let quote = Quote {
        time_ms: 1_795_117_234_507,
        bid_price: 96_510.1,
        bid_size: 3.412,
        ask_price: 96_510.2,
        ask_size: 2.118,
    };
    assert_eq!(
        parse_stream_message(fixture!("ws_book_ticker")).unwrap(),
        Some(StreamEvent::Quote(quote))
    );
    let combined = format!(
        r#"{{"stream":"btcusdt@bookTicker","data":{}}}"#,
        fixture!("ws_book_ticker")
    );
    assert_eq!(
        parse_stream_message(&combined).unwrap(),
        Some(StreamEvent::Quote(quote))
    );
    // SELL closes a long; the average fill price and the filled quantity are used, not the IOC limit.
    let long = Liquidation {
        time_ms: 1_795_117_301_240,
        side: PositionSide::Long,
        price: 96_102.75,
        quantity_base: 0.25,
    };
    assert_eq!(
        parse_stream_message(fixture!("ws_force_order")).unwrap(),
        Some(StreamEvent::Liquidation(long))
    );
    let unfilled =
        r#"{"e":"forceOrder","E":5,"o":{"S":"BUY","q":"1.5","p":"97000.1","ap":"0","z":"0"}}"#;
    let short = Liquidation {
        time_ms: 5,
        side: PositionSide::Short,
        price: 97_000.1,
        quantity_base: 1.5,
    };
    assert_eq!(
        parse_stream_message(unfilled).unwrap(),
        Some(StreamEvent::Liquidation(short))
    );
    assert_eq!(
        parse_stream_message(r#"{"result":null,"id":1}"#).unwrap(),
        None
    );
    assert_eq!(
        parse_stream_message(r#"{"e":"markPriceUpdate","E":1}"#).unwrap(),
        None
    );
    let err =
        parse_stream_message(r#"{"error":{"code":2,"msg":"Invalid request"},"id":1}"#).unwrap_err();
    assert_eq!(
        err,
        ParseError::VenueError {
            venue: Venue::Binance,
            code: "2".into(),
            message: "Invalid request".into()
        }
    );
    for bad in [
        r#"{"e":"forceOrder","E":1,"o":{"S":"HOLD","q":"1","p":"1"}}"#,
        r#"{"e":"bookTicker","E":1,"b":"NaN","B":"1","a":"1","A":"1"}"#,
        "{\"e\":",
    ] {
        assert!(parse_stream_message(bad).is_err(), "{bad}");
    }
}
