//! Systemic leverage contagion: Eisenberg–Noe clearing of Barucca's three-bank ring, before and after a cut to
//! external assets, and DebtRank on a chain.

use lens_math::contagion::{ClearingNetwork, DebtRankNetwork};

use super::{Input, Ladder, Model, Outputs, Problem, Values, tidy};

const fn input(key: &'static str, label: &'static str, default: f64, max: f64) -> Input {
    Input {
        key,
        label,
        default,
        min: 0.0,
        max,
        step: 1.0,
        decimals: 3,
    }
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
static SHOCK: Input = input("shock", "Bank 0's loss, % of its equity", 40.0, 100.0);

/// The cut to external assets the example applies, as a fraction (the editable network uses it too).
pub fn cut(v: &Values) -> f64 {
    v.of(&CUT) / 100.0
}

pub static MODEL: Model = Model {
    slug: "systemic-leverage-contagion",
    inputs: &[
        &A0, &A1, &A2, &L0, &L1, &L2, &O0, &O1, &O2, &CUT, &LOAN1, &EQ1, &LOAN2, &EQ2, &SHOCK,
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
    let network = DebtRankNetwork::new(&exposures, &[10.0, v.of(&EQ1), v.of(&EQ2)], &[1.0; 3])?;
    let h0 = v.of(&SHOCK) / 100.0;
    let outcome = network.run(&[h0, 0.0, 0.0])?;
    let h = &outcome.distress;
    out.extend([
        ("w1", n(network.impact(0, 1))),
        ("w2", n(network.impact(1, 2))),
        ("h0", n(h[0])),
        ("h1", n(h[1])),
        ("h2", n(h[2])),
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
