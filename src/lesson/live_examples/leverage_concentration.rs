//! Leverage Concentration: how much of the open interest in view sits with one venue (or one venue-asset
//! market), as a Herfindahl index over time, and whether the largest traders lean further than the crowd.

use lens_math::TimeSeries;
use lens_math::positioning::{herfindahl, top_trader_long_share_gap};
use lens_math::series::{align, align_as_of};

use crate::chart::Unit;
use crate::chart::figure::{ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS};
use crate::lesson::read::{asset, caption, oi_usd, ratios, short_time, window_start};
use crate::lesson::text::{num, pct};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, RatioKind, Venue};

const ALL_ACCOUNTS: Item = Item::Ratio {
    kind: RatioKind::GlobalAccounts,
};
const TOP_POSITIONS: Item = Item::Ratio {
    kind: RatioKind::TopPositions,
};

const SCOPE: ControlSpec = ControlSpec {
    key: "scope",
    label: "Compare",
    kind: ControlKind::Choice {
        options: &[
            ("venues", "One asset across venues"),
            ("all", "Venues × assets"),
        ],
        default: "venues",
    },
};

const CONTROLS: &[ControlSpec] = &[ASSET, DAYS, SCOPE];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-concentration",
    controls: CONTROLS,
    needs: &[
        Need::all(Item::OpenInterest),
        Need::all(ALL_ACCOUNTS),
        Need::all(TOP_POSITIONS),
    ],
    primary: None,
    build,
};

/// One market whose open interest competes for a share: a venue, or a venue and asset.
struct Market {
    venue: Venue,
    asset: Asset,
    label: String,
    oi_usd: TimeSeries,
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let from = window_start(set, c);
    let across_assets = c.choice(&SCOPE) == "all";
    let assets = if across_assets {
        set.assets()
    } else {
        vec![asset.clone()]
    };
    let markets: Vec<Market> = assets
        .iter()
        .flat_map(|a| {
            set.venues_with(a, Item::OpenInterest)
                .into_iter()
                .map(move |venue| Market {
                    venue,
                    asset: a.clone(),
                    label: if across_assets {
                        format!("{} {a}", venue.display_name())
                    } else {
                        venue.display_name().to_string()
                    },
                    oi_usd: oi_usd(set, venue, a, from),
                })
        })
        .filter(|m| !m.oi_usd.is_empty())
        .collect();
    let unit_word = if across_assets { "markets" } else { "venues" };
    if markets.len() < 2 {
        return Err(Unavailable::new(format!(
            "Concentration compares at least two {unit_word}; the data in view has usable open interest for {} of them.",
            markets.len()
        )));
    }
    let venues: Vec<Venue> = {
        let mut v: Vec<Venue> = markets.iter().map(|m| m.venue).collect();
        lens_math::sort::sort(&mut v);
        v.dedup();
        v
    };

