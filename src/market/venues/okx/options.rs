//! `/api/v5/public/opt-summary` → option quotes.
//!
//! The summary has the mark volatility (`markVol`), the forward of the expiry (`fwdPx`) and greeks, but no mark
//! price. Rather than a second request (`/public/mark-price?instType=OPTION`, quoted in coin, which the page-merging
//! client could not join to these rows), the USD price per unit of underlying is recomputed here with Black-76 from
//! exactly those inputs, undiscounted (the forward already carries the carry; discounting would change a 3-month
//! option by ~1 % at 4 % rates). That is OKX's own mark up to discounting and their volatility-surface rounding.

use serde::Deserialize;
use serde_json::Value;

use super::VENUE;
use crate::market::model::{OptionKind, OptionQuote};
use crate::market::parse::{ParseError, iso8601_ms, num, opt_num, shape, time_ms};
use crate::market::venues::Payload;
use crate::market::venues::kit::{decode, non_negative, positive};

/// OKX options expire at 08:00 UTC on the date in their name.
const EXPIRY_TIME_UTC: &str = "08:00:00Z";
use lens_math::series::YEAR_MS;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    inst_id: String,
    #[serde(deserialize_with = "num")]
    mark_vol: f64,
    #[serde(deserialize_with = "num")]
    fwd_px: f64,
    /// Black-Scholes delta; plain `delta` is premium-adjusted (in coin) and not comparable across venues.
    #[serde(rename = "deltaBS", default, deserialize_with = "opt_num")]
    delta_bs: Option<f64>,
    #[serde(deserialize_with = "time_ms")]
    ts: i64,
}

pub fn chain(data: Value) -> Result<Payload, ParseError> {
    let rows: Vec<Summary> = decode(VENUE, data)?;
    let mut quotes = rows.into_iter().map(quote).collect::<Result<Vec<_>, _>>()?;
    lens_math::sort::sort_by(&mut quotes, |a, b| {
        (a.expiry_ms, a.kind == OptionKind::Put)
            .cmp(&(b.expiry_ms, b.kind == OptionKind::Put))
            .then(a.strike.total_cmp(&b.strike))
    });
    Ok(Payload::Options(quotes))
}

fn quote(s: Summary) -> Result<OptionQuote, ParseError> {
    let (expiry_ms, strike, kind) = parse_instrument(&s.inst_id)?;
    let forward = positive(VENUE, "forward price", s.fwd_px)?;
    let vol = non_negative(VENUE, "mark volatility", s.mark_vol)?;
    let years = expiry_ms.saturating_sub(s.ts) as f64 / YEAR_MS;
    Ok(OptionQuote {
        mark_price_usd: black76(kind, forward, strike, vol, years),
        instrument: s.inst_id,
        kind,
        strike,
        expiry_ms,
        mark_iv: vol,
        underlying_price: forward,
        delta: s.delta_bs,
        open_interest_base: None,
    })
}

/// `BTC-USD-261225-100000-C` → (expiry ms, strike, kind).
fn parse_instrument(id: &str) -> Result<(i64, f64, OptionKind), ParseError> {
    let bad = || {
        shape(
            VENUE,
            format!("option instrument {id:?} is not ASSET-USD-YYMMDD-STRIKE-C|P"),
        )
    };
    let parts: Vec<&str> = id.split('-').collect();
    let [_, _, date, strike, kind] = parts.as_slice() else {
        return Err(bad());
    };
    if date.len() != 6 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let iso = format!(
        "20{}-{}-{}T{EXPIRY_TIME_UTC}",
        &date[0..2],
        &date[2..4],
        &date[4..6]
    );
    let expiry_ms = iso8601_ms(&iso).ok_or_else(bad)?;
    let strike = crate::market::parse::parse_decimal(strike)
        .filter(|k| *k > 0.0)
        .ok_or_else(bad)?;
    let kind = match *kind {
        "C" => OptionKind::Call,
        "P" => OptionKind::Put,
        _ => return Err(bad()),
    };
    Ok((expiry_ms, strike, kind))
}

/// Undiscounted Black-76 value of an option on a forward `f` (> 0) at strike `k` (> 0), volatility `vol` (decimal,
/// ≥ 0), `years` to expiry. At or past expiry, or with no volatility, the intrinsic value.
fn black76(kind: OptionKind, f: f64, k: f64, vol: f64, years: f64) -> f64 {
    let spread = vol * years.max(0.0).sqrt();
    let value = if spread < 1e-12 {
        match kind {
            OptionKind::Call => f - k,
            OptionKind::Put => k - f,
        }
    } else {
        let d1 = ((f / k).ln() + 0.5 * spread * spread) / spread;
        let d2 = d1 - spread;
        match kind {
            OptionKind::Call => f * normal_cdf(d1) - k * normal_cdf(d2),
            OptionKind::Put => k * normal_cdf(-d2) - f * normal_cdf(-d1),
        }
    };
    value.max(0.0)
}

/// Standard normal CDF via the complementary error function.
fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere (Press et al.,
/// Numerical Recipes, `erfcc`): ample for a displayed mark price.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_tables() {
        // Φ(0) = 0.5, Φ(1) = 0.8413447461, Φ(−1.96) = 0.0249978951.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.0) - 0.841_344_746_1).abs() < 1e-7);
        assert!((normal_cdf(-1.96) - 0.024_997_895_1).abs() < 1e-8);
        assert!(normal_cdf(40.0) <= 1.0 && normal_cdf(-40.0) >= 0.0);
    }

    #[test]
    fn black76_obeys_parity_and_the_atm_approximation() {
        let (f, k, vol, t) = (97_000.0, 100_000.0, 0.52, 0.25);
        let call = black76(OptionKind::Call, f, k, vol, t);
        let put = black76(OptionKind::Put, f, k, vol, t);
        assert!((call - put - (f - k)).abs() < 0.05, "parity: {call} {put}");
        // ATM: C ≈ 0.3989·F·σ√T.
        let atm = black76(OptionKind::Call, f, f, vol, t);
        assert!((atm / (0.398_942_3 * f * vol * t.sqrt()) - 1.0).abs() < 0.01);
        assert_eq!(black76(OptionKind::Put, f, k, vol, -1.0), 3_000.0);
        assert_eq!(black76(OptionKind::Call, f, k, 0.0, t), 0.0);
    }

    #[test]
    fn instrument_names_parse() {
        let (expiry, strike, kind) = parse_instrument("BTC-USD-261225-100000-C").unwrap();
        assert_eq!(
            (expiry, strike, kind),
            (1_798_185_600_000, 100_000.0, OptionKind::Call)
        );
        for bad in [
            "BTC-USD-SWAP",
            "BTC-USD-261325-1-C",
            "BTC-USD-2612-1-C",
            "BTC-USD-261225-x-P",
            "BTC-USD-261225-5-X",
        ] {
            assert!(parse_instrument(bad).is_err(), "{bad}");
        }
    }
}
