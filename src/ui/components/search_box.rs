//! Glossary search as an ARIA combobox: type to filter, arrows to pick, Enter to open, Escape to close.
//! The header's instance also answers the `/` shortcut from anywhere on the page.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::glossary::search::{SearchHit, search};
use crate::state::route::Route;
use crate::ui::article::use_articles;
use crate::ui::router::{navigate_to, use_route};

const MAX_RESULTS: usize = 8;

#[component]
pub fn SearchBox(
    /// Unique prefix for element ids (several boxes may be on one page).
    id: &'static str,
    /// Text the box starts with.
    #[prop(optional, into)]
    initial: String,
    /// Whether `/` anywhere on the page focuses this box.
    #[prop(optional)]
    slash_shortcut: bool,
) -> impl IntoView {
    let route = use_route();
    let query = RwSignal::new(initial);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let input_ref = NodeRef::<html::Input>::new();
    let articles = use_articles();
    // Titles, gists and headings at once; the full text once the site's index has arrived (asked for the first
    // time the box is used).
    let full_text = RwSignal::new(None);
    let hits = Memo::new(move |_| {
        let full = full_text.get();
        query.with(|q| {
            search(q, full.as_deref())
                .into_iter()
                .take(MAX_RESULTS)
                .collect::<Vec<SearchHit>>()
        })
    });
    Effect::new(move |_| {
        if open.get() || !query.with(String::is_empty) {
            full_text.set(articles.full_text());
        }
    });
    let list_id = format!("{id}-results");
    let option_id = move |i: usize| format!("{id}-option-{i}");

    if slash_shortcut {
        let handle = window_event_listener(ev::keydown, move |event: ev::KeyboardEvent| {
            if event.key() == "/"
                && !event.ctrl_key()
                && !event.meta_key()
                && !typing_in_a_field(&event)
                && let Some(input) = input_ref.get_untracked()
            {
                event.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
    }

    let open_hit = move |index: usize| {
        let hit = hits.with_untracked(|h| h.get(index).map(|hit| hit.term));
        if let Some(term) = hit {
            open.set(false);
            active.set(None);
            query.set(String::new());
            navigate_to(route, &Route::Term(term).href());
        }
    };

    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = hits.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if count > 0 => {
                event.prevent_default();
                open_hit(active.get_untracked().unwrap_or(0));
            }
            "Escape" => {
                if open.get_untracked() {
                    open.set(false);
                    active.set(None);
                } else {
                    query.set(String::new());
                }
            }
            _ => {}
        }
    };

    let expanded = move || open.get() && !query.with(|q| q.trim().is_empty());
    let list_id_for_input = list_id.clone();
    view! {
        <div class="search" role="search">
            <label class="visually-hidden" for=format!("{id}-input")>
                "Search the glossary"
            </label>
            <input
                node_ref=input_ref
                id=format!("{id}-input")
                class="search-input"
                type="search"
                placeholder="Search terms  ( / )"
                autocomplete="off"
                spellcheck="false"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list_id_for_input
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=move || active.get().filter(|_| expanded()).map(option_id)
                prop:value=move || query.get()
                on:input=move |event| {
                    query.set(event_target_value(&event));
                    open.set(true);
                    active.set(None);
                }
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:keydown=on_keydown
            />
            <ul
                id=list_id
                class="search-results"
                role="listbox"
                aria-label="Matching terms"
                hidden=move || !expanded()
                // Keeps focus in the input, so the list is still there when the click lands.
                on:mousedown=|event| event.prevent_default()
            >
                {move || {
                    let found = hits.get();
                    if found.is_empty() {
                        return view! { <li class="search-empty" role="option" aria-disabled="true">"No matching term"</li> }
                            .into_any();
                    }
                    found
                        .into_iter()
                        .enumerate()
                        .map(|(i, hit)| {
                            let selected = move || active.get() == Some(i);
                            view! {
                                <li id=option_id(i) role="option" class:active=selected aria-selected=move || selected().to_string()>
                                    <a href=Route::Term(hit.term).href() tabindex="-1" on:click=move |_| open.set(false)>
                                        <span class="search-title">{hit.term.title}</span>
                                        <span class="search-excerpt">{hit.excerpt}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </div>
    }
}

/// Whether a key press is typing into a form field (where `/` is just a character).
fn typing_in_a_field(event: &ev::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}
