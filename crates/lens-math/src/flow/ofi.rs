//! Order Flow Imbalance (OFI) of Cont, Kukanov & Stoikov, "The Price Impact of Order Book Events",
//! J. Financial Econometrics 12(1):47–88, 2014 (arXiv 1011.6402): events at the best bid and ask, summed per
//! time bucket, and the linear regression of the mid-price change on it.

use super::buckets::{BucketGrid, BucketSink};
use super::ols::ols;
use super::{ask_level, bid_level, check_best_quote, level_event};
use crate::error::{MathError, Result};
use crate::market::BestQuote;
use crate::series::TimeSeries;

/// Contribution `e_n` of the change from one best-quote snapshot to the next.
///
/// # Formula
/// ```text
/// e_n = 1{P^B_n ≥ P^B_{n−1}}·q^B_n − 1{P^B_n ≤ P^B_{n−1}}·q^B_{n−1}
///     − 1{P^A_n ≤ P^A_{n−1}}·q^A_n + 1{P^A_n ≥ P^A_{n−1}}·q^A_{n−1}
/// ```
/// with inclusive inequalities, as in Cont, Kukanov & Stoikov (2014): when a price is unchanged both
/// terms count and the side contributes its change in size. Strict inequalities, found in several public
/// implementations, drop those events.
///
/// # Errors
/// [`MathError::NotFinite`] for a NaN/∞ price or size, [`MathError::InvalidParameter`] for a price ≤ 0 or a
/// negative size.
///
/// ```
/// use lens_math::flow::ofi_contribution;
/// use lens_math::market::BestQuote;
/// let before = BestQuote { time_ms: 0, bid_price: 100.0, bid_size: 15.0, ask_price: 101.0, ask_size: 4.0 };
/// let after = BestQuote { time_ms: 1, bid_price: 101.0, bid_size: 5.0, ask_price: 102.0, ask_size: 8.0 };
/// // Both quotes tick up: the new bid (5) joins buying pressure, the old ask (4) left the supply.
/// assert_eq!(ofi_contribution(&before, &after)?, 9.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn ofi_contribution(previous: &BestQuote, current: &BestQuote) -> Result<f64> {
    check_best_quote(previous)?;
    check_best_quote(current)?;
    Ok(event(previous, current))
}

/// Total OFI over a run of snapshots: the sum of `e_n` over every consecutive pair.
///
/// # Formula
/// `OFI = Σ_{n=1}^{N−1} e_n` (Cont, Kukanov & Stoikov 2014), `e_n` as in [`ofi_contribution`].
///
/// # Errors
/// [`MathError::NotEnoughData`] for fewer than two snapshots, [`MathError::Unsorted`] when times decrease
/// (equal times are allowed: feeds stamp several updates with the same millisecond), and the quote errors of
/// [`ofi_contribution`].
///
/// ```
/// use lens_math::flow::order_flow_imbalance;
/// use lens_math::market::BestQuote;
/// let q = |t, bid_size, ask_size| BestQuote { time_ms: t, bid_price: 100.0, bid_size, ask_price: 101.0, ask_size };
/// // Prices never move, so OFI telescopes to Δ(bid size) − Δ(ask size) = (15 − 10) − (4 − 10).
/// assert_eq!(order_flow_imbalance(&[q(0, 10.0, 10.0), q(1, 15.0, 10.0), q(2, 15.0, 4.0)])?, 11.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn order_flow_imbalance(quotes: &[BestQuote]) -> Result<f64> {
    // Buckets as long as the i64 range; the sink ignores their closes and keeps one running total.
    let grid = BucketGrid::new(i64::MAX, 1.0)?;
    let mut total = TotalSink { sum: 0.0 };
    grid.aggregate(quotes, &mut total)?;
    crate::error::ensure_finite("order flow imbalance", total.sum)
}

