//! Multi-level order flow imbalance (MLOFI) of Xu, Gould & Howison, "Multi-Level Order-Flow Imbalance in a
//! Limit Order Book", Market Microstructure and Liquidity 4(3&4) 1950011 (2018), arXiv 1907.06230: the
//! Cont–Kukanov–Stoikov event rule applied to each of the first M price levels, and the regression of the mid
//! change on all M of them.

use super::buckets::{BucketGrid, BucketSink};
use super::ols::ols;
use super::{BookSide, check_book_side, level_event};
use crate::error::{MathError, Result, ensure_finite};
use crate::market::{BookLevel, OrderBook};
use crate::series::TimeSeries;

/// MLOFI per time bucket: one OFI series per book level, plus the mid change in ticks.
///
/// # Formula
/// ```text
/// e^m_n = 1{b^m_n ≥ b^m_{n−1}}·q^{b,m}_n − 1{b^m_n ≤ b^m_{n−1}}·q^{b,m}_{n−1}
///       − 1{a^m_n ≤ a^m_{n−1}}·q^{a,m}_n + 1{a^m_n ≥ a^m_{n−1}}·q^{a,m}_{n−1}      m = 1..M
/// MLOFI^m_k = Σ e^m_n over snapshots in (t_{k−1}, t_k]
/// ```
/// where `b^m`, `a^m` are the m-th best bid and ask prices and `q` their sizes (Xu, Gould & Howison 2018).
/// Level 1 is exactly [`super::OrderFlowImbalance`]; buckets, mid changes and skipped empty buckets follow it
/// too.
///
/// Every snapshot must show at least M levels on each side, listed best first; this crate does not invent
/// prices for missing levels.
///
/// ```
/// use lens_math::flow::MultiLevelOfi;
/// use lens_math::market::{BookLevel, OrderBook};
/// let l = |price, size| BookLevel { price, size };
/// let asks = vec![l(101.0, 7.0), l(102.0, 3.0)];
/// let before = OrderBook { time_ms: 0, bids: vec![l(100.0, 10.0), l(99.0, 5.0)], asks };
/// // A new best bid of 2 at 100.5 pushes the old best bid down to level 2.
/// let after = OrderBook { time_ms: 1, bids: vec![l(100.5, 2.0), l(100.0, 10.0)], asks: before.asks.clone() };
/// let mlofi = MultiLevelOfi::new(2, 1_000, 0.5)?.compute(&[before, after])?;
/// assert_eq!(mlofi.by_level[0].values(), &[2.0]); // level 1: the new bid queue
/// assert_eq!(mlofi.by_level[1].values(), &[10.0]); // level 2: its price rose to 100, so its new queue counts
/// assert_eq!(mlofi.mid_change_ticks.values(), &[0.5]);
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MultiLevelOfi {
    levels: usize,
    grid: BucketGrid,
}

impl MultiLevelOfi {
    /// MLOFI over the first `levels` levels, in buckets of `interval_ms`, price changes in ticks of `tick_size`.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when `levels` is 0, `interval_ms` is not positive or `tick_size` is not a
    /// positive finite number.
    pub fn new(levels: usize, interval_ms: i64, tick_size: f64) -> Result<Self> {
        if levels == 0 {
            return Err(MathError::InvalidParameter {
                name: "levels",
                reason: "must be at least 1",
            });
        }
        Ok(Self {
            levels,
            grid: BucketGrid::new(interval_ms, tick_size)?,
        })
    }

    /// Number of book levels M.
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// One OFI series per level and the mid change, per bucket.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for fewer than two snapshots or a side with fewer than M levels;
    /// [`MathError::Unsorted`] when times decrease; [`MathError::NotFinite`] / [`MathError::InvalidParameter`]
    /// for a bad price or size, or a side not listed best first.
    pub fn compute(&self, books: &[OrderBook]) -> Result<MultiLevelOfiSeries> {
        // Checked before anything is allocated for M levels, so M is bounded by real data.
        if let Some(first) = books.first() {
            check_levels(first, self.levels)?;
        }
        let capacity = match (books.first(), books.last()) {
            (Some(first), Some(last)) => {
                self.grid
                    .capacity_hint(first.time_ms, last.time_ms, books.len())
            }
            _ => 0,
        };
        let mut sink = LevelSink {
            levels: self.levels,
            sums: vec![0.0; self.levels],
            times_ms: Vec::with_capacity(capacity),
            columns: (0..self.levels)
                .map(|_| Vec::with_capacity(capacity))
                .collect(),
            mid_change_ticks: Vec::with_capacity(capacity),
        };
        self.grid.aggregate(books, &mut sink)?;
        let by_level = sink
            .columns
            .into_iter()
            .map(|values| TimeSeries::from_parts_unchecked(sink.times_ms.clone(), values))
            .collect();
        Ok(MultiLevelOfiSeries {
            by_level,
            mid_change_ticks: TimeSeries::from_parts_unchecked(
                sink.times_ms,
                sink.mid_change_ticks,
            ),
        })
    }
}

