//! Market-level leverage proxies: open interest against exchange reserves, against market capitalisation and
//! against spot turnover.

use crate::error::{MathError, Result, ensure_positive};

/// Estimated leverage ratio: open interest per unit of the coins held on the exchange.
///
/// # Formula
/// `ELR = OI / R`, both in the **same unit** (coins ÷ coins or USD ÷ USD; the function cannot check units).
///
/// Source: CryptoQuant's Estimated Leverage Ratio (dataguide.cryptoquant.com), Glassnode's Futures Estimated
/// Leverage Ratio; Leverage Lens glossary term 6.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative or non-finite open interest or a reserve that is not positive.
///
/// ```
/// use lens_math::positioning::estimated_leverage_ratio;
/// // Leverage Lens glossary, leverage ratio monitoring: 300,000 BTC of OI on a 2.0 M BTC reserve → 0.15.
/// assert!((estimated_leverage_ratio(300_000.0, 2_000_000.0)? - 0.15).abs() < 1e-15);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn estimated_leverage_ratio(open_interest: f64, exchange_reserve: f64) -> Result<f64> {
    let oi = ensure_open_interest(open_interest)?;
    let reserve = ensure_positive("exchange reserve", exchange_reserve)?;
    finite(oi / reserve)
}

/// Futures open interest as a fraction of market capitalisation (FOI/MC).
///
/// # Formula
/// `FOI/MC = OI_USD / (P × Q_supply)`
///
/// Source: Glassnode's futures-OI-to-market-cap description; Leverage Lens glossary terms
/// 6 and 17.
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative or non-finite open interest or a price or supply that is not
/// positive; [`MathError::NotFinite`] on overflow.
///
/// ```
/// use lens_math::positioning::oi_to_market_cap;
/// // Leverage Lens glossary, leverage ratio monitoring: 12.6 bn USD against 42,000 × 19.6 M BTC → 1.53 %.
/// assert!((oi_to_market_cap(12.6e9, 42_000.0, 19.6e6)? - 0.0153).abs() < 5e-5);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn oi_to_market_cap(
    open_interest_usd: f64,
    price_usd: f64,
    circulating_supply: f64,
) -> Result<f64> {
    let oi = ensure_open_interest(open_interest_usd)?;
    let price = ensure_positive("price", price_usd)?;
    let supply = ensure_positive("circulating supply", circulating_supply)?;
    // Dividing step by step avoids overflowing the market cap itself.
    finite(oi / price / supply)
}

/// Open interest in days of spot turnover.
///
/// # Formula
/// `D = OI_USD / V_spot,24h`
///
/// Source: Leverage Lens glossary term 5 (leverage dependency).
///
/// # Errors
/// [`MathError::InvalidParameter`] for a negative or non-finite open interest or a volume that is not positive.
///
/// ```
/// use lens_math::positioning::oi_to_spot_volume_days;
/// // Leverage Lens glossary, leverage dependency: 10 bn USD of OI over 2.5 bn of daily spot volume → 4.0 days.
/// assert_eq!(oi_to_spot_volume_days(10e9, 2.5e9)?, 4.0);
/// # Ok::<(), lens_math::MathError>(())
/// ```
pub fn oi_to_spot_volume_days(open_interest_usd: f64, spot_volume_24h_usd: f64) -> Result<f64> {
    let oi = ensure_open_interest(open_interest_usd)?;
    let volume = ensure_positive("24 h spot volume", spot_volume_24h_usd)?;
    finite(oi / volume)
}

fn ensure_open_interest(open_interest: f64) -> Result<f64> {
    if open_interest.is_finite() && open_interest >= 0.0 {
        Ok(open_interest)
    } else {
        Err(MathError::InvalidParameter {
            name: "open interest",
            reason: "must be a finite number ≥ 0",
        })
    }
}

fn finite(value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MathError::NotFinite {
            name: "leverage ratio",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leverage Lens glossary, leverage ratio monitoring: 12.6 bn USD / 42,000 = 300,000 BTC; ELR 0.15 in coins
    /// and in USD (2.0 M BTC × 42,000 = 84 bn); FOI/MC 12.6 / 823.2 = 1.53 % (Python: 0.0153061).
    #[test]
    fn ratios_match_leverage_ratio_monitoring_page() {
        let oi_coin = 12.6e9 / 42_000.0;
        assert_eq!(oi_coin, 300_000.0);
        assert!((estimated_leverage_ratio(oi_coin, 2.0e6).unwrap() - 0.15).abs() < 1e-15);
        assert!((estimated_leverage_ratio(12.6e9, 2.0e6 * 42_000.0).unwrap() - 0.15).abs() < 1e-15);
        let foi_mc = oi_to_market_cap(12.6e9, 42_000.0, 19.6e6).unwrap();
        assert!((foi_mc - 12.6 / 823.2).abs() < 1e-15);
        assert_eq!(format!("{:.2}", foi_mc * 100.0), "1.53");
    }

    /// Leverage Lens glossary, leverage ratio monitoring (Glassnode via CryptoSlate, Dec 2022): with OI fixed,
    /// reserves falling 11.8 % (1 − 0.30/0.34) alone lift the ELR from 0.30 to 0.34, a 13.3 % rise.
    #[test]
    fn falling_reserves_alone_lift_the_ratio_as_the_page_says() {
        let oi = 0.30 * 1_000_000.0;
        let before = estimated_leverage_ratio(oi, 1_000_000.0).unwrap();
        let after = estimated_leverage_ratio(oi, 1_000_000.0 * (0.30 / 0.34)).unwrap();
        assert!((before - 0.30).abs() < 1e-15 && (after - 0.34).abs() < 1e-12);
        assert_eq!(format!("{:.1}", (1.0 - 0.30 / 0.34) * 100.0), "11.8");
        assert_eq!(format!("{:.1}", (after / before - 1.0) * 100.0), "13.3");
    }

    /// Leverage Lens glossary, systemic leverage: 22.40 bn / (64,000 × 19.8 M) = 1.77 %, and the coin count
    /// gives the same 350,000 / 19.8 M — FOI/MC does not depend on price.
    #[test]
    fn oi_to_market_cap_is_the_coin_share() {
        let usd = oi_to_market_cap(22.4e9, 64_000.0, 19.8e6).unwrap();
        assert!((usd - 350_000.0 / 19.8e6).abs() < 1e-15);
        assert_eq!(format!("{:.2}", usd * 100.0), "1.77");
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let invalid = |r: Result<f64>| matches!(r, Err(MathError::InvalidParameter { .. }));
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(invalid(estimated_leverage_ratio(bad, 1.0)));
            assert!(invalid(oi_to_market_cap(bad, 1.0, 1.0)));
            assert!(invalid(oi_to_spot_volume_days(bad, 1.0)));
        }
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(invalid(estimated_leverage_ratio(1.0, bad)));
            assert!(invalid(oi_to_market_cap(1.0, bad, 1.0)));
            assert!(invalid(oi_to_market_cap(1.0, 1.0, bad)));
            assert!(invalid(oi_to_spot_volume_days(1.0, bad)));
        }
        assert!(matches!(
            estimated_leverage_ratio(f64::MAX, f64::MIN_POSITIVE),
            Err(MathError::NotFinite { .. })
        ));
        assert_eq!(oi_to_spot_volume_days(0.0, 1.0).unwrap(), 0.0);
    }
}
