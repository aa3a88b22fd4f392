//! Shared pieces of the venue parsers: the error type and number/time decoding that accepts what venues send
//! (numbers as JSON numbers or as decimal strings) and rejects what they must not (NaN, infinities, empty).
//!
//! Decimal strings go through `str::parse::<f64>`, which rounds correctly to the nearest double: "0.00010000"
//! becomes exactly the same f64 as the literal `0.0001`.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use super::model::Venue;

/// Why a response could not be turned into data.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// The body is empty.
    Empty { venue: Venue },
    /// The body is not JSON (an HTML error page from a proxy or CDN, a truncated response…).
    NotJson { venue: Venue, starts_with: String },
    /// JSON, but not in the shape this endpoint documents.
    Shape { venue: Venue, detail: String },
    /// The venue answered with its own error object (e.g. an unknown symbol).
    VenueError {
        venue: Venue,
        code: String,
        message: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty { venue } => {
                write!(f, "{} sent an empty response", venue.display_name())
            }
            ParseError::NotJson { venue, starts_with } => {
                write!(
                    f,
                    "{} sent something that is not JSON (it starts with “{starts_with}”)",
                    venue.display_name()
                )
            }
            ParseError::Shape { venue, detail } => {
                write!(
                    f,
                    "{} sent data in an unexpected format: {detail}",
                    venue.display_name()
                )
            }
            ParseError::VenueError {
                venue,
                code,
                message,
            } => {
                write!(
                    f,
                    "{} reported an error ({code}): {message}",
                    venue.display_name()
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Longest piece of a bad body quoted back in an error message.
const QUOTE_CHARS: usize = 40;

/// Decodes a JSON body into `T`, turning every failure into a [`ParseError`] that says what arrived.
pub fn from_json<T: DeserializeOwned>(venue: Venue, body: &[u8]) -> Result<T, ParseError> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ParseError::Empty { venue });
    }
    serde_json::from_str(trimmed).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ParseError::NotJson {
                venue,
                starts_with: trimmed.chars().take(QUOTE_CHARS).collect(),
            }
        } else {
            ParseError::Shape {
                venue,
                detail: e.to_string(),
            }
        }
    })
}

/// A shape error with a message of our own (e.g. a row with too few columns).
pub fn shape(venue: Venue, detail: impl Into<String>) -> ParseError {
    ParseError::Shape {
        venue,
        detail: detail.into(),
    }
}

/// Parses a decimal string as venues write numbers; `None` for anything that is not a finite number.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    // Rust accepts "inf", "NaN" and "infinity"; a venue never means those.
    if t.is_empty()
        || t.bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a finite number or a decimal string")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(E::custom("non-finite number"))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        parse_decimal(v).ok_or_else(|| E::custom(format!("“{}” is not a number", clip(v))))
    }
}

/// `#[serde(deserialize_with = "num")]`: a finite f64 from a JSON number or a decimal string.
pub fn num<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(NumberVisitor)
}

/// Like [`num`], but `null`, a missing field (with `#[serde(default)]`) or an empty string give `None`.
pub fn opt_num<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let value: Option<serde_json::Value> = serde::Deserialize::deserialize(d)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| de::Error::custom("non-finite number")),
        Some(serde_json::Value::String(s)) => parse_decimal(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("“{}” is not a number", clip(&s)))),
        Some(other) => Err(de::Error::custom(format!(
            "expected a number, found {other}"
        ))),
    }
}

struct TimeVisitor;

impl Visitor<'_> for TimeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a millisecond timestamp as a number or a string of digits")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom("timestamp out of range"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::custom("timestamp is not a whole number"))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse::<i64>()
            .map_err(|_| E::custom(format!("“{}” is not a timestamp", clip(v))))
    }
}

/// `#[serde(deserialize_with = "time_ms")]`: an integer millisecond timestamp from a number or a digit string.
pub fn time_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(TimeVisitor)
}

fn clip(s: &str) -> String {
    s.chars().take(QUOTE_CHARS).collect()
}

