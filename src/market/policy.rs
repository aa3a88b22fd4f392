//! The client's decisions as pure functions: what an HTTP outcome means, when to retry, how long to wait, and
//! whether a venue's request budget allows another request. Kept free of web types so every rule is tested
//! natively; `client.rs` only carries them out.

use super::model::Venue;
use super::parse::ParseError;

/// Why data could not be had from a venue, in words the status panel shows. One kind of failure per kind of
/// recovery: wait until a time, retry, or try another venue.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchFailure {
    /// 451/403 or no answer at all (a CORS refusal, DNS failure, offline): the browser cannot reach the venue
    /// from here. `status` is `None` when the browser does not say why.
    Blocked { status: Option<u16> },
    /// 418: the venue banned this IP for a while after too many requests.
    Banned { retry_after_ms: Option<u64> },
    /// 429 after every retry, or a `Retry-After` longer than we wait.
    RateLimited { retry_after_ms: Option<u64> },
    /// 5xx after every retry.
    ServerError { status: u16 },
    /// Another status the venue should not send for a public GET.
    UnexpectedStatus { status: u16 },
    /// No answer within the time limit.
    Timeout { after_ms: u32 },
    /// The answer was larger than we read (a proxy gone wrong, or a hostile host).
    TooLarge { limit_bytes: u64 },
    /// The answer could not be read.
    Parse(ParseError),
    /// The venue failed recently and is left alone until `until_ms` (a cool-down); `because` is why.
    CoolingDown {
        until_ms: f64,
        because: Box<FetchFailure>,
    },
    /// The venue has no public endpoint for this data.
    Unsupported(String),
    /// The site owner disabled the venue.
    Disabled,
    /// The site owner switched live data off (`"live": "off"` in config.json, or a config.json that could not be
    /// read).
    LiveOff,
    /// The page that wanted the data went away; nobody is waiting for an answer.
    Aborted,
}

impl FetchFailure {
    /// A sentence for the data-status panel.
    pub fn message(&self, venue: Venue) -> String {
        let name = venue.display_name();
        match self {
            FetchFailure::Blocked {
                status: Some(status),
            } => {
                format!("{name} is blocked or unreachable from this browser (HTTP {status})")
            }
            FetchFailure::Blocked { status: None } => {
                format!("{name} is blocked or unreachable from this browser")
            }
            FetchFailure::Banned {
                retry_after_ms: Some(ms),
            } => {
                format!(
                    "{name} paused requests from this address for {} (HTTP 418)",
                    human_duration(*ms)
                )
            }
            FetchFailure::Banned {
                retry_after_ms: None,
            } => {
                format!("{name} paused requests from this address (HTTP 418)")
            }
            FetchFailure::RateLimited {
                retry_after_ms: Some(ms),
            } => format!(
                "{name} is rate-limiting requests (HTTP 429) and asked to wait {}",
                human_duration(*ms)
            ),
            FetchFailure::RateLimited {
                retry_after_ms: None,
            } => {
                format!("{name} is rate-limiting requests (HTTP 429); try again shortly")
            }
            FetchFailure::ServerError { status } => {
                format!("{name} had a server error (HTTP {status})")
            }
            FetchFailure::UnexpectedStatus { status } => format!("{name} answered HTTP {status}"),
            FetchFailure::Timeout { after_ms } => {
                format!(
                    "{name} did not answer within {}",
                    human_duration(u64::from(*after_ms))
                )
            }
            FetchFailure::TooLarge { limit_bytes } => format!(
                "{name} sent more than {} MB; the answer was not read",
                limit_bytes / 1_000_000
            ),
            FetchFailure::Parse(e) => e.to_string(),
            FetchFailure::CoolingDown { because, .. } => {
                format!("{}; asking again after a pause", because.message(venue))
            }
            FetchFailure::Unsupported(what) => what.clone(),
            FetchFailure::Disabled => format!("{name} is disabled on this site"),
            FetchFailure::LiveOff => "live data is switched off on this site".to_string(),
            FetchFailure::Aborted => format!("the request to {name} was cancelled"),
        }
    }

