//! Memory allocators behind one trait, [`RawAlloc`]: four C allocators, the system
//! allocator, and four small native Rust allocators, with a [`GlobalAlloc`] adapter
//! ([`Global`]), `allocator_api2::alloc::Allocator` impls and a runtime choice
//! ([`AnyAlloc`] from a [`Backend`]).
//!
//! | backend | feature | type | thread-safe (`Sync`) | global-capable | `usable_size` | `stats` |
//! |---|---|---|---|---|---|---|
//! | mimalloc | `mimalloc` | [`Mimalloc`] | yes | yes (`global-mimalloc`) | `mi_usable_size` | process RSS / commit (`mi_process_info`) |
//! | jemalloc 5.3 | `jemalloc` | [`Jemalloc`] | yes | yes (`global-jemalloc`) | `sallocx` | no |
//! | rpmalloc | `rpmalloc` | [`Rpmalloc`] | yes | yes (`global-rpmalloc`) | `rpmalloc_usable_size` | no |
//! | snmalloc | `snmalloc` | [`Snmalloc`] | yes | yes (`global-snmalloc`) | `sn_rust_usable_size` | OS reservation (`sn_rust_statistics`) |
//! | glibc malloc | always | [`System`] | yes | yes (`global-system`) | `malloc_usable_size` (glibc) | no |
//! | bump arena | always | [`Bump`] | no (`Send`, `!Sync`) | no | the requested size | chunk bytes / peak chunk bytes |
//! | slab | always | [`Slab`] | no (`Send`, `!Sync`) | no | the slot size | slot bytes in use / peak |
//! | size-class pool | always | [`Pool`] | no (`Send`, `!Sync`) | no | the class size | as slab, summed |
//! | TLSF | always | [`Tlsf`] | no (`Send`, `!Sync`) | no | the block size | payload bytes in use / peak |
//!
//! The native allocators exist because no C library in the set gives these shapes:
//! an arena freed all at once ([`Bump`]), fixed-size object caches ([`Slab`], [`Pool`]) and
//! a bounded-time allocator over a fixed region ([`Tlsf`], for real-time and
//! `no_std`-style use). They are `!Sync` (interior mutability without locks); wrap one in
//! a lock per thread if you need sharing.
//!
//! [`DefaultAlloc`] is the first enabled of mimalloc, jemalloc, snmalloc, rpmalloc, and
//! [`System`] when none is enabled (so no feature is required; the native allocators and
//! `System` are always built); `Backend::available()` lists the compiled-in backends in
//! that order, then TLSF. Library authors should depend with `default-features = false`
//! and let the application pick backends.
//!
//! # Conventions shared by every backend
//! * Zero-size requests return a dangling pointer aligned to `layout.align()` (the
//!   address equals the alignment, as Rust's collections do); `dealloc` ignores it and
//!   `realloc` from it allocates afresh. No C allocator sees a zero-size request.
//! * Alignments up to [`MAX_ALIGN`] (4096) are supported by every backend except
//!   [`Slab`]/[`Pool`], which serve what fits their slots. The C backends, [`System`],
//!   [`Bump`] and [`Tlsf`] are tested up to 64 KiB; rpmalloc up to 32 KiB (its aligned
//!   paths need alignments below its 64 KiB span; larger gives
//!   [`ErrorKind::Unsupported`]).
//! * Failure is an [`Error`], never an abort: huge requests return
//!   [`ErrorKind::OutOfMemory`] and the old block of a failed `realloc` stays valid.
//!
//! # Runtime choice
//! [`Backend`] names the general-purpose allocators (every C one, [`System`], [`Tlsf`]
//! over an owned region), compiled in or not; [`Backend::for_strategy`] picks one for an
//! [`arsenal_core::Strategy`], citing the benchmark row behind each choice (see
//! [`Backend`]), and [`AnyAlloc::new`] builds it:
//!
//! ```
//! use arsenal_alloc::{AnyAlloc, Backend, RawAlloc};
//! use arsenal_core::Strategy;
//! use core::alloc::Layout;
//!
//! let a = AnyAlloc::new(Backend::for_strategy(Strategy::Latency))?;
//! let layout = Layout::from_size_align(100, 64).unwrap();
//! let p = a.alloc(layout)?;
//! assert_eq!(p.as_ptr() as usize % 64, 0);
//! // SAFETY: `p` came from `a` with `layout`.
//! unsafe { a.dealloc(p, layout) };
//! let system = AnyAlloc::new("System".parse()?)?;
//! assert_eq!(system.backend(), Backend::System);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

