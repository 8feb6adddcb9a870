//! The std backend: std's `f64::exp`, `f32::sin`, … element by element (on Linux, glibc's
//! libm). The reference shape the other backends are compared with.

use crate::math::{check_binary, check_unary, pow_is_binary, Float, Function, VectorMath};
use crate::{Backend, Result};

/// std's libm calls, element by element. Its [`ulp_bound`](VectorMath::ulp_bound)s are
/// glibc's documented maxima on x86-64 (`libm-test-ulps`): 1 ULP for exp, log, sin, cos,
/// pow; 2.5 for tanh (glibc states 2 on its integer scale; measured against MPFR and f64
/// here, tanhf reaches 2.19 ULP over all f32 inputs). Another platform's libm may differ.
///
/// ```
/// use arsenal_num::{StdMath, VectorMath};
/// let mut out = [0.0; 1];
/// StdMath.pow_f64(&[2.0], &[10.0], &mut out)?;
/// assert_eq!(out, [1024.0]);
/// # Ok::<(), arsenal_num::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct StdMath;

impl VectorMath for StdMath {
    fn backend(&self) -> Backend {
        Backend::Std
    }

    fn ulp_bound(&self, f: Function, _ty: Float) -> Option<f64> {
        Some(crate::ulp::reference_bound(f))
    }

    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> Result<()> {
        check_unary("std", f, x.len(), out.len())?;
        let g = f.std_f64().ok_or_else(|| pow_is_binary("std"))?;
        out.iter_mut().zip(x).for_each(|(o, &x)| *o = g(x));
        Ok(())
    }

    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<()> {
        check_unary("std", f, x.len(), out.len())?;
        let g = f.std_f32().ok_or_else(|| pow_is_binary("std"))?;
        out.iter_mut().zip(x).for_each(|(o, &x)| *o = g(x));
        Ok(())
    }

    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> Result<()> {
        check_binary("std", x.len(), y.len(), out.len())?;
        for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
            *o = x.powf(y);
        }
        Ok(())
    }

    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> Result<()> {
        check_binary("std", x.len(), y.len(), out.len())?;
        for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
            *o = x.powf(y);
        }
        Ok(())
    }
}
