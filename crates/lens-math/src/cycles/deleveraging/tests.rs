use super::*;
use crate::rng::SplitMix64;
use crate::series::HOUR_MS;
use proptest::prelude::*;

/// Hourly data for glossary term 13's worked example (defaults w = 4, L = 168), built so that the 168 previous
/// 4-hour OI changes have mean +0.20 % and sample sd 1.50 % exactly (84 at μ + δ, 84 at μ − δ,
/// δ = 1.5 %·√(167/168), checked with python3 statistics), then 92,000 → 86,000 BTC, 67,400 → 63,500 USD,
/// funding 0.045 % → 0.008 % per 8 h, and 310 M USD liquidated against a median of 40 M.
struct PageData {
    times: Vec<i64>,
    oi: Vec<f64>,
    price: Vec<f64>,
    funding: Vec<f64>,
    liquidated: Vec<f64>,
}

const LAST: usize = 172;

fn page_data() -> PageData {
    let n = LAST + 1;
    let delta = 0.015 * (167.0f64 / 168.0).sqrt();
    let mut oi = vec![1.0; n];
    for (k, i) in (4..LAST).enumerate() {
        oi[i] = oi[i - 4]
            * (1.0
                + if k % 2 == 0 {
                    0.002 + delta
                } else {
                    0.002 - delta
                });
    }
    // Scale each residue class mod 4 (an independent chain of ratios) so OI_168 = 92,000 and the rest is alike.
    for class in 0..4 {
        let last = (class..LAST).step_by(4).next_back().unwrap();
        let scale = 92_000.0 / oi[last];
        (class..LAST).step_by(4).for_each(|i| oi[i] *= scale);
    }
    oi[LAST] = 86_000.0;
    let mut price = vec![67_400.0; n];
    price[LAST] = 63_500.0;
    let mut funding = vec![0.00045; n];
    funding[LAST] = 0.00008;
    let mut liquidated = vec![10e6; n];
    liquidated[LAST] = 280e6;
    PageData {
        times: (0..n as i64).map(|h| h * HOUR_MS).collect(),
        oi,
        price,
        funding,
        liquidated,
    }
}

fn inputs(d: &PageData, with_liquidations: bool) -> FlushInputs<'_> {
    FlushInputs {
        times_ms: &d.times,
        open_interest_coin: &d.oi,
        price: &d.price,
        funding_per_8h: &d.funding,
        liquidated_usd: with_liquidations.then_some(d.liquidated.as_slice()),
    }
}

/// Glossary term 13: z = (−6.52 − 0.20)/1.50 = −4.48; funding excess +0.035 % → −0.002 % (reset, below half);
/// liquidations 310/40 = 7.75 × the median; price −5.79 %: a confirmed long flush.
#[test]
fn page_example_is_a_confirmed_long_flush() {
    let d = page_data();
    let events = FlushDetector::default().detect(&inputs(&d, true)).unwrap();
    assert_eq!(events.len(), 1);
    let e = events[0];
    assert_eq!(
        (e.annotated_index, e.side, e.confirmed),
        (LAST, Some(Side::Long), true)
    );
    let bar = e.annotated;
    assert!((bar.oi_change.unwrap() - (86_000.0 / 92_000.0 - 1.0)).abs() < 1e-12);
    assert!((bar.z.unwrap() + 4.481_159).abs() < 1e-5, "z {:?}", bar.z);
    assert!((bar.funding_excess_before.unwrap() - 0.00035).abs() < 1e-15);
    assert!((bar.funding_excess_now + 0.00002).abs() < 1e-15);
    assert!((bar.liquidation_ratio.unwrap() - 7.75).abs() < 1e-12);
    assert!((bar.price_change.unwrap() + 0.057_863_5).abs() < 1e-6);
    assert_eq!(e.start_ms, e.end_ms);
}

#[test]
fn without_a_liquidation_feed_the_flush_stays_unconfirmed() {
    let d = page_data();
    let events = FlushDetector::default().detect(&inputs(&d, false)).unwrap();
    assert_eq!(events.len(), 1);
    assert!(!events[0].confirmed && events[0].annotated.liquidation_ratio.is_none());
}

/// Term 13's explicit exception: with no excess w bars ago there is nothing to reset, so no flush.
#[test]
fn no_funding_excess_before_means_no_reset() {
    let mut d = page_data();
    d.funding[LAST - 4] = 0.0001;
    let bars = FlushDetector::default().bars(&inputs(&d, true)).unwrap();
    assert_eq!(bars[LAST].funding_excess_before, Some(0.0));
    assert!(!bars[LAST].funding_reset && !bars[LAST].flagged);
}

