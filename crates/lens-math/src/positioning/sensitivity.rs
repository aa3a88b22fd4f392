//! Price sensitivity to open-interest changes: how much price moved per percent of leverage added or removed.

use crate::error::{MathError, Result};
use crate::series::{TimeSeries, align};
use crate::stats::{LinearFit, ols};

/// Regression of price returns on open-interest changes, both in percent, on the two series' common timestamps.
///
/// # Formula
/// `r_t = 100·(P_t/P_{t−1} − 1)`, `x_t = 100·(OI_t/OI_{t−1} − 1)` with OI in **coin or contract units**;
/// OLS `r_t = α + β·x_t + ε_t`, reporting α (percent), β (percent of price per percent of OI) and R².
///
/// Source: Leverage Lens glossary term 5 (leverage dependency). USD open interest rises mechanically with price
/// and would inflate β, hence coin units.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a level that is not positive, [`MathError::NotEnoughData`] for fewer than
/// 4 common timestamps (3 changes), and the errors of [`ols`] (e.g. open interest that never changes).
///
/// ```
/// use lens_math::positioning::price_sensitivity_to_oi;
/// use lens_math::TimeSeries;
/// let oi_btc = TimeSeries::new(vec![0, 1, 2, 3], vec![100.0, 102.0, 101.0, 104.0])?;
/// let price = TimeSeries::new(vec![0, 1, 2, 3], vec![50.0, 51.0, 50.5, 52.0])?;
/// let fit = price_sensitivity_to_oi(&oi_btc, &price)?;
/// assert!(fit.slope > 0.0 && fit.n == 3);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn price_sensitivity_to_oi(
    open_interest_coin: &TimeSeries,
    price: &TimeSeries,
) -> Result<LinearFit> {
    let (times, columns) = align(&[open_interest_coin, price]);
    let [oi, px] = columns.as_slice() else {
        return Err(MathError::NotEnoughData { needed: 4, got: 0 });
    };
    if times.len() < 4 {
        return Err(MathError::NotEnoughData {
            needed: 4,
            got: times.len(),
        });
    }
    if oi.iter().chain(px).any(|&v| v <= 0.0) {
        return Err(MathError::InvalidParameter {
            name: "open interest or price",
            reason: "must be positive to take percent changes",
        });
    }
    let percent_changes = |levels: &[f64]| -> Vec<f64> {
        levels
            .windows(2)
            .map(|w| 100.0 * (w[1] / w[0] - 1.0))
            .collect()
    };
    ols(&percent_changes(oi), &percent_changes(px))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Levels that reproduce given percent changes, starting from `start`.
    fn levels_from_changes(start: f64, changes_pct: &[f64]) -> Vec<f64> {
        let mut levels = vec![start];
        for c in changes_pct {
            let last = *levels.last().unwrap();
            levels.push(last * (1.0 + c / 100.0));
        }
        levels
    }

    /// Leverage Lens glossary, leverage dependency, worked example: six days of OI change (coin units) and
    /// return give β = 16.4 / 32 = 0.5125, α = −0.133, R² = 0.83 (Python: 0.5125, −0.13333, 0.82781).
    #[test]
    fn beta_matches_leverage_dependency_page() {
        let x = [2.0, -1.0, 3.0, -4.0, 1.0, -1.0];
        let r = [0.8, 0.4, 1.5, -2.6, -0.3, -0.6];
        let times: Vec<i64> = (0..7).map(|d| d * 86_400_000).collect();
        let oi = TimeSeries::new(times.clone(), levels_from_changes(90_000.0, &x)).unwrap();
        let price = TimeSeries::new(times, levels_from_changes(64_000.0, &r)).unwrap();
        let fit = price_sensitivity_to_oi(&oi, &price).unwrap();
        assert!((fit.slope - 0.5125).abs() < 1e-10);
        assert!((fit.intercept - (-0.4 / 3.0)).abs() < 1e-10);
        assert_eq!(format!("{:.2}", fit.r_squared), "0.83");
        assert_eq!(fit.n, 6);
    }

    #[test]
    fn only_common_timestamps_are_used() {
        let oi = TimeSeries::new(
            vec![0, 1, 2, 3, 4, 5],
            vec![100.0, 102.0, 999.0, 101.0, 104.0, 103.0],
        )
        .unwrap();
        let price = TimeSeries::new(
            vec![0, 1, 3, 4, 5, 6],
            vec![50.0, 51.0, 50.5, 52.0, 51.0, 1.0],
        )
        .unwrap();
        let fit = price_sensitivity_to_oi(&oi, &price).unwrap();
        let manual = ols(
            &[
                2.0,
                101.0 / 102.0 * 100.0 - 100.0,
                104.0 / 101.0 * 100.0 - 100.0,
                103.0 / 104.0 * 100.0 - 100.0,
            ],
            &[
                2.0,
                50.5 / 51.0 * 100.0 - 100.0,
                52.0 / 50.5 * 100.0 - 100.0,
                51.0 / 52.0 * 100.0 - 100.0,
            ],
        )
        .unwrap();
        assert!((fit.slope - manual.slope).abs() < 1e-9 && fit.n == 4);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let s = TimeSeries::new(vec![0, 1, 2, 3], vec![1.0, 2.0, 3.0, 5.0]).unwrap();
        let short = TimeSeries::new(vec![0, 1, 2], vec![1.0, 2.0, 3.0]).unwrap();
        let zero = TimeSeries::new(vec![0, 1, 2, 3], vec![1.0, 0.0, 3.0, 5.0]).unwrap();
        let flat = TimeSeries::new(vec![0, 1, 2, 3], vec![7.0, 7.0, 7.0, 7.0]).unwrap();
        let disjoint = TimeSeries::new(vec![10, 11, 12, 13], vec![1.0, 2.0, 3.0, 5.0]).unwrap();
        assert_eq!(
            price_sensitivity_to_oi(&short, &s),
            Err(MathError::NotEnoughData { needed: 4, got: 3 })
        );
        assert_eq!(
            price_sensitivity_to_oi(&disjoint, &s),
            Err(MathError::NotEnoughData { needed: 4, got: 0 })
        );
        assert_eq!(
            price_sensitivity_to_oi(&TimeSeries::default(), &s),
            Err(MathError::NotEnoughData { needed: 4, got: 0 })
        );
        assert!(matches!(
            price_sensitivity_to_oi(&zero, &s),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            price_sensitivity_to_oi(&s, &zero),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            price_sensitivity_to_oi(&flat, &s),
            Err(MathError::InvalidParameter { .. })
        ));
    }

    proptest! {
        /// Prices that move exactly k times the OI change give β = k and R² = 1.
        #[test]
        fn proportional_moves_give_that_beta(
            changes in prop::collection::vec(-5.0f64..5.0, 3..40),
            k in -2.0f64..2.0,
        ) {
            prop_assume!(changes.iter().any(|c| (c - changes[0]).abs() > 0.1));
            let times: Vec<i64> = (0..=changes.len() as i64).collect();
            let oi = TimeSeries::new(times.clone(), levels_from_changes(1e5, &changes)).unwrap();
            let moves: Vec<f64> = changes.iter().map(|c| k * c).collect();
            let price = TimeSeries::new(times, levels_from_changes(100.0, &moves)).unwrap();
            let fit = price_sensitivity_to_oi(&oi, &price).unwrap();
            prop_assert!((fit.slope - k).abs() < 1e-8);
            if k.abs() > 0.01 { prop_assert!((fit.r_squared - 1.0).abs() < 1e-8); }
        }
    }
}
