//! Tiered margin tables: larger notionals carry a higher maintenance rate and a lower maximum leverage, and a
//! per-tier maintenance amount keeps the maintenance margin continuous across tier boundaries.
//!
//! Venues publish the brackets and rates; the maintenance amount ("cum" at Binance, "deduction" at Bybit) is
//! derived here from the continuity rule rather than copied, so a typo in a copied table cannot slip through.

use super::invalid;
use crate::error::{MathError, Result, ensure_finite};

/// One row of a tier table as a venue publishes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierBracket {
    /// Lower bound of the bracket, inclusive, in the margin currency (USDT for linear, coin for inverse).
    pub notional_floor: f64,
    /// Upper bound, exclusive (the last bracket includes it); the last bracket may use `f64::INFINITY`.
    pub notional_cap: f64,
    /// Maintenance margin rate as a decimal (0.004 = 0.40 %).
    pub maintenance_margin_rate: f64,
    /// Highest leverage the venue allows in this bracket; the initial margin rate is its reciprocal.
    pub max_leverage: f64,
}

/// A validated tier: the published bracket plus its derived maintenance amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarginTier {
    bracket: TierBracket,
    maintenance_amount: f64,
}

impl MarginTier {
    /// Lower bound of the bracket, inclusive.
    pub fn notional_floor(&self) -> f64 {
        self.bracket.notional_floor
    }

    /// Upper bound of the bracket, exclusive except in the last tier.
    pub fn notional_cap(&self) -> f64 {
        self.bracket.notional_cap
    }

    /// Maintenance margin rate (decimal).
    pub fn maintenance_margin_rate(&self) -> f64 {
        self.bracket.maintenance_margin_rate
    }

    /// Highest leverage allowed in the bracket.
    pub fn max_leverage(&self) -> f64 {
        self.bracket.max_leverage
    }

    /// `1 / max_leverage`: the smallest initial margin per unit of notional.
    pub fn initial_margin_rate(&self) -> f64 {
        1.0 / self.bracket.max_leverage
    }

    /// The amount subtracted from `notional × MMR` ("cum" at Binance), in the margin currency.
    pub fn maintenance_amount(&self) -> f64 {
        self.maintenance_amount
    }
}

/// A validated tier table, lowest bracket first.
#[derive(Debug, Clone, PartialEq)]
pub struct TierTable {
    tiers: Vec<MarginTier>,
}

/// Binance BTCUSDT brackets (floor, cap, MMR, max leverage) from the announcement of 2021-03-18. The methods table
/// omits max leverage; the column is the `initialLeverage` that copies of Binance's `leverageBracket` response
/// show for these brackets (125, 100, 50, 20, …).
const BINANCE_BTCUSDT_2021: [(f64, f64, f64, f64); 10] = [
    (0.0, 50_000.0, 0.004, 125.0),
    (50_000.0, 250_000.0, 0.005, 100.0),
    (250_000.0, 1_000_000.0, 0.01, 50.0),
    (1_000_000.0, 10_000_000.0, 0.025, 20.0),
    (10_000_000.0, 20_000_000.0, 0.05, 10.0),
    (20_000_000.0, 50_000_000.0, 0.10, 5.0),
    (50_000_000.0, 100_000_000.0, 0.125, 4.0),
    (100_000_000.0, 200_000_000.0, 0.15, 3.0),
    (200_000_000.0, 300_000_000.0, 0.25, 2.0),
    (300_000_000.0, 500_000_000.0, 0.50, 1.0),
];

