//! Run-time backend choice: a parser enum over all backends.

use crate::error::{Error, ErrorKind, Result};
use crate::message::{Limits, Request, Response, Status};
use crate::Backend;

#[cfg(feature = "http_parser")]
use crate::HttpParserC;
#[cfg(feature = "llhttp")]
use crate::Llhttp;
#[cfg(feature = "picohttpparser")]
use crate::Picohttpparser;

/// A parser of any backend, chosen at run time: what a [`Backend`] value turns into
/// ([`Backend::parser`], [`AnyParser::new`]).
///
/// It has the methods of [`HttpParser`](crate::HttpParser), dispatched on the backend
/// (one `match` per call); the messages it returns are the same types, and every
/// backend gives the same verdicts. For the last few percent of speed use a backend type
/// ([`DefaultParser`](crate::DefaultParser), `Llhttp`, ...) directly.
///
/// ```
/// use arsenal_http::{AnyParser, Backend, Limits, Status};
/// let backend: Backend = std::env::var("HTTP_BACKEND").ok()
///     .and_then(|name| name.parse().ok())
///     .unwrap_or_default();
/// let mut parser = AnyParser::with_limits(backend, Limits::default().max_headers(16))?;
/// assert_eq!(parser.backend(), backend);
/// let wire = b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
/// assert!(matches!(parser.parse_request(&wire[..20])?, Status::Partial));
/// match parser.parse_request(wire)? {
///     Status::Complete { message, consumed } => {
///         assert_eq!(message.method, "POST");
///         assert_eq!(consumed, wire.len());
///     }
///     Status::Partial => unreachable!(),
/// }
/// # Ok::<(), arsenal_http::Error>(())
/// ```
#[derive(Debug)]
pub enum AnyParser {
    /// An llhttp parser.
    #[cfg(feature = "llhttp")]
    Llhttp(Llhttp),
    /// A picohttpparser parser.
    #[cfg(feature = "picohttpparser")]
    Picohttpparser(Picohttpparser),
    /// An http_parser parser.
    #[cfg(feature = "http_parser")]
    HttpParser(HttpParserC),
}

/// Runs `$e` with `$p` bound to the backend's `HttpParser`.
macro_rules! dispatch {
    ($self:expr, $p:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "llhttp")]
            AnyParser::Llhttp($p) => $e,
            #[cfg(feature = "picohttpparser")]
            AnyParser::Picohttpparser($p) => $e,
            #[cfg(feature = "http_parser")]
            AnyParser::HttpParser($p) => $e,
        }
    };
}

impl AnyParser {
    /// A parser of `backend` with [`Limits::default`]; fails with
    /// [`ErrorKind::Unavailable`] when `backend` is not compiled in.
    ///
    /// ```
    /// let parser = arsenal_http::AnyParser::new(arsenal_http::Backend::default())?;
    /// assert_eq!(parser.backend(), arsenal_http::Backend::default());
    /// # Ok::<(), arsenal_http::Error>(())
    /// ```
    pub fn new(backend: Backend) -> Result<Self> {
        Self::with_limits(backend, Limits::default())
    }

    /// A parser of `backend` with the given limits; fails with
    /// [`ErrorKind::Unavailable`] when `backend` is not compiled in.
    ///
    /// ```
    /// use arsenal_http::{AnyParser, Backend, ErrorKind, Limits};
    /// let mut parser = AnyParser::with_limits(Backend::default(), Limits::default().max_headers(1))?;
    /// let err = parser.parse_request(b"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n\r\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::TooManyHeaders);
    /// # Ok::<(), arsenal_http::Error>(())
    /// ```
    pub fn with_limits(backend: Backend, limits: Limits) -> Result<Self> {
        match backend {
            #[cfg(feature = "llhttp")]
            Backend::Llhttp => Llhttp::with_limits(limits).map(AnyParser::Llhttp),
            #[cfg(feature = "picohttpparser")]
            Backend::Picohttpparser => {
                Picohttpparser::with_limits(limits).map(AnyParser::Picohttpparser)
            }
            #[cfg(feature = "http_parser")]
            Backend::HttpParser => HttpParserC::with_limits(limits).map(AnyParser::HttpParser),
            #[allow(unreachable_patterns)] // a backend whose feature is off
            _ => Err(unavailable(backend)),
        }
    }

    /// The backend this parser runs.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "llhttp")]
            AnyParser::Llhttp(_) => Backend::Llhttp,
            #[cfg(feature = "picohttpparser")]
            AnyParser::Picohttpparser(_) => Backend::Picohttpparser,
            #[cfg(feature = "http_parser")]
            AnyParser::HttpParser(_) => Backend::HttpParser,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        dispatch!(self, p => p.limits())
    }

    /// Forgets any partial message: the next call starts a new one. See
    /// [`HttpParser::reset`](crate::HttpParser::reset).
    pub fn reset(&mut self) {
        dispatch!(self, p => p.reset())
    }

    /// Hands a parsed message's allocations back for the next messages to reuse. See
    /// [`HttpParser::recycle`](crate::HttpParser::recycle).
    pub fn recycle(&mut self, message: impl Into<crate::Recycled>) {
        let message = message.into();
        dispatch!(self, p => p.recycle(message))
    }

    /// Parses a request from the start of `buf`. See
    /// [`HttpParser::parse_request`](crate::HttpParser::parse_request).
    pub fn parse_request<'b>(&mut self, buf: &'b [u8]) -> Result<Status<Request<'b>>> {
        dispatch!(self, p => p.parse_request(buf))
    }

    /// Parses a response from the start of `buf`, answering a `request_method` request.
    /// See [`HttpParser::parse_response`](crate::HttpParser::parse_response).
    pub fn parse_response<'b>(
        &mut self,
        buf: &'b [u8],
        request_method: &str,
    ) -> Result<Status<Response<'b>>> {
        dispatch!(self, p => p.parse_response(buf, request_method))
    }

    /// Like [`parse_response`](Self::parse_response) when the peer has closed the
    /// connection. See
    /// [`HttpParser::parse_response_at_eof`](crate::HttpParser::parse_response_at_eof).
    pub fn parse_response_at_eof<'b>(
        &mut self,
        buf: &'b [u8],
        request_method: &str,
    ) -> Result<Status<Response<'b>>> {
        dispatch!(self, p => p.parse_response_at_eof(buf, request_method))
    }
}

/// The error for a backend this build does not have.
#[cold]
fn unavailable(backend: Backend) -> Error {
    let available: Vec<&str> = Backend::available().iter().map(|b| b.name()).collect();
    Error::new(
        ErrorKind::Unavailable,
        0,
        backend.name(),
        format!(
            "arsenal-http was built without the `{backend}` feature (available: {})",
            available.join(", ")
        ),
    )
}
