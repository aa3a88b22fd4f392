//! Compiles the glossary's Markdown (src/glossary/terms/*.md, src/glossary/overview.md) into Rust statics.
//!
//! Why at build time: the browser then receives finished HTML and MathML (no Markdown parser, no JS math
//! library in the bundle), and every broken term link, unknown facet or LaTeX error fails the build instead of
//! showing up as a blank spot on a page.
//!
//! The HTML produced here is ours (written in this repository and checked below: no raw HTML, only `term:` and
//! `https://` links), which is why the app may insert it with `inner_html`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

// The page templates, shared with nothing else: the words of every page are rendered here, once.
#[path = "src/glossary/static_html.rs"]
#[allow(dead_code)]
mod static_html;
use static_html::{
    FacetHtml, OverviewArticle, SectionHtml, TermArticle, TermLink, overview_article, sidebar,
    term_article,
};

const TERMS_DIR: &str = "src/glossary/terms";
/// The simulated sample's calibration table, published beside the site as its own page.
const CALIBRATION_FILE: &str = "crates/lens-math/src/sim/CALIBRATION.md";
const OVERVIEW_FILE: &str = "src/glossary/overview.md";
const FACETS: [&str; 3] = ["analysis", "adjustment", "algorithm"];
const TERM_SECTIONS: [&str; 5] = [
    "Definition",
    "Formula",
    "Worked example",
    "Reading the number",
    "Caveats",
];

fn main() {
    println!("cargo::rerun-if-changed={TERMS_DIR}");
    println!("cargo::rerun-if-changed={OVERVIEW_FILE}");
    println!("cargo::rerun-if-changed={CALIBRATION_FILE}");
    println!("cargo::rerun-if-changed=src/glossary/static_html.rs");
    if let Err(message) = run() {
        // A build script reports failure by panicking; the message is what the author needs to fix.
        panic!("glossary build failed: {message}");
    }
}

struct Section {
    id: String,
    heading: String,
    html: String,
}

struct Page {
    file: PathBuf,
    front: BTreeMap<String, String>,
    lead_html: String,
    sections: Vec<Section>,
    search_text: String,
}

