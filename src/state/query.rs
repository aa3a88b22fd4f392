//! A small, total parser for URL query strings: every input yields pairs, none panics.
//!
//! Query strings come from whoever wrote the link, so each key and value is length-capped and decoded
//! leniently (a broken `%` escape is kept as typed, invalid UTF-8 becomes U+FFFD).

use crate::base::percent::encode;

/// Longest key or value kept; longer ones are cut (a slug or a number never needs more).
pub const MAX_PART_CHARS: usize = 256;
/// At most this many pairs are read from one query string.
pub const MAX_PAIRS: usize = 64;

/// `?a=1&b=x%20y` → `[("a","1"), ("b","x y")]`. A leading `?` is optional; empty parts are skipped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|part| !part.is_empty())
        .take(MAX_PAIRS)
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Percent-decoding with `+` as space, capped at [`MAX_PART_CHARS`] characters.
pub fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out)
        .chars()
        .take(MAX_PART_CHARS)
        .collect()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The first value of `key` in `query`, decoded; `None` when absent.
pub fn param(query: &str, key: &str) -> Option<String> {
    parse_query(query)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// `query` with `key` set to `value` (or removed for `None`), other pairs kept in order; `?` + pairs, or "" when
/// nothing is left.
pub fn with_param(query: &str, key: &str, value: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = parse_query(query)
        .into_iter()
        .filter(|(k, _)| k != key)
        .collect();
    if let Some(value) = value {
        pairs.push((key.to_string(), value.to_string()));
    }
    if pairs.is_empty() {
        return String::new();
    }
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("?{}", body.join("&"))
}

/// A time range written as `from~to` (ms), e.g. a brushed chart range in a link; `None` unless well formed.
pub fn parse_range(value: &str) -> Option<(i64, i64)> {
    let (a, b) = value.split_once('~')?;
    let (a, b): (i64, i64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_with_and_without_question_mark() {
        assert_eq!(
            parse_query("?term=leverage-skew&x=1"),
            vec![
                ("term".into(), "leverage-skew".into()),
                ("x".into(), "1".into())
            ]
        );
        assert_eq!(parse_query("term=a"), vec![("term".into(), "a".into())]);
        assert!(parse_query("").is_empty());
        assert!(parse_query("?").is_empty());
        assert_eq!(parse_query("?flag"), vec![("flag".into(), String::new())]);
    }

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(decode("a%20b+c"), "a b+c".replace('+', " "));
        assert_eq!(decode("%E2%82%AC"), "€");
    }

    #[test]
    fn broken_escapes_are_kept_literally() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn hostile_input_is_capped() {
        let long = "a".repeat(100_000);
        assert_eq!(decode(&long).chars().count(), MAX_PART_CHARS);
        let many = "a=1&".repeat(10_000);
        assert_eq!(parse_query(&many).len(), MAX_PAIRS);
    }

    #[test]
    fn param_finds_the_first_value_of_a_key() {
        assert_eq!(
            param("?a=1&range=5~6&range=7~8", "range").as_deref(),
            Some("5~6")
        );
        assert_eq!(param("?a=%3Cb%3E", "a").as_deref(), Some("<b>"));
        assert_eq!(param("?a=1", "range"), None);
    }

    #[test]
    fn with_param_sets_replaces_and_removes() {
        assert_eq!(
            with_param("?page=charts", "range", Some("1~2")),
            "?page=charts&range=1~2"
        );
        assert_eq!(
            with_param("?range=5~6&page=charts", "range", Some("1~2")),
            "?page=charts&range=1~2"
        );
        assert_eq!(
            with_param("?page=charts&range=1~2", "range", None),
            "?page=charts"
        );
        assert_eq!(with_param("?range=1~2", "range", None), "");
    }

    #[test]
    fn ranges_parse_strictly() {
        assert_eq!(parse_range("1000~2000"), Some((1000, 2000)));
        for bad in ["", "1~", "~2", "2~1", "a~b", "1-2", "1~2~3"] {
            assert_eq!(parse_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn encode_round_trips_through_decode() {
        for s in ["leverage skew", "a&b=c", "€/%+", "<script>"] {
            assert_eq!(decode(&encode(s)), s);
        }
    }
}
