//! Hand-built series with known events: funding extremes, OI flushes, the per-chart limit and run merging.

mod liquidations_gaps;
mod sample;

use super::*;
use crate::cycles::{FlushDetector, FlushInputs};
use crate::series::HOUR_MS;
use crate::stats::z_score;

const EIGHT_HOURS: i64 = 8 * HOUR_MS;

/// Prints every 8 hours from time 0.
fn eight_hourly(rates: Vec<f64>) -> TimeSeries {
    let times = (0..rates.len() as i64).map(|i| i * EIGHT_HOURS).collect();
    TimeSeries::new(times, rates).unwrap()
}

/// `n` ordinary prints alternating 0.009 % / 0.011 % per 8 h: every one of them scores |z| ≈ 1.
fn ordinary_funding(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { 0.00009 } else { 0.00011 })
        .collect()
}

#[test]
fn funding_spike_gives_one_annotation_at_the_spike_linked_to_leverage_skew() {
    let mut rates = ordinary_funding(40);
    rates.push(0.0005);
    rates.extend(ordinary_funding(10));
    let marks = FundingExtremes::default()
        .detect(&eight_hourly(rates), 8.0)
        .unwrap();
    assert_eq!(marks.len(), 1, "{marks:?}");
    let mark = &marks[0];
    assert_eq!((mark.time_ms, mark.value), (40 * EIGHT_HOURS, 0.0005));
    assert_eq!(mark.term_slug, terms::LEVERAGE_SKEW);
    let AnnotationKind::FundingExtreme { paying_side, z } = mark.kind else {
        panic!("{mark:?}")
    };
    assert_eq!(paying_side, Some(Side::Long));
    assert!((mark.severity - z / 2.5).abs() < 1e-12 && z > 2.5);
    assert_eq!(mark.label, format!("funding 0.050 %/8h, z {z:.1}"));
}

#[test]
fn negative_funding_spike_is_paid_by_shorts() {
    let mut rates = ordinary_funding(40);
    rates.push(-0.0003);
    let marks = FundingExtremes::default()
        .detect(&eight_hourly(rates), 8.0)
        .unwrap();
    assert_eq!(marks.len(), 1);
    assert!(matches!(
        marks[0].kind,
        AnnotationKind::FundingExtreme { paying_side: Some(Side::Short), z } if z < -2.5
    ));
    assert!(
        marks[0]
            .label
            .starts_with("funding \u{2212}0.030 %/8h, z \u{2212}")
    );
}

#[test]
fn quiet_or_constant_funding_gives_no_annotation() {
    let detector = FundingExtremes::default();
    let quiet = eight_hourly(ordinary_funding(200));
    assert!(detector.detect(&quiet, 8.0).unwrap().is_empty());
    let constant = eight_hourly(vec![0.0001; 200]);
    assert!(detector.detect(&constant, 8.0).unwrap().is_empty());
}

#[test]
fn consecutive_extremes_merge_into_one_annotation_at_the_largest_z() {
    let mut rates = ordinary_funding(40);
    rates.extend([0.0004, 0.0008]);
    let z_first = z_score(0.0004, &rates[..40]).unwrap();
    let z_second = z_score(0.0008, &rates[..41]).unwrap();
    assert!(
        z_first >= 2.5 && z_second >= 2.5,
        "both prints are extremes"
    );
    let marks = FundingExtremes::default()
        .detect(&eight_hourly(rates), 8.0)
        .unwrap();
    assert_eq!(marks.len(), 1);
    let (peak, z) = if z_second > z_first {
        (41, z_second)
    } else {
        (40, z_first)
    };
    assert_eq!(marks[0].time_ms, peak * EIGHT_HOURS);
    assert!(matches!(marks[0].kind, AnnotationKind::FundingExtreme { z: found, .. } if found == z));
}

#[test]
fn a_sign_change_between_consecutive_extremes_splits_them() {
    let mut rates = ordinary_funding(40);
    rates.extend([0.0005, -0.0005]);
    let marks = FundingExtremes::default()
        .detect(&eight_hourly(rates), 8.0)
        .unwrap();
    let times: Vec<i64> = marks.iter().map(|m| m.time_ms).collect();
    assert_eq!(times, [40 * EIGHT_HOURS, 41 * EIGHT_HOURS]);
}

