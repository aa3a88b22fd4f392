use super::*;
use proptest::prelude::*;

fn bracket(floor: f64, cap: f64, rate: f64, max_leverage: f64) -> TierBracket {
    TierBracket {
        notional_floor: floor,
        notional_cap: cap,
        maintenance_margin_rate: rate,
        max_leverage,
    }
}

/// Methods §3.7 test table (Binance BTCUSDT, 2021-03-18): the derived cum column must read 0, 50, 1,300, 16,300,
/// 266,300, 1,266,300, 2,516,300, 5,016,300, 25,016,300, 100,016,300 (python3 gives the same).
#[test]
fn binance_btcusdt_2021_cum_column_matches_methods_table() {
    let expected = [
        0.0,
        50.0,
        1_300.0,
        16_300.0,
        266_300.0,
        1_266_300.0,
        2_516_300.0,
        5_016_300.0,
        25_016_300.0,
        100_016_300.0,
    ];
    let table = TierTable::binance_btcusdt_2021();
    assert_eq!(table.tiers().len(), expected.len());
    for (tier, cum) in table.tiers().iter().zip(expected) {
        assert!(
            (tier.maintenance_amount() - cum).abs() < 1e-6,
            "{} vs {cum}",
            tier.maintenance_amount()
        );
    }
    let top = &table.tiers()[9];
    assert_eq!(
        (top.notional_floor(), top.notional_cap(), top.max_leverage()),
        (300e6, 500e6, 1.0)
    );
    assert_eq!(table.tiers()[0].initial_margin_rate(), 1.0 / 125.0);
}

/// The constant passes the same validation as any user table and derives the same amounts.
#[test]
fn binance_constant_equals_validated_construction() {
    let brackets = BINANCE_BTCUSDT_2021.map(|(f, c, r, l)| bracket(f, c, r, l));
    assert_eq!(
        TierTable::new(&brackets).unwrap(),
        TierTable::binance_btcusdt_2021()
    );
}

/// Binance COIN-M FAQ, Level 5: 50 BTC × (5 % − 2.5 %) + 0.56 BTC = 1.81 BTC.
#[test]
fn maintenance_amount_matches_binance_coin_m_faq_example() {
    assert!((next_maintenance_amount(50.0, 0.05, 0.025, 0.56).unwrap() - 1.81).abs() < 1e-12);
}

/// Leverage-mechanics page, step 2: MM at 260,000 is 1,300; at the 250,000 boundary tier 2 and tier 3 both give
/// 1,200 (250,000 × 0.5 % − 50 and 250,000 × 1 % − 1,300).
#[test]
fn maintenance_margin_matches_leverage_mechanics_page() {
    let table = TierTable::binance_btcusdt_2021();
    assert!((table.maintenance_margin(260_000.0).unwrap() - 1_300.0).abs() < 1e-9);
    let t2 = &table.tiers()[1];
    let t3 = &table.tiers()[2];
    let below = 250_000.0 * t2.maintenance_margin_rate() - t2.maintenance_amount();
    let above = 250_000.0 * t3.maintenance_margin_rate() - t3.maintenance_amount();
    assert!((below - 1_200.0).abs() < 1e-9 && (above - 1_200.0).abs() < 1e-9);
    assert!((table.maintenance_margin(250_000.0).unwrap() - 1_200.0).abs() < 1e-9);
}

#[test]
fn lookup_uses_half_open_brackets_and_includes_the_last_cap() {
    let table = TierTable::binance_btcusdt_2021();
    assert_eq!(table.tier_index_for_notional(0.0).unwrap(), 0);
    assert_eq!(table.tier_index_for_notional(49_999.99).unwrap(), 0);
    assert_eq!(table.tier_index_for_notional(50_000.0).unwrap(), 1);
    assert_eq!(table.tier_index_for_notional(500e6).unwrap(), 9);
    assert!(table.tier_index_for_notional(500e6 + 1.0).is_err());
    assert!(table.tier_for_notional(-1.0).is_err());
    assert!(matches!(
        table.maintenance_margin(f64::NAN),
        Err(MathError::NotFinite { .. })
    ));
    assert_eq!(
        TierTable::flat(0.005, 50.0)
            .unwrap()
            .tier_index_for_notional(1e300)
            .unwrap(),
        0
    );
}

#[test]
fn initial_margin_respects_the_tier_maximum() {
    let table = TierTable::binance_btcusdt_2021();
    assert!((table.initial_margin(260_000.0, 10.0).unwrap() - 26_000.0).abs() < 1e-9);
    assert!((table.initial_margin(260_000.0, 50.0).unwrap() - 5_200.0).abs() < 1e-9);
    assert!(table.initial_margin(260_000.0, 50.5).is_err());
    assert!(table.initial_margin(260_000.0, 0.5).is_err());
    assert!(table.initial_margin(f64::INFINITY, 10.0).is_err());
    assert!(initial_margin(-1.0, 10.0).is_err());
    assert!(initial_margin(1.0, f64::NAN).is_err());
}

