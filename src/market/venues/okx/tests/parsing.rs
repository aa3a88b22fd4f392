//! Parsers on the fixtures (concrete values, ordering, units) and the stream messages.

use super::*;

#[test]
fn funding_snapshot_gives_ticker_and_settings() {
    let Payload::Ticker(t) = ok(&Query::Ticker { asset: btc() }, fixture!("funding_rate")) else {
        panic!()
    };
    assert_eq!(
        (t.time_ms, t.funding_rate, t.funding_interval_hours),
        (1_795_117_234_567, Some(0.000_068_520_2), Some(8.0))
    );
    assert_eq!(
        (t.next_funding_time_ms, t.mark_price, t.open_interest_base),
        (Some(TO), None, None)
    );
    let Payload::FundingSettings(s) = ok(
        &Query::FundingSettings { asset: btc() },
        fixture!("funding_rate"),
    ) else {
        panic!()
    };
    assert_eq!(
        (s.interval_hours, s.cap, s.floor),
        (8.0, Some(0.00375), Some(-0.00375))
    );
    // A contract moved to 4-hourly funding, in the older shape without `ts`: dated at the start of the period.
    let four = r#"{"code":"0","data":[{"fundingRate":"0.0002","fundingTime":"1795132800000","instId":"BTC-USDT-SWAP","nextFundingTime":"1795147200000"}],"msg":""}"#;
    let Payload::Ticker(t) = ok(&Query::Ticker { asset: btc() }, four) else {
        panic!()
    };
    assert_eq!(
        (t.time_ms, t.funding_interval_hours),
        (TO - 4 * HOUR_MS, Some(4.0))
    );
}

#[test]
fn funding_history_prefers_the_realized_rate() {
    let Payload::Funding(rows) = ok(
        &Query::FundingHistory {
            asset: btc(),
            from_ms: 0,
            to_ms: TO,
        },
        fixture!("funding_rate_history"),
    ) else {
        panic!()
    };
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.time_ms, r.rate, r.interval_hours))
        .collect();
    assert_eq!(
        got,
        [
            (1_795_046_400_000, -0.000_020_111_1, 8.0),
            (1_795_075_200_000, 0.000_118_5, 8.0),
            (1_795_104_000_000, 0.000_091_234_5, 8.0)
        ]
    );
}

#[test]
fn rubik_rows_are_positional_and_reordered() {
    let [oi, taker] = series(Period::H1, 0);
    let Payload::OpenInterest(rows) = ok(&oi, fixture!("open_interest_history")) else {
        panic!()
    };
    assert_eq!(
        rows[0],
        OpenInterest {
            time_ms: 1_795_107_600_000,
            base: 30_310.024,
            usd: Some(2_922_640_011.02)
        }
    );
    assert_eq!(rows[2].base, 30_451.225);
    // Sell volume comes before buy volume in OKX rows.
    let Payload::Taker(rows) = ok(&taker, fixture!("taker_volume_contract")) else {
        panic!()
    };
    assert_eq!(
        rows[1],
        TakerVolume {
            time_ms: 1_795_114_800_000,
            buy_base: 355.1204,
            sell_base: 312.4512
        }
    );
    let Payload::Ratios(rows) = ok(
        &ratio(RatioKind::TopAccounts),
        fixture!("long_short_account_ratio_contract"),
    ) else {
        panic!()
    };
    assert_eq!(
        (rows[0].time_ms, rows[0].ratio, rows[1].ratio),
        (1_795_111_200_000, 1.279_001_121_4, 1.284_541_733_5)
    );
}

#[test]
fn candles_take_base_volume_from_vol_ccy() {
    let Payload::Candles(rows) = ok(
        &candles(PriceKind::Last, Period::H1, 0),
        fixture!("history_candles"),
    ) else {
        panic!()
    };
    let c = rows[0];
    assert_eq!(
        (c.open_time_ms, c.open, c.high, c.low, c.close),
        (1_795_107_600_000, 96_370.4, 96_511.2, 96_290.0, 96_441.8)
    );
    assert_eq!((c.volume_base, c.taker_buy_base), (1258.7033, None));
    assert_eq!((rows[2].close, rows[2].volume_base), (96_501.3, 522.1055));
    let Payload::Candles(rows) = ok(
        &candles(PriceKind::Mark, Period::H1, 0),
        fixture!("history_mark_price_candles"),
    ) else {
        panic!()
    };
    assert_eq!(
        (rows[0].open, rows[1].close, rows[1].volume_base),
        (96_371.9, 96_577.0, 0.0)
    );
}

#[test]
fn book_sizes_are_converted_from_contracts() {
    let Payload::Book(b) = ok(
        &Query::OrderBook {
            asset: btc(),
            depth: 2,
        },
        fixture!("books"),
    ) else {
        panic!()
    };
    assert_eq!(b.time_ms, 1_795_117_234_612);
    let side = |levels: &[crate::market::model::Level]| {
        levels.iter().map(|l| (l.price, l.size)).collect::<Vec<_>>()
    };
    assert_eq!(side(&b.bids), [(96_501.3, 4.12), (96_500.8, 0.09)]);
    assert_eq!(side(&b.asks), [(96_501.4, 0.85), (96_501.9, 0.12)]);
}

#[test]
fn option_summary_is_priced_with_black_76() {
    let Payload::Options(quotes) = ok(
        &Query::OptionChain { asset: btc() },
        fixture!("opt_summary"),
    ) else {
        panic!()
    };
    // Sorted by expiry, calls before puts, then strike.
    let names: Vec<_> = quotes.iter().map(|q| q.instrument.as_str()).collect();
    assert_eq!(
        names,
        [
            "BTC-USD-261127-95000-C",
            "BTC-USD-261225-100000-C",
            "BTC-USD-261225-100000-P"
        ]
    );
    let call = &quotes[1];
    assert_eq!(
        (call.kind, call.strike, call.expiry_ms),
        (OptionKind::Call, 100_000.0, 1_798_185_600_000)
    );
    assert_eq!(
        (
            call.mark_iv,
            call.underlying_price,
            call.delta,
            call.open_interest_base
        ),
        (0.4821, 97_210.44, Some(0.455_035_554), None)
    );
    // Reference prices from Python's math.erf with the same inputs.
    for (quote, expected) in quotes.iter().zip([
        3_414.538_871_230_666_7,
        4_619.313_955_293_539,
        7_509.867_211_117_22,
    ]) {
        assert!(
            (quote.mark_price_usd / expected - 1.0).abs() < 1e-6,
            "{}: {}",
            quote.instrument,
            quote.mark_price_usd
        );
    }
    let bad = fixture!("opt_summary").replace("BTC-USD-261127-95000-C", "BTC-USD-SWAP");
    assert!(matches!(
        parse(&Query::OptionChain { asset: btc() }, bad.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn streams_are_not_wired_but_errors_surface() {
    assert!(stream_request(&btc(), StreamKind::Liquidations).is_err());
    assert_eq!(parse_stream_message("pong").unwrap(), None);
    assert_eq!(
        parse_stream_message(r#"{"event":"subscribe","arg":{"channel":"bbo-tbt"}}"#).unwrap(),
        None
    );
    let err = parse_stream_message(r#"{"event":"error","code":"60012","msg":"Invalid request"}"#)
        .unwrap_err();
    assert_eq!(
        err,
        ParseError::VenueError {
            venue: Venue::Okx,
            code: "60012".into(),
            message: "Invalid request".into()
        }
    );
}
