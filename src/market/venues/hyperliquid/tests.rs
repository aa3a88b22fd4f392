use super::*;
use crate::market::model::{Candle, FundingRate, Level, OrderBookSnapshot};
use crate::market::venues::kit::testkit::{asset, parse_never_panics};
use crate::market::venues::{Method, Period};

const FUNDING: &str = include_str!("../../../../tests/fixtures/hyperliquid/fundingHistory.json");
const FUNDING_8H: &str =
    include_str!("../../../../tests/fixtures/hyperliquid/fundingHistory_8h.json");
const CTXS: &str = include_str!("../../../../tests/fixtures/hyperliquid/metaAndAssetCtxs.json");
const CANDLES: &str = include_str!("../../../../tests/fixtures/hyperliquid/candleSnapshot.json");
const BOOK: &str = include_str!("../../../../tests/fixtures/hyperliquid/l2Book.json");

const HOUR: i64 = 3_600_000;
/// 2025-11-20T00:00:00Z.
const NOV_20: i64 = 1_763_596_800_000;

fn funding_query() -> Query {
    Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 + 4 * HOUR,
    }
}

fn ticker_query(symbol: &str) -> Query {
    Query::Ticker {
        asset: asset(symbol),
    }
}

fn candle_query(price: PriceKind, period: Period, from_ms: i64, to_ms: i64) -> Query {
    Query::Candles {
        asset: asset("BTC"),
        price,
        period,
        from_ms,
        to_ms,
    }
}

fn book_query(depth: u32) -> Query {
    Query::OrderBook {
        asset: asset("BTC"),
        depth,
    }
}

fn funding(body: &str) -> Vec<FundingRate> {
    match parse(&funding_query(), body.as_bytes()) {
        Ok(Payload::Funding(rows)) => rows,
        other => panic!("expected funding rows, got {other:?}"),
    }
}

#[test]
fn instrument_is_the_coin_name_with_k_for_thousand_unit_coins() {
    assert_eq!(instrument(&asset("btc")), "BTC");
    assert_eq!(instrument(&asset("KPEPE")), "kPEPE");
    // KAVA starts with K but is a coin of its own.
    assert_eq!(instrument(&asset("KAVA")), "KAVA");
}

#[test]
fn thirty_days_of_funding_are_two_500_hour_pages_oldest_first() {
    let query = Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 + 720 * HOUR - 1,
    };
    let got = requests(&query).unwrap();
    assert_eq!(got.len(), 2);
    assert!(
        got.iter()
            .all(|r| r.method == Method::Post && r.path_and_query == "/info")
    );
    assert_eq!(
        got[0].body.as_deref(),
        Some(
            r#"{"type":"fundingHistory","coin":"BTC","startTime":1763596800000,"endTime":1765396799999}"#
        )
    );
    assert_eq!(
        got[1].body.as_deref(),
        Some(
            r#"{"type":"fundingHistory","coin":"BTC","startTime":1765396800000,"endTime":1766188799999}"#
        )
    );
}

#[test]
fn ticker_and_book_requests_name_the_info_type() {
    let ticker = requests(&ticker_query("ETH")).unwrap();
    assert_eq!(
        ticker[0].body.as_deref(),
        Some(r#"{"type":"metaAndAssetCtxs"}"#)
    );
    let book = requests(&book_query(10)).unwrap();
    assert_eq!(
        book[0].body.as_deref(),
        Some(r#"{"type":"l2Book","coin":"BTC"}"#)
    );
}

#[test]
fn candle_windows_are_cut_to_the_5000_newest_periods() {
    let to_ms = NOV_20 + 10 * 24 * HOUR;
    let got = requests(&candle_query(PriceKind::Last, Period::M1, NOV_20, to_ms)).unwrap();
    let start = to_ms - 4_999 * 60_000;
    let expected = format!(
        r#"{{"type":"candleSnapshot","req":{{"coin":"BTC","interval":"1m","startTime":{start},"endTime":{to_ms}}}}}"#
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body.as_deref(), Some(expected.as_str()));
}

#[test]
fn unsupported_queries_say_what_is_missing() {
    let mark = requests(&candle_query(
        PriceKind::Mark,
        Period::H1,
        NOV_20,
        NOV_20 + HOUR,
    ))
    .unwrap_err();
    assert_eq!(
        mark,
        Unsupported {
            venue: Venue::Hyperliquid,
            what: "mark- or index-price candles"
        }
    );
    let options = requests(&Query::OptionChain {
        asset: asset("BTC"),
    })
    .unwrap_err();
    assert_eq!(options.what, "options");
    let reversed = Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 - 1,
    };
    assert!(requests(&reversed).is_err());
}

#[test]
fn hourly_funding_rows_are_hourly_rates() {
    let rows = funding(FUNDING);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        FundingRate {
            time_ms: NOV_20,
            rate: 0.0000125,
            interval_hours: 1.0,
            mark_price: None
        }
    );
    assert_eq!(rows[2].rate, -0.0000214);
    assert!(rows.iter().all(|r| r.interval_hours == 1.0));
}

