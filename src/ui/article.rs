//! The glossary's words in the app: read from the page the visitor opened, fetched beside it for every other
//! page, cached, and prefetched when a link is hovered or focused.
//!
//! The build writes each page's article into its entry file and, as a fragment, to `articles/<key>.html` (see
//! `glossary/static_html.rs`); the wasm does not carry the text. On the first page the app adopts the article
//! already on screen (no request, no flash), then fetches the others on demand. The search index
//! (`search-index.json`) is fetched the first time someone searches.
//!
//! The HTML is ours: written by our build from Markdown in this repository, served from the site's own
//! folder under a key the app chose (a known slug), and checked to be one `<article>` before it is shown.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::glossary::search::FullText;
use crate::glossary::{self, Term};
use crate::market::client::read_capped;
use crate::state::route::{Route, site_dir};

/// The largest article fragment read (the longest page is ~60 KB).
const MAX_ARTICLE_BYTES: u64 = 1_000_000;
/// The largest search index read (~150 KB today).
const MAX_INDEX_BYTES: u64 = 4_000_000;

/// Which page's words: the overview's or a term's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArticleKey {
    Overview,
    Term(&'static Term),
}

impl ArticleKey {
    /// The fragment's name: `overview` or the slug.
    pub fn name(self) -> &'static str {
        match self {
            ArticleKey::Overview => "overview",
            ArticleKey::Term(term) => term.slug,
        }
    }

    /// The entry file to open when the fragment cannot be had.
    pub fn entry_href(self) -> String {
        match self {
            ArticleKey::Overview => "./".to_string(),
            ArticleKey::Term(term) => term.entry_file(),
        }
    }

    /// The article of a route, if it has one.
    pub fn of(route: &Route) -> Option<ArticleKey> {
        match route {
            Route::Overview => Some(ArticleKey::Overview),
            Route::Term(term) => Some(ArticleKey::Term(term)),
            _ => None,
        }
    }
}

/// Where a page's words are.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticleState {
    Loading,
    Ready(Arc<str>),
    /// The fragment could not be fetched or was not an article; the page says so and links its entry file.
    Failed,
}

thread_local! {
    /// Articles the app has before it asks for any: the one the opened page carried (from
    /// `adopt_static_page`, before mounting), or ones a host page hands over with [`offer_article`].
    static OFFERED: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Hands the app an article it need not fetch (`key`: `overview` or a slug); it is used when the app starts.
/// Anything that is not one `<article>` of a known page is ignored.
pub fn offer_article(key: &str, html: String) {
    OFFERED.with(|o| o.borrow_mut().push((key.to_string(), html)));
}

/// Takes over the page the build wrote: keeps its article for the app (which renders the same HTML in the same
/// place) and removes the static shell. Call right before mounting, in the same task, so no frame is painted
/// between the two.
pub fn adopt_static_page() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(host)) = document.query_selector("[data-static] .article-host[data-article]")
        && let Some(key) = host.get_attribute("data-article")
    {
        offer_article(&key, host.inner_html());
    }
    if let Ok(shell) = document.query_selector_all("body > [data-static]") {
        for i in 0..shell.length() {
            if let Some(node) = shell.item(i)
                && let Some(parent) = node.parent_node()
            {
                let _ = parent.remove_child(&node);
            }
        }
    }
}

/// The app's articles and search index; `Copy`, provided by the app shell.
#[derive(Clone, Copy)]
pub struct Articles {
    states: RwSignal<HashMap<&'static str, ArticleState>>,
    full_text: RwSignal<Option<Arc<FullText>>>,
    asked_index: StoredValue<bool>,
}

