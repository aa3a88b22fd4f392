//! Snapshot files: the data behind a view, frozen as versioned JSON, so an analyst can share exactly what they
//! saw. Exported with a download button, imported by file picker, drag-and-drop, or `?snapshot=name.json` for a
//! file hosted next to the site.
//!
//! A snapshot is read defensively: the format tag, the version and every entry are checked, and anything wrong
//! gives one clear sentence, never a half-loaded view.

use serde::{Deserialize, Serialize};

use super::dataset::{DataSet, Origin};

/// The `format` field of every snapshot file.
pub const FORMAT: &str = "leverage-lens-snapshot";
/// The version this build writes; it reads this one and every older one it knows.
pub const VERSION: u32 = 1;
/// Larger files are refused before parsing (a month of hourly data for a few venues is ~2 MB).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A snapshot file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    pub created_ms: i64,
    /// The view's query string (`?term=…&venue=…`), so opening the snapshot restores the view too.
    #[serde(default)]
    pub view: String,
    pub data: DataSet,
}

/// Why a snapshot file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SnapshotError {
    TooLarge {
        bytes: usize,
    },
    NotJson,
    NotASnapshot,
    FutureVersion {
        version: u32,
    },
    Malformed(String),
    /// `?snapshot=` named something other than a plain file next to the site.
    NotSameOrigin(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::TooLarge { bytes } if *bytes > MAX_BYTES + 1 => {
                write!(
                    f,
                    "The file is {} MB; snapshots are at most {} MB.",
                    bytes / 1_048_576,
                    MAX_BYTES / 1_048_576
                )
            }
            SnapshotError::TooLarge { .. } => write!(
                f,
                "The file is larger than {} MB, the most a snapshot may be.",
                MAX_BYTES / 1_048_576
            ),
            SnapshotError::NotJson => {
                f.write_str("The file is not JSON, so it cannot be a Leverage Lens snapshot.")
            }
            SnapshotError::NotASnapshot => {
                f.write_str("The file is JSON but not a Leverage Lens snapshot.")
            }
            SnapshotError::FutureVersion { version } => write!(
                f,
                "The snapshot is format version {version}, newer than this site understands (version {VERSION}). \
                 Open it with a newer Leverage Lens."
            ),
            SnapshotError::Malformed(detail) => write!(f, "The snapshot is damaged: {detail}"),
            SnapshotError::NotSameOrigin(name) => write!(
                f,
                "“{name}” is not a snapshot file next to this site; only names like my-view.json are accepted."
            ),
        }
    }
}

/// The two fields that say what a file is, read before the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

impl Snapshot {
    /// A snapshot of `data` for the view `view`.
    pub fn new(data: DataSet, view: String, created_ms: i64) -> Snapshot {
        Snapshot {
            format: FORMAT.to_string(),
            version: VERSION,
            created_ms,
            view,
            data,
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising our own types cannot fail (no maps with non-string keys, no custom serialisers).
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a snapshot file; the data set's origin becomes "snapshot <name>".
    pub fn from_json(bytes: &[u8], name: &str) -> Result<Snapshot, SnapshotError> {
        if bytes.len() > MAX_BYTES {
            return Err(SnapshotError::TooLarge { bytes: bytes.len() });
        }
        // Text, read in two passes by the same parser (one compiled copy of the data set's reader): the header
        // first, so a file that is not a snapshot, or is from the future, says so before its data is read.
        let text = std::str::from_utf8(bytes).map_err(|_| SnapshotError::NotJson)?;
        let header: Header = serde_json::from_str(text).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => SnapshotError::NotASnapshot,
            _ => SnapshotError::NotJson,
        })?;
        if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(SnapshotError::NotASnapshot);
        }
        match header.version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if v > u64::from(VERSION) => {
                return Err(SnapshotError::FutureVersion {
                    version: u32::try_from(v).unwrap_or(u32::MAX),
                });
            }
            Some(_) => {}
            None => {
                return Err(SnapshotError::Malformed(
                    "it has no version number".to_string(),
                ));
            }
        }
        let mut snapshot: Snapshot =
            serde_json::from_str(text).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        snapshot.data.origin = Origin::Snapshot {
            name: display_name(name),
        };
        Ok(snapshot)
    }

    /// The download file name, e.g. `leverage-lens-2026-11-25T1630Z.json`.
    pub fn file_name(&self) -> String {
        let (y, m, d, hh, mm, _, _) = crate::base::calendar::civil_from_ms(self.created_ms);
        format!("leverage-lens-{y:04}-{m:02}-{d:02}T{hh:02}{mm:02}Z.json")
    }
}

