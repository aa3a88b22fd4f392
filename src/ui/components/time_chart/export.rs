//! What leaves the time chart: the canvas as PNG, the data in view as CSV, and the same rows as a table.

use leptos::html;
use leptos::prelude::*;

use super::ChartState;
use crate::base::calendar::{minute_label, to_iso8601};
use crate::chart::Unit;
use crate::chart::csv::to_csv;
use crate::chart::figure::TimeChartData;
use crate::chart::format::format_value;
use crate::ui::download::{save_text, save_url};

/// Saves the chart as drawn, at the canvas's full resolution, as `<id>.png`.
pub(super) fn save_png(canvas: NodeRef<html::Canvas>, id: &str) {
    if let Some(canvas) = canvas.get_untracked()
        && let Ok(url) = canvas.to_data_url_with_type("image/png")
    {
        save_url(&url, &format!("{id}.png"));
    }
}

/// Saves the visible series over the visible range as `<id>.csv`.
pub(super) fn save_csv(chart: ChartState, id: &str) {
    let (a, b) = chart.viewport.get_untracked().visible();
    let hidden = chart.hidden.get_untracked();
    let text = chart.data.with_untracked(|d| csv_of(d, &hidden, a, b));
    save_text(&format!("{id}.csv"), "text/csv", &text);
}

fn csv_of(d: &TimeChartData, hidden: &[bool], a: i64, b: i64) -> String {
    let (headers, times, columns) = d.rows_in_view(hidden, a, b);
    to_csv("time (UTC)", &headers, &times, &columns, to_iso8601)
}

/// The data in view as a table (at most 500 rows, evenly thinned, so the DOM stays light).
pub(super) fn data_table(d: &TimeChartData, hidden: &[bool], a: i64, b: i64) -> AnyView {
    const MAX_ROWS: usize = 500;
    let (headers, times, columns) = d.rows_in_view(hidden, a, b);
    let step = times.len().div_ceil(MAX_ROWS).max(1);
    let units: Vec<Unit> = d
        .series
        .iter()
        .filter(|s| headers.contains(&s.label))
        .map(|s| d.unit_of(s))
        .collect();
    view! {
        <div class="chart-table">
            {(step > 1).then(|| view! { <p class="muted">{format!("Every {step}th of {} rows.", times.len())}</p> })}
            <table class="data-table">
                <thead><tr><th scope="col">"Time (UTC)"</th>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {times.iter().enumerate().step_by(step).map(|(j, t)| view! {
                        <tr><td>{minute_label(*t)}</td>
                        {columns.iter().zip(&units).map(|(c, u)| view! { <td>{format_value(c[j], *u)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
