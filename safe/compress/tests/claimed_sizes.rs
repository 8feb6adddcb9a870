//! Inputs that claim a huge decompressed size (issue 12): with the limit at its maximum
//! (`usize::MAX`), a ~20-byte input claiming 2^62 or 4 GiB gets a clear `Err` and costs a
//! small buffer, never an allocation of what it claims (which aborted the process).
//!
//! A counting global allocator records the largest single request; this file is its own
//! test binary with one test, so nothing else allocates meanwhile.

use arsenal_compress::Backend;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, recording the largest size asked for since the last reset.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only records sizes.
unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Largest = Largest;

/// At most this much may be asked for at once while decoding a lying ~20-byte input.
const SMALL: usize = 4 << 20;

/// Inputs whose header claims far more than the input could hold, per backend.
fn lying_inputs(backend: Backend) -> Vec<(&'static str, Vec<u8>)> {
    let junk = [0x55u8; 12];
    match backend {
        Backend::Zstd => {
            // Magic, a single-segment frame header with an 8-byte content size of 2^62,
            // then a raw block header announcing more bytes than follow.
            let mut v = vec![0x28, 0xB5, 0x2F, 0xFD, 0xE0];
            v.extend_from_slice(&(1u64 << 62).to_le_bytes());
            v.extend_from_slice(&[0x01 | (100 << 3), 0, 0]);
            v.extend_from_slice(&junk);
            vec![("content size 2^62", v)]
        }
        Backend::Lz4Block => {
            let mut v = u32::MAX.to_le_bytes().to_vec();
            v.extend_from_slice(&junk);
            vec![("size prefix 4 GiB", v)]
        }
        Backend::Snappy => {
            let mut v = vec![0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
            v.extend_from_slice(&junk);
            vec![("varint length 4 GiB", v)]
        }
        Backend::LibdeflateGzip | Backend::IsalGzip => {
            // A gzip header, junk, and a trailer whose ISIZE says 4 GiB.
            let mut v = vec![0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF];
            v.extend_from_slice(&junk);
            v.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
            vec![("ISIZE 4 GiB", v)]
        }
        _ => Vec::new(),
    }
}

#[test]
fn claimed_sizes_are_not_reserved() {
    let mut checked = 0;
    for backend in Backend::available() {
        for (what, input) in lying_inputs(backend) {
            let mut codec = backend.codec().expect("codec");
            LARGEST.store(0, Ordering::Relaxed);
            let result = codec.decompress(&input, usize::MAX);
            let largest = LARGEST.load(Ordering::Relaxed);
            let err = result.expect_err(what);
            assert!(
                largest <= SMALL,
                "{backend} ({what}): asked the allocator for {largest} bytes at once ({err})"
            );
            // The same with an ordinary limit below the claim: refused before decoding.
            let err = codec.decompress(&input, 1 << 20).expect_err(what);
            assert!(
                !err.to_string().is_empty(),
                "{backend} ({what}): the error names the problem"
            );
            checked += 1;
        }
    }
    // Every backend with a size header was tried in the default (all backends) build.
    #[cfg(all(
        feature = "zstd",
        feature = "lz4",
        feature = "snappy",
        feature = "libdeflate"
    ))]
    assert!(checked >= 4, "only {checked} lying inputs were tried");
    let _ = checked;
}