    /// A few words for a label that names several venues: "Binance and Bybit unreachable from this browser".
    pub fn gist(&self) -> &'static str {
        match self {
            FetchFailure::Blocked { .. } => "unreachable from this browser",
            FetchFailure::Banned { .. } | FetchFailure::RateLimited { .. } => "rate-limiting",
            FetchFailure::ServerError { .. } | FetchFailure::Timeout { .. } => "not answering",
            FetchFailure::UnexpectedStatus { .. }
            | FetchFailure::TooLarge { .. }
            | FetchFailure::Parse(_) => "sending data that could not be read",
            FetchFailure::CoolingDown { because, .. } => because.gist(),
            FetchFailure::Unsupported(_) => "without this data",
            FetchFailure::Disabled => "disabled on this site",
            FetchFailure::LiveOff => "switched off on this site",
            FetchFailure::Aborted => "cancelled",
        }
    }

    /// Whether the failure says something about the venue as a whole, so that the venue is left alone for a
    /// cool-down instead of being asked again for every other piece of data.
    pub fn cools_venue_down(&self) -> bool {
        matches!(
            self,
            FetchFailure::Blocked { .. }
                | FetchFailure::Banned { .. }
                | FetchFailure::RateLimited { .. }
                | FetchFailure::ServerError { .. }
                | FetchFailure::Timeout { .. }
        )
    }

    /// The wait the venue itself asked for, if any.
    fn asked_wait_ms(&self) -> Option<u64> {
        match self {
            FetchFailure::Banned { retry_after_ms }
            | FetchFailure::RateLimited { retry_after_ms } => *retry_after_ms,
            _ => None,
        }
    }
}

fn human_duration(ms: u64) -> String {
    match ms {
        0..=1_499 => format!("{ms} ms"),
        1_500..=119_999 => format!("{} s", (ms + 500) / 1_000),
        _ => format!("{} min", (ms + 30_000) / 60_000),
    }
}

/// Retry rules for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// Attempts in total when `fetch` itself fails (no HTTP status). A CORS refusal looks exactly like a dropped
    /// connection, so one retry covers the second without repeating the first four times.
    pub network_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    pub timeout_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            network_attempts: 2,
            base_delay_ms: 500,
            max_delay_ms: 15_000,
            timeout_ms: 10_000,
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// The response is good: parse it.
    Accept,
    /// Wait, then try again.
    RetryAfter { delay_ms: u64 },
    /// Stop with this failure.
    Fail(FetchFailure),
}

/// An attempt's result as the network layer saw it. `retry_after_ms` is the `Retry-After` header already read
/// (see [`parse_retry_after_ms`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptResult {
    Status {
        status: u16,
        retry_after_ms: Option<u64>,
    },
    /// `fetch` rejected: CORS refusal, DNS failure or offline (the browser does not say which).
    NetworkError,
    TimedOut,
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1-based). `jitter` is a uniform draw in [0, 1) so the
    /// delays of many clients spread out ("full jitter", AWS Architecture Blog, "Exponential Backoff and Jitter").
    pub fn next(&self, attempt: u32, result: AttemptResult, jitter: f64) -> Next {
        let retries_left = attempt < self.max_attempts;
        match result {
            AttemptResult::Status {
                status: 200..=299, ..
            } => Next::Accept,
            AttemptResult::Status {
                status: 429,
                retry_after_ms,
            } => match (retries_left, retry_after_ms) {
                // Honour Retry-After, but a wait longer than our cap means "not now": give up and say how long.
                (true, Some(ms)) if ms <= self.max_delay_ms => Next::RetryAfter { delay_ms: ms },
                (true, None) => Next::RetryAfter {
                    delay_ms: self.backoff_ms(attempt, jitter),
                },
                _ => Next::Fail(FetchFailure::RateLimited { retry_after_ms }),
            },
            AttemptResult::Status {
                status: 418,
                retry_after_ms,
            } => Next::Fail(FetchFailure::Banned { retry_after_ms }),
            AttemptResult::Status {
                status: status @ (403 | 451),
                ..
            } => Next::Fail(FetchFailure::Blocked {
                status: Some(status),
            }),
            AttemptResult::Status {
                status: status @ 500..=599,
                retry_after_ms,
            } => {
                if retries_left {
                    let delay_ms = retry_after_ms
                        .filter(|ms| *ms <= self.max_delay_ms)
                        .unwrap_or_else(|| self.backoff_ms(attempt, jitter));
                    Next::RetryAfter { delay_ms }
                } else {
                    Next::Fail(FetchFailure::ServerError { status })
                }
            }
            AttemptResult::Status { status, .. } => {
                Next::Fail(FetchFailure::UnexpectedStatus { status })
            }
            AttemptResult::NetworkError if attempt < self.network_attempts => Next::RetryAfter {
                delay_ms: self.backoff_ms(attempt, jitter),
            },
            AttemptResult::NetworkError => Next::Fail(FetchFailure::Blocked { status: None }),
            AttemptResult::TimedOut if retries_left => Next::RetryAfter {
                delay_ms: self.backoff_ms(attempt, jitter),
            },
            AttemptResult::TimedOut => Next::Fail(FetchFailure::Timeout {
                after_ms: self.timeout_ms,
            }),
        }
    }

    /// Full-jitter exponential backoff: uniform in [0, min(cap, base·2^(attempt−1))], at least 50 ms.
    pub fn backoff_ms(&self, attempt: u32, jitter: f64) -> u64 {
        let exp = self
            .base_delay_ms
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let ceiling = exp.min(self.max_delay_ms);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        ((ceiling as f64 * jitter) as u64).max(50)
    }
}

