//! What the lessons' tests share: the controls a link gives, and a fact read back by its key.

use super::Example;
use super::controls::{ControlSpec, Controls};

/// The controls a link with these `(key, value)` pairs gives; a pair the controls refuse fails the test.
pub fn controls(specs: &'static [ControlSpec], query: &[(&str, &str)]) -> Controls {
    let (c, problems) = Controls::from_lookup(specs, |k| {
        query
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.to_string())
    });
    assert!(problems.is_empty(), "{problems:?}");
    c
}

/// The value shown for the fact `key`, or "" when the example has no such fact.
pub fn fact(e: &Example, key: &str) -> String {
    e.facts
        .iter()
        .find(|f| f.key == key)
        .map(|f| f.value.clone())
        .unwrap_or_default()
}
