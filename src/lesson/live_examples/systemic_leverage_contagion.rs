//! Systemic Leverage Contagion: four institutions that owe each other. A loss at Exchange A is cleared
//! through the network the Eisenberg–Noe way (everyone pays what they can, pro rata, at once), which shows who
//! defaults and in what order; DebtRank shows how far the distress spreads before anyone defaults. There is no
//! public data on who owes whom, so the network is a toy the visitor reshapes with the controls.

use lens_math::contagion::{Clearing, ClearingNetwork, DebtRankNetwork};

use crate::chart::figure::{
    Axis, ChartTable, CurveFigure, CurveLine, CurveMarker, Figure, NetworkFigure, Panel,
};
use crate::chart::{NetworkEdge, NodeState, Tone, Unit};
use crate::lesson::controls::{ControlKind, ControlSpec};
use crate::lesson::read::caption;
use crate::lesson::text::{num, pct};
use crate::lesson::{Example, Fact, LiveExample, Unavailable};
use crate::market::dataset::DataSet;

const NAMES: [&str; 4] = ["Exchange A", "Fund B", "Lender C", "Market maker D"];
/// What each institution owes each other one at link 1 (row owes column, USD millions): the exchange owes the
/// lender most, so the lender is the one a failing exchange drags down.
const LIABILITIES: [[f64; 4]; 4] = [
    [0.0, 3.0, 30.0, 2.0],
    [0.0, 0.0, 8.0, 0.0],
    [0.0, 3.0, 0.0, 2.0],
    [5.0, 0.0, 5.0, 0.0],
];
/// Assets held outside the network (coins, cash), USD millions.
const EXTERNAL_ASSETS: [f64; 4] = [100.0, 60.0, 40.0, 50.0];

const SHOCK: ControlSpec = ControlSpec {
    key: "shock",
    label: "Loss on Exchange A's own assets",
    kind: ControlKind::Number {
        min: 0.0,
        max: 100.0,
        step: 1.0,
        default: Some(30.0),
        unit: "%",
    },
};

const EXPOSURE: ControlSpec = ControlSpec {
    key: "link",
    label: "Size of the mutual exposures",
    kind: ControlKind::Number {
        min: 0.2,
        max: 3.0,
        step: 0.1,
        default: Some(1.0),
        unit: "×",
    },
};

const EQUITY_BUFFER: ControlSpec = ControlSpec {
    key: "buffer",
    label: "Equity buffer",
    kind: ControlKind::Number {
        min: 1.0,
        max: 50.0,
        step: 1.0,
        default: Some(10.0),
        unit: "%",
    },
};

const CONTROLS: &[ControlSpec] = &[SHOCK, EXPOSURE, EQUITY_BUFFER];

pub static LIVE_EXAMPLE: LiveExample = LiveExample {
    slug: "systemic-leverage-contagion",
    controls: CONTROLS,
    needs: &[],
    primary: None,
    build,
};

/// Balance sheets before the shock.
struct Network {
    liabilities: Vec<Vec<f64>>,
    external_assets: Vec<f64>,
    external_liabilities: Vec<f64>,
    total_assets: Vec<f64>,
    equity: Vec<f64>,
}

/// Scales the exposures by `link` and sets outside debt so that equity is `buffer` of total assets. An
/// institution whose network debt alone would exceed that holds just enough more outside assets to keep it.
fn network(link: f64, buffer: f64) -> Network {
    let liabilities: Vec<Vec<f64>> = LIABILITIES
        .iter()
        .map(|row| row.iter().map(|l| l * link).collect())
        .collect();
    let (mut external_assets, mut external_liabilities) = (Vec::new(), Vec::new());
    let (mut total_assets, mut equity) = (Vec::new(), Vec::new());
    for (i, (own, row)) in EXTERNAL_ASSETS.iter().zip(&liabilities).enumerate() {
        let owed_to: f64 = liabilities.iter().filter_map(|r| r.get(i)).sum();
        let owes: f64 = row.iter().sum();
        let own = own.max(owes / (1.0 - buffer) - owed_to);
        let total = own + owed_to;
        let outside_debt = ((1.0 - buffer) * total - owes).max(0.0);
        external_assets.push(own);
        external_liabilities.push(outside_debt);
        total_assets.push(total);
        equity.push(total - outside_debt - owes);
    }
    Network {
        liabilities,
        external_assets,
        external_liabilities,
        total_assets,
        equity,
    }
}

