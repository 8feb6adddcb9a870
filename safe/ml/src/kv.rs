//! KV caches for one layer: a contiguous one ([`KvCache`], append / evict with absolute
//! positions) and vLLM's paged one ([`PagedKvCache`]: a pool of fixed-size blocks, a free
//! list and a block table per sequence), with attention over either
//! ([`kv_attention`], [`paged_attention`]).
//!
//! Keys and values are appended as whole tokens, `[t, kv_heads, head_dim]` row-major
//! `f32` (the layout of [`crate::attention`]'s `k` and `v`). Attention over a cache uses
//! [`crate::attention`]'s layouts and masking with the queries as the **last** `seq_q`
//! cached positions.
//!
//! ```
//! use arsenal_ml::attention::AttnParams;
//! use arsenal_ml::kv::{paged_attention, PagedKvCache};
//! let p = AttnParams::new(2, 1, 4)?.causal(true);
//! let mut cache = PagedKvCache::new(1, 4, 16, 8)?;
//! let seq = cache.add_sequence();
//! cache.append(seq, &[0.5; 4 * 3], &[1.0; 4 * 3])?; // three tokens
//! let q = [0.25f32; 2 * 4]; // one decode step, two heads
//! let mut out = [0.0f32; 2 * 4];
//! paged_attention(&p, &q, &cache, seq, &mut out)?;
//! assert!(out.iter().all(|x| (x - 1.0).abs() < 1e-6));
//! # Ok::<(), arsenal_ml::Error>(())
//! ```

use std::collections::HashMap;

use crate::attention::{check_q, flash_core, AttnParams, FlashScratch, KvRows, Mask};
use crate::error::{mul, Error, ErrorKind, Result, CHECKS};

fn capacity_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Capacity, CHECKS, message)
}

fn not_found(seq: SeqId) -> Error {
    Error::new(
        ErrorKind::NotFound,
        CHECKS,
        format!("no sequence {seq:?} in the cache"),
    )
}

/// Checks `kv_heads` and `head_dim` (both >= 1) and returns their product.
fn row_width(kv_heads: usize, head_dim: usize) -> Result<usize> {
    if kv_heads == 0 || head_dim == 0 {
        return Err(Error::invalid(format!(
            "a KV cache needs kv_heads and head_dim >= 1 (got {kv_heads}, {head_dim})"
        )));
    }
    mul(kv_heads, head_dim, "kv_heads * head_dim")
}

/// The number of whole tokens in `k` and `v` (equal lengths, multiples of `row`).
fn tokens_of(k: &[f32], v: &[f32], row: usize) -> Result<usize> {
    if k.len() != v.len() {
        return Err(Error::shape(format!(
            "k has {} elements and v {}; they must match",
            k.len(),
            v.len()
        )));
    }
    if !k.len().is_multiple_of(row) {
        return Err(Error::shape(format!(
            "k and v have {} elements, not whole tokens of kv_heads * head_dim = {row}",
            k.len()
        )));
    }
    Ok(k.len() / row)
}

/// Checks that `p` matches a cache's `kv_heads` and `head_dim`.
fn check_cache_params(p: &AttnParams, kv_heads: usize, head_dim: usize) -> Result<()> {
    p.validate()?;
    if p.kv_heads != kv_heads || p.head_dim != head_dim {
        return Err(Error::shape(format!(
            "attention has kv_heads {} and head_dim {}, the cache {kv_heads} and {head_dim}",
            p.kv_heads, p.head_dim
        )));
    }
    Ok(())
}

/// A contiguous KV cache for one layer: up to `capacity` tokens of
/// `[kv_heads, head_dim]` keys and values in two row-major `[len, kv_heads, head_dim]`
/// buffers. [`KvCache::evict_front`] drops the oldest tokens (e.g. to keep a sliding
/// window) while [`KvCache::start_pos`] keeps positions absolute: cached token `i` is at
/// position `start_pos() + i`.
///
/// ```
/// use arsenal_ml::kv::KvCache;
/// let mut c = KvCache::new(1, 2, 3)?;
/// c.append(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0])?; // two tokens
/// c.evict_front(1)?;
/// assert_eq!((c.len(), c.start_pos(), c.keys()), (1, 1, &[3.0, 4.0][..]));
/// assert!(c.append(&[0.0; 6], &[0.0; 6]).is_err()); // 1 + 3 > 3: unchanged
/// assert_eq!(c.len(), 1);
/// # Ok::<(), arsenal_ml::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct KvCache {
    kv_heads: usize,
    head_dim: usize,
    row: usize,
    capacity: usize,
    start_pos: usize,
    k: Vec<f32>,
    v: Vec<f32>,
}

