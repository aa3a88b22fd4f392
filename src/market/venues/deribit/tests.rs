use super::*;
use crate::market::model::{Candle, FundingRate, Level, OptionKind, Ticker};
use crate::market::venues::kit::testkit::{btc, parse_never_panics};

const TICKER: &str = include_str!("../../../../tests/fixtures/deribit/ticker_perpetual.json");
const FUNDING: &str =
    include_str!("../../../../tests/fixtures/deribit/get_funding_rate_history.json");
const CHART: &str =
    include_str!("../../../../tests/fixtures/deribit/get_tradingview_chart_data.json");
const CHART_EMPTY: &str =
    include_str!("../../../../tests/fixtures/deribit/get_tradingview_chart_data_no_data.json");
const BOOK: &str = include_str!("../../../../tests/fixtures/deribit/get_order_book.json");
const OPTIONS: &str =
    include_str!("../../../../tests/fixtures/deribit/get_book_summary_by_currency_option.json");
const ERROR: &str = include_str!("../../../../tests/fixtures/deribit/error_invalid_params.json");

const HOUR: i64 = 3_600_000;
/// 2025-11-21T00:00:00Z.
const NOV_21: i64 = 1_763_683_200_000;

fn funding_query(from_ms: i64, to_ms: i64) -> Query {
    Query::FundingHistory {
        asset: btc(),
        from_ms,
        to_ms,
    }
}

fn candle_query(price: PriceKind, period: Period, from_ms: i64, to_ms: i64) -> Query {
    Query::Candles {
        asset: btc(),
        price,
        period,
        from_ms,
        to_ms,
    }
}

fn parsed(query: &Query, body: &str) -> Payload {
    parse(query, body.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn instrument_is_the_inverse_perpetual() {
    assert_eq!(instrument(&btc()), "BTC-PERPETUAL");
    assert_eq!(instrument(&Asset::new("eth").unwrap()), "ETH-PERPETUAL");
}

#[test]
fn ticker_request_names_the_instrument() {
    let got = requests(&Query::Ticker { asset: btc() }).unwrap();
    assert_eq!(
        got[0].path_and_query,
        "/api/v2/public/ticker?instrument_name=BTC-PERPETUAL"
    );
    assert_eq!(got[0].method, crate::market::venues::Method::Get);
}

#[test]
fn thirty_days_of_funding_fit_one_page_and_thirty_one_need_two() {
    let month = funding_query(NOV_21, NOV_21 + 720 * HOUR - 1);
    let got = requests(&month).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].path_and_query,
        "/api/v2/public/get_funding_rate_history?instrument_name=BTC-PERPETUAL\
         &start_timestamp=1763683199999&end_timestamp=1766275199999"
    );
    let longer = requests(&funding_query(NOV_21, NOV_21 + 744 * HOUR - 1)).unwrap();
    assert_eq!(longer.len(), 2);
    assert!(
        longer[1]
            .path_and_query
            .ends_with("&start_timestamp=1766275199999&end_timestamp=1766361599999")
    );
}

#[test]
fn ten_days_of_minute_candles_are_three_pages_of_5000() {
    let got = requests(&candle_query(
        PriceKind::Last,
        Period::M1,
        NOV_21,
        NOV_21 + 240 * HOUR - 1,
    ))
    .unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[0].path_and_query,
        "/api/v2/public/get_tradingview_chart_data?instrument_name=BTC-PERPETUAL\
         &start_timestamp=1763683199999&end_timestamp=1763983199999&resolution=1"
    );
    let daily = requests(&candle_query(
        PriceKind::Last,
        Period::D1,
        NOV_21,
        NOV_21 + 48 * HOUR,
    ))
    .unwrap();
    assert!(daily[0].path_and_query.ends_with("&resolution=1D"));
}

#[test]
fn book_depth_rounds_up_to_an_accepted_value() {
    let path = |depth| {
        requests(&Query::OrderBook {
            asset: btc(),
            depth,
        })
        .unwrap()[0]
            .path_and_query
            .clone()
    };
    assert_eq!(
        path(3),
        "/api/v2/public/get_order_book?instrument_name=BTC-PERPETUAL&depth=5"
    );
    assert!(path(20).ends_with("&depth=20"));
    assert!(path(50_000).ends_with("&depth=10000"));
}

