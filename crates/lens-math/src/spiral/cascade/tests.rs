use super::*;
use crate::spiral::position::isolated_liquidation_price;
use proptest::prelude::*;

fn long(size: f64, leverage: f64) -> LeveragedPosition {
    LeveragedPosition::new(Side::Long, size, 100.0, leverage, 0.0).unwrap()
}

fn short(size: f64, leverage: f64) -> LeveragedPosition {
    LeveragedPosition::new(Side::Short, size, 100.0, leverage, 0.0).unwrap()
}

/// Glossary "Leverage and liquidation risks", one bar of the map: entry 65,000, MMR 0.5 %, cum 0.
#[test]
fn liquidation_prices_match_the_liquidation_map_page_example() {
    let cases = [
        (Side::Long, 10.0, 58_794.0),
        (Side::Long, 25.0, 62_713.6),
        (Side::Long, 50.0, 64_020.1),
        (Side::Short, 10.0, 71_144.3),
        (Side::Short, 25.0, 67_263.7),
        (Side::Short, 50.0, 65_970.1),
    ];
    for (side, leverage, page) in cases {
        let lp = isolated_liquidation_price(side, 65_000.0, leverage, 0.005).unwrap();
        assert!(
            (lp - page).abs() < 0.05,
            "{side:?} {leverage}×: {lp} vs page {page}"
        );
    }
}

/// Same page, "distance versus leverage" table (MMR 0.40 %, the first BTCUSDT tier of Binance's 2021 table).
#[test]
fn liquidation_distances_match_the_page_table() {
    let table = [
        (5.0, 19.68, 19.52),
        (10.0, 9.64, 9.56),
        (20.0, 4.62, 4.58),
        (50.0, 1.61, 1.59),
        (125.0, 0.40, 0.40),
    ];
    for (leverage, long_pct, short_pct) in table {
        let long_lp = isolated_liquidation_price(Side::Long, 1.0, leverage, 0.004).unwrap();
        let short_lp = isolated_liquidation_price(Side::Short, 1.0, leverage, 0.004).unwrap();
        assert!(
            ((1.0 - long_lp) * 100.0 - long_pct).abs() < 0.005,
            "long {leverage}×"
        );
        assert!(
            ((short_lp - 1.0) * 100.0 - short_pct).abs() < 0.005,
            "short {leverage}×"
        );
    }
}

#[test]
fn isolated_margin_and_leverage_describe_the_same_position() {
    let by_margin =
        LeveragedPosition::with_isolated_margin(Side::Short, 4.0, 65_000.0, 26_000.0, 0.005)
            .unwrap();
    let by_leverage = LeveragedPosition::new(Side::Short, 4.0, 65_000.0, 10.0, 0.005).unwrap();
    assert!((by_margin.liquidation_price() - by_leverage.liquidation_price()).abs() < 1e-9);
    assert!((by_margin.notional_usd() - 260_000.0).abs() < 1e-9);
    // A long with margin above its notional (L < 1) cannot be liquidated at a positive price.
    let overcollateralised =
        LeveragedPosition::with_isolated_margin(Side::Long, 1.0, 100.0, 200.0, 0.0).unwrap();
    assert!(overcollateralised.liquidation_price() < 0.0);
}

/// Hand-checked (python3): LPs 95 (50 units), 92 (2), 90 (1), 80 (10); bid depth 1,000 USD per 1 %.
/// −6 % → 94 fires the 95 level: 4,700 USD → 94·e^(−0.047) = 89.684215; that crosses 92 and 90: 3 units,
/// 269.052646 USD → 89.443242; 80 stays out of reach.
#[test]
fn long_cascade_matches_hand_computed_rounds() {
    let book = PositionBook::new(&[
        long(1.0, 10.0),
        long(50.0, 20.0),
        long(2.0, 12.5),
        long(10.0, 5.0),
    ]);
    let cascade = book
        .cascade(100.0, -0.06, &BookDepth::new(1_000.0, 1.0).unwrap())
        .unwrap();
    assert_eq!(cascade.stop, CascadeStop::NoNewLiquidations);
    assert_eq!(cascade.rounds.len(), 2);
    let (r0, r1) = (cascade.rounds[0], cascade.rounds[1]);
    assert_eq!(
        (r0.round, r0.side, r0.positions_liquidated),
        (0, Side::Long, 1)
    );
    assert!((r0.trigger_price - 94.0).abs() < 1e-12);
    assert!((r0.volume_base - 50.0).abs() < 1e-12 && (r0.volume_usd - 4_700.0).abs() < 1e-9);
    assert!((r0.price_after - 89.684_215_373).abs() < 1e-8);
    assert_eq!(r1.positions_liquidated, 2);
    assert!((r1.volume_usd - 269.052_646_120).abs() < 1e-8);
    assert!((cascade.final_price() - 89.443_241_937).abs() < 1e-8);
    assert_eq!(cascade.price_path.len(), 4);
    assert_eq!(cascade.total_positions_liquidated(), 3);
}

