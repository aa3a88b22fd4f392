//! The story the default sample must tell, checked with the glossary's own rules: leverage builds up, then a
//! cascade the model produces flushes it, and the deleveraging-cycles detector (term 13) confirms the flush.

use super::default_market;
use crate::series::HOUR_MS;
use crate::sim::*;

/// Binance's interest component, the funding level of a market with nothing to pay for.
const INTEREST_PER_8H: f64 = 0.0001;

/// Sum of the venues' hourly open interest in coin units.
pub(super) fn aggregate_open_interest_base(asset: &SimulatedAsset) -> Vec<f64> {
    (0..asset.index.len())
        .map(|h| {
            asset
                .venues
                .iter()
                .map(|v| v.open_interest_base.values()[h])
                .sum()
        })
        .collect()
}

/// Liquidated USD per hourly bar, all venues together.
pub(super) fn hourly_liquidated_usd(asset: &SimulatedAsset) -> Vec<f64> {
    let start = asset.venues[0].bars[0].open_time_ms;
    let mut usd = vec![0.0; asset.index.len()];
    for liquidation in asset.venues.iter().flat_map(|v| &v.liquidations) {
        usd[((liquidation.time_ms - start) / HOUR_MS) as usize] +=
            liquidation.price * liquidation.quantity;
    }
    usd
}

/// Funding per 8 h as of each hour end, weighted by each venue's open interest (glossary term 9's aggregate).
fn funding_per_8h_as_of(asset: &SimulatedAsset) -> Vec<f64> {
    let times = asset.index.times_ms();
    times
        .iter()
        .map(|&t| {
            let (mut weighted, mut weights) = (0.0, 0.0);
            for venue in &asset.venues {
                let hours = f64::from(venue.funding_interval_hours);
                let rate = venue
                    .funding
                    .value_as_of(t)
                    .unwrap_or(INTEREST_PER_8H * hours / 8.0);
                let weight = venue.open_interest_usd.value_as_of(t).unwrap_or(0.0);
                weighted += rate * 8.0 / hours * weight;
                weights += weight;
            }
            weighted / weights
        })
        .collect()
}

/// Glossary term 13's detector with its published defaults (w 4, L 168, k 2, ρ 0.5, c 3, f0 = 0.01 %):
/// the hours flagged as a confirmed flush and their z-scores.
fn confirmed_flushes(asset: &SimulatedAsset) -> Vec<(usize, f64)> {
    let (w, lookback, k, rho, c) = (4usize, 168usize, 2.0, 0.5, 3.0);
    let oi = aggregate_open_interest_base(asset);
    let liquidated = hourly_liquidated_usd(asset);
    let funding = funding_per_8h_as_of(asset);
    let change: Vec<f64> = (0..oi.len())
        .map(|t| if t >= w { oi[t] / oi[t - w] - 1.0 } else { 0.0 })
        .collect();
    let burst_usd: Vec<f64> = (0..oi.len())
        .map(|t| liquidated[t.saturating_sub(w - 1)..=t].iter().sum())
        .collect();
    let mut events = Vec::new();
    for t in (w + lookback)..oi.len() {
        let past = &change[t - lookback..t];
        let mean = past.iter().sum::<f64>() / lookback as f64;
        let sd =
            (past.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (lookback as f64 - 1.0)).sqrt();
        let z = (change[t] - mean) / sd;
        let (now, then) = (
            funding[t] - INTEREST_PER_8H,
            funding[t - w] - INTEREST_PER_8H,
        );
        let reset = then != 0.0 && then.signum() * now <= (1.0 - rho) * then.abs();
        let mut past_bursts = burst_usd[t - lookback..t].to_vec();
        past_bursts.sort_by(f64::total_cmp);
        let median = (past_bursts[lookback / 2 - 1] + past_bursts[lookback / 2]) / 2.0;
        if z <= -k && reset && burst_usd[t] >= c * median && burst_usd[t] > 0.0 {
            events.push((t, z));
        }
    }
    events
}

/// End hours of build-ups: over 72 hours the aggregate open interest (coin) grows by at least 15 % while the
/// index rises and funding ends above 1.5× the interest rate.
fn build_up_phases(asset: &SimulatedAsset) -> Vec<usize> {
    let oi = aggregate_open_interest_base(asset);
    let funding = funding_per_8h_as_of(asset);
    let index = asset.index.values();
    (72..oi.len())
        .filter(|&t| {
            oi[t] >= 1.15 * oi[t - 72]
                && index[t] > index[t - 72]
                && funding[t] > 1.5 * INTEREST_PER_8H
        })
        .collect()
}

