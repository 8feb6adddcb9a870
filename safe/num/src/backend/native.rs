//! The native backend: exp and log in Rust, branch-free per element so the slice loops
//! autovectorise (no table lookups, no calls; the scale by 2^n is integer arithmetic on
//! the exponent bits). sin, cos, tanh and pow are not implemented: they answer
//! [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported), never a substitute.
//!
//! **exp** (f64): n = round(x·log2 e) by the 1.5·2⁵² shifter, r = x − n·ln2 in two steps
//! (Cody–Waite: ln2's high part has 32 significant bits, so n·ln2_hi is exact for
//! |n| < 2²¹) with r's rounding error c kept, exp(r + c) ≈ 1 + r + (c + r²·q(r)) with q the Taylor polynomial of degree 11
//! (terms up to r¹³/13!; truncation < 2⁻⁶⁰ relative on |r| ≤ ln2/2) evaluated by Estrin's
//! scheme, then scaled by 2^(n/2)·2^(n−n/2) so results down to the subnormal range and up
//! to the overflow threshold come out of one formula. **exp** (f32): the same in f64 with
//! the polynomial truncated after r⁸/8! (relative error < 2⁻³² ≪ one f32 ULP), rounded
//! once to f32.
//!
//! **log** (f64): x = 2ᵏ·m with m ∈ [√2/2, √2) (subnormals first scaled by 2⁵⁴),
//! f = m − 1, s = f/(2 + f), and fdlibm's decomposition
//! log x = k·ln2_hi − ((f²/2 − (s·(f²/2 + R(s²)) + k·ln2_lo)) − f), with fdlibm's minimax
//! coefficients Lg1–Lg7 for R evaluated by Estrin's scheme. **log** (f32): the f64 kernel,
//! rounded once to f32.
//!
//! Maximum errors, measured (`scripts/num-accuracy`, docs/num.md) and checked by the
//! conformance suite: see [`NATIVE_EXP_F64_ULP`] and friends.

use crate::math::{check_binary, check_unary, Float, Function, VectorMath};
use crate::{Backend, Error, ErrorKind, Result};

/// Stated maximum error of the native `exp` for `f64`, in ULP.
pub const NATIVE_EXP_F64_ULP: f64 = 1.0;
/// Stated maximum error of the native `exp` for `f32`, in ULP.
pub const NATIVE_EXP_F32_ULP: f64 = 0.51;
/// Stated maximum error of the native `log` for `f64`, in ULP.
pub const NATIVE_LOG_F64_ULP: f64 = 1.0;
/// Stated maximum error of the native `log` for `f32`, in ULP.
pub const NATIVE_LOG_F32_ULP: f64 = 0.51;

const LOG2E: f64 = std::f64::consts::LOG2_E;
// fdlibm's decimal spellings of the bit patterns 0x3fe62e42fee00000 and 0x3dea39ef35793c76
// (checked by a unit test).
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const SHIFTER: f64 = 6_755_399_441_055_744.0; // 1.5 * 2^52

/// 1/k! for k = 2..=13.
const INV_FACT: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut f = 1.0;
    let mut k = 2;
    while k <= 13 {
        f *= k as f64;
        c[k - 2] = 1.0 / f;
        k += 1;
    }
    c
};

/// 2^(n/2) · 2^(n − n/2) applied to `p`, for |n| ≤ 1100 (no overflow of the halves).
#[inline(always)]
fn scale(p: f64, n: i64) -> f64 {
    let n1 = n >> 1;
    let n2 = n - n1;
    let s1 = f64::from_bits(((n1 + 1023) as u64) << 52);
    let s2 = f64::from_bits(((n2 + 1023) as u64) << 52);
    p * s1 * s2
}

