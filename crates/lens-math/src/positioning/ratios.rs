//! Long/short ratios as venues publish them, the long share they imply, and the gap between large traders and
//! the crowd.

use crate::error::{MathError, Result};

/// Share of longs implied by a long/short ratio.
///
/// # Formula
/// `s = r / (1 + r)`
///
/// Source: Binance's `longShortRatio = long / short`; Leverage Lens glossary term 3.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative, NaN or infinite ratio.
///
/// ```
/// use lens_math::positioning::long_share_from_ratio;
/// // Leverage Lens glossary, leverage skew: an account ratio of 1.8 means 64.3 % of accounts are net long.
/// assert!((long_share_from_ratio(1.8)? - 0.642_857).abs() < 1e-6);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn long_share_from_ratio(long_short_ratio: f64) -> Result<f64> {
    if !(long_short_ratio.is_finite() && long_short_ratio >= 0.0) {
        return Err(MathError::InvalidParameter {
            name: "long/short ratio",
            reason: "must be a finite number ≥ 0",
        });
    }
    Ok(long_short_ratio / (1.0 + long_short_ratio))
}

/// Long/short ratio implied by a long share, the inverse of [`long_share_from_ratio`].
///
/// # Formula
/// `r = s / (1 − s)`
///
/// # Errors
/// [`MathError::InvalidParameter`] unless `0 ≤ s < 1` (at s = 1 there are no shorts and the ratio is infinite).
///
/// ```
/// use lens_math::positioning::ratio_from_long_share;
/// assert!((ratio_from_long_share(0.6)? - 1.5).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn ratio_from_long_share(long_share: f64) -> Result<f64> {
    if !(0.0..1.0).contains(&long_share) {
        return Err(MathError::InvalidParameter {
            name: "long share",
            reason: "must be at least 0 and below 1",
        });
    }
    Ok(long_share / (1.0 - long_share))
}

/// Long-share gap between top traders' positions and all accounts, as a fraction (× 100 for percentage
/// points). Negative means the largest traders are less long than the crowd.
///
/// # Formula
/// `G = r_top/(1 + r_top) − r_all/(1 + r_all)`, with `r_top` the top-trader *position* ratio and `r_all` the
/// all-*account* ratio.
///
/// Source: Leverage Lens glossary term 4 (leverage concentration); Binance's `topLongShortPositionRatio` and
/// `globalLongShortAccountRatio` endpoints.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative, NaN or infinite ratio.
///
/// ```
/// use lens_math::positioning::top_trader_long_share_gap;
/// // Leverage Lens glossary, leverage concentration: ratios 1.2 (top) and 2.0 (all) → −12.1 points.
/// assert!((top_trader_long_share_gap(1.2, 2.0)? * 100.0 - (-12.12)).abs() < 0.005);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn top_trader_long_share_gap(top_position_ratio: f64, all_account_ratio: f64) -> Result<f64> {
    Ok(long_share_from_ratio(top_position_ratio)? - long_share_from_ratio(all_account_ratio)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Leverage Lens glossary, leverage skew: 1.8 → 1.8/2.8 = 64.3 %, 0.9 → 0.9/1.9 = 47.4 % (Python).
    #[test]
    fn long_shares_match_leverage_skew_page() {
        assert!((long_share_from_ratio(1.8).unwrap() - 1.8 / 2.8).abs() < 1e-15);
        assert_eq!(
            format!("{:.1}", long_share_from_ratio(1.8).unwrap() * 100.0),
            "64.3"
        );
        assert_eq!(
            format!("{:.1}", long_share_from_ratio(0.9).unwrap() * 100.0),
            "47.4"
        );
        assert_eq!(long_share_from_ratio(1.0).unwrap(), 0.5);
        assert_eq!(long_share_from_ratio(0.0).unwrap(), 0.0);
    }

    /// Leverage Lens glossary, leverage concentration: top 1.2 → 54.5 %, all 2.0 → 66.7 %, G = −12.1 pp
    /// (Python: −0.121212).
    #[test]
    fn gap_matches_leverage_concentration_page() {
        assert_eq!(
            format!("{:.1}", long_share_from_ratio(1.2).unwrap() * 100.0),
            "54.5"
        );
        assert_eq!(
            format!("{:.1}", long_share_from_ratio(2.0).unwrap() * 100.0),
            "66.7"
        );
        let gap = top_trader_long_share_gap(1.2, 2.0).unwrap();
        assert!((gap - (1.2 / 2.2 - 2.0 / 3.0)).abs() < 1e-15);
        assert_eq!(format!("{:.1}", gap * 100.0), "-12.1");
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        for bad in [-0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                long_share_from_ratio(bad),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                top_trader_long_share_gap(bad, 1.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                top_trader_long_share_gap(1.0, bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        for bad in [-0.1, 1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                ratio_from_long_share(bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
    }

    proptest! {
        /// The two conversions are inverses of each other.
        #[test]
        fn ratio_and_share_round_trip(ratio in 0.0f64..1e6) {
            let share = long_share_from_ratio(ratio).unwrap();
            prop_assert!((0.0..1.0).contains(&share));
            let back = ratio_from_long_share(share).unwrap();
            prop_assert!((back - ratio).abs() <= 1e-9 * (1.0 + ratio));
        }
    }
}
