//! FFT and DSP rows of the matrix: `fft/<op>/<dataset>/<impl>`, one thread.
//!
//! | op / dataset | what one iteration does |
//! |---|---|
//! | `c2c-f32/<n>`, `c2c-f64/<n>` | one forward complex transform of `n` points, out of place (n = 64, 1024, 16384, 65536, and 1000 = 2³·5³, 1009 prime) |
//! | `r2c-f32/<n>` | one forward real-to-complex transform of `n` samples into `n/2 + 1` bins |
//! | `c2r-f32/<n>` | one inverse complex-to-real transform (`n/2 + 1` bins into `n` samples) |
//! | `iir/<filter>-64k` | 65 536 samples through [`arsenal_fft::dsp`]: `biquad` (one RBJ low-pass), `butterworth8` (8th order, 4 sections), `peq6` (a six-band parametric EQ) |
//! | `fir/taps-<m>` | 65 536 samples through an `m`-tap FIR filter: `arsenal:direct` ([`arsenal_fft::dsp::Fir`]) against `arsenal:ola-fftw` / `arsenal:ola-kissfft` ([`arsenal_fft::dsp::OverlapAdd`] on that backend's real FFT); the crossover is the smallest `m` where overlap-add wins |
//!
//! **Units.** The transform rows count benchFFT's "mflops" as `items`: `5·n·log2(n)`
//! per complex transform and `2.5·n·log2(n)` per real one (rounded), so items/s ÷ 10⁶ is
//! benchFFT's mflops for every size, prime ones included (a scaled inverse time, not a
//! count of the operations done). The filter rows count samples (items/s ÷ 10⁶ =
//! Msamples/s).
//!
//! | impl | what runs |
//! |---|---|
//! | `arsenal:fftw`, `arsenal:kissfft` | an [`arsenal_fft::Planner`] plan (FFTW: `FFTW_MEASURE`), made on the first (verification) call, on 64-byte-aligned buffers ([`arsenal_fft::AlignedBuf`]) |
//! | `raw:fftw` | FFTW's own plan on `fftw(f)_malloc` arrays (`FFTW_MEASURE`, planned under [`arsenal_fft::with_fftw_planner`]), `fftw(f)_execute` |
//! | `raw:kissfft` | `kiss_fft` / `kiss_fftr` / `kiss_fftri` on a state from `kiss_fft(r)_alloc` |
//! | `peer:rustfft` | rustfft 6.4 (`FftPlanner`, its AVX path when the CPU has it): planned outside the timing, `process_immutable_with_scratch` (out of place, input kept — the contract of the other cells) with a reused scratch buffer |
//! | `peer:realfft` | realfft 3.5 on rustfft: `process_with_scratch` with reused scratch; realfft uses its input as scratch, so each `r2c` iteration first copies the input in (4 bytes per sample; the other `r2c` cells copy nothing) |
//!
//! `c2r` overwrites its input in FFTW and realfft, so every `c2r` cell but `raw:kissfft`
//! (whose `kiss_fftri` leaves it alone) copies the half spectrum in before each transform.
//!
//! KissFFT is float-only (Debian's `libkissfft-float`) and its real transforms take even
//! sizes: those cells are `unsupported`.
//!
//! **Verification** (outside the timing): every transform cell's output is compared with
//! rustfft's transform of the same input in `f64` (inputs are exact in `f32`), bin by
//! bin within `10·ε·⌈log2 n⌉·‖x‖₂` (the conformance suite's bound); the filter cells with
//! a plain `f64` evaluation (a Direct Form I biquad chain; a direct convolution), within
//! `1e-4` of the output's scale.
//!
//! **Memory** (`fft/memory/plan-c2c-f32-65536`): the heap a cached 65 536-point complex
//! plan holds (glibc's `mallinfo2` growth while it is made; for FFTW this includes the
//! wisdom it keeps), the evidence of `Strategy::MinimalMemory`.

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use arsenal_fft::dsp::{
    butterworth, Band, Cascade, Coefficients, Fir, OverlapAdd, ParametricEq, Pass,
};
use arsenal_fft::{half_len, AlignedBuf, Backend, Complex, Direction, Float, Planner};
use std::cell::RefCell;
use std::ffi::{c_int, c_void};
use std::rc::Rc;
use std::sync::Arc;

/// The first part of every cell id of this domain.
const NAME: &str = "fft";

/// The FFT and DSP domain.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "FFT and DSP",
    register: |reg, _data| register(reg),
    unit: |_op| Some(Unit::ItemsPerSecond),
    note: |_machine| Some(note()),
    memory: Memory::Before(memory_rows),
    select: Some(Selection {
        krate: "arsenal-fft",
        pick: crate::strategy::pick::<arsenal_fft::Backend>,
    }),
    ..Domain::EMPTY
};

fn note() -> String {
    format!(
        "transforms: items/s ÷ 10⁶ = benchFFT mflops (5·n·log2 n per complex, 2.5·n·log2 n per \
         real transform); filters: items are samples (items/s ÷ 10⁶ = Msamples/s). One thread. \
         {}, KissFFT 131 (libkissfft-float), rustfft 6.4, realfft 3.5",
        arsenal_fft::fftw_version()
    )
}

