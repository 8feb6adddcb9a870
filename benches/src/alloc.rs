//! Allocator rows of the matrix, mimalloc-bench style: `alloc/<workload>/<shape>/<impl>`.
//!
//! One iteration performs a fixed amount of work; `items` is the number of allocation
//! calls (alloc + realloc) it makes, so the report's items/s is allocations/s. Every
//! implementation of a row runs the same deterministic sequence, and the checksum (sizes
//! requested plus bytes written into blocks and read back before their free) is equal
//! across them.
//!
//! | workload | shape | what one iteration does |
//! |---|---|---|
//! | `small-short-lived` | `16-128B` | 50 000 allocs of 16–128 B, freed LIFO-ish from a stack of ≤ 128 live blocks (cfrac-like) |
//! | `larson` | `2thr-16B-1K` | 2 threads each allocate 1 000 blocks and swap them; each then replaces 20 000 random slots (the first free of a slot is cross-thread); the main thread frees the rest |
//! | `xmalloc` | `2thr-16-256B` | a producer thread allocates 40 000 blocks, the calling thread frees them (batches of 500 through a channel) |
//! | `realloc-growth` | `64buf` | 64 interleaved buffers doubled from 16 B to 64 KiB, then 64 buffers grown by +64 B 200 times |
//! | `fragmentation` | `16B-8K` | 20 000 mixed-size allocs, every other one freed, 10 000 larger allocs into the holes, all freed |
//!
//! | impl | calls |
//! |---|---|
//! | `arsenal:mimalloc`/`jemalloc`/`rpmalloc`/`snmalloc`/`system` | [`arsenal_alloc::RawAlloc`] on the backend |
//! | `arsenal:bump` | [`arsenal_alloc::Bump`], `reset` at the end of each iteration (single-thread workloads) |
//! | `arsenal:tlsf` | [`arsenal_alloc::Tlsf`] over a 256 MiB owned region (single-thread workloads) |
//! | `raw:mimalloc` | `mi_malloc` / `mi_realloc` / `mi_free` |
//! | `raw:jemalloc` | `mallocx` / `rallocx` / `sdallocx` (flags 0; `_rjem_` symbols) |
//! | `raw:rpmalloc` | `rpmalloc` / `rprealloc` / `rpfree`, threads initialised explicitly |
//! | `raw:snmalloc` | `sn_rust_alloc` / `sn_rust_realloc` / `sn_rust_dealloc` |
//! | `raw:glibc` | `malloc` / `realloc` / `free` |
//!
//! All blocks request alignment 8, so the raw rows use each library's plain entry points
//! and `arsenal/raw` shows the wrapper's cost (including the aligned entry points it
//! picks). [`peak_memory`] gives the memory figure per workload and allocator, measured
//! before the timing runs ([`DOMAIN`]'s `memory`): rows `alloc/memory/<workload>/<impl>`
//! (e.g. `alloc/memory/fragmentation/arsenal:system`).
//!
//! **Verification.** Every block gets a tag written into its first and last byte when
//! allocated (realloc-growth: its last byte again after every realloc), and the tags
//! are read back before the block is freed, so the checksum sees a block that another
//! allocation overlapped or a realloc that lost its contents. Each cell's checksum is
//! expected to equal [`expected_checksum`]: the same sums computed from the workload's
//! definition alone (its random sizes replayed, no allocator involved).

use crate::domain::{Domain, Memory, Selection};
use crate::harness::{Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;
use arsenal_alloc::{Bump, RawAlloc, Tlsf};
use core::alloc::Layout;
use core::ptr::NonNull;
use std::sync::mpsc;

/// The first part of every cell id of this domain.
const NAME: &str = "alloc";

/// The allocator domain (allocations/s), with its memory rows measured before timing.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Allocators",
    register: |reg, _data| register(reg),
    memory: Memory::Before(memory_rows),
    select: Some(Selection {
        krate: "arsenal-alloc",
        pick: pick::<arsenal_alloc::Backend>,
    }),
    ..Domain::EMPTY
};
const ALIGN: usize = 8;
const TLSF_REGION: usize = 256 << 20;

