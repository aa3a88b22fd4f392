//! Splitting a query's time window into the requests a venue answers in full.

use crate::market::model::Venue;
use crate::market::venues::Unsupported;

/// Most pages one query may become. A longer window is shortened to its newest part rather than refused: the newest
/// data is what a chart shows first, and 50 sequential requests is already slow in a browser.
pub const MAX_PAGES: i64 = 50;

/// Checks a `[from_ms, to_ms]` window: it must not end before it starts nor before 1970 (no venue has data there,
/// and negative times would be sent verbatim). A start before 1970 is moved to 1970.
pub fn checked_window(venue: Venue, from_ms: i64, to_ms: i64) -> Result<(i64, i64), Unsupported> {
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
    Ok((from_ms.max(0), to_ms))
}

/// Splits the inclusive window `[from_ms, to_ms]` (see [`checked_window`]) into consecutive inclusive pages, oldest
/// first, each holding at most `rows_per_page` rows sampled every `step_ms`.
///
/// The window is first shortened, its newest end kept, to [`MAX_PAGES`] pages and, when the venue only serves
/// `history_ms` of history before the newest time asked for, to that. Without a clock the history cap is measured
/// from `to_ms`, so a window entirely older than the venue keeps simply comes back empty.
pub fn windows(
    venue: Venue,
    from_ms: i64,
    to_ms: i64,
    rows_per_page: i64,
    step_ms: i64,
    history_ms: Option<i64>,
) -> Result<Vec<(i64, i64)>, Unsupported> {
    let (from_ms, to_ms) = checked_window(venue, from_ms, to_ms)?;
    let span = rows_per_page.max(1).saturating_mul(step_ms.max(1));
    let mut start = from_ms.max(
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
        match end.checked_add(1) {
            Some(next) => start = next,
            None => break,
        }
    }
    Ok(pages)
}
