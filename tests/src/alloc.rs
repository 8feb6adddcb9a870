//! The allocator conformance suite, generic over [`arsenal_alloc::RawAlloc`].
//!
//! Instantiate with [`alloc_conformance!`](crate::alloc_conformance): every backend gets
//! deterministic random alloc/realloc/free sequences with content checks, an alignment
//! sweep, zero-size and huge requests, `usable_size`, the `allocator_api2` `Vec`, and the
//! thread-safe ones cross-thread frees and the [`arsenal_alloc::Global`] adapter.

use crate::data::Rng;
use arsenal_alloc::allocator_api2::{self, alloc::Allocator};
use arsenal_alloc::{ErrorKind, Global, RawAlloc};
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::NonNull;

/// A table of 251-periodic bytes: the pattern of a block tagged `tag` is the slice that
/// starts at `tag % 251`, so fill is a `memcpy` and verify a `memcmp` (fast even in debug
/// builds).
fn table() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..(1usize << 20) + 256)
            .map(|i| (i % 251) as u8 ^ 0x5A)
            .collect()
    })
}

fn pattern(tag: u32, len: usize) -> &'static [u8] {
    let off = (tag % 251) as usize;
    &table()[off..off + len]
}

/// Fills `len` bytes at `p` with the pattern of `tag`.
///
/// # Safety
/// `p` is valid for `len` bytes of writes.
unsafe fn fill(p: NonNull<u8>, len: usize, tag: u32) {
    let src = pattern(tag, len);
    // SAFETY: `p` is valid for `len` bytes (caller contract) and cannot overlap the table.
    unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), p.as_ptr(), len) };
}

/// Asserts the first `len` bytes at `p` hold the pattern of `tag`.
///
/// # Safety
/// `p` is valid for `len` bytes of reads.
unsafe fn verify(p: NonNull<u8>, len: usize, tag: u32, what: &str) {
    // SAFETY: caller contract.
    let got = unsafe { core::slice::from_raw_parts(p.as_ptr(), len) };
    if got != pattern(tag, len) {
        let i = (0..len)
            .find(|&i| got[i] != pattern(tag, len)[i])
            .unwrap_or(0);
        panic!("{what}: byte {i} of a {len}-byte block tagged {tag} corrupted");
    }
}

fn is_zeroed(p: NonNull<u8>, len: usize) -> bool {
    static ZEROS: [u8; 4096] = [0; 4096];
    // SAFETY: callers pass a live block of `len` bytes.
    let bytes = unsafe { core::slice::from_raw_parts(p.as_ptr(), len) };
    bytes.chunks(4096).all(|c| c == &ZEROS[..c.len()])
}

fn log_size(rng: &mut Rng, max_size: usize) -> usize {
    let bits = usize::BITS - max_size.leading_zeros();
    let top = 1usize << rng.below(u64::from(bits));
    (top + rng.below(top as u64) as usize).clamp(1, max_size)
}

fn aligned(p: NonNull<u8>, align: usize) -> bool {
    p.as_ptr() as usize % align == 0
}

