//! A constant-maturity basis: the simple annualised basis of a theoretical future with a fixed time to expiry,
//! interpolated between the two listed contracts around it (Coin Metrics' 30/60/90/120-day basis).

use crate::basis::{DAYS_PER_YEAR, basis_fraction, finite};
use crate::error::{MathError, Result, ensure_positive};

/// A dated future's price and the days left until it expires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DatedFuture {
    /// Futures price (same currency as spot).
    pub price: f64,
    /// Days until expiry, fractional (see [`days_to_expiry`](crate::basis::days_to_expiry)).
    pub days_to_expiry: f64,
}

/// Simple annualised basis of a theoretical future with a fixed time to expiry (120 days by default),
/// interpolated between the two listed contracts that straddle it.
///
/// # Formula
/// With `w = (T − d₁)/(d₂ − d₁)` and `β_i = F_i/S − 1`:
/// `β_T = (1 − w)·β₁ + w·β₂`, and `b_T = β_T × 365 / T`.
///
/// This is Coin Metrics' construction (docs: "Basis", Annualized Futures Basis at 30/60/90/120 days): take the
/// forward yield between the two contracts, `fy = (b₂d₂ − b₁d₁)/(d₂ − d₁)`, and average it with the near
/// basis by time, `b_T = (b₁d₁ + fy·(T − d₁))/T`. Since `b_i d_i = 365·β_i`, both are the same linear
/// interpolation of the unannualised basis (a test checks the identity).
///
/// ```
/// use lens_math::basis::{ConstantMaturityBasis, DatedFuture};
/// let cm = ConstantMaturityBasis::coin_metrics_120d();
/// let near = DatedFuture { price: 65_100.0, days_to_expiry: 91.0 };
/// let far = DatedFuture { price: 66_400.0, days_to_expiry: 182.0 };
/// // Hand-checked with Python: 7.1968 % a year at 120 days.
/// assert!((cm.annualised_simple(64_000.0, near, far)? - 0.071_968).abs() < 1e-6);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantMaturityBasis {
    target_days: f64,
}

impl ConstantMaturityBasis {
    /// Coin Metrics' longest published tenor.
    pub const COIN_METRICS_TARGET_DAYS: f64 = 120.0;

    /// A theoretical future expiring `target_days` from now.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when the target is not a positive finite number of days.
    pub fn new(target_days: f64) -> Result<Self> {
        Ok(Self {
            target_days: ensure_positive("target days", target_days)?,
        })
    }

    /// The 120-day version.
    pub fn coin_metrics_120d() -> Self {
        Self {
            target_days: Self::COIN_METRICS_TARGET_DAYS,
        }
    }

    /// The fixed time to expiry of the theoretical future, in days.
    pub fn target_days(&self) -> f64 {
        self.target_days
    }

