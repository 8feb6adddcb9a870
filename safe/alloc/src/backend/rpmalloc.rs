//! rpmalloc through `rpmalloc-sys` (built without its `preload` mode, so it never
//! replaces the process's malloc). rpmalloc needs `rpmalloc_initialize` once per process
//! and a heap per thread: every allocating call checks a Rust thread-local flag (one
//! TLS load; rpmalloc's own `rpmalloc_is_thread_initialized` costs a call plus
//! `__tls_get_addr` from the PIC static library), initialises the process once (a
//! `std::sync::Once`) and the thread on first use, and a thread-local guard calls
//! `rpmalloc_thread_finalize` when the thread exits so its heap is handed back instead of
//! leaked. `rpfree` needs no heap on the calling thread (frees to another thread's heap
//! are deferred through an atomic list), so `dealloc` skips the check.

use crate::{dangling, impl_allocator_api2, new_layout, Error, RawAlloc};
use core::alloc::Layout;
use core::cell::Cell;
use core::ptr::NonNull;
use rpmalloc_sys as ffi;
use std::sync::Once;

/// rpmalloc, thread-safe (cross-thread frees are deferred to the owner heap),
/// global-capable.
///
/// ```
/// use arsenal_alloc::{RawAlloc, Rpmalloc};
/// use core::alloc::Layout;
/// let l = Layout::from_size_align(4000, 4096).unwrap();
/// let p = Rpmalloc.alloc(l)?;
/// assert_eq!(p.as_ptr() as usize % 4096, 0);
/// // SAFETY: `p` is a live block of `Rpmalloc` with `l`.
/// unsafe { Rpmalloc.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Rpmalloc;

const NAME: &str = "rpmalloc";

/// rpmalloc's plain size classes are aligned to this.
const MIN_ALIGN: usize = 16;

/// rpmalloc's aligned paths require alignments below its span size (64 KiB).
const MAX_ALIGN: usize = 32 * 1024;

static PROCESS_INIT: Once = Once::new();

/// `rpmalloc-sys` declares `rpmalloc_thread_finalize` without its `int release_caches`
/// parameter; this is the C signature of rpmalloc 1.4.
mod fix {
    extern "C" {
        pub fn rpmalloc_thread_finalize(release_caches: core::ffi::c_int);
    }
}

struct ThreadGuard;

impl Drop for ThreadGuard {
    fn drop(&mut self) {
        // Later allocations on this thread (other TLS destructors) initialise it again.
        let _ = READY.try_with(|r| r.set(false));
        // SAFETY: this thread initialised its heap (the guard exists only then).
        unsafe { fix::rpmalloc_thread_finalize(1) };
    }
}

std::thread_local! {
    static GUARD: ThreadGuard = const { ThreadGuard };
    /// Whether this thread has an rpmalloc heap (no destructor, so always accessible).
    static READY: Cell<bool> = const { Cell::new(false) };
}

#[cold]
fn init_thread() {
    PROCESS_INIT.call_once(|| {
        // SAFETY: called once per process, before any other rpmalloc call of this crate.
        unsafe { ffi::rpmalloc_initialize() };
    });
    // SAFETY: the process is initialised; this gives the calling thread a heap.
    unsafe { ffi::rpmalloc_thread_initialize() };
    // Registers the finaliser; during thread teardown (`try_with` fails) the heap stays.
    let _ = GUARD.try_with(|_| ());
    let _ = READY.try_with(|r| r.set(true));
}

#[inline]
fn ensure_thread() {
    if !READY.try_with(Cell::get).unwrap_or(false) {
        init_thread();
    }
}

// SAFETY: after `ensure_thread`, rpmalloc's entry points return blocks of at least `size`
// bytes aligned as asked (alignments below 64 KiB) or null; zero sizes never reach it.
unsafe impl RawAlloc for Rpmalloc {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        if layout.align() > MAX_ALIGN {
            return Err(Error::new(
                crate::ErrorKind::Unsupported,
                NAME,
                layout.size(),
                layout.align(),
            ));
        }
        ensure_thread();
        // SAFETY: the thread has a heap; the alignment is a power of two below the span.
        let p = unsafe {
            if layout.align() <= MIN_ALIGN {
                ffi::rpmalloc(layout.size())
            } else {
                ffi::rpaligned_alloc(layout.align(), layout.size())
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        if layout.align() > MAX_ALIGN {
            return Err(Error::new(
                crate::ErrorKind::Unsupported,
                NAME,
                layout.size(),
                layout.align(),
            ));
        }
        ensure_thread();
        // SAFETY: as in `alloc`.
        let p = unsafe {
            if layout.align() <= MIN_ALIGN {
                ffi::rpcalloc(1, layout.size())
            } else {
                ffi::rpaligned_calloc(layout.align(), 1, layout.size())
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live rpmalloc block (caller contract).
            unsafe { ffi::rpfree(ptr.as_ptr().cast()) }
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
        ensure_thread();
        // SAFETY: `ptr` is a live rpmalloc block of `old`; on null it stays live.
        let p = unsafe {
            if old.align() <= MIN_ALIGN {
                ffi::rprealloc(ptr.as_ptr().cast(), new_size)
            } else {
                ffi::rpaligned_realloc(ptr.as_ptr().cast(), old.align(), new_size, old.size(), 0)
            }
        };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, new))
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a live rpmalloc block.
        unsafe { ffi::rpmalloc_usable_size(ptr.as_ptr().cast()) }
    }
}

impl_allocator_api2!(Rpmalloc);
