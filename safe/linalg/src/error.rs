//! The crate's one error type.

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

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::OutOfBounds => "out of bounds",
            ErrorKind::Overlap => "overlapping view",
            ErrorKind::Shape => "shape mismatch",
            ErrorKind::TooLarge => "too large",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Init => "library setup failed",
        }
    }
}

/// An error from `arsenal-linalg`: a kind, the backend it came from and a message (the
/// shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-linalg";
