//! SSE2 backend: 16-byte `__m128i` blocks.

use core::arch::x86_64::*;

/// Block width in bytes.
const W: usize = 16;
/// `eq_mask` with every lane equal.
const FULL: u64 = 0xFFFF;
type V = __m128i;

/// # Safety
/// `p..p + W` readable; the CPU supports the backend.
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn load(p: *const u8) -> V {
    // SAFETY: the caller guarantees `W` readable bytes; unaligned load.
    unsafe { _mm_loadu_si128(p.cast()) }
}

/// # Safety
/// `p..p + W` writable; the CPU supports the backend.
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn store(p: *mut u8, v: V) {
    // SAFETY: the caller guarantees `W` writable bytes; unaligned store.
    unsafe { _mm_storeu_si128(p.cast(), v) }
}

/// Non-temporal store.
///
/// # Safety
/// `p..p + W` writable and `p` aligned to `W`; the CPU supports the backend.
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn stream(p: *mut u8, v: V) {
    // SAFETY: the caller guarantees `W` writable bytes at a `W`-aligned address.
    unsafe { _mm_stream_si128(p.cast(), v) }
}

#[inline]
#[target_feature(enable = "sse2")]
fn splat(b: u8) -> V {
    _mm_set1_epi8(b as i8)
}

/// Bit `k` set when lane `k` of `a` and `b` are equal.
#[inline]
#[target_feature(enable = "sse2")]
fn eq_mask(a: V, b: V) -> u64 {
    _mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) as u16 as u64
}

/// Inputs shorter than a block: the scalar routine.
///
/// # Safety
/// `a..a + n` and `b..b + n` readable.
#[inline]
unsafe fn short_compare(a: *const u8, b: *const u8, n: usize) -> core::cmp::Ordering {
    // SAFETY: forwarded caller contract.
    unsafe { crate::backend::scalar::compare(a, b, n) }
}

/// Inputs shorter than a block: the scalar routine.
///
/// # Safety
/// `p..p + n` readable.
#[inline]
unsafe fn short_find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
    // SAFETY: forwarded caller contract.
    unsafe { crate::backend::scalar::find(p, byte, n) }
}

block_ops!(#[target_feature(enable = "sse2")]);
simd_ops!(#[target_feature(enable = "sse2")]);
