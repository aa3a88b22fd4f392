//! Coherence specifications: every number of the sample obeys the accounting identities and conventions a real
//! venue's data obeys, so indicators computed on it mean what they mean on live data.

use super::default_market;
use crate::market::{Bar, OptionKind, Side};
use crate::series::{DAY_MS, HOUR_MS};
use crate::sim::engine::testing::Stepper;
use crate::sim::*;
use proptest::prelude::*;

fn bars_are_coherent(bars: &[Bar]) -> bool {
    bars.iter().all(|b| {
        b.is_valid()
            && b.high >= b.open.max(b.close)
            && b.low <= b.open.min(b.close)
            && b.taker_buy_volume <= b.volume
            && b.volume > 0.0
    })
}

#[test]
fn bars_are_valid_ohlcv_with_taker_buys_inside_volume() {
    for asset in &default_market().assets {
        assert!(bars_are_coherent(&asset.spot_bars), "{} spot", asset.symbol);
        for venue in &asset.venues {
            assert!(
                bars_are_coherent(&venue.bars),
                "{} {}",
                asset.symbol,
                venue.venue
            );
        }
    }
}

/// Bars are contiguous hours; snapshots sit at bar ends; everything is on the hour and strictly increasing.
#[test]
fn every_timestamp_is_hour_aligned_and_strictly_increasing() {
    let config = &default_market().config;
    let hour_ends: Vec<i64> = (1..=i64::from(config.hours))
        .map(|h| config.start_ms + h * HOUR_MS)
        .collect();
    for asset in &default_market().assets {
        assert_eq!(asset.index.times_ms(), hour_ends.as_slice());
        assert_eq!(asset.market_cap_usd.times_ms(), hour_ends.as_slice());
        for venue in &asset.venues {
            let opens: Vec<i64> = venue.bars.iter().map(|b| b.open_time_ms).collect();
            let expected: Vec<i64> = hour_ends.iter().map(|t| t - HOUR_MS).collect();
            assert_eq!(opens, expected);
            assert_eq!(venue.closes().unwrap().times_ms(), hour_ends.as_slice());
            for series in [
                &venue.mark,
                &venue.open_interest_base,
                &venue.open_interest_usd,
                &venue.long_short_account_ratio,
                &venue.top_trader_position_ratio,
            ] {
                assert_eq!(series.times_ms(), hour_ends.as_slice());
            }
            let funding_times = venue.funding.times_ms();
            assert!(funding_times.iter().all(|t| t % HOUR_MS == 0));
            assert!(funding_times.windows(2).all(|w| w[1] > w[0]));
        }
    }
}

/// Payments at every multiple of the venue's interval (00/08/16 UTC for 8 h), never beyond its cap.
#[test]
fn funding_is_paid_on_the_venue_clock_within_its_cap() {
    let market = default_market();
    for asset in &market.assets {
        for (venue, venue_config) in asset.venues.iter().zip(&market.config.venues) {
            let interval_ms = i64::from(venue.funding_interval_hours) * HOUR_MS;
            let expected = i64::from(market.config.hours) * HOUR_MS / interval_ms;
            assert_eq!(venue.funding.len() as i64, expected, "{}", venue.venue);
            assert!(
                venue
                    .funding
                    .times_ms()
                    .iter()
                    .all(|t| t % interval_ms == 0)
            );
            let cap =
                venue_config.funding_cap_per_8h * f64::from(venue.funding_interval_hours) / 8.0;
            assert!(
                venue.funding.values().iter().all(|f| f.abs() <= cap),
                "{}",
                venue.venue
            );
            // Not a constant: the premium moves it away from the interest rate at times.
            assert!(venue.funding.values().iter().any(|f| {
                (f * 8.0 / venue_config.funding_interval_hours as f64 - 1e-4).abs() > 1e-4
            }));
        }
    }
}

fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

