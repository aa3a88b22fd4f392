//! Leverage Dependency: how much the market leans on borrowed money. What the paying side spends on funding
//! to keep its positions open, how open interest compares with spot turnover, and how closely price moves
//! with open interest.

use lens_math::TimeSeries;
use lens_math::funding::{FundingRate, funding_spend};
use lens_math::positioning::{oi_to_spot_volume_days, price_sensitivity_to_oi};
use lens_math::series::align;

use crate::chart::figure::{
    Axis, ChartSeries, ChartTable, Figure, Panel, ScatterFigure, TimeChartData,
};
use crate::chart::{LinearFit, Unit};
use crate::lesson::controls::{ASSET, ControlSpec, DAYS, VENUE};
use crate::lesson::read::{
    DAY_MS, HOUR_MS, asset, candles, caption, closes, funding, names, oi_usd, open_interest,
    short_time, spot_candles, venue, window_start,
};
use crate::lesson::text::{num, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-dependency",
    controls: CONTROLS,
    needs: &[
        Need::chosen(Item::Funding),
        Need::chosen(Item::OpenInterest),
        Need::chosen(CANDLES),
        Need::all(Item::SpotCandles),
    ],
    primary: Some(Item::Funding),
    build,
};

/// One funding payment of the whole market: rate × open interest in USD at the funding time.
struct Payment {
    time_ms: i64,
    spend_usd: f64,
    per_year_usd: f64,
    interval_hours: f64,
}

