//! Time-axis ticks on calendar boundaries in UTC, labelled the way a trading chart does: times of day ("06:00")
//! with the date at midnight ("21 Jan"), dates for day and week steps, months with the year at January.
//!
//! Steps run from one second to years; weeks start on Monday (ISO 8601). All arithmetic is on i64 ms (i128 where
//! a product could overflow), with the project's own calendar code (`market::calendar`), not a date-time crate.

use crate::base::calendar::{civil_from_ms, days_from_civil};

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
/// 1970-01-01 was a Thursday: Mondays are 4 days after the epoch, modulo a week.
const MONDAY_OFFSET: i64 = 4 * DAY;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A tick on a time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeTick {
    pub time_ms: i64,
    pub label: String,
}

/// The spacing between ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// A fixed length, aligned to multiples of it counted from `offset` after the epoch.
    Fixed {
        ms: i64,
        offset: i64,
    },
    Months(i64),
    Years(i64),
}

const FIXED_STEPS: [i64; 17] = [
    SECOND,
    5 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    5 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    WEEK,
    2 * WEEK,
];

/// The finest step that cuts a span of `span_ms` into at most `max_ticks` whole steps.
fn choose_step(span_ms: i64, max_ticks: i64) -> Step {
    let max_ticks = max_ticks.max(1);
    // Whole steps in the span; the ticks are one more at most.
    let fits = |step_ms: i64| span_ms / step_ms <= max_ticks;
    if let Some(&ms) = FIXED_STEPS.iter().find(|&&ms| fits(ms)) {
        let offset = if ms >= WEEK { MONDAY_OFFSET } else { 0 };
        return Step::Fixed { ms, offset };
    }
    // Calendar months and years, measured by their average length for the choice only.
    const MONTH: i64 = 2_629_746_000;
    if let Some(&m) = [1, 3, 6].iter().find(|&&m| fits(m * MONTH)) {
        return Step::Months(m);
    }
    let years = (0..18)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10i64.pow(e)))
        .find(|&y| y.checked_mul(12 * MONTH).is_some_and(fits))
        .unwrap_or(1_000_000_000);
    Step::Years(years)
}

/// Ticks inside `[from_ms, to_ms]` on calendar boundaries, at most `max_ticks + 1` of them.
pub fn time_ticks(from_ms: i64, to_ms: i64, max_ticks: usize) -> Vec<TimeTick> {
    if from_ms > to_ms {
        return Vec::new();
    }
    let max_ticks = i64::try_from(max_ticks.clamp(1, 50)).unwrap_or(50);
    let span = to_ms.saturating_sub(from_ms);
    let step = choose_step(span, max_ticks);
    let mut ticks = Vec::new();
    match step {
        Step::Fixed { ms, offset } => {
            let first = (i128::from(from_ms) - i128::from(offset)).div_euclid(i128::from(ms))
                * i128::from(ms);
            let mut t = first + i128::from(offset);
            if t < i128::from(from_ms) {
                t += i128::from(ms);
            }
            while t <= i128::from(to_ms) && ticks.len() <= max_ticks as usize {
                let Ok(time_ms) = i64::try_from(t) else { break };
                ticks.push(TimeTick {
                    time_ms,
                    label: label(time_ms, ms),
                });
                t += i128::from(ms);
            }
        }
        Step::Months(n) | Step::Years(n) => {
            let months = if let Step::Years(_) = step { 12 * n } else { n };
            let (y, m, ..) = civil_from_ms(from_ms);
            // Month index since year 0, rounded up to a multiple of the step.
            let mut index = (y * 12 + m - 1).div_euclid(months) * months;
            while ticks.len() <= max_ticks as usize {
                let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
                let Some(time_ms) = days_from_civil(year, month, 1).checked_mul(DAY) else {
                    break;
                };
                if time_ms > to_ms {
                    break;
                }
                if time_ms >= from_ms {
                    let text = if month == 1 || months >= 12 {
                        year.to_string()
                    } else {
                        MONTHS[(month - 1) as usize].to_string()
                    };
                    ticks.push(TimeTick {
                        time_ms,
                        label: text,
                    });
                }
                index += months;
            }
        }
    }
    ticks
}

