//! The detectors on the embedded simulated sample, and the properties every annotation list must have.

use crate::annotations::*;
use crate::cppi::Cppi;
use crate::cycles::FlushInputs;
use crate::funding::{BINANCE_INTEREST_PER_8H, funding_series_per_8h};
use crate::market::Liquidation;
use crate::rng::SplitMix64;
use crate::series::HOUR_MS;
use crate::sim::{SimConfig, SimulatedMarket, SimulatedVenue, simulate};
use proptest::prelude::*;
use std::sync::OnceLock;

/// 20 January 2025 12:00 UTC, hour 468 of the sample: the market-wide cascade the seed was chosen for
/// (`sim::config::DEFAULT_SEED`).
const CASCADE_MS: i64 = 1_737_374_400_000;
const CASCADE_HOUR: i64 = 468;

fn sample() -> &'static SimulatedMarket {
    static MARKET: OnceLock<SimulatedMarket> = OnceLock::new();
    MARKET.get_or_init(|| simulate(&SimConfig::default()).unwrap())
}

/// One venue's annotations with default detectors, inputs aligned the way the app must align them.
struct VenueMarks {
    funding: Vec<Annotation>,
    flushes: Vec<Annotation>,
    bursts: Vec<Annotation>,
}

impl VenueMarks {
    /// Every kind together, as a chart of this venue would get them before the limit.
    fn all(self) -> impl Iterator<Item = Annotation> {
        self.funding
            .into_iter()
            .chain(self.flushes)
            .chain(self.bursts)
    }
}

fn venue_marks(venue: &SimulatedVenue) -> VenueMarks {
    let interval = f64::from(venue.funding_interval_hours);
    let bar_opens: Vec<i64> = venue.bars.iter().map(|b| b.open_time_ms).collect();
    // Open interest is stamped at each bar's end, so bar h's liquidations sit at OI index h.
    let liquidated: Vec<f64> = liquidations_per_bar(&bar_opens, HOUR_MS, &venue.liquidations)
        .unwrap()
        .iter()
        .map(BarLiquidations::total_usd)
        .collect();
    let times = venue.open_interest_base.times_ms();
    assert_eq!(times.first(), Some(&(bar_opens[0] + HOUR_MS)));
    let per_8h = funding_series_per_8h(&venue.funding, interval).unwrap();
    // Before the first payment, funding sits at its neutral level.
    let funding: Vec<f64> = times
        .iter()
        .map(|&t| per_8h.value_as_of(t).unwrap_or(BINANCE_INTEREST_PER_8H))
        .collect();
    let inputs = FlushInputs {
        times_ms: times,
        open_interest_coin: venue.open_interest_base.values(),
        price: venue.mark.values(),
        funding_per_8h: &funding,
        liquidated_usd: Some(&liquidated),
    };
    VenueMarks {
        funding: FundingExtremes::default()
            .detect(&venue.funding, interval)
            .unwrap(),
        flushes: OiFlushes::default().detect(&inputs).unwrap(),
        bursts: LiquidationBursts::default()
            .detect(&bar_opens, &venue.liquidations)
            .unwrap(),
    }
}

/// Hours since the sample's start.
fn hour(time_ms: i64) -> i64 {
    (time_ms - SimConfig::default().start_ms) / HOUR_MS
}

fn hours(marks: &[Annotation]) -> Vec<i64> {
    marks.iter().map(|m| hour(m.time_ms)).collect()
}

/// The cascade, seen the way the glossary tells it: funding extremes, the liquidation burst and, once the next
/// 8-hourly payment shows funding reset, a confirmed flush of open interest, all on BTC's Bybit-like venue.
#[test]
fn sample_btc_shows_funding_extremes_a_confirmed_flush_and_the_cascade_burst() {
    let btc = sample().asset("BTC").unwrap();
    let marks = venue_marks(btc.venue("bybit").unwrap());
    assert!(!marks.funding.is_empty());
    assert!(marks.flushes.iter().any(|m| {
        matches!(
            m.kind,
            AnnotationKind::OiFlush {
                confirmed: true,
                ..
            }
        ) && (CASCADE_MS..=CASCADE_MS + 8 * HOUR_MS).contains(&m.time_ms)
    }));
    assert!(marks.bursts.iter().any(|m| m.time_ms == CASCADE_MS));
}

