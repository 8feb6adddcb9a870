//! Muła's "generic SIMD" substring search (<http://0x80.pl/articles/simd-strfind.html>):
//! compare a vector of candidate starts, shifted by two positions of the needle, against
//! the needle's bytes there; only positions where both agree are verified. The two
//! positions are not the first and last bytes but the needle's two *rarest* bytes by a
//! fixed frequency ranking of text (our own: control and high bytes rarest, then
//! punctuation, digits, capitals, lower-case letters by English frequency, space most
//! common), so that fewer candidates pass the filter on text. AVX2 (32 starts per step, detected at run time), SSE2
//! (16, the x86-64 baseline) or a scalar loop with the same filter elsewhere; each
//! vector form hands its tail to the next narrower one (short haystacks matter).

use super::empty_needle_at;
use crate::{Backend, Error, ErrorKind, Result, Searcher};

/// The instruction set a [`SimdSearch`] runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SimdLevel {
    /// 32-byte vectors (x86-64 with AVX2, detected at run time).
    Avx2,
    /// 16-byte vectors (every x86-64 CPU).
    Sse2,
    /// One position at a time (any CPU).
    Scalar,
}

impl SimdLevel {
    /// The widest level this CPU runs.
    pub fn detect() -> SimdLevel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                return SimdLevel::Avx2;
            }
            SimdLevel::Sse2
        }
        #[cfg(not(target_arch = "x86_64"))]
        SimdLevel::Scalar
    }

    /// Whether this CPU runs this level.
    pub fn is_supported(self) -> bool {
        match self {
            SimdLevel::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Sse2 => true,
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// The rare-byte SIMD filter for one needle (module docs).
///
/// ```
/// use arsenal_text::{Searcher, SimdLevel, SimdSearch};
///
/// let s = SimdSearch::new(b"fox");
/// assert_eq!(s.find(b"the quick brown fox"), Some(16));
/// let scalar = SimdSearch::with_level(b"fox", SimdLevel::Scalar)?;
/// assert_eq!(scalar.find(b"the quick brown fox"), Some(16));
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SimdSearch {
    needle: Vec<u8>,
    level: SimdLevel,
    /// The two filter positions in the needle (equal for a one-byte needle).
    probes: (usize, usize),
}

/// How common byte `b` is in text, higher = more common (a fixed heuristic ranking).
fn commonness(b: u8) -> u32 {
    const LETTERS: &[u8] = b"zqxjkvbpygfwmucldrhsnioate";
    match b {
        b' ' => 100,
        b'a'..=b'z' => 50 + LETTERS.iter().position(|&c| c == b).map_or(0, |i| i as u32),
        b'\n' => 45,
        b'A'..=b'Z' => 30,
        b'0'..=b'9' => 25,
        b',' | b'.' | b'(' | b')' | b';' | b'_' | b'"' | b'\'' | b'-' | b':' | b'=' => 20,
        0x21..=0x7e => 10,
        _ => 0,
    }
}

/// The needle's two rarest positions (by [`commonness`]), distinct when it has two bytes.
fn probes(needle: &[u8]) -> (usize, usize) {
    let rank = |i: usize| (commonness(needle[i]), i);
    let Some(first) = (0..needle.len()).min_by_key(|&i| rank(i)) else {
        return (0, 0);
    };
    let second = (0..needle.len())
        .filter(|&i| i != first)
        .min_by_key(|&i| rank(i))
        .unwrap_or(first);
    (first, second)
}

impl SimdSearch {
    /// A searcher with the widest level this CPU runs.
    pub fn new(needle: &[u8]) -> SimdSearch {
        SimdSearch {
            needle: needle.to_vec(),
            level: SimdLevel::detect(),
            probes: probes(needle),
        }
    }

    /// A searcher with a given level.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when this CPU does not run `level`.
    pub fn with_level(needle: &[u8], level: SimdLevel) -> Result<SimdSearch> {
        if !level.is_supported() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "simd",
                format!("this CPU does not run {level:?}"),
            ));
        }
        Ok(SimdSearch {
            needle: needle.to_vec(),
            level,
            probes: probes(needle),
        })
    }

    /// The level this searcher runs with.
    pub fn level(&self) -> SimdLevel {
        self.level
    }
}

