//! Selection: the `nth` smallest key and a partition around it.

use std::mem::MaybeUninit;

use crate::key::SortKey;
use crate::radix::radix_sort;
use crate::{Error, ErrorKind, Result};

/// A selection algorithm for [`select_nth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SelectAlgorithm {
    /// Floyd and Rivest (1975): the pivot comes from a recursively selected sample
    /// around the expected rank, so most of the slice is partitioned once.
    #[default]
    FloydRivest,
    /// Quickselect with a median-of-three pivot (Musser 1997); beyond 2·log₂ n rounds
    /// the LSD radix sort finishes the remaining range, keeping the worst case linear.
    Introselect,
}

/// Reorders `keys` so that `keys[nth]` is the key a full ascending sort would put there,
/// no key before it is greater and no key after it is smaller (in [`SortKey`]'s order),
/// and returns it; the same contract as std's `select_nth_unstable`.
///
/// ```
/// use arsenal_sort::{select_nth, SelectAlgorithm};
/// let mut v = [9u32, 1, 8, 2, 7, 3];
/// assert_eq!(select_nth(&mut v, 2, SelectAlgorithm::FloydRivest)?, 3);
/// assert!(v[..2].iter().all(|&x| x <= 3) && v[3..].iter().all(|&x| x >= 3));
/// # Ok::<(), arsenal_sort::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::OutOfRange`] when `nth >= keys.len()` (the keys are unchanged);
/// [`ErrorKind::OutOfMemory`] when the introselect fallback cannot allocate its scratch
/// space (the keys are then a permutation of the input).
pub fn select_nth<K: SortKey>(keys: &mut [K], nth: usize, algorithm: SelectAlgorithm) -> Result<K> {
    if nth >= keys.len() {
        return Err(Error::new(
            ErrorKind::OutOfRange,
            "select",
            format!("index {nth} in a slice of {} keys", keys.len()),
        ));
    }
    let limit = 2 * (usize::BITS - keys.len().leading_zeros()) as usize + 4;
    let right = keys.len() - 1;
    let done = match algorithm {
        SelectAlgorithm::FloydRivest => floyd_rivest(keys, 0, right, nth, limit),
        SelectAlgorithm::Introselect => introselect(keys, nth, limit),
    };
    if let Some((left, right)) = done {
        fallback(&mut keys[left..=right])?;
    }
    Ok(keys[nth])
}

fn fallback<K: SortKey>(range: &mut [K]) -> Result<()> {
    let mut scratch: Vec<MaybeUninit<K>> = Vec::new();
    scratch
        .try_reserve_exact(range.len())
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "select", "fallback scratch space"))?;
    scratch.resize_with(range.len(), MaybeUninit::uninit);
    radix_sort(range, false, &mut scratch);
    Ok(())
}

/// Three-way partition of `a[left..=right]` around the value at `p`, branch-free
/// (two Lomuto passes whose swap is unconditional and whose store index advances by the
/// comparison): returns `(lt, gt)` with `a[left..lt] < pivot`, `a[lt..gt] == pivot`
/// (never empty) and `a[gt..=right] > pivot`.
fn partition<K: SortKey>(a: &mut [K], left: usize, right: usize, p: usize) -> (usize, usize) {
    a.swap(left, p);
    let t = a[left].ordered();
    let lt = gather(a, left + 1, right, |b| b < t) - 1;
    a.swap(left, lt);
    // a[left..lt] < t, a[lt] = t, a[lt+1..=right] >= t: gather the keys equal to t.
    (lt, gather(a, lt + 1, right, |b| b == t))
}

/// Branch-free Lomuto pass over `a[from..=to]`: moves the keys for which `take` holds to
/// the front, keeping the pass free of branches on the keys; returns where they end.
#[inline(always)]
fn gather<K: SortKey>(
    a: &mut [K],
    from: usize,
    to: usize,
    take: impl Fn(K::Bits) -> bool,
) -> usize {
    assert!(to < a.len(), "gather range inside the slice");
    let p = a.as_mut_ptr();
    let mut store = from;
    for i in from..=to {
        // SAFETY: from <= store <= i <= to < a.len() (store advances at most once per
        // step), so both pointers are in bounds of the exclusively borrowed slice; reading
        // both before writing makes the i == store case a no-op.
        unsafe {
            let x = *p.add(i);
            let t = take(x.ordered());
            *p.add(i) = *p.add(store);
            *p.add(store) = x;
            store += usize::from(t);
        }
    }
    store
}

