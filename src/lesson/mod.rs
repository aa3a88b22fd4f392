//! What each term teaches with numbers. Its live example ([`LiveExample`], one per term in [`live_examples`]):
//! the data in view and the visitor's control values become charts, key numbers and one sentence that reads
//! today's numbers. Its worked example ([`worked`]): the published example as a calculator. Plus the overview's
//! [`dashboard`] and the chart [`gallery`]. All pure functions, so each is tested natively on the embedded
//! sample; the UI only fetches, draws and writes text.
//!
//! Where a number is computed: the term's module under [`live_examples`] or [`worked`] wires data to
//! `lens_math`; the formula itself is in `lens_math`.

pub mod controls;
pub mod dashboard;
pub mod fetched;
pub mod gallery;
pub mod live;
pub mod live_examples;
pub mod read;
#[cfg(test)]
mod testing;
pub mod text;
pub mod worked;

use crate::chart::figure::Panel;
use crate::market::dataset::{DataSet, Item};
use crate::market::model::Venue;

pub use controls::{ControlKind, ControlSpec, Controls};

/// A number the example computed, shown beside the chart and named so tests can find it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Stable id (`funding-8h`), the element's `data-fact`.
    pub key: &'static str,
    pub label: String,
    pub value: String,
}

impl Fact {
    pub fn new(key: &'static str, label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key,
            label: label.into(),
            value: value.into(),
        }
    }
}

/// What a live example shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The sentence that reads the current numbers, built from the same numbers as the charts.
    pub reading: String,
    pub facts: Vec<Fact>,
    pub panels: Vec<Panel>,
    /// Things worth saying that are not errors ("no options data in view: the risk reversal is left out").
    pub notes: Vec<String>,
    /// The venues whose data the example used.
    pub venues: Vec<Venue>,
}

/// Why an example cannot be shown with these controls, and what would work instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Unavailable {
    pub message: String,
    /// Venues that do have the data (offered as buttons).
    pub alternatives: Vec<Venue>,
}

impl Unavailable {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            alternatives: Vec::new(),
        }
    }
}

/// Which venues a data need is fetched from in live mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The venue in the venue control (or the default one).
    Chosen,
    /// Every venue that serves it (cross-venue examples).
    AllVenues,
}

/// Data an example reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub item: Item,
    pub scope: Scope,
}

impl Need {
    pub const fn chosen(item: Item) -> Self {
        Self {
            item,
            scope: Scope::Chosen,
        }
    }

    pub const fn all(item: Item) -> Self {
        Self {
            item,
            scope: Scope::AllVenues,
        }
    }
}

/// A term's live example.
#[derive(Debug)]
pub struct LiveExample {
    /// The glossary term's slug.
    pub slug: &'static str,
    pub controls: &'static [ControlSpec],
    pub needs: &'static [Need],
    /// The item whose venues the venue control offers.
    pub primary: Option<Item>,
    pub build: fn(&DataSet, &Controls) -> Result<Example, Unavailable>,
}

impl LiveExample {
    pub fn run(&self, set: &DataSet, controls: &Controls) -> Result<Example, Unavailable> {
        (self.build)(set, controls)
    }
}

/// The live example of the term `slug`.
pub fn live_example_for(slug: &str) -> Option<&'static LiveExample> {
    live_examples::LIVE_EXAMPLES
        .iter()
        .copied()
        .find(|l| l.slug == slug)
}
