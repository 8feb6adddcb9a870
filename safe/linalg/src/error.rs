//! The crate's one error type.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A view's data slice is too short for its shape and strides, or the shape and
    /// strides overflow `usize`.
    OutOfBounds,
    /// A mutable view maps two positions to the same element (a zero or overlapping
    /// stride): the result would depend on the order of the writes.
    Overlap,
    /// The operands' shapes do not fit together (`A` is m×k, `B` k×n, `C` m×n; a vector
    /// has the wrong length).
    Shape,
    /// A dimension or stride is larger than the C library's integer type can hold.
    TooLarge,
    /// The backend is not compiled in, or cannot run here.
    Unsupported,
    /// The C library could not be loaded or set up.
    Init,
}

/// An error from `arsenal-linalg`: a kind, the backend it came from and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, backend: &'static str, message: impl Into<String>) -> Self {
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

    /// The backend that reported it (`"arsenal-linalg"` for checks made before any
    /// backend runs).
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}: {}", self.backend, self.kind, self.message)
    }
}

impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-linalg";
