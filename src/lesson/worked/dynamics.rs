//! Leverage dynamics assessment: the open-interest/price quadrant, funding, basis and skew bands, and the
//! verdict, in the same words as the overview's dashboard.

use lens_math::basis::{annualised_basis_compounded, annualised_basis_simple};
use lens_math::positioning::{
    BasisRegime, CrowdingSignals, FundingRegime, QuadrantClassifier, RiskReversalRegime,
};

use super::{Input, Ladder, Model, Outputs, Problem, Values, capped, signed, signed_tidy, tidy};
use crate::lesson::dashboard::verdict;
use crate::lesson::dashboard::words::{basis_words, funding_words, quadrant_name, skew_words};
use crate::lesson::text::num;

const COINS: (f64, f64, f64) = (1.0, 100_000_000.0, 500.0);
const PRICE: (f64, f64, f64) = (1.0, 10_000_000.0, 100.0);

static OI0: Input = Input::new("oi0", "Open interest 24 h ago, BTC", 88_000.0, COINS, 4);
static OI1: Input = Input::new("oi1", "Open interest now, BTC", 91_700.0, COINS, 4);
static P0: Input = Input::new("p0", "Price 24 h ago, USD", 62_080.0, PRICE, 4);
static P1: Input = Input::new("p1", "Price now, USD", 64_000.0, PRICE, 4);
static FUNDING: Input = Input::new(
    "funding",
    "Funding, % per 8 h",
    0.028,
    (-3.0, 3.0, 0.002),
    4,
);
static DAYS: Input = Input::new(
    "days",
    "Days to the future's expiry",
    91.0,
    (1.0, 3_650.0, 1.0),
    4,
);
static FUTURE: Input = Input::new("future", "Quarterly future, USD", 65_100.0, PRICE, 4);
static RR: Input = Input::new(
    "rr",
    "25-delta risk reversal, volatility points",
    3.5,
    (-50.0, 50.0, 0.5),
    4,
);
static OI_C: Input = Input::new(
    "oi-c",
    "Open interest in the contrast case, BTC",
    82_700.0,
    COINS,
    4,
);
static P_C: Input = Input::new("p-c", "Price in the contrast case, USD", 60_500.0, PRICE, 4);

pub static MODEL: Model = Model {
    slug: "leverage-dynamics-assessment",
    inputs: &[
        &OI0, &OI1, &P0, &P1, &FUNDING, &DAYS, &FUTURE, &RR, &OI_C, &P_C,
    ],
    compute,
    ladder: Some(Ladder {
        input: &FUTURE,
        from: 60_000.0,
        to: 70_000.0,
        answer: "Annualised basis, simple, %",
        at: |v| {
            annualised_basis_simple(v.of(&FUTURE), v.of(&P1), v.of(&DAYS))
                .ok()
                .map(|b| b * 100.0)
        },
    }),
};

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let classifier = QuadrantClassifier::default();
    let (oi0, oi1, p0, p1) = (v.of(&OI0), v.of(&OI1), v.of(&P0), v.of(&P1));
    let (g_oi, g_p) = (oi1 / oi0 - 1.0, p1 / p0 - 1.0);
    let quadrant = classifier.classify(oi0, oi1, p0, p1)?;
    let outside = (
        g_oi.abs() > classifier.oi_dead_band(),
        g_p.abs() > classifier.price_dead_band(),
    );
    let band_words = match outside {
        (true, true) => "Both are outside their dead bands",
        (true, false) => "Price is inside its dead band",
        (false, true) => "Open interest is inside its dead band",
        (false, false) => "Both are inside their dead bands",
    };

    let funding = v.of(&FUNDING) / 100.0;
    let funding_regime = FundingRegime::from_rate_per_8h(funding)?;
    let (future, days) = (v.of(&FUTURE), v.of(&DAYS));
    let simple = annualised_basis_simple(future, p1, days)?;
    let compounded = annualised_basis_compounded(future, p1, days)?;
    let basis_regime = BasisRegime::from_annualised_simple(simple)?;
    let rr = v.of(&RR);
    let rr_regime = RiskReversalRegime::from_vol_points(rr)?;
    let signals = CrowdingSignals {
        funding_per_8h: Some(funding),
        annualised_basis_simple: Some(simple),
        risk_reversal_25d_vol_points: Some(rr),
    };

    let (oi_c, p_c) = (v.of(&OI_C), v.of(&P_C));
    let contrast = classifier.classify(oi0, oi_c, p0, p_c)?;
    Ok(vec![
        ("g-oi", signed(g_oi * 100.0, 2)),
        ("g-p", signed(g_p * 100.0, 2)),
        ("band-words", band_words.to_string()),
        ("quadrant", quadrant_name(quadrant).to_lowercase()),
        ("funding-apr", num(funding * 3.0 * 365.0 * 100.0, 2)),
        ("funding-words", funding_words(funding_regime).to_string()),
        ("basis-usd", tidy(future - p1, 4)),
        ("basis-pct", num((future / p1 - 1.0) * 100.0, 2)),
        ("basis-simple", capped(simple * 100.0, 2)),
        ("basis-comp", capped(compounded * 100.0, 2)),
        ("basis-words", basis_words(basis_regime).to_string()),
        ("rr-signed", signed_tidy(rr, 4)),
        ("rr-words", skew_words(rr_regime).to_string()),
        (
            "rr-explain",
            match rr_regime {
                RiskReversalRegime::CallSkew => "upside calls cost more than downside puts",
                RiskReversalRegime::Balanced => "neither side's options are much dearer",
                RiskReversalRegime::PutSkew => "downside puts cost more than upside calls",
            }
            .to_string(),
        ),
        ("verdict", verdict(Some(quadrant), &signals)),
        ("g-oi-c", signed((oi_c / oi0 - 1.0) * 100.0, 2)),
        ("g-p-c", signed((p_c / p0 - 1.0) * 100.0, 2)),
        ("quadrant-c", quadrant_name(contrast).to_lowercase()),
    ])
}