#[test]
fn funding_that_kept_most_of_its_excess_has_not_reset() {
    let mut d = page_data();
    d.funding[LAST] = 0.0003; // excess 0.02 %, above half of 0.035 %
    assert!(
        FlushDetector::default()
            .detect(&inputs(&d, true))
            .unwrap()
            .is_empty()
    );
}

/// The rule is symmetric: shorts paying (negative excess) and a rising price make a short flush.
#[test]
fn negative_funding_reset_with_a_rising_price_is_a_short_flush() {
    let mut d = page_data();
    d.funding.iter_mut().for_each(|f| *f = -0.0001); // excess −0.02 %
    d.funding[LAST] = 0.00008; // excess −0.002 %: −1 × −0.002 % ≤ 0.01 %
    d.price[LAST] = 70_000.0;
    let events = FlushDetector::default().detect(&inputs(&d, true)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].side, Some(Side::Short));
}

#[test]
fn consecutive_flagged_bars_form_one_event_at_the_lowest_z() {
    let mut d = page_data();
    for _ in 0..3 {
        let t = d.oi.len();
        d.times.push(t as i64 * HOUR_MS);
        d.oi.push(d.oi[t - 4] * 0.9);
        d.price.push(60_000.0);
        d.funding.push(0.00008);
        d.liquidated.push(50e6);
    }
    let detector = FlushDetector::default();
    let bars = detector.bars(&inputs(&d, true)).unwrap();
    let events = detector.detect(&inputs(&d, true)).unwrap();
    assert!(bars[LAST..].iter().all(|b| b.flagged));
    assert_eq!(events.len(), 1);
    let lowest = (LAST..bars.len())
        .min_by(|&a, &b| bars[a].z.unwrap().total_cmp(&bars[b].z.unwrap()))
        .unwrap();
    assert_eq!(events[0].annotated_index, lowest);
    assert_eq!(
        (events[0].start_ms, events[0].end_ms),
        (d.times[LAST], *d.times.last().unwrap())
    );
}

#[test]
fn bad_inputs_give_typed_errors() {
    assert!(FlushDetector::new(0, 168, 2.0, 0.5, 3.0, 0.0).is_err());
    assert!(FlushDetector::new(4, 1, 2.0, 0.5, 3.0, 0.0).is_err());
    assert!(FlushDetector::new(4, 168, 0.0, 0.5, 3.0, 0.0).is_err());
    assert!(FlushDetector::new(4, 168, 2.0, 1.5, 3.0, 0.0).is_err());
    assert!(FlushDetector::new(4, 168, 2.0, f64::NAN, 3.0, 0.0).is_err());
    assert!(FlushDetector::new(4, 168, 2.0, 0.5, f64::INFINITY, 0.0).is_err());
    assert!(FlushDetector::new(4, 168, 2.0, 0.5, 3.0, f64::NAN).is_err());
    let detector = FlushDetector::default();
    let d = page_data();
    let short = &d.oi[..10];
    assert!(matches!(
        detector.bars(&FlushInputs {
            open_interest_coin: short,
            ..inputs(&d, true)
        }),
        Err(MathError::LengthMismatch { .. })
    ));
    assert!(
        detector
            .bars(&FlushInputs {
                liquidated_usd: Some(short),
                ..inputs(&d, true)
            })
            .is_err()
    );
    let unsorted: Vec<i64> = d.times.iter().rev().copied().collect();
    assert!(matches!(
        detector.bars(&FlushInputs {
            times_ms: &unsorted,
            ..inputs(&d, true)
        }),
        Err(MathError::Unsorted)
    ));
    for bad in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
        let mut oi = d.oi.clone();
        oi[3] = bad;
        assert!(
            detector
                .bars(&FlushInputs {
                    open_interest_coin: &oi,
                    ..inputs(&d, true)
                })
                .is_err()
        );
        let mut price = d.price.clone();
        price[3] = bad;
        assert!(
            detector
                .bars(&FlushInputs {
                    price: &price,
                    ..inputs(&d, true)
                })
                .is_err()
        );
    }
    let mut funding = d.funding.clone();
    funding[0] = f64::NAN;
    assert!(
        detector
            .bars(&FlushInputs {
                funding_per_8h: &funding,
                ..inputs(&d, true)
            })
            .is_err()
    );
    let mut liquidated = d.liquidated.clone();
    liquidated[0] = -1.0;
    assert!(
        detector
            .bars(&FlushInputs {
                liquidated_usd: Some(&liquidated),
                ..inputs(&d, true)
            })
            .is_err()
    );
    let empty = FlushInputs {
        times_ms: &[],
        open_interest_coin: &[],
        price: &[],
        funding_per_8h: &[],
        liquidated_usd: None,
    };
    assert!(detector.detect(&empty).unwrap().is_empty());
}

