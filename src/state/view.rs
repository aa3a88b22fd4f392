//! The whole view as one typed value that round-trips through the query string: which page, the live
//! example's settings, the zoomed range, the theme, where the data comes from, and whether the page is embedded.
//! Copying the address (or the "Copy link" button, which writes this canonical form) shares exactly the view.
//!
//! Unknown keys are ignored with a notice; a malformed value falls back to its default with a notice. Nothing
//! here can point the app at another host: a snapshot is a file name next to the site, checked again when loaded.

use super::query::{param, parse_query, parse_range};
use super::route::Route;
use super::settings::ThemePreference;
use crate::base::percent::encode;
use crate::lesson::worked::{self, Values};
use crate::lesson::{Controls, live_example_for};
use crate::market::model::Asset;
use crate::market::snapshot::hosted_snapshot_path;

/// Where the numbers come from, when the link says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataChoice {
    /// The embedded simulated sample (no network).
    Sample,
    /// The venues' public APIs, with the sample until they answer.
    Live,
}

impl DataChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            DataChoice::Sample => "sample",
            DataChoice::Live => "live",
        }
    }
}

/// Everything a link can say about the view.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    pub route: Route,
    /// The live example's settings that differ from their defaults, validated, in its controls' order.
    pub controls: Vec<(&'static str, String)>,
    /// The worked example's inputs that differ from the published values (`x.margin`, `25`), validated.
    pub worked: Vec<(String, String)>,
    /// The zoomed time range of the page's main time chart, ms UTC.
    pub range: Option<(i64, i64)>,
    /// The overview dashboard's asset.
    pub asset: Option<Asset>,
    pub data: Option<DataChoice>,
    /// A snapshot file hosted next to the site.
    pub snapshot: Option<String>,
    /// A theme the link asks for (applied without changing the visitor's saved choice).
    pub theme: Option<ThemePreference>,
    /// The chrome-less view for an `<iframe>`.
    pub embed: bool,
}

/// Keys every page understands.
const VIEW_KEYS: [&str; 8] = [
    "term", "page", "range", "asset", "data", "snapshot", "theme", "embed",
];

/// Longest key or value echoed back in a notice.
const ECHO_CHARS: usize = 24;

fn echo(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .take(ECHO_CHARS)
        .collect();
    if raw.chars().count() > ECHO_CHARS {
        s.push('…');
    }
    s
}

impl ViewState {
    /// The default view of a route.
    pub fn of(route: Route) -> Self {
        Self {
            route,
            controls: Vec::new(),
            worked: Vec::new(),
            range: None,
            asset: None,
            data: None,
            snapshot: None,
            theme: None,
            embed: false,
        }
    }

