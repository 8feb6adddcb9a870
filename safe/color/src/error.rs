//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A width or height is zero, above [`MAX_DIMENSION`](crate::MAX_DIMENSION), or does
    /// not match the other image of the call (or a chroma plane is not `(w+1)/2 × (h+1)/2`).
    Dimensions,
    /// A stride is smaller than a row, or a size computation overflows `usize`.
    Stride,
    /// A buffer is shorter than `stride × (height − 1) + row bytes`.
    BufferTooShort,
    /// The backend cannot do this (a matrix, range or pixel format it lacks, or a
    /// stride beyond the C library's `int`); never silently replaced by another backend.
    Unsupported,
    /// The source and destination images of a resize differ in pixel format.
    Format,
    /// `ARSENAL_COLOR_ISA` names an unknown instruction set or one this CPU lacks.
    Isa,
    /// The C library returned an error code.
    Library,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Dimensions => "bad dimensions",
            ErrorKind::Stride => "bad stride",
            ErrorKind::BufferTooShort => "buffer too short",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Format => "format mismatch",
            ErrorKind::Isa => "instruction set unavailable",
            ErrorKind::Library => "library failure",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported | ErrorKind::Isa => std::io::ErrorKind::Unsupported,
            ErrorKind::Library => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-color`: a kind, the backend it came from and a message (the
/// shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-color";

/// A shape error from the shared checks.
#[cold]
pub(crate) fn shape(kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(kind, CHECKS, message)
}
