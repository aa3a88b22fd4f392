//! Isolated liquidation prices: the mark price at which a position's equity falls to its maintenance margin.
//!
//! Binance evaluates the maintenance margin at the liquidation notional, so the tier has to be found together
//! with the price; Bybit evaluates it at the entry value, so its formula is explicit. Fees, funding and
//! liquidation fees are left out, which is why a venue's own calculator can differ by a few ticks.

use super::invalid;
use super::position::{InversePosition, LinearPosition};
use super::tiers::TierTable;
use crate::error::Result;
use crate::market::Side;

/// A liquidation price with the tier it was computed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieredLiquidation {
    /// Mark price at which the position is liquidated.
    pub price: f64,
    /// Index into [`TierTable::tiers`] of the tier whose bracket holds `price × quantity`.
    pub tier_index: usize,
}

/// How far outside a bracket a candidate notional may fall and still count as inside: rounding in the last
/// bits when the root sits exactly on a boundary.
const BRACKET_TOLERANCE: f64 = 1e-9;

/// Binance USDⓈ-M isolated liquidation price in one-way mode, with the tier rule.
///
/// # Formula
/// Long `LP = (Q·EP − W − cum_k) / (Q·(1 − MMR_k))`, short `LP = (Q·EP + W + cum_k) / (Q·(1 + MMR_k))`, where
/// k is the tier whose bracket holds `LP·Q`: every tier is tried and the consistent one kept.
///
/// Source: Binance USDⓈ-M liquidation-price FAQ (variable definitions; isolated mode sets TMM1 = UPNL1 = 0)
/// and the COIN-M FAQ for the tier rule.
///
/// Returns `None` for a long whose wallet covers the whole notional (no positive price liquidates it).
///
/// # Errors
/// [`crate::MathError::InvalidParameter`] when the entry notional lies outside the table, when the wallet does
/// not exceed the maintenance margin at entry (the position would be liquidated on opening), or when a short's
/// liquidation notional lies beyond the table's last bracket.
///
/// ```
/// use lens_math::margin::{LinearPosition, TierTable, binance_isolated_liquidation};
/// use lens_math::market::Side;
/// let table = TierTable::binance_btcusdt_2021();
/// let long = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0)?;
/// let liq = binance_isolated_liquidation(&table, &long)?.expect("a 10× long has a liquidation price");
/// assert_eq!(liq.tier_index, 1); // tier 2 of the published table
/// assert!((liq.price - 58_781.41).abs() < 0.005);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn binance_isolated_liquidation(
    table: &TierTable,
    position: &LinearPosition,
) -> Result<Option<TieredLiquidation>> {
    let q = position.quantity();
    let entry_notional = position.notional_at_entry();
    let wallet = position.wallet_balance();
    ensure_solvent_at_entry(wallet, table.maintenance_margin(entry_notional)?)?;
    let d = position.side().sign();
    if d > 0.0 && wallet >= entry_notional {
        return Ok(None);
    }
    let mut best: Option<(f64, TieredLiquidation)> = None;
    let last = table.tiers().len().saturating_sub(1);
    for (k, tier) in table.tiers().iter().enumerate() {
        let rate = tier.maintenance_margin_rate();
        let price =
            (entry_notional - d * (wallet + tier.maintenance_amount())) / (q * (1.0 - d * rate));
        let notional = price * q;
        let (floor, cap) = (tier.notional_floor(), tier.notional_cap());
        let outside = if notional < floor {
            floor - notional
        } else if notional > cap || (notional == cap && k != last) {
            notional - cap
        } else {
            0.0
        };
        if best.is_none_or(|(b, _)| outside < b) {
            best = Some((
                outside,
                TieredLiquidation {
                    price,
                    tier_index: k,
                },
            ));
        }
    }
    match best {
        Some((outside, liq)) if outside <= BRACKET_TOLERANCE * (liq.price * q).max(1.0) => {
            Ok(Some(liq))
        }
        _ => Err(invalid(
            "position",
            "liquidation notional lies beyond the tier table's last bracket",
        )),
    }
}

