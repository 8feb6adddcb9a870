//! CPU-inference rows of the matrix: `ml/<op>/<dataset>/<impl>`, one thread.
//!
//! | op / dataset | what one iteration does | items |
//! |---|---|---|
//! | `qmatmul/<fmt>-4096x4096` | one token through a 4096×4096 quantised weight matrix (`fmt` = `q8_0`, `q4_0`, `q4_k`: ggml's block formats; `int8`: per-channel int8 weights × per-token int8 activations; `int4-g128`: GPTQ-style group-wise int4 × int8), the token's quantisation included | 2·rows·cols operations (items/s ÷ 10⁹ = GOPS) |
//! | `attention/prefill-<n>` | causal self-attention of n tokens, 8 query heads, 2 KV heads (GQA), head size 128 | n tokens |
//! | `attention/decode-<n>` | one new token attending to n cached tokens (same heads) | 1 token |
//! | `kernels/<kernel>-<shape>` | softmax / rmsnorm / layernorm over rows of 4096, GELU / SiLU over 2¹⁷ values, RoPE over 32 tokens × 32 heads × 128 | bytes of input (GB/s) |
//! | `safetensors/open-<n>` | open (map + parse + validate) a safetensors file of n F32 tensors and borrow each tensor's data | n tensors |
//!
//! | impl | what runs |
//! |---|---|
//! | `arsenal:native` | `arsenal_ml`'s native kernels (AVX-512 VNNI / AVX2 chosen at run time) |
//! | `arsenal:ggml` | `arsenal_ml::quant::matmul_blocks` on the [`arsenal_ml::Ggml`] backend (ggml's quantiser and dot product through our checked wrapper) |
//! | `raw:ggml` | ggml's `from_float` and `vec_dot` function pointers from `ggml_internal_get_type_traits`, called directly |
//! | `arsenal:sdpa-<blas>` | scaled-dot-product attention on `arsenal-linalg`'s OpenBLAS, BLIS or native GEMM (scores materialised per head) |
//! | `arsenal:flash` | flash attention (tiled, online softmax) |
//! | `arsenal:paged` | paged attention over a paged KV cache (block size 16) |
//! | `peer:candle` | candle-core 0.9.2's `k_quants` (pure Rust, ggml's formats): the loop of its `k_quants::matmul` on one thread — the activation row quantised with `from_float`, then `GgmlType::vec_dot` per output (its AVX2 code is compiled in when the target enables AVX2, e.g. `scripts/bench --native`) |
//! | `peer:safetensors` | the `safetensors` crate: `SafeTensors::deserialize` on the same memory map, `tensor()` per name |
//!
//! **Verification** (outside the timing): quantised products against an `f64` product of
//! the dequantised weights and the dequantised quantised token (the kernels' exact
//! inputs), to 1e-4 of Σ|terms|; attention against `attention_reference` (`f64`), NMSE ≤
//! 5e-4; kernels against their `f64` formulas; safetensors by the tensors' byte sums.

use std::cell::OnceCell;
use std::rc::Rc;

use arsenal_ml::attention::{self, AttnParams};
use arsenal_ml::kernels;
use arsenal_ml::kv::{self, PagedKvCache};
use arsenal_ml::quant::{self, Int4Weights, Int8Activations, Int8Weights, QMatrixBuf};
use arsenal_ml::{BlockFormat, BlockKernels};

use candle_core::quantized::k_quants::{self, GgmlType};

use crate::domain::Domain;
use crate::harness::{Case, Registry};
use crate::report::Unit;

/// The first part of every cell id of this domain.
const NAME: &str = "ml";

/// The CPU-inference domain.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "CPU inference kernels",
    register: |reg, _data| register(reg),
    unit: |op| match op {
        "kernels" => Some(Unit::GigabytesPerSecond),
        _ => Some(Unit::ItemsPerSecond),
    },
    note: |_machine| Some(note()),
    select: Some(crate::domain::Selection {
        krate: "arsenal-ml",
        pick: crate::strategy::pick::<arsenal_ml::Backend>,
    }),
    ..Domain::EMPTY
};

