//! Sorting compiled once for the whole program.
//!
//! The standard library's sorts are generic over the comparison, so every call site compiles its own copy of
//! the sorting machinery: in the browser build that was 288 KB of the 2.1 MB module, one copy for each of fifty
//! call sites. These functions sort a permutation of indices through one non-generic merge sort that calls
//! the comparison through a reference; only the cheap step that applies the permutation is generic. They are
//! stable (equal elements keep their order), like `slice::sort_by`.
//!
//! ```
//! let mut rows = vec![(3, 'c'), (1, 'a'), (2, 'b'), (1, 'z')];
//! lens_math::sort::sort_by_key(&mut rows, |r| r.0);
//! assert_eq!(rows, vec![(1, 'a'), (1, 'z'), (2, 'b'), (3, 'c')]);
//! ```

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let v: &[T] = v;
        sort_indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
    }
    apply_permutation(v, order);
}

/// Stable sort of `v` by the key `key` gives each element.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts numbers ascending by IEEE 754 total order (NaN last, −0 before +0).
pub fn sort_floats(v: &mut [f64]) {
    sort_by(v, f64::total_cmp);
}

/// Runs this short are sorted by insertion first, then merged pairwise.
const RUN: usize = 16;

/// Stable bottom-up merge sort of indices; the one sort the program compiles.
fn sort_indices(order: &mut Vec<usize>, cmp: &dyn Fn(usize, usize) -> Ordering) {
    let n = order.len();
    for start in (0..n).step_by(RUN) {
        let run = &mut order[start..(start + RUN).min(n)];
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && cmp(run[j - 1], run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut from = std::mem::take(order);
    let mut to = vec![0; n];
    let mut width = RUN;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // Ties take the left run's element first: stable.
                if cmp(from[i], from[j]) == Ordering::Greater {
                    to[k] = from[j];
                    j += 1;
                } else {
                    to[k] = from[i];
                    i += 1;
                }
                k += 1;
            }
            to[k..k + (mid - i)].copy_from_slice(&from[i..mid]);
            k += mid - i;
            to[k..k + (hi - j)].copy_from_slice(&from[j..hi]);
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    *order = from;
}

/// Rearranges `v` so that position `i` holds what was at `order[i]`, following each cycle of the permutation.
fn apply_permutation<T>(v: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_stably_and_handles_the_trivial_cases() {
        let mut empty: Vec<i32> = vec![];
        sort(&mut empty);
        let mut one = vec![1];
        sort(&mut one);
        assert_eq!(one, vec![1]);
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
        sort_by_key(&mut pairs, |p| p.0);
        assert_eq!(pairs, vec![(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        let mut floats = vec![2.0, f64::NAN, -1.0, 0.0, -0.0];
        sort_floats(&mut floats);
        assert_eq!(&floats[..4], &[-1.0, -0.0, 0.0, 2.0]);
        assert!(floats[4].is_nan());
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(v in prop::collection::vec((0u8..20, any::<u16>()), 0..300)) {
            let mut ours = v.clone();
            let mut theirs = v;
            sort_by_key(&mut ours, |p| p.0);
            theirs.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, theirs);
        }
    }
}
