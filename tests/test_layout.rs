//! One place for unit tests, checked. In `src/` and `crates/lens-math/src/` a module's unit tests live in its
//! child module `tests`, behind `#[cfg(test)]`: inline (`mod tests { … }`) while short, else in
//! `<module>/tests.rs`, with topic files under `<module>/tests/` when there are several. So the tests of
//! `margin/tiers.rs` are in `margin/tiers/tests.rs`, and nowhere else. Tests of the built site and of the
//! browser are under `tests/` at the top (see ARCHITECTURE.md, "Tests").
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

mod support;
use support::rust_files;

const ROOTS: [&str; 2] = ["src", "crates/lens-math/src"];

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ROOTS {
        rust_files(&root.join(dir), &mut out);
    }
    assert!(out.len() > 100, "the walk found the sources");
    out
}

/// What breaks the convention in one file, by its name and its text.
/// `path` is relative to the repository root.
fn problems(path: &Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if name != "tests" && (name.ends_with("_tests") || name.starts_with("tests_")) {
        found.push(
            "a test file beside its module: move it to <module>/tests.rs or <module>/tests/".into(),
        );
    }
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.starts_with("#[path") {
            found.push(format!(
                "line {}: #[path] hides where a module lives",
                i + 1
            ));
        }
        let declares_tests = [
            "mod tests",
            "pub mod tests",
            "pub(crate) mod tests",
            "pub(super) mod tests",
        ]
        .iter()
        .any(|d| line.starts_with(d));
        let gated = i > 0 && lines[i - 1].trim() == "#[cfg(test)]";
        // Child modules of a test module are compiled only with it.
        let inside_tests = path.components().any(|c| c.as_os_str() == "tests");
        if declares_tests && !gated && !inside_tests && !name.eq("tests") {
            found.push(format!("line {}: `mod tests` without #[cfg(test)]", i + 1));
        }
        if (line.starts_with("mod ") || line.starts_with("pub mod ")) && line.contains("_tests") {
            found.push(format!("line {}: a test module not named `tests`", i + 1));
        }
    }
    found
}

#[test]
fn unit_tests_live_in_the_tests_child_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for path in files() {
        let text = fs::read_to_string(&path).unwrap();
        let relative = path.strip_prefix(root).unwrap();
        for p in problems(relative, &text) {
            all.push(format!("{}: {p}", relative.display()));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn a_stray_layout_is_caught() {
    assert_eq!(problems(Path::new("src/x/tiers_tests.rs"), "").len(), 1);
    assert_eq!(problems(Path::new("src/x/tests_cycle.rs"), "").len(), 1);
    assert_eq!(
        problems(
            Path::new("src/x.rs"),
            "#[cfg(test)]\n#[path = \"x_tests.rs\"]\nmod tests;\n"
        )
        .len(),
        2,
        "the #[path] and the ungated mod (its attribute is not right above it)"
    );
    assert_eq!(problems(Path::new("src/x.rs"), "mod tests;\n").len(), 1);
    assert_eq!(
        problems(Path::new("src/x.rs"), "#[cfg(test)]\nmod sample_tests;\n").len(),
        1
    );
    assert!(problems(Path::new("src/x.rs"), "#[cfg(test)]\nmod tests;\n").is_empty());
    assert!(problems(Path::new("src/x/tests.rs"), "mod calibration;\n").is_empty());
}