/// Range reduction shared by both exps: (n, r, c) with x = n·ln2 + r + c, |r| ≤ ln2/2
/// (+ε) and c the rounding error of r (Cody–Waite: x − n·ln2_hi is exact).
#[inline(always)]
fn reduce(x: f64) -> (i64, f64, f64) {
    // Clamped so n stays within ±1100; beyond, exp is 0 or inf anyway. NaN stays NaN.
    let x = x.clamp(-746.0, 710.0);
    let t = x * LOG2E + SHIFTER;
    let nf = t - SHIFTER;
    let n = (t.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
    let hi = x - nf * LN2_HI;
    let lo = nf * LN2_LO;
    let r = hi - lo;
    let c = (hi - r) - lo;
    (n, r, c)
}

/// exp for f64.
#[inline(always)]
pub(crate) fn exp_f64(x: f64) -> f64 {
    let (n, r, corr) = reduce(x);
    let c = &INV_FACT;
    // q(r) = c0 + c1 r + ... + c11 r^11, Estrin.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let p01 = c[0] + c[1] * r;
    let p23 = c[2] + c[3] * r;
    let p45 = c[4] + c[5] * r;
    let p67 = c[6] + c[7] * r;
    let p89 = c[8] + c[9] * r;
    let pab = c[10] + c[11] * r;
    let p03 = p01 + p23 * r2;
    let p47 = p45 + p67 * r2;
    let p8b = p89 + pab * r2;
    let q = (p03 + p47 * r4) + p8b * r8;
    // exp(r + c) ≈ exp(r) + c: the reduction's rounding error goes back in.
    let p = 1.0 + (r + (corr + r2 * q));
    scale(p, n)
}

/// exp for f32, computed in f64 and rounded once.
#[inline(always)]
pub(crate) fn exp_f32(x: f32) -> f32 {
    let (n, r, _) = reduce(f64::from(x));
    let c = &INV_FACT;
    // 1 + r + r^2 (c0 + c1 r + ... + c6 r^6): terms up to r^8/8!.
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = c[0] + c[1] * r;
    let p23 = c[2] + c[3] * r;
    let p45 = c[4] + c[5] * r;
    let q = (p01 + p23 * r2) + (p45 + c[6] * r2) * r4;
    let p = 1.0 + (r + r2 * q);
    scale(p, n) as f32
}

/// fdlibm's Lg1–Lg7 (decimal spellings of 0x3FE5555555555593, 0x3FD999999997FA04,
/// 0x3FD2492494229359, 0x3FCC71C51D8E78AF, 0x3FC7466496CB03DE, 0x3FC39A09D078C69F,
/// 0x3FC2F112DF3E5244; checked by a unit test).
#[allow(clippy::excessive_precision)]
const LG: [f64; 7] = [
    6.666_666_666_666_735_130e-01,
    3.999_999_999_940_941_908e-01,
    2.857_142_874_366_239_149e-01,
    2.222_219_843_214_978_396e-01,
    1.818_357_216_161_805_012e-01,
    1.531_383_769_920_937_332e-01,
    1.479_819_860_511_658_591e-01,
];

/// log for f64.
#[inline(always)]
pub(crate) fn log_f64(x: f64) -> f64 {
    let sub = x < f64::MIN_POSITIVE;
    let xs = if sub { x * 18_014_398_509_481_984.0 } else { x }; // 2^54
    let bits = xs.to_bits();
    let mut k = ((bits >> 52) & 0x7ff) as i64 - 1023 - if sub { 54 } else { 0 };
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m > std::f64::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    k += i64::from(big);
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let z4 = z2 * z2;
    let p01 = LG[0] + LG[1] * z;
    let p23 = LG[2] + LG[3] * z;
    let p45 = LG[4] + LG[5] * z;
    let r = z * ((p01 + p23 * z2) + (p45 + LG[6] * z2) * z4);
    let dk = k as f64;
    let y = dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
    // Special values: log(±0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN stays.
    if x == 0.0 {
        f64::NEG_INFINITY
    } else if x < 0.0 || x.is_nan() {
        f64::NAN
    } else if x == f64::INFINITY {
        f64::INFINITY
    } else {
        y
    }
}

/// log for f32, through the f64 kernel.
#[inline(always)]
pub(crate) fn log_f32(x: f32) -> f32 {
    log_f64(f64::from(x)) as f32
}

/// The native backend: exp and log (f32 and f64) only. Method, constants and bounds: the `backend/native.rs` notes in docs/num.md.
///
/// ```
/// use arsenal_num::{NativeMath, VectorMathExt, ErrorKind};
///
/// let x = [0.0, 1.0, -1.0];
/// let mut out = [0.0; 3];
/// NativeMath.exp_f64(&x, &mut out)?;
/// assert!((out[1] - std::f64::consts::E).abs() < 1e-15);
/// // Not implemented natively: an error, never a silent substitute.
/// assert_eq!(NativeMath.sin_f64(&x, &mut out).unwrap_err().kind(), ErrorKind::Unsupported);
/// # Ok::<(), arsenal_num::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeMath;

fn unsupported(f: Function) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        "native",
        format!("the native backend implements exp and log only, not {f}"),
    )
}

