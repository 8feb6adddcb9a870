//! The x86 SIMD kernels.
//!
//! - Block dot products (`Q8_0·Q8_0`, `Q4_0·Q8_0`, `Q4_K·Q8_K`), generic over [`Madd`]:
//!   AVX2 multiplies bytes with `vpmaddubsw` + `vpmaddwd` (as ggml's AVX2 paths do),
//!   AVX-512 VNNI with `vpdpbusd` (one instruction, no 16-bit intermediate); two blocks
//!   per iteration into two FMA chains. `Q8_0·Q8_0` on VNNI takes two blocks per
//!   512-bit vector and offsets the weights to unsigned (`w + 128`, then `128·Σx`
//!   subtracted), exact for every byte. Block scales are converted with F16C, four at
//!   a time.
//! - The int8 GEMM ([`avx2::i8_gemm`], [`vnni::i8_gemm`]): four weight rows per pass over
//!   an activation row; VNNI on 512-bit vectors with the activations offset to unsigned
//!   (`x + 128`) and `128·Σ_k w[r, k]` subtracted afterwards, AVX2 with the sign trick.
//! - The int4 GEMV ([`avx2::int4_gemv`], [`vnni::int4_gemv`]): four weight rows per pass,
//!   nibbles unpacked in registers, a `u8 × i8` dot per 32 values, each group's exact
//!   integer sum then the scalar code's float steps (bit-identical results).
//!
//! Integer sums are exact on every path (see each kernel for its input range); only
//! the float accumulation order of the block formats differs from the scalar code
//! (tests bound it).

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use super::blocks::{unpack_q4_k_scales, Q4_0_BYTES, Q4_K_BYTES, Q8_0_BYTES, Q8_K_BYTES, QK_K};

/// The multiply-adds the generic kernels are written against.
pub(crate) trait Madd {
    /// `acc` + Σ of 4 adjacent `u8 × i8` products per i32 lane. On AVX2 the pair sums
    /// pass through a saturating i16: callers keep `|a·b| + |a'·b'| ≤ 32767`.
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i;
}

/// AVX2: `vpmaddubsw` then `vpmaddwd` by ones.
pub(crate) struct Avx2;
/// AVX-512 VNNI with VL: `vpdpbusd`.
pub(crate) struct Vnni;

impl Madd for Avx2 {
    #[inline(always)]
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: only inlined into functions compiled with AVX2, which run after
        // run-time detection.
        unsafe {
            let p16 = _mm256_maddubs_epi16(a, b);
            _mm256_add_epi32(acc, _mm256_madd_epi16(p16, _mm256_set1_epi16(1)))
        }
    }
}

impl Madd for Vnni {
    #[inline(always)]
    unsafe fn dot_u8_i8(acc: __m256i, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: only inlined into functions compiled with AVX-512 VNNI and VL, which
        // run after run-time detection.
        unsafe { _mm256_dpbusd_epi32(acc, a, b) }
    }
}