/// Complex transform sizes.
const C2C_SIZES: &[usize] = &[64, 1024, 16384, 65536, 1000, 1009];
/// Double-precision sizes.
const C2C_F64_SIZES: &[usize] = &[64, 1024, 65536, 1009];
/// Real transform sizes.
const REAL_SIZES: &[usize] = &[1024, 65536, 1000, 1009];
/// Samples per filter iteration.
const FILTER_SAMPLES: usize = 65536;
/// FIR tap counts (the crossover search).
const FIR_TAPS: &[usize] = &[4, 8, 16, 32, 64, 128, 256, 1024];
const FS: f64 = 48_000.0;

/// benchFFT's flop count: `5·n·log2 n` (complex) or `2.5·n·log2 n` (real), rounded.
pub fn mflop_items(n: usize, real: bool) -> u64 {
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    {
        let n = n as f64;
        let flops = 5.0 * n * n.log2();
        (if real { flops / 2.0 } else { flops }).round() as u64
    }
}

/// A deterministic signal in `[-1, 1]`, exact in `f32`.
fn signal(n: usize, seed: u64) -> Vec<Complex<f64>> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        #[allow(clippy::cast_precision_loss)]
        let v = (state >> 47) as f64 / 65536.0;
        v - 1.0
    };
    (0..n).map(|_| Complex::new(next(), next())).collect()
}

/// rustfft's forward transform in `f64`: the reference.
fn reference(x: &[Complex<f64>]) -> Vec<Complex<f64>> {
    let mut buf = x.to_vec();
    rustfft::FftPlanner::<f64>::new()
        .plan_fft_forward(x.len())
        .process(&mut buf);
    buf
}

fn log2_ceil(n: usize) -> f64 {
    f64::from(usize::BITS - n.saturating_sub(1).leading_zeros()).max(1.0)
}

/// Compares a spectrum (or, for c2r, a real signal as complex with zero imaginary
/// parts) with the reference, bin by bin within `10·ε·⌈log2 n⌉·‖x‖₂`.
fn check_bins<T: Float>(
    got: &[Complex<T>],
    want: &[Complex<f64>],
    n: usize,
    x_norm: f64,
) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!("{} bins, expected {}", got.len(), want.len()));
    }
    let bound = 10.0 * T::EPSILON * log2_ceil(n) * x_norm;
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        let err = (Complex::new(g.re.to_f64(), g.im.to_f64()) - w).norm();
        if err.is_nan() || err > bound {
            return Err(format!(
                "bin {k}: {g:?} vs {w:?} (error {err:e} > {bound:e})"
            ));
        }
    }
    Ok(())
}

fn norm2(x: &[Complex<f64>]) -> f64 {
    x.iter().map(Complex::norm_sqr).sum::<f64>().sqrt()
}

fn to_t<T: Float>(x: &[Complex<f64>]) -> Vec<Complex<T>> {
    x.iter()
        .map(|c| Complex::new(T::from_f64(c.re), T::from_f64(c.im)))
        .collect()
}

/// A cheap value of the output the harness keeps alive (no expected checksum: the
/// cells are verified by [`Case::verify`]).
fn touch<T: Float>(c: Complex<T>) -> u64 {
    c.re.to_f64().to_bits()
}

fn register(reg: &mut Registry) {
    for &n in C2C_SIZES {
        c2c_cases::<f32>(reg, n);
    }
    for &n in C2C_F64_SIZES {
        c2c_cases::<f64>(reg, n);
    }
    for &n in REAL_SIZES {
        r2c_cases(reg, n);
        c2r_cases(reg, n);
    }
    iir_cases(reg);
    for &taps in FIR_TAPS {
        fir_cases(reg, taps);
    }
}

/// The precision-specific parts of the raw FFTW cells and the peers.
trait Prec: Float + rustfft::FftNum {
    const RAW: raw::Precision;
}
impl Prec for f32 {
    const RAW: raw::Precision = raw::Precision::F32;
}
impl Prec for f64 {
    const RAW: raw::Precision = raw::Precision::F64;
}

