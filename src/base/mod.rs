//! The leaf helpers every layer may use: calendar arithmetic, percent-encoding, web origins. Nothing here
//! imports from the rest of the crate, so no layer has to reach up for them.

pub mod calendar;
pub mod origin;
pub mod percent;