#[inline(always)]
unsafe fn hsum_ps(v: __m256) -> f32 {
    // SAFETY: AVX (implied by the callers' AVX2).
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

/// The f16 bits at the start of `b`.
#[inline(always)]
fn half_bits(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}

/// Four f16 values as f32 lanes (F16C, exact). All four lanes are live, so the compiler
/// moves the 64 bits in whole (`vmovq`) instead of inserting 16 bits into a stale
/// register, which would chain each conversion to whatever that register last held.
#[inline(always)]
unsafe fn f16x4(h: [u16; 4]) -> __m128 {
    let bits = h[0] as u64 | (h[1] as u64) << 16 | (h[2] as u64) << 32 | (h[3] as u64) << 48;
    // SAFETY: F16C is enabled in every caller (detected with AVX2).
    unsafe { _mm_cvtph_ps(_mm_cvtsi64_si128(bits as i64)) }
}

/// `d(a0)·d(b0)` and `d(a1)·d(b1)` (the blocks' leading f16 scales), each broadcast.
#[inline(always)]
unsafe fn pair_scales(a0: &[u8], b0: &[u8], a1: &[u8], b1: &[u8]) -> (__m256, __m256) {
    // SAFETY: AVX2 and F16C in the callers.
    unsafe {
        let v = f16x4([half_bits(a0), half_bits(b0), half_bits(a1), half_bits(b1)]);
        let p = _mm_mul_ps(v, _mm_movehdup_ps(v)); // lanes 0 and 2
        (
            _mm256_broadcastss_ps(p),
            _mm256_broadcastss_ps(_mm_movehl_ps(p, p)),
        )
    }
}

/// 32 bytes from the start of `p` (at least 32 bytes long).
#[inline(always)]
unsafe fn load32(p: &[u8]) -> __m256i {
    // SAFETY: every caller passes a slice of at least 32 bytes (a block's quants), and
    // AVX is enabled in the callers.
    unsafe { _mm256_loadu_si256(p.as_ptr().cast()) }
}

/// 16 bytes of nibbles (value `j` in the low nibble of byte `j`, value `j + 16` in the
/// high one) → 32 bytes `0..=15` in value order.
#[inline(always)]
unsafe fn unpack_nibbles16(p: &[u8]) -> __m256i {
    // SAFETY: every caller passes at least 16 bytes; AVX2 in the callers.
    unsafe {
        let q = _mm_loadu_si128(p.as_ptr().cast());
        let q = _mm256_set_m128i(_mm_srli_epi16(q, 4), q);
        _mm256_and_si256(q, _mm256_set1_epi8(0x0f))
    }
}

/// `acc` + Σ x·y over signed bytes, via the sign trick (|x| unsigned times y with x's
/// sign). Exact when neither operand holds −128 (ggml's quantisers never write it).
#[inline(always)]
unsafe fn dot_i8_i8<M: Madd>(acc: __m256i, x: __m256i, y: __m256i) -> __m256i {
    // SAFETY: AVX2 in the callers. |x|, |y| ≤ 127 keeps each pair sum ≤ 32258 < 2^15.
    unsafe { M::dot_u8_i8(acc, _mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x)) }
}

/// One `Q8_0 · Q8_0` block pair (scale product `d`) added to `acc`.
#[inline(always)]
unsafe fn q8_0_block<M: Madd>(acc: __m256, d: __m256, a: &[u8], b: &[u8]) -> __m256 {
    // SAFETY: `a` and `b` are 34-byte blocks: the loads read bytes 2..34; features as
    // in the callers.
    unsafe {
        let s = dot_i8_i8::<M>(_mm256_setzero_si256(), load32(&a[2..]), load32(&b[2..]));
        _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(s), acc)
    }
}

/// One `Q4_0 · Q8_0` block pair (scale product `d`) added to `acc`.
#[inline(always)]
unsafe fn q4_0_block<M: Madd>(acc: __m256, d: __m256, a: &[u8], b: &[u8]) -> __m256 {
    // SAFETY: `a` is an 18-byte block (16 nibble bytes read from 2), `b` a 34-byte one;
    // features as in the callers. Σ (q − 8)·y = Σ q·y − Σ 8·y with q in 0..=15 unsigned,
    // so no sign trick is needed and any y (even −128) is exact: pair sums ≤ 3840.
    unsafe {
        let q = unpack_nibbles16(&a[2..]);
        let y = load32(&b[2..]);
        let qy = M::dot_u8_i8(_mm256_setzero_si256(), q, y);
        let ey = M::dot_u8_i8(_mm256_setzero_si256(), _mm256_set1_epi8(8), y);
        let s = _mm256_sub_epi32(qy, ey);
        _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(s), acc)
    }
}

