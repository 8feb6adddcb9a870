//! The error shape every domain crate shares: [`Error<K>`] carries a domain's own
//! [`ErrorKind`] enum, the name of the backend that failed, a message (the C library's own
//! text where it has one) and the library's numeric code when there is one.
//!
//! A domain crate declares its kinds and aliases the rest:
//!
//! ```
//! use std::fmt;
//!
//! /// What went wrong.
//! #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! #[non_exhaustive]
//! pub enum ErrorKind {
//!     /// The input is malformed.
//!     Corrupt,
//!     /// The backend is not compiled in.
//!     Unsupported,
//! }
//!
//! impl arsenal_core::ErrorKind for ErrorKind {
//!     fn describe(self) -> &'static str {
//!         match self {
//!             ErrorKind::Corrupt => "corrupt input",
//!             ErrorKind::Unsupported => "unsupported",
//!         }
//!     }
//!     fn io_kind(self) -> std::io::ErrorKind {
//!         match self {
//!             ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
//!             ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
//!         }
//!     }
//! }
//!
//! /// The crate's one error type.
//! pub type Error = arsenal_core::Error<ErrorKind>;
//!
//! let err = Error::new(ErrorKind::Corrupt, "zstd", "bad magic").with_code(-10);
//! assert_eq!(err.to_string(), "zstd: corrupt input: bad magic (code -10)");
//! assert_eq!(std::io::Error::from(err).kind(), std::io::ErrorKind::InvalidData);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::hash::Hash;

/// A domain's kinds of failure: a small `Copy` enum (`#[non_exhaustive]` in the domain
/// crate) that [`Error`] carries.
pub trait ErrorKind: Copy + Eq + Hash + fmt::Debug + Send + Sync + 'static {
    /// A short lowercase description, shown by [`Error`]'s `Display`.
    fn describe(self) -> &'static str;

    /// The [`std::io::ErrorKind`] an [`Error`] of this kind becomes when converted into
    /// an [`std::io::Error`] (for `io::Read`/`io::Write` adapters). Default: `Other`.
    fn io_kind(self) -> std::io::ErrorKind {
        std::io::ErrorKind::Other
    }
}

/// The kinds of failure of the codec domains (audio codecs, video decoders, and the
/// image and container formats to come): one enum, so every codec crate's `ErrorKind` is
/// this type (re-exported under that name) and callers match the same variants
/// everywhere. Each crate's docs say what its decoders report for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodecErrorKind {
    /// The encoded input is malformed: a bad header or container record, a checksum
    /// mismatch, an invalid packet, OBU or NAL unit, a frame the decoder rejects.
    Corrupt,
    /// The encoded input ended before the stream, record or frame did.
    Truncated,
    /// Decoding would produce more than the decoder's limit (samples, pixels); declared
    /// sizes never make a decoder allocate past it.
    OutputLimit,
    /// An argument or setting is outside what the codec accepts (a rate, a channel or
    /// thread count, a frame size, empty input, a codec the backend does not decode).
    InvalidArgument,
    /// Something this build or crate does not handle (a backend not compiled in, a
    /// stream feature such as multichannel mapping or a pixel format).
    Unsupported,
    /// The C library could not allocate memory.
    OutOfMemory,
    /// Any other failure reported by the C library.
    Other,
}

impl ErrorKind for CodecErrorKind {
    fn describe(self) -> &'static str {
        match self {
            CodecErrorKind::Corrupt => "corrupt input",
            CodecErrorKind::Truncated => "truncated input",
            CodecErrorKind::OutputLimit => "output limit exceeded",
            CodecErrorKind::InvalidArgument => "invalid argument",
            CodecErrorKind::Unsupported => "unsupported stream",
            CodecErrorKind::OutOfMemory => "out of memory",
            CodecErrorKind::Other => "library error",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            CodecErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            CodecErrorKind::Truncated => std::io::ErrorKind::UnexpectedEof,
            CodecErrorKind::InvalidArgument => std::io::ErrorKind::InvalidInput,
            CodecErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            CodecErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            CodecErrorKind::OutputLimit | CodecErrorKind::Other => std::io::ErrorKind::Other,
        }
    }
}

/// An error from a domain crate: the kind, the backend that reported it (`"zstd"`,
/// `"native"`, or the crate's name for checks made before any backend runs), a message
/// and the C library's numeric code when it has one. Switching backend never changes the
/// type, so callers match on [`kind`](Error::kind), never on the text.
///
/// `Send + Sync + 'static`, `Clone`, comparable; converts into [`std::io::Error`] with the
/// kind's [`io_kind`](ErrorKind::io_kind) and itself as the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error<K: ErrorKind> {
    kind: K,
    backend: &'static str,
    message: Cow<'static, str>,
    code: Option<i64>,
}

impl<K: ErrorKind> Error<K> {
    /// A new error of `kind` reported by `backend`.
    #[cold]
    pub fn new(kind: K, backend: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind,
            backend,
            message: message.into(),
            code: None,
        }
    }

    /// The same error carrying the C library's numeric error code.
    #[cold]
    #[must_use]
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The backend that reported it.
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

impl<K: ErrorKind> fmt::Display for Error<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.backend,
            self.kind.describe(),
            self.message
        )?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl<K: ErrorKind> std::error::Error for Error<K> {}

impl<K: ErrorKind> From<Error<K>> for std::io::Error {
    fn from(err: Error<K>) -> std::io::Error {
        std::io::Error::new(err.kind.io_kind(), err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Kind {
        Bad,
    }

    impl ErrorKind for Kind {
        fn describe(self) -> &'static str {
            "bad input"
        }
    }

    fn assert_traits<T: Send + Sync + 'static + std::error::Error + Clone>() {}

    #[test]
    fn shape() {
        assert_traits::<Error<Kind>>();
        let err = Error::new(Kind::Bad, "lib", String::from("details"));
        assert_eq!(err.kind(), Kind::Bad);
        assert_eq!(err.backend(), "lib");
        assert_eq!(err.message(), "details");
        assert_eq!(err.code(), None);
        assert_eq!(err.to_string(), "lib: bad input: details");
        let io = std::io::Error::from(err.clone().with_code(7));
        assert_eq!(io.kind(), std::io::ErrorKind::Other);
        assert_eq!(io.to_string(), "lib: bad input: details (code 7)");
        assert_eq!(
            io.into_inner()
                .and_then(|e| e.downcast::<Error<Kind>>().ok())
                .map(|e| *e),
            Some(err.with_code(7))
        );
    }
}
