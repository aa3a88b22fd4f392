//! The notices of a link: what it asked for that could not be used (unknown keys, malformed values).

use leptos::prelude::*;

/// What a link asked for that could not be used, shown once above the page until dismissed.
#[component]
pub fn LinkNotices(notices: RwSignal<Vec<String>>) -> impl IntoView {
    move || {
        notices.with(|n| {
            (!n.is_empty()).then(|| {
                view! {
                    <div class="message warning link-notices" role="status">
                        <ul>{n.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                        <button type="button" class="button small secondary" on:click=move |_| notices.set(Vec::new())>"Dismiss"</button>
                    </div>
                }
            })
        })
    }
}
