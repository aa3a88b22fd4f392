//! What the liquidation-map estimator returns: the time × price matrix of outstanding mass, the mass consumed
//! per bar, and a budget that accounts for every unit placed.

use super::grid::PriceGrid;
use crate::market::Side;
use crate::series::TimeSeries;

/// Where all placed mass went, in the open-interest unit (e.g. BTC). `placed_long + placed_short` equals
/// `outstanding_long + outstanding_short + consumed_long + consumed_short + decayed + outside_grid` up to rounding.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MassBudget {
    /// Long mass added: Σ ΔOI⁺·λ.
    pub placed_long: f64,
    /// Short mass added: Σ ΔOI⁺·(1 − λ).
    pub placed_short: f64,
    /// Long mass still in the map after the last bar.
    pub outstanding_long: f64,
    /// Short mass still in the map after the last bar.
    pub outstanding_short: f64,
    /// Long mass removed because a later bar's low reached its bucket.
    pub consumed_long: f64,
    /// Short mass removed because a later bar's high reached its bucket.
    pub consumed_short: f64,
    /// Removed by the per-bar decay.
    pub decayed: f64,
    /// Never placed because its level fell outside the price grid.
    pub outside_grid: f64,
}

impl MassBudget {
    /// All mass added, both sides.
    pub fn placed(&self) -> f64 {
        self.placed_long + self.placed_short
    }

    /// Everything accounted for after placement: outstanding, consumed, decayed and outside the grid.
    pub fn accounted(&self) -> f64 {
        self.outstanding_long
            + self.outstanding_short
            + self.consumed_long
            + self.consumed_short
            + self.decayed
            + self.outside_grid
    }
}

/// An estimated liquidation map: one column per bar, one row per price bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct LiquidationMap {
    pub(super) times_ms: Vec<i64>,
    pub(super) price_grid: PriceGrid,
    /// Column-major: bar t occupies `cells[t·height .. (t+1)·height]`, bucket 0 (lowest price) first.
    pub(super) cells: Vec<f32>,
    pub(super) outstanding_long: Vec<f64>,
    pub(super) outstanding_short: Vec<f64>,
    pub(super) consumed_long: Vec<f64>,
    pub(super) consumed_short: Vec<f64>,
    pub(super) budget: MassBudget,
}

impl LiquidationMap {
    /// Number of columns: one per bar.
    pub fn width(&self) -> usize {
        self.times_ms.len()
    }

    /// Number of rows: one per price bucket.
    pub fn height(&self) -> usize {
        self.price_grid.bucket_count()
    }

    /// Open time of each column's bar.
    pub fn times_ms(&self) -> &[i64] {
        &self.times_ms
    }

    /// The price buckets of the rows.
    pub fn price_grid(&self) -> &PriceGrid {
        &self.price_grid
    }

    /// Outstanding mass (long + short) per cell after each bar, column-major (see [`LiquidationMap::column`]).
    pub fn cells(&self) -> &[f32] {
        &self.cells
    }

    /// Outstanding mass per price bucket after bar `t`, lowest price first; `None` past the last bar.
    pub fn column(&self, t: usize) -> Option<&[f32]> {
        let height = self.height();
        let start = t.checked_mul(height)?;
        self.cells.get(start..start.checked_add(height)?)
    }

    /// Outstanding mass in one cell; `None` outside the map.
    pub fn at(&self, t: usize, bucket: usize) -> Option<f32> {
        if bucket >= self.height() {
            return None;
        }
        self.column(t)?.get(bucket).copied()
    }

    /// Outstanding long (or short) mass after each bar.
    pub fn outstanding(&self, side: Side) -> &[f64] {
        match side {
            Side::Long => &self.outstanding_long,
            Side::Short => &self.outstanding_short,
        }
    }

    /// Mass consumed in each bar on one side: the estimated liquidations of that side.
    pub fn consumed(&self, side: Side) -> &[f64] {
        match side {
            Side::Long => &self.consumed_long,
            Side::Short => &self.consumed_short,
        }
    }

    /// Estimated liquidations per bar (both sides), stamped with the bars' open times.
    pub fn estimated_liquidations(&self) -> TimeSeries {
        let totals = self
            .consumed_long
            .iter()
            .zip(&self.consumed_short)
            .map(|(l, s)| l + s)
            .collect();
        TimeSeries::from_parts_unchecked(self.times_ms.clone(), totals)
    }

    /// Where the placed mass went over the whole map.
    pub fn budget(&self) -> &MassBudget {
        &self.budget
    }
}
