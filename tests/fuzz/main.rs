//! Mutation fuzzing of everything that reads outside input: the six venues' REST parsers, their stream parsers,
//! snapshot files, `config.json`, the query string (the whole view state and every example's controls) and the
//! `Retry-After` header. Inputs are realistic fixtures (`tests/fixtures/`) mutated the ways real responses and
//! links go wrong: truncation, bit flips, type swaps, huge numbers, NaN strings, deep nesting. A seeded RNG
//! makes every run reproducible; debug builds check arithmetic, so an overflow is a panic here.
//!
//! `cargo test --test fuzz` runs a 10,000-input slice (CI); `make fuzz` runs 1,000,000 (`FUZZ_INPUTS`).
//! A panic fails the run and prints the target and the input that caused it.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lens_math::rng::SplitMix64;
use leverage_lens::base::calendar::to_iso8601;
use leverage_lens::chart::viewport::Viewport;
use leverage_lens::lesson::Controls;
use leverage_lens::lesson::live_examples::LIVE_EXAMPLES;
use leverage_lens::market::config::SiteConfig;
use leverage_lens::market::model::{Asset, PriceKind, RatioKind, Venue};
use leverage_lens::market::policy::parse_retry_after_ms;
use leverage_lens::market::snapshot::Snapshot;
use leverage_lens::market::venues::{Period, Query, parse, parse_stream_message};
use leverage_lens::state::query::{param, parse_query, parse_range};
use leverage_lens::state::view::ViewState;

/// Inputs of a run: `FUZZ_INPUTS` or the CI slice.
fn inputs() -> u64 {
    std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(10_000)
}

/// One query of every kind, as the app sends them.
fn queries() -> Vec<Query> {
    let asset = Asset::btc();
    let (period, from_ms, to_ms) = (Period::H1, 1_735_689_600_000, 1_738_281_600_000);
    let mut queries = vec![
        Query::FundingHistory {
            asset: asset.clone(),
            from_ms,
            to_ms,
        },
        Query::FundingSettings {
            asset: asset.clone(),
        },
        Query::Ticker {
            asset: asset.clone(),
        },
        Query::OpenInterestHistory {
            asset: asset.clone(),
            period,
            from_ms,
            to_ms,
        },
        Query::TakerVolume {
            asset: asset.clone(),
            period,
            from_ms,
            to_ms,
        },
        Query::Basis {
            asset: asset.clone(),
            period,
            from_ms,
            to_ms,
        },
        Query::OrderBook {
            asset: asset.clone(),
            depth: 20,
        },
        Query::OptionChain {
            asset: asset.clone(),
        },
        Query::RecentLiquidations {
            asset: asset.clone(),
        },
    ];
    for kind in [
        RatioKind::GlobalAccounts,
        RatioKind::TopAccounts,
        RatioKind::TopPositions,
    ] {
        queries.push(Query::LongShortRatio {
            asset: asset.clone(),
            kind,
            period,
            from_ms,
            to_ms,
        });
    }
    for price in [PriceKind::Last, PriceKind::Mark, PriceKind::Index] {
        queries.push(Query::Candles {
            asset: asset.clone(),
            price,
            period,
            from_ms,
            to_ms,
        });
    }
    queries
}

/// Bodies of one kind of input.
type Bodies = Vec<Vec<u8>>;

/// The project's fixtures of one venue: (REST bodies, stream messages).
fn fixtures(venue: Venue) -> (Bodies, Bodies) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(venue.id());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let (mut rest, mut stream) = (Vec::new(), Vec::new());
    // OKX streams are not wired, but their parser still reads the venue's keep-alive reply and error event.
    if venue == Venue::Okx {
        stream.push(b"pong".to_vec());
        stream.push(br#"{"event":"error","code":"60012","msg":"Invalid request"}"#.to_vec());
    }
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("ws_") {
            stream.push(bytes);
        } else {
            rest.push(bytes);
        }
    }
    (rest, stream)
}

/// Values that break naive number handling, as JSON text.
const HOSTILE_VALUES: &[&str] = &[
    "\"NaN\"",
    "\"nan\"",
    "\"Infinity\"",
    "\"-inf\"",
    "NaN",
    "1e308",
    "-1e308",
    "1e999",
    "\"1e999\"",
    "9223372036854775807",
    "-9223372036854775808",
    "\"-9223372036854775808\"",
    "18446744073709551616",
    "99999999999999999999999999",
    "\"99999999999999999999999999\"",
    "0",
    "-0",
    "-1",
    "\"\"",
    "null",
    "true",
    "[]",
    "{}",
    "[[[[[[[[[[]]]]]]]]]]",
    "\"<script>alert(1)</script>\"",
    "\"\\u0000\"",
    "4.9e-324",
];