use core::alloc::{GlobalAlloc, Layout};
use core::fmt;
use core::ptr::NonNull;

mod any;
pub mod backend;
mod select;

/// The `allocator_api2` version this crate implements `Allocator` for, re-exported so
/// users name the same one (`arsenal_alloc::allocator_api2::vec::Vec::new_in(&bump)`).
pub use allocator_api2;

pub use any::AnyAlloc;
pub use backend::bump::Bump;
#[cfg(feature = "jemalloc")]
pub use backend::jemalloc::Jemalloc;
#[cfg(feature = "mimalloc")]
pub use backend::mimalloc::Mimalloc;
pub use backend::pool::Pool;
#[cfg(feature = "rpmalloc")]
pub use backend::rpmalloc::Rpmalloc;
pub use backend::slab::Slab;
#[cfg(feature = "snmalloc")]
pub use backend::snmalloc::Snmalloc;
pub use backend::system::System;
pub use backend::tlsf::Tlsf;
pub use select::Backend;

/// The largest alignment every backend supports.
pub const MAX_ALIGN: usize = 4096;

/// The default allocator: mimalloc, else jemalloc, else snmalloc, else rpmalloc, else
/// [`System`]; the same priority as `Backend::available()`, whose first entry names it.
///
/// ```
/// use arsenal_alloc::{Backend, DefaultAlloc, RawAlloc};
/// let default: DefaultAlloc = Default::default();
/// assert_eq!(default.name(), Backend::available()[0].name());
/// ```
#[cfg(feature = "mimalloc")]
pub type DefaultAlloc = Mimalloc;
/// The default allocator: mimalloc, else jemalloc, else snmalloc, else rpmalloc, else
/// [`System`]; the same priority as `Backend::available()`, whose first entry names it.
///
/// ```
/// use arsenal_alloc::{Backend, DefaultAlloc, RawAlloc};
/// let default: DefaultAlloc = Default::default();
/// assert_eq!(default.name(), Backend::available()[0].name());
/// ```
#[cfg(all(not(feature = "mimalloc"), feature = "jemalloc"))]
pub type DefaultAlloc = Jemalloc;
/// The default allocator: mimalloc, else jemalloc, else snmalloc, else rpmalloc, else
/// [`System`]; the same priority as `Backend::available()`, whose first entry names it.
///
/// ```
/// use arsenal_alloc::{Backend, DefaultAlloc, RawAlloc};
/// let default: DefaultAlloc = Default::default();
/// assert_eq!(default.name(), Backend::available()[0].name());
/// ```
#[cfg(all(
    not(feature = "mimalloc"),
    not(feature = "jemalloc"),
    feature = "snmalloc"
))]
pub type DefaultAlloc = Snmalloc;
/// The default allocator: mimalloc, else jemalloc, else snmalloc, else rpmalloc, else
/// [`System`]; the same priority as `Backend::available()`, whose first entry names it.
///
/// ```
/// use arsenal_alloc::{Backend, DefaultAlloc, RawAlloc};
/// let default: DefaultAlloc = Default::default();
/// assert_eq!(default.name(), Backend::available()[0].name());
/// ```
#[cfg(all(
    not(feature = "mimalloc"),
    not(feature = "jemalloc"),
    not(feature = "snmalloc"),
    feature = "rpmalloc"
))]
pub type DefaultAlloc = Rpmalloc;
/// The default allocator: mimalloc, else jemalloc, else snmalloc, else rpmalloc, else
/// [`System`]; the same priority as `Backend::available()`, whose first entry names it.
///
/// ```
/// use arsenal_alloc::{Backend, DefaultAlloc, RawAlloc};
/// let default: DefaultAlloc = Default::default();
/// assert_eq!(default.name(), Backend::available()[0].name());
/// ```
#[cfg(not(feature = "any-backend"))]
pub type DefaultAlloc = System;

