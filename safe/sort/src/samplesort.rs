//! Super-scalar samplesort (Sanders & Winkel 2004, with IPS⁴o's equality buckets):
//! up to 255 splitters drawn from a sample, an implicit search tree that classifies a
//! key with `log₂ k` branch-free steps, a bucket oracle, one scatter into scratch
//! space, and recursion on the buckets. The parallel form classifies and scatters the
//! top level in per-thread stripes and then sorts the buckets on the threads.
//!
//! Keys equal to a splitter land in that splitter's equality bucket, which needs no
//! further sorting, so every level makes progress whatever the duplicates. Beyond a
//! recursion depth of 2·log₂ n levels (an adversarial sample), the LSD radix sort
//! finishes the bucket: the worst case stays O(n · key bytes).

use std::mem::MaybeUninit;
use std::thread;

use crate::key::SortKey;
use crate::radix::{assume_init, bucket_starts, radix_sort};
use crate::small::insertion_sort;
use crate::{Error, ErrorKind, Result};

/// At or below this many keys, insertion sort.
const BASE: usize = 32;
/// Sample size per splitter.
const OVERSAMPLE: usize = 4;
/// Below this many keys the parallel sort runs sequentially.
pub(crate) const PARALLEL_MIN: usize = 1 << 16;

/// The splitters of one level: an implicit binary search tree (Eytzinger order, 1-based)
/// over `2^levels - 1` sorted splitter images (the largest repeated to fill it), in
/// fixed arrays so that no lookup needs a bounds check.
struct Classifier<B> {
    tree: [B; 256],
    /// The distinct splitters, ascending, then the largest repeated.
    sorted: [B; 256],
    /// How many of `sorted` are distinct.
    distinct: usize,
    levels: u32,
}

/// Keys classified together: their tree descents are independent, so the CPU overlaps
/// their loads (the "super-scalar" of the algorithm's name).
const UNROLL: usize = 8;

impl<B: crate::key::Bits> Classifier<B> {
    /// The bucket of image `b`: `2i` for keys between splitters `i-1` and `i`, `2i+1` for
    /// keys equal to splitter `i`.
    #[inline(always)]
    fn bucket(&self, b: B) -> usize {
        let mut j = 1usize;
        for _ in 0..self.levels {
            j = 2 * j + usize::from(self.tree[j & 255] < b);
        }
        self.finish(j, b)
    }

    /// Tree node `j` (masked into the array). A volatile read: it keeps the compiler
    /// from turning the eight interleaved descents into vector gathers, which are several
    /// times slower than scalar loads from L1 on CPUs with the Gather Data Sampling
    /// mitigation (Intel since 2023).
    #[inline(always)]
    fn node(&self, j: usize) -> B {
        let p: *const B = &self.tree[j & 255];
        // SAFETY: `p` comes from a reference to an element of `self.tree`: aligned,
        // initialised and live for the duration of the read.
        unsafe { std::ptr::read_volatile(p) }
    }

    #[inline(always)]
    fn finish(&self, j: usize, b: B) -> usize {
        let i = j - (1 << self.levels);
        let eq = i < self.distinct && self.sorted[i & 255] == b;
        2 * i + usize::from(eq)
    }

    /// Classifies `keys` into `oracle` and adds to `counts`.
    #[inline(always)]
    fn classify<K: SortKey<Bits = B>>(&self, keys: &[K], oracle: &mut [u16], counts: &mut [usize]) {
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
                o[u] = c as u16;
                counts[c & 511] += 1;
            }
        }
        for (k, o) in ks.remainder().iter().zip(os.into_remainder()) {
            let c = self.bucket(k.ordered());
            *o = c as u16;
            counts[c & 511] += 1;
        }
    }

    fn buckets(&self) -> usize {
        2 << self.levels
    }
}

