//! Systemic Leverage Cycles: the leverage cycle of the whole market. Open interest summed over every venue
//! in view, divided by the coin's market capitalisation, hour by hour; each day is classified build-up /
//! deleveraging / elevated / neutral and the changes of phase are marked.

use lens_math::TimeSeries;
use lens_math::cycles::{RegimeRule, SystemicPhase, SystemicPhaseRule, aggregate_leverage_ratio};
use lens_math::series::{Aggregation, DAY_MS};

use crate::chart::Unit;
use crate::chart::figure::{ChartMarker, ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlSpec, DAYS};
use crate::lesson::read::{asset, caption, market_cap, names, oi_usd, short_time, window_start};
use crate::lesson::text::{pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
/// Term 12's thresholds (−10 %, +15 %, z ≥ 1.5) over 1 and 7 days and a 30-day z look-back of at least a
/// week of days: a month of history is all the venues serve, too short for the 7/30/365-day defaults.
const LOOKBACK_DAYS: u32 = 30;
const MIN_LOOKBACK_POINTS: usize = 7;

const CONTROLS: &[ControlSpec] = &[ASSET, DAYS];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "systemic-leverage-cycles",
    controls: CONTROLS,
    needs: &[Need::all(Item::OpenInterest), Need::all(CANDLES)],
    primary: None,
    build,
};

fn phase_name(p: SystemicPhase) -> &'static str {
    match p {
        SystemicPhase::BuildUp => "build-up",
        SystemicPhase::Deleveraging => "deleveraging",
        SystemicPhase::Elevated => "elevated",
        SystemicPhase::Neutral => "neutral",
    }
}

fn phase_slug(p: SystemicPhase) -> &'static str {
    match p {
        SystemicPhase::Deleveraging => "leverage-deleveraging-cycles",
        SystemicPhase::Elevated => "systemic-leverage",
        SystemicPhase::BuildUp | SystemicPhase::Neutral => "leverage-cycles",
    }
}

