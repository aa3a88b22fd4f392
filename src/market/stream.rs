//! Live WebSocket streams for what REST cannot give: best quotes (OFI), liquidations, level-2 books.
//!
//! A stream reconnects with jittered exponential backoff when the connection drops, resets the backoff once
//! messages flow again, and stops for good when its [`StreamHandle`] is dropped (the page no longer needs it).
//! WebSockets are not subject to CORS; a venue can still refuse the upgrade (geo-blocking, rate limits).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::model::Venue;
use super::venues::{StreamEvent, StreamRequest, parse_stream_message};

/// Backoff between reconnects: full jitter over `min(cap, base·2^n)`, at least 250 ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReconnectPolicy {
    pub base_ms: u64,
    pub cap_ms: u64,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        ReconnectPolicy {
            base_ms: 1_000,
            cap_ms: 30_000,
        }
    }
}

impl ReconnectPolicy {
    /// The wait before reconnect number `failures` (1 for the first), for a uniform `jitter` in [0, 1).
    pub fn delay_ms(&self, failures: u32, jitter: f64) -> u64 {
        let ceiling = self
            .base_ms
            .saturating_mul(1u64 << failures.saturating_sub(1).min(16))
            .min(self.cap_ms);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        ((ceiling as f64 * jitter) as u64).max(250)
    }
}

/// What a stream is doing, for the status panel.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamStatus {
    Connecting,
    Open,
    /// Dropped; the next attempt is in `retry_in_ms`.
    Reconnecting {
        failures: u32,
        retry_in_ms: u64,
    },
    /// A message could not be read (the stream stays open).
    BadMessage(String),
    Stopped,
}

/// A socket event callback kept alive as long as its socket.
type SocketCallback = Closure<dyn FnMut(web_sys::Event)>;

struct Shared {
    url: String,
    request: StreamRequest,
    policy: ReconnectPolicy,
    on_event: Box<dyn Fn(StreamEvent)>,
    on_status: Box<dyn Fn(StreamStatus)>,
    socket: RefCell<Option<web_sys::WebSocket>>,
    stopped: Cell<bool>,
    failures: Cell<u32>,
    retry_timer: Cell<Option<i32>>,
    // The socket's callbacks live as long as the socket; replaced on every reconnect.
    callbacks: RefCell<Vec<SocketCallback>>,
    retry_callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

/// A running stream; dropping it closes the socket and cancels any pending reconnect.
pub struct StreamHandle {
    shared: Rc<Shared>,
}

impl Drop for StreamHandle {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.stopped.set(true);
        if let (Some(timer), Some(window)) = (shared.retry_timer.take(), web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some(socket) = shared.socket.borrow_mut().take() {
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            socket.set_onerror(None);
            let _ = socket.close();
        }
        (shared.on_status)(StreamStatus::Stopped);
    }
}

/// Opens `request` under the venue's WebSocket base URL `ws_base`.
pub fn open_stream(
    ws_base: &str,
    request: StreamRequest,
    on_event: impl Fn(StreamEvent) + 'static,
    on_status: impl Fn(StreamStatus) + 'static,
) -> StreamHandle {
    let shared = Rc::new(Shared {
        url: format!("{}{}", ws_base.trim_end_matches('/'), request.path),
        request,
        policy: ReconnectPolicy::default(),
        on_event: Box::new(on_event),
        on_status: Box::new(on_status),
        socket: RefCell::new(None),
        stopped: Cell::new(false),
        failures: Cell::new(0),
        retry_timer: Cell::new(None),
        callbacks: RefCell::new(Vec::new()),
        retry_callback: RefCell::new(None),
    });
    connect(&shared);
    StreamHandle { shared }
}

fn connect(shared: &Rc<Shared>) {
    if shared.stopped.get() {
        return;
    }
    (shared.on_status)(StreamStatus::Connecting);
    let socket = match web_sys::WebSocket::new(&shared.url) {
        Ok(socket) => socket,
        Err(_) => {
            schedule_reconnect(shared);
            return;
        }
    };
    let venue: Venue = shared.request.venue;

    let on_open = {
        let weak = Rc::downgrade(shared);
        SocketCallback::new(move |_| {
            let Some(shared) = weak.upgrade() else { return };
            if let (Some(message), Some(socket)) = (
                &shared.request.subscribe_message,
                shared.socket.borrow().as_ref(),
            ) {
                let _ = socket.send_with_str(message);
            }
            (shared.on_status)(StreamStatus::Open);
        })
    };
    let on_message = {
        let weak = Rc::downgrade(shared);
        SocketCallback::new(move |event: web_sys::Event| {
            let Some(shared) = weak.upgrade() else { return };
            let Some(text) = event
                .dyn_ref::<web_sys::MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            // Data is flowing: the connection is healthy again.
            shared.failures.set(0);
            match parse_stream_message(venue, &text) {
                Ok(events) => events.into_iter().for_each(|e| (shared.on_event)(e)),
                Err(e) => (shared.on_status)(StreamStatus::BadMessage(e.to_string())),
            }
        })
    };
    let on_close = {
        let weak = Rc::downgrade(shared);
        SocketCallback::new(move |_| {
            if let Some(shared) = weak.upgrade() {
                shared.socket.borrow_mut().take();
                schedule_reconnect(&shared);
            }
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // An error is always followed by a close event, which does the reconnecting.
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    *shared.callbacks.borrow_mut() = vec![on_open, on_message, on_close];
    *shared.socket.borrow_mut() = Some(socket);
}

fn schedule_reconnect(shared: &Rc<Shared>) {
    if shared.stopped.get() {
        return;
    }
    let failures = shared.failures.get() + 1;
    shared.failures.set(failures);
    let jitter = js_sys::Math::random();
    let delay = shared.policy.delay_ms(failures, jitter);
    (shared.on_status)(StreamStatus::Reconnecting {
        failures,
        retry_in_ms: delay,
    });
    let weak = Rc::downgrade(shared);
    let retry = Closure::<dyn FnMut()>::new(move || {
        if let Some(shared) = weak.upgrade() {
            shared.retry_timer.set(None);
            connect(&shared);
        }
    });
    let timer = web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            retry.as_ref().unchecked_ref(),
            i32::try_from(delay).unwrap_or(i32::MAX),
        )
        .ok()
    });
    shared.retry_timer.set(timer);
    *shared.retry_callback.borrow_mut() = Some(retry);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnect_delays_grow_to_a_cap_with_jitter() {
        let p = ReconnectPolicy::default();
        assert_eq!(p.delay_ms(1, 0.999_999), 999);
        assert_eq!(p.delay_ms(2, 0.999_999), 1_999);
        assert_eq!(p.delay_ms(6, 0.999_999), 29_999);
        assert_eq!(p.delay_ms(u32::MAX, 0.999_999), 29_999);
        assert_eq!(p.delay_ms(3, 0.0), 250);
        assert_eq!(p.delay_ms(1, f64::NAN), 500);
    }
}
