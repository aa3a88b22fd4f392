//! Who holds the leverage and how crowded it is: long/short ratios and shares, the positioning-skew index,
//! concentration across venues, the open-interest × price quadrant with its regimes and verdict, market-level
//! leverage ratios, systemic totals across venues, and price sensitivity to open-interest changes.
//!
//! One concept per file, all re-exported here:
//!
//! | file | glossary term | contents |
//! |---|---|---|
//! | `ratios.rs` | 3, 4 | long share ⇄ long/short ratio, top-trader vs all-account gap |
//! | `skew.rs` | 3 | positioning-skew index (PSI) |
//! | `concentration.rs` | 4 | Herfindahl index, effective number, normalised HHI |
//! | `quadrant.rs` | 16 | OI × price quadrant with dead bands |
//! | `regimes.rs` | 16 | funding, basis and risk-reversal regimes |
//! | `dynamics.rs` | 16 | the verdict: quadrant + "n of 3" crowding signals |
//! | `leverage.rs` | 5, 6, 17 | ELR, FOI/MC, OI in days of spot volume |
//! | `systemic.rs` | 17 | totals across venues |
//! | `sensitivity.rs` | 5 | β of returns on OI changes |

mod concentration;
mod dynamics;
mod leverage;
mod quadrant;
mod ratios;
mod regimes;
mod sensitivity;
mod skew;
mod systemic;

pub use concentration::{Concentration, herfindahl};
pub use dynamics::{CrowdingSignals, DynamicsVerdict, assess_dynamics};
pub use leverage::{estimated_leverage_ratio, oi_to_market_cap, oi_to_spot_volume_days};
pub use quadrant::{OiPriceQuadrant, QuadrantClassifier};
pub use ratios::{long_share_from_ratio, ratio_from_long_share, top_trader_long_share_gap};
pub use regimes::{BasisRegime, FundingRegime, RiskReversalRegime};
pub use sensitivity::price_sensitivity_to_oi;
pub use skew::{PositioningSkewIndex, SkewReading, positioning_skew_index};
pub use systemic::{SystemicTotals, VenueExposure, systemic_totals};
