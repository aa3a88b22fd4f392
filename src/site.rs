//! The static site around `index.html`, written after `trunk build` by `examples/site_pages.rs`:
//! - every entry file (`index.html`, `leverage-skew.html`, …) carries its page as real HTML: the article the
//!   build rendered from the glossary's Markdown, in the same shell (header, sidebar, footer) the app draws, so
//!   a reader, a crawler or a link preview sees the page without running the wasm, and the app takes it over
//!   in place;
//! - the same articles as fragments (`articles/<key>.html`), which the app fetches for in-app navigation, and
//!   the full text for search (`search-index.json`);
//! - each page's own title, description, Open Graph / Twitter tags and schema.org JSON-LD (`DefinedTerm` in a
//!   `DefinedTermSet` and a `BreadcrumbList`; the overview a `FAQPage`), and with a site URL `sitemap.xml` and
//!   `robots.txt`;
//! - `sample-calibration.html`, the simulated sample's calibration table with its sources, which every view of
//!   the sample links to;
//! - every inline `<script>` moved into its own file, and a `<meta http-equiv="Content-Security-Policy">` whose
//!   `connect-src` lists exactly the hosts `config.json` lets the app reach.
//!
//! The build checks its own output: an entry file whose article differs from the fragment the app would show
//! for the same page is refused. Plain string work on trunk's output, tested natively (not part of the wasm).

use crate::glossary::pages::{self, StaticPage};
use crate::glossary::search::FullText;
use crate::glossary::{Facet, OVERVIEW, TERMS, Term};
use crate::market::config::SiteConfig;
use crate::market::sample::CALIBRATION_PAGE;

/// The simulated sample's calibration table (targets, ranges and sources), compiled from the simulator's
/// `CALIBRATION.md` by the build script.
const CALIBRATION_ARTICLE: &str =
    include_str!(concat!(env!("OUT_DIR"), "/sample_calibration.html"));

/// A file the build writes next to `index.html`.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteFile {
    pub name: String,
    pub content: String,
}

/// Escapes text for HTML text or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// FNV-1a: a stable short name for a script's content (cache-busting, like trunk's own hashes).
fn content_hash(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Moves every inline module script into `script-<hash>.js` under `public_url`, keeping its attributes and its
/// place in the page. Classic inline scripts stay where they are: the boot script must run before the first
/// paint, and fetching it would cost a phone a round trip before any text shows; the policy allows each by its
/// hash ([`inline_script_hashes`]). Returns the new page and the files to write.
pub fn externalise_scripts(html: &str, public_url: &str) -> (String, Vec<SiteFile>) {
    let mut out = String::with_capacity(html.len());
    let mut files = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let (before, from_tag) = rest.split_at(start);
        out.push_str(before);
        let Some(tag_end) = from_tag.find('>') else {
            out.push_str(from_tag);
            return (out, files);
        };
        let open_tag = &from_tag[..tag_end];
        let after_tag = &from_tag[tag_end + 1..];
        let Some(close) = after_tag.find("</script>") else {
            out.push_str(from_tag);
            return (out, files);
        };
        let body = &after_tag[..close];
        if open_tag.contains("src=") || body.trim().is_empty() || !open_tag.contains("module") {
            out.push_str(&from_tag[..tag_end + 1 + close + "</script>".len()]);
        } else {
            let name = format!("script-{}.js", content_hash(body));
            out.push_str(&format!(
                "{open_tag} src=\"{}{name}\"></script>",
                escape(public_url)
            ));
            files.push(SiteFile {
                name,
                content: body.trim().to_string() + "\n",
            });
        }
        rest = &after_tag[close + "</script>".len()..];
    }
    out.push_str(rest);
    (out, files)
}

