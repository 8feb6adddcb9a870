//! LSD radix sort: one counting pass for every digit, then one stable scatter per byte
//! whose digit is not the same for every key (ska-sort's pass skipping), ping-ponging
//! between the keys and a scratch buffer.

use std::mem::MaybeUninit;

use crate::key::{Bits, SortKey};
use crate::small::small_sort;

/// At or below this many keys, the small sort is faster than a counting pass.
const SMALL: usize = crate::small::SMALL_MAX;
/// Above this many keys, the first pass is most-significant-digit first: it splits the
/// keys into 256 buckets small enough for the cache, which the LSD passes then sort in
/// place of a pass over all keys per digit.
const MSD_MIN: usize = 1 << 16;

/// Stable LSD radix sort of `keys` (ascending, or descending when `descending`), with
/// `scratch` (at least `keys.len()` slots) as the scatter buffer.
pub(crate) fn radix_sort<K: SortKey>(
    keys: &mut [K],
    descending: bool,
    scratch: &mut [MaybeUninit<K>],
) {
    let n = keys.len();
    if n <= SMALL {
        small_sort(keys, descending);
        return;
    }
    let scratch = &mut scratch[..n];
    let bytes = <K::Bits as Bits>::BYTES;
    // Descending order: the complement of every digit, which keeps equal keys in order.
    let flip = if descending { 0xff } else { 0 };
    let mut counts = vec![[0usize; 256]; bytes];
    for k in keys.iter() {
        let b = k.ordered();
        for (i, c) in counts.iter_mut().enumerate() {
            c[b.byte(i) ^ flip] += 1;
        }
    }
    if n > MSD_MIN {
        if let Some(top) = (0..bytes)
            .rev()
            .find(|&i| counts[i].iter().all(|&x| x != n))
        {
            let mut offsets = [0usize; 256];
            bucket_starts(&counts[top], &mut offsets);
            let starts = offsets;
            for k in keys.iter() {
                let d = k.ordered().byte(top) ^ flip;
                scratch[offsets[d]] = MaybeUninit::new(*k);
                offsets[d] += 1;
            }
            // SAFETY: the offsets are the prefix sums of the digit counts of exactly these
            // n keys, so every slot of `scratch` was written.
            keys.copy_from_slice(unsafe { assume_init(scratch) });
            for (&start, &end) in starts.iter().zip(offsets.iter()) {
                // Each bucket shares its top digit, which its own passes skip.
                radix_sort(&mut keys[start..end], descending, &mut scratch[start..end]);
            }
            return;
        }
    }
    let mut in_keys = true; // where the current order lives
    for (i, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same digit: this pass would not move anything
        }
        let mut offsets = [0usize; 256];
        bucket_starts(c, &mut offsets);
        if in_keys {
            for k in keys.iter() {
                let d = k.ordered().byte(i) ^ flip;
                scratch[offsets[d]] = MaybeUninit::new(*k);
                offsets[d] += 1;
            }
        } else {
            // SAFETY: the previous pass wrote every slot of `scratch` (its offsets were the
            // prefix sums of the digit counts of exactly these n keys).
            let src = unsafe { assume_init(scratch) };
            for k in src.iter() {
                let d = k.ordered().byte(i) ^ flip;
                keys[offsets[d]] = *k;
                offsets[d] += 1;
            }
        }
        in_keys = !in_keys;
    }
    if !in_keys {
        // SAFETY: as above, the last pass wrote all n slots of `scratch`.
        keys.copy_from_slice(unsafe { assume_init(scratch) });
    }
}

/// Each bucket's first slot from the bucket sizes: the exclusive prefix sums of
/// `counts`, written to `starts` (as long as `counts`). Shared by the radix passes, the
/// samplesort's scatter and the American-flag pass.
pub(crate) fn bucket_starts(counts: &[usize], starts: &mut [usize]) {
    let mut sum = 0;
    for (start, &count) in starts.iter_mut().zip(counts) {
        *start = sum;
        sum += count;
    }
}

/// Views initialised slots as values.
///
/// # Safety
/// Every slot of `s` must be initialised.
pub(crate) unsafe fn assume_init<K: Copy>(s: &[MaybeUninit<K>]) -> &[K] {
    // SAFETY: MaybeUninit<K> has K's layout, and the caller guarantees initialisation.
    unsafe { &*(s as *const [MaybeUninit<K>] as *const [K]) }
}
