//! The two grids of the liquidation map: price buckets (rows of the heatmap) and the assumed leverage mix.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};
use crate::margin::invalid;
use crate::margin::risk::{flat_liquidation_factor, validate_leverage_and_rate};
use crate::market::Side;

/// Most price buckets a grid may have; a chart shows a few hundred.
pub const MAX_BUCKETS: usize = 1_000_000;
/// Most leverage levels a grid may have.
pub const MAX_LEVERAGE_LEVELS: usize = 1_000;
/// How far the weights may sum from 1 (they usually come from decimal user input).
const WEIGHT_SUM_TOLERANCE: f64 = 1e-9;

/// Equal-width price buckets `[min + i·step, min + (i+1)·step)`, i = 0..n. A bucket's price, used both to draw it
/// and to decide when a bar reaches it, is its centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceGrid {
    min_price: f64,
    step: f64,
    bucket_count: usize,
}

impl PriceGrid {
    /// Buckets of width `step` from `min_price` up to at least `max_price` (the last bucket may overhang).
    ///
    /// # Errors
    /// [`MathError::NotFinite`] for NaN/∞; [`MathError::InvalidParameter`] for a negative minimum, a maximum not
    /// above it, a non-positive step, or more than [`MAX_BUCKETS`] buckets.
    ///
    /// ```
    /// use lens_math::liquidation_map::PriceGrid;
    /// let grid = PriceGrid::with_step(60_000.0, 70_000.0, 50.0)?;
    /// assert_eq!(grid.bucket_count(), 200);
    /// assert_eq!(grid.center(0), 60_025.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_step(min_price: f64, max_price: f64, step: f64) -> Result<Self> {
        let (min, max) = validate_range(min_price, max_price)?;
        let step = ensure_positive("step", step)?;
        // The small slack keeps a range that is an exact multiple of the step from gaining a bucket to rounding.
        let count = ((max - min) / step - 1e-9).ceil().max(1.0);
        if count > MAX_BUCKETS as f64 {
            return Err(invalid("step", "gives more price buckets than allowed"));
        }
        Ok(Self {
            min_price: min,
            step,
            bucket_count: count as usize,
        })
    }

    /// `bucket_count` equal buckets spanning `[min_price, max_price)`.
    ///
    /// # Errors
    /// As [`PriceGrid::with_step`], and for a bucket count of 0.
    ///
    /// ```
    /// use lens_math::liquidation_map::PriceGrid;
    /// let grid = PriceGrid::with_buckets(60_000.0, 70_000.0, 200)?;
    /// assert_eq!(grid.step(), 50.0);
    /// assert_eq!(grid.bucket_of(60_049.0), Some(0));
    /// assert_eq!(grid.bucket_of(70_000.0), None);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_buckets(min_price: f64, max_price: f64, bucket_count: usize) -> Result<Self> {
        let (min, max) = validate_range(min_price, max_price)?;
        if bucket_count == 0 || bucket_count > MAX_BUCKETS {
            return Err(invalid("bucket_count", "must be between 1 and MAX_BUCKETS"));
        }
        Ok(Self {
            min_price: min,
            step: (max - min) / bucket_count as f64,
            bucket_count,
        })
    }

    /// Lower edge of the first bucket.
    pub fn min_price(&self) -> f64 {
        self.min_price
    }

    /// Upper edge of the last bucket.
    pub fn max_price(&self) -> f64 {
        self.min_price + self.bucket_count as f64 * self.step
    }

    /// Width of every bucket, in price units.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Number of buckets (rows of the map).
    pub fn bucket_count(&self) -> usize {
        self.bucket_count
    }

    /// Centre price of bucket `i` (extrapolated for `i` outside the grid).
    pub fn center(&self, i: usize) -> f64 {
        self.min_price + (i as f64 + 0.5) * self.step
    }

    /// The bucket holding `price`, or `None` outside `[min, max)` or for NaN.
    pub fn bucket_of(&self, price: f64) -> Option<usize> {
        let offset = (price - self.min_price) / self.step;
        if offset.is_nan() || offset < 0.0 {
            return None;
        }
        // Rounding can put a price just below the upper edge on the edge itself: keep it in the last bucket.
        let i = offset.floor() as usize;
        if i < self.bucket_count {
            Some(i)
        } else if price < self.max_price() {
            Some(self.bucket_count - 1)
        } else {
            None
        }
    }

    /// Number of buckets whose centre lies below `price`, i.e. the first index with `center ≥ price`.
    pub(crate) fn first_center_at_or_above(&self, price: f64) -> usize {
        self.count_centers(|c| c < price, price)
    }

    /// Number of buckets whose centre lies at or below `price`, i.e. the first index with `center > price`.
    pub(crate) fn first_center_above(&self, price: f64) -> usize {
        self.count_centers(|c| c <= price, price)
    }

    /// Counts the leading buckets whose centre satisfies `below` (a monotone predicate): an estimate from the
    /// arithmetic, corrected by at most a step or two so the answer agrees exactly with `center(i)`.
    fn count_centers(&self, below: impl Fn(f64) -> bool, price: f64) -> usize {
        let n = self.bucket_count;
        let estimate = ((price - self.min_price) / self.step + 0.5).clamp(0.0, n as f64);
        let mut i = estimate as usize;
        while i > 0 && !below(self.center(i - 1)) {
            i -= 1;
        }
        while i < n && below(self.center(i)) {
            i += 1;
        }
        i
    }
}