/// A chart of all kinds together keeps the cascade: its long-liquidation burst is marked on the two BTC venues
/// with 8-hourly funding, which hold nine tenths of the open interest, and survives the limit there. (The
/// hourly venue is left out: the detector weighs each venue's hours against its own history, and that small
/// venue's history holds larger hours than its share of this cascade.)
#[test]
fn sample_cascade_burst_is_marked_on_the_large_btc_venues_and_survives_the_limit() {
    let btc = sample().asset("BTC").unwrap();
    let large = btc.venues.iter().filter(|v| v.funding_interval_hours == 8);
    assert_eq!(large.clone().count(), 2);
    for venue in large {
        let marks = venue_marks(venue);
        assert!(
            hours(&marks.bursts).contains(&CASCADE_HOUR),
            "{}: bursts at hours {:?}",
            venue.venue,
            hours(&marks.bursts)
        );
        let kept = AnnotationLimit::default().apply(marks.all());
        assert!(kept.len() <= 12);
        let cascade = kept
            .iter()
            .find(|m| {
                m.time_ms == CASCADE_MS && matches!(m.kind, AnnotationKind::LiquidationBurst { .. })
            })
            .unwrap_or_else(|| {
                panic!(
                    "{}: the cascade burst did not survive the limit",
                    venue.venue
                )
            });
        assert!(matches!(
            cascade.kind,
            AnnotationKind::LiquidationBurst {
                side: Side::Long,
                ..
            }
        ));
    }
}

/// What the sample yields, per venue (hours since 1 January 2025 00:00 UTC); run with `--nocapture`.
#[test]
fn sample_yield_summary() {
    for asset in &sample().assets {
        for venue in &asset.venues {
            let marks = venue_marks(venue);
            let confirmed: Vec<bool> = marks
                .flushes
                .iter()
                .map(|m| {
                    matches!(
                        m.kind,
                        AnnotationKind::OiFlush {
                            confirmed: true,
                            ..
                        }
                    )
                })
                .collect();
            println!(
                "{} {}: funding {:?}; flushes {:?} confirmed {:?}; bursts {:?}",
                asset.symbol,
                venue.venue,
                hours(&marks.funding),
                hours(&marks.flushes),
                confirmed,
                hours(&marks.bursts),
            );
            let kept = AnnotationLimit::default().apply(marks.all());
            for mark in kept {
                println!(
                    "    {:>4} h  {:5.2}  {}",
                    hour(mark.time_ms),
                    mark.severity,
                    mark.label
                );
            }
        }
    }
}

/// Sorted by time, one per time, at input timestamps, severe enough, labelled and linked.
fn assert_well_formed(marks: &[Annotation], times: &[i64]) {
    assert!(marks.windows(2).all(|w| w[0].time_ms < w[1].time_ms));
    for mark in marks {
        assert!(times.binary_search(&mark.time_ms).is_ok(), "{mark:?}");
        assert!(
            mark.severity.is_finite() && mark.severity >= 1.0,
            "{mark:?}"
        );
        assert!(mark.value.is_finite() && !mark.label.is_empty());
        assert!(terms::ALL.contains(&mark.term_slug));
    }
}

/// Standard normal draws with a jump of 8 in 3 % of them, so that extremes happen.
fn noisy(rng: &mut SplitMix64, n: usize, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let noise = rng.normal();
            let jump = if rng.next_f64() < 0.03 { 8.0 } else { 0.0 };
            scale * (noise + jump * noise.signum())
        })
        .collect()
}

