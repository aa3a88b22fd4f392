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
    Stale { stored_ms: f64, reason: String },
    /// Nothing could be had; the reason says why.
    Failed { reason: String },
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
            },
        }
    }

    pub fn from_failure(failure: &FetchFailure, venue: Venue) -> SourceStatus {
        SourceStatus::Failed {
            reason: failure.message(venue),
        }
    }

    /// A short label, e.g. "cached (3 min old)".
    pub fn label(&self, now_ms: f64) -> String {
        match self {
            SourceStatus::Sample => "simulated sample".to_string(),
            SourceStatus::Snapshot { name } => format!("snapshot “{name}”"),
            SourceStatus::Loading => "loading…".to_string(),
            SourceStatus::Live { .. } => "live".to_string(),
            SourceStatus::Cached { stored_ms } => {
                format!("cached ({} old)", age(now_ms - stored_ms))
            }
            SourceStatus::Stale { stored_ms, .. } => {
                format!("cached, outdated ({} old)", age(now_ms - stored_ms))
            }
            SourceStatus::Failed { .. } => "failed".to_string(),
        }
    }

    /// The reason behind a stale or failed status.
    pub fn reason(&self) -> Option<&str> {
        match self {
            SourceStatus::Stale { reason, .. } | SourceStatus::Failed { reason } => Some(reason),
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
            "cached (3 min old)"
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
    fn ages_round_sensibly() {
        assert_eq!(age(-5_000.0), "0 s");
        assert_eq!(age(f64::NAN), "0 s");
        assert_eq!(age(59_400.0), "59 s");
        assert_eq!(age(7_200_000.0), "2 h");
        assert_eq!(age(3.0 * 86_400_000.0), "3 d");
    }
}
