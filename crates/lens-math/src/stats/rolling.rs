//! Rolling mean, sample standard deviation and z-score over the last N points of a series.
//!
//! All three share one O(n) engine: a sliding Welford update (add the incoming point, drop the outgoing one)
//! that is re-anchored with an exact two-pass computation once every N steps, so rounding error cannot build
//! up over long histories, and also as soon as the window's spread collapses far below a recent peak (a spike
//! leaving the window), where the subtraction would otherwise cancel most digits. A window whose points are all equal is detected exactly and reported with zero
//! spread, rather than with the 1e-18 of noise a sliding update would leave.

use crate::error::{MathError, Result};
use crate::series::TimeSeries;

/// Where the reference window of a z-score sits relative to the point being scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZScoreWindow {
    /// The N points ending at and including the scored point (glossary terms 3 and 6).
    IncludingCurrent,
    /// The N points before the scored point, which is left out of its own yardstick (glossary terms 9, 12, 13).
    ExcludingCurrent,
}

/// Rolling arithmetic mean of the last `window` points.
///
/// # Formula
/// `μ_t = (1/N) Σ_{i=t−N+1..t} x_i`, reported at time t from the first full window on.
///
/// Source: the standard simple moving average (as in ta-rs `SimpleMovingAverage`).
///
/// ```
/// use lens_math::{stats::RollingMean, TimeSeries};
/// let series = TimeSeries::new(vec![10, 20, 30, 40], vec![1.0, 3.0, 5.0, 10.0])?;
/// let means = RollingMean::new(2)?.apply(&series)?;
/// assert_eq!(means.times_ms(), &[20, 30, 40]);
/// assert_eq!(means.values(), &[2.0, 4.0, 7.5]);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingMean {
    window: usize,
}

impl RollingMean {
    /// A mean over the last `window` points.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a zero window.
    pub fn new(window: usize) -> Result<Self> {
        Ok(Self {
            window: check_window(window, 1)?,
        })
    }

    /// Number of points in each window.
    pub fn window(&self) -> usize {
        self.window
    }

    /// One mean per full window, at the time of the window's last point.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] when the series is shorter than the window; [`MathError::NotFinite`] when
    /// values are so large that the mean overflows.
    pub fn apply(&self, series: &TimeSeries) -> Result<TimeSeries> {
        collect_windows(series, self.window, |moments, _| Some(moments.mean))
    }
}

/// Rolling sample standard deviation (divisor N − 1) of the last `window` points.
///
/// # Formula
/// `s_t = √( Σ_{i=t−N+1..t} (x_i − μ_t)² / (N − 1) )`
///
/// Source: sample variance as in the glossary z-scores; sliding update after Welford (1962), "Note on a method
/// for calculating corrected sums of squares and products", *Technometrics* 4(3).
///
/// ```
/// use lens_math::{stats::RollingStd, TimeSeries};
/// let series = TimeSeries::new(vec![1, 2, 3, 4], vec![2.0, 4.0, 4.0, 4.0])?;
/// let spread = RollingStd::new(3)?.apply(&series)?;
/// assert!((spread.values()[0] - (4.0f64 / 3.0).sqrt()).abs() < 1e-15);
/// assert_eq!(spread.values()[1], 0.0); // a flat window has exactly zero spread
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingStd {
    window: usize,
}

impl RollingStd {
    /// A sample standard deviation over the last `window` points.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a window below 2 (a sample deviation needs two points).
    pub fn new(window: usize) -> Result<Self> {
        Ok(Self {
            window: check_window(window, 2)?,
        })
    }

    /// Number of points in each window.
    pub fn window(&self) -> usize {
        self.window
    }

    /// One deviation per full window, at the time of the window's last point.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] when the series is shorter than the window; [`MathError::NotFinite`] on
    /// overflow.
    pub fn apply(&self, series: &TimeSeries) -> Result<TimeSeries> {
        let window = self.window;
        collect_windows(series, window, |moments, _| {
            Some(moments.sample_std(window))
        })
    }
}

