//! The glossary's pages as static HTML: each term's article and the overview's, the sidebar and the footer.
//!
//! `build.rs` includes this file and renders every page with it at build time, from the same compiled Markdown,
//! so there is one source for a page's words: the build writes the result into each entry file
//! (`leverage-skew.html`) and beside it as a fragment (`articles/leverage-skew.html`), and the app shows the
//! fragment in place (it does not carry the text itself). Interactive parts are marked as islands
//! (`data-island`) that the app fills once it runs; without JavaScript a `<noscript>` line says what they need.
//!
//! Plain string work with no dependency, so the build script can use it. Every text from the Markdown front
//! matter is escaped here; the section HTML was produced by pulldown-cmark from our own Markdown (no raw HTML,
//! checked links).

/// Escapes text for HTML text or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A term as a link target: entry file and title, with its gist for cards.
pub struct TermLink<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub gist: &'a str,
}

impl TermLink<'_> {
    /// The term's entry file, relative to the site's folder: a real page with or without JavaScript.
    pub fn href(&self) -> String {
        format!("{}.html", self.slug)
    }
}

/// One `##` section of a page.
pub struct SectionHtml<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub html: &'a str,
}

/// Everything a term's article shows.
pub struct TermArticle<'a> {
    pub term: TermLink<'a>,
    pub facet_name: &'a str,
    pub facet_anchor: &'a str,
    pub sections: &'a [SectionHtml<'a>],
    pub related: &'a [TermLink<'a>],
    pub previous: Option<TermLink<'a>>,
    pub next: Option<TermLink<'a>>,
}

/// The overview's facets: name, anchor, compiled intro, and the facet's terms.
pub struct FacetHtml<'a> {
    pub name: &'a str,
    pub anchor: &'a str,
    pub html: &'a str,
    pub terms: Vec<TermLink<'a>>,
}

/// Everything the overview shows.
pub struct OverviewArticle<'a> {
    pub title: &'a str,
    pub gist: &'a str,
    pub lead_html: &'a str,
    pub facets: &'a [FacetHtml<'a>],
}

/// The link to the overview from any page of the site.
pub const OVERVIEW_HREF: &str = "./";

fn section(out: &mut String, s: &SectionHtml<'_>) {
    // A worked example with editable numbers gets the calculator's bar (Reset, messages, the ladder chart).
    let explorable = s.html.contains("class=\"x-in\"");
    out.push_str(&format!(
        "<section id=\"{id}\" class=\"page-section{class}\" aria-labelledby=\"{id}-heading\">\
         <h2 id=\"{id}-heading\"><a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>{heading}</h2>\
         {bar}<div class=\"prose\">{html}</div>{ladder}</section>",
        id = escape(s.id),
        class = if explorable { " explorable" } else { "" },
        heading = escape(s.heading),
        bar = if explorable {
            island(
                "worked",
                "",
                "",
                "With JavaScript, the starting numbers of this example can be edited, and every number after them follows.",
            )
        } else {
            String::new()
        },
        html = s.html,
        ladder = if explorable {
            island("worked-ladder", "", "", "")
        } else {
            String::new()
        },
    ));
}