/// One mutation of `input`.
fn mutate(rng: &mut SplitMix64, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + (rng.next_u64() % 3) as usize;
    for _ in 0..rounds {
        let len = out.len().max(1);
        let at = (rng.next_u64() as usize) % len;
        match rng.next_u64() % 10 {
            // Truncation: a connection cut mid-body.
            0 => out.truncate(at),
            // Bit flips.
            1 => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << (rng.next_u64() % 8);
                }
            }
            // A byte deleted or duplicated.
            2 => {
                if at < out.len() {
                    out.remove(at);
                }
            }
            3 => {
                if let Some(&b) = out.get(at) {
                    out.insert(at, b);
                }
            }
            // Type swaps and hostile values in place of a number or a string.
            4..=6 => replace_value(rng, &mut out, at),
            // Structure: an element repeated, or the body wrapped or nested deeply.
            7 => {
                let end = (at + (rng.next_u64() % 64) as usize).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            8 => {
                let depth = (rng.next_u64() % 200) as usize;
                let mut nested = "[".repeat(depth).into_bytes();
                nested.extend_from_slice(&out);
                nested.extend("]".repeat(depth).bytes());
                out = nested;
            }
            // A value of a different JSON type for a whole key.
            _ => {
                let v = HOSTILE_VALUES[(rng.next_u64() as usize) % HOSTILE_VALUES.len()];
                out = format!("{{\"data\":{v},\"result\":{v},\"code\":{v}}}").into_bytes();
            }
        }
    }
    out
}

/// Replaces the JSON value (number, string or literal) starting at or after `at` with a hostile one.
fn replace_value(rng: &mut SplitMix64, out: &mut Vec<u8>, at: usize) {
    let start = out
        .iter()
        .skip(at)
        .position(|b| b.is_ascii_digit() || *b == b'"' || *b == b'-' || *b == b't' || *b == b'n')
        .map(|p| p + at);
    let Some(start) = start else { return };
    let end = if out[start] == b'"' {
        out[start + 1..]
            .iter()
            .position(|b| *b == b'"')
            .map_or(out.len(), |p| start + p + 2)
    } else {
        out[start..]
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n'))
            .map_or(out.len(), |p| start + p)
    };
    let v = HOSTILE_VALUES[(rng.next_u64() as usize) % HOSTILE_VALUES.len()];
    out.splice(start..end, v.bytes());
}

/// Characters of hostile links.
const LINK_PIECES: &[&str] = &[
    "term=",
    "leverage-skew",
    "page=charts",
    "page=data",
    "range=",
    "-9223372036854775808~9223372036854775807",
    "~",
    "&",
    "=",
    "%",
    "%ZZ",
    "%FF",
    "%00",
    "+",
    "embed=1",
    "theme=dark",
    "data=live",
    "snapshot=../x.json",
    "asset=",
    "venue=",
    "lev=",
    "1e308",
    "NaN",
    "-0",
    "<script>",
    "\u{202e}",
    "🙂",
    "9999999999999999999999",
    "days=",
    "shock=",
    "entry=",
    "strike=",
];

fn hostile_link(rng: &mut SplitMix64) -> String {
    let mut link = String::from("?");
    for _ in 0..(1 + rng.next_u64() % 12) {
        link.push_str(LINK_PIECES[(rng.next_u64() as usize) % LINK_PIECES.len()]);
        if rng.next_u64().is_multiple_of(3) {
            link.push_str(&(rng.next_u64() as i64).to_string());
        }
    }
    link
}

/// Every target: a name, and a function that builds an input from the RNG, notes it (so a panic can be
/// reported with its input), and reads it.
type Target<'a> = (&'static str, Box<dyn Fn(&mut SplitMix64, &mut String) + 'a>);

