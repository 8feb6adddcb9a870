//! One module per engine.

pub(crate) mod aho_corasick;
pub(crate) mod boyer_moore;
pub(crate) mod horspool;
pub(crate) mod kmp;
pub(crate) mod simd;
#[cfg(feature = "vectorscan")]
pub(crate) mod vectorscan;
pub(crate) mod z;

use crate::{Error, ErrorKind, Result};

/// A vector of `len` copies of `value`, or [`ErrorKind::OutOfMemory`] /
/// [`ErrorKind::TooLarge`] instead of an abort.
pub(crate) fn try_filled<T: Clone>(len: usize, value: T, backend: &'static str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|e| {
        let kind = if len.checked_mul(std::mem::size_of::<T>()).is_none()
            || len.saturating_mul(std::mem::size_of::<T>()) > isize::MAX as usize
        {
            ErrorKind::TooLarge
        } else {
            ErrorKind::OutOfMemory
        };
        Error::new(kind, backend, e.to_string())
    })?;
    v.resize(len, value);
    Ok(v)
}

/// The empty needle's rule, shared by every engine: it occurs at every offset
/// `0..=haystack.len()`.
#[inline]
pub(crate) fn empty_needle_at(haystack: &[u8], start: usize) -> Option<usize> {
    (start <= haystack.len()).then_some(start)
}

/// The [`Searcher`](crate::Searcher) impl of an engine whose inherent
/// `run(&self, haystack, start, overlapping, on_match: impl FnMut(usize) -> bool)`
/// reports the starts of the occurrences at or after `start` (the leftmost
/// non-overlapping ones, or every one when `overlapping`) until `on_match` returns
/// `false`, and whose `needle` field is the needle. KMP, Z and Boyer–Moore share it.
macro_rules! searcher_by_run {
    ($t:ty, $backend:expr) => {
        impl $crate::Searcher for $t {
            fn needle(&self) -> &[u8] {
                &self.needle
            }

            fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
                if self.needle.is_empty() {
                    return $crate::backend::empty_needle_at(haystack, start);
                }
                let mut found = None;
                self.run(haystack, start, false, |pos| {
                    found = Some(pos);
                    false
                });
                found
            }

            fn find_all(&self, haystack: &[u8], out: &mut Vec<usize>) {
                if self.needle.is_empty() {
                    out.extend(0..=haystack.len());
                    return;
                }
                self.run(haystack, 0, false, |pos| {
                    out.push(pos);
                    true
                });
            }

            fn count(&self, haystack: &[u8]) -> usize {
                if self.needle.is_empty() {
                    return haystack.len() + 1;
                }
                let mut n = 0;
                self.run(haystack, 0, false, |_| {
                    n += 1;
                    true
                });
                n
            }

            fn find_overlapping(&self, haystack: &[u8], out: &mut Vec<usize>) {
                if self.needle.is_empty() {
                    out.extend(0..=haystack.len());
                    return;
                }
                self.run(haystack, 0, true, |pos| {
                    out.push(pos);
                    true
                });
            }

            fn backend(&self) -> $crate::Backend {
                $backend
            }
        }
    };
}
pub(crate) use searcher_by_run;