/// Draws a sample of `keys` (more than [`BASE`] of them) and returns its classifier.
fn classifier<K: SortKey>(keys: &[K], scratch: &mut [MaybeUninit<K>]) -> Classifier<K::Bits> {
    let n = keys.len();
    // 2^levels buckets, about n/16 per level at the small end, at most 256.
    let mut levels = 1u32;
    while levels < 8 && (1usize << (levels + 1)) * 16 <= n {
        levels += 1;
    }
    let m = (1usize << levels) - 1;
    let s = ((m + 1) * OVERSAMPLE - 1).min(n);
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ n as u64;
    let mut sample: Vec<K> = Vec::with_capacity(s);
    for _ in 0..s {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sample.push(keys[(((x >> 32) * n as u64) >> 32) as usize]);
    }
    if s <= 128 {
        insertion_sort(&mut sample, false);
    } else {
        radix_sort(&mut sample, false, &mut scratch[..s]);
    }
    let first = sample[0].ordered();
    let mut sorted = [first; 256];
    let mut distinct = 0;
    for i in 0..m {
        let b = sample[((i + 1) * s / (m + 1)).min(s - 1)].ordered();
        if distinct == 0 || sorted[distinct - 1] != b {
            sorted[distinct] = b;
            distinct += 1;
        }
    }
    let last = sorted[distinct - 1];
    sorted[distinct..].fill(last);
    let mut tree = [last; 256];
    fn fill<B: Copy>(tree: &mut [B; 256], m: usize, sorted: &[B; 256], j: usize, next: &mut usize) {
        if j <= m {
            fill(tree, m, sorted, 2 * j, next);
            tree[j] = sorted[*next];
            *next += 1;
            fill(tree, m, sorted, 2 * j + 1, next);
        }
    }
    let mut next = 0;
    fill(&mut tree, m, &sorted, 1, &mut next);
    Classifier {
        tree,
        sorted,
        distinct,
        levels,
    }
}

/// Sequential samplesort of `keys` ascending; `scratch` and `oracle` have at least
/// `keys.len()` slots.
fn sort_rec<K: SortKey>(
    keys: &mut [K],
    scratch: &mut [MaybeUninit<K>],
    oracle: &mut [u16],
    depth: u32,
) {
    let n = keys.len();
    if n <= BASE {
        insertion_sort(keys, false);
        return;
    }
    if depth == 0 {
        radix_sort(keys, false, scratch);
        return;
    }
    let c = classifier(keys, scratch);
    let mut counts = [0usize; 512];
    c.classify(keys, &mut oracle[..n], &mut counts);
    let counts = &counts[..c.buckets()];
    let bounds = distribute(keys, &mut scratch[..n], &oracle[..n], counts);
    let (keys_rest, scratch_rest, oracle_rest) = (keys, scratch, oracle);
    let mut start = 0;
    for (b, &end) in bounds.iter().enumerate() {
        if b % 2 == 0 && end - start > 1 {
            sort_rec(
                &mut keys_rest[start..end],
                &mut scratch_rest[start..end],
                &mut oracle_rest[start..end],
                depth - 1,
            );
        }
        start = end;
    }
}

/// Moves `keys` into bucket order through `scratch`; returns each bucket's end.
fn distribute<K: SortKey>(
    keys: &mut [K],
    scratch: &mut [MaybeUninit<K>],
    oracle: &[u16],
    counts: &[usize],
) -> Vec<usize> {
    let mut ends = vec![0; counts.len()];
    bucket_starts(counts, &mut ends);
    for (k, &o) in keys.iter().zip(oracle) {
        let b = o as usize;
        scratch[ends[b]] = MaybeUninit::new(*k);
        ends[b] += 1;
    }
    // SAFETY: the offsets are prefix sums of the bucket counts of exactly these keys, so
    // every slot of `scratch` (= keys.len() slots) was written once.
    keys.copy_from_slice(unsafe { assume_init(scratch) });
    ends
}

fn max_depth(n: usize) -> u32 {
    2 * (usize::BITS - n.leading_zeros()).max(1)
}

fn scratch_for<K>(n: usize) -> Result<(Vec<MaybeUninit<K>>, Vec<u16>)> {
    let mut scratch: Vec<MaybeUninit<K>> = Vec::new();
    let mut oracle: Vec<u16> = Vec::new();
    scratch
        .try_reserve_exact(n)
        .and_then(|()| oracle.try_reserve_exact(n))
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "samplesort", "scratch space"))?;
    scratch.resize_with(n, MaybeUninit::uninit);
    oracle.resize(n, 0);
    Ok((scratch, oracle))
}

/// Samplesort on the calling thread.
pub(crate) fn samplesort<K: SortKey>(keys: &mut [K], descending: bool) -> Result<()> {
    let n = keys.len();
    if n <= BASE {
        insertion_sort(keys, descending);
        return Ok(());
    }
    let (mut scratch, mut oracle) = scratch_for::<K>(n)?;
    sort_rec(keys, &mut scratch, &mut oracle, max_depth(n));
    if descending {
        keys.reverse();
    }
    Ok(())
}

