//! Black–Scholes–Merton prices and greeks of European options with a continuous yield on the underlying, and
//! Black's (1976) model for options on futures as the special case `q = r` on the futures price.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::market::OptionKind;
use crate::stats::normal::{normal_cdf, normal_pdf};

/// What the option is written on, which sets the carry `q` in the formulas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Underlying {
    /// A spot asset paying a continuous yield (decimal per year; 0 for BTC held in a wallet, a staking or
    /// lending yield otherwise). Black–Scholes–Merton.
    Spot { dividend_yield: f64 },
    /// A futures (or forward) price: Black (1976), i.e. `q = r`. Most crypto option venues settle on one.
    Future,
}

/// Everything that fixes an option's value except its volatility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionTerms {
    /// Spot or futures price, per [`OptionTerms::underlying`] (quote currency).
    pub underlying_price: f64,
    /// Strike (quote currency).
    pub strike: f64,
    /// Time to expiry in years.
    pub years_to_expiry: f64,
    /// Continuously compounded risk-free rate per year (decimal).
    pub rate: f64,
    pub underlying: Underlying,
}

impl OptionTerms {
    /// The continuous carry yield `q`: the dividend yield on spot, `r` on a future.
    pub fn carry_yield(&self) -> f64 {
        match self.underlying {
            Underlying::Spot { dividend_yield } => dividend_yield,
            Underlying::Future => self.rate,
        }
    }

    /// Validates the terms and returns the present values `(S·e^{−qT}, K·e^{−rT})`.
    pub(super) fn present_values(&self) -> Result<(f64, f64)> {
        let spot = ensure_positive("underlying price", self.underlying_price)?;
        let strike = ensure_positive("strike", self.strike)?;
        let years = ensure_positive("time to expiry", self.years_to_expiry)?;
        let rate = ensure_finite("rate", self.rate)?;
        let carry = ensure_finite("dividend yield", self.carry_yield())?;
        let underlying_pv = spot * (-carry * years).exp();
        let strike_pv = strike * (-rate * years).exp();
        let in_range = |v: f64| v.is_finite() && v > 0.0;
        if in_range(underlying_pv) && in_range(strike_pv) {
            Ok((underlying_pv, strike_pv))
        } else {
            Err(MathError::InvalidParameter {
                name: "rate",
                reason: "rate or yield times time to expiry is too large to discount in double precision",
            })
        }
    }
}

/// An option priced under Black–Scholes–Merton (or Black-76), with `d1`, `d2` and discount factors computed
/// once for all prices and greeks.
///
/// # Formula
/// ```text
/// d1 = [ln(S/K) + (r − q + σ²/2)·T] / (σ√T)        d2 = d1 − σ√T
/// C  = S·e^{−qT}·N(d1) − K·e^{−rT}·N(d2)
/// P  = K·e^{−rT}·N(−d2) − S·e^{−qT}·N(−d1)
/// ```
/// Merton (1973) with continuous yield `q`; Black (1976) with the futures price for `S` and `q = r`. Greeks as
/// in Hull, *Options, Futures, and Other Derivatives*, ch. "The Greek Letters".
///
/// ```
/// use lens_math::market::OptionKind;
/// use lens_math::options::{BlackScholes, OptionTerms, Underlying};
/// // Hull's European option example: S 42, K 40, r 10 %, σ 20 %, six months → call 4.76, put 0.81.
/// let terms = OptionTerms {
///     underlying_price: 42.0,
///     strike: 40.0,
///     years_to_expiry: 0.5,
///     rate: 0.10,
///     underlying: Underlying::Spot { dividend_yield: 0.0 },
/// };
/// let option = BlackScholes::new(terms, 0.20)?;
/// assert!((option.price(OptionKind::Call) - 4.7594).abs() < 5e-5);
/// assert!((option.price(OptionKind::Put) - 0.8086).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlackScholes {
    terms: OptionTerms,
    volatility: f64,
    d1: f64,
    d2: f64,
    /// `e^{−qT}`
    carry_discount: f64,
    /// `S·e^{−qT}`
    underlying_pv: f64,
    /// `K·e^{−rT}`
    strike_pv: f64,
}

impl BlackScholes {
    /// Prices `terms` at `volatility` (decimal per √year, 0.6 = 60 %).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a price, strike, time or volatility that is not a positive finite
    /// number, or inputs so extreme that `d1`, `d2` or a discount factor leave double precision;
    /// [`MathError::NotFinite`] for a NaN/∞ rate or yield.
    pub fn new(terms: OptionTerms, volatility: f64) -> Result<Self> {
        let (underlying_pv, strike_pv) = terms.present_values()?;
        let volatility = ensure_positive("volatility", volatility)?;
        let sigma_sqrt_t = volatility * terms.years_to_expiry.sqrt();
        let drift = (terms.rate - terms.carry_yield() + 0.5 * volatility * volatility)
            * terms.years_to_expiry;
        let d1 = ((terms.underlying_price / terms.strike).ln() + drift) / sigma_sqrt_t;
        let d2 = d1 - sigma_sqrt_t;
        if !(d1.is_finite() && d2.is_finite()) {
            return Err(MathError::InvalidParameter {
                name: "volatility",
                reason: "with this time to expiry puts d1 or d2 outside double precision",
            });
        }
        let carry_discount = underlying_pv / terms.underlying_price;
        Ok(Self {
            terms,
            volatility,
            d1,
            d2,
            carry_discount,
            underlying_pv,
            strike_pv,
        })
    }

