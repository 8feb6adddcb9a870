//! Fast Fourier transforms behind one small API, with the backend chosen by cargo feature
//! or at run time: **FFTW 3.3** and **KissFFT 131** (C, Debian's `libfftw3-dev` and
//! `libkissfft-dev`, linked through our own `-sys` crates), plus native DSP building
//! blocks in [`dsp`] (windows, RBJ biquads, Butterworth design, FIR convolution direct and
//! by FFT overlap-add, a parametric EQ).
//!
//! | backend | feature | precisions | sizes | what runs |
//! |---|---|---|---|---|
//! | [`Backend::Fftw`] | `fftw` | `f32`, `f64` | any `n ≥ 1` up to `i32::MAX` | FFTW's planner (`FFTW_MEASURE` by default, see [`Rigor`]) and its new-array execute functions on your buffers |
//! | [`Backend::KissFft`] | `kissfft` | `f32` only | any `n ≥ 1` (complex), even `n` (real) | `kiss_fft` / `kiss_fftr` / `kiss_fftri` |
//!
//! There is no native FFT backend: the pure-Rust `rustfft` and `realfft` crates are the
//! benchmark's peers (`peer:rustfft`, `peer:realfft`), not wrapped here. At least one
//! backend feature is needed; library authors depend with `default-features = false` and
//! pick theirs.
//!
//! # Conventions
//! - Forward is `X[k] = Σ x[j]·e^{-2πi jk/n}`, inverse `x[j] = Σ X[k]·e^{+2πi jk/n}`;
//!   **neither is normalised** (as FFTW and KissFFT): `inverse(forward(x)) = n·x`. Scale
//!   with [`normalize`] (by `1/n`) or [`scale`].
//! - Complex numbers are [`Complex<T>`] (`num_complex`, `#[repr(C)] { re, im }`), the same
//!   layout as FFTW's `fftw_complex` (`double[2]`) and KissFFT's `kiss_fft_cpx`: buffers
//!   are passed to C without copying.
//! - A real transform of `n` samples has a half spectrum of `n/2 + 1` bins
//!   ([`half_len`]). The inverse real transform ignores the imaginary parts of bin 0 (and
//!   of bin `n/2` for even `n`) and **may overwrite its input** (FFTW's `c2r` does).
//! - Every length is checked; a wrong one is an [`Error`], never a panic or an
//!   out-of-bounds C call.
//!
//! ```
//! use arsenal_fft::{Backend, Complex, Direction, Planner};
//! for backend in Backend::available() {
//!     let planner = Planner::new(backend)?;
//!     let fft = planner.complex::<f32>(4, Direction::Forward)?; // cached per (kind, type, n)
//!     let input = [1.0, 2.0, 3.0, 4.0].map(|re| Complex::new(re, 0.0));
//!     let mut output = [Complex::default(); 4];
//!     fft.process(&input, &mut output)?;
//!     assert_eq!(output[0], Complex::new(10.0, 0.0), "{backend}");
//!     assert_eq!(output[1], Complex::new(-2.0, 2.0), "{backend}");
//! }
//! # Ok::<(), arsenal_fft::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-fft needs at least one backend feature: `fftw` (Debian's libfftw3-dev) or \
     `kissfft` (Debian's libkissfft-dev)"
);

mod aligned;
mod backend;
pub mod dsp;
mod error;

pub use aligned::AlignedBuf;
#[cfg(feature = "fftw")]
pub use backend::fftw::{fftw_version, with_fftw_planner};
pub use error::{Error, ErrorKind, Result};
pub use num_complex::Complex;

use arsenal_core::Strategy;
use backend::{C2cKernel, C2rKernel, R2cKernel};
use error::CHECKS;
use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

mod sealed {
    use super::*;