/// A raw pointer that may cross to the scoped threads.
#[derive(Clone, Copy)]
struct Shared<K>(*mut MaybeUninit<K>);
// SAFETY: the pointer is only used by the scatter below, where each thread writes a
// set of slots disjoint from every other thread's (its own per-bucket ranges), and the
// scope joins all threads before the memory is read or freed.
unsafe impl<K: Send> Send for Shared<K> {}
// SAFETY: as above: shared only for disjoint writes within one thread scope.
unsafe impl<K: Send> Sync for Shared<K> {}

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

/// Samplesort on `threads` worker threads: the top level classified and scattered in
/// stripes, then the buckets sorted by `base`, the largest first, each on the least
/// loaded thread. Below [`PARALLEL_MIN`] keys or with one thread, `base` sorts it all on
/// the calling thread.
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
    let (mut scratch, mut oracle) = scratch_for::<K>(n)?;
    let c = classifier(keys, &mut scratch);
    let nb = c.buckets();
    let stripe = n.div_ceil(threads);
    // 1. Each thread classifies its stripe and counts its buckets.
    let mut counts = vec![[0usize; 512]; threads];
    scoped(|s| {
        let mut handles = Vec::new();
        for ((k, o), cnt) in keys
            .chunks(stripe)
            .zip(oracle.chunks_mut(stripe))
            .zip(counts.iter_mut())
        {
            let c = &c;
            handles.push(spawn(s, move || {
                c.classify(k, o, cnt);
                Ok(())
            })?);
        }
        Ok(handles)
    })?;
    // 2. Offsets: bucket-major, then stripe.
    let mut offsets = vec![vec![0usize; nb]; threads];
    let mut ends = Vec::with_capacity(nb);
    let mut sum = 0;
    for b in 0..nb {
        for t in 0..threads {
            offsets[t][b] = sum;
            sum += counts[t][b];
        }
        ends.push(sum);
    }
    // 3. Each thread scatters its stripe to its own ranges of the scratch space.
    let out = Shared(scratch.as_mut_ptr());
    scoped(|s| {
        let mut handles = Vec::new();
        for ((k, o), off) in keys
            .chunks(stripe)
            .zip(oracle.chunks(stripe))
            .zip(offsets.iter_mut())
        {
            handles.push(spawn(s, move || {
                let out = out;
                for (k, &b) in k.iter().zip(o) {
                    let b = b as usize;
                    // SAFETY: slot off[b] lies in this thread's range of bucket b
                    // (offsets[t][b] .. + counts[t][b]), which no other thread writes, and
                    // within the n slots of the scratch space.
                    unsafe { out.0.add(off[b]).write(MaybeUninit::new(*k)) };
                    off[b] += 1;
                }
                Ok(())
            })?);
        }
        Ok(handles)
    })?;
    // SAFETY: the threads wrote every one of the n slots (their ranges partition 0..n)
    // and were joined.
    keys.copy_from_slice(unsafe { assume_init(&scratch) });
    // 4. Sort the buckets: the largest first, each to the least loaded thread.
    let mut work: Vec<Vec<Bucket<'_, K>>> = (0..threads).map(|_| Vec::new()).collect();
    let mut load = vec![0usize; threads];
    let mut pieces = Vec::new();
    let (mut k_rest, mut s_rest, mut o_rest) = (&mut *keys, &mut scratch[..], &mut oracle[..]);
    let mut start = 0;
    for (b, &end) in ends.iter().enumerate() {
        let len = end - start;
        let (k, kr) = std::mem::take(&mut k_rest).split_at_mut(len);
        let (s, sr) = std::mem::take(&mut s_rest).split_at_mut(len);
        let (o, or) = std::mem::take(&mut o_rest).split_at_mut(len);
        (k_rest, s_rest, o_rest) = (kr, sr, or);
        if b % 2 == 0 && len > 1 {
            pieces.push((k, s, o));
        }
        start = end;
    }
    pieces.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    for p in pieces {
        let t = (0..threads).min_by_key(|&t| load[t]).unwrap_or(0);
        load[t] += p.0.len();
        work[t].push(p);
    }
    let depth = max_depth(n) - 1;
    scoped(|s| {
        let mut handles = Vec::new();
        for list in work {
            handles.push(spawn(s, move || {
                for (k, s, o) in list {
                    match base {
                        Base::Samplesort => sort_rec(k, s, o, depth),
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

/// One bucket of the parallel sort: its keys, scratch space and oracle slots.
type Bucket<'a, K> = (&'a mut [K], &'a mut [MaybeUninit<K>], &'a mut [u16]);

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
