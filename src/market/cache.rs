//! Response cache with a time-to-live per kind of data, in memory and in a persistent key-value store
//! (localStorage in the browser).
//!
//! Storage is treated as unreliable: it may be missing, full, or hold entries written by an older version or
//! edited by hand. Any such entry is dropped and reported; a full store is cleared of our entries; nothing here
//! can fail a page.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::venues::Query;

/// Bump when the stored shape changes: older entries are then ignored and removed.
const CACHE_VERSION: u32 = 1;
/// Our keys in the shared store start with this.
pub const KEY_PREFIX: &str = "leverage-lens.cache.";
/// Upper bound of our share of localStorage (characters of stored JSON; browsers give ~5 M per origin).
pub const DEFAULT_MAX_STORED_CHARS: usize = 1_500_000;
/// Bounds of the in-memory level: a page open all day must not grow without end. Least recently used entries
/// go first.
pub const MAX_MEMORY_ENTRIES: usize = 96;
pub const MAX_MEMORY_CHARS: usize = 16_000_000;

/// How long data of a kind stays fresh.
pub fn ttl_ms(query: &Query) -> u64 {
    const SECOND: u64 = 1_000;
    const MINUTE: u64 = 60 * SECOND;
    match query {
        Query::Ticker { .. } | Query::OrderBook { .. } => 15 * SECOND,
        Query::RecentLiquidations { .. } => 30 * SECOND,
        Query::OptionChain { .. } => 2 * MINUTE,
        Query::Candles { .. }
        | Query::TakerVolume { .. }
        | Query::OpenInterestHistory { .. }
        | Query::LongShortRatio { .. }
        | Query::Basis { .. } => 5 * MINUTE,
        Query::FundingHistory { .. } => 10 * MINUTE,
        Query::FundingSettings { .. } => 6 * 60 * MINUTE,
    }
}

/// A write the store refused (it is full, or writes are blocked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreFull;

/// A minimal key-value store (localStorage, or a map in tests).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Option<String>;
    /// Fails when the store is full (or refuses writes).
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreFull>;
    fn remove(&mut self, key: &str);
    fn keys(&self) -> Vec<String>;
}

/// An in-memory store, for tests and for browsers without storage.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    pub entries: HashMap<String, String>,
    /// Total characters it accepts, to test the "full" path.
    pub capacity_chars: Option<usize>,
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.entries.get(key).cloned()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreFull> {
        if let Some(cap) = self.capacity_chars {
            let used: usize = self
                .entries
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(_, v)| v.len())
                .sum();
            if used + value.len() > cap {
                return Err(StoreFull);
            }
        }
        self.entries.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn keys(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }
}

#[derive(Serialize, Deserialize)]
struct StoredEntry {
    version: u32,
    stored_ms: f64,
    /// The cached value as JSON (a normalised payload), kept as text so a corrupt value is caught on read.
    value: String,
}

/// What the cache holds for a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Fresh {
        value: String,
        stored_ms: f64,
    },
    /// Past its TTL: usable when the venue cannot be reached, labelled with its age.
    Stale {
        value: String,
        stored_ms: f64,
    },
    Miss,
}

/// Something went wrong with storage that the visitor should know about (shown once in the status panel).
#[derive(Debug, Clone, PartialEq)]
pub enum CacheNotice {
    CorruptEntryDropped { key: String },
    StorageFullCleared,
}

/// One value held in memory, with the tick of its last use (for least-recently-used eviction).
struct Held {
    stored_ms: f64,
    value: String,
    used: u64,
}

/// The two-level cache.
pub struct Cache<S: KeyValueStore> {
    memory: HashMap<String, Held>,
    tick: u64,
    store: Option<S>,
    max_stored_chars: usize,
    notices: Vec<CacheNotice>,
}

impl<S: KeyValueStore> Cache<S> {
    pub fn new(store: Option<S>, max_stored_chars: usize) -> Self {
        Cache {
            memory: HashMap::new(),
            tick: 0,
            store,
            max_stored_chars,
            notices: Vec::new(),
        }
    }

    /// The cache key of a request: stable across sessions, independent of the base URL (a proxy serves the
    /// same data).
    pub fn key(venue_id: &str, path_and_query: &str, body: Option<&str>) -> String {
        format!(
            "{KEY_PREFIX}{venue_id}|{path_and_query}|{}",
            body.unwrap_or_default()
        )
    }