/// Rolling z-score: how many sample standard deviations each point lies from the mean of its window.
///
/// # Formula
/// Including the current point: `z_t = (x_t − μ_{t−N+1..t}) / s_{t−N+1..t}`.
/// Excluding it: `z_t = (x_t − μ_{t−N..t−1}) / s_{t−N..t−1}`.
/// μ and s are the window mean and sample standard deviation (N − 1).
///
/// Source: the Leverage Lens glossary — PSI and the leverage-ratio z include today (terms 3 and 6); the
/// funding-extremes, phase and flush z-scores exclude it (terms 9, 12 and 13).
///
/// Points whose window has no spread are left out (the z-score is undefined there); every other output keeps
/// the timestamp of the point it scores.
///
/// ```
/// use lens_math::{stats::RollingZScore, TimeSeries};
/// // Leverage Lens glossary, systemic leverage risk: eight readings, then today's 0.0115 % scores 0.375.
/// let readings = vec![0.010, 0.006, 0.014, 0.010, 0.004, 0.012, 0.016, 0.008, 0.0115];
/// let series = TimeSeries::new((0..9).collect(), readings)?;
/// let z = RollingZScore::excluding_current(8)?.apply(&series)?;
/// assert_eq!(z.times_ms(), &[8]);
/// assert!((z.values()[0] - 0.375).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingZScore {
    window: usize,
    placement: ZScoreWindow,
}

impl RollingZScore {
    /// A z-score against `window` points placed as `placement` says.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a window below 2.
    pub fn new(window: usize, placement: ZScoreWindow) -> Result<Self> {
        Ok(Self {
            window: check_window(window, 2)?,
            placement,
        })
    }

    /// For windows the crate knows to be valid (its documented defaults); `window` must be at least 2.
    pub(crate) const fn from_valid_window(window: usize, placement: ZScoreWindow) -> Self {
        debug_assert!(window >= 2);
        Self { window, placement }
    }

    /// The window ends at and includes the scored point.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a window below 2.
    pub fn including_current(window: usize) -> Result<Self> {
        Self::new(window, ZScoreWindow::IncludingCurrent)
    }

    /// The window is the `window` points before the scored point.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for a window below 2.
    pub fn excluding_current(window: usize) -> Result<Self> {
        Self::new(window, ZScoreWindow::ExcludingCurrent)
    }

    /// Number of points in each window.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Whether the scored point is part of its own window.
    pub fn placement(&self) -> ZScoreWindow {
        self.placement
    }

    /// One z-score per scored point, at that point's time.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] when the series cannot fill one window (plus the scored point when it is
    /// excluded); [`MathError::NotFinite`] on overflow.
    pub fn apply(&self, series: &TimeSeries) -> Result<TimeSeries> {
        let window = self.window;
        let score = |x: f64, moments: WindowMoments| {
            let spread = moments.sample_std(window);
            (!moments.constant && spread > 0.0).then(|| (x - moments.mean) / spread)
        };
        match self.placement {
            ZScoreWindow::IncludingCurrent => {
                collect_windows(series, window, |moments, current| score(current, moments))
            }
            ZScoreWindow::ExcludingCurrent => {
                let needed = window + 1;
                if series.len() < needed {
                    return Err(MathError::NotEnoughData {
                        needed,
                        got: series.len(),
                    });
                }
                let values = series.values();
                let mut times = Vec::with_capacity(series.len() - window);
                let mut out = Vec::with_capacity(series.len() - window);
                let history = values.get(..values.len() - 1).unwrap_or_default();
                slide(history, window, |end, moments| {
                    let next = end + 1;
                    let (Some(&x), Some(&t)) = (values.get(next), series.times_ms().get(next))
                    else {
                        return Ok(());
                    };
                    push_finite(&mut times, &mut out, t, score(x, moments))
                })?;
                Ok(TimeSeries::from_parts_unchecked(times, out))
            }
        }
    }
}

fn check_window(window: usize, minimum: usize) -> Result<usize> {
    if window < minimum {
        let reason = if minimum == 1 {
            "must be at least 1 point"
        } else {
            "must be at least 2 points"
        };
        return Err(MathError::InvalidParameter {
            name: "window",
            reason,
        });
    }
    Ok(window)
}

/// Mean and sum of squared deviations of one window, plus whether all its points are equal.
#[derive(Debug, Clone, Copy)]
struct WindowMoments {
    mean: f64,
    sum_sq_dev: f64,
    constant: bool,
}

impl WindowMoments {
    fn exact(window: &[f64]) -> Self {
        let mean = window.iter().sum::<f64>() / window.len() as f64;
        let sum_sq_dev = window.iter().map(|x| (x - mean) * (x - mean)).sum();
        Self {
            mean,
            sum_sq_dev,
            constant: false,
        }
    }

