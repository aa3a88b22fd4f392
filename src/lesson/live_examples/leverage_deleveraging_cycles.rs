//! Leverage Deleveraging Cycles: the forced contraction at the end of each build-up. A flush is a 4-hour drop
//! in coin open interest far steeper than usual (z-score against the past week) while funding snaps back
//! toward neutral; a burst of liquidations confirms it. Each flush is found, marked and listed.

use lens_math::TimeSeries;
use lens_math::annotations::{
    AnnotationLimit, BarLiquidations, LiquidationBursts, OiFlushes, liquidations_per_bar,
};
use lens_math::cycles::{FlushBar, FlushDetector, FlushEvent, FlushInputs};
use lens_math::funding::BINANCE_INTEREST_PER_8H;
use lens_math::market::Side;

use crate::chart::Unit;
use crate::chart::figure::{ChartMarker, ChartSeries, ChartTable, Figure, Panel, TimeChartData};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::read::{
    HOUR_MS, asset, candles, caption, closes, liquidations, open_interest, short_time, venue,
    window_start,
};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::PriceKind;

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
/// Term 13's window (4 hourly bars) and look-back (a week of bars).
const WINDOW: usize = 4;
const LOOKBACK: usize = 168;

const FLUSH_THRESHOLD: ControlSpec = ControlSpec {
    key: "z",
    label: "Flush threshold (z-score of the 4-hour OI change)",
    kind: ControlKind::Number {
        min: 0.5,
        max: 5.0,
        step: 0.1,
        default: Some(2.0),
        unit: "",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS, FLUSH_THRESHOLD];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-deleveraging-cycles",
    controls: CONTROLS,
    needs: &[
        Need::chosen(Item::OpenInterest),
        Need::chosen(CANDLES),
        Need::chosen(Item::Funding),
        Need::chosen(Item::Liquidations),
    ],
    primary: Some(Item::OpenInterest),
    build,
};

/// Bars aligned on the open-interest stamps, oldest first.
struct Bars {
    times: Vec<i64>,
    oi: Vec<f64>,
    price: Vec<f64>,
    funding: Vec<f64>,
    /// Liquidations in the hour ending at each stamp; empty without a feed.
    liquidated: Vec<BarLiquidations>,
}

impl Bars {
    fn inputs<'a>(&'a self, totals: &'a [f64]) -> FlushInputs<'a> {
        FlushInputs {
            times_ms: &self.times,
            open_interest_coin: &self.oi,
            price: &self.price,
            funding_per_8h: &self.funding,
            liquidated_usd: (!self.liquidated.is_empty()).then_some(totals),
        }
    }

    /// USD liquidated on `side` in the detector's window ending at bar `end`.
    fn liquidated_in_window(&self, end: usize, side: Side) -> f64 {
        self.liquidated
            .get((end + 1).saturating_sub(WINDOW)..=end)
            .unwrap_or_default()
            .iter()
            .map(|b| {
                if side == Side::Long {
                    b.long_usd
                } else {
                    b.short_usd
                }
            })
            .sum()
    }
}

/// "Jan 21 14:00".
fn when(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let text = short_time(ms);
    let month = text.get(5..7).and_then(|m| m.parse::<usize>().ok());
    match (
        month.and_then(|m| MONTHS.get(m.wrapping_sub(1))),
        text.get(8..10),
        text.get(11..16),
    ) {
        (Some(m), Some(d), Some(hm)) => format!("{m} {} {hm}", d.trim_start_matches('0')),
        _ => text,
    }
}

