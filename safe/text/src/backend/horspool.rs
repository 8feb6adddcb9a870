//! Boyer–Moore–Horspool (1980): compare the window's last byte first and shift by the
//! bad-character rule of that byte. Sublinear on typical text, O(nm) in the worst case
//! (e.g. `aaa…a` searched for `baa…a`).

use super::empty_needle_at;
use crate::{Backend, Searcher};

/// Boyer–Moore–Horspool search for one needle: a 256-entry shift table.
///
/// ```
/// use arsenal_text::{Horspool, Searcher};
///
/// let bmh = Horspool::new(b"needle");
/// assert_eq!(bmh.find(b"haystack with a needle"), Some(16));
/// ```
#[derive(Debug, Clone)]
pub struct Horspool {
    needle: Vec<u8>,
    shift: [usize; 256],
}

impl Horspool {
    /// Builds the shift table.
    pub fn new(needle: &[u8]) -> Horspool {
        let m = needle.len();
        let mut shift = [m.max(1); 256];
        if m > 0 {
            for (i, &b) in needle[..m - 1].iter().enumerate() {
                shift[usize::from(b)] = m - 1 - i;
            }
        }
        Horspool {
            needle: needle.to_vec(),
            shift,
        }
    }
}

impl Searcher for Horspool {
    fn needle(&self) -> &[u8] {
        &self.needle
    }

    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        let needle = &self.needle[..];
        let m = needle.len();
        if m == 0 {
            return empty_needle_at(haystack, start);
        }
        let n = haystack.len();
        if start > n || n - start < m {
            return None;
        }
        let last = needle[m - 1];
        let head = &needle[..m - 1];
        let mut pos = start;
        while pos <= n - m {
            let b = haystack[pos + m - 1];
            if b == last && &haystack[pos..pos + m - 1] == head {
                return Some(pos);
            }
            pos += self.shift[usize::from(b)];
        }
        None
    }

    fn backend(&self) -> Backend {
        Backend::Horspool
    }
}
