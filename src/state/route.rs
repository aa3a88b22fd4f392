//! Which page is shown, read from and written to the query string.
//!
//! Routing is query-based (`?term=leverage-skew`) rather than path-based: the site is a single `index.html`
//! that any static host serves under any sub-path, and a query string never reaches a path lookup, so deep
//! links and reloads work without rewrite rules (leptos_router has no hash mode, and path routes 404 on a plain
//! static server). Links are relative (`?term=…`), so they resolve against wherever the site is hosted.

use super::query::parse_query;
use crate::base::percent::encode;
use crate::glossary::{self, Term};

/// `path` without a trailing term entry file: `/lens/leverage-skew.html` → `/lens/`; other paths unchanged.
pub fn app_path(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, file))
            if file
                .strip_suffix(".html")
                .is_some_and(|slug| glossary::term(slug).is_some()) =>
        {
            format!("{dir}/")
        }
        _ => path.to_string(),
    }
}

/// The folder of the site for a page path: `/lens/leverage-skew.html` and `/lens/index.html` → `/lens/`.
pub fn site_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, file)) if file.ends_with(".html") => format!("{dir}/"),
        Some((dir, "")) => format!("{dir}/"),
        Some(_) => format!("{path}/"),
        None => "/".to_string(),
    }
}

/// A page of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// The area overview with its three facets.
    Overview,
    /// One glossary term.
    Term(&'static Term),
    /// Where the numbers come from: sources, live data, snapshots.
    Data,
    /// Every chart kind on the data in view.
    Charts,
    /// Nothing lives at the requested address; `asked` is what the link named, offered as a search.
    NotFound { asked: String },
}

impl Route {
    /// The route named by a query string such as `?term=leverage-skew`. Unknown extra keys are ignored (they
    /// belong to view state); an unknown term or page is a [`Route::NotFound`], never an error.
    pub fn from_query(query: &str) -> Route {
        let pairs = parse_query(query);
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        if let Some(slug) = value("term") {
            return match glossary::term(slug.trim()) {
                Some(term) => Route::Term(term),
                None => Route::NotFound {
                    asked: slug.to_string(),
                },
            };
        }
        match value("page") {
            None | Some("") | Some("overview") => Route::Overview,
            Some("data") => Route::Data,
            Some("charts") => Route::Charts,
            Some(other) => Route::NotFound {
                asked: other.to_string(),
            },
        }
    }

    /// The route of a page address: the query string's `term`/`page` if it names one, else the term whose entry
    /// file the path ends in (`…/leverage-skew.html`, written by the build for link previews).
    pub fn from_location(path: &str, query: &str) -> Route {
        let pairs = parse_query(query);
        if pairs.iter().any(|(k, _)| k == "term" || k == "page") {
            return Route::from_query(query);
        }
        let file = path.rsplit('/').next().unwrap_or("");
        match file.strip_suffix(".html").and_then(glossary::term) {
            Some(term) => Route::Term(term),
            None => Route::Overview,
        }
    }

    /// The relative link to this route: a term's entry file (`leverage-skew.html`, a real page with or without
    /// JavaScript), `./` for the overview, a query for the app's own pages (`?page=data`).
    pub fn href(&self) -> String {
        match self {
            Route::Overview => "./".to_string(),
            Route::Term(term) => term.entry_file(),
            Route::Data => "?page=data".to_string(),
            Route::Charts => "?page=charts".to_string(),
            Route::NotFound { asked } => format!("?page={}", encode(asked)),
        }
    }

    /// The document title for this route.
    pub fn document_title(&self) -> String {
        match self {
            Route::Overview => "Leverage Imbalances · Leverage Lens".to_string(),
            Route::Term(term) => format!("{} · Leverage Lens", term.title),
            Route::Data => "Data sources · Leverage Lens".to_string(),
            Route::Charts => "Chart gallery · Leverage Lens".to_string(),
            Route::NotFound { .. } => "Page not found · Leverage Lens".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_file_paths_name_their_term_until_the_query_names_another() {
        assert_eq!(app_path("/lens/leverage-skew.html"), "/lens/");
        assert_eq!(app_path("/lens/index.html"), "/lens/index.html");
        assert_eq!(app_path("/"), "/");
        assert_eq!(site_dir("/lens/leverage-skew.html"), "/lens/");
        assert_eq!(site_dir("/lens/"), "/lens/");
        assert_eq!(site_dir("/lens"), "/lens/");
        assert_eq!(site_dir("/"), "/");
        assert!(matches!(
            Route::from_location("/lens/leverage-skew.html", ""),
            Route::Term(t) if t.slug == "leverage-skew"
        ));
        assert_eq!(
            Route::from_location("/lens/leverage-skew.html", "?page=data"),
            Route::Data
        );
        assert_eq!(Route::from_location("/lens/nope.html", ""), Route::Overview);
    }

    #[test]
    fn empty_query_is_the_overview() {
        assert_eq!(Route::from_query(""), Route::Overview);
        assert_eq!(Route::from_query("?"), Route::Overview);
        assert_eq!(Route::from_query("?page=overview"), Route::Overview);
    }

    #[test]
    fn every_term_round_trips_through_its_href() {
        for term in glossary::TERMS {
            let route = Route::Term(term);
            // The href is the entry file, relative to the site's folder.
            let path = format!("/lens/{}", route.href());
            assert_eq!(Route::from_location(&path, ""), route);
        }
        assert_eq!(
            Route::from_location(&format!("/lens/{}", Route::Overview.href()), ""),
            Route::Overview
        );
    }

    #[test]
    fn data_page_round_trips() {
        assert_eq!(Route::from_query("?page=data"), Route::Data);
        assert_eq!(Route::from_query(&Route::Data.href()), Route::Data);
    }

    #[test]
    fn unknown_term_is_not_found_with_what_was_asked() {
        assert_eq!(
            Route::from_query("?term=leverage-skwe"),
            Route::NotFound {
                asked: "leverage-skwe".into()
            }
        );
        assert_eq!(
            Route::from_query("?page=nope"),
            Route::NotFound {
                asked: "nope".into()
            }
        );
    }

    #[test]
    fn extra_view_state_keys_do_not_change_the_page() {
        let route = Route::from_query("?venue=binance&term=leverage-skew&window=30d");
        assert_eq!(route, Route::Term(glossary::term("leverage-skew").unwrap()));
    }

    #[test]
    fn hostile_parameters_fall_back_without_panicking() {
        for q in [
            "?term=%3Cscript%3E",
            "?term=%",
            "?term=%FF%FE",
            "?page=../../etc/passwd",
            "?term=",
        ] {
            assert!(
                matches!(Route::from_query(q), Route::NotFound { .. }),
                "{q}"
            );
        }
        let long = format!("?term={}", "x".repeat(1_000_000));
        assert!(
            matches!(Route::from_query(&long), Route::NotFound { asked } if asked.len() <= 256)
        );
    }

    #[test]
    fn not_found_href_is_encoded() {
        let route = Route::NotFound {
            asked: "a b&c".into(),
        };
        assert_eq!(route.href(), "?page=a%20b%26c");
        assert_eq!(Route::from_query(&route.href()), route);
    }
}
