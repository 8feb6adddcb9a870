//! 1/√x three ways, for comparison: the famous bit trick (a curiosity), the x86 `rsqrtss`
//! estimate, and the correctly computed `1.0 / x.sqrt()`.
//!
//! Each has a slice form (`*_slice(input, out)`, lengths checked) whose loop the compiler
//! can vectorise; [`hardware_rsqrt_slice`] uses `rsqrtps` four lanes at a time.
//!
//! | function | how | max relative error (positive normal `f32`) |
//! |---|---|---|
//! | [`fast_inv_sqrt`] | `0x5f3759df − (bits >> 1)`, one Newton step | [`FAST_INV_SQRT_REL_ERR`] (≈ 1.75·10⁻³) |
//! | [`hardware_rsqrt`] | `_mm_rsqrt_ss` on x86-64 (other targets: `1/√x`) | [`HARDWARE_RSQRT_REL_ERR`] (1.5·2⁻¹², Intel's documented bound) |
//! | [`exact_rsqrt`] | `1.0 / x.sqrt()` | ≤ 1 ULP (two correctly rounded operations) |
//!
//! The bit trick is slower and less accurate than `rsqrtss` on every x86 core since the
//! Pentium III, and `1.0 / x.sqrt()` is a few cycles more and exact to the last bit or
//! two: use it. It is here as the documented curiosity it is; results for zero, negative,
//! subnormal, infinite or NaN inputs are meaningless.
//!
//! ```
//! use arsenal_num::rsqrt::{exact_rsqrt, fast_inv_sqrt, FAST_INV_SQRT_REL_ERR};
//! let (fast, exact) = (fast_inv_sqrt(4.0), exact_rsqrt(4.0));
//! assert_eq!(exact, 0.5);
//! assert!(((fast - exact) / exact).abs() <= FAST_INV_SQRT_REL_ERR);
//! ```

/// The bit trick's maximum relative error after one Newton step (Lomont 2003 measures
/// 1.75·10⁻³ for the constant 0x5f3759df; stated with a little room).
pub const FAST_INV_SQRT_REL_ERR: f32 = 1.76e-3;
/// `rsqrtss`'s documented maximum relative error, 1.5·2⁻¹².
pub const HARDWARE_RSQRT_REL_ERR: f32 = 1.5 / 4096.0;

/// The bit trick with one Newton–Raphson step.
#[inline]
pub fn fast_inv_sqrt(x: f32) -> f32 {
    let y = f32::from_bits(0x5f37_59df - (x.to_bits() >> 1));
    y * (1.5 - 0.5 * x * y * y)
}

/// The hardware estimate (`rsqrtss`, about 12 bits); elsewhere than x86-64,
/// [`exact_rsqrt`].
#[inline]
pub fn hardware_rsqrt(x: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_cvtss_f32, _mm_rsqrt_ss, _mm_set_ss};
        // SAFETY: SSE is part of the x86-64 baseline, so these intrinsics always run.
        unsafe { _mm_cvtss_f32(_mm_rsqrt_ss(_mm_set_ss(x))) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        exact_rsqrt(x)
    }
}

/// `1.0 / x.sqrt()`.
#[inline]
pub fn exact_rsqrt(x: f32) -> f32 {
    1.0 / x.sqrt()
}

fn check(a: usize, b: usize) -> crate::Result<()> {
    crate::div::check_len("rsqrt", a, b)
}

/// [`fast_inv_sqrt`] over a slice.
pub fn fast_inv_sqrt_slice(input: &[f32], out: &mut [f32]) -> crate::Result<()> {
    check(input.len(), out.len())?;
    out.iter_mut()
        .zip(input)
        .for_each(|(o, &x)| *o = fast_inv_sqrt(x));
    Ok(())
}

/// [`hardware_rsqrt`] over a slice: `rsqrtps` on four lanes at a time on x86-64 (SSE, the
/// baseline), the tail through `rsqrtss`.
pub fn hardware_rsqrt_slice(input: &[f32], out: &mut [f32]) -> crate::Result<()> {
    check(input.len(), out.len())?;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_loadu_ps, _mm_rsqrt_ps, _mm_storeu_ps};
        let mut i = 0;
        while i + 4 <= input.len() {
            // SAFETY: SSE is part of the x86-64 baseline; i + 4 <= len for both slices
            // (equal lengths, checked above), and the unaligned load/store need no alignment.
            unsafe {
                let v = _mm_loadu_ps(input.as_ptr().add(i));
                _mm_storeu_ps(out.as_mut_ptr().add(i), _mm_rsqrt_ps(v));
            }
            i += 4;
        }
        for j in i..input.len() {
            out[j] = hardware_rsqrt(input[j]);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    out.iter_mut()
        .zip(input)
        .for_each(|(o, &x)| *o = hardware_rsqrt(x));
    Ok(())
}

/// [`exact_rsqrt`] over a slice.
pub fn exact_rsqrt_slice(input: &[f32], out: &mut [f32]) -> crate::Result<()> {
    check(input.len(), out.len())?;
    out.iter_mut()
        .zip(input)
        .for_each(|(o, &x)| *o = exact_rsqrt(x));
    Ok(())
}