/// Hyperliquid pays 1/8 of an 8-hour rate every hour: markers sit on the hourly print, labels read per 8 h.
#[test]
fn hourly_funding_is_labelled_per_8h_and_placed_in_its_own_units() {
    let mut rates: Vec<f64> = ordinary_funding(40).iter().map(|r| r / 8.0).collect();
    rates.push(0.0005 / 8.0);
    let times = (0..41).map(|h| h * HOUR_MS).collect();
    let hourly = TimeSeries::new(times, rates).unwrap();
    let marks = FundingExtremes::default().detect(&hourly, 1.0).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].value, 0.0005 / 8.0);
    assert!(marks[0].label.starts_with("funding 0.050 %/8h"));
}

#[test]
fn funding_bad_parameters_and_inputs_give_typed_errors() {
    let invalid = |r: Result<FundingExtremes>| matches!(r, Err(MathError::InvalidParameter { .. }));
    assert!(invalid(FundingExtremes::new(1, 1, 2.5)));
    assert!(invalid(FundingExtremes::new(90, 91, 2.5)));
    assert!(invalid(FundingExtremes::new(90, 30, 0.0)));
    assert!(invalid(FundingExtremes::new(90, 30, f64::NAN)));
    assert!(invalid(FundingExtremes::new(90, 30, f64::INFINITY)));
    let detector = FundingExtremes::default();
    let series = eight_hourly(ordinary_funding(50));
    assert!(matches!(
        detector.detect(&series, 0.0),
        Err(MathError::InvalidParameter { .. })
    ));
    assert_eq!(
        detector.detect(&TimeSeries::default(), 8.0),
        Err(MathError::NotEnoughData { needed: 31, got: 0 })
    );
    assert_eq!(
        detector.detect(&eight_hourly(ordinary_funding(30)), 8.0),
        Err(MathError::NotEnoughData {
            needed: 31,
            got: 30
        })
    );
    // NaN and ∞ are stopped where every series is built.
    for bad in [f64::NAN, f64::INFINITY] {
        assert!(matches!(
            TimeSeries::new(vec![0, 1], vec![0.0001, bad]),
            Err(MathError::NotFinite { .. })
        ));
    }
}

/// The [`FlushDetector`] doc example (w 1, L 3, k 2): OI falls 10.9 % after three ±1 % bars, funding resets
/// from 0.03 % to 0 and ten times the usual liquidations print.
const TIMES: [i64; 5] = [0, 1, 2, 3, 4];
const OI: [f64; 5] = [100.0, 101.0, 100.0, 101.0, 90.0];
const PRICE: [f64; 5] = [50.0, 50.5, 50.0, 50.5, 47.0];
const FUNDING: [f64; 5] = [0.0003, 0.0003, 0.0003, 0.0003, 0.0];
const LIQUIDATED: [f64; 5] = [1.0, 1.0, 1.0, 1.0, 10.0];

/// The example's inputs; a test changes one column with `..flush_example()`.
fn flush_example() -> FlushInputs<'static> {
    FlushInputs {
        times_ms: &TIMES,
        open_interest_coin: &OI,
        price: &PRICE,
        funding_per_8h: &FUNDING,
        liquidated_usd: Some(&LIQUIDATED),
    }
}

fn small_flush_detector() -> FlushDetector {
    FlushDetector::new(1, 3, 2.0, 0.5, 3.0, 0.0).unwrap()
}

#[test]
fn oi_flush_gives_one_confirmed_annotation_on_open_interest() {
    let marks = OiFlushes::new(small_flush_detector(), false)
        .detect(&flush_example())
        .unwrap();
    assert_eq!(marks.len(), 1);
    let mark = &marks[0];
    assert_eq!((mark.time_ms, mark.value), (4, 90.0));
    assert_eq!(mark.term_slug, terms::LEVERAGE_DELEVERAGING_CYCLES);
    let AnnotationKind::OiFlush {
        side,
        confirmed,
        oi_change,
        z,
    } = mark.kind
    else {
        panic!("{mark:?}")
    };
    assert_eq!((side, confirmed), (Some(Side::Long), true));
    assert!((oi_change - (90.0 / 101.0 - 1.0)).abs() < 1e-15);
    assert!((mark.severity - z.abs() / 2.0).abs() < 1e-12);
    assert_eq!(
        mark.label,
        format!(
            "long flush: OI \u{2212}10.9 % in 1 bar, z \u{2212}{:.1}, confirmed",
            z.abs()
        )
    );
}

