//! Leverage Dynamics Assessment: the composite read. The dashboard's tiles (funding regime, OI × price
//! quadrant, basis, positioning skew, estimated leverage, liquidation hot zones) become the facts, its verdict
//! and reasons the reading, and the chosen venue's price and open interest are drawn with each day's quadrant.

use lens_math::positioning::OiPriceQuadrant;

use crate::chart::Unit;
use crate::chart::figure::{ChartMarker, ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlSpec, DAYS, VENUE};
use crate::lesson::dashboard::{dashboard, oi_coins, quadrant_between, signed_pct};
use crate::lesson::read::close_series;
use crate::lesson::read::{DAY_MS, asset, caption, names, short_time, venue, window_start};
use crate::lesson::text::{num, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, Venue};

/// Most quadrant labels on the chart; the latest are kept.
const MAX_MARKERS: usize = 6;

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-dynamics-assessment",
    controls: CONTROLS,
    needs: crate::lesson::dashboard::NEEDS,
    primary: Some(Item::OpenInterest),
    build,
};

/// The label of a day's quadrant and the glossary page that explains what it implies.
fn label(q: OiPriceQuadrant) -> Option<(&'static str, &'static str)> {
    match q {
        OiPriceQuadrant::NewLongs => Some(("new longs", "leverage-skew")),
        OiPriceQuadrant::NewShorts => Some(("new shorts", "leverage-skew")),
        OiPriceQuadrant::LongLiquidation => {
            Some(("long liquidation", "leverage-deleveraging-cycles"))
        }
        OiPriceQuadrant::ShortCovering => Some(("short covering", "leverage-deleveraging-cycles")),
        OiPriceQuadrant::NoClearRead => None,
    }
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::OpenInterest)?;
    let (from, days) = (window_start(set, c), c.days());
    let board = dashboard(set, &asset);
    if board.reasons.is_empty() {
        return Err(Unavailable::new(format!(
            "The data in view has too little on {asset} for an assessment: {}",
            board.verdict
        )));
    }
    let mut verdict = board.verdict.clone();
    if let Some(first) = verdict.get(..1) {
        verdict = format!("{}{}", first.to_lowercase(), verdict.get(1..).unwrap_or(""));
    }
    let reading = format!(
        "{asset} across {}: {verdict} Behind it: {}.",
        names(&board.venues),
        board.reasons.join("; ")
    );
    let panel = price_panel(set, venue, &asset, from, days)?;
    Ok(Example {
        reading,
        facts: board
            .tiles
            .iter()
            .map(|t| Fact::new(t.key, t.title.clone(), t.value.clone()))
            .collect(),
        panels: vec![panel],
        notes: vec![format!(
            "The tiles read every venue in view; the chart shows {} only.",
            venue.display_name()
        )],
        venues: board.venues,
    })
}