/// Replaces the `<title>` and the description, and adds the preview-card tags (and the canonical address
/// when `url` is known).
pub fn with_page_meta(html: &str, title: &str, description: &str, url: Option<&str>) -> String {
    let (title, description) = (escape(title), escape(description));
    let mut page = match (html.find("<title>"), html.find("</title>")) {
        (Some(a), Some(b)) if a < b => {
            format!("{}<title>{title}</title>{}", &html[..a], &html[b + 8..])
        }
        _ => html.to_string(),
    };
    if let Some(a) = page.find("<meta name=\"description\"")
        && let Some(len) = page[a..].find('>')
    {
        page.replace_range(
            a..a + len + 1,
            &format!("<meta name=\"description\" content=\"{description}\" />"),
        );
    }
    let mut tags = vec![
        "<meta name=\"lens:entry-files\" content=\"1\" />".to_string(),
        "<meta property=\"og:type\" content=\"website\" />".to_string(),
        "<meta property=\"og:site_name\" content=\"Leverage Lens\" />".to_string(),
        format!("<meta property=\"og:title\" content=\"{title}\" />"),
        format!("<meta property=\"og:description\" content=\"{description}\" />"),
        "<meta name=\"twitter:card\" content=\"summary\" />".to_string(),
        format!("<meta name=\"twitter:title\" content=\"{title}\" />"),
        format!("<meta name=\"twitter:description\" content=\"{description}\" />"),
    ];
    if let Some(url) = url {
        let url = escape(url);
        tags.push(format!("<meta property=\"og:url\" content=\"{url}\" />"));
        tags.push(format!("<link rel=\"canonical\" href=\"{url}\" />"));
    }
    if let Some(at) = page.find("</head>") {
        page.insert_str(at, &format!("{}\n", tags.join("\n    ")));
    }
    page
}

/// The CSP source of every classic inline script of `html` (`'sha256-…'`, RFC 7469 base64 of the exact text),
/// so the policy allows those scripts and nothing else inline. Data blocks (JSON-LD) are not scripts.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let from_tag = &rest[start..];
        let Some(tag_end) = from_tag.find('>') else {
            break;
        };
        let open_tag = &from_tag[..tag_end];
        let after_tag = &from_tag[tag_end + 1..];
        let Some(close) = after_tag.find("</script>") else {
            break;
        };
        let body = &after_tag[..close];
        let classic = !open_tag.contains("src=") && !open_tag.contains("type=");
        if classic && !body.trim().is_empty() {
            let digest = sha2::Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after_tag[close..];
    }
    hashes
}

/// The Content-Security-Policy of the site: scripts only from the site (and wasm) plus the inline boot script by
/// its hash, connections only to the site and the venue hosts `config` enables. `frame-ancestors` cannot be set
/// from a `<meta>` tag; see the README for the header.
pub fn content_security_policy(config: &SiteConfig, script_hashes: &[String]) -> String {
    let mut connect = vec!["'self'".to_string()];
    connect.extend(config.connect_origins());
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script.extend(script_hashes.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; connect-src {}; object-src 'none'; base-uri 'self'; \
         form-action 'self'",
        script.join(" "),
        connect.join(" ")
    )
}

const CSP_META_START: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// `html` with its CSP `<meta>` set to `policy`: replaced where there is one, else added right after
/// `<meta charset…>` so it applies before any script or stylesheet loads.
pub fn with_csp_meta(html: &str, policy: &str) -> String {
    let tag = format!("{CSP_META_START}{}\" />", escape(policy));
    if let Some(start) = html.find(CSP_META_START)
        && let Some(len) = html[start..].find('>')
    {
        let mut page = html.to_string();
        page.replace_range(start..start + len + 1, &tag);
        return page;
    }
    match html.find("<meta charset") {
        Some(at) => {
            let end = html[at..].find('>').map_or(at, |n| at + n + 1);
            format!("{}\n    {tag}{}", &html[..end], &html[end..])
        }
        None => html.replacen("<head>", &format!("<head>\n    {tag}"), 1),
    }
}

