//! A reproducible position book for the cascade simulator when no venue publishes one (none does).
//!
//! It follows the liquidation-map convention of the glossary (term 2): open interest is
//! split into longs and shorts by a long share and spread over a leverage grid by weights. The other side of
//! each contract is taken to be held by unlevered or well-margined accounts that are never liquidated.

use super::position::{LeveragedPosition, isolated_liquidation_price};
use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::market::Side;
use crate::rng::SplitMix64;

/// The largest book the helper builds, so a bad UI value cannot ask for gigabytes.
const MAX_POSITIONS: usize = 10_000_000;

/// Inputs of [`synthetic_book`]. `Default` is a BTC-like book of 10,000 positions.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticBookParams {
    /// Seed of the [`SplitMix64`] stream: the same seed gives the same book.
    pub seed: u64,
    /// Number of positions, longs and shorts together.
    pub position_count: usize,
    /// Leveraged open interest to place, USD (longs plus shorts).
    pub open_interest_usd: f64,
    /// Share of the open interest held long, in [0, 1] (e.g. taker buy ÷ (buy + sell)).
    pub long_share: f64,
    /// `(leverage, weight)` pairs; weights are normalised to sum to 1.
    pub leverage_mix: Vec<(f64, f64)>,
    /// Price at which every position must still be open, USD.
    pub reference_price: f64,
    /// Entries are spread over `reference_price × [1 − d, 1 + d]`, d in [0, 1).
    pub entry_dispersion: f64,
    /// Maintenance margin rate for every position.
    pub maintenance_margin_rate: f64,
}

impl Default for SyntheticBookParams {
    fn default() -> Self {
        Self {
            seed: 42,
            position_count: 10_000,
            open_interest_usd: 1e9,
            long_share: 0.5,
            leverage_mix: vec![
                (2.0, 0.1),
                (5.0, 0.25),
                (10.0, 0.35),
                (25.0, 0.2),
                (50.0, 0.1),
            ],
            reference_price: 65_000.0,
            entry_dispersion: 0.05,
            maintenance_margin_rate: 0.005,
        }
    }
}

/// Builds a seeded book of isolated positions that are all still open at the reference price.
///
/// # Formula
/// `n_long = round(n·s)` positions share `OI·s` USD of notional and the rest share `OI·(1 − s)`; each position
/// draws its leverage from the normalised weights, an exponential notional weight, and an entry uniform on
/// `P₀·[1 − d, 1 + d]` cut where its liquidation price would already be crossed at `P₀` (long: `EP < P₀/k`,
/// `k = (1 − 1/L)/(1 − MMR)`; short: `EP > P₀/k′`, `k′ = (1 + 1/L)/(1 + MMR)`). Size = notional ÷ entry.
/// Source: the OI-flow reconstruction of liquidation heatmaps (backquant, cryptoclass); randomness from
/// [`SplitMix64`] only, so a seed reproduces the book bit for bit.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a count of 0 or above 10,000,000 (or 1 when both sides need one),
/// non-positive OI or price, a share outside [0, 1], an empty mix, negative or all-zero weights, a leverage
/// that is invalid for the MMR, or a dispersion outside [0, 1); [`MathError::NotFinite`] for NaN/∞ inputs.
///
/// ```
/// use lens_math::spiral::{synthetic_book, SyntheticBookParams};
/// let params = SyntheticBookParams { position_count: 1_000, long_share: 0.6, ..Default::default() };
/// let book = synthetic_book(&params)?;
/// let long_usd: f64 = book.iter().filter(|p| p.side() == lens_math::market::Side::Long).map(|p| p.notional_usd()).sum();
/// assert!((long_usd / 0.6e9 - 1.0).abs() < 1e-9);
/// assert_eq!(book, synthetic_book(&params)?); // same seed, same book
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn synthetic_book(params: &SyntheticBookParams) -> Result<Vec<LeveragedPosition>> {
    let n = params.position_count;
    if n == 0 || n > MAX_POSITIONS {
        return Err(MathError::InvalidParameter {
            name: "position count",
            reason: "must be 1 to 10,000,000",
        });
    }
    let oi = ensure_positive("open interest", params.open_interest_usd)?;
    let price = ensure_positive("reference price", params.reference_price)?;
    let share = ensure_finite("long share", params.long_share)?;
    if !(0.0..=1.0).contains(&share) {
        return Err(MathError::InvalidParameter {
            name: "long share",
            reason: "must be in [0, 1]",
        });
    }
    let dispersion = ensure_finite("entry dispersion", params.entry_dispersion)?;
    if !(0.0..1.0).contains(&dispersion) {
        return Err(MathError::InvalidParameter {
            name: "entry dispersion",
            reason: "must be in [0, 1)",
        });
    }
    let mmr = params.maintenance_margin_rate;
    let cumulative_weights = cumulative_leverage_weights(&params.leverage_mix, mmr)?;
    let n_long = side_count(n, share)?;
    let mut rng = SplitMix64::new(params.seed);
    let mut draws = Vec::with_capacity(n);
    for i in 0..n {
        let side = if i < n_long { Side::Long } else { Side::Short };
        let u = rng.next_f64();
        let pick = cumulative_weights
            .partition_point(|&c| c <= u)
            .min(cumulative_weights.len().saturating_sub(1));
        let leverage = params.leverage_mix.get(pick).map_or(1.0, |&(l, _)| l);
        let entry = surviving_entry(side, price, dispersion, leverage, mmr, open_unit(&mut rng));
        draws.push((side, leverage, entry, -open_unit(&mut rng).ln()));
    }
    let weight_sum = |side: Side| {
        draws
            .iter()
            .filter(|d| d.0 == side)
            .map(|d| d.3)
            .sum::<f64>()
    };
    let (long_weight, short_weight) = (weight_sum(Side::Long), weight_sum(Side::Short));
    draws
        .into_iter()
        .map(|(side, leverage, entry, weight)| {
            let notional = match side {
                Side::Long => oi * share * weight / long_weight,
                Side::Short => oi * (1.0 - share) * weight / short_weight,
            };
            LeveragedPosition::new(side, notional / entry, entry, leverage, mmr)
        })
        .collect()
}

