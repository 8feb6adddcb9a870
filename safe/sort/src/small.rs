//! Sorting small slices: the base case of every other sort.
//!
//! [`small_sort`] is branch-free where it counts: it halves the slice down to leaves of
//! at most eight keys, sorts each leaf with the optimal sorting network of its length
//! (19 comparators for eight keys) on a local array, and merges the halves with std's
//! bidirectional branch-free merge, each step a compare and two conditional moves. On
//! random keys the insertion sort it replaces mispredicts about once per key.

use std::mem::MaybeUninit;

use crate::key::SortKey;

/// The most keys [`small_sort`] takes through networks and merges; longer slices go to
/// the insertion sort (the sorts call it only below this size).
pub(crate) const SMALL_MAX: usize = 64;

/// Whether the key is its own image: equal images mean identical keys, so an unstable
/// sort cannot be told from a stable one (every key type but the key-value pairs).
const fn plain<K: SortKey>() -> bool {
    core::mem::size_of::<K>() == core::mem::size_of::<K::Bits>()
}

/// Sorts `keys` (ascending, or descending when `descending`). Stable, as the radix sort
/// that calls it is: the leaves of key-value pairs are sorted by insertion and the
/// merges take the left run's key first among equals; descending pairs go to the
/// insertion sort (reversing an ascending sort would reverse equal keys).
pub(crate) fn small_sort<K: SortKey>(keys: &mut [K], descending: bool) {
    let n = keys.len();
    if !(2..=SMALL_MAX).contains(&n) || (descending && !plain::<K>()) {
        insertion_sort(keys, descending);
        return;
    }
    let mut buf = [MaybeUninit::<K>::uninit(); SMALL_MAX];
    sort_rec(keys, &mut buf, false);
    if descending {
        keys.reverse();
    }
}

/// Sorts `keys` ascending, leaving the result in `keys`, or in `buf[..n]` when `to_buf`
/// (then `keys` holds garbage): each level merges the halves from where its children
/// left them into the other place, so no merge copies back.
fn sort_rec<K: SortKey>(keys: &mut [K], buf: &mut [MaybeUninit<K>], to_buf: bool) {
    let n = keys.len();
    if n <= 8 {
        leaf(keys);
        if to_buf {
            for (b, k) in buf.iter_mut().zip(keys.iter()) {
                *b = MaybeUninit::new(*k);
            }
        }
        return;
    }
    let mid = n / 2;
    let (lo, hi) = keys.split_at_mut(mid);
    let (blo, bhi) = buf[..n].split_at_mut(mid);
    sort_rec(lo, blo, !to_buf);
    sort_rec(hi, bhi, !to_buf);
    if to_buf {
        bidirectional_merge(keys, &mut buf[..n]);
    } else {
        // SAFETY: both children wrote their halves of `buf[..n]` (to_buf was true for
        // them), so all of it is initialised.
        let src = unsafe { crate::radix::assume_init(&buf[..n]) };
        // SAFETY: `MaybeUninit<K>` has `K`'s layout, `K` is `Copy` (nothing to drop), and
        // the merge writes only initialised keys, so `keys` stays initialised.
        let dst = unsafe { &mut *(keys as *mut [K] as *mut [MaybeUninit<K>]) };
        bidirectional_merge(src, dst);
    }
}

/// A leaf of at most eight keys, ascending: plain keys by the optimal sorting network
/// of their length, on a local array (registers); pairs by insertion sort.
#[inline(always)]
fn leaf<K: SortKey>(keys: &mut [K]) {
    if !plain::<K>() {
        insertion_sort(keys, false);
        return;
    }
    match keys.len() {
        8 => network!(keys, 8; 0 2, 1 3, 4 6, 5 7, 0 4, 1 5, 2 6, 3 7, 0 1, 2 3, 4 5, 6 7,
            2 4, 3 5, 1 4, 3 6, 1 2, 3 4, 5 6),
        7 => network!(keys, 7; 0 6, 2 3, 4 5, 0 2, 1 4, 3 6, 0 1, 2 5, 3 4, 1 2, 4 6, 2 3,
            4 5, 1 2, 3 4, 5 6),
        6 => network!(keys, 6; 0 5, 1 3, 2 4, 1 2, 3 4, 0 3, 2 5, 0 1, 2 3, 4 5, 1 2, 3 4),
        5 => network!(keys, 5; 0 3, 1 4, 0 2, 1 3, 0 1, 2 4, 1 2, 3 4, 2 3),
        4 => network!(keys, 4; 0 2, 1 3, 0 1, 2 3, 1 2),
        3 => network!(keys, 3; 0 2, 0 1, 1 2),
        2 => network!(keys, 2; 0 1),
        _ => {}
    }
}

