//! Realised (historical) volatility: the annualised sample standard deviation of log returns.

use crate::error::{MathError, Result};
use crate::series::TimeSeries;
use crate::stats::median;

/// Milliseconds in the 365-day year used for annualising (crypto trades every day of the year).
use crate::series::YEAR_MS;

/// How many return periods make one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PeriodsPerYear {
    /// Derived from the median spacing of the price timestamps (robust to the odd missing sample).
    FromSamplingInterval,
    /// Given explicitly, e.g. 8,760 for hourly returns or 365 for daily ones.
    Given(f64),
}

/// Number of sampling intervals of `interval_ms` in a 365-day year.
///
/// # Formula
/// `periods = 365 × 86,400,000 / interval_ms`
///
/// # Errors
/// [`MathError::InvalidParameter`] when the interval is not positive.
///
/// ```
/// use lens_math::{series::HOUR_MS, stats::periods_per_year};
/// assert_eq!(periods_per_year(HOUR_MS)?, 8_760.0);
/// assert_eq!(periods_per_year(8 * HOUR_MS)?, 1_095.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn periods_per_year(interval_ms: i64) -> Result<f64> {
    if interval_ms <= 0 {
        return Err(MathError::InvalidParameter {
            name: "sampling interval",
            reason: "must be a positive number of milliseconds",
        });
    }
    Ok(YEAR_MS / interval_ms as f64)
}

