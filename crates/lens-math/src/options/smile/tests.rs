use super::*;
use proptest::prelude::*;

const THIRTY_DAYS_MS: i64 = 30 * DAY_MS;

fn quote(kind: OptionKind, strike: f64, mark_iv: f64) -> OptionQuote {
    OptionQuote {
        kind,
        strike,
        expiry_ms: THIRTY_DAYS_MS,
        mark_price: 0.0,
        mark_iv,
        underlying_price: 100.0,
    }
}

fn rr25() -> DeltaRiskReversal {
    DeltaRiskReversal::new(0.25, 0.0, Underlying::Future).unwrap()
}

/// A 30-day smile on a future at 100 with put skew on the downside and call skew on the upside.
fn skewed_smile() -> Vec<OptionQuote> {
    let calls = [
        (100.0, 0.60),
        (105.0, 0.61),
        (110.0, 0.63),
        (115.0, 0.66),
        (120.0, 0.70),
    ];
    let puts = [
        (80.0, 0.75),
        (85.0, 0.70),
        (90.0, 0.66),
        (95.0, 0.63),
        (100.0, 0.60),
    ];
    let calls = calls.iter().map(|&(k, iv)| quote(OptionKind::Call, k, iv));
    calls
        .chain(puts.iter().map(|&(k, iv)| quote(OptionKind::Put, k, iv)))
        .collect()
}

/// The glossary page "Leverage skew": a 25-delta call at 52 % and a 25-delta put at 56 % → RR25 = −4 points.
#[test]
fn rr25_matches_leverage_skew_page_example() {
    let smile = [
        quote(OptionKind::Call, 105.0, 0.52),
        quote(OptionKind::Call, 120.0, 0.52),
        quote(OptionKind::Put, 80.0, 0.56),
        quote(OptionKind::Put, 95.0, 0.56),
    ];
    let rr = rr25().compute(&smile, 0).unwrap();
    assert_eq!(rr.call_volatility, 0.52);
    assert_eq!(rr.put_volatility, 0.56);
    assert!((rr.vol_points + 4.0).abs() < 1e-12);
}

/// Hand-checked with Python (Black-76 deltas through math.erfc, r = 0, T = 30/365): the 25Δ call lies between
/// strikes 115 (Δ 0.25978, IV 66 %) and 120 (Δ 0.20950, IV 70 %) → 66.77793 %; the −25Δ put between 90
/// (Δ −0.25738, IV 66 %) and 85 (Δ −0.18137, IV 70 %) → 66.38850 %; RR25 = +0.38943 points.
#[test]
fn rr25_interpolates_linearly_in_delta_between_neighbours() {
    let rr = rr25().compute(&skewed_smile(), 0).unwrap();
    assert!((rr.call_volatility - 0.667_779_341_020_054_8).abs() < 1e-12);
    assert!((rr.put_volatility - 0.663_885_000_134_331_3).abs() < 1e-12);
    assert!((rr.vol_points - 0.389_434_088_572_349).abs() < 1e-10);
}

#[test]
fn smile_that_does_not_bracket_25_delta_is_rejected() {
    // Only far out-of-the-money calls: every call delta is below 0.25.
    let mut smile: Vec<OptionQuote> = skewed_smile()
        .into_iter()
        .filter(|q| q.kind == OptionKind::Put)
        .collect();
    smile.push(quote(OptionKind::Call, 125.0, 0.7));
    smile.push(quote(OptionKind::Call, 130.0, 0.7));
    let error = rr25().compute(&smile, 0).unwrap_err();
    assert!(matches!(
        error,
        MathError::InvalidParameter { name: "smile", .. }
    ));
    // Only puts near the money: every put delta is below −0.25.
    let near: Vec<OptionQuote> = skewed_smile()
        .into_iter()
        .filter(|q| q.kind == OptionKind::Call || q.strike >= 95.0)
        .collect();
    assert!(matches!(
        rr25().compute(&near, 0),
        Err(MathError::InvalidParameter { name: "smile", .. })
    ));
}

