//! The data status shown for every source in view: where the numbers come from and how old they are.

use super::client::Freshness;
use super::dataset::Origin;
use super::model::Venue;
use super::policy::FetchFailure;

/// One source's state, as the status panel and every chart caption show it.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceStatus {
    /// The embedded simulated market.
    Sample,
    /// A snapshot file.
    Snapshot { name: String },
    /// A request is under way.
    Loading,
    /// Fetched from the venue at this time.
    Live { at_ms: f64 },
    /// From this browser's cache, stored at this time.
    Cached { stored_ms: f64 },
    /// From the cache past its time-to-live, because the venue failed.
    Stale {
        stored_ms: f64,
        reason: String,
        gist: &'static str,
    },
    /// Nothing could be had; the reason says why, and the gist says it in a few words for a label.
    Failed { reason: String, gist: &'static str },
}

/// How a status should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Good,
    Warning,
    Bad,
}

impl SourceStatus {
    pub fn from_origin(origin: &Origin) -> SourceStatus {
        match origin {
            Origin::Sample { .. } => SourceStatus::Sample,
            Origin::Live => SourceStatus::Live { at_ms: 0.0 },
            Origin::Snapshot { name } => SourceStatus::Snapshot { name: name.clone() },
        }
    }

    pub fn from_freshness(freshness: &Freshness, venue: Venue) -> SourceStatus {
        match freshness {
            Freshness::Live { fetched_ms } => SourceStatus::Live { at_ms: *fetched_ms },
            Freshness::Cached { stored_ms } => SourceStatus::Cached {
                stored_ms: *stored_ms,
            },
            Freshness::Stale { stored_ms, because } => SourceStatus::Stale {
                stored_ms: *stored_ms,
                reason: because.message(venue),
                gist: because.gist(),
            },
        }
    }

    pub fn from_failure(failure: &FetchFailure, venue: Venue) -> SourceStatus {
        SourceStatus::Failed {
            reason: failure.message(venue),
            gist: failure.gist(),
        }
    }

    /// A short label, e.g. "cached, 3 min old".
    pub fn label(&self, now_ms: f64) -> String {
        match self {
            SourceStatus::Sample => "simulated sample".to_string(),
            SourceStatus::Snapshot { name } => format!("snapshot “{name}”"),
            SourceStatus::Loading => "loading…".to_string(),
            SourceStatus::Live { .. } => "live".to_string(),
            SourceStatus::Cached { stored_ms } => {
                format!("cached, {} old", age(now_ms - stored_ms))
            }
            SourceStatus::Stale { stored_ms, .. } => {
                format!("cached, outdated: {} old", age(now_ms - stored_ms))
            }
            SourceStatus::Failed { .. } => "failed".to_string(),
        }
    }

    /// The reason behind a stale or failed status.
    pub fn reason(&self) -> Option<&str> {
        match self {
            SourceStatus::Stale { reason, .. } | SourceStatus::Failed { reason, .. } => {
                Some(reason)
            }
            _ => None,
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            SourceStatus::Live { .. } | SourceStatus::Cached { .. } => Tone::Good,
            SourceStatus::Sample | SourceStatus::Snapshot { .. } | SourceStatus::Loading => {
                Tone::Neutral
            }
            SourceStatus::Stale { .. } => Tone::Warning,
            SourceStatus::Failed { .. } => Tone::Bad,
        }
    }
}

