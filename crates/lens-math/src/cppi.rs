//! Constant-proportion portfolio insurance (Perold 1986; Black & Jones 1987; Black & Perold, "Theory of
//! constant proportion portfolio insurance", JEDC 16, 1992): risky exposure is a multiple of the cushion above a
//! floor, capped at a multiple of portfolio value, so the strategy adds leverage after gains and sells after
//! losses. A backtest runs the rule on a price path; gap events mark single steps that can breach the floor.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::series::TimeSeries;

/// Milliseconds in a 365-day year, the time unit of the reserve rate.
use crate::series::YEAR_MS;

/// One CPPI allocation: cushion, exposure to the risky asset and reserve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CppiAllocation {
    /// `C = V − F`; negative after a gap.
    pub cushion: f64,
    /// `E = min(m·max(C, 0), λ·V)`, never negative.
    pub exposure: f64,
    /// `value − exposure`; negative when the strategy borrows.
    pub reserve: f64,
}

/// One step of a backtest, at the time of the price it used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CppiStep {
    /// Time of the price this step used.
    pub time_ms: i64,
    /// Risky asset price.
    pub price: f64,
    /// Risky return since the previous step (0 at the first step).
    pub risky_return: f64,
    /// Portfolio value `V`.
    pub value: f64,
    /// Floor `F_t = F₀·exp(r·t)`.
    pub floor: f64,
    /// `C = V − F`.
    pub cushion: f64,
    /// Risky exposure held after this step's rebalancing decision.
    pub exposure: f64,
    /// `B = V − E`; negative when borrowing.
    pub reserve: f64,
    /// `exposure / value` (0 once value is not positive): above 1 the strategy is levered.
    pub exposure_ratio: f64,
    /// Risky asset bought (positive) or sold (negative) at this step.
    pub trade: f64,
    /// Whether the exposure was reset to the rule's target at this step.
    pub rebalanced: bool,
    /// The step's return was at or below `−1/m`, the largest fall the cushion survives.
    pub gap_event: bool,
    /// Value ended below the floor.
    pub below_floor: bool,
}

/// A CPPI rule: multiplier, optional exposure cap, reserve rate and rebalancing tolerance.
///
/// # Formula
/// `F_t = F₀·exp(r·t)`, `C = V − F`, `E = min(m·max(C, 0), λ·V)` (floored at 0), `B = V − E`;
/// between steps `V′ = E·(1 + R) + B·(1 + r·Δt)` with `t`, `Δt` in years of 365 days; a gap event when
/// `R ≤ −1/m`. Rebalancing happens at every step when the tolerance is 0, otherwise only when
/// `|E_held − E_target| > tolerance × V`. Source: Black & Perold (1992); glossary term 14.
///
/// ```
/// use lens_math::cppi::Cppi;
/// // CFA-style example: V 10 M, F 8.5 M, m 3, no cap.
/// let a = Cppi::new(3.0, None, 0.0, 0.0)?.allocate(10e6, 8.5e6)?;
/// assert_eq!((a.cushion, a.exposure, a.reserve), (1.5e6, 4.5e6, 5.5e6));
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cppi {
    multiplier: f64,
    leverage_cap: Option<f64>,
    reserve_rate_per_year: f64,
    rebalance_tolerance: f64,
}

