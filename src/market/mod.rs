//! Market data: the normalised model, the venue adapters that translate into it, and the rules of the client
//! that fetches it. Data flows one way: venue bytes → `venues` (parse) → `model` → `dataset`, fetched by
//! `client` under the rules of `policy`, streamed by `stream` under those of `keepalive`; `to_math` hands the
//! model's rows to `lens_math` in its own types.

pub mod cache;
pub mod client;
pub mod config;
pub mod dataset;
pub mod keepalive;
pub mod model;
pub mod parse;
pub mod policy;
pub mod sample;
pub mod snapshot;
pub mod status;
pub mod stream;
pub mod to_math;
pub mod venues;
