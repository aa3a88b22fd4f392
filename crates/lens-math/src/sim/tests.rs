//! Whole-market specifications: determinism, the golden checksum, config validation and size.

mod calibration;
mod coherence;
mod cycle;

use super::*;
use crate::error::MathError;
use crate::series::HOUR_MS;
use std::sync::OnceLock;

/// Checksum of `simulate(&SimConfig::default())`. Update procedure: `sim/mod.rs`, section "Golden checksum".
const GOLDEN_CHECKSUM: u64 = 0x0d88_7904_1d72_e12e;

/// The default sample, simulated once for all tests of the module.
pub(super) fn default_market() -> &'static SimulatedMarket {
    static MARKET: OnceLock<SimulatedMarket> = OnceLock::new();
    MARKET.get_or_init(|| simulate(&SimConfig::default()).expect("the default config is valid"))
}

#[test]
fn same_config_gives_the_same_bytes() {
    let config = SimConfig::default();
    let first = simulate(&config).unwrap();
    let second = simulate(&config).unwrap();
    assert!(first == second);
    assert_eq!(first.checksum(), second.checksum());
}

#[test]
fn another_seed_gives_another_market() {
    let other = simulate(&SimConfig {
        seed: DEFAULT_SEED + 1,
        ..SimConfig::default()
    })
    .unwrap();
    assert_ne!(other.checksum(), default_market().checksum());
    assert_ne!(other.assets[0].index, default_market().assets[0].index);
}

/// Notices any change of the model or the default config; see the module docs for how to update it.
#[test]
fn default_sample_matches_golden_checksum() {
    let market = default_market();
    let checksum = market.checksum();
    println!("checksum {checksum:#018x}\n{}", cycle::story(market));
    assert_eq!(
        checksum, GOLDEN_CHECKSUM,
        "the default sample changed; see sim/mod.rs \"Golden checksum\""
    );
}

/// Every config error is caught before any work, with a typed error naming the field.
#[test]
fn invalid_configs_are_typed_errors() {
    let base = SimConfig::default();
    let with_asset = |edit: fn(&mut AssetConfig)| {
        let mut config = base.clone();
        edit(&mut config.assets[0]);
        config
    };
    let with_venue = |edit: fn(&mut VenueConfig)| {
        let mut config = base.clone();
        edit(&mut config.venues[0]);
        config
    };
    let cases = vec![
        SimConfig {
            hours: 0,
            ..base.clone()
        },
        SimConfig {
            hours: MAX_HOURS + 1,
            ..base.clone()
        },
        SimConfig {
            start_ms: base.start_ms + 1,
            ..base.clone()
        },
        SimConfig {
            start_ms: -HOUR_MS,
            ..base.clone()
        },
        SimConfig {
            asset_correlation: 1.0,
            ..base.clone()
        },
        SimConfig {
            asset_correlation: f64::NAN,
            ..base.clone()
        },
        SimConfig {
            news_jump_probability_per_hour: -0.1,
            ..base.clone()
        },
        SimConfig {
            assets: vec![],
            ..base.clone()
        },
        SimConfig {
            venues: vec![],
            ..base.clone()
        },
        SimConfig {
            venues: vec![base.venues[0].clone(); MAX_VENUES + 1],
            ..base.clone()
        },
        with_asset(|a| a.initial_price_usd = f64::NAN),
        with_asset(|a| a.initial_price_usd = -1.0),
        with_asset(|a| a.annual_volatility = 0.0),
        with_asset(|a| a.annual_volatility = f64::INFINITY),
        with_asset(|a| a.circulating_supply = 0.0),
        with_asset(|a| a.depth_usd_per_pct = -5.0),
        with_asset(|a| a.tick_size_usd = 10_000.0),
        with_asset(|a| a.news_jump_sd = f64::NAN),
        with_asset(|a| a.symbol.clear()),
        with_venue(|v| v.funding_interval_hours = 0),
        with_venue(|v| v.funding_interval_hours = 25),
        with_venue(|v| v.interest_per_8h = f64::NAN),
        with_venue(|v| v.funding_cap_per_8h = 0.0),
        with_venue(|v| v.maintenance_margin_rate = 0.02),
        with_venue(|v| v.max_leverage = 0.5),
        with_venue(|v| v.market_share = f64::INFINITY),
        with_venue(|v| v.liquidity_share = 0.0),
        with_venue(|v| v.traders_per_asset = 1),
        with_venue(|v| v.name.clear()),
    ];
    for (case, config) in cases.iter().enumerate() {
        let result = simulate(config);
        assert!(
            matches!(
                result,
                Err(MathError::InvalidParameter { .. } | MathError::NotFinite { .. })
            ),
            "case {case} was accepted"
        );
    }
}

/// It ships as data generated at runtime and is serialised into snapshots: stay under 1e5 numbers per venue.
#[test]
fn each_venue_stays_under_one_hundred_thousand_numbers() {
    for asset in &default_market().assets {
        for venue in &asset.venues {
            let series = [
                &venue.mark,
                &venue.funding,
                &venue.open_interest_base,
                &venue.open_interest_usd,
                &venue.long_short_account_ratio,
                &venue.top_trader_position_ratio,
            ];
            let numbers = venue.bars.len() * 7
                + series.iter().map(|s| 2 * s.len()).sum::<usize>()
                + venue.liquidations.len() * 4
                + venue.quotes.len() * 5
                + (venue.order_book.bids.len() + venue.order_book.asks.len()) * 2;
            assert!(
                numbers < 100_000,
                "{} {}: {numbers}",
                asset.symbol,
                venue.venue
            );
        }
    }
}

/// Timing of the embedded sample (budget: 50 ms natively). Run with
/// `cargo test --release bench_default_sample -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_default_sample() {
    let config = SimConfig::default();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let start = std::time::Instant::now();
        std::hint::black_box(simulate(&config).unwrap());
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "simulate(&SimConfig::default()): best of 20 = {:.1} ms",
        best * 1e3
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Any config that validates simulates without error or panic, however odd: one venue or several, hourly to
    /// daily funding, 1 to 200 hours, extreme volatility, a coarse tick.
    #[test]
    fn every_valid_config_simulates(
        seed in proptest::prelude::any::<u64>(),
        hours in 1u32..200,
        volatility in 0.05f64..5.0,
        jump_sd in 0.0f64..0.2,
        interval in 1u32..=24,
        maintenance_margin_rate in 0.0001f64..0.0199,
        traders in 2u32..40,
        venue_count in 1usize..4,
        tick_fraction in 1e-6f64..0.01,
    ) {
        let mut config = SimConfig { seed, hours, ..SimConfig::default() };
        config.news_jump_probability_per_hour = 0.5;
        for asset in &mut config.assets {
            asset.annual_volatility = volatility;
            asset.news_jump_sd = jump_sd;
            asset.tick_size_usd = asset.initial_price_usd * tick_fraction;
        }
        config.venues.truncate(venue_count);
        let names: Vec<String> = config.venues.iter().map(|v| v.name.clone()).collect();
        for asset in &mut config.assets {
            asset.market_share_overrides.retain(|(venue, _)| names.contains(venue));
        }
        for venue in &mut config.venues {
            venue.funding_interval_hours = interval;
            venue.maintenance_margin_rate = maintenance_margin_rate;
            venue.traders_per_asset = traders;
        }
        proptest::prop_assert!(config.validate().is_ok());
        let market = simulate(&config);
        proptest::prop_assert!(market.is_ok(), "{:?}", market.err());
    }
}
