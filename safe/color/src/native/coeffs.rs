//! The fixed-point coefficients of the specification (see the crate docs, "Semantics").

use crate::{Matrix, Range};

/// Fraction bits of the RGB → YUV coefficients.
pub(crate) const RGB_TO_YUV_BITS: u32 = 15;
/// Fraction bits of the YUV → RGB coefficients.
pub(crate) const YUV_TO_RGB_BITS: u32 = 13;

/// `(Kr, Kb)` of a matrix.
pub(crate) fn kr_kb(matrix: Matrix) -> (f64, f64) {
    match matrix {
        Matrix::Bt601 => (0.299, 0.114),
        Matrix::Bt709 => (0.2126, 0.0722),
    }
}

/// `(luma scale, chroma scale, luma offset)` of a range, as fractions of 255.
pub(crate) fn range_scales(range: Range) -> (f64, f64, i32) {
    match range {
        Range::Full => (1.0, 1.0, 0),
        Range::Limited => (219.0 / 255.0, 224.0 / 255.0, 16),
    }
}

#[allow(clippy::cast_possible_truncation)]
fn fixed(v: f64, bits: u32) -> i32 {
    (v * f64::from(1u32 << bits)).round() as i32
}

/// RGB → YUV: `Y = (yr·R + yg·G + yb·B + round) >> 15 + y_offset`, and U, V alike with
/// offset 128. `yg` is chosen so that the Y row sums to exactly the luma scale, and `ug`,
/// `vg` so that the chroma rows sum to exactly zero: grey stays neutral, white and black
/// hit their codes exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RgbToYuv {
    pub y: [i32; 3],
    pub u: [i32; 3],
    pub v: [i32; 3],
    pub y_offset: i32,
}

impl RgbToYuv {
    pub(crate) fn new(matrix: Matrix, range: Range) -> Self {
        let (kr, kb) = kr_kb(matrix);
        let kg = 1.0 - kr - kb;
        let (ys, cs, y_offset) = range_scales(range);
        let b = RGB_TO_YUV_BITS;
        let y_sum = fixed(ys, b);
        let (yr, yb) = (fixed(ys * kr, b), fixed(ys * kb, b));
        let ub = fixed(cs * 0.5, b);
        let ur = fixed(-cs * 0.5 * kr / (1.0 - kb), b);
        let vr = ub;
        let vb = fixed(-cs * 0.5 * kb / (1.0 - kr), b);
        let _ = kg;
        RgbToYuv {
            y: [yr, y_sum - yr - yb, yb],
            u: [ur, -ur - ub, ub],
            v: [vr, -vr - vb, vb],
            y_offset,
        }
    }
}

/// YUV → RGB: with `Y' = Y − y_offset`, `U' = U − 128`, `V' = V − 128`,
/// `R = (c_y·Y' + c_rv·V' + round) >> 13`, `G = (c_y·Y' + c_gu·U' + c_gv·V' + round) >> 13`,
/// `B = (c_y·Y' + c_bu·U' + round) >> 13`, each clamped to `0..=255`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YuvToRgb {
    pub cy: i32,
    pub rv: i32,
    pub gu: i32,
    pub gv: i32,
    pub bu: i32,
    pub y_offset: i32,
}

impl YuvToRgb {
    pub(crate) fn new(matrix: Matrix, range: Range) -> Self {
        let (kr, kb) = kr_kb(matrix);
        let kg = 1.0 - kr - kb;
        let (ys, cs, y_offset) = range_scales(range);
        let b = YUV_TO_RGB_BITS;
        YuvToRgb {
            cy: fixed(1.0 / ys, b),
            rv: fixed(2.0 * (1.0 - kr) / cs, b),
            gu: fixed(-2.0 * (1.0 - kb) * kb / kg / cs, b),
            gv: fixed(-2.0 * (1.0 - kr) * kr / kg / cs, b),
            bu: fixed(2.0 * (1.0 - kb) / cs, b),
            y_offset,
        }
    }
}
