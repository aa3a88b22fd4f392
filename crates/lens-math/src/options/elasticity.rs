//! Option elasticity (lambda, Ω): the percentage change of an option's value per 1 % move of the underlying,
//! the standard measure of the leverage built into an option.

use super::pricing::BlackScholes;
use crate::error::{MathError, Result, ensure_finite};
use crate::market::OptionKind;

/// Below this share of its two legs (see [`BlackScholes::price`]) an option value is within the rounding noise
/// of its own formula (the normal CDF alone carries relative errors up to ~1e-13 in the far tails), and Δ·S/V
/// would be noise divided by noise.
const VALUE_NOISE_SHARE: f64 = 1e-12;

impl BlackScholes {
    /// Elasticity of the option value with respect to the underlying price.
    ///
    /// # Formula
    /// `Ω = (∂V/∂S)·(S/V) = Δ·S/V`, Δ with the `e^{−qT}` factor (MATLAB `blslambda`; Hull). A call's Ω is
    /// above 1, a put's is negative. On a future (Black-76) S is the futures price.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when the option is worth so little that its value is lost in rounding
    /// (deep out of the money, close to expiry).
    ///
    /// ```
    /// use lens_math::market::OptionKind;
    /// use lens_math::options::{BlackScholes, OptionTerms, Underlying};
    /// // MathWorks' blslambda documentation: S 50, K 50, r 12 %, T 0.25, σ 30 %
    /// // → Ω 8.1274 (call), −8.6466 (put).
    /// let terms = OptionTerms {
    ///     underlying_price: 50.0,
    ///     strike: 50.0,
    ///     years_to_expiry: 0.25,
    ///     rate: 0.12,
    ///     underlying: Underlying::Spot { dividend_yield: 0.0 },
    /// };
    /// let option = BlackScholes::new(terms, 0.30)?;
    /// assert!((option.elasticity(OptionKind::Call)? - 8.1274).abs() < 5e-5);
    /// assert!((option.elasticity(OptionKind::Put)? + 8.6466).abs() < 5e-5);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn elasticity(&self, kind: OptionKind) -> Result<f64> {
        let (long_leg, short_leg) = self.price_legs(kind);
        let value = long_leg - short_leg;
        if value <= VALUE_NOISE_SHARE * (long_leg + short_leg) || value < f64::MIN_POSITIVE {
            return Err(MathError::InvalidParameter {
                name: "option value",
                reason: "is too close to zero for a meaningful elasticity",
            });
        }
        ensure_finite(
            "elasticity",
            self.delta(kind) * self.terms().underlying_price / value,
        )
    }

    /// Approximate volatility of the option's own value, for small moves of the underlying.
    ///
    /// # Formula
    /// `σ_V ≈ |Ω|·σ` (Hull, *Options, Futures and Other Derivatives*): over a short interval the option's return is about Ω times the
    /// underlying's.
    ///
    /// # Errors
    /// As [`BlackScholes::elasticity`].
    ///
    /// ```
    /// use lens_math::market::OptionKind;
    /// use lens_math::options::{BlackScholes, OptionTerms, Underlying};
    /// // The glossary's Hull example: the call's Ω of 6.8755 on a 20 % volatility stock is about 137.5 % a year.
    /// let terms = OptionTerms {
    ///     underlying_price: 42.0,
    ///     strike: 40.0,
    ///     years_to_expiry: 0.5,
    ///     rate: 0.10,
    ///     underlying: Underlying::Spot { dividend_yield: 0.0 },
    /// };
    /// let vol = BlackScholes::new(terms, 0.20)?.option_volatility(OptionKind::Call)?;
    /// assert!((vol - 1.375).abs() < 5e-4);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn option_volatility(&self, kind: OptionKind) -> Result<f64> {
        Ok(self.elasticity(kind)?.abs() * self.volatility())
    }
}

#[cfg(test)]
mod tests {
    use crate::error::MathError;
    use crate::market::OptionKind;
    use crate::options::{BlackScholes, OptionTerms, Underlying};
    use proptest::prelude::*;

    fn option(spot: f64, strike: f64, rate: f64, years: f64, volatility: f64) -> BlackScholes {
        let terms = OptionTerms {
            underlying_price: spot,
            strike,
            years_to_expiry: years,
            rate,
            underlying: Underlying::Spot {
                dividend_yield: 0.0,
            },
        };
        BlackScholes::new(terms, volatility).unwrap()
    }

    fn round_to(value: f64, decimals: i32) -> f64 {
        let scale = 10f64.powi(decimals);
        (value * scale).round() / scale
    }

