//! Leverage Ratio Monitoring: open interest as a share of the asset's market capitalisation, tracked over the
//! window against a warning line the visitor sets, with the crossings marked and today's value ranked.

use lens_math::TimeSeries;
use lens_math::positioning::oi_to_market_cap;
use lens_math::series::align_as_of;

use crate::chart::Unit;
use crate::chart::figure::{ChartMarker, ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::read::{
    asset, caption, market_cap, names, oi_usd, percentile_rank, short_time, venue, window_start,
};
use crate::lesson::text::pct_auto;
use crate::lesson::text::{pct, rank_phrase, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};

const SCOPE: ControlSpec = ControlSpec {
    key: "scope",
    label: "Open interest of",
    kind: ControlKind::Choice {
        options: &[("all", "All venues in view"), ("venue", "The chosen venue")],
        default: "all",
    },
};

const WARNING_LINE: ControlSpec = ControlSpec {
    key: "warn",
    label: "Warning line (OI ÷ market cap)",
    kind: ControlKind::Number {
        min: 0.001,
        max: 50.0,
        step: 0.01,
        // Taken from the data: the window's 90th percentile, so the line means something on any source.
        default: None,
        unit: "%",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS, SCOPE, WARNING_LINE];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-ratio-monitoring",
    controls: CONTROLS,
    needs: &[Need::all(Item::OpenInterest), Need::all(CANDLES)],
    primary: Some(Item::OpenInterest),
    build,
};

/// Most markers a chart shows; the latest crossings are kept.
const MAX_MARKERS: usize = 6;

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let from = window_start(set, c);
    let days = c.days();
    let all_venues = c.choice(&SCOPE) != "venue";
    let venues: Vec<Venue> = if all_venues {
        set.venues_with(&asset, Item::OpenInterest)
    } else {
        vec![venue(set, c, &asset, Item::OpenInterest)?]
    };
    let series: Vec<(Venue, TimeSeries)> = venues
        .iter()
        .map(|v| (*v, oi_usd(set, *v, &asset, from)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let venues: Vec<Venue> = series.iter().map(|(v, _)| *v).collect();
    let cap = TimeSeries::from_points_lossy(
        market_cap(set, &asset, i64::MIN)
            .iter()
            .map(|p| (p.time_ms, p.value)),
    );
    if cap.is_empty() {
        return Err(Unavailable::new(format!(
            "No market capitalisation for {asset} is in view, so open interest cannot be set against it."
        )));
    }
    let mut grid: Vec<i64> = series
        .iter()
        .flat_map(|(_, s)| s.times_ms().to_vec())
        .collect();
    lens_math::sort::sort(&mut grid);
    grid.dedup();
    let refs: Vec<&TimeSeries> = series.iter().map(|(_, s)| s).collect();
    let (times, columns) = align_as_of(&grid, &refs);
    // (time, total OI USD, market cap, OI ÷ market cap)
    let points: Vec<(i64, f64, f64, f64)> = times
        .iter()
        .enumerate()
        .filter_map(|(i, &t)| {
            let total: f64 = columns.iter().filter_map(|col| col.get(i)).sum();
            let cap = cap.value_as_of(t)?;
            // The data carries the cap itself (price × supply), so it stands in for the price with a supply of 1.
            let ratio = oi_to_market_cap(total, cap, 1.0).ok()?;
            Some((t, total, cap, ratio))
        })
        .collect();
    let Some(&(_, latest_oi, latest_cap, latest)) = points.last() else {
        return Err(Unavailable::new(format!(
            "No open interest for {asset} in the last {days} days can be set against its market cap."
        )));
    };
    let ratios: Vec<f64> = points.iter().map(|p| p.3).collect();
    let rank = percentile_rank(&ratios, latest);
    let (warn, chosen_warn) = if c.is_set(&WARNING_LINE) {
        (c.number(&WARNING_LINE) / 100.0, true)
    } else {
        let mut sorted = ratios.clone();
        lens_math::sort::sort_by(&mut sorted, f64::total_cmp);
        // Nearest-rank 90th percentile.
        let index = ((sorted.len() as f64 * 0.9).ceil() as usize).saturating_sub(1);
        (sorted.get(index).copied().unwrap_or(latest), false)
    };
    let mut crossings: Vec<ChartMarker> = points
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if a.3 < warn && b.3 >= warn => Some(ChartMarker {
                time_ms: b.0,
                value: Some(b.3),
                label: format!("rose above {}", pct_auto(warn)),
                term_slug: "systemic-leverage-risk",
                right_axis: false,
            }),
            [a, b] if a.3 >= warn && b.3 < warn => Some(ChartMarker {
                time_ms: b.0,
                value: Some(b.3),
                label: format!("fell below {}", pct_auto(warn)),
                term_slug: "leverage-deleveraging-cycles",
                right_axis: false,
            }),
            _ => None,
        })
        .collect();
    let crossing_count = crossings.len();
    let markers = crossings.split_off(crossing_count.saturating_sub(MAX_MARKERS));

    let whose = if all_venues {
        format!("across {}", names(&venues))
    } else {
        format!("on {}", names(&venues))
    };
    let line_words = if chosen_warn {
        format!("your {} warning line", pct_auto(warn))
    } else {
        format!(
            "the warning line at {} (the window's 90th percentile; set your own)",
            pct_auto(warn)
        )
    };
    let side = if latest >= warn { "above" } else { "below" };
    let reading = format!(
        "Open interest {whose} is {} of {asset}'s market cap, {} of the last {days} days and {side} {line_words}; it crossed the line {crossing_count} {} in the window.",
        pct_auto(latest),
        rank_phrase(rank),
        if crossing_count == 1 { "time" } else { "times" },
    );
    let line = |label: String, values: Vec<f64>, right_axis: bool| ChartSeries {
        label,
        times_ms: points.iter().map(|p| p.0).collect(),
        values,
        area: false,
        right_axis,
    };
    let summary = format!(
        "Open interest {whose} as a share of {asset}'s market cap over {days} days, ending at {} against a warning line at {}, with {crossing_count} crossings.",
        pct_auto(latest),
        pct_auto(warn)
    );
    let chart_caption = caption(
        set,
        &venues,
        "Open interest (USD, one side) ÷ market capitalisation, hourly",
    );
    let panel = Panel {
        id: "ratio",
        title: format!("{asset} open interest ÷ market cap"),
        figure: Figure::Time(TimeChartData {
            series: vec![
                line("OI ÷ market cap".into(), ratios.clone(), false),
                line(
                    format!("Warning line {}", pct_auto(warn)),
                    vec![warn; points.len()],
                    false,
                ),
                line(
                    "Open interest, USD".into(),
                    points.iter().map(|p| p.1).collect(),
                    true,
                ),
            ],
            y_label: "Share of market cap".into(),
            y_unit: Unit::Percent,
            y2: Some(("Open interest, USD".into(), Unit::Usd)),
            markers,
            caption: chart_caption.clone(),
            summary: summary.clone(),
        }),
        summary,
        caption: chart_caption,
        table: ChartTable::new(
            &["Time", "Open interest", "Market cap", "OI ÷ market cap"],
            points
                .iter()
                .rev()
                .take(200)
                .map(|p| vec![short_time(p.0), usd(p.1), usd(p.2), pct_auto(p.3)])
                .collect(),
        ),
    };
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("oi-to-mcap", "Open interest ÷ market cap", pct_auto(latest)),
            Fact::new("open-interest", "Open interest (one side)", usd(latest_oi)),
            Fact::new("market-cap", format!("{asset} market cap"), usd(latest_cap)),
            Fact::new(
                "percentile",
                format!("Share of the last {days} days at or below"),
                pct(rank, 0),
            ),
            Fact::new("warn", "Warning line", pct_auto(warn)),
            Fact::new(
                "crossings",
                "Crossings of the line",
                crossing_count.to_string(),
            ),
        ],
        panels: vec![panel],
        notes: if all_venues && c.venue().is_some() {
            vec![
                "The venue setting applies when open interest is read from the chosen venue only."
                    .into(),
            ]
        } else {
            Vec::new()
        },
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::read::HOUR_MS;
    use crate::lesson::testing::{controls, fact, last_oi_usd};
    use crate::market::dataset::{AssetFacts, Origin};
    use crate::market::model::Asset;
    use crate::market::model::{OpenInterest, Point};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    #[test]
    fn ratio_matches_the_raw_rows_for_all_venues_and_for_one() {
        let set = sample_dataset();
        let cap = set
            .facts(&Asset::btc())
            .unwrap()
            .market_cap_usd
            .last()
            .unwrap()
            .value;
        let total: f64 = [Venue::Binance, Venue::Bybit, Venue::Hyperliquid]
            .iter()
            .map(|v| last_oi_usd(&set, *v, &Asset::btc()))
            .sum();
        let all = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&all, "oi-to-mcap"), pct_auto(total / cap));
        assert!(
            all.reading
                .contains("across Binance, Bybit and Hyperliquid"),
            "{}",
            all.reading
        );
        let bybit = run_on(&set, &[("scope", "venue"), ("venue", "bybit")]).unwrap();
        assert_eq!(
            fact(&bybit, "oi-to-mcap"),
            pct_auto(last_oi_usd(&set, Venue::Bybit, &Asset::btc()) / cap)
        );
    }

    #[test]
    fn the_warning_line_moves_the_verdict_and_the_crossings() {
        let set = sample_dataset();
        let low = run_on(&set, &[("warn", "0.001")]).unwrap();
        let high = run_on(&set, &[("warn", "40")]).unwrap();
        assert!(
            low.reading.contains("above your 0.00100 % warning line"),
            "{}",
            low.reading
        );
        assert!(
            high.reading.contains("below your 40.0 % warning line"),
            "{}",
            high.reading
        );
        assert_eq!(fact(&high, "crossings"), "0");
        // The default line sits inside the window's range, so the series crosses it.
        let default = run_on(&set, &[]).unwrap();
        assert!(fact(&default, "crossings").parse::<usize>().unwrap() > 0);
        let Figure::Time(t) = &default.panels[0].figure else {
            panic!("a time chart")
        };
        assert!(!t.markers.is_empty() && t.markers.len() <= MAX_MARKERS);
    }

    /// Leverage Lens glossary, leverage ratio monitoring: 12.6 bn USD of open interest against a market cap of
    /// 42,000 × 19.6 M BTC = 823.2 bn is 1.53 %; an open interest given only in coins (300,000 BTC) is valued
    /// at the last close first.
    #[test]
    fn glossary_example_through_the_live_example() {
        let as_of = 10 * HOUR_MS;
        let mut set = DataSet::empty(Origin::Live, as_of);
        let btc = Asset::btc();
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::OpenInterest,
            Payload::OpenInterest(vec![OpenInterest {
                time_ms: as_of,
                base: 300_000.0,
                usd: None,
            }]),
        );
        set.insert(
            Venue::Binance,
            btc.clone(),
            CANDLES,
            Payload::Candles(vec![crate::market::model::Candle {
                open_time_ms: as_of - HOUR_MS,
                open: 42_000.0,
                high: 42_000.0,
                low: 42_000.0,
                close: 42_000.0,
                volume_base: 1.0,
                taker_buy_base: None,
            }]),
        );
        set.assets.push(AssetFacts {
            asset: btc,
            market_cap_usd: vec![Point {
                time_ms: as_of,
                value: 42_000.0 * 19.6e6,
            }],
        });
        let e = run_on(&set, &[("warn", "1.5")]).unwrap();
        assert_eq!(fact(&e, "oi-to-mcap"), "1.53 %");
        assert_eq!(fact(&e, "open-interest"), "$12.60bn");
        assert!(
            e.reading.contains("above your 1.50 % warning line"),
            "{}",
            e.reading
        );
    }
}
