//! AVX2 paths: the same integer arithmetic as [`super::scalar`] (products summed with
//! `vpmaddwd`, exact in 32 bits), so the results are bit-identical; each function does
//! whole vectors and hands the rest of the row to the scalar reference.
//!
//! Every function is `unsafe` only because it needs AVX2: the caller guarantees the CPU
//! has it. Memory accesses stay inside the slices (each loop's bound is stated).

use super::coeffs::{RgbToYuv, YuvToRgb, RGB_TO_YUV_BITS, YUV_TO_RGB_BITS};
use super::resize::{AxisMap, WEIGHT_BITS};
use super::scalar;
use crate::PixelFormat;
use std::arch::x86_64::*;

/// Two i16 coefficients as one `vpmaddwd` operand: `lo` multiplies the low half of each
/// 32-bit lane, `hi` the high half.
#[inline(always)]
fn pair(lo: i32, hi: i32) -> i32 {
    (lo & 0xFFFF) | (hi << 16)
}

/// The coefficient pairs for the (byte 0, byte 2) and (byte 1, byte 3) halves of a
/// pixel, for coefficients `c = [r, g, b]`.
#[inline(always)]
fn pixel_pairs(c: &[i32; 3], format: PixelFormat) -> (i32, i32) {
    let [r, g, b] = *c;
    match format {
        PixelFormat::Bgra => (pair(b, r), pair(g, 0)),
        PixelFormat::Rgb24 | PixelFormat::Rgba => (pair(r, b), pair(g, 0)),
    }
}

/// Eight pixels from `p` as eight 32-bit lanes holding bytes (c0, c1, c2, c3) — c3 = 0 for
/// RGB24. Reads `8 × bytes_per_pixel` bytes from `p`.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn load8(p: *const u8, format: PixelFormat) -> __m256i {
    match format {
        PixelFormat::Rgb24 => {
            // SAFETY: the caller guarantees 24 readable bytes: [p, p+16) and [p+8, p+24).
            let (lo, hi) = unsafe { (_mm_loadu_si128(p.cast()), _mm_loadu_si128(p.add(8).cast())) };
            let both = _mm256_set_m128i(hi, lo);
            // Lane 0 holds pixels 0..4 at bytes 0..12; lane 1 (bytes 8..24) pixels 4..8 at 4..16.
            let shuffle = _mm256_setr_epi8(
                0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, //
                4, 5, 6, -1, 7, 8, 9, -1, 10, 11, 12, -1, 13, 14, 15, -1,
            );
            _mm256_shuffle_epi8(both, shuffle)
        }
        // SAFETY: the caller guarantees 32 readable bytes.
        _ => unsafe { _mm256_loadu_si256(p.cast()) },
    }
}

/// The (byte 0, byte 2) and (byte 1, byte 3) 16-bit halves of each pixel lane.
#[inline]
#[target_feature(enable = "avx2")]
fn split(px: __m256i) -> (__m256i, __m256i) {
    let mask = _mm256_set1_epi32(0x00FF_00FF);
    (
        _mm256_and_si256(px, mask),
        _mm256_and_si256(_mm256_srli_epi32::<8>(px), mask),
    )
}

/// Eight i32 lanes saturated to u8, as a little-endian u64.
#[inline]
#[target_feature(enable = "avx2")]
fn pack8(v: __m256i) -> u64 {
    let w = _mm256_packs_epi32(v, v);
    let b = _mm256_packus_epi16(w, w);
    let b = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0));
    #[allow(clippy::cast_sign_loss)]
    {
        _mm_cvtsi128_si64(_mm256_castsi256_si128(b)) as u64
    }
}

/// Luma of a whole row (see [`scalar::luma_row`]).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn luma_row(row: &[u8], format: PixelFormat, k: &RgbToYuv, dst: &mut [u8]) {
    let bpp = format.bytes_per_pixel();
    let (c02, c13) = pixel_pairs(&k.y, format);
    let (c02, c13) = (_mm256_set1_epi32(c02), _mm256_set1_epi32(c13));
    let bits = RGB_TO_YUV_BITS;
    let bias = _mm256_set1_epi32((k.y_offset << bits) + (1 << (bits - 1)));
    let width = dst.len();
    let mut x = 0;
    while x + 8 <= width {
        // SAFETY: pixels x..x+8 lie inside `row` (width × bpp bytes).
        let px = unsafe { load8(row.as_ptr().add(x * bpp), format) };
        let (a, b) = split(px);
        let sum = _mm256_add_epi32(_mm256_madd_epi16(a, c02), _mm256_madd_epi16(b, c13));
        let y = _mm256_srai_epi32::<15>(_mm256_add_epi32(sum, bias));
        dst[x..x + 8].copy_from_slice(&pack8(y).to_le_bytes());
        x += 8;
    }
    scalar::luma_row(row, format, k, dst, x);
}

