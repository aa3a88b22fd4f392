//! Options Trading Leverage: the elasticity Ω = Δ·S/V of every option in the chain in view, by strike and
//! expiry. Ω is the percent change of the option's price per 1 % move of the underlying: the leverage an
//! option carries without any borrowing, largest out of the money and close to expiry.

use lens_math::market::OptionKind as MathKind;
use lens_math::options::{BlackScholes, OptionTerms, Underlying};

use crate::chart::figure::{Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, Panel};
use crate::chart::{Tone, Unit};
use crate::lesson::controls::{ASSET, ControlKind, ControlSpec, VENUE};
use crate::lesson::read::{DAY_MS, asset, caption, options, venue};
use crate::lesson::text::{num, pct, usd};
use crate::lesson::{Example, Fact, LiveExample, Need, Unavailable};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{OptionKind, OptionQuote};

use lens_math::series::YEAR_MS;

const OPTION_KIND: ControlSpec = ControlSpec {
    key: "kind",
    label: "Option type",
    kind: ControlKind::Choice {
        options: &[("call", "Calls"), ("put", "Puts")],
        default: "call",
    },
};

const EXPIRIES: ControlSpec = ControlSpec {
    key: "expiries",
    label: "Expiries shown",
    kind: ControlKind::Number {
        min: 1.0,
        max: 4.0,
        step: 1.0,
        default: Some(3.0),
        unit: "",
    },
};

const CONTROLS: &[ControlSpec] = &[VENUE, ASSET, OPTION_KIND, EXPIRIES];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "options-trading-leverage",
    controls: CONTROLS,
    needs: &[Need::chosen(Item::Options)],
    primary: Some(Item::Options),
    build,
};

/// One option with its elasticity.
#[derive(Debug, Clone, Copy)]
struct Point {
    expiry_ms: i64,
    strike: f64,
    underlying: f64,
    iv: f64,
    mark: f64,
    omega: f64,
}

