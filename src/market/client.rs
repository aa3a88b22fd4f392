//! The only code that touches the network. It carries out the rules of [`super::policy`]: a time limit per
//! attempt, retries with backoff and jitter on 429/5xx honouring `Retry-After`, a stop on 403/418/451 that marks
//! the venue unavailable, a request budget per venue, one request for identical requests in flight, a cache with
//! a TTL per kind of data (memory + localStorage), and cancellation when the page that asked goes away.
//!
//! Cross-origin note: a browser only lets a page read `Retry-After` when the venue (or proxy) lists it in
//! `Access-Control-Expose-Headers`; without it the header reads as absent and plain backoff applies.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use lens_math::rng::SplitMix64;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::cache::{Cache, DEFAULT_MAX_STORED_CHARS, KeyValueStore, Lookup, StoreFull, ttl_ms};
use super::config::SiteConfig;
use super::model::Venue;
use super::policy::{AttemptResult, FetchFailure, Next, RequestBudget, RetryPolicy};
use super::venues::{self, Method, Payload, Query, Request};

/// How current a result is.
#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// Fetched from the venue just now.
    Live { fetched_ms: f64 },
    /// From the cache, within its time-to-live.
    Cached { stored_ms: f64 },
    /// From the cache past its time-to-live, because the venue could not be reached.
    Stale {
        stored_ms: f64,
        because: FetchFailure,
    },
}

/// Data from one venue, and how current it is (the oldest page decides).
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub venue: Venue,
    pub payload: Payload,
    pub freshness: Freshness,
}

type BodyFuture = Shared<LocalBoxFuture<'static, Result<Rc<Vec<u8>>, FetchFailure>>>;

/// The market-data client. Cheap to clone (shared state); one per app.
#[derive(Clone)]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    config: SiteConfig,
    policy: RetryPolicy,
    cache: RefCell<Cache<BrowserStore>>,
    budgets: RefCell<BTreeMap<Venue, RequestBudget>>,
    unavailable: RefCell<BTreeMap<Venue, FetchFailure>>,
    in_flight: RefCell<HashMap<String, BodyFuture>>,
    attempts: RefCell<HashMap<u64, web_sys::AbortController>>,
    next_attempt_id: Cell<u64>,
    rng: RefCell<SplitMix64>,
}

impl Client {
    pub fn new(config: SiteConfig) -> Client {
        let store = BrowserStore::local();
        Client {
            inner: Rc::new(Inner {
                config,
                policy: RetryPolicy::default(),
                cache: RefCell::new(Cache::new(store, DEFAULT_MAX_STORED_CHARS)),
                budgets: RefCell::new(
                    Venue::ALL
                        .into_iter()
                        .map(|v| (v, RequestBudget::for_venue(v)))
                        .collect(),
                ),
                unavailable: RefCell::new(BTreeMap::new()),
                in_flight: RefCell::new(HashMap::new()),
                attempts: RefCell::new(HashMap::new()),
                next_attempt_id: Cell::new(0),
                // Jitter only needs to differ between visitors, not be unpredictable.
                rng: RefCell::new(SplitMix64::new(js_sys::Date::now().to_bits())),
            }),
        }
    }

    pub fn config(&self) -> &SiteConfig {
        &self.inner.config
    }

    /// Why a venue is unavailable for this session, if it is.
    pub fn unavailable(&self, venue: Venue) -> Option<FetchFailure> {
        self.inner.unavailable.borrow().get(&venue).cloned()
    }

    /// Lets a venue be tried again (the visitor pressed "retry").
    pub fn reset_venue(&self, venue: Venue) {
        self.inner.unavailable.borrow_mut().remove(&venue);
    }

    /// Storage problems since the last call, as sentences for the status panel.
    pub fn take_storage_notices(&self) -> Vec<String> {
        self.inner
            .cache
            .borrow_mut()
            .take_notices()
            .into_iter()
            .map(|n| match n {
                super::cache::CacheNotice::CorruptEntryDropped { .. } => {
                    "A damaged cache entry in this browser's storage was removed.".to_string()
                }
                super::cache::CacheNotice::StorageFullCleared => {
                    "This browser's storage was full; the data cache was cleared.".to_string()
                }
            })
            .collect()
    }

    /// Cancels every request in flight (the page that wanted them is gone).
    pub fn abort_in_flight(&self) {
        for (_, controller) in self.inner.attempts.borrow_mut().drain() {
            controller.abort();
        }
    }

    /// `query` from the first of `venues` that can answer, with each skipped venue's reason.
    pub async fn fetch_first(
        &self,
        venues: &[Venue],
        query: &Query,
    ) -> Result<(Fetched, Vec<(Venue, FetchFailure)>), Vec<(Venue, FetchFailure)>> {
        let mut skipped = Vec::new();
        for &venue in venues {
            match self.fetch(venue, query).await {
                Ok(fetched) => return Ok((fetched, skipped)),
                Err(FetchFailure::Aborted) => {
                    skipped.push((venue, FetchFailure::Aborted));
                    return Err(skipped);
                }
                Err(failure) => skipped.push((venue, failure)),
            }
        }
        Err(skipped)
    }

