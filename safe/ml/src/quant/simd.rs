//! The x86 SIMD dot products: AVX2 (`maddubs` + `madd`, as ggml's AVX2 paths) and
//! AVX-512 VNNI (`vpdpbusd` on 256-bit vectors, which does `maddubs` + `madd` in one
//! instruction without the 16-bit saturation). Integer sums are exact on every path; the
//! float accumulation order differs from the scalar one (tests bound the difference).

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use super::blocks::{
    block_d, q4_k_scales, scale_min_k4, Q4_0_BYTES, Q4_K_BYTES, Q8_0_BYTES, Q8_K_BYTES, QK_K,
};

/// Which multiply-add the kernels use.
pub(crate) trait Madd {
    /// Σ of 4 adjacent `u8 × i8` products into each i32 lane, added to `acc`.
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i;
}

/// AVX2: `vpmaddubsw` (pairs to i16, saturating) then `vpmaddwd` by ones.
pub(crate) struct Avx2;
/// AVX-512 VNNI (with VL): `vpdpbusd`.
pub(crate) struct Vnni;

impl Madd for Avx2 {
    #[inline(always)]
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the callers are compiled with AVX2 enabled (target_feature) and only
        // called after run-time detection.
        unsafe {
            let p16 = _mm256_maddubs_epi16(a, b);
            _mm256_add_epi32(acc, _mm256_madd_epi16(p16, _mm256_set1_epi16(1)))
        }
    }
}

impl Madd for Vnni {
    #[inline(always)]
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: as above, with AVX-512 VNNI and VL detected.
        unsafe { _mm256_dpbusd_epi32(acc, a, b) }
    }
}

#[inline(always)]
unsafe fn hsum_ps(v: __m256) -> f32 {
    // SAFETY: AVX is implied by the callers' AVX2.
    unsafe {
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_movehdup_ps(s));
        _mm_cvtss_f32(s)
    }
}

#[inline(always)]
unsafe fn hsum_epi32(v: __m256i) -> i32 {
    // SAFETY: AVX2 in the callers.
    unsafe {
        let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b01_00_11_10));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b10_11_00_01));
        _mm_cvtsi128_si32(s)
    }
}

#[inline(always)]
unsafe fn load32(p: &[u8]) -> __m256i {
    debug_assert!(p.len() >= 32);
    // SAFETY: callers pass slices of at least 32 bytes (a block's quants).
    unsafe { _mm256_loadu_si256(p.as_ptr().cast()) }
}

/// Σ (x·y) over signed bytes via the sign trick: |x| (unsigned) times y with x's sign.
#[inline(always)]
unsafe fn dot_i8_i8<M: Madd>(acc: __m256i, x: __m256i, y: __m256i) -> __m256i {
    // SAFETY: AVX2 in the callers. |x| ≤ 128 and the products' pair sums stay within
    // i16 for |x|, |y| ≤ 127 (Q8 values), as in ggml.
    unsafe { M::dot_u8_i8(acc, _mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x)) }
}

#[inline(always)]
pub(crate) unsafe fn dot_q8_0_q8_0<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: AVX2/FMA (and VNNI for `Vnni`) are enabled by the calling wrappers after
    // detection; every load reads 32 bytes inside a 34-byte block.
    unsafe {
        let mut acc = _mm256_setzero_ps();
        for (a, b) in w.chunks_exact(Q8_0_BYTES).zip(x.chunks_exact(Q8_0_BYTES)) {
            let d = _mm256_set1_ps(block_d(a) * block_d(b));
            let s = dot_i8_i8::<M>(_mm256_setzero_si256(), load32(&a[2..]), load32(&b[2..]));
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(s), acc);
        }
        hsum_ps(acc)
    }
}

#[inline(always)]
pub(crate) unsafe fn dot_q4_0_q8_0<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: as above; the Q4_0 load reads the 16 quant bytes of an 18-byte block.
    unsafe {
        let mut acc = _mm256_setzero_ps();
        let low = _mm256_set1_epi8(0x0f);
        let ones = _mm256_set1_epi8(1);
        for (a, b) in w.chunks_exact(Q4_0_BYTES).zip(x.chunks_exact(Q8_0_BYTES)) {
            let d = _mm256_set1_ps(block_d(a) * block_d(b));
            let q = _mm_loadu_si128(a[2..].as_ptr().cast());
            // Values 0..16 from the low nibbles, 16..32 from the high ones.
            let q = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), low);
            let y = load32(&b[2..]);
            // Σ (q − 8)·y = Σ q·y − 8·Σ y (q unsigned: no sign trick).
            let qy = M::dot_u8_i8(_mm256_setzero_si256(), q, y);
            let sy = M::dot_u8_i8(_mm256_setzero_si256(), ones, y);
            let s = _mm256_sub_epi32(qy, _mm256_slli_epi32(sy, 3));
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(s), acc);
        }
        hsum_ps(acc)
    }
}

