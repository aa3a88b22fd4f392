use super::*;
use proptest::prelude::*;

const BARUCCA_L: [[f64; 3]; 3] = [[0.0, 4.0, 0.0], [0.0, 0.0, 3.0], [2.0, 0.0, 0.0]];

fn barucca(external_assets: [f64; 3]) -> ClearingNetwork {
    let l: Vec<Vec<f64>> = BARUCCA_L.iter().map(|r| r.to_vec()).collect();
    ClearingNetwork::from_balance_sheets(&l, &external_assets, &[17.0, 18.0, 8.0]).unwrap()
}

fn both_methods(net: &ClearingNetwork) -> [Clearing; 2] {
    [
        net.clearing_by_iteration(1e-13, 1_000_000).unwrap(),
        net.clearing_by_fictitious_default().unwrap(),
    ]
}

fn assert_close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9),
        "{a:?} vs {b:?}"
    );
}

/// Barucca, github.com/paolobarucca/eisenbergnoe Exercise2.m (glossary term 10), no shock:
/// e = [3, 2, 2], everyone pays in full, p* = [4, 3, 2], equity [1, 3, 3].
#[test]
fn barucca_exercise_without_shock_clears_in_full() {
    let net = barucca([20.0, 20.0, 10.0]);
    assert_eq!(net.external(), &[3.0, 2.0, 2.0]);
    assert_eq!(net.obligations(), &[4.0, 3.0, 2.0]);
    for clearing in both_methods(&net) {
        assert_close(&clearing.payments, &[4.0, 3.0, 2.0]);
        assert_close(&clearing.equity, &[1.0, 3.0, 3.0]);
        assert!(clearing.default_order().is_empty());
    }
}

/// Same exercise, external assets cut 10 % to [18, 18, 9]: e = [1, 0, 1], p* = [3, 3, 2], equity [0, 0, 2]; bank 0
/// defaults in the first round, bank 1 pays exactly its 3. Total equity falls by the shock, 7 → 2.
#[test]
fn barucca_exercise_with_ten_percent_cut_matches_the_page() {
    let net = barucca([18.0, 18.0, 9.0]);
    assert_eq!(net.external(), &[1.0, 0.0, 1.0]);
    for clearing in both_methods(&net) {
        assert_close(&clearing.payments, &[3.0, 3.0, 2.0]);
        assert_close(&clearing.equity, &[0.0, 0.0, 2.0]);
        assert_eq!(clearing.default_order(), vec![(0, 1)]);
    }
    let fda = net.clearing_by_fictitious_default().unwrap();
    assert_eq!(fda.rounds, 2);
}

/// Eisenberg & Noe (2001): a ring with no outside cash clears at any c·(1, 1, 1), c in [0, 10]; both methods return
/// the greatest, [10, 10, 10].
#[test]
fn ring_without_cash_returns_the_greatest_clearing_vector() {
    let ring = vec![
        vec![0.0, 10.0, 0.0],
        vec![0.0, 0.0, 10.0],
        vec![10.0, 0.0, 0.0],
    ];
    let net = ClearingNetwork::new(&ring, &[0.0; 3]).unwrap();
    for clearing in both_methods(&net) {
        assert_close(&clearing.payments, &[10.0; 3]);
        assert_close(&clearing.equity, &[0.0; 3]);
    }
}

/// Hand-checked (python3 brute-force iteration): firm 0 has external debts 15 above its external assets, so it
/// pays nothing; firm 1 then only has its own 8: p* = [0, 8, 0], equity [−11, 0, 4].
#[test]
fn negative_external_position_pays_nothing_and_both_methods_agree() {
    let l = vec![
        vec![0.0, 10.0, 0.0],
        vec![5.0, 0.0, 5.0],
        vec![0.0, 0.0, 0.0],
    ];
    let net = ClearingNetwork::new(&l, &[-15.0, 8.0, 0.0]).unwrap();
    for clearing in both_methods(&net) {
        assert_close(&clearing.payments, &[0.0, 8.0, 0.0]);
        assert_close(&clearing.equity, &[-11.0, 0.0, 4.0]);
        assert_eq!(clearing.default_order().first(), Some(&(0, 1)));
    }
}

