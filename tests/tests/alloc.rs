//! The allocator conformance suite, once per backend, plus the native allocators' own
//! properties (arena reset, slab reuse, pool classes, TLSF exhaustion and coalescing) and
//! the runtime choice.
#![cfg(feature = "alloc")]

use arsenal_alloc::{AnyAlloc, Backend, Bump, ErrorKind, Pool, RawAlloc, Slab, Tlsf};
use core::alloc::Layout;
use core::mem::MaybeUninit;

#[cfg(feature = "mimalloc")]
arsenal_conformance::alloc_conformance!(
    mimalloc,
    arsenal_alloc::Mimalloc,
    max_size = 1 << 17,
    max_align = 1 << 16,
    threads
);
#[cfg(feature = "jemalloc")]
arsenal_conformance::alloc_conformance!(
    jemalloc,
    arsenal_alloc::Jemalloc,
    max_size = 1 << 17,
    max_align = 1 << 16,
    threads
);
#[cfg(feature = "rpmalloc")]
arsenal_conformance::alloc_conformance!(
    rpmalloc,
    arsenal_alloc::Rpmalloc,
    max_size = 1 << 17,
    max_align = 1 << 15,
    threads
);
#[cfg(feature = "snmalloc")]
arsenal_conformance::alloc_conformance!(
    snmalloc,
    arsenal_alloc::Snmalloc,
    max_size = 1 << 17,
    max_align = 1 << 16,
    threads
);
arsenal_conformance::alloc_conformance!(
    system,
    arsenal_alloc::System,
    max_size = 1 << 17,
    max_align = 1 << 16,
    threads
);
arsenal_conformance::alloc_conformance!(
    bump,
    Bump::new(),
    max_size = 1 << 12,
    max_align = 1 << 16,
    local
);
arsenal_conformance::alloc_conformance!(
    slab,
    Slab::new(Layout::from_size_align(256, 64).unwrap()).unwrap(),
    max_size = 256,
    max_align = 64,
    local
);
arsenal_conformance::alloc_conformance!(
    pool,
    Pool::new(),
    max_size = Pool::MAX_SIZE,
    max_align = 4096,
    local
);
arsenal_conformance::alloc_conformance!(
    tlsf,
    Tlsf::with_capacity(64 << 20).unwrap(),
    max_size = 1 << 17,
    max_align = 1 << 16,
    local
);
arsenal_conformance::alloc_conformance!(
    any_tlsf,
    AnyAlloc::new(Backend::Tlsf).unwrap(),
    max_size = 1 << 14,
    max_align = 4096,
    local
);

#[test]
fn bump_reset_reuses_memory() {
    let mut bump = Bump::new();
    let l = Layout::from_size_align(1000, 8).unwrap();
    for _ in 0..100 {
        bump.alloc(l).unwrap();
    }
    let held = bump.chunk_bytes();
    assert!(held >= 100_000);
    bump.reset();
    for _ in 0..100 {
        bump.alloc(l).unwrap();
    }
    assert!(bump.chunk_bytes() <= held, "reset must not leak chunks");
    // The last block grows in place.
    let p = bump.alloc(l).unwrap();
    // SAFETY: `p` is the live last block of `bump`.
    let q = unsafe { bump.realloc(p, l, 1500) }.unwrap();
    assert_eq!(p, q);
}

