//! The SLEEF backend: SLEEF 3.5's vector functions over slices through the shim of
//! `arsenal-sleef-sys`, at the widest level this CPU runs (AVX-512F, else AVX2 + FMA,
//! else SLEEF's scalar functions), chosen once at construction.

use arsenal_sleef_sys as sys;

use crate::math::{check_binary, check_unary, Float, Function, VectorMath};
use crate::{Backend, Error, ErrorKind, Result};

/// SLEEF's accuracy classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SleefPrecision {
    /// The 1.0-ULP functions (`Sleef_*_u10*`).
    U10,
    /// The 3.5-ULP functions (`Sleef_*_u35*`) where SLEEF has them; SLEEF 3.5 has exp and
    /// pow only as 1.0-ULP functions, so those two are the `u10` ones here too (more
    /// accurate than asked, never less; [`VectorMath::ulp_bound`] says 1.0 for them).
    U35,
}

/// The instruction-set level of SLEEF's functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SleefLevel {
    /// SLEEF's scalar functions (every CPU).
    Scalar,
    /// `Sleef_*d4_*avx2` / `Sleef_*f8_*avx2` (AVX2 and FMA).
    Avx2,
    /// `Sleef_*d8_*avx512f` / `Sleef_*f16_*avx512f` (AVX-512F).
    Avx512,
}

impl SleefLevel {
    /// The widest level this CPU runs.
    pub fn detect() -> SleefLevel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return SleefLevel::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return SleefLevel::Avx2;
            }
        }
        SleefLevel::Scalar
    }

    /// Every level this CPU runs, narrowest first.
    pub fn supported() -> Vec<SleefLevel> {
        let top = SleefLevel::detect();
        [SleefLevel::Scalar, SleefLevel::Avx2, SleefLevel::Avx512]
            .into_iter()
            .filter(|l| *l <= top)
            .collect()
    }

    fn code(self) -> i32 {
        match self {
            SleefLevel::Scalar => sys::LEVEL_SCALAR,
            SleefLevel::Avx2 => sys::LEVEL_AVX2,
            SleefLevel::Avx512 => sys::LEVEL_AVX512,
        }
    }
}

/// SLEEF through `arsenal-sleef-sys`: [`Sleef::u10`] (the [`Backend::SleefU10`] backend)
/// or [`Sleef::u35`] ([`Backend::SleefU35`]).
///
/// Measured exceptions to SLEEF's stated bounds (docs/num.md): the `f64` exp returns +∞
/// for x in (709.78271114955749, 709.78271289338397], just below the true overflow
/// threshold, where the exact value is finite; `tanhf` (u10) reaches 1.00000002 ULP at
/// tiny arguments.
///
/// ```
/// use arsenal_num::{Sleef, VectorMathExt};
/// let x = [0.0, 0.5, 1.0];
/// let mut out = [0.0; 3];
/// Sleef::u10().sin_f64(&x, &mut out)?;
/// assert!((out[2] - 1f64.sin()).abs() <= f64::EPSILON);
/// # Ok::<(), arsenal_num::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sleef {
    precision: SleefPrecision,
    level: SleefLevel,
}

impl Default for Sleef {
    /// [`Sleef::u10`].
    fn default() -> Self {
        Sleef::u10()
    }
}

type UnaryF64 = unsafe extern "C" fn(i32, *const f64, *mut f64, usize) -> i32;
type UnaryF32 = unsafe extern "C" fn(i32, *const f32, *mut f32, usize) -> i32;

impl Sleef {
    /// The 1.0-ULP functions at the widest level this CPU runs.
    pub fn u10() -> Sleef {
        Sleef {
            precision: SleefPrecision::U10,
            level: SleefLevel::detect(),
        }
    }

    /// The 3.5-ULP functions (exp, pow: 1.0-ULP) at the widest level this CPU runs.
    pub fn u35() -> Sleef {
        Sleef {
            precision: SleefPrecision::U35,
            level: SleefLevel::detect(),
        }
    }

