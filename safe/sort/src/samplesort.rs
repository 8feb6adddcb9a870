//! In-place super-scalar samplesort, after IPS⁴o (Axtmann, Witt, Ferizovic & Sanders,
//! "In-place Parallel Super Scalar Samplesort", ESA 2017): up to 127 splitters drawn
//! from a sample, an implicit search tree that classifies a key with `log₂ k`
//! branch-free steps (eight keys at a time), and a distribution that needs no O(n)
//! scratch space:
//!
//! 1. **Local classification.** Each key goes to its bucket's buffer of one block; a
//!    full buffer is written back over keys already read, so the slice ends up as a
//!    run of full single-bucket blocks followed by free space (and the buffers).
//! 2. **Block permutation.** Each bucket gets a block-aligned region; blocks are
//!    swapped into their bucket's region through two swap buffers, each bucket's write
//!    and read pointers behind a lock of its own, so the threads of the parallel sort
//!    permute together.
//! 3. **Cleanup.** Bucket boundaries are not block-aligned: the part of a bucket's last
//!    block that spills into the next bucket, and the buffers' partial blocks, fill the
//!    free slots at the ends of its region.
//!
//! The extra memory is O(k·b) per thread (k buckets of b keys: 256 × 512 bytes), not O(n).
//! Keys equal to a splitter land in that splitter's equality bucket, which needs no
//! further sorting, so every level makes progress whatever the duplicates. Beyond a
//! recursion depth of 2·log₂ n levels (an adversarial sample) std's in-place
//! `sort_unstable` finishes the bucket, so the worst case stays O(n log n).

use std::mem::MaybeUninit;
use std::ptr;
use std::sync::{Mutex, PoisonError};
use std::thread;

use crate::key::{Bits, SortKey};
use crate::radix::bucket_starts;
use crate::small::{small_sort, SMALL_MAX};
use crate::{Error, ErrorKind, Result};

/// At or below this many keys, the small sort.
const BASE: usize = SMALL_MAX;
/// Sample size per splitter.
const OVERSAMPLE: usize = 4;
/// Below this many keys the parallel sort runs sequentially.
pub(crate) const PARALLEL_MIN: usize = 1 << 17;
/// At most `2^LEVELS_MAX - 1` splitters (levels of the search tree).
const LEVELS_MAX: u32 = 7;
/// At most this many buckets: one below, and one equal to, each splitter.
const BUCKETS_MAX: usize = 2 << LEVELS_MAX;
/// Keys classified per batch before they go to their buffers.
const CHUNK: usize = 256;
/// The bytes of a block.
const BLOCK_BYTES: usize = 512;

/// `x` rounded up to a multiple of the block length `b`.
fn align_up(x: usize, b: usize) -> usize {
    x.div_ceil(b) * b
}

/// The keys in a block of `K`.
const fn block_len<K>() -> usize {
    let b = BLOCK_BYTES / core::mem::size_of::<K>();
    if b == 0 {
        1
    } else {
        b
    }
}

/// The splitters of one level: an implicit binary search tree (Eytzinger order, 1-based)
/// over `2^levels - 1` sorted splitter images (the largest repeated to fill it), in
/// fixed arrays so that no lookup needs a bounds check.
struct Classifier<B> {
    tree: [B; 128],
    /// The distinct splitters, ascending, then the largest repeated.
    sorted: [B; 128],
    /// How many of `sorted` are distinct.
    distinct: usize,
    levels: u32,
}

/// Keys classified together: their tree descents are independent, so the CPU overlaps
/// their loads (the "super-scalar" of the algorithm's name).
const UNROLL: usize = 8;

impl<B: Bits> Classifier<B> {
    /// The bucket of image `b`: `2i` for keys between splitters `i-1` and `i`, `2i+1` for
    /// keys equal to splitter `i`.
    #[inline(always)]
    fn bucket(&self, b: B) -> usize {
        let mut j = 1usize;
        for _ in 0..self.levels {
            j = 2 * j + usize::from(self.tree[j & 127] < b);
        }
        self.finish(j, b)
    }