#[test]
fn invalid_tables_are_typed_errors() {
    let ok = bracket(0.0, 100.0, 0.01, 20.0);
    assert_eq!(
        TierTable::new(&[]),
        Err(MathError::NotEnoughData { needed: 1, got: 0 })
    );
    let cases: [&[TierBracket]; 10] = [
        &[bracket(10.0, 100.0, 0.01, 20.0)],       // does not start at 0
        &[ok, bracket(150.0, 200.0, 0.02, 10.0)],  // gap
        &[ok, bracket(90.0, 200.0, 0.02, 10.0)],   // overlap
        &[ok, bracket(100.0, 200.0, 0.005, 10.0)], // MMR decreases
        &[bracket(0.0, 100.0, 1.0, 1.0)],          // MMR of 100 %
        &[bracket(0.0, 100.0, -0.01, 20.0)],       // negative MMR
        &[bracket(0.0, 100.0, 0.01, 0.5)],         // leverage below 1
        &[bracket(0.0, 100.0, 0.06, 20.0)],        // IMR 5 % ≤ MMR 6 %
        &[bracket(0.0, 0.0, 0.01, 20.0)],          // empty bracket
        &[ok, bracket(100.0, 50.0, 0.02, 10.0)],   // cap below floor
    ];
    for (i, brackets) in cases.iter().enumerate() {
        assert!(
            matches!(
                TierTable::new(brackets),
                Err(MathError::InvalidParameter { .. })
            ),
            "case {i}"
        );
    }
    // An open cap is allowed only in the last bracket.
    assert!(matches!(
        TierTable::new(&[bracket(0.0, f64::INFINITY, 0.01, 20.0), ok]),
        Err(MathError::NotFinite {
            name: "notional_cap"
        })
    ));
    for nan in [
        bracket(f64::NAN, 100.0, 0.01, 20.0),
        bracket(0.0, f64::NAN, 0.01, 20.0),
        bracket(0.0, 100.0, f64::NAN, 20.0),
        bracket(0.0, 100.0, 0.01, f64::INFINITY),
    ] {
        assert!(matches!(
            TierTable::new(&[nan]),
            Err(MathError::NotFinite { .. })
        ));
    }
    assert!(TierTable::flat(0.5, 2.0).is_err());
    assert!(next_maintenance_amount(-1.0, 0.05, 0.025, 0.0).is_err());
    assert!(next_maintenance_amount(50.0, f64::NAN, 0.025, 0.0).is_err());
    assert!(next_maintenance_amount(50.0, 0.05, 0.025, f64::INFINITY).is_err());
}

/// A random valid table: contiguous brackets with growing width, MMR non-decreasing, IMR above MMR.
fn table_strategy() -> impl Strategy<Value = TierTable> {
    prop::collection::vec((1.0f64..1e6, 0.0f64..0.05), 1..12).prop_map(|steps| {
        let (mut floor, mut rate) = (0.0, 0.001);
        let brackets: Vec<TierBracket> = steps
            .iter()
            .map(|&(width, rise)| {
                rate = (rate + rise).min(0.9);
                let b = bracket(floor, floor + width, rate, (0.99 / rate).max(1.0));
                floor += width;
                b
            })
            .collect();
        TierTable::new(&brackets).unwrap()
    })
}

proptest! {
    /// Issue property: the maintenance margin is continuous at every tier boundary.
    #[test]
    fn maintenance_margin_is_continuous_at_tier_boundaries(table in table_strategy()) {
        for pair in table.tiers().windows(2) {
            let boundary = pair[1].notional_floor();
            let from_below = boundary * pair[0].maintenance_margin_rate() - pair[0].maintenance_amount();
            let from_above = boundary * pair[1].maintenance_margin_rate() - pair[1].maintenance_amount();
            prop_assert!((from_below - from_above).abs() <= 1e-9 * boundary.max(1.0));
            let just_below = table.maintenance_margin(boundary * (1.0 - 1e-12)).unwrap();
            prop_assert!((just_below - from_above).abs() <= 1e-6 * boundary.max(1.0));
        }
    }

    /// With continuity and non-decreasing rates, maintenance margin never falls as notional grows.
    #[test]
    fn maintenance_margin_is_non_decreasing(table in table_strategy(), a in 0.0f64..1.0, b in 0.0f64..1.0) {
        let top = table.tiers().last().map_or(0.0, MarginTier::notional_cap);
        let (lo, hi) = if a <= b { (a * top, b * top) } else { (b * top, a * top) };
        let mm_lo = table.maintenance_margin(lo).unwrap();
        let mm_hi = table.maintenance_margin(hi).unwrap();
        prop_assert!(mm_hi >= mm_lo - 1e-9 * top);
    }
}
