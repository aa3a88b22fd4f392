//! Ordinary least squares with an intercept, `y = α + Σ β_j x_j + ε`, for the OFI price-impact regressions.
//!
//! The normal equations are solved on centred and unit-scaled columns (a correlation matrix), by Gaussian
//! elimination with partial pivoting. Scaling makes the singularity test independent of units: a pivot below
//! [`SINGULAR_PIVOT`] means some regressor is, to 10 digits, a linear combination of the others.

use crate::error::{MathError, Result, ensure_all_finite};

/// Smallest acceptable pivot of the scaled normal equations (1 − R² of a regressor on the others).
const SINGULAR_PIVOT: f64 = 1e-10;

/// Coefficients and goodness of fit of an OLS regression.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OlsFit {
    pub(super) intercept: f64,
    pub(super) slopes: Vec<f64>,
    pub(super) r_squared: f64,
}

/// Fits `response = α + Σ β_j regressors[j]` by least squares.
///
/// Needs two observations more than there are slopes, so that at least one residual is free and R² says
/// something (a line through two points always fits).
pub(super) fn ols(regressors: &[&[f64]], response: &[f64]) -> Result<OlsFit> {
    if regressors.is_empty() {
        return Err(MathError::InvalidParameter {
            name: "regressors",
            reason: "at least one is needed",
        });
    }
    let n = response.len();
    for column in regressors {
        if column.len() != n {
            return Err(MathError::LengthMismatch {
                left: column.len(),
                right: n,
            });
        }
        ensure_all_finite("regressor", column)?;
    }
    ensure_all_finite("response", response)?;
    let needed = regressors.len() + 2;
    if n < needed {
        return Err(MathError::NotEnoughData { needed, got: n });
    }
    if is_constant(response) {
        return Err(MathError::InvalidParameter {
            name: "response",
            reason: "is constant, so R² is undefined",
        });
    }
    if regressors.iter().any(|column| is_constant(column)) {
        return Err(MathError::InvalidParameter {
            name: "regressor",
            reason: "is constant, so its coefficient is undefined",
        });
    }

    let response_mean = mean(response);
    let means: Vec<f64> = regressors.iter().map(|column| mean(column)).collect();
    let response_scale = centred_dot(response, response_mean, response, response_mean).sqrt();
    let scales: Vec<f64> = regressors
        .iter()
        .zip(&means)
        .map(|(x, &m)| centred_dot(x, m, x, m).sqrt())
        .collect();

    // Augmented, scaled normal equations: rows [ corr(x_j, x_k) for k | corr-like(x_j, y) ].
    let mut rows: Vec<Vec<f64>> = regressors
        .iter()
        .zip(means.iter().zip(&scales))
        .map(|(xj, (&mj, &sj))| {
            let mut row: Vec<f64> = regressors
                .iter()
                .zip(means.iter().zip(&scales))
                .map(|(xk, (&mk, &sk))| centred_dot(xj, mj, xk, mk) / (sj * sk))
                .collect();
            row.push(centred_dot(xj, mj, response, response_mean) / (sj * response_scale));
            row
        })
        .collect();
    let scaled = solve_augmented(&mut rows)?;

    let slopes: Vec<f64> = scaled
        .iter()
        .zip(&scales)
        .map(|(z, s)| z * response_scale / s)
        .collect();
    let intercept = response_mean - slopes.iter().zip(&means).map(|(b, m)| b * m).sum::<f64>();

    let mut residuals: Vec<f64> = response.iter().map(|y| y - response_mean).collect();
    for ((column, &m), &b) in regressors.iter().zip(&means).zip(&slopes) {
        for (r, x) in residuals.iter_mut().zip(column.iter()) {
            *r -= b * (x - m);
        }
    }
    let sse: f64 = residuals.iter().map(|r| r * r).sum();
    let r_squared = (1.0 - sse / (response_scale * response_scale)).clamp(0.0, 1.0);

    let all_finite =
        intercept.is_finite() && slopes.iter().all(|b| b.is_finite()) && r_squared.is_finite();
    if !all_finite {
        return Err(MathError::NotFinite {
            name: "regression coefficient",
        });
    }
    Ok(OlsFit {
        intercept,
        slopes,
        r_squared,
    })
}

fn is_constant(values: &[f64]) -> bool {
    values
        .first()
        .is_none_or(|first| values.iter().all(|v| v == first))
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn centred_dot(a: &[f64], mean_a: f64, b: &[f64], mean_b: f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - mean_a) * (y - mean_b))
        .sum()
}

