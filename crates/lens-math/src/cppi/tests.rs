use super::*;
use crate::rng::SplitMix64;
use crate::series::DAY_MS;
use proptest::prelude::*;

fn two_point_path(move_fraction: f64) -> TimeSeries {
    TimeSeries::new(vec![0, DAY_MS], vec![100.0, 100.0 * (1.0 + move_fraction)]).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

/// The CPPI glossary page's worked example (Black & Perold's rule): V 100, F 80, m 4, no cap, no interest.
/// Rows: (move, V, C, next E, trade, gap event, below floor), re-derived with python3.
#[test]
fn one_move_table_matches_methods_section_3_12() {
    let cppi = Cppi::new(4.0, None, 0.0, 0.0).unwrap();
    let rows = [
        (-0.10, 92.0, 12.0, 48.0, -24.0, false, false),
        (-0.25, 80.0, 0.0, 0.0, -60.0, true, false),
        (-0.30, 76.0, -4.0, 0.0, -56.0, true, true),
        (0.10, 108.0, 28.0, 112.0, 24.0, false, false),
    ];
    for (mv, value, cushion, exposure, trade, gap, below) in rows {
        let steps = cppi.run(&two_point_path(mv), 100.0, 80.0).unwrap();
        assert!(close(steps[0].exposure, 80.0) && close(steps[0].reserve, 20.0));
        let s = steps[1];
        assert!(
            close(s.value, value) && close(s.cushion, cushion),
            "move {mv}"
        );
        assert!(
            close(s.exposure, exposure) && close(s.trade, trade),
            "move {mv}"
        );
        assert_eq!((s.gap_event, s.below_floor), (gap, below), "move {mv}");
    }
}

/// Same page: after +10 % the uncapped rule holds 112 on 108 (reserve −4); a cap λ = 1 stops it at 108
/// (a purchase of 20, reserve 0); λ = 1.5 allows 162, so it does not bind.
#[test]
fn the_leverage_cap_binds_only_when_below_m_times_cushion() {
    let uncapped = Cppi::new(4.0, None, 0.0, 0.0)
        .unwrap()
        .run(&two_point_path(0.10), 100.0, 80.0)
        .unwrap()[1];
    assert!(close(uncapped.reserve, -4.0) && uncapped.exposure_ratio > 1.0);
    let cap_1 = Cppi::new(4.0, Some(1.0), 0.0, 0.0)
        .unwrap()
        .run(&two_point_path(0.10), 100.0, 80.0)
        .unwrap()[1];
    assert!(close(cap_1.exposure, 108.0) && close(cap_1.trade, 20.0) && cap_1.reserve.abs() < 1e-9);
    let cap_15 = Cppi::new(4.0, Some(1.5), 0.0, 0.0)
        .unwrap()
        .run(&two_point_path(0.10), 100.0, 80.0)
        .unwrap()[1];
    assert!(close(cap_15.exposure, 112.0));
}

/// CFA-style example from the glossary (V 10 M, F 8.5 M, m 3): C 1.5 M, E 4.5 M (45 %), B 5.5 M; after −10 %
/// V 9.55 M, C 1.05 M, E 3.15 M, a sale of 0.9 M; after +10 % a purchase of 0.9 M.
#[test]
fn cfa_style_example_matches() {
    let cppi = Cppi::new(3.0, None, 0.0, 0.0).unwrap();
    let a = cppi.allocate(10e6, 8.5e6).unwrap();
    assert!(close(a.cushion, 1.5e6) && close(a.exposure, 4.5e6) && close(a.reserve, 5.5e6));
    let down = cppi.run(&two_point_path(-0.10), 10e6, 8.5e6).unwrap();
    assert!(close(down[0].exposure_ratio, 0.45));
    let s = down[1];
    assert!(close(s.value, 9.55e6) && close(s.cushion, 1.05e6) && close(s.exposure, 3.15e6));
    assert!(close(s.trade, -0.9e6));
    assert!(close(
        cppi.run(&two_point_path(0.10), 10e6, 8.5e6).unwrap()[1].trade,
        0.9e6
    ));
    assert!(close(cppi.gap_threshold(), -1.0 / 3.0));
}

/// Hand-checked: r = 5 % over exactly one 365-day year, flat price: floor 80·e^0.05 = 84.1017, reserve
/// 20 × 1.05 = 21, value 101, cushion 16.8983, exposure 67.5932.
#[test]
fn floor_compounds_continuously_and_reserve_earns_simple_interest() {
    let flat = TimeSeries::new(vec![0, 365 * DAY_MS], vec![100.0, 100.0]).unwrap();
    let s = Cppi::new(4.0, None, 0.05, 0.0)
        .unwrap()
        .run(&flat, 100.0, 80.0)
        .unwrap()[1];
    assert!(close(s.floor, 80.0 * 0.05f64.exp()));
    assert!(close(s.value, 101.0));
    assert!(close(s.exposure, 4.0 * (101.0 - 80.0 * 0.05f64.exp())));
    assert_eq!(s.time_ms, 365 * DAY_MS);
}

#[test]
fn a_tolerance_band_skips_small_rebalances() {
    let path = TimeSeries::new(vec![0, 1, 2], vec![100.0, 101.0, 90.0]).unwrap();
    let steps = Cppi::new(4.0, None, 0.0, 0.05)
        .unwrap()
        .run(&path, 100.0, 80.0)
        .unwrap();
    // +1 %: held 80.8, target 83.2, drift 2.4 < 5 % of 100.8 → hold; −10.9 %: drift far above the band.
    assert!(!steps[1].rebalanced && close(steps[1].exposure, 80.8) && steps[1].trade == 0.0);
    assert!(steps[2].rebalanced && close(steps[2].exposure, 4.0 * steps[2].cushion));
    let every_step = Cppi::new(4.0, None, 0.0, 0.0)
        .unwrap()
        .run(&path, 100.0, 80.0)
        .unwrap();
    assert!(every_step.iter().all(|s| s.rebalanced));
    assert_eq!(
        every_step.iter().map(|s| s.time_ms).collect::<Vec<_>>(),
        path.times_ms()
    );
}

/// Discrete rebalancing on a fine GBM path approaches the continuous closed form (Itô derivation in §3.12).
#[test]
fn fine_rebalancing_converges_to_the_continuous_cushion() {
    let (m, r, sigma, steps) = (4.0, 0.03, 0.5, 100_000usize);
    let dt = 1.0 / steps as f64;
    let step_ms = (YEAR_MS * dt) as i64;
    let mut rng = SplitMix64::new(7);
    let mut log_price = 0.0f64;
    let mut times = vec![0i64];
    let mut prices = vec![1.0];
    for i in 1..=steps {
        log_price += -0.5 * sigma * sigma * dt + sigma * dt.sqrt() * rng.normal();
        times.push(i as i64 * step_ms);
        prices.push(log_price.exp());
    }
    let years = (steps as i64 * step_ms) as f64 / YEAR_MS;
    let path = TimeSeries::new(times, prices).unwrap();
    let last = *Cppi::new(m, None, r, 0.0)
        .unwrap()
        .run(&path, 100.0, 80.0)
        .unwrap()
        .last()
        .unwrap();
    let expected = continuous_cushion(20.0, log_price.exp(), m, r, sigma, years).unwrap();
    assert!(
        (last.cushion / expected - 1.0).abs() < 0.02,
        "discrete {} vs continuous {expected}",
        last.cushion
    );
}

#[test]
fn bad_inputs_give_typed_errors() {
    for m in [0.5, 0.0, f64::NAN, f64::INFINITY] {
        assert!(Cppi::new(m, None, 0.0, 0.0).is_err());
    }
    assert!(Cppi::new(3.0, Some(0.0), 0.0, 0.0).is_err());
    assert!(Cppi::new(3.0, Some(f64::INFINITY), 0.0, 0.0).is_err());
    assert!(Cppi::new(3.0, None, f64::NAN, 0.0).is_err());
    assert!(Cppi::new(3.0, None, 0.0, -0.1).is_err());
    let cppi = Cppi::new(3.0, None, 0.0, 0.0).unwrap();
    assert!(matches!(
        cppi.run(&TimeSeries::default(), 100.0, 80.0),
        Err(MathError::NotEnoughData { .. })
    ));
    let bad_price = TimeSeries::new(vec![0, 1], vec![100.0, 0.0]).unwrap();
    assert!(cppi.run(&bad_price, 100.0, 80.0).is_err());
    let ok = two_point_path(0.0);
    for (v, f) in [
        (0.0, 80.0),
        (f64::NAN, 80.0),
        (100.0, -1.0),
        (100.0, f64::INFINITY),
    ] {
        assert!(cppi.run(&ok, v, f).is_err());
    }
    assert!(cppi.allocate(f64::NAN, 1.0).is_err() && cppi.allocate(1.0, f64::INFINITY).is_err());
    assert!(continuous_cushion(1.0, 0.0, 3.0, 0.0, 0.2, 1.0).is_err());
    assert!(continuous_cushion(1.0, 1.0, 3.0, 0.0, -0.2, 1.0).is_err());
    assert!(continuous_cushion(1.0, 1.0, 3.0, 0.0, 0.2, f64::NAN).is_err());
    // Extreme timestamps: the gap between them is computed without overflow.
    let wide = TimeSeries::new(vec![i64::MIN, i64::MAX], vec![1.0, 1.0]).unwrap();
    assert!(cppi.run(&wide, 100.0, 80.0).is_ok());
}

proptest! {
    /// Without gaps (every step's fall smaller than 1/m) and with r = 0, value never ends below the floor.
    #[test]
    fn small_steps_never_breach_the_floor(
        m in 1.0f64..10.0, cap in prop::option::of(0.5f64..5.0), floor in 0.0f64..99.0,
        returns in prop::collection::vec(-0.05f64..0.05, 1..300),
    ) {
        let mut price = 100.0;
        let mut prices = vec![price];
        for r in &returns {
            price *= 1.0 + r;
            prices.push(price);
        }
        let times: Vec<i64> = (0..prices.len() as i64).map(|i| i * DAY_MS).collect();
        let path = TimeSeries::new(times, prices).unwrap();
        let steps = Cppi::new(m, cap, 0.0, 0.0).unwrap().run(&path, 100.0, floor).unwrap();
        prop_assert_eq!(steps.len(), path.len());
        prop_assert!(steps.iter().all(|s| !s.gap_event && !s.below_floor && s.value >= s.floor));
        prop_assert!(steps.iter().all(|s| s.exposure >= 0.0 && s.exposure <= m * s.cushion.max(0.0) + 1e-9));
    }
}