/// Each payment follows the premium of its own interval, measured here from the published mark and index.
#[test]
fn funding_moves_with_the_premium_of_its_interval() {
    for asset in &default_market().assets {
        for venue in &asset.venues {
            let interval_ms = i64::from(venue.funding_interval_hours) * HOUR_MS;
            let (premiums, rates): (Vec<f64>, Vec<f64>) = venue
                .funding
                .iter()
                .map(|(paid_ms, rate)| {
                    let marks = venue.mark.between(paid_ms - interval_ms + HOUR_MS, paid_ms);
                    let premium = marks
                        .iter()
                        .map(|(t, m)| m / asset.index.value_as_of(t).unwrap() - 1.0)
                        .sum::<f64>()
                        / marks.len() as f64;
                    (premium, rate)
                })
                .unzip();
            let r = correlation(&premiums, &rates);
            assert!(r > 0.5, "{} {}: correlation {r}", asset.symbol, venue.venue);
        }
    }
}

/// Open interest is the traders' larger side (the liquidity providers hold the difference), recomputed here
/// from the positions themselves after every simulated hour.
#[test]
fn open_interest_equals_the_open_positions_every_hour() {
    let mut stepper = Stepper::new(SimConfig {
        hours: 96,
        ..SimConfig::default()
    });
    for hour in 0..96 {
        stepper.step();
        for asset in &stepper.assets {
            for venue in &asset.venues {
                let (long, short) = venue.trader_sides();
                let published = venue.record.open_interest_base[hour];
                assert!(published >= 0.0);
                assert_eq!(published, long.max(short));
                let mark = venue.record.mark[hour];
                assert_eq!(venue.record.open_interest_usd[hour], published * mark);
            }
        }
    }
}

#[test]
fn ratios_are_positive_and_market_cap_is_index_times_supply() {
    let market = default_market();
    for (asset, asset_config) in market.assets.iter().zip(&market.config.assets) {
        for (price, cap) in asset
            .index
            .values()
            .iter()
            .zip(asset.market_cap_usd.values())
        {
            assert_eq!(*cap, price * asset_config.circulating_supply);
        }
        for venue in &asset.venues {
            assert!(
                venue
                    .long_short_account_ratio
                    .values()
                    .iter()
                    .all(|r| *r > 0.0)
            );
            assert!(
                venue
                    .top_trader_position_ratio
                    .values()
                    .iter()
                    .all(|r| *r > 0.0)
            );
            // The mark stays within 3 % of the index (a burst of forced sales on the thinnest venue can push it
            // past 1 % for a few minutes; arbitrage pulls it back).
            for ((t, mark), index) in venue.mark.iter().zip(asset.index.values()) {
                let premium = mark / index - 1.0;
                assert!(
                    premium.abs() < 0.03,
                    "{} {} {t}: {premium}",
                    asset.symbol,
                    venue.venue
                );
            }
        }
    }
}

/// A forced close is a market order: it fills at a price its own bar traded at, within the simulated month.
#[test]
fn liquidations_fill_inside_their_bar_range() {
    for asset in &default_market().assets {
        for venue in &asset.venues {
            assert!(!venue.liquidations.is_empty());
            for liquidation in &venue.liquidations {
                let bar_open = liquidation.time_ms - liquidation.time_ms.rem_euclid(HOUR_MS);
                let bar = venue
                    .bars
                    .iter()
                    .find(|b| b.open_time_ms == bar_open)
                    .expect("inside the month");
                assert!(liquidation.price >= bar.low && liquidation.price <= bar.high);
                assert!(liquidation.quantity > 0.0 && liquidation.time_ms % 60_000 == 0);
            }
            assert!(
                venue.liquidated_base(Side::Long) > 0.0 && venue.liquidated_base(Side::Short) > 0.0
            );
        }
    }
}

/// One quote a minute over the last day, never crossed, bracketing a price its bar traded at.
#[test]
fn quotes_cover_the_last_day_inside_their_bars() {
    let end_ms = default_market().assets[0].index.last().unwrap().0;
    for asset in &default_market().assets {
        for venue in &asset.venues {
            assert_eq!(venue.quotes.len(), 1_440);
            assert_eq!(venue.quotes[0].time_ms, end_ms - DAY_MS);
            assert!(
                venue
                    .quotes
                    .windows(2)
                    .all(|w| w[1].time_ms - w[0].time_ms == 60_000)
            );
            for quote in &venue.quotes {
                let bar_open = quote.time_ms - quote.time_ms.rem_euclid(HOUR_MS);
                let bar = venue
                    .bars
                    .iter()
                    .find(|b| b.open_time_ms == bar_open)
                    .unwrap();
                assert!(
                    quote.bid_price < quote.ask_price
                        && quote.bid_size > 0.0
                        && quote.ask_size > 0.0
                );
                assert!(quote.bid_price <= bar.high && quote.ask_price >= bar.low);
            }
        }
    }
}