#[test]
fn nothing_outside_input_can_make_the_app_panic() {
    let queries = &queries();
    let venues: Vec<(Venue, Bodies, Bodies)> = Venue::ALL
        .into_iter()
        .map(|v| {
            let (rest, stream) = fixtures(v);
            (v, rest, stream)
        })
        .collect();
    let config = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.json")).unwrap();
    // A small snapshot: one venue's funding and candles (a whole month would make each input slow).
    let snapshot = br#"{"format":"leverage-lens-snapshot","version":1,"created_ms":1738281600000,"view":"?term=leverage-skew",
"data":{"origin":{"kind":"live"},"as_of_ms":1738281600000,"entries":[
{"venue":"binance","asset":"BTC","item":"funding","payload":{"kind":"funding","data":[{"time_ms":1738252800000,"rate":0.0001,"interval_hours":8.0}]}},
{"venue":"bybit","asset":"BTC","item":"candles","price":"last","payload":{"kind":"candles","data":[{"open_time_ms":1738278000000,"open":1.0,"high":2.0,"low":0.5,"close":1.5,"volume_base":10.0}]}}],
"assets":[{"asset":"BTC","market_cap_usd":[{"time_ms":1738278000000,"value":2.0e12}]}]}}"#
        .to_vec();
    let pick = |rng: &mut SplitMix64, n: usize| (rng.next_u64() as usize) % n.max(1);

    let mut targets: Vec<Target> = Vec::new();
    for (venue, rest, stream) in &venues {
        let venue = *venue;
        targets.push((
            venue.id(),
            Box::new(move |rng: &mut SplitMix64, seen: &mut String| {
                let base = &rest[pick(rng, rest.len())];
                let body = mutate(rng, base);
                let query = &queries[pick(rng, queries.len())];
                *seen = format!("{query:?} {}", String::from_utf8_lossy(&body));
                let _ = parse(venue, query, &body);
            }),
        ));
        let stream_name = match venue {
            Venue::Binance => "binance stream",
            Venue::Bybit => "bybit stream",
            Venue::Okx => "okx stream",
            Venue::Hyperliquid => "hyperliquid stream",
            Venue::Deribit => "deribit stream",
            Venue::Dydx => "dydx stream",
        };
        if !stream.is_empty() {
            targets.push((
                stream_name,
                Box::new(move |rng: &mut SplitMix64, seen: &mut String| {
                    let base = &stream[pick(rng, stream.len())];
                    let message = mutate(rng, base);
                    *seen = String::from_utf8_lossy(&message).into_owned();
                    let _ = parse_stream_message(venue, seen);
                }),
            ));
        }
    }
    targets.push((
        "snapshot",
        Box::new(|rng: &mut SplitMix64, seen: &mut String| {
            let bytes = mutate(rng, &snapshot);
            *seen = String::from_utf8_lossy(&bytes).into_owned();
            let _ = Snapshot::from_json(&bytes, "fuzz.json");
        }),
    ));
    targets.push((
        "config.json",
        Box::new(|rng: &mut SplitMix64, seen: &mut String| {
            *seen = String::from_utf8_lossy(&mutate(rng, &config)).into_owned();
            let (config, _) = SiteConfig::from_json(seen);
            let _ = config.connect_origins();
        }),
    ));
    targets.push((
        "query string",
        Box::new(|rng: &mut SplitMix64, seen: &mut String| {
            let link = hostile_link(rng);
            *seen = link.clone();
            let _ = parse_query(&link);
            // A range from a link drives the chart's viewport and its time labels.
            if let Some((from, to)) = param(&link, "range").and_then(|r| parse_range(&r)) {
                let mut viewport = Viewport::new(0, 2_592_000_000);
                viewport.show(from, to);
                viewport.zoom(0.5, 0.5);
                viewport.pan(1.0);
                let _ = Viewport::new(from, to).time_at(0.5);
                let _ = to_iso8601(from);
                let _ = to_iso8601(to);
            }
            let (view, _) = ViewState::from_location("/lens/leverage-skew.html", &link);
            let _ = view.share_href(true);
            let definition = LIVE_EXAMPLES[pick(rng, LIVE_EXAMPLES.len())];
            let (controls, _) = Controls::from_lookup(definition.controls, |k| param(&link, k));
            let _ = controls.to_pairs();
        }),
    ));
    targets.push((
        "retry-after",
        Box::new(|rng: &mut SplitMix64, seen: &mut String| {
            let raw = mutate(rng, b"Wed, 21 Oct 2015 07:28:00 GMT");
            *seen = String::from_utf8_lossy(&raw).into_owned();
            let _ = parse_retry_after_ms(seen, 1_445_412_480_000.0);
            let _ = parse_retry_after_ms(seen, f64::NAN);
        }),
    ));

    // Quiet panics: each is counted and reported below, not printed as it happens.
    std::panic::set_hook(Box::new(|_| {}));
    let total = inputs();
    let mut rng = SplitMix64::new(0x1e7e_4a6e_1e45);
    let mut counts = vec![0u64; targets.len()];
    let mut panics = 0u64;
    let mut failures: Vec<(String, String, String)> = Vec::new();
    for i in 0..total {
        let t = (i as usize) % targets.len();
        let mut input_rng = SplitMix64::new(rng.next_u64());
        let mut seen = String::new();
        let run = catch_unwind(AssertUnwindSafe(|| {
            (targets[t].1)(&mut input_rng, &mut seen)
        }));
        counts[t] += 1;
        if let Err(payload) = run {
            panics += 1;
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if failures.len() < 5 {
                failures.push((
                    targets[t].0.to_string(),
                    message,
                    seen.chars().take(400).collect(),
                ));
            }
        }
    }
    let _ = std::panic::take_hook();
    let by_target: Vec<String> = targets
        .iter()
        .zip(&counts)
        .map(|((name, _), n)| format!("{name} {n}"))
        .collect();
    println!(
        "fuzz: {total} inputs, {panics} panics ({})",
        by_target.join(", ")
    );
    assert!(
        failures.is_empty(),
        "panics (target, message, input): {failures:#?}"
    );
}
