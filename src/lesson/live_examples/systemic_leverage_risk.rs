//! Systemic Leverage Risk: one price shock hits every venue at once. The longs on each venue (its open
//! interest, spread over an assumed leverage mix) are liquidated where the drop crosses their liquidation
//! price, the forced sales push the price lower and liquidate more. The sales meet the books' bids within
//! 1 %, refilled while they run ([`BOOK_RESILIENCE`]). Beside it, how stretched the market is
//! today: aggregate funding and open interest as z-scores against their own past week.

use lens_math::TimeSeries;
use lens_math::spiral::{
    BOOK_RESILIENCE, SystemicStressTest, leverage_buckets, long_liquidation_drop,
};
use lens_math::stats::RollingZScore;

use crate::chart::Tone;
use crate::chart::Unit;
use crate::chart::figure::{
    Axis, ChartMarker, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel,
    TimeChartData,
};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS};
use crate::lesson::read::{
    FALLBACK_DEPTH_SHARE, asset, book, caption, names, oi_usd, short_time, window_start,
};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, OrderBookSnapshot, PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
const MMR: f64 = 0.005;
/// A week of hourly points: long enough for a stable spread, short enough to fit a month of history.
const Z_WINDOW: usize = 168;
/// Relative leverages and notional weights of the assumed mix; scaled so that total notional ÷ total margin
/// equals the leverage control.
const MIX_SHAPE: [(f64, f64); 4] = [(0.5, 0.3), (1.0, 0.35), (2.0, 0.25), (5.0, 0.1)];

const SHOCK: ControlSpec = ControlSpec {
    key: "shock",
    label: "Price shock",
    kind: ControlKind::Number {
        min: 1.0,
        max: 50.0,
        step: 1.0,
        default: Some(10.0),
        unit: "%",
    },
};

const LEVERAGE: ControlSpec = ControlSpec {
    key: "lev",
    label: "Average leverage of longs",
    kind: ControlKind::Number {
        min: 1.0,
        max: 50.0,
        step: 1.0,
        default: Some(10.0),
        unit: "×",
    },
};

const CONTROLS: &[ControlSpec] = &[ASSET, DAYS, SHOCK, LEVERAGE];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "systemic-leverage-risk",
    controls: CONTROLS,
    needs: &[
        Need::all(Item::OpenInterest),
        Need::all(Item::Funding),
        Need::all(CANDLES),
        Need::all(Item::Book),
    ],
    primary: None,
    build,
};

/// One leverage bucket of one venue, with what its liquidation costs.
struct Bucket {
    venue: usize,
    trigger: f64,
    notional: f64,
    margin: f64,
}

/// The leverage mix for an average leverage `lev`: `(L_i, w_i)` with `Σ w_i / L_i = 1 / lev`.
fn leverage_mix(lev: f64) -> Vec<(f64, f64)> {
    let scale: f64 = MIX_SHAPE.iter().map(|(k, w)| w / k).sum();
    MIX_SHAPE
        .iter()
        .map(|(k, w)| ((lev * k * scale).clamp(1.0, 125.0), *w))
        .collect()
}

/// `usd`, with a plain "$0" for nothing at all.
fn dollars(v: f64) -> String {
    if v == 0.0 { "$0".into() } else { usd(v) }
}

/// USD of bids within 1 % of the mid: the selling that moves the price 1 %.
fn bids_within_1pct(book: &OrderBookSnapshot) -> Option<f64> {
    let mid = (book.bids.first()?.price + book.asks.first()?.price) / 2.0;
    let usd: f64 = book
        .bids
        .iter()
        .filter(|l| l.size.is_finite() && l.size > 0.0 && l.price >= mid * 0.99)
        .map(|l| l.price * l.size)
        .sum();
    (usd.is_finite() && usd > 0.0).then_some(usd)
}

