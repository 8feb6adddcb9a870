//! Quantised weights and the matmuls on them.
//!
//! - ggml's block formats ([`BlockFormat`]: `Q8_0`, `Q4_0`, `Q4_K`, and `Q8_K`, the
//!   activation format of `Q4_K`), byte-compatible with GGUF files, behind
//!   [`BlockKernels`](crate::BlockKernels) ([`NativeBlocks`] here, ggml's own C with the
//!   `ggml` feature), a matrix of blocks ([`QMatrix`], [`QMatrixBuf`]) and
//!   [`matmul_blocks`];
//! - int8: symmetric per-output-channel weights ([`Int8Weights`]) × dynamic per-token
//!   activations ([`Int8Activations`]) → [`matmul_i8`] (exact i32 sums);
//! - int4: GPTQ-style group-wise asymmetric weights ([`Int4Weights`]; group 32, 64 or
//!   128, scales and zero points, GPTQ and AWQ packings), AWQ's activation-aware scaling
//!   ([`awq_scale`]) and [`matmul_i4_i8`].
//!
//! The dot products run on AVX-512 VNNI (`vpdpbusd`), AVX2 (`vpmaddubsw` +
//! `vpmaddwd`, as ggml's AVX2 code) or scalar code, chosen once at run time
//! ([`kernel_name`]; `ARSENAL_ML_ISA=avx2|scalar` caps it). Integer sums are exact and
//! identical on every path.
//!
//! ```
//! use arsenal_ml::quant::{matmul_blocks, NativeBlocks, QMatrixBuf};
//! use arsenal_ml::BlockFormat;
//! let w: Vec<f32> = (0..4 * 64).map(|i| (i % 7) as f32 - 3.0).collect(); // 4 × 64
//! let x = vec![1.0f32; 64];
//! let k = NativeBlocks::new();
//! let q = QMatrixBuf::quantize(&k, BlockFormat::Q8_0, 4, 64, &w)?;
//! let mut y = [0.0f32; 4];
//! matmul_blocks(&k, &q.view(), &x, 1, &mut y)?;
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

pub use int4::{awq_scale, matmul_i4_i8, Int4Weights};
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

/// The SIMD level of the quantised dot products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// AVX-512 F/VL/VNNI (+ AVX2, FMA).
    Vnni,
    /// AVX2 + FMA.
    Avx2,
    /// Portable Rust.
    Scalar,
}

/// The best level this CPU has, capped by `ARSENAL_ML_ISA`, detected once.
pub(crate) fn isa() -> Isa {
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let cap = match std::env::var("ARSENAL_ML_ISA").as_deref() {
            Ok("scalar") => Isa::Scalar,
            Ok("avx2") => Isa::Avx2,
            _ => Isa::Vnni,
        };
        #[cfg(target_arch = "x86_64")]
        {
            let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
            if cap == Isa::Vnni
                && avx2
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx512vnni")
            {
                return Isa::Vnni;
            }
            if cap != Isa::Scalar && avx2 {
                return Isa::Avx2;
            }
        }
        let _ = cap;
        Isa::Scalar
    })
}

/// What the quantised dot products run here: `"avx512-vnni"`, `"avx2"` or `"scalar"`.
pub fn kernel_name() -> &'static str {
    match isa() {
        Isa::Vnni => "avx512-vnni",
        Isa::Avx2 => "avx2",
        Isa::Scalar => "scalar",
    }
}

/// Runs `simd::{vnni,avx2}::$f(args)` or `$scalar(args)` for [`isa`].
macro_rules! by_isa {
    ($f:ident, $scalar:expr, ($($a:expr),*)) => {{
        match $crate::quant::isa() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: isa() returned Vnni only after detecting AVX-512 F/VL/VNNI, AVX2, FMA.
            $crate::quant::Isa::Vnni => unsafe { $crate::quant::simd::vnni::$f($($a),*) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: isa() returned Avx2 only after detecting AVX2 and FMA.
            $crate::quant::Isa::Avx2 => unsafe { $crate::quant::simd::avx2::$f($($a),*) },
            _ => $scalar($($a),*),
        }
    }};
}
pub(crate) use by_isa;

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
            BlockFormat::Q8_0 => by_isa!(dot_q8_0_q8_0, dot_q8_0_q8_0_scalar, (w, x)),
            BlockFormat::Q4_0 => by_isa!(dot_q4_0_q8_0, dot_q4_0_q8_0_scalar, (w, x)),
            BlockFormat::Q4_K => by_isa!(dot_q4_k_q8_k, dot_q4_k_q8_k_scalar, (w, x)),
            BlockFormat::Q8_K => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    CHECKS,
                    "q8_k is an activation format: it has no dot product as weights",
                ))
            }
        })
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

    /// Row `i`'s blocks; panics when `i >= rows()` (like slice indexing).
    pub fn row(&self, i: usize) -> &'a [u8] {
        &self.data[i * self.row_bytes..(i + 1) * self.row_bytes]
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
        QMatrix::new(format, rows, cols, &data)?;
        Ok(QMatrixBuf {
            format,
            rows,
            cols,
            data,
        })
    }

    /// The borrowed view.
    pub fn view(&self) -> QMatrix<'_> {
        QMatrix {
            format: self.format,
            rows: self.rows,
            cols: self.cols,
            row_bytes: self.data.len().checked_div(self.rows).unwrap_or(0),
            data: &self.data,
        }
    }
}

