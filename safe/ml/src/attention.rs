//! Attention on `f32`: scaled-dot-product attention on the [`Blas`] trait ([`sdpa`]),
//! tiled flash attention with an online softmax ([`flash_attention`]), and a plain `f64`
//! reference ([`attention_reference`]) the tests and benchmarks verify against.
//!
//! # Layouts
//!
//! Everything is row-major `f32`:
//!
//! - `q`: `[seq_q, heads, head_dim]`, element `(i, h, t)` at `(i * heads + h) * head_dim + t`;
//! - `k` and `v`: `[seq_k, kv_heads, head_dim]`;
//! - `out`: `[seq_q, heads, head_dim]`, like `q`.
//!
//! `seq_q` and `seq_k` are read off the slice lengths (which must be whole multiples of
//! `heads * head_dim` and `kv_heads * head_dim`; `v` as long as `k`, `out` as long as `q`).
//!
//! # Grouped-query attention
//!
//! `heads % kv_heads == 0`; query head `h` attends with kv head `h / (heads / kv_heads)`
//! (`kv_heads == heads` is multi-head attention, `kv_heads == 1` multi-query).
//!
//! # Masking (identical in every function, including [`crate::kv`]'s)
//!
//! The queries are the **last** `seq_q` positions of the `seq_k` keys: query `i` sits at
//! absolute position `p = seq_k - seq_q + i`.
//!
//! - not causal: every key is visible (any `seq_q`, `seq_k`);
//! - causal: key `j` is visible iff `j <= p` (needs `seq_q <= seq_k`, else
//!   [`ErrorKind::Shape`]);
//! - causal with `window: Some(w)` (`w >= 1`; sliding-window / local attention as in
//!   Mistral): additionally `j > p - w`, i.e. the last `w` positions up to and including `p`.
//!   A window **without** causal masking is rejected with
//!   [`ErrorKind::InvalidArgument`], and so is
//!   `Some(0)`.
//!
//! A query row with no visible key (only possible when `seq_k == 0`) gives zeros.
//!
//! ```
//! use arsenal_ml::attention::{attention_reference, flash_attention, AttnParams};
//! let p = AttnParams::new(2, 1, 4)?.causal(true);
//! let (seq_q, seq_k) = (3, 5);
//! let q: Vec<f32> = (0..seq_q * 2 * 4).map(|i| (i as f32 * 0.37).sin()).collect();
//! let k: Vec<f32> = (0..seq_k * 4).map(|i| (i as f32 * 0.11).cos()).collect();
//! let v: Vec<f32> = (0..seq_k * 4).map(|i| i as f32 * 0.01).collect();
//! let mut out = vec![0.0; q.len()];
//! flash_attention(&p, &q, &k, &v, &mut out)?;
//! let want = attention_reference(&p, &q, &k, &v)?;
//! assert!(out.iter().zip(&want).all(|(a, b)| (*a as f64 - b).abs() < 1e-5));
//! # Ok::<(), arsenal_ml::Error>(())
//! ```

use crate::error::{expect_len, mul, Error, ErrorKind, Result, CHECKS};
use crate::kernels::{isa, Isa};
use arsenal_linalg::{Blas, MatMut, MatRef};

/// The parameters of one attention call (see the [module docs](self) for layouts and
/// masking). The fields are public; every function re-checks them
/// ([`AttnParams::validate`]), so a hand-built value is as safe as one from
/// [`AttnParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttnParams {
    /// Query heads.
    pub heads: usize,
    /// Key/value heads; divides `heads`.
    pub kv_heads: usize,
    /// Elements per head (`>= 1`).
    pub head_dim: usize,
    /// The factor on `q·k` before the softmax (finite); `1/sqrt(head_dim)` by default.
    pub scale: f32,
    /// Causal mask: query at position `p` sees keys `j <= p`.
    pub causal: bool,
    /// Sliding window `w >= 1` (needs `causal`): query at `p` sees keys `p - w < j <= p`.
    pub window: Option<usize>,
}

impl AttnParams {
    /// `heads` query heads over `kv_heads` key/value heads of `head_dim` elements, scale
    /// `1/sqrt(head_dim)`, not causal, no window. [`ErrorKind::InvalidArgument`] when a
    /// count is zero, [`ErrorKind::Shape`] when `kv_heads` does not divide `heads`,
    /// [`ErrorKind::TooLarge`] when `heads * head_dim` overflows.
    pub fn new(heads: usize, kv_heads: usize, head_dim: usize) -> Result<Self> {
        let p = AttnParams {
            heads,
            kv_heads,
            head_dim,
            scale: if head_dim == 0 {
                1.0
            } else {
                (1.0 / (head_dim as f64).sqrt()) as f32
            },
            causal: false,
            window: None,
        };
        p.validate()?;
        Ok(p)
    }

    /// Sets the causal mask.
    pub fn causal(mut self, causal: bool) -> Self {
        self.causal = causal;
        self
    }

    /// Sets the sliding window (`Some(w)`, `w >= 1`, needs [`AttnParams::causal`]).
    pub fn window(mut self, window: Option<usize>) -> Self {
        self.window = window;
        self
    }

    /// Sets the score scale.
    pub fn scale(mut self, scale: f32) -> Self {
        self.scale = scale;
        self
    }

    /// Query heads per kv head (`heads / kv_heads`).
    pub fn group_size(&self) -> usize {
        self.heads.checked_div(self.kv_heads).unwrap_or(0)
    }

    /// Checks the parameters: counts non-zero ([`ErrorKind::InvalidArgument`]),
    /// `kv_heads` divides `heads` ([`ErrorKind::Shape`]), `heads * head_dim` fits
    /// ([`ErrorKind::TooLarge`]), a finite scale, a window only with causal masking and
    /// at least 1 ([`ErrorKind::InvalidArgument`]).
    pub fn validate(&self) -> Result<()> {
        if self.heads == 0 || self.kv_heads == 0 || self.head_dim == 0 {
            return Err(Error::invalid(format!(
                "attention needs heads, kv_heads and head_dim >= 1 (got {}, {}, {})",
                self.heads, self.kv_heads, self.head_dim
            )));
        }
        if !self.heads.is_multiple_of(self.kv_heads) {
            return Err(Error::shape(format!(
                "kv_heads {} does not divide heads {}",
                self.kv_heads, self.heads
            )));
        }
        mul(self.heads, self.head_dim, "heads * head_dim")?;
        if !self.scale.is_finite() {
            return Err(Error::invalid(format!(
                "scale {} is not finite",
                self.scale
            )));
        }
        match self.window {
            Some(0) => Err(Error::invalid("a sliding window needs w >= 1")),
            Some(_) if !self.causal => Err(Error::invalid(
                "a sliding window needs causal masking (set causal(true))",
            )),
            _ => Ok(()),
        }
    }
}

/// The visible key range of every query row (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mask {
    causal: bool,
    window: usize,
    offset: usize,
    seq_k: usize,
}

