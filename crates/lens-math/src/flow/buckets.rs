//! The bucketing pass shared by one-level and multi-level OFI: one walk over the snapshots, events summed into
//! right-closed buckets `(t_{k−1}, t_k]` of an epoch-aligned grid, and the mid-price change over each bucket.

use crate::error::{MathError, Result, ensure_finite, ensure_positive};

/// What the bucketing pass needs to know about one kind of snapshot, and where the sums go.
pub(super) trait BucketSink<S> {
    fn time_ms(snapshot: &S) -> i64;
    /// Rejects a snapshot the event rule cannot use.
    fn check(&self, snapshot: &S) -> Result<()>;
    /// Mid price of a snapshot that passed [`BucketSink::check`].
    fn mid(snapshot: &S) -> f64;
    /// Adds the event between two consecutive snapshots to the open bucket.
    fn add_event(&mut self, previous: &S, current: &S);
    /// Closes the open bucket, which ends at `end_ms` and holds at least one event.
    fn close_bucket(&mut self, end_ms: i64, mid_change_ticks: f64) -> Result<()>;
}

/// Bucket length and tick size, validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct BucketGrid {
    interval_ms: i64,
    tick_size: f64,
}

impl BucketGrid {
    pub(super) fn new(interval_ms: i64, tick_size: f64) -> Result<Self> {
        if interval_ms <= 0 {
            return Err(MathError::InvalidParameter {
                name: "bucket interval",
                reason: "must be a positive number of ms",
            });
        }
        let tick_size = ensure_positive("tick size", tick_size)?;
        Ok(Self {
            interval_ms,
            tick_size,
        })
    }

    pub(super) fn interval_ms(&self) -> i64 {
        self.interval_ms
    }

    pub(super) fn tick_size(&self) -> f64 {
        self.tick_size
    }

    /// How many buckets `snapshots` can fill at most: one per event, and no more than the grid has between the
    /// first and the last time. Lets the output vectors be sized once.
    pub(super) fn capacity_hint(&self, first_ms: i64, last_ms: i64, snapshots: usize) -> usize {
        let span = i128::from(last_ms) - i128::from(first_ms);
        let grid_buckets = (span.max(0) / i128::from(self.interval_ms)).saturating_add(2);
        usize::try_from(grid_buckets)
            .unwrap_or(usize::MAX)
            .min(snapshots.saturating_sub(1))
    }

    /// The grid time `t_k = k · interval` with `t_{k−1} < time_ms ≤ t_k`.
    fn bucket_end(&self, time_ms: i64) -> Result<i64> {
        // i128 because rounding up near i64::MAX would overflow.
        let interval = i128::from(self.interval_ms);
        let end = (i128::from(time_ms) + interval - 1).div_euclid(interval) * interval;
        i64::try_from(end).map_err(|_| MathError::InvalidParameter {
            name: "snapshot time",
            reason: "its bucket end does not fit in i64 milliseconds",
        })
    }

    /// Walks `snapshots` once (no allocation per snapshot), feeding events and closed buckets to `sink`.
    ///
    /// Each event belongs to the bucket of its later snapshot. A bucket's mid change runs from the mid in force
    /// at its start (the last snapshot before it) to the mid of its last snapshot; the very first bucket starts
    /// from the first snapshot, where the event stream starts. Buckets without events are skipped, since a gap
    /// in the feed looks the same as a quiet book.
    pub(super) fn aggregate<S, K: BucketSink<S>>(
        &self,
        snapshots: &[S],
        sink: &mut K,
    ) -> Result<()> {
        let Some((first, rest)) = snapshots.split_first() else {
            return Err(MathError::NotEnoughData { needed: 2, got: 0 });
        };
        if rest.is_empty() {
            return Err(MathError::NotEnoughData { needed: 2, got: 1 });
        }
        sink.check(first)?;
        let mut previous = first;
        let mut previous_time_ms = K::time_ms(first);
        let mut bucket_end_ms = self.bucket_end(previous_time_ms)?;
        let mut mid_at_bucket_start = K::mid(first);
        // Only the bucket of the first snapshot can be without events: every later bucket opens with one.
        let mut bucket_has_events = false;
        for current in rest {
            sink.check(current)?;
            let time_ms = K::time_ms(current);
            if time_ms < previous_time_ms {
                return Err(MathError::Unsorted);
            }
            if time_ms > bucket_end_ms {
                if bucket_has_events {
                    let change = self.ticks(K::mid(previous) - mid_at_bucket_start)?;
                    sink.close_bucket(bucket_end_ms, change)?;
                }
                mid_at_bucket_start = K::mid(previous);
                bucket_end_ms = self.bucket_end(time_ms)?;
            }
            sink.add_event(previous, current);
            bucket_has_events = true;
            previous = current;
            previous_time_ms = time_ms;
        }
        let change = self.ticks(K::mid(previous) - mid_at_bucket_start)?;
        sink.close_bucket(bucket_end_ms, change)
    }

    fn ticks(&self, price_change: f64) -> Result<f64> {
        ensure_finite("mid change in ticks", price_change / self.tick_size)
    }
}