impl Cppi {
    /// `multiplier ≥ 1`; `leverage_cap` λ > 0 or `None` for no cap (λ = 1 means no borrowing); the reserve's
    /// continuously compounded rate per year; tolerance ≥ 0 as a fraction of portfolio value.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] outside those ranges; [`MathError::NotFinite`] for a NaN/∞ rate.
    pub fn new(
        multiplier: f64,
        leverage_cap: Option<f64>,
        reserve_rate_per_year: f64,
        rebalance_tolerance: f64,
    ) -> Result<Self> {
        if !(multiplier.is_finite() && multiplier >= 1.0) {
            return Err(MathError::InvalidParameter {
                name: "multiplier",
                reason: "must be a finite number ≥ 1",
            });
        }
        if let Some(cap) = leverage_cap {
            ensure_positive("leverage cap", cap)?;
        }
        ensure_finite("reserve rate", reserve_rate_per_year)?;
        if !(rebalance_tolerance.is_finite() && rebalance_tolerance >= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "rebalance tolerance",
                reason: "must be finite and ≥ 0",
            });
        }
        Ok(Self {
            multiplier,
            leverage_cap,
            reserve_rate_per_year,
            rebalance_tolerance,
        })
    }

    /// `m`.
    pub fn multiplier(&self) -> f64 {
        self.multiplier
    }

    /// `−1/m`: a one-step risky return at or below this wipes out the whole cushion of an uncapped portfolio.
    pub fn gap_threshold(&self) -> f64 {
        -1.0 / self.multiplier
    }

    fn target(&self, value: f64, floor: f64) -> CppiAllocation {
        let cushion = value - floor;
        let uncapped = self.multiplier * cushion.max(0.0);
        let capped = self
            .leverage_cap
            .map_or(uncapped, |cap| uncapped.min(cap * value));
        let exposure = capped.max(0.0);
        CppiAllocation {
            cushion,
            exposure,
            reserve: value - exposure,
        }
    }

    /// The rule's allocation of `value` above `floor`.
    ///
    /// # Errors
    /// [`MathError::NotFinite`] for NaN/∞ inputs.
    pub fn allocate(&self, value: f64, floor: f64) -> Result<CppiAllocation> {
        Ok(self.target(
            ensure_finite("value", value)?,
            ensure_finite("floor", floor)?,
        ))
    }

    /// Backtests the rule on `prices`, starting with `initial_value` above `initial_floor` at the first point.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for an empty path; [`MathError::InvalidParameter`] for a price that is not
    /// positive, an initial value that is not positive or a negative or non-finite floor.
    ///
    /// ```
    /// use lens_math::cppi::Cppi;
    /// use lens_math::series::TimeSeries;
    /// let path = TimeSeries::new(vec![0, 86_400_000], vec![100.0, 90.0])?;
    /// let steps = Cppi::new(3.0, None, 0.0, 0.0)?.run(&path, 10e6, 8.5e6)?;
    /// assert!((steps[1].value - 9.55e6).abs() < 1e-6);
    /// assert!((steps[1].trade + 0.9e6).abs() < 1e-6); // sells 0.9 M after a 10 % fall
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn run(
        &self,
        prices: &TimeSeries,
        initial_value: f64,
        initial_floor: f64,
    ) -> Result<Vec<CppiStep>> {
        let Some((t0, p0)) = prices.first() else {
            return Err(MathError::NotEnoughData { needed: 1, got: 0 });
        };
        if prices.values().iter().any(|&p| p <= 0.0) {
            return Err(MathError::InvalidParameter {
                name: "price",
                reason: "must be positive",
            });
        }
        ensure_positive("initial value", initial_value)?;
        ensure_finite("initial floor", initial_floor)?;
        if initial_floor < 0.0 {
            return Err(MathError::InvalidParameter {
                name: "initial floor",
                reason: "must not be negative",
            });
        }
        let r = self.reserve_rate_per_year;
        let start = self.target(initial_value, initial_floor);
        let mut steps = Vec::with_capacity(prices.len());
        steps.push(self.step(
            t0,
            p0,
            0.0,
            initial_value,
            initial_floor,
            start,
            start.exposure,
            true,
        ));
        let (mut prev_time, mut prev_price) = (t0, p0);
        let (mut exposure, mut reserve) = (start.exposure, start.reserve);
        for (time_ms, price) in prices.iter().skip(1) {
            let risky_return = price / prev_price - 1.0;
            let dt_years = time_ms.abs_diff(prev_time) as f64 / YEAR_MS;
            let held = exposure * (1.0 + risky_return);
            let grown_reserve = reserve * (1.0 + r * dt_years);
            let value = held + grown_reserve;
            let floor = initial_floor * (r * time_ms.abs_diff(t0) as f64 / YEAR_MS).exp();
            let target = self.target(value, floor);
            let rebalance = self.rebalance_tolerance == 0.0
                || (held - target.exposure).abs() > self.rebalance_tolerance * value.abs();
            let allocation = if rebalance {
                target
            } else {
                CppiAllocation {
                    cushion: target.cushion,
                    exposure: held,
                    reserve: grown_reserve,
                }
            };
            let trade = allocation.exposure - held;
            steps.push(self.step(
                time_ms,
                price,
                risky_return,
                value,
                floor,
                allocation,
                trade,
                rebalance,
            ));
            (exposure, reserve) = (allocation.exposure, allocation.reserve);
            (prev_time, prev_price) = (time_ms, price);
        }
        Ok(steps)
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        time_ms: i64,
        price: f64,
        risky_return: f64,
        value: f64,
        floor: f64,
        allocation: CppiAllocation,
        trade: f64,
        rebalanced: bool,
    ) -> CppiStep {
        CppiStep {
            time_ms,
            price,
            risky_return,
            value,
            floor,
            cushion: allocation.cushion,
            exposure: allocation.exposure,
            reserve: allocation.reserve,
            exposure_ratio: if value > 0.0 {
                allocation.exposure / value
            } else {
                0.0
            },
            trade,
            rebalanced,
            gap_event: risky_return <= self.gap_threshold(),
            below_floor: value < floor,
        }
    }
}

/// The cushion under continuous rebalancing, uncapped, with the risky price following geometric Brownian motion.
///
/// # Formula
/// `C_t = C₀·(S_t/S₀)^m·exp{[r − m(r − σ²/2) − m²σ²/2]·t}` (Itô on `dC/C = m·dS/S − r(m − 1)dt`; methods
/// notes §3.12, glossary term 14). Positive whenever `C₀` is: continuous CPPI never breaches its floor.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a price ratio or multiplier that is not positive, negative volatility
/// or time; [`MathError::NotFinite`] for NaN/∞.
///
/// ```
/// use lens_math::cppi::continuous_cushion;
/// // No volatility and no rate: the cushion scales with the price ratio to the power m.
/// assert!((continuous_cushion(20.0, 1.1, 4.0, 0.0, 0.0, 1.0)? - 20.0 * 1.1f64.powi(4)).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn continuous_cushion(
    initial_cushion: f64,
    price_ratio: f64,
    multiplier: f64,
    reserve_rate_per_year: f64,
    volatility_per_sqrt_year: f64,
    years: f64,
) -> Result<f64> {
    let c0 = ensure_finite("initial cushion", initial_cushion)?;
    let ratio = ensure_positive("price ratio", price_ratio)?;
    let m = ensure_positive("multiplier", multiplier)?;
    let r = ensure_finite("reserve rate", reserve_rate_per_year)?;
    let sigma = ensure_finite("volatility", volatility_per_sqrt_year)?;
    let t = ensure_finite("years", years)?;
    if sigma < 0.0 || t < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "volatility or years",
            reason: "must not be negative",
        });
    }
    let var = sigma * sigma;
    Ok(c0 * ratio.powf(m) * ((r - m * (r - var / 2.0) - m * m * var / 2.0) * t).exp())
}

#[cfg(test)]
mod tests;
