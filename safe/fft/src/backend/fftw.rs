//! FFTW 3.3 (Debian's `libfftw3-dev`, declared in `arsenal-fftw-sys`).
//!
//! Each plan is made once, on scratch arrays from `fftw_malloc` (so `FFTW_MEASURE` can
//! overwrite them), and then run on the caller's buffers with FFTW's new-array execute
//! functions. FFTW requires those buffers to have the same SIMD alignment
//! (`fftw_alignment_of`) as the planning arrays: the main plan is made for fully aligned
//! buffers ([`AlignedBuf`](crate::AlignedBuf), or any allocation that happens to be
//! aligned); a buffer pair with another alignment gets its own plan, made on first use on
//! scratch arrays offset by the same amount and kept with the main one. Nothing is copied.
//!
//! Threading (FFTW manual, "Thread safety"): only the execute functions are thread-safe.
//! Every planner call and every `fftw_destroy_plan` here runs under one process-wide
//! lock, [`with_fftw_planner`], which other FFTW users in the process should take too.

use super::{C2cKernel, C2rKernel, R2cKernel};
use crate::error::{Error, ErrorKind, Result};
use crate::{half_len, Complex, Direction, Rigor};
use arsenal_fftw_sys as ffi;
use std::ffi::{c_int, c_uint, c_void};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::{Mutex, OnceLock, PoisonError};

const NAME: &str = "fftw";

static PLANNER: Mutex<()> = Mutex::new(());

/// Runs `f` holding the lock this crate takes around every FFTW planner call and plan
/// destruction (FFTW's planner is not thread-safe). Code that calls FFTW's planner
/// directly in a process that also uses this crate should plan inside it.
///
/// ```
/// let version = arsenal_fft::with_fftw_planner(|| 3);
/// assert_eq!(version, 3);
/// ```
pub fn with_fftw_planner<R>(f: impl FnOnce() -> R) -> R {
    // The lock guards no data, so a poisoned lock is as good as any.
    let _guard = PLANNER.lock().unwrap_or_else(PoisonError::into_inner);
    f()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    C2c(Direction),
    R2c,
    C2r,
}

/// The double- or single-precision half of FFTW's API.
pub(crate) trait Precision: Copy + Send + Sync + 'static {
    /// # Safety
    /// `input` and `output` point to distinct arrays of the sizes `kind` and `n` need.
    unsafe fn plan(
        kind: Kind,
        n: c_int,
        input: *mut u8,
        output: *mut u8,
        flags: c_uint,
    ) -> *mut c_void;
    /// # Safety
    /// `plan` is live, made for `kind`, and the arrays are as for [`Precision::plan`] with
    /// the plan's alignments.
    unsafe fn execute(kind: Kind, plan: *mut c_void, input: *mut u8, output: *mut u8);
    /// # Safety
    /// `plan` is live; the planner lock is held.
    unsafe fn destroy(plan: *mut c_void);
    /// # Safety
    /// Any size; the result may be null.
    unsafe fn malloc(bytes: usize) -> *mut u8;
    /// # Safety
    /// `p` came from [`Precision::malloc`].
    unsafe fn free(p: *mut u8);
    /// # Safety
    /// Only the address is read.
    unsafe fn alignment_of(p: *mut u8) -> c_int;
    /// Where [`simd_alignment`] keeps its answer for this precision.
    fn alignment_cache() -> &'static OnceLock<Option<usize>>;
}

/// FFTW's SIMD alignment `A` when `fftw_alignment_of(p)` is `p mod A` for a power of two
/// `A ≤ 64` (FFTW 3.3's definition), probed once: the hot path then computes it inline
/// instead of calling into the library twice per transform. `None` (never seen) keeps
/// the library call.
fn simd_alignment<P: Precision>() -> Option<usize> {
    *P::alignment_cache().get_or_init(|| {
        let scratch = Scratch::<P>::new(4 * SLACK).ok()?;
        // The first 64-byte boundary inside the allocation.
        let offset = scratch.base.align_offset(SLACK);
        let probe = |delta: usize| -> c_int {
            // SAFETY: offset + delta < 4·SLACK stays inside the allocation; only the
            // address is read.
            unsafe { P::alignment_of(scratch.base.add(offset + delta)) }
        };
        let alignment = [8usize, 16, 32, 64].into_iter().find(|&a| probe(a) == 0)?;
        // Check the modulo form on every multiple of the element size below 2·SLACK.
        (0..2 * SLACK)
            .step_by(std::mem::size_of::<P>())
            .all(|d| usize::try_from(probe(d)).ok() == Some(d % alignment))
            .then_some(alignment)
    })
}

