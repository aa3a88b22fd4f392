use super::*;
use crate::options::Underlying;
use proptest::prelude::*;

fn spot_terms(spot: f64, strike: f64, rate: f64, years: f64) -> OptionTerms {
    OptionTerms {
        underlying_price: spot,
        strike,
        years_to_expiry: years,
        rate,
        underlying: Underlying::Spot {
            dividend_yield: 0.0,
        },
    }
}

/// Hull's European example (S 42, K 40, r 0.10, T 0.5): the put worth 0.808599372900094 (mpmath) implies 20 %.
#[test]
fn recovers_volatility_of_hull_put() {
    let sigma = implied_volatility(
        spot_terms(42.0, 40.0, 0.10, 0.5),
        OptionKind::Put,
        0.808_599_372_900_094,
    )
    .unwrap();
    assert!((sigma - 0.20).abs() < 1e-12);
}

/// Hull's futures-option example (F 20, K 20, r 0.09, 4 months): the Black-76 put worth 1.116641456558943
/// (mpmath) implies 25 %.
#[test]
fn recovers_volatility_of_hull_black76_put() {
    let terms = OptionTerms {
        underlying_price: 20.0,
        strike: 20.0,
        years_to_expiry: 4.0 / 12.0,
        rate: 0.09,
        underlying: Underlying::Future,
    };
    let sigma = implied_volatility(terms, OptionKind::Put, 1.116_641_456_558_943).unwrap();
    assert!((sigma - 0.25).abs() < 1e-12);
}

/// Deep out-of-the-money options a few days from expiry, priced independently with mpmath at 40 digits:
/// the tiny prices still pin down σ, because the tails of Φ are computed in relative precision.
#[test]
fn recovers_volatility_of_deep_otm_short_dated_options() {
    let cases = [
        // (spot, strike, rate, years, kind, mpmath price, σ)
        (
            100.0,
            200.0,
            0.0,
            1.0 / 365.0,
            OptionKind::Call,
            1.376_573_096_225_156e-40,
            1.0,
        ),
        (
            100.0,
            50.0,
            0.03,
            2.0 / 365.0,
            OptionKind::Put,
            2.052_224_286_597_21e-32,
            0.8,
        ),
        (
            100.0,
            130.0,
            0.05,
            7.0 / 365.0,
            OptionKind::Call,
            1.096_632_366_499_557e-14,
            0.25,
        ),
    ];
    for (spot, strike, rate, years, kind, price, sigma) in cases {
        let implied =
            implied_volatility(spot_terms(spot, strike, rate, years), kind, price).unwrap();
        assert!(
            (implied / sigma - 1.0).abs() < 1e-10,
            "K {strike}: {implied} vs {sigma}"
        );
    }
}

#[test]
fn prices_outside_the_no_arbitrage_bounds_are_rejected() {
    let terms = spot_terms(42.0, 40.0, 0.10, 0.5);
    let intrinsic = 42.0 - 40.0 * (-0.05f64).exp();
    let reason = |result: Result<f64>| match result {
        Err(MathError::InvalidParameter {
            name: "option price",
            reason,
        }) => reason,
        other => panic!("expected a typed price error, got {other:?}"),
    };
    assert!(
        reason(implied_volatility(
            terms,
            OptionKind::Call,
            intrinsic - 0.01
        ))
        .contains("below")
    );
    assert!(
        reason(implied_volatility(terms, OptionKind::Call, intrinsic)).contains("no time value")
    );
    assert!(reason(implied_volatility(terms, OptionKind::Call, 42.0)).contains("upper bound"));
    assert!(reason(implied_volatility(terms, OptionKind::Put, 40.0)).contains("upper bound"));
    assert!(reason(implied_volatility(terms, OptionKind::Put, -0.1)).contains("below"));
    assert!(reason(implied_volatility(terms, OptionKind::Put, 0.0)).contains("no time value"));
    // An at-the-money one-year call at 99.99999 of a possible 100 needs σ > 10 (BS(10) = 99.99994).
    let atm = spot_terms(100.0, 100.0, 0.0, 1.0);
    assert!(reason(implied_volatility(atm, OptionKind::Call, 99.999_99)).contains("above"));
    // At the money, 1e-10 of time value is less than σ = 1e-6 gives (about 4e-5).
    assert!(reason(implied_volatility(atm, OptionKind::Call, 1e-10)).contains("below 1e-6"));
}

#[test]
fn bad_inputs_are_typed_errors() {
    let terms = spot_terms(100.0, 100.0, 0.0, 1.0);
    assert!(matches!(
        implied_volatility(terms, OptionKind::Call, f64::NAN),
        Err(MathError::NotFinite { .. })
    ));
    assert!(matches!(
        implied_volatility(terms, OptionKind::Put, f64::INFINITY),
        Err(MathError::NotFinite { .. })
    ));
    let expired = OptionTerms {
        years_to_expiry: 0.0,
        ..terms
    };
    assert!(matches!(
        implied_volatility(expired, OptionKind::Call, 1.0),
        Err(MathError::InvalidParameter { .. })
    ));
    let no_strike = OptionTerms {
        strike: f64::NAN,
        ..terms
    };
    assert!(matches!(
        implied_volatility(no_strike, OptionKind::Call, 1.0),
        Err(MathError::InvalidParameter { .. })
    ));
}

fn any_terms() -> impl Strategy<Value = OptionTerms> {
    (
        0.2f64..4.0,
        1.0 / 365.0..5.0,
        -0.02f64..0.15,
        -0.05f64..0.1,
        any::<bool>(),
    )
        .prop_map(
            |(moneyness, years, rate, dividend_yield, future)| OptionTerms {
                underlying_price: 100.0,
                strike: 100.0 * moneyness,
                years_to_expiry: years,
                rate,
                underlying: if future {
                    Underlying::Future
                } else {
                    Underlying::Spot { dividend_yield }
                },
            },
        )
}

proptest! {
    /// price → IV → price over moneyness 0.2..4, one day to five years, σ 3 %..300 %, calls and puts, spot and
    /// futures. σ itself must come back wherever the time value stands clear of the rounding noise of the
    /// price formula (deep in the money, time value can be a few ulps of the price and σ is not identifiable).
    #[test]
    fn price_to_implied_volatility_round_trips(
        terms in any_terms(),
        sigma in 0.03f64..3.0,
        kind in prop::sample::select(vec![OptionKind::Call, OptionKind::Put]),
    ) {
        let option = BlackScholes::new(terms, sigma).unwrap();
        let price = option.price(kind);
        let (long_leg, short_leg) = option.price_legs(kind);
        let (s, k) = terms.present_values().unwrap();
        let intrinsic = match kind {
            OptionKind::Call => (s - k).max(0.0),
            OptionKind::Put => (k - s).max(0.0),
        };
        let identifiable = price - intrinsic > 1e-7 * (long_leg + short_leg) && price > 1e-290;
        match implied_volatility(terms, kind, price) {
            Ok(implied) => {
                let repriced = BlackScholes::new(terms, implied).unwrap().price(kind);
                let tolerance = 1e-12 * (long_leg + short_leg);
                prop_assert!((repriced - price).abs() <= tolerance, "repriced {} vs {}", repriced, price);
                if identifiable {
                    prop_assert!((implied / sigma - 1.0).abs() < 1e-6, "implied {} vs {}", implied, sigma);
                }
            }
            Err(error) => prop_assert!(!identifiable, "{error:?} for price {price}"),
        }
    }
}
