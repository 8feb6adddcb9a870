//! Boyer–Moore (1977) with both of its rules: compare the window right to left, and on
//! a mismatch shift by the larger of the bad-character rule (align the mismatched
//! haystack byte with its last occurrence in the needle) and the strong good-suffix
//! rule (align the matched suffix with its rightmost other occurrence in the needle
//! that is preceded by a different byte, or with the longest prefix that is a suffix of
//! it). After a full match, the good-suffix table's entry for an empty mismatch gives
//! the needle's period, by which [`find_overlapping`](crate::Searcher::find_overlapping)
//! advances, with Galil's rule (the period's worth of bytes already known to match is
//! not compared again), so that even `aaa…a` in `aaa…a` costs O(n + m).
//!
//! Where Horspool shifts by the window's last byte alone, the good-suffix rule makes
//! the search linear to the first occurrence (at most 3n comparisons, Cole 1994) on
//! inputs such as `aaa…a` searched for `baa…a`, Horspool's O(nm) case.

use super::try_filled;
use crate::{Backend, Result};

/// Boyer–Moore search for one needle: a 256-entry bad-character table and a
/// good-suffix table of one word per needle byte.
///
/// ```
/// use arsenal_text::{BoyerMoore, Searcher};
///
/// let bm = BoyerMoore::new(b"abcab")?;
/// assert_eq!(bm.find(b"abcabcabcab"), Some(0));
/// let mut starts = Vec::new();
/// bm.find_overlapping(b"abcabcabcab", &mut starts);
/// assert_eq!(starts, [0, 3, 6]);
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BoyerMoore {
    needle: Vec<u8>,
    /// The last position of each byte in the needle, plus one (0: absent).
    last: [usize; 256],
    /// `good[j]`: the shift after the window matched `needle[j..]` and mismatched at
    /// `j - 1` (`good[0]`: after a full match, the needle's period).
    good: Vec<usize>,
}

impl BoyerMoore {
    /// Builds both shift tables in O(m).
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`](crate::ErrorKind::OutOfMemory) when the good-suffix
    /// table (one `usize` per needle byte, and a scratch table as large) cannot be
    /// allocated.
    pub fn new(needle: &[u8]) -> Result<BoyerMoore> {
        let m = needle.len();
        let mut last = [0usize; 256];
        for (i, &b) in needle.iter().enumerate() {
            last[usize::from(b)] = i + 1;
        }
        // The strong good-suffix table from the borders of the needle's suffixes
        // (Charras & Lecroq's formulation): `border[i]` is the start of the widest
        // border of `needle[i..]`.
        let mut good = try_filled(m + 1, 0usize, "boyer-moore")?;
        let mut border = try_filled(m + 1, 0usize, "boyer-moore")?;
        let (mut i, mut j) = (m, m + 1);
        border[i] = j;
        while i > 0 {
            while j <= m && needle[i - 1] != needle[j - 1] {
                if good[j] == 0 {
                    good[j] = j - i;
                }
                j = border[j];
            }
            i -= 1;
            j -= 1;
            border[i] = j;
        }
        // Suffixes with no other occurrence: shift to the widest border of the needle
        // that fits (the prefix that is also a suffix).
        let mut j = border[0];
        for (i, g) in good.iter_mut().enumerate() {
            if *g == 0 {
                *g = j;
            }
            if i == j {
                j = border[j];
            }
        }
        Ok(BoyerMoore {
            needle: needle.to_vec(),
            last,
            good,
        })
    }

    /// Runs the search from `start`; calls `on_match(start_of_occurrence)` for each
    /// occurrence, stopping when it returns `false`. After a match the next window is
    /// the next non-overlapping one, or (`overlapping`) one period on, with Galil's
    /// rule: the first `m - period` bytes of that window are already known to match.
    fn run(
        &self,
        haystack: &[u8],
        start: usize,
        overlapping: bool,
        mut on_match: impl FnMut(usize) -> bool,
    ) {
        let needle = &self.needle[..];
        let m = needle.len();
        let n = haystack.len();
        if m == 0 || start > n || n - start < m {
            return;
        }
        let period = self.good[0];
        let mut pos = start;
        // Bytes at the start of the window known to match (Galil's rule).
        let mut known = 0;
        while pos <= n - m {
            let window = &haystack[pos..pos + m];
            let mut j = m;
            while j > known && needle[j - 1] == window[j - 1] {
                j -= 1;
            }
            if j <= known {
                if !on_match(pos) {
                    return;
                }
                if overlapping {
                    pos += period;
                    known = m - period;
                } else {
                    pos += m;
                    known = 0;
                }
                continue;
            }
            // Mismatch at j - 1: the larger of the two rules (the bad-character one
            // can be zero or negative, where the byte occurs to the right).
            let bad = self.last[usize::from(window[j - 1])];
            let bad_shift = j.saturating_sub(bad);
            pos += self.good[j].max(bad_shift);
            known = 0;
        }
    }
}

super::searcher_by_run!(BoyerMoore, Backend::BoyerMoore);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Searcher;

    fn naive(h: &[u8], n: &[u8]) -> Vec<usize> {
        (0..=h.len().saturating_sub(n.len()))
            .filter(|&i| h.len() >= n.len() && &h[i..i + n.len()] == n)
            .collect()
    }

    #[test]
    fn every_needle_over_a_small_alphabet() {
        // All needles up to length 6 over {a, b} against haystacks built from them.
        let mut x = 0x9E37_79B9u32;
        for len in 1..=6u32 {
            for bits in 0..(1u32 << len) {
                let needle: Vec<u8> = (0..len).map(|i| b'a' + ((bits >> i) & 1) as u8).collect();
                let bm = BoyerMoore::new(&needle).unwrap();
                for _ in 0..8 {
                    let h: Vec<u8> = (0..40)
                        .map(|_| {
                            x ^= x << 13;
                            x ^= x >> 17;
                            x ^= x << 5;
                            b'a' + (x & 1) as u8
                        })
                        .collect();
                    let want = naive(&h, &needle);
                    let mut got = Vec::new();
                    bm.find_overlapping(&h, &mut got);
                    assert_eq!(got, want, "{:?} in {:?}", needle, h);
                    assert_eq!(bm.find(&h), want.first().copied());
                }
            }
        }
    }

    #[test]
    fn periodic_needles_stay_linear() {
        let h = vec![b'a'; 100_000];
        let bm = BoyerMoore::new(&[b'a'; 1000]).unwrap();
        let mut got = Vec::new();
        bm.find_overlapping(&h, &mut got);
        assert_eq!(got.len(), 99_001);
        assert_eq!(bm.count(&h), 100);
    }
}
