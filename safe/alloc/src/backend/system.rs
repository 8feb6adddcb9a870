//! The C library's allocator (glibc malloc here): `malloc`/`calloc`/`realloc`/`free` for
//! alignments its size classes already give, `posix_memalign` otherwise, and
//! `malloc_usable_size` on glibc.

use crate::{dangling, impl_allocator_api2, new_layout, Error, RawAlloc};
use core::alloc::Layout;
use core::ptr::NonNull;

/// The system allocator through libc, thread-safe, global-capable.
///
/// ```
/// use arsenal_alloc::{RawAlloc, System};
/// use core::alloc::Layout;
/// let l = Layout::from_size_align(10, 1024).unwrap();
/// let p = System.alloc(l)?;
/// assert_eq!(p.as_ptr() as usize % 1024, 0);
/// // SAFETY: `p` is a live block of `System` with `l`.
/// unsafe { System.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct System;

const NAME: &str = "system";

/// The alignment `malloc` guarantees for blocks of at least this size (glibc x86-64,
/// aarch64: 16).
const MIN_ALIGN: usize = 2 * core::mem::size_of::<usize>();

#[inline]
fn plain(layout: Layout) -> bool {
    layout.align() <= MIN_ALIGN && layout.align() <= layout.size()
}

fn memalign(layout: Layout) -> *mut u8 {
    let mut out = core::ptr::null_mut();
    let align = layout.align().max(core::mem::size_of::<usize>());
    // SAFETY: `align` is a power of two and a multiple of `sizeof(void*)`; `out` is valid.
    let rc = unsafe { libc::posix_memalign(&mut out, align, layout.size()) };
    if rc == 0 {
        out.cast()
    } else {
        core::ptr::null_mut()
    }
}

// SAFETY: malloc/calloc/realloc return at least `size` bytes aligned to `MIN_ALIGN` (used
// only when that suffices), posix_memalign to the requested power of two; null on
// failure. Zero sizes never reach libc.
unsafe impl RawAlloc for System {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        let p = if plain(layout) {
            // SAFETY: plain allocation call.
            unsafe { libc::malloc(layout.size()).cast() }
        } else {
            memalign(layout)
        };
        NonNull::new(p).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        if plain(layout) {
            // SAFETY: plain allocation call.
            let p = unsafe { libc::calloc(1, layout.size()).cast() };
            return NonNull::new(p).ok_or_else(|| Error::oom(NAME, layout));
        }
        let p = NonNull::new(memalign(layout)).ok_or_else(|| Error::oom(NAME, layout))?;
        // SAFETY: `p` is valid for `layout.size()` bytes of writes.
        unsafe { p.as_ptr().write_bytes(0, layout.size()) };
        Ok(p)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` came from malloc/calloc/realloc/posix_memalign.
            unsafe { libc::free(ptr.as_ptr().cast()) }
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
        if old.size() == 0 || new_size == 0 || !plain(new) {
            // SAFETY: forwarded caller contract.
            return unsafe { crate::realloc_by_copy(self, ptr, old, new_size) };
        }
        // SAFETY: `ptr` is a live libc block; `realloc` keeps `MIN_ALIGN`, which suffices
        // for `new`; on null the old block stays live.
        let p = unsafe { libc::realloc(ptr.as_ptr().cast(), new_size) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, new))
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            // SAFETY: `ptr` is a live libc block.
            unsafe { libc::malloc_usable_size(ptr.as_ptr().cast()) }
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        {
            let _ = ptr;
            layout.size()
        }
    }
}

impl_allocator_api2!(System);
