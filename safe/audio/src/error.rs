//! The one error type of `arsenal-audio`.

use std::borrow::Cow;
use std::fmt;

/// What went wrong, independent of the codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The encoded input is malformed (bad header, checksum mismatch, invalid packet,
    /// lost sync, a hole in an Ogg stream, ...).
    Corrupt,
    /// The encoded input ended before the stream did.
    Truncated,
    /// Decoding would produce more samples than the decoder's limit
    /// (`with_max_samples`); declared sizes never make us allocate past it.
    OutputLimit,
    /// An argument or setting is outside what the codec accepts (sample rate, channel
    /// count, bitrate, frame size, a PCM length that is not whole frames, ...).
    InvalidArgument,
    /// The stream uses something this crate does not handle (e.g. a chained Ogg stream
    /// whose links differ in format).
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
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Unsupported => "unsupported stream",
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

/// An encoding or decoding failure: the [`ErrorKind`], the backend that reported it
/// (`"flac"`, `"opus"`, `"vorbis"`), the C library's own message (copied at failure
/// time) and its numeric code when it has one. Switching backend never changes this type.
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

    /// The backend that failed (`"flac"`, `"opus"`, `"vorbis"`).
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.backend, self.kind, self.message)?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> std::io::Error {
        let kind = match err.kind {
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            ErrorKind::Truncated => std::io::ErrorKind::UnexpectedEof,
            ErrorKind::InvalidArgument => std::io::ErrorKind::InvalidInput,
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::OutputLimit | ErrorKind::Other => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, err)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static_and_displays_everything() {
        fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
        assert_bounds::<Error>();
        let err = Error::new(ErrorKind::Corrupt, "flac", "lost sync").with_code(0);
        assert_eq!(err.to_string(), "flac: corrupt input: lost sync (code 0)");
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert_eq!(err.backend(), "flac");
        assert_eq!(err.code(), Some(0));
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    }
}
