//! One isolated position, linear (USDT-margined: P&L in quote currency) or inverse (coin-margined: contract
//! value fixed in USD, margin and P&L in coin). Both are validated once, so the liquidation and P&L functions
//! that take them need no further checks on the position itself.

use super::invalid;
use super::tiers::initial_margin;
use crate::error::{Result, ensure_finite, ensure_positive};
use crate::market::Side;

/// An isolated USDT-margined position: `quantity` base units bought or sold at `entry_price`, backed by
/// `wallet_balance` of quote currency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearPosition {
    side: Side,
    quantity: f64,
    entry_price: f64,
    wallet_balance: f64,
}

impl LinearPosition {
    /// A position with an explicit isolated wallet balance (initial margin plus any margin added).
    ///
    /// # Errors
    /// [`crate::MathError::InvalidParameter`] unless quantity, entry price and wallet balance are positive
    /// finite numbers.
    ///
    /// ```
    /// use lens_math::margin::LinearPosition;
    /// use lens_math::market::Side;
    /// let p = LinearPosition::new(Side::Long, 4.0, 65_000.0, 26_000.0)?;
    /// assert_eq!(p.notional_at_entry(), 260_000.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(side: Side, quantity: f64, entry_price: f64, wallet_balance: f64) -> Result<Self> {
        Ok(Self {
            side,
            quantity: ensure_positive("quantity", quantity)?,
            entry_price: ensure_positive("entry_price", entry_price)?,
            wallet_balance: ensure_positive("wallet_balance", wallet_balance)?,
        })
    }

    /// A position whose wallet balance is exactly the initial margin.
    ///
    /// # Formula
    /// `W = IM = Q · EP / L`
    ///
    /// # Errors
    /// As [`LinearPosition::new`]; [`crate::MathError::InvalidParameter`] for a leverage below 1.
    ///
    /// ```
    /// use lens_math::margin::LinearPosition;
    /// use lens_math::market::Side;
    /// let p = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0)?;
    /// assert_eq!(p.wallet_balance(), 26_000.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_leverage(
        side: Side,
        quantity: f64,
        entry_price: f64,
        leverage: f64,
    ) -> Result<Self> {
        let quantity = ensure_positive("quantity", quantity)?;
        let entry_price = ensure_positive("entry_price", entry_price)?;
        Self::new(
            side,
            quantity,
            entry_price,
            initial_margin(quantity * entry_price, leverage)?,
        )
    }

    /// The same position after `extra_margin` more quote currency is moved into its isolated wallet.
    ///
    /// # Errors
    /// [`crate::MathError::NotFinite`] for NaN/∞, [`crate::MathError::InvalidParameter`] for a negative amount.
    ///
    /// ```
    /// use lens_math::margin::LinearPosition;
    /// use lens_math::market::Side;
    /// let p = LinearPosition::with_leverage(Side::Short, 1.0, 20_000.0, 50.0)?.with_added_margin(100.0)?;
    /// assert_eq!(p.wallet_balance(), 500.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_added_margin(self, extra_margin: f64) -> Result<Self> {
        let extra = ensure_finite("extra_margin", extra_margin)?;
        if extra < 0.0 {
            return Err(invalid("extra_margin", "must not be negative"));
        }
        Self::new(
            self.side,
            self.quantity,
            self.entry_price,
            self.wallet_balance + extra,
        )
    }

    /// Long or short.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Base units (e.g. BTC).
    pub fn quantity(&self) -> f64 {
        self.quantity
    }

    /// Average entry price, quote currency per unit of base.
    pub fn entry_price(&self) -> f64 {
        self.entry_price
    }

    /// Quote currency held in the isolated wallet.
    pub fn wallet_balance(&self) -> f64 {
        self.wallet_balance
    }

    /// `Q · EP`, in quote currency.
    pub fn notional_at_entry(&self) -> f64 {
        self.quantity * self.entry_price
    }

    /// Unrealised profit or loss at a mark price.
    ///
    /// # Formula
    /// `PnL = d · Q · (P − EP)`, d = +1 long, −1 short (Binance and Bybit USDT-M P&L pages).
    ///
    /// # Errors
    /// [`crate::MathError::InvalidParameter`] unless the price is a positive finite number.
    ///
    /// ```
    /// use lens_math::margin::LinearPosition;
    /// use lens_math::market::Side;
    /// let p = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0)?;
    /// assert!((p.pnl_at(65_650.0)? - 2_600.0).abs() < 1e-9);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn pnl_at(&self, price: f64) -> Result<f64> {
        Ok(self.pnl_unchecked(ensure_positive("price", price)?))
    }

    /// P&L as a fraction of the wallet balance; with the wallet equal to the initial margin this is
    /// `d · L · (P − EP)/EP`.
    ///
    /// # Errors
    /// As [`LinearPosition::pnl_at`].
    ///
    /// ```
    /// use lens_math::margin::LinearPosition;
    /// use lens_math::market::Side;
    /// // Leverage mechanics page: a 1 % rise is 10 % of the margin at 10×.
    /// let p = LinearPosition::with_leverage(Side::Long, 4.0, 65_000.0, 10.0)?;
    /// assert!((p.return_on_margin_at(65_650.0)? - 0.10).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn return_on_margin_at(&self, price: f64) -> Result<f64> {
        Ok(self.pnl_at(price)? / self.wallet_balance)
    }

    pub(crate) fn pnl_unchecked(&self, price: f64) -> f64 {
        self.side.sign() * self.quantity * (price - self.entry_price)
    }
}

