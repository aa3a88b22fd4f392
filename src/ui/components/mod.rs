//! Small reusable widgets.

pub mod search_box;
pub mod term_list;
pub mod theme_toggle;
