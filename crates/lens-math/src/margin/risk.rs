//! How close liquidation is: the distance from entry at a leverage, the rough level heatmaps use, and the
//! probability that price touches a level within a horizon.

use super::invalid;
use crate::error::{MathError, Result, ensure_all_finite, ensure_finite, ensure_positive};
use crate::market::Side;
use crate::stats::normal::normal_cdf as standard_normal_cdf;

const DAYS_PER_YEAR: f64 = 365.0;

/// Liquidation price with a single maintenance rate and no maintenance amount (cum = 0), wallet = initial margin.
///
/// # Formula
/// Long `LP = EP·(1 − 1/L)/(1 − MMR)`, short `LP = EP·(1 + 1/L)/(1 + MMR)`: the Binance one-way isolated formula
/// with `W = Q·EP/L` and `cum = 0` (the "exact-with-MMR" variant of liquidation heatmaps).
///
/// # Errors
/// [`MathError::InvalidParameter`] for a non-positive entry, a leverage below 1, or an MMR outside [0, 1/L).
///
/// ```
/// use lens_math::margin::liquidation_price_flat_mmr;
/// use lens_math::market::Side;
/// // Liquidation-risks page, map example: a 10× long from 65,000 with MMR 0.5 % sits at 58,794.0.
/// let lp = liquidation_price_flat_mmr(Side::Long, 65_000.0, 10.0, 0.005)?;
/// assert!((lp - 58_794.0).abs() < 0.05);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn liquidation_price_flat_mmr(
    side: Side,
    entry_price: f64,
    leverage: f64,
    mmr: f64,
) -> Result<f64> {
    let entry = ensure_positive("entry_price", entry_price)?;
    validate_leverage_and_rate(leverage, mmr)?;
    Ok(entry * flat_liquidation_factor(side, leverage, mmr))
}

/// The rough level many heatmaps draw: MMR ignored.
///
/// # Formula
/// `LP ≈ EP·(1 ∓ 1/L)` (info-hub.io liquidation-map notes, methods §3.7).
///
/// # Errors
/// [`MathError::InvalidParameter`] for a non-positive entry or a leverage below 1.
///
/// ```
/// use lens_math::margin::heuristic_liquidation_price;
/// use lens_math::market::Side;
/// // Leverage-mechanics page: "entry × (1 ∓ 1/L)" gives 58,500 and 71,500 at 10×.
/// assert!((heuristic_liquidation_price(Side::Long, 65_000.0, 10.0)? - 58_500.0).abs() < 1e-9);
/// assert!((heuristic_liquidation_price(Side::Short, 65_000.0, 10.0)? - 71_500.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn heuristic_liquidation_price(side: Side, entry_price: f64, leverage: f64) -> Result<f64> {
    liquidation_price_flat_mmr(side, entry_price, leverage, 0.0)
}

/// Distance from entry to the liquidation price as a fraction of entry (cum = 0).
///
/// # Formula
/// Long `D = 1 − (1 − 1/L)/(1 − MMR)`, short `D = (1 + 1/L)/(1 + MMR) − 1` (glossary term 2).
///
/// # Errors
/// [`MathError::InvalidParameter`] for a leverage below 1 or an MMR outside [0, 1/L).
///
/// ```
/// use lens_math::margin::liquidation_distance;
/// use lens_math::market::Side;
/// // Liquidation-risks page: 10× with MMR 0.40 % → 9.64 % long, 9.56 % short.
/// assert!((liquidation_distance(Side::Long, 10.0, 0.004)? - 0.0964).abs() < 5e-5);
/// assert!((liquidation_distance(Side::Short, 10.0, 0.004)? - 0.0956).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn liquidation_distance(side: Side, leverage: f64, mmr: f64) -> Result<f64> {
    validate_leverage_and_rate(leverage, mmr)?;
    Ok(side.sign() * (1.0 - flat_liquidation_factor(side, leverage, mmr)))
}