#[test]
fn option_chain_asks_for_the_coins_options() {
    let got = requests(&Query::OptionChain { asset: btc() }).unwrap();
    assert_eq!(
        got[0].path_and_query,
        "/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option"
    );
}

#[test]
fn other_assets_and_missing_endpoints_are_unsupported() {
    let sol = Asset::new("SOL").unwrap();
    assert!(requests(&Query::Ticker { asset: sol }).is_err());
    let h4 = requests(&candle_query(
        PriceKind::Last,
        Period::H4,
        NOV_21,
        NOV_21 + HOUR,
    ))
    .unwrap_err();
    assert_eq!(h4.what, "4-hour candles");
    assert!(
        requests(&candle_query(
            PriceKind::Index,
            Period::H1,
            NOV_21,
            NOV_21 + HOUR
        ))
        .is_err()
    );
    assert!(requests(&Query::FundingSettings { asset: btc() }).is_err());
}

#[test]
fn ticker_converts_usd_open_interest_with_the_mark() {
    let Payload::Ticker(t) = parsed(&Query::Ticker { asset: btc() }, TICKER) else {
        panic!("ticker")
    };
    let expected = Ticker {
        time_ms: 1_763_717_400_123,
        mark_price: Some(91_512.37),
        index_price: Some(91_487.02),
        last_price: Some(91_513.5),
        funding_rate: Some(9.412e-05),
        funding_interval_hours: Some(8.0),
        next_funding_time_ms: None,
        open_interest_base: Some(1_102_340_560.0 / 91_512.37),
        volume_24h_base: Some(8_123.44107215),
    };
    assert_eq!(t, expected);
    // About 12 046 BTC: a plausible one-sided open interest, unlike 1.1 billion.
    assert!((t.open_interest_base.unwrap() - 12_045.8).abs() < 1.0);
}

#[test]
fn funding_history_uses_the_hourly_interest() {
    let Payload::Funding(rows) = parsed(&funding_query(NOV_21, NOV_21 + 4 * HOUR), FUNDING) else {
        panic!("funding")
    };
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        FundingRate {
            time_ms: NOV_21,
            rate: 1.1273e-06,
            interval_hours: 1.0,
            mark_price: None
        }
    );
    assert_eq!(rows[1].rate, -3.8412e-07);
    assert!(rows.windows(2).all(|w| w[1].time_ms - w[0].time_ms == HOUR));
}