/// Per-bucket MLOFI, all series stamped with the bucket end.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiLevelOfiSeries {
    /// `by_level[m − 1]` is the OFI of level m per bucket (units of size).
    pub by_level: Vec<TimeSeries>,
    /// Mid-price change over each bucket, in ticks.
    pub mid_change_ticks: TimeSeries,
}

impl MultiLevelOfiSeries {
    /// Regression of the mid change on the OFI of every level, by ordinary least squares.
    ///
    /// # Formula
    /// `ΔP_k = α + Σ_{m=1..M} β_m·MLOFI^m_k + ε_k` (Xu, Gould & Howison 2018), solved through the normal
    /// equations with partial pivoting; `R² = 1 − SSE/SST`.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for fewer than M + 2 buckets; [`MathError::InvalidParameter`] when the
    /// levels' OFI series are collinear (e.g. two levels that always move together) or the mid never changes.
    pub fn regression(&self) -> Result<MultiLevelRegression> {
        let columns: Vec<&[f64]> = self.by_level.iter().map(TimeSeries::values).collect();
        let fit = ols(&columns, self.mid_change_ticks.values())?;
        Ok(MultiLevelRegression {
            intercept_ticks: fit.intercept,
            slopes_ticks_per_unit: fit.slopes,
            r_squared: fit.r_squared,
            observations: self.mid_change_ticks.len(),
        })
    }
}

/// Result of the MLOFI → mid-change regression.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiLevelRegression {
    /// α, in ticks.
    pub intercept_ticks: f64,
    /// β_m for levels 1..M, ticks of mid change per unit of that level's OFI.
    pub slopes_ticks_per_unit: Vec<f64>,
    /// Share of the variance of ΔP explained, in [0, 1].
    pub r_squared: f64,
    /// Number of buckets used.
    pub observations: usize,
}

fn first_levels(levels: &[BookLevel], count: usize) -> Result<&[BookLevel]> {
    levels.get(..count).ok_or(MathError::NotEnoughData {
        needed: count,
        got: levels.len(),
    })
}

fn check_levels(book: &OrderBook, count: usize) -> Result<()> {
    check_book_side(first_levels(&book.bids, count)?, BookSide::Bids)?;
    check_book_side(first_levels(&book.asks, count)?, BookSide::Asks)
}

struct LevelSink {
    levels: usize,
    sums: Vec<f64>,
    times_ms: Vec<i64>,
    columns: Vec<Vec<f64>>,
    mid_change_ticks: Vec<f64>,
}

impl BucketSink<OrderBook> for LevelSink {
    fn time_ms(book: &OrderBook) -> i64 {
        book.time_ms
    }

    fn check(&self, book: &OrderBook) -> Result<()> {
        check_levels(book, self.levels)
    }

    fn mid(book: &OrderBook) -> f64 {
        match (book.bids.first(), book.asks.first()) {
            (Some(bid), Some(ask)) => (bid.price + ask.price) / 2.0,
            // Unreachable after `check`; NaN makes the bucketing pass report it rather than panic.
            _ => f64::NAN,
        }
    }

    fn add_event(&mut self, previous: &OrderBook, current: &OrderBook) {
        let levels = previous
            .bids
            .iter()
            .zip(&current.bids)
            .zip(previous.asks.iter().zip(&current.asks));
        for (sum, ((prev_bid, bid), (prev_ask, ask))) in self.sums.iter_mut().zip(levels) {
            *sum += level_event(*prev_bid, *bid, *prev_ask, *ask);
        }
    }

    fn close_bucket(&mut self, end_ms: i64, mid_change_ticks: f64) -> Result<()> {
        for (sum, column) in self.sums.iter_mut().zip(self.columns.iter_mut()) {
            column.push(ensure_finite("bucket OFI", *sum)?);
            *sum = 0.0;
        }
        self.times_ms.push(end_ms);
        self.mid_change_ticks.push(mid_change_ticks);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
