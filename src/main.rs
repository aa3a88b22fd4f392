fn main() {
    leverage_lens::crash::install_panic_hook();
    // The page already shows its article, written by the build; the app takes it over in the same task, so no
    // frame shows neither.
    leverage_lens::ui::article::adopt_static_page();
    leptos::mount::mount_to_body(leverage_lens::App);
    // For whoever needs to know the page is live now (tests, the load benchmark).
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-app", "ready");
    }
}