    /// Tree node `j` (masked into the array). A volatile read: it keeps the compiler
    /// from turning the eight interleaved descents into vector gathers, which are several
    /// times slower than scalar loads from L1 on CPUs with the Gather Data Sampling
    /// mitigation (Intel since 2023).
    #[inline(always)]
    fn node(&self, j: usize) -> B {
        let p: *const B = &self.tree[j & 127];
        // SAFETY: `p` comes from a reference to an element of `self.tree`: aligned,
        // initialised and live for the duration of the read.
        unsafe { ptr::read_volatile(p) }
    }

    #[inline(always)]
    fn finish(&self, j: usize, b: B) -> usize {
        let i = j - (1 << self.levels);
        let eq = i < self.distinct && self.sorted[i & 127] == b;
        2 * i + usize::from(eq)
    }

    /// Classifies `keys` into `oracle` and adds to `counts`.
    #[inline(always)]
    fn classify<K: SortKey<Bits = B>>(
        &self,
        keys: &[K],
        oracle: &mut [u8],
        counts: &mut [usize; BUCKETS_MAX],
    ) {
        let mut ks = keys.chunks_exact(UNROLL);
        let mut os = oracle.chunks_exact_mut(UNROLL);
        for (k, o) in (&mut ks).zip(&mut os) {
            let b: [B; UNROLL] = std::array::from_fn(|u| k[u].ordered());
            let mut j = [1usize; UNROLL];
            for _ in 0..self.levels {
                for u in 0..UNROLL {
                    j[u] = 2 * j[u] + usize::from(self.node(j[u]) < b[u]);
                }
            }
            for u in 0..UNROLL {
                let c = self.finish(j[u], b[u]);
                o[u] = c as u8;
                counts[c & (BUCKETS_MAX - 1)] += 1;
            }
        }
        for (k, o) in ks.remainder().iter().zip(os.into_remainder()) {
            let c = self.bucket(k.ordered());
            *o = c as u8;
            counts[c & (BUCKETS_MAX - 1)] += 1;
        }
    }

    fn buckets(&self) -> usize {
        2 << self.levels
    }
}

/// Draws a sample of `keys` (more than [`BASE`] of them) and returns its classifier.
fn classifier<K: SortKey>(keys: &[K]) -> Result<Classifier<K::Bits>> {
    let n = keys.len();
    // 2^levels buckets, about n/16 per level at the small end, at most 128.
    let mut levels = 1u32;
    while levels < LEVELS_MAX && (1usize << (levels + 1)) * 16 <= n {
        levels += 1;
    }
    let m = (1usize << levels) - 1;
    let s = ((m + 1) * OVERSAMPLE - 1).min(n);
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ n as u64;
    let mut sample: Vec<K::Bits> = Vec::new();
    sample
        .try_reserve_exact(s)
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "samplesort", "the sample"))?;
    for _ in 0..s {
        let r = crate::xorshift64(&mut x) >> 32;
        sample.push(keys[((r * n as u64) >> 32) as usize].ordered());
    }
    sample.sort_unstable();
    let mut sorted = [sample[0]; 128];
    let mut distinct = 0;
    for i in 0..m {
        let b = sample[((i + 1) * s / (m + 1)).min(s - 1)];
        if distinct == 0 || sorted[distinct - 1] != b {
            sorted[distinct] = b;
            distinct += 1;
        }
    }
    let last = sorted[distinct - 1];
    sorted[distinct..].fill(last);
    let mut tree = [last; 128];
    fn fill<B: Copy>(tree: &mut [B; 128], m: usize, sorted: &[B; 128], j: usize, next: &mut usize) {
        if j <= m {
            fill(tree, m, sorted, 2 * j, next);
            tree[j] = sorted[*next];
            *next += 1;
            fill(tree, m, sorted, 2 * j + 1, next);
        }
    }
    let mut next = 0;
    fill(&mut tree, m, &sorted, 1, &mut next);
    Ok(Classifier {
        tree,
        sorted,
        distinct,
        levels,
    })
}

/// One thread's working memory: a block-sized buffer per bucket, two swap blocks, and
/// the batch's classification. Allocated once per sort and reused at every level.
struct Local<K> {
    buffers: Vec<MaybeUninit<K>>,
    fill: [usize; BUCKETS_MAX],
    counts: [usize; BUCKETS_MAX],
    swap: [Vec<MaybeUninit<K>>; 2],
    oracle: [u8; CHUNK],
}