    /// A given precision and level; [`ErrorKind::Unsupported`] when this CPU cannot run
    /// the level.
    pub fn with_level(precision: SleefPrecision, level: SleefLevel) -> Result<Sleef> {
        if level > SleefLevel::detect() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "sleef",
                format!("this CPU cannot run SLEEF's {level:?} functions"),
            ));
        }
        Ok(Sleef { precision, level })
    }

    /// The precision.
    pub fn precision(&self) -> SleefPrecision {
        self.precision
    }

    /// The level.
    pub fn level(&self) -> SleefLevel {
        self.level
    }

    fn name(&self) -> &'static str {
        match self.precision {
            SleefPrecision::U10 => "sleef-u10",
            SleefPrecision::U35 => "sleef-u35",
        }
    }

    fn f64_fn(&self, f: Function) -> UnaryF64 {
        use SleefPrecision::*;
        match (f, self.precision) {
            (Function::Exp, _) => sys::arsenal_sleef_expd_u10,
            (Function::Log, U10) => sys::arsenal_sleef_logd_u10,
            (Function::Log, U35) => sys::arsenal_sleef_logd_u35,
            (Function::Sin, U10) => sys::arsenal_sleef_sind_u10,
            (Function::Sin, U35) => sys::arsenal_sleef_sind_u35,
            (Function::Cos, U10) => sys::arsenal_sleef_cosd_u10,
            (Function::Cos, U35) => sys::arsenal_sleef_cosd_u35,
            (_, U10) => sys::arsenal_sleef_tanhd_u10,
            (_, U35) => sys::arsenal_sleef_tanhd_u35,
        }
    }

    fn f32_fn(&self, f: Function) -> UnaryF32 {
        use SleefPrecision::*;
        match (f, self.precision) {
            (Function::Exp, _) => sys::arsenal_sleef_expf_u10,
            (Function::Log, U10) => sys::arsenal_sleef_logf_u10,
            (Function::Log, U35) => sys::arsenal_sleef_logf_u35,
            (Function::Sin, U10) => sys::arsenal_sleef_sinf_u10,
            (Function::Sin, U35) => sys::arsenal_sleef_sinf_u35,
            (Function::Cos, U10) => sys::arsenal_sleef_cosf_u10,
            (Function::Cos, U35) => sys::arsenal_sleef_cosf_u35,
            (_, U10) => sys::arsenal_sleef_tanhf_u10,
            (_, U35) => sys::arsenal_sleef_tanhf_u35,
        }
    }
}

impl VectorMath for Sleef {
    fn backend(&self) -> Backend {
        match self.precision {
            SleefPrecision::U10 => Backend::SleefU10,
            SleefPrecision::U35 => Backend::SleefU35,
        }
    }

    fn ulp_bound(&self, f: Function, _ty: Float) -> Option<f64> {
        Some(match (f, self.precision) {
            (Function::Exp | Function::Pow, _) | (_, SleefPrecision::U10) => 1.0,
            (_, SleefPrecision::U35) => 3.5,
        })
    }

    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> Result<()> {
        check_unary(self.name(), f, x.len(), out.len())?;
        // SAFETY: x and out are live slices of the same length (checked above) that do
        // not overlap (& and &mut); the level was checked against this CPU when `self`
        // was made; the level code is a valid one, so the call cannot fail.
        unsafe { self.f64_fn(f)(self.level.code(), x.as_ptr(), out.as_mut_ptr(), x.len()) };
        Ok(())
    }

    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<()> {
        check_unary(self.name(), f, x.len(), out.len())?;
        // SAFETY: as in unary_f64.
        unsafe { self.f32_fn(f)(self.level.code(), x.as_ptr(), out.as_mut_ptr(), x.len()) };
        Ok(())
    }

    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> Result<()> {
        check_binary(self.name(), x.len(), y.len(), out.len())?;
        // SAFETY: three live slices of one length (checked), out not overlapping the
        // inputs; the level runs on this CPU.
        unsafe {
            sys::arsenal_sleef_powd_u10(
                self.level.code(),
                x.as_ptr(),
                y.as_ptr(),
                out.as_mut_ptr(),
                x.len(),
            )
        };
        Ok(())
    }

    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> Result<()> {
        check_binary(self.name(), x.len(), y.len(), out.len())?;
        // SAFETY: as in pow_f64.
        unsafe {
            sys::arsenal_sleef_powf_u10(
                self.level.code(),
                x.as_ptr(),
                y.as_ptr(),
                out.as_mut_ptr(),
                x.len(),
            )
        };
        Ok(())
    }
}
