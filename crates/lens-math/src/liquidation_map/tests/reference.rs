//! The estimator against a plain full-scan implementation on random markets: same cells, same consumption,
//! and every unit of mass accounted for.

use crate::liquidation_map::*;
use crate::margin::liquidation_price_flat_mmr;
use proptest::prelude::*;

fn series(values: &[f64]) -> TimeSeries {
    TimeSeries::new((0..values.len() as i64).collect(), values.to_vec()).unwrap()
}

/// The straightforward algorithm: scan every bucket on every bar. The estimator must agree with it.
fn reference_map(
    bars: &[Bar],
    oi: &[f64],
    grid: PriceGrid,
    levels: &[(f64, f64)],
    mmr: f64,
    decay: f64,
) -> (Vec<f64>, Vec<f64>) {
    let n = grid.bucket_count();
    let (mut long, mut short) = (vec![0.0; n], vec![0.0; n]);
    let (mut cells, mut consumed) = (Vec::new(), Vec::new());
    for t in 0..bars.len() {
        let mut eaten = 0.0;
        if t > 0 {
            for i in 0..n {
                long[i] *= 1.0 - decay;
                short[i] *= 1.0 - decay;
                if grid.center(i) >= bars[t].low {
                    eaten += std::mem::take(&mut long[i]);
                }
                if grid.center(i) <= bars[t].high {
                    eaten += std::mem::take(&mut short[i]);
                }
            }
            let delta = oi[t] - oi[t - 1];
            if delta > 0.0 {
                let share = if bars[t].volume > 0.0 {
                    bars[t].taker_buy_volume / bars[t].volume
                } else {
                    0.5
                };
                let entry = bars[t].typical_price();
                for &(lev, w) in levels {
                    let lp_long = liquidation_price_flat_mmr(Side::Long, entry, lev, mmr).unwrap();
                    let lp_short =
                        liquidation_price_flat_mmr(Side::Short, entry, lev, mmr).unwrap();
                    if let Some(i) = grid.bucket_of(lp_long) {
                        long[i] += delta * share * w;
                    }
                    if let Some(i) = grid.bucket_of(lp_short) {
                        short[i] += delta * (1.0 - share) * w;
                    }
                }
            }
        }
        consumed.push(eaten);
        cells.extend((0..n).map(|i| long[i] + short[i]));
    }
    (cells, consumed)
}

/// Random-walk bars with open interest that rises and falls.
fn market_strategy() -> impl Strategy<Value = (Vec<Bar>, Vec<f64>)> {
    prop::collection::vec(
        (
            -0.03f64..0.03,
            0.0f64..0.02,
            0.0f64..0.02,
            0.0f64..50.0,
            0.0f64..1.0,
            -20.0f64..30.0,
        ),
        1..120,
    )
    .prop_map(|steps| {
        let (mut close, mut oi) = (100.0f64, 100.0f64);
        let mut bars = Vec::new();
        let mut ois = Vec::new();
        for (t, (ret, up, down, volume, buy, doi)) in steps.into_iter().enumerate() {
            let open = close;
            close = open * ret.exp();
            let high = open.max(close) * (1.0 + up);
            let low = open.min(close) * (1.0 - down);
            bars.push(Bar {
                open_time_ms: t as i64,
                open,
                high,
                low,
                close,
                volume,
                taker_buy_volume: volume * buy,
            });
            oi = (oi + doi).max(0.0);
            ois.push(oi);
        }
        (bars, ois)
    })
}

proptest! {
    /// Conservation on random markets, and the bounded-scan consumption equals the full scan.
    #[test]
    fn estimator_conserves_mass_and_matches_full_scan(
        (bars, oi) in market_strategy(), decay in prop_oneof![Just(0.0), 0.0f64..0.2], step in 0.05f64..2.0,
    ) {
        let grid = PriceGrid::with_step(40.0, 200.0, step).unwrap();
        let levels = [(2.0, 0.2), (5.0, 0.3), (20.0, 0.3), (100.0, 0.2)];
        let (levs, ws): (Vec<f64>, Vec<f64>) = levels.iter().copied().unzip();
        let estimator = LiquidationMapEstimator::new(grid, LeverageGrid::new(&levs, &ws, 0.004).unwrap(), decay).unwrap();
        let map = estimator.estimate(&bars, &series(&oi)).unwrap();
        let b = map.budget();
        prop_assert!((b.placed() - b.accounted()).abs() <= 1e-9 * b.placed().max(1.0));
        let (cells, consumed) = reference_map(&bars, &oi, grid, &levels, 0.004, decay);
        prop_assert_eq!(map.cells().len(), cells.len());
        for (fast, slow) in map.cells().iter().zip(&cells) {
            prop_assert!((f64::from(*fast) - slow).abs() <= 1e-5 * slow.abs().max(1.0));
        }
        for (t, slow) in consumed.iter().enumerate() {
            let fast = map.consumed(Side::Long)[t] + map.consumed(Side::Short)[t];
            prop_assert!((fast - slow).abs() <= 1e-9 * slow.max(1.0));
        }
    }
}
