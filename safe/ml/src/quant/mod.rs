//! Quantised weights and the matmuls on them.
//!
//! - ggml's block formats ([`BlockFormat`]: `Q8_0`, `Q4_0`, `Q4_K`, and `Q8_K`, the
//!   activation format of `Q4_K`), byte-compatible with GGUF files, behind
//!   [`BlockKernels`] ([`NativeBlocks`] here, ggml's own C with the
//!   `ggml` feature), a matrix of blocks ([`QMatrix`], [`QMatrixBuf`]) and
//!   [`matmul_blocks`];
//! - int8: symmetric per-output-channel weights ([`Int8Weights`]) × dynamic per-token
//!   activations ([`Int8Activations`]) → [`matmul_i8`] (exact i32 sums);
//! - int4: GPTQ-style group-wise asymmetric weights ([`Int4Weights`]; group 32, 64 or
//!   128, scales and zero points, GPTQ and AWQ packings), AWQ's activation-aware scaling
//!   ([`awq_scale`]) and [`matmul_i4_i8`].
//!
//! The dot products run on AVX-512 VNNI (`vpdpbusd`; 512-bit for `Q8_0` and int8, with
//! the signed operand offset to unsigned and the offset's share subtracted), AVX2
//! (`vpmaddubsw` + `vpmaddwd`, as ggml's AVX2 code) or scalar code, chosen once at run
//! time ([`kernel_name`]; `ARSENAL_ML_ISA=avx512|avx2|scalar` caps the level, for tests
//! and comparisons). Integer sums are exact and identical on every path; the one
//! exception is shared with ggml's AVX2 code: its sign trick cannot represent
//! a `−128` in the activation's `Q8_0` block against a negative weight (`−128` in the
//! weights is fine), which no quantiser here or in ggml writes.
//! Only the order of the float accumulation of block results differs between paths.
//!
//! ```
//! use arsenal_ml::quant::{matmul_blocks, NativeBlocks, QMatrixBuf};
//! use arsenal_ml::BlockFormat;
//! let w: Vec<f32> = (0..4 * 64).map(|i| (i % 7) as f32 - 3.0).collect(); // 4 × 64
//! let x = vec![1.0f32; 64];
//! let k = NativeBlocks::new();
//! let q = QMatrixBuf::quantize(&k, BlockFormat::Q8_0, 4, 64, &w)?;
//! let mut y = [0.0f32; 4];
//! matmul_blocks(&k, &q.as_ref(), &x, 1, &mut y)?;
//! let want: f32 = w[..64].iter().sum();
//! assert!((y[0] - want).abs() < 0.05 * want.abs().max(1.0));
//! # Ok::<(), arsenal_ml::Error>(())
//! ```

mod blocks;
mod int4;
mod int8;
#[cfg(target_arch = "x86_64")]
mod simd;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

pub(crate) use blocks::f16_to_f32;
pub use int4::{awq_deinterleave, awq_interleave, awq_scale, matmul_i4_i8, Int4Weights, AWQ_ORDER};
pub use int8::{matmul_i8, Int8Activations, Int8Weights};

use crate::error::{expect_len, mul, Error, ErrorKind, Result, CHECKS};
use crate::{Backend, BlockKernels};
use blocks::*;

/// One of ggml's block formats (the layouts GGUF files store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)] // ggml's names
pub enum BlockFormat {
    /// 32 values: `{d: f16, qs: [i8; 32]}`, 34 bytes; value = `d·q`.
    Q8_0,
    /// 32 values: `{d: f16, qs: [u8; 16]}`, 18 bytes; value `j < 16` = `d·((qs[j] & 15) − 8)`,
    /// value `j + 16` = `d·((qs[j] >> 4) − 8)`.
    Q4_0,
    /// 256 values: `{d: f16, dmin: f16, scales: [u8; 12], qs: [u8; 128]}`, 144 bytes;
    /// eight 32-value sub-blocks with 6-bit scales and mins; value = `d·sc·q − dmin·m`.
    Q4_K,
    /// 256 values: `{d: f32, qs: [i8; 256], bsums: [i16; 16]}`, 292 bytes: the activation
    /// format `Q4_K` is multiplied with.
    Q8_K,
}

impl BlockFormat {
    /// Every format.
    pub const ALL: [BlockFormat; 4] = [
        BlockFormat::Q8_0,
        BlockFormat::Q4_0,
        BlockFormat::Q4_K,
        BlockFormat::Q8_K,
    ];

    /// Values per block.
    pub const fn block_len(self) -> usize {
        match self {
            BlockFormat::Q8_0 | BlockFormat::Q4_0 => QK,
            BlockFormat::Q4_K | BlockFormat::Q8_K => QK_K,
        }
    }

    /// Bytes per block.
    pub const fn block_bytes(self) -> usize {
        match self {
            BlockFormat::Q8_0 => Q8_0_BYTES,
            BlockFormat::Q4_0 => Q4_0_BYTES,
            BlockFormat::Q4_K => Q4_K_BYTES,
            BlockFormat::Q8_K => Q8_K_BYTES,
        }
    }

