use super::*;
use proptest::prelude::*;

fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// Bybit help centre, "Order Cost (Inverse Contract)": buy 10,000 BTCUSD at 6,400 USD, 25× (IM rate 4 %),
/// taker 0.075 %. Printed: IM 0.0625 BTC, fee to open 0.00117188 BTC, bankruptcy price "6,154", fee to close
/// 0.00121872 BTC (charged at the rounded bankruptcy price 6,154), order cost 0.06489060 BTC.
#[test]
fn order_cost_matches_bybits_inverse_example() {
    let cost = inverse_order_cost(Side::Long, 10_000.0, 6_400.0, 25.0, 0.000_75).unwrap();
    assert_eq!(cost.initial_margin_coin, 0.0625);
    assert_eq!(round_to(cost.fee_to_open_coin, 8), 0.001_171_88);
    let bp = cost.bankruptcy_price.unwrap();
    assert!((bp - 160_000.0 / 26.0).abs() < 1e-9);
    assert_eq!(round_to_half_dollar(bp, Side::Long), 6_154.0);
    // The page charges the fee at the rounded price; at the exact price it is 0.00121875.
    assert_eq!(
        round_to(
            10_000.0 / round_to_half_dollar(bp, Side::Long) * 0.000_75,
            8
        ),
        0.001_218_72
    );
    assert_eq!(round_to(cost.fee_to_close_coin, 8), 0.001_218_75);
    assert_eq!(
        round_to(0.0625 + 0.001_171_88 + 0.001_218_72, 8),
        0.064_890_6
    );
    assert!((cost.total_coin() - 0.064_890_6).abs() < 1e-7);
}

/// Bybit help centre, "Order Cost (Perpetuals & Futures Trading)", inverse example: 10,000 USD of ETHUSD long at
/// 2,000 USD, 25×, taker 0.055 %: IM 0.2 ETH, fee to open 0.00275 ETH, fee to close 5 × 1.04 × 0.055 % =
/// 0.00286 ETH, total 0.20561 ETH.
#[test]
fn order_cost_matches_bybits_current_inverse_example() {
    let cost = inverse_order_cost(Side::Long, 10_000.0, 2_000.0, 25.0, 0.000_55).unwrap();
    assert!((cost.initial_margin_coin - 0.2).abs() < 1e-15);
    assert!((cost.fee_to_open_coin - 0.002_75).abs() < 1e-15);
    assert!((cost.fee_to_close_coin - 0.002_86).abs() < 1e-15);
    assert!((cost.total_coin() - 0.205_61).abs() < 1e-15);
    // A sell closes at the higher bankruptcy price, so its fee to close is smaller: 5 × 0.96 × 0.055 %.
    let sell = inverse_order_cost(Side::Short, 10_000.0, 2_000.0, 25.0, 0.000_55).unwrap();
    assert!((sell.fee_to_close_coin - 0.002_64).abs() < 1e-15);
}

/// Bybit help centre, "How to calculate Liquidation Price (Inverse Contract)", cross margin: balance 0.5 BTC,
/// buy 10,000 contracts at 8,000 USD, no other order, MM 0.5 %, taker 0.075 %. Printed: bankruptcy price
/// `1.00075 × 10,000 / (10,000/8,000 + 0.5)` = 5,718.57; liquidation price from
/// `10,000 × (1/8,000 − 1/LP) = −(0.5 − 10,000/8,000 × 0.5 % − 10,000 × 0.00075 / 5,718.57)` = 5,739.50, the
/// exact root 5,739.08 rounded up to the next 0.5 as Bybit rounds a long's levels.
#[test]
fn levels_match_bybits_inverse_cross_example_with_the_fee_to_close() {
    let long = InverseTerms {
        side: Side::Long,
        contracts_usd: 10_000.0,
        entry_price: 8_000.0,
        wallet_coin: 0.5,
        maintenance_rate: 0.005,
        taker_fee: 0.000_75,
    };
    let levels = inverse_levels(&long, MaintenanceBase::Entry).unwrap();
    let bp = levels.bankruptcy_price.unwrap();
    assert_eq!(round_to(bp, 2), 5_718.57);
    let lp = levels.liquidation_price.unwrap();
    assert!((lp - 5_739.08).abs() < 0.005, "{lp}");
    assert_eq!(round_to_half_dollar(lp, Side::Long), 5_739.5);
    // Without the fee to close the long would be liquidated lower: the fee is a claim on the same coin.
    let no_fee = inverse_levels(
        &InverseTerms {
            taker_fee: 0.0,
            ..long
        },
        MaintenanceBase::Entry,
    )
    .unwrap();
    assert!(no_fee.liquidation_price.unwrap() < lp);
}

