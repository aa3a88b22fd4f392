use super::*;
use crate::stats::test_support::window_with_moments;
use crate::stats::{mean, sample_std, z_score};
use proptest::prelude::*;

fn series(values: &[f64]) -> TimeSeries {
    let times = (0..values.len() as i64)
        .map(|i| 1_000 + 60_000 * i)
        .collect();
    TimeSeries::new(times, values.to_vec()).unwrap()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * (1.0 + b.abs())
}

#[test]
fn outputs_start_at_the_first_full_window_and_keep_timestamps() {
    let s = series(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    let means = RollingMean::new(3).unwrap().apply(&s).unwrap();
    assert_eq!(means.times_ms(), &s.times_ms()[2..]);
    assert_eq!(means.values(), &[2.0, 3.0, 4.0]);
    let spread = RollingStd::new(3).unwrap().apply(&s).unwrap();
    assert_eq!(spread.times_ms(), &s.times_ms()[2..]);
    assert!(spread.values().iter().all(|&v| close(v, 1.0, 1e-15)));
}

/// The including variant scores the last point of its own window; the excluding one the point after it.
#[test]
fn including_and_excluding_windows_differ_by_the_scored_point() {
    let s = series(&[1.0, 3.0, 2.0, 6.0]);
    let including = RollingZScore::including_current(3)
        .unwrap()
        .apply(&s)
        .unwrap();
    let excluding = RollingZScore::excluding_current(3)
        .unwrap()
        .apply(&s)
        .unwrap();
    // Including, at t = 2: window [1, 3, 2] → μ 2, s 1, z 0; at t = 3: [3, 2, 6] → μ 11/3, s √(13/3).
    assert_eq!(including.times_ms(), &s.times_ms()[2..]);
    assert!(close(including.values()[0], 0.0, 1e-15));
    assert!(close(
        including.values()[1],
        (6.0 - 11.0 / 3.0) / (13.0f64 / 3.0).sqrt(),
        1e-14
    ));
    // Excluding, at t = 3: window [1, 3, 2] → z = (6 − 2)/1 = 4 (hand-checked).
    assert_eq!(excluding.times_ms(), &s.times_ms()[3..]);
    assert!(close(excluding.values()[0], 4.0, 1e-15));
}

/// Leverage Lens glossary, systemic leverage risk: previous eight readings mean 0.010 %, sd 0.004 %; today's
/// 0.0115 % scores 0.375 and a jump to 0.025 % scores 3.75 (checked with Python's statistics module).
#[test]
fn excluding_z_matches_systemic_leverage_risk_page() {
    let previous = [0.010, 0.006, 0.014, 0.010, 0.004, 0.012, 0.016, 0.008];
    for (today, expected) in [(0.0115, 0.375), (0.025, 3.75)] {
        let mut values = previous.to_vec();
        values.push(today);
        let z = RollingZScore::excluding_current(8)
            .unwrap()
            .apply(&series(&values))
            .unwrap();
        assert_eq!(z.len(), 1);
        assert!(
            close(z.values()[0], expected, 1e-12),
            "today {today}: z {}",
            z.values()[0]
        );
    }
}

/// Leverage Lens glossary, leverage ratio monitoring: ELR 0.15 against a 90-day window (today included) with
/// mean 0.12 and sd 0.012 gives z = 2.5.
#[test]
fn including_z_matches_leverage_ratio_monitoring_page() {
    let window = window_with_moments(90, 0.15, 0.12, 0.012);
    assert!(close(mean(&window).unwrap(), 0.12, 1e-12));
    assert!(close(sample_std(&window).unwrap(), 0.012, 1e-12));
    let z = RollingZScore::including_current(90)
        .unwrap()
        .apply(&series(&window))
        .unwrap();
    assert_eq!(z.len(), 1);
    assert!(close(z.values()[0], 2.5, 1e-10));
    assert!(close(z_score(0.15, &window).unwrap(), 2.5, 1e-10));
}

#[test]
fn flat_windows_have_zero_spread_and_no_z_score() {
    // 0.1 + 0.2 style values: a sliding update would leave ~1e-17 of noise instead of zero.
    let s = series(&[0.3, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1]);
    let spread = RollingStd::new(3).unwrap().apply(&s).unwrap();
    assert_eq!(spread.values()[2], 0.0);
    assert_eq!(spread.values()[1], 0.0);
    let z = RollingZScore::including_current(3)
        .unwrap()
        .apply(&s)
        .unwrap();
    assert!(!z.times_ms().contains(&s.times_ms()[3]) && !z.times_ms().contains(&s.times_ms()[4]));
    let excluded = RollingZScore::excluding_current(3)
        .unwrap()
        .apply(&s)
        .unwrap();
    // The window before t = 4 ([0.1, 0.1, 0.1]) is flat, so t = 4 is left out; the one before t = 5 too.
    assert!(!excluded.times_ms().contains(&s.times_ms()[4]));
    assert!(!excluded.times_ms().contains(&s.times_ms()[5]));
}

/// A spike twelve orders of magnitude above the rest must not leave residue once it leaves the window.
#[test]
fn a_spike_leaving_the_window_leaves_no_residue() {
    let mut values: Vec<f64> = (0..40).map(|i| f64::from(i % 5) + 0.25).collect();
    values[7] = 1e12;
    let s = series(&values);
    let spread = RollingStd::new(4).unwrap().apply(&s).unwrap();
    let means = RollingMean::new(4).unwrap().apply(&s).unwrap();
    for (k, (sd, m)) in spread.values().iter().zip(means.values()).enumerate() {
        let window = &values[k..k + 4];
        assert!(
            close(*sd, sample_std(window).unwrap(), 1e-12),
            "window {k}: {sd}"
        );
        assert!(close(*m, mean(window).unwrap(), 1e-12), "window {k}: {m}");
    }
}

#[test]
fn long_series_does_not_drift() {
    // 200,000 points with a large offset: the periodic exact re-anchoring keeps the last windows exact.
    let values: Vec<f64> = (0..200_000)
        .map(|i| 1e8 + (f64::from(i) * 0.7).sin())
        .collect();
    let spread = RollingStd::new(90)
        .unwrap()
        .apply(&series(&values))
        .unwrap();
    let last = *spread.values().last().unwrap();
    assert!(close(
        last,
        sample_std(&values[values.len() - 90..]).unwrap(),
        1e-8
    ));
}

#[test]
fn bad_parameters_and_short_series_are_typed_errors() {
    assert!(matches!(
        RollingMean::new(0),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        RollingStd::new(1),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        RollingZScore::including_current(1),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        RollingZScore::excluding_current(0),
        Err(MathError::InvalidParameter { .. })
    ));
    let s = series(&[1.0, 2.0, 3.0]);
    let empty = TimeSeries::default();
    assert_eq!(
        RollingMean::new(4).unwrap().apply(&s),
        Err(MathError::NotEnoughData { needed: 4, got: 3 })
    );
    assert_eq!(
        RollingStd::new(2).unwrap().apply(&empty),
        Err(MathError::NotEnoughData { needed: 2, got: 0 })
    );
    let excluding = RollingZScore::excluding_current(3).unwrap();
    assert_eq!(
        excluding.apply(&s),
        Err(MathError::NotEnoughData { needed: 4, got: 3 })
    );
    // The spread of [MAX, −MAX] is beyond f64: a typed error, not an infinity in the output.
    let huge = series(&[f64::MAX, f64::MAX, -f64::MAX]);
    assert!(matches!(
        RollingStd::new(2).unwrap().apply(&huge),
        Err(MathError::NotFinite { .. })
    ));
    // Whatever overflows on the way, the output holds finite numbers or the call fails with a typed error.
    let extremes = series(&[
        f64::MAX,
        f64::MAX,
        1.0,
        -f64::MAX,
        f64::MIN_POSITIVE,
        f64::MAX,
    ]);
    for window in 2..=4 {
        let outputs = [
            RollingMean::new(window).unwrap().apply(&extremes),
            RollingStd::new(window).unwrap().apply(&extremes),
            RollingZScore::including_current(window)
                .unwrap()
                .apply(&extremes),
            RollingZScore::excluding_current(window)
                .unwrap()
                .apply(&extremes),
        ];
        for output in outputs {
            match output {
                Ok(s) => assert!(s.values().iter().all(|v| v.is_finite())),
                Err(e) => assert!(matches!(e, MathError::NotFinite { .. })),
            }
        }
    }
}

fn naive(window: &[f64]) -> (f64, f64) {
    let m = window.iter().sum::<f64>() / window.len() as f64;
    let ss: f64 = window.iter().map(|x| (x - m) * (x - m)).sum();
    (m, (ss / (window.len() - 1) as f64).sqrt())
}

proptest! {
    /// The sliding update agrees with a naive two-pass computation on every window, even under a large offset.
    #[test]
    fn rolling_moments_match_two_pass(
        noise in prop::collection::vec(-1e3f64..1e3, 2..300),
        offset in prop::sample::select(vec![0.0, 1e6, -1e9]),
        window in 2usize..40,
    ) {
        prop_assume!(window <= noise.len());
        let values: Vec<f64> = noise.iter().map(|x| x + offset).collect();
        let s = series(&values);
        let means = RollingMean::new(window).unwrap().apply(&s).unwrap();
        let spreads = RollingStd::new(window).unwrap().apply(&s).unwrap();
        prop_assert_eq!(means.len(), values.len() + 1 - window);
        for (k, w) in values.windows(window).enumerate() {
            let (m, sd) = naive(w);
            // Rounding of the offset itself bounds what any method can achieve.
            let slack = 1e-9 * (1.0 + offset.abs()) ;
            prop_assert!((means.values()[k] - m).abs() <= slack, "mean {} vs {}", means.values()[k], m);
            prop_assert!((spreads.values()[k] - sd).abs() <= slack + 1e-9 * sd, "sd {} vs {}", spreads.values()[k], sd);
        }
    }

    /// Both z-score variants agree with naive computations; small integer values make flat windows common, and
    /// exactly those points (zero two-pass spread) are the ones left out.
    #[test]
    fn rolling_z_scores_match_two_pass(
        values in prop::collection::vec(prop::sample::select(vec![0.0, 1.0, 2.0]), 3..120),
        window in 2usize..12,
    ) {
        prop_assume!(window < values.len());
        let s = series(&values);
        let including = RollingZScore::including_current(window).unwrap().apply(&s).unwrap();
        let mut expected = Vec::new();
        for end in window - 1..values.len() {
            let (m, sd) = naive(&values[end + 1 - window..=end]);
            if sd > 0.0 { expected.push((s.times_ms()[end], (values[end] - m) / sd)); }
        }
        prop_assert_eq!(including.len(), expected.len());
        for ((t, z), (te, ze)) in including.iter().zip(&expected) {
            prop_assert_eq!(t, *te);
            prop_assert!(close(z, *ze, 1e-12));
        }
        let excluding = RollingZScore::excluding_current(window).unwrap().apply(&s).unwrap();
        let mut expected = Vec::new();
        for next in window..values.len() {
            let (m, sd) = naive(&values[next - window..next]);
            if sd > 0.0 { expected.push((s.times_ms()[next], (values[next] - m) / sd)); }
        }
        prop_assert_eq!(excluding.len(), expected.len());
        for ((t, z), (te, ze)) in excluding.iter().zip(&expected) {
            prop_assert_eq!(t, *te);
            prop_assert!(close(z, *ze, 1e-12));
        }
    }
}
