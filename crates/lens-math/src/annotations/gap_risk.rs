//! Gap-risk events of a CPPI backtest (glossary term 14): steps whose fall the cushion could not absorb.

use super::labels::percent;
use super::{Annotation, AnnotationKind, ensure_length, peaks_of_runs, terms};
use crate::cppi::{Cppi, CppiStep};
use crate::error::{MathError, Result};

/// Flags backtest steps whose risky return ate at least `share` of the cushion; consecutive flagged steps
/// become one annotation at the worst.
///
/// # Formula
/// Flag step `t` when `R_t ≤ −share/m`. With `share = 1` this is exactly [`CppiStep::gap_event`]: at `R = −1/m`
/// an uncapped exposure `E = m·C` loses `m·C/m = C`, the whole cushion (Black & Perold 1992; glossary term
/// 14). Severity `R_t/(−share/m)`.
///
/// Default `share = 1`, the textbook gap event. A smaller share also marks near misses (0.5: steps that took
/// half the cushion), for a multiplier the user is still choosing. Markers sit on the portfolio value `V`
/// after the step (the backtest's own line), not on the price.
///
/// ```
/// use lens_math::annotations::{terms, GapRiskEvents};
/// use lens_math::cppi::Cppi;
/// use lens_math::TimeSeries;
/// let day = 86_400_000;
/// // m = 4 survives falls up to 25 %; the third step falls 30 %.
/// let path = TimeSeries::new(vec![0, day, 2 * day, 3 * day], vec![100.0, 101.0, 70.7, 71.0])?;
/// let rule = Cppi::new(4.0, None, 0.0, 0.0)?;
/// let steps = rule.run(&path, 100.0, 80.0)?;
/// let marks = GapRiskEvents::default().detect(&rule, &steps)?;
/// assert_eq!(marks.len(), 1);
/// assert_eq!((marks[0].time_ms, marks[0].term_slug), (2 * day, terms::LEVERAGE_MANAGEMENT_IN_CPPI));
/// assert_eq!(marks[0].label, "gap −30.0 % (cushion gone at −25.0 %), below floor");
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapRiskEvents {
    cushion_share: f64,
}

impl Default for GapRiskEvents {
    fn default() -> Self {
        Self { cushion_share: 1.0 }
    }
}

impl GapRiskEvents {
    /// Flags steps that took at least `cushion_share` (0 < share ≤ 1) of the cushion.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] outside `(0, 1]` (NaN included).
    pub fn new(cushion_share: f64) -> Result<Self> {
        if !(cushion_share > 0.0 && cushion_share <= 1.0) {
            return Err(MathError::InvalidParameter {
                name: "cushion share",
                reason: "must lie in (0, 1]",
            });
        }
        Ok(Self { cushion_share })
    }

    /// Annotations on the portfolio value of `steps`, a backtest of `rule` (its multiplier sets the threshold).
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for fewer than 2 steps (no return yet); [`MathError::Unsorted`] for step
    /// times that do not increase; [`MathError::NotFinite`] for a NaN/∞ return or value.
    pub fn detect(&self, rule: &Cppi, steps: &[CppiStep]) -> Result<Vec<Annotation>> {
        ensure_length(2, steps.len())?;
        if steps.windows(2).any(|w| w[1].time_ms <= w[0].time_ms) {
            return Err(MathError::Unsorted);
        }
        if steps
            .iter()
            .any(|s| !(s.risky_return.is_finite() && s.value.is_finite()))
        {
            return Err(MathError::NotFinite { name: "CPPI step" });
        }
        let threshold = self.cushion_share * rule.gap_threshold();
        let candidates = steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.risky_return <= threshold)
            .map(|(i, step)| (i, (), step.risky_return / threshold));
        Ok(peaks_of_runs(candidates)
            .into_iter()
            .filter_map(|run| {
                let step = steps.get(run.peak)?;
                let floor_note = if step.below_floor {
                    ", below floor"
                } else {
                    ""
                };
                let limit_note = if self.cushion_share < 1.0 {
                    format!(
                        "{} of the cushion at {}",
                        percent(self.cushion_share, 0),
                        percent(threshold, 1)
                    )
                } else {
                    format!("cushion gone at {}", percent(threshold, 1))
                };
                Some(Annotation {
                    time_ms: step.time_ms,
                    value: step.value,
                    kind: AnnotationKind::GapRisk {
                        risky_return: step.risky_return,
                        below_floor: step.below_floor,
                    },
                    label: format!(
                        "gap {} ({limit_note}){floor_note}",
                        percent(step.risky_return, 1)
                    ),
                    term_slug: terms::LEVERAGE_MANAGEMENT_IN_CPPI,
                    severity: run.peak_strength,
                })
            })
            .collect())
    }
}
