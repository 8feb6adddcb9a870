//! One Llama-style transformer block (RMSNorm, grouped-query attention with RoPE and a
//! KV cache, SwiGLU MLP) with random weights written as a safetensors file at run time,
//! memory-mapped back, and run on a prompt then token by token; prints tokens/s.
//!
//! ```text
//! cargo run --release -p arsenal-ml --example ml_inference -- \
//!     [--blas openblas|blis|native] [--weights f32|q8_0|q4_0|q4_k|int8] \
//!     [--attention flash|sdpa|paged] [--dim 512] [--heads 8] [--kv-heads 2] \
//!     [--ffn 1408] [--prompt 64] [--tokens 64] [--vocab 1024]
//! ```
//!
//! The block's output goes through a tied output head (the embedding table) and the
//! argmax is the next token: real work per token, random weights, no meaning.

use std::time::Instant;

use arsenal_linalg::{Blas, MatMut, MatRef};
use arsenal_ml::attention::{flash_attention, sdpa, AttnParams};
use arsenal_ml::kernels::{self, Rope, RopeLayout};
use arsenal_ml::kv::{paged_attention, KvCache, PagedKvCache};
use arsenal_ml::quant::{self, Int8Activations, Int8Weights, QMatrixBuf};
use arsenal_ml::safetensors::{SafeTensors, Writer};
use arsenal_ml::{BlockFormat, BlockKernels, Result};

struct Args {
    blas: arsenal_linalg::Backend,
    weights: String,
    attention: String,
    dim: usize,
    heads: usize,
    kv_heads: usize,
    ffn: usize,
    prompt: usize,
    tokens: usize,
    vocab: usize,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut a = Args {
        blas: arsenal_linalg::Backend::available()[0],
        weights: "f32".into(),
        attention: "flash".into(),
        dim: 512,
        heads: 8,
        kv_heads: 2,
        ffn: 1408,
        prompt: 64,
        tokens: 64,
        vocab: 1024,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--blas" => a.blas = value()?.parse().map_err(|e| format!("--blas: {e}"))?,
            "--weights" => a.weights = value()?,
            "--attention" => a.attention = value()?,
            "--dim" => a.dim = num(value()?)?,
            "--heads" => a.heads = num(value()?)?,
            "--kv-heads" => a.kv_heads = num(value()?)?,
            "--ffn" => a.ffn = num(value()?)?,
            "--prompt" => a.prompt = num(value()?)?,
            "--tokens" => a.tokens = num(value()?)?,
            "--vocab" => a.vocab = num(value()?)?,
            "-h" | "--help" => return Err("see the example's header for the flags".into()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.heads == 0 || !a.dim.is_multiple_of(a.heads) || a.prompt == 0 {
        return Err("--dim must be a multiple of --heads (>= 1), --prompt at least 1".into());
    }
    Ok(a)
}

/// A deterministic generator (splitmix64) of values in [-scale, scale).
fn random(len: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            ((z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        })
        .collect()
}

/// A linear layer `y = x · Wᵀ` (W is out × in, row-major) in one of the weight formats.
enum Linear {
    F32 { w: Vec<f32>, out: usize, inp: usize },
    Blocks(QMatrixBuf),
    Int8(Int8Weights),
}

impl Linear {
    fn new(
        w: &[f32],
        out: usize,
        inp: usize,
        format: &str,
        blocks: &dyn BlockKernels,
    ) -> Result<Self> {
        Ok(match format {
            "f32" => Linear::F32 {
                w: w.to_vec(),
                out,
                inp,
            },
            "int8" => Linear::Int8(Int8Weights::quantize(w, out, inp)?),
            name => {
                let format: BlockFormat = name.parse()?;
                Linear::Blocks(QMatrixBuf::quantize(blocks, format, out, inp, w)?)
            }
        })
    }

    /// `y (n × out) = x (n × in) · Wᵀ`.
    fn forward(
        &self,
        blas: &dyn Blas,
        blocks: &dyn BlockKernels,
        x: &[f32],
        n: usize,
        y: &mut [f32],
    ) -> Result<()> {
        match self {
            Linear::F32 { w, out, inp } => {
                let a = MatRef::row_major(x, n, *inp)?;
                let b = MatRef::row_major(w, *out, *inp)?.t();
                blas.gemm_f32(1.0, a, b, 0.0, MatMut::row_major(y, n, *out)?)?;
            }
            Linear::Blocks(w) => quant::matmul_blocks(blocks, &w.view(), x, n, y)?,
            Linear::Int8(w) => {
                let xq = Int8Activations::quantize(x, n, w.cols())?;
                quant::matmul_i8(w, &xq, y)?;
            }
        }
        Ok(())
    }
}

struct Block {
    attn_norm: Vec<f32>,
    ffn_norm: Vec<f32>,
    wq: Linear,
    wk: Linear,
    wv: Linear,
    wo: Linear,
    w1: Linear,
    w2: Linear,
    w3: Linear,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("ml_inference: {e}");
        std::process::exit(1);
    }
}

fn run() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let a = parse_args()?;
    let (d, hd) = (a.dim, a.dim / a.heads);
    let kv_dim = a.kv_heads * hd;
    let blas = a.blas.blas()?;
    let blocks = arsenal_ml::Backend::available()[0].blocks()?;

