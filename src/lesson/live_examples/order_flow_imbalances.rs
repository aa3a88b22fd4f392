//! Order Flow Imbalances: who trades aggressively and how the book changes. Order-flow imbalance (Cont,
//! Kukanov & Stoikov) from best-quote snapshots with its price-impact regression; taker buy/sell imbalance
//! and cumulative volume delta from taker volume; depth imbalance and weighted mid from the order book.

use lens_math::TimeSeries;
use lens_math::flow::{
    DepthImbalance, OfiRegression, OrderFlowImbalance, cumulative_volume_delta, taker_imbalance,
    weighted_mid,
};
use lens_math::market::{Bar, BestQuote, BookLevel, OrderBook};
use lens_math::series::align;

use crate::chart::figure::{
    Axis, BarsFigure, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel,
    ScatterFigure, TimeChartData,
};
use crate::chart::{LinearFit, Tone, Unit};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::dashboard::signed_num;
use crate::lesson::read::close_series;
use crate::lesson::read::{self, HOUR_MS, asset, caption, short_time, venue, window_start};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, PriceKind, Venue};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};
/// Depth counted within ±0.5 % of the mid (the band is a free choice; it is stated with the number).
const DEPTH_BAND: f64 = 0.005;

const BUCKET: ControlSpec = ControlSpec {
    key: "bucket",
    label: "OFI bucket",
    kind: ControlKind::Choice {
        options: &[("1", "1 minute"), ("5", "5 minutes"), ("15", "15 minutes")],
        default: "5",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS, BUCKET];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "order-flow-imbalances",
    controls: CONTROLS,
    needs: &[
        Need::chosen(Item::Taker),
        Need::chosen(Item::Quotes),
        Need::chosen(Item::Book),
        Need::chosen(CANDLES),
    ],
    primary: Some(Item::Taker),
    build,
};

/// The price step of the quotes: the narrowest spread seen, snapped to 1, 2 or 5 × a power of ten.
fn tick_size(quotes: &[BestQuote]) -> Option<f64> {
    let spread = quotes
        .iter()
        .map(|q| q.ask_price - q.bid_price)
        .filter(|s| *s > 0.0)
        .fold(f64::INFINITY, f64::min);
    if !spread.is_finite() {
        return None;
    }
    let magnitude = 10f64.powf(spread.log10().floor());
    let distance = |t: f64| (t.ln() - spread.ln()).abs();
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .min_by(|a, b| distance(*a).total_cmp(&distance(*b)))
}

/// A price to the cent: the weighted mid sits within half a spread of the mid.
fn price(v: f64) -> String {
    format!("${}", num(v, 2))
}

/// Three significant digits: `3.21`, `0.0456`, `1,240`.
fn sig(v: f64) -> String {
    let decimals = if v == 0.0 || !v.is_finite() {
        2
    } else {
        (2.0 - v.abs().log10().floor()).clamp(0.0, 6.0) as usize
    };
    num(v, decimals)
}

struct Ofi {
    times: Vec<i64>,
    ofi: Vec<f64>,
    ticks: Vec<f64>,
    fit: OfiRegression,
    tick: f64,
    span_hours: f64,
}

fn order_flow(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    from: i64,
    bucket_ms: i64,
) -> Result<Ofi, String> {
    let quotes: Vec<BestQuote> = read::quotes(set, venue, asset)
        .iter()
        .filter(|q| q.time_ms >= from)
        .map(BestQuote::from)
        .filter(|q| {
            [q.bid_price, q.ask_price, q.bid_size, q.ask_size]
                .iter()
                .all(|v| v.is_finite() && *v >= 0.0)
                && q.bid_price > 0.0
                && q.bid_price < q.ask_price
        })
        .collect();
    let (Some(first), Some(last)) = (quotes.first(), quotes.last()) else {
        return Err("no best quotes are in view (live data has them only from streams)".into());
    };
    let span_hours = (last.time_ms - first.time_ms) as f64 / HOUR_MS as f64;
    let tick = tick_size(&quotes).ok_or("the quotes show no spread to read a tick from")?;
    let series = OrderFlowImbalance::new(bucket_ms, tick)
        .and_then(|o| o.compute(&quotes))
        .map_err(|e| format!("the order-flow imbalance cannot be computed ({e})"))?;
    let fit = series
        .regression()
        .map_err(|e| format!("the price-impact regression cannot be fitted ({e})"))?;
    let (times, mut columns) = align(&[&series.ofi, &series.mid_change_ticks]);
    let ticks = columns.pop().unwrap_or_default();
    let ofi = columns.pop().unwrap_or_default();
    Ok(Ofi {
        times,
        ofi,
        ticks,
        fit,
        tick,
        span_hours,
    })
}

