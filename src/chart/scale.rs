//! Value ranges and "nice" tick positions: steps of 1, 2 or 5 × 10ⁿ (Heckbert, "Nice numbers for graph labels",
//! Graphics Gems, 1990), ranges that never collapse or contain NaN.

use super::layout::AxisRange;

/// Values beyond this magnitude are held to it when fitting a range, so `max − min` stays finite.
const MAX_MAGNITUDE: f64 = 1e150;

/// Never more ticks than this, whatever a caller asks for.
const TICK_LIMIT: usize = 50;

/// The smallest 1-2-5 step that cuts `span` into at most `max_ticks` intervals; `None` for a span that is not
/// finite and positive.
pub fn nice_step(span: f64, max_ticks: usize) -> Option<(f64, Decade)> {
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let raw = span / max_ticks.clamp(1, TICK_LIMIT) as f64;
    let exponent = raw.log10().floor() as i32;
    let decade = Decade(exponent);
    let norm = raw / decade.value();
    let (mantissa, decade) = match norm {
        n if n <= 1.0 => (1.0, decade),
        n if n <= 2.0 => (2.0, decade),
        n if n <= 5.0 => (5.0, decade),
        _ => (1.0, Decade(exponent + 1)),
    };
    let step = decade.times(mantissa);
    (step > 0.0 && step.is_finite()).then_some((step, decade))
}

/// A power of ten, kept as its exponent so multiples of a decimal step are computed exactly
/// (3 / 10 is the nearest double to 0.3, 3 × 0.1 is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decade(pub i32);

impl Decade {
    pub fn value(self) -> f64 {
        10f64.powi(self.0)
    }

    /// `x × 10ⁿ`, dividing for negative n.
    pub fn times(self, x: f64) -> f64 {
        if self.0 < 0 {
            x / 10f64.powi(-self.0)
        } else {
            x * 10f64.powi(self.0)
        }
    }
}