/// Hours of cascades: a liquidation burst (≥ 10× the month's mean hour and ≥ 0.3 % of open interest, about the
/// worst hour of January 2025), an open interest flush (≥ 5 % below the level just before, within 4 hours) and a funding reset (the excess over the
/// interest rate, positive before, at least halved 8 hours later).
fn cascades(asset: &SimulatedAsset) -> Vec<usize> {
    let oi = aggregate_open_interest_base(asset);
    let liquidated = hourly_liquidated_usd(asset);
    let funding = funding_per_8h_as_of(asset);
    let index = asset.index.values();
    let mean_usd = liquidated.iter().sum::<f64>() / liquidated.len() as f64;
    (1..oi.len().saturating_sub(8))
        .filter(|&t| {
            let burst = liquidated[t] >= 10.0 * mean_usd
                && liquidated[t] >= 0.003 * oi[t - 1] * index[t - 1];
            let flush = oi[t..t + 4].iter().copied().fold(f64::MAX, f64::min) <= 0.95 * oi[t - 1];
            let (before, after) = (
                funding[t - 1] - INTEREST_PER_8H,
                funding[t + 8] - INTEREST_PER_8H,
            );
            burst && flush && before > 0.0 && after <= 0.5 * before
        })
        .collect()
}

/// Cascades (after term 13's one-week warm-up) that term 13 confirms within a few hours and that a build-up
/// ending at most three days earlier preceded: one whole leverage cycle.
fn leverage_cycles(asset: &SimulatedAsset) -> Vec<usize> {
    let flushes = confirmed_flushes(asset);
    let builds = build_up_phases(asset);
    cascades(asset)
        .into_iter()
        .filter(|&t| t >= 172)
        .filter(|&t| flushes.iter().any(|(f, _)| *f + 2 >= t && *f <= t + 4))
        .filter(|&t| builds.iter().any(|&b| b + 72 >= t && b <= t))
        .collect()
}

/// Consecutive hours collapsed into ranges, for a readable summary ("72-78, 85").
fn ranges(hours: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut start = None;
    for (i, &hour) in hours.iter().enumerate() {
        let first = *start.get_or_insert(hour);
        if hours.get(i + 1) != Some(&(hour + 1)) {
            parts.push(if first == hour {
                format!("{hour}")
            } else {
                format!("{first}-{hour}")
            });
            start = None;
        }
    }
    parts.join(", ")
}

/// What the default sample must show: in every asset a build-up, then a model-made cascade that term 13
/// confirms as a flush (a whole leverage cycle).
fn tells_the_whole_story(market: &SimulatedMarket) -> bool {
    market.assets.iter().all(|a| !leverage_cycles(a).is_empty())
}

/// One line per asset: where the build-ups end, the cascades, term 13's flushes and the whole cycles (hours
/// since the start).
pub(super) fn story(market: &SimulatedMarket) -> String {
    let lines: Vec<String> = market
        .assets
        .iter()
        .map(|a| {
            let flushes: Vec<usize> = confirmed_flushes(a).iter().map(|(t, _)| *t).collect();
            format!(
                "{}: build-ups end at hours {}; cascades {}; term-13 flushes {}; whole cycles {}",
                a.symbol,
                ranges(&build_up_phases(a)),
                ranges(&cascades(a)),
                ranges(&flushes),
                ranges(&leverage_cycles(a))
            )
        })
        .collect();
    lines.join("\n")
}

#[test]
fn default_sample_builds_up_leverage_in_every_asset() {
    for asset in &default_market().assets {
        assert!(
            !build_up_phases(asset).is_empty(),
            "{}",
            story(default_market())
        );
    }
}

#[test]
fn default_sample_has_a_model_made_cascade_in_every_asset() {
    for asset in &default_market().assets {
        assert!(!cascades(asset).is_empty(), "{}", story(default_market()));
    }
}

