//! Search over the glossary: titles, gists, headings and, once the site's search index has been read, each
//! page's full text.
//!
//! The app does not carry the pages' words, so it searches titles, gists and section headings at once, and the
//! full text as soon as `search-index.json` (written by the build beside the pages) has arrived: a
//! [`FullText`]. Small enough to scan every term per keystroke; what matters is that the ranking feels right:
//! a title hit beats a gist hit beats a body hit, and every query word must match.

use std::collections::BTreeMap;

use super::{TERMS, Term};

/// Each term's words as plain text, by slug (the build's `search-index.json`), lowercased once for matching.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FullText {
    bodies: BTreeMap<String, (String, String)>,
}

impl FullText {
    /// From `{ "slug": "text", … }`; unknown slugs are ignored, and anything but that shape is refused.
    pub fn from_json(json: &str) -> Option<FullText> {
        let raw: BTreeMap<String, String> = serde_json::from_str(json).ok()?;
        let bodies = raw
            .into_iter()
            .filter(|(slug, _)| super::term(slug).is_some())
            .map(|(slug, text)| {
                let lower = text.to_lowercase();
                (slug, (text, lower))
            })
            .collect();
        Some(FullText { bodies })
    }

    /// The index of the glossary this build renders (native: the build step and tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn of_this_build() -> FullText {
        FullText {
            bodies: super::pages::SEARCH_TEXT
                .iter()
                .map(|(slug, text)| (slug.to_string(), (text.to_string(), text.to_lowercase())))
                .collect(),
        }
    }

    fn body(&self, slug: &str) -> Option<(&str, &str)> {
        self.bodies
            .get(slug)
            .map(|(text, lower)| (text.as_str(), lower.as_str()))
    }
}

/// One result: the term and a short excerpt around the first body match.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub term: &'static Term,
    pub excerpt: String,
    score: u32,
}

const EXCERPT_CHARS: usize = 140;
const MAX_QUERY_WORDS: usize = 8;
/// Shorter words would match too much with one edit ("oi" ~ "of").
const MIN_FUZZY_CHARS: usize = 4;

/// Lowercase words of a query, with punctuation dropped; bounded so a pasted essay cannot stall typing.
fn query_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_QUERY_WORDS)
        .map(str::to_lowercase)
        .collect()
}

/// Whether some word of `text` starts with `word` (so "liq" finds "liquidation").
fn has_word_prefix(text_lower: &str, word: &str) -> bool {
    text_lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(word))
}

/// Whether some word of `text` is one edit (insert, delete, substitute, swap of neighbours) from `word`.
fn has_near_word(text_lower: &str, word: &str) -> bool {
    let word: Vec<char> = word.chars().collect();
    text_lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        let w: Vec<char> = w.chars().collect();
        within_one_edit(&w, &word)
    })
}

/// Optimal-string-alignment distance ≤ 1, in linear time.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        return true; // equal, or one extra char at the end
    };
    if short.len() == long.len() {
        let swapped = i + 1 < short.len() && short[i] == long[i + 1] && short[i + 1] == long[i];
        let skip = if swapped { i + 2 } else { i + 1 };
        short[skip..] == long[skip..]
    } else {
        short[i..] == long[i + 1..]
    }
}

/// Terms matching every word of `query`, best first, over titles, gists and headings, and the full text when
/// `full_text` is given. An empty query matches nothing.
pub fn search(query: &str, full_text: Option<&FullText>) -> Vec<SearchHit> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<SearchHit> = TERMS
        .iter()
        .filter_map(|term| score_term(term, &words, full_text))
        .collect();
    lens_math::sort::sort_by(&mut hits, |a, b| {
        b.score.cmp(&a.score).then(a.term.order.cmp(&b.term.order))
    });
    hits
}

fn score_term(
    term: &'static Term,
    words: &[String],
    full_text: Option<&FullText>,
) -> Option<SearchHit> {
    let title = term.title.to_lowercase();
    let gist = term.gist.to_lowercase();
    let headings: String = term
        .sections
        .iter()
        .map(|s| s.heading)
        .collect::<Vec<_>>()
        .join(" ");
    // Without the full text, the gist and headings are the body (the gist doubles as the excerpt).
    let (text, body) = match full_text.and_then(|f| f.body(term.slug)) {
        Some((text, lower)) => (text.to_string(), lower.to_string()),
        None => (
            term.gist.to_string(),
            format!("{gist} {}", headings.to_lowercase()),
        ),
    };
    let facet = term.facet.name().to_lowercase();
    let mut score = 0;
    for word in words {
        let word_score = if has_word_prefix(&title, word) {
            100
        } else if has_word_prefix(&gist, word) || has_word_prefix(&facet, word) {
            30
        } else if body.contains(word.as_str()) {
            // More mentions, more relevant, but a page cannot outrank a title hit by repetition alone.
            10 + body.matches(word.as_str()).count().min(15) as u32
        } else if word.chars().count() >= MIN_FUZZY_CHARS && has_near_word(&title, word) {
            // A typo in a title word ("skwe") still finds the term, ranked below exact hits.
            50
        } else {
            return None;
        };
        score += word_score;
    }
    let excerpt = excerpt(&text, &body, &words[0]);
    Some(SearchHit {
        term,
        excerpt,
        score,
    })
}