    /// `query` from one venue: every page, from the cache where fresh, merged oldest first.
    pub async fn fetch(&self, venue: Venue, query: &Query) -> Result<Fetched, FetchFailure> {
        if self.inner.config.endpoint(venue).is_none() {
            return Err(FetchFailure::Disabled);
        }
        if let Some(failure) = self.unavailable(venue) {
            return Err(failure);
        }
        let requests =
            venues::requests(venue, query).map_err(|u| FetchFailure::Unsupported(u.to_string()))?;
        let mut pages = Vec::with_capacity(requests.len());
        let mut freshness = None;
        for request in &requests {
            let (payload, page_freshness) = self.fetch_page(request, query).await?;
            freshness = Some(older(freshness, page_freshness));
            pages.push(payload);
        }
        let payload = venues::merge_pages(pages)
            .ok_or_else(|| FetchFailure::Unsupported("no data".to_string()))?;
        Ok(Fetched {
            venue,
            payload,
            freshness: freshness.unwrap_or(Freshness::Live {
                fetched_ms: now_ms(),
            }),
        })
    }

    async fn fetch_page(
        &self,
        request: &Request,
        query: &Query,
    ) -> Result<(Payload, Freshness), FetchFailure> {
        let key = Cache::<BrowserStore>::key(
            request.venue.id(),
            &request.path_and_query,
            request.body.as_deref(),
        );
        let lookup = self
            .inner
            .cache
            .borrow_mut()
            .get(&key, ttl_ms(query), now_ms());
        let stale = match lookup {
            Lookup::Fresh { value, stored_ms } => match serde_json::from_str::<Payload>(&value) {
                Ok(payload) => return Ok((payload, Freshness::Cached { stored_ms })),
                Err(_) => None,
            },
            Lookup::Stale { value, stored_ms } => Some((value, stored_ms)),
            Lookup::Miss => None,
        };
        let fetched = match self.body(request).await {
            Ok(body) => venues::parse(request.venue, query, &body).map_err(FetchFailure::Parse),
            Err(failure) => Err(failure),
        };
        match fetched {
            Ok(payload) => {
                let fetched_ms = now_ms();
                if let Ok(json) = serde_json::to_string(&payload) {
                    self.inner.cache.borrow_mut().put(&key, json, fetched_ms);
                }
                Ok((payload, Freshness::Live { fetched_ms }))
            }
            Err(FetchFailure::Aborted) => Err(FetchFailure::Aborted),
            Err(because) => match stale
                .and_then(|(v, at)| serde_json::from_str::<Payload>(&v).ok().map(|p| (p, at)))
            {
                Some((payload, stored_ms)) => {
                    Ok((payload, Freshness::Stale { stored_ms, because }))
                }
                None => Err(because),
            },
        }
    }

    /// The body of a request; identical requests in flight share one network round trip.
    async fn body(&self, request: &Request) -> Result<Rc<Vec<u8>>, FetchFailure> {
        let key = format!(
            "{:?}|{}|{}",
            request.venue,
            request.path_and_query,
            request.body.as_deref().unwrap_or("")
        );
        let existing = self.inner.in_flight.borrow().get(&key).cloned();
        let future = match existing {
            Some(future) => future,
            None => {
                let client = self.clone();
                let request = request.clone();
                let future = async move { client.send_with_retries(&request).await.map(Rc::new) }
                    .boxed_local()
                    .shared();
                self.inner
                    .in_flight
                    .borrow_mut()
                    .insert(key.clone(), future.clone());
                future
            }
        };
        let result = future.await;
        self.inner.in_flight.borrow_mut().remove(&key);
        result
    }

    async fn send_with_retries(&self, request: &Request) -> Result<Vec<u8>, FetchFailure> {
        let venue = request.venue;
        let base = self
            .inner
            .config
            .endpoint(venue)
            .map(|e| e.rest.clone())
            .ok_or(FetchFailure::Disabled)?;
        let url = format!("{base}{}", request.path_and_query);
        let mut attempt = 1;
        loop {
            self.wait_for_budget(venue).await?;
            let (result, body) = self.send_once(&url, request).await;
            let retry_after = match &result {
                Attempt::Status { retry_after, .. } => retry_after.clone(),
                _ => None,
            };
            let view = match &result {
                Attempt::Status { status, .. } => AttemptResult::Status {
                    status: *status,
                    retry_after: retry_after.as_deref(),
                },
                Attempt::NetworkError => AttemptResult::NetworkError,
                Attempt::TimedOut => AttemptResult::TimedOut,
                Attempt::Aborted => return Err(FetchFailure::Aborted),
            };
            let jitter = self.inner.rng.borrow_mut().next_f64();
            match self.inner.policy.next(attempt, view, jitter) {
                Next::Accept => return Ok(body),
                Next::RetryAfter { delay_ms } => sleep_ms(delay_ms).await,
                Next::Fail(failure) => {
                    if failure.venue_unavailable() {
                        self.inner
                            .unavailable
                            .borrow_mut()
                            .insert(venue, failure.clone());
                    }
                    return Err(failure);
                }
            }
            attempt += 1;
        }
    }

