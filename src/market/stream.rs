//! Live WebSocket streams for what REST cannot give: best quotes (OFI), liquidations, level-2 books.
//!
//! A stream keeps itself alive with its venue's heartbeat, replaces a socket that has gone quiet, reconnects with
//! jittered exponential backoff (reset only after a connection held for 30 s), resubscribes on every reconnect,
//! and stops for good when its [`StreamHandle`] is dropped (the page no longer needs it). The rules are the pure
//! state machines of [`super::keepalive`]; this module only wires them to the browser's WebSocket and timers.
//! WebSockets are not subject to CORS; a venue can still refuse the upgrade (geo-blocking, rate limits).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

pub use super::keepalive::ReconnectPolicy;
use super::keepalive::{Action, KeepAlive, Reconnects};
use super::model::Venue;
use super::venues::{StreamEvent, StreamRequest, parse_stream_message};

/// What a stream is doing, for the status panel.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamStatus {
    Connecting,
    Open,
    /// Dropped (or gone quiet, `quiet`); the next attempt is in `retry_in_ms`.
    Reconnecting {
        failures: u32,
        retry_in_ms: u64,
        quiet: bool,
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
    on_event: Box<dyn Fn(StreamEvent)>,
    on_status: Box<dyn Fn(StreamStatus)>,
    socket: RefCell<Option<web_sys::WebSocket>>,
    stopped: Cell<bool>,
    reconnects: RefCell<Reconnects>,
    keepalive: RefCell<Option<KeepAlive>>,
    retry_timer: Cell<Option<i32>>,
    tick_timer: Cell<Option<i32>>,
    // The socket's callbacks live as long as the socket; replaced on every reconnect.
    callbacks: RefCell<Vec<SocketCallback>>,
    retry_callback: RefCell<Option<Closure<dyn FnMut()>>>,
    tick_callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

/// A running stream; dropping it closes the socket and cancels any pending reconnect.
pub struct StreamHandle {
    shared: Rc<Shared>,
}

impl Drop for StreamHandle {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.stopped.set(true);
        clear_timers(shared);
        close_socket(shared);
        (shared.on_status)(StreamStatus::Stopped);
    }
}

fn clear_timers(shared: &Shared) {
    if let Some(window) = web_sys::window() {
        if let Some(timer) = shared.retry_timer.take() {
            window.clear_timeout_with_handle(timer);
        }
        if let Some(timer) = shared.tick_timer.take() {
            window.clear_interval_with_handle(timer);
        }
    }
}

/// Closes the current socket without letting its close event schedule a reconnect.
fn close_socket(shared: &Shared) {
    if let Some(socket) = shared.socket.borrow_mut().take() {
        socket.set_onopen(None);
        socket.set_onmessage(None);
        socket.set_onclose(None);
        socket.set_onerror(None);
        let _ = socket.close();
    }
    shared.keepalive.borrow_mut().take();
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
        on_event: Box::new(on_event),
        on_status: Box::new(on_status),
        socket: RefCell::new(None),
        stopped: Cell::new(false),
        reconnects: RefCell::new(Reconnects::new(ReconnectPolicy::default())),
        keepalive: RefCell::new(None),
        retry_timer: Cell::new(None),
        tick_timer: Cell::new(None),
        callbacks: RefCell::new(Vec::new()),
        retry_callback: RefCell::new(None),
        tick_callback: RefCell::new(None),
    });
    connect(&shared);
    StreamHandle { shared }
}

/// Keep-alive and backoff run on the monotonic clock: a wall clock that jumps must not skip or stall pings.
fn now_ms() -> f64 {
    super::client::monotonic_ms()
}

fn send(shared: &Shared, text: &str) {
    if let Some(socket) = shared.socket.borrow().as_ref() {
        let _ = socket.send_with_str(text);
    }
}

fn connect(shared: &Rc<Shared>) {
    if shared.stopped.get() {
        return;
    }
    (shared.on_status)(StreamStatus::Connecting);
    let socket = match web_sys::WebSocket::new(&shared.url) {
        Ok(socket) => socket,
        Err(_) => {
            schedule_reconnect(shared, false);
            return;
        }
    };
    let venue: Venue = shared.request.venue;

    let on_open = {
        let weak = Rc::downgrade(shared);
        SocketCallback::new(move |_| {
            let Some(shared) = weak.upgrade() else { return };
            let now = now_ms();
            shared.reconnects.borrow_mut().opened(now);
            let (keepalive, first) = KeepAlive::opened(venue, now);
            let tick_every = keepalive.tick_every_ms();
            *shared.keepalive.borrow_mut() = Some(keepalive);
            for action in first {
                if let Action::Send(text) = action {
                    send(&shared, text);
                }
            }
            if let Some(message) = &shared.request.subscribe_message {
                send(&shared, message);
            }
            start_ticking(&shared, tick_every);
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
            let answers = shared
                .keepalive
                .borrow_mut()
                .as_mut()
                .map(|k| k.received(now_ms(), &text))
                .unwrap_or_default();
            for action in answers {
                if let Action::Send(reply) = action {
                    send(&shared, reply);
                }
            }
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
                close_socket(&shared);
                schedule_reconnect(&shared, false);
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

/// Runs the keep-alive on a timer while the socket is open: pings when due, and a fresh socket when this one
/// has gone quiet.
fn start_ticking(shared: &Rc<Shared>, every_ms: Option<u64>) {
    let (Some(every_ms), Some(window)) = (every_ms, web_sys::window()) else {
        return;
    };
    if let Some(timer) = shared.tick_timer.take() {
        window.clear_interval_with_handle(timer);
    }
    let weak = Rc::downgrade(shared);
    let tick = Closure::<dyn FnMut()>::new(move || {
        let Some(shared) = weak.upgrade() else { return };
        let action = shared
            .keepalive
            .borrow_mut()
            .as_mut()
            .and_then(|k| k.tick(now_ms()));
        match action {
            Some(Action::Send(text)) => send(&shared, text),
            Some(Action::Reconnect) => {
                close_socket(&shared);
                schedule_reconnect(&shared, true);
            }
            None => {}
        }
    });
    let timer = window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            i32::try_from(every_ms).unwrap_or(i32::MAX),
        )
        .ok();
    shared.tick_timer.set(timer);
    *shared.tick_callback.borrow_mut() = Some(tick);
}

fn schedule_reconnect(shared: &Rc<Shared>, quiet: bool) {
    if shared.stopped.get() {
        return;
    }
    clear_timers(shared);
    let (delay, failures) = shared
        .reconnects
        .borrow_mut()
        .closed(now_ms(), js_sys::Math::random());
    (shared.on_status)(StreamStatus::Reconnecting {
        failures,
        retry_in_ms: delay,
        quiet,
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
