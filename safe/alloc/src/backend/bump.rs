//! A bump arena in native Rust: no C library in the set offers an arena that frees
//! everything at once. Allocation moves a pointer through heap chunks (each new chunk
//! twice the previous, from the global allocator); `dealloc` is a no-op except for the
//! most recent block, which can also grow in place; [`Bump::reset`] makes all the memory
//! reusable.

use crate::{dangling, impl_allocator_api2, Error, RawAlloc, Stats};
use core::alloc::Layout;
use core::cell::{Cell, RefCell};
use core::ptr::NonNull;

const NAME: &str = "bump";
const FIRST_CHUNK: usize = 4096;
const MAX_DOUBLING: usize = 64 << 20;
const CHUNK_ALIGN: usize = 16;

/// A bump arena. `Send` but not `Sync` (it uses `Cell`s); not global-capable.
///
/// ```
/// use allocator_api2::vec::Vec;
/// use arsenal_alloc::Bump;
///
/// let mut bump = Bump::new();
/// {
///     let mut v = Vec::new_in(&bump);
///     v.extend_from_slice(&[1u32, 2, 3]);
///     assert_eq!(v.iter().sum::<u32>(), 6);
/// }
/// bump.reset();
/// ```
#[derive(Debug)]
pub struct Bump {
    /// Next free byte of the current chunk.
    cur: Cell<*mut u8>,
    /// One past the current chunk.
    end: Cell<*mut u8>,
    /// The most recent block, which `realloc`/`dealloc` can adjust in place.
    last: Cell<*mut u8>,
    chunks: RefCell<Vec<(NonNull<u8>, Layout)>>,
    next_chunk: Cell<usize>,
    chunk_bytes: Cell<usize>,
    peak_bytes: Cell<usize>,
}

// SAFETY: the arena exclusively owns its chunks and has no thread-affine state; moving it
// to another thread moves that ownership (blocks it handed out are raw memory).
unsafe impl Send for Bump {}

impl Default for Bump {
    fn default() -> Self {
        Bump::new()
    }
}

impl Bump {
    /// An empty arena; the first chunk (4 KiB) is allocated on first use.
    pub fn new() -> Bump {
        Bump::with_capacity(FIRST_CHUNK)
    }

    /// An empty arena whose first chunk will hold `bytes`.
    pub fn with_capacity(bytes: usize) -> Bump {
        Bump {
            cur: Cell::new(core::ptr::null_mut()),
            end: Cell::new(core::ptr::null_mut()),
            last: Cell::new(core::ptr::null_mut()),
            chunks: RefCell::new(Vec::new()),
            next_chunk: Cell::new(bytes.max(64)),
            chunk_bytes: Cell::new(0),
            peak_bytes: Cell::new(0),
        }
    }

    /// Makes all memory reusable. Needs `&mut self`, so no block (and no `Vec`
    /// borrowing the arena) is still alive. One chunk is kept as is; several are replaced
    /// by a single chunk of their total size on the next allocation, so a steady
    /// workload settles into one chunk.
    pub fn reset(&mut self) {
        let chunks = self.chunks.get_mut();
        if chunks.len() == 1 {
            let (base, l) = chunks[0];
            self.cur.set(base.as_ptr());
            // SAFETY: the chunk is `l.size()` bytes long.
            self.end.set(unsafe { base.as_ptr().add(l.size()) });
        } else {
            let total = self.chunk_bytes.get();
            for (p, l) in chunks.drain(..) {
                // SAFETY: every chunk was allocated by `std::alloc::alloc` with `l`.
                unsafe { std::alloc::dealloc(p.as_ptr(), l) };
            }
            self.chunk_bytes.set(0);
            self.next_chunk
                .set(self.next_chunk.get().min(total.max(64)));
            self.cur.set(core::ptr::null_mut());
            self.end.set(core::ptr::null_mut());
        }
        self.last.set(core::ptr::null_mut());
    }

    /// Bytes held in chunks.
    pub fn chunk_bytes(&self) -> usize {
        self.chunk_bytes.get()
    }

    #[cold]
    fn grow(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        let oom = || Error::oom(NAME, layout);
        let need = layout.size().checked_add(layout.align()).ok_or_else(oom)?;
        let size = self.next_chunk.get().max(need);
        let chunk = Layout::from_size_align(size, CHUNK_ALIGN).map_err(|_| oom())?;
        // SAFETY: non-zero size.
        let base = NonNull::new(unsafe { std::alloc::alloc(chunk) }).ok_or_else(oom)?;
        self.chunks.borrow_mut().push((base, chunk));
        self.next_chunk.set(
            size.saturating_mul(2)
                .min(MAX_DOUBLING)
                .max(self.next_chunk.get()),
        );
        let bytes = self.chunk_bytes.get() + size;
        self.chunk_bytes.set(bytes);
        self.peak_bytes.set(self.peak_bytes.get().max(bytes));
        self.cur.set(base.as_ptr());
        // SAFETY: the chunk is `size` bytes long.
        self.end.set(unsafe { base.as_ptr().add(size) });
        self.bump(layout).ok_or_else(oom)
    }

    #[inline]
    fn bump(&self, layout: Layout) -> Option<NonNull<u8>> {
        let cur = self.cur.get();
        let pad = (cur as usize).wrapping_neg() & (layout.align() - 1);
        let room = (self.end.get() as usize).wrapping_sub(cur as usize);
        if cur.is_null() || pad.checked_add(layout.size())? > room {
            return None;
        }
        let start = cur.wrapping_add(pad);
        self.cur.set(start.wrapping_add(layout.size()));
        self.last.set(start);
        NonNull::new(start)
    }
}

impl Drop for Bump {
    fn drop(&mut self) {
        for (p, l) in self.chunks.get_mut().drain(..) {
            // SAFETY: every chunk was allocated by `std::alloc::alloc` with `l`.
            unsafe { std::alloc::dealloc(p.as_ptr(), l) };
        }
    }
}

// SAFETY: blocks are disjoint ranges of chunks the arena owns until it is reset (which
// needs `&mut self`) or dropped; alignment is applied by `bump`.
unsafe impl RawAlloc for Bump {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        match self.bump(layout) {
            Some(p) => Ok(p),
            None => self.grow(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        // Only the most recent block is given back (LIFO); others wait for `reset`.
        if layout.size() != 0
            && ptr.as_ptr() == self.last.get()
            && ptr.as_ptr().wrapping_add(layout.size()) == self.cur.get()
        {
            self.cur.set(ptr.as_ptr());
            self.last.set(core::ptr::null_mut());
        }
    }

    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        let p = ptr.as_ptr();
        if old.size() != 0
            && new_size != 0
            && p == self.last.get()
            && p.wrapping_add(old.size()) == self.cur.get()
            && new_size <= (self.end.get() as usize) - (p as usize)
        {
            self.cur.set(p.wrapping_add(new_size));
            return Ok(ptr);
        }
        // SAFETY: forwarded caller contract.
        unsafe { crate::realloc_by_copy(self, ptr, old, new_size) }
    }

    /// `current` is the bytes held in chunks, `peak` its maximum.
    fn stats(&self) -> Option<Stats> {
        Some(Stats {
            current: self.chunk_bytes.get(),
            peak: self.peak_bytes.get(),
        })
    }
}

impl_allocator_api2!(Bump);