/// Forced sales, margin lost per venue and the final drop for one shock.
fn stress(
    test: &SystemicStressTest,
    buckets: &[Bucket],
    venues: usize,
    shock: f64,
) -> Result<(f64, Vec<f64>, f64), Unavailable> {
    let perps: Vec<_> = buckets
        .iter()
        .map(|b| lens_math::spiral::LeverageBucket {
            leverage: b.notional / b.margin,
            long_notional_usd: b.notional,
        })
        .collect();
    let outcome = test
        .run(shock, &perps, &[])
        .map_err(|e| Unavailable::new(format!("The stress test cannot run: {e}.")))?;
    // Drops only grow from round to round, so the last round's drop is the deepest any trigger was compared with.
    let deepest = outcome.rounds.last().map_or(0.0, |r| r.cumulative_drop);
    let mut wiped = vec![0.0; venues];
    for b in buckets.iter().filter(|b| b.trigger <= deepest) {
        if let Some(w) = wiped.get_mut(b.venue) {
            *w += b.margin;
        }
    }
    Ok((
        outcome.total_forced_usd,
        wiped,
        1.0 - outcome.final_price_index,
    ))
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let (shock, lev) = (c.number(&SHOCK) / 100.0, c.number(&LEVERAGE));
    let mix = leverage_mix(lev);
    let mut venues = Vec::new();
    let mut oi_series = Vec::new();
    let mut buckets = Vec::new();
    let mut depth = 0.0;
    let mut fallback_depth = Vec::new();
    for venue in set.venues_with(&asset, Item::OpenInterest) {
        let series = oi_usd(set, venue, &asset, i64::MIN);
        let Some((_, exposure)) = series.last() else {
            continue;
        };
        let Ok(split) = leverage_buckets(exposure, &mix) else {
            continue;
        };
        for b in split {
            let Ok(trigger) = long_liquidation_drop(b.leverage, MMR) else {
                continue;
            };
            buckets.push(Bucket {
                venue: venues.len(),
                trigger,
                notional: b.long_notional_usd,
                margin: b.long_notional_usd / b.leverage,
            });
        }
        depth += match book(set, venue, &asset).as_ref().and_then(bids_within_1pct) {
            Some(d) => d,
            None => {
                fallback_depth.push(venue);
                exposure * FALLBACK_DEPTH_SHARE
            }
        };
        venues.push(venue);
        oi_series.push(series);
    }
    if venues.is_empty() {
        return Err(Unavailable::new(format!(
            "No venue in view has usable open interest for {asset}."
        )));
    }
    let test = SystemicStressTest::new(MMR, depth * BOOK_RESILIENCE)
        .map_err(|e| Unavailable::new(format!("The stress test cannot run: {e}.")))?;
    let exposure: f64 = buckets.iter().map(|b| b.notional).sum();
    let avg_lev = exposure / buckets.iter().map(|b| b.margin).sum::<f64>();
    let (forced, wiped, final_drop) = stress(&test, &buckets, venues.len(), shock)?;
    let wiped_total: f64 = wiped.iter().sum();

    let shocks: Vec<f64> = (1..=50).map(|s| f64::from(s) / 100.0).collect();
    let mut curve_wiped = vec![Vec::new(); venues.len()];
    let mut curve_forced = Vec::new();
    let mut rows = Vec::new();
    for &s in &shocks {
        let (f, w, d) = stress(&test, &buckets, venues.len(), s)?;
        for (line, v) in curve_wiped.iter_mut().zip(&w) {
            line.push(*v);
        }
        curve_forced.push(f);
        let mut row = vec![pct(s, 0)];
        row.extend(w.iter().map(|v| usd(*v)));
        row.extend([usd(f), pct(d, 1)]);
        rows.push(row);
    }
    let xs: Vec<f64> = shocks.iter().map(|s| s * 100.0).collect();
    let mut curves: Vec<CurveLine> = venues
        .iter()
        .zip(curve_wiped)
        .map(|(v, ys)| CurveLine {
            label: format!("Margin wiped out, {}", v.display_name()),
            xs: xs.clone(),
            ys,
        })
        .collect();
    curves.push(CurveLine {
        label: "Forced sales, all venues".into(),
        xs: xs.clone(),
        ys: curve_forced,
    });
    let mut headers = vec!["Shock".to_string()];
    headers.extend(
        venues
            .iter()
            .map(|v| format!("Margin wiped, {}", v.display_name())),
    );
    headers.extend(["Forced sales".to_string(), "Final drop".to_string()]);
    let across = names(&venues);
    let stress_panel = Panel {
        id: "stress",
        title: "Margin wiped out and forced sales against the size of the shock".into(),
        figure: Figure::Curve(CurveFigure {
            curves,
            markers: vec![CurveMarker {
                x: shock * 100.0,
                label: format!("{} shock", pct(shock, 0)),
                tone: Tone::Short,
            }],
            x: Axis::new("Price shock, %", Unit::Suffix("%")),
            y: Axis::new("USD", Unit::Usd),
            zero_line: false,
        }),
        summary: format!(
            "A {} drop in {asset} liquidates longs across {across} (average leverage {}×), wiping out {} of margin and forcing {} of sales.",
            pct(shock, 0),
            num(avg_lev, 1),
            usd(wiped_total),
            usd(forced)
        ),
        caption: caption(
            set,
            &venues,
            &format!(
                "Stress test on open interest with an assumed leverage mix; depth from the order books, refilled {}× while the sales run",
                num(BOOK_RESILIENCE, 0)
            ),
        ),
        table: ChartTable { headers, rows },
    };

    let z = aggregate_z_scores(set, &asset, &venues, &oi_series);
    let mut notes = Vec::new();
    if !fallback_depth.is_empty() {
        notes.push(format!(
            "{} has no usable order book for {asset}: its depth is assumed at {} of its open interest per 1 %.",
            names(&fallback_depth),
            pct(FALLBACK_DEPTH_SHARE, 1)
        ));
    }
    let mut facts = vec![
        Fact::new(
            "long-exposure",
            "Long exposure (open interest)",
            usd(exposure),
        ),
        Fact::new("margin-wiped", "Margin wiped out", dollars(wiped_total)),
        Fact::new("forced-sales", "Forced sales", dollars(forced)),
        Fact::new("final-drop", "Drop after forced sales", pct(final_drop, 1)),
    ];
    let mut reading = if forced > 0.0 {
        format!(
            "A {} drop in {asset} would wipe out {} of margin across {across} and force {} of sales, taking the price {} down",
            pct(shock, 0),
            usd(wiped_total),
            usd(forced),
            pct(final_drop, 1)
        )
    } else {
        let nearest = buckets
            .iter()
            .map(|b| b.trigger)
            .fold(f64::INFINITY, f64::min);
        format!(
            "A {} drop in {asset} would liquidate no longs across {across}: at {}× average leverage the most levered longs go only after a {} drop",
            pct(shock, 0),
            num(avg_lev, 0),
            pct(nearest, 1)
        )
    };
    let mut panels = vec![stress_panel];
    match z.and_then(|series| z_panel(set, c, &asset, &venues, series)) {
        Some((panel, funding_z, oi_z)) => {
            reading.push_str(&format!(
                "; aggregate funding is {} standard deviations {} its 7-day mean, open interest {}.",
                num(funding_z.abs(), 1),
                if funding_z >= 0.0 { "above" } else { "below" },
                num(oi_z, 1)
            ));
            facts.push(Fact::new(
                "funding-z",
                "Funding z-score (7 days)",
                num(funding_z, 2),
            ));
            facts.push(Fact::new(
                "oi-z",
                "Open interest z-score (7 days)",
                num(oi_z, 2),
            ));
            panels.push(panel);
        }
        None => {
            reading.push('.');
            notes.push(format!(
                "Too little funding and open interest history for {asset} to score today against the past week."
            ));
        }
    }
    Ok(Example {
        reading,
        facts,
        panels,
        notes,
        venues,
    })
}

