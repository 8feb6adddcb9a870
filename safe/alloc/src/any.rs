//! [`AnyAlloc`]: an allocator chosen at run time by a [`Backend`] value.

use core::alloc::Layout;
use core::ptr::NonNull;

#[cfg(feature = "jemalloc")]
use crate::Jemalloc;
#[cfg(feature = "mimalloc")]
use crate::Mimalloc;
#[cfg(feature = "rpmalloc")]
use crate::Rpmalloc;
#[cfg(feature = "snmalloc")]
use crate::Snmalloc;
use crate::{impl_allocator_api2, Backend, Error, ErrorKind, RawAlloc, Stats, System, Tlsf};

/// One of the compiled-in allocators, chosen at run time ([`AnyAlloc::new`] from a
/// [`Backend`], e.g. one parsed from a name or picked by [`Backend::for_strategy`]); every
/// call dispatches over an enum of the compiled-in backends.
///
/// `!Sync` because of the TLSF variant; use the concrete types for sharing.
///
/// ```
/// use arsenal_alloc::{AnyAlloc, Backend, RawAlloc};
/// use core::alloc::Layout;
///
/// for backend in Backend::available() {
///     let a = AnyAlloc::new(backend)?;
///     assert_eq!(a.backend(), backend);
///     let layout = Layout::from_size_align(48, 16).unwrap();
///     let p = a.alloc(layout)?;
///     // SAFETY: `p` is a live block of `a` with `layout`.
///     unsafe { a.dealloc(p, layout) };
/// }
/// # Ok::<(), arsenal_alloc::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyAlloc {
    /// mimalloc.
    #[cfg(feature = "mimalloc")]
    Mimalloc(Mimalloc),
    /// jemalloc.
    #[cfg(feature = "jemalloc")]
    Jemalloc(Jemalloc),
    /// rpmalloc.
    #[cfg(feature = "rpmalloc")]
    Rpmalloc(Rpmalloc),
    /// snmalloc.
    #[cfg(feature = "snmalloc")]
    Snmalloc(Snmalloc),
    /// glibc malloc.
    System(System),
    /// TLSF over an owned region (boxed: its index is ~6 KiB).
    Tlsf(Box<Tlsf<'static>>),
}

impl AnyAlloc {
    /// The region size [`AnyAlloc::new`] gives TLSF: 64 MiB (address space: its pages
    /// become resident as blocks are first written).
    pub const DEFAULT_TLSF_REGION: usize = 64 << 20;

    /// The allocator `backend` names; TLSF gets an owned region of
    /// [`AnyAlloc::DEFAULT_TLSF_REGION`] bytes (use [`AnyAlloc::tlsf`] for another size).
    ///
    /// # Errors
    /// [`ErrorKind::Unavailable`] when the backend's feature is off; TLSF's region errors.
    ///
    /// ```
    /// use arsenal_alloc::{AnyAlloc, Backend, ErrorKind};
    /// let tlsf = AnyAlloc::new(Backend::Tlsf)?;
    /// assert_eq!(tlsf.backend(), Backend::Tlsf);
    /// # #[cfg(not(feature = "mimalloc"))]
    /// assert_eq!(AnyAlloc::new(Backend::Mimalloc).unwrap_err().kind(), ErrorKind::Unavailable);
    /// # Ok::<(), arsenal_alloc::Error>(())
    /// ```
    pub fn new(backend: Backend) -> Result<AnyAlloc, Error> {
        match backend {
            #[cfg(feature = "mimalloc")]
            Backend::Mimalloc => Ok(AnyAlloc::Mimalloc(Mimalloc)),
            #[cfg(feature = "jemalloc")]
            Backend::Jemalloc => Ok(AnyAlloc::Jemalloc(Jemalloc)),
            #[cfg(feature = "rpmalloc")]
            Backend::Rpmalloc => Ok(AnyAlloc::Rpmalloc(Rpmalloc)),
            #[cfg(feature = "snmalloc")]
            Backend::Snmalloc => Ok(AnyAlloc::Snmalloc(Snmalloc)),
            Backend::System => Ok(AnyAlloc::System(System)),
            Backend::Tlsf => AnyAlloc::tlsf(AnyAlloc::DEFAULT_TLSF_REGION),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(ErrorKind::Unavailable, other.name(), 0, 1)),
        }
    }

    /// TLSF over an owned region of `region_bytes`.
    ///
    /// ```
    /// use arsenal_alloc::{AnyAlloc, RawAlloc};
    /// let small = AnyAlloc::tlsf(1 << 20)?;
    /// assert_eq!(small.name(), "tlsf");
    /// # Ok::<(), arsenal_alloc::Error>(())
    /// ```
    pub fn tlsf(region_bytes: usize) -> Result<AnyAlloc, Error> {
        Ok(AnyAlloc::Tlsf(Box::new(Tlsf::with_capacity(region_bytes)?)))
    }

    /// The backend of this allocator.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "mimalloc")]
            AnyAlloc::Mimalloc(_) => Backend::Mimalloc,
            #[cfg(feature = "jemalloc")]
            AnyAlloc::Jemalloc(_) => Backend::Jemalloc,
            #[cfg(feature = "rpmalloc")]
            AnyAlloc::Rpmalloc(_) => Backend::Rpmalloc,
            #[cfg(feature = "snmalloc")]
            AnyAlloc::Snmalloc(_) => Backend::Snmalloc,
            AnyAlloc::System(_) => Backend::System,
            AnyAlloc::Tlsf(_) => Backend::Tlsf,
        }
    }
}

macro_rules! dispatch {
    ($self:ident, $a:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "mimalloc")]
            AnyAlloc::Mimalloc($a) => $e,
            #[cfg(feature = "jemalloc")]
            AnyAlloc::Jemalloc($a) => $e,
            #[cfg(feature = "rpmalloc")]
            AnyAlloc::Rpmalloc($a) => $e,
            #[cfg(feature = "snmalloc")]
            AnyAlloc::Snmalloc($a) => $e,
            AnyAlloc::System($a) => $e,
            AnyAlloc::Tlsf($a) => $e,
        }
    };
}

// SAFETY: every call forwards to the wrapped allocator, which upholds the contract.
unsafe impl RawAlloc for AnyAlloc {
    fn name(&self) -> &'static str {
        dispatch!(self, a => a.name())
    }
    #[inline]
    fn alloc(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        dispatch!(self, a => a.alloc(layout))
    }
    #[inline]
    fn alloc_zeroed(&self, layout: Layout) -> Result<NonNull<u8>, Error> {
        dispatch!(self, a => a.alloc_zeroed(layout))
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: forwarded caller contract.
        dispatch!(self, a => unsafe { a.dealloc(ptr, layout) })
    }
    #[inline]
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new_size: usize,
    ) -> Result<NonNull<u8>, Error> {
        // SAFETY: forwarded caller contract.
        dispatch!(self, a => unsafe { a.realloc(ptr, old, new_size) })
    }
    unsafe fn usable_size(&self, ptr: NonNull<u8>, layout: Layout) -> usize {
        // SAFETY: forwarded caller contract.
        dispatch!(self, a => unsafe { a.usable_size(ptr, layout) })
    }
    fn stats(&self) -> Option<Stats> {
        dispatch!(self, a => a.stats())
    }
}

impl_allocator_api2!(AnyAlloc);