/// Sorts `$keys` (exactly `$n` of them) with the comparators `i j` in order (the
/// optimal networks of Knuth, TAOCP 5.3.4, and Dobbelaere's list): the keys are copied
/// to a local array so that they stay in registers, each comparator is a compare and
/// two conditional moves, and the array is copied back.
macro_rules! network {
    ($keys:expr, $n:literal; $($i:literal $j:literal),*) => {{
        if let Ok(k) = <&mut [K; $n]>::try_from(&mut *$keys) {
            let mut v: [K; $n] = *k;
            $(
                let (a, b) = (v[$i], v[$j]);
                let swap = b.ordered() < a.ordered();
                v[$i] = if swap { b } else { a };
                v[$j] = if swap { a } else { b };
            )*
            *k = v;
        }
    }};
}
use network;

/// Merges the sorted halves `src[..n/2]` and `src[n/2..]` into `dst` (the same length)
/// from both ends at once, `n/2` steps each, as std's small sort does. Stable: the front
/// takes the left key among equals, the back the right one.
///
/// Every read stays inside `src`: the images' order is total, so after `s < n/2` steps
/// from each end the front has taken the `s` smallest keys and the back the `s` largest;
/// a front index reaches the end of its run only after taking all of it, which for the
/// left run (`n/2` keys) happens at the earliest after the last step, and for the right
/// run (`n - n/2 >= n/2` keys) likewise; the same holds for the back indices.
fn bidirectional_merge<K: SortKey>(src: &[K], dst: &mut [MaybeUninit<K>]) {
    let n = src.len();
    assert_eq!(dst.len(), n);
    let half = n / 2;
    let s = src.as_ptr();
    let d = dst.as_mut_ptr() as *mut K;
    // SAFETY: by the argument above every pointer read is inside `src` (the loop reads
    // `l`, `r` < n at the front and `lr`, `rr` >= 0 at the back, step < half), and the
    // writes go to `dst[step]` and `dst[n - 1 - step]` for step < half, plus `dst[half]`
    // when `n` is odd: each slot of `dst` once.
    unsafe {
        let (mut l, mut r) = (s, s.add(half));
        let (mut lr, mut rr) = (s.add(half).wrapping_sub(1), s.add(n - 1));
        for step in 0..half {
            let take_r = (*r).ordered() < (*l).ordered();
            d.add(step).write(*(if take_r { r } else { l }));
            r = r.add(usize::from(take_r));
            l = l.add(usize::from(!take_r));
            let take_l = (*rr).ordered() < (*lr).ordered();
            d.add(n - 1 - step).write(*(if take_l { lr } else { rr }));
            lr = lr.wrapping_sub(usize::from(take_l));
            rr = rr.wrapping_sub(usize::from(!take_l));
        }
        if n % 2 == 1 {
            let left_nonempty = l < lr.wrapping_add(1);
            d.add(half).write(*(if left_nonempty { l } else { r }));
        }
    }
}

/// Insertion sort by the keys' ordered images: stable.
pub(crate) fn insertion_sort<K: SortKey>(keys: &mut [K], descending: bool) {
    for i in 1..keys.len() {
        let k = keys[i];
        let b = k.ordered();
        let mut j = i;
        while j > 0 && {
            let p = keys[j - 1].ordered();
            if descending {
                p < b
            } else {
                p > b
            }
        } {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::KeyValue32;

    /// The 0-1 principle: a network sorts every input when it sorts every 0/1 input.
    #[test]
    fn networks_sort_every_binary_input() {
        for len in 0..=8 {
            for m in 0u32..(1 << len) {
                let mut v: Vec<u32> = (0..len).map(|i| (m >> i) & 1).collect();
                leaf(&mut v);
                assert!(v.windows(2).all(|w| w[0] <= w[1]), "{len} {m:08b}: {v:?}");
            }
        }
    }

    #[test]
    fn small_sort_matches_std_at_every_length() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for n in 0..=SMALL_MAX + 3 {
            for modulus in [2u64, 7, 1 << 40] {
                for descending in [false, true] {
                    let v: Vec<u64> = (0..n)
                        .map(|_| crate::xorshift64(&mut x) % modulus)
                        .collect();
                    let mut got = v.clone();
                    small_sort(&mut got, descending);
                    let mut want = v;
                    want.sort_unstable();
                    if descending {
                        want.reverse();
                    }
                    assert_eq!(got, want, "n={n} modulus={modulus} descending={descending}");
                }
            }
        }
    }

    #[test]
    fn small_sort_of_pairs_is_stable() {
        for n in 0..=SMALL_MAX {
            for descending in [false, true] {
                let v: Vec<KeyValue32> = (0..n as u32)
                    .map(|i| KeyValue32::new((i * 7919) % 5, i))
                    .collect();
                let mut got = v.clone();
                small_sort(&mut got, descending);
                let mut want = v;
                if descending {
                    want.sort_by_key(|p| std::cmp::Reverse(p.key));
                } else {
                    want.sort_by_key(|p| p.key);
                }
                assert_eq!(got, want, "n={n} descending={descending}");
            }
        }
    }
}