/// Bybit help centre, "Trading Rules: Liquidation Process (Unified Trading Account)", inverse short example as
/// transcribed by a third party (Bybit's printed price was not in the copy we could read): short 30,000 USD
/// at 60,000 USD, 10×, MMR 0.5 %, taker 0.055 %, no extra margin. Fee to close
/// `0.5 × (1 − 1/10) × 0.055 %` = 0.0002475 BTC, IM 0.0502475 BTC, MM 0.0027475 BTC,
/// `LP = 30,000 × (1 − 0.005) / (0.5 − 0.05)` = 66,333.33.
#[test]
fn levels_match_bybits_unified_account_inverse_short_example() {
    let cost = inverse_order_cost(Side::Short, 30_000.0, 60_000.0, 10.0, 0.000_55).unwrap();
    assert!((cost.fee_to_close_coin - 0.000_247_5).abs() < 1e-15);
    assert!((cost.position_wallet_coin() - 0.050_247_5).abs() < 1e-15);
    let short = InverseTerms {
        side: Side::Short,
        contracts_usd: 30_000.0,
        entry_price: 60_000.0,
        wallet_coin: cost.position_wallet_coin(),
        maintenance_rate: 0.005,
        taker_fee: 0.000_55,
    };
    let levels = inverse_levels(&short, MaintenanceBase::Mark).unwrap();
    // The wallet the order cost reserves pays exactly the fee at the order's bankruptcy price.
    assert!((levels.fee_to_close_coin - 0.000_247_5).abs() < 1e-12);
    assert!((levels.bankruptcy_price.unwrap() - 60_000.0 * 10.0 / 9.0).abs() < 1e-6);
    let lp = levels.liquidation_price.unwrap();
    assert!((lp - 30_000.0 * 0.995 / 0.45).abs() < 1e-6, "{lp}");
    assert_eq!(round_to(lp, 2), 66_333.33);
}

#[test]
fn an_overcollateralised_short_has_no_bankruptcy_or_liquidation_price() {
    let short = InverseTerms {
        side: Side::Short,
        contracts_usd: 60_000.0,
        entry_price: 50_000.0,
        wallet_coin: 1.5,
        maintenance_rate: 0.005,
        taker_fee: 0.000_55,
    };
    let levels = inverse_levels(&short, MaintenanceBase::Mark).unwrap();
    assert_eq!(levels.bankruptcy_price, None);
    assert_eq!(levels.fee_to_close_coin, 0.0);
    assert_eq!(levels.liquidation_price, None);
}

#[test]
fn bad_inputs_are_refused_not_computed() {
    let good = InverseTerms {
        side: Side::Long,
        contracts_usd: 10_000.0,
        entry_price: 8_000.0,
        wallet_coin: 0.5,
        maintenance_rate: 0.005,
        taker_fee: 0.000_75,
    };
    for bad in [
        InverseTerms {
            contracts_usd: f64::NAN,
            ..good
        },
        InverseTerms {
            entry_price: 0.0,
            ..good
        },
        InverseTerms {
            wallet_coin: -1.0,
            ..good
        },
        InverseTerms {
            maintenance_rate: 1.0,
            ..good
        },
        InverseTerms {
            taker_fee: f64::INFINITY,
            ..good
        },
        // A wallet below the maintenance margin at entry: liquidated at once.
        InverseTerms {
            wallet_coin: 0.006,
            ..good
        },
    ] {
        assert!(
            inverse_levels(&bad, MaintenanceBase::Entry).is_err(),
            "{bad:?}"
        );
    }
    assert!(inverse_order_cost(Side::Long, 10_000.0, 6_400.0, 0.5, 0.0).is_err());
    assert!(inverse_order_cost(Side::Long, 10_000.0, 6_400.0, 25.0, -0.1).is_err());
    // 1× short: the bankruptcy price is infinite, so there is no fee to close.
    let one = inverse_order_cost(Side::Short, 10_000.0, 6_400.0, 1.0, 0.000_75).unwrap();
    assert_eq!((one.bankruptcy_price, one.fee_to_close_coin), (None, 0.0));
}

#[test]
fn half_dollar_rounding_never_lands_on_the_wrong_side() {
    assert_eq!(round_to_half_dollar(7_881.773, Side::Long), 7_882.0);
    assert_eq!(round_to_half_dollar(8_121.827, Side::Short), 8_121.5);
    assert_eq!(round_to_half_dollar(7_843.5, Side::Long), 7_843.5);
}

