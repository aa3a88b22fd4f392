//! The inputs of the funding formula: the premium index sampled from the impact prices, its time-weighted
//! average over the funding interval, and the impact margin notional that sets the impact prices.

use crate::error::{MathError, Result, ensure_all_finite, ensure_positive};

/// The fixed margin Binance uses to size its impact notional, in USDT.
pub const BINANCE_IMPACT_MARGIN_USDT: f64 = 200.0;

/// Premium index of one sample: how far the price to trade the impact notional sits outside the index.
///
/// # Formula
/// `P = [max(0, ImpactBid − Index) − max(0, Index − ImpactAsk)] / Index`
///
/// Source: the premium-index rule printed on Binance's funding-history page and Gate's funding page (methods
/// notes §3.4). It is zero while the index lies between the impact bid and the impact ask.
///
/// # Errors
/// [`MathError::InvalidParameter`] when a price is not a positive finite number.
///
/// ```
/// use lens_math::funding::premium_index;
/// // The impact bid is 5 USDT above an index of 10,000: a premium of 0.05 %.
/// let p = premium_index(10_005.0, 10_006.0, 10_000.0)?;
/// assert!((p - 0.0005).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn premium_index(impact_bid: f64, impact_ask: f64, index_price: f64) -> Result<f64> {
    let bid = ensure_positive("impact bid", impact_bid)?;
    let ask = ensure_positive("impact ask", impact_ask)?;
    let index = ensure_positive("index price", index_price)?;
    Ok(((bid - index).max(0.0) - (index - ask).max(0.0)) / index)
}

/// Sum of the linear weights 1 + 2 + … + n used by the time-weighted premium.
///
/// # Formula
/// `Σ_{i=1..n} i = n(n + 1)/2`
///
/// Source: Bybit, "Introduction to Funding Rate": 480 one-minute samples over 8 h weigh 1..480.
///
/// # Errors
/// [`MathError::InvalidParameter`] when the sum does not fit in a `u64` (more than ~6 × 10⁹ samples).
///
/// ```
/// use lens_math::funding::linear_weight_sum;
/// assert_eq!(linear_weight_sum(480)?, 115_440);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn linear_weight_sum(sample_count: usize) -> Result<u64> {
    let n = u64::try_from(sample_count).ok();
    // Halve whichever of n, n + 1 is even first, so the product is exact.
    let sum = n.and_then(|n| {
        let next = n.checked_add(1)?;
        if n % 2 == 0 {
            (n / 2).checked_mul(next)
        } else {
            n.checked_mul(next / 2)
        }
    });
    sum.ok_or(MathError::InvalidParameter {
        name: "sample count",
        reason: "too many samples",
    })
}

/// Time-weighted average premium over one funding interval, later samples weighing more.
///
/// # Formula
/// `P̄ = Σ_{i=1..n} i·P_i / Σ_{i=1..n} i`, samples oldest first.
///
/// Source: Bybit's documented TWAP, `(P₁·1 + P₂·2 + … + P₄₈₀·480)/(1 + 2 + … + 480)`; Binance applies the same
/// weights to 5-second samples (5,760 per 8 h), as Binance's funding documentation describes.
///
/// # Errors
/// [`MathError::NotEnoughData`] for no samples, [`MathError::NotFinite`] for a NaN/∞ sample.
///
/// ```
/// use lens_math::funding::time_weighted_premium;
/// // (1 × 0.01 % + 2 × 0.02 % + 3 × 0.04 %) / 6 = 0.02833 %
/// let p = time_weighted_premium(&[0.0001, 0.0002, 0.0004])?;
/// assert!((p - 0.0017 / 6.0).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn time_weighted_premium(premiums: &[f64]) -> Result<f64> {
    if premiums.is_empty() {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    ensure_all_finite("premium", premiums)?;
    let total_weight = linear_weight_sum(premiums.len())? as f64;
    // Dividing each term by the total weight first keeps the sum finite for any finite input.
    let average = premiums
        .iter()
        .enumerate()
        .map(|(i, premium)| (i as f64 + 1.0) / total_weight * premium)
        .sum::<f64>();
    if average.is_finite() {
        Ok(average)
    } else {
        Err(MathError::NotFinite {
            name: "average premium",
        })
    }
}

