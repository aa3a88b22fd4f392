//! Taker (aggressive) flow from klines: imbalance per bar, cumulative volume delta, and Binance's taker
//! buy/sell ratio. The kline-level stand-in for OFI when no book stream is available.

use crate::error::{MathError, Result, ensure_finite};
use crate::market::Bar;
use crate::series::TimeSeries;

/// Taker imbalance of each bar, stamped with the bar's open time.
///
/// # Formula
/// `TI_t = (B_t − S_t) / (B_t + S_t)` with `B_t` the taker buy volume and `S_t = V_t − B_t` the taker sell
/// volume of the kline (Binance kline field `takerBuyBaseAssetVolume`). In [−1, 1];
/// +1 when every trade was an aggressive buy. Bars with no volume have no imbalance and give no point.
///
/// # Errors
/// [`MathError::Unsorted`] when open times are not strictly increasing; [`MathError::NotFinite`] for a NaN/∞
/// field; [`MathError::InvalidParameter`] for a bar that fails [`Bar::is_valid`].
///
/// ```
/// use lens_math::flow::taker_imbalance;
/// use lens_math::market::Bar;
/// let (volume, taker_buy_volume) = (1_200.0, 700.0);
/// let bar = Bar { open_time_ms: 0, open: 1.0, high: 1.0, low: 1.0, close: 1.0, volume, taker_buy_volume };
/// let ti = taker_imbalance(&[bar])?;
/// assert!((ti.values()[0] - 200.0 / 1_200.0).abs() < 1e-15); // (700 − 500) / 1,200
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn taker_imbalance(bars: &[Bar]) -> Result<TimeSeries> {
    check_bars(bars)?;
    let (times_ms, values) = bars
        .iter()
        .filter(|bar| bar.volume > 0.0)
        .map(|bar| {
            let (buy, sell) = (bar.taker_buy_volume, bar.taker_sell_volume());
            (bar.open_time_ms, (buy - sell) / (buy + sell))
        })
        .unzip();
    Ok(TimeSeries::from_parts_unchecked(times_ms, values))
}

/// Cumulative volume delta: the running sum of taker buy minus taker sell volume, one point per bar at its
/// open time (the value includes that bar).
///
/// # Formula
/// `CVD_T = Σ_{t ≤ T} (B_t − S_t)`, `S_t = V_t − B_t` (Velo defines CVD as the cumulative
/// sum of market buys minus market sells). Its level depends on where the sum starts; read its slope.
///
/// # Errors
/// As [`taker_imbalance`]; [`MathError::NotFinite`] when the sum overflows.
///
/// ```
/// use lens_math::flow::cumulative_volume_delta;
/// use lens_math::market::Bar;
/// let bar = |open_time_ms, volume, taker_buy_volume| {
///     Bar { open_time_ms, open: 1.0, high: 1.0, low: 1.0, close: 1.0, volume, taker_buy_volume }
/// };
/// let cvd = cumulative_volume_delta(&[bar(0, 10.0, 7.0), bar(60_000, 10.0, 2.0)])?;
/// assert_eq!(cvd.values(), &[4.0, -2.0]); // +4, then −6
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn cumulative_volume_delta(bars: &[Bar]) -> Result<TimeSeries> {
    check_bars(bars)?;
    let mut running = 0.0;
    let mut values = Vec::with_capacity(bars.len());
    for bar in bars {
        running += bar.taker_buy_volume - bar.taker_sell_volume();
        values.push(ensure_finite("cumulative volume delta", running)?);
    }
    Ok(TimeSeries::from_parts_unchecked(
        bars.iter().map(|bar| bar.open_time_ms).collect(),
        values,
    ))
}

/// Taker buy volume over taker sell volume, as Binance's `takerlongshortRatio` endpoint reports it.
///
/// # Formula
/// `buySellRatio = buyVol / sellVol` (Binance USDⓈ-M futures, `GET /futures/data/takerlongshortRatio`).
///
/// # Errors
/// [`MathError::NotFinite`] for NaN/∞; [`MathError::InvalidParameter`] for a negative buy volume or a sell
/// volume that is not positive.
///
/// ```
/// use lens_math::flow::taker_buy_sell_ratio;
/// // Sample response in the binance_futures docs (hexdocs): buyVol 298.2800, sellVol 257.0660 → 1.1603.
/// let ratio = taker_buy_sell_ratio(298.28, 257.066)?;
/// assert!((ratio - 1.1603).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn taker_buy_sell_ratio(buy_volume: f64, sell_volume: f64) -> Result<f64> {
    let buy = ensure_finite("taker buy volume", buy_volume)?;
    let sell = ensure_finite("taker sell volume", sell_volume)?;
    if buy < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "taker buy volume",
            reason: "must not be negative",
        });
    }
    if sell <= 0.0 {
        return Err(MathError::InvalidParameter {
            name: "taker sell volume",
            reason: "must be positive",
        });
    }
    ensure_finite("taker buy/sell ratio", buy / sell)
}