impl VectorMath for NativeMath {
    fn backend(&self) -> Backend {
        Backend::Native
    }

    fn ulp_bound(&self, f: Function, ty: Float) -> Option<f64> {
        match (f, ty) {
            (Function::Exp, Float::F64) => Some(NATIVE_EXP_F64_ULP),
            (Function::Exp, Float::F32) => Some(NATIVE_EXP_F32_ULP),
            (Function::Log, Float::F64) => Some(NATIVE_LOG_F64_ULP),
            (Function::Log, Float::F32) => Some(NATIVE_LOG_F32_ULP),
            _ => None,
        }
    }

    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> Result<()> {
        check_unary("native", f, x.len(), out.len())?;
        match f {
            Function::Exp => out.iter_mut().zip(x).for_each(|(o, &x)| *o = exp_f64(x)),
            Function::Log => out.iter_mut().zip(x).for_each(|(o, &x)| *o = log_f64(x)),
            _ => return Err(unsupported(f)),
        }
        Ok(())
    }

    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<()> {
        check_unary("native", f, x.len(), out.len())?;
        match f {
            Function::Exp => out.iter_mut().zip(x).for_each(|(o, &x)| *o = exp_f32(x)),
            Function::Log => out.iter_mut().zip(x).for_each(|(o, &x)| *o = log_f32(x)),
            _ => return Err(unsupported(f)),
        }
        Ok(())
    }

    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> Result<()> {
        check_binary("native", x.len(), y.len(), out.len())?;
        Err(unsupported(Function::Pow))
    }

    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> Result<()> {
        check_binary("native", x.len(), y.len(), out.len())?;
        Err(unsupported(Function::Pow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_have_fdlibm_bits() {
        assert_eq!(LN2_HI.to_bits(), 0x3fe6_2e42_fee0_0000);
        assert_eq!(LN2_LO.to_bits(), 0x3dea_39ef_3579_3c76);
        let bits = [
            0x3FE5_5555_5555_5593,
            0x3FD9_9999_9997_FA04,
            0x3FD2_4924_9422_9359,
            0x3FCC_71C5_1D8E_78AF,
            0x3FC7_4664_96CB_03DE,
            0x3FC3_9A09_D078_C69F,
            0x3FC2_F112_DF3E_5244,
        ];
        for (c, b) in LG.iter().zip(bits) {
            assert_eq!(c.to_bits(), b);
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(exp_f64(0.0), 1.0);
        assert_eq!(exp_f64(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_f64(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp_f64(710.0), f64::INFINITY);
        assert!(exp_f64(f64::NAN).is_nan());
        assert_eq!(exp_f32(89.0), f32::INFINITY);
        assert_eq!(exp_f32(-104.0), 0.0);
        assert_eq!(log_f64(1.0), 0.0);
        assert_eq!(log_f64(0.0), f64::NEG_INFINITY);
        assert_eq!(log_f64(-0.0), f64::NEG_INFINITY);
        assert!(log_f64(-1.0).is_nan());
        assert!(log_f64(f64::NAN).is_nan());
        assert_eq!(log_f64(f64::INFINITY), f64::INFINITY);
        assert_eq!(
            log_f32(f32::from_bits(1)),
            (-149.0 * std::f64::consts::LN_2) as f32
        );
    }
}