/// OFI summed per time bucket, with the mid-price change over each bucket in ticks.
///
/// # Formula
/// ```text
/// OFI_k = Σ e_n over snapshots n with t_{k−1} < time_n ≤ t_k,   t_k = k · interval_ms (epoch-aligned)
/// ΔP_k  = (mid at t_k − mid at t_{k−1}) / tick_size
/// ```
/// (Cont, Kukanov & Stoikov 2014; buckets are right-closed and stamped with their end `t_k`, unlike
/// [`TimeSeries::resample`], which stamps with the start.) The mid at a time is that of the last snapshot at
/// or before it; the first bucket's change is measured from the first snapshot. Buckets with no event are
/// left out. One pass, no allocation per snapshot.
///
/// ```
/// use lens_math::flow::OrderFlowImbalance;
/// use lens_math::market::BestQuote;
/// let q = |t, bid, bid_size| {
///     BestQuote { time_ms: t, bid_price: bid, bid_size, ask_price: bid + 1.0, ask_size: 10.0 }
/// };
/// let quotes = [q(0, 100.0, 10.0), q(400, 100.0, 12.0), q(1_200, 101.0, 3.0)];
/// let buckets = OrderFlowImbalance::new(1_000, 0.5)?.compute(&quotes)?;
/// assert_eq!(buckets.ofi.times_ms(), &[1_000, 2_000]);
/// assert_eq!(buckets.ofi.values(), &[2.0, 13.0]); // bid 10 → 12; then bid up (+3) and ask up (+10)
/// assert_eq!(buckets.mid_change_ticks.values(), &[0.0, 2.0]); // the mid rose one price unit = 2 ticks
/// # Ok::<(), lens_math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderFlowImbalance {
    grid: BucketGrid,
}

impl OrderFlowImbalance {
    /// Buckets of `interval_ms`, price changes counted in ticks of `tick_size` (quote currency).
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when `interval_ms` is not positive or `tick_size` is not a positive
    /// finite number.
    pub fn new(interval_ms: i64, tick_size: f64) -> Result<Self> {
        Ok(Self {
            grid: BucketGrid::new(interval_ms, tick_size)?,
        })
    }

    /// Bucket length in ms.
    pub fn interval_ms(&self) -> i64 {
        self.grid.interval_ms()
    }

    /// Price increment that one tick of mid change stands for (quote currency).
    pub fn tick_size(&self) -> f64 {
        self.grid.tick_size()
    }

    /// OFI and mid change per bucket.
    ///
    /// # Errors
    /// As [`order_flow_imbalance`]; [`MathError::NotFinite`] when a bucket sum overflows.
    pub fn compute(&self, quotes: &[BestQuote]) -> Result<OfiSeries> {
        let capacity = match (quotes.first(), quotes.last()) {
            (Some(first), Some(last)) => {
                self.grid
                    .capacity_hint(first.time_ms, last.time_ms, quotes.len())
            }
            _ => 0,
        };
        let mut sink = SeriesSink {
            sum: 0.0,
            times_ms: Vec::with_capacity(capacity),
            ofi: Vec::with_capacity(capacity),
            mid_change_ticks: Vec::with_capacity(capacity),
        };
        self.grid.aggregate(quotes, &mut sink)?;
        Ok(OfiSeries {
            ofi: TimeSeries::from_parts_unchecked(sink.times_ms.clone(), sink.ofi),
            mid_change_ticks: TimeSeries::from_parts_unchecked(
                sink.times_ms,
                sink.mid_change_ticks,
            ),
        })
    }
}

/// Per-bucket OFI and mid change, both stamped with the bucket end.
#[derive(Debug, Clone, PartialEq)]
pub struct OfiSeries {
    /// Sum of `e_n` in each bucket (units of size).
    pub ofi: TimeSeries,
    /// Mid-price change over each bucket, in ticks.
    pub mid_change_ticks: TimeSeries,
}

