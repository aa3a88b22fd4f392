//! Hand-built liquidation feeds and CPPI paths with known bursts and gaps.

use crate::annotations::*;
use crate::cppi::{Cppi, CppiStep};
use crate::market::Liquidation;
use crate::series::{DAY_MS, HOUR_MS};

fn bar_times(n: i64) -> Vec<i64> {
    (0..n).map(|h| h * HOUR_MS).collect()
}

fn liquidation(time_ms: i64, side: Side, usd: f64) -> Liquidation {
    Liquidation {
        time_ms,
        side,
        price: 50_000.0,
        quantity: usd / 50_000.0,
    }
}

/// One 50,000 USD long liquidation a minute into every one of `n` hours.
fn trickle(n: i64) -> Vec<Liquidation> {
    (0..n)
        .map(|h| liquidation(h * HOUR_MS + 60_000, Side::Long, 50_000.0))
        .collect()
}

/// Default bursts on 200 hourly bars.
fn bursts_in(feed: &[Liquidation]) -> Vec<Annotation> {
    LiquidationBursts::default()
        .detect(&bar_times(200), feed)
        .unwrap()
}

#[test]
fn a_burst_gives_one_annotation_at_its_bar_with_the_dominant_side() {
    let mut feed = trickle(200);
    feed.push(liquidation(180 * HOUR_MS + 1_000, Side::Short, 6.95e6));
    feed.push(liquidation(180 * HOUR_MS + 2_000, Side::Long, 1e6));
    let marks = bursts_in(&feed);
    assert_eq!(marks.len(), 1, "{marks:?}");
    let mark = &marks[0];
    assert_eq!(mark.time_ms, 180 * HOUR_MS);
    assert_eq!(mark.value, 8e6);
    assert_eq!(mark.term_slug, terms::LEVERAGE_AND_LIQUIDATION_RISKS);
    assert!(matches!(
        mark.kind,
        AnnotationKind::LiquidationBurst { side: Side::Short, bars: 1, usd } if usd == 8e6
    ));
    // θ = max(5 × 50 k, 20 × 50 k, 100 k) = 1 M, so 8 M is three doublings past it.
    assert_eq!(mark.severity, 4.0);
    assert_eq!(
        mark.label,
        "short liquidations 8.0 M USD, 160× the mean bar"
    );
}

#[test]
fn a_steady_trickle_gives_no_burst() {
    let marks = LiquidationBursts::default()
        .detect(&bar_times(400), &trickle(400))
        .unwrap();
    assert!(marks.is_empty());
}

/// Two burst bars in a row: one marker on the bigger, linked to the deleveraging spiral.
#[test]
fn consecutive_burst_bars_merge_into_one_spiral_annotation() {
    let mut feed = trickle(200);
    feed.push(liquidation(190 * HOUR_MS + 1_000, Side::Long, 8e6));
    feed.push(liquidation(191 * HOUR_MS + 1_000, Side::Long, 30e6));
    let marks = bursts_in(&feed);
    assert_eq!(marks.len(), 1, "{marks:?}");
    assert_eq!(marks[0].time_ms, 191 * HOUR_MS);
    assert_eq!(marks[0].term_slug, terms::LEVERAGE_DELEVERAGING_SPIRAL);
    assert!(matches!(
        marks[0].kind,
        AnnotationKind::LiquidationBurst {
            side: Side::Long,
            bars: 2,
            ..
        }
    ));
    assert!(marks[0].label.ends_with(", 2 bars in a row"));
}

/// After a week without liquidations the median and the mean are 0: only the floor stops a small one.
#[test]
fn after_a_silent_week_only_the_floor_decides() {
    let feed = [liquidation(180 * HOUR_MS, Side::Long, 20_000.0)];
    let bars = bar_times(200);
    assert!(
        LiquidationBursts::default()
            .detect(&bars, &feed)
            .unwrap()
            .is_empty()
    );
    let no_floor = LiquidationBursts::new(HOUR_MS, 168, 5.0, 20.0, 0.0).unwrap();
    let marks = no_floor.detect(&bars, &feed).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].severity, 1.0);
    assert_eq!(
        marks[0].label,
        "long liquidations 20 k USD, none in the 168 bars before"
    );
}

#[test]
fn liquidations_are_summed_into_the_bar_that_holds_them() {
    let feed = [
        liquidation(2 * HOUR_MS + 5, Side::Long, 100.0),
        liquidation(-1, Side::Long, 1.0),
        liquidation(HOUR_MS, Side::Short, 300.0),
        liquidation(2 * HOUR_MS, Side::Short, 50.0),
        // Bars at 0, 1 h and 2 h only: these two fall after the last bar ends.
        liquidation(3 * HOUR_MS, Side::Long, 7.0),
        liquidation(9 * HOUR_MS, Side::Long, 7.0),
    ];
    let bars = liquidations_per_bar(&bar_times(3), HOUR_MS, &feed).unwrap();
    let sums: Vec<(f64, f64)> = bars.iter().map(|b| (b.long_usd, b.short_usd)).collect();
    assert_eq!(sums, [(0.0, 0.0), (0.0, 300.0), (100.0, 50.0)]);
    assert_eq!(bars[2].dominant_side(), Side::Long);
    // A gap in the bars: a liquidation in the missing hour belongs to no bar.
    let gapped = liquidations_per_bar(&[0, 2 * HOUR_MS], HOUR_MS, &feed[2..3]).unwrap();
    assert_eq!(gapped[0].total_usd() + gapped[1].total_usd(), 0.0);
}

