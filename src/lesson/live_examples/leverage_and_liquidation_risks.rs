//! Leverage and Liquidation Risks: how far the liquidation price sits from entry at each leverage, how likely
//! the price is to touch it within a horizon at the volatility the venue's closes show, and where other
//! traders' liquidation levels probably cluster (the open-interest-flow liquidation map).

use lens_math::liquidation_map::{LiquidationMap, LiquidationMapEstimator, PriceGrid};
use lens_math::margin::{annualised_volatility, liquidation_distance, touch_probability};
use lens_math::market::{Bar, Side};
use lens_math::series::TimeSeries;

use crate::chart::figure::{
    Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, HeatmapFigure, Panel,
};
use crate::chart::{Tone, Unit};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, SIDE, VENUE};
use crate::lesson::read::{
    HOUR_MS, asset, candles, caption, last_price, open_interest, venue, window_start,
};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Candle, OpenInterest, PriceKind};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
use lens_math::series::YEAR_MS;

const LEVERAGE: ControlSpec = ControlSpec {
    key: "lev",
    label: "Leverage",
    kind: ControlKind::Number {
        min: 1.0,
        max: 100.0,
        step: 1.0,
        default: Some(20.0),
        unit: "×",
    },
};

const HORIZON: ControlSpec = ControlSpec {
    key: "horizon",
    label: "Horizon",
    kind: ControlKind::Number {
        min: 1.0,
        max: 720.0,
        step: 1.0,
        default: Some(24.0),
        unit: "h",
    },
};

const MAINTENANCE_RATE: ControlSpec = ControlSpec {
    key: "mmr",
    label: "Maintenance margin rate",
    kind: ControlKind::Number {
        min: 0.0,
        max: 10.0,
        step: 0.1,
        default: Some(0.5),
        unit: "%",
    },
};

