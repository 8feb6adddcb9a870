//! x86-64 AVX-512 with VPOPCNTDQ (+ BW, BMI2): slice popcounts with `vpopcntq` over
//! 64-byte vectors, four accumulators, and a masked load for the tail (masked-out bytes
//! are never read, so nothing past the slice is touched). `pext`, `pdep` and word
//! `select` are the BMI2 backend's instructions.
#![allow(clippy::missing_safety_doc)]

use core::arch::x86_64::*;

pub use super::bmi2::{pdep, pdep_many, pext, pext_many, select_in_word};

use super::op::{AND, OR, XOR};

#[inline]
#[target_feature(enable = "avx512f")]
fn combine<const OP: u8>(a: __m512i, b: __m512i) -> __m512i {
    match OP {
        AND => _mm512_and_si512(a, b),
        OR => _mm512_or_si512(a, b),
        XOR => _mm512_xor_si512(a, b),
        _ => a,
    }
}

/// The popcount of `OP(a, b)` over `len` bytes at `a` and `b` (`b` unused for `SINGLE`).
///
/// # Safety
/// AVX-512 F, BW and VPOPCNTDQ available; `a` and `b` valid for `len` bytes of reads.
#[target_feature(enable = "avx512f,avx512bw,avx512vpopcntdq,bmi1,bmi2,popcnt")]
unsafe fn count<const OP: u8>(a: *const u8, b: *const u8, len: usize) -> u64 {
    let load = |p: *const u8, at: usize| {
        // SAFETY: every call reads 1 vector at an offset with `at + width <= len`,
        // readable by the caller's guarantee; `loadu` has no alignment requirement.
        unsafe { _mm512_loadu_si512(p.add(at).cast()) }
    };
    let pop = |at: usize| _mm512_popcnt_epi64(combine::<OP>(load(a, at), load(b, at)));
    let mut acc = [_mm512_setzero_si512(); 4];
    let mut at = 0;
    while at + 256 <= len {
        acc[0] = _mm512_add_epi64(acc[0], pop(at));
        acc[1] = _mm512_add_epi64(acc[1], pop(at + 64));
        acc[2] = _mm512_add_epi64(acc[2], pop(at + 128));
        acc[3] = _mm512_add_epi64(acc[3], pop(at + 192));
        at += 256;
    }
    while at + 64 <= len {
        acc[0] = _mm512_add_epi64(acc[0], pop(at));
        at += 64;
    }
    if at < len {
        let mask: __mmask64 = (1u64 << (len - at)) - 1;
        // SAFETY: the mask selects only the `len - at` (< 64) bytes left in the slices;
        // masked-out bytes are not accessed (no fault, no read).
        let (x, y) = unsafe {
            (
                _mm512_maskz_loadu_epi8(mask, a.add(at).cast()),
                _mm512_maskz_loadu_epi8(mask, b.add(at).cast()),
            )
        };
        acc[1] = _mm512_add_epi64(acc[1], _mm512_popcnt_epi64(combine::<OP>(x, y)));
    }
    let sum = _mm512_add_epi64(
        _mm512_add_epi64(acc[0], acc[1]),
        _mm512_add_epi64(acc[2], acc[3]),
    );
    _mm512_reduce_add_epi64(sum) as u64
}

popcount_entries!("avx512f,avx512bw,avx512vpopcntdq,bmi1,bmi2,popcnt");