#[inline(always)]
pub(crate) unsafe fn dot_q4_k_q8_k<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: as above; loads read 32 of a block's 128 nibble bytes / 256 quant bytes.
    unsafe {
        let low = _mm256_set1_epi8(0x0f);
        let mut sum = 0f32;
        for (a, b) in w.chunks_exact(Q4_K_BYTES).zip(x.chunks_exact(Q8_K_BYTES)) {
            let (d, dmin) = q4_k_scales(a, b);
            let sc = &a[4..16];
            let q = &a[16..16 + QK_K / 2];
            let y = &b[4..4 + QK_K];
            // The mins against the precomputed 16-value sums of y.
            let mut summ = 0i32;
            for j in 0..8 {
                let (_, m) = scale_min_k4(j, sc);
                let at = 4 + QK_K + 4 * j;
                let s = i16::from_le_bytes([b[at], b[at + 1]]) as i32
                    + i16::from_le_bytes([b[at + 2], b[at + 3]]) as i32;
                summ += m as i32 * s;
            }
            let mut acc = _mm256_setzero_si256();
            for c in 0..4 {
                let (s1, _) = scale_min_k4(2 * c, sc);
                let (s2, _) = scale_min_k4(2 * c + 1, sc);
                let bytes = load32(&q[32 * c..]);
                let lo = _mm256_and_si256(bytes, low);
                let hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low);
                let p1 = M::dot_u8_i8(_mm256_setzero_si256(), lo, load32(&y[64 * c..]));
                let p2 = M::dot_u8_i8(_mm256_setzero_si256(), hi, load32(&y[64 * c + 32..]));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(p1, _mm256_set1_epi32(s1 as i32)));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(p2, _mm256_set1_epi32(s2 as i32)));
            }
            sum += d * hsum_epi32(acc) as f32 - dmin * summ as f32;
        }
        sum
    }
}

/// Σ w·x over `i8` slices of equal length (values in −127..=127), exact.
#[inline(always)]
pub(crate) unsafe fn dot_i8<M: Madd>(w: &[i8], x: &[i8]) -> i32 {
    // SAFETY: AVX2 enabled by the callers; loads stay inside the 32-byte chunks.
    unsafe {
        let mut acc = _mm256_setzero_si256();
        let wc = w.chunks_exact(32);
        let xc = x.chunks_exact(32);
        let (wr, xr) = (wc.remainder(), xc.remainder());
        for (a, b) in wc.zip(xc) {
            let a = _mm256_loadu_si256(a.as_ptr().cast());
            let b = _mm256_loadu_si256(b.as_ptr().cast());
            acc = dot_i8_i8::<M>(acc, a, b);
        }
        hsum_epi32(acc)
            + wr.iter()
                .zip(xr)
                .map(|(a, b)| *a as i32 * *b as i32)
                .sum::<i32>()
    }
}

/// Σ q·x for 32 int4 values packed in 16 bytes (GPTQ order: byte `b` holds values `2b`
/// and `2b + 1`, low nibble first) against `x_perm`, the 32 activations reordered as
/// the even ones then the odd ones; returns 8 partial i32 sums added to `acc`.
#[inline(always)]
pub(crate) unsafe fn dot_i4_32<M: Madd>(acc: __m256i, packed: &[u8], x_perm: &[i8]) -> __m256i {
    // SAFETY: AVX2 in the callers; `packed` has 16 bytes and `x_perm` 32.
    unsafe {
        let q = _mm_loadu_si128(packed.as_ptr().cast());
        let low = _mm256_set1_epi8(0x0f);
        let q = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), low);
        M::dot_u8_i8(acc, q, _mm256_loadu_si256(x_perm.as_ptr().cast()))
    }
}

/// One int4 weight row against one token: `Σ_g scale[g]·(Σ_{k∈g} q_k·x_k − zero[g]·xsum[g])`
/// with `packed` the row's nibbles as bytes (GPTQ order), `x_perm` the token's int8
/// activations reordered per 32 (evens, then odds), `xsum` their per-group sums.
#[inline(always)]
pub(crate) unsafe fn int4_row<M: Madd>(
    packed: &[u8],
    scales: &[f32],
    zeros: &[u8],
    x_perm: &[i8],
    xsum: &[i32],
    group: usize,
) -> f32 {
    // SAFETY: AVX2 in the callers; the caller sized `packed` (cols / 2 bytes), `x_perm`
    // (cols), `scales`, `zeros` and `xsum` (cols / group) for the same row, and group
    // is a multiple of 32, so every 16-byte / 32-byte load is in bounds.
    unsafe {
        let per = group / 32;
        let mut out = 0f32;
        for g in 0..scales.len() {
            let mut acc = _mm256_setzero_si256();
            for c in 0..per {
                let i = g * per + c;
                acc = dot_i4_32::<M>(
                    acc,
                    &packed[16 * i..16 * i + 16],
                    &x_perm[32 * i..32 * i + 32],
                );
            }
            let s = hsum_epi32(acc) - zeros[g] as i32 * xsum[g];
            out += scales[g] * s as f32;
        }
        out
    }
}

/// Defines `$name_avx2` and `$name_vnni` wrappers of a generic kernel with the target
/// features enabled, for the run-time dispatch in `mod.rs`.
macro_rules! wrappers {
    ($($kernel:ident($($a:ident: $t:ty),*) -> $r:ty;)*) => {
        pub(crate) mod avx2 {
            use super::*;
            $(
                #[target_feature(enable = "avx2,fma")]
                pub(crate) unsafe fn $kernel($($a: $t),*) -> $r {
                    // SAFETY: the caller checked AVX2 and FMA.
                    unsafe { super::$kernel::<Avx2>($($a),*) }
                }
            )*
        }
        pub(crate) mod vnni {
            use super::*;
            $(
                #[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512vnni")]
                pub(crate) unsafe fn $kernel($($a: $t),*) -> $r {
                    // SAFETY: the caller checked AVX-512 F/VL/VNNI, AVX2 and FMA.
                    unsafe { super::$kernel::<Vnni>($($a),*) }
                }
            )*
        }
    };
}

wrappers! {
    dot_q8_0_q8_0(w: &[u8], x: &[u8]) -> f32;
    dot_q4_0_q8_0(w: &[u8], x: &[u8]) -> f32;
    dot_q4_k_q8_k(w: &[u8], x: &[u8]) -> f32;
    dot_i8(w: &[i8], x: &[i8]) -> i32;
    int4_row(packed: &[u8], scales: &[f32], zeros: &[u8], x_perm: &[i8], xsum: &[i32], group: usize) -> f32;
}
