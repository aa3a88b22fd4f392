//! Leverage Cycles: open interest builds up over days and is flushed out in one, again and again. The venue's
//! coin open interest is classified build-up / flush / neutral at every step of the chosen interval, the
//! turns are marked on the chart; beside it, Geanakoplos's two-state economy shows why leverage lifts prices
//! with no change in anyone's beliefs.

use lens_math::TimeSeries;
use lens_math::cycles::{OiRegime, RegimePoint, RegimeRule, TwoStateEconomy};
use lens_math::series::{Aggregation, DAY_MS};

use crate::chart::figure::{
    Axis, ChartMarker, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel,
    TimeChartData,
};
use crate::chart::{Tone, Unit};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::read::{
    HOUR_MS, asset, candles, caption, closes, open_interest, short_time, venue, window_start,
};
use crate::lesson::text::{num, pct};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::PriceKind;

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
/// Term 11's thresholds (−10 % flush, +15 % build-up) over 1 and 7 days instead of 7 and 30: a venue's
/// open-interest history is a month long, too short for a 30-day window to be measured even once.
const FLUSH_DAYS: u32 = 1;
const BUILD_UP_DAYS: u32 = 7;

const INTERVAL: ControlSpec = ControlSpec {
    key: "interval",
    label: "Step",
    kind: ControlKind::Choice {
        options: &[("1h", "1 hour"), ("4h", "4 hours"), ("1d", "1 day")],
        default: "4h",
    },
};

const BAD_PAYOFF: ControlSpec = ControlSpec {
    key: "bad",
    label: "Bad-state payoff (toy economy)",
    kind: ControlKind::Number {
        min: 0.0,
        max: 0.9,
        step: 0.05,
        default: Some(0.2),
        unit: "",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS, INTERVAL, BAD_PAYOFF];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-cycles",
    controls: CONTROLS,
    needs: &[Need::chosen(Item::OpenInterest), Need::chosen(CANDLES)],
    primary: Some(Item::OpenInterest),
    build,
};

