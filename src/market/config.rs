//! Site-owner configuration: `config.json` next to `index.html`.
//!
//! Only the site owner decides where requests go: base URLs come from this file (same origin as the app) or the
//! built-in defaults, never from a visitor's URL, so a shared link cannot point the app at another host. A URL
//! may only choose among the venues enabled here.
//!
//! ```json
//! {
//!   "version": 1,
//!   "live": "auto",
//!   "default_asset": "BTC",
//!   "venues": {
//!     "binance": { "enabled": true, "rest": "https://fapi.binance.com", "ws": "wss://fstream.binance.com" },
//!     "bybit": { "rest": "https://bybit-proxy.example.org" }
//!   }
//! }
//! ```
//!
//! The file fails closed: one that exists but cannot be read or parsed means no live data at all, and a venue
//! whose address is refused is disabled rather than sent to its public host. Every problem, unknown keys
//! included, becomes a notice the visitor can read.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{Asset, Venue};

/// When the app leaves the embedded sample for live data.
///
/// The default is `Auto`: a page shows live numbers as soon as a venue answers. A site owner who wants no
/// third-party request made without the visitor's say chooses `Manual` (the visitor presses "Use live data") or
/// `Off` (the sample and snapshots only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveMode {
    /// Ask the venues at once; switch as soon as one answers (the default).
    #[default]
    Auto,
    /// Stay on the sample until the visitor presses "Use live data".
    Manual,
    /// Never fetch: the sample (and snapshots) only.
    Off,
}

impl LiveMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveMode::Auto => "auto",
            LiveMode::Manual => "manual",
            LiveMode::Off => "off",
        }
    }
}

/// Where one venue's requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueEndpoint {
    pub enabled: bool,
    /// REST base URL without a trailing slash.
    pub rest: String,
    /// WebSocket base URL without a trailing slash, where the venue has streams.
    pub ws: Option<String>,
}

/// The effective configuration: defaults overlaid with the site owner's `config.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    pub live: LiveMode,
    pub default_asset: Asset,
    /// Origins whose pages may message an embedded view (`https://docs.example`); empty: any http(s) origin,
    /// which can only ask for the view's height.
    pub embed_origins: Vec<String>,
    endpoints: BTreeMap<Venue, VenueEndpoint>,
}

/// The venues' own public hosts.
fn default_endpoint(venue: Venue) -> VenueEndpoint {
    let (rest, ws) = match venue {
        Venue::Binance => (
            "https://fapi.binance.com",
            Some("wss://fstream.binance.com"),
        ),
        Venue::Bybit => ("https://api.bybit.com", Some("wss://stream.bybit.com")),
        Venue::Okx => ("https://www.okx.com", Some("wss://ws.okx.com:8443")),
        Venue::Hyperliquid => (
            "https://api.hyperliquid.xyz",
            Some("wss://api.hyperliquid.xyz"),
        ),
        Venue::Deribit => ("https://www.deribit.com", Some("wss://www.deribit.com")),
        Venue::Dydx => (
            "https://indexer.dydx.trade",
            Some("wss://indexer.dydx.trade"),
        ),
    };
    VenueEndpoint {
        enabled: true,
        rest: rest.to_string(),
        ws: ws.map(str::to_string),
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            live: LiveMode::default(),
            default_asset: Asset::btc(),
            embed_origins: Vec::new(),
            endpoints: Venue::ALL
                .into_iter()
                .map(|v| (v, default_endpoint(v)))
                .collect(),
        }
    }
}

#[derive(Deserialize)]
struct RawConfig {
    version: Option<u32>,
    live: Option<LiveMode>,
    default_asset: Option<String>,
    #[serde(default)]
    venues: BTreeMap<String, RawVenue>,
    #[serde(default)]
    embed_origins: Vec<String>,
    /// Keys we do not know (a typo such as `embed_origin`), reported rather than silently ignored.
    #[serde(flatten)]
    unknown: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct RawVenue {
    enabled: Option<bool>,
    rest: Option<String>,
    ws: Option<String>,
    #[serde(flatten)]
    unknown: BTreeMap<String, serde_json::Value>,
}

/// Why `config.json` was not (fully) used. The app then runs on the defaults and shows the message.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem(pub String);

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "config.json: {}", self.0)
    }
}

const SUPPORTED_VERSION: u32 = 1;

