use super::*;
use crate::rng::SplitMix64;
use proptest::prelude::*;

/// Liquidation-risks page, "distance versus leverage" table (MMR 0.40 %, cum 0), in percent to two decimals;
/// full values from python3, e.g. 5× long 0.19678714859437751.
#[test]
fn distance_matches_liquidation_risks_page_table() {
    let table = [
        (5.0, 19.68, 19.52),
        (10.0, 9.64, 9.56),
        (20.0, 4.62, 4.58),
        (50.0, 1.61, 1.59),
        (125.0, 0.40, 0.40),
    ];
    for (leverage, long_pct, short_pct) in table {
        let long = liquidation_distance(Side::Long, leverage, 0.004).unwrap() * 100.0;
        let short = liquidation_distance(Side::Short, leverage, 0.004).unwrap() * 100.0;
        assert!((long - long_pct).abs() < 0.005, "{leverage}× long {long}");
        assert!(
            (short - short_pct).abs() < 0.005,
            "{leverage}× short {short}"
        );
    }
    // "At 125× the maintenance margin takes up half of the heuristic distance."
    let d125 = liquidation_distance(Side::Long, 125.0, 0.004).unwrap();
    assert!((d125 / (1.0 / 125.0) - 0.5).abs() < 0.01);
}

/// Liquidation-risks page, map example: slices at 58,794.0 / 62,713.6 / 64,020.1 (long) and 71,144.3 /
/// 67,263.7 / 65,970.1 (short) for 10×, 25×, 50× from 65,000 with MMR 0.5 % (python3 agrees to 1e-9).
#[test]
fn flat_mmr_levels_match_liquidation_risks_map_example() {
    let cases = [
        (10.0, 58_794.0, 71_144.3),
        (25.0, 62_713.6, 67_263.7),
        (50.0, 64_020.1, 65_970.1),
    ];
    for (leverage, long, short) in cases {
        let lp_long = liquidation_price_flat_mmr(Side::Long, 65_000.0, leverage, 0.005).unwrap();
        let lp_short = liquidation_price_flat_mmr(Side::Short, 65_000.0, leverage, 0.005).unwrap();
        assert!((lp_long - long).abs() < 0.05, "{leverage}× long {lp_long}");
        assert!(
            (lp_short - short).abs() < 0.05,
            "{leverage}× short {lp_short}"
        );
    }
}

/// Liquidation-risks page, touch table for the 10× long (log distance −0.1006, σ = 60 %): 1 day 0.14 %, 7 days
/// 22.6 %, 30 days 55.9 %; and the 20× long (level 62,047.74) one day 13.9 %. python3 with σ = 0.60 gives
/// 0.0013645, 0.2261792, 0.5588093 and 0.1388464.
#[test]
fn touch_probability_matches_liquidation_risks_page() {
    let level_10x = 58_781.407_035_175_88;
    let cases = [(1.0, 0.14), (7.0, 22.6), (30.0, 55.9)];
    for (days, pct) in cases {
        let p = touch_probability(65_000.0, level_10x, 0.60, days).unwrap() * 100.0;
        let decimals = if pct < 1.0 { 0.005 } else { 0.05 };
        assert!((p - pct).abs() < decimals, "{days} d: {p} %");
    }
    let p20 = touch_probability(65_000.0, 62_047.738_693_467_334, 0.60, 1.0).unwrap();
    assert!((p20 - 0.138_846_414_289_925_28).abs() < 1e-12);
    let p7 = touch_probability(65_000.0, level_10x, 0.60, 7.0).unwrap();
    assert!((p7 - 0.226_179_176_432_535_38).abs() < 1e-12);
}

/// Page: hourly std 0.64 % × √8760 ≈ 0.60 (python3: 0.5990071785880366).
#[test]
fn annualised_volatility_scales_hourly_std_by_root_8760() {
    let sigma = annualised_volatility(&[-0.0064, 0.0, 0.0064], 8_760.0).unwrap();
    assert!((sigma - 0.599_007_178_588_036_6).abs() < 1e-12);
}

