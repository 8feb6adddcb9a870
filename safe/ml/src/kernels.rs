//! Element-wise and row-wise transformer kernels on `f32`, each with a scalar reference
//! in [`mod@reference`] that the tests compare against.
//!
//! Layouts are row-major: a batch of rows is one slice whose length is a multiple of the
//! row length; a mismatch is an [`Error`].

use crate::error::{expect_len, mul, Error, Result};

/// Numerically stable softmax of one row, in place: `exp(x - max) / sum`. A row whose
/// values are all `-inf` (fully masked) becomes all zeros; an empty row is left alone.
/// `exp` is a polynomial (Cephes' `expf`, relative error below 2e-7) evaluated 16 or 8
/// lanes at a time.
///
/// ```
/// let mut x = [0.0f32, 1000.0, 1000.0];
/// arsenal_ml::kernels::softmax(&mut x); // no overflow: the max is subtracted first
/// assert_eq!(x, [0.0, 0.5, 0.5]);
/// ```
pub fn softmax(x: &mut [f32]) {
    dispatch!(softmax_body(x: &mut [f32]))
}

#[inline(always)]
fn softmax_body<const FMA: bool>(x: &mut [f32]) {
    let max = max_of(x);
    if max == f32::NEG_INFINITY {
        x.fill(0.0);
        return;
    }
    let mut acc = [0f32; LANES];
    let mut chunks = x.chunks_exact_mut(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            c[i] = exp::<FMA>(c[i] - max);
            acc[i] += c[i];
        }
    }
    let mut sum = acc.iter().sum::<f32>();
    for v in chunks.into_remainder() {
        *v = exp::<FMA>(*v - max);
        sum += *v;
    }
    let inv = 1.0 / sum;
    for v in x.iter_mut() {
        *v *= inv;
    }
}

/// [`softmax`] of every `cols`-long row of `x`.
pub fn softmax_rows(x: &mut [f32], cols: usize) -> Result<()> {
    rows_of(x.len(), cols, "x")?;
    if cols > 0 {
        x.chunks_exact_mut(cols).for_each(softmax);
    }
    Ok(())
}

/// Layer normalisation of every row of `x` (row length `gamma.len()`):
/// `out = (x - mean) / sqrt(var + eps) * gamma + beta`, variance over the row (biased,
/// two passes).
pub fn layernorm(x: &[f32], gamma: &[f32], beta: &[f32], eps: f32, out: &mut [f32]) -> Result<()> {
    let d = gamma.len();
    expect_len("beta", beta.len(), d)?;
    rows_of(x.len(), d, "x")?;
    expect_len("out", out.len(), x.len())?;
    if d == 0 {
        return Ok(());
    }
    for (row, o) in x.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
        dispatch!(layernorm_row(row: &[f32], gamma: &[f32], beta: &[f32], eps: f32, o: &mut [f32]));
    }
    Ok(())
}

#[inline(always)]
fn layernorm_row<const FMA: bool>(
    row: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
    o: &mut [f32],
) {
    let d = row.len();
    let mean = sum_of(row) / d as f32;
    let mut acc = [0f32; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            let t = c[i] - mean;
            acc[i] = fma::<FMA>(t, t, acc[i]);
        }
    }
    let mut var = acc.iter().sum::<f32>();
    for v in chunks.remainder() {
        var += (v - mean) * (v - mean);
    }
    let inv = 1.0 / (var / d as f32 + eps).sqrt();
    for i in 0..d {
        o[i] = fma::<FMA>((row[i] - mean) * inv, gamma[i], beta[i]);
    }
}

/// RMS normalisation of every row of `x` (row length `gamma.len()`):
/// `out = x / sqrt(mean(x²) + eps) * gamma`.
pub fn rmsnorm(x: &[f32], gamma: &[f32], eps: f32, out: &mut [f32]) -> Result<()> {
    let d = gamma.len();
    rows_of(x.len(), d, "x")?;
    expect_len("out", out.len(), x.len())?;
    if d == 0 {
        return Ok(());
    }
    for (row, o) in x.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
        dispatch!(rmsnorm_row(row: &[f32], gamma: &[f32], eps: f32, o: &mut [f32]));
    }
    Ok(())
}