/// Number of longs; both sides get at least one position when their share of OI is positive.
fn side_count(n: usize, share: f64) -> Result<usize> {
    let rounded = (n as f64 * share).round() as usize;
    let n_long = match share {
        s if s <= 0.0 => 0,
        s if s >= 1.0 => n,
        _ if n < 2 => {
            return Err(MathError::InvalidParameter {
                name: "position count",
                reason: "needs at least 2 positions when both sides hold open interest",
            });
        }
        _ => rounded.clamp(1, n - 1),
    };
    Ok(n_long)
}

/// Normalised cumulative weights of the leverage grid, after checking each leverage against the MMR.
fn cumulative_leverage_weights(mix: &[(f64, f64)], mmr: f64) -> Result<Vec<f64>> {
    if mix.is_empty() {
        return Err(MathError::InvalidParameter {
            name: "leverage mix",
            reason: "must not be empty",
        });
    }
    let mut total = 0.0;
    for &(leverage, weight) in mix {
        isolated_liquidation_price(Side::Long, 1.0, leverage, mmr)?;
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "leverage weight",
                reason: "must be finite and ≥ 0",
            });
        }
        total += weight;
    }
    if !(total > 0.0 && total.is_finite()) {
        return Err(MathError::InvalidParameter {
            name: "leverage mix",
            reason: "weights must not all be zero",
        });
    }
    let mut running = 0.0;
    Ok(mix
        .iter()
        .map(|&(_, w)| {
            running += w / total;
            running
        })
        .collect())
}

/// An entry on `[P₀(1 − d), P₀(1 + d)]` narrowed so the position is still open at `P₀`; `u` in (0, 1).
fn surviving_entry(
    side: Side,
    price: f64,
    dispersion: f64,
    leverage: f64,
    mmr: f64,
    u: f64,
) -> f64 {
    let (lo, hi) = (price * (1.0 - dispersion), price * (1.0 + dispersion));
    match side {
        Side::Long => {
            let k = (1.0 - 1.0 / leverage) / (1.0 - mmr);
            let hi = if k > 0.0 { hi.min(price / k) } else { hi };
            hi - u * (hi - lo)
        }
        Side::Short => {
            let lo = lo.max(price * (1.0 + mmr) / (1.0 + 1.0 / leverage));
            lo + u * (hi - lo)
        }
    }
}