    /// The bytes of a row of `values` values: [`ErrorKind::Shape`] when `values` is not
    /// a multiple of [`BlockFormat::block_len`], [`ErrorKind::TooLarge`] on overflow.
    pub fn row_bytes(self, values: usize) -> Result<usize> {
        if !values.is_multiple_of(self.block_len()) {
            return Err(Error::shape(format!(
                "{values} values are not whole {self} blocks of {}",
                self.block_len()
            )));
        }
        mul(values / self.block_len(), self.block_bytes(), "row bytes")
    }

    /// The format activations are quantised to for a dot product with this one:
    /// `Q8_0` for `Q8_0` and `Q4_0`, `Q8_K` for `Q4_K` and `Q8_K`.
    pub const fn dot_format(self) -> BlockFormat {
        match self {
            BlockFormat::Q8_0 | BlockFormat::Q4_0 => BlockFormat::Q8_0,
            BlockFormat::Q4_K | BlockFormat::Q8_K => BlockFormat::Q8_K,
        }
    }

    /// ggml's name: `"q8_0"`, `"q4_0"`, `"q4_k"`, `"q8_k"`.
    pub const fn name(self) -> &'static str {
        match self {
            BlockFormat::Q8_0 => "q8_0",
            BlockFormat::Q4_0 => "q4_0",
            BlockFormat::Q4_K => "q4_k",
            BlockFormat::Q8_K => "q8_k",
        }
    }
}

impl fmt::Display for BlockFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BlockFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        BlockFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown block format {s:?} (q8_0, q4_0, q4_k, q8_k)"
                ))
            })
    }
}

/// The SIMD level of the quantised kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// AVX-512 F/BW/VL/VNNI (+ AVX2, FMA, F16C).
    Vnni,
    /// AVX2 + FMA + F16C.
    Avx2,
    /// Portable Rust.
    Scalar,
}

/// The best level this CPU runs (ignoring `ARSENAL_ML_ISA`), detected once.
pub(crate) fn detected_isa() -> Isa {
    static DETECTED: OnceLock<Isa> = OnceLock::new();
    *DETECTED.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            let avx2 = is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma")
                && is_x86_feature_detected!("f16c");
            if avx2
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx512vnni")
            {
                return Isa::Vnni;
            }
            if avx2 {
                return Isa::Avx2;
            }
        }
        Isa::Scalar
    })
}

/// The level the kernels run at: [`detected_isa`] capped by `ARSENAL_ML_ISA`
/// (`scalar`, `avx2`; `avx512` or unset: no cap), chosen once.
pub(crate) fn isa() -> Isa {
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let best = detected_isa();
        match std::env::var("ARSENAL_ML_ISA").as_deref() {
            Ok("scalar") => Isa::Scalar,
            Ok("avx2") if best == Isa::Vnni => Isa::Avx2,
            _ => best,
        }
    })
}

/// Every level this CPU runs, scalar first (the tests compare them all).
#[cfg(test)]
pub(crate) fn available_isas() -> Vec<Isa> {
    match detected_isa() {
        Isa::Vnni => vec![Isa::Scalar, Isa::Avx2, Isa::Vnni],
        Isa::Avx2 => vec![Isa::Scalar, Isa::Avx2],
        Isa::Scalar => vec![Isa::Scalar],
    }
}

/// What the quantised kernels run here: `"avx512-vnni"`, `"avx2"` or `"scalar"`
/// (`ARSENAL_ML_ISA=avx512|avx2|scalar` caps it for tests and comparisons).
pub fn kernel_name() -> &'static str {
    match isa() {
        Isa::Vnni => "avx512-vnni",
        Isa::Avx2 => "avx2",
        Isa::Scalar => "scalar",
    }
}

/// Runs `simd::vnni::$f(args)`, `simd::avx2::$f(args)` or `$scalar(args)` for the
/// level `$isa`, never above [`detected_isa`] (a level this CPU lacks falls back).
macro_rules! by_isa {
    ($isa:expr, $f:ident, $scalar:expr, ($($a:expr),*)) => {{
        #[allow(unused_imports)]
        use $crate::quant::{detected_isa, Isa};
        match $isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Vnni if detected_isa() == Isa::Vnni => {
                // SAFETY: detected_isa() is Vnni only after detecting AVX-512
                // F/BW/VL/VNNI, AVX2, FMA and F16C, the features `simd::vnni` enables.
                unsafe { $crate::quant::simd::vnni::$f($($a),*) }
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Vnni | Isa::Avx2 if detected_isa() != Isa::Scalar => {
                // SAFETY: detected_isa() is Avx2 or Vnni only after detecting AVX2, FMA
                // and F16C, the features `simd::avx2` enables.
                unsafe { $crate::quant::simd::avx2::$f($($a),*) }
            }
            _ => $scalar($($a),*),
        }
    }};
}
pub(crate) use by_isa;

