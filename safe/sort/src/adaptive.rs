//! Run detection in front of a sort: what makes std's sorts fast on presorted input,
//! for every backend. An input that is already in order costs one scan; one in reverse
//! order, a scan and a reversal; a long ordered prefix followed by anything, a sort of
//! the rest and one merge. Anything else goes to the backend after a scan that stops at
//! the first pair out of order (on random data, after a couple of keys).

use crate::key::SortKey;
use crate::small::small_sort;
use crate::{Error, ErrorKind, Result};

/// Up to this many keys, the small sort (networks and branch-free merges): at 30 random
/// `u64` keys it is several times vqsort, whose per-call setup dominates there, and level
/// with it by 64 (`sort/u64/random-*`).
pub(crate) const SMALL: usize = crate::small::SMALL_MAX;

/// Sorts `keys` (ascending, or descending when `descending`) with run detection in
/// front of `inner`. Stable when `inner` is: ordered runs are non-strict, reversed runs
/// strict, and the merge takes the earlier run's key first among equals.
pub(crate) fn sort<K: SortKey>(
    keys: &mut [K],
    descending: bool,
    inner: &mut dyn FnMut(&mut [K]) -> Result<()>,
) -> Result<()> {
    let n = keys.len();
    if n <= SMALL {
        small_sort(keys, descending);
        return Ok(());
    }
    let before = |a: &K, b: &K| {
        if descending {
            a.ordered() > b.ordered()
        } else {
            a.ordered() < b.ordered()
        }
    };
    // The ordered prefix: no key before its predecessor.
    let mut run = run_length(keys, |prev, next| before(next, prev));
    if run == n {
        return Ok(());
    }
    if run == 1 {
        // A strictly reversed prefix becomes an ordered one.
        let rev = run_length(keys, |prev, next| !before(next, prev));
        if rev == n {
            keys.reverse();
            return Ok(());
        }
        if rev >= n / 2 {
            keys[..rev].reverse();
            run = rev;
        }
    }
    if run < n / 2 {
        return inner(keys);
    }
    // Long ordered prefix: sort the rest (with run detection: it may be reversed, as in
    // an organ pipe), then merge from the back through a copy of the rest.
    let (head, tail) = keys.split_at_mut(run);
    sort(tail, descending, inner)?;
    if !before(&tail[0], &head[run - 1]) {
        return Ok(()); // the rest starts where the prefix ends
    }
    let mut buf: Vec<K> = Vec::new();
    buf.try_reserve_exact(tail.len()).map_err(|_| {
        Error::new(
            ErrorKind::OutOfMemory,
            "merge",
            "a copy of the unsorted rest",
        )
    })?;
    buf.extend_from_slice(tail);
    merge_back(keys, run, &buf, before);
    Ok(())
}

/// The length of the prefix of `keys` in which no adjacent pair `breaks`: the first 16
/// pairs one by one (random input stops there), then blocks of 64 pairs with a
/// branch-free fold (vectorised), the block with the break pair by pair.
fn run_length<K>(keys: &[K], breaks: impl Fn(&K, &K) -> bool) -> usize {
    const BLOCK: usize = 64;
    let head = keys.len().min(17);
    let first = 1 + keys[..head]
        .windows(2)
        .take_while(|w| !breaks(&w[0], &w[1]))
        .count();
    if first < head {
        return first;
    }
    let mut i = head - 1;
    while i + BLOCK < keys.len() {
        let block = &keys[i..=i + BLOCK];
        if block
            .windows(2)
            .fold(false, |acc, w| acc | breaks(&w[0], &w[1]))
        {
            break;
        }
        i += BLOCK;
    }
    i + 1
        + keys[i..]
            .windows(2)
            .take_while(|w| !breaks(&w[0], &w[1]))
            .count()
}

/// Merges `keys[..run]` (ordered) with `rest` (ordered, a copy of `keys[run..]`) into
/// `keys`, from the back; among equal keys the prefix's come first.
fn merge_back<K: Copy>(keys: &mut [K], run: usize, rest: &[K], before: impl Fn(&K, &K) -> bool) {
    let (mut i, mut j, mut k) = (run, rest.len(), keys.len());
    while j > 0 {
        k -= 1;
        if i > 0 && before(&rest[j - 1], &keys[i - 1]) {
            keys[k] = keys[i - 1];
            i -= 1;
        } else {
            keys[k] = rest[j - 1];
            j -= 1;
        }
    }
}
