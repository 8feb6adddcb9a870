//! jemalloc 5.3 through `tikv-jemalloc-sys` (symbols prefixed `_rjem_`, so it never
//! replaces the process's malloc): `mallocx`, `rallocx`, `sdallocx`, `sallocx` with
//! `MALLOCX_ALIGN` when the alignment exceeds what plain size classes guarantee, as
//! `tikv-jemallocator` does.

use crate::{dangling, impl_allocator_api2, new_layout, Error, RawAlloc};
use core::alloc::Layout;
use core::ffi::c_int;
use core::ptr::NonNull;
use tikv_jemalloc_sys as ffi;

/// jemalloc, thread-safe, global-capable.
///
/// ```
/// use arsenal_alloc::{Jemalloc, RawAlloc};
/// use core::alloc::Layout;
/// let l = Layout::from_size_align(1000, 256).unwrap();
/// let p = Jemalloc.alloc(l)?;
/// assert_eq!(p.as_ptr() as usize % 256, 0);
/// // SAFETY: `p` is a live block of `Jemalloc` with `l`.
/// unsafe { Jemalloc.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Jemalloc;

const NAME: &str = "jemalloc";

/// The alignment every jemalloc size class of at least this size already has.
const MIN_ALIGN: usize = 16;

#[inline]
fn flags(align: usize, size: usize) -> c_int {
    if align <= MIN_ALIGN && align <= size {
        0
    } else {
        ffi::MALLOCX_ALIGN(align)
    }
}

// SAFETY: `mallocx` returns at least `size` bytes aligned as the flags ask, or null (the
// `xmalloc` option that would abort is off by default); zero sizes never reach it.
unsafe impl RawAlloc for Jemalloc {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        // SAFETY: non-zero size, valid flags.
        let p = unsafe { ffi::mallocx(layout.size(), flags(layout.align(), layout.size())) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        let f = flags(layout.align(), layout.size()) | ffi::MALLOCX_ZERO;
        // SAFETY: non-zero size, valid flags.
        let p = unsafe { ffi::mallocx(layout.size(), f) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live jemalloc block of `layout` (caller contract), so the
            // size hint and alignment flags match its allocation.
            unsafe {
                ffi::sdallocx(
                    ptr.as_ptr().cast(),
                    layout.size(),
                    flags(layout.align(), layout.size()),
                )
            }
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
        // SAFETY: `ptr` is a live jemalloc block; on null it is left untouched.
        let p =
            unsafe { ffi::rallocx(ptr.as_ptr().cast(), new_size, flags(old.align(), new_size)) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, new))
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a live jemalloc block.
        unsafe { ffi::sallocx(ptr.as_ptr().cast(), flags(layout.align(), layout.size())) }
    }
}

impl_allocator_api2!(Jemalloc);
