//! Request building: exact paths, paging, history caps and refusals.

use super::*;

#[test]
fn single_requests_have_exact_paths() {
    assert_eq!(instrument(&btc()), "BTC-USDT-SWAP");
    for query in [
        Query::Ticker { asset: btc() },
        Query::FundingSettings { asset: btc() },
    ] {
        assert_eq!(
            paths(&query),
            ["/api/v5/public/funding-rate?instId=BTC-USDT-SWAP"]
        );
    }
    assert_eq!(
        paths(&Query::OrderBook {
            asset: btc(),
            depth: 50
        }),
        ["/api/v5/market/books?instId=BTC-USDT-SWAP&sz=50"]
    );
    assert_eq!(
        paths(&Query::OrderBook {
            asset: btc(),
            depth: 5000
        }),
        ["/api/v5/market/books?instId=BTC-USDT-SWAP&sz=400"]
    );
    let doge = Query::OrderBook {
        asset: Asset::new("DOGE").unwrap(),
        depth: 50,
    };
    assert!(requests(&doge).unwrap_err().what.contains("contract size"));
    assert_eq!(
        paths(&Query::OptionChain { asset: btc() }),
        ["/api/v5/public/opt-summary?instFamily=BTC-USD"]
    );
    for query in [
        Query::RecentLiquidations { asset: btc() },
        Query::Basis {
            asset: btc(),
            period: Period::H1,
            from_ms: 0,
            to_ms: TO,
        },
    ] {
        assert_eq!(requests(&query).unwrap_err().venue, Venue::Okx);
    }
}

#[test]
fn funding_history_uses_exclusive_bounds_and_three_months() {
    let from = TO - 7 * DAY_MS;
    assert_eq!(
        paths(&Query::FundingHistory {
            asset: btc(),
            from_ms: from,
            to_ms: TO
        }),
        [format!(
            "/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&after={}&before={}&limit=400",
            TO + 1,
            from - 1
        )]
    );
    // A year is cut to 92 days: 2208 hours in pages of 399 → 6 pages, the first starting 92 days before `to`.
    let year = paths(&Query::FundingHistory {
        asset: btc(),
        from_ms: TO - 365 * DAY_MS,
        to_ms: TO,
    });
    assert_eq!(year.len(), 6);
    assert!(year[0].ends_with(&format!(
        "&after={}&before={}&limit=400",
        TO - 92 * DAY_MS + 399 * HOUR_MS + 1,
        TO - 92 * DAY_MS
    )));
}

#[test]
fn rubik_series_page_99_rows_within_the_latest_1440() {
    let from = TO - DAY_MS;
    let [oi, taker] = series(Period::H1, from);
    assert_eq!(
        paths(&oi),
        [format!(
            "/api/v5/rubik/stat/contracts/open-interest-history?instId=BTC-USDT-SWAP&period=1H&end={}&begin={}&limit=100",
            TO + 1,
            from - 1
        )]
    );
    assert_eq!(
        paths(&taker),
        [format!(
            "/api/v5/rubik/stat/taker-volume-contract?instId=BTC-USDT-SWAP&period=1H&unit=0&end={}&begin={}&limit=100",
            TO + 1,
            from - 1
        )]
    );
    // 5-minute rows over 30 days are cut to the latest 1440 (5 days): 15 pages of 99.
    let [oi, _] = series(Period::M5, TO - 30 * DAY_MS);
    let pages = paths(&oi);
    assert_eq!(pages.len(), 15);
    assert!(pages[0].contains(&format!("&begin={}&", TO - 1440 * 300_000)));
    let [minute, _] = series(Period::M1, from);
    assert!(requests(&minute).is_err());
    let day = paths(&Query::OpenInterestHistory {
        asset: btc(),
        period: Period::D1,
        from_ms: from,
        to_ms: TO,
    });
    assert!(day[0].contains("&period=1Dutc&"));
    let stem = "/api/v5/rubik/stat/contracts/";
    assert!(
        paths(&ratio(RatioKind::GlobalAccounts))[0].starts_with(&format!(
            "{stem}long-short-account-ratio-contract?instId=BTC-USDT-SWAP&period=1H&"
        ))
    );
    assert!(
        paths(&ratio(RatioKind::TopAccounts))[0].starts_with(&format!(
            "{stem}long-short-account-ratio-contract-top-trader?"
        ))
    );
    assert!(
        paths(&ratio(RatioKind::TopPositions))[0].starts_with(&format!(
            "{stem}long-short-position-ratio-contract-top-trader?"
        ))
    );
}

#[test]
fn candles_use_the_history_endpoints() {
    let from = TO - DAY_MS;
    assert_eq!(
        paths(&candles(PriceKind::Last, Period::H1, from)),
        [format!(
            "/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1H&after={}&before={}&limit=300",
            TO + 1,
            from - 1
        )]
    );
    assert!(
        paths(&candles(PriceKind::Mark, Period::D1, from))[0].starts_with(
            "/api/v5/market/history-mark-price-candles?instId=BTC-USDT-SWAP&bar=1Dutc&"
        )
    );
    assert!(
        paths(&candles(PriceKind::Index, Period::H4, from))[0]
            .starts_with("/api/v5/market/history-index-candles?instId=BTC-USDT&bar=4H&")
    );
    // 30 days of hourly mark candles: 720 rows in pages of 99 → 8 pages; a year of minutes stops at 50 pages.
    assert_eq!(
        requests(&candles(PriceKind::Mark, Period::H1, TO - 30 * DAY_MS))
            .unwrap()
            .len(),
        8
    );
    assert_eq!(
        requests(&candles(PriceKind::Last, Period::M1, TO - 365 * DAY_MS))
            .unwrap()
            .len(),
        50
    );
}