/// The page shell the app draws around every article (header, sidebar, footer), as static HTML with the
/// article in place. Each part is marked `data-static`: the app removes them when it mounts its own, in the
/// same task. Parts that need the app (search, theme, data badge) are marked `data-needs-js` and hidden when
/// scripts are off.
pub fn page_body(page: &StaticPage) -> String {
    format!(
        "<a class=\"skip-link\" href=\"#main\" data-static>Skip to content</a>\n\
         <header class=\"site-header\" data-static><a class=\"brand\" href=\"./\"><span class=\"brand-mark\" \
         aria-hidden=\"true\">⚖</span>Leverage Lens</a>\
         <div class=\"search\" role=\"search\" data-needs-js><label class=\"visually-hidden\" for=\"site-search-input\">\
         Search the glossary</label><input id=\"site-search-input\" class=\"search-input\" type=\"search\" \
         placeholder=\"Search terms  ( / )\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" \
         aria-autocomplete=\"list\" aria-controls=\"site-search-results\" aria-expanded=\"false\"></div>\
         <a class=\"data-badge\" href=\"?page=data\" title=\"Where the numbers come from\" data-needs-js>\
         <span class=\"data-badge-label\">simulated sample</span></a>\
         <button type=\"button\" class=\"theme-toggle\" title=\"Switch theme (system, light, dark)\" \
         aria-label=\"Theme: system\" data-needs-js><span aria-hidden=\"true\" class=\"theme-icon\">◐</span>\
         <span class=\"theme-label\">Theme: system</span></button></header>\n\
         <div class=\"layout\" data-static><main id=\"main\" tabindex=\"-1\">{host}</main>{sidebar}</div>\n\
         <footer class=\"site-footer\" data-static><p><a href=\"?page=data\" data-needs-js>Data sources</a>\
         <span data-needs-js> · </span><a href=\"?page=charts\" data-needs-js>Chart gallery</a></p>\
         <p>Leverage Lens is open source. It explains ideas; it gives no trading advice. Definitions are written for \
         this project.</p></footer>\n",
        host = article_host(page),
        sidebar = page.sidebar,
    )
}

/// The element the app renders the article in, with the article inside.
fn article_host(page: &StaticPage) -> String {
    format!(
        "<div class=\"article-host\" data-article=\"{}\">{}</div>",
        page.key, page.article
    )
}

/// `html` with the body's content replaced by `body`.
fn with_body(html: &str, body: &str) -> String {
    let Some(open) = html.find("<body") else {
        return html.to_string();
    };
    let Some(open_end) = html[open..].find('>').map(|n| open + n + 1) else {
        return html.to_string();
    };
    let Some(close) = html.rfind("</body>") else {
        return html.to_string();
    };
    format!("{}\n{body}{}", &html[..open_end], &html[close..])
}

/// `html` with `tags` added right before `</head>`.
fn with_head_tags(html: &str, tags: &str) -> String {
    match html.find("</head>") {
        Some(at) => format!("{}{tags}\n  {}", &html[..at], &html[at..]),
        None => html.to_string(),
    }
}

/// A JSON value as a `<script type="application/ld+json">` data block (not run, so the CSP allows it); `</` is
/// escaped so no text can close the element.
fn json_ld(value: &serde_json::Value) -> String {
    let json = value.to_string().replace("</", "<\\/");
    format!("<script type=\"application/ld+json\">{json}</script>")
}

/// The page's address on the site, when the site's address is known; else relative.
fn address(base: Option<&str>, file: &str) -> String {
    format!("{}{file}", base.unwrap_or(""))
}

/// Plain text of compiled HTML (tags dropped, entities of our own escaping undone), for JSON-LD answers.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The glossary's schema.org description as JSON-LD: the term as a `DefinedTerm` in the site's
/// `DefinedTermSet`, and its breadcrumb.
pub fn term_json_ld(term: &Term, base: Option<&str>) -> String {
    let url = address(base, &term.entry_file());
    let home = address(base, "./");
    json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "DefinedTerm",
                "@id": format!("{url}#term"),
                "name": term.title,
                "description": term.gist,
                "url": url,
                "inDefinedTermSet": {
                    "@type": "DefinedTermSet",
                    "@id": format!("{home}#glossary"),
                    "name": "Leverage Lens: a glossary of leverage imbalances",
                    "url": home,
                },
            },
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    { "@type": "ListItem", "position": 1, "name": OVERVIEW.title, "item": home },
                    { "@type": "ListItem", "position": 2, "name": term.facet.name(),
                      "item": format!("{home}#{}", term.facet.anchor()) },
                    { "@type": "ListItem", "position": 3, "name": term.title, "item": url },
                ],
            },
        ],
    }))
}