impl KvCache {
    /// An empty cache for `capacity_tokens` tokens of `kv_heads × head_dim`.
    /// [`ErrorKind::InvalidArgument`] when `kv_heads` or `head_dim` is zero,
    /// [`ErrorKind::TooLarge`] when the full cache's size overflows `usize`. Memory grows
    /// with the contents (amortised), up to the capacity.
    pub fn new(kv_heads: usize, head_dim: usize, capacity_tokens: usize) -> Result<Self> {
        let row = row_width(kv_heads, head_dim)?;
        mul(row, capacity_tokens, "KV cache capacity")?;
        Ok(KvCache {
            kv_heads,
            head_dim,
            row,
            capacity: capacity_tokens,
            start_pos: 0,
            k: Vec::new(),
            v: Vec::new(),
        })
    }

    /// Appends whole tokens (`k` and `v` are `[t, kv_heads, head_dim]`).
    /// [`ErrorKind::Shape`] on mismatched lengths, [`ErrorKind::Capacity`] when `len + t`
    /// would exceed the capacity (or memory runs out); on error the cache is unchanged.
    pub fn append(&mut self, k: &[f32], v: &[f32]) -> Result<()> {
        let t = tokens_of(k, v, self.row)?;
        let len = self.len();
        if t > self.capacity - len {
            return Err(capacity_error(format!(
                "appending {t} tokens to {len} exceeds the capacity of {}",
                self.capacity
            )));
        }
        let oom = |_| capacity_error("out of memory growing the KV cache");
        self.k.try_reserve(k.len()).map_err(oom)?;
        self.v.try_reserve(v.len()).map_err(oom)?;
        self.k.extend_from_slice(k);
        self.v.extend_from_slice(v);
        Ok(())
    }

    /// Drops the oldest `n` tokens and advances [`KvCache::start_pos`] by `n`.
    /// [`ErrorKind::InvalidArgument`] (cache unchanged) when `n > len()`.
    pub fn evict_front(&mut self, n: usize) -> Result<()> {
        let len = self.len();
        if n > len {
            return Err(Error::invalid(format!(
                "cannot evict {n} tokens from a cache of {len}"
            )));
        }
        self.k.drain(..n * self.row);
        self.v.drain(..n * self.row);
        self.start_pos += n;
        Ok(())
    }

    /// Cached tokens.
    pub fn len(&self) -> usize {
        self.k.len() / self.row
    }

    /// Whether no token is cached.
    pub fn is_empty(&self) -> bool {
        self.k.is_empty()
    }

    /// The most tokens the cache holds at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Key/value heads per token.
    pub fn kv_heads(&self) -> usize {
        self.kv_heads
    }

    /// Elements per head.
    pub fn head_dim(&self) -> usize {
        self.head_dim
    }

    /// The cached keys, `[len, kv_heads, head_dim]`.
    pub fn keys(&self) -> &[f32] {
        &self.k
    }

    /// The cached values, `[len, kv_heads, head_dim]`.
    pub fn values(&self) -> &[f32] {
        &self.v
    }

    /// The absolute position of the oldest cached token (the number evicted so far).
    pub fn start_pos(&self) -> usize {
        self.start_pos
    }

    /// The absolute position the next appended token gets (`start_pos() + len()`).
    pub fn end_pos(&self) -> usize {
        self.start_pos + self.len()
    }

    /// Empties the cache and resets [`KvCache::start_pos`] to 0 (a new sequence).
    pub fn clear(&mut self) {
        self.k.clear();
        self.v.clear();
        self.start_pos = 0;
    }
}

/// Flash attention ([`crate::attention::flash_attention`]) of `q`
/// (`[seq_q, heads, head_dim]`, the last `seq_q` cached positions) over everything in
/// `cache`. Evicted tokens shift every position alike, so causal and window masks are
/// those of the absolute positions. [`ErrorKind::Shape`] when `p`'s `kv_heads` /
/// `head_dim` differ from the cache's or the lengths do not fit.
pub fn kv_attention(p: &AttnParams, q: &[f32], cache: &KvCache, out: &mut [f32]) -> Result<()> {
    kv_attention_with(p, q, cache, out, &mut FlashScratch::new())
}

