//! Leverage-cycle phases on daily data: build-ups (leverage added over weeks), flushes (removed within days)
//! and, market-wide, an elevated level against the past year. Glossary terms 11 and 12.

use crate::error::{MathError, Result, ensure_finite};
use crate::series::{DAY_MS, TimeSeries};

/// Phase of one coin's leverage cycle (term 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OiRegime {
    /// Coin OI fell at least 10 % in 7 days.
    Flush,
    /// Coin OI rose at least 15 % in 30 days.
    BuildUp,
    /// Neither.
    Neutral,
}

/// Phase of the market-wide cycle (term 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemicPhase {
    /// The ratio fell at least 10 % in 7 days.
    Deleveraging,
    /// The ratio rose at least 15 % in 30 days.
    BuildUp,
    /// The ratio sits at least 1.5 standard deviations above its past year.
    Elevated,
    /// None of the above.
    Neutral,
}

/// One day of [`RegimeRule::classify`]; `None` where history is too short to decide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimePoint {
    /// Day of the point.
    pub time_ms: i64,
    /// Relative change over the short (flush) window.
    pub short_change: Option<f64>,
    /// Relative change over the long (build-up) window.
    pub long_change: Option<f64>,
    /// The regime, or `None` where the needed history is missing.
    pub regime: Option<OiRegime>,
}

/// One day of [`SystemicPhaseRule::classify`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhasePoint {
    /// Day of the point.
    pub time_ms: i64,
    /// Relative change over the short (deleveraging) window.
    pub short_change: Option<f64>,
    /// Relative change over the long (build-up) window.
    pub long_change: Option<f64>,
    /// z-score against the lookback, today excluded.
    pub z: Option<f64>,
    /// The phase, or `None` where the needed history is missing.
    pub phase: Option<SystemicPhase>,
}

/// The flush / build-up / neutral rule on a daily series of coin open interest.
///
/// # Formula
/// `g⁽ʷ⁾_t = X_t / X_{t−w days} − 1` (value as of `t − w` days); flush if `g⁽⁷⁾ ≤ −10 %`, else build-up if
/// `g⁽³⁰⁾ ≥ +15 %`, else neutral. Coin units, so price moves alone do not look like positioning. Source:
/// glossary term 11 (the windows and thresholds are conventions; `Default` holds them).
///
/// ```
/// use lens_math::cycles::{OiRegime, RegimeRule};
/// use lens_math::series::{TimeSeries, DAY_MS};
/// let oi = TimeSeries::new(vec![0, 23 * DAY_MS, 30 * DAY_MS], vec![80_000.0, 90_000.0, 93_000.0])?;
/// let points = RegimeRule::default().classify(&oi)?;
/// assert_eq!(points[2].regime, Some(OiRegime::BuildUp)); // +16.25 % over 30 days
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimeRule {
    short_window_ms: i64,
    short_threshold: f64,
    long_window_ms: i64,
    long_threshold: f64,
}

impl Default for RegimeRule {
    fn default() -> Self {
        Self {
            short_window_ms: 7 * DAY_MS,
            short_threshold: -0.10,
            long_window_ms: 30 * DAY_MS,
            long_threshold: 0.15,
        }
    }
}

impl RegimeRule {
    /// Windows in days (1 to 3,650) and thresholds: the flush threshold must be negative, the build-up positive.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] outside those ranges; [`MathError::NotFinite`] for NaN/∞ thresholds.
    pub fn new(
        flush_window_days: u32,
        flush_threshold: f64,
        build_up_window_days: u32,
        build_up_threshold: f64,
    ) -> Result<Self> {
        let window = |days: u32| {
            if (1..=3_650).contains(&days) {
                Ok(i64::from(days) * DAY_MS)
            } else {
                Err(MathError::InvalidParameter {
                    name: "window",
                    reason: "must be 1 to 3,650 days",
                })
            }
        };
        ensure_finite("flush threshold", flush_threshold)?;
        ensure_finite("build-up threshold", build_up_threshold)?;
        if flush_threshold >= 0.0 || build_up_threshold <= 0.0 {
            return Err(MathError::InvalidParameter {
                name: "thresholds",
                reason: "flush must be < 0, build-up > 0",
            });
        }
        Ok(Self {
            short_window_ms: window(flush_window_days)?,
            short_threshold: flush_threshold,
            long_window_ms: window(build_up_window_days)?,
            long_threshold: build_up_threshold,
        })
    }