/// Clearing and what creditors of the defaulted firms get back.
struct Outcome {
    clearing: Clearing,
    obligations: Vec<f64>,
    /// Σ payments ÷ Σ obligations over the defaulted firms; `None` when nobody defaults.
    recovery: Option<f64>,
}

fn clear(
    liabilities: &[Vec<f64>],
    external_assets: &[f64],
    external_liabilities: &[f64],
) -> Result<Outcome, Unavailable> {
    let net =
        ClearingNetwork::from_balance_sheets(liabilities, external_assets, external_liabilities)
            .and_then(|n| {
                n.clearing_by_fictitious_default()
                    .map(|c| (n.obligations().to_vec(), c))
            })
            .map_err(|e| Unavailable::new(format!("The network cannot be cleared: {e}.")))?;
    let (obligations, clearing) = net;
    let (mut paid, mut owed) = (0.0, 0.0);
    for ((p, o), d) in clearing
        .payments
        .iter()
        .zip(&obligations)
        .zip(&clearing.default_round)
    {
        if d.is_some() {
            (paid, owed) = (paid + p, owed + o);
        }
    }
    let recovery = (owed > 0.0).then(|| paid / owed);
    Ok(Outcome {
        clearing,
        obligations,
        recovery,
    })
}

/// "Exchange A defaults in round 1; Lender C follows in round 2; 2 of 4 institutions default …".
/// `named` is the institution the opening already names, called "it".
fn story(names: &[&str], opening: &str, named: Option<usize>, outcome: &Outcome) -> String {
    let order = outcome.clearing.default_order();
    let Some(&(first, first_round)) = order.first() else {
        return format!(
            "{opening} is absorbed: no institution defaults and every creditor is paid in full."
        );
    };
    let name = |i: usize| names.get(i).copied().unwrap_or("?");
    let subject = if named == Some(first) {
        "it"
    } else {
        name(first)
    };
    let mut text = format!("{opening} makes {subject} default in round {first_round}");
    let mut round = first_round;
    let mut group: Vec<&str> = Vec::new();
    let flush = |text: &mut String, group: &mut Vec<&str>, round: usize| {
        if !group.is_empty() {
            let verb = if group.len() == 1 {
                "follows"
            } else {
                "follow"
            };
            text.push_str(&format!(
                "; {} {verb} in round {round}",
                group.join(" and ")
            ));
            group.clear();
        }
    };
    for &(i, r) in order.iter().skip(1) {
        if r != round {
            flush(&mut text, &mut group, round);
            round = r;
        }
        group.push(name(i));
    }
    flush(&mut text, &mut group, round);
    format!(
        "{text}; {} of {} institutions default and their creditors recover {} of what they are owed.",
        order.len(),
        names.len(),
        pct(outcome.recovery.unwrap_or(1.0), 0)
    )
}

