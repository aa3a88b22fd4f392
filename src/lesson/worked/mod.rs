//! Explorable worked examples: the numbers a term's worked example starts from can be edited where they stand,
//! and every number derived from them follows.
//!
//! The Markdown marks an input as `[20](in:margin)` and a derived number as `[45](out:sale)` (see
//! `src/glossary/FORMAT.md`); the build renders them as `<span class="x-in" data-x="margin">20</span>`, so the
//! page reads as published with or without JavaScript. Each term with such marks has a [`Model`] here: its
//! inputs (published default, bounds, step, how it is written) and one pure function from input values to the
//! text of every output, computed through `lens_math`. A test renders every model at its defaults and compares
//! each output with the text the article publishes, so the calculator and the words cannot drift apart.

mod concentration;
pub mod contagion;
mod cppi;
mod cycles;
mod deleveraging_cycles;
mod dependency;
mod dynamics;
mod liquidation_risks;
mod mechanics;
pub mod network;
mod options;
mod order_flow;
mod ratio_monitoring;
mod skew;
mod spiral;
mod systemic;
mod systemic_cycles;
mod systemic_risk;

use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel};
use crate::chart::{Tone, Unit};
use crate::lesson::text::num;

/// The longest text read from a field or a link value (a number never needs more).
const MAX_TYPED_CHARS: usize = 64;
/// Samples along the ladder chart's x axis.
const LADDER_POINTS: usize = 81;

/// The prefix of an edited input's key in a link: `?x.margin=25`.
pub const LINK_PREFIX: &str = "x.";

/// One number the example starts from.
#[derive(Debug, PartialEq)]
pub struct Input {
    /// The `in:`/`out:` key in the Markdown and, after [`LINK_PREFIX`], in the link.
    pub key: &'static str,
    /// What it is, for the field's accessible name and its messages ("Margin rate").
    pub label: &'static str,
    /// The published value, as written (percent inputs in percent).
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// One arrow-key press; Shift or Page keys take ten.
    pub step: f64,
    /// At most this many decimal places when written back (trailing zeros dropped).
    pub decimals: usize,
}

impl Input {
    /// An input from its key, label, published default, `(min, max, step)` and decimals.
    pub const fn new(
        key: &'static str,
        label: &'static str,
        default: f64,
        (min, max, step): (f64, f64, f64),
        decimals: usize,
    ) -> Self {
        Self {
            key,
            label,
            default,
            min,
            max,
            step,
            decimals,
        }
    }

    /// The value written the way the article writes it (`65,000`, `0.5`).
    pub fn format(&self, value: f64) -> String {
        tidy(value, self.decimals)
    }

    /// Checks a value against the bounds; the message is shown next to the field.
    pub fn check(&self, value: f64) -> Result<f64, String> {
        if !value.is_finite() {
            return Err(format!("{} must be a number.", self.label));
        }
        if value < self.min || value > self.max {
            return Err(format!(
                "{} must be between {} and {}.",
                self.label,
                self.format(self.min),
                self.format(self.max)
            ));
        }
        Ok(value)
    }

    /// Reads what a person typed: `65,000`, `65000`, ` 20 %`, `−5` (a typographic minus) and `0,5` (a decimal
    /// comma, as phone keypads in many regions write it) all work; the value is kept to the input's decimals.
    pub fn parse(&self, raw: &str) -> Result<f64, String> {
        let cleaned: String = raw
            .chars()
            .take(MAX_TYPED_CHARS)
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '%' | '_'))
            .map(|c| if c == '−' { '-' } else { c })
            .collect();
        let number = decimal_comma(&cleaned);
        match number.parse::<f64>() {
            Ok(v) => self.check(self.round(v)),
            Err(_) => Err(format!("“{}” is not a number.", short(raw))),
        }
    }

    /// Whether `raw` is a number still being typed (`-`, `.`, nothing): not yet worth a message.
    pub fn is_incomplete(raw: &str) -> bool {
        let t = raw.trim();
        t.is_empty() || matches!(t, "-" | "−" | "." | "," | "-." | "−.")
    }

    /// `value` on the input's grid of decimals.
    fn round(&self, value: f64) -> f64 {
        let scale = 10f64.powi(self.decimals.min(12) as i32);
        let rounded = (value * scale).round() / scale;
        if rounded.is_finite() { rounded } else { value }
    }

    /// `value` moved by `steps` steps, kept inside the bounds and on the step grid's decimals.
    pub fn nudge(&self, value: f64, steps: f64) -> f64 {
        let start = if value.is_finite() {
            value
        } else {
            self.default
        };
        let moved = (start + steps * self.step).clamp(self.min, self.max);
        self.round(moved).clamp(self.min, self.max)
    }
}

