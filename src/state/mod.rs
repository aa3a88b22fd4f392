//! What the user is looking at, as plain data: the route (which page) and persisted preferences.

pub mod query;
pub mod route;
pub mod settings;