/// Clearing, then DebtRank (the network's part, and the whole value hit including the first loss), for a loss
/// of `shock` on Exchange A's outside assets.
fn shocked(net: &Network, shock: f64) -> Result<(Outcome, f64, f64), Unavailable> {
    let mut assets = net.external_assets.clone();
    if let Some(a) = assets.get_mut(0) {
        *a *= 1.0 - shock;
    }
    let outcome = clear(&net.liabilities, &assets, &net.external_liabilities)?;
    // i lent to j what j owes i.
    let exposures: Vec<Vec<f64>> = (0..NAMES.len())
        .map(|i| {
            net.liabilities
                .iter()
                .map(|row| row.get(i).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    let first_hit = net.external_assets.first().copied().unwrap_or(0.0) * shock
        / net.equity.first().copied().unwrap_or(f64::NAN);
    let mut initial = vec![0.0; NAMES.len()];
    if let Some(h) = initial.first_mut() {
        *h = first_hit.clamp(0.0, 1.0);
    }
    let ranked = DebtRankNetwork::new(&exposures, &net.equity, &net.total_assets)
        .and_then(|d| d.run(&initial))
        .map_err(|e| Unavailable::new(format!("DebtRank cannot be computed: {e}.")))?;
    let value: f64 = net.total_assets.iter().sum();
    let hit = ranked
        .distress
        .iter()
        .zip(&net.total_assets)
        .map(|(h, v)| h * v)
        .sum::<f64>()
        / value;
    Ok((outcome, ranked.debt_rank, hit))
}

fn build(set: &DataSet, c: &crate::lesson::Controls) -> Result<Example, Unavailable> {
    let (shock, link, buffer) = (
        c.number(&SHOCK) / 100.0,
        c.number(&EXPOSURE),
        c.number(&EQUITY_BUFFER) / 100.0,
    );
    let net = network(link, buffer);
    let (outcome, debt_rank, value_hit) = shocked(&net, shock)?;
    let clearing = &outcome.clearing;
    let defaults = clearing.default_order().len();
    let largest = net.total_assets.iter().copied().fold(0.0, f64::max);
    let nodes = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let after = clearing.equity.get(i).copied().unwrap_or(0.0);
            let before = net.equity.get(i).copied().unwrap_or(0.0);
            let state = if clearing.default_round.get(i).copied().flatten().is_some() {
                NodeState::Defaulted
            } else if after < before - 1e-9 {
                NodeState::Stressed
            } else {
                NodeState::Solvent
            };
            (
                name.to_string(),
                state,
                net.total_assets.get(i).copied().unwrap_or(0.0) / largest,
            )
        })
        .collect();
    let edges = net
        .liabilities
        .iter()
        .enumerate()
        .flat_map(|(from, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, w)| **w > 0.0)
                .map(move |(to, w)| NetworkEdge {
                    from,
                    to,
                    weight: *w,
                })
        })
        .collect();
    let rows = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cell = |v: Option<&f64>| v.map_or("–".to_string(), |v| num(*v, 1));
            vec![
                name.to_string(),
                cell(outcome.obligations.get(i)),
                cell(clearing.payments.get(i)),
                cell(net.equity.get(i)),
                cell(clearing.equity.get(i)),
                clearing
                    .default_round
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or("–".to_string(), |r| r.to_string()),
            ]
        })
        .collect();
    let opening = format!("A {} loss at Exchange A", pct(shock, 0));
    let network_panel = Panel {
        id: "network",
        title: "Who owes whom, and who defaults".into(),
        figure: Figure::Network(NetworkFigure { nodes, edges }),
        summary: format!(
            "Four institutions linked by what they owe each other; after {} on Exchange A's own assets, {defaults} of 4 default.",
            pct(shock, 0)
        ),
        caption: caption(
            set,
            &[],
            "Toy network, USD millions; arrows run from debtor to creditor",
        ),
        table: ChartTable::new(
            &[
                "Institution",
                "Owes the network",
                "Pays",
                "Equity before",
                "Equity after",
                "Defaults in round",
            ],
            rows,
        ),
    };

    let shocks: Vec<f64> = (0..=20).map(|s| f64::from(s) * 0.05).collect();
    let (mut paid, mut ranks, mut table) = (Vec::new(), Vec::new(), Vec::new());
    for &s in &shocks {
        let (o, r, _) = shocked(&net, s)?;
        let share = o.clearing.payments.iter().sum::<f64>() / o.obligations.iter().sum::<f64>();
        table.push(vec![
            pct(s, 0),
            o.clearing.default_order().len().to_string(),
            pct(share, 1),
            num(r, 2),
        ]);
        paid.push(share);
        ranks.push(r);
    }
    let xs: Vec<f64> = shocks.iter().map(|s| s * 100.0).collect();
    let paid_now = clearing.payments.iter().sum::<f64>() / outcome.obligations.iter().sum::<f64>();
    let sweep_panel = Panel {
        id: "sweep",
        title: "Debts paid and distress spread against the size of the loss".into(),
        figure: Figure::Curve(CurveFigure {
            curves: vec![
                CurveLine {
                    label: "Network debts paid (Eisenberg–Noe)".into(),
                    xs: xs.clone(),
                    ys: paid,
                },
                CurveLine {
                    label: "DebtRank".into(),
                    xs,
                    ys: ranks,
                },
            ],
            markers: vec![CurveMarker {
                x: shock * 100.0,
                label: opening.clone(),
                tone: Tone::Short,
            }],
            x: Axis::new("Loss on Exchange A's own assets, %", Unit::Suffix("%")),
            y: Axis::new("Share", Unit::Percent),
            zero_line: false,
        }),
        summary: format!(
            "As the loss at Exchange A grows, the share of network debts paid falls from 100 % and DebtRank rises; at {} the network pays {} and DebtRank is {}.",
            pct(shock, 0),
            pct(paid_now, 1),
            num(debt_rank, 2)
        ),
        caption: caption(
            set,
            &[],
            "Eisenberg–Noe clearing and DebtRank on the toy network",
        ),
        table: ChartTable::new(&["Loss", "Defaults", "Debts paid", "DebtRank"], table),
    };
    let reading = format!(
        "{} DebtRank: {} of the system's economic value is hit, {} of it passed on through the network.",
        story(&NAMES, &opening, Some(0), &outcome),
        num(value_hit, 2),
        num(debt_rank, 2)
    );
    Ok(Example {
        reading,
        facts: vec![
            Fact::new(
                "defaults",
                "Institutions in default",
                format!("{defaults} of 4"),
            ),
            Fact::new(
                "recovery",
                "Recovered by creditors of defaulters",
                outcome.recovery.map_or("–".into(), |r| pct(r, 0)),
            ),
            Fact::new("debts-paid", "Network debts paid", pct(paid_now, 1)),
            Fact::new(
                "debt-rank",
                "DebtRank (passed on by the network)",
                num(debt_rank, 2),
            ),
            Fact::new("value-hit", "Economic value hit", num(value_hit, 2)),
        ],
        panels: vec![network_panel, sweep_panel],
        notes: Vec::new(),
        venues: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing::{controls, fact};
    use crate::market::sample::sample_dataset;

    fn run(query: &[(&str, &str)]) -> Example {
        let c = controls(CONTROLS, query);
        build(&sample_dataset(), &c).unwrap()
    }

    /// Barucca's teaching exercise (github paolobarucca/eisenbergnoe, Exercise2.m) after a
    /// 10 % cut to external assets, through the same clearing and wording: bank 0 pays 3 of its 4 and defaults.
    #[test]
    fn barucca_exercise_through_the_live_example() {
        let l = vec![
            vec![0.0, 4.0, 0.0],
            vec![0.0, 0.0, 3.0],
            vec![2.0, 0.0, 0.0],
        ];
        let outcome = clear(&l, &[18.0, 18.0, 9.0], &[17.0, 18.0, 8.0]).unwrap();
        assert_eq!(outcome.clearing.payments, vec![3.0, 3.0, 2.0]);
        assert_eq!(outcome.clearing.equity, vec![0.0, 0.0, 2.0]);
        let text = story(
            &["Bank 0", "Bank 1", "Bank 2"],
            "A 10 % cut",
            None,
            &outcome,
        );
        assert_eq!(
            text,
            "A 10 % cut makes Bank 0 default in round 1; 1 of 3 institutions default and their creditors recover 75 % of what they are owed."
        );
    }

    /// The recovery fact against a clearing vector found by plain fixed-point iteration from full payment.
    #[test]
    fn recovery_matches_a_plain_iteration() {
        let net = network(1.0, 0.10);
        let mut e: Vec<f64> = (0..4)
            .map(|i| net.external_assets[i] - net.external_liabilities[i])
            .collect();
        e[0] -= 0.30 * net.external_assets[0];
        let owed: Vec<f64> = net.liabilities.iter().map(|r| r.iter().sum()).collect();
        let mut p = owed.clone();
        for _ in 0..10_000 {
            p = (0..4)
                .map(|i| {
                    let inflow: f64 = (0..4).map(|j| net.liabilities[j][i] / owed[j] * p[j]).sum();
                    (e[i] + inflow).max(0.0).min(owed[i])
                })
                .collect();
        }
        let defaulted: Vec<usize> = (0..4).filter(|&i| p[i] < owed[i] - 1e-9).collect();
        let recovery = defaulted.iter().map(|&i| p[i]).sum::<f64>()
            / defaulted.iter().map(|&i| owed[i]).sum::<f64>();
        let ex = run(&[]);
        assert_eq!(fact(&ex, "recovery"), pct(recovery, 0));
        assert_eq!(fact(&ex, "defaults"), format!("{} of 4", defaulted.len()));
        assert!(
            ex.reading
                .contains("Exchange A makes it default in round 1"),
            "{}",
            ex.reading
        );
    }

    fn count(e: &Example) -> usize {
        fact(e, "defaults")
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    fn rank(e: &Example) -> f64 {
        fact(e, "value-hit").parse().unwrap()
    }

    #[test]
    fn bigger_losses_and_links_spread_more_and_buffers_stop_it() {
        let base = run(&[]);
        let small = run(&[("shock", "5")]);
        let big = run(&[("shock", "80")]);
        assert!(count(&small) <= count(&base) && count(&base) <= count(&big));
        assert!(rank(&small) < rank(&base) && rank(&base) <= rank(&big));
        assert!(rank(&run(&[("link", "3")])) >= rank(&base));
        assert!(rank(&run(&[("link", "0.3")])) < rank(&base));
        assert_eq!(count(&run(&[("buffer", "40")])), 0);
        assert!(
            run(&[("shock", "0")])
                .reading
                .contains("no institution defaults")
        );
    }
}
