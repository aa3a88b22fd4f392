//! Leverage Management in CPPI: constant-proportion portfolio insurance on the venue's price path. Exposure is
//! the multiplier times the cushion above the floor, capped at a leverage limit, rebalanced every bar; a single
//! bar that falls by 1/m or more takes the whole cushion (gap risk), which is what the markers show.

use lens_math::annotations::{Annotation, AnnotationLimit, GapRiskEvents};
use lens_math::cppi::{Cppi, CppiStep};
use lens_math::series::TimeSeries;

use crate::chart::Unit;
use crate::chart::figure::{ChartMarker, ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::read::{asset, candles, caption, closes, short_time, venue, window_start};
use crate::lesson::text::{count_of, num, pct};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::PriceKind;

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
/// The portfolio starts at 100, so values read as percent of the start.
const START: f64 = 100.0;

const MULTIPLIER: ControlSpec = ControlSpec {
    key: "mult",
    label: "Multiplier m",
    kind: ControlKind::Number {
        min: 1.0,
        max: 50.0,
        step: 0.5,
        default: Some(4.0),
        unit: "×",
    },
};

const FLOOR: ControlSpec = ControlSpec {
    key: "floor",
    label: "Floor",
    kind: ControlKind::Number {
        min: 0.0,
        max: 99.0,
        step: 1.0,
        default: Some(80.0),
        unit: "%",
    },
};

const LEVERAGE_CAP: ControlSpec = ControlSpec {
    key: "cap",
    label: "Leverage cap",
    kind: ControlKind::Number {
        min: 0.1,
        max: 10.0,
        step: 0.1,
        default: Some(2.0),
        unit: "×",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS, MULTIPLIER, FLOOR, LEVERAGE_CAP];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-management-in-cppi",
    controls: CONTROLS,
    needs: &[Need::chosen(CANDLES)],
    primary: Some(CANDLES),
    build,
};

/// The backtest of a CPPI with multiplier `m`, floor `floor` (of 100) and cap on `prices`, and its gap events.
fn backtest(
    prices: &TimeSeries,
    m: f64,
    floor: f64,
    cap: f64,
) -> Result<(Cppi, Vec<CppiStep>, Vec<Annotation>), lens_math::MathError> {
    let rule = Cppi::new(m, Some(cap), 0.0, 0.0)?;
    let steps = rule.run(prices, START, floor)?;
    let gaps = GapRiskEvents::default().detect(&rule, &steps)?;
    Ok((rule, steps, AnnotationLimit::new(6)?.apply(gaps)))
}

/// "4", "2.5": a control value as the visitor typed it.
fn short(v: f64) -> String {
    num(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// "25 %", "33.3 %": a percentage without a trailing ".0".
fn plain(fraction: f64) -> String {
    pct(fraction, 1).replace(".0 %", " %")
}

/// "−4.1 %", "+20 %": a change with its sign.
fn signed(fraction: f64) -> String {
    let s = plain(fraction.abs());
    match fraction {
        f if f < 0.0 && s != "0 %" => format!("−{s}"),
        f if f > 0.0 && s != "0 %" => format!("+{s}"),
        _ => s,
    }
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, CANDLES)?;
    let name = venue.display_name();
    let venues = vec![venue];
    let (times, closes) = closes(&candles(set, venue, &asset, window_start(set, c)));
    let prices =
        TimeSeries::from_points_lossy(times.into_iter().zip(closes).filter(|(_, p)| *p > 0.0));
    let (m, floor, cap) = (
        c.number(&MULTIPLIER),
        c.number(&FLOOR),
        c.number(&LEVERAGE_CAP),
    );
    let (rule, steps, gaps) = backtest(&prices, m, floor, cap).map_err(|e| {
        Unavailable::new(format!(
            "{name} has too few usable {asset} closes in this window for a backtest ({e})."
        ))
    })?;
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return Err(Unavailable::new("The backtest has no steps."));
    };
    let price_move = last.price / first.price - 1.0;
    let gap_count = steps.iter().filter(|s| s.gap_event).count();
    let worst = steps
        .iter()
        .skip(1)
        .map(|s| s.risky_return)
        .fold(f64::INFINITY, f64::min);
    let threshold = -rule.gap_threshold();
    let series = |label: String, values: Vec<f64>, right_axis: bool| ChartSeries {
        label,
        times_ms: steps.iter().map(|s| s.time_ms).collect(),
        values,
        area: false,
        right_axis,
    };
    let markers = gaps
        .iter()
        .map(|a| ChartMarker {
            time_ms: a.time_ms,
            value: Some(a.value / START),
            label: a.label.clone(),
            term_slug: a.term_slug,
            right_axis: false,
        })
        .collect();
    let rows = steps
        .iter()
        .rev()
        .step_by((steps.len() / 200).max(1))
        .take(200)
        .map(|s| {
            vec![
                short_time(s.time_ms),
                pct(s.price / first.price - 1.0, 2),
                pct(s.value / START, 1),
                pct(s.floor / START, 1),
                format!("{}×", num(s.exposure_ratio, 2)),
            ]
        })
        .collect();
    let panel = Panel {
        id: "cppi",
        title: format!("CPPI on {asset}: value, floor and exposure"),
        figure: Figure::Time(TimeChartData {
            series: vec![
                series(
                    "Portfolio value".into(),
                    steps.iter().map(|s| s.value / START).collect(),
                    false,
                ),
                series(
                    "Floor".into(),
                    steps.iter().map(|s| s.floor / START).collect(),
                    false,
                ),
                series(
                    format!("{asset} price, rebased"),
                    steps.iter().map(|s| s.price / first.price).collect(),
                    false,
                ),
                series(
                    "Exposure ÷ value".into(),
                    steps.iter().map(|s| s.exposure_ratio).collect(),
                    true,
                ),
            ],
            y_label: "Percent of the start".into(),
            y_unit: Unit::Percent,
            y2: Some(("Exposure, × value".into(), Unit::Suffix("×"))),
            markers,
            caption: caption(
                set,
                &venues,
                "CPPI backtest on hourly closes, rebalanced every hour",
            ),
            summary: format!(
                "The CPPI's value moves from 100 % to {} while {asset} moves {}; the floor stays at {}; exposure ends at {}× the value; {} marked.",
                pct(last.value / START, 1),
                signed(price_move),
                pct(floor / START, 0),
                num(last.exposure_ratio, 2),
                count_of(gaps.len(), "gap event", "gap events")
            ),
        }),
        summary: format!(
            "Portfolio value, floor and {asset} price in percent of the start, exposure on the right axis."
        ),
        caption: caption(set, &venues, "CPPI backtest on hourly closes"),
        table: ChartTable::new(
            &[
                "Time (UTC)",
                "Price change",
                "Value",
                "Floor",
                "Exposure ÷ value",
            ],
            rows,
        ),
    };
    let capped = rule.multiplier() * last.cushion.max(0.0) > cap * last.value;
    let holding = if last.cushion <= 0.0 {
        format!("its cushion is gone, so it holds no {asset}")
    } else {
        format!(
            "it now holds {}× its value in {asset} ({})",
            num(last.exposure_ratio, 2),
            if capped {
                format!("capped at {}×", short(cap))
            } else {
                format!(
                    "{} × the {} cushion",
                    short(m),
                    pct(last.cushion / START, 1)
                )
            }
        )
    };
    let gap_text = if gap_count == 0 {
        format!(
            "No hour fell by 1/m = {} or more, the fall that takes the whole cushion of an exposure of m × cushion in one step; the largest fall was {}.",
            plain(threshold),
            signed(worst)
        )
    } else {
        format!(
            "{gap_count} {} fell by 1/m = {} or more, the fall that takes the whole cushion of an exposure of m × cushion in one step (gap risk){}.",
            if gap_count == 1 { "hour" } else { "hours" },
            plain(threshold),
            if steps.iter().any(|s| s.below_floor) {
                "; the portfolio broke through its floor"
            } else {
                "; the portfolio stayed above its floor"
            }
        )
    };
    let reading = format!(
        "With multiplier {} and a floor at {} (cap {}×), a CPPI on {name} {asset} over the last {} days ends at {} of its start while {asset} moved {}; {holding}. {gap_text}",
        short(m),
        pct(floor / START, 0),
        short(cap),
        c.days(),
        pct(last.value / START, 1),
        signed(price_move),
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("final-value", "Final value", pct(last.value / START, 1)),
            Fact::new(
                "price-move",
                format!("{asset} price change"),
                signed(price_move),
            ),
            Fact::new(
                "exposure",
                "Exposure ÷ value now",
                format!("{}×", num(last.exposure_ratio, 2)),
            ),
            Fact::new("cushion", "Cushion now", pct(last.cushion / START, 1)),
            Fact::new(
                "gap-events",
                "Hours that fell by 1/m or more",
                gap_count.to_string(),
            ),
            Fact::new("largest-fall", "Largest one-hour fall", signed(worst)),
        ],
        panels: vec![panel],
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

    /// The rule by hand on the raw closes: E = min(m·max(V − F, 0), cap·V), V′ = E·P₁/P₀ + (V − E).
    #[test]
    fn final_value_matches_a_hand_backtest_on_the_sample() {
        let set = sample_dataset();
        let closes: Vec<f64> = candles(
            &set,
            Venue::Binance,
            &Asset::btc(),
            set.as_of_ms - 30 * 86_400_000,
        )
        .iter()
        .map(|c| c.close)
        .collect();
        let (mut v, f) = (100.0_f64, 80.0_f64);
        let mut e = (4.0 * (v - f)).min(2.0 * v);
        for w in closes.windows(2) {
            v = e * w[1] / w[0] + (v - e);
            e = (4.0 * (v - f)).max(0.0).min(2.0 * v);
        }
        let ex = run(&[]);
        assert_eq!(fact(&ex, "final-value"), pct(v / 100.0, 1));
        assert_eq!(fact(&ex, "exposure"), format!("{}×", num(e / v, 2)));
        assert!(
            ex.reading.contains("With multiplier 4 and a floor at 80 %"),
            "{}",
            ex.reading
        );
    }

    #[test]
    fn multiplier_floor_and_cap_move_exposure_and_gap_risk() {
        let base = run(&[("cap", "10")]);
        let ratio = |e: &Example| {
            fact(e, "exposure")
                .trim_end_matches('×')
                .parse::<f64>()
                .unwrap()
        };
        assert!(ratio(&run(&[("cap", "10"), ("mult", "6")])) > ratio(&base));
        assert!(ratio(&run(&[("cap", "10"), ("floor", "90")])) < ratio(&base));
        assert!(ratio(&run(&[("cap", "0.5")])) <= 0.5);
        assert_eq!(fact(&base, "gap-events"), "0");
        // m = 30 loses the cushion at a 3.3 % hourly fall; the sample has two hours worse than that.
        let bold = run(&[("mult", "30")]);
        assert_eq!(fact(&bold, "gap-events"), "2");
        assert!(
            bold.reading
                .contains("2 hours fell by 1/m = 3.3 % or more, the fall that takes"),
            "{}",
            bold.reading
        );
        let Figure::Time(t) = &bold.panels[0].figure else {
            panic!()
        };
        assert!(
            !t.markers.is_empty()
                && t.markers
                    .iter()
                    .all(|m| m.term_slug == "leverage-management-in-cppi")
        );
    }

    /// The CPPI page's worked table (Black & Jones 1987 rule; V 100, F 80, m 4, no binding cap): −10 % → V 92, E 48; −25 % → V 80, cushion 0;
    /// −30 % → V 76, a gap event below the floor.
    #[test]
    fn worked_cppi_table() {
        let path = |p: f64| TimeSeries::new(vec![0, 3_600_000], vec![100.0, p]).unwrap();
        let (_, s, _) = backtest(&path(90.0), 4.0, 80.0, 10.0).unwrap();
        assert!((s[1].value - 92.0).abs() < 1e-9 && (s[1].exposure - 48.0).abs() < 1e-9);
        let (_, s, _) = backtest(&path(75.0), 4.0, 80.0, 10.0).unwrap();
        assert!((s[1].value - 80.0).abs() < 1e-9 && s[1].exposure.abs() < 1e-9);
        let (_, s, gaps) = backtest(&path(70.0), 4.0, 80.0, 10.0).unwrap();
        assert!((s[1].value - 76.0).abs() < 1e-9 && s[1].below_floor && gaps.len() == 1);
    }
}