fn bars(
    set: &DataSet,
    venue: crate::market::model::Venue,
    asset: &crate::market::model::Asset,
) -> Bars {
    let (times, prices) = closes(&candles(set, venue, asset, i64::MIN));
    let price =
        TimeSeries::from_points_lossy(times.into_iter().zip(prices).filter(|(_, p)| *p > 0.0));
    let rate = crate::lesson::read::funding_per_8h(set, venue, asset, i64::MIN);
    let oi = TimeSeries::from_points_lossy(
        open_interest(set, venue, asset, i64::MIN)
            .iter()
            .filter(|r| r.base > 0.0)
            .map(|r| (r.time_ms, r.base)),
    );
    let mut out = Bars {
        times: Vec::new(),
        oi: Vec::new(),
        price: Vec::new(),
        funding: Vec::new(),
        liquidated: Vec::new(),
    };
    for (t, o) in oi.iter() {
        if let (Some(p), Some(f)) = (price.value_as_of(t), rate.value_as_of(t)) {
            out.times.push(t);
            out.oi.push(o);
            out.price.push(p);
            out.funding.push(f);
        }
    }
    let feed: Vec<_> = liquidations(set, venue, asset, i64::MIN)
        .iter()
        .filter(|l| {
            l.price.is_finite()
                && l.price > 0.0
                && l.quantity_base.is_finite()
                && l.quantity_base >= 0.0
        })
        .map(lens_math::market::Liquidation::from)
        .collect();
    if !feed.is_empty() {
        let opens: Vec<i64> = out.times.iter().map(|t| t - HOUR_MS).collect();
        out.liquidated = liquidations_per_bar(&opens, HOUR_MS, &feed).unwrap_or_default();
    }
    out
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::OpenInterest)?;
    let market = format!("{} {asset}", venue.display_name());
    let bars = bars(set, venue, &asset);
    if bars.times.len() <= WINDOW + LOOKBACK {
        return Err(Unavailable::new(format!(
            "{market} needs more than a week of hourly open interest, prices and funding to tell a flush from an ordinary hour."
        )));
    }
    let k = c.number(&FLUSH_THRESHOLD);
    let detector = FlushDetector::new(WINDOW, LOOKBACK, k, 0.5, 3.0, BINANCE_INTEREST_PER_8H)
        .map_err(|e| Unavailable::new(format!("The detector cannot be set: {e}.")))?;
    let totals: Vec<f64> = bars
        .liquidated
        .iter()
        .map(BarLiquidations::total_usd)
        .collect();
    let inputs = bars.inputs(&totals);
    let broken =
        |e: lens_math::MathError| Unavailable::new(format!("The flushes cannot be found: {e}."));
    let scored: Vec<FlushBar> = detector.bars(&inputs).map_err(broken)?;
    let from = window_start(set, c);
    let events: Vec<FlushEvent> = detector
        .detect(&inputs)
        .map_err(broken)?
        .into_iter()
        .filter(|e| e.annotated.time_ms >= from)
        .collect();
    let flushes = OiFlushes::new(detector, false)
        .detect(&inputs)
        .map_err(broken)?;
    let opens: Vec<i64> = bars.times.iter().map(|t| t - HOUR_MS).collect();
    let feed: Vec<_> = liquidations(set, venue, &asset, i64::MIN)
        .iter()
        .filter(|l| {
            l.price.is_finite()
                && l.price > 0.0
                && l.quantity_base.is_finite()
                && l.quantity_base >= 0.0
        })
        .map(lens_math::market::Liquidation::from)
        .collect();
    let bursts = LiquidationBursts::default()
        .detect(&opens, &feed)
        .unwrap_or_default();
    let price_series =
        TimeSeries::from_points_lossy(bars.times.iter().copied().zip(bars.price.iter().copied()));
    let marks = AnnotationLimit::new(6).map_err(broken)?.apply(
        flushes
            .into_iter()
            .chain(
                bursts
                    .into_iter()
                    .map(|b| lens_math::annotations::Annotation {
                        time_ms: b.time_ms + HOUR_MS,
                        ..b
                    }),
            )
            .filter(|a| a.time_ms >= from),
    );
    let markers = marks
        .into_iter()
        .map(|a| {
            let flush = matches!(
                a.kind,
                lens_math::annotations::AnnotationKind::OiFlush { .. }
            );
            ChartMarker {
                time_ms: a.time_ms,
                value: if flush {
                    Some(a.value)
                } else {
                    price_series.value_as_of(a.time_ms)
                },
                label: a.label,
                term_slug: if flush {
                    "leverage-deleveraging-spiral"
                } else {
                    a.term_slug
                },
                right_axis: !flush,
            }
        })
        .collect();

    let side_word = |s: Option<Side>| match s {
        Some(Side::Long) => "longs",
        Some(Side::Short) => "shorts",
        None => "positions",
    };
    let funding_at = |i: usize| bars.funding.get(i).copied();
    let rows = events
        .iter()
        .rev()
        .map(|e| {
            let i = e.annotated_index;
            let side = e.side.unwrap_or(Side::Long);
            vec![
                short_time(e.annotated.time_ms),
                e.annotated.oi_change.map_or("–".into(), |v| pct(v, 1)),
                e.annotated.z.map_or("–".into(), |v| num(v, 1)),
                usd(bars.liquidated_in_window(i, side)),
                format!(
                    "{} → {}",
                    i.checked_sub(WINDOW)
                        .and_then(funding_at)
                        .map_or("–".into(), |f| pct(f, 3)),
                    funding_at(i).map_or("–".into(), |f| pct(f, 3))
                ),
                side_word(e.side).to_string(),
                if e.confirmed { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    let shown = |values: &[f64]| -> (Vec<i64>, Vec<f64>) {
        bars.times
            .iter()
            .zip(values)
            .filter(|(t, _)| **t >= from)
            .map(|(t, v)| (*t, *v))
            .unzip()
    };
    let (oi_times, oi_values) = shown(&bars.oi);
    let (price_times, price_values) = shown(&bars.price);
    let venues = vec![venue];
    let count = events.len();
    let panel = Panel {
        id: "flushes",
        title: "Open interest and price, with the deleveraging flushes".into(),
        figure: Figure::Time(TimeChartData {
            series: vec![
                ChartSeries {
                    label: format!("Open interest, {asset}"),
                    times_ms: oi_times,
                    values: oi_values,
                    area: true,
                    right_axis: false,
                },
                ChartSeries {
                    label: "Price".into(),
                    times_ms: price_times,
                    values: price_values,
                    area: false,
                    right_axis: true,
                },
            ],
            y_label: format!("Open interest, {asset}"),
            y_unit: Unit::Compact,
            y2: Some(("Price, USD".into(), Unit::Usd)),
            markers,
            caption: caption(
                set,
                &venues,
                "Hourly open interest and last price; flushes and liquidation bursts marked",
            ),
            summary: format!(
                "{market} open interest and price with {count} deleveraging flushes marked."
            ),
        }),
        summary: format!(
            "{count} flushes on {market} in {} days at a z threshold of {}.",
            c.days(),
            num(k, 1)
        ),
        caption: caption(
            set,
            &venues,
            "Flush: 4-hour OI change z ≤ −threshold against the past week, with funding back toward 0.01 %/8 h",
        ),
        table: ChartTable::new(
            &[
                "Time (UTC)",
                "OI change, 4 h",
                "z",
                "Liquidated (flushed side), 4 h",
                "Funding per 8 h",
                "Flushed",
                "Confirmed",
            ],
            rows,
        ),
    };

    let largest = events.iter().min_by(|a, b| {
        a.annotated
            .oi_change
            .unwrap_or(0.0)
            .total_cmp(&b.annotated.oi_change.unwrap_or(0.0))
    });
    let plural = if count == 1 { "" } else { "es" };
    let (reading, largest_drop) = match largest {
        Some(e) => {
            let i = e.annotated_index;
            let drop = e.annotated.oi_change.unwrap_or(0.0);
            let (before, after) = (i.checked_sub(WINDOW).and_then(funding_at), funding_at(i));
            let funding_part = match (before, after) {
                (Some(b), Some(a)) => format!(
                    " and funding {} from {} to {} per 8 h",
                    if a < b { "fell" } else { "went" },
                    pct(b, 2),
                    pct(a, 2)
                ),
                _ => String::new(),
            };
            let liquidated = if bars.liquidated.is_empty() {
                String::new()
            } else {
                format!(
                    " while {} of {} were liquidated",
                    usd(bars.liquidated_in_window(i, e.side.unwrap_or(Side::Long))),
                    side_word(e.side)
                )
            };
            (
                format!(
                    "{count} deleveraging flush{plural} on {market} in {} days; the largest, on {}, cut open interest {} in 4 h{liquidated}{funding_part}.",
                    c.days(),
                    when(e.annotated.time_ms),
                    pct(-drop, 1)
                ),
                Some(drop),
            )
        }
        None => {
            let steepest = scored
                .iter()
                .filter(|b| b.time_ms >= from)
                .filter_map(|b| Some((b.oi_change?, b.z?)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let detail = steepest.map_or(String::new(), |(r, z)| {
                format!(
                    ": the sharpest 4-hour change in open interest was {} (z {})",
                    pct(r, 1),
                    num(z, 1)
                )
            });
            (
                format!(
                    "No deleveraging flush on {market} in {} days at a z threshold of {}{detail}.",
                    c.days(),
                    num(k, 1)
                ),
                None,
            )
        }
    };
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("flushes", "Flushes in the window", count.to_string()),
            Fact::new(
                "confirmed",
                "Confirmed by a liquidation burst",
                events.iter().filter(|e| e.confirmed).count().to_string(),
            ),
            Fact::new(
                "largest-drop",
                "Largest 4-hour OI drop in a flush",
                largest_drop.map_or("–".into(), |d| pct(-d, 2)),
            ),
            Fact::new("threshold", "z threshold", format!("−{}", num(k, 1))),
        ],
        panels: vec![panel],
        notes: if bars.liquidated.is_empty() {
            vec![format!(
                "{market} has no liquidation feed in view: flushes cannot be confirmed."
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
    use crate::lesson::testing::{controls, fact};
    use crate::market::model::{Asset, PositionSide, Venue};
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    /// The largest flush's drop and liquidations, recomputed from the raw rows: OI at the marked hour over OI
    /// four rows earlier, and long liquidations (price × quantity) in the four hours before the mark.
    #[test]
    fn the_largest_flush_is_read_from_the_rows() {
        let set = sample_dataset();
        let e = run(&[]);
        let marked = &e.panels[0].table.rows.iter().min_by(|a, b| {
            let p = |s: &str| {
                s.trim_end_matches(" %")
                    .replace('−', "-")
                    .parse::<f64>()
                    .unwrap()
            };
            p(&a[1]).total_cmp(&p(&b[1]))
        });
        let row = marked.unwrap();
        let oi = open_interest(&set, Venue::Binance, &Asset::btc(), i64::MIN);
        let at = oi
            .iter()
            .position(|r| short_time(r.time_ms) == row[0])
            .unwrap();
        let drop = oi[at].base / oi[at - 4].base - 1.0;
        assert_eq!(fact(&e, "largest-drop"), pct(-drop, 2));
        let t = oi[at].time_ms;
        let longs: f64 = liquidations(&set, Venue::Binance, &Asset::btc(), i64::MIN)
            .iter()
            .filter(|l| {
                l.side == PositionSide::Long && l.time_ms >= t - 4 * HOUR_MS && l.time_ms < t
            })
            .map(|l| l.price * l.quantity_base)
            .sum();
        if row[5] == "longs" {
            assert_eq!(row[3], usd(longs));
        }
        assert!(
            e.reading
                .contains(&format!("cut open interest {} in 4 h", pct(-drop, 1))),
            "{}",
            e.reading
        );
    }

    #[test]
    fn a_lower_threshold_finds_more_flushes() {
        let n = |z: &str| fact(&run(&[("z", z)]), "flushes").parse::<usize>().unwrap();
        assert!(n("1") >= n("2") && n("2") >= n("3"));
        assert!(n("1") > n("3"));
        assert!(
            run(&[("z", "5")])
                .reading
                .starts_with("No deleveraging flush")
                || n("5") > 0
        );
    }
}
