//! Options: Black–Scholes–Merton and Black-76 prices and greeks, elasticity (the leverage built into an
//! option), implied volatility, and the delta risk reversal of a smile.
//!
//! | module | what it computes |
//! |---|---|
//! | [`pricing`] | [`OptionTerms`], [`BlackScholes`] prices and [`Greeks`], on spot with a yield or on a future |
//! | [`elasticity`] | Ω = Δ·S/V and the option's own volatility ≈ \|Ω\|·σ |
//! | [`implied_vol`] | implied volatility from a price, within the no-arbitrage bounds |
//! | [`smile`] | 25-delta (or any delta) risk reversal of one expiry's quotes |
//!
//! Rates, yields and volatilities are decimals per year (0.6 = 60 %); times to expiry in years.

pub mod elasticity;
pub mod implied_vol;
pub mod pricing;
pub mod smile;

pub use implied_vol::{MAX_IMPLIED_VOLATILITY, MIN_IMPLIED_VOLATILITY, implied_volatility};
pub use pricing::{BlackScholes, Greeks, OptionTerms, Underlying};
pub use smile::{DeltaRiskReversal, RiskReversal};