/// `w · x` for a row of `format` blocks and a row of `format.dot_format()` blocks at
/// level `isa` (checked lengths).
pub(crate) fn vec_dot_at(isa: Isa, format: BlockFormat, w: &[u8], x: &[u8]) -> Result<f32> {
    let dot = format.dot_format();
    if !w.len().is_multiple_of(format.block_bytes()) {
        return Err(Error::shape(format!(
            "w has {} bytes, not whole {format} blocks",
            w.len()
        )));
    }
    let blocks = w.len() / format.block_bytes();
    expect_len("x", x.len(), mul(blocks, dot.block_bytes(), "x bytes")?)?;
    Ok(match format {
        BlockFormat::Q8_0 => by_isa!(isa, dot_q8_0_q8_0, dot_q8_0_q8_0_scalar, (w, x)),
        BlockFormat::Q4_0 => by_isa!(isa, dot_q4_0_q8_0, dot_q4_0_q8_0_scalar, (w, x)),
        BlockFormat::Q4_K => by_isa!(isa, dot_q4_k_q8_k, dot_q4_k_q8_k_scalar, (w, x)),
        BlockFormat::Q8_K => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                CHECKS,
                "q8_k is an activation format: it has no dot product as weights",
            ))
        }
    })
}

/// The native Rust [`BlockKernels`]: ggml's reference quantisers (`Q8_0` rounds half away
/// from zero, `Q4_0` and `Q8_K` exactly as ggml, `Q4_K` with ggml's
/// `make_qkx2_quants` search) and SIMD dot products.
#[derive(Debug, Default, Clone, Copy)]
pub struct NativeBlocks;

impl NativeBlocks {
    /// The native kernels (stateless).
    pub fn new() -> Self {
        NativeBlocks
    }
}

impl BlockKernels for NativeBlocks {
    fn backend(&self) -> Backend {
        Backend::Native
    }

    fn quantize_row(&self, format: BlockFormat, src: &[f32], dst: &mut [u8]) -> Result<()> {
        expect_len("dst", dst.len(), format.row_bytes(src.len())?)?;
        match format {
            BlockFormat::Q8_0 => quantize_q8_0(src, dst),
            BlockFormat::Q4_0 => quantize_q4_0(src, dst),
            BlockFormat::Q4_K => quantize_q4_k(src, dst),
            BlockFormat::Q8_K => quantize_q8_k(src, dst),
        }
        Ok(())
    }

    fn dequantize_row(&self, format: BlockFormat, src: &[u8], dst: &mut [f32]) -> Result<()> {
        expect_len("src", src.len(), format.row_bytes(dst.len())?)?;
        match format {
            BlockFormat::Q8_0 => dequantize_q8_0(src, dst),
            BlockFormat::Q4_0 => dequantize_q4_0(src, dst),
            BlockFormat::Q4_K => dequantize_q4_k(src, dst),
            BlockFormat::Q8_K => dequantize_q8_k(src, dst),
        }
        Ok(())
    }

    fn vec_dot(&self, format: BlockFormat, w: &[u8], x: &[u8]) -> Result<f32> {
        vec_dot_at(isa(), format, w, x)
    }

    fn kernel(&self) -> String {
        kernel_name().to_owned()
    }
}

/// A row-major matrix of `rows` rows of `cols` values in a block format, over borrowed
/// bytes (e.g. a tensor of a memory-mapped GGUF or safetensors file).
#[derive(Debug, Clone, Copy)]
pub struct QMatrix<'a> {
    format: BlockFormat,
    rows: usize,
    cols: usize,
    row_bytes: usize,
    data: &'a [u8],
}

impl<'a> QMatrix<'a> {
    /// Checks that `data` is exactly `rows` rows of `cols` values of `format`.
    pub fn new(format: BlockFormat, rows: usize, cols: usize, data: &'a [u8]) -> Result<Self> {
        let row_bytes = format.row_bytes(cols)?;
        expect_len("data", data.len(), mul(rows, row_bytes, "matrix bytes")?)?;
        Ok(QMatrix {
            format,
            rows,
            cols,
            row_bytes,
            data,
        })
    }

    /// The block format.
    pub fn format(&self) -> BlockFormat {
        self.format
    }

    /// Rows (output features).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Values per row (input features).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i`'s blocks; panics when `i >= rows()`, like slice indexing (see
    /// [`QMatrix::get_row`]).
    pub fn row(&self, i: usize) -> &'a [u8] {
        &self.data[i * self.row_bytes..(i + 1) * self.row_bytes]
    }

    /// Row `i`'s blocks, or `None` when `i >= rows()`.
    pub fn get_row(&self, i: usize) -> Option<&'a [u8]> {
        if i < self.rows {
            Some(&self.data[i * self.row_bytes..(i + 1) * self.row_bytes])
        } else {
            None
        }
    }

    /// Bytes per row.
    pub fn row_bytes(&self) -> usize {
        self.row_bytes
    }

    /// All the bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
}

