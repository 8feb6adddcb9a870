//! The one error type of `arsenal-http`, whatever the backend.

use std::borrow::Cow;
use std::fmt;

/// What was wrong with the message, independent of the backend that noticed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request line or status line is malformed (method, target, version, status).
    StartLine,
    /// A method this crate does not know (the set llhttp and http_parser accept).
    Method,
    /// An HTTP version other than 1.0 or 1.1.
    Version,
    /// A header line is malformed: bad name token, control characters in the value,
    /// missing colon, whitespace before the colon.
    Header,
    /// A header continuation line (obs-fold), rejected by RFC 9112 for requests and
    /// by this crate for every message.
    ObsFold,
    /// A line ending with a bare LF instead of CRLF.
    BareLf,
    /// Conflicting or invalid framing: Content-Length together with Transfer-Encoding,
    /// more than one Content-Length field, an invalid Content-Length, a
    /// Transfer-Encoding whose last coding is not `chunked` on a request, or any
    /// Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1: faulty framing; the
    /// connection should be closed after it).
    Framing,
    /// A malformed chunked body: bad chunk size (or one that overflows 64 bits),
    /// bad extension, missing CRLF, bad trailer.
    Chunked,
    /// More headers than [`Limits::max_headers`](crate::Limits::max_headers).
    TooManyHeaders,
    /// A head (or a chunked body's trailer section) longer than
    /// [`Limits::max_head_len`](crate::Limits::max_head_len).
    HeadTooLarge,
    /// A body longer than [`Limits::max_body_len`](crate::Limits::max_body_len), or a
    /// Content-Length or chunk size no buffer could hold (ending beyond `isize::MAX`).
    BodyTooLarge,
    /// A chunk-size line (with its extensions) longer than
    /// [`Limits::max_chunk_line_len`](crate::Limits::max_chunk_line_len).
    ChunkLineTooLong,
    /// More chunks in one body than [`Limits::max_chunks`](crate::Limits::max_chunks).
    TooManyChunks,
    /// The [`Backend`](crate::Backend) asked for at run time is not available in this
    /// build: its cargo feature is off (see [`Backend::available`](crate::Backend::available)).
    Unavailable,
    /// Any other failure reported by the C library.
    Other,
}

impl ErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            ErrorKind::StartLine => "malformed start line",
            ErrorKind::Method => "unknown method",
            ErrorKind::Version => "unsupported HTTP version",
            ErrorKind::Header => "malformed header",
            ErrorKind::ObsFold => "obsolete line folding",
            ErrorKind::BareLf => "bare LF line ending",
            ErrorKind::Framing => "conflicting or invalid message framing",
            ErrorKind::Chunked => "malformed chunked body",
            ErrorKind::TooManyHeaders => "too many headers",
            ErrorKind::HeadTooLarge => "head too large",
            ErrorKind::BodyTooLarge => "body too large",
            ErrorKind::ChunkLineTooLong => "chunk-size line too long",
            ErrorKind::TooManyChunks => "too many chunks",
            ErrorKind::Unavailable => "backend not available in this build",
            ErrorKind::Other => "error",
        }
    }
}

/// An HTTP parsing error: kind, byte offset in the input, the backend that reported it
/// (or `arsenal-http` for the checks this crate makes for every backend) and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    backend: &'static str,
    reason: Cow<'static, str>,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        offset: usize,
        backend: &'static str,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error {
            kind,
            offset,
            backend,
            reason: reason.into(),
        }
    }

    /// An error found by this crate's own checks (the same for every backend).
    pub(crate) fn ours(
        kind: ErrorKind,
        offset: usize,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::new(kind, offset, "arsenal-http", reason)
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// `"llhttp"`, `"picohttpparser"`, `"http_parser"`, or `"arsenal-http"` for the checks
    /// this crate applies on top of every backend; for [`ErrorKind::Unavailable`], the
    /// backend that was asked for.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The backend's own reason (e.g. llhttp's error message), or ours.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} at byte {}",
            self.backend,
            self.kind.as_str(),
            self.offset
        )?;
        if !self.reason.is_empty() {
            write!(f, ": {}", self.reason)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> Self {
        let kind = match err.kind {
            ErrorKind::Unavailable => std::io::ErrorKind::Unsupported,
            _ => std::io::ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, err)
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