/// What the numbers in view are, in one label for the header and under every example: "live", "cached, 3 min
/// old", or the sample (or snapshot) with the reason live data is missing: "simulated sample — Binance and Bybit
/// unreachable from this browser", "simulated sample — asking Binance…". `base` is the label of the data shown
/// when nothing live is in view; `asked` are the venues the page wanted, with their status.
pub fn summary_label(base: &str, asked: &[(Venue, SourceStatus)], now_ms: f64) -> String {
    let live = asked
        .iter()
        .any(|(_, s)| matches!(s, SourceStatus::Live { .. }));
    let oldest_cached = asked
        .iter()
        .filter_map(|(_, s)| match s {
            SourceStatus::Cached { stored_ms } | SourceStatus::Stale { stored_ms, .. } => {
                Some(*stored_ms)
            }
            _ => None,
        })
        .reduce(f64::min);
    let failed: Vec<(Venue, &'static str)> = asked
        .iter()
        .filter_map(|(v, s)| match s {
            SourceStatus::Failed { gist, .. } | SourceStatus::Stale { gist, .. } => {
                Some((*v, *gist))
            }
            _ => None,
        })
        .collect();
    let loading: Vec<Venue> = asked
        .iter()
        .filter(|(_, s)| *s == SourceStatus::Loading)
        .map(|(v, _)| *v)
        .collect();
    let head = if live {
        "live".to_string()
    } else if let Some(stored_ms) = oldest_cached {
        format!("cached, {} old", age(now_ms - stored_ms))
    } else {
        base.to_string()
    };
    let mut why = Vec::new();
    // Each reason once, with every venue it applies to, in the order the venues were asked.
    let mut gists: Vec<&'static str> = Vec::new();
    for (_, gist) in &failed {
        if !gists.contains(gist) {
            gists.push(gist);
        }
    }
    for gist in gists {
        let venues: Vec<Venue> = failed
            .iter()
            .filter(|(_, g)| *g == gist)
            .map(|(v, _)| *v)
            .collect();
        why.push(format!("{} {gist}", name_list(&venues)));
    }
    if !loading.is_empty() && !live {
        why.push(format!("asking {}…", name_list(&loading)));
    }
    if why.is_empty() || (live && failed.is_empty()) {
        head
    } else {
        format!("{head} — {}", why.join("; "))
    }
}

/// "Binance", "Binance and Bybit", "Binance, Bybit and OKX".
pub fn name_list(venues: &[Venue]) -> String {
    let names: Vec<&str> = venues.iter().map(|v| v.display_name()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "42 s", "3 min", "5 h", "2 d"; negative ages (clock skew) read as "0 s".
pub fn age(ms: f64) -> String {
    let s = if ms.is_finite() {
        (ms / 1_000.0).max(0.0).round() as u64
    } else {
        0
    };
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min", s / 60),
        3_600..=86_399 => format!("{} h", s / 3_600),
        _ => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_where_and_how_old() {
        assert_eq!(SourceStatus::Sample.label(0.0), "simulated sample");
        assert_eq!(
            SourceStatus::Cached { stored_ms: 0.0 }.label(180_000.0),
            "cached, 3 min old"
        );
        let failed = SourceStatus::from_failure(
            &FetchFailure::Blocked { status: Some(451) },
            Venue::Binance,
        );
        assert_eq!(failed.label(0.0), "failed");
        assert_eq!(
            failed.reason(),
            Some("Binance is blocked or unreachable from this browser (HTTP 451)")
        );
        assert_eq!(failed.tone(), Tone::Bad);
    }

    #[test]
    fn the_summary_says_live_cached_or_why_the_sample_is_shown() {
        let unreachable =
            |v| SourceStatus::from_failure(&FetchFailure::Blocked { status: None }, v);
        let now = 600_000.0;
        assert_eq!(
            summary_label(
                "simulated sample",
                &[
                    (Venue::Binance, unreachable(Venue::Binance)),
                    (Venue::Bybit, unreachable(Venue::Bybit))
                ],
                now
            ),
            "simulated sample — Binance and Bybit unreachable from this browser"
        );
        let limited = SourceStatus::from_failure(
            &FetchFailure::RateLimited {
                retry_after_ms: None,
            },
            Venue::Okx,
        );
        assert_eq!(
            summary_label(
                "simulated sample",
                &[
                    (Venue::Binance, unreachable(Venue::Binance)),
                    (Venue::Okx, limited),
                    (Venue::Bybit, SourceStatus::Loading)
                ],
                now
            ),
            "simulated sample — Binance unreachable from this browser; OKX rate-limiting; asking Bybit…"
        );
        assert_eq!(
            summary_label(
                "simulated sample",
                &[(
                    Venue::Binance,
                    SourceStatus::Cached {
                        stored_ms: 420_000.0
                    }
                )],
                now
            ),
            "cached, 3 min old"
        );
        assert_eq!(
            summary_label(
                "simulated sample",
                &[
                    (Venue::Binance, SourceStatus::Live { at_ms: now }),
                    (Venue::Bybit, SourceStatus::Loading)
                ],
                now
            ),
            "live"
        );
        assert_eq!(
            summary_label(
                "simulated sample",
                &[
                    (Venue::Binance, SourceStatus::Live { at_ms: now }),
                    (Venue::Bybit, unreachable(Venue::Bybit))
                ],
                now
            ),
            "live — Bybit unreachable from this browser"
        );
        assert_eq!(
            summary_label("snapshot “a.json”", &[], now),
            "snapshot “a.json”"
        );
        assert_eq!(
            name_list(&[Venue::Binance, Venue::Bybit, Venue::Okx]),
            "Binance, Bybit and OKX"
        );
    }

    #[test]
    fn ages_round_sensibly() {
        assert_eq!(age(-5_000.0), "0 s");
        assert_eq!(age(f64::NAN), "0 s");
        assert_eq!(age(59_400.0), "59 s");
        assert_eq!(age(7_200_000.0), "2 h");
        assert_eq!(age(3.0 * 86_400_000.0), "3 d");
    }
}
