//! Window functions: `w[k] = a0 − a1·cos(2πk/D) + a2·cos(4πk/D)` with `D = n − 1`
//! ([`Symmetry::Symmetric`], for filter design) or `D = n` ([`Symmetry::Periodic`], for
//! spectral analysis: the window is one period of a periodic sequence).
//!
//! ```
//! use arsenal_fft::dsp::window::{hann, Symmetry};
//! let w = hann(5, Symmetry::Symmetric);
//! assert_eq!(w, [0.0, 0.5, 1.0, 0.5, 0.0]);
//! ```

use std::f64::consts::PI;

/// Whether the window is symmetric (its last sample equals its first) or periodic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symmetry {
    /// `D = n − 1`: `w[k] = w[n−1−k]`.
    Symmetric,
    /// `D = n`: the first `n` samples of a symmetric window of `n + 1`.
    Periodic,
}

/// The generalised cosine window with coefficients `a0, a1, a2` (see the module docs);
/// `n = 1` gives `[1.0]`, `n = 0` an empty vector.
pub fn cosine(n: usize, a: [f64; 3], symmetry: Symmetry) -> Vec<f32> {
    if n <= 1 {
        return vec![1.0; n];
    }
    let d = match symmetry {
        Symmetry::Symmetric => n - 1,
        Symmetry::Periodic => n,
    };
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    (0..n)
        .map(|k| {
            let x = 2.0 * PI * k as f64 / d as f64;
            (a[0] - a[1] * x.cos() + a[2] * (2.0 * x).cos()) as f32
        })
        .collect()
}

/// Hann: `a = (0.5, 0.5, 0)`.
pub fn hann(n: usize, symmetry: Symmetry) -> Vec<f32> {
    cosine(n, [0.5, 0.5, 0.0], symmetry)
}

/// Hamming: `a = (0.54, 0.46, 0)` (Hamming's rounded coefficients).
pub fn hamming(n: usize, symmetry: Symmetry) -> Vec<f32> {
    cosine(n, [0.54, 0.46, 0.0], symmetry)
}

/// Blackman: `a = (0.42, 0.5, 0.08)` (the classic, not the exact, Blackman).
///
/// ```
/// use arsenal_fft::dsp::window::{blackman, Symmetry};
/// let w = blackman(3, Symmetry::Symmetric);
/// assert!(w[0].abs() < 1e-7 && (w[1] - 1.0).abs() < 1e-7);
/// ```
pub fn blackman(n: usize, symmetry: Symmetry) -> Vec<f32> {
    cosine(n, [0.42, 0.5, 0.08], symmetry)
}

/// Multiplies `signal` by `window` element by element (the shorter length wins).
pub fn apply(window: &[f32], signal: &mut [f32]) {
    for (s, w) in signal.iter_mut().zip(window) {
        *s *= w;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_match_their_formulas() {
        for n in [2usize, 7, 64, 1001] {
            for symmetry in [Symmetry::Symmetric, Symmetry::Periodic] {
                let d = if symmetry == Symmetry::Symmetric {
                    n - 1
                } else {
                    n
                } as f64;
                let (hn, hm, bl) = (
                    hann(n, symmetry),
                    hamming(n, symmetry),
                    blackman(n, symmetry),
                );
                for k in 0..n {
                    let x = 2.0 * PI * k as f64 / d;
                    let want_hann = 0.5 * (1.0 - x.cos());
                    let want_hamming = 0.54 - 0.46 * x.cos();
                    let want_blackman = 0.42 - 0.5 * x.cos() + 0.08 * (2.0 * x).cos();
                    assert!((f64::from(hn[k]) - want_hann).abs() < 1e-7, "hann {n} {k}");
                    assert!(
                        (f64::from(hm[k]) - want_hamming).abs() < 1e-7,
                        "hamming {n} {k}"
                    );
                    assert!(
                        (f64::from(bl[k]) - want_blackman).abs() < 1e-7,
                        "blackman {n} {k}"
                    );
                }
                if symmetry == Symmetry::Symmetric {
                    for k in 0..n {
                        assert!((hn[k] - hn[n - 1 - k]).abs() < 1e-7);
                    }
                    // odd lengths peak at exactly 1 in the middle
                    if n % 2 == 1 {
                        assert!((hn[n / 2] - 1.0).abs() < 1e-7);
                    }
                }
            }
        }
        assert_eq!(hann(1, Symmetry::Periodic), [1.0]);
        assert!(hann(0, Symmetry::Periodic).is_empty());
        let mut s = vec![2.0f32; 5];
        apply(&hann(5, Symmetry::Symmetric), &mut s);
        assert_eq!(s, [0.0, 1.0, 2.0, 1.0, 0.0]);
    }
}