impl SiteConfig {
    /// Reads `config.json`. The site keeps working whatever the file holds, but it fails closed: a file that
    /// cannot be parsed, or of a version we do not know, means live data off; a venue address that is refused
    /// disables that venue. Every problem is returned for the visitor to read.
    pub fn from_json(text: &str) -> (SiteConfig, Vec<ConfigProblem>) {
        let mut config = SiteConfig::default();
        let mut problems = Vec::new();
        let raw: RawConfig = match serde_json::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                problems.push(ConfigProblem(format!(
                    "not valid ({e}); live data is off until it is fixed"
                )));
                return (SiteConfig::closed(), problems);
            }
        };
        if let Some(version) = raw.version.filter(|v| *v != SUPPORTED_VERSION) {
            problems.push(ConfigProblem(format!(
                "version {version} is not supported (expected 1); live data is off until it is fixed"
            )));
            return (SiteConfig::closed(), problems);
        }
        for key in raw.unknown.keys() {
            problems.push(ConfigProblem(format!(
                "unknown key “{}” is ignored (known keys: version, live, default_asset, venues, embed_origins)",
                clip(key)
            )));
        }
        if let Some(live) = raw.live {
            config.live = live;
        }
        if let Some(asset) = raw.default_asset {
            match Asset::new(&asset) {
                Some(asset) => config.default_asset = asset,
                None => problems.push(ConfigProblem(format!(
                    "default_asset “{}” is not an asset symbol",
                    clip(&asset)
                ))),
            }
        }
        for origin in raw.embed_origins {
            if crate::base::origin::origin_allowed(&origin, &[]) {
                config.embed_origins.push(origin);
            } else {
                problems.push(ConfigProblem(format!(
                    "embed_origins: “{}” is not an origin like https://docs.example",
                    clip(&origin)
                )));
            }
        }
        for (id, raw_venue) in raw.venues {
            let Some(venue) = Venue::from_id(&id) else {
                problems.push(ConfigProblem(format!("unknown venue “{}”", clip(&id))));
                continue;
            };
            let Some(endpoint) = config.endpoints.get_mut(&venue) else {
                continue;
            };
            for key in raw_venue.unknown.keys() {
                problems.push(ConfigProblem(format!(
                    "{id}: unknown key “{}” is ignored (known keys: enabled, rest, ws)",
                    clip(key)
                )));
            }
            if let Some(enabled) = raw_venue.enabled {
                endpoint.enabled = enabled;
            }
            if let Some(rest) = raw_venue.rest {
                match clean_base_url(&rest, &["https://", "http://"]) {
                    Ok(url) => endpoint.rest = url,
                    Err(why) => {
                        endpoint.enabled = false;
                        problems.push(ConfigProblem(format!(
                            "{id}.rest: {why}; {} is disabled",
                            venue.display_name()
                        )));
                    }
                }
            }
            if let Some(ws) = raw_venue.ws {
                match clean_base_url(&ws, &["wss://", "ws://"]) {
                    Ok(url) => endpoint.ws = Some(url),
                    Err(why) => {
                        endpoint.ws = None;
                        problems.push(ConfigProblem(format!(
                            "{id}.ws: {why}; {}'s streams are off",
                            venue.display_name()
                        )));
                    }
                }
            }
        }
        (config, problems)
    }

    /// The configuration of a site whose `config.json` exists but could not be read: no live data.
    pub fn closed() -> SiteConfig {
        SiteConfig {
            live: LiveMode::Off,
            ..SiteConfig::default()
        }
    }

    /// Every origin the app may connect to (REST and WebSocket) for the enabled venues, for a
    /// Content-Security-Policy's `connect-src`. Empty when live data is off.
    pub fn connect_origins(&self) -> Vec<String> {
        if self.live == LiveMode::Off {
            return Vec::new();
        }
        let mut origins: Vec<String> = Vec::new();
        let all = Venue::ALL
            .into_iter()
            .filter_map(|v| self.endpoint(v))
            .flat_map(|e| std::iter::once(e.rest.as_str()).chain(e.ws.as_deref()))
            .map(origin_of);
        for origin in all {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        origins
    }

    /// The endpoint of an enabled venue.
    pub fn endpoint(&self, venue: Venue) -> Option<&VenueEndpoint> {
        self.endpoints.get(&venue).filter(|e| e.enabled)
    }

    /// Enabled venues in their canonical order.
    pub fn enabled_venues(&self) -> Vec<Venue> {
        Venue::ALL
            .into_iter()
            .filter(|v| self.endpoint(*v).is_some())
            .collect()
    }
}

/// A key or value from the file, cut for a notice (the file is the owner's, but a notice stays one line).
fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// `https://host:port/path` → `https://host:port`.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
        None => url.to_string(),
    }
}