/// Annualised realised volatility of a price series.
///
/// # Formula
/// `σ = s(ln(P_t / P_{t−1})) × √(periods per year)`, with `s` the sample standard deviation (n − 1) of the log
/// returns. The series should be on a regular grid (resample first): a return across a gap spans several
/// periods and would overstate σ.
///
/// Source: the close-to-close estimator (Hull, *Options, Futures, and Other Derivatives*, "Estimating
/// volatility from historical data"); glossary term 2 uses it with hourly returns × √8760.
///
/// # Errors
/// [`MathError::NotEnoughData`] for fewer than 3 prices (two returns), [`MathError::InvalidParameter`] for a
/// price ≤ 0 or a bad periods-per-year value, [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::{series::DAY_MS, stats::{realised_volatility, PeriodsPerYear}, TimeSeries};
/// // Daily closes alternating +1 % / −1 %: s of the log returns ≈ 0.011490, σ ≈ 21.95 % a year.
/// let prices = TimeSeries::new(vec![0, DAY_MS, 2 * DAY_MS, 3 * DAY_MS], vec![100.0, 101.0, 100.0, 101.0])?;
/// let sigma = realised_volatility(&prices, PeriodsPerYear::FromSamplingInterval)?;
/// assert!((sigma - 0.219_509_5).abs() < 1e-6);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn realised_volatility(prices: &TimeSeries, periods: PeriodsPerYear) -> Result<f64> {
    if prices.len() < 3 {
        return Err(MathError::NotEnoughData {
            needed: 3,
            got: prices.len(),
        });
    }
    if prices.values().iter().any(|&p| p <= 0.0) {
        return Err(MathError::InvalidParameter {
            name: "price",
            reason: "must be positive for log returns",
        });
    }
    let periods_per_year = match periods {
        PeriodsPerYear::Given(p) if p.is_finite() && p > 0.0 => p,
        PeriodsPerYear::Given(_) => {
            return Err(MathError::InvalidParameter {
                name: "periods per year",
                reason: "must be positive",
            });
        }
        PeriodsPerYear::FromSamplingInterval => {
            let gaps_ms: Vec<f64> = prices
                .times_ms()
                .windows(2)
                .map(|w| w[1].abs_diff(w[0]) as f64)
                .collect();
            YEAR_MS / median(&gaps_ms)?
        }
    };
    // Welford's one-pass update: no buffer of returns is needed.
    let (mut count, mut mean, mut sum_sq_dev) = (0.0f64, 0.0f64, 0.0f64);
    for pair in prices.values().windows(2) {
        let r = (pair[1] / pair[0]).ln();
        count += 1.0;
        let delta = r - mean;
        mean += delta / count;
        sum_sq_dev += delta * (r - mean);
    }
    let sigma = (sum_sq_dev / (count - 1.0)).sqrt() * periods_per_year.sqrt();
    if sigma.is_finite() {
        Ok(sigma)
    } else {
        Err(MathError::NotFinite {
            name: "realised volatility",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{DAY_MS, HOUR_MS};
    use crate::stats::sample_std;
    use proptest::prelude::*;

    fn hourly(prices: &[f64]) -> TimeSeries {
        TimeSeries::new(
            (0..prices.len() as i64).map(|i| i * HOUR_MS).collect(),
            prices.to_vec(),
        )
        .unwrap()
    }

    /// Hand-checked with Python: statistics.stdev of the log returns of these hourly prices × √8760.
    #[test]
    fn hourly_volatility_matches_python() {
        let prices = hourly(&[100.0, 101.0, 99.5, 100.2, 102.0]);
        let expected = 0.014_035_823_490_892_5 * 8760f64.sqrt();
        let sigma = realised_volatility(&prices, PeriodsPerYear::FromSamplingInterval).unwrap();
        assert!((sigma - expected).abs() < 1e-12, "{sigma}");
        let given = realised_volatility(&prices, PeriodsPerYear::Given(8_760.0)).unwrap();
        assert_eq!(sigma, given);
    }

    #[test]
    fn sampling_interval_is_the_median_gap() {
        // One missing hour does not change the hourly annualisation.
        let times = vec![0, HOUR_MS, 2 * HOUR_MS, 4 * HOUR_MS, 5 * HOUR_MS];
        let prices = TimeSeries::new(times, vec![100.0, 101.0, 99.5, 100.2, 102.0]).unwrap();
        let derived = realised_volatility(&prices, PeriodsPerYear::FromSamplingInterval).unwrap();
        let given = realised_volatility(&prices, PeriodsPerYear::Given(8_760.0)).unwrap();
        assert!((derived - given).abs() < 1e-12);
        assert_eq!(periods_per_year(DAY_MS).unwrap(), 365.0);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let ok = hourly(&[100.0, 101.0, 102.0]);
        assert_eq!(
            realised_volatility(&hourly(&[1.0, 2.0]), PeriodsPerYear::Given(365.0)),
            Err(MathError::NotEnoughData { needed: 3, got: 2 })
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                realised_volatility(&ok, PeriodsPerYear::Given(bad)),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        let non_positive = hourly(&[100.0, 0.0, 102.0]);
        assert!(matches!(
            realised_volatility(&non_positive, PeriodsPerYear::Given(365.0)),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            periods_per_year(0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            periods_per_year(-5),
            Err(MathError::InvalidParameter { .. })
        ));
        // Timestamps at the ends of i64 must not overflow the gap computation.
        let far_apart = TimeSeries::new(vec![i64::MIN, 0, i64::MAX], vec![1.0, 2.0, 3.0]).unwrap();
        assert!(
            realised_volatility(&far_apart, PeriodsPerYear::FromSamplingInterval)
                .unwrap()
                .is_finite()
        );
        let extreme = hourly(&[f64::MIN_POSITIVE, f64::MAX, f64::MIN_POSITIVE]);
        assert!(realised_volatility(&extreme, PeriodsPerYear::Given(f64::MAX)).is_err());
    }

    proptest! {
        /// Volatility is a property of returns, not of the price level; and it equals the two-pass formula.
        #[test]
        fn volatility_ignores_scale_and_matches_two_pass(
            prices in prop::collection::vec(1.0f64..1e5, 3..80),
            scale in 1e-3f64..1e3,
        ) {
            let sigma = realised_volatility(&hourly(&prices), PeriodsPerYear::Given(8_760.0)).unwrap();
            let scaled: Vec<f64> = prices.iter().map(|p| p * scale).collect();
            let sigma_scaled = realised_volatility(&hourly(&scaled), PeriodsPerYear::Given(8_760.0)).unwrap();
            prop_assert!((sigma - sigma_scaled).abs() <= 1e-9 * (1.0 + sigma));
            let returns: Vec<f64> = prices.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
            let two_pass = sample_std(&returns).unwrap() * 8_760f64.sqrt();
            prop_assert!((sigma - two_pass).abs() <= 1e-9 * (1.0 + two_pass));
        }
    }
}
