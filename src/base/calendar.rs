//! Calendar arithmetic on ms UTC timestamps (proleptic Gregorian, Howard Hinnant's algorithms): ISO-8601 text in
//! both directions and civil dates, without a date-time dependency (chrono with time zones would add ~100 KB).

/// Days since 1970-01-01 for a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The UTC date and time of day of a timestamp: (year, month, day, hour, minute, second, millisecond).
pub fn civil_from_ms(ms: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let (days, of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1_000 % 60,
        of_day % 1_000,
    )
}

/// `2025-11-20T03:00:00.412Z`.
pub fn to_iso8601(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = civil_from_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `2025-11-20 03:00`: a time to the minute (UTC), as captions, tables and readouts write it.
pub fn minute_label(ms: i64) -> String {
    let (y, mo, d, h, mi, _, _) = civil_from_ms(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

/// `2025-11-20`: the day (UTC).
pub fn date_label(ms: i64) -> String {
    let (y, mo, d, _, _, _, _) = civil_from_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// Parses an ISO-8601 UTC timestamp such as `2025-07-25T11:00:00.013Z` into ms (dYdX, Kraken Futures).
pub fn iso8601_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = s.split_once('T')?;
    let mut d = date.splitn(3, '-');
    let (y, mo, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let rest = rest
        .strip_suffix('Z')
        .or_else(|| rest.strip_suffix("+00:00"))?;
    let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut t = hms.splitn(3, ':');
    let (h, mi, sec): (i64, i64, i64) = (
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let millis: i64 = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: String = frac.chars().take(3).collect();
        while digits.len() < 3 {
            digits.push('0');
        }
        digits.parse().ok()?
    };
    Some((days_from_civil(y, mo, day) * 86_400 + h * 3_600 + mi * 60 + sec) * 1_000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_agree_with_the_iso_form() {
        for ms in [0, 1_737_676_800_000, 1_737_730_799_999, -86_400_000] {
            let iso = to_iso8601(ms);
            assert_eq!(minute_label(ms), iso[..16].replace('T', " "));
            assert_eq!(date_label(ms), iso[..10]);
        }
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-719_468, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        // 2025-11-20T03:00:00.412Z, checked with Python's datetime.
        assert_eq!(to_iso8601(1_763_607_600_412), "2025-11-20T03:00:00.412Z");
        assert_eq!(
            iso8601_ms(&to_iso8601(1_763_607_600_412)),
            Some(1_763_607_600_412)
        );
    }
}