fn c2c_cases<T: Prec>(reg: &mut Registry, n: usize) {
    let op = format!("c2c-{}", T::NAME);
    let dataset = n.to_string();
    let items = mflop_items(n, false);
    let x = signal(n, n as u64);
    let x_norm = norm2(&x);
    let input: Rc<Vec<Complex<T>>> = Rc::new(to_t::<T>(&x));
    let x = Rc::new(x);
    let want = Rc::new(RefCell::new(None::<Vec<Complex<f64>>>));
    // The reference, computed once on the first verification that needs it.
    let reference_of = {
        let (x, want) = (Rc::clone(&x), Rc::clone(&want));
        move || -> Vec<Complex<f64>> {
            want.borrow_mut()
                .get_or_insert_with(|| reference(&x))
                .clone()
        }
    };

    for backend in [Backend::Fftw, Backend::KissFft] {
        let imp = format!("arsenal:{}", backend.name());
        let planner = match Planner::new(backend) {
            Ok(p) => p,
            Err(e) => {
                reg.add(Case::failed(NAME, &op, &dataset, imp, e.to_string()));
                continue;
            }
        };
        if backend == Backend::KissFft && T::NAME == "f64" {
            reg.add(Case::unsupported(
                NAME,
                &op,
                &dataset,
                imp,
                "KissFFT is float-only (libkissfft-float)",
            ));
            continue;
        }
        let src = AlignedBuf::from_slice(&input);
        let out = Rc::new(RefCell::new(AlignedBuf::<Complex<T>>::zeroed(n)));
        let mut plan: Option<Arc<arsenal_fft::ComplexPlan<T>>> = None;
        let run_out = Rc::clone(&out);
        let check_out = Rc::clone(&out);
        let reference_of = reference_of.clone();
        reg.add(
            Case::new(NAME, &op, &dataset, imp, 0, items, move || {
                let plan = plan.get_or_insert_with(|| {
                    planner.complex::<T>(n, Direction::Forward).expect("plan")
                });
                let mut out = run_out.borrow_mut();
                plan.process(&src, &mut out).expect("lengths match");
                touch(out[1 % n])
            })
            .verify(move || check_bins(&check_out.borrow(), &reference_of(), n, x_norm)),
        );
    }

    // raw:fftw
    {
        let out = Rc::new(RefCell::new(Vec::new()));
        let check_out = Rc::clone(&out);
        let reference_of = reference_of.clone();
        let input = Rc::clone(&input);
        let mut plan: Option<raw::FftwPlan> = None;
        reg.add(
            Case::new(NAME, &op, &dataset, "raw:fftw", 0, items, move || {
                let plan = plan.get_or_insert_with(|| {
                    let plan = raw::FftwPlan::new(T::RAW, raw::Kind::C2c, n);
                    // SAFETY: the plan's input array holds n complex T (planned as such).
                    unsafe { plan.input::<Complex<T>>(n) }.copy_from_slice(&input);
                    plan
                });
                plan.execute();
                // SAFETY: the output array holds n complex T.
                let result = unsafe { plan.output::<Complex<T>>(n) };
                let first = touch(result[1 % n]);
                let mut out = out.borrow_mut();
                if out.is_empty() {
                    out.extend_from_slice(result);
                }
                first
            })
            .verify(move || check_bins(&check_out.borrow(), &reference_of(), n, x_norm)),
        );
    }

    // raw:kissfft
    if T::NAME == "f32" {
        let out = Rc::new(RefCell::new(vec![Complex::<f32>::default(); n]));
        let (run_out, check_out) = (Rc::clone(&out), Rc::clone(&out));
        let reference_of = reference_of.clone();
        let src: Vec<Complex<f32>> = to_t::<f32>(&x);
        let mut state: Option<raw::Kiss> = None;
        reg.add(
            Case::new(NAME, &op, &dataset, "raw:kissfft", 0, items, move || {
                let state = state.get_or_insert_with(|| raw::Kiss::complex(n));
                let mut out = run_out.borrow_mut();
                state.c2c(&src, &mut out);
                touch(out[1 % n])
            })
            .verify(move || check_bins(&check_out.borrow(), &reference_of(), n, x_norm)),
        );
    } else {
        reg.add(Case::unsupported(
            NAME,
            &op,
            &dataset,
            "raw:kissfft",
            "KissFFT is float-only (libkissfft-float)",
        ));
    }

    // peer:rustfft
    {
        let fft = rustfft::FftPlanner::<T>::new().plan_fft_forward(n);
        let mut scratch = vec![Complex::<T>::default(); fft.get_immutable_scratch_len()];
        let out = Rc::new(RefCell::new(AlignedBuf::<Complex<T>>::zeroed(n)));
        let (run_out, check_out) = (Rc::clone(&out), Rc::clone(&out));
        let src = AlignedBuf::from_slice(&input);
        reg.add(
            Case::new(NAME, &op, &dataset, "peer:rustfft", 0, items, move || {
                let mut out = run_out.borrow_mut();
                fft.process_immutable_with_scratch(&src, &mut out, &mut scratch);
                touch(out[1 % n])
            })
            .verify(move || check_bins(&check_out.borrow(), &reference_of(), n, x_norm)),
        );
    }
}

/// A real signal and the first `n/2 + 1` bins of its reference spectrum.
fn real_signal(n: usize) -> (Vec<f32>, Vec<Complex<f64>>, f64) {
    let x: Vec<Complex<f64>> = signal(n, 3 * n as u64)
        .into_iter()
        .map(|c| Complex::new(c.re, 0.0))
        .collect();
    let samples = x.iter().map(|c| f32::from_f64(c.re)).collect();
    let norm = norm2(&x);
    let mut spectrum = reference(&x);
    spectrum.truncate(half_len(n));
    (samples, spectrum, norm)
}

/// Registers one transform cell: `run` writes its result into `out` and returns the
/// checksum; the verification hands the same buffer to `check` (outside the timing).
fn add_output_cell<B: 'static>(
    reg: &mut Registry,
    (op, dataset, imp): (&str, &str, &str),
    items: u64,
    out: B,
    mut run: impl FnMut(&mut B) -> u64 + 'static,
    check: impl Fn(&B) -> Result<(), String> + 'static,
) {
    let out = Rc::new(RefCell::new(out));
    let run_out = Rc::clone(&out);
    reg.add(
        Case::new(NAME, op, dataset, imp, 0, items, move || {
            run(&mut run_out.borrow_mut())
        })
        .verify(move || check(&out.borrow())),
    );
}