impl Mask {
    /// The mask of `p` for `seq_q` queries over `seq_k` keys (`p` already validated).
    pub(crate) fn new(p: &AttnParams, seq_q: usize, seq_k: usize) -> Result<Self> {
        if p.causal && seq_q > seq_k {
            return Err(Error::shape(format!(
                "causal attention needs seq_q <= seq_k (the queries are the last positions); got {seq_q} > {seq_k}"
            )));
        }
        Ok(Mask {
            causal: p.causal,
            window: p.window.unwrap_or(usize::MAX),
            offset: seq_k.saturating_sub(seq_q),
            seq_k,
        })
    }

    /// The keys `lo..hi` query row `i` sees.
    #[inline(always)]
    pub(crate) fn range(&self, i: usize) -> (usize, usize) {
        if !self.causal {
            return (0, self.seq_k);
        }
        let hi = (self.offset + i + 1).min(self.seq_k);
        (hi.saturating_sub(self.window), hi)
    }
}

/// `len / width` when `len` is a whole multiple of `width`.
fn rows_of(name: &str, len: usize, width: usize) -> Result<usize> {
    if width == 0 || !len.is_multiple_of(width) {
        return Err(Error::shape(format!(
            "{name} has {len} elements, not a whole number of rows of {width}"
        )));
    }
    Ok(len / width)
}

/// Validates `p` and the query/output lengths; returns `seq_q`.
pub(crate) fn check_q(p: &AttnParams, q: &[f32], out: &[f32]) -> Result<usize> {
    p.validate()?;
    let qw = mul(p.heads, p.head_dim, "heads * head_dim")?;
    let seq_q = rows_of("q", q.len(), qw)?;
    expect_len("out", out.len(), q.len())?;
    Ok(seq_q)
}

/// Validates everything; returns `(seq_q, seq_k, mask)`.
fn check(
    p: &AttnParams,
    q: &[f32],
    k: &[f32],
    v: &[f32],
    out_len: usize,
) -> Result<(usize, usize, Mask)> {
    p.validate()?;
    let qw = mul(p.heads, p.head_dim, "heads * head_dim")?;
    let kw = mul(p.kv_heads, p.head_dim, "kv_heads * head_dim")?;
    let seq_q = rows_of("q", q.len(), qw)?;
    expect_len("out", out_len, q.len())?;
    let seq_k = rows_of("k", k.len(), kw)?;
    expect_len("v", v.len(), k.len())?;
    Ok((seq_q, seq_k, Mask::new(p, seq_q, seq_k)?))
}

/// Scaled-dot-product attention on a BLAS: per query head `h` (kv head `g`),
/// `S = scale · Q_h · K_gᵀ` with one `gemm_f32` on strided views of `q` and `k` (no
/// copies), the mask, a row softmax ([`crate::kernels::softmax`]), then
/// `out_h = P · V_g` with a second `gemm_f32` straight into `out`'s strided view. A
/// single query row (decode) takes two `gemv_f32` calls instead.
///
/// `scratch` holds the `seq_q × seq_k` scores; it only grows, so reusing it across calls
/// allocates once. For long sequences prefer [`flash_attention`], whose extra memory does
/// not grow with `seq_k`. Layouts and masking: see the [module docs](self).
pub fn sdpa(
    blas: &dyn Blas,
    p: &AttnParams,
    q: &[f32],
    k: &[f32],
    v: &[f32],
    out: &mut [f32],
    scratch: &mut Vec<f32>,
) -> Result<()> {
    let (seq_q, seq_k, mask) = check(p, q, k, v, out.len())?;
    if seq_q == 0 {
        return Ok(());
    }
    if seq_k == 0 {
        out.fill(0.0);
        return Ok(());
    }
    let n = mul(seq_q, seq_k, "seq_q * seq_k scores")?;
    if scratch.len() < n {
        scratch.try_reserve(n - scratch.len()).map_err(|_| {
            Error::new(
                ErrorKind::TooLarge,
                CHECKS,
                format!("cannot allocate {seq_q}x{seq_k} scores"),
            )
        })?;
        scratch.resize(n, 0.0);
    }
    let s = &mut scratch[..n];
    let d = p.head_dim;
    let (qs, ks) = (p.heads * d, p.kv_heads * d);
    let group = p.group_size();
    for h in 0..p.heads {
        let g = h / group;
        if seq_q == 1 {
            // One query row (decode): two matrix-vector products, which BLAS libraries
            // run far better than a GEMM with m = 1.
            let kv = MatRef::new(&k[g * d..], seq_k, d, ks, 1)?;
            blas.gemv_f32(p.scale, kv, &q[h * d..][..d], 0.0, &mut *s)?;
            let (lo, hi) = mask.range(0);
            if lo >= hi {
                out[h * d..][..d].fill(0.0);
                continue;
            }
            s[..lo].fill(f32::NEG_INFINITY);
            s[hi..].fill(f32::NEG_INFINITY);
            crate::kernels::softmax(s);
            let vt = MatRef::new(&v[g * d..], seq_k, d, ks, 1)?.t();
            blas.gemv_f32(1.0, vt, &*s, 0.0, &mut out[h * d..][..d])?;
            continue;
        }
        let qv = MatRef::new(&q[h * d..], seq_q, d, qs, 1)?;
        let kt = MatRef::new(&k[g * d..], seq_k, d, ks, 1)?.t();
        blas.gemm_f32(
            p.scale,
            qv,
            kt,
            0.0,
            MatMut::row_major(&mut *s, seq_q, seq_k)?,
        )?;
        for (i, row) in s.chunks_exact_mut(seq_k).enumerate() {
            let (lo, hi) = mask.range(i);
            if lo >= hi {
                row.fill(0.0);
                continue;
            }
            row[..lo].fill(f32::NEG_INFINITY);
            row[hi..].fill(f32::NEG_INFINITY);
            crate::kernels::softmax(row);
        }
        let pv = MatRef::row_major(&*s, seq_q, seq_k)?;
        let vv = MatRef::new(&v[g * d..], seq_k, d, ks, 1)?;
        let ov = MatMut::new(&mut out[h * d..], seq_q, d, qs, 1)?;
        blas.gemm_f32(1.0, pv, vv, 0.0, ov)?;
    }
    Ok(())
}

/// The plain `f64` reference: per query head and row, the scaled dot products with the
/// visible keys, a stable softmax and the weighted sum of the values, all in `f64`.
/// Returns `[seq_q, heads, head_dim]`. Same checks, layouts and masking as [`sdpa`].
pub fn attention_reference(p: &AttnParams, q: &[f32], k: &[f32], v: &[f32]) -> Result<Vec<f64>> {
    let (seq_q, seq_k, mask) = check(p, q, k, v, q.len())?;
    let d = p.head_dim;
    let group = p.group_size();
    let mut out = vec![0f64; q.len()];
    let mut w = Vec::with_capacity(seq_k);
    for i in 0..seq_q {
        let (lo, hi) = mask.range(i);
        for h in 0..p.heads {
            let g = h / group;
            let qr = &q[(i * p.heads + h) * d..][..d];
            w.clear();
            for j in lo..hi {
                let kr = &k[(j * p.kv_heads + g) * d..][..d];
                let dot: f64 = qr.iter().zip(kr).map(|(a, b)| *a as f64 * *b as f64).sum();
                w.push(dot * p.scale as f64);
            }
            let max = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for x in w.iter_mut() {
                *x = (*x - max).exp();
                sum += *x;
            }
            let o = &mut out[(i * p.heads + h) * d..][..d];
            for (j, wj) in (lo..hi).zip(&w) {
                let vr = &v[(j * p.kv_heads + g) * d..][..d];
                for (o, x) in o.iter_mut().zip(vr) {
                    *o += wj / sum * *x as f64;
                }
            }
        }
    }
    Ok(out)
}