    /// The per-precision dispatch to the backends (crate-private; [`Float`] is sealed).
    pub trait Kernels: Sized {
        fn c2c(
            backend: Backend,
            n: usize,
            direction: Direction,
            rigor: Rigor,
        ) -> Result<Box<dyn C2cKernel<Self>>>;
        fn r2c(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn R2cKernel<Self>>>;
        fn c2r(backend: Backend, n: usize, rigor: Rigor) -> Result<Box<dyn C2rKernel<Self>>>;
    }
}

/// The sample types: `f32` and `f64` (sealed). KissFFT supports `f32` only.
// The crate-private supertrait carries the backend dispatch; the trait is sealed.
#[allow(private_bounds)]
pub trait Float:
    sealed::Kernels
    + Copy
    + Default
    + Send
    + Sync
    + fmt::Debug
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + 'static
{
    /// Machine epsilon, as `f64`.
    const EPSILON: f64;
    /// `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// As `f64` (exact).
    fn to_f64(self) -> f64;
    /// From `f64` (rounded).
    fn from_f64(v: f64) -> Self;
}

impl Float for f32 {
    const EPSILON: f64 = f32::EPSILON as f64;
    const NAME: &'static str = "f32";
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[allow(clippy::cast_possible_truncation)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

impl Float for f64 {
    const EPSILON: f64 = f64::EPSILON;
    const NAME: &'static str = "f64";
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(v: f64) -> Self {
        v
    }
}

/// The sign of the exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `e^{-2πi jk/n}` (FFTW's `FFTW_FORWARD`).
    Forward,
    /// `e^{+2πi jk/n}`, unnormalised (FFTW's `FFTW_BACKWARD`).
    Inverse,
}

/// How hard FFTW's planner works (KissFFT has no planner and ignores it).
///
/// [`Rigor::Measure`] (the default) times candidate algorithms once per size, precision,
/// kind and buffer alignment (milliseconds for small sizes, up to about a second for
/// large primes), then every call runs the fastest; [`Rigor::Estimate`] plans from
/// heuristics instantly. FFTW keeps what it measured (its "wisdom") for the life of the
/// process, so a size is measured once even across planners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rigor {
    /// `FFTW_ESTIMATE`.
    Estimate,
    /// `FFTW_MEASURE`.
    #[default]
    Measure,
}

/// The length of the half spectrum of a real transform of `n` samples: `n/2 + 1`.
///
/// ```
/// assert_eq!(arsenal_fft::half_len(8), 5);
/// assert_eq!(arsenal_fft::half_len(7), 4);
/// ```
pub const fn half_len(n: usize) -> usize {
    n / 2 + 1
}

/// Multiplies every element by `factor`.
///
/// ```
/// use arsenal_fft::{scale, Complex};
/// let mut x = [Complex::new(1.0f64, -2.0)];
/// scale(&mut x, 0.5);
/// assert_eq!(x[0], Complex::new(0.5, -1.0));
/// ```
pub fn scale<T: Float>(data: &mut [Complex<T>], factor: T) {
    for c in data {
        c.re = c.re * factor;
        c.im = c.im * factor;
    }
}

/// Multiplies every element by `1/n` (`n = data.len()`): after an unnormalised inverse
/// of a forward transform this gives back the input. Nothing for an empty slice.
///
/// ```
/// use arsenal_fft::{normalize, Complex};
/// let mut x = [Complex::new(4.0f32, 0.0); 4];
/// normalize(&mut x);
/// assert_eq!(x[3], Complex::new(1.0, 0.0));
/// ```
pub fn normalize<T: Float>(data: &mut [Complex<T>]) {
    if !data.is_empty() {
        #[allow(clippy::cast_precision_loss)]
        let factor = T::from_f64(1.0 / data.len() as f64);
        scale(data, factor);
    }
}

fn length_error(what: &str, want: usize, got: usize) -> Error {
    Error::new(
        ErrorKind::Length,
        CHECKS,
        format!("{what} must be {want} long, got {got}"),
    )
}

/// The accessors and the `Debug` impl every plan type shares: `len`, `is_empty`,
/// `backend`, and `Debug` showing the length, the element type, the named extra fields and
/// the backend (never the kernel).
macro_rules! plan_accessors {
    ($plan:ident, $len_doc:literal $(, $extra:ident)*) => {
        impl<T: Float> $plan<T> {
            #[doc = $len_doc]
            pub fn len(&self) -> usize {
                self.n
            }

            /// Always false (a plan has `n ≥ 1`); for clippy's `len_without_is_empty`.
            pub fn is_empty(&self) -> bool {
                false
            }

            /// The backend that runs it.
            pub fn backend(&self) -> Backend {
                self.backend
            }
        }

        impl<T: Float> fmt::Debug for $plan<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = f.debug_struct(stringify!($plan));
                d.field("n", &self.n).field("type", &T::NAME);
                $(d.field(stringify!($extra), &self.$extra);)*
                d.field("backend", &self.backend).finish()
            }
        }
    };
}