impl<K: SortKey> Local<K> {
    fn new() -> Result<Box<Self>> {
        let b = block_len::<K>();
        let oom = |_| Error::new(ErrorKind::OutOfMemory, "samplesort", "block buffers");
        let mut buffers = Vec::new();
        buffers.try_reserve_exact(BUCKETS_MAX * b).map_err(oom)?;
        buffers.resize_with(BUCKETS_MAX * b, MaybeUninit::uninit);
        let mut swap = [Vec::new(), Vec::new()];
        for s in &mut swap {
            s.try_reserve_exact(b).map_err(oom)?;
            s.resize_with(b, MaybeUninit::uninit);
        }
        Ok(Box::new(Local {
            buffers,
            fill: [0; BUCKETS_MAX],
            counts: [0; BUCKETS_MAX],
            swap,
            oracle: [0; CHUNK],
        }))
    }

    /// Step 1 on `stripe`: every key into its bucket's buffer, full buffers written back
    /// at the front of the stripe. Returns how many keys the full blocks hold (a
    /// multiple of the block length); `counts` and `fill` (zero before, see
    /// [`distribute`]) say the rest.
    fn classify_locally(&mut self, c: &Classifier<K::Bits>, stripe: &mut [K]) -> usize {
        let b = block_len::<K>();
        let mut write = 0;
        let bufs = self.buffers.as_mut_ptr() as *mut K;
        for chunk_start in (0..stripe.len()).step_by(CHUNK) {
            let end = (chunk_start + CHUNK).min(stripe.len());
            let oracle = &mut self.oracle[..end - chunk_start];
            c.classify(&stripe[chunk_start..end], oracle, &mut self.counts);
            for (read, &o) in (chunk_start..end).zip(oracle.iter()) {
                let bucket = usize::from(o);
                let mut f = self.fill[bucket];
                if f == b {
                    // The buffer is full: its block goes back over keys already read
                    // (write + b <= read, since the buffers hold read - write keys).
                    debug_assert!(write + b <= read);
                    // SAFETY: a full buffer has all `b` slots of `bucket * b..` written
                    // (inside `buffers`, BUCKETS_MAX blocks); the destination is `b` keys
                    // of the stripe before `read`, so the two do not overlap.
                    unsafe { copy_block(bufs.add(bucket * b), stripe.as_mut_ptr().add(write), b) };
                    write += b;
                    f = 0;
                }
                // SAFETY: `bucket < BUCKETS_MAX` (a u8 below `2 << LEVELS_MAX`) and `f < b`,
                // so the slot is inside `buffers`; `read < stripe.len()`.
                unsafe { bufs.add(bucket * b + f).write(*stripe.get_unchecked(read)) };
                self.fill[bucket] = f + 1;
            }
        }
        write
    }

    /// The keys of `bucket`'s buffer.
    fn buffered(&self, bucket: usize) -> &[K] {
        let b = block_len::<K>();
        let start = bucket * b;
        // SAFETY: the first `fill[bucket]` slots of the bucket's buffer were written.
        unsafe { crate::radix::assume_init(&self.buffers[start..start + self.fill[bucket]]) }
    }
}

/// A bucket's block pointers during the permutation: the next slot to write (every slot
/// before it holds a block of this bucket) and the last slot still holding an
/// unprocessed block (none when `read < write`). Element offsets, multiples of the block
/// length; `read` may be `write - b`, hence signed.
#[derive(Clone, Copy)]
struct Pointers {
    write: isize,
    read: isize,
}

/// The slice during the permutation, shared by the threads. Every access to a slot of
/// bucket `i`'s region happens with `i`'s lock held (and the overflow block's with the
/// last bucket's), so no two threads touch the same keys at once.
struct Shared<K> {
    keys: *mut K,
    len: usize,
    overflow: *mut MaybeUninit<K>,
}
// SAFETY: the pointers are dereferenced only under the per-bucket locks described above,
// within one thread scope that ends before the slice's borrow does.
unsafe impl<K: Send> Send for Shared<K> {}
// SAFETY: as above.
unsafe impl<K: Send> Sync for Shared<K> {}