/// An owned [`QMatrix`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QMatrixBuf {
    format: BlockFormat,
    rows: usize,
    cols: usize,
    row_bytes: usize,
    data: Vec<u8>,
}

impl QMatrixBuf {
    /// Quantises a row-major `rows × cols` f32 matrix with `k`.
    pub fn quantize(
        k: &dyn BlockKernels,
        format: BlockFormat,
        rows: usize,
        cols: usize,
        src: &[f32],
    ) -> Result<Self> {
        expect_len("src", src.len(), mul(rows, cols, "rows * cols")?)?;
        let row_bytes = format.row_bytes(cols)?;
        let mut data = vec![0u8; mul(rows, row_bytes, "matrix bytes")?];
        if cols > 0 {
            for (s, d) in src
                .chunks_exact(cols)
                .zip(data.chunks_exact_mut(row_bytes.max(1)))
            {
                k.quantize_row(format, s, d)?;
            }
        }
        Ok(QMatrixBuf {
            format,
            rows,
            cols,
            row_bytes,
            data,
        })
    }

    /// Takes ownership of bytes already in `format` (checked like [`QMatrix::new`]).
    pub fn from_bytes(
        format: BlockFormat,
        rows: usize,
        cols: usize,
        data: Vec<u8>,
    ) -> Result<Self> {
        let row_bytes = QMatrix::new(format, rows, cols, &data)?.row_bytes;
        Ok(QMatrixBuf {
            format,
            rows,
            cols,
            row_bytes,
            data,
        })
    }

    /// The borrowed view (the same as [`QMatrixBuf::as_ref`]).
    pub fn view(&self) -> QMatrix<'_> {
        QMatrix {
            format: self.format,
            rows: self.rows,
            cols: self.cols,
            row_bytes: self.row_bytes,
            data: &self.data,
        }
    }

    /// The borrowed [`QMatrix`].
    #[allow(clippy::should_implement_trait)] // `AsRef` returns a reference, not a view
    pub fn as_ref(&self) -> QMatrix<'_> {
        self.view()
    }

    /// The block format.
    pub fn format(&self) -> BlockFormat {
        self.format
    }

    /// Rows (output features).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Values per row (input features).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The bytes, `rows` rows of blocks.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

/// `out (n × rows) = x (n × cols) · Wᵀ` for quantised `w`, as llama.cpp does it on a
/// CPU: each activation row is quantised to `w.format().dot_format()` with `k` (into
/// one scratch row reused across tokens), then each output is one `k.vec_dot`.
/// Allocates that scratch row per call; [`BlockMatmul`] keeps it across calls.
pub fn matmul_blocks(
    k: &dyn BlockKernels,
    w: &QMatrix<'_>,
    x: &[f32],
    n: usize,
    out: &mut [f32],
) -> Result<()> {
    BlockMatmul::new().run(k, w, x, n, out)
}

/// [`matmul_blocks`] with its scratch buffer (one quantised activation row) kept
/// between calls, so a steady-state loop allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct BlockMatmul {
    xq: Vec<u8>,
}

impl BlockMatmul {
    /// An empty scratch buffer (it grows to the largest row used).
    pub fn new() -> Self {
        BlockMatmul::default()
    }

