//! Helpers shared by the browser tests.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

/// Resolves after `ms` milliseconds of real time (lets popstate, rAF and effects run).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A fresh container in the body, and the app mounted into it at `query` (e.g. `?term=leverage-skew`).
pub struct Mounted {
    pub root: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Hands the app the articles the build wrote (the test runner serves no site), as the opened page would.
fn offer_articles() {
    macro_rules! offer {
        ($($key:literal),* $(,)?) => {$(
            leverage_lens::ui::article::offer_article(
                $key,
                include_str!(concat!(env!("OUT_DIR"), "/articles/", $key, ".html")).to_string(),
            );
        )*};
    }
    offer!(
        "overview",
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
    );
}

pub async fn mount_at(query: &str) -> Mounted {
    offer_articles();
    let window = web_sys::window().unwrap();
    // A test that followed a term link left the address on its entry file: start from the site's folder.
    let path = leverage_lens::state::route::app_path(&window.location().pathname().unwrap());
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        )
        .unwrap();
    let document = window.document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), || leverage_lens::App().into_any());
    sleep(20).await;
    Mounted {
        root,
        _handle: handle,
    }
}

impl Mounted {
    pub fn text_of(&self, selector: &str) -> String {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .text_content()
            .unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    pub fn element(&self, selector: &str) -> HtmlElement {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .dyn_into()
            .unwrap()
    }

    pub async fn click(&self, selector: &str) {
        self.element(selector).click();
        sleep(20).await;
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Dispatches a keydown on `target` the way a keyboard would (bubbling, cancelable).
pub fn key_down(target: &HtmlElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// The page's path and query, e.g. `/order-flow-imbalances.html` after following a term link.
pub fn address() -> String {
    let location = web_sys::window().unwrap().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}