/// [`kv_attention`] with caller-owned flash buffers.
pub fn kv_attention_with(
    p: &AttnParams,
    q: &[f32],
    cache: &KvCache,
    out: &mut [f32],
    scratch: &mut FlashScratch,
) -> Result<()> {
    check_cache_params(p, cache.kv_heads, cache.head_dim)?;
    crate::attention::flash_attention_with(p, q, &cache.k, &cache.v, out, scratch)
}

/// A sequence of a [`PagedKvCache`]. Ids are never reused within one cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeqId(u64);

impl SeqId {
    /// The id's number (unique within its cache).
    pub fn get(self) -> u64 {
        self.0
    }
}

#[derive(Debug, Clone, Default)]
struct SeqState {
    table: Vec<u32>,
    len: usize,
}

/// vLLM's paged KV cache for one layer: a pool of `num_blocks` physical blocks of
/// `block_size` tokens (each block holds keys and values for
/// `block_size × kv_heads × head_dim`, row-major `[block_size, kv_heads, head_dim]`), a
/// free list, and per sequence a block table (logical block `i` → physical block id).
/// Sequences share the pool; a freed sequence's blocks are reused by the next appends.
#[derive(Debug, Clone)]
pub struct PagedKvCache {
    kv_heads: usize,
    head_dim: usize,
    row: usize,
    block_size: usize,
    num_blocks: usize,
    /// `row * block_size`.
    block_elems: usize,
    k_pool: Vec<f32>,
    v_pool: Vec<f32>,
    /// Free physical blocks, popped from the end.
    free: Vec<u32>,
    seqs: HashMap<u64, SeqState>,
    next_id: u64,
}

impl PagedKvCache {
    /// A pool of `num_blocks` blocks of `block_size` tokens of `kv_heads × head_dim`,
    /// allocated up front. [`ErrorKind::InvalidArgument`] when a count is zero,
    /// [`ErrorKind::TooLarge`] when the pool's size overflows `usize` or `num_blocks`
    /// exceeds `u32` block ids, [`ErrorKind::Capacity`] when the pool cannot be
    /// allocated.
    pub fn new(
        kv_heads: usize,
        head_dim: usize,
        block_size: usize,
        num_blocks: usize,
    ) -> Result<Self> {
        let row = row_width(kv_heads, head_dim)?;
        if block_size == 0 || num_blocks == 0 {
            return Err(Error::invalid(format!(
                "a paged KV cache needs block_size and num_blocks >= 1 (got {block_size}, {num_blocks})"
            )));
        }
        if u32::try_from(num_blocks - 1).is_err() {
            return Err(Error::new(
                ErrorKind::TooLarge,
                CHECKS,
                format!("{num_blocks} blocks exceed u32 block ids"),
            ));
        }
        let block_elems = mul(row, block_size, "block_size * kv_heads * head_dim")?;
        let total = mul(block_elems, num_blocks, "num_blocks * block size")?;
        let alloc = |n: usize| -> Result<Vec<f32>> {
            let mut v = Vec::new();
            v.try_reserve_exact(n)
                .map_err(|_| capacity_error(format!("cannot allocate a pool of {n} floats")))?;
            v.resize(n, 0.0);
            Ok(v)
        };
        Ok(PagedKvCache {
            kv_heads,
            head_dim,
            row,
            block_size,
            num_blocks,
            block_elems,
            k_pool: alloc(total)?,
            v_pool: alloc(total)?,
            free: (0..num_blocks as u32).rev().collect(),
            seqs: HashMap::new(),
            next_id: 0,
        })
    }

    /// Starts an empty sequence (it holds no block until its first append).
    pub fn add_sequence(&mut self) -> SeqId {
        let id = self.next_id;
        self.next_id += 1;
        self.seqs.insert(id, SeqState::default());
        SeqId(id)
    }

    fn seq(&self, seq: SeqId) -> Result<&SeqState> {
        self.seqs.get(&seq.0).ok_or_else(|| not_found(seq))
    }

