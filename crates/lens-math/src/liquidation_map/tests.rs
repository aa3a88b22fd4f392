mod reference;
use super::grid::{MAX_BUCKETS, MAX_LEVERAGE_LEVELS};
use super::*;
use crate::margin::liquidation_price_flat_mmr;

fn bar(t: i64, high: f64, low: f64, close: f64, volume: f64, taker_buy: f64) -> Bar {
    Bar {
        open_time_ms: t,
        open: close,
        high,
        low,
        close,
        volume,
        taker_buy_volume: taker_buy,
    }
}

fn series(values: &[f64]) -> TimeSeries {
    TimeSeries::new((0..values.len() as i64).collect(), values.to_vec()).unwrap()
}

fn page_estimator() -> LiquidationMapEstimator {
    LiquidationMapEstimator::new(
        PriceGrid::with_step(50_000.0, 80_000.0, 1.0).unwrap(),
        LeverageGrid::new(&[10.0, 25.0, 50.0], &[0.5, 0.3, 0.2], 0.005).unwrap(),
        0.0,
    )
    .unwrap()
}

/// Liquidation-risks page, "one bar of the map": OI +100 BTC, typical price 65,000, 60 % taker buying, grid
/// 10×/25×/50× at 0.5/0.3/0.2, MMR 0.5 % → longs 30 @ 58,794.0, 18 @ 62,713.6, 12 @ 64,020.1; shorts
/// 20 @ 71,144.3, 12 @ 67,263.7, 8 @ 65,970.1. A next-bar low of 62,500 consumes the two upper long slices (30 BTC).
#[test]
fn map_matches_liquidation_risks_page_example() {
    let bars = [
        bar(0, 65_500.0, 64_500.0, 65_000.0, 10.0, 5.0),
        bar(1, 65_500.0, 64_500.0, 65_000.0, 10.0, 6.0), // typical price 65,000, 60 % buying
        bar(2, 65_000.0, 62_500.0, 63_000.0, 10.0, 5.0),
    ];
    let map = page_estimator()
        .estimate(&bars, &series(&[1_000.0, 1_100.0, 1_100.0]))
        .unwrap();
    let grid = map.price_grid();
    let slices = [
        (Side::Long, 10.0, 58_794.0, 30.0),
        (Side::Long, 25.0, 62_713.6, 18.0),
        (Side::Long, 50.0, 64_020.1, 12.0),
        (Side::Short, 10.0, 71_144.3, 20.0),
        (Side::Short, 25.0, 67_263.7, 12.0),
        (Side::Short, 50.0, 65_970.1, 8.0),
    ];
    for (side, leverage, page_price, mass) in slices {
        // The page rounds to 0.1; the bucket is the one holding the unrounded level.
        let level = liquidation_price_flat_mmr(side, 65_000.0, leverage, 0.005).unwrap();
        assert!((level - page_price).abs() < 0.05);
        let bucket = grid.bucket_of(level).unwrap();
        assert!(
            (f64::from(map.at(1, bucket).unwrap()) - mass).abs() < 1e-4,
            "{page_price}"
        );
    }
    assert!((map.outstanding(Side::Long)[1] - 60.0).abs() < 1e-9);
    assert!((map.outstanding(Side::Short)[1] - 40.0).abs() < 1e-9);
    assert!((map.consumed(Side::Long)[2] - 30.0).abs() < 1e-9);
    assert_eq!(map.consumed(Side::Short)[2], 0.0);
    let lowest = grid
        .bucket_of(liquidation_price_flat_mmr(Side::Long, 65_000.0, 10.0, 0.005).unwrap())
        .unwrap();
    let middle = grid
        .bucket_of(liquidation_price_flat_mmr(Side::Long, 65_000.0, 25.0, 0.005).unwrap())
        .unwrap();
    assert!((f64::from(map.at(2, lowest).unwrap()) - 30.0).abs() < 1e-4);
    assert_eq!(map.at(2, middle), Some(0.0));
    assert_eq!(map.estimated_liquidations().values(), &[0.0, 0.0, 30.0]);
    assert_eq!(map.estimated_liquidations().times_ms(), &[0, 1, 2]);
}

