//! What the live examples' tests share: the controls a link gives, and a fact read back by its key.

use super::Example;
use super::controls::{ControlSpec, Controls};
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};

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

/// The dollar open interest of the venue's last row, read straight from the rows (the sample reports dollars for
/// every venue, so a test compares against the venue's own figure, not the app's conversion).
pub fn last_oi_usd(set: &DataSet, venue: Venue, asset: &Asset) -> f64 {
    super::read::open_interest(set, venue, asset, i64::MIN)
        .last()
        .and_then(|r| r.usd)
        .unwrap_or_else(|| panic!("{venue:?} has no dollar open interest for {asset}"))
}
