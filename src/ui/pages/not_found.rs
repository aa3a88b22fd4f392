//! Shown for any address the app does not know: says so plainly and offers search and the term list.

use leptos::prelude::*;

use crate::glossary::TERMS;
use crate::state::route::Route;
use crate::ui::components::search_box::SearchBox;
use crate::ui::components::term_list::TermList;

#[component]
pub fn NotFoundPage(asked: String) -> impl IntoView {
    // "leverage-skwe" reads better as a search for "leverage skwe".
    let suggestion: String = asked.replace(['-', '_'], " ").chars().take(60).collect();
    view! {
        <article class="page not-found">
            <header class="page-header">
                <p class="eyebrow">"404"</p>
                <h1 tabindex="-1">"Page not found"</h1>
                <p class="lead">
                    "There is no page called “" <code>{asked}</code> "” in this glossary. "
                    "Search for a term, or start from the "
                    <a href=Route::Overview.href()>"Leverage Imbalances overview"</a> "."
                </p>
            </header>
            <SearchBox id="not-found-search" initial=suggestion />
            <section class="page-section" aria-labelledby="all-terms-heading">
                <h2 id="all-terms-heading">"All terms"</h2>
                <TermList terms=TERMS.iter().collect() />
            </section>
        </article>
    }
}
