//! Browser tests (wasm-bindgen-test in headless Chromium): the app mounted in a real DOM, navigated with real
//! clicks and keys, with real history and localStorage. Run with `make test-browser`.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test. Clippy only recognises #[test], not #[wasm_bindgen_test].
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
mod charts;
mod storage;