/// Two blocks per iteration into two accumulators (the FMA latency, not the
/// throughput, bounds a single chain), then the odd block.
macro_rules! two_chains {
    ($w:expr, $x:expr, $wb:expr, $xb:expr, $block:ident::<$m:ty>) => {{
        let mut acc0 = _mm256_setzero_ps();
        let mut acc1 = _mm256_setzero_ps();
        let mut wc = $w.chunks_exact(2 * $wb);
        let mut xc = $x.chunks_exact(2 * $xb);
        for (a, b) in (&mut wc).zip(&mut xc) {
            let (a0, a1) = a.split_at($wb);
            let (b0, b1) = b.split_at($xb);
            let (d0, d1) = pair_scales(a0, b0, a1, b1);
            acc0 = $block::<$m>(acc0, d0, a0, b0);
            acc1 = $block::<$m>(acc1, d1, a1, b1);
        }
        for (a, b) in wc
            .remainder()
            .chunks_exact($wb)
            .zip(xc.remainder().chunks_exact($xb))
        {
            acc0 = $block::<$m>(acc0, pair_scales(a, b, a, b).0, a, b);
        }
        hsum_ps(_mm256_add_ps(acc0, acc1))
    }};
}

/// `Q8_0 · Q8_0` over whole blocks (`w` and `x` the same block count).
#[inline(always)]
pub(crate) unsafe fn dot_q8_0_q8_0<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: features enabled by the calling wrappers after detection; the block
    // kernels get whole blocks from `chunks_exact`.
    unsafe { two_chains!(w, x, Q8_0_BYTES, Q8_0_BYTES, q8_0_block::<M>) }
}

/// `Q4_0 · Q8_0` over whole blocks.
#[inline(always)]
pub(crate) unsafe fn dot_q4_0_q8_0<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: as in `dot_q8_0_q8_0`.
    unsafe { two_chains!(w, x, Q4_0_BYTES, Q8_0_BYTES, q4_0_block::<M>) }
}

/// `Q4_K · Q8_K` over whole super-blocks: per block the nibbles times `y` with
/// `vpmaddubsw` (≤ 3840 per pair: exact), scaled by the 6-bit sub-block scales with a
/// 16-bit multiply-add, and the mins against `Q8_K`'s 16-value sums.
#[inline(always)]
pub(crate) unsafe fn dot_q4_k_q8_k<M: Madd>(w: &[u8], x: &[u8]) -> f32 {
    // SAFETY: features enabled by the calling wrappers; `a` is a 144-byte block (loads
    // of 32 from 16 + 32c, c < 4), `b` a 292-byte one (loads of 32 from 4 + 32i, i < 8,
    // and of the 32 bytes of bsums at 260).
    unsafe {
        let low = _mm256_set1_epi8(0x0f);
        let mut acc = _mm256_setzero_ps();
        for (a, b) in w.chunks_exact(Q4_K_BYTES).zip(x.chunks_exact(Q8_K_BYTES)) {
            // [d, dmin] of the Q4_K block times Q8_K's d, broadcast.
            let dy = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let dd = _mm_mul_ps(
                f16x4([half_bits(a), half_bits(&a[2..]), 0, 0]),
                _mm_set1_ps(dy),
            );
            let d = _mm256_broadcastss_ps(dd);
            let dmin = _mm256_broadcastss_ps(_mm_movehdup_ps(dd));
            let (scales, mins) = unpack_q4_k_scales(&a[4..16]);
            // Mins: lane j = m_j·(bsums[2j] + bsums[2j + 1]).
            let m8 = _mm_loadl_epi64(mins.as_ptr().cast());
            let m16 = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
            let pm = _mm256_madd_epi16(load32(&b[4 + QK_K..]), m16);
            let q = &a[16..];
            let y = &b[4..];
            let mut si = _mm256_setzero_si256();
            for c in 0..4 {
                let bytes = load32(&q[32 * c..]);
                let lo = _mm256_and_si256(bytes, low);
                let hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low);
                let p1 = _mm256_maddubs_epi16(lo, load32(&y[64 * c..]));
                let p2 = _mm256_maddubs_epi16(hi, load32(&y[64 * c + 32..]));
                // Independent `vpmaddwd`s joined by 1-cycle adds (a `vpdpwssd` chain
                // through one accumulator is slower).
                let s1 = _mm256_madd_epi16(p1, _mm256_set1_epi16(scales[2 * c] as i16));
                let s2 = _mm256_madd_epi16(p2, _mm256_set1_epi16(scales[2 * c + 1] as i16));
                si = _mm256_add_epi32(si, _mm256_add_epi32(s1, s2));
            }
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(si), acc);
            acc = _mm256_fnmadd_ps(dmin, _mm256_cvtepi32_ps(pm), acc);
        }
        hsum_ps(acc)
    }
}

