//! Measuring errors in units in the last place (ULP).
//!
//! The error of a result `y` against a reference value `r` (more precise than `y`'s type)
//! is `|y − r| / ulp(r)`, where `ulp(r)` is the spacing of `y`'s type at `|r|` (for
//! subnormal `r`, the smallest subnormal; above the largest finite value, the spacing of
//! the top binade, with ±∞ in `y` counted as ±2^(emax+1)). A correctly rounded result has
//! an error ≤ 0.5. Special values: NaN against NaN is 0, NaN against a number (or a number
//! against NaN) is ∞; ±∞ against an infinite reference is 0 when the signs agree, else ∞.
//!
//! References: for `f32` results, std's `f64` function on the same input is an excellent
//! reference (its own error, ≤ 1 `f64` ULP on glibc, is 2⁻²⁹ of an `f32` ULP). For `f64`
//! results, std's `f64` is itself only within about 1 ULP (tanh: 2), so tests add that to
//! the bound; `scripts/num-accuracy` uses MPFR at 128 bits instead (`examples/accuracy.rs`).
//! [`reference()`] is that std reference and [`reference_bound`] its own error.
//!
//! Sampling: [`splitmix64`], [`unit()`] and [`sample_input`] draw the random inputs of the
//! accuracy measurements (the conformance suite and `examples/accuracy.rs`) from the
//! per-function domains of docs/num.md ([`sample_domain`]).

use crate::Function;

/// The error of `y` (an `f32`) against the reference `r`, in `f32` ULP.
///
/// ```
/// use arsenal_num::ulp::ulp_error_f32;
/// assert_eq!(ulp_error_f32(1.0, 1.0), 0.0);
/// assert_eq!(ulp_error_f32(1.0 + f32::EPSILON, 1.0), 1.0);
/// assert_eq!(ulp_error_f32(f32::NAN, f64::NAN), 0.0);
/// assert!(ulp_error_f32(f32::INFINITY, 1.0) > 1e30); // ∞ counts as 2^128
/// ```
pub fn ulp_error_f32(y: f32, r: f64) -> f64 {
    ulp_error(f64::from(y), y.is_nan(), y.is_infinite(), r, 24, -126, 128)
}

/// The error of `y` (an `f64`) against the reference `r` (ideally more precise), in `f64`
/// ULP. For an `f64` reference the result is exact only in the sense that `r` is taken as
/// the true value.
///
/// ```
/// use arsenal_num::ulp::ulp_error_f64;
/// assert_eq!(ulp_error_f64(2.0, 2.0), 0.0);
/// assert_eq!(ulp_error_f64(1.0 + 2.0 * f64::EPSILON, 1.0), 2.0);
/// ```
pub fn ulp_error_f64(y: f64, r: f64) -> f64 {
    ulp_error(y, y.is_nan(), y.is_infinite(), r, 53, -1022, 1024)
}

/// The spacing of a `p`-bit binary format with minimum normal exponent `emin` at `|r|`.
fn ulp_of(r: f64, p: i32, emin: i32, emax_plus1: i32) -> f64 {
    let a = r.abs();
    let e = if a == 0.0 {
        emin
    } else {
        exponent(a).max(emin)
    };
    let e = e.min(emax_plus1 - 1);
    pow2(e - (p - 1))
}

/// floor(log2(a)) for finite a > 0 (f64, subnormals included).
fn exponent(a: f64) -> i32 {
    let bits = a.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    if e == 0 {
        // Subnormal f64: 2^-1074 * mantissa.
        let m = bits & 0x000f_ffff_ffff_ffff;
        -1074 + (63 - m.leading_zeros() as i32)
    } else {
        e - 1023
    }
}

/// 2^e for e in [-1074, 1023].
fn pow2(e: i32) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