/// Ω of `q` at `as_of_ms` under Black-76 on the quote's underlying (the venue settles on a futures price) at
/// its mark implied volatility, rate 0; `None` for an expired or unusable quote.
fn elasticity(q: &OptionQuote, as_of_ms: i64, kind: MathKind) -> Option<f64> {
    let terms = OptionTerms {
        underlying_price: q.underlying_price,
        strike: q.strike,
        years_to_expiry: (q.expiry_ms - as_of_ms) as f64 / YEAR_MS,
        rate: 0.0,
        underlying: Underlying::Future,
    };
    BlackScholes::new(terms, q.mark_iv)
        .ok()?
        .elasticity(kind)
        .ok()
        .filter(|o| o.is_finite())
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let asset = asset(set, c)?;
    let venue = venue(set, c, &asset, Item::Options)?;
    let venues = vec![venue];
    let (kind, word) = match c.choice(&OPTION_KIND) {
        "put" => (OptionKind::Put, "put"),
        _ => (OptionKind::Call, "call"),
    };
    let math_kind = MathKind::from(kind);
    let as_of = set.as_of_ms;
    let mut points: Vec<Point> = options(set, venue, &asset)
        .iter()
        .filter(|q| q.kind == kind && q.expiry_ms > as_of)
        .filter_map(|q| {
            Some(Point {
                expiry_ms: q.expiry_ms,
                strike: q.strike,
                underlying: q.underlying_price,
                iv: q.mark_iv,
                mark: q.mark_price_usd,
                omega: elasticity(q, as_of, math_kind)?,
            })
        })
        .collect();
    lens_math::sort::sort_by(&mut points, |a, b| {
        a.expiry_ms
            .cmp(&b.expiry_ms)
            .then(a.strike.total_cmp(&b.strike))
    });
    let mut expiries: Vec<i64> = points.iter().map(|p| p.expiry_ms).collect();
    expiries.dedup();
    let days = |ms: i64| (ms - as_of) as f64 / DAY_MS as f64;
    let (Some(&nearest), Some(&month)) = (
        expiries.first(),
        expiries.iter().min_by(|a, b| {
            (days(**a) - 30.0)
                .abs()
                .total_cmp(&(days(**b) - 30.0).abs())
        }),
    ) else {
        return Err(Unavailable::new(format!(
            "{} has no usable {asset} {word}s in the data in view.",
            venue.display_name()
        )));
    };
    let of = |expiry: i64| points.iter().filter(move |p| p.expiry_ms == expiry);
    let closest = |expiry: i64, target: f64| {
        of(expiry)
            .min_by(|a, b| {
                (a.strike - target)
                    .abs()
                    .total_cmp(&(b.strike - target).abs())
            })
            .copied()
    };
    let price = of(nearest).next().map_or(f64::NAN, |p| p.underlying);
    let sign = if kind == OptionKind::Call { 1.0 } else { -1.0 };
    let (Some(otm), Some(atm)) = (
        closest(nearest, price * (1.0 + 0.1 * sign)),
        closest(month, of(month).next().map_or(price, |p| p.underlying)),
    ) else {
        return Err(Unavailable::new(
            "No option is near the strikes this example reads.",
        ));
    };
    let shown: Vec<i64> = expiries
        .iter()
        .copied()
        .take(c.number(&EXPIRIES).clamp(1.0, 4.0) as usize)
        .collect();
    let label = |expiry: i64| {
        format!(
            "{} days ({})",
            num(days(expiry), 0),
            crate::base::calendar::date_label(expiry)
        )
    };
    let curves = shown
        .iter()
        .map(|e| CurveLine {
            label: label(*e),
            xs: of(*e).map(|p| p.strike).collect(),
            ys: of(*e).map(|p| p.omega).collect(),
        })
        .collect();
    let rows = points
        .iter()
        .filter(|p| shown.contains(&p.expiry_ms))
        .take(200)
        .map(|p| {
            vec![
                label(p.expiry_ms),
                usd(p.strike),
                pct(p.iv, 1),
                usd(p.mark),
                num(p.omega, 2),
            ]
        })
        .collect();
    let panel = Panel {
        id: "elasticity",
        title: format!("Elasticity of {asset} {word}s by strike and expiry"),
        figure: Figure::Curve(CurveFigure {
            curves,
            markers: vec![CurveMarker {
                x: price,
                label: format!("{asset} {}", usd(price)),
                tone: Tone::Neutral,
            }],
            x: Axis::new("Strike, USD", Unit::Usd),
            y: Axis::new("Elasticity Ω (% per 1 % move)", Unit::Plain),
            zero_line: true,
        }),
        summary: format!(
            "Elasticity of {asset} {word}s for the {} nearest expiries: it is largest in size out of the money and close to expiry; the {}-day {word} struck at {} has {}.",
            shown.len(),
            num(days(otm.expiry_ms), 0),
            usd(otm.strike),
            num(otm.omega, 1)
        ),
        caption: caption(
            set,
            &venues,
            "Option elasticity Ω = Δ·S/V from mark implied volatility (Black-76)",
        ),
        table: ChartTable::new(
            &["Expiry", "Strike", "Mark IV", "Mark price", "Elasticity Ω"],
            rows,
        ),
    };
    let offset = otm.strike / price - 1.0;
    let (direction, moves) = if kind == OptionKind::Call {
        ("rise", "moves its price")
    } else {
        ("fall", "raises its price")
    };
    let reading = format!(
        "A {asset} {word} struck {} {} the {} price, expiring in {} days, has elasticity {}: a 1 % {direction} in {asset} {moves} about {}; the at-the-money {}-day {word}'s is {}.",
        pct(offset.abs(), 0),
        if offset >= 0.0 { "above" } else { "below" },
        usd(price),
        num(days(otm.expiry_ms), 0),
        num(otm.omega, 0),
        pct(otm.omega.abs() / 100.0, 0),
        num(days(atm.expiry_ms), 0),
        num(atm.omega, 1)
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new("underlying", "Underlying price", usd(price)),
            Fact::new(
                "otm-elasticity",
                format!(
                    "Ω, {} {word} {}-day",
                    usd(otm.strike),
                    num(days(otm.expiry_ms), 0)
                ),
                num(otm.omega, 2),
            ),
            Fact::new(
                "atm-elasticity",
                format!("Ω, at-the-money {word} {}-day", num(days(atm.expiry_ms), 0)),
                num(atm.omega, 2),
            ),
            Fact::new(
                "atm-option-volatility",
                "Its own volatility, |Ω| × IV",
                pct(atm.omega.abs() * atm.iv, 0),
            ),
        ],
        panels: vec![panel],
        notes: Vec::new(),
        venues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Controls;
    use crate::lesson::testing::controls;
    use crate::market::model::{Asset, Venue};
    use crate::market::sample::sample_dataset;
    use lens_math::stats::normal::normal_cdf;

    fn run(query: &[(&str, &str)]) -> Result<Example, Unavailable> {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c)
    }

    fn value(e: &Example, key: &str) -> f64 {
        let v = e
            .facts
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
            .unwrap_or_default();
        v.replace('−', "-").replace(',', "").parse().unwrap()
    }

    /// Ω = N(d1)·F / mark price, with the venue's own mark price: the 7-day call nearest 110 % of the price.
    #[test]
    fn elasticity_matches_delta_times_price_over_the_mark() {
        let set = sample_dataset();
        let chain = options(&set, Venue::Deribit, &Asset::btc());
        let first = chain.iter().map(|q| q.expiry_ms).min().unwrap();
        let f = chain[0].underlying_price;
        let q = chain
            .iter()
            .filter(|q| q.expiry_ms == first && q.kind == OptionKind::Call)
            .min_by(|a, b| {
                (a.strike - 1.1 * f)
                    .abs()
                    .total_cmp(&(b.strike - 1.1 * f).abs())
            })
            .unwrap();
        let t = (q.expiry_ms - set.as_of_ms) as f64 / YEAR_MS;
        let d1 = ((q.underlying_price / q.strike).ln() + q.mark_iv.powi(2) * t / 2.0)
            / (q.mark_iv * t.sqrt());
        let by_hand = normal_cdf(d1) * q.underlying_price / q.mark_price_usd;
        let e = run(&[]).unwrap();
        assert!(
            (value(&e, "otm-elasticity") / by_hand - 1.0).abs() < 0.02,
            "{} vs {by_hand}",
            e.facts[1].value
        );
        assert!(
            e.reading
                .starts_with("A BTC call struck 10 % above the $96,145 price, expiring in 7 days"),
            "{}",
            e.reading
        );
    }

    #[test]
    fn kind_and_expiries_change_the_chart() {
        let calls = run(&[]).unwrap();
        let puts = run(&[("kind", "put")]).unwrap();
        assert!(value(&calls, "atm-elasticity") > 1.0 && value(&puts, "atm-elasticity") < -1.0);
        assert!(
            puts.reading.contains("% below the $") && puts.reading.contains("1 % fall"),
            "{}",
            puts.reading
        );
        for n in 1..=4 {
            let e = run(&[("expiries", &n.to_string())]).unwrap();
            let Figure::Curve(f) = &e.panels[0].figure else {
                panic!()
            };
            assert_eq!(f.curves.len(), n);
        }
        // Nearer expiry, more leverage: the 7-day call out of the money beats the 30-day at-the-money one.
        assert!(value(&calls, "otm-elasticity") > value(&calls, "atm-elasticity"));
        let perp =
            Controls::from_lookup(CONTROLS, |k| (k == "venue").then(|| "binance".to_string())).0;
        let err = build(&sample_dataset(), &perp).unwrap_err();
        assert_eq!(err.alternatives, vec![Venue::Deribit]);
    }

    /// Black (1976) at the money, r = 0, σ 50 %, T = 0.25: d1 = 0.125, d2 = −0.125, V/F = N(0.125) − N(−0.125) =
    /// 0.099476, Ω = N(0.125)/0.099476 = 0.549738/0.099476 = 5.5264 (the option elasticity Ω = Δ·S/V of Cox &
    /// Rubinstein, Options Markets, 1985).
    #[test]
    fn worked_at_the_money_elasticity() {
        let q = OptionQuote {
            instrument: "X".into(),
            kind: OptionKind::Call,
            strike: 100.0,
            expiry_ms: (0.25 * YEAR_MS) as i64,
            mark_price_usd: 9.95,
            mark_iv: 0.5,
            underlying_price: 100.0,
            delta: None,
            open_interest_base: None,
        };
        let omega = elasticity(&q, 0, MathKind::Call).unwrap();
        assert!((omega - 5.5264).abs() < 5e-4, "{omega}");
        assert!(
            elasticity(
                &OptionQuote {
                    mark_iv: f64::NAN,
                    ..q.clone()
                },
                0,
                MathKind::Call
            )
            .is_none()
        );
        assert!(elasticity(&q, q.expiry_ms, MathKind::Call).is_none());
    }
}
