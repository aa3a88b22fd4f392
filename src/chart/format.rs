//! Numbers as text with their unit: axis ticks (one suffix and one number of decimals for the whole axis, so the
//! labels line up) and single values (tooltips, annotation labels).

use super::scale::Decade;

/// What the numbers on an axis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// A plain number: `1.25`, `45,000`.
    #[default]
    Plain,
    /// A fraction shown as a percentage: 0.0125 → `1.25%` (funding rates, shares).
    Percent,
    /// US dollars, large amounts abbreviated: `$950`, `$43,568`, `$1.25M`, `$3.4bn`.
    Usd,
    /// A count or base amount, abbreviated like dollars without the sign: `12.5k`, `3M`.
    Compact,
    /// A plain number followed by this text: `5×`, `2.5 BTC`.
    Suffix(&'static str),
    /// Whole things (rounds, events): ticks only at integers, values without decimals.
    Count,
}

/// Abbreviation of large numbers on an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magnitude {
    One,
    Thousands,
    Millions,
    Billions,
}

impl Magnitude {
    fn of(abs: f64, allow_thousands: bool) -> Self {
        match abs {
            a if a >= 1e9 => Magnitude::Billions,
            a if a >= 1e6 => Magnitude::Millions,
            a if a >= 1e4 && allow_thousands => Magnitude::Thousands,
            _ => Magnitude::One,
        }
    }

    fn exponent(self) -> i32 {
        match self {
            Magnitude::One => 0,
            Magnitude::Thousands => 3,
            Magnitude::Millions => 6,
            Magnitude::Billions => 9,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Magnitude::One => "",
            Magnitude::Thousands => "k",
            Magnitude::Millions => "M",
            Magnitude::Billions => "bn",
        }
    }
}

/// How every tick of one axis is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TickFormat {
    unit: Unit,
    magnitude: Magnitude,
    decimals: usize,
    /// Numbers too large or steps too fine for fixed notation (`1.0e150`).
    scientific: bool,
}

/// Above this, fixed notation is unreadable (and would widen the axis margin beyond the chart).
const SCIENTIFIC_ABOVE: f64 = 1e15;

impl TickFormat {
    /// The format for ticks at a step of 1, 2 or 5 × `decade` (from [`super::scale::linear_ticks`]): enough
    /// decimals to tell neighbouring ticks apart, and no more.
    pub fn for_ticks(unit: Unit, ticks: &[f64], decade: Option<Decade>) -> Self {
        let largest = ticks.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let magnitude = match unit {
            Unit::Usd | Unit::Compact => Magnitude::of(largest, true),
            _ => Magnitude::One,
        };
        let percent_shift = if unit == Unit::Percent { 2 } else { 0 };
        let step_exponent = decade.map_or(0, |d| d.0) + percent_shift - magnitude.exponent();
        let shown_largest = largest * if unit == Unit::Percent { 100.0 } else { 1.0 }
            / 10f64.powi(magnitude.exponent());
        Self {
            unit,
            magnitude,
            decimals: (-step_exponent).clamp(0, 10) as usize,
            scientific: shown_largest >= SCIENTIFIC_ABOVE || step_exponent < -10,
        }
    }

    /// A tick label; zero is always a bare `0` (`$0`, `0%`), the origin needs no decimals.
    pub fn format(&self, v: f64) -> String {
        if v == 0.0 {
            return with_unit(self.unit, "0", "");
        }
        let shown = match self.unit {
            Unit::Percent => v * 100.0,
            _ => v / 10f64.powi(self.magnitude.exponent()),
        };
        let number = if self.scientific {
            format!("{shown:.1e}")
        } else {
            fixed(shown, self.decimals, self.magnitude == Magnitude::One)
        };
        with_unit(self.unit, &number, self.magnitude.suffix())
    }
}

/// One value as text, precise enough for a tooltip: about three or four significant digits, large amounts
/// abbreviated. NaN and infinities read "–".
pub fn format_value(v: f64, unit: Unit) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let shown = if unit == Unit::Percent { v * 100.0 } else { v };
    if shown != 0.0 && (shown.abs() >= SCIENTIFIC_ABOVE || shown.abs() < 1e-9) {
        return with_unit(unit, &format!("{shown:.3e}"), "");
    }
    let significant = |x: f64, digits: i32| {
        let exponent = if x == 0.0 {
            0
        } else {
            x.abs().log10().floor() as i32
        };
        (digits - 1 - exponent).clamp(0, 10) as usize
    };
    match unit {
        Unit::Percent => {
            let p = v * 100.0;
            with_unit(unit, &fixed(p, significant(p, 3), true), "")
        }
        Unit::Usd | Unit::Compact => {
            let magnitude = Magnitude::of(v.abs(), unit == Unit::Compact);
            let shown = v / 10f64.powi(magnitude.exponent());
            let decimals = match magnitude {
                Magnitude::One if shown.abs() >= 1.0 => 2,
                Magnitude::One => significant(shown, 3),
                _ => 2,
            };
            with_unit(unit, &fixed(shown, decimals, true), magnitude.suffix())
        }
        Unit::Plain | Unit::Suffix(_) => with_unit(unit, &fixed(v, significant(v, 4), true), ""),
        Unit::Count => with_unit(unit, &fixed(v, 0, true), ""),
    }
}