fn random_market(seed: u64, n: usize) -> PageData {
    let mut rng = SplitMix64::new(seed);
    let (mut oi, mut px) = (100_000.0f64, 60_000.0f64);
    let mut d = PageData {
        times: vec![],
        oi: vec![],
        price: vec![],
        funding: vec![],
        liquidated: vec![],
    };
    for t in 0..n {
        let crash = rng.next_f64() < 0.03;
        oi *= if crash {
            0.9
        } else {
            1.0 + 0.005 * rng.normal()
        };
        px *= if crash {
            0.95
        } else {
            1.0 + 0.003 * rng.normal()
        };
        d.times.push(t as i64 * HOUR_MS);
        d.oi.push(oi);
        d.price.push(px);
        d.funding.push(if crash {
            0.0
        } else {
            0.0001 + 0.0002 * rng.next_f64()
        });
        d.liquidated
            .push(if crash { 1e8 } else { 1e6 * rng.next_f64() });
    }
    d
}

proptest! {
    /// Events are ordered, disjoint, contain their annotated bar, and every flagged bar meets the rule.
    #[test]
    fn events_are_well_formed(seed in any::<u64>(), n in 0usize..400) {
        let d = random_market(seed, n);
        let detector = FlushDetector::new(2, 24, 2.0, 0.5, 3.0, 0.0001).unwrap();
        let bars = detector.bars(&inputs(&d, true)).unwrap();
        prop_assert_eq!(bars.len(), n);
        for b in &bars {
            prop_assert_eq!(b.flagged, b.z.is_some_and(|z| z <= -2.0) && b.funding_reset);
            prop_assert!(!b.confirmed || (b.flagged && b.burst));
        }
        let events = detector.detect(&inputs(&d, true)).unwrap();
        prop_assert_eq!(events.iter().filter(|e| e.confirmed).count() <= events.len(), true);
        for pair in events.windows(2) {
            prop_assert!(pair[0].end_ms < pair[1].start_ms);
        }
        for e in &events {
            let at = d.times[e.annotated_index];
            prop_assert!(e.start_ms <= at && at <= e.end_ms);
        }
        prop_assert_eq!(events.len(), bars.windows(2).filter(|w| w[1].flagged && !w[0].flagged).count()
            + usize::from(bars.first().is_some_and(|b| b.flagged)));
    }
}

/// The one-bar rule gives the same verdict as the series rule when handed the series' own summary.
#[test]
fn step_agrees_with_the_series_rule() {
    let detector = FlushDetector::new(1, 3, 2.0, 0.5, 3.0, 0.0).expect("valid");
    let oi = [100.0, 101.0, 100.0, 101.0, 90.0];
    let inputs = FlushInputs {
        times_ms: &[0, 1, 2, 3, 4],
        open_interest_coin: &oi,
        price: &[50.0, 50.5, 50.0, 50.5, 47.0],
        funding_per_8h: &[0.0003, 0.0003, 0.0003, 0.0003, 0.0],
        liquidated_usd: Some(&[1.0, 1.0, 1.0, 1.0, 10.0]),
    };
    let series = detector.bars(&inputs).expect("bars")[4];
    let changes: Vec<f64> = (1..4).map(|t| oi[t] / oi[t - 1] - 1.0).collect();
    let step = detector
        .step(&FlushStep {
            open_interest_before: oi[3],
            open_interest_now: oi[4],
            change_mean: crate::stats::mean(&changes).expect("mean"),
            change_sd: crate::stats::sample_std(&changes).expect("sd"),
            funding_before_per_8h: 0.0003,
            funding_now_per_8h: 0.0,
            liquidated_window_usd: 10.0,
            liquidated_median_usd: 1.0,
            price_before: 50.5,
            price_now: 47.0,
        })
        .expect("step");
    assert!((step.z.expect("z") - series.z.expect("z")).abs() < 1e-12);
    assert_eq!(
        (step.funding_reset, step.burst, step.flagged, step.confirmed),
        (
            series.funding_reset,
            series.burst,
            series.flagged,
            series.confirmed
        )
    );
}