fn terms() -> impl Strategy<Value = (InverseTerms, MaintenanceBase)> {
    (
        prop_oneof![Just(Side::Long), Just(Side::Short)],
        1_000.0..1.0e7f64,
        100.0..200_000.0f64,
        1.0..125.0f64,
        0.0..0.05f64,
        0.0..0.002f64,
        prop_oneof![Just(MaintenanceBase::Entry), Just(MaintenanceBase::Mark)],
    )
        .prop_map(|(side, q, entry, leverage, mmr, fee, base)| {
            let cost = inverse_order_cost(side, q, entry, leverage, fee).unwrap();
            let terms = InverseTerms {
                side,
                contracts_usd: q,
                entry_price: entry,
                wallet_coin: cost.position_wallet_coin(),
                maintenance_rate: mmr,
                taker_fee: fee,
            };
            (terms, base)
        })
}

proptest! {
    /// The order cost's reserve makes the bankruptcy price the familiar `EP·L/(L ± 1)`, and its fee to close
    /// is the one charged there.
    #[test]
    fn the_order_cost_reserve_pays_the_fee_at_the_bankruptcy_price(
        side in prop_oneof![Just(Side::Long), Just(Side::Short)],
        q in 1_000.0..1.0e7f64,
        entry in 100.0..200_000.0f64,
        leverage in 1.5..125.0f64,
        fee in 0.0..0.002f64,
    ) {
        let cost = inverse_order_cost(side, q, entry, leverage, fee).unwrap();
        let terms = InverseTerms {
            side,
            contracts_usd: q,
            entry_price: entry,
            wallet_coin: cost.position_wallet_coin(),
            maintenance_rate: 0.0,
            taker_fee: fee,
        };
        // With no maintenance margin a position is liquidated at its bankruptcy price.
        let levels = inverse_levels(&terms, MaintenanceBase::Entry);
        prop_assume!(levels.is_ok());
        let levels = levels.unwrap();
        let bp = levels.bankruptcy_price.unwrap();
        prop_assert!((bp / cost.bankruptcy_price.unwrap() - 1.0).abs() < 1e-9);
        prop_assert!((levels.fee_to_close_coin / cost.fee_to_close_coin - 1.0).abs() < 1e-9);
        prop_assert!((levels.liquidation_price.unwrap() / bp - 1.0).abs() < 1e-9);
    }

    /// Entry, liquidation and bankruptcy lie in that order on the losing side: a long is liquidated below its
    /// entry and before it is bankrupt, a short above.
    #[test]
    fn liquidation_lies_between_entry_and_bankruptcy((terms, base) in terms()) {
        let Ok(levels) = inverse_levels(&terms, base) else { return Ok(()) };
        let (Some(lp), Some(bp)) = (levels.liquidation_price, levels.bankruptcy_price) else { return Ok(()) };
        match terms.side {
            Side::Long => prop_assert!(bp <= lp && lp < terms.entry_price, "{bp} {lp}"),
            Side::Short => prop_assert!(terms.entry_price < lp && lp <= bp, "{bp} {lp}"),
        }
    }

    /// A higher maintenance rate or a higher fee to close brings liquidation closer to the entry; more coin in
    /// the wallet pushes it away.
    #[test]
    fn more_maintenance_or_fee_liquidates_sooner_and_more_margin_later((terms, base) in terms(), bump in 0.001..0.01f64) {
        let Ok(levels) = inverse_levels(&terms, base) else { return Ok(()) };
        let Some(lp) = levels.liquidation_price else { return Ok(()) };
        let d = terms.side.sign();
        let closer = |other: InverseTerms| -> Option<f64> {
            inverse_levels(&other, base).ok().and_then(|l| l.liquidation_price)
        };
        if let Some(higher_mmr) = closer(InverseTerms { maintenance_rate: terms.maintenance_rate + bump, ..terms }) {
            prop_assert!(d * (higher_mmr - lp) > 0.0, "{lp} → {higher_mmr}");
        }
        if let Some(higher_fee) = closer(InverseTerms { taker_fee: terms.taker_fee + bump / 10.0, ..terms }) {
            prop_assert!(d * (higher_fee - lp) >= 0.0, "{lp} → {higher_fee}");
        }
        if let Some(more_margin) = closer(InverseTerms { wallet_coin: terms.wallet_coin * 1.5, ..terms }) {
            prop_assert!(d * (more_margin - lp) < 0.0, "{lp} → {more_margin}");
        }
    }
}
