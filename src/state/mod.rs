//! What the user is looking at, as plain data: the route (which page) and persisted preferences.

pub mod embed;
pub mod query;
pub mod route;
pub mod settings;
pub mod view;
