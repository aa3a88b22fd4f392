//! Liquidation bursts: bars in which far more USD was liquidated than in the bars before (glossary terms 2
//! and 8).

use super::labels::{side_prefix, usd};
use super::{Annotation, AnnotationKind, ensure_length, peaks_of_runs, terms};
use crate::error::{MathError, Result, ensure_finite};
use crate::market::{Liquidation, Side};
use crate::series::HOUR_MS;
use crate::stats::median;

/// USD liquidated in one bar, by the side of the positions closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarLiquidations {
    /// Open time of the bar.
    pub open_time_ms: i64,
    /// USD notional (price × quantity) of long positions liquidated (forced sells).
    pub long_usd: f64,
    /// USD notional of short positions liquidated (forced buys).
    pub short_usd: f64,
}

impl BarLiquidations {
    /// Both sides together.
    pub fn total_usd(&self) -> f64 {
        self.long_usd + self.short_usd
    }

    /// The side that lost more (long on an exact tie).
    pub fn dominant_side(&self) -> Side {
        if self.short_usd > self.long_usd {
            Side::Short
        } else {
            Side::Long
        }
    }
}

/// Sums liquidations into the bars `[open, open + bar_ms)` that hold them, in any input order. Liquidations in
/// no bar (before, after or between the bars) are left out; where bars overlap, the later bar takes them.
///
/// # Errors
/// [`MathError::InvalidParameter`] for `bar_ms ≤ 0` or a price/quantity that is negative (a price must be
/// positive); [`MathError::NotFinite`] for NaN/∞; [`MathError::Unsorted`] for bar times that do not increase.
///
/// ```
/// use lens_math::annotations::liquidations_per_bar;
/// use lens_math::market::{Liquidation, Side};
/// let liquidation = |time_ms, side| Liquidation { time_ms, side, price: 100.0, quantity: 2.0 };
/// let bars = liquidations_per_bar(
///     &[0, 3_600_000],
///     3_600_000,
///     &[liquidation(4_000_000, Side::Short), liquidation(10, Side::Long), liquidation(9_000_000, Side::Long)],
/// )?;
/// assert_eq!((bars[0].long_usd, bars[1].short_usd), (200.0, 200.0)); // the third is after the last bar
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn liquidations_per_bar(
    bar_open_times_ms: &[i64],
    bar_ms: i64,
    liquidations: &[Liquidation],
) -> Result<Vec<BarLiquidations>> {
    ensure_bar_ms(bar_ms)?;
    if bar_open_times_ms.windows(2).any(|w| w[1] <= w[0]) {
        return Err(MathError::Unsorted);
    }
    let mut bars: Vec<BarLiquidations> = bar_open_times_ms
        .iter()
        .map(|&open_time_ms| BarLiquidations {
            open_time_ms,
            long_usd: 0.0,
            short_usd: 0.0,
        })
        .collect();
    for liquidation in liquidations {
        let price = ensure_finite("liquidation price", liquidation.price)?;
        let quantity = ensure_finite("liquidation quantity", liquidation.quantity)?;
        if price <= 0.0 || quantity < 0.0 {
            return Err(MathError::InvalidParameter {
                name: "liquidation",
                reason: "price must be positive and quantity not negative",
            });
        }
        let after = bar_open_times_ms.partition_point(|&open| open <= liquidation.time_ms);
        let Some(bar) = after.checked_sub(1).and_then(|i| bars.get_mut(i)) else {
            continue;
        };
        if liquidation.time_ms - bar.open_time_ms >= bar_ms {
            continue;
        }
        match liquidation.side {
            Side::Long => bar.long_usd += price * quantity,
            Side::Short => bar.short_usd += price * quantity,
        }
    }
    if bars.iter().any(|b| !b.total_usd().is_finite()) {
        return Err(MathError::NotFinite {
            name: "liquidated USD",
        });
    }
    Ok(bars)
}