/// 16 bytes of GPTQ nibbles at `p` (byte `b`: features `2b` low, `2b + 1` high) → 32
/// bytes `0..=15`: the 16 even features, then the 16 odd ones.
#[inline(always)]
unsafe fn unpack_gptq16(p: *const u8) -> __m256i {
    // SAFETY: the caller passes a pointer to 16 readable bytes; AVX2 in the callers.
    // Shifting the upper 128 bits' 64-bit lanes by 4 brings each byte's high nibble down
    // (bits pulled in from the next byte are masked off).
    unsafe {
        let q = _mm256_broadcastsi128_si256(_mm_loadu_si128(p.cast()));
        let q = _mm256_srlv_epi64(q, _mm256_set_epi64x(4, 4, 0, 0));
        _mm256_and_si256(q, _mm256_set1_epi8(0x0f))
    }
}

/// The horizontal sums of four i32 vectors, `[Σa, Σb, Σc, Σd]`.
#[inline(always)]
unsafe fn hsum4_epi32(a: __m256i, b: __m256i, c: __m256i, d: __m256i) -> [i32; 4] {
    // SAFETY: AVX2 in the callers.
    unsafe {
        let ab = _mm256_hadd_epi32(a, b);
        let cd = _mm256_hadd_epi32(c, d);
        let s = _mm256_hadd_epi32(ab, cd);
        let s = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        let mut out = [0i32; 4];
        _mm_storeu_si128(out.as_mut_ptr().cast(), s);
        out
    }
}

/// `R` consecutive int4 rows against one token, `out[r] = Σ_g scale[r, g]·(Σ_{k∈g}
/// q[r, k]·x_k − zero[r, g]·xsum[g])`: each 32-feature chunk of the activations is
/// loaded once for the `R` rows. `words` holds the `R` rows (`cols / 8` words each),
/// `scales` / `zeros` their `[R, groups]` parameters.
#[inline(always)]
unsafe fn int4_rows<M: Madd, const R: usize>(
    words: &[u32],
    scales: &[f32],
    zeros: &[u8],
    x_perm: &[i8],
    xsum: &[i32],
    group: usize,
    out: &mut [f32],
) {
    let cols = x_perm.len();
    let groups = xsum.len();
    let row_bytes = cols / 2;
    if words.len() * 8 != R * cols
        || scales.len() != R * groups
        || zeros.len() != R * groups
        || out.len() != R
        || groups * group != cols
    {
        debug_assert!(false, "int4_rows: inconsistent lengths");
        return;
    }
    let wp: *const u8 = words.as_ptr().cast();
    let xp = x_perm.as_ptr();
    let mut res = [0f32; R];
    for (g, xs) in xsum.iter().enumerate() {
        // SAFETY: AVX2 (and VNNI for `Vnni`) enabled by the wrappers. With the lengths
        // checked above, chunk c of group g reads activation bytes 32·(g·group/32 + c)
        // + 0..32 < cols and row r's packed bytes r·row_bytes + 16·(...) + 0..16 <
        // R·row_bytes, the bytes of `words` (u8 views of u32 data are valid).
        let sums = unsafe {
            let mut acc = [_mm256_setzero_si256(); R];
            let first = g * group / 32;
            for c in first..first + group / 32 {
                let xv = _mm256_loadu_si256(xp.add(32 * c).cast());
                for (r, a) in acc.iter_mut().enumerate() {
                    let q = unpack_gptq16(wp.add(r * row_bytes + 16 * c));
                    *a = M::dot_u8_i8(*a, q, xv);
                }
            }
            let mut sums = [0i32; R];
            if R == 4 {
                sums.copy_from_slice(&hsum4_epi32(acc[0], acc[1], acc[2], acc[3]));
            } else {
                for (s, a) in sums.iter_mut().zip(acc) {
                    *s = hsum_epi32(a);
                }
            }
            sums
        };
        // The group's exact integer sum, then the same float steps as the scalar code.
        for (r, (o, s)) in res.iter_mut().zip(sums).enumerate() {
            let at = r * groups + g;
            *o += scales[at] * (s - zeros[at] as i32 * xs) as f32;
        }
    }
    out.copy_from_slice(&res);
}

