//! The chart gallery: one chart of every kind the glossary draws, each read from the data in view (Binance,
//! BTC) and computed here, so the page only lays the panels out.

use lens_math::annotations::{AnnotationLimit, FundingExtremes, LiquidationBursts};
use lens_math::contagion::ClearingNetwork;
use lens_math::flow::OrderFlowImbalance;
use lens_math::liquidation_map::{LiquidationMapEstimator, PriceGrid};
use lens_math::margin::{LinearPosition, linear_pnl_curve, liquidation_price_flat_mmr};
use lens_math::market::{BestQuote, Liquidation, Side};
use lens_math::series::{HOUR_MS, TimeSeries};

use crate::chart::figure::{
    Axis, BarsFigure, ChartMarker, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker,
    Figure, HeatmapFigure, NetworkFigure, Panel, ScatterFigure, TimeChartData,
};
use crate::chart::format::format_value;
use crate::chart::{LinearFit, NetworkEdge, NodeState, Tone, Unit};
use crate::lesson::dashboard::funding_per_8h;
use crate::lesson::read::{
    self, ASSUMED_LEVERAGES, ASSUMED_MMR, assumed_leverage_grid, caption, closes,
};
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};
use crate::market::to_math;

/// The venue every gallery chart reads.
pub const VENUE: Venue = Venue::Binance;
/// The id of the interactive price chart (its zoom travels in the link as `range`).
pub const PRICE_CHART_ID: &str = "chart-price-oi";

/// The gallery's six panels, in page order.
pub fn panels(set: &DataSet) -> Vec<Panel> {
    let asset = Asset::btc();
    vec![
        price_and_open_interest(set, &asset),
        funding(set, &asset),
        liquidation_map(set, &asset),
        order_flow(set, &asset),
        position_pnl(set, &asset),
        contagion_network(),
    ]
}

/// Price with open interest on a second axis, liquidation bursts and funding extremes marked.
fn price_and_open_interest(set: &DataSet, asset: &Asset) -> Panel {
    let candles = read::candles(set, VENUE, asset, i64::MIN);
    let (opens, closes) = closes(&candles);
    // A close belongs to the end of its hour.
    let times: Vec<i64> = opens.iter().map(|t| t + HOUR_MS).collect();
    let (oi_t, oi_v): (Vec<i64>, Vec<f64>) = read::open_interest(set, VENUE, asset, i64::MIN)
        .iter()
        .map(|r| (r.time_ms, r.base))
        .unzip();
    let marker_at = |a: lens_math::annotations::Annotation| ChartMarker {
        time_ms: a.time_ms,
        value: crate::chart::viewport::nearest_index(&times, a.time_ms)
            .and_then(|i| closes.get(i).copied()),
        label: a.label,
        term_slug: a.term_slug,
        right_axis: false,
    };
    let liquidations: Vec<Liquidation> = read::liquidations(set, VENUE, asset, i64::MIN)
        .iter()
        .map(Liquidation::from)
        .collect();
    let bursts = LiquidationBursts::default()
        .detect(&opens, &liquidations)
        .unwrap_or_default();
    let mut markers: Vec<ChartMarker> = AnnotationLimit::new(6)
        .map(|l| l.apply(bursts))
        .unwrap_or_default()
        .into_iter()
        .map(marker_at)
        .collect();
    let funding = read::funding(set, VENUE, asset, i64::MIN);
    if !funding.is_empty() {
        let series = TimeSeries::from_points_lossy(funding.iter().map(|r| (r.time_ms, r.rate)));
        let interval = funding.first().map_or(8.0, |r| r.interval_hours);
        let extremes = FundingExtremes::default()
            .detect(&series, interval)
            .unwrap_or_default();
        markers.extend(
            AnnotationLimit::new(4)
                .map(|l| l.apply(extremes))
                .unwrap_or_default()
                .into_iter()
                .map(marker_at),
        );
    }
    lens_math::sort::sort_by_key(&mut markers, |m| m.time_ms);
    let last = closes.last().copied().unwrap_or(f64::NAN);
    let (lo, hi) = closes
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &c| {
            (a.min(c), b.max(c))
        });
    let summary = format!(
        "{asset} on {}: price between {} and {}, last {}; open interest on the right axis; {} events marked.",
        VENUE.display_name(),
        format_value(lo, Unit::Usd),
        format_value(hi, Unit::Usd),
        format_value(last, Unit::Usd),
        markers.len()
    );
    let caption = caption(set, &[VENUE], "Hourly closes and open interest");
    Panel {
        id: PRICE_CHART_ID,
        title: "Price and open interest".to_string(),
        figure: Figure::Time(TimeChartData {
            summary: summary.clone(),
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
            caption: caption.clone(),
        }),
        summary,
        caption,
        // The time chart shows its own table of the range in view.
        table: ChartTable::default(),
    }
}

