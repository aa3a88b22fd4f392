//! What an author pastes into their page to embed a view, and the messages an embedded view exchanges with
//! the page around it.

/// The message type an embedded view posts to its parent whenever its height changes:
/// `{ "type": "leverage-lens:resize", "height": <css px>, "href": "<the embedded address>" }`.
pub const RESIZE_MESSAGE: &str = "leverage-lens:resize";

/// The message a parent may post to ask for the current height again: `{ "type": "leverage-lens:size?" }`.
pub const SIZE_REQUEST_MESSAGE: &str = "leverage-lens:size?";

/// Escapes text for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `<iframe>` snippet for `src`, with a title for screen readers and a size the author can change.
pub fn iframe_snippet(src: &str, title: &str, height_px: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height_px}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        attribute(src),
        attribute(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_is_one_iframe_whatever_the_title_holds() {
        let s = iframe_snippet(
            "https://x.example/lens/leverage-skew.html?days=7&embed=1",
            "Leverage Skew \"live\" <example>",
            520,
        );
        assert_eq!(
            s,
            "<iframe src=\"https://x.example/lens/leverage-skew.html?days=7&amp;embed=1\" title=\"Leverage Skew &quot;live&quot; &lt;example&gt;\" width=\"100%\" height=\"520\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
        );
    }
}
