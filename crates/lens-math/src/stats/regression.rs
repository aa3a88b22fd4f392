//! Simple ordinary least squares: one regressor and an intercept.

use crate::error::{MathError, Result, ensure_all_finite};

/// The fitted line `y = intercept + slope · x` and how much of y's variation it explains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearFit {
    /// β: change in y per unit of x.
    pub slope: f64,
    /// α: y where x = 0.
    pub intercept: f64,
    /// Share of the variance of y explained by the line, 0 to 1 (0 when y does not vary, as scipy reports).
    pub r_squared: f64,
    /// Number of (x, y) pairs used.
    pub n: usize,
}

/// Fits `y = α + β·x` by ordinary least squares.
///
/// # Formula
/// `β = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)²`, `α = ȳ − β·x̄`,
/// `R² = [Σ(xᵢ − x̄)(yᵢ − ȳ)]² / (Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²)`.
///
/// Source: the textbook simple regression (e.g. Wooldridge, *Introductory Econometrics*, ch. 2), computed on
/// centred data in two passes for accuracy; glossary term 5 uses it for price sensitivity to open interest.
///
/// # Errors
/// [`MathError::LengthMismatch`] when x and y differ in length, [`MathError::NotEnoughData`] for fewer than 3
/// pairs, [`MathError::NotFinite`] for NaN/∞ input or overflow, [`MathError::InvalidParameter`] when every x is
/// the same (the slope is undefined).
///
/// ```
/// use lens_math::stats::ols;
/// // Leverage Lens glossary, leverage dependency: OI changes vs returns (percent) give β = 0.5125, R² = 0.83.
/// let oi_change_pct = [2.0, -1.0, 3.0, -4.0, 1.0, -1.0];
/// let return_pct = [0.8, 0.4, 1.5, -2.6, -0.3, -0.6];
/// let fit = ols(&oi_change_pct, &return_pct)?;
/// assert!((fit.slope - 0.5125).abs() < 1e-12);
/// assert!((fit.r_squared - 0.83).abs() < 0.005);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn ols(x: &[f64], y: &[f64]) -> Result<LinearFit> {
    if x.len() != y.len() {
        return Err(MathError::LengthMismatch {
            left: x.len(),
            right: y.len(),
        });
    }
    if x.len() < 3 {
        return Err(MathError::NotEnoughData {
            needed: 3,
            got: x.len(),
        });
    }
    ensure_all_finite("x", x)?;
    ensure_all_finite("y", y)?;
    // Checked on the raw values: a mean of equal values can round, which would fake a tiny variance.
    if x.iter().all(|&v| Some(&v) == x.first()) {
        return Err(MathError::InvalidParameter {
            name: "x",
            reason: "has no variation, so the slope is undefined",
        });
    }
    let n = x.len() as f64;
    let x_mean = x.iter().sum::<f64>() / n;
    let y_mean = y.iter().sum::<f64>() / n;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(y) {
        let (dx, dy) = (xi - x_mean, yi - y_mean);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "x",
            reason: "has no variation, so the slope is undefined",
        });
    }
    let slope = sxy / sxx;
    let intercept = y_mean - slope * x_mean;
    let r_squared = if syy > 0.0 {
        (sxy / sxx) * (sxy / syy)
    } else {
        0.0
    };
    if !(slope.is_finite() && intercept.is_finite() && r_squared.is_finite()) {
        return Err(MathError::NotFinite {
            name: "regression (inputs too large)",
        });
    }
    Ok(LinearFit {
        slope,
        intercept,
        r_squared: r_squared.clamp(0.0, 1.0),
        n: x.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Leverage Lens glossary, leverage dependency, worked example: Σx·r / Σx² = 16.4 / 32 = 0.5125,
    /// α = −0.133, R² = 0.83 (Python: β 0.5125, α −0.13333, R² 0.82781).
    #[test]
    fn ols_matches_leverage_dependency_page() {
        let x = [2.0, -1.0, 3.0, -4.0, 1.0, -1.0];
        let r = [0.8, 0.4, 1.5, -2.6, -0.3, -0.6];
        let fit = ols(&x, &r).unwrap();
        assert!((fit.slope - 0.5125).abs() < 1e-12);
        assert!((fit.intercept - (-0.4 / 3.0)).abs() < 1e-12);
        assert!((fit.r_squared - 0.827_806_96).abs() < 1e-8);
        assert_eq!(format!("{:.2}", fit.r_squared), "0.83");
        assert_eq!(fit.n, 6);
    }

    #[test]
    fn constant_y_gives_zero_slope_and_zero_r_squared() {
        let fit = ols(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]).unwrap();
        assert_eq!((fit.slope, fit.intercept, fit.r_squared), (0.0, 5.0, 0.0));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert_eq!(
            ols(&[1.0, 2.0, 3.0], &[1.0, 2.0]),
            Err(MathError::LengthMismatch { left: 3, right: 2 })
        );
        assert_eq!(
            ols(&[1.0, 2.0], &[1.0, 2.0]),
            Err(MathError::NotEnoughData { needed: 3, got: 2 })
        );
        assert_eq!(
            ols(&[], &[]),
            Err(MathError::NotEnoughData { needed: 3, got: 0 })
        );
        assert!(matches!(
            ols(&[0.1, 0.1, 0.1], &[1.0, 2.0, 3.0]),
            Err(MathError::InvalidParameter { .. })
        ));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                ols(&[1.0, bad, 3.0], &[1.0, 2.0, 3.0]),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                ols(&[1.0, 2.0, 3.0], &[1.0, 2.0, bad]),
                Err(MathError::NotFinite { .. })
            ));
        }
        assert!(ols(&[-f64::MAX, 0.0, f64::MAX], &[1.0, 2.0, 3.0]).is_err());
    }

    proptest! {
        /// Points on an exact line give back that line with R² = 1.
        #[test]
        fn exact_lines_are_recovered(
            x in prop::collection::vec(-1e3f64..1e3, 3..50),
            alpha in -100f64..100.0,
            beta in -10f64..10.0,
        ) {
            let spread = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max) - x.iter().cloned().fold(f64::INFINITY, f64::min);
            prop_assume!(spread > 1.0);
            let y: Vec<f64> = x.iter().map(|v| alpha + beta * v).collect();
            let fit = ols(&x, &y).unwrap();
            prop_assert!((fit.slope - beta).abs() < 1e-9 * (1.0 + beta.abs()));
            prop_assert!((fit.intercept - alpha).abs() < 1e-6 * (1.0 + alpha.abs()));
            if beta.abs() > 1e-3 { prop_assert!((fit.r_squared - 1.0).abs() < 1e-9); }
        }

        /// R² stays in [0, 1] and equals the squared correlation computed the textbook one-pass way.
        #[test]
        fn r_squared_is_the_squared_correlation(
            pairs in prop::collection::vec((-100f64..100.0, -100f64..100.0), 3..60),
        ) {
            let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            let n = x.len() as f64;
            let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
            let sxy = x.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() - sx * sy / n;
            let sxx = x.iter().map(|a| a * a).sum::<f64>() - sx * sx / n;
            let syy = y.iter().map(|b| b * b).sum::<f64>() - sy * sy / n;
            prop_assume!(sxx > 1e-3 && syy > 1e-3);
            let fit = ols(&x, &y).unwrap();
            prop_assert!((0.0..=1.0).contains(&fit.r_squared));
            prop_assert!((fit.r_squared - sxy * sxy / (sxx * syy)).abs() < 1e-6);
            prop_assert!((fit.slope - sxy / sxx).abs() < 1e-6 * (1.0 + fit.slope.abs()));
        }
    }
}
