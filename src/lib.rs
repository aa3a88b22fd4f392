//! Leverage Lens: a glossary of leverage imbalances in crypto derivatives, each term proven on numbers.
//!
//! Module map (data flows top to bottom):
//! - [`base`]: leaf helpers every layer may use: calendar arithmetic, percent-encoding, web origins.
//! - [`chart`]: chart drawing, generic over plotters' backends: decimation, axes, themes, every chart kind.
//! - [`crash`]: the panic hook that hands a crash to the page's banner.
//! - [`lesson`]: what each term teaches: its live example (data and controls in, charts, numbers and a sentence
//!   out), its worked example as a calculator, the overview's dashboard and the chart gallery.
//! - [`glossary`]: the term pages, compiled from Markdown at build time, and their search.
//! - [`market`]: market data: the normalised model, venue adapters, the fetching client's rules.
//! - `site`: the static site written around `index.html` after the build (pages with their articles, fragments,
//!   JSON-LD, CSP); native only, the wasm does not carry it.
//! - [`state`]: what is on screen as plain data: the route from the query string, saved preferences.
//! - [`ui`]: Leptos components: the app shell, pages and small widgets.
//!
//! The indicators themselves live in the `lens-math` workspace crate, which has no web dependency.

pub mod base;
pub mod chart;
pub mod crash;
pub mod glossary;
pub mod lesson;
pub mod market;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
pub mod state;
pub mod ui;

pub use ui::app::App;