    /// Classifies every day of `series` (coin OI, or any positive level such as OI ÷ market cap).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a negative value.
    pub fn classify(&self, series: &TimeSeries) -> Result<Vec<RegimePoint>> {
        if series.values().iter().any(|&v| v < 0.0) {
            return Err(MathError::InvalidParameter {
                name: "series",
                reason: "must not be negative",
            });
        }
        Ok(series
            .iter()
            .map(|(time_ms, value)| {
                let short_change = change_since(series, time_ms, value, self.short_window_ms);
                let long_change = change_since(series, time_ms, value, self.long_window_ms);
                RegimePoint {
                    time_ms,
                    short_change,
                    long_change,
                    regime: self.regime(short_change, long_change),
                }
            })
            .collect())
    }

    fn regime(&self, short_change: Option<f64>, long_change: Option<f64>) -> Option<OiRegime> {
        if short_change? <= self.short_threshold {
            Some(OiRegime::Flush)
        } else if long_change? >= self.long_threshold {
            Some(OiRegime::BuildUp)
        } else {
            Some(OiRegime::Neutral)
        }
    }
}

/// `value / X(as of t − window) − 1`; `None` before the series covers the window or from a zero base.
fn change_since(series: &TimeSeries, time_ms: i64, value: f64, window_ms: i64) -> Option<f64> {
    let base = series.value_as_of(time_ms.checked_sub(window_ms)?)?;
    (base > 0.0).then(|| value / base - 1.0)
}

/// Market-wide leverage ratio: total one-side open interest ÷ total market capitalisation, both USD.
///
/// # Formula
/// `R = Σ_v Σ_a OI_{v,a} / Σ_a MC_a` (glossary term 12; Glassnode's futures-OI-to-market-cap gauge).
///
/// # Errors
/// [`MathError::NotEnoughData`] with no market cap; [`MathError::InvalidParameter`] for negative values or a
/// total market cap that is not positive; [`MathError::NotFinite`] for NaN/∞.
///
/// ```
/// use lens_math::cycles::aggregate_leverage_ratio;
/// // Four venues with 18, 9, 6 and 3 bn of BTC OI against a 1,200 bn market cap: 3 %.
/// assert!((aggregate_leverage_ratio(&[18.0, 9.0, 6.0, 3.0], &[1_200.0])? - 0.03).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn aggregate_leverage_ratio(open_interest_usd: &[f64], market_caps_usd: &[f64]) -> Result<f64> {
    if market_caps_usd.is_empty() {
        return Err(MathError::NotEnoughData { needed: 1, got: 0 });
    }
    let mut sums = [0.0f64; 2];
    for (sum, values) in sums.iter_mut().zip([open_interest_usd, market_caps_usd]) {
        for &v in values {
            if ensure_finite("open interest or market cap", v)? < 0.0 {
                return Err(MathError::InvalidParameter {
                    name: "open interest or market cap",
                    reason: "must not be negative",
                });
            }
            *sum += v;
        }
    }
    if !(sums[1] > 0.0 && sums[0].is_finite() && sums[1].is_finite()) {
        return Err(MathError::InvalidParameter {
            name: "market cap",
            reason: "total must be positive and finite",
        });
    }
    Ok(sums[0] / sums[1])
}

/// The systemic phase rule: the regime rule on the market-wide ratio plus an "elevated" level test.
///
/// # Formula
/// Deleveraging if `g⁽⁷⁾ ≤ −10 %`; else build-up if `g⁽³⁰⁾ ≥ +15 %`; else elevated if
/// `z = (R_t − μ)/σ ≥ 1.5`, with μ and the sample σ of the values in `[t − 365 d, t)` (today excluded); else
/// neutral. A z-score needs at least `min_lookback_points` values (default 30) and σ > 0. Source: glossary
/// term 12.
///
/// ```
/// use lens_math::cycles::{SystemicPhase, SystemicPhaseRule};
/// use lens_math::series::{TimeSeries, DAY_MS};
/// let ratio = TimeSeries::new(vec![0, 30 * DAY_MS, 37 * DAY_MS], vec![0.025, 0.030, 0.0255])?;
/// let phases = SystemicPhaseRule::default().classify(&ratio)?;
/// assert_eq!(phases[1].phase, Some(SystemicPhase::BuildUp));      // +20 % over 30 days
/// assert_eq!(phases[2].phase, Some(SystemicPhase::Deleveraging)); // −15 % over 7 days
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemicPhaseRule {
    changes: RegimeRule,
    lookback_ms: i64,
    elevated_z: f64,
    min_lookback_points: usize,
}

