//! Basis: how far a future trades from spot, raw, relative and annualised, the perpetual's premium over its
//! index, and a constant-maturity basis interpolated between two dated futures.
//!
//! Two annualisations exist and give different numbers, so each has its own clearly named function: the simple
//! one (the default on Leverage Lens, as on most dashboards) and the compounded one.

use crate::error::{MathError, Result, ensure_positive};
use crate::series::DAY_MS;

mod constant_maturity;

pub use constant_maturity::{ConstantMaturityBasis, DatedFuture};

/// Days in the year used to annualise (crypto futures trade every day).
const DAYS_PER_YEAR: f64 = 365.0;

/// Basis in price units: positive in contango, negative in backwardation.
///
/// # Formula
/// `basis = F − S`
///
/// Source: the standard definition (learn.greeks.live).
///
/// # Errors
/// [`MathError::InvalidParameter`] when a price is not a positive finite number.
///
/// ```
/// use lens_math::basis::basis;
/// assert_eq!(basis(65_100.0, 64_000.0)?, 1_100.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn basis(future_price: f64, spot_price: f64) -> Result<f64> {
    let (future, spot) = prices(future_price, spot_price)?;
    Ok(future - spot)
}

/// Basis as a fraction of spot (0.0172 = 1.72 %), not annualised.
///
/// # Formula
/// `basis_fraction = F/S − 1`
///
/// Source: the standard definition (learn.greeks.live).
///
/// # Errors
/// [`MathError::InvalidParameter`] when a price is not a positive finite number.
///
/// ```
/// use lens_math::basis::basis_fraction;
/// assert!((basis_fraction(65_100.0, 64_000.0)? - 0.017_187_5).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn basis_fraction(future_price: f64, spot_price: f64) -> Result<f64> {
    let (future, spot) = prices(future_price, spot_price)?;
    finite((future - spot) / spot)
}

/// Simple annualised basis: the relative basis scaled to a 365-day year without compounding.
///
/// # Formula
/// `b_simple = (F/S − 1) × 365 / d`, d = days to expiry.
///
/// Source: Leverage Lens glossary term 16, whose regimes use this version.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a price or a days-to-expiry that is not positive and finite,
/// [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::basis::annualised_basis_simple;
/// // Leverage Lens glossary, dynamics assessment: 65,100 vs 64,000 with 91 days left → 6.89 % a year.
/// assert!((annualised_basis_simple(65_100.0, 64_000.0, 91.0)? - 0.0689).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn annualised_basis_simple(
    future_price: f64,
    spot_price: f64,
    days_to_expiry: f64,
) -> Result<f64> {
    let days = ensure_positive("days to expiry", days_to_expiry)?;
    finite(basis_fraction(future_price, spot_price)? * DAYS_PER_YEAR / days)
}

/// Compounded annualised basis: the yield of holding the basis to expiry and rolling it for a year.
///
/// # Formula
/// `b_comp = (F/S)^(365/d) − 1`
///
/// Source: the standard compounding of a period return to a year (label it "compounded" wherever it is shown).
///
/// # Errors
/// [`MathError::InvalidParameter`] for a price or a days-to-expiry that is not positive and finite,
/// [`MathError::NotFinite`] when the power overflows (tiny d with a large basis).
///
/// ```
/// use lens_math::basis::annualised_basis_compounded;
/// // Leverage Lens glossary, dynamics assessment: the same future compounds to 7.07 % a year.
/// assert!((annualised_basis_compounded(65_100.0, 64_000.0, 91.0)? - 0.0707).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn annualised_basis_compounded(
    future_price: f64,
    spot_price: f64,
    days_to_expiry: f64,
) -> Result<f64> {
    let (future, spot) = prices(future_price, spot_price)?;
    let days = ensure_positive("days to expiry", days_to_expiry)?;
    // exp_m1/ln_1p keep the digits of a small basis that (F/S)^k − 1 would cancel.
    finite((DAYS_PER_YEAR / days * ((future - spot) / spot).ln_1p()).exp_m1())
}

/// Premium of a perpetual's mark price over its index, the perpetual's stand-in for a basis.
///
/// # Formula
/// `premium = (mark − index) / index`
///
/// Source: wickra `FundingBasis`, Velo "premium".
///
/// # Errors
/// [`MathError::InvalidParameter`] when a price is not a positive finite number.
///
/// ```
/// use lens_math::basis::perp_premium;
/// assert!((perp_premium(64_032.0, 64_000.0)? - 0.0005).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn perp_premium(mark_price: f64, index_price: f64) -> Result<f64> {
    let mark = ensure_positive("mark price", mark_price)?;
    let index = ensure_positive("index price", index_price)?;
    finite((mark - index) / index)
}

