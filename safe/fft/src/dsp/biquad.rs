//! Second-order IIR sections: the RBJ Audio EQ Cookbook designs, Butterworth filters of
//! any order and a parametric EQ, all as [`Coefficients`] run by [`Biquad`] /
//! [`Cascade`] in Direct Form II transposed with `f64` state.

use crate::error::{Error, ErrorKind, Result, CHECKS};
use crate::Complex;
use std::f64::consts::PI;

/// Normalised biquad coefficients (`a0 = 1`):
/// `H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²)`. A first-order section has
/// `b2 = a2 = 0`.
///
/// ```
/// use arsenal_fft::dsp::Coefficients;
/// let lp = Coefficients::lowpass(48_000.0, 1_000.0, std::f64::consts::FRAC_1_SQRT_2)?;
/// assert!((lp.magnitude_db(0.0, 48_000.0)).abs() < 1e-9);          // 0 dB at DC
/// assert!((lp.magnitude_db(1_000.0, 48_000.0) + 3.0103).abs() < 1e-3); // −3 dB at f0
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficients {
    /// Feed-forward `b0`.
    pub b0: f64,
    /// Feed-forward `b1`.
    pub b1: f64,
    /// Feed-forward `b2`.
    pub b2: f64,
    /// Feedback `a1`.
    pub a1: f64,
    /// Feedback `a2`.
    pub a2: f64,
}

fn parameter(message: String) -> Error {
    Error::new(ErrorKind::Parameter, CHECKS, message)
}

fn check_frequency(fs: f64, f0: f64) -> Result<()> {
    if !(fs.is_finite() && fs > 0.0) {
        return Err(parameter(format!(
            "sample rate {fs} must be positive and finite"
        )));
    }
    if !(f0 > 0.0 && f0 < fs / 2.0) {
        return Err(parameter(format!(
            "frequency {f0} must lie strictly between 0 and Nyquist ({})",
            fs / 2.0
        )));
    }
    Ok(())
}

fn check_q(q: f64) -> Result<()> {
    if !(q.is_finite() && q > 0.0) {
        return Err(parameter(format!("Q {q} must be positive and finite")));
    }
    Ok(())
}

/// The cookbook's intermediate values: `(cos w0, alpha)`.
fn prelude(fs: f64, f0: f64, q: f64) -> Result<(f64, f64)> {
    check_frequency(fs, f0)?;
    check_q(q)?;
    let w0 = 2.0 * PI * f0 / fs;
    Ok((w0.cos(), w0.sin() / (2.0 * q)))
}

fn check_gain(gain_db: f64) -> Result<f64> {
    if !gain_db.is_finite() {
        return Err(parameter(format!("gain {gain_db} dB must be finite")));
    }
    Ok(10f64.powf(gain_db / 40.0))
}

impl Coefficients {
    /// From unnormalised `b0..b2`, `a0..a2`.
    fn normalised(b: [f64; 3], a: [f64; 3]) -> Coefficients {
        Coefficients {
            b0: b[0] / a[0],
            b1: b[1] / a[0],
            b2: b[2] / a[0],
            a1: a[1] / a[0],
            a2: a[2] / a[0],
        }
    }

    /// The identity (`H = 1`).
    pub const IDENTITY: Coefficients = Coefficients {
        b0: 1.0,
        b1: 0.0,
        b2: 0.0,
        a1: 0.0,
        a2: 0.0,
    };