/// `ops` random operations (alloc, alloc_zeroed, realloc, free) with up to 512 live
/// blocks of 1..=`max_size` bytes and alignments up to `max_align`; every block carries
/// a pattern that is verified before each free and after each realloc.
pub fn check_random_ops<A: RawAlloc + ?Sized>(
    a: &A,
    ops: usize,
    max_size: usize,
    max_align: usize,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    let mut live: Vec<(NonNull<u8>, Layout, u32)> = Vec::new();
    let align_bits = max_align.trailing_zeros() as u64 + 1;
    for op in 0..ops {
        let tag = op as u32;
        let choice = rng.below(10);
        if live.is_empty() || (choice < 5 && live.len() < 512) {
            let size = log_size(&mut rng, max_size);
            let align = if rng.below(4) == 0 {
                1usize << rng.below(align_bits)
            } else {
                8.min(max_align)
            };
            let layout = Layout::from_size_align(size, align).unwrap();
            let zeroed = rng.below(4) == 0;
            let p = if zeroed {
                a.alloc_zeroed(layout)
            } else {
                a.alloc(layout)
            }
            .unwrap_or_else(|e| panic!("{}: alloc {layout:?}: {e}", a.name()));
            assert!(
                aligned(p, align),
                "{}: {p:?} not aligned to {align}",
                a.name()
            );
            if zeroed {
                assert!(is_zeroed(p, size), "{}: alloc_zeroed", a.name());
            }
            // SAFETY: as above.
            unsafe { fill(p, size, tag) };
            live.push((p, layout, tag));
        } else if choice < 8 {
            let (p, layout, t) = live.swap_remove(rng.below(live.len() as u64) as usize);
            // SAFETY: `p` is live with `layout` and holds the pattern of `t`.
            unsafe {
                verify(p, layout.size(), t, a.name());
                a.dealloc(p, layout);
            }
        } else {
            let i = rng.below(live.len() as u64) as usize;
            let (p, layout, t) = live[i];
            let new_size = log_size(&mut rng, max_size);
            // SAFETY: `p` is live with `layout`.
            let q = unsafe { a.realloc(p, layout, new_size) }
                .unwrap_or_else(|e| panic!("{}: realloc to {new_size}: {e}", a.name()));
            assert!(
                aligned(q, layout.align()),
                "{}: realloc lost alignment",
                a.name()
            );
            let new = Layout::from_size_align(new_size, layout.align()).unwrap();
            // SAFETY: `q` is live with `new`; the kept prefix holds the old pattern.
            unsafe {
                verify(q, layout.size().min(new_size), t, "after realloc");
                fill(q, new_size, tag);
            }
            live[i] = (q, new, tag);
        }
    }
    for (p, layout, t) in live {
        // SAFETY: `p` is live with `layout`.
        unsafe {
            verify(p, layout.size(), t, a.name());
            a.dealloc(p, layout);
        }
    }
}

/// Every power-of-two alignment up to `max_align` with several sizes up to `max_size`:
/// alloc, alloc_zeroed and realloc keep the alignment and the contents.
pub fn check_alignment_sweep<A: RawAlloc + ?Sized>(a: &A, max_size: usize, max_align: usize) {
    let mut align = 1;
    while align <= max_align {
        for size in [1usize, 7, 16, 100, 1000, 4096, 10_000] {
            let size = size.min(max_size);
            let layout = Layout::from_size_align(size, align).unwrap();
            let p = a.alloc(layout).unwrap();
            assert!(aligned(p, align), "{}: align {align} size {size}", a.name());
            // SAFETY: `p` is live with `layout`.
            unsafe { fill(p, size, 7) };
            let grown = (size * 2 + 1).min(max_size);
            // SAFETY: `p` is live with `layout`.
            let q = unsafe { a.realloc(p, layout, grown) }.unwrap();
            assert!(aligned(q, align), "{}: realloc align {align}", a.name());
            // SAFETY: `q` is live with `grown` bytes.
            unsafe {
                verify(q, size.min(grown), 7, "sweep realloc");
                a.dealloc(q, Layout::from_size_align(grown, align).unwrap());
            }
            let z = a.alloc_zeroed(layout).unwrap();
            assert!(aligned(z, align));
            assert!(is_zeroed(z, size), "{}: zeroed", a.name());
            // SAFETY: `z` is live with `layout`.
            unsafe { a.dealloc(z, layout) };
        }
        align *= 2;
    }
}

/// Zero-size requests: a non-null pointer aligned as asked, free is a no-op, realloc to
/// and from zero works.
pub fn check_zero_size<A: RawAlloc + ?Sized>(a: &A, max_align: usize) {
    let mut align = 1;
    while align <= max_align {
        let zero = Layout::from_size_align(0, align).unwrap();
        let p = a.alloc(zero).unwrap();
        assert!(aligned(p, align));
        assert!(aligned(a.alloc_zeroed(zero).unwrap(), align));
        // SAFETY: a zero-size block of `a`.
        unsafe {
            assert_eq!(a.usable_size(p, zero), 0);
            let q = a.realloc(p, zero, 10).unwrap();
            assert!(aligned(q, align));
            fill(q, 10, 3);
            let ten = Layout::from_size_align(10, align).unwrap();
            let r = a.realloc(q, ten, 0).unwrap();
            assert!(aligned(r, align));
            a.dealloc(r, zero);
            a.dealloc(p, zero);
        }
        align *= 2;
    }
}

