//! The scalar reference: the specification every SIMD path must match bit for bit.
//! Each function handles a range of a row so that SIMD paths reuse it for their tails.

use super::coeffs::{RgbToYuv, YuvToRgb, RGB_TO_YUV_BITS, YUV_TO_RGB_BITS};
use super::resize::{AxisMap, WEIGHT_BITS};
use crate::PixelFormat;

#[inline(always)]
fn clamp_u8(v: i32) -> u8 {
    // The clamp makes the cast exact.
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
    {
        v.clamp(0, 255) as u8
    }
}

#[inline(always)]
fn rgb_at(row: &[u8], x: usize, format: PixelFormat) -> [i32; 3] {
    let p = &row[x * format.bytes_per_pixel()..];
    let [r, g, b] = format.rgb_offsets();
    [i32::from(p[r]), i32::from(p[g]), i32::from(p[b])]
}

#[inline(always)]
fn dot(c: &[i32; 3], v: [i32; 3]) -> i32 {
    c[0] * v[0] + c[1] * v[1] + c[2] * v[2]
}

/// Luma of pixels `from..dst.len()` of one row.
pub(crate) fn luma_row(row: &[u8], format: PixelFormat, k: &RgbToYuv, dst: &mut [u8], from: usize) {
    let bits = RGB_TO_YUV_BITS;
    let bias = (k.y_offset << bits) + (1 << (bits - 1));
    for (x, out) in dst.iter_mut().enumerate().skip(from) {
        *out = clamp_u8((dot(&k.y, rgb_at(row, x, format)) + bias) >> bits);
    }
}

/// Chroma of blocks `from..u.len()` of one row pair: each the rounded average over the
/// block's pixels (4; 2 on the last column or row of an odd size; 1 in an odd corner),
/// computed from the block's RGB sums with one rounding. `row1` is `None` on the last
/// row of an odd height; `width` is the luma width.
#[allow(clippy::too_many_arguments)]
pub(crate) fn chroma_row(
    row0: &[u8],
    row1: Option<&[u8]>,
    width: usize,
    format: PixelFormat,
    k: &RgbToYuv,
    u: &mut [u8],
    v: &mut [u8],
    from: usize,
) {
    for cx in from..u.len() {
        let mut sum = [0i32; 3];
        let mut log2_n = 0;
        let x0 = 2 * cx;
        let cols = if x0 + 1 < width { 2 } else { 1 };
        for row in std::iter::once(row0).chain(row1) {
            for x in x0..x0 + cols {
                let p = rgb_at(row, x, format);
                for c in 0..3 {
                    sum[c] += p[c];
                }
            }
        }
        if cols == 2 {
            log2_n += 1;
        }
        if row1.is_some() {
            log2_n += 1;
        }
        let shift = RGB_TO_YUV_BITS + log2_n;
        let bias = (128 << shift) + (1 << (shift - 1));
        u[cx] = clamp_u8((dot(&k.u, sum) + bias) >> shift);
        v[cx] = clamp_u8((dot(&k.v, sum) + bias) >> shift);
    }
}

/// Pixels `from..width` of one output row from its luma row and chroma rows.
pub(crate) fn rgb_row(
    y: &[u8],
    u: &[u8],
    v: &[u8],
    k: &YuvToRgb,
    format: PixelFormat,
    dst: &mut [u8],
    from: usize,
) {
    let bpp = format.bytes_per_pixel();
    let [ro, go, bo] = format.rgb_offsets();
    let bias = 1 << (YUV_TO_RGB_BITS - 1);
    for x in from..y.len() {
        let yy = k.cy * (i32::from(y[x]) - k.y_offset);
        let uu = i32::from(u[x / 2]) - 128;
        let vv = i32::from(v[x / 2]) - 128;
        let p = &mut dst[x * bpp..][..bpp];
        p[ro] = clamp_u8((yy + k.rv * vv + bias) >> YUV_TO_RGB_BITS);
        p[go] = clamp_u8((yy + k.gu * uu + k.gv * vv + bias) >> YUV_TO_RGB_BITS);
        p[bo] = clamp_u8((yy + k.bu * uu + bias) >> YUV_TO_RGB_BITS);
        if bpp == 4 {
            p[3] = 255;
        }
    }
}

/// The vertical pass of the resize: `tmp[i] = w0·r0[i] + w1·r1[i]` for `i ≥ from`
/// (exact, at most 19 bits).
pub(crate) fn resize_vertical(
    r0: &[u8],
    r1: &[u8],
    w0: i32,
    w1: i32,
    tmp: &mut [i32],
    from: usize,
) {
    for i in from..tmp.len() {
        tmp[i] = w0 * i32::from(r0[i]) + w1 * i32::from(r1[i]);
    }
}

/// The horizontal pass: `out[j] = (w0[j]·tmp[i0[j]] + w1[j]·tmp[i1[j]] + 2²¹) >> 22`
/// for `j ≥ from`.
pub(crate) fn resize_horizontal(tmp: &[i32], map: &AxisMap, out: &mut [u8], from: usize) {
    let shift = 2 * WEIGHT_BITS;
    let bias = 1 << (shift - 1);
    for (j, o) in out.iter_mut().enumerate().skip(from) {
        let i0 = map.i0[j] as usize;
        let i1 = map.i1[j] as usize;
        *o = clamp_u8((map.w0[j] * tmp[i0] + map.w1[j] * tmp[i1] + bias) >> shift);
    }
}
