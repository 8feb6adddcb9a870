//! A pool of [`Slab`]s by power-of-two size class (16 B to 4 KiB), in native Rust: a
//! small-object allocator with per-class free lists and no headers. Requests above 4 KiB
//! are refused ([`ErrorKind::Unsupported`]), never passed to another allocator.

use super::slab::Slab;
use crate::{dangling, impl_allocator_api2, Error, ErrorKind, RawAlloc, Stats};
use core::alloc::Layout;
use core::ptr::NonNull;

const NAME: &str = "pool";
const MIN_CLASS_LOG: u32 = 4;
const MAX_CLASS_LOG: u32 = 12;

/// Size-class pool: 9 slabs of 16, 32, ..., 4096-byte slots, each slot aligned to its
/// size. `Send` but not `Sync`; not global-capable.
///
/// ```
/// use arsenal_alloc::{Pool, RawAlloc};
/// use core::alloc::Layout;
///
/// let pool = Pool::new();
/// let l = Layout::from_size_align(100, 8).unwrap();
/// let p = pool.alloc(l)?;
/// // SAFETY: `p` is a live block of `pool` with `l`.
/// unsafe {
///     assert_eq!(pool.usable_size(p, l), 128);
///     pool.dealloc(p, l);
/// }
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug)]
pub struct Pool {
    classes: Vec<Slab>,
}

impl Default for Pool {
    fn default() -> Self {
        Pool::new()
    }
}

impl Pool {
    /// The largest size (and alignment) served.
    pub const MAX_SIZE: usize = 1 << MAX_CLASS_LOG;

    /// An empty pool; chunks are allocated per class on first use.
    pub fn new() -> Pool {
        let classes = (MIN_CLASS_LOG..=MAX_CLASS_LOG)
            .filter_map(|k| Layout::from_size_align(1 << k, 1 << k).ok())
            .filter_map(|l| Slab::new(l).ok())
            .collect();
        Pool { classes }
    }

    #[inline]
    fn class(&self, layout: Layout) -> Result<&Slab, Error> {
        let need = layout.size().max(layout.align()).max(1 << MIN_CLASS_LOG);
        if need > Pool::MAX_SIZE {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                layout.size(),
                layout.align(),
            ));
        }
        let k = need.next_power_of_two().trailing_zeros() - MIN_CLASS_LOG;
        self.classes
            .get(k as usize)
            .ok_or_else(|| Error::oom(NAME, layout))
    }
}

// SAFETY: every non-zero request goes to the slab of its class, whose slots are at least
// `max(size, align)` bytes and aligned to their size; the same class frees it.
unsafe impl RawAlloc for Pool {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        self.class(layout)?.alloc(layout)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            if let Ok(slab) = self.class(layout) {
                // SAFETY: `ptr` was allocated by this class's slab (same layout).
                unsafe { slab.dealloc(ptr, layout) }
            }
        }
    }

    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        let new = crate::new_layout(NAME, old, new_size)?;
        if old.size() != 0 && new_size != 0 {
            if let (Ok(a), Ok(b)) = (self.class(old), self.class(new)) {
                if core::ptr::eq(a, b) {
                    return Ok(ptr);
                }
            }
        }
        // SAFETY: forwarded caller contract.
        unsafe { crate::realloc_by_copy(self, ptr, old, new_size) }
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        match self.class(layout) {
            // SAFETY: forwarded caller contract.
            Ok(slab) if layout.size() != 0 => unsafe { slab.usable_size(ptr, layout) },
            _ => layout.size(),
        }
    }

    /// Sums of the slabs' figures (`peak` is the sum of per-class peaks).
    fn stats(&self) -> Option<Stats> {
        let mut s = Stats::default();
        for c in &self.classes {
            if let Some(x) = c.stats() {
                s.current += x.current;
                s.peak += x.peak;
            }
        }
        Some(s)
    }
}

impl_allocator_api2!(Pool);
