//! Leverage Skew: which side is crowded. The share of accounts net long and top traders' position ratio
//! beside funding per 8 h, the positioning-skew index that z-scores funding and long share together, and the
//! options market's 25-delta risk reversal where an option chain is in view.

use lens_math::annotations::{AnnotationLimit, FundingExtremes};
use lens_math::funding::FundingRate;
use lens_math::positioning::{RiskReversalRegime, long_share_from_ratio};

use crate::chart::Tone;
use crate::chart::Unit;
use crate::chart::figure::{
    Axis, ChartMarker, ChartSeries, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel,
    TimeChartData,
};
use crate::lesson::controls::{ASSET, ControlSpec, DAYS, VENUE};
use crate::lesson::dashboard::{
    Smile, positioning_skew, ratio_series, risk_reversal_25d, signed_num,
};
use crate::lesson::read::{
    asset, caption, funding_per_8h, names, percentile_rank, short_time, window_start,
};
use crate::lesson::text::{count_of, num, pct, rank_phrase, usd};
use crate::lesson::{Controls, Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, OptionKind, RatioKind, Venue};

const ACCOUNTS: Item = Item::Ratio {
    kind: RatioKind::GlobalAccounts,
};
const POSITIONS: Item = Item::Ratio {
    kind: RatioKind::TopPositions,
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, DAYS];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "leverage-skew",
    controls: CONTROLS,
    needs: &[
        Need::chosen(Item::Funding),
        Need::chosen(ACCOUNTS),
        Need::chosen(POSITIONS),
        Need::all(Item::Options),
    ],
    primary: Some(ACCOUNTS),
    build,
};

/// The venue: it needs both funding and account ratios, so only venues with both are offered.
fn pick_venue(set: &DataSet, c: &Controls, asset: &Asset) -> Result<Venue, Unavailable> {
    let funding = set.venues_with(asset, Item::Funding);
    let have: Vec<Venue> = set
        .venues_with(asset, ACCOUNTS)
        .into_iter()
        .filter(|v| funding.contains(v))
        .collect();
    match c.venue() {
        Some(v) if have.contains(&v) => Ok(v),
        Some(v) => Err(Unavailable {
            message: format!(
                "{} has no long/short account ratios with funding for {asset} in the data in view.{}",
                v.display_name(),
                if have.is_empty() {
                    String::new()
                } else {
                    format!(" Venues that have both: {}.", names(&have))
                }
            ),
            alternatives: have,
        }),
        None => have.first().copied().ok_or_else(|| {
            Unavailable::new(format!(
                "No venue in view has both funding and long/short account ratios for {asset}."
            ))
        }),
    }
}

