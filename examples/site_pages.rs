//! Writes the static site around trunk's `index.html` (see `leverage_lens::site`): every page with its article in
//! place, the article fragments and search index the app reads, JSON-LD, sitemap and robots.txt with a site URL,
//! external scripts for a strict Content-Security-Policy and that policy as a `<meta>` tag with the hosts of
//! `config.json`. It refuses to write a page whose article differs from its fragment.
//!
//! `cargo run --example site_pages -- dist ./ [https://you.github.io/lens/]` after `trunk build`;
//! `cargo run --example site_pages -- --refresh-csp dist` after editing `dist/config.json` (the policy follows).
#![allow(clippy::print_stdout)] // reporting what was written is this tool's job

use std::path::Path;

use leverage_lens::market::config::SiteConfig;
use leverage_lens::site::{
    check_articles, content_security_policy, inline_script_hashes, site_files, with_csp_meta,
};

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
        let config = read_config(dist);
        let pages = std::fs::read_dir(dist)
            .unwrap_or_else(|e| fail(format!("cannot list {}: {e}", dist.display())));
        let mut count = 0;
        for page in pages.flatten().map(|e| e.path()) {
            if page.extension().is_some_and(|x| x == "html") {
                let html = std::fs::read_to_string(&page)
                    .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", page.display())));
                let policy = content_security_policy(&config, &inline_script_hashes(&html));
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
    if let Err(mismatch) = check_articles(&files) {
        fail(format!("refusing to write the site: {}", mismatch.0));
    }
    for file in &files {
        let path = dist.join(&file.name);
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            fail(format!("cannot create {}: {e}", dir.display()));
        }
        if let Err(e) = std::fs::write(&path, &file.content) {
            fail(format!("cannot write {}: {e}", file.name));
        }
    }
    // Read back what landed on disk: the pages must still hold exactly their articles.
    let written: Vec<_> = files
        .iter()
        .map(|f| leverage_lens::site::SiteFile {
            name: f.name.clone(),
            content: std::fs::read_to_string(dist.join(&f.name)).unwrap_or_default(),
        })
        .collect();
    if let Err(mismatch) = check_articles(&written) {
        fail(format!("the written site is wrong: {}", mismatch.0));
    }
    println!(
        "site pages: {} files written to {}",
        files.len(),
        dist.display()
    );
    // The policy every page carries, for hosts that set it as a header too (add frame-ancestors there).
    if let Some(index) = files.iter().find(|f| f.name == "index.html")
        && let Some(policy) = index
            .content
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
    {
        println!("Content-Security-Policy: {policy}");
    }
}