/// Impact margin notional: the trade size whose average fill prices are the impact bid and ask.
///
/// # Formula
/// `IMN = 200 USDT / IMR`, where IMR is the initial margin rate at the symbol's maximum leverage (1/max leverage).
///
/// Source: Binance funding FAQ — BNBUSDT at 20× has IMR 5 % and IMN 4,000 USDT.
///
/// # Errors
/// [`MathError::InvalidParameter`] when the rate is not in (0, 1].
///
/// ```
/// use lens_math::funding::impact_margin_notional_usdt;
/// assert!((impact_margin_notional_usdt(1.0 / 20.0)? - 4_000.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn impact_margin_notional_usdt(initial_margin_rate: f64) -> Result<f64> {
    let rate = ensure_positive("initial margin rate", initial_margin_rate)?;
    if rate > 1.0 {
        return Err(MathError::InvalidParameter {
            name: "initial margin rate",
            reason: "must be at most 1 (100 %)",
        });
    }
    Ok(BINANCE_IMPACT_MARGIN_USDT / rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hand-checked: the premium is the part of the impact price outside the index, as a fraction of it.
    #[test]
    fn premium_index_follows_the_documented_rule() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-15;
        assert!(close(premium_index(100.05, 100.10, 100.0).unwrap(), 0.0005)); // bid above index
        assert!(close(premium_index(99.90, 99.95, 100.0).unwrap(), -0.0005)); // ask below index
        assert_eq!(premium_index(99.95, 100.05, 100.0).unwrap(), 0.0); // index inside the impact spread
        assert_eq!(premium_index(100.0, 100.0, 100.0).unwrap(), 0.0);
    }

    /// Bybit's help page on the funding TWAP: Σ1..480 = 115,440 (8 h of minutes), Σ1..240 = 28,920 (4 h),
    /// Σ1..5,760 = 16,591,680 (Binance's 5-second samples).
    #[test]
    fn linear_weights_match_bybit_and_binance_sample_counts() {
        assert_eq!(linear_weight_sum(480).unwrap(), 115_440);
        assert_eq!(linear_weight_sum(240).unwrap(), 28_920);
        assert_eq!(linear_weight_sum(5_760).unwrap(), 16_591_680);
        assert_eq!(linear_weight_sum(0).unwrap(), 0);
        assert_eq!(linear_weight_sum(1).unwrap(), 1);
    }

    /// Bybit's 480-minute TWAP: a single non-zero last sample counts 480/115,440 of its value.
    #[test]
    fn last_sample_weighs_n_over_the_weight_sum() {
        let mut premiums = vec![0.0; 480];
        premiums[479] = 0.001;
        let p = time_weighted_premium(&premiums).unwrap();
        assert!((p - 0.001 * 480.0 / 115_440.0).abs() < 1e-18);
        // The first sample weighs only 1/115,440.
        premiums[479] = 0.0;
        premiums[0] = 0.001;
        assert!((time_weighted_premium(&premiums).unwrap() - 0.001 / 115_440.0).abs() < 1e-18);
    }

    /// Binance funding FAQ: 20× → IMR 5 % → IMN 4,000 USDT; by the same rule 125× → 0.8 % → 25,000 USDT.
    #[test]
    fn impact_margin_notional_matches_binance_faq() {
        assert!((impact_margin_notional_usdt(0.05).unwrap() - 4_000.0).abs() < 1e-9);
        assert!((impact_margin_notional_usdt(0.008).unwrap() - 25_000.0).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                premium_index(bad, 100.0, 100.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                premium_index(100.0, bad, 100.0),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                premium_index(100.0, 100.0, bad),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                impact_margin_notional_usdt(bad),
                Err(MathError::InvalidParameter { .. })
            ));
        }
        assert!(matches!(
            impact_margin_notional_usdt(1.5),
            Err(MathError::InvalidParameter { .. })
        ));
        assert_eq!(
            time_weighted_premium(&[]),
            Err(MathError::NotEnoughData { needed: 1, got: 0 })
        );
        assert!(matches!(
            time_weighted_premium(&[0.0, f64::NAN]),
            Err(MathError::NotFinite { .. })
        ));
        assert!(
            time_weighted_premium(&[f64::MAX, f64::MAX])
                .unwrap()
                .is_finite()
        );
        #[cfg(target_pointer_width = "64")]
        assert!(matches!(
            linear_weight_sum(usize::MAX),
            Err(MathError::InvalidParameter { .. })
        ));
    }

    proptest! {
        /// A weighted average stays within the range of its samples, and a constant premium averages to itself.
        #[test]
        fn average_premium_lies_within_the_samples(premiums in prop::collection::vec(-0.01f64..0.01, 1..600)) {
            let p = time_weighted_premium(&premiums).unwrap();
            let lo = premiums.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = premiums.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(p >= lo - 1e-15 && p <= hi + 1e-15);
            let constant = vec![premiums[0]; premiums.len()];
            prop_assert!((time_weighted_premium(&constant).unwrap() - premiums[0]).abs() < 1e-15);
        }

        #[test]
        fn closed_form_weight_sum_equals_the_loop(n in 0usize..20_000) {
            prop_assert_eq!(linear_weight_sum(n).unwrap(), (1..=n as u64).sum::<u64>());
        }
    }
}