/// Whether the needle occurs at `p` (`p + needle.len() <= haystack.len()`).
#[inline(always)]
fn matches_at(haystack: &[u8], needle: &[u8], p: usize) -> bool {
    haystack[p..p + needle.len()] == *needle
}

/// The scalar form of the filter (`needle.len() >= 1`, probes inside the needle).
fn find_scalar(haystack: &[u8], needle: &[u8], (p1, p2): (usize, usize)) -> Option<usize> {
    let m = needle.len();
    if haystack.len() < m {
        return None;
    }
    let (b1, b2) = (needle[p1], needle[p2]);
    (0..=haystack.len() - m).find(|&p| {
        haystack[p + p1] == b1 && haystack[p + p2] == b2 && matches_at(haystack, needle, p)
    })
}

macro_rules! simd_find {
    ($name:ident, $feature:literal, $width:literal, $vec:ident, $load:ident, $set1:ident,
     $cmpeq:ident, $and:ident, $movemask:ident, $tail:path) => {
        /// The vector form of the filter (`haystack.len() >= needle.len() >= 1`).
        ///
        /// # Safety
        /// The CPU must support the target feature.
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $feature)]
        unsafe fn $name(haystack: &[u8], needle: &[u8], probes: (usize, usize)) -> Option<usize> {
            use std::arch::x86_64::*;
            let m = needle.len();
            let n = haystack.len();
            let (p1, p2) = probes;
            let b1 = $set1(needle[p1] as i8);
            let b2 = $set1(needle[p2] as i8);
            let ptr = haystack.as_ptr();
            let mut i = 0;
            while i + $width + m - 1 <= n {
                // SAFETY: p1, p2 <= m - 1 and `i + m - 1 + width <= n`, so both unaligned
                // loads read inside `haystack`.
                let (a, b) = unsafe {
                    (
                        $load(ptr.add(i + p1).cast::<$vec>()),
                        $load(ptr.add(i + p2).cast::<$vec>()),
                    )
                };
                let both = $and($cmpeq(a, b1), $cmpeq(b, b2));
                let mut mask = $movemask(both) as u32;
                while mask != 0 {
                    let p = i + mask.trailing_zeros() as usize;
                    if matches_at(haystack, needle, p) {
                        return Some(p);
                    }
                    mask &= mask - 1;
                }
                i += $width;
            }
            // The tail (fewer than `width + m - 1` bytes): the next narrower form.
            // SAFETY: the tail form needs a subset of this form's target features.
            unsafe { $tail(&haystack[i..], needle, probes) }.map(|p| p + i)
        }
    };
}

simd_find!(
    find_avx2,
    "avx2",
    32,
    __m256i,
    _mm256_loadu_si256,
    _mm256_set1_epi8,
    _mm256_cmpeq_epi8,
    _mm256_and_si256,
    _mm256_movemask_epi8,
    find_sse2
);
simd_find!(
    find_sse2,
    "sse2",
    16,
    __m128i,
    _mm_loadu_si128,
    _mm_set1_epi8,
    _mm_cmpeq_epi8,
    _mm_and_si128,
    _mm_movemask_epi8,
    find_scalar_unsafe
);

/// [`find_scalar`] with the signature of the vector forms (the tail of SSE2's).
///
/// # Safety
/// None needed; `unsafe` only to match the macro's tail call.
#[cfg(target_arch = "x86_64")]
unsafe fn find_scalar_unsafe(
    haystack: &[u8],
    needle: &[u8],
    probes: (usize, usize),
) -> Option<usize> {
    find_scalar(haystack, needle, probes)
}

impl Searcher for SimdSearch {
    fn needle(&self) -> &[u8] {
        &self.needle
    }

    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        let needle = &self.needle[..];
        if needle.is_empty() {
            return empty_needle_at(haystack, start);
        }
        let rest = haystack.get(start..)?;
        if rest.len() < needle.len() {
            return None;
        }
        let found = match self.level {
            // SAFETY: `with_level` and `new` only store a level this CPU supports.
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Avx2 => unsafe { find_avx2(rest, needle, self.probes) },
            // SAFETY: SSE2 is part of the x86-64 baseline.
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Sse2 => unsafe { find_sse2(rest, needle, self.probes) },
            _ => find_scalar(rest, needle, self.probes),
        };
        found.map(|p| p + start)
    }

    fn backend(&self) -> Backend {
        Backend::Simd
    }
}