    /// `out (n × rows) = x (n × cols) · Wᵀ`, as [`matmul_blocks`].
    pub fn run(
        &mut self,
        k: &dyn BlockKernels,
        w: &QMatrix<'_>,
        x: &[f32],
        n: usize,
        out: &mut [f32],
    ) -> Result<()> {
        expect_len("x", x.len(), mul(n, w.cols, "n * cols")?)?;
        expect_len("out", out.len(), mul(n, w.rows, "n * rows")?)?;
        if w.format == BlockFormat::Q8_K {
            return Err(Error::new(
                ErrorKind::Unsupported,
                CHECKS,
                "q8_k is an activation format: it has no dot product as weights",
            ));
        }
        if w.cols == 0 || w.rows == 0 {
            out.fill(0.0);
            return Ok(());
        }
        let dot = w.format.dot_format();
        let xq_len = dot.row_bytes(w.cols)?;
        self.xq.resize(xq_len, 0);
        let xq = &mut self.xq[..xq_len];
        for (xr, or) in x.chunks_exact(w.cols).zip(out.chunks_exact_mut(w.rows)) {
            k.quantize_row(dot, xr, xq)?;
            for (o, wr) in or.iter_mut().zip(w.data.chunks_exact(w.row_bytes)) {
                *o = k.vec_dot(w.format, wr, xq)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uniform values in [-1, 1) from a seed (splitmix64).
    fn uniform(len: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                (z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
            })
            .collect()
    }

    /// Uniform values whose magnitude changes every 256 (×1, ×0.02, ×40).
    fn values(len: usize, seed: u64) -> Vec<f32> {
        uniform(len, seed)
            .into_iter()
            .enumerate()
            .map(|(i, v)| v * [1.0, 0.02, 40.0][i / 256 % 3])
            .collect()
    }

    /// Normal-ish values (the sum of 4 uniforms, σ ≈ 0.58·scale) from a seed.
    fn normalish(len: usize, seed: u64, scale: f32) -> Vec<f32> {
        uniform(4 * len, seed)
            .chunks_exact(4)
            .map(|c| c.iter().sum::<f32>() * scale / 2.0)
            .collect()
    }

    fn f16_at(b: &[u8]) -> f32 {
        f16_to_f32(u16::from_le_bytes([b[0], b[1]]))
    }

    #[test]
    fn every_simd_path_equals_scalar() {
        let k = NativeBlocks::new();
        for n in [256usize, 512, 768, 4096] {
            let w = values(n, 1);
            let x = values(n, 2);
            for format in [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K] {
                let mut wq = vec![0u8; format.row_bytes(n).unwrap()];
                let mut xq = vec![0u8; format.dot_format().row_bytes(n).unwrap()];
                k.quantize_row(format, &w, &mut wq).unwrap();
                k.quantize_row(format.dot_format(), &x, &mut xq).unwrap();
                let scalar = vec_dot_at(Isa::Scalar, format, &wq, &xq).unwrap();
                let mut xd = vec![0f32; n];
                let mut wd = vec![0f32; n];
                k.dequantize_row(format, &wq, &mut wd).unwrap();
                k.dequantize_row(format.dot_format(), &xq, &mut xd).unwrap();
                // The scalar dot equals the dot of the dequantised rows (f64) up to f32
                // rounding of the block terms: within 1e-5 of Σ|terms|.
                let want: f64 = wd.iter().zip(&xd).map(|(a, b)| *a as f64 * *b as f64).sum();
                let scale: f64 = wd
                    .iter()
                    .zip(&xd)
                    .map(|(a, b)| (*a as f64 * *b as f64).abs())
                    .sum();
                assert!(
                    (scalar as f64 - want).abs() <= 1e-5 * scale + 1e-6,
                    "{format} n={n}: {scalar} vs {want}"
                );
                for isa in available_isas() {
                    // Same exact integer block sums on every path; only the f32
                    // accumulation order differs: within 1e-5 of Σ|terms|.
                    let p = vec_dot_at(isa, format, &wq, &xq).unwrap();
                    assert!(
                        ((p - scalar) as f64).abs() <= 1e-5 * scale + 1e-6,
                        "{isa:?} {format} n={n}: {p} vs {scalar}"
                    );
                }
            }
        }
        // Hand-picked extremes: Q8_0 values ±127, Q4_0 nibbles 0 and 15, Q8_K's −128
        // (which its quantiser writes) against Q4_K nibbles 15 with 6-bit scales of 63.
        let mut a = vec![0u8; 4 * Q8_0_BYTES];
        let mut b = vec![0u8; 4 * Q8_0_BYTES];
        for (i, (p, q)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
            let in_block = i % Q8_0_BYTES;
            (*p, *q) = match in_block {
                0 | 1 => ([0x00, 0x3c][in_block], [0x00, 0x38][in_block]), // 1.0, 0.5
                _ if i % 3 == 0 => (127, (-127i8) as u8),
                _ => ((-127i8) as u8, (-127i8) as u8),
            };
        }
        a[5] = 0x80; // −128 in the weights: exact on every path
        a[Q8_0_BYTES + 7] = 0x80;
        let mut q4 = vec![0u8; 4 * Q4_0_BYTES];
        for (i, v) in q4.iter_mut().enumerate() {
            *v = match i % Q4_0_BYTES {
                0 => 0x00,
                1 => 0x3c,
                _ => [0xf0, 0x0f, 0xff, 0x00][i % 4],
            };
        }
        let mut k4 = vec![0u8; Q4_K_BYTES];
        k4[..4].copy_from_slice(&[0x00, 0x3c, 0x00, 0x38]);
        k4[4..16].fill(0xff); // every 6-bit scale and min 63
        k4[16..].fill(0xff);
        let mut y = vec![0u8; Q8_K_BYTES];
        y[..4].copy_from_slice(&1.0f32.to_le_bytes());
        for (i, v) in y[4..4 + QK_K].iter_mut().enumerate() {
            *v = if i % 2 == 0 { 0x80 } else { 0x7f };
        }
        for (j, s) in (0..16).map(|j| (j, -8i16)) {
            let at = 4 + QK_K + 2 * j;
            y[at..at + 2].copy_from_slice(&s.to_le_bytes());
        }
        let cases: [(BlockFormat, &[u8], &[u8]); 3] = [
            (BlockFormat::Q8_0, &a, &b),
            (BlockFormat::Q4_0, &q4, &b),
            (BlockFormat::Q4_K, &k4, &y),
        ];
        for (format, w, x) in cases {
            let scalar = vec_dot_at(Isa::Scalar, format, w, x).unwrap();
            for isa in available_isas() {
                assert_eq!(
                    vec_dot_at(isa, format, w, x).unwrap(),
                    scalar,
                    "{isa:?} {format}"
                );
            }
        }
    }

    #[test]
    fn round_trip_rmse_within_step_bounds() {
        // Per format, over rows of 4096 normal-ish values at three magnitudes (1e-3 puts
        // the f16 scales among the subnormals):
        // - every value within half its step (Q4_0 and Q8_K: a whole step, their top
        //   level (+8, +128) is clamped to +7, +127; Q4_K: 1.5 steps, its 6-bit scales and mins are rounded after
        //   the search), plus the f16 rounding of the scale (half an ulp: relative 2⁻¹¹,
        //   at least 2⁻²⁵) times the largest level;
        // - the row's RMSE ≤ 1.1·√(mean step² / 12) + rms(f16 term): rounding to a grid of
        //   step Δ leaves uniform noise of variance Δ²/12 (1.1 is the margin).
        let k = NativeBlocks::new();
        let half_ulp = |v: f32| (v.abs() * 2f32.powi(-11)).max(2f32.powi(-25));
        for (seed, mag) in [(11u64, 1.0f32), (12, 1e-3), (13, 300.0)] {
            let n = 4096;
            let x = normalish(n, seed, mag);
            for format in BlockFormat::ALL {
                let mut q = vec![0u8; format.row_bytes(n).unwrap()];
                k.quantize_row(format, &x, &mut q).unwrap();
                let mut back = vec![0f32; n];
                k.dequantize_row(format, &q, &mut back).unwrap();
                let (mut step_sq, mut f16_sq) = (0f64, 0f64);
                for (bi, (xb, (yb, blk))) in x
                    .chunks_exact(format.block_len())
                    .zip(
                        back.chunks_exact(format.block_len())
                            .zip(q.chunks_exact(format.block_bytes())),
                    )
                    .enumerate()
                {
                    // (step, steps allowed, f16 term) per value.
                    let steps: Vec<(f32, f32, f32)> = match format {
                        BlockFormat::Q8_0 => {
                            let d = f16_at(blk);
                            vec![(d, 0.5, 127.0 * half_ulp(d)); 32]
                        }
                        BlockFormat::Q4_0 => {
                            let d = f16_at(blk).abs();
                            vec![(d, 1.0, 8.0 * half_ulp(d)); 32]
                        }
                        BlockFormat::Q8_K => {
                            let d = f32::from_le_bytes([blk[0], blk[1], blk[2], blk[3]]).abs();
                            vec![(d, 1.0, 128.0 * d * 1e-6); 256]
                        }
                        BlockFormat::Q4_K => {
                            let (d, dmin) = (f16_at(blk), f16_at(&blk[2..]));
                            let (sc, m) = unpack_q4_k_scales(&blk[4..16]);
                            (0..256)
                                .map(|i| {
                                    let j = i / 32;
                                    let f16 = 15.0 * sc[j] as f32 * half_ulp(d)
                                        + m[j] as f32 * half_ulp(dmin);
                                    (d * sc[j] as f32, 1.5, f16)
                                })
                                .collect()
                        }
                    };
                    for (i, ((a, b), (s, allowed, f16))) in
                        xb.iter().zip(yb).zip(&steps).enumerate()
                    {
                        step_sq += (*s as f64).powi(2);
                        f16_sq += (*f16 as f64).powi(2);
                        let bound = allowed * s + f16;
                        assert!(
                            (a - b).abs() <= bound * (1.0 + 1e-5),
                            "{format} mag {mag} block {bi} value {i}: {a} vs {b} (step {s})"
                        );
                    }
                }
                let rmse = (x
                    .iter()
                    .zip(&back)
                    .map(|(a, b)| ((a - b) as f64).powi(2))
                    .sum::<f64>()
                    / n as f64)
                    .sqrt();
                let bound = 1.1 * (step_sq / n as f64 / 12.0).sqrt() + (f16_sq / n as f64).sqrt();
                assert!(
                    rmse <= bound,
                    "{format} mag {mag}: RMSE {rmse} vs bound {bound}"
                );
            }
        }
    }

    #[test]
    fn llama_cpp_quantize_fns_thresholds() {
        // llama.cpp's tests/test-quantize-fns.cpp on its synthetic data
        // (0.1 + 2·cos(i + offset), 4096 values): quantise → dequantise error
        // √(Σ err²) / n ≤ 0.002 (MAX_QUANTIZATION_TOTAL_ERROR) and the quantised dot
        // product's |dot − f32 dot| / n ≤ 0.02 (MAX_DOT_PRODUCT_ERROR).
        let n = 4096;
        let data = |offset: f32| -> Vec<f32> {
            (0..n)
                .map(|i| 0.1 + 2.0 * (i as f32 + offset).cos())
                .collect()
        };
        let (a, b) = (data(0.0), data(1.0));
        let k = NativeBlocks::new();
        for format in [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K] {
            let mut q = vec![0u8; format.row_bytes(n).unwrap()];
            k.quantize_row(format, &a, &mut q).unwrap();
            let mut back = vec![0f32; n];
            k.dequantize_row(format, &q, &mut back).unwrap();
            let err = a
                .iter()
                .zip(&back)
                .map(|(x, y)| ((x - y) as f64).powi(2))
                .sum::<f64>()
                .sqrt()
                / n as f64;
            assert!(err <= 0.002, "{format}: {err}");
            let mut xq = vec![0u8; format.dot_format().row_bytes(n).unwrap()];
            k.quantize_row(format.dot_format(), &b, &mut xq).unwrap();
            let want: f64 = a.iter().zip(&b).map(|(x, y)| *x as f64 * *y as f64).sum();
            for isa in available_isas() {
                let got = vec_dot_at(isa, format, &q, &xq).unwrap();
                let e = (got as f64 - want).abs() / n as f64;
                assert!(e <= 0.02, "{isa:?} {format}: {e}");
            }
        }
    }

    #[test]
    fn quantised_matmul_error_against_f32() {
        // out = x·Wᵀ against the f32 product on normal-ish data (rows 64, cols 1024, 3
        // tokens). Q8_0: mean relative error Σ|err| / Σ|want| ≤ 0.02, candle's bound for
        // its quantised matmul tests. 4-bit formats: NMSE = Σ err² / Σ want² ≤ 1e-2 (the
        // step of a 32-value block of σ-scaled normals is ≈ 0.27σ (Q4_0: amax/8) or
        // ≈ 0.28σ (Q4_K: range/15), so the rounding noise alone predicts NMSE ≈ 6e-3).
        let (rows, cols, n) = (64, 1024, 3);
        let w = normalish(rows * cols, 21, 1.0);
        let x = normalish(n * cols, 22, 1.0);
        let mut want = vec![0f64; n * rows];
        for t in 0..n {
            for r in 0..rows {
                want[t * rows + r] = (0..cols)
                    .map(|c| w[r * cols + c] as f64 * x[t * cols + c] as f64)
                    .sum();
            }
        }
        let k = NativeBlocks::new();
        let mut mm = BlockMatmul::new();
        for format in [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K] {
            let q = QMatrixBuf::quantize(&k, format, rows, cols, &w).unwrap();
            let mut out = vec![0f32; n * rows];
            mm.run(&k, &q.as_ref(), &x, n, &mut out).unwrap();
            let mut again = vec![0f32; n * rows];
            matmul_blocks(&k, &q.view(), &x, n, &mut again).unwrap();
            assert_eq!(out, again);
            let abs: f64 = out
                .iter()
                .zip(&want)
                .map(|(o, w)| (*o as f64 - w).abs())
                .sum();
            let sq: f64 = out
                .iter()
                .zip(&want)
                .map(|(o, w)| (*o as f64 - w).powi(2))
                .sum();
            let rel = abs / want.iter().map(|w| w.abs()).sum::<f64>();
            let nmse = sq / want.iter().map(|w| w * w).sum::<f64>();
            match format {
                BlockFormat::Q8_0 => assert!(rel <= 0.02, "{format}: {rel}"),
                _ => assert!(nmse <= 1e-2, "{format}: NMSE {nmse} (rel {rel})"),
            }
        }
    }

    #[test]
    fn non_finite_scales_decode_without_panicking() {
        let k = NativeBlocks::new();
        for format in BlockFormat::ALL {
            let mut blk = vec![0x11u8; format.block_bytes()];
            match format {
                BlockFormat::Q8_K => blk[..4].copy_from_slice(&f32::NAN.to_le_bytes()),
                _ => blk[..2].copy_from_slice(&0x7c00u16.to_le_bytes()), // +inf
            }
            let mut out = vec![0f32; format.block_len()];
            k.dequantize_row(format, &blk, &mut out).unwrap();
            assert!(out.iter().any(|v| !v.is_finite()), "{format}");
            if format != BlockFormat::Q8_K {
                let xq = vec![0x01u8; format.dot_format().block_bytes()];
                for isa in available_isas() {
                    let _ = vec_dot_at(isa, format, &blk, &xq).unwrap();
                }
            }
        }
        // Non-finite inputs quantise (to whatever the arithmetic gives) without a panic.
        for format in BlockFormat::ALL {
            let mut src = vec![1.0f32; format.block_len()];
            src[3] = f32::NAN;
            src[5] = f32::INFINITY;
            let mut q = vec![0u8; format.block_bytes()];
            k.quantize_row(format, &src, &mut q).unwrap();
        }
    }

    #[test]
    fn bad_lengths_are_errors() {
        let k = NativeBlocks::new();
        for format in BlockFormat::ALL {
            let (len, bytes) = (format.block_len(), format.block_bytes());
            let shape = |r: Result<()>| assert_eq!(r.unwrap_err().kind(), ErrorKind::Shape);
            shape(k.quantize_row(format, &vec![0.0; len + 1], &mut vec![0; bytes]));
            shape(k.quantize_row(format, &vec![0.0; len], &mut vec![0; bytes + 1]));
            shape(k.dequantize_row(format, &vec![0; bytes - 1], &mut vec![0.0; len]));
            shape(k.dequantize_row(format, &vec![0; bytes], &mut vec![0.0; 2 * len]));
            if format != BlockFormat::Q8_K {
                let xb = format.dot_format().block_bytes();
                let e = k.vec_dot(format, &vec![0; bytes + 1], &vec![0; xb]);
                assert_eq!(e.unwrap_err().kind(), ErrorKind::Shape);
                let e = k.vec_dot(format, &vec![0; 2 * bytes], &vec![0; xb]);
                assert_eq!(e.unwrap_err().kind(), ErrorKind::Shape);
            }
            assert_eq!(
                QMatrix::new(format, 2, len, &vec![0; bytes])
                    .unwrap_err()
                    .kind(),
                ErrorKind::Shape
            );
            assert_eq!(
                QMatrix::new(format, 1, len - 1, &[]).unwrap_err().kind(),
                ErrorKind::Shape
            );
            assert!(QMatrixBuf::quantize(&k, format, 2, len, &vec![0.0; len]).is_err());
            assert!(QMatrixBuf::quantize(&k, format, usize::MAX, len, &[]).is_err());
        }
        let w = QMatrixBuf::quantize(&k, BlockFormat::Q8_0, 2, 32, &[0.5; 64]).unwrap();
        let mut out = [0.0f32; 2];
        assert!(matmul_blocks(&k, &w.as_ref(), &[0.0; 31], 1, &mut out).is_err());
        assert!(matmul_blocks(&k, &w.as_ref(), &[0.0; 32], 1, &mut out[..1]).is_err());
        assert!(matmul_blocks(&k, &w.as_ref(), &[], usize::MAX, &mut out).is_err());
        assert_eq!(w.as_ref().get_row(2), None);
        let q8k = QMatrixBuf::quantize(&k, BlockFormat::Q8_K, 1, 256, &[0.5; 256]).unwrap();
        assert_eq!(
            matmul_blocks(&k, &q8k.as_ref(), &[0.0; 256], 1, &mut out[..1])
                .unwrap_err()
                .kind(),
            ErrorKind::Unsupported
        );
    }

    #[test]
    fn q4_k_scale_unpacking_matches_get_scale_min_k4() {
        let mut s = 0x9e37_79b9u32;
        for _ in 0..1000 {
            let mut sc = [0u8; 12];
            for b in &mut sc {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                *b = (s >> 24) as u8;
            }
            let (scales, mins) = unpack_q4_k_scales(&sc);
            for j in 0..8 {
                assert_eq!((scales[j], mins[j]), scale_min_k4(j, &sc), "{sc:?} {j}");
            }
        }
    }

    #[test]
    fn formats_parse_and_size() {
        for f in BlockFormat::ALL {
            assert_eq!(f.name().parse::<BlockFormat>().unwrap(), f);
            assert_eq!(
                f.to_string().to_uppercase().parse::<BlockFormat>().unwrap(),
                f
            );
            assert_eq!(f.row_bytes(f.block_len() * 3).unwrap(), 3 * f.block_bytes());
            assert_eq!(
                f.row_bytes(f.block_len() + 1).unwrap_err().kind(),
                ErrorKind::Shape
            );
            assert!(f.row_bytes(usize::MAX).is_err());
        }
        assert!("q5_1".parse::<BlockFormat>().is_err());
        assert_eq!(
            [34, 18, 144, 292],
            BlockFormat::ALL.map(BlockFormat::block_bytes)
        );
        assert_eq!(
            QMatrix::new(BlockFormat::Q8_0, usize::MAX, 32, &[])
                .unwrap_err()
                .kind(),
            ErrorKind::TooLarge
        );
        let k = NativeBlocks::new();
        assert_eq!(
            k.vec_dot(BlockFormat::Q8_K, &[0; 292], &[0; 292])
                .unwrap_err()
                .kind(),
            ErrorKind::Unsupported
        );
    }

    #[test]
    fn q4_0_reference_rounding() {
        // The largest magnitude, −2, maps to −8: d = −2 / −8 = 0.25, 1/d = 4, and
        // q = min(15, trunc(x·4 + 8.5)).
        let mut x = [0f32; 32];
        x[0] = -2.0; // trunc(0.5) = 0
        x[1] = 1.0; // trunc(12.5) = 12
        x[2] = 0.125; // trunc(9.0) = 9
        x[16] = 2.0; // trunc(16.5) = 16 → 15
        let mut q = [0u8; 18];
        quantize_q4_0(&x, &mut q);
        assert_eq!(f16_to_f32(u16::from_le_bytes([q[0], q[1]])), 0.25);
        assert_eq!(q[2] & 0xf, 0);
        assert_eq!(q[3] & 0xf, 12);
        assert_eq!(q[4] & 0xf, 9);
        assert_eq!(q[5] & 0xf, 8);
        assert_eq!(q[2] >> 4, 15);
    }
}
