//! Coin-margined (inverse) contracts with the fee to close: the order cost, the bankruptcy price and the
//! liquidation price, in Bybit's published forms.
//!
//! An inverse contract is quoted in USD (`Q` of contract value) and margined in coin: its value is `Q/P` coin
//! and a long's P&L is `Q·(1/EP − 1/P)` coin, a hyperbola. The position's coin wallet `W` holds its margin and
//! the reserve for the fee to close, which the venue charges at the bankruptcy price: `FTC = Q/BP · f`.
//!
//! - **Bankruptcy price**: equity after paying the fee to close is zero,
//!   `W + d·Q·(1/EP − 1/BP) − Q·f/BP = 0`, so `BP_long = Q(1 + f) / (Q/EP + W)` and
//!   `BP_short = Q(1 − f) / (Q/EP − W)` (Bybit's cross-margin form, with its factor 1.00075 at a 0.075 % fee).
//!   When the wallet is exactly the order's initial margin plus its fee to close (Bybit's order cost), this is
//!   the familiar `EP·L/(L ± 1)`.
//! - **Liquidation price**: equity falls to the maintenance margin plus the fee to close,
//!   `W + d·Q·(1/EP − 1/LP) = MM + FTC`. Bybit's classic inverse contracts value the maintenance margin at the
//!   entry (`MM = Q/EP · MMR`), its Unified Trading Account at the price itself (`MM = Q/LP · MMR`); both are
//!   here ([`MaintenanceBase`]).
//!
//! Leaving the fee out (as a plain `W − MM` buffer does) puts a long's liquidation price a few ticks too low:
//! the fee is a claim on the same coin.

use super::invalid;
use crate::error::Result;
use crate::market::Side;

/// What the maintenance margin of an inverse position is valued at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaintenanceBase {
    /// `MM = Q/EP · MMR`: Bybit's classic inverse contracts ("How to calculate Liquidation Price (Inverse
    /// Contract)").
    Entry,
    /// `MM = Q/P · MMR` at the liquidation price: Bybit's Unified Trading Account ("Liquidation Price
    /// Calculation under Isolated Mode").
    Mark,
}

/// An isolated (or single-position cross) inverse position with the venue's maintenance rate and taker fee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InverseTerms {
    /// Long or short.
    pub side: Side,
    /// Contract value in USD (contracts × face value).
    pub contracts_usd: f64,
    /// Average entry price, USD per coin.
    pub entry_price: f64,
    /// Coin the position holds: initial margin, any margin added, and the reserve for the fee to close.
    pub wallet_coin: f64,
    /// Maintenance margin rate (0.005 = 0.5 %).
    pub maintenance_rate: f64,
    /// Taker fee rate charged to close (0.00055 = 0.055 %).
    pub taker_fee: f64,
}

/// The prices at which an inverse position is liquidated and at which it is bankrupt, and the fee to close.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InverseLevels {
    /// Price at which the equity left after the fee to close is zero; `None` for a short whose wallet covers
    /// its whole value (no finite price bankrupts it).
    pub bankruptcy_price: Option<f64>,
    /// `Q/BP · f`, in coin; zero when there is no bankruptcy price.
    pub fee_to_close_coin: f64,
    /// Price at which equity falls to the maintenance margin plus the fee to close; `None` for a short that no
    /// finite price liquidates.
    pub liquidation_price: Option<f64>,
}

/// What opening an inverse order costs, Bybit's "Order Cost (Inverse Contract)".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InverseOrderCost {
    /// `Q/P / L`, coin.
    pub initial_margin_coin: f64,
    /// `Q/P · f`, coin.
    pub fee_to_open_coin: f64,
    /// `Q/BP · f` with `BP = P·L/(L ± 1)`, coin.
    pub fee_to_close_coin: f64,
    /// The bankruptcy price the fee to close is charged at.
    pub bankruptcy_price: Option<f64>,
}

impl InverseOrderCost {
    /// Initial margin plus both fees: what the order takes from the wallet.
    pub fn total_coin(&self) -> f64 {
        self.initial_margin_coin + self.fee_to_open_coin + self.fee_to_close_coin
    }

    /// The coin the position holds once open: its initial margin and the reserve for the fee to close.
    pub fn position_wallet_coin(&self) -> f64 {
        self.initial_margin_coin + self.fee_to_close_coin
    }
}

fn positive(value: f64, name: &'static str) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(invalid(name, "must be a finite number above zero"))
    }
}

fn rate(value: f64, name: &'static str) -> Result<f64> {
    if value.is_finite() && (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(
            name,
            "must be a finite rate from 0 up to (not including) 1",
        ))
    }
}