/// Verifies one cell's output slice.
type OutputCheck<Out> = dyn Fn(&[Out]) -> Result<(), String>;

const KISS_REAL_EVEN: &str = "KissFFT's real transforms need an even size";

/// The real-transform cells of one direction: `arsenal:` FFTW and KissFFT through the
/// planner, `raw:` FFTW and KissFFT, `peer:realfft`. `In` is the transform's input
/// element, `Out` its output element; `check` verifies an output slice.
struct RealCells<In, Out> {
    op: &'static str,
    n: usize,
    input: Rc<Vec<In>>,
    out_len: usize,
    check: Rc<OutputCheck<Out>>,
}

impl<In: Copy + Default + 'static, Out: Copy + Default + 'static> RealCells<In, Out> {
    fn dataset(&self) -> String {
        self.n.to_string()
    }

    fn items(&self) -> u64 {
        mflop_items(self.n, true)
    }

    /// KissFFT's real transforms need an even size: `true` (after registering the
    /// unsupported cell) when `n` is odd.
    fn kiss_unsupported(&self, reg: &mut Registry, imp: &str) -> bool {
        if self.n.is_multiple_of(2) {
            return false;
        }
        let dataset = self.dataset();
        reg.add(Case::unsupported(
            NAME,
            self.op,
            &dataset,
            imp,
            KISS_REAL_EVEN,
        ));
        true
    }

    /// A cell whose output buffer `out` is filled by `run(input, out)`.
    fn add<B: std::ops::DerefMut<Target = [Out]> + 'static>(
        &self,
        reg: &mut Registry,
        imp: &str,
        out: B,
        mut run: impl FnMut(&[In], &mut [Out]) + 'static,
        checksum: fn(Out) -> u64,
    ) {
        let input = Rc::clone(&self.input);
        let check = Rc::clone(&self.check);
        add_output_cell(
            reg,
            (self.op, &self.dataset(), imp),
            self.items(),
            out,
            move |out| {
                run(&input, out);
                checksum(out[1])
            },
            move |out| check(out),
        );
    }

    /// The `raw:fftw` cell: FFTW's plan with its own arrays. The input is copied in when
    /// the plan is made, and again before every call only for c2r (FFTW's c2r destroys
    /// its input; r2c preserves it).
    fn add_raw_fftw(&self, reg: &mut Registry, kind: raw::Kind, checksum: fn(Out) -> u64) {
        let restore = matches!(kind, raw::Kind::C2r);
        let (n, in_len, out_len) = (self.n, self.input.len(), self.out_len);
        let input = Rc::clone(&self.input);
        let check = Rc::clone(&self.check);
        let mut plan: Option<raw::FftwPlan> = None;
        add_output_cell(
            reg,
            (self.op, &self.dataset(), "raw:fftw"),
            self.items(),
            Vec::new(),
            move |out| {
                let fresh = plan.is_none();
                let plan =
                    plan.get_or_insert_with(|| raw::FftwPlan::new(raw::Precision::F32, kind, n));
                if fresh || restore {
                    // SAFETY: the plan's input array holds `in_len` elements of `In` and
                    // its output `out_len` of `Out` (r2c: n floats in, n/2 + 1 complex
                    // out; c2r the reverse), as planned.
                    unsafe { plan.input::<In>(in_len) }.copy_from_slice(&input);
                }
                plan.execute();
                // SAFETY: as above.
                let result = unsafe { plan.output::<Out>(out_len) };
                if out.is_empty() {
                    out.extend_from_slice(result);
                }
                checksum(result[1])
            },
            move |out| check(out),
        );
    }
}

fn r2c_cases(reg: &mut Registry, n: usize) {
    let (samples, want, x_norm) = real_signal(n);
    let cells = RealCells::<f32, Complex<f32>> {
        op: "r2c-f32",
        n,
        input: Rc::new(samples),
        out_len: half_len(n),
        check: Rc::new(move |got| check_bins(got, &want, n, x_norm)),
    };
    for backend in [Backend::Fftw, Backend::KissFft] {
        let imp = format!("arsenal:{}", backend.name());
        if backend == Backend::KissFft && cells.kiss_unsupported(reg, &imp) {
            continue;
        }
        let planner = Planner::new(backend).expect("compiled in");
        let mut plan = None;
        let src = AlignedBuf::from_slice(&cells.input);
        cells.add(
            reg,
            &imp,
            AlignedBuf::zeroed(cells.out_len),
            move |_, out| {
                let plan: &mut Arc<_> =
                    plan.get_or_insert_with(|| planner.real_forward::<f32>(n).expect("plan"));
                plan.process(&src, out).expect("lengths match");
            },
            touch,
        );
    }
    cells.add_raw_fftw(reg, raw::Kind::R2c, touch);
    if !cells.kiss_unsupported(reg, "raw:kissfft") {
        let mut state: Option<raw::Kiss> = None;
        cells.add(
            reg,
            "raw:kissfft",
            vec![Complex::default(); cells.out_len],
            move |input, out| {
                state
                    .get_or_insert_with(|| raw::Kiss::real(n, false))
                    .r2c(input, out);
            },
            touch,
        );
    }
    let fft = realfft::RealFftPlanner::<f32>::new().plan_fft_forward(n);
    let mut scratch = fft.make_scratch_vec();
    let mut work = fft.make_input_vec();
    let out = fft.make_output_vec();
    cells.add(
        reg,
        "peer:realfft",
        out,
        move |input, out| {
            work.copy_from_slice(input);
            fft.process_with_scratch(&mut work, out, &mut scratch)
                .expect("lengths match");
        },
        touch,
    );
}

