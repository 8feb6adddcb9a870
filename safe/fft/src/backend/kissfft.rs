//! KissFFT 131 (Debian's `libkissfft-dev`, the `float` build, declared in
//! `arsenal-kissfft-sys`): `float` only, real transforms of even sizes only.
//!
//! A complex state is read-only while `kiss_fft` runs (its scratch for prime factors is
//! allocated per call), so one is shared between threads freely. A real state holds a
//! scratch buffer (`tmpbuf`) that `kiss_fftr` / `kiss_fftri` write: it sits behind a
//! mutex, so calls on one real plan from several threads take turns.

use super::{unsupported, C2cKernel, C2rKernel, R2cKernel};
use crate::error::{Error, ErrorKind, Result};
use crate::{half_len, Backend, Complex, Direction};
use arsenal_kissfft_sys as ffi;
use std::ffi::c_int;
use std::ptr::{self, NonNull};
use std::sync::{Mutex, PoisonError};

const NAME: &str = "kissfft";

fn c_len(n: usize) -> Result<c_int> {
    c_int::try_from(n).map_err(|_| {
        Error::new(
            ErrorKind::TooLarge,
            NAME,
            format!("length {n} does not fit int"),
        )
    })
}

fn inverse_flag(direction: Direction) -> c_int {
    c_int::from(direction == Direction::Inverse)
}

/// A complex single-precision plan.
pub(crate) struct Complex32 {
    cfg: NonNull<ffi::kiss_fft_state>,
}

// SAFETY: the state is only read by `kiss_fft` (see the module docs) and freed once in
// `Drop`, which needs `&mut self`.
unsafe impl Send for Complex32 {}
// SAFETY: as for `Send`: concurrent `kiss_fft` calls only read the state.
unsafe impl Sync for Complex32 {}

impl Complex32 {
    pub(crate) fn new(n: usize, direction: Direction) -> Result<Self> {
        let nfft = c_len(n)?;
        // SAFETY: null `mem` and `lenmem`: the library mallocs the state; null on failure.
        let cfg = unsafe {
            ffi::kiss_fft_alloc(
                nfft,
                inverse_flag(direction),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let cfg = NonNull::new(cfg).ok_or_else(|| {
            Error::new(ErrorKind::Init, NAME, format!("kiss_fft_alloc({n}) failed"))
        })?;
        Ok(Complex32 { cfg })
    }
}

impl Drop for Complex32 {
    fn drop(&mut self) {
        // SAFETY: malloc'ed by kiss_fft_alloc, freed once (kiss_fft_free is `free`).
        unsafe { ffi::free(self.cfg.as_ptr().cast()) }
    }
}

impl C2cKernel<f32> for Complex32 {
    fn run(&self, input: &[Complex<f32>], output: &mut [Complex<f32>]) -> Result<()> {
        // SAFETY: the plan's length was checked against both slices by the caller;
        // `Complex<f32>` and `kiss_fft_cpx` are both `#[repr(C)] { f32, f32 }`; the
        // buffers are distinct (out of place).
        unsafe {
            ffi::kiss_fft(
                self.cfg.as_ptr(),
                input.as_ptr().cast(),
                output.as_mut_ptr().cast(),
            )
        };
        Ok(())
    }
}

/// A real single-precision plan (forward or inverse), even sizes only.
pub(crate) struct Real32 {
    cfg: Mutex<NonNull<ffi::kiss_fftr_state>>,
}

// SAFETY: the state is used only while holding the mutex (kiss_fftr writes its scratch)
// and freed once in `Drop`.
unsafe impl Send for Real32 {}
// SAFETY: as for `Send`.
unsafe impl Sync for Real32 {}

impl Real32 {
    pub(crate) fn new(n: usize, direction: Direction) -> Result<Self> {
        if n % 2 != 0 {
            return Err(unsupported(
                Backend::KissFft,
                &format!("KissFFT's real transforms need an even length, got {n}"),
            ));
        }
        let nfft = c_len(n)?;
        // SAFETY: null `mem` and `lenmem`: the library mallocs the state; null on failure.
        let cfg = unsafe {
            ffi::kiss_fftr_alloc(
                nfft,
                inverse_flag(direction),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let cfg = NonNull::new(cfg).ok_or_else(|| {
            Error::new(
                ErrorKind::Init,
                NAME,
                format!("kiss_fftr_alloc({n}) failed"),
            )
        })?;
        Ok(Real32 {
            cfg: Mutex::new(cfg),
        })
    }

    fn with_cfg<R>(&self, f: impl FnOnce(*mut ffi::kiss_fftr_state) -> R) -> R {
        // The C call cannot panic, so a poisoned lock holds a consistent state.
        let cfg = self.cfg.lock().unwrap_or_else(PoisonError::into_inner);
        f(cfg.as_ptr())
    }
}

impl Drop for Real32 {
    fn drop(&mut self) {
        let cfg = *self.cfg.get_mut().unwrap_or_else(PoisonError::into_inner);
        // SAFETY: malloc'ed by kiss_fftr_alloc, freed once.
        unsafe { ffi::free(cfg.as_ptr().cast()) }
    }
}

impl R2cKernel<f32> for Real32 {
    fn run(&self, input: &[f32], output: &mut [Complex<f32>]) -> Result<()> {
        debug_assert_eq!(output.len(), half_len(input.len()));
        // SAFETY: a forward state of `input.len()` points (checked by the caller), the
        // output holds n/2 + 1 bins of a layout-compatible type; the mutex is held.
        self.with_cfg(|cfg| unsafe {
            ffi::kiss_fftr(cfg, input.as_ptr(), output.as_mut_ptr().cast())
        });
        Ok(())
    }
}

impl C2rKernel<f32> for Real32 {
    fn run(&self, input: &mut [Complex<f32>], output: &mut [f32]) -> Result<()> {
        debug_assert_eq!(input.len(), half_len(output.len()));
        // SAFETY: an inverse state of `output.len()` points (checked by the caller), the
        // input holds n/2 + 1 bins; the mutex is held.
        self.with_cfg(|cfg| unsafe {
            ffi::kiss_fftri(cfg, input.as_ptr().cast(), output.as_mut_ptr())
        });
        Ok(())
    }
}
