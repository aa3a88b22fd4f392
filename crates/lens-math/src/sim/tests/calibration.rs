//! The embedded sample at real scale: every aggregate the sample shows is checked against the published range for
//! its month in `CALIBRATION.md`, which is this test's single source (the table is read, row by row). A failure
//! names the row's source, so the figure can be checked one click away.

use crate::series::{DAY_MS, HOUR_MS};
use crate::sim::config::SimConfig;
use crate::sim::output::{SimulatedAsset, SimulatedMarket, SimulatedVenue};
use crate::sim::simulate;

const TABLE: &str = include_str!("../CALIBRATION.md");

/// One row of the table: a metric of one asset on one venue (or `all`), its range, and where it comes from.
#[derive(Debug)]
struct Target<'a> {
    metric: &'a str,
    asset: &'a str,
    venue: &'a str,
    low: f64,
    high: f64,
    source: &'a str,
}

/// The rows of the calibration table (lines of `| metric | asset | venue | low | high | unit | source |`).
fn targets() -> Vec<Target<'static>> {
    TABLE
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let number = |s: &str| -> f64 {
                s.replace([',', '_', ' '], "")
                    .parse()
                    .unwrap_or_else(|_| panic!("not a number: {s} in {line}"))
            };
            Target {
                metric: cells[0].trim_matches('`'),
                asset: cells[1],
                venue: cells[2],
                low: number(cells[3]),
                high: number(cells[4]),
                source: cells[6],
            }
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|v| v.is_finite());
    crate::sort::sort_floats(&mut values);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A value per UTC day: `f` summed over the day's items.
fn per_day<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    time: impl Fn(&T) -> i64,
    value: impl Fn(&T) -> f64,
    start_ms: i64,
    days: i64,
) -> Vec<f64> {
    let mut sums = vec![0.0; usize::try_from(days).unwrap_or(0)];
    for item in items {
        let day = (time(item) - start_ms).div_euclid(DAY_MS);
        if let Some(sum) = usize::try_from(day).ok().and_then(|d| sums.get_mut(d)) {
            *sum += value(item);
        }
    }
    sums
}

/// Funding of a venue per 8-hour window (00:00–08:00, 08:00–16:00, 16:00–24:00 UTC): what a position held
/// through the window paid. An 8-hourly venue pays once in it; an hourly venue's eight payments are summed, which
/// is how the published "per 8 h" figures compare venues. Windows the month cuts short are left out.
fn funding_per_8h(v: &SimulatedVenue) -> Vec<f64> {
    const WINDOW_MS: i64 = 8 * HOUR_MS;
    let payments_per_window = (8 / v.funding_interval_hours.max(1)).max(1) as usize;
    let mut windows: Vec<(i64, f64, usize)> = Vec::new();
    for (t, r) in v.funding.times_ms().iter().zip(v.funding.values()) {
        // A payment at 08:00 settles the window that ends then.
        let w = (t - 1).div_euclid(WINDOW_MS);
        match windows.last_mut() {
            Some((last, sum, count)) if *last == w => {
                *sum += r;
                *count += 1;
            }
            _ => windows.push((w, *r, 1)),
        }
    }
    windows
        .into_iter()
        .filter(|(_, _, count)| *count == payments_per_window)
        .map(|(_, sum, _)| sum)
        .collect()
}

/// ±1 % depth of the final book: the USD value of every bid within 1 % below the mid and every ask within 1 %
/// above it.
fn depth_1pct_usd(v: &SimulatedVenue) -> f64 {
    let book = &v.order_book;
    let (Some(bid), Some(ask)) = (book.bids.first(), book.asks.first()) else {
        return f64::NAN;
    };
    let mid = (bid.price + ask.price) / 2.0;
    let within = |levels: &[crate::market::BookLevel]| -> f64 {
        levels
            .iter()
            .filter(|l| (l.price / mid - 1.0).abs() <= 0.01)
            .map(|l| l.price * l.size)
            .sum()
    };
    within(&book.bids) + within(&book.asks)
}

/// Annualised close-to-close volatility of the index's daily closes (√365: crypto trades every day).
fn realised_vol(asset: &SimulatedAsset) -> f64 {
    let closes: Vec<f64> = asset
        .index
        .times_ms()
        .iter()
        .zip(asset.index.values())
        .filter(|(t, _)| t.rem_euclid(DAY_MS) == 0)
        .map(|(_, v)| *v)
        .collect();
    let returns: Vec<f64> = closes.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    let n = returns.len() as f64;
    let mean = returns.iter().sum::<f64>() / n;
    let var = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (var * 365.0).sqrt()
}