/// What went wrong.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The allocator returned no memory (out of memory, or a request too large to serve).
    OutOfMemory,
    /// The layout is valid Rust but this allocator cannot serve it (alignment or size
    /// beyond its design, e.g. an object larger than a slab's slot).
    Unsupported,
    /// The backend was not compiled in (its cargo feature is off), or its name is unknown.
    Unavailable,
    /// A region handed to an allocator is too small or too large to manage.
    InvalidRegion,
}

/// The error of every allocator in this crate: the kind, the backend, and the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    size: usize,
    align: usize,
}

impl Error {
    #[cold]
    pub(crate) fn new(kind: ErrorKind, backend: &'static str, size: usize, align: usize) -> Self {
        Error {
            kind,
            backend,
            size,
            align,
        }
    }

    #[cold]
    pub(crate) fn oom(backend: &'static str, layout: Layout) -> Self {
        Error::new(
            ErrorKind::OutOfMemory,
            backend,
            layout.size(),
            layout.align(),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that failed (`"mimalloc"`, `"tlsf"`, ...).
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The size of the failed request in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The alignment of the failed request.
    pub fn align(&self) -> usize {
        self.align
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Unsupported => "unsupported layout",
            ErrorKind::Unavailable => "backend not compiled in (enable its cargo feature)",
            ErrorKind::InvalidRegion => "invalid region",
        };
        write!(
            f,
            "{}: {what} (size {}, align {})",
            self.backend, self.size, self.align
        )
    }
}

impl std::error::Error for Error {}

impl From<Error> for allocator_api2::alloc::AllocError {
    fn from(_: Error) -> Self {
        allocator_api2::alloc::AllocError
    }
}

/// Memory figures an allocator reports about itself; what they count depends on the
/// backend (see the crate's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Bytes currently held (in use, or reserved from the OS for the C allocators).
    pub current: usize,
    /// The high-water mark of `current`.
    pub peak: usize,
}

/// An allocator: the operations of [`GlobalAlloc`] with `Result`s, usable size and
/// statistics.
///
/// # Safety
/// Implementors must return blocks that are valid for reads and writes of
/// `layout.size()` bytes, aligned to `layout.align()`, and disjoint from every other live
/// block, until they are passed to `dealloc` or `realloc`.
///
/// ```
/// use arsenal_alloc::{RawAlloc, System};
/// use core::alloc::Layout;
///
/// let layout = Layout::from_size_align(32, 16).unwrap();
/// let p = System.alloc_zeroed(layout)?;
/// // SAFETY: `p` is a live block of 32 zeroed bytes from `System`.
/// unsafe {
///     assert_eq!(*p.as_ptr().add(31), 0);
///     let q = System.realloc(p, layout, 4096)?;
///     assert!(System.usable_size(q, Layout::from_size_align(4096, 16).unwrap()) >= 4096);
///     System.dealloc(q, Layout::from_size_align(4096, 16).unwrap());
/// }
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
pub unsafe trait RawAlloc {
    /// The backend's name (`"mimalloc"`, `"system"`, `"tlsf"`, ...).
    fn name(&self) -> &'static str;

    /// Allocates a block for `layout`.
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error>;

    /// Allocates a zero-filled block for `layout`.
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        let p = self.alloc(layout)?;
        // SAFETY: `p` is valid for writes of `layout.size()` bytes.
        unsafe { p.as_ptr().write_bytes(0, layout.size()) };
        Ok(p)
    }

    /// Frees a block.
    ///
    /// # Safety
    /// `ptr` must come from this allocator with this `layout` and not have been freed.
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout);

    /// Resizes a block to `new_size` bytes, keeping `old.align()` and the first
    /// `min(old.size(), new_size)` bytes. On `Err` the old block is untouched and live.
    ///
    /// # Safety
    /// `ptr` must come from this allocator with layout `old` and not have been freed.
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        // SAFETY: forwarded caller contract.
        unsafe { realloc_by_copy(self, ptr, old, new_size) }
    }

    /// The number of bytes the block really offers (at least `layout.size()`).
    ///
    /// # Safety
    /// `ptr` must be a live block of this allocator with `layout`.
    unsafe fn usable_size(&self, _ptr: NonNull<u8>, layout: Layout) -> usize {
        layout.size()
    }

    /// Memory figures, where the backend has them.
    fn stats(&self) -> Option<Stats> {
        None
    }
}