/// `fftw_alignment_of(p)`, inline when [`simd_alignment`] knows its form.
fn alignment_of<P: Precision>(p: *mut u8) -> c_int {
    match simd_alignment::<P>() {
        // The remainder is below 64: it fits.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        Some(a) => (p as usize % a) as c_int,
        // SAFETY: only the address is read.
        None => unsafe { P::alignment_of(p) },
    }
}

macro_rules! precision {
    ($t:ty, $plan_dft:ident, $plan_r2c:ident, $plan_c2r:ident, $exec_dft:ident, $exec_r2c:ident,
     $exec_c2r:ident, $destroy:ident, $malloc:ident, $free:ident, $align:ident) => {
        impl Precision for $t {
            unsafe fn plan(
                kind: Kind,
                n: c_int,
                input: *mut u8,
                output: *mut u8,
                flags: c_uint,
            ) -> *mut c_void {
                // SAFETY: the caller's contract; FFTW reads the sizes from `n` and `kind`.
                unsafe {
                    match kind {
                        Kind::C2c(direction) => {
                            let sign = match direction {
                                Direction::Forward => ffi::FFTW_FORWARD,
                                Direction::Inverse => ffi::FFTW_BACKWARD,
                            };
                            ffi::$plan_dft(n, input.cast(), output.cast(), sign, flags).cast()
                        }
                        Kind::R2c => ffi::$plan_r2c(n, input.cast(), output.cast(), flags).cast(),
                        Kind::C2r => ffi::$plan_c2r(n, input.cast(), output.cast(), flags).cast(),
                    }
                }
            }
            unsafe fn execute(kind: Kind, plan: *mut c_void, input: *mut u8, output: *mut u8) {
                // SAFETY: the caller's contract.
                unsafe {
                    match kind {
                        Kind::C2c(_) => ffi::$exec_dft(plan.cast(), input.cast(), output.cast()),
                        Kind::R2c => ffi::$exec_r2c(plan.cast(), input.cast(), output.cast()),
                        Kind::C2r => ffi::$exec_c2r(plan.cast(), input.cast(), output.cast()),
                    }
                }
            }
            unsafe fn destroy(plan: *mut c_void) {
                // SAFETY: the caller's contract.
                unsafe { ffi::$destroy(plan.cast()) }
            }
            unsafe fn malloc(bytes: usize) -> *mut u8 {
                // SAFETY: fftw_malloc accepts any size and returns null on failure.
                unsafe { ffi::$malloc(bytes).cast() }
            }
            unsafe fn free(p: *mut u8) {
                // SAFETY: the caller's contract.
                unsafe { ffi::$free(p.cast()) }
            }
            unsafe fn alignment_of(p: *mut u8) -> c_int {
                // SAFETY: fftw_alignment_of only computes with the address.
                unsafe { ffi::$align(p.cast()) }
            }
            fn alignment_cache() -> &'static OnceLock<Option<usize>> {
                static CACHE: OnceLock<Option<usize>> = OnceLock::new();
                &CACHE
            }
        }
    };
}

precision!(
    f64,
    fftw_plan_dft_1d,
    fftw_plan_dft_r2c_1d,
    fftw_plan_dft_c2r_1d,
    fftw_execute_dft,
    fftw_execute_dft_r2c,
    fftw_execute_dft_c2r,
    fftw_destroy_plan,
    fftw_malloc,
    fftw_free,
    fftw_alignment_of
);
precision!(
    f32,
    fftwf_plan_dft_1d,
    fftwf_plan_dft_r2c_1d,
    fftwf_plan_dft_c2r_1d,
    fftwf_execute_dft,
    fftwf_execute_dft_r2c,
    fftwf_execute_dft_c2r,
    fftwf_destroy_plan,
    fftwf_malloc,
    fftwf_free,
    fftwf_alignment_of
);

/// One FFTW plan and the alignments (bytes modulo FFTW's SIMD alignment) of the arrays
/// it was made for.
struct RawPlan {
    plan: NonNull<c_void>,
    in_align: c_int,
    out_align: c_int,
}

/// A transform of one kind and length: the plan for aligned buffers and those made for
/// other alignments.
pub(crate) struct Plan<P: Precision> {
    kind: Kind,
    n: usize,
    rigor: Rigor,
    main: RawPlan,
    others: Mutex<Vec<RawPlan>>,
    _precision: PhantomData<P>,
}

// SAFETY: FFTW's manual ("Thread safety", "New-array Execute Functions"): the execute
// functions are thread-safe and a plan may run on different arrays from several threads
// at once; a plan is never changed after planning; planning and destruction run under
// the process-wide PLANNER lock, and `others` is behind its own mutex.
unsafe impl<P: Precision> Send for Plan<P> {}
// SAFETY: as for `Send`: `&Plan` only executes plans (thread-safe) or locks `others`.
unsafe impl<P: Precision> Sync for Plan<P> {}

