//! The leveraged traders: who they are, when they open and close, and where they get liquidated.
//!
//! Five behaviours, because together they produce what the glossary pages need. Trend followers buy strength
//! and open more often the stronger the trend, so open interest grows with price and pushes the perp above
//! the index (a build-up). Contrarians fade moves and rich funding, which caps the build-up most of the time.
//! Noise traders keep a retail long bias, the reason the account ratio usually sits above 1. Gamblers are many
//! small accounts at 25–50× that chase the trend and rarely last: they barely move open interest, but they
//! are the steady trickle of small liquidations every real venue reports, against which a cascade stands out.
//! Basis traders sell a rich perp (and, less eagerly, buy a cheap one) against spot to collect funding, which
//! is what keeps funding near its interest rate most of the time and caps it in a frenzy.
//!
//! Every rule that fires on a shared signal acts with a probability per hour, and thresholds differ by account,
//! so the book never turns over all at once (which no real market does either).

use super::detmath::{NormalDraws, exp, ln};
use super::position::{Position, isolated_liquidation_price};
use crate::market::Side;

/// Smoothed premium (in 5 bp units) beyond which basis traders sell a rich perp (or, less eagerly since it
/// needs borrowed spot, buy a cheap one); they leave once the premium is back to zero.
const BASIS_SELL_PREMIUM_Z: f64 = 2.0;
const BASIS_BUY_PREMIUM_Z: f64 = -3.0;
/// A flat account whose wallet fell below this share of its deposit is replaced by a fresh one.
const REDEPOSIT_BELOW: f64 = 0.2;
/// Chance per hour that an account whose exit rule fires acts on it.
const RULE_EXIT_PER_HOUR: f64 = 0.1;
/// The trend signal stops adding urgency beyond this many standard deviations.
const MAX_URGENT_MOMENTUM_Z: f64 = 2.5;

/// How an account decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    TrendFollower,
    Contrarian,
    Noise,
    Gambler,
    BasisTrader,
}

impl Strategy {
    /// Chance per hour that a flat account opens, before the signal and the regime scale it.
    fn open_rate_per_hour(self) -> f64 {
        match self {
            Strategy::TrendFollower => 1.0 / 120.0,
            Strategy::Contrarian => 1.0 / 160.0,
            Strategy::Noise => 1.0 / 60.0,
            Strategy::Gambler => 1.0 / 3.0,
            Strategy::BasisTrader => 1.0 / 12.0,
        }
    }

    /// Chance per hour of closing for reasons outside the model (mean holding time = its inverse).
    fn close_rate_per_hour(self) -> f64 {
        match self {
            Strategy::TrendFollower => 1.0 / 336.0,
            Strategy::Contrarian => 1.0 / 192.0,
            Strategy::Noise => 1.0 / 240.0,
            Strategy::Gambler => 1.0 / 12.0,
            Strategy::BasisTrader => 1.0 / 240.0,
        }
    }

    /// Return on margin at which the account takes profit.
    fn take_profit_roe(self) -> f64 {
        match self {
            Strategy::TrendFollower => 1.5,
            Strategy::Contrarian => 0.6,
            Strategy::Noise => 2.0,
            Strategy::Gambler => 1.0,
            Strategy::BasisTrader => f64::INFINITY,
        }
    }
}

/// What the market looks like to a trader at the top of an hour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signals {
    /// Recent index return in units of its expected standard deviation (mean of the 6 h and 24 h versions).
    pub momentum_z: f64,
    /// Smoothed perp premium in units of 5 bp.
    pub premium_z: f64,
    /// Volatility-regime multiplier: traders are busier in busy markets.
    pub activity: f64,
    /// Share of retail entries that go long whatever the signal (the asset's retail long bias).
    pub retail_long_share: f64,
}

/// What an account wants to do this hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    Open(Side),
    Close,
}