/// The maintenance amount of a tier from the one below it, so both give the same maintenance margin at the
/// tier's floor.
///
/// # Formula
/// `cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1}`, with `cum_1 = 0`
///
/// Source: Binance COIN-M futures FAQ on maintenance margin (its Level 5 example: 50 BTC × (5 % − 2.5 %) +
/// 0.56 BTC = 1.81 BTC).
///
/// # Errors
/// [`MathError::NotFinite`] for a NaN/∞ input, [`MathError::InvalidParameter`] for a negative floor.
///
/// ```
/// use lens_math::margin::next_maintenance_amount;
/// let cum = next_maintenance_amount(50.0, 0.05, 0.025, 0.56)?;
/// assert!((cum - 1.81).abs() < 1e-12);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn next_maintenance_amount(
    notional_floor: f64,
    maintenance_margin_rate: f64,
    previous_rate: f64,
    previous_amount: f64,
) -> Result<f64> {
    let floor = ensure_finite("notional_floor", notional_floor)?;
    if floor < 0.0 {
        return Err(MathError::InvalidParameter {
            name: "notional_floor",
            reason: "must not be negative",
        });
    }
    let rate = ensure_finite("maintenance_margin_rate", maintenance_margin_rate)?;
    let previous_rate = ensure_finite("previous_rate", previous_rate)?;
    let previous_amount = ensure_finite("previous_amount", previous_amount)?;
    Ok(continuity_amount(
        floor,
        rate,
        previous_rate,
        previous_amount,
    ))
}

/// The continuity rule itself, on inputs already known to be finite.
fn continuity_amount(floor: f64, rate: f64, previous_rate: f64, previous_amount: f64) -> f64 {
    floor * (rate - previous_rate) + previous_amount
}

