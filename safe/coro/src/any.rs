//! [`AnyCoroutine`]: a coroutine on a backend chosen at run time.

use crate::coroutine::{Coroutine, CoroutineResult, Yielder};
use crate::{backend, BackendKind, Error, ErrorKind};

/// A [`Coroutine`] on a backend picked at run time by [`BackendKind`] (or its name), with
/// the same API; each call dispatches over an enum of the compiled-in backends.
///
/// ```
/// use arsenal_coro::{AnyCoroutine, BackendKind, CoroutineResult};
///
/// for &kind in BackendKind::available() {
///     let mut co = AnyCoroutine::<u8, u8, u8>::new(kind, 64 * 1024, |y, a| y.suspend(a + 1) * 2)?;
///     assert_eq!(co.backend(), kind);
///     assert_eq!(co.resume(1)?, CoroutineResult::Yield(2));
///     assert_eq!(co.resume(4)?, CoroutineResult::Return(8));
/// }
/// let err = AnyCoroutine::<(), (), ()>::by_name("nonesuch", 0, |_, ()| ()).unwrap_err();
/// assert_eq!(err.kind(), arsenal_coro::ErrorKind::Unavailable);
/// # Ok::<(), arsenal_coro::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyCoroutine<I, Y, R> {
    /// On [`backend::Libaco`].
    #[cfg(feature = "libaco")]
    Libaco(Coroutine<I, Y, R, backend::Libaco>),
    /// On [`backend::Fcontext`].
    #[cfg(feature = "fcontext")]
    Fcontext(Coroutine<I, Y, R, backend::Fcontext>),
    /// On [`backend::Minicoro`].
    #[cfg(feature = "minicoro")]
    Minicoro(Coroutine<I, Y, R, backend::Minicoro>),
    /// On [`backend::Ucontext`].
    #[cfg(feature = "ucontext")]
    Ucontext(Coroutine<I, Y, R, backend::Ucontext>),
}

macro_rules! dispatch {
    ($self:expr, $co:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "libaco")]
            AnyCoroutine::Libaco($co) => $e,
            #[cfg(feature = "fcontext")]
            AnyCoroutine::Fcontext($co) => $e,
            #[cfg(feature = "minicoro")]
            AnyCoroutine::Minicoro($co) => $e,
            #[cfg(feature = "ucontext")]
            AnyCoroutine::Ucontext($co) => $e,
        }
    };
}

impl<I: 'static, Y: 'static, R: 'static> AnyCoroutine<I, Y, R> {
    /// A coroutine on backend `kind` with `stack_size` bytes of stack.
    ///
    /// # Errors
    /// [`ErrorKind::Unavailable`] when `kind` is not compiled in; creation errors of the
    /// backend.
    pub fn new<F>(kind: BackendKind, stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        let _ = (stack_size, &body);
        match kind {
            #[cfg(feature = "libaco")]
            BackendKind::Libaco => Coroutine::create(stack_size, body).map(AnyCoroutine::Libaco),
            #[cfg(feature = "fcontext")]
            BackendKind::Fcontext => {
                Coroutine::create(stack_size, body).map(AnyCoroutine::Fcontext)
            }
            #[cfg(feature = "minicoro")]
            BackendKind::Minicoro => {
                Coroutine::create(stack_size, body).map(AnyCoroutine::Minicoro)
            }
            #[cfg(feature = "ucontext")]
            BackendKind::Ucontext => {
                Coroutine::create(stack_size, body).map(AnyCoroutine::Ucontext)
            }
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unavailable,
                other.name(),
                format!(
                    "backend {other} is not compiled in (enable the `{other}` feature of arsenal-coro)"
                ),
            )),
        }
    }

    /// [`new`](Self::new) with the backend given by name (`"fcontext"`, ...).
    pub fn by_name<F>(name: &str, stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        Self::new(name.parse()?, stack_size, body)
    }

    /// See [`Coroutine::resume`].
    pub fn resume(&mut self, input: I) -> Result<CoroutineResult<Y, R>, Error> {
        dispatch!(self, co => co.resume(input))
    }

    /// See [`Coroutine::is_finished`].
    pub fn is_finished(&self) -> bool {
        dispatch!(self, co => co.is_finished())
    }

    /// See [`Coroutine::is_started`].
    pub fn is_started(&self) -> bool {
        dispatch!(self, co => co.is_started())
    }

    /// The backend it runs on.
    pub fn backend(&self) -> BackendKind {
        dispatch!(self, co => co.backend())
    }

    /// Usable bytes of its stack.
    pub fn stack_size(&self) -> usize {
        dispatch!(self, co => co.stack_size())
    }
}
