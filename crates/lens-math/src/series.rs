//! The time-series type every indicator takes and returns: i64 millisecond UTC timestamps, strictly increasing,
//! with one finite `f64` value each.
//!
//! Keeping the timestamp with every value is how outputs stay aligned with inputs: an indicator with a warm-up
//! period returns fewer points, but each one still sits at the time of the input it was computed from.

use crate::error::{MathError, Result};

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// A 365-day year in milliseconds, as a float: the year every annualisation here uses (option time to
/// expiry, realised volatility, CPPI interest).
pub const YEAR_MS: f64 = 365.0 * DAY_MS as f64;

/// Strictly increasing timestamps (ms UTC) with one finite value each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeSeries {
    times_ms: Vec<i64>,
    values: Vec<f64>,
}

/// How the points that fall in one resampling bucket become one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    First,
    Last,
    Sum,
    Mean,
    Min,
    Max,
}

impl TimeSeries {
    /// A series from matching vectors.
    ///
    /// # Errors
    /// [`MathError::LengthMismatch`] when the vectors differ in length, [`MathError::Unsorted`] when timestamps
    /// are not strictly increasing, [`MathError::NotFinite`] for a NaN or infinite value.
    ///
    /// ```
    /// use lens_math::series::TimeSeries;
    /// let s = TimeSeries::new(vec![0, 1_000, 2_000], vec![1.0, 2.0, 3.0])?;
    /// assert_eq!(s.len(), 3);
    /// assert!(TimeSeries::new(vec![0, 0], vec![1.0, 2.0]).is_err());
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(times_ms: Vec<i64>, values: Vec<f64>) -> Result<Self> {
        if times_ms.len() != values.len() {
            return Err(MathError::LengthMismatch {
                left: times_ms.len(),
                right: values.len(),
            });
        }
        if times_ms.windows(2).any(|w| w[1] <= w[0]) {
            return Err(MathError::Unsorted);
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(MathError::NotFinite {
                name: "series value",
            });
        }
        Ok(Self { times_ms, values })
    }

    /// A series from points in any order, as they come from outside: non-finite values are dropped, points are
    /// sorted by time, and of several points with the same timestamp the last one given wins.
    pub fn from_points_lossy(points: impl IntoIterator<Item = (i64, f64)>) -> Self {
        let mut points: Vec<(usize, i64, f64)> = points
            .into_iter()
            .enumerate()
            .filter(|(_, (_, v))| v.is_finite())
            .map(|(i, (t, v))| (i, t, v))
            .collect();
        crate::sort::sort_by_key(&mut points, |&(i, t, _)| (t, i));
        let mut times_ms = Vec::with_capacity(points.len());
        let mut values = Vec::with_capacity(points.len());
        for (_, t, v) in points {
            if times_ms.last() == Some(&t) {
                if let Some(last) = values.last_mut() {
                    *last = v;
                }
            } else {
                times_ms.push(t);
                values.push(v);
            }
        }
        Self { times_ms, values }
    }

    /// Builds a series from the points of another computation whose times are known to be strictly
    /// increasing and values finite (checked in debug builds).
    pub(crate) fn from_parts_unchecked(times_ms: Vec<i64>, values: Vec<f64>) -> Self {
        debug_assert_eq!(times_ms.len(), values.len());
        debug_assert!(times_ms.windows(2).all(|w| w[1] > w[0]));
        debug_assert!(values.iter().all(|v| v.is_finite()));
        Self { times_ms, values }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn times_ms(&self) -> &[i64] {
        &self.times_ms
    }

    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// `(time_ms, value)` pairs, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        self.times_ms
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }

    pub fn first(&self) -> Option<(i64, f64)> {
        Some((*self.times_ms.first()?, *self.values.first()?))
    }

    pub fn last(&self) -> Option<(i64, f64)> {
        Some((*self.times_ms.last()?, *self.values.last()?))
    }

    /// Index of the last point at or before `time_ms` (binary search).
    pub fn index_at_or_before(&self, time_ms: i64) -> Option<usize> {
        self.times_ms
            .partition_point(|&t| t <= time_ms)
            .checked_sub(1)
    }

