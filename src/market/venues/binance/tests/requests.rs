//! Request building: exact paths, paging, history caps and refusals.

use super::*;

#[test]
fn instrument_is_the_usdt_perpetual() {
    assert_eq!(instrument(&btc()), "BTCUSDT");
    assert_eq!(
        current_open_interest_request(&btc()).path_and_query,
        "/fapi/v1/openInterest?symbol=BTCUSDT"
    );
}

#[test]
fn single_requests_have_exact_paths() {
    assert_eq!(
        paths(&Query::Ticker { asset: btc() }),
        ["/fapi/v1/premiumIndex?symbol=BTCUSDT"]
    );
    assert_eq!(
        paths(&Query::FundingSettings { asset: btc() }),
        ["/fapi/v1/fundingInfo"]
    );
    let book = |depth| {
        paths(&Query::OrderBook {
            asset: btc(),
            depth,
        })
    };
    assert_eq!(book(20), ["/fapi/v1/depth?symbol=BTCUSDT&limit=20"]);
    assert_eq!(book(21), ["/fapi/v1/depth?symbol=BTCUSDT&limit=50"]);
    assert_eq!(book(0), ["/fapi/v1/depth?symbol=BTCUSDT&limit=5"]);
    assert_eq!(book(5000), ["/fapi/v1/depth?symbol=BTCUSDT&limit=1000"]);
    for query in [
        Query::OptionChain { asset: btc() },
        Query::RecentLiquidations { asset: btc() },
    ] {
        assert_eq!(requests(&query).unwrap_err().venue, Venue::Binance);
    }
}

#[test]
fn funding_history_pages_hold_at_most_1000_hourly_rows() {
    let one = |from_ms| {
        paths(&Query::FundingHistory {
            asset: btc(),
            from_ms,
            to_ms: TO,
        })
    };
    assert_eq!(
        one(TO - 30 * DAY_MS),
        [format!(
            "/fapi/v1/fundingRate?symbol=BTCUSDT&startTime={}&endTime={TO}&limit=1000",
            TO - 30 * DAY_MS
        )]
    );
    // 365 days = 8760 hours → 9 pages of 1000 hours, oldest first, contiguous.
    let pages = kit::windows(Venue::Binance, TO - 365 * DAY_MS, TO, 1000, HOUR_MS, None).unwrap();
    assert_eq!(pages.len(), 9);
    assert_eq!(
        pages[0],
        (TO - 365 * DAY_MS, TO - 365 * DAY_MS + 1000 * HOUR_MS - 1)
    );
    assert_eq!(pages[8].1, TO);
    assert!(pages.windows(2).all(|w| w[1].0 == w[0].1 + 1));
    assert_eq!(one(TO - 365 * DAY_MS).len(), 9);
}

#[test]
fn statistics_are_capped_to_30_days_in_500_row_pages() {
    let start = TO - STATS_HISTORY_MS + 1;
    // 60 days asked, 30 days minus an hour kept: 719 hourly rows → 500 + 219.
    assert_eq!(
        paths(&hourly(oi, 60)),
        [
            format!(
                "/futures/data/openInterestHist?symbol=BTCUSDT&period=1h&startTime={start}&endTime={}&limit=500",
                start + 500 * HOUR_MS - 1
            ),
            format!(
                "/futures/data/openInterestHist?symbol=BTCUSDT&period=1h&startTime={}&endTime={TO}&limit=500",
                start + 500 * HOUR_MS
            ),
        ]
    );
    // 5-minute rows over the same 30 days: 8628 rows → 18 pages.
    assert_eq!(
        requests(&oi(btc(), Period::M5, TO - 30 * DAY_MS, TO))
            .unwrap()
            .len(),
        18
    );
    let minute = requests(&oi(btc(), Period::M1, TO - DAY_MS, TO)).unwrap_err();
    assert!(minute.what.contains("1-minute"));
    let basis = paths(&Query::Basis {
        asset: btc(),
        period: Period::H4,
        from_ms: TO - DAY_MS,
        to_ms: TO,
    });
    assert_eq!(
        basis,
        [format!(
            "/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=4h&startTime={}&endTime={TO}&limit=500",
            TO - DAY_MS
        )]
    );
}

#[test]
fn ratio_kinds_and_taker_volume_map_to_their_endpoints() {
    let ratio = |kind| {
        paths(&Query::LongShortRatio {
            asset: btc(),
            kind,
            period: Period::M15,
            from_ms: TO - HOUR_MS,
            to_ms: TO,
        })
    };
    let tail = format!(
        "?symbol=BTCUSDT&period=15m&startTime={}&endTime={TO}&limit=500",
        TO - HOUR_MS
    );
    assert_eq!(
        ratio(RatioKind::GlobalAccounts),
        [format!("/futures/data/globalLongShortAccountRatio{tail}")]
    );
    assert_eq!(
        ratio(RatioKind::TopAccounts),
        [format!("/futures/data/topLongShortAccountRatio{tail}")]
    );
    assert_eq!(
        ratio(RatioKind::TopPositions),
        [format!("/futures/data/topLongShortPositionRatio{tail}")]
    );
    let taker = paths(&Query::TakerVolume {
        asset: btc(),
        period: Period::M15,
        from_ms: TO - HOUR_MS,
        to_ms: TO,
    });
    assert_eq!(taker, [format!("/futures/data/takerlongshortRatio{tail}")]);
}

#[test]
fn klines_use_1500_row_pages_and_at_most_50_of_them() {
    let day = TO - DAY_MS;
    assert_eq!(
        paths(&candles(PriceKind::Index, Period::H1, day)),
        [format!(
            "/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1h&startTime={day}&endTime={TO}&limit=1500"
        )]
    );
    assert!(
        paths(&candles(PriceKind::Mark, Period::D1, day))[0]
            .starts_with("/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1d&")
    );
    // 100 days of minutes = 144 000 rows; 50 pages × 1500 = the newest 75 000 minutes.
    let pages = requests(&candles(PriceKind::Last, Period::M1, TO - 100 * DAY_MS)).unwrap();
    assert_eq!(pages.len(), 50);
    let first_start = TO - 50 * 1500 * 60_000 + 1;
    assert!(
        pages[0]
            .path_and_query
            .contains(&format!("startTime={first_start}&"))
    );
    assert!(
        pages[49]
            .path_and_query
            .ends_with(&format!("endTime={TO}&limit=1500"))
    );
}

#[test]
fn a_reversed_window_is_unsupported() {
    let err = requests(&oi(btc(), Period::H1, TO, TO - 1)).unwrap_err();
    assert_eq!(err.what, "a time window that ends before it starts");
}