/// Steps 1–3 on `keys` with `stripes` threads (one: the calling thread), `locals` their
/// memory. Returns the bucket bounds.
fn distribute<K: SortKey>(
    keys: &mut [K],
    c: &Classifier<K::Bits>,
    locals: &mut [Box<Local<K>>],
) -> Result<Vec<usize>> {
    let n = keys.len();
    let b = block_len::<K>();
    let nb = c.buckets();
    let threads = locals.len();
    for l in locals.iter_mut() {
        // Every thread starts from empty buffers and counts (one without a stripe, on a
        // short slice, counts nothing).
        l.fill = [0; BUCKETS_MAX];
        l.counts = [0; BUCKETS_MAX];
    }
    // Step 1, per stripe (block-aligned).
    let stripe_len = align_up(n.div_ceil(threads), b);
    let mut full_ends = vec![0usize; threads];
    if threads == 1 {
        full_ends[0] = locals[0].classify_locally(c, keys);
    } else {
        scoped(|s| {
            let mut handles = Vec::new();
            for ((stripe, local), end) in keys
                .chunks_mut(stripe_len)
                .zip(locals.iter_mut())
                .zip(full_ends.iter_mut())
            {
                handles.push(spawn(s, move || {
                    *end = local.classify_locally(c, stripe);
                    Ok(())
                })?);
            }
            Ok(handles)
        })?;
    }
    let totals: Vec<usize> = (0..nb)
        .map(|i| locals.iter().map(|l| l.counts[i]).sum())
        .collect();
    let mut bounds = vec![n; nb + 1];
    bucket_starts(&totals, &mut bounds[..nb]);
    // Whether the block at slot `p` is full after step 1.
    let is_full = |p: usize| {
        let t = p / stripe_len;
        t < threads && p < t * stripe_len + full_ends[t]
    };
    // Empty-block movement: within each bucket's region, full blocks first (stripes
    // other than the last leave free space between their full blocks and the next
    // stripe's; a single stripe's full blocks already form a prefix, and nothing moves).
    let mut pointers = Vec::with_capacity(nb);
    for i in 0..nb {
        let start = align_up(bounds[i], b);
        let (mut front, mut back) = (start, align_up(bounds[i + 1], b));
        loop {
            while front < back && is_full(front) {
                front += b;
            }
            while back > front && !is_full(back - b) {
                back -= b;
            }
            if back <= front {
                break;
            }
            // `back - b` is full and `front` free: move the block.
            keys.copy_within(back - b..back, front);
            front += b;
            back -= b;
        }
        // The region's full blocks are now `start..front`.
        pointers.push(Mutex::new(Pointers {
            write: start as isize,
            read: front as isize - b as isize,
        }));
    }
    // Step 2: the block permutation, every thread from its own first bucket.
    let mut overflow: Vec<MaybeUninit<K>> = Vec::new();
    overflow
        .try_reserve_exact(b)
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "samplesort", "overflow block"))?;
    overflow.resize_with(b, MaybeUninit::uninit);
    let shared = Shared {
        keys: keys.as_mut_ptr(),
        len: n,
        overflow: overflow.as_mut_ptr(),
    };
    if threads == 1 {
        permute(&shared, c, &pointers, &mut locals[0], 0);
    } else {
        let (shared, pointers) = (&shared, &pointers[..]);
        scoped(|s| {
            let mut handles = Vec::new();
            for (t, local) in locals.iter_mut().enumerate() {
                handles.push(spawn(s, move || {
                    permute(shared, c, pointers, local, t * nb / threads);
                    Ok(())
                })?);
            }
            Ok(handles)
        })?;
    }
    let written: Vec<usize> = pointers
        .into_iter()
        .map(|p| p.into_inner().unwrap_or_else(PoisonError::into_inner).write as usize)
        .collect();
    // Step 3.
    cleanup(keys, &bounds, &written, locals, &overflow);
    Ok(bounds)
}

/// Copies one block from `src` to `dst`.
///
/// # Safety
/// Both must be valid for `b` keys (`src` initialised) and must not overlap.
#[inline(always)]
unsafe fn copy_block<K>(src: *const K, dst: *mut K, b: usize) {
    // SAFETY: the caller's contract.
    unsafe { ptr::copy_nonoverlapping(src, dst, b) }
}