/// Checks `?snapshot=` values: a plain file name (letters, digits, `-`, `_`, `.`) ending in `.json`, which the
/// app then fetches relative to itself — so it can only ever be a file on the site's own origin.
pub fn hosted_snapshot_path(name: &str) -> Result<String, SnapshotError> {
    let ok = name.len() <= 100
        && name.ends_with(".json")
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.contains("..");
    if ok {
        Ok(format!("./{name}"))
    } else {
        Err(SnapshotError::NotSameOrigin(
            name.chars().take(60).collect(),
        ))
    }
}

fn display_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::dataset::Item;
    use crate::market::model::{Asset, FundingRate, Venue};
    use crate::market::venues::Payload;

    fn sample() -> Snapshot {
        let mut data = DataSet::empty(Origin::Live, 1_764_088_200_000);
        let rows = vec![FundingRate {
            time_ms: 1,
            rate: 0.000_123_4,
            interval_hours: 8.0,
            mark_price: Some(96_500.5),
        }];
        data.insert(
            Venue::Binance,
            Asset::btc(),
            Item::Funding,
            Payload::Funding(rows),
        );
        Snapshot::new(data, "?term=leverage-skew".into(), 1_764_088_200_000)
    }

    #[test]
    fn export_then_import_round_trips_byte_identically() {
        let original = sample();
        let json = original.to_json();
        let imported = Snapshot::from_json(json.as_bytes(), "mine.json").unwrap();
        assert_eq!(
            imported.data.origin,
            Origin::Snapshot {
                name: "mine.json".into()
            }
        );
        assert_eq!(imported.data.entries, original.data.entries);
        // Re-exporting what was imported gives the same bytes (apart from the origin, which says where it came from).
        let mut again = imported.clone();
        again.data.origin = Origin::Live;
        assert_eq!(again.to_json(), json);
    }

    #[test]
    fn refuses_what_is_not_a_current_snapshot() {
        assert_eq!(
            Snapshot::from_json(b"<html>", "x"),
            Err(SnapshotError::NotJson)
        );
        assert_eq!(
            Snapshot::from_json(br#"{"a":1}"#, "x"),
            Err(SnapshotError::NotASnapshot)
        );
        let future = sample()
            .to_json()
            .replace("\"version\": 1", "\"version\": 9");
        assert_eq!(
            Snapshot::from_json(future.as_bytes(), "x"),
            Err(SnapshotError::FutureVersion { version: 9 })
        );
        let damaged = sample()
            .to_json()
            .replace("\"rate\": 0.0001234", "\"rate\": \"lots\"");
        assert!(matches!(
            Snapshot::from_json(damaged.as_bytes(), "x"),
            Err(SnapshotError::Malformed(_))
        ));
        let big = vec![b' '; MAX_BYTES + 1];
        assert!(matches!(
            Snapshot::from_json(&big, "x"),
            Err(SnapshotError::TooLarge { .. })
        ));
    }

    #[test]
    fn hosted_snapshots_must_be_plain_file_names() {
        assert_eq!(
            hosted_snapshot_path("btc-crash_2026.json"),
            Ok("./btc-crash_2026.json".to_string())
        );
        for bad in [
            "https://evil.example/x.json",
            "//evil/x.json",
            "../x.json",
            "a/b.json",
            "x.txt",
            ".json",
            "%2e%2e.json",
        ] {
            assert!(hosted_snapshot_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_name_uses_utc_time() {
        // 1764088200000 ms = 2025-11-25T16:30:00Z (checked with Python's datetime).
        assert_eq!(sample().file_name(), "leverage-lens-2025-11-25T1630Z.json");
    }
}
