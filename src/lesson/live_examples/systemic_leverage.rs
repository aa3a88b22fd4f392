//! Systemic Leverage: the whole market's leverage in one number. Open interest added up across venues, what
//! the paying side spends on funding at the OI-weighted rate, and the total against the asset's market cap.

use lens_math::TimeSeries;
use lens_math::funding::FundingRate;
use lens_math::positioning::{SystemicTotals, VenueExposure, systemic_totals};

use crate::chart::Unit;
use crate::chart::figure::{ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlSpec, DAYS};
use crate::lesson::read::{
    HOUR_MS, asset, candles, caption, funding, market_cap, names, open_interest, short_time,
    window_start,
};
use crate::lesson::text::pct_auto;
use crate::lesson::text::{pct, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{FundingRate as Print, OpenInterest, PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};

const CONTROLS: &[ControlSpec] = &[ASSET, DAYS];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "systemic-leverage",
    controls: CONTROLS,
    needs: &[
        Need::all(Item::OpenInterest),
        Need::all(Item::Funding),
        Need::all(CANDLES),
    ],
    primary: None,
    build,
};

/// One venue's rows for the asset.
struct VenueRows {
    venue: Venue,
    /// In the window, oldest first.
    open_interest: Vec<OpenInterest>,
    closes: TimeSeries,
    /// All prints, oldest first, so the rate in force at the window's start is known.
    prints: Vec<Print>,
}

impl VenueRows {
    /// The venue's open interest in USD and its exposure as of `t`: its last row at or before `t`, valued in
    /// USD by the venue where it says, else at the last close.
    fn at(&self, t: i64) -> Option<(f64, VenueExposure)> {
        let row = self.open_interest.get(
            self.open_interest
                .partition_point(|r| r.time_ms <= t)
                .checked_sub(1)?,
        )?;
        let close = self
            .closes
            .value_as_of(t)
            .filter(|p| p.is_finite() && *p > 0.0);
        let usd = row
            .usd
            .or_else(|| close.map(|p| row.base * p))
            .filter(|u| u.is_finite() && *u >= 0.0)?;
        let price = close
            .or_else(|| (row.base > 0.0).then(|| usd / row.base))
            .filter(|p| p.is_finite() && *p > 0.0)?;
        let in_force = self.prints.partition_point(|p| p.time_ms <= t);
        // Without a usable print the venue still counts in the total, at a zero rate.
        let funding = self
            .prints
            .get(..in_force)
            .unwrap_or_default()
            .iter()
            .rev()
            .find_map(|p| FundingRate::new(p.rate, p.interval_hours).ok())
            .or_else(|| FundingRate::new(0.0, 8.0).ok())?;
        Some((
            usd,
            VenueExposure {
                // Coins at the price used, so coins × price is exactly the USD the venue reports.
                open_interest_coin: usd / price,
                mark_price_usd: price,
                funding,
            },
        ))
    }
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let from = window_start(set, c);
    let days = c.days();
    let rows: Vec<VenueRows> = set
        .venues_with(&asset, Item::OpenInterest)
        .into_iter()
        .map(|venue| {
            let mut open_interest = open_interest(set, venue, &asset, from);
            lens_math::sort::sort_by_key(&mut open_interest, |r| r.time_ms);
            let mut prints = funding(set, venue, &asset, i64::MIN);
            lens_math::sort::sort_by_key(&mut prints, |p| p.time_ms);
            VenueRows {
                venue,
                open_interest,
                closes: TimeSeries::from_points_lossy(
                    candles(set, venue, &asset, i64::MIN)
                        .iter()
                        .map(|c| (c.open_time_ms + HOUR_MS, c.close)),
                ),
                prints,
            }
        })
        .filter(|r| !r.open_interest.is_empty())
        .collect();
    let cap = TimeSeries::from_points_lossy(
        market_cap(set, &asset, i64::MIN)
            .iter()
            .map(|p| (p.time_ms, p.value))
            .filter(|(_, v)| *v > 0.0),
    );
    let mut grid: Vec<i64> = rows
        .iter()
        .flat_map(|r| r.open_interest.iter().map(|o| o.time_ms))
        .collect();
    lens_math::sort::sort(&mut grid);
    grid.dedup();