#[test]
fn chart_columns_become_candles_with_coin_volume() {
    let query = candle_query(PriceKind::Last, Period::H1, NOV_21, NOV_21 + 3 * HOUR);
    let Payload::Candles(candles) = parsed(&query, CHART) else {
        panic!("candles")
    };
    assert_eq!(candles.len(), 3);
    let second = Candle {
        open_time_ms: NOV_21 + HOUR,
        open: 91_402.5,
        high: 91_455.5,
        low: 91_140.0,
        close: 91_288.0,
        volume_base: 88.40133021,
        taker_buy_base: None,
    };
    assert_eq!(candles[1], second);
    assert_eq!(
        parse(&query, CHART_EMPTY.as_bytes()),
        Ok(Payload::Candles(vec![]))
    );
    let ragged = r#"{"jsonrpc":"2.0","result":{"status":"ok","ticks":[1,2],"open":[1],"high":[1],"low":[1],"close":[1],"volume":[1]}}"#;
    assert!(matches!(
        parse(&query, ragged.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn book_amounts_in_usd_become_coins() {
    let Payload::Book(book) = parsed(
        &Query::OrderBook {
            asset: btc(),
            depth: 3,
        },
        BOOK,
    ) else {
        panic!("book")
    };
    assert_eq!(book.time_ms, 1_763_717_400_188);
    assert_eq!(book.bids.len(), 3);
    assert_eq!(
        book.bids[0],
        Level {
            price: 91_513.0,
            size: 402_330.0 / 91_513.0
        }
    );
    assert_eq!(
        book.asks[1],
        Level {
            price: 91_514.0,
            size: 10.0 / 91_514.0
        }
    );
    assert!(book.bids.windows(2).all(|w| w[0].price > w[1].price));
}

#[test]
fn option_marks_are_converted_to_usd_with_the_forward() {
    let Payload::Options(chain) = parsed(&Query::OptionChain { asset: btc() }, OPTIONS) else {
        panic!("options")
    };
    let names: Vec<&str> = chain.iter().map(|q| q.instrument.as_str()).collect();
    assert_eq!(
        names,
        [
            "BTC-28NOV25-90000-C",
            "BTC-28NOV25-90000-P",
            "BTC-26DEC25-85000-P",
            "BTC-26DEC25-100000-C"
        ]
    );
    let call = &chain[0];
    assert_eq!(
        (call.kind, call.strike, call.expiry_ms),
        (OptionKind::Call, 90_000.0, 1_764_316_800_000)
    );
    assert_eq!(call.mark_price_usd, 0.03912066 * 91_620.44);
    assert_eq!(call.mark_iv, 47.85 / 100.0);
    assert_eq!(
        (call.underlying_price, call.open_interest_base, call.delta),
        (91_620.44, Some(812.4), None)
    );
    // A call is worth at least its intrinsic value against the forward.
    assert!(call.mark_price_usd > call.underlying_price - call.strike);
}

#[test]
fn option_names_are_parsed_strictly() {
    let row = |name: &str, iv: &str| {
        format!(
            r#"{{"result":[{{"instrument_name":"{name}","mark_price":0.01,"mark_iv":{iv},"underlying_price":80000}}]}}"#
        )
    };
    let query = Query::OptionChain { asset: btc() };
    let Payload::Options(small) = parsed(&query, &row("BTC-5MAR25-2d5-P", "60")) else {
        panic!("options")
    };
    assert_eq!(
        (small[0].strike, small[0].expiry_ms, small[0].kind),
        (2.5, 1_741_161_600_000, OptionKind::Put)
    );
    assert_eq!(
        parsed(&query, &row("BTC-5MAR25-80000-C", "null")),
        Payload::Options(vec![])
    );
    for bad in [
        "BTC-28NOV25-90000",
        "ETH-28NOV25-3000-C",
        "BTC-28XYZ25-90000-C",
        "BTC-28NOV25-90000-X",
        "BTC-123NOV25-1-C",
    ] {
        assert!(
            matches!(
                parse(&query, row(bad, "50").as_bytes()),
                Err(ParseError::Shape { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_json_rpc_error_is_a_venue_error() {
    let err = parse(&funding_query(NOV_21, NOV_21), ERROR.as_bytes()).unwrap_err();
    let expected = ParseError::VenueError {
        venue: Venue::Deribit,
        code: "-32602".into(),
        message: "Invalid params (end_timestamp: wrong format)".into(),
    };
    assert_eq!(err, expected);
}

#[test]
fn malformed_bodies_are_typed_errors() {
    let query = funding_query(NOV_21, NOV_21 + HOUR);
    let row = |v: &str| {
        format!(r#"{{"jsonrpc":"2.0","result":[{{"timestamp":1763683200000,"interest_1h":{v}}}]}}"#)
    };
    let shape_cases = [
        row(r#""abc""#),
        row(r#""NaN""#),
        r#"{"jsonrpc":"2.0","result":[{"timestamp":1}]}"#.into(),
        r#"{"jsonrpc":"2.0"}"#.into(),
    ];
    for body in shape_cases {
        assert!(
            matches!(
                parse(&query, body.as_bytes()),
                Err(ParseError::Shape { .. })
            ),
            "{body}"
        );
    }
    assert!(matches!(parse(&query, b""), Err(ParseError::Empty { .. })));
    assert!(matches!(
        parse(&query, b"<html><body>403 Forbidden</body></html>"),
        Err(ParseError::NotJson { .. })
    ));
    assert!(matches!(
        parse(&query, &FUNDING.as_bytes()[..50]),
        Err(ParseError::NotJson { .. })
    ));
    assert_eq!(
        parse(&query, br#"{"jsonrpc":"2.0","result":[]}"#),
        Ok(Payload::Funding(vec![]))
    );
    let negative = r#"{"result":{"timestamp":1,"bids":[[91000.0,-10.0]],"asks":[]}}"#;
    assert!(matches!(
        parse(
            &Query::OrderBook {
                asset: btc(),
                depth: 5
            },
            negative.as_bytes()
        ),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn parse_never_panics_on_hostile_bodies() {
    parse_never_panics(
        parse,
        &[TICKER, FUNDING, CHART, CHART_EMPTY, BOOK, OPTIONS, ERROR],
    );
}
