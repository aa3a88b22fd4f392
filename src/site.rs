//! The static site around `index.html`, written after `trunk build` by `examples/site_pages.rs`:
//! - every inline `<script>` moved into its own file, so the app runs under a Content-Security-Policy without
//!   `'unsafe-inline'`;
//! - one entry file per glossary term (`leverage-skew.html`) with its own title, description and Open Graph /
//!   Twitter tags, booting the same app, so a shared link shows a proper card and works on any static host.
//!
//! - a `<meta http-equiv="Content-Security-Policy">` in every page, whose `connect-src` lists exactly the hosts
//!   `config.json` lets the app reach, for hosts that cannot set headers (GitHub Pages).
//!
//! Plain string work on trunk's output, tested natively.

use crate::glossary::{OVERVIEW, TERMS};
use crate::market::config::SiteConfig;

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

/// Moves every inline `<script>…</script>` into `script-<hash>.js` under `public_url`, keeping its attributes
/// (`type="module"`) and its place in the page (a classic script still blocks rendering, as the theme script
/// must). Returns the new page and the files to write.
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
        if open_tag.contains("src=") || body.trim().is_empty() {
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

/// The Content-Security-Policy of the site: scripts only from the site (and wasm), connections only to the site
/// and the venue hosts `config` enables. `frame-ancestors` cannot be set from a `<meta>` tag; see the README
/// for the header.
pub fn content_security_policy(config: &SiteConfig) -> String {
    let mut connect = vec!["'self'".to_string()];
    connect.extend(config.connect_origins());
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src {}; object-src 'none'; \
         base-uri 'self'; form-action 'self'",
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

/// Every file to write: the rewritten `index.html`, each term's entry file, and the externalised scripts.
/// `site_url` is the public address of the folder (`https://you.github.io/lens/`), for canonical links;
/// `config` is the site's `config.json`, whose hosts the pages' CSP allows.
pub fn site_files(
    index_html: &str,
    public_url: &str,
    site_url: Option<&str>,
    config: &SiteConfig,
) -> Vec<SiteFile> {
    let (html, mut files) = externalise_scripts(index_html, public_url);
    let html = with_csp_meta(&html, &content_security_policy(config));
    let base = site_url.map(|u| {
        if u.ends_with('/') {
            u.to_string()
        } else {
            format!("{u}/")
        }
    });
    files.push(SiteFile {
        name: "index.html".to_string(),
        content: with_page_meta(
            &html,
            &format!("{} · Leverage Lens", OVERVIEW.title),
            OVERVIEW.gist,
            base.as_deref(),
        ),
    });
    for term in TERMS {
        let url = base.as_ref().map(|b| format!("{b}{}.html", term.slug));
        files.push(SiteFile {
            name: format!("{}.html", term.slug),
            content: with_page_meta(
                &html,
                &format!("{} · Leverage Lens", term.title),
                term.gist,
                url.as_deref(),
            ),
        });
    }
    files
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
    fn inline_scripts_move_to_files_and_keep_their_attributes_and_order() {
        let (html, files) = externalise_scripts(TRUNK_OUTPUT, "./");
        assert_eq!(files.len(), 2);
        assert!(!html.contains("var t = 1"));
        assert!(!html.contains("import init"));
        let classic = html.find(&format!("<script src=\"./{}\"></script>", files[0].name));
        let module = html.find(&format!(
            "<script type=\"module\" src=\"./{}\"></script>",
            files[1].name
        ));
        assert!(
            classic.is_some() && module.is_some() && classic < module,
            "{html}"
        );
        assert!(html.contains("<script src=\"./already.js\"></script>"));
        assert_eq!(
            files[1].content,
            "import init from './app.js';\nawait init({ module_or_path: './app_bg.wasm' });\n"
        );
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
        for file in files.iter().filter(|f| f.name.ends_with(".html")) {
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
                csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
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
                page.find(CSP_META_START) < page.find("<script"),
                "{}",
                file.name
            );
        }
        // Live data off: the pages connect to their own origin only.
        let closed = content_security_policy(&SiteConfig::closed());
        assert!(closed.contains("connect-src 'self';"), "{closed}");
        // Rewriting replaces, never duplicates.
        let twice = with_csp_meta(&with_csp_meta(TRUNK_OUTPUT, "a"), "b");
        assert_eq!(twice.matches(CSP_META_START).count(), 1);
        assert!(twice.contains("content=\"b\""));
    }

    #[test]
    fn every_term_gets_an_entry_file_with_its_own_card() {
        let files = site_files(
            TRUNK_OUTPUT,
            "./",
            Some("https://x.example/lens"),
            &SiteConfig::default(),
        );
        assert_eq!(files.len(), 2 + 1 + TERMS.len());
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
        assert!(!skew.contains("<script>"), "no inline script left");
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