/// Days (fractional) from `now_ms` until `expiry_ms`.
///
/// # Formula
/// `d = (expiry − now) / 86,400,000`
///
/// # Errors
/// [`MathError::InvalidParameter`] when the expiry is not after `now_ms`.
///
/// ```
/// use lens_math::basis::days_to_expiry;
/// assert_eq!(days_to_expiry(0, 36 * 3_600_000)?, 1.5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn days_to_expiry(now_ms: i64, expiry_ms: i64) -> Result<f64> {
    match expiry_ms.checked_sub(now_ms) {
        Some(left_ms) if left_ms > 0 => Ok(left_ms as f64 / DAY_MS as f64),
        _ => Err(MathError::InvalidParameter {
            name: "expiry",
            reason: "must be after the current time",
        }),
    }
}

fn prices(future_price: f64, spot_price: f64) -> Result<(f64, f64)> {
    Ok((
        ensure_positive("future price", future_price)?,
        ensure_positive("spot price", spot_price)?,
    ))
}

fn finite(value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MathError::NotFinite { name: "basis" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Leverage Lens glossary, dynamics assessment, step 3: 65,100 − 64,000 = 1,100 USD or 1.72 %; annualised
    /// over 91 days 6.89 % simple, 7.07 % compounded (Python: 0.0689389, 0.0707434).
    #[test]
    fn basis_matches_dynamics_assessment_page() {
        assert_eq!(basis(65_100.0, 64_000.0).unwrap(), 1_100.0);
        assert!((basis_fraction(65_100.0, 64_000.0).unwrap() - 0.017_187_5).abs() < 1e-15);
        assert!(
            (annualised_basis_simple(65_100.0, 64_000.0, 91.0).unwrap() - 0.068_938_873_6).abs()
                < 1e-10
        );
        assert!(
            (annualised_basis_compounded(65_100.0, 64_000.0, 91.0).unwrap() - 0.070_743_355_8)
                .abs()
                < 1e-10
        );
    }

    #[test]
    fn backwardation_is_negative_and_flat_is_zero() {
        assert!(annualised_basis_simple(63_000.0, 64_000.0, 30.0).unwrap() < 0.0);
        assert!(annualised_basis_compounded(63_000.0, 64_000.0, 30.0).unwrap() < 0.0);
        assert_eq!(
            annualised_basis_compounded(64_000.0, 64_000.0, 30.0).unwrap(),
            0.0
        );
        assert_eq!(perp_premium(64_000.0, 64_000.0).unwrap(), 0.0);
    }

    #[test]
    fn days_to_expiry_counts_fractional_days() {
        assert_eq!(days_to_expiry(DAY_MS, 92 * DAY_MS).unwrap(), 91.0);
        assert!(matches!(
            days_to_expiry(5, 5),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            days_to_expiry(i64::MIN, i64::MAX),
            Err(MathError::InvalidParameter { .. })
        ));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let invalid = |r: Result<f64>| matches!(r, Err(MathError::InvalidParameter { .. }));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(invalid(basis(bad, 1.0)) && invalid(basis(1.0, bad)));
            assert!(invalid(basis_fraction(bad, 1.0)) && invalid(basis_fraction(1.0, bad)));
            assert!(
                invalid(annualised_basis_simple(1.0, 1.0, bad))
                    && invalid(annualised_basis_simple(bad, 1.0, 30.0))
            );
            assert!(invalid(annualised_basis_compounded(1.0, 1.0, bad)));
            assert!(invalid(annualised_basis_compounded(1.0, bad, 30.0)));
            assert!(invalid(perp_premium(bad, 1.0)) && invalid(perp_premium(1.0, bad)));
        }
        assert!(matches!(
            annualised_basis_compounded(2.0, 1.0, 1e-3),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            basis_fraction(f64::MAX, f64::MIN_POSITIVE),
            Err(MathError::NotFinite { .. })
        ));
    }

    proptest! {
        /// For expiries within a year (exponent 365/d ≥ 1) Bernoulli's inequality puts the compounded figure at
        /// or above the simple one, and both share the sign of the basis.
        #[test]
        fn compounded_is_at_least_simple_within_a_year(
            spot in 100.0f64..1e5,
            basis_fraction in -0.05f64..0.05,
            days in 1.0f64..365.0,
        ) {
            let future = spot * (1.0 + basis_fraction);
            let simple = annualised_basis_simple(future, spot, days).unwrap();
            let compounded = annualised_basis_compounded(future, spot, days).unwrap();
            prop_assert!(compounded >= simple - 1e-12 * (1.0 + simple.abs()));
            prop_assert_eq!(simple > 0.0, compounded > 0.0);
        }
    }
}