/// One assumed leverage with its share of new positions and the maintenance rate used to place its level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverageLevel {
    /// Assumed leverage, at least 1.
    pub leverage: f64,
    /// Share of each side's new open interest opened at this leverage.
    pub weight: f64,
    /// Flat maintenance rate for the level (maintenance amount 0); 0 gives the heuristic `EP(1 ∓ 1/L)`.
    pub maintenance_margin_rate: f64,
}

/// The assumed leverage mix: leverages ≥ 1, weights ≥ 0 summing to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LeverageGrid {
    levels: Vec<LeverageLevel>,
}

impl LeverageGrid {
    /// A grid with one maintenance rate for every level.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for no leverage; [`MathError::LengthMismatch`] when the slices differ in
    /// length; otherwise as [`LeverageGrid::from_levels`].
    ///
    /// ```
    /// use lens_math::liquidation_map::LeverageGrid;
    /// // Liquidation-risks page example: 10×, 25×, 50× weighted 0.5, 0.3, 0.2, MMR 0.5 %.
    /// let grid = LeverageGrid::new(&[10.0, 25.0, 50.0], &[0.5, 0.3, 0.2], 0.005)?;
    /// assert_eq!(grid.levels().len(), 3);
    /// assert!(LeverageGrid::new(&[10.0, 25.0], &[0.5, 0.4], 0.005).is_err()); // weights sum to 0.9
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(leverages: &[f64], weights: &[f64], maintenance_margin_rate: f64) -> Result<Self> {
        if leverages.len() != weights.len() {
            return Err(MathError::LengthMismatch {
                left: leverages.len(),
                right: weights.len(),
            });
        }
        let levels = leverages
            .iter()
            .zip(weights)
            .map(|(&leverage, &weight)| LeverageLevel {
                leverage,
                weight,
                maintenance_margin_rate,
            })
            .collect();
        Self::from_levels(levels)
    }

    /// A grid with a maintenance rate per level (e.g. each leverage's tier rate).
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for no level; [`MathError::NotFinite`] for NaN/∞;
    /// [`MathError::InvalidParameter`] for a leverage below 1, an MMR outside [0, 1/L), a negative weight,
    /// weights not summing to 1 (±1e-9), or more than [`MAX_LEVERAGE_LEVELS`] levels.
    ///
    /// ```
    /// use lens_math::liquidation_map::{LeverageGrid, LeverageLevel};
    /// let grid = LeverageGrid::from_levels(vec![
    ///     LeverageLevel { leverage: 5.0, weight: 0.6, maintenance_margin_rate: 0.004 },
    ///     LeverageLevel { leverage: 100.0, weight: 0.4, maintenance_margin_rate: 0.005 },
    /// ])?;
    /// assert_eq!(grid.levels()[1].leverage, 100.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn from_levels(levels: Vec<LeverageLevel>) -> Result<Self> {
        if levels.is_empty() {
            return Err(MathError::NotEnoughData { needed: 1, got: 0 });
        }
        if levels.len() > MAX_LEVERAGE_LEVELS {
            return Err(invalid("leverage_grid", "has more levels than allowed"));
        }
        let mut weight_sum = 0.0;
        for level in &levels {
            validate_leverage_and_rate(level.leverage, level.maintenance_margin_rate)?;
            let weight = ensure_finite("weight", level.weight)?;
            if weight < 0.0 {
                return Err(invalid("weight", "must not be negative"));
            }
            weight_sum += weight;
        }
        if (weight_sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(invalid("weight", "weights must sum to 1"));
        }
        Ok(Self { levels })
    }

    /// The levels in the order given.
    pub fn levels(&self) -> &[LeverageLevel] {
        &self.levels
    }

    /// `(LP / entry, weight)` per level for one side, computed once per map instead of once per bar.
    pub(crate) fn factors(&self, side: Side) -> Vec<(f64, f64)> {
        self.levels
            .iter()
            .map(|l| {
                (
                    flat_liquidation_factor(side, l.leverage, l.maintenance_margin_rate),
                    l.weight,
                )
            })
            .collect()
    }
}

fn validate_range(min_price: f64, max_price: f64) -> Result<(f64, f64)> {
    let min = ensure_finite("min_price", min_price)?;
    let max = ensure_finite("max_price", max_price)?;
    if min < 0.0 {
        return Err(invalid("min_price", "must not be negative"));
    }
    if max <= min {
        return Err(invalid("max_price", "must exceed min_price"));
    }
    Ok((min, max))
}
