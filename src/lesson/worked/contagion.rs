//! Systemic leverage contagion: Eisenberg–Noe clearing of Barucca's three-bank ring, before and after a cut to
//! external assets, and DebtRank on a chain.

use lens_math::contagion::{ClearingNetwork, DebtRankNetwork};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};

const fn input(key: &'static str, label: &'static str, default: f64, max: f64) -> Input {
    Input::new(key, label, default, (0.0, max, 1.0), 3)
}

const BIG: f64 = 1_000_000.0;

static A0: Input = input("a0", "Bank 0 external assets", 20.0, BIG);
static A1: Input = input("a1", "Bank 1 external assets", 20.0, BIG);
static A2: Input = input("a2", "Bank 2 external assets", 10.0, BIG);
static L0: Input = input("l0", "Bank 0 external liabilities", 17.0, BIG);
static L1: Input = input("l1", "Bank 1 external liabilities", 18.0, BIG);
static L2: Input = input("l2", "Bank 2 external liabilities", 8.0, BIG);
static O0: Input = input("o0", "What bank 0 owes bank 1", 4.0, BIG);
static O1: Input = input("o1", "What bank 1 owes bank 2", 3.0, BIG);
static O2: Input = input("o2", "What bank 2 owes bank 0", 2.0, BIG);
static CUT: Input = input("cut", "Cut to external assets, %", 10.0, 100.0);
static LOAN1: Input = input("loan1", "Bank 1's loan to bank 0", 4.0, BIG);
static EQ1: Input = Input {
    min: 0.001,
    ..input("eq1", "Bank 1 equity", 8.0, BIG)
};
static LOAN2: Input = input("loan2", "Bank 2's loan to bank 1", 3.0, BIG);
static EQ2: Input = Input {
    min: 0.001,
    ..input("eq2", "Bank 2 equity", 6.0, BIG)
};
static SHOCK: Input = input(
    "shock",
    "The shocked bank's loss, % of its equity",
    40.0,
    100.0,
);
static SHOCKED: Input = Input {
    step: 1.0,
    decimals: 0,
    ..input("shocked", "Which bank is shocked (0, 1 or 2)", 0.0, 2.0)
};
static V0: Input = Input {
    step: 0.5,
    ..input("v0", "Bank 0's economic weight", 1.0, 1_000.0)
};
static V1: Input = Input {
    step: 0.5,
    ..input("v1", "Bank 1's economic weight", 1.0, 1_000.0)
};
static V2: Input = Input {
    step: 0.5,
    ..input("v2", "Bank 2's economic weight", 1.0, 1_000.0)
};

/// The cut to external assets the example applies, as a fraction (the editable network uses it too).
pub fn cut(v: &Values) -> f64 {
    v.of(&CUT) / 100.0
}

pub static MODEL: Model = Model {
    slug: "systemic-leverage-contagion",
    inputs: &[
        &A0, &A1, &A2, &L0, &L1, &L2, &O0, &O1, &O2, &CUT, &LOAN1, &EQ1, &LOAN2, &EQ2, &SHOCK,
        &SHOCKED, &V0, &V1, &V2,
    ],
    compute,
    ladder: Some(Ladder {
        input: &CUT,
        from: 0.0,
        to: 40.0,
        answer: "Total equity after clearing",
        at: |v| {
            clear(v, v.of(&CUT) / 100.0)
                .ok()
                .map(|c| c.equity.iter().sum())
        },
    }),
};

/// The ring: bank 0 owes bank 1, bank 1 owes bank 2, bank 2 owes bank 0.
fn liabilities(v: &Values) -> Vec<Vec<f64>> {
    vec![
        vec![0.0, v.of(&O0), 0.0],
        vec![0.0, 0.0, v.of(&O1)],
        vec![v.of(&O2), 0.0, 0.0],
    ]
}

fn external_assets(v: &Values, cut: f64) -> [f64; 3] {
    [v.of(&A0), v.of(&A1), v.of(&A2)].map(|a| a * (1.0 - cut))
}