    /// The value in force at `time_ms`: the last one at or before it ("as of").
    pub fn value_as_of(&self, time_ms: i64) -> Option<f64> {
        self.index_at_or_before(time_ms).map(|i| self.values[i])
    }

    /// The points with `from_ms <= t <= to_ms`.
    pub fn between(&self, from_ms: i64, to_ms: i64) -> TimeSeries {
        let start = self.times_ms.partition_point(|&t| t < from_ms);
        let end = self.times_ms.partition_point(|&t| t <= to_ms).max(start);
        Self::from_parts_unchecked(
            self.times_ms[start..end].to_vec(),
            self.values[start..end].to_vec(),
        )
    }

    /// Applies `f` to every value; points where `f` gives a non-finite number are dropped.
    pub fn map(&self, mut f: impl FnMut(f64) -> f64) -> TimeSeries {
        Self::from_points_lossy(self.iter().map(|(t, v)| (t, f(v))))
    }

    /// Simple returns `v_t / v_{t−1} − 1`, at the later timestamp (one point fewer). Pairs with a zero
    /// previous value are skipped.
    pub fn simple_returns(&self) -> TimeSeries {
        self.pairwise(|prev, cur| cur / prev - 1.0)
    }

    /// Log returns `ln(v_t / v_{t−1})`, at the later timestamp; pairs that are not both positive are skipped.
    pub fn log_returns(&self) -> TimeSeries {
        self.pairwise(|prev, cur| {
            if prev > 0.0 && cur > 0.0 {
                (cur / prev).ln()
            } else {
                f64::NAN
            }
        })
    }

    /// Differences `v_t − v_{t−1}`, at the later timestamp.
    pub fn diff(&self) -> TimeSeries {
        self.pairwise(|prev, cur| cur - prev)
    }

    fn pairwise(&self, f: impl Fn(f64, f64) -> f64) -> TimeSeries {
        let mut times = Vec::with_capacity(self.len().saturating_sub(1));
        let mut values = Vec::with_capacity(self.len().saturating_sub(1));
        for i in 1..self.len() {
            let v = f(self.values[i - 1], self.values[i]);
            if v.is_finite() {
                times.push(self.times_ms[i]);
                values.push(v);
            }
        }
        Self::from_parts_unchecked(times, values)
    }

    /// Buckets the series on a grid of `interval_ms` (aligned to the Unix epoch, bucket stamped with its start)
    /// and aggregates each bucket. Empty buckets produce no point.
    ///
    /// # Errors
    /// [`MathError::InvalidParameter`] when `interval_ms` is not positive.
    ///
    /// ```
    /// use lens_math::series::{Aggregation, TimeSeries, HOUR_MS};
    /// let minutes = TimeSeries::new(vec![0, 1_800_000, 3_600_000], vec![1.0, 3.0, 5.0])?;
    /// let hourly = minutes.resample(HOUR_MS, Aggregation::Mean)?;
    /// assert_eq!(hourly.values(), &[2.0, 5.0]);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn resample(&self, interval_ms: i64, aggregation: Aggregation) -> Result<TimeSeries> {
        if interval_ms <= 0 {
            return Err(MathError::InvalidParameter {
                name: "interval",
                reason: "must be positive",
            });
        }
        let mut times = Vec::new();
        let mut values: Vec<f64> = Vec::new();
        let mut count = 0usize;
        for (t, v) in self.iter() {
            let bucket = t.div_euclid(interval_ms) * interval_ms;
            if times.last() != Some(&bucket) {
                finish_mean(aggregation, &mut values, count);
                times.push(bucket);
                values.push(v);
                count = 1;
                continue;
            }
            count += 1;
            if let Some(acc) = values.last_mut() {
                *acc = match aggregation {
                    Aggregation::First => *acc,
                    Aggregation::Last => v,
                    Aggregation::Sum | Aggregation::Mean => *acc + v,
                    Aggregation::Min => acc.min(v),
                    Aggregation::Max => acc.max(v),
                };
            }
        }
        finish_mean(aggregation, &mut values, count);
        // Sums of finite numbers can overflow to infinity; drop such buckets rather than break the invariant.
        Ok(Self::from_points_lossy(times.into_iter().zip(values)))
    }
}