/// Bybit USDT-contract isolated liquidation price.
///
/// # Formula
/// `LP_long = EP − (IM − MM)/Q − extra/Q`, `LP_short = EP + (IM − MM)/Q + extra/Q`, with `IM = PV/L`,
/// `MM = PV·MMR − deduction`, `PV = Q·EP`. Here `IM + extra` is the position's wallet balance and MMR and
/// deduction come from the tier holding the entry value.
///
/// Source: Bybit help centre, "Liquidation Price (USDT Contract)", isolated margin mode (Example 1: 1 BTC long at
/// 20,000 USDT, 50×, MMR 0.5 % → 19,700 USDT).
///
/// Returns `None` for a long whose buffer covers the whole entry price (no positive price liquidates it).
///
/// # Errors
/// [`crate::MathError::InvalidParameter`] when the entry value lies outside the table or the wallet does not
/// exceed the maintenance margin at entry.
///
/// ```
/// use lens_math::margin::{LinearPosition, TierTable, bybit_isolated_liquidation_price};
/// use lens_math::market::Side;
/// let table = TierTable::flat(0.005, 100.0)?;
/// let long = LinearPosition::with_leverage(Side::Long, 1.0, 20_000.0, 50.0)?;
/// let lp = bybit_isolated_liquidation_price(&table, &long)?;
/// assert!((lp.unwrap_or(0.0) - 19_700.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn bybit_isolated_liquidation_price(
    table: &TierTable,
    position: &LinearPosition,
) -> Result<Option<f64>> {
    let maintenance = table.maintenance_margin(position.notional_at_entry())?;
    let buffer = position.wallet_balance() - maintenance;
    ensure_solvent_at_entry(position.wallet_balance(), maintenance)?;
    let price = position.entry_price() - position.side().sign() * buffer / position.quantity();
    Ok((price > 0.0).then_some(price))
}

/// Isolated liquidation price of an inverse (coin-margined) contract, in Bybit's form.
///
/// # Formula
/// `PV = Q_usd / EP`, `MM = PV·MMR − deduction` (coin), W the coin wallet (`IM = PV/L` plus any added margin):
/// `LP_long = Q_usd / (PV + (W − MM))`, `LP_short = Q_usd / (PV − (W − MM))`. Equivalently equity
/// `W + d·Q_usd·(1/EP − 1/LP)` equals MM.
///
/// Source: Bybit help centre, "Liquidation Price Calculation under Isolated Mode (Unified Trading Account)",
/// inverse perpetual and futures section.
///
/// Returns `None` for a short whose buffer is at least the position value (a coin-collateralised short hedge:
/// no finite price liquidates it).
///
/// # Errors
/// [`crate::MathError::InvalidParameter`] when the position value lies outside the table (in coin) or the wallet
/// does not exceed the maintenance margin at entry.
///
/// ```
/// use lens_math::margin::{InversePosition, TierTable, bybit_inverse_isolated_liquidation_price};
/// use lens_math::market::Side;
/// let table = TierTable::flat(0.005, 100.0)?;
/// let long = InversePosition::with_leverage(Side::Long, 60_000.0, 50_000.0, 10.0)?;
/// let lp = bybit_inverse_isolated_liquidation_price(&table, &long)?.unwrap_or(f64::NAN);
/// assert!((lp - 60_000.0 / 1.314).abs() < 1e-6); // 1.2 + 0.12 − 0.006 BTC
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn bybit_inverse_isolated_liquidation_price(
    table: &TierTable,
    position: &InversePosition,
) -> Result<Option<f64>> {
    let value = position.position_value_coin();
    let maintenance = table.maintenance_margin(value)?;
    ensure_solvent_at_entry(position.wallet_balance_coin(), maintenance)?;
    let buffer = position.wallet_balance_coin() - maintenance;
    let denominator = match position.side() {
        Side::Long => value + buffer,
        Side::Short => value - buffer,
    };
    Ok((denominator > 0.0).then(|| position.contracts_usd() / denominator))
}

fn ensure_solvent_at_entry(wallet: f64, maintenance: f64) -> Result<()> {
    if wallet > maintenance {
        Ok(())
    } else {
        Err(invalid(
            "wallet_balance",
            "must exceed the maintenance margin at entry, or the position is liquidated at once",
        ))
    }
}

#[cfg(test)]
mod tests;