fn price_panel(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    from: i64,
    days: i64,
) -> Result<Panel, Unavailable> {
    let closes = close_series(set, venue, asset).between(from, i64::MAX);
    let oi = oi_coins(set, venue, asset, from);
    if closes.is_empty() || oi.is_empty() {
        return Err(Unavailable::new(format!(
            "{} has no usable prices and open interest for {asset} in the last {days} days.",
            venue.display_name()
        )));
    }
    // One classification per day, each over the 24 h before it, newest first.
    let days_back: Vec<i64> = (0..days).map(|k| set.as_of_ms - k * DAY_MS).collect();
    let mut markers: Vec<ChartMarker> = days_back
        .iter()
        .filter_map(|&t| {
            let (q, oi_change, price_change, _) =
                quadrant_between(set, &[venue], asset, t - DAY_MS, t)?;
            let (name, term_slug) = label(q)?;
            Some(ChartMarker {
                time_ms: t,
                value: closes.value_as_of(t),
                label: format!(
                    "{name}: OI {}, price {}",
                    signed_pct(oi_change, 1),
                    signed_pct(price_change, 1)
                ),
                term_slug,
                right_axis: false,
            })
        })
        .take(MAX_MARKERS)
        .collect();
    markers.reverse();
    let rows = days_back
        .iter()
        .filter_map(|&t| {
            let (q, oi_change, price_change, _) =
                quadrant_between(set, &[venue], asset, t - DAY_MS, t)?;
            Some(vec![
                short_time(t),
                closes.value_as_of(t).map_or("–".into(), usd),
                oi.value_as_of(t).map_or("–".into(), |v| num(v, 0)),
                signed_pct(oi_change, 1),
                signed_pct(price_change, 1),
                label(q).map_or("no clear read", |l| l.0).to_string(),
            ])
        })
        .collect();
    let summary = format!(
        "{asset} price on {} over {days} days with open interest in {asset} on the right axis; {} days labelled by their OI × price quadrant.",
        venue.display_name(),
        markers.len()
    );
    let chart_caption = caption(
        set,
        &[venue],
        "Hourly closes, open interest and daily OI × price quadrants",
    );
    Ok(Panel {
        id: "price-oi",
        title: format!("{asset} price and open interest"),
        figure: Figure::Time(TimeChartData {
            series: vec![
                ChartSeries {
                    label: format!("{asset} price"),
                    times_ms: closes.times_ms().to_vec(),
                    values: closes.values().to_vec(),
                    area: false,
                    right_axis: false,
                },
                ChartSeries {
                    label: format!("Open interest, {asset}"),
                    times_ms: oi.times_ms().to_vec(),
                    values: oi.values().to_vec(),
                    area: true,
                    right_axis: true,
                },
            ],
            y_label: "Price, USD".into(),
            y_unit: Unit::Usd,
            y2: Some((format!("Open interest, {asset}"), Unit::Compact)),
            markers,
            caption: chart_caption.clone(),
            summary: summary.clone(),
        }),
        summary,
        caption: chart_caption,
        table: ChartTable::new(
            &[
                "Day end",
                "Price",
                "Open interest",
                "OI 24 h",
                "Price 24 h",
                "Quadrant",
            ],
            rows,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::dashboard::Lean;
    use crate::lesson::testing::controls;
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c)
    }

    #[test]
    fn facts_are_the_dashboard_tiles_and_the_reading_its_verdict() {
        let e = run(&[]).unwrap();
        let board = dashboard(&sample_dataset(), &Asset::btc());
        let keys: Vec<&str> = e.facts.iter().map(|f| f.key).collect();
        assert_eq!(
            keys,
            vec![
                "funding",
                "quadrant",
                "basis",
                "skew",
                "leverage",
                "hot-zones"
            ]
        );
        for (fact, tile) in e.facts.iter().zip(&board.tiles) {
            assert_eq!(fact.value, tile.value);
            assert_ne!(tile.lean, Lean::Unknown);
        }
        assert!(
            e.reading
                .starts_with("BTC across Binance, Bybit, Hyperliquid and Deribit: "),
            "{}",
            e.reading
        );
        assert!(e.reading.contains(&board.reasons[0]), "{}", e.reading);
    }

    /// Each marker is the quadrant of the 24 h before it; recompute one by hand from the raw rows.
    #[test]
    fn day_markers_match_a_hand_classification() {
        let set = sample_dataset();
        let e = run(&[("venue", "bybit")]).unwrap();
        let Figure::Time(t) = &e.panels[0].figure else {
            panic!()
        };
        assert!(!t.markers.is_empty() && t.markers.len() <= MAX_MARKERS);
        let m = t.markers.last().unwrap();
        let btc = Asset::btc();
        let oi = crate::lesson::read::open_interest(&set, Venue::Bybit, &btc, i64::MIN);
        let at = |time: i64| oi.iter().rev().find(|r| r.time_ms <= time).unwrap().base;
        let candles = crate::lesson::read::candles(&set, Venue::Bybit, &btc, i64::MIN);
        let close = |time: i64| {
            candles
                .iter()
                .rev()
                .find(|c| c.open_time_ms + 3_600_000 <= time)
                .unwrap()
                .close
        };
        let g_oi = at(m.time_ms) / at(m.time_ms - DAY_MS) - 1.0;
        let g_p = close(m.time_ms) / close(m.time_ms - DAY_MS) - 1.0;
        let expected = match (g_oi > 0.01, g_oi < -0.01, g_p > 0.005, g_p < -0.005) {
            (true, _, true, _) => "new longs",
            (_, true, true, _) => "short covering",
            (true, _, _, true) => "new shorts",
            (_, true, _, true) => "long liquidation",
            _ => "no clear read",
        };
        assert!(m.label.starts_with(expected), "{} vs {expected}", m.label);
    }

    #[test]
    fn the_window_limits_the_chart_but_not_the_verdict() {
        let long = run(&[("days", "30")]).unwrap();
        let short = run(&[("days", "3")]).unwrap();
        assert_eq!(long.reading, short.reading);
        let points = |e: &Example| match &e.panels[0].figure {
            Figure::Time(t) => (t.series[0].values.len(), t.markers.len()),
            _ => (0, 0),
        };
        let ((long_points, _), (short_points, short_markers)) = (points(&long), points(&short));
        assert!(
            short_points < long_points && short_points <= 73,
            "{short_points}"
        );
        assert!(short_markers <= 3);
    }
}
