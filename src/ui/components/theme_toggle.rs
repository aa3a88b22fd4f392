//! The light/dark/system theme switch. The choice is remembered in localStorage; "system" follows the OS.

use leptos::prelude::*;

use crate::state::settings::{ThemePreference, load_theme, save_and_apply_theme};

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(load_theme());
    // Apply on start too: index.html sets the attribute before the app loads, this keeps both in step.
    Effect::new(move |_| {
        save_and_apply_theme(theme.get());
    });
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
