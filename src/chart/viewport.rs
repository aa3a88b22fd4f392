//! The visible time range of a chart and how gestures change it: wheel/pinch zoom around the pointer, drag pan,
//! range presets, reset. Pure, so every gesture is tested natively; the component only feeds it pixels.

/// Time ranges the preset buttons offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangePreset {
    Day,
    Week,
    Month,
    All,
}

impl RangePreset {
    pub const ALL: [RangePreset; 4] = [
        RangePreset::Day,
        RangePreset::Week,
        RangePreset::Month,
        RangePreset::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RangePreset::Day => "1D",
            RangePreset::Week => "7D",
            RangePreset::Month => "30D",
            RangePreset::All => "All",
        }
    }

    fn span_ms(self) -> Option<i64> {
        const DAY: i64 = 86_400_000;
        match self {
            RangePreset::Day => Some(DAY),
            RangePreset::Week => Some(7 * DAY),
            RangePreset::Month => Some(30 * DAY),
            RangePreset::All => None,
        }
    }
}

/// The data's full time extent and the part in view, both `[start, end]` in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    full: (i64, i64),
    visible: (i64, i64),
}

/// The narrowest view zooming allows (two minutes): below that a chart of hourly data is empty space.
pub const MIN_SPAN_MS: i64 = 120_000;

/// Times a viewport accepts: years 1 to 9999. Times from a link or a venue's response are clamped into it first,
/// so every difference below fits an `i64` many times over (a link may say `-9223372036854775808~…`).
pub const TIME_DOMAIN_MS: (i64, i64) = (-62_135_596_800_000, 253_402_300_799_999);

fn in_domain(ms: i64) -> i64 {
    ms.clamp(TIME_DOMAIN_MS.0, TIME_DOMAIN_MS.1)
}

/// `(start, end)` in order and inside [`TIME_DOMAIN_MS`].
fn ordered(start_ms: i64, end_ms: i64) -> (i64, i64) {
    let (a, b) = (in_domain(start_ms), in_domain(end_ms));
    if a <= b { (a, b) } else { (b, a) }
}

impl Viewport {
    /// A viewport showing everything. A reversed or empty extent is widened so arithmetic stays sound.
    pub fn new(start_ms: i64, end_ms: i64) -> Viewport {
        let (a, b) = ordered(start_ms, end_ms);
        let full = if b - a < MIN_SPAN_MS {
            (a - MIN_SPAN_MS / 2, a + MIN_SPAN_MS / 2)
        } else {
            (a, b)
        };
        Viewport {
            full,
            visible: full,
        }
    }

    pub fn full(&self) -> (i64, i64) {
        self.full
    }

    pub fn visible(&self) -> (i64, i64) {
        self.visible
    }

    pub fn is_zoomed(&self) -> bool {
        self.visible != self.full
    }

