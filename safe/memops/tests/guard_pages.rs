//! Over-read and over-write checks (issue 12): every backend, and `MemOps::auto()`, runs
//! every operation on buffers that end exactly at a `PROT_NONE` page, and on buffers that
//! start right after one, for every size 0..=1024 (so the start or the end takes every
//! alignment). A kernel that touches one byte outside its buffer — a whole-vector load
//! past the end, a read before the start to align — faults (`SIGSEGV` fails the test
//! binary), which canaries inside the same page cannot catch.

#![cfg(unix)]

use arsenal_memops::{Backend, CopyPolicy, MemOps};
use std::cmp::Ordering;

const MAX: usize = 1024;

/// A read-write region of `pages` pages between two `PROT_NONE` guard pages.
struct Guarded {
    base: *mut u8,
    page: usize,
    pages: usize,
}

impl Guarded {
    fn new(pages: usize) -> Guarded {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let len = (pages + 2) * page;
        // SAFETY: an anonymous private mapping; checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(base, libc::MAP_FAILED, "mmap");
        let base = base.cast::<u8>();
        // SAFETY: the middle `pages` pages of our own mapping.
        let rc = unsafe {
            libc::mprotect(
                base.add(page).cast(),
                pages * page,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        assert_eq!(rc, 0, "mprotect");
        Guarded { base, page, pages }
    }

    /// The first usable byte and the number of usable bytes, between the guards.
    fn usable(&self) -> (*mut u8, usize) {
        // SAFETY: one page into our own mapping.
        (unsafe { self.base.add(self.page) }, self.pages * self.page)
    }

    /// Where `n` bytes start so that they end right at the upper guard page, or start
    /// right after the lower one.
    fn place(&self, n: usize, at_end: bool) -> *mut u8 {
        let (start, len) = self.usable();
        if at_end {
            // SAFETY: n ≤ len: inside the usable pages.
            unsafe { start.add(len - n) }
        } else {
            start
        }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly what `new` mapped.
        unsafe { libc::munmap(self.base.cast(), (self.pages + 2) * self.page) };
    }
}

/// Every `MemOps` under test, named.
fn all_ops() -> Vec<(String, MemOps)> {
    let mut ops: Vec<(String, MemOps)> = Backend::available()
        .into_iter()
        .map(|b| (b.name().to_owned(), b.ops().expect("available backend")))
        .collect();
    ops.push(("auto".to_owned(), MemOps::auto()));
    ops
}

const POLICIES: [CopyPolicy; 4] = [
    CopyPolicy::Cached,
    CopyPolicy::InlineSmall,
    CopyPolicy::NonTemporalLarge,
    CopyPolicy::NonTemporal,
];

/// Fills with a non-zero pattern that depends on `seed`.
fn fill(buf: &mut [u8], seed: u8) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(31).wrapping_add(seed) | 1;
    }
}

/// One placement: both buffers at the end of their regions, or both at the start.
fn check_placement(name: &str, ops: MemOps, a: &Guarded, b: &Guarded, at_end: bool) {
    for n in 0..=MAX {
        let (pa, pb) = (a.place(n, at_end), b.place(n, at_end));
        // SAFETY: each pointer starts `n` readable and writable bytes inside its own
        // mapping (the two never overlap); the slices are not used past this iteration.
        let (src, dst) = unsafe {
            (
                std::slice::from_raw_parts_mut(pa, n),
                std::slice::from_raw_parts_mut(pb, n),
            )
        };
        let ctx = format!("{name}, n = {n}, at_end = {at_end}");
        fill(src, 7);
        for policy in POLICIES {
            dst.fill(0);
            ops.copy_with(policy, dst, src).expect(&ctx);
            assert_eq!(dst, src, "copy {policy:?}: {ctx}");
        }
        ops.copy(dst, src).expect(&ctx);
        assert_eq!(ops.compare(dst, src), Ordering::Equal, "compare: {ctx}");
        if n > 0 {
            // The last byte differs: the kernel must read it, and no further.
            dst[n - 1] ^= 0x80;
            assert_ne!(
                ops.compare(src, dst),
                Ordering::Equal,
                "compare last: {ctx}"
            );
        }
        // find_byte: absent (scans the whole buffer), then at the very end.
        assert_eq!(ops.find_byte(src, 0), None, "find_byte absent: {ctx}");
        if n > 0 {
            src[n - 1] = 0;
            assert_eq!(ops.find_byte(src, 0), Some(n - 1), "find_byte last: {ctx}");
            // strlen: the NUL is the last byte.
            assert_eq!(ops.strlen(src).expect(&ctx), n - 1, "strlen: {ctx}");
            src[n - 1] = 1;
        }
        // strlen without a NUL in the buffer: an error, after reading it all and no more.
        assert!(ops.strlen(src).is_err(), "strlen without NUL: {ctx}");
        ops.set(dst, 0xA5);
        assert!(dst.iter().all(|&b| b == 0xA5), "set: {ctx}");
        // Overlapping moves within the buffer, both directions.
        if n > 1 {
            fill(src, 3);
            let mut expect = src.to_vec();
            expect.copy_within(0..n - 1, 1);
            ops.move_within(src, 0..n - 1, 1).expect(&ctx);
            assert_eq!(src, &expect[..], "move forward: {ctx}");
            expect.copy_within(1..n, 0);
            ops.move_within(src, 1..n, 0).expect(&ctx);
            assert_eq!(src, &expect[..], "move backward: {ctx}");
        }
    }
}

#[test]
fn no_access_beyond_either_end() {
    let (a, b) = (Guarded::new(2), Guarded::new(2));
    for (name, ops) in all_ops() {
        check_placement(&name, ops, &a, &b, true);
        check_placement(&name, ops, &a, &b, false);
    }
}
