//! Chart colours and type for the light and dark themes, the same as `style/main.css`'s custom properties (a test
//! reads the stylesheet and holds them equal), so a chart looks like part of the page.
//!
//! Series colours come from the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), which stays
//! distinguishable under the common colour-vision deficiencies; each theme leaves out the one or two of its eight
//! colours that have too little contrast against its background (yellow on white, dark blue on near-black).
//! Heatmap ramps are perceptually ordered and colour-blind safe too: viridis on dark, a yellow-orange-brown ramp
//! on light, both starting close to the background so that "nothing here" fades out.

use plotters::style::RGBColor;

/// Everything a draw function needs to know about looks.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartTheme {
    /// `--surface`: the card a chart sits on.
    pub background: RGBColor,
    /// `--text`: legend and annotation labels.
    pub text: RGBColor,
    /// `--muted`: tick labels, axis labels, hidden legend entries.
    pub muted: RGBColor,
    /// `--border`: the axis lines.
    pub axis: RGBColor,
    /// Half-way between `--border` and `--surface`: grid lines, quieter than the axes.
    pub grid: RGBColor,
    /// `--accent`: the price line over a heatmap, a fitted line.
    pub accent: RGBColor,
    /// `--long`: positive values that favour longs (longs pay funding), healthy nodes.
    pub long: RGBColor,
    /// `--short`: negative values, liquidation markers, defaulted nodes.
    pub short: RGBColor,
    /// Stressed-but-standing nodes, warnings (Okabe–Ito orange).
    pub warning: RGBColor,
    /// Line colours in the order series are given; cycles when there are more series.
    pub series: [RGBColor; 7],
    /// Heatmap colour stops from the lowest to the highest intensity.
    pub heat: [RGBColor; 5],
    /// A CSS font family list: the page's system font, no web font (its metrics would be wrong until loaded).
    pub font_family: &'static str,
    /// Label size in CSS pixels (multiplied by the device-pixel ratio when drawn).
    pub font_size: f64,
}

