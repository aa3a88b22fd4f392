//! The app shell: header with search and theme, the glossary sidebar, the current page, the footer.

use leptos::prelude::*;

use crate::glossary::{Facet, terms_in};
use crate::state::route::Route;
use crate::state::view::ViewState;
use crate::ui::article::provide_articles;
use crate::ui::components::link_notices::LinkNotices;
use crate::ui::components::search_box::SearchBox;
use crate::ui::components::theme_toggle::{ThemeToggle, provide_theme};
use crate::ui::data::provide_data;
use crate::ui::pages::charts::ChartsPage;
use crate::ui::pages::data::DataPage;
use crate::ui::pages::embed::EmbedPage;
use crate::ui::pages::not_found::NotFoundPage;
use crate::ui::pages::overview::OverviewPage;
use crate::ui::pages::term::TermPage;
use crate::ui::router::provide_router;

#[component]
pub fn App() -> impl IntoView {
    let location = window().location();
    let (view, notices) = ViewState::from_location(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    );
    provide_theme(view.theme);
    let route = provide_router();
    let data = provide_data();
    provide_articles();
    // Requests the previous page started are of no use on the next one.
    Effect::new(move |previous: Option<()>| {
        route.track();
        if previous.is_some()
            && let Some(client) = data.client()
        {
            client.abort_in_flight();
        }
    });
    let notices = RwSignal::new(notices);
    if view.embed {
        return view! { <EmbedPage route notices /> }.into_any();
    }
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href=Route::Overview.href()>
                <span class="brand-mark" aria-hidden="true">"⚖"</span>
                "Leverage Lens"
            </a>
            <SearchBox id="site-search" slash_shortcut=true />
            // The badge says what the numbers are in a word or two; its title says why (the full label).
            <a class="data-badge" href=Route::Data.href()
                class:warn=move || data.header_label().contains(" — ")
                title=move || format!("Where the numbers come from: {}", data.header_label())>
                <span class="data-badge-label">{move || {
                    let label = data.header_label();
                    label.split(" — ").next().unwrap_or_default().to_string()
                }}</span>
                {move || (data.in_flight.get() > 0).then(|| view! { <span class="spinner-dot" role="status" aria-label="loading"></span> })}
            </a>
            <ThemeToggle />
        </header>
        <div class="layout">
            <main id="main" tabindex="-1">
                <LinkNotices notices />
                {move || match route.get() {
                    Route::Overview => view! { <OverviewPage /> }.into_any(),
                    Route::Term(term) => view! { <TermPage term /> }.into_any(),
                    Route::Data => view! { <DataPage /> }.into_any(),
                    Route::Charts => view! { <ChartsPage /> }.into_any(),
                    Route::NotFound { asked } => view! { <NotFoundPage asked /> }.into_any(),
                }}
            </main>
            <Sidebar route />
        </div>
        <footer class="site-footer">
            <p>
                <a href=Route::Data.href()>"Data sources"</a>
                " · "
                <a href=Route::Charts.href()>"Chart gallery"</a>
            </p>
            <p>
                "Leverage Lens is open source. It explains ideas; it gives no trading advice. "
                "Definitions are written for this project."
            </p>
        </footer>
    }
    .into_any()
}

/// Every term, grouped by facet, with the current page marked.
#[component]
fn Sidebar(route: RwSignal<Route>) -> impl IntoView {
    let current =
        move |slug: &'static str| route.with(|r| matches!(r, Route::Term(t) if t.slug == slug));
    view! {
        <nav class="sidebar" aria-label="Glossary">
            <a class="sidebar-home" href=Route::Overview.href() aria-current=move || route.with(|r| (*r == Route::Overview).then_some("page"))>
                "Leverage Imbalances"
            </a>
            {Facet::ALL
                .iter()
                .map(|facet| {
                    view! {
                        <h2 class="sidebar-facet">{facet.name()}</h2>
                        <ul>
                            {terms_in(*facet)
                                .map(|term| {
                                    view! {
                                        <li>
                                            <a href=Route::Term(term).href() aria-current=move || current(term.slug).then_some("page")>
                                                {term.title}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        </nav>
    }
}