/// The allocation interface the workloads are written against.
trait Heap {
    fn alloc(&self, size: usize) -> *mut u8;
    /// # Safety
    /// `p` is live in this heap with `size`.
    unsafe fn free(&self, p: *mut u8, size: usize);
    /// # Safety
    /// `p` is live in this heap with `old`.
    unsafe fn realloc(&self, p: *mut u8, old: usize, new: usize) -> *mut u8;
    /// Called at the start of every thread a workload spawns (and of each iteration).
    fn thread_start(&self) {}
    /// Called at the end of every thread a workload spawns.
    fn thread_end(&self) {}
}

/// An arsenal allocator through [`RawAlloc`].
struct Ars<'a, A: ?Sized>(&'a A);

#[inline]
fn layout(size: usize) -> Layout {
    // SAFETY: workload sizes are far below `isize::MAX` and `ALIGN` is a power of two.
    unsafe { Layout::from_size_align_unchecked(size, ALIGN) }
}

#[cold]
fn oom(what: &str) -> ! {
    panic!("alloc bench: {what} failed (out of memory)")
}

impl<A: RawAlloc + ?Sized> Heap for Ars<'_, A> {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        match self.0.alloc(layout(size)) {
            Ok(p) => p.as_ptr(),
            Err(_) => oom("alloc"),
        }
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, size: usize) {
        // SAFETY: `p` is live with this layout (caller contract); never null.
        unsafe { self.0.dealloc(NonNull::new_unchecked(p), layout(size)) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is live with `old` (caller contract); never null.
        match unsafe { self.0.realloc(NonNull::new_unchecked(p), layout(old), new) } {
            Ok(q) => q.as_ptr(),
            Err(_) => oom("realloc"),
        }
    }
}

#[inline]
fn check(p: *mut u8) -> *mut u8 {
    if p.is_null() {
        oom("raw alloc")
    }
    p
}

struct RawMimalloc;
impl Heap for RawMimalloc {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        // SAFETY: plain allocation call.
        check(unsafe { libmimalloc_sys::mi_malloc(size) }.cast())
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, _size: usize) {
        // SAFETY: `p` is a live mimalloc block.
        unsafe { libmimalloc_sys::mi_free(p.cast()) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, _old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is a live mimalloc block.
        check(unsafe { libmimalloc_sys::mi_realloc(p.cast(), new) }.cast())
    }
}

struct RawJemalloc;
impl Heap for RawJemalloc {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        // SAFETY: plain allocation call.
        check(unsafe { tikv_jemalloc_sys::mallocx(size, 0) }.cast())
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, size: usize) {
        // SAFETY: `p` is a live jemalloc block of `size`.
        unsafe { tikv_jemalloc_sys::sdallocx(p.cast(), size, 0) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, _old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is a live jemalloc block.
        check(unsafe { tikv_jemalloc_sys::rallocx(p.cast(), new, 0) }.cast())
    }
}

mod rp_fix {
    extern "C" {
        /// rpmalloc 1.4's signature (`rpmalloc-sys` omits the parameter).
        pub fn rpmalloc_thread_finalize(release_caches: core::ffi::c_int);
    }
}

struct RawRpmalloc;
impl Heap for RawRpmalloc {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        // SAFETY: the thread was initialised by `thread_start`.
        check(unsafe { rpmalloc_sys::rpmalloc(size) }.cast())
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, _size: usize) {
        // SAFETY: `p` is a live rpmalloc block.
        unsafe { rpmalloc_sys::rpfree(p.cast()) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, _old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is a live rpmalloc block.
        check(unsafe { rpmalloc_sys::rprealloc(p.cast(), new) }.cast())
    }
    fn thread_start(&self) {
        // SAFETY: the process was initialised in `register`; these only touch this
        // thread's heap.
        unsafe {
            if rpmalloc_sys::rpmalloc_is_thread_initialized() == 0 {
                rpmalloc_sys::rpmalloc_thread_initialize();
            }
        }
    }
    fn thread_end(&self) {
        // SAFETY: hands this thread's heap back; it allocates no more.
        unsafe { rp_fix::rpmalloc_thread_finalize(1) }
    }
}

