//! Systemic leverage risk: the shock–liquidate–sell stress test across two perpetual venues and a lending
//! protocol, and funding across venues against its own history.

use lens_math::funding::{FundingRate, VenueFunding, oi_weighted_funding_per_8h};
use lens_math::spiral::{
    CollateralLoan, SystemicStressTest, leverage_buckets, long_liquidation_drop,
};
use lens_math::stats::{mean, sample_std};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

const MUSD: (f64, f64, f64) = (0.0, 1_000_000.0, 100.0);
const RATE: (f64, f64, f64) = (-3.0, 3.0, 0.001);

static DROP: Input = Input::new("drop", "Initial drop, %", 10.0, (0.5, 90.0, 0.5), 5);
static MMR: Input = Input::new(
    "mmr",
    "Maintenance margin rate, %",
    0.5,
    (0.0, 10.0, 0.05),
    5,
);
static EXPO_A: Input = Input::new("expo-a", "Venue A long exposure, M USD", 5_000.0, MUSD, 5);
static EXPO_B: Input = Input::new("expo-b", "Venue B long exposure, M USD", 3_000.0, MUSD, 5);
static COLLATERAL: Input = Input::new("collateral", "Lending collateral, M USD", 3_000.0, MUSD, 5);
static AT_RISK: Input = Input::new(
    "at-risk",
    "Collateral just above liquidation, %",
    15.0,
    (0.0, 100.0, 1.0),
    5,
);
static DEPTH: Input = Input::new(
    "depth",
    "Selling absorbed per 1 % of price, M USD",
    400.0,
    (1.0, 1_000_000.0, 50.0),
    5,
);
static OI_A: Input = Input::new(
    "f-oi-a",
    "Venue A open interest, bn USD",
    10.0,
    (0.0, 10_000.0, 1.0),
    5,
);
static RATE_A: Input = Input::new("f-rate-a", "Venue A funding, % per 8 h", 0.01, RATE, 5);
static OI_B: Input = Input::new(
    "f-oi-b",
    "Venue B open interest, bn USD",
    6.0,
    (0.0, 10_000.0, 1.0),
    5,
);
static RATE_B: Input = Input::new("f-rate-b", "Venue B funding, % per 8 h", 0.015, RATE, 5);
static OI_H: Input = Input::new(
    "f-oi-h",
    "Venue H open interest, bn USD",
    4.0,
    (0.0, 10_000.0, 1.0),
    5,
);
static RATE_H: Input = Input::new("f-rate-h", "Venue H funding, % per hour", 0.00125, RATE, 5);
static JUMP: Input = Input::new(
    "jump",
    "A jump in the weighted rate, % per 8 h",
    0.025,
    RATE,
    5,
);
const fn reading(key: &'static str, label: &'static str, default: f64) -> Input {
    Input::new(key, label, default, RATE, 5)
}
static R1: Input = reading("r1", "Reading 1, % per 8 h", 0.01);
static R2: Input = reading("r2", "Reading 2, % per 8 h", 0.006);
static R3: Input = reading("r3", "Reading 3, % per 8 h", 0.014);
static R4: Input = reading("r4", "Reading 4, % per 8 h", 0.01);
static R5: Input = reading("r5", "Reading 5, % per 8 h", 0.004);
static R6: Input = reading("r6", "Reading 6, % per 8 h", 0.012);
static R7: Input = reading("r7", "Reading 7, % per 8 h", 0.016);
static R8: Input = reading("r8", "Reading 8, % per 8 h", 0.008);

pub static MODEL: Model = Model {
    slug: "systemic-leverage-risk",
    inputs: &[
        &DROP,
        &MMR,
        &EXPO_A,
        &EXPO_B,
        &COLLATERAL,
        &AT_RISK,
        &DEPTH,
        &OI_A,
        &RATE_A,
        &OI_B,
        &RATE_B,
        &OI_H,
        &RATE_H,
        &JUMP,
        &R1,
        &R2,
        &R3,
        &R4,
        &R5,
        &R6,
        &R7,
        &R8,
    ],
    compute,
    ladder: Some(Ladder {
        input: &DROP,
        from: 1.0,
        to: 40.0,
        answer: "Final price index",
        at: |v| stress(v).ok().map(|(outcome, _)| outcome.final_price_index),
    }),
};

/// The two venues' leverage mixes (leverage, share of the venue's long exposure), as published.
const MIX_A: [(f64, f64); 4] = [(2.0, 0.4), (5.0, 0.3), (10.0, 0.2), (25.0, 0.1)];
const MIX_B: [(f64, f64); 4] = [(2.0, 0.3), (5.0, 0.4), (10.0, 0.2), (50.0, 0.1)];
const LEVERAGES: [(f64, &str); 5] = [
    (2.0, "t2"),
    (5.0, "t5"),
    (10.0, "t10"),
    (25.0, "t25"),
    (50.0, "t50"),
];
/// Health of the collateral that is not near liquidation (it needs a one-third fall to go).
const SAFE_HEALTH: f64 = 1.5;

fn stress(v: &Values) -> lens_math::Result<(lens_math::spiral::StressTestOutcome, f64)> {
    let drop = v.of(&DROP) / 100.0;
    let mut buckets = leverage_buckets(v.of(&EXPO_A), &MIX_A)?;
    buckets.extend(leverage_buckets(v.of(&EXPO_B), &MIX_B)?);
    // The loans at risk sit just above the threshold the drop crosses, so the drop liquidates them.
    let threshold = 1.0 / (1.0 - drop);
    let risky = v.of(&COLLATERAL) * v.of(&AT_RISK) / 100.0;
    let loans = [
        CollateralLoan {
            collateral_usd: risky,
            health_factor: threshold * 0.999,
        },
        CollateralLoan {
            collateral_usd: v.of(&COLLATERAL) - risky,
            health_factor: SAFE_HEALTH,
        },
    ];
    let outcome =
        SystemicStressTest::new(v.of(&MMR) / 100.0, v.of(&DEPTH))?.run(drop, &buckets, &loans)?;
    Ok((outcome, threshold))
}

