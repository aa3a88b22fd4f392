//! Every live example on the embedded sample, on other assets and venues, and on broken data.

use super::LIVE_EXAMPLES;
use crate::chart::figure::Figure;
use crate::glossary::TERMS;
use crate::lesson::Controls;
use crate::market::dataset::{DataSet, Origin};
use crate::market::model::Venue;
use crate::market::sample::sample_dataset;
use crate::market::venues::Payload;

fn defaults(i: usize) -> Controls {
    Controls::defaults(LIVE_EXAMPLES[i].controls)
}

#[test]
fn every_term_has_exactly_one_live_example_in_glossary_order() {
    assert_eq!(LIVE_EXAMPLES.len(), TERMS.len());
    for (definition, term) in LIVE_EXAMPLES.iter().zip(TERMS.iter()) {
        assert_eq!(definition.slug, term.slug);
    }
}

/// Every problem of one live example on the sample, so a failure names all live examples that fail, not the first.
fn sample_problems(i: usize, set: &DataSet) -> Vec<String> {
    let definition = LIVE_EXAMPLES[i];
    let example = match definition.run(set, &defaults(i)) {
        Ok(example) => example,
        Err(e) => return vec![format!("{}: {}", definition.slug, e.message)],
    };
    let mut problems = Vec::new();
    if !example.reading.chars().any(|c| c.is_ascii_digit()) {
        problems.push(format!(
            "{}: the reading has no number: {}",
            definition.slug, example.reading
        ));
    }
    if example.panels.is_empty() {
        problems.push(format!("{}: no chart", definition.slug));
    }
    if example.facts.is_empty() {
        problems.push(format!("{}: no facts", definition.slug));
    }
    for panel in &example.panels {
        if panel.summary.is_empty() || panel.caption.is_empty() {
            problems.push(format!(
                "{}/{}: no summary or caption",
                definition.slug, panel.id
            ));
        }
        let drawn = match &panel.figure {
            Figure::Time(t) => t
                .series
                .iter()
                .any(|s| s.values.iter().any(|v| v.is_finite())),
            Figure::Curve(c) => c.curves.iter().any(|c| c.ys.iter().any(|v| v.is_finite())),
            Figure::Bars(b) => b.values.iter().any(|v| v.is_finite()),
            Figure::Scatter(s) => s.xs.iter().any(|v| v.is_finite()),
            Figure::Heatmap(h) => h.cells.iter().any(|v| *v > 0.0),
            Figure::Network(n) => !n.nodes.is_empty(),
        };
        if !drawn {
            problems.push(format!(
                "{}/{}: the chart would be empty",
                definition.slug, panel.id
            ));
        }
    }
    let mut keys: Vec<&str> = example.facts.iter().map(|f| f.key).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.len() != example.facts.len() {
        problems.push(format!("{}: fact keys repeat", definition.slug));
    }
    let mut ids: Vec<&str> = example.panels.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != example.panels.len() {
        problems.push(format!("{}: panel ids repeat", definition.slug));
    }
    problems
}

#[test]
fn every_live_example_reads_the_sample_with_numbers_charts_and_facts() {
    let set = sample_dataset();
    let problems: Vec<String> = (0..LIVE_EXAMPLES.len())
        .flat_map(|i| sample_problems(i, &set))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_live_example_works_on_eth_and_on_each_venue_it_offers_or_says_why_not() {
    let set = sample_dataset();
    for (i, definition) in LIVE_EXAMPLES.iter().enumerate() {
        let mut c = defaults(i);
        if c.set("asset", "ETH").is_ok() {
            assert!(
                definition.run(&set, &c).is_ok(),
                "{} on ETH",
                definition.slug
            );
        }
        for venue in Venue::ALL {
            let mut c = defaults(i);
            if c.set("venue", venue.id()).is_err() {
                continue;
            }
            match definition.run(&set, &c) {
                Ok(example) => assert!(!example.reading.is_empty()),
                Err(e) => {
                    assert!(!e.message.is_empty());
                    for alternative in &e.alternatives {
                        let mut c = defaults(i);
                        c.set("venue", alternative.id()).unwrap_or_default();
                        assert!(
                            definition.run(&set, &c).is_ok(),
                            "{}: offered {alternative:?} but it fails",
                            definition.slug
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_live_example_survives_empty_and_poisoned_data() {
    let empty = DataSet::empty(Origin::Live, 0);
    let mut poisoned = sample_dataset();
    for entry in &mut poisoned.entries {
        match &mut entry.payload {
            Payload::Funding(rows) => rows.iter_mut().step_by(3).for_each(|r| r.rate = f64::NAN),
            Payload::OpenInterest(rows) => rows
                .iter_mut()
                .step_by(5)
                .for_each(|r| r.base = f64::INFINITY),
            Payload::Candles(rows) => rows.iter_mut().step_by(7).for_each(|r| r.close = f64::NAN),
            Payload::Ratios(rows) => rows.iter_mut().step_by(2).for_each(|r| r.ratio = -1.0),
            Payload::Options(rows) => rows
                .iter_mut()
                .step_by(2)
                .for_each(|r| r.mark_iv = f64::NAN),
            _ => {}
        }
    }
    let mut truncated = sample_dataset();
    for entry in &mut truncated.entries {
        match &mut entry.payload {
            Payload::Funding(rows) => rows.truncate(1),
            Payload::OpenInterest(rows) => rows.truncate(1),
            Payload::Candles(rows) => rows.truncate(2),
            Payload::Ratios(rows) => rows.clear(),
            Payload::Taker(rows) => rows.clear(),
            Payload::Options(rows) => rows.truncate(1),
            Payload::Quotes(rows) => rows.truncate(1),
            _ => {}
        }
    }
    for (i, definition) in LIVE_EXAMPLES.iter().enumerate() {
        for set in [&empty, &poisoned, &truncated] {
            // No panic; an error must say something; a reading never prints a broken number.
            match definition.run(set, &defaults(i)) {
                Err(e) => assert!(!e.message.is_empty(), "{}", definition.slug),
                Ok(example) => assert!(
                    !example.reading.contains("NaN") && !example.reading.contains("inf"),
                    "{}: {}",
                    definition.slug,
                    example.reading
                ),
            }
        }
    }
}
