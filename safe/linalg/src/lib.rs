//! Dense linear algebra behind one small trait, with the backend chosen by cargo feature
//! or at run time: **OpenBLAS** and **BLIS** (C, through their CBLAS and typed APIs) and a
//! **native** Rust GEMM (Goto / van de Geijn blocking with AVX-512 and AVX2 + FMA
//! micro-kernels chosen at run time, a scalar fallback).
//!
//! | backend | feature | what runs |
//! |---|---|---|
//! | [`Backend::Native`] | always built | [`NativeBlas`]: blocked GEMM, GEMV, level-1 ([`dot`], [`axpy`], …) |
//! | [`Backend::OpenBlas`] | `openblas` | [`OpenBlas`]: Debian's `libopenblas` (found by `arsenal-openblas-sys`), `cblas_?gemm` / `cblas_?gemv` looked up in its own shared object |
//! | [`Backend::Blis`] | `blis` | [`Blis`]: BLIS 1.0 built from the `blis-src` crate (static), its typed `bli_?gemm_ex` / `bli_?gemv_ex` with a configuration chosen explicitly from the CPU's features ([`Blis::arch`]) |
//!
//! Matrices are strided views over slices ([`MatRef`], [`MatMut`]): row-major,
//! column-major, transposed or any strides; every shape, stride and length is checked
//! and a mismatch is an [`Error`], never a panic or an out-of-bounds C call. `C` is a
//! unique borrow, so it cannot alias `A` or `B`.
//!
//! ```
//! use arsenal_linalg::{Backend, MatMut, MatRef};
//! let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2x3, row-major
//! let b = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]; // 3x2
//! let mut c = [0.0; 4];
//! for backend in Backend::available() {
//!     let blas = backend.blas()?;
//!     blas.gemm_f64(1.0, MatRef::row_major(&a, 2, 3)?, MatRef::row_major(&b, 3, 2)?,
//!                   0.0, MatMut::row_major(&mut c, 2, 2)?)?;
//!     assert_eq!(c, [4.0, 5.0, 10.0, 11.0], "{backend}");
//! }
//! # Ok::<(), arsenal_linalg::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend;
mod error;
mod native;
#[cfg(feature = "ndarray")]
pub mod nd;
mod view;

#[cfg(feature = "blis")]
pub use backend::blis::Blis;
#[cfg(feature = "openblas")]
pub use backend::openblas::OpenBlas;
pub use error::{Error, ErrorKind, Result};
pub use native::{cache_sizes, CacheSizes};
pub use view::{MatMut, MatRef};

use arsenal_core::Strategy;
use error::CHECKS;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The element types: `f32` and `f64`. Sealed; [`gemm`] and the level-1 functions are
/// generic over it.
// The crate-private supertrait carries the native kernels; the trait is sealed, so no
// outside type needs to name it.
#[allow(private_bounds)]
pub trait Scalar:
    sealed::Sealed
    + native::kernels::Element
    + std::fmt::Debug
    + PartialOrd
    + std::ops::Sub<Output = Self>
{
    /// Machine epsilon.
    const EPSILON: Self;
    /// `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// As `f64` (exact).
    fn to_f64(self) -> f64;
    /// From `f64` (rounded).
    fn from_f64(v: f64) -> Self;
    #[doc(hidden)]
    fn gemm_on(
        blas: &(impl Blas + ?Sized),
        alpha: Self,
        a: MatRef<'_, Self>,
        b: MatRef<'_, Self>,
        beta: Self,
        c: MatMut<'_, Self>,
    ) -> Result<()>;
    #[doc(hidden)]
    fn gemv_on(
        blas: &(impl Blas + ?Sized),
        alpha: Self,
        a: MatRef<'_, Self>,
        x: &[Self],
        beta: Self,
        y: &mut [Self],
    ) -> Result<()>;
}