/// Requests no machine can serve give `Err` (OutOfMemory or Unsupported), never an
/// abort; a failed realloc leaves the old block intact.
pub fn check_huge<A: RawAlloc + ?Sized>(a: &A) {
    let max = isize::MAX as usize;
    for (size, align) in [
        (max - 4095, 1usize),
        (max - 8191, 4096),
        (1usize << 62, 8),
        (1usize << 50, 16),
        (1usize << 49, 64),
    ] {
        let layout = Layout::from_size_align(size, align).unwrap();
        for zeroed in [false, true] {
            let r = if zeroed {
                a.alloc_zeroed(layout)
            } else {
                a.alloc(layout)
            };
            let e = r.expect_err("a huge request succeeded");
            assert!(
                matches!(e.kind(), ErrorKind::OutOfMemory | ErrorKind::Unsupported),
                "{e}"
            );
            assert_eq!(e.backend(), a.name());
        }
    }
    let small = Layout::from_size_align(32, 8).unwrap();
    let p = a.alloc(small).unwrap();
    // SAFETY: `p` is live with `small`; after the failed realloc it still is.
    unsafe {
        fill(p, 32, 9);
        assert!(a.realloc(p, small, max - 4095).is_err());
        verify(p, 32, 9, "after failed realloc");
        a.dealloc(p, small);
    }
}

/// `usable_size` is at least the request, and all of it is writable.
pub fn check_usable_size<A: RawAlloc + ?Sized>(a: &A, max_size: usize) {
    let mut blocks = Vec::new();
    for size in [1usize, 3, 24, 100, 255, 1000, 5000, 70_000] {
        let size = size.min(max_size);
        let layout = Layout::from_size_align(size, 8).unwrap();
        let p = a.alloc(layout).unwrap();
        // SAFETY: `p` is live with `layout`.
        let usable = unsafe { a.usable_size(p, layout) };
        assert!(usable >= size, "{}: usable {usable} < {size}", a.name());
        // SAFETY: the allocator says `usable` bytes are the block's.
        unsafe { fill(p, usable, size as u32) };
        blocks.push((p, layout, usable));
    }
    for (p, layout, usable) in blocks {
        // SAFETY: live blocks; a neighbour's writes would have broken the pattern.
        unsafe {
            verify(p, usable, layout.size() as u32, "usable_size");
            a.dealloc(p, layout);
        }
    }
}

/// `allocator_api2` collections on the allocator (buffers up to `max_size` bytes).
pub fn check_api2_vec<A: Allocator>(a: &A, max_size: usize) {
    let n = (max_size / 8).min(10_000) as u64;
    let mut v = allocator_api2::vec::Vec::new_in(a);
    for i in 0..n {
        v.push(i);
    }
    assert_eq!(v.iter().sum::<u64>(), n * (n - 1) / 2);
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(v.iter().sum::<u64>(), 45);
    let b = allocator_api2::boxed::Box::new_in([7u8; 100], a);
    assert!(b.iter().all(|&x| x == 7));
    let len = max_size.min(1 << 16);
    let mut big = allocator_api2::vec::Vec::<u8, _>::with_capacity_in(1, a);
    big.resize(len, 5);
    assert_eq!(big.iter().map(|&x| x as usize).sum::<usize>(), 5 * len);
}