fn build(set: &DataSet, c: &Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = pick_venue(set, c, &asset)?;
    let (from, days) = (window_start(set, c), c.days());
    let funding = funding_per_8h(set, venue, &asset, from);
    let accounts = ratio_series(set, venue, &asset, RatioKind::GlobalAccounts, from);
    let positions = ratio_series(set, venue, &asset, RatioKind::TopPositions, from);
    let where_ = format!("{} {asset}", venue.display_name());
    let (Some((_, rate)), Some((_, ratio))) = (funding.last(), accounts.last()) else {
        return Err(Unavailable::new(format!(
            "{where_} has no usable funding and account ratios in the last {days} days."
        )));
    };
    let share =
        long_share_from_ratio(ratio).map_err(|e| Unavailable::new(format!("Long share: {e}.")))?;
    let apr = FundingRate::new(rate, 8.0).map_or(f64::NAN, |f| f.apr_simple());
    let rank = percentile_rank(funding.values(), rate);
    let top = positions.last().map(|(_, r)| r);
    let psi = positioning_skew(&funding, &accounts);
    let smile = risk_reversal_25d(set, &asset);

    let who_pays = if rate > 0.0 {
        "longs pay shorts"
    } else if rate < 0.0 {
        "shorts pay longs"
    } else {
        "neither side pays"
    };
    let psi_text = psi.map(|r| {
        let words = match r.psi {
            p if p >= 2.0 => "longs crowded",
            p if p <= -2.0 => "shorts crowded",
            p if p >= 1.0 => "leaning long",
            p if p <= -1.0 => "leaning short",
            _ => "ordinary",
        };
        format!("{} ({words})", signed_num(r.psi, 1))
    });
    let mut reading = format!(
        "On {where_} {} of accounts are net long (ratio {}){}; funding is {} per 8 h ({} a year): {who_pays}, {} of the last {days} days{}.",
        pct(share, 0),
        num(ratio, 2),
        top.map_or(String::new(), |t| format!(
            " while top traders' positions are {}",
            num(t, 2)
        )),
        pct(rate, 4),
        pct(apr, 2).replace('-', "−"),
        rank_phrase(rank),
        psi_text.as_ref().map_or(String::new(), |p| format!(
            "; the positioning-skew index is {p}"
        )),
    );
    let mut notes = Vec::new();
    if let Some(s) = &smile {
        let rr = s.risk_reversal.vol_points;
        let words = match RiskReversalRegime::from_vol_points(rr) {
            Ok(RiskReversalRegime::CallSkew) => "calls are dearer",
            Ok(RiskReversalRegime::PutSkew) => "puts are dearer",
            _ => "within ±2 points, the wings are about balanced",
        };
        reading.push_str(&format!(
            " The 25-delta risk reversal on {} ({} days) is {} vol points: {words}.",
            s.venue.display_name(),
            num(s.days, 0),
            signed_num(rr, 1)
        ));
    } else {
        notes.push(format!(
            "No options data for {asset} in view: the 25-delta risk reversal is left out."
        ));
    }
    if top.is_none() {
        notes.push(format!(
            "{where_} has no top-trader position ratios in view; only all accounts are shown."
        ));
    }
    if psi.is_none() {
        notes.push("Fewer than 10 funding prints in the window: the positioning-skew index needs more history; choose a longer window.".to_string());
    }

    let mut panels = vec![ratios_panel(
        set, venue, &asset, from, &funding, &accounts, &positions,
    )];
    let mut venues = vec![venue];
    if let Some(s) = &smile {
        panels.push(smile_panel(set, &asset, s));
        venues.push(s.venue);
    }
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("long-share", "Accounts net long", pct(share, 1)),
            Fact::new("account-ratio", "Long/short account ratio", num(ratio, 2)),
            Fact::new(
                "top-position-ratio",
                "Top traders' long/short positions",
                top.map_or("–".to_string(), |t| num(t, 2)),
            ),
            Fact::new("funding-8h", "Funding per 8 h", pct(rate, 4)),
            Fact::new(
                "psi",
                "Positioning-skew index",
                psi.map_or("–".to_string(), |r| signed_num(r.psi, 2)),
            ),
            Fact::new(
                "risk-reversal",
                "25-delta risk reversal",
                smile
                    .as_ref()
                    .map_or("no options in view".to_string(), |s| {
                        format!("{} vol points", signed_num(s.risk_reversal.vol_points, 1))
                    }),
            ),
        ],
        panels,
        notes,
        venues,
    })
}

fn ratios_panel(
    set: &DataSet,
    venue: Venue,
    asset: &Asset,
    from: i64,
    funding: &lens_math::TimeSeries,
    accounts: &lens_math::TimeSeries,
    positions: &lens_math::TimeSeries,
) -> Panel {
    // Extremes are scored against the whole history in view, so a short window still gets its markers.
    let found = FundingExtremes::default()
        .detect(&funding_per_8h(set, venue, asset, i64::MIN), 8.0)
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a.time_ms >= from);
    let markers: Vec<ChartMarker> = AnnotationLimit::new(6)
        .map(|l| l.apply(found))
        .unwrap_or_default()
        .into_iter()
        .map(|a| ChartMarker {
            time_ms: a.time_ms,
            value: Some(a.value),
            label: a.label,
            term_slug: a.term_slug,
            right_axis: true,
        })
        .collect();
    let line = |label: &str, s: &lens_math::TimeSeries, right_axis: bool| ChartSeries {
        label: label.to_string(),
        times_ms: s.times_ms().to_vec(),
        values: s.values().to_vec(),
        area: false,
        right_axis,
    };
    let extremes = count_of(markers.len(), "funding extreme", "funding extremes");
    let summary = format!(
        "{} {asset}: the all-account long/short ratio and top traders' position ratio on the left axis, funding per 8 h on the right, and {extremes} marked.",
        venue.display_name(),
    );
    let chart_caption = caption(
        set,
        &[venue],
        "Long/short ratios (hourly) and funding per 8 h",
    );
    let rows = accounts
        .times_ms()
        .iter()
        .zip(accounts.values())
        .rev()
        .take(200)
        .map(|(&t, &r)| {
            vec![
                short_time(t),
                num(r, 2),
                long_share_from_ratio(r).map_or("–".into(), |s| pct(s, 1)),
                positions.value_as_of(t).map_or("–".into(), |p| num(p, 2)),
                funding.value_as_of(t).map_or("–".into(), |f| pct(f, 4)),
            ]
        })
        .collect();
    Panel {
        id: "ratios",
        title: format!(
            "Who is long on {}: ratios and funding",
            venue.display_name()
        ),
        figure: Figure::Time(TimeChartData {
            series: vec![
                line("Accounts long ÷ short", accounts, false),
                line("Top traders' positions long ÷ short", positions, false),
                line("Funding per 8 h", funding, true),
            ],
            y_label: "Long/short ratio".into(),
            y_unit: Unit::Plain,
            y2: Some(("Funding, % per 8 h".into(), Unit::Percent)),
            markers,
            caption: chart_caption.clone(),
            summary: summary.clone(),
        }),
        summary,
        caption: chart_caption,
        table: ChartTable::new(
            &[
                "Time",
                "Account ratio",
                "Accounts long",
                "Top positions ratio",
                "Funding per 8 h (as of)",
            ],
            rows,
        ),
    }
}