fn with_unit(unit: Unit, number: &str, magnitude: &str) -> String {
    match unit {
        Unit::Usd => match number.strip_prefix('-') {
            Some(positive) => format!("-${positive}{magnitude}"),
            None => format!("${number}{magnitude}"),
        },
        Unit::Percent => format!("{number}%"),
        Unit::Suffix(suffix) => format!("{number}{suffix}"),
        Unit::Plain | Unit::Compact | Unit::Count => format!("{number}{magnitude}"),
    }
}

/// `x` with `decimals` decimals, thousands grouped when `group` and |x| ≥ 10,000, never "-0".
fn fixed(x: f64, decimals: usize, group: bool) -> String {
    let text = format!("{x:.decimals$}");
    let text = match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    };
    if !group || x.abs() < 10_000.0 {
        return text;
    }
    let (sign, rest) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    grouped.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(frac) = frac {
        grouped.push('.');
        grouped.push_str(frac);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::AxisRange;
    use crate::chart::scale::linear_ticks;

    fn tick_labels(unit: Unit, min: f64, max: f64, n: usize) -> Vec<String> {
        let (ticks, decade) = linear_ticks(AxisRange { min, max }, n);
        let format = TickFormat::for_ticks(unit, &ticks, decade);
        ticks.iter().map(|&t| format.format(t)).collect()
    }

    #[test]
    fn funding_ticks_are_percent_with_just_enough_decimals() {
        assert_eq!(
            tick_labels(Unit::Percent, -0.0003, 0.00025, 5),
            ["-0.02%", "0%", "0.02%"]
        );
    }

    #[test]
    fn open_interest_ticks_abbreviate_dollars() {
        assert_eq!(
            tick_labels(Unit::Usd, 0.0, 2.5e9, 5),
            ["$0", "$0.5bn", "$1.0bn", "$1.5bn", "$2.0bn", "$2.5bn"]
        );
        assert_eq!(
            tick_labels(Unit::Usd, 41_000.0, 45_000.0, 4),
            ["$41k", "$42k", "$43k", "$44k", "$45k"]
        );
        assert_eq!(tick_labels(Unit::Usd, 0.0, 900.0, 3), ["$0", "$500"]);
    }

    #[test]
    fn counts_have_no_ticks_between_whole_numbers() {
        let axis = crate::chart::ValueAxis::new("Round", Unit::Count);
        let labels = |max: f64| -> Vec<String> {
            crate::chart::frame::value_ticks(AxisRange { min: 0.0, max }, &axis, 6)
                .into_iter()
                .map(|(_, l)| l)
                .collect()
        };
        assert_eq!(labels(3.0), ["0", "1", "2", "3"]);
        assert_eq!(labels(1.0), ["0", "1"]);
        assert_eq!(labels(40.0), ["0", "10", "20", "30", "40"]);
        assert_eq!(format_value(2.0, Unit::Count), "2");
    }

    #[test]
    fn plain_and_suffix_ticks() {
        assert_eq!(tick_labels(Unit::Plain, 0.0, 1.0, 4), ["0", "0.5", "1.0"]);
        assert_eq!(
            tick_labels(Unit::Suffix("×"), 0.0, 20.0, 4),
            ["0×", "5×", "10×", "15×", "20×"]
        );
        assert_eq!(
            tick_labels(Unit::Compact, 0.0, 30_000.0, 3),
            ["0", "10k", "20k", "30k"]
        );
    }

    #[test]
    fn single_values_for_tooltips() {
        assert_eq!(format_value(0.000125, Unit::Percent), "0.0125%");
        assert_eq!(format_value(-0.0125, Unit::Percent), "-1.25%");
        assert_eq!(format_value(43_567.891, Unit::Usd), "$43,567.89");
        assert_eq!(format_value(-1_250_000.0, Unit::Usd), "-$1.25M");
        assert_eq!(format_value(3.4e9, Unit::Usd), "$3.40bn");
        assert_eq!(format_value(0.0421, Unit::Usd), "$0.0421");
        assert_eq!(format_value(12_500.0, Unit::Compact), "12.50k");
        assert_eq!(format_value(1.23456, Unit::Plain), "1.235");
        assert_eq!(format_value(2.5, Unit::Suffix(" BTC")), "2.500 BTC");
        assert_eq!(format_value(f64::NAN, Unit::Usd), "–");
    }

    #[test]
    fn extreme_magnitudes_switch_to_scientific_notation() {
        assert_eq!(
            tick_labels(Unit::Plain, -2.5e150, 2.5e150, 4),
            ["-2.0e150", "0", "2.0e150"]
        );
        assert_eq!(
            tick_labels(Unit::Plain, 0.0, 4e-12, 4),
            ["0", "1.0e-12", "2.0e-12", "3.0e-12", "4.0e-12"]
        );
        assert_eq!(format_value(-3.5e20, Unit::Usd), "-$3.500e20");
        assert_eq!(format_value(2e-12, Unit::Plain), "2.000e-12");
    }

    #[test]
    fn rounding_to_zero_never_shows_a_minus_sign() {
        assert_eq!(fixed(-0.0001, 2, true), "0.00");
        assert_eq!(fixed(-0.0, 0, true), "0");
        assert_eq!(fixed(-1_234_567.5, 1, true), "-1,234,567.5");
    }
}