/// Element counts of the input and output arrays, in reals.
fn reals(kind: Kind, n: usize) -> (usize, usize) {
    match kind {
        Kind::C2c(_) => (2 * n, 2 * n),
        Kind::R2c => (n, 2 * half_len(n)),
        Kind::C2r => (2 * half_len(n), n),
    }
}

/// Scratch arrays for the planner, freed on drop.
struct Scratch<P: Precision> {
    base: *mut u8,
    _precision: PhantomData<P>,
}

impl<P: Precision> Scratch<P> {
    fn new(bytes: usize) -> Result<Self> {
        // SAFETY: any size; null is checked.
        let base = unsafe { P::malloc(bytes) };
        if base.is_null() {
            return Err(Error::new(
                ErrorKind::Init,
                NAME,
                format!("fftw_malloc({bytes}) failed"),
            ));
        }
        Ok(Scratch {
            base,
            _precision: PhantomData,
        })
    }
}

impl<P: Precision> Drop for Scratch<P> {
    fn drop(&mut self) {
        // SAFETY: from P::malloc, freed once.
        unsafe { P::free(self.base) }
    }
}

/// Slack so an array can start at any offset below FFTW's alignment (at most 64 bytes).
const SLACK: usize = 64;

fn make<P: Precision>(
    kind: Kind,
    n: usize,
    rigor: Rigor,
    in_align: c_int,
    out_align: c_int,
) -> Result<RawPlan> {
    let n_c = c_int::try_from(n).map_err(|_| {
        Error::new(
            ErrorKind::TooLarge,
            NAME,
            format!("length {n} does not fit int"),
        )
    })?;
    let real = std::mem::size_of::<P>();
    let (in_reals, out_reals) = reals(kind, n);
    let too_large = || {
        Error::new(
            ErrorKind::TooLarge,
            NAME,
            format!("length {n}: arrays overflow"),
        )
    };
    let in_bytes = in_reals
        .checked_mul(real)
        .and_then(|b| b.checked_add(SLACK))
        .ok_or_else(too_large)?;
    let out_bytes = out_reals
        .checked_mul(real)
        .and_then(|b| b.checked_add(SLACK))
        .ok_or_else(too_large)?;
    let offset = |align: c_int| usize::try_from(align).ok().filter(|&a| a < SLACK);
    let (Some(in_off), Some(out_off)) = (offset(in_align), offset(out_align)) else {
        return Err(Error::new(
            ErrorKind::Init,
            NAME,
            format!("unexpected alignment {in_align}/{out_align}"),
        ));
    };
    let flags = match rigor {
        Rigor::Estimate => ffi::FFTW_ESTIMATE,
        Rigor::Measure => ffi::FFTW_MEASURE,
    } | match kind {
        // c2r cannot preserve its input cheaply (FFTW's default for it is to destroy).
        Kind::C2r => ffi::FFTW_DESTROY_INPUT,
        _ => ffi::FFTW_PRESERVE_INPUT,
    };
    with_fftw_planner(|| {
        let input = Scratch::<P>::new(in_bytes)?;
        let output = Scratch::<P>::new(out_bytes)?;
        // SAFETY: the offsets are below SLACK, inside the allocations.
        let (ip, op) = unsafe { (input.base.add(in_off), output.base.add(out_off)) };
        // SAFETY: only addresses are read.
        let got = unsafe { (P::alignment_of(ip), P::alignment_of(op)) };
        if got != (in_align, out_align) {
            return Err(Error::new(
                ErrorKind::Init,
                NAME,
                format!("could not place planning arrays at alignment {in_align}/{out_align} (got {got:?})"),
            ));
        }
        // SAFETY: distinct arrays of the sizes `kind` and `n` need (plus slack); the
        // planner lock is held. MEASURE may overwrite them: they are scratch.
        let plan = unsafe { P::plan(kind, n_c, ip, op, flags) };
        let plan = NonNull::new(plan).ok_or_else(|| {
            Error::new(
                ErrorKind::Init,
                NAME,
                format!("FFTW made no plan for {kind:?} n={n}"),
            )
        })?;
        Ok(RawPlan {
            plan,
            in_align,
            out_align,
        })
    })
}

impl<P: Precision> Plan<P> {
    fn new(kind: Kind, n: usize, rigor: Rigor) -> Result<Self> {
        let main = make::<P>(kind, n, rigor, 0, 0)?;
        Ok(Plan {
            kind,
            n,
            rigor,
            main,
            others: Mutex::new(Vec::new()),
            _precision: PhantomData,
        })
    }

    pub(crate) fn c2c(n: usize, direction: Direction, rigor: Rigor) -> Result<Self> {
        Self::new(Kind::C2c(direction), n, rigor)
    }

