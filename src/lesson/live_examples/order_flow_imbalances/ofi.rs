//! Order-flow imbalance (Cont, Kukanov & Stoikov) from best-quote snapshots, with its price-impact regression.

use lens_math::flow::{OfiRegression, OrderFlowImbalance};
use lens_math::market::BestQuote;
use lens_math::series::align;

use crate::chart::figure::{Axis, ChartTable, Figure, Panel, ScatterFigure};
use crate::chart::{LinearFit, Unit};
use crate::lesson::read::{self, HOUR_MS, caption, short_time};
use crate::lesson::text::num;
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};

use super::sig;

/// The price step of the quotes: the narrowest spread seen, snapped to 1, 2 or 5 × a power of ten.
pub(super) fn tick_size(quotes: &[BestQuote]) -> Option<f64> {
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

pub(crate) struct Ofi {
    pub(crate) times: Vec<i64>,
    pub(crate) ofi: Vec<f64>,
    pub(crate) ticks: Vec<f64>,
    pub(crate) fit: OfiRegression,
    pub(crate) tick: f64,
    pub(crate) span_hours: f64,
}

pub(crate) fn order_flow(
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

pub(crate) fn ofi_panel(set: &DataSet, venue: Venue, asset: &Asset, o: &Ofi, bucket: i64) -> Panel {
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