#[test]
fn slab_reuses_slots_and_refuses_larger() {
    let l = Layout::from_size_align(40, 8).unwrap();
    let slab = Slab::new(l).unwrap();
    assert_eq!(slab.slot_size(), 40);
    let a = slab.alloc(l).unwrap();
    // SAFETY: `a` is live in `slab`.
    unsafe { slab.dealloc(a, l) };
    assert_eq!(slab.alloc(l).unwrap(), a);
    let e = slab
        .alloc(Layout::from_size_align(41, 8).unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = slab
        .alloc(Layout::from_size_align(8, 64).unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

#[test]
fn pool_classes() {
    let pool = Pool::new();
    for (size, align, class) in [(1, 1, 16), (17, 8, 32), (100, 8, 128), (10, 1024, 1024)] {
        let l = Layout::from_size_align(size, align).unwrap();
        let p = pool.alloc(l).unwrap();
        // SAFETY: `p` is live in `pool` with `l`.
        unsafe {
            assert_eq!(pool.usable_size(p, l), class);
            pool.dealloc(p, l);
        }
    }
    let e = pool
        .alloc(Layout::from_size_align(5000, 8).unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

#[test]
fn tlsf_exhausts_and_coalesces() {
    let mut region = vec![MaybeUninit::<u8>::uninit(); 1 << 20];
    let tlsf = Tlsf::from_slice(&mut region).unwrap();
    let cap = tlsf.capacity();
    assert!(cap > (1 << 20) - 64);
    let l = Layout::from_size_align(1000, 8).unwrap();
    let mut blocks = Vec::new();
    while let Ok(p) = tlsf.alloc(l) {
        blocks.push(p);
    }
    assert!(blocks.len() >= 1000, "only {} blocks fit", blocks.len());
    assert_eq!(tlsf.alloc(l).unwrap_err().kind(), ErrorKind::OutOfMemory);
    // Free every other block, then the rest: all neighbours must merge back.
    for p in blocks.iter().step_by(2) {
        // SAFETY: live blocks of `tlsf`.
        unsafe { tlsf.dealloc(*p, l) };
    }
    // Only the region's tail can have merged with a freed neighbour: at most one
    // 2000-byte block fits among the holes.
    let big = Layout::from_size_align(2000, 8).unwrap();
    let fits: Vec<_> = std::iter::from_fn(|| tlsf.alloc(big).ok())
        .take(3)
        .collect();
    assert!(
        fits.len() <= 1,
        "{} blocks of 2000 bytes fit in 1008-byte holes",
        fits.len()
    );
    for p in fits {
        // SAFETY: live block of `tlsf`.
        unsafe { tlsf.dealloc(p, big) };
    }
    for p in blocks.iter().skip(1).step_by(2) {
        // SAFETY: live blocks of `tlsf`.
        unsafe { tlsf.dealloc(*p, l) };
    }
    assert_eq!(tlsf.stats().unwrap().current, 0);
    let whole = Layout::from_size_align(cap, 8).unwrap();
    let p = tlsf
        .alloc(whole)
        .expect("freed region must coalesce into one block");
    // SAFETY: live block of `tlsf`.
    unsafe { tlsf.dealloc(p, whole) };
    assert!(Tlsf::from_slice(&mut [MaybeUninit::uninit(); 16]).is_err());
}

#[test]
fn runtime_choice_by_backend() {
    for (seed, &backend) in Backend::ALL.iter().enumerate() {
        assert_eq!(backend.name().parse::<Backend>(), Ok(backend));
        match AnyAlloc::new(backend) {
            Ok(a) => {
                assert!(backend.is_available());
                assert_eq!(a.backend(), backend);
                assert_eq!(a.name(), backend.name());
                arsenal_conformance::alloc::check_random_ops(&a, 2000, 4096, 4096, seed as u64);
            }
            Err(e) => {
                assert!(!backend.is_available());
                assert_eq!(e.kind(), ErrorKind::Unavailable);
            }
        }
    }
}

#[cfg(feature = "rpmalloc")]
#[test]
fn rpmalloc_refuses_span_alignment() {
    let l = Layout::from_size_align(100, 1 << 16).unwrap();
    let e = arsenal_alloc::Rpmalloc.alloc(l).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(
        (e.backend(), e.size(), e.align()),
        ("rpmalloc", 100, 1 << 16)
    );
}

#[test]
fn stats_track_use() {
    let tlsf = Tlsf::with_capacity(1 << 20).unwrap();
    let l = Layout::from_size_align(1000, 8).unwrap();
    let p = tlsf.alloc(l).unwrap();
    let s = tlsf.stats().unwrap();
    assert!(s.current >= 1000 && s.peak >= s.current);
    // SAFETY: live block of `tlsf`.
    unsafe { tlsf.dealloc(p, l) };
    let s = tlsf.stats().unwrap();
    assert_eq!(s.current, 0);
    assert!(s.peak >= 1000);
    #[cfg(feature = "snmalloc")]
    {
        let p = arsenal_alloc::Snmalloc.alloc(l).unwrap();
        let s = arsenal_alloc::Snmalloc.stats().unwrap();
        assert!(s.current > 0 && s.peak >= s.current);
        // SAFETY: live block.
        unsafe { arsenal_alloc::Snmalloc.dealloc(p, l) };
    }
    #[cfg(feature = "mimalloc")]
    {
        let s = arsenal_alloc::Mimalloc.stats().unwrap();
        assert!(s.peak >= s.current && s.peak > 0);
    }
}