fn regime_name(r: OiRegime) -> &'static str {
    match r {
        OiRegime::BuildUp => "build-up",
        OiRegime::Flush => "flush",
        OiRegime::Neutral => "neutral",
    }
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::OpenInterest)?;
    let market = format!("{} {asset}", venue.display_name());
    let step_ms = match c.choice(&INTERVAL) {
        "1h" => HOUR_MS,
        "1d" => DAY_MS,
        _ => 4 * HOUR_MS,
    };
    let raw_oi = TimeSeries::from_points_lossy(
        open_interest(set, venue, &asset, i64::MIN)
            .iter()
            .filter(|r| r.base > 0.0)
            .map(|r| (r.time_ms, r.base)),
    );
    let (times, prices) = closes(&candles(set, venue, &asset, i64::MIN));
    let raw_price =
        TimeSeries::from_points_lossy(times.into_iter().zip(prices).filter(|(_, p)| *p > 0.0));
    let resample = |s: &TimeSeries| s.resample(step_ms, Aggregation::Last).ok();
    let (Some(oi), Some(price)) = (resample(&raw_oi), resample(&raw_price)) else {
        return Err(Unavailable::new("The step is not valid."));
    };
    let rule = RegimeRule::new(FLUSH_DAYS, -0.10, BUILD_UP_DAYS, 0.15)
        .map_err(|e| Unavailable::new(format!("The regime rule cannot be set: {e}.")))?;
    let points = rule
        .classify(&oi)
        .map_err(|e| Unavailable::new(format!("The regimes cannot be read: {e}.")))?;
    let (now, regime, day_change) = points
        .iter()
        .rev()
        .find_map(|p| Some((p.time_ms, p.regime?, p.short_change?)))
        .ok_or_else(|| {
            Unavailable::new(format!(
                "{market} needs at least {BUILD_UP_DAYS} days of open interest to tell a build-up from a flush."
            ))
        })?;
    let from = window_start(set, c);
    let mut turns: Vec<&RegimePoint> = Vec::new();
    let mut previous = None;
    for p in &points {
        if let Some(r) = p.regime {
            if previous.is_some_and(|q| q != r) && p.time_ms >= from {
                turns.push(p);
            }
            previous = Some(r);
        }
    }
    let price_change = match (price.value_as_of(now), price.value_as_of(now - DAY_MS)) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b - 1.0),
        _ => None,
    };
    let week_change = points.iter().rev().find_map(|p| p.long_change);

    let shown = oi.between(from, i64::MAX);
    let shown_price = raw_price.between(from, i64::MAX);
    let markers = turns
        .iter()
        .rev()
        .take(6)
        .rev()
        .filter_map(|p| {
            let r = p.regime?;
            Some(ChartMarker {
                time_ms: p.time_ms,
                value: oi.value_as_of(p.time_ms),
                label: format!("{} begins", regime_name(r)),
                term_slug: if r == OiRegime::Flush {
                    "leverage-deleveraging-cycles"
                } else {
                    "leverage-cycles"
                },
                right_axis: false,
            })
        })
        .collect();
    let rows = points
        .iter()
        .rev()
        .filter(|p| p.time_ms >= from)
        .take(200)
        .map(|p| {
            let change = |v: Option<f64>| v.map_or("–".to_string(), |v| pct(v, 1));
            vec![
                short_time(p.time_ms),
                oi.value_as_of(p.time_ms).map_or("–".into(), |v| num(v, 0)),
                change(p.short_change),
                change(p.long_change),
                p.regime.map_or("–", regime_name).to_string(),
            ]
        })
        .collect();
    let venues = vec![venue];
    let regimes_panel = Panel {
        id: "regimes",
        title: "Open interest and price, with the turns of the cycle".into(),
        figure: Figure::Time(TimeChartData {
            series: vec![
                ChartSeries {
                    label: format!("Open interest, {asset}"),
                    times_ms: shown.times_ms().to_vec(),
                    values: shown.values().to_vec(),
                    area: true,
                    right_axis: false,
                },
                ChartSeries {
                    label: "Price".into(),
                    times_ms: shown_price.times_ms().to_vec(),
                    values: shown_price.values().to_vec(),
                    area: false,
                    right_axis: true,
                },
            ],
            y_label: format!("Open interest, {asset}"),
            y_unit: Unit::Compact,
            y2: Some(("Price, USD".into(), Unit::Usd)),
            markers,
            caption: caption(set, &venues, "Open interest in coins and last price"),
            summary: format!(
                "{market} open interest against its price; the cycle turned {} times in the window and is now in {}.",
                turns.len(),
                regime_name(regime)
            ),
        }),
        summary: format!(
            "{market} is in {} now; {} turns of the cycle in {} days.",
            regime_name(regime),
            turns.len(),
            c.days()
        ),
        caption: caption(
            set,
            &venues,
            "Regimes: flush if OI fell 10 % in a day, build-up if it rose 15 % in a week",
        ),
        table: ChartTable::new(
            &[
                "Time (UTC)",
                "Open interest",
                "1-day change",
                "7-day change",
                "Regime",
            ],
            rows,
        ),
    };

    let bad = c.number(&BAD_PAYOFF);
    let economy = |down: f64| {
        TwoStateEconomy::new(1.0, down, 1.0, 1.0)
            .map(|e| {
                (
                    e.equilibrium_without_borrowing(),
                    e.equilibrium_with_borrowing(),
                )
            })
            .map_err(|e| Unavailable::new(format!("The toy economy cannot be solved: {e}.")))
    };
    let (cash_only, levered) = economy(bad)?;
    let xs: Vec<f64> = (0..=18).map(|i| f64::from(i) * 0.05).collect();
    let mut lines = (Vec::new(), Vec::new());
    let mut toy_rows = Vec::new();
    for &x in &xs {
        let (a, b) = economy(x)?;
        lines.0.push(a.price);
        lines.1.push(b.price);
        toy_rows.push(vec![
            num(x, 2),
            num(a.price, 3),
            num(b.price, 3),
            num(b.buyer_leverage, 2),
        ]);
    }
    let toy_panel = Panel {
        id: "toy",
        title: "Geanakoplos's two-state economy: the asset price with and without leverage".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Price, cash only".into(),
                    xs: xs.clone(),
                    ys: lines.0,
                },
                CurveLine {
                    label: "Price, buyers may borrow".into(),
                    xs,
                    ys: lines.1,
                },
            ],
            markers: vec![CurveMarker {
                x: bad,
                label: format!("bad state pays {}", num(bad, 2)),
                tone: Tone::Neutral,
            }],
            x: Axis::new("Payoff in the bad state (good state pays 1)", Unit::Plain),
            y: Axis::new("Equilibrium price", Unit::Plain),
            zero_line: false,
        }),
        summary: format!(
            "With the bad state paying {}, the price is {} when buyers pay cash and {} when they may borrow against the asset.",
            num(bad, 2),
            num(cash_only.price, 2),
            num(levered.price, 2)
        ),
        caption: caption(
            set,
            &[],
            "Geanakoplos (2010), agents h ∈ [0, 1] with one unit of cash and of the asset",
        ),
        table: ChartTable::new(
            &[
                "Bad-state payoff",
                "Price, cash only",
                "Price, with borrowing",
                "Buyers' leverage",
            ],
            toy_rows,
        ),
    };

    let moved = |v: f64, up: &str, down: &str| {
        format!("{} {}", if v >= 0.0 { up } else { down }, pct(v.abs(), 1))
    };
    let lead = match (regime, week_change) {
        (OiRegime::BuildUp, Some(w)) => format!(
            "{market} is in a build-up phase: open interest is up {} over 7 days, and over the last day it {}",
            pct(w, 1),
            moved(day_change, "rose", "fell")
        ),
        (OiRegime::Flush, _) => format!(
            "{market} is in a flush: over the last day open interest {}",
            moved(day_change, "rose", "fell")
        ),
        _ => format!(
            "{market} is in a neutral phase: over the last day open interest {}",
            moved(day_change, "rose", "fell")
        ),
    };
    let price_part = price_change.map_or(String::new(), |p| {
        format!(" with the price {}", moved(p, "up", "down"))
    });
    let reading = format!(
        "{lead}{price_part}; the cycle turned {} time{} in {} days. In Geanakoplos' two-state economy, allowing leverage lifts the asset price from {} to {} at the same beliefs.",
        turns.len(),
        if turns.len() == 1 { "" } else { "s" },
        c.days(),
        num(cash_only.price, 2),
        num(levered.price, 2)
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("regime", "Regime now", regime_name(regime)),
            Fact::new("oi-1d", "Open interest, 1-day change", pct(day_change, 1)),
            Fact::new(
                "price-1d",
                "Price, 1-day change",
                price_change.map_or("–".into(), |p| pct(p, 1)),
            ),
            Fact::new("turns", "Turns in the window", turns.len().to_string()),
            Fact::new(
                "toy-prices",
                "Toy price, cash only → with leverage",
                format!("{} → {}", num(cash_only.price, 3), num(levered.price, 3)),
            ),
        ],
        panels: vec![regimes_panel, toy_panel],
        notes: Vec::new(),
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};
    use crate::market::model::{Asset, Venue};
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    /// With hourly steps the 1-day change is the last hourly row over the row 24 hours before it.
    #[test]
    fn the_day_change_is_read_from_the_rows() {
        let rows = open_interest(&sample_dataset(), Venue::Binance, &Asset::btc(), i64::MIN);
        let last = rows.last().unwrap();
        let before = rows
            .iter()
            .find(|r| r.time_ms == last.time_ms - DAY_MS)
            .unwrap();
        let e = run(&[("interval", "1h")]);
        assert_eq!(fact(&e, "oi-1d"), pct(last.base / before.base - 1.0, 1));
        assert!(
            e.reading.starts_with("Binance BTC is in a"),
            "{}",
            e.reading
        );
    }

    /// Geanakoplos (2010), "The Leverage Cycle", the two-state example: payoffs 1 and 0.2, one unit of cash and asset each: p ≈ 0.677
    /// without borrowing, ≈ 0.749 with riskless loans up to 0.2 per unit.
    #[test]
    fn geanakoplos_worked_example() {
        let e = run(&[]);
        assert_eq!(fact(&e, "toy-prices"), "0.677 → 0.749");
        assert!(e.reading.contains("from 0.68 to 0.75"), "{}", e.reading);
    }

    #[test]
    fn finer_steps_see_more_turns_and_a_safer_bad_state_raises_both_prices() {
        let turns = |i: &str| {
            fact(&run(&[("interval", i)]), "turns")
                .parse::<usize>()
                .unwrap()
        };
        assert!(turns("1h") >= turns("4h") && turns("4h") >= turns("1d"));
        assert!(turns("1h") > turns("1d"));
        let safer = fact(&run(&[("bad", "0.5")]), "toy-prices");
        let (a, b) = safer.split_once(" → ").unwrap();
        assert!(
            a.parse::<f64>().unwrap() > 0.677 && b.parse::<f64>().unwrap() > 0.749,
            "{safer}"
        );
    }
}