/// Query rows per tile of [`flash_attention`] (rows are `(position, head)` pairs of one
/// kv head's query group).
const BR: usize = 64;
/// Keys per tile of [`flash_attention`].
const BC: usize = 64;
/// Keys per register tile of the score kernel.
const KR: usize = 4;
/// Query rows (columns of `Sᵀ`) per register tile of the score kernel; divides `BR`.
const QN: usize = 32;
/// Rows per register tile of `P · V`.
const MR: usize = 4;
/// Head-dim elements per register tile of `P · V`.
const NR: usize = 32;
/// Query tiles with fewer rows (decode) use dot products instead of the register tiles.
const DOT_ROWS: usize = 8;

/// Reusable buffers of [`flash_attention_with`]: `O(Br·head_dim + Bc·Br)` floats
/// (`Br = Bc = 64`), independent of the sequence lengths. Grows only.
#[derive(Debug, Clone, Default)]
pub struct FlashScratch {
    /// Scaled, transposed query tile, `d × BR`.
    qt: Vec<f32>,
    /// Scores / probabilities, transposed: `BC × BR` (key-major).
    s: Vec<f32>,
    /// Output accumulator, `BR × d`.
    acc: Vec<f32>,
}

impl FlashScratch {
    /// Empty buffers (they grow on first use).
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every buffer large enough for `head_dim` `d`.
    fn prepare(&mut self, d: usize) -> Result<()> {
        let rd = mul(BR, d, "flash tile")?;
        fn grow(v: &mut Vec<f32>, n: usize) -> Result<()> {
            if v.len() < n {
                v.try_reserve(n - v.len()).map_err(|_| {
                    Error::new(ErrorKind::TooLarge, CHECKS, "cannot allocate a flash tile")
                })?;
                v.resize(n, 0.0);
            }
            Ok(())
        }
        grow(&mut self.qt, rd)?;
        grow(&mut self.s, BR * BC)?;
        grow(&mut self.acc, rd)
    }
}

/// FlashAttention-2 on the CPU (see the [module docs](self) for layouts and masking).
///
/// For each kv head, the query rows of its group (`(position, head)` pairs) are taken
/// `Br = 64` at a time; for each such tile the visible keys are walked `Bc = 64` at a
/// time (tiles entirely outside the causal / window mask are never touched):
/// `Sᵀ = K_tile · (scale · Q_tile)ᵀ` in 4×32 register tiles (keys read in place, the
/// query tile transposed once; dot products for tiles of fewer than 8 rows, e.g.
/// decode), an online softmax vectorised across query rows (running max `m`, running
/// sum `l`, the accumulator rescaled by `exp(m_old - m_new)`), `acc += P · V_tile` in
/// 4×32 register tiles, and finally `out = acc / l`. Extra memory is
/// `O(Br·head_dim + Br·Bc)` floats per call, independent of `seq_k` (never
/// `seq_q × seq_k`); [`flash_attention_with`] reuses it across calls. Compiled for AVX-512, AVX2 + FMA and the baseline, picked at run time
/// (`ARSENAL_ML_ISA=avx2|scalar` caps it).
pub fn flash_attention(
    p: &AttnParams,
    q: &[f32],
    k: &[f32],
    v: &[f32],
    out: &mut [f32],
) -> Result<()> {
    flash_attention_with(p, q, k, v, out, &mut FlashScratch::new())
}

/// [`flash_attention`] with caller-owned buffers (no allocation once they are large
/// enough).
pub fn flash_attention_with(
    p: &AttnParams,
    q: &[f32],
    k: &[f32],
    v: &[f32],
    out: &mut [f32],
    scratch: &mut FlashScratch,
) -> Result<()> {
    let (seq_q, _seq_k, mask) = check(p, q, k, v, out.len())?;
    let src = Contiguous {
        k,
        v,
        kv_heads: p.kv_heads,
        d: p.head_dim,
    };
    flash_core(p, mask, seq_q, q, &src, out, scratch)
}

/// Where flash attention reads key and value rows from.
pub(crate) trait KvRows {
    /// The `head_dim` keys of position `j`, kv head `g`.
    fn k_row(&self, j: usize, g: usize) -> &[f32];
    /// The `head_dim` values of position `j`, kv head `g`.
    fn v_row(&self, j: usize, g: usize) -> &[f32];
}

/// `[seq_k, kv_heads, head_dim]` slices.
struct Contiguous<'a> {
    k: &'a [f32],
    v: &'a [f32],
    kv_heads: usize,
    d: usize,
}

impl KvRows for Contiguous<'_> {
    #[inline(always)]
    fn k_row(&self, j: usize, g: usize) -> &[f32] {
        &self.k[(j * self.kv_heads + g) * self.d..][..self.d]
    }
    #[inline(always)]
    fn v_row(&self, j: usize, g: usize) -> &[f32] {
        &self.v[(j * self.kv_heads + g) * self.d..][..self.d]
    }
}

/// The tiled online-softmax attention over any [`KvRows`] (validated inputs: `q` and
/// `out` are `[seq_q, heads, head_dim]`, `src` covers every key `mask` can show).
pub(crate) fn flash_core<S: KvRows>(
    p: &AttnParams,
    mask: Mask,
    seq_q: usize,
    q: &[f32],
    src: &S,
    out: &mut [f32],
    scratch: &mut FlashScratch,
) -> Result<()> {
    if seq_q == 0 {
        return Ok(());
    }
    if mask.seq_k == 0 {
        out.fill(0.0);
        return Ok(());
    }
    scratch.prepare(p.head_dim)?;
    let job = Job {
        p,
        mask,
        seq_q,
        q,
        src,
    };
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
        unsafe fn v4<S: KvRows>(job: &Job<'_, S>, out: &mut [f32], sc: &mut FlashScratch) {
            flash_body::<S, true, true>(job, out, sc)
        }
        #[target_feature(enable = "avx2,fma")]
        unsafe fn v3<S: KvRows>(job: &Job<'_, S>, out: &mut [f32], sc: &mut FlashScratch) {
            flash_body::<S, true, false>(job, out, sc)
        }
        match isa() {
            // SAFETY: isa() returns Avx512 only after detecting AVX-512F/VL and FMA (AVX2
            // implied).
            Isa::Avx512 => unsafe { v4(&job, out, scratch) },
            // SAFETY: isa() returns Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { v3(&job, out, scratch) },
            Isa::Scalar => flash_body::<S, false, false>(&job, out, scratch),
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = level;
        flash_body::<S, false, false>(&job, out, scratch);
    }
    Ok(())
}