    // (time, each venue's USD open interest or NaN, totals, market cap if known)
    let mut points: Vec<(i64, Vec<f64>, SystemicTotals, Option<f64>)> = Vec::new();
    for &t in &grid {
        let at: Vec<Option<(f64, VenueExposure)>> = rows.iter().map(|r| r.at(t)).collect();
        let exposures: Vec<VenueExposure> = at.iter().flatten().map(|(_, e)| *e).collect();
        let market_cap = cap.value_as_of(t);
        // The cap is price × supply, so it stands in for the reference price with a supply of 1.
        if let Ok(totals) = systemic_totals(&exposures, market_cap.unwrap_or(1.0), 1.0) {
            let per_venue = at.iter().map(|a| a.map_or(f64::NAN, |(u, _)| u)).collect();
            points.push((t, per_venue, totals, market_cap));
        }
    }
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(Unavailable::new(format!(
            "No venue in view has usable open interest for {asset} in the last {days} days."
        )));
    };
    let venues: Vec<Venue> = rows
        .iter()
        .zip(&last.1)
        .filter(|(_, u)| u.is_finite())
        .map(|(r, _)| r.venue)
        .collect();
    let totals = last.2;
    let total = totals.open_interest_usd;
    let change = total / first.2.open_interest_usd - 1.0;
    let spend = totals.funding_spend_per_year_usd();
    let apr = totals.oi_weighted_funding_apr();
    let leverage = last.3.map(|_| totals.estimated_leverage);

    let times: Vec<i64> = points.iter().map(|p| p.0).collect();
    let line = |label: String, values: Vec<f64>, area: bool, right_axis: bool| ChartSeries {
        label,
        times_ms: times.clone(),
        values,
        area,
        right_axis,
    };
    let mut oi_series: Vec<ChartSeries> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            line(
                r.venue.display_name().to_string(),
                points
                    .iter()
                    .map(|p| p.1.get(i).copied().unwrap_or(f64::NAN))
                    .collect(),
                false,
                false,
            )
        })
        .collect();
    oi_series.push(line(
        "Total".into(),
        points.iter().map(|p| p.2.open_interest_usd).collect(),
        true,
        false,
    ));
    if leverage.is_some() {
        oi_series.push(line(
            "Total ÷ market cap".into(),
            points
                .iter()
                .map(|p| p.3.map_or(f64::NAN, |_| p.2.estimated_leverage))
                .collect(),
            false,
            true,
        ));
    }
    let mut oi_headers = vec!["Time"];
    oi_headers.extend(rows.iter().map(|r| r.venue.display_name()));
    oi_headers.extend(["Total", "Total ÷ market cap"]);
    let oi_summary = format!(
        "Open interest in {asset} across {} adds up to {}, {} {} over {days} days.",
        names(&venues),
        usd(total),
        if change >= 0.0 { "up" } else { "down" },
        pct(change.abs(), 1)
    );
    let oi_caption = caption(
        set,
        &venues,
        "Open interest in USD (one side), hourly, as of each hour",
    );
    let oi_panel = Panel {
        id: "oi",
        title: format!("{asset} open interest across venues"),
        figure: Figure::Time(TimeChartData {
            series: oi_series,
            y_label: "Open interest, USD".into(),
            y_unit: Unit::Usd,
            y2: leverage.map(|_| ("Share of market cap".to_string(), Unit::Percent)),
            markers: Vec::new(),
            caption: oi_caption.clone(),
            summary: oi_summary.clone(),
        }),
        summary: oi_summary,
        caption: oi_caption,
        table: ChartTable::new(
            &oi_headers,
            points
                .iter()
                .rev()
                .take(200)
                .map(|p| {
                    let mut row = vec![short_time(p.0)];
                    row.extend(
                        p.1.iter()
                            .map(|u| if u.is_finite() { usd(*u) } else { "–".into() }),
                    );
                    row.push(usd(p.2.open_interest_usd));
                    row.push(p.3.map_or("–".into(), |_| pct_auto(p.2.estimated_leverage)));
                    row
                })
                .collect(),
        ),
    };

    let funding_summary = format!(
        "At the rates in force, the paying side's funding comes to {} a year, an OI-weighted {} APR.",
        usd(spend.abs()),
        pct(apr, 1)
    );
    let funding_caption = caption(
        set,
        &venues,
        "Funding spend a year at the rates in force (positive: longs pay) and the OI-weighted APR, hourly",
    );
    let funding_panel = Panel {
        id: "funding",
        title: format!("Funding paid across venues, {asset}"),
        figure: Figure::Time(TimeChartData {
            series: vec![
                line(
                    "Funding spend a year".into(),
                    points
                        .iter()
                        .map(|p| p.2.funding_spend_per_year_usd())
                        .collect(),
                    true,
                    false,
                ),
                line(
                    "OI-weighted funding APR".into(),
                    points
                        .iter()
                        .map(|p| p.2.oi_weighted_funding_apr())
                        .collect(),
                    false,
                    true,
                ),
            ],
            y_label: "USD a year".into(),
            y_unit: Unit::Usd,
            y2: Some(("APR".into(), Unit::Percent)),
            markers: Vec::new(),
            caption: funding_caption.clone(),
            summary: funding_summary.clone(),
        }),
        summary: funding_summary,
        caption: funding_caption,
        table: ChartTable::new(
            &["Time", "Funding spend a year", "OI-weighted APR"],
            points
                .iter()
                .rev()
                .take(200)
                .map(|p| {
                    vec![
                        short_time(p.0),
                        usd(p.2.funding_spend_per_year_usd()),
                        pct(p.2.oi_weighted_funding_apr(), 2),
                    ]
                })
                .collect(),
        ),
    };

    let mut reading = format!(
        "Across {}, {asset} open interest is {}, {} {} in {days} days; {} pay {} a year in funding at the OI-weighted {} APR",
        names(&venues),
        usd(total),
        if change >= 0.0 { "up" } else { "down" },
        pct(change.abs(), 1),
        if spend >= 0.0 { "longs" } else { "shorts" },
        usd(spend.abs()),
        pct(apr, 1),
    );
    if let Some(l) = leverage {
        reading.push_str(&format!(
            ", and it equals {} of {asset}'s market cap",
            pct_auto(l)
        ));
    }
    reading.push('.');
    let mut facts = vec![
        Fact::new("total-oi", "Open interest, all venues", usd(total)),
        Fact::new(
            "oi-change",
            format!("Change in {days} days"),
            pct(change, 1),
        ),
        Fact::new(
            "funding-spend-year",
            "Funding spend a year (+: longs pay)",
            usd(spend),
        ),
        Fact::new("funding-apr", "OI-weighted funding APR", pct(apr, 2)),
    ];
    if let Some(l) = leverage {
        facts.push(Fact::new(
            "oi-to-mcap",
            "Open interest ÷ market cap",
            pct_auto(l),
        ));
    }
    let mut notes: Vec<String> = rows
        .iter()
        .filter(|r| !r.prints.iter().any(|p| p.rate.is_finite()))
        .map(|r| {
            format!(
                "{} has no funding for {asset} in view; its open interest counts at a zero rate.",
                r.venue.display_name()
            )
        })
        .collect();
    if leverage.is_none() {
        notes.push(format!(
            "No market cap for {asset} is in view, so the share of market cap is left out."
        ));
    }
    Ok(Example {
        reading,
        facts,
        panels: vec![oi_panel, funding_panel],
        notes,
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::read::DAY_MS;
    use crate::lesson::testing::{controls, fact};
    use crate::market::dataset::{AssetFacts, Origin};
    use crate::market::model::{Asset, Candle, Point};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    const SAMPLE_VENUES: [Venue; 3] = [Venue::Binance, Venue::Bybit, Venue::Hyperliquid];

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    fn oi_rows(set: &DataSet, venue: Venue) -> Vec<OpenInterest> {
        match set.get(venue, &Asset::btc(), Item::OpenInterest) {
            Some(Payload::OpenInterest(rows)) => rows.clone(),
            _ => panic!("no open interest"),
        }
    }

    /// Σ over venues of the USD value of the first row at or after `t` (the window's first hour).
    fn total_from(set: &DataSet, t: i64) -> f64 {
        SAMPLE_VENUES
            .iter()
            .map(|v| {
                let rows = oi_rows(set, *v);
                rows.iter()
                    .find(|r| r.time_ms >= t)
                    .and_then(|r| r.usd)
                    .unwrap()
            })
            .sum()
    }

    #[test]
    fn totals_match_the_raw_rows() {
        let set = sample_dataset();
        let total: f64 = SAMPLE_VENUES
            .iter()
            .map(|v| oi_rows(&set, *v).last().and_then(|r| r.usd).unwrap())
            .sum();
        let spend_per_8h: f64 = SAMPLE_VENUES
            .iter()
            .map(|v| {
                let Some(Payload::Funding(prints)) = set.get(*v, &Asset::btc(), Item::Funding)
                else {
                    panic!()
                };
                let p = prints
                    .iter()
                    .rev()
                    .find(|p| p.time_ms <= set.as_of_ms)
                    .unwrap();
                p.rate * 8.0 / p.interval_hours * oi_rows(&set, *v).last().unwrap().usd.unwrap()
            })
            .sum();
        let cap = set
            .facts(&Asset::btc())
            .unwrap()
            .market_cap_usd
            .last()
            .unwrap()
            .value;
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "total-oi"), usd(total));
        assert_eq!(
            fact(&e, "funding-apr"),
            pct(spend_per_8h / total * 1095.0, 2)
        );
        assert_eq!(fact(&e, "funding-spend-year"), usd(spend_per_8h * 1095.0));
        assert_eq!(fact(&e, "oi-to-mcap"), pct_auto(total / cap));
        assert!(
            e.reading
                .starts_with("Across Binance, Bybit and Hyperliquid, BTC open interest is")
        );
    }

    #[test]
    fn the_window_sets_the_change_it_is_measured_over() {
        let set = sample_dataset();
        let now = total_from(&set, set.as_of_ms);
        for days in [7, 30] {
            let e = run_on(&set, &[("days", &days.to_string())]).unwrap();
            let then = total_from(&set, set.as_of_ms - days * DAY_MS);
            assert_eq!(
                fact(&e, "oi-change"),
                pct(now / then - 1.0, 1),
                "{days} days"
            );
            assert!(
                e.reading.contains(&format!("in {days} days")),
                "{}",
                e.reading
            );
        }
    }

    /// Leverage Lens glossary, systemic leverage (worked example, Python-checked): 180,000 / 110,000 / 60,000
    /// BTC at 64,000 with funding 0.012 % and 0.020 % per 8 h and 0.003 % per hour give 22.40 bn USD, 4.06 bn a
    /// year of funding at an OI-weighted 18.15 % APR, and 1.77 % of a 64,000 × 19.8 M market cap.
    #[test]
    fn glossary_example_through_the_live_example() {
        let as_of = 30 * DAY_MS;
        let mut set = DataSet::empty(Origin::Live, as_of);
        let btc = Asset::btc();
        for (venue, coins, rate, hours) in [
            (Venue::Binance, 180_000.0, 0.00012, 8.0),
            (Venue::Bybit, 110_000.0, 0.00020, 8.0),
            (Venue::Hyperliquid, 60_000.0, 0.000030, 1.0),
        ] {
            let oi = vec![OpenInterest {
                time_ms: as_of,
                base: coins,
                usd: None,
            }];
            set.insert(
                venue,
                btc.clone(),
                Item::OpenInterest,
                Payload::OpenInterest(oi),
            );
            let print = Print {
                time_ms: as_of,
                rate,
                interval_hours: hours,
                mark_price: None,
            };
            set.insert(
                venue,
                btc.clone(),
                Item::Funding,
                Payload::Funding(vec![print]),
            );
            let bar = Candle {
                open_time_ms: as_of - HOUR_MS,
                open: 64_000.0,
                high: 64_000.0,
                low: 64_000.0,
                close: 64_000.0,
                volume_base: 1.0,
                taker_buy_base: None,
            };
            set.insert(venue, btc.clone(), CANDLES, Payload::Candles(vec![bar]));
        }
        set.assets.push(AssetFacts {
            asset: btc,
            market_cap_usd: vec![Point {
                time_ms: as_of,
                value: 64_000.0 * 19.8e6,
            }],
        });
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "total-oi"), "$22.40bn");
        assert_eq!(fact(&e, "funding-spend-year"), "$4.06bn");
        assert_eq!(fact(&e, "funding-apr"), "18.15 %");
        assert_eq!(fact(&e, "oi-to-mcap"), "1.77 %");
    }
}
