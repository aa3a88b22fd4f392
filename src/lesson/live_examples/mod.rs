//! One module per glossary term, each with its live example as a [`LiveExample`]. The registry below is in the
//! glossary's order.

use super::LiveExample;

pub mod leverage_and_liquidation_risks;
pub mod leverage_concentration;
pub mod leverage_cycles;
pub mod leverage_deleveraging_cycles;
pub mod leverage_deleveraging_spiral;
pub mod leverage_dependency;
pub mod leverage_dynamics_assessment;
pub mod leverage_management_in_cppi;
pub mod leverage_mechanics;
pub mod leverage_ratio_monitoring;
pub mod leverage_skew;
pub mod options_trading_leverage;
pub mod order_flow_imbalances;
pub mod systemic_leverage;
pub mod systemic_leverage_contagion;
pub mod systemic_leverage_cycles;
pub mod systemic_leverage_risk;

/// Every term's live example, in the glossary's order.
pub static LIVE_EXAMPLES: [&LiveExample; 17] = [
    &leverage_mechanics::LIVE_EXAMPLE,
    &leverage_and_liquidation_risks::LIVE_EXAMPLE,
    &leverage_skew::LIVE_EXAMPLE,
    &leverage_concentration::LIVE_EXAMPLE,
    &leverage_dependency::LIVE_EXAMPLE,
    &leverage_ratio_monitoring::LIVE_EXAMPLE,
    &order_flow_imbalances::LIVE_EXAMPLE,
    &leverage_deleveraging_spiral::LIVE_EXAMPLE,
    &systemic_leverage_risk::LIVE_EXAMPLE,
    &systemic_leverage_contagion::LIVE_EXAMPLE,
    &leverage_cycles::LIVE_EXAMPLE,
    &systemic_leverage_cycles::LIVE_EXAMPLE,
    &leverage_deleveraging_cycles::LIVE_EXAMPLE,
    &leverage_management_in_cppi::LIVE_EXAMPLE,
    &options_trading_leverage::LIVE_EXAMPLE,
    &leverage_dynamics_assessment::LIVE_EXAMPLE,
    &systemic_leverage::LIVE_EXAMPLE,
];

#[cfg(test)]
mod tests;
