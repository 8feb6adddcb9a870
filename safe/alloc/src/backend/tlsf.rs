//! TLSF (two-level segregated fit, Masmano et al. 2004) in native Rust: O(1) allocation
//! and free over one region, for real-time use and memory-bounded goals; no C library in
//! the set manages a caller's region. The core ([`Core`]) uses only `core` (no heap, no
//! std), so it can manage a static buffer; [`Tlsf`] wraps it for a borrowed slice or an
//! owned heap region.
//!
//! Layout: every block has a 16-byte header (previous physical block, size with a free
//! bit); free blocks keep their free-list links in the payload. Free lists are indexed by
//! (first level = log2 size, second level = 16 subdivisions), with bitmaps so a fit is
//! found with two `trailing_zeros`. Neighbours are merged on free; a zero-size used
//! sentinel ends the region.

use crate::{dangling, impl_allocator_api2, Error, ErrorKind, RawAlloc, Stats};
use core::alloc::Layout;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr::{self, NonNull};

const NAME: &str = "tlsf";
const GRAN: usize = 16;
const HDR: usize = 16;
const SL_LOG: u32 = 4;
const SL_COUNT: usize = 1 << SL_LOG;
/// Sizes below this are indexed exactly (first level 0).
const SMALL: usize = 1 << (SL_LOG + 4);
const FL_COUNT: usize = 48;
/// The largest block size the index covers.
const MAX_BLOCK: usize = 1 << (FL_COUNT + 6);
const FREE: usize = 1;

#[repr(C)]
struct Block {
    prev_phys: *mut Block,
    /// Payload size (a multiple of 16) | FREE.
    size: usize,
    // Free blocks only (in the payload):
    next_free: *mut Block,
    prev_free: *mut Block,
}

/// The TLSF index over a raw region (`core` only).
#[derive(Debug)]
pub struct Core {
    fl_map: u64,
    sl_map: [u32; FL_COUNT],
    heads: [[*mut Block; SL_COUNT]; FL_COUNT],
    used: usize,
    peak: usize,
    capacity: usize,
}

#[inline]
fn mapping(size: usize) -> (usize, usize) {
    if size < SMALL {
        (0, size / GRAN)
    } else {
        let l = usize::BITS - 1 - size.leading_zeros();
        let fl = (l - (SL_LOG + 4) + 1) as usize;
        let sl = (size >> (l - SL_LOG)) ^ SL_COUNT;
        (fl, sl)
    }
}

/// Rounds `size` up so that every block in its class is large enough.
#[inline]
fn round_for_search(size: usize) -> usize {
    if size < SMALL {
        size
    } else {
        let l = usize::BITS - 1 - size.leading_zeros();
        size + (1 << (l - SL_LOG)) - 1
    }
}

impl Core {
    /// Builds the index over `len` bytes at `base`.
    ///
    /// # Safety
    /// The region must be valid for reads and writes, unused by anything else, and outlive
    /// every use of this `Core` and of the blocks it hands out.
    pub unsafe fn new(base: *mut u8, len: usize) -> Result<Core, Error> {
        let bad = || Error::new(ErrorKind::InvalidRegion, NAME, len, GRAN);
        let pad = (base as usize).wrapping_neg() & (GRAN - 1);
        let usable = len.checked_sub(pad).ok_or_else(bad)? & !(GRAN - 1);
        // First block header + a minimal payload + the sentinel header.
        if usable < HDR + GRAN + HDR || usable - 2 * HDR >= MAX_BLOCK {
            return Err(bad());
        }
        let mut core = Core {
            fl_map: 0,
            sl_map: [0; FL_COUNT],
            heads: [[ptr::null_mut(); SL_COUNT]; FL_COUNT],
            used: 0,
            peak: 0,
            capacity: usable - 2 * HDR,
        };
        // SAFETY: the region is ours (caller contract); both headers lie inside it and
        // are 16-aligned.
        unsafe {
            let first = base.add(pad).cast::<Block>();
            (*first).prev_phys = ptr::null_mut();
            (*first).size = (usable - 2 * HDR) | FREE;
            let sentinel = base.add(pad + usable - HDR).cast::<Block>();
            (*sentinel).prev_phys = first;
            (*sentinel).size = 0;
            core.insert(first);
        }
        Ok(core)
    }