/// The overview's JSON-LD: the glossary as a `DefinedTermSet` of its terms, and its three facets as a `FAQPage`.
pub fn overview_json_ld(base: Option<&str>) -> String {
    let home = address(base, "./");
    let overview = pages::page("overview").map_or("", |p| p.article);
    let facet_text = |facet: Facet| {
        let start = overview
            .find(&format!("<section id=\"{}\"", facet.anchor()))
            .unwrap_or(0);
        let html = &overview[start..];
        let html = &html[html.find("<div class=\"prose\">").unwrap_or(0)..];
        plain_text(&html[..html.find("</div>").unwrap_or(html.len())])
    };
    let question = |facet: Facet| match facet {
        Facet::Analysis => "How do you see a leverage imbalance?",
        Facet::Adjustment => "How do markets and venues correct a leverage imbalance?",
        Facet::Algorithm => "How does automated trading exploit and amplify leverage imbalances?",
    };
    json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "DefinedTermSet",
                "@id": format!("{home}#glossary"),
                "name": "Leverage Lens: a glossary of leverage imbalances",
                "description": OVERVIEW.gist,
                "url": home,
                "hasDefinedTerm": TERMS.iter().map(|t| serde_json::json!({
                    "@type": "DefinedTerm",
                    "@id": format!("{}#term", address(base, &t.entry_file())),
                    "name": t.title,
                    "url": address(base, &t.entry_file()),
                })).collect::<Vec<_>>(),
            },
            {
                "@type": "FAQPage",
                "mainEntity": Facet::ALL.iter().map(|f| serde_json::json!({
                    "@type": "Question",
                    "name": question(*f),
                    "acceptedAnswer": { "@type": "Answer", "text": facet_text(*f) },
                })).collect::<Vec<_>>(),
            },
        ],
    }))
}

/// `sitemap.xml` and `robots.txt` for a site at `base` (ending in `/`).
pub fn discovery_files(base: &str) -> Vec<SiteFile> {
    let mut urls = vec![base.to_string()];
    urls.extend(TERMS.iter().map(|t| format!("{base}{}", t.entry_file())));
    let entries: String = urls
        .iter()
        .map(|u| format!("  <url><loc>{}</loc></url>\n", escape(u)))
        .collect();
    vec![
        SiteFile {
            name: "sitemap.xml".to_string(),
            content: format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{entries}</urlset>\n"
            ),
        },
        SiteFile {
            name: "robots.txt".to_string(),
            content: format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"),
        },
    ]
}

/// Every file to write: `index.html` and each term's entry file with its page in place, the article fragments,
/// the search index, the externalised scripts, and with a site URL the sitemap and robots.txt. `site_url` is the
/// public address of the folder (`https://you.github.io/lens/`); `config` is the site's `config.json`, whose
/// hosts the pages' CSP allows.
pub fn site_files(
    index_html: &str,
    public_url: &str,
    site_url: Option<&str>,
    config: &SiteConfig,
) -> Vec<SiteFile> {
    let (html, mut files) = externalise_scripts(index_html, public_url);
    let html = with_csp_meta(
        &html,
        &content_security_policy(config, &inline_script_hashes(&html)),
    );
    let base = site_url.map(|u| {
        if u.ends_with('/') {
            u.to_string()
        } else {
            format!("{u}/")
        }
    });
    let entry = |page: &StaticPage, title: &str, gist: &str, file: &str, json_ld: String| {
        let url = base.as_ref().map(|b| match file {
            "index.html" => b.clone(),
            file => format!("{b}{file}"),
        });
        let page_html = with_page_meta(&html, title, gist, url.as_deref());
        let page_html = with_head_tags(&page_html, &json_ld);
        SiteFile {
            name: file.to_string(),
            content: with_body(&page_html, &page_body(page)),
        }
    };
    for page in pages::PAGES {
        files.push(SiteFile {
            name: format!("articles/{}.html", page.key),
            content: page.article.to_string(),
        });
        let file = match page.key {
            "overview" => entry(
                page,
                &format!("{} · Leverage Lens", OVERVIEW.title),
                OVERVIEW.gist,
                "index.html",
                overview_json_ld(base.as_deref()),
            ),
            slug => {
                let Some(term) = crate::glossary::term(slug) else {
                    continue;
                };
                entry(
                    page,
                    &format!("{} · Leverage Lens", term.title),
                    term.gist,
                    &term.entry_file(),
                    term_json_ld(term, base.as_deref()),
                )
            }
        };
        files.push(file);
    }
    files.push(SiteFile {
        name: "search-index.json".to_string(),
        content: search_index_json(),
    });
    files.push(calibration_page(&html));
    if let Some(base) = &base {
        files.extend(discovery_files(base));
    }
    files
}

