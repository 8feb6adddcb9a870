//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Input and output slices of one call differ in length.
    Length,
    /// The backend is not compiled in, cannot run on this CPU, or does not implement this
    /// function (the native backend: sin, cos, tanh, pow).
    Unsupported,
    /// A divisor the divider cannot represent: 0 (every divider), or 1 for libdivide's
    /// branch-free form.
    Divisor,
    /// A parameter out of range (`pow` asked through the one-input entry point).
    Parameter,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Length => "slice lengths differ",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Divisor => "invalid divisor",
            ErrorKind::Parameter => "parameter out of range",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            _ => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-num`: a kind, the backend it came from and a message (the shared
/// [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