/// The read-only inputs of one flash call.
struct Job<'a, S> {
    p: &'a AttnParams,
    mask: Mask,
    seq_q: usize,
    q: &'a [f32],
    src: &'a S,
}

#[inline(always)]
fn fma<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `exp(x)` for `x <= 0` in the softmax (Cephes' `expf` polynomial, relative error about
/// 2e-7), branch-free so that loops over it vectorise; inputs are clamped to
/// `[-87, 88]` (below -87 the result, ~1e-38, is negligible against a sum >= 1).
#[inline(always)]
fn exp_approx<const FMA: bool>(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23: adding it rounds to an integer
    let x = x.clamp(-87.0, 88.0);
    let big = fma::<FMA>(x, LOG2E, MAGIC);
    let n = big - MAGIC;
    let ni = (big.to_bits() as i32).wrapping_sub(0x4B40_0000);
    let r = fma::<FMA>(-n, 0.693_359_4, x);
    let r = fma::<FMA>(-n, -2.121_944_4e-4, r);
    let mut y = 1.987_569_1e-4f32;
    y = fma::<FMA>(y, r, 1.398_199_9e-3);
    y = fma::<FMA>(y, r, 8.333_452e-3);
    y = fma::<FMA>(y, r, 4.166_579_6e-2);
    y = fma::<FMA>(y, r, 0.166_666_65);
    y = fma::<FMA>(y, r, 0.5);
    let y = fma::<FMA>(y, r * r, r) + 1.0;
    y * f32::from_bits((ni.wrapping_add(127) as u32) << 23)
}

/// The sum of 16 lanes as a tree (vectorises to shuffles, unlike a serial sum).
#[inline(always)]
fn hsum16(a: &[f32; 16]) -> f32 {
    let mut v = *a;
    for w in [8, 4, 2, 1] {
        for i in 0..w {
            v[i] += v[i + w];
        }
    }
    v[0]
}

/// Dot product with 16 independent lanes.
#[inline(always)]
fn dot<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let ca = a.chunks_exact(16);
    let cb = b.chunks_exact(16);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..16 {
            lanes[i] = fma::<FMA>(x[i], y[i], lanes[i]);
        }
    }
    let mut s = hsum16(&lanes);
    for (x, y) in ra.iter().zip(rb) {
        s = fma::<FMA>(*x, *y, s);
    }
    s
}

/// Four dot products of `q` with `k[0..4]` (each as long as `q`), sharing the loads of `q`.
#[inline(always)]
#[allow(clippy::needless_range_loop)]
fn dot4<const FMA: bool>(q: &[f32], k: [&[f32]; 4]) -> [f32; 4] {
    let n = q.len();
    let k: [&[f32]; 4] = std::array::from_fn(|i| &k[i][..n]);
    let mut acc = [[0f32; 16]; 4];
    let whole = n / 16 * 16;
    let mut t = 0;
    while t < whole {
        let Some(qv) = q[t..].first_chunk::<16>() else {
            break;
        };
        for i in 0..4 {
            let Some(kv) = k[i][t..].first_chunk::<16>() else {
                continue;
            };
            for l in 0..16 {
                acc[i][l] = fma::<FMA>(qv[l], kv[l], acc[i][l]);
            }
        }
        t += 16;
    }
    std::array::from_fn(|i| {
        let mut s = hsum16(&acc[i]);
        for t in whole..n {
            s = fma::<FMA>(q[t], k[i][t], s);
        }
        s
    })
}

/// `Sᵀ[c][r0..r0+QN] = Σ_t K[j+c][t] · Qᵀ[t][r0..r0+QN]` for `K` keys `j..j+K`
/// (`qt` is `d × BR`, `s` rows of `BR` starting at key `j`'s row).
#[inline(always)]
#[allow(clippy::needless_range_loop)]
fn st_tile<S: KvRows, const K: usize, const FMA: bool>(
    src: &S,
    g: usize,
    j: usize,
    d: usize,
    qt: &[f32],
    r0: usize,
    s: &mut [f32],
) {
    let krows: [&[f32]; K] = std::array::from_fn(|i| &src.k_row(j + i, g)[..d]);
    let mut acc = [[0f32; QN]; K];
    for t in 0..d {
        let Some(qv) = qt[t * BR + r0..].first_chunk::<QN>() else {
            return;
        };
        for i in 0..K {
            let kb = krows[i][t];
            for r in 0..QN {
                acc[i][r] = fma::<FMA>(kb, qv[r], acc[i][r]);
            }
        }
    }
    for i in 0..K {
        s[i * BR + r0..][..QN].copy_from_slice(&acc[i]);
    }
}

/// The online-softmax step over one key tile in `Sᵀ` layout (`bc` key rows of `BR`
/// columns, `ncols` of them in use): masks column `r` to keys `a[r]..b[r]`, updates the
/// running max `m` and sum `l`, turns the scores into probabilities (0 where masked) and
/// returns each row's rescale factor `exp(m_old - m_new)` for the accumulator.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn online_softmax<const FMA: bool>(
    s: &mut [f32],
    bc: usize,
    ncols: usize,
    a: &[u32; BR],
    b: &[u32; BR],
    m: &mut [f32; BR],
    l: &mut [f32; BR],
) -> [f32; BR] {
    let ncols = ncols.min(BR);
    let mut mx = [f32::NEG_INFINITY; BR];
    for c in 0..bc {
        let cc = c as u32;
        let row = &mut s[c * BR..][..ncols];
        for (((x, mx), a), b) in row.iter_mut().zip(&mut mx).zip(a).zip(b) {
            let v = if cc >= *a && cc < *b {
                *x
            } else {
                f32::NEG_INFINITY
            };
            *x = v;
            *mx = mx.max(v);
        }
    }
    let mut alpha = [1f32; BR];
    let mut mu = [0f32; BR];
    for r in 0..ncols {
        let m_new = m[r].max(mx[r]);
        alpha[r] = if m[r] == f32::NEG_INFINITY {
            0.0
        } else {
            exp_approx::<FMA>(m[r] - m_new)
        };
        mu[r] = if m_new == f32::NEG_INFINITY {
            0.0
        } else {
            m_new
        };
        m[r] = m_new;
    }
    let mut sum = [0f32; BR];
    for c in 0..bc {
        let row = &mut s[c * BR..][..ncols];
        for ((x, sum), mu) in row.iter_mut().zip(&mut sum).zip(&mu) {
            let e = if *x == f32::NEG_INFINITY {
                0.0
            } else {
                exp_approx::<FMA>(*x - *mu)
            };
            *x = e;
            *sum += e;
        }
    }
    for r in 0..ncols {
        l[r] = fma::<FMA>(l[r], alpha[r], sum[r]);
    }
    alpha
}

