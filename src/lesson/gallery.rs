//! The chart gallery: one chart of every kind the glossary draws, each read from the data in view (Binance,
//! BTC) and computed here, so the page only lays the panels out.

use lens_math::annotations::{AnnotationLimit, FundingExtremes, LiquidationBursts};
use lens_math::contagion::ClearingNetwork;
use lens_math::margin::{LinearPosition, linear_pnl_curve, liquidation_price_flat_mmr};
use lens_math::market::{Liquidation, Side};
use lens_math::series::{MINUTE_MS, TimeSeries};

use crate::chart::figure::{
    Axis, BarsFigure, ChartMarker, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker,
    Figure, NetworkFigure, Panel, ScatterFigure, TimeChartData,
};
use crate::chart::format::format_value;
use crate::chart::{NetworkEdge, NodeState, Tone, Unit};
use crate::lesson::live_examples::leverage_and_liquidation_risks::{estimate_map, map_panel};
use crate::lesson::live_examples::order_flow_imbalances::ofi;
use crate::lesson::read::{self, ASSUMED_MMR, caption, closes, funding_per_8h};
use crate::market::dataset::DataSet;
use crate::market::model::{Asset, Venue};

/// The venue every gallery chart reads.
pub const VENUE: Venue = Venue::Binance;
/// The id of the interactive price chart (its zoom travels in the link as `range`).
pub const PRICE_CHART_ID: &str = "chart-price-oi";
/// The id of the liquidation map, which the page draws taller than the rest.
pub const LIQUIDATION_MAP_ID: &str = "chart-liquidation-map";
const ORDER_FLOW_ID: &str = "chart-order-flow";

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
    let opens: Vec<i64> = candles.iter().map(|c| c.open_time_ms).collect();
    // Each close stamped at the end of its bar.
    let (times, closes) = closes(&candles);
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

/// Where positions opened in the window would be liquidated, under the assumed leverage mix: the liquidation-risk
/// example's map over the whole data set.
fn liquidation_map(set: &DataSet, asset: &Asset) -> Panel {
    let candles = read::candles(set, VENUE, asset, i64::MIN);
    let oi = read::open_interest(set, VENUE, asset, i64::MIN);
    let price = read::last_price(set, VENUE, asset).unwrap_or(f64::NAN);
    let panel = match estimate_map(&candles, &oi, ASSUMED_MMR) {
        Some((map, bars)) => map_panel(set, &[VENUE], &asset.to_string(), &map, &bars, price),
        None => unavailable(
            "Estimated liquidation map",
            format!(
                "{} has too few bars with open interest for {asset} to estimate a map.",
                VENUE.display_name()
            ),
        ),
    };
    Panel {
        id: LIQUIDATION_MAP_ID,
        ..panel
    }
}

/// Five-minute order-flow imbalance against the mid-price change, with the least-squares line: the order-flow
/// example's reading over every quote in view.
fn order_flow(set: &DataSet, asset: &Asset) -> Panel {
    const BUCKET_MINUTES: i64 = 5;
    let panel = match ofi::order_flow(set, VENUE, asset, i64::MIN, BUCKET_MINUTES * MINUTE_MS) {
        Ok(o) => ofi::ofi_panel(set, VENUE, asset, &o, BUCKET_MINUTES),
        Err(why) => unavailable(
            "Order-flow imbalance and the price move",
            format!("No chart: {why}."),
        ),
    };
    Panel {
        id: ORDER_FLOW_ID,
        ..panel
    }
}

/// A panel that says why it has nothing to draw (its figure is empty, so the chart says so too).
fn unavailable(title: &str, why: String) -> Panel {
    Panel {
        id: "",
        title: title.to_string(),
        figure: Figure::Scatter(ScatterFigure {
            xs: Vec::new(),
            ys: Vec::new(),
            points_label: String::new(),
            fit: None,
            fit_label: String::new(),
            x: Axis::new("", Unit::Plain),
            y: Axis::new("", Unit::Plain),
        }),
        summary: why,
        caption: String::new(),
        table: ChartTable::default(),
    }
}

/// P&L of a 10× long of one coin opened at the last close, with its liquidation price (flat maintenance rate).
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
                label: format!("1 {asset} long at 10×"),
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
        summary: format!(
            "Profit and loss of a 10× long of 1 {asset} across prices, with the entry and the liquidation price marked."
        ),
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
    use lens_math::series::HOUR_MS;

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

    /// Each close is drawn at the end of its bar, and a liquidation marker sits on the close of the bar it fell in.
    #[test]
    fn the_price_line_is_stamped_at_each_bar_end() {
        let set = sample_dataset();
        let candles = read::candles(&set, VENUE, &Asset::btc(), i64::MIN);
        let Figure::Time(t) = price_and_open_interest(&set, &Asset::btc()).figure else {
            panic!("a time chart")
        };
        assert_eq!(t.series[0].times_ms.len(), candles.len());
        assert_eq!(t.series[0].times_ms[0], candles[0].open_time_ms + HOUR_MS);
        assert_eq!(t.series[0].values[0], candles[0].close);
        for marker in &t.markers {
            let i = crate::chart::viewport::nearest_index(&t.series[0].times_ms, marker.time_ms)
                .unwrap();
            assert_eq!(marker.value, Some(t.series[0].values[i]));
        }
    }

    #[test]
    fn an_empty_data_set_gives_empty_panels_not_a_panic() {
        let empty = DataSet::empty(crate::market::dataset::Origin::Live, 0);
        for panel in panels(&empty) {
            assert!(!panel.summary.is_empty(), "{}", panel.id);
        }
    }
}
