//! Client-side navigation over query-string routes (see [`crate::state::route`] for why query strings).
//!
//! Every internal link is a real `<a href="?…">`, so opening it in a new tab or copying it works; a single
//! delegated click listener turns plain left-clicks on such links into `history.pushState` navigations, which
//! also covers links inside the compiled term HTML.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::route::Route;

/// The current route, shared through context.
#[derive(Clone, Copy)]
pub struct RouteContext(pub RwSignal<Route>);

/// The route of the current address.
fn route_from_location() -> Route {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    Route::from_location(&path, &search)
}

/// Creates the route signal, provides it as context and keeps it in step with the address bar.
pub fn provide_router() -> RwSignal<Route> {
    let route = RwSignal::new(route_from_location());
    provide_context(RouteContext(route));

    remember_address();
    // A fragment link (`#formula`) also fires popstate: the page stays, and so does what the visitor typed.
    let popstate = window_event_listener(ev::popstate, move |_| {
        if address_changed() {
            remember_address();
            route.set(route_from_location());
        }
    });
    let clicks = window_event_listener(ev::click, move |event: ev::MouseEvent| {
        if let Some(href) = internal_link_target(&event) {
            event.prevent_default();
            navigate_to(route, &href);
        }
    });
    on_cleanup(move || {
        popstate.remove();
        clicks.remove();
    });

    Effect::new(move |_| {
        document().set_title(&route.with(Route::document_title));
    });
    route
}

/// The current route signal from context.
pub fn use_route() -> RwSignal<Route> {
    use_context::<RouteContext>()
        .map(|c| c.0)
        .unwrap_or_else(|| RwSignal::new(Route::Overview))
}

/// The href of an internal link that a plain left click landed on, if any.
fn internal_link_target(event: &ev::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = target.closest("a[href]").ok()??;
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return None;
    }
    anchor
        .get_attribute("href")
        .filter(|href| route_of_href(href).is_some())
}

/// The page an internal link leads to: `?…` (a query on this page), `./…` (the overview) or an entry file
/// (`leverage-skew.html`, `index.html`), each possibly with a query and an anchor. `None` for anything else
/// (anchors on this page, other sites, other files), which the browser handles.
pub fn route_of_href(href: &str) -> Option<Route> {
    let (path, query) = split_href(href)?;
    Some(match path {
        "" if query.is_empty() => return None,
        "" => Route::from_query(query),
        "./" | "index.html" | "./index.html" => {
            if query.is_empty() {
                Route::Overview
            } else {
                Route::from_query(query)
            }
        }
        file => Route::from_location(&format!("/{file}"), query),
    })
}

/// `leverage-skew.html?days=7#formula` → (`leverage-skew.html`, `?days=7`), for the links the app follows; `None`
/// for links it leaves to the browser.
fn split_href(href: &str) -> Option<(&str, &str)> {
    let without_hash = href.split('#').next().unwrap_or_default();
    let (path, query) = match without_hash.find('?') {
        Some(at) => without_hash.split_at(at),
        None => (without_hash, ""),
    };
    let path = path
        .strip_prefix("./")
        .map_or(path, |p| if p.is_empty() { "./" } else { p });
    let ours = path.is_empty()
        || path == "./"
        || path == "index.html"
        || path
            .strip_suffix(".html")
            .is_some_and(|slug| crate::glossary::term(slug).is_some());
    (ours && !(path.is_empty() && query.is_empty())).then_some((path, query))
}

thread_local! {
    /// The path and query the app last showed: written by navigation and by [`replace_params`], so a popstate
    /// that changes neither (a fragment link) is told apart from Back and Forward.
    static LAST_ADDRESS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn current_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

fn remember_address() {
    let now = current_address();
    LAST_ADDRESS.with(|last| *last.borrow_mut() = now);
}

fn address_changed() -> bool {
    let now = current_address();
    LAST_ADDRESS.with(|last| *last.borrow() != now)
}

/// Sets or removes query parameters of the address in place (replaceState: a control, a zoom or an edit is not
/// a history step), keeping the path and the fragment; `None` removes the key. Nothing happens when nothing
/// changes.
pub fn replace_params<'a>(changes: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let next = changes
        .into_iter()
        .fold(search.clone(), |query, (key, value)| {
            crate::state::query::with_param(&query, key, value)
        });
    if next != search {
        let url = format!(
            "{}{next}{}",
            location.pathname().unwrap_or_default(),
            location.hash().unwrap_or_default()
        );
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
        remember_address();
    }
}

/// Goes to an internal address (see [`route_of_href`]): pushes a history entry, updates the route, and moves
/// focus and scroll to the top of the new page (or to its anchor) as a full page load would.
pub fn navigate_to(route: RwSignal<Route>, href: &str) {
    let location = window().location();
    let current_path = location.pathname().unwrap_or_default();
    let anchor = href.split_once('#').map(|(_, a)| a.to_string());
    let Some((file, query)) = split_href(href) else {
        return;
    };
    let (path, next) = if file.is_empty() {
        // A query alone: leaving a term's entry file (`…/leverage-skew.html`) goes back to the site's folder, so
        // the path no longer names a term the new query does not.
        (
            crate::state::route::app_path(&current_path),
            Route::from_query(query),
        )
    } else {
        let dir = crate::state::route::site_dir(&current_path);
        let path = match file {
            "./" | "index.html" => dir,
            file => format!("{dir}{file}"),
        };
        let next = Route::from_location(&path, query);
        (path, next)
    };
    let mut url = format!("{path}{query}");
    if let Some(anchor) = &anchor {
        url.push('#');
        url.push_str(anchor);
    }
    let current = format!(
        "{current_path}{}{}",
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    );
    if url != current {
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
    }
    remember_address();
    route.set(next);
    match anchor {
        Some(anchor) => scroll_to_anchor_later(anchor),
        None => {
            window().scroll_to_with_x_and_y(0.0, 0.0);
            focus_page_heading();
        }
    }
}

/// Scrolls to `#anchor` once the new page (and its article) has rendered.
fn scroll_to_anchor_later(anchor: String) {
    request_animation_frame(move || {
        if let Some(target) = document().get_element_by_id(&anchor) {
            target.scroll_into_view();
        }
    });
}

/// Puts keyboard and screen-reader focus on the new page's heading after the view has rendered.
pub fn focus_page_heading() {
    request_animation_frame(|| {
        let heading = document().query_selector("main h1").ok().flatten();
        if let Some(heading) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = heading.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_links_are_queries_entry_files_and_the_overview() {
        let skew = Route::Term(crate::glossary::term("leverage-skew").unwrap());
        assert_eq!(route_of_href("leverage-skew.html"), Some(skew.clone()));
        assert_eq!(
            route_of_href("./leverage-skew.html?days=7#formula"),
            Some(skew.clone())
        );
        assert_eq!(route_of_href("?term=leverage-skew"), Some(skew));
        assert_eq!(route_of_href("./"), Some(Route::Overview));
        assert_eq!(route_of_href("./#analysis"), Some(Route::Overview));
        assert_eq!(route_of_href("index.html"), Some(Route::Overview));
        assert_eq!(route_of_href("?page=data"), Some(Route::Data));
        for external in [
            "#formula",
            "https://example.org",
            "other.html",
            "../x.html",
            "javascript:x",
            "",
        ] {
            assert_eq!(route_of_href(external), None, "{external}");
        }
    }
}