    /// MathWorks `blslambda` documentation example: S 50, K 50, r 0.12, T 0.25, σ 0.30 → call 8.1274,
    /// put −8.6466; the glossary adds option volatilities 243.8 % and 259.4 % (Python: 8.127385, −8.646560).
    #[test]
    fn elasticity_matches_matlab_blslambda_example() {
        let o = option(50.0, 50.0, 0.12, 0.25, 0.30);
        assert_eq!(round_to(o.elasticity(OptionKind::Call).unwrap(), 4), 8.1274);
        assert_eq!(round_to(o.elasticity(OptionKind::Put).unwrap(), 4), -8.6466);
        assert_eq!(
            round_to(o.option_volatility(OptionKind::Call).unwrap(), 3),
            2.438
        );
        assert_eq!(
            round_to(o.option_volatility(OptionKind::Put).unwrap(), 3),
            2.594
        );
    }

    /// The glossary's Hull example (S 42, K 40, r 0.10, σ 0.20, T 0.5): Ω call 6.8755 = 0.7791 × 42 / 4.7594,
    /// put −11.4723; option volatilities 137.5 % / 229.4 % (Python: 6.875522, −11.472289).
    #[test]
    fn elasticity_matches_glossary_hull_example() {
        let o = option(42.0, 40.0, 0.10, 0.5, 0.20);
        assert_eq!(round_to(o.elasticity(OptionKind::Call).unwrap(), 4), 6.8755);
        assert_eq!(
            round_to(o.elasticity(OptionKind::Put).unwrap(), 4),
            -11.4723
        );
        assert_eq!(
            round_to(o.option_volatility(OptionKind::Call).unwrap(), 3),
            1.375
        );
        assert_eq!(
            round_to(o.option_volatility(OptionKind::Put).unwrap(), 3),
            2.294
        );
    }

    /// optionstrat's put example: S 100, K 100, σ 0.15, T 45/365, r 0.02 → Ω −23.80998 (Python: −23.809984).
    #[test]
    fn elasticity_matches_optionstrat_put_example() {
        let o = option(100.0, 100.0, 0.02, 45.0 / 365.0, 0.15);
        assert!((o.elasticity(OptionKind::Put).unwrap() + 23.809_98).abs() < 5e-6);
    }

    /// The glossary's table of call elasticities for S 42, r 0.10, σ 0.20 by strike and months to expiry,
    /// and the one-month strike-50 call worth 0.0016 (Python with math.erfc reproduces every entry).
    #[test]
    fn elasticity_grows_away_from_the_money_and_near_expiry_as_in_glossary_table() {
        let table = [
            (40.0, [6.88, 9.34, 14.03]),
            (45.0, [9.92, 15.71, 34.12]),
            (50.0, [13.36, 23.25, 59.79]),
        ];
        for (strike, row) in table {
            for (years, expected) in [0.5, 0.25, 1.0 / 12.0].into_iter().zip(row) {
                let omega = option(42.0, strike, 0.10, years, 0.20)
                    .elasticity(OptionKind::Call)
                    .unwrap();
                assert_eq!(round_to(omega, 2), expected, "K {strike}, T {years}");
            }
        }
        let far = option(42.0, 50.0, 0.10, 1.0 / 12.0, 0.20);
        assert_eq!(round_to(far.price(OptionKind::Call), 4), 0.0016);
    }

    /// The glossary's check: a 1 % rise moves the Hull call by +6.97 % and the put by −10.94 %, close to
    /// Ω·1 % (first-order; the gap is convexity).
    #[test]
    fn elasticity_predicts_a_one_percent_move_to_first_order() {
        let before = option(42.0, 40.0, 0.10, 0.5, 0.20);
        let after = option(42.42, 40.0, 0.10, 0.5, 0.20);
        let change = |kind| after.price(kind) / before.price(kind) - 1.0;
        assert_eq!(round_to(100.0 * change(OptionKind::Call), 2), 6.97);
        assert_eq!(round_to(100.0 * change(OptionKind::Put), 2), -10.94);
    }

    #[test]
    fn worthless_options_have_no_elasticity() {
        // A call struck at 10× spot a day before expiry: its value underflows.
        let worthless = option(100.0, 1_000.0, 0.0, 1.0 / 365.0, 0.5);
        assert!(matches!(
            worthless.elasticity(OptionKind::Call),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            worthless.option_volatility(OptionKind::Call),
            Err(MathError::InvalidParameter { .. })
        ));
        // The put on the same terms is deep in the money and well defined.
        assert!(worthless.elasticity(OptionKind::Put).unwrap() < 0.0);
    }

    proptest! {
        /// A call's Ω is at least 1 and a put's at most 0 (Hull; the call is a levered long position, the put a
        /// short one), wherever Ω is defined.
        #[test]
        fn call_elasticity_exceeds_one_and_put_elasticity_is_negative(
            moneyness in 0.5f64..2.0, years in 0.01f64..3.0, rate in 0.0f64..0.1, volatility in 0.05f64..2.0,
        ) {
            let o = option(100.0, 100.0 * moneyness, rate, years, volatility);
            if let Ok(call) = o.elasticity(OptionKind::Call) {
                prop_assert!(call >= 1.0 - 1e-9, "call Ω {}", call);
            }
            if let Ok(put) = o.elasticity(OptionKind::Put) {
                prop_assert!(put <= 0.0, "put Ω {}", put);
            }
        }
    }
}