fn run() -> Result<(), String> {
    let mut files: Vec<PathBuf> = fs::read_dir(TERMS_DIR)
        .map_err(|e| format!("cannot read {TERMS_DIR}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    let slugs: Vec<String> = files.iter().map(|p| slug_of(p)).collect::<Result<_, _>>()?;

    let converter =
        LatexToMathML::new(MathCoreConfig::default()).map_err(|e| format!("math-core: {e:?}"))?;
    let mut terms = Vec::new();
    for (file, slug) in files.iter().zip(&slugs) {
        let page = compile_page(file, &slugs, &converter)?;
        check_term(&page, slug, &slugs)?;
        terms.push((slug.clone(), page));
    }
    terms.sort_by_key(|(_, page)| page.front.get("order").and_then(|o| o.parse::<u32>().ok()));

    let overview = compile_page(Path::new(OVERVIEW_FILE), &slugs, &converter)?;
    for facet in FACETS {
        let title = capitalise(facet);
        if !overview.sections.iter().any(|s| s.heading == title) {
            return Err(format!("{OVERVIEW_FILE}: missing section '## {title}'"));
        }
    }

    let out_dir = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let write = |name: &str, text: String| {
        let path = out_dir.join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("glossary_generated.rs", render_rust(&terms, &overview))?;
    let pages = render_pages(&terms, &overview);
    // Also as files, so a test in the browser can hand the app exactly what the build serves.
    fs::create_dir_all(out_dir.join("articles")).map_err(|e| e.to_string())?;
    for page in &pages {
        write(&format!("articles/{}.html", page.key), page.article.clone())?;
    }
    write("sample_calibration.html", render_calibration()?)?;
    write("glossary_pages.rs", render_pages_rust(&pages, &terms))
}

/// The calibration table as HTML: plain Markdown with tables, no raw HTML, links only to `https://`.
fn render_calibration() -> Result<String, String> {
    let text = fs::read_to_string(CALIBRATION_FILE)
        .map_err(|e| format!("cannot read {CALIBRATION_FILE}: {e}"))?;
    let mut events = Vec::new();
    for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(format!("{CALIBRATION_FILE}: raw HTML is not allowed"));
            }
            Event::Start(Tag::Link { dest_url, .. }) if !dest_url.starts_with("https://") => {
                return Err(format!("{CALIBRATION_FILE}: link {dest_url} is not https"));
            }
            _ => {}
        }
        // Column alignment would come out as inline `style` attributes, which the site's policy refuses.
        let event = match event {
            Event::Start(Tag::Table(columns)) => Event::Start(Tag::Table(vec![
                    pulldown_cmark::Alignment::None;
                    columns.len()
                ])),
            other => other,
        };
        events.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

/// One page of the static site: its key (`overview` or a slug), its article and its sidebar.
struct StaticPage {
    key: String,
    article: String,
    sidebar: String,
}

/// Every page's article and sidebar, rendered with `static_html`.
fn render_pages(terms: &[(String, Page)], overview: &Page) -> Vec<StaticPage> {
    fn link((slug, page): &(String, Page)) -> TermLink<'_> {
        TermLink {
            slug: slug.as_str(),
            title: page.front["title"].as_str(),
            gist: page.front["gist"].as_str(),
        }
    }
    let facets: Vec<FacetHtml> = FACETS
        .iter()
        .map(|facet| {
            let name = capitalise(facet);
            let html = overview
                .sections
                .iter()
                .find(|s| s.heading == name)
                .map_or("", |s| s.html.as_str());
            FacetHtml {
                name: facet_name(facet),
                anchor: facet,
                html,
                terms: terms
                    .iter()
                    .filter(|(_, p)| p.front["facet"] == *facet)
                    .map(link)
                    .collect(),
            }
        })
        .collect();
    let mut pages = vec![StaticPage {
        key: "overview".to_string(),
        article: overview_article(&OverviewArticle {
            title: overview
                .front
                .get("title")
                .map_or("Leverage Imbalances", String::as_str),
            gist: overview.front.get("gist").map_or("", String::as_str),
            lead_html: &overview.lead_html,
            facets: &facets,
        }),
        sidebar: sidebar(&facets, None),
    }];
    for (i, (slug, page)) in terms.iter().enumerate() {
        let sections: Vec<SectionHtml> = page
            .sections
            .iter()
            .map(|s| SectionHtml {
                id: &s.id,
                heading: &s.heading,
                html: &s.html,
            })
            .collect();
        let related: Vec<TermLink> = split_list(&page.front["related"])
            .filter_map(|r| terms.iter().find(|(s, _)| s == r))
            .map(link)
            .collect();
        let facet = &page.front["facet"];
        let article = term_article(&TermArticle {
            term: link(&terms[i]),
            facet_name: facet_name(facet),
            facet_anchor: facet,
            sections: &sections,
            related: &related,
            previous: i.checked_sub(1).map(|j| link(&terms[j])),
            next: terms.get(i + 1).map(link),
        });
        pages.push(StaticPage {
            key: slug.clone(),
            article,
            sidebar: sidebar(&facets, Some(slug)),
        });
    }
    pages
}

fn facet_name(facet: &str) -> &'static str {
    match facet {
        "analysis" => "Analysis",
        "adjustment" => "Adjustment",
        _ => "Algorithm",
    }
}

/// The native-only module the site writer reads: each page's article and sidebar, and each term's plain text
/// for the search index.
fn render_pages_rust(pages: &[StaticPage], terms: &[(String, Page)]) -> String {
    let mut out = String::from("// @generated by build.rs from src/glossary/*.md; do not edit.\n");
    out.push_str("pub static PAGES: &[StaticPage] = &[\n");
    for p in pages {
        let _ = writeln!(
            out,
            "StaticPage {{ key: {:?}, article: {:?}, sidebar: {:?} }},",
            p.key, p.article, p.sidebar
        );
    }
    out.push_str("];\npub static SEARCH_TEXT: &[(&str, &str)] = &[\n");
    for (slug, page) in terms {
        let _ = writeln!(out, "({slug:?}, {:?}),", page.search_text);
    }
    out.push_str("];\n");
    out
}