/// Tick values inside the range at a 1-2-5 step, at most about `max_ticks` of them, with the step's decade (for
/// choosing how many decimals a label needs). Empty when the range is not usable.
pub fn linear_ticks(range: AxisRange, max_ticks: usize) -> (Vec<f64>, Option<Decade>) {
    let Some((step, decade)) = nice_step(range.max - range.min, max_ticks) else {
        return (Vec::new(), None);
    };
    let mantissa = (step / decade.value()).round();
    let first = (range.min / step).ceil();
    let last = (range.max / step).floor();
    if !(first.is_finite() && last.is_finite()) || last - first > TICK_LIMIT as f64 {
        return (Vec::new(), None);
    }
    let ticks = (0..=(last - first) as i64)
        .map(|k| {
            let v = decade.times((first + k as f64) * mantissa);
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    (ticks, Some(decade))
}

/// The smallest and largest finite values, each held to ±1e150; `None` when there is no finite value.
pub fn finite_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE))
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Merges two optional extents.
pub fn union_extent(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

/// The range an axis shows: a valid fixed range if one is given, else the data extent widened by `pad` (a
/// fraction of the span) on each side, else 0–1. A constant series gets ±1 % of its value (±1 around zero), so
/// the range never collapses. With `include_zero` the range reaches zero (bars grow from it).
pub fn display_range(
    fixed: Option<(f64, f64)>,
    data: Option<(f64, f64)>,
    pad: f64,
    include_zero: bool,
) -> AxisRange {
    if let Some((min, max)) = fixed
        && min.is_finite()
        && max.is_finite()
        && min < max
    {
        return AxisRange { min, max };
    }
    let Some((mut min, mut max)) = data else {
        return AxisRange { min: 0.0, max: 1.0 };
    };
    if include_zero {
        min = min.min(0.0);
        max = max.max(0.0);
    }
    if max - min <= max.abs().max(min.abs()) * 1e-12 {
        let half = if max == 0.0 { 1.0 } else { max.abs() * 0.01 };
        return AxisRange {
            min: min - half,
            max: max + half,
        };
    }
    let margin = (max - min) * pad.clamp(0.0, 1.0);
    // Padding must not push a bar chart's zero baseline off the axis.
    let lo = if include_zero && min == 0.0 {
        0.0
    } else {
        min - margin
    };
    let hi = if include_zero && max == 0.0 {
        0.0
    } else {
        max + margin
    };
    AxisRange { min: lo, max: hi }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: f64, max: f64) -> AxisRange {
        AxisRange { min, max }
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5).map(|s| s.0), Some(2.0));
        assert_eq!(nice_step(10.0, 10).map(|s| s.0), Some(1.0));
        assert_eq!(nice_step(0.03, 5).map(|s| s.0), Some(0.01));
        assert_eq!(nice_step(7_000.0, 4).map(|s| s.0), Some(2_000.0));
        assert_eq!(nice_step(9.0, 1).map(|s| s.0), Some(10.0));
        assert_eq!(nice_step(0.0, 5), None);
        assert_eq!(nice_step(f64::NAN, 5), None);
        assert_eq!(nice_step(f64::INFINITY, 5), None);
    }

    #[test]
    fn ticks_are_exact_decimals_inside_the_range() {
        let (ticks, decade) = linear_ticks(range(0.05, 0.95), 9);
        assert_eq!(ticks, vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
        assert_eq!(decade, Some(Decade(-1)));
    }

    #[test]
    fn ticks_around_zero_include_a_clean_zero() {
        let (ticks, _) = linear_ticks(range(-0.0003, 0.00025), 5);
        assert_eq!(ticks, vec![-0.0002, 0.0, 0.0002]);
    }

    #[test]
    fn price_ticks_use_round_thousands() {
        let (ticks, _) = linear_ticks(range(41_234.0, 45_876.0), 5);
        assert_eq!(ticks, vec![42_000.0, 43_000.0, 44_000.0, 45_000.0]);
    }

    #[test]
    fn unusable_ranges_give_no_ticks() {
        assert!(linear_ticks(range(1.0, 1.0), 5).0.is_empty());
        assert!(linear_ticks(range(f64::NAN, 1.0), 5).0.is_empty());
        assert!(linear_ticks(range(-f64::MAX, f64::MAX), 5).0.is_empty());
    }

    #[test]
    fn extent_skips_nan_and_holds_huge_values() {
        assert_eq!(
            finite_extent([f64::NAN, 2.0, -1.0, f64::INFINITY]),
            Some((-1.0, 2.0))
        );
        assert_eq!(finite_extent([f64::NAN]), None);
        assert_eq!(finite_extent([f64::MAX, -f64::MAX]), Some((-1e150, 1e150)));
    }

    #[test]
    fn constant_data_gets_a_padded_range() {
        assert_eq!(
            display_range(None, Some((50.0, 50.0)), 0.05, false),
            range(49.5, 50.5)
        );
        assert_eq!(
            display_range(None, Some((0.0, 0.0)), 0.05, false),
            range(-1.0, 1.0)
        );
    }

    #[test]
    fn data_is_padded_and_bars_keep_their_zero_baseline() {
        assert_eq!(
            display_range(None, Some((0.0, 10.0)), 0.1, false),
            range(-1.0, 11.0)
        );
        assert_eq!(
            display_range(None, Some((2.0, 10.0)), 0.1, true),
            range(0.0, 11.0)
        );
        assert_eq!(
            display_range(None, Some((-4.0, -2.0)), 0.5, true),
            range(-6.0, 0.0)
        );
    }

    #[test]
    fn a_valid_fixed_range_wins_and_an_invalid_one_is_ignored() {
        assert_eq!(
            display_range(Some((0.0, 5.0)), Some((1.0, 2.0)), 0.1, false),
            range(0.0, 5.0)
        );
        assert_eq!(
            display_range(Some((5.0, 5.0)), None, 0.1, false),
            range(0.0, 1.0)
        );
        assert_eq!(
            display_range(Some((f64::NAN, 5.0)), None, 0.1, false),
            range(0.0, 1.0)
        );
    }
}