macro_rules! scalar {
    ($t:ty, $gemm:ident, $gemv:ident) => {
        impl Scalar for $t {
            const EPSILON: Self = <$t>::EPSILON;
            const NAME: &'static str = stringify!($t);
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            #[allow(clippy::cast_possible_truncation)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            fn gemm_on(
                blas: &(impl Blas + ?Sized),
                alpha: Self,
                a: MatRef<'_, Self>,
                b: MatRef<'_, Self>,
                beta: Self,
                c: MatMut<'_, Self>,
            ) -> Result<()> {
                blas.$gemm(alpha, a, b, beta, c)
            }
            fn gemv_on(
                blas: &(impl Blas + ?Sized),
                alpha: Self,
                a: MatRef<'_, Self>,
                x: &[Self],
                beta: Self,
                y: &mut [Self],
            ) -> Result<()> {
                blas.$gemv(alpha, a, x, beta, y)
            }
        }
    };
}
scalar!(f32, gemm_f32, gemv_f32);
scalar!(f64, gemm_f64, gemv_f64);

/// Level-3 and level-2 BLAS behind one object-safe trait: every backend implements it,
/// [`Backend::blas`] gives a `Box<dyn Blas>`. The generic [`gemm`] / [`gemv`] call the
/// method for the element type.
pub trait Blas: Send + Sync + std::fmt::Debug {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// `c = alpha * a * b + beta * c` in `f32` (`a` m×k, `b` k×n, `c` m×n; with
    /// `beta == 0`, `c`'s old values are not read). [`ErrorKind::Shape`] when the shapes
    /// do not fit, [`ErrorKind::TooLarge`] beyond the C library's integers.
    fn gemm_f32(
        &self,
        alpha: f32,
        a: MatRef<'_, f32>,
        b: MatRef<'_, f32>,
        beta: f32,
        c: MatMut<'_, f32>,
    ) -> Result<()>;

    /// [`Blas::gemm_f32`] in `f64`.
    fn gemm_f64(
        &self,
        alpha: f64,
        a: MatRef<'_, f64>,
        b: MatRef<'_, f64>,
        beta: f64,
        c: MatMut<'_, f64>,
    ) -> Result<()>;

    /// `y = alpha * a * x + beta * y` in `f32` (`a` m×n, `x` n long, `y` m long).
    fn gemv_f32(
        &self,
        alpha: f32,
        a: MatRef<'_, f32>,
        x: &[f32],
        beta: f32,
        y: &mut [f32],
    ) -> Result<()>;

    /// [`Blas::gemv_f32`] in `f64`.
    fn gemv_f64(
        &self,
        alpha: f64,
        a: MatRef<'_, f64>,
        x: &[f64],
        beta: f64,
        y: &mut [f64],
    ) -> Result<()>;

    /// What the library runs on this CPU (OpenBLAS's core name, BLIS's configuration, the
    /// native kernel set), for reports.
    fn kernel(&self) -> String;

    /// Sets the backend's thread count. A process-wide setting on every backend (OpenBLAS's
    /// `openblas_set_num_threads`, BLIS's `bli_thread_set_num_threads`, the native GEMM's
    /// [`NativeBlas::set_threads`]); `0` is taken as 1. [`ErrorKind::TooLarge`] beyond the
    /// C library's integers.
    fn set_threads(&self, threads: usize) -> Result<()>;

    /// The backend's current thread count.
    fn threads(&self) -> usize;
}

/// `c = alpha * a * b + beta * c` with `blas`, for `f32` or `f64`.
///
/// ```
/// use arsenal_linalg::{gemm, MatMut, MatRef, NativeBlas};
/// let a = [2.0f32; 4];
/// let mut c = [1.0f32; 4];
/// gemm(&NativeBlas, 1.0, MatRef::row_major(&a, 2, 2)?, MatRef::row_major(&a, 2, 2)?,
///      1.0, MatMut::row_major(&mut c, 2, 2)?)?;
/// assert_eq!(c, [9.0; 4]);
/// # Ok::<(), arsenal_linalg::Error>(())
/// ```
pub fn gemm<T: Scalar>(
    blas: &(impl Blas + ?Sized),
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
) -> Result<()> {
    T::gemm_on(blas, alpha, a, b, beta, c)
}

