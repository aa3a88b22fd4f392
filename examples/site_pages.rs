//! Writes the static site around trunk's `index.html` (see `leverage_lens::site`): external scripts for a strict
//! Content-Security-Policy and one entry file per term for link previews.
//! `cargo run --example site_pages -- dist ./ [https://you.github.io/lens/]`
#![allow(clippy::print_stdout)] // reporting what was written is this tool's job

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dist = Path::new(args.first().map_or("dist", String::as_str));
    let public_url = args.get(1).map_or("./", String::as_str);
    let site_url = args.get(2).map(String::as_str).filter(|u| !u.is_empty());
    let index = match std::fs::read_to_string(dist.join("index.html")) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("cannot read {}/index.html: {e}", dist.display());
            std::process::exit(1);
        }
    };
    if index.contains("lens:entry-files") {
        eprintln!(
            "{}/index.html was already rewritten; run trunk build first",
            dist.display()
        );
        std::process::exit(1);
    }
    let files = leverage_lens::site::site_files(&index, public_url, site_url);
    for file in &files {
        if let Err(e) = std::fs::write(dist.join(&file.name), &file.content) {
            eprintln!("cannot write {}: {e}", file.name);
            std::process::exit(1);
        }
    }
    println!(
        "site pages: {} files written to {}",
        files.len(),
        dist.display()
    );
}