/// A planned complex transform of one length and direction ([`Planner::complex`]).
/// Shareable between threads; running it never re-plans on aligned buffers.
pub struct ComplexPlan<T: Float> {
    n: usize,
    direction: Direction,
    backend: Backend,
    kernel: Box<dyn C2cKernel<T>>,
}

plan_accessors!(ComplexPlan, "The transform length `n`.", direction);

impl<T: Float> ComplexPlan<T> {
    /// The direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Transforms `input` (`n` long) into `output` (`n` long); `input` is not modified.
    /// [`ErrorKind::Length`] when a length differs from `n`.
    pub fn process(&self, input: &[Complex<T>], output: &mut [Complex<T>]) -> Result<()> {
        if input.len() != self.n {
            return Err(length_error("the complex input", self.n, input.len()));
        }
        if output.len() != self.n {
            return Err(length_error("the complex output", self.n, output.len()));
        }
        self.kernel.run(input, output)
    }

    /// Transforms `data` in place (through a temporary copy of the input).
    pub fn process_in_place(&self, data: &mut [Complex<T>]) -> Result<()> {
        let input = data.to_vec();
        self.process(&input, data)
    }
}

/// A planned real-to-complex (forward) transform ([`Planner::real_forward`]).
pub struct RealForwardPlan<T: Float> {
    n: usize,
    backend: Backend,
    kernel: Box<dyn R2cKernel<T>>,
}

plan_accessors!(RealForwardPlan, "The number of real samples `n`.");

impl<T: Float> RealForwardPlan<T> {
    /// Transforms `input` (`n` reals) into the half spectrum `output` (`n/2 + 1` bins);
    /// `input` is not modified.
    pub fn process(&self, input: &[T], output: &mut [Complex<T>]) -> Result<()> {
        if input.len() != self.n {
            return Err(length_error("the real input", self.n, input.len()));
        }
        if output.len() != half_len(self.n) {
            return Err(length_error(
                "the half spectrum",
                half_len(self.n),
                output.len(),
            ));
        }
        self.kernel.run(input, output)
    }
}

/// A planned complex-to-real (inverse, unnormalised) transform ([`Planner::real_inverse`]).
pub struct RealInversePlan<T: Float> {
    n: usize,
    backend: Backend,
    kernel: Box<dyn C2rKernel<T>>,
}

plan_accessors!(RealInversePlan, "The number of real samples `n`.");

impl<T: Float> RealInversePlan<T> {
    /// Transforms the half spectrum `input` (`n/2 + 1` bins) into `output` (`n` reals).
    /// `input`'s contents are unspecified afterwards (FFTW's `c2r` uses it as scratch);
    /// the imaginary parts of bin 0 and, for even `n`, bin `n/2` are ignored.
    pub fn process(&self, input: &mut [Complex<T>], output: &mut [T]) -> Result<()> {
        if input.len() != half_len(self.n) {
            return Err(length_error(
                "the half spectrum",
                half_len(self.n),
                input.len(),
            ));
        }
        if output.len() != self.n {
            return Err(length_error("the real output", self.n, output.len()));
        }
        self.kernel.run(input, output)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Complex(Direction),
    RealForward,
    RealInverse,
}

type Cache = HashMap<(Kind, &'static str, usize), Box<dyn Any + Send + Sync>>;

/// Makes plans for one backend and caches them: asking twice for the same kind, type and
/// length gives the same `Arc`. Plan outside your hot loop, run the plans inside it.
///
/// ```
/// use arsenal_fft::{Backend, Direction, Planner, Rigor};
/// use std::sync::Arc;
/// let planner = Planner::new(Backend::available()[0])?.with_rigor(Rigor::Estimate);
/// let a = planner.complex::<f32>(1024, Direction::Forward)?;
/// let b = planner.complex::<f32>(1024, Direction::Forward)?;
/// assert!(Arc::ptr_eq(&a, &b));
/// assert_eq!(planner.complex::<f32>(0, Direction::Forward).unwrap_err().kind(),
///            arsenal_fft::ErrorKind::Empty);
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
pub struct Planner {
    backend: Backend,
    rigor: Rigor,
    cache: Mutex<Cache>,
}

impl fmt::Debug for Planner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.lock().map(|c| c.len()).unwrap_or(0);
        f.debug_struct("Planner")
            .field("backend", &self.backend)
            .field("rigor", &self.rigor)
            .field("cached_plans", &cached)
            .finish()
    }
}

