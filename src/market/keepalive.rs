//! How a WebSocket stays up, as pure state machines tested with a fake clock; `stream.rs` only sends, receives
//! and sets timers.
//!
//! - [`Heartbeat`]: each venue's keep-alive protocol. Browsers answer protocol-level pings by themselves but
//!   cannot send them, so venues that expect a client ping get an application message: Bybit `{"op":"ping"}`
//!   every 20 s, OKX the text `ping` within 30 s, Hyperliquid `{"method":"ping"}` (the server drops a connection
//!   it has sent nothing to for 60 s), Deribit `public/set_heartbeat` then an answer to every `test_request`.
//!   Binance and dYdX ping at the protocol level, which the browser answers.
//! - [`KeepAlive`]: when to ping, what to answer, and when a socket that has gone quiet (no message for twice
//!   the heartbeat interval) is dead and must be replaced.
//! - [`Reconnects`]: the wait before the next attempt, doubling with jitter, and reset only after a connection
//!   held for [`STABLE_AFTER_MS`] (a socket that opens, sends one frame and closes must not loop every second).

use super::model::Venue;

/// A connection that stayed open this long counts as healthy: the next drop starts the backoff afresh.
pub const STABLE_AFTER_MS: f64 = 30_000.0;

/// A venue's keep-alive protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat {
    /// How often the client sends `ping`; `None` where the server pings at the protocol level.
    pub every_ms: Option<u64>,
    /// The application-level ping.
    pub ping: Option<&'static str>,
    /// Sent once the socket opens (Deribit asks the server to start its heartbeat).
    pub on_open: Option<&'static str>,
}

/// Deribit's heartbeat request and the answer to its `test_request` (docs.deribit.com, `public/set_heartbeat`,
/// "heartbeat" notifications).
const DERIBIT_SET_HEARTBEAT: &str =
    r#"{"jsonrpc":"2.0","id":9001,"method":"public/set_heartbeat","params":{"interval":30}}"#;
const DERIBIT_TEST: &str = r#"{"jsonrpc":"2.0","id":9002,"method":"public/test","params":{}}"#;

impl Heartbeat {
    pub fn for_venue(venue: Venue) -> Heartbeat {
        let (every_ms, ping, on_open) = match venue {
            Venue::Bybit => (Some(20_000), Some(r#"{"op":"ping"}"#), None),
            Venue::Okx => (Some(25_000), Some("ping"), None),
            Venue::Hyperliquid => (Some(30_000), Some(r#"{"method":"ping"}"#), None),
            // The server sends a test_request every 30 s once asked; answering it is the keep-alive.
            Venue::Deribit => (Some(30_000), None, Some(DERIBIT_SET_HEARTBEAT)),
            Venue::Binance | Venue::Dydx => (None, None, None),
        };
        Heartbeat {
            every_ms,
            ping,
            on_open,
        }
    }

    /// Silence this long means the socket is dead: twice the heartbeat interval (a ping's reply, or the venue's
    /// own heartbeat, should have arrived twice by then).
    pub fn idle_after_ms(&self) -> Option<u64> {
        self.every_ms.map(|ms| ms.saturating_mul(2))
    }
}

/// What the stream should do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Send(&'static str),
    /// Nothing arrived for too long: close this socket and open another.
    Reconnect,
}

/// The keep-alive of one open socket.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepAlive {
    heartbeat: Heartbeat,
    last_message_ms: f64,
    last_ping_ms: f64,
}

impl KeepAlive {
    /// A socket of `venue` that opened at `now_ms`; returns what to send at once.
    pub fn opened(venue: Venue, now_ms: f64) -> (KeepAlive, Vec<Action>) {
        let heartbeat = Heartbeat::for_venue(venue);
        let first = heartbeat.on_open.map(Action::Send).into_iter().collect();
        (
            KeepAlive {
                heartbeat,
                last_message_ms: now_ms,
                last_ping_ms: now_ms,
            },
            first,
        )
    }

    /// A message arrived; returns any answer it needs (Deribit's `test_request`).
    pub fn received(&mut self, now_ms: f64, text: &str) -> Vec<Action> {
        self.last_message_ms = now_ms;
        if self.heartbeat.on_open == Some(DERIBIT_SET_HEARTBEAT)
            && text.contains("\"heartbeat\"")
            && text.contains("test_request")
        {
            vec![Action::Send(DERIBIT_TEST)]
        } else {
            Vec::new()
        }
    }

    /// Called on a timer: a ping when one is due, or a reconnect when the socket has gone quiet.
    pub fn tick(&mut self, now_ms: f64) -> Option<Action> {
        if let Some(idle) = self.heartbeat.idle_after_ms()
            && now_ms - self.last_message_ms >= idle as f64
        {
            return Some(Action::Reconnect);
        }
        let (Some(every), Some(ping)) = (self.heartbeat.every_ms, self.heartbeat.ping) else {
            return None;
        };
        if now_ms - self.last_ping_ms >= every as f64 {
            self.last_ping_ms = now_ms;
            return Some(Action::Send(ping));
        }
        None
    }

    /// How often [`KeepAlive::tick`] should run so no ping is late by more than a fifth of its interval.
    pub fn tick_every_ms(&self) -> Option<u64> {
        self.heartbeat.every_ms.map(|ms| (ms / 5).max(250))
    }
}

/// Backoff between reconnects: full jitter over `min(cap, base·2^(n−1))`, at least 250 ms.
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

/// The reconnect schedule of one stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reconnects {
    policy: ReconnectPolicy,
    failures: u32,
    opened_ms: Option<f64>,
}

impl Reconnects {
    pub fn new(policy: ReconnectPolicy) -> Reconnects {
        Reconnects {
            policy,
            failures: 0,
            opened_ms: None,
        }
    }

