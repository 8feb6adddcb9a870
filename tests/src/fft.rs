//! The FFT conformance suite (`arsenal-fft`), run once per backend by
//! [`fft_conformance!`](crate::fft_conformance).
//!
//! Accuracy is checked against a naive DFT computed in `f64` (exact twiddles from a table
//! indexed by `jk mod n`) on inputs in `[-1, 1]` that are exact in `f32`, so both
//! precisions transform the same numbers. The bound, for every output bin `k`:
//!
//! `|X̂_k − X_k| ≤ C · ε · max(1, ⌈log2 n⌉) · ‖x‖₂`, with `C` = [`C_BOUND`]
//!
//! (ε the precision's machine epsilon). Above [`NAIVE_MAX`] points the naive DFT is
//! evaluated at [`SAMPLED_BINS`] bins spread over the spectrum instead of all of them.
//! Round trips check `‖inverse(forward(x)) − n·x‖₂ ≤ C · ε · ⌈log2 n⌉ · n · ‖x‖₂`.

use arsenal_fft::{half_len, Backend, Complex, Direction, ErrorKind, Float, Planner, Rigor};
use std::f64::consts::PI;

/// The constant of the error bound (see the module docs).
pub const C_BOUND: f64 = 10.0;
/// Sizes up to this get a full naive DFT; above it, sampled bins.
pub const NAIVE_MAX: usize = 4099;
/// Bins checked above [`NAIVE_MAX`].
pub const SAMPLED_BINS: usize = 48;

/// The sizes of the suite: 2^k, small primes, odd composites, a large prime.
pub const SIZES: &[usize] = &[
    1, 2, 3, 5, 7, 8, 16, 17, 64, 97, 128, 1000, 1024, 4096, 4099, 65536, 65537,
];

/// Whether a size is checked in reasonable time: KissFFT's butterfly for a prime factor
/// `p` is O(p²) (its generic radix), so 65537 is left out for it (4·10⁹ operations per
/// transform); FFTW with [`Rigor::Measure`] plans sizes above 4096 in seconds each (the
/// suite runs them with [`Rigor::Estimate`], the benchmark with `Measure`).
pub fn size_is_practical(backend: Backend, rigor: Rigor, n: usize) -> bool {
    match backend {
        Backend::KissFft => n != 65537,
        _ => rigor == Rigor::Estimate || n <= 4096,
    }
}

/// A deterministic signal in `[-1, 1]`, exact in `f32` (multiples of 2⁻¹⁶).
pub fn signal(n: usize, seed: u64) -> Vec<Complex<f64>> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        #[allow(clippy::cast_precision_loss)]
        let v = (state >> 47) as f64 / 65536.0; // 17 bits → [0, 2)
        v - 1.0
    };
    (0..n).map(|_| Complex::new(next(), next())).collect()
}

/// `x` in precision `T`.
pub fn to_precision<T: Float>(x: &[Complex<f64>]) -> Vec<Complex<T>> {
    x.iter()
        .map(|c| Complex::new(T::from_f64(c.re), T::from_f64(c.im)))
        .collect()
}

/// The naive forward DFT of `x` at bins `bins`, in `f64`.
pub fn naive_dft(x: &[Complex<f64>], bins: &[usize]) -> Vec<Complex<f64>> {
    let n = x.len();
    #[allow(clippy::cast_precision_loss)]
    let table: Vec<Complex<f64>> = (0..n)
        .map(|j| Complex::from_polar(1.0, -2.0 * PI * j as f64 / n as f64))
        .collect();
    bins.iter()
        .map(|&k| {
            let mut acc = Complex::new(0.0, 0.0);
            let mut index = 0usize;
            for v in x {
                acc += v * table[index];
                index += k;
                if index >= n {
                    index -= n;
                }
            }
            acc
        })
        .collect()
}

/// The bins checked for size `n`: all, or [`SAMPLED_BINS`] spread over the spectrum
/// (including 0, 1, n/2 and n − 1).
pub fn bins_for(n: usize) -> Vec<usize> {
    if n <= NAIVE_MAX {
        return (0..n).collect();
    }
    let mut bins: Vec<usize> = (0..SAMPLED_BINS)
        .map(|i| i * n / SAMPLED_BINS + i % 7)
        .collect();
    bins.extend([0, 1, n / 2, n - 1]);
    bins.sort_unstable();
    bins.dedup();
    bins
}

fn log2_ceil(n: usize) -> f64 {
    f64::from(usize::BITS - n.saturating_sub(1).leading_zeros()).max(1.0)
}

fn norm2(x: &[Complex<f64>]) -> f64 {
    x.iter().map(Complex::norm_sqr).sum::<f64>().sqrt()
}