#[test]
fn unconfirmed_flushes_are_shown_unless_only_confirmed_ones_are_asked_for() {
    let inputs = FlushInputs {
        liquidated_usd: None,
        ..flush_example()
    };
    let all = OiFlushes::new(small_flush_detector(), false)
        .detect(&inputs)
        .unwrap();
    assert!(matches!(
        all[0].kind,
        AnnotationKind::OiFlush {
            confirmed: false,
            ..
        }
    ));
    assert!(all[0].label.ends_with("unconfirmed"));
    let confirmed = OiFlushes::new(small_flush_detector(), true)
        .detect(&inputs)
        .unwrap();
    assert!(confirmed.is_empty());
}

#[test]
fn steady_open_interest_gives_no_flush() {
    let steady = [100.0, 101.0, 100.0, 101.0, 100.5];
    let inputs = FlushInputs {
        open_interest_coin: &steady,
        ..flush_example()
    };
    let marks = OiFlushes::new(small_flush_detector(), false)
        .detect(&inputs)
        .unwrap();
    assert!(marks.is_empty());
}

#[test]
fn flush_bad_inputs_give_typed_errors() {
    let flushes = OiFlushes::new(small_flush_detector(), false);
    let nan_funding = [0.0003, 0.0003, f64::NAN, 0.0003, 0.0];
    let inputs = FlushInputs {
        funding_per_8h: &nan_funding,
        ..flush_example()
    };
    assert!(matches!(
        flushes.detect(&inputs),
        Err(MathError::NotFinite { .. })
    ));
    let infinite_oi = [100.0, f64::INFINITY, 100.0, 101.0, 90.0];
    let inputs = FlushInputs {
        open_interest_coin: &infinite_oi,
        ..flush_example()
    };
    assert!(matches!(
        flushes.detect(&inputs),
        Err(MathError::InvalidParameter { .. })
    ));
    let inputs = FlushInputs {
        times_ms: &TIMES[..4],
        ..flush_example()
    };
    assert!(matches!(
        flushes.detect(&inputs),
        Err(MathError::LengthMismatch { .. })
    ));
    for keep in [0, 4] {
        let inputs = FlushInputs {
            times_ms: &TIMES[..keep],
            open_interest_coin: &OI[..keep],
            price: &PRICE[..keep],
            funding_per_8h: &FUNDING[..keep],
            liquidated_usd: Some(&LIQUIDATED[..keep]),
        };
        assert_eq!(
            flushes.detect(&inputs),
            Err(MathError::NotEnoughData {
                needed: 5,
                got: keep
            })
        );
    }
}

fn marker(time_ms: i64, severity: f64) -> Annotation {
    Annotation {
        time_ms,
        value: 0.0,
        kind: AnnotationKind::GapRisk {
            risky_return: -0.3,
            below_floor: false,
        },
        label: String::new(),
        term_slug: terms::LEVERAGE_MANAGEMENT_IN_CPPI,
        severity,
    }
}

#[test]
fn the_limit_keeps_the_most_severe_in_time_order() {
    let all = [
        marker(5, 1.0),
        marker(1, 3.0),
        marker(3, 2.0),
        marker(4, 5.0),
    ];
    let kept = AnnotationLimit::new(2).unwrap().apply(all.clone());
    assert_eq!(kept, [marker(1, 3.0), marker(4, 5.0)]);
    assert_eq!(AnnotationLimit::default().apply(all).len(), 4);
    // Equal severity: the earlier one wins.
    let kept = AnnotationLimit::new(1)
        .unwrap()
        .apply([marker(9, 2.0), marker(2, 2.0)]);
    assert_eq!(kept, [marker(2, 2.0)]);
    assert!(matches!(
        AnnotationLimit::new(0),
        Err(MathError::InvalidParameter { .. })
    ));
}

#[test]
fn runs_split_on_gaps_and_key_changes_and_peak_at_the_strongest() {
    let runs = peaks_of_runs([
        (3, 'a', 1.0),
        (4, 'a', 5.0),
        (5, 'a', 2.0),
        (7, 'a', 1.0),
        (8, 'b', 1.0),
    ]);
    let summary: Vec<(char, usize, usize)> = runs.iter().map(|r| (r.key, r.peak, r.len)).collect();
    assert_eq!(summary, [('a', 4, 3), ('a', 7, 1), ('b', 8, 1)]);
}

/// A typo in a slug would link to nothing: every term has its page in the app's glossary, in this workspace.
#[test]
fn every_linked_term_has_a_glossary_page() {
    for slug in terms::ALL {
        let page = format!(
            "{}/../../src/glossary/terms/{slug}.md",
            env!("CARGO_MANIFEST_DIR")
        );
        assert!(std::path::Path::new(&page).is_file(), "{page}");
    }
}