#[test]
fn liquidation_bad_parameters_and_inputs_give_typed_errors() {
    let invalid =
        |r: Result<LiquidationBursts>| matches!(r, Err(MathError::InvalidParameter { .. }));
    assert!(invalid(LiquidationBursts::new(0, 168, 5.0, 20.0, 1e5)));
    assert!(invalid(LiquidationBursts::new(HOUR_MS, 1, 5.0, 20.0, 1e5)));
    assert!(invalid(LiquidationBursts::new(
        HOUR_MS, 168, 0.0, 20.0, 1e5
    )));
    assert!(invalid(LiquidationBursts::new(
        HOUR_MS,
        168,
        f64::NAN,
        20.0,
        1e5
    )));
    assert!(invalid(LiquidationBursts::new(
        HOUR_MS, 168, 5.0, -1.0, 1e5
    )));
    assert!(invalid(LiquidationBursts::new(
        HOUR_MS,
        168,
        5.0,
        20.0,
        f64::INFINITY
    )));
    let detector = LiquidationBursts::default();
    let bars = bar_times(200);
    let with = |l: Liquidation| detector.detect(&bars, &[l]);
    let base = liquidation(0, Side::Long, 1.0);
    assert!(matches!(
        with(Liquidation {
            price: f64::NAN,
            ..base
        }),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        with(Liquidation {
            quantity: f64::INFINITY,
            ..base
        }),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        with(Liquidation {
            quantity: -1.0,
            ..base
        }),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(matches!(
        with(Liquidation { price: 0.0, ..base }),
        Err(MathError::InvalidParameter { .. })
    ));
    assert_eq!(detector.detect(&[0, 0], &[]), Err(MathError::Unsorted));
    assert_eq!(
        detector.detect(&[], &[]),
        Err(MathError::NotEnoughData {
            needed: 169,
            got: 0
        })
    );
}

fn daily(prices: Vec<f64>) -> TimeSeries {
    let times = (0..prices.len() as i64).map(|d| d * DAY_MS).collect();
    TimeSeries::new(times, prices).unwrap()
}

fn backtest(rule: &Cppi, prices: Vec<f64>) -> Vec<CppiStep> {
    rule.run(&daily(prices), 100.0, 80.0).unwrap()
}

#[test]
fn a_gap_gives_one_annotation_on_the_portfolio_value() {
    let rule = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let steps = backtest(&rule, vec![100.0, 101.0, 70.7, 71.0, 72.0]);
    let marks = GapRiskEvents::default().detect(&rule, &steps).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (marks[0].time_ms, marks[0].value),
        (2 * DAY_MS, steps[2].value)
    );
    assert_eq!(marks[0].term_slug, terms::LEVERAGE_MANAGEMENT_IN_CPPI);
    assert!(matches!(
        marks[0].kind,
        AnnotationKind::GapRisk { below_floor: true, risky_return } if (risky_return + 0.3).abs() < 1e-12
    ));
    assert!((marks[0].severity - 1.2).abs() < 1e-12);
}

#[test]
fn ordinary_moves_give_no_gap() {
    let rule = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let prices = (0..100)
        .map(|d| 100.0 * (1.0 + 0.02 * f64::from(d % 3) - 0.02))
        .collect();
    let marks = GapRiskEvents::default()
        .detect(&rule, &backtest(&rule, prices))
        .unwrap();
    assert!(marks.is_empty());
}

#[test]
fn consecutive_gaps_merge_at_the_worst_step() {
    let rule = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let steps = backtest(&rule, vec![100.0, 70.0, 45.0, 46.0]);
    let marks = GapRiskEvents::default().detect(&rule, &steps).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].time_ms, 2 * DAY_MS, "−35.7 % is worse than −30 %");
}

#[test]
fn a_smaller_cushion_share_marks_near_misses() {
    let rule = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let steps = backtest(&rule, vec![100.0, 85.0, 86.0]);
    assert!(
        GapRiskEvents::default()
            .detect(&rule, &steps)
            .unwrap()
            .is_empty()
    );
    let marks = GapRiskEvents::new(0.5)
        .unwrap()
        .detect(&rule, &steps)
        .unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        marks[0].label,
        "gap \u{2212}15.0 % (50 % of the cushion at \u{2212}12.5 %)"
    );
}

#[test]
fn gap_bad_parameters_and_inputs_give_typed_errors() {
    for share in [0.0, 1.5, f64::NAN] {
        assert!(matches!(
            GapRiskEvents::new(share),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    let rule = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let detector = GapRiskEvents::default();
    let steps = backtest(&rule, vec![100.0, 90.0, 95.0]);
    assert_eq!(
        detector.detect(&rule, &steps[..1]),
        Err(MathError::NotEnoughData { needed: 2, got: 1 })
    );
    let mut broken = steps.clone();
    broken[1].risky_return = f64::NAN;
    assert!(matches!(
        detector.detect(&rule, &broken),
        Err(MathError::NotFinite { .. })
    ));
    let mut unsorted = steps;
    unsorted[2].time_ms = 0;
    assert_eq!(detector.detect(&rule, &unsorted), Err(MathError::Unsorted));
}
