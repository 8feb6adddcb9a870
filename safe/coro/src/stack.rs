//! Guard-paged stacks: one anonymous mapping whose lowest page is `PROT_NONE`.

use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Error, ErrorKind};

/// Smallest usable stack any backend gets: requests below it are raised to it.
pub const MIN_STACK_SIZE: usize = 16 * 1024;

/// The stack size of [`Coroutine::new`](crate::Coroutine::new) and friends: 256 KiB
/// (address space only: untouched pages cost no memory).
pub const DEFAULT_STACK_SIZE: usize = 256 * 1024;

/// The system page size.
pub(crate) fn page_size() -> usize {
    static PAGE: AtomicUsize = AtomicUsize::new(0);
    match PAGE.load(Ordering::Relaxed) {
        0 => {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            let page = usize::try_from(page)
                .ok()
                .filter(|p| p.is_power_of_two())
                .unwrap_or(4096);
            PAGE.store(page, Ordering::Relaxed);
            page
        }
        page => page,
    }
}

/// `size` raised to [`MIN_STACK_SIZE`] and rounded up to whole pages: the usable stack
/// every backend provides for a request of `size` bytes.
///
/// ```
/// use arsenal_coro::{round_stack_size, MIN_STACK_SIZE};
/// assert_eq!(round_stack_size(1), Some(MIN_STACK_SIZE));
/// assert_eq!(round_stack_size(100_000).map(|s| s >= 100_000), Some(true));
/// assert_eq!(round_stack_size(usize::MAX), None);
/// ```
pub fn round_stack_size(size: usize) -> Option<usize> {
    let page = page_size();
    let size = size.max(MIN_STACK_SIZE);
    let rounded = size.checked_add(page - 1)? & !(page - 1);
    // Leave room for the guard page and a control block in the same mapping.
    rounded.checked_add(4 * page).map(|_| rounded)
}

pub(crate) fn checked_stack_size(size: usize, backend: &'static str) -> Result<usize, Error> {
    round_stack_size(size).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidStackSize,
            backend,
            format!("stack size {size} cannot be rounded up to whole pages"),
        )
    })
}

/// An anonymous mapping of `len` bytes (page multiple), unmapped on drop.
#[derive(Debug)]
pub(crate) struct Mapping {
    base: NonNull<u8>,
    len: usize,
}

impl Mapping {
    /// Maps `len` bytes read/write (`MAP_NORESERVE`: pages cost memory once touched).
    pub(crate) fn new(len: usize, backend: &'static str) -> Result<Mapping, Error> {
        // SAFETY: a fresh private anonymous mapping; the result is checked below.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | map_stack(),
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(Error::os(ErrorKind::StackAllocation, backend, "mmap"));
        }
        let base = NonNull::new(p.cast::<u8>())
            .ok_or_else(|| Error::new(ErrorKind::StackAllocation, backend, "mmap returned NULL"))?;
        Ok(Mapping { base, len })
    }

    /// Makes the page-aligned `page_size()` bytes at `at` inaccessible.
    pub(crate) fn protect_page(&self, at: *mut u8, backend: &'static str) -> Result<(), Error> {
        let page = page_size();
        debug_assert_eq!(at as usize % page, 0);
        debug_assert!(at >= self.base.as_ptr() && at as usize + page <= self.end() as usize);
        // SAFETY: `at..at+page` lies inside this mapping (checked by the callers' arithmetic).
        if unsafe { libc::mprotect(at.cast(), page, libc::PROT_NONE) } != 0 {
            return Err(Error::os(ErrorKind::StackAllocation, backend, "mprotect"));
        }
        Ok(())
    }

    pub(crate) fn base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    pub(crate) fn end(&self) -> *mut u8 {
        // SAFETY: one past the end of the mapping.
        unsafe { self.base.as_ptr().add(self.len) }
    }

    #[cfg_attr(not(feature = "minicoro"), allow(dead_code))]
    /// Gives up ownership: the caller unmaps `base..base+len` (minicoro's free callback).
    pub(crate) fn into_raw(self) -> *mut u8 {
        let base = self.base.as_ptr();
        std::mem::forget(self);
        base
    }

    /// Unmaps a mapping given up by [`Mapping::into_raw`].
    ///
    /// # Safety
    /// `base`/`len` describe exactly one mapping from `Mapping::new` that nothing uses.
    pub(crate) unsafe fn unmap_raw(base: *mut u8, len: usize) {
        // SAFETY: the caller's contract. munmap failing leaves the pages mapped (a leak).
        unsafe { libc::munmap(base.cast(), len) };
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `new` made; its owner no longer runs on it.
        unsafe { Mapping::unmap_raw(self.base.as_ptr(), self.len) };
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn map_stack() -> libc::c_int {
    libc::MAP_STACK
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn map_stack() -> libc::c_int {
    0
}

/// Released stacks a thread keeps for its next coroutines, at most.
pub const STACK_CACHE_PER_THREAD: usize = 16;

thread_local! {
    /// Guard-paged mappings of finished coroutines of this thread, guard page still
    /// `PROT_NONE`, ready for reuse by a coroutine of the same mapping length.
    static STACK_CACHE: RefCell<Vec<Mapping>> = const { RefCell::new(Vec::new()) };
}

/// A cached mapping of exactly `len` bytes, if this thread has one.
fn cache_take(len: usize) -> Option<Mapping> {
    STACK_CACHE
        .try_with(|cache| {
            let mut cache = cache.try_borrow_mut().ok()?;
            let index = cache.iter().rposition(|map| map.len == len)?;
            Some(cache.swap_remove(index))
        })
        .ok()
        .flatten()
}

/// Keeps `map` for reuse when this thread's cache has room; unmaps it otherwise (also
/// while the thread's locals are being destroyed).
fn cache_put(map: Mapping) {
    let mut slot = Some(map);
    let _ = STACK_CACHE.try_with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.len() < STACK_CACHE_PER_THREAD {
                cache.extend(slot.take());
            }
        }
    });
    drop(slot);
}