/// Hourly aggregate open interest (sum, USD) and OI-weighted funding per 8 h, each as a z-score against the
/// week before it (today excluded, so a spike does not soften its own score).
fn aggregate_z_scores(
    set: &DataSet,
    asset: &Asset,
    venues: &[Venue],
    oi: &[TimeSeries],
) -> Option<(TimeSeries, TimeSeries)> {
    let funding: Vec<TimeSeries> = venues
        .iter()
        .map(|v| crate::lesson::read::funding_per_8h(set, *v, asset, i64::MIN))
        .collect();
    let mut grid: Vec<i64> = oi.iter().flat_map(|s| s.times_ms().to_vec()).collect();
    lens_math::sort::sort(&mut grid);
    grid.dedup();
    let (mut total, mut weighted) = (Vec::new(), Vec::new());
    for t in grid {
        let at: Option<Vec<f64>> = oi.iter().map(|s| s.value_as_of(t)).collect();
        let Some(at) = at else { continue };
        let (mut sum, mut fw, mut w) = (0.0, 0.0, 0.0);
        for (o, f) in at.iter().zip(&funding) {
            sum += o;
            if let Some(rate) = f.value_as_of(t) {
                (fw, w) = (fw + rate * o, w + o);
            }
        }
        total.push((t, sum));
        if w > 0.0 {
            weighted.push((t, fw / w));
        }
    }
    let z = RollingZScore::excluding_current(Z_WINDOW).ok()?;
    let oi_z = z.apply(&TimeSeries::from_points_lossy(total)).ok()?;
    let funding_z = z.apply(&TimeSeries::from_points_lossy(weighted)).ok()?;
    (!oi_z.is_empty() && !funding_z.is_empty()).then_some((funding_z, oi_z))
}

