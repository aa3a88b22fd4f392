//! The option chain at the last hour: a few expiries (7 to 90 days) with strikes around the forward, implied
//! volatilities from a smile whose tilt follows the recent return, and marks from Black–Scholes.
//!
//! - **Level and term structure.** At-the-money vol starts near realised vol for short expiries and reverts
//!   to the asset's long-run vol with a 30-day time constant, plus a volatility risk premium: implied trades
//!   above realised on average.
//! - **Skew.** The slope of the smile in standardised moneyness `m = ln(K/F)/(σ_atm√T)` is proportional to the
//!   last 14 days' return: after a selloff puts are bid (negative 25-delta risk reversal), after a rally calls
//!   are, the pattern crypto option markets show. A small convexity keeps both wings above the centre.
//! - **Forward.** `F = S·(1 + c·T)` with `c` the annualised funding of the last three days: funding is the carry
//!   a leveraged long pays, the same carry a dated future prices in, so a frothy perp also lifts the forwards.
//! - **Prices.** Black-76 on the forward with zero rate (what options on futures and coin-settled venues use),
//!   so any Black–Scholes implementation with `S = underlying_price` and `r = q = 0` reproduces the marks.

use super::detmath::{exp, ln, normal_cdf};
use crate::market::{OptionKind, OptionQuote};
use crate::series::DAY_MS;

const EXPIRY_DAYS: [i64; 5] = [7, 14, 30, 60, 90];
/// Strikes on each side of the at-the-money strike.
const STRIKES_EACH_SIDE: i64 = 6;
/// Implied minus realised volatility on average.
const VOLATILITY_RISK_PREMIUM: f64 = 0.05;
/// Days over which short-dated vol reverts to the long-run level.
const TERM_STRUCTURE_DAYS: f64 = 30.0;
/// Smile slope per unit of 14-day return (vol points per standardised moneyness unit).
const SKEW_PER_RETURN: f64 = 0.25;
const SMILE_CONVEXITY: f64 = 0.015;

/// What the chain is priced from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainInputs {
    pub spot: f64,
    pub time_ms: i64,
    /// Annualised realised vol of the last week.
    pub realised_volatility: f64,
    pub long_run_volatility: f64,
    /// Simple return of the index over the last 14 days.
    pub recent_return: f64,
    /// Annualised carry of the futures over spot (from recent funding).
    pub carry_per_year: f64,
}

/// Black–Scholes–Merton price with continuous dividend yield.
///
/// # Formula
/// `d1 = (ln(S/K) + (r − q + σ²/2)T)/(σ√T)`, `d2 = d1 − σ√T`;
/// call `S·e^{−qT}N(d1) − K·e^{−rT}N(d2)`, put `K·e^{−rT}N(−d2) − S·e^{−qT}N(−d1)`.
/// Source: Black & Scholes (1973), Merton (1973); Hull, *Options, Futures and Other Derivatives*.
pub(crate) fn black_scholes(
    kind: OptionKind,
    spot: f64,
    strike: f64,
    years: f64,
    rate: f64,
    dividend_yield: f64,
    volatility: f64,
) -> f64 {
    let spread = volatility * years.sqrt();
    let d1 = (ln(spot / strike) + (rate - dividend_yield + 0.5 * volatility * volatility) * years)
        / spread;
    let d2 = d1 - spread;
    let discounted_spot = spot * exp(-dividend_yield * years);
    let discounted_strike = strike * exp(-rate * years);
    match kind {
        OptionKind::Call => discounted_spot * normal_cdf(d1) - discounted_strike * normal_cdf(d2),
        OptionKind::Put => discounted_strike * normal_cdf(-d2) - discounted_spot * normal_cdf(-d1),
    }
}

/// Implied vol at standardised moneyness `m` for an at-the-money level and a skew slope; floored at half the
/// at-the-money level so deep wings stay positive.
pub(crate) fn smile_volatility(at_the_money: f64, skew: f64, moneyness: f64) -> f64 {
    (at_the_money + skew * moneyness + SMILE_CONVEXITY * moneyness * moneyness)
        .max(0.5 * at_the_money)
}

/// Skew slope for a recent return: negative (puts rich) after a selloff.
pub(crate) fn skew_for_return(recent_return: f64) -> f64 {
    (SKEW_PER_RETURN * recent_return).clamp(-0.1, 0.1)
}

/// Largest step of the 1-2-5 series not above 2.5 % of the price (BTC at 85,000 → 2,000; ETH at 3,300 → 50).
fn strike_step(price: f64) -> f64 {
    let target = 0.025 * price;
    let mut decade = 1.0;
    while decade * 10.0 <= target {
        decade *= 10.0;
    }
    while decade > target && decade > 1e-9 {
        decade /= 10.0;
    }
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|step| *step <= target)
        .unwrap_or(decade)
}