#[test]
fn bad_inputs_are_typed_errors() {
    for delta in [0.0, 1.0, -0.25, f64::NAN] {
        assert!(matches!(
            DeltaRiskReversal::new(delta, 0.0, Underlying::Future),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        DeltaRiskReversal::new(0.25, f64::NAN, Underlying::Future),
        Err(MathError::NotFinite { .. })
    ));
    let nan_yield = Underlying::Spot {
        dividend_yield: f64::INFINITY,
    };
    assert!(matches!(
        DeltaRiskReversal::new(0.25, 0.0, nan_yield),
        Err(MathError::NotFinite { .. })
    ));

    let rr = rr25();
    assert!(matches!(
        rr.compute(&[], 0),
        Err(MathError::NotEnoughData { .. })
    ));
    let smile = skewed_smile();
    assert!(matches!(
        rr.compute(&smile, THIRTY_DAYS_MS),
        Err(MathError::InvalidParameter { name: "expiry", .. })
    ));
    assert!(matches!(
        rr.compute(&smile, i64::MAX),
        Err(MathError::InvalidParameter { .. })
    ));
    let mut mixed = smile.clone();
    mixed[0].expiry_ms += DAY_MS;
    assert!(matches!(
        rr.compute(&mixed, 0),
        Err(MathError::InvalidParameter {
            name: "option quotes",
            ..
        })
    ));
    for broken in [
        OptionQuote {
            mark_iv: f64::NAN,
            ..smile[1]
        },
        OptionQuote {
            mark_iv: 0.0,
            ..smile[1]
        },
        OptionQuote {
            strike: -5.0,
            ..smile[1]
        },
        OptionQuote {
            underlying_price: f64::INFINITY,
            ..smile[1]
        },
    ] {
        let mut bad = smile.clone();
        bad[1] = broken;
        assert!(
            matches!(rr.compute(&bad, 0), Err(MathError::InvalidParameter { .. })),
            "{broken:?}"
        );
    }
}

proptest! {
    /// A flat smile has no skew, whatever its level, expiry or strike grid.
    #[test]
    fn flat_smile_has_zero_risk_reversal(level in 0.1f64..2.0, days in 1i64..365, step in 5.0f64..10.0) {
        let expiry_ms = days * DAY_MS;
        let smile: Vec<OptionQuote> = (-40..=40)
            .flat_map(|i| {
                let strike = 100.0 * (f64::from(i) * step / 100.0 * level * (days as f64 / 365.0).sqrt()).exp();
                [OptionKind::Call, OptionKind::Put]
                    .map(|kind| OptionQuote { expiry_ms, ..quote(kind, strike, level) })
            })
            .collect();
        let rr = rr25().compute(&smile, 0).unwrap();
        prop_assert_eq!(rr.vol_points, 0.0);
    }

    /// The interpolated IV lies between the IVs of the quotes on its side of the smile. Strikes run from the
    /// money (|Δ| ≥ 0.4 here) to 4× away (|Δ| < 0.01), so ±25Δ is always bracketed.
    #[test]
    fn interpolated_iv_stays_within_the_quoted_range(
        call_ivs in prop::collection::vec(0.2f64..1.5, 10),
        put_ivs in prop::collection::vec(0.2f64..1.5, 10),
    ) {
        let strike = |i: usize, far: f64| 100.0 * far.powf(i as f64 / 9.0);
        let calls = call_ivs.iter().enumerate().map(|(i, &iv)| quote(OptionKind::Call, strike(i, 4.0), iv));
        let puts = put_ivs.iter().enumerate().map(|(i, &iv)| quote(OptionKind::Put, strike(i, 0.25), iv));
        let rr = rr25().compute(&calls.chain(puts).collect::<Vec<_>>(), 0).unwrap();
        let within = |v: f64, ivs: &[f64]| ivs.iter().any(|&lo| lo <= v) && ivs.iter().any(|&hi| v <= hi);
        prop_assert!(within(rr.call_volatility, &call_ivs));
        prop_assert!(within(rr.put_volatility, &put_ivs));
    }
}