fn z_panel(
    set: &DataSet,
    c: &crate::lesson::Controls,
    asset: &Asset,
    venues: &[Venue],
    (funding_z, oi_z): (TimeSeries, TimeSeries),
) -> Option<(Panel, f64, f64)> {
    let from = window_start(set, c);
    let (funding_z, oi_z) = (
        funding_z.between(from, i64::MAX),
        oi_z.between(from, i64::MAX),
    );
    let (_, f_now) = funding_z.last()?;
    let (_, o_now) = oi_z.last()?;
    let mut markers: Vec<ChartMarker> = Vec::new();
    for (series, what, slug) in [
        (&funding_z, "funding", "leverage-skew"),
        (&oi_z, "open interest", "systemic-leverage"),
    ] {
        if let Some((t, v)) = series.iter().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            && v.abs() >= 2.0
        {
            markers.push(ChartMarker {
                time_ms: t,
                value: Some(v),
                label: format!("{what} z {}", num(v, 1)),
                term_slug: slug,
                right_axis: false,
            });
        }
    }
    let rows = funding_z
        .times_ms()
        .iter()
        .zip(funding_z.values())
        .rev()
        .take(200)
        .map(|(&t, &f)| {
            vec![
                short_time(t),
                num(f, 2),
                oi_z.value_as_of(t).map_or("–".into(), |o| num(o, 2)),
            ]
        })
        .collect();
    let line = |label: &str, s: &TimeSeries| ChartSeries {
        label: label.into(),
        times_ms: s.times_ms().to_vec(),
        values: s.values().to_vec(),
        area: false,
        right_axis: false,
    };
    let panel = Panel {
        id: "extremes",
        title: "Aggregate funding and open interest against the past week".into(),
        figure: Figure::Time(TimeChartData {
            series: vec![
                line("Funding z-score (OI-weighted)", &funding_z),
                line("Open interest z-score (sum)", &oi_z),
            ],
            y_label: "Standard deviations from the 7-day mean".into(),
            y_unit: Unit::Plain,
            y2: None,
            markers,
            caption: caption(
                set,
                venues,
                "Hourly z-scores against the previous 168 hours",
            ),
            summary: format!(
                "Aggregate {asset} funding across {} scores {} and open interest {} against their past week.",
                names(venues),
                num(f_now, 1),
                num(o_now, 1)
            ),
        }),
        summary: format!(
            "Funding z-score {} and open interest z-score {} for {asset} across {}.",
            num(f_now, 1),
            num(o_now, 1),
            names(venues)
        ),
        caption: caption(
            set,
            venues,
            "Hourly z-scores against the previous 168 hours",
        ),
        table: ChartTable::new(&["Time (UTC)", "Funding z", "Open interest z"], rows),
    };
    Some((panel, f_now, o_now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact, last_oi_usd};
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    /// The exposure is the sum of each venue's last open interest in USD, read straight from the rows.
    #[test]
    fn exposure_is_the_sum_of_the_venues_open_interest() {
        let set = sample_dataset();
        let total: f64 = [Venue::Binance, Venue::Bybit, Venue::Hyperliquid]
            .iter()
            .map(|v| last_oi_usd(&set, *v, &Asset::btc()))
            .sum();
        let e = run(&[]);
        assert_eq!(fact(&e, "long-exposure"), usd(total));
        assert!(
            e.reading.contains("across Binance, Bybit and Hyperliquid"),
            "{}",
            e.reading
        );
        assert!(e.reading.contains("standard deviations"), "{}", e.reading);
    }

    /// The mix keeps total notional ÷ total margin at the control: Σ w/L = 1/lev (weights sum to 1).
    #[test]
    fn the_leverage_mix_averages_to_the_control() {
        let inverse: f64 = leverage_mix(10.0).iter().map(|(l, w)| w / l).sum();
        assert!((1.0 / inverse - 10.0).abs() < 1e-9);
    }

    fn money(s: &str) -> f64 {
        let s = s.trim_start_matches('$').replace(',', "");
        if s == "0" {
            return 0.0;
        }
        let (n, scale) = if let Some(n) = s.strip_suffix("bn") {
            (n.to_string(), 1e9)
        } else if let Some(n) = s.strip_suffix('M') {
            (n.to_string(), 1e6)
        } else {
            (s, 1.0)
        };
        n.parse::<f64>().unwrap() * scale
    }

    /// One 10× bucket of $1,000 with $1,000 of bids per 1 %: a 10 % shock crosses its 9.55 % trigger
    /// (`long_liquidation_drop` docs, MMR 0.5 %), wipes out its $100 margin and sells $1,000, which moves the
    /// price a further 1 %: 1 − 0.9 × 0.99 = 10.9 %.
    #[test]
    fn one_bucket_worked_example() {
        let test = SystemicStressTest::new(MMR, 1_000.0).unwrap();
        let bucket = Bucket {
            venue: 0,
            trigger: long_liquidation_drop(10.0, MMR).unwrap(),
            notional: 1_000.0,
            margin: 100.0,
        };
        let (forced, wiped, drop) = stress(&test, &[bucket], 1, 0.10).unwrap();
        assert_eq!((forced, wiped), (1_000.0, vec![100.0]));
        assert!((drop - 0.109).abs() < 1e-12, "{drop}");
        let (forced, wiped, _) = stress(
            &test,
            &[Bucket {
                venue: 0,
                trigger: 0.0955,
                notional: 1_000.0,
                margin: 100.0,
            }],
            1,
            0.09,
        )
        .unwrap();
        assert_eq!((forced, wiped), (0.0, vec![0.0]));
    }

    #[test]
    fn a_bigger_shock_or_more_leverage_forces_more_sales() {
        let base = money(&fact(&run(&[]), "forced-sales"));
        let deeper = money(&fact(&run(&[("shock", "25")]), "forced-sales"));
        let levered = money(&fact(&run(&[("lev", "25")]), "forced-sales"));
        let gentle = money(&fact(&run(&[("shock", "2"), ("lev", "2")]), "forced-sales"));
        assert!(deeper > base && levered > base, "{base} {deeper} {levered}");
        assert_eq!(gentle, 0.0);
    }
}