/// Chroma of a whole row pair (see [`scalar::chroma_row`]).
#[target_feature(enable = "avx2")]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn chroma_row(
    row0: &[u8],
    row1: Option<&[u8]>,
    width: usize,
    format: PixelFormat,
    k: &RgbToYuv,
    u: &mut [u8],
    v: &mut [u8],
) {
    let mut cx = 0;
    if let Some(row1) = row1 {
        let bpp = format.bytes_per_pixel();
        let (u02, u13) = pixel_pairs(&k.u, format);
        let (v02, v13) = pixel_pairs(&k.v, format);
        let (u02, u13) = (_mm256_set1_epi32(u02), _mm256_set1_epi32(u13));
        let (v02, v13) = (_mm256_set1_epi32(v02), _mm256_set1_epi32(v13));
        let shift = RGB_TO_YUV_BITS + 2;
        let bias = _mm256_set1_epi32((128 << shift) + (1 << (shift - 1)));
        let order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
        // Eight whole 2×2 blocks: luma columns 2cx..2cx+16 of both rows.
        while 2 * cx + 16 <= width {
            let at = 2 * cx * bpp;
            // SAFETY: pixels 2cx..2cx+16 lie inside both rows (width × bpp bytes each).
            let (p0, p1, q0, q1) = unsafe {
                (
                    load8(row0.as_ptr().add(at), format),
                    load8(row0.as_ptr().add(at + 8 * bpp), format),
                    load8(row1.as_ptr().add(at), format),
                    load8(row1.as_ptr().add(at + 8 * bpp), format),
                )
            };
            let ((a0, b0), (a1, b1)) = (split(p0), split(p1));
            let ((c0, d0), (c1, d1)) = (split(q0), split(q1));
            // Vertical sums (16-bit halves, ≤ 510), then horizontal pairs: each 32-bit
            // lane add is two 16-bit adds (≤ 1020, no carry between halves).
            let s02 = _mm256_hadd_epi32(_mm256_add_epi16(a0, c0), _mm256_add_epi16(a1, c1));
            let s13 = _mm256_hadd_epi32(_mm256_add_epi16(b0, d0), _mm256_add_epi16(b1, d1));
            // Block order after hadd: 0 1 4 5 | 2 3 6 7.
            let uu = _mm256_add_epi32(_mm256_madd_epi16(s02, u02), _mm256_madd_epi16(s13, u13));
            let vv = _mm256_add_epi32(_mm256_madd_epi16(s02, v02), _mm256_madd_epi16(s13, v13));
            let uu = _mm256_srai_epi32::<17>(_mm256_add_epi32(uu, bias));
            let vv = _mm256_srai_epi32::<17>(_mm256_add_epi32(vv, bias));
            let uu = _mm256_permutevar8x32_epi32(uu, order);
            let vv = _mm256_permutevar8x32_epi32(vv, order);
            u[cx..cx + 8].copy_from_slice(&pack8(uu).to_le_bytes());
            v[cx..cx + 8].copy_from_slice(&pack8(vv).to_le_bytes());
            cx += 8;
        }
    }
    scalar::chroma_row(row0, row1, width, format, k, u, v, cx);
}

/// One colour channel of sixteen pixels as i16 lanes: the luma terms (`lo` = pixels
/// 0..4 and 8..12, `hi` = 4..8 and 12..16, bias included) plus the chroma term of each
/// pixel's sample (`c`: samples 0..4 | 4..8, each used by two pixels), `>> 13`.
#[inline]
#[target_feature(enable = "avx2")]
fn channel(y_lo: __m256i, y_hi: __m256i, c: __m256i) -> __m256i {
    // Per lane: (c0 c0 c1 c1) for lo, (c2 c2 c3 c3) for hi.
    let lo = _mm256_add_epi32(y_lo, _mm256_unpacklo_epi32(c, c));
    let hi = _mm256_add_epi32(y_hi, _mm256_unpackhi_epi32(c, c));
    _mm256_packs_epi32(_mm256_srai_epi32::<13>(lo), _mm256_srai_epi32::<13>(hi))
}

