//! The chart gallery (`?page=charts`): every chart kind on the data in view, interactive where it makes sense.
//! Each builder turns data-set entries into chart inputs through `lens_math`; the components only draw.

use std::rc::Rc;
use std::sync::Arc;

use lens_math::annotations::{AnnotationLimit, FundingExtremes, LiquidationBursts};
use lens_math::contagion::ClearingNetwork;
use lens_math::flow::OrderFlowImbalance;
use lens_math::liquidation_map::{LiquidationMapEstimator, PriceGrid};

use crate::lesson::read::{ASSUMED_LEVERAGES, ASSUMED_MMR, assumed_leverage_grid};
use lens_math::margin::{LinearPosition, linear_pnl_curve, liquidation_price_flat_mmr};
use lens_math::market::{Bar, BestQuote, Side};
use lens_math::series::{HOUR_MS, TimeSeries};
use leptos::prelude::*;

use crate::chart::{
    BarSpec, CurveSeries, CurveSpec, HeatmapSpec, IntensityScale, LinearFit, NetworkEdge,
    NetworkNode, NetworkSpec, NodeState, ScatterSpec, Tone, Unit, ValueAxis, VerticalMarker,
    draw_bars, draw_curve, draw_heatmap, draw_network, draw_scatter,
};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, Candle, PositionSide, PriceKind, Venue};
use crate::market::venues::Payload;
use crate::ui::components::chart_canvas::{ChartTable, DrawFn, StaticChart};
use crate::ui::components::time_chart::{ChartMarker, ChartSeries, TimeChart, TimeChartData};
use crate::ui::data::use_data;

fn candles(set: &DataSet, venue: Venue, asset: &Asset) -> Vec<Candle> {
    match set.get(
        venue,
        asset,
        Item::Candles {
            price: PriceKind::Last,
        },
    ) {
        Some(Payload::Candles(c)) => c.clone(),
        _ => Vec::new(),
    }
}

fn bars(candles: &[Candle]) -> Vec<Bar> {
    candles
        .iter()
        .map(|c| Bar {
            open_time_ms: c.open_time_ms,
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume_base,
            taker_buy_volume: c.taker_buy_base.unwrap_or(c.volume_base / 2.0),
        })
        .collect()
}

fn caption(set: &DataSet, venue: Venue, what: &str) -> String {
    format!(
        "{what} · {} · source: {}, {}",
        venue.display_name(),
        set.origin.label(),
        crate::base::calendar::date_label(set.as_of_ms)
    )
}