fn c2r_cases(reg: &mut Registry, n: usize) {
    // The input is a real signal's half spectrum (exact in f32 after rounding once); the
    // result must be n times the signal the spectrum was rounded from.
    let (_, spectrum64, _) = real_signal(n);
    let spectrum: Vec<Complex<f32>> = to_t::<f32>(&spectrum64);
    // Reference: the unnormalised inverse of the f32-rounded spectrum, in f64.
    let want: Vec<Complex<f64>> = {
        let mut full: Vec<Complex<f64>> = spectrum
            .iter()
            .map(|c| Complex::new(f64::from(c.re), f64::from(c.im)))
            .collect();
        full.resize(n, Complex::default());
        for k in half_len(n)..n {
            full[k] = full[n - k].conj();
        }
        // DC and (even n) Nyquist are real in a c2r input.
        full[0].im = 0.0;
        if n.is_multiple_of(2) {
            full[n / 2].im = 0.0;
        }
        let mut buf = full;
        rustfft::FftPlanner::<f64>::new()
            .plan_fft_inverse(n)
            .process(&mut buf);
        buf
    };
    let in_norm = spectrum
        .iter()
        .map(|c| f64::from(c.norm_sqr()))
        .sum::<f64>()
        .sqrt()
        * std::f64::consts::SQRT_2;
    let real_bits = |v: f32| v.to_f64().to_bits();
    let cells = RealCells::<Complex<f32>, f32> {
        op: "c2r-f32",
        n,
        input: Rc::new(spectrum),
        out_len: n,
        check: Rc::new(move |got| {
            let as_complex: Vec<Complex<f32>> = got.iter().map(|&v| Complex::new(v, 0.0)).collect();
            check_bins(&as_complex, &want, n, in_norm)
        }),
    };
    for backend in [Backend::Fftw, Backend::KissFft] {
        let imp = format!("arsenal:{}", backend.name());
        if backend == Backend::KissFft && cells.kiss_unsupported(reg, &imp) {
            continue;
        }
        let planner = Planner::new(backend).expect("compiled in");
        let mut plan = None;
        let mut work = AlignedBuf::from_slice(&cells.input);
        cells.add(
            reg,
            &imp,
            AlignedBuf::zeroed(cells.out_len),
            move |input, out| {
                let plan: &mut Arc<_> =
                    plan.get_or_insert_with(|| planner.real_inverse::<f32>(n).expect("plan"));
                // c2r overwrites its input (FFTW): restore it, as realfft's cell does.
                work.copy_from_slice(input);
                plan.process(&mut work, out).expect("lengths match");
            },
            real_bits,
        );
    }
    cells.add_raw_fftw(reg, raw::Kind::C2r, real_bits);
    if !cells.kiss_unsupported(reg, "raw:kissfft") {
        let mut state: Option<raw::Kiss> = None;
        cells.add(
            reg,
            "raw:kissfft",
            vec![0.0; cells.out_len],
            move |input, out| {
                state
                    .get_or_insert_with(|| raw::Kiss::real(n, true))
                    .c2r(input, out);
            },
            real_bits,
        );
    }
    let fft = realfft::RealFftPlanner::<f32>::new().plan_fft_inverse(n);
    let mut scratch = fft.make_scratch_vec();
    let mut work = fft.make_input_vec();
    let out = fft.make_output_vec();
    cells.add(
        reg,
        "peer:realfft",
        out,
        move |input, out| {
            work.copy_from_slice(input);
            // realfft insists on real DC/Nyquist bins; ours are (set above).
            work[0].im = 0.0;
            if n.is_multiple_of(2) {
                work[n / 2].im = 0.0;
            }
            fft.process_with_scratch(&mut work, out, &mut scratch)
                .expect("valid input");
        },
        real_bits,
    );
}

/// A Direct Form I `f64` evaluation of a chain of sections: the filters' reference.
fn iir_reference(sections: &[Coefficients], x: &[f32]) -> Vec<f64> {
    let mut y: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    for c in sections {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        for v in &mut y {
            let x0 = *v;
            let y0 = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
            (x2, x1, y2, y1) = (x1, x0, y1, y0);
            *v = y0;
        }
    }
    y
}