    pub(crate) fn r2c(n: usize, rigor: Rigor) -> Result<Self> {
        Self::new(Kind::R2c, n, rigor)
    }

    pub(crate) fn c2r(n: usize, rigor: Rigor) -> Result<Self> {
        Self::new(Kind::C2r, n, rigor)
    }

    /// Runs the plan for the arrays' alignment. The caller has checked the lengths
    /// against `reals(kind, n)`; the arrays are distinct (a `&` and a `&mut`).
    fn execute(&self, input: *mut u8, output: *mut u8) -> Result<()> {
        let align = (alignment_of::<P>(input), alignment_of::<P>(output));
        if align == (self.main.in_align, self.main.out_align) {
            // SAFETY: a live plan of this kind and size, arrays of the planned sizes,
            // alignments and placement (out of place).
            unsafe { P::execute(self.kind, self.main.plan.as_ptr(), input, output) };
            return Ok(());
        }
        let mut others = self.others.lock().unwrap_or_else(PoisonError::into_inner);
        let index = match others
            .iter()
            .position(|p| (p.in_align, p.out_align) == align)
        {
            Some(i) => i,
            None => {
                others.push(make::<P>(self.kind, self.n, self.rigor, align.0, align.1)?);
                others.len() - 1
            }
        };
        // SAFETY: as above, with the plan made for these alignments.
        unsafe { P::execute(self.kind, others[index].plan.as_ptr(), input, output) };
        Ok(())
    }
}

impl<P: Precision> Drop for Plan<P> {
    fn drop(&mut self) {
        let others = std::mem::take(
            self.others
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        with_fftw_planner(|| {
            for raw in std::iter::once(&self.main).chain(&others) {
                // SAFETY: each plan is live and destroyed once, under the planner lock.
                unsafe { P::destroy(raw.plan.as_ptr()) };
            }
        });
    }
}

impl<P: Precision> C2cKernel<P> for Plan<P> {
    fn run(&self, input: &[Complex<P>], output: &mut [Complex<P>]) -> Result<()> {
        debug_assert!(input.len() == self.n && output.len() == self.n);
        // FFTW_PRESERVE_INPUT: the input is only read despite the `*mut`.
        self.execute(input.as_ptr().cast_mut().cast(), output.as_mut_ptr().cast())
    }
}

impl<P: Precision> R2cKernel<P> for Plan<P> {
    fn run(&self, input: &[P], output: &mut [Complex<P>]) -> Result<()> {
        debug_assert!(input.len() == self.n && output.len() == half_len(self.n));
        // FFTW_PRESERVE_INPUT: the input is only read despite the `*mut`.
        self.execute(input.as_ptr().cast_mut().cast(), output.as_mut_ptr().cast())
    }
}

impl<P: Precision> C2rKernel<P> for Plan<P> {
    fn run(&self, input: &mut [Complex<P>], output: &mut [P]) -> Result<()> {
        debug_assert!(input.len() == half_len(self.n) && output.len() == self.n);
        self.execute(input.as_mut_ptr().cast(), output.as_mut_ptr().cast())
    }
}

/// Single precision (`libfftw3f`).
pub(crate) type F32 = Plan<f32>;
/// Double precision (`libfftw3`).
pub(crate) type F64 = Plan<f64>;

/// The linked FFTW's version string (its `fftw_version`), e.g. `fftw-3.3.10-sse2-avx`.
///
/// ```
/// assert!(arsenal_fft::fftw_version().starts_with("fftw-3.3"));
/// ```
pub fn fftw_version() -> String {
    // SAFETY: `fftw_version` is a NUL-terminated string constant of the library.
    unsafe { std::ffi::CStr::from_ptr(&ffi::fftw_version) }
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_alignment_matches_the_library() {
        // Debian's SSE2/AVX build: 16- or 32-byte SIMD alignment.
        let a32 = simd_alignment::<f32>().expect("fftwf_alignment_of is p mod A");
        let a64 = simd_alignment::<f64>().expect("fftw_alignment_of is p mod A");
        assert!(
            [16, 32, 64].contains(&a32) && [16, 32, 64].contains(&a64),
            "{a32} {a64}"
        );
        let buf = vec![0f64; 64];
        for i in 0..32 {
            let p = buf[i..].as_ptr().cast_mut().cast::<u8>();
            // SAFETY: only the address is read.
            assert_eq!(alignment_of::<f64>(p), unsafe {
                <f64 as Precision>::alignment_of(p)
            });
            // SAFETY: as above.
            assert_eq!(alignment_of::<f32>(p), unsafe {
                <f32 as Precision>::alignment_of(p)
            });
        }
    }
}