/// Step 2 for one thread: takes unprocessed blocks from the buckets (starting at
/// `first`, cycling), and carries each to its bucket's next write slot, swapping out the
/// unprocessed block found there, until every bucket has none left.
fn permute<K: SortKey>(
    shared: &Shared<K>,
    c: &Classifier<K::Bits>,
    pointers: &[Mutex<Pointers>],
    local: &mut Local<K>,
    first: usize,
) {
    let b = block_len::<K>();
    let nb = pointers.len();
    let lock = |i: usize| pointers[i].lock().unwrap_or_else(PoisonError::into_inner);
    let [swap0, swap1] = &mut local.swap;
    let (mut cur, mut spare) = (swap0.as_mut_ptr() as *mut K, swap1.as_mut_ptr() as *mut K);
    for step in 0..nb {
        let i = (first + step) % nb;
        loop {
            {
                let mut p = lock(i);
                if p.read < p.write {
                    break;
                }
                // SAFETY: `read` is a slot of a full block inside the slice (at most the
                // last full block before `n`), held by this bucket's lock; `cur` is this
                // thread's swap block of `b` keys.
                unsafe { copy_block(shared.keys.add(p.read as usize), cur, b) };
                p.read -= b as isize;
            }
            loop {
                // SAFETY: `cur` holds a block just read.
                let dest = c.bucket(unsafe { *cur }.ordered());
                let mut p = lock(dest);
                let slot = p.write as usize;
                p.write += b as isize;
                if slot as isize <= p.read {
                    // The slot holds an unprocessed block (inside the slice).
                    // SAFETY: a full block's first key, under `dest`'s lock.
                    let there = c.bucket(unsafe { *shared.keys.add(slot) }.ordered());
                    if there == dest {
                        // Already in its place: keep it and try the next slot.
                        drop(p);
                        continue;
                    }
                    // SAFETY: the slot is `b` keys inside the slice under `dest`'s lock;
                    // `spare` and `cur` are this thread's two distinct swap blocks.
                    unsafe {
                        copy_block(shared.keys.add(slot), spare, b);
                        copy_block(cur, shared.keys.add(slot), b);
                    }
                    drop(p);
                    std::mem::swap(&mut cur, &mut spare);
                } else {
                    if slot + b > shared.len {
                        // Only the last non-empty bucket's last block can reach past
                        // the end: it waits in the overflow block for the cleanup.
                        // SAFETY: the overflow block holds `b` keys and only this
                        // bucket's lock guards it.
                        unsafe { copy_block(cur, shared.overflow as *mut K, b) };
                    } else {
                        // SAFETY: a free slot of `b` keys inside the slice, under
                        // `dest`'s lock.
                        unsafe { copy_block(cur, shared.keys.add(slot), b) };
                    }
                    break;
                }
            }
        }
    }
}

/// Step 3: each bucket's keys that are not in its blocks (the spill of its last block
/// past its end, or in the overflow block, and the threads' buffers) fill the free
/// slots at the two ends of its range. Buckets in order: a bucket's spill occupies the
/// next bucket's head, which is free once the spill is moved.
/// `bounds`: the buckets' first keys and `n`; `written`: per bucket, the end of its
/// blocks after the permutation.
fn cleanup<K: SortKey>(
    keys: &mut [K],
    bounds: &[usize],
    written: &[usize],
    locals: &[Box<Local<K>>],
    overflow: &[MaybeUninit<K>],
) {
    let n = keys.len();
    let b = block_len::<K>();
    let mut pending: Vec<K> = Vec::with_capacity((locals.len() + 1) * b);
    for (i, &written) in written.iter().enumerate() {
        let (start, end) = (bounds[i], bounds[i + 1]);
        let blocks_start = align_up(start, b);
        pending.clear();
        // Blocks in the slice end at `in_slice`; a last block past `n` is in the
        // overflow block. (A bucket without blocks may start past `n`.)
        let overflowed = written > blocks_start && written > n;
        let in_slice = if overflowed { written - b } else { written };
        let spill = end.max(blocks_start)..in_slice;
        if !spill.is_empty() {
            pending.extend_from_slice(&keys[spill]);
        }
        if overflowed {
            // SAFETY: the permutation wrote the whole overflow block.
            pending.extend_from_slice(unsafe { crate::radix::assume_init(overflow) });
        }
        for l in locals {
            pending.extend_from_slice(l.buffered(i));
        }
        let head = start..blocks_start.min(end);
        let tail = in_slice.max(blocks_start).min(end)..end;
        debug_assert_eq!(head.len() + tail.len(), pending.len(), "bucket {i}");
        let (h, t) = pending.split_at(head.len());
        keys[head].copy_from_slice(h);
        keys[tail].copy_from_slice(t);
    }
}