    /// The simple annualised basis at the target tenor, from spot and the two contracts around it.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a non-positive price or days, when `near` does not expire before
    /// `far`, or when the target lies outside `[near.days_to_expiry, far.days_to_expiry]` (no extrapolation);
    /// [`MathError::NotFinite`] on overflow.
    pub fn annualised_simple(
        &self,
        spot_price: f64,
        near: DatedFuture,
        far: DatedFuture,
    ) -> Result<f64> {
        let d_near = ensure_positive("near days to expiry", near.days_to_expiry)?;
        let d_far = ensure_positive("far days to expiry", far.days_to_expiry)?;
        if d_near >= d_far {
            return Err(MathError::InvalidParameter {
                name: "far future",
                reason: "must expire after the near one",
            });
        }
        if !(d_near..=d_far).contains(&self.target_days) {
            return Err(MathError::InvalidParameter {
                name: "target days",
                reason: "must lie between the two contracts' expiries",
            });
        }
        let weight_far = (self.target_days - d_near) / (d_far - d_near);
        let near_basis = basis_fraction(near.price, spot_price)?;
        let far_basis = basis_fraction(far.price, spot_price)?;
        let interpolated = (1.0 - weight_far) * near_basis + weight_far * far_basis;
        finite(interpolated * DAYS_PER_YEAR / self.target_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basis::annualised_basis_simple;
    use proptest::prelude::*;

    /// Coin Metrics' two-step construction (forward yield, then time-weighted average) gives the same number as
    /// interpolating the unannualised basis; Python: 0.0719680 for these contracts.
    #[test]
    fn constant_maturity_matches_coin_metrics_forward_yield_construction() {
        let (spot, near, far) = (
            64_000.0,
            DatedFuture {
                price: 65_100.0,
                days_to_expiry: 91.0,
            },
            DatedFuture {
                price: 66_400.0,
                days_to_expiry: 182.0,
            },
        );
        let b1 = annualised_basis_simple(near.price, spot, near.days_to_expiry).unwrap();
        let b2 = annualised_basis_simple(far.price, spot, far.days_to_expiry).unwrap();
        let forward_yield = (b2 * 182.0 - b1 * 91.0) / (182.0 - 91.0);
        let coin_metrics = (b1 * 91.0 + forward_yield * (120.0 - 91.0)) / 120.0;
        let ours = ConstantMaturityBasis::coin_metrics_120d()
            .annualised_simple(spot, near, far)
            .unwrap();
        assert!((ours - coin_metrics).abs() < 1e-14);
        assert!((ours - 0.071_968_005_95).abs() < 1e-10);
        // At either end the interpolation returns that contract's own basis.
        let at_near = ConstantMaturityBasis::new(91.0)
            .unwrap()
            .annualised_simple(spot, near, far)
            .unwrap();
        assert!((at_near - b1).abs() < 1e-15);
        let at_far = ConstantMaturityBasis::new(182.0)
            .unwrap()
            .annualised_simple(spot, near, far)
            .unwrap();
        assert!((at_far - b2).abs() < 1e-15);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let invalid = |r: Result<f64>| matches!(r, Err(MathError::InvalidParameter { .. }));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(ConstantMaturityBasis::new(bad).is_err());
        }
        let cm = ConstantMaturityBasis::coin_metrics_120d();
        let future = |price, days| DatedFuture {
            price,
            days_to_expiry: days,
        };
        assert!(invalid(cm.annualised_simple(
            64_000.0,
            future(65_000.0, 182.0),
            future(66_000.0, 91.0)
        )));
        assert!(invalid(cm.annualised_simple(
            64_000.0,
            future(65_000.0, 130.0),
            future(66_000.0, 200.0)
        )));
        assert!(invalid(cm.annualised_simple(
            64_000.0,
            future(65_000.0, 30.0),
            future(66_000.0, 91.0)
        )));
        assert!(invalid(cm.annualised_simple(
            64_000.0,
            future(-1.0, 91.0),
            future(66_000.0, 182.0)
        )));
        assert!(invalid(cm.annualised_simple(
            0.0,
            future(65_000.0, 91.0),
            future(66_000.0, 182.0)
        )));
        assert!(invalid(cm.annualised_simple(
            64_000.0,
            future(65_000.0, f64::NAN),
            future(66_000.0, 182.0)
        )));
    }

    proptest! {
        /// The constant-maturity basis lies between the two contracts' unannualised bases, annualised at T.
        #[test]
        fn constant_maturity_lies_between_its_contracts(
            near_basis in -0.05f64..0.05, far_basis in -0.05f64..0.05,
            d_near in 1.0f64..120.0, extra in 1.0f64..200.0,
        ) {
            let spot = 50_000.0;
            let near = DatedFuture { price: spot * (1.0 + near_basis), days_to_expiry: d_near };
            let far = DatedFuture { price: spot * (1.0 + far_basis), days_to_expiry: d_near + extra };
            let target = d_near + extra / 2.0;
            let b = ConstantMaturityBasis::new(target).unwrap().annualised_simple(spot, near, far).unwrap();
            let (lo, hi) = (near_basis.min(far_basis), near_basis.max(far_basis));
            prop_assert!(b >= lo * 365.0 / target - 1e-9 && b <= hi * 365.0 / target + 1e-9);
        }
    }
}
