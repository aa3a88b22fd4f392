use serde_json::Value;

use super::candle::row_candle;
use super::paging::MAX_PAGES;
use super::*;
use crate::market::model::Level;
use crate::market::parse::ParseError;

#[test]
fn windows_tile_the_range_oldest_first() {
    assert_eq!(
        windows(Venue::Okx, 0, 9, 3, 1, None).unwrap(),
        [(0, 2), (3, 5), (6, 8), (9, 9)]
    );
    assert_eq!(windows(Venue::Okx, 7, 7, 3, 1, None).unwrap(), [(7, 7)]);
    // History measured back from `to`: 5 ms kept.
    assert_eq!(
        windows(Venue::Okx, 0, 99, 3, 1, Some(5)).unwrap(),
        [(95, 97), (98, 99)]
    );
    // More than MAX_PAGES pages: the newest 50 are kept.
    let pages = windows(Venue::Okx, 0, 1_000, 2, 1, None).unwrap();
    assert_eq!(
        (pages.len(), pages[0], pages[49]),
        (50, (901, 902), (999, 1_000))
    );
    assert!(windows(Venue::Okx, 5, 4, 3, 1, None).is_err());
    assert!(windows(Venue::Okx, -10, -1, 3, 1, None).is_err());
    assert_eq!(windows(Venue::Okx, -10, 1, 3, 1, None).unwrap(), [(0, 1)]);
    let extreme = windows(
        Venue::Okx,
        i64::MIN,
        i64::MAX,
        i64::MAX,
        i64::MAX,
        Some(i64::MAX),
    )
    .unwrap();
    assert_eq!(extreme, [(1, i64::MAX)]);
}

#[test]
fn funding_intervals_follow_the_spacing() {
    let h = HOUR_MS;
    assert_eq!(
        funding_intervals(&[0, 8 * h, 16 * h + 1], 8.0),
        [8.0, 8.0, 8.0]
    );
    assert_eq!(funding_intervals(&[0, 4 * h, 8 * h], 8.0), [4.0, 4.0, 4.0]);
    // A switch from 8 h to 1 h, and a missing payment (16 h gap) that falls back to the default.
    assert_eq!(
        funding_intervals(&[0, 8 * h, 9 * h, 25 * h], 8.0),
        [8.0, 8.0, 1.0, 8.0]
    );
    assert_eq!(funding_intervals(&[5], 8.0), [8.0]);
    assert_eq!(funding_intervals(&[i64::MIN, i64::MAX], 8.0), [8.0, 8.0]);
    assert_eq!(hours_between(0, 8 * h + 1), Some(8.0));
    assert_eq!(hours_between(0, 30 * h), None);
    assert_eq!(hours_between(8 * h, 0), None);
    assert_eq!(hours_between(i64::MIN, i64::MAX), None);
}