impl OfiSeries {
    /// Contemporaneous price-impact regression of the mid change on OFI, by ordinary least squares.
    ///
    /// # Formula
    /// `ΔP_k = α + β·OFI_k + ε_k` (Cont, Kukanov & Stoikov 2014); `R² = 1 − SSE/SST`. The paper
    /// reports β roughly inversely proportional to depth and an average R² near 65 % for US stocks.
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for fewer than 3 buckets; [`MathError::InvalidParameter`] when OFI or the
    /// mid change is the same in every bucket (slope or R² undefined).
    ///
    /// ```
    /// use lens_math::flow::OrderFlowImbalance;
    /// use lens_math::market::BestQuote;
    /// // Every 5 units of net bid growth lift the bid by one tick of 0.5.
    /// let quotes: Vec<BestQuote> = (0..=6)
    ///     .map(|k| {
    ///         let bid = 100.0 + 0.5 * f64::from(k * (k + 1) / 2);
    ///         let bid_size = 5.0 * f64::from(k + 1);
    ///         let time_ms = i64::from(k) * 1_000;
    ///         BestQuote { time_ms, bid_price: bid, bid_size, ask_price: 200.0, ask_size: 1.0 }
    ///     })
    ///     .collect();
    /// let fit = OrderFlowImbalance::new(1_000, 0.5)?.compute(&quotes)?.regression()?;
    /// assert!((fit.slope_ticks_per_unit - 0.1).abs() < 1e-12 && fit.r_squared > 0.999_999);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn regression(&self) -> Result<OfiRegression> {
        let fit = ols(&[self.ofi.values()], self.mid_change_ticks.values())?;
        let slope = fit
            .slopes
            .first()
            .copied()
            .ok_or(MathError::NotEnoughData { needed: 1, got: 0 })?;
        Ok(OfiRegression {
            intercept_ticks: fit.intercept,
            slope_ticks_per_unit: slope,
            r_squared: fit.r_squared,
            observations: self.ofi.len(),
        })
    }
}

/// Result of the OFI → mid-change regression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfiRegression {
    /// α, in ticks.
    pub intercept_ticks: f64,
    /// β, ticks of mid change per unit of OFI; larger in thinner books.
    pub slope_ticks_per_unit: f64,
    /// Share of the variance of ΔP explained by OFI, in [0, 1].
    pub r_squared: f64,
    /// Number of buckets used.
    pub observations: usize,
}

#[inline]
fn event(previous: &BestQuote, current: &BestQuote) -> f64 {
    level_event(
        bid_level(previous),
        bid_level(current),
        ask_level(previous),
        ask_level(current),
    )
}

impl BucketSink<BestQuote> for TotalSink {
    fn time_ms(quote: &BestQuote) -> i64 {
        quote.time_ms
    }
    fn check(&self, quote: &BestQuote) -> Result<()> {
        check_best_quote(quote)
    }
    fn mid(quote: &BestQuote) -> f64 {
        quote.mid()
    }
    fn add_event(&mut self, previous: &BestQuote, current: &BestQuote) {
        self.sum += event(previous, current);
    }
    fn close_bucket(&mut self, _end_ms: i64, _mid_change_ticks: f64) -> Result<()> {
        Ok(())
    }
}

struct TotalSink {
    sum: f64,
}

struct SeriesSink {
    sum: f64,
    times_ms: Vec<i64>,
    ofi: Vec<f64>,
    mid_change_ticks: Vec<f64>,
}

impl BucketSink<BestQuote> for SeriesSink {
    fn time_ms(quote: &BestQuote) -> i64 {
        quote.time_ms
    }
    fn check(&self, quote: &BestQuote) -> Result<()> {
        check_best_quote(quote)
    }
    fn mid(quote: &BestQuote) -> f64 {
        quote.mid()
    }
    fn add_event(&mut self, previous: &BestQuote, current: &BestQuote) {
        self.sum += event(previous, current);
    }
    fn close_bucket(&mut self, end_ms: i64, mid_change_ticks: f64) -> Result<()> {
        let sum = crate::error::ensure_finite("bucket OFI", self.sum)?;
        self.times_ms.push(end_ms);
        self.ofi.push(sum);
        self.mid_change_ticks.push(mid_change_ticks);
        self.sum = 0.0;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
