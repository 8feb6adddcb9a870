//! x86-64 AVX2 (+ BMI2, POPCNT): slice popcounts after Muła, Kurz and Lemire, "Faster
//! population counts using AVX2 instructions" (2018): blocks of 512 bytes go through
//! Harley–Seal's carry-save adder tree (one vector counted per 16), the rest by the
//! nibble lookup: `vpshufb` looks up the popcount of each 4-bit half of every byte, four
//! vectors of byte counts are added, and `vpsadbw` folds them into 64-bit lanes. `pext`, `pdep` and word
//! `select` are the BMI2 backend's instructions.
#![allow(clippy::missing_safety_doc)]

use core::arch::x86_64::*;

pub use super::bmi2::{pdep, pdep_many, pext, pext_many, select_in_word};

use super::op::{AND, OR, XOR};

#[inline]
#[target_feature(enable = "avx2")]
fn combine<const OP: u8>(a: __m256i, b: __m256i) -> __m256i {
    match OP {
        AND => _mm256_and_si256(a, b),
        OR => _mm256_or_si256(a, b),
        XOR => _mm256_xor_si256(a, b),
        _ => a,
    }
}

/// A carry-save adder of three vectors of bits: (carries, sums).
#[inline]
#[target_feature(enable = "avx2")]
fn csa(a: __m256i, b: __m256i, c: __m256i) -> (__m256i, __m256i) {
    let u = _mm256_xor_si256(a, b);
    let high = _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(u, c));
    (high, _mm256_xor_si256(u, c))
}

#[inline(always)]
fn combine_byte<const OP: u8>(a: u8, b: u8) -> u8 {
    match OP {
        AND => a & b,
        OR => a | b,
        XOR => a ^ b,
        _ => a,
    }
}

/// The popcount of `OP(a, b)` over `len` bytes at `a` and `b` (`b` unused for `SINGLE`).
///
/// # Safety
/// AVX2 available; `a` and `b` valid for `len` bytes of reads.
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt")]
unsafe fn count<const OP: u8>(a: *const u8, b: *const u8, len: usize) -> u64 {
    let lut = _mm256_setr_epi8(
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, //
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    );
    let low = _mm256_set1_epi8(0x0F);
    let zero = _mm256_setzero_si256();
    let nibbles = |v: __m256i| {
        let lo = _mm256_and_si256(v, low);
        let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(v), low);
        _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo), _mm256_shuffle_epi8(lut, hi))
    };
    let load = |p: *const u8, at: usize| {
        // SAFETY: every call reads 1 vector at an offset with `at + width <= len`,
        // readable by the caller's guarantee; `loadu` has no alignment requirement.
        unsafe { _mm256_loadu_si256(p.add(at).cast()) }
    };
    let popcount = |v: __m256i| _mm256_sad_epu8(nibbles(v), zero);
    // `OP` of the vectors at byte `at` of `a` and `b`.
    let operand = |at: usize| combine::<OP>(load(a, at), load(b, at));
    let mut total = zero;
    let mut at = 0;
    // Harley–Seal: 16 vectors at a time through a tree of carry-save adders, so that
    // only one vector in 16 (the "sixteens") needs its bits counted.
    let (mut ones, mut twos, mut fours, mut eights) = (zero, zero, zero, zero);
    while at + 512 <= len {
        let v = |i: usize| operand(at + 32 * i);
        let (twos_a, o) = csa(ones, v(0), v(1));
        let (twos_b, o) = csa(o, v(2), v(3));
        let (fours_a, t) = csa(twos, twos_a, twos_b);
        let (twos_a, o) = csa(o, v(4), v(5));
        let (twos_b, o) = csa(o, v(6), v(7));
        let (fours_b, t) = csa(t, twos_a, twos_b);
        let (eights_a, f) = csa(fours, fours_a, fours_b);
        let (twos_a, o) = csa(o, v(8), v(9));
        let (twos_b, o) = csa(o, v(10), v(11));
        let (fours_a, t) = csa(t, twos_a, twos_b);
        let (twos_a, o) = csa(o, v(12), v(13));
        let (twos_b, o) = csa(o, v(14), v(15));
        let (fours_b, t) = csa(t, twos_a, twos_b);
        let (eights_b, f) = csa(f, fours_a, fours_b);
        let (sixteens, e) = csa(eights, eights_a, eights_b);
        total = _mm256_add_epi64(total, popcount(sixteens));
        (ones, twos, fours, eights) = (o, t, f, e);
        at += 512;
    }
    total = _mm256_slli_epi64::<4>(total);
    total = _mm256_add_epi64(total, _mm256_slli_epi64::<3>(popcount(eights)));
    total = _mm256_add_epi64(total, _mm256_slli_epi64::<2>(popcount(fours)));
    total = _mm256_add_epi64(total, _mm256_slli_epi64::<1>(popcount(twos)));
    total = _mm256_add_epi64(total, popcount(ones));
    while at + 128 <= len {
        // Four vectors of byte counts (each at most 8) sum to at most 32 per byte.
        let mut bytes = nibbles(operand(at));
        for k in 1..4 {
            bytes = _mm256_add_epi8(bytes, nibbles(operand(at + 32 * k)));
        }
        total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
        at += 128;
    }
    while at + 32 <= len {
        let bytes = nibbles(operand(at));
        total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
        at += 32;
    }
    let mut lanes = [0u64; 4];
    // SAFETY: `lanes` is 32 writable bytes.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), total) };
    let mut sum = lanes.iter().sum::<u64>();
    while at < len {
        // SAFETY: at < len.
        let (x, y) = unsafe { (*a.add(at), *b.add(at)) };
        sum += u64::from(combine_byte::<OP>(x, y).count_ones());
        at += 1;
    }
    sum
}

popcount_entries!("avx2,bmi1,bmi2,popcnt");
