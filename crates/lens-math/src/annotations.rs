//! Chart annotations: markers on notable events, each labelled and linked to the glossary term that explains it.
//! The detectors live here so the chart only draws what it is given.
//!
//! | kind | detector | placed at (y value, units) | glossary term | severity (≥ 1 at the threshold) |
//! |---|---|---|---|---|
//! | [`AnnotationKind::FundingExtreme`] | [`FundingExtremes`] | the funding print, in the units of the series given | [`terms::LEVERAGE_SKEW`] | `|z| / z threshold` |
//! | [`AnnotationKind::OiFlush`] | [`OiFlushes`] (wraps [`crate::cycles::FlushDetector`]) | open interest in coin units | [`terms::LEVERAGE_DELEVERAGING_CYCLES`] | `|z| / k` |
//! | [`AnnotationKind::LiquidationBurst`] | [`LiquidationBursts`] | liquidated USD in the bar | [`terms::LEVERAGE_AND_LIQUIDATION_RISKS`], or [`terms::LEVERAGE_DELEVERAGING_SPIRAL`] for a run of burst bars | `1 + log₂(USD / threshold)` |
//! | [`AnnotationKind::GapRisk`] | [`GapRiskEvents`] (reads [`crate::cppi::CppiStep::risky_return`]) | CPPI portfolio value | [`terms::LEVERAGE_MANAGEMENT_IN_CPPI`] | `R / (−share/m)` |
//!
//! Every detector returns its annotations in time order, at timestamps taken from its input, one per run of
//! consecutive flagged points (placed at the run's peak), so one event is one marker. [`AnnotationLimit`] then
//! keeps the most severe few across all kinds, so a chart never drowns in markers.
//!
//! Severity puts different kinds on one scale: how many times its own threshold the event's statistic is.
//! Liquidated USD is heavy-tailed (the month's worst hour in the sample is hundreds of times an ordinary
//! one), so bursts count doublings instead; otherwise one cascade would outrank every other kind by a
//! factor of a hundred and the limit would keep nothing else.

mod funding_extremes;
mod gap_risk;
mod labels;
mod liquidation_bursts;
mod oi_flushes;

pub use funding_extremes::FundingExtremes;
pub use gap_risk::GapRiskEvents;
pub use liquidation_bursts::{BarLiquidations, LiquidationBursts, liquidations_per_bar};
pub use oi_flushes::OiFlushes;

use crate::error::{MathError, Result};
use crate::market::Side;
use crate::series::TimeSeries;

/// Slugs of the glossary pages the annotations link to (a funding spike links to Leverage Skew, an OI flush to
/// Leverage Deleveraging Cycles, and so on); the app's glossary test checks that each slug is a term.
pub mod terms {
    /// Term 3: funding extremes are the visible side of a skew in leverage.
    pub const LEVERAGE_SKEW: &str = "leverage-skew";
    /// Term 13: OI drawdowns with a funding reset, confirmed by liquidation bursts.
    pub const LEVERAGE_DELEVERAGING_CYCLES: &str = "leverage-deleveraging-cycles";
    /// Term 2: forced closure when equity falls below maintenance margin.
    pub const LEVERAGE_AND_LIQUIDATION_RISKS: &str = "leverage-and-liquidation-risks";
    /// Term 8: liquidations that push price into further liquidations.
    pub const LEVERAGE_DELEVERAGING_SPIRAL: &str = "leverage-deleveraging-spiral";
    /// Term 14: CPPI, whose gap events are single steps the cushion cannot absorb.
    pub const LEVERAGE_MANAGEMENT_IN_CPPI: &str = "leverage-management-in-cppi";

    /// Every slug an annotation can carry, so the app can check each one has a page.
    pub const ALL: [&str; 5] = [
        LEVERAGE_SKEW,
        LEVERAGE_DELEVERAGING_CYCLES,
        LEVERAGE_AND_LIQUIDATION_RISKS,
        LEVERAGE_DELEVERAGING_SPIRAL,
        LEVERAGE_MANAGEMENT_IN_CPPI,
    ];
}

/// What happened, with the numbers a tooltip or a text alternative needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnnotationKind {
    /// Funding far from its own recent past.
    FundingExtreme {
        /// The side that pays at this print (long when the rate is positive); `None` for a zero rate.
        paying_side: Option<Side>,
        /// z-score against the trailing window; positive = unusually high funding.
        z: f64,
    },
    /// Open interest collapsed while funding reset (glossary term 13).
    OiFlush {
        /// The side flushed: long when price fell over the window, short when it rose, `None` if unchanged.
        side: Option<Side>,
        /// A liquidation burst coincided with the flush.
        confirmed: bool,
        /// `r_t = OI_t/OI_{t−w} − 1` at the annotated bar.
        oi_change: f64,
        /// The z-score of that change (negative).
        z: f64,
    },
    /// Far more USD liquidated in a bar than usual.
    LiquidationBurst {
        /// The side that lost more USD to liquidations in the peak bar (long on an exact tie).
        side: Side,
        /// USD liquidated in the peak bar.
        usd: f64,
        /// Consecutive burst bars merged into this annotation (1 for a single bar).
        bars: usize,
    },
    /// A CPPI step whose loss ate at least the configured share of the cushion.
    GapRisk {
        /// The risky asset's return over the step.
        risky_return: f64,
        /// The portfolio ended the step below its floor.
        below_floor: bool,
    },
}

