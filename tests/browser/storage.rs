//! The response cache on the browser's real localStorage: damaged entries are dropped and reported, never fatal.

use leverage_lens::market::cache::{Cache, KeyValueStore, Lookup};
use leverage_lens::market::client::BrowserStore;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn damaged_cache_entries_in_local_storage_are_dropped_and_reported() {
    let mut store = BrowserStore::local().expect("localStorage");
    store.set("leverage-lens.cache.test", "{not json").unwrap();
    let mut cache = Cache::new(Some(store), 10_000);
    assert_eq!(
        cache.get("leverage-lens.cache.test", 1_000, 0.0),
        Lookup::Miss
    );
    assert_eq!(cache.take_notices().len(), 1);
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(storage.get_item("leverage-lens.cache.test").unwrap(), None);
}

#[wasm_bindgen_test]
fn cached_values_survive_a_new_cache_on_the_same_storage() {
    let mut cache = Cache::new(BrowserStore::local(), 10_000);
    cache.put("leverage-lens.cache.kept", "[1,2,3]".to_string(), 5.0);
    let mut reopened = Cache::new(BrowserStore::local(), 10_000);
    assert_eq!(
        reopened.get("leverage-lens.cache.kept", 100, 10.0),
        Lookup::Fresh {
            value: "[1,2,3]".to_string(),
            stored_ms: 5.0
        }
    );
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("leverage-lens.cache.kept")
        .unwrap();
}
