//! Implied volatility: the σ at which Black–Scholes (or Black-76) reproduces a given option price.

use super::pricing::{BlackScholes, OptionTerms};
use crate::error::{MathError, Result, ensure_finite};
use crate::market::OptionKind;

/// Lowest volatility the solver searches (decimal per √year).
pub const MIN_IMPLIED_VOLATILITY: f64 = 1e-6;
/// Highest volatility the solver searches: 1,000 %, far above anything crypto options have traded at.
pub const MAX_IMPLIED_VOLATILITY: f64 = 10.0;

/// Enough for bisection alone to shrink [1e-6, 10] below double precision; safeguarded Newton needs far fewer.
const MAX_ITERATIONS: usize = 200;

/// Prices below this sit at the bottom of double precision: a far out-of-the-money option worth 1e-300 prices
/// the same at volatilities a few percent apart, so no volatility can be recovered from it.
const MIN_PRICE: f64 = 1e-290;

/// The volatility that prices the option at `price`.
///
/// # Formula
/// Solves `BS(σ) = price` for σ ∈ [[`MIN_IMPLIED_VOLATILITY`], [`MAX_IMPLIED_VOLATILITY`]]. The price is
/// first checked against the no-arbitrage bounds `max(0, S·e^{−qT} − K·e^{−rT}) ≤ C < S·e^{−qT}` and
/// `max(0, K·e^{−rT} − S·e^{−qT}) ≤ P < K·e^{−rT}` (Merton 1973), then found by Newton's method on vega,
/// safeguarded by bisection: a Newton step that would leave the bracket, or that shrinks it more slowly than
/// halving, is replaced by a bisection step ("rtsafe" in Press et al., *Numerical Recipes*, "Newton-Raphson
/// Method Using Derivative").
/// Since the price rises strictly with σ, the root is unique and the bracket always holds it. The search
/// starts at `√(2·|ln(F/K)|/T)`, the inflection point of the price in σ (Manaster & Koehler 1982), kept
/// within 10 %..500 %.
///
/// # Errors
/// [`MathError::NotFinite`] for a NaN/∞ price; [`MathError::InvalidParameter`] for bad terms, a price below
/// the lower bound or at/above the upper bound, or one that needs a volatility outside the search range;
/// [`MathError::NoConvergence`] if the iteration budget runs out (not seen in testing).
///
/// ```
/// use lens_math::market::OptionKind;
/// use lens_math::options::{implied_volatility, OptionTerms, Underlying};
/// // Hull's call (S 42, K 40, r 10 %, T 0.5) is worth 4.759422392871533 at σ = 20 %.
/// let terms = OptionTerms {
///     underlying_price: 42.0,
///     strike: 40.0,
///     years_to_expiry: 0.5,
///     rate: 0.10,
///     underlying: Underlying::Spot { dividend_yield: 0.0 },
/// };
/// let sigma = implied_volatility(terms, OptionKind::Call, 4.759_422_392_871_533)?;
/// assert!((sigma - 0.20).abs() < 1e-12);
/// assert!(implied_volatility(terms, OptionKind::Call, 1.0).is_err()); // below intrinsic value
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn implied_volatility(terms: OptionTerms, kind: OptionKind, price: f64) -> Result<f64> {
    let target = ensure_finite("option price", price)?;
    let (underlying_pv, strike_pv) = terms.present_values()?;
    let (lower_bound, upper_bound) = match kind {
        OptionKind::Call => ((underlying_pv - strike_pv).max(0.0), underlying_pv),
        OptionKind::Put => ((strike_pv - underlying_pv).max(0.0), strike_pv),
    };
    // A price a few ulps under the bound is the bound itself computed another way (e.g. by this crate's
    // pricer, whose legs are subtracted), so only a gap beyond rounding counts as an arbitrage.
    let rounding = 8.0 * f64::EPSILON * (underlying_pv + strike_pv);
    if target < lower_bound - rounding {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "is below the no-arbitrage lower bound (discounted intrinsic value)",
        });
    }
    if target <= lower_bound {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "has no time value above its discounted intrinsic value to imply a volatility from",
        });
    }
    if target >= upper_bound {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "is at or above the no-arbitrage upper bound",
        });
    }
    if target < MIN_PRICE {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "is too close to zero for double precision to tell volatilities apart",
        });
    }

    // f(σ) = BS(σ) − price, increasing in σ, with its derivative vega.
    let objective = |sigma: f64| -> Result<(f64, f64)> {
        let option = BlackScholes::new(terms, sigma)?;
        Ok((option.price(kind) - target, option.vega()))
    };
    // Endpoints that already price at or past the target mean the root lies outside the search range.
    if objective(MIN_IMPLIED_VOLATILITY)?.0 >= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "implies a volatility below 1e-6",
        });
    }
    if objective(MAX_IMPLIED_VOLATILITY)?.0 <= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "option price",
            reason: "implies a volatility above 1,000 %",
        });
    }

    let (mut below, mut above) = (MIN_IMPLIED_VOLATILITY, MAX_IMPLIED_VOLATILITY);
    let log_moneyness = (underlying_pv / strike_pv).ln();
    let mut sigma = (2.0 * log_moneyness.abs() / terms.years_to_expiry)
        .sqrt()
        .clamp(0.1, 5.0);
    let mut step_before_last = above - below;
    let mut last_step = step_before_last;
    let (mut f, mut vega) = objective(sigma)?;
    for _ in 0..MAX_ITERATIONS {
        if f == 0.0 {
            return Ok(sigma);
        }
        if f < 0.0 {
            below = sigma;
        } else {
            above = sigma;
        }
        let newton_leaves_bracket =
            ((sigma - above) * vega - f) * ((sigma - below) * vega - f) > 0.0;
        let newton_too_slow = (2.0 * f).abs() > (step_before_last * vega).abs();
        step_before_last = last_step;
        let previous = sigma;
        if newton_leaves_bracket || newton_too_slow || vega <= 0.0 {
            last_step = 0.5 * (above - below);
            sigma = below + last_step;
        } else {
            last_step = f / vega;
            sigma -= last_step;
        }
        if (sigma - previous).abs() <= 4.0 * f64::EPSILON * sigma
            || above - below <= 4.0 * f64::EPSILON * above
        {
            return Ok(sigma);
        }
        (f, vega) = objective(sigma)?;
    }
    Err(MathError::NoConvergence {
        what: "implied volatility",
    })
}

#[cfg(test)]
mod tests;
