//! Auto-deleveraging (ADL): when a bankrupt position cannot be closed and the insurance fund runs short, the
//! venue closes opposing positions in rank order, most profitable and most levered first.

use super::invalid;
use crate::error::{Result, ensure_positive};
use crate::market::Side;

/// One position as the ADL queue sees it: signed values (negative for shorts) at mark, entry and bankruptcy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdlPosition {
    mark_value: f64,
    entry_value: f64,
    bankruptcy_value: f64,
}

impl AdlPosition {
    /// A position of `quantity` base units; values are `±quantity × price`, negative for shorts.
    ///
    /// # Errors
    /// [`crate::MathError::InvalidParameter`] unless quantity and prices are positive finite numbers and the
    /// bankruptcy price lies on the losing side of the mark (below it for a long, above for a short): a position
    /// already past bankruptcy has no meaningful leverage.
    ///
    /// ```
    /// use lens_math::margin::AdlPosition;
    /// use lens_math::market::Side;
    /// let p = AdlPosition::new(Side::Long, 1.0, 50_000.0, 60_000.0, 45_000.0)?;
    /// assert!((p.rank() - 0.80).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(
        side: Side,
        quantity: f64,
        entry_price: f64,
        mark_price: f64,
        bankruptcy_price: f64,
    ) -> Result<Self> {
        let q = side.sign() * ensure_positive("quantity", quantity)?;
        let entry = ensure_positive("entry_price", entry_price)?;
        let mark = ensure_positive("mark_price", mark_price)?;
        let bankruptcy = ensure_positive("bankruptcy_price", bankruptcy_price)?;
        if side.sign() * (mark - bankruptcy) <= 0.0 {
            return Err(invalid(
                "bankruptcy_price",
                "must lie on the losing side of the mark price",
            ));
        }
        Ok(Self {
            mark_value: q * mark,
            entry_value: q * entry,
            bankruptcy_value: q * bankruptcy,
        })
    }

    /// Profit as a fraction of entry value.
    ///
    /// # Formula
    /// `g = (MV − EV) / |EV|` (methods §3.9: MEXC and NFEX ADL documentation, BitMEX-style ranking).
    pub fn pnl_fraction(&self) -> f64 {
        (self.mark_value - self.entry_value) / self.entry_value.abs()
    }

    /// Effective leverage at the mark.
    ///
    /// # Formula
    /// `ℓ = |MV| / (MV − BV)` (positive: the bankruptcy value lies on the losing side).
    pub fn effective_leverage(&self) -> f64 {
        self.mark_value.abs() / (self.mark_value - self.bankruptcy_value)
    }

    /// Place in the ADL queue; higher is closed first.
    ///
    /// # Formula
    /// `Rank = g·ℓ` if `g > 0`, else `g/ℓ` (methods §3.9; glossary term 8).
    ///
    /// ```
    /// use lens_math::margin::AdlPosition;
    /// use lens_math::market::Side;
    /// // A losing short ranks below zero: g = −0.2, ℓ = 48,000 / 12,000 = 4 → −0.05.
    /// let p = AdlPosition::new(Side::Short, 1.0, 40_000.0, 48_000.0, 60_000.0)?;
    /// assert!((p.rank() + 0.05).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn rank(&self) -> f64 {
        let g = self.pnl_fraction();
        let leverage = self.effective_leverage();
        if g > 0.0 { g * leverage } else { g / leverage }
    }
}