    /// Shows `[start, end]`, clamped to the data and to the minimum span (a brushed range from a URL).
    pub fn show(&mut self, start_ms: i64, end_ms: i64) {
        let (a, b) = ordered(start_ms, end_ms);
        let span = (b - a).max(MIN_SPAN_MS).min(self.full.1 - self.full.0);
        let start = a.clamp(self.full.0, self.full.1 - span);
        self.visible = (start, start + span);
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the time under the pointer fixed; `anchor` is the pointer's
    /// position across the plot, 0 (left) to 1 (right).
    pub fn zoom(&mut self, factor: f64, anchor: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let anchor = if anchor.is_finite() {
            anchor.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let (a, b) = self.visible;
        let span = (b - a) as f64;
        let pivot = a as f64 + span * anchor;
        // `as` saturates, and `show` clamps to the data: an absurd factor gives all or the narrowest view.
        let new_span = (span * factor).round() as i64;
        let start = (pivot - new_span as f64 * anchor).round() as i64;
        self.show(start, start.saturating_add(new_span));
    }

    /// Moves the view by `fraction` of its width (positive moves toward later times), stopping at the edges.
    pub fn pan(&mut self, fraction: f64) {
        if !fraction.is_finite() {
            return;
        }
        let (a, b) = self.visible;
        let shift = ((b - a) as f64 * fraction).round() as i64;
        self.show(a.saturating_add(shift), b.saturating_add(shift));
    }

    /// The last day, week or month of the data, or all of it.
    pub fn preset(&mut self, preset: RangePreset) {
        match preset.span_ms() {
            Some(span) => self.show(self.full.1 - span, self.full.1),
            None => self.reset(),
        }
    }

    pub fn reset(&mut self) {
        self.visible = self.full;
    }

    /// The time at a horizontal position across the plot (0 left, 1 right).
    pub fn time_at(&self, fraction: f64) -> i64 {
        let (a, b) = self.visible;
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        a + ((b - a) as f64 * f).round() as i64
    }
}

/// Index of the point nearest to `time_ms` in sorted `times` (binary search; ties go to the earlier point).
pub fn nearest_index(times: &[i64], time_ms: i64) -> Option<usize> {
    if times.is_empty() {
        return None;
    }
    let i = times.partition_point(|&t| t < time_ms);
    if i == 0 {
        return Some(0);
    }
    if i == times.len() {
        return Some(times.len() - 1);
    }
    let (before, after) = (times[i - 1], times[i]);
    Some(if time_ms - before <= after - time_ms {
        i - 1
    } else {
        i
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn presets_show_the_last_stretch_of_data() {
        let mut v = Viewport::new(0, 30 * DAY);
        v.preset(RangePreset::Week);
        assert_eq!(v.visible(), (23 * DAY, 30 * DAY));
        v.preset(RangePreset::Month);
        assert_eq!(v.visible(), (0, 30 * DAY));
        v.preset(RangePreset::Day);
        assert!(v.is_zoomed());
        v.reset();
        assert!(!v.is_zoomed());
    }

    #[test]
    fn zoom_keeps_the_time_under_the_pointer() {
        let mut v = Viewport::new(0, 100 * DAY);
        let before = v.time_at(0.25);
        v.zoom(0.5, 0.25);
        assert_eq!(v.visible().1 - v.visible().0, 50 * DAY);
        assert_eq!(v.time_at(0.25), before);
    }

    #[test]
    fn pan_stops_at_the_edges() {
        let mut v = Viewport::new(0, 100 * DAY);
        v.zoom(0.1, 0.5);
        v.pan(-100.0);
        assert_eq!(v.visible().0, 0);
        v.pan(100.0);
        assert_eq!(v.visible().1, 100 * DAY);
    }

    #[test]
    fn zoom_cannot_go_below_the_minimum_or_beyond_everything() {
        let mut v = Viewport::new(0, DAY);
        v.zoom(1e-12, 0.5);
        assert_eq!(v.visible().1 - v.visible().0, MIN_SPAN_MS);
        v.zoom(1e12, 0.5);
        assert_eq!(v.visible(), (0, DAY));
        v.zoom(f64::NAN, 0.5);
        v.zoom(-1.0, 0.5);
        v.pan(f64::INFINITY);
        assert_eq!(v.visible(), (0, DAY));
    }

    #[test]
    fn extreme_times_from_a_link_or_a_response_do_not_overflow() {
        let mut v = Viewport::new(i64::MIN, i64::MAX);
        assert_eq!(v.full(), TIME_DOMAIN_MS);
        v.show(i64::MIN, i64::MAX);
        v.zoom(1e300, 0.5);
        v.pan(1e300);
        v.preset(RangePreset::Day);
        let mut w = Viewport::new(0, 30 * DAY);
        w.show(-9_223_372_036_854_775_808, 9_223_372_036_854_775_807);
        assert_eq!(w.visible(), (0, 30 * DAY));
        let edge = Viewport::new(i64::MAX, i64::MAX);
        assert_eq!(edge.full().1 - edge.full().0, MIN_SPAN_MS);
    }

    #[test]
    fn degenerate_extents_are_widened() {
        let v = Viewport::new(5, 5);
        assert_eq!(v.full().1 - v.full().0, MIN_SPAN_MS);
        let r = Viewport::new(10 * DAY, 0);
        assert_eq!(r.full(), (0, 10 * DAY));
    }

    #[test]
    fn nearest_point_by_binary_search() {
        let t = [0, 10, 20, 30];
        assert_eq!(nearest_index(&t, -5), Some(0));
        assert_eq!(nearest_index(&t, 14), Some(1));
        assert_eq!(nearest_index(&t, 15), Some(1));
        assert_eq!(nearest_index(&t, 16), Some(2));
        assert_eq!(nearest_index(&t, 99), Some(3));
        assert_eq!(nearest_index(&[], 1), None);
    }

    proptest! {
        #[test]
        fn visible_range_always_inside_the_data(ops in prop::collection::vec((0u8..4, -5.0f64..5.0), 0..40)) {
            let mut v = Viewport::new(0, 30 * DAY);
            for (op, x) in ops {
                match op {
                    0 => v.zoom(x.abs() + 0.01, x.abs() / 5.0),
                    1 => v.pan(x),
                    2 => v.show((x * DAY as f64) as i64, (x * 3.0 * DAY as f64) as i64),
                    3 if x > 4.5 => v.show(i64::MIN, i64::MAX),
                    _ => v.preset(RangePreset::ALL[(x.abs() as usize) % 4]),
                }
                let (a, b) = v.visible();
                prop_assert!(0 <= a && a < b && b <= 30 * DAY);
                prop_assert!(b - a >= MIN_SPAN_MS);
            }
        }

        #[test]
        fn nearest_is_really_nearest(mut t in prop::collection::vec(-1_000i64..1_000, 1..50), q in -2_000i64..2_000) {
            t.sort_unstable();
            let i = nearest_index(&t, q).unwrap();
            let best = t.iter().map(|x| (x - q).abs()).min().unwrap();
            prop_assert_eq!((t[i] - q).abs(), best);
        }
    }
}