/// Venues that have funding, open interest and prices for `asset`: what the venue control may offer.
fn usable_venues(set: &DataSet, asset: &Asset) -> Vec<Venue> {
    set.venues_with(asset, Item::Funding)
        .into_iter()
        .filter(|v| {
            set.get(*v, asset, Item::OpenInterest).is_some()
                && set.get(*v, asset, CANDLES).is_some()
        })
        .collect()
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::Funding)?;
    if !usable_venues(set, &asset).contains(&venue) {
        let have = usable_venues(set, &asset);
        return Err(Unavailable {
            message: format!(
                "{} has funding but no open interest or prices for {asset} in view; venues with all three: {}.",
                venue.display_name(),
                if have.is_empty() {
                    "none".to_string()
                } else {
                    names(&have)
                }
            ),
            alternatives: have,
        });
    }
    let from = window_start(set, c);
    let days = c.days();
    let bars = candles(set, venue, &asset, from.saturating_sub(HOUR_MS));
    let (close_times, close_values) = closes(&bars);
    let price = TimeSeries::from_points_lossy(close_times.into_iter().zip(close_values));
    let oi_rows = open_interest(set, venue, &asset, from.saturating_sub(8 * HOUR_MS));
    let oi_usd = oi_usd(set, venue, &asset, from.saturating_sub(8 * HOUR_MS));
    let oi_coin = TimeSeries::from_points_lossy(
        oi_rows
            .iter()
            .filter(|r| r.time_ms >= from)
            .map(|r| (r.time_ms, r.base)),
    );

    // A print pays for the interval that ends at it, so a print exactly at the window's start belongs before it.
    let payments: Vec<Payment> = funding(set, venue, &asset, from.saturating_add(1))
        .iter()
        .filter_map(|f| {
            let rate = FundingRate::new(f.rate, f.interval_hours).ok()?;
            let spend = funding_spend(rate, oi_usd.value_as_of(f.time_ms)?).ok()?;
            Some(Payment {
                time_ms: f.time_ms,
                spend_usd: spend.per_interval_usd,
                per_year_usd: spend.per_year_usd,
                interval_hours: rate.interval_hours(),
            })
        })
        .collect();
    let (Some(first), Some(last)) = (payments.first(), payments.last()) else {
        return Err(Unavailable::new(format!(
            "{} has no funding prints with open interest to value them for {asset} in the last {days} days.",
            venue.display_name()
        )));
    };
    let total: f64 = payments.iter().map(|p| p.spend_usd).sum();
    // The pace annualises what was actually paid: the total over the time the prints cover (the last
    // print pays for one more interval), times 365 days.
    let covered_days = ((last.time_ms - first.time_ms) as f64
        + last.interval_hours * HOUR_MS as f64)
        / DAY_MS as f64;
    let per_year = total / covered_days * 365.0;
    let latest_oi = oi_usd.last().map(|(_, v)| v);

    // OI against the last 24 h of spot turnover; spot volume comes from whichever venue lists the spot pair.
    let spot_venue = if set.get(venue, &asset, Item::SpotCandles).is_some() {
        Some(venue)
    } else {
        set.venues_with(&asset, Item::SpotCandles).first().copied()
    };
    let spot_24h: f64 = spot_venue.map_or(0.0, |v| {
        spot_candles(set, v, &asset, set.as_of_ms.saturating_sub(DAY_MS))
            .iter()
            .map(|c| c.volume_base * c.close)
            .filter(|v| v.is_finite() && *v >= 0.0)
            .sum()
    });
    let oi_days = latest_oi.and_then(|oi| oi_to_spot_volume_days(oi, spot_24h).ok());

    let sensitivity = price_sensitivity_to_oi(&oi_coin, &price).ok();
    let (xs, ys) = percent_changes(&oi_coin, &price);

    let v_name = venue.display_name();
    let payer = if total >= 0.0 { "Longs" } else { "Shorts" };
    let mut cumulative = 0.0;
    let running: Vec<f64> = payments
        .iter()
        .map(|p| {
            cumulative += p.spend_usd;
            cumulative
        })
        .collect();
    let spend_summary = format!(
        "Funding spend on {v_name} {asset} per payment over {days} days, {} in total ({} paid).",
        usd(total.abs()),
        payer.to_lowercase()
    );
    let spend_caption = caption(
        set,
        &[venue],
        "Funding spend = rate × open interest in USD, per payment (positive: longs pay)",
    );
    let spend_panel = Panel {
        id: "spend",
        title: format!("Funding spend on {v_name} {asset}"),
        figure: Figure::Time(TimeChartData {
            series: vec![
                ChartSeries {
                    label: "Spend per payment".into(),
                    times_ms: payments.iter().map(|p| p.time_ms).collect(),
                    values: payments.iter().map(|p| p.spend_usd).collect(),
                    area: true,
                    right_axis: false,
                },
                ChartSeries {
                    label: "Cumulative spend".into(),
                    times_ms: payments.iter().map(|p| p.time_ms).collect(),
                    values: running.clone(),
                    area: false,
                    right_axis: true,
                },
            ],
            y_label: "USD per payment".into(),
            y_unit: Unit::Usd,
            y2: Some(("Cumulative USD".into(), Unit::Usd)),
            markers: Vec::new(),
            caption: spend_caption.clone(),
            summary: spend_summary.clone(),
        }),
        summary: spend_summary,
        caption: spend_caption,
        table: ChartTable::new(
            &["Time", "Spend", "Cumulative", "A year at this rate"],
            payments
                .iter()
                .zip(&running)
                .rev()
                .take(200)
                .map(|(p, r)| {
                    vec![
                        short_time(p.time_ms),
                        usd(p.spend_usd),
                        usd(*r),
                        usd(p.per_year_usd),
                    ]
                })
                .collect(),
        ),
    };

    let mut panels = vec![spend_panel];
    if let Some(fit) = sensitivity {
        let summary = format!(
            "{} hourly changes on {v_name} {asset}: price moved {} % per 1 % change in open interest (coins), R² {}.",
            fit.n,
            num(fit.slope, 2),
            num(fit.r_squared, 2)
        );
        let fig_caption = caption(
            set,
            &[venue],
            "Hourly change in open interest (coins) against price change",
        );
        panels.push(Panel {
            id: "sensitivity",
            title: "Price change against open-interest change, hourly".into(),
            figure: Figure::Scatter(ScatterFigure {
                xs: xs.clone(),
                ys: ys.clone(),
                points_label: "One hour".into(),
                fit: Some(LinearFit {
                    slope: fit.slope,
                    intercept: fit.intercept,
                }),
                fit_label: format!("β = {}, R² = {}", num(fit.slope, 2), num(fit.r_squared, 2)),
                x: Axis::new("Open interest change, %", Unit::Suffix(" %")),
                y: Axis::new("Price change, %", Unit::Suffix(" %")),
            }),
            summary,
            caption: fig_caption,
            table: ChartTable::new(
                &["OI change, %", "Price change, %"],
                xs.iter()
                    .zip(&ys)
                    .rev()
                    .take(200)
                    .map(|(x, y)| vec![num(*x, 3), num(*y, 3)])
                    .collect(),
            ),
        });
    }

    let mut reading = format!(
        "{payer} on {v_name} {asset} paid {} in funding over the last {days} days ({} a year at this pace)",
        usd(total.abs()),
        usd(per_year.abs())
    );
    if let Some(d) = oi_days {
        reading.push_str(&format!(
            "; open interest equals {} days of spot volume",
            num(d, 1)
        ));
    }
    if let Some(fit) = sensitivity {
        reading.push_str(&format!(
            "; each 1 % rise in open interest came with a {} % price {} (R² {})",
            num(fit.slope.abs(), 2),
            if fit.slope >= 0.0 { "rise" } else { "fall" },
            num(fit.r_squared, 2)
        ));
    }
    reading.push('.');

    let mut facts = vec![
        Fact::new(
            "spend-window",
            format!("Funding paid in {days} days"),
            usd(total),
        ),
        Fact::new("spend-year", "A year at this pace", usd(per_year)),
    ];
    if let Some(oi) = latest_oi {
        facts.push(Fact::new("open-interest", "Open interest", usd(oi)));
    }
    if let Some(d) = oi_days {
        facts.push(Fact::new(
            "oi-spot-days",
            "Open interest in days of spot volume",
            num(d, 1),
        ));
    }
    if let Some(fit) = sensitivity {
        facts.push(Fact::new(
            "oi-beta",
            "Price % per 1 % of open interest",
            num(fit.slope, 2),
        ));
        facts.push(Fact::new(
            "r-squared",
            "R² of the fit",
            num(fit.r_squared, 2),
        ));
    }
    let mut notes = Vec::new();
    match spot_venue {
        Some(s) if s != venue => notes.push(format!(
            "{v_name} lists no spot pair in view, so spot volume is {}'s.",
            s.display_name()
        )),
        None => notes.push(format!(
            "No spot volume for {asset} in view: OI ÷ spot volume is left out."
        )),
        _ => {}
    }
    if sensitivity.is_none() {
        notes.push("Too few hourly changes for the price-sensitivity fit.".into());
    }
    Ok(Example {
        reading,
        facts,
        panels,
        notes,
        venues: vec![venue],
    })
}

