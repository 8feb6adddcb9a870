//! Links KissFFT 131 (Debian's `libkissfft-dev`, the `float` build `libkissfft-float`,
//! found by `build.rs` through `arsenal-build`) and declares its complex and real 1-D
//! functions by hand (no copied header).
//!
//! KissFFT's states are allocated with `malloc` by `kiss_fft_alloc` / `kiss_fftr_alloc`
//! (when `mem` and `lenmem` are null) and freed with the C library's `free`
//! (`kiss_fft_free` is a macro for it). A state is read-only during a transform, so one
//! state may run transforms from several threads at once. `kiss_fft` with `fin == fout`
//! allocates a temporary buffer per call; call it out of place. The real transforms need
//! an even size.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_int, c_void};

/// `kiss_fft_cpx` with `kiss_fft_scalar` = `float`: `{ float r; float i; }`,
/// layout-compatible with `num_complex::Complex<f32>`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct kiss_fft_cpx {
    /// Real part.
    pub r: f32,
    /// Imaginary part.
    pub i: f32,
}

/// An opaque complex FFT state.
#[repr(C)]
#[derive(Debug)]
pub struct kiss_fft_state {
    _private: [u8; 0],
}
/// `kiss_fft_cfg`.
pub type kiss_fft_cfg = *mut kiss_fft_state;
/// An opaque real FFT state.
#[repr(C)]
#[derive(Debug)]
pub struct kiss_fftr_state {
    _private: [u8; 0],
}
/// `kiss_fftr_cfg`.
pub type kiss_fftr_cfg = *mut kiss_fftr_state;

extern "C" {
    /// A complex FFT state of size `nfft` (`inverse_fft` ≠ 0: the unnormalised inverse);
    /// with `mem` and `lenmem` null it is `malloc`ed (free with `free`). Null on failure.
    pub fn kiss_fft_alloc(
        nfft: c_int,
        inverse_fft: c_int,
        mem: *mut c_void,
        lenmem: *mut usize,
    ) -> kiss_fft_cfg;
    /// A complex transform of `nfft` points from `fin` to `fout`.
    pub fn kiss_fft(cfg: kiss_fft_cfg, fin: *const kiss_fft_cpx, fout: *mut kiss_fft_cpx);
    /// A real FFT state of even size `nfft`; null on failure (e.g. odd `nfft`).
    pub fn kiss_fftr_alloc(
        nfft: c_int,
        inverse_fft: c_int,
        mem: *mut c_void,
        lenmem: *mut usize,
    ) -> kiss_fftr_cfg;
    /// Real to complex: `nfft` reals in, `nfft/2+1` complex out.
    pub fn kiss_fftr(cfg: kiss_fftr_cfg, timedata: *const f32, freqdata: *mut kiss_fft_cpx);
    /// Complex to real (unnormalised): `nfft/2+1` complex in, `nfft` reals out.
    pub fn kiss_fftri(cfg: kiss_fftr_cfg, freqdata: *const kiss_fft_cpx, timedata: *mut f32);
    /// The smallest size ≥ `n` with only the factors 2, 3 and 5.
    pub fn kiss_fft_next_fast_size(n: c_int) -> c_int;
    /// The C library's `free`, for the states.
    pub fn free(p: *mut c_void);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_fast_size_and_round_trip() {
        // SAFETY: a pure function of its argument.
        assert_eq!(unsafe { kiss_fft_next_fast_size(7) }, 8);
        let input = [
            kiss_fft_cpx { r: 1.0, i: 0.0 },
            kiss_fft_cpx { r: 2.0, i: 0.0 },
            kiss_fft_cpx { r: 3.0, i: 0.0 },
            kiss_fft_cpx { r: 4.0, i: 0.0 },
        ];
        let mut output = [kiss_fft_cpx::default(); 4];
        // SAFETY: a 4-point state, 4-element arrays, out of place; freed once with `free`.
        unsafe {
            let cfg = kiss_fft_alloc(4, 0, core::ptr::null_mut(), core::ptr::null_mut());
            assert!(!cfg.is_null());
            kiss_fft(cfg, input.as_ptr(), output.as_mut_ptr());
            free(cfg.cast());
        }
        let got: [(f32, f32); 4] = output.map(|c| (c.r, c.i));
        assert_eq!(got, [(10.0, 0.0), (-2.0, 2.0), (-2.0, 0.0), (-2.0, -2.0)]);
    }
}
