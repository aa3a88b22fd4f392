//! Snapshots: the data in view saved as a versioned JSON file, and a file loaded back.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::market::snapshot::Snapshot;
use crate::ui::data::use_data;

#[component]
pub(super) fn Snapshots() -> impl IntoView {
    let data = use_data();
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let dragging = RwSignal::new(false);
    let export = move |_| {
        let view = window().location().search().unwrap_or_default();
        let snapshot = Snapshot::new(data.combined(), view, js_sys::Date::now() as i64);
        match crate::ui::download::save_text(
            &snapshot.file_name(),
            "application/json",
            &snapshot.to_json(),
        ) {
            true => message.set(Some((true, format!("Saved {}.", snapshot.file_name())))),
            false => message.set(Some((
                false,
                "This browser refused the download.".to_string(),
            ))),
        }
    };
    let import = move |file: web_sys::File| {
        let name = file.name();
        // Refused before reading: a huge file must not be pulled into memory just to be rejected.
        if file.size() > crate::market::snapshot::MAX_BYTES as f64 {
            let error = crate::market::snapshot::SnapshotError::TooLarge {
                bytes: file.size() as usize,
            };
            message.set(Some((false, error.to_string())));
            return;
        }
        spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    message.set(Some((false, format!("“{name}” could not be read."))));
                    return;
                }
            };
            match Snapshot::from_json(&bytes, &name) {
                Ok(snapshot) => {
                    data.load_snapshot(snapshot);
                    message.set(Some((true, format!("Loaded snapshot “{name}”."))));
                }
                Err(e) => message.set(Some((false, e.to_string()))),
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        {
            import(file);
        }
        if let Some(input) = input {
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            import(file);
        }
    };
    view! {
        <section class="page-section" aria-labelledby="snapshots-heading">
            <h2 id="snapshots-heading">"Snapshots"</h2>
            <p class="muted">
                "A snapshot freezes the data in view as a JSON file. Load it here to see exactly the same numbers, "
                "or host it next to the site and link to it with ?snapshot=name.json."
            </p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <button type="button" class="button" on:click=export>"Download snapshot"</button>
                <label class="button secondary file-button">
                    "Load snapshot…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_pick />
                </label>
                <span class="muted">" or drop a snapshot file here"</span>
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "message good" } else { "message bad" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
        </section>
    }
}