/// Every int4 row (`words` `rows × cols / 8`, `scales` / `zeros` `[rows, groups]`)
/// against one token (`x_perm`: its int8 values reordered per 32, evens then odds;
/// `xsum`: their per-group sums) into `out` (`rows`), four rows at a time.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // the scalar reference's signature, for `by_isa!`
pub(crate) unsafe fn int4_gemv<M: Madd>(
    words: &[u32],
    scales: &[f32],
    zeros: &[u8],
    _x: &[i8],
    x_perm: &[i8],
    xsum: &[i32],
    group: usize,
    out: &mut [f32],
) {
    let (row_words, groups) = (x_perm.len() / 8, xsum.len());
    if row_words == 0 || groups == 0 {
        return;
    }
    let blocks = words
        .chunks(4 * row_words)
        .zip(scales.chunks(4 * groups).zip(zeros.chunks(4 * groups)))
        .zip(out.chunks_mut(4));
    for ((w, (s, z)), o) in blocks {
        // SAFETY: features enabled by the wrappers; `int4_rows` checks its lengths.
        unsafe {
            if o.len() == 4 {
                int4_rows::<M, 4>(w, s, z, x_perm, xsum, group, o);
            } else {
                for (((w, s), z), o) in w
                    .chunks(row_words)
                    .zip(s.chunks(groups))
                    .zip(z.chunks(groups))
                    .zip(o.chunks_mut(1))
                {
                    int4_rows::<M, 1>(w, s, z, x_perm, xsum, group, o);
                }
            }
        }
    }
}

/// Whether the int8 GEMM operands fit together: `w` is `rows × cols`, `x` `n × cols`,
/// `out` `n × rows`, `row_sums` `rows`, `xu` empty or `x.len()`.
fn i8_gemm_shapes(
    w: &[i8],
    x: &[i8],
    xu: &[u8],
    row_sums: &[i32],
    cols: usize,
    out: &[i32],
) -> bool {
    cols > 0
        && w.len().is_multiple_of(cols)
        && x.len().is_multiple_of(cols)
        && row_sums.len() == w.len() / cols
        && (xu.is_empty() || xu.len() == x.len())
        && Some(out.len()) == (x.len() / cols).checked_mul(w.len() / cols)
}

/// Defines target-feature wrappers of the generic kernels for one [`Madd`].
macro_rules! wrappers {
    ($features:literal, $m:ty) => {
        /// `Q4_K · Q8_K`.
        #[target_feature(enable = $features)]
        pub(crate) unsafe fn dot_q4_k_q8_k(w: &[u8], x: &[u8]) -> f32 {
            // SAFETY: as above.
            unsafe { super::dot_q4_k_q8_k::<$m>(w, x) }
        }

        /// Every int4 row against one token.
        #[target_feature(enable = $features)]
        #[allow(clippy::too_many_arguments)]
        pub(crate) unsafe fn int4_gemv(
            words: &[u32],
            scales: &[f32],
            zeros: &[u8],
            x: &[i8],
            x_perm: &[i8],
            xsum: &[i32],
            group: usize,
            out: &mut [f32],
        ) {
            // SAFETY: as above.
            unsafe { super::int4_gemv::<$m>(words, scales, zeros, x, x_perm, xsum, group, out) }
        }
    };
}

/// AVX2 + FMA + F16C kernels.
pub(crate) mod avx2 {
    use super::*;

    wrappers!("avx2,fma,f16c", Avx2);