/// Indices of `positions` in ADL order: highest rank first, ties in input order.
///
/// ```
/// use lens_math::margin::{AdlPosition, adl_queue};
/// use lens_math::market::Side;
/// let calm = AdlPosition::new(Side::Long, 1.0, 50_000.0, 60_000.0, 10_000.0)?; // 0.2 × 1.2
/// let hot = AdlPosition::new(Side::Long, 1.0, 50_000.0, 60_000.0, 45_000.0)?; // 0.2 × 4
/// assert_eq!(adl_queue(&[calm, hot]), vec![1, 0]);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn adl_queue(positions: &[AdlPosition]) -> Vec<usize> {
    let ranks: Vec<f64> = positions.iter().map(AdlPosition::rank).collect();
    let mut order: Vec<usize> = (0..positions.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        ranks
            .get(b)
            .unwrap_or(&0.0)
            .total_cmp(ranks.get(a).unwrap_or(&0.0))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Methods §3.9 and the deleveraging-spiral page: long 1 BTC, entry 50,000, mark 60,000, bankruptcy 45,000 →
    /// g 0.20, ℓ 4.0, rank 0.80.
    #[test]
    fn adl_rank_matches_deleveraging_spiral_page_test_vector() {
        let p = AdlPosition::new(Side::Long, 1.0, 50_000.0, 60_000.0, 45_000.0).unwrap();
        assert!((p.pnl_fraction() - 0.20).abs() < 1e-12);
        assert!((p.effective_leverage() - 4.0).abs() < 1e-12);
        assert!((p.rank() - 0.80).abs() < 1e-12);
    }

    /// Signed values make the mirrored short rank the same (hand-checked: entry 50,000, mark 40,000, bankruptcy
    /// 50,000 → g = 10,000/50,000 = 0.2, ℓ = 40,000/10,000 = 4).
    #[test]
    fn profitable_short_ranks_like_the_mirrored_long() {
        let p = AdlPosition::new(Side::Short, 1.0, 50_000.0, 40_000.0, 50_000.0).unwrap();
        assert!((p.pnl_fraction() - 0.2).abs() < 1e-12);
        assert!((p.rank() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn queue_puts_profitable_levered_positions_first_and_losers_last() {
        let loser = AdlPosition::new(Side::Long, 2.0, 60_000.0, 55_000.0, 50_000.0).unwrap();
        let small = AdlPosition::new(Side::Short, 1.0, 50_000.0, 45_000.0, 90_000.0).unwrap();
        let top = AdlPosition::new(Side::Long, 1.0, 50_000.0, 60_000.0, 45_000.0).unwrap();
        assert!(loser.rank() < 0.0);
        assert_eq!(adl_queue(&[loser, small, top]), vec![2, 1, 0]);
        assert!(adl_queue(&[]).is_empty());
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert!(AdlPosition::new(Side::Long, 0.0, 1.0, 1.0, 0.5).is_err());
        assert!(AdlPosition::new(Side::Long, 1.0, f64::NAN, 1.0, 0.5).is_err());
        assert!(AdlPosition::new(Side::Long, 1.0, 1.0, f64::INFINITY, 0.5).is_err());
        assert!(AdlPosition::new(Side::Long, 1.0, 1.0, 1.0, -0.5).is_err());
        assert!(AdlPosition::new(Side::Long, 1.0, 1.0, 1.0, 1.0).is_err()); // at bankruptcy
        assert!(AdlPosition::new(Side::Short, 1.0, 1.0, 1.0, 0.9).is_err()); // past bankruptcy
    }

    proptest! {
        /// The queue is ordered by non-increasing rank and is a permutation of the input.
        #[test]
        fn queue_is_sorted_by_rank(specs in prop::collection::vec((any::<bool>(), 0.5f64..2.0, 0.5f64..2.0, 0.1f64..0.9), 0..40)) {
            let positions: Vec<AdlPosition> = specs.iter().map(|&(long, entry, mark, cushion)| {
                let side = if long { Side::Long } else { Side::Short };
                let bankruptcy = if long { mark * cushion } else { mark / cushion };
                AdlPosition::new(side, 1.0, entry, mark, bankruptcy).unwrap()
            }).collect();
            let order = adl_queue(&positions);
            let mut seen = order.clone();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..positions.len()).collect::<Vec<_>>());
            for w in order.windows(2) {
                prop_assert!(positions[w[0]].rank() >= positions[w[1]].rank());
            }
        }
    }
}