/// `acc[r][dc..dc+W] += Σ_c P[r][c] · v_c[dc..dc+W]` for `R` rows (`p` is `Sᵀ` from
/// column `r` on, rows of `BR`; `acc` rows of `d`).
#[inline(always)]
#[allow(clippy::needless_range_loop, clippy::too_many_arguments)]
fn pv_tile<S: KvRows, const R: usize, const W: usize, const FMA: bool>(
    src: &S,
    g: usize,
    j0: usize,
    bc: usize,
    d: usize,
    dc: usize,
    p: &[f32],
    acc: &mut [f32],
) {
    let mut a = [[0f32; W]; R];
    for r in 0..R {
        a[r].copy_from_slice(&acc[r * d + dc..][..W]);
    }
    for c in 0..bc {
        let Some(pr) = p[c * BR..].first_chunk::<R>() else {
            continue;
        };
        if pr.iter().all(|x| *x == 0.0) {
            continue;
        }
        let Some(v) = src.v_row(j0 + c, g)[dc..].first_chunk::<W>() else {
            continue;
        };
        for r in 0..R {
            for t in 0..W {
                a[r][t] = fma::<FMA>(pr[r], v[t], a[r][t]);
            }
        }
    }
    for r in 0..R {
        acc[r * d + dc..][..W].copy_from_slice(&a[r]);
    }
}

/// `acc[rows] += P · V_tile` over head-dim elements `dc..dc+W` for `nr` rows.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn pv_rows<S: KvRows, const W: usize, const FMA: bool, const X: bool>(
    src: &S,
    g: usize,
    j0: usize,
    bc: usize,
    d: usize,
    dc: usize,
    nr: usize,
    p: &[f32],
    acc: &mut [f32],
) {
    let mut r = 0;
    #[cfg(target_arch = "x86_64")]
    if X && W == 32 {
        while r + MR <= nr {
            // SAFETY: X is true only in flash_core's AVX-512 variant, run after detecting
            // AVX-512F.
            unsafe { avx512::pv_rx32::<S, MR>(src, g, j0, bc, d, dc, &p[r..], &mut acc[r * d..]) };
            r += MR;
        }
        while r < nr {
            // SAFETY: as above.
            unsafe { avx512::pv_rx32::<S, 1>(src, g, j0, bc, d, dc, &p[r..], &mut acc[r * d..]) };
            r += 1;
        }
    }
    while r + MR <= nr {
        pv_tile::<S, MR, W, FMA>(src, g, j0, bc, d, dc, &p[r..], &mut acc[r * d..]);
        r += MR;
    }
    while r < nr {
        pv_tile::<S, 1, W, FMA>(src, g, j0, bc, d, dc, &p[r..], &mut acc[r * d..]);
        r += 1;
    }
}

/// AVX-512 microkernels of [`flash_body`] (explicit registers: the portable versions'
/// accumulator arrays are not always kept in registers by LLVM).
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{KvRows, BR};
    use core::arch::x86_64::*;

    /// [`super::st_tile`] for 4 keys × 32 query columns. Does nothing if a slice is too
    /// short (the caller's shapes never are).
    ///
    /// # Safety
    /// The CPU supports AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn st_4x32(
        krows: [&[f32]; 4],
        d: usize,
        qt: &[f32],
        r0: usize,
        s: &mut [f32],
    ) {
        if d == 0
            || r0 + 32 > BR
            || qt.len() < d * BR
            || s.len() < 3 * BR + r0 + 32
            || krows.iter().any(|k| k.len() < d)
        {
            return;
        }
        let qp = qt.as_ptr().wrapping_add(r0);
        let kp: [*const f32; 4] = std::array::from_fn(|i| krows[i].as_ptr());
        let mut c = [[_mm512_setzero_ps(); 2]; 4];
        for t in 0..d {
            // SAFETY: t < d, so t*BR + r0 + 32 <= (d-1)*BR + BR <= qt.len(); every key row
            // has at least d elements.
            unsafe {
                let q0 = _mm512_loadu_ps(qp.add(t * BR));
                let q1 = _mm512_loadu_ps(qp.add(t * BR + 16));
                for i in 0..4 {
                    let kb = _mm512_set1_ps(*kp[i].add(t));
                    c[i][0] = _mm512_fmadd_ps(kb, q0, c[i][0]);
                    c[i][1] = _mm512_fmadd_ps(kb, q1, c[i][1]);
                }
            }
        }
        let sp = s.as_mut_ptr();
        for (i, ci) in c.iter().enumerate() {
            // SAFETY: i*BR + r0 + 32 <= 3*BR + r0 + 32 <= s.len().
            unsafe {
                _mm512_storeu_ps(sp.add(i * BR + r0), ci[0]);
                _mm512_storeu_ps(sp.add(i * BR + r0 + 16), ci[1]);
            }
        }
    }

    /// [`super::pv_tile`] for `R` rows × 32 head-dim elements. Does nothing if a slice is
    /// too short (the caller's shapes never are).
    ///
    /// # Safety
    /// The CPU supports AVX-512F.
    #[target_feature(enable = "avx512f")]
    #[allow(clippy::too_many_arguments)]
    pub(super) unsafe fn pv_rx32<S: KvRows, const R: usize>(
        src: &S,
        g: usize,
        j0: usize,
        bc: usize,
        d: usize,
        dc: usize,
        p: &[f32],
        acc: &mut [f32],
    ) {
        if R == 0
            || bc == 0
            || dc + 32 > d
            || acc.len() < (R - 1) * d + dc + 32
            || p.len() < (bc - 1) * BR + R
        {
            return;
        }
        let ap = acc.as_mut_ptr();
        let pp = p.as_ptr();
        let mut a = [[_mm512_setzero_ps(); 2]; R];
        for (r, ar) in a.iter_mut().enumerate() {
            // SAFETY: r*d + dc + 32 <= (R-1)*d + dc + 32 <= acc.len().
            unsafe {
                ar[0] = _mm512_loadu_ps(ap.add(r * d + dc));
                ar[1] = _mm512_loadu_ps(ap.add(r * d + dc + 16));
            }
        }
        for c in 0..bc {
            let v = src.v_row(j0 + c, g);
            if v.len() < dc + 32 {
                continue;
            }
            // SAFETY: dc + 32 <= v.len(); c*BR + R <= (bc-1)*BR + R <= p.len().
            unsafe {
                let v0 = _mm512_loadu_ps(v.as_ptr().add(dc));
                let v1 = _mm512_loadu_ps(v.as_ptr().add(dc + 16));
                for (r, ar) in a.iter_mut().enumerate() {
                    let pb = _mm512_set1_ps(*pp.add(c * BR + r));
                    ar[0] = _mm512_fmadd_ps(pb, v0, ar[0]);
                    ar[1] = _mm512_fmadd_ps(pb, v1, ar[1]);
                }
            }
        }
        for (r, ar) in a.iter().enumerate() {
            // SAFETY: as for the loads.
            unsafe {
                _mm512_storeu_ps(ap.add(r * d + dc), ar[0]);
                _mm512_storeu_ps(ap.add(r * d + dc + 16), ar[1]);
            }
        }
    }

    /// Four dot products of `q` with `k[i]` (each at least `q.len()` long; shorter rows
    /// give 0), masked loads for the tail.
    ///
    /// # Safety
    /// The CPU supports AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn dot4(q: &[f32], k: [&[f32]; 4]) -> [f32; 4] {
        let n = q.len();
        if k.iter().any(|k| k.len() < n) {
            return [0.0; 4];
        }
        let kp: [*const f32; 4] = std::array::from_fn(|i| k[i].as_ptr());
        let qp = q.as_ptr();
        let mut c = [_mm512_setzero_ps(); 4];
        let mut t = 0;
        while t + 16 <= n {
            // SAFETY: t + 16 <= n <= every slice's length.
            unsafe {
                let qv = _mm512_loadu_ps(qp.add(t));
                for i in 0..4 {
                    c[i] = _mm512_fmadd_ps(qv, _mm512_loadu_ps(kp[i].add(t)), c[i]);
                }
            }
            t += 16;
        }
        if t < n {
            let m: __mmask16 = (1u32 << (n - t)).wrapping_sub(1) as __mmask16;
            // SAFETY: masked-off lanes are not accessed; lanes t..n are in every slice.
            unsafe {
                let qv = _mm512_maskz_loadu_ps(m, qp.add(t));
                for i in 0..4 {
                    c[i] = _mm512_fmadd_ps(qv, _mm512_maskz_loadu_ps(m, kp[i].add(t)), c[i]);
                }
            }
        }
        std::array::from_fn(|i| _mm512_reduce_add_ps(c[i]))
    }
}

