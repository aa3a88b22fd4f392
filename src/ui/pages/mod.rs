//! One component per page.

pub mod charts;
pub mod data;
pub mod embed;
pub mod not_found;
pub mod overview;
pub mod term;

use leptos::prelude::*;

use crate::glossary::Section;

/// A compiled Markdown section: heading with an anchor, then its HTML.
///
/// `inner_html` is safe here: the HTML was produced by `build.rs` from Markdown in this repository, which
/// rejects raw HTML and any link that is not a term or https link. Text from outside (URLs, market data) is
/// never passed through this component.
#[component]
pub fn CompiledSection(section: &'static Section) -> impl IntoView {
    view! {
        <section id=section.id class="page-section" aria-labelledby=format!("{}-heading", section.id)>
            <h2 id=format!("{}-heading", section.id)>
                <a class="anchor" href=format!("#{}", section.id) aria-hidden="true" tabindex="-1">"#"</a>
                {section.heading}
            </h2>
            <div class="prose" inner_html=section.html></div>
        </section>
    }
}
