//! OI flushes: the deleveraging events of glossary term 13, found by [`FlushDetector`], as chart markers.

use super::labels::{bars, percent, side_prefix, signed};
use super::{Annotation, AnnotationKind, ensure_length, terms};
use crate::cycles::{FlushDetector, FlushInputs};
use crate::error::Result;

/// One annotation per [`FlushDetector`] event, at the event's bar of lowest z, on the open-interest series.
///
/// # Formula
/// Exactly term 13's detector (see [`FlushDetector`]): a flush when the OI change over `w` bars scores
/// `z ≤ −k` against the previous `L` changes while funding resets toward neutral, confirmed by a liquidation
/// burst; consecutive flagged bars are one event. Severity is `|z|/k`.
///
/// Defaults: term 13's published ones (`w = 4`, `L = 168`, `k = 2`, `ρ = 0.5`, `c = 3`, `f₀ = 0.01 %`), and
/// unconfirmed flushes are shown too (their kind says so, for the chart to draw them fainter): without a
/// liquidation feed nothing could ever be confirmed.
///
/// ```
/// use lens_math::annotations::{terms, AnnotationKind, OiFlushes};
/// use lens_math::cycles::{FlushDetector, FlushInputs};
/// // The FlushDetector example: OI drops 10.9 % after three ±1 % bars, funding resets, liquidations burst.
/// let detector = FlushDetector::new(1, 3, 2.0, 0.5, 3.0, 0.0)?;
/// let inputs = FlushInputs {
///     times_ms: &[0, 1, 2, 3, 4],
///     open_interest_coin: &[100.0, 101.0, 100.0, 101.0, 90.0],
///     price: &[50.0, 50.5, 50.0, 50.5, 47.0],
///     funding_per_8h: &[0.0003, 0.0003, 0.0003, 0.0003, 0.0],
///     liquidated_usd: Some(&[1.0, 1.0, 1.0, 1.0, 10.0]),
/// };
/// let marks = OiFlushes::new(detector, false).detect(&inputs)?;
/// assert_eq!((marks[0].time_ms, marks[0].value), (4, 90.0));
/// assert_eq!(marks[0].term_slug, terms::LEVERAGE_DELEVERAGING_CYCLES);
/// assert!(matches!(marks[0].kind, AnnotationKind::OiFlush { confirmed: true, .. }));
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OiFlushes {
    detector: FlushDetector,
    confirmed_only: bool,
}

impl OiFlushes {
    /// Flushes as `detector` finds them; `confirmed_only` drops those no liquidation burst confirmed.
    /// Infallible: a [`FlushDetector`] is validated when it is built.
    pub const fn new(detector: FlushDetector, confirmed_only: bool) -> Self {
        Self {
            detector,
            confirmed_only,
        }
    }

    /// Annotations on the open interest of `inputs` (coin units), at bar times of `inputs`.
    ///
    /// # Errors
    /// Those of [`FlushDetector::bars`] (mismatched lengths, unsorted times, NaN/∞, non-positive OI or
    /// price, negative liquidations); [`MathError::NotEnoughData`](crate::MathError::NotEnoughData) for fewer
    /// than `w + L + 1` bars, the first bar the detector can score.
    pub fn detect(&self, inputs: &FlushInputs<'_>) -> Result<Vec<Annotation>> {
        let events = self.detector.detect(inputs)?;
        let needed = self.detector.window_bars() + self.detector.lookback_bars() + 1;
        ensure_length(needed, inputs.times_ms.len())?;
        let k = self.detector.z_threshold();
        Ok(events
            .into_iter()
            .filter(|event| event.confirmed || !self.confirmed_only)
            .filter_map(|event| {
                let bar = event.annotated;
                // A flagged bar always has both (z ≤ −k needs them); skip defensively otherwise.
                let (z, oi_change) = (bar.z?, bar.oi_change?);
                let value = *inputs.open_interest_coin.get(event.annotated_index)?;
                let confirmation = if event.confirmed {
                    "confirmed"
                } else {
                    "unconfirmed"
                };
                Some(Annotation {
                    time_ms: bar.time_ms,
                    value,
                    kind: AnnotationKind::OiFlush {
                        side: event.side,
                        confirmed: event.confirmed,
                        oi_change,
                        z,
                    },
                    label: format!(
                        "{}flush: OI {} in {}, z {}, {confirmation}",
                        side_prefix(event.side),
                        percent(oi_change, 1),
                        bars(self.detector.window_bars()),
                        signed(z, 1),
                    ),
                    term_slug: terms::LEVERAGE_DELEVERAGING_CYCLES,
                    severity: z.abs() / k,
                })
            })
            .collect())
    }
}