/// The deleveraging-cycles page must find a confirmed flush in the sample, right after a build-up.
#[test]
fn default_cascade_follows_a_build_up_and_glossary_term_13_confirms_it() {
    for asset in &default_market().assets {
        assert!(
            !leverage_cycles(asset).is_empty(),
            "{}",
            story(default_market())
        );
    }
}

/// The burst stands out against ordinary hours, and open interest falls by over 5 % within one hour: a flush at
/// the scale of the month the sample is calibrated to, not one of the 10 %-an-hour collapses of the largest
/// cascades.
#[test]
fn cascade_hour_dwarfs_ordinary_hours_and_flushes_open_interest() {
    for asset in &default_market().assets {
        let liquidated = hourly_liquidated_usd(asset);
        let mut active: Vec<f64> = liquidated
            .iter()
            .copied()
            .filter(|usd| *usd > 0.0)
            .collect();
        active.sort_by(f64::total_cmp);
        let median_active_hour = active[active.len() / 2];
        let mean_hour = liquidated.iter().sum::<f64>() / liquidated.len() as f64;
        let worst = liquidated.iter().copied().fold(0.0, f64::max);
        assert!(
            worst >= 30.0 * mean_hour && worst >= 40.0 * median_active_hour,
            "{}: worst hour {worst:.0}, {:.1}× the mean hour, {:.1}× the median active hour",
            asset.symbol,
            worst / mean_hour,
            worst / median_active_hour
        );
        let oi = aggregate_open_interest_base(asset);
        let worst_hourly_change = oi.windows(2).map(|w| w[1] / w[0] - 1.0).fold(0.0, f64::min);
        assert!(
            worst_hourly_change <= -0.05,
            "{}: {worst_hourly_change}",
            asset.symbol
        );
    }
}

/// Lists seeds whose month shows a whole leverage cycle in every asset, with how many sizes fall outside their
/// published ranges: the tool for choosing [`DEFAULT_SEED`] again after a model change. Run with
/// `cargo test --release -p lens-math --lib default_seed_candidates -- --ignored --nocapture`; `FIRST_SEED`
/// and `SEEDS` set the range searched (1..1000), and `STORY=1` also lists the calibrated seeds, which parts of
/// the story each asset has and how often each range is missed (about 37 s per 1,000 seeds on 2 cores; run two
/// ranges side by side).
#[test]
#[ignore]
fn default_seed_candidates() {
    let (mut stories, mut calibrated) = (0, 0);
    let mut counts = std::collections::BTreeMap::new();
    let mut failures: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let last_seed: u64 = std::env::var("SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let first_seed: u64 = std::env::var("FIRST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for seed in first_seed..last_seed {
        let market = simulate(&SimConfig {
            seed,
            ..SimConfig::default()
        })
        .unwrap();
        let rows = super::calibration::outside_ranges(&market);
        let outside = rows.len();
        if std::env::var_os("STORY").is_some() {
            for row in &rows {
                let key = row.split(" is ").next().unwrap_or_default().to_string();
                *failures.entry(key).or_insert(0) += 1;
            }
        }
        calibrated += usize::from(outside == 0);
        if outside == 0 && std::env::var_os("STORY").is_some() {
            let cycles: Vec<Vec<usize>> = market.assets.iter().map(leverage_cycles).collect();
            let parts: Vec<(bool, bool)> = market
                .assets
                .iter()
                .map(|a| (!build_up_phases(a).is_empty(), !cascades(a).is_empty()))
                .collect();
            println!("calibrated seed {seed}: cycles {cycles:?}, (build-up, cascade) {parts:?}");
        }
        if std::env::var_os("STORY").is_some() {
            for a in &market.assets {
                let key = (
                    a.symbol.clone(),
                    !build_up_phases(a).is_empty(),
                    !cascades(a).is_empty(),
                );
                *counts.entry(key).or_insert(0) += 1;
            }
        }
        if tells_the_whole_story(&market) {
            stories += 1;
            let cycles: Vec<Vec<usize>> = market.assets.iter().map(leverage_cycles).collect();
            println!("seed {seed}: whole cycles at hours {cycles:?}, {outside} sizes out of range");
        }
    }
    println!("{stories} seeds tell the whole story, {calibrated} are within every range");
    if std::env::var_os("STORY").is_some() {
        println!("(asset, build-up, cascade): seeds {counts:?}");
        for (row, n) in &failures {
            println!("{n:>4} seeds outside: {row}");
        }
    }
}