/// A number with thousands separators and at most `max_decimals` places, trailing zeros dropped: `19`,
/// `21.22`, `65,000`, `−1.75`.
pub fn tidy(v: f64, max_decimals: usize) -> String {
    let s = num(v, max_decimals);
    if s.contains('.') {
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "−0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    } else {
        s
    }
}

/// A signed number the way the examples write changes: `+5`, `0`, `−14`, `+0.167`.
pub fn signed(v: f64, decimals: usize) -> String {
    let s = num(v, decimals);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else if s.chars().all(|c| matches!(c, '0' | '.' | '−')) {
        "0".to_string()
    } else {
        s
    }
}

/// The words for a value below, at, or above zero: the examples' "falls / stays / rises" choices.
pub fn by_sign(v: f64, below: &str, at: &str, above: &str) -> String {
    if v < 0.0 {
        below
    } else if v > 0.0 {
        above
    } else {
        at
    }
    .to_string()
}

/// [`num`] for a number that extreme inputs can blow up (an annualised rate over a few days, a ratio of two
/// tiny probabilities): past a billion it says so instead of printing forty digits.
pub fn capped(v: f64, decimals: usize) -> String {
    const LIMIT: f64 = 1e9;
    if v >= LIMIT {
        "over 1,000,000,000".to_string()
    } else if v <= -LIMIT {
        "below −1,000,000,000".to_string()
    } else {
        num(v, decimals)
    }
}

