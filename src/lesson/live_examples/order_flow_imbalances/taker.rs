//! Taker flow: the buy share, the taker imbalance per bar and the cumulative volume delta, from taker volume.

use lens_math::TimeSeries;
use lens_math::flow::{cumulative_volume_delta, taker_imbalance};
use lens_math::market::Bar;

use crate::chart::Unit;
use crate::chart::figure::{
    Axis, BarsFigure, ChartSeries, ChartTable, Figure, Panel, TimeChartData,
};
use crate::lesson::read::close_series;
use crate::lesson::read::{self, caption, short_time};
use crate::lesson::text::{num, pct};
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};

pub(super) struct Taker {
    pub(super) cvd: TimeSeries,
    pub(super) imbalance: TimeSeries,
    pub(super) buy_share: f64,
}

/// Taker rows as bars: they carry no price, and the taker measures read only the volumes.
pub(super) fn taker_flow(set: &DataSet, venue: Venue, asset: &Asset, from: i64) -> Option<Taker> {
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
    // Taker rows carry no price: the price fields hold a placeholder 1 that only these volume measures see.
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

pub(super) fn cvd_panel(set: &DataSet, venue: Venue, asset: &Asset, t: &Taker, from: i64) -> Panel {
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

pub(super) fn imbalance_panel(set: &DataSet, venue: Venue, t: &Taker) -> Panel {
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