/// Funding per 8 hours as signed bars.
fn funding(set: &DataSet, asset: &Asset) -> Panel {
    let series = funding_per_8h(set, VENUE, asset, i64::MIN);
    let points: Vec<(i64, f64)> = series.iter().collect();
    let rows = points
        .into_iter()
        .rev()
        .take(60)
        .map(|(t, v)| {
            vec![
                crate::base::calendar::minute_label(t),
                format_value(v, Unit::Percent),
            ]
        })
        .collect();
    Panel {
        id: "chart-funding",
        title: "Funding".to_string(),
        figure: Figure::Bars(BarsFigure {
            times_ms: series.times_ms().to_vec(),
            values: series.values().to_vec(),
            bar_ms: None,
            y: Axis::new("Funding, % per 8 h", Unit::Percent),
            positive_label: "Longs pay".to_string(),
            negative_label: "Shorts pay".to_string(),
        }),
        summary: format!(
            "Funding per 8 hours on {} {asset}: bars above zero when longs pay, below when shorts pay.",
            VENUE.display_name()
        ),
        caption: caption(set, &[VENUE], "Funding per 8 h"),
        table: ChartTable::new(&["Time (UTC)", "Funding per 8 h"], rows),
    }
}

/// Where positions opened in the window would be liquidated, under the assumed leverage mix.
fn liquidation_map(set: &DataSet, asset: &Asset) -> Panel {
    let bars = to_math::bars(&read::candles(set, VENUE, asset, i64::MIN));
    // The map wants open interest at each bar's open; the stamp at an hour's end is the next bar's open.
    let oi = TimeSeries::from_points_lossy(
        read::open_interest(set, VENUE, asset, i64::MIN)
            .iter()
            .map(|r| (r.time_ms - HOUR_MS, r.base)),
    );
    let lo = bars.iter().map(|b| b.low).fold(f64::INFINITY, f64::min) * 0.8;
    let hi = bars.iter().map(|b| b.high).fold(0.0, f64::max) * 1.2;
    let map = PriceGrid::with_buckets(lo, hi, 120)
        .and_then(|g| Ok((g, assumed_leverage_grid(ASSUMED_MMR)?)))
        .and_then(|(g, l)| LiquidationMapEstimator::new(g, l, 0.0))
        .and_then(|e| e.estimate(&bars, &oi));
    let (times, prices): (Vec<i64>, Vec<f64>) =
        bars.iter().map(|b| (b.open_time_ms, b.close)).unzip();
    let (columns, rows, cells, price_range) = match &map {
        Ok(map) => {
            let (w, h) = (map.width(), map.height());
            // The map is column-major (one column per bar); the figure wants rows of price.
            let mut cells = vec![0.0f32; w * h];
            for t in 0..w {
                if let Some(column) = map.column(t) {
                    for (row, v) in column.iter().enumerate() {
                        cells[row * w + t] = *v;
                    }
                }
            }
            let grid = map.price_grid();
            (w, h, cells, (grid.min_price(), grid.max_price()))
        }
        // An empty figure: the chart says it has nothing to draw.
        Err(_) => (0, 0, Vec::new(), (f64::NAN, f64::NAN)),
    };
    let last = read::last_price(set, VENUE, asset).unwrap_or(f64::NAN);
    let levels = ASSUMED_LEVERAGES
        .iter()
        .map(|&l| {
            let at =
                |side| liquidation_price_flat_mmr(side, last, l, ASSUMED_MMR).unwrap_or(f64::NAN);
            vec![
                format!("{l}×"),
                format_value(at(Side::Long), Unit::Usd),
                format_value(at(Side::Short), Unit::Usd),
            ]
        })
        .collect();
    Panel {
        id: "chart-liquidation-map",
        title: "Estimated liquidation map".to_string(),
        figure: Figure::Heatmap(HeatmapFigure {
            columns: u32::try_from(columns).unwrap_or(0),
            rows: u32::try_from(rows).unwrap_or(0),
            cells,
            time_range_ms: (
                times.first().copied().unwrap_or(0),
                times.last().copied().unwrap_or(0) + HOUR_MS,
            ),
            price_range,
            price_times_ms: times,
            prices,
            price_label: "Close".to_string(),
            y: Axis::new("Price, USD", Unit::Usd),
            intensity_label: "Estimated liquidations".to_string(),
            intensity_unit: Unit::Suffix("BTC"),
        }),
        summary: "Estimated liquidation levels over time from open-interest increases, with the price on top."
            .to_string(),
        caption: caption(set, &[VENUE], "Liquidation map (estimate)"),
        table: ChartTable::new(
            &[
                "Leverage (from the last close)",
                "Long liquidates at",
                "Short liquidates at",
            ],
            levels,
        ),
    }
}