/// Sequential samplesort of `keys` ascending.
fn sort_rec<K: SortKey>(keys: &mut [K], local: &mut Box<Local<K>>, depth: u32) -> Result<()> {
    let n = keys.len();
    if n <= BASE {
        small_sort(keys, false);
        return Ok(());
    }
    if depth == 0 {
        keys.sort_unstable_by_key(|k| k.ordered());
        return Ok(());
    }
    let c = classifier(keys)?;
    let bounds = distribute(keys, &c, std::slice::from_mut(local))?;
    for (bucket, w) in bounds.windows(2).enumerate() {
        if bucket % 2 == 0 && w[1] - w[0] > 1 {
            sort_rec(&mut keys[w[0]..w[1]], local, depth - 1)?;
        }
    }
    Ok(())
}

fn max_depth(n: usize) -> u32 {
    2 * (usize::BITS - n.leading_zeros()).max(1)
}

/// Samplesort on the calling thread.
pub(crate) fn samplesort<K: SortKey>(keys: &mut [K], descending: bool) -> Result<()> {
    let n = keys.len();
    if n <= BASE {
        small_sort(keys, descending);
        return Ok(());
    }
    let mut local = Local::new()?;
    sort_rec(keys, &mut local, max_depth(n))?;
    if descending {
        keys.reverse();
    }
    Ok(())
}

/// What sorts the buckets of the parallel samplesort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The sequential samplesort (the bucket sorter of builds without `vqsort`).
    #[cfg_attr(feature = "vqsort", allow(dead_code))]
    Samplesort,
    /// Highway's vqsort.
    #[cfg(feature = "vqsort")]
    Vqsort,
}

/// Samplesort on `threads` worker threads: the top level's local classification and
/// block permutation on all of them, then the buckets sorted by `base`, the largest
/// first, each on the least loaded thread. Below [`PARALLEL_MIN`] keys or with one
/// thread, `base` sorts it all on the calling thread.
pub(crate) fn parallel_samplesort<K: SortKey>(
    keys: &mut [K],
    descending: bool,
    threads: usize,
    base: Base,
) -> Result<()> {
    let n = keys.len();
    if threads <= 1 || n < PARALLEL_MIN {
        match base {
            Base::Samplesort => return samplesort(keys, descending),
            #[cfg(feature = "vqsort")]
            Base::Vqsort => {
                crate::vqsort::sort_ascending(keys)?;
                if descending {
                    keys.reverse();
                }
                return Ok(());
            }
        }
    }
    // Each thread gets a stripe of at least PARALLEL_MIN / 2 keys: more threads would
    // cost their buffers (about 130 KiB each) and start-up for little work.
    let threads = threads.min(n / (PARALLEL_MIN / 2)).max(1);
    let mut locals = (0..threads)
        .map(|_| Local::new())
        .collect::<Result<Vec<_>>>()?;
    let c = classifier(keys)?;
    let bounds = distribute(keys, &c, &mut locals)?;
    // The buckets: the largest first, each to the least loaded thread.
    let mut pieces = Vec::new();
    let mut rest = &mut *keys;
    for (bucket, w) in bounds.windows(2).enumerate() {
        let (piece, r) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
        rest = r;
        if bucket % 2 == 0 && piece.len() > 1 {
            pieces.push(piece);
        }
    }
    pieces.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut work: Vec<Vec<&mut [K]>> = (0..threads).map(|_| Vec::new()).collect();
    let mut load = vec![0usize; threads];
    for p in pieces {
        let t = (0..threads).min_by_key(|&t| load[t]).unwrap_or(0);
        load[t] += p.len();
        work[t].push(p);
    }
    let depth = max_depth(n) - 1;
    scoped(|s| {
        let mut handles = Vec::new();
        for (list, local) in work.into_iter().zip(locals.iter_mut()) {
            handles.push(spawn(s, move || {
                for k in list {
                    match base {
                        Base::Samplesort => sort_rec(k, local, depth)?,
                        #[cfg(feature = "vqsort")]
                        Base::Vqsort => crate::vqsort::sort_ascending(k)?,
                    }
                }
                Ok(())
            })?);
        }
        Ok(handles)
    })?;
    if descending {
        keys.reverse();
    }
    Ok(())
}

