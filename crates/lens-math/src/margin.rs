//! Margin arithmetic of one derivatives position: tier tables, initial and maintenance margin, liquidation
//! prices (Binance and Bybit linear, Bybit-style inverse), P&L, liquidation distance and touch probability, and
//! the auto-deleveraging queue.
//!
//! | submodule | what it computes |
//! |---|---|
//! | [`tiers`] | notional brackets with their maintenance rate, maximum leverage and derived maintenance amount |
//! | [`position`] | isolated linear (USDT-margined) and inverse (coin-margined) positions, their P&L |
//! | [`liquidation`] | isolated liquidation prices: Binance one-way with the tier rule, Bybit linear and inverse |
//! | [`inverse`] | coin-margined contracts with the fee to close: order cost, bankruptcy and liquidation prices |
//! | [`pnl`] | P&L and return on margin sampled on a price grid |
//! | [`risk`] | distance to liquidation, the heuristic level, the probability of touching it |
//! | [`adl`] | auto-deleveraging rank and queue |
//!
//! Conventions: prices in quote currency per unit of base; linear quantities in base units; inverse quantities
//! in USD of contract value; rates as decimals (0.005 = 0.5 %).

pub mod adl;
pub mod inverse;
pub mod liquidation;
pub mod pnl;
pub mod position;
pub mod risk;
pub mod tiers;

pub use adl::{AdlPosition, adl_queue};
pub use inverse::{
    InverseLevels, InverseOrderCost, InverseTerms, MaintenanceBase, inverse_levels,
    inverse_order_cost, round_to_half_dollar,
};
pub use liquidation::{
    TieredLiquidation, binance_isolated_liquidation, bybit_inverse_isolated_liquidation_price,
    bybit_isolated_liquidation_price,
};
pub use pnl::{PnlPoint, inverse_pnl_curve, linear_pnl_curve};
pub use position::{InversePosition, LinearPosition};
pub use risk::{
    annualised_volatility, heuristic_liquidation_price, liquidation_distance,
    liquidation_price_flat_mmr, touch_probability,
};
pub use tiers::{MarginTier, TierBracket, TierTable, initial_margin, next_maintenance_amount};

/// An [`crate::MathError::InvalidParameter`] naming the input and what it must satisfy.
pub(crate) fn invalid(name: &'static str, reason: &'static str) -> crate::MathError {
    crate::MathError::InvalidParameter { name, reason }
}