#[test]
fn order_book_is_sorted_and_uncrossed_at_the_last_price() {
    for asset in &default_market().assets {
        for venue in &asset.venues {
            let book = &venue.order_book;
            let last = venue.bars.last().unwrap().close;
            assert_eq!((book.bids.len(), book.asks.len()), (50, 50));
            assert!(book.bids.windows(2).all(|w| w[0].price > w[1].price));
            assert!(book.asks.windows(2).all(|w| w[0].price < w[1].price));
            assert!(book.bids[0].price <= last && last <= book.asks[0].price);
            assert!(book.bids.iter().chain(&book.asks).all(|l| l.size > 0.0));
        }
    }
}

/// Marks above intrinsic, expiries 7–90 days out, and a smile that leans the way the last two weeks went
/// (put skew after a fall).
#[test]
fn option_marks_exceed_intrinsic_and_skew_follows_recent_returns() {
    for asset in &default_market().assets {
        let (end_ms, spot) = asset.index.last().unwrap();
        let two_weeks_ago = asset.index.value_as_of(end_ms - 14 * DAY_MS).unwrap();
        for quote in &asset.option_chain {
            let intrinsic = match quote.kind {
                OptionKind::Call => (quote.underlying_price - quote.strike).max(0.0),
                OptionKind::Put => (quote.strike - quote.underlying_price).max(0.0),
            };
            assert!(quote.mark_price >= intrinsic && quote.mark_price > 0.0);
            let days = (quote.expiry_ms - end_ms) / DAY_MS;
            assert!((7..=90).contains(&days) && quote.mark_iv > 0.0);
        }
        // The smile is quadratic in log-moneyness, so three calls of the 30-day expiry pin its slope at the money.
        let mut month: Vec<(f64, f64)> = asset
            .option_chain
            .iter()
            .filter(|q| q.expiry_ms == end_ms + 30 * DAY_MS && q.kind == OptionKind::Call)
            .map(|q| ((q.strike / q.underlying_price).ln(), q.mark_iv))
            .collect();
        month.sort_by(|a, b| a.0.total_cmp(&b.0));
        let [(x1, v1), (x2, v2), (x3, v3)] =
            [month[0], month[month.len() / 2], month[month.len() - 1]];
        let curvature = ((v3 - v2) / (x3 - x2) - (v2 - v1) / (x2 - x1)) / (x3 - x1);
        let slope_at_the_money = (v2 - v1) / (x2 - x1) - curvature * (x1 + x2);
        assert_eq!(
            slope_at_the_money < 0.0,
            spot < two_weeks_ago,
            "{}: slope {slope_at_the_money}",
            asset.symbol
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Any seed and a short horizon: the accounting identities hold, not just for the shipped seed.
    #[test]
    fn short_runs_are_coherent_for_any_seed(seed in any::<u64>(), hours in 25u32..60) {
        let config = SimConfig { seed, hours, ..SimConfig::default() };
        let market = simulate(&config).unwrap();
        for asset in &market.assets {
            prop_assert!(bars_are_coherent(&asset.spot_bars));
            for (venue, venue_config) in asset.venues.iter().zip(&config.venues) {
                prop_assert!(bars_are_coherent(&venue.bars));
                prop_assert!(venue.open_interest_base.values().iter().all(|oi| *oi >= 0.0));
                let cap = venue_config.funding_cap_per_8h * f64::from(venue_config.funding_interval_hours) / 8.0;
                prop_assert!(venue.funding.values().iter().all(|f| f.abs() <= cap));
                prop_assert!(venue.quotes.iter().all(|q| q.bid_price < q.ask_price));
                prop_assert_eq!(venue.quotes.len(), 1_440);
            }
        }
    }
}
