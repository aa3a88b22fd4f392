use super::*;

fn indices(points: &[DecimatedPoint]) -> Vec<usize> {
    points.iter().map(|p| p.index).collect()
}

#[test]
fn every_column_keeps_its_min_and_max_in_time_order() {
    // Two columns over 0..=7: [0, 4) and [4, 8).
    let times = [0, 1, 2, 3, 4, 5, 6, 7];
    let values = [5.0, 9.0, 1.0, 4.0, 3.0, 2.0, 8.0, 6.0];
    let out = decimate_min_max(&times, &values, (0, 7), 2);
    assert_eq!(indices(&out), vec![0, 1, 2, 5, 6, 7]);
}

#[test]
fn a_single_spike_among_a_million_points_survives() {
    let n = 1_000_000;
    let times: Vec<i64> = (0..n).collect();
    let mut values = vec![1.0; n as usize];
    values[777_777] = 1e9;
    values[123_456] = -1e9;
    let out = decimate_min_max(&times, &values, (0, n - 1), 800);
    assert!(out.len() <= 2 * 800 + 2);
    assert!(out.iter().any(|p| p.value == 1e9));
    assert!(out.iter().any(|p| p.value == -1e9));
}

#[test]
fn empty_input_and_empty_ranges_give_nothing() {
    assert!(decimate_min_max(&[], &[], (0, 10), 10).is_empty());
    assert!(decimate_min_max(&[5], &[1.0], (6, 10), 10).is_empty());
    assert!(decimate_min_max(&[5], &[1.0], (10, 0), 10).is_empty());
}

#[test]
fn a_single_point_is_kept_once() {
    let out = decimate_min_max(&[5], &[1.0], (0, 10), 10);
    assert_eq!(indices(&out), vec![0]);
    assert!(!out[0].gap_before);
}

#[test]
fn a_constant_series_keeps_only_the_first_and_last_points_of_each_column() {
    let times: Vec<i64> = (0..100).collect();
    let values = vec![3.0; 100];
    let out = decimate_min_max(&times, &values, (0, 99), 1);
    assert_eq!(indices(&out), vec![0, 99]);
}

#[test]
fn nan_only_input_gives_nothing() {
    let out = decimate_min_max(&[0, 1, 2], &[f64::NAN; 3], (0, 2), 3);
    assert!(out.is_empty());
}

#[test]
fn a_nan_run_across_columns_breaks_the_line() {
    let times: Vec<i64> = (0..10).collect();
    let mut values: Vec<f64> = (0..10).map(f64::from).collect();
    for v in &mut values[3..7] {
        *v = f64::NAN;
    }
    let out = decimate_min_max(&times, &values, (0, 9), 10);
    assert_eq!(indices(&out), vec![0, 1, 2, 7, 8, 9]);
    let gaps: Vec<usize> = out
        .iter()
        .filter(|p| p.gap_before)
        .map(|p| p.index)
        .collect();
    assert_eq!(gaps, vec![7]);
}

#[test]
fn leading_and_trailing_nans_are_trimmed_without_a_gap() {
    let out = decimate_min_max(&[0, 1, 2, 3], &[f64::NAN, 1.0, 2.0, f64::NAN], (0, 3), 4);
    assert_eq!(indices(&out), vec![1, 2]);
    assert!(out.iter().all(|p| !p.gap_before));
}

#[test]
fn zero_columns_count_as_one_and_mismatched_slices_use_the_shorter() {
    let out = decimate_min_max(&[0, 1, 2], &[1.0, 5.0], (0, 2), 0);
    assert_eq!(indices(&out), vec![0, 1]);
}

#[test]
fn unsorted_times_do_not_panic() {
    let out = decimate_min_max(&[5, 1, 9, 3], &[1.0, 2.0, 3.0, 4.0], (0, 10), 3);
    assert!(out.len() <= 8);
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    let times = [i64::MIN, 0, i64::MAX];
    let out = decimate_min_max(&times, &[1.0, 2.0, 3.0], (i64::MIN, i64::MAX), u32::MAX);
    assert_eq!(indices(&out), vec![0, 1, 2]);
    assert_eq!(
        column_of(i64::MAX, i64::MIN, i64::MAX, u32::MAX),
        Some(u32::MAX - 1)
    );
}

#[test]
fn visible_indices_find_the_window_by_binary_search() {
    let times = [10, 20, 30, 40];
    assert_eq!(visible_indices(&times, 15, 30), 1..3);
    assert_eq!(visible_indices(&times, 50, 60), 4..4);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Sorted times with random steps, values with occasional NaN, a random sub-range and column count.
    fn case() -> impl Strategy<Value = (Vec<i64>, Vec<f64>, (i64, i64), u32)> {
        (
            prop::collection::vec(
                (
                    1i64..50,
                    prop_oneof![9 => -1e6f64..1e6, 1 => Just(f64::NAN)],
                ),
                0..300,
            ),
            0i64..2_000,
            0i64..8_000,
            1u32..40,
        )
            .prop_map(|(steps, from, len, columns)| {
                let mut t = 0;
                let (times, values) = steps
                    .into_iter()
                    .map(|(step, v)| {
                        t += step;
                        (t, v)
                    })
                    .unzip();
                (times, values, (from, from + len), columns)
            })
    }

    proptest! {
        #[test]
        fn the_extremes_of_every_column_survive_in_order((times, values, range, columns) in case()) {
            let out = decimate_min_max(&times, &values, range, columns);
            prop_assert!(out.len() <= 2 * columns as usize + 2);
            prop_assert!(out.windows(2).all(|w| w[0].index < w[1].index), "kept points are in input order");
            for p in &out {
                prop_assert_eq!(p.time_ms, times[p.index]);
                prop_assert_eq!(p.value.to_bits(), values[p.index].to_bits());
            }
            let visible: Vec<usize> = (0..times.len())
                .filter(|&i| values[i].is_finite() && (range.0..=range.1).contains(&times[i]))
                .collect();
            for col in 0..columns {
                let in_col: Vec<f64> = visible
                    .iter()
                    .filter(|&&i| column_of(times[i], range.0, range.1, columns) == Some(col))
                    .map(|&i| values[i])
                    .collect();
                let kept: Vec<f64> = out
                    .iter()
                    .filter(|p| column_of(p.time_ms, range.0, range.1, columns) == Some(col))
                    .map(|p| p.value)
                    .collect();
                if let Some(max) = in_col.iter().copied().reduce(f64::max) {
                    prop_assert!(kept.contains(&max), "column {} lost its max {}", col, max);
                }
                if let Some(min) = in_col.iter().copied().reduce(f64::min) {
                    prop_assert!(kept.contains(&min), "column {} lost its min {}", col, min);
                }
            }
            prop_assert_eq!(out.first().map(|p| p.index), visible.first().copied());
            prop_assert_eq!(out.last().map(|p| p.index), visible.last().copied());
        }
    }
}
