//! One component per page.

pub mod charts;
pub mod data;
pub mod embed;
pub mod not_found;
pub mod overview;
pub mod term;

use leptos::html;
use leptos::portal::Portal;
use leptos::prelude::*;

use crate::ui::article::{ArticleKey, ArticleState, use_articles};

/// A page whose words the build wrote (a term or the overview): its article, shown in place exactly as the site
/// serves it, with the app's interactive parts (`island(kind)`) mounted into the islands the article marks.
///
/// `inner_html` is safe here: the article is our build's output from Markdown in this repository, fetched from
/// the site's own folder under a name the app chose, and checked to be one `<article>` (see `ui::article`).
/// Text from outside (URLs, market data) never passes through it.
#[component]
pub fn ArticlePage<F, V>(key: ArticleKey, title: &'static str, island: F) -> impl IntoView
where
    F: Fn(&str) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let articles = use_articles();
    let state = Memo::new(move |_| articles.get(key));
    let host = NodeRef::<html::Div>::new();
    // The islands of the article on screen, found once it is in the DOM.
    let islands = RwSignal::new_local(Vec::<(String, web_sys::Element)>::new());
    Effect::new(move |_| {
        state.track();
        let found = host
            .get()
            .and_then(|h| h.query_selector_all("[data-island]").ok())
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i))
                    .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                    .filter_map(|el| Some((el.get_attribute("data-island")?, el)))
                    .collect()
            })
            .unwrap_or_default();
        islands.set(found);
    });
    let retry = move |_| articles.retry(key);
    view! {
        {move || match state.get() {
            ArticleState::Ready(html) => view! {
                <div class="article-host" data-article=key.name() node_ref=host inner_html=html.to_string()></div>
            }
            .into_any(),
            ArticleState::Loading => view! {
                <div class="article-host loading" data-article=key.name()>
                    <article class="page"><header class="page-header">
                        <h1 tabindex="-1">{title}</h1>
                        <p class="lead island-loading" role="status">"Loading…"</p>
                    </header></article>
                </div>
            }
            .into_any(),
            ArticleState::Failed => view! {
                <div class="article-host failed" data-article=key.name()>
                    <article class="page"><header class="page-header">
                        <h1 tabindex="-1">{title}</h1>
                        <div class="message warning" role="alert">
                            <p>"This page's text could not be loaded: the connection may have dropped, or the site is being updated."</p>
                            <p class="button-row">
                                <a class="button" href=key.entry_href() target="_self">"Open the page"</a>
                                <button type="button" class="button secondary" on:click=retry>"Try again"</button>
                            </p>
                        </div>
                    </header></article>
                </div>
            }
            .into_any(),
        }}
        {move || {
            let island = island.clone();
            islands
                .get()
                .into_iter()
                .map(|(kind, element)| {
                    let island = island.clone();
                    view! { <Portal mount=element>{island(&kind)}</Portal> }
                })
                .collect_view()
        }}
    }
}