fn check_samples(got: &[f32], want: &[f64]) -> Result<(), String> {
    let scale = want.iter().fold(1e-30f64, |m, v| m.max(v.abs()));
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let err = (f64::from(*g) - w).abs();
        if err.is_nan() || err > 1e-4 * scale {
            return Err(format!("sample {i}: {g} vs {w} (scale {scale})"));
        }
    }
    if got.len() != want.len() {
        return Err(format!("{} samples, expected {}", got.len(), want.len()));
    }
    Ok(())
}

fn filter_input() -> Vec<f32> {
    signal(FILTER_SAMPLES, 11)
        .iter()
        .map(|c| f32::from_f64(c.re))
        .collect()
}

fn iir_cases(reg: &mut Registry) {
    let input = Rc::new(filter_input());
    let designs: Vec<(&str, Result<Cascade, arsenal_fft::Error>)> = vec![
        (
            "biquad-64k",
            Coefficients::lowpass(FS, 2_000.0, std::f64::consts::FRAC_1_SQRT_2)
                .map(|c| Cascade::new([c])),
        ),
        ("butterworth8-64k", butterworth(Pass::Low, 8, FS, 2_000.0)),
        (
            "peq6-64k",
            ParametricEq::new(
                FS,
                &[
                    Band {
                        freq: 60.0,
                        q: 0.7,
                        gain_db: 4.0,
                    },
                    Band {
                        freq: 250.0,
                        q: 1.0,
                        gain_db: -3.0,
                    },
                    Band {
                        freq: 1_000.0,
                        q: 1.4,
                        gain_db: 2.0,
                    },
                    Band {
                        freq: 3_500.0,
                        q: 2.0,
                        gain_db: -6.0,
                    },
                    Band {
                        freq: 8_000.0,
                        q: 1.0,
                        gain_db: 3.0,
                    },
                    Band {
                        freq: 14_000.0,
                        q: 0.7,
                        gain_db: -2.0,
                    },
                ],
            )
            .map(|eq| eq.cascade().clone()),
        ),
    ];
    for (dataset, design) in designs {
        let cascade = match design {
            Ok(c) => c,
            Err(e) => {
                reg.add(Case::failed(
                    NAME,
                    "iir",
                    dataset,
                    "arsenal:native",
                    e.to_string(),
                ));
                continue;
            }
        };
        let sections = cascade.coefficients();
        let out = Rc::new(RefCell::new(Vec::<f32>::new()));
        let (run_out, check_out) = (Rc::clone(&out), Rc::clone(&out));
        let input = Rc::clone(&input);
        let check_input = Rc::clone(&input);
        let mut filter = cascade;
        let mut first = true;
        reg.add(
            Case::new(
                NAME,
                "iir",
                dataset,
                "arsenal:native",
                0,
                FILTER_SAMPLES as u64,
                move || {
                    let mut out = run_out.borrow_mut();
                    if first {
                        // The verified call starts from zero state; later ones continue the stream.
                        filter.reset();
                        first = false;
                    }
                    out.clear();
                    out.extend_from_slice(&input);
                    filter.process(&mut out);
                    out[1].to_f64().to_bits()
                },
            )
            .verify(move || {
                check_samples(&check_out.borrow(), &iir_reference(&sections, &check_input))
            }),
        );
    }
}

fn fir_taps(m: usize) -> Vec<f32> {
    // A windowed-sinc low-pass at a quarter of the sample rate.
    let window = arsenal_fft::dsp::window::hann(m, arsenal_fft::dsp::window::Symmetry::Symmetric);
    #[allow(clippy::cast_precision_loss)]
    let mid = (m as f64 - 1.0) / 2.0;
    (0..m)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = i as f64 - mid;
            let sinc = if t == 0.0 {
                0.5
            } else {
                (std::f64::consts::PI * 0.5 * t).sin() / (std::f64::consts::PI * t)
            };
            f32::from_f64(sinc) * window[i].max(if m == 1 { 1.0 } else { 0.0 })
        })
        .collect()
}

fn fir_reference(x: &[f32], h: &[f32]) -> Vec<f64> {
    (0..x.len())
        .map(|n| {
            (0..h.len().min(n + 1))
                .map(|k| f64::from(h[k]) * f64::from(x[n - k]))
                .sum()
        })
        .collect()
}