/// About `EXCERPT_CHARS` characters of `text` around the first occurrence of `word` (or its start).
fn excerpt(text: &str, text_lower: &str, word: &str) -> String {
    // Lowercasing can change byte lengths outside ASCII, so positions are counted in chars.
    let chars: Vec<char> = text.chars().collect();
    let at = text_lower
        .find(word)
        .map(|byte| text_lower[..byte].chars().count())
        .unwrap_or(0)
        .min(chars.len());
    let start = at.saturating_sub(EXCERPT_CHARS / 3);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Search as the app does once the site's index has arrived.
    fn search(query: &str) -> Vec<SearchHit> {
        super::search(query, Some(&FullText::of_this_build()))
    }

    #[test]
    fn empty_or_punctuation_query_finds_nothing() {
        assert!(search("").is_empty());
        assert!(search("   ").is_empty());
        assert!(search("?!/").is_empty());
    }

    #[test]
    fn title_match_ranks_first() {
        let hits = search("skew");
        assert_eq!(hits[0].term.slug, "leverage-skew");
    }

    #[test]
    fn prefix_and_case_do_not_matter() {
        let hits = search("CPP");
        assert_eq!(hits[0].term.slug, "leverage-management-in-cppi");
    }

    #[test]
    fn every_word_must_match() {
        let hits = search("contagion debtrank");
        assert!(!hits.is_empty());
        let full = FullText::of_this_build();
        assert!(hits.iter().all(|h| {
            full.body(h.term.slug)
                .is_some_and(|(_, lower)| lower.contains("debtrank"))
        }));
        assert!(search("contagion zzzyyqq").is_empty());
    }

    #[test]
    fn body_text_is_searched() {
        // "Herfindahl" is explained inside Leverage Concentration, not in its title.
        let hits = search("herfindahl");
        assert!(hits.iter().any(|h| h.term.slug == "leverage-concentration"));
        let hit = hits
            .iter()
            .find(|h| h.term.slug == "leverage-concentration")
            .unwrap();
        assert!(hit.excerpt.to_lowercase().contains("herfindahl"));
    }

    #[test]
    fn titles_and_gists_are_found_before_the_full_text_arrives() {
        let compact = |q: &str| super::search(q, None);
        assert_eq!(compact("skew")[0].term.slug, "leverage-skew");
        assert_eq!(compact("leverage skwe")[0].term.slug, "leverage-skew");
        assert!(
            compact("geanakoplos").is_empty(),
            "body words need the full text"
        );
        assert!(!search("geanakoplos").is_empty());
        assert!(
            !compact("worked example").is_empty(),
            "headings are searched"
        );
    }

    #[test]
    fn the_full_text_index_is_read_defensively() {
        assert!(FullText::from_json("not json").is_none());
        assert!(FullText::from_json("[1,2]").is_none());
        let index =
            FullText::from_json(r#"{"leverage-skew":"A Zanzibar mention","no-such-term":"x"}"#)
                .expect("index");
        assert_eq!(index.bodies.len(), 1);
        assert_eq!(
            super::search("zanzibar", Some(&index))[0].term.slug,
            "leverage-skew"
        );
    }

    #[test]
    fn one_typo_in_a_title_word_still_finds_the_term() {
        assert_eq!(search("leverage skwe")[0].term.slug, "leverage-skew");
        assert_eq!(
            search("contagoin")[0].term.slug,
            "systemic-leverage-contagion"
        );
    }

    #[test]
    fn within_one_edit_covers_each_kind_of_edit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("skew"), &c("skwe"))); // swap
        assert!(within_one_edit(&c("skew"), &c("skee"))); // substitute
        assert!(within_one_edit(&c("skew"), &c("skeww"))); // insert
        assert!(within_one_edit(&c("skew"), &c("sew"))); // delete
        assert!(!within_one_edit(&c("skew"), &c("wesk")));
        assert!(!within_one_edit(&c("skew"), &c("sk")));
    }

    #[test]
    fn hostile_queries_do_not_panic() {
        let long = "ä".repeat(10_000);
        for q in [
            "<script>alert(1)</script>",
            "\u{0}",
            "ǅǆǄ İ",
            long.as_str(),
            "💥💥 leverage",
        ] {
            let _ = search(q);
        }
    }

    #[test]
    fn excerpt_handles_multibyte_text() {
        let text = "İstanbul funding ünder leverage";
        let lower = text.to_lowercase();
        let e = excerpt(text, &lower, "leverage");
        assert!(e.contains("leverage"));
    }
}