/// Calls and puts for every expiry and strike.
pub(crate) fn option_chain(inputs: &ChainInputs) -> Vec<OptionQuote> {
    let base_step = strike_step(inputs.spot);
    let skew = skew_for_return(inputs.recent_return);
    let mut quotes =
        Vec::with_capacity(EXPIRY_DAYS.len() * (2 * STRIKES_EACH_SIDE as usize + 1) * 2);
    for days in EXPIRY_DAYS {
        let years = days as f64 / 365.0;
        let forward = inputs.spot * (1.0 + inputs.carry_per_year * years);
        let decay = exp(-(days as f64) / TERM_STRUCTURE_DAYS);
        let at_the_money = inputs.long_run_volatility
            + (inputs.realised_volatility - inputs.long_run_volatility) * decay
            + VOLATILITY_RISK_PREMIUM;
        let step = if days > 30 {
            2.0 * base_step
        } else {
            base_step
        };
        let centre = (forward / step).round() * step;
        let expiry_ms = inputs.time_ms.saturating_add(days * DAY_MS);
        for k in -STRIKES_EACH_SIDE..=STRIKES_EACH_SIDE {
            let strike = centre + k as f64 * step;
            if strike <= 0.0 {
                continue;
            }
            let moneyness = ln(strike / forward) / (at_the_money * years.sqrt());
            let volatility = smile_volatility(at_the_money, skew, moneyness);
            for kind in [OptionKind::Call, OptionKind::Put] {
                let intrinsic = match kind {
                    OptionKind::Call => (forward - strike).max(0.0),
                    OptionKind::Put => (strike - forward).max(0.0),
                };
                // With zero rate the price is above intrinsic in exact arithmetic; the floor only absorbs rounding.
                let mark_price = black_scholes(kind, forward, strike, years, 0.0, 0.0, volatility)
                    .max(intrinsic);
                quotes.push(OptionQuote {
                    kind,
                    strike,
                    expiry_ms,
                    mark_price,
                    mark_iv: volatility,
                    underlying_price: forward,
                });
            }
        }
    }
    quotes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hull, *Options, Futures and Other Derivatives*, worked example: S 42, K 40, r 10 %, σ 20 %, T 0.5 →
    /// call 4.76, put 0.81 (Python with math.erfc gives 4.759422, 0.808599).
    #[test]
    fn black_scholes_matches_hull_worked_example() {
        let call = black_scholes(OptionKind::Call, 42.0, 40.0, 0.5, 0.10, 0.0, 0.20);
        let put = black_scholes(OptionKind::Put, 42.0, 40.0, 0.5, 0.10, 0.0, 0.20);
        assert!((call - 4.759_422_392_871_535).abs() < 1e-10, "{call}");
        assert!((put - 0.808_599_372_900_095_8).abs() < 1e-10, "{put}");
    }

    /// The 25-delta risk reversal sits near m = ±0.67: after a 20 % selloff it is several vol points negative
    /// (put skew, glossary term 16 threshold −2 points), after a rally positive.
    #[test]
    fn selloff_gives_put_skew_and_rally_gives_call_skew() {
        let rr = |ret: f64| {
            let skew = skew_for_return(ret);
            smile_volatility(0.6, skew, 0.67) - smile_volatility(0.6, skew, -0.67)
        };
        assert!(rr(-0.2) < -0.02, "{}", rr(-0.2));
        assert!(rr(0.2) > 0.02);
    }

    #[test]
    fn strike_steps_follow_the_one_two_five_series() {
        assert_eq!(strike_step(85_000.0), 2_000.0);
        assert_eq!(strike_step(3_300.0), 50.0);
        assert_eq!(strike_step(1.0), 0.02);
    }

    #[test]
    fn chain_has_every_expiry_and_both_kinds() {
        let inputs = ChainInputs {
            spot: 85_000.0,
            time_ms: 0,
            realised_volatility: 0.5,
            long_run_volatility: 0.5,
            recent_return: -0.1,
            carry_per_year: 0.1,
        };
        let chain = option_chain(&inputs);
        assert_eq!(chain.len(), EXPIRY_DAYS.len() * 13 * 2);
        assert!(
            chain
                .iter()
                .all(|q| q.mark_price > 0.0 && q.mark_iv > 0.0 && q.underlying_price > 85_000.0)
        );
    }

    proptest! {
        /// Put–call parity `C − P = S·e^{−qT} − K·e^{−rT}`, and both prices at or above intrinsic with r = q = 0.
        #[test]
        fn prices_obey_parity_and_intrinsic(
            spot in 10.0f64..1e5, moneyness in 0.5f64..1.5, years in 0.01f64..2.0,
            rate in 0.0f64..0.1, vol in 0.05f64..2.0,
        ) {
            let strike = spot * moneyness;
            let call = black_scholes(OptionKind::Call, spot, strike, years, rate, 0.0, vol);
            let put = black_scholes(OptionKind::Put, spot, strike, years, rate, 0.0, vol);
            let parity = spot - strike * (-rate * years).exp();
            prop_assert!((call - put - parity).abs() < 1e-9 * spot);
            let call0 = black_scholes(OptionKind::Call, spot, strike, years, 0.0, 0.0, vol);
            prop_assert!(call0 >= (spot - strike).max(0.0) - 1e-9 * spot);
        }
    }
}
