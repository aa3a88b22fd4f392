//! The market-wide stress test of the systemic-leverage-risk page: one price shock applied to every perp venue
//! and lending protocol at once, then the price impact of the forced sales it triggers, round after round.

use super::position::isolated_liquidation_price;
use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::market::Side;

/// Price drop from entry that liquidates a long at leverage `L` (entry at the pre-shock price, `cum = 0`).
///
/// # Formula
/// `d_L = 1 − (1 − 1/L)/(1 − MMR)` (Binance one-way isolated liquidation price with `cum = 0`).
///
/// # Errors
/// As [`isolated_liquidation_price`](super::isolated_liquidation_price).
///
/// ```
/// use lens_math::spiral::long_liquidation_drop;
/// assert!((long_liquidation_drop(10.0, 0.005)? - 0.0955).abs() < 5e-5); // 9.55 % at 10×, MMR 0.5 %
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn long_liquidation_drop(leverage: f64, maintenance_margin_rate: f64) -> Result<f64> {
    Ok(1.0 - isolated_liquidation_price(Side::Long, 1.0, leverage, maintenance_margin_rate)?)
}

/// Long notional held at one leverage (one venue's bucket, or several venues' summed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverageBucket {
    /// Leverage `L` of the positions in the bucket.
    pub leverage: f64,
    /// Long notional at that leverage, USD.
    pub long_notional_usd: f64,
}

/// One collateralised loan on a lending protocol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CollateralLoan {
    /// Collateral value at the pre-shock price, USD; all of it is sold on liquidation.
    pub collateral_usd: f64,
    /// Health factor at the pre-shock price (liquidation threshold × collateral ÷ debt); below 1 it is liquidated.
    pub health_factor: f64,
}

/// Splits one venue's long exposure over a leverage mix of `(leverage, weight)` pairs; weights are normalised.
///
/// # Formula
/// `N_L = exposure × w_L / Σ w`.
///
/// # Errors
/// [`MathError::InvalidParameter`] for an exposure that is not positive, an empty mix, or weights that are
/// negative, non-finite or all zero. Leverages are checked when the stress test runs.
///
/// ```
/// use lens_math::spiral::leverage_buckets;
/// let venue_a = leverage_buckets(5_000.0, &[(2.0, 0.4), (5.0, 0.3), (10.0, 0.2), (25.0, 0.1)])?;
/// assert!((venue_a[2].long_notional_usd - 1_000.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn leverage_buckets(long_exposure_usd: f64, mix: &[(f64, f64)]) -> Result<Vec<LeverageBucket>> {
    ensure_positive("long exposure", long_exposure_usd)?;
    if mix.iter().any(|&(_, w)| !(w.is_finite() && w >= 0.0)) {
        return Err(MathError::InvalidParameter {
            name: "leverage weight",
            reason: "must be finite and ≥ 0",
        });
    }
    let total: f64 = mix.iter().map(|&(_, w)| w).sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(MathError::InvalidParameter {
            name: "leverage mix",
            reason: "needs a positive total weight",
        });
    }
    Ok(mix
        .iter()
        .map(|&(leverage, w)| LeverageBucket {
            leverage,
            long_notional_usd: long_exposure_usd * w / total,
        })
        .collect())
}

/// One round of the stress test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StressRound {
    /// 0 for the round fired by the shock itself.
    pub round: usize,
    /// Price index (pre-shock price = 1) at which this round's liquidations fire.
    pub price_index: f64,
    /// `1 − price_index`: the drop every trigger is compared with.
    pub cumulative_drop: f64,
    /// Long notional liquidated on perp venues in this round, USD.
    pub perp_forced_usd: f64,
    /// Collateral sold by lending liquidations in this round, USD.
    pub lending_forced_usd: f64,
    /// `price_index × (1 − 0.01·(perp + lending)/K)`, floored at 0.
    pub price_index_after: f64,
}

/// Result of [`SystemicStressTest::run`].
#[derive(Debug, Clone, PartialEq)]
pub struct StressTestOutcome {
    /// Rounds that forced any sale; round 0 is the exogenous shock's own.
    pub rounds: Vec<StressRound>,
    /// Price index after the last round (pre-shock = 1).
    pub final_price_index: f64,
    /// Forced sales over all rounds, USD.
    pub total_forced_usd: f64,
    /// The forced sales used up the whole book (`0.01·F/K ≥ 1`): the linear rule has no price left to give.
    pub depth_exhausted: bool,
}