/// The order cost of `contracts_usd` of an inverse contract at `price` with `leverage` and a taker fee.
///
/// # Formula
/// `IM = (Q/P)/L`, `fee to open = (Q/P)·f`, `BP = P·L/(L + 1)` for a buy and `P·L/(L − 1)` for a sell,
/// `fee to close = (Q/BP)·f = (Q/P)·(1 ± 1/L)·f`.
///
/// Source: Bybit help centre, "Order Cost (Inverse Contract)" (10,000 BTCUSD at 6,400 USD, 25×, taker
/// 0.075 %: IM 0.0625 BTC, fee to open 0.00117188 BTC, bankruptcy price about 6,154 USD, fee to close
/// 0.00121872 BTC, order cost 0.06489060 BTC), and "Order Cost (Perpetuals & Futures Trading)" (10,000 USD
/// of ETHUSD at 2,000, 25×, taker 0.055 %: 0.2 + 0.00275 + 0.00286 = 0.20561 ETH).
///
/// # Errors
/// [`crate::MathError::InvalidParameter`] for a non-positive size, price or leverage, a leverage below 1, or
/// a fee outside `[0, 1)`.
///
/// ```
/// use lens_math::margin::inverse_order_cost;
/// use lens_math::market::Side;
/// let cost = inverse_order_cost(Side::Long, 10_000.0, 2_000.0, 25.0, 0.000_55)?;
/// assert!((cost.total_coin() - 0.205_61).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn inverse_order_cost(
    side: Side,
    contracts_usd: f64,
    price: f64,
    leverage: f64,
    taker_fee: f64,
) -> Result<InverseOrderCost> {
    let q = positive(contracts_usd, "contracts_usd")?;
    let p = positive(price, "price")?;
    let l = positive(leverage, "leverage")?;
    if l < 1.0 {
        return Err(invalid("leverage", "must be at least 1"));
    }
    let f = rate(taker_fee, "taker_fee")?;
    let value = q / p;
    let bankruptcy_price = match side {
        Side::Long => Some(p * l / (l + 1.0)),
        Side::Short => (l > 1.0).then(|| p * l / (l - 1.0)),
    };
    Ok(InverseOrderCost {
        initial_margin_coin: value / l,
        fee_to_open_coin: value * f,
        fee_to_close_coin: bankruptcy_price.map_or(0.0, |bp| q / bp * f),
        bankruptcy_price,
    })
}

/// Bankruptcy price, fee to close and liquidation price of an inverse position.
///
/// # Formula
/// With `V = Q/EP` and `d` = +1 long, −1 short: `BP_long = Q(1 + f)/(V + W)`, `BP_short = Q(1 − f)/(V − W)`,
/// `FTC = Q·f/BP`. Liquidation when `W + d·Q(1/EP − 1/LP) = MM + FTC`:
/// - maintenance at entry: `LP_long = Q/(V + W − V·MMR − FTC)`, `LP_short = Q/(V − W + V·MMR + FTC)`;
/// - maintenance at the price: `LP_long = Q(1 + MMR)/(V + W − FTC)`, `LP_short = Q(1 − MMR)/(V − W + FTC)`.
///
/// Source: Bybit help centre, "How to calculate Liquidation Price (Inverse Contract)", cross margin example
/// (balance 0.5 BTC, long 10,000 contracts at 8,000 USD, MM 0.5 %, taker 0.075 %: bankruptcy price 5,718.57,
/// liquidation price 5,739.50 after rounding up to 0.5, see [`round_to_half_dollar`]); and the Unified Trading
/// Account inverse short example (30,000 USD at 60,000 USD, 10×, MMR 0.5 %, taker 0.055 %: fee to close
/// 0.0002475 BTC, liquidation price 66,333.33).
///
/// # Errors
/// [`crate::MathError::InvalidParameter`] for a non-positive size, price or wallet, a rate outside `[0, 1)`,
/// or a wallet that does not cover the maintenance margin and the fee to close at entry (liquidated at once).
///
/// ```
/// use lens_math::margin::{InverseTerms, MaintenanceBase, inverse_levels};
/// use lens_math::market::Side;
/// let long = InverseTerms {
///     side: Side::Long,
///     contracts_usd: 10_000.0,
///     entry_price: 8_000.0,
///     wallet_coin: 0.5,
///     maintenance_rate: 0.005,
///     taker_fee: 0.000_75,
/// };
/// let levels = inverse_levels(&long, MaintenanceBase::Entry)?;
/// assert!((levels.bankruptcy_price.unwrap_or(0.0) - 5_718.57).abs() < 0.005);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn inverse_levels(terms: &InverseTerms, base: MaintenanceBase) -> Result<InverseLevels> {
    let q = positive(terms.contracts_usd, "contracts_usd")?;
    let entry = positive(terms.entry_price, "entry_price")?;
    let w = positive(terms.wallet_coin, "wallet_coin")?;
    let mmr = rate(terms.maintenance_rate, "maintenance_rate")?;
    let f = rate(terms.taker_fee, "taker_fee")?;
    let v = q / entry;
    let bankruptcy_price = match terms.side {
        Side::Long => Some(q * (1.0 + f) / (v + w)),
        Side::Short => (v > w).then(|| q * (1.0 - f) / (v - w)),
    };
    let fee = bankruptcy_price.map_or(0.0, |bp| q * f / bp);
    // At entry the P&L is zero: the wallet must hold more than what liquidation asks for there.
    if w <= v * mmr + fee {
        return Err(invalid(
            "wallet_coin",
            "must exceed the maintenance margin plus the fee to close, or the position is liquidated at once",
        ));
    }
    let denominator = match (terms.side, base) {
        (Side::Long, MaintenanceBase::Entry) => v + w - v * mmr - fee,
        (Side::Short, MaintenanceBase::Entry) => v - w + v * mmr + fee,
        (Side::Long, MaintenanceBase::Mark) => (v + w - fee) / (1.0 + mmr),
        (Side::Short, MaintenanceBase::Mark) => (v - w + fee) / (1.0 - mmr),
    };
    Ok(InverseLevels {
        bankruptcy_price,
        fee_to_close_coin: fee,
        liquidation_price: (denominator > 0.0).then(|| q / denominator),
    })
}

/// Bybit's rounding of inverse bankruptcy and liquidation prices: a long's up and a short's down to the next
/// 0.5 USD ("What is Bankruptcy Price?": "rounded up to the nearest 0.5 … for long position … rounded down …
/// for short position"), so a displayed level is never on the wrong side of the exact one.
pub fn round_to_half_dollar(price: f64, side: Side) -> f64 {
    match side {
        Side::Long => (price * 2.0).ceil() / 2.0,
        Side::Short => (price * 2.0).floor() / 2.0,
    }
}

#[cfg(test)]
mod tests;