/// Longest `Retry-After` taken at its word: a day. Anything longer is a misconfigured proxy, not a plan.
const LONGEST_RETRY_AFTER_MS: u64 = 86_400_000;

/// `Retry-After` (RFC 9110 §10.2.3) as a delay from `now_ms`: either delay-seconds (`120`, what venues send) or
/// an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`, what CDNs and proxies send). A date in the past means "now";
/// anything unreadable, negative or longer than a day is ignored (plain backoff applies).
pub fn parse_retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs: f64 = value.parse().ok()?;
        let ms = secs * 1_000.0;
        return (ms <= LONGEST_RETRY_AFTER_MS as f64).then(|| ms.round() as u64);
    }
    let at = http_date_ms(value)?;
    if !now_ms.is_finite() {
        return None;
    }
    let wait = (at as f64 - now_ms).max(0.0);
    (wait <= LONGEST_RETRY_AFTER_MS as f64).then(|| wait.round() as u64)
}

/// An HTTP-date in any of the three forms RFC 9110 §5.6.7 requires recipients to accept, as ms UTC:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime
/// `Sun Nov  6 08:49:37 1994`.
pub fn http_date_ms(value: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = |m: &str| MONTHS.iter().position(|x| *x == m).map(|i| i as i64 + 1);
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let words: Vec<&str> = value.split_whitespace().collect();
    let (day, month, year, time) = match words.as_slice() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        [_, day, mon, year, time, "GMT"] => (number(day)?, month(mon)?, number(year)?, *time),
        // Sunday, 06-Nov-94 08:49:37 GMT; a two-digit year is read as the nearest in 1970–2069.
        [_, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, mon, year) = (parts.next()?, parts.next()?, number(parts.next()?)?);
            let year = match year {
                0..=69 => 2_000 + year,
                70..=99 => 1_900 + year,
                _ => year,
            };
            (number(day)?, month(mon)?, year, *time)
        }
        // Sun Nov  6 08:49:37 1994
        [_, mon, day, time, year] => (number(day)?, month(mon)?, number(year)?, *time),
        _ => return None,
    };
    let mut hms = time.split(':').map(number);
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    let valid = (1..=31).contains(&day)
        && (1_970..=9_999).contains(&year)
        && (0..24).contains(&h)
        && (0..60).contains(&m)
        && (0..=60).contains(&sec)
        && hms.next().is_none();
    if !valid {
        return None;
    }
    let days = crate::base::calendar::days_from_civil(year, month, day);
    Some(((days * 24 + h) * 60 + m) * 60_000 + sec * 1_000)
}

/// A token bucket per venue that keeps us under its published public limit.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBudget {
    capacity: f64,
    refill_per_ms: f64,
    tokens: f64,
    last_ms: f64,
}

impl RequestBudget {
    /// `requests` per `window_ms`, starting full.
    pub fn new(requests: u32, window_ms: u64) -> RequestBudget {
        let capacity = f64::from(requests.max(1));
        RequestBudget {
            capacity,
            refill_per_ms: capacity / window_ms.max(1) as f64,
            tokens: capacity,
            last_ms: 0.0,
        }
    }

