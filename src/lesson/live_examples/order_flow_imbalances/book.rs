//! The order book now: depth imbalance within a band around the mid, and the weighted mid.

use lens_math::flow::{DepthImbalance, weighted_mid};
use lens_math::market::{BestQuote, BookLevel, OrderBook};

use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel};
use crate::chart::{Tone, Unit};
use crate::lesson::dashboard::signed_num;
use crate::lesson::read::{self, caption};
use crate::lesson::text::{num, usd};
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};

use super::price;

/// Depth counted within ±0.5 % of the mid (the band is a free choice; it is stated with the number).
pub(super) const DEPTH_BAND: f64 = 0.005;

pub(super) struct Book {
    pub(super) bids: Vec<BookLevel>,
    pub(super) asks: Vec<BookLevel>,
    pub(super) depth_imbalance: f64,
    pub(super) mid: f64,
    pub(super) weighted_mid: f64,
}

pub(super) fn book_reading(set: &DataSet, venue: Venue, asset: &Asset) -> Option<Book> {
    let snapshot = read::book(set, venue, asset)?;
    let book = OrderBook::from(&snapshot);
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

pub(super) fn book_panel(set: &DataSet, venue: Venue, asset: &Asset, b: &Book) -> Panel {
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