struct Taker {
    cvd: TimeSeries,
    imbalance: TimeSeries,
    buy_share: f64,
}

/// Taker rows as bars: they carry no price, and the taker measures read only the volumes.
fn taker_flow(set: &DataSet, venue: Venue, asset: &Asset, from: i64) -> Option<Taker> {
    let mut rows: Vec<_> = read::taker(set, venue, asset, from)
        .into_iter()
        .filter(|r| {
            r.buy_base.is_finite()
                && r.sell_base.is_finite()
                && r.buy_base >= 0.0
                && r.sell_base >= 0.0
        })
        .collect();
    lens_math::sort::sort_by_key(&mut rows, |r| r.time_ms);
    rows.dedup_by_key(|r| r.time_ms);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            open_time_ms: r.time_ms,
            open: 1.0,
            high: 1.0,
            low: 1.0,
            close: 1.0,
            volume: r.buy_base + r.sell_base,
            taker_buy_volume: r.buy_base,
        })
        .collect();
    let (buy, total) = bars.iter().fold((0.0, 0.0), |(b, t), bar| {
        (b + bar.taker_buy_volume, t + bar.volume)
    });
    let buy_share = buy / total;
    if !buy_share.is_finite() {
        return None;
    }
    Some(Taker {
        cvd: cumulative_volume_delta(&bars).ok()?,
        imbalance: taker_imbalance(&bars).ok()?,
        buy_share,
    })
}

struct Book {
    bids: Vec<BookLevel>,
    asks: Vec<BookLevel>,
    depth_imbalance: f64,
    mid: f64,
    weighted_mid: f64,
}

