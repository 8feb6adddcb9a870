//! The C backends behind the crate-private kernel traits: lengths are checked by the
//! public plan types before a kernel runs.

#[cfg(feature = "fftw")]
pub(crate) mod fftw;
#[cfg(feature = "kissfft")]
pub(crate) mod kissfft;

use crate::error::{Error, ErrorKind, Result};
use crate::{Backend, Complex, Direction, Rigor};

/// A complex transform; `input` and `output` are `n` long.
pub trait C2cKernel<T>: Send + Sync {
    fn run(&self, input: &[Complex<T>], output: &mut [Complex<T>]) -> Result<()>;
}

/// A real-to-complex transform; `input` is `n`, `output` `n/2 + 1` long.
pub trait R2cKernel<T>: Send + Sync {
    fn run(&self, input: &[T], output: &mut [Complex<T>]) -> Result<()>;
}

/// A complex-to-real transform; `input` is `n/2 + 1`, `output` `n` long.
pub trait C2rKernel<T>: Send + Sync {
    fn run(&self, input: &mut [Complex<T>], output: &mut [T]) -> Result<()>;
}

#[cold]
pub(crate) fn unsupported(backend: Backend, what: &str) -> Error {
    Error::new(ErrorKind::Unsupported, backend.name(), what.to_string())
}

#[allow(unreachable_code, unused_variables)]
impl crate::sealed::Kernels for f32 {
    fn c2c(
        backend: Backend,
        n: usize,
        direction: Direction,
        rigor: Rigor,
    ) -> Result<Box<dyn C2cKernel<f32>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F32::c2c(n, direction, rigor)?)),
            #[cfg(feature = "kissfft")]
            Backend::KissFft => Ok(Box::new(kissfft::Complex32::new(n, direction)?)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
    fn r2c(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn R2cKernel<f32>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F32::r2c(n, rigor)?)),
            #[cfg(feature = "kissfft")]
            Backend::KissFft => Ok(Box::new(kissfft::Real32::new(n, Direction::Forward)?)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
    fn c2r(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn C2rKernel<f32>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F32::c2r(n, rigor)?)),
            #[cfg(feature = "kissfft")]
            Backend::KissFft => Ok(Box::new(kissfft::Real32::new(n, Direction::Inverse)?)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
}

const NO_F64: &str =
    "KissFFT is built for float only (Debian's libkissfft-float): no f64 transforms";

#[allow(unreachable_code, unused_variables)]
impl crate::sealed::Kernels for f64 {
    fn c2c(
        backend: Backend,
        n: usize,
        direction: Direction,
        rigor: Rigor,
    ) -> Result<Box<dyn C2cKernel<f64>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F64::c2c(n, direction, rigor)?)),
            Backend::KissFft => Err(unsupported(backend, NO_F64)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
    fn r2c(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn R2cKernel<f64>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F64::r2c(n, rigor)?)),
            Backend::KissFft => Err(unsupported(backend, NO_F64)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
    fn c2r(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn C2rKernel<f64>>> {
        match backend {
            #[cfg(feature = "fftw")]
            Backend::Fftw => Ok(Box::new(fftw::F64::c2r(n, rigor)?)),
            Backend::KissFft => Err(unsupported(backend, NO_F64)),
            #[allow(unreachable_patterns)]
            other => Err(unsupported(other, "backend not compiled in")),
        }
    }
}
