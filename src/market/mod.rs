//! Market data: the normalised model, the venue adapters that translate into it, and the rules of the client
//! that fetches it (see `../shared/DESIGN.md`, "Data flow").

pub mod cache;
pub mod calendar;
pub mod client;
pub mod config;
pub mod dataset;
pub mod model;
pub mod parse;
pub mod policy;
pub mod sample;
pub mod snapshot;
pub mod status;
pub mod stream;
pub mod venues;