/// A stack we own: `[guard page][usable bytes][control block]`, one mapping. The
/// control block (`header` bytes at the top, 64-byte aligned, sharing the top page with
/// the first frames) holds the backend's state, so creating a coroutine costs an `mmap`
/// and an `mprotect` and no heap allocation, or no system call at all when this thread
/// has a released stack of the same size in its cache (up to
/// [`STACK_CACHE_PER_THREAD`] are kept; the rest are unmapped).
#[derive(Debug)]
#[allow(dead_code)] // not every backend uses a GuardedStack
pub(crate) struct GuardedStack {
    map: ManuallyDrop<Mapping>,
    header: *mut u8,
}

#[allow(dead_code)]
impl GuardedStack {
    /// `usable` (already rounded by [`round_stack_size`]) bytes of stack below a control
    /// block of `header` bytes, above a guard page.
    pub(crate) fn new(usable: usize, header: usize, backend: &'static str) -> Result<Self, Error> {
        let page = page_size();
        // The control block shares the top page with the first stack frames, so an idle
        // coroutine that has run a little touches one page, not two.
        let header_len = header.div_ceil(64) * 64;
        let len = (page + usable + header_len).div_ceil(page) * page;
        let map = match cache_take(len) {
            Some(map) => {
                // SAFETY: the control block lies inside the reused mapping, which no
                // coroutine runs on any more; backends expect it zeroed, as from `mmap`.
                unsafe { map.end().sub(header_len).write_bytes(0, header_len) };
                map
            }
            None => {
                let map = Mapping::new(len, backend)?;
                map.protect_page(map.base(), backend)?;
                map
            }
        };
        // SAFETY: inside the mapping: `header_len` bytes below its (page-aligned) end.
        let header = unsafe { map.end().sub(header_len) };
        Ok(GuardedStack {
            map: ManuallyDrop::new(map),
            header,
        })
    }

    /// The control block (64-byte aligned, zeroed by `mmap`).
    pub(crate) fn header(&self) -> *mut u8 {
        self.header
    }

    /// The highest usable stack address (exclusive), 64-byte aligned.
    pub(crate) fn top(&self) -> *mut u8 {
        self.header
    }

    /// The lowest usable stack address (just above the guard page).
    pub(crate) fn bottom(&self) -> *mut u8 {
        // SAFETY: the guard page is the first page of the mapping.
        unsafe { self.map.base().add(page_size()) }
    }

    /// Usable bytes between [`bottom`](Self::bottom) and [`top`](Self::top).
    pub(crate) fn usable(&self) -> usize {
        self.top() as usize - self.bottom() as usize
    }
}

impl Drop for GuardedStack {
    fn drop(&mut self) {
        // SAFETY: `map` is taken exactly once, here; the backend that owned this stack
        // no longer runs on it (its coroutine finished, unwound or never started).
        let map = unsafe { ManuallyDrop::take(&mut self.map) };
        cache_put(map);
    }
}

impl Mapping {
    #[cfg_attr(not(feature = "minicoro"), allow(dead_code))]
    /// Views an existing mapping of `len` bytes at `base` (e.g. one given up with
    /// [`Mapping::into_raw`]); wrap it in `ManuallyDrop` unless this value should unmap it.
    ///
    /// # Safety
    /// `base..base+len` is one live mapping from [`Mapping::new`].
    pub(crate) unsafe fn from_raw(base: *mut u8, len: usize) -> Mapping {
        Mapping {
            // SAFETY: mappings never start at NULL (checked in `new`).
            base: unsafe { NonNull::new_unchecked(base) },
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_stacks_are_reused_with_a_zeroed_control_block() {
        let usable = round_stack_size(64 * 1024).unwrap();
        let first = GuardedStack::new(usable, 256, "test").unwrap();
        let base = first.map.base();
        // SAFETY: the control block is 256 writable bytes inside the mapping.
        unsafe { first.header().write_bytes(0xAB, 256) };
        drop(first);
        let second = GuardedStack::new(usable, 256, "test").unwrap();
        assert_eq!(second.map.base(), base, "the cached mapping is reused");
        // SAFETY: as above.
        let header = unsafe { std::slice::from_raw_parts(second.header(), 256) };
        assert!(header.iter().all(|&b| b == 0));
        // Another size does not take it.
        let other = GuardedStack::new(usable * 2, 256, "test").unwrap();
        assert_ne!(other.map.base(), base);
        assert!(other.usable() >= usable * 2);
    }

    #[test]
    fn the_cache_is_bounded() {
        let usable = round_stack_size(32 * 1024).unwrap();
        let stacks: Vec<_> = (0..STACK_CACHE_PER_THREAD + 8)
            .map(|_| GuardedStack::new(usable, 64, "test").unwrap())
            .collect();
        drop(stacks);
        let cached = STACK_CACHE.with(|cache| cache.borrow().len());
        assert!(cached <= STACK_CACHE_PER_THREAD, "{cached} cached");
    }
}
