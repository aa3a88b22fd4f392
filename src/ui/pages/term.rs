//! One glossary term: the article the build wrote (definition, formula, worked example, reading, caveats,
//! related terms), with its live example and share bar mounted where the article marks them.

use leptos::prelude::*;

use super::ArticlePage;
use crate::glossary::Term;
use crate::lesson::live_example_for;
use crate::lesson::worked::{has_network, model_for};
use crate::ui::article::ArticleKey;
use crate::ui::components::live_example::LiveExample;
use crate::ui::components::network_editor::NetworkEditor;
use crate::ui::components::share::ShareBar;
use crate::ui::components::worked_example::{WorkedExample, WorkedLadder, WorkedState};

#[component]
pub fn TermPage(term: &'static Term) -> impl IntoView {
    let worked = model_for(term.slug).map(WorkedState::new);
    let island = move |kind: &str| match (kind, live_example_for(term.slug), worked) {
        ("live-example", Some(definition), _) => view! { <LiveExample definition /> }.into_any(),
        ("share", _, _) => view! { <ShareBar term=Some(term) /> }.into_any(),
        ("worked", _, Some(state)) => view! { <WorkedExample state /> }.into_any(),
        ("worked-ladder", _, Some(state)) => view! {
            <WorkedLadder state />
            {has_network(term.slug).then(|| view! { <NetworkEditor state /> })}
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! { <ArticlePage key=ArticleKey::Term(term) title=term.title island /> }
}
