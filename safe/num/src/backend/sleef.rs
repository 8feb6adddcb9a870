//! The SLEEF backend: SLEEF 3.5's vector functions over slices through the shim of
//! `arsenal-sleef-sys`, at the widest level this CPU runs (AVX-512F, else AVX2 + FMA,
//! else SLEEF's scalar functions), chosen once at construction.

use arsenal_sleef_sys as sys;

use crate::math::{check_binary, check_unary, pow_is_binary, Float, Function, VectorMath};
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
    /// Whether this CPU runs the level's functions: AVX2 needs AVX2 and FMA, AVX-512 needs
    /// AVX-512F (each level checked for its own features, not by order).
    pub fn runs(self) -> bool {
        match self {
            SleefLevel::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            SleefLevel::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            SleefLevel::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The widest level this CPU runs.
    pub fn detect() -> SleefLevel {
        [SleefLevel::Avx512, SleefLevel::Avx2]
            .into_iter()
            .find(|l| l.runs())
            .unwrap_or(SleefLevel::Scalar)
    }

    /// Every level this CPU runs, narrowest first.
    pub fn supported() -> Vec<SleefLevel> {
        [SleefLevel::Scalar, SleefLevel::Avx2, SleefLevel::Avx512]
            .into_iter()
            .filter(|l| l.runs())
            .collect()
    }

    /// The level's code in `arsenal-sleef-sys` ([`LEVEL_SCALAR`](sys::LEVEL_SCALAR),
    /// [`LEVEL_AVX2`](sys::LEVEL_AVX2), [`LEVEL_AVX512`](sys::LEVEL_AVX512)), for calling
    /// the raw shim at the same level.
    pub fn code(self) -> i32 {
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

/// A method mapping a one-input [`Function`] to SLEEF's slice function for this precision:
/// exp is SLEEF's 1.0-ULP one at both precisions (SLEEF has no 3.5-ULP exp); `None` for
/// pow (two inputs).
macro_rules! sleef_table {
    ($name:ident, $ty:ty, $exp:ident; $($func:ident: $u10:ident, $u35:ident;)+) => {
        fn $name(&self, f: Function) -> Option<$ty> {
            Some(match (f, self.precision) {
                (Function::Exp, _) => sys::$exp,
                $(
                    (Function::$func, SleefPrecision::U10) => sys::$u10,
                    (Function::$func, SleefPrecision::U35) => sys::$u35,
                )+
                (Function::Pow, _) => return None,
            })
        }
    };
}

/// [`VectorMath`]'s one-input and pow methods for one float type: lengths checked, then
/// one call of the shim at `self.level` (pow: SLEEF's 1.0-ULP one at both precisions).
macro_rules! sleef_methods {
    ($t:ty, $unary:ident, $table:ident, $pow:ident, $powfn:ident) => {
        fn $unary(&self, f: Function, x: &[$t], out: &mut [$t]) -> Result<()> {
            check_unary(self.name(), f, x.len(), out.len())?;
            let g = self.$table(f).ok_or_else(|| pow_is_binary(self.name()))?;
            // SAFETY: x and out are live slices of the same length (checked above) that do
            // not overlap (& and &mut); the level was checked against this CPU when `self`
            // was made (`Sleef`'s fields are private) and its code is a valid one, so the
            // call returns 0.
            let rc = unsafe { g(self.level.code(), x.as_ptr(), out.as_mut_ptr(), x.len()) };
            debug_assert_eq!(rc, 0);
            Ok(())
        }

        fn $pow(&self, x: &[$t], y: &[$t], out: &mut [$t]) -> Result<()> {
            check_binary(self.name(), x.len(), y.len(), out.len())?;
            // SAFETY: three live slices of one length (checked), out not overlapping the
            // inputs; the level runs on this CPU and its code is valid.
            let rc = unsafe {
                sys::$powfn(
                    self.level.code(),
                    x.as_ptr(),
                    y.as_ptr(),
                    out.as_mut_ptr(),
                    x.len(),
                )
            };
            debug_assert_eq!(rc, 0);
            Ok(())
        }
    };
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
        if !level.runs() {
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

    sleef_table!(f64_fn, UnaryF64, arsenal_sleef_expd_u10;
        Log: arsenal_sleef_logd_u10, arsenal_sleef_logd_u35;
        Sin: arsenal_sleef_sind_u10, arsenal_sleef_sind_u35;
        Cos: arsenal_sleef_cosd_u10, arsenal_sleef_cosd_u35;
        Tanh: arsenal_sleef_tanhd_u10, arsenal_sleef_tanhd_u35;
    );
    sleef_table!(f32_fn, UnaryF32, arsenal_sleef_expf_u10;
        Log: arsenal_sleef_logf_u10, arsenal_sleef_logf_u35;
        Sin: arsenal_sleef_sinf_u10, arsenal_sleef_sinf_u35;
        Cos: arsenal_sleef_cosf_u10, arsenal_sleef_cosf_u35;
        Tanh: arsenal_sleef_tanhf_u10, arsenal_sleef_tanhf_u35;
    );
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

    sleef_methods!(f64, unary_f64, f64_fn, pow_f64, arsenal_sleef_powd_u10);
    sleef_methods!(f32, unary_f32, f32_fn, pow_f32, arsenal_sleef_powf_u10);
}