    /// Reads a query string (with or without `?`) and the page's path (for the per-term entry files,
    /// `…/leverage-skew.html`). Returns the view and notices about what was ignored or fell back. Problems with
    /// a live example's own settings are reported by the example, next to its controls, not here.
    pub fn from_location(path: &str, query: &str) -> (Self, Vec<String>) {
        let mut notices = Vec::new();
        let route = Route::from_location(path, query);
        let mut view = Self::of(route);
        let definition = match &view.route {
            Route::Term(term) => live_example_for(term.slug),
            _ => None,
        };
        let lookup = |key: &str| param(query, key);
        let model = match &view.route {
            Route::Term(term) => worked::model_for(term.slug),
            _ => None,
        };
        if let Some(model) = model {
            // Problems with these are shown by the worked example, next to its fields.
            view.worked = Values::from_link(model, lookup).0.to_pairs();
            view.worked.extend(worked::extra_pairs(model.slug, lookup));
        }
        if let Some(definition) = definition {
            let (controls, _reported_by_the_example) =
                Controls::from_lookup(definition.controls, lookup);
            view.controls = controls.to_pairs();
        }
        if let Some(raw) = lookup("range") {
            view.range = parse_range(&raw);
            if view.range.is_none() {
                notices.push(format!(
                    "The zoomed range “{}” in the link is not a range; showing all data.",
                    echo(&raw)
                ));
            }
        }
        // On a term page `asset` is the live example's control; on the overview it picks the dashboard's asset.
        if let (Route::Overview, Some(raw)) = (&view.route, lookup("asset")) {
            view.asset = Asset::new(&raw);
            if view.asset.is_none() {
                notices.push(format!(
                    "“{}” is not an asset symbol; showing BTC.",
                    echo(&raw)
                ));
            }
        }
        if let Some(raw) = lookup("data") {
            view.data = match raw.as_str() {
                "live" => Some(DataChoice::Live),
                "sample" => Some(DataChoice::Sample),
                _ => {
                    notices.push(format!(
                        "The data source “{}” is unknown (use live or sample); keeping the default.",
                        echo(&raw)
                    ));
                    None
                }
            };
        }
        if let Some(raw) = lookup("snapshot") {
            match hosted_snapshot_path(&raw) {
                Ok(_) => view.snapshot = Some(raw),
                Err(e) => notices.push(e.to_string()),
            }
        }
        if let Some(raw) = lookup("theme") {
            view.theme = match raw.as_str() {
                "light" => Some(ThemePreference::Light),
                "dark" => Some(ThemePreference::Dark),
                "system" => Some(ThemePreference::System),
                _ => {
                    notices.push(format!(
                        "The theme “{}” is unknown (use light, dark or system).",
                        echo(&raw)
                    ));
                    None
                }
            };
        }
        if let Some(raw) = lookup("embed") {
            view.embed = matches!(raw.as_str(), "1" | "true" | "");
            if !view.embed && raw != "0" && raw != "false" {
                notices.push(format!(
                    "“embed={}” is not 1 or 0; showing the full page.",
                    echo(&raw)
                ));
            }
        }
        let control_keys: Vec<&str> = definition
            .map(|l| l.controls.iter().map(|c| c.key).collect())
            .unwrap_or_default();
        let mut unknown: Vec<String> = parse_query(query)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| !VIEW_KEYS.contains(&k.as_str()) && !control_keys.contains(&k.as_str()))
            .filter(|k| {
                let input = k.strip_prefix(worked::LINK_PREFIX);
                !model.is_some_and(|m| {
                    m.inputs.iter().any(|i| Some(i.key) == input)
                        || input.is_some_and(|key| worked::is_extra_key(m.slug, key))
                })
            })
            .map(|k| echo(&k))
            .collect();
        unknown.dedup();
        if !unknown.is_empty() {
            let shown: Vec<String> = unknown.iter().take(5).map(|k| format!("“{k}”")).collect();
            let more = unknown.len().saturating_sub(5);
            notices.push(format!(
                "Ignored {} the link does not use here: {}{}.",
                if unknown.len() == 1 {
                    "a setting"
                } else {
                    "settings"
                },
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        (view, notices)
    }

    /// The canonical query string (`?term=…&lev=20&theme=dark`), keys in a fixed order, defaults left out.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match &self.route {
            Route::Overview => {}
            Route::Term(term) => pairs.push(("term", term.slug.to_string())),
            Route::Data => pairs.push(("page", "data".to_string())),
            Route::Charts => pairs.push(("page", "charts".to_string())),
            // A name that is also a page's must have come from `term=` (no term has a page's name).
            Route::NotFound { asked } => match asked.as_str() {
                "" | "overview" | "data" | "charts" => pairs.push(("term", asked.clone())),
                _ => pairs.push(("page", asked.clone())),
            },
        }
        pairs.extend(self.controls.iter().map(|(k, v)| (*k, v.clone())));
        pairs.extend(self.worked.iter().map(|(k, v)| (k.as_str(), v.clone())));
        if let Some((from, to)) = self.range {
            pairs.push(("range", format!("{from}~{to}")));
        }
        if let Some(asset) = &self.asset {
            pairs.push(("asset", asset.to_string()));
        }
        if let Some(data) = self.data {
            pairs.push(("data", data.as_str().to_string()));
        }
        if let Some(snapshot) = &self.snapshot {
            pairs.push(("snapshot", snapshot.clone()));
        }
        if let Some(theme) = self.theme {
            pairs.push(("theme", theme.as_str().to_string()));
        }
        if self.embed {
            pairs.push(("embed", "1".to_string()));
        }
        if pairs.is_empty() {
            return "?".to_string();
        }
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("?{}", body.join("&"))
    }