/// Five-minute order-flow imbalance against the mid-price change, with the least-squares line.
fn order_flow(set: &DataSet, asset: &Asset) -> Panel {
    let quotes: Vec<BestQuote> = read::quotes(set, VENUE, asset)
        .iter()
        .map(BestQuote::from)
        .collect();
    let (xs, ys, fit) =
        match OrderFlowImbalance::new(5 * 60_000, 0.1).and_then(|o| o.compute(&quotes)) {
            Ok(s) => {
                let (_, columns) = lens_math::series::align(&[&s.ofi, &s.mid_change_ticks]);
                let fit = s.regression().ok().map(|r| LinearFit {
                    slope: r.slope_ticks_per_unit,
                    intercept: r.intercept_ticks,
                });
                let mut columns = columns.into_iter();
                (
                    columns.next().unwrap_or_default(),
                    columns.next().unwrap_or_default(),
                    fit,
                )
            }
            Err(_) => (Vec::new(), Vec::new(), None),
        };
    let rows = xs
        .iter()
        .zip(&ys)
        .take(300)
        .map(|(x, y)| vec![format!("{x:.3}"), format!("{y:.0}")])
        .collect();
    Panel {
        id: "chart-order-flow",
        title: "Order-flow imbalance and price".to_string(),
        figure: Figure::Scatter(ScatterFigure {
            xs,
            ys,
            points_label: "5-minute buckets".to_string(),
            fit,
            fit_label: "OLS fit".to_string(),
            x: Axis::new("Order-flow imbalance, BTC", Unit::Plain),
            y: Axis::new("Mid-price change, ticks", Unit::Plain),
        }),
        summary: "Five-minute order-flow imbalance against the mid-price change in ticks, with the fitted line."
            .to_string(),
        caption: caption(set, &[VENUE], "Best quotes, last 24 h"),
        table: ChartTable::new(&["OFI, BTC", "Mid change, ticks"], rows),
    }
}

/// P&L of a 1 BTC 10× long opened at the last close, with its liquidation price (flat maintenance rate).
fn position_pnl(set: &DataSet, asset: &Asset) -> Panel {
    // Without a usable price the chart still shows the shape of the curve, around a round number.
    let entry = read::last_price(set, VENUE, asset).unwrap_or(100_000.0);
    let curve = LinearPosition::with_leverage(Side::Long, 1.0, entry, 10.0)
        .and_then(|p| linear_pnl_curve(&p, entry * 0.8, entry * 1.2, 200))
        .unwrap_or_default();
    let (xs, ys): (Vec<f64>, Vec<f64>) = curve.iter().map(|p| (p.price, p.pnl)).unzip();
    let liquidation =
        liquidation_price_flat_mmr(Side::Long, entry, 10.0, ASSUMED_MMR).unwrap_or(f64::NAN);
    let mut rows: Vec<Vec<String>> = xs
        .iter()
        .zip(&ys)
        .step_by(10)
        .map(|(x, y)| vec![format_value(*x, Unit::Usd), format_value(*y, Unit::Usd)])
        .collect();
    rows.push(vec![
        format!("entry {}", format_value(entry, Unit::Usd)),
        String::new(),
    ]);
    rows.push(vec![
        format!("liquidation {}", format_value(liquidation, Unit::Usd)),
        String::new(),
    ]);
    Panel {
        id: "chart-position-pnl",
        title: "P&L of a leveraged position".to_string(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![CurveLine {
                label: "1 BTC long at 10×".to_string(),
                xs,
                ys,
            }],
            markers: vec![
                CurveMarker {
                    x: entry,
                    label: "entry".to_string(),
                    tone: Tone::Neutral,
                },
                CurveMarker {
                    x: liquidation,
                    label: "liquidation".to_string(),
                    tone: Tone::Short,
                },
            ],
            x: Axis::new("Mark price, USD", Unit::Usd),
            y: Axis::new("P&L, USD", Unit::Usd),
            zero_line: true,
        }),
        summary: "Profit and loss of a 10× long of 1 BTC across prices, with the entry and the liquidation price marked."
            .to_string(),
        caption: caption(set, &[VENUE], "Position calculator"),
        table: ChartTable::new(&["Mark price", "P&L"], rows),
    }
}

