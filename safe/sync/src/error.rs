//! The crate's one error type.
use std::borrow::Cow;
use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A ring's slot count is not a power of two in `4..=2^31` (see
    /// [`MIN_SLOTS`](crate::MIN_SLOTS) and [`MAX_SLOTS`](crate::MAX_SLOTS)).
    InvalidCapacity,
    /// The memory for a ring's slots could not be allocated.
    Allocation,
    /// The backend was not compiled in (its cargo feature is off).
    Unavailable,
}

/// An error from one of the queues or locks: a kind, the backend that reported it
/// (`"ck"`, `"native"`) and a message.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: Cow<'static, str>,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    #[cold]
    pub(crate) fn new(
        kind: ErrorKind,
        backend: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Error {
        Error {
            kind,
            backend,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that reported it (`"ck"`, `"native"`).
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The detailed message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:?}): {}", self.backend, self.kind, self.message)
    }
}

impl std::error::Error for Error {}