    /// The budget for a venue: a fraction of its published per-IP limit, leaving room for the visitor's other tabs.
    /// From each venue's API docs: Binance `/futures/data/*` 1,000 / 5 min; Bybit 600 / 5 s; OKX rubik 5 / 2 s
    /// per endpoint; Hyperliquid 1,200 weight / min at weight 20 for most info calls = 60 / min; Deribit ~20 / s
    /// sustained; dYdX 100 / 10 s.
    pub fn for_venue(venue: Venue) -> RequestBudget {
        match venue {
            Venue::Binance => RequestBudget::new(500, 300_000),
            Venue::Bybit => RequestBudget::new(100, 5_000),
            Venue::Okx => RequestBudget::new(4, 2_000),
            Venue::Hyperliquid => RequestBudget::new(40, 60_000),
            Venue::Deribit => RequestBudget::new(10, 1_000),
            Venue::Dydx => RequestBudget::new(50, 10_000),
        }
    }

    fn refill(&mut self, now_ms: f64) {
        if now_ms > self.last_ms {
            self.tokens =
                (self.tokens + (now_ms - self.last_ms) * self.refill_per_ms).min(self.capacity);
        }
        self.last_ms = self.last_ms.max(now_ms);
    }

    /// Takes one request's token at `now_ms`, or says how long until one is available.
    pub fn try_take(&mut self, now_ms: f64) -> Result<(), u64> {
        self.refill(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.wait_for(1.0))
        }
    }

    /// Reserves the next free slot and returns how long to wait for it (0: go now). Waiters queue: a reservation
    /// takes a token even from an empty bucket, so the tenth waiter waits for the tenth token and the venue never
    /// sees more than its limit. At most [`MAX_QUEUE`] requests wait at once; past that the wait is `Err`, and the
    /// caller tries another venue.
    pub fn reserve(&mut self, now_ms: f64) -> Result<u64, u64> {
        self.refill(now_ms);
        if self.tokens <= -MAX_QUEUE {
            return Err(self.wait_for(1.0));
        }
        self.tokens -= 1.0;
        Ok(if self.tokens >= 0.0 {
            0
        } else {
            self.wait_for(0.0)
        })
    }

    /// Milliseconds until the bucket holds `level` tokens.
    fn wait_for(&self, level: f64) -> u64 {
        // The epsilon keeps float noise (1.0000000000000009 ms) from rounding a wait up by a whole ms.
        ((level - self.tokens) / self.refill_per_ms - 1e-9)
            .ceil()
            .max(1.0) as u64
    }
}

/// Requests that may wait in one venue's queue at once.
pub const MAX_QUEUE: f64 = 64.0;

/// First cool-down after a venue-wide failure, and the longest: 30 s doubling up to 10 min.
pub const COOLDOWN_FIRST_MS: u64 = 30_000;
pub const COOLDOWN_LONGEST_MS: u64 = 600_000;

/// The client's memory of how each venue behaved: cool-downs after venue-wide failures, and the pause a 429
/// asked for. Pure, so the rules are tested with a fake clock; the client consults it before every request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VenueHealth {
    venues: std::collections::BTreeMap<Venue, Health>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Health {
    /// Venue-wide failures in a row; each doubles the cool-down.
    strikes: u32,
    /// A cool-down: no request before this time, and why.
    cooling_until_ms: f64,
    because: Option<FetchFailure>,
    /// A 429's pause: requests wait until this time, then go.
    paused_until_ms: f64,
}

/// What the client should do before sending to a venue.
#[derive(Debug, Clone, PartialEq)]
pub enum Gate {
    /// Send now.
    Open,
    /// The venue asked everyone to wait (a 429's `Retry-After`): wait this long, then send.
    Wait { ms: u64 },
    /// Do not send: the venue is cooling down after a failure, or asked for a longer pause than we wait.
    Closed(FetchFailure),
}

impl VenueHealth {
    /// Whether a request to `venue` may go at `now_ms`. A pause up to `longest_wait_ms` is waited out; a longer
    /// one, or a cool-down, closes the venue until it ends.
    pub fn gate(&self, venue: Venue, now_ms: f64, longest_wait_ms: u64) -> Gate {
        let Some(h) = self.venues.get(&venue) else {
            return Gate::Open;
        };
        if let Some(because) = &h.because
            && h.cooling_until_ms > now_ms
        {
            return Gate::Closed(FetchFailure::CoolingDown {
                until_ms: h.cooling_until_ms,
                because: Box::new(because.clone()),
            });
        }
        let pause = h.paused_until_ms - now_ms;
        if pause <= 0.0 || pause.is_nan() {
            Gate::Open
        } else if pause <= longest_wait_ms as f64 {
            Gate::Wait {
                ms: pause.ceil() as u64,
            }
        } else {
            Gate::Closed(FetchFailure::RateLimited {
                retry_after_ms: Some(pause.ceil() as u64),
            })
        }
    }

