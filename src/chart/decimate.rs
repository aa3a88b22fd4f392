//! Min/max decimation per pixel column: how a million-point series is drawn in a few milliseconds without
//! losing a spike.
//!
//! The visible time range is cut into `columns` equal buckets (one per pixel column of the plot). Each bucket keeps
//! its lowest and its highest point, in time order, and the first and last points of the range are always kept: at
//! most `2 × columns + 2` points, whose polyline covers exactly the pixels the full series would. LTTB would be
//! smoother but picks one "representative" point per bucket and can drop exactly the liquidation spike a reader is
//! looking for (uPlot's author declined it for that reason).
//!
//! NaN values are skipped and become gaps: the first point drawn after a run of NaN that spans a column boundary
//! carries `gap_before`, so the line breaks there. A gap narrower than a pixel column is not visible and is not kept.
//!
//! Work is O(visible points) with one allocation for the output (none if the caller reuses its buffer), plus a
//! binary search for the visible range. Times must be sorted; unsorted input gives a wrong picture but never a
//! panic. Column arithmetic is done in i128 once per column, so it cannot overflow on 32-bit wasm `usize`.

/// One kept point: where it came from in the input, and whether the line breaks before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecimatedPoint {
    /// Index into the input slices.
    pub index: usize,
    pub time_ms: i64,
    pub value: f64,
    /// A NaN gap lies between the previous kept point and this one: do not join them.
    pub gap_before: bool,
}

/// The bucket (pixel column, `0..columns`) of `time_ms` when `[from_ms, to_ms]` is cut into `columns` equal
/// buckets; `None` outside the range. Exposed so tests and the interaction layer agree with the decimation.
pub fn column_of(time_ms: i64, from_ms: i64, to_ms: i64, columns: u32) -> Option<u32> {
    if columns == 0 || from_ms > to_ms || time_ms < from_ms || time_ms > to_ms {
        return None;
    }
    let len = i128::from(to_ms) - i128::from(from_ms) + 1;
    let col = (i128::from(time_ms) - i128::from(from_ms)) * i128::from(columns) / len;
    u32::try_from(col).ok()
}

/// The first time that falls in bucket `col` (for `col == columns`: one past the range).
fn column_start(col: u32, from_ms: i64, to_ms: i64, columns: u32) -> i64 {
    let len = i128::from(to_ms) - i128::from(from_ms) + 1;
    let c = i128::from(col);
    let offset = (c * len + i128::from(columns) - 1) / i128::from(columns);
    i64::try_from(i128::from(from_ms) + offset).unwrap_or(i64::MAX)
}

/// The index range of points with `from_ms <= t <= to_ms` (binary search on sorted times).
pub fn visible_indices(times_ms: &[i64], from_ms: i64, to_ms: i64) -> std::ops::Range<usize> {
    let start = times_ms.partition_point(|&t| t < from_ms);
    let end = times_ms.partition_point(|&t| t <= to_ms).max(start);
    start..end
}

/// Decimates the points of `[from_ms, to_ms]` into `out` (cleared first), at most `2 × columns + 2` of them.
/// `columns` of 0 counts as 1. Pairs beyond the shorter of the two slices are ignored.
pub fn decimate_min_max_into(
    times_ms: &[i64],
    values: &[f64],
    (from_ms, to_ms): (i64, i64),
    columns: u32,
    out: &mut Vec<DecimatedPoint>,
) {
    out.clear();
    let columns = columns.max(1);
    let n = times_ms.len().min(values.len());
    if from_ms > to_ms || n == 0 {
        return;
    }
    let (times_ms, values) = (&times_ms[..n], &values[..n]);
    let range = visible_indices(times_ms, from_ms, to_ms);
    let finite = |i: &usize| values[*i].is_finite();
    let (Some(first), Some(last)) = (range.clone().find(finite), range.clone().rev().find(finite))
    else {
        return;
    };
    // u64: `2 × columns` overflows a 32-bit usize for absurd column counts; never reserve more than the input.
    let bound = (2 * u64::from(columns) + 2).min(range.len() as u64);
    out.reserve(usize::try_from(bound).unwrap_or(range.len()));

    let mut bucket = Bucket::start(first, values[first], false);
    let mut next_column_start = column_start(
        column_of(times_ms[first], from_ms, to_ms, columns).unwrap_or(0) + 1,
        from_ms,
        to_ms,
        columns,
    );
    let mut nan_since_finite = false;
    for i in first + 1..=last {
        let v = values[i];
        if !v.is_finite() {
            nan_since_finite = true;
            continue;
        }
        let t = times_ms[i];
        if t >= next_column_start {
            bucket.flush(times_ms, values, first, last, out);
            bucket = Bucket::start(i, v, nan_since_finite);
            let col = column_of(t, from_ms, to_ms, columns).unwrap_or(columns - 1);
            next_column_start = column_start(col + 1, from_ms, to_ms, columns);
        } else {
            bucket.add(i, v);
        }
        nan_since_finite = false;
    }
    bucket.flush(times_ms, values, first, last, out);
}

/// [`decimate_min_max_into`] into a new vector.
pub fn decimate_min_max(
    times_ms: &[i64],
    values: &[f64],
    range_ms: (i64, i64),
    columns: u32,
) -> Vec<DecimatedPoint> {
    let mut out = Vec::new();
    decimate_min_max_into(times_ms, values, range_ms, columns, &mut out);
    out
}

/// The extremes of one column so far (the first occurrence wins ties, so constant data keeps one point).
struct Bucket {
    first_index: usize,
    last_index: usize,
    min: (usize, f64),
    max: (usize, f64),
    gap_before: bool,
}

impl Bucket {
    fn start(i: usize, v: f64, gap_before: bool) -> Self {
        Self {
            first_index: i,
            last_index: i,
            min: (i, v),
            max: (i, v),
            gap_before,
        }
    }

    fn add(&mut self, i: usize, v: f64) {
        self.last_index = i;
        if v < self.min.1 {
            self.min = (i, v);
        }
        if v > self.max.1 {
            self.max = (i, v);
        }
    }

    /// Emits the bucket's extremes in time order, plus the range's first/last point when they fall in it.
    fn flush(
        &self,
        times_ms: &[i64],
        values: &[f64],
        first: usize,
        last: usize,
        out: &mut Vec<DecimatedPoint>,
    ) {
        let (a, b) = if self.min.0 <= self.max.0 {
            (self.min.0, self.max.0)
        } else {
            (self.max.0, self.min.0)
        };
        let lead = (self.first_index == first).then_some(first);
        let tail = (self.last_index == last).then_some(last);
        let mut gap_before = self.gap_before;
        let mut previous = None;
        for i in [lead, Some(a), Some(b), tail].into_iter().flatten() {
            if previous == Some(i) {
                continue;
            }
            out.push(DecimatedPoint {
                index: i,
                time_ms: times_ms[i],
                value: values[i],
                gap_before,
            });
            gap_before = false;
            previous = Some(i);
        }
    }
}

#[cfg(test)]
mod tests;