/// Methods §3.8 unit test "conservation": everything placed is outstanding, consumed, decayed or off-grid.
#[test]
fn mass_is_conserved_with_decay_and_an_off_grid_level() {
    let estimator = LiquidationMapEstimator::new(
        PriceGrid::with_step(60.0, 140.0, 0.5).unwrap(),
        LeverageGrid::new(&[1.0, 5.0, 20.0], &[0.2, 0.5, 0.3], 0.004).unwrap(), // 1× long sits at 0: off grid
        0.05,
    )
    .unwrap();
    let bars: Vec<Bar> = (0..6)
        .map(|t| bar(t, 101.0 + t as f64, 99.0 - t as f64, 100.0, 10.0, 7.0))
        .collect();
    let map = estimator
        .estimate(&bars, &series(&[10.0, 20.0, 25.0, 24.0, 40.0, 41.0]))
        .unwrap();
    let b = map.budget();
    assert!((b.placed() - 32.0).abs() < 1e-12); // ΔOI⁺ = 10 + 5 + 16 + 1
    assert!(b.outside_grid > 0.0 && b.decayed > 0.0 && b.consumed_long + b.consumed_short > 0.0);
    assert!((b.placed() - b.accounted()).abs() < 1e-12);
}

/// Methods §3.8 unit test "symmetry": long share ½ and a symmetric leverage grid put equal mass on each side.
#[test]
fn even_taker_split_places_equal_long_and_short_mass() {
    let estimator = LiquidationMapEstimator::new(
        PriceGrid::with_buckets(0.0, 300.0, 300).unwrap(),
        LeverageGrid::new(&[2.0, 10.0, 50.0], &[0.3, 0.4, 0.3], 0.005).unwrap(),
        0.0,
    )
    .unwrap();
    let bars: Vec<Bar> = (0..5)
        .map(|t| bar(t, 100.0, 100.0, 100.0, 8.0, 4.0))
        .collect();
    let map = estimator
        .estimate(&bars, &series(&[0.0, 3.0, 7.0, 7.5, 12.0]))
        .unwrap();
    for t in 0..5 {
        assert!((map.outstanding(Side::Long)[t] - map.outstanding(Side::Short)[t]).abs() < 1e-12);
    }
    assert!((map.outstanding(Side::Long)[4] - 6.0).abs() < 1e-12);
    assert_eq!(map.budget().placed_long, map.budget().placed_short);
}

/// Methods §3.8 unit test "consumption": a later bar whose low goes below a bucket empties it.
#[test]
fn bar_whose_low_crosses_a_bucket_empties_it() {
    let estimator = LiquidationMapEstimator::new(
        PriceGrid::with_step(50.0, 150.0, 1.0).unwrap(),
        LeverageGrid::new(&[10.0], &[1.0], 0.0).unwrap(), // levels at 90 and 110 exactly
        0.0,
    )
    .unwrap();
    let bars = [
        bar(0, 100.0, 100.0, 100.0, 1.0, 0.5),
        bar(1, 100.0, 100.0, 100.0, 1.0, 0.5),
        bar(2, 100.0, 90.6, 95.0, 1.0, 0.5), // 90's bucket centre is 90.5: not reached
        bar(3, 100.0, 89.9, 95.0, 1.0, 0.5), // crosses the whole bucket
        bar(4, 111.0, 95.0, 100.0, 1.0, 0.5), // crosses the short bucket [110, 111)
    ];
    let map = estimator
        .estimate(&bars, &series(&[0.0, 4.0, 4.0, 4.0, 4.0]))
        .unwrap();
    let long_bucket = map.price_grid().bucket_of(90.0).unwrap();
    let short_bucket = map.price_grid().bucket_of(110.0).unwrap();
    assert_eq!(map.at(2, long_bucket), Some(2.0));
    assert_eq!(map.at(3, long_bucket), Some(0.0));
    assert_eq!(map.consumed(Side::Long), &[0.0, 0.0, 0.0, 2.0, 0.0]);
    assert_eq!(map.at(3, short_bucket), Some(2.0));
    assert_eq!(map.at(4, short_bucket), Some(0.0));
    assert_eq!(map.consumed(Side::Short), &[0.0, 0.0, 0.0, 0.0, 2.0]);
}

