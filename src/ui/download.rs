//! Handing the visitor a file: a chart's PNG or CSV, a snapshot's JSON.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Offers `url` (a data: or blob: URL) as a download named `file_name`.
pub fn save_url(url: &str, file_name: &str) {
    if let Ok(anchor) = document().create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(url);
        anchor.set_download(file_name);
        anchor.click();
    }
}

/// Offers `text` as a download named `file_name` of type `mime`; `false` when the browser refuses to make it.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    save_url(&url, file_name);
    let _ = web_sys::Url::revoke_object_url(&url);
    true
}