/// Floyd–Rivest with two pivots (Kiwiel 2005): from a sample of about n^(2/3) keys,
/// two keys `u ≤ v` whose ranks bracket the sample's image of rank `k`; two branch-free
/// passes split the range into `< u`, `[u, v]`, `> v`, and with high probability rank
/// `k` is in the middle part, which is small (so about 1.5 n key moves in all). Ranges
/// of up to 600 keys finish with median-of-three quickselect. Returns the range still
/// to sort when the round limit ran out.
fn floyd_rivest<K: SortKey>(
    a: &mut [K],
    mut left: usize,
    mut right: usize,
    k: usize,
    mut rounds: usize,
) -> Option<(usize, usize)> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ (right - left) as u64;
    while right - left > 600 {
        if rounds == 0 {
            return Some((left, right));
        }
        rounds -= 1;
        let n = right - left + 1;
        let nf = n as f64;
        let z = nf.ln();
        let s = ((0.5 * (2.0 * z / 3.0).exp()) as usize).clamp(32, n / 4);
        let gap = 0.5 * (z * s as f64).sqrt();
        // The sample: s keys spread over the range, swapped to its front.
        let stride = n / s;
        for i in 0..s {
            let pos = left + i * stride + (crate::xorshift64(&mut x) % stride as u64) as usize;
            a.swap(left + i, pos);
        }
        let rank = (k - left) as f64 * s as f64 / nf;
        let r1 = (rank - gap).max(0.0) as usize;
        let r2 = ((rank + gap) as usize).min(s - 1);
        // Select the two ranks inside the sample (quickselect on s keys). Should its
        // round limit run out, u and v are merely less central: the split below is
        // correct for any two keys u <= v, only slower.
        let sample = &mut a[left..left + s];
        let limit = 2 * (usize::BITS - s.leading_zeros()) as usize + 4;
        let _ = introselect(sample, r2, limit);
        let _ = introselect(&mut sample[..=r2], r1, limit);
        let (u, v) = (a[left + r1].ordered(), a[left + r2].ordered());
        let (u, v) = if u <= v { (u, v) } else { (v, u) };
        let lt = gather(a, left, right, |b| b < u);
        let le = gather(a, lt, right, |b| b <= v);
        if let Some(part) = narrow(left, right, k, lt, le) {
            (left, right) = part;
        } else if u == v {
            return None; // every key of the middle part equals u
        } else if le - lt == n {
            // No progress (every key in [u, v]): one single-pivot round.
            let (l2, g2) = partition(a, left, right, k);
            (left, right) = narrow(left, right, k, l2, g2)?;
        } else {
            left = lt;
            right = le - 1;
        }
    }
    if right > left {
        return introselect_range(a, left, right, k, rounds);
    }
    None
}

fn introselect<K: SortKey>(a: &mut [K], k: usize, rounds: usize) -> Option<(usize, usize)> {
    introselect_range(a, 0, a.len() - 1, k, rounds)
}

/// Median-of-three quickselect on `a[left..=right]` for rank `k`; returns the range
/// still to sort when the round limit ran out.
fn introselect_range<K: SortKey>(
    a: &mut [K],
    mut left: usize,
    mut right: usize,
    k: usize,
    mut rounds: usize,
) -> Option<(usize, usize)> {
    while right > left {
        if rounds == 0 {
            return Some((left, right));
        }
        rounds -= 1;
        let mid = left + (right - left) / 2;
        let (x, y, z) = (a[left].ordered(), a[mid].ordered(), a[right].ordered());
        let p = if (x <= y) == (y <= z) {
            mid
        } else if (y <= x) == (x <= z) {
            left
        } else {
            right
        };
        let (lt, gt) = partition(a, left, right, p);
        (left, right) = narrow(left, right, k, lt, gt)?;
    }
    None
}

/// The part of `left..=right` that still holds rank `k` once a partition has put the
/// keys of `lt..gt` in their final places: `None` when `k` is among them (done).
#[inline]
fn narrow(left: usize, right: usize, k: usize, lt: usize, gt: usize) -> Option<(usize, usize)> {
    if k < lt {
        Some((left, lt - 1))
    } else if k >= gt {
        Some((gt, right))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_algorithms_match_a_sort() {
        let mut x = 7u64;
        for n in [1usize, 2, 3, 10, 601, 602, 5000, 100_000] {
            for modulo in [2u64, 100, u64::MAX] {
                let v: Vec<u64> = (0..n).map(|_| crate::xorshift64(&mut x) % modulo).collect();
                let mut sorted = v.clone();
                sorted.sort_unstable();
                for nth in [0, n / 3, n / 2, n - 1] {
                    for alg in [SelectAlgorithm::FloydRivest, SelectAlgorithm::Introselect] {
                        let mut w = v.clone();
                        assert_eq!(select_nth(&mut w, nth, alg).unwrap(), sorted[nth]);
                        assert!(w[..nth].iter().all(|&y| y <= sorted[nth]));
                        assert!(w[nth..].iter().all(|&y| y >= sorted[nth]));
                    }
                }
            }
        }
        let mut e: [u32; 0] = [];
        assert_eq!(
            select_nth(&mut e, 0, SelectAlgorithm::Introselect)
                .unwrap_err()
                .kind(),
            ErrorKind::OutOfRange
        );
        let mut one = [5u8 as u16];
        assert!(select_nth(&mut one, usize::MAX, SelectAlgorithm::FloydRivest).is_err());
    }
}
