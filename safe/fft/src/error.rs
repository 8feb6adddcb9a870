//! The crate's one error type.

use std::fmt;

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

/// An error from `arsenal-fft`: a kind, the backend it came from and a message.
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

    /// The backend that reported it (`"arsenal-fft"` for checks made before any backend
    /// runs and for the DSP module).
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
pub(crate) const CHECKS: &str = "arsenal-fft";