/// Uniform on the open interval (0, 1): the midpoint of one of 2⁵³ equal cells, so `ln` is always finite.
fn open_unit(rng: &mut SplitMix64) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn notional(book: &[LeveragedPosition], side: Side) -> f64 {
        book.iter()
            .filter(|p| p.side() == side)
            .map(|p| p.notional_usd())
            .sum()
    }

    #[test]
    fn every_position_is_open_at_the_reference_price() {
        let params = SyntheticBookParams {
            entry_dispersion: 0.3,
            ..Default::default()
        };
        let book = synthetic_book(&params).unwrap();
        assert_eq!(book.len(), 10_000);
        for p in &book {
            match p.side() {
                Side::Long => assert!(p.liquidation_price() < params.reference_price),
                Side::Short => assert!(p.liquidation_price() > params.reference_price),
            }
            assert!((p.entry_price() / params.reference_price - 1.0).abs() <= 0.3 + 1e-12);
        }
    }

    #[test]
    fn leverage_shares_follow_the_weights() {
        let params = SyntheticBookParams {
            position_count: 200_000,
            ..Default::default()
        };
        let book = synthetic_book(&params).unwrap();
        for &(leverage, weight) in &params.leverage_mix {
            let share =
                book.iter().filter(|p| p.leverage() == leverage).count() as f64 / book.len() as f64;
            // Binomial standard error at 200,000 draws is below 0.0011; 0.005 is over four of them.
            assert!(
                (share - weight).abs() < 0.005,
                "{leverage}×: {share} vs {weight}"
            );
        }
    }

    #[test]
    fn one_sided_books_hold_only_that_side() {
        let all_long = synthetic_book(&SyntheticBookParams {
            long_share: 1.0,
            ..Default::default()
        })
        .unwrap();
        assert!(all_long.iter().all(|p| p.side() == Side::Long));
        let all_short = synthetic_book(&SyntheticBookParams {
            long_share: 0.0,
            ..Default::default()
        })
        .unwrap();
        assert!(all_short.iter().all(|p| p.side() == Side::Short));
        let tilted = SyntheticBookParams {
            position_count: 2,
            long_share: 0.999,
            ..Default::default()
        };
        assert!(notional(&synthetic_book(&tilted).unwrap(), Side::Short) > 0.0);
    }

    #[test]
    fn bad_parameters_give_typed_errors() {
        let base = SyntheticBookParams::default();
        let bad = [
            SyntheticBookParams {
                position_count: 0,
                ..base.clone()
            },
            SyntheticBookParams {
                position_count: MAX_POSITIONS + 1,
                ..base.clone()
            },
            SyntheticBookParams {
                position_count: 1,
                long_share: 0.5,
                ..base.clone()
            },
            SyntheticBookParams {
                open_interest_usd: 0.0,
                ..base.clone()
            },
            SyntheticBookParams {
                open_interest_usd: f64::INFINITY,
                ..base.clone()
            },
            SyntheticBookParams {
                long_share: 1.5,
                ..base.clone()
            },
            SyntheticBookParams {
                long_share: f64::NAN,
                ..base.clone()
            },
            SyntheticBookParams {
                leverage_mix: vec![],
                ..base.clone()
            },
            SyntheticBookParams {
                leverage_mix: vec![(10.0, -1.0)],
                ..base.clone()
            },
            SyntheticBookParams {
                leverage_mix: vec![(10.0, 0.0)],
                ..base.clone()
            },
            SyntheticBookParams {
                leverage_mix: vec![(500.0, 1.0)],
                ..base.clone()
            },
            SyntheticBookParams {
                leverage_mix: vec![(f64::NAN, 1.0)],
                ..base.clone()
            },
            SyntheticBookParams {
                reference_price: -1.0,
                ..base.clone()
            },
            SyntheticBookParams {
                entry_dispersion: 1.0,
                ..base.clone()
            },
            SyntheticBookParams {
                maintenance_margin_rate: f64::NAN,
                ..base.clone()
            },
        ];
        for params in bad {
            assert!(synthetic_book(&params).is_err(), "{params:?}");
        }
    }

    proptest! {
        #[test]
        fn notional_is_conserved_per_side_and_the_seed_reproduces_the_book(
            seed in any::<u64>(), n in 2usize..400, share in 0.0f64..=1.0, oi in 1e3f64..1e11,
        ) {
            let params = SyntheticBookParams { seed, position_count: n, long_share: share, open_interest_usd: oi, ..Default::default() };
            let book = synthetic_book(&params).unwrap();
            prop_assert_eq!(book.len(), n);
            prop_assert!((notional(&book, Side::Long) - oi * share).abs() <= 1e-9 * oi);
            prop_assert!((notional(&book, Side::Short) - oi * (1.0 - share)).abs() <= 1e-9 * oi);
            prop_assert_eq!(&book, &synthetic_book(&params).unwrap());
        }
    }
}