/// `out (n × rows) = x (n × cols) · Wᵀ` for quantised `w`, as llama.cpp does it on a
/// CPU: each activation row is quantised to `w.format().dot_format()` with `k`, then
/// each output is one `k.vec_dot`. Allocates one activation row of blocks per call.
pub fn matmul_blocks(
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
            "q8_k is an activation format",
        ));
    }
    let dot = w.format.dot_format();
    let mut xq = vec![0u8; dot.row_bytes(w.cols)?];
    if w.cols == 0 {
        out.fill(0.0);
        return Ok(());
    }
    for (xr, or) in x
        .chunks_exact(w.cols)
        .zip(out.chunks_exact_mut(w.rows.max(1)))
    {
        k.quantize_row(dot, xr, &mut xq)?;
        for (r, o) in or.iter_mut().enumerate().take(w.rows) {
            *o = k.vec_dot(w.format, w.row(r), &xq)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(len: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|i| {
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                ((z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0)
                    * [1.0, 0.02, 40.0][i / 256 % 3]
            })
            .collect()
    }

    #[test]
    fn every_simd_path_equals_scalar() {
        let k = NativeBlocks::new();
        for n in [256usize, 512, 4096] {
            let w = values(n, 1);
            let x = values(n, 2);
            for format in [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K] {
                let mut wq = vec![0u8; format.row_bytes(n).unwrap()];
                let mut xq = vec![0u8; format.dot_format().row_bytes(n).unwrap()];
                k.quantize_row(format, &w, &mut wq).unwrap();
                k.quantize_row(format.dot_format(), &x, &mut xq).unwrap();
                let scalar = match format {
                    BlockFormat::Q8_0 => dot_q8_0_q8_0_scalar(&wq, &xq),
                    BlockFormat::Q4_0 => dot_q4_0_q8_0_scalar(&wq, &xq),
                    _ => dot_q4_k_q8_k_scalar(&wq, &xq),
                };
                let mut xd = vec![0f32; n];
                let mut wd = vec![0f32; n];
                k.dequantize_row(format, &wq, &mut wd).unwrap();
                k.dequantize_row(format.dot_format(), &xq, &mut xd).unwrap();
                let scale: f64 = wd
                    .iter()
                    .zip(&xd)
                    .map(|(a, b)| (*a as f64 * *b as f64).abs())
                    .sum();
                #[cfg(target_arch = "x86_64")]
                {
                    let mut paths = Vec::new();
                    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                        // SAFETY: AVX2 and FMA were just detected.
                        paths.push(unsafe {
                            match format {
                                BlockFormat::Q8_0 => simd::avx2::dot_q8_0_q8_0(&wq, &xq),
                                BlockFormat::Q4_0 => simd::avx2::dot_q4_0_q8_0(&wq, &xq),
                                _ => simd::avx2::dot_q4_k_q8_k(&wq, &xq),
                            }
                        });
                    }
                    if is_x86_feature_detected!("avx512vnni")
                        && is_x86_feature_detected!("avx512vl")
                        && is_x86_feature_detected!("avx2")
                        && is_x86_feature_detected!("fma")
                    {
                        // SAFETY: the VNNI wrappers' features were just detected.
                        paths.push(unsafe {
                            match format {
                                BlockFormat::Q8_0 => simd::vnni::dot_q8_0_q8_0(&wq, &xq),
                                BlockFormat::Q4_0 => simd::vnni::dot_q4_0_q8_0(&wq, &xq),
                                _ => simd::vnni::dot_q4_k_q8_k(&wq, &xq),
                            }
                        });
                    }
                    for p in paths {
                        // Same exact integer block sums; only the f32 accumulation order
                        // differs: within 1e-5 of Σ|terms|.
                        assert!(
                            ((p - scalar) as f64).abs() <= 1e-5 * scale + 1e-6,
                            "{format} n={n}: {p} vs {scalar}"
                        );
                    }
                }
                let _ = scale;
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