/// The dangling, aligned pointer every backend returns for a zero-size request.
#[inline]
pub(crate) fn dangling(layout: Layout) -> NonNull<u8> {
    // Alignment is never zero, so the address is non-null; it is never dereferenced.
    match NonNull::new(layout.align() as *mut u8) {
        Some(p) => p,
        None => NonNull::dangling(),
    }
}

/// The new layout of a realloc, as an `Err` naming `backend` when it overflows.
#[inline]
pub(crate) fn new_layout(
    backend: &'static str,
    old: Layout,
    new_size: usize,
) -> Result<Layout, Error> {
    Layout::from_size_align(new_size, old.align())
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, backend, new_size, old.align()))
}

/// `realloc` as allocate, copy, free; handles zero sizes.
///
/// # Safety
/// As [`RawAlloc::realloc`].
pub(crate) unsafe fn realloc_by_copy<A: RawAlloc + ?Sized>(
    a: &A,
    ptr: NonNull<u8>,
    old: Layout,
    new_size: usize,
) -> Result<NonNull<u8>, Error> {
    let new = new_layout(a.name(), old, new_size)?;
    let q = a.alloc(new)?;
    // SAFETY: both blocks are live, disjoint and at least `min(..)` bytes long; the old
    // one came from `a` with `old` (caller contract).
    unsafe {
        core::ptr::copy_nonoverlapping(ptr.as_ptr(), q.as_ptr(), old.size().min(new_size));
        a.dealloc(ptr, old);
    }
    Ok(q)
}

/// Adapts a thread-safe [`RawAlloc`] to [`GlobalAlloc`] (null on failure, as the trait
/// wants), so it can be the process's allocator:
///
/// ```no_run
/// # #[cfg(all(feature = "mimalloc", not(any(feature = "global-mimalloc",
/// #     feature = "global-jemalloc", feature = "global-rpmalloc",
/// #     feature = "global-snmalloc", feature = "global-system"))))] {
/// #[global_allocator]
/// static GLOBAL: arsenal_alloc::Global<arsenal_alloc::Mimalloc> =
///     arsenal_alloc::Global::new(arsenal_alloc::Mimalloc);
/// # }
/// ```
///
/// The C backends and [`System`] qualify; the native allocators are `!Sync` and do not.
/// The features `global-mimalloc`, `global-jemalloc`, `global-rpmalloc`,
/// `global-snmalloc` and `global-system` (at most one) install such a static from this
/// crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Global<A>(A);

impl<A> Global<A> {
    /// Wraps an allocator.
    pub const fn new(a: A) -> Self {
        Global(a)
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.0
    }
}

// SAFETY: `RawAlloc`'s contract gives blocks valid for `layout`; null is returned on
// failure and the zero-size conventions never reach `GlobalAlloc` callers with a block
// they could not free (`dealloc` ignores zero sizes). `A: Sync` because a global
// allocator is called from every thread.
unsafe impl<A: RawAlloc + Sync> GlobalAlloc for Global<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.0.alloc(layout) {
            Ok(p) => p.as_ptr(),
            Err(_) => core::ptr::null_mut(),
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match self.0.alloc_zeroed(layout) {
            Ok(p) => p.as_ptr(),
            Err(_) => core::ptr::null_mut(),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(p) = NonNull::new(ptr) {
            // SAFETY: `GlobalAlloc::dealloc`'s contract: `ptr` came from `alloc` with `layout`.
            unsafe { self.0.dealloc(p, layout) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Some(p) = NonNull::new(ptr) else {
            return core::ptr::null_mut();
        };
        // SAFETY: `GlobalAlloc::realloc`'s contract: `ptr` is live with `layout`.
        match unsafe { self.0.realloc(p, layout, new_size) } {
            Ok(q) => q.as_ptr(),
            Err(_) => core::ptr::null_mut(),
        }
    }
}

/// Implements `allocator_api2::alloc::Allocator` for a [`RawAlloc`] type; `grow` and
/// `shrink` with an unchanged alignment go through the backend's `realloc`.
macro_rules! impl_allocator_api2 {
    ($($ty:ty),* $(,)?) => {$(
        // SAFETY: blocks come from `RawAlloc`, whose contract matches `Allocator`'s:
        // valid for the layout until deallocated; moving the allocator value does not
        // move its blocks (C backends are stateless handles; the arenas hand out memory
        // from heap chunks that do not move with the value).
        unsafe impl allocator_api2::alloc::Allocator for $ty {
            #[inline]
            fn allocate(
                &self,
                layout: Layout,
            ) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
                let p = RawAlloc::alloc(self, layout)?;
                Ok(NonNull::slice_from_raw_parts(p, layout.size()))
            }

            #[inline]
            fn allocate_zeroed(
                &self,
                layout: Layout,
            ) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
                let p = RawAlloc::alloc_zeroed(self, layout)?;
                Ok(NonNull::slice_from_raw_parts(p, layout.size()))
            }

            #[inline]
            unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
                // SAFETY: `Allocator::deallocate`'s contract.
                unsafe { RawAlloc::dealloc(self, ptr, layout) }
            }

            unsafe fn grow(
                &self,
                ptr: NonNull<u8>,
                old: Layout,
                new: Layout,
            ) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
                // SAFETY: `Allocator::grow`'s contract: `ptr` is live with `old`.
                unsafe { crate::resize_api2(self, ptr, old, new) }
            }

            unsafe fn shrink(
                &self,
                ptr: NonNull<u8>,
                old: Layout,
                new: Layout,
            ) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
                // SAFETY: `Allocator::shrink`'s contract: `ptr` is live with `old`.
                unsafe { crate::resize_api2(self, ptr, old, new) }
            }
        }
    )*};
}
pub(crate) use impl_allocator_api2;

