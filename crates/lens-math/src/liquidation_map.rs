//! The estimated liquidation map (heatmap): where other traders' liquidation levels probably sit.
//!
//! No venue publishes those levels, so this is a model, and it overstates real liquidations: positions get
//! closed by hand, topped up, hedged or run at other leverage. It reads as relative intensity. The recipe is the
//! open-interest-flow reconstruction (glossary term 2): each rise in open
//! interest is new positions opened at the bar's typical price, split long/short by the taker buy share, spread
//! over an assumed leverage mix, and stored at each slice's liquidation price; a later bar that trades through a
//! level removes it.

pub mod grid;
mod output;

pub use grid::{LeverageGrid, LeverageLevel, PriceGrid};
pub use output::{LiquidationMap, MassBudget};

use crate::error::{MathError, Result};
use crate::margin::invalid;
use crate::market::{Bar, Side};
use crate::series::TimeSeries;

/// Most cells (bars × buckets) one map may hold: 64 Mi cells is 256 MiB of f32, beyond any screen.
pub const MAX_MAP_CELLS: u64 = 1 << 26;

/// Builds liquidation maps for a fixed price grid, leverage mix and decay.
#[derive(Debug, Clone, PartialEq)]
pub struct LiquidationMapEstimator {
    price_grid: PriceGrid,
    leverage_grid: LeverageGrid,
    decay_per_bar: f64,
}

impl LiquidationMapEstimator {
    /// An estimator; `decay_per_bar` δ shrinks every outstanding level by `×(1 − δ)` each bar (0 = no decay),
    /// standing in for positions closed by hand.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] for δ outside [0, 1) (NaN included).
    ///
    /// ```
    /// use lens_math::liquidation_map::{LeverageGrid, LiquidationMapEstimator, PriceGrid};
    /// let grid = PriceGrid::with_step(50_000.0, 80_000.0, 100.0)?;
    /// let mix = LeverageGrid::new(&[10.0, 25.0, 50.0], &[0.5, 0.3, 0.2], 0.005)?;
    /// assert!(LiquidationMapEstimator::new(grid, mix.clone(), 0.0).is_ok());
    /// assert!(LiquidationMapEstimator::new(grid, mix, 1.0).is_err());
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(
        price_grid: PriceGrid,
        leverage_grid: LeverageGrid,
        decay_per_bar: f64,
    ) -> Result<Self> {
        if !(0.0..1.0).contains(&decay_per_bar) {
            return Err(invalid("decay_per_bar", "must lie in [0, 1)"));
        }
        Ok(Self {
            price_grid,
            leverage_grid,
            decay_per_bar,
        })
    }

