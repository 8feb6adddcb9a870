//! The crate's one error type.

use std::fmt;

/// What went wrong; see [`Error::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Mapping the stack (or the coroutine block) failed: `mmap`/`mprotect` returned an
    /// error, usually `ENOMEM` (address space or `vm.max_map_count` exhausted).
    StackAllocation,
    /// The stack size is too large to round up to whole pages.
    InvalidStackSize,
    /// The C library refused to create or switch to the coroutine.
    Backend,
    /// `resume` on a coroutine that has already returned or panicked.
    Finished,
    /// The backend cannot resume the coroutine from here (libaco resumes only from a
    /// thread's main context, not from inside another coroutine).
    NotResumable,
    /// The backend was not compiled in (its cargo feature is off), does not support
    /// this platform, or its name is unknown.
    Unavailable,
}

/// The error of every fallible operation of this crate: a kind, the backend's name and
/// the C library's own message or code (`errno`, `mco_result`) copied at failure time.
///
/// ```
/// use arsenal_coro::{Coroutine, ErrorKind};
///
/// let mut co = Coroutine::<(), (), u32>::new(|_, ()| 7)?;
/// assert_eq!(co.resume(())?.returned(), Some(7));
/// let err = co.resume(()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Finished);
/// assert!(err.to_string().contains("finished"));
/// # Ok::<(), arsenal_coro::Error>(())
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: String,
    code: Option<i32>,
    source: Option<std::io::Error>,
}

impl Error {
    #[cold]
    pub(crate) fn new(kind: ErrorKind, backend: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            backend,
            message: message.into(),
            code: None,
            source: None,
        }
    }

    #[cold]
    #[cfg_attr(not(feature = "minicoro"), allow(dead_code))]
    pub(crate) fn with_code(mut self, code: i32) -> Self {
        self.code = Some(code);
        self
    }

    /// The last OS error (`errno`) as the cause.
    #[cold]
    pub(crate) fn os(kind: ErrorKind, backend: &'static str, what: &str) -> Self {
        let source = std::io::Error::last_os_error();
        Error {
            kind,
            backend,
            message: format!("{what}: {source}"),
            code: source.raw_os_error(),
            source: Some(source),
        }
    }

    #[cold]
    pub(crate) fn finished(backend: &'static str) -> Self {
        Error::new(
            ErrorKind::Finished,
            backend,
            "the coroutine has finished (returned or panicked); it cannot be resumed",
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that failed (`"fcontext"`, `"minicoro"`, `"ucontext"`, `"libaco"`).
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The message, including the C library's own description where it has one.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The C library's code: `errno` for `mmap`/`swapcontext` failures, the `mco_result`
    /// for minicoro.
    pub fn code(&self) -> Option<i32> {
        self.code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "coroutine backend {}: {}", self.backend, self.message)?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An unknown backend name (from `Backend`'s `FromStr`) is an
/// [`ErrorKind::Unavailable`] error whose message lists the valid names, so `?` works
/// where a coroutine is created from a name.
///
/// ```
/// use arsenal_coro::{Backend, Error, ErrorKind};
/// let err: Error = "boost".parse::<Backend>().unwrap_err().into();
/// assert_eq!(err.kind(), ErrorKind::Unavailable);
/// assert!(err.message().contains("fcontext"));
/// ```
impl From<arsenal_core::UnknownBackend> for Error {
    #[cold]
    fn from(err: arsenal_core::UnknownBackend) -> Self {
        Error::new(ErrorKind::Unavailable, "none", err.to_string())
    }
}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> Self {
        let kind = match err.kind {
            ErrorKind::StackAllocation => std::io::ErrorKind::OutOfMemory,
            ErrorKind::InvalidStackSize => std::io::ErrorKind::InvalidInput,
            ErrorKind::Unavailable => std::io::ErrorKind::Unsupported,
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, err)
    }
}