/// Price with open interest on a second axis, liquidation bursts and funding extremes marked.
fn price_and_oi(set: &DataSet, venue: Venue, asset: &Asset) -> TimeChartData {
    let candles = candles(set, venue, asset);
    let times: Vec<i64> = candles.iter().map(|c| c.open_time_ms + HOUR_MS).collect();
    let closes: Vec<f64> = candles.iter().map(|c| c.close).collect();
    let (oi_t, oi_v): (Vec<i64>, Vec<f64>) = match set.get(venue, asset, Item::OpenInterest) {
        Some(Payload::OpenInterest(rows)) => rows.iter().map(|r| (r.time_ms, r.base)).unzip(),
        _ => (Vec::new(), Vec::new()),
    };
    let mut markers = Vec::new();
    if let Some(Payload::Liquidations(liqs)) = set.get(venue, asset, Item::Liquidations) {
        let liqs: Vec<lens_math::market::Liquidation> = liqs
            .iter()
            .map(|l| lens_math::market::Liquidation {
                time_ms: l.time_ms,
                side: if l.side == PositionSide::Long {
                    Side::Long
                } else {
                    Side::Short
                },
                price: l.price,
                quantity: l.quantity_base,
            })
            .collect();
        let opens: Vec<i64> = candles.iter().map(|c| c.open_time_ms).collect();
        let found = LiquidationBursts::default()
            .detect(&opens, &liqs)
            .unwrap_or_default();
        for a in AnnotationLimit::new(6)
            .map(|l| l.apply(found))
            .unwrap_or_default()
        {
            let price = nearest_close(&times, &closes, a.time_ms);
            markers.push(ChartMarker {
                time_ms: a.time_ms,
                value: price,
                label: a.label,
                term_slug: a.term_slug,
                right_axis: false,
            });
        }
    }
    if let Some(Payload::Funding(rows)) = set.get(venue, asset, Item::Funding) {
        let series = TimeSeries::from_points_lossy(rows.iter().map(|r| (r.time_ms, r.rate)));
        let interval = rows.first().map_or(8.0, |r| r.interval_hours);
        let found = FundingExtremes::default()
            .detect(&series, interval)
            .unwrap_or_default();
        for a in AnnotationLimit::new(4)
            .map(|l| l.apply(found))
            .unwrap_or_default()
        {
            let price = nearest_close(&times, &closes, a.time_ms);
            markers.push(ChartMarker {
                time_ms: a.time_ms,
                value: price,
                label: a.label,
                term_slug: a.term_slug,
                right_axis: false,
            });
        }
    }
    lens_math::sort::sort_by_key(&mut markers, |m| m.time_ms);
    let last = closes.last().copied().unwrap_or(f64::NAN);
    let (lo, hi) = closes
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &c| {
            (a.min(c), b.max(c))
        });
    TimeChartData {
        summary: format!(
            "{asset} on {}: price between {} and {}, last {}; open interest on the right axis; {} events marked.",
            venue.display_name(),
            crate::chart::format::format_value(lo, Unit::Usd),
            crate::chart::format::format_value(hi, Unit::Usd),
            crate::chart::format::format_value(last, Unit::Usd),
            markers.len()
        ),
        series: vec![
            ChartSeries {
                label: format!("{asset} price"),
                times_ms: times,
                values: closes,
                area: false,
                right_axis: false,
            },
            ChartSeries {
                label: format!("Open interest ({asset})"),
                times_ms: oi_t,
                values: oi_v,
                area: true,
                right_axis: true,
            },
        ],
        y_label: "Price, USD".to_string(),
        y_unit: Unit::Usd,
        y2: Some((format!("Open interest, {asset}"), Unit::Compact)),
        markers,
        caption: caption(set, venue, "Hourly closes and open interest"),
    }
}

fn funding_per_8h(set: &DataSet, venue: Venue) -> (Vec<i64>, Vec<f64>) {
    match set.get(venue, &Asset::btc(), Item::Funding) {
        Some(Payload::Funding(rows)) => rows
            .iter()
            .map(|r| (r.time_ms, r.rate * 8.0 / r.interval_hours))
            .unzip(),
        _ => (Vec::new(), Vec::new()),
    }
}

