use super::*;
use crate::market::model::{Candle, FundingRate, Level, Liquidation, OpenInterest, PositionSide};
use crate::market::venues::kit::testkit::{self, asset, parse_never_panics};

const MARKETS: &str = include_str!("../../../../tests/fixtures/dydx/perpetualMarkets.json");
const FUNDING: &str = include_str!("../../../../tests/fixtures/dydx/historicalFunding.json");
const CANDLES: &str = include_str!("../../../../tests/fixtures/dydx/candles.json");
const BOOK: &str = include_str!("../../../../tests/fixtures/dydx/orderbook.json");
const TRADES: &str = include_str!("../../../../tests/fixtures/dydx/trades.json");
const NOT_FOUND: &str = include_str!("../../../../tests/fixtures/dydx/error_not_found.json");
const INVALID: &str = include_str!("../../../../tests/fixtures/dydx/error_validation.json");

const HOUR: i64 = 3_600_000;
/// 2025-11-20T00:00:00Z.
const NOV_20: i64 = 1_763_596_800_000;

fn paths(query: &Query) -> Vec<String> {
    testkit::paths(requests, query)
}

fn parsed(query: &Query, body: &str) -> Payload {
    parse(query, body.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn candle_query(period: Period, from_ms: i64, to_ms: i64) -> Query {
    Query::Candles {
        asset: asset("BTC"),
        price: PriceKind::Last,
        period,
        from_ms,
        to_ms,
    }
}

#[test]
fn market_requests_name_the_ticker() {
    assert_eq!(instrument(&asset("eth")), "ETH-USD");
    assert_eq!(
        paths(&Query::Ticker {
            asset: asset("BTC")
        }),
        ["/v4/perpetualMarkets?ticker=BTC-USD"]
    );
    assert_eq!(
        paths(&Query::OrderBook {
            asset: asset("BTC"),
            depth: 10
        }),
        ["/v4/orderbooks/perpetualMarket/BTC-USD"]
    );
    assert_eq!(
        paths(&Query::RecentLiquidations {
            asset: asset("BTC")
        }),
        ["/v4/trades/perpetualMarket/BTC-USD?limit=1000"]
    );
}

#[test]
fn sixty_days_of_funding_are_a_1000_hour_page_and_the_rest() {
    let query = Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 + 1_440 * HOUR - 1,
    };
    assert_eq!(
        paths(&query),
        [
            "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=2025-12-31T15%3A59%3A59.999Z&limit=1000",
            "/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=2026-01-18T23%3A59%3A59.999Z&limit=440",
        ]
    );
}

#[test]
fn a_day_of_minute_candles_is_two_pages() {
    let got = paths(&candle_query(Period::M1, NOV_20, NOV_20 + 24 * HOUR - 1));
    assert_eq!(
        got,
        [
            "/v4/candles/perpetualMarkets/BTC-USD?resolution=1MIN&fromISO=2025-11-20T00%3A00%3A00.000Z\
             &toISO=2025-11-20T16%3A39%3A59.999Z&limit=1000",
            "/v4/candles/perpetualMarkets/BTC-USD?resolution=1MIN&fromISO=2025-11-20T16%3A40%3A00.000Z\
             &toISO=2025-11-20T23%3A59%3A59.999Z&limit=440",
        ]
    );
    let oi = Query::OpenInterestHistory {
        asset: asset("BTC"),
        period: Period::M1,
        from_ms: NOV_20,
        to_ms: NOV_20 + 24 * HOUR - 1,
    };
    assert_eq!(paths(&oi), got);
}

#[test]
fn unsupported_queries_say_what_is_missing() {
    let mark = Query::Candles {
        asset: asset("BTC"),
        price: PriceKind::Mark,
        period: Period::H1,
        from_ms: NOV_20,
        to_ms: NOV_20,
    };
    assert_eq!(
        requests(&mark).unwrap_err().what,
        "mark- or index-price candles"
    );
    assert!(
        requests(&Query::OptionChain {
            asset: asset("BTC")
        })
        .is_err()
    );
}

#[test]
fn ticker_uses_the_oracle_as_mark_and_index() {
    let Payload::Ticker(t) = parsed(
        &Query::Ticker {
            asset: asset("BTC"),
        },
        MARKETS,
    ) else {
        panic!("ticker")
    };
    assert_eq!(
        (t.mark_price, t.index_price, t.last_price),
        (Some(91_498.310_12), Some(91_498.310_12), None)
    );
    assert_eq!(
        (t.funding_rate, t.funding_interval_hours),
        (Some(0.00000612954545454545), Some(1.0))
    );
    assert_eq!(
        (t.open_interest_base, t.volume_24h_base, t.time_ms),
        (Some(512.4417), None, 0)
    );
    let Payload::Ticker(eth) = parsed(
        &Query::Ticker {
            asset: asset("ETH"),
        },
        MARKETS,
    ) else {
        panic!("ticker")
    };
    assert_eq!(eth.funding_rate, Some(-0.000001875));
    let settings = parsed(
        &Query::FundingSettings {
            asset: asset("ETH"),
        },
        MARKETS,
    );
    assert_eq!(
        settings,
        Payload::FundingSettings(FundingSettings {
            interval_hours: 1.0,
            cap: None,
            floor: None
        })
    );
}

#[test]
fn an_unknown_market_is_a_venue_error() {
    let err = parse(
        &Query::Ticker {
            asset: asset("DOGEX"),
        },
        MARKETS.as_bytes(),
    )
    .unwrap_err();
    assert!(
        matches!(err, ParseError::VenueError { ref code, .. } if code == "unknown-asset"),
        "{err:?}"
    );
    let err = parse(
        &Query::Ticker {
            asset: asset("DOGEX"),
        },
        NOT_FOUND.as_bytes(),
    )
    .unwrap_err();
    let expected = "DOGEX-USD not found in markets of type PERPETUAL";
    assert!(
        matches!(err, ParseError::VenueError { ref message, .. } if message == expected),
        "{err:?}"
    );
    let err = parse(
        &Query::RecentLiquidations {
            asset: asset("BTC"),
        },
        INVALID.as_bytes(),
    )
    .unwrap_err();
    let expected = "limit: limit must be a positive integer that is not greater than max: 1000";
    assert!(
        matches!(err, ParseError::VenueError { ref message, .. } if message == expected),
        "{err:?}"
    );
}

#[test]
fn funding_rows_are_hourly_and_sorted_oldest_first() {
    let query = Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 + 4 * HOUR,
    };
    let Payload::Funding(rows) = parsed(&query, FUNDING) else {
        panic!("funding")
    };
    assert_eq!(rows.len(), 4);
    let first = FundingRate {
        time_ms: 1_763_596_800_071,
        rate: 0.000000625,
        interval_hours: 1.0,
        mark_price: Some(91_611.7),
    };
    assert_eq!(rows[0], first);
    assert_eq!(
        (rows[3].time_ms, rows[3].rate),
        (1_763_607_600_412, 0.000004125)
    );
}

