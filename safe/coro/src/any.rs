//! [`AnyCoroutine`]: a coroutine on a backend chosen at run time.

use crate::coroutine::{Coroutine, CoroutineResult, Yielder};
use crate::{backend, Backend, Error, ErrorKind};

/// A [`Coroutine`] on a backend picked at run time by a [`Backend`] value (parse one from
/// its name, or ask [`Backend::for_strategy`]), with the same API; each call dispatches
/// over an enum of the compiled-in backends.
///
/// ```
/// use arsenal_coro::{AnyCoroutine, Backend, CoroutineResult};
///
/// for backend in Backend::available() {
///     let mut co = AnyCoroutine::<u8, u8, u8>::new(backend, 64 * 1024, |y, a| y.suspend(a + 1) * 2)?;
///     assert_eq!(co.backend(), backend);
///     assert_eq!(co.resume(1)?, CoroutineResult::Yield(2));
///     assert_eq!(co.resume(4)?, CoroutineResult::Return(8));
/// }
/// // By name: an unknown name is an `Unavailable` error listing the valid ones.
/// let co = AnyCoroutine::<(), (), ()>::new("fcontext".parse()?, 0, |_, ()| ());
/// # #[cfg(feature = "fcontext")]
/// assert!(co.is_ok());
/// let err: arsenal_coro::Error = "nonesuch".parse::<Backend>().unwrap_err().into();
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
    /// On [`backend::Native`].
    #[cfg(all(feature = "native", target_arch = "x86_64"))]
    Native(Coroutine<I, Y, R, backend::Native>),
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
            #[cfg(all(feature = "native", target_arch = "x86_64"))]
            AnyCoroutine::Native($co) => $e,
        }
    };
}

impl<I: 'static, Y: 'static, R: 'static> AnyCoroutine<I, Y, R> {
    /// A coroutine on `backend` with `stack_size` bytes of stack (raised to
    /// [`MIN_STACK_SIZE`](crate::MIN_STACK_SIZE), rounded up to pages).
    ///
    /// # Errors
    /// [`ErrorKind::Unavailable`] when `backend` is not compiled in; creation errors of the
    /// backend.
    pub fn new<F>(backend: Backend, stack_size: usize, body: F) -> Result<Self, Error>
    where
        F: FnOnce(&Yielder<I, Y>, I) -> R + 'static,
    {
        let _ = (stack_size, &body);
        match backend {
            #[cfg(feature = "libaco")]
            Backend::Libaco => Coroutine::create(stack_size, body).map(AnyCoroutine::Libaco),
            #[cfg(feature = "fcontext")]
            Backend::Fcontext => Coroutine::create(stack_size, body).map(AnyCoroutine::Fcontext),
            #[cfg(feature = "minicoro")]
            Backend::Minicoro => Coroutine::create(stack_size, body).map(AnyCoroutine::Minicoro),
            #[cfg(feature = "ucontext")]
            Backend::Ucontext => Coroutine::create(stack_size, body).map(AnyCoroutine::Ucontext),
            #[cfg(all(feature = "native", target_arch = "x86_64"))]
            Backend::Native => Coroutine::create(stack_size, body).map(AnyCoroutine::Native),
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
    pub fn backend(&self) -> Backend {
        dispatch!(self, co => co.backend())
    }

    /// Usable bytes of its stack.
    pub fn stack_size(&self) -> usize {
        dispatch!(self, co => co.stack_size())
    }
}