    /// Low-pass: `H(s) = 1 / (s² + s/Q + 1)`. [`ErrorKind::Parameter`] unless
    /// `0 < f0 < fs/2` and `Q > 0`.
    pub fn lowpass(fs: f64, f0: f64, q: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        Ok(Self::normalised(
            [(1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        ))
    }

    /// High-pass: `H(s) = s² / (s² + s/Q + 1)`.
    pub fn highpass(fs: f64, f0: f64, q: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        Ok(Self::normalised(
            [(1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        ))
    }

    /// Band-pass with 0 dB peak gain: `H(s) = (s/Q) / (s² + s/Q + 1)`.
    pub fn bandpass(fs: f64, f0: f64, q: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        Ok(Self::normalised(
            [alpha, 0.0, -alpha],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        ))
    }

    /// Notch: `H(s) = (s² + 1) / (s² + s/Q + 1)`.
    pub fn notch(fs: f64, f0: f64, q: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        Ok(Self::normalised(
            [1.0, -2.0 * c, 1.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        ))
    }

    /// Peaking EQ: `gain_db` at `f0`, 0 dB far from it.
    pub fn peaking(fs: f64, f0: f64, q: f64, gain_db: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        let a = check_gain(gain_db)?;
        Ok(Self::normalised(
            [1.0 + alpha * a, -2.0 * c, 1.0 - alpha * a],
            [1.0 + alpha / a, -2.0 * c, 1.0 - alpha / a],
        ))
    }

    /// Low shelf: `gain_db` at DC, 0 dB at Nyquist, half the gain (in dB) at `f0`.
    pub fn low_shelf(fs: f64, f0: f64, q: f64, gain_db: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        let a = check_gain(gain_db)?;
        let s = 2.0 * a.sqrt() * alpha;
        Ok(Self::normalised(
            [
                a * ((a + 1.0) - (a - 1.0) * c + s),
                2.0 * a * ((a - 1.0) - (a + 1.0) * c),
                a * ((a + 1.0) - (a - 1.0) * c - s),
            ],
            [
                (a + 1.0) + (a - 1.0) * c + s,
                -2.0 * ((a - 1.0) + (a + 1.0) * c),
                (a + 1.0) + (a - 1.0) * c - s,
            ],
        ))
    }

    /// High shelf: 0 dB at DC, `gain_db` at Nyquist.
    pub fn high_shelf(fs: f64, f0: f64, q: f64, gain_db: f64) -> Result<Coefficients> {
        let (c, alpha) = prelude(fs, f0, q)?;
        let a = check_gain(gain_db)?;
        let s = 2.0 * a.sqrt() * alpha;
        Ok(Self::normalised(
            [
                a * ((a + 1.0) + (a - 1.0) * c + s),
                -2.0 * a * ((a - 1.0) + (a + 1.0) * c),
                a * ((a + 1.0) + (a - 1.0) * c - s),
            ],
            [
                (a + 1.0) - (a - 1.0) * c + s,
                2.0 * ((a - 1.0) - (a + 1.0) * c),
                (a + 1.0) - (a - 1.0) * c - s,
            ],
        ))
    }

    /// `H(e^{jω})` at `freq` Hz for sample rate `fs`.
    pub fn response(&self, freq: f64, fs: f64) -> Complex<f64> {
        let w = 2.0 * PI * freq / fs;
        let z1 = Complex::from_polar(1.0, -w);
        let z2 = z1 * z1;
        let num = Complex::new(self.b0, 0.0) + z1 * self.b1 + z2 * self.b2;
        let den = Complex::new(1.0, 0.0) + z1 * self.a1 + z2 * self.a2;
        num / den
    }

    /// `20·log10 |H(e^{jω})|` at `freq` Hz.
    pub fn magnitude_db(&self, freq: f64, fs: f64) -> f64 {
        20.0 * self.response(freq, fs).norm().log10()
    }
}

/// One section running [`Coefficients`] on `f32` samples (Direct Form II transposed,
/// `f64` state and arithmetic).
///
/// ```
/// use arsenal_fft::dsp::{Biquad, Coefficients};
/// let mut lp = Biquad::new(Coefficients::lowpass(48_000.0, 100.0, 0.7071)?);
/// let mut dc = vec![1.0f32; 48_000];
/// lp.process(&mut dc);
/// assert!((dc[47_999] - 1.0).abs() < 1e-4); // a low-pass passes DC
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Biquad {
    c: Coefficients,
    z1: f64,
    z2: f64,
}

impl Biquad {
    /// A section with zero state.
    pub fn new(c: Coefficients) -> Biquad {
        Biquad {
            c,
            z1: 0.0,
            z2: 0.0,
        }
    }

    /// Its coefficients.
    pub fn coefficients(&self) -> Coefficients {
        self.c
    }

    /// Clears the state.
    pub fn reset(&mut self) {
        self.z1 = 0.0;
        self.z2 = 0.0;
    }

    /// One sample.
    #[inline]
    pub fn tick(&mut self, x: f64) -> f64 {
        let c = &self.c;
        let y = c.b0 * x + self.z1;
        self.z1 = c.b1 * x - c.a1 * y + self.z2;
        self.z2 = c.b2 * x - c.a2 * y;
        y
    }

    /// Filters `samples` in place, continuing from the current state.
    pub fn process(&mut self, samples: &mut [f32]) {
        for s in samples {
            #[allow(clippy::cast_possible_truncation)]
            {
                *s = self.tick(f64::from(*s)) as f32;
            }
        }
    }
}

/// Sections run one after another (a higher-order filter).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cascade {
    sections: Vec<Biquad>,
}

impl Cascade {
    /// Sections with zero state, run in order.
    pub fn new(sections: impl IntoIterator<Item = Coefficients>) -> Cascade {
        Cascade {
            sections: sections.into_iter().map(Biquad::new).collect(),
        }
    }

    /// The sections' coefficients.
    pub fn coefficients(&self) -> Vec<Coefficients> {
        self.sections.iter().map(Biquad::coefficients).collect()
    }

    /// The number of sections.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    /// Whether there are no sections (the identity).
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// Clears every section's state.
    pub fn reset(&mut self) {
        self.sections.iter_mut().for_each(Biquad::reset);
    }

    /// Filters `samples` in place: every sample goes through all sections in turn
    /// (sample-major, so the whole cascade's state stays in registers).
    pub fn process(&mut self, samples: &mut [f32]) {
        for s in samples {
            let mut x = f64::from(*s);
            for section in &mut self.sections {
                x = section.tick(x);
            }
            #[allow(clippy::cast_possible_truncation)]
            {
                *s = x as f32;
            }
        }
    }

    /// The product of the sections' responses at `freq` Hz.
    pub fn response(&self, freq: f64, fs: f64) -> Complex<f64> {
        self.sections
            .iter()
            .fold(Complex::new(1.0, 0.0), |h, s| h * s.c.response(freq, fs))
    }

    /// `20·log10 |H|` of the whole cascade at `freq` Hz.
    pub fn magnitude_db(&self, freq: f64, fs: f64) -> f64 {
        20.0 * self.response(freq, fs).norm().log10()
    }
}

/// Low- or high-pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pass {
    /// Passes below the cut-off.
    Low,
    /// Passes above the cut-off.
    High,
}

/// A Butterworth filter of `order ≥ 1` with its −3 dB point at `fc`, by the bilinear
/// transform with the cut-off prewarped (`ω_c = tan(π·fc/fs)`): `order/2` second-order
/// sections with `Q_k = 1 / (2·sin(π(2k+1)/(2·order)))`, plus one first-order section for
/// odd orders. Its magnitude is exactly `|H|² = 1/(1 + (ω_a/ω_c)^{2N})` (low-pass;
/// `(ω_c/ω_a)^{2N}` for high-pass) with `ω_a = tan(π·f/fs)`.
///
/// ```
/// use arsenal_fft::dsp::{butterworth, Pass};
/// let lp = butterworth(Pass::Low, 5, 48_000.0, 2_000.0)?;
/// assert_eq!(lp.len(), 3);
/// assert!((lp.magnitude_db(2_000.0, 48_000.0) + 3.0103).abs() < 1e-3);
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
pub fn butterworth(pass: Pass, order: usize, fs: f64, fc: f64) -> Result<Cascade> {
    check_frequency(fs, fc)?;
    if order == 0 || order > 64 {
        return Err(parameter(format!(
            "Butterworth order {order} must be 1..=64"
        )));
    }
    let mut sections = Vec::with_capacity(order.div_ceil(2));
    #[allow(clippy::cast_precision_loss)]
    for k in 0..order / 2 {
        let theta = PI * (2 * k + 1) as f64 / (2 * order) as f64;
        let q = 1.0 / (2.0 * theta.sin());
        sections.push(match pass {
            Pass::Low => Coefficients::lowpass(fs, fc, q)?,
            Pass::High => Coefficients::highpass(fs, fc, q)?,
        });
    }
    if order % 2 == 1 {
        // H(s) = 1/(s+1) (low) or s/(s+1) (high), s = (1/K)·(z−1)/(z+1), K = tan(π fc/fs).
        let k = (PI * fc / fs).tan();
        let a1 = (k - 1.0) / (k + 1.0);
        let (b0, b1) = match pass {
            Pass::Low => (k / (1.0 + k), k / (1.0 + k)),
            Pass::High => (1.0 / (1.0 + k), -1.0 / (1.0 + k)),
        };
        sections.push(Coefficients {
            b0,
            b1,
            b2: 0.0,
            a1,
            a2: 0.0,
        });
    }
    Ok(Cascade::new(sections))
}

/// One band of a [`ParametricEq`]: a peaking filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Centre frequency in Hz.
    pub freq: f64,
    /// Quality factor (bandwidth).
    pub q: f64,
    /// Gain at the centre, in dB.
    pub gain_db: f64,
}

/// A parametric equaliser: a chain of peaking biquads, one per [`Band`].
///
/// ```
/// use arsenal_fft::dsp::{Band, ParametricEq};
/// let eq = ParametricEq::new(48_000.0, &[
///     Band { freq: 100.0, q: 1.0, gain_db: 6.0 },
///     Band { freq: 8_000.0, q: 2.0, gain_db: -4.0 },
/// ])?;
/// assert!((eq.magnitude_db(100.0) - 6.0).abs() < 0.1);
/// # Ok::<(), arsenal_fft::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParametricEq {
    fs: f64,
    cascade: Cascade,
}

impl ParametricEq {
    /// The EQ for sample rate `fs`; [`ErrorKind::Parameter`] for a band out of range.
    pub fn new(fs: f64, bands: &[Band]) -> Result<ParametricEq> {
        let sections = bands
            .iter()
            .map(|b| Coefficients::peaking(fs, b.freq, b.q, b.gain_db))
            .collect::<Result<Vec<_>>>()?;
        Ok(ParametricEq {
            fs,
            cascade: Cascade::new(sections),
        })
    }

