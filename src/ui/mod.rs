//! Leptos components. Pages compose; they compute nothing themselves.

pub mod app;
pub mod article;
pub mod components;
pub mod data;
pub mod download;
pub mod pages;
pub mod router;
