//! A slab of fixed-size slots in native Rust (no C library in the set offers an object
//! cache): slots are carved from heap chunks and recycled through an intrusive free list,
//! so alloc and free are a pointer pop and push.

use crate::{dangling, impl_allocator_api2, Error, ErrorKind, RawAlloc, Stats};
use core::alloc::Layout;
use core::cell::{Cell, RefCell};
use core::ptr::NonNull;

const NAME: &str = "slab";
const MIN_CHUNK: usize = 16 * 1024;

/// Fixed-size slots. Serves any layout that fits the slot (size and alignment).
/// `Send` but not `Sync`; not global-capable.
///
/// ```
/// use arsenal_alloc::{RawAlloc, Slab};
/// use core::alloc::Layout;
///
/// let slab = Slab::new(Layout::new::<[u64; 4]>())?;
/// let l = Layout::new::<[u64; 4]>();
/// let a = slab.alloc(l)?;
/// // SAFETY: `a` is a live slot of `slab`.
/// unsafe { slab.dealloc(a, l) };
/// let b = slab.alloc(l)?;
/// assert_eq!(a, b); // the slot is reused
/// assert!(slab.alloc(Layout::new::<[u64; 5]>()).is_err()); // larger than a slot
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug)]
pub struct Slab {
    slot: usize,
    align: usize,
    chunk: Layout,
    free: Cell<*mut u8>,
    chunks: RefCell<Vec<NonNull<u8>>>,
    in_use: Cell<usize>,
    peak: Cell<usize>,
}

// SAFETY: the slab exclusively owns its chunks and has no thread-affine state.
unsafe impl Send for Slab {}

impl Slab {
    /// A slab whose slots fit `object` (the size is rounded up to the alignment and to at
    /// least a pointer, which the free list stores in free slots).
    pub fn new(object: Layout) -> Result<Slab, Error> {
        let align = object.align().max(core::mem::align_of::<*mut u8>());
        let err = || Error::new(ErrorKind::Unsupported, NAME, object.size(), object.align());
        let slot = object
            .size()
            .max(core::mem::size_of::<*mut u8>())
            .checked_next_multiple_of(align)
            .ok_or_else(err)?;
        let per_chunk = (MIN_CHUNK / slot).max(64);
        let bytes = per_chunk.checked_mul(slot).ok_or_else(err)?;
        let chunk = Layout::from_size_align(bytes, align).map_err(|_| err())?;
        Ok(Slab {
            slot,
            align,
            chunk,
            free: Cell::new(core::ptr::null_mut()),
            chunks: RefCell::new(Vec::new()),
            in_use: Cell::new(0),
            peak: Cell::new(0),
        })
    }

    /// The slot size in bytes.
    pub fn slot_size(&self) -> usize {
        self.slot
    }

    /// Whether `layout` fits a slot.
    pub fn fits(&self, layout: Layout) -> bool {
        layout.size() <= self.slot && layout.align() <= self.align
    }

    #[cold]
    fn refill(&self) -> Result<(), Error> {
        // SAFETY: `chunk` has a non-zero size.
        let base = unsafe { std::alloc::alloc(self.chunk) };
        let base = NonNull::new(base).ok_or_else(|| Error::oom(NAME, self.chunk))?;
        self.chunks.borrow_mut().push(base);
        let n = self.chunk.size() / self.slot;
        let mut head = self.free.get();
        for i in (0..n).rev() {
            // SAFETY: slot `i` lies inside the chunk and is aligned for a pointer.
            unsafe {
                let s = base.as_ptr().add(i * self.slot);
                s.cast::<*mut u8>().write(head);
                head = s;
            }
        }
        self.free.set(head);
        Ok(())
    }
}

impl Drop for Slab {
    fn drop(&mut self) {
        for p in self.chunks.get_mut().drain(..) {
            // SAFETY: every chunk was allocated with `self.chunk`.
            unsafe { std::alloc::dealloc(p.as_ptr(), self.chunk) };
        }
    }
}

// SAFETY: each slot is handed out once until freed; slots are `slot` bytes, aligned to
// `align` (chunk alignment, and `slot` is a multiple of it).
unsafe impl RawAlloc for Slab {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        if !self.fits(layout) {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                layout.size(),
                layout.align(),
            ));
        }
        if self.free.get().is_null() {
            self.refill()?;
        }
        let p = self.free.get();
        // SAFETY: `p` is a free slot whose first word holds the next free slot.
        self.free.set(unsafe { p.cast::<*mut u8>().read() });
        let used = self.in_use.get() + self.slot;
        self.in_use.set(used);
        self.peak.set(self.peak.get().max(used));
        NonNull::new(p).ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live slot of this slab (caller contract), so it is
            // writable and pointer-aligned.
            unsafe { ptr.as_ptr().cast::<*mut u8>().write(self.free.get()) };
            self.free.set(ptr.as_ptr());
            self.in_use.set(self.in_use.get() - self.slot);
        }
    }

    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        if old.size() != 0 && new_size != 0 && new_size <= self.slot {
            return Ok(ptr);
        }
        // SAFETY: forwarded caller contract.
        unsafe { crate::realloc_by_copy(self, ptr, old, new_size) }
    }

    unsafe fn usable_size(&self, _ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            0
        } else {
            self.slot
        }
    }

    /// `current` is the slot bytes in use, `peak` its maximum.
    fn stats(&self) -> Option<Stats> {
        Some(Stats {
            current: self.in_use.get(),
            peak: self.peak.get(),
        })
    }
}

impl_allocator_api2!(Slab);
