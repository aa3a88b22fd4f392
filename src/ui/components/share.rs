//! "Copy link" and "Embed": the address of exactly this view, and the `<iframe>` snippet that shows it on
//! another site. Both are built from [`ViewState`], so they carry only what the app understands.

use leptos::prelude::*;

use crate::glossary::Term;
use crate::state::embed::iframe_snippet;
use crate::state::route::site_dir;
use crate::state::settings::ThemePreference;
use crate::state::view::{DataChoice, ViewState};
use crate::ui::components::theme_toggle::ThemeContext;
use crate::ui::data::{Mode, use_data};

/// Whether the build wrote per-term entry files (it marks `index.html` with this meta tag).
fn has_entry_files() -> bool {
    document()
        .query_selector("meta[name='lens:entry-files']")
        .ok()
        .flatten()
        .is_some()
}

/// The view on screen now: the address (which every control keeps current) plus the theme and data choices.
pub fn current_view() -> ViewState {
    let location = window().location();
    let (mut view, _) = ViewState::from_location(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    );
    if let Some(theme) = use_context::<ThemeContext>().map(|c| c.0.get_untracked())
        && theme != ThemePreference::System
    {
        view.theme = Some(theme);
    }
    let data = use_data();
    if data.mode.get_untracked() == Mode::Live {
        view.data = Some(DataChoice::Live);
    }
    view
}

/// The absolute address of `view` on this site.
pub fn absolute_url(view: &ViewState) -> String {
    let location = window().location();
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        site_dir(&location.pathname().unwrap_or_default()),
        view.share_href(has_entry_files())
    )
}

fn copy_to_clipboard(text: &str) {
    let promise = window().navigator().clipboard().write_text(text);
    // Refused (no permission, insecure context): the text is on screen, selected, for a manual copy.
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

#[component]
pub fn ShareBar(
    /// The term whose live example can be embedded; `None` for pages without an embed view.
    #[prop(default = None)]
    term: Option<&'static Term>,
) -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let snippet = RwSignal::new(None::<String>);
    let copy_link = move |_| {
        let url = absolute_url(&current_view());
        copy_to_clipboard(&url);
        snippet.set(None);
        link.set(Some(url));
    };
    let show_embed = move |_| {
        let Some(term) = term else { return };
        let mut view = current_view();
        view.embed = true;
        let text = iframe_snippet(
            &absolute_url(&view),
            &format!("{}: live example from Leverage Lens", term.title),
            560,
        );
        link.set(None);
        snippet.set(Some(text));
    };
    let select_all = |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            el.select();
        }
    };
    view! {
        <div class="share-bar">
            <button type="button" id="copy-link" class="button small secondary" on:click=copy_link>"Copy link"</button>
            {term.map(|_| view! {
                <button type="button" id="embed-button" class="button small secondary" on:click=show_embed
                    aria-expanded=move || snippet.with(Option::is_some).to_string()>"Embed"</button>
            })}
            {move || link.get().map(|url| view! {
                <span class="share-result" role="status">
                    "Link copied: "
                    <input id="share-link" class="share-text" readonly prop:value=url on:focus=select_all aria-label="Link to this view" />
                </span>
            })}
            {move || snippet.get().map(|text| {
                let for_copy = text.clone();
                view! {
                    <div class="embed-panel">
                        <label for="embed-snippet">"Paste this into your page:"</label>
                        <textarea id="embed-snippet" class="share-text" readonly rows="3" prop:value=text></textarea>
                        <button type="button" id="copy-snippet" class="button small" on:click=move |_| copy_to_clipboard(&for_copy)>"Copy snippet"</button>
                        <p class="muted">"The frame follows its container's width; the example posts "
                            <code>"leverage-lens:resize"</code>" messages with its height (see README)."</p>
                    </div>
                }
            })}
        </div>
    }
}
