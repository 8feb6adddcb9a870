//! Numerics: SLEEF's vectorised elementary functions and native exp/log over slices,
//! division by invariant integers (libdivide and native), compensated and pairwise sums
//! and dot products with error bounds, and the fast inverse square root as a curiosity.
//!
//! # Elementary functions: [`VectorMath`]
//!
//! | backend | type | feature | functions | stated max error |
//! |---|---|---|---|---|
//! | [`Backend::SleefU10`] | [`Sleef::u10`] (C: SLEEF 3.5, AVX-512 / AVX2 / scalar picked at run time) | `sleef` | exp, log, sin, cos, tanh, pow | 1.0 ULP |
//! | [`Backend::SleefU35`] | [`Sleef::u35`] | `sleef` | the same (exp and pow are SLEEF's 1.0-ULP ones: SLEEF has no 3.5-ULP exp or pow) | 3.5 ULP (exp, pow: 1.0) |
//! | [`Backend::Std`] | [`StdMath`] (std's libm calls, element by element) | always | all | glibc's: 1 ULP, tanh 2.5 ULP |
//! | [`Backend::Native`] | [`NativeMath`] (Rust, Estrin polynomials, autovectorised) | always | exp, log only (others: `Unsupported`) | exp f64 [`NATIVE_EXP_F64_ULP`], f32 [`NATIVE_EXP_F32_ULP`]; log f64 [`NATIVE_LOG_F64_ULP`], f32 [`NATIVE_LOG_F32_ULP`] |
//!
//! Errors are measured by [`ulp`]; `scripts/num-accuracy` measures every backend over
//! every `f32` input and 10⁷ random `f64` against MPFR (docs/num.md has the table).
//!
//! ```
//! use arsenal_num::{Backend, VectorMathExt};
//!
//! let math = Backend::for_strategy(arsenal_core::Strategy::Throughput).vector_math()?;
//! let x: Vec<f64> = (0..100).map(|i| i as f64 / 10.0).collect();
//! let mut out = vec![0.0; x.len()];
//! math.exp_f64(&x, &mut out)?;
//! assert!((out[10] - 1f64.exp()).abs() <= 2.0 * f64::EPSILON * out[10]);
//! // Lengths are checked, never trusted.
//! assert!(math.exp_f64(&x, &mut out[..5]).is_err());
//! # Ok::<(), arsenal_num::Error>(())
//! ```
//!
//! # Division by invariant integers: [`div`]
//!
//! [`div::Divider`] (native Granlund–Montgomery, as libdivide computes it),
//! [`div::Libdivide`] and [`div::LibdivideBranchfree`] (C, feature `libdivide`) and
//! [`div::Hardware`] (the `div` instruction) for `u32` and `u64`; a divisor of 0 is an
//! `Err` ([`ErrorKind::Divisor`]), never a trap or libdivide's `abort()`.
//!
//! # Sums and dot products: [`sum`]; fast inverse square root: [`rsqrt`]
//!
//! Library authors depend with `default-features = false` and enable `sleef` and/or
//! `libdivide`; without them the native and std backends remain.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend;
pub mod div;
mod error;
mod math;
pub mod rsqrt;
pub mod sum;
pub mod ulp;

pub use backend::native::{
    NativeMath, NATIVE_EXP_F32_ULP, NATIVE_EXP_F64_ULP, NATIVE_LOG_F32_ULP, NATIVE_LOG_F64_ULP,
};
#[cfg(feature = "sleef")]
pub use backend::sleef::{Sleef, SleefLevel, SleefPrecision};
pub use backend::std::StdMath;
pub use error::{Error, ErrorKind, Result};
pub use math::{Float, Function, VectorMath, VectorMathExt};

arsenal_core::backends! {
    /// The elementary-function backends this crate knows ([`VectorMath`]).
    domain = "num";
    pub enum Backend {
        /// SLEEF's 1.0-ULP functions (C; feature `sleef`).
        SleefU10 = "sleef-u10",
        /// SLEEF's 3.5-ULP functions (C; feature `sleef`).
        SleefU35 = "sleef-u35",
        /// std's libm calls (always).
        Std = "std",
        /// native exp and log (always; other functions are `Unsupported`).
        Native = "native",
    }
}

/// The backends in priority order: SLEEF u10 (when compiled in), SLEEF u35, std, native.
/// The native backend comes last because it implements only exp and log.
///
/// Strategies (with `sleef`; without it, std everywhere):
/// - `Throughput` → sleef-u35 (`num/sin-f64/1M`: SLEEF's vector functions over large
///   slices; u35 is SLEEF's fastest class);
/// - `Latency` → sleef-u35 (`num/sin-f64/4096`);
/// - `Balanced` → the default, sleef-u10 (the accurate one);
/// - `MinimalMemory` → the default, sleef-u10 (`num/memory/exp-f64-1M`: no backend keeps
///   state or allocates, every row measures 0 bytes per element, so nothing beats the
///   default);
/// - `MaximalSpeed` → as `Throughput` (SLEEF picks AVX-512 / AVX2 itself at run time).
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut v = Vec::new();
        #[cfg(feature = "sleef")]
        v.extend([Backend::SleefU10, Backend::SleefU35]);
        v.extend([Backend::Std, Backend::Native]);
        v
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced | MinimalMemory => Backend::available()[0],
            Throughput | Latency | MaximalSpeed => {
                arsenal_core::prefer(&[Backend::SleefU35, Backend::Std])
            }
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Latency => Some("num/sin-f64/4096"),
            MinimalMemory => Some("num/memory/exp-f64-1M"),
            Throughput | MaximalSpeed => Some("num/sin-f64/1M"),
        }
    }
}

/// The compile-time default elementary-function backend: SLEEF (1.0 ULP) with the `sleef`
/// feature, else std.
#[cfg(feature = "sleef")]
pub type DefaultVectorMath = Sleef;
/// The compile-time default elementary-function backend: SLEEF (1.0 ULP) with the `sleef`
/// feature, else std.
#[cfg(not(feature = "sleef"))]
pub type DefaultVectorMath = StdMath;

impl Backend {
    /// A working instance of this backend, or [`ErrorKind::Unsupported`] when it is not
    /// compiled in.
    ///
    /// ```
    /// use arsenal_num::{Backend, Function, Float};
    /// let native = Backend::Native.vector_math()?;
    /// assert_eq!(native.ulp_bound(Function::Sin, Float::F64), None);
    /// # Ok::<(), arsenal_num::Error>(())
    /// ```
    pub fn vector_math(self) -> Result<Box<dyn VectorMath + Send + Sync>> {
        match self {
            #[cfg(feature = "sleef")]
            Backend::SleefU10 => Ok(Box::new(Sleef::u10())),
            #[cfg(feature = "sleef")]
            Backend::SleefU35 => Ok(Box::new(Sleef::u35())),
            Backend::Std => Ok(Box::new(StdMath)),
            Backend::Native => Ok(Box::new(NativeMath)),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                "arsenal-num",
                format!("backend {other} is not compiled in (enable the `sleef` feature)"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_works() {
        for b in Backend::available() {
            let m = b.vector_math().unwrap();
            assert_eq!(m.backend(), b);
            let mut out = [0.0; 2];
            m.exp_f64(&[0.0, 1.0], &mut out).unwrap();
            assert!((out[1] - std::f64::consts::E).abs() < 1e-15, "{b}");
        }
    }
}
