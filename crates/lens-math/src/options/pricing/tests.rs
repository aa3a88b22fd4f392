use super::*;
use proptest::prelude::*;

const NO_YIELD: Underlying = Underlying::Spot {
    dividend_yield: 0.0,
};

fn spot_terms(spot: f64, strike: f64, rate: f64, years: f64) -> OptionTerms {
    OptionTerms {
        underlying_price: spot,
        strike,
        years_to_expiry: years,
        rate,
        underlying: NO_YIELD,
    }
}

fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// Hull, *Options, Futures, and Other Derivatives*, European option example: S 42, K 40, r 0.10, σ 0.20,
/// T 0.5 → call 4.76, put 0.81 as printed; 4.7594 and 0.8086 to four places (mpmath, 30 digits:
/// 4.759422392871533, 0.808599372900094). d1, d2 and deltas as in the glossary page's table.
#[test]
fn hull_european_example_prices_and_deltas() {
    let option = BlackScholes::new(spot_terms(42.0, 40.0, 0.10, 0.5), 0.20).unwrap();
    assert!((option.price(OptionKind::Call) - 4.759_422_392_871_533).abs() < 1e-12);
    assert!((option.price(OptionKind::Put) - 0.808_599_372_900_094).abs() < 1e-12);
    assert_eq!(round_to(option.price(OptionKind::Call), 2), 4.76);
    assert_eq!(round_to(option.price(OptionKind::Put), 2), 0.81);
    assert_eq!(round_to(option.d1(), 4), 0.7693);
    assert_eq!(round_to(option.d2(), 4), 0.6278);
    assert_eq!(round_to(option.delta(OptionKind::Call), 4), 0.7791);
    assert_eq!(round_to(option.delta(OptionKind::Put), 4), -0.2209);
}

/// The glossary page "Options trading leverage", example 1 (MathWorks `blslambda` inputs): S 50, K 50,
/// r 0.12, T 0.25, σ 0.30 → d1 0.2750, d2 0.1250, call 3.7425, put 2.2648, deltas 0.6083 / −0.3917.
#[test]
fn blslambda_inputs_match_glossary_table() {
    let option = BlackScholes::new(spot_terms(50.0, 50.0, 0.12, 0.25), 0.30).unwrap();
    assert!((option.d1() - 0.275).abs() < 1e-14);
    assert!((option.d2() - 0.125).abs() < 1e-14);
    // mpmath at 30 digits: 3.742543796956308, 2.264820474381717.
    assert!((option.price(OptionKind::Call) - 3.742_543_796_956_308).abs() < 1e-12);
    assert!((option.price(OptionKind::Put) - 2.264_820_474_381_717).abs() < 1e-12);
    assert_eq!(round_to(option.delta(OptionKind::Call), 4), 0.6083);
    assert_eq!(round_to(option.delta(OptionKind::Put), 4), -0.3917);
}

/// The glossary page: with the stock 1 % higher at 42.42 the Hull call is worth 5.0910 and the put 0.7201
/// (mpmath: 5.090969626971184, 0.720146606999742).
#[test]
fn hull_example_after_a_one_percent_rise() {
    let option = BlackScholes::new(spot_terms(42.42, 40.0, 0.10, 0.5), 0.20).unwrap();
    assert!((option.price(OptionKind::Call) - 5.090_969_626_971_184).abs() < 1e-12);
    assert!((option.price(OptionKind::Put) - 0.720_146_606_999_742).abs() < 1e-12);
}