/// [`signed`] with trailing zeros dropped: `+5`, `−14`, `+0.5`.
pub fn signed_tidy(v: f64, max_decimals: usize) -> String {
    let s = signed(v, max_decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Commas as thousands separators (`65,000`, `1,250.5`) are dropped; a lone comma that is not followed by
/// exactly three digits is a decimal comma (`0,5`, `2,75`).
fn decimal_comma(s: &str) -> String {
    let commas = s.matches(',').count();
    let grouped = s.split(',').skip(1).all(|group| {
        let digits = group.split('.').next().unwrap_or_default();
        digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if commas == 1 && !s.contains('.') && !grouped {
        s.replace(',', ".")
    } else {
        s.replace(',', "")
    }
}

/// Text from a link or a field, shown back in a message: no control or direction-changing characters, cut short.
fn short(raw: &str) -> String {
    let shown = |c: &char| {
        !c.is_control()
            && !matches!(*c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let mut s: String = raw.chars().filter(shown).take(24).collect();
    if raw.chars().count() > 24 {
        s.push('…');
    }
    s
}

/// The current value of every input of one model, in the model's order.
#[derive(Debug, Clone)]
pub struct Values {
    model: &'static Model,
    values: Vec<f64>,
}

impl PartialEq for Values {
    fn eq(&self, other: &Self) -> bool {
        self.model.slug == other.model.slug && self.values == other.values
    }
}

impl Values {
    /// The published values.
    pub fn defaults(model: &'static Model) -> Self {
        Self {
            model,
            values: model.inputs.iter().map(|i| i.default).collect(),
        }
    }

    /// The value of one of this model's inputs (named by the input itself, so a typo cannot compile); an input
    /// of another model reads as its default.
    pub fn of(&self, input: &Input) -> f64 {
        self.model
            .inputs
            .iter()
            .position(|i| std::ptr::eq(*i, input) || i.key == input.key)
            .and_then(|at| self.values.get(at).copied())
            .unwrap_or(input.default)
    }

    /// The value of the input with this key.
    pub fn get(&self, key: &str) -> Option<f64> {
        let at = self.model.inputs.iter().position(|i| i.key == key)?;
        self.values.get(at).copied()
    }

    /// Sets an input (checked against its bounds).
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        let at = self
            .model
            .inputs
            .iter()
            .position(|i| i.key == key)
            .ok_or_else(|| format!("This example has no input “{}”.", short(key)))?;
        let value = self.model.inputs[at].check(value)?;
        if let Some(slot) = self.values.get_mut(at) {
            *slot = value;
        }
        Ok(())
    }

    pub fn model(&self) -> &'static Model {
        self.model
    }

    /// Whether every input still has its published value.
    pub fn is_published(&self) -> bool {
        self.model
            .inputs
            .iter()
            .zip(&self.values)
            .all(|(i, v)| *v == i.default)
    }

    /// The link pairs of the inputs that differ from the published values (`x.margin`, `25`).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.model
            .inputs
            .iter()
            .zip(&self.values)
            .filter(|(i, v)| **v != i.default)
            .map(|(i, v)| (format!("{LINK_PREFIX}{}", i.key), trim_number(*v)))
            .collect()
    }

    /// Reads the edited inputs from a link; a value that is not a number inside its bounds keeps the published
    /// default, with a notice.
    pub fn from_link(
        model: &'static Model,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> (Self, Vec<String>) {
        let mut values = Self::defaults(model);
        let mut notices = Vec::new();
        for input in model.inputs {
            let Some(raw) = lookup(&format!("{LINK_PREFIX}{}", input.key)) else {
                continue;
            };
            match input
                .parse(&raw)
                .and_then(|v| values.set(input.key, v).map(|()| v))
            {
                Ok(_) => {}
                Err(why) => notices.push(format!(
                    "{} Showing the published {}.",
                    why,
                    input.format(input.default)
                )),
            }
        }
        if notices.is_empty()
            && let Err(problem) = (model.compute)(&values)
        {
            notices.push(format!(
                "{} Showing the published example.",
                problem.message
            ));
            values = Self::defaults(model);
        }
        (values, notices)
    }
}

/// A number for a link: no grouping, no trailing zeros (`65000`, `0.25`).
fn trim_number(v: f64) -> String {
    let s = format!("{v:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Why the inputs make no sense together ("the floor is above the portfolio"): shown next to `input`.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub input: Option<&'static str>,
    pub message: String,
}

impl Problem {
    pub fn at(input: &Input, message: impl Into<String>) -> Self {
        Self {
            input: Some(input.key),
            message: message.into(),
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Self {
            input: None,
            message: message.into(),
        }
    }
}

impl From<lens_math::MathError> for Problem {
    fn from(e: lens_math::MathError) -> Self {
        Problem::general(format!("These numbers do not work together: {e}."))
    }
}

/// Every output's text, by key.
pub type Outputs = Vec<(&'static str, String)>;

/// The answer that hangs on one input, drawn across that input's range under the example.
#[derive(Debug)]
pub struct Ladder {
    /// The input that varies along the x axis, and the range drawn (inside the input's bounds).
    pub input: &'static Input,
    pub from: f64,
    pub to: f64,
    /// What the y axis shows ("Forced sale").
    pub answer: &'static str,
    /// The answer at these values, or `None` where it is undefined.
    pub at: fn(&Values) -> Option<f64>,
}

/// One term's explorable worked example.
#[derive(Debug)]
pub struct Model {
    pub slug: &'static str,
    pub inputs: &'static [&'static Input],
    pub compute: fn(&Values) -> Result<Outputs, Problem>,
    pub ladder: Option<Ladder>,
}

impl Model {
    /// Every output's text for `values`, inputs included (an input repeated later in the text is marked as an
    /// output with the input's key).
    pub fn render(&self, values: &Values) -> Result<Outputs, Problem> {
        let mut out = (self.compute)(values)?;
        for input in self.inputs {
            out.push((input.key, input.format(values.of(input))));
        }
        Ok(out)
    }

    /// `points` samples of the ladder's answer across its input's range, the other inputs as they are.
    pub fn ladder_points(&self, values: &Values, points: usize) -> Vec<(f64, f64)> {
        let Some(ladder) = &self.ladder else {
            return Vec::new();
        };
        let input = ladder.input;
        let (from, to) = (ladder.from.max(input.min), ladder.to.min(input.max));
        let n = points.max(2);
        let mut probe = values.clone();
        (0..n)
            .filter_map(|i| {
                let x = from + (to - from) * i as f64 / (n - 1) as f64;
                probe.set(input.key, x).ok()?;
                let y = (ladder.at)(&probe)?;
                y.is_finite().then_some((x, y))
            })
            .collect()
    }
}

impl Model {
    /// The ladder chart: the answer across the main input's range, today's value marked; `None` without a
    /// ladder or when nothing in the range computes.
    pub fn ladder_panel(&self, values: &Values) -> Option<Panel> {
        let ladder = self.ladder.as_ref()?;
        let points = self.ladder_points(values, LADDER_POINTS);
        if points.len() < 2 {
            return None;
        }
        let input = ladder.input;
        let now = values.of(input);
        let answer_now = (ladder.at)(values).filter(|y| y.is_finite());
        let label = input.label;
        let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
        let table = ChartTable::new(
            &[label, ladder.answer],
            points
                .iter()
                .step_by(8)
                .map(|(x, y)| vec![input.format(*x), readable(*y)])
                .collect(),
        );
        let reading = match answer_now {
            Some(y) => format!(
                "{} at {}: {}",
                ladder.answer,
                input.format(now),
                readable(y)
            ),
            None => format!("{} is undefined at {}", ladder.answer, input.format(now)),
        };
        Some(Panel {
            id: "worked-ladder",
            title: format!("{} across {}", ladder.answer, lowercase_first(label)),
            figure: Figure::Curve(CurveFigure {
                curves: vec![CurveLine {
                    label: ladder.answer.to_string(),
                    xs,
                    ys,
                }],
                markers: vec![CurveMarker {
                    x: now,
                    label: format!("now {}", input.format(now)),
                    tone: Tone::Neutral,
                }],
                x: Axis::new(label, Unit::Plain),
                y: Axis::new(ladder.answer, Unit::Plain),
                zero_line: true,
            }),
            summary: format!(
                "{} for {} from {} to {}; {}.",
                ladder.answer,
                lowercase_first(label),
                input.format(ladder.from.max(input.min)),
                input.format(ladder.to.min(input.max)),
                lowercase_first(&reading)
            ),
            caption: format!(
                "{reading}. Across {}, with the other numbers of the example as they are; the dashed line marks the \
                 value in the text.",
                lowercase_first(label)
            ),
            table,
        })
    }
}

/// About five significant digits, trailing zeros dropped: `9.5671`, `100.25`, `58,781`, `0.0016`.
fn readable(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 10_000.0 {
        0
    } else if a >= 100.0 {
        2
    } else if a >= 1.0 {
        4
    } else {
        5
    };
    tidy(v, decimals)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every model, one per term that has marks.
pub static MODELS: &[&Model] = &[
    &mechanics::MODEL,
    &liquidation_risks::MODEL,
    &spiral::MODEL,
    &cppi::MODEL,
    &concentration::MODEL,
    &ratio_monitoring::MODEL,
    &dependency::MODEL,
    &skew::MODEL,
    &options::MODEL,
    &systemic::MODEL,
    &contagion::MODEL,
    &order_flow::MODEL,
    &cycles::MODEL,
    &systemic_cycles::MODEL,
    &systemic_risk::MODEL,
    &dynamics::MODEL,
    &deleveraging_cycles::MODEL,
];

/// The contagion example's own network travels in the link beside the model's inputs.
const NETWORK_SLUG: &str = "systemic-leverage-contagion";

/// Whether a term's worked example carries the editable clearing network ([`network`]).
pub fn has_network(slug: &str) -> bool {
    slug == NETWORK_SLUG
}

/// The link pairs a worked example carries beyond its inputs (the contagion example's network, when it is a
/// readable one and not the published ring), in canonical form.
pub fn extra_pairs(slug: &str, lookup: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let key = format!("{LINK_PREFIX}{}", network::LINK_KEY);
    if !has_network(slug) {
        return Vec::new();
    }
    lookup(&key)
        .and_then(|raw| network::Network::from_link(&raw).ok())
        .filter(|n| *n != network::Network::default())
        .map(|n| vec![(key, n.to_link())])
        .unwrap_or_default()
}

/// Whether `key` (without the prefix) is one a term's worked example reads from a link besides its inputs.
pub fn is_extra_key(slug: &str, key: &str) -> bool {
    has_network(slug) && key == network::LINK_KEY
}

/// The worked example model of a term, if its example is explorable.
pub fn model_for(slug: &str) -> Option<&'static Model> {
    MODELS.iter().copied().find(|m| m.slug == slug)
}

#[cfg(test)]
mod tests;