struct RawSnmalloc;
impl Heap for RawSnmalloc {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        // SAFETY: valid size and alignment.
        check(unsafe { snmalloc_sys::sn_rust_alloc(ALIGN, size) }.cast())
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, size: usize) {
        // SAFETY: `p` is a live snmalloc block of `size`.
        unsafe { snmalloc_sys::sn_rust_dealloc(p.cast(), ALIGN, size) };
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is a live snmalloc block of `old`.
        check(unsafe { snmalloc_sys::sn_rust_realloc(p.cast(), ALIGN, old, new) }.cast())
    }
}

struct RawGlibc;
impl Heap for RawGlibc {
    #[inline]
    fn alloc(&self, size: usize) -> *mut u8 {
        // SAFETY: plain allocation call.
        check(unsafe { libc::malloc(size) }.cast())
    }
    #[inline]
    unsafe fn free(&self, p: *mut u8, _size: usize) {
        // SAFETY: `p` is a live malloc block.
        unsafe { libc::free(p.cast()) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, _old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p` is a live malloc block.
        check(unsafe { libc::realloc(p.cast(), new) }.cast())
    }
}

/// xorshift64*, so every implementation sees the same sequence.
struct Rng(u64);
impl Rng {
    #[inline]
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    #[inline]
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    /// Log-uniform in `lo..=hi`.
    #[inline]
    fn log_range(&mut self, lo: usize, hi: usize) -> usize {
        let bits = (usize::BITS - hi.leading_zeros()) as u64;
        let top = 1usize << (self.next() % bits);
        (top + (self.next() as usize & (top - 1))).clamp(lo, hi)
    }
}

/// Writes a tag into the first and last byte of a fresh block.
///
/// # Safety
/// `p` is valid for `size >= 1` bytes.
#[inline]
unsafe fn stamp(p: *mut u8, size: usize, tag: u8) {
    // SAFETY: caller contract.
    unsafe {
        *p = tag;
        *p.add(size - 1) = tag;
    }
}

/// Reads the tags back (summed into the checksum).
///
/// # Safety
/// `p` is valid for `size >= 1` bytes.
#[inline]
unsafe fn read(p: *mut u8, size: usize) -> u64 {
    // SAFETY: caller contract.
    unsafe { u64::from(*p) + u64::from(*p.add(size - 1)) }
}

const SSL_ALLOCS: usize = 50_000;

fn small_short_lived<H: Heap>(h: &H, probe: &mut dyn FnMut()) -> u64 {
    h.thread_start();
    let mut rng = Rng(0x5EED_0001);
    let mut stack = [(core::ptr::null_mut::<u8>(), 0usize); 128];
    let (mut depth, mut sum) = (0usize, 0u64);
    let mut peak_seen = false;
    for i in 0..SSL_ALLOCS {
        let r = rng.next();
        // Pop a few (LIFO) before each push, more when the stack is deep.
        let pops = (r >> 40) as usize % (1 + depth / 32 + 2);
        for _ in 0..pops.min(depth) {
            depth -= 1;
            let (p, s) = stack[depth];
            // SAFETY: a live block of `s` bytes.
            unsafe {
                sum += read(p, s);
                h.free(p, s);
            }
        }
        if depth == stack.len() {
            if !peak_seen {
                probe();
                peak_seen = true;
            }
            depth -= 1;
            let (p, s) = stack[depth];
            // SAFETY: as above.
            unsafe {
                sum += read(p, s);
                h.free(p, s);
            }
        }
        let size = 16 + (r % 113) as usize;
        let p = h.alloc(size);
        // SAFETY: a fresh block of `size` bytes.
        unsafe { stamp(p, size, i as u8) };
        stack[depth] = (p, size);
        depth += 1;
        sum += size as u64;
    }
    if !peak_seen {
        probe();
    }
    while depth > 0 {
        depth -= 1;
        let (p, s) = stack[depth];
        // SAFETY: as above.
        unsafe {
            sum += read(p, s);
            h.free(p, s);
        }
    }
    sum
}

const LARSON_SLOTS: usize = 1000;
const LARSON_ROUNDS: usize = 20_000;

/// Block addresses as integers, so they can cross threads.
type Blocks = Vec<(usize, usize)>;

fn larson<H: Heap + Sync>(h: &H, probe: &mut dyn FnMut()) -> u64 {
    h.thread_start();
    let worker = |seed: u64, tx: mpsc::Sender<Blocks>, rx: mpsc::Receiver<Blocks>| {
        h.thread_start();
        let mut rng = Rng(seed);
        let mut sum = 0u64;
        let mine: Blocks = (0..LARSON_SLOTS)
            .map(|i| {
                let s = rng.range(16, 1024);
                let p = h.alloc(s);
                // SAFETY: a fresh block of `s` bytes.
                unsafe { stamp(p, s, i as u8) };
                sum += s as u64;
                (p as usize, s)
            })
            .collect();
        let _ = tx.send(mine);
        let mut slots = rx.recv().unwrap_or_default();
        for i in 0..LARSON_ROUNDS {
            let k = rng.range(0, slots.len() - 1);
            let (p, s) = slots[k];
            // SAFETY: a live block (at first the other thread's: a cross-thread free).
            unsafe {
                sum += read(p as *mut u8, s);
                h.free(p as *mut u8, s);
            }
            let s = rng.range(16, 1024);
            let p = h.alloc(s);
            // SAFETY: a fresh block of `s` bytes.
            unsafe { stamp(p, s, i as u8) };
            sum += s as u64;
            slots[k] = (p as usize, s);
        }
        h.thread_end();
        (sum, slots)
    };
    let (tx_a, rx_b) = mpsc::channel();
    let (tx_b, rx_a) = mpsc::channel();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(move || worker(0xA1, tx_a, rx_a));
        let b = s.spawn(move || worker(0xB2, tx_b, rx_b));
        (a.join(), b.join())
    });
    let (Ok((sa, la)), Ok((sb, lb))) = (a, b) else {
        panic!("larson worker panicked")
    };
    probe();
    let mut sum = sa + sb;
    for (p, s) in la.into_iter().chain(lb) {
        // SAFETY: live blocks handed back by the workers.
        unsafe {
            sum += read(p as *mut u8, s);
            h.free(p as *mut u8, s);
        }
    }
    sum
}

const XMALLOC_ALLOCS: usize = 40_000;
const XMALLOC_BATCH: usize = 500;

fn xmalloc<H: Heap + Sync>(h: &H, probe: &mut dyn FnMut()) -> u64 {
    let (tx, rx) = mpsc::sync_channel::<Blocks>(4);
    let (produced, consumed) = std::thread::scope(|s| {
        let producer = s.spawn(move || {
            h.thread_start();
            let mut rng = Rng(0x0C0FFEE);
            let mut sum = 0u64;
            let mut batch = Vec::with_capacity(XMALLOC_BATCH);
            for i in 0..XMALLOC_ALLOCS {
                let size = rng.range(16, 256);
                let p = h.alloc(size);
                // SAFETY: a fresh block of `size` bytes.
                unsafe { stamp(p, size, i as u8) };
                sum += size as u64;
                batch.push((p as usize, size));
                if batch.len() == XMALLOC_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(XMALLOC_BATCH));
                    if tx.send(full).is_err() {
                        break;
                    }
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            h.thread_end();
            sum
        });
        // The consumer is the calling thread.
        h.thread_start();
        let mut sum = 0u64;
        for (n, batch) in rx.into_iter().enumerate() {
            for (p, size) in batch {
                // SAFETY: a live block handed over by the producer.
                unsafe {
                    sum += read(p as *mut u8, size);
                    h.free(p as *mut u8, size);
                }
            }
            if n == XMALLOC_ALLOCS / XMALLOC_BATCH / 2 {
                probe();
            }
        }
        (producer.join(), Ok::<u64, ()>(sum))
    });
    match (produced, consumed) {
        (Ok(a), Ok(b)) => a + b,
        _ => panic!("xmalloc thread panicked"),
    }
}

const GROWTH_BUFS: usize = 64;
const GROWTH_STEPS: usize = 200;

fn realloc_growth<H: Heap>(h: &H, probe: &mut dyn FnMut()) -> u64 {
    h.thread_start();
    let mut sum = 0u64;
    // Doubling, interleaved so neighbours block in-place growth.
    let mut bufs: Vec<(*mut u8, usize)> = (0..GROWTH_BUFS)
        .map(|i| {
            let p = h.alloc(16);
            // SAFETY: a fresh 16-byte block.
            unsafe { stamp(p, 16, i as u8) };
            (p, 16)
        })
        .collect();
    while bufs[0].1 < 64 * 1024 {
        for (i, (p, s)) in bufs.iter_mut().enumerate() {
            // SAFETY: a live block of `*s` bytes; the first byte survives the realloc.
            unsafe {
                let q = h.realloc(*p, *s, *s * 2);
                sum += u64::from(*q);
                *s *= 2;
                *q.add(*s - 1) = i as u8;
                *p = q;
            }
        }
    }
    probe();
    for (p, s) in bufs.drain(..) {
        // SAFETY: live blocks.
        unsafe {
            sum += read(p, s);
            h.free(p, s);
        }
    }
    // +64 bytes at a time.
    let mut bufs: Vec<(*mut u8, usize)> = (0..GROWTH_BUFS)
        .map(|i| {
            let p = h.alloc(64);
            // SAFETY: a fresh 64-byte block.
            unsafe { stamp(p, 64, i as u8) };
            (p, 64)
        })
        .collect();
    for _ in 0..GROWTH_STEPS {
        for (i, (p, s)) in bufs.iter_mut().enumerate() {
            // SAFETY: as above.
            unsafe {
                let q = h.realloc(*p, *s, *s + 64);
                sum += u64::from(*q);
                *s += 64;
                *q.add(*s - 1) = i as u8;
                *p = q;
            }
        }
    }
    for (p, s) in bufs {
        // SAFETY: live blocks.
        unsafe {
            sum += read(p, s);
            h.free(p, s);
        }
    }
    sum
}

fn growth_items() -> u64 {
    let doublings = (64 * 1024 / 16u64).trailing_zeros() as u64;
    (GROWTH_BUFS as u64) * (1 + doublings) + (GROWTH_BUFS as u64) * (1 + GROWTH_STEPS as u64)
}

const FRAG_FIRST: usize = 20_000;
const FRAG_SECOND: usize = 10_000;

fn fragmentation<H: Heap>(h: &H, probe: &mut dyn FnMut()) -> u64 {
    h.thread_start();
    let mut rng = Rng(0xF2A6);
    let mut sum = 0u64;
    let mut blocks: Vec<(*mut u8, usize)> = (0..FRAG_FIRST)
        .map(|i| {
            let s = rng.log_range(16, 4096);
            let p = h.alloc(s);
            // SAFETY: a fresh block of `s` bytes.
            unsafe { stamp(p, s, i as u8) };
            sum += s as u64;
            (p, s)
        })
        .collect();
    let mut kept = Vec::with_capacity(FRAG_FIRST / 2 + FRAG_SECOND);
    for (i, (p, s)) in blocks.drain(..).enumerate() {
        if i % 2 == 0 {
            // SAFETY: a live block.
            unsafe {
                sum += read(p, s);
                h.free(p, s);
            }
        } else {
            kept.push((p, s));
        }
    }
    for i in 0..FRAG_SECOND {
        let s = rng.log_range(32, 8192);
        let p = h.alloc(s);
        // SAFETY: a fresh block of `s` bytes.
        unsafe { stamp(p, s, i as u8) };
        sum += s as u64;
        kept.push((p, s));
    }
    probe();
    for (p, s) in kept {
        // SAFETY: live blocks.
        unsafe {
            sum += read(p, s);
            h.free(p, s);
        }
    }
    sum
}

type Workload<H> = fn(&H, &mut dyn FnMut()) -> u64;

/// A workload: name, shape, items per iteration, whether it is single-threaded, and its
/// function for every heap type we bench.
struct Spec {
    op: &'static str,
    shape: &'static str,
    items: u64,
    threads: bool,
}

fn specs() -> [Spec; 5] {
    [
        Spec {
            op: "small-short-lived",
            shape: "16-128B",
            items: SSL_ALLOCS as u64,
            threads: false,
        },
        Spec {
            op: "larson",
            shape: "2thr-16B-1K",
            items: 2 * (LARSON_SLOTS + LARSON_ROUNDS) as u64,
            threads: true,
        },
        Spec {
            op: "xmalloc",
            shape: "2thr-16-256B",
            items: XMALLOC_ALLOCS as u64,
            threads: true,
        },
        Spec {
            op: "realloc-growth",
            shape: "64buf",
            items: growth_items(),
            threads: false,
        },
        Spec {
            op: "fragmentation",
            shape: "16B-8K",
            items: (FRAG_FIRST + FRAG_SECOND) as u64,
            threads: false,
        },
    ]
}

/// The workload function of `op` for a thread-safe heap.
fn shared_workload<H: Heap + Sync>(op: &str) -> Workload<H> {
    match op {
        "small-short-lived" => small_short_lived::<H>,
        "larson" => larson::<H>,
        "xmalloc" => xmalloc::<H>,
        "realloc-growth" => realloc_growth::<H>,
        _ => fragmentation::<H>,
    }
}

/// The workload function of a single-thread `op` for a `!Sync` heap.
fn local_workload<H: Heap>(op: &str) -> Workload<H> {
    match op {
        "small-short-lived" => small_short_lived::<H>,
        "realloc-growth" => realloc_growth::<H>,
        _ => fragmentation::<H>,
    }
}

fn noop() {}

/// The checksum of one iteration of workload `op`, from its definition: every block
/// contributes its requested size (where the workload counts sizes) plus its tag twice
/// per read-back, whichever heap serves it; computed without allocating.
///
/// ```
/// let sum = arsenal_bench::alloc::expected_checksum("realloc-growth");
/// assert_eq!(sum, 2016 * (12 + 2 + 200 + 2)); // tags 0..64, 12 doublings, 200 steps
/// ```
pub fn expected_checksum(op: &str) -> u64 {
    /// A block allocated with `size` and stamped with the tag of allocation `i`,
    /// both of its tag bytes read back before its free.
    fn block(size: usize, i: usize) -> u64 {
        size as u64 + 2 * u64::from(i as u8)
    }
    match op {
        "small-short-lived" => {
            let mut rng = Rng(0x5EED_0001);
            (0..SSL_ALLOCS)
                .map(|i| block(16 + (rng.next() % 113) as usize, i))
                .sum()
        }
        "larson" => [0xA1, 0xB2]
            .into_iter()
            .map(|seed| {
                let mut rng = Rng(seed);
                let first: u64 = (0..LARSON_SLOTS)
                    .map(|i| block(rng.range(16, 1024), i))
                    .sum();
                let rounds: u64 = (0..LARSON_ROUNDS)
                    .map(|i| {
                        rng.range(0, LARSON_SLOTS - 1); // the slot replaced
                        block(rng.range(16, 1024), i)
                    })
                    .sum();
                first + rounds
            })
            .sum(),
        "xmalloc" => {
            let mut rng = Rng(0x0C0FFEE);
            (0..XMALLOC_ALLOCS)
                .map(|i| block(rng.range(16, 256), i))
                .sum()
        }
        "realloc-growth" => {
            // Buffer `i` carries tag `i`: each realloc reads its first byte, the final
            // read both; sizes are not counted.
            let doublings = u64::from((64 * 1024 / 16u32).trailing_zeros());
            let per_tag = (doublings + 2) + (GROWTH_STEPS as u64 + 2);
            (0..GROWTH_BUFS as u64).map(|i| i * per_tag).sum()
        }
        "fragmentation" => {
            let mut rng = Rng(0xF2A6);
            let first: u64 = (0..FRAG_FIRST)
                .map(|i| block(rng.log_range(16, 4096), i))
                .sum();
            let second: u64 = (0..FRAG_SECOND)
                .map(|i| block(rng.log_range(32, 8192), i))
                .sum();
            first + second
        }
        other => panic!("no alloc workload {other:?}"),
    }
}

fn add_shared<H: Heap + Sync + 'static>(reg: &mut Registry, spec: &Spec, imp: &str, heap: H) {
    let work = shared_workload::<H>(spec.op);
    reg.add(
        Case::new(NAME, spec.op, spec.shape, imp, 0, spec.items, move || {
            work(&heap, &mut noop)
        })
        .expect(expected_checksum(spec.op)),
    );
}

/// Registers the alloc rows.
pub fn register(reg: &mut Registry) {
    // SAFETY: process-wide rpmalloc setup for the raw rows, from the registering thread
    // (arsenal's Rpmalloc initialises through its own `Once`, which tolerates this).
    unsafe { rpmalloc_sys::rpmalloc_initialize() };
    for spec in specs() {
        add_shared(
            reg,
            &spec,
            "arsenal:mimalloc",
            Ars(&arsenal_alloc::Mimalloc),
        );
        add_shared(reg, &spec, "raw:mimalloc", RawMimalloc);
        add_shared(
            reg,
            &spec,
            "arsenal:jemalloc",
            Ars(&arsenal_alloc::Jemalloc),
        );
        add_shared(reg, &spec, "raw:jemalloc", RawJemalloc);
        add_shared(
            reg,
            &spec,
            "arsenal:rpmalloc",
            Ars(&arsenal_alloc::Rpmalloc),
        );
        add_shared(reg, &spec, "raw:rpmalloc", RawRpmalloc);
        add_shared(
            reg,
            &spec,
            "arsenal:snmalloc",
            Ars(&arsenal_alloc::Snmalloc),
        );
        add_shared(reg, &spec, "raw:snmalloc", RawSnmalloc);
        add_shared(reg, &spec, "arsenal:system", Ars(&arsenal_alloc::System));
        add_shared(reg, &spec, "raw:glibc", RawGlibc);
        if spec.threads {
            continue;
        }
        let op = spec.op;
        let expected = expected_checksum(op);
        let mut bump = Bump::new();
        reg.add(
            Case::new(
                NAME,
                op,
                spec.shape,
                "arsenal:bump",
                0,
                spec.items,
                move || {
                    let sum = local_workload(op)(&Ars(&bump), &mut noop);
                    bump.reset();
                    sum
                },
            )
            .expect(expected),
        );
        match Tlsf::with_capacity(TLSF_REGION) {
            Ok(tlsf) => reg.add(
                Case::new(
                    NAME,
                    op,
                    spec.shape,
                    "arsenal:tlsf",
                    0,
                    spec.items,
                    move || local_workload(op)(&Ars(&tlsf), &mut noop),
                )
                .expect(expected),
            ),
            Err(e) => reg.add(Case::failed(
                NAME,
                op,
                spec.shape,
                "arsenal:tlsf",
                e.to_string(),
            )),
        }
    }
}

/// Resident bytes of this process, from `/proc/self/statm`.
fn resident_bytes() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: `sysconf` has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * page as f64)
}