    /// The address to share, relative to the site's folder: a term's own entry file (which carries its title
    /// and preview card) when the site was built with them, else `index.html`'s query.
    pub fn share_href(&self, entry_files: bool) -> String {
        match (&self.route, entry_files) {
            (Route::Term(term), true) => {
                let mut rest = self.clone();
                rest.route = Route::Overview;
                let query = rest.to_query();
                let query = if query == "?" { String::new() } else { query };
                format!("{}.html{query}", term.slug)
            }
            _ => self.to_query(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_worked_example_edit_travels_with_the_link() {
        let (view, notices) = ViewState::from_location(
            "/lens/leverage-deleveraging-spiral.html",
            "?x.margin=25&x.drop=abc",
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            view.worked,
            vec![("x.margin".to_string(), "25".to_string())]
        );
        assert!(view.to_query().contains("x.margin=25"));
        assert!(!view.to_query().contains("x.drop"));
        // Keys of another term's example are not this page's.
        let (_, notices) = ViewState::from_location("/lens/leverage-skew.html", "?x.margin=25");
        assert_eq!(notices.len(), 1, "{notices:?}");
    }
    use crate::glossary::TERMS;

    fn parse(q: &str) -> (ViewState, Vec<String>) {
        ViewState::from_location("/lens/", q)
    }

    #[test]
    fn a_full_view_round_trips() {
        let q = "?term=leverage-mechanics&side=short&lev=20&range=1000~2000&data=live&snapshot=btc-jan.json&theme=dark&embed=1";
        let (view, notices) = parse(q);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            view.controls,
            vec![("side", "short".to_string()), ("lev", "20".to_string())]
        );
        assert_eq!(view.range, Some((1000, 2000)));
        assert_eq!(view.data, Some(DataChoice::Live));
        assert_eq!(view.theme, Some(ThemePreference::Dark));
        assert!(view.embed);
        assert_eq!(view.to_query(), q);
        assert_eq!(parse(&view.to_query()).0, view);
    }

    #[test]
    fn unknown_keys_are_ignored_with_one_notice_and_left_out_of_the_canonical_link() {
        let (view, notices) = parse("?term=leverage-skew&utm_source=x&lev=3&fbclid=y");
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].contains("“utm_source”") && notices[0].contains("“lev”"),
            "{}",
            notices[0]
        );
        assert_eq!(view.to_query(), "?term=leverage-skew");
    }

    #[test]
    fn malformed_values_fall_back_with_notices() {
        let (view, notices) = parse(
            "?range=zzz&theme=purple&data=ftp&embed=maybe&snapshot=https://evil.example/x.json&asset=%3Cb%3E",
        );
        assert_eq!(notices.len(), 6, "{notices:?}");
        assert_eq!(view, ViewState::of(Route::Overview));
        // `asset` belongs to the overview; elsewhere it is a known key with nothing to select.
        let (view, notices) = parse("?page=charts&asset=%3Cb%3E");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(view, ViewState::of(Route::Charts));
    }

    #[test]
    fn entry_files_name_the_term_and_the_query_wins() {
        let (view, _) = ViewState::from_location("/lens/leverage-skew.html", "?lev=1");
        assert!(matches!(view.route, Route::Term(t) if t.slug == "leverage-skew"));
        let (view, _) =
            ViewState::from_location("/lens/leverage-skew.html", "?term=leverage-cycles");
        assert!(matches!(view.route, Route::Term(t) if t.slug == "leverage-cycles"));
        for term in TERMS {
            let mut view = ViewState::of(Route::Term(term));
            view.theme = Some(ThemePreference::Light);
            let href = view.share_href(true);
            let (path, query) = href.split_once('?').unwrap_or((&href, ""));
            assert_eq!(
                ViewState::from_location(&format!("/x/{path}"), query).0,
                view
            );
            assert_eq!(parse(&view.share_href(false)).0, view);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        /// Hostile links: random keys and values (markup, unicode, overlong) never panic, every notice is short
        /// plain text, and the canonical form of whatever was understood reads back the same.
        #[test]
        fn hostile_links_parse_to_a_view_that_round_trips(
            pairs in proptest::collection::vec(
                (
                    prop_oneof![
                        Just("term".to_string()), Just("page".to_string()), Just("range".to_string()),
                        Just("theme".to_string()), Just("embed".to_string()), Just("snapshot".to_string()),
                        Just("data".to_string()), Just("lev".to_string()), Just("asset".to_string()),
                        "\\PC{0,40}",
                    ],
                    prop_oneof![
                        Just("leverage-mechanics".to_string()), Just("<script>alert(1)</script>".to_string()),
                        Just("1~2".to_string()), Just("dark".to_string()), "\\PC{0,300}",
                    ],
                ),
                0..8,
            ),
            path in prop_oneof![Just("/".to_string()), Just("/lens/leverage-skew.html".to_string()), "\\PC{0,60}"],
        ) {
            let query: String = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            let (view, notices) = ViewState::from_location(&path, &format!("?{query}"));
            for n in &notices {
                prop_assert!(n.chars().count() < 400);
            }
            let again = ViewState::from_location("/", &view.to_query()).0;
            prop_assert_eq!(again, view);
        }
    }
}
