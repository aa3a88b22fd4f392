//! The controls of a live example (venue, asset, window and the concept's own parameters): what each one
//! accepts, its default, and how its value travels through the link. A value from the link is validated
//! exactly like a value typed into the page; a bad one falls back to the default with a message.

use crate::market::model::{Asset, Venue};

/// What a control accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ControlKind {
    /// A number in `min..=max`. `default: None` means "taken from the data" (the last price, say).
    Number {
        min: f64,
        max: f64,
        step: f64,
        default: Option<f64>,
        /// Written after the input ("×", "%", "USD").
        unit: &'static str,
    },
    /// One of a fixed list of (value, label).
    Choice {
        options: &'static [(&'static str, &'static str)],
        default: &'static str,
    },
    /// A venue by id. Default: the first venue that has the example's data.
    Venue,
    /// An asset symbol. Default: BTC.
    Asset,
}

/// One control: its URL key, its label and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlSpec {
    /// The query-string key (`lev`), also the form field's name.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: ControlKind,
}

/// The venue control every market example has.
pub const VENUE: ControlSpec = ControlSpec {
    key: "venue",
    label: "Venue",
    kind: ControlKind::Venue,
};

/// The asset control.
pub const ASSET: ControlSpec = ControlSpec {
    key: "asset",
    label: "Asset",
    kind: ControlKind::Asset,
};

/// Long or short, for the examples that follow one position.
pub const SIDE: ControlSpec = ControlSpec {
    key: "side",
    label: "Side",
    kind: ControlKind::Choice {
        options: &[("long", "Long"), ("short", "Short")],
        default: "long",
    },
};

/// The look-back window in days.
pub const DAYS: ControlSpec = ControlSpec {
    key: "days",
    label: "Window",
    kind: ControlKind::Choice {
        options: &[("3", "3 days"), ("7", "7 days"), ("30", "30 days")],
        default: "30",
    },
};

/// A validated value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(f64),
    Text(String),
}

/// The values of an example's controls: defaults, overridden by the link and by the visitor.
#[derive(Debug, Clone, PartialEq)]
pub struct Controls {
    specs: &'static [ControlSpec],
    /// Only values that were set (from the link or the page); everything else is the default.
    set: Vec<(&'static str, Value)>,
}

impl Controls {
    /// Every control at its default.
    pub fn defaults(specs: &'static [ControlSpec]) -> Self {
        Self {
            specs,
            set: Vec::new(),
        }
    }

    /// Values from a link: `lookup(key)` returns the raw query value. Returns the controls and one message per
    /// value that was refused (that control keeps its default).
    pub fn from_lookup(
        specs: &'static [ControlSpec],
        lookup: impl Fn(&str) -> Option<String>,
    ) -> (Self, Vec<String>) {
        let mut controls = Self::defaults(specs);
        let mut problems = Vec::new();
        for spec in specs {
            if let Some(raw) = lookup(spec.key)
                && let Err(problem) = controls.set(spec.key, &raw)
            {
                problems.push(problem);
            }
        }
        (controls, problems)
    }

    pub fn specs(&self) -> &'static [ControlSpec] {
        self.specs
    }

