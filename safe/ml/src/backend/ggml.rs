//! ggml (llama.cpp's kernel library, C): its own quantise / dequantise / dot product per
//! block format, looked up through `ggml_internal_get_type_traits`.
//!
//! The library comes from crates.io's `ggml-sys-bleedingedge` (llama.cpp release b2757,
//! compiled by `cc` from the crate's bundled source with the host's AVX2 / FMA / F16C
//! flags, or whatever `CFLAGS` adds, e.g. `-march=native` in `scripts/bench --native`).

use std::sync::OnceLock;

use ggml_sys_bleedingedge as sys;

use crate::quant::BlockFormat;
use crate::{Backend, BlockKernels, Error, ErrorKind, Result};

const NAME: &str = "ggml";

/// ggml's block kernels. Cheap to create: the first one initialises ggml's lookup
/// tables once per process.
#[derive(Debug, Clone, Copy)]
pub struct Ggml {
    _init: (),
}

impl Default for Ggml {
    fn default() -> Self {
        Self::new()
    }
}

/// The functions and sizes ggml registers for one type.
#[derive(Clone, Copy)]
pub(crate) struct Traits {
    /// Values per block.
    pub(crate) block_len: usize,
    /// Bytes per block.
    pub(crate) block_bytes: usize,
    /// `to_float(blocks, out, values)`.
    pub(crate) to_float: unsafe extern "C" fn(*const std::ffi::c_void, *mut f32, i64),
    /// `from_float(values, blocks, count)` (ggml's SIMD quantiser where it has one).
    pub(crate) from_float: unsafe extern "C" fn(*const f32, *mut std::ffi::c_void, i64),
    /// `vec_dot(n, &s, bs, x, bx, y, by, nrc)`; `None` for the dot-only formats.
    pub(crate) vec_dot: Option<
        unsafe extern "C" fn(
            i32,
            *mut f32,
            usize,
            *const std::ffi::c_void,
            usize,
            *const std::ffi::c_void,
            usize,
            i32,
        ),
    >,
}

fn ggml_type(format: BlockFormat) -> sys::ggml_type {
    match format {
        BlockFormat::Q8_0 => sys::ggml_type_GGML_TYPE_Q8_0,
        BlockFormat::Q4_0 => sys::ggml_type_GGML_TYPE_Q4_0,
        BlockFormat::Q4_K => sys::ggml_type_GGML_TYPE_Q4_K,
        BlockFormat::Q8_K => sys::ggml_type_GGML_TYPE_Q8_K,
    }
}

/// ggml's traits for `format`, checked against our layout of the format once.
pub(crate) fn traits(format: BlockFormat) -> Result<Traits> {
    static TABLE: OnceLock<[Option<Traits>; 4]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        init();
        let all = [
            BlockFormat::Q8_0,
            BlockFormat::Q4_0,
            BlockFormat::Q4_K,
            BlockFormat::Q8_K,
        ];
        all.map(|f| {
            // SAFETY: ggml_internal_get_type_traits indexes a static table by a valid
            // `ggml_type` value (ours are ggml's own constants) and returns it by value.
            let t = unsafe { sys::ggml_internal_get_type_traits(ggml_type(f)) };
            // ggml registers no `to_float` for Q8_K (an activation-only format); its
            // exported `dequantize_row_q8_K` is the one.
            let to_float = match (t.to_float, f) {
                (Some(g), _) => g,
                (None, BlockFormat::Q8_K) => dequantize_row_q8_k,
                (None, _) => return None,
            };
            let from_float = t.from_float?;
            // The sizes ggml registers must be the format's: if a different ggml were
            // linked, we would rather refuse than read the wrong bytes.
            if t.blck_size as usize != f.block_len() || t.type_size != f.block_bytes() {
                return None;
            }
            Some(Traits {
                block_len: t.blck_size as usize,
                block_bytes: t.type_size,
                to_float,
                from_float,
                vec_dot: t
                    .vec_dot
                    .filter(|_| ggml_dot_type(f) == Some(t.vec_dot_type)),
            })
        })
    });
    let index = match format {
        BlockFormat::Q8_0 => 0,
        BlockFormat::Q4_0 => 1,
        BlockFormat::Q4_K => 2,
        BlockFormat::Q8_K => 3,
    };
    table[index].ok_or_else(|| {
        Error::new(
            ErrorKind::Unsupported,
            NAME,
            format!("ggml has no matching {format} kernels"),
        )
    })
}

extern "C" {
    /// ggml-quants.c's Q8_K dequantiser (exported, declared in its internal header).
    #[link_name = "dequantize_row_q8_K"]
    fn dequantize_row_q8_k(x: *const std::ffi::c_void, y: *mut f32, k: i64);
}

/// The `vec_dot_type` our [`BlockFormat::dot_format`] says ggml uses.
fn ggml_dot_type(format: BlockFormat) -> Option<sys::ggml_type> {
    match format {
        BlockFormat::Q8_K => None,
        f => Some(ggml_type(f.dot_format())),
    }
}