/// Solves the p × (p + 1) augmented system in place by Gaussian elimination with partial pivoting.
fn solve_augmented(rows: &mut [Vec<f64>]) -> Result<Vec<f64>> {
    let p = rows.len();
    let singular = MathError::InvalidParameter {
        name: "regressors",
        reason: "are collinear, so the normal equations are singular",
    };
    for col in 0..p {
        let pivot_row = (col..p)
            .max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))
            .unwrap_or(col);
        if rows[pivot_row][col].abs().partial_cmp(&SINGULAR_PIVOT)
            != Some(std::cmp::Ordering::Greater)
        {
            return Err(singular);
        }
        rows.swap(col, pivot_row);
        let (done, below) = rows.split_at_mut(col + 1);
        let Some(pivot) = done.last() else {
            return Err(singular);
        };
        for row in below {
            let factor = row[col] / pivot[col];
            for (x, pv) in row.iter_mut().zip(pivot).skip(col) {
                *x -= factor * pv;
            }
        }
    }
    let mut solution = vec![0.0; p];
    for col in (0..p).rev() {
        let row = &rows[col];
        let known: f64 = row[col + 1..p]
            .iter()
            .zip(&solution[col + 1..])
            .map(|(a, z)| a * z)
            .sum();
        solution[col] = (row[p] - known) / row[col];
    }
    Ok(solution)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// y = 1 + 2x on x = 1..5 with residuals (0.1, −0.2, 0, 0.2, −0.1): hand-computed OLS gives slope 2,
    /// intercept 1 and R² = 1 − 0.1/40.1 (verified independently with Python's statistics.linear_regression).
    #[test]
    fn simple_fit_matches_hand_computed_example() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [3.1, 4.8, 7.0, 9.2, 10.9];
        let fit = ols(&[&x], &y).unwrap();
        assert!((fit.slopes[0] - 2.0).abs() < 1e-12);
        assert!((fit.intercept - 1.0).abs() < 1e-12);
        assert!((fit.r_squared - (1.0 - 0.1 / 40.1)).abs() < 1e-12);
    }

    #[test]
    fn exact_two_regressor_plane_is_recovered() {
        let x1 = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = [1.0, -1.0, 4.0, 0.5, 2.0, -3.0];
        let y: Vec<f64> = x1
            .iter()
            .zip(&x2)
            .map(|(a, b)| 2.0 + 3.0 * a - 1.5 * b)
            .collect();
        let fit = ols(&[&x1, &x2], &y).unwrap();
        assert!((fit.intercept - 2.0).abs() < 1e-12);
        assert!((fit.slopes[0] - 3.0).abs() < 1e-12);
        assert!((fit.slopes[1] + 1.5).abs() < 1e-12);
        assert!((fit.r_squared - 1.0).abs() < 1e-12);
    }

    #[test]
    fn collinear_or_constant_regressors_are_rejected() {
        let x1 = [1.0, 2.0, 3.0, 4.0];
        let doubled = [2.0, 4.0, 6.0, 8.0];
        let y = [1.0, 3.0, 2.0, 5.0];
        assert!(matches!(
            ols(&[&x1, &doubled], &y),
            Err(MathError::InvalidParameter {
                name: "regressors",
                ..
            })
        ));
        assert!(matches!(
            ols(&[&[7.0; 4]], &y),
            Err(MathError::InvalidParameter {
                name: "regressor",
                ..
            })
        ));
        assert!(matches!(
            ols(&[&x1], &[2.0; 4]),
            Err(MathError::InvalidParameter {
                name: "response",
                ..
            })
        ));
        assert!(matches!(
            ols(&[&x1], &y[..3]),
            Err(MathError::LengthMismatch { .. })
        ));
        assert!(matches!(
            ols(&[&x1[..2]], &y[..2]),
            Err(MathError::NotEnoughData { needed: 3, got: 2 })
        ));
        assert!(matches!(
            ols(&[], &y),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            ols(&[&[1.0, f64::NAN, 3.0, 4.0]], &y),
            Err(MathError::NotFinite { .. })
        ));
    }

    proptest! {
        /// Rescaling a regressor by c rescales its slope by 1/c and leaves the fit unchanged.
        #[test]
        fn slopes_scale_inversely_with_units(
            points in prop::collection::vec((-100.0f64..100.0, -100.0f64..100.0), 5..40),
            c in 0.001f64..1000.0,
        ) {
            let (x, y): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
            prop_assume!(!is_constant(&x) && !is_constant(&y));
            let scaled: Vec<f64> = x.iter().map(|v| v * c).collect();
            let a = ols(&[&x], &y).unwrap();
            let b = ols(&[&scaled], &y).unwrap();
            prop_assert!((a.slopes[0] - b.slopes[0] * c).abs() <= 1e-9 * a.slopes[0].abs().max(1e-6));
            prop_assert!((a.r_squared - b.r_squared).abs() < 1e-9);
        }
    }
}