    /// Payload bytes in use.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The maximum of [`Core::used`].
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// Payload bytes the region offers in total.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    #[inline]
    unsafe fn size_of(b: *mut Block) -> usize {
        // SAFETY: `b` is a block header (caller contract).
        unsafe { (*b).size & !FREE }
    }

    #[inline]
    unsafe fn next_phys(b: *mut Block) -> *mut Block {
        // SAFETY: the next header follows the payload inside the region.
        unsafe { b.cast::<u8>().add(HDR + Core::size_of(b)).cast() }
    }

    #[inline]
    unsafe fn insert(&mut self, b: *mut Block) {
        // SAFETY: `b` is a free block with room for its links (payload >= 16).
        unsafe {
            let (fl, sl) = mapping(Core::size_of(b));
            let head = self.heads[fl][sl];
            (*b).next_free = head;
            (*b).prev_free = ptr::null_mut();
            if !head.is_null() {
                (*head).prev_free = b;
            }
            self.heads[fl][sl] = b;
            self.fl_map |= 1 << fl;
            self.sl_map[fl] |= 1 << sl;
        }
    }

    #[inline]
    unsafe fn remove(&mut self, b: *mut Block) {
        // SAFETY: `b` is in the free list of its class.
        unsafe {
            let (fl, sl) = mapping(Core::size_of(b));
            let (next, prev) = ((*b).next_free, (*b).prev_free);
            if !next.is_null() {
                (*next).prev_free = prev;
            }
            if prev.is_null() {
                self.heads[fl][sl] = next;
                if next.is_null() {
                    self.sl_map[fl] &= !(1 << sl);
                    if self.sl_map[fl] == 0 {
                        self.fl_map &= !(1 << fl);
                    }
                }
            } else {
                (*prev).next_free = next;
            }
        }
    }

    /// A free block of at least `size` bytes, removed from its list.
    #[inline]
    fn take(&mut self, size: usize) -> Option<*mut Block> {
        let (mut fl, sl) = mapping(round_for_search(size));
        if fl >= FL_COUNT {
            return self.take_exact_class(size);
        }
        let mut sl_bits = self.sl_map[fl] & (!0u32 << sl);
        if sl_bits == 0 {
            let fl_bits = self.fl_map & (!0u64).checked_shl(fl as u32 + 1).unwrap_or(0);
            if fl_bits == 0 {
                return self.take_exact_class(size);
            }
            fl = fl_bits.trailing_zeros() as usize;
            sl_bits = self.sl_map[fl];
        }
        let b = self.heads[fl][sl_bits.trailing_zeros() as usize];
        // SAFETY: a set bit means a non-empty list.
        unsafe { self.remove(b) };
        Some(b)
    }

    /// The good-fit search skips `size`'s own class (its blocks may be smaller); when
    /// nothing larger is free, the head of that class is still checked (O(1)), so a
    /// request for the whole region can succeed.
    #[cold]
    fn take_exact_class(&mut self, size: usize) -> Option<*mut Block> {
        let (fl, sl) = mapping(size);
        let b = *self.heads.get(fl)?.get(sl)?;
        // SAFETY: a non-null head is a free block of this class.
        unsafe {
            if b.is_null() || Core::size_of(b) < size {
                return None;
            }
            self.remove(b);
        }
        Some(b)
    }

    /// Splits the tail beyond `size` off `b` (used) into a free block when it is large
    /// enough to hold one.
    #[inline]
    unsafe fn split(&mut self, b: *mut Block, size: usize) {
        // SAFETY: `b` is a block of at least `size` bytes; the rest lies inside it.
        unsafe {
            let total = Core::size_of(b);
            if total >= size + HDR + GRAN {
                let rest = b.cast::<u8>().add(HDR + size).cast::<Block>();
                (*rest).prev_phys = b;
                (*rest).size = (total - size - HDR) | FREE;
                (*Core::next_phys(rest)).prev_phys = rest;
                (*b).size = size | ((*b).size & FREE);
                self.insert(rest);
            }
        }
    }

