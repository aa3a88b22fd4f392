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