impl Default for SystemicPhaseRule {
    fn default() -> Self {
        Self {
            changes: RegimeRule::default(),
            lookback_ms: 365 * DAY_MS,
            elevated_z: 1.5,
            min_lookback_points: 30,
        }
    }
}

impl SystemicPhaseRule {
    /// The change rule, the z lookback in days (1 to 3,650), the elevated threshold and the fewest past values
    /// a z-score may rest on (at least 2).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] outside those ranges; [`MathError::NotFinite`] for a NaN/∞ threshold.
    pub fn new(
        changes: RegimeRule,
        lookback_days: u32,
        elevated_z: f64,
        min_lookback_points: usize,
    ) -> Result<Self> {
        if !(1..=3_650).contains(&lookback_days) {
            return Err(MathError::InvalidParameter {
                name: "lookback",
                reason: "must be 1 to 3,650 days",
            });
        }
        ensure_finite("elevated z", elevated_z)?;
        if min_lookback_points < 2 {
            return Err(MathError::InvalidParameter {
                name: "minimum lookback points",
                reason: "must be at least 2",
            });
        }
        Ok(Self {
            changes,
            lookback_ms: i64::from(lookback_days) * DAY_MS,
            elevated_z,
            min_lookback_points,
        })
    }

    /// Classifies every day of the ratio series.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a negative value.
    pub fn classify(&self, ratio: &TimeSeries) -> Result<Vec<PhasePoint>> {
        let regimes = self.changes.classify(ratio)?;
        let z_scores = self.trailing_z_scores(ratio);
        Ok(regimes
            .into_iter()
            .zip(z_scores)
            .map(|(point, z)| {
                let phase = match point.regime {
                    None => None,
                    Some(OiRegime::Flush) => Some(SystemicPhase::Deleveraging),
                    Some(OiRegime::BuildUp) => Some(SystemicPhase::BuildUp),
                    Some(OiRegime::Neutral) => z.map(|z| {
                        if z >= self.elevated_z {
                            SystemicPhase::Elevated
                        } else {
                            SystemicPhase::Neutral
                        }
                    }),
                };
                PhasePoint {
                    time_ms: point.time_ms,
                    short_change: point.short_change,
                    long_change: point.long_change,
                    z,
                    phase,
                }
            })
            .collect())
    }

    /// z of each value against the values in `[t − lookback, t)`, in one pass with a sliding window of sums
    /// (shifted by the first value, which keeps the subtraction in the variance well conditioned).
    fn trailing_z_scores(&self, series: &TimeSeries) -> Vec<Option<f64>> {
        let (times, values) = (series.times_ms(), series.values());
        let shift = values.first().copied().unwrap_or(0.0);
        let (mut sum, mut sum_sq, mut start) = (0.0f64, 0.0f64, 0usize);
        let mut out = Vec::with_capacity(values.len());
        for (end, (&t, &x)) in times.iter().zip(values).enumerate() {
            let from = t.saturating_sub(self.lookback_ms);
            while start < end && times.get(start).is_some_and(|&s| s < from) {
                let d = values.get(start).map_or(0.0, |v| v - shift);
                (sum, sum_sq) = (sum - d, sum_sq - d * d);
                start += 1;
            }
            let n = end - start;
            let z = (n >= self.min_lookback_points).then(|| {
                let n = n as f64;
                let mean = sum / n;
                let var = ((sum_sq - sum * mean) / (n - 1.0)).max(0.0);
                let sd = var.sqrt();
                // A flat history has no spread to measure against.
                (sd > 1e-12 * (mean + shift).abs().max(f64::MIN_POSITIVE))
                    .then(|| (x - shift - mean) / sd)
            });
            out.push(z.flatten());
            let d = x - shift;
            (sum, sum_sq) = (sum + d, sum_sq + d * d);
        }
        out
    }
}

#[cfg(test)]
mod tests;
