//! Byte-string sorting: American flag sort (McIlroy, Bostic & McIlroy 1993: an in-place
//! MSD radix sort, one pass reading each string's byte at the current depth into an
//! oracle, then cycle-leader swaps into 257 buckets) for large ranges, multikey quicksort
//! (Bentley & Sedgewick 1997: a three-way partition on one byte, the equal part continued
//! one byte deeper) for mid-sized ones, insertion sort below; shared prefixes skipped.

use crate::{Error, ErrorKind, Result};

/// Below this many strings, insertion sort on the suffixes from the current depth.
const SMALL: usize = 16;
/// From this many strings, a radix pass (American flag) instead of a three-way partition.
const RADIX: usize = 128;

/// The byte of `s` at `depth`, shifted by one; 0 past the end (the end sorts first).
#[inline(always)]
fn byte_at(s: &[u8], depth: usize) -> u16 {
    s.get(depth).map_or(0, |&b| u16::from(b) + 1)
}

/// Sorts byte strings ascending in lexicographic byte order — the order of `[u8]`,
/// `str` (UTF-8 byte order is code point order), `String` and `Vec<u8>`: the same
/// result as `keys.sort_unstable()` — with American flag sort and multikey quicksort
/// (module docs). Not stable (equal strings are indistinguishable anyway unless `S`
/// carries more than its bytes). In place: elements move by swaps only, so a panicking
/// `AsRef` leaves a permutation of the input, never a duplicate.
///
/// ```
/// let mut words = vec!["pear", "apple", "", "apples", "app"];
/// arsenal_sort::sort_strings(&mut words)?;
/// assert_eq!(words, ["", "app", "apple", "apples", "pear"]);
/// # Ok::<(), arsenal_sort::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::OutOfMemory`] when its work stack cannot grow (the strings are then a
/// permutation of the input).
pub fn sort_strings<S: AsRef<[u8]>>(keys: &mut [S]) -> Result<()> {
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    let mut oracle: Vec<u16> = Vec::new();
    let oom = |_| Error::new(ErrorKind::OutOfMemory, "multikey", "work stack");
    stack.try_reserve(64).map_err(oom)?;
    stack.push((0, keys.len(), 0));
    while let Some((lo, hi, depth)) = stack.pop() {
        let a = &mut keys[lo..hi];
        if a.len() <= SMALL {
            insertion(a, depth);
            continue;
        }
        // Skip the bytes every string of the range shares (URLs, paths, keys with a
        // common prefix): one memcmp-like pass instead of one partition pass per byte.
        let depth = depth + common_prefix(a, depth);
        if a.len() >= RADIX {
            flag_pass(a, depth, &mut oracle, |l, h, d| {
                stack.try_reserve(1).map_err(oom)?;
                stack.push((lo + l, lo + h, d));
                Ok(())
            })?;
            continue;
        }
        // Pivot: the median of three bytes.
        let (x, y, z) = (
            byte_at(a[0].as_ref(), depth),
            byte_at(a[a.len() / 2].as_ref(), depth),
            byte_at(a[a.len() - 1].as_ref(), depth),
        );
        let pivot = if (x <= y) == (y <= z) {
            y
        } else if (y <= x) == (x <= z) {
            x
        } else {
            z
        };
        // Dijkstra's three-way partition: [0, lt) < pivot, [lt, i) == pivot, (gt, end) > pivot.
        let (mut lt, mut i, mut gt) = (0usize, 0usize, a.len());
        while i < gt {
            let b = byte_at(a[i].as_ref(), depth);
            if b < pivot {
                a.swap(lt, i);
                lt += 1;
                i += 1;
            } else if b > pivot {
                gt -= 1;
                a.swap(i, gt);
            } else {
                i += 1;
            }
        }
        stack.try_reserve(3).map_err(oom)?;
        if lt > 1 {
            stack.push((lo, lo + lt, depth));
        }
        if a.len() - gt > 1 {
            stack.push((lo + gt, hi, depth));
        }
        // The equal part: every string has the pivot byte here; past the end they are
        // all equal.
        if pivot != 0 && gt - lt > 1 {
            stack.push((lo + lt, lo + gt, depth + 1));
        }
    }
    Ok(())
}