/// Hull, "The Greek Letters": S 49, K 50, r 0.05, σ 0.20, T 20 weeks (0.3846 y): call delta 0.522,
/// gamma 0.066, vega 12.1, theta −4.31 per year, rho 8.91. Unrounded values from mpmath at 30 digits.
#[test]
fn greeks_match_hull_greek_letters_example() {
    let option = BlackScholes::new(spot_terms(49.0, 50.0, 0.05, 20.0 / 52.0), 0.20).unwrap();
    let g = option.greeks(OptionKind::Call);
    assert_eq!(round_to(g.delta, 3), 0.522);
    assert_eq!(round_to(g.gamma, 3), 0.066);
    assert_eq!(round_to(g.vega, 1), 12.1);
    assert_eq!(round_to(g.theta_per_year, 2), -4.31);
    assert_eq!(round_to(g.rho, 2), 8.91);
    assert!((g.delta - 0.521_604_661_066).abs() < 1e-12);
    assert!((g.gamma - 0.065_544_039_347_8).abs() < 1e-12);
    assert!((g.vega - 12.105_479_882_6).abs() < 1e-9);
    assert!((g.theta_per_year + 4.305_329_822_93).abs() < 1e-9);
    assert!((g.rho - 8.906_961_949_61).abs() < 1e-9);
    let put = option.greeks(OptionKind::Put);
    assert!((put.theta_per_year + 1.852_947_417_03).abs() < 1e-9);
    assert!((put.rho + 9.957_518_095_78).abs() < 1e-9);
    assert_eq!(put.gamma, g.gamma);
    assert_eq!(put.vega, g.vega);
}

