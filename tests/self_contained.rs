//! The repository stands on its own: no source, test or document points at files a person who clones it does not
//! have (a sibling checkout, a machine path, a design document kept elsewhere).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

/// Where the repo's own text lives. Generated and installed folders are left out.
const ROOTS: [&str; 7] = [
    "src",
    "crates",
    "tests",
    "examples",
    ".ci",
    "style",
    "README.md",
];
const SKIP: [&str; 4] = [
    "node_modules",
    "artifacts",
    "target",
    "proptest-regressions",
];
const EXTENSIONS: [&str; 7] = ["rs", "md", "mjs", "toml", "sh", "css", "json"];

/// Text that names something outside the repo: the sibling folder of reference notes, the machines' work folders,
/// and the notes' own section and folder names. Spelt in parts so this file does not match itself.
const OUTSIDE: [&str; 5] = [
    concat!("..", "/shared"),
    concat!("/", "work", "/"),
    concat!("/", "farm", "/"),
    concat!("METHODS", " §"),
    concat!("research", "/"),
];

fn walk(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if SKIP.iter().any(|s| path.ends_with(s)) {
            return;
        }
        for entry in fs::read_dir(path).unwrap() {
            walk(&entry.unwrap().path(), out);
        }
    } else if path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
    {
        out.push(path.to_path_buf());
    }
}

fn outside_references(text: &str) -> Vec<(usize, &'static str)> {
    text.lines()
        .enumerate()
        .flat_map(|(i, line)| {
            OUTSIDE
                .iter()
                // Inside a web address any path is fine.
                .filter(move |o| {
                    line.find(**o)
                        .is_some_and(|at| !line[..at].contains("https://"))
                })
                .map(move |o| (i + 1, *o))
        })
        .collect()
}

#[test]
fn nothing_points_outside_the_repo() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for r in ROOTS {
        walk(&root.join(r), &mut files);
    }
    files.push(root.join("ARCHITECTURE.md"));
    files.push(root.join("Makefile"));
    assert!(
        files.len() > 200,
        "the walk found the repo ({} files)",
        files.len()
    );
    let mut found = Vec::new();
    for path in &files {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        for (line, what) in outside_references(&text) {
            found.push(format!(
                "{}:{line}: {what}",
                path.strip_prefix(root).unwrap().display()
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn an_outside_reference_is_caught_and_a_web_address_is_not() {
    assert_eq!(
        outside_references(&format!("see {}/DESIGN.md", OUTSIDE[0])).len(),
        1
    );
    assert_eq!(
        outside_references(&format!("x\n({}3.2)", OUTSIDE[3])).len(),
        1
    );
    assert!(outside_references("<https://blockscholes.com/research/volatility-review>").is_empty());
}