fn slug_of(path: &Path) -> Result<String, String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem.is_empty()
        || !stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "{}: file name must be a lowercase slug",
            path.display()
        ));
    }
    Ok(stem.to_string())
}

fn check_term(page: &Page, slug: &str, slugs: &[String]) -> Result<(), String> {
    let file = page.file.display();
    for key in ["title", "facet", "order", "gist", "related"] {
        if page.front.get(key).is_none_or(|v| v.is_empty()) {
            return Err(format!("{file}: front matter lacks '{key}'"));
        }
    }
    let facet = &page.front["facet"];
    if !FACETS.contains(&facet.as_str()) {
        return Err(format!("{file}: facet '{facet}' is not one of {FACETS:?}"));
    }
    if page.front["order"].parse::<u32>().is_err() {
        return Err(format!("{file}: order must be a whole number"));
    }
    for related in split_list(&page.front["related"]) {
        if related == slug || !slugs.iter().any(|s| s == related) {
            return Err(format!(
                "{file}: related term '{related}' does not exist (or is the term itself)"
            ));
        }
    }
    let headings: Vec<&str> = page.sections.iter().map(|s| s.heading.as_str()).collect();
    if headings != TERM_SECTIONS {
        return Err(format!(
            "{file}: sections must be {TERM_SECTIONS:?} in that order, found {headings:?}"
        ));
    }
    Ok(())
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end], &rest[end + 5..]))
}

fn compile_page(file: &Path, slugs: &[String], converter: &LatexToMathML) -> Result<Page, String> {
    let name = file.display().to_string();
    let text = fs::read_to_string(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = text.replace("\r\n", "\n");
    let (front_text, body) =
        split_front_matter(&text).ok_or_else(|| format!("{name}: no front matter"))?;
    let mut front = BTreeMap::new();
    for line in front_text.lines() {
        let line = line.split(" #").next().unwrap_or_default();
        if let Some((key, value)) = line.split_once(':') {
            front.insert(key.trim().to_string(), value.trim().to_string());
        }
    }

    let mut lead: Vec<Event> = Vec::new();
    let mut sections: Vec<(String, Vec<Event>)> = Vec::new();
    let mut heading: Option<String> = None;
    let mut search_text = String::new();
    // Inside an `in:`/`out:` number (its text becomes the span's).
    let mut in_number = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_MATH;

    for event in Parser::new_ext(body, options) {
        let event = match event {
            Event::Start(Tag::Heading { level, .. }) => match level {
                HeadingLevel::H1 => {
                    return Err(format!(
                        "{name}: '#' headings are reserved for the page title"
                    ));
                }
                HeadingLevel::H2 => {
                    heading = Some(String::new());
                    continue;
                }
                _ => Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: vec![],
                    attrs: vec![],
                }),
            },
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let title = heading.take().unwrap_or_default();
                search_text.push_str(&title);
                search_text.push(' ');
                sections.push((title, Vec::new()));
                continue;
            }
            Event::Text(t) if heading.is_some() => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
                continue;
            }
            Event::Text(t) => {
                search_text.push_str(&t);
                search_text.push(' ');
                Event::Text(t)
            }
            Event::Code(t) => {
                search_text.push_str(&t);
                search_text.push(' ');
                Event::Code(t)
            }
            Event::InlineMath(latex) => {
                Event::InlineHtml(mathml(converter, &latex, MathDisplay::Inline, &name)?)
            }
            Event::DisplayMath(latex) => {
                Event::InlineHtml(mathml(converter, &latex, MathDisplay::Block, &name)?)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(format!("{name}: raw HTML is not allowed"));
            }
            // `[20](in:margin)` / `[45](out:sale)`: a number of an explorable worked example, which the app
            // turns into a field or keeps up to date (see `src/lesson/worked`).
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with("in:") || dest_url.starts_with("out:") =>
            {
                let (kind, key) = dest_url.split_once(':').unwrap_or_default();
                if key.is_empty()
                    || !key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return Err(format!("{name}: '{dest_url}' needs a lowercase key"));
                }
                if sections.last().is_none_or(|(h, _)| h != "Worked example") {
                    return Err(format!(
                        "{name}: '{dest_url}' is allowed only in the worked example"
                    ));
                }
                in_number = true;
                Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"x-{kind}\" data-x=\"{key}\">"
                )))
            }
            Event::End(TagEnd::Link) if in_number => {
                in_number = false;
                Event::InlineHtml(CowStr::from("</span>"))
            }
            Event::Start(_) if in_number => {
                return Err(format!(
                    "{name}: a worked-example number holds plain text only"
                ));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url =
                    rewrite_link(&dest_url, slugs).map_err(|e| format!("{name}: {e}"))?;
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { .. }) => {
                return Err(format!("{name}: images are not supported"));
            }
            other => other,
        };
        match sections.last_mut() {
            Some((_, events)) => events.push(event),
            None => lead.push(event),
        }
    }

    let mut lead_html = String::new();
    pulldown_cmark::html::push_html(&mut lead_html, lead.into_iter());
    let sections = sections
        .into_iter()
        .map(|(heading, events)| {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, events.into_iter());
            Section {
                id: anchor_id(&heading),
                heading,
                html,
            }
        })
        .collect();
    let search_text = search_text.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Page {
        file: file.to_path_buf(),
        front,
        lead_html,
        sections,
        search_text,
    })
}

