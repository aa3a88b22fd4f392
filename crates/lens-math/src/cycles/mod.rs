//! Leverage cycles: slow build-ups and sudden releases of borrowed exposure, from toy equilibria to detectors
//! that run on market data.
//!
//! | file | what it computes |
//! |---|---|
//! | [`geanakoplos`] | the two-state leverage-cycle equilibrium with and without collateralised borrowing |
//! | [`adrian_shin`] | the trade of a balance sheet that targets a fixed leverage ratio |
//! | [`regimes`] | build-up / flush / neutral on one coin's OI, and the market-wide phases with "elevated" |
//! | [`deleveraging`] | flush events: OI collapse + funding reset, confirmed by a liquidation burst |

pub mod adrian_shin;
pub mod deleveraging;
pub mod geanakoplos;
pub mod regimes;

pub use adrian_shin::{LeverageTargetingTrade, leverage_targeting_trade};
pub use deleveraging::{FlushBar, FlushDetector, FlushEvent, FlushInputs, FlushStep};
pub use geanakoplos::{LeverageEquilibrium, PurchaseTerms, TwoStateEconomy, purchase_terms};
pub use regimes::{
    OiRegime, PhasePoint, RegimePoint, RegimeRule, SystemicPhase, SystemicPhaseRule,
    aggregate_leverage_ratio,
};
