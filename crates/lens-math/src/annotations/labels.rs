//! Number formatting for annotation labels: a real minus sign (U+2212, as the glossary writes it), percent with
//! a space, USD in k / M / bn.

/// `value` with `decimals` decimals and a U+2212 minus; a value that rounds to zero has no sign.
pub(super) fn signed(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let rounds_to_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if value < 0.0 && !rounds_to_zero {
        format!("\u{2212}{text}")
    } else {
        text
    }
}

/// A decimal fraction as a percent: `0.00092` → "0.092 %".
pub(super) fn percent(fraction: f64, decimals: usize) -> String {
    format!("{} %", signed(fraction * 100.0, decimals))
}

/// USD in a compact form: "850 k USD", "4.2 M USD", "175 M USD", "1.3 bn USD".
pub(super) fn usd(amount: f64) -> String {
    let (scaled, unit) = match amount.abs() {
        a if a >= 1e9 => (amount / 1e9, " bn"),
        a if a >= 1e6 => (amount / 1e6, " M"),
        a if a >= 1e3 => (amount / 1e3, " k"),
        _ => (amount, ""),
    };
    let decimals = usize::from(scaled.abs() < 10.0 && !unit.is_empty());
    format!("{}{unit} USD", signed(scaled, decimals))
}

/// "long " / "short " / "" for an optional side, as a label prefix.
pub(super) fn side_prefix(side: Option<crate::market::Side>) -> &'static str {
    match side {
        Some(crate::market::Side::Long) => "long ",
        Some(crate::market::Side::Short) => "short ",
        None => "",
    }
}

/// "1 bar", "4 bars".
pub(super) fn bars(count: usize) -> String {
    if count == 1 {
        "1 bar".to_owned()
    } else {
        format!("{count} bars")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_numbers_use_a_real_minus_and_zero_has_no_sign() {
        assert_eq!(signed(-4.481, 1), "\u{2212}4.5");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(3.0, 1), "3.0");
    }

    #[test]
    fn percent_and_usd_are_compact() {
        assert_eq!(percent(0.00092, 3), "0.092 %");
        assert_eq!(percent(-0.065, 1), "\u{2212}6.5 %");
        assert_eq!(usd(175.2e6), "175 M USD");
        assert_eq!(usd(4.23e6), "4.2 M USD");
        assert_eq!(usd(1.26e9), "1.3 bn USD");
        assert_eq!(usd(850e3), "850 k USD");
        assert_eq!(usd(950.0), "950 USD");
    }
}
