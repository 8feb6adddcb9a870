//! Knuth–Morris–Pratt (1977): a failure table over the needle; the haystack is read
//! once, never backwards, O(n + m) in the worst case.

use super::try_filled;
use crate::{Backend, Result};

/// Knuth–Morris–Pratt search for one needle.
///
/// ```
/// use arsenal_text::{Kmp, Searcher};
///
/// let kmp = Kmp::new(b"aab")?;
/// assert_eq!(kmp.find(b"aaaab"), Some(2));
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Kmp {
    needle: Vec<u8>,
    /// `fail[i]`: the length of the longest proper border of `needle[..=i]`.
    fail: Vec<usize>,
}

impl Kmp {
    /// Builds the failure table.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`](crate::ErrorKind::OutOfMemory) when the table (one
    /// `usize` per needle byte) cannot be allocated.
    pub fn new(needle: &[u8]) -> Result<Kmp> {
        let mut fail = try_filled(needle.len(), 0usize, "kmp")?;
        let mut k = 0;
        for i in 1..needle.len() {
            while k > 0 && needle[i] != needle[k] {
                k = fail[k - 1];
            }
            if needle[i] == needle[k] {
                k += 1;
            }
            fail[i] = k;
        }
        Ok(Kmp {
            needle: needle.to_vec(),
            fail,
        })
    }

    /// Runs the automaton from `start`; calls `on_match(start_of_occurrence)` for each
    /// occurrence, stopping when it returns `false`. After a match the automaton
    /// continues from the border (`overlapping`) or from scratch.
    #[inline]
    fn run(
        &self,
        haystack: &[u8],
        start: usize,
        overlapping: bool,
        mut on_match: impl FnMut(usize) -> bool,
    ) {
        let needle = &self.needle;
        let m = needle.len();
        let mut k = 0;
        for (i, &b) in haystack.iter().enumerate().skip(start) {
            while k > 0 && b != needle[k] {
                k = self.fail[k - 1];
            }
            if b == needle[k] {
                k += 1;
                if k == m {
                    if !on_match(i + 1 - m) {
                        return;
                    }
                    k = if overlapping { self.fail[m - 1] } else { 0 };
                }
            }
        }
    }
}

super::searcher_by_run!(Kmp, Backend::Kmp);
