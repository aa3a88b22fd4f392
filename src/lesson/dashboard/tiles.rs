//! One reader per dashboard tile: the tile, the finding it adds to the verdict's reasons, and the number the
//! verdict's crowding signals take from it.

use lens_math::TimeSeries;
use lens_math::basis::{annualised_basis_simple, basis_fraction, days_to_expiry};
use lens_math::funding::{FundingRate, VenueFunding, oi_weighted_funding_per_8h};
use lens_math::liquidation_map::{LiquidationMapEstimator, PriceGrid};
use lens_math::market::Side;
use lens_math::positioning::{
    BasisRegime, FundingRegime, OiPriceQuadrant, long_share_from_ratio, oi_to_market_cap,
};
use lens_math::series::align_as_of;

use super::inputs::{
    Smile, expiries_nearest, index_price, oi_coins, positioning_skew, quadrant_between,
    quadrant_name, rate_text, ratio_series, signed_num, signed_pct, usable_options,
};
use super::{Lean, Tile};
use crate::lesson::read::oi_usd;
use crate::lesson::read::{self, DAY_MS, HOUR_MS, funding_per_8h, names, percentile_rank};
use crate::lesson::text::{num, pct, rank_phrase, usd};
use crate::market::dataset::{DataSet, Item};
use crate::market::model::{Asset, RatioKind, Venue};

/// How far back funding and long share are z-scored and open interest ranked.
const HISTORY_MS: i64 = 30 * DAY_MS;
/// A hot zone this close to the price (either side) makes the tile read as stretched.
const NEAR_ZONE: f64 = 0.03;

/// A tile and the finding it adds to the verdict's reasons.
pub(super) struct Reading {
    pub(super) tile: Tile,
    pub(super) reason: Option<String>,
}

pub(super) fn no_data(
    key: &'static str,
    title: &str,
    term_slug: &'static str,
    needs: &str,
) -> Reading {
    Reading {
        tile: Tile {
            key,
            title: title.to_string(),
            term_slug,
            value: "–".to_string(),
            detail: format!("No data in view: {needs}."),
            lean: Lean::Unknown,
        },
        reason: None,
    }
}

pub(super) fn lean_of(side: Option<Side>) -> Lean {
    match side {
        Some(Side::Long) => Lean::LongHeavy,
        Some(Side::Short) => Lean::ShortHeavy,
        None => Lean::Calm,
    }
}

pub(super) fn funding_reading(set: &DataSet, asset: &Asset) -> (Reading, Option<f64>) {
    const TITLE: &str = "Funding regime";
    let mut parts = Vec::new();
    let mut inputs = Vec::new();
    for v in set.venues_with(asset, Item::Funding) {
        let latest = read::funding(set, v, asset, i64::MIN)
            .iter()
            .rev()
            .find_map(|r| FundingRate::new(r.rate, r.interval_hours).ok());
        if let Some(rate) = latest {
            parts.push(format!("{} {}", v.display_name(), rate_text(rate.per_8h())));
            let oi = oi_usd(set, v, asset, i64::MIN).last().map(|(_, u)| u);
            inputs.push((rate, oi));
        }
    }
    let weighted = inputs.iter().all(|(_, oi)| oi.is_some_and(|o| o > 0.0));
    // Without every venue's open interest the weights would be partial; an even average is the honest fallback.
    let venues: Vec<VenueFunding> = inputs
        .iter()
        .map(|(rate, oi)| VenueFunding {
            rate: *rate,
            open_interest_usd: if weighted { oi.unwrap_or(0.0) } else { 1.0 },
        })
        .collect();
    let (Ok(rate), Ok(regime)) = (
        oi_weighted_funding_per_8h(&venues),
        oi_weighted_funding_per_8h(&venues).and_then(FundingRegime::from_rate_per_8h),
    ) else {
        return (
            no_data("funding", TITLE, "leverage-skew", "funding rates"),
            None,
        );
    };
    let words = super::words::funding_words(regime);
    let how = if weighted {
        "OI-weighted"
    } else {
        "plain average"
    };
    let tile = Tile {
        key: "funding",
        title: TITLE.to_string(),
        term_slug: "leverage-skew",
        value: format!("{} per 8 h", rate_text(rate)),
        detail: format!(
            "{words}; {how} of {}; {} a year",
            parts.join(", "),
            signed_pct(rate * 3.0 * 365.0, 1)
        ),
        lean: lean_of(regime.leaning()),
    };
    let reason = Some(format!("funding {} per 8 h ({words})", rate_text(rate)));
    (Reading { tile, reason }, Some(rate))
}