/// Checks a base URL: an allowed scheme, a host, no credentials, query or fragment; plain http/ws only for the
/// loopback host (a local proxy or the test mock). Returns it without a trailing slash.
fn clean_base_url(url: &str, schemes: &[&str; 2]) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let [secure, plain] = schemes;
    let rest = if let Some(rest) = url.strip_prefix(secure) {
        rest
    } else if let Some(rest) = url.strip_prefix(plain) {
        let authority = rest.split('/').next().unwrap_or_default();
        let host = if authority.starts_with('[') {
            authority.split_inclusive(']').next().unwrap_or_default()
        } else {
            authority.split(':').next().unwrap_or_default()
        };
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(
                "must use https/wss (plain http/ws is allowed only for 127.0.0.1 or localhost)",
            );
        }
        rest
    } else {
        return Err("must start with https:// (or wss:// for streams)");
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err("has no host");
    }
    if rest.contains(['?', '#', '@', ' ', '\\', '"', '<', '>']) {
        return Err("must be a plain base URL (no query, fragment, credentials or spaces)");
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_enable_every_venue_on_its_public_host() {
        let config = SiteConfig::default();
        assert_eq!(config.enabled_venues(), Venue::ALL.to_vec());
        assert_eq!(
            config.endpoint(Venue::Binance).map(|e| e.rest.as_str()),
            Some("https://fapi.binance.com")
        );
        assert_eq!(config.default_asset.as_str(), "BTC");
        assert_eq!(config.live, LiveMode::Auto);
    }

    #[test]
    fn owner_can_proxy_disable_and_choose_defaults() {
        let (config, problems) = SiteConfig::from_json(
            r#"{"version":1,"live":"auto","default_asset":"eth","venues":{
                "bybit":{"rest":"https://proxy.example.org/bybit/"},
                "okx":{"enabled":false},
                "binance":{"rest":"http://127.0.0.1:9000","ws":"ws://127.0.0.1:9000"}}}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.live, LiveMode::Auto);
        assert_eq!(config.default_asset.as_str(), "ETH");
        assert_eq!(
            config.endpoint(Venue::Bybit).map(|e| e.rest.as_str()),
            Some("https://proxy.example.org/bybit")
        );
        assert!(config.endpoint(Venue::Okx).is_none());
        assert_eq!(
            config
                .endpoint(Venue::Binance)
                .and_then(|e| e.ws.as_deref()),
            Some("ws://127.0.0.1:9000")
        );
    }

    #[test]
    fn embed_origins_are_kept_when_well_formed() {
        let (config, problems) = SiteConfig::from_json(
            r#"{"embed_origins":["https://docs.example","javascript:alert(1)","https://a.example/path"]}"#,
        );
        assert_eq!(
            config.embed_origins,
            vec!["https://docs.example".to_string()]
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn unsafe_urls_are_refused_and_reported() {
        for bad in [
            "http://evil.example.org",
            "javascript:alert(1)",
            "https://",
            "https://user:pw@host",
            "https://host/path?x=1",
            "ftp://host",
            "//host",
        ] {
            let text = format!(r#"{{"venues":{{"bybit":{{"rest":"{bad}"}}}}}}"#);
            let (config, problems) = SiteConfig::from_json(&text);
            assert_eq!(problems.len(), 1, "{bad}");
            // Fails closed: the owner wanted another host, so the public one is not used instead.
            assert!(config.endpoint(Venue::Bybit).is_none(), "{bad}");
            assert!(problems[0].0.contains("Bybit is disabled"), "{bad}");
            assert!(config.endpoint(Venue::Binance).is_some());
        }
    }

    #[test]
    fn unknown_keys_are_reported_not_ignored() {
        let (config, problems) = SiteConfig::from_json(
            r#"{"live":"auto","embed_origin":["https://docs.example"],"venues":{"okx":{"enable":false}}}"#,
        );
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("unknown key “embed_origin”"), "{text:?}");
        assert!(text[1].contains("okx: unknown key “enable”"), "{text:?}");
        // The rest of the file still applies.
        assert_eq!(config.live, LiveMode::Auto);
        assert!(config.endpoint(Venue::Okx).is_some());
    }

    #[test]
    fn connect_origins_list_every_enabled_host_once() {
        let (config, _) = SiteConfig::from_json(
            r#"{"venues":{"okx":{"enabled":false},"bybit":{"rest":"https://proxy.example.org/bybit/","ws":"wss://proxy.example.org/ws"}}}"#,
        );
        let origins = config.connect_origins();
        assert!(origins.contains(&"https://fapi.binance.com".to_string()));
        assert!(origins.contains(&"wss://fstream.binance.com".to_string()));
        assert!(origins.contains(&"https://proxy.example.org".to_string()));
        assert!(origins.contains(&"wss://proxy.example.org".to_string()));
        assert!(!origins.iter().any(|o| o.contains("okx")));
        assert!(SiteConfig::closed().connect_origins().is_empty());
    }

    #[test]
    fn broken_or_future_files_fail_closed_with_a_message() {
        let (config, problems) = SiteConfig::from_json("{not json");
        assert_eq!(config, SiteConfig::closed());
        assert_eq!(config.live, LiveMode::Off);
        assert!(problems[0].to_string().contains("live data is off"));
        let (config, problems) = SiteConfig::from_json(r#"{"version":2,"live":"auto"}"#);
        assert_eq!(config.live, LiveMode::Off);
        assert!(problems[0].0.contains("version 2"));
        let (config, _) = SiteConfig::from_json(r#"{"live":"sometimes"}"#);
        assert_eq!(config.live, LiveMode::Off);
        let (_, problems) =
            SiteConfig::from_json(r#"{"venues":{"mtgox":{}},"default_asset":"../x"}"#);
        assert_eq!(problems.len(), 2);
    }
}