/// Hand-checked (python3): shorts LP 105 (40 units) and 110 (5); ask depth 2,000 USD per 1 %.
/// +6 % → 106: 4,240 USD bought back → 106·e^(0.0212) = 108.271190, below 110, so the squeeze stops.
#[test]
fn short_squeeze_runs_upward_through_the_asks() {
    let book = PositionBook::new(&[short(40.0, 20.0), short(5.0, 10.0), long(1.0, 2.0)]);
    let cascade = book
        .cascade(100.0, 0.06, &BookDepth::new(1.0, 2_000.0).unwrap())
        .unwrap();
    assert_eq!(cascade.rounds.len(), 1);
    assert_eq!(cascade.rounds[0].side, Side::Short);
    assert!((cascade.final_price() - 108.271_189_546).abs() < 1e-8);
    assert_eq!(cascade.stop, CascadeStop::NoNewLiquidations);
}

#[test]
fn a_shock_that_reaches_no_liquidation_price_leaves_the_book_alone() {
    let book = PositionBook::new(&[long(1.0, 10.0), short(1.0, 10.0)]);
    let depth = BookDepth::symmetric(1_000.0).unwrap();
    for shock in [-0.05, 0.0, 0.05] {
        let cascade = book.cascade(100.0, shock, &depth).unwrap();
        assert!(cascade.rounds.is_empty());
        assert_eq!(cascade.stop, CascadeStop::NoNewLiquidations);
        assert!((cascade.final_price() - 100.0 * (1.0 + shock)).abs() < 1e-12);
    }
}

#[test]
fn thin_book_wipes_out_the_side() {
    let book = PositionBook::new(&[long(10.0, 20.0), long(10.0, 10.0), long(10.0, 3.0)]);
    let cascade = book
        .cascade(100.0, -0.06, &BookDepth::symmetric(10.0).unwrap())
        .unwrap();
    assert_eq!(cascade.stop, CascadeStop::SideWipedOut);
    assert_eq!(cascade.total_positions_liquidated(), 3);
    assert!((cascade.total_volume_base() - 30.0).abs() < 1e-12);
}

#[test]
fn bad_inputs_give_typed_errors() {
    let invalid =
        |r: Result<LeveragedPosition>| matches!(r, Err(MathError::InvalidParameter { .. }));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        0.0,
        100.0,
        10.0,
        0.005
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        f64::NAN,
        100.0,
        10.0,
        0.005
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        -1.0,
        10.0,
        0.005
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        100.0,
        f64::INFINITY,
        0.005
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        100.0,
        0.0,
        0.005
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        100.0,
        10.0,
        1.0
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        100.0,
        10.0,
        -0.1
    )));
    assert!(invalid(LeveragedPosition::new(
        Side::Long,
        1.0,
        100.0,
        250.0,
        0.005
    ))); // 1/L below MMR
    assert!(invalid(LeveragedPosition::with_isolated_margin(
        Side::Long,
        1.0,
        100.0,
        0.0,
        0.005
    )));
    assert!(matches!(
        isolated_liquidation_price(Side::Short, 100.0, 10.0, f64::NAN),
        Err(MathError::NotFinite { .. })
    ));
    assert!(BookDepth::new(0.0, 1.0).is_err() && BookDepth::new(1.0, f64::NAN).is_err());
    assert!(BookDepth::symmetric(-5.0).is_err());
    let depth = BookDepth::symmetric(1.0).unwrap();
    assert!(
        depth.price_after_sell(0.0, 1.0).is_err() && depth.price_after_sell(1.0, -1.0).is_err()
    );
    assert!(
        depth.price_after_buy(f64::NAN, 1.0).is_err()
            && depth.price_after_buy(1.0, f64::INFINITY).is_err()
    );
    assert!(matches!(
        depth.price_after_buy(1.0, 1e300),
        Err(MathError::NotFinite { .. })
    ));
    let book = PositionBook::new(&[long(1.0, 10.0)]);
    assert!(book.cascade(0.0, -0.1, &depth).is_err());
    assert!(book.cascade(f64::NAN, -0.1, &depth).is_err());
    assert!(matches!(
        book.cascade(100.0, f64::NAN, &depth),
        Err(MathError::NotFinite { .. })
    ));
    assert!(book.cascade(100.0, -1.0, &depth).is_err());
    let empty = PositionBook::new(&[]).cascade(100.0, -0.5, &depth).unwrap();
    assert_eq!(empty.stop, CascadeStop::SideWipedOut);
    // Buying 1,000 USD into 1e-300 USD of asks per 1 % overflows the price: an error, not an infinite path.
    let squeeze = PositionBook::new(&[short(10.0, 10.0)]);
    let paper_thin = BookDepth::symmetric(1e-300).unwrap();
    assert!(matches!(
        squeeze.cascade(100.0, 0.2, &paper_thin),
        Err(MathError::NotFinite { .. })
    ));
}