/// Hull's futures-option example: a European put on crude-oil futures, F 20, K 20, r 0.09, 4 months,
/// σ 0.25 → 1.12 (mpmath: 1.116641456558943). At the money on a future the call is worth the same.
#[test]
fn black76_matches_hull_futures_put_example() {
    let terms = OptionTerms {
        underlying_price: 20.0,
        strike: 20.0,
        years_to_expiry: 4.0 / 12.0,
        rate: 0.09,
        underlying: Underlying::Future,
    };
    let option = BlackScholes::new(terms, 0.25).unwrap();
    assert!((option.price(OptionKind::Put) - 1.116_641_456_558_943).abs() < 1e-12);
    assert_eq!(round_to(option.price(OptionKind::Put), 2), 1.12);
    assert!((option.price(OptionKind::Call) - option.price(OptionKind::Put)).abs() < 1e-13);
    assert!(
        (option.rho(OptionKind::Put) + terms.years_to_expiry * option.price(OptionKind::Put)).abs()
            < 1e-15
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    let good = spot_terms(100.0, 100.0, 0.01, 0.5);
    let with = |f: fn(&mut OptionTerms)| {
        let mut terms = good;
        f(&mut terms);
        terms
    };
    let invalid = [
        with(|t| t.underlying_price = 0.0),
        with(|t| t.underlying_price = f64::NAN),
        with(|t| t.strike = -1.0),
        with(|t| t.strike = f64::INFINITY),
        with(|t| t.years_to_expiry = 0.0),
        with(|t| t.years_to_expiry = f64::NAN),
        with(|t| t.rate = -2_000.0),
        with(|t| {
            t.underlying = Underlying::Spot {
                dividend_yield: 1e300,
            }
        }),
    ];
    for terms in invalid {
        assert!(
            matches!(
                BlackScholes::new(terms, 0.5),
                Err(MathError::InvalidParameter { .. })
            ),
            "{terms:?}"
        );
    }
    assert!(matches!(
        BlackScholes::new(with(|t| t.rate = f64::NAN), 0.5),
        Err(MathError::NotFinite { .. })
    ));
    let nan_yield = with(|t| {
        t.underlying = Underlying::Spot {
            dividend_yield: f64::NAN,
        }
    });
    assert!(matches!(
        BlackScholes::new(nan_yield, 0.5),
        Err(MathError::NotFinite { .. })
    ));
    for volatility in [0.0, -0.2, f64::NAN, f64::INFINITY, 1e200] {
        assert!(matches!(
            BlackScholes::new(good, volatility),
            Err(MathError::InvalidParameter { .. })
        ));
    }
    let far_strike_tiny_vol = with(|t| t.strike = 1e300);
    assert!(matches!(
        BlackScholes::new(far_strike_tiny_vol, 1e-307),
        Err(MathError::InvalidParameter { .. })
    ));
}

fn any_terms() -> impl Strategy<Value = OptionTerms> {
    (
        1.0f64..1e5,
        0.3f64..3.0,
        1.0 / 365.0..5.0,
        -0.02f64..0.15,
        -0.05f64..0.1,
        any::<bool>(),
    )
        .prop_map(
            |(spot, moneyness, years, rate, dividend_yield, future)| OptionTerms {
                underlying_price: spot,
                strike: spot * moneyness,
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

fn any_kind() -> impl Strategy<Value = OptionKind> {
    prop::sample::select(vec![OptionKind::Call, OptionKind::Put])
}

proptest! {
    /// Put–call parity, C − P = S·e^{−qT} − K·e^{−rT}, holds to rounding for any terms and volatility.
    #[test]
    fn put_call_parity_holds(terms in any_terms(), volatility in 0.01f64..3.0) {
        let option = BlackScholes::new(terms, volatility).unwrap();
        let (underlying_pv, strike_pv) = terms.present_values().unwrap();
        let gap = option.price(OptionKind::Call) - option.price(OptionKind::Put) - (underlying_pv - strike_pv);
        prop_assert!(gap.abs() <= 1e-12 * (underlying_pv + strike_pv), "parity gap {}", gap);
        let delta_gap = option.delta(OptionKind::Call) - option.delta(OptionKind::Put);
        prop_assert!((delta_gap - underlying_pv / terms.underlying_price).abs() < 1e-14);
    }

    /// Each greek agrees with a central finite difference of the price.
    #[test]
    fn greeks_match_finite_differences(terms in any_terms(), volatility in 0.05f64..2.0, kind in any_kind()) {
        let price_with = |t: OptionTerms, sigma: f64| BlackScholes::new(t, sigma).unwrap().price(kind);
        let option = BlackScholes::new(terms, volatility).unwrap();
        let g = option.greeks(kind);
        let scale = terms.underlying_price + terms.strike;

        // A thousandth of a standard deviation of the underlying keeps the truncation error of the differences
        // far below the tolerance even one day before expiry.
        let h = 1e-3 * terms.underlying_price * volatility * terms.years_to_expiry.sqrt();
        let bumped = |ds: f64| OptionTerms { underlying_price: terms.underlying_price + ds, ..terms };
        let fd_delta = (price_with(bumped(h), volatility) - price_with(bumped(-h), volatility)) / (2.0 * h);
        prop_assert!((fd_delta - g.delta).abs() < 1e-6, "delta {} vs {}", g.delta, fd_delta);
        let fd_gamma = (BlackScholes::new(bumped(h), volatility).unwrap().delta(kind)
            - BlackScholes::new(bumped(-h), volatility).unwrap().delta(kind)) / (2.0 * h);
        prop_assert!((fd_gamma - g.gamma).abs() <= 1e-5 * (g.gamma.abs() + 1.0 / terms.underlying_price));

        let dv = 1e-5;
        let fd_vega = (price_with(terms, volatility + dv) - price_with(terms, volatility - dv)) / (2.0 * dv);
        prop_assert!((fd_vega - g.vega).abs() <= 1e-5 * scale, "vega {} vs {}", g.vega, fd_vega);

        let dt = 1e-6 * terms.years_to_expiry;
        let at_years = |y: f64| OptionTerms { years_to_expiry: y, ..terms };
        let fd_theta = -(price_with(at_years(terms.years_to_expiry + dt), volatility)
            - price_with(at_years(terms.years_to_expiry - dt), volatility)) / (2.0 * dt);
        prop_assert!((fd_theta - g.theta_per_year).abs() <= 1e-4 * scale, "theta {} vs {}", g.theta_per_year, fd_theta);

        let dr = 1e-6;
        let at_rate = |r: f64| OptionTerms { rate: r, ..terms };
        let fd_rho = (price_with(at_rate(terms.rate + dr), volatility)
            - price_with(at_rate(terms.rate - dr), volatility)) / (2.0 * dr);
        prop_assert!((fd_rho - g.rho).abs() <= 1e-4 * scale, "rho {} vs {}", g.rho, fd_rho);
    }

    /// Prices stay within the no-arbitrage bounds: above the discounted intrinsic value, below S·e^{−qT}
    /// (call) or K·e^{−rT} (put).
    #[test]
    fn prices_respect_no_arbitrage_bounds(terms in any_terms(), volatility in 0.01f64..3.0) {
        let option = BlackScholes::new(terms, volatility).unwrap();
        let (s, k) = terms.present_values().unwrap();
        let slack = 1e-12 * (s + k);
        let call = option.price(OptionKind::Call);
        let put = option.price(OptionKind::Put);
        prop_assert!(call >= (s - k).max(0.0) - slack && call <= s + slack);
        prop_assert!(put >= (k - s).max(0.0) - slack && put <= k + slack);
    }
}
