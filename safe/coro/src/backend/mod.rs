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

/// Suspends the running coroutine of `backend` whose
/// [`suspend_handle`](crate::ContextBackend::suspend_handle) is `raw`:
/// [`ContextBackend::suspend`](crate::ContextBackend::suspend) without a call through a
/// function pointer, so the switch is inlined into [`Yielder::suspend`](crate::Yielder).
///
/// # Safety
/// As [`ContextBackend::suspend`](crate::ContextBackend::suspend); `raw` is the suspend
/// handle of a live coroutine of the type `backend` names (the trait is sealed, so `BACKEND` is always the
/// type's own).
#[cfg(feature = "any-backend")]
#[inline(always)]
pub(crate) unsafe fn suspend(backend: crate::Backend, raw: *mut ()) {
    use crate::{Backend, ContextBackend};
    // The native backend first, by a plain comparison: the default and fastest one
    // then pays no jump table on its hottest path.
    #[cfg(all(feature = "native", target_arch = "x86_64"))]
    if backend == Backend::Native {
        // SAFETY: the caller's contract; `raw` is a `Native`'s handle.
        return unsafe { Native::suspend_by_handle(raw) };
    }
    match backend {
        #[cfg(feature = "fcontext")]
        // SAFETY: the caller's contract; `raw` is a `Fcontext`'s handle.
        Backend::Fcontext => unsafe { Fcontext::suspend_by_handle(raw) },
        #[cfg(feature = "minicoro")]
        // SAFETY: the caller's contract; `raw` is a `Minicoro`'s handle.
        Backend::Minicoro => unsafe { Minicoro::suspend_by_handle(raw) },
        #[cfg(feature = "ucontext")]
        // SAFETY: the caller's contract; `raw` is a `Ucontext`'s handle.
        Backend::Ucontext => unsafe { Ucontext::suspend_by_handle(raw) },
        #[cfg(feature = "libaco")]
        // SAFETY: the caller's contract; `raw` is a `Libaco`'s handle.
        Backend::Libaco => unsafe { Libaco::suspend_by_handle(raw) },
        // A coroutine exists only for a compiled-in backend (native: handled above).
        #[allow(unreachable_patterns)]
        _ => unreachable!("arsenal-coro: coroutine of a backend that is not compiled in"),
    }
}
