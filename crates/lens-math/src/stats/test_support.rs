//! Builders for test inputs shared by the modules whose worked examples quote a window's mean and standard
//! deviation instead of listing its values.

/// `n` values whose last one is `last` and whose mean and sample standard deviation (n − 1) are `mean` and
/// `sd`, so a z-score that includes the current point comes out as `(last − mean)/sd`.
///
/// The other n − 1 values sit symmetrically around their own mean m′: one at m′ when their count is odd, the
/// rest at m′ ± d, with d chosen so the total sum of squares is (n − 1)·sd².
pub(crate) fn window_with_moments(n: usize, last: f64, mean: f64, sd: f64) -> Vec<f64> {
    assert!(n >= 3);
    let others = (n - 1) as f64;
    let others_mean = (n as f64 * mean - last) / others;
    let others_sum_sq =
        (n - 1) as f64 * sd * sd - (last - mean).powi(2) - others * (others_mean - mean).powi(2);
    assert!(
        others_sum_sq > 0.0,
        "the requested moments are impossible with this last value"
    );
    let paired = if (n - 1).is_multiple_of(2) {
        n - 1
    } else {
        n - 2
    };
    let d = (others_sum_sq / paired as f64).sqrt();
    let mut values: Vec<f64> = (0..paired)
        .map(|i| {
            if i % 2 == 0 {
                others_mean + d
            } else {
                others_mean - d
            }
        })
        .collect();
    if paired < n - 1 {
        values.push(others_mean);
    }
    values.push(last);
    values
}
