//! The crate's one error type.

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

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::InvalidCapacity => "invalid capacity",
            ErrorKind::Allocation => "allocation failed",
            ErrorKind::Unavailable => "backend unavailable",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::InvalidCapacity => std::io::ErrorKind::InvalidInput,
            ErrorKind::Allocation => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Unavailable => std::io::ErrorKind::Unsupported,
        }
    }
}

/// An error from one of the queues or locks: a kind, the backend that reported it
/// (`"ck"`, `"native"`) and a message (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