    /// Filters `samples` in place.
    pub fn process(&mut self, samples: &mut [f32]) {
        self.cascade.process(samples);
    }

    /// Clears the state.
    pub fn reset(&mut self) {
        self.cascade.reset();
    }

    /// The EQ's gain in dB at `freq` Hz.
    pub fn magnitude_db(&self, freq: f64) -> f64 {
        self.cascade.magnitude_db(freq, self.fs)
    }

    /// The underlying cascade.
    pub fn cascade(&self) -> &Cascade {
        &self.cascade
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FS: f64 = 48_000.0;

    fn db(x: f64) -> f64 {
        20.0 * x.log10()
    }

    #[test]
    fn cookbook_filters_hit_their_analytic_points() {
        // Tolerance 1e-6 dB on closed-form values of the analog prototypes, which the
        // bilinear transform maps exactly at DC, f0 (prewarped) and Nyquist.
        let tol = 1e-6;
        let (f0, q) = (1_000.0, 2.0);
        let lp = Coefficients::lowpass(FS, f0, q).unwrap();
        assert!(lp.magnitude_db(0.0, FS).abs() < tol);
        assert!((lp.magnitude_db(f0, FS) - db(q)).abs() < tol); // |H(j1)| = Q
        assert!(lp.response(FS / 2.0, FS).norm() < 1e-12);
        let hp = Coefficients::highpass(FS, f0, q).unwrap();
        assert!(hp.response(0.0, FS).norm() < 1e-12);
        assert!((hp.magnitude_db(f0, FS) - db(q)).abs() < tol);
        assert!(hp.magnitude_db(FS / 2.0, FS).abs() < tol);
        let bp = Coefficients::bandpass(FS, f0, q).unwrap();
        assert!(bp.magnitude_db(f0, FS).abs() < tol);
        assert!(bp.response(0.0, FS).norm() < 1e-12);
        let notch = Coefficients::notch(FS, f0, q).unwrap();
        assert!(notch.response(f0, FS).norm() < 1e-9);
        assert!(notch.magnitude_db(0.0, FS).abs() < tol);
        for gain in [-12.0, 3.0, 9.5] {
            let pk = Coefficients::peaking(FS, f0, q, gain).unwrap();
            assert!((pk.magnitude_db(f0, FS) - gain).abs() < tol);
            assert!(pk.magnitude_db(0.0, FS).abs() < tol);
            let ls = Coefficients::low_shelf(FS, f0, q, gain).unwrap();
            assert!((ls.magnitude_db(0.0, FS) - gain).abs() < tol);
            assert!(ls.magnitude_db(FS / 2.0, FS).abs() < tol);
            assert!((ls.magnitude_db(f0, FS) - gain / 2.0).abs() < tol);
            let hs = Coefficients::high_shelf(FS, f0, q, gain).unwrap();
            assert!(hs.magnitude_db(0.0, FS).abs() < tol);
            assert!((hs.magnitude_db(FS / 2.0, FS) - gain).abs() < tol);
            assert!((hs.magnitude_db(f0, FS) - gain / 2.0).abs() < tol);
        }
    }

    #[test]
    fn bad_parameters_are_errors() {
        for (fs, f0, q) in [
            (FS, 0.0, 1.0),
            (FS, FS / 2.0, 1.0),
            (FS, 1e3, 0.0),
            (0.0, 1.0, 1.0),
            (FS, f64::NAN, 1.0),
            (f64::INFINITY, 1e3, 1.0),
        ] {
            let err = Coefficients::lowpass(fs, f0, q).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Parameter, "{fs} {f0} {q}");
        }
        assert!(Coefficients::peaking(FS, 1e3, 1.0, f64::INFINITY).is_err());
        assert!(butterworth(Pass::Low, 0, FS, 1e3).is_err());
        assert!(butterworth(Pass::Low, 4, FS, 30e3).is_err());
    }

