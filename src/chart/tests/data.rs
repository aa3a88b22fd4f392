//! Seeded data for the chart tests: the same numbers on every run and machine (SplitMix64, no system RNG).

use lens_math::rng::SplitMix64;
use lens_math::series::{DAY_MS, HOUR_MS};

use crate::chart::{NetworkEdge, NetworkNode, NodeState};

/// 2025-01-01T00:00:00Z.
pub const START_MS: i64 = 1_735_689_600_000;

/// A geometric random walk of `n` points at `step_ms`, starting at `start`, with `vol` log-return per step.
pub fn random_walk(
    seed: u64,
    n: usize,
    step_ms: i64,
    start: f64,
    vol: f64,
) -> (Vec<i64>, Vec<f64>) {
    let mut rng = SplitMix64::new(seed);
    let mut level = start;
    (0..n)
        .map(|i| {
            let point = (START_MS + i as i64 * step_ms, level);
            level *= (vol * rng.normal()).exp();
            point
        })
        .unzip()
}

/// 30 days of hourly BTC prices around $95k.
pub fn hourly_prices() -> (Vec<i64>, Vec<f64>) {
    random_walk(1, 30 * 24, HOUR_MS, 95_000.0, 0.004)
}

/// 30 days of hourly open interest around $6bn.
pub fn hourly_open_interest() -> (Vec<i64>, Vec<f64>) {
    random_walk(2, 30 * 24, HOUR_MS, 6.0e9, 0.006)
}

/// 30 days of 8-hourly funding rates, mostly small and positive, with a few extremes.
pub fn funding_8h() -> (Vec<i64>, Vec<f64>) {
    let mut rng = SplitMix64::new(3);
    (0..90)
        .map(|i| {
            let base = 0.0001 + 0.00012 * rng.normal();
            let shock = if rng.next_f64() < 0.05 {
                0.0008 * rng.normal()
            } else {
                0.0
            };
            (START_MS + i * 8 * HOUR_MS, base + shock)
        })
        .unzip()
}

/// A liquidation map: `columns` × `rows` cells over 30 days and $80k–$110k, clusters of leveraged positions
/// around round numbers that fade as the price passes through them.
pub fn liquidation_cells(columns: u32, rows: u32) -> Vec<f32> {
    let mut rng = SplitMix64::new(4);
    let clusters: Vec<(f64, f64, f64)> = (0..9)
        .map(|_| {
            (
                rng.uniform(0.0, 1.0),
                rng.uniform(0.02, 0.06),
                rng.uniform(1e6, 4e7),
            )
        })
        .collect();
    let mut cells = Vec::with_capacity(columns as usize * rows as usize);
    for row in 0..rows {
        let y = (f64::from(row) + 0.5) / f64::from(rows);
        for col in 0..columns {
            let age = f64::from(col) / f64::from(columns);
            let density: f64 = clusters
                .iter()
                .map(|&(centre, width, size)| {
                    size * (-((y - centre) / width).powi(2)).exp() * (0.3 + 0.7 * age)
                })
                .sum();
            let noise = rng.uniform(0.5, 1.5);
            cells.push((density * noise) as f32);
        }
    }
    cells
}

/// Standardised order-flow imbalance against the next hour's return (a fraction): 0.4 % per σ plus noise,
/// 300 observations.
pub fn ofi_observations() -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64::new(5);
    (0..300)
        .map(|_| {
            let ofi = rng.normal();
            (ofi, 0.004 * ofi + 0.003 * rng.normal())
        })
        .unzip()
}

/// P&L in USD of $10k margin at `leverage` from a $95k entry, long or short, sampled across $80k–$116k, with
/// liquidation at 0.5 % maintenance margin (beyond it the whole margin is lost).
pub fn pnl_curve(leverage: f64, long: bool) -> (Vec<f64>, Vec<f64>) {
    let (entry, margin) = (95_000.0, 10_000.0);
    let liquidation = liquidation_price(leverage, long);
    (0..=360)
        .map(|i| {
            let price = 80_000.0 + 100.0 * f64::from(i);
            let change = if long {
                price / entry - 1.0
            } else {
                1.0 - price / entry
            };
            let liquidated = if long {
                price <= liquidation
            } else {
                price >= liquidation
            };
            (
                price,
                if liquidated {
                    -margin
                } else {
                    margin * leverage * change
                },
            )
        })
        .unzip()
}

/// Liquidation price of the positions in [`pnl_curve`]: entry × (1 ∓ 1/leverage ± 0.5 %).
pub fn liquidation_price(leverage: f64, long: bool) -> f64 {
    let (entry, maintenance) = (95_000.0, 0.005);
    if long {
        entry * (1.0 - 1.0 / leverage + maintenance)
    } else {
        entry * (1.0 + 1.0 / leverage - maintenance)
    }
}

/// Eight venues and desks with exposures to each other; one has defaulted, two are stressed.
pub fn contagion_network() -> (Vec<NetworkNode<'static>>, Vec<NetworkEdge>) {
    let names = [
        "Desk A", "Desk B", "Venue C", "Fund D", "Desk E", "Lender F", "Fund G", "Venue H",
    ];
    let states = [
        NodeState::Defaulted,
        NodeState::Stressed,
        NodeState::Solvent,
        NodeState::Stressed,
        NodeState::Solvent,
        NodeState::Solvent,
        NodeState::Solvent,
        NodeState::Solvent,
    ];
    let mut rng = SplitMix64::new(6);
    let nodes = names
        .iter()
        .zip(states)
        .map(|(&label, state)| NetworkNode {
            label,
            state,
            size: rng.uniform(0.1, 1.0),
        })
        .collect();
    let mut edges = Vec::new();
    for from in 0..8 {
        for to in 0..8 {
            if from != to && rng.next_f64() < 0.22 {
                edges.push(NetworkEdge {
                    from,
                    to,
                    weight: rng.uniform(1.0, 10.0),
                });
            }
        }
    }
    (nodes, edges)
}

/// A million one-second points with a liquidation spike each way, for the decimation path.
pub fn million_points() -> (Vec<i64>, Vec<f64>) {
    let (times, mut values) = random_walk(7, 1_000_000, 1_000, 95_000.0, 0.0002);
    values[400_000] *= 0.9;
    values[700_000] *= 1.08;
    (times, values)
}

/// One day, for zoomed windows.
pub const ONE_DAY_MS: i64 = DAY_MS;
