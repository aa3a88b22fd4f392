//! Funding extremes: funding prints far from their own recent past, the visible side of a leverage skew
//! (glossary term 3).

use super::labels::{percent, signed};
use super::{Annotation, AnnotationKind, ensure_length, peaks_of_runs, terms};
use crate::error::{MathError, Result};
use crate::funding::FundingRate;
use crate::market::Side;
use crate::series::TimeSeries;
use crate::stats::z_score;

/// Flags funding prints whose z-score against the trailing window reaches the threshold; consecutive flagged
/// prints of the same sign become one annotation at the largest `|z|`.
///
/// # Formula
/// `z_t = (f_t − μ) / s` over the `N` prints before `t` (today excluded, sample sd, n − 1), or over all earlier
/// prints while fewer than `N` exist but at least `N_min` do; flagged when `|z_t| ≥ k`. The z-score does not
/// change when the series is rescaled, so the venue's own rate and its per-8 h equivalent give the same flags.
///
/// Defaults:
/// - `N = 90` intervals: 30 days of 8-hourly funding, the window of the positioning-skew index (glossary
///   term 3). On an hourly venue (Hyperliquid) that is 90 hours.
/// - `N_min = 30`: the relative standard error of a sample sd from n points is about `1/√(2(n − 1))`, 13 % at
///   30 points against 7.5 % at 90, so a z of 2.5 is known to within about ±0.3. Without this warm-up an
///   8-hourly venue with a month of history (90 prints, as in the embedded sample) could never be scored.
/// - `k = 2.5`: between the glossary's "unusual" (2) and "extreme" (3) (terms 6 and 9); Leys et al.,
///   "Detecting outliers", J. Exp. Soc. Psych. 49 (2013) 764–766, after Miller (1991), call 2.5 moderately
///   conservative. A normal variable passes it with probability 1.24 % (two-sided), about once a month of
///   8-hourly prints; funding has fatter tails, so expect more.
///
/// Excluding the current print keeps a spike from diluting its own score (glossary term 9's convention).
/// A window with no spread (constant funding) scores nothing.
///
/// ```
/// use lens_math::annotations::{terms, FundingExtremes};
/// use lens_math::TimeSeries;
/// // 40 ordinary 8-hourly prints around 0.01 %, then 0.05 %.
/// let mut rates: Vec<f64> = (0..40).map(|i| if i % 2 == 0 { 0.00009 } else { 0.00011 }).collect();
/// rates.push(0.0005);
/// let times = (0..41).map(|i| i * 8 * 3_600_000).collect();
/// let funding = TimeSeries::new(times, rates)?;
/// let marks = FundingExtremes::default().detect(&funding, 8.0)?;
/// assert_eq!(marks.len(), 1);
/// assert_eq!((marks[0].time_ms, marks[0].term_slug), (40 * 8 * 3_600_000, terms::LEVERAGE_SKEW));
/// assert!(marks[0].label.starts_with("funding 0.050 %/8h, z"));
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundingExtremes {
    window: usize,
    min_history: usize,
    z_threshold: f64,
}

impl Default for FundingExtremes {
    fn default() -> Self {
        Self {
            window: 90,
            min_history: 30,
            z_threshold: 2.5,
        }
    }
}

impl FundingExtremes {
    /// A trailing `window` of prints, scoring from `min_history` earlier prints on, flagging `|z| ≥ z_threshold`.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `2 ≤ min_history ≤ window` and `z_threshold` is a positive
    /// finite number.
    pub fn new(window: usize, min_history: usize, z_threshold: f64) -> Result<Self> {
        if !(2..=window).contains(&min_history) {
            return Err(MathError::InvalidParameter {
                name: "funding history",
                reason: "needs 2 ≤ minimum history ≤ window",
            });
        }
        if !(z_threshold.is_finite() && z_threshold > 0.0) {
            return Err(MathError::InvalidParameter {
                name: "z threshold",
                reason: "must be a positive finite number",
            });
        }
        Ok(Self {
            window,
            min_history,
            z_threshold,
        })
    }

    /// Annotations on `funding_rate`, a venue's rate per its own `interval_hours` (per 8 h: pass 8). Markers
    /// sit at the print, in the units given; labels show the rate per 8 h.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for an interval that is not a positive number of hours;
    /// [`MathError::NotEnoughData`] for fewer than `min_history + 1` prints; [`MathError::NotFinite`] if a
    /// z-score overflows. (NaN and ∞ cannot reach here: [`TimeSeries::new`] rejects them.)
    pub fn detect(
        &self,
        funding_rate: &TimeSeries,
        interval_hours: f64,
    ) -> Result<Vec<Annotation>> {
        // Validates the interval even for a series too short to score.
        FundingRate::new(0.0, interval_hours)?;
        ensure_length(self.min_history + 1, funding_rate.len())?;
        let rates = funding_rate.values();
        let mut candidates = Vec::new();
        for (i, &rate) in rates.iter().enumerate().skip(self.min_history) {
            let history = rates
                .get(i.saturating_sub(self.window)..i)
                .unwrap_or_default();
            let z = match z_score(rate, history) {
                Ok(z) => z,
                // No spread in the window: nothing is unusual against a constant.
                Err(MathError::InvalidParameter { .. }) => continue,
                Err(other) => return Err(other),
            };
            if z.abs() >= self.z_threshold {
                candidates.push((i, z > 0.0, z.abs()));
            }
        }
        peaks_of_runs(candidates)
            .into_iter()
            .map(|run| {
                let (time_ms, rate) = (funding_rate.times_ms()[run.peak], rates[run.peak]);
                let z = if run.key {
                    run.peak_strength
                } else {
                    -run.peak_strength
                };
                let per_8h = FundingRate::new(rate, interval_hours)?.per_8h();
                Ok(Annotation {
                    time_ms,
                    value: rate,
                    kind: AnnotationKind::FundingExtreme {
                        paying_side: paying_side(rate),
                        z,
                    },
                    label: format!("funding {}/8h, z {}", percent(per_8h, 3), signed(z, 1)),
                    term_slug: terms::LEVERAGE_SKEW,
                    severity: run.peak_strength / self.z_threshold,
                })
            })
            .collect()
    }
}

/// Positive funding: longs pay shorts.
fn paying_side(rate: f64) -> Option<Side> {
    if rate > 0.0 {
        Some(Side::Long)
    } else if rate < 0.0 {
        Some(Side::Short)
    } else {
        None
    }
}
