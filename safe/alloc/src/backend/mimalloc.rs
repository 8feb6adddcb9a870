//! mimalloc through `libmimalloc-sys`: `mi_malloc`/`mi_zalloc`/`mi_realloc` when the
//! alignment is at most 16 and the size, `mi_malloc_aligned`, `mi_zalloc_aligned`,
//! `mi_realloc_aligned` otherwise (as the `mimalloc` crate does), `mi_free`,
//! `mi_usable_size`.

use crate::{dangling, impl_allocator_api2, new_layout, Error, RawAlloc, Stats};
use core::alloc::Layout;
use core::ffi::c_void;
use core::ptr::NonNull;
use libmimalloc_sys as ffi;

/// mimalloc (Microsoft), thread-safe, global-capable.
///
/// ```
/// use arsenal_alloc::{Mimalloc, RawAlloc};
/// use core::alloc::Layout;
/// let l = Layout::from_size_align(48, 8).unwrap();
/// let p = Mimalloc.alloc(l)?;
/// // SAFETY: `p` is a live block of `Mimalloc` with `l`.
/// unsafe { Mimalloc.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Mimalloc;

const NAME: &str = "mimalloc";

/// The alignment mimalloc gives every block of at least this size. Below it (and for
/// smaller blocks) the plain entry points are used: `mi_malloc_aligned` over-allocates
/// for sizes above 128 bytes even when the alignment is small.
const MIN_ALIGN: usize = 16;

#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

// SAFETY: mimalloc returns blocks of at least `size` bytes aligned to `alignment` (any
// power of two), or null; zero sizes never reach it.
unsafe impl RawAlloc for Mimalloc {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        // SAFETY: plain allocation calls; `align` is a power of two.
        let p = unsafe {
            if plain(layout.align(), layout.size()) {
                ffi::mi_malloc(layout.size())
            } else {
                ffi::mi_malloc_aligned(layout.size(), layout.align())
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        // SAFETY: plain allocation calls; `align` is a power of two.
        let p = unsafe {
            if plain(layout.align(), layout.size()) {
                ffi::mi_zalloc(layout.size())
            } else {
                ffi::mi_zalloc_aligned(layout.size(), layout.align())
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live mimalloc block (caller contract).
            unsafe { ffi::mi_free(ptr.as_ptr().cast::<c_void>()) }
        }
    }

    #[inline]
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        let new = new_layout(NAME, old, new_size)?;
        if old.size() == 0 || new_size == 0 {
            // SAFETY: forwarded caller contract.
            return unsafe { crate::realloc_by_copy(self, ptr, old, new_size) };
        }
        // SAFETY: `ptr` is a live mimalloc block allocated with `old.align()`; on null
        // mimalloc leaves it untouched.
        let p = unsafe {
            if plain(old.align(), new_size) {
                ffi::mi_realloc(ptr.as_ptr().cast(), new_size)
            } else {
                ffi::mi_realloc_aligned(ptr.as_ptr().cast(), new_size, old.align())
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, new))
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a live mimalloc block.
        unsafe { ffi::mi_usable_size(ptr.as_ptr().cast()) }
    }

    /// `current`/`peak` are the process's committed bytes as mimalloc counts them
    /// (`mi_process_info`).
    fn stats(&self) -> Option<Stats> {
        let mut v = [0usize; 8];
        let [elapsed, user, sys, rss, peak_rss, commit, peak_commit, faults] = &mut v;
        // SAFETY: every out-pointer is valid for one write.
        unsafe {
            ffi::mi_process_info(
                elapsed,
                user,
                sys,
                rss,
                peak_rss,
                commit,
                peak_commit,
                faults,
            )
        };
        Some(Stats {
            current: v[5],
            peak: v[6],
        })
    }
}

impl_allocator_api2!(Mimalloc);