    /// Allocates `layout` (non-zero size); `None` when no block fits.
    pub fn alloc(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        let size = layout.size().checked_add(GRAN - 1)? & !(GRAN - 1);
        if size > MAX_BLOCK {
            return None;
        }
        let align = layout.align();
        // SAFETY: every block touched comes from the free lists of this region.
        unsafe {
            let mut b = if align <= GRAN {
                self.take(size)?
            } else {
                let b = self.take(size.checked_add(align + 2 * HDR)?)?;
                let p = b as usize + HDR;
                let mut aligned = (p + align - 1) & !(align - 1);
                if aligned != p && aligned - p < HDR + GRAN {
                    aligned += align;
                }
                let gap = aligned - p;
                if gap == 0 {
                    b
                } else {
                    // Give the front gap back as a free block of its own.
                    let nb = (aligned - HDR) as *mut u8;
                    let nb = b.cast::<u8>().add(nb as usize - b as usize).cast::<Block>();
                    (*nb).prev_phys = b;
                    (*nb).size = Core::size_of(b) - gap;
                    (*Core::next_phys(nb)).prev_phys = nb;
                    (*b).size = (gap - HDR) | FREE;
                    self.insert(b);
                    nb
                }
            };
            (*b).size &= !FREE;
            self.split(b, size);
            b = b.cast::<u8>().add(HDR).cast();
            self.used += Core::size_of(b.cast::<u8>().sub(HDR).cast());
            self.peak = self.peak.max(self.used);
            NonNull::new(b.cast())
        }
    }

    /// Frees a block and merges it with free neighbours.
    ///
    /// # Safety
    /// `ptr` must come from [`Core::alloc`] of this core and not have been freed.
    pub unsafe fn free(&mut self, ptr: NonNull<u8>) {
        // SAFETY: `ptr` is a live payload of this region, so its header precedes it and
        // its neighbours are valid headers (the sentinel bounds the end).
        unsafe {
            let mut b = ptr.as_ptr().sub(HDR).cast::<Block>();
            self.used -= Core::size_of(b);
            (*b).size |= FREE;
            let next = Core::next_phys(b);
            if (*next).size & FREE != 0 {
                self.remove(next);
                (*b).size += HDR + Core::size_of(next);
                (*Core::next_phys(b)).prev_phys = b;
            }
            let prev = (*b).prev_phys;
            if !prev.is_null() && (*prev).size & FREE != 0 {
                self.remove(prev);
                (*prev).size += HDR + Core::size_of(b);
                (*Core::next_phys(prev)).prev_phys = prev;
                b = prev;
            }
            self.insert(b);
        }
    }

    /// The payload size of a live block.
    ///
    /// # Safety
    /// `ptr` must be a live block of this core.
    pub unsafe fn block_size(&self, ptr: NonNull<u8>) -> usize {
        // SAFETY: the header precedes the payload.
        unsafe { Core::size_of(ptr.as_ptr().sub(HDR).cast()) }
    }
}

/// A TLSF allocator over a borrowed slice (`'a`) or an owned heap region (`'static`).
/// `Send` but not `Sync`; not global-capable.
///
/// ```
/// use arsenal_alloc::{RawAlloc, Tlsf};
/// use core::alloc::Layout;
/// use core::mem::MaybeUninit;
///
/// let mut region = [MaybeUninit::<u8>::uninit(); 4096];
/// let tlsf = Tlsf::from_slice(&mut region)?;
/// let l = Layout::from_size_align(100, 64).unwrap();
/// let p = tlsf.alloc(l)?;
/// assert_eq!(p.as_ptr() as usize % 64, 0);
/// assert!(tlsf.alloc(Layout::from_size_align(8192, 8).unwrap()).is_err()); // region full
/// // SAFETY: `p` is a live block of `tlsf` with `l`.
/// unsafe { tlsf.dealloc(p, l) };
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug)]
pub struct Tlsf<'a> {
    core: UnsafeCell<Core>,
    owned: Option<(NonNull<u8>, Layout)>,
    _region: PhantomData<&'a mut [u8]>,
}

