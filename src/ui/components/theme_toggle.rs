//! The light/dark/system theme switch. The choice is remembered in localStorage; "system" follows the OS.

use leptos::prelude::*;
use leptos_use_preferences::use_preferred_dark;

use crate::state::settings::{ThemePreference, apply_theme, load_theme, save_and_apply_theme};

/// The visitor's theme choice and the system's scheme, shared so charts can follow both.
#[derive(Clone, Copy)]
pub struct ThemeContext {
    pub choice: RwSignal<ThemePreference>,
    /// Whether the OS asks for dark, following its changes (what "system" shows).
    pub system_dark: Signal<bool>,
}

/// Creates the theme signal and provides it to every component below: the theme a link asks for, else the
/// saved choice. A link's theme is shown, not saved; a choice made with the toggle is saved.
pub fn provide_theme(from_link: Option<ThemePreference>) -> RwSignal<ThemePreference> {
    let theme = RwSignal::new(from_link.unwrap_or_else(load_theme));
    provide_context(ThemeContext {
        choice: theme,
        system_dark: use_preferred_dark(),
    });
    Effect::new(move |previous: Option<()>| {
        let t = theme.get();
        if previous.is_none() && from_link.is_some() {
            apply_theme(t);
        } else {
            save_and_apply_theme(t);
        }
    });
    theme
}

/// Whether charts should be drawn dark: the choice, or the system's when the choice is "system".
pub fn use_dark_theme() -> Signal<bool> {
    let context = use_context::<ThemeContext>();
    let system_dark = context.map_or_else(use_preferred_dark, |c| c.system_dark);
    let choice = context.map(|c| c.choice);
    Signal::derive(move || match choice.map(|t| t.get()).unwrap_or_default() {
        ThemePreference::Dark => true,
        ThemePreference::Light => false,
        ThemePreference::System => system_dark.get(),
    })
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = use_context::<ThemeContext>()
        .map(|c| c.choice)
        .unwrap_or_else(|| provide_theme(None));
    view! {
        <button
            type="button"
            class="theme-toggle"
            title="Switch theme (system, light, dark)"
            aria-label=move || theme.get().label()
            on:click=move |_| theme.update(|t| *t = t.next())
        >
            <span aria-hidden="true" class="theme-icon">
                {move || match theme.get() {
                    ThemePreference::System => "◐",
                    ThemePreference::Light => "☀",
                    ThemePreference::Dark => "☾",
                }}
            </span>
            <span class="theme-label">{move || theme.get().label()}</span>
        </button>
    }
}
