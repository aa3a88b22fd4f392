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
    if let Some(theme) = use_context::<ThemeContext>().map(|c| c.choice.get_untracked())
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

/// Copies `text` to the clipboard and reports whether it worked: `Some(false)` at once where the browser has no
/// clipboard (plain http, older browsers), later when it refuses (no permission). On `false` the text is shown
/// selected for a manual copy.
fn copy_to_clipboard(text: &str, copied: RwSignal<Option<bool>>) {
    use wasm_bindgen::JsCast;
    let clipboard = js_sys::Reflect::get(&window().navigator(), &"clipboard".into())
        .ok()
        .filter(|c| c.is_object())
        .map(|c| c.unchecked_into::<web_sys::Clipboard>());
    let Some(clipboard) = clipboard else {
        copied.set(Some(false));
        return;
    };
    copied.set(None);
    let promise = clipboard.write_text(text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        let _ = copied.try_set(Some(ok));
    });
}

/// Focuses and selects the text of the element with `id` after it has rendered (for a manual copy).
fn select_later(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = document().get_element_by_id(id);
        if let Some(input) = element
            .clone()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let _ = input.focus();
            input.select();
        } else if let Some(area) =
            element.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            let _ = area.focus();
            area.select();
        }
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
    let copied = RwSignal::new(None::<bool>);
    let snippet_copied = RwSignal::new(None::<bool>);
    let copy_link = move |_| {
        let url = absolute_url(&current_view());
        copy_to_clipboard(&url, copied);
        snippet.set(None);
        link.set(Some(url));
    };
    Effect::new(move |_| {
        if copied.get() == Some(false) {
            select_later("share-link");
        }
    });
    Effect::new(move |_| {
        if snippet_copied.get() == Some(false) {
            select_later("embed-snippet");
        }
    });
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
                    {move || match copied.get() {
                        Some(true) => "Link copied: ",
                        Some(false) => "Copy this link (Ctrl+C or ⌘C): ",
                        None => "Link: ",
                    }}
                    <input id="share-link" class="share-text" readonly prop:value=url on:focus=select_all aria-label="Link to this view" />
                </span>
            })}
            {move || snippet.get().map(|text| {
                let for_copy = text.clone();
                view! {
                    <div class="embed-panel">
                        <label for="embed-snippet">"Paste this into your page:"</label>
                        <textarea id="embed-snippet" class="share-text" readonly rows="3" prop:value=text></textarea>
                        <button type="button" id="copy-snippet" class="button small" on:click=move |_| copy_to_clipboard(&for_copy, snippet_copied)>"Copy snippet"</button>
                        {move || match snippet_copied.get() {
                            Some(true) => Some(view! { <span class="muted" role="status">" Copied."</span> }),
                            Some(false) => Some(view! { <span class="muted" role="status">" Selected: press Ctrl+C or ⌘C to copy."</span> }),
                            None => None,
                        }}
                        <p class="muted">"The frame follows its container's width; the example posts "
                            <code>"leverage-lens:resize"</code>" messages with its height (see README)."</p>
                    </div>
                }
            })}
        </div>
    }
}