impl Planner {
    /// A planner for `backend` with [`Rigor::Measure`]; [`ErrorKind::Unsupported`] when
    /// the backend's feature is off.
    pub fn new(backend: Backend) -> Result<Planner> {
        if !backend.compiled_in() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                backend.name(),
                format!("backend not compiled in (enable the cargo feature `{backend}`)"),
            ));
        }
        Ok(Planner {
            backend,
            rigor: Rigor::default(),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The same planner with FFTW's planning rigor set (plans made later use it).
    #[must_use]
    pub fn with_rigor(mut self, rigor: Rigor) -> Planner {
        self.rigor = rigor;
        self
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The planning rigor.
    pub fn rigor(&self) -> Rigor {
        self.rigor
    }

    fn check_n(&self, n: usize) -> Result<()> {
        if n == 0 {
            return Err(Error::new(
                ErrorKind::Empty,
                CHECKS,
                "a transform of length 0",
            ));
        }
        if i32::try_from(n).is_err() {
            return Err(Error::new(
                ErrorKind::TooLarge,
                self.backend.name(),
                format!("length {n} does not fit the C library's int"),
            ));
        }
        Ok(())
    }

    fn cached<P: Send + Sync + 'static>(
        &self,
        key: (Kind, &'static str, usize),
        make: impl FnOnce() -> Result<P>,
    ) -> Result<Arc<P>> {
        // A panic while the lock was held cannot leave the map half-updated (one insert).
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(plan) = cache.get(&key).and_then(|p| p.downcast_ref::<Arc<P>>()) {
            return Ok(Arc::clone(plan));
        }
        let plan = Arc::new(make()?);
        cache.insert(key, Box::new(Arc::clone(&plan)));
        Ok(plan)
    }

    /// The complex transform of length `n` in `direction`. [`ErrorKind::Empty`] for
    /// `n = 0`, [`ErrorKind::TooLarge`] beyond `i32::MAX`, [`ErrorKind::Unsupported`]
    /// for `f64` on KissFFT, [`ErrorKind::Init`] when the library makes no plan.
    pub fn complex<T: Float>(&self, n: usize, direction: Direction) -> Result<Arc<ComplexPlan<T>>> {
        self.check_n(n)?;
        self.cached((Kind::Complex(direction), T::NAME, n), || {
            Ok(ComplexPlan {
                n,
                direction,
                backend: self.backend,
                kernel: T::c2c(self.backend, n, direction, self.rigor)?,
            })
        })
    }

    /// The real-to-complex transform of `n` samples (KissFFT: even `n` only).
    pub fn real_forward<T: Float>(&self, n: usize) -> Result<Arc<RealForwardPlan<T>>> {
        self.check_n(n)?;
        self.cached((Kind::RealForward, T::NAME, n), || {
            Ok(RealForwardPlan {
                n,
                backend: self.backend,
                kernel: T::r2c(self.backend, n, self.rigor)?,
            })
        })
    }

    /// The complex-to-real transform giving `n` samples (KissFFT: even `n` only).
    pub fn real_inverse<T: Float>(&self, n: usize) -> Result<Arc<RealInversePlan<T>>> {
        self.check_n(n)?;
        self.cached((Kind::RealInverse, T::NAME, n), || {
            Ok(RealInversePlan {
                n,
                backend: self.backend,
                kernel: T::c2r(self.backend, n, self.rigor)?,
            })
        })
    }
}

arsenal_core::backends! {
    /// The FFT backends this crate knows ([`Planner::new`] makes plans with one).
    ///
    /// ```
    /// use arsenal_fft::Backend;
    /// assert_eq!("FFTW".parse::<Backend>()?, Backend::Fftw);
    /// assert_eq!(Backend::KissFft.name(), "kissfft");
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "fft";
    pub enum Backend {
        /// FFTW 3.3 (C), feature `fftw`: Debian's `libfftw3-dev` (SSE2 and AVX codelets; none for AVX2/AVX-512).
        Fftw = "fftw",
        /// KissFFT 131 (C), feature `kissfft`: Debian's `libkissfft-dev`, `float` only.
        KissFft = "kissfft",
    }
}

impl Backend {
    /// Whether this build compiles the backend in.
    const fn compiled_in(self) -> bool {
        match self {
            Backend::Fftw => cfg!(feature = "fftw"),
            Backend::KissFft => cfg!(feature = "kissfft"),
        }
    }

    /// A [`Planner`] for this backend ([`Planner::new`]).
    pub fn planner(self) -> Result<Planner> {
        Planner::new(self)
    }
}

/// [`Backend::available`]'s order: FFTW, then KissFFT (FFTW is faster at every measured
/// size and supports `f64`; see [`Backend::evidence`]).
const PRIORITY: [Backend; 2] = [Backend::Fftw, Backend::KissFft];

/// Strategies, with every backend compiled in (fallback: the other backend):
/// - `Throughput` (`fft/c2c-f32/65536`), `MaximalSpeed` (the same row) and `Latency`
///   (`fft/c2c-f32/64`): FFTW, 5–6× KissFFT at both sizes (43.7 G against 8.5 G and
///   50.6 G against 8.1 G benchFFT-mflop items/s on the Intel Xeon VM, one thread; FFTW's
///   SSE2/AVX codelets against KissFFT's scalar C). No SIMD difference to consult: Debian
///   ships one FFTW build that picks its codelets at run time.
/// - `Balanced`: [`DefaultFft`], FFTW.
/// - `MinimalMemory` (`fft/memory/plan-c2c-f32-65536`): KissFFT, the heap one cached
///   65 536-point plan holds: 512 KiB (one `malloc`ed block of twiddles and factors)
///   against FFTW's 593 KiB (plan and wisdom); its library is 26 KB against 2.2 MB.
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::MinimalMemory => arsenal_core::prefer(&[Backend::KissFft, Backend::Fftw]),
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None, // the documented priority
            Strategy::Latency => Some("fft/c2c-f32/64"),
            Strategy::MinimalMemory => Some("fft/memory/plan-c2c-f32-65536"),
            _ => Some("fft/c2c-f32/65536"),
        }
    }
}

