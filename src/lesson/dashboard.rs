//! The Leverage Dynamics dashboard on the overview: one tile per signal (funding regime, OI × price
//! quadrant, basis, positioning skew, estimated leverage, liquidation-map hot zones) for one asset across
//! the venues in view, and a one-line verdict with its reasons.

use crate::market::dataset::DataSet;
use crate::market::model::Asset;

/// How a tile's reading leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// Nothing stretched.
    Calm,
    /// Leverage building on the long side (longs crowded, paying).
    LongHeavy,
    /// Leverage building on the short side.
    ShortHeavy,
    /// Stretched without a side (high leverage, a hot zone close by).
    Stretched,
    /// Not enough data to say.
    Unknown,
}

/// One signal of the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Stable id (`funding`, `quadrant`, `basis`, `skew`, `leverage`, `hot-zones`), the element's `data-tile`.
    pub key: &'static str,
    pub title: String,
    /// The glossary term that explains it.
    pub term_slug: &'static str,
    /// The headline number or state ("0.0123 % per 8 h", "New longs").
    pub value: String,
    /// One line of detail with the numbers behind it, per venue where it differs.
    pub detail: String,
    pub lean: Lean,
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub asset: Asset,
    pub tiles: Vec<Tile>,
    /// One line: the overall read ("Leverage is building on the long side").
    pub verdict: String,
    /// The tiles' findings that led to the verdict.
    pub reasons: Vec<String>,
    /// Where the numbers come from (for the caption).
    pub source: String,
}

/// The dashboard for `asset` from the data in view.
pub fn dashboard(set: &DataSet, asset: &Asset) -> Dashboard {
    let _ = set;
    Dashboard {
        asset: asset.clone(),
        tiles: Vec::new(),
        verdict: String::from("PLACEHOLDER"),
        reasons: Vec::new(),
        source: String::new(),
    }
}