/// `grow`/`shrink` for the `allocator_api2` impls.
///
/// # Safety
/// `ptr` is live in `a` with layout `old`.
pub(crate) unsafe fn resize_api2<A: RawAlloc + ?Sized>(
    a: &A,
    ptr: NonNull<u8>,
    old: Layout,
    new: Layout,
) -> Result<NonNull<[u8]>, allocator_api2::alloc::AllocError> {
    let q = if new.align() == old.align() {
        // SAFETY: caller contract.
        unsafe { a.realloc(ptr, old, new.size())? }
    } else {
        let q = a.alloc(new)?;
        // SAFETY: both live and disjoint; `ptr` came from `a` with `old`.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr.as_ptr(), q.as_ptr(), old.size().min(new.size()));
            a.dealloc(ptr, old);
        }
        q
    };
    Ok(NonNull::slice_from_raw_parts(q, new.size()))
}

#[cfg(any(
    all(feature = "global-mimalloc", feature = "global-jemalloc"),
    all(feature = "global-mimalloc", feature = "global-rpmalloc"),
    all(feature = "global-mimalloc", feature = "global-snmalloc"),
    all(feature = "global-mimalloc", feature = "global-system"),
    all(feature = "global-jemalloc", feature = "global-rpmalloc"),
    all(feature = "global-jemalloc", feature = "global-snmalloc"),
    all(feature = "global-jemalloc", feature = "global-system"),
    all(feature = "global-rpmalloc", feature = "global-snmalloc"),
    all(feature = "global-rpmalloc", feature = "global-system"),
    all(feature = "global-snmalloc", feature = "global-system"),
))]
compile_error!(
    "arsenal-alloc: enable at most one of the features `global-mimalloc`, `global-jemalloc`, \
     `global-rpmalloc`, `global-snmalloc`, `global-system` (a process has one global allocator)"
);

#[cfg(feature = "global-mimalloc")]
#[global_allocator]
static GLOBAL_MIMALLOC: Global<Mimalloc> = Global::new(Mimalloc);
#[cfg(feature = "global-jemalloc")]
#[global_allocator]
static GLOBAL_JEMALLOC: Global<Jemalloc> = Global::new(Jemalloc);
#[cfg(feature = "global-rpmalloc")]
#[global_allocator]
static GLOBAL_RPMALLOC: Global<Rpmalloc> = Global::new(Rpmalloc);
#[cfg(feature = "global-snmalloc")]
#[global_allocator]
static GLOBAL_SNMALLOC: Global<Snmalloc> = Global::new(Snmalloc);
#[cfg(feature = "global-system")]
#[global_allocator]
static GLOBAL_SYSTEM: Global<System> = Global::new(System);