fn table(headers: &[&str], rows: Vec<Vec<String>>) -> ChartTable {
    ChartTable {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

fn ofi_points(set: &DataSet, venue: Venue) -> (Vec<f64>, Vec<f64>, Option<LinearFit>) {
    let quotes: Vec<BestQuote> = match set.get(venue, &Asset::btc(), Item::Quotes) {
        Some(Payload::Quotes(q)) => q
            .iter()
            .map(|q| BestQuote {
                time_ms: q.time_ms,
                bid_price: q.bid_price,
                bid_size: q.bid_size,
                ask_price: q.ask_price,
                ask_size: q.ask_size,
            })
            .collect(),
        _ => Vec::new(),
    };
    match OrderFlowImbalance::new(5 * 60_000, 0.1).and_then(|o| o.compute(&quotes)) {
        Ok(s) => {
            let (_, cols) = lens_math::series::align(&[&s.ofi, &s.mid_change_ticks]);
            let fit = s.regression().ok().map(|r| LinearFit {
                slope: r.slope_ticks_per_unit,
                intercept: r.intercept_ticks,
            });
            (
                cols.first().cloned().unwrap_or_default(),
                cols.get(1).cloned().unwrap_or_default(),
                fit,
            )
        }
        Err(_) => (Vec::new(), Vec::new(), None),
    }
}

/// P&L of a 1 BTC 10× long opened at the last price: (prices, P&L, entry, liquidation price).
fn pnl_curve(set: &DataSet, venue: Venue) -> (Vec<f64>, Vec<f64>, f64, f64) {
    let entry = candles(set, venue, &Asset::btc())
        .last()
        .map_or(100_000.0, |c| c.close);
    let position = LinearPosition::with_leverage(Side::Long, 1.0, entry, 10.0);
    let curve = position
        .as_ref()
        .ok()
        .and_then(|p| linear_pnl_curve(p, entry * 0.8, entry * 1.2, 200).ok())
        .unwrap_or_default();
    let (xs, ys) = curve.iter().map(|p| (p.price, p.pnl)).unzip();
    (
        xs,
        ys,
        entry,
        liquidation_price_flat_mmr(Side::Long, entry, 10.0, 0.005).unwrap_or(f64::NAN),
    )
}

fn nearest_close(times: &[i64], closes: &[f64], t: i64) -> Option<f64> {
    crate::chart::viewport::nearest_index(times, t).and_then(|i| closes.get(i).copied())
}

#[component]
pub fn ChartsPage() -> impl IntoView {
    let data = use_data();
    let asset = Asset::btc();
    let venue = Venue::Binance;
    let time_data = Signal::derive({
        let asset = asset.clone();
        move || Arc::new(data.base.with(|set| price_and_oi(set, venue, &asset)))
    });
    let set = move || data.base.get();

    let funding_draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        let (t, v) = funding_per_8h(&set(), venue);
        Rc::new(move |area, theme, px, _canvas| {
            let spec = BarSpec {
                times_ms: &t,
                values: &v,
                bar_ms: None,
                window_ms: None,
                y_axis: ValueAxis::new("Funding, % per 8 h", Unit::Percent),
                time_label: "UTC",
                positive_label: "Longs pay",
                negative_label: "Shorts pay",
                annotations: Vec::new(),
            };
            draw_bars(area, &spec, theme, px)
        })
    });

    let heatmap_draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        let set = set();
        let bars = bars(&candles(&set, venue, &Asset::btc()));
        let oi = match set.get(venue, &Asset::btc(), Item::OpenInterest) {
            // The map wants OI at each bar's open time; the OI stamp at an hour's end is the next bar's open.
            Some(Payload::OpenInterest(rows)) => {
                TimeSeries::from_points_lossy(rows.iter().map(|r| (r.time_ms - HOUR_MS, r.base)))
            }
            _ => TimeSeries::default(),
        };
        let lo = bars.iter().map(|b| b.low).fold(f64::INFINITY, f64::min) * 0.8;
        let hi = bars.iter().map(|b| b.high).fold(0.0, f64::max) * 1.2;
        let map = PriceGrid::with_buckets(lo, hi, 120)
            .and_then(|g| Ok((g, assumed_leverage_grid(ASSUMED_MMR)?)))
            .and_then(|(g, l)| LiquidationMapEstimator::new(g, l, 0.0))
            .and_then(|e| e.estimate(&bars, &oi));
        let (times, closes): (Vec<i64>, Vec<f64>) =
            bars.iter().map(|b| (b.open_time_ms, b.close)).unzip();
        Rc::new(move |area, theme, px, _canvas| {
            let Ok(map) = &map else {
                return Err(crate::chart::ChartError::InvalidSpec(
                    "the liquidation map needs bars and open interest".into(),
                ));
            };
            let (w, h) = (map.width(), map.height());
            // The map is column-major (one column per bar); the heatmap wants rows of price.
            let mut cells = vec![0.0f32; w * h];
            for t in 0..w {
                if let Some(column) = map.column(t) {
                    for (row, v) in column.iter().enumerate() {
                        cells[row * w + t] = *v;
                    }
                }
            }
            let spec = HeatmapSpec {
                columns: u32::try_from(w).unwrap_or(0),
                rows: u32::try_from(h).unwrap_or(0),
                cells: &cells,
                time_range_ms: (
                    times.first().copied().unwrap_or(0),
                    times.last().copied().unwrap_or(0) + HOUR_MS,
                ),
                price_range: (map.price_grid().min_price(), map.price_grid().max_price()),
                scale: IntensityScale::Log { decades: 3.0 },
                max_intensity: None,
                price_times_ms: &times,
                prices: &closes,
                price_label: "Close",
                window_ms: None,
                y_axis: ValueAxis::new("Price, USD", Unit::Usd),
                intensity_label: "Estimated liquidations",
                intensity_unit: Unit::Suffix("BTC"),
                time_label: "UTC",
                cell_painter: Some(&|image| _canvas.paint_cells(image)),
            };
            draw_heatmap(area, &spec, theme, px)
        })
    });

    let scatter_draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        let (xs, ys, fit) = ofi_points(&set(), venue);
        Rc::new(move |area, theme, px, _canvas| {
            let spec = ScatterSpec {
                xs: &xs,
                ys: &ys,
                points_label: "5-minute buckets",
                fit,
                fit_label: "OLS fit",
                x_axis: ValueAxis::new("Order-flow imbalance, BTC", Unit::Plain),
                y_axis: ValueAxis::new("Mid-price change, ticks", Unit::Plain),
            };
            draw_scatter(area, &spec, theme, px)
        })
    });

    let curve_draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        let (xs, ys, entry, liquidation) = pnl_curve(&set(), venue);
        Rc::new(move |area, theme, px, _canvas| {
            let spec = CurveSpec {
                curves: vec![CurveSeries::new("1 BTC long at 10×", &xs, &ys)],
                markers: vec![
                    VerticalMarker {
                        x: entry,
                        label: "entry",
                        tone: Tone::Neutral,
                    },
                    VerticalMarker {
                        x: liquidation,
                        label: "liquidation",
                        tone: Tone::Short,
                    },
                ],
                x_axis: ValueAxis::new("Mark price, USD", Unit::Usd),
                y_axis: ValueAxis::new("P&L, USD", Unit::Usd),
                zero_line: true,
            };
            draw_curve(area, &spec, theme, px)
        })
    });

    let network_draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        // The Eisenberg–Noe teaching exercise (Barucca) after a 10 % cut to external assets.
        let liabilities = vec![
            vec![0.0, 4.0, 0.0],
            vec![0.0, 0.0, 3.0],
            vec![2.0, 0.0, 0.0],
        ];
        let clearing = ClearingNetwork::from_balance_sheets(
            &liabilities,
            &[18.0, 18.0, 9.0],
            &[17.0, 18.0, 8.0],
        )
        .and_then(|n| n.clearing_by_fictitious_default());
        let states: Vec<NodeState> = match &clearing {
            Ok(c) => c
                .default_round
                .iter()
                .map(|d| {
                    if d.is_some() {
                        NodeState::Defaulted
                    } else {
                        NodeState::Solvent
                    }
                })
                .collect(),
            Err(_) => vec![NodeState::Stressed; 3],
        };
        Rc::new(move |area, theme, px, _canvas| {
            let labels = ["Bank 0", "Bank 1", "Bank 2"];
            let spec = NetworkSpec {
                nodes: labels
                    .iter()
                    .zip(&states)
                    .map(|(l, s)| NetworkNode {
                        label: l,
                        state: *s,
                        size: 1.0,
                    })
                    .collect(),
                edges: vec![
                    NetworkEdge {
                        from: 0,
                        to: 1,
                        weight: 4.0,
                    },
                    NetworkEdge {
                        from: 1,
                        to: 2,
                        weight: 3.0,
                    },
                    NetworkEdge {
                        from: 2,
                        to: 0,
                        weight: 2.0,
                    },
                ],
            };
            draw_network(area, &spec, theme, px)
        })
    });

    let short = crate::base::calendar::minute_label;
    let fmt = crate::chart::format::format_value;
    let funding_table = Signal::derive(move || {
        let (t, v) = funding_per_8h(&set(), venue);
        let rows = t
            .iter()
            .zip(&v)
            .rev()
            .take(60)
            .map(|(t, v)| vec![short(*t), fmt(*v, Unit::Percent)])
            .collect();
        table(&["Time (UTC)", "Funding per 8 h"], rows)
    });
    let heatmap_table = Signal::derive(move || {
        let last = candles(&set(), venue, &Asset::btc())
            .last()
            .map_or(0.0, |c| c.close);
        let rows = ASSUMED_LEVERAGES
            .iter()
            .map(|&l| {
                let long = liquidation_price_flat_mmr(Side::Long, last, l, ASSUMED_MMR)
                    .unwrap_or(f64::NAN);
                let short_side = liquidation_price_flat_mmr(Side::Short, last, l, ASSUMED_MMR)
                    .unwrap_or(f64::NAN);
                vec![
                    format!("{l}×"),
                    fmt(long, Unit::Usd),
                    fmt(short_side, Unit::Usd),
                ]
            })
            .collect();
        table(
            &[
                "Leverage (from the last close)",
                "Long liquidates at",
                "Short liquidates at",
            ],
            rows,
        )
    });
    let scatter_table = Signal::derive(move || {
        let (xs, ys, _) = ofi_points(&set(), venue);
        let rows = xs
            .iter()
            .zip(&ys)
            .take(300)
            .map(|(x, y)| vec![format!("{x:.3}"), format!("{y:.0}")])
            .collect();
        table(&["OFI, BTC", "Mid change, ticks"], rows)
    });
    let curve_table = Signal::derive(move || {
        let (xs, ys, entry, liquidation) = pnl_curve(&set(), venue);
        let mut rows: Vec<Vec<String>> = xs
            .iter()
            .zip(&ys)
            .step_by(10)
            .map(|(x, y)| vec![fmt(*x, Unit::Usd), fmt(*y, Unit::Usd)])
            .collect();
        rows.push(vec![
            format!("entry {}", fmt(entry, Unit::Usd)),
            String::new(),
        ]);
        rows.push(vec![
            format!("liquidation {}", fmt(liquidation, Unit::Usd)),
            String::new(),
        ]);
        table(&["Mark price", "P&L"], rows)
    });
    let network_table = Signal::derive(move || {
        let rows = [
            ("Bank 0 → Bank 1", 4),
            ("Bank 1 → Bank 2", 3),
            ("Bank 2 → Bank 0", 2),
        ]
        .iter()
        .map(|(edge, amount)| vec![edge.to_string(), amount.to_string()])
        .collect();
        table(&["Owes", "Amount"], rows)
    });
    let cap = move |what: &'static str| {
        Signal::derive(move || data.base.with(|s| caption(s, venue, what)))
    };
    view! {
        <article class="page charts-page">
            <header class="page-header">
                <p class="eyebrow">"Charts"</p>
                <h1 tabindex="-1">"Chart gallery"</h1>
                <p class="lead">"Every kind of chart the glossary uses, drawn from the data in view. Hover for values, scroll to zoom, drag to pan, double-click to reset."</p>
            </header>
            <section class="page-section"><h2>"Price and open interest"</h2><TimeChart data=time_data id="chart-price-oi" url_key="range" /></section>
            <section class="page-section"><h2>"Funding"</h2>
                <StaticChart draw=funding_draw summary="Funding per 8 hours on Binance BTC: bars above zero when longs pay, below when shorts pay." caption=cap("Funding per 8 h") table=funding_table />
            </section>
            <section class="page-section"><h2>"Estimated liquidation map"</h2>
                <StaticChart draw=heatmap_draw height_px=340.0 summary="Estimated liquidation levels over time from open-interest increases, with the price on top." caption=cap("Liquidation map (estimate)") table=heatmap_table />
            </section>
            <section class="page-section"><h2>"Order-flow imbalance and price"</h2>
                <StaticChart draw=scatter_draw summary="Five-minute order-flow imbalance against the mid-price change in ticks, with the fitted line." caption=cap("Best quotes, last 24 h") table=scatter_table />
            </section>
            <section class="page-section"><h2>"P&L of a leveraged position"</h2>
                <StaticChart draw=curve_draw summary="Profit and loss of a 10× long of 1 BTC across prices, with the entry and the liquidation price marked." caption=cap("Position calculator") table=curve_table />
            </section>
            <section class="page-section"><h2>"Contagion network"</h2>
                <StaticChart draw=network_draw summary="Three banks owing each other; after a 10 % loss bank 0 defaults." caption=Signal::derive(|| "Eisenberg–Noe teaching exercise (Barucca)".to_string()) table=network_table />
            </section>
        </article>
    }
}