/// The label of a tick at a fixed step: the date at midnight (the year on 1 January), else the time of day.
fn label(time_ms: i64, step_ms: i64) -> String {
    let (y, mo, d, h, mi, s, _) = civil_from_ms(time_ms);
    let midnight = h == 0 && mi == 0 && s == 0;
    if midnight && mo == 1 && d == 1 {
        y.to_string()
    } else if midnight || step_ms >= DAY {
        format!("{d} {}", MONTHS[(mo - 1).clamp(0, 11) as usize])
    } else if step_ms < MINUTE {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{h:02}:{mi:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::calendar::iso8601_ms;

    fn at(iso: &str) -> i64 {
        iso8601_ms(iso).unwrap()
    }

    fn labels(from: &str, to: &str, n: usize) -> Vec<String> {
        time_ticks(at(from), at(to), n)
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn a_day_in_six_hour_steps_shows_the_date_at_midnight() {
        assert_eq!(
            labels("2025-01-20T21:30:00Z", "2025-01-21T21:30:00Z", 5),
            ["21 Jan", "06:00", "12:00", "18:00"]
        );
    }

    #[test]
    fn a_week_in_day_steps_shows_dates() {
        assert_eq!(
            labels("2025-01-20T12:00:00Z", "2025-01-27T12:00:00Z", 8),
            [
                "21 Jan", "22 Jan", "23 Jan", "24 Jan", "25 Jan", "26 Jan", "27 Jan"
            ]
        );
    }

    #[test]
    fn week_steps_fall_on_mondays() {
        let ticks = time_ticks(at("2025-01-01T00:00:00Z"), at("2025-03-01T00:00:00Z"), 10);
        let monday = at("2025-01-06T00:00:00Z");
        assert_eq!(ticks[0].time_ms, monday);
        assert!(ticks.iter().all(|t| (t.time_ms - monday) % WEEK == 0));
        assert_eq!(ticks[0].label, "6 Jan");
    }

    #[test]
    fn months_show_the_year_at_january() {
        assert_eq!(
            labels("2024-10-15T00:00:00Z", "2025-03-15T00:00:00Z", 6),
            ["Nov", "Dec", "2025", "Feb", "Mar"]
        );
    }

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(
            labels("2025-01-21T06:00:00Z", "2025-01-21T06:20:00Z", 5),
            ["06:00", "06:05", "06:10", "06:15", "06:20"]
        );
        assert_eq!(
            labels("2025-01-21T06:00:00Z", "2025-01-21T06:00:02Z", 4),
            ["06:00:00", "06:00:01", "06:00:02"]
        );
    }

    #[test]
    fn years_for_long_spans() {
        assert_eq!(
            labels("2015-06-01T00:00:00Z", "2025-06-01T00:00:00Z", 6),
            ["2016", "2018", "2020", "2022", "2024"]
        );
    }

    #[test]
    fn degenerate_ranges_do_not_panic() {
        assert_eq!(time_ticks(5, 5, 5).len(), 0);
        assert!(time_ticks(10, 5, 5).is_empty());
        assert!(time_ticks(0, 0, 0).len() <= 1);
        assert!(time_ticks(i64::MIN, i64::MAX, 5).len() <= 51);
        assert!(time_ticks(i64::MAX - 10, i64::MAX, 5).len() <= 51);
        assert!(time_ticks(i64::MIN, i64::MIN + 40 * WEEK, 5).len() <= 6);
    }

    #[test]
    fn tick_count_stays_near_the_request() {
        for span in [
            1,
            999,
            60_000,
            3_600_000,
            86_400_000,
            40 * DAY,
            400 * DAY,
            40_000 * DAY,
        ] {
            let n = time_ticks(1_700_000_000_000, 1_700_000_000_000 + span, 6).len();
            assert!(n <= 7, "{n} ticks for span {span}");
        }
    }
}