fn fir_cases(reg: &mut Registry, m: usize) {
    let dataset = format!("taps-{m}");
    let input = Rc::new(filter_input());
    let taps = Rc::new(fir_taps(m));
    let reference = Rc::new(RefCell::new(None::<Vec<f64>>));
    let want = {
        let (input, taps, reference) = (Rc::clone(&input), Rc::clone(&taps), Rc::clone(&reference));
        move || -> Vec<f64> {
            reference
                .borrow_mut()
                .get_or_insert_with(|| fir_reference(&input, &taps))
                .clone()
        }
    };
    type Filter = Box<dyn FnMut(&[f32], &mut [f32])>;
    let mut impls: Vec<(String, Result<Filter, String>)> = Vec::new();
    impls.push((
        "arsenal:direct".to_owned(),
        Fir::new(&taps)
            .map(|mut fir| {
                Box::new(move |x: &[f32], y: &mut [f32]| fir.process(x, y).expect("lengths"))
                    as Filter
            })
            .map_err(|e| e.to_string()),
    ));
    for backend in [Backend::Fftw, Backend::KissFft] {
        let made = Planner::new(backend)
            .and_then(|planner| OverlapAdd::new(&planner, &taps))
            .map(|mut ola| {
                Box::new(move |x: &[f32], y: &mut [f32]| ola.process(x, y).expect("lengths"))
                    as Filter
            })
            .map_err(|e| e.to_string());
        impls.push((format!("arsenal:ola-{}", backend.name()), made));
    }
    for (imp, made) in impls {
        let mut filter = match made {
            Ok(f) => f,
            Err(e) => {
                reg.add(Case::failed(NAME, "fir", &dataset, imp, e));
                continue;
            }
        };
        let out = Rc::new(RefCell::new(vec![0.0f32; FILTER_SAMPLES]));
        let (run_out, check_out) = (Rc::clone(&out), Rc::clone(&out));
        let input = Rc::clone(&input);
        let want = want.clone();
        reg.add(
            Case::new(
                NAME,
                "fir",
                &dataset,
                imp,
                0,
                FILTER_SAMPLES as u64,
                move || {
                    let mut out = run_out.borrow_mut();
                    filter(&input, &mut out);
                    out[1].to_f64().to_bits()
                },
            )
            // Only the first call starts from zero state; it is the one verified.
            .verify(move || check_samples(&check_out.borrow(), &want())),
        );
    }
}

/// The memory rows: heap held by one cached 65 536-point `c2c-f32` plan.
pub fn memory_rows() -> Vec<MemoryRow> {
    const N: usize = 65536;
    let what = "one 65 536-point complex f32 forward plan, cached (heap growth while it is made)"
        .to_owned();
    let mut rows = Vec::new();
    let mut push = |imp: String, bytes: Option<usize>| {
        #[allow(clippy::cast_precision_loss)]
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "plan-c2c-f32-65536".to_owned(),
            what: what.clone(),
            imp,
            items: 1,
            bytes_per_item: bytes.map(|b| b as f64),
        });
    };
    for backend in [Backend::Fftw, Backend::KissFft] {
        let held = held_by(|| {
            let planner = Planner::new(backend).ok()?;
            let plan = planner.complex::<f32>(N, Direction::Forward).ok()?;
            Some((planner, plan))
        });
        push(format!("arsenal:{}", backend.name()), held.map(|(_, b)| b));
    }
    let held = held_by(|| Some(rustfft::FftPlanner::<f32>::new().plan_fft_forward(N)));
    push("peer:rustfft".to_owned(), held.map(|(_, b)| b));
    rows
}