    #[test]
    fn butterworth_matches_the_analytic_magnitude() {
        // |H|² = 1/(1 + (ω_a/ω_c)^{2N}), ω = tan(π f / fs): within 1e-6 dB wherever the
        // analytic response is above −200 dB.
        for pass in [Pass::Low, Pass::High] {
            for order in 1..=12 {
                for fc in [50.0, 1_000.0, 10_000.0, 20_000.0] {
                    let filter = butterworth(pass, order, FS, fc).unwrap();
                    assert_eq!(filter.len(), order.div_ceil(2));
                    let wc = (PI * fc / FS).tan();
                    for i in 1..200 {
                        let f = FS / 2.0 * f64::from(i) / 200.0;
                        let wa = (PI * f / FS).tan();
                        let ratio = match pass {
                            Pass::Low => wa / wc,
                            Pass::High => wc / wa,
                        };
                        let want = -10.0 * (1.0 + ratio.powi(2 * order as i32)).log10();
                        if want < -200.0 {
                            continue;
                        }
                        let got = filter.magnitude_db(f, FS);
                        assert!(
                            (got - want).abs() < 1e-6,
                            "{pass:?} N={order} fc={fc} f={f}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn filtering_a_sine_gives_the_designed_gain() {
        // A steady-state sine comes out scaled by |H(f)|: within 0.01 dB (f32 samples).
        let filter = butterworth(Pass::Low, 6, FS, 2_000.0).unwrap();
        let eq = ParametricEq::new(
            FS,
            &[
                Band {
                    freq: 500.0,
                    q: 1.0,
                    gain_db: 6.0,
                },
                Band {
                    freq: 3_000.0,
                    q: 3.0,
                    gain_db: -9.0,
                },
            ],
        )
        .unwrap();
        for freq in [300.0, 1_500.0, 2_000.0, 2_600.0] {
            let n = 48_000u32;
            let sine: Vec<f32> = (0..n)
                .map(|i| (2.0 * PI * freq * f64::from(i) / FS).sin() as f32)
                .collect();
            let mut a = sine.clone();
            filter.clone().process(&mut a);
            let mut b = sine;
            let mut eq2 = eq.clone();
            eq2.process(&mut b);
            let rms = |x: &[f32]| {
                (x.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
            };
            let tail = n as usize / 2..n as usize; // past the transient
            let want_rms = std::f64::consts::FRAC_1_SQRT_2;
            let got_a = db(rms(&a[tail.clone()]) / want_rms);
            assert!(
                (got_a - filter.magnitude_db(freq, FS)).abs() < 0.01,
                "butterworth at {freq}: {got_a}"
            );
            let got_b = db(rms(&b[tail]) / want_rms);
            assert!(
                (got_b - eq.magnitude_db(freq)).abs() < 0.01,
                "eq at {freq}: {got_b}"
            );
        }
    }
}