/// The hourly percent changes the sensitivity fit uses, on the two series' common timestamps.
fn percent_changes(oi_coin: &TimeSeries, price: &TimeSeries) -> (Vec<f64>, Vec<f64>) {
    let (_, columns) = align(&[oi_coin, price]);
    let change = |levels: &[f64]| -> Vec<f64> {
        levels
            .windows(2)
            .map(|w| match w {
                [a, b] if *a > 0.0 => 100.0 * (b / a - 1.0),
                _ => f64::NAN,
            })
            .collect()
    };
    match columns.as_slice() {
        [oi, px] => change(oi)
            .into_iter()
            .zip(change(px))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .unzip(),
        _ => (Vec::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};
    use crate::market::dataset::Origin;
    use crate::market::model::{Candle, FundingRate as Print, OpenInterest};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    #[test]
    fn spend_and_spot_days_match_the_raw_rows() {
        let set = sample_dataset();
        let btc = Asset::btc();
        let from = set.as_of_ms - 30 * DAY_MS;
        let Some(Payload::OpenInterest(oi)) = set.get(Venue::Binance, &btc, Item::OpenInterest)
        else {
            panic!()
        };
        let Some(Payload::Funding(prints)) = set.get(Venue::Binance, &btc, Item::Funding) else {
            panic!()
        };
        let oi_at = |t: i64| oi.iter().rev().find(|r| r.time_ms <= t).and_then(|r| r.usd);
        let total: f64 = prints
            .iter()
            .filter(|p| p.time_ms > from)
            .filter_map(|p| oi_at(p.time_ms).map(|o| p.rate * o))
            .sum();
        let Some(Payload::Candles(spot)) = set.get(Venue::Binance, &btc, Item::SpotCandles) else {
            panic!()
        };
        let spot_24h: f64 = spot
            .iter()
            .filter(|c| c.open_time_ms >= set.as_of_ms - DAY_MS)
            .map(|c| c.volume_base * c.close)
            .sum();
        let days = oi.last().unwrap().usd.unwrap() / spot_24h;
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "spend-window"), usd(total));
        assert_eq!(fact(&e, "oi-spot-days"), num(days, 1));
        assert!(
            e.reading
                .contains(&format!("{} days of spot volume", num(days, 1))),
            "{}",
            e.reading
        );
        assert!(e.panels.iter().any(|p| p.id == "sensitivity"));
    }

    #[test]
    fn a_shorter_window_counts_fewer_payments_and_changes() {
        let set = sample_dataset();
        let rows = |e: &Example, id: &str| {
            e.panels
                .iter()
                .find(|p| p.id == id)
                .map_or(0, |p| p.table.rows.len())
        };
        let month = run_on(&set, &[("venue", "bybit")]).unwrap();
        let week = run_on(&set, &[("venue", "bybit"), ("days", "7")]).unwrap();
        assert_eq!(rows(&month, "spend"), 90);
        assert_eq!(rows(&week, "spend"), 21);
        assert!(rows(&week, "sensitivity") < rows(&month, "sensitivity"));
        assert!(week.reading.contains("last 7 days"), "{}", week.reading);
        assert!(week.notes[0].contains("Binance's"), "{:?}", week.notes);
    }

    /// Leverage Lens glossary, leverage dependency: 0.01 % per 8 h on 10 bn USD of open interest is 1.0 M per
    /// 8 h and 1.095 bn a year; 10 bn of OI over 2.5 bn of daily spot volume is 4.0 days.
    #[test]
    fn glossary_example_through_the_live_example() {
        let as_of = 100 * DAY_MS;
        let mut set = DataSet::empty(Origin::Live, as_of);
        let btc = Asset::btc();
        let start = as_of - 3 * DAY_MS;
        let prints = (0..9)
            .map(|i| Print {
                time_ms: start + (i + 1) * 8 * HOUR_MS,
                rate: 0.0001,
                interval_hours: 8.0,
                mark_price: None,
            })
            .collect();
        let flat = |t: i64, volume_base: f64| Candle {
            open_time_ms: t,
            open: 50_000.0,
            high: 50_000.0,
            low: 50_000.0,
            close: 50_000.0,
            volume_base,
            taker_buy_base: None,
        };
        let hours: Vec<i64> = (0..72).map(|h| start + h * HOUR_MS).collect();
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::Funding,
            Payload::Funding(prints),
        );
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::OpenInterest,
            Payload::OpenInterest(
                hours
                    .iter()
                    .map(|&t| OpenInterest {
                        time_ms: t,
                        base: 200_000.0,
                        usd: None,
                    })
                    .collect(),
            ),
        );
        set.insert(
            Venue::Binance,
            btc.clone(),
            CANDLES,
            Payload::Candles(hours.iter().map(|&t| flat(t - HOUR_MS, 1.0)).collect()),
        );
        // 24 hourly spot bars of 2,083.33 BTC at 50,000: 2.5 bn USD a day.
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::SpotCandles,
            Payload::Candles(
                hours
                    .iter()
                    .map(|&t| flat(t, 2.5e9 / 24.0 / 50_000.0))
                    .collect(),
            ),
        );
        let e = run_on(&set, &[("days", "3")]).unwrap();
        assert_eq!(fact(&e, "spend-window"), "$9.00M");
        assert_eq!(fact(&e, "spend-year"), "$1.09bn");
        assert_eq!(fact(&e, "oi-spot-days"), "4.0");
        // Open interest that never changes leaves the sensitivity undefined, and the live example says so.
        assert!(
            e.notes.iter().any(|n| n.contains("sensitivity")),
            "{:?}",
            e.notes
        );
    }
}