/// "Jan 24" from a time.
fn day_label(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let text = short_time(ms);
    let month = text.get(5..7).and_then(|m| m.parse::<usize>().ok());
    match (
        month.and_then(|m| MONTHS.get(m.wrapping_sub(1))),
        text.get(8..10),
    ) {
        (Some(m), Some(d)) => format!("{m} {}", d.trim_start_matches('0')),
        _ => text,
    }
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let caps = TimeSeries::from_points_lossy(
        market_cap(set, &asset, i64::MIN)
            .iter()
            .filter(|p| p.value > 0.0)
            .map(|p| (p.time_ms, p.value)),
    );
    if caps.is_empty() {
        return Err(Unavailable::new(format!(
            "The data in view has no market capitalisation for {asset}."
        )));
    }
    let (venues, series): (Vec<Venue>, Vec<TimeSeries>) = set
        .venues_with(&asset, Item::OpenInterest)
        .into_iter()
        .map(|v| (v, oi_usd(set, v, &asset, i64::MIN)))
        .filter(|(_, s)| !s.is_empty())
        .unzip();
    if venues.is_empty() {
        return Err(Unavailable::new(format!(
            "No venue in view has usable open interest for {asset}."
        )));
    }
    let mut grid: Vec<i64> = series.iter().flat_map(|s| s.times_ms().to_vec()).collect();
    lens_math::sort::sort(&mut grid);
    grid.dedup();
    let (mut ratio, mut total) = (Vec::new(), Vec::new());
    for t in grid {
        let ois: Option<Vec<f64>> = series.iter().map(|s| s.value_as_of(t)).collect();
        if let (Some(ois), Some(cap)) = (ois, caps.value_as_of(t))
            && let Ok(r) = aggregate_leverage_ratio(&ois, &[cap])
        {
            ratio.push((t, r));
            total.push((t, ois.iter().sum::<f64>()));
        }
    }
    let ratio = TimeSeries::from_points_lossy(ratio);
    let total = TimeSeries::from_points_lossy(total);
    let daily = ratio
        .resample(DAY_MS, Aggregation::Last)
        .map_err(|e| Unavailable::new(format!("The ratio cannot be resampled: {e}.")))?;
    let rule = RegimeRule::new(1, -0.10, 7, 0.15)
        .and_then(|r| SystemicPhaseRule::new(r, LOOKBACK_DAYS, 1.5, MIN_LOOKBACK_POINTS))
        .and_then(|r| r.classify(&daily))
        .map_err(|e| Unavailable::new(format!("The phases cannot be read: {e}.")))?;
    let phased: Vec<(i64, SystemicPhase)> = rule
        .iter()
        .filter_map(|p| Some((p.time_ms, p.phase?)))
        .collect();
    let Some(&(_, phase)) = phased.last() else {
        return Err(Unavailable::new(format!(
            "Open interest ÷ market cap for {asset} needs at least 7 days of history to be given a phase."
        )));
    };
    let since = phased
        .iter()
        .rev()
        .take_while(|(_, p)| *p == phase)
        .last()
        .map_or(0, |(t, _)| *t);
    let from = window_start(set, c);
    let shown = ratio.between(from, i64::MAX);
    let (Some((_, now)), Some(low), Some(high)) = (
        shown.last(),
        shown.values().iter().copied().reduce(f64::min),
        shown.values().iter().copied().reduce(f64::max),
    ) else {
        return Err(Unavailable::new(format!(
            "No open interest for {asset} in the window."
        )));
    };
    let changes: Vec<(i64, SystemicPhase)> = phased
        .windows(2)
        .filter_map(|w| match w {
            [(_, a), (t, b)] if a != b && *t >= from => Some((*t, *b)),
            _ => None,
        })
        .collect();
    let markers = changes
        .iter()
        .rev()
        .take(6)
        .rev()
        .map(|&(t, p)| ChartMarker {
            time_ms: t,
            value: daily.value_as_of(t),
            label: format!("{} begins", phase_name(p)),
            term_slug: phase_slug(p),
            right_axis: false,
        })
        .collect();
    let shown_total = total.between(from, i64::MAX);
    let rows = rule
        .iter()
        .rev()
        .filter(|p| p.time_ms >= from)
        .map(|p| {
            vec![
                crate::base::calendar::date_label(p.time_ms),
                daily
                    .value_as_of(p.time_ms)
                    .map_or("–".into(), |v| pct(v, 3)),
                p.short_change.map_or("–".into(), |v| pct(v, 1)),
                p.long_change.map_or("–".into(), |v| pct(v, 1)),
                p.phase.map_or("–", phase_name).to_string(),
            ]
        })
        .collect();
    let count = venues.len();
    let panel = Panel {
        id: "ratio",
        title: "Open interest across venues ÷ market capitalisation".into(),
        figure: Figure::Time(TimeChartData {
            series: vec![
                ChartSeries {
                    label: "Open interest ÷ market cap".into(),
                    times_ms: shown.times_ms().to_vec(),
                    values: shown.values().to_vec(),
                    area: false,
                    right_axis: false,
                },
                ChartSeries {
                    label: "Open interest, all venues".into(),
                    times_ms: shown_total.times_ms().to_vec(),
                    values: shown_total.values().to_vec(),
                    area: true,
                    right_axis: true,
                },
            ],
            y_label: "Open interest ÷ market cap".into(),
            y_unit: Unit::Percent,
            y2: Some(("Open interest, USD".into(), Unit::Usd)),
            markers,
            caption: caption(set, &venues, "Hourly; market cap as of each hour"),
            summary: format!(
                "{asset} open interest across {} is {} of market cap; phase {} since {}.",
                names(&venues),
                pct(now, 2),
                phase_name(phase),
                day_label(since)
            ),
        }),
        summary: format!(
            "Open interest ÷ market cap for {asset} ranged {}–{} in the window; now {}.",
            pct(low, 2),
            pct(high, 2),
            pct(now, 2)
        ),
        caption: caption(
            set,
            &venues,
            "Daily phases: deleveraging if −10 % in a day, build-up if +15 % in a week, elevated if z ≥ 1.5",
        ),
        table: ChartTable::new(
            &[
                "Day (UTC)",
                "OI ÷ market cap",
                "1-day change",
                "7-day change",
                "Phase",
            ],
            rows,
        ),
    };
    let reading = format!(
        "Across {count} venue{} {asset} open interest is {} of market cap, phase: {} since {}; the ratio ranged {}–{} over {} days.",
        if count == 1 { "" } else { "s" },
        pct(now, 2),
        phase_name(phase),
        day_label(since),
        pct(low, 2).trim_end_matches(" %"),
        pct(high, 2),
        c.days()
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("ratio", "Open interest ÷ market cap", pct(now, 3)),
            Fact::new(
                "phase",
                "Phase",
                format!("{} since {}", phase_name(phase), day_label(since)),
            ),
            Fact::new(
                "range",
                "Range in the window",
                format!("{}–{}", pct(low, 3), pct(high, 3)),
            ),
            Fact::new(
                "open-interest",
                "Open interest, all venues",
                shown_total.last().map_or("–".into(), |(_, v)| usd(v)),
            ),
            Fact::new("venues", "Venues", count.to_string()),
        ],
        panels: vec![panel],
        notes: Vec::new(),
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact, last_oi_usd};
    use crate::market::model::Asset;
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    /// The ratio now is the venues' last USD open interest summed, over the last market cap.
    #[test]
    fn the_ratio_is_summed_open_interest_over_market_cap() {
        let set = sample_dataset();
        let oi: f64 = [Venue::Binance, Venue::Bybit, Venue::Hyperliquid]
            .iter()
            .map(|v| last_oi_usd(&set, *v, &Asset::btc()))
            .sum();
        let cap = market_cap(&set, &Asset::btc(), i64::MIN)
            .last()
            .unwrap()
            .value;
        let e = run(&[]);
        assert_eq!(fact(&e, "ratio"), pct(oi / cap, 3));
        assert!(
            e.reading
                .starts_with("Across 3 venues BTC open interest is"),
            "{}",
            e.reading
        );
    }

    #[test]
    fn a_shorter_window_narrows_the_range() {
        let range = |days: &str| {
            let r = fact(&run(&[("days", days)]), "range");
            let (a, b) = r.split_once('–').unwrap();
            let n = |s: &str| s.trim_end_matches(" %").parse::<f64>().unwrap();
            (n(a), n(b))
        };
        let (wide, narrow) = (range("30"), range("3"));
        assert!(narrow.0 >= wide.0 && narrow.1 <= wide.1);
        assert!(narrow.1 - narrow.0 < wide.1 - wide.0, "{wide:?} {narrow:?}");
    }

    #[test]
    fn day_labels_read_like_dates() {
        assert_eq!(day_label(1_737_676_800_000), "Jan 24");
    }
}