const CONTROLS: &[ControlSpec] = &[
    VENUE,
    ASSET,
    DAYS,
    SIDE,
    LEVERAGE,
    HORIZON,
    MAINTENANCE_RATE,
];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-and-liquidation-risks",
    controls: CONTROLS,
    needs: &[Need::chosen(CANDLES), Need::chosen(Item::OpenInterest)],
    primary: Some(CANDLES),
    build,
};

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, CANDLES)?;
    let venues = vec![venue];
    let venue_name = venue.display_name();
    let (side, side_word) = match c.choice(&SIDE) {
        "short" => (Side::Short, "short"),
        _ => (Side::Long, "long"),
    };
    let (leverage, mmr, hours) = (
        c.number(&LEVERAGE),
        c.number(&MAINTENANCE_RATE) / 100.0,
        c.number(&HORIZON),
    );
    let bars = candles(set, venue, &asset, window_start(set, c));
    let price = last_price(set, venue, &asset)?;
    let sigma = realised_volatility(&bars).ok_or_else(|| {
        Unavailable::new(format!(
            "{venue_name} has too few usable closes for {asset} in this window to measure volatility."
        ))
    })?;
    let horizon_days = hours / 24.0;
    let risk_at = |l: f64| -> Option<(f64, f64, f64)> {
        let d = liquidation_distance(side, l, mmr).ok()?;
        let lp = price * (1.0 - side.sign() * d);
        let p = if lp > 0.0 {
            touch_probability(price, lp, sigma, horizon_days).ok()?
        } else {
            0.0
        };
        Some((d, lp, p))
    };
    let (distance, liquidation, touch) = risk_at(leverage).ok_or_else(|| {
        Unavailable::new(format!(
            "At {}× a maintenance margin rate of {} leaves no margin to lose: it must stay below 1/leverage = {}.",
            num(leverage, 0),
            pct(mmr, 2),
            pct(1.0 / leverage, 2)
        ))
    })?;
    let points: Vec<(f64, f64, f64)> = (1..=100)
        .filter_map(|l| risk_at(f64::from(l)).map(|(d, _, p)| (f64::from(l), d, p)))
        .collect();
    let horizon_text = format!("{} h", num(hours, 0));
    let risk_panel = Panel {
        id: "risk",
        title: "Distance to liquidation and the chance of reaching it, by leverage".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Distance to liquidation".into(),
                    xs: points.iter().map(|p| p.0).collect(),
                    ys: points.iter().map(|p| p.1).collect(),
                },
                CurveLine {
                    label: format!("Chance of touching it within {horizon_text}"),
                    xs: points.iter().map(|p| p.0).collect(),
                    ys: points.iter().map(|p| p.2).collect(),
                },
            ],
            markers: vec![CurveMarker {
                x: leverage,
                label: format!("{}×", num(leverage, 0)),
                tone: Tone::Short,
            }],
            x: Axis::new("Leverage", Unit::Suffix("×")),
            y: Axis::new("Distance, probability", Unit::Percent),
            zero_line: false,
        }),
        summary: format!(
            "As leverage rises from 1× to 100× the distance from entry to a {side_word}'s liquidation shrinks and the chance of touching it within {horizon_text} at {} annual volatility rises; at {}× they are {} and {}.",
            pct(sigma, 0),
            num(leverage, 0),
            pct(distance, 2),
            pct(touch, 0)
        ),
        caption: caption(
            set,
            &venues,
            "Liquidation distance (cum = 0) and touch probability from realised volatility",
        ),
        table: ChartTable::new(
            &["Leverage", "Distance to liquidation", "Chance of touching"],
            points
                .iter()
                .filter(|p| p.0 == 1.0 || p.0 % 5.0 == 0.0)
                .map(|p| vec![format!("{}×", num(p.0, 0)), pct(p.1, 2), pct(p.2, 1)])
                .collect(),
        ),
    };
    let mut reading = format!(
        "At {}× a {asset} {side_word} on {venue_name} is liquidated {} {} entry; with realised volatility of {} a year over the last {} days, the chance of touching that price within {horizon_text} is {}.",
        num(leverage, 0),
        pct(distance, 1),
        if side == Side::Long { "below" } else { "above" },
        pct(sigma, 0),
        c.days(),
        pct(touch, 0)
    );
    let mut facts = vec![
        Fact::new(
            "liquidation-distance",
            "Distance to liquidation",
            pct(distance, 2),
        ),
        Fact::new(
            "liquidation-price",
            "Liquidation price from the last close",
            usd(liquidation),
        ),
        Fact::new(
            "realised-volatility",
            "Realised volatility, annualised",
            pct(sigma, 1),
        ),
        Fact::new(
            "touch-probability",
            format!("Chance of touching within {horizon_text}"),
            pct(touch, 1),
        ),
    ];
    let oi = open_interest(set, venue, &asset, window_start(set, c));
    let Some((map, map_bars)) = estimate_map(&bars, &oi, mmr) else {
        let note = format!(
            "{venue_name} has too little open interest and price history for {asset} in view to estimate a liquidation map."
        );
        let panels = vec![risk_panel];
        return Ok(Example {
            reading,
            facts,
            panels,
            notes: vec![note],
            venues,
        });
    };
    let (below, above) = hottest_bands(&map, price);
    let step = map.price_grid().step();
    let band = |(centre, _): (f64, f64)| {
        let range = format!("{}–{}", usd(centre - step / 2.0), usd(centre + step / 2.0));
        (range, pct((centre - price).abs() / price, 1))
    };
    for (key, label, found) in [
        ("hottest-below", "Hottest band below", below),
        ("hottest-above", "Hottest band above", above),
    ] {
        let text = found
            .map(band)
            .map_or("none".into(), |(r, d)| format!("{r} ({d})"));
        facts.push(Fact::new(key, label, text));
    }
    let hottest = below
        .into_iter()
        .chain(above)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some(b) = hottest {
        let (range, distance) = band(b);
        let side = if b.0 < price { "below" } else { "above" };
        reading.push_str(&format!(
            " The estimated liquidation map's hottest band is {range}, {distance} {side} the price."
        ));
    }
    let map_panel = map_panel(set, &venues, &asset.to_string(), &map, &map_bars, price);
    Ok(Example {
        reading,
        facts,
        panels: vec![risk_panel, map_panel],
        notes: Vec::new(),
        venues,
    })
}

/// Annualised volatility of the log returns of the usable closes, at the bar spacing the data has.
fn realised_volatility(bars: &[Candle]) -> Option<f64> {
    let closes = TimeSeries::from_points_lossy(
        bars.iter()
            .filter(|b| b.close > 0.0)
            .map(|b| (b.open_time_ms, b.close)),
    );
    let mut gaps: Vec<i64> = closes.times_ms().windows(2).map(|w| w[1] - w[0]).collect();
    lens_math::sort::sort(&mut gaps);
    let spacing = *gaps.get(gaps.len() / 2)?;
    annualised_volatility(closes.log_returns().values(), YEAR_MS / spacing as f64)
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
}