/// The Eisenberg–Noe teaching exercise (Barucca): three banks in a ring after a 10 % cut to external assets.
fn contagion_network() -> Panel {
    const OWES: [(usize, usize, f64); 3] = [(0, 1, 4.0), (1, 2, 3.0), (2, 0, 2.0)];
    let mut liabilities = vec![vec![0.0; 3]; 3];
    for (from, to, amount) in OWES {
        liabilities[from][to] = amount;
    }
    let clearing =
        ClearingNetwork::from_balance_sheets(&liabilities, &[18.0, 18.0, 9.0], &[17.0, 18.0, 8.0])
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
    let bank = |i: usize| format!("Bank {i}");
    Panel {
        id: "chart-contagion",
        title: "Contagion network".to_string(),
        figure: Figure::Network(NetworkFigure {
            nodes: states
                .iter()
                .enumerate()
                .map(|(i, s)| (bank(i), *s, 1.0))
                .collect(),
            edges: OWES
                .iter()
                .map(|&(from, to, weight)| NetworkEdge { from, to, weight })
                .collect(),
        }),
        summary: "Three banks owing each other; after a 10 % loss bank 0 defaults.".to_string(),
        caption: "Eisenberg–Noe teaching exercise (Barucca)".to_string(),
        table: ChartTable::new(
            &["Owes", "Amount"],
            OWES.iter()
                .map(|&(from, to, amount)| {
                    vec![format!("{} → {}", bank(from), bank(to)), amount.to_string()]
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::sample::sample_dataset;

    #[test]
    fn every_panel_has_numbers_on_the_sample() {
        let panels = panels(&sample_dataset());
        assert_eq!(panels.len(), 6);
        let ids: std::collections::BTreeSet<_> = panels.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), 6, "ids are unique");
        for panel in &panels {
            let filled = match &panel.figure {
                Figure::Time(t) => t.series.iter().all(|s| !s.values.is_empty()),
                Figure::Bars(f) => !f.values.is_empty(),
                Figure::Heatmap(f) => f.columns > 0 && f.cells.iter().any(|c| *c > 0.0),
                Figure::Scatter(f) => f.xs.len() > 10 && f.fit.is_some(),
                Figure::Curve(f) => f.curves.iter().all(|c| c.xs.len() == 200),
                Figure::Network(f) => f.nodes.len() == 3,
            };
            assert!(filled, "{} is empty", panel.id);
            assert!(!panel.summary.is_empty() && !panel.caption.is_empty());
        }
    }

    /// Barucca's exercise: after the cut, bank 0 (assets 17, owing 4, owed 2) is the one that defaults.
    #[test]
    fn the_teaching_network_shows_bank_0_defaulting() {
        let Figure::Network(f) = contagion_network().figure else {
            panic!("a network")
        };
        let states: Vec<NodeState> = f.nodes.iter().map(|n| n.1).collect();
        assert_eq!(
            states,
            [NodeState::Defaulted, NodeState::Solvent, NodeState::Solvent]
        );
    }

    /// The 10× long liquidates where the equity left equals 0.5 % of the position: 0.9 / 0.995 of the entry.
    #[test]
    fn the_position_marks_its_liquidation_price() {
        let set = sample_dataset();
        let Figure::Curve(f) = position_pnl(&set, &Asset::btc()).figure else {
            panic!("a curve")
        };
        let entry = f.markers[0].x;
        assert!((f.markers[1].x - entry * 0.9 / 0.995).abs() < 1e-6 * entry);
    }

    #[test]
    fn an_empty_data_set_gives_empty_panels_not_a_panic() {
        let empty = DataSet::empty(crate::market::dataset::Origin::Live, 0);
        for panel in panels(&empty) {
            assert!(!panel.summary.is_empty(), "{}", panel.id);
        }
    }
}