/// One simulated account on one venue.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trader {
    pub strategy: Strategy,
    pub leverage: f64,
    /// Share of the wallet posted as margin on each entry.
    pub margin_fraction: f64,
    /// Loss on margin (0.5 = −50 %) at which a resting stop fires, if any.
    pub stop_loss_roe: Option<f64>,
    /// How strongly the account's side follows (or fades) the signal: the slope of its logistic choice.
    pub conviction: f64,
    /// Signal strength against the position (in momentum z units) at which the account's exit rule fires.
    pub exit_threshold_z: f64,
    /// How much of the asset's retail long bias the account carries: all of it (1) for the smallest accounts,
    /// none at four times their size, and leaning the other way (down to −0.3) for the largest, which take the other
    /// side of the crowd. That is why the top-trader ratio sits below the all-account ratio and why a lopsided
    /// account ratio moves funding less than its count suggests.
    pub retail_bias: f64,
    pub deposit_usd: f64,
    /// Cash outside the open position.
    pub wallet_usd: f64,
    pub position: Option<Position>,
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + exp(-x))
}

/// The hour's chance of opening for every strategy, computed once per venue and hour instead of once per account.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HourlyOdds {
    momentum_z: f64,
    premium_z: f64,
    retail_long_share: f64,
    /// The retail bias as a shift of a logistic choice: logit(share).
    retail_long_logit: f64,
    trend_follower_open: f64,
    contrarian_open: f64,
    noise_open: f64,
    gambler_open: f64,
    basis_open: f64,
}

impl HourlyOdds {
    /// Trend followers open more often the stronger the trend, contrarians the stronger the trend or the
    /// premium; noise traders at a fixed rate. Every rate scales with the regime's activity.
    pub(crate) fn new(signals: &Signals) -> Self {
        let m = signals.momentum_z;
        let p = signals.premium_z;
        let rate = |strategy: Strategy, urge: f64| {
            (strategy.open_rate_per_hour() * urge * signals.activity).min(0.5)
        };
        let trend = m.abs().min(MAX_URGENT_MOMENTUM_Z);
        let share = signals.retail_long_share.clamp(0.01, 0.99);
        Self {
            momentum_z: m,
            premium_z: p,
            retail_long_share: share,
            retail_long_logit: ln(share / (1.0 - share)),
            trend_follower_open: rate(Strategy::TrendFollower, 0.5 + 0.6 * trend),
            contrarian_open: rate(
                Strategy::Contrarian,
                0.5 + 0.3 * trend + 0.3 * p.abs().min(MAX_URGENT_MOMENTUM_Z),
            ),
            noise_open: rate(Strategy::Noise, 1.0),
            gambler_open: rate(Strategy::Gambler, 0.5 + 0.6 * trend),
            basis_open: rate(
                Strategy::BasisTrader,
                (p - BASIS_SELL_PREMIUM_Z)
                    .max(BASIS_BUY_PREMIUM_Z - p)
                    .clamp(0.0, MAX_URGENT_MOMENTUM_Z),
            ),
        }
    }

    fn open_probability(&self, strategy: Strategy) -> f64 {
        match strategy {
            Strategy::TrendFollower => self.trend_follower_open,
            Strategy::Contrarian => self.contrarian_open,
            Strategy::Noise => self.noise_open,
            Strategy::Gambler => self.gambler_open,
            Strategy::BasisTrader => self.basis_open,
        }
    }
}

