//! Summation and dot products of `f64` with an error bound: each function returns the
//! computed value and a bound on its absolute error ([`Sum`]), valid barring overflow and
//! underflow. `u = 2⁻⁵³` is the unit roundoff and `γₙ = n·u / (1 − n·u)`.
//!
//! | function | method | error bound (`bound`) |
//! |---|---|---|
//! | [`naive`] | left to right | `γ₍ₙ₋₁₎ · Σ|xᵢ|` |
//! | [`pairwise`] | blocks of [`PAIRWISE_BLOCK`] summed left to right, then halves recursively | `γ₍b−1+⌈log₂⌈n/b⌉⌉₎ · Σ|xᵢ|` |
//! | [`kahan`] | Kahan's compensated sum | `(2u + 4n·u²) · Σ|xᵢ|` (Higham's first-order `2u·Σ|xᵢ|` with the O(n·u²) term taken as `4n·u²`; checked, not proven here) |
//! | [`neumaier`] | Neumaier's compensated sum in Ogita–Rump–Oishi's branch-free form (`Sum2`, TwoSum) | `u·|s| + γ₍ₙ₋₁₎² · Σ|xᵢ|` (ORO 2005) |
//! | [`dot`] | left to right | `γₙ · Σ|xᵢyᵢ|` |
//! | [`dot2`] | ORO's `Dot2`: TwoProduct (Dekker–Veltkamp splitting, no FMA needed) and TwoSum | `u·|s| + γₙ² · Σ|xᵢyᵢ|` |
//!
//! Compensated sums are as accurate as if computed in twice the precision and then rounded;
//! the naive sum can lose every digit when `|Σxᵢ| ≪ Σ|xᵢ|`.
//!
//! ```
//! use arsenal_num::sum::{naive, neumaier};
//! let x = [1e16, 1.0, -1e16, 1.0];
//! assert_eq!(naive(&x).value, 1.0); // one of the two 1.0s lost
//! let s = neumaier(&x);
//! assert_eq!(s.value, 2.0);
//! assert!(s.bound < 1e-14);
//! ```

const U: f64 = f64::EPSILON / 2.0;

/// A computed sum and a bound on its absolute error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sum {
    /// The computed value.
    pub value: f64,
    /// `|value − exact| ≤ bound` (barring overflow and underflow).
    pub bound: f64,
}

/// γₙ, rounded up a little (the bound itself is computed in floating point).
fn gamma(n: usize) -> f64 {
    let nu = n as f64 * U;
    if nu >= 1.0 {
        return f64::INFINITY;
    }
    nu / (1.0 - nu) * (1.0 + 4.0 * U)
}

fn abs_sum(x: &[f64]) -> f64 {
    x.iter().map(|v| v.abs()).sum::<f64>() * (1.0 + gamma(x.len()))
}

/// Left-to-right summation (what `iter().sum()` does), with Σ|xᵢ| for the bound
/// accumulated in the same loop (an independent chain, so it costs no extra latency).
pub fn naive(x: &[f64]) -> Sum {
    let (mut value, mut abs) = (0.0f64, 0.0f64);
    for &v in x {
        value += v;
        abs += v.abs();
    }
    Sum {
        value,
        bound: gamma(x.len().saturating_sub(1)) * abs * (1.0 + gamma(x.len())),
    }
}

/// The block size of [`pairwise`].
pub const PAIRWISE_BLOCK: usize = 128;

fn pairwise_rec(x: &[f64]) -> f64 {
    if x.len() <= PAIRWISE_BLOCK {
        // Eight accumulators: still a left-to-right sum per lane (the bound's b − 1 term
        // covers it), and vectorisable.
        let mut acc = [0.0f64; 8];
        let chunks = x.chunks_exact(8);
        let tail = chunks.remainder();
        for c in chunks {
            for i in 0..8 {
                acc[i] += c[i];
            }
        }
        let mut s =
            ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for v in tail {
            s += v;
        }
        return s;
    }
    let mid = x.len() / 2;
    pairwise_rec(&x[..mid]) + pairwise_rec(&x[mid..])
}

/// Pairwise (cascade) summation: error growth `O(log n)` instead of `O(n)`.
pub fn pairwise(x: &[f64]) -> Sum {
    let n = x.len();
    let blocks = n.div_ceil(PAIRWISE_BLOCK).max(1);
    let depth = usize::BITS - (blocks - 1).leading_zeros(); // ⌈log2 blocks⌉
    Sum {
        value: pairwise_rec(x),
        bound: gamma(PAIRWISE_BLOCK - 1 + depth as usize) * abs_sum(x),
    }
}

/// Kahan's compensated summation.
pub fn kahan(x: &[f64]) -> Sum {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for &v in x {
        let y = v - c;
        let t = s + y;
        c = (t - s) - y;
        s = t;
    }
    let n = x.len() as f64;
    Sum {
        value: s,
        bound: (2.0 * U + 4.0 * n * U * U) * abs_sum(x),
    }
}

/// Knuth's TwoSum: `a + b = s + e` exactly.
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// Neumaier's compensated summation (ORO's `Sum2`).
pub fn neumaier(x: &[f64]) -> Sum {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for &v in x {
        let (t, e) = two_sum(s, v);
        s = t;
        c += e;
    }
    let value = s + c;
    let g = gamma(x.len().saturating_sub(1));
    Sum {
        value,
        bound: U * value.abs() * (1.0 + 4.0 * U) + g * g * abs_sum(x),
    }
}

/// Dekker's TwoProduct with Veltkamp splitting: `a·b = p + e` exactly (barring overflow
/// of `a·(2²⁷+1)`).
#[inline(always)]
fn two_product(a: f64, b: f64) -> (f64, f64) {
    const SPLIT: f64 = 134_217_729.0; // 2^27 + 1
    let p = a * b;
    let split = |v: f64| {
        let c = SPLIT * v;
        let hi = c - (c - v);
        (hi, v - hi)
    };
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let e = al * bl - (((p - ah * bh) - al * bh) - ah * bl);
    (p, e)
}

/// `Σ xᵢyᵢ` left to right (with Σ|xᵢyᵢ| for the bound in the same loop); the lengths
/// must match (the shorter one decides otherwise).
pub fn dot(x: &[f64], y: &[f64]) -> Sum {
    let n = x.len().min(y.len());
    let (mut value, mut abs) = (0.0f64, 0.0f64);
    for (a, b) in x[..n].iter().zip(&y[..n]) {
        let p = a * b;
        value += p;
        abs += p.abs();
    }
    Sum {
        value,
        bound: gamma(n) * abs * (1.0 + gamma(n)),
    }
}

/// ORO's `Dot2`: the dot product as if in twice the precision, then rounded.
pub fn dot2(x: &[f64], y: &[f64]) -> Sum {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for (&a, &b) in x.iter().zip(y) {
        let (p, ep) = two_product(a, b);
        let (t, es) = two_sum(s, p);
        s = t;
        c += ep + es;
    }
    let value = s + c;
    let abs: f64 = x.iter().zip(y).map(|(a, b)| (a * b).abs()).sum::<f64>() * (1.0 + gamma(n));
    let g = gamma(n);
    Sum {
        value,
        bound: U * value.abs() * (1.0 + 4.0 * U) + g * g * abs,
    }
}