/// The error bound for one bin (see the module docs).
pub fn bin_bound<T: Float>(n: usize, x: &[Complex<f64>]) -> f64 {
    C_BOUND * T::EPSILON * log2_ceil(n) * norm2(x)
}

fn planner(backend: Backend, rigor: Rigor) -> Planner {
    Planner::new(backend)
        .expect("an available backend makes a planner")
        .with_rigor(rigor)
}

/// Checks the forward complex transform of every practical size against the naive DFT,
/// in `T`. Returns the sizes checked (nothing when the backend rejects `T`, which must be
/// [`ErrorKind::Unsupported`]).
pub fn complex_forward_accuracy<T: Float>(backend: Backend, rigor: Rigor) -> Vec<usize> {
    let planner = planner(backend, rigor);
    let mut checked = Vec::new();
    for &n in SIZES
        .iter()
        .filter(|&&n| size_is_practical(backend, rigor, n))
    {
        let plan = match planner.complex::<T>(n, Direction::Forward) {
            Ok(plan) => plan,
            Err(e) => {
                assert_eq!(
                    e.kind(),
                    ErrorKind::Unsupported,
                    "{backend} {} n={n}: {e}",
                    T::NAME
                );
                continue;
            }
        };
        let x = signal(n, n as u64);
        let bins = bins_for(n);
        let want = naive_dft(&x, &bins);
        let input = to_precision::<T>(&x);
        let mut output = vec![Complex::<T>::default(); n];
        plan.process(&input, &mut output).unwrap();
        let bound = bin_bound::<T>(n, &x);
        for (&k, w) in bins.iter().zip(&want) {
            let got = Complex::new(output[k].re.to_f64(), output[k].im.to_f64());
            let err = (got - w).norm();
            assert!(
                err <= bound,
                "{backend} {} n={n} bin {k}: error {err:e} > {bound:e}",
                T::NAME
            );
        }
        checked.push(n);
    }
    checked
}

/// `inverse(forward(x)) = n·x` within the round-trip bound, for every practical size;
/// [`arsenal_fft::normalize`] then gives `x` back.
pub fn complex_round_trip<T: Float>(backend: Backend, rigor: Rigor) -> usize {
    let planner = planner(backend, rigor);
    let mut checked = 0;
    for &n in SIZES
        .iter()
        .filter(|&&n| size_is_practical(backend, rigor, n))
    {
        let (Ok(forward), Ok(inverse)) = (
            planner.complex::<T>(n, Direction::Forward),
            planner.complex::<T>(n, Direction::Inverse),
        ) else {
            continue;
        };
        let x = signal(n, 7 + n as u64);
        let input = to_precision::<T>(&x);
        let mut spectrum = vec![Complex::<T>::default(); n];
        let mut back = vec![Complex::<T>::default(); n];
        forward.process(&input, &mut spectrum).unwrap();
        inverse.process(&spectrum, &mut back).unwrap();
        assert_eq!(
            input,
            to_precision::<T>(&x),
            "{backend}: the input was modified"
        );
        #[allow(clippy::cast_precision_loss)]
        let nf = n as f64;
        let err: f64 = back
            .iter()
            .zip(&x)
            .map(|(b, v)| (Complex::new(b.re.to_f64(), b.im.to_f64()) - v * nf).norm_sqr())
            .sum::<f64>()
            .sqrt();
        let bound = C_BOUND * T::EPSILON * log2_ceil(n) * nf * norm2(&x);
        assert!(
            err <= bound,
            "{backend} {} n={n}: round trip error {err:e} > {bound:e}",
            T::NAME
        );
        arsenal_fft::normalize(&mut back);
        let bin = C_BOUND * T::EPSILON * log2_ceil(n) * norm2(&x);
        for (b, v) in back.iter().zip(&x) {
            let d = (Complex::new(b.re.to_f64(), b.im.to_f64()) - v).norm();
            assert!(d <= bin, "{backend} n={n}: normalised {d:e}");
        }
        checked += 1;
    }
    checked
}