fn ensure_bar_ms(bar_ms: i64) -> Result<i64> {
    if bar_ms > 0 {
        Ok(bar_ms)
    } else {
        Err(MathError::InvalidParameter {
            name: "bar length",
            reason: "must be a positive number of milliseconds",
        })
    }
}

/// Flags bars whose liquidated USD is far above both the median and the mean of the previous `L` bars;
/// consecutive burst bars become one annotation at the one with the most USD.
///
/// # Formula
/// `Q_t` = USD liquidated in bar `t`; a burst when `Q_t > 0` and
/// `Q_t ≥ θ_t = max(c·median(Q_{t−L} … Q_{t−1}), m·mean(Q_{t−L} … Q_{t−1}), Q_min)`.
/// Severity `1 + log₂(Q_t/θ_t)` at the annotated bar. The dominant side is the one with more USD liquidated
/// in that bar.
///
/// Defaults, for hourly bars:
/// - `L = 168`: one week, as in glossary term 13, so every hour of the day and of the weekend is in the
///   baseline once.
/// - `c = 5`: term 13's burst rule compares 4-bar sums with `c = 3`; a single bar is noisier, so it must
///   stand further out. The median ignores earlier bursts in the window.
/// - `m = 20`: liquidations arrive in clumps, and on most venues most hours liquidate nothing (461 of 720
///   hours for BTC on the sample's Binance-like venue), so the median is often 0 and `c·median` alone would
///   flag every active hour. At 20 times the mean, one bar must hold at least 20/168 ≈ 12 % of the whole
///   previous week's liquidations. The sample then shows 5 to 8 bursts per venue in the 23 days after its
///   first week, the cascade of 21 January 2025 among them on every venue.
/// - `Q_min = 100,000 USD`: a sanity floor so that after a week with no liquidations at all, the first small
///   one is not a "burst". The relative rules do the real selection; set 0 to rely on them alone.
///
/// Term: a single burst bar links to liquidation risks (term 2, what a liquidation is and when it happens);
/// a run of two or more consecutive burst bars links to the deleveraging spiral (term 8). A spiral is
/// liquidations that push price into further liquidations; bar data cannot show that inside one bar, but
/// forced selling that keeps going at burst level bar after bar is its visible footprint.
///
/// ```
/// use lens_math::annotations::{terms, LiquidationBursts};
/// use lens_math::market::{Liquidation, Side};
/// let hour = 3_600_000;
/// let bar_times: Vec<i64> = (0..200).map(|h| h * hour).collect();
/// // 50,000 USD of long liquidations every hour, then 8 M USD in hour 190.
/// let liquidation = |time_ms, side, quantity| Liquidation { time_ms, side, price: 50_000.0, quantity };
/// let mut liquidations: Vec<Liquidation> =
///     (0..200).map(|h| liquidation(h * hour + 60_000, Side::Long, 1.0)).collect();
/// liquidations.push(liquidation(190 * hour + 120_000, Side::Short, 159.0));
/// let marks = LiquidationBursts::default().detect(&bar_times, &liquidations)?;
/// assert_eq!(marks.len(), 1);
/// assert_eq!((marks[0].time_ms, marks[0].value), (190 * hour, 8e6));
/// assert_eq!(marks[0].term_slug, terms::LEVERAGE_AND_LIQUIDATION_RISKS);
/// assert_eq!(marks[0].label, "short liquidations 8.0 M USD, 160× the mean bar");
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiquidationBursts {
    bar_ms: i64,
    lookback_bars: usize,
    median_multiple: f64,
    mean_multiple: f64,
    min_usd: f64,
}

impl Default for LiquidationBursts {
    fn default() -> Self {
        Self {
            bar_ms: HOUR_MS,
            lookback_bars: 168,
            median_multiple: 5.0,
            mean_multiple: 20.0,
            min_usd: 100_000.0,
        }
    }
}

