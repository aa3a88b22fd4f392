//! The glossary: the area overview and one page per term, compiled from Markdown by `build.rs`.
//!
//! The term texts live in `src/glossary/terms/<slug>.md` (format: `src/glossary/FORMAT.md`). The build renders
//! every page with `static_html.rs` into the static site (each entry file carries its article as real HTML);
//! the app carries only what it needs to link and search: titles, gists, headings, related terms. The rendered
//! words are in [`pages`] for the native build step and tests, and in the site for the app, which reads them
//! from the page or fetches them (see `ui::article`).

pub mod search;

/// The three facets of the area, in the order the overview shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// How to see an imbalance.
    Analysis,
    /// How markets and venues correct it.
    Adjustment,
    /// How automated trading exploits and amplifies it.
    Algorithm,
}

impl Facet {
    pub const ALL: [Facet; 3] = [Facet::Analysis, Facet::Adjustment, Facet::Algorithm];

    /// The facet's display name, which is also its section heading on the overview.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Analysis => "Analysis",
            Facet::Adjustment => "Adjustment",
            Facet::Algorithm => "Algorithm",
        }
    }

    /// The anchor of the facet's section on the overview page.
    pub fn anchor(self) -> &'static str {
        match self {
            Facet::Analysis => "analysis",
            Facet::Adjustment => "adjustment",
            Facet::Algorithm => "algorithm",
        }
    }
}

/// One `##` section of a page: its anchor and heading (the words are in the rendered page).
#[derive(Debug)]
pub struct SectionHead {
    pub id: &'static str,
    pub heading: &'static str,
}

/// A glossary term page.
#[derive(Debug)]
pub struct Term {
    pub slug: &'static str,
    pub title: &'static str,
    pub facet: Facet,
    /// The term's number in the glossary's canonical list.
    pub order: u32,
    /// One sentence for search results and cards.
    pub gist: &'static str,
    pub related: &'static [&'static str],
    pub sections: &'static [SectionHead],
}

/// The area overview page.
#[derive(Debug)]
pub struct Overview {
    pub title: &'static str,
    pub gist: &'static str,
    pub sections: &'static [SectionHead],
}

include!(concat!(env!("OUT_DIR"), "/glossary_generated.rs"));

/// Every page's words as the build rendered them: the article, the sidebar and each term's plain text for the
/// search index. Native only: the site writer and the tests read them; the wasm does not carry them.
#[cfg(not(target_arch = "wasm32"))]
pub mod pages {
    /// One page of the static site.
    #[derive(Debug)]
    pub struct StaticPage {
        /// `overview`, or a term's slug.
        pub key: &'static str,
        /// The whole `<article>`.
        pub article: &'static str,
        /// The sidebar with this page's link marked current.
        pub sidebar: &'static str,
    }

    include!(concat!(env!("OUT_DIR"), "/glossary_pages.rs"));

    /// The page with this key.
    pub fn page(key: &str) -> Option<&'static StaticPage> {
        PAGES.iter().find(|p| p.key == key)
    }

    /// A term's words as plain text.
    pub fn search_text(slug: &str) -> Option<&'static str> {
        SEARCH_TEXT
            .iter()
            .find(|(s, _)| *s == slug)
            .map(|(_, t)| *t)
    }
}

/// The term with this slug, if there is one.
pub fn term(slug: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.slug == slug)
}

/// All terms of a facet, in glossary order.
pub fn terms_in(facet: Facet) -> impl Iterator<Item = &'static Term> {
    TERMS.iter().filter(move |t| t.facet == facet)
}

/// Terms are identified by their slug.
impl PartialEq for Term {
    fn eq(&self, other: &Self) -> bool {
        self.slug == other.slug
    }
}

impl Term {
    /// The related terms, resolved (the build guarantees every slug exists).
    pub fn related_terms(&self) -> impl Iterator<Item = &'static Term> + '_ {
        self.related.iter().filter_map(|slug| term(slug))
    }