/// Mass placed in a bar is consumed only by later bars, even when the bar's own range covers the level.
#[test]
fn levels_are_not_consumed_by_the_bar_that_placed_them() {
    let bars = [
        bar(0, 65_000.0, 65_000.0, 65_000.0, 1.0, 0.5),
        bar(1, 70_000.0, 60_000.0, 65_000.0, 1.0, 0.5),
    ];
    let map = page_estimator()
        .estimate(&bars, &series(&[0.0, 10.0]))
        .unwrap();
    assert_eq!(
        map.consumed(Side::Long)[1] + map.consumed(Side::Short)[1],
        0.0
    );
    assert!(
        (map.outstanding(Side::Long)[1] + map.outstanding(Side::Short)[1] - 10.0).abs() < 1e-12
    );
}

/// Glossary term 2: "a fall in open interest is never taken out of the map".
#[test]
fn open_interest_fall_never_removes_mass() {
    let bars: Vec<Bar> = (0..4)
        .map(|t| bar(t, 65_100.0, 64_900.0, 65_000.0, 1.0, 0.5))
        .collect();
    let map = page_estimator()
        .estimate(&bars, &series(&[100.0, 150.0, 20.0, 0.0]))
        .unwrap();
    assert_eq!(map.column(1), map.column(2));
    assert_eq!(map.column(2), map.column(3));
    assert_eq!(map.estimated_liquidations().values(), &[0.0; 4]);
}

