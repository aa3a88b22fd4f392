//! The client's decisions as pure functions: what an HTTP outcome means, when to retry, how long to wait, and
//! whether a venue's request budget allows another request. Kept free of web types so every rule is tested
//! natively; `client.rs` only carries them out.

use super::model::Venue;
use super::parse::ParseError;

/// Why data could not be had from a venue, in words the status panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchFailure {
    /// 451/403, a CORS refusal or no route: the browser cannot reach the venue from here.
    Blocked { status: Option<u16> },
    /// 418: the venue banned this IP for a while after too many requests.
    Banned { retry_after_ms: Option<u64> },
    /// 429 after every retry.
    RateLimited,
    /// 5xx after every retry.
    ServerError { status: u16 },
    /// Another status the venue should not send for a public GET.
    UnexpectedStatus { status: u16 },
    /// No answer within the time limit.
    Timeout { after_ms: u32 },
    /// The answer could not be read.
    Parse(ParseError),
    /// Our own per-venue budget is spent; the request would exceed the venue's published limit.
    BudgetExhausted { retry_in_ms: u64 },
    /// The venue has no public endpoint for this data.
    Unsupported(String),
    /// The site owner disabled the venue.
    Disabled,
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
            FetchFailure::RateLimited => {
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
            FetchFailure::Parse(e) => e.to_string(),
            FetchFailure::BudgetExhausted { retry_in_ms } => {
                format!(
                    "paused to stay under {name}'s rate limit; next request in {}",
                    human_duration(*retry_in_ms)
                )
            }
            FetchFailure::Unsupported(what) => what.clone(),
            FetchFailure::Disabled => format!("{name} is disabled on this site"),
            FetchFailure::Aborted => format!("the request to {name} was cancelled"),
        }
    }

    /// Whether the venue should be marked unavailable for the session (no point asking it for other data).
    pub fn venue_unavailable(&self) -> bool {
        matches!(
            self,
            FetchFailure::Blocked { .. } | FetchFailure::Banned { .. } | FetchFailure::Disabled
        )
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
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    pub timeout_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
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

/// An attempt's result as the network layer saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptResult<'a> {
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
    /// `fetch` rejected: CORS refusal, DNS failure or offline (the browser does not say which).
    NetworkError,
    TimedOut,
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1-based). `jitter` is a uniform draw in [0, 1) so the
    /// delays of many clients spread out ("full jitter", AWS Architecture Blog, "Exponential Backoff and Jitter").
    pub fn next(&self, attempt: u32, result: AttemptResult<'_>, jitter: f64) -> Next {
        let retries_left = attempt < self.max_attempts;
        match result {
            AttemptResult::Status {
                status: 200..=299, ..
            } => Next::Accept,
            AttemptResult::Status {
                status: 429,
                retry_after,
            } => {
                let wait = retry_after.and_then(parse_retry_after_ms);
                match (retries_left, wait) {
                    // Honour Retry-After, but a wait longer than our cap means "not now": give up.
                    (true, Some(ms)) if ms <= self.max_delay_ms => {
                        Next::RetryAfter { delay_ms: ms }
                    }
                    (true, None) => Next::RetryAfter {
                        delay_ms: self.backoff_ms(attempt, jitter),
                    },
                    _ => Next::Fail(FetchFailure::RateLimited),
                }
            }
            AttemptResult::Status {
                status: 418,
                retry_after,
            } => Next::Fail(FetchFailure::Banned {
                retry_after_ms: retry_after.and_then(parse_retry_after_ms),
            }),
            AttemptResult::Status {
                status: status @ (403 | 451),
                ..
            } => Next::Fail(FetchFailure::Blocked {
                status: Some(status),
            }),
            AttemptResult::Status {
                status: status @ 500..=599,
                retry_after,
            } => {
                if retries_left {
                    let delay_ms = retry_after
                        .and_then(parse_retry_after_ms)
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
            // A CORS refusal looks exactly like this, and retrying it only repeats the refusal.
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

/// `Retry-After` as delay-seconds (the form venues use). HTTP-dates are not used by these APIs and are ignored.
pub fn parse_retry_after_ms(value: &str) -> Option<u64> {
    let secs: f64 = value.trim().parse().ok()?;
    (0.0..86_400.0)
        .contains(&secs)
        .then(|| (secs * 1_000.0).round() as u64)
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
    /// Binance `/futures/data/*` 1,000 / 5 min (api-endpoints §1); Bybit 600 / 5 s (§2); OKX rubik 5 / 2 s per
    /// endpoint (§3); Hyperliquid 1,200 weight / min at weight 20 for most info calls = 60 / min (§4); Deribit
    /// ~20 / s sustained (§5); dYdX 100 / 10 s (§6).
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
            // The epsilon keeps float noise (1.0000000000000009 ms) from rounding a wait up by a whole ms.
            Err(((1.0 - self.tokens) / self.refill_per_ms - 1e-9)
                .ceil()
                .max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, retry_after: Option<&str>) -> AttemptResult<'_> {
        AttemptResult::Status {
            status,
            retry_after,
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
            p.next(1, status(429, Some("2")), 0.5),
            Next::RetryAfter { delay_ms: 2_000 }
        );
        assert_eq!(
            p.next(4, status(429, Some("2")), 0.5),
            Next::Fail(FetchFailure::RateLimited)
        );
        // Longer than we are willing to wait: fail now, say so.
        assert_eq!(
            p.next(1, status(429, Some("120")), 0.5),
            Next::Fail(FetchFailure::RateLimited)
        );
        assert!(matches!(
            p.next(1, status(429, None), 0.5),
            Next::RetryAfter { .. }
        ));
    }

    #[test]
    fn blocks_and_bans_stop_at_once_and_mark_the_venue() {
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
            let next = p.next(1, status(code, Some("120")), 0.5);
            assert_eq!(next, Next::Fail(failure.clone()), "{code}");
            assert!(failure.venue_unavailable());
        }
        let blocked = FetchFailure::Blocked { status: Some(451) }.message(Venue::Binance);
        assert_eq!(
            blocked,
            "Binance is blocked or unreachable from this browser (HTTP 451)"
        );
    }

    #[test]
    fn network_errors_are_reported_as_blocked_not_retried() {
        let next = RetryPolicy::default().next(1, AttemptResult::NetworkError, 0.5);
        assert_eq!(next, Next::Fail(FetchFailure::Blocked { status: None }));
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
    fn retry_after_accepts_seconds_only() {
        assert_eq!(parse_retry_after_ms("3"), Some(3_000));
        assert_eq!(parse_retry_after_ms(" 0.5 "), Some(500));
        for bad in [
            "",
            "-1",
            "soon",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "NaN",
            "1e9",
        ] {
            assert_eq!(parse_retry_after_ms(bad), None, "{bad}");
        }
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
    fn every_venue_budget_is_below_its_published_limit() {
        // (published requests, window ms) from research/api-endpoints.md
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