#[test]
fn funding_rows_of_the_8_hour_era_keep_8_hour_intervals() {
    let rows = funding(FUNDING_8H);
    assert_eq!(
        rows.iter().map(|r| r.interval_hours).collect::<Vec<_>>(),
        vec![8.0, 8.0, 8.0]
    );
    assert_eq!((rows[1].time_ms, rows[1].rate), (1_684_569_600_312, 0.0001));
}

#[test]
fn funding_rows_are_sorted_and_a_lone_row_is_hourly() {
    let body = format!(
        r#"[{{"coin":"BTC","fundingRate":"0.00002","time":{}}},{{"coin":"BTC","fundingRate":"0.00001","time":{NOV_20}}}]"#,
        NOV_20 + HOUR
    );
    let rows = funding(&body);
    assert_eq!(
        rows.iter().map(|r| r.rate).collect::<Vec<_>>(),
        vec![0.00001, 0.00002]
    );
    let lone = funding(&format!(
        r#"[{{"coin":"BTC","fundingRate":"0.00001","time":{NOV_20}}}]"#
    ));
    assert_eq!(lone[0].interval_hours, 1.0);
}

#[test]
fn a_gap_of_missing_rows_does_not_become_an_interval() {
    // 8-hourly, then a 5-hour hole, then hourly: each row takes the cadence of a neighbour it fits.
    let times = [0, 8, 16, 21, 22].map(|h| NOV_20 + h * HOUR);
    let body: Vec<String> = times
        .iter()
        .map(|t| format!(r#"{{"coin":"BTC","fundingRate":"0.0001","time":{t}}}"#))
        .collect();
    let rows = funding(&format!("[{}]", body.join(",")));
    assert_eq!(
        rows.iter().map(|r| r.interval_hours).collect::<Vec<_>>(),
        vec![8.0, 8.0, 8.0, 1.0, 1.0]
    );
}

#[test]
fn ticker_reads_the_coins_own_context() {
    let Ok(Payload::Ticker(btc)) = parse(&ticker_query("BTC"), CTXS.as_bytes()) else {
        panic!("BTC ticker")
    };
    assert_eq!(btc.mark_price, Some(91_512.0));
    assert_eq!(btc.index_price, Some(91_487.0));
    assert_eq!(btc.last_price, Some(91_510.5));
    assert_eq!(
        (btc.funding_rate, btc.funding_interval_hours),
        (Some(0.0000091342), Some(1.0))
    );
    assert_eq!(btc.open_interest_base, Some(31_844.271_14));
    assert_eq!(btc.volume_24h_base, Some(31_172.558_13));
    let Ok(Payload::Ticker(pepe)) = parse(&ticker_query("KPEPE"), CTXS.as_bytes()) else {
        panic!("kPEPE")
    };
    assert_eq!(pepe.mark_price, Some(0.004986));
}

#[test]
fn a_market_without_a_book_has_no_last_price() {
    let Ok(Payload::Ticker(matic)) = parse(&ticker_query("MATIC"), CTXS.as_bytes()) else {
        panic!("MATIC")
    };
    assert_eq!(
        (matic.last_price, matic.open_interest_base),
        (None, Some(0.0))
    );
}

#[test]
fn an_unlisted_coin_is_a_venue_error() {
    let err = parse(&ticker_query("DOGE"), CTXS.as_bytes()).unwrap_err();
    assert!(
        matches!(err, ParseError::VenueError { ref code, .. } if code == "unknown-asset"),
        "{err:?}"
    );
    let short = r#"[{"universe":[{"name":"BTC"},{"name":"ETH"}]},[{"funding":"0","openInterest":"1","markPx":"1"}]]"#;
    assert!(matches!(
        parse(&ticker_query("ETH"), short.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn funding_settings_are_hourly_with_a_4_percent_cap() {
    let query = Query::FundingSettings {
        asset: asset("ETH"),
    };
    let expected = FundingSettings {
        interval_hours: 1.0,
        cap: Some(0.04),
        floor: Some(-0.04),
    };
    assert_eq!(
        parse(&query, CTXS.as_bytes()),
        Ok(Payload::FundingSettings(expected))
    );
}

#[test]
fn candles_are_traded_price_with_base_volume() {
    let query = candle_query(PriceKind::Last, Period::H1, NOV_20, NOV_20 + 24 * HOUR);
    let Ok(Payload::Candles(candles)) = parse(&query, CANDLES.as_bytes()) else {
        panic!("candles")
    };
    assert_eq!(candles.len(), 3);
    let first = Candle {
        open_time_ms: 1_763_647_200_000,
        open: 91_204.0,
        high: 91_477.0,
        low: 91_102.0,
        close: 91_388.0,
        volume_base: 812.44917,
        taker_buy_base: None,
    };
    assert_eq!(candles[0], first);
}

#[test]
fn book_levels_are_bids_then_asks_cut_to_depth() {
    let Ok(Payload::Book(book)) = parse(&book_query(2), BOOK.as_bytes()) else {
        panic!("book")
    };
    let expected = OrderBookSnapshot {
        time_ms: 1_763_717_400_123,
        bids: vec![
            Level {
                price: 91_510.0,
                size: 3.81427,
            },
            Level {
                price: 91_509.0,
                size: 0.52011,
            },
        ],
        asks: vec![
            Level {
                price: 91_511.0,
                size: 0.94518,
            },
            Level {
                price: 91_512.0,
                size: 0.21344,
            },
        ],
    };
    assert_eq!(book, expected);
    let one_side = r#"{"coin":"BTC","time":1,"levels":[[]]}"#;
    assert!(matches!(
        parse(&book_query(2), one_side.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

/// A body and what the error it gives must be.
type ErrorCheck = fn(&ParseError) -> bool;

#[test]
fn malformed_bodies_are_typed_errors() {
    let query = funding_query();
    let cases: [(&str, ErrorCheck); 8] = [
        ("", |e| matches!(e, ParseError::Empty { .. })),
        ("<html><body>403 Forbidden</body></html>", |e| {
            matches!(e, ParseError::NotJson { .. })
        }),
        (r#"[{"coin":"BTC","fundingRate":"0.0001","ti"#, |e| {
            matches!(e, ParseError::NotJson { .. })
        }),
        (r#"[{"coin":"BTC","time":1}]"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        (r#"[{"coin":"BTC","fundingRate":"abc","time":1}]"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        (r#"[{"coin":"BTC","fundingRate":"NaN","time":1}]"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        ("null", |e| matches!(e, ParseError::VenueError { .. })),
        (
            r#"{"error":"Invalid coin"}"#,
            |e| matches!(e, ParseError::VenueError { message, .. } if message == "Invalid coin"),
        ),
    ];
    for (body, is_expected) in cases {
        let err = parse(&query, body.as_bytes()).unwrap_err();
        assert!(is_expected(&err), "{body}: {err:?}");
    }
}

#[test]
fn empty_lists_are_empty_payloads_and_negative_sizes_are_errors() {
    assert_eq!(parse(&funding_query(), b"[]"), Ok(Payload::Funding(vec![])));
    let negative = r#"{"coin":"BTC","time":1,"levels":[[{"px":"1.0","sz":"-2","n":1}],[]]}"#;
    assert!(matches!(
        parse(&book_query(5), negative.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn parse_never_panics_on_hostile_bodies() {
    parse_never_panics(parse, &[FUNDING, FUNDING_8H, CTXS, CANDLES, BOOK]);
}