/// Probability that price touches `liquidation_price` at least once within the horizon.
///
/// # Formula
/// `P = 2·Φ(−|ln(LP/P0)| / (σ·√T))`, T = days/365: reflection principle for a driftless Brownian motion of log
/// price with constant annualised volatility σ (Shreve, "Stochastic Calculus for Finance II", 2004, §3.7;
/// glossary term 2).
///
/// # Errors
/// [`MathError::InvalidParameter`] unless both prices, the volatility and the horizon are positive finite numbers.
///
/// ```
/// use lens_math::margin::touch_probability;
/// // Liquidation-risks page: 10× long, mark 65,000, level 58,781.41, 60 % vol, 7 days → 22.6 %.
/// let p = touch_probability(65_000.0, 58_781.41, 0.60, 7.0)?;
/// assert!((p - 0.226).abs() < 5e-4);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn touch_probability(
    current_price: f64,
    liquidation_price: f64,
    annual_volatility: f64,
    horizon_days: f64,
) -> Result<f64> {
    let p0 = ensure_positive("current_price", current_price)?;
    let level = ensure_positive("liquidation_price", liquidation_price)?;
    let sigma = ensure_positive("annual_volatility", annual_volatility)?;
    let days = ensure_positive("horizon_days", horizon_days)?;
    let z = (level / p0).ln().abs() / (sigma * (days / DAYS_PER_YEAR).sqrt());
    Ok((2.0 * standard_normal_cdf(-z)).min(1.0))
}

/// Annualised volatility from per-bar log returns.
///
/// # Formula
/// `σ = s_r·√n`: s_r the sample standard deviation (n − 1) of the log returns, n bars per year (8,760 hourly:
/// crypto trades every hour of the year).
///
/// # Errors
/// [`MathError::NotEnoughData`] for fewer than two returns, [`MathError::NotFinite`] for a NaN/∞ return,
/// [`MathError::InvalidParameter`] for a non-positive `bars_per_year`.
///
/// ```
/// use lens_math::margin::annualised_volatility;
/// // Liquidation-risks page: an hourly standard deviation of 0.64 % is about 60 % a year.
/// let sigma = annualised_volatility(&[-0.0064, 0.0, 0.0064], 8_760.0)?;
/// assert!((sigma - 0.0064 * 8_760f64.sqrt()).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn annualised_volatility(log_returns: &[f64], bars_per_year: f64) -> Result<f64> {
    let n = log_returns.len();
    if n < 2 {
        return Err(MathError::NotEnoughData { needed: 2, got: n });
    }
    ensure_all_finite("log_returns", log_returns)?;
    let per_year = ensure_positive("bars_per_year", bars_per_year)?;
    let mean = log_returns.iter().sum::<f64>() / n as f64;
    let sum_sq = log_returns
        .iter()
        .map(|r| (r - mean) * (r - mean))
        .sum::<f64>();
    Ok((sum_sq / (n - 1) as f64).sqrt() * per_year.sqrt())
}

/// Checks a leverage and a flat maintenance rate for the cum = 0 formulas: `L ≥ 1`, `0 ≤ MMR < 1/L` (a larger
/// rate would put the level on the profitable side of entry, i.e. liquidate at once).
pub(crate) fn validate_leverage_and_rate(leverage: f64, mmr: f64) -> Result<()> {
    let leverage = ensure_finite("leverage", leverage)?;
    let mmr = ensure_finite("maintenance_margin_rate", mmr)?;
    if leverage < 1.0 {
        return Err(invalid("leverage", "must be at least 1"));
    }
    if !(0.0..1.0 / leverage).contains(&mmr) {
        return Err(invalid(
            "maintenance_margin_rate",
            "must lie in [0, 1/leverage)",
        ));
    }
    Ok(())
}

/// `LP / EP` for the cum = 0 formulas; inputs already validated.
pub(crate) fn flat_liquidation_factor(side: Side, leverage: f64, mmr: f64) -> f64 {
    let d = side.sign();
    (1.0 - d / leverage) / (1.0 - d * mmr)
}

#[cfg(test)]
mod tests;