    pub fn get(&mut self, key: &str, ttl_ms: u64, now_ms: f64) -> Lookup {
        let found = self
            .memory
            .get(key)
            .map(|h| (h.stored_ms, h.value.clone()))
            .or_else(|| self.read_store(key));
        match found {
            Some((stored_ms, value)) => {
                self.hold(key, stored_ms, value.clone());
                if now_ms - stored_ms <= ttl_ms as f64 && now_ms >= stored_ms {
                    Lookup::Fresh { value, stored_ms }
                } else {
                    Lookup::Stale { value, stored_ms }
                }
            }
            None => Lookup::Miss,
        }
    }

    fn read_store(&mut self, key: &str) -> Option<(f64, String)> {
        let store = self.store.as_mut()?;
        let text = store.get(key)?;
        match serde_json::from_str::<StoredEntry>(&text) {
            Ok(entry) if entry.version == CACHE_VERSION && entry.stored_ms.is_finite() => {
                Some((entry.stored_ms, entry.value))
            }
            _ => {
                store.remove(key);
                self.notices.push(CacheNotice::CorruptEntryDropped {
                    key: key.to_string(),
                });
                None
            }
        }
    }

    /// Stores a value. Too big for the budget → memory only; store full → our entries are cleared (once) and
    /// the write retried.
    pub fn put(&mut self, key: &str, value: String, now_ms: f64) {
        let entry = StoredEntry {
            version: CACHE_VERSION,
            stored_ms: now_ms,
            value: value.clone(),
        };
        self.hold(key, now_ms, value);
        let Ok(text) = serde_json::to_string(&entry) else {
            return;
        };
        if text.len() > self.max_stored_chars {
            return;
        }
        self.make_room(key, text.len());
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if store.set(key, &text).is_err() {
            for k in store
                .keys()
                .into_iter()
                .filter(|k| k.starts_with(KEY_PREFIX))
            {
                store.remove(&k);
            }
            self.notices.push(CacheNotice::StorageFullCleared);
            let _ = store.set(key, &text);
        }
    }

    /// Keeps a value in memory, evicting the least recently used ones past [`MAX_MEMORY_ENTRIES`] or
    /// [`MAX_MEMORY_CHARS`].
    fn hold(&mut self, key: &str, stored_ms: f64, value: String) {
        self.tick += 1;
        self.memory.insert(
            key.to_string(),
            Held {
                stored_ms,
                value,
                used: self.tick,
            },
        );
        let mut chars: usize = self.memory.values().map(|h| h.value.len()).sum();
        while self.memory.len() > 1
            && (self.memory.len() > MAX_MEMORY_ENTRIES || chars > MAX_MEMORY_CHARS)
        {
            let Some(oldest) = self
                .memory
                .iter()
                .min_by_key(|(_, h)| h.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(gone) = self.memory.remove(&oldest) {
                chars -= gone.value.len();
            }
        }
    }

    /// Evicts our oldest stored entries until `incoming` more characters fit in the budget.
    fn make_room(&mut self, key: &str, incoming: usize) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let mut ours: Vec<(f64, String, usize)> = store
            .keys()
            .into_iter()
            .filter(|k| k.starts_with(KEY_PREFIX) && k != key)
            .filter_map(|k| {
                let text = store.get(&k)?;
                let stored_ms = serde_json::from_str::<StoredEntry>(&text)
                    .map(|e| e.stored_ms)
                    .unwrap_or(f64::MIN);
                Some((stored_ms, k, text.len()))
            })
            .collect();
        let mut used: usize = ours.iter().map(|(_, _, len)| len).sum();
        lens_math::sort::sort_by(&mut ours, |a, b| a.0.total_cmp(&b.0));
        for (_, k, len) in ours {
            if used + incoming <= self.max_stored_chars {
                break;
            }
            store.remove(&k);
            used -= len;
        }
    }