    /// Appends whole tokens (`k` and `v` are `[t, kv_heads, head_dim]`) to `seq`,
    /// taking blocks from the free list as needed. [`ErrorKind::NotFound`] for an unknown
    /// sequence, [`ErrorKind::Shape`] on mismatched lengths, [`ErrorKind::Capacity`] when
    /// the pool has too few free blocks; on error the cache is unchanged.
    pub fn append(&mut self, seq: SeqId, k: &[f32], v: &[f32]) -> Result<()> {
        let t = tokens_of(k, v, self.row)?;
        let bs = self.block_size;
        let state = self.seqs.get_mut(&seq.0).ok_or_else(|| not_found(seq))?;
        let new_len = state
            .len
            .checked_add(t)
            .ok_or_else(|| capacity_error("sequence length overflows"))?;
        let need = new_len.div_ceil(bs) - state.table.len();
        if need > self.free.len() {
            return Err(capacity_error(format!(
                "appending {t} tokens needs {need} blocks, {} are free",
                self.free.len()
            )));
        }
        state
            .table
            .try_reserve(need)
            .map_err(|_| capacity_error("out of memory"))?;
        for _ in 0..need {
            // `need <= free.len()` was checked above.
            if let Some(b) = self.free.pop() {
                state.table.push(b);
            }
        }
        let row = self.row;
        let mut pos = state.len;
        let mut src = 0;
        while pos < new_len {
            let off = pos % bs;
            let run = (bs - off).min(new_len - pos);
            let dst = (state.table[pos / bs] as usize * bs + off) * row;
            let n = run * row;
            self.k_pool[dst..dst + n].copy_from_slice(&k[src..src + n]);
            self.v_pool[dst..dst + n].copy_from_slice(&v[src..src + n]);
            pos += run;
            src += n;
        }
        state.len = new_len;
        Ok(())
    }

    /// Removes `seq`, returning its blocks to the free list. [`ErrorKind::NotFound`] for
    /// an unknown sequence.
    pub fn free_sequence(&mut self, seq: SeqId) -> Result<()> {
        let state = self.seqs.remove(&seq.0).ok_or_else(|| not_found(seq))?;
        self.free.extend(state.table.iter().rev());
        Ok(())
    }

    /// Tokens cached for `seq`.
    pub fn seq_len(&self, seq: SeqId) -> Result<usize> {
        Ok(self.seq(seq)?.len)
    }

    /// `seq`'s block table: entry `i` is the physical block of tokens
    /// `i * block_size .. (i + 1) * block_size`.
    pub fn block_table(&self, seq: SeqId) -> Result<&[u32]> {
        Ok(&self.seq(seq)?.table)
    }

    /// Blocks on the free list.
    pub fn free_blocks(&self) -> usize {
        self.free.len()
    }

    /// Blocks in the pool.
    pub fn num_blocks(&self) -> usize {
        self.num_blocks
    }

    /// Tokens per block.
    pub fn block_size(&self) -> usize {
        self.block_size
    }

    /// Key/value heads per token.
    pub fn kv_heads(&self) -> usize {
        self.kv_heads
    }

    /// Elements per head.
    pub fn head_dim(&self) -> usize {
        self.head_dim
    }

    /// Live sequences.
    pub fn num_sequences(&self) -> usize {
        self.seqs.len()
    }

    /// The keys and values of physical block `block`, each
    /// `[block_size, kv_heads, head_dim]` (`None` past the pool).
    pub fn block(&self, block: u32) -> Option<(&[f32], &[f32])> {
        let b = block as usize;
        if b >= self.num_blocks {
            return None;
        }
        let r = b * self.block_elems..(b + 1) * self.block_elems;
        Some((&self.k_pool[r.clone()], &self.v_pool[r]))
    }

    /// Copies `seq`'s keys and values into contiguous `[len, kv_heads, head_dim]` buffers
    /// (replacing their contents). [`ErrorKind::NotFound`] for an unknown sequence.
    pub fn gather(&self, seq: SeqId, k_out: &mut Vec<f32>, v_out: &mut Vec<f32>) -> Result<()> {
        let state = self.seq(seq)?;
        k_out.clear();
        v_out.clear();
        let (bs, row) = (self.block_size, self.row);
        let mut pos = 0;
        for &b in &state.table {
            let run = bs.min(state.len - pos);
            let start = b as usize * self.block_elems;
            k_out.extend_from_slice(&self.k_pool[start..start + run * row]);
            v_out.extend_from_slice(&self.v_pool[start..start + run * row]);
            pos += run;
        }
        Ok(())
    }
}