impl Trader {
    /// The account's decision at the top of an hour. Draws one uniform number always and a second one only
    /// when it acts, so the random stream is cheap for idle accounts.
    pub(crate) fn decide(
        &mut self,
        odds: &HourlyOdds,
        mark: f64,
        draws: &mut NormalDraws,
    ) -> Option<Intent> {
        let u = draws.uniform();
        if let Some(position) = &self.position {
            return self
                .wants_to_close(position, odds, mark, u, draws)
                .then_some(Intent::Close);
        }
        if self.wallet_usd < REDEPOSIT_BELOW * self.deposit_usd {
            // The account is replaced by a fresh trader of the same type and size.
            self.wallet_usd = self.deposit_usd;
        }
        if u >= odds.open_probability(self.strategy) {
            return None;
        }
        let long_probability = match self.strategy {
            // Directional accounts read their signal through the same retail long bias.
            Strategy::TrendFollower => logistic(
                self.conviction * odds.momentum_z + self.retail_bias * odds.retail_long_logit,
            ),
            Strategy::Contrarian => logistic(
                -self.conviction * (odds.momentum_z + odds.premium_z)
                    + self.retail_bias * odds.retail_long_logit,
            ),
            Strategy::Noise => 0.5 + self.retail_bias * (odds.retail_long_share - 0.5),
            // Gamblers chase the move, with the same retail long bias as noise traders.
            Strategy::Gambler => logistic(
                self.conviction * odds.momentum_z + self.retail_bias * odds.retail_long_logit,
            ),
            // Basis traders take the side that collects funding: short a rich perp, long a cheap one.
            Strategy::BasisTrader => {
                if odds.premium_z < 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        };
        let side = if draws.uniform() < long_probability {
            Side::Long
        } else {
            Side::Short
        };
        Some(Intent::Open(side))
    }

    /// Take profit, the strategy's exit rule (acted on with [`RULE_EXIT_PER_HOUR`] a chance per hour, since
    /// people do not all react in the same hour), or an exit for reasons outside the model.
    fn wants_to_close(
        &self,
        position: &Position,
        odds: &HourlyOdds,
        mark: f64,
        u: f64,
        draws: &mut NormalDraws,
    ) -> bool {
        let return_on_margin = position.pnl_usd(mark) / position.initial_margin_usd;
        if return_on_margin >= self.strategy.take_profit_roe()
            || u < self.strategy.close_rate_per_hour()
        {
            return true;
        }
        let trend_in_favour = position.side.sign() * odds.momentum_z;
        let rule = match self.strategy {
            Strategy::TrendFollower => trend_in_favour < -self.exit_threshold_z,
            // A contrarian leaves once the move it faded has reversed.
            Strategy::Contrarian => trend_in_favour > self.exit_threshold_z,
            // Once the premium is gone the carry is gone.
            Strategy::BasisTrader => position.side.sign() * odds.premium_z > 0.0,
            Strategy::Noise | Strategy::Gambler => false,
        };
        rule && draws.uniform() < RULE_EXIT_PER_HOUR
    }

    /// Base quantity of a new entry sized at `price`: the wallet slice times the leverage.
    pub(crate) fn entry_quantity(&self, price: f64) -> f64 {
        let quantity = self.wallet_usd * self.margin_fraction * self.leverage / price;
        if quantity.is_finite() {
            quantity.max(0.0)
        } else {
            0.0
        }
    }

    /// Records an entry of `quantity` filled at `fill_price` (sized beforehand with [`Self::entry_quantity`], so
    /// the realised leverage differs from the chosen one by the order's own price impact).
    pub(crate) fn open(
        &mut self,
        side: Side,
        quantity: f64,
        fill_price: f64,
        maintenance_margin_rate: f64,
    ) {
        let margin = self.wallet_usd * self.margin_fraction;
        if !(margin > 0.0 && quantity > 0.0 && fill_price > 0.0) {
            return;
        }
        let liquidation_price =
            isolated_liquidation_price(side, quantity, fill_price, margin, maintenance_margin_rate);
        let stop_price = self
            .stop_loss_roe
            .map(|roe| fill_price * (1.0 - side.sign() * roe / self.leverage));
        self.wallet_usd -= margin;
        self.position = Some(Position {
            side,
            quantity,
            entry_price: fill_price,
            initial_margin_usd: margin,
            margin_usd: margin,
            liquidation_price,
            stop_price,
        });
    }

    /// Closes voluntarily (or by stop) at `fill_price`. A loss beyond the margin is absorbed by the venue, so the
    /// wallet never goes negative.
    pub(crate) fn settle(&mut self, fill_price: f64) {
        if let Some(position) = self.position.take() {
            self.wallet_usd += (position.margin_usd + position.pnl_usd(fill_price)).max(0.0);
        }
    }

    /// Margin balance at `mark`: wallet plus isolated margin plus unrealised P&L (Binance's ranking basis for
    /// "top traders").
    pub(crate) fn margin_balance_usd(&self, mark: f64) -> f64 {
        self.wallet_usd
            + self
                .position
                .as_ref()
                .map_or(0.0, |p| p.margin_usd + p.pnl_usd(mark))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trader(strategy: Strategy) -> Trader {
        Trader {
            strategy,
            leverage: 10.0,
            margin_fraction: 0.5,
            stop_loss_roe: None,
            conviction: 2.0,
            exit_threshold_z: 1.0,
            retail_bias: 1.0,
            deposit_usd: 1_000.0,
            wallet_usd: 1_000.0,
            position: None,
        }
    }

    fn share_long(strategy: Strategy, signals: Signals) -> f64 {
        let odds = HourlyOdds::new(&signals);
        let mut draws = NormalDraws::new(9);
        let mut long = 0.0;
        let mut opened = 0.0;
        for _ in 0..100_000 {
            if let Some(Intent::Open(side)) = trader(strategy).decide(&odds, 100.0, &mut draws) {
                opened += 1.0;
                if side == Side::Long {
                    long += 1.0;
                }
            }
        }
        long / opened
    }

    #[test]
    fn trend_followers_buy_rallies_and_contrarians_sell_them() {
        let rally = Signals {
            momentum_z: 1.5,
            premium_z: 0.0,
            activity: 1.0,
            retail_long_share: 0.56,
        };
        assert!(share_long(Strategy::TrendFollower, rally) > 0.8);
        assert!(share_long(Strategy::Contrarian, rally) < 0.2);
    }

    #[test]
    fn noise_traders_and_gamblers_lean_to_the_assets_retail_long_share() {
        let flat = |share| Signals {
            momentum_z: 0.0,
            premium_z: 0.0,
            activity: 1.0,
            retail_long_share: share,
        };
        for share in [0.56, 0.8] {
            assert!((share_long(Strategy::Noise, flat(share)) - share).abs() < 0.02);
            assert!((share_long(Strategy::Gambler, flat(share)) - share).abs() < 0.02);
        }
    }

    #[test]
    fn basis_traders_only_enter_a_rich_or_cheap_perp_and_take_the_side_paid_by_funding() {
        let calm = HourlyOdds::new(&Signals {
            momentum_z: 0.0,
            premium_z: 1.0,
            activity: 1.0,
            retail_long_share: 0.56,
        });
        assert_eq!(calm.open_probability(Strategy::BasisTrader), 0.0);
        let rich = Signals {
            momentum_z: 0.0,
            premium_z: 3.0,
            activity: 1.0,
            retail_long_share: 0.56,
        };
        assert_eq!(share_long(Strategy::BasisTrader, rich), 0.0);
        let cheap = Signals {
            momentum_z: 0.0,
            premium_z: -4.0,
            activity: 1.0,
            retail_long_share: 0.56,
        };
        assert_eq!(share_long(Strategy::BasisTrader, cheap), 1.0);
    }

    #[test]
    fn opening_posts_the_wallet_slice_and_sets_the_stop_at_the_chosen_loss() {
        let mut account = Trader {
            stop_loss_roe: Some(0.5),
            ..trader(Strategy::Noise)
        };
        let quantity = account.entry_quantity(100.0);
        assert!((quantity - 50.0).abs() < 1e-12);
        account.open(Side::Short, quantity, 100.0, 0.005);
        let position = account.position.unwrap();
        assert_eq!(account.wallet_usd, 500.0);
        assert!((position.stop_price.unwrap() - 105.0).abs() < 1e-12);
        assert!((account.margin_balance_usd(104.0) - (1_000.0 - 50.0 * 4.0)).abs() < 1e-9);
    }

    #[test]
    fn a_loss_beyond_the_margin_leaves_the_wallet_at_zero_not_below() {
        let mut account = Trader {
            wallet_usd: 0.0,
            ..trader(Strategy::Gambler)
        };
        account.position = Some(Position {
            side: Side::Long,
            quantity: 1.0,
            entry_price: 100.0,
            initial_margin_usd: 10.0,
            margin_usd: 10.0,
            liquidation_price: 90.5,
            stop_price: None,
        });
        account.settle(50.0);
        assert_eq!(account.wallet_usd, 0.0);
        assert!(account.position.is_none());
    }

    #[test]
    fn entry_quantity_is_zero_for_a_bad_price() {
        assert_eq!(trader(Strategy::Noise).entry_quantity(0.0), 0.0);
        assert_eq!(trader(Strategy::Noise).entry_quantity(f64::NAN), 0.0);
    }
}