/// Timing check for the report: `cargo test --release cascade_of_100k -- --ignored --nocapture`.
#[test]
#[ignore]
fn cascade_of_100k_positions_timing() {
    use crate::spiral::{SyntheticBookParams, synthetic_book};
    let params = SyntheticBookParams {
        position_count: 100_000,
        ..SyntheticBookParams::default()
    };
    let start = std::time::Instant::now();
    let positions = synthetic_book(&params).unwrap();
    let generated = start.elapsed();
    let start = std::time::Instant::now();
    let book = PositionBook::new(&positions);
    let sorted = start.elapsed();
    for (shock, depth_usd_per_pct) in [(-0.03, 20e6), (-0.08, 20e6), (-0.08, 5e6), (0.05, 20e6)] {
        let depth = BookDepth::symmetric(depth_usd_per_pct).unwrap();
        let start = std::time::Instant::now();
        let cascade = book.cascade(params.reference_price, shock, &depth).unwrap();
        let walked = start.elapsed();
        println!(
            "100k positions (synthetic {generated:?}, sort {sorted:?}): shock {shock}, depth {depth_usd_per_pct:e} \
             → cascade {walked:?}, {} rounds, {} liquidated, final {:.2}, {:?}",
            cascade.rounds.len(),
            cascade.total_positions_liquidated(),
            cascade.final_price(),
            cascade.stop
        );
        assert!(cascade.rounds.len() <= 100_000);
    }
}

fn arbitrary_positions() -> impl Strategy<Value = Vec<LeveragedPosition>> {
    prop::collection::vec(
        (any::<bool>(), 0.01f64..50.0, 50.0f64..150.0, 1.1f64..100.0),
        0..60,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(is_long, size, entry, lev)| {
                let side = if is_long { Side::Long } else { Side::Short };
                LeveragedPosition::new(side, size, entry, lev, 0.004).unwrap()
            })
            .collect()
    })
}

proptest! {
    /// After the cascade every position the final price has crossed is gone and no other one is: checked by
    /// brute force against the unsorted positions.
    #[test]
    fn liquidated_volume_is_exactly_the_positions_beyond_the_final_price(
        positions in arbitrary_positions(), shock in -0.3f64..0.3, depth in 10.0f64..1e5,
    ) {
        let result = PositionBook::new(&positions).cascade(100.0, shock, &BookDepth::symmetric(depth).unwrap());
        // Forced orders far beyond a thin book overflow the price: a typed error, which is the contract.
        prop_assume!(!matches!(result, Err(MathError::NotFinite { .. })));
        let cascade = result.unwrap();
        let final_price = cascade.final_price();
        let crossed: Vec<&LeveragedPosition> = positions
            .iter()
            .filter(|p| match p.side() {
                Side::Long => shock < 0.0 && p.liquidation_price() >= final_price,
                Side::Short => shock > 0.0 && p.liquidation_price() <= final_price,
            })
            .collect();
        prop_assert_eq!(crossed.len(), cascade.total_positions_liquidated());
        let brute: f64 = crossed.iter().map(|p| p.size_base()).sum();
        prop_assert!((brute - cascade.total_volume_base()).abs() <= 1e-9 * brute.max(1.0));
    }

    #[test]
    fn the_price_path_moves_only_in_the_direction_of_the_shock(
        positions in arbitrary_positions(), shock in -0.3f64..0.3, depth in 10.0f64..1e5,
    ) {
        let result = PositionBook::new(&positions).cascade(100.0, shock, &BookDepth::symmetric(depth).unwrap());
        // Forced orders far beyond a thin book overflow the price: a typed error, which is the contract.
        prop_assume!(!matches!(result, Err(MathError::NotFinite { .. })));
        let cascade = result.unwrap();
        let direction = shock.signum();
        prop_assert!(cascade.price_path.windows(2).all(|w| (w[1] - w[0]) * direction >= 0.0));
        prop_assert!(cascade.price_path.iter().all(|p| p.is_finite() && *p > 0.0));
    }

    #[test]
    fn the_cascade_does_not_depend_on_the_order_of_the_positions(
        positions in arbitrary_positions(), shock in -0.3f64..0.3, seed in any::<u64>(),
    ) {
        let mut shuffled = positions.clone();
        let mut rng = crate::rng::SplitMix64::new(seed);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.index(i + 1));
        }
        let depth = BookDepth::symmetric(500.0).unwrap();
        // Same answer either way, an overflow error included.
        let a = PositionBook::new(&positions).cascade(100.0, shock, &depth);
        let b = PositionBook::new(&shuffled).cascade(100.0, shock, &depth);
        prop_assert_eq!(a, b);
    }
}
