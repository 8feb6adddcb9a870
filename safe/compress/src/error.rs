//! The one error type of `arsenal-compress`.

use std::borrow::Cow;
use std::fmt;

/// What went wrong, independent of the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The compressed input is malformed (bad header, checksum mismatch, invalid
    /// back-reference, trailing garbage where the format forbids it, ...).
    Corrupt,
    /// The compressed input ended before the frame did.
    Truncated,
    /// Decompression would produce more than the caller's output limit (or the
    /// destination slice given to a `*_into` call). Decompression bombs end here.
    OutputLimit,
    /// The destination slice of a `compress_into` call is too small; a destination of
    /// [`Compress::compress_bound`](crate::Compress::compress_bound) bytes always works.
    OutputTooSmall,
    /// The requested level is outside the codec's range.
    InvalidLevel,
    /// An argument is outside what the codec accepts (input too large for the format,
    /// a dictionary the codec rejects, ...).
    InvalidArgument,
    /// The operation is not provided by this backend (e.g. dictionaries for a codec that
    /// has none).
    Unsupported,
    /// The C library could not allocate memory.
    OutOfMemory,
    /// Any other failure reported by the C library.
    Other,
}

impl ErrorKind {
    /// A short lowercase description of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Corrupt => "corrupt input",
            ErrorKind::Truncated => "truncated input",
            ErrorKind::OutputLimit => "output limit exceeded",
            ErrorKind::OutputTooSmall => "output buffer too small",
            ErrorKind::InvalidLevel => "invalid level",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Unsupported => "unsupported operation",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Other => "library error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A compression or decompression failure: the [`ErrorKind`], the backend that reported
/// it, the C library's own message (copied at failure time) and its numeric code when it
/// has one.
///
/// Switching backend never changes this type. It converts into [`std::io::Error`]
/// (`Corrupt` → `InvalidData`, `Truncated` → `UnexpectedEof`, ...), which is how the
/// streaming adapters report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: Cow<'static, str>,
    code: Option<i64>,
}

impl Error {
    /// A new error of `kind` reported by `backend` with a message.
    #[cold]
    pub fn new(
        kind: ErrorKind,
        backend: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error {
            kind,
            backend,
            message: message.into(),
            code: None,
        }
    }

    /// The same error carrying the C library's numeric error code.
    #[cold]
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that failed (`"zstd"`, `"lz4"`, `"snappy"`, ...).
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The message: the C library's own text where it provides one.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The C library's numeric error code, when it has one.
    pub fn code(&self) -> Option<i64> {
        self.code
    }

    /// `true` for [`ErrorKind::OutputLimit`].
    pub fn is_output_limit(&self) -> bool {
        self.kind == ErrorKind::OutputLimit
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.backend, self.kind)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        use std::io::ErrorKind as Io;
        let kind = match e.kind {
            ErrorKind::Corrupt => Io::InvalidData,
            ErrorKind::Truncated => Io::UnexpectedEof,
            ErrorKind::OutputLimit => Io::InvalidData,
            ErrorKind::OutputTooSmall | ErrorKind::InvalidLevel | ErrorKind::InvalidArgument => {
                Io::InvalidInput
            }
            ErrorKind::Unsupported => Io::Unsupported,
            ErrorKind::OutOfMemory => Io::OutOfMemory,
            ErrorKind::Other => Io::Other,
        };
        std::io::Error::new(kind, e)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_io_conversion() {
        let e = Error::new(ErrorKind::Corrupt, "zstd", "Data corruption detected").with_code(20);
        assert_eq!(
            e.to_string(),
            "zstd: corrupt input: Data corruption detected (code 20)"
        );
        let io: std::io::Error = e.clone().into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
        let inner = io
            .get_ref()
            .and_then(|x| x.downcast_ref::<Error>())
            .unwrap();
        assert_eq!(inner, &e);
        fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
        assert_traits::<Error>();
    }
}