    /// The map over `bars`, with `open_interest` aligned to them.
    ///
    /// # Formula
    /// For each bar t ≥ 1 with `ΔOI_t = OI_t − OI_{t−1} > 0`: entry `EP = (H + L + C)/3`, long share
    /// `λ = taker buy / volume` (½ when the bar has no volume); for every level (L, w, MMR) add `ΔOI·λ·w` at
    /// `EP(1 − 1/L)/(1 − MMR)` and `ΔOI·(1 − λ)·w` at `EP(1 + 1/L)/(1 + MMR)`. On every later bar, first decay
    /// by `×(1 − δ)`, then remove long buckets whose centre is ≥ that bar's low and short buckets whose centre is
    /// ≤ its high; that removed mass is the bar's estimated liquidations. A fall in OI removes nothing.
    ///
    /// Source: the OI-flow reconstruction as described by backquant, cryptoclass and
    /// info-hub.io; Coinglass's caveat that such maps overstate liquidations); glossary term 2.
    ///
    /// `open_interest[i]` is the open interest at the close of bar i, in base units, stamped with bar i's open
    /// time (align it first with [`crate::series::align`]).
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] when the lengths differ; [`MathError::InvalidParameter`] when a timestamp
    /// differs from its bar's open time, a bar fails [`Bar::is_valid`], an OI value is negative, the map would
    /// exceed [`MAX_MAP_CELLS`], or the mass exceeds what an f32 cell holds; [`MathError::NotFinite`] when the
    /// sums overflow.
    ///
    /// ```
    /// use lens_math::liquidation_map::{LeverageGrid, LiquidationMapEstimator, PriceGrid};
    /// use lens_math::market::{Bar, Side};
    /// use lens_math::series::TimeSeries;
    /// let bar = |t: i64, high: f64, low: f64| Bar {
    ///     open_time_ms: t, open: low, high, low, close: (high + low) / 2.0, volume: 10.0, taker_buy_volume: 6.0,
    /// };
    /// let bars = [bar(0, 65_500.0, 64_500.0), bar(1, 65_500.0, 64_500.0), bar(2, 65_000.0, 62_500.0)];
    /// let oi = TimeSeries::new(vec![0, 1, 2], vec![1_000.0, 1_100.0, 1_100.0])?;
    /// let estimator = LiquidationMapEstimator::new(
    ///     PriceGrid::with_step(50_000.0, 80_000.0, 1.0)?,
    ///     LeverageGrid::new(&[10.0, 25.0, 50.0], &[0.5, 0.3, 0.2], 0.005)?,
    ///     0.0,
    /// )?;
    /// let map = estimator.estimate(&bars, &oi)?;
    /// // Liquidation-risks page: a low of 62,500 consumes the 25× and 50× long slices, 18 + 12 = 30 BTC.
    /// assert!((map.consumed(Side::Long)[2] - 30.0).abs() < 1e-9);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn estimate(&self, bars: &[Bar], open_interest: &TimeSeries) -> Result<LiquidationMap> {
        validate_inputs(bars, open_interest)?;
        let height = self.price_grid.bucket_count();
        let cell_count = (bars.len() as u64).saturating_mul(height as u64);
        if cell_count > MAX_MAP_CELLS {
            return Err(invalid(
                "bars",
                "the map would have more cells than MAX_MAP_CELLS",
            ));
        }
        let width = bars.len();
        let mut cells =
            vec![0f32; usize::try_from(cell_count).map_err(|_| invalid("bars", "map too large"))?];
        let mut map = LiquidationMap {
            times_ms: open_interest.times_ms().to_vec(),
            price_grid: self.price_grid,
            cells: Vec::new(),
            outstanding_long: Vec::with_capacity(width),
            outstanding_short: Vec::with_capacity(width),
            consumed_long: Vec::with_capacity(width),
            consumed_short: Vec::with_capacity(width),
            budget: MassBudget::default(),
        };
        let long_factors = self.leverage_grid.factors(Side::Long);
        let short_factors = self.leverage_grid.factors(Side::Short);
        let mut book = Book::new(self.price_grid);
        let mut previous_oi: Option<f64> = None;
        for ((bar, &oi), column) in bars
            .iter()
            .zip(open_interest.values())
            .zip(cells.chunks_exact_mut(height))
        {
            if previous_oi.is_some() {
                map.budget.decayed += book.decay(self.decay_per_bar);
            }
            let (consumed_long, consumed_short) = book.consume(bar.low, bar.high);
            if let Some(delta) = previous_oi.map(|p| oi - p).filter(|d| *d > 0.0) {
                let volume = bar.volume;
                let long_share = if volume > 0.0 {
                    bar.taker_buy_volume / volume
                } else {
                    0.5
                };
                let entry = bar.typical_price();
                let b = &mut map.budget;
                b.placed_long += delta * long_share;
                b.placed_short += delta * (1.0 - long_share);
                b.outside_grid += book.place(Side::Long, entry, delta * long_share, &long_factors);
                b.outside_grid += book.place(
                    Side::Short,
                    entry,
                    delta * (1.0 - long_share),
                    &short_factors,
                );
            }
            let (outstanding_long, outstanding_short) = book.snapshot(column);
            map.consumed_long.push(consumed_long);
            map.consumed_short.push(consumed_short);
            map.outstanding_long.push(outstanding_long);
            map.outstanding_short.push(outstanding_short);
            map.budget.consumed_long += consumed_long;
            map.budget.consumed_short += consumed_short;
            previous_oi = Some(oi);
        }
        map.budget.outstanding_long = map.outstanding_long.last().copied().unwrap_or(0.0);
        map.budget.outstanding_short = map.outstanding_short.last().copied().unwrap_or(0.0);
        if !map.budget.placed().is_finite() || !map.budget.accounted().is_finite() {
            return Err(MathError::NotFinite {
                name: "open_interest",
            });
        }
        if map.budget.placed() > f64::from(f32::MAX) {
            return Err(invalid(
                "open_interest",
                "too large for the f32 cells of the map",
            ));
        }
        map.cells = cells;
        Ok(map)
    }
}