/// A shrunk proptest case (kept in proptest-regressions too): firm 2's value at the clearing vector is −0.008,
/// so close to 0 that plain iteration needs about 10,000 sweeps to find it; the fictitious default algorithm
/// must settle it in at most n + 1 rounds. Expected payments from a python3 brute-force iteration.
#[test]
fn a_barely_insolvent_firm_is_settled_within_n_plus_one_rounds() {
    let l = vec![
        vec![
            0.0,
            0.0,
            11.711546805008505,
            8.865249366113156,
            0.0,
            0.0,
            0.0,
        ],
        vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 13.432414658714972],
        vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.005534889305917],
        vec![
            0.0,
            5.289855107212059,
            0.0,
            0.0,
            0.0,
            0.0,
            15.948106139637188,
        ],
        vec![
            0.0,
            0.0,
            0.0,
            11.041023613051399,
            0.0,
            18.204513930993617,
            0.0,
        ],
        vec![0.0, 0.0, 0.0, 11.575444858163555, 0.0, 0.0, 0.0],
        vec![
            0.0,
            0.0,
            19.780402654337635,
            0.0,
            17.853515137210174,
            0.0,
            0.0,
        ],
    ];
    let e = [
        1.5751879793275911,
        5.858076997968215,
        -3.85280086219148,
        -4.38878402815703,
        3.3726564554747136,
        -0.48261027689414243,
        -2.089755893735427,
    ];
    let fda = ClearingNetwork::new(&l, &e)
        .unwrap()
        .clearing_by_fictitious_default()
        .unwrap();
    let expected = [
        1.575_187_979,
        6.316_611_362,
        0.0,
        1.840_945_520,
        6.033_690_237,
        3.273_189_999,
        5.609_266_624,
    ];
    assert!(
        fda.payments
            .iter()
            .zip(expected)
            .all(|(p, x)| (p - x).abs() < 1e-8),
        "{:?}",
        fda.payments
    );
    assert!(fda.rounds <= 8);
}

#[test]
fn bad_inputs_give_typed_errors() {
    let l = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
    assert!(ClearingNetwork::new(&[], &[]).is_err());
    assert!(matches!(
        ClearingNetwork::new(&l, &[1.0]),
        Err(MathError::LengthMismatch { .. })
    ));
    assert!(matches!(
        ClearingNetwork::new(&[vec![0.0], vec![1.0, 0.0]], &[1.0, 1.0]),
        Err(MathError::LengthMismatch { .. })
    ));
    assert!(matches!(
        ClearingNetwork::new(&l, &[f64::NAN, 1.0]),
        Err(MathError::NotFinite { .. })
    ));
    assert!(
        ClearingNetwork::new(&[vec![0.0, f64::INFINITY], vec![1.0, 0.0]], &[1.0, 1.0]).is_err()
    );
    assert!(ClearingNetwork::new(&[vec![0.0, -1.0], vec![1.0, 0.0]], &[1.0, 1.0]).is_err());
    assert!(ClearingNetwork::new(&[vec![1.0, 1.0], vec![1.0, 0.0]], &[1.0, 1.0]).is_err());
    assert!(ClearingNetwork::new(&[vec![0.0, f64::MAX], vec![0.0, 0.0]], &[1.0, 1.0]).is_ok());
    assert!(
        ClearingNetwork::new(
            &[vec![0.0, f64::MAX, f64::MAX], vec![0.0; 3], vec![0.0; 3]],
            &[1.0; 3]
        )
        .is_err()
    );
    assert!(ClearingNetwork::from_balance_sheets(&l, &[1.0, 1.0], &[1.0]).is_err());
    assert!(ClearingNetwork::from_balance_sheets(&l, &[1.0, 1.0], &[1.0, f64::NAN]).is_err());
    let net = ClearingNetwork::new(&l, &[0.5, 0.0]).unwrap();
    for tol in [0.0, -1.0, f64::NAN] {
        assert!(net.clearing_by_iteration(tol, 10).is_err());
    }
    assert!(matches!(
        net.clearing_by_iteration(1e-15, 0),
        Err(MathError::NoConvergence { .. })
    ));
}

/// Random networks of up to 8 firms with a sparse liability matrix.
fn network() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>)> {
    (2usize..8).prop_flat_map(|n| {
        let cells = prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..20.0], n * n);
        let external = prop::collection::vec(-5.0f64..10.0, n);
        (cells, external).prop_map(move |(cells, external)| {
            let l = (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| if i == j { 0.0 } else { cells[i * n + j] })
                        .collect()
                })
                .collect();
            (l, external)
        })
    })
}

proptest! {
    /// Iteration from p̄ and the fictitious default algorithm land on the same greatest clearing vector.
    #[test]
    fn iteration_and_fictitious_default_agree((l, e) in network()) {
        let net = ClearingNetwork::new(&l, &e).unwrap();
        let [iter, fda] = both_methods(&net);
        for (a, b) in iter.payments.iter().zip(&fda.payments) {
            prop_assert!((a - b).abs() < 1e-8, "{:?} vs {:?}", iter.payments, fda.payments);
        }
    }

    /// Payments stay within [0, p̄], clear the network, and total equity equals total net external assets.
    #[test]
    fn payments_never_exceed_obligations_and_clear((l, e) in network()) {
        let net = ClearingNetwork::new(&l, &e).unwrap();
        let clearing = net.clearing_by_fictitious_default().unwrap();
        let available = net.available(&clearing.payments);
        for ((&p, &owed), &v) in clearing.payments.iter().zip(net.obligations()).zip(&available) {
            prop_assert!((0.0..=owed).contains(&p));
            prop_assert!((p - v.max(0.0).min(owed)).abs() < 1e-9);
        }
        let total_equity: f64 = clearing.equity.iter().sum();
        prop_assert!((total_equity - e.iter().sum::<f64>()).abs() < 1e-9);
        let defaulted = clearing.payments.iter().zip(net.obligations()).filter(|(p, o)| **p < **o - 1e-9).count();
        prop_assert_eq!(defaulted, clearing.default_order().len());
    }
}
