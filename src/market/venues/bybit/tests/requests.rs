//! Request building: exact paths, paging, history caps and refusals.

use super::*;

#[test]
fn single_requests_have_exact_paths() {
    assert_eq!(instrument(&btc()), "BTCUSDT");
    for query in [
        Query::Ticker { asset: btc() },
        Query::FundingSettings { asset: btc() },
    ] {
        assert_eq!(
            paths(&query),
            ["/v5/market/tickers?category=linear&symbol=BTCUSDT"]
        );
    }
    let book = |depth| {
        paths(&Query::OrderBook {
            asset: btc(),
            depth,
        })
    };
    assert_eq!(
        book(50),
        ["/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=50"]
    );
    assert_eq!(
        book(0),
        ["/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=1"]
    );
    assert_eq!(
        book(9999),
        ["/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=1000"]
    );
    let unsupported = [
        Query::TakerVolume {
            asset: btc(),
            period: Period::H1,
            from_ms: 0,
            to_ms: TO,
        },
        Query::Basis {
            asset: btc(),
            period: Period::H1,
            from_ms: 0,
            to_ms: TO,
        },
        Query::OptionChain { asset: btc() },
        Query::RecentLiquidations { asset: btc() },
        ratio(RatioKind::TopAccounts, Period::H1, 0, TO),
        ratio(RatioKind::TopPositions, Period::H1, 0, TO),
    ];
    for query in unsupported {
        assert_eq!(
            requests(&query).unwrap_err().venue,
            Venue::Bybit,
            "{query:?}"
        );
    }
}

#[test]
fn funding_history_pages_hold_200_hourly_rows() {
    let from = TO - 10 * DAY_MS;
    let pages = paths(&Query::FundingHistory {
        asset: btc(),
        from_ms: from,
        to_ms: TO,
    });
    // 240 hours → 200 + 40.
    assert_eq!(
        pages,
        [
            format!(
                "/v5/market/funding/history?category=linear&symbol=BTCUSDT&startTime={from}&endTime={}&limit=200",
                from + 200 * HOUR_MS - 1
            ),
            format!(
                "/v5/market/funding/history?category=linear&symbol=BTCUSDT&startTime={}&endTime={TO}&limit=200",
                from + 200 * HOUR_MS
            ),
        ]
    );
    // A year would need 44 pages; ten years are cut to the newest 50 × 200 hours.
    assert_eq!(
        paths(&Query::FundingHistory {
            asset: btc(),
            from_ms: TO - 365 * DAY_MS,
            to_ms: TO
        })
        .len(),
        44
    );
    let decade = paths(&Query::FundingHistory {
        asset: btc(),
        from_ms: TO - 3650 * DAY_MS,
        to_ms: TO,
    });
    assert_eq!(decade.len(), 50);
    assert!(decade[0].contains(&format!("startTime={}&", TO - 50 * 200 * HOUR_MS + 1)));
}

#[test]
fn open_interest_ratio_and_kline_pages() {
    let from = TO - DAY_MS;
    let oi = Query::OpenInterestHistory {
        asset: btc(),
        period: Period::M5,
        from_ms: from,
        to_ms: TO,
    };
    // 288 five-minute rows → 200 + 88.
    let oi_pages = paths(&oi);
    assert_eq!(oi_pages.len(), 2);
    assert_eq!(
        oi_pages[0],
        format!(
            "/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=5min&startTime={from}&endTime={}&limit=200",
            from + 200 * 300_000 - 1
        )
    );
    assert_eq!(
        paths(&ratio(RatioKind::GlobalAccounts, Period::H4, from, TO)),
        [format!(
            "/v5/market/account-ratio?category=linear&symbol=BTCUSDT&period=4h&startTime={from}&endTime={TO}&limit=500"
        )]
    );
    // Ratios start on 2020-07-20: earlier starts are moved up, windows entirely before are refused.
    let early = paths(&ratio(
        RatioKind::GlobalAccounts,
        Period::D1,
        0,
        RATIO_EARLIEST_MS + DAY_MS,
    ));
    assert!(early[0].contains(&format!("startTime={RATIO_EARLIEST_MS}&")));
    assert!(
        requests(&ratio(
            RatioKind::GlobalAccounts,
            Period::D1,
            0,
            RATIO_EARLIEST_MS - 1
        ))
        .is_err()
    );
    assert!(requests(&ratio(RatioKind::GlobalAccounts, Period::M1, from, TO)).is_err());
    assert_eq!(
        paths(&candles(PriceKind::Mark, Period::D1, from)),
        [format!(
            "/v5/market/mark-price-kline?category=linear&symbol=BTCUSDT&interval=D&start={from}&end={TO}&limit=1000"
        )]
    );
    assert!(
        paths(&candles(PriceKind::Index, Period::H1, from))[0].starts_with(
            "/v5/market/index-price-kline?category=linear&symbol=BTCUSDT&interval=60&start="
        )
    );
    assert_eq!(
        requests(&candles(PriceKind::Last, Period::M1, TO - 30 * DAY_MS))
            .unwrap()
            .len(),
        44
    );
}