/// Decay ×(1 − δ) per later bar: 10 × 0.9³ remains after three quiet bars (hand-checked: 7.29).
#[test]
fn decay_shrinks_levels_geometrically() {
    let estimator = LiquidationMapEstimator::new(
        PriceGrid::with_step(50.0, 150.0, 1.0).unwrap(),
        LeverageGrid::new(&[10.0], &[1.0], 0.0).unwrap(),
        0.1,
    )
    .unwrap();
    let bars: Vec<Bar> = (0..5)
        .map(|t| bar(t, 100.0, 100.0, 100.0, 0.0, 0.0))
        .collect(); // no volume: ½ split
    let map = estimator
        .estimate(&bars, &series(&[0.0, 10.0, 10.0, 10.0, 10.0]))
        .unwrap();
    let total = |t: usize| map.outstanding(Side::Long)[t] + map.outstanding(Side::Short)[t];
    assert!((total(4) - 7.29).abs() < 1e-12);
    assert!((map.budget().decayed - 2.71).abs() < 1e-12);
    assert!((map.outstanding(Side::Long)[1] - 5.0).abs() < 1e-12);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let e = page_estimator();
    let ok = [
        bar(0, 101.0, 99.0, 100.0, 1.0, 0.5),
        bar(1, 101.0, 99.0, 100.0, 1.0, 0.5),
    ];
    assert_eq!(
        e.estimate(&ok, &series(&[1.0])),
        Err(MathError::LengthMismatch { left: 2, right: 1 })
    );
    let shifted = TimeSeries::new(vec![0, 5], vec![1.0, 2.0]).unwrap();
    assert!(matches!(
        e.estimate(&ok, &shifted),
        Err(MathError::InvalidParameter { .. })
    ));
    assert!(e.estimate(&ok, &series(&[1.0, -2.0])).is_err());
    for broken in [
        bar(1, f64::NAN, 99.0, 100.0, 1.0, 0.5),
        bar(1, 99.0, 101.0, 100.0, 1.0, 0.5),
        bar(1, 101.0, 99.0, 100.0, 1.0, 2.0),
        bar(1, 101.0, -99.0, 100.0, 1.0, 0.5),
    ] {
        assert!(matches!(
            e.estimate(&[ok[0], broken], &series(&[1.0, 2.0])),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    let empty = e.estimate(&[], &TimeSeries::default()).unwrap();
    assert_eq!(
        (empty.width(), empty.column(0), empty.at(0, 0)),
        (0, None, None)
    );
    let huge_grid = PriceGrid::with_buckets(1.0, 2.0, MAX_BUCKETS).unwrap();
    let big = LiquidationMapEstimator::new(
        huge_grid,
        LeverageGrid::new(&[2.0], &[1.0], 0.0).unwrap(),
        0.0,
    )
    .unwrap();
    let many: Vec<Bar> = (0..100).map(|t| bar(t, 1.5, 1.5, 1.5, 1.0, 0.5)).collect();
    assert!(big.estimate(&many, &series(&[1.0; 100])).is_err());
    let overflow = series(&[0.0, 1e300, 0.0, f64::MAX]);
    let four: Vec<Bar> = (0..4)
        .map(|t| bar(t, 65_000.0, 65_000.0, 65_000.0, 1.0, 0.5))
        .collect();
    assert!(e.estimate(&four, &overflow).is_err());

    let grid = PriceGrid::with_step(1.0, 2.0, 0.1).unwrap();
    let mix = LeverageGrid::new(&[2.0], &[1.0], 0.0).unwrap();
    for decay in [f64::NAN, -0.1, 1.0, f64::INFINITY] {
        assert!(LiquidationMapEstimator::new(grid, mix.clone(), decay).is_err());
    }
    for (lo, hi, step) in [
        (f64::NAN, 2.0, 0.1),
        (1.0, f64::INFINITY, 0.1),
        (-1.0, 2.0, 0.1),
        (2.0, 1.0, 0.1),
        (1.0, 2.0, 0.0),
        (1.0, 2.0, 1e-9),
    ] {
        assert!(
            PriceGrid::with_step(lo, hi, step).is_err(),
            "{lo} {hi} {step}"
        );
    }
    assert!(PriceGrid::with_buckets(1.0, 2.0, 0).is_err());
    assert!(PriceGrid::with_buckets(1.0, 1.0, 10).is_err());
    assert!(PriceGrid::with_buckets(1.0, 2.0, MAX_BUCKETS + 1).is_err());
    assert_eq!(
        LeverageGrid::new(&[], &[], 0.0),
        Err(MathError::NotEnoughData { needed: 1, got: 0 })
    );
    assert_eq!(
        LeverageGrid::new(&[2.0], &[0.5, 0.5], 0.0),
        Err(MathError::LengthMismatch { left: 1, right: 2 })
    );
    for (levs, ws, mmr) in [
        (vec![0.5], vec![1.0], 0.0),
        (vec![f64::NAN], vec![1.0], 0.0),
        (vec![2.0], vec![f64::NAN], 0.0),
        (vec![2.0, 3.0], vec![1.5, -0.5], 0.0),
        (vec![2.0, 3.0], vec![0.5, 0.4], 0.0),
        (vec![10.0], vec![1.0], 0.1),
        (vec![10.0], vec![1.0], f64::NAN),
    ] {
        assert!(
            LeverageGrid::new(&levs, &ws, mmr).is_err(),
            "{levs:?} {ws:?} {mmr}"
        );
    }
    assert!(
        LeverageGrid::new(
            &vec![1.0; MAX_LEVERAGE_LEVELS + 1],
            &vec![0.0; MAX_LEVERAGE_LEVELS + 1],
            0.0
        )
        .is_err()
    );
}

#[test]
fn price_grid_counts_centres_exactly() {
    let grid = PriceGrid::with_step(100.0, 110.0, 1.0).unwrap();
    assert_eq!(grid.bucket_count(), 10);
    assert_eq!(grid.max_price(), 110.0);
    assert_eq!(grid.first_center_at_or_above(100.5), 0);
    assert_eq!(grid.first_center_at_or_above(100.6), 1);
    assert_eq!(grid.first_center_above(100.5), 1);
    assert_eq!(grid.first_center_above(50.0), 0);
    assert_eq!(grid.first_center_at_or_above(500.0), 10);
    assert_eq!(grid.bucket_of(f64::NAN), None);
    assert_eq!(grid.bucket_of(99.99), None);
    assert_eq!(
        PriceGrid::with_step(0.0, 1.0, 0.1).unwrap().bucket_count(),
        10
    );
}