fn measure<H: Heap>(heap: &H, work: Workload<H>) -> f64 {
    let Some(before) = resident_bytes() else {
        return f64::NAN;
    };
    let mut at_peak = before;
    work(heap, &mut || at_peak = resident_bytes().unwrap_or(f64::NAN));
    (at_peak - before).max(0.0)
}

/// The memory figure of every workload for each allocator (one `arsenal:<lib>` entry per
/// library: the raw rows share the library's heap): `(impl, workload, bytes)`.
///
/// What it measures: the growth of this process's resident set (`/proc/self/statm`)
/// from just before one iteration to the workload's point of most live data (larson:
/// after both threads finish, before the final frees; xmalloc: half way through the
/// consumer; realloc-growth: all 64 buffers at 64 KiB; fragmentation: after the second
/// allocation phase; small-short-lived: the first time the stack is full). Pages an
/// allocator kept resident from earlier work are not counted again, so call this before
/// the timing runs (or in a fresh process) for first-touch figures; the order of the
/// allocators is fixed (mimalloc, jemalloc, rpmalloc, snmalloc, system, bump, tlsf).
/// `NaN` where `/proc` is unavailable.
pub fn peak_memory() -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for spec in specs() {
        let mut row = |imp: &str, bytes: f64| out.push((imp.to_owned(), spec.op.to_owned(), bytes));
        macro_rules! shared {
            ($imp:literal, $a:expr) => {{
                let heap = Ars(&$a);
                row($imp, measure(&heap, shared_workload(spec.op)));
            }};
        }
        shared!("arsenal:mimalloc", arsenal_alloc::Mimalloc);
        shared!("arsenal:jemalloc", arsenal_alloc::Jemalloc);
        shared!("arsenal:rpmalloc", arsenal_alloc::Rpmalloc);
        shared!("arsenal:snmalloc", arsenal_alloc::Snmalloc);
        shared!("arsenal:system", arsenal_alloc::System);
        if !spec.threads {
            let bump = Bump::new();
            row(
                "arsenal:bump",
                measure(&Ars(&bump), local_workload(spec.op)),
            );
            drop(bump);
            if let Ok(tlsf) = Tlsf::with_capacity(TLSF_REGION) {
                row(
                    "arsenal:tlsf",
                    measure(&Ars(&tlsf), local_workload(spec.op)),
                );
            }
        }
    }
    out
}

