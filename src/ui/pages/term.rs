//! One glossary term: definition, formula, worked example, reading, caveats, related terms.

use leptos::prelude::*;

use super::CompiledSection;
use crate::glossary::{TERMS, Term};
use crate::lesson::lesson_for;
use crate::state::route::Route;
use crate::ui::components::live_example::LiveExample;
use crate::ui::components::term_list::TermList;

#[component]
pub fn TermPage(term: &'static Term) -> impl IntoView {
    let index = TERMS.iter().position(|t| t.slug == term.slug).unwrap_or(0);
    let previous = index.checked_sub(1).and_then(|i| TERMS.get(i));
    let next = TERMS.get(index + 1);
    let lesson = lesson_for(term.slug);
    // The live example goes right under the definition, before the formula and the rest.
    let (first, rest) = term.sections.split_at(term.sections.len().min(1));
    view! {
        <article class="page term" data-term=term.slug>
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=Route::Overview.href()>"Leverage Imbalances"</a>
                <span aria-hidden="true">" › "</span>
                <a href=format!("{}#{}", Route::Overview.href(), term.facet.anchor())>{term.facet.name()}</a>
            </nav>
            <header class="page-header">
                <h1 tabindex="-1">{term.title}</h1>
                <p class="lead">{term.gist}</p>
                <nav class="on-this-page" aria-label="On this page">
                    {term
                        .sections
                        .iter()
                        .map(|s| view! { <a href=format!("#{}", s.id)>{s.heading}</a> })
                        .collect_view()}
                    {lesson.is_some().then(|| view! { <a href="#live-example">"Live example"</a> })}
                    <a href="#related">"Related terms"</a>
                </nav>
            </header>
            {first.iter().map(|section| view! { <CompiledSection section /> }).collect_view()}
            {lesson.map(|lesson| view! { <LiveExample lesson /> })}
            {rest.iter().map(|section| view! { <CompiledSection section /> }).collect_view()}
            <section id="related" class="page-section related" aria-labelledby="related-heading">
                <h2 id="related-heading">"Related terms"</h2>
                <TermList terms=term.related_terms().collect() />
            </section>
            <nav class="pager" aria-label="Previous and next term">
                {previous.map(|t| view! { <a class="pager-prev" rel="prev" href=Route::Term(t).href()><span>"Previous"</span>{t.title}</a> })}
                {next.map(|t| view! { <a class="pager-next" rel="next" href=Route::Term(t).href()><span>"Next"</span>{t.title}</a> })}
            </nav>
        </article>
    }
}
