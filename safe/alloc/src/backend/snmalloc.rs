//! snmalloc through `snmalloc-sys` (built from its bundled source with `cc`):
//! `sn_rust_alloc`, `sn_rust_alloc_zeroed`, `sn_rust_realloc`, `sn_rust_dealloc`,
//! `sn_rust_usable_size`, `sn_rust_statistics`.

use crate::{dangling, impl_allocator_api2, new_layout, Error, RawAlloc, Stats};
use core::alloc::Layout;
use core::ptr::NonNull;
use snmalloc_sys as ffi;

/// snmalloc (Microsoft Research), thread-safe, global-capable; frees to other threads
/// travel by message passing.
///
/// ```
/// use arsenal_alloc::{RawAlloc, Snmalloc};
/// use core::alloc::Layout;
/// let l = Layout::from_size_align(64, 64).unwrap();
/// let p = Snmalloc.alloc_zeroed(l)?;
/// // SAFETY: `p` is a live block of `Snmalloc` with `l`.
/// unsafe { Snmalloc.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Snmalloc;

const NAME: &str = "snmalloc";

// SAFETY: the `sn_rust_*` entry points implement Rust's allocation contract (size and
// power-of-two alignment, null on failure); zero sizes never reach them.
unsafe impl RawAlloc for Snmalloc {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        // SAFETY: valid Rust layout, non-zero size.
        let p = unsafe { ffi::sn_rust_alloc(layout.align(), layout.size()) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        // SAFETY: valid Rust layout, non-zero size.
        let p = unsafe { ffi::sn_rust_alloc_zeroed(layout.align(), layout.size()) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live snmalloc block of `layout` (caller contract).
            unsafe { ffi::sn_rust_dealloc(ptr.as_ptr().cast(), layout.align(), layout.size()) };
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
        // SAFETY: `ptr` is a live snmalloc block of `old`; on null it stays live.
        let p =
            unsafe { ffi::sn_rust_realloc(ptr.as_ptr().cast(), old.align(), old.size(), new_size) };
        NonNull::new(p.cast()).ok_or_else(|| Error::oom(NAME, new))
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a live snmalloc block.
        unsafe { ffi::sn_rust_usable_size(ptr.as_ptr().cast()) }
    }

    /// `current`/`peak` are the bytes snmalloc has reserved from the OS, process-wide.
    fn stats(&self) -> Option<Stats> {
        let (mut current, mut peak) = (0usize, 0usize);
        // SAFETY: both out-pointers are valid for one write.
        unsafe { ffi::sn_rust_statistics(&mut current, &mut peak) };
        Some(Stats { current, peak })
    }
}

impl_allocator_api2!(Snmalloc);
