//! Native tests of the whole chart layer on plotters' SVG backend (a native-only dev-dependency).

#![cfg(not(target_arch = "wasm32"))]

mod data;
mod edge_other_charts;
mod edge_time_charts;
mod snapshots;
mod support;
