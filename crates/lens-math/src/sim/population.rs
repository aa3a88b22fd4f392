//! Who the traders are: the mix of behaviours, leverage and account sizes a venue starts with.
//!
//! Account sizes are Pareto-distributed (a few large accounts hold much of the capital, which is what makes
//! the top-trader ratio differ from the all-account ratio), large accounts run lower leverage than small ones,
//! and high leverage goes with a smaller slice of the wallet (risking a fixed amount rather than a fixed
//! fraction), which keeps open interest from being dominated by the most levered accounts.

use super::agents::{Strategy, Trader};
use super::detmath::{NormalDraws, exp, ln};
use crate::market::Side;

/// Leverage mix of new accounts: (leverage, weight). Round numbers spanning what retail venues offer.
const LEVERAGE_MIX: [(f64, f64); 6] = [
    (2.0, 0.30),
    (3.0, 0.25),
    (5.0, 0.25),
    (10.0, 0.15),
    (20.0, 0.04),
    (25.0, 0.01),
];
/// Gamblers take the higher leverage with probability 0.7, post most of their (small) wallet and keep no stop.
const GAMBLER_LOW_LEVERAGE: f64 = 25.0;
const GAMBLER_HIGH_LEVERAGE: f64 = 50.0;
const GAMBLER_WALLET_SCALE: f64 = 0.0003;
/// Basis traders hold spot against their perp, so they run low leverage (on ordinary-size wallets).
const BASIS_LEVERAGE: f64 = 2.0;
const BASIS_WALLET_SCALE: f64 = 1.0;
/// An account `x` times the smallest size uses at most `15/√x` leverage: 15× for the smallest, 5× at 9×.
const LARGE_ACCOUNT_LEVERAGE: f64 = 15.0;
/// Above this leverage the wallet slice shrinks in proportion, so the notional stays at ≈ 5× the slice.
const FULL_SLICE_LEVERAGE: f64 = 5.0;
/// Pareto tail index of account sizes: a few large accounts hold much of the capital, as the
/// top-trader ratios assume.
const WALLET_PARETO_ALPHA: f64 = 1.5;
/// The largest account holds at most this many times the smallest deposit.
const WALLET_MAX_MULTIPLE: f64 = 30.0;
/// Share of the smallest directional accounts (not gamblers or basis traders) that keep a resting stop; larger
/// accounts keep one more often.
const STOP_USERS: f64 = 0.7;
/// Share of accounts holding a position at the start, and the spread of their entry prices around the start.
const INITIAL_POSITION_SHARE: f64 = 0.35;
const INITIAL_ENTRY_SPREAD: f64 = 0.02;

/// Draws `count` accounts whose deposits sum to `capital_usd`, capping leverage at the venue's maximum.
pub(crate) fn population(
    draws: &mut NormalDraws,
    count: u32,
    capital_usd: f64,
    max_leverage: f64,
) -> Vec<Trader> {
    let mut traders: Vec<Trader> = (0..count)
        .map(|_| draw_trader(draws, max_leverage))
        .collect();
    let total: f64 = traders.iter().map(|t| t.deposit_usd).sum();
    let scale = if total > 0.0 {
        capital_usd / total
    } else {
        0.0
    };
    for trader in &mut traders {
        trader.deposit_usd *= scale;
        trader.wallet_usd = trader.deposit_usd;
    }
    traders
}

/// Gives about a third of the accounts (not the basis traders) a position already open when the simulation
/// starts, entered at prices spread around `price` as if over the previous days, so open interest starts near
/// its steady level instead of at zero.
pub(crate) fn seed_positions(
    traders: &mut [Trader],
    draws: &mut NormalDraws,
    price: f64,
    maintenance_margin_rate: f64,
    long_share: f64,
) {
    for trader in traders {
        // Basis trades only exist while the premium pays, which it does not at the start.
        if draws.uniform() < INITIAL_POSITION_SHARE && trader.strategy != Strategy::BasisTrader {
            let side = if draws.uniform() < 0.5 + trader.retail_bias * (long_share - 0.5) {
                Side::Long
            } else {
                Side::Short
            };
            let entry = price * (1.0 + INITIAL_ENTRY_SPREAD * draws.normal()).max(0.5);
            let quantity = trader.entry_quantity(entry);
            trader.open(side, quantity, entry, maintenance_margin_rate);
            // An entry whose stop or liquidation the start price already reached would not still be open.
            let already_closed = trader
                .position
                .is_some_and(|p| p.side.sign() * (price - p.trigger_price()) <= 0.0);
            if already_closed {
                trader.position = None;
                trader.wallet_usd = trader.deposit_usd;
            }
        }
    }
}