    /// A 429 asked every request to `venue` to wait `delay_ms`: venue-wide, because the limit is per visitor's
    /// address, not per URL.
    pub fn pause(&mut self, venue: Venue, now_ms: f64, delay_ms: u64) {
        let h = self.venues.entry(venue).or_default();
        h.paused_until_ms = h.paused_until_ms.max(now_ms + delay_ms as f64);
    }

    /// A request to `venue` failed in a way that says something about the venue: leave it alone for
    /// 30 s × 2^(strikes − 1), at most 10 min, or for as long as the venue asked if that is longer.
    pub fn record_failure(&mut self, venue: Venue, failure: &FetchFailure, now_ms: f64) {
        if !failure.cools_venue_down() {
            return;
        }
        let h = self.venues.entry(venue).or_default();
        h.strikes = h.strikes.saturating_add(1);
        let cooldown = COOLDOWN_FIRST_MS
            .saturating_mul(1 << (h.strikes - 1).min(10))
            .min(COOLDOWN_LONGEST_MS)
            .max(failure.asked_wait_ms().unwrap_or(0));
        h.cooling_until_ms = h.cooling_until_ms.max(now_ms + cooldown as f64);
        h.because = Some(failure.clone());
    }

    /// The venue answered: its strikes are forgotten and any cool-down ends.
    pub fn record_success(&mut self, venue: Venue) {
        if let Some(h) = self.venues.get_mut(&venue) {
            h.strikes = 0;
            h.because = None;
            h.cooling_until_ms = 0.0;
        }
    }

    /// The visitor pressed Retry: ask the venue again now.
    pub fn reset(&mut self, venue: Venue) {
        self.venues.remove(&venue);
    }

