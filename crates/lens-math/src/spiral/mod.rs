//! Deleveraging spirals: forced selling that lowers the price and so forces more selling.
//!
//! Four views of the same feedback loop, from the micro to the macro level:
//!
//! | file | what it simulates |
//! |---|---|
//! | [`position`] | an isolated-margin position and its liquidation price (Binance one-way, `cum = 0`) |
//! | [`cascade`] | a book of such positions liquidated round by round through a book-depth impact model |
//! | [`synthetic_book`] | a seeded, reproducible position book from open interest, long share and a leverage mix |
//! | [`brunnermeier_pedersen`] | one leveraged holder's loss and margin spiral (Brunnermeier & Pedersen 2009) |
//! | [`stress_test`] | a market-wide shock across perp venues and lending loans, with second-round fire sales |
//!
//! Every simulation is deterministic: the same input gives the same output bit for bit.

/// How many times the depth a book shows at one instant it absorbs while forced selling runs over minutes.
/// Liquidity providers refill a book within seconds (its resilience, in the sense of Obizhaeva and Wang 2013,
/// "Optimal trading strategy and supply/demand dynamics", J. Financial Markets 16), so the orders of a cascade
/// meet many times the ±1 % depth a snapshot shows. The simulated sample moves its prices through the same
/// factor, which keeps its month within the volatility January 2025 had (`sim/CALIBRATION.md`): a venue's
/// open interest is some sixty times its visible 1 % depth, and without the refill any shock would wipe out
/// every leveraged long.
pub const BOOK_RESILIENCE: f64 = 50.0;

pub mod brunnermeier_pedersen;
pub mod cascade;
pub mod position;
pub mod stress_test;
pub mod synthetic_book;

pub use brunnermeier_pedersen::{
    LossSpiral, MarginSale, SpiralPath, SpiralRound, forced_sale_to_meet_margin,
};
pub use cascade::{BookDepth, Cascade, CascadeRound, CascadeStop, PositionBook};
pub use position::{LeveragedPosition, isolated_liquidation_price};
pub use stress_test::{
    CollateralLoan, LeverageBucket, StressRound, StressTestOutcome, SystemicStressTest,
    leverage_buckets, long_liquidation_drop,
};
pub use synthetic_book::{SyntheticBookParams, synthetic_book};