type Handles<'scope> = Vec<thread::ScopedJoinHandle<'scope, Result<()>>>;

/// Runs `f` in a thread scope and joins the threads it started.
fn scoped<'env, F>(f: F) -> Result<()>
where
    F: for<'scope> FnOnce(&'scope thread::Scope<'scope, 'env>) -> Result<Handles<'scope>>,
{
    thread::scope(|s| {
        let handles = f(s)?;
        let mut first = Ok(());
        for h in handles {
            // The closures do not panic; a join error is reported, never unwrapped.
            let r = h.join().unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Thread,
                    "samplesort-parallel",
                    "a sorting thread panicked",
                ))
            });
            if first.is_ok() {
                first = r;
            }
        }
        first
    })
}

fn spawn<'scope, 'env, F>(
    s: &'scope thread::Scope<'scope, 'env>,
    f: F,
) -> Result<thread::ScopedJoinHandle<'scope, Result<()>>>
where
    F: FnOnce() -> Result<()> + Send + 'scope,
{
    thread::Builder::new().spawn_scoped(s, f).map_err(|e| {
        Error::new(
            ErrorKind::Thread,
            "samplesort-parallel",
            format!("spawning a thread: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<K: SortKey + PartialEq>(v: Vec<K>, threads: usize) {
        let mut want = v.clone();
        want.sort_by_key(|k| k.ordered());
        let mut got = v;
        let mut locals: Vec<_> = (0..threads).map(|_| Local::new().unwrap()).collect();
        if got.len() > BASE {
            let c = classifier(&got).unwrap();
            let bounds = distribute(&mut got, &c, &mut locals).unwrap();
            // Every key lies in its bucket's range.
            for (bucket, w) in bounds.windows(2).enumerate() {
                for k in &got[w[0]..w[1]] {
                    assert_eq!(c.bucket(k.ordered()), bucket);
                }
            }
        }
        let mut sorted = got.clone();
        sorted.sort_by_key(|k| k.ordered());
        assert!(sorted.iter().zip(&want).all(|(a, b)| a == b), "keys lost");
    }

    #[test]
    fn distribution_is_a_permutation_into_buckets() {
        let mut x = 0x853C_49E6_748F_EA9Bu64;
        let mut next = move || crate::xorshift64(&mut x);
        for n in [
            33, 100, 127, 128, 129, 1000, 4095, 4096, 4097, 70_000, 300_001,
        ] {
            for modulus in [3u64, 1000, u64::MAX] {
                for threads in [1, 2, 3] {
                    let v: Vec<u64> = (0..n).map(|_| next() % modulus).collect();
                    check(v, threads);
                    let v: Vec<u16> = (0..n).map(|_| next() as u16).collect();
                    check(v, threads);
                    let v: Vec<u128> = (0..n).map(|_| u128::from(next() % modulus) << 64).collect();
                    check(v, threads);
                }
            }
        }
    }

    #[test]
    fn sorts_at_every_shape() {
        for threads in [1, 2, 4] {
            for n in [0usize, 1, 65, 1000, 200_000] {
                let v: Vec<u32> = (0..n as u32)
                    .map(|i| i.wrapping_mul(2_654_435_761) % 977)
                    .collect();
                let mut got = v.clone();
                parallel_samplesort(&mut got, false, threads, Base::Samplesort).unwrap();
                let mut want = v;
                want.sort_unstable();
                assert_eq!(got, want, "n={n} threads={threads}");
            }
        }
    }
}