/// Direct calls into FFTW and KissFFT for the `raw:` cells.
mod raw {
    use super::*;
    use arsenal_fftw_sys as fftw;
    use arsenal_kissfft_sys as kiss;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Precision {
        F32,
        F64,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Kind {
        C2c,
        R2c,
        C2r,
    }

    /// An FFTW plan with its own `fftw_malloc` arrays, as FFTW's manual uses them.
    pub struct FftwPlan {
        precision: Precision,
        plan: *mut c_void,
        input: *mut c_void,
        output: *mut c_void,
    }

    impl FftwPlan {
        pub fn new(precision: Precision, kind: Kind, n: usize) -> FftwPlan {
            let real = match precision {
                Precision::F32 => 4,
                Precision::F64 => 8,
            };
            let (in_reals, out_reals) = match kind {
                Kind::C2c => (2 * n, 2 * n),
                Kind::R2c => (n, 2 * half_len(n)),
                Kind::C2r => (2 * half_len(n), n),
            };
            let n_c = c_int::try_from(n).expect("bench sizes fit int");
            arsenal_fft::with_fftw_planner(|| {
                // SAFETY: fftw(f)_malloc'ed arrays of the sizes the plan needs, planned
                // under the planner lock; null checks below.
                unsafe {
                    let (input, output) = match precision {
                        Precision::F32 => (
                            fftw::fftwf_malloc(in_reals * real),
                            fftw::fftwf_malloc(out_reals * real),
                        ),
                        Precision::F64 => (
                            fftw::fftw_malloc(in_reals * real),
                            fftw::fftw_malloc(out_reals * real),
                        ),
                    };
                    assert!(!input.is_null() && !output.is_null(), "fftw_malloc failed");
                    let flags = fftw::FFTW_MEASURE;
                    let plan: *mut c_void = match (precision, kind) {
                        (Precision::F32, Kind::C2c) => fftw::fftwf_plan_dft_1d(
                            n_c,
                            input.cast(),
                            output.cast(),
                            fftw::FFTW_FORWARD,
                            flags,
                        )
                        .cast(),
                        (Precision::F64, Kind::C2c) => fftw::fftw_plan_dft_1d(
                            n_c,
                            input.cast(),
                            output.cast(),
                            fftw::FFTW_FORWARD,
                            flags,
                        )
                        .cast(),
                        (Precision::F32, Kind::R2c) => {
                            fftw::fftwf_plan_dft_r2c_1d(n_c, input.cast(), output.cast(), flags)
                                .cast()
                        }
                        (Precision::F64, Kind::R2c) => {
                            fftw::fftw_plan_dft_r2c_1d(n_c, input.cast(), output.cast(), flags)
                                .cast()
                        }
                        (Precision::F32, Kind::C2r) => {
                            fftw::fftwf_plan_dft_c2r_1d(n_c, input.cast(), output.cast(), flags)
                                .cast()
                        }
                        (Precision::F64, Kind::C2r) => {
                            fftw::fftw_plan_dft_c2r_1d(n_c, input.cast(), output.cast(), flags)
                                .cast()
                        }
                    };
                    assert!(!plan.is_null(), "FFTW made no plan");
                    FftwPlan {
                        precision,
                        plan,
                        input,
                        output,
                    }
                }
            })
        }

        /// The input array as `len` elements of `T`.
        ///
        /// # Safety
        /// The array holds at least `len` `T`s (as planned).
        #[allow(clippy::mut_from_ref)]
        pub unsafe fn input<T>(&self, len: usize) -> &mut [T] {
            // SAFETY: the caller's contract; the array lives as long as the plan.
            unsafe { std::slice::from_raw_parts_mut(self.input.cast(), len) }
        }

        /// The output array as `len` elements of `T`.
        ///
        /// # Safety
        /// As for [`FftwPlan::input`].
        pub unsafe fn output<T>(&self, len: usize) -> &[T] {
            // SAFETY: the caller's contract.
            unsafe { std::slice::from_raw_parts(self.output.cast(), len) }
        }

        pub fn execute(&self) {
            // SAFETY: a live plan on its own arrays.
            unsafe {
                match self.precision {
                    Precision::F32 => fftw::fftwf_execute(self.plan.cast()),
                    Precision::F64 => fftw::fftw_execute(self.plan.cast()),
                }
            }
        }
    }

    impl Drop for FftwPlan {
        fn drop(&mut self) {
            arsenal_fft::with_fftw_planner(|| {
                // SAFETY: destroyed and freed once, under the planner lock.
                unsafe {
                    match self.precision {
                        Precision::F32 => {
                            fftw::fftwf_destroy_plan(self.plan.cast());
                            fftw::fftwf_free(self.input);
                            fftw::fftwf_free(self.output);
                        }
                        Precision::F64 => {
                            fftw::fftw_destroy_plan(self.plan.cast());
                            fftw::fftw_free(self.input);
                            fftw::fftw_free(self.output);
                        }
                    }
                }
            });
        }
    }

    /// A KissFFT state (complex or real).
    pub struct Kiss {
        cfg: *mut c_void,
        real: bool,
    }

    impl Kiss {
        pub fn complex(n: usize) -> Kiss {
            let n = c_int::try_from(n).expect("fits");
            // SAFETY: library-allocated state, checked below.
            let cfg =
                unsafe { kiss::kiss_fft_alloc(n, 0, std::ptr::null_mut(), std::ptr::null_mut()) };
            assert!(!cfg.is_null());
            Kiss {
                cfg: cfg.cast(),
                real: false,
            }
        }

        pub fn real(n: usize, inverse: bool) -> Kiss {
            let n = c_int::try_from(n).expect("fits");
            // SAFETY: library-allocated state, checked below.
            let cfg = unsafe {
                kiss::kiss_fftr_alloc(
                    n,
                    c_int::from(inverse),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            assert!(!cfg.is_null());
            Kiss {
                cfg: cfg.cast(),
                real: true,
            }
        }

        pub fn c2c(&mut self, input: &[Complex<f32>], output: &mut [Complex<f32>]) {
            assert!(!self.real && input.len() == output.len());
            // SAFETY: a complex state of this length; layout-compatible arrays.
            unsafe {
                kiss::kiss_fft(
                    self.cfg.cast(),
                    input.as_ptr().cast(),
                    output.as_mut_ptr().cast(),
                )
            }
        }

        pub fn r2c(&mut self, input: &[f32], output: &mut [Complex<f32>]) {
            assert!(self.real && output.len() == half_len(input.len()));
            // SAFETY: a forward real state of this length.
            unsafe { kiss::kiss_fftr(self.cfg.cast(), input.as_ptr(), output.as_mut_ptr().cast()) }
        }

        pub fn c2r(&mut self, input: &[Complex<f32>], output: &mut [f32]) {
            assert!(self.real && input.len() == half_len(output.len()));
            // SAFETY: an inverse real state of this length.
            unsafe { kiss::kiss_fftri(self.cfg.cast(), input.as_ptr().cast(), output.as_mut_ptr()) }
        }
    }

    impl Drop for Kiss {
        fn drop(&mut self) {
            // SAFETY: malloc'ed by kiss_fft(r)_alloc, freed once.
            unsafe { kiss::free(self.cfg) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mflops_items_follow_benchfft() {
        assert_eq!(mflop_items(1024, false), 51_200);
        assert_eq!(mflop_items(1024, true), 25_600);
    }

    #[test]
    fn every_cell_is_verified_or_unsupported() {
        let mut reg = Registry::new();
        register(&mut reg);
        for case in reg.cases() {
            assert!(
                case.check.is_some() || case.unsupported,
                "{} has no verification",
                case.id()
            );
        }
        assert!(reg.ids().iter().any(|id| id == "fft/c2c-f32/1024/raw:fftw"));
    }
}
