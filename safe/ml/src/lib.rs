//! CPU inference kernels for transformer models, the way llama.cpp and vLLM run them on
//! a CPU, behind small checked APIs:
//!
//! - [`kernels`]: numerically stable softmax, layernorm, rmsnorm, GELU (tanh and erf),
//!   SiLU, rotary position embedding (both layouts), embedding lookup; AVX-512 / AVX2
//!   where it pays, a scalar reference beside each.
//! - [`attention`]: scaled-dot-product attention on `arsenal-linalg`'s [`Blas`] trait
//!   (OpenBLAS, BLIS or native GEMM), flash attention (tiled, online softmax, O(N) extra
//!   memory), sliding-window attention, grouped-query heads, causal masks.
//! - [`kv`]: a contiguous KV cache (append / evict) and a paged KV cache with vLLM's
//!   block tables, and paged attention over it.
//! - [`quant`]: int8 per-channel weights and per-token activations, int4 group-wise
//!   (GPTQ packing, zero points, AWQ scaling), int8×int8 and int4×int8 matmul with
//!   AVX-512 VNNI / AVX2 paths; ggml's `Q8_0`, `Q4_0` and `Q4_K` block formats (GGUF
//!   weights) behind the [`BlockKernels`] trait.
//! - [`safetensors`]: a memory-mapped safetensors loader, zero-copy where aligned.
//!
//! | backend of [`BlockKernels`] | feature | what runs |
//! |---|---|---|
//! | [`Backend::Ggml`] | `ggml` | ggml (llama.cpp's kernel library, C) from crates.io's `ggml-sys-bleedingedge` (llama.cpp b2757): its own quantise, dequantise and dot product per format |
//! | [`Backend::Native`] | always built | [`quant::NativeBlocks`]: the same formats in Rust, AVX-512 VNNI / AVX2 dot products |
//!
//! Every length and shape is checked: a mismatch is an [`Error`], never a panic.
//!
//! ```
//! use arsenal_ml::kernels;
//! let mut x = [1.0f32, 2.0, 3.0];
//! kernels::softmax(&mut x);
//! assert!((x.iter().sum::<f32>() - 1.0).abs() < 1e-6);
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod attention;
mod backend;
mod error;
pub mod kernels;
pub mod kv;
pub mod quant;
pub mod safetensors;

#[cfg(feature = "ggml")]
pub use backend::ggml::Ggml;
pub use error::{Error, ErrorKind, Result};
pub use quant::BlockFormat;

/// The BLAS trait scaled-dot-product attention runs on (re-exported from
/// `arsenal-linalg`).
pub use arsenal_linalg::Blas;

use arsenal_core::Strategy;

/// ggml's block formats (quantise, dequantise, dot product) behind one object-safe
/// trait: every backend implements it and [`Backend::blocks`] gives a
/// `Box<dyn BlockKernels>`. [`quant::matmul_blocks`] multiplies with any of them.
pub trait BlockKernels: Send + Sync + std::fmt::Debug {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Quantises `src` (a multiple of `format.block_len()` values) into `dst`
    /// (exactly `format.row_bytes(src.len())` bytes).
    fn quantize_row(&self, format: BlockFormat, src: &[f32], dst: &mut [u8]) -> Result<()>;

    /// Dequantises `src` (whole blocks of `format`) into `dst` (the blocks' values).
    fn dequantize_row(&self, format: BlockFormat, src: &[u8], dst: &mut [f32]) -> Result<()>;

    /// The dot product of one row of `format` blocks (`w`) with one row of
    /// `format.dot_format()` blocks (`x`) of the same number of values.
    fn vec_dot(&self, format: BlockFormat, w: &[u8], x: &[u8]) -> Result<f32>;

    /// What runs on this CPU (the SIMD path), for reports.
    fn kernel(&self) -> String;
}

arsenal_core::backends! {
    /// The backends of [`BlockKernels`].
    domain = "ml";
    pub enum Backend {
        /// ggml (C), feature `ggml`: llama.cpp's kernel library from crates.io.
        Ggml = "ggml",
        /// Native Rust, always built.
        Native = "native",
    }
}

impl Backend {
    /// Whether this build compiles the backend in.
    const fn compiled_in(self) -> bool {
        match self {
            Backend::Ggml => cfg!(feature = "ggml"),
            Backend::Native => true,
        }
    }

    /// A boxed instance of this backend; [`ErrorKind::Unsupported`] when its feature is
    /// off.
    pub fn blocks(self) -> Result<Box<dyn BlockKernels>> {
        match self {
            #[cfg(feature = "ggml")]
            Backend::Ggml => Ok(Box::new(Ggml::new())),
            Backend::Native => Ok(Box::new(quant::NativeBlocks::new())),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                other.name(),
                format!("backend not compiled in (enable the cargo feature `{other}`)"),
            )),
        }
    }
}

/// [`Backend::available`]'s order: native first, then ggml. Measured (one token through
/// 4096×4096, one thread): native is ahead on `Q4_K` and within ~10 % of ggml on `Q8_0` /
/// `Q4_0`, and links no C library (see `Select::evidence`).
const PRIORITY: [Backend; 2] = [Backend::Native, Backend::Ggml];

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            // Links no C library and keeps no tables.
            Strategy::MinimalMemory => Backend::Native,
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None, // the documented priority
            _ => Some("ml/qmatmul/q4_k-4096x4096"),
        }
    }
}

/// The default [`BlockKernels`] type: the native one (see the `Select::evidence` row of
/// [`Backend`]).
pub type DefaultBlocks = quant::NativeBlocks;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_round_trips_q8_0() {
        let src: Vec<f32> = (0..64).map(|i| (i as f32 - 31.5) / 8.0).collect();
        for backend in Backend::available() {
            let k = backend.blocks().unwrap();
            assert_eq!(k.backend(), backend);
            let mut q = vec![0u8; BlockFormat::Q8_0.row_bytes(src.len()).unwrap()];
            k.quantize_row(BlockFormat::Q8_0, &src, &mut q).unwrap();
            let mut back = vec![0f32; src.len()];
            k.dequantize_row(BlockFormat::Q8_0, &q, &mut back).unwrap();
            for (a, b) in src.iter().zip(&back) {
                assert!(
                    (a - b).abs() <= 4.0 / 127.0 / 2.0 + 1e-3,
                    "{backend}: {a} vs {b}"
                );
            }
            assert!(!k.kernel().is_empty());
        }
    }
}
