//! Benchmarks of the heavy computations, with the sizes the issue sets as targets (each under 50 ms natively,
//! the cascade under 20 ms). Inputs are generated from a fixed seed, so runs are comparable.
//!
//! Run: `cargo bench -p lens-math` (or `make bench`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lens_math::flow::{OrderFlowImbalance, order_flow_imbalance};
use lens_math::liquidation_map::{LeverageGrid, LiquidationMapEstimator, PriceGrid};
use lens_math::market::{Bar, BestQuote};
use lens_math::rng::SplitMix64;
use lens_math::series::{HOUR_MS, TimeSeries};
use lens_math::sim::{SimConfig, simulate};
use lens_math::spiral::{BookDepth, PositionBook, SyntheticBookParams, synthetic_book};

/// A random walk of best quotes on a 0.1 tick, one every 100 ms.
fn quotes(n: usize) -> Vec<BestQuote> {
    let mut rng = SplitMix64::new(1);
    let mut bid = 60_000.0;
    (0..n)
        .map(|i| {
            bid += (rng.index(3) as f64 - 1.0) * 0.1;
            BestQuote {
                time_ms: i as i64 * 100,
                bid_price: bid,
                bid_size: rng.uniform(0.1, 5.0),
                ask_price: bid + 0.1,
                ask_size: rng.uniform(0.1, 5.0),
            }
        })
        .collect()
}

/// Hourly bars of a random walk with open interest that rises on average.
fn bars_and_oi(n: usize) -> (Vec<Bar>, TimeSeries) {
    let mut rng = SplitMix64::new(2);
    let mut price: f64 = 60_000.0;
    let mut oi = 100_000.0;
    let mut bars = Vec::with_capacity(n);
    let mut oi_points = Vec::with_capacity(n);
    for i in 0..n {
        let open = price;
        price *= (rng.normal() * 0.006).exp();
        let high = open.max(price) * (1.0 + rng.uniform(0.0, 0.003));
        let low = open.min(price) * (1.0 - rng.uniform(0.0, 0.003));
        let volume = rng.uniform(500.0, 2_000.0);
        let time_ms = i as i64 * HOUR_MS;
        bars.push(Bar {
            open_time_ms: time_ms,
            open,
            high,
            low,
            close: price,
            volume,
            taker_buy_volume: volume * rng.uniform(0.3, 0.7),
        });
        oi = (oi + rng.normal() * 800.0 + 50.0).max(1_000.0);
        oi_points.push((time_ms, oi));
    }
    (bars, TimeSeries::from_points_lossy(oi_points))
}

fn ofi(c: &mut Criterion) {
    let snapshots = quotes(1_000_000);
    c.bench_function("ofi_total_1e6_snapshots", |b| {
        b.iter(|| order_flow_imbalance(black_box(&snapshots)))
    });
    let bucketed = OrderFlowImbalance::new(1_000, 0.1).ok();
    c.bench_function("ofi_1s_buckets_1e6_snapshots", |b| {
        b.iter(|| bucketed.as_ref().map(|o| o.compute(black_box(&snapshots))))
    });
}

fn liquidation_map(c: &mut Criterion) {
    let (bars, oi) = bars_and_oi(10_000);
    let low = bars.iter().map(|b| b.low).fold(f64::INFINITY, f64::min) * 0.5;
    let high = bars.iter().map(|b| b.high).fold(0.0, f64::max) * 1.5;
    let leverages: Vec<f64> = (1..=20).map(|i| 2.0 + 5.0 * i as f64).collect();
    let weights = vec![1.0 / 20.0; 20];
    let estimator = PriceGrid::with_buckets(low, high, 200)
        .and_then(|grid| Ok((grid, LeverageGrid::new(&leverages, &weights, 0.005)?)))
        .and_then(|(grid, levs)| LiquidationMapEstimator::new(grid, levs, 0.0));
    c.bench_function("liquidation_map_10k_bars_20_leverages_200_buckets", |b| {
        b.iter(|| {
            estimator
                .as_ref()
                .map(|e| e.estimate(black_box(&bars), black_box(&oi)))
        })
    });
}

fn cascade(c: &mut Criterion) {
    let params = SyntheticBookParams {
        seed: 3,
        position_count: 100_000,
        open_interest_usd: 5.0e9,
        long_share: 0.55,
        leverage_mix: vec![
            (2.0, 0.2),
            (5.0, 0.3),
            (10.0, 0.3),
            (25.0, 0.15),
            (50.0, 0.05),
        ],
        reference_price: 60_000.0,
        entry_dispersion: 0.05,
        maintenance_margin_rate: 0.005,
    };
    let positions = synthetic_book(&params).unwrap_or_default();
    let depth = BookDepth::symmetric(50.0e6);
    c.bench_function("cascade_build_book_100k_positions", |b| {
        b.iter(|| PositionBook::new(black_box(&positions)))
    });
    c.bench_function("cascade_100k_positions_build_and_run", |b| {
        b.iter(|| {
            depth
                .as_ref()
                .map(|d| PositionBook::new(black_box(&positions)).cascade(60_000.0, -0.08, d))
        })
    });
    let book = PositionBook::new(&positions);
    c.bench_function("cascade_run_100k_positions_minus_8pct", |b| {
        b.iter(|| {
            depth
                .as_ref()
                .map(|d| book.cascade(60_000.0, black_box(-0.08), d))
        })
    });
}

fn simulator(c: &mut Criterion) {
    let config = SimConfig::default();
    c.bench_function("simulate_embedded_sample_30d_2_assets_3_venues", |b| {
        b.iter(|| simulate(black_box(&config)))
    });
}

criterion_group!(benches, ofi, liquidation_map, cascade, simulator);
criterion_main!(benches);
