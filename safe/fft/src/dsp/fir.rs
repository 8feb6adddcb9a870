//! FIR filtering `y[n] = Σ_k h[k]·x[n−k]` (causal, zero initial state, streaming across
//! calls), two ways with the same results up to rounding:
//! - [`Fir`]: direct convolution, O(taps) per sample. The inner loop computes 32 outputs
//!   at once with independent accumulators (vectorised by the compiler); on x86-64 a copy
//!   compiled for AVX2 + FMA is chosen at run time when the CPU has them.
//! - [`OverlapAdd`]: FFT convolution, O(log N) per sample, on a real FFT plan of the
//!   crate (FFTW or KissFFT). Faster beyond a few dozen taps; the crossover on a given
//!   machine is in the benchmark's `fft/fir/taps-*` rows.

use crate::error::{Error, ErrorKind, Result, CHECKS};
use crate::{half_len, AlignedBuf, Complex, Planner, RealForwardPlan, RealInversePlan};
use std::sync::Arc;

fn check_taps(taps: &[f32]) -> Result<()> {
    if taps.is_empty() {
        return Err(Error::new(
            ErrorKind::Parameter,
            CHECKS,
            "an FIR filter needs at least one tap",
        ));
    }
    Ok(())
}

fn check_io(input: &[f32], output: &[f32]) -> Result<()> {
    if input.len() != output.len() {
        return Err(Error::new(
            ErrorKind::Length,
            CHECKS,
            format!(
                "input ({}) and output ({}) must be as long",
                input.len(),
                output.len()
            ),
        ));
    }
    Ok(())
}

/// Outputs computed per block of the direct kernel.
const BLOCK: usize = 32;