/// The real forward transform equals the first `n/2 + 1` bins of the complex one on the
/// same real input, and the real inverse gives `n·x` back. Odd sizes a backend rejects
/// must be [`ErrorKind::Unsupported`]. Returns the sizes checked.
pub fn real_transforms<T: Float>(backend: Backend, rigor: Rigor) -> Vec<usize> {
    let planner = planner(backend, rigor);
    let mut checked = Vec::new();
    for &n in SIZES
        .iter()
        .filter(|&&n| size_is_practical(backend, rigor, n))
    {
        let (forward, inverse) = match (planner.real_forward::<T>(n), planner.real_inverse::<T>(n))
        {
            (Ok(f), Ok(i)) => (f, i),
            (Err(e), _) | (_, Err(e)) => {
                assert_eq!(
                    e.kind(),
                    ErrorKind::Unsupported,
                    "{backend} {} n={n}: {e}",
                    T::NAME
                );
                continue;
            }
        };
        let x: Vec<Complex<f64>> = signal(n, 99 + n as u64)
            .into_iter()
            .map(|c| Complex::new(c.re, 0.0))
            .collect();
        let bins: Vec<usize> = bins_for(n)
            .into_iter()
            .filter(|&k| k < half_len(n))
            .collect();
        let want = naive_dft(&x, &bins);
        let real: Vec<T> = x.iter().map(|c| T::from_f64(c.re)).collect();
        let mut half = vec![Complex::<T>::default(); half_len(n)];
        forward.process(&real, &mut half).unwrap();
        let bound = bin_bound::<T>(n, &x);
        for (&k, w) in bins.iter().zip(&want) {
            let got = Complex::new(half[k].re.to_f64(), half[k].im.to_f64());
            assert!(
                (got - w).norm() <= bound,
                "{backend} {} r2c n={n} bin {k}",
                T::NAME
            );
        }
        let mut back = vec![T::default(); n];
        inverse.process(&mut half, &mut back).unwrap();
        #[allow(clippy::cast_precision_loss)]
        let nf = n as f64;
        let err: f64 = back
            .iter()
            .zip(&x)
            .map(|(b, v)| (b.to_f64() - v.re * nf).powi(2))
            .sum::<f64>()
            .sqrt();
        let rt_bound = C_BOUND * T::EPSILON * log2_ceil(n) * nf * norm2(&x);
        assert!(
            err <= rt_bound,
            "{backend} {} c2r n={n}: {err:e} > {rt_bound:e}",
            T::NAME
        );
        checked.push(n);
    }
    checked
}

/// Wrong lengths, zero, `usize::MAX` and `i32::MAX + 1` are errors of the right kind,
/// never a panic, for every transform kind.
pub fn bad_lengths_are_errors(backend: Backend, rigor: Rigor) {
    let planner = planner(backend, rigor);
    for n in [0usize, usize::MAX, i32::MAX as usize + 1] {
        let want = if n == 0 {
            ErrorKind::Empty
        } else {
            ErrorKind::TooLarge
        };
        assert_eq!(
            planner
                .complex::<f32>(n, Direction::Forward)
                .unwrap_err()
                .kind(),
            want,
            "{n}"
        );
        assert_eq!(
            planner.real_forward::<f32>(n).unwrap_err().kind(),
            want,
            "{n}"
        );
        assert_eq!(
            planner.real_inverse::<f32>(n).unwrap_err().kind(),
            want,
            "{n}"
        );
    }
    let plan = planner.complex::<f32>(8, Direction::Forward).unwrap();
    let good = vec![Complex::<f32>::default(); 8];
    let mut out = vec![Complex::<f32>::default(); 8];
    for len in [0, 7, 9] {
        let other = vec![Complex::<f32>::default(); len];
        let mut other_out = vec![Complex::<f32>::default(); len];
        assert_eq!(
            plan.process(&other, &mut out).unwrap_err().kind(),
            ErrorKind::Length
        );
        assert_eq!(
            plan.process(&good, &mut other_out).unwrap_err().kind(),
            ErrorKind::Length
        );
    }
    let r2c = planner.real_forward::<f32>(8).unwrap();
    let mut half = vec![Complex::<f32>::default(); 5];
    assert_eq!(
        r2c.process(&[0.0; 8], &mut half[..4]).unwrap_err().kind(),
        ErrorKind::Length
    );
    assert_eq!(
        r2c.process(&[0.0; 9], &mut half).unwrap_err().kind(),
        ErrorKind::Length
    );
    let c2r = planner.real_inverse::<f32>(8).unwrap();
    assert_eq!(
        c2r.process(&mut half, &mut [0.0; 7]).unwrap_err().kind(),
        ErrorKind::Length
    );
    assert_eq!(
        c2r.process(&mut half[..3], &mut [0.0; 8])
            .unwrap_err()
            .kind(),
        ErrorKind::Length
    );
}

