//! The architecture as a test: layers point down. Every module of `src/` may name (`crate::…`) only the layers
//! below it; this table is the single source of the allowed arrows, and ARCHITECTURE.md draws it.
//!
//! ```text
//! ui ─→ state ─→ lesson ─→ market, chart ─→ lens-math
//!  │       │        └────→ glossary
//!  └─ inside ui: app ─→ pages ─→ components ─→ data, article, router
//! site (the native build step) ─→ state, market, glossary
//! everything ─→ base (leaf helpers: calendar, percent-encoding, origins), crash
//! ```
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

mod support;
use support::rust_files;

/// (layer, the layers it may name). A layer is a top-level module of `src/`, or `ui::<part>` inside the UI.
const ALLOWED: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("crash", &["base"]),
    ("glossary", &["base"]),
    ("chart", &["base"]),
    ("market", &["base"]),
    ("lesson", &["market", "chart", "glossary", "base"]),
    ("state", &["lesson", "market", "glossary", "base"]),
    ("site", &["state", "market", "glossary", "base"]),
    (
        "ui::app",
        &[
            "ui::pages",
            "ui::components",
            "ui::services",
            "state",
            "lesson",
            "market",
            "chart",
            "glossary",
            "crash",
            "base",
        ],
    ),
    (
        "ui::pages",
        &[
            "ui::components",
            "ui::services",
            "state",
            "lesson",
            "market",
            "chart",
            "glossary",
            "crash",
            "base",
        ],
    ),
    (
        "ui::components",
        &[
            "ui::services",
            "state",
            "lesson",
            "market",
            "chart",
            "glossary",
            "crash",
            "base",
        ],
    ),
    (
        "ui::services",
        &[
            "state", "lesson", "market", "chart", "glossary", "crash", "base",
        ],
    ),
];

/// The layer a file of `src/` belongs to; `None` for the crate root and the binary.
fn layer_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    match parts.first().map(String::as_str)? {
        "lib" | "main" => None,
        "ui" => Some(match parts.get(1).map(String::as_str) {
            Some("app") => "ui::app".into(),
            Some("pages") => "ui::pages".into(),
            Some("components") => "ui::components".into(),
            // The UI's shared services and its module file.
            _ => "ui::services".into(),
        }),
        top => Some(top.to_string()),
    }
}

/// The layer a `crate::` path names, from the text just after `crate::`.
fn layer_named(path: &str) -> String {
    let mut segments = path.split("::");
    let top = segments.next().unwrap_or_default();
    if top != "ui" {
        return top.to_string();
    }
    match segments.next().unwrap_or_default() {
        "app" | "App" => "ui::app".into(),
        "pages" => "ui::pages".into(),
        "components" => "ui::components".into(),
        _ => "ui::services".into(),
    }
}

/// Every `crate::a::b` path in the code of `text` (comments left out), with its line.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            // `lens_math_crate::` or a longer identifier ending in "crate" is not ours.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            found.push((n + 1, path));
        }
    }
    found
}

#[test]
fn layers_point_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let layers: BTreeSet<&str> = ALLOWED.iter().map(|(l, _)| *l).collect();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(layer) = layer_of(relative) else {
            continue;
        };
        let allowed = ALLOWED
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, a)| *a)
            .unwrap_or_else(|| {
                panic!(
                    "{} is in no layer: add {layer} to ALLOWED",
                    relative.display()
                )
            });
        for (line, path) in crate_paths(&fs::read_to_string(file).unwrap()) {
            let named = layer_named(&path);
            if named == layer || !layers.contains(named.as_str()) && !named.starts_with("ui") {
                // Its own layer, or something that is not a layer (a macro, `crate::App`).
                continue;
            }
            if !allowed.contains(&named.as_str()) {
                wrong.push(format!(
                    "{}:{line}: {layer} names crate::{path}",
                    relative.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up the layers:\n{}",
        wrong.join("\n")
    );
}

/// The test must be able to fail: an upward import in a made-up file is caught.
#[test]
fn an_upward_import_is_caught() {
    let paths = crate_paths(
        "use crate::ui::app::App; // crate::state is only a comment\nlet x = lens_crate::y;",
    );
    assert_eq!(paths, vec![(1, "ui::app::App".to_string())]);
    assert_eq!(layer_named("ui::app::App"), "ui::app");
    assert_eq!(
        layer_of(Path::new("chart/time_axis.rs")).as_deref(),
        Some("chart")
    );
    let chart = ALLOWED.iter().find(|(l, _)| *l == "chart").unwrap().1;
    assert!(!chart.contains(&"market"));
    assert_eq!(
        layer_of(Path::new("ui/pages/embed.rs")).as_deref(),
        Some("ui::pages")
    );
    let pages = ALLOWED.iter().find(|(l, _)| *l == "ui::pages").unwrap().1;
    assert!(!pages.contains(&"ui::app"));
}