/// `y = alpha * a * x + beta * y` with `blas`, for `f32` or `f64`.
pub fn gemv<T: Scalar>(
    blas: &(impl Blas + ?Sized),
    alpha: T,
    a: MatRef<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) -> Result<()> {
    T::gemv_on(blas, alpha, a, x, beta, y)
}

/// The shape check every backend runs first.
pub(crate) fn check_gemm<T: Copy>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    c: &MatMut<'_, T>,
) -> Result<()> {
    if a.cols() != b.rows() || a.rows() != c.rows() || b.cols() != c.cols() {
        return Err(Error::new(
            ErrorKind::Shape,
            CHECKS,
            format!(
                "gemm needs A m×k, B k×n, C m×n; got A {}×{}, B {}×{}, C {}×{}",
                a.rows(),
                a.cols(),
                b.rows(),
                b.cols(),
                c.rows(),
                c.cols()
            ),
        ));
    }
    Ok(())
}

/// The shape check of GEMV.
pub(crate) fn check_gemv<T: Copy>(a: &MatRef<'_, T>, x: &[T], y: &[T]) -> Result<()> {
    if a.cols() != x.len() || a.rows() != y.len() {
        return Err(Error::new(
            ErrorKind::Shape,
            CHECKS,
            format!(
                "gemv needs A m×n, x n, y m; got A {}×{}, x {}, y {}",
                a.rows(),
                a.cols(),
                x.len(),
                y.len()
            ),
        ));
    }
    Ok(())
}

/// The native backend (always built): see the crate docs.
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeBlas;

impl NativeBlas {
    /// The micro-kernel set the native GEMM runs on this CPU for `T`: `"avx512"`,
    /// `"avx2"` (with FMA) or `"scalar"`.
    ///
    /// ```
    /// let k = arsenal_linalg::NativeBlas::kernel_for::<f64>();
    /// assert!(["avx512", "avx2", "scalar"].contains(&k));
    /// ```
    pub fn kernel_for<T: Scalar>() -> &'static str {
        native::gemm::kernel_name::<T>()
    }

    /// Sets how many threads the native GEMM uses, process-wide like OpenBLAS's and
    /// BLIS's settings (`0` means 1; 1 is the default). Each call splits C's columns among
    /// that many scoped threads (the caller is one of them) when the product has at least
    /// 2²² multiply-adds; smaller calls, GEMV and the level-1 functions stay on the calling
    /// thread. Never fails (the `Result` matches [`Blas::set_threads`]).
    ///
    /// ```
    /// use arsenal_linalg::NativeBlas;
    /// NativeBlas.set_threads(2)?;
    /// assert_eq!(NativeBlas.threads(), 2);
    /// NativeBlas.set_threads(1)?;
    /// # Ok::<(), arsenal_linalg::Error>(())
    /// ```
    pub fn set_threads(&self, threads: usize) -> Result<()> {
        native::gemm::set_threads(threads);
        Ok(())
    }

    /// The native GEMM's thread count ([`NativeBlas::set_threads`]).
    pub fn threads(&self) -> usize {
        native::gemm::threads()
    }
}

macro_rules! native_methods {
    ($gemm:ident, $gemv:ident, $t:ty) => {
        fn $gemm(
            &self,
            alpha: $t,
            a: MatRef<'_, $t>,
            b: MatRef<'_, $t>,
            beta: $t,
            c: MatMut<'_, $t>,
        ) -> Result<()> {
            check_gemm(&a, &b, &c)?;
            native::gemm::gemm(alpha, a, b, beta, c);
            Ok(())
        }
        fn $gemv(
            &self,
            alpha: $t,
            a: MatRef<'_, $t>,
            x: &[$t],
            beta: $t,
            y: &mut [$t],
        ) -> Result<()> {
            check_gemv(&a, x, y)?;
            native::gemv(alpha, a, x, beta, y);
            Ok(())
        }
    };
}

impl Blas for NativeBlas {
    fn backend(&self) -> Backend {
        Backend::Native
    }
    native_methods!(gemm_f32, gemv_f32, f32);
    native_methods!(gemm_f64, gemv_f64, f64);
    fn kernel(&self) -> String {
        format!("native {}", native::gemm::kernel_name::<f64>())
    }
    fn set_threads(&self, threads: usize) -> Result<()> {
        NativeBlas::set_threads(self, threads)
    }
    fn threads(&self) -> usize {
        NativeBlas::threads(self)
    }
}

