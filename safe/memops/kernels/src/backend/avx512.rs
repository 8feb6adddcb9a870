//! AVX-512 (F + BW) backend: 64-byte `__m512i` blocks; inputs shorter than a block are
//! searched and compared with masked loads.

use core::arch::x86_64::*;

/// Block width in bytes.
const W: usize = 64;
/// `eq_mask` with every lane equal.
const FULL: u64 = u64::MAX;
type V = __m512i;

/// # Safety
/// `p..p + W` readable; the CPU supports the backend.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn load(p: *const u8) -> V {
    // SAFETY: the caller guarantees `W` readable bytes; unaligned load.
    unsafe { _mm512_loadu_si512(p.cast()) }
}

/// # Safety
/// `p..p + W` writable; the CPU supports the backend.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn store(p: *mut u8, v: V) {
    // SAFETY: the caller guarantees `W` writable bytes; unaligned store.
    unsafe { _mm512_storeu_si512(p.cast(), v) }
}

/// Non-temporal store.
///
/// # Safety
/// `p..p + W` writable and `p` aligned to `W`; the CPU supports the backend.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn stream(p: *mut u8, v: V) {
    // SAFETY: the caller guarantees `W` writable bytes at a `W`-aligned address.
    unsafe { _mm512_stream_si512(p.cast(), v) }
}

#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn splat(b: u8) -> V {
    _mm512_set1_epi8(b as i8)
}

/// Bit `k` set when lane `k` of `a` and `b` are equal.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn eq_mask(a: V, b: V) -> u64 {
    _mm512_cmpeq_epi8_mask(a, b)
}

/// Lanes `0..n` of a block (`n < 64`).
#[inline]
fn lanes(n: usize) -> u64 {
    (1u64 << n) - 1
}

/// Inputs shorter than a block, with one masked load per input: masked-off lanes are
/// neither read nor able to fault, and read as zero.
///
/// # Safety
/// `a..a + n` and `b..b + n` readable, `n < 64`; the CPU supports AVX-512 F + BW.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn short_compare(a: *const u8, b: *const u8, n: usize) -> core::cmp::Ordering {
    let mask = lanes(n);
    // SAFETY: the masked loads touch only lanes `0..n`, all inside the inputs.
    let (x, y) = unsafe {
        (
            _mm512_maskz_loadu_epi8(mask, a.cast()),
            _mm512_maskz_loadu_epi8(mask, b.cast()),
        )
    };
    let diff = !_mm512_cmpeq_epi8_mask(x, y) & mask;
    if diff == 0 {
        return core::cmp::Ordering::Equal;
    }
    let k = diff.trailing_zeros() as usize;
    // SAFETY: `k < n`.
    unsafe { (*a.add(k)).cmp(&*b.add(k)) }
}

/// Inputs shorter than a block, with one masked load.
///
/// # Safety
/// `p..p + n` readable, `n < 64`; the CPU supports AVX-512 F + BW.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn short_find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
    let mask = lanes(n);
    // SAFETY: the masked load touches only lanes `0..n`, all inside the input.
    let x = unsafe { _mm512_maskz_loadu_epi8(mask, p.cast()) };
    // Masked-off lanes read as zero: mask them out of the matches (the needle may be 0).
    let m = _mm512_cmpeq_epi8_mask(x, splat(byte)) & mask;
    (m != 0).then(|| m.trailing_zeros() as usize)
}

block_ops!(#[target_feature(enable = "avx512f,avx512bw")]);
simd_ops!(#[target_feature(enable = "avx512f,avx512bw")]);