    /// Why the venue is cooling down at `now_ms`, if it is.
    pub fn cooling_down(&self, venue: Venue, now_ms: f64) -> Option<FetchFailure> {
        match self.gate(venue, now_ms, u64::MAX) {
            Gate::Closed(failure) => Some(failure),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, retry_after_ms: Option<u64>) -> AttemptResult {
        AttemptResult::Status {
            status,
            retry_after_ms,
        }
    }

    #[test]
    fn success_is_accepted() {
        assert_eq!(
            RetryPolicy::default().next(1, status(200, None), 0.5),
            Next::Accept
        );
    }

    #[test]
    fn rate_limit_honours_retry_after_then_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.next(1, status(429, Some(2_000)), 0.5),
            Next::RetryAfter { delay_ms: 2_000 }
        );
        assert_eq!(
            p.next(4, status(429, Some(2_000)), 0.5),
            Next::Fail(FetchFailure::RateLimited {
                retry_after_ms: Some(2_000)
            })
        );
        // Longer than we are willing to wait: fail now, and say how long the venue asked for.
        assert_eq!(
            p.next(1, status(429, Some(120_000)), 0.5),
            Next::Fail(FetchFailure::RateLimited {
                retry_after_ms: Some(120_000)
            })
        );
        assert!(matches!(
            p.next(1, status(429, None), 0.5),
            Next::RetryAfter { .. }
        ));
    }

    #[test]
    fn blocks_and_bans_stop_at_once_and_cool_the_venue_down() {
        let p = RetryPolicy::default();
        for (code, failure) in [
            (451, FetchFailure::Blocked { status: Some(451) }),
            (403, FetchFailure::Blocked { status: Some(403) }),
            (
                418,
                FetchFailure::Banned {
                    retry_after_ms: Some(120_000),
                },
            ),
        ] {
            let next = p.next(1, status(code, Some(120_000)), 0.5);
            assert_eq!(next, Next::Fail(failure.clone()), "{code}");
            assert!(failure.cools_venue_down());
        }
        let blocked = FetchFailure::Blocked { status: Some(451) }.message(Venue::Binance);
        assert_eq!(
            blocked,
            "Binance is blocked or unreachable from this browser (HTTP 451)"
        );
    }

    #[test]
    fn network_errors_are_retried_once_then_reported_as_unreachable() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.next(1, AttemptResult::NetworkError, 0.5),
            Next::RetryAfter { .. }
        ));
        assert_eq!(
            p.next(2, AttemptResult::NetworkError, 0.5),
            Next::Fail(FetchFailure::Blocked { status: None })
        );
        assert_eq!(
            FetchFailure::Blocked { status: None }.gist(),
            "unreachable from this browser"
        );
    }

    #[test]
    fn server_errors_and_timeouts_retry_then_fail() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.next(1, status(503, None), 0.5),
            Next::RetryAfter { .. }
        ));
        assert_eq!(
            p.next(4, status(503, None), 0.5),
            Next::Fail(FetchFailure::ServerError { status: 503 })
        );
        assert!(matches!(
            p.next(2, AttemptResult::TimedOut, 0.5),
            Next::RetryAfter { .. }
        ));
        assert_eq!(
            p.next(4, AttemptResult::TimedOut, 0.5),
            Next::Fail(FetchFailure::Timeout { after_ms: 10_000 })
        );
        assert_eq!(
            p.next(1, status(404, None), 0.5),
            Next::Fail(FetchFailure::UnexpectedStatus { status: 404 })
        );
        assert!(!FetchFailure::UnexpectedStatus { status: 404 }.cools_venue_down());
    }

    #[test]
    fn backoff_grows_exponentially_under_a_cap_with_full_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(1, 0.999_999), 499);
        assert_eq!(p.backoff_ms(2, 0.999_999), 999);
        assert_eq!(p.backoff_ms(3, 0.999_999), 1_999);
        assert_eq!(p.backoff_ms(30, 0.999_999), 14_999);
        assert_eq!(p.backoff_ms(3, 0.0), 50);
        assert_eq!(p.backoff_ms(u32::MAX, f64::NAN), 7_500);
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        // RFC 9110 §5.6.7's example instant, 1994-11-06T08:49:37Z, in its three forms.
        let at = 784_111_777_000_i64;
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(http_date_ms(form), Some(at), "{form}");
        }
        let now = (at - 90_000) as f64;
        assert_eq!(
            parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(90_000)
        );
        // A date already past means "go now".
        assert_eq!(
            parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", (at + 5_000) as f64),
            Some(0)
        );
        assert_eq!(parse_retry_after_ms("3", 0.0), Some(3_000));
        assert_eq!(parse_retry_after_ms(" 0.5 ", 0.0), Some(500));
        for bad in [
            "",
            "-1",
            "soon",
            "NaN",
            "1e9",
            "inf",
            "999999999",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nox 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 99999999999 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:12 GMT",
        ] {
            assert_eq!(parse_retry_after_ms(bad, 0.0), None, "{bad}");
        }
        // More than a day away: a misconfigured proxy, ignored.
        assert_eq!(
            parse_retry_after_ms(
                "Sun, 06 Nov 1994 08:49:37 GMT",
                (at - 2 * 86_400_000) as f64
            ),
            None
        );
    }

    #[test]
    fn budget_refills_over_time() {
        let mut b = RequestBudget::new(2, 1_000);
        assert_eq!(b.try_take(0.0), Ok(()));
        assert_eq!(b.try_take(0.0), Ok(()));
        assert_eq!(b.try_take(0.0), Err(500));
        assert_eq!(b.try_take(499.0), Err(1));
        assert_eq!(b.try_take(500.0), Ok(()));
        // A clock that goes backwards does not mint tokens.
        assert!(b.try_take(100.0).is_err());
    }

    #[test]
    fn budget_waiters_queue_in_order_and_never_exceed_the_rate() {
        // 2 per second: the first two go now, the next ones every 500 ms after each other.
        let mut b = RequestBudget::new(2, 1_000);
        let waits: Vec<u64> = (0..5).map(|_| b.reserve(0.0).unwrap()).collect();
        assert_eq!(waits, vec![0, 0, 500, 1_000, 1_500]);
        // The queue is bounded: past MAX_QUEUE waiters, the answer is "not here, try elsewhere".
        let mut full = RequestBudget::new(1, 1_000);
        let accepted = (0..200).filter(|_| full.reserve(0.0).is_ok()).count();
        assert_eq!(accepted, 1 + MAX_QUEUE as usize);
        assert!(full.reserve(0.0).is_err());
    }

    #[test]
    fn a_failing_venue_cools_down_for_30_s_doubling_to_10_min_then_opens_again() {
        let mut h = VenueHealth::default();
        let down = FetchFailure::Blocked { status: None };
        let mut now = 1_000.0;
        let mut cooldowns = Vec::new();
        for _ in 0..7 {
            h.record_failure(Venue::Bybit, &down, now);
            let Gate::Closed(FetchFailure::CoolingDown { until_ms, because }) =
                h.gate(Venue::Bybit, now, 15_000)
            else {
                panic!("not cooling down");
            };
            assert_eq!(*because, down);
            cooldowns.push((until_ms - now) as u64);
            // Just before the end it is still closed; at the end it opens for the next try.
            assert!(matches!(
                h.gate(Venue::Bybit, until_ms - 1.0, 15_000),
                Gate::Closed(_)
            ));
            assert_eq!(h.gate(Venue::Bybit, until_ms, 15_000), Gate::Open);
            now = until_ms;
        }
        assert_eq!(
            cooldowns,
            vec![30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]
        );
        // Other venues are not affected; success forgets the strikes; Retry clears at once.
        assert_eq!(h.gate(Venue::Binance, now, 15_000), Gate::Open);
        h.record_success(Venue::Bybit);
        h.record_failure(Venue::Bybit, &down, now);
        assert_eq!(
            h.cooling_down(Venue::Bybit, now).map(|f| f.gist()),
            Some("unreachable from this browser")
        );
        h.reset(Venue::Bybit);
        assert_eq!(h.gate(Venue::Bybit, now, 15_000), Gate::Open);
    }

    #[test]
    fn a_ban_cools_down_for_as_long_as_the_venue_asked() {
        let mut h = VenueHealth::default();
        let ban = FetchFailure::Banned {
            retry_after_ms: Some(7_200_000),
        };
        h.record_failure(Venue::Binance, &ban, 0.0);
        assert!(matches!(
            h.gate(Venue::Binance, 7_199_999.0, 15_000),
            Gate::Closed(_)
        ));
        assert_eq!(h.gate(Venue::Binance, 7_200_000.0, 15_000), Gate::Open);
        // Request-level failures (a bad body) do not close the venue.
        h.record_failure(
            Venue::Okx,
            &FetchFailure::UnexpectedStatus { status: 404 },
            0.0,
        );
        assert_eq!(h.gate(Venue::Okx, 0.0, 15_000), Gate::Open);
    }

    #[test]
    fn a_429_pauses_every_request_to_the_venue() {
        let mut h = VenueHealth::default();
        h.pause(Venue::Okx, 10_000.0, 2_000);
        // Another request 500 ms later waits out the rest of the pause.
        assert_eq!(
            h.gate(Venue::Okx, 10_500.0, 15_000),
            Gate::Wait { ms: 1_500 }
        );
        assert_eq!(h.gate(Venue::Okx, 12_000.0, 15_000), Gate::Open);
        // A pause longer than we wait closes the venue with the rate limit as the reason.
        h.pause(Venue::Okx, 20_000.0, 60_000);
        assert_eq!(
            h.gate(Venue::Okx, 20_000.0, 15_000),
            Gate::Closed(FetchFailure::RateLimited {
                retry_after_ms: Some(60_000)
            })
        );
        assert_eq!(h.gate(Venue::Bybit, 20_000.0, 15_000), Gate::Open);
    }

    #[test]
    fn every_venue_budget_is_below_its_published_limit() {
        // (published requests, window ms): Binance /futures/data 1,000 / 5 min; Bybit 600 / 5 s; OKX rubik 5 / 2 s;
        // Hyperliquid 1,200 weight / min at weight 20; Deribit 20 / s; dYdX 100 / 10 s (each venue's API docs).
        let published = [
            (Venue::Binance, 1_000.0, 300_000.0),
            (Venue::Bybit, 600.0, 5_000.0),
            (Venue::Okx, 5.0, 2_000.0),
            (Venue::Hyperliquid, 60.0, 60_000.0),
            (Venue::Deribit, 20.0, 1_000.0),
            (Venue::Dydx, 100.0, 10_000.0),
        ];
        for (venue, requests, window) in published {
            let b = RequestBudget::for_venue(venue);
            assert!(
                b.refill_per_ms < requests / window,
                "{venue:?} refills too fast"
            );
            assert!(b.capacity < requests, "{venue:?} bursts too high");
        }
    }
}