    /// The terms this option was priced on.
    pub fn terms(&self) -> &OptionTerms {
        &self.terms
    }

    /// The volatility it was priced at.
    pub fn volatility(&self) -> f64 {
        self.volatility
    }

    /// `d1` of the formula.
    pub fn d1(&self) -> f64 {
        self.d1
    }

    /// `d2 = d1 − σ√T`.
    pub fn d2(&self) -> f64 {
        self.d2
    }

    /// Option value (quote currency per unit of underlying).
    pub fn price(&self, kind: OptionKind) -> f64 {
        let (long_leg, short_leg) = self.price_legs(kind);
        long_leg - short_leg
    }

    /// The two non-negative terms whose difference is the price: `(S·e^{−qT}·N(d1), K·e^{−rT}·N(d2))` for a
    /// call, `(K·e^{−rT}·N(−d2), S·e^{−qT}·N(−d1))` for a put. Their size bounds the rounding error of the
    /// price.
    pub(super) fn price_legs(&self, kind: OptionKind) -> (f64, f64) {
        match kind {
            OptionKind::Call => (
                self.underlying_pv * normal_cdf(self.d1),
                self.strike_pv * normal_cdf(self.d2),
            ),
            OptionKind::Put => (
                self.strike_pv * normal_cdf(-self.d2),
                self.underlying_pv * normal_cdf(-self.d1),
            ),
        }
    }

    /// `∂V/∂S`: `e^{−qT}·N(d1)` for a call, `e^{−qT}·(N(d1) − 1) = −e^{−qT}·N(−d1)` for a put.
    pub fn delta(&self, kind: OptionKind) -> f64 {
        match kind {
            OptionKind::Call => self.carry_discount * normal_cdf(self.d1),
            OptionKind::Put => -self.carry_discount * normal_cdf(-self.d1),
        }
    }

    /// `∂²V/∂S² = e^{−qT}·φ(d1) / (S·σ·√T)`, the same for calls and puts.
    pub fn gamma(&self) -> f64 {
        let sigma_sqrt_t = self.volatility * self.terms.years_to_expiry.sqrt();
        self.carry_discount * normal_pdf(self.d1) / (self.terms.underlying_price * sigma_sqrt_t)
    }

    /// `∂V/∂σ = S·e^{−qT}·φ(d1)·√T`, per 1.00 of volatility (divide by 100 for one vol point).
    pub fn vega(&self) -> f64 {
        self.underlying_pv * normal_pdf(self.d1) * self.terms.years_to_expiry.sqrt()
    }

    /// `∂V/∂t` per year of calendar time (divide by 365 for one day), the underlying held fixed:
    /// call `−S·e^{−qT}·φ(d1)·σ/(2√T) + q·S·e^{−qT}·N(d1) − r·K·e^{−rT}·N(d2)`,
    /// put `−S·e^{−qT}·φ(d1)·σ/(2√T) − q·S·e^{−qT}·N(−d1) + r·K·e^{−rT}·N(−d2)`.
    pub fn theta_per_year(&self, kind: OptionKind) -> f64 {
        let decay = -self.underlying_pv * normal_pdf(self.d1) * self.volatility
            / (2.0 * self.terms.years_to_expiry.sqrt());
        let (q, r) = (self.terms.carry_yield(), self.terms.rate);
        match kind {
            OptionKind::Call => {
                decay + q * self.underlying_pv * normal_cdf(self.d1)
                    - r * self.strike_pv * normal_cdf(self.d2)
            }
            OptionKind::Put => {
                decay - q * self.underlying_pv * normal_cdf(-self.d1)
                    + r * self.strike_pv * normal_cdf(-self.d2)
            }
        }
    }

    /// `∂V/∂r` per 1.00 of rate (divide by 100 for one percentage point). On spot: call `K·T·e^{−rT}·N(d2)`,
    /// put `−K·T·e^{−rT}·N(−d2)`. On a future the futures price is held fixed, so only discounting moves:
    /// `−T·V` (Black 1976).
    pub fn rho(&self, kind: OptionKind) -> f64 {
        let years = self.terms.years_to_expiry;
        match (self.terms.underlying, kind) {
            (Underlying::Future, _) => -years * self.price(kind),
            (Underlying::Spot { .. }, OptionKind::Call) => {
                years * self.strike_pv * normal_cdf(self.d2)
            }
            (Underlying::Spot { .. }, OptionKind::Put) => {
                -years * self.strike_pv * normal_cdf(-self.d2)
            }
        }
    }

    /// All first-order greeks and gamma at once.
    pub fn greeks(&self, kind: OptionKind) -> Greeks {
        Greeks {
            delta: self.delta(kind),
            gamma: self.gamma(),
            vega: self.vega(),
            theta_per_year: self.theta_per_year(kind),
            rho: self.rho(kind),
        }
    }
}

/// Sensitivities of an option's value, in the units of [`BlackScholes`]'s methods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Greeks {
    /// Per unit of underlying price.
    pub delta: f64,
    /// Delta change per unit of underlying price.
    pub gamma: f64,
    /// Per 1.00 of volatility.
    pub vega: f64,
    /// Per year of calendar time.
    pub theta_per_year: f64,
    /// Per 1.00 of rate.
    pub rho: f64,
}

#[cfg(test)]
mod tests;