/// A compile-time backend: [`Fftw`] or [`KissFft`] (for [`DefaultFft`]).
pub trait BackendType {
    /// Its run-time value.
    const BACKEND: Backend;
}

/// FFTW as a type (feature `fftw`).
#[cfg(feature = "fftw")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Fftw;
#[cfg(feature = "fftw")]
impl BackendType for Fftw {
    const BACKEND: Backend = Backend::Fftw;
}

/// KissFFT as a type (feature `kissfft`).
#[cfg(feature = "kissfft")]
#[derive(Debug, Clone, Copy, Default)]
pub struct KissFft;
#[cfg(feature = "kissfft")]
impl BackendType for KissFft {
    const BACKEND: Backend = Backend::KissFft;
}

/// The default backend: FFTW when compiled in, else KissFFT.
///
/// ```
/// use arsenal_fft::{BackendType, DefaultFft, Planner};
/// let planner = Planner::new(DefaultFft::BACKEND)?;
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[cfg(feature = "fftw")]
pub type DefaultFft = Fftw;
/// The default backend: FFTW when compiled in, else KissFFT.
#[cfg(all(not(feature = "fftw"), feature = "kissfft"))]
pub type DefaultFft = KissFft;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
        assert_eq!(
            Backend::for_strategy(Strategy::Balanced),
            DefaultFft::BACKEND
        );
    }

    #[test]
    fn every_available_backend_transforms() {
        for backend in Backend::available() {
            let planner = backend.planner().unwrap();
            let plan = planner.real_forward::<f32>(4).unwrap();
            assert_eq!(plan.backend(), backend);
            let mut out = [Complex::default(); 3];
            plan.process(&[1.0, 2.0, 3.0, 4.0], &mut out).unwrap();
            assert_eq!(
                out,
                [
                    Complex::new(10.0, 0.0),
                    Complex::new(-2.0, 2.0),
                    Complex::new(-2.0, 0.0)
                ],
                "{backend}"
            );
            let err = plan.process(&[1.0; 5], &mut out).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Length);
            let err = planner
                .complex::<f32>(usize::MAX, Direction::Forward)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::TooLarge);
        }
    }
}
