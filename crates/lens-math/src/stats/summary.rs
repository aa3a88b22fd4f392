//! One-number summaries of a slice: mean, sample standard deviation, median and the z-score of a value
//! against a reference sample.

use crate::error::{MathError, Result, ensure_all_finite, ensure_finite};

/// Arithmetic mean.
///
/// # Formula
/// `μ = Σ xᵢ / n`
///
/// # Errors
/// [`MathError::NotEnoughData`] for an empty slice, [`MathError::NotFinite`] for a NaN/∞ input or a sum that
/// overflows.
///
/// ```
/// use lens_math::stats::mean;
/// assert_eq!(mean(&[1.0, 2.0, 6.0])?, 3.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn mean(values: &[f64]) -> Result<f64> {
    if values.is_empty() {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    ensure_all_finite("values", values)?;
    ensure_finite("mean", values.iter().sum::<f64>() / values.len() as f64)
}

/// Sample standard deviation (divisor n − 1), computed in two passes so that a large common offset does not
/// cancel digits away.
///
/// # Formula
/// `s = √( Σ (xᵢ − μ)² / (n − 1) )`
///
/// Source: the unbiased-variance convention the glossary z-scores use (terms 3, 6 and 9 say "sample std").
///
/// # Errors
/// [`MathError::NotEnoughData`] for fewer than 2 values, [`MathError::NotFinite`] for NaN/∞ input or overflow.
///
/// ```
/// use lens_math::stats::sample_std;
/// // Leverage Lens glossary, systemic leverage risk: these eight funding readings have sd 0.004 %.
/// let readings = [0.010, 0.006, 0.014, 0.010, 0.004, 0.012, 0.016, 0.008];
/// assert!((sample_std(&readings)? - 0.004).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn sample_std(values: &[f64]) -> Result<f64> {
    if values.len() < 2 {
        return Err(MathError::NotEnoughData {
            needed: 2,
            got: values.len(),
        });
    }
    let centre = mean(values)?;
    let squares: f64 = values.iter().map(|x| (x - centre) * (x - centre)).sum();
    ensure_finite(
        "sample standard deviation",
        (squares / (values.len() - 1) as f64).sqrt(),
    )
}

/// Median: the middle value, or the mean of the two middle values for an even count. Runs in O(n) with a
/// selection on a copy; the input is left untouched.
///
/// # Formula
/// `median = x₍₍ₙ₊₁₎/₂₎` for odd n, `(x₍ₙ/₂₎ + x₍ₙ/₂₊₁₎)/2` for even n (order statistics).
///
/// Source: the textbook definition; the deleveraging-cycles burst rule (glossary term 13) compares a total with
/// the median of its own recent past.
///
/// # Errors
/// [`MathError::NotEnoughData`] for an empty slice, [`MathError::NotFinite`] for a NaN/∞ input.
///
/// ```
/// use lens_math::stats::median;
/// assert_eq!(median(&[5.0, 1.0, 3.0])?, 3.0);
/// assert_eq!(median(&[4.0, 1.0, 3.0, 2.0])?, 2.5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn median(values: &[f64]) -> Result<f64> {
    if values.is_empty() {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    ensure_all_finite("values", values)?;
    let mut scratch = values.to_vec();
    // `middle < len` because the slice is not empty, so the selection cannot panic.
    let middle = scratch.len() / 2;
    let (lower, &mut upper_middle, _) = scratch.select_nth_unstable_by(middle, f64::total_cmp);
    if values.len() % 2 == 1 {
        return Ok(upper_middle);
    }
    // After the selection every element left of `middle` is ≤ it, so the lower middle is their maximum.
    let lower_middle = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Halving first cannot overflow, and halving is exact for normal numbers.
    Ok(lower_middle / 2.0 + upper_middle / 2.0)
}

