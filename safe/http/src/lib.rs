//! One zero-copy, incremental HTTP/1.x parsing API over **llhttp**, **picohttpparser** and
//! **http_parser**.
//!
//! | backend | feature | type |
//! |---|---|---|
//! | llhttp (Node.js's parser, C generated from TypeScript) | `llhttp` | [`Llhttp`] |
//! | picohttpparser (H2O's SSE4.2 parser) | `picohttpparser` | [`Picohttpparser`] |
//! | http_parser (Node.js's previous parser) | `http_parser` | [`HttpParserC`] |
//!
//! The backend parses the message head; this crate checks the head strictly (CRLF only,
//! no obs-fold, known methods, HTTP/1.0 or 1.1, token header names, no control
//! characters) and frames the body itself (Content-Length, chunked with extensions and
//! trailers, the RFC 9112 rules against request smuggling), so **every backend gives the
//! same verdict** on the same bytes. Results borrow the input: no copies.
//!
//! ```
//! use arsenal_http::Status;
//! let mut parser = arsenal_http::DefaultParser::new()?;
//! let wire = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
//! let mut rest = &wire[..];
//! let mut targets = Vec::new();
//! while let Status::Complete { message, consumed } = parser.parse_request(rest)? {
//!     targets.push(message.target);
//!     rest = &rest[consumed..];
//!     if rest.is_empty() { break; }
//! }
//! assert_eq!(targets, [&b"/a"[..], b"/b"]);
//! # Ok::<(), arsenal_http::Error>(())
//! ```
//!
//! Library authors should depend with `default-features = false` and let applications
//! pick the backend features.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

#[cfg(not(any(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
)))]
compile_error!(
    "arsenal-http needs at least one backend feature: `llhttp`, `picohttpparser` and/or `http_parser`"
);

pub mod backend;
#[cfg(feature = "http")]
mod convert;
mod engine;
mod error;
mod framing;
mod message;
mod scan;
mod validate;

#[cfg(feature = "http")]
pub use convert::header_map;
pub use engine::HttpParser;
pub use error::{Error, ErrorKind, Result};
pub use message::{Body, Header, Limits, Request, Response, Status, Version};
pub use validate::METHODS;

/// llhttp backend (feature `llhttp`).
#[cfg(feature = "llhttp")]
pub type Llhttp = HttpParser<backend::llhttp::LlhttpHead>;
/// picohttpparser backend (feature `picohttpparser`).
#[cfg(feature = "picohttpparser")]
pub type Picohttpparser = HttpParser<backend::picohttpparser::PicoHead>;
/// http_parser backend (feature `http_parser`); named `HttpParserC` to keep it apart
/// from the generic [`HttpParser`].
#[cfg(feature = "http_parser")]
pub type HttpParserC = HttpParser<backend::http_parser::HttpParserHead>;

/// The compile-time default: llhttp, else picohttpparser, else http_parser.
#[cfg(feature = "llhttp")]
pub type DefaultParser = Llhttp;
/// The compile-time default: llhttp, else picohttpparser, else http_parser.
#[cfg(all(not(feature = "llhttp"), feature = "picohttpparser"))]
pub type DefaultParser = Picohttpparser;
/// The compile-time default: llhttp, else picohttpparser, else http_parser.
#[cfg(all(
    not(feature = "llhttp"),
    not(feature = "picohttpparser"),
    feature = "http_parser"
))]
pub type DefaultParser = HttpParserC;

/// The backends compiled into this build.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// llhttp.
    #[cfg(feature = "llhttp")]
    Llhttp,
    /// picohttpparser.
    #[cfg(feature = "picohttpparser")]
    Picohttpparser,
    /// http_parser.
    #[cfg(feature = "http_parser")]
    HttpParser,
}

impl Backend {
    /// Every backend compiled in, in priority order.
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "llhttp")]
        Backend::Llhttp,
        #[cfg(feature = "picohttpparser")]
        Backend::Picohttpparser,
        #[cfg(feature = "http_parser")]
        Backend::HttpParser,
    ];

    /// The backend's name, as used by its feature.
    pub fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "llhttp")]
            Backend::Llhttp => "llhttp",
            #[cfg(feature = "picohttpparser")]
            Backend::Picohttpparser => "picohttpparser",
            #[cfg(feature = "http_parser")]
            Backend::HttpParser => "http_parser",
        }
    }
}