/// Key and value rows read through a block table.
struct PagedRows<'a> {
    k_pool: &'a [f32],
    v_pool: &'a [f32],
    table: &'a [u32],
    block_size: usize,
    kv_heads: usize,
    d: usize,
}

impl PagedRows<'_> {
    #[inline(always)]
    fn offset(&self, j: usize, g: usize) -> usize {
        let block = self.table[j / self.block_size] as usize;
        ((block * self.block_size + j % self.block_size) * self.kv_heads + g) * self.d
    }
}

impl KvRows for PagedRows<'_> {
    #[inline(always)]
    fn k_row(&self, j: usize, g: usize) -> &[f32] {
        &self.k_pool[self.offset(j, g)..][..self.d]
    }
    #[inline(always)]
    fn v_row(&self, j: usize, g: usize) -> &[f32] {
        &self.v_pool[self.offset(j, g)..][..self.d]
    }
}

/// Paged attention: `q` (`[seq_q, heads, head_dim]`, the last `seq_q` positions of
/// `seq`) over `seq`'s cached keys and values, read block by block through its block
/// table (no gather), with flash attention's tiling and online softmax; causal and
/// window masks as in [`crate::attention`]. Mainly for decode (`seq_q = 1`) but any
/// `seq_q` works. [`ErrorKind::NotFound`] for an unknown sequence, [`ErrorKind::Shape`]
/// when `p`'s `kv_heads` / `head_dim` differ from the cache's or lengths do not fit.
pub fn paged_attention(
    p: &AttnParams,
    q: &[f32],
    cache: &PagedKvCache,
    seq: SeqId,
    out: &mut [f32],
) -> Result<()> {
    paged_attention_with(p, q, cache, seq, out, &mut FlashScratch::new())
}