/// A marker for the chart: where, what, how severe, and which glossary page explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Time of the marker (ms UTC), always one of the timestamps of the detector's input.
    pub time_ms: i64,
    /// The y value to place the marker at, in the units of the series the detector read (see the module table).
    pub value: f64,
    pub kind: AnnotationKind,
    /// A short label, e.g. "funding 0.092 %/8h, z 3.4".
    pub label: String,
    /// The glossary page that explains the event (one of [`terms::ALL`]).
    pub term_slug: &'static str,
    /// ≥ 1; how far past its threshold the event is, comparable across kinds (see the module docs).
    pub severity: f64,
}

impl Annotation {
    /// The same annotation placed on another series at its time ("as of": the last point at or before it),
    /// e.g. to put every marker on the price line. `None` when the series starts after the annotation.
    ///
    /// ```
    /// use lens_math::annotations::{Annotation, AnnotationKind};
    /// use lens_math::TimeSeries;
    /// let gap = Annotation {
    ///     time_ms: 20,
    ///     value: 93.0,
    ///     kind: AnnotationKind::GapRisk { risky_return: -0.3, below_floor: false },
    ///     label: "gap −30.0 %".into(),
    ///     term_slug: "leverage-management-in-cppi",
    ///     severity: 1.2,
    /// };
    /// let price = TimeSeries::new(vec![0, 10, 20], vec![100.0, 100.0, 70.0])?;
    /// assert_eq!(gap.placed_on(&price).map(|a| a.value), Some(70.0));
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn placed_on(&self, series: &TimeSeries) -> Option<Annotation> {
        Some(Annotation {
            value: series.value_as_of(self.time_ms)?,
            ..self.clone()
        })
    }
}

/// How many annotations one chart gets: the most severe ones, returned in time order.
///
/// Default 12. A label such as "funding 0.092 %/8h, z 3.4" is about 25 characters, roughly 120 px in a
/// 12 px system font, so about a dozen labels fit across a 1,400 px desktop chart; any more and they overlap
/// or have to be hidden. In the embedded month the strongest events (the cascade, the largest flushes and
/// funding spikes) all fit within 12; the rest stay available from the detectors themselves.
///
/// ```
/// use lens_math::annotations::AnnotationLimit;
/// assert_eq!(AnnotationLimit::default().max_count(), 12);
/// assert!(AnnotationLimit::new(0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnotationLimit {
    max_count: usize,
}

impl Default for AnnotationLimit {
    fn default() -> Self {
        Self { max_count: 12 }
    }
}

impl AnnotationLimit {
    /// At most `max_count` annotations per chart.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for 0 (hide the annotations instead).
    pub fn new(max_count: usize) -> Result<Self> {
        if max_count == 0 {
            return Err(MathError::InvalidParameter {
                name: "annotation limit",
                reason: "must be at least 1",
            });
        }
        Ok(Self { max_count })
    }

    /// Most annotations kept.
    pub fn max_count(&self) -> usize {
        self.max_count
    }

    /// Keeps the `max_count` most severe annotations (earlier first among equals), in time order. Pass the
    /// detectors' outputs chained together.
    pub fn apply(&self, annotations: impl IntoIterator<Item = Annotation>) -> Vec<Annotation> {
        let mut kept: Vec<Annotation> = annotations.into_iter().collect();
        crate::sort::sort_by(&mut kept, |a, b| {
            b.severity
                .total_cmp(&a.severity)
                .then(a.time_ms.cmp(&b.time_ms))
        });
        kept.truncate(self.max_count);
        // Stable: annotations at the same time stay in order of severity.
        crate::sort::sort_by_key(&mut kept, |a| a.time_ms);
        kept
    }
}

/// A run of consecutive flagged points that share a key (e.g. the sign of a z-score), with its strongest point.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run<K> {
    key: K,
    /// Index of the strongest point (the first one on a tie).
    peak: usize,
    peak_strength: f64,
    /// Number of points in the run.
    len: usize,
}

/// Groups `(index, key, strength)` candidates, in increasing index order, into runs of consecutive indices
/// with equal keys.
fn peaks_of_runs<K: PartialEq + Copy>(
    candidates: impl IntoIterator<Item = (usize, K, f64)>,
) -> Vec<Run<K>> {
    let mut runs: Vec<Run<K>> = Vec::new();
    let mut previous: Option<usize> = None;
    for (index, key, strength) in candidates {
        let continues = previous.is_some_and(|p| p + 1 == index);
        match runs.last_mut() {
            Some(run) if continues && run.key == key => {
                run.len += 1;
                if strength > run.peak_strength {
                    (run.peak, run.peak_strength) = (index, strength);
                }
            }
            _ => runs.push(Run {
                key,
                peak: index,
                peak_strength: strength,
                len: 1,
            }),
        }
        previous = Some(index);
    }
    runs
}

/// `NotEnoughData` unless at least `needed` points were given.
fn ensure_length(needed: usize, got: usize) -> Result<()> {
    if got < needed {
        Err(MathError::NotEnoughData { needed, got })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