    // 1. Random weights, written as safetensors and memory-mapped back.
    let dir = std::env::temp_dir().join(format!("arsenal-ml-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("block.safetensors");
    let shapes: [(&str, usize, usize); 8] = [
        ("tok_embeddings.weight", a.vocab, d),
        ("attention.wq.weight", d, d),
        ("attention.wk.weight", kv_dim, d),
        ("attention.wv.weight", kv_dim, d),
        ("attention.wo.weight", d, d),
        ("feed_forward.w1.weight", a.ffn, d),
        ("feed_forward.w2.weight", d, a.ffn),
        ("feed_forward.w3.weight", a.ffn, d),
    ];
    let mut writer = Writer::new();
    writer.metadata("arsenal", "ml_inference example, random weights");
    for (i, (name, rows, cols)) in shapes.iter().enumerate() {
        let scale = 1.0 / (*cols as f32).sqrt();
        writer.add_f32(
            name,
            &[*rows, *cols],
            &random(rows * cols, i as u64 + 1, scale),
        )?;
    }
    writer.add_f32("attention_norm.weight", &[d], &vec![1.0; d])?;
    writer.add_f32("ffn_norm.weight", &[d], &vec![1.0; d])?;
    writer.write_file(&path)?;
    let st = SafeTensors::open(&path)?;
    let tensor = |name: &str| -> Result<Vec<f32>> { Ok(st.tensor(name)?.as_f32()?.into_owned()) };
    let linear = |name: &str, out: usize, inp: usize| -> Result<Linear> {
        let view = st.tensor(name)?;
        Linear::new(&view.as_f32()?, out, inp, &a.weights, &*blocks)
    };
    let block = Block {
        attn_norm: tensor("attention_norm.weight")?,
        ffn_norm: tensor("ffn_norm.weight")?,
        wq: linear("attention.wq.weight", d, d)?,
        wk: linear("attention.wk.weight", kv_dim, d)?,
        wv: linear("attention.wv.weight", kv_dim, d)?,
        wo: linear("attention.wo.weight", d, d)?,
        w1: linear("feed_forward.w1.weight", a.ffn, d)?,
        w2: linear("feed_forward.w2.weight", d, a.ffn)?,
        w3: linear("feed_forward.w3.weight", a.ffn, d)?,
    };
    let embeddings = st.tensor("tok_embeddings.weight")?;
    let embeddings = embeddings.as_f32()?;

    let params = AttnParams::new(a.heads, a.kv_heads, hd)?.causal(true);
    let rope = Rope::new(hd, 10_000.0, RopeLayout::Half)?;
    let total = a.prompt + a.tokens;
    let mut cache = KvCache::new(a.kv_heads, hd, total)?;
    let mut paged = PagedKvCache::new(a.kv_heads, hd, 16, total.div_ceil(16) + 1)?;
    let seq = paged.add_sequence();
    let mut state = State::default();

    // 2. Prefill the prompt in one batch, then decode one token at a time.
    let mut ids: Vec<u32> = (0..a.prompt as u32)
        .map(|i| i * 7 % a.vocab as u32)
        .collect();
    let t0 = Instant::now();
    let mut next = step(
        &a,
        &*blas,
        &*blocks,
        &block,
        &embeddings,
        &params,
        &rope,
        &mut cache,
        &mut paged,
        seq,
        &ids,
        0,
        &mut state,
    )?;
    let prefill = t0.elapsed();
    let t1 = Instant::now();
    for _ in 0..a.tokens {
        ids.push(next);
        let pos = ids.len() - 1;
        next = step(
            &a,
            &*blas,
            &*blocks,
            &block,
            &embeddings,
            &params,
            &rope,
            &mut cache,
            &mut paged,
            seq,
            &ids[pos..],
            pos,
            &mut state,
        )?;
    }
    let decode = t1.elapsed();
    std::fs::remove_dir_all(&dir).ok();

    println!(
        "block d={d} heads={}/{} ffn={} vocab={}; blas={} ({}), weights={} ({}), attention={}, kernels={}",
        a.heads, a.kv_heads, a.ffn, a.vocab, blas.backend(), blas.kernel(), a.weights, blocks.kernel(), a.attention, kernels::kernel_name()
    );
    println!(
        "prefill {} tokens: {:.1} tokens/s; decode {} tokens: {:.1} tokens/s; last token {next}",
        a.prompt,
        a.prompt as f64 / prefill.as_secs_f64(),
        a.tokens,
        a.tokens as f64 / decode.as_secs_f64().max(1e-9),
    );
    Ok(())
}

/// Scratch buffers reused across steps.
#[derive(Default)]
struct State {
    x: Vec<f32>,
    h: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    att: Vec<f32>,
    o: Vec<f32>,
    g: Vec<f32>,
    u: Vec<f32>,
    scores: Vec<f32>,
}

/// Runs the block on `ids` (at positions `pos..`), appends their K/V to the caches,
/// and returns the argmax token of the last position.
#[allow(clippy::too_many_arguments)]
fn step(
    a: &Args,
    blas: &dyn Blas,
    blocks: &dyn BlockKernels,
    b: &Block,
    embeddings: &[f32],
    params: &AttnParams,
    rope: &Rope,
    cache: &mut KvCache,
    paged: &mut PagedKvCache,
    seq: arsenal_ml::kv::SeqId,
    ids: &[u32],
    pos: usize,
    s: &mut State,
) -> std::result::Result<u32, Box<dyn std::error::Error>> {
    let n = ids.len();
    let (d, hd) = (a.dim, a.dim / a.heads);
    let kv_dim = a.kv_heads * hd;
    let resize = |v: &mut Vec<f32>, len: usize| v.resize(len, 0.0);
    resize(&mut s.x, n * d);
    resize(&mut s.h, n * d);
    resize(&mut s.q, n * d);
    resize(&mut s.k, n * kv_dim);
    resize(&mut s.v, n * kv_dim);
    resize(&mut s.att, n * d);
    resize(&mut s.o, n * d);
    resize(&mut s.g, n * a.ffn);
    resize(&mut s.u, n * a.ffn);
    kernels::embedding(embeddings, d, ids, &mut s.x)?;

    // Attention.
    kernels::rmsnorm(&s.x, &b.attn_norm, 1e-5, &mut s.h)?;
    b.wq.forward(blas, blocks, &s.h, n, &mut s.q)?;
    b.wk.forward(blas, blocks, &s.h, n, &mut s.k)?;
    b.wv.forward(blas, blocks, &s.h, n, &mut s.v)?;
    let positions: Vec<usize> = (pos..pos + n).collect();
    rope.apply(&mut s.q, a.heads, &positions)?;
    rope.apply(&mut s.k, a.kv_heads, &positions)?;
    cache.append(&s.k, &s.v)?;
    paged.append(seq, &s.k, &s.v)?;
    match a.attention.as_str() {
        "flash" => flash_attention(params, &s.q, cache.keys(), cache.values(), &mut s.att)?,
        "sdpa" => sdpa(
            blas,
            params,
            &s.q,
            cache.keys(),
            cache.values(),
            &mut s.att,
            &mut s.scores,
        )?,
        "paged" => paged_attention(params, &s.q, paged, seq, &mut s.att)?,
        other => return Err(format!("unknown --attention {other}").into()),
    }
    b.wo.forward(blas, blocks, &s.att, n, &mut s.o)?;
    for (x, o) in s.x.iter_mut().zip(&s.o) {
        *x += o;
    }

    // SwiGLU MLP.
    kernels::rmsnorm(&s.x, &b.ffn_norm, 1e-5, &mut s.h)?;
    b.w1.forward(blas, blocks, &s.h, n, &mut s.g)?;
    b.w3.forward(blas, blocks, &s.h, n, &mut s.u)?;
    kernels::silu(&mut s.g);
    for (g, u) in s.g.iter_mut().zip(&s.u) {
        *g *= u;
    }
    b.w2.forward(blas, blocks, &s.g, n, &mut s.o)?;
    for (x, o) in s.x.iter_mut().zip(&s.o) {
        *x += o;
    }

    // Tied output head on the last position: logits = x_last · Eᵀ, argmax.
    let last = &s.x[(n - 1) * d..];
    let mut best = (f32::NEG_INFINITY, 0u32);
    for (id, row) in embeddings.chunks_exact(d).enumerate() {
        let logit: f32 = row.iter().zip(last).map(|(e, x)| e * x).sum();
        if !logit.is_finite() {
            return Err(format!("non-finite logit at token {id}").into());
        }
        if logit > best.0 {
            best = (logit, id as u32);
        }
    }
    Ok(best.1)
}
