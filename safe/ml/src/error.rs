//! The crate's one error type.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Operand lengths or dimensions do not fit together (a slice shorter or longer than
    /// its shape says, a head count that does not divide, a row length that is not a
    /// multiple of the format's block).
    Shape,
    /// A parameter is out of its documented range (group size, window, block size, ...).
    InvalidArgument,
    /// Bytes that do not decode: a corrupt or truncated safetensors header, a quantised
    /// block with a non-finite scale, ...
    Format,
    /// A fixed-capacity structure is full (a paged KV cache with no free block).
    Capacity,
    /// A size does not fit the integer type it must be stored in (or overflows `usize`).
    TooLarge,
    /// An I/O error (opening or mapping a file).
    Io,
    /// The backend is not compiled in, or cannot run here.
    Unsupported,
    /// A named item (tensor, sequence) does not exist.
    NotFound,
}

/// An error from `arsenal-ml`: a kind, where it came from and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    source: &'static str,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, source: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            source,
            message: message.into(),
        }
    }

    /// A [`ErrorKind::Shape`] error from the crate's own checks.
    pub(crate) fn shape(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Shape, CHECKS, message)
    }

    /// A [`ErrorKind::InvalidArgument`] error from the crate's own checks.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, CHECKS, message)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where it came from: `"arsenal-ml"` for the crate's own checks, the backend's name
    /// (`"ggml"`, `"openblas"`, ...) otherwise.
    pub fn origin(&self) -> &'static str {
        self.source
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}: {}", self.source, self.kind, self.message)
    }
}

impl std::error::Error for Error {}

impl From<arsenal_linalg::Error> for Error {
    fn from(e: arsenal_linalg::Error) -> Self {
        let kind = match e.kind() {
            arsenal_linalg::ErrorKind::TooLarge => ErrorKind::TooLarge,
            arsenal_linalg::ErrorKind::Unsupported | arsenal_linalg::ErrorKind::Init => {
                ErrorKind::Unsupported
            }
            _ => ErrorKind::Shape,
        };
        Error::new(kind, e.backend(), e.message().to_owned())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, CHECKS, e.to_string())
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The origin of the checks made by this crate itself.
pub(crate) const CHECKS: &str = "arsenal-ml";

/// `a * b`, or a [`ErrorKind::TooLarge`] error naming `what`.
pub(crate) fn mul(a: usize, b: usize, what: &str) -> Result<usize> {
    a.checked_mul(b).ok_or_else(|| {
        Error::new(
            ErrorKind::TooLarge,
            CHECKS,
            format!("{what} overflows usize"),
        )
    })
}

/// Checks that `slice_len == expected`, naming the operand.
pub(crate) fn expect_len(name: &str, slice_len: usize, expected: usize) -> Result<()> {
    if slice_len == expected {
        Ok(())
    } else {
        Err(Error::shape(format!(
            "{name} has {slice_len} elements, its shape needs {expected}"
        )))
    }
}
