//! Preferences the visitor chose, kept in localStorage across visits.
//!
//! Storage can be missing (privacy modes), full or hold garbage written by an older version: reads fall back to
//! the default and writes that fail are ignored, so a preference is never worth a broken page.

/// The colour theme the visitor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemePreference {
    /// Follow the operating system's light/dark setting.
    #[default]
    System,
    Light,
    Dark,
}

const THEME_KEY: &str = "leverage-lens.theme";

impl ThemePreference {
    /// The stored form; also the value of the `data-theme` attribute on `<html>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemePreference::System => "system",
            ThemePreference::Light => "light",
            ThemePreference::Dark => "dark",
        }
    }

    /// Reads a stored value; anything unknown means "system".
    pub fn parse(stored: &str) -> Self {
        match stored.trim() {
            "light" => ThemePreference::Light,
            "dark" => ThemePreference::Dark,
            _ => ThemePreference::System,
        }
    }

    /// The next choice of the toggle button: system → light → dark → system.
    pub fn next(self) -> Self {
        match self {
            ThemePreference::System => ThemePreference::Light,
            ThemePreference::Light => ThemePreference::Dark,
            ThemePreference::Dark => ThemePreference::System,
        }
    }

    /// What the toggle button says about the current choice.
    pub fn label(self) -> &'static str {
        match self {
            ThemePreference::System => "Theme: system",
            ThemePreference::Light => "Theme: light",
            ThemePreference::Dark => "Theme: dark",
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved theme, or the default when nothing (readable) is saved.
pub fn load_theme() -> ThemePreference {
    local_storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .map(|v| ThemePreference::parse(&v))
        .unwrap_or_default()
}

/// Applies the theme to the document without remembering it (a theme a shared link asked for).
pub fn apply_theme(theme: ThemePreference) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

/// Saves the theme and applies it to the document. Returns whether it could be saved.
pub fn save_and_apply_theme(theme: ThemePreference) -> bool {
    apply_theme(theme);
    local_storage().is_some_and(|s| s.set_item(THEME_KEY, theme.as_str()).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_defaults() {
        for t in [
            ThemePreference::System,
            ThemePreference::Light,
            ThemePreference::Dark,
        ] {
            assert_eq!(ThemePreference::parse(t.as_str()), t);
        }
        assert_eq!(ThemePreference::parse("purple"), ThemePreference::System);
        assert_eq!(ThemePreference::parse(""), ThemePreference::System);
    }

    #[test]
    fn toggle_cycles_through_all_three() {
        let start = ThemePreference::System;
        assert_eq!(start.next().next().next(), start);
        assert_ne!(start.next(), start);
    }
}
