//! Links FFTW 3.3 (Debian's `libfftw3-dev`: `libfftw3` for `double`, `libfftw3f` for
//! `float`, found by `build.rs` through `arsenal-build`) and declares the few functions
//! `arsenal-fft` calls: one-dimensional planners, the new-array execute functions, plan
//! destruction, `fftw_malloc` / `fftw_free` and `fftw_alignment_of`.
//!
//! Declared by hand from FFTW's documented API (no bindgen, no copied header). FFTW's
//! rules that the caller must keep, from its manual ("Thread safety", "New-array Execute
//! Functions"):
//! - only `fftw_execute` and the new-array execute functions are thread-safe; every
//!   planner call and `fftw_destroy_plan` must be serialised by the caller;
//! - a plan executed on new arrays needs arrays of the same kind (in-place or not) and
//!   the same alignment (`fftw_alignment_of`) as the arrays it was planned on;
//! - a `c2r` transform overwrites its input unless planned with `FFTW_PRESERVE_INPUT`.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint, c_void};

/// `fftw_complex`: `double[2]` (real, imaginary), layout-compatible with
/// `num_complex::Complex<f64>` (`#[repr(C)] { re, im }`).
pub type fftw_complex = [f64; 2];
/// `fftwf_complex`: `float[2]`.
pub type fftwf_complex = [f32; 2];

/// An opaque FFTW plan (`struct fftw_plan_s`).
#[repr(C)]
#[derive(Debug)]
pub struct fftw_plan_s {
    _private: [u8; 0],
}
/// `fftw_plan`.
pub type fftw_plan = *mut fftw_plan_s;
/// An opaque single-precision FFTW plan (`struct fftwf_plan_s`).
#[repr(C)]
#[derive(Debug)]
pub struct fftwf_plan_s {
    _private: [u8; 0],
}
/// `fftwf_plan`.
pub type fftwf_plan = *mut fftwf_plan_s;

/// `FFTW_FORWARD`: the sign of the exponent, `e^{-2πi jk/n}`.
pub const FFTW_FORWARD: c_int = -1;
/// `FFTW_BACKWARD`: `e^{+2πi jk/n}` (unnormalised).
pub const FFTW_BACKWARD: c_int = 1;
/// Plan by measuring candidate algorithms (overwrites the planning arrays).
pub const FFTW_MEASURE: c_uint = 0;
/// The input array may be overwritten (the default of `c2r`).
pub const FFTW_DESTROY_INPUT: c_uint = 1;
/// Make no alignment assumption (no SIMD alignment requirements).
pub const FFTW_UNALIGNED: c_uint = 1 << 1;
/// Never overwrite the input.
pub const FFTW_PRESERVE_INPUT: c_uint = 1 << 4;
/// Plan by heuristics, without measuring (does not touch the arrays).
pub const FFTW_ESTIMATE: c_uint = 1 << 6;

macro_rules! api {
    ($real:ty, $complex:ty, $plan:ty,
     $plan_dft_1d:ident, $plan_r2c_1d:ident, $plan_c2r_1d:ident,
     $execute:ident, $execute_dft:ident, $execute_r2c:ident, $execute_c2r:ident,
     $destroy:ident, $malloc:ident, $free:ident, $alignment_of:ident) => {
        extern "C" {
            /// Plans a complex 1-D DFT of size `n` (`sign` = `FFTW_FORWARD` or
            /// `FFTW_BACKWARD`); null on failure. Not thread-safe.
            pub fn $plan_dft_1d(
                n: c_int,
                input: *mut $complex,
                output: *mut $complex,
                sign: c_int,
                flags: c_uint,
            ) -> $plan;
            /// Plans a real-to-complex 1-D DFT (`n` reals in, `n/2+1` complex out).
            pub fn $plan_r2c_1d(
                n: c_int,
                input: *mut $real,
                output: *mut $complex,
                flags: c_uint,
            ) -> $plan;
            /// Plans a complex-to-real 1-D DFT (`n/2+1` complex in, `n` reals out).
            pub fn $plan_c2r_1d(
                n: c_int,
                input: *mut $complex,
                output: *mut $real,
                flags: c_uint,
            ) -> $plan;
            /// Executes a plan on the arrays it was planned with. Thread-safe.
            pub fn $execute(plan: $plan);
            /// Executes a complex plan on new arrays (same alignment and placement as
            /// the planning arrays). Thread-safe.
            pub fn $execute_dft(plan: $plan, input: *mut $complex, output: *mut $complex);
            /// Executes an r2c plan on new arrays. Thread-safe.
            pub fn $execute_r2c(plan: $plan, input: *mut $real, output: *mut $complex);
            /// Executes a c2r plan on new arrays (overwrites `input` unless planned with
            /// `FFTW_PRESERVE_INPUT`). Thread-safe.
            pub fn $execute_c2r(plan: $plan, input: *mut $complex, output: *mut $real);
            /// Destroys a plan. Not thread-safe.
            pub fn $destroy(plan: $plan);
            /// Allocates `n` bytes aligned for FFTW's SIMD kernels.
            pub fn $malloc(n: usize) -> *mut c_void;
            /// Frees memory from the matching `malloc`.
            pub fn $free(p: *mut c_void);
            /// The pointer's address modulo FFTW's SIMD alignment (0 = fully aligned).
            pub fn $alignment_of(p: *mut $real) -> c_int;
        }
    };
}

api!(
    f64,
    fftw_complex,
    fftw_plan,
    fftw_plan_dft_1d,
    fftw_plan_dft_r2c_1d,
    fftw_plan_dft_c2r_1d,
    fftw_execute,
    fftw_execute_dft,
    fftw_execute_dft_r2c,
    fftw_execute_dft_c2r,
    fftw_destroy_plan,
    fftw_malloc,
    fftw_free,
    fftw_alignment_of
);
api!(
    f32,
    fftwf_complex,
    fftwf_plan,
    fftwf_plan_dft_1d,
    fftwf_plan_dft_r2c_1d,
    fftwf_plan_dft_c2r_1d,
    fftwf_execute,
    fftwf_execute_dft,
    fftwf_execute_dft_r2c,
    fftwf_execute_dft_c2r,
    fftwf_destroy_plan,
    fftwf_malloc,
    fftwf_free,
    fftwf_alignment_of
);

extern "C" {
    /// FFTW's version string, e.g. `fftw-3.3.10-sse2-avx` (a NUL-terminated
    /// `const char[]`; take its address).
    pub static fftw_version: c_char;
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn version_and_round_trip() {
        // SAFETY: `fftw_version` is a NUL-terminated string constant of the library.
        let version = unsafe { core::ffi::CStr::from_ptr(&fftw_version) };
        assert!(version.to_bytes().starts_with(b"fftw-3.3"), "{version:?}");
        let mut input: [fftw_complex; 4] = [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0]];
        let mut output = [[0.0; 2]; 4];
        // SAFETY: 4-element arrays as planned; FFTW_ESTIMATE leaves them alone while
        // planning; the plan is destroyed once; single-threaded test.
        unsafe {
            let plan = fftw_plan_dft_1d(
                4,
                input.as_mut_ptr(),
                output.as_mut_ptr(),
                FFTW_FORWARD,
                FFTW_ESTIMATE,
            );
            assert!(!plan.is_null());
            fftw_execute(plan);
            fftw_destroy_plan(plan);
        }
        assert_eq!(
            output,
            [[10.0, 0.0], [-2.0, 2.0], [-2.0, 0.0], [-2.0, -2.0]]
        );
    }
}