/// One American-flag pass over `a` on the byte at `depth`: every string's byte read once
/// into `oracle`, bucket sizes counted, then cycle-leader swaps put each string in its
/// bucket (the oracle entries move along). Calls `push(start, end, depth + 1)` for every
/// bucket but the end-of-string one that holds more than one string.
fn flag_pass<S: AsRef<[u8]>>(
    a: &mut [S],
    depth: usize,
    oracle: &mut Vec<u16>,
    mut push: impl FnMut(usize, usize, usize) -> Result<()>,
) -> Result<()> {
    oracle.clear();
    oracle
        .try_reserve(a.len())
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "multikey", "byte oracle"))?;
    let mut counts = [0usize; 257];
    for s in a.iter() {
        let b = byte_at(s.as_ref(), depth);
        oracle.push(b);
        counts[usize::from(b)] += 1;
    }
    let mut start = [0usize; 257];
    crate::radix::bucket_starts(&counts, &mut start);
    let mut next = start;
    for b in 0..257 {
        let end = start[b] + counts[b];
        while next[b] < end {
            let i = next[b];
            let mut c = usize::from(oracle[i]);
            // Follow the cycle from slot i until an element of bucket b lands there.
            while c != b {
                let j = next[c];
                next[c] += 1;
                a.swap(i, j);
                oracle.swap(i, j);
                c = usize::from(oracle[i]);
            }
            next[b] += 1;
        }
    }
    for b in 1..257 {
        if counts[b] > 1 {
            push(start[b], start[b] + counts[b], depth + 1)?;
        }
    }
    Ok(())
}

/// How many bytes from `depth` on every string of `a` shares with the first one (0 as
/// soon as two strings differ right there, the usual case).
fn common_prefix<S: AsRef<[u8]>>(a: &[S], depth: usize) -> usize {
    let first = suffix(a[0].as_ref(), depth);
    let mut lcp = first.len();
    for s in &a[1..] {
        let s = suffix(s.as_ref(), depth);
        // The usual case once a prefix is shared: the whole current prefix matches (one
        // memcmp); otherwise find where they part.
        if s.len() >= lcp && s[..lcp] == first[..lcp] {
            continue;
        }
        lcp = first
            .iter()
            .zip(s)
            .take(lcp)
            .take_while(|(x, y)| x == y)
            .count();
        if lcp == 0 {
            break;
        }
    }
    lcp
}

/// Insertion sort on the suffixes from `depth` (all strings share their first `depth`
/// bytes).
fn insertion<S: AsRef<[u8]>>(a: &mut [S], depth: usize) {
    for i in 1..a.len() {
        let mut j = i;
        while j > 0 && suffix(a[j - 1].as_ref(), depth) > suffix(a[j].as_ref(), depth) {
            a.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[inline(always)]
fn suffix(s: &[u8], depth: usize) -> &[u8] {
    s.get(depth..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_on_prefix_heavy_strings() {
        let mut x = 5u64;
        for n in [0usize, 1, 2, 17, 100, 5000] {
            for alphabet in [1u64, 2, 26] {
                let v: Vec<Vec<u8>> = (0..n)
                    .map(|_| {
                        let len = (crate::xorshift64(&mut x) % 12) as usize;
                        (0..len)
                            .map(|k| b'a' + ((x >> (k * 5)) % alphabet) as u8)
                            .collect()
                    })
                    .collect();
                let mut want = v.clone();
                want.sort_unstable();
                let mut got = v.clone();
                sort_strings(&mut got).unwrap();
                assert_eq!(got, want, "n={n} alphabet={alphabet}");
            }
        }
    }
}