proptest! {
    #[test]
    fn funding_annotations_are_well_formed(seed in any::<u64>(), n in 0usize..300) {
        let mut rng = SplitMix64::new(seed);
        let rates: Vec<f64> = noisy(&mut rng, n, 0.0001).iter().map(|x| 0.0001 + x).collect();
        let times: Vec<i64> = (0..n as i64).map(|i| i * 8 * HOUR_MS).collect();
        let series = TimeSeries::new(times.clone(), rates).unwrap();
        match FundingExtremes::default().detect(&series, 8.0) {
            Ok(marks) => assert_well_formed(&marks, &times),
            Err(e) => prop_assert_eq!(e, MathError::NotEnoughData { needed: 31, got: n }),
        }
    }

    #[test]
    fn burst_annotations_are_well_formed(seed in any::<u64>(), n in 0usize..400, count in 0usize..600) {
        let mut rng = SplitMix64::new(seed);
        let times: Vec<i64> = (0..n as i64).map(|h| h * HOUR_MS).collect();
        let span = (n as f64 + 2.0) * HOUR_MS as f64;
        let feed: Vec<Liquidation> = (0..count)
            .map(|_| Liquidation {
                time_ms: (rng.next_f64() * span) as i64 - HOUR_MS,
                side: if rng.next_f64() < 0.5 { Side::Long } else { Side::Short },
                price: 100.0,
                // Heavy-tailed sizes: 10 USD to 10 M USD, log-uniform.
                quantity: 10f64.powf(-1.0 + 6.0 * rng.next_f64()),
            })
            .collect();
        match LiquidationBursts::default().detect(&times, &feed) {
            Ok(marks) => assert_well_formed(&marks, &times),
            Err(e) => prop_assert_eq!(e, MathError::NotEnoughData { needed: 169, got: n }),
        }
    }

    #[test]
    fn flush_annotations_are_well_formed(seed in any::<u64>(), n in 0usize..400) {
        let mut rng = SplitMix64::new(seed);
        let times: Vec<i64> = (0..n as i64).map(|h| h * HOUR_MS).collect();
        let walk = |steps: Vec<f64>, start: f64| -> Vec<f64> {
            steps.iter().scan(start, |level, step| { *level *= step.exp(); Some(*level) }).collect()
        };
        let oi = walk(noisy(&mut rng, n, 0.01), 80_000.0);
        let price = walk(noisy(&mut rng, n, 0.005), 60_000.0);
        let funding: Vec<f64> = noisy(&mut rng, n, 0.0002).iter().map(|x| 0.0001 + x).collect();
        let liquidated: Vec<f64> = noisy(&mut rng, n, 1e6).iter().map(|x| x.abs()).collect();
        let inputs = FlushInputs {
            times_ms: &times,
            open_interest_coin: &oi,
            price: &price,
            funding_per_8h: &funding,
            liquidated_usd: Some(&liquidated),
        };
        match OiFlushes::default().detect(&inputs) {
            Ok(marks) => assert_well_formed(&marks, &times),
            Err(e) => prop_assert_eq!(e, MathError::NotEnoughData { needed: 173, got: n }),
        }
    }

    #[test]
    fn gap_annotations_are_well_formed(seed in any::<u64>(), n in 2usize..300, m in 1.0f64..8.0) {
        let mut rng = SplitMix64::new(seed);
        let times: Vec<i64> = (0..n as i64).map(|d| d * 86_400_000).collect();
        let prices: Vec<f64> = noisy(&mut rng, n, 0.02)
            .iter()
            .scan(100.0, |p, r| { *p *= 1.0 + r.max(-0.9); Some(*p) })
            .collect();
        let rule = Cppi::new(m, Some(2.0), 0.0, 0.0).unwrap();
        let steps = rule.run(&TimeSeries::new(times.clone(), prices).unwrap(), 100.0, 80.0).unwrap();
        assert_well_formed(&GapRiskEvents::default().detect(&rule, &steps).unwrap(), &times);
    }

    /// Whatever the detectors give, a chart gets at most `limit` markers, in time order, the most severe ones.
    #[test]
    fn the_limit_keeps_at_most_the_most_severe(seed in any::<u64>(), n in 0usize..60, limit in 1usize..20) {
        let mut rng = SplitMix64::new(seed);
        let all: Vec<Annotation> = (0..n)
            .map(|_| Annotation {
                time_ms: (rng.next_f64() * 1e6) as i64,
                value: 0.0,
                kind: AnnotationKind::GapRisk { risky_return: -0.3, below_floor: false },
                label: "gap".into(),
                term_slug: terms::LEVERAGE_MANAGEMENT_IN_CPPI,
                severity: 1.0 + 4.0 * rng.next_f64(),
            })
            .collect();
        let kept = AnnotationLimit::new(limit).unwrap().apply(all.clone());
        prop_assert_eq!(kept.len(), n.min(limit));
        prop_assert!(kept.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
        let weakest_kept = kept.iter().map(|m| m.severity).fold(f64::INFINITY, f64::min);
        let dropped = all.iter().filter(|m| !kept.contains(m));
        for m in dropped {
            prop_assert!(m.severity <= weakest_kept);
        }
    }
}