fn draw_trader(draws: &mut NormalDraws, max_leverage: f64) -> Trader {
    // 22 % trend followers, 15 % contrarians, 41 % noise traders (the patient base of open interest), 10 %
    // basis traders and 12 % gamblers.
    let u = draws.uniform();
    let strategy = if u < 0.22 {
        Strategy::TrendFollower
    } else if u < 0.37 {
        Strategy::Contrarian
    } else if u < 0.78 {
        Strategy::Noise
    } else if u < 0.88 {
        Strategy::BasisTrader
    } else {
        Strategy::Gambler
    };
    // Inverse-CDF Pareto draw: (1 − u)^(−1/α) ≥ 1, with 1 − u in (0, 1].
    let size_multiple =
        exp(-ln(1.0 - draws.uniform()) / WALLET_PARETO_ALPHA).min(WALLET_MAX_MULTIPLE);
    let pick = draws.uniform();
    let (leverage, margin_fraction, stop_loss_roe, wallet_scale) = match strategy {
        Strategy::Gambler => {
            let leverage = if pick < 0.3 {
                GAMBLER_LOW_LEVERAGE
            } else {
                GAMBLER_HIGH_LEVERAGE
            };
            (
                leverage,
                0.5 + 0.5 * draws.uniform(),
                None,
                GAMBLER_WALLET_SCALE,
            )
        }
        Strategy::BasisTrader => (
            BASIS_LEVERAGE,
            0.5 + 0.3 * draws.uniform(),
            None,
            BASIS_WALLET_SCALE,
        ),
        _ => {
            let mut cumulative = 0.0;
            let mut leverage = FULL_SLICE_LEVERAGE;
            for (candidate, weight) in LEVERAGE_MIX {
                cumulative += weight;
                if pick < cumulative {
                    leverage = candidate;
                    break;
                }
            }
            // Large accounts run lower leverage (a fund does not trade like a retail account).
            let leverage = leverage.min(LARGE_ACCOUNT_LEVERAGE / size_multiple.sqrt());
            let margin_fraction =
                (0.2 + 0.4 * draws.uniform()) * (FULL_SLICE_LEVERAGE / leverage).min(1.0);
            // Large accounts manage their risk: the larger the account, the likelier a stop (a fund is rarely
            // force-liquidated; the liquidations a venue prints are mostly retail-sized).
            let stop_share = 1.0 - (1.0 - STOP_USERS) / size_multiple;
            let stop = if draws.uniform() < stop_share {
                Some(0.4 + 0.4 * draws.uniform())
            } else {
                None
            };
            (leverage, margin_fraction, stop, 1.0)
        }
    };
    let leverage = leverage.min(max_leverage);
    let deposit = wallet_scale * size_multiple;
    // Accounts differ in how hard they read the same signal and when they give up on it; without this spread
    // every trend follower would flip on the same hour and the whole book would turn over at once.
    let conviction = 0.5 + 1.5 * draws.uniform();
    let exit_threshold_z = 0.5 + 1.5 * draws.uniform();
    Trader {
        strategy,
        leverage,
        margin_fraction,
        stop_loss_roe,
        conviction,
        exit_threshold_z,
        retail_bias: ((4.0 / size_multiple - 1.0) / 3.0).max(-0.3),
        deposit_usd: deposit,
        wallet_usd: deposit,
        position: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_deposits_sum_to_the_capital() {
        let traders = population(&mut NormalDraws::new(5), 300, 1e9, 40.0);
        let total: f64 = traders.iter().map(|t| t.deposit_usd).sum();
        assert!((total / 1e9 - 1.0).abs() < 1e-12);
        assert!(
            traders
                .iter()
                .all(|t| t.leverage <= 40.0 && t.margin_fraction > 0.0)
        );
    }

    /// The size rule: outside the gamblers, an account x times the smallest uses at most 25/√x leverage.
    #[test]
    fn large_accounts_use_lower_leverage() {
        let traders = population(&mut NormalDraws::new(6), 2_000, 1e9, 125.0);
        let directional =
            |t: &&Trader| matches!(t.strategy, Strategy::TrendFollower | Strategy::Contrarian);
        let smallest = traders
            .iter()
            .filter(directional)
            .map(|t| t.deposit_usd)
            .fold(f64::MAX, f64::min);
        for trader in traders.iter().filter(directional) {
            let multiple = trader.deposit_usd / smallest;
            assert!(trader.leverage <= LARGE_ACCOUNT_LEVERAGE / multiple.sqrt() + 1e-9);
        }
        assert!(
            traders
                .iter()
                .any(|t| t.strategy == Strategy::Gambler && t.leverage == GAMBLER_HIGH_LEVERAGE)
        );
    }

    /// No account starts with a position its own stop or liquidation would already have closed.
    #[test]
    fn seeded_positions_are_alive_at_the_start_price() {
        let mut draws = NormalDraws::new(7);
        let mut traders = population(&mut draws, 1_000, 1e9, 50.0);
        seed_positions(&mut traders, &mut draws, 100.0, 0.005, 0.56);
        let open: Vec<_> = traders.iter().filter_map(|t| t.position).collect();
        assert!(open.len() > 200 && open.len() < 450, "{}", open.len());
        assert!(
            open.iter()
                .all(|p| p.side.sign() * (100.0 - p.trigger_price()) > 0.0)
        );
    }
}