/// Shock, liquidate, sell, repeat: the stress test of glossary term 9.
///
/// # Formula
/// At cumulative drop `s` (from the pre-shock price): a long bucket at leverage `L` is liquidated when
/// `d_L ≤ s` ([`long_liquidation_drop`]); a loan when `1 > H·(1 − s)`, its whole collateral sold. Newly forced
/// sales `F` move the price index `P′ = P·(1 − 0.01·F/K)` with `K` the USD of selling that moves the price 1 %.
/// Round 0 fires at `P = 1 − shock`; repeat while a round forces new sales. Source: the systemic-leverage-risk
/// page (linear impact, entries at the pre-shock price), with Binance's isolated liquidation rule.
///
/// ```
/// use lens_math::spiral::{leverage_buckets, CollateralLoan, SystemicStressTest};
/// let mut perps = leverage_buckets(5_000.0, &[(2.0, 0.4), (5.0, 0.3), (10.0, 0.2), (25.0, 0.1)])?;
/// perps.extend(leverage_buckets(3_000.0, &[(2.0, 0.3), (5.0, 0.4), (10.0, 0.2), (50.0, 0.1)])?);
/// let loans = [
///     CollateralLoan { collateral_usd: 450.0, health_factor: 1.10 },
///     CollateralLoan { collateral_usd: 2_550.0, health_factor: 1.50 },
/// ];
/// let outcome = SystemicStressTest::new(0.005, 400.0)?.run(0.10, &perps, &loans)?;
/// assert!((outcome.rounds[0].perp_forced_usd + outcome.rounds[0].lending_forced_usd - 2_850.0).abs() < 1e-9);
/// assert!((outcome.final_price_index - 0.836).abs() < 5e-4);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemicStressTest {
    maintenance_margin_rate: f64,
    depth_usd_per_pct: f64,
}

impl SystemicStressTest {
    /// A test with one MMR for every bucket and combined depth `K` (USD of selling per 1 % of price).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for an MMR outside [0, 1) or a depth that is not positive.
    pub fn new(maintenance_margin_rate: f64, depth_usd_per_pct: f64) -> Result<Self> {
        ensure_finite("maintenance margin rate", maintenance_margin_rate)?;
        if !(0.0..1.0).contains(&maintenance_margin_rate) {
            return Err(MathError::InvalidParameter {
                name: "maintenance margin rate",
                reason: "must be in [0, 1)",
            });
        }
        ensure_positive("depth", depth_usd_per_pct)?;
        Ok(Self {
            maintenance_margin_rate,
            depth_usd_per_pct,
        })
    }

    /// Runs the rounds for an initial drop `shock` in (0, 1).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a shock outside (0, 1), a bucket with an invalid leverage or a
    /// negative notional, or a loan with negative collateral or a health factor that is not positive;
    /// [`MathError::NotFinite`] for NaN/∞ inputs.
    pub fn run(
        &self,
        shock: f64,
        buckets: &[LeverageBucket],
        loans: &[CollateralLoan],
    ) -> Result<StressTestOutcome> {
        ensure_finite("shock", shock)?;
        if !(shock > 0.0 && shock < 1.0) {
            return Err(MathError::InvalidParameter {
                name: "shock",
                reason: "must be a drop in (0, 1)",
            });
        }
        let mut perp_triggers = Vec::with_capacity(buckets.len());
        for b in buckets {
            non_negative("long notional", b.long_notional_usd)?;
            perp_triggers.push((
                long_liquidation_drop(b.leverage, self.maintenance_margin_rate)?,
                b.long_notional_usd,
            ));
        }
        for loan in loans {
            non_negative("collateral", loan.collateral_usd)?;
            ensure_positive("health factor", loan.health_factor)?;
        }
        let mut perp_done = vec![false; buckets.len()];
        let mut loan_done = vec![false; loans.len()];
        let mut price = 1.0 - shock;
        let mut rounds = Vec::new();
        let mut depth_exhausted = false;
        // Each round liquidates at least one bucket or loan, so this ends after at most that many rounds.
        loop {
            let drop = 1.0 - price;
            let mut perp_forced = 0.0;
            for (done, &(trigger, notional)) in perp_done.iter_mut().zip(&perp_triggers) {
                if !*done && trigger <= drop {
                    *done = true;
                    perp_forced += notional;
                }
            }
            let mut lending_forced = 0.0;
            for (done, loan) in loan_done.iter_mut().zip(loans) {
                if !*done && 1.0 > loan.health_factor * price {
                    *done = true;
                    lending_forced += loan.collateral_usd;
                }
            }
            let forced = perp_forced + lending_forced;
            if forced <= 0.0 {
                break;
            }
            let impact = 0.01 * forced / self.depth_usd_per_pct;
            let price_after = (price * (1.0 - impact)).max(0.0);
            rounds.push(StressRound {
                round: rounds.len(),
                price_index: price,
                cumulative_drop: drop,
                perp_forced_usd: perp_forced,
                lending_forced_usd: lending_forced,
                price_index_after: price_after,
            });
            price = price_after;
            if impact >= 1.0 {
                depth_exhausted = true;
                break;
            }
        }
        let total_forced_usd = rounds
            .iter()
            .map(|r| r.perp_forced_usd + r.lending_forced_usd)
            .sum();
        Ok(StressTestOutcome {
            rounds,
            final_price_index: price,
            total_forced_usd,
            depth_exhausted,
        })
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    ensure_finite(name, value)?;
    if value < 0.0 {
        return Err(MathError::InvalidParameter {
            name,
            reason: "must not be negative",
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