    /// The term's entry file, relative to the site's folder (`leverage-skew.html`).
    pub fn entry_file(&self) -> String {
        format!("{}.html", self.slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLUGS: [&str; 17] = [
        "leverage-mechanics",
        "leverage-and-liquidation-risks",
        "leverage-skew",
        "leverage-concentration",
        "leverage-dependency",
        "leverage-ratio-monitoring",
        "order-flow-imbalances",
        "leverage-deleveraging-spiral",
        "systemic-leverage-risk",
        "systemic-leverage-contagion",
        "leverage-cycles",
        "systemic-leverage-cycles",
        "leverage-deleveraging-cycles",
        "leverage-management-in-cppi",
        "options-trading-leverage",
        "leverage-dynamics-assessment",
        "systemic-leverage",
    ];

    #[test]
    fn all_seventeen_terms_exist_in_glossary_order() {
        let slugs: Vec<&str> = TERMS.iter().map(|t| t.slug).collect();
        assert_eq!(slugs, SLUGS);
        for (i, t) in TERMS.iter().enumerate() {
            assert_eq!(t.order as usize, i + 1, "{} has the wrong order", t.slug);
        }
    }

    /// Chart annotations link to terms by slug from the math crate, which knows no glossary: each must exist.
    #[test]
    fn every_annotation_links_to_a_term() {
        for slug in lens_math::annotations::terms::ALL {
            assert!(term(slug).is_some(), "{slug}");
        }
    }

    #[test]
    fn every_facet_has_terms_and_an_overview_section() {
        for facet in Facet::ALL {
            assert!(terms_in(facet).count() >= 3, "{facet:?} has too few terms");
            assert!(
                OVERVIEW
                    .sections
                    .iter()
                    .any(|s| s.heading == facet.name() && s.id == facet.anchor())
            );
        }
    }

    /// The HTML of one section of a term's rendered article.
    fn section_html(slug: &str, id: &str) -> &'static str {
        let article = pages::page(slug).expect("page").article;
        let start = article
            .find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("{slug}: no section {id}"));
        let end = article[start..].find("</section>").expect("section end") + start;
        &article[start..end]
    }

    #[test]
    fn definitions_are_several_paragraphs_of_real_text() {
        for t in TERMS {
            assert_eq!(t.sections[0].heading, "Definition");
            let paragraphs = section_html(t.slug, "definition").matches("<p>").count();
            assert!(
                paragraphs >= 3,
                "{}: definition has {paragraphs} paragraphs",
                t.slug
            );
            let words = pages::search_text(t.slug)
                .unwrap_or_default()
                .split_whitespace()
                .count();
            assert!(words >= 400, "{}: only {words} words", t.slug);
        }
    }

    #[test]
    fn every_formula_section_renders_mathml() {
        for t in TERMS {
            let formula = section_html(t.slug, "formula");
            assert!(
                formula.contains("<math"),
                "{}: formula has no MathML",
                t.slug
            );
            assert!(!formula.contains("$$"), "{}: unconverted LaTeX", t.slug);
        }
    }

    #[test]
    fn every_article_has_its_parts_in_order() {
        for t in TERMS {
            let article = pages::page(t.slug).expect("page").article;
            let parts = [
                "<nav class=\"breadcrumb\"".to_string(),
                format!("<h1 tabindex=\"-1\">{}</h1>", static_html_escape(t.title)),
                "<section id=\"definition\"".to_string(),
                "<section id=\"live-example\"".to_string(),
                "<section id=\"formula\"".to_string(),
                "<section id=\"worked-example\"".to_string(),
                "<section id=\"reading-the-number\"".to_string(),
                "<section id=\"caveats\"".to_string(),
                "<section id=\"related\"".to_string(),
                "<nav class=\"pager\"".to_string(),
            ];
            let positions: Vec<Option<usize>> =
                parts.iter().map(|p| article.find(p.as_str())).collect();
            assert!(
                positions.iter().all(Option::is_some),
                "{}: {positions:?}",
                t.slug
            );
            assert!(
                positions.windows(2).all(|w| w[0] < w[1]),
                "{}: out of order",
                t.slug
            );
            assert!(
                article.contains("data-island=\"live-example\""),
                "{}",
                t.slug
            );
            assert!(article.contains("<noscript>"), "{}", t.slug);
            for related in t.related_terms() {
                assert!(
                    article.contains(&format!("href=\"{}\"", related.entry_file())),
                    "{}",
                    t.slug
                );
            }
        }
        let overview = pages::page("overview").expect("overview").article;
        assert_eq!(overview.matches("class=\"term-card\"").count(), TERMS.len());
        assert!(overview.contains("data-island=\"dashboard\""));
    }

    fn static_html_escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    #[test]
    fn related_terms_resolve_and_link_back_somewhere() {
        for t in TERMS {
            assert!(!t.related.is_empty(), "{} has no related terms", t.slug);
            assert_eq!(t.related_terms().count(), t.related.len());
        }
    }

    #[test]
    fn rendered_pages_link_only_to_entry_files_anchors_or_https() {
        for page in pages::PAGES {
            for html in [page.article, page.sidebar] {
                for (i, _) in html.match_indices("href=\"") {
                    let rest = &html[i + 6..];
                    let target = &rest[..rest.find('"').unwrap_or(rest.len())];
                    let entry_file = target
                        .strip_suffix(".html")
                        .is_some_and(|slug| term(slug).is_some());
                    assert!(
                        entry_file
                            || target.starts_with('#')
                            || target.starts_with("./")
                            || target.starts_with("https://"),
                        "{}: unexpected link {target}",
                        page.key
                    );
                }
                assert!(
                    !html.contains("<script"),
                    "{}: script in the page",
                    page.key
                );
            }
        }
    }

    #[test]
    fn lookup_by_slug() {
        assert_eq!(
            term("leverage-skew").map(|t| t.title),
            Some("Leverage Skew")
        );
        assert!(term("no-such-term").is_none());
        assert!(term("").is_none());
    }
}