/// An isolated coin-margined (inverse) position: `contracts_usd` of contract value (contracts × face value in
/// USD) at `entry_price`, backed by `wallet_balance_coin` of the coin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InversePosition {
    side: Side,
    contracts_usd: f64,
    entry_price: f64,
    wallet_balance_coin: f64,
}

impl InversePosition {
    /// A position with an explicit isolated wallet balance in coin.
    ///
    /// # Errors
    /// [`crate::MathError::InvalidParameter`] unless all three amounts are positive finite numbers.
    ///
    /// ```
    /// use lens_math::margin::InversePosition;
    /// use lens_math::market::Side;
    /// let p = InversePosition::new(Side::Long, 60_000.0, 50_000.0, 0.12)?;
    /// assert!((p.position_value_coin() - 1.2).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(
        side: Side,
        contracts_usd: f64,
        entry_price: f64,
        wallet_balance_coin: f64,
    ) -> Result<Self> {
        Ok(Self {
            side,
            contracts_usd: ensure_positive("contracts_usd", contracts_usd)?,
            entry_price: ensure_positive("entry_price", entry_price)?,
            wallet_balance_coin: ensure_positive("wallet_balance_coin", wallet_balance_coin)?,
        })
    }

    /// A position whose wallet is exactly the initial margin in coin.
    ///
    /// # Formula
    /// `PV = Q_usd / EP`, `W = IM = PV / L` (Bybit "Initial Margin (Inverse Contract)").
    ///
    /// # Errors
    /// As [`InversePosition::new`]; [`crate::MathError::InvalidParameter`] for a leverage below 1.
    ///
    /// ```
    /// use lens_math::margin::InversePosition;
    /// use lens_math::market::Side;
    /// // Bybit: 12,000 BTCUSD contracts at 8,000 USD with 50× need 0.03 BTC.
    /// let p = InversePosition::with_leverage(Side::Long, 12_000.0, 8_000.0, 50.0)?;
    /// assert!((p.wallet_balance_coin() - 0.03).abs() < 1e-15);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_leverage(
        side: Side,
        contracts_usd: f64,
        entry_price: f64,
        leverage: f64,
    ) -> Result<Self> {
        let contracts_usd = ensure_positive("contracts_usd", contracts_usd)?;
        let entry_price = ensure_positive("entry_price", entry_price)?;
        Self::new(
            side,
            contracts_usd,
            entry_price,
            initial_margin(contracts_usd / entry_price, leverage)?,
        )
    }

    /// The same position after `extra_margin_coin` more coin is moved into its isolated wallet.
    ///
    /// # Errors
    /// [`crate::MathError::NotFinite`] for NaN/∞, [`crate::MathError::InvalidParameter`] for a negative amount.
    ///
    /// ```
    /// use lens_math::margin::InversePosition;
    /// use lens_math::market::Side;
    /// let p = InversePosition::new(Side::Short, 60_000.0, 50_000.0, 0.12)?.with_added_margin(0.08)?;
    /// assert!((p.wallet_balance_coin() - 0.2).abs() < 1e-15);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn with_added_margin(self, extra_margin_coin: f64) -> Result<Self> {
        let extra = ensure_finite("extra_margin_coin", extra_margin_coin)?;
        if extra < 0.0 {
            return Err(invalid("extra_margin_coin", "must not be negative"));
        }
        Self::new(
            self.side,
            self.contracts_usd,
            self.entry_price,
            self.wallet_balance_coin + extra,
        )
    }

    /// Long or short.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Contract value in USD (number of contracts × face value).
    pub fn contracts_usd(&self) -> f64 {
        self.contracts_usd
    }

    /// Average entry price, quote currency per unit of base.
    pub fn entry_price(&self) -> f64 {
        self.entry_price
    }

    /// Coin held in the isolated wallet.
    pub fn wallet_balance_coin(&self) -> f64 {
        self.wallet_balance_coin
    }

    /// Position value at entry in coin, `Q_usd / EP`.
    pub fn position_value_coin(&self) -> f64 {
        self.contracts_usd / self.entry_price
    }

    /// Unrealised profit or loss in coin at a mark price.
    ///
    /// # Formula
    /// `PnL = d · Q_usd · (1/EP − 1/P)` (Bybit "P&L calculations (Inverse Contracts)").
    ///
    /// # Errors
    /// [`crate::MathError::InvalidParameter`] unless the price is a positive finite number.
    ///
    /// ```
    /// use lens_math::margin::InversePosition;
    /// use lens_math::market::Side;
    /// // 60,000 USD long from 50,000: at 60,000 the gain is 1.2 − 1.0 = 0.2 BTC.
    /// let p = InversePosition::new(Side::Long, 60_000.0, 50_000.0, 0.12)?;
    /// assert!((p.pnl_coin_at(60_000.0)? - 0.2).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn pnl_coin_at(&self, price: f64) -> Result<f64> {
        Ok(self.pnl_unchecked(ensure_positive("price", price)?))
    }

    /// P&L as a fraction of the coin wallet balance.
    ///
    /// # Errors
    /// As [`InversePosition::pnl_coin_at`].
    pub fn return_on_margin_at(&self, price: f64) -> Result<f64> {
        Ok(self.pnl_coin_at(price)? / self.wallet_balance_coin)
    }

    pub(crate) fn pnl_unchecked(&self, price: f64) -> f64 {
        self.side.sign() * self.contracts_usd * (1.0 / self.entry_price - 1.0 / price)
    }
}