fn mathml(
    converter: &LatexToMathML,
    latex: &str,
    display: MathDisplay,
    file: &str,
) -> Result<CowStr<'static>, String> {
    converter
        .convert_with_local_state(latex, display)
        .map(|converted| CowStr::from(converted.mathml))
        .map_err(|e| format!("{file}: LaTeX error in `{latex}`: {e:?}"))
}

/// `term:slug` becomes a link to the term's entry file (a real page with or without JavaScript; the app
/// follows it in place); only https links leave the site.
fn rewrite_link(dest: &str, slugs: &[String]) -> Result<CowStr<'static>, String> {
    if let Some(slug) = dest.strip_prefix("term:") {
        if !slugs.iter().any(|s| s == slug) {
            return Err(format!("link to unknown term '{slug}'"));
        }
        return Ok(CowStr::from(format!("{slug}.html")));
    }
    if dest.starts_with("https://") {
        return Ok(CowStr::from(dest.to_string()));
    }
    Err(format!("link '{dest}' must be term:<slug> or https://"))
}

fn anchor_id(heading: &str) -> String {
    let mut id = String::new();
    for c in heading.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn render_sections(out: &mut String, sections: &[Section]) {
    out.push_str("&[");
    for s in sections {
        let _ = write!(
            out,
            "SectionHead {{ id: {:?}, heading: {:?} }},",
            s.id, s.heading
        );
    }
    out.push(']');
}

/// The glossary's metadata for every target, the wasm included: titles, gists, links and section headings. The
/// words themselves are in `glossary_pages.rs` (native only) and in the pages the build writes.
fn render_rust(terms: &[(String, Page)], overview: &Page) -> String {
    let mut out = String::from("// @generated by build.rs from src/glossary/*.md; do not edit.\n");
    out.push_str("pub static TERMS: &[Term] = &[\n");
    for (slug, page) in terms {
        let f = &page.front;
        let related: Vec<&str> = split_list(&f["related"]).collect();
        let _ = write!(
            out,
            "Term {{ slug: {slug:?}, title: {:?}, facet: Facet::{}, order: {}, gist: {:?}, related: &{related:?}, \
             sections: ",
            f["title"],
            capitalise(&f["facet"]),
            f["order"],
            f["gist"],
        );
        render_sections(&mut out, &page.sections);
        out.push_str(" },\n");
    }
    out.push_str("];\n");
    let _ = write!(
        out,
        "pub static OVERVIEW: Overview = Overview {{ title: {:?}, gist: {:?}, sections: ",
        overview
            .front
            .get("title")
            .map(String::as_str)
            .unwrap_or("Leverage Imbalances"),
        overview
            .front
            .get("gist")
            .map(String::as_str)
            .unwrap_or_default(),
    );
    render_sections(&mut out, &overview.sections);
    out.push_str(" };\n");
    out
}