fn book_reading(set: &DataSet, venue: Venue, asset: &Asset) -> Option<Book> {
    let snapshot = read::book(set, venue, asset)?;
    let book = OrderBook {
        time_ms: snapshot.time_ms,
        bids: snapshot.bids.iter().map(BookLevel::from).collect(),
        asks: snapshot.asks.iter().map(BookLevel::from).collect(),
    };
    let depth_imbalance = DepthImbalance::new(DEPTH_BAND).ok()?.compute(&book).ok()?;
    let (bid, ask) = (book.bids.first()?, book.asks.first()?);
    let top = BestQuote {
        time_ms: book.time_ms,
        bid_price: bid.price,
        bid_size: bid.size,
        ask_price: ask.price,
        ask_size: ask.size,
    };
    Some(Book {
        weighted_mid: weighted_mid(&top).ok()?,
        mid: top.mid(),
        depth_imbalance,
        bids: book.bids,
        asks: book.asks,
    })
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::Taker)?;
    let (from, days) = (window_start(set, c), c.days());
    let bucket: i64 = c.choice(&BUCKET).parse().unwrap_or(5);
    let where_ = format!("{} {asset}", venue.display_name());
    let ofi = order_flow(set, venue, &asset, from, bucket * 60_000);
    let taker = taker_flow(set, venue, &asset, from);
    let book = book_reading(set, venue, &asset);
    if ofi.is_err() && taker.is_none() && book.is_none() {
        return Err(Unavailable::new(format!(
            "{where_} has no usable quotes, taker volume or order book in the last {days} days."
        )));
    }
    let mut notes = Vec::new();
    let mut clauses = Vec::new();
    let mut panels = Vec::new();
    match &ofi {
        Ok(o) => {
            notes.push(format!(
                "Mid changes are counted in ticks of ${}, the narrowest spread quoted.",
                num(o.tick, (-o.tick.log10().floor()).max(0.0) as usize)
            ));
            panels.push(ofi_panel(set, venue, &asset, o, bucket));
        }
        Err(why) => notes.push(format!(
            "The order-flow imbalance panel is left out: {why}."
        )),
    }
    if let Some(t) = &taker {
        let cvd = t.cvd.last().map_or(0.0, |(_, v)| v);
        clauses.push(format!(
            "over the last {days} days takers bought {} of volume (CVD {} {asset})",
            pct(t.buy_share, 0),
            signed_num(cvd, 0)
        ));
        panels.push(cvd_panel(set, venue, &asset, t, from));
        panels.push(imbalance_panel(set, venue, t));
    } else {
        notes.push(format!(
            "{where_} has no usable taker volume in the window."
        ));
    }
    if let Some(b) = &book {
        let side = if b.depth_imbalance >= 0.0 {
            "bid"
        } else {
            "ask"
        };
        clauses.push(format!(
            "the book now leans {} to the {side} within ±0.5 % of the mid",
            num(b.depth_imbalance.abs(), 2)
        ));
        panels.push(book_panel(set, venue, &asset, b));
    }
    let reading = match &ofi {
        Ok(o) => format!(
            "Over the last {} h on {where_}, each 1 {asset} of net order-flow imbalance moved the mid by {} ticks (R² {}){}{}.",
            num(o.span_hours, 0),
            sig(o.fit.slope_ticks_per_unit),
            num(o.fit.r_squared, 2),
            if clauses.is_empty() { "" } else { "; " },
            clauses.join("; ")
        ),
        Err(_) => format!("On {where_}, {}.", clauses.join("; ")),
    };
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "–".to_string());
    let fit = ofi.as_ref().ok().map(|o| o.fit);
    Ok(Example {
        reading,
        facts: vec![
            Fact::new(
                "ofi-slope",
                "Mid move per unit of OFI",
                or_dash(fit.map(|f| format!("{} ticks per {asset}", sig(f.slope_ticks_per_unit)))),
            ),
            Fact::new(
                "ofi-r2",
                "R² of the price-impact fit",
                or_dash(fit.map(|f| num(f.r_squared, 2))),
            ),
            Fact::new(
                "taker-buy-share",
                "Taker buy share",
                or_dash(taker.as_ref().map(|t| pct(t.buy_share, 1))),
            ),
            Fact::new(
                "cvd",
                "Cumulative volume delta",
                or_dash(
                    taker
                        .as_ref()
                        .and_then(|t| t.cvd.last())
                        .map(|(_, v)| format!("{} {asset}", signed_num(v, 0))),
                ),
            ),
            Fact::new(
                "depth-imbalance",
                "Depth imbalance (±0.5 %)",
                or_dash(book.as_ref().map(|b| signed_num(b.depth_imbalance, 2))),
            ),
            Fact::new(
                "weighted-mid",
                "Weighted mid",
                or_dash(book.as_ref().map(|b| price(b.weighted_mid))),
            ),
        ],
        panels,
        notes,
        venues: vec![venue],
    })
}

fn ofi_panel(set: &DataSet, venue: Venue, asset: &Asset, o: &Ofi, bucket: i64) -> Panel {
    let f = o.fit;
    let summary = format!(
        "{} {bucket}-minute buckets on {}: order-flow imbalance against the mid-price change in ticks; the fitted line rises {} ticks per {asset} with R² {}.",
        o.ofi.len(),
        venue.display_name(),
        sig(f.slope_ticks_per_unit),
        num(f.r_squared, 2)
    );
    let rows = o
        .times
        .iter()
        .zip(o.ofi.iter().zip(&o.ticks))
        .rev()
        .take(200)
        .map(|(t, (x, y))| vec![short_time(*t), num(*x, 2), num(*y, 1)])
        .collect();
    Panel {
        id: "ofi",
        title: "Order-flow imbalance and the price move".into(),
        figure: Figure::Scatter(ScatterFigure {
            xs: o.ofi.clone(),
            ys: o.ticks.clone(),
            points_label: format!("{bucket}-minute buckets"),
            fit: Some(LinearFit {
                slope: f.slope_ticks_per_unit,
                intercept: f.intercept_ticks,
            }),
            fit_label: format!("OLS fit, R² {}", num(f.r_squared, 2)),
            x: Axis::new(format!("Order-flow imbalance, {asset}"), Unit::Plain),
            y: Axis::new("Mid-price change, ticks", Unit::Plain),
        }),
        summary,
        caption: caption(set, &[venue], "Best-quote snapshots bucketed by time"),
        table: ChartTable::new(&["Bucket end", "OFI", "Mid change, ticks"], rows),
    }
}