/// Sixteen pixels' R, G, B and A bytes (one `__m128i` each) stored interleaved in
/// `format` into `out` (`16 × bytes_per_pixel` bytes).
#[inline]
#[target_feature(enable = "avx2")]
fn store16([r8, g8, b8, a8]: [__m128i; 4], format: PixelFormat, out: &mut [u8]) {
    let (c0, c2) = match format {
        PixelFormat::Bgra => (b8, r8),
        _ => (r8, b8),
    };
    let (lo01, hi01) = (_mm_unpacklo_epi8(c0, g8), _mm_unpackhi_epi8(c0, g8));
    let (lo23, hi23) = (_mm_unpacklo_epi8(c2, a8), _mm_unpackhi_epi8(c2, a8));
    let quads = [
        _mm_unpacklo_epi16(lo01, lo23),
        _mm_unpackhi_epi16(lo01, lo23),
        _mm_unpacklo_epi16(hi01, hi23),
        _mm_unpackhi_epi16(hi01, hi23),
    ];
    if format.bytes_per_pixel() == 4 {
        let out = &mut out[..64];
        for (i, q) in quads.iter().enumerate() {
            // SAFETY: `out` is 64 bytes; each store writes 16 of them.
            unsafe { _mm_storeu_si128(out.as_mut_ptr().add(16 * i).cast(), *q) };
        }
    } else {
        let to_rgb24 = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
        let mut buf = [0u8; 64];
        for (i, q) in quads.iter().enumerate() {
            // SAFETY: 12·i + 16 ≤ 52 ≤ 64.
            unsafe {
                _mm_storeu_si128(
                    buf.as_mut_ptr().add(12 * i).cast(),
                    _mm_shuffle_epi8(*q, to_rgb24),
                );
            }
        }
        out[..48].copy_from_slice(&buf[..48]);
    }
}

/// One output row (see [`scalar::rgb_row`]).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn rgb_row(
    y: &[u8],
    u: &[u8],
    v: &[u8],
    k: &YuvToRgb,
    format: PixelFormat,
    dst: &mut [u8],
) {
    let width = y.len();
    let bpp = format.bytes_per_pixel();
    let yoff = _mm256_set1_epi16(i16::try_from(k.y_offset).unwrap_or(0));
    let c128 = _mm256_set1_epi16(128);
    let one = _mm256_set1_epi16(1);
    // The luma term with the rounding bias folded in: (Y', 1) · (c_y, 2¹²).
    let y_bias = _mm256_set1_epi32(pair(k.cy, 1 << (YUV_TO_RGB_BITS - 1)));
    // The chroma terms on (U', V') pairs, once per chroma sample.
    let r_uv = _mm256_set1_epi32(pair(0, k.rv));
    let g_uv = _mm256_set1_epi32(pair(k.gu, k.gv));
    let b_uv = _mm256_set1_epi32(pair(k.bu, 0));
    let alpha = _mm256_set1_epi16(255);
    // Sixteen pixels: luma x..x+16 and chroma x/2..x/2+8 (x/2 + 8 ≤ width/2 ≤ u.len()).
    let mut x = 0;
    while x + 16 <= width {
        // SAFETY: the bounds above.
        let (yy, uu, vv) = unsafe {
            (
                _mm_loadu_si128(y.as_ptr().add(x).cast()),
                _mm_loadl_epi64(u.as_ptr().add(x / 2).cast()),
                _mm_loadl_epi64(v.as_ptr().add(x / 2).cast()),
            )
        };
        let yy = _mm256_sub_epi16(_mm256_cvtepu8_epi16(yy), yoff);
        // unpacklo/hi work per 128-bit lane: lo = pixels 0..4 and 8..12, hi = 4..8 and
        // 12..16; packs_epi32(lo, hi) restores the order 0..16.
        let y_lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(yy, one), y_bias);
        let y_hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(yy, one), y_bias);
        // Chroma pairs k = 0..8: lane 0 holds 0..4, lane 1 4..8.
        let uv = _mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm_unpacklo_epi8(uu, vv)), c128);
        let r = channel(y_lo, y_hi, _mm256_madd_epi16(uv, r_uv));
        let g = channel(y_lo, y_hi, _mm256_madd_epi16(uv, g_uv));
        let b = channel(y_lo, y_hi, _mm256_madd_epi16(uv, b_uv));
        // packus per lane: [R0..8 G0..8 | R8..16 G8..16] → permute to [R0..16 | G0..16].
        let rg = _mm256_permute4x64_epi64::<0xD8>(_mm256_packus_epi16(r, g));
        let ba = _mm256_permute4x64_epi64::<0xD8>(_mm256_packus_epi16(b, alpha));
        store16(
            [
                _mm256_castsi256_si128(rg),
                _mm256_extracti128_si256::<1>(rg),
                _mm256_castsi256_si128(ba),
                _mm256_extracti128_si256::<1>(ba),
            ],
            format,
            &mut dst[x * bpp..(x + 16) * bpp],
        );
        x += 16;
    }
    scalar::rgb_row(y, u, v, k, format, dst, x);
}

