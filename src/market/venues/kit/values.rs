//! Reading single values out of venue JSON: lenient numbers and times, cells of array rows, the checks every parser
//! applies to prices and sizes, and venue error objects.

use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::market::model::Venue;
use crate::market::parse::{ParseError, parse_decimal, shape};

/// A finite number from a JSON number or a decimal string.
pub fn value_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => parse_decimal(s),
        _ => None,
    }
}

/// A millisecond timestamp from a JSON integer or a string of digits.
pub fn value_time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Cell `i` of an array row as a number.
pub fn cell_num(venue: Venue, row: &[Value], i: usize, what: &str) -> Result<f64, ParseError> {
    cell(venue, row, i, what, value_num, "a number")
}

/// Cell `i` of an array row as a millisecond timestamp.
pub fn cell_time(venue: Venue, row: &[Value], i: usize, what: &str) -> Result<i64, ParseError> {
    cell(venue, row, i, what, value_time, "a timestamp")
}

/// Cell `i` of an array row read with `read`; `kind` names what it should be in the error.
fn cell<T>(
    venue: Venue,
    row: &[Value],
    i: usize,
    what: &str,
    read: fn(&Value) -> Option<T>,
    kind: &str,
) -> Result<T, ParseError> {
    let cell = row.get(i).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: row has {} columns, needs {}", row.len(), i + 1),
        )
    })?;
    read(cell).ok_or_else(|| {
        shape(
            venue,
            format!("{what}: column {i} is {}, not {kind}", clip(cell)),
        )
    })
}

fn clip(v: &Value) -> String {
    v.to_string().chars().take(40).collect()
}

/// `#[serde(default, deserialize_with = "opt_time")]`: a timestamp that may be absent, null, "" or "0" (all `None`).
pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value: Option<Value> = serde::Deserialize::deserialize(d)?;
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => match value_time(&v) {
            Some(t) => Ok((t > 0).then_some(t)),
            None => Err(serde::de::Error::custom(format!(
                "{} is not a timestamp",
                clip(&v)
            ))),
        },
    }
}

/// Decodes an already parsed JSON value into `T`; a mismatch is a shape error.
pub fn decode<T: DeserializeOwned>(venue: Venue, value: Value) -> Result<T, ParseError> {
    serde_json::from_value(value).map_err(|e| shape(venue, e.to_string()))
}

/// A price that cannot be zero (or that something is divided by): a finite number above zero.
pub fn positive(venue: Venue, what: &str, v: f64) -> Result<f64, ParseError> {
    if v > 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(shape(venue, format!("{what} {v} is not a positive price")))
    }
}

/// A price, size, volume or ratio as a venue sent it: a finite number, zero or more. A negative one is a broken
/// response, not a market state.
pub fn non_negative(venue: Venue, what: &str, v: f64) -> Result<f64, ParseError> {
    if v >= 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(shape(venue, format!("{what} {v} is negative")))
    }
}

/// A JSON value as text: a string's contents, anything else as JSON (`-1121`, `{"a":1}`).
pub fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// A venue's error object as [`ParseError::VenueError`], its code and message read from the two keys as text
/// (empty when a key is absent).
pub fn venue_error(venue: Venue, error: &Value, code_key: &str, message_key: &str) -> ParseError {
    let field = |key| error.get(key).map_or_else(String::new, text);
    ParseError::VenueError {
        venue,
        code: field(code_key),
        message: field(message_key),
    }
}