/// Monte-Carlo cross-check of the reflection formula: driftless log-Brownian paths on a fine grid, seeded. The
/// discretely monitored barrier is shifted toward the start by exp(0.5826·σ·√Δt) (Broadie, Glasserman & Kou
/// 1997, continuity correction) so a path that would cross between steps still counts. 4,000 paths give a
/// standard error near 0.0066 around 0.226; the tolerance is about four of them.
#[test]
fn touch_probability_agrees_with_seeded_monte_carlo() {
    let (p0, level, sigma, days): (f64, f64, f64, f64) = (65_000.0, 58_781.41, 0.60, 7.0);
    let (paths, steps) = (4_000, 500);
    let dt = days / DAYS_PER_YEAR / steps as f64;
    let step_sd = sigma * dt.sqrt();
    let barrier = (level / p0).ln() + 0.5826 * step_sd;
    let mut rng = SplitMix64::new(20_240_601);
    let mut touched = 0usize;
    for _ in 0..paths {
        let mut x = 0.0;
        for _ in 0..steps {
            x += step_sd * rng.normal();
            if x <= barrier {
                touched += 1;
                break;
            }
        }
    }
    let simulated = touched as f64 / paths as f64;
    let formula = touch_probability(p0, level, sigma, days).unwrap();
    assert!(
        (simulated - formula).abs() < 0.025,
        "simulated {simulated}, formula {formula}"
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert!(liquidation_price_flat_mmr(Side::Long, f64::NAN, 10.0, 0.005).is_err());
    assert!(liquidation_price_flat_mmr(Side::Long, 100.0, 0.5, 0.005).is_err());
    assert!(liquidation_price_flat_mmr(Side::Long, 100.0, f64::INFINITY, 0.005).is_err());
    assert!(liquidation_price_flat_mmr(Side::Long, 100.0, 10.0, 0.1).is_err()); // MMR = 1/L
    assert!(liquidation_price_flat_mmr(Side::Short, 100.0, 10.0, -0.01).is_err());
    assert!(liquidation_price_flat_mmr(Side::Short, 100.0, 10.0, f64::NAN).is_err());
    assert!(heuristic_liquidation_price(Side::Short, -1.0, 10.0).is_err());
    assert!(liquidation_distance(Side::Long, f64::NAN, 0.004).is_err());
    for (p0, lp, s, d) in [
        (f64::NAN, 1.0, 0.5, 1.0),
        (1.0, 0.0, 0.5, 1.0),
        (1.0, 1.0, -0.5, 1.0),
        (1.0, 1.0, 0.5, 0.0),
        (1.0, 1.0, 0.5, f64::INFINITY),
    ] {
        assert!(matches!(
            touch_probability(p0, lp, s, d),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    assert_eq!(
        annualised_volatility(&[0.1], 8_760.0),
        Err(MathError::NotEnoughData { needed: 2, got: 1 })
    );
    assert_eq!(
        annualised_volatility(&[], 8_760.0),
        Err(MathError::NotEnoughData { needed: 2, got: 0 })
    );
    assert!(matches!(
        annualised_volatility(&[0.1, f64::NAN], 8_760.0),
        Err(MathError::NotFinite { .. })
    ));
    assert!(annualised_volatility(&[0.1, 0.2], 0.0).is_err());
}

fn side_strategy() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Long), Just(Side::Short)]
}

proptest! {
    /// The level sits on the losing side, inside the heuristic one, and the distance shrinks with leverage.
    #[test]
    fn flat_level_lies_between_heuristic_and_entry(
        side in side_strategy(), entry in 1.0f64..1e6, leverage in 1.0f64..125.0, rate_share in 0.0f64..0.9,
    ) {
        let mmr = rate_share / leverage;
        let d = side.sign();
        let lp = liquidation_price_flat_mmr(side, entry, leverage, mmr).unwrap();
        let rough = heuristic_liquidation_price(side, entry, leverage).unwrap();
        prop_assert!(d * (lp - entry) < 0.0);
        prop_assert!(d * (lp - rough) >= -1e-9 * entry);
        let further = liquidation_distance(side, leverage, mmr).unwrap();
        let closer = liquidation_distance(side, leverage * 1.1, mmr).unwrap();
        prop_assert!(closer < further);
    }

    /// A probability, decreasing in distance and increasing in horizon and volatility.
    #[test]
    fn touch_probability_is_monotone(
        ratio in 0.5f64..0.999, sigma in 0.05f64..2.0, days in 0.1f64..365.0,
    ) {
        let p = touch_probability(100.0, 100.0 * ratio, sigma, days).unwrap();
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert!(touch_probability(100.0, 100.0 * ratio * 0.99, sigma, days).unwrap() <= p);
        prop_assert!(touch_probability(100.0, 100.0 * ratio, sigma, days * 1.5).unwrap() >= p);
        prop_assert!(touch_probability(100.0, 100.0 * ratio, sigma * 1.5, days).unwrap() >= p);
    }
}