fn ulp_error(y: f64, y_nan: bool, y_inf: bool, r: f64, p: i32, emin: i32, emax_plus1: i32) -> f64 {
    if y_nan || r.is_nan() {
        return if y_nan && r.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if r.is_infinite() {
        return if y == r { 0.0 } else { f64::INFINITY };
    }
    // A reference at or past the overflow threshold (the largest finite value plus half
    // an ULP) rounds to ±∞: an infinite result of the same sign is exact.
    let threshold = pow2(emax_plus1 - 1) * (2.0 - pow2(-p));
    if y_inf && r.abs() >= threshold && (y > 0.0) == (r > 0.0) {
        return 0.0;
    }
    if y == r {
        return 0.0;
    }
    let u = ulp_of(r, p, emin, emax_plus1);
    let yv = if y_inf {
        // ±2^emax_plus1: one step past the largest finite value's binade. For f64 the value
        // overflows, so measure from the top instead.
        let top = pow2(emax_plus1 - 1) * 2.0;
        if top.is_infinite() {
            let max_finite = pow2(emax_plus1 - 1) * (2.0 - pow2(1 - p));
            return ((max_finite - r.abs()) / u + 1.0).abs();
        }
        top.copysign(y)
    } else {
        y
    };
    ((yv - r) / u).abs()
}

/// The largest [`ulp_error_f32`] over pairs of results and references (slices of equal
/// length; extra elements of the longer one are ignored).
///
/// ```
/// use arsenal_num::ulp::max_ulp_error_f32;
/// assert_eq!(max_ulp_error_f32(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
/// ```
pub fn max_ulp_error_f32(y: &[f32], r: &[f64]) -> f64 {
    y.iter()
        .zip(r)
        .map(|(&y, &r)| ulp_error_f32(y, r))
        .fold(0.0, f64::max)
}

/// The largest [`ulp_error_f64`] over pairs of results and references.
///
/// ```
/// use arsenal_num::ulp::max_ulp_error;
/// assert_eq!(max_ulp_error(&[1.0], &[1.0]), 0.0);
/// ```
pub fn max_ulp_error(y: &[f64], r: &[f64]) -> f64 {
    y.iter()
        .zip(r)
        .map(|(&y, &r)| ulp_error_f64(y, r))
        .fold(0.0, f64::max)
}

/// The reference value of the crate's accuracy checks: std's `f64` function at `x`
/// ([`Function::std_f64`]; `x.powf(y)` for [`Function::Pow`], `y` ignored otherwise). For an
/// `f32` result pass the `f32` inputs widened with `f64::from`. Its own error, in `f64`
/// ULP, is [`reference_bound`].
///
/// ```
/// use arsenal_num::{ulp::reference, Function};
/// assert_eq!(reference(Function::Log, 1.0, 0.0), 0.0);
/// assert_eq!(reference(Function::Pow, 2.0, 10.0), 1024.0);
/// ```
pub fn reference(f: Function, x: f64, y: f64) -> f64 {
    match f.std_f64() {
        Some(g) => g(x),
        None => x.powf(y),
    }
}

/// The stated error of [`reference()`] itself in `f64` ULP, which is std's (glibc's maxima on
/// x86-64, [`StdMath`](crate::StdMath)'s [`ulp_bound`](crate::VectorMath::ulp_bound)):
/// 1 ULP, tanh 2.5. Checks of `f64` results against [`reference()`] add it to their
/// tolerance; for `f32` results it is negligible.
pub fn reference_bound(f: Function) -> f64 {
    if f == Function::Tanh {
        2.5
    } else {
        1.0
    }
}

/// The splitmix64 generator from `seed`, as a closure returning the next 64 bits.
///
/// ```
/// let mut next = arsenal_num::ulp::splitmix64(0);
/// assert_eq!(next(), 0xe220_a839_7b1d_cdaf);
/// ```
pub fn splitmix64(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// 64 random bits to a uniform `f64` in [0, 1) (the top 53 bits).
pub fn unit(r: u64) -> f64 {
    (r >> 11) as f64 / (1u64 << 53) as f64
}

/// A random `f64` input `(x, y)` for `f` in its domain of docs/num.md ([`sample_domain`];
/// `y` is 0 except for pow), drawing from `next`.
pub fn sample_input(f: Function, next: &mut impl FnMut() -> u64) -> (f64, f64) {
    let sign = |r: u64| if r & 1 == 0 { 1.0 } else { -1.0 };
    match f {
        Function::Exp => (-750.0 + 1460.0 * unit(next()), 0.0),
        // Every positive finite bit pattern, uniformly (subnormals included).
        Function::Log => (f64::from_bits(next() % 0x7ff0_0000_0000_0000 + 1), 0.0),
        // Magnitudes log-uniform in [1e-8, 1e8].
        Function::Sin | Function::Cos => {
            let r = next();
            (sign(r) * 10f64.powf(-8.0 + 16.0 * unit(next())), 0.0)
        }
        Function::Tanh => (-20.0 + 40.0 * unit(next()), 0.0),
        Function::Pow => (
            10f64.powf(-3.0 + 6.0 * unit(next())),
            -100.0 + 200.0 * unit(next()),
        ),
    }
}

/// The domain [`sample_input`] draws from for `f`, in words.
pub fn sample_domain(f: Function) -> &'static str {
    match f {
        Function::Exp => "x uniform in [-750, 710]",
        Function::Log => "x: uniform over positive finite bit patterns",
        Function::Sin | Function::Cos => "|x| log-uniform in [1e-8, 1e8], both signs",
        Function::Tanh => "x uniform in [-20, 20]",
        Function::Pow => "x log-uniform in [1e-3, 1e3], y uniform in [-100, 100]",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnormal_and_overflow_edges() {
        let tiny = f32::from_bits(1); // 2^-149
        assert_eq!(ulp_error_f32(tiny, f64::from(tiny)), 0.0);
        assert_eq!(ulp_error_f32(0.0, f64::from(tiny)), 1.0);
        assert_eq!(ulp_error_f32(f32::MAX, f64::from(f32::MAX)), 0.0);
        // inf against a reference just past MAX: about one ULP.
        let r = f64::from(f32::MAX) * (1.0 + 2f64.powi(-25));
        let e = ulp_error_f32(f32::INFINITY, r);
        assert!(e > 0.4 && e < 1.1, "{e}");
        assert_eq!(ulp_error_f32(f32::NEG_INFINITY, f64::NEG_INFINITY), 0.0);
        assert!(ulp_error_f32(f32::INFINITY, f64::NEG_INFINITY).is_infinite());
        assert_eq!(ulp_error_f64(f64::from_bits(2), f64::from_bits(1)), 1.0);
        let e = ulp_error_f64(f64::INFINITY, f64::MAX);
        assert!((0.9..=1.1).contains(&e), "{e}");
        assert_eq!(ulp_error_f32(f32::INFINITY, 1e300), 0.0);
    }
}
