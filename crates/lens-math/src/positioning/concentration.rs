//! How concentrated open interest is across venues or assets: the Herfindahl index, its inverse (the effective
//! number of equal venues) and its normalised form.

use crate::error::{MathError, Result};

/// Concentration of a set of open-interest values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concentration {
    /// Herfindahl index `Σ s_i²`, from 1/n (all equal) to 1 (one holds everything).
    pub hhi: f64,
    /// `1 / HHI`: how many equal-sized venues would give the same concentration.
    pub effective_number: f64,
    /// `(HHI − 1/n)/(1 − 1/n)`: 0 when all n are equal, 1 when one holds everything (1 by convention for n = 1).
    pub normalised_hhi: f64,
    /// Number of values included (zeros count: a venue in view with no open interest still counts).
    pub n: usize,
}

/// Herfindahl concentration of raw open-interest values; the shares are computed inside.
///
/// # Formula
/// `s_i = OI_i / Σ OI_j`, `HHI = Σ s_i²`, `n_eff = 1/HHI`, `HHI* = (HHI − 1/n)/(1 − 1/n)`.
///
/// Source: the Herfindahl–Hirschman index (US DoJ/FTC 2023 Merger Guidelines, Guideline 1); Leverage Lens
/// glossary term 4 (leverage concentration), on one-side open interest in USD.
///
/// # Errors
/// [`MathError::NotEnoughData`] for no values, [`MathError::InvalidParameter`] for a negative or non-finite
/// value or a zero total.
///
/// ```
/// use lens_math::positioning::herfindahl;
/// // Leverage Lens glossary, leverage concentration: 8.0 / 4.8 / 3.2 bn USD → shares 0.5 / 0.3 / 0.2.
/// let c = herfindahl(&[8.0e9, 4.8e9, 3.2e9])?;
/// assert!((c.hhi - 0.38).abs() < 1e-12);
/// assert!((c.effective_number - 2.63).abs() < 0.005);
/// assert!((c.normalised_hhi - 0.07).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn herfindahl(open_interest: &[f64]) -> Result<Concentration> {
    if open_interest.is_empty() {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    if open_interest
        .iter()
        .any(|&oi| !(oi.is_finite() && oi >= 0.0))
    {
        return Err(MathError::InvalidParameter {
            name: "open interest",
            reason: "must be a finite number ≥ 0",
        });
    }
    let largest = open_interest.iter().copied().fold(0.0, f64::max);
    if largest == 0.0 {
        return Err(MathError::InvalidParameter {
            name: "open interest",
            reason: "total is zero, so shares are undefined",
        });
    }
    // Scaling by the largest value first keeps both sums finite for any finite input; shares are unchanged.
    let (sum, sum_sq) = open_interest.iter().fold((0.0, 0.0), |(sum, sum_sq), &oi| {
        let scaled = oi / largest;
        (sum + scaled, sum_sq + scaled * scaled)
    });
    let hhi = (sum_sq / (sum * sum)).clamp(0.0, 1.0);
    let n = open_interest.len();
    let floor = 1.0 / n as f64;
    let normalised_hhi = if n == 1 {
        1.0
    } else {
        ((hhi - floor) / (1.0 - floor)).clamp(0.0, 1.0)
    };
    Ok(Concentration {
        hhi,
        effective_number: 1.0 / hhi,
        normalised_hhi,
        n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Leverage Lens glossary, leverage concentration: shares 0.5 / 0.3 / 0.2 give
    /// HHI 0.38, effective number 2.63, normalised 0.07 (Python: 0.38, 2.6316, 0.07).
    #[test]
    fn three_venue_test_case_matches_page_and_methods_notes() {
        let c = herfindahl(&[8.0, 4.8, 3.2]).unwrap();
        assert!(close(c.hhi, 0.38));
        assert!(close(c.effective_number, 1.0 / 0.38));
        assert_eq!(format!("{:.2}", c.effective_number), "2.63");
        assert!(close(c.normalised_hhi, 0.07));
        assert_eq!(c.n, 3);
        // The same shares given directly.
        assert!(close(herfindahl(&[0.5, 0.3, 0.2]).unwrap().hhi, 0.38));
    }

    /// Leverage Lens glossary, leverage concentration: after 2.4 bn moves to Binance (10.4 / 3.6 / 2.0) HHI is
    /// 0.489 and the effective number 2.05 (Python: 0.48875, 2.0460).
    #[test]
    fn shifted_venues_match_page() {
        let c = herfindahl(&[10.4e9, 3.6e9, 2.0e9]).unwrap();
        assert!(close(c.hhi, 0.48875));
        assert_eq!(format!("{:.2}", c.effective_number), "2.05");
    }

    /// Leverage Lens glossary, leverage concentration: assets 15 / 7.5 / 4.5 / 3 bn → HHI 0.345, n_eff 2.90;
    /// definition paragraph: 50/50 → 0.5, 90/10 → 0.82.
    #[test]
    fn assets_and_definition_examples_match_page() {
        let assets = herfindahl(&[15.0, 7.5, 4.5, 3.0]).unwrap();
        assert!(close(assets.hhi, 0.345));
        assert_eq!(format!("{:.2}", assets.effective_number), "2.90");
        assert!(close(herfindahl(&[1.0, 1.0]).unwrap().hhi, 0.5));
        assert!(close(herfindahl(&[90.0, 10.0]).unwrap().hhi, 0.82));
    }

    #[test]
    fn extremes_of_the_scale() {
        let equal = herfindahl(&[7.0; 4]).unwrap();
        assert!(
            close(equal.hhi, 0.25)
                && close(equal.effective_number, 4.0)
                && close(equal.normalised_hhi, 0.0)
        );
        let monopoly = herfindahl(&[5.0, 0.0, 0.0]).unwrap();
        assert!(close(monopoly.hhi, 1.0) && close(monopoly.normalised_hhi, 1.0));
        let single = herfindahl(&[3.0]).unwrap();
        assert_eq!(
            (single.hhi, single.effective_number, single.normalised_hhi),
            (1.0, 1.0, 1.0)
        );
        // Values near f64::MAX do not overflow the sums.
        assert!(close(herfindahl(&[f64::MAX, f64::MAX]).unwrap().hhi, 0.5));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert_eq!(
            herfindahl(&[]),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        assert!(matches!(
            herfindahl(&[0.0, 0.0]),
            Err(MathError::InvalidParameter { .. })
        ));
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                herfindahl(&[1.0, bad]),
                Err(MathError::InvalidParameter { .. })
            ));
        }
    }

    proptest! {
        /// HHI lies in [1/n, 1], does not depend on units, and n_eff lies in [1, n].
        #[test]
        fn hhi_is_bounded_and_scale_free(values in prop::collection::vec(0.0f64..1e12, 1..30), scale in 1e-6f64..1e6) {
            prop_assume!(values.iter().any(|&v| v > 0.0));
            let c = herfindahl(&values).unwrap();
            let n = values.len() as f64;
            prop_assert!(c.hhi >= 1.0 / n - 1e-12 && c.hhi <= 1.0);
            prop_assert!(c.effective_number >= 1.0 - 1e-12 && c.effective_number <= n + 1e-9);
            prop_assert!((0.0..=1.0).contains(&c.normalised_hhi));
            let scaled: Vec<f64> = values.iter().map(|v| v * scale).collect();
            prop_assert!((herfindahl(&scaled).unwrap().hhi - c.hhi).abs() < 1e-12);
        }
    }
}