#[test]
fn candles_are_sorted_with_base_volume() {
    let Payload::Candles(candles) = parsed(
        &candle_query(Period::H1, NOV_20, NOV_20 + 24 * HOUR),
        CANDLES,
    ) else {
        panic!("candles")
    };
    let first = Candle {
        open_time_ms: NOV_20 + 14 * HOUR,
        open: 91_207.0,
        high: 91_480.0,
        low: 91_100.0,
        close: 91_391.0,
        volume_base: 17.9025,
        taker_buy_base: None,
    };
    assert_eq!(candles[0], first);
    assert_eq!(
        candles
            .iter()
            .map(|c| c.open_time_ms - NOV_20)
            .collect::<Vec<_>>(),
        [14 * HOUR, 15 * HOUR, 16 * HOUR]
    );
}

#[test]
fn open_interest_history_comes_from_the_candles() {
    let query = Query::OpenInterestHistory {
        asset: asset("BTC"),
        period: Period::H1,
        from_ms: NOV_20,
        to_ms: NOV_20 + 24 * HOUR,
    };
    let Payload::OpenInterest(rows) = parsed(&query, CANDLES) else {
        panic!("open interest")
    };
    assert_eq!(
        rows[0],
        OpenInterest {
            time_ms: NOV_20 + 14 * HOUR,
            base: 511.0042,
            usd: Some(511.0042 * 91_207.0)
        }
    );
    assert_eq!(rows[2].base, 508.9913);
    let without = r#"{"candles":[{"startedAt":"2025-11-20T14:00:00.000Z","low":"1","high":"1","open":"1","close":"1","baseTokenVolume":"0"}]}"#;
    assert!(matches!(
        parse(&query, without.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn book_is_cut_to_depth_and_has_no_time() {
    let Payload::Book(book) = parsed(
        &Query::OrderBook {
            asset: asset("BTC"),
            depth: 2,
        },
        BOOK,
    ) else {
        panic!("book")
    };
    assert_eq!(book.time_ms, 0);
    assert_eq!(
        book.bids,
        [
            Level {
                price: 91_497.0,
                size: 0.4102
            },
            Level {
                price: 91_496.0,
                size: 0.0003
            }
        ]
    );
    assert_eq!(
        book.asks[0],
        Level {
            price: 91_499.0,
            size: 0.2215
        }
    );
}

#[test]
fn liquidation_fills_become_liquidations_of_the_closed_side() {
    let Payload::Liquidations(rows) = parsed(
        &Query::RecentLiquidations {
            asset: asset("BTC"),
        },
        TRADES,
    ) else {
        panic!("liquidations")
    };
    let expected = [
        // BUY closes a short.
        Liquidation {
            time_ms: 1_763_717_351_055,
            side: PositionSide::Short,
            price: 91_395.0,
            quantity_base: 0.015,
        },
        // Two SELL fills of one liquidated long, merged at the size-weighted price.
        Liquidation {
            time_ms: 1_763_717_380_330,
            side: PositionSide::Long,
            price: (91_402.0 * 0.12 + 91_410.0 * 0.08) / (0.12 + 0.08),
            quantity_base: 0.12 + 0.08,
        },
        // A deleveraged short.
        Liquidation {
            time_ms: 1_763_717_391_702,
            side: PositionSide::Short,
            price: 91_530.0,
            quantity_base: 0.041,
        },
    ];
    assert_eq!(rows, expected);
}

#[test]
fn malformed_bodies_are_typed_errors() {
    let query = Query::FundingHistory {
        asset: asset("BTC"),
        from_ms: NOV_20,
        to_ms: NOV_20 + HOUR,
    };
    let row = |rate: &str, at: &str| {
        format!(
            r#"{{"historicalFunding":[{{"ticker":"BTC-USD","rate":{rate},"price":"91000","effectiveAt":"{at}"}}]}}"#
        )
    };
    for body in [
        row(r#""NaN""#, "2025-11-20T00:00:00.071Z"),
        row(r#""abc""#, "2025-11-20T00:00:00.071Z"),
        row(r#""0.0001""#, "2025-11-20 00:00:00"),
        r#"{"historicalFunding":[{"rate":"0.0001"}]}"#.to_string(),
        r#"{"candles":[]}"#.to_string(),
    ] {
        assert!(
            matches!(
                parse(&query, body.as_bytes()),
                Err(ParseError::Shape { .. })
            ),
            "{body}"
        );
    }
    assert!(matches!(parse(&query, b" "), Err(ParseError::Empty { .. })));
    assert!(matches!(
        parse(&query, b"<html><body>403 Forbidden</body></html>"),
        Err(ParseError::NotJson { .. })
    ));
    assert!(matches!(
        parse(&query, &FUNDING.as_bytes()[..60]),
        Err(ParseError::NotJson { .. })
    ));
    assert_eq!(
        parse(&query, br#"{"historicalFunding":[]}"#),
        Ok(Payload::Funding(vec![]))
    );
    let negative = r#"{"bids":[{"price":"91000","size":"-1"}],"asks":[]}"#;
    let book = Query::OrderBook {
        asset: asset("BTC"),
        depth: 5,
    };
    assert!(matches!(
        parse(&book, negative.as_bytes()),
        Err(ParseError::Shape { .. })
    ));
}

#[test]
fn parse_never_panics_on_hostile_bodies() {
    parse_never_panics(
        parse,
        &[MARKETS, FUNDING, CANDLES, BOOK, TRADES, NOT_FOUND, INVALID],
    );
}