fn term_list(out: &mut String, terms: &[TermLink<'_>]) {
    out.push_str("<ul class=\"term-list\">");
    for t in terms {
        out.push_str(&format!(
            "<li class=\"term-card\"><a href=\"{}\">{}</a><p>{}</p></li>",
            escape(&t.href()),
            escape(t.title),
            escape(t.gist)
        ));
    }
    out.push_str("</ul>");
}

/// An island: a region the app fills when it runs, with a loading line until then and a `<noscript>` line
/// that says what it needs.
fn island(kind: &str, attrs: &str, loading: &str, needs: &str) -> String {
    let noscript = if needs.is_empty() {
        String::new()
    } else {
        format!("<noscript><p class=\"island-noscript\">{needs}</p></noscript>")
    };
    format!(
        "<div class=\"island\" data-island=\"{kind}\"{attrs}>\
         <p class=\"island-loading\" role=\"status\">{loading}</p>{noscript}</div>"
    )
}

/// A term's whole article: breadcrumb, title, gist, on-this-page links, the definition, the live example's
/// island (its box reserved), the formula, worked example, reading and caveats, related terms and the pager.
pub fn term_article(a: &TermArticle<'_>) -> String {
    let slug = escape(a.term.slug);
    let mut out = format!("<article class=\"page term\" data-term=\"{slug}\">");
    out.push_str(&format!(
        "<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"{OVERVIEW_HREF}\">Leverage Imbalances</a>\
         <span aria-hidden=\"true\"> › </span><a href=\"{OVERVIEW_HREF}#{anchor}\">{facet}</a></nav>",
        anchor = escape(a.facet_anchor),
        facet = escape(a.facet_name),
    ));
    out.push_str(&format!(
        "<header class=\"page-header\"><h1 tabindex=\"-1\">{}</h1><p class=\"lead\">{}</p>\
         <nav class=\"on-this-page\" aria-label=\"On this page\">",
        escape(a.term.title),
        escape(a.term.gist)
    ));
    for s in a.sections {
        out.push_str(&format!(
            "<a href=\"#{}\">{}</a>",
            escape(s.id),
            escape(s.heading)
        ));
    }
    out.push_str(
        "<a href=\"#live-example\">Live example</a><a href=\"#related\">Related terms</a></nav>",
    );
    out.push_str(&island("share", "", "", ""));
    out.push_str("</header>");
    // The live example goes right under the definition, before the formula and the rest.
    let (first, rest) = a.sections.split_at(a.sections.len().min(1));
    for s in first {
        section(&mut out, s);
    }
    out.push_str(&format!(
        "<section id=\"live-example\" class=\"page-section live-example\" data-live-example=\"{slug}\" \
         aria-labelledby=\"live-example-heading\"><h2 id=\"live-example-heading\">Live example</h2>{}</section>",
        island(
            "live-example",
            &format!(" data-live-example=\"{slug}\""),
            "Loading the live example…",
            "The live example computes this term's numbers from market data in your browser: it needs \
             JavaScript and WebAssembly.",
        )
    ));
    for s in rest {
        section(&mut out, s);
    }
    out.push_str(
        "<section id=\"related\" class=\"page-section related\" aria-labelledby=\"related-heading\">\
         <h2 id=\"related-heading\">Related terms</h2>",
    );
    term_list(&mut out, a.related);
    out.push_str("</section><nav class=\"pager\" aria-label=\"Previous and next term\">");
    if let Some(t) = &a.previous {
        out.push_str(&format!(
            "<a class=\"pager-prev\" rel=\"prev\" href=\"{}\"><span>Previous</span>{}</a>",
            escape(&t.href()),
            escape(t.title)
        ));
    }
    if let Some(t) = &a.next {
        out.push_str(&format!(
            "<a class=\"pager-next\" rel=\"next\" href=\"{}\"><span>Next</span>{}</a>",
            escape(&t.href()),
            escape(t.title)
        ));
    }
    out.push_str("</nav></article>");
    out
}

/// The overview's article: title and gist, the lead, the dashboard's island, the facet links, and each facet
/// with its intro and its terms.
pub fn overview_article(o: &OverviewArticle<'_>) -> String {
    let mut out = String::from("<article class=\"page overview\">");
    out.push_str(&format!(
        "<header class=\"page-header\"><p class=\"eyebrow\">Area</p><h1 tabindex=\"-1\">{}</h1>\
         <p class=\"lead\">{}</p>{}</header>",
        escape(o.title),
        escape(o.gist),
        island("share", "", "", "")
    ));
    out.push_str(&format!("<div class=\"prose\">{}</div>", o.lead_html));
    out.push_str(&format!(
        "<section id=\"dynamics\" class=\"page-section dashboard\" aria-labelledby=\"dynamics-heading\">\
         <h2 id=\"dynamics-heading\">Leverage dynamics now</h2>{}</section>",
        island(
            "dashboard",
            "",
            "Loading the dashboard…",
            "The dashboard reads market data in your browser: it needs JavaScript and WebAssembly.",
        )
    ));
    out.push_str("<nav class=\"facet-jump\" aria-label=\"Facets\">");
    for f in o.facets {
        out.push_str(&format!(
            "<a href=\"#{}\">{}</a>",
            escape(f.anchor),
            escape(f.name)
        ));
    }
    out.push_str("</nav>");
    for f in o.facets {
        out.push_str(&format!(
            "<section id=\"{a}\" class=\"facet\" aria-labelledby=\"{a}-heading\"><h2 id=\"{a}-heading\">{n}</h2>\
             <div class=\"prose\">{html}</div>",
            a = escape(f.anchor),
            n = escape(f.name),
            html = f.html,
        ));
        term_list(&mut out, &f.terms);
        out.push_str("</section>");
    }
    out.push_str("</article>");
    out
}

/// The sidebar: every term by facet. `current` marks a term's link (or the overview's, for `None`).
pub fn sidebar(facets: &[FacetHtml<'_>], current: Option<&str>) -> String {
    let mark = |is: bool| if is { " aria-current=\"page\"" } else { "" };
    let mut out = format!(
        "<nav class=\"sidebar\" aria-label=\"Glossary\"><a class=\"sidebar-home\" href=\"{OVERVIEW_HREF}\"{}>\
         Leverage Imbalances</a>",
        mark(current.is_none())
    );
    for f in facets {
        out.push_str(&format!(
            "<h2 class=\"sidebar-facet\">{}</h2><ul>",
            escape(f.name)
        ));
        for t in &f.terms {
            out.push_str(&format!(
                "<li><a href=\"{}\"{}>{}</a></li>",
                escape(&t.href()),
                mark(current == Some(t.slug)),
                escape(t.title)
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</nav>");
    out
}