    fn spec(&self, key: &str) -> Option<&'static ControlSpec> {
        self.specs.iter().find(|s| s.key == key)
    }

    /// Sets a control from text (a link or a form field). An empty value returns the control to its default.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<(), String> {
        let Some(spec) = self.spec(key) else {
            return Err(format!(
                "“{}” is not a setting of this example.",
                shorten(key)
            ));
        };
        let raw = raw.trim();
        self.set.retain(|(k, _)| *k != spec.key);
        if raw.is_empty() {
            return Ok(());
        }
        let value = validate(spec, raw)?;
        self.set.push((spec.key, value));
        Ok(())
    }

    /// The number of `control` (one of this example's specs, named as a const so a misspelt control does not
    /// compile): the value set, else the default; NaN when the default comes from the data and nothing was set
    /// (see [`Controls::is_set`]).
    pub fn number(&self, control: &ControlSpec) -> f64 {
        match self.value(control.key) {
            Some(Value::Number(v)) => *v,
            _ => match control.kind {
                ControlKind::Number {
                    default: Some(d), ..
                } => d,
                _ => f64::NAN,
            },
        }
    }

    /// The chosen option's value of `control`, else its default ("" for a control that is not a choice).
    pub fn choice(&self, control: &ControlSpec) -> &str {
        match self.value(control.key) {
            Some(Value::Text(v)) => v,
            _ => match control.kind {
                ControlKind::Choice { default, .. } => default,
                _ => "",
            },
        }
    }

    /// The venue the visitor chose, if any.
    pub fn venue(&self) -> Option<Venue> {
        match self.value(VENUE.key) {
            Some(Value::Text(id)) => Venue::from_id(id),
            _ => None,
        }
    }

    /// The asset chosen, BTC by default.
    pub fn asset(&self) -> Asset {
        match self.value(ASSET.key) {
            Some(Value::Text(s)) => Asset::new(s).unwrap_or_else(Asset::btc),
            _ => Asset::btc(),
        }
    }

    /// The look-back window in days (30 when the example has no window control).
    pub fn days(&self) -> i64 {
        self.choice(&DAYS).parse().unwrap_or(30)
    }

    /// Whether `control` was set rather than left at its default.
    pub fn is_set(&self, control: &ControlSpec) -> bool {
        self.value(control.key).is_some()
    }

    /// The value of `control` as the form shows it: what was set, else the default ("" when it comes from the
    /// data).
    pub fn text(&self, control: &ControlSpec) -> String {
        match self.value(control.key) {
            Some(Value::Number(v)) => number_text(*v),
            Some(Value::Text(t)) => t.clone(),
            None => match control.kind {
                ControlKind::Number {
                    default: Some(d), ..
                } => number_text(d),
                ControlKind::Choice { default, .. } => default.to_string(),
                _ => String::new(),
            },
        }
    }

    /// The (key, value) pairs that differ from the defaults, in the specs' order: what a link must carry.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        self.specs
            .iter()
            .filter(|s| self.is_set(s))
            .map(|s| (s.key, self.text(s)))
            .collect()
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.set.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Shortest text that reads back as the same number (`10`, `0.5`, `101234.5`).
fn number_text(v: f64) -> String {
    format!("{v}")
}

/// At most 24 characters of visitor text, for messages (never markup: the UI writes it as text).
fn shorten(raw: &str) -> String {
    let mut s: String = raw.chars().take(24).collect();
    if raw.chars().count() > 24 {
        s.push('…');
    }
    s
}

fn validate(spec: &ControlSpec, raw: &str) -> Result<Value, String> {
    match spec.kind {
        ControlKind::Number {
            min,
            max,
            default,
            unit,
            ..
        } => {
            let fallback = match default {
                Some(d) => format!("using {}{}", number_text(d), unit_suffix(unit)),
                None => "using the value from the data".to_string(),
            };
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(Value::Number(v)),
                Ok(v) if v.is_finite() => Err(format!(
                    "{} must be between {}{} and {}{}; {fallback}.",
                    spec.label,
                    number_text(min),
                    unit_suffix(unit),
                    number_text(max),
                    unit_suffix(unit),
                )),
                _ => Err(format!(
                    "{}: “{}” is not a number; {fallback}.",
                    spec.label,
                    shorten(raw)
                )),
            }
        }
        ControlKind::Choice { options, default } => options
            .iter()
            .find(|(v, _)| *v == raw)
            .map(|(v, _)| Value::Text(v.to_string()))
            .ok_or_else(|| {
                let label = options
                    .iter()
                    .find(|(v, _)| *v == default)
                    .map_or(default, |(_, l)| l);
                format!(
                    "{}: “{}” is not one of the choices; using {label}.",
                    spec.label,
                    shorten(raw)
                )
            }),
        ControlKind::Venue => Venue::from_id(&raw.to_ascii_lowercase())
            .map(|v| Value::Text(v.id().to_string()))
            .ok_or_else(|| {
                format!(
                    "Venue: “{}” is not a venue of this site; using the first venue with the data.",
                    shorten(raw)
                )
            }),
        ControlKind::Asset => Asset::new(raw)
            .map(|a| Value::Text(a.as_str().to_string()))
            .ok_or_else(|| format!("Asset: “{}” is not a symbol; using BTC.", shorten(raw))),
    }
}

fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "×" | "%" => unit.to_string(),
        _ => format!(" {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEV: ControlSpec = ControlSpec {
        key: "lev",
        label: "Leverage",
        kind: ControlKind::Number {
            min: 1.0,
            max: 125.0,
            step: 1.0,
            default: Some(10.0),
            unit: "×",
        },
    };
    const ENTRY: ControlSpec = ControlSpec {
        key: "entry",
        label: "Entry price",
        kind: ControlKind::Number {
            min: 0.0001,
            max: 1e9,
            step: 1.0,
            default: None,
            unit: "USD",
        },
    };
    const SPECS: &[ControlSpec] = &[VENUE, ASSET, DAYS, SIDE, LEV, ENTRY];

    fn from(query: &[(&str, &str)]) -> (Controls, Vec<String>) {
        Controls::from_lookup(SPECS, |k| {
            query
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_apply_when_the_link_says_nothing() {
        let (c, problems) = from(&[]);
        assert!(problems.is_empty());
        assert_eq!(c.number(&LEV), 10.0);
        assert!(c.number(&ENTRY).is_nan(), "the entry comes from the data");
        assert_eq!(c.choice(&SIDE), "long");
        assert_eq!(c.venue(), None);
        assert_eq!(c.asset(), Asset::btc());
        assert_eq!(c.days(), 30);
        assert!(c.to_pairs().is_empty());
    }

    #[test]
    fn valid_values_are_taken_and_round_trip_through_pairs() {
        let (c, problems) = from(&[
            ("venue", "bybit"),
            ("asset", "eth"),
            ("days", "7"),
            ("side", "short"),
            ("lev", "25"),
            ("entry", "101234.5"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.venue(), Some(Venue::Bybit));
        assert_eq!(c.asset().as_str(), "ETH");
        assert_eq!(c.days(), 7);
        assert_eq!(c.number(&ENTRY), 101_234.5);
        let pairs = c.to_pairs();
        let (again, problems) = Controls::from_lookup(SPECS, |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.clone())
        });
        assert!(problems.is_empty());
        assert_eq!(again, c);
    }

    #[test]
    fn out_of_range_and_hostile_values_fall_back_with_a_message() {
        let (c, problems) = from(&[
            ("lev", "500"),
            ("entry", "<script>alert(1)</script>"),
            ("side", "sideways"),
            ("venue", "evil.example.com"),
            ("asset", "B TC/.."),
            ("days", "NaN"),
        ]);
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems[4].contains("Leverage must be between 1× and 125×; using 10×"));
        assert_eq!(c.number(&LEV), 10.0);
        assert!(c.number(&ENTRY).is_nan());
        assert_eq!(c.choice(&SIDE), "long");
        assert_eq!(c.venue(), None);
        assert_eq!(c.asset(), Asset::btc());
        assert_eq!(c.days(), 30);
        assert!(c.to_pairs().is_empty());
    }

    #[test]
    fn nan_infinity_and_overlong_values_are_refused_and_messages_stay_short() {
        for raw in ["NaN", "inf", "-inf", "1e999", ""] {
            let (c, _) = from(&[("lev", raw)]);
            assert_eq!(c.number(&LEV), 10.0, "{raw}");
        }
        let long = "9".repeat(10_000);
        let (_, problems) = from(&[("side", &long)]);
        assert!(problems[0].chars().count() < 100, "{}", problems[0]);
    }

    #[test]
    fn an_empty_value_returns_a_control_to_its_default() {
        let (mut c, _) = from(&[("lev", "20")]);
        assert_eq!(c.number(&LEV), 20.0);
        c.set("lev", "").unwrap_or_default();
        assert_eq!(c.number(&LEV), 10.0);
        assert!(c.set("nope", "1").is_err());
    }
}
