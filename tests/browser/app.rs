//! The shell, routing, search and theme in a real browser.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlInputElement;

use crate::support::{address, key_down, mount_at, sleep};

#[wasm_bindgen_test]
async fn overview_lists_three_facets_and_all_terms() {
    let app = mount_at("").await;
    assert_eq!(app.text_of("main h1"), "Leverage Imbalances");
    assert_eq!(app.count("main section.facet"), 3);
    assert_eq!(app.count("main .term-card"), 17);
    assert_eq!(
        web_sys::window().unwrap().document().unwrap().title(),
        "Leverage Imbalances · Leverage Lens"
    );
}

#[wasm_bindgen_test]
async fn deep_link_opens_the_term_with_mathml() {
    let app = mount_at("?term=leverage-skew").await;
    assert_eq!(app.text_of("main h1"), "Leverage Skew");
    assert!(
        app.count("main #formula math") >= 1,
        "formula is rendered as MathML"
    );
    assert_eq!(
        app.text_of(".sidebar a[aria-current='page']").trim(),
        "Leverage Skew"
    );
}

#[wasm_bindgen_test]
async fn clicking_links_navigates_and_back_returns() {
    let app = mount_at("").await;
    app.click(".sidebar a[href='order-flow-imbalances.html']")
        .await;
    assert_eq!(app.text_of("main h1"), "Order Flow Imbalances");
    assert!(
        address().ends_with("/order-flow-imbalances.html"),
        "{}",
        address()
    );

    app.click("#related a[href$='.html']").await;
    assert_ne!(
        app.text_of("main h1"),
        "Order Flow Imbalances",
        "a related link leads elsewhere"
    );

    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .back()
        .unwrap();
    sleep(100).await;
    assert_eq!(app.text_of("main h1"), "Order Flow Imbalances");
}

#[wasm_bindgen_test]
async fn unknown_term_shows_not_found_with_search() {
    let app = mount_at("?term=leverage-skwe").await;
    assert_eq!(app.text_of("main h1"), "Page not found");
    assert!(app.text_of("main .lead").contains("leverage-skwe"));
    let input: HtmlInputElement = app.element("#not-found-search-input").dyn_into().unwrap();
    assert_eq!(input.value(), "leverage skwe");
}

#[wasm_bindgen_test]
async fn hostile_query_is_shown_as_text_not_html() {
    let app = mount_at("?term=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").await;
    assert_eq!(app.text_of("main h1"), "Page not found");
    assert_eq!(app.count("main img"), 0);
    assert!(app.text_of("main .lead code").contains("<img"));
}

#[wasm_bindgen_test]
async fn keyboard_search_picks_a_result() {
    let app = mount_at("").await;
    let input: HtmlInputElement = app.element("#site-search-input").dyn_into().unwrap();
    input.focus().unwrap();
    input.set_value("cppi");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    sleep(20).await;
    assert!(app.count("#site-search-results li[role='option'] a") >= 1);
    key_down(&input, "ArrowDown");
    sleep(10).await;
    assert_eq!(
        input.get_attribute("aria-activedescendant").as_deref(),
        Some("site-search-option-0")
    );
    key_down(&input, "Enter");
    sleep(50).await;
    assert_eq!(app.text_of("main h1"), "Leverage Management in CPPI");
}

#[wasm_bindgen_test]
async fn slash_focuses_search() {
    let app = mount_at("").await;
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    key_down(&body, "/");
    sleep(10).await;
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(active.id(), "site-search-input");
    drop(app);
}

#[wasm_bindgen_test]
async fn theme_choice_is_applied_and_remembered() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("leverage-lens.theme").unwrap();
    let app = mount_at("").await;
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("system"));
    app.click(".theme-toggle").await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("light"));
    assert_eq!(
        storage.get_item("leverage-lens.theme").unwrap().as_deref(),
        Some("light")
    );
    drop(app);

    let again = mount_at("").await;
    assert_eq!(again.text_of(".theme-toggle .theme-label"), "Theme: light");
    storage.remove_item("leverage-lens.theme").unwrap();
}