pub(super) fn quadrant_reading(set: &DataSet, asset: &Asset) -> (Reading, Option<OiPriceQuadrant>) {
    const TITLE: &str = "Open interest × price, 24 h";
    let venues = set.venues_with(asset, Item::OpenInterest);
    let Some((q, oi, price, used)) =
        quadrant_between(set, &venues, asset, set.as_of_ms - DAY_MS, set.as_of_ms)
    else {
        return (
            no_data(
                "quadrant",
                TITLE,
                "leverage-dynamics-assessment",
                "open interest and prices 24 h apart",
            ),
            None,
        );
    };
    let moves = format!(
        "open interest {} and price {} over 24 h",
        signed_pct(oi, 1),
        signed_pct(price, 1)
    );
    let tile = Tile {
        key: "quadrant",
        title: TITLE.to_string(),
        term_slug: "leverage-dynamics-assessment",
        value: quadrant_name(q).to_string(),
        detail: format!("{moves} ({})", names(&used)),
        lean: match q {
            OiPriceQuadrant::NewLongs => Lean::LongHeavy,
            OiPriceQuadrant::NewShorts => Lean::ShortHeavy,
            _ => Lean::Calm,
        },
    };
    let reason = Some(format!("{} ({moves})", quadrant_name(q).to_lowercase()));
    (Reading { tile, reason }, Some(q))
}

pub(super) fn basis_reading(set: &DataSet, asset: &Asset) -> (Reading, Option<f64>) {
    const TITLE: &str = "Basis";
    let premiums: Vec<String> = set
        .venues_with(asset, Item::Basis)
        .into_iter()
        .filter_map(|v| {
            let b = read::basis(set, v, asset, i64::MIN)
                .into_iter()
                .rev()
                .find_map(|b| basis_fraction(b.futures_price, b.index_price).ok())?;
            Some(format!("{} {}", v.display_name(), signed_pct(b, 3)))
        })
        .collect();
    let premium_text = if premiums.is_empty() {
        String::new()
    } else {
        format!("perp premium {}", premiums.join(", "))
    };
    // Dated basis: the option forward nearest the 3-month tenor analytics sites such as Velo show, at least a week out.
    let dated = index_price(set, asset).and_then(|index| {
        set.venues_with(asset, Item::Options)
            .into_iter()
            .find_map(|venue| {
                let quotes = usable_options(set, venue, asset);
                let expiry = expiries_nearest(&quotes, set.as_of_ms, 90)
                    .into_iter()
                    .find(|e| *e - set.as_of_ms >= 7 * DAY_MS)?;
                let forward = quotes
                    .iter()
                    .find(|q| q.expiry_ms == expiry)?
                    .underlying_price;
                let days = days_to_expiry(set.as_of_ms, expiry).ok()?;
                let annual = annualised_basis_simple(forward, index, days).ok()?;
                Some((venue, days, forward, index, annual))
            })
    });
    let Some((venue, days, forward, index, annual)) = dated else {
        if premiums.is_empty() {
            return (
                no_data(
                    "basis",
                    TITLE,
                    "leverage-dependency",
                    "futures or index prices",
                ),
                None,
            );
        }
        let tile = Tile {
            key: "basis",
            title: TITLE.to_string(),
            term_slug: "leverage-dependency",
            value: "no dated future".to_string(),
            detail: format!("No dated future in view to annualise; {premium_text}."),
            lean: Lean::Unknown,
        };
        return (Reading { tile, reason: None }, None);
    };
    let Ok(regime) = BasisRegime::from_annualised_simple(annual) else {
        return (
            no_data("basis", TITLE, "leverage-dependency", "a usable basis"),
            None,
        );
    };
    let words = super::words::basis_words(regime);
    let tile = Tile {
        key: "basis",
        title: TITLE.to_string(),
        term_slug: "leverage-dependency",
        value: format!("{} a year", signed_pct(annual, 1)),
        detail: format!(
            "{words}: {} forward {} days out at {} against the index {}{}",
            venue.display_name(),
            num(days, 0),
            usd(forward),
            usd(index),
            if premium_text.is_empty() {
                String::new()
            } else {
                format!("; {premium_text}")
            }
        ),
        lean: lean_of(regime.leaning()),
    };
    let reason = Some(format!(
        "the {}-day basis is {} a year ({words})",
        num(days, 0),
        signed_pct(annual, 1)
    ));
    (Reading { tile, reason }, Some(annual))
}