/// The `alloc/memory/<workload>` rows: resident-set growth up to each workload's point
/// of most live data, per allocator ([`peak_memory`]; measured before the timing runs).
fn memory_rows() -> Vec<MemoryRow> {
    peak_memory()
        .into_iter()
        .map(|(imp, workload, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            what: format!(
                "{workload} run: resident-set growth (/proc/self/statm) from just before \
                 one iteration to its point of most live data"
            ),
            dataset: workload,
            imp,
            items: 1,
            bytes_per_item: Some(bytes).filter(|b| b.is_finite()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cell verifies: its checksum is the one the workload's definition gives.
    #[test]
    fn every_cell_verifies() {
        let mut reg = Registry::new();
        register(&mut reg);
        let rows =
            crate::harness::verify_cases(reg.into_cases(), &mut crate::harness::Progress::hidden());
        // 10 heaps x 5 workloads + bump and tlsf x 3 single-thread workloads.
        assert_eq!(rows.len(), 10 * 5 + 2 * 3);
        for row in &rows {
            assert_eq!(
                row.status,
                crate::harness::Status::Verified,
                "{}: {:?}",
                row.id,
                row.error
            );
        }
    }

    /// A heap that hands out overlapping blocks is caught by the tags.
    #[test]
    fn overlapping_blocks_change_the_checksum() {
        /// Serves every request of up to 64 KiB from one buffer: every block overlaps.
        struct Overlapping(std::cell::UnsafeCell<Vec<u8>>);
        impl Heap for Overlapping {
            fn alloc(&self, _size: usize) -> *mut u8 {
                // SAFETY: one thread; the buffer is never resized.
                unsafe { (*self.0.get()).as_mut_ptr() }
            }
            unsafe fn free(&self, _p: *mut u8, _size: usize) {}
            unsafe fn realloc(&self, p: *mut u8, _old: usize, _new: usize) -> *mut u8 {
                p
            }
        }
        let heap = Overlapping(std::cell::UnsafeCell::new(vec![0; 1 << 16]));
        for op in ["small-short-lived", "fragmentation"] {
            let sum = local_workload(op)(&heap, &mut noop);
            assert_ne!(sum, expected_checksum(op), "{op}");
        }
    }

    /// Every implementation of a row computes the checksum of the workload's definition.
    #[test]
    fn checksums_agree() {
        for spec in specs() {
            let mut sums = Vec::new();
            let mut s = |w: u64| sums.push(w);
            s(shared_workload(spec.op)(
                &Ars(&arsenal_alloc::Mimalloc),
                &mut noop,
            ));
            s(shared_workload(spec.op)(&RawMimalloc, &mut noop));
            s(shared_workload(spec.op)(&RawJemalloc, &mut noop));
            s(shared_workload(spec.op)(
                &Ars(&arsenal_alloc::Rpmalloc),
                &mut noop,
            ));
            s(shared_workload(spec.op)(&RawGlibc, &mut noop));
            if !spec.threads {
                let bump = Bump::new();
                s(local_workload(spec.op)(&Ars(&bump), &mut noop));
                let tlsf = Tlsf::with_capacity(TLSF_REGION).unwrap();
                s(local_workload(spec.op)(&Ars(&tlsf), &mut noop));
            }
            assert!(sums[0] > 0, "{}", spec.op);
            let expected = expected_checksum(spec.op);
            assert!(sums.iter().all(|&x| x == expected), "{}: {sums:?}", spec.op);
        }
    }

    /// The memory figures cover every workload and allocator and are real numbers.
    #[test]
    fn peak_memory_rows() {
        let rows = peak_memory();
        // 5 libraries x 5 workloads + bump and tlsf x 3 single-thread workloads.
        assert_eq!(rows.len(), 5 * 5 + 2 * 3);
        assert!(
            rows.iter().all(|(_, _, b)| b.is_finite() && *b >= 0.0),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|(_, w, b)| w == "fragmentation" && *b > 1e6),
            "fragmentation keeps > 1 MB live: {rows:?}"
        );
    }
}