fn check_len(x: usize, y: usize, what: &str) -> Result<()> {
    if x != y {
        return Err(Error::new(
            ErrorKind::Shape,
            CHECKS,
            format!("{what}: the vectors are {x} and {y} long"),
        ));
    }
    Ok(())
}

/// Dot product `Σ x[i] * y[i]` (eight accumulators); [`ErrorKind::Shape`] when the
/// lengths differ.
///
/// ```
/// assert_eq!(arsenal_linalg::dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0])?, 32.0);
/// # Ok::<(), arsenal_linalg::Error>(())
/// ```
pub fn dot<T: Scalar>(x: &[T], y: &[T]) -> Result<T> {
    check_len(x.len(), y.len(), "dot")?;
    let mut acc = [T::ZERO; 8];
    let (xc, yc) = (x.chunks_exact(8), y.chunks_exact(8));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (a, b) in xc.zip(yc) {
        for l in 0..8 {
            acc[l] = acc[l] + a[l] * b[l];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (&a, &b) in xr.iter().zip(yr) {
        s = s + a * b;
    }
    Ok(s)
}

/// `y = alpha * x + y`; [`ErrorKind::Shape`] when the lengths differ.
pub fn axpy<T: Scalar>(alpha: T, x: &[T], y: &mut [T]) -> Result<()> {
    check_len(x.len(), y.len(), "axpy")?;
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi = alpha * xi + *yi;
    }
    Ok(())
}

/// `x = alpha * x`.
pub fn scal<T: Scalar>(alpha: T, x: &mut [T]) {
    for v in x {
        *v = alpha * *v;
    }
}

/// Euclidean norm, without overflow or underflow in the squares (accumulated in `f64`
/// with scaling by the largest magnitude).
///
/// ```
/// assert_eq!(arsenal_linalg::nrm2(&[3.0f32, 4.0]), 5.0);
/// assert!((arsenal_linalg::nrm2(&[3e200f64, 4e200]) / 5e200 - 1.0).abs() < 1e-15);
/// ```
pub fn nrm2<T: Scalar>(x: &[T]) -> T {
    let scale = x.iter().map(|v| v.to_f64().abs()).fold(0.0f64, f64::max);
    if scale == 0.0 || !scale.is_finite() {
        return T::from_f64(scale);
    }
    let ssq: f64 = x
        .iter()
        .map(|v| {
            let r = v.to_f64() / scale;
            r * r
        })
        .sum();
    T::from_f64(scale * ssq.sqrt())
}

/// `Σ x[i]` by pairwise summation (error growing with log n, not n).
///
/// ```
/// assert_eq!(arsenal_linalg::sum(&[1.0, 2.0, 3.5]), 6.5);
/// ```
pub fn sum<T: Scalar>(x: &[T]) -> T {
    const LEAF: usize = 128;
    if x.len() <= LEAF {
        let mut acc = [T::ZERO; 4];
        let chunks = x.chunks_exact(4);
        let rest = chunks.remainder();
        for c in chunks {
            for l in 0..4 {
                acc[l] = acc[l] + c[l];
            }
        }
        let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for &v in rest {
            s = s + v;
        }
        return s;
    }
    let (lo, hi) = x.split_at(x.len() / 2);
    sum(lo) + sum(hi)
}

/// `b = aᵀ` (`b` is `a.cols()`×`a.rows()`), cache-obliviously; [`ErrorKind::Shape`] when
/// the shapes do not fit.
///
/// ```
/// use arsenal_linalg::{transpose, MatMut, MatRef};
/// let a = [1, 2, 3, 4, 5, 6];
/// let mut b = [0; 6];
/// transpose(MatRef::row_major(&a, 2, 3)?, MatMut::row_major(&mut b, 3, 2)?)?;
/// assert_eq!(b, [1, 4, 2, 5, 3, 6]);
/// # Ok::<(), arsenal_linalg::Error>(())
/// ```
pub fn transpose<T: Copy>(a: MatRef<'_, T>, mut b: MatMut<'_, T>) -> Result<()> {
    if a.rows() != b.cols() || a.cols() != b.rows() {
        return Err(Error::new(
            ErrorKind::Shape,
            CHECKS,
            format!(
                "transpose of a {}×{} matrix needs a {}×{} destination, got {}×{}",
                a.rows(),
                a.cols(),
                a.cols(),
                a.rows(),
                b.rows(),
                b.cols()
            ),
        ));
    }
    native::transpose(a, &mut b);
    Ok(())
}

arsenal_core::backends! {
    /// The linear-algebra backends this crate knows ([`Backend::blas`] builds one).
    ///
    /// ```
    /// use arsenal_linalg::Backend;
    /// assert_eq!("openblas".parse::<Backend>()?, Backend::OpenBlas);
    /// assert!(Backend::available().contains(&Backend::Native));
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "linalg";
    pub enum Backend {
        /// OpenBLAS (C), feature `openblas`: Debian's `libopenblas-dev`.
        OpenBlas = "openblas",
        /// BLIS (C), feature `blis`: BLIS 1.0 built from source by `blis-src`.
        Blis = "blis",
        /// Native Rust, always built.
        Native = "native",
    }
}

impl Backend {
    /// Whether this build compiles the backend in.
    const fn compiled_in(self) -> bool {
        match self {
            Backend::OpenBlas => cfg!(feature = "openblas"),
            Backend::Blis => cfg!(feature = "blis"),
            Backend::Native => true,
        }
    }

    /// A boxed instance of this backend; [`ErrorKind::Unsupported`] when its feature is
    /// off, [`ErrorKind::Init`] when its library cannot be loaded.
    pub fn blas(self) -> Result<Box<dyn Blas>> {
        match self {
            #[cfg(feature = "openblas")]
            Backend::OpenBlas => Ok(Box::new(OpenBlas::new()?)),
            #[cfg(feature = "blis")]
            Backend::Blis => Ok(Box::new(Blis::new()?)),
            Backend::Native => Ok(Box::new(NativeBlas)),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                other.name(),
                format!("backend not compiled in (enable the cargo feature `{other}`)"),
            )),
        }
    }
}

