//! The time chart's zoom in the address (`?range=from~to`), so a shared link shows the same range.

use leptos::prelude::*;

use super::ChartState;

/// The range a link asks for under `url_key`, if any and readable.
pub(super) fn range_from_link(url_key: Option<&str>) -> Option<(i64, i64)> {
    let search = window().location().search().unwrap_or_default();
    let shared = crate::state::query::param(&search, url_key?)?;
    crate::state::query::parse_range(&shared)
}

/// Writes the zoomed range into the address as it changes (replaceState: no history entry per wheel tick),
/// and removes it when the chart shows everything again.
pub(super) fn write_range_to_link(chart: ChartState, url_key: Option<&'static str>) {
    let Some(key) = url_key else { return };
    Effect::new(move |_| {
        let v = chart.viewport.get();
        if chart.data.with_untracked(|d| d.extent()).is_none() {
            return;
        }
        let (from, to) = v.visible();
        let value = v.is_zoomed().then(|| format!("{from}~{to}"));
        crate::ui::router::replace_params([(key, value.as_deref())]);
    });
}
