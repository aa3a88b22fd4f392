//! Small reusable widgets.

pub mod chart_canvas;
pub mod dynamics_dashboard;
pub mod link_notices;
pub mod live_data;
pub mod live_example;
pub mod network_editor;
pub mod panel_chart;
pub mod sample_scale;
pub mod search_box;
pub mod share;
pub mod term_list;
pub mod theme_toggle;
pub mod time_chart;
pub mod worked_example;