fn finish_mean(aggregation: Aggregation, values: &mut [f64], count: usize) {
    if aggregation == Aggregation::Mean
        && count > 0
        && let Some(acc) = values.last_mut()
    {
        *acc /= count as f64;
    }
}

/// Several series on their common timestamps (inner join): the shared times and, per series, its values there.
///
/// ```
/// use lens_math::series::{align, TimeSeries};
/// let a = TimeSeries::new(vec![1, 2, 3], vec![10.0, 20.0, 30.0])?;
/// let b = TimeSeries::new(vec![2, 3, 4], vec![0.2, 0.3, 0.4])?;
/// let (times, columns) = align(&[&a, &b]);
/// assert_eq!(times, vec![2, 3]);
/// assert_eq!(columns, vec![vec![20.0, 30.0], vec![0.2, 0.3]]);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn align(series: &[&TimeSeries]) -> (Vec<i64>, Vec<Vec<f64>>) {
    let Some((first, rest)) = series.split_first() else {
        return (Vec::new(), Vec::new());
    };
    let times: Vec<i64> = first
        .times_ms()
        .iter()
        .copied()
        .filter(|t| rest.iter().all(|s| s.times_ms().binary_search(t).is_ok()))
        .collect();
    let columns = series
        .iter()
        .map(|s| {
            times
                .iter()
                .filter_map(|t| s.times_ms().binary_search(t).ok().map(|i| s.values()[i]))
                .collect()
        })
        .collect();
    (times, columns)
}