/// Sorts rows oldest first and drops exact-duplicate timestamps (venues page with overlapping windows).
pub fn oldest_first<T>(mut rows: Vec<T>, time: impl Fn(&T) -> i64) -> Vec<T> {
    lens_math::sort::sort_by_key(&mut rows, |r| time(r));
    rows.dedup_by_key(|r| time(r));
    rows
}

pub use crate::base::calendar::iso8601_ms;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Row {
        #[serde(deserialize_with = "num")]
        x: f64,
        #[serde(default, deserialize_with = "opt_num")]
        y: Option<f64>,
        #[serde(deserialize_with = "time_ms")]
        t: i64,
    }

    #[test]
    fn numbers_from_strings_are_exact() {
        let r: Row = from_json(
            Venue::Binance,
            br#"{"x":"0.00010000","y":"","t":"1591261042378"}"#,
        )
        .unwrap();
        assert_eq!(r.x, 0.0001);
        assert_eq!(r.y, None);
        assert_eq!(r.t, 1_591_261_042_378);
        let r: Row = from_json(Venue::Binance, br#"{"x":-2.5e-4,"y":3,"t":1.0e12}"#).unwrap();
        assert_eq!((r.x, r.y, r.t), (-0.00025, Some(3.0), 1_000_000_000_000));
    }

    /// serde_json's fast float path can miss by one ulp; with `float_roundtrip` a printed f64 reads back exactly
    /// (this value came back as 1362.127827133122 without it, breaking a snapshot round trip).
    #[test]
    fn json_numbers_read_back_exactly() {
        let r: Row = from_json(Venue::Binance, br#"{"x":1362.1278271331219,"t":1}"#).unwrap();
        assert_eq!(r.x, 1_362.127_827_133_121_9_f64);
        assert_eq!(r.x.to_string(), "1362.1278271331219");
    }

    #[test]
    fn nan_infinity_and_words_are_rejected() {
        for bad in [
            "\"NaN\"",
            "\"inf\"",
            "\"-Infinity\"",
            "\"\"",
            "\"12abc\"",
            "true",
            "null",
            "[]",
        ] {
            let body = format!(r#"{{"x":{bad},"t":1}}"#);
            let err = from_json::<Row>(Venue::Okx, body.as_bytes()).unwrap_err();
            assert!(matches!(err, ParseError::Shape { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn html_and_truncated_bodies_are_not_json() {
        let err =
            from_json::<Row>(Venue::Bybit, b"<html><body>403 Forbidden</body></html>").unwrap_err();
        assert!(
            matches!(err, ParseError::NotJson { ref starts_with, .. } if starts_with.starts_with("<html>"))
        );
        assert!(err.to_string().contains("Bybit"));
        assert!(matches!(
            from_json::<Row>(Venue::Bybit, br#"{"x":"1","t":"#),
            Err(ParseError::NotJson { .. })
        ));
        assert_eq!(
            from_json::<Row>(Venue::Bybit, b"  \n").unwrap_err(),
            ParseError::Empty {
                venue: Venue::Bybit
            }
        );
    }

    #[test]
    fn iso_timestamps_match_known_epochs() {
        assert_eq!(iso8601_ms("1970-01-01T00:00:00Z"), Some(0));
        // 2025-07-25T11:00:00.013Z, checked with Python's datetime: 1753441200013.
        assert_eq!(
            iso8601_ms("2025-07-25T11:00:00.013Z"),
            Some(1_753_441_200_013)
        );
        assert_eq!(
            iso8601_ms("2024-02-29T23:59:59.5Z"),
            Some(1_709_251_199_500)
        );
        for bad in [
            "",
            "2025-13-01T00:00:00Z",
            "2025-07-25 11:00:00Z",
            "2025-07-25T11:00:00",
            "xT1:2:3Z",
        ] {
            assert_eq!(iso8601_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn oldest_first_sorts_and_dedups() {
        let rows = oldest_first(vec![(3, 'c'), (1, 'a'), (3, 'd'), (2, 'b')], |r| r.0);
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
