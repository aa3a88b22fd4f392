//! Writing times the way the indexer's `fromISO`, `toISO` and `effectiveBeforeOrAt` parameters read them.

/// Milliseconds since 1970 → `2025-11-20T03:00:00.000Z`, the form the indexer's `…ISO` parameters take.
pub(super) fn iso8601(ms: i64) -> String {
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1_000 % 60,
        ms_of_day % 1_000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// Days since 1970-01-01 → proleptic Gregorian (year, month, day) (Howard Hinnant's algorithm, the inverse
/// of the one in `parse::iso8601_ms`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::parse::iso8601_ms;

    #[test]
    fn iso_times_are_written_as_the_indexer_reads_them() {
        assert_eq!(iso8601(1_763_607_600_412), "2025-11-20T03:00:00.412Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        for ms in [
            0,
            951_782_400_000,
            1_709_251_199_500,
            1_763_596_800_071,
            4_102_444_800_000,
            253_402_300_799_999,
        ] {
            assert_eq!(iso8601_ms(&iso8601(ms)), Some(ms), "{}", iso8601(ms));
        }
    }

    #[test]
    fn every_time_from_1970_to_9999_round_trips() {
        let mut runner = proptest::test_runner::TestRunner::default();
        let outcome = runner.run(&(0..=253_402_300_799_999_i64), |ms| {
            proptest::prop_assert_eq!(iso8601_ms(&iso8601(ms)), Some(ms));
            Ok(())
        });
        assert!(outcome.is_ok(), "{outcome:?}");
    }
}