/// Each series sampled "as of" every time of `grid`: the last value at or before it. Grid times before a
/// series' first point are dropped for all series, so every column has the same length as the returned times.
pub fn align_as_of(grid: &[i64], series: &[&TimeSeries]) -> (Vec<i64>, Vec<Vec<f64>>) {
    let start = series
        .iter()
        .filter_map(|s| s.first())
        .map(|(t, _)| t)
        .max();
    let times: Vec<i64> = match start {
        Some(start) if series.iter().all(|s| !s.is_empty()) => {
            let mut ts: Vec<i64> = grid.iter().copied().filter(|&t| t >= start).collect();
            crate::sort::sort(&mut ts);
            ts.dedup();
            ts
        }
        _ => Vec::new(),
    };
    let columns = series
        .iter()
        .map(|s| times.iter().filter_map(|&t| s.value_as_of(t)).collect())
        .collect();
    (times, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn new_rejects_bad_shapes() {
        assert_eq!(
            TimeSeries::new(vec![1], vec![]),
            Err(MathError::LengthMismatch { left: 1, right: 0 })
        );
        assert_eq!(
            TimeSeries::new(vec![2, 1], vec![0.0, 0.0]),
            Err(MathError::Unsorted)
        );
        assert!(matches!(
            TimeSeries::new(vec![1], vec![f64::NAN]),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            TimeSeries::new(vec![1], vec![f64::INFINITY]),
            Err(MathError::NotFinite { .. })
        ));
        assert!(TimeSeries::new(vec![], vec![]).unwrap().is_empty());
    }

    #[test]
    fn lossy_sorts_dedups_and_drops_non_finite() {
        let s = TimeSeries::from_points_lossy([
            (3, 3.0),
            (1, 1.0),
            (2, f64::NAN),
            (3, 33.0),
            (0, f64::NEG_INFINITY),
        ]);
        assert_eq!(s.times_ms(), &[1, 3]);
        assert_eq!(s.values(), &[1.0, 33.0]);
    }

    #[test]
    fn as_of_lookup_uses_last_value_at_or_before() {
        let s = TimeSeries::new(vec![10, 20, 30], vec![1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.value_as_of(9), None);
        assert_eq!(s.value_as_of(10), Some(1.0));
        assert_eq!(s.value_as_of(29), Some(2.0));
        assert_eq!(s.value_as_of(1_000), Some(3.0));
        assert_eq!(s.between(15, 30).values(), &[2.0, 3.0]);
        assert!(s.between(31, 10).is_empty());
    }

    #[test]
    fn returns_are_stamped_at_the_later_time() {
        let s = TimeSeries::new(vec![0, 1, 2], vec![100.0, 110.0, 99.0]).unwrap();
        let r = s.simple_returns();
        assert_eq!(r.times_ms(), &[1, 2]);
        assert!((r.values()[0] - 0.10).abs() < 1e-12);
        assert!((r.values()[1] - (-0.1)).abs() < 1e-12);
        let l = s.log_returns();
        assert!((l.values()[0] - 1.1f64.ln()).abs() < 1e-12);
        assert_eq!(s.diff().values(), &[10.0, -11.0]);
    }

    #[test]
    fn returns_skip_zero_and_negative_prices() {
        let s = TimeSeries::new(vec![0, 1, 2], vec![0.0, 10.0, -1.0]).unwrap();
        assert!(s.simple_returns().values().iter().all(|v| v.is_finite()));
        assert!(s.log_returns().is_empty());
    }

    #[test]
    fn resample_aggregations() {
        let s = TimeSeries::new(vec![0, 1, 5, 6, 7], vec![1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        let r = |a| s.resample(5, a).unwrap();
        assert_eq!(r(Aggregation::First).values(), &[1.0, 3.0]);
        assert_eq!(r(Aggregation::Last).values(), &[2.0, 5.0]);
        assert_eq!(r(Aggregation::Sum).values(), &[3.0, 12.0]);
        assert_eq!(r(Aggregation::Mean).values(), &[1.5, 4.0]);
        assert_eq!(r(Aggregation::Min).values(), &[1.0, 3.0]);
        assert_eq!(r(Aggregation::Max).values(), &[2.0, 5.0]);
        assert_eq!(r(Aggregation::Max).times_ms(), &[0, 5]);
        assert!(s.resample(0, Aggregation::Sum).is_err());
    }

    #[test]
    fn resample_handles_negative_times_and_overflow() {
        let s = TimeSeries::new(vec![-7, -1, 1], vec![f64::MAX, f64::MAX, 1.0]).unwrap();
        let sum = s.resample(10, Aggregation::Sum).unwrap();
        assert_eq!(sum.times_ms(), &[0]); // the overflowing bucket [-10, 0) is dropped
    }

    #[test]
    fn align_as_of_samples_slow_series_on_a_fast_grid() {
        let funding = TimeSeries::new(vec![0, 8], vec![0.01, 0.02]).unwrap();
        let price = TimeSeries::new(vec![0, 4, 8, 12], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let (times, cols) = align_as_of(price.times_ms(), &[&price, &funding]);
        assert_eq!(times, vec![0, 4, 8, 12]);
        assert_eq!(cols[1], vec![0.01, 0.01, 0.02, 0.02]);
        let empty = TimeSeries::default();
        assert_eq!(align_as_of(&[1, 2], &[&empty]).0, Vec::<i64>::new());
        assert_eq!(align(&[]).0, Vec::<i64>::new());
    }

    proptest! {
        #[test]
        fn lossy_construction_always_upholds_the_invariants(points in prop::collection::vec((any::<i64>(), any::<f64>()), 0..200)) {
            let s = TimeSeries::from_points_lossy(points);
            prop_assert!(s.times_ms().windows(2).all(|w| w[1] > w[0]));
            prop_assert!(s.values().iter().all(|v| v.is_finite()));
            prop_assert!(TimeSeries::new(s.times_ms().to_vec(), s.values().to_vec()).is_ok());
        }

        #[test]
        fn resample_sum_conserves_the_total(values in prop::collection::vec(-1e6f64..1e6, 1..100), step in 1i64..50) {
            let times: Vec<i64> = (0..values.len() as i64).map(|i| i * 7).collect();
            let s = TimeSeries::new(times, values.clone()).unwrap();
            let total: f64 = s.resample(step, Aggregation::Sum).unwrap().values().iter().sum();
            prop_assert!((total - values.iter().sum::<f64>()).abs() < 1e-6);
        }
    }
}