const fn hex(rgb: u32) -> RGBColor {
    RGBColor((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

const fn mid(x: u8, y: u8) -> u8 {
    (x as u16 + y as u16).div_ceil(2) as u8
}

const fn midpoint(a: RGBColor, b: RGBColor) -> RGBColor {
    RGBColor(mid(a.0, b.0), mid(a.1, b.1), mid(a.2, b.2))
}

// Okabe–Ito.
const OI_ORANGE: RGBColor = hex(0xE69F00);
const OI_SKY_BLUE: RGBColor = hex(0x56B4E9);
const OI_GREEN: RGBColor = hex(0x009E73);
const OI_YELLOW: RGBColor = hex(0xF0E442);
const OI_BLUE: RGBColor = hex(0x0072B2);
const OI_VERMILLION: RGBColor = hex(0xD55E00);
const OI_PURPLE: RGBColor = hex(0xCC79A7);

const FONT_FAMILY: &str = "system-ui, sans-serif";
const FONT_SIZE: f64 = 12.0;

impl ChartTheme {
    pub fn light() -> Self {
        let (surface, border, text) = (hex(0xffffff), hex(0xd8dde3), hex(0x1c2128));
        Self {
            background: surface,
            text,
            muted: hex(0x57606a),
            axis: border,
            grid: midpoint(border, surface),
            accent: hex(0x0b5cad),
            long: hex(0x1a7f37),
            short: hex(0xcf222e),
            warning: OI_ORANGE,
            series: [
                OI_BLUE,
                OI_VERMILLION,
                OI_GREEN,
                OI_PURPLE,
                OI_ORANGE,
                OI_SKY_BLUE,
                text,
            ],
            heat: [
                hex(0xfff7bc),
                hex(0xfee391),
                hex(0xfe9929),
                hex(0xd95f0e),
                hex(0x8c2d04),
            ],
            font_family: FONT_FAMILY,
            font_size: FONT_SIZE,
        }
    }

    pub fn dark() -> Self {
        let (surface, border, text) = (hex(0x161b22), hex(0x30363d), hex(0xe6edf3));
        Self {
            background: surface,
            text,
            muted: hex(0x9da7b3),
            axis: border,
            grid: midpoint(border, surface),
            accent: hex(0x6cb6ff),
            long: hex(0x3fb950),
            short: hex(0xff7b72),
            warning: OI_ORANGE,
            series: [
                OI_SKY_BLUE,
                OI_ORANGE,
                OI_GREEN,
                OI_PURPLE,
                OI_YELLOW,
                OI_VERMILLION,
                text,
            ],
            heat: [
                hex(0x440154),
                hex(0x3b528b),
                hex(0x21918c),
                hex(0x5ec962),
                hex(0xfde725),
            ],
            font_family: FONT_FAMILY,
            font_size: FONT_SIZE,
        }
    }

    /// The theme the page is in (`dark` as resolved from the `data-theme` attribute and the system preference).
    pub fn for_dark_mode(dark: bool) -> Self {
        if dark { Self::dark() } else { Self::light() }
    }

    /// The colour of the `i`-th series, cycling through the palette.
    pub fn series_color(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }

    /// The heatmap colour at intensity `t` in 0–1 (clamped; NaN counts as 0), interpolated between the stops.
    pub fn heat_color(&self, t: f64) -> RGBColor {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let last = self.heat.len() - 1;
        let pos = t * last as f64;
        let i = (pos.floor() as usize).min(last - 1);
        let f = pos - i as f64;
        let (a, b) = (self.heat[i], self.heat[i + 1]);
        let lerp = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
        RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--name: #rrggbb;` declarations of the first rule whose selector is exactly `selector`.
    fn css_colors(selector: &str) -> Vec<(String, RGBColor)> {
        let css = include_str!("../../style/main.css");
        let start = css
            .find(&format!("{selector} {{"))
            .unwrap_or_else(|| panic!("{selector} not in main.css"));
        let body = &css[start..];
        let body = &body[..body.find('}').unwrap_or(body.len())];
        body.lines()
            .filter_map(|line| {
                let (name, value) = line.trim().strip_prefix("--")?.split_once(':')?;
                let value = value.trim().trim_end_matches(';').strip_prefix('#')?;
                let rgb = u32::from_str_radix(value, 16).ok()?;
                Some((name.to_string(), hex(rgb)))
            })
            .collect()
    }

    fn assert_matches_stylesheet(theme: &ChartTheme, selector: &str) {
        let css = css_colors(selector);
        let get = |name: &str| css.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
        assert_eq!(Some(theme.background), get("surface"));
        assert_eq!(Some(theme.text), get("text"));
        assert_eq!(Some(theme.muted), get("muted"));
        assert_eq!(Some(theme.axis), get("border"));
        assert_eq!(Some(theme.accent), get("accent"));
        assert_eq!(Some(theme.long), get("long"));
        assert_eq!(Some(theme.short), get("short"));
    }

    #[test]
    fn light_theme_matches_the_stylesheet() {
        assert_matches_stylesheet(&ChartTheme::light(), ":root");
    }

    #[test]
    fn dark_theme_matches_the_stylesheet() {
        assert_matches_stylesheet(&ChartTheme::dark(), ":root[data-theme=\"dark\"]");
    }

    #[test]
    fn heat_ramp_runs_from_the_first_stop_to_the_last() {
        let t = ChartTheme::dark();
        assert_eq!(t.heat_color(0.0), t.heat[0]);
        assert_eq!(t.heat_color(1.0), t.heat[4]);
        assert_eq!(t.heat_color(0.5), t.heat[2]);
        assert_eq!(t.heat_color(f64::NAN), t.heat[0]);
        assert_eq!(t.heat_color(7.0), t.heat[4]);
    }

    #[test]
    fn series_colours_cycle_and_are_distinct() {
        let t = ChartTheme::light();
        assert_eq!(t.series_color(0), t.series_color(7));
        for (i, a) in t.series.iter().enumerate() {
            assert!(t.series[i + 1..].iter().all(|b| b != a));
        }
    }
}
