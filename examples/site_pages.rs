//! Writes the static site around trunk's `index.html` (see `leverage_lens::site`): external scripts for a strict
//! Content-Security-Policy, that policy as a `<meta>` tag with the hosts of `config.json`, and one entry file per
//! term for link previews.
//!
//! `cargo run --example site_pages -- dist ./ [https://you.github.io/lens/]` after `trunk build`;
//! `cargo run --example site_pages -- --refresh-csp dist` after editing `dist/config.json` (the policy follows).
#![allow(clippy::print_stdout)] // reporting what was written is this tool's job

use std::path::Path;

use leverage_lens::market::config::SiteConfig;
use leverage_lens::site::{content_security_policy, site_files, with_csp_meta};

fn fail(message: String) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}

/// The site's `config.json` (the defaults when there is none), with its problems printed.
fn read_config(dist: &Path) -> SiteConfig {
    let Ok(text) = std::fs::read_to_string(dist.join("config.json")) else {
        return SiteConfig::default();
    };
    let (config, problems) = SiteConfig::from_json(&text);
    for problem in problems {
        eprintln!("warning: {problem}");
    }
    config
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--refresh-csp") {
        let dist = Path::new(args.get(1).map_or("dist", String::as_str));
        let policy = content_security_policy(&read_config(dist));
        let pages = std::fs::read_dir(dist)
            .unwrap_or_else(|e| fail(format!("cannot list {}: {e}", dist.display())));
        let mut count = 0;
        for page in pages.flatten().map(|e| e.path()) {
            if page.extension().is_some_and(|x| x == "html") {
                let html = std::fs::read_to_string(&page)
                    .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", page.display())));
                std::fs::write(&page, with_csp_meta(&html, &policy))
                    .unwrap_or_else(|e| fail(format!("cannot write {}: {e}", page.display())));
                count += 1;
            }
        }
        println!("site pages: the policy of {count} pages follows config.json");
        return;
    }
    let dist = Path::new(args.first().map_or("dist", String::as_str));
    let public_url = args.get(1).map_or("./", String::as_str);
    let site_url = args.get(2).map(String::as_str).filter(|u| !u.is_empty());
    let index = std::fs::read_to_string(dist.join("index.html"))
        .unwrap_or_else(|e| fail(format!("cannot read {}/index.html: {e}", dist.display())));
    if index.contains("lens:entry-files") {
        fail(format!(
            "{}/index.html was already rewritten; run trunk build first",
            dist.display()
        ));
    }
    let files = site_files(&index, public_url, site_url, &read_config(dist));
    for file in &files {
        if let Err(e) = std::fs::write(dist.join(&file.name), &file.content) {
            fail(format!("cannot write {}: {e}", file.name));
        }
    }
    println!(
        "site pages: {} files written to {}",
        files.len(),
        dist.display()
    );
}