pub(super) fn skew_reading(set: &DataSet, asset: &Asset, smile: Option<&Smile>) -> Reading {
    const TITLE: &str = "Positioning skew";
    let from = set.as_of_ms - HISTORY_MS;
    let (mut shares, mut psis, mut parts) = (Vec::new(), Vec::new(), Vec::new());
    for v in set.venues_with(
        asset,
        Item::Ratio {
            kind: RatioKind::GlobalAccounts,
        },
    ) {
        let ratios = ratio_series(set, v, asset, RatioKind::GlobalAccounts, from);
        let Some(share) = ratios
            .last()
            .and_then(|(_, r)| long_share_from_ratio(r).ok())
        else {
            continue;
        };
        shares.push(share);
        parts.push(format!("{} {}", v.display_name(), pct(share, 0)));
        if let Some(r) = positioning_skew(&funding_per_8h(set, v, asset, from), &ratios) {
            psis.push(r.psi);
        }
    }
    let rr_text = smile.map(|s| {
        format!(
            "25Δ risk reversal {} vol points ({}, {} days)",
            num(s.risk_reversal.vol_points, 1),
            s.venue.display_name(),
            num(s.days, 0)
        )
    });
    if shares.is_empty() {
        let mut r = no_data("skew", TITLE, "leverage-skew", "long/short account ratios");
        if let Some(rr) = rr_text {
            r.tile.detail = format!("{} {rr}.", r.tile.detail);
        }
        return r;
    }
    let share = shares.iter().sum::<f64>() / shares.len() as f64;
    let psi = (!psis.is_empty()).then(|| psis.iter().sum::<f64>() / psis.len() as f64);
    let psi_text = psi.map_or("no skew index (too little history)".to_string(), |p| {
        format!("skew index {}", signed_num(p, 1))
    });
    let tile = Tile {
        key: "skew",
        title: TITLE.to_string(),
        term_slug: "leverage-skew",
        value: format!("{} of accounts long", pct(share, 0)),
        detail: [Some(psi_text.clone()), Some(parts.join(", ")), rr_text]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; "),
        lean: match psi {
            Some(p) if p >= 1.0 => Lean::LongHeavy,
            Some(p) if p <= -1.0 => Lean::ShortHeavy,
            Some(_) => Lean::Calm,
            None => Lean::Unknown,
        },
    };
    let reason = Some(format!(
        "{} of accounts are long ({psi_text})",
        pct(share, 0)
    ));
    Reading { tile, reason }
}

pub(super) fn leverage_reading(set: &DataSet, asset: &Asset) -> Reading {
    const TITLE: &str = "Estimated leverage";
    let from = set.as_of_ms - HISTORY_MS;
    let (venues, series): (Vec<Venue>, Vec<TimeSeries>) = set
        .venues_with(asset, Item::OpenInterest)
        .into_iter()
        .map(|v| (v, oi_usd(set, v, asset, from)))
        .filter(|(_, s)| !s.is_empty())
        .unzip();
    let cap = TimeSeries::from_points_lossy(
        read::market_cap(set, asset, i64::MIN)
            .iter()
            .filter(|p| p.value > 0.0)
            .map(|p| (p.time_ms, p.value)),
    );
    let mut grid: Vec<i64> = series.iter().flat_map(|s| s.times_ms().to_vec()).collect();
    lens_math::sort::sort(&mut grid);
    let refs: Vec<&TimeSeries> = series.iter().collect();
    let (times, columns) = align_as_of(&grid, &refs);
    let points: Vec<(f64, f64)> = times
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let total: f64 = columns.iter().filter_map(|c| c.get(i)).sum();
            // The data carries the cap itself (price × supply), so it stands in for the price with a supply of 1.
            let ratio = oi_to_market_cap(total, cap.value_as_of(*t)?, 1.0).ok()?;
            Some((total, ratio))
        })
        .collect();
    let Some(&(total, latest)) = points.last() else {
        return no_data(
            "leverage",
            TITLE,
            "leverage-ratio-monitoring",
            "open interest and market capitalisation",
        );
    };
    let ratios: Vec<f64> = points.iter().map(|p| p.1).collect();
    let rank = percentile_rank(&ratios, latest);
    let rank_text = format!("{} of the last 30 days", rank_phrase(rank));
    let stretched = rank >= 0.9;
    let tile = Tile {
        key: "leverage",
        title: TITLE.to_string(),
        term_slug: "leverage-ratio-monitoring",
        value: format!("{} of market cap", pct(latest, 2)),
        detail: format!(
            "{} of open interest across {}; {rank_text}",
            usd(total),
            names(&venues)
        ),
        lean: if stretched {
            Lean::Stretched
        } else {
            Lean::Calm
        },
    };
    let reason = stretched.then(|| {
        format!(
            "open interest is {} of market cap, {rank_text}",
            pct(latest, 2)
        )
    });
    Reading { tile, reason }
}