impl TierTable {
    /// A table from published brackets; maintenance amounts are derived with [`next_maintenance_amount`].
    ///
    /// # Formula
    /// `cum_1 = 0`, `cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1}` (Binance COIN-M FAQ).
    ///
    /// # Errors
    /// [`MathError::NotEnoughData`] for no bracket; [`MathError::NotFinite`] for NaN/∞ (a cap may be +∞ only in
    /// the last bracket); [`MathError::InvalidParameter`] unless the first floor is 0, every cap exceeds its
    /// floor, each floor equals the previous cap, MMR lies in [0, 1) and never decreases, and the maximum
    /// leverage is at least 1 with `1/max_leverage > MMR`.
    ///
    /// ```
    /// use lens_math::margin::{TierBracket, TierTable};
    /// let table = TierTable::new(&[
    ///     TierBracket { notional_floor: 0.0, notional_cap: 50_000.0, maintenance_margin_rate: 0.004, max_leverage: 125.0 },
    ///     TierBracket { notional_floor: 50_000.0, notional_cap: 250_000.0, maintenance_margin_rate: 0.005, max_leverage: 100.0 },
    /// ])?;
    /// assert_eq!(table.tiers()[1].maintenance_amount(), 50.0);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn new(brackets: &[TierBracket]) -> Result<Self> {
        if brackets.is_empty() {
            return Err(MathError::NotEnoughData { needed: 1, got: 0 });
        }
        let last = brackets.len() - 1;
        let mut previous: Option<&TierBracket> = None;
        for (i, b) in brackets.iter().enumerate() {
            ensure_finite("notional_floor", b.notional_floor)?;
            ensure_finite("maintenance_margin_rate", b.maintenance_margin_rate)?;
            ensure_finite("max_leverage", b.max_leverage)?;
            let open_ended = i == last && b.notional_cap == f64::INFINITY;
            if !open_ended {
                ensure_finite("notional_cap", b.notional_cap)?;
            }
            if b.notional_cap <= b.notional_floor {
                return Err(invalid("notional_cap", "must exceed the bracket's floor"));
            }
            if !(0.0..1.0).contains(&b.maintenance_margin_rate) {
                return Err(invalid("maintenance_margin_rate", "must lie in [0, 1)"));
            }
            if b.max_leverage < 1.0 {
                return Err(invalid("max_leverage", "must be at least 1"));
            }
            if 1.0 / b.max_leverage <= b.maintenance_margin_rate {
                return Err(invalid(
                    "max_leverage",
                    "initial margin rate must exceed the maintenance rate",
                ));
            }
            match previous {
                None if b.notional_floor != 0.0 => {
                    return Err(invalid(
                        "notional_floor",
                        "the first bracket must start at zero notional",
                    ));
                }
                Some(p) if b.notional_floor != p.notional_cap => {
                    return Err(invalid(
                        "notional_floor",
                        "each bracket must start where the previous one ends",
                    ));
                }
                Some(p) if b.maintenance_margin_rate < p.maintenance_margin_rate => {
                    return Err(invalid(
                        "maintenance_margin_rate",
                        "must not decrease from one tier to the next",
                    ));
                }
                _ => {}
            }
            previous = Some(b);
        }
        Ok(Self {
            tiers: derive_amounts(brackets),
        })
    }

    /// One tier covering every notional, for venues or examples that quote a single rate (maintenance amount 0).
    ///
    /// # Errors
    /// As [`TierTable::new`].
    ///
    /// ```
    /// use lens_math::margin::TierTable;
    /// let table = TierTable::flat(0.005, 50.0)?;
    /// assert!((table.maintenance_margin(20_000.0)? - 100.0).abs() < 1e-12);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn flat(maintenance_margin_rate: f64, max_leverage: f64) -> Result<Self> {
        Self::new(&[TierBracket {
            notional_floor: 0.0,
            notional_cap: f64::INFINITY,
            maintenance_margin_rate,
            max_leverage,
        }])
    }

    /// Binance's BTCUSDT perpetual tiers as announced on 2021-03-18 (10 brackets, 0 to 500 M USDT), with the
    /// maintenance amounts derived by the continuity rule: 0, 50, 1,300, 16,300, 266,300, 1,266,300, 2,516,300,
    /// 5,016,300, 25,016,300, 100,016,300 USDT.
    ///
    /// Source: Binance Futures announcement of 2021-03-18 on BTCUSDT leverage and margin tiers.
    /// Venues revise tiers; this table is a fixed historical reference, not the live schedule.
    ///
    /// ```
    /// use lens_math::margin::TierTable;
    /// let table = TierTable::binance_btcusdt_2021();
    /// assert_eq!(table.tiers().len(), 10);
    /// assert!((table.tiers()[2].maintenance_amount() - 1_300.0).abs() < 1e-9);
    /// ```
    pub fn binance_btcusdt_2021() -> Self {
        let brackets =
            BINANCE_BTCUSDT_2021.map(|(notional_floor, notional_cap, rate, max_leverage)| {
                TierBracket {
                    notional_floor,
                    notional_cap,
                    maintenance_margin_rate: rate,
                    max_leverage,
                }
            });
        Self {
            tiers: derive_amounts(&brackets),
        }
    }

    /// The tiers, lowest bracket first.
    pub fn tiers(&self) -> &[MarginTier] {
        &self.tiers
    }

    /// Index of the tier whose bracket holds `notional` (`floor ≤ notional < cap`; the last bracket includes
    /// its cap).
    ///
    /// # Errors
    /// [`MathError::NotFinite`] for NaN/∞; [`MathError::InvalidParameter`] for a negative notional or one above
    /// the last cap.
    ///
    /// ```
    /// use lens_math::margin::TierTable;
    /// let table = TierTable::binance_btcusdt_2021();
    /// assert_eq!(table.tier_index_for_notional(260_000.0)?, 2);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn tier_index_for_notional(&self, notional: f64) -> Result<usize> {
        let notional = ensure_finite("notional", notional)?;
        if notional < 0.0 {
            return Err(invalid("notional", "must not be negative"));
        }
        // First tier whose cap lies above the notional; brackets are contiguous, so that tier holds it.
        let index = self.tiers.partition_point(|t| t.notional_cap() <= notional);
        if index < self.tiers.len() {
            return Ok(index);
        }
        match self.tiers.last() {
            Some(top) if notional == top.notional_cap() => Ok(self.tiers.len() - 1),
            _ => Err(invalid(
                "notional",
                "exceeds the last bracket of the tier table",
            )),
        }
    }

    /// The tier whose bracket holds `notional`; see [`TierTable::tier_index_for_notional`].
    ///
    /// # Errors
    /// As [`TierTable::tier_index_for_notional`].
    pub fn tier_for_notional(&self, notional: f64) -> Result<&MarginTier> {
        let index = self.tier_index_for_notional(notional)?;
        self.tiers.get(index).ok_or(invalid(
            "notional",
            "exceeds the last bracket of the tier table",
        ))
    }

    /// Maintenance margin of a position with this notional.
    ///
    /// # Formula
    /// `MM = notional × MMR_k − cum_k`, k the tier holding the notional (Binance portfolio-margin notional-limit
    /// page; Bybit writes the same with "deduction").
    ///
    /// # Errors
    /// As [`TierTable::tier_index_for_notional`].
    ///
    /// ```
    /// use lens_math::margin::TierTable;
    /// // 4 BTC at 65,000 USDT: 260,000 × 1 % − 1,300 = 1,300 USDT.
    /// let mm = TierTable::binance_btcusdt_2021().maintenance_margin(260_000.0)?;
    /// assert!((mm - 1_300.0).abs() < 1e-9);
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn maintenance_margin(&self, notional: f64) -> Result<f64> {
        let tier = self.tier_for_notional(notional)?;
        Ok(notional * tier.maintenance_margin_rate() - tier.maintenance_amount())
    }

    /// Initial margin at a chosen leverage, refused when the leverage exceeds the tier's maximum.
    ///
    /// # Formula
    /// `IM = notional / leverage`, allowed while `leverage ≤ max_leverage_k`.
    ///
    /// # Errors
    /// As [`TierTable::tier_index_for_notional`]; [`MathError::InvalidParameter`] for a leverage below 1 or above
    /// the tier's maximum.
    ///
    /// ```
    /// use lens_math::margin::TierTable;
    /// let table = TierTable::binance_btcusdt_2021();
    /// assert!((table.initial_margin(260_000.0, 10.0)? - 26_000.0).abs() < 1e-9);
    /// assert!(table.initial_margin(260_000.0, 75.0).is_err()); // tier 3 allows 50× at most
    /// # Ok::<(), lens_math::MathError>(())
    /// ```
    pub fn initial_margin(&self, notional: f64, leverage: f64) -> Result<f64> {
        let tier = self.tier_for_notional(notional)?;
        let margin = initial_margin(notional, leverage)?;
        if leverage > tier.max_leverage() {
            return Err(invalid(
                "leverage",
                "exceeds the maximum leverage of the notional's tier",
            ));
        }
        Ok(margin)
    }
}