/// [`Backend::available`]'s order: the measured single-thread GEMM order (OpenBLAS, then
/// BLIS, then native; see [`Backend::evidence`]).
const PRIORITY: [Backend; 3] = [Backend::OpenBlas, Backend::Blis, Backend::Native];

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            // No state is kept between calls by any backend; the native one allocates
            // only its packing buffers and links no library.
            Strategy::MinimalMemory => Backend::Native,
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None, // the documented priority
            Strategy::MinimalMemory => Some("linalg/gemm/f64-512"),
            _ => Some("linalg/gemm/f64-1024"),
        }
    }
}

/// The default backend type: OpenBLAS when compiled in, else BLIS, else native.
#[cfg(feature = "openblas")]
pub type DefaultBlas = OpenBlas;
/// The default backend type: OpenBLAS when compiled in, else BLIS, else native.
#[cfg(all(not(feature = "openblas"), feature = "blis"))]
pub type DefaultBlas = Blis;
/// The default backend type: OpenBLAS when compiled in, else BLIS, else native.
#[cfg(not(any(feature = "openblas", feature = "blis")))]
pub type DefaultBlas = NativeBlas;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_multiplies() {
        for backend in Backend::available() {
            let blas = backend.blas().unwrap();
            assert_eq!(blas.backend(), backend);
            let a = [1.0f32, 2.0, 3.0, 4.0];
            let mut c = [0.0f32; 4];
            blas.gemm_f32(
                1.0,
                MatRef::row_major(&a, 2, 2).unwrap(),
                MatRef::row_major(&a, 2, 2).unwrap(),
                0.0,
                MatMut::row_major(&mut c, 2, 2).unwrap(),
            )
            .unwrap();
            assert_eq!(c, [7.0, 10.0, 15.0, 22.0], "{backend}");
            assert!(!blas.kernel().is_empty());
        }
    }
}