fn smile_panel(set: &DataSet, asset: &Asset, s: &Smile) -> Panel {
    let side = |kind: OptionKind| {
        let mut points: Vec<(f64, f64)> = s
            .quotes
            .iter()
            .filter(|q| q.kind == kind)
            .map(|q| (q.strike, q.mark_iv))
            .collect();
        lens_math::sort::sort_by(&mut points, |a, b| a.0.total_cmp(&b.0));
        points.into_iter().unzip::<f64, f64, Vec<f64>, Vec<f64>>()
    };
    let (call_x, call_y) = side(OptionKind::Call);
    let (put_x, put_y) = side(OptionKind::Put);
    let forward = s.quotes.first().map_or(f64::NAN, |q| q.underlying_price);
    let rr = s.risk_reversal;
    let summary = format!(
        "Implied volatility against strike for {asset} options {} days out on {}: the 25-delta call trades at {} and the 25-delta put at {}, a risk reversal of {} vol points.",
        num(s.days, 0),
        s.venue.display_name(),
        pct(rr.call_volatility, 1),
        pct(rr.put_volatility, 1),
        signed_num(rr.vol_points, 1)
    );
    let rows = s
        .quotes
        .iter()
        .map(|q| {
            vec![
                usd(q.strike),
                if q.kind == OptionKind::Call {
                    "call"
                } else {
                    "put"
                }
                .to_string(),
                pct(q.mark_iv, 1),
            ]
        })
        .collect();
    Panel {
        id: "smile",
        title: format!("{asset} option smile, {} days", num(s.days, 0)),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Calls".into(),
                    xs: call_x,
                    ys: call_y,
                },
                CurveLine {
                    label: "Puts".into(),
                    xs: put_x,
                    ys: put_y,
                },
            ],
            markers: vec![CurveMarker {
                x: forward,
                label: "forward".into(),
                tone: Tone::Neutral,
            }],
            x: Axis::new("Strike, USD", Unit::Usd),
            y: Axis::new("Implied volatility", Unit::Percent),
            zero_line: false,
        }),
        summary,
        caption: caption(
            set,
            &[s.venue],
            "Mark implied volatility by strike, one expiry",
        ),
        table: ChartTable::new(&["Strike", "Kind", "Mark IV"], rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};
    use crate::market::dataset::Origin;
    use crate::market::model::{FundingRate as Rate, LongShortRatio};
    use crate::market::sample::sample_dataset;
    use crate::market::venues::Payload;

    fn run_on(set: &DataSet, query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(set, &c)
    }

    #[test]
    fn facts_match_the_raw_rows() {
        let set = sample_dataset();
        let e = run_on(&set, &[]).unwrap();
        let btc = Asset::btc();
        let f = crate::lesson::read::funding(&set, Venue::Binance, &btc, i64::MIN);
        let f = f.last().unwrap();
        assert_eq!(
            fact(&e, "funding-8h"),
            pct(f.rate * 8.0 / f.interval_hours, 4)
        );
        let r = crate::lesson::read::ratios(
            &set,
            Venue::Binance,
            &btc,
            RatioKind::GlobalAccounts,
            i64::MIN,
        );
        let r = r.last().unwrap().ratio;
        assert_eq!(fact(&e, "long-share"), pct(r / (1.0 + r), 1));
        assert!(e.reading.starts_with("On Binance BTC"), "{}", e.reading);
        assert!(
            e.reading.contains("risk reversal on Deribit"),
            "{}",
            e.reading
        );
        assert_eq!(e.panels.len(), 2);
        // Hyperliquid funds hourly: its fact is converted to per 8 h.
        let e = run_on(&set, &[("venue", "hyperliquid")]).unwrap();
        let f = crate::lesson::read::funding(&set, Venue::Hyperliquid, &btc, i64::MIN);
        assert_eq!(fact(&e, "funding-8h"), pct(f.last().unwrap().rate * 8.0, 4));
    }

    #[test]
    fn the_window_sets_the_ranking_and_the_skew_index_history() {
        let set = sample_dataset();
        let long = run_on(&set, &[("days", "30")]).unwrap();
        let short = run_on(&set, &[("days", "3")]).unwrap();
        assert!(
            long.reading.contains("of the last 30 days"),
            "{}",
            long.reading
        );
        assert!(
            short.reading.contains("of the last 3 days"),
            "{}",
            short.reading
        );
        // The skew index z-scores against the window's own prints: 10 of them over 3 days, 90 over 30.
        assert_ne!(fact(&long, "psi"), fact(&short, "psi"));
        // The ranking is over the window too: recompute it for 7 days from the raw rows.
        let btc = Asset::btc();
        let from = set.as_of_ms - 7 * 86_400_000;
        let rates: Vec<f64> = crate::lesson::read::funding(&set, Venue::Binance, &btc, from)
            .iter()
            .map(|r| r.rate * 8.0 / r.interval_hours)
            .collect();
        let last = *rates.last().unwrap();
        let rank = rates.iter().filter(|r| **r <= last).count() as f64 / rates.len() as f64;
        let week = run_on(&set, &[("days", "7")]).unwrap();
        let phrase = format!("{} of the last 7 days", rank_phrase(rank));
        assert!(
            week.reading.contains(&phrase),
            "{phrase} / {}",
            week.reading
        );
        let rows = |e: &Example| match &e.panels[0].figure {
            Figure::Time(t) => t.series[0].values.len(),
            _ => 0,
        };
        assert!(rows(&short) < rows(&long));
    }

    /// The leverage-skew page's reading: ratio 1.56 → 1.56 / 2.56 = 60.9 % long; 0.0123 % per 8 h × 3 × 365 = 13.47 %
    /// a year (simple annualisation: three prints a day, 365 days). Funding rising through the window ranks the last
    /// print on top.
    #[test]
    fn worked_reading_on_hand_made_rows() {
        let now = 40 * 86_400_000;
        let mut set = DataSet::empty(Origin::Live, now);
        let btc = Asset::btc();
        let h8 = 8 * 3_600_000;
        let funding = (0..20)
            .map(|i| Rate {
                time_ms: now - (19 - i) * h8,
                rate: 0.000_003 * i as f64 + if i == 19 { 0.000_066 } else { 0.0 },
                interval_hours: 8.0,
                mark_price: None,
            })
            .collect();
        let ratios = (0..20)
            .map(|i| LongShortRatio {
                time_ms: now - (19 - i) * h8,
                ratio: 1.0 + 0.03 * i as f64 - if i == 19 { 0.01 } else { 0.0 },
            })
            .collect();
        set.insert(
            Venue::Binance,
            btc.clone(),
            Item::Funding,
            Payload::Funding(funding),
        );
        set.insert(Venue::Binance, btc, ACCOUNTS, Payload::Ratios(ratios));
        let e = run_on(&set, &[]).unwrap();
        assert!(
            e.reading.starts_with("On Binance BTC 61 % of accounts are net long (ratio 1.56); funding is 0.0123 % per 8 h (13.47 % a year): longs pay shorts, in the top 1 % of the last 30 days; the positioning-skew index is +"),
            "{}",
            e.reading
        );
        assert_eq!(fact(&e, "risk-reversal"), "no options in view");
        assert!(e.notes.iter().any(|n| n.contains("No options data")));
        assert_eq!(e.panels.len(), 1);
    }
}
