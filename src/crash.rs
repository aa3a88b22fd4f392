//! What a visitor sees if the app panics anyway: the panic is logged to the console as usual, then handed to
//! the page's boot script (`leverageLensCrash` in `index.html`), which shows a "Something went wrong. Reload"
//! banner built from plain DOM calls. The banner cannot live in the wasm: after a panic the instance is gone.

use wasm_bindgen::{JsCast, JsValue};

/// Installs the hook; call once, before mounting.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report(&info.to_string());
    }));
}

/// Calls the boot script's banner with `message`, if the page has one (tests mount the app without it).
fn report(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let show = js_sys::Reflect::get(&window, &JsValue::from_str("leverageLensCrash"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(show) = show {
        let _ = show.call1(&JsValue::NULL, &JsValue::from_str(message));
    }
}