    async fn wait_for_budget(&self, venue: Venue) -> Result<(), FetchFailure> {
        const LONGEST_WAIT_MS: u64 = 3_000;
        for _ in 0..2 {
            let taken = self
                .inner
                .budgets
                .borrow_mut()
                .get_mut(&venue)
                .map(|b| b.try_take(now_ms()));
            match taken {
                None | Some(Ok(())) => return Ok(()),
                Some(Err(wait)) if wait <= LONGEST_WAIT_MS => sleep_ms(wait).await,
                Some(Err(wait)) => return Err(FetchFailure::BudgetExhausted { retry_in_ms: wait }),
            }
        }
        Err(FetchFailure::BudgetExhausted {
            retry_in_ms: LONGEST_WAIT_MS,
        })
    }

    async fn send_once(&self, url: &str, request: &Request) -> (Attempt, Vec<u8>) {
        let Ok(controller) = web_sys::AbortController::new() else {
            return (Attempt::NetworkError, Vec::new());
        };
        let id = self.inner.next_attempt_id.get();
        self.inner.next_attempt_id.set(id + 1);
        self.inner
            .attempts
            .borrow_mut()
            .insert(id, controller.clone());

        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (flag, controller) = (timed_out.clone(), controller.clone());
            Closure::once(move || {
                flag.set(true);
                controller.abort();
            })
        };
        let timer = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                i32::try_from(self.inner.policy.timeout_ms).unwrap_or(i32::MAX),
            )
            .ok()
        });

        let signal = controller.signal();
        let builder = match request.method {
            Method::Get => gloo_net::http::Request::get(url),
            Method::Post => {
                gloo_net::http::Request::post(url).header("content-type", "application/json")
            }
        }
        .abort_signal(Some(&signal));
        let sent = match &request.body {
            Some(body) => match builder.body(body.as_str()) {
                Ok(req) => req.send().await,
                Err(e) => Err(e),
            },
            None => builder.send().await,
        };
        let outcome = match sent {
            Ok(response) => {
                let status = response.status();
                let retry_after = response.headers().get("retry-after");
                match response.binary().await {
                    Ok(body) => (
                        Attempt::Status {
                            status,
                            retry_after,
                        },
                        body,
                    ),
                    Err(_) => (self.interrupted(&timed_out, &signal), Vec::new()),
                }
            }
            Err(_) => (self.interrupted(&timed_out, &signal), Vec::new()),
        };
        if let (Some(handle), Some(window)) = (timer, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
        drop(on_timeout);
        self.inner.attempts.borrow_mut().remove(&id);
        outcome
    }

    fn interrupted(&self, timed_out: &Cell<bool>, signal: &web_sys::AbortSignal) -> Attempt {
        if timed_out.get() {
            Attempt::TimedOut
        } else if signal.aborted() {
            Attempt::Aborted
        } else {
            Attempt::NetworkError
        }
    }
}

/// What one attempt produced, before the policy judges it.
enum Attempt {
    Status {
        status: u16,
        retry_after: Option<String>,
    },
    NetworkError,
    TimedOut,
    Aborted,
}

/// Of two freshness states, the one that describes the older data.
fn older(current: Option<Freshness>, next: Freshness) -> Freshness {
    fn age_key(f: &Freshness) -> (u8, f64) {
        match f {
            Freshness::Stale { stored_ms, .. } => (2, -stored_ms),
            Freshness::Cached { stored_ms } => (1, -stored_ms),
            Freshness::Live { fetched_ms } => (0, -fetched_ms),
        }
    }
    match current {
        Some(current) if age_key(&current) >= age_key(&next) => current,
        _ => next,
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn sleep_ms(ms: u64) {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// localStorage as a [`KeyValueStore`]; every call tolerates a storage that throws.
pub struct BrowserStore(web_sys::Storage);

impl BrowserStore {
    pub fn local() -> Option<BrowserStore> {
        web_sys::window()?
            .local_storage()
            .ok()
            .flatten()
            .map(BrowserStore)
    }
}

impl KeyValueStore for BrowserStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreFull> {
        self.0.set_item(key, value).map_err(|_| StoreFull)
    }

    fn remove(&mut self, key: &str) {
        let _ = self.0.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        let len = self.0.length().unwrap_or(0);
        (0..len)
            .filter_map(|i| self.0.key(i).ok().flatten())
            .collect()
    }
}
