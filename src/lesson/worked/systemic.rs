//! Systemic leverage: totals across venues with different funding intervals, the OI-weighted rate, funding
//! spend, and open interest against market capitalisation.

use lens_math::funding::{FundingRate, VenueFunding, funding_spend, oi_weighted_funding_per_8h};
use lens_math::positioning::oi_to_market_cap;

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};
use crate::lesson::text::num;

const COINS: (f64, f64, f64) = (0.0, 21_000_000.0, 5_000.0);
const RATE: (f64, f64, f64) = (-3.0, 3.0, 0.001);

static PRICE: Input = Input::new(
    "price",
    "BTC price, USD",
    64_000.0,
    (1.0, 10_000_000.0, 500.0),
    4,
);
static SUPPLY: Input = Input::new(
    "supply",
    "Circulating supply, BTC",
    19_800_000.0,
    (1.0, 21_000_000.0, 100_000.0),
    4,
);
static OI_A: Input = Input::new("oi-a", "Venue A open interest, BTC", 180_000.0, COINS, 4);
static OI_B: Input = Input::new("oi-b", "Venue B open interest, BTC", 110_000.0, COINS, 4);
static OI_C: Input = Input::new("oi-c", "Venue C open interest, BTC", 60_000.0, COINS, 4);
static RATE_A: Input = Input::new("rate-a", "Venue A funding, % per 8 h", 0.012, RATE, 4);
static RATE_B: Input = Input::new("rate-b", "Venue B funding, % per 8 h", 0.02, RATE, 4);
static RATE_C: Input = Input::new("rate-c", "Venue C funding, % per hour", 0.003, RATE, 4);

pub static MODEL: Model = Model {
    slug: "systemic-leverage",
    inputs: &[
        &PRICE, &SUPPLY, &OI_A, &OI_B, &OI_C, &RATE_A, &RATE_B, &RATE_C,
    ],
    compute,
    ladder: Some(Ladder {
        input: &PRICE,
        from: 10_000.0,
        to: 150_000.0,
        answer: "Estimated leverage, % of market cap",
        at: |v| {
            let oi = (v.of(&OI_A) + v.of(&OI_B) + v.of(&OI_C)) * v.of(&PRICE);
            oi_to_market_cap(oi, v.of(&PRICE), v.of(&SUPPLY))
                .ok()
                .map(|r| r * 100.0)
        },
    }),
};

/// Each venue: its open-interest input, its rate input, the rate's interval in hours, and its output keys
/// (OI in USD, rate per 8 h, spend per 8 h).
const VENUES: [(&Input, &Input, f64, [&str; 3]); 3] = [
    (&OI_A, &RATE_A, 8.0, ["usd-a", "per8-a", "spend-a"]),
    (&OI_B, &RATE_B, 8.0, ["usd-b", "per8-b", "spend-b"]),
    (&OI_C, &RATE_C, 1.0, ["usd-c", "per8-c", "spend-c"]),
];

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let price = v.of(&PRICE);
    let mut out: Outputs = Vec::new();
    let (mut coins, mut usd, mut spend) = (0.0, 0.0, 0.0);
    let mut weighted = Vec::new();
    for (oi, rate, hours, [usd_key, per8_key, spend_key]) in VENUES {
        let oi_usd = v.of(oi) * price;
        let funding = FundingRate::new(v.of(rate) / 100.0, hours)?;
        let venue_spend = funding_spend(funding, oi_usd)?;
        out.extend([
            (usd_key, num(oi_usd / 1e9, 2)),
            (per8_key, num(funding.per_8h() * 100.0, 3)),
            (spend_key, num(venue_spend.per_8h_usd, 0)),
        ]);
        coins += v.of(oi);
        usd += oi_usd;
        spend += venue_spend.per_8h_usd;
        weighted.push(VenueFunding {
            open_interest_usd: oi_usd,
            rate: funding,
        });
        if hours == 1.0 {
            out.push(("hourly-spend", num(venue_spend.per_interval_usd, 0)));
        }
    }
    if usd <= 0.0 {
        return Err(Problem::at(
            &OI_A,
            "At least one venue needs open interest.",
        ));
    }
    let rate_8h = oi_weighted_funding_per_8h(&weighted)?;
    let ratio = oi_to_market_cap(usd, price, v.of(&SUPPLY))?;
    out.extend([
        ("coins", tidy(coins, 3)),
        ("usd", num(usd / 1e9, 2)),
        ("spend", num(spend, 0)),
        ("double", num(2.0 * usd / 1e9, 2)),
        ("spend-day", num(spend * 3.0, 0)),
        ("spend-year", num(spend * 3.0 * 365.0 / 1e9, 2)),
        ("rate-8h", num(rate_8h * 100.0, 4)),
        ("rate-apr", num(rate_8h * 3.0 * 365.0 * 100.0, 2)),
        ("mcap", num(price * v.of(&SUPPLY) / 1e9, 1)),
        ("elr", num(ratio * 100.0, 2)),
    ]);
    Ok(out)
}