// SAFETY: the allocator exclusively owns (or exclusively borrows) its region and index;
// nothing in it is tied to a thread.
unsafe impl Send for Tlsf<'_> {}

impl<'a> Tlsf<'a> {
    /// Manages `region` (at least 48 bytes).
    pub fn from_slice(region: &'a mut [MaybeUninit<u8>]) -> Result<Tlsf<'a>, Error> {
        // SAFETY: the exclusive borrow keeps the region ours for `'a`.
        let core = unsafe { Core::new(region.as_mut_ptr().cast(), region.len())? };
        Ok(Tlsf {
            core: UnsafeCell::new(core),
            owned: None,
            _region: PhantomData,
        })
    }

    #[inline]
    #[allow(clippy::mut_from_ref)]
    fn core(&self) -> &mut Core {
        // SAFETY: `Tlsf` is `!Sync` and no method re-enters another while holding this
        // reference, so it is the only live one.
        unsafe { &mut *self.core.get() }
    }

    /// Payload bytes the region offers.
    pub fn capacity(&self) -> usize {
        self.core().capacity()
    }
}

impl Tlsf<'static> {
    /// Manages an owned region of `bytes` taken from the global allocator (pages are
    /// touched only as blocks are used).
    pub fn with_capacity(bytes: usize) -> Result<Tlsf<'static>, Error> {
        let layout = Layout::from_size_align(bytes.max(64), 4096)
            .map_err(|_| Error::new(ErrorKind::InvalidRegion, NAME, bytes, 4096))?;
        // SAFETY: non-zero size.
        let base = NonNull::new(unsafe { std::alloc::alloc(layout) })
            .ok_or_else(|| Error::oom(NAME, layout))?;
        // SAFETY: the region is freshly allocated and owned by the returned value.
        match unsafe { Core::new(base.as_ptr(), layout.size()) } {
            Ok(core) => Ok(Tlsf {
                core: UnsafeCell::new(core),
                owned: Some((base, layout)),
                _region: PhantomData,
            }),
            Err(e) => {
                // SAFETY: allocated just above with `layout`.
                unsafe { std::alloc::dealloc(base.as_ptr(), layout) };
                Err(e)
            }
        }
    }
}

impl Drop for Tlsf<'_> {
    fn drop(&mut self) {
        if let Some((p, l)) = self.owned.take() {
            // SAFETY: allocated in `with_capacity` with `l`.
            unsafe { std::alloc::dealloc(p.as_ptr(), l) };
        }
    }
}

// SAFETY: `Core` hands out disjoint, aligned blocks of at least the requested size from
// the region, which lives as long as the allocator.
unsafe impl RawAlloc for Tlsf<'_> {
    fn name(&self) -> &'static str {
        NAME
    }

    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        if layout.size() == 0 {
            return Ok(dangling(layout));
        }
        self.core()
            .alloc(layout)
            .ok_or_else(|| Error::oom(NAME, layout))
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: `ptr` is a live block of this region (caller contract).
            unsafe { self.core().free(ptr) }
        }
    }

    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        // SAFETY: `ptr` is a live block of this region (caller contract).
        if old.size() != 0 && new_size != 0 && new_size <= unsafe { self.core().block_size(ptr) } {
            return Ok(ptr);
        }
        // SAFETY: forwarded caller contract.
        unsafe { crate::realloc_by_copy(self, ptr, old, new_size) }
    }

    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        // SAFETY: `ptr` is a live block of this region.
        unsafe { self.core().block_size(ptr) }
    }

    /// `current` is the payload bytes in use, `peak` its maximum.
    fn stats(&self) -> Option<Stats> {
        let c = self.core();
        Some(Stats {
            current: c.used(),
            peak: c.peak(),
        })
    }
}

impl_allocator_api2!(Tlsf<'_>);