/// The value of `metric` for (asset, venue) in the sample, or `None` for an unknown metric.
fn measure(market: &SimulatedMarket, t: &Target<'_>) -> Option<f64> {
    let asset = market.asset(t.asset)?;
    let start = market.config.start_ms;
    let days = i64::from(market.config.hours) / 24;
    let venues: Vec<&SimulatedVenue> = if t.venue == "all" {
        asset.venues.iter().collect()
    } else {
        vec![asset.venue(t.venue)?]
    };
    let last = |s: &crate::series::TimeSeries| s.values().last().copied().unwrap_or(f64::NAN);
    let liquidations_per_day = || {
        per_day(
            venues.iter().flat_map(|v| &v.liquidations),
            |l| l.time_ms,
            |l| l.price * l.quantity,
            start,
            days,
        )
    };
    Some(match t.metric {
        "oi_coin" => venues.iter().map(|v| last(&v.open_interest_base)).sum(),
        "oi_usd" => venues.iter().map(|v| last(&v.open_interest_usd)).sum(),
        "funding_median_8h" => median(venues.iter().flat_map(|v| funding_per_8h(v)).collect()),
        "funding_max_8h" => venues
            .iter()
            .flat_map(|v| funding_per_8h(v))
            .fold(f64::MIN, f64::max),
        "funding_min_8h" => venues
            .iter()
            .flat_map(|v| funding_per_8h(v))
            .fold(f64::MAX, f64::min),
        "account_ratio_median" => median(
            venues
                .iter()
                .flat_map(|v| v.long_short_account_ratio.values().to_vec())
                .collect(),
        ),
        "volume_usd_day" => median(per_day(
            venues.iter().flat_map(|v| &v.bars),
            |b| b.open_time_ms,
            |b| b.volume * b.close,
            start,
            days,
        )),
        "depth_1pct_usd" => venues.iter().map(|v| depth_1pct_usd(v)).sum(),
        "liquidations_usd_day_median" => median(liquidations_per_day()),
        "liquidations_usd_day_max" => liquidations_per_day().into_iter().fold(0.0, f64::max),
        "realised_vol" => realised_vol(asset),
        "market_cap_usd" => last(&asset.market_cap_usd),
        "oi_to_market_cap" => {
            venues
                .iter()
                .map(|v| last(&v.open_interest_usd))
                .sum::<f64>()
                / last(&asset.market_cap_usd)
        }
        _ => return None,
    })
}

/// The rows `market` falls outside of, each naming its value, range and source.
pub(super) fn outside_ranges(market: &SimulatedMarket) -> Vec<String> {
    let mut outside = Vec::new();
    for t in &targets() {
        let value =
            measure(market, t).unwrap_or_else(|| panic!("unknown metric or asset in row {t:?}"));
        let ok = value.is_finite() && (t.low..=t.high).contains(&value);
        if std::env::var_os("CALIBRATION_REPORT").is_some() {
            println!(
                "{:>4} {:28} {:4} {:12} {value:>16.6} in [{}, {}]",
                if ok { "ok" } else { "OUT" },
                t.metric,
                t.asset,
                t.venue,
                t.low,
                t.high
            );
        }
        if !ok {
            outside.push(format!(
                "{} of {} on {} is {value:.6}, outside [{}, {}] (source: {})",
                t.metric, t.asset, t.venue, t.low, t.high, t.source
            ));
        }
    }
    outside
}

#[test]
fn every_size_the_sample_shows_is_within_its_published_range() {
    assert!(
        targets().len() >= 45,
        "the table lost rows: {}",
        targets().len()
    );
    let market = simulate(&SimConfig::default()).expect("the default sample simulates");
    let outside = outside_ranges(&market);
    assert!(
        outside.is_empty(),
        "{} sizes out of range:\n{}",
        outside.len(),
        outside.join("\n")
    );
}

/// How the model, not one seed, sits against the table: for each row, the median over 40 seeds and how many of
/// them fall in range. Run with `cargo test --release -p lens-math calibration_across_seeds -- --ignored
/// --nocapture` after changing a model constant, before choosing a seed.
#[test]
#[ignore = "a report over 40 seeds, for tuning"]
fn calibration_across_seeds() {
    let targets = targets();
    let markets: Vec<SimulatedMarket> = (1..=40)
        .filter_map(|seed| {
            simulate(&SimConfig {
                seed,
                ..SimConfig::default()
            })
            .ok()
        })
        .collect();
    for t in &targets {
        let values: Vec<f64> = markets.iter().filter_map(|m| measure(m, t)).collect();
        let inside = values
            .iter()
            .filter(|v| (t.low..=t.high).contains(*v))
            .count();
        println!(
            "{:28} {:4} {:12} median {:>16.6} in range {inside:>2}/{} [{}, {}]",
            t.metric,
            t.asset,
            t.venue,
            median(values.clone()),
            values.len(),
            t.low,
            t.high
        );
    }
}

/// The rows one seed falls outside of: `SEED=206 cargo test --release -p lens-math seed_report -- --ignored
/// --nocapture`.
#[test]
#[ignore = "a report for one seed, for choosing DEFAULT_SEED"]
fn seed_report() {
    let seed = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(super::DEFAULT_SEED);
    let market = simulate(&SimConfig {
        seed,
        ..SimConfig::default()
    })
    .expect("simulates");
    for row in outside_ranges(&market) {
        println!("seed {seed}: {row}");
    }
    println!("{}", super::cycle::story(&market));
}