    /// Storage problems seen since the last call.
    pub fn take_notices(&mut self) -> Vec<CacheNotice> {
        std::mem::take(&mut self.notices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::model::Asset;

    fn cache(cap: Option<usize>, budget: usize) -> Cache<MemoryStore> {
        Cache::new(
            Some(MemoryStore {
                entries: HashMap::new(),
                capacity_chars: cap,
            }),
            budget,
        )
    }

    #[test]
    fn fresh_then_stale_by_ttl() {
        let mut c = cache(None, DEFAULT_MAX_STORED_CHARS);
        let key = Cache::<MemoryStore>::key("binance", "/fapi/v1/fundingRate?symbol=BTCUSDT", None);
        assert_eq!(c.get(&key, 1_000, 0.0), Lookup::Miss);
        c.put(&key, "[1]".into(), 10_000.0);
        assert_eq!(
            c.get(&key, 1_000, 10_500.0),
            Lookup::Fresh {
                value: "[1]".into(),
                stored_ms: 10_000.0
            }
        );
        assert_eq!(
            c.get(&key, 1_000, 11_001.0),
            Lookup::Stale {
                value: "[1]".into(),
                stored_ms: 10_000.0
            }
        );
    }

    #[test]
    fn survives_a_reload_through_the_store() {
        let mut c = cache(None, DEFAULT_MAX_STORED_CHARS);
        c.put("leverage-lens.cache.k", "{\"a\":1}".into(), 5.0);
        let store = c.store.take();
        let mut reloaded = Cache::new(store, DEFAULT_MAX_STORED_CHARS);
        assert!(matches!(
            reloaded.get("leverage-lens.cache.k", 100, 6.0),
            Lookup::Fresh { .. }
        ));
    }

    #[test]
    fn corrupt_and_old_version_entries_are_dropped_and_reported() {
        let mut c = cache(None, DEFAULT_MAX_STORED_CHARS);
        let store = c.store.as_mut().unwrap();
        store.set("leverage-lens.cache.a", "{garbage").unwrap();
        store
            .set(
                "leverage-lens.cache.b",
                r#"{"version":0,"stored_ms":1,"value":"x"}"#,
            )
            .unwrap();
        assert_eq!(c.get("leverage-lens.cache.a", 100, 1.0), Lookup::Miss);
        assert_eq!(c.get("leverage-lens.cache.b", 100, 1.0), Lookup::Miss);
        assert_eq!(c.take_notices().len(), 2);
        assert!(c.store.as_ref().unwrap().entries.is_empty());
    }

    #[test]
    fn full_storage_is_cleared_of_our_entries_only() {
        let mut c = cache(Some(200), DEFAULT_MAX_STORED_CHARS);
        c.store
            .as_mut()
            .unwrap()
            .set("someone-else", "keep me")
            .unwrap();
        c.put("leverage-lens.cache.1", "x".repeat(100), 1.0);
        c.put("leverage-lens.cache.2", "y".repeat(100), 2.0);
        assert_eq!(c.take_notices(), vec![CacheNotice::StorageFullCleared]);
        let entries = &c.store.as_ref().unwrap().entries;
        assert!(entries.contains_key("someone-else"));
        assert!(entries.contains_key("leverage-lens.cache.2"));
        assert!(!entries.contains_key("leverage-lens.cache.1"));
    }

    #[test]
    fn budget_evicts_oldest_first() {
        let mut c = cache(None, 250);
        for i in 0..5 {
            c.put(
                &format!("leverage-lens.cache.{i}"),
                "z".repeat(60),
                i as f64,
            );
        }
        let keys = c.store.as_ref().unwrap().keys();
        assert!(
            keys.iter().all(|k| k.as_str() >= "leverage-lens.cache.2"),
            "{keys:?}"
        );
        assert!(keys.contains(&"leverage-lens.cache.4".to_string()));
    }

    #[test]
    fn memory_keeps_the_most_recently_used_entries_within_its_bounds() {
        let mut c: Cache<MemoryStore> = Cache::new(None, DEFAULT_MAX_STORED_CHARS);
        for i in 0..MAX_MEMORY_ENTRIES {
            c.put(&format!("k{i}"), "v".into(), 0.0);
        }
        // Touch the first entry, then add one more: the second (least recently used) goes.
        assert!(matches!(c.get("k0", 10, 1.0), Lookup::Fresh { .. }));
        c.put("extra", "v".into(), 0.0);
        assert_eq!(c.memory.len(), MAX_MEMORY_ENTRIES);
        assert!(matches!(c.get("k0", 10, 1.0), Lookup::Fresh { .. }));
        assert_eq!(c.get("k1", 10, 1.0), Lookup::Miss);
        // By size: two values of more than half the budget cannot both stay.
        let big = "x".repeat(MAX_MEMORY_CHARS / 2 + 1);
        c.put("big1", big.clone(), 0.0);
        c.put("big2", big, 0.0);
        assert_eq!(c.get("big1", 10, 1.0), Lookup::Miss);
        let held: usize = c.memory.values().map(|h| h.value.len()).sum();
        assert!(held <= MAX_MEMORY_CHARS);
    }

    #[test]
    fn works_without_a_store() {
        let mut c: Cache<MemoryStore> = Cache::new(None, DEFAULT_MAX_STORED_CHARS);
        c.put("k", "v".into(), 0.0);
        assert!(matches!(c.get("k", 10, 1.0), Lookup::Fresh { .. }));
    }

    #[test]
    fn fast_moving_data_expires_sooner_than_settings() {
        let asset = Asset::btc();
        assert!(
            ttl_ms(&Query::Ticker {
                asset: asset.clone()
            }) < ttl_ms(&Query::FundingSettings { asset })
        );
    }
}
