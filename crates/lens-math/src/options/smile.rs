//! Delta risk reversal of a volatility smile: how much richer upside calls are than downside puts at the same
//! distance from the money, measured in delta.

use super::pricing::{BlackScholes, OptionTerms, Underlying};
use crate::error::{MathError, Result, ensure_finite};
use crate::market::{OptionKind, OptionQuote};
use crate::series::DAY_MS;

/// Year fraction convention: actual days / 365.
const MS_PER_YEAR: f64 = 365.0 * DAY_MS as f64;

/// The risk reversal at one delta, e.g. 25Δ, from one expiry's quotes.
///
/// # Formula
/// ```text
/// Δ_i    = Black–Scholes delta of quote i at its own mark IV
///          (e^{−qT}·N(d1) for calls, −e^{−qT}·N(−d1) for puts)
/// IV(δ)  = linear interpolation of IV in Δ between the two quotes whose deltas bracket δ
/// RR_δ   = IV_call(+δ) − IV_put(−δ)        reported in volatility points (× 100)
/// ```
/// (devol's skew regime uses RR25 > 0 for richer calls). Only calls enter the call
/// side and only puts the put side. Time to expiry counts actual days over 365. The delta is the
/// premium-unadjusted one; on [`Underlying::Future`] it is the Black-76 delta `e^{−rT}·N(d1)`.
///
/// ```
/// use lens_math::market::{OptionKind, OptionQuote};
/// use lens_math::options::{DeltaRiskReversal, Underlying};
/// let quote = |kind, strike, mark_iv| OptionQuote {
///     kind,
///     strike,
///     expiry_ms: 30 * 86_400_000,
///     mark_price: 0.0,
///     mark_iv,
///     underlying_price: 100.0,
/// };
/// // The glossary page "Leverage skew": a 25-delta call at 52 % and a 25-delta put at 56 % → RR25 = −4 points.
/// let smile = [
///     quote(OptionKind::Call, 105.0, 0.52), quote(OptionKind::Call, 120.0, 0.52),
///     quote(OptionKind::Put, 80.0, 0.56), quote(OptionKind::Put, 95.0, 0.56),
/// ];
/// let rr = DeltaRiskReversal::new(0.25, 0.0, Underlying::Future)?.compute(&smile, 0)?;
/// assert!((rr.vol_points + 4.0).abs() < 1e-9);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeltaRiskReversal {
    delta: f64,
    rate: f64,
    underlying: Underlying,
}

/// Implied volatilities at the target deltas and their difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskReversal {
    /// IV of the call at delta +δ (decimal).
    pub call_volatility: f64,
    /// IV of the put at delta −δ (decimal).
    pub put_volatility: f64,
    /// `100 · (call − put)`: positive when upside calls are richer.
    pub vol_points: f64,
}

impl DeltaRiskReversal {
    /// Risk reversal at call delta `+delta` and put delta `−delta` (0.25 for RR25), with the rate and the
    /// kind of underlying used to compute each quote's delta.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `0 < delta < 1`; [`MathError::NotFinite`] for a NaN/∞ rate or
    /// dividend yield.
    pub fn new(delta: f64, rate: f64, underlying: Underlying) -> Result<Self> {
        if !(delta > 0.0 && delta < 1.0) {
            return Err(MathError::InvalidParameter {
                name: "target delta",
                reason: "must be between 0 and 1",
            });
        }
        ensure_finite("rate", rate)?;
        if let Underlying::Spot { dividend_yield } = underlying {
            ensure_finite("dividend yield", dividend_yield)?;
        }
        Ok(Self {
            delta,
            rate,
            underlying,
        })
    }

    /// The risk reversal of `quotes`, all of one expiry, valued at `valuation_time_ms`.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for no quotes; [`MathError::InvalidParameter`] when expiries differ, the
    /// expiry is not after the valuation time, a quote has a bad strike, underlying price or IV, or the calls
    /// (puts) have no deltas on both sides of +δ (−δ).
    pub fn compute(&self, quotes: &[OptionQuote], valuation_time_ms: i64) -> Result<RiskReversal> {
        let Some(first) = quotes.first() else {
            return Err(MathError::NotEnoughData { needed: 2, got: 0 });
        };
        if quotes.iter().any(|q| q.expiry_ms != first.expiry_ms) {
            return Err(MathError::InvalidParameter {
                name: "option quotes",
                reason: "must all share one expiry",
            });
        }
        let years =
            (i128::from(first.expiry_ms) - i128::from(valuation_time_ms)) as f64 / MS_PER_YEAR;
        if years <= 0.0 {
            return Err(MathError::InvalidParameter {
                name: "expiry",
                reason: "must be after the valuation time",
            });
        }
        let (mut calls, mut puts) = (Bracket::new(self.delta), Bracket::new(-self.delta));
        for quote in quotes {
            let terms = OptionTerms {
                underlying_price: quote.underlying_price,
                strike: quote.strike,
                years_to_expiry: years,
                rate: self.rate,
                underlying: self.underlying,
            };
            let delta = BlackScholes::new(terms, quote.mark_iv)?.delta(quote.kind);
            match quote.kind {
                OptionKind::Call => calls.offer(delta, quote.mark_iv),
                OptionKind::Put => puts.offer(delta, quote.mark_iv),
            }
        }
        let no_bracket = |reason| MathError::InvalidParameter {
            name: "smile",
            reason,
        };
        let call_volatility = calls.interpolate().ok_or(no_bracket(
            "no call quotes on both sides of the target delta",
        ))?;
        let put_volatility = puts.interpolate().ok_or(no_bracket(
            "no put quotes on both sides of the target delta",
        ))?;
        Ok(RiskReversal {
            call_volatility,
            put_volatility,
            vol_points: 100.0 * (call_volatility - put_volatility),
        })
    }
}

/// The nearest quotes (by delta) on each side of a target delta, as `(delta, iv)`.
struct Bracket {
    target: f64,
    below: Option<(f64, f64)>,
    above: Option<(f64, f64)>,
}

impl Bracket {
    fn new(target: f64) -> Self {
        Self {
            target,
            below: None,
            above: None,
        }
    }

    fn offer(&mut self, delta: f64, iv: f64) {
        if delta <= self.target && self.below.is_none_or(|(d, _)| delta > d) {
            self.below = Some((delta, iv));
        }
        if delta >= self.target && self.above.is_none_or(|(d, _)| delta < d) {
            self.above = Some((delta, iv));
        }
    }

    fn interpolate(&self) -> Option<f64> {
        let ((d_below, iv_below), (d_above, iv_above)) = (self.below?, self.above?);
        if d_above == d_below {
            // Both sides are the same quote, sitting exactly on the target.
            return Some(iv_below);
        }
        Some(iv_below + (self.target - d_below) * (iv_above - iv_below) / (d_above - d_below))
    }
}

#[cfg(test)]
mod tests;
