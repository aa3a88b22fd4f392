//! What the data page shows of rows fetched on request: the latest funding prints as the venue quoted them, per
//! 8 hours and as a simple annual rate.

use lens_math::funding::FundingRate as Rate;

use crate::base::calendar::minute_label;
use crate::chart::figure::ChartTable;
use crate::market::model::FundingRate;

/// The latest `n` funding prints, newest first: time, the rate with its interval, per 8 h and the simple APR
/// ("–" where the print's interval is unusable).
pub fn latest_funding(rows: &[FundingRate], n: usize) -> ChartTable {
    let rows = rows
        .iter()
        .rev()
        .take(n)
        .map(|r| {
            let rate = Rate::new(r.rate, r.interval_hours).ok();
            let or_dash = |text: Option<String>| text.unwrap_or_else(|| "–".to_string());
            vec![
                minute_label(r.time_ms),
                format!("{:.4} % / {} h", r.rate * 100.0, r.interval_hours),
                or_dash(rate.map(|f| format!("{:.4} %", f.per_8h() * 100.0))),
                or_dash(rate.map(|f| format!("{:.2} %", f.apr_simple() * 100.0))),
            ]
        })
        .collect();
    ChartTable::new(&["Time (UTC)", "Rate", "Per 8 h", "APR"], rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(time_ms: i64, rate: f64, interval_hours: f64) -> FundingRate {
        FundingRate {
            time_ms,
            rate,
            interval_hours,
            mark_price: None,
        }
    }

    /// Binance's 0.01 % every 8 h is 10.95 % a year simple (0.0001 × 3 × 365); Hyperliquid's hourly 0.00125 %
    /// is the same 0.01 % per 8 h.
    #[test]
    fn newest_first_per_8h_and_simple_apr() {
        let t = latest_funding(&[print(0, 0.0001, 8.0), print(1, 0.000_012_5, 1.0)], 8);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][2], "0.0100 %");
        assert_eq!(t.rows[1][1], "0.0100 % / 8 h");
        assert_eq!(t.rows[1][3], "10.95 %");
    }

    #[test]
    fn an_unusable_interval_shows_a_dash_not_a_huge_number() {
        let t = latest_funding(&[print(0, 0.0001, 0.0)], 8);
        assert_eq!(t.rows[0][2], "–");
        assert_eq!(t.rows[0][3], "–");
    }
}