/// The nearest band on each side of `price` holding at least half the fullest band's estimated liquidations.
pub(super) fn hot_zones(
    column: &[f64],
    grid: &PriceGrid,
    price: f64,
) -> (Option<f64>, Option<f64>) {
    let peak = column.iter().copied().fold(0.0, f64::max);
    let hot = column
        .iter()
        .enumerate()
        .filter(|(_, m)| peak > 0.0 && **m >= 0.5 * peak)
        .map(|(i, _)| grid.center(i));
    let below = hot.clone().filter(|c| *c < price).max_by(f64::total_cmp);
    let above = hot.filter(|c| *c > price).min_by(f64::total_cmp);
    (below, above)
}

pub(super) fn hot_zone_reading(set: &DataSet, asset: &Asset) -> Reading {
    const TITLE: &str = "Liquidation hot zones";
    const SLUG: &str = "leverage-and-liquidation-risks";
    let from = set.as_of_ms - HISTORY_MS;
    // Per venue: valid bars that have an OI reading at their open (a reading stamped at an hour's end is the
    // OI at the close of the bar that opened an hour earlier, as in the liquidation-risk example).
    let inputs: Vec<(Venue, Vec<lens_math::market::Bar>, TimeSeries)> = set
        .venues_with(asset, Item::OpenInterest)
        .into_iter()
        .filter_map(|v| {
            let oi = TimeSeries::from_points_lossy(
                oi_coins(set, v, asset, from)
                    .iter()
                    .map(|(t, b)| (t - HOUR_MS, b)),
            );
            let bars: Vec<_> = crate::market::to_math::bars(&read::candles(set, v, asset, from))
                .into_iter()
                .filter(|b| b.is_valid() && oi.value_as_of(b.open_time_ms).is_some())
                .filter(|b| oi.times_ms().binary_search(&b.open_time_ms).is_ok())
                .collect();
            let values: Vec<f64> = bars
                .iter()
                .filter_map(|b| oi.value_as_of(b.open_time_ms))
                .collect();
            let oi = TimeSeries::new(bars.iter().map(|b| b.open_time_ms).collect(), values).ok()?;
            (bars.len() >= 2).then_some((v, bars, oi))
        })
        .collect();
    let lo = inputs
        .iter()
        .flat_map(|(_, b, _)| b.iter().map(|b| b.low))
        .fold(f64::INFINITY, f64::min);
    let hi = inputs
        .iter()
        .flat_map(|(_, b, _)| b.iter().map(|b| b.high))
        .fold(0.0, f64::max);
    let price = {
        let last: Vec<f64> = inputs
            .iter()
            .filter_map(|(v, _, _)| read::last_price(set, *v, asset).ok())
            .collect();
        last.iter().sum::<f64>() / last.len() as f64
    };
    let estimate = PriceGrid::with_buckets(lo * 0.8, hi * 1.2, 160)
        .and_then(|g| {
            Ok((
                g,
                crate::lesson::read::assumed_leverage_grid(crate::lesson::read::ASSUMED_MMR)?,
            ))
        })
        .and_then(|(g, mix)| Ok((g, LiquidationMapEstimator::new(g, mix, 0.0)?)));
    let (Ok((grid, estimator)), true) = (estimate, price.is_finite() && price > 0.0) else {
        return no_data("hot-zones", TITLE, SLUG, "price bars with open interest");
    };
    let mut column = vec![0.0; grid.bucket_count()];
    let mut used = Vec::new();
    for (v, bars, oi) in &inputs {
        if let Ok(map) = estimator.estimate(bars, oi)
            && let Some(last) = map.column(map.width().saturating_sub(1))
        {
            column
                .iter_mut()
                .zip(last)
                .for_each(|(sum, m)| *sum += f64::from(*m));
            used.push(*v);
        }
    }
    let (below, above) = hot_zones(&column, &grid, price);
    if below.is_none() && above.is_none() {
        return no_data("hot-zones", TITLE, SLUG, "an estimated liquidation map");
    }
    let side = |zone: Option<f64>| {
        zone.map_or("none".to_string(), |z| {
            format!("{} ({})", usd(z), signed_pct(z / price - 1.0, 1))
        })
    };
    let nearest = [below, above]
        .into_iter()
        .flatten()
        .map(|z| (z / price - 1.0).abs())
        .fold(f64::INFINITY, f64::min);
    let stretched = nearest <= NEAR_ZONE;
    let tile = Tile {
        key: "hot-zones",
        title: TITLE.to_string(),
        term_slug: SLUG,
        value: format!("below {} · above {}", side(below), side(above)),
        detail: format!(
            "Nearest bands holding at least half the peak of the estimated liquidation map at {} ({}); leverage mix 5–100×",
            usd(price),
            names(&used)
        ),
        lean: if stretched {
            Lean::Stretched
        } else {
            Lean::Calm
        },
    };
    let reason = stretched.then(|| {
        format!(
            "a liquidation hot zone sits {} from the price",
            pct(nearest, 1)
        )
    });
    Reading { tile, reason }
}
