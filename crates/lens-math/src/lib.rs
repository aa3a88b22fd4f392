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
//! | [`series`] | the time-series type (ms timestamps, finite values): alignment, resampling, returns |
//! | [`funding`] | funding-rate normalisation (per hour, per 8 h, APR), premium index and TWAP, payment, spend, OI-weighted rate |
//! | [`basis`] | futures basis: raw, relative, annualised (simple and compounded), perp premium, constant maturity |
//! | [`positioning`] | long/short shares, PSI, HHI, OI × price quadrant and verdict, ELR, systemic totals, β to OI |
//! | [`stats`] | rolling mean / sample std / z-score, median, realised volatility, simple OLS |
//! | [`market`] | plain market-data shapes: bars, best quotes, book levels, liquidations, option quotes |
//! | [`flow`] | order flow: OFI and multi-level OFI with price-impact regressions, taker flow and CVD, book imbalances |
//! | [`options`] | Black–Scholes / Black-76 prices and greeks, elasticity, implied volatility, 25-delta risk reversal |
//! | [`margin`] | tier tables, initial/maintenance margin, liquidation prices (Binance, Bybit, inverse), P&L, touch probability, ADL rank |
//! | [`liquidation_map`] | the estimated liquidation heatmap: OI increases placed at leverage-implied levels, consumed by later bars |
//! | [`spiral`] | deleveraging spirals: liquidation cascade over a position book, Brunnermeier–Pedersen loss/margin spiral, systemic stress test |
//! | [`cppi`] | CPPI backtest on a price path: cushion, capped exposure, reserve, gap events |
//! | [`contagion`] | Eisenberg–Noe clearing (iteration and fictitious default) and DebtRank on exposure networks |
//! | [`cycles`] | leverage cycles: Geanakoplos equilibrium, Adrian–Shin targeting, OI regimes and phases, flush detector |
//! | [`annotations`] | chart markers linked to glossary terms: funding extremes, OI flushes, liquidation bursts, CPPI gap events, and the per-chart limit |
//! | [`sim`] | the market simulator behind the embedded "simulated sample": agents, funding, liquidations, book, options |
//! | [`rng`] | a seeded generator, so every simulation is reproducible byte for byte |
//! | [`error`] | the crate's error type |

pub mod annotations;
pub mod basis;
pub mod contagion;
pub mod cppi;
pub mod cycles;
pub mod error;
pub mod flow;
pub mod funding;
pub mod liquidation_map;
pub mod margin;
pub mod market;
pub mod options;
pub mod positioning;
pub mod rng;
pub mod series;
pub mod sim;
pub mod sort;
pub mod spiral;
pub mod stats;

pub use error::{MathError, Result};
pub use series::TimeSeries;