fn clear(v: &Values, cut: f64) -> lens_math::Result<lens_math::contagion::Clearing> {
    let external_liabilities = [v.of(&L0), v.of(&L1), v.of(&L2)];
    ClearingNetwork::from_balance_sheets(
        &liabilities(v),
        &external_assets(v, cut),
        &external_liabilities,
    )?
    .clearing_by_fictitious_default()
}

/// `₁` for 1: the subscripts the chain's sentence uses.
fn subscript(i: usize) -> &'static str {
    ["₀", "₁", "₂"].get(i).copied().unwrap_or("")
}

fn compute(v: &Values) -> Result<Outputs, Problem> {
    let owed = [v.of(&O0), v.of(&O1), v.of(&O2)];
    let net = [
        v.of(&A0) - v.of(&L0),
        v.of(&A1) - v.of(&L1),
        v.of(&A2) - v.of(&L2),
    ];
    // What each bank has if everyone pays in full: its own net assets plus what its debtor owes it.
    let have = [net[0] + owed[2], net[1] + owed[0], net[2] + owed[1]];
    let base = clear(v, 0.0)?;
    let cut = v.of(&CUT) / 100.0;
    let after = clear(v, cut)?;
    let iterated = {
        let external_liabilities = [v.of(&L0), v.of(&L1), v.of(&L2)];
        ClearingNetwork::from_balance_sheets(
            &liabilities(v),
            &external_assets(v, cut),
            &external_liabilities,
        )?
        .clearing_by_iteration(1e-12, 10_000)?
    };
    let cut_assets = external_assets(v, cut);
    let n = |x: f64| tidy(x, 3);
    let mut out: Outputs = vec![
        ("e0", n(net[0])),
        ("e1", n(net[1])),
        ("e2", n(net[2])),
        ("have0", n(have[0])),
        ("have1", n(have[1])),
        ("have2", n(have[2])),
        (
            "base-verdict",
            if base.default_round.iter().all(Option::is_none) {
                "everyone can pay in full"
            } else {
                "not everyone can pay in full"
            }
            .to_string(),
        ),
        ("cut-a0", n(cut_assets[0])),
        ("cut-a1", n(cut_assets[1])),
        ("cut-a2", n(cut_assets[2])),
        ("cut-e0", n(cut_assets[0] - v.of(&L0))),
        ("cut-e1", n(cut_assets[1] - v.of(&L1))),
        ("cut-e2", n(cut_assets[2] - v.of(&L2))),
    ];
    const KEYS: [[&str; 6]; 3] = [
        [
            "base-p0", "base-eq0", "cut-p0", "cut-eq0", "pays0", "iter-p0",
        ],
        [
            "base-p1", "base-eq1", "cut-p1", "cut-eq1", "pays1", "iter-p1",
        ],
        [
            "base-p2", "base-eq2", "cut-p2", "cut-eq2", "pays2", "iter-p2",
        ],
    ];
    for (i, [bp, be, cp, ce, pays, ip]) in KEYS.into_iter().enumerate() {
        let paid = after.payments[i];
        let defaults = paid + 1e-9 < owed[i];
        out.extend([
            (bp, n(base.payments[i])),
            (be, n(base.equity[i])),
            (cp, n(paid)),
            (ce, n(after.equity[i])),
            (
                pays,
                format!(
                    "{} of {}{}",
                    n(paid),
                    n(owed[i]),
                    if defaults { " (defaults)" } else { "" }
                ),
            ),
            (ip, n(iterated.payments[i])),
        ]);
    }
    let shocks: Vec<f64> = [v.of(&A0), v.of(&A1), v.of(&A2)]
        .iter()
        .map(|a| a * cut)
        .collect();
    let shortfall = owed[0] - after.payments[0];
    out.extend([
        ("base-total", n(base.equity.iter().sum())),
        ("cut-total", n(after.equity.iter().sum())),
        ("shock0", n(shocks[0])),
        ("shock1", n(shocks[1])),
        ("shock2", n(shocks[2])),
        ("shock-total", n(shocks.iter().sum())),
        (
            "bank1-fate",
            if after.equity[1] <= 1e-9 {
                "was wiped out".to_string()
            } else if after.equity[1] + 1e-9 >= base.equity[1] {
                format!("stayed at {}", n(after.equity[1]))
            } else {
                format!("fell to {}", n(after.equity[1]))
            },
        ),
        ("shortfall0", n(shortfall)),
    ]);

    let exposures = vec![
        vec![0.0, 0.0, 0.0],
        vec![v.of(&LOAN1), 0.0, 0.0],
        vec![0.0, v.of(&LOAN2), 0.0],
    ];
    let weights = [v.of(&V0), v.of(&V1), v.of(&V2)];
    let total_weight: f64 = weights.iter().sum();
    if total_weight <= 0.0 {
        return Err(Problem::at(
            &V0,
            "At least one bank needs an economic weight above zero.",
        ));
    }
    let network = DebtRankNetwork::new(&exposures, &[10.0, v.of(&EQ1), v.of(&EQ2)], &weights)?;
    // The chain runs 0 → 1 → 2 (each bank's lender is the next one).
    let shocked = (v.of(&SHOCKED).round().clamp(0.0, 2.0)) as usize;
    let mut initial = [0.0; 3];
    initial[shocked] = v.of(&SHOCK) / 100.0;
    let outcome = network.run(&initial)?;
    let h = &outcome.distress;
    let w = [network.impact(0, 1), network.impact(1, 2)];
    let step = |from: usize| {
        let product = w[from] * h[from];
        format!(
            "h{} = {} × {} = {}{}",
            subscript(from + 1),
            n(w[from]),
            n(h[from]),
            n(h[from + 1]),
            if product > 1.0 {
                " (capped at all of its equity)"
            } else {
                ""
            }
        )
    };
    let chain = match shocked {
        0 => format!(
            "so h₀ = {}. At the next step {}, and then {}.",
            n(h[0]),
            step(0),
            step(1)
        ),
        1 => format!(
            "so h₁ = {}. At the next step {}; bank 0 lent to no one here, so h₀ stays 0.",
            n(h[1]),
            step(1)
        ),
        _ => format!(
            "so h₂ = {}. Nobody borrowed from bank 2's lenders in this chain, so nothing passes on.",
            n(h[2])
        ),
    };
    let shares: Vec<f64> = weights.iter().map(|x| x / total_weight).collect();
    let equal = weights.iter().all(|x| (x - weights[0]).abs() < 1e-12);
    let (shares_text, sum_text) = if equal {
        (
            "1/3 each".to_string(),
            format!(
                "({} + {} + {})/3 − {}/3",
                n(h[0]),
                n(h[1]),
                n(h[2]),
                n(initial[shocked])
            ),
        )
    } else {
        let share = |x: f64| tidy(x, 3);
        (
            format!(
                "{}, {} and {}",
                share(shares[0]),
                share(shares[1]),
                share(shares[2])
            ),
            format!(
                "{} × {} + {} × {} + {} × {} − {} × {}",
                share(shares[0]),
                n(h[0]),
                share(shares[1]),
                n(h[1]),
                share(shares[2]),
                n(h[2]),
                share(shares[shocked]),
                n(initial[shocked])
            ),
        )
    };
    out.extend([
        ("w1", n(w[0])),
        ("w2", n(w[1])),
        ("chain", chain),
        ("shares", shares_text),
        ("r-sum", sum_text),
        ("r", n(outcome.debt_rank)),
        ("r-pct", tidy(outcome.debt_rank * 100.0, 2)),
        (
            "r-note",
            if h.iter().any(|x| *x >= 1.0) {
                "and a bank's equity is wiped out"
            } else {
                "even though no one defaulted"
            }
            .to_string(),
        ),
    ]);
    Ok(out)
}