impl LiquidationBursts {
    /// Bars of `bar_ms`, a look-back of `lookback_bars`, the multiples `c` (of the median) and `m` (of the
    /// mean), and the floor `min_usd`.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] unless `bar_ms > 0`, `lookback_bars ≥ 2`, `c > 0`, `m ≥ 0` and
    /// `min_usd ≥ 0`, all finite.
    pub fn new(
        bar_ms: i64,
        lookback_bars: usize,
        median_multiple: f64,
        mean_multiple: f64,
        min_usd: f64,
    ) -> Result<Self> {
        let invalid = |name, reason| Err(MathError::InvalidParameter { name, reason });
        ensure_bar_ms(bar_ms)?;
        if lookback_bars < 2 {
            return invalid("look-back", "must be at least 2 bars");
        }
        if !(median_multiple.is_finite() && median_multiple > 0.0) {
            return invalid("median multiple", "must be a positive finite number");
        }
        for (name, value) in [("mean multiple", mean_multiple), ("minimum USD", min_usd)] {
            if !(value.is_finite() && value >= 0.0) {
                return invalid(name, "must be finite and ≥ 0");
            }
        }
        Ok(Self {
            bar_ms,
            lookback_bars,
            median_multiple,
            mean_multiple,
            min_usd,
        })
    }

    /// Annotations on the liquidated-USD-per-bar series, at bar open times.
    ///
    /// # Errors
    /// Those of [`liquidations_per_bar`]; [`MathError::NotEnoughData`] for fewer than `L + 1` bars.
    pub fn detect(
        &self,
        bar_open_times_ms: &[i64],
        liquidations: &[Liquidation],
    ) -> Result<Vec<Annotation>> {
        let bars = liquidations_per_bar(bar_open_times_ms, self.bar_ms, liquidations)?;
        ensure_length(self.lookback_bars + 1, bars.len())?;
        let totals: Vec<f64> = bars.iter().map(BarLiquidations::total_usd).collect();
        let before = |t: usize| {
            totals
                .get(t.saturating_sub(self.lookback_bars)..t)
                .unwrap_or_default()
        };
        let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
        let threshold = |t: usize| -> Result<f64> {
            let past = before(t);
            Ok((self.median_multiple * median(past)?)
                .max(self.mean_multiple * mean(past))
                .max(self.min_usd))
        };
        let mut candidates = Vec::new();
        for (t, &total) in totals.iter().enumerate().skip(self.lookback_bars) {
            if total > 0.0 && total >= threshold(t)? {
                candidates.push((t, (), total));
            }
        }
        let mut annotations = Vec::new();
        for run in peaks_of_runs(candidates) {
            let Some(bar) = bars.get(run.peak) else {
                continue;
            };
            let theta = threshold(run.peak)?;
            // θ = 0 only with every rule set to zero: count the burst as just at its threshold.
            let excess = if theta > 0.0 {
                run.peak_strength / theta
            } else {
                1.0
            };
            annotations.push(self.annotation(bar, mean(before(run.peak)), excess, run.len));
        }
        Ok(annotations)
    }

    fn annotation(&self, bar: &BarLiquidations, mean: f64, excess: f64, bars: usize) -> Annotation {
        let (side, total) = (bar.dominant_side(), bar.total_usd());
        let against = if mean > 0.0 {
            format!("{:.0}× the mean bar", total / mean)
        } else {
            format!("none in the {} bars before", self.lookback_bars)
        };
        let run = if bars > 1 {
            format!(", {bars} bars in a row")
        } else {
            String::new()
        };
        Annotation {
            time_ms: bar.open_time_ms,
            value: total,
            kind: AnnotationKind::LiquidationBurst {
                side,
                usd: total,
                bars,
            },
            label: format!(
                "{}liquidations {}, {against}{run}",
                side_prefix(Some(side)),
                usd(total)
            ),
            term_slug: if bars > 1 {
                terms::LEVERAGE_DELEVERAGING_SPIRAL
            } else {
                terms::LEVERAGE_AND_LIQUIDATION_RISKS
            },
            severity: 1.0 + excess.log2(),
        }
    }
}
