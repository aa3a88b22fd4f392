//! Order Flow Imbalances: who trades aggressively and how the book changes. Order-flow imbalance (Cont,
//! Kukanov & Stoikov) from best-quote snapshots with its price-impact regression; taker buy/sell imbalance
//! and cumulative volume delta from taker volume; depth imbalance and weighted mid from the order book.

mod book;
pub(crate) mod ofi;
mod taker;

use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, DAYS, VENUE};
use crate::lesson::dashboard::signed_num;
use crate::lesson::read::{asset, venue, window_start};
use crate::lesson::text::{num, pct};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::PriceKind;
use book::{book_panel, book_reading};
use ofi::{ofi_panel, order_flow};
use taker::{cvd_panel, imbalance_panel, taker_flow};

const CANDLES: Item = Item::Candles {
    price: PriceKind::Last,
};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::figure::Figure;
    use crate::lesson::read::{self, HOUR_MS};
    use crate::lesson::testing::{controls, fact};
    use crate::market::dataset::Origin;
    use crate::market::model::{Asset, Venue};
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
    /// doc example); the glossary's book bid 100 × 1, ask 101 × 3 → weighted mid 100.25 (the order-flow page's example) and,
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
