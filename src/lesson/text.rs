//! Numbers written for sentences: the same formatting as the chart axes, plus the few phrasings the
//! readings share.

use crate::chart::Unit;
use crate::chart::format::format_value;

/// Dollars for a sentence: `$101,234`, `$250`, `$40.50`, `$1.25M`, `$3.40bn`, `−$12`.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return format_value(v, Unit::Usd);
    }
    let sign = if v < 0.0 { "−" } else { "" };
    let a = v.abs();
    let body = if a >= 1e9 {
        format!("{:.2}bn", a / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}M", a / 1e6)
    } else if a >= 100.0 {
        num(a, 0)
    } else if a >= 1.0 {
        format!("{a:.2}")
    } else {
        format!("{a:.4}")
    };
    format!("{sign}${body}")
}

/// A fraction as a percentage with `decimals` places: `pct(0.000123, 4)` = `0.0123 %`.
pub fn pct(fraction: f64, decimals: usize) -> String {
    if fraction.is_finite() {
        format!("{:.*} %", decimals, fraction * 100.0)
    } else {
        "–".to_string()
    }
}

/// A fraction as a percentage with about three significant digits: `12.3 %`, `0.0456 %`.
pub fn pct_auto(fraction: f64) -> String {
    let p = (fraction * 100.0).abs();
    let decimals = if p > 0.0 {
        (2.0 - p.log10().floor()).clamp(1.0, 6.0) as usize
    } else {
        2
    };
    pct(fraction, decimals)
}

/// A plain number with `decimals` places and thousands separators in the integer part.
pub fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// "no gap events", "one gap event", "3 gap events": a count that reads as words.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("one {one}"),
        n => format!("{n} {many}"),
    }
}

/// "top 5 %" / "bottom 10 %" / "middle" for a percentile rank in 0–1 (share of values at or below).
pub fn rank_phrase(rank: f64) -> String {
    if !rank.is_finite() {
        return "unranked".to_string();
    }
    if rank >= 0.5 {
        let top = ((1.0 - rank) * 100.0).round().max(1.0);
        if top <= 25.0 {
            return format!("in the top {top:.0} %");
        }
    } else {
        let bottom = (rank * 100.0).round().max(1.0);
        if bottom <= 25.0 {
            return format!("in the bottom {bottom:.0} %");
        }
    }
    "in the middle of the range".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well_in_a_sentence() {
        assert_eq!(pct(0.000123, 4), "0.0123 %");
        assert_eq!(pct(f64::NAN, 2), "–");
        assert_eq!(pct_auto(0.123), "12.3 %");
        assert_eq!(pct_auto(0.000456), "0.0456 %");
        assert_eq!(pct_auto(0.0), "0.00 %");
        assert_eq!(num(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(num(-0.5, 1), "−0.5");
        assert_eq!(num(-0.0001, 1), "0.0");
        assert_eq!(num(999.0, 0), "999");
        assert_eq!(usd(8_000.0), "$8,000");
        assert_eq!(usd(109.5), "$110");
        assert_eq!(usd(40.5), "$40.50");
        assert_eq!(usd(-1_250_000.0), "−$1.25M");
        assert_eq!(usd(0.5), "$0.5000");
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count_of(0, "gap event", "gap events"), "no gap events");
        assert_eq!(count_of(1, "gap event", "gap events"), "one gap event");
        assert_eq!(count_of(12, "gap event", "gap events"), "12 gap events");
    }

    #[test]
    fn ranks_are_phrased_from_the_nearer_end() {
        assert_eq!(rank_phrase(0.96), "in the top 4 %");
        assert_eq!(rank_phrase(1.0), "in the top 1 %");
        assert_eq!(rank_phrase(0.05), "in the bottom 5 %");
        assert_eq!(rank_phrase(0.5), "in the middle of the range");
        assert_eq!(rank_phrase(f64::NAN), "unranked");
    }
}
