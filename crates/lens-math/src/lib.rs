//! # lens-math
//!
//! The numbers behind Leverage Lens: leverage-imbalance indicators and simulators as pure functions.
//!
//! This crate has **no web dependency** (no leptos, web-sys, gloo or venue formats), so it compiles and is
//! tested natively and runs at full speed. Data comes in as `f64`s, slices and the crate's own small types;
//! results go out the same way. Every formula cites its source in its doc comment, and its unit tests pin it to
//! a published worked example.
//!
//! Module map (one concept per file, as in ta-rs):
//!
//! | module | what it computes |
//! |---|---|
//! | [`funding`] | funding-rate normalisation (per hour, per 8 h, APR) and the premium → funding rule |
//! | [`error`] | the crate's error type |
//!
//! Planned next to these, one file each: `series`, `stats`, `basis`, `positioning`, `flow`, `margin`,
//! `liquidation_map`, `spiral`, `contagion`, `cycles`, `cppi`, `options`, and `sim/` (the market simulator
//! that produces the embedded sample).

pub mod error;
pub mod funding;

pub use error::{MathError, Result};
