//! A list of term cards: title link and one-sentence gist.

use leptos::prelude::*;

use crate::glossary::Term;
use crate::state::route::Route;

#[component]
pub fn TermList(terms: Vec<&'static Term>) -> impl IntoView {
    view! {
        <ul class="term-list">
            {terms
                .into_iter()
                .map(|term| {
                    view! {
                        <li class="term-card">
                            <a href=Route::Term(term).href()>{term.title}</a>
                            <p>{term.gist}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
