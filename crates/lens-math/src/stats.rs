//! Descriptive statistics the indicators share: slice summaries (mean, sample standard deviation, median,
//! z-score), rolling windows over a [`TimeSeries`](crate::series::TimeSeries), realised volatility and simple
//! least-squares regression.
//!
//! Conventions used throughout: standard deviations are *sample* deviations (divisor n − 1); a year has 365 days
//! because crypto trades around the clock; rolling outputs carry the timestamp of the point they describe and
//! start at the first full window.

pub mod normal;
mod regression;
mod rolling;
mod summary;
mod volatility;

pub use regression::{LinearFit, ols};
pub use rolling::{RollingMean, RollingStd, RollingZScore, ZScoreWindow};
pub use summary::{mean, median, sample_std, z_score};
pub use volatility::{PeriodsPerYear, periods_per_year, realised_volatility};

#[cfg(test)]
pub(crate) mod test_support;
