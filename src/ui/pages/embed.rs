//! The view inside another site's `<iframe>` (`?term=…&embed=1`): the live example's chart and reading with
//! its source, a link to the full page, and no navigation chrome. It tells the parent page its height with
//! `postMessage` so the frame can fit it (message format in [`crate::state::embed`] and the README).

use leptos::html;
use leptos::prelude::*;
use leptos_use_event_listener::use_event_listener;
use leptos_use_resize_observer::use_resize_observer;
use wasm_bindgen::JsCast;

use crate::base::origin::origin_allowed;
use crate::lesson::live_example_for;
use crate::state::embed::{RESIZE_MESSAGE, SIZE_REQUEST_MESSAGE};
use crate::state::route::Route;
use crate::ui::components::dynamics_dashboard::DynamicsDashboard;
use crate::ui::components::link_notices::LinkNotices;
use crate::ui::components::live_example::LiveExample;
use crate::ui::components::share::{absolute_url, current_view};
use crate::ui::data::use_data;

/// The parent window, when this page is framed.
fn parent_window() -> Option<web_sys::Window> {
    let parent = window().parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &window())).then_some(parent)
}

/// The embedding page's origin as the browser reported it in the referrer, else "*" (the height is no secret).
fn parent_origin() -> String {
    let referrer = document().referrer();
    let origin = referrer
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or("")));
    origin
        .filter(|o| origin_allowed(o, &[]))
        .unwrap_or_else(|| "*".to_string())
}

fn post_height(root: &web_sys::HtmlElement, target_origin: &str) {
    let Some(parent) = parent_window() else {
        return;
    };
    let message = js_sys::Object::new();
    let height = f64::from(root.scroll_height()).max(root.get_bounding_client_rect().height());
    let _ = js_sys::Reflect::set(&message, &"type".into(), &RESIZE_MESSAGE.into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.ceil().into());
    let _ = js_sys::Reflect::set(
        &message,
        &"href".into(),
        &window().location().href().unwrap_or_default().into(),
    );
    let _ = parent.post_message(&message, target_origin);
}

/// Posts the root's height whenever it changes, and again when the parent asks from an allowed origin.
fn report_height(root: NodeRef<html::Div>) {
    let data = use_data();
    use_resize_observer(root, move |entries, _| {
        for entry in entries {
            if let Ok(element) = entry.target().dyn_into::<web_sys::HtmlElement>() {
                post_height(&element, &parent_origin());
            }
        }
    });
    let _ = use_event_listener(window(), leptos::ev::message, move |ev| {
        let from_parent = match (ev.source(), parent_window()) {
            (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        let allowed = data
            .config
            .with_untracked(|c| origin_allowed(&ev.origin(), &c.embed_origins));
        let kind = js_sys::Reflect::get(&ev.data(), &"type".into())
            .ok()
            .and_then(|v| v.as_string());
        if from_parent
            && allowed
            && kind.as_deref() == Some(SIZE_REQUEST_MESSAGE)
            && let Some(element) = root.get_untracked()
        {
            post_height(&element.into(), &ev.origin());
        }
    });
}

#[component]
pub fn EmbedPage(route: RwSignal<Route>, notices: RwSignal<Vec<String>>) -> impl IntoView {
    let root = NodeRef::<html::Div>::new();
    report_height(root);
    let full_page = move || {
        let mut view = current_view();
        view.embed = false;
        absolute_url(&view)
    };
    let content = move || {
        match route.get() {
        Route::Term(term) => match live_example_for(term.slug) {
            Some(definition) => view! {
                <h1 class="embed-title">{term.title}</h1>
                <section id="live-example" class="page-section live-example compact" data-live-example=definition.slug
                    aria-labelledby="live-example-heading">
                    <h2 id="live-example-heading" class="visually-hidden">"Live example"</h2>
                    <LiveExample definition compact=true />
                </section>
            }
            .into_any(),
            None => {
                view! { <h1 class="embed-title">{term.title}</h1><p>{term.gist}</p> }.into_any()
            }
        },
        Route::Overview => view! {
            <h1 class="embed-title">"Leverage dynamics"</h1>
            <section id="dynamics" class="page-section dashboard" aria-label="Leverage dynamics now">
                <DynamicsDashboard />
            </section>
        }
        .into_any(),
        _ => view! {
            <h1 class="embed-title">"Leverage Lens"</h1>
            <p>"This page has no embeddable view; open it in Leverage Lens."</p>
        }
        .into_any(),
    }
    };
    view! {
        <div class="embed" node_ref=root>
            <main id="main">
                <LinkNotices notices />
                {content}
                <p class="embed-foot">
                    <a href=full_page target="_blank" rel="noopener">"Open in Leverage Lens ↗"</a>
                </p>
            </main>
        </div>
    }
}
