//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Two slices of one call differ in length (`pext_many`, `and_count`, …), or a bit
    /// length does not fit the words given ([`BitArray::from_words`](crate::BitArray::from_words)).
    Length,
    /// The backend cannot run on this CPU (or this target).
    Unsupported,
    /// A bit array of that many bits cannot be allocated.
    TooLarge,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Length => "wrong length",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::TooLarge => "too large",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Length => std::io::ErrorKind::InvalidInput,
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::TooLarge => std::io::ErrorKind::OutOfMemory,
        }
    }
}

/// An error from `arsenal-bits`: a kind, the backend it came from and a message (the
/// shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-bits";
