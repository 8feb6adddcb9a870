//! The Z-algorithm (Gusfield 1997): `Z[i]`, the longest common prefix of the needle and
//! its suffix at `i`, computed once; the haystack is then scanned with the same "Z-box"
//! trick, so each haystack byte is compared O(1) times amortised: O(n + m) worst case,
//! without concatenating needle and haystack.

use super::{empty_needle_at, try_filled};
use crate::{Backend, Result, Searcher};

/// Z-algorithm search for one needle.
///
/// ```
/// use arsenal_text::{Searcher, ZSearch};
///
/// let z = ZSearch::new(b"abab")?;
/// let mut all = Vec::new();
/// z.find_overlapping(b"abababab", &mut all);
/// assert_eq!(all, [0, 2, 4]);
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ZSearch {
    needle: Vec<u8>,
    /// `z[i]` = LCP(needle, needle[i..]); `z[0]` = the needle's length.
    z: Vec<usize>,
}

impl ZSearch {
    /// Computes the needle's Z array.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`](crate::ErrorKind::OutOfMemory) when the array (one
    /// `usize` per needle byte) cannot be allocated.
    pub fn new(needle: &[u8]) -> Result<ZSearch> {
        let m = needle.len();
        let mut z = try_filled(m, 0usize, "z")?;
        if m > 0 {
            z[0] = m;
        }
        let (mut l, mut r) = (0, 0);
        for i in 1..m {
            let mut k = if i < r { z[i - l].min(r - i) } else { 0 };
            while i + k < m && needle[k] == needle[i + k] {
                k += 1;
            }
            z[i] = k;
            if i + k > r {
                l = i;
                r = i + k;
            }
        }
        Ok(ZSearch {
            needle: needle.to_vec(),
            z,
        })
    }

    /// Scans from `start`, calling `on_match(pos)` for the occurrences starting at or
    /// after `start`; `on_match` returns `Some(next)` to skip occurrences starting
    /// before `next` (the Z-box still advances over them), `None` to stop.
    #[inline]
    fn run(&self, haystack: &[u8], start: usize, mut on_match: impl FnMut(usize) -> Option<usize>) {
        let needle = &self.needle[..];
        let m = needle.len();
        let n = haystack.len();
        if start > n || n - start < m {
            return;
        }
        // Invariant: haystack[l..r] == needle[..r - l] (the rightmost Z-box seen).
        let (mut l, mut r) = (start, start);
        let mut next = start;
        let mut i = start;
        while i <= n - m {
            let k = if i < r {
                let zk = self.z[i - l];
                if zk < r - i {
                    i += 1;
                    continue; // the box proves a mismatch at i + zk < r
                }
                let mut k = r - i;
                while k < m && haystack[i + k] == needle[k] {
                    k += 1;
                }
                k
            } else {
                let mut k = 0;
                while k < m && haystack[i + k] == needle[k] {
                    k += 1;
                }
                k
            };
            if i + k > r || i >= r {
                l = i;
                r = i + k;
            }
            if k == m && i >= next {
                match on_match(i) {
                    Some(after) => next = after,
                    None => return,
                }
            }
            i += 1;
        }
    }
}

impl Searcher for ZSearch {
    fn needle(&self) -> &[u8] {
        &self.needle
    }

    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        if self.needle.is_empty() {
            return empty_needle_at(haystack, start);
        }
        let mut found = None;
        self.run(haystack, start, |pos| {
            found = Some(pos);
            None
        });
        found
    }

    fn find_all(&self, haystack: &[u8], out: &mut Vec<usize>) {
        if self.needle.is_empty() {
            out.extend(0..=haystack.len());
            return;
        }
        let m = self.needle.len();
        self.run(haystack, 0, |pos| {
            out.push(pos);
            Some(pos + m)
        });
    }

    fn count(&self, haystack: &[u8]) -> usize {
        if self.needle.is_empty() {
            return haystack.len() + 1;
        }
        let m = self.needle.len();
        let mut n = 0;
        self.run(haystack, 0, |pos| {
            n += 1;
            Some(pos + m)
        });
        n
    }

    fn find_overlapping(&self, haystack: &[u8], out: &mut Vec<usize>) {
        if self.needle.is_empty() {
            out.extend(0..=haystack.len());
            return;
        }
        self.run(haystack, 0, |pos| {
            out.push(pos);
            Some(pos + 1)
        });
    }

    fn backend(&self) -> Backend {
        Backend::Z
    }
}