    fn sample_std(&self, window: usize) -> f64 {
        if self.constant {
            0.0
        } else {
            (self.sum_sq_dev / (window - 1) as f64).sqrt()
        }
    }
}

/// A sliding update loses about `ε · peak / current` of relative precision; below this ratio the window is
/// recomputed exactly (cost O(N), only after a drop of six orders of magnitude in the window's spread).
const CANCELLATION_GUARD: f64 = 1e-6;

/// Calls `visit(end, moments)` for every full window `values[end + 1 − window ..= end]`, oldest first.
fn slide(
    values: &[f64],
    window: usize,
    mut visit: impl FnMut(usize, WindowMoments) -> Result<()>,
) -> Result<()> {
    let Some(first) = values.get(..window).filter(|w| !w.is_empty()) else {
        return Ok(());
    };
    let n = window as f64;
    // Index of the latest point that differs from its predecessor: the window [start, end] is flat exactly
    // when this is ≤ start.
    let mut last_change = first
        .windows(2)
        .rposition(|w| w[1] != w[0])
        .map_or(0, |i| i + 1);
    let mut previous = first.last().copied().unwrap_or_default();
    let mut moments = match first.first() {
        Some(&value) if last_change == 0 => WindowMoments {
            mean: value,
            sum_sq_dev: 0.0,
            constant: true,
        },
        _ => WindowMoments::exact(first),
    };
    // Largest sum of squares seen since the last exact computation: when the sliding sum falls far below it,
    // a big point has just left and the update has cancelled most of its own digits.
    let mut peak_sum_sq_dev = moments.sum_sq_dev;
    visit(window - 1, moments)?;
    for (start, (&outgoing, &incoming)) in (1..).zip(values.iter().zip(values.iter().skip(window)))
    {
        let end = start + window - 1;
        if incoming != previous {
            last_change = end;
        }
        previous = incoming;
        if last_change <= start {
            moments = WindowMoments {
                mean: incoming,
                sum_sq_dev: 0.0,
                constant: true,
            };
            peak_sum_sq_dev = 0.0;
            visit(end, moments)?;
            continue;
        }
        let mean = moments.mean + (incoming - outgoing) / n;
        let update = (incoming - outgoing) * (incoming - mean + outgoing - moments.mean);
        let mut sum_sq_dev = moments.sum_sq_dev + update;
        // Cancellation can push a tiny true sum a hair below zero (a NaN from overflow is kept, not clamped).
        if sum_sq_dev < 0.0 {
            sum_sq_dev = 0.0;
        }
        let sliding = WindowMoments {
            mean,
            sum_sq_dev,
            constant: false,
        };
        let overflowed = !(mean.is_finite() && sum_sq_dev.is_finite());
        let due =
            start % window == 0 || overflowed || sum_sq_dev < peak_sum_sq_dev * CANCELLATION_GUARD;
        moments = match values.get(start..=end) {
            Some(current) if due => WindowMoments::exact(current),
            _ => sliding,
        };
        peak_sum_sq_dev = if due {
            moments.sum_sq_dev
        } else {
            peak_sum_sq_dev.max(moments.sum_sq_dev)
        };
        visit(end, moments)?;
    }
    Ok(())
}

/// Runs `compute(moments, current value)` on every full window of `series`, stamping each result with the
/// time of the window's last point; `None` results are left out.
fn collect_windows(
    series: &TimeSeries,
    window: usize,
    mut compute: impl FnMut(WindowMoments, f64) -> Option<f64>,
) -> Result<TimeSeries> {
    if series.len() < window {
        return Err(MathError::NotEnoughData {
            needed: window,
            got: series.len(),
        });
    }
    let capacity = series.len() + 1 - window;
    let (mut times, mut out) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
    slide(series.values(), window, |end, moments| {
        let (Some(&t), Some(&x)) = (series.times_ms().get(end), series.values().get(end)) else {
            return Ok(());
        };
        push_finite(&mut times, &mut out, t, compute(moments, x))
    })?;
    Ok(TimeSeries::from_parts_unchecked(times, out))
}

fn push_finite(
    times: &mut Vec<i64>,
    out: &mut Vec<f64>,
    time_ms: i64,
    value: Option<f64>,
) -> Result<()> {
    match value {
        None => Ok(()),
        Some(v) if v.is_finite() => {
            times.push(time_ms);
            out.push(v);
            Ok(())
        }
        Some(_) => Err(MathError::NotFinite {
            name: "rolling statistic (values too large)",
        }),
    }
}

#[cfg(test)]
mod tests;
