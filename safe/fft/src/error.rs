//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A buffer's length does not match the plan (`n` for complex transforms and real
    /// signals, `n/2 + 1` for half spectra), or two buffers of one call differ.
    Length,
    /// A transform of length zero was asked for.
    Empty,
    /// The length does not fit the C library's `int`.
    TooLarge,
    /// The backend is not compiled in, or cannot do this transform (KissFFT: `f64`, odd
    /// real sizes).
    Unsupported,
    /// The C library could not make a plan (e.g. out of memory).
    Init,
    /// A DSP design parameter is out of range (a cut-off at or above Nyquist, a zero
    /// order, a non-positive Q, …).
    Parameter,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Length => "wrong length",
            ErrorKind::Empty => "empty transform",
            ErrorKind::TooLarge => "too large",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Init => "plan failed",
            ErrorKind::Parameter => "parameter out of range",
        }
    }
}

/// An error from `arsenal-fft`: a kind, the backend it came from and a message (the shared
/// [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-fft";