/// The vertical pass (see [`scalar::resize_vertical`]).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn resize_vertical(r0: &[u8], r1: &[u8], w0: i32, w1: i32, tmp: &mut [i32]) {
    let w = _mm256_set1_epi32(pair(w0, w1));
    let n = tmp.len();
    let mut i = 0;
    while i + 16 <= n {
        // SAFETY: i + 16 ≤ n = r0.len() = r1.len() = tmp.len().
        unsafe {
            let a = _mm256_cvtepu8_epi16(_mm_loadu_si128(r0.as_ptr().add(i).cast()));
            let b = _mm256_cvtepu8_epi16(_mm_loadu_si128(r1.as_ptr().add(i).cast()));
            let lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b), w);
            let hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b), w);
            let p = tmp.as_mut_ptr().add(i);
            _mm256_storeu_si256(p.cast(), _mm256_permute2x128_si256::<0x20>(lo, hi));
            _mm256_storeu_si256(p.add(8).cast(), _mm256_permute2x128_si256::<0x31>(lo, hi));
        }
        i += 16;
    }
    scalar::resize_vertical(r0, r1, w0, w1, tmp, i);
}

/// The horizontal pass (see [`scalar::resize_horizontal`]); every index of `map` is
/// below `tmp.len()` (the caller's guarantee).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn resize_horizontal(tmp: &[i32], map: &AxisMap, out: &mut [u8]) {
    let shift = 2 * WEIGHT_BITS;
    let bias = _mm256_set1_epi32(1 << (shift - 1));
    let n = out.len();
    let mut j = 0;
    while j + 8 <= n {
        // SAFETY: j + 8 ≤ n = the length of every table of `map`; the gathered indices
        // are below tmp.len() (the caller's guarantee).
        let v = unsafe {
            let i0 = _mm256_loadu_si256(map.i0.as_ptr().add(j).cast());
            let i1 = _mm256_loadu_si256(map.i1.as_ptr().add(j).cast());
            let w0 = _mm256_loadu_si256(map.w0.as_ptr().add(j).cast());
            let w1 = _mm256_loadu_si256(map.w1.as_ptr().add(j).cast());
            let g0 = _mm256_i32gather_epi32::<4>(tmp.as_ptr(), i0);
            let g1 = _mm256_i32gather_epi32::<4>(tmp.as_ptr(), i1);
            _mm256_add_epi32(_mm256_mullo_epi32(g0, w0), _mm256_mullo_epi32(g1, w1))
        };
        let v = _mm256_srli_epi32::<22>(_mm256_add_epi32(v, bias));
        out[j..j + 8].copy_from_slice(&pack8(v).to_le_bytes());
        j += 8;
    }
    scalar::resize_horizontal(tmp, map, out, j);
}

/// The horizontal pass for 4-channel pixels: each output pixel reads two whole source
/// pixels (4 consecutive `i32`s each) — plain loads instead of gathers; the same
/// arithmetic as [`scalar::resize_horizontal`].
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn resize_horizontal4(tmp: &[i32], map: &AxisMap, out: &mut [u8]) {
    let shift = 2 * WEIGHT_BITS;
    let bias = _mm256_set1_epi32(1 << (shift - 1));
    let n = out.len();
    let load = |at: i32| {
        // The slice is bounds-checked: a pixel's 4 channels start at i0/i1 of channel 0.
        let px = &tmp[at as usize..at as usize + 4];
        // SAFETY: `px` holds 4 i32 = 16 bytes.
        unsafe { _mm_loadu_si128(px.as_ptr().cast()) }
    };
    let mut j = 0;
    while j + 8 <= n {
        let g0 = _mm256_set_m128i(load(map.i0[j + 4]), load(map.i0[j]));
        let g1 = _mm256_set_m128i(load(map.i1[j + 4]), load(map.i1[j]));
        let (w0, w1) = (&map.w0[j..j + 8], &map.w1[j..j + 8]);
        // SAFETY: w0 and w1 hold 8 i32 each.
        let (w0, w1) = unsafe {
            (
                _mm256_loadu_si256(w0.as_ptr().cast()),
                _mm256_loadu_si256(w1.as_ptr().cast()),
            )
        };
        let v = _mm256_add_epi32(_mm256_mullo_epi32(g0, w0), _mm256_mullo_epi32(g1, w1));
        let v = _mm256_srli_epi32::<22>(_mm256_add_epi32(v, bias));
        out[j..j + 8].copy_from_slice(&pack8(v).to_le_bytes());
        j += 8;
    }
    scalar::resize_horizontal(tmp, map, out, j);
}
