//! An isolated-margin position and its liquidation price, the unit a [`PositionBook`](super::PositionBook) is
//! built from.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::margin::risk::flat_liquidation_factor;
use crate::market::Side;

/// Liquidation price of an isolated position whose wallet balance is its initial margin, maintenance amount 0.
///
/// # Formula
/// `LP_long = EP·(1 − 1/L)/(1 − MMR)`, `LP_short = EP·(1 + 1/L)/(1 + MMR)`: Binance USDⓈ-M one-way isolated
/// `LP = (Q·EP ∓ W ∓ cum)/(Q·(1 ∓ MMR))` with `W = Q·EP/L` and `cum = 0` (Binance liquidation-price
/// FAQ). A long at `L ≤ 1` gets `LP ≤ 0`: no positive price liquidates it.
///
/// # Errors
/// [`MathError::InvalidParameter`] unless `entry_price > 0`, `leverage > 0`, `0 ≤ MMR < 1` and `1/L > MMR`
/// (otherwise the position would be liquidated at its own entry).
///
/// ```
/// use lens_math::market::Side;
/// use lens_math::spiral::isolated_liquidation_price;
/// // 10× long at 65,000 USDT with MMR 0.5 %: 65,000 × 0.9 / 0.995.
/// let lp = isolated_liquidation_price(Side::Long, 65_000.0, 10.0, 0.005)?;
/// assert!((lp - 58_793.97).abs() < 0.01);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn isolated_liquidation_price(
    side: Side,
    entry_price: f64,
    leverage: f64,
    maintenance_margin_rate: f64,
) -> Result<f64> {
    ensure_positive("entry price", entry_price)?;
    ensure_positive("leverage", leverage)?;
    ensure_finite("maintenance margin rate", maintenance_margin_rate)?;
    if !(0.0..1.0).contains(&maintenance_margin_rate) {
        return Err(MathError::InvalidParameter {
            name: "maintenance margin rate",
            reason: "must be in [0, 1)",
        });
    }
    if 1.0 / leverage <= maintenance_margin_rate {
        return Err(MathError::InvalidParameter {
            name: "leverage",
            reason: "must stay below 1/MMR, or the position is liquidated at entry",
        });
    }
    // Same formula as margin::liquidation_price_flat_mmr; only the validation differs (L < 1 is allowed here,
    // since a cascade book may hold over-collateralised positions).
    Ok(entry_price * flat_liquidation_factor(side, leverage, maintenance_margin_rate))
}

/// One isolated-margin position of the book; built only through validating constructors.
///
/// # Formula
/// notional `= size_base × entry_price`; isolated margin `= notional / leverage`; liquidation price as in
/// [`isolated_liquidation_price`].
///
/// ```
/// use lens_math::market::Side;
/// use lens_math::spiral::LeveragedPosition;
/// // 4 BTC at 65,000 with 26,000 USDT of isolated margin is a 10× position.
/// let p = LeveragedPosition::with_isolated_margin(Side::Long, 4.0, 65_000.0, 26_000.0, 0.004)?;
/// assert!((p.leverage() - 10.0).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeveragedPosition {
    side: Side,
    size_base: f64,
    entry_price: f64,
    leverage: f64,
    maintenance_margin_rate: f64,
    liquidation_price: f64,
}

impl LeveragedPosition {
    /// A position of `size_base` coins entered at `entry_price` with the given leverage.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a size that is not positive, and as [`isolated_liquidation_price`].
    pub fn new(
        side: Side,
        size_base: f64,
        entry_price: f64,
        leverage: f64,
        maintenance_margin_rate: f64,
    ) -> Result<Self> {
        ensure_positive("position size", size_base)?;
        let liquidation_price =
            isolated_liquidation_price(side, entry_price, leverage, maintenance_margin_rate)?;
        Ok(Self {
            side,
            size_base,
            entry_price,
            leverage,
            maintenance_margin_rate,
            liquidation_price,
        })
    }

    /// A position described by its isolated margin (USD) instead of its leverage: `L = size·EP / margin`.
    ///
    /// # Errors
    /// As [`LeveragedPosition::new`], plus a margin that is not positive.
    pub fn with_isolated_margin(
        side: Side,
        size_base: f64,
        entry_price: f64,
        isolated_margin_usd: f64,
        maintenance_margin_rate: f64,
    ) -> Result<Self> {
        ensure_positive("isolated margin", isolated_margin_usd)?;
        ensure_positive("position size", size_base)?;
        ensure_positive("entry price", entry_price)?;
        Self::new(
            side,
            size_base,
            entry_price,
            size_base * entry_price / isolated_margin_usd,
            maintenance_margin_rate,
        )
    }

    /// Long or short.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Size in base units (coins).
    pub fn size_base(&self) -> f64 {
        self.size_base
    }

    /// Entry price, USD per coin.
    pub fn entry_price(&self) -> f64 {
        self.entry_price
    }

    /// Notional ÷ isolated margin.
    pub fn leverage(&self) -> f64 {
        self.leverage
    }

    /// Maintenance margin rate (fraction of notional).
    pub fn maintenance_margin_rate(&self) -> f64 {
        self.maintenance_margin_rate
    }

    /// Price at which the venue liquidates the position ([`isolated_liquidation_price`]).
    pub fn liquidation_price(&self) -> f64 {
        self.liquidation_price
    }

    /// `size_base × entry_price`, USD.
    pub fn notional_usd(&self) -> f64 {
        self.size_base * self.entry_price
    }
}