/// Creates the article store, seeded with the article of the page that was opened.
pub fn provide_articles() -> Articles {
    let mut states = HashMap::new();
    for (key, html) in OFFERED.with(|o| std::mem::take(&mut *o.borrow_mut())) {
        if let Some(name) = known_name(&key)
            && is_article(&html)
        {
            states.insert(name, ArticleState::Ready(Arc::from(html)));
        }
    }
    let articles = Articles {
        states: RwSignal::new(states),
        full_text: RwSignal::new(None),
        asked_index: StoredValue::new(false),
    };
    provide_context(articles);
    prefetch_on_intent(articles);
    articles
}

/// The article store from context (a fresh one outside the app, e.g. in tests).
pub fn use_articles() -> Articles {
    use_context::<Articles>().unwrap_or_else(provide_articles)
}

/// The `&'static` name of a fragment key the app knows, so nothing from outside names a file.
fn known_name(key: &str) -> Option<&'static str> {
    if key == "overview" {
        Some("overview")
    } else {
        glossary::term(key).map(|t| t.slug)
    }
}

/// One `<article>` element and nothing around it: what every fragment is.
fn is_article(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<article") && html.ends_with("</article>")
}

impl Articles {
    /// The words of `key`: ready at once when cached, else fetched (and the state follows).
    pub fn get(&self, key: ArticleKey) -> ArticleState {
        let name = key.name();
        if let Some(state) = self.states.with(|s| s.get(name).cloned()) {
            return state;
        }
        self.fetch(name);
        ArticleState::Loading
    }

    /// Starts fetching `name` unless it is cached or on its way.
    fn fetch(&self, name: &'static str) {
        let known = self.states.with_untracked(|s| s.contains_key(name));
        if known {
            return;
        }
        self.states.update(|s| {
            s.insert(name, ArticleState::Loading);
        });
        let states = self.states;
        let url = format!("{}articles/{name}.html", here());
        spawn_local(async move {
            let state = match fetch_text(&url, MAX_ARTICLE_BYTES).await {
                Some(html) if is_article(&html) => ArticleState::Ready(Arc::from(html)),
                _ => ArticleState::Failed,
            };
            states.update(|s| {
                s.insert(name, state);
            });
        });
    }

    /// Lets a failed fragment be asked again (the visitor pressed Retry).
    pub fn retry(&self, key: ArticleKey) {
        self.states.update(|s| {
            s.remove(key.name());
        });
    }

    /// The full-text search index, once it has arrived; the first call starts fetching it.
    pub fn full_text(&self) -> Option<Arc<FullText>> {
        if !self.asked_index.get_value() {
            self.asked_index.set_value(true);
            let full_text = self.full_text;
            let url = format!("{}search-index.json", here());
            spawn_local(async move {
                if let Some(index) = fetch_text(&url, MAX_INDEX_BYTES)
                    .await
                    .and_then(|json| FullText::from_json(&json))
                {
                    full_text.set(Some(Arc::new(index)));
                }
            });
        }
        self.full_text.get()
    }
}

/// The site's folder, where the fragments are: `/lens/` for `/lens/leverage-skew.html?x=1`.
fn here() -> String {
    site_dir(&window().location().pathname().unwrap_or_default())
}

async fn fetch_text(url: &str, limit: u64) -> Option<String> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let bytes = read_capped(&response, limit).await.ok()?;
    String::from_utf8(bytes).ok()
}

/// Fetches the article behind a link as soon as the pointer rests on it or it gets keyboard focus, so the click
/// that follows finds it ready.
fn prefetch_on_intent(articles: Articles) {
    let intent = move |event: web_sys::Event| {
        let Some(href) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"))
        else {
            return;
        };
        if let Some(key) = crate::ui::router::route_of_href(&href)
            .as_ref()
            .and_then(ArticleKey::of)
        {
            articles.fetch(key.name());
        }
    };
    let over = window_event_listener(leptos::ev::pointerover, move |e| intent(e.into()));
    let focus = window_event_listener(leptos::ev::focusin, move |e| intent(e.into()));
    on_cleanup(move || {
        over.remove();
        focus.remove();
    });
}
