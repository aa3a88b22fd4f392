//! Writing times the way the indexer's `fromISO`, `toISO` and `effectiveBeforeOrAt` parameters read them.

/// Milliseconds since 1970 → `2025-11-20T03:00:00.000Z`, the form the indexer's `…ISO` parameters take.
pub(super) fn iso8601(ms: i64) -> String {
    crate::base::calendar::to_iso8601(ms)
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