#[inline(always)]
fn rmsnorm_row<const FMA: bool>(row: &[f32], gamma: &[f32], eps: f32, o: &mut [f32]) {
    let mut acc = [0f32; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            acc[i] = fma::<FMA>(c[i], c[i], acc[i]);
        }
    }
    let mut ss = acc.iter().sum::<f32>();
    for v in chunks.remainder() {
        ss += v * v;
    }
    let inv = 1.0 / (ss / row.len() as f32 + eps).sqrt();
    for i in 0..row.len() {
        o[i] = row[i] * inv * gamma[i];
    }
}

/// GELU with the tanh approximation (GPT-2, llama.cpp's default), in place:
/// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, with `tanh(y) = 1 - 2/(e^{2y} + 1)`.
pub fn gelu_tanh(x: &mut [f32]) {
    dispatch!(gelu_tanh_body(x: &mut [f32]))
}

#[inline(always)]
fn gelu_tanh_body<const FMA: bool>(x: &mut [f32]) {
    const C: f32 = 0.797_884_6; // sqrt(2/pi)
    for v in x {
        let t = *v;
        let y = C * fma::<FMA>(0.044715 * t * t, t, t);
        // x·(1 + tanh y)/2 = x·(1 - 1/(e^{2y} + 1)) = x - x/(e^{2y} + 1)
        *v = t - t / (exp::<FMA>(2.0 * y) + 1.0);
    }
}

/// GELU with the exact erf form, in place: `0.5·x·(1 + erf(x/√2))`, `erf` by
/// Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7).
pub fn gelu_erf(x: &mut [f32]) {
    dispatch!(gelu_erf_body(x: &mut [f32]))
}

#[inline(always)]
fn gelu_erf_body<const FMA: bool>(x: &mut [f32]) {
    for v in x {
        let t = *v;
        *v = 0.5 * t * (1.0 + erf::<FMA>(t * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// SiLU (swish), in place: `x / (1 + exp(-x))`.
pub fn silu(x: &mut [f32]) {
    dispatch!(silu_body(x: &mut [f32]))
}

#[inline(always)]
fn silu_body<const FMA: bool>(x: &mut [f32]) {
    for v in x {
        let t = *v;
        *v = t / (1.0 + exp::<FMA>(-t));
    }
}

/// Lanes of the accumulator arrays: 16 (one AVX-512 register, two AVX2 registers).
const LANES: usize = 16;

/// Runs `$f::<FMA>(args)` compiled for AVX-512, AVX2 + FMA or the baseline, whichever
/// [`isa`] picked.
macro_rules! dispatch {
    ($f:ident($($a:ident: $t:ty),*)) => {{
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
            unsafe fn v4($($a: $t),*) {
                $f::<true>($($a),*)
            }
            #[target_feature(enable = "avx2,fma")]
            unsafe fn v3($($a: $t),*) {
                $f::<true>($($a),*)
            }
            match isa() {
                // SAFETY: isa() returns Avx512 only after detecting AVX-512F/VL and FMA.
                Isa::Avx512 => unsafe { v4($($a),*) },
                // SAFETY: isa() returns Avx2 only after detecting AVX2 and FMA.
                Isa::Avx2 => unsafe { v3($($a),*) },
                Isa::Scalar => $f::<false>($($a),*),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            $f::<false>($($a),*)
        }
    }};
}
use dispatch;

/// The instruction sets the kernels are compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// AVX-512F (+VL) and FMA.
    Avx512,
    /// AVX2 and FMA.
    Avx2,
    /// Whatever the target baseline has.
    Scalar,
}

/// The best [`Isa`] this CPU has, capped by `ARSENAL_ML_ISA` (`avx512`, `avx2`,
/// `scalar`), detected once.
pub(crate) fn isa() -> Isa {
    static ISA: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
    *ISA.get_or_init(|| {
        let cap = match std::env::var("ARSENAL_ML_ISA").as_deref() {
            Ok("scalar") => Isa::Scalar,
            Ok("avx2") => Isa::Avx2,
            _ => Isa::Avx512,
        };
        #[cfg(target_arch = "x86_64")]
        {
            let fma = is_x86_feature_detected!("fma");
            if cap == Isa::Avx512
                && fma
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512vl")
            {
                return Isa::Avx512;
            }
            if cap != Isa::Scalar && fma && is_x86_feature_detected!("avx2") {
                return Isa::Avx2;
            }
        }
        let _ = cap;
        Isa::Scalar
    })
}

/// What the kernels run on this CPU: `"avx512"`, `"avx2"` or `"scalar"`.
pub fn kernel_name() -> &'static str {
    match isa() {
        Isa::Avx512 => "avx512",
        Isa::Avx2 => "avx2",
        Isa::Scalar => "scalar",
    }
}

#[inline(always)]
fn fma<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

#[inline(always)]
fn max_of(x: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let mut chunks = x.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            acc[i] = if c[i] > acc[i] { c[i] } else { acc[i] };
        }
    }
    let mut m = chunks
        .remainder()
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    for a in acc {
        if a > m {
            m = a;
        }
    }
    m
}