/// [`paged_attention`] with caller-owned flash buffers.
pub fn paged_attention_with(
    p: &AttnParams,
    q: &[f32],
    cache: &PagedKvCache,
    seq: SeqId,
    out: &mut [f32],
    scratch: &mut FlashScratch,
) -> Result<()> {
    check_cache_params(p, cache.kv_heads, cache.head_dim)?;
    let seq_q = check_q(p, q, out)?;
    let state = cache.seq(seq)?;
    let mask = Mask::new(p, seq_q, state.len)?;
    let src = PagedRows {
        k_pool: &cache.k_pool,
        v_pool: &cache.v_pool,
        table: &state.table,
        block_size: cache.block_size,
        kv_heads: cache.kv_heads,
        d: cache.head_dim,
    };
    flash_core(p, mask, seq_q, q, &src, out, scratch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attention::{attention_reference, flash_attention};

    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    fn fill(n: usize, r: &mut impl FnMut() -> u64) -> Vec<f32> {
        (0..n)
            .map(|_| ((r() >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0)
            .collect()
    }

    /// NMSE Σ(a−b)²/Σb² and max |a−b|.
    fn errors(a: &[f32], b: &[f32]) -> (f64, f64) {
        assert_eq!(a.len(), b.len());
        let (mut num, mut den, mut max) = (0.0, 0.0, 0.0f64);
        for (x, y) in a.iter().zip(b) {
            assert!(x.is_finite());
            let e = (*x - *y) as f64;
            num += e * e;
            den += (*y as f64) * (*y as f64);
            max = max.max(e.abs());
        }
        (if den > 0.0 { num / den } else { num }, max)
    }

    #[test]
    fn kv_cache_append_evict_positions() {
        let mut c = KvCache::new(2, 3, 5).unwrap();
        assert!(c.is_empty());
        let k: Vec<f32> = (0..18).map(|x| x as f32).collect();
        let v: Vec<f32> = (0..18).map(|x| -(x as f32)).collect();
        c.append(&k, &v).unwrap(); // 3 tokens
        assert_eq!(
            (c.len(), c.start_pos(), c.end_pos(), c.capacity()),
            (3, 0, 3, 5)
        );
        // Over capacity: unchanged.
        let e = c.append(&k, &v).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Capacity);
        assert_eq!((c.len(), c.keys(), c.values()), (3, &k[..], &v[..]));
        // Shape errors: unchanged.
        assert_eq!(
            c.append(&k[1..], &v[1..]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            c.append(&k[..6], &v[..12]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(c.len(), 3);
        c.evict_front(2).unwrap();
        assert_eq!((c.len(), c.start_pos(), c.end_pos()), (1, 2, 3));
        assert_eq!(c.keys(), &k[12..]);
        assert_eq!(c.values(), &v[12..]);
        assert_eq!(
            c.evict_front(2).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(c.len(), 1);
        c.append(&k[..12], &v[..12]).unwrap();
        assert_eq!((c.len(), c.end_pos()), (3, 5));
        assert_eq!(&c.keys()[6..], &k[..12]);
        c.evict_front(0).unwrap();
        c.clear();
        assert_eq!((c.len(), c.start_pos(), c.is_empty()), (0, 0, true));
        c.append(&[], &[]).unwrap();
        assert!(c.is_empty());
        // Bad construction.
        assert_eq!(
            KvCache::new(0, 3, 5).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            KvCache::new(2, 0, 5).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            KvCache::new(2, 3, usize::MAX).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            KvCache::new(usize::MAX, 3, 1).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        // A huge (non-overflowing) capacity allocates nothing up front.
        let mut big = KvCache::new(1, 1, usize::MAX / 8).unwrap();
        big.append(&[1.0], &[2.0]).unwrap();
    }

    #[test]
    fn kv_attention_sliding_window() {
        // Keep a window of 16 tokens in the cache: attention over the cache with window
        // 16 equals attention over the full history with window 16.
        let mut r = rng(5);
        let (heads, kv_heads, d, w) = (4, 2, 8, 16);
        let p = AttnParams::new(heads, kv_heads, d)
            .unwrap()
            .causal(true)
            .window(Some(w));
        let mut cache = KvCache::new(kv_heads, d, w).unwrap();
        let (mut all_k, mut all_v) = (Vec::new(), Vec::new());
        for step in 0..40 {
            let k = fill(kv_heads * d, &mut r);
            let v = fill(kv_heads * d, &mut r);
            if cache.len() == w {
                cache.evict_front(1).unwrap();
            }
            cache.append(&k, &v).unwrap();
            all_k.extend_from_slice(&k);
            all_v.extend_from_slice(&v);
            assert_eq!(cache.end_pos(), step + 1);
            let q = fill(heads * d, &mut r);
            let mut a = vec![0.0; q.len()];
            let mut b = vec![0.0; q.len()];
            kv_attention(&p, &q, &cache, &mut a).unwrap();
            flash_attention(&p, &q, &all_k, &all_v, &mut b).unwrap();
            let (nmse, max) = errors(&a, &b);
            assert!(nmse <= 5e-4 && max <= 1e-5, "step {step}: {nmse:e} {max:e}");
        }
        let bad = AttnParams::new(heads, 1, d).unwrap();
        let q = fill(heads * d, &mut r);
        let mut o = vec![0.0; q.len()];
        assert_eq!(
            kv_attention(&bad, &q, &cache, &mut o).unwrap_err().kind(),
            ErrorKind::Shape
        );
    }

    #[test]
    fn paged_matches_flash_on_gathered() {
        let mut r = rng(11);
        for &block_size in &[1usize, 3, 16] {
            let (heads, kv_heads, d) = (8, 2, 16);
            let mut cache =
                PagedKvCache::new(kv_heads, d, block_size, 400 / block_size + 8).unwrap();
            let total_blocks = cache.num_blocks();
            let mut seqs: Vec<(SeqId, Vec<f32>, Vec<f32>)> = (0..3)
                .map(|_| (cache.add_sequence(), Vec::new(), Vec::new()))
                .collect();
            let check = |cache: &PagedKvCache,
                         seq: SeqId,
                         k: &[f32],
                         v: &[f32],
                         r: &mut dyn FnMut() -> u64| {
                let mut gk = Vec::new();
                let mut gv = Vec::new();
                cache.gather(seq, &mut gk, &mut gv).unwrap();
                assert_eq!((&gk[..], &gv[..]), (k, v));
                let len = cache.seq_len(seq).unwrap();
                assert_eq!(
                    cache.block_table(seq).unwrap().len(),
                    len.div_ceil(block_size)
                );
                let mut rr = || r();
                for (seq_q, causal, window) in [
                    (1, true, None),
                    (1, false, None),
                    (len.min(5), true, Some(7)),
                    (len.min(20), true, None),
                ] {
                    let p = AttnParams::new(heads, kv_heads, d)
                        .unwrap()
                        .causal(causal)
                        .window(window);
                    let q = fill(seq_q * heads * d, &mut rr);
                    let mut a = vec![f32::NAN; q.len()];
                    let mut b = vec![f32::NAN; q.len()];
                    paged_attention(&p, &q, cache, seq, &mut a).unwrap();
                    flash_attention(&p, &q, &gk, &gv, &mut b).unwrap();
                    let (nmse, max) = errors(&a, &b);
                    assert!(
                        nmse <= 5e-4 && max <= 1e-5,
                        "bs {block_size} len {len}: {nmse:e} {max:e}"
                    );
                    let want: Vec<f32> = attention_reference(&p, &q, &gk, &gv)
                        .unwrap()
                        .iter()
                        .map(|x| *x as f32)
                        .collect();
                    let (nmse, max) = errors(&a, &want);
                    assert!(
                        nmse <= 5e-4 && max <= 1e-4,
                        "bs {block_size} vs reference: {nmse:e} {max:e}"
                    );
                }
            };
            // Interleaved appends in uneven chunks.
            for round in 0..12 {
                for (i, (seq, k, v)) in seqs.iter_mut().enumerate() {
                    let t = (r() % 13) as usize + (round + i) % 2;
                    let nk = fill(t * kv_heads * d, &mut r);
                    let nv = fill(t * kv_heads * d, &mut r);
                    cache.append(*seq, &nk, &nv).unwrap();
                    k.extend_from_slice(&nk);
                    v.extend_from_slice(&nv);
                }
            }
            for (seq, k, v) in &seqs {
                check(&cache, *seq, k, v, &mut r);
            }
            // Free one sequence; a new one reuses its blocks.
            let (gone, _, _) = seqs.remove(1);
            let gone_blocks: Vec<u32> = cache.block_table(gone).unwrap().to_vec();
            let free_before = cache.free_blocks();
            cache.free_sequence(gone).unwrap();
            assert_eq!(cache.free_blocks(), free_before + gone_blocks.len());
            assert_eq!(cache.seq_len(gone).unwrap_err().kind(), ErrorKind::NotFound);
            assert_eq!(
                cache.free_sequence(gone).unwrap_err().kind(),
                ErrorKind::NotFound
            );
            let fresh = cache.add_sequence();
            assert_ne!(fresh, gone);
            let t = gone_blocks.len() * block_size;
            let nk = fill(t * kv_heads * d, &mut r);
            let nv = fill(t * kv_heads * d, &mut r);
            cache.append(fresh, &nk, &nv).unwrap();
            let mut reused = cache.block_table(fresh).unwrap().to_vec();
            reused.sort_unstable();
            let mut expect = gone_blocks.clone();
            expect.sort_unstable();
            assert_eq!(reused, expect, "the freed blocks are reused first");
            seqs.push((fresh, nk, nv));
            for (seq, k, v) in &seqs {
                check(&cache, *seq, k, v, &mut r);
            }
            let used: usize = seqs
                .iter()
                .map(|(s, _, _)| cache.block_table(*s).unwrap().len())
                .sum();
            assert_eq!(used + cache.free_blocks(), total_blocks);
        }
    }

    #[test]
    fn paged_capacity_and_errors() {
        let mut cache = PagedKvCache::new(1, 2, 4, 3).unwrap(); // 12 tokens
        let a = cache.add_sequence();
        let b = cache.add_sequence();
        cache.append(a, &[1.0; 2 * 5], &[2.0; 2 * 5]).unwrap(); // 2 blocks
        assert_eq!(cache.free_blocks(), 1);
        // b needs 2 blocks, 1 is free: Capacity, nothing changes.
        let e = cache.append(b, &[0.0; 2 * 5], &[0.0; 2 * 5]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Capacity);
        assert_eq!((cache.free_blocks(), cache.seq_len(b).unwrap()), (1, 0));
        assert!(cache.block_table(b).unwrap().is_empty());
        // a still fits 3 more in its partial block + the free one.
        cache.append(a, &[3.0; 2 * 7], &[4.0; 2 * 7]).unwrap();
        assert_eq!((cache.free_blocks(), cache.seq_len(a).unwrap()), (0, 12));
        let e = cache.append(a, &[3.0; 2], &[4.0; 2]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Capacity);
        assert_eq!(cache.seq_len(a).unwrap(), 12);
        // Shapes.
        assert_eq!(
            cache.append(b, &[0.0; 3], &[0.0; 3]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            cache.append(b, &[0.0; 2], &[0.0; 4]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        // Unknown sequences.
        let ghost = SeqId(999);
        assert_eq!(
            cache.append(ghost, &[], &[]).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            cache.block_table(ghost).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let (mut gk, mut gv) = (Vec::new(), Vec::new());
        assert_eq!(
            cache.gather(ghost, &mut gk, &mut gv).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let p = AttnParams::new(2, 1, 2).unwrap().causal(true);
        let mut o = [0.0f32; 4];
        assert_eq!(
            paged_attention(&p, &[0.0; 4], &cache, ghost, &mut o)
                .unwrap_err()
                .kind(),
            ErrorKind::NotFound
        );
        // Wrong q / out length, mismatched head config, causal with seq_q > seq_len.
        assert_eq!(
            paged_attention(&p, &[0.0; 3], &cache, a, &mut o[..3])
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            paged_attention(&p, &[0.0; 4], &cache, a, &mut o[..2])
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        let p3 = AttnParams::new(2, 2, 2).unwrap();
        assert_eq!(
            paged_attention(&p3, &[0.0; 4], &cache, a, &mut o)
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        let big_q = vec![0.0f32; 4 * 2 * 2];
        let mut big_o = big_q.clone();
        assert!(paged_attention(&p, &big_q, &cache, a, &mut big_o).is_ok());
        assert_eq!(
            paged_attention(&p, &big_q, &cache, b, &mut big_o)
                .unwrap_err()
                .kind(),
            ErrorKind::Shape
        );
        // Empty sequence, not causal: zeros.
        let p_nc = AttnParams::new(2, 1, 2).unwrap();
        let mut o = [1.0f32; 4];
        paged_attention(&p_nc, &[0.5; 4], &cache, b, &mut o).unwrap();
        assert_eq!(o, [0.0; 4]);
        // Construction errors.
        let kind = |r: Result<PagedKvCache>| r.unwrap_err().kind();
        assert_eq!(
            kind(PagedKvCache::new(0, 2, 4, 3)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 0, 4, 3)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 2, 0, 3)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 2, 4, 0)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 2, usize::MAX, 3)),
            ErrorKind::TooLarge
        );
        assert_eq!(
            kind(PagedKvCache::new(usize::MAX, 2, 4, 3)),
            ErrorKind::TooLarge
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 1, 1 << 40, 1 << 30)),
            ErrorKind::TooLarge
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 1, 1, usize::MAX)),
            ErrorKind::TooLarge
        );
        assert_eq!(
            kind(PagedKvCache::new(1, 1, 1 << 20, 1 << 33)),
            ErrorKind::TooLarge
        );
        // Physical block access.
        assert!(cache.block(2).is_some() && cache.block(3).is_none());
        assert_eq!(cache.num_sequences(), 2);
    }

    #[test]
    fn paged_extreme_values() {
        // Scores of ~1e4 stay finite through the online softmax across blocks.
        let (kv_heads, d) = (1, 4);
        let mut cache = PagedKvCache::new(kv_heads, d, 3, 64).unwrap();
        let s = cache.add_sequence();
        let mut r = rng(3);
        let k: Vec<f32> = fill(100 * d, &mut r).iter().map(|x| x * 100.0).collect();
        let v = fill(100 * d, &mut r);
        cache.append(s, &k, &v).unwrap();
        let p = AttnParams::new(2, 1, d).unwrap().causal(true).scale(1.0);
        let q: Vec<f32> = fill(2 * d, &mut r).iter().map(|x| x * 100.0).collect();
        let mut o = vec![0.0; q.len()];
        paged_attention(&p, &q, &cache, s, &mut o).unwrap();
        let want: Vec<f32> = attention_reference(&p, &q, &k, &v)
            .unwrap()
            .iter()
            .map(|x| *x as f32)
            .collect();
        let (nmse, _) = errors(&o, &want);
        assert!(nmse <= 5e-4, "{nmse:e}");
    }
}