    /// The socket opened.
    pub fn opened(&mut self, now_ms: f64) {
        self.opened_ms = Some(now_ms);
    }

    /// The socket closed (or never opened) at `now_ms`: how long to wait before the next attempt, and how many
    /// failures in a row that makes. Only a connection that held for [`STABLE_AFTER_MS`] resets the count.
    pub fn closed(&mut self, now_ms: f64, jitter: f64) -> (u64, u32) {
        if self
            .opened_ms
            .take()
            .is_some_and(|at| now_ms - at >= STABLE_AFTER_MS)
        {
            self.failures = 0;
        }
        self.failures = self.failures.saturating_add(1);
        (self.policy.delay_ms(self.failures, jitter), self.failures)
    }
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

    #[test]
    fn bybit_pings_every_20_s_and_a_quiet_socket_is_replaced_after_40_s() {
        let (mut k, first) = KeepAlive::opened(Venue::Bybit, 0.0);
        assert!(first.is_empty());
        assert_eq!(k.tick(19_999.0), None);
        assert_eq!(k.tick(20_000.0), Some(Action::Send(r#"{"op":"ping"}"#)));
        assert_eq!(k.tick(25_000.0), None);
        // The pong keeps it alive.
        k.received(21_000.0, r#"{"op":"pong","success":true}"#);
        assert_eq!(k.tick(40_000.0), Some(Action::Send(r#"{"op":"ping"}"#)));
        assert_eq!(k.tick(60_000.0), Some(Action::Send(r#"{"op":"ping"}"#)));
        assert_eq!(k.tick(60_999.0), None);
        // Nothing since 21 s: at 61 s (40 s of silence) the socket is dead.
        assert_eq!(k.tick(61_000.0), Some(Action::Reconnect));
    }

    #[test]
    fn each_venue_speaks_its_own_keep_alive() {
        let ping = |venue| {
            let (mut k, _) = KeepAlive::opened(venue, 0.0);
            (1..=120).find_map(|s| match k.tick(f64::from(s) * 1_000.0) {
                Some(Action::Send(text)) => Some((s, text)),
                _ => None,
            })
        };
        assert_eq!(ping(Venue::Okx), Some((25, "ping")));
        assert_eq!(ping(Venue::Hyperliquid), Some((30, r#"{"method":"ping"}"#)));
        // Binance and dYdX: the server pings at the protocol level and the browser answers; nothing to send,
        // and silence alone (a quiet liquidation stream) is no reason to reconnect.
        for venue in [Venue::Binance, Venue::Dydx] {
            let (mut k, first) = KeepAlive::opened(venue, 0.0);
            assert!(first.is_empty());
            assert_eq!(k.tick(3_600_000.0), None, "{venue:?}");
        }
    }

    #[test]
    fn deribit_asks_for_heartbeats_and_answers_each_test_request() {
        let (mut k, first) = KeepAlive::opened(Venue::Deribit, 0.0);
        assert_eq!(first, vec![Action::Send(DERIBIT_SET_HEARTBEAT)]);
        let test_request =
            r#"{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"test_request"}}"#;
        assert_eq!(
            k.received(30_000.0, test_request),
            vec![Action::Send(DERIBIT_TEST)]
        );
        assert!(
            k.received(
                31_000.0,
                r#"{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"heartbeat"}}"#
            )
            .is_empty()
        );
        assert_eq!(k.tick(60_000.0), None);
        assert_eq!(k.tick(91_000.0), Some(Action::Reconnect));
    }

    #[test]
    fn the_backoff_resets_only_after_a_connection_held_30_s() {
        let mut r = Reconnects::new(ReconnectPolicy::default());
        let top = 0.999_999;
        // Opens, sends one frame, closes at once: every time, the wait grows.
        let mut now = 0.0;
        let mut waits = Vec::new();
        for _ in 0..6 {
            r.opened(now);
            now += 500.0;
            let (wait, _) = r.closed(now, top);
            waits.push(wait);
            now += wait as f64;
        }
        assert_eq!(waits, vec![999, 1_999, 3_999, 7_999, 15_999, 29_999]);
        // Never opened at all: also a failure.
        assert_eq!(r.closed(now, top), (29_999, 7));
        // A connection that held 30 s starts the backoff afresh.
        r.opened(now);
        assert_eq!(r.closed(now + STABLE_AFTER_MS, top), (999, 1));
    }
}
