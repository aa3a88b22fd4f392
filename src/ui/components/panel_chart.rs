//! One [`Panel`]'s chart: a time figure as the interactive time chart, any other figure on a static canvas
//! with its summary, caption and data table. Shared by the live examples, the chart gallery and the worked
//! examples' ladders.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::chart::figure::{ChartTable, Figure, Panel, TimeChartData};
use crate::ui::components::chart_canvas::{DrawFn, StaticChart};
use crate::ui::components::time_chart::TimeChart;

/// Draws `panel` (None: nothing to draw yet). Whether it is a time chart is read once, when it mounts.
#[component]
pub fn PanelChart(
    panel: Memo<Option<Panel>>,
    /// The element id of a time chart (unique on the page).
    id: &'static str,
    /// The link parameter a time chart writes its zoom to, if any.
    #[prop(optional)]
    url_key: Option<&'static str>,
    /// A static chart's height, when not the default.
    #[prop(optional)]
    height_px: Option<f64>,
    /// What the chart says when there is nothing to draw.
    #[prop(default = "no data")]
    empty: &'static str,
) -> impl IntoView {
    let is_time =
        panel.with_untracked(|p| matches!(p.as_ref().map(|p| &p.figure), Some(Figure::Time(_))));
    if is_time {
        // A memo: the time chart reads its data from many places (each hover frame too), and a derived signal
        // would copy every series on each read.
        let data = Memo::new(move |_| {
            Arc::new(panel.with(|p| match p.as_ref().map(|p| &p.figure) {
                Some(Figure::Time(t)) => t.clone(),
                _ => empty_time_chart(),
            }))
        });
        return match url_key {
            Some(key) => view! { <TimeChart data id=id url_key=key /> }.into_any(),
            None => view! { <TimeChart data id=id /> }.into_any(),
        };
    }
    let draw: Rc<dyn Fn() -> DrawFn> = Rc::new(move || {
        let figure = panel.with(|p| p.as_ref().map(|p| p.figure.clone()));
        Rc::new(move |area, theme, px, canvas| match &figure {
            Some(f) => f.draw(area, theme, px, Some(&|image| canvas.paint_cells(image))),
            None => Err(crate::chart::ChartError::InvalidSpec(empty.into())),
        })
    });
    let text = move |f: fn(&Panel) -> String| {
        Signal::derive(move || panel.with(|p| p.as_ref().map(f).unwrap_or_default()))
    };
    let table = Signal::derive(move || {
        panel.with(|p| {
            p.as_ref()
                .map(|p| p.table.clone())
                .unwrap_or_else(ChartTable::default)
        })
    });
    let summary = text(|p| p.summary.clone());
    let caption = text(|p| p.caption.clone());
    match height_px {
        Some(height_px) => {
            view! { <StaticChart draw summary caption table height_px /> }.into_any()
        }
        None => view! { <StaticChart draw summary caption table /> }.into_any(),
    }
}

fn empty_time_chart() -> TimeChartData {
    TimeChartData {
        series: Vec::new(),
        y_label: String::new(),
        y_unit: crate::chart::Unit::Plain,
        y2: None,
        markers: Vec::new(),
        caption: String::new(),
        summary: String::new(),
    }
}