fn validate_inputs(bars: &[Bar], open_interest: &TimeSeries) -> Result<()> {
    if bars.len() != open_interest.len() {
        return Err(MathError::LengthMismatch {
            left: bars.len(),
            right: open_interest.len(),
        });
    }
    for (bar, (time_ms, oi)) in bars.iter().zip(open_interest.iter()) {
        if bar.open_time_ms != time_ms {
            return Err(invalid(
                "open_interest",
                "timestamps must equal the bars' open times; align them first",
            ));
        }
        if !bar.is_valid() {
            return Err(invalid(
                "bar",
                "needs finite positive prices with low ≤ open, close ≤ high and consistent volumes",
            ));
        }
        if oi < 0.0 {
            return Err(invalid("open_interest", "must not be negative"));
        }
    }
    Ok(())
}

/// The outstanding levels per price bucket, with bounds on where mass can be so a bar touches only the buckets
/// it can consume.
struct Book {
    grid: PriceGrid,
    long: Vec<f64>,
    short: Vec<f64>,
    /// No long mass at or above this bucket index.
    long_end: usize,
    /// No short mass below this bucket index.
    short_start: usize,
}

impl Book {
    fn new(grid: PriceGrid) -> Self {
        let n = grid.bucket_count();
        Self {
            grid,
            long: vec![0.0; n],
            short: vec![0.0; n],
            long_end: 0,
            short_start: n,
        }
    }

    /// Multiplies every level by `1 − δ`; returns the mass removed.
    fn decay(&mut self, rate: f64) -> f64 {
        if rate == 0.0 {
            return 0.0;
        }
        let keep = 1.0 - rate;
        let mut removed = 0.0;
        let live_long = self.long.get_mut(..self.long_end).unwrap_or_default();
        let live_short = self.short.get_mut(self.short_start..).unwrap_or_default();
        for m in live_long.iter_mut().chain(live_short.iter_mut()) {
            removed += *m * rate;
            *m *= keep;
        }
        removed
    }

    /// Empties long buckets with centre ≥ `low` and short buckets with centre ≤ `high`; returns the mass removed
    /// per side. Only buckets between the bound and the bar are visited, so a quiet bar costs O(1).
    fn consume(&mut self, low: f64, high: f64) -> (f64, f64) {
        let from = self.grid.first_center_at_or_above(low);
        let mut long = 0.0;
        if let Some(hit) = self.long.get_mut(from..self.long_end) {
            for m in hit {
                long += std::mem::take(m);
            }
            self.long_end = from;
        }
        let to = self.grid.first_center_above(high);
        let mut short = 0.0;
        if let Some(hit) = self.short.get_mut(self.short_start..to) {
            for m in hit {
                short += std::mem::take(m);
            }
            self.short_start = to;
        }
        (long, short)
    }

    /// Adds `mass × weight` at `entry × factor` for every level; returns the mass that fell outside the grid.
    fn place(&mut self, side: Side, entry: f64, mass: f64, factors: &[(f64, f64)]) -> f64 {
        let mut outside = 0.0;
        for &(factor, weight) in factors {
            let slice = mass * weight;
            let bucket = self.grid.bucket_of(entry * factor);
            let cell = bucket.and_then(|i| match side {
                Side::Long => self.long.get_mut(i),
                Side::Short => self.short.get_mut(i),
            });
            match (bucket, cell) {
                (Some(i), Some(cell)) => {
                    *cell += slice;
                    match side {
                        Side::Long => self.long_end = self.long_end.max(i + 1),
                        Side::Short => self.short_start = self.short_start.min(i),
                    }
                }
                _ => outside += slice,
            }
        }
        outside
    }

    /// Writes long + short per bucket into `column`; returns the outstanding long and short totals.
    fn snapshot(&self, column: &mut [f32]) -> (f64, f64) {
        let (mut long_total, mut short_total) = (0.0, 0.0);
        for ((cell, &l), &s) in column.iter_mut().zip(&self.long).zip(&self.short) {
            long_total += l;
            short_total += s;
            *cell = (l + s) as f32;
        }
        (long_total, short_total)
    }
}

#[cfg(test)]
mod tests;
