//! The glossary: the area overview and one page per term, compiled from Markdown by `build.rs`.
//!
//! The term texts live in `src/glossary/terms/<slug>.md` (format: `src/glossary/FORMAT.md`); this module only
//! holds the compiled statics, lookups and search.

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

/// One `##` section of a page, as HTML compiled from our own Markdown.
#[derive(Debug)]
pub struct Section {
    pub id: &'static str,
    pub heading: &'static str,
    pub html: &'static str,
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
    pub sections: &'static [Section],
    /// The page's words as plain text, for search.
    pub search_text: &'static str,
}

/// The area overview page.
#[derive(Debug)]
pub struct Overview {
    pub title: &'static str,
    pub gist: &'static str,
    pub lead_html: &'static str,
    pub sections: &'static [Section],
}

include!(concat!(env!("OUT_DIR"), "/glossary_generated.rs"));

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

    /// The overview section that introduces this term's facet.
    pub fn facet_section(&self) -> Option<&'static Section> {
        OVERVIEW
            .sections
            .iter()
            .find(|s| s.heading == self.facet.name())
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

    #[test]
    fn definitions_are_several_paragraphs_of_real_text() {
        for t in TERMS {
            let definition = &t.sections[0];
            assert_eq!(definition.heading, "Definition");
            let paragraphs = definition.html.matches("<p>").count();
            assert!(
                paragraphs >= 3,
                "{}: definition has {paragraphs} paragraphs",
                t.slug
            );
            let words = t.search_text.split_whitespace().count();
            assert!(words >= 400, "{}: only {words} words", t.slug);
        }
    }

    #[test]
    fn every_formula_section_renders_mathml() {
        for t in TERMS {
            let formula = t
                .sections
                .iter()
                .find(|s| s.heading == "Formula")
                .expect("formula section");
            assert!(
                formula.html.contains("<math"),
                "{}: formula has no MathML",
                t.slug
            );
            assert!(
                !formula.html.contains("$$"),
                "{}: unconverted LaTeX",
                t.slug
            );
        }
    }

    #[test]
    fn related_terms_resolve_and_link_back_somewhere() {
        for t in TERMS {
            assert!(!t.related.is_empty(), "{} has no related terms", t.slug);
            assert_eq!(t.related_terms().count(), t.related.len());
        }
    }

    #[test]
    fn compiled_html_links_only_to_terms_or_https() {
        for t in TERMS {
            for s in t.sections {
                for (i, _) in s.html.match_indices("href=\"") {
                    let rest = &s.html[i + 6..];
                    assert!(
                        rest.starts_with("?term=") || rest.starts_with("https://"),
                        "{}: unexpected link {}",
                        t.slug,
                        &rest[..rest.len().min(40)]
                    );
                }
                assert!(
                    !s.html.contains("<script"),
                    "{}: script in compiled html",
                    t.slug
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
