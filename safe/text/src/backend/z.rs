//! The Z-algorithm (Gusfield 1997): `Z[i]`, the longest common prefix of the needle and
//! its suffix at `i`, computed once; the haystack is then scanned with the same "Z-box"
//! trick, so each haystack byte is compared O(1) times amortised: O(n + m) worst case,
//! without concatenating needle and haystack.

use super::try_filled;
use crate::{Backend, Result};

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
    /// after `start` (after a match, the next one reported starts at or after its end
    /// unless `overlapping`; the Z-box still advances over the skipped ones) until
    /// `on_match` returns `false`.
    #[inline]
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
                if !on_match(i) {
                    return;
                }
                next = if overlapping { i + 1 } else { i + m };
            }
            i += 1;
        }
    }
}

super::searcher_by_run!(ZSearch, Backend::Z);