/// The calibration table as a page of its own, linked from every view of the sample. Nothing on it needs the
/// app, so it has no script: the site's stylesheet, its policy, the theme of the system, and a way back.
fn calibration_page(app_html: &str) -> SiteFile {
    let stylesheets: String = app_html
        .match_indices("<link rel=\"stylesheet\"")
        .filter_map(|(at, _)| app_html[at..].find('>').map(|len| &app_html[at..=at + len]))
        .collect();
    let policy = app_html
        .find(CSP_META_START)
        .and_then(|at| app_html[at..].find('>').map(|len| &app_html[at..=at + len]))
        .unwrap_or_default();
    let content = format!(
        "<!DOCTYPE html>\n<html lang=\"en\" data-theme=\"system\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n{policy}\n\
         <title>How the simulated sample is calibrated · Leverage Lens</title>\n\
         <meta name=\"description\" content=\"The published figures for January 2025 that the embedded simulated \
         sample's sizes are calibrated to, with their sources.\" />\n{stylesheets}\n\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"favicon.svg\" />\n</head>\n<body>\n\
         <header class=\"site-header\"><a class=\"brand\" href=\"./\"><span class=\"brand-mark\" \
         aria-hidden=\"true\">⚖</span>Leverage Lens</a></header>\n\
         <div class=\"layout calibration-layout\"><main id=\"main\"><article class=\"page prose calibration-page\">\n\
         <p class=\"eyebrow\">Data</p>\n{CALIBRATION_ARTICLE}</article></main></div>\n</body>\n</html>\n"
    );
    SiteFile {
        name: CALIBRATION_PAGE.to_string(),
        content,
    }
}

/// Each term's plain text by slug, for the app's full-text search.
fn search_index_json() -> String {
    let index: std::collections::BTreeMap<&str, &str> =
        pages::SEARCH_TEXT.iter().copied().collect();
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".to_string());
    debug_assert!(FullText::from_json(&json).is_some());
    json
}

/// Why the build refused its own output.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch(pub String);

