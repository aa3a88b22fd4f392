//! Funding intervals of venues whose history rows do not state them (Binance, Bybit, OKX).

use super::{HOUR_MS, MINUTE_MS};

/// Funding intervals (hours) the three venues are known to use.
const FUNDING_HOURS: [i64; 5] = [1, 2, 4, 6, 8];

/// The funding interval of each payment, from the spacing of consecutive payment times (sorted oldest first).
///
/// Binance, Bybit and OKX history rows do not state their interval, and symbols move between 8 h, 4 h and 1 h. A gap
/// that is (within a minute) one of the known intervals is taken as the interval of the later payment; the first row
/// borrows the gap after it; anything else (a missing payment, a single row) falls back to `default_hours`.
pub fn funding_intervals(times: &[i64], default_hours: f64) -> Vec<f64> {
    let interval_of_gap = |gap: i64| {
        FUNDING_HOURS
            .iter()
            .find(|h| gap.abs_diff(*h * HOUR_MS) <= MINUTE_MS as u64)
            .map(|h| *h as f64)
    };
    (0..times.len())
        .map(|i| {
            let gap = if i > 0 {
                times[i].checked_sub(times[i - 1])
            } else {
                times.get(1).and_then(|t| t.checked_sub(times[0]))
            };
            gap.and_then(interval_of_gap).unwrap_or(default_hours)
        })
        .collect()
}

/// The whole hours between two funding times, when they are a plausible funding interval (1 h to 24 h).
pub fn hours_between(earlier_ms: i64, later_ms: i64) -> Option<f64> {
    let gap = later_ms.checked_sub(earlier_ms)?;
    let hours = (gap as f64 / HOUR_MS as f64).round();
    ((1.0..=24.0).contains(&hours) && gap.abs_diff(hours as i64 * HOUR_MS) <= MINUTE_MS as u64)
        .then_some(hours)
}