/// How many sample standard deviations `value` lies from the mean of `reference`.
///
/// Whether `reference` contains `value` is the caller's choice: the glossary uses both (term 6 includes today,
/// term 9 excludes it). [`RollingZScore`](crate::stats::RollingZScore) does the same along a whole series.
///
/// # Formula
/// `z = (x − μ_ref) / s_ref`, with `s_ref` the sample standard deviation (n − 1).
///
/// # Errors
/// [`MathError::NotEnoughData`] for fewer than 2 reference values, [`MathError::NotFinite`] for NaN/∞ input,
/// [`MathError::InvalidParameter`] when the reference has no spread (the z-score is undefined).
///
/// ```
/// use lens_math::stats::z_score;
/// // Leverage Lens glossary, systemic leverage risk: today's 0.0115 % against the previous eight readings.
/// let previous = [0.010, 0.006, 0.014, 0.010, 0.004, 0.012, 0.016, 0.008];
/// assert!((z_score(0.0115, &previous)? - 0.375).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn z_score(value: f64, reference: &[f64]) -> Result<f64> {
    let value = ensure_finite("value", value)?;
    let spread = sample_std(reference)?;
    if spread == 0.0 {
        return Err(MathError::InvalidParameter {
            name: "reference",
            reason: "has no spread, so a z-score is undefined",
        });
    }
    ensure_finite("z-score", (value - mean(reference)?) / spread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Leverage Lens glossary, systemic leverage risk, worked example: mean 0.010 %, sd 0.004 %, so 0.0115 %
    /// scores 0.375 and 0.025 % scores 3.75 (checked with Python's statistics module).
    #[test]
    fn z_score_matches_systemic_leverage_risk_page() {
        let previous = [0.010, 0.006, 0.014, 0.010, 0.004, 0.012, 0.016, 0.008];
        assert!((mean(&previous).unwrap() - 0.010).abs() < 1e-15);
        assert!((sample_std(&previous).unwrap() - 0.004).abs() < 1e-15);
        assert!((z_score(0.0115, &previous).unwrap() - 0.375).abs() < 1e-12);
        assert!((z_score(0.025, &previous).unwrap() - 3.75).abs() < 1e-12);
    }

    #[test]
    fn sample_std_uses_n_minus_one() {
        // Σ(x − 2.5)² = 5 for 1..4, so s = √(5/3) (hand-checked).
        assert!((sample_std(&[1.0, 2.0, 3.0, 4.0]).unwrap() - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn sample_std_keeps_digits_under_a_large_offset() {
        // A one-pass Σx² − nμ² loses every digit here; the two-pass form returns exactly 1.
        let shifted = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
        assert_eq!(sample_std(&shifted).unwrap(), 1.0);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[7.0]).unwrap(), 7.0);
        assert_eq!(median(&[3.0, -1.0, 2.0, 10.0, 0.0]).unwrap(), 2.0);
        assert_eq!(median(&[10.0, 2.0, 4.0, 8.0]).unwrap(), 6.0);
        assert_eq!(median(&[f64::MAX, f64::MAX]).unwrap(), f64::MAX); // no overflow in the average
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert_eq!(
            mean(&[]),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        assert_eq!(
            median(&[]),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        assert_eq!(
            sample_std(&[1.0]),
            Err(MathError::NotEnoughData { needed: 2, got: 1 })
        );
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                mean(&[1.0, bad]),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                sample_std(&[1.0, bad]),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                median(&[1.0, bad]),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                z_score(bad, &[1.0, 2.0]),
                Err(MathError::NotFinite { .. })
            ));
            assert!(matches!(
                z_score(1.0, &[1.0, bad]),
                Err(MathError::NotFinite { .. })
            ));
        }
        assert!(matches!(
            mean(&[f64::MAX, f64::MAX]),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            sample_std(&[f64::MAX, -f64::MAX]),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            z_score(1.0, &[2.0, 2.0]),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            z_score(1.0, &[]),
            Err(MathError::NotEnoughData { .. })
        ));
    }

    proptest! {
        #[test]
        fn median_agrees_with_sorting(mut values in prop::collection::vec(-1e6f64..1e6, 1..60)) {
            let got = median(&values).unwrap();
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let expected = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 };
            prop_assert!((got - expected).abs() <= 1e-9 * (1.0 + expected.abs()));
        }

        /// A z-score does not depend on the units: shifting and rescaling everything leaves it unchanged.
        #[test]
        fn z_score_is_affine_invariant(
            reference in prop::collection::vec(-100f64..100.0, 2..40),
            value in -100f64..100.0,
            shift in -1e3f64..1e3,
            scale in 0.01f64..100.0,
        ) {
            prop_assume!(sample_std(&reference).unwrap() > 1e-6);
            let plain = z_score(value, &reference).unwrap();
            let moved: Vec<f64> = reference.iter().map(|x| x * scale + shift).collect();
            let transformed = z_score(value * scale + shift, &moved).unwrap();
            prop_assert!((plain - transformed).abs() <= 1e-6 * (1.0 + plain.abs()));
        }
    }
}