fn cvd_panel(set: &DataSet, venue: Venue, asset: &Asset, t: &Taker, from: i64) -> Panel {
    let closes = close_series(set, venue, asset).between(from, i64::MAX);
    let (lo, hi) = t
        .cvd
        .values()
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let summary = format!(
        "Cumulative taker buy minus sell volume on {}, between {} and {} {asset}, with the price on the right axis.",
        venue.display_name(),
        num(lo, 0),
        num(hi, 0)
    );
    let rows = t
        .cvd
        .times_ms()
        .iter()
        .zip(t.cvd.values())
        .rev()
        .take(200)
        .map(|(time, v)| vec![short_time(*time), num(*v, 1)])
        .collect();
    let mut series = vec![ChartSeries {
        label: format!("CVD, {asset}"),
        times_ms: t.cvd.times_ms().to_vec(),
        values: t.cvd.values().to_vec(),
        area: true,
        right_axis: false,
    }];
    if !closes.is_empty() {
        series.push(ChartSeries {
            label: format!("{asset} price"),
            times_ms: closes.times_ms().to_vec(),
            values: closes.values().to_vec(),
            area: false,
            right_axis: true,
        });
    }
    let chart_caption = caption(set, &[venue], "Taker volume per period, summed");
    Panel {
        id: "cvd",
        title: "Cumulative volume delta".into(),
        figure: Figure::Time(TimeChartData {
            series,
            y_label: format!("CVD, {asset}"),
            y_unit: Unit::Compact,
            y2: Some(("Price, USD".into(), Unit::Usd)),
            markers: Vec::new(),
            caption: chart_caption.clone(),
            summary: summary.clone(),
        }),
        summary,
        caption: chart_caption,
        table: ChartTable::new(&["Period start", "CVD"], rows),
    }
}

fn imbalance_panel(set: &DataSet, venue: Venue, t: &Taker) -> Panel {
    let buying = t.imbalance.values().iter().filter(|v| **v > 0.0).count();
    let summary = format!(
        "Taker imbalance (buy − sell) ÷ (buy + sell) per period on {}: takers bought more in {buying} of {} periods.",
        venue.display_name(),
        t.imbalance.len()
    );
    let rows = t
        .imbalance
        .times_ms()
        .iter()
        .zip(t.imbalance.values())
        .rev()
        .take(200)
        .map(|(time, v)| vec![short_time(*time), pct(*v, 1)])
        .collect();
    Panel {
        id: "imbalance",
        title: "Taker buy/sell imbalance".into(),
        figure: Figure::Bars(BarsFigure {
            times_ms: t.imbalance.times_ms().to_vec(),
            values: t.imbalance.values().to_vec(),
            bar_ms: None,
            y: Axis::new("Taker imbalance", Unit::Percent),
            positive_label: "Takers bought more".into(),
            negative_label: "Takers sold more".into(),
        }),
        summary,
        caption: caption(set, &[venue], "Taker buy and sell volume per period"),
        table: ChartTable::new(&["Period start", "Imbalance"], rows),
    }
}

