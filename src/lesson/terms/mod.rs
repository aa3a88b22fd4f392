//! One module per glossary term, each with its live example as a [`Lesson`]. The registry below is in the
//! glossary's order.

use super::Lesson;

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
pub static LESSONS: [&Lesson; 17] = [
    &leverage_mechanics::LESSON,
    &leverage_and_liquidation_risks::LESSON,
    &leverage_skew::LESSON,
    &leverage_concentration::LESSON,
    &leverage_dependency::LESSON,
    &leverage_ratio_monitoring::LESSON,
    &order_flow_imbalances::LESSON,
    &leverage_deleveraging_spiral::LESSON,
    &systemic_leverage_risk::LESSON,
    &systemic_leverage_contagion::LESSON,
    &leverage_cycles::LESSON,
    &systemic_leverage_cycles::LESSON,
    &leverage_deleveraging_cycles::LESSON,
    &leverage_management_in_cppi::LESSON,
    &options_trading_leverage::LESSON,
    &leverage_dynamics_assessment::LESSON,
    &systemic_leverage::LESSON,
];

#[cfg(test)]
mod tests;
