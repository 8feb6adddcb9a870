//! Elementary functions over slices: the [`VectorMath`] trait, its convenience form
//! [`VectorMathExt`], and the function and type names.

use std::fmt;

use crate::{Backend, Error, ErrorKind, Result};

/// An elementary function of [`VectorMath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Function {
    /// eˣ.
    Exp,
    /// The natural logarithm.
    Log,
    /// Sine (radians).
    Sin,
    /// Cosine (radians).
    Cos,
    /// Hyperbolic tangent.
    Tanh,
    /// xʸ (two inputs: [`VectorMath::pow_f64`], [`VectorMath::pow_f32`]).
    Pow,
}

impl Function {
    /// Every function, in declaration order.
    pub const ALL: [Function; 6] = [
        Function::Exp,
        Function::Log,
        Function::Sin,
        Function::Cos,
        Function::Tanh,
        Function::Pow,
    ];
    /// The one-input functions ([`VectorMath::unary_f64`]).
    pub const UNARY: [Function; 5] = [
        Function::Exp,
        Function::Log,
        Function::Sin,
        Function::Cos,
        Function::Tanh,
    ];

    /// The lower-case name (`exp`, `log`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Function::Exp => "exp",
            Function::Log => "log",
            Function::Sin => "sin",
            Function::Cos => "cos",
            Function::Tanh => "tanh",
            Function::Pow => "pow",
        }
    }

    /// std's one-input `f64` function for `self` (`f64::exp`, `f64::ln`, `f64::sin`,
    /// `f64::cos`, `f64::tanh`: the calls [`StdMath`](crate::StdMath) makes), or `None` for
    /// [`Function::Pow`], which takes two inputs (`f64::powf`).
    ///
    /// ```
    /// use arsenal_num::Function;
    /// assert_eq!(Function::Exp.std_f64().map(|g| g(0.0)), Some(1.0));
    /// assert!(Function::Pow.std_f64().is_none());
    /// ```
    pub fn std_f64(self) -> Option<fn(f64) -> f64> {
        match self {
            Function::Exp => Some(f64::exp),
            Function::Log => Some(f64::ln),
            Function::Sin => Some(f64::sin),
            Function::Cos => Some(f64::cos),
            Function::Tanh => Some(f64::tanh),
            Function::Pow => None,
        }
    }

    /// std's one-input `f32` function for `self` (`f32::exp`, …), or `None` for
    /// [`Function::Pow`] (`f32::powf`).
    pub fn std_f32(self) -> Option<fn(f32) -> f32> {
        match self {
            Function::Exp => Some(f32::exp),
            Function::Log => Some(f32::ln),
            Function::Sin => Some(f32::sin),
            Function::Cos => Some(f32::cos),
            Function::Tanh => Some(f32::tanh),
            Function::Pow => None,
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A floating-point type of [`VectorMath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Float {
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

/// Elementary functions over slices, one backend (SLEEF, native, std). Object safe:
/// [`Backend::vector_math`] gives a `Box<dyn VectorMath + Send + Sync>`.
///
/// Every method checks lengths first (`Err` with [`ErrorKind::Length`] when `x`, `y` and
/// `out` differ) and answers [`ErrorKind::Unsupported`] for a function the backend does not
/// implement, never computing it some other way. Special values follow C's `math.h`
/// (`exp(-inf) = 0`, `log(0) = -inf`, `log(-1) = NaN`, …) in every backend.
pub trait VectorMath {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// The stated maximum error of `f` for `ty` in ULP (over every input, except where the
    /// crate docs name a domain), or `None` when the backend does not implement it.
    fn ulp_bound(&self, f: Function, ty: Float) -> Option<f64>;

    /// `out[i] = f(x[i])` for a one-input `f` ([`Function::Pow`] is a
    /// [`ErrorKind::Parameter`] error: use [`pow_f64`](VectorMath::pow_f64)).
    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> Result<()>;

    /// `out[i] = f(x[i])` for `f32`.
    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<()>;

    /// `out[i] = x[i]^y[i]`.
    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> Result<()>;

    /// `out[i] = x[i]^y[i]` for `f32`.
    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> Result<()>;
}

macro_rules! ext_fns {
    ($($f64:ident, $f32:ident, $func:ident;)+) => {
        $(
            #[doc = concat!("`out[i] = ", stringify!($func), "(x[i])` (`f64`).")]
            fn $f64(&self, x: &[f64], out: &mut [f64]) -> Result<()> {
                self.unary_f64(Function::$func, x, out)
            }
            #[doc = concat!("`out[i] = ", stringify!($func), "(x[i])` (`f32`).")]
            fn $f32(&self, x: &[f32], out: &mut [f32]) -> Result<()> {
                self.unary_f32(Function::$func, x, out)
            }
        )+
    };
}

/// Named shorthands over [`VectorMath`] (blanket-implemented): `exp_f64(x, out)` is
/// `unary_f64(Function::Exp, x, out)`.
///
/// ```
/// use arsenal_num::{StdMath, VectorMathExt};
/// let mut out = [0.0f32; 2];
/// StdMath.log_f32(&[1.0, 8.0], &mut out)?;
/// assert_eq!(out[0], 0.0);
/// assert!((out[1] - 3.0 * std::f32::consts::LN_2).abs() <= f32::EPSILON);
/// # Ok::<(), arsenal_num::Error>(())
/// ```
pub trait VectorMathExt: VectorMath {
    ext_fns! {
        exp_f64, exp_f32, Exp;
        log_f64, log_f32, Log;
        sin_f64, sin_f32, Sin;
        cos_f64, cos_f32, Cos;
        tanh_f64, tanh_f32, Tanh;
    }
}

impl<M: VectorMath + ?Sized> VectorMathExt for M {}

impl<M: VectorMath + ?Sized> VectorMath for Box<M> {
    fn backend(&self) -> Backend {
        (**self).backend()
    }
    fn ulp_bound(&self, f: Function, ty: Float) -> Option<f64> {
        (**self).ulp_bound(f, ty)
    }
    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> Result<()> {
        (**self).unary_f64(f, x, out)
    }
    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<()> {
        (**self).unary_f32(f, x, out)
    }
    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> Result<()> {
        (**self).pow_f64(x, y, out)
    }
    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> Result<()> {
        (**self).pow_f32(x, y, out)
    }
}

/// The error for [`Function::Pow`] asked through a one-input entry point.
pub(crate) fn pow_is_binary(backend: &'static str) -> Error {
    Error::new(
        ErrorKind::Parameter,
        backend,
        "pow takes two inputs: use pow_f64 / pow_f32",
    )
}

/// The checks before a one-input call.
pub(crate) fn check_unary(backend: &'static str, f: Function, x: usize, out: usize) -> Result<()> {
    if f == Function::Pow {
        return Err(pow_is_binary(backend));
    }
    if x != out {
        return Err(Error::new(
            ErrorKind::Length,
            backend,
            format!("input has {x} elements, output {out}"),
        ));
    }
    Ok(())
}

/// The checks before a two-input call.
pub(crate) fn check_binary(backend: &'static str, x: usize, y: usize, out: usize) -> Result<()> {
    if x != y || x != out {
        return Err(Error::new(
            ErrorKind::Length,
            backend,
            format!("x has {x} elements, y {y}, output {out}"),
        ));
    }
    Ok(())
}