fn book_panel(set: &DataSet, venue: Venue, asset: &Asset, b: &Book) -> Panel {
    // Cumulative size from the best price outwards, drawn left to right.
    let cumulative = |levels: &[BookLevel]| {
        let mut total = 0.0;
        let mut points: Vec<(f64, f64)> = levels
            .iter()
            .filter(|l| l.price.is_finite() && l.size.is_finite())
            .map(|l| {
                total += l.size;
                (l.price, total)
            })
            .collect();
        lens_math::sort::sort_by(&mut points, |x, y| x.0.total_cmp(&y.0));
        points.into_iter().unzip::<f64, f64, Vec<f64>, Vec<f64>>()
    };
    let (bid_x, bid_y) = cumulative(&b.bids);
    let (ask_x, ask_y) = cumulative(&b.asks);
    let side = if b.depth_imbalance >= 0.0 {
        "bid"
    } else {
        "ask"
    };
    let summary = format!(
        "Cumulative resting size on {} around the mid {}: depth imbalance within ±0.5 % is {} (toward the {side}); the size-weighted mid is {}.",
        venue.display_name(),
        price(b.mid),
        signed_num(b.depth_imbalance, 2),
        price(b.weighted_mid)
    );
    let rows = b
        .bids
        .iter()
        .map(|l| (l, "bid"))
        .chain(b.asks.iter().map(|l| (l, "ask")))
        .take(200)
        .map(|(l, s)| vec![s.to_string(), usd(l.price), num(l.size, 3)])
        .collect();
    let edge = |sign: f64, label: &str| CurveMarker {
        x: b.mid * (1.0 + sign * DEPTH_BAND),
        label: label.into(),
        tone: Tone::Warning,
    };
    Panel {
        id: "book",
        title: format!("{asset} order book depth"),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Bids (cumulative)".into(),
                    xs: bid_x,
                    ys: bid_y,
                },
                CurveLine {
                    label: "Asks (cumulative)".into(),
                    xs: ask_x,
                    ys: ask_y,
                },
            ],
            markers: vec![
                edge(-1.0, "−0.5 %"),
                CurveMarker {
                    x: b.weighted_mid,
                    label: "weighted mid".into(),
                    tone: Tone::Neutral,
                },
                edge(1.0, "+0.5 %"),
            ],
            x: Axis::new("Price, USD", Unit::Usd),
            y: Axis::new(format!("Resting size, {asset}"), Unit::Compact),
            zero_line: false,
        }),
        summary,
        caption: caption(set, &[venue], "Order book snapshot"),
        table: ChartTable::new(&["Side", "Price", "Size"], rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};
    use crate::market::dataset::Origin;
    use crate::market::model::{Level, OrderBookSnapshot, TakerVolume};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    #[test]
    fn taker_share_matches_the_raw_rows_of_the_window() {
        let set = sample_dataset();
        let e = run_on(&set, &[("days", "7")]).unwrap();
        let from = set.as_of_ms - 7 * 86_400_000;
        let rows = read::taker(&set, Venue::Binance, &Asset::btc(), from);
        let buy: f64 = rows.iter().map(|r| r.buy_base).sum();
        let sell: f64 = rows.iter().map(|r| r.sell_base).sum();
        assert_eq!(fact(&e, "taker-buy-share"), pct(buy / (buy + sell), 1));
        assert_eq!(
            fact(&e, "cvd"),
            format!("{} BTC", signed_num(buy - sell, 0))
        );
        assert!(
            e.reading.contains("over the last 7 days takers bought"),
            "{}",
            e.reading
        );
    }

    /// OFI by hand (Cont, Kukanov & Stoikov 2014, eq. 2 with inclusive inequalities), summed into
    /// epoch-aligned 5-minute buckets by the later snapshot's time; mid change over each bucket in ticks of
    /// 0.1 (the sample's spread); slope = cov(OFI, ΔP) / var(OFI).
    #[test]
    fn ofi_slope_matches_a_hand_computation_on_the_sample() {
        let set = sample_dataset();
        let q = read::quotes(&set, Venue::Binance, &Asset::btc());
        let (tick, bucket) = (0.1, 300_000);
        let mut buckets: Vec<(i64, f64, f64, f64)> = Vec::new(); // (end, ofi, mid at start, mid at end)
        for w in q.windows(2) {
            let (p, n) = (&w[0], &w[1]);
            let e = if n.bid_price >= p.bid_price {
                n.bid_size
            } else {
                0.0
            } - if n.bid_price <= p.bid_price {
                p.bid_size
            } else {
                0.0
            } - if n.ask_price <= p.ask_price {
                n.ask_size
            } else {
                0.0
            } + if n.ask_price >= p.ask_price {
                p.ask_size
            } else {
                0.0
            };
            let end = (n.time_ms + bucket - 1).div_euclid(bucket) * bucket;
            let mid = |x: &crate::market::model::Quote| (x.bid_price + x.ask_price) / 2.0;
            match buckets.last_mut() {
                Some(b) if b.0 == end => {
                    b.1 += e;
                    b.3 = mid(n);
                }
                _ => buckets.push((end, e, mid(p), mid(n))),
            }
        }
        let xs: Vec<f64> = buckets.iter().map(|b| b.1).collect();
        let ys: Vec<f64> = buckets.iter().map(|b| (b.3 - b.2) / tick).collect();
        let n = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
        let cov: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let var: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(
            fact(&e, "ofi-slope"),
            format!("{} ticks per BTC", sig(cov / var))
        );
        assert!(
            e.reading.starts_with("Over the last 24 h on Binance BTC"),
            "{}",
            e.reading
        );
    }

    #[test]
    fn the_bucket_sets_how_many_points_the_regression_has() {
        let set = sample_dataset();
        let points = |minutes: &str| {
            let e = run_on(&set, &[("bucket", minutes)]).unwrap();
            match &e.panels[0].figure {
                Figure::Scatter(s) => s.xs.len(),
                _ => 0,
            }
        };
        let (one, five, fifteen) = (points("1"), points("5"), points("15"));
        assert!(one > five && five > fifteen, "{one} {five} {fifteen}");
        assert!(
            (five as i64 - 288).abs() <= 1 && (fifteen as i64 - 96).abs() <= 1,
            "{five} {fifteen}"
        );
    }

    #[test]
    fn without_quotes_the_taker_and_book_parts_still_show() {
        let mut set = sample_dataset();
        set.entries.retain(|e| e.item != Item::Quotes);
        let e = run_on(&set, &[]).unwrap();
        assert!(e.panels.iter().all(|p| p.id != "ofi"));
        assert!(
            e.notes.iter().any(|n| n.contains("left out")),
            "{:?}",
            e.notes
        );
        assert_eq!(fact(&e, "ofi-slope"), "–");
        assert!(
            e.reading
                .starts_with("On Binance BTC, over the last 30 days takers bought"),
            "{}",
            e.reading
        );
    }

    /// Hand-made rows: taker (7 buy, 3 sell) then (2, 8) → 9 of 20 bought, CVD +4 − 6 = −2 (the lens-math CVD
    /// doc example); the glossary's book bid 100 × 1, ask 101 × 3 → weighted mid 100.25 (METHODS §3.2) and,
    /// both levels within ±0.5 % of 100.5, depth imbalance (1 − 3) / 4 = −0.5.
    #[test]
    fn worked_example_of_taker_flow_and_book() {
        let mut set = DataSet::empty(Origin::Live, 10 * HOUR_MS);
        let btc = Asset::btc();
        let taker = vec![
            TakerVolume {
                time_ms: 8 * HOUR_MS,
                buy_base: 7.0,
                sell_base: 3.0,
            },
            TakerVolume {
                time_ms: 9 * HOUR_MS,
                buy_base: 2.0,
                sell_base: 8.0,
            },
        ];
        let book = OrderBookSnapshot {
            time_ms: 10 * HOUR_MS,
            bids: vec![Level {
                price: 100.0,
                size: 1.0,
            }],
            asks: vec![Level {
                price: 101.0,
                size: 3.0,
            }],
        };
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::Taker,
            Payload::Taker(taker),
        );
        set.insert(Venue::Binance, btc, Item::Book, Payload::Book(book));
        let e = run_on(&set, &[]).unwrap();
        assert_eq!(fact(&e, "taker-buy-share"), "45.0 %");
        assert_eq!(fact(&e, "cvd"), "−2 BTC");
        assert_eq!(fact(&e, "weighted-mid"), "$100.25");
        assert_eq!(fact(&e, "depth-imbalance"), "−0.50");
        assert_eq!(
            e.reading,
            "On Binance BTC, over the last 30 days takers bought 45 % of volume (CVD −2 BTC); the book now leans 0.50 to the ask within ±0.5 % of the mid."
        );
    }
}