fn note() -> String {
    let blocks: Vec<String> = arsenal_ml::Backend::available()
        .into_iter()
        .filter_map(|b| b.blocks().ok().map(|k| format!("{b}: {}", k.kernel())))
        .collect();
    format!(
        "qmatmul items are multiply-adds ×2 (items/s ÷ 10⁹ = GOPS); attention items are tokens; one thread; block kernels: {}; element-wise kernels: {}; quantised integer kernels: {}",
        blocks.join(", "),
        kernels::kernel_name(),
        quant::kernel_name(),
    )
}

/// Deterministic values in [-1, 1) (splitmix64).
fn data(len: usize, seed: u64) -> Vec<f32> {
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

/// A checksum of floats that every correct implementation need not share (rounding
/// differs): only used to keep the optimiser from dropping the work.
fn touch(v: &[f32]) -> u64 {
    v.len() as u64 + u64::from(v.first().is_some_and(|x| x.is_finite()))
}

/// |got − want| ≤ tol·scale element-wise, or the first offender.
fn close(got: &[f32], want: &[f64], scale: &[f64], tol: f64) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!("{} outputs, expected {}", got.len(), want.len()));
    }
    for (i, ((g, w), s)) in got.iter().zip(want).zip(scale).enumerate() {
        let ok = (*g as f64 - w).abs() <= tol * s + 1e-6;
        if !ok {
            return Err(format!("output {i}: {g}, expected {w} (±{})", tol * s));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Quantised matmul.

const QROWS: usize = 4096;
const QCOLS: usize = 4096;

/// ggml's functions for one format, taken from its type-traits table (the `raw:` path).
struct RawGgml {
    from_float: unsafe extern "C" fn(*const f32, *mut std::ffi::c_void, i64),
    vec_dot: unsafe extern "C" fn(
        i32,
        *mut f32,
        usize,
        *const std::ffi::c_void,
        usize,
        *const std::ffi::c_void,
        usize,
        i32,
    ),
    x_block_bytes: usize,
    x_block_len: usize,
}

fn raw_ggml(format: BlockFormat) -> Result<RawGgml, String> {
    use ggml_sys_bleedingedge as sys;
    let (ty, xty) = match format {
        BlockFormat::Q8_0 => (sys::ggml_type_GGML_TYPE_Q8_0, sys::ggml_type_GGML_TYPE_Q8_0),
        BlockFormat::Q4_0 => (sys::ggml_type_GGML_TYPE_Q4_0, sys::ggml_type_GGML_TYPE_Q8_0),
        BlockFormat::Q4_K => (sys::ggml_type_GGML_TYPE_Q4_K, sys::ggml_type_GGML_TYPE_Q8_K),
        other => return Err(format!("{other} is not a weight format")),
    };
    // SAFETY: ggml_init with a small internal buffer and no tensors fills ggml's global
    // f16 tables (idempotent); the context is freed at once.
    unsafe {
        let ctx = sys::ggml_init(sys::ggml_init_params {
            mem_size: 1024,
            mem_buffer: std::ptr::null_mut(),
            no_alloc: true,
        });
        if !ctx.is_null() {
            sys::ggml_free(ctx);
        }
    }
    // SAFETY: the traits table is static and indexed by valid ggml type constants.
    let (t, xt) = unsafe {
        (
            sys::ggml_internal_get_type_traits(ty),
            sys::ggml_internal_get_type_traits(xty),
        )
    };
    if t.vec_dot_type != xty {
        return Err("ggml's vec_dot_type differs".into());
    }
    Ok(RawGgml {
        from_float: xt.from_float.ok_or("no from_float")?,
        vec_dot: t.vec_dot.ok_or("no vec_dot")?,
        x_block_bytes: xt.type_size,
        x_block_len: xt.blck_size as usize,
    })
}

/// The f64 reference of `W·x` for a block format: dequantised W times the dequantised
/// quantised x (what every kernel multiplies), and Σ|terms| per row.
fn block_reference(w: &QMatrixBuf, xq: &[u8], format: BlockFormat) -> (Vec<f64>, Vec<f64>) {
    let native = quant::NativeBlocks::new();
    let mut xd = vec![0f32; QCOLS];
    native
        .dequantize_row(format.dot_format(), xq, &mut xd)
        .expect("dequantise x");
    let mut row = vec![0f32; QCOLS];
    let w = w.view();
    let mut want = Vec::with_capacity(QROWS);
    let mut scale = Vec::with_capacity(QROWS);
    for r in 0..QROWS {
        native
            .dequantize_row(format, w.row(r), &mut row)
            .expect("dequantise w");
        want.push(
            row.iter()
                .zip(&xd)
                .map(|(a, b)| *a as f64 * *b as f64)
                .sum(),
        );
        scale.push(
            row.iter()
                .zip(&xd)
                .map(|(a, b)| (*a as f64 * *b as f64).abs())
                .sum(),
        );
    }
    (want, scale)
}

fn register_qmatmul(reg: &mut Registry) {
    let w = Rc::new(data(QROWS * QCOLS, 1));
    let x = Rc::new(data(QCOLS, 2));
    let items = (2 * QROWS * QCOLS) as u64;
    for format in [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K] {
        let dataset = format!("{format}-{QROWS}x{QCOLS}");
        // The weights are quantised once by the native backend: every cell multiplies
        // the same bytes (conformance tests check both backends read each other's).
        let native = quant::NativeBlocks::new();
        let qw = match QMatrixBuf::quantize(&native, format, QROWS, QCOLS, &w) {
            Ok(q) => Rc::new(q),
            Err(e) => {
                reg.add(Case::failed(
                    NAME,
                    "qmatmul",
                    &dataset,
                    "arsenal:native",
                    e.to_string(),
                ));
                continue;
            }
        };
        let bytes = qw.view().data().len() as u64;
        for backend in arsenal_ml::Backend::ALL {
            let imp = format!("arsenal:{backend}");
            let k: Rc<dyn BlockKernels> = match backend.blocks() {
                Ok(k) => Rc::from(k),
                Err(e) => {
                    reg.add(Case::unsupported(
                        NAME,
                        "qmatmul",
                        &dataset,
                        &imp,
                        e.to_string(),
                    ));
                    continue;
                }
            };
            let mut out = vec![0f32; QROWS];
            let check = {
                let (k, qw, x) = (Rc::clone(&k), Rc::clone(&qw), Rc::clone(&x));
                move || {
                    let mut out = vec![f32::NAN; QROWS];
                    quant::matmul_blocks(&*k, &qw.view(), &x, 1, &mut out)
                        .map_err(|e| e.to_string())?;
                    let mut xq = vec![
                        0u8;
                        format
                            .dot_format()
                            .row_bytes(QCOLS)
                            .map_err(|e| e.to_string())?
                    ];
                    k.quantize_row(format.dot_format(), &x, &mut xq)
                        .map_err(|e| e.to_string())?;
                    let (want, scale) = block_reference(&qw, &xq, format);
                    close(&out, &want, &scale, 1e-4)
                }
            };
            let (qw, x) = (Rc::clone(&qw), Rc::clone(&x));
            reg.add(
                Case::new(NAME, "qmatmul", &dataset, &imp, bytes, items, move || {
                    quant::matmul_blocks(&*k, &qw.view(), &x, 1, &mut out)
                        .map_or(0, |()| touch(&out))
                })
                .verify(check),
            );
        }
        // raw: ggml's own function pointers.
        match raw_ggml(format) {
            Err(e) => reg.add(Case::unsupported(NAME, "qmatmul", &dataset, "raw:ggml", e)),
            Ok(raw) => {
                let raw = Rc::new(raw);
                let run = {
                    let (raw, qw, x) = (Rc::clone(&raw), Rc::clone(&qw), Rc::clone(&x));
                    move |out: &mut [f32], xq: &mut Vec<u8>| {
                        xq.resize(QCOLS / raw.x_block_len * raw.x_block_bytes, 0);
                        let w = qw.view();
                        // SAFETY: x has QCOLS floats and xq room for its blocks; each W row
                        // has QCOLS values of `format` (checked when QMatrixBuf was made) and
                        // xq the same count in ggml's vec_dot_type; nrc = 1.
                        unsafe {
                            (raw.from_float)(x.as_ptr(), xq.as_mut_ptr().cast(), QCOLS as i64);
                            for (r, o) in out.iter_mut().enumerate() {
                                (raw.vec_dot)(
                                    QCOLS as i32,
                                    o,
                                    0,
                                    w.row(r).as_ptr().cast(),
                                    0,
                                    xq.as_ptr().cast(),
                                    0,
                                    1,
                                );
                            }
                        }
                    }
                };
                let run = Rc::new(run);
                let check = {
                    let (run, qw) = (Rc::clone(&run), Rc::clone(&qw));
                    move || {
                        let mut out = vec![f32::NAN; QROWS];
                        let mut xq = Vec::new();
                        run(&mut out, &mut xq);
                        let (want, scale) = block_reference(&qw, &xq, format);
                        close(&out, &want, &scale, 1e-4)
                    }
                };
                let mut out = vec![0f32; QROWS];
                let mut xq = Vec::new();
                reg.add(
                    Case::new(
                        NAME,
                        "qmatmul",
                        &dataset,
                        "raw:ggml",
                        bytes,
                        items,
                        move || {
                            run(&mut out, &mut xq);
                            touch(&out)
                        },
                    )
                    .verify(check),
                );
            }
        }
        match format {
            BlockFormat::Q8_0 => candle_cell::<k_quants::BlockQ8_0>(reg, &dataset, &w, &x),
            BlockFormat::Q4_0 => candle_cell::<k_quants::BlockQ4_0>(reg, &dataset, &w, &x),
            _ => candle_cell::<k_quants::BlockQ4K>(reg, &dataset, &w, &x),
        }
    }

    // int8 × int8 and int4 × int8: native only (no packaged C library has them).
    let int8 = match Int8Weights::quantize(&w, QROWS, QCOLS) {
        Ok(q) => Rc::new(q),
        Err(e) => {
            return reg.add(Case::failed(
                NAME,
                "qmatmul",
                "int8",
                "arsenal:native",
                e.to_string(),
            ))
        }
    };
    let deq8 = Rc::new(int8.dequantize());
    {
        let (q, x2, deq) = (Rc::clone(&int8), Rc::clone(&x), Rc::clone(&deq8));
        let check = move || {
            let xq = Int8Activations::quantize(&x2, 1, QCOLS).map_err(|e| e.to_string())?;
            let mut out = vec![f32::NAN; QROWS];
            quant::matmul_i8(&q, &xq, &mut out).map_err(|e| e.to_string())?;
            let xd = xq.dequantize();
            let (want, scale) = dense_reference(&deq, &xd);
            close(&out, &want, &scale, 1e-4)
        };
        let (q, x) = (Rc::clone(&int8), Rc::clone(&x));
        let mut out = vec![0f32; QROWS];
        reg.add(
            Case::new(
                NAME,
                "qmatmul",
                format!("int8-{QROWS}x{QCOLS}"),
                "arsenal:native",
                (QROWS * QCOLS) as u64,
                items,
                move || {
                    let Ok(xq) = Int8Activations::quantize(&x, 1, QCOLS) else {
                        return 0;
                    };
                    quant::matmul_i8(&q, &xq, &mut out).map_or(0, |()| touch(&out))
                },
            )
            .verify(check),
        );
    }
    let int4 = match Int4Weights::quantize(&w, QROWS, QCOLS, 128) {
        Ok(q) => Rc::new(q),
        Err(e) => {
            return reg.add(Case::failed(
                NAME,
                "qmatmul",
                "int4-g128",
                "arsenal:native",
                e.to_string(),
            ))
        }
    };
    let deq4 = Rc::new(int4.dequantize());
    let (q, x2) = (Rc::clone(&int4), Rc::clone(&x));
    let check = move || {
        let xq = Int8Activations::quantize(&x2, 1, QCOLS).map_err(|e| e.to_string())?;
        let mut out = vec![f32::NAN; QROWS];
        quant::matmul_i4_i8(&q, &xq, &mut out).map_err(|e| e.to_string())?;
        let (want, scale) = dense_reference(&deq4, &xq.dequantize());
        close(&out, &want, &scale, 1e-4)
    };
    let mut out = vec![0f32; QROWS];
    reg.add(
        Case::new(
            NAME,
            "qmatmul",
            format!("int4-g128-{QROWS}x{QCOLS}"),
            "arsenal:native",
            (QROWS * QCOLS / 2) as u64,
            items,
            move || {
                let Ok(xq) = Int8Activations::quantize(&x, 1, QCOLS) else {
                    return 0;
                };
                quant::matmul_i4_i8(&int4, &xq, &mut out).map_or(0, |()| touch(&out))
            },
        )
        .verify(check),
    );
}

/// The `peer:candle` cell of one format: candle quantises the weights and the token with
/// its own `from_float`, and multiplies with its `vec_dot`; verified against the f64
/// product of candle's own dequantised operands (`to_float`).
fn candle_cell<T: GgmlType + 'static>(
    reg: &mut Registry,
    dataset: &str,
    w: &[f32],
    x: &Rc<Vec<f32>>,
) {
    let per_row = QCOLS / T::BLCK_SIZE;
    let mut wq = vec![T::zeros(); QROWS * per_row];
    T::from_float(w, &mut wq);
    let wq = Rc::new(wq);
    let run = {
        let (wq, x) = (Rc::clone(&wq), Rc::clone(x));
        move |out: &mut [f32], xq: &mut Vec<T::VecDotType>| {
            xq.resize(QCOLS / T::VecDotType::BLCK_SIZE, T::VecDotType::zeros());
            T::VecDotType::from_float(&x, xq);
            for (r, o) in out.iter_mut().enumerate() {
                *o = T::vec_dot(QCOLS, &wq[r * per_row..(r + 1) * per_row], xq);
            }
        }
    };
    let run = Rc::new(run);
    let check = {
        let (run, wq) = (Rc::clone(&run), Rc::clone(&wq));
        move || {
            let mut out = vec![f32::NAN; QROWS];
            let mut xq = Vec::new();
            run(&mut out, &mut xq);
            let mut xd = vec![0f32; QCOLS];
            T::VecDotType::to_float(&xq, &mut xd);
            let mut row = vec![0f32; QCOLS];
            let (mut want, mut scale) = (Vec::with_capacity(QROWS), Vec::with_capacity(QROWS));
            for r in 0..QROWS {
                T::to_float(&wq[r * per_row..(r + 1) * per_row], &mut row);
                want.push(
                    row.iter()
                        .zip(&xd)
                        .map(|(a, b)| *a as f64 * *b as f64)
                        .sum::<f64>(),
                );
                scale.push(
                    row.iter()
                        .zip(&xd)
                        .map(|(a, b)| (*a as f64 * *b as f64).abs())
                        .sum::<f64>(),
                );
            }
            close(&out, &want, &scale, 1e-4)
        }
    };
    let bytes = (wq.len() * std::mem::size_of::<T>()) as u64;
    let mut out = vec![0f32; QROWS];
    let mut xq = Vec::new();
    reg.add(
        Case::new(
            NAME,
            "qmatmul",
            dataset,
            "peer:candle",
            bytes,
            (2 * QROWS * QCOLS) as u64,
            move || {
                run(&mut out, &mut xq);
                touch(&out)
            },
        )
        .verify(check),
    );
}

/// `W·x` in f64 for a dense row-major W (QROWS × QCOLS) and Σ|terms| per row.
fn dense_reference(w: &[f32], x: &[f32]) -> (Vec<f64>, Vec<f64>) {
    w.chunks_exact(QCOLS)
        .map(|row| {
            let terms = row.iter().zip(x).map(|(a, b)| *a as f64 * *b as f64);
            (terms.clone().sum::<f64>(), terms.map(f64::abs).sum::<f64>())
        })
        .unzip()
}

// ---------------------------------------------------------------------------------------
// Attention.

const HEADS: usize = 8;
const KV_HEADS: usize = 2;
const HEAD_DIM: usize = 128;

struct AttnCase {
    params: AttnParams,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    paged: PagedKvCache,
    seq: kv::SeqId,
    reference: OnceCell<Result<Vec<f64>, String>>,
}

impl AttnCase {
    fn new(seq_q: usize, seq_k: usize) -> Result<Self, String> {
        let e = |e: arsenal_ml::Error| e.to_string();
        let params = AttnParams::new(HEADS, KV_HEADS, HEAD_DIM)
            .map_err(e)?
            .causal(true);
        let q = data(seq_q * HEADS * HEAD_DIM, 10);
        let k = data(seq_k * KV_HEADS * HEAD_DIM, 11);
        let v = data(seq_k * KV_HEADS * HEAD_DIM, 12);
        let mut paged = PagedKvCache::new(KV_HEADS, HEAD_DIM, 16, seq_k.div_ceil(16)).map_err(e)?;
        let seq = paged.add_sequence();
        paged.append(seq, &k, &v).map_err(e)?;
        Ok(AttnCase {
            params,
            q,
            k,
            v,
            paged,
            seq,
            reference: OnceCell::new(),
        })
    }

    fn check(&self, out: &[f32]) -> Result<(), String> {
        let want = self
            .reference
            .get_or_init(|| {
                attention::attention_reference(&self.params, &self.q, &self.k, &self.v)
                    .map_err(|e| e.to_string())
            })
            .as_ref()?;
        let num: f64 = out
            .iter()
            .zip(want)
            .map(|(a, b)| (*a as f64 - b).powi(2))
            .sum();
        let den: f64 = want.iter().map(|b| b * b).sum();
        let nmse = num / den.max(f64::MIN_POSITIVE);
        if out.len() == want.len() && nmse <= 5e-4 {
            Ok(())
        } else {
            Err(format!("NMSE {nmse:e} > 5e-4 against the f64 reference"))
        }
    }
}

type AttnFn = Box<dyn FnMut(&AttnCase, &mut [f32]) -> Result<(), String>>;

fn register_attention(reg: &mut Registry) {
    let shapes = [
        ("prefill-128", 128, 128),
        ("prefill-512", 512, 512),
        ("prefill-2048", 2048, 2048),
        ("prefill-4096", 4096, 4096),
        ("decode-1024", 1, 1024),
        ("decode-4096", 1, 4096),
    ];
    for (dataset, seq_q, seq_k) in shapes {
        let case = match AttnCase::new(seq_q, seq_k) {
            Ok(c) => Rc::new(c),
            Err(e) => {
                reg.add(Case::failed(NAME, "attention", dataset, "arsenal:flash", e));
                continue;
            }
        };
        let mut impls: Vec<(String, Result<AttnFn, String>)> = Vec::new();
        for b in arsenal_linalg::Backend::ALL {
            let f = b.blas().map_err(|e| e.to_string()).map(|blas| {
                let mut scratch = Vec::new();
                Box::new(move |c: &AttnCase, out: &mut [f32]| {
                    attention::sdpa(&*blas, &c.params, &c.q, &c.k, &c.v, out, &mut scratch)
                        .map_err(|e| e.to_string())
                }) as AttnFn
            });
            impls.push((format!("arsenal:sdpa-{b}"), f));
        }
        impls.push((
            "arsenal:flash".into(),
            Ok(Box::new(|c: &AttnCase, out: &mut [f32]| {
                attention::flash_attention(&c.params, &c.q, &c.k, &c.v, out)
                    .map_err(|e| e.to_string())
            })),
        ));
        impls.push((
            "arsenal:paged".into(),
            Ok(Box::new(|c: &AttnCase, out: &mut [f32]| {
                kv::paged_attention(&c.params, &c.q, &c.paged, c.seq, out)
                    .map_err(|e| e.to_string())
            })),
        ));
        let bytes = ((case.q.len() + case.k.len() + case.v.len()) * 4) as u64;
        for (imp, f) in impls {
            let f = match f {
                Ok(f) => Rc::new(std::cell::RefCell::new(f)),
                Err(e) => {
                    reg.add(Case::unsupported(NAME, "attention", dataset, &imp, e));
                    continue;
                }
            };
            let check = {
                let (case, f) = (Rc::clone(&case), Rc::clone(&f));
                move || {
                    let mut out = vec![f32::NAN; case.q.len()];
                    (f.borrow_mut())(&case, &mut out)?;
                    case.check(&out)
                }
            };
            let case = Rc::clone(&case);
            let mut out = vec![0f32; case.q.len()];
            reg.add(
                Case::new(
                    NAME,
                    "attention",
                    dataset,
                    &imp,
                    bytes,
                    seq_q as u64,
                    move || (f.borrow_mut())(&case, &mut out).map_or(0, |()| touch(&out)),
                )
                .verify(check),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Element-wise and row kernels.

fn register_kernels(reg: &mut Registry) {
    const ROWS: usize = 32;
    const D: usize = 4096;
    const N: usize = 1 << 17;
    let x = Rc::new(data(ROWS * D, 20));
    let gamma = Rc::new(data(D, 21));
    let beta = Rc::new(data(D, 22));
    type Kernel = (
        &'static str,
        Box<dyn Fn(&mut Vec<f32>) -> Result<(), String>>,
        Box<dyn Fn() -> Vec<f64>>,
        f64,
    );
    type RowRef = fn(&[f64], &[f64], &[f64]) -> Vec<f64>;
    let rowwise = |f: RowRef| {
        let (x, g, b) = (Rc::clone(&x), Rc::clone(&gamma), Rc::clone(&beta));
        Box::new(move || {
            let g: Vec<f64> = g.iter().map(|&v| v as f64).collect();
            let b: Vec<f64> = b.iter().map(|&v| v as f64).collect();
            x.chunks(D)
                .flat_map(|r| f(&r.iter().map(|&v| v as f64).collect::<Vec<_>>(), &g, &b))
                .collect()
        }) as Box<dyn Fn() -> Vec<f64>>
    };
    let elementwise = |f: fn(f64) -> f64| {
        let x = Rc::clone(&x);
        Box::new(move || x[..N].iter().map(|&v| f(v as f64 * 8.0)).collect())
            as Box<dyn Fn() -> Vec<f64>>
    };
    let kernels: Vec<Kernel> = vec![
        (
            "softmax-32x4096",
            {
                let x = Rc::clone(&x);
                Box::new(move |out: &mut Vec<f32>| {
                    out.clone_from(&x);
                    kernels::softmax_rows(out, D).map_err(|e| e.to_string())
                })
            },
            rowwise(|r, _, _| kernels::reference::softmax(r)),
            1e-5,
        ),
        (
            "rmsnorm-32x4096",
            {
                let (x, g) = (Rc::clone(&x), Rc::clone(&gamma));
                Box::new(move |out: &mut Vec<f32>| {
                    out.resize(x.len(), 0.0);
                    kernels::rmsnorm(&x, &g, 1e-5, out).map_err(|e| e.to_string())
                })
            },
            rowwise(|r, g, _| {
                let inv =
                    1.0 / (r.iter().map(|v| v * v).sum::<f64>() / r.len() as f64 + 1e-5).sqrt();
                r.iter().zip(g).map(|(v, g)| v * inv * g).collect()
            }),
            1e-5,
        ),
        (
            "layernorm-32x4096",
            {
                let (x, g, b) = (Rc::clone(&x), Rc::clone(&gamma), Rc::clone(&beta));
                Box::new(move |out: &mut Vec<f32>| {
                    out.resize(x.len(), 0.0);
                    kernels::layernorm(&x, &g, &b, 1e-5, out).map_err(|e| e.to_string())
                })
            },
            rowwise(|r, g, b| {
                let n = r.len() as f64;
                let mean = r.iter().sum::<f64>() / n;
                let var = r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                let inv = 1.0 / (var + 1e-5).sqrt();
                r.iter()
                    .zip(g)
                    .zip(b)
                    .map(|((v, g), b)| (v - mean) * inv * g + b)
                    .collect()
            }),
            1e-5,
        ),
    ];
    let scaled = |f: fn(&mut [f32])| {
        let x = Rc::clone(&x);
        Box::new(move |out: &mut Vec<f32>| {
            out.clear();
            out.extend(x[..N].iter().map(|v| v * 8.0));
            f(out);
            Ok(())
        }) as Box<dyn Fn(&mut Vec<f32>) -> Result<(), String>>
    };
    let mut kernels = kernels;
    kernels.push((
        "gelu_tanh-131072",
        scaled(kernels::gelu_tanh),
        elementwise(kernels::reference::gelu_tanh),
        1e-5,
    ));
    kernels.push((
        "gelu_erf-131072",
        scaled(kernels::gelu_erf),
        elementwise(kernels::reference::gelu_erf),
        1e-5,
    ));
    kernels.push((
        "silu-131072",
        scaled(kernels::silu),
        elementwise(kernels::reference::silu),
        1e-5,
    ));
    for (dataset, run, reference, tol) in kernels {
        let run = Rc::new(run);
        let check = {
            let run = Rc::clone(&run);
            move || {
                let mut out = Vec::new();
                run(&mut out)?;
                let want = reference();
                let scale: Vec<f64> = want.iter().map(|w| w.abs().max(1.0)).collect();
                close(&out, &want, &scale, tol)
            }
        };
        let bytes = if dataset.ends_with("131072") {
            N * 4
        } else {
            ROWS * D * 4
        } as u64;
        let mut out = Vec::new();
        reg.add(
            Case::new(
                NAME,
                "kernels",
                dataset,
                "arsenal:native",
                bytes,
                1,
                move || run(&mut out).map_or(0, |()| touch(&out)),
            )
            .verify(check),
        );
    }
}

// ---------------------------------------------------------------------------------------
// safetensors.

fn register_safetensors(reg: &mut Registry) {
    const TENSORS: usize = 256;
    let dir = match tempfile::tempdir() {
        Ok(d) => Rc::new(d),
        Err(e) => {
            return reg.add(Case::failed(
                NAME,
                "safetensors",
                "open-256",
                "arsenal:native",
                e.to_string(),
            ))
        }
    };
    let path = dir.path().join("bench.safetensors");
    let mut w = arsenal_ml::safetensors::Writer::new();
    let mut total = 0f64;
    for i in 0..TENSORS {
        let t = data(1024 + i, 100 + i as u64);
        total += t.iter().map(|&v| v as f64).sum::<f64>();
        if let Err(e) = w.add_f32(&format!("layers.{i}.weight"), &[1024 + i], &t) {
            return reg.add(Case::failed(
                NAME,
                "safetensors",
                "open-256",
                "arsenal:native",
                e.to_string(),
            ));
        }
    }
    if let Err(e) = w.write_file(&path) {
        return reg.add(Case::failed(
            NAME,
            "safetensors",
            "open-256",
            "arsenal:native",
            e.to_string(),
        ));
    }
    let names: Rc<Vec<String>> =
        Rc::new((0..TENSORS).map(|i| format!("layers.{i}.weight")).collect());
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    // Each implementation returns the sum of every tensor's values (f64), checked
    // against the sum of the data written.
    let arsenal = {
        let (path, names) = (path.clone(), Rc::clone(&names));
        move || -> Result<f64, String> {
            let st =
                arsenal_ml::safetensors::SafeTensors::open(&path).map_err(|e| e.to_string())?;
            let mut s = 0f64;
            for n in names.iter() {
                let t = st.tensor(n).map_err(|e| e.to_string())?;
                let v = t.as_f32_slice().ok_or("not zero-copy")?;
                s += v[0] as f64 + v[v.len() - 1] as f64;
            }
            Ok(s)
        }
    };
    let peer = {
        let (path, names) = (path.clone(), Rc::clone(&names));
        move || -> Result<f64, String> {
            let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
            // SAFETY: a read-only mapping of a file this process wrote and nobody changes.
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| e.to_string())?;
            let st = safetensors::SafeTensors::deserialize(&map).map_err(|e| e.to_string())?;
            let mut s = 0f64;
            for n in names.iter() {
                let t = st.tensor(n).map_err(|e| e.to_string())?;
                let d = t.data();
                let first = f32::from_le_bytes(d[..4].try_into().map_err(|_| "short")?);
                let last = f32::from_le_bytes(d[d.len() - 4..].try_into().map_err(|_| "short")?);
                s += first as f64 + last as f64;
            }
            Ok(s)
        }
    };
    // The reference: first and last value of every tensor, from the data written.
    let want: f64 = (0..TENSORS)
        .map(|i| {
            let t = data(1024 + i, 100 + i as u64);
            t[0] as f64 + t[t.len() - 1] as f64
        })
        .sum();
    let _ = total;
    type Open = Box<dyn Fn() -> Result<f64, String>>;
    let impls: [(&str, Open); 2] = [
        ("arsenal:native", Box::new(arsenal)),
        ("peer:safetensors", Box::new(peer)),
    ];
    for (imp, f) in impls {
        let f = Rc::new(f);
        let check = {
            let f = Rc::clone(&f);
            move || {
                let got = f()?;
                if got == want {
                    Ok(())
                } else {
                    Err(format!("sum {got}, expected {want}"))
                }
            }
        };
        let keep = Rc::clone(&dir);
        reg.add(
            Case::new(
                NAME,
                "safetensors",
                format!("open-{TENSORS}"),
                imp,
                bytes,
                TENSORS as u64,
                move || {
                    let _ = &keep;
                    f().map_or(0, |_| TENSORS as u64)
                },
            )
            .verify(check),
        );
    }
}

/// Registers every row of the domain.
pub fn register(reg: &mut Registry) {
    // One thread in the BLAS libraries that SDPA runs on (process-wide settings).
    if let Ok(ob) = arsenal_linalg::OpenBlas::new() {
        let _ = ob.set_threads(1);
    }
    let _ = arsenal_linalg::Blis::new().and_then(|b| b.set_threads(1));
    register_qmatmul(reg);
    register_attention(reg);
    register_kernels(reg);
    register_safetensors(reg);
}
