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

    let popstate = window_event_listener(ev::popstate, move |_| route.set(route_from_location()));
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
        .filter(|href| href.starts_with('?'))
}

/// Goes to an internal `?…` address: pushes a history entry, updates the route, and moves focus and scroll to
/// the top of the new page as a full page load would.
pub fn navigate_to(route: RwSignal<Route>, href: &str) {
    let next = Route::from_query(href);
    let location = window().location();
    // Leaving a term's entry file (`…/leverage-skew.html`) goes back to the site's folder, so the path no
    // longer names a term the new query does not.
    let path = crate::state::route::app_path(&location.pathname().unwrap_or_default());
    let query = href.trim_start_matches('?');
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let current = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if url != current {
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
    }
    route.set(next);
    window().scroll_to_with_x_and_y(0.0, 0.0);
    focus_page_heading();
}

/// Puts keyboard and screen-reader focus on the new page's heading after the view has rendered.
fn focus_page_heading() {
    request_animation_frame(|| {
        let heading = document().query_selector("main h1").ok().flatten();
        if let Some(heading) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = heading.focus();
        }
    });
}