#[inline(always)]
fn sum_of(x: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut chunks = x.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            acc[i] += c[i];
        }
    }
    acc.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

/// `e^x` in `f32`: Cephes' `expf` (range reduction by ln 2 in two parts, a degree-5
/// polynomial; relative error below 2e-7), branch-free so loops vectorise. `x` below
/// -87.3 gives 0, above 88.7 gives `inf`, NaN gives NaN.
#[inline(always)]
pub(crate) fn exp<const FMA: bool>(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    const MAGIC: f32 = 12_582_912.0; // 1.5·2^23: adding it rounds to an integer
    let xc = x.clamp(-87.33, 88.72);
    // n = round(x·log2 e), read off the float's bits (no float → int conversion, which
    // would not vectorise with Rust's saturating `as`).
    let big = fma::<FMA>(xc, LOG2E, MAGIC);
    let n = big - MAGIC;
    let ni = (big.to_bits() as i32).wrapping_sub(0x4B40_0000);
    let r = fma::<FMA>(n, -LN2_LO, fma::<FMA>(n, -LN2_HI, xc));
    let mut p = 1.987_569_2e-4f32;
    p = fma::<FMA>(p, r, 1.398_199_9e-3);
    p = fma::<FMA>(p, r, 8.333_452e-3);
    p = fma::<FMA>(p, r, 4.166_579_6e-2);
    p = fma::<FMA>(p, r, 0.166_666_65);
    p = fma::<FMA>(p, r, 0.5);
    let y = fma::<FMA>(p * r, r, r) + 1.0;
    // 2^n: n is in [-126, 128] after the clamp, so split it in two factors that are
    // both normal.
    let h = ni >> 1;
    let s1 = f32::from_bits(((h + 127) as u32) << 23);
    let s2 = f32::from_bits(((ni - h + 127) as u32) << 23);
    let v = y * s1 * s2;
    if x < -87.33 {
        0.0
    } else if x > 88.72 {
        f32::INFINITY
    } else if x.is_nan() {
        x
    } else {
        v
    }
}

/// `erf(x)` by Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7).
#[inline(always)]
fn erf<const FMA: bool>(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / fma::<FMA>(0.327_591_1, a, 1.0);
    let mut p = 1.061_405_4f32;
    p = fma::<FMA>(p, t, -1.453_152_1);
    p = fma::<FMA>(p, t, 1.421_413_8);
    p = fma::<FMA>(p, t, -0.284_496_72);
    p = fma::<FMA>(p, t, 0.254_829_6);
    let y = 1.0 - p * t * exp::<FMA>(-a * a);
    y.copysign(x)
}

/// Which elements of a head rotate together in [`Rope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RopeLayout {
    /// Adjacent pairs `(2i, 2i+1)`: GPT-J, the original RoFormer, ggml's mode 0.
    Interleaved,
    /// Halves `(i, i + d/2)`: GPT-NeoX and Hugging Face's Llama (`rotate_half`), ggml's
    /// NeoX mode.
    Half,
}

/// Rotary position embedding for heads of `head_dim` values (even), with frequencies
/// `base^(-2i/head_dim)`; the cos/sin table is computed per position on the fly in `f64`
/// and rounded once.
#[derive(Debug, Clone, PartialEq)]
pub struct Rope {
    head_dim: usize,
    layout: RopeLayout,
    inv_freq: Vec<f64>,
}

impl Rope {
    /// A RoPE for `head_dim` (even, non-zero) with `base` (10000 for Llama 2, 500000 for
    /// Llama 3; finite and > 1).
    pub fn new(head_dim: usize, base: f64, layout: RopeLayout) -> Result<Self> {
        if head_dim == 0 || !head_dim.is_multiple_of(2) {
            return Err(Error::invalid(format!(
                "RoPE head_dim must be even and non-zero, got {head_dim}"
            )));
        }
        if !(base.is_finite() && base > 1.0) {
            return Err(Error::invalid(format!(
                "RoPE base must be finite and > 1, got {base}"
            )));
        }
        let half = head_dim / 2;
        let inv_freq = (0..half)
            .map(|i| base.powf(-((2 * i) as f64) / head_dim as f64))
            .collect();
        Ok(Rope {
            head_dim,
            layout,
            inv_freq,
        })
    }

