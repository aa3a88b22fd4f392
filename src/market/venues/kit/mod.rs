//! Small pieces shared by the Binance, Bybit and OKX adapters: time-window paging, decoding cells of array rows,
//! value checks, order-book assembly and the funding-interval inference. Venue knowledge stays in the venue modules.

use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use super::Unsupported;
use crate::market::model::{Level, OrderBookSnapshot, Venue};
use crate::market::parse::{ParseError, parse_decimal, shape};

/// At most this many requests for one query; a longer window is shortened, keeping its newest end.
pub const MAX_PAGES: i64 = 50;
pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Splits the inclusive window `[from_ms, to_ms]` into consecutive inclusive pages, oldest first, each holding at
/// most `rows_per_page` rows sampled every `step_ms`.
///
/// The window is first shortened (its newest end kept) to `history_ms` when the venue only serves that much history
/// before the newest time asked for, and to [`MAX_PAGES`] pages. Without a clock the history cap is measured from
/// `to_ms`, so a window entirely older than the venue keeps simply comes back empty.
pub fn windows(
    venue: Venue,
    from_ms: i64,
    to_ms: i64,
    rows_per_page: i64,
    step_ms: i64,
    history_ms: Option<i64>,
) -> Result<Vec<(i64, i64)>, Unsupported> {
    if from_ms > to_ms {
        return Err(Unsupported {
            venue,
            what: "a time window that ends before it starts",
        });
    }
    if to_ms < 0 {
        return Err(Unsupported {
            venue,
            what: "a time window before 1970",
        });
    }
    let span = rows_per_page.max(1).saturating_mul(step_ms.max(1));
    let mut start = from_ms.max(0).max(
        to_ms
            .saturating_sub(span.saturating_mul(MAX_PAGES))
            .saturating_add(1),
    );
    if let Some(history) = history_ms {
        start = start.max(to_ms.saturating_sub(history).saturating_add(1));
    }
    let mut pages = Vec::new();
    while start <= to_ms {
        let end = start.saturating_add(span - 1).min(to_ms);
        pages.push((start, end));
        if end >= to_ms {
            break;
        }
        start = end + 1;
    }
    Ok(pages)
}

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

/// A finite number from a JSON number or a decimal string.
pub fn value_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => parse_decimal(s),
        _ => None,
    }
}

/// A millisecond timestamp from a JSON integer or a string of digits.
pub fn value_time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Cell `i` of an array row as a number.
pub fn cell_num(venue: Venue, row: &[Value], i: usize, what: &str) -> Result<f64, ParseError> {
    let cell = row.get(i).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: row has {} columns, needs {}", row.len(), i + 1),
        )
    })?;
    value_num(cell).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: column {i} is {}, not a number", clip(cell)),
        )
    })
}

/// Cell `i` of an array row as a millisecond timestamp.
pub fn cell_time(venue: Venue, row: &[Value], i: usize, what: &str) -> Result<i64, ParseError> {
    let cell = row.get(i).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: row has {} columns, needs {}", row.len(), i + 1),
        )
    })?;
    value_time(cell).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: column {i} is {}, not a timestamp", clip(cell)),
        )
    })
}

fn clip(v: &Value) -> String {
    v.to_string().chars().take(40).collect()
}

/// `#[serde(default, deserialize_with = "opt_time")]`: a timestamp that may be absent, null, "" or "0" (all `None`).
pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value: Option<Value> = serde::Deserialize::deserialize(d)?;
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => match value_time(&v) {
            Some(t) => Ok((t > 0).then_some(t)),
            None => Err(serde::de::Error::custom(format!(
                "{} is not a timestamp",
                clip(&v)
            ))),
        },
    }
}

/// Decodes an already parsed JSON value into `T`; a mismatch is a shape error.
pub fn decode<T: DeserializeOwned>(venue: Venue, value: Value) -> Result<T, ParseError> {
    serde_json::from_value(value).map_err(|e| shape(venue, e.to_string()))
}

/// A price must be a positive number.
pub fn price(venue: Venue, what: &str, v: f64) -> Result<f64, ParseError> {
    if v > 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(shape(venue, format!("{what} {v} is not a positive price")))
    }
}

/// A size, volume or ratio must be zero or more.
pub fn amount(venue: Venue, what: &str, v: f64) -> Result<f64, ParseError> {
    if v >= 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(shape(venue, format!("{what} {v} is negative")))
    }
}

/// An order book from `[price, size, …]` rows: checked, sizes multiplied by `size_factor` (contracts → base),
/// bids sorted best (highest) first, asks best (lowest) first, each side cut to `depth` levels.
pub fn book(
    venue: Venue,
    time_ms: i64,
    bids: &[Vec<Value>],
    asks: &[Vec<Value>],
    size_factor: f64,
    depth: u32,
) -> Result<OrderBookSnapshot, ParseError> {
    let side = |rows: &[Vec<Value>], what: &str| -> Result<Vec<Level>, ParseError> {
        rows.iter()
            .map(|row| {
                let p = price(venue, what, cell_num(venue, row, 0, what)?)?;
                let size = amount(venue, what, cell_num(venue, row, 1, what)? * size_factor)?;
                Ok(Level { price: p, size })
            })
            .collect()
    };
    let keep = depth.max(1) as usize;
    let mut bids = side(bids, "bid")?;
    bids.sort_by(|a, b| b.price.total_cmp(&a.price));
    bids.truncate(keep);
    let mut asks = side(asks, "ask")?;
    asks.sort_by(|a, b| a.price.total_cmp(&b.price));
    asks.truncate(keep);
    Ok(OrderBookSnapshot {
        time_ms,
        bids,
        asks,
    })
}

#[cfg(test)]
pub mod testkit;
#[cfg(test)]
mod tests;