/// `out[i] = Σ_j hr[j]·x[i + j]` for every `i` (`x` is `out.len() + hr.len() − 1` long).
#[inline(always)]
fn correlate<const FMA: bool>(x: &[f32], hr: &[f32], out: &mut [f32]) {
    let m = hr.len();
    debug_assert_eq!(x.len(), out.len() + m - 1);
    let mut base = 0;
    let mut blocks = out.chunks_exact_mut(BLOCK);
    for block in &mut blocks {
        let mut acc = [0.0f32; BLOCK];
        for (j, &h) in hr.iter().enumerate() {
            let xs: &[f32; BLOCK] = x[base + j..base + j + BLOCK]
                .try_into()
                .expect("BLOCK long");
            for l in 0..BLOCK {
                acc[l] = if FMA {
                    h.mul_add(xs[l], acc[l])
                } else {
                    acc[l] + h * xs[l]
                };
            }
        }
        block.copy_from_slice(&acc);
        base += BLOCK;
    }
    for (i, o) in blocks.into_remainder().iter_mut().enumerate() {
        let window = &x[base + i..base + i + m];
        *o = hr.iter().zip(window).fold(
            0.0,
            |acc, (&h, &v)| if FMA { h.mul_add(v, acc) } else { acc + h * v },
        );
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
/// # Safety
/// The CPU has AVX2 and FMA.
unsafe fn correlate_avx2(x: &[f32], hr: &[f32], out: &mut [f32]) {
    correlate::<true>(x, hr, out);
}

fn correlate_dispatch(x: &[f32], hr: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        unsafe { correlate_avx2(x, hr, out) };
        return;
    }
    correlate::<false>(x, hr, out);
}

/// Direct-form FIR filter (see the module docs).
///
/// ```
/// use arsenal_fft::dsp::Fir;
/// let mut fir = Fir::new(&[0.5, 0.5])?; // two-tap moving average
/// let mut out = [0.0; 4];
/// fir.process(&[2.0, 4.0, 6.0, 8.0], &mut out)?;
/// assert_eq!(out, [1.0, 3.0, 5.0, 7.0]);
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Fir {
    /// The taps reversed, so each output is a dot product with a forward window.
    reversed: Vec<f32>,
    /// The last `taps − 1` inputs followed by the current input.
    line: Vec<f32>,
}

impl Fir {
    /// A filter with impulse response `taps`; [`ErrorKind::Parameter`] when empty.
    pub fn new(taps: &[f32]) -> Result<Fir> {
        check_taps(taps)?;
        Ok(Fir {
            reversed: taps.iter().rev().copied().collect(),
            line: vec![0.0; taps.len() - 1],
        })
    }

    /// The number of taps.
    pub fn taps(&self) -> usize {
        self.reversed.len()
    }

    /// Clears the history.
    pub fn reset(&mut self) {
        self.line.clear();
        self.line.resize(self.reversed.len() - 1, 0.0);
    }

    /// Filters `input` into `output` (as long), continuing from the previous call's
    /// samples. [`ErrorKind::Length`] when the lengths differ.
    pub fn process(&mut self, input: &[f32], output: &mut [f32]) -> Result<()> {
        check_io(input, output)?;
        let history = self.reversed.len() - 1;
        self.line.truncate(history);
        self.line.extend_from_slice(input);
        correlate_dispatch(&self.line, &self.reversed, output);
        self.line.drain(..input.len());
        Ok(())
    }
}

/// FFT overlap-add FIR filter (see the module docs): each block of `L` inputs is
/// transformed with a real FFT of `N ≥ L + taps − 1` points, multiplied by the taps'
/// spectrum and transformed back; the `taps − 1` samples that spill over are added to the
/// next block.
///
/// ```
/// use arsenal_fft::dsp::{Fir, OverlapAdd};
/// use arsenal_fft::{Backend, Planner};
/// let taps: Vec<f32> = (0..100).map(|i| 1.0 / (1.0 + i as f32)).collect();
/// let signal: Vec<f32> = (0..5000).map(|i| ((i * 7919) % 101) as f32 / 50.0 - 1.0).collect();
/// let (mut direct, mut fast) = (vec![0.0; 5000], vec![0.0; 5000]);
/// Fir::new(&taps)?.process(&signal, &mut direct)?;
/// let planner = Planner::new(Backend::available()[0])?;
/// OverlapAdd::new(&planner, &taps)?.process(&signal, &mut fast)?;
/// for (a, b) in direct.iter().zip(&fast) {
///     assert!((a - b).abs() < 1e-4);
/// }
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[derive(Debug)]
pub struct OverlapAdd {
    taps: usize,
    n: usize,
    block: usize,
    forward: Arc<RealForwardPlan<f32>>,
    inverse: Arc<RealInversePlan<f32>>,
    /// The taps' spectrum, scaled by `1/N` (the transforms are unnormalised).
    kernel: Vec<Complex<f32>>,
    time: AlignedBuf<f32>,
    spectrum: AlignedBuf<Complex<f32>>,
    /// Pending output: `N` samples, the first `taps − 1` carrying over.
    acc: Vec<f32>,
}

impl OverlapAdd {
    /// The FFT length [`OverlapAdd::new`] picks for `taps` taps: the power of two at
    /// least `4·taps` (and at least 64), which keeps the per-sample FFT cost near its
    /// minimum while each block stays `≥ 3/4` of the transform.
    pub fn default_fft_len(taps: usize) -> usize {
        taps.saturating_mul(4).max(64).next_power_of_two()
    }

    /// A filter for `taps` with plans from `planner` and [`OverlapAdd::default_fft_len`].
    pub fn new(planner: &Planner, taps: &[f32]) -> Result<OverlapAdd> {
        Self::with_fft_len(planner, taps, Self::default_fft_len(taps.len()))
    }

    /// A filter with FFT length `n` (even, and at least `taps.len()`; each block then
    /// holds `n − taps + 1` inputs). [`ErrorKind::Parameter`] otherwise.
    pub fn with_fft_len(planner: &Planner, taps: &[f32], n: usize) -> Result<OverlapAdd> {
        check_taps(taps)?;
        if n < taps.len() || n % 2 != 0 {
            return Err(Error::new(
                ErrorKind::Parameter,
                CHECKS,
                format!(
                    "FFT length {n} must be even and at least the {} taps",
                    taps.len()
                ),
            ));
        }
        let forward = planner.real_forward::<f32>(n)?;
        let inverse = planner.real_inverse::<f32>(n)?;
        let mut time = AlignedBuf::<f32>::zeroed(n);
        time[..taps.len()].copy_from_slice(taps);
        let mut kernel = vec![Complex::default(); half_len(n)];
        forward.process(&time, &mut kernel)?;
        #[allow(clippy::cast_precision_loss)]
        let inv_n = 1.0 / n as f32;
        for c in &mut kernel {
            *c *= inv_n;
        }
        Ok(OverlapAdd {
            taps: taps.len(),
            n,
            block: n - taps.len() + 1,
            forward,
            inverse,
            kernel,
            time,
            spectrum: AlignedBuf::zeroed(half_len(n)),
            acc: vec![0.0; n],
        })
    }

    /// The number of taps.
    pub fn taps(&self) -> usize {
        self.taps
    }

    /// The FFT length.
    pub fn fft_len(&self) -> usize {
        self.n
    }

    /// Inputs per block (`fft_len − taps + 1`).
    pub fn block_len(&self) -> usize {
        self.block
    }

    /// Clears the pending output.
    pub fn reset(&mut self) {
        self.acc.fill(0.0);
    }

    /// Filters `input` into `output` (as long), continuing from the previous call.
    /// [`ErrorKind::Length`] when the lengths differ.
    pub fn process(&mut self, input: &[f32], output: &mut [f32]) -> Result<()> {
        check_io(input, output)?;
        let carry = self.taps - 1;
        for (x, y) in input.chunks(self.block).zip(output.chunks_mut(self.block)) {
            let len = x.len();
            self.time[..len].copy_from_slice(x);
            self.time[len..].fill(0.0);
            self.forward.process(&self.time, &mut self.spectrum)?;
            for (s, k) in self.spectrum.iter_mut().zip(&self.kernel) {
                *s *= *k;
            }
            self.inverse.process(&mut self.spectrum, &mut self.time)?;
            // The block's convolution is len + taps − 1 long; add it to what is pending.
            for (a, t) in self.acc[..len + carry]
                .iter_mut()
                .zip(&self.time[..len + carry])
            {
                *a += *t;
            }
            y.copy_from_slice(&self.acc[..len]);
            self.acc.copy_within(len..len + carry, 0);
            self.acc[carry..len + carry].fill(0.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backend;

    fn signal(n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 7919 + 13) % 1009) as f32 / 504.5 - 1.0)
            .collect()
    }

    /// Plain `y[n] = Σ h[k] x[n−k]` in f64.
    fn reference(x: &[f32], h: &[f32]) -> Vec<f64> {
        (0..x.len())
            .map(|n| {
                (0..h.len().min(n + 1))
                    .map(|k| f64::from(h[k]) * f64::from(x[n - k]))
                    .sum()
            })
            .collect()
    }

    #[test]
    fn direct_and_overlap_add_match_the_definition() {
        // Both within 1e-5·Σ|h| of an f64 evaluation (|x| ≤ 1), in one call and in
        // uneven streaming pieces.
        for taps in [1usize, 2, 7, 31, 32, 33, 100, 513] {
            let h: Vec<f32> = (0..taps)
                .map(|i| ((i * 31 + 7) % 17) as f32 / 8.0 - 1.0)
                .collect();
            let bound = 1e-5 * h.iter().map(|v| f64::from(v.abs())).sum::<f64>();
            let x = signal(3000);
            let want = reference(&x, &h);
            let mut direct = vec![0.0; x.len()];
            Fir::new(&h).unwrap().process(&x, &mut direct).unwrap();
            for backend in Backend::available() {
                let planner = Planner::new(backend).unwrap();
                let mut ola = OverlapAdd::new(&planner, &h).unwrap();
                let mut fast = vec![0.0; x.len()];
                ola.process(&x, &mut fast).unwrap();
                // streaming in uneven pieces gives the same as one call
                let (mut fir, mut ola2) = (
                    Fir::new(&h).unwrap(),
                    OverlapAdd::new(&planner, &h).unwrap(),
                );
                let (mut piecewise, mut piecewise_fast) = (vec![0.0; x.len()], vec![0.0; x.len()]);
                let mut start = 0;
                for step in [1usize, 5, 64, 333, 1000].iter().cycle() {
                    let end = (start + step).min(x.len());
                    fir.process(&x[start..end], &mut piecewise[start..end])
                        .unwrap();
                    ola2.process(&x[start..end], &mut piecewise_fast[start..end])
                        .unwrap();
                    start = end;
                    if start == x.len() {
                        break;
                    }
                }
                for i in 0..x.len() {
                    for (name, got) in [
                        ("direct", direct[i]),
                        ("ola", fast[i]),
                        ("direct pieces", piecewise[i]),
                        ("ola pieces", piecewise_fast[i]),
                    ] {
                        assert!(
                            (f64::from(got) - want[i]).abs() <= bound,
                            "{backend} {name} taps={taps} i={i}: {got} vs {}",
                            want[i]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(Fir::new(&[]).unwrap_err().kind(), ErrorKind::Parameter);
        let mut fir = Fir::new(&[1.0]).unwrap();
        assert_eq!(
            fir.process(&[1.0; 3], &mut [0.0; 2]).unwrap_err().kind(),
            ErrorKind::Length
        );
        let planner = Planner::new(Backend::available()[0]).unwrap();
        assert_eq!(
            OverlapAdd::with_fft_len(&planner, &[1.0; 10], 8)
                .unwrap_err()
                .kind(),
            ErrorKind::Parameter
        );
        assert_eq!(
            OverlapAdd::with_fft_len(&planner, &[1.0; 2], 9)
                .unwrap_err()
                .kind(),
            ErrorKind::Parameter
        );
    }
}