/// The [`Global`] adapter through the [`GlobalAlloc`] trait: blocks, zeroing, realloc
/// and null for huge requests.
pub fn check_global<A: RawAlloc + Sync>(a: A) {
    let g = Global::new(a);
    let layout = Layout::from_size_align(100, 32).unwrap();
    // SAFETY: `GlobalAlloc` contract: non-zero size, blocks freed with their layout.
    unsafe {
        let p = g.alloc(layout);
        assert!(!p.is_null() && p as usize % 32 == 0);
        fill(NonNull::new(p).unwrap(), 100, 4);
        let q = g.realloc(p, layout, 5000);
        assert!(!q.is_null() && q as usize % 32 == 0);
        verify(NonNull::new(q).unwrap(), 100, 4, "global realloc");
        g.dealloc(q, Layout::from_size_align(5000, 32).unwrap());
        let z = g.alloc_zeroed(layout);
        assert!(is_zeroed(NonNull::new(z).unwrap(), 100));
        g.dealloc(z, layout);
        let huge = Layout::from_size_align(isize::MAX as usize - 4095, 8).unwrap();
        assert!(g.alloc(huge).is_null());
    }
}

/// Blocks allocated on one thread and freed on another, in both directions at once,
/// plus concurrent random sequences.
pub fn check_cross_thread<A: RawAlloc + Sync>(a: &A) {
    const N: usize = 3000;
    let produce = |seed: u64, tx: std::sync::mpsc::SyncSender<(usize, Layout, u32)>| {
        let mut rng = Rng::new(seed);
        for i in 0..N {
            let layout = Layout::from_size_align(log_size(&mut rng, 4096), 8).unwrap();
            let p = a.alloc(layout).unwrap();
            // SAFETY: `p` is live with `layout`.
            unsafe { fill(p, layout.size(), i as u32) };
            tx.send((p.as_ptr() as usize, layout, i as u32)).unwrap();
        }
    };
    let consume = |rx: std::sync::mpsc::Receiver<(usize, Layout, u32)>| {
        let mut n = 0;
        for (addr, layout, tag) in rx {
            let p = NonNull::new(addr as *mut u8).unwrap();
            // SAFETY: the producer handed over a live block of `layout`.
            unsafe {
                verify(p, layout.size(), tag, "cross-thread");
                a.dealloc(p, layout);
            }
            n += 1;
        }
        n
    };
    std::thread::scope(|s| {
        let (tx1, rx1) = std::sync::mpsc::sync_channel(64);
        let (tx2, rx2) = std::sync::mpsc::sync_channel(64);
        s.spawn(move || produce(1, tx1));
        s.spawn(move || produce(2, tx2));
        let c1 = s.spawn(move || consume(rx1));
        let c2 = s.spawn(move || consume(rx2));
        assert_eq!(c1.join().unwrap(), N);
        assert_eq!(c2.join().unwrap(), N);
        s.spawn(|| check_random_ops(a, 4000, 2048, 64, 11));
        s.spawn(|| check_random_ops(a, 4000, 2048, 64, 12));
    });
}

/// Instantiates the suite for an allocator:
/// `alloc_conformance!(name, constructor_expr, max_size = N, max_align = N, threads | local)`.
/// `threads` adds the cross-thread and `Global` tests (the type must be `Sync`).
#[macro_export]
macro_rules! alloc_conformance {
    ($name:ident, $make:expr, max_size = $ms:expr, max_align = $ma:expr, $kind:ident) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::alloc as suite;

            #[test]
            fn random_ops() {
                let a = $make;
                suite::check_random_ops(&a, 20_000, $ms, $ma, 0xA110C);
            }

            #[test]
            fn alignment_sweep() {
                let a = $make;
                suite::check_alignment_sweep(&a, $ms, $ma);
            }

            #[test]
            fn zero_size() {
                let a = $make;
                suite::check_zero_size(&a, $ma);
            }

            #[test]
            fn huge_requests() {
                let a = $make;
                suite::check_huge(&a);
            }

            #[test]
            fn usable_size() {
                let a = $make;
                suite::check_usable_size(&a, $ms);
            }

            #[test]
            fn api2_vec() {
                let a = $make;
                suite::check_api2_vec(&a, $ms);
            }

            $crate::alloc_conformance!(@$kind, $make);
        }
    };
    (@threads, $make:expr) => {
        #[test]
        fn cross_thread() {
            let a = $make;
            suite::check_cross_thread(&a);
        }

        #[test]
        fn global_adapter() {
            suite::check_global($make);
        }
    };
    (@local, $make:expr) => {};
}