#[test]
fn cells_and_optional_times_decode_leniently() {
    let row: Vec<Value> =
        serde_json::from_str(r#"["1795114800000", 12, "0.5", "NaN", null]"#).unwrap();
    assert_eq!(
        cell_time(Venue::Okx, &row, 0, "t").unwrap(),
        1_795_114_800_000
    );
    assert_eq!(cell_num(Venue::Okx, &row, 1, "n").unwrap(), 12.0);
    assert_eq!(cell_num(Venue::Okx, &row, 2, "n").unwrap(), 0.5);
    for i in [3, 4, 5] {
        assert!(matches!(
            cell_num(Venue::Okx, &row, i, "n"),
            Err(ParseError::Shape { .. })
        ));
    }
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "opt_time")]
        t: Option<i64>,
    }
    let t = |json: &str| serde_json::from_str::<T>(json).map(|x| x.t).ok();
    assert_eq!(t(r#"{"t":"1795114800000"}"#), Some(Some(1_795_114_800_000)));
    assert_eq!(
        (
            t("{}"),
            t(r#"{"t":""}"#),
            t(r#"{"t":"0"}"#),
            t(r#"{"t":null}"#)
        ),
        (Some(None), Some(None), Some(None), Some(None))
    );
    assert_eq!(t(r#"{"t":"soon"}"#), None);
}

// The paging cases the Hyperliquid, Deribit and dYdX adapters were written against, in rows of 1 ms.

#[test]
fn a_window_within_one_span_is_one_page() {
    assert_eq!(
        windows(Venue::Dydx, 0, 10 * HOUR_MS - 1, 1_000, HOUR_MS, None),
        Ok(vec![(0, 10 * HOUR_MS - 1)])
    );
}

#[test]
fn pages_are_contiguous_oldest_first_and_end_at_to() {
    let got = windows(Venue::Dydx, 5, 25, 10, 1, None).unwrap();
    assert_eq!(got, vec![(5, 14), (15, 24), (25, 25)]);
}

#[test]
fn long_windows_keep_their_newest_pages() {
    let got = windows(Venue::Dydx, 0, 1_000_000, 10, 1, None).unwrap();
    assert_eq!(got.len() as i64, MAX_PAGES);
    assert_eq!(got.last(), Some(&(999_991, 1_000_000)));
    assert_eq!(got.first(), Some(&(999_501, 999_510)));
}

#[test]
fn reversed_or_pre_1970_windows_are_unsupported() {
    assert!(windows(Venue::Deribit, 10, 5, 1, 1, None).is_err());
    assert!(windows(Venue::Deribit, -10, -5, 1, 1, None).is_err());
    assert_eq!(
        windows(Venue::Deribit, -10, 3, 100, 1, None),
        Ok(vec![(0, 3)])
    );
    assert_eq!(checked_window(Venue::Deribit, -10, 3), Ok((0, 3)));
    let what = |from, to| checked_window(Venue::Deribit, from, to).unwrap_err().what;
    assert_eq!(what(10, 5), "a time window that ends before it starts");
    assert_eq!(what(-10, -5), "a time window before 1970");
}

#[test]
fn extreme_times_do_not_overflow() {
    let got = windows(Venue::Deribit, i64::MAX - 5, i64::MAX, 4, 1, None).unwrap();
    assert_eq!(
        got,
        vec![(i64::MAX - 5, i64::MAX - 2), (i64::MAX - 1, i64::MAX)]
    );
}

#[test]
fn listed_books_are_cut_then_checked() {
    let book = listed_book(Venue::Dydx, 7, [(2.0, 1.0), (1.0, 3.0)], [], 1).unwrap();
    assert_eq!(
        (book.time_ms, book.bids, book.asks),
        (
            7,
            vec![Level {
                price: 2.0,
                size: 1.0
            }],
            vec![]
        )
    );
    assert!(listed_book(Venue::Dydx, 0, [(2.0, -1.0)], [], 5).is_err());
    // A level past the depth is not looked at; a zero price is a price.
    assert!(listed_book(Venue::Dydx, 0, [(0.0, 1.0), (-1.0, 1.0)], [], 1).is_ok());
    assert_eq!(
        listed_book(Venue::Dydx, 0, [(2.0, 1.0)], [], 0).map(|b| b.bids),
        Ok(vec![])
    );
}

#[test]
fn sorted_books_check_every_row_then_sort_and_cut() {
    let rows = |json: &str| serde_json::from_str::<Vec<Vec<Value>>>(json).unwrap();
    let bids = rows(r#"[["1","1"],["3","2"],["2","4"]]"#);
    let book = sorted_book(Venue::Okx, 7, &bids, &[], 0.5, 0).unwrap();
    assert_eq!(
        book.bids,
        [Level {
            price: 3.0,
            size: 1.0
        }]
    );
    for bad in [r#"[["1","1"],["0","1"]]"#, r#"[["1","1"],["1","-1"]]"#] {
        assert!(sorted_book(Venue::Okx, 7, &rows(bad), &[], 1.0, 1).is_err());
    }
}

#[test]
fn candles_from_rows_and_numbers_keep_their_price_rules() {
    let row: Vec<Value> =
        serde_json::from_str(r#"[5, "1", "2", "0.5", "1.5", "9", "x", "4"]"#).unwrap();
    let c = row_candle(Venue::Binance, &row, "kline", Some(5), Some(7)).unwrap();
    assert_eq!(
        (c.open_time_ms, c.open, c.high, c.low, c.close),
        (5, 1.0, 2.0, 0.5, 1.5)
    );
    assert_eq!((c.volume_base, c.taker_buy_base), (9.0, Some(4.0)));
    let mark = row_candle(Venue::Binance, &row[..5], "kline", None, None).unwrap();
    assert_eq!((mark.volume_base, mark.taker_buy_base), (0.0, None));
    assert!(row_candle(Venue::Binance, &row, "kline", Some(6), None).is_err());
    let zero: Vec<Value> = serde_json::from_str(r#"[5, "0", "2", "0.5", "1.5"]"#).unwrap();
    assert!(row_candle(Venue::Bybit, &zero, "kline", None, None).is_err());
    assert!(candle(Venue::Dydx, 5, [0.0, 2.0, 0.5, 1.5, 9.0]).is_ok());
    assert!(candle(Venue::Dydx, 5, [1.0, 2.0, 0.5, 1.5, -9.0]).is_err());
}

#[test]
fn checks_refuse_negatives_and_non_finite_numbers() {
    assert_eq!(non_negative(Venue::Okx, "size", 0.0), Ok(0.0));
    assert_eq!(positive(Venue::Okx, "price", 2.5), Ok(2.5));
    for v in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(non_negative(Venue::Okx, "size", v).is_err(), "{v}");
        assert!(positive(Venue::Okx, "price", v).is_err(), "{v}");
    }
    assert!(positive(Venue::Okx, "price", 0.0).is_err());
}

#[test]
fn error_objects_read_as_text() {
    let error: Value = serde_json::from_str(r#"{"code":-1121,"msg":"Invalid symbol."}"#).unwrap();
    assert_eq!(
        venue_error(Venue::Binance, &error, "code", "msg"),
        ParseError::VenueError {
            venue: Venue::Binance,
            code: "-1121".into(),
            message: "Invalid symbol.".into()
        }
    );
    assert_eq!(
        venue_error(Venue::Okx, &error, "errCode", "msg"),
        ParseError::VenueError {
            venue: Venue::Okx,
            code: String::new(),
            message: "Invalid symbol.".into()
        }
    );
    assert_eq!(text(&Value::from("x")), "x");
    assert_eq!(text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
}

#[test]
fn unsupported_queries_are_named() {
    let query = Query::OptionChain {
        asset: testkit::btc(),
    };
    assert_eq!(unsupported(Venue::Dydx, &query).what, "options");
    assert_eq!(short_interval(Period::H4), "4h");
}