    /// The head size.
    pub fn head_dim(&self) -> usize {
        self.head_dim
    }

    /// The layout.
    pub fn layout(&self) -> RopeLayout {
        self.layout
    }

    /// Rotates `x` in place: `positions.len()` tokens, each `heads · head_dim` values
    /// (`[tokens, heads, head_dim]` row-major); token `t` is at position `positions[t]`.
    pub fn apply(&self, x: &mut [f32], heads: usize, positions: &[usize]) -> Result<()> {
        let d = self.head_dim;
        let per_token = mul(heads, d, "heads * head_dim")?;
        let total = mul(per_token, positions.len(), "tokens * heads * head_dim")?;
        expect_len("x", x.len(), total)?;
        if per_token == 0 {
            return Ok(());
        }
        let half = d / 2;
        let mut cos = vec![0f32; half];
        let mut sin = vec![0f32; half];
        for (tok, &pos) in x.chunks_exact_mut(per_token).zip(positions) {
            for i in 0..half {
                let angle = pos as f64 * self.inv_freq[i];
                cos[i] = angle.cos() as f32;
                sin[i] = angle.sin() as f32;
            }
            for head in tok.chunks_exact_mut(d) {
                for i in 0..half {
                    let (a, b) = match self.layout {
                        RopeLayout::Interleaved => (2 * i, 2 * i + 1),
                        RopeLayout::Half => (i, i + half),
                    };
                    let (x0, x1) = (head[a], head[b]);
                    head[a] = x0 * cos[i] - x1 * sin[i];
                    head[b] = x0 * sin[i] + x1 * cos[i];
                }
            }
        }
        Ok(())
    }
}

/// Embedding lookup: row `ids[t]` of `table` (`table.len() / dim` rows of `dim`) into
/// row `t` of `out`. An id past the table is [`ErrorKind::InvalidArgument`](crate::ErrorKind).
pub fn embedding(table: &[f32], dim: usize, ids: &[u32], out: &mut [f32]) -> Result<()> {
    let rows = rows_of(table.len(), dim, "table")?;
    expect_len("out", out.len(), mul(ids.len(), dim, "ids * dim")?)?;
    if dim == 0 {
        return Ok(());
    }
    for (o, &id) in out.chunks_exact_mut(dim).zip(ids) {
        let id = id as usize;
        if id >= rows {
            return Err(Error::invalid(format!(
                "token id {id} is past the embedding table's {rows} rows"
            )));
        }
        o.copy_from_slice(&table[id * dim..(id + 1) * dim]);
    }
    Ok(())
}

/// The number of `cols`-long rows in `len` values; an error when `len` is not a
/// multiple (or `cols` is 0 and `len` is not).
pub(crate) fn rows_of(len: usize, cols: usize, name: &str) -> Result<usize> {
    if cols == 0 {
        return if len == 0 {
            Ok(0)
        } else {
            Err(Error::shape(format!(
                "{name}: row length 0 with {len} values"
            )))
        };
    }
    if !len.is_multiple_of(cols) {
        return Err(Error::shape(format!(
            "{name} has {len} values, not a multiple of the row length {cols}"
        )));
    }
    Ok(len / cols)
}

/// `f64` scalar references of the kernels, for tests and verification.
pub mod reference {
    /// GELU, tanh approximation.
    pub fn gelu_tanh(x: f64) -> f64 {
        const C: f64 = 0.797_884_560_802_865_4; // sqrt(2/pi)
        0.5 * x * (1.0 + (C * (x + 0.044715 * x * x * x)).tanh())
    }

    /// GELU, exact.
    pub fn gelu_erf(x: f64) -> f64 {
        0.5 * x * (1.0 + erf(x / std::f64::consts::SQRT_2))
    }

    /// SiLU.
    pub fn silu(x: f64) -> f64 {
        x / (1.0 + (-x).exp())
    }

