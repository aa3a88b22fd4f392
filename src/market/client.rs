//! The only code that touches the network. It carries out the rules of [`super::policy`]: a time limit per
//! attempt, retries with backoff and jitter, a venue-wide pause when a venue answers 429 (honouring
//! `Retry-After` in seconds or as an HTTP-date), a cool-down that expires after venue-wide failures, a request
//! budget per venue whose waiters queue, one request for identical requests in flight, a size cap on every body,
//! a cache with a TTL per kind of data (memory + localStorage), and cancellation when the page that asked goes
//! away.
//!
//! Cross-origin note: a browser only lets a page read `Retry-After` when the venue (or proxy) lists it in
//! `Access-Control-Expose-Headers`; without it the header reads as absent and plain backoff applies.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use lens_math::rng::SplitMix64;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::cache::{Cache, DEFAULT_MAX_STORED_CHARS, KeyValueStore, Lookup, StoreFull, ttl_ms};
use super::config::{LiveMode, SiteConfig};
use super::model::Venue;
use super::policy::{
    AttemptResult, FetchFailure, Gate, Next, RequestBudget, RetryPolicy, VenueHealth,
    parse_retry_after_ms,
};
use super::venues::{self, Method, Payload, Query, Request};

/// The largest response body read (8 MB): a month of hourly rows is well under 1 MB; anything bigger is a proxy
/// gone wrong or a hostile host, and must not fill the visitor's memory.
pub const MAX_BODY_BYTES: u64 = 8_000_000;
/// The longest a request waits for a venue's 429 pause before falling back to another venue.
const LONGEST_PAUSE_WAIT_MS: u64 = 15_000;

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
    health: RefCell<VenueHealth>,
    /// Requests in flight by key, with the id of the attempt chain that owns the entry.
    in_flight: RefCell<HashMap<String, (u64, BodyFuture)>>,
    attempts: RefCell<HashMap<u64, web_sys::AbortController>>,
    next_id: Cell<u64>,
    /// Bumped by [`Client::abort_in_flight`]: a request started under an older epoch stops at its next step
    /// (after a backoff sleep, say) instead of sending for a page that is gone.
    epoch: Cell<u64>,
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
                health: RefCell::new(VenueHealth::default()),
                in_flight: RefCell::new(HashMap::new()),
                attempts: RefCell::new(HashMap::new()),
                next_id: Cell::new(0),
                epoch: Cell::new(0),
                // Jitter only needs to differ between visitors, not be unpredictable.
                rng: RefCell::new(SplitMix64::new(js_sys::Date::now().to_bits())),
            }),
        }
    }

    pub fn config(&self) -> &SiteConfig {
        &self.inner.config
    }

    /// Why a venue is being left alone right now (a cool-down after a failure), if it is.
    pub fn cooling_down(&self, venue: Venue) -> Option<FetchFailure> {
        self.inner
            .health
            .borrow()
            .cooling_down(venue, monotonic_ms())
    }

    /// Lets a venue be tried again at once (the visitor pressed "Retry").
    pub fn reset_venue(&self, venue: Venue) {
        self.inner.health.borrow_mut().reset(venue);
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

    /// Cancels every request in flight (the page that wanted them is gone). Requests asked for later start
    /// afresh: none of them is handed a cancelled one.
    pub fn abort_in_flight(&self) {
        self.inner.epoch.set(self.inner.epoch.get() + 1);
        self.inner.in_flight.borrow_mut().clear();
        let controllers: Vec<_> = self.inner.attempts.borrow_mut().drain().collect();
        for (_, controller) in controllers {
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
        if self.inner.config.live == LiveMode::Off {
            return Err(FetchFailure::LiveOff);
        }
        if self.inner.config.endpoint(venue).is_none() {
            return Err(FetchFailure::Disabled);
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
        // A venue cooling down is not asked; its stale cache entry, if any, still serves.
        let cooling = self
            .inner
            .health
            .borrow()
            .cooling_down(request.venue, monotonic_ms());
        let fetched = match cooling {
            Some(failure) => Err(failure),
            None => match self.body(request).await {
                Ok(body) => venues::parse(request.venue, query, &body).map_err(FetchFailure::Parse),
                Err(failure) => Err(failure),
            },
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
        let (id, future) = match existing {
            Some(entry) => entry,
            None => {
                let id = self.next_id();
                let client = self.clone();
                let request = request.clone();
                let future = async move { client.send_with_retries(&request).await.map(Rc::new) }
                    .boxed_local()
                    .shared();
                self.inner
                    .in_flight
                    .borrow_mut()
                    .insert(key.clone(), (id, future.clone()));
                (id, future)
            }
        };
        let result = future.await;
        // Only this chain's entry goes: after an abort the key may already hold a newer request.
        let mut in_flight = self.inner.in_flight.borrow_mut();
        if in_flight.get(&key).is_some_and(|(owner, _)| *owner == id) {
            in_flight.remove(&key);
        }
        result
    }

    fn next_id(&self) -> u64 {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id.wrapping_add(1));
        id
    }

    async fn send_with_retries(&self, request: &Request) -> Result<Vec<u8>, FetchFailure> {
        let venue = request.venue;
        let epoch = self.inner.epoch.get();
        let base = self
            .inner
            .config
            .endpoint(venue)
            .map(|e| e.rest.clone())
            .ok_or(FetchFailure::Disabled)?;
        let url = format!("{base}{}", request.path_and_query);
        let mut attempt = 1;
        loop {
            self.wait_for_turn(venue, epoch).await?;
            let (result, body) = self.send_once(&url, request).await;
            let view = match result {
                Attempt::Status {
                    status,
                    retry_after_ms,
                } => AttemptResult::Status {
                    status,
                    retry_after_ms,
                },
                Attempt::NetworkError => AttemptResult::NetworkError,
                Attempt::TimedOut => AttemptResult::TimedOut,
                Attempt::TooLarge => {
                    return Err(FetchFailure::TooLarge {
                        limit_bytes: MAX_BODY_BYTES,
                    });
                }
                Attempt::Aborted => return Err(FetchFailure::Aborted),
            };
            let jitter = self.inner.rng.borrow_mut().next_f64();
            match self.inner.policy.next(attempt, view, jitter) {
                Next::Accept => {
                    self.inner.health.borrow_mut().record_success(venue);
                    return Ok(body);
                }
                Next::RetryAfter { delay_ms } => {
                    if matches!(view, AttemptResult::Status { status: 429, .. }) {
                        // The limit is the visitor's, not the URL's: every request to the venue waits.
                        self.inner
                            .health
                            .borrow_mut()
                            .pause(venue, monotonic_ms(), delay_ms);
                    } else {
                        sleep_ms(delay_ms).await;
                    }
                }
                Next::Fail(failure) => {
                    self.inner
                        .health
                        .borrow_mut()
                        .record_failure(venue, &failure, monotonic_ms());
                    return Err(failure);
                }
            }
            attempt += 1;
        }
    }

    /// Waits until a request to `venue` may go: past any 429 pause, then for a slot in its budget (waiters queue
    /// in order). Fails when the venue is cooling down, or when the page that asked has gone.
    async fn wait_for_turn(&self, venue: Venue, epoch: u64) -> Result<(), FetchFailure> {
        loop {
            if self.inner.epoch.get() != epoch {
                return Err(FetchFailure::Aborted);
            }
            let gate =
                self.inner
                    .health
                    .borrow()
                    .gate(venue, monotonic_ms(), LONGEST_PAUSE_WAIT_MS);
            match gate {
                Gate::Open => break,
                Gate::Wait { ms } => sleep_ms(ms).await,
                Gate::Closed(failure) => return Err(failure),
            }
        }
        let reserved = self
            .inner
            .budgets
            .borrow_mut()
            .get_mut(&venue)
            .map(|b| b.reserve(monotonic_ms()));
        match reserved {
            None | Some(Ok(0)) => {}
            Some(Ok(wait)) => sleep_ms(wait).await,
            // More requests waiting for this venue than it can serve soon: let another venue answer.
            Some(Err(wait)) => {
                return Err(FetchFailure::RateLimited {
                    retry_after_ms: Some(wait),
                });
            }
        }
        if self.inner.epoch.get() == epoch {
            Ok(())
        } else {
            Err(FetchFailure::Aborted)
        }
    }

    async fn send_once(&self, url: &str, request: &Request) -> (Attempt, Vec<u8>) {
        let Ok(controller) = web_sys::AbortController::new() else {
            return (Attempt::NetworkError, Vec::new());
        };
        let id = self.next_id();
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
                let retry_after_ms = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| parse_retry_after_ms(&v, now_ms()));
                match read_capped(&response, MAX_BODY_BYTES).await {
                    Ok(body) => (
                        Attempt::Status {
                            status,
                            retry_after_ms,
                        },
                        body,
                    ),
                    Err(BodyError::TooLarge) => {
                        controller.abort();
                        (Attempt::TooLarge, Vec::new())
                    }
                    Err(BodyError::Interrupted) => {
                        (self.interrupted(&timed_out, &signal), Vec::new())
                    }
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
#[derive(Debug, Clone, Copy)]
enum Attempt {
    Status {
        status: u16,
        retry_after_ms: Option<u64>,
    },
    NetworkError,
    TimedOut,
    TooLarge,
    Aborted,
}

/// Why a body could not be read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the cap (by its `Content-Length`, or by what arrived).
    TooLarge,
    /// The connection dropped mid-body, or the request was aborted.
    Interrupted,
}

/// Reads a response body, but never more than `limit` bytes: a `Content-Length` over the limit is refused
/// before reading, and the stream is cancelled as soon as what arrived passes it (a body without a length, or
/// with a lying one).
pub async fn read_capped(
    response: &gloo_net::http::Response,
    limit: u64,
) -> Result<Vec<u8>, BodyError> {
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::with_capacity(declared.map_or(16_384, |n| n as usize));
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(|_| BodyError::Interrupted)?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(body);
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) else {
            return Err(BodyError::Interrupted);
        };
        let bytes = js_sys::Uint8Array::new(&value);
        if body.len() as u64 + u64::from(bytes.length()) > limit {
            let _ = reader.cancel();
            return Err(BodyError::TooLarge);
        }
        let start = body.len();
        body.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut body[start..]);
    }
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

/// Wall-clock time, for what outlives the page (cache entries) and for HTTP-dates.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A clock that only moves forward, for waits, pauses, budgets and cool-downs: the wall clock can jump (sleep,
/// NTP, a visitor changing the time) and must not make a pause last forever or end early.
pub fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
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