/// The OI-flow map over the valid bars that have an open-interest reading, with those bars.
pub(crate) fn estimate_map(
    candles: &[Candle],
    oi: &[OpenInterest],
    mmr: f64,
) -> Option<(LiquidationMap, Vec<Bar>)> {
    // A reading stamped at an hour's end is the open interest at the close of the bar that opened an hour earlier.
    let oi = TimeSeries::from_points_lossy(
        oi.iter()
            .filter(|r| r.base >= 0.0)
            .map(|r| (r.time_ms - HOUR_MS, r.base)),
    );
    let bars: Vec<Bar> = crate::market::to_math::bars(candles)
        .into_iter()
        .filter(|b| b.is_valid() && oi.times_ms().binary_search(&b.open_time_ms).is_ok())
        .collect();
    let values = bars
        .iter()
        .filter_map(|b| oi.value_as_of(b.open_time_ms))
        .collect();
    let oi = TimeSeries::new(bars.iter().map(|b| b.open_time_ms).collect(), values).ok()?;
    if bars.len() < 2 {
        return None;
    }
    let lo = bars.iter().map(|b| b.low).fold(f64::INFINITY, f64::min) * 0.8;
    let hi = bars.iter().map(|b| b.high).fold(0.0, f64::max) * 1.2;
    let step = round_step((hi - lo) / 160.0);
    let grid = PriceGrid::with_step((lo / step).floor() * step, hi, step).ok()?;
    let mix = crate::lesson::read::assumed_leverage_grid(mmr).ok()?;
    let map = LiquidationMapEstimator::new(grid, mix, 0.0)
        .ok()?
        .estimate(&bars, &oi)
        .ok()?;
    Some((map, bars))
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`: band edges a reader can repeat.
fn round_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw)
}

/// (centre, mass) of the fullest bucket below and above `price` after the last bar.
type Band = Option<(f64, f64)>;
fn hottest_bands(map: &LiquidationMap, price: f64) -> (Band, Band) {
    let grid = map.price_grid();
    let column = map
        .column(map.width().saturating_sub(1))
        .unwrap_or_default();
    let best = |below: bool| {
        column
            .iter()
            .enumerate()
            .map(|(i, m)| (grid.center(i), f64::from(*m)))
            .filter(|(centre, m)| *m > 0.0 && (*centre < price) == below)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    };
    (best(true), best(false))
}

pub(crate) fn map_panel(
    set: &DataSet,
    venues: &[crate::market::model::Venue],
    asset: &str,
    map: &LiquidationMap,
    bars: &[Bar],
    price: f64,
) -> Panel {
    let (w, h) = (map.width(), map.height());
    // The map is column-major (one column per bar); the heatmap wants rows of price.
    let mut cells = vec![0.0f32; w * h];
    for t in 0..w {
        for (row, v) in map.column(t).unwrap_or_default().iter().enumerate() {
            if let Some(cell) = cells.get_mut(row * w + t) {
                *cell = *v;
            }
        }
    }
    let grid = map.price_grid();
    let last = map.column(w.saturating_sub(1)).unwrap_or_default();
    let mut rows: Vec<(f64, f32)> = last
        .iter()
        .enumerate()
        .filter(|(_, m)| **m > 0.0)
        .map(|(i, m)| (grid.center(i), *m))
        .collect();
    lens_math::sort::sort_by(&mut rows, |a, b| b.1.total_cmp(&a.1));
    rows.truncate(200);
    let (times, closes): (Vec<i64>, Vec<f64>) =
        bars.iter().map(|b| (b.open_time_ms, b.close)).unzip();
    Panel {
        id: "map",
        title: "Estimated liquidation map".into(),
        figure: Figure::Heatmap(HeatmapFigure {
            columns: u32::try_from(w).unwrap_or(0),
            rows: u32::try_from(h).unwrap_or(0),
            cells,
            time_range_ms: (
                times.first().copied().unwrap_or(0),
                times.last().copied().unwrap_or(0) + HOUR_MS,
            ),
            price_range: (grid.min_price(), grid.max_price()),
            price_times_ms: times,
            prices: closes,
            price_label: "Close".into(),
            y: Axis::new("Price, USD", Unit::Usd),
            intensity_label: format!("Estimated liquidations, {asset}"),
            intensity_unit: Unit::Compact,
        }),
        summary: format!(
            "Where rises in open interest would be liquidated, assuming 5× to 100× leverage; brighter bands hold more; the price line ends at {}.",
            usd(price)
        ),
        caption: caption(
            set,
            venues,
            "Liquidation map estimated from open-interest changes (a model, it overstates)",
        ),
        table: ChartTable::new(
            &[
                "Price band centre",
                &format!("Estimated {asset} to liquidate"),
                "From the price",
            ],
            rows.iter()
                .map(|(c, m)| vec![usd(*c), num(f64::from(*m), 1), pct((c - price) / price, 1)])
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Controls;
    use crate::lesson::testing::{controls, fact};

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&crate::market::sample::sample_dataset(), &c).unwrap()
    }

    fn percent(e: &Example, key: &str) -> f64 {
        fact(e, key).trim_end_matches(" %").parse().unwrap()
    }

    #[test]
    fn volatility_and_distance_match_a_hand_computation_on_the_sample() {
        let set = crate::market::sample::sample_dataset();
        let from = set.as_of_ms - 30 * 86_400_000;
        let closes: Vec<f64> = candles(
            &set,
            crate::market::model::Venue::Binance,
            &crate::market::model::Asset::btc(),
            from,
        )
        .iter()
        .map(|c| c.close)
        .collect();
        let r: Vec<f64> = closes.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        let var = r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (r.len() - 1) as f64;
        let e = run(&[]);
        assert_eq!(
            fact(&e, "realised-volatility"),
            pct((var * 8_760.0).sqrt(), 1)
        );
        // 20× long, MMR 0.5 %: D = 1 − 0.95/0.995.
        assert_eq!(fact(&e, "liquidation-distance"), pct(1.0 - 0.95 / 0.995, 2));
        assert!(
            e.reading
                .contains("At 20× a BTC long on Binance is liquidated 4.5 % below entry"),
            "{}",
            e.reading
        );
        assert!(e.reading.contains("hottest band is $"), "{}", e.reading);
    }

    #[test]
    fn more_leverage_or_a_longer_horizon_raises_the_risk() {
        let base = run(&[]);
        let high = run(&[("lev", "50")]);
        let long_horizon = run(&[("horizon", "168")]);
        assert!(percent(&high, "liquidation-distance") < percent(&base, "liquidation-distance"));
        assert!(percent(&high, "touch-probability") > percent(&base, "touch-probability"));
        assert!(percent(&long_horizon, "touch-probability") > percent(&base, "touch-probability"));
        let more_mmr = run(&[("mmr", "2")]);
        assert!(
            percent(&more_mmr, "liquidation-distance") < percent(&base, "liquidation-distance")
        );
        let short = run(&[("side", "short")]);
        assert!(short.reading.contains("above entry"), "{}", short.reading);
    }

    /// The liquidation-risks page's examples: 10× with MMR 0.40 % is 9.64 % from entry for a long (glossary
    /// term 2); a 10× long at 65,000 with its level at 58,781.41, 60 % a year, 7 days touches with 22.6 %
    /// (reflection principle, Shreve 2004 §3.7).
    #[test]
    fn worked_distance_and_touch_probability() {
        let e = run(&[("lev", "10"), ("mmr", "0.4")]);
        assert_eq!(fact(&e, "liquidation-distance"), "9.64 %");
        let p = touch_probability(65_000.0, 58_781.41, 0.60, 7.0).unwrap();
        assert!((p - 0.226).abs() < 5e-4);
    }

    #[test]
    fn a_rate_above_one_over_leverage_is_explained() {
        let (c, _) = Controls::from_lookup(CONTROLS, |k| match k {
            "lev" => Some("100".into()),
            "mmr" => Some("1.5".into()),
            _ => None,
        });
        let e = build(&crate::market::sample::sample_dataset(), &c).unwrap_err();
        assert!(
            e.message.contains("must stay below 1/leverage"),
            "{}",
            e.message
        );
    }
}