/// Margin needed to open a position of this notional at this leverage.
///
/// # Formula
/// `IM = notional / leverage` (Binance and Bybit initial-margin pages).
///
/// # Errors
/// [`MathError::NotFinite`] for NaN/∞; [`MathError::InvalidParameter`] for a negative notional or a leverage
/// below 1.
///
/// ```
/// use lens_math::margin::tiers::initial_margin;
/// assert_eq!(initial_margin(10_000.0, 10.0)?, 1_000.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn initial_margin(notional: f64, leverage: f64) -> Result<f64> {
    let notional = ensure_finite("notional", notional)?;
    let leverage = ensure_finite("leverage", leverage)?;
    if notional < 0.0 {
        return Err(invalid("notional", "must not be negative"));
    }
    if leverage < 1.0 {
        return Err(invalid("leverage", "must be at least 1"));
    }
    Ok(notional / leverage)
}

/// Tiers with their maintenance amounts; the brackets must already be validated (or be a trusted constant).
fn derive_amounts(brackets: &[TierBracket]) -> Vec<MarginTier> {
    let mut tiers = Vec::with_capacity(brackets.len());
    let (mut previous_rate, mut previous_amount) = (0.0, 0.0);
    for (i, &bracket) in brackets.iter().enumerate() {
        let rate = bracket.maintenance_margin_rate;
        let amount = if i == 0 {
            0.0
        } else {
            continuity_amount(bracket.notional_floor, rate, previous_rate, previous_amount)
        };
        tiers.push(MarginTier {
            bracket,
            maintenance_amount: amount,
        });
        previous_rate = rate;
        previous_amount = amount;
    }
    tiers
}

#[cfg(test)]
mod tests;