/// `ggml_init` once: it fills ggml's f16 lookup tables, which the scalar paths of the
/// conversions read.
fn init() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let params = sys::ggml_init_params {
            mem_size: 1024,
            mem_buffer: std::ptr::null_mut(),
            no_alloc: true,
        };
        // SAFETY: a context with a small internal buffer and no tensors; ggml_init fills
        // its global tables on the first call (we call it once, under the OnceLock), and
        // the context is freed at once: only the tables are kept.
        unsafe {
            let ctx = sys::ggml_init(params);
            if !ctx.is_null() {
                sys::ggml_free(ctx);
            }
        }
    });
}

impl Ggml {
    /// ggml's kernels (initialises ggml's tables on first use).
    pub fn new() -> Self {
        init();
        Ggml { _init: () }
    }
}

/// The number of blocks in `values` values of `format`, as ggml's `int` / `int64_t`.
fn blocks_of(format: BlockFormat, values: usize) -> Result<usize> {
    format.row_bytes(values)?;
    if i32::try_from(values).is_err() {
        return Err(Error::new(
            ErrorKind::TooLarge,
            NAME,
            format!("{values} values do not fit ggml's int"),
        ));
    }
    Ok(values / format.block_len())
}

impl BlockKernels for Ggml {
    fn backend(&self) -> Backend {
        Backend::Ggml
    }

    fn quantize_row(&self, format: BlockFormat, src: &[f32], dst: &mut [u8]) -> Result<()> {
        let t = traits(format)?;
        let blocks = blocks_of(format, src.len())?;
        crate::error::expect_len("dst", dst.len(), blocks * t.block_bytes)?;
        if blocks == 0 {
            return Ok(());
        }
        // SAFETY: `src` holds `blocks * block_len` floats and `dst` exactly
        // `blocks * block_bytes` bytes (checked above against ggml's own sizes); ggml's
        // quantisers write whole blocks only and keep no pointer. Block structs are
        // byte-packed with 2-byte (f16) or 4-byte (Q8_K's f32) fields read by memcpy-like
        // unaligned loads on x86.
        unsafe { (t.from_float)(src.as_ptr(), dst.as_mut_ptr().cast(), src.len() as i64) };
        Ok(())
    }

    fn dequantize_row(&self, format: BlockFormat, src: &[u8], dst: &mut [f32]) -> Result<()> {
        let t = traits(format)?;
        let blocks = blocks_of(format, dst.len())?;
        crate::error::expect_len("src", src.len(), blocks * t.block_bytes)?;
        if blocks == 0 {
            return Ok(());
        }
        // SAFETY: `src` holds exactly `blocks` blocks and `dst` their `blocks * block_len`
        // values (checked above); any bit pattern is a valid block (a NaN scale only
        // yields NaN values).
        unsafe { (t.to_float)(src.as_ptr().cast(), dst.as_mut_ptr(), dst.len() as i64) };
        Ok(())
    }

    fn vec_dot(&self, format: BlockFormat, w: &[u8], x: &[u8]) -> Result<f32> {
        let t = traits(format)?;
        let dot = t.vec_dot.ok_or_else(|| {
            Error::new(
                ErrorKind::Unsupported,
                NAME,
                format!("{format} is a dot-product operand format, not a weight format"),
            )
        })?;
        let xt = traits(format.dot_format())?;
        if !w.len().is_multiple_of(t.block_bytes) {
            return Err(Error::shape(format!(
                "w has {} bytes, not whole {format} blocks",
                w.len()
            )));
        }
        let blocks = w.len() / t.block_bytes;
        let values = blocks * t.block_len;
        let n = i32::try_from(values)
            .map_err(|_| Error::new(ErrorKind::TooLarge, NAME, "row too long for ggml's int"))?;
        crate::error::expect_len("x", x.len(), values / xt.block_len * xt.block_bytes)?;
        let mut s = 0f32;
        if blocks == 0 {
            return Ok(s);
        }
        // SAFETY: `w` holds `blocks` blocks of `format` and `x` the same number of values
        // in its dot format (checked above against ggml's sizes); nrc = 1 computes one
        // dot product into `s` and ignores the strides.
        unsafe {
            dot(n, &mut s, 0, w.as_ptr().cast(), 0, x.as_ptr().cast(), 0, 1);
        }
        Ok(s)
    }

    fn kernel(&self) -> String {
        // SAFETY: these ggml functions only report compile-time flags.
        let (avx512, vnni, avx2) = unsafe {
            (
                sys::ggml_cpu_has_avx512(),
                sys::ggml_cpu_has_avx512_vnni(),
                sys::ggml_cpu_has_avx2(),
            )
        };
        let isa = if vnni != 0 {
            "avx512-vnni"
        } else if avx512 != 0 {
            "avx512"
        } else if avx2 != 0 {
            "avx2"
        } else {
            "scalar"
        };
        format!("ggml b2757 ({isa}, as compiled)")
    }
}