    let grid: Vec<i64> = {
        let mut g: Vec<i64> = markets
            .iter()
            .flat_map(|m| m.oi_usd.times_ms().to_vec())
            .collect();
        lens_math::sort::sort(&mut g);
        g.dedup();
        g
    };
    let refs: Vec<&TimeSeries> = markets.iter().map(|m| &m.oi_usd).collect();
    let (times, columns) = align_as_of(&grid, &refs);
    // (time, HHI, effective number, normalised HHI, shares in market order)
    let mut points: Vec<(i64, f64, f64, f64, Vec<f64>)> = Vec::new();
    for (i, &t) in times.iter().enumerate() {
        let row: Vec<f64> = columns
            .iter()
            .filter_map(|col| col.get(i).copied())
            .collect();
        if let Ok(conc) = herfindahl(&row) {
            let total: f64 = row.iter().sum();
            points.push((
                t,
                conc.hhi,
                conc.effective_number,
                conc.normalised_hhi,
                row.iter().map(|v| v / total).collect(),
            ));
        }
    }
    let Some((last_t, hhi, effective, normalised, shares)) = points.last().cloned() else {
        return Err(Unavailable::new(format!(
            "The {unit_word} in view never report open interest at the same time, so no share can be computed."
        )));
    };
    let (leader, leader_share) = markets
        .iter()
        .zip(&shares)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(m, s)| (m.label.clone(), *s))
        .unwrap_or_default();

    // The gap is read on the largest venue of the chosen asset that publishes both ratios.
    let gap_venue = markets
        .iter()
        .zip(&shares)
        .filter(|(m, _)| m.asset == asset)
        .filter(|(m, _)| {
            !ratios(set, m.venue, &asset, RatioKind::TopPositions, from).is_empty()
                && !ratios(set, m.venue, &asset, RatioKind::GlobalAccounts, from).is_empty()
        })
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(m, _)| m.venue);
    let gap: Vec<(i64, f64)> = gap_venue.map_or_else(Vec::new, |v| {
        let series = |kind| {
            TimeSeries::from_points_lossy(
                ratios(set, v, &asset, kind, from)
                    .iter()
                    .map(|r| (r.time_ms, r.ratio)),
            )
        };
        let (top, all) = (
            series(RatioKind::TopPositions),
            series(RatioKind::GlobalAccounts),
        );
        let (gap_times, cols) = align(&[&top, &all]);
        match cols.as_slice() {
            [top, all] => gap_times
                .iter()
                .zip(top.iter().zip(all))
                .filter_map(|(t, (a, b))| top_trader_long_share_gap(*a, *b).ok().map(|g| (*t, g)))
                .collect(),
            _ => Vec::new(),
        }
    });
    let latest_gap = gap.last().map(|(_, g)| *g);

    let symbols: Vec<&str> = assets.iter().map(Asset::as_str).collect();
    let subject = format!("{} open interest", symbols.join(" and "));
    let one_unit = if across_assets { "market" } else { "venue" };
    let series =
        |label: String, times_ms: Vec<i64>, values: Vec<f64>, right_axis: bool| ChartSeries {
            label,
            times_ms,
            values,
            area: false,
            right_axis,
        };
    let mut hhi_series = vec![series(
        "Herfindahl index".into(),
        points.iter().map(|p| p.0).collect(),
        points.iter().map(|p| p.1).collect(),
        false,
    )];
    if let Some(v) = gap_venue.filter(|_| !gap.is_empty()) {
        hhi_series.push(series(
            format!(
                "{}: top traders' long share − all accounts'",
                v.display_name()
            ),
            gap.iter().map(|g| g.0).collect(),
            gap.iter().map(|g| g.1 * 100.0).collect(),
            true,
        ));
    }
    let gap_at = |t: i64| {
        gap.iter()
            .rev()
            .find(|(gt, _)| *gt <= t)
            .map_or("–".to_string(), |(_, g)| num(g * 100.0, 1))
    };
    let hhi_summary = format!(
        "The Herfindahl index of {subject} across {} {unit_word} ends at {} (1/{} would be equal shares, 1 a single {one_unit} holding everything).",
        markets.len(),
        num(hhi, 2),
        markets.len(),
    );
    let hhi_caption = caption(
        set,
        &venues,
        "Herfindahl index of USD open interest, hourly",
    );
    let hhi_panel = Panel {
        id: "hhi",
        title: format!("Concentration of {subject}"),
        figure: Figure::Time(TimeChartData {
            series: hhi_series,
            y_label: "Herfindahl index".into(),
            y_unit: Unit::Plain,
            y2: Some(("Long-share gap, points".into(), Unit::Suffix(" pts"))),
            markers: Vec::new(),
            caption: hhi_caption.clone(),
            summary: hhi_summary.clone(),
        }),
        summary: hhi_summary,
        caption: hhi_caption,
        table: ChartTable::new(
            &[
                "Time",
                "Herfindahl index",
                "Equal-size equivalent",
                "Long-share gap, pts",
            ],
            points
                .iter()
                .rev()
                .take(200)
                .map(|p| vec![short_time(p.0), num(p.1, 3), num(p.2, 2), gap_at(p.0)])
                .collect(),
        ),
    };

    let share_series: Vec<ChartSeries> = markets
        .iter()
        .enumerate()
        .map(|(i, m)| {
            series(
                m.label.clone(),
                points.iter().map(|p| p.0).collect(),
                points
                    .iter()
                    .map(|p| p.4.get(i).copied().unwrap_or(f64::NAN))
                    .collect(),
                false,
            )
        })
        .collect();
    let mut share_headers = vec!["Time"];
    share_headers.extend(markets.iter().map(|m| m.label.as_str()));
    let shares_summary = format!(
        "{leader} holds the largest share of {subject}, {} at {}.",
        pct(leader_share, 1),
        short_time(last_t)
    );
    let shares_caption = caption(set, &venues, "Share of USD open interest, hourly");
    let shares_panel = Panel {
        id: "shares",
        title: format!("Each {one_unit}'s share of open interest"),
        figure: Figure::Time(TimeChartData {
            series: share_series,
            y_label: "Share of open interest".into(),
            y_unit: Unit::Percent,
            y2: None,
            markers: Vec::new(),
            caption: shares_caption.clone(),
            summary: shares_summary.clone(),
        }),
        summary: shares_summary,
        caption: shares_caption,
        table: ChartTable::new(
            &share_headers,
            points
                .iter()
                .rev()
                .take(200)
                .map(|p| {
                    let mut row = vec![short_time(p.0)];
                    row.extend(p.4.iter().map(|s| pct(*s, 1)));
                    row
                })
                .collect(),
        ),
    };

    let gap_sentence = match (gap_venue, latest_gap) {
        (Some(v), Some(g)) => format!(
            " On {}, top traders' positions are {} points {} long than all accounts.",
            v.display_name(),
            num((g * 100.0).abs(), 1),
            if g >= 0.0 { "more" } else { "less" }
        ),
        _ => String::new(),
    };
    let reading = format!(
        "{leader} holds {} of {subject} in view; the Herfindahl index across {} {unit_word} is {}, as concentrated as {} equal {unit_word}.{gap_sentence}",
        pct(leader_share, 1),
        markets.len(),
        num(hhi, 2),
        num(effective, 1),
    );
    let mut facts = vec![
        Fact::new("hhi", "Herfindahl index", num(hhi, 2)),
        Fact::new(
            "effective-number",
            format!("Equal-size {unit_word} with the same index"),
            num(effective, 1),
        ),
        Fact::new(
            "normalised-hhi",
            "Normalised index (0 = equal)",
            num(normalised, 2),
        ),
        Fact::new(
            "top-share",
            format!("{leader}'s share"),
            pct(leader_share, 1),
        ),
    ];
    if let (Some(v), Some(g)) = (gap_venue, latest_gap) {
        facts.push(Fact::new(
            "top-trader-gap",
            format!(
                "{} top traders − all accounts, long share",
                v.display_name()
            ),
            format!("{} pts", num(g * 100.0, 1)),
        ));
    }
    Ok(Example {
        reading,
        facts,
        panels: vec![hhi_panel, shares_panel],
        notes: if gap_venue.is_none() {
            vec![format!(
                "No venue in view publishes both top-trader and all-account ratios for {asset}, so the long-share gap is left out."
            )]
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
    use crate::market::dataset::Origin;
    use crate::market::model::OpenInterest;
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    fn last_ratio(set: &DataSet, venue: Venue, kind: RatioKind) -> f64 {
        match set.get(venue, &Asset::btc(), Item::Ratio { kind }) {
            Some(Payload::Ratios(rows)) => rows.last().unwrap().ratio,
            _ => panic!("no ratios"),
        }
    }

    #[test]
    fn hhi_top_share_and_gap_match_the_raw_rows() {
        let set = sample_dataset();
        let btc = Asset::btc();
        let oi: Vec<f64> = [Venue::Binance, Venue::Bybit, Venue::Hyperliquid]
            .iter()
            .map(|v| last_oi_usd(&set, *v, &btc))
            .collect();
        let total: f64 = oi.iter().sum();
        let hhi: f64 = oi.iter().map(|v| (v / total) * (v / total)).sum();
        let top = oi.iter().copied().fold(0.0, f64::max) / total;
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "hhi"), format!("{hhi:.2}"));
        assert_eq!(fact(&e, "top-share"), format!("{:.1} %", top * 100.0));
        assert!(e.reading.starts_with("Binance holds"), "{}", e.reading);
        // Binance publishes both ratios and holds the most open interest, so the gap is read there.
        let (t, a) = (
            last_ratio(&set, Venue::Binance, RatioKind::TopPositions),
            last_ratio(&set, Venue::Binance, RatioKind::GlobalAccounts),
        );
        let gap = (t / (1.0 + t) - a / (1.0 + a)) * 100.0;
        assert_eq!(fact(&e, "top-trader-gap"), format!("{} pts", num(gap, 1)));
    }

    #[test]
    fn comparing_venues_times_assets_spreads_the_open_interest_over_more_markets() {
        let set = sample_dataset();
        let venues = run_on(&set, &[]).unwrap();
        let all = run_on(&set, &[("scope", "all")]).unwrap();
        assert!(all.reading.contains("across 6 markets"), "{}", all.reading);
        assert!(
            all.reading.contains("of BTC and ETH open interest"),
            "{}",
            all.reading
        );
        let hhi = |e: &Example| fact(e, "hhi").parse::<f64>().unwrap();
        assert!(
            hhi(&all) < hhi(&venues),
            "{} vs {}",
            hhi(&all),
            hhi(&venues)
        );
    }

    /// The leverage-concentration page's worked example (Herfindahl–Hirschman index): 8.0 / 4.8 / 3.2 bn USD of open interest
    /// give shares 50 / 30 / 20 %, HHI 0.38 and 2.63 equal venues; here two of them report only coins, valued
    /// at the last close, which the as-of alignment must pick up.
    #[test]
    fn glossary_three_venue_example_through_the_live_example() {
        let mut set = DataSet::empty(Origin::Live, 10 * HOUR_MS);
        let btc = Asset::btc();
        let rows = |usd: Option<f64>, base: f64| {
            Payload::OpenInterest(vec![OpenInterest {
                time_ms: 9 * HOUR_MS,
                base,
                usd,
            }])
        };
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::OpenInterest,
            rows(Some(8.0e9), 0.0),
        );
        set.insert(
            Venue::Bybit,
            btc.clone(),
            Item::OpenInterest,
            rows(None, 48_000.0),
        );
        set.insert(
            Venue::Okx,
            btc.clone(),
            Item::OpenInterest,
            rows(None, 32_000.0),
        );
        for venue in [Venue::Bybit, Venue::Okx] {
            set.insert(
                venue,
                btc.clone(),
                Item::Candles {
                    price: crate::market::model::PriceKind::Last,
                },
                Payload::Candles(vec![crate::market::model::Candle {
                    open_time_ms: 8 * HOUR_MS,
                    open: 100_000.0,
                    high: 100_000.0,
                    low: 100_000.0,
                    close: 100_000.0,
                    volume_base: 1.0,
                    taker_buy_base: None,
                }]),
            );
        }
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "hhi"), "0.38");
        assert_eq!(fact(&e, "effective-number"), "2.6");
        assert_eq!(fact(&e, "top-share"), "50.0 %");
        assert!(e.notes[0].contains("gap is left out"));
    }

    #[test]
    fn one_venue_is_not_a_concentration() {
        let mut set = sample_dataset();
        set.entries
            .retain(|e| e.venue == Venue::Binance || e.item != Item::OpenInterest);
        let err = run_on(&set, &[]).unwrap_err();
        assert!(
            err.message.contains("at least two venues"),
            "{}",
            err.message
        );
    }
}