/// Checks written files: every entry file must hold exactly the article the app shows for the same page (its
/// fragment), and every fragment must be the page the glossary rendered. One source, checked.
pub fn check_articles(files: &[SiteFile]) -> Result<(), Mismatch> {
    let find = |name: &str| files.iter().find(|f| f.name == name);
    for page in pages::PAGES {
        let fragment = find(&format!("articles/{}.html", page.key))
            .ok_or_else(|| Mismatch(format!("no fragment for {}", page.key)))?;
        if fragment.content != page.article {
            return Err(Mismatch(format!(
                "articles/{}.html differs from the rendered page",
                page.key
            )));
        }
        let entry_name = match page.key {
            "overview" => "index.html".to_string(),
            slug => format!("{slug}.html"),
        };
        let entry = find(&entry_name).ok_or_else(|| Mismatch(format!("no {entry_name}")))?;
        let host = format!("<div class=\"article-host\" data-article=\"{}\">", page.key);
        let shown = entry
            .content
            .split_once(&host)
            .and_then(|(_, rest)| rest.find("</div></main>").map(|end| &rest[..end]))
            .ok_or_else(|| {
                Mismatch(format!("{entry_name} has no article host for {}", page.key))
            })?;
        if shown != fragment.content {
            return Err(Mismatch(format!(
                "{entry_name}: the article in the page differs from articles/{}.html",
                page.key
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_OUTPUT: &str = r#"<!doctype html><html><head>
<meta charset="utf-8" />
<meta name="description" content="old" />
<title>Leverage Lens</title>
<script>
  var t = 1;
</script>
<link rel="stylesheet" href="./main.css"/>
<script type="module">
import init from './app.js';
await init({ module_or_path: './app_bg.wasm' });
</script>
<script src="./already.js"></script>
</head><body></body></html>"#;

    #[test]
    fn module_scripts_move_to_files_and_the_boot_script_stays_inline_allowed_by_its_hash() {
        let (html, files) = externalise_scripts(TRUNK_OUTPUT, "./");
        assert_eq!(files.len(), 1);
        assert!(!html.contains("import init"));
        assert!(html.contains("<script type=\"module\" src=\"./script-"));
        assert!(html.contains("<script src=\"./already.js\"></script>"));
        assert_eq!(
            files[0].content,
            "import init from './app.js';\nawait init({ module_or_path: './app_bg.wasm' });\n"
        );
        // The boot script runs before the first paint without a round trip; the policy names its hash.
        assert!(html.contains("var t = 1"));
        let hashes = inline_script_hashes(&html);
        assert_eq!(hashes.len(), 1);
        // sha256 of "\n  var t = 1;\n", as `printf '\n  var t = 1;\n' | openssl dgst -sha256 -binary | base64`.
        assert_eq!(
            hashes[0],
            "'sha256-G8hizTZevorhZKzPuENg84jAxZc4YPW7+TrGM8qLpZI='"
        );
        assert!(content_security_policy(&SiteConfig::default(), &hashes).contains(&hashes[0]));
        // Same content, same name: rebuilding does not churn file names.
        assert_eq!(externalise_scripts(TRUNK_OUTPUT, "./").1, files);
        assert!(
            externalise_scripts(TRUNK_OUTPUT, "/lens/")
                .0
                .contains("src=\"/lens/script-")
        );
    }

    #[test]
    fn every_page_carries_a_csp_that_allows_exactly_the_configured_hosts() {
        let (config, _) = SiteConfig::from_json(
            r#"{"venues":{"okx":{"enabled":false},"bybit":{"rest":"https://proxy.example.org/bybit"}}}"#,
        );
        let files = site_files(TRUNK_OUTPUT, "./", None, &config);
        for file in files
            .iter()
            .filter(|f| f.name.ends_with(".html") && !f.name.contains('/'))
        {
            let page = &file.content;
            assert_eq!(
                page.matches("http-equiv=\"Content-Security-Policy\"")
                    .count(),
                1,
                "{}",
                file.name
            );
            let csp = page
                .split(CSP_META_START)
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            assert!(
                csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
                "{csp}"
            );
            assert!(
                csp.contains("https://fapi.binance.com wss://fstream.binance.com"),
                "{csp}"
            );
            assert!(csp.contains("https://proxy.example.org"), "{csp}");
            assert!(!csp.contains("okx.com"), "{csp}");
            // Before any script, so it governs them.
            assert!(
                page.find("<script")
                    .is_none_or(|script| page.find(CSP_META_START) < Some(script)),
                "{}",
                file.name
            );
        }
        // Live data off: the pages connect to their own origin only.
        let closed = content_security_policy(&SiteConfig::closed(), &[]);
        assert!(closed.contains("connect-src 'self';"), "{closed}");
        // Rewriting replaces, never duplicates.
        let twice = with_csp_meta(&with_csp_meta(TRUNK_OUTPUT, "a"), "b");
        assert_eq!(twice.matches(CSP_META_START).count(), 1);
        assert!(twice.contains("content=\"b\""));
    }

    /// Every size of the sample links here: the page must hold the whole table with its sources, under the
    /// site's policy and stylesheet, and run nothing.
    #[test]
    fn the_calibration_page_lists_every_target_with_its_source_and_runs_no_script() {
        let files = site_files(TRUNK_OUTPUT, "./", None, &SiteConfig::default());
        let page = &files
            .iter()
            .find(|f| f.name == CALIBRATION_PAGE)
            .expect("the calibration page is written")
            .content;
        assert!(!page.contains("<script"));
        // The policy allows no inline style either.
        assert!(!page.contains("style="));
        assert_eq!(page.matches(CSP_META_START).count(), 1);
        assert!(page.contains("<link rel=\"stylesheet\" href=\"./main.css\"/>"));
        let rows = include_str!("../crates/lens-math/src/sim/CALIBRATION.md")
            .lines()
            .filter(|l| l.starts_with("| `"))
            .count();
        assert!(rows >= 40);
        // One table row per target, plus the header row.
        assert_eq!(page.matches("<tr>").count(), rows + 1);
        assert!(page.contains("<td><code>oi_usd</code></td>"));
        assert!(page.contains("<a href=\"https://"));
    }

    #[test]
    fn every_term_gets_an_entry_file_with_its_own_card() {
        let files = site_files(
            TRUNK_OUTPUT,
            "./",
            Some("https://x.example/lens"),
            &SiteConfig::default(),
        );
        // The module script, the overview and 17 entry files, their 18 fragments, the search index, the
        // calibration page, sitemap, robots.
        assert_eq!(files.len(), 1 + 2 * (1 + TERMS.len()) + 1 + 1 + 2);
        let skew = files
            .iter()
            .find(|f| f.name == "leverage-skew.html")
            .map(|f| f.content.as_str())
            .unwrap_or("");
        assert!(skew.contains("<title>Leverage Skew · Leverage Lens</title>"));
        assert!(
            skew.contains(
                "<meta property=\"og:title\" content=\"Leverage Skew · Leverage Lens\" />"
            )
        );
        assert!(skew.contains(
            "<meta property=\"og:url\" content=\"https://x.example/lens/leverage-skew.html\" />"
        ));
        assert!(skew.contains("<meta name=\"twitter:card\" content=\"summary\" />"));
        assert!(!skew.contains("content=\"old\""));
        assert_eq!(skew.matches("<meta name=\"description\"").count(), 1);
        assert_eq!(
            skew.matches("<script>").count(),
            1,
            "only the boot script is inline"
        );
        // Its whole article is in the page, and the app's fragment is the same article.
        assert!(skew.contains("<h1 tabindex=\"-1\">Leverage Skew</h1>"));
        assert!(skew.contains("<section id=\"formula\""));
        assert!(skew.contains("<math"));
        assert_eq!(check_articles(&files), Ok(()));
    }

    #[test]
    fn the_build_refuses_a_page_whose_article_is_not_the_fragment() {
        let mut files = site_files(TRUNK_OUTPUT, "./", None, &SiteConfig::default());
        let page = files
            .iter_mut()
            .find(|f| f.name == "leverage-cycles.html")
            .expect("page");
        page.content = page.content.replacen("Geanakoplos", "Someone else", 1);
        let refused = check_articles(&files).expect_err("a changed article is refused");
        assert!(refused.0.contains("leverage-cycles.html"), "{refused:?}");
    }

    #[test]
    fn pages_carry_structured_data_and_the_site_a_sitemap() {
        let files = site_files(
            TRUNK_OUTPUT,
            "./",
            Some("https://x.example/lens/"),
            &SiteConfig::default(),
        );
        let file = |name: &str| {
            files
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.content.as_str())
                .unwrap_or("")
        };
        let block = |page: &str| -> serde_json::Value {
            let start = page
                .find("<script type=\"application/ld+json\">")
                .expect("JSON-LD")
                + 35;
            let end = page[start..].find("</script>").expect("end") + start;
            serde_json::from_str(&page[start..end].replace("<\\/", "</")).expect("valid JSON")
        };
        let skew = block(file("leverage-skew.html"));
        assert_eq!(skew["@graph"][0]["@type"], "DefinedTerm");
        assert_eq!(skew["@graph"][0]["name"], "Leverage Skew");
        assert_eq!(
            skew["@graph"][0]["inDefinedTermSet"]["@type"],
            "DefinedTermSet"
        );
        assert_eq!(skew["@graph"][1]["@type"], "BreadcrumbList");
        assert_eq!(
            skew["@graph"][1]["itemListElement"][2]["item"],
            "https://x.example/lens/leverage-skew.html"
        );
        let overview = block(file("index.html"));
        assert_eq!(overview["@graph"][1]["@type"], "FAQPage");
        let answers = overview["@graph"][1]["mainEntity"]
            .as_array()
            .expect("questions");
        assert_eq!(answers.len(), 3);
        assert!(answers.iter().all(|q| {
            q["acceptedAnswer"]["text"]
                .as_str()
                .is_some_and(|t| t.len() > 200)
        }));
        assert_eq!(
            overview["@graph"][0]["hasDefinedTerm"]
                .as_array()
                .map(Vec::len),
            Some(TERMS.len())
        );
        assert!(
            file("sitemap.xml").contains("<loc>https://x.example/lens/leverage-skew.html</loc>")
        );
        assert!(file("robots.txt").contains("Sitemap: https://x.example/lens/sitemap.xml"));
        // Without the site's address there is nothing absolute to list.
        let local = site_files(TRUNK_OUTPUT, "./", None, &SiteConfig::default());
        assert!(local.iter().all(|f| f.name != "sitemap.xml"));
    }

    #[test]
    fn text_with_markup_characters_is_escaped_in_tags() {
        let page = with_page_meta(
            "<head><title>x</title></head>",
            "A \"quoted\" <b>",
            "x & y",
            None,
        );
        assert!(page.contains("<title>A &quot;quoted&quot; &lt;b&gt;</title>"));
        assert!(page.contains("content=\"x &amp; y\""));
    }
}
