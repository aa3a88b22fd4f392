//! Full-text search over the glossary: titles, gists and page text.
//!
//! Small enough to scan every term per keystroke (17 pages, a few thousand words each); what matters is that
//! the ranking feels right: a title hit beats a gist hit beats a body hit, and every query word must match.

use super::{TERMS, Term};

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

/// Terms matching every word of `query`, best first. An empty query matches nothing.
pub fn search(query: &str) -> Vec<SearchHit> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<SearchHit> = TERMS
        .iter()
        .filter_map(|term| score_term(term, &words))
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.term.order.cmp(&b.term.order)));
    hits
}

fn score_term(term: &'static Term, words: &[String]) -> Option<SearchHit> {
    let title = term.title.to_lowercase();
    let gist = term.gist.to_lowercase();
    let body = term.search_text.to_lowercase();
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
    let excerpt = excerpt(term.search_text, &body, &words[0]);
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
        assert!(
            hits.iter()
                .all(|h| h.term.search_text.to_lowercase().contains("debtrank"))
        );
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