    /// Softmax of one row in `f64`.
    pub fn softmax(x: &[f64]) -> Vec<f64> {
        let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if max == f64::NEG_INFINITY {
            return vec![0.0; x.len()];
        }
        let e: Vec<f64> = x.iter().map(|v| (v - max).exp()).collect();
        let s: f64 = e.iter().sum();
        e.iter().map(|v| v / s).collect()
    }

    /// The error function (Abramowitz–Stegun 7.1.26 is too coarse for a reference; this
    /// is the series / continued fraction pair, accurate to ~1e-15).
    pub fn erf(x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let ax = x.abs();
        let r = if ax < 2.5 {
            // Maclaurin series: erf x = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            let mut sum = 0.0f64;
            let mut term = ax;
            let x2 = ax * ax;
            let mut n = 0.0;
            while term.abs() > 1e-17 * sum.abs().max(1e-300) {
                sum += term / (2.0 * n + 1.0);
                n += 1.0;
                term *= -x2 / n;
                if n > 200.0 {
                    break;
                }
            }
            sum * std::f64::consts::FRAC_2_SQRT_PI
        } else if ax > 6.0 {
            1.0
        } else {
            // erfc x = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
            let mut f = ax;
            for k in (1..60).rev() {
                f = ax + (k as f64 / 2.0) / f;
            }
            1.0 - (-ax * ax).exp() / (std::f64::consts::PI.sqrt() * f)
        };
        r.copysign(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// A small deterministic generator (splitmix64) for test data.
    fn rng(seed: u64) -> impl FnMut() -> f32 {
        let mut s = seed;
        move || {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            (z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
        }
    }

    /// Normalised mean squared error Σ(a−b)²/Σb² (llama.cpp's test-backend-ops metric).
    fn nmse(a: &[f32], b: &[f64]) -> f64 {
        let num: f64 = a.iter().zip(b).map(|(x, y)| (*x as f64 - y).powi(2)).sum();
        let den: f64 = b.iter().map(|y| y * y).sum();
        if den == 0.0 {
            num
        } else {
            num / den
        }
    }

    #[test]
    fn exp_is_accurate_over_its_range() {
        // Relative error bound 3e-7 (Cephes states 2e-7 for expf in IEEE f32), checked on
        // a dense grid of the whole finite range, with and without FMA.
        let mut x = -87.0f32;
        while x < 88.0 {
            for got in [exp::<false>(x), exp::<true>(x)] {
                let want = (x as f64).exp();
                let rel = ((got as f64 - want) / want).abs();
                assert!(rel < 3e-7, "exp({x}) = {got}, want {want} (rel {rel:e})");
            }
            x += 0.0137;
        }
        assert_eq!(exp::<false>(-100.0), 0.0);
        assert_eq!(exp::<false>(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp::<true>(100.0), f32::INFINITY);
        assert!(exp::<false>(f32::NAN).is_nan());
        assert_eq!(exp::<false>(0.0), 1.0);
    }

    #[test]
    fn softmax_matches_f64_reference() {
        // Tolerance: NMSE ≤ 1e-6 (llama.cpp's bound for softmax), and every element
        // within 1e-5 relative + 1e-9 absolute of the f64 result.
        let mut r = rng(1);
        for len in [1usize, 2, 7, 15, 16, 17, 64, 100, 1000, 4099] {
            for scale in [1.0f32, 30.0, 1e4] {
                let x: Vec<f32> = (0..len).map(|_| r() * scale).collect();
                let want = reference::softmax(&x.iter().map(|&v| v as f64).collect::<Vec<_>>());
                let mut got = x.clone();
                softmax(&mut got);
                assert!(nmse(&got, &want) <= 1e-6, "len {len} scale {scale}");
                for (g, w) in got.iter().zip(&want) {
                    assert!((*g as f64 - w).abs() <= 1e-5 * w + 1e-9, "{g} vs {w}");
                }
                let mut plain = x.clone();
                softmax_body::<false>(&mut plain);
                assert!(nmse(&plain, &want) <= 1e-6);
            }
        }
        let mut masked = [f32::NEG_INFINITY, 1.0, f32::NEG_INFINITY, 1.0];
        softmax(&mut masked);
        assert_eq!(masked, [0.0, 0.5, 0.0, 0.5]);
        let mut all = [f32::NEG_INFINITY; 20];
        softmax(&mut all);
        assert_eq!(all, [0.0; 20]);
        let mut empty: [f32; 0] = [];
        softmax(&mut empty);
        let mut rows = vec![0.0f32; 6];
        softmax_rows(&mut rows, 3).unwrap();
        assert!(rows.iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7));
        assert_eq!(
            softmax_rows(&mut rows, 4).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            softmax_rows(&mut rows, 0).unwrap_err().kind(),
            ErrorKind::Shape
        );
    }

    #[test]
    fn norms_match_f64_reference() {
        // Tolerance: NMSE ≤ 1e-7 against the f64 formulas (single-precision sums of
        // up to 4099 terms).
        let mut r = rng(2);
        for d in [1usize, 5, 16, 33, 4099] {
            let rows = 3;
            let x: Vec<f32> = (0..rows * d).map(|_| r() * 4.0 + 1.0).collect();
            let gamma: Vec<f32> = (0..d).map(|_| r() + 1.5).collect();
            let beta: Vec<f32> = (0..d).map(|_| r()).collect();
            let eps = 1e-5;
            let mut ln_want = Vec::new();
            let mut rms_want = Vec::new();
            for row in x.chunks(d) {
                let row: Vec<f64> = row.iter().map(|&v| v as f64).collect();
                let mean = row.iter().sum::<f64>() / d as f64;
                let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d as f64;
                let ms = row.iter().map(|v| v * v).sum::<f64>() / d as f64;
                for i in 0..d {
                    ln_want.push(
                        (row[i] - mean) / (var + eps as f64).sqrt() * gamma[i] as f64
                            + beta[i] as f64,
                    );
                    rms_want.push(row[i] / (ms + eps as f64).sqrt() * gamma[i] as f64);
                }
            }
            let mut out = vec![0f32; x.len()];
            layernorm(&x, &gamma, &beta, eps, &mut out).unwrap();
            assert!(
                nmse(&out, &ln_want) <= 1e-7,
                "layernorm d={d}: {}",
                nmse(&out, &ln_want)
            );
            rmsnorm(&x, &gamma, eps, &mut out).unwrap();
            assert!(nmse(&out, &rms_want) <= 1e-7, "rmsnorm d={d}");
        }
        let mut out = [0f32; 4];
        assert_eq!(
            rmsnorm(&[1.0; 4], &[1.0; 3], 1e-5, &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            layernorm(&[1.0; 4], &[1.0; 2], &[0.0; 3], 1e-5, &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            rmsnorm(&[1.0; 4], &[1.0; 2], 1e-5, &mut out[..2])
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
    }

    #[test]
    fn activations_match_f64_reference() {
        // Tolerance: |got − want| ≤ 2e-6·max(1, |x|) (f32 rounding of the f64 value is
        // 6e-8 relative; the polynomials add < 2e-7 relative and 1.5e-7 absolute for erf).
        let xs: Vec<f32> = (-4000..=4000)
            .map(|i| i as f32 / 200.0)
            .chain([-100.0, 100.0, 1e-30, -1e-30])
            .collect();
        type Kernel = (&'static str, fn(&mut [f32]), fn(f64) -> f64);
        let kernels: [Kernel; 3] = [
            ("gelu_tanh", gelu_tanh, reference::gelu_tanh),
            ("gelu_erf", gelu_erf, reference::gelu_erf),
            ("silu", silu, reference::silu),
        ];
        for (name, kernel, reference) in kernels {
            let mut got = xs.clone();
            kernel(&mut got);
            for (x, g) in xs.iter().zip(&got) {
                let want = reference(*x as f64);
                assert!(
                    (*g as f64 - want).abs() <= 2e-6 * (x.abs() as f64).max(1.0),
                    "{name}({x}) = {g}, want {want}"
                );
            }
        }
        let mut plain = xs.clone();
        gelu_erf_body::<false>(&mut plain);
        let mut fast = xs.clone();
        gelu_erf(&mut fast);
        for (a, b) in plain.iter().zip(&fast) {
            assert!((a - b).abs() <= 1e-6 * a.abs().max(1.0));
        }
    }

    #[test]
    fn erf_reference_is_accurate() {
        // Known values (Abramowitz–Stegun table 7.1) to 1e-15.
        for (x, want) in [
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (3.0, 0.999_977_909_503_001_4),
        ] {
            assert!((reference::erf(x) - want).abs() < 1e-15, "erf({x})");
            assert!((reference::erf(-x) + want).abs() < 1e-15);
        }
    }

    fn rope_reference(
        x: &[f32],
        d: usize,
        heads: usize,
        pos: &[usize],
        base: f64,
        layout: RopeLayout,
    ) -> Vec<f64> {
        let mut out: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        for (t, &p) in pos.iter().enumerate() {
            for h in 0..heads {
                let o = (t * heads + h) * d;
                for i in 0..d / 2 {
                    let theta = p as f64 * base.powf(-2.0 * i as f64 / d as f64);
                    let (a, b) = match layout {
                        RopeLayout::Interleaved => (o + 2 * i, o + 2 * i + 1),
                        RopeLayout::Half => (o + i, o + i + d / 2),
                    };
                    let (x0, x1) = (x[a] as f64, x[b] as f64);
                    out[a] = x0 * theta.cos() - x1 * theta.sin();
                    out[b] = x0 * theta.sin() + x1 * theta.cos();
                }
            }
        }
        out
    }

    #[test]
    fn rope_matches_reference_in_both_layouts() {
        // Tolerance: max-abs ≤ 1e-3 (llama.cpp's RoPE bound); in practice ~1e-6 here
        // because the angles are computed in f64.
        let mut r = rng(3);
        for layout in [RopeLayout::Interleaved, RopeLayout::Half] {
            for (d, heads) in [(2usize, 1usize), (8, 3), (64, 4), (128, 2)] {
                let pos = [0usize, 1, 7, 511, 4095, 100_000];
                let x: Vec<f32> = (0..pos.len() * heads * d).map(|_| r()).collect();
                let rope = Rope::new(d, 10_000.0, layout).unwrap();
                let mut got = x.clone();
                rope.apply(&mut got, heads, &pos).unwrap();
                let want = rope_reference(&x, d, heads, &pos, 10_000.0, layout);
                let max = got
                    .iter()
                    .zip(&want)
                    .map(|(g, w)| (*g as f64 - w).abs())
                    .fold(0.0, f64::max);
                assert!(max <= 1e-3, "{layout:?} d={d}: {max}");
                // Position 0 is the identity.
                assert_eq!(&got[..heads * d], &x[..heads * d]);
            }
        }
        // The two layouts are the same rotation on permuted coordinates.
        let d = 8;
        let x: Vec<f32> = (0..d).map(|_| r()).collect();
        let perm: Vec<usize> = (0..d / 2).flat_map(|i| [i, i + d / 2]).collect();
        let xi: Vec<f32> = perm.iter().map(|&p| x[p]).collect();
        let mut half = x.clone();
        Rope::new(d, 10_000.0, RopeLayout::Half)
            .unwrap()
            .apply(&mut half, 1, &[5])
            .unwrap();
        let mut inter = xi.clone();
        Rope::new(d, 10_000.0, RopeLayout::Interleaved)
            .unwrap()
            .apply(&mut inter, 1, &[5])
            .unwrap();
        for (k, &p) in perm.iter().enumerate() {
            assert_eq!(inter[k], half[p]);
        }
    }

    #[test]
    fn bad_shapes_are_errors_never_panics() {
        assert_eq!(
            Rope::new(0, 1e4, RopeLayout::Half).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            Rope::new(7, 1e4, RopeLayout::Half).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            Rope::new(8, f64::NAN, RopeLayout::Half).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            Rope::new(8, 1.0, RopeLayout::Half).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let rope = Rope::new(8, 1e4, RopeLayout::Half).unwrap();
        let mut x = [0f32; 16];
        assert_eq!(
            rope.apply(&mut x, usize::MAX, &[0]).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            rope.apply(&mut x, 1, &[0]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        rope.apply(&mut x, 2, &[usize::MAX]).unwrap(); // huge positions are just angles
        assert!(x.iter().all(|v| v.is_finite()));

        let table: Vec<f32> = (0..12).map(|v| v as f32).collect();
        let mut out = [0f32; 6];
        embedding(&table, 3, &[3, 0], &mut out).unwrap();
        assert_eq!(out, [9.0, 10.0, 11.0, 0.0, 1.0, 2.0]);
        assert_eq!(
            embedding(&table, 3, &[4, 0], &mut out).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            embedding(&table, 3, &[u32::MAX, 0], &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            embedding(&table, 5, &[0], &mut out).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            embedding(&table, 3, &[0], &mut out).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            embedding(&table, usize::MAX, &[], &mut [])
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
    }
}
