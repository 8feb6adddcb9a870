//! One module per engine.

pub(crate) mod aho_corasick;
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