    /// `Q8_0 · Q8_0`.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(crate) unsafe fn dot_q8_0_q8_0(w: &[u8], x: &[u8]) -> f32 {
        // SAFETY: the caller detected the features this function enables.
        unsafe { super::dot_q8_0_q8_0::<Avx2>(w, x) }
    }

    /// `Q4_0 · Q8_0`.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(crate) unsafe fn dot_q4_0_q8_0(w: &[u8], x: &[u8]) -> f32 {
        // SAFETY: as above.
        unsafe { super::dot_q4_0_q8_0::<Avx2>(w, x) }
    }

    /// `out[t·rows + r] = Σ_k w[r, k]·x[t, k]` (exact i32) for `w` `rows × cols` and `x`
    /// `n × cols` with values in −127..=127 (the sign trick's range); `xu` and
    /// `row_sums` are unused here. Four weight rows share each activation load.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(crate) unsafe fn i8_gemm(
        w: &[i8],
        x: &[i8],
        xu: &[u8],
        row_sums: &[i32],
        cols: usize,
        out: &mut [i32],
    ) {
        if !i8_gemm_shapes(w, x, xu, row_sums, cols, out) {
            debug_assert!(false, "i8_gemm: inconsistent shapes");
            return;
        }
        let rows = w.len() / cols;
        let full = cols / 32 * 32;
        for (r0, wb) in w.chunks(4 * cols).enumerate().map(|(i, b)| (4 * i, b)) {
            let nr = wb.len() / cols;
            for (t, xr) in x.chunks_exact(cols).enumerate() {
                let mut sums = [0i32; 4];
                // SAFETY: AVX2 enabled; every load reads 32 bytes at k < full ≤ cols of
                // a row of `cols` bytes (x row or w row r < nr).
                unsafe {
                    let xp = xr.as_ptr();
                    let wp = wb.as_ptr();
                    let mut acc = [_mm256_setzero_si256(); 4];
                    let mut k = 0;
                    while k < full {
                        let xv = _mm256_loadu_si256(xp.add(k).cast());
                        let ax = _mm256_sign_epi8(xv, xv);
                        for (r, a) in acc.iter_mut().enumerate().take(nr) {
                            let wv = _mm256_loadu_si256(wp.add(r * cols + k).cast());
                            *a = Avx2::dot_u8_i8(*a, ax, _mm256_sign_epi8(wv, xv));
                        }
                        k += 32;
                    }
                    for (s, a) in sums.iter_mut().zip(acc) {
                        *s = hsum_epi32(a);
                    }
                }
                for (r, s) in sums.iter_mut().enumerate().take(nr) {
                    let wr = &wb[r * cols + full..(r + 1) * cols];
                    *s += wr
                        .iter()
                        .zip(&xr[full..])
                        .map(|(a, b)| *a as i32 * *b as i32)
                        .sum::<i32>();
                    out[t * rows + r0 + r] = *s;
                }
            }
        }
    }
}

/// AVX-512 F/BW/VL/VNNI (+ AVX2, FMA, F16C) kernels.
pub(crate) mod vnni {
    use super::*;

    wrappers!("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni", Vnni);