#[inline(always)]
fn flash_body<S: KvRows, const FMA: bool, const X: bool>(
    job: &Job<'_, S>,
    out: &mut [f32],
    sc: &mut FlashScratch,
) {
    let p = job.p;
    let (d, heads, group) = (p.head_dim, p.heads, p.group_size());
    let mask = job.mask;
    let src = job.src;
    let rows = job.seq_q * group;
    let qt = &mut sc.qt[..d * BR];
    let s = &mut sc.s[..BC * BR];
    let acc = &mut sc.acc[..BR * d];
    for g in 0..p.kv_heads {
        let q_off = |row: usize| ((row / group) * heads + g * group + row % group) * d;
        let mut m0 = 0;
        while m0 < rows {
            let nr = BR.min(rows - m0);
            let tiled = nr >= DOT_ROWS;
            let ncols = if tiled { nr.next_multiple_of(QN) } else { nr };
            if tiled {
                for r in 0..ncols {
                    if r < nr {
                        let qr = &job.q[q_off(m0 + r)..][..d];
                        for (t, x) in qr.iter().enumerate() {
                            qt[t * BR + r] = *x * p.scale;
                        }
                    } else {
                        for t in 0..d {
                            qt[t * BR + r] = 0.0;
                        }
                    }
                }
            }
            let mut m = [f32::NEG_INFINITY; BR];
            let mut l = [0f32; BR];
            let mut a = [0u32; BR];
            let mut b = [0u32; BR];
            acc[..nr * d].fill(0.0);
            // The mask's ranges only move right as the position grows.
            let (lo_min, _) = mask.range(m0 / group);
            let (_, hi_max) = mask.range((m0 + nr - 1) / group);
            let mut j0 = lo_min;
            while j0 < hi_max {
                let bc = BC.min(hi_max - j0);
                // Sᵀ = K · (scale · Q)ᵀ.
                if tiled {
                    let mut c = 0;
                    while c < bc {
                        let four = c + KR <= bc;
                        for r0 in (0..ncols).step_by(QN) {
                            if four && X {
                                let ks = std::array::from_fn(|i| src.k_row(j0 + c + i, g));
                                #[cfg(target_arch = "x86_64")]
                                // SAFETY: X is true only in flash_core's AVX-512 variant, run
                                // after detecting AVX-512F.
                                unsafe {
                                    avx512::st_4x32(ks, d, qt, r0, &mut s[c * BR..]);
                                }
                                #[cfg(not(target_arch = "x86_64"))]
                                let _ = ks;
                            } else if four {
                                st_tile::<S, KR, FMA>(src, g, j0 + c, d, qt, r0, &mut s[c * BR..]);
                            } else {
                                st_tile::<S, 1, FMA>(src, g, j0 + c, d, qt, r0, &mut s[c * BR..]);
                            }
                        }
                        c += if four { KR } else { 1 };
                    }
                } else {
                    for r in 0..nr {
                        let qr = &job.q[q_off(m0 + r)..][..d];
                        let mut c = 0;
                        while c + 4 <= bc {
                            let ks = std::array::from_fn(|i| src.k_row(j0 + c + i, g));
                            #[cfg(target_arch = "x86_64")]
                            let dots = if X {
                                // SAFETY: X is true only in flash_core's AVX-512 variant, run
                                // after detecting AVX-512F.
                                unsafe { avx512::dot4(qr, ks) }
                            } else {
                                dot4::<FMA>(qr, ks)
                            };
                            #[cfg(not(target_arch = "x86_64"))]
                            let dots = dot4::<FMA>(qr, ks);
                            for (i, x) in dots.iter().enumerate() {
                                s[(c + i) * BR + r] = *x * p.scale;
                            }
                            c += 4;
                        }
                        while c < bc {
                            s[c * BR + r] = dot::<FMA>(qr, src.k_row(j0 + c, g)) * p.scale;
                            c += 1;
                        }
                    }
                }
                // Mask and online softmax.
                for r in 0..nr {
                    let (lo, hi) = mask.range((m0 + r) / group);
                    a[r] = (lo.clamp(j0, j0 + bc) - j0) as u32;
                    b[r] = (hi.clamp(j0, j0 + bc) - j0) as u32;
                }
                let alpha = online_softmax::<FMA>(s, bc, ncols, &a, &b, &mut m, &mut l);
                for (r, al) in alpha.iter().enumerate().take(nr) {
                    if *al != 1.0 {
                        for x in acc[r * d..][..d].iter_mut() {
                            *x *= *al;
                        }
                    }
                }
                // acc += P · V.
                let mut dc = 0;
                while dc + NR <= d {
                    pv_rows::<S, NR, FMA, X>(src, g, j0, bc, d, dc, nr, s, acc);
                    dc += NR;
                }
                while dc + 8 <= d {
                    pv_rows::<S, 8, FMA, false>(src, g, j0, bc, d, dc, nr, s, acc);
                    dc += 8;
                }
                while dc < d {
                    pv_rows::<S, 1, FMA, false>(src, g, j0, bc, d, dc, nr, s, acc);
                    dc += 1;
                }
                j0 += bc;
            }
            for r in 0..nr {
                let o = &mut out[q_off(m0 + r)..][..d];
                if l[r] > 0.0 {
                    let inv = 1.0 / l[r];
                    for (o, a) in o.iter_mut().zip(&acc[r * d..][..d]) {
                        *o = *a * inv;
                    }
                } else {
                    o.fill(0.0);
                }
            }
            m0 += nr;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arsenal_linalg::NativeBlas;

    /// splitmix64 → uniform f32 in [-1, 1).
    pub(crate) fn rng(seed: u64) -> impl FnMut() -> f32 {
        let mut state = seed;
        move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ((z >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        }
    }

    pub(crate) fn fill(n: usize, seed: u64) -> Vec<f32> {
        let mut r = rng(seed);
        (0..n).map(|_| r()).collect()
    }

    /// (NMSE = Σ(a−b)²/Σb², max |a−b|).
    pub(crate) fn errors(a: &[f32], b: &[f64]) -> (f64, f64) {
        assert_eq!(a.len(), b.len());
        let (mut num, mut den, mut max) = (0.0, 0.0, 0.0f64);
        for (x, y) in a.iter().zip(b) {
            let e = *x as f64 - y;
            assert!(x.is_finite(), "non-finite output {x}");
            num += e * e;
            den += y * y;
            max = max.max(e.abs());
        }
        (if den > 0.0 { num / den } else { num }, max)
    }

    struct Case {
        seq_q: usize,
        seq_k: usize,
        heads: usize,
        kv_heads: usize,
        d: usize,
        causal: bool,
        window: Option<usize>,
    }

    fn run(c: &Case, seed: u64) {
        let p = AttnParams::new(c.heads, c.kv_heads, c.d)
            .unwrap()
            .causal(c.causal)
            .window(c.window);
        let q = fill(c.seq_q * c.heads * c.d, seed);
        let k = fill(c.seq_k * c.kv_heads * c.d, seed + 1);
        let v = fill(c.seq_k * c.kv_heads * c.d, seed + 2);
        let want = attention_reference(&p, &q, &k, &v).unwrap();
        let mut o_sdpa = vec![f32::NAN; q.len()];
        let mut scratch = Vec::new();
        sdpa(&NativeBlas, &p, &q, &k, &v, &mut o_sdpa, &mut scratch).unwrap();
        let mut o_flash = vec![f32::NAN; q.len()];
        flash_attention(&p, &q, &k, &v, &mut o_flash).unwrap();
        let what = format!(
            "seq_q {} seq_k {} heads {}/{} d {} causal {} window {:?}",
            c.seq_q, c.seq_k, c.heads, c.kv_heads, c.d, c.causal, c.window
        );
        // llama.cpp's test-backend-ops style: NMSE against the f64 reference <= 5e-4
        // (f32 accumulation and a 2e-7-accurate exp give ~1e-12 in practice), and an
        // absolute bound of 1e-4 per element (values are averages of [-1, 1) inputs).
        let (nmse, max) = errors(&o_sdpa, &want);
        assert!(
            nmse <= 5e-4 && max <= 1e-4,
            "sdpa {what}: nmse {nmse:e} max {max:e}"
        );
        let (nmse, max) = errors(&o_flash, &want);
        assert!(
            nmse <= 5e-4 && max <= 1e-4,
            "flash {what}: nmse {nmse:e} max {max:e}"
        );
        // flash == sdpa within the same bound.
        let sd: Vec<f64> = o_sdpa.iter().map(|x| *x as f64).collect();
        let (nmse, max) = errors(&o_flash, &sd);
        assert!(
            nmse <= 5e-4 && max <= 1e-4,
            "flash vs sdpa {what}: nmse {nmse:e} max {max:e}"
        );
    }

    #[test]
    fn matches_reference_across_shapes() {
        let mut seed = 1;
        let mut go = |c: Case| {
            run(&c, seed);
            seed += 10;
        };
        for &seq in &[1usize, 7, 64, 65, 300] {
            for &(heads, kv_heads) in &[(1usize, 1usize), (4, 2), (8, 8), (8, 1)] {
                for &causal in &[false, true] {
                    let d = if seq == 300 { 64 } else { 8 };
                    go(Case {
                        seq_q: seq,
                        seq_k: seq,
                        heads,
                        kv_heads,
                        d,
                        causal,
                        window: None,
                    });
                }
            }
        }
        for &d in &[1usize, 8, 64, 80, 128] {
            for &seq in &[7usize, 65] {
                go(Case {
                    seq_q: seq,
                    seq_k: seq,
                    heads: 4,
                    kv_heads: 2,
                    d,
                    causal: true,
                    window: None,
                });
                go(Case {
                    seq_q: seq,
                    seq_k: seq,
                    heads: 2,
                    kv_heads: 1,
                    d,
                    causal: false,
                    window: None,
                });
            }
        }
        for &w in &[1usize, 16, 100] {
            for &(seq_q, seq_k) in &[(300usize, 300usize), (65, 65), (7, 200), (1, 1000)] {
                go(Case {
                    seq_q,
                    seq_k,
                    heads: 4,
                    kv_heads: 1,
                    d: 16,
                    causal: true,
                    window: Some(w),
                });
            }
        }
        // Decode shapes and seq_q < seq_k.
        for &(heads, kv_heads) in &[(1usize, 1usize), (8, 2), (8, 8)] {
            for &causal in &[false, true] {
                go(Case {
                    seq_q: 1,
                    seq_k: 1000,
                    heads,
                    kv_heads,
                    d: 64,
                    causal,
                    window: None,
                });
                go(Case {
                    seq_q: 5,
                    seq_k: 130,
                    heads,
                    kv_heads,
                    d: 80,
                    causal,
                    window: None,
                });
            }
        }
        // Non-causal with more queries than keys.
        go(Case {
            seq_q: 70,
            seq_k: 3,
            heads: 2,
            kv_heads: 2,
            d: 8,
            causal: false,
            window: None,
        });
        // A big head.
        go(Case {
            seq_q: 65,
            seq_k: 65,
            heads: 8,
            kv_heads: 2,
            d: 128,
            causal: true,
            window: None,
        });
    }

    #[test]
    fn scratch_reuse_and_empty() {
        let p = AttnParams::new(2, 2, 8).unwrap().causal(true);
        let mut scratch = Vec::new();
        let mut fs = FlashScratch::new();
        for (sq, sk) in [(3usize, 9usize), (9, 9), (1, 4)] {
            let q = fill(sq * 16, 3);
            let k = fill(sk * 16, 4);
            let v = fill(sk * 16, 5);
            let want = attention_reference(&p, &q, &k, &v).unwrap();
            let mut o = vec![0.0; q.len()];
            sdpa(&NativeBlas, &p, &q, &k, &v, &mut o, &mut scratch).unwrap();
            assert!(errors(&o, &want).1 < 1e-5);
            flash_attention_with(&p, &q, &k, &v, &mut o, &mut fs).unwrap();
            assert!(errors(&o, &want).1 < 1e-5);
        }
        assert!(scratch.len() >= 81);
        // seq_k == 0, not causal: rows with no visible key are zeros.
        let p = AttnParams::new(2, 2, 8).unwrap();
        let q = fill(3 * 16, 3);
        let mut o = vec![1.0; q.len()];
        sdpa(&NativeBlas, &p, &q, &[], &[], &mut o, &mut scratch).unwrap();
        assert!(o.iter().all(|x| *x == 0.0));
        o.fill(1.0);
        flash_attention(&p, &q, &[], &[], &mut o).unwrap();
        assert!(o.iter().all(|x| *x == 0.0));
        assert!(attention_reference(&p, &q, &[], &[])
            .unwrap()
            .iter()
            .all(|x| *x == 0.0));
        // seq_q == 0.
        flash_attention(&p, &[], &fill(16, 1), &fill(16, 2), &mut []).unwrap();
        sdpa(
            &NativeBlas,
            &p,
            &[],
            &fill(16, 1),
            &fill(16, 2),
            &mut [],
            &mut scratch,
        )
        .unwrap();
    }

    #[test]
    fn extreme_scores_stay_finite() {
        // Scores of ±1e4: the stable softmax subtracts the max first.
        let p = AttnParams::new(1, 1, 1).unwrap().scale(1.0).causal(true);
        let q = vec![100.0f32; 5];
        let k = vec![100.0f32, -100.0, 100.0, 99.0, -100.0];
        let v = vec![1.0f32, 2.0, 3.0, 4.0, 5.0];
        let want = attention_reference(&p, &q, &k, &v).unwrap();
        let mut o = vec![0.0; 5];
        flash_attention(&p, &q, &k, &v, &mut o).unwrap();
        let (nmse, max) = errors(&o, &want);
        assert!(nmse <= 5e-4 && max <= 1e-3, "{o:?} vs {want:?}");
        sdpa(&NativeBlas, &p, &q, &k, &v, &mut o, &mut Vec::new()).unwrap();
        let (nmse, max) = errors(&o, &want);
        assert!(nmse <= 5e-4 && max <= 1e-3, "{o:?} vs {want:?}");
        // Larger: random inputs scaled so scores reach ~1e4.
        let p = AttnParams::new(2, 1, 16).unwrap().causal(true);
        let q: Vec<f32> = fill(70 * 32, 9).iter().map(|x| x * 150.0).collect();
        let k: Vec<f32> = fill(70 * 16, 10).iter().map(|x| x * 150.0).collect();
        let v = fill(70 * 16, 11);
        let want = attention_reference(&p, &q, &k, &v).unwrap();
        let mut o = vec![0.0; q.len()];
        flash_attention(&p, &q, &k, &v, &mut o).unwrap();
        assert!(errors(&o, &want).0 <= 5e-4);
        sdpa(&NativeBlas, &p, &q, &k, &v, &mut o, &mut Vec::new()).unwrap();
        assert!(errors(&o, &want).0 <= 5e-4);
    }

    #[test]
    fn bad_shapes_are_errors() {
        let kind = |r: Result<()>| r.unwrap_err().kind();
        assert_eq!(
            AttnParams::new(0, 1, 8).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            AttnParams::new(4, 0, 8).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            AttnParams::new(4, 4, 0).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            AttnParams::new(4, 3, 8).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            AttnParams::new(usize::MAX, 1, 2).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            AttnParams::new(2, 1, usize::MAX).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        let p = AttnParams::new(2, 1, 4).unwrap();
        let q = fill(3 * 8, 1);
        let k = fill(3 * 4, 2);
        let v = fill(3 * 4, 3);
        let mut o = vec![0.0; q.len()];
        let mut s = Vec::new();
        let all =
            |p: &AttnParams, q: &[f32], k: &[f32], v: &[f32], o: &mut [f32], s: &mut Vec<f32>| {
                let a = kind(flash_attention(p, q, k, v, o));
                let b = kind(sdpa(&NativeBlas, p, q, k, v, o, s));
                assert_eq!(a, b);
                if o.len() == q.len() {
                    assert_eq!(a, attention_reference(p, q, k, v).unwrap_err().kind());
                }
                a
            };
        assert_eq!(
            all(&p, &q[1..], &k, &v, &mut o[1..], &mut s),
            ErrorKind::Shape
        );
        assert_eq!(all(&p, &q, &k, &v, &mut o[1..], &mut s), ErrorKind::Shape);
        assert_eq!(
            all(&p, &q, &k[1..], &v[1..], &mut o, &mut s),
            ErrorKind::Shape
        );
        assert_eq!(all(&p, &q, &k, &v[4..], &mut o, &mut s), ErrorKind::Shape);
        // Causal needs seq_q <= seq_k.
        assert_eq!(
            all(&p.causal(true), &q, &k[4..], &v[4..], &mut o, &mut s),
            ErrorKind::Shape
        );
        // Windows: 0, and without causal.
        let w0 = p.causal(true).window(Some(0));
        assert_eq!(
            all(&w0, &q, &k, &v, &mut o, &mut s),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            all(&p.window(Some(2)), &q, &k, &v, &mut o, &mut s),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            all(&p.scale(f32::NAN), &q, &k, &v, &mut o, &mut s),
            ErrorKind::InvalidArgument
        );
        // Hand-built parameters are re-checked.
        let mut bad = p;
        bad.kv_heads = 3;
        assert_eq!(all(&bad, &q, &k, &v, &mut o, &mut s), ErrorKind::Shape);
        bad.kv_heads = 0;
        assert_eq!(
            all(&bad, &q, &k, &v, &mut o, &mut s),
            ErrorKind::InvalidArgument
        );
        let mut bad = p;
        bad.head_dim = usize::MAX;
        assert_eq!(all(&bad, &q, &k, &v, &mut o, &mut s), ErrorKind::TooLarge);
        bad.head_dim = usize::MAX / 2;
        assert_eq!(all(&bad, &q, &k, &v, &mut o, &mut s), ErrorKind::Shape);
        // A huge window is fine (it covers everything).
        run(
            &Case {
                seq_q: 3,
                seq_k: 5,
                heads: 2,
                kv_heads: 1,
                d: 4,
                causal: true,
                window: Some(usize::MAX),
            },
            77,
        );
    }

    #[test]
    fn window_semantics() {
        // head_dim 1, q = 0 → uniform weights over the visible keys: the output is the
        // mean of the visible values, which pins down exactly which keys are visible.
        let p = AttnParams::new(1, 1, 1)
            .unwrap()
            .causal(true)
            .window(Some(3));
        let q = vec![0.0f32; 4];
        let k = vec![0.0f32; 10];
        let v: Vec<f32> = (0..10).map(|j| j as f32).collect();
        let mut o = vec![0.0; 4];
        flash_attention(&p, &q, &k, &v, &mut o).unwrap();
        // Query i is at position 6 + i and sees 4+i..=6+i: the mean is 5 + i.
        for (i, x) in o.iter().enumerate() {
            assert!((x - (5.0 + i as f32)).abs() < 1e-5, "{o:?}");
        }
        sdpa(&NativeBlas, &p, &q, &k, &v, &mut o, &mut Vec::new()).unwrap();
        for (i, x) in o.iter().enumerate() {
            assert!((x - (5.0 + i as f32)).abs() < 1e-5, "{o:?}");
        }
        // Window 1: each query sees only itself.
        let p = p.window(Some(1));
        flash_attention(&p, &q, &k, &v, &mut o).unwrap();
        assert_eq!(o, [6.0, 7.0, 8.0, 9.0]);
    }
}