/// The leverages of a mix liquidated by the drop: "10×, 25×", or "none".
fn hit(mix: &[(f64, f64)], drop: f64, mmr: f64) -> lens_math::Result<(String, f64)> {
    let mut names = Vec::new();
    let mut share = 0.0;
    for (leverage, weight) in mix {
        if long_liquidation_drop(*leverage, mmr)? <= drop {
            names.push(format!("{}×", tidy(*leverage, 0)));
            share += weight;
        }
    }
    let names = if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    };
    Ok((names, share))
}

fn z_words(z: f64) -> &'static str {
    match z.abs() {
        a if a < 2.0 => "which is unremarkable",
        a if a < 3.0 => "which stands out",
        _ => "an extreme reading",
    }
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let (drop, mmr) = (v.of(&DROP) / 100.0, v.of(&MMR) / 100.0);
    let mut out: Outputs = Vec::new();
    let mut lowest_hit = None;
    for (leverage, key) in LEVERAGES {
        let trigger = long_liquidation_drop(leverage, mmr)?;
        if trigger <= drop && lowest_hit.is_none() {
            lowest_hit = Some(leverage);
        }
        out.push((key, tidy(trigger * 100.0, 2)));
    }
    out.push((
        "hit-words",
        match lowest_hit {
            None => "no bucket is".to_string(),
            Some(l) if l <= 2.0 => "every bucket is".to_string(),
            Some(l) => format!("only the {}× and higher buckets are", tidy(l, 0)),
        },
    ));
    let (names_a, share_a) = hit(&MIX_A, drop, mmr)?;
    let (names_b, share_b) = hit(&MIX_B, drop, mmr)?;
    let (outcome, threshold) = stress(v)?;
    let first = outcome.rounds.first().ok_or_else(|| {
        Problem::at(
            &DROP,
            "This drop liquidates nothing, so there is no spiral to follow.",
        )
    })?;
    if outcome.depth_exhausted || first.price_index_after < 0.01 {
        return Err(Problem::at(
            &DEPTH,
            "At this depth the forced sales use up the whole book: the price index falls to zero.",
        ));
    }
    let forced = first.perp_forced_usd + first.lending_forced_usd;
    let impact = 0.01 * forced / v.of(&DEPTH);
    let after = first.price_index_after;
    let five_hit = long_liquidation_drop(5.0, mmr)? <= 1.0 - after;
    out.extend([
        ("liq-a", names_a),
        ("forced-a", tidy(v.of(&EXPO_A) * share_a, 2)),
        ("liq-b", names_b),
        ("forced-b", tidy(v.of(&EXPO_B) * share_b, 2)),
        ("keep", tidy(1.0 - drop, 4)),
        ("health", num(threshold, 3)),
        ("forced-c", tidy(first.lending_forced_usd, 2)),
        ("forced", tidy(forced, 2)),
        ("impact", tidy(impact * 100.0, 4)),
        ("impact-frac", tidy(impact, 5)),
        ("after", num(after, 3)),
        ("fall", num((1.0 - after) * 100.0, 1)),
        (
            "five-words",
            if five_hit {
                "The 5× bucket is now liquidated too"
            } else {
                "Nothing at 5× is touched yet"
            }
            .to_string(),
        ),
        ("next-health", num(1.0 / after.max(f64::MIN_POSITIVE), 3)),
    ]);

    let venues = [
        VenueFunding {
            rate: FundingRate::new(v.of(&RATE_A) / 100.0, 8.0)?,
            open_interest_usd: v.of(&OI_A) * 1e9,
        },
        VenueFunding {
            rate: FundingRate::new(v.of(&RATE_B) / 100.0, 8.0)?,
            open_interest_usd: v.of(&OI_B) * 1e9,
        },
        VenueFunding {
            rate: FundingRate::new(v.of(&RATE_H) / 100.0, 1.0)?,
            open_interest_usd: v.of(&OI_H) * 1e9,
        },
    ];
    let weighted = oi_weighted_funding_per_8h(&venues)
        .map_err(|_| Problem::at(&OI_A, "At least one venue needs open interest."))?
        * 100.0;
    let readings: Vec<f64> = [&R1, &R2, &R3, &R4, &R5, &R6, &R7, &R8]
        .iter()
        .map(|r| v.of(r))
        .collect();
    let (m, sd) = (mean(&readings)?, sample_std(&readings)?);
    if sd <= 0.0 {
        return Err(Problem::at(
            &R1,
            "The eight readings are all equal: there is no spread to measure against.",
        ));
    }
    let z = (weighted - m) / sd;
    let jump_z = (v.of(&JUMP) - m) / sd;
    out.extend([
        ("h-per8", num(v.of(&RATE_H) * 8.0, 3)),
        ("f-total", tidy(v.of(&OI_A) + v.of(&OI_B) + v.of(&OI_H), 4)),
        ("weighted", num(weighted, 4)),
        ("weighted-apr", num(weighted * 3.0 * 365.0, 1)),
        ("mean", num(m, 3)),
        ("sd", num(sd, 3)),
        ("z", tidy(z, 3)),
        ("z-words", z_words(z).to_string()),
        ("jump-z", tidy(jump_z, 3)),
        ("jump-words", z_words(jump_z).to_string()),
    ]);
    Ok(out)
}