    /// `[d0 ×8, d1 ×8]` from lanes 0 and 2 of `p` (the pair's scale products).
    #[inline(always)]
    unsafe fn spread_pair(p: __m128) -> __m512 {
        // SAFETY: AVX-512 F in the callers; only lanes 0 and 2 of the (partly
        // undefined) widened vector are read.
        unsafe {
            let idx = _mm512_set_epi32(2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
            _mm512_permutexvar_ps(idx, _mm512_castps128_ps512(p))
        }
    }

    /// The pair-scale products `d(a0)·d(b0)`, `d(a1)·d(b1)` in lanes 0 and 2.
    #[inline(always)]
    unsafe fn pair_products(a0: &[u8], b0: &[u8], a1: &[u8], b1: &[u8]) -> __m128 {
        // SAFETY: F16C in the callers.
        unsafe {
            let v = f16x4([half_bits(a0), half_bits(b0), half_bits(a1), half_bits(b1)]);
            _mm_mul_ps(v, _mm_movehdup_ps(v))
        }
    }

    /// The quants of two blocks, 32 bytes each from byte 2 of `a0` and of `a1`.
    #[inline(always)]
    unsafe fn load_pair(a0: &[u8], a1: &[u8]) -> __m512i {
        // SAFETY: both blocks hold 32 quant bytes after their 2-byte scale; AVX-512 F.
        unsafe {
            _mm512_inserti64x4(
                _mm512_castsi256_si512(load32(&a0[2..])),
                load32(&a1[2..]),
                1,
            )
        }
    }

    /// Σ w·x per i32 lane for signed bytes, exact for every value (−128 included):
    /// `Σ (w + 128)·x − Σ 128·x`, both with `vpdpbusd`.
    #[inline(always)]
    unsafe fn dot_i8_exact512(w: __m512i, x: __m512i) -> __m512i {
        // SAFETY: AVX-512 F/VNNI in the callers. |Σ| ≤ 4·255·128 per lane.
        unsafe {
            let off = _mm512_set1_epi8(i8::MIN);
            let zero = _mm512_setzero_si512();
            let biased = _mm512_dpbusd_epi32(zero, _mm512_xor_si512(w, off), x);
            _mm512_sub_epi32(biased, _mm512_dpbusd_epi32(zero, off, x))
        }
    }

    /// The same on 256 bits (one block).
    #[inline(always)]
    unsafe fn dot_i8_exact256(w: __m256i, x: __m256i) -> __m256i {
        // SAFETY: AVX-512 VL/VNNI in the callers.
        unsafe {
            let off = _mm256_set1_epi8(i8::MIN);
            let zero = _mm256_setzero_si256();
            let biased = _mm256_dpbusd_epi32(zero, _mm256_xor_si256(w, off), x);
            _mm256_sub_epi32(biased, _mm256_dpbusd_epi32(zero, off, x))
        }
    }

    /// Two blocks per 512-bit step, two steps per iteration (two FMA chains), then a
    /// last pair and a last single block; `$pair(acc, a0, a1, b0, b1)` and
    /// `$one(a, b) -> f32` do the work.
    macro_rules! pairs512 {
        ($w:expr, $x:expr, $wb:expr, $xb:expr, $pair:ident, $one:ident) => {{
            let mut acc0 = _mm512_setzero_ps();
            let mut acc1 = _mm512_setzero_ps();
            let mut wc = $w.chunks_exact(4 * $wb);
            let mut xc = $x.chunks_exact(4 * $xb);
            for (a, b) in (&mut wc).zip(&mut xc) {
                acc0 = $pair(acc0, &a[..$wb], &a[$wb..], &b[..$xb], &b[$xb..]);
                acc1 = $pair(
                    acc1,
                    &a[2 * $wb..],
                    &a[3 * $wb..],
                    &b[2 * $xb..],
                    &b[3 * $xb..],
                );
            }
            let (mut wr, mut xr) = (wc.remainder(), xc.remainder());
            if wr.len() >= 2 * $wb && xr.len() >= 2 * $xb {
                acc0 = $pair(acc0, &wr[..$wb], &wr[$wb..], &xr[..$xb], &xr[$xb..]);
                (wr, xr) = (&wr[2 * $wb..], &xr[2 * $xb..]);
            }
            let mut sum = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
            if wr.len() >= $wb && xr.len() >= $xb {
                sum += $one(wr, xr);
            }
            sum
        }};
    }

    /// Two `Q8_0 · Q8_0` block pairs added to `acc`.
    #[inline(always)]
    unsafe fn q8_0_pair(acc: __m512, a0: &[u8], a1: &[u8], b0: &[u8], b1: &[u8]) -> __m512 {
        // SAFETY: whole 34-byte blocks; features as in the wrappers.
        unsafe {
            let d = spread_pair(pair_products(a0, b0, a1, b1));
            let s = dot_i8_exact512(load_pair(a0, a1), load_pair(b0, b1));
            _mm512_fmadd_ps(d, _mm512_cvtepi32_ps(s), acc)
        }
    }

    /// One `Q8_0 · Q8_0` block pair.
    #[inline(always)]
    unsafe fn q8_0_one(a: &[u8], b: &[u8]) -> f32 {
        // SAFETY: whole 34-byte blocks; features as in the wrappers.
        unsafe {
            let d = _mm_cvtss_f32(pair_products(a, b, a, b));
            d * hsum_epi32(dot_i8_exact256(load32(&a[2..]), load32(&b[2..]))) as f32
        }
    }

    /// `Q8_0 · Q8_0` with 512-bit `vpdpbusd`, two blocks per vector, exact for every i8
    /// (the unsigned offset instead of the sign trick).
    #[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")]
    pub(crate) unsafe fn dot_q8_0_q8_0(w: &[u8], x: &[u8]) -> f32 {
        // SAFETY: the caller detected the features; `chunks_exact` and the length checks
        // in `pairs512!` hand whole blocks to the block kernels.
        unsafe { pairs512!(w, x, Q8_0_BYTES, Q8_0_BYTES, q8_0_pair, q8_0_one) }
    }

    /// `Q4_0 · Q8_0` with 256-bit `vpdpbusd` (the 512-bit form needs a lane shuffle
    /// per block pair for the nibble order and measured slower).
    #[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")]
    pub(crate) unsafe fn dot_q4_0_q8_0(w: &[u8], x: &[u8]) -> f32 {
        // SAFETY: the caller detected the features this function enables.
        unsafe { super::dot_q4_0_q8_0::<Vnni>(w, x) }
    }

    /// `out[t·rows + r] = Σ_k w[r, k]·x[t, k]` (exact i32) for any i8 values, with
    /// `xu = x + 128` (as u8, `x.len()` bytes) and `row_sums[r] = Σ_k w[r, k]`:
    /// `vpdpbusd` on 512-bit vectors gives `Σ (x + 128)·w`, and `128·row_sums[r]` is
    /// subtracted. Both may wrap in i32; their difference is the exact sum whenever that
    /// fits (wrapping arithmetic is exact modulo 2³²). Tails use masked loads.
    #[target_feature(enable = "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")]
    pub(crate) unsafe fn i8_gemm(
        w: &[i8],
        x: &[i8],
        xu: &[u8],
        row_sums: &[i32],
        cols: usize,
        out: &mut [i32],
    ) {
        if !i8_gemm_shapes(w, x, xu, row_sums, cols, out) || xu.len() != x.len() {
            debug_assert!(false, "i8_gemm: inconsistent shapes");
            return;
        }
        let rows = w.len() / cols;
        let full = cols / 64 * 64;
        let tail: __mmask64 = if cols == full {
            0
        } else {
            (1u64 << (cols - full)) - 1
        };
        for (r0, wb) in w.chunks(4 * cols).enumerate().map(|(i, b)| (4 * i, b)) {
            let nr = wb.len() / cols;
            for (t, xr) in xu.chunks_exact(cols).enumerate() {
                // SAFETY: AVX-512 F/BW/VNNI enabled; full loads read 64 bytes at
                // k < full ≤ cols inside a row of `cols` bytes; the masked tail loads
                // touch only bytes full..cols of the row (masked-off bytes are not read
                // and do not fault).
                let sums = unsafe {
                    let xp = xr.as_ptr();
                    let wp = wb.as_ptr();
                    let mut acc = [_mm512_setzero_si512(); 4];
                    let mut k = 0;
                    while k < full {
                        let xv = _mm512_loadu_si512(xp.add(k).cast());
                        for (r, a) in acc.iter_mut().enumerate().take(nr) {
                            let wv = _mm512_loadu_si512(wp.add(r * cols + k).cast());
                            *a = _mm512_dpbusd_epi32(*a, xv, wv);
                        }
                        k += 64;
                    }
                    if tail != 0 {
                        let xv = _mm512_maskz_loadu_epi8(tail, xp.add(full).cast());
                        for (r, a) in acc.iter_mut().enumerate().take(nr) {
                            let wv = _mm512_maskz_loadu_epi8(tail, wp.add(r * cols + full));
                            *a = _mm512_dpbusd_epi32(*a, xv, wv);
                        }
                    }
                    acc.map(|a| _mm512_reduce_add_epi32(a))
                };
                for (r, s) in sums.iter().enumerate().take(nr) {
                    out[t * rows + r0 + r] = s.wrapping_sub(row_sums[r0 + r].wrapping_mul(128));
                }
            }
        }
    }
}