fn check_bars(bars: &[Bar]) -> Result<()> {
    for bar in bars {
        let fields = [
            bar.open,
            bar.high,
            bar.low,
            bar.close,
            bar.volume,
            bar.taker_buy_volume,
        ];
        crate::error::ensure_all_finite("bar", &fields)?;
        if !bar.is_valid() {
            return Err(MathError::InvalidParameter {
                name: "bar",
                reason: "needs positive prices, low ≤ open, close ≤ high, and 0 ≤ taker buy ≤ volume",
            });
        }
    }
    if bars
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if b.open_time_ms <= a.open_time_ms))
    {
        return Err(MathError::Unsorted);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bar(open_time_ms: i64, volume: f64, taker_buy_volume: f64) -> Bar {
        Bar {
            open_time_ms,
            open: 100.0,
            high: 101.0,
            low: 99.0,
            close: 100.5,
            volume,
            taker_buy_volume,
        }
    }

    /// The three klines of the glossary page "Order flow imbalances" (taker flow table).
    fn glossary_klines() -> Vec<Bar> {
        vec![
            bar(0, 1_200.0, 700.0),
            bar(60_000, 900.0, 380.0),
            bar(120_000, 1_500.0, 900.0),
        ]
    }

    /// Glossary: imbalances +0.167, −0.156, +0.200 (exact 1/6, −7/45, 1/5, checked with Python).
    #[test]
    fn taker_imbalance_matches_glossary_kline_table() {
        let ti = taker_imbalance(&glossary_klines()).unwrap();
        assert_eq!(ti.times_ms(), &[0, 60_000, 120_000]);
        let expected = [1.0 / 6.0, -7.0 / 45.0, 0.2];
        for (got, want) in ti.values().iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        let rounded: Vec<f64> = ti
            .values()
            .iter()
            .map(|v| (v * 1_000.0).round() / 1_000.0)
            .collect();
        assert_eq!(rounded, vec![0.167, -0.156, 0.2]);
    }

    /// Glossary: CVD +200, +60, +360.
    #[test]
    fn cvd_matches_glossary_kline_table() {
        let cvd = cumulative_volume_delta(&glossary_klines()).unwrap();
        assert_eq!(cvd.times_ms(), &[0, 60_000, 120_000]);
        assert_eq!(cvd.values(), &[200.0, 60.0, 360.0]);
    }

    /// Binance's documented sample response of `takerlongshortRatio`: buyVol 298.2800, sellVol 257.0660 → 1.1603
    /// (1.160325 unrounded, computed with Python).
    #[test]
    fn buy_sell_ratio_matches_binance_sample_response() {
        let ratio = taker_buy_sell_ratio(298.28, 257.066).unwrap();
        assert!((ratio - 1.160_324_585_904_009).abs() < 1e-12);
        assert_eq!((ratio * 10_000.0).round() / 10_000.0, 1.1603);
    }

    #[test]
    fn zero_volume_bars_have_no_imbalance_but_keep_their_cvd_point() {
        let bars = [bar(0, 10.0, 10.0), bar(1, 0.0, 0.0), bar(2, 4.0, 0.0)];
        assert_eq!(taker_imbalance(&bars).unwrap().times_ms(), &[0, 2]);
        assert_eq!(taker_imbalance(&bars).unwrap().values(), &[1.0, -1.0]);
        assert_eq!(
            cumulative_volume_delta(&bars).unwrap().values(),
            &[10.0, 10.0, 6.0]
        );
        assert!(taker_imbalance(&[]).unwrap().is_empty());
        assert!(cumulative_volume_delta(&[]).unwrap().is_empty());
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let nan = bar(0, f64::NAN, 1.0);
        let buys_more_than_traded = bar(0, 1.0, 2.0);
        let negative_volume = bar(0, -1.0, -2.0);
        for f in [taker_imbalance, cumulative_volume_delta] {
            assert!(matches!(f(&[nan]), Err(MathError::NotFinite { .. })));
            assert!(matches!(
                f(&[buys_more_than_traded]),
                Err(MathError::InvalidParameter { .. })
            ));
            assert!(matches!(
                f(&[negative_volume]),
                Err(MathError::InvalidParameter { .. })
            ));
            assert_eq!(
                f(&[bar(5, 1.0, 1.0), bar(5, 1.0, 1.0)]),
                Err(MathError::Unsorted)
            );
        }
        let overflow = [bar(0, f64::MAX, f64::MAX), bar(1, f64::MAX, f64::MAX)];
        assert!(matches!(
            cumulative_volume_delta(&overflow),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            taker_buy_sell_ratio(f64::NAN, 1.0),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            taker_buy_sell_ratio(1.0, f64::INFINITY),
            Err(MathError::NotFinite { .. })
        ));
        assert!(matches!(
            taker_buy_sell_ratio(1.0, 0.0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            taker_buy_sell_ratio(-1.0, 1.0),
            Err(MathError::InvalidParameter { .. })
        ));
        assert!(matches!(
            taker_buy_sell_ratio(f64::MAX, f64::MIN_POSITIVE),
            Err(MathError::NotFinite { .. })
        ));
    }

    proptest! {
        /// Imbalance stays in [−1, 1], and the last CVD value is total buys minus total sells.
        #[test]
        fn imbalance_is_bounded_and_cvd_ends_at_net_taker_volume(
            flows in prop::collection::vec((0.0f64..1e6, 0.0f64..1.0), 1..100),
        ) {
            let bars: Vec<Bar> = flows.iter().zip(0..).map(|(&(v, share), t)| bar(t, v, v * share)).collect();
            let ti = taker_imbalance(&bars).unwrap();
            prop_assert!(ti.values().iter().all(|x| (-1.0..=1.0).contains(x)));
            let net: f64 = bars.iter().map(|b| b.taker_buy_volume - b.taker_sell_volume()).sum();
            let last = cumulative_volume_delta(&bars).unwrap().last().unwrap().1;
            prop_assert!((last - net).abs() <= 1e-9 * net.abs().max(1.0));
        }
    }
}
