//! Plain, obviously correct reference searches (quadratic time): what the conformance
//! tests, the fuzz targets and the benchmark's verification compare every engine with.
//!
//! ```
//! use arsenal_text::{reference, Match};
//!
//! assert_eq!(reference::find_all(b"aaaa", b"aa"), [0, 2]);
//! assert_eq!(reference::find_overlapping(b"aaaa", b"aa"), [0, 1, 2]);
//! assert_eq!(
//!     reference::multi_find_all(b"abc", &[b"bc", b"abc"]),
//!     [Match { end: 3, pattern: 0 }, Match { end: 3, pattern: 1 }]
//! );
//! ```

use crate::Match;

/// Whether `needle` occurs at `pos` (`false` past the end).
fn occurs_at(haystack: &[u8], needle: &[u8], pos: usize) -> bool {
    haystack
        .get(pos..)
        .is_some_and(|rest| rest.starts_with(needle))
}

/// The starts of the leftmost non-overlapping occurrences (an empty needle occurs at
/// every offset `0..=haystack.len()`).
pub fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= haystack.len() {
        if occurs_at(haystack, needle, pos) {
            out.push(pos);
            pos += needle.len().max(1);
        } else {
            pos += 1;
        }
    }
    out
}

/// The start of every occurrence, overlapping ones included.
pub fn find_overlapping(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    (0..=haystack.len())
        .filter(|&pos| occurs_at(haystack, needle, pos))
        .collect()
}

/// Every `(pattern, end)` pair of every occurrence of every non-empty pattern, sorted
/// by end, then pattern index (the [`MultiSearcher`](crate::MultiSearcher) semantic).
pub fn multi_find_all(haystack: &[u8], patterns: &[&[u8]]) -> Vec<Match> {
    let mut out = Vec::new();
    for end in 1..=haystack.len() {
        for (i, p) in patterns.iter().enumerate() {
            if !p.is_empty() && haystack[..end].ends_with(p) {
                out.push(Match {
                    end,
                    pattern: i as u32,
                });
            }
        }
    }
    out
}