/// Plans are cached, shareable across threads, and give the same result on buffers of
/// any alignment (a slice starting one element into an allocation).
pub fn plans_are_shared_and_alignment_free(backend: Backend, rigor: Rigor) {
    let planner = planner(backend, rigor);
    let n = 1024;
    let plan = planner.complex::<f32>(n, Direction::Forward).unwrap();
    assert!(std::sync::Arc::ptr_eq(
        &plan,
        &planner.complex::<f32>(n, Direction::Forward).unwrap()
    ));
    let input = to_precision::<f32>(&signal(n, 5));
    let mut expected = vec![Complex::default(); n];
    plan.process(&input, &mut expected).unwrap();
    // Misaligned copies: one element (8 bytes) past an aligned start.
    let mut shifted_in = vec![Complex::default(); n + 1];
    shifted_in[1..].copy_from_slice(&input);
    let mut shifted_out = vec![Complex::default(); n + 1];
    plan.process(&shifted_in[1..], &mut shifted_out[1..])
        .unwrap();
    let aligned = arsenal_fft::AlignedBuf::from_slice(&input);
    let mut aligned_out = arsenal_fft::AlignedBuf::<Complex<f32>>::zeroed(n);
    plan.process(&aligned, &mut aligned_out).unwrap();
    // FFTW runs another plan (maybe another algorithm) for other alignments: equal
    // within the accuracy bound, not bit for bit.
    let bound = bin_bound::<f32>(n, &signal(n, 5));
    for (name, got) in [
        ("misaligned", &shifted_out[1..]),
        ("aligned", &aligned_out[..]),
    ] {
        for (k, (g, e)) in got.iter().zip(&expected).enumerate() {
            let d = f64::from((g - e).norm());
            assert!(d <= bound, "{backend}: {name} buffers, bin {k}: {g} vs {e}");
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let mut out = vec![Complex::default(); n];
                    plan.process(&input, &mut out).unwrap();
                    assert_eq!(out, expected);
                }
            });
        }
    });
    let real = planner.real_forward::<f32>(n).unwrap();
    let samples: Vec<f32> = input.iter().map(|c| c.re).collect();
    let mut want = vec![Complex::default(); half_len(n)];
    real.process(&samples, &mut want).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let mut out = vec![Complex::default(); half_len(n)];
                    real.process(&samples, &mut out).unwrap();
                    assert_eq!(out, want);
                }
            });
        }
    });
}

/// The sizes of [`SIZES`] that [`size_is_practical`] keeps.
pub fn practical_sizes(backend: Backend, rigor: Rigor) -> Vec<usize> {
    SIZES
        .iter()
        .copied()
        .filter(|&n| size_is_practical(backend, rigor, n))
        .collect()
}

/// Instantiates the FFT suite for one backend and planning rigor:
/// `fft_conformance!(fftw, Backend::Fftw, Rigor::Estimate)`.
#[macro_export]
macro_rules! fft_conformance {
    ($name:ident, $backend:expr, $rigor:expr) => {
        mod $name {
            use $crate::fft::*;

            #[test]
            fn complex_f32_matches_naive_dft() {
                let checked = complex_forward_accuracy::<f32>($backend, $rigor);
                assert_eq!(checked, practical_sizes($backend, $rigor));
            }

            #[test]
            fn complex_f64_matches_naive_dft_or_is_unsupported() {
                let checked = complex_forward_accuracy::<f64>($backend, $rigor);
                // KissFFT is float-only (every size Unsupported); FFTW does them all.
                if $backend == arsenal_fft::Backend::KissFft {
                    assert!(checked.is_empty(), "{checked:?}");
                } else {
                    assert_eq!(checked, practical_sizes($backend, $rigor));
                }
            }

            #[test]
            fn round_trips_scale_by_n() {
                let sizes = practical_sizes($backend, $rigor).len();
                assert_eq!(complex_round_trip::<f32>($backend, $rigor), sizes);
                let f64_sizes = complex_round_trip::<f64>($backend, $rigor);
                assert!(f64_sizes == 0 || f64_sizes == sizes, "{f64_sizes}");
            }

            #[test]
            fn real_transforms_agree_with_complex() {
                let checked = real_transforms::<f32>($backend, $rigor);
                let practical = practical_sizes($backend, $rigor);
                // every even size at least; KissFFT rejects odd ones as Unsupported
                let even: Vec<usize> = practical.iter().copied().filter(|n| n % 2 == 0).collect();
                if $backend == arsenal_fft::Backend::KissFft {
                    assert_eq!(checked, even);
                } else {
                    assert_eq!(checked, practical);
                }
                real_transforms::<f64>($backend, $rigor);
            }

            #[test]
            fn bad_lengths() {
                bad_lengths_are_errors($backend, $rigor);
            }

            #[test]
            fn shared_plans() {
                plans_are_shared_and_alignment_free($backend, $rigor);
            }
        }
    };
}
