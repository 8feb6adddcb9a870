//! One [`ContextBackend`](crate::ContextBackend) per context-switching library, each behind its cargo
//! feature. See the [crate docs](crate#backends) for how they differ.

#[cfg(feature = "fcontext")]
mod fcontext;
#[cfg(feature = "libaco")]
mod libaco;
#[cfg(feature = "minicoro")]
mod minicoro;
#[cfg(all(feature = "native", target_arch = "x86_64"))]
mod native;
#[cfg(feature = "ucontext")]
mod ucontext;

#[cfg(feature = "fcontext")]
pub use self::fcontext::Fcontext;
#[cfg(feature = "libaco")]
pub use self::libaco::{Libaco, SharedStack};
#[cfg(feature = "minicoro")]
pub use self::minicoro::Minicoro;
#[cfg(all(feature = "native", target_arch = "x86_64"))]
pub use self::native::Native;
#[cfg(feature = "ucontext")]
pub use self::ucontext::Ucontext;

/// Suspends the running coroutine `raw` of `backend` (the erased `*mut` of that
/// backend's type): [`ContextBackend::suspend`](crate::ContextBackend::suspend) without a
/// call through a function pointer, so the switch is inlined into
/// [`Yielder::suspend`](crate::Yielder).
///
/// # Safety
/// As [`ContextBackend::suspend`](crate::ContextBackend::suspend); `raw` points at a live
/// coroutine of the type `backend` names (the trait is sealed, so `BACKEND` is always the
/// type's own).
#[cfg(feature = "any-backend")]
#[inline(always)]
pub(crate) unsafe fn suspend(backend: crate::Backend, raw: *mut ()) {
    use crate::{Backend, ContextBackend};
    match backend {
        #[cfg(feature = "fcontext")]
        // SAFETY: the caller's contract; `raw` is a `*mut Fcontext`.
        Backend::Fcontext => unsafe { Fcontext::suspend(raw.cast()) },
        #[cfg(feature = "minicoro")]
        // SAFETY: the caller's contract; `raw` is a `*mut Minicoro`.
        Backend::Minicoro => unsafe { Minicoro::suspend(raw.cast()) },
        #[cfg(feature = "ucontext")]
        // SAFETY: the caller's contract; `raw` is a `*mut Ucontext`.
        Backend::Ucontext => unsafe { Ucontext::suspend(raw.cast()) },
        #[cfg(feature = "libaco")]
        // SAFETY: the caller's contract; `raw` is a `*mut Libaco`.
        Backend::Libaco => unsafe { Libaco::suspend(raw.cast()) },
        #[cfg(all(feature = "native", target_arch = "x86_64"))]
        // SAFETY: the caller's contract; `raw` is a `*mut Native`.
        Backend::Native => unsafe { Native::suspend(raw.cast()) },
        // A coroutine exists only for a compiled-in backend.
        #[allow(unreachable_patterns)]
        _ => unreachable!("arsenal-coro: coroutine of a backend that is not compiled in"),
    }
}
